//! The synthesis workspace driven by keys: findings by theme, citing evidence through
//! the picker, recommendations reordered with stable ids, actions tracked.

use super::keys::{Key, KeyCode};
use super::synthesis::{Pane, Tab, rec_rows, themes};
use super::tests::{demo_app, save};
use super::*;

fn press(app: &mut App, keys: &str) -> Vec<Effect> {
    keys.chars().flat_map(|c| update(app, Action::Key(Key::char(c)))).collect()
}

fn key(app: &mut App, code: KeyCode) -> Vec<Effect> {
    update(app, Action::Key(Key::plain(code)))
}

fn view(app: &App) -> synthesis::SynthesisView {
    match &app.screen {
        Screen::Synthesis(v) => v.clone(),
        other => panic!("not the synthesis workspace: {other:?}"),
    }
}

fn saved_synthesis(effects: &[Effect]) -> &crate::domain::synthesis::Synthesis {
    match effects {
        [Effect::Save { changeset, .. }] => {
            assert_eq!(changeset.log.len(), 1, "every save is logged");
            changeset.synthesis.as_ref().expect("the synthesis is saved")
        }
        other => panic!("expected one save, got {other:?}"),
    }
}

#[test]
fn home_key_opens_the_workspace_on_the_first_theme_and_esc_returns() {
    let mut app = demo_app();
    press(&mut app, "y");
    let v = view(&app);
    assert_eq!((v.tab, v.pane, v.theme), (Tab::Findings, Pane::Themes, 0));
    assert_eq!(themes(&app.data)[0].slug, "customer-centricity");
    assert!(!themes(&app.data)[0].findings.is_empty());
    key(&mut app, KeyCode::Esc);
    assert_eq!(app.screen, Screen::Home);
}

#[test]
fn moving_a_recommendation_renumbers_but_keeps_ids_and_links() {
    let mut app = demo_app();
    press(&mut app, "y2");
    let before: Vec<Id> = app.data.synthesis.recommendations.iter().map(|r| r.id.clone()).collect();
    let first = before[0].clone();
    let effects = press(&mut app, "J");
    let s = saved_synthesis(&effects);
    assert_eq!(s.number_of(&first), Some(2));
    let mut after: Vec<Id> = s.recommendations.iter().map(|r| r.id.clone()).collect();
    assert_eq!(after[1], first);
    after.sort();
    let mut sorted = before.clone();
    sorted.sort();
    assert_eq!(after, sorted, "the same recommendations, none renamed");
    for r in &s.recommendations {
        let old = app.data.synthesis.recommendation(&r.id).unwrap();
        assert_eq!((&r.findings, &r.actions), (&old.findings, &old.actions), "links travel with the id");
    }
    save(&mut app, effects);
    // The selection follows the moved recommendation; K brings it back.
    let row = view(&app).row;
    assert!(matches!(rec_rows(&app.data.synthesis)[row], synthesis::RecRow::Rec(2, r) if r.id == first));
    let effects = press(&mut app, "K");
    assert_eq!(saved_synthesis(&effects).number_of(&first), Some(1));
    save(&mut app, effects);
    // The first cannot move further up: nothing is saved.
    assert!(press(&mut app, "K").is_empty());
}

#[test]
fn the_picker_searches_previews_and_cites_then_uncites() {
    let mut app = demo_app();
    press(&mut app, "y");
    key(&mut app, KeyCode::Tab);
    let finding = synthesis::focused_finding(&app, &view(&app)).unwrap().id.clone();
    press(&mut app, "c");
    update(&mut app, Action::Paste("goals_clear".into()));
    let Some(Overlay::EvidencePicker(p)) = &app.overlay else { panic!("no picker") };
    assert!(p.preview.iter().any(|l| l.starts_with("n = ")), "the preview shows the tally's n: {:?}", p.preview);
    let effects = key(&mut app, KeyCode::Enter);
    let s = saved_synthesis(&effects).clone();
    let cited = s.finding(&finding).unwrap().evidence.last().unwrap().clone();
    assert_eq!(cited.label(), "survey partner-2020 · goals_clear");
    save(&mut app, effects);
    assert!(matches!(app.overlay, Some(Overlay::EvidencePicker(_))), "the picker stays open for more");
    // Enter again on the same piece takes it back out.
    let effects = key(&mut app, KeyCode::Enter);
    assert!(!saved_synthesis(&effects).finding(&finding).unwrap().evidence.contains(&cited));
    key(&mut app, KeyCode::Esc);
    assert!(app.overlay.is_none());
}

