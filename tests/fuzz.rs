//! Fuzzing, as property tests that run in CI: every file format oppi reads is fed
//! mutated copies of real files (bytes flipped, inserted, deleted, duplicated, cut;
//! tokens of the format spliced in) and must answer with a value or a clear error —
//! never a panic or a hang. Errors from TOML files name the file, line and column;
//! CSV problems name a line. A backup that is refused leaves the store exactly as it
//! was; one that is accepted can be read back whole.
//!
//! `OPPI_FUZZ_CASES` sets the cases per target (default 256 for CI); the README
//! records the longer runs.

use std::sync::OnceLock;

use proptest::prelude::*;
use proptest::test_runner::{Config, TestRunner};

use oppi::domain::Changeset;
use oppi::domain::survey::Survey;
use oppi::domain::workshop::{BUILT_IN, WorkshopTemplate};
use oppi::store::Store;
use oppi::surveys::table;
use oppi::ui::Theme;

fn cases() -> u32 {
    std::env::var("OPPI_FUZZ_CASES").ok().and_then(|v| v.parse().ok()).unwrap_or(256)
}

fn runner() -> TestRunner {
    TestRunner::new(Config { cases: cases(), failure_persistence: None, ..Config::default() })
}

#[derive(Debug, Clone)]
enum Edit {
    Flip { at: usize, bits: u8 },
    Insert { at: usize, bytes: Vec<u8> },
    Token { at: usize, token: usize },
    Delete { at: usize, len: usize },
    Duplicate { at: usize, len: usize },
    Truncate { at: usize },
}

fn edit() -> impl Strategy<Value = Edit> {
    prop_oneof![
        (any::<usize>(), 1u8..=255).prop_map(|(at, bits)| Edit::Flip { at, bits }),
        (any::<usize>(), proptest::collection::vec(any::<u8>(), 1..8))
            .prop_map(|(at, bytes)| Edit::Insert { at, bytes }),
        (any::<usize>(), any::<usize>()).prop_map(|(at, token)| Edit::Token { at, token }),
        (any::<usize>(), 1usize..64).prop_map(|(at, len)| Edit::Delete { at, len }),
        (any::<usize>(), 1usize..256).prop_map(|(at, len)| Edit::Duplicate { at, len }),
        any::<usize>().prop_map(|at| Edit::Truncate { at }),
    ]
}

fn edits() -> impl Strategy<Value = Vec<Edit>> {
    proptest::collection::vec(edit(), 1..6)
}

/// Applies the edits to `seed`; `tokens` are pieces of the format worth splicing in.
fn mutate(seed: &[u8], edits: &[Edit], tokens: &[&str]) -> Vec<u8> {
    let mut b = seed.to_vec();
    for e in edits {
        let pos = |at: usize, len: usize| if len == 0 { 0 } else { at % (len + 1) };
        match e {
            Edit::Flip { at, bits } if !b.is_empty() => {
                let i = at % b.len();
                b[i] ^= bits;
            }
            Edit::Flip { .. } => {}
            Edit::Insert { at, bytes } => {
                let i = pos(*at, b.len());
                b.splice(i..i, bytes.iter().copied());
            }
            Edit::Token { at, token } => {
                let i = pos(*at, b.len());
                b.splice(i..i, tokens[token % tokens.len()].bytes());
            }
            Edit::Delete { at, len } => {
                let i = pos(*at, b.len());
                let end = (i + len).min(b.len());
                b.drain(i..end);
            }
            Edit::Duplicate { at, len } => {
                let i = pos(*at, b.len());
                let end = (i + len).min(b.len());
                let copy = b[i..end].to_vec();
                b.splice(end..end, copy);
            }
            Edit::Truncate { at } => {
                let i = pos(*at, b.len());
                b.truncate(i);
            }
        }
    }
    b
}

const TOML_TOKENS: &[&str] = &[
    "\"",
    "'",
    "[",
    "]",
    "[[",
    "]]",
    "{",
    "}",
    "=",
    ",",
    "\n",
    "#",
    "\\",
    "\"\"\"",
    "[[items]]\n",
    "[[phases]]\n",
    "[scales.x]\n",
    "type = \"scale\"\n",
    "type = \"single\"\n",
    "kind = \"dot-vote\"\n",
    "relevant = \"",
    " and ",
    " or not ",
    " == ",
    "0",
    "-1",
    "9999999999999999999",
    "1e309",
    "nan",
    "inf",
    "true",
    "[]",
    "{}",
    "é",
    "漢字",
    "\u{1b}[31m",
    "\u{0}",
    "minutes = 0\n",
    "dots = 4294967295\n",
    "max = -5\n",
];

const CSV_TOKENS: &[&str] = &[
    ",",
    ";",
    "\"",
    "\"\"",
    "\n",
    "\r\n",
    "\r",
    "\u{feff}",
    "Can't say",
    "Other: ",
    "9999999999999999999999",
    "-0",
    "1e400",
    "NaN",
    "inf",
    "Omavalmentaja",
    "p999",
    "0",
    "2",
    "2020-13-45",
    "é",
    "漢字",
    "\u{0}",
    "respondent",
    "round",
    ",,,,,,,,,,,,,,,,,,,,",
];

