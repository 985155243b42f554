//! Rendered screens, checked on ratatui's TestBackend.

use chrono::NaiveDate;
use ratatui::Terminal;
use ratatui::backend::TestBackend;
use ratatui::style::Modifier;

use super::{Theme, render};
use crate::app::keymap::Keymap;
use crate::app::keys::{Key, KeyCode};
use crate::app::tests::demo_app;
use crate::app::{Action, App, Data, update};

pub(crate) fn draw(app: &App, width: u16, height: u16) -> Terminal<TestBackend> {
    let theme = Theme::built_in_default();
    let mut terminal = Terminal::new(TestBackend::new(width, height)).unwrap();
    terminal.draw(|f| render(f, app, &theme)).unwrap();
    terminal
}

fn press(app: &mut App, keys: &str) {
    for c in keys.chars() {
        update(app, Action::Key(Key::char(c)));
    }
}

pub(crate) fn screen_text(terminal: &Terminal<TestBackend>) -> String {
    let buf = terminal.backend().buffer();
    let mut out = String::new();
    for y in 0..buf.area.height {
        for x in 0..buf.area.width {
            out.push_str(buf[(x, y)].symbol());
        }
        out.push('\n');
    }
    out
}

#[test]
fn home_80x24() {
    let app = demo_app();
    insta::assert_snapshot!(draw(&app, 80, 24).backend());
}

#[test]
fn home_narrow_drops_columns_but_keeps_names_and_status() {
    let app = demo_app();
    let text = screen_text(&draw(&app, 50, 30));
    assert!(text.contains("Innorekry"), "{text}");
    assert!(text.contains("suspended"), "{text}");
    assert!(!text.contains("Planned"), "{text}");
}

#[test]
fn pilot_80x24() {
    let mut app = demo_app();
    press(&mut app, "j");
    update(&mut app, Action::Key(Key::plain(KeyCode::Enter)));
    insta::assert_snapshot!(draw(&app, 80, 24).backend());
}

#[test]
fn pilot_screen_scrolls_to_the_change_log() {
    let mut app = demo_app();
    update(&mut app, Action::Key(Key::plain(KeyCode::Enter)));
    press(&mut app, "jjjjjjjjjjjjjjj");
    let text = screen_text(&draw(&app, 80, 24));
    assert!(text.contains("Status history"), "{text}");
    assert!(!text.contains("Also known as"), "scrolled past the profile:\n{text}");
}

#[test]
fn welcome_80x24() {
    let mut app =
        App::new(Keymap::default_keys(), "tester", NaiveDate::from_ymd_opt(2020, 1, 1).unwrap(), "/tmp/store");
    update(&mut app, Action::Loaded(Data::default()));
    insta::assert_snapshot!(draw(&app, 80, 24).backend());
}

#[test]
fn help_overlay_lists_the_screens_keys() {
    let mut app = demo_app();
    press(&mut app, "?");
    insta::assert_snapshot!(draw(&app, 80, 24).backend());
}

#[test]
fn new_pilot_form() {
    let mut app = demo_app();
    press(&mut app, "nKasvu");
    insta::assert_snapshot!(draw(&app, 80, 24).backend());
}

#[test]
fn archive_confirmation() {
    let mut app = demo_app();
    update(&mut app, Action::Key(Key::plain(KeyCode::Enter)));
    press(&mut app, "a");
    let text = screen_text(&draw(&app, 80, 24));
    assert!(text.contains("Archive ICT-rekry?"), "{text}");
    assert!(text.contains(" y "), "{text}");
}

#[test]
fn footer_shows_the_keys_of_the_active_layer() {
    let mut app = demo_app();
    let home = screen_text(&draw(&app, 80, 24));
    assert!(home.lines().last().unwrap().contains("new pilot"));
    press(&mut app, "/");
    let filtering = screen_text(&draw(&app, 80, 24));
    let footer = filtering.lines().last().unwrap();
    assert!(footer.contains("keep filter") && !footer.contains("new pilot"), "{footer}");
}

#[test]
fn help_key_survives_narrow_footers() {
    let app = demo_app();
    let text = screen_text(&draw(&app, 30, 10));
    assert!(text.lines().last().unwrap().contains("? "), "{text}");
}

