//! Interviews driven by keys: note taking, coding, retrieval, search.

use chrono::NaiveDateTime;

use super::keys::{Key, KeyCode};
use super::tests::{demo_app, save};
use super::*;

fn press(app: &mut App, keys: &str) -> Vec<Effect> {
    keys.chars().flat_map(|c| update(app, Action::Key(Key::char(c)))).collect()
}

fn key(app: &mut App, code: KeyCode) -> Vec<Effect> {
    update(app, Action::Key(Key::plain(code)))
}

fn ctrl(app: &mut App, c: char) -> Vec<Effect> {
    update(app, Action::Key(Key::ctrl(c)))
}

fn at(s: &str) -> NaiveDateTime {
    NaiveDateTime::parse_from_str(s, "%Y-%m-%d %H:%M:%S").unwrap()
}

#[test]
fn a_new_interview_opens_its_notes_and_typing_is_autosaved_then_settled() {
    let mut app = demo_app();
    update(&mut app, Action::Tick(at("2020-03-16 10:00:00")));
    press(&mut app, "j");
    key(&mut app, KeyCode::Enter); // Omavalmentaja
    press(&mut app, "i");
    assert_eq!(app.layer(), Layer::Interviews);
    press(&mut app, "n");
    let Some(Overlay::Form(form)) = &mut app.overlay else { panic!("interview form") };
    assert_eq!(form.fields[0].input.value(), "Omavalmentaja");
    form.focus = 3;
    update(&mut app, Action::Paste("service".into()));
    key(&mut app, KeyCode::Tab);
    key(&mut app, KeyCode::Tab);
    update(&mut app, Action::Paste("mid".into()));
    let effects = key(&mut app, KeyCode::Enter);
    save(&mut app, effects);
    assert!(matches!(app.screen, Screen::Interview { .. }), "{:?}", app.screen);
    assert_eq!(app.layer(), Layer::Editor);

    press(&mut app, "Coach stayed the same?q");
    assert!(app.wants_autosave());
    let effects = update(&mut app, Action::Autosave);
    let [Effect::SaveDraft(draft)] = effects.as_slice() else { panic!("{effects:?}") };
    assert_eq!(draft.text, "Coach stayed the same?q", "q and ? type in the editor");
    assert!(!app.wants_autosave());
    update(&mut app, Action::DraftSaved);

    update(&mut app, Action::Tick(at("2020-03-16 10:12:34")));
    ctrl(&mut app, 't');
    ctrl(&mut app, 'o');
    assert_eq!(app.editor.as_ref().unwrap().text(), "> [12:34] Coach stayed the same?q");

    let effects = key(&mut app, KeyCode::Esc);
    let [Effect::Save { changeset, .. }] = effects.as_slice() else { panic!("{effects:?}") };
    assert_eq!(changeset.interviews[0].notes, "> [12:34] Coach stayed the same?q");
    assert_eq!(changeset.drop_drafts.len(), 1, "the draft is settled in the same write");
    assert!(app.editor.is_some(), "the editor stays open until the store confirms");
    save(&mut app, effects);
    assert!(app.editor.is_none());
}

#[test]
fn a_failed_save_keeps_the_notes_in_the_editor() {
    let mut app = demo_app();
    press(&mut app, "i");
    key(&mut app, KeyCode::Enter);
    press(&mut app, " more");
    let effects = key(&mut app, KeyCode::Esc);
    assert!(matches!(effects.as_slice(), [Effect::Save { .. }]));
    update(&mut app, Action::Failed("not saved: disk full".into()));
    let editor = app.editor.as_ref().expect("still open");
    assert!(editor.text().ends_with(" more"));
    assert!(app.wants_autosave(), "the typing goes to a draft at the next autosave");
    assert!(matches!(app.screen, Screen::Interview { .. }));
}

