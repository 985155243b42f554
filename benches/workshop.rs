//! Workshop figures (README "Performance"). Run: `cargo bench --bench workshop`.
//! A room of 200 participants in a dot vote: one vote applied, then the facilitator's
//! console redrawn with the live tally; and the same vote applied durably (logged and
//! flushed) through the runtime.

use std::hint::black_box;

use chrono::{NaiveDate, NaiveDateTime};
use criterion::{Criterion, criterion_group, criterion_main};
use ratatui::Terminal;
use ratatui::backend::TestBackend;

use oppi::app::keymap::Keymap;
use oppi::app::workshop::ConsoleView;
use oppi::app::{Action, App, Data, Screen, update};
use oppi::domain::workshop::{Actor, BUILT_IN, PhaseKind, Workshop, WorkshopCommand, WorkshopSetup, WorkshopTemplate};
use oppi::runtime::Runtime;
use oppi::store::Store;
use oppi::ui::{Theme, render};

const PARTICIPANTS: usize = 200;

fn now() -> NaiveDateTime {
    NaiveDate::from_ymd_opt(2020, 3, 16).unwrap().and_hms_opt(9, 0, 0).unwrap()
}

/// A learning workshop moved to its dot vote, with 200 participants joined.
fn room() -> (Workshop, usize) {
    let (file, text) = BUILT_IN.iter().find(|(f, _)| f.starts_with("learning")).unwrap();
    let template = WorkshopTemplate::parse(file, text).unwrap();
    let setup = WorkshopSetup {
        id: "w1".into(),
        date: now().date(),
        room_code: "kmp3x".into(),
        language: "en".into(),
        ..Default::default()
    };
    let mut w = Workshop::new(setup, &template, &[], now()).unwrap();
    for p in 0..PARTICIPANTS {
        let join = WorkshopCommand::Join {
            participant: format!("p{p}"),
            role: "partner".into(),
            org_type: ["TE office", "company", "municipality"][p % 3].into(),
        };
        w.apply(Actor::Participant(format!("p{p}")), join, now()).unwrap();
    }
    w.apply(Actor::Facilitator, WorkshopCommand::Start, now()).unwrap();
    while !matches!(w.current_phase().spec.kind, PhaseKind::DotVote(_)) {
        w.apply(Actor::Facilitator, WorkshopCommand::Next, now()).unwrap();
    }
    let phase = w.current;
    (w, phase)
}

/// The n-th vote of the stream: participants place and remove dots in turn, so the
/// budget never runs out however long the benchmark runs.
fn vote(w: &Workshop, phase: usize, n: usize) -> (Actor, WorkshopCommand) {
    let options = w.options(phase);
    let who = format!("p{}", n % PARTICIPANTS);
    // Cycle over as many items as each participant has dots: every round either places
    // a dot or takes one back, so the budget never runs out.
    let PhaseKind::DotVote(rules) = &w.phases[phase].spec.kind else { unreachable!("a dot-vote phase") };
    let item = options[(n / PARTICIPANTS) % (rules.dots as usize).min(options.len())];
    let cmd = if w.phases[phase].dots_on(&who, item) > 0 {
        WorkshopCommand::Undot { phase, item }
    } else {
        WorkshopCommand::Dot { phase, item }
    };
    (Actor::Participant(who), cmd)
}

fn vote_and_redraw(c: &mut Criterion) {
    let (workshop, phase) = room();
    let theme = Theme::built_in_default();
    let mut app = App::new(Keymap::default_keys(), "bench", now().date(), "bench");
    update(&mut app, Action::Loaded(Data { workshops: vec![workshop.clone()], ..Default::default() }));
    app.screen = Screen::Console(ConsoleView { id: "w1".into(), ..Default::default() });
    let mut terminal = Terminal::new(TestBackend::new(100, 30)).unwrap();
    let mut w = workshop;
    let mut n = 0;
    c.bench_function("workshop: vote applied + console tally redrawn (200 participants)", |b| {
        b.iter(|| {
            let (actor, cmd) = vote(&w, phase, n);
            n += 1;
            w.apply(actor, cmd, now()).unwrap();
            update(&mut app, Action::WorkshopChanged(w.clone()));
            terminal.draw(|f| render(f, &app, &theme)).unwrap();
            black_box(app.dirty)
        })
    });
}

fn durable_vote(c: &mut Criterion) {
    let (workshop, phase) = room();
    let dir = tempfile::tempdir().unwrap();
    let store = Store::open(dir.path()).unwrap();
    store.create_workshop(&workshop).unwrap();
    let runtime = Runtime::new(store);
    let mut w = workshop;
    let mut n = 0;
    let mut group = c.benchmark_group("workshop");
    group.sample_size(30);
    group.bench_function("vote applied durably (logged, flushed) via the runtime", |b| {
        b.iter(|| {
            let (actor, cmd) = vote(&w, phase, n);
            n += 1;
            match runtime.apply_workshop("w1", actor, cmd) {
                Action::WorkshopChanged(next) => w = next,
                other => panic!("vote refused: {other:?}"),
            }
        })
    });
    group.finish();
}

criterion_group!(benches, vote_and_redraw, durable_vote);
criterion_main!(benches);