#[test]
fn a_new_finding_is_written_through_the_form_and_bad_input_is_refused() {
    let mut app = demo_app();
    press(&mut app, "y");
    press(&mut app, "n");
    assert!(matches!(&app.overlay, Some(Overlay::Form(f)) if f.value(0) == "Customer-centricity"));
    key(&mut app, KeyCode::Tab);
    update(&mut app, Action::Paste("Clients asked for evening hours".into()));
    for _ in 0..3 {
        key(&mut app, KeyCode::Tab);
    }
    update(&mut app, Action::Paste("Nowhere".into()));
    assert!(key(&mut app, KeyCode::Enter).is_empty(), "an unknown pilot is refused");
    let Some(Overlay::Form(form)) = &mut app.overlay else { panic!("the form stays open") };
    assert!(form.error.as_deref().is_some_and(|e| e.starts_with("Scope:")), "{:?}", form.error);
    form.fields[4].input = text_input::TextInput::new("Omavalmentaja");
    let effects = key(&mut app, KeyCode::Enter);
    let s = saved_synthesis(&effects);
    let f = s.findings.last().unwrap();
    assert_eq!(f.what, "Clients asked for evening hours");
    assert_eq!(f.scope, crate::domain::synthesis::Scope::Local("p2".into()));
    assert!(!app.data.synthesis.findings.iter().any(|g| g.id == f.id), "a new id, never reused");
}

#[test]
fn a_cited_finding_cannot_be_deleted_and_an_action_is_tracked() {
    let mut app = demo_app();
    press(&mut app, "y");
    key(&mut app, KeyCode::Tab);
    assert!(press(&mut app, "d").is_empty());
    assert!(matches!(&app.status, Some(Status::Error(e)) if e.contains("cited by Recommendation")), "{:?}", app.status);
    assert!(app.overlay.is_none());

    // Track the first action of the first recommendation: status and note.
    press(&mut app, "2j");
    let synthesis::RecRow::Action(_, _, a) = rec_rows(&app.data.synthesis)[1] else { panic!("row 1 is an action") };
    let id = a.id.clone();
    press(&mut app, "e");
    let Some(Overlay::Form(form)) = &mut app.overlay else { panic!("no form") };
    form.fields[3].input = text_input::TextInput::new("done");
    form.fields[4].input = text_input::TextInput::new("Clause in the 2021 model contract");
    let effects = key(&mut app, KeyCode::Enter);
    let s = saved_synthesis(&effects);
    let a = s.recommendations.iter().flat_map(|r| &r.actions).find(|a| a.id == id).unwrap();
    assert_eq!(a.status, crate::domain::synthesis::ActionStatus::Done);
    assert_eq!(a.note, "Clause in the 2021 model contract");
}

#[test]
fn matrix_view_scrolls_and_the_footer_keys_follow_the_view() {
    let mut app = demo_app();
    press(&mut app, "y");
    let keys = |app: &App| app.keymap.active(app.layer()).iter().map(|b| b.cmd).collect::<Vec<_>>();
    assert!(keys(&app).contains(&keymap::Cmd::Cite));
    press(&mut app, "3");
    assert!(!keys(&app).contains(&keymap::Cmd::Cite) && !keys(&app).contains(&keymap::Cmd::MoveDown));
    press(&mut app, "jj");
    assert_eq!(view(&app).scroll, 2);
    press(&mut app, "2");
    assert!(keys(&app).contains(&keymap::Cmd::MoveDown));
}

fn picker(app: &App) -> &evidence_picker::EvidencePicker {
    match &app.overlay {
        Some(Overlay::EvidencePicker(p)) => p,
        other => panic!("no picker: {other:?}"),
    }
}

fn shown(app: &App) -> Vec<crate::domain::evidence::EvidenceRef> {
    picker(app).found().map(|c| c.evidence.clone()).collect()
}

#[test]
fn the_pickers_cached_list_follows_typing_and_is_rebuilt_when_the_data_changes() {
    let mut app = demo_app();
    press(&mut app, "y");
    key(&mut app, KeyCode::Tab);
    press(&mut app, "c");
    // Typing narrows, backspace widens, a paste replaces: always what a fresh search finds.
    for step in ["coa", "ch", "\u{8}\u{8}\u{8}", " lesson"] {
        if step.starts_with('\u{8}') {
            for _ in step.chars() {
                key(&mut app, KeyCode::Backspace);
            }
        } else {
            update(&mut app, Action::Paste(step.into()));
        }
        let query = picker(&app).query.value().to_string();
        let fresh: Vec<_> = evidence_picker::matches(&app.data, &query).into_iter().map(|c| c.evidence).collect();
        assert_eq!(shown(&app), fresh, "after {step:?} (query {query:?})");
        assert!(!fresh.is_empty());
    }
    // New data (someone records a lesson): the open picker lists it without a key press.
    let before = shown(&app).len();
    let mut data = app.data.clone();
    let statement = "Evening coaching hours doubled attendance";
    let lesson =
        crate::domain::objective::Lesson { statement: statement.into(), ..data.objectives[0].lessons[0].clone() };
    let lesson = crate::domain::objective::Lesson { id: 99, ..lesson };
    data.objectives[0].lessons.push(lesson);
    update(&mut app, Action::Loaded(data));
    assert_eq!(shown(&app).len(), before + 1);
    assert!(picker(&app).found().any(|c| c.line.contains(statement)));
}

