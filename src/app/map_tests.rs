//! The impact-map screen driven by keys.

use super::keys::{Key, KeyCode};
use super::tests::{demo_app, save};
use super::*;

fn press(app: &mut App, keys: &str) -> Vec<Effect> {
    keys.chars().flat_map(|c| update(app, Action::Key(Key::char(c)))).collect()
}

fn key(app: &mut App, code: KeyCode) -> Vec<Effect> {
    update(app, Action::Key(Key::plain(code)))
}

fn type_in(app: &mut App, text: &str) {
    update(app, Action::Paste(text.into()));
}

fn open_map(app: &mut App, pilot_row: usize) {
    for _ in 0..pilot_row {
        press(app, "j");
    }
    key(app, KeyCode::Enter);
    press(app, "m");
}

fn view(app: &App) -> &map::MapView {
    let Screen::Map(v) = &app.screen else { panic!("map screen expected, got {:?}", app.screen) };
    v
}

#[test]
fn build_a_map_with_the_keyboard_and_link_two_nodes() {
    let mut app = demo_app();
    open_map(&mut app, 0); // ICT-rekry has no map yet
    assert_eq!(app.layer(), Layer::Map);
    press(&mut app, "ll"); // Activities
    press(&mut app, "a");
    type_in(&mut app, "Sector team matches ICT job seekers and employers");
    let effects = key(&mut app, KeyCode::Enter);
    save(&mut app, effects);
    press(&mut app, "ll"); // Outcomes
    press(&mut app, "a");
    type_in(&mut app, "ICT vacancies filled faster");
    key(&mut app, KeyCode::Tab);
    type_in(&mut app, "organisation");
    let effects = key(&mut app, KeyCode::Enter);
    save(&mut app, effects);
    let map = app.data.map("p1").unwrap();
    assert_eq!(map.nodes.len(), 2);
    assert_eq!(map.nodes[1].level, Some(crate::domain::impact::Level::Organisation));

    // Link mode: from the outcome back to the activity is allowed but flagged; go forward instead.
    press(&mut app, "hh");
    press(&mut app, "L");
    assert_eq!(app.layer(), Layer::MapLink);
    press(&mut app, "ll");
    key(&mut app, KeyCode::Enter);
    assert!(matches!(app.overlay, Some(Overlay::Form(_))), "link form opens");
    type_in(&mut app, "If one team knows the sector, then matches are faster");
    key(&mut app, KeyCode::Tab);
    type_in(&mut app, "holding: employers use the team");
    let effects = key(&mut app, KeyCode::Enter);
    save(&mut app, effects);
    let map = app.data.map("p1").unwrap();
    assert_eq!(map.links.len(), 1);
    assert_eq!(map.links[0].assumptions[0].status, crate::domain::impact::AssumptionStatus::Holding);
    assert!(app.data.changelog_of("p1").any(|e| e.summary().starts_with("map: linked")));

    // Follow the link back to its source.
    key(&mut app, KeyCode::Enter);
    assert_eq!(view(&app).layer, 2);
}

#[test]
fn esc_cancels_link_mode_before_leaving_the_map() {
    let mut app = demo_app();
    open_map(&mut app, 1);
    press(&mut app, "L");
    key(&mut app, KeyCode::Esc);
    assert_eq!(app.layer(), Layer::Map);
    key(&mut app, KeyCode::Esc);
    assert!(matches!(app.screen, Screen::Pilot { .. }));
}

#[test]
fn delete_asks_and_freeze_names_a_revision() {
    let mut app = demo_app();
    open_map(&mut app, 1); // Omavalmentaja
    let before = app.data.map("p2").unwrap().nodes.len();
    press(&mut app, "d");
    assert_eq!(app.layer(), Layer::Confirm);
    press(&mut app, "n");
    assert_eq!(app.data.map("p2").unwrap().nodes.len(), before);
    press(&mut app, "f");
    update(&mut app, Action::Key(Key::ctrl('u')));
    type_in(&mut app, "final 2020-12");
    let effects = key(&mut app, KeyCode::Enter);
    save(&mut app, effects);
    assert_eq!(app.data.map("p2").unwrap().revisions.len(), 3);
    press(&mut app, "v");
    let Some(Overlay::Text { lines, .. }) = &app.overlay else { panic!() };
    assert!(lines.iter().any(|l| l == "redefined 2019-09 → final 2020-12"), "{lines:?}");
}

#[test]
fn checks_and_indicator_values_from_the_keyboard() {
    let mut app = demo_app();
    open_map(&mut app, 1);
    press(&mut app, "llll"); // Outcomes: "Clients' motivation and work ability improve"
    press(&mut app, "o");
    type_in(&mut app, "6,9");
    let effects = key(&mut app, KeyCode::Enter);
    save(&mut app, effects);
    let map = app.data.map("p2").unwrap();
    let ind = map.indicators.iter().find(|i| i.name.starts_with("Self-rated")).unwrap();
    assert_eq!(ind.observations.last().unwrap().value, 6.9);
    press(&mut app, "c");
    let Some(Overlay::Text { lines, .. }) = &app.overlay else { panic!() };
    assert!(lines.iter().any(|l| l.contains("no agreed target") || l.contains("target")), "{lines:?}");
}

