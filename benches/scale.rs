//! The performance table at scale (README "Performance"): a synthetic evaluation of
//! `OPPI_BENCH_SIZE` (default large: 25 pilots, 300 interviews, 20,000 coded segments,
//! 50,000 survey responses, 12 workshops), generated once by `benches/support`.
//! Run: `cargo bench --bench scale`.
//!
//! * store open, and open → first frame;
//! * a frame of each main screen with the whole evaluation loaded (120×40);
//! * keystroke → frame in the note editor;
//! * survey import (the 50,000 responses as CSV, into a fresh store) and tally;
//! * a workshop vote applied durably and the console redrawn;
//! * the report export (`oppi export report`).
//!
//! SSH vote fan-out is measured with the SSH server (`oppi serve`) in its own bench,
//! `benches/ssh.rs`.

mod support;

use std::hint::black_box;
use std::path::Path;
use std::time::Duration;

use chrono::NaiveDate;
use clap::Parser as _;
use criterion::{BatchSize, Criterion, criterion_group, criterion_main};
use ratatui::Terminal;
use ratatui::backend::TestBackend;

use oppi::app::keymap::Keymap;
use oppi::app::keys::{Key, KeyCode};
use oppi::app::{Action, App, update};
use oppi::cli::{self, Cli, Context};
use oppi::domain::Changeset;
use oppi::domain::survey::{AnswerLayout, StreamingTally, TallyFilter};
use oppi::domain::workshop::{Actor, PhaseKind, WorkshopCommand};
use oppi::runtime::Runtime;
use oppi::store::Store;
use oppi::surveys::pilot_matcher;
use oppi::term::dispatch;
use oppi::ui::{Theme, render};

fn today() -> NaiveDate {
    NaiveDate::from_ymd_opt(2020, 11, 30).unwrap()
}

fn context(store: Store, surveys: &Path) -> Context {
    Context { store, user: "bench".into(), today: today(), survey_dirs: vec![surveys.to_path_buf()] }
}

fn run(ctx: &Context, args: &[&str]) {
    let mut all = vec!["oppi"];
    all.extend_from_slice(args);
    let command = Cli::try_parse_from(all).unwrap().command.unwrap();
    cli::run(command, ctx).unwrap();
}

/// The app with the whole evaluation loaded, after pressing `keys` from the home screen,
/// its effects carried out by the runtime as a session's are (`term::dispatch`), and the
/// survey responses read as a session reads them after its first frame.
fn app_at(runtime: &Runtime, keys: &str) -> App {
    let mut app = App::new(Keymap::default_keys(), "bench", today(), "bench");
    dispatch(&mut app, runtime, Action::Loaded(runtime.load().unwrap()));
    dispatch(&mut app, runtime, Action::Idle);
    assert!(!app.data.responses_pending, "the responses are read");
    let mut chars = keys.chars();
    while let Some(c) = chars.next() {
        let key = match c {
            '\n' => Key::plain(KeyCode::Enter),
            '\t' => Key::plain(KeyCode::Tab),
            '^' => Key::ctrl(chars.next().unwrap()),
            c => Key::char(c),
        };
        dispatch(&mut app, runtime, Action::Key(key));
    }
    app
}

fn open_and_first_frame(c: &mut Criterion) {
    let size = support::size_name();
    let dir = support::evaluation(&size);
    let theme = Theme::built_in_default();
    let mut group = c.benchmark_group(format!("{size}: start-up"));
    group.sample_size(20);
    group.bench_function("store open", |b| b.iter(|| black_box(Store::open(&dir).unwrap())));
    group.bench_function("open → first frame (80×24)", |b| {
        b.iter(|| black_box(support::open_to_first_frame(&dir, &theme, today())))
    });
    group.finish();
}

const SCREENS: &[(&str, &str)] = &[
    ("home", ""),
    ("pilot", "j\n"),
    ("impact map", "j\nmll"),
    ("objectives", "O"),
    ("interviews", "i"),
    ("codes and segments", "c\t"),
    ("search", "F"),
    ("surveys", "U"),
    ("survey tally", "U\n"),
    ("workshops", "w"),
    ("workshop console", "w\n"),
];

fn screens(c: &mut Criterion) {
    let size = support::size_name();
    let runtime =
        Runtime::new(Store::open(&support::evaluation(&size)).unwrap()).with_surveys(oppi::surveys::built_in());
    let theme = Theme::built_in_default();
    let mut group = c.benchmark_group(format!("{size}: frame (120×40)"));
    for (name, keys) in SCREENS {
        let mut app = app_at(&runtime, keys);
        if *name == "search" {
            update(&mut app, Action::Paste("trust".into()));
        }
        let mut terminal = Terminal::new(TestBackend::new(120, 40)).unwrap();
        group.bench_function(*name, |b| b.iter(|| terminal.draw(|f| render(f, &app, &theme)).unwrap().area.width));
    }
    group.finish();
}

fn keystroke(c: &mut Criterion) {
    let size = support::size_name();
    let runtime = Runtime::new(Store::open(&support::evaluation(&size)).unwrap());
    let theme = Theme::built_in_default();
    let mut app = app_at(&runtime, "i\n");
    assert!(app.editor.is_some(), "the note editor is open");
    let mut terminal = Terminal::new(TestBackend::new(120, 40)).unwrap();
    let mut n = 0u32;
    let mut group = c.benchmark_group(format!("{size}: note editor"));
    group.bench_function("keystroke → frame (120×40)", |b| {
        b.iter(|| {
            // Type and delete, so the note stays the same size.
            n += 1;
            let key = if n.is_multiple_of(2) { Key::plain(KeyCode::Backspace) } else { Key::char('ä') };
            update(&mut app, Action::Key(key));
            terminal.draw(|f| render(f, &app, &theme)).unwrap().area.width
        })
    });
    group.finish();
}