#[test]
fn no_color_theme_still_marks_the_selection() {
    let app = demo_app();
    let theme = Theme::built_in_default().without_color();
    let mut terminal = Terminal::new(TestBackend::new(80, 24)).unwrap();
    terminal.draw(|f| render(f, &app, &theme)).unwrap();
    let buf = terminal.backend().buffer();
    let row = (0..24).find(|y| buf[(0, *y)].symbol() == "I" && buf[(1, *y)].symbol() == "C").unwrap();
    assert!(buf[(0, row)].modifier.contains(Modifier::REVERSED));
    assert!((0..24).all(|y| (0..80).all(|x| buf[(x, y)].fg == ratatui::style::Color::Reset)));
}

fn map_app() -> App {
    let mut app = demo_app();
    press(&mut app, "j");
    update(&mut app, Action::Key(Key::plain(KeyCode::Enter)));
    press(&mut app, "mll");
    app
}

#[test]
fn map_80x24() {
    insta::assert_snapshot!(draw(&map_app(), 80, 24).backend());
}

#[test]
fn map_160x48_shows_every_layer_and_the_details_beside() {
    let app = map_app();
    insta::assert_snapshot!(draw(&app, 160, 48).backend());
    let text = screen_text(&draw(&app, 160, 48));
    for layer in ["Context", "Inputs", "Activities", "Outputs", "Outcomes", "Impacts"] {
        assert!(text.contains(layer), "{layer} missing:\n{text}");
    }
}

#[test]
fn objectives_and_indicator_screens() {
    let mut app = demo_app();
    press(&mut app, "O");
    let text = screen_text(&draw(&app, 80, 24));
    assert!(text.contains("Customer-centricity") && text.contains("Omavalmentaja"), "{text}");
    press(&mut app, "qI");
    let text = screen_text(&draw(&app, 80, 24));
    assert!(text.contains("Indicator 1/"), "{text}");
}

#[test]
fn pilot_screen_computes_funnel_rates_and_flags_the_190_vs_90() {
    let mut app = demo_app();
    press(&mut app, "jjjjjjjj"); // Rekrytoiva Satakunta
    update(&mut app, Action::Key(Key::plain(KeyCode::Enter)));
    press(&mut app, "jjjjjjjjjjjjjjjj");
    let text = screen_text(&draw(&app, 100, 40));
    assert!(text.contains("started per referred") && text.contains("84.0 %"), "{text}");
    assert!(text.contains("190 vs 90"), "{text}");
}

/// Every screen and overlay at every tiny size: no panic, whatever fits is drawn.
#[test]
fn tiny_sizes_never_panic() {
    let mut states: Vec<App> = Vec::new();
    let mut welcome = App::new(Keymap::default_keys(), "t", NaiveDate::from_ymd_opt(2020, 1, 1).unwrap(), "x");
    update(&mut welcome, Action::Loaded(Data::default()));
    states.push(welcome);
    states.push(demo_app());
    let surveys = ["U", "U\n", "Uj\nbb", "Ujj\nc", "Uj\n?", "Uj\nn", "Uj\nn2\n\n21", "Uj\nn2\n\n21\n4d54\n1333\n\n"];
    let synthesis = [
        "y", "y\t", "y\tc", "y\tn", "y?", "y2", "y2j", "y2je", "y2a", "y3", "y3jjj", "y4", "y4jjj", "y4n", "y4je",
        "y4jd",
    ];
    for keys in ["/ä", "?", "n", "\n", "\na", "\nm", "\nmL", "\nma", "\nmc", "\nmv", "\no", "O", "I", "jjjjjjjj\n"]
        .into_iter()
        .chain(surveys)
        .chain(synthesis)
    {
        let mut app = demo_app();
        for c in keys.chars() {
            let key = match c {
                '\n' => Key::plain(KeyCode::Enter),
                '\t' => Key::plain(KeyCode::Tab),
                c => Key::char(c),
            };
            update(&mut app, Action::Key(key));
        }
        states.push(app);
    }
    for app in &states {
        for w in 1..=20 {
            for h in 1..=5 {
                draw(app, w, h);
            }
        }
        draw(app, 0, 0);
    }
}

#[test]
fn filter_cursor_with_combining_accents_does_not_panic() {
    let mut app = demo_app();
    press(&mut app, "/");
    update(&mut app, Action::Paste("e\u{301}e\u{301}e\u{301}".into()));
    update(&mut app, Action::Key(Key::plain(KeyCode::Home)));
    for (w, h) in [(80, 24), (10, 5), (3, 4)] {
        draw(&app, w, h);
    }
}