#[test]
fn the_code_picker_is_fuzzy_and_tags_the_paragraph() {
    let mut app = demo_app();
    press(&mut app, "i");
    key(&mut app, KeyCode::Enter);
    assert!(app.editor.is_some());
    ctrl(&mut app, 'g');
    assert_eq!(app.layer(), Layer::Picker);
    press(&mut app, "trst");
    key(&mut app, KeyCode::Enter);
    let text = app.editor.as_ref().unwrap().text();
    assert!(text.lines().last().unwrap().ends_with("#trust"), "{text}");
    assert_eq!(app.layer(), Layer::Editor);
}

#[test]
fn objectives_are_codable_targets() {
    let mut app = demo_app();
    press(&mut app, "j");
    key(&mut app, KeyCode::Enter);
    press(&mut app, "i");
    key(&mut app, KeyCode::Enter);
    let matches = app.picker_matches("customer-centricity realised");
    assert!(
        matches.iter().any(|(slug, label)| slug.starts_with('o') && label.starts_with("objective:")),
        "{matches:?}"
    );
}

#[test]
fn a_draft_left_behind_is_restored_on_open() {
    let mut app = demo_app();
    let id = app.data.interviews[0].id.clone();
    app.data.drafts.push(crate::domain::interview::NoteDraft {
        interview: id.clone(),
        text: "half-typed ä".into(),
        cursor: (0, 4),
        started: at("2020-03-16 09:00:00"),
        by: String::new(),
    });
    super::interviews::open_notes(&mut app, &id, None);
    let editor = app.editor.as_ref().unwrap();
    assert_eq!(editor.text(), "half-typed ä");
    assert_eq!(editor.cursor(), (0, 4));
    assert!(matches!(app.status, Some(Status::Info(ref m)) if m.contains("restored")));
}

#[test]
fn interviews_filter_by_tokens() {
    let mut app = demo_app();
    press(&mut app, "i");
    let all = app.interview_rows().len();
    press(&mut app, "f");
    assert_eq!(app.layer(), Layer::InterviewsFilter);
    update(&mut app, Action::Paste("round:mid #trust".into()));
    let rows = app.interview_rows();
    assert!(!rows.is_empty() && rows.len() < all);
    assert!(rows.iter().all(|i| i.round == "mid"));
}

#[test]
fn retrieval_opens_the_interview_at_the_segment() {
    let mut app = demo_app();
    press(&mut app, "c");
    let trust = app.data.codebook.codes.iter().position(|c| c.slug == "trust").unwrap();
    for _ in 0..trust {
        press(&mut app, "j");
    }
    let segments = app.code_segments().into_owned();
    assert!(segments.len() >= 3);
    key(&mut app, KeyCode::Tab);
    press(&mut app, "j");
    key(&mut app, KeyCode::Enter);
    let editor = app.editor.as_ref().expect("notes open");
    assert_eq!(editor.interview, segments[1].interview);
    assert_eq!(editor.cursor().0, segments[1].line);
}

#[test]
fn slash_searches_everywhere_but_filters_on_home() {
    let mut app = demo_app();
    press(&mut app, "/");
    assert_eq!(app.layer(), Layer::Filter, "on the home screen / filters pilots");
    key(&mut app, KeyCode::Esc);
    key(&mut app, KeyCode::Enter);
    press(&mut app, "/");
    assert_eq!(app.layer(), Layer::Search);
    update(&mut app, Action::Paste("partnership must be led".into()));
    assert!(!app.search_hits().is_empty());
    key(&mut app, KeyCode::Enter);
    assert!(app.editor.is_some() || matches!(app.screen, Screen::Objectives { .. }));
}

#[test]
fn the_footer_says_whether_the_notes_are_on_disk() {
    let mut app = demo_app();
    press(&mut app, "i");
    key(&mut app, KeyCode::Enter);
    press(&mut app, "x");
    let footer = |app: &App| {
        crate::ui::tests::screen_text(&crate::ui::tests::draw(app, 100, 24)).lines().last().unwrap().to_string()
    };
    assert!(footer(&app).contains("typing"), "{}", footer(&app));
    update(&mut app, Action::Autosave);
    update(&mut app, Action::DraftSaved);
    assert!(footer(&app).contains("draft saved"), "{}", footer(&app));
}

