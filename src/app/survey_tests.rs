//! The survey screens driven by keys: tally filters and breakdowns, coverage, and a
//! response entered at the keyboard that follows the survey's skip logic.

use super::keys::{Key, KeyCode};
use super::survey_entry::{Entry, Step};
use super::survey_view::{TallyView, coverage};
use super::tests::demo_app;
use super::*;
use crate::domain::survey::{Answer, Pick, Response, Survey};

fn press(app: &mut App, keys: &str) -> Vec<Effect> {
    keys.chars().flat_map(|c| update(app, Action::Key(Key::char(c)))).collect()
}

fn key(app: &mut App, code: KeyCode) -> Vec<Effect> {
    update(app, Action::Key(Key::plain(code)))
}

fn enter(app: &mut App) -> Vec<Effect> {
    key(app, KeyCode::Enter)
}

fn view(app: &App) -> &TallyView {
    let Screen::Tally(v) = &app.screen else { panic!("tally screen expected, got {:?}", app.screen) };
    v
}

fn entry(app: &App) -> &Entry {
    let Some(Overlay::SurveyEntry(e)) = &app.overlay else { panic!("response entry expected, got {:?}", app.overlay) };
    e
}

/// The page the entry shows: the item's id, or the step.
fn page(app: &App) -> String {
    let e = entry(app);
    match e.step {
        Step::Item(i) => e.survey.items[i].id.clone(),
        other => format!("{other:?}"),
    }
}

/// Opens the tally of the survey at `row` of the survey list (client, partner, pulse).
fn open_tally(app: &mut App, row: usize) {
    press(app, "U");
    assert_eq!(app.layer(), Layer::Surveys);
    for _ in 0..row {
        press(app, "j");
    }
    enter(app);
    assert_eq!(app.layer(), Layer::Tally);
}

fn respondents(app: &App) -> u64 {
    view(app).tally.as_ref().expect("a tally").respondents
}

#[test]
fn surveys_list_opens_from_home_and_goes_back() {
    let mut app = demo_app();
    press(&mut app, "U");
    assert_eq!(app.screen, Screen::Surveys { selected: 0 });
    press(&mut app, "jjjjj");
    assert_eq!(app.screen, Screen::Surveys { selected: 2 }, "the selection stops at the last survey");
    press(&mut app, "q");
    assert_eq!(app.screen, Screen::Home);
}

#[test]
fn tally_filters_by_pilot_and_round_in_portfolio_order() {
    let mut app = demo_app();
    open_tally(&mut app, 0);
    assert_eq!(view(&app).survey, "client-2020");
    assert_eq!(respondents(&app), 520);

    press(&mut app, "r");
    assert_eq!((view(&app).round, respondents(&app)), (Some(1), 300));
    press(&mut app, "r");
    assert_eq!((view(&app).round, respondents(&app)), (Some(2), 220));
    press(&mut app, "r");
    assert_eq!((view(&app).round, respondents(&app)), (None, 520));

    // Pilots that answered, in portfolio order (never by how many answered).
    let mut seen = Vec::new();
    for _ in 0..5 {
        press(&mut app, "p");
        let pilot = view(&app).pilot.clone().expect("a pilot");
        let expected =
            app.data.survey_responses("client-2020").iter().filter(|r| r.pilot == Some(pilot.clone())).count();
        assert_eq!(respondents(&app), expected as u64, "{pilot}");
        seen.push(pilot);
    }
    assert_eq!(seen, ["p2", "p3", "p5", "p7", "p10"]);
    press(&mut app, "p");
    assert_eq!(view(&app).pilot, None, "after the last pilot comes 'all' again");
    assert_eq!(respondents(&app), 520);

    press(&mut app, "q");
    assert_eq!(app.screen, Screen::Surveys { selected: 0 });
}