#[test]
fn wide_home_counts_interviews_objectives_and_responses_per_pilot() {
    let app = demo_app();
    let text = screen_text(&draw(&app, 120, 30));
    assert!(text.contains("Intv") && text.contains("Obj") && text.contains("Resp"), "{text}");
    let row = text.lines().find(|l| l.starts_with("Omavalmentaja")).expect("a row");
    let numbers: Vec<&str> = row.split_whitespace().rev().take(3).collect();
    assert!(
        numbers.iter().all(|n| n.parse::<u32>().is_ok()),
        "Omavalmentaja has interviews, objectives and responses: {row}"
    );
}

/// User text of every kind: wide characters, emoji sequences, combining accents,
/// right-to-left text, control characters and very long words.
const AWKWARD: &[&str] = &[
    "漢字のパイロット",
    "👩‍👩‍👧‍👦 family 🇫🇮",
    "e\u{301}e\u{301} Ha\u{308}me",
    "مرحبا بالعالم",
    "tab\there\u{1b}[31mred\u{7}bell\r\n",
    "Pitkäsanaisuusdemonstraatiotyöpajasuunnitelmaluonnos-ilman-välilyöntejä-ollenkaan",
    "",
];

/// The demo with awkward text in pilot names, regions, notes and workshop items.
fn awkward_app() -> App {
    let mut app = demo_app();
    for (i, p) in app.data.pilots.iter_mut().enumerate() {
        p.name = format!("{} {i}", AWKWARD[i % AWKWARD.len()]);
        p.region = AWKWARD[(i + 1) % AWKWARD.len()].to_string();
    }
    for (i, interview) in app.data.interviews.iter_mut().enumerate() {
        interview.notes = format!("{}\n> {} #trust\n{}", AWKWARD[i % 7], AWKWARD[(i + 2) % 7], AWKWARD[(i + 4) % 7]);
        interview.context = AWKWARD[(i + 3) % AWKWARD.len()].to_string();
    }
    let mut w = crate::demo::workshop_for_tests();
    w.id = "w1".into();
    for (i, item) in w.items.iter_mut().enumerate() {
        item.text = AWKWARD[i % AWKWARD.len()].to_string();
    }
    app.data.workshops.push(w);
    for (i, f) in app.data.synthesis.findings.iter_mut().enumerate() {
        f.what = AWKWARD[i % AWKWARD.len()].to_string();
        f.so_what = AWKWARD[(i + 3) % AWKWARD.len()].to_string();
    }
    for (i, r) in app.data.synthesis.recommendations.iter_mut().enumerate() {
        r.text = AWKWARD[(i + 1) % AWKWARD.len()].to_string();
        r.addressee = AWKWARD[(i + 4) % AWKWARD.len()].to_string();
    }
    app
}

/// Every main screen with awkward text, at sizes from 1×1 to 300×100: no panic.
#[test]
fn every_screen_renders_awkward_text_at_any_size() {
    let paths = [
        "", "?", "\n", "\nm", "\nmll", "\no", "O", "I", "i", "i\n", "c", "c\tj", "U", "U\n", "w", "w\n", "w\nbb", "F",
        "y", "y\t", "y\tc", "y2", "y2j", "y3", "y4", "y4j",
    ];
    let widths = [1u16, 2, 3, 5, 8, 13, 21, 34, 55, 80, 89, 120, 144, 233, 300];
    let heights = [1u16, 2, 3, 4, 5, 8, 13, 24, 34, 55, 100];
    for keys in paths {
        let mut app = awkward_app();
        for c in keys.chars() {
            let key = match c {
                '\n' => Key::plain(KeyCode::Enter),
                '\t' => Key::plain(KeyCode::Tab),
                c => Key::char(c),
            };
            update(&mut app, Action::Key(key));
        }
        if keys == "F" {
            update(&mut app, Action::Paste(AWKWARD[1].into()));
        }
        for w in widths {
            for h in heights {
                draw(&app, w, h);
            }
        }
    }
}

