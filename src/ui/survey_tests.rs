//! The survey screens on ratatui's TestBackend: the tally, a breakdown side by side,
//! coverage, the low-n warning and the response-entry popup.

use ratatui::Terminal;
use ratatui::backend::TestBackend;

use super::{Theme, render};
use crate::app::keys::{Key, KeyCode};
use crate::app::tests::demo_app;
use crate::app::{Action, App, update};

fn draw(app: &App, width: u16, height: u16) -> Terminal<TestBackend> {
    let theme = Theme::built_in_default();
    let mut terminal = Terminal::new(TestBackend::new(width, height)).unwrap();
    terminal.draw(|f| render(f, app, &theme)).unwrap();
    terminal
}

use super::tests::screen_text;

/// Keys as a session sends them; '\n' is enter.
fn keys(app: &mut App, keys: &str) {
    for c in keys.chars() {
        let key = if c == '\n' { Key::plain(KeyCode::Enter) } else { Key::char(c) };
        update(app, Action::Key(key));
    }
}

/// The partner survey's tally (second in the list).
fn partner() -> App {
    let mut app = demo_app();
    keys(&mut app, "Uj\n");
    app
}

#[test]
fn survey_list_80x24() {
    let mut app = demo_app();
    keys(&mut app, "U");
    let text = screen_text(&draw(&app, 80, 24));
    for s in ["Client survey", "Partner survey", "Monthly pilot pulse", "520", "73"] {
        assert!(text.contains(s), "{s} missing:\n{text}");
    }
}

#[test]
fn tally_80x24() {
    let app = partner();
    insta::assert_snapshot!(draw(&app, 80, 24).backend());
}

#[test]
fn tally_shows_n_cant_say_and_missing_on_every_item() {
    let mut app = partner();
    keys(&mut app, "jjjjj"); // goals_clear
    let text = screen_text(&draw(&app, 100, 40));
    assert!(text.contains("goals_clear"), "{text}");
    assert!(text.contains("n=66 · can't say 4 · missing 7"), "{text}");
    assert!(text.contains("mean") && text.contains("median"), "{text}");
    assert!(text.contains("5 Strongly agree") && text.contains("█"), "{text}");
}

#[test]
fn breakdown_side_by_side_120x40() {
    let mut app = partner();
    keys(&mut app, "bbjjjjj"); // by org; goals_clear selected
    let terminal = draw(&app, 120, 40);
    insta::assert_snapshot!(terminal.backend());
    let text = screen_text(&terminal);
    assert!(text.contains("by org"), "{text}");
    // All, TE office, Municipality and Company side by side, each with its n.
    let head = text.lines().find(|l| l.contains("TE office (27)")).unwrap_or_else(|| panic!("{text}"));
    assert!(head.contains("All (73)") && head.contains("Company (13)"), "{head}");
    assert!(text.contains("n=25 · dk 0 · miss 2") && text.contains("n=12 · dk 0 · miss 1"), "{text}");
    // The companies' and TE offices' "agree" rows are on the same lines.
    let goals: Vec<&str> = text.lines().skip_while(|l| !l.contains("goals_clear")).collect();
    let agree = goals.iter().find(|l| l.contains("4 Agree")).unwrap();
    assert!(agree.contains("9 36%") && agree.contains("5 42%"), "{agree}");
    let strongly = goals.iter().find(|l| l.contains("5 Strongly agree")).unwrap();
    assert!(strongly.contains("3 12%") && strongly.contains("6 50%"), "{strongly}");
}

#[test]
fn breakdown_scrolls_to_the_last_group() {
    let mut app = partner();
    keys(&mut app, "bblllllllll");
    let text = screen_text(&draw(&app, 80, 24));
    assert!(text.contains("◂ more"), "{text}");
    assert!(text.contains("Other (4)"), "{text}");
}

#[test]
fn coverage_matrix_flags_pilots_that_never_answered() {
    let mut app = demo_app();
    keys(&mut app, "Ujj\nc"); // monthly pulse
    let terminal = draw(&app, 100, 30);
    insta::assert_snapshot!(terminal.backend());
    let text = screen_text(&terminal);
    assert!(text.contains("4 of 15 pilots answered"), "{text}");
    let ict = text.lines().find(|l| l.contains("ICT-rekry")).unwrap();
    assert!(ict.contains("⚠ no responses") && ict.contains('–'), "{ict}");
    let oma = text.lines().find(|l| l.contains("Omavalmentaja")).unwrap();
    assert!(oma.contains("12") && !oma.contains("⚠"), "{oma}");
    assert!(text.contains("r10▸"), "rounds that do not fit are marked: {text}");
}

#[test]
fn low_n_items_are_marked() {
    let mut app = partner();
    let text = screen_text(&draw(&app, 100, 30));
    assert!(!text.contains("⚠ low n"), "the first items have n = 73:\n{text}");
    keys(&mut app, "p"); // ICT-rekry: 9 partners answered
    let text = screen_text(&draw(&app, 100, 30));
    assert!(text.contains("pilot ICT-rekry") && text.contains("9 respondents"), "{text}");
    assert!(text.contains("n=9 · missing 0  ⚠ low n (under 10)"), "{text}");
}

#[test]
fn nps_shows_bands_and_score() {
    let mut app = demo_app();
    keys(&mut app, "U\nG");
    let text = screen_text(&draw(&app, 100, 40));
    assert!(text.contains("promoters 9–10") && text.contains("detractors 0–6"), "{text}");
    assert!(text.contains("NPS +"), "{text}");
}

#[test]
fn response_entry_popup_80x24() {
    let mut app = partner();
    keys(&mut app, "n2\n\n21");
    let terminal = draw(&app, 80, 24);
    insta::assert_snapshot!(terminal.backend());
    let text = screen_text(&terminal);
    assert!(text.contains("How did you take part in the pilot?"), "{text}");
    assert!(text.contains("[ ] Planning the pilot"), "{text}");
    keys(&mut app, "13");
    let text = screen_text(&draw(&app, 80, 24));
    assert!(text.contains("[x] Planning the pilot") && text.contains("[x] Delivering services"), "{text}");
}

#[test]
fn response_entry_summary_and_discard_question() {
    let mut app = partner();
    keys(&mut app, "n2\n\n21\n4d54\n1333\n\n");
    let text = screen_text(&draw(&app, 80, 40));
    assert!(text.contains("Summary"), "{text}");
    assert!(text.contains("coop_culture") && text.contains("Can't say"), "{text}");
    assert!(!text.contains("below_why"), "skipped items are not listed: {text}");
    update(&mut app, Action::Key(Key::plain(KeyCode::Esc)));
    let text = screen_text(&draw(&app, 80, 24));
    assert!(text.contains("Discard this response?"), "{text}");
}

#[test]
fn survey_screens_survive_small_sizes() {
    let mut states = Vec::new();
    for k in [
        "U",
        "Uj\n",
        "Uj\nbb",
        "Uj\nbbjjjjj",
        "Ujj\nc",
        "Uj\nn",
        "Uj\nn2\n\n21",
        "U\nn3\n",
        "Uj\nn2\n\n21\n4d54\n1333\n\n",
    ] {
        let mut app = demo_app();
        keys(&mut app, k);
        states.push(app);
    }
    for app in &states {
        for w in 1..=40 {
            for h in 1..=12 {
                draw(app, w, h);
            }
        }
        draw(app, 200, 60);
    }
}