#[test]
fn breakdown_cycles_single_choice_items_and_keeps_the_disagreement() {
    let mut app = demo_app();
    open_tally(&mut app, 1);
    assert_eq!(view(&app).survey, "partner-2020");
    let mut cycle = Vec::new();
    for _ in 0..4 {
        press(&mut app, "b");
        cycle.push(view(&app).by.clone());
    }
    assert_eq!(cycle, [Some("pilot".to_string()), Some("org".into()), Some("results_vs_expectations".into()), None]);
    press(&mut app, "bb");
    let t = view(&app).tally.clone().unwrap();
    let agree = |group: &str| {
        let g = t.group(group).unwrap().item("goals_clear").unwrap();
        (100.0 * (g.count("4").unwrap() + g.count("5").unwrap()) as f64 / g.n as f64).round()
    };
    assert_eq!((agree("TE office"), agree("Company")), (48.0, 92.0));

    // ←→ scroll the group columns; the renderer clamps what is past the end.
    press(&mut app, "ll");
    assert_eq!(view(&app).column, 2);
    press(&mut app, "h");
    assert_eq!(view(&app).column, 1);

    // The partner survey has no rounds: r says so and changes nothing.
    press(&mut app, "r");
    assert_eq!(view(&app).round, None);
    assert!(matches!(&app.status, Some(Status::Info(m)) if m.contains("no responses carry a round")));
}

#[test]
fn coverage_lists_every_pilot_including_those_that_never_answered() {
    let mut app = demo_app();
    open_tally(&mut app, 2);
    press(&mut app, "c");
    assert!(view(&app).coverage);
    let cov = coverage(&app.data, "pulse-monthly");
    assert_eq!(cov.rounds, (1..=12).map(Some).collect::<Vec<_>>());
    let names: Vec<&str> = cov.rows.iter().map(|r| r.pilot.as_deref().unwrap()).collect();
    let portfolio: Vec<&str> = app.data.pilots.iter().map(|p| p.id.as_str()).collect();
    assert_eq!(names, portfolio, "every pilot, in portfolio order");
    assert_eq!(cov.answered(), 4);
    let omavalmentaja = cov.rows.iter().find(|r| r.pilot.as_deref() == Some("p2")).unwrap();
    assert_eq!((omavalmentaja.counts.clone(), omavalmentaja.total), (vec![1; 12], 12));
    assert_eq!(cov.rows[0].total, 0, "ICT-rekry never answered the pulse");

    // Responses without a round get their own column.
    let partner = coverage(&app.data, "partner-2020");
    assert_eq!(partner.rounds, vec![None]);
    assert_eq!(partner.rows.iter().map(|r| r.total).sum::<u64>(), 73);
    press(&mut app, "c");
    assert!(!view(&app).coverage);
}