/// Text typed by anyone never reaches the terminal as control characters: an escape
/// sequence in a pilot name or a note must not be able to recolour or move the screen.
#[test]
fn control_characters_never_reach_the_screen() {
    for keys in ["", "\n", "i\n", "w\n", "\nm", "y\t", "y2", "y3", "y4", "y\tc"] {
        let mut app = awkward_app();
        for c in keys.chars() {
            let key = match c {
                '\n' => Key::plain(KeyCode::Enter),
                '\t' => Key::plain(KeyCode::Tab),
                c => Key::char(c),
            };
            update(&mut app, Action::Key(key));
        }
        let terminal = draw(&app, 120, 40);
        let buf = terminal.backend().buffer();
        for cell in buf.content() {
            assert!(
                !cell.symbol().chars().any(|c| c.is_control()),
                "{keys:?}: control character in {:?}",
                cell.symbol()
            );
        }
    }
}

#[test]
fn synthesis_workspace_80x24_shows_themes_findings_and_the_footer() {
    let mut app = demo_app();
    press(&mut app, "y");
    update(&mut app, Action::Key(Key::plain(KeyCode::Tab)));
    let text = screen_text(&draw(&app, 80, 24));
    assert!(text.contains("Themes") && text.contains("Customer-centricity (2)"), "{text}");
    assert!(text.contains("So what:"), "the focused finding is told in full:\n{text}");
    assert!(text.contains("quote i24 ¶2 (service provider)"), "its evidence by role:\n{text}");
    let footer = text.lines().last().unwrap();
    assert!(footer.contains("new finding") && footer.contains("cite evidence"), "{footer}");
    // Narrow: only the pane in focus, still readable.
    let narrow = screen_text(&draw(&app, 50, 20));
    assert!(!narrow.contains("Themes") && narrow.contains("Customer-centricity"), "{narrow}");
}

#[test]
fn synthesis_recommendations_matrix_and_picker_render() {
    let mut app = demo_app();
    press(&mut app, "y2");
    let text = screen_text(&draw(&app, 100, 30));
    assert!(text.contains("1. Agree the definition") && text.contains("[in progress]"), "{text}");
    assert!(text.contains("move down"), "{text}");
    press(&mut app, "3");
    let text = screen_text(&draw(&app, 120, 30));
    assert!(text.contains("not a ranking") && text.contains("Customer-centricity"), "{text}");
    assert!(text.contains("  p2  Omavalmentaja"), "the legend names the pilots:\n{text}");
    press(&mut app, "1");
    update(&mut app, Action::Key(Key::plain(KeyCode::Tab)));
    press(&mut app, "c");
    update(&mut app, Action::Paste("relationship carried".into()));
    let text = screen_text(&draw(&app, 80, 24));
    assert!(text.contains("Cite evidence in f1") && text.contains("1 found"), "{text}");
    assert!(text.contains("context: at COVID-19 onset"), "the preview tells where it was said:\n{text}");
    assert!(text.contains("cite / uncite"), "{text}");
}

#[test]
fn synthesis_conclusions_are_grouped_by_question_at_80x24() {
    let mut app = demo_app();
    press(&mut app, "y4");
    let text = screen_text(&draw(&app, 80, 24));
    assert!(text.contains("4 conclusions"), "the tab is named:\n{text}");
    assert!(text.contains("Main question: What lessons"), "{text}");
    assert!(text.contains("Sub-question 1:"), "{text}");
    assert!(text.contains("← f"), "the findings a conclusion rests on:\n{text}");
    let footer = text.lines().last().unwrap();
    assert!(footer.contains("new conclusion") && footer.contains("edit"), "{footer}");
    // The sub-questions come after the main one, in the evaluation's order.
    let main = text.find("Main question").unwrap();
    assert!(text.find("Sub-question 1").is_some_and(|s| s > main));
    // Help lists the view's keys, the ones the footer leaves out too.
    press(&mut app, "?");
    let help = screen_text(&draw(&app, 80, 24));
    assert!(help.contains("new conclusion") && help.contains("delete (asks)"), "{help}");
}

#[test]
fn synthesis_without_colour_still_marks_the_selection() {
    let mut app = demo_app();
    press(&mut app, "y2");
    let theme = Theme::built_in_default().without_color();
    let mut terminal = Terminal::new(TestBackend::new(80, 24)).unwrap();
    terminal.draw(|f| render(f, &app, &theme)).unwrap();
    let buf = terminal.backend().buffer();
    let reversed = buf.content().iter().any(|c| c.modifier.contains(Modifier::REVERSED));
    assert!(reversed, "the focused recommendation shows without colour");
    assert!(buf.content().iter().all(|c| c.fg == ratatui::style::Color::Reset), "no colours under NO_COLOR");
}

