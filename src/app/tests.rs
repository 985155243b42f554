//! The app driven the way a session drives it: keys in, state and effects out.

use chrono::NaiveDate;

use super::keymap::Keymap;
use super::keys::{Key, KeyCode};
use super::*;
use crate::demo;
use crate::domain::{ChangeWhat, PilotStatus};

fn today() -> NaiveDate {
    NaiveDate::from_ymd_opt(2020, 3, 16).unwrap()
}

pub(crate) fn demo_app() -> App {
    let mut app = App::new(Keymap::default_keys(), "tester", today(), "test");
    let mut objectives = demo::objectives();
    for (i, o) in objectives.iter_mut().enumerate() {
        o.id = format!("o{}", i + 16);
    }
    let interviews: Vec<_> = demo::interviews()
        .into_iter()
        .enumerate()
        .map(|(i, mut interview)| {
            interview.id = format!("i{}", i + 23);
            interview
        })
        .collect();
    // The ids the store gives: pilots, objectives and interviews first, then the workshop.
    // The workshop itself is left out: the workshop tests add their own.
    let mut workshop = demo::workshop_for_tests();
    workshop.id = format!("w{}", 23 + interviews.len());
    let synthesis = demo::synthesis_for_tests(&interviews, &objectives, &workshop);
    let data = Data {
        evaluation: Some(demo::evaluation()),
        pilots: demo::pilots(),
        maps: demo::maps(),
        objectives,
        interviews,
        synthesis,
        codebook: demo::codebook(&demo::evaluation().themes),
        surveys: crate::surveys::built_in(),
        responses: std::sync::Arc::new(demo::surveys::responses()),
        ..Default::default()
    };
    update(&mut app, Action::Loaded(data));
    app
}

fn press(app: &mut App, keys: &str) -> Vec<Effect> {
    let mut effects = Vec::new();
    for c in keys.chars() {
        effects.extend(update(app, Action::Key(Key::char(c))));
    }
    effects
}

fn key(app: &mut App, code: KeyCode) -> Vec<Effect> {
    update(app, Action::Key(Key::plain(code)))
}

/// Plays the store's part: applies a save and reports it back.
pub(crate) fn save(app: &mut App, effects: Vec<Effect>) {
    for effect in effects {
        if let Effect::Save { mut changeset, message } = effect {
            let mut data = app.data.clone();
            for p in &mut changeset.pilots {
                if p.id.is_empty() {
                    p.id = format!("p{}", data.pilots.len() + 1);
                }
                match data.pilots.iter_mut().find(|q| q.id == p.id) {
                    Some(q) => *q = p.clone(),
                    None => data.pilots.push(p.clone()),
                }
            }
            for o in &mut changeset.objectives {
                if o.id.is_empty() {
                    o.id = format!("o{}", 100 + data.objectives.len());
                }
                match data.objectives.iter_mut().find(|q| q.id == o.id) {
                    Some(q) => *q = o.clone(),
                    None => data.objectives.push(o.clone()),
                }
            }
            for i in &mut changeset.interviews {
                if i.id.is_empty() {
                    i.id = format!("i{}", 100 + data.interviews.len());
                }
                match data.interviews.iter_mut().find(|q| q.id == i.id) {
                    Some(q) => *q = i.clone(),
                    None => data.interviews.push(i.clone()),
                }
            }
            for m in &changeset.maps {
                match data.maps.iter_mut().find(|q| q.pilot == m.pilot) {
                    Some(q) => *q = m.clone(),
                    None => data.maps.push(m.clone()),
                }
            }
            if let Some(e) = &changeset.evaluation {
                data.evaluation = Some(e.clone());
            }
            if let Some(s) = &changeset.synthesis {
                data.synthesis = s.clone();
            }
            data.changelog.extend(changeset.log.clone());
            update(app, Action::Saved { data, saved: changeset, message });
        }
    }
}