const JSON_TOKENS: &[&str] = &[
    "\"",
    "{",
    "}",
    "[",
    "]",
    ",",
    ":",
    "null",
    "true",
    "-1",
    "1e999",
    "18446744073709551616",
    "\"v\": 99",
    "\"data\": {}",
    "\\u0000",
    "\\ud800",
    "é",
];

/// Runs `check` on mutated copies of each seed; `check` says whether the input was
/// accepted. Prints how many were, so a run shows it got past the parsers.
fn fuzz(target: &str, seeds: &[(&str, Vec<u8>)], tokens: &'static [&'static str], check: impl Fn(&str, &[u8]) -> bool) {
    let mut runner = runner();
    let strategy = (0..seeds.len(), edits());
    let (accepted, total) = (std::cell::Cell::new(0), std::cell::Cell::new(0));
    runner
        .run(&strategy, |(seed, edits)| {
            let (name, bytes) = &seeds[seed];
            let input = mutate(bytes, &edits, tokens);
            total.set(total.get() + 1);
            accepted.set(accepted.get() + usize::from(check(name, &input)));
            Ok(())
        })
        .unwrap();
    eprintln!("fuzz {target}: {} inputs, {} accepted", total.get(), accepted.get());
}

/// A TOML parser's error must say where: `file:line:col` at the start of each message.
fn assert_positioned(file: &str, errors: &[String], input: &str) {
    assert!(!errors.is_empty(), "an error without a message for:\n{input}");
    for e in errors {
        let rest = e.strip_prefix(file).and_then(|r| r.strip_prefix(':'));
        let line_col: Vec<&str> = rest.map(|r| r.splitn(3, ':').take(2).collect()).unwrap_or_default();
        assert!(
            line_col.len() == 2 && line_col.iter().all(|n| n.parse::<u32>().is_ok_and(|n| n > 0)),
            "not positioned as {file}:line:col: {e}\n--- input ---\n{input}"
        );
    }
}

fn shipped_surveys() -> Vec<(&'static str, Vec<u8>)> {
    let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/surveys");
    let mut out = Vec::new();
    for name in ["client-2020.toml", "partner-2020.toml", "pulse-monthly.toml"] {
        out.push((name, std::fs::read(format!("{dir}/{name}")).unwrap()));
    }
    out.push((
        "mini.toml",
        std::fs::read(concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures/surveys/mini.toml")).unwrap(),
    ));
    out
}

#[test]
fn survey_toml() {
    fuzz("survey TOML", &shipped_surveys(), TOML_TOKENS, |name, bytes| {
        let text = String::from_utf8_lossy(bytes);
        match Survey::parse(name, &text) {
            Ok(_) => true,
            Err(errors) => {
                let errors: Vec<String> = errors.iter().map(ToString::to_string).collect();
                assert_positioned(name, &errors, &text);
                false
            }
        }
    });
}

#[test]
fn workshop_template_toml() {
    let seeds: Vec<(&str, Vec<u8>)> = BUILT_IN.iter().map(|(f, t)| (*f, t.as_bytes().to_vec())).collect();
    fuzz("workshop TOML", &seeds, TOML_TOKENS, |name, bytes| {
        let text = String::from_utf8_lossy(bytes);
        match WorkshopTemplate::parse(name, &text) {
            Ok(_) => true,
            Err(errors) => {
                assert_positioned(name, &errors, &text);
                false
            }
        }
    });
}

#[test]
fn theme_toml() {
    let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/themes");
    let seeds: Vec<(&str, Vec<u8>)> = ["default.toml", "light.toml", "high-contrast.toml"]
        .into_iter()
        .map(|n| (n, std::fs::read(format!("{dir}/{n}")).unwrap()))
        .collect();
    fuzz("theme TOML", &seeds, TOML_TOKENS, |name, bytes| {
        let text = String::from_utf8_lossy(bytes);
        match Theme::parse(name, &text) {
            Ok(_) => true,
            Err(e) => {
                assert_positioned(name, &[e], &text);
                false
            }
        }
    });
}

fn mini() -> &'static Survey {
    static MINI: OnceLock<Survey> = OnceLock::new();
    MINI.get_or_init(|| {
        let text =
            std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures/surveys/mini.toml")).unwrap();
        Survey::parse("mini.toml", &text).unwrap()
    })
}

#[test]
fn csv_import() {
    let fixtures = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures");
    let seeds: Vec<(&str, Vec<u8>)> = ["good.csv", "good-semicolon.csv", "bad.csv"]
        .into_iter()
        .map(|n| (n, std::fs::read(format!("{fixtures}/{n}")).unwrap()))
        .collect();
    let pilots = oppi::demo::pilots();
    fuzz("CSV import", &seeds, CSV_TOKENS, |_, bytes| {
        match table::read(mini(), bytes, &pilots, table::Defaults::default(), &[]) {
            Ok(responses) => {
                // Every accepted row is one respondent: nothing is invented.
                let lines = bytes.split(|b| *b == b'\n' || *b == b'\r').count();
                assert!(responses.len() <= lines, "{} responses from {lines} lines", responses.len());
                true
            }
            Err(problems) => {
                assert!(!problems.is_empty());
                for p in problems {
                    assert!(p.line >= 1 && !p.message.is_empty(), "{p:?}");
                }
                false
            }
        }
    });
}