fn conclusion_row(app: &App) -> Option<crate::domain::synthesis::Conclusion> {
    let evaluation = app.data.evaluation.clone().unwrap_or_default();
    match synthesis::conclusion_rows(&app.data.synthesis, &evaluation).get(view(app).conclusion) {
        Some(synthesis::ConclusionRow::Conclusion(c)) => Some((*c).clone()),
        _ => None,
    }
}

#[test]
fn conclusions_are_added_under_the_focused_question_edited_and_deleted_with_a_log_line() {
    let mut app = demo_app();
    press(&mut app, "y4");
    assert_eq!(view(&app).tab, Tab::Conclusions);
    assert_eq!(app.layer(), keymap::Layer::SynthesisConclusions);
    // Down to the first sub-question's header; n opens the form for that question.
    let evaluation = app.data.evaluation.clone().unwrap();
    let rows = synthesis::conclusion_rows(&app.data.synthesis, &evaluation);
    let sub1 = rows
        .iter()
        .position(|r| matches!(r, synthesis::ConclusionRow::Question(crate::domain::synthesis::QuestionRef::Sub(0), _)))
        .unwrap();
    for _ in 0..sub1 {
        press(&mut app, "j");
    }
    press(&mut app, "n");
    assert!(matches!(&app.overlay, Some(Overlay::Form(f)) if f.value(0) == "1"), "{:?}", app.overlay);
    key(&mut app, KeyCode::Tab);
    update(&mut app, Action::Paste("Purchasing lessons travel only with an agreed definition".into()));
    key(&mut app, KeyCode::Tab);
    update(&mut app, Action::Paste("f99".into()));
    assert!(key(&mut app, KeyCode::Enter).is_empty(), "a finding that does not exist is refused");
    let Some(Overlay::Form(form)) = &mut app.overlay else { panic!("the form stays open") };
    assert!(form.error.is_some());
    let first = app.data.synthesis.findings[0].id.clone();
    form.fields[2].input = text_input::TextInput::new(&first);
    let effects = key(&mut app, KeyCode::Enter);
    let s = saved_synthesis(&effects).clone();
    let added = s.conclusions.last().unwrap().clone();
    assert_eq!(added.question, crate::domain::synthesis::QuestionRef::Sub(0));
    assert_eq!(added.findings, vec![first]);
    assert!(matches!(&effects[0], Effect::Save { changeset, .. }
        if matches!(&changeset.log[0].what, crate::domain::ChangeWhat::Described { text } if text.contains(&added.id))));
    save(&mut app, effects);

    // Onto the new conclusion; edit moves it to the main question.
    while conclusion_row(&app).is_none_or(|c| c.id != added.id) {
        let before = view(&app).conclusion;
        press(&mut app, "j");
        assert_ne!(before, view(&app).conclusion, "the new conclusion is listed");
    }
    press(&mut app, "e");
    let Some(Overlay::Form(form)) = &mut app.overlay else { panic!("no edit form") };
    assert_eq!(form.value(1), added.text);
    form.fields[0].input = text_input::TextInput::new("7");
    assert!(key(&mut app, KeyCode::Enter).is_empty(), "there is no sub-question 7");
    let Some(Overlay::Form(form)) = &mut app.overlay else { panic!("the form stays open") };
    form.fields[0].input = text_input::TextInput::new("main");
    let effects = key(&mut app, KeyCode::Enter);
    let s = saved_synthesis(&effects).clone();
    assert_eq!(s.conclusion(&added.id).unwrap().question, crate::domain::synthesis::QuestionRef::Main);
    save(&mut app, effects);

    // Delete asks first, then saves without it.
    while conclusion_row(&app).is_none_or(|c| c.id != added.id) {
        press(&mut app, "k");
    }
    press(&mut app, "d");
    let Some(Overlay::Confirm(c)) = &app.overlay else { panic!("delete asks first") };
    assert!(c.on_yes.synthesis.as_ref().unwrap().conclusion(&added.id).is_none());
    assert_eq!(c.on_yes.log.len(), 1);
}