/// A participant of the demo's upcoming mid-term review (Finnish), joined as a partner.
fn participant_screen(join: bool) -> App {
    let mut w = crate::demo::workshops::upcoming();
    w.id = "w1".into();
    let now = chrono::NaiveDateTime::default();
    if join {
        let join = crate::domain::workshop::WorkshopCommand::Join {
            participant: "k-me".into(),
            role: "partner".into(),
            org_type: "company".into(),
        };
        w.apply(crate::domain::workshop::Actor::Participant("k-me".into()), join, now).unwrap();
    }
    let roles = vec!["organiser".into(), "partner".into()];
    let orgs = vec!["TE office".into(), "company".into()];
    crate::app::participant::participant_app(demo_app(), w, "k-me".into(), roles, orgs, None)
}

#[test]
fn participant_join_screen_speaks_the_workshops_language() {
    let app = participant_screen(false);
    let text = screen_text(&draw(&app, 80, 24));
    assert!(text.contains("Liity työpajaan") && text.contains("Roolisi"), "{text}");
    assert!(!text.contains("Omavalmentaja"), "no evaluation data on a participant's screen");
    // Once joined, L switches language.
    let mut app = participant_screen(true);
    // Finnish → Swedish → English.
    press(&mut app, "LL");
    let text = screen_text(&draw(&app, 80, 24));
    assert!(text.contains("Phase 1 of 5") && text.contains("has not started"), "{text}");
}

#[test]
fn participant_poll_and_rank_phases_render_and_survive_any_size() {
    let mut app = participant_screen(true);
    let mut w = app.data.workshops[0].clone();
    let now = chrono::NaiveDateTime::default();
    let fac = crate::domain::workshop::Actor::Facilitator;
    w.apply(fac.clone(), crate::domain::workshop::WorkshopCommand::Start, now).unwrap();
    w.apply(fac.clone(), crate::domain::workshop::WorkshopCommand::Next, now).unwrap();
    update(&mut app, Action::WorkshopChanged(w.clone()));
    let text = screen_text(&draw(&app, 80, 24));
    assert!(text.contains("Vaihe 2/5"), "{text}");
    assert!(text.contains("5 Strongly agree") && text.contains("Can't say"), "every option shows: {text}");
    w.apply(fac, crate::domain::workshop::WorkshopCommand::Next, now).unwrap();
    update(&mut app, Action::WorkshopChanged(w));
    let text = screen_text(&draw(&app, 80, 24));
    assert!(text.contains("1. Agree baselines"), "{text}");
    for (width, height) in [(1, 1), (2, 3), (10, 4), (20, 6), (40, 10), (300, 100)] {
        draw(&app, width, height);
    }
}

#[test]
fn notes_open_elsewhere_show_who_else_has_them() {
    let mut app = demo_app();
    let id = app.data.interviews[0].id.clone();
    crate::app::interviews::open_notes(&mut app, &id, None);
    update(
        &mut app,
        Action::Presence(crate::app::Presence {
            evaluators: vec![("ben@team".into(), Some(format!("notes {id}"))), ("zyx-evaluator".into(), None)],
            ..Default::default()
        }),
    );
    let text = screen_text(&draw(&app, 100, 24));
    assert!(text.contains("also open: ben@team") && !text.contains("zyx-evaluator"), "{text}");
}
/// Where a render property case starts: keys from the home screen to every screen,
/// overlay, form and dialog. `^x` is ctrl-x, `\t` tab, `\n` enter.
const EVERY_SCREEN: &[&str] = &[
    "", "?", "/", "n", "E", "\n", "\ne", "\na", "\nm", "\nmll", "\nma", "\nme", "\nmL", "\nm\t", "\nmc", "\nmv",
    "\nmf", "\nmi", "\no", "O", "On", "Ol", "I", "i", "in", "ie", "if", "i\n", "i\n^f", "i\n^g", "c", "c\tj", "F", "U",
    "U\n", "U\nc", "U\nb", "U\np", "Uj\nn", "w", "wn", "w\n", "w\na", "w\nbb", "w\nL",
];