#[test]
fn empty_store_shows_welcome_and_creates_an_evaluation() {
    let mut app = App::new(Keymap::default_keys(), "tester", today(), "test");
    update(&mut app, Action::Loaded(Data::default()));
    assert_eq!(app.screen, Screen::Welcome);
    press(&mut app, "n");
    assert!(matches!(app.overlay, Some(Overlay::Form(_))));
    update(&mut app, Action::Paste("Kainuu evaluation".into()));
    let effects = key(&mut app, KeyCode::Enter);
    let [Effect::Save { changeset, .. }] = effects.as_slice() else { panic!("expected one save, got {effects:?}") };
    assert_eq!(changeset.evaluation.as_ref().unwrap().title, "Kainuu evaluation");
    save(&mut app, effects);
    assert_eq!(app.screen, Screen::Home);
}

#[test]
fn filter_narrows_as_you_type_and_esc_clears() {
    let mut app = demo_app();
    press(&mut app, "/savo");
    assert_eq!(app.layer(), Layer::Filter);
    let names: Vec<_> = app.home_rows().iter().map(|p| p.name.clone()).collect();
    assert_eq!(names, vec!["Pohjois-Savo challenge competition"]);
    key(&mut app, KeyCode::Esc);
    assert_eq!(app.home_rows().len(), app.data.pilots.len());
    assert_eq!(app.layer(), Layer::Home);
}

#[test]
fn filter_matches_alternative_names_and_status() {
    let mut app = demo_app();
    press(&mut app, "/personal coach");
    assert_eq!(app.home_rows()[0].name, "Omavalmentaja");
    key(&mut app, KeyCode::Enter);
    assert_eq!(app.layer(), Layer::Home, "enter keeps the filter and leaves the box");
    key(&mut app, KeyCode::Esc);
    press(&mut app, "/suspended");
    assert_eq!(app.home_rows()[0].name, "Innorekry");
}

#[test]
fn sort_cycles_and_ties_keep_portfolio_order() {
    let mut app = demo_app();
    press(&mut app, "ss");
    assert_eq!(app.home.sort, SortColumn::Region);
    let regions: Vec<_> = app.home_rows().iter().map(|p| p.region.clone()).collect();
    let mut sorted = regions.clone();
    sorted.sort_by_key(|r| r.to_lowercase());
    assert_eq!(regions, sorted);
    let hame: Vec<_> = app.home_rows().iter().filter(|p| p.region == "Häme").map(|p| p.id.clone()).collect();
    assert_eq!(hame, vec!["p5", "p6"]);
    press(&mut app, "S");
    assert_eq!(app.home_rows()[0].region, "Varsinais-Suomi");
}

#[test]
fn open_back_and_step_between_pilots() {
    let mut app = demo_app();
    press(&mut app, "jj");
    key(&mut app, KeyCode::Enter);
    assert_eq!(app.screen, Screen::Pilot { id: "p3".into(), scroll: 0 });
    press(&mut app, "J");
    assert_eq!(app.screen, Screen::Pilot { id: "p4".into(), scroll: 0 });
    press(&mut app, "q");
    assert_eq!(app.screen, Screen::Home);
    assert_eq!(app.home.selected, 3, "back returns to the pilot's row");
    let effects = press(&mut app, "q");
    assert_eq!(effects, vec![Effect::Quit]);
    assert!(app.should_quit);
}

#[test]
fn editing_status_logs_the_change_and_keeps_history() {
    let mut app = demo_app();
    key(&mut app, KeyCode::Enter);
    press(&mut app, "e");
    let Some(Overlay::Form(form)) = &mut app.overlay else { panic!("edit form expected") };
    form.focus = form.fields.iter().position(|f| f.label == "Status").unwrap();
    update(&mut app, Action::Key(Key::ctrl('u')));
    update(&mut app, Action::Paste("suspended".into()));
    let effects = key(&mut app, KeyCode::Enter);
    let [Effect::Save { changeset, .. }] = effects.as_slice() else { panic!("{effects:?}") };
    let ChangeWhat::Edited { changes } = &changeset.log[0].what else { panic!() };
    assert_eq!(changes[0].field, "status");
    assert_eq!(changes[0].new, "suspended");
    save(&mut app, effects);
    let p = app.data.pilot("p1").unwrap();
    assert_eq!(p.status(), PilotStatus::Suspended);
    assert_eq!(p.status_history.len(), 2);
    assert!(matches!(app.status, Some(Status::Saved(_))));
}