/// Partner survey, TE office, results better than expected: `below_why` is skipped,
/// `sig_employers` (companies and TE offices only) is asked.
#[test]
fn a_response_entered_at_the_keyboard_follows_skip_logic_and_is_saved() {
    let mut app = demo_app();
    open_tally(&mut app, 1);
    press(&mut app, "n");
    assert_eq!(app.layer(), Layer::SurveyEntry);
    assert_eq!(page(&app), "Pilot");
    press(&mut app, "2"); // Omavalmentaja: no other pilot number starts with 2
    assert_eq!(page(&app), "Round");
    enter(&mut app); // the partner survey has no rounds
    assert_eq!(page(&app), "Respondent");
    update(&mut app, Action::Paste("T-1".into()));
    enter(&mut app);
    assert_eq!(page(&app), "pilot");
    press(&mut app, "2"); // the survey's own "which pilot" item
    assert_eq!(page(&app), "org");
    press(&mut app, "1"); // TE office
    assert_eq!(page(&app), "role");
    press(&mut app, "12"); // multi: digits toggle
    enter(&mut app);
    press(&mut app, "4"); // trust
    press(&mut app, "d"); // coop_culture: can't say
    press(&mut app, "5"); // goals_clear
    press(&mut app, "4"); // practical_smooth
    assert_eq!(page(&app), "time_spent");
    press(&mut app, "12");
    enter(&mut app);
    assert_eq!(page(&app), "results_vs_expectations");
    press(&mut app, "1"); // better than expected
    assert_eq!(page(&app), "sig_clients", "below_why is asked only when results fell short");
    press(&mut app, "33d");
    assert_eq!(page(&app), "sig_employers", "asked of TE offices");
    press(&mut app, "4");
    assert_eq!(page(&app), "lessons");
    update(&mut app, Action::Paste("Trust takes time".into()));
    enter(&mut app);
    assert_eq!(page(&app), "Summary");

    let effects = enter(&mut app);
    let [Effect::SaveResponse { survey, response }] = effects.as_slice() else { panic!("{effects:?}") };
    assert_eq!(survey.id, "partner-2020");
    assert_eq!(response.pilot.as_deref(), Some("p2"));
    assert_eq!((response.round, response.respondent.as_deref()), (None, Some("T-1")));
    assert_eq!(response.submitted.as_deref(), Some("2020-03-16"));
    let a = &response.answers;
    assert_eq!(a["org"], Answer::Choice("TE office".into()));
    assert_eq!(a["role"], Answer::Multi(vec![Pick::Choice("planning".into()), Pick::Choice("steering".into())]));
    assert_eq!(a["coop_culture"], Answer::DontKnow);
    assert_eq!(a["goals_clear"], Answer::Scale(5));
    assert_eq!(a["time_spent"], Answer::Number(12.0));
    assert_eq!(a["sig_transfer"], Answer::DontKnow);
    assert_eq!(a["sig_employers"], Answer::Scale(4));
    assert_eq!(a["lessons"], Answer::Text("Trust takes time".into()));
    assert!(!a.contains_key("below_why"));
    let pilots = app.data.pilots.clone();
    let matcher = super::survey_view::pilot_matcher(&pilots);
    let problems = crate::surveys::table::check_relevance(survey, response, |name| matcher("p2", name));
    assert!(problems.is_empty(), "{problems:?}");

    // The overlay stays until the store confirms; then the tally counts the new response.
    assert_eq!(app.layer(), Layer::SurveyEntry);
    let mut data = app.data.clone();
    std::sync::Arc::make_mut(&mut data.responses)
        .iter_mut()
        .find(|(id, _)| id == "partner-2020")
        .unwrap()
        .1
        .push(response.clone());
    update(&mut app, Action::ResponseSaved { data, message: "response saved".into() });
    assert!(app.overlay.is_none());
    assert!(matches!(app.status, Some(Status::Saved(_))));
    assert_eq!(respondents(&app), 74);
}

#[test]
fn changing_an_earlier_answer_changes_which_items_follow() {
    let mut app = demo_app();
    open_tally(&mut app, 1);
    press(&mut app, "n2");
    enter(&mut app);
    enter(&mut app);
    press(&mut app, "2"); // item pilot
    press(&mut app, "2"); // org: municipality
    enter(&mut app); // role: none
    press(&mut app, "4444");
    enter(&mut app); // time_spent: none
    press(&mut app, "3"); // results worse than expected
    assert_eq!(page(&app), "below_why");
    update(&mut app, Action::Paste("Too few referrals".into()));
    enter(&mut app);
    press(&mut app, "333");
    assert_eq!(page(&app), "lessons", "sig_employers is not asked of municipalities");

    // Back to the results item (backspace on an empty answer, then shift-tab) and change it.
    key(&mut app, KeyCode::Backspace);
    for _ in 0..4 {
        key(&mut app, KeyCode::BackTab);
    }
    assert_eq!(page(&app), "results_vs_expectations");
    assert_eq!(entry(&app).cursor, Some(2), "the earlier answer is shown");
    press(&mut app, "1");
    assert_eq!(page(&app), "sig_clients", "below_why is skipped now");
    let e = entry(&app);
    assert!(e.response.answers.contains_key("below_why"), "kept while entering, in case the user comes back");
    assert!(!e.finished(&app.data.pilots).answers.contains_key("below_why"), "but never saved");
}