/// Two evaluators with the same notes open (over `oppi serve`): the second to leave the
/// editor keeps the first one's saved version and adds only what they typed themselves.
#[test]
fn notes_saved_elsewhere_meanwhile_are_merged_not_overwritten() {
    let mut app = demo_app();
    app.user = "anna".into();
    let id = app.data.interviews[0].id.clone();
    super::interviews::open_notes(&mut app, &id, None);
    let base = app.editor.as_ref().unwrap().text();
    assert_eq!(app.editor.as_ref().unwrap().draft().key_id(), format!("{id}/anna"), "anna's own draft");
    for c in "\nAnna's new line".chars() {
        let key = if c == '\n' { Key::plain(crate::app::keys::KeyCode::Enter) } else { Key::char(c) };
        update(&mut app, Action::Key(key));
    }
    // Meanwhile Ben saved the same notes with a line of his own.
    let mut data = app.data.clone();
    let theirs = format!("{base}\nBen's line");
    data.interviews.iter_mut().find(|i| i.id == id).unwrap().notes = theirs.clone();
    update(&mut app, Action::Loaded(data));
    let effects = update(&mut app, Action::Key(Key::plain(crate::app::keys::KeyCode::Esc)));
    let Some(Effect::Save { changeset, message }) = effects.into_iter().next() else { panic!("a save") };
    let notes = &changeset.interviews[0].notes;
    assert!(notes.starts_with(&theirs), "Ben's version is kept whole");
    assert!(notes.ends_with("Anna's new line"), "{notes}");
    assert_eq!(notes.matches("Ben's line").count(), 1);
    assert!(message.contains("merged"), "{message}");
}

/// Codes, their segments and search hits are derived in `update` and kept: a save that
/// brings a newly coded paragraph must show it on both screens, and one that removes it
/// must drop it again.
#[test]
fn codes_and_search_follow_saved_notes() {
    use std::borrow::Cow;
    let mut app = demo_app();
    press(&mut app, "c");
    let trust = app.data.codebook.codes.iter().position(|c| c.slug == "trust").unwrap();
    for _ in 0..trust {
        press(&mut app, "j");
    }
    let (segments, uses) = (app.code_segments().len(), app.code_counts()[trust].1);
    assert!(matches!(app.code_segments(), Cow::Borrowed(_)), "derived in update, not while drawing");
    let saved_notes = |app: &mut App, notes: String| {
        let mut data = app.data.clone();
        data.interviews[0].notes = notes;
        let saved = Changeset { interviews: vec![data.interviews[0].clone()], ..Default::default() };
        update(app, Action::Saved { data, saved, message: "saved".into() });
    };
    let before = app.data.interviews[0].notes.clone();
    saved_notes(&mut app, format!("{before}\n\nThe zebracorn pilot earned the residents' trust. #trust\n"));
    assert!(matches!(app.code_segments(), Cow::Borrowed(_)));
    assert_eq!(app.code_segments().len(), segments + 1);
    assert!(app.code_segments().iter().any(|s| s.text.contains("zebracorn")));
    assert_eq!(app.code_counts()[trust].1, uses + 1);

    update(&mut app, Action::Key(Key::plain(KeyCode::Esc)));
    press(&mut app, "F");
    assert!(matches!(app.screen, Screen::Search(_)));
    update(&mut app, Action::Paste("ZEBRACORN residents".into()));
    assert!(matches!(app.search_hits(), Cow::Borrowed(_)));
    let hits = app.search_hits().into_owned();
    assert!(
        matches!(hits.as_slice(), [crate::domain::retrieval::Hit::Note { interview, text, .. }]
            if *interview == app.data.interviews[0].id && text.contains("zebracorn")),
        "{hits:?}"
    );

    saved_notes(&mut app, before);
    assert!(app.search_hits().is_empty(), "the paragraph is gone");
    update(&mut app, Action::Key(Key::plain(KeyCode::Esc)));
    press(&mut app, "c");
    for _ in 0..trust {
        press(&mut app, "j");
    }
    assert_eq!((app.code_segments().len(), app.code_counts()[trust].1), (segments, uses));
}
