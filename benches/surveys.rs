//! Survey figures at scale: 100,000 respondents × 30 items.
//! Run: `cargo bench --bench surveys` (a few minutes; each import sample takes seconds).
//!
//! * import: the CSV read, checked and written into a fresh store through the very
//!   code `oppi survey import` runs (the command is parsed and run), and the read and
//!   check alone (`surveys::table::read`);
//! * reading the stored responses back: all of them as `Response`s (what the app does),
//!   and streamed, laid out by item (what `oppi survey tally` does);
//! * the tally: streamed straight from the store (the whole of `oppi survey tally` after
//!   startup), and of responses already in memory, overall and broken down by
//!   organisation type.
//!
//! Memory is not measured here; see `examples/gen_survey_csv.rs` for the commands whose
//! maximum RSS (`/usr/bin/time -v`) is the figure.

#[path = "../examples/gen_survey_csv.rs"]
mod generate;

use std::hint::black_box;
use std::path::Path;
use std::time::Duration;

use clap::Parser as _;
use criterion::{BatchSize, Criterion, criterion_group, criterion_main};

use oppi::cli::{self, Cli, Context};
use oppi::domain::Changeset;
use oppi::domain::survey::{AnswerLayout, StreamingTally, Survey, TallyFilter, tally_with};
use oppi::store::Store;
use oppi::surveys::{pilot_matcher, table};

const ROWS: usize = 100_000;

struct Fixture {
    dir: tempfile::TempDir,
    survey: Survey,
    csv: Vec<u8>,
}

fn fixture() -> Fixture {
    let dir = tempfile::tempdir().unwrap();
    let toml = generate::survey_toml();
    std::fs::write(dir.path().join("bench-30.toml"), &toml).unwrap();
    let pilots: Vec<String> = oppi::demo::pilots().into_iter().map(|p| p.name).collect();
    let csv = generate::csv(ROWS, &pilots);
    std::fs::write(dir.path().join("bench-30.csv"), &csv).unwrap();
    let survey = Survey::parse("bench-30.toml", &toml).unwrap();
    assert_eq!(survey.items.len(), 30);
    Fixture { dir, survey, csv: csv.into_bytes() }
}

/// A fresh store holding the demo pilots (the CSV names them), in its own directory.
fn fresh_store(parent: &Path) -> (tempfile::TempDir, Store) {
    let dir = tempfile::tempdir_in(parent).unwrap();
    let store = Store::open(dir.path()).unwrap();
    store.commit(Changeset { pilots: oppi::demo::pilots(), ..Default::default() }).unwrap();
    (dir, store)
}

fn import(c: &mut Criterion) {
    let f = fixture();
    let mut group = c.benchmark_group("survey import 100k×30");
    group.sample_size(10).warm_up_time(Duration::from_millis(100)).measurement_time(Duration::from_secs(30));

    let pilots = oppi::demo::pilots();
    group.bench_function("read + check CSV (surveys::table::read)", |b| {
        b.iter(|| {
            let responses = table::read(&f.survey, &f.csv, &pilots, table::Defaults::default(), &[]).unwrap();
            black_box(responses.len())
        })
    });

    let csv_path = f.dir.path().join("bench-30.csv");
    group.bench_function("oppi survey import (read + check + store write, flushed)", |b| {
        b.iter_batched(
            || fresh_store(f.dir.path()),
            |(dir, store)| {
                let ctx = Context {
                    store,
                    user: "bench".into(),
                    today: chrono::NaiveDate::from_ymd_opt(2020, 3, 16).unwrap(),
                    survey_dirs: vec![f.dir.path().to_path_buf()],
                };
                let args = ["oppi", "survey", "import", "bench-30", csv_path.to_str().unwrap()];
                let command = Cli::try_parse_from(args).unwrap().command.unwrap();
                cli::run(command, &ctx).unwrap();
                assert_eq!(ctx.store.response_count("bench-30").unwrap(), ROWS);
                (dir, ctx)
            },
            BatchSize::PerIteration,
        )
    });
    group.finish();
}

fn tally(c: &mut Criterion) {
    let f = fixture();
    let (_dir, store) = fresh_store(f.dir.path());
    let pilots = store.pilots().unwrap();
    let responses = table::read(&f.survey, &f.csv, &pilots, table::Defaults::default(), &[]).unwrap();
    store.import_responses(&f.survey, responses).unwrap();

    let mut group = c.benchmark_group("survey tally 100k×30");
    group.sample_size(10).warm_up_time(Duration::from_millis(100)).measurement_time(Duration::from_secs(20));
    group.bench_function("read stored responses (store.responses)", |b| {
        b.iter(|| black_box(store.responses("bench-30").unwrap().len()))
    });
    let layout = AnswerLayout::new(&f.survey);
    group.bench_function("stream stored responses laid out (store.dense_responses_iter)", |b| {
        b.iter(|| black_box(store.dense_responses_iter("bench-30", &layout).map(Result::unwrap).count()))
    });
    group.bench_function("tally streamed from the store (as oppi survey tally)", |b| {
        b.iter(|| {
            let mut t = StreamingTally::new(&f.survey, &TallyFilter::default(), pilot_matcher(&pilots)).unwrap();
            for r in store.dense_responses_iter("bench-30", &layout) {
                t.add_dense(&r.unwrap());
            }
            black_box(t.finish().respondents)
        })
    });
    let responses = store.responses("bench-30").unwrap();
    for (name, by) in [("tally", None), ("tally by org (5 groups)", Some("org".to_string()))] {
        let filter = TallyFilter { by, ..Default::default() };
        group.bench_function(name, |b| {
            b.iter(|| {
                black_box(tally_with(&f.survey, &responses, &filter, pilot_matcher(&pilots)).unwrap().respondents)
            })
        });
    }
    let filter = TallyFilter { pilot: Some("p2".into()), round: Some(2), ..Default::default() };
    group.bench_function("tally, one pilot and round", |b| {
        b.iter(|| black_box(tally_with(&f.survey, &responses, &filter, pilot_matcher(&pilots)).unwrap().respondents))
    });
    group.finish();
}

criterion_group!(benches, import, tally);
criterion_main!(benches);