#[test]
fn pilots_and_rounds_decide_which_client_items_are_asked() {
    let mut app = demo_app();
    open_tally(&mut app, 0);
    press(&mut app, "n3"); // Palvelumanageri
    assert_eq!(page(&app), "Round");
    assert_eq!(entry(&app).input.value(), "2", "the round most recently stored is offered");
    update(&mut app, Action::Key(Key::ctrl('u')));
    press(&mut app, "1");
    enter(&mut app);
    enter(&mut app);
    assert_eq!(page(&app), "motivation");
    press(&mut app, "1");
    assert_eq!(page(&app), "motivation", "1 could still become 10");
    press(&mut app, "0");
    assert_eq!(page(&app), "work_ability");
    press(&mut app, "7");
    assert_eq!(page(&app), "factors");
    press(&mut app, "1234");
    assert!(entry(&app).error.as_deref().unwrap().contains("at most 3"));
    assert_eq!(entry(&app).picked.len(), 3);
    enter(&mut app);
    assert_eq!(page(&app), "training_wish", "training was picked");
    enter(&mut app);
    press(&mut app, "2");
    assert_eq!(page(&app), "satisfaction");
    press(&mut app, "4");
    assert_eq!(page(&app), "nps", "coach_helpful is for two other pilots; round-2 items are skipped");
    press(&mut app, "10");
    enter(&mut app);
    assert_eq!(page(&app), "Summary");
    let effects = enter(&mut app);
    let [Effect::SaveResponse { response, .. }] = effects.as_slice() else { panic!("{effects:?}") };
    assert_eq!(response.round, Some(1));
    assert_eq!(response.answers["motivation"], Answer::Scale(10));
    assert_eq!(response.answers["nps"], Answer::Scale(10));
    assert!(!response.answers.contains_key("coach_helpful"));
}

#[test]
fn required_items_and_known_respondents_are_refused_on_their_page() {
    let mut app = demo_app();
    open_tally(&mut app, 1);
    press(&mut app, "n");
    enter(&mut app);
    assert!(entry(&app).error.as_deref().unwrap().contains("choose the pilot"));
    press(&mut app, "2");
    enter(&mut app);
    update(&mut app, Action::Paste("P-001".into()));
    enter(&mut app);
    assert_eq!(page(&app), "Respondent");
    assert!(entry(&app).error.as_deref().unwrap().contains("already stored"));
    update(&mut app, Action::Key(Key::ctrl('u')));
    enter(&mut app);
    assert_eq!(page(&app), "pilot");
    enter(&mut app);
    assert_eq!(page(&app), "pilot", "required");
    assert!(entry(&app).error.as_deref().unwrap().contains("required"));
}

#[test]
fn esc_asks_before_discarding_and_a_failed_save_keeps_the_response() {
    let mut app = demo_app();
    open_tally(&mut app, 1);
    press(&mut app, "n");
    key(&mut app, KeyCode::Esc);
    assert!(app.overlay.is_none(), "nothing entered: esc just closes");

    press(&mut app, "n2");
    enter(&mut app);
    enter(&mut app);
    press(&mut app, "21");
    key(&mut app, KeyCode::Esc);
    assert!(entry(&app).discarding);
    press(&mut app, "n");
    assert!(!entry(&app).discarding, "n keeps entering");
    assert_eq!(page(&app), "role");
    key(&mut app, KeyCode::Esc);
    press(&mut app, "y");
    assert!(app.overlay.is_none());

    // A save that fails leaves the summary open, with the answers.
    press(&mut app, "n2");
    enter(&mut app);
    enter(&mut app);
    press(&mut app, "21");
    for _ in 0..20 {
        if page(&app) == "Summary" {
            break;
        }
        enter(&mut app);
    }
    assert_eq!(page(&app), "Summary");
    let effects = enter(&mut app);
    assert!(matches!(effects.as_slice(), [Effect::SaveResponse { .. }]));
    update(&mut app, Action::Failed("not saved: disk full".into()));
    assert_eq!(page(&app), "Summary");
    assert_eq!(entry(&app).response.answers["org"], Answer::Choice("TE office".into()));
}