#[test]
fn a_bad_value_keeps_the_form_open_with_the_error() {
    let mut app = demo_app();
    key(&mut app, KeyCode::Enter);
    press(&mut app, "e");
    let Some(Overlay::Form(form)) = &mut app.overlay else { panic!() };
    form.focus = form.fields.iter().position(|f| f.label == "Planned participants").unwrap();
    update(&mut app, Action::Paste("lots".into()));
    let effects = key(&mut app, KeyCode::Enter);
    assert!(effects.is_empty());
    let Some(Overlay::Form(form)) = &app.overlay else { panic!("form must stay open") };
    assert!(form.error.as_deref().unwrap().contains("not a whole number"));
}

#[test]
fn new_pilot_opens_after_saving_and_duplicates_are_refused() {
    let mut app = demo_app();
    press(&mut app, "n");
    update(&mut app, Action::Paste("AIMO".into()));
    let effects = key(&mut app, KeyCode::Enter);
    assert!(effects.is_empty(), "a pilot named by an alternative name already exists");
    update(&mut app, Action::Key(Key::ctrl('u')));
    update(&mut app, Action::Paste("Kasvu".into()));
    let effects = key(&mut app, KeyCode::Enter);
    save(&mut app, effects);
    assert_eq!(app.screen, Screen::Pilot { id: "p16".into(), scroll: 0 });
}

#[test]
fn archive_asks_first_and_no_keeps_everything() {
    let mut app = demo_app();
    key(&mut app, KeyCode::Enter);
    assert!(press(&mut app, "a").is_empty());
    assert_eq!(app.layer(), Layer::Confirm);
    assert!(press(&mut app, "n").is_empty());
    assert!(!app.data.pilot("p1").unwrap().archived);
    press(&mut app, "a");
    let effects = press(&mut app, "y");
    save(&mut app, effects);
    assert!(app.data.pilot("p1").unwrap().archived);
    press(&mut app, "q");
    assert!(app.home_rows().iter().all(|p| p.id != "p1"), "archived pilots are hidden");
    press(&mut app, "A");
    assert!(app.home_rows().iter().any(|p| p.id == "p1"));
}

#[test]
fn help_opens_everywhere_and_q_in_a_form_types() {
    let mut app = demo_app();
    press(&mut app, "?");
    assert_eq!(app.layer(), Layer::Help);
    key(&mut app, KeyCode::Esc);
    press(&mut app, "n");
    press(&mut app, "q?");
    let Some(Overlay::Form(form)) = &app.overlay else { panic!() };
    assert_eq!(form.fields[0].input.value(), "q?");
    assert!(!app.should_quit);
    update(&mut app, Action::Key(Key::ctrl('c')));
    assert!(app.overlay.is_none(), "ctrl-c cancels the form, it does not quit");
}

#[test]
fn failed_save_is_shown_and_next_key_clears_it() {
    let mut app = demo_app();
    update(&mut app, Action::Failed("not saved: disk full".into()));
    assert_eq!(app.status, Some(Status::Error("not saved: disk full".into())));
    press(&mut app, "j");
    assert_eq!(app.status, None);
}

#[test]
fn selection_stays_in_range_when_rows_shrink() {
    let mut app = demo_app();
    key(&mut app, KeyCode::End);
    assert_eq!(app.home.selected, 14);
    press(&mut app, "/innorekry");
    assert_eq!(app.home.selected, 0);
    let mut data = app.data.clone();
    data.pilots.truncate(3);
    key(&mut app, KeyCode::Esc);
    key(&mut app, KeyCode::End);
    update(&mut app, Action::Loaded(data));
    assert_eq!(app.home.selected, 2);
}

#[test]
fn an_unbound_key_still_clears_the_status_line_from_the_screen() {
    let mut app = demo_app();
    update(&mut app, Action::Failed("not saved".into()));
    app.dirty = false;
    press(&mut app, "Z");
    assert!(app.status.is_none());
    assert!(app.dirty, "the old message must be redrawn away");
}