#[test]
fn objectives_per_pilot_and_by_theme() {
    let mut app = demo_app();
    press(&mut app, "j");
    key(&mut app, KeyCode::Enter);
    press(&mut app, "o");
    assert_eq!(app.objective_rows().len(), 2);
    press(&mut app, "l");
    type_in(&mut app, "Result fees changed who was referred");
    let effects = key(&mut app, KeyCode::Enter);
    save(&mut app, effects);
    assert_eq!(app.objective_rows()[0].lessons.len(), 2);
    press(&mut app, "n");
    type_in(&mut app, "Who benefits from follow-up?");
    key(&mut app, KeyCode::Tab);
    type_in(&mut app, "no such theme");
    assert!(key(&mut app, KeyCode::Enter).is_empty(), "unknown themes are refused");
    key(&mut app, KeyCode::Esc);
    press(&mut app, "q");
    press(&mut app, "q");
    press(&mut app, "O");
    let themes: Vec<_> = app.objective_rows().iter().map(|o| o.theme.clone()).collect();
    assert_eq!(themes[0], "Customer-centricity", "codebook order: {themes:?}");
}

#[test]
fn indicator_table_steps_through_names() {
    let mut app = demo_app();
    press(&mut app, "I");
    assert_eq!(app.screen, Screen::Indicators { selected: 0 });
    press(&mut app, "l");
    assert_eq!(app.screen, Screen::Indicators { selected: 1 });
    let names = app.indicator_names();
    assert!(names.contains(&"Clients started".to_string()));
    press(&mut app, "q");
    assert_eq!(app.screen, Screen::Home);
}

#[test]
fn an_objective_is_pointed_at_map_nodes_by_id() {
    let mut app = demo_app();
    press(&mut app, "j");
    key(&mut app, KeyCode::Enter);
    press(&mut app, "o");
    press(&mut app, "e");
    let Some(Overlay::Form(form)) = &mut app.overlay else { panic!() };
    form.focus = 3;
    update(&mut app, Action::Key(Key::ctrl('u')));
    type_in(&mut app, "n4, n99");
    assert!(key(&mut app, KeyCode::Enter).is_empty(), "n99 does not exist");
    update(&mut app, Action::Key(Key::ctrl('u')));
    type_in(&mut app, "ä4");
    assert!(key(&mut app, KeyCode::Enter).is_empty(), "a non-ASCII id is an error, not a crash");
    update(&mut app, Action::Key(Key::ctrl('u')));
    type_in(&mut app, "n4, l11");
    let effects = key(&mut app, KeyCode::Enter);
    save(&mut app, effects);
    let o = app.objective_rows()[0];
    assert_eq!(o.targets.len(), 2);
}

#[test]
fn a_lesson_cites_an_interview_paragraph_as_evidence() {
    let mut app = demo_app();
    let interview = app.data.interviews.iter().find(|i| i.pilots.contains(&"p2".to_string())).unwrap().clone();
    let quote = interview.paragraphs().into_iter().find(|p| p.quote).expect("a quote");
    press(&mut app, "j");
    key(&mut app, KeyCode::Enter);
    press(&mut app, "o");
    press(&mut app, "l");
    type_in(&mut app, "Continuity builds trust");
    key(&mut app, KeyCode::Tab);
    key(&mut app, KeyCode::Tab);
    type_in(&mut app, &format!("{}:{}; {}:99", interview.id, quote.number, interview.id));
    assert!(key(&mut app, KeyCode::Enter).is_empty(), "paragraph 99 does not exist");
    update(&mut app, Action::Key(Key::ctrl('u')));
    type_in(&mut app, &format!("{}:{}; Steering group memo 3/2020", interview.id, quote.number));
    let effects = key(&mut app, KeyCode::Enter);
    save(&mut app, effects);
    let lesson = app.objective_rows()[0].lessons.last().unwrap().clone();
    assert_eq!(lesson.evidence.len(), 2);
    assert!(matches!(lesson.evidence[0], crate::domain::evidence::EvidenceRef::Quote { .. }));
}

#[test]
fn a_node_with_two_indicators_takes_values_for_each() {
    let mut app = demo_app();
    open_map(&mut app, 1); // Omavalmentaja
    press(&mut app, "llll"); // Outcomes: motivation and work ability
    press(&mut app, "i");
    type_in(&mut app, "Motivation 0–10 (client survey)");
    let effects = key(&mut app, KeyCode::Enter);
    save(&mut app, effects);
    press(&mut app, "o");
    let Some(Overlay::Form(form)) = &mut app.overlay else { panic!() };
    form.focus = 4;
    update(&mut app, Action::Key(Key::ctrl('u')));
    type_in(&mut app, "motivation");
    let Some(Overlay::Form(form)) = &mut app.overlay else { panic!() };
    form.focus = 0;
    type_in(&mut app, "7,1");
    let effects = key(&mut app, KeyCode::Enter);
    save(&mut app, effects);
    let map = app.data.map("p2").unwrap();
    let motivation = map.indicators.iter().find(|i| i.name.starts_with("Motivation")).unwrap();
    assert_eq!(motivation.observations.len(), 1);
    assert_eq!(motivation.observations[0].value, 7.1);
}

#[test]
fn editing_a_link_keeps_every_assumption() {
    let mut app = demo_app();
    let mut map = app.data.map("p2").unwrap().clone();
    let link = map.links[0].id;
    for n in 0..4 {
        map.link_mut(link).unwrap().assumptions.push(crate::domain::impact::Assumption {
            text: format!("extra {n}"),
            status: crate::domain::impact::AssumptionStatus::Untested,
            evidence: vec![],
        });
    }
    let count = map.link(link).unwrap().assumptions.len();
    let form = super::map_forms::MapForm::edit_link(&map, map.link(link).unwrap());
    assert_eq!(form.fields.len(), 1 + count + 1, "every assumption plus one empty slot");
    app.data.maps.retain(|m| m.pilot != "p2");
    app.data.maps.push(map);
    app.overlay = Some(Overlay::Form(form));
    let effects = key(&mut app, KeyCode::Enter);
    let [Effect::Save { changeset, .. }] = effects.as_slice() else { panic!("{effects:?}") };
    assert_eq!(changeset.maps[0].link(link).unwrap().assumptions.len(), count, "no assumption dropped");
}