#[test]
fn a_stored_only_survey_and_a_survey_without_responses_still_open() {
    let mut app = demo_app();
    let mut data = app.data.clone();
    let tiny = Survey::parse(
        "tiny.toml",
        "id = \"tiny\"\ntitle = \"Tiny\"\nversion = 1\n\n[[items]]\nid = \"q\"\ntype = \"nps\"\ntext = \"Q\"\n",
    )
    .unwrap();
    data.surveys.push(tiny);
    std::sync::Arc::make_mut(&mut data.responses).push(("tiny".into(), vec![Response::default()]));
    update(&mut app, Action::Loaded(data));
    open_tally(&mut app, 3);
    assert_eq!(respondents(&app), 1);
    press(&mut app, "c");
    let cov = coverage(&app.data, "tiny");
    assert_eq!(cov.rows.last().unwrap().pilot, None, "responses without a pilot get a row");
    press(&mut app, "pbr");
    assert_eq!(view(&app).filter(), crate::domain::survey::TallyFilter::default());
}

/// Pilots with responses: portfolio pilots in portfolio order, then ids the store knows
/// no pilot for, in the order they first answered.
#[test]
fn answered_pilots_in_portfolio_order_then_unknown_ids() {
    let app = demo_app();
    let mut data = app.data.clone();
    let r = |pilot: &str| Response { pilot: Some(pilot.into()), ..Default::default() };
    let responses = vec![r("p9"), r("x2"), r("p2"), r("p9"), r("x1"), r("x2"), Response::default()];
    data.responses = std::sync::Arc::new(vec![("s".into(), responses)]);
    assert_eq!(super::survey_view::answered_pilots(&data, "s"), ["p2", "p9", "x2", "x1"]);
    assert!(super::survey_view::answered_pilots(&data, "none").is_empty());
}

/// Responses not read yet (a store just opened): the survey screens ask for them at
/// once, show "…" meanwhile, and the tally and the counts follow when they arrive.
#[test]
fn survey_screens_ask_for_responses_not_read_yet() {
    let loaded = demo_app();
    let all = loaded.data.responses.clone();
    let total = loaded.survey_counts("client-2020").unwrap().responses;
    let pilot_count = loaded.responses_of_pilot("p1");
    let mut data = loaded.data.clone();
    data.responses = Default::default();
    data.responses_pending = true;
    let mut app = demo_app();
    assert!(update(&mut app, Action::Loaded(data)).is_empty(), "home does not wait for them");
    assert_eq!(app.responses_of_pilot("p1"), None);
    assert_eq!(press(&mut app, "U"), vec![Effect::LoadResponses]);
    assert!(app.survey_counts("client-2020").is_none(), "… until they are read");
    assert!(press(&mut app, "j").is_empty(), "asked once");
    press(&mut app, "k");
    enter(&mut app);
    assert_eq!(respondents(&app), 0);
    update(&mut app, Action::ResponsesLoaded(all.clone()));
    assert_eq!(respondents(&app) as usize, total, "the open tally is computed again");
    assert_eq!(app.survey_counts("client-2020").unwrap().responses, total);
    assert_eq!(app.responses_of_pilot("p1"), pilot_count);
    assert!(update(&mut app, Action::Idle).is_empty(), "nothing left to read");

    // A saved response arrives with a new snapshot: the counts follow it.
    let mut data = app.data.clone();
    let mut responses = (*all).clone();
    let client = responses.iter_mut().find(|(id, _)| id == "client-2020").unwrap();
    client.1.push(Response { pilot: Some("p1".into()), ..Default::default() });
    data.responses = std::sync::Arc::new(responses);
    update(&mut app, Action::ResponseSaved { data, message: "saved".into() });
    assert_eq!(app.survey_counts("client-2020").unwrap().responses, total + 1);
    assert_eq!(app.responses_of_pilot("p1"), pilot_count.map(|n| n + 1));
}