fn keys_of(path: &str) -> Vec<Key> {
    let mut keys = Vec::new();
    let mut chars = path.chars();
    while let Some(c) = chars.next() {
        keys.push(match c {
            '\n' => Key::plain(KeyCode::Enter),
            '\t' => Key::plain(KeyCode::Tab),
            '^' => Key::ctrl(chars.next().expect("a key after ^")),
            c => Key::char(c),
        });
    }
    keys
}

/// Text a user might type or paste: ASCII, Finnish, wide CJK, emoji sequences,
/// combining marks, right-to-left, control characters and escape sequences.
fn user_text() -> impl proptest::strategy::Strategy<Value = String> {
    use proptest::prelude::*;
    let piece = prop_oneof![
        "[a-zA-Z0-9 ]{0,12}",
        "[äöåÄÖÅ ]{0,6}",
        "[\u{4e00}-\u{4e2f}\u{3040}-\u{309f}]{0,6}",
        Just("👩‍👩‍👧‍👦".to_string()),
        Just("🇫🇮".to_string()),
        Just("e\u{301}\u{308}".to_string()),
        Just("مرحبا".to_string()),
        "[\u{0}-\u{1f}\u{7f}-\u{9f}]{1,3}",
        Just("\u{1b}[31m".to_string()),
        Just("\u{200b}\u{feff}\u{202e}".to_string()),
        Just("#trust > [12:34]".to_string()),
        "\\PC{0,8}",
    ];
    proptest::collection::vec(piece, 0..5).prop_map(|p| p.concat())
}

/// Every screen, overlay and form with arbitrary user text in the data and typed
/// into whatever has focus, at any size from 1×1 to 300×100: no panic, and no
/// control character reaches the terminal. `OPPI_RENDER_CASES` sets the cases.
#[test]
fn every_screen_renders_arbitrary_text_at_any_size() {
    use proptest::prelude::*;
    use proptest::test_runner::{Config, TestRunner};
    let cases = std::env::var("OPPI_RENDER_CASES").ok().and_then(|v| v.parse().ok()).unwrap_or(192);
    let mut runner = TestRunner::new(Config { cases, failure_persistence: None, ..Config::default() });
    let strategy =
        (0..EVERY_SCREEN.len(), proptest::collection::vec(user_text(), 6), user_text(), 1u16..=300, 1u16..=100);
    runner
        .run(&strategy, |(screen, texts, typed, w, h)| {
            let mut app = demo_app();
            for (i, p) in app.data.pilots.iter_mut().enumerate() {
                p.name = format!("{}{i}", texts[0]);
                p.region = texts[1].clone();
            }
            for i in app.data.interviews.iter_mut() {
                i.notes = format!("{}\n> {} #trust\n{}", texts[2], texts[3], texts[4]);
                i.context = texts[5].clone();
            }
            if let Some(e) = app.data.evaluation.as_mut() {
                e.title = texts[3].clone();
            }
            let mut workshop = crate::demo::workshop_for_tests();
            workshop.id = "w1".into();
            for item in workshop.items.iter_mut() {
                item.text = texts[4].clone();
            }
            app.data.workshops = vec![workshop];
            for key in keys_of(EVERY_SCREEN[screen]) {
                update(&mut app, Action::Key(key));
            }
            update(&mut app, Action::Paste(typed.clone()));
            for c in typed.chars().take(4) {
                update(&mut app, Action::Key(Key::char(c)));
            }
            let terminal = draw(&app, w, h);
            for cell in terminal.backend().buffer().content() {
                prop_assert!(
                    !cell.symbol().chars().any(|c| c.is_control()),
                    "{:?} at {w}×{h}: control character in {:?}",
                    EVERY_SCREEN[screen],
                    cell.symbol()
                );
            }
            Ok(())
        })
        .unwrap();
}