fn surveys(c: &mut Criterion) {
    let size = support::size_name();
    let dir = support::evaluation(&size);
    let work = tempfile::tempdir().unwrap();
    let csv = work.path().join("client-2020.csv");
    let (pilots, count) = {
        let ctx = context(Store::open(&dir).unwrap(), work.path());
        run(&ctx, &["survey", "export", "client-2020", "--csv", "--out", csv.to_str().unwrap()]);
        (ctx.store.pilots().unwrap(), ctx.store.response_count("client-2020").unwrap())
    };
    let mut group = c.benchmark_group(format!("{size}: survey"));
    group.sample_size(10).warm_up_time(Duration::from_millis(100)).measurement_time(Duration::from_secs(20));
    group.bench_function(format!("import {count} responses (oppi survey import, flushed)"), |b| {
        b.iter_batched(
            || {
                let into = tempfile::tempdir_in(work.path()).unwrap();
                let store = Store::open(into.path()).unwrap();
                store.commit(Changeset { pilots: pilots.clone(), ..Default::default() }).unwrap();
                (into, context(store, work.path()))
            },
            |(into, ctx)| {
                run(&ctx, &["survey", "import", "client-2020", csv.to_str().unwrap()]);
                (into, ctx)
            },
            BatchSize::PerIteration,
        )
    });
    let store = Store::open(&dir).unwrap();
    let survey = oppi::surveys::built_in().into_iter().find(|s| s.id == "client-2020").unwrap();
    let layout = AnswerLayout::new(&survey);
    for (name, by) in [("tally", None), ("tally by service mode", Some("service_mode".to_string()))] {
        let filter = TallyFilter { by, ..Default::default() };
        group.bench_function(format!("{name}, {count} responses (as oppi survey tally)"), |b| {
            b.iter(|| {
                let mut t = StreamingTally::new(&survey, &filter, pilot_matcher(&pilots)).unwrap();
                for r in store.dense_responses_iter("client-2020", &layout) {
                    t.add_dense(&r.unwrap());
                }
                black_box(t.finish().respondents)
            })
        });
    }
    group.finish();
}

fn workshop_vote(c: &mut Criterion) {
    let size = support::size_name();
    // A copy, so the votes do not grow the shared store.
    let copy = tempfile::tempdir().unwrap();
    {
        let store = Store::open(&support::evaluation(&size)).unwrap();
        let text = store.backup_json().unwrap();
        Store::open(copy.path()).unwrap().restore_json(&text, false).unwrap();
    }
    let runtime = Runtime::new(Store::open(copy.path()).unwrap());
    let theme = Theme::built_in_default();
    // The first generated workshop (the demo's own has ended): open its console.
    let data = runtime.load().unwrap();
    let at = data
        .workshops
        .iter()
        .position(|w| matches!(w.current_phase().spec.kind, PhaseKind::DotVote(_)) && !w.is_finished())
        .expect("a generated workshop in its dot vote");
    let mut app = app_at(&runtime, &format!("w{}\n", "j".repeat(at)));
    let mut w = data.workshops[at].clone();
    assert!(
        matches!(&app.screen, oppi::app::Screen::Console(view) if view.id == w.id),
        "the console of {} is open",
        w.id
    );
    let phase = w.current;
    let PhaseKind::DotVote(rules) = &w.phases[phase].spec.kind else {
        panic!("the generated workshops end in a dot vote")
    };
    let dots = rules.dots as usize;
    let voters: Vec<String> = w.participants.keys().cloned().collect();
    let options = w.options(phase);
    let mut terminal = Terminal::new(TestBackend::new(120, 40)).unwrap();
    let mut n = 0usize;
    let mut group = c.benchmark_group(format!("{size}: workshop"));
    group.sample_size(30);
    group.bench_function(format!("vote applied durably + console redrawn ({} participants)", voters.len()), |b| {
        b.iter(|| {
            // Each voter in turn takes back a dot or places one: budgets never run out.
            let who = &voters[n % voters.len()];
            let item = options[(n / voters.len()) % dots.min(options.len())];
            n += 1;
            let cmd = if w.phases[phase].dots_on(who, item) > 0 {
                WorkshopCommand::Undot { phase, item }
            } else if w.phases[phase].dots_used(who) < dots as u32 {
                WorkshopCommand::Dot { phase, item }
            } else {
                let placed = options.iter().find(|i| w.phases[phase].dots_on(who, **i) > 0).unwrap();
                WorkshopCommand::Undot { phase, item: *placed }
            };
            let changed = runtime.apply_workshop(&w.id, Actor::Participant(who.clone()), cmd);
            if let Action::WorkshopChanged(next) = &changed {
                w = next.clone();
            }
            update(&mut app, changed);
            terminal.draw(|f| render(f, &app, &theme)).unwrap().area.width
        })
    });
    group.finish();
}

fn report(c: &mut Criterion) {
    let size = support::size_name();
    let work = tempfile::tempdir().unwrap();
    let out = work.path().join("report.md");
    let ctx = context(Store::open(&support::evaluation(&size)).unwrap(), work.path());
    let mut group = c.benchmark_group(format!("{size}: export"));
    group.sample_size(10);
    group.bench_function("report (oppi export report)", |b| {
        b.iter(|| run(&ctx, &["export", "report", "--out", out.to_str().unwrap()]))
    });
    group.finish();
}

criterion_group!(benches, open_and_first_frame, screens, keystroke, surveys, workshop_vote, report);
criterion_main!(benches);