/// A small store's backup: evaluation, pilots, an interview, a workshop, responses.
fn small_backup() -> String {
    let dir = tempfile::tempdir().unwrap();
    let store = Store::open(dir.path()).unwrap();
    let mut interviews = oppi::demo::interviews();
    interviews.truncate(2);
    for i in &mut interviews {
        i.id = String::new();
    }
    let mut workshop = oppi::demo::workshop_for_tests();
    workshop.id = String::new();
    store
        .commit(Changeset {
            evaluation: Some(oppi::demo::evaluation()),
            pilots: oppi::demo::pilots().into_iter().take(3).collect(),
            maps: oppi::demo::maps().into_iter().take(1).collect(),
            objectives: oppi::demo::objectives()
                .into_iter()
                .take(2)
                .map(|mut o| {
                    o.id = String::new();
                    o
                })
                .collect(),
            interviews: interviews.into_iter().take(1).collect(),
            new_workshops: vec![workshop],
            ..Default::default()
        })
        .unwrap();
    let responses = oppi::demo::surveys::responses();
    let (id, rs) = &responses[0];
    let survey = oppi::surveys::built_in().into_iter().find(|s| &s.id == id).unwrap();
    store.import_responses(&survey, rs.iter().take(3).cloned().collect()).unwrap();
    store.backup_json().unwrap()
}

/// A JSON value somewhere in `v`, replaced by `with` (structure-aware mutation).
fn replace_leaf(v: &mut serde_json::Value, mut pick: usize, with: serde_json::Value) {
    use serde_json::Value;
    // Descend while `pick` has digits left, choosing a child with each digit.
    let mut cur = v;
    while pick > 0 {
        let len = match &*cur {
            Value::Object(m) => m.len(),
            Value::Array(a) => a.len(),
            _ => 0,
        };
        if len == 0 {
            break;
        }
        let child = pick % len;
        pick /= len.max(2);
        cur = match cur {
            Value::Object(m) => m.values_mut().nth(child).unwrap(),
            Value::Array(a) => &mut a[child],
            _ => unreachable!("only containers have children"),
        };
    }
    *cur = with;
}

fn json_value() -> impl Strategy<Value = serde_json::Value> {
    use serde_json::{Value, json};
    prop_oneof![
        Just(Value::Null),
        any::<bool>().prop_map(Value::from),
        any::<i64>().prop_map(Value::from),
        any::<f64>().prop_map(|f| serde_json::Number::from_f64(f).map_or(Value::Null, Value::Number)),
        ".{0,12}".prop_map(Value::from),
        Just(json!([])),
        Just(json!({})),
        Just(json!(u64::MAX)),
        Just(json!({"v": 1, "data": null})),
    ]
}

#[test]
fn backup_restore() {
    let seed = small_backup();
    let doc: serde_json::Value = serde_json::from_str(&seed).unwrap();
    let dir = tempfile::tempdir().unwrap();
    let store = Store::open(dir.path()).unwrap();
    let check = |text: &str| {
        let before = store.backup_json().unwrap();
        match store.restore_json(text, true) {
            Err(_) => {
                assert_eq!(store.backup_json().unwrap(), before, "a refused backup changed the store");
                false
            }
            Ok(_) => {
                // Accepted: everything reads back, and a backup of it restores again.
                let again = store.backup_json().expect("an accepted backup reads back");
                store.restore_json(&again, true).expect("its own backup restores");
                for read in [store.pilots().map(drop), store.interviews().map(drop), store.objectives().map(drop)] {
                    read.expect("accepted records decode");
                }
                store.workshops().expect("accepted workshops rebuild");
                true
            }
        }
    };
    // Bytes: mostly the JSON parser's errors.
    fuzz("backup restore (bytes)", &[("backup.json", seed.as_bytes().to_vec())], JSON_TOKENS, |_, bytes| {
        check(&String::from_utf8_lossy(bytes))
    });
    // Structure: a valid document with one value somewhere replaced.
    let mut runner = runner();
    let (accepted, total) = (std::cell::Cell::new(0), std::cell::Cell::new(0));
    runner
        .run(&(proptest::collection::vec((any::<usize>(), json_value()), 1..4)), |changes| {
            let mut d = doc.clone();
            for (pick, with) in changes {
                replace_leaf(&mut d, pick, with);
            }
            total.set(total.get() + 1);
            accepted.set(accepted.get() + usize::from(check(&serde_json::to_string(&d).unwrap())));
            Ok(())
        })
        .unwrap();
    eprintln!("fuzz backup restore (values): {} inputs, {} accepted", total.get(), accepted.get());
}