/// The interview list lays out only what is on screen; scrolled far down, the selected
/// interview is still drawn, highlighted, right below the one before it.
#[test]
fn a_long_interview_list_keeps_the_selection_in_view() {
    let mut app = demo_app();
    let book = app.data.codebook.clone();
    let pilots = app.data.pilots.clone();
    let mut more = crate::demo::synthetic::interviews(&mut crate::demo::surveys::Lcg(5), &pilots, &book, 60, 300);
    for (n, i) in more.iter_mut().enumerate() {
        i.id = format!("i{}", 100 + n);
        i.context = format!("context number {n}");
    }
    app.data.interviews.extend(more);
    press(&mut app, "i");
    for selected in [0usize, 1, 9, 10, 37, 69] {
        let rows: Vec<String> = app.interview_rows().iter().map(|i| i.context.clone()).collect();
        for height in [23u16, 24] {
            let terminal = draw(&app, 100, height);
            let buf = terminal.backend().buffer();
            let text = screen_text(&terminal);
            let lines: Vec<&str> = text.lines().collect();
            let at = lines.iter().position(|l| l.contains(&format!("   {} ·", rows[selected]))).unwrap_or_else(|| {
                panic!("selected row {selected} ({}) not on screen at height {height}:\n{text}", rows[selected])
            });
            let selected_style = Theme::built_in_default().selected;
            assert_eq!(
                buf[(1, at as u16 - 1)].bg,
                selected_style.bg.unwrap(),
                "row {selected} is highlighted:\n{text}"
            );
            if selected > 0 && at >= 3 {
                assert!(
                    lines[at - 2].contains(&rows[selected - 1]),
                    "row {} above row {selected}:\n{text}",
                    selected - 1
                );
            }
        }
        for _ in selected..[0usize, 1, 9, 10, 37, 69].into_iter().find(|s| *s > selected).unwrap_or(selected) {
            press(&mut app, "j");
        }
    }
}

#[test]
fn a_participant_reads_the_highlight_under_the_cursor_in_full() {
    let mut app = participant_screen(true);
    let mut w = app.data.workshops[0].clone();
    let start = crate::domain::workshop::WorkshopCommand::Start;
    w.apply(crate::domain::workshop::Actor::Facilitator, start, chrono::NaiveDateTime::default()).unwrap();
    update(&mut app, Action::WorkshopChanged(w));
    let text = screen_text(&draw(&app, 80, 24));
    assert!(text.contains("agreed at the…"), "the row is cut to one line:\n{text}");
    assert!(text.contains("monitoring indicators go unused"), "and shown whole below:\n{text}");
}

#[test]
fn the_console_shows_a_scale_polls_answers_as_they_arrive() {
    use crate::domain::survey::Answer;
    use crate::domain::workshop::{Actor, WorkshopCommand as C};
    let mut app = demo_app();
    let mut w = crate::demo::workshops::upcoming();
    w.id = "w1".into();
    let now = chrono::NaiveDateTime::default();
    for c in [C::Start, C::Next] {
        w.apply(Actor::Facilitator, c, now).unwrap();
    }
    for (who, value) in [("k-a", 4), ("k-b", 4), ("k-c", 2)] {
        let join = C::Join { participant: who.into(), role: "partner".into(), org_type: "company".into() };
        w.apply(Actor::Participant(who.into()), join, now).unwrap();
        let poll = C::Poll { phase: 1, item: "trust".into(), answer: Answer::Scale(value) };
        w.apply(Actor::Participant(who.into()), poll, now).unwrap();
    }
    app.data.workshops.push(w);
    app.screen = crate::app::Screen::Console(crate::app::workshop::ConsoleView {
        id: "w1".into(),
        focus: 0,
        input: None,
        merging: None,
        reviewing: None,
    });
    let text = screen_text(&draw(&app, 100, 30));
    assert!(text.contains("There was trust between the partners of the pilot  (n = 3)"), "{text}");
    let agree = text.lines().find(|l| l.contains("4 Agree")).expect("scale labels");
    assert!(agree.contains("████████████████   2"), "{agree}");
    assert!(!text.contains("No items yet"), "{text}");
}

#[test]
fn a_participants_own_reaction_stays_readable_beside_a_long_highlight() {
    use crate::domain::workshop::{Actor, ReactionKind, WorkshopCommand as C};
    let mut app = participant_screen(true);
    let mut w = app.data.workshops[0].clone();
    let now = chrono::NaiveDateTime::default();
    w.apply(Actor::Facilitator, C::Start, now).unwrap();
    let item = w.options(0)[0];
    let react = C::React { phase: 0, item, kind: ReactionKind::Add, comment: None };
    w.apply(Actor::Participant("k-me".into()), react, now).unwrap();
    update(&mut app, Action::WorkshopChanged(w));
    let text = screen_text(&draw(&app, 80, 24));
    assert!(text.contains("[lisättävää]"), "{text}");
}
