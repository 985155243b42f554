//! Frame and start-up figures (README "Performance"). Run: `cargo bench --bench frames`.
//! Start-up opens the demo evaluation from `benches/support`; the frame figures use
//! worst cases built here (500 pilots, a 200-node map, a 20,000-word note) that no
//! generated size has. `benches/scale.rs` has the same figures at the "large" size.

mod support;

use std::hint::black_box;

use chrono::NaiveDate;
use criterion::{Criterion, criterion_group, criterion_main};
use ratatui::Terminal;
use ratatui::backend::TestBackend;

use oppi::app::keymap::Keymap;
use oppi::app::keys::{Key, KeyCode};
use oppi::app::{Action, App, Data, update};
use oppi::domain::impact::{Assumption, AssumptionStatus, ImpactMap};
use oppi::domain::{Pilot, PilotField};
use oppi::ui::{Theme, render};

fn today() -> NaiveDate {
    NaiveDate::from_ymd_opt(2020, 3, 16).unwrap()
}

/// From a closed store on disk to the first frame drawn: what a user waits for.
fn startup(c: &mut Criterion) {
    let dir = support::evaluation("demo");
    let theme = Theme::built_in_default();
    c.bench_function("startup: open demo store → first frame (80×24)", |b| {
        b.iter(|| black_box(support::open_to_first_frame(&dir, &theme, today())))
    });
}

fn many_pilots(n: usize) -> Vec<Pilot> {
    let demo = oppi::demo::pilots();
    (0..n)
        .map(|i| {
            let mut p = demo[i % demo.len()].clone();
            p.id = format!("p{}", i + 1);
            p.set_field(PilotField::Name, &format!("{} {}", p.name, i / demo.len()), today()).unwrap();
            p
        })
        .collect()
}

fn home_frame(c: &mut Criterion) {
    let theme = Theme::built_in_default();
    let mut app = App::new(Keymap::default_keys(), "bench", today(), "bench");
    let data = Data { evaluation: Some(oppi::demo::evaluation()), pilots: many_pilots(500), ..Default::default() };
    update(&mut app, Action::Loaded(data));
    for (w, h) in [(80, 24), (160, 48)] {
        let mut terminal = Terminal::new(TestBackend::new(w, h)).unwrap();
        c.bench_function(&format!("home frame, 500 pilots ({w}×{h})"), |b| {
            b.iter(|| terminal.draw(|f| render(f, &app, &theme)).unwrap().area.width)
        });
    }
}

/// A map of 200 nodes over six layers and 400 links, each link with an assumption.
fn big_map() -> ImpactMap {
    let mut map = ImpactMap::new("p1");
    let ids: Vec<u32> = (0..200)
        .map(|i| map.add_node(i % 6, &format!("Node {i}: clients meet their coach every week"), None).unwrap())
        .collect();
    let mut added = 0;
    // Links from every node to different partners, until there are 400.
    let pairs = (0..200).flat_map(|a| [(a, (a + 1) % 200), (a, (a * 7 + 13) % 200), (a, (a * 13 + 7) % 200)]);
    for (a, b) in pairs {
        if added == 400 {
            break;
        }
        if let Ok(id) = map.add_link(ids[a], ids[b], "If this happens, then that follows") {
            map.link_mut(id).unwrap().assumptions.push(Assumption {
                text: "It holds".into(),
                status: AssumptionStatus::Untested,
                evidence: vec![],
            });
            added += 1;
        }
    }
    assert_eq!(map.links.len(), 400);
    map
}

fn map_frame(c: &mut Criterion) {
    let theme = Theme::built_in_default();
    let mut app = App::new(Keymap::default_keys(), "bench", today(), "bench");
    let data = Data {
        evaluation: Some(oppi::demo::evaluation()),
        pilots: oppi::demo::pilots(),
        maps: vec![big_map()],
        ..Default::default()
    };
    update(&mut app, Action::Loaded(data));
    for key in ['\n', 'm', 'l', 'l'] {
        let key = if key == '\n' { Key::plain(KeyCode::Enter) } else { Key::char(key) };
        update(&mut app, Action::Key(key));
    }
    for (w, h) in [(80, 24), (160, 48)] {
        let mut terminal = Terminal::new(TestBackend::new(w, h)).unwrap();
        c.bench_function(&format!("map frame, 200 nodes / 400 links ({w}×{h})"), |b| {
            b.iter(|| terminal.draw(|f| render(f, &app, &theme)).unwrap().area.width)
        });
    }
}

/// Typing into a note of 20,000 words: one key applied and the editor frame redrawn.
fn keystroke_frame(c: &mut Criterion) {
    let theme = Theme::built_in_default();
    let mut app = App::new(Keymap::default_keys(), "bench", today(), "bench");
    let words = ["trust", "coach", "client", "partnership", "työllisyys", "kohtaaminen", "result", "fee"];
    let mut notes = String::new();
    for i in 0..20_000 {
        notes.push_str(words[i % words.len()]);
        notes.push(if i % 60 == 59 { '\n' } else { ' ' });
    }
    let mut interview = oppi::demo::interviews().remove(0);
    interview.id = "i1".into();
    interview.notes = notes;
    let data = Data {
        evaluation: Some(oppi::demo::evaluation()),
        pilots: oppi::demo::pilots(),
        interviews: vec![interview],
        ..Default::default()
    };
    update(&mut app, Action::Loaded(data));
    oppi::app::interviews::open_notes(&mut app, "i1", Some(150));
    for (w, h) in [(80, 24), (160, 48)] {
        let mut terminal = Terminal::new(TestBackend::new(w, h)).unwrap();
        let mut n = 0u32;
        c.bench_function(&format!("keystroke → frame, 20,000-word note ({w}×{h})"), |b| {
            b.iter(|| {
                // Type and delete, so the note stays the same size.
                n += 1;
                let key = if n.is_multiple_of(2) { Key::plain(KeyCode::Backspace) } else { Key::char('ä') };
                update(&mut app, Action::Key(key));
                terminal.draw(|f| render(f, &app, &theme)).unwrap().area.width
            })
        });
    }
}

criterion_group!(benches, startup, home_frame, map_frame, keystroke_frame);
criterion_main!(benches);
