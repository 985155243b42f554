//! `oppi survey …` through the built binary: validate, import, export, tally, list.
//!
//! Fixtures are in tests/fixtures: `surveys/mini.toml` (one item of each kind that the
//! tally treats differently, skip logic, a pilot-only and a round-2 item) and CSV files
//! of five respondents whose tally is worked out by hand below.

use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};

use serde_json::{Value, json};

const OPPI: &str = env!("CARGO_BIN_EXE_oppi");

fn fixture(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures").join(name)
}

fn fixture_dir() -> String {
    fixture("surveys").display().to_string()
}

/// A throwaway HOME and XDG dirs, and a store directory inside them.
struct Env {
    root: tempfile::TempDir,
}

impl Env {
    fn new() -> Env {
        let root = tempfile::Builder::new().prefix("oppi-survey-test-").tempdir().unwrap();
        for sub in ["home", "config", "data"] {
            std::fs::create_dir_all(root.path().join(sub)).unwrap();
        }
        Env { root }
    }

    fn path(&self, name: &str) -> PathBuf {
        self.root.path().join(name)
    }

    fn command(&self, store: &str, args: &[&str]) -> Command {
        let mut cmd = Command::new(OPPI);
        cmd.env("HOME", self.path("home"))
            .env("XDG_CONFIG_HOME", self.path("config"))
            .env("XDG_DATA_HOME", self.path("data"))
            .env("NO_COLOR", "1")
            .env_remove("OPPI_STORE")
            .arg("--store")
            .arg(self.path(store))
            .args(args)
            .stdin(Stdio::null());
        cmd
    }

    /// `oppi --store <root>/<store> ARGS…`
    fn run_in(&self, store: &str, args: &[&str]) -> Output {
        self.command(store, args).output().expect("run oppi")
    }

    fn ok_in(&self, store: &str, args: &[&str]) -> String {
        let out = self.run_in(store, args);
        assert!(out.status.success(), "oppi {args:?} should succeed\n{}", describe(&out));
        assert_no_panic(&out);
        String::from_utf8(out.stdout).unwrap()
    }

    /// Asserts failure with exit code 1 and returns stderr.
    fn fail_in(&self, store: &str, args: &[&str]) -> String {
        let out = self.run_in(store, args);
        assert_eq!(out.status.code(), Some(1), "oppi {args:?} should fail with 1\n{}", describe(&out));
        assert_no_panic(&out);
        let stderr = String::from_utf8(out.stderr).unwrap();
        assert!(stderr.starts_with("oppi: "), "{stderr}");
        stderr
    }

    fn ok(&self, args: &[&str]) -> String {
        self.ok_in("store", args)
    }

    fn fail(&self, args: &[&str]) -> String {
        self.fail_in("store", args)
    }

    fn json(&self, args: &[&str]) -> Value {
        let out = self.ok(args);
        serde_json::from_str(&out).unwrap_or_else(|e| panic!("{args:?}: invalid JSON ({e}):\n{out}"))
    }

    /// The two pilots the fixtures name: ICT-rekry (p1) and Omavalmentaja (p2, also
    /// called "Personal coach").
    fn with_pilots(&self, store: &str) {
        assert_eq!(self.ok_in(store, &["pilot", "add", "ICT-rekry"]).trim(), "p1");
        let out = self.ok_in(store, &["pilot", "add", "Omavalmentaja", "--set", "alt-names=Personal coach"]);
        assert_eq!(out.trim(), "p2");
    }

    fn snapshot(&self) -> String {
        self.ok(&["backup", "-"])
    }
}

fn describe(out: &Output) -> String {
    format!(
        "exit: {:?}\n--- stdout ---\n{}\n--- stderr ---\n{}",
        out.status.code(),
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    )
}

fn assert_no_panic(out: &Output) {
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(!stderr.contains("panicked"), "oppi panicked\n{}", describe(out));
}

fn s(p: &Path) -> String {
    p.display().to_string()
}

/// The five respondents of good.csv, tallied by hand:
/// r1 p2 round 1 TE office; r2 p1 round 1 Company; r3 p2 round 2 "Municipality" (Other);
/// r4 p1 round 2 Company; r5 p2 round 2 TE office.
fn expected_tally() -> Value {
    json!({
        "survey": "mini",
        "respondents": 5,
        "items": [
            { "id": "org", "type": "single", "n": 5, "missing": 0,
              "counts": { "TE office": 2, "Company": 2, "Other": 1 } },
            // 4, can't say, "Disagree" = 2, 5, empty: the mean and median leave out can't say.
            { "id": "goals_clear", "type": "scale", "n": 4, "dont_know": 1, "missing": 1,
              "counts": { "1": 0, "2": 1, "3": 0, "4": 1, "5": 1 }, "mean": 3.67, "median": 4 },
            // coach+training, money (by label), coach + "Peer support" (Other), empty, training.
            { "id": "help", "type": "multi", "n": 4, "missing": 1,
              "counts": { "coach": 2, "training": 2, "money": 1, "Other": 1 } },
            // Asked of companies only: r2 answered, r4 did not.
            { "id": "why_company", "type": "text", "n": 1, "missing": 1 },
            // Asked for "Personal coach" = Omavalmentaja (r1, r3, r5) only.
            { "id": "coach_good", "type": "scale", "n": 3, "dont_know": 1, "missing": 0,
              "counts": { "1": 0, "2": 0, "3": 0, "4": 1, "5": 1 }, "mean": 4.5, "median": 4.5 },
            // Round 2 only: r3, r4, r5.
            { "id": "later", "type": "single", "n": 3, "missing": 0, "counts": { "Yes": 1, "No": 2 } },
            { "id": "hours", "type": "number", "n": 4, "missing": 1,
              "mean": 8.75, "median": 7.5, "min": 0, "max": 20 },
            // 9, 10, 6, 7, 3
            { "id": "nps", "type": "nps", "n": 5, "missing": 0,
              "promoters": 2, "passives": 1, "detractors": 2, "score": 0.0 },
        ]
    })
}

// ---------------------------------------------------------------------------------
// validate

#[test]
fn validate_accepts_good_files_without_opening_the_store() {
    let env = Env::new();
    // Another holder of the store does not matter: validate never opens it.
    let _held = oppi::store::Store::open(&env.path("store")).unwrap();
    let mini = s(&fixture("surveys/mini.toml"));
    let out = env.ok(&["survey", "validate", &mini]);
    assert_eq!(out, format!("{mini}: ok (mini version 1, 8 items)\n"));
}

#[test]
fn validate_names_file_line_and_column_of_every_problem() {
    let env = Env::new();
    let bad = env.path("bad.toml");
    std::fs::write(
        &bad,
        "id = \"bad\"\ntitle = \"Bad\"\nversion = 1\n\n[[items]]\nid = \"q\"\ntype = \"scale\"\nscale = \"nope\"\ntext = \"Q\"\n\n\
         [[items]]\nid = \"r\"\ntype = \"text\"\ntext = \"R\"\nrelevant = \"q == 'x' and\"\n",
    )
    .unwrap();
    let twin = env.path("twin.toml");
    std::fs::copy(fixture("surveys/mini.toml"), &twin).unwrap();
    let mini = s(&fixture("surveys/mini.toml"));
    let out = env.run_in("store", &["survey", "validate", &s(&bad), &mini, &s(&twin)]);
    assert_eq!(out.status.code(), Some(1), "{}", describe(&out));
    let stderr = String::from_utf8(out.stderr).unwrap();
    let lines: Vec<&str> = stderr.lines().collect();
    assert_eq!(lines[0], "oppi: 3 problems in survey files:", "{stderr}");
    assert!(lines[1].starts_with(&format!("{}:8:9: unknown scale `nope`", s(&bad))), "{stderr}");
    assert!(lines[2].starts_with(&format!("{}:15:25: `relevant`: expected a comparison", s(&bad))), "{stderr}");
    assert_eq!(lines[3], format!("survey id 'mini' is defined twice: in {mini} and in {}", s(&twin)));
    // The good files are still reported.
    assert!(String::from_utf8(out.stdout).unwrap().contains("twin.toml: ok (mini version 1"));
    assert!(!env.path("store").exists(), "validate must not create a store");
}

// ---------------------------------------------------------------------------------
// import and tally

#[test]
fn import_with_bom_then_tally_matches_the_hand_count() {
    let env = Env::new();
    env.with_pilots("store");
    let dir = fixture_dir();
    let out = env.run_in("store", &["--surveys", &dir, "survey", "import", "mini", &s(&fixture("good.csv"))]);
    assert!(out.status.success(), "{}", describe(&out));
    assert_eq!(String::from_utf8_lossy(&out.stderr), "imported 5 responses into mini (version 1); 5 stored in all\n");

    let tally = env.json(&["--surveys", &dir, "survey", "tally", "mini", "--json"]);
    assert_eq!(tally, expected_tally(), "{tally:#}");
}

#[test]
fn tally_filters_by_pilot_round_and_breaks_down_by_an_item() {
    let env = Env::new();
    env.with_pilots("store");
    let dir = fixture_dir();
    env.ok(&["--surveys", &dir, "survey", "import", "mini", &s(&fixture("good.csv"))]);

    let by = env.json(&["--surveys", &dir, "survey", "tally", "mini", "--by", "org", "--json"]);
    assert_eq!(by["items"], expected_tally()["items"], "the overall figures do not change");
    let groups = by["groups"].as_array().unwrap();
    let values: Vec<(&str, u64)> =
        groups.iter().map(|g| (g["value"].as_str().unwrap(), g["respondents"].as_u64().unwrap())).collect();
    assert_eq!(values, [("TE office", 2), ("Company", 2), ("Other", 1)]);
    // TE office: r1 and r5, both of Omavalmentaja.
    assert_eq!(
        groups[0]["items"],
        json!([
            { "id": "org", "type": "single", "n": 2, "missing": 0, "counts": { "TE office": 2, "Company": 0, "Other": 0 } },
            { "id": "goals_clear", "type": "scale", "n": 1, "dont_know": 0, "missing": 1,
              "counts": { "1": 0, "2": 0, "3": 0, "4": 1, "5": 0 }, "mean": 4.0, "median": 4 },
            { "id": "help", "type": "multi", "n": 2, "missing": 0,
              "counts": { "coach": 1, "training": 2, "money": 0, "Other": 0 } },
            { "id": "why_company", "type": "text", "n": 0, "missing": 0 },
            { "id": "coach_good", "type": "scale", "n": 2, "dont_know": 0, "missing": 0,
              "counts": { "1": 0, "2": 0, "3": 0, "4": 1, "5": 1 }, "mean": 4.5, "median": 4.5 },
            { "id": "later", "type": "single", "n": 1, "missing": 0, "counts": { "Yes": 0, "No": 1 } },
            { "id": "hours", "type": "number", "n": 2, "missing": 0, "mean": 5.0, "median": 5, "min": 0, "max": 10 },
            { "id": "nps", "type": "nps", "n": 2, "missing": 0, "promoters": 1, "passives": 0, "detractors": 1, "score": 0.0 },
        ])
    );
    // Companies are both of ICT-rekry: the coach item was never asked of them.
    let company = &groups[1]["items"];
    assert_eq!(
        company[4],
        json!({ "id": "coach_good", "type": "scale", "n": 0, "dont_know": 0, "missing": 0,
        "counts": { "1": 0, "2": 0, "3": 0, "4": 0, "5": 0 }, "mean": null, "median": null })
    );
    assert_eq!(company[3], json!({ "id": "why_company", "type": "text", "n": 1, "missing": 1 }));
    assert_eq!(company[7]["score"], json!(50.0));

    let round2 = env.json(&["--surveys", &dir, "survey", "tally", "mini", "--round", "2", "--json"]);
    assert_eq!(round2["respondents"], 3);
    assert_eq!(
        round2["items"][5],
        json!({ "id": "later", "type": "single", "n": 3, "missing": 0, "counts": { "Yes": 1, "No": 2 } })
    );
    // A pilot is found by any of its names; the filter keeps r1, r3 and r5.
    let coach = env.json(&["--surveys", &dir, "survey", "tally", "mini", "--pilot", "personal coach", "--json"]);
    assert_eq!(coach["respondents"], 3);
    assert_eq!(coach["items"][4]["n"], 3);
    assert_eq!(coach["items"][0]["counts"], json!({ "TE office": 2, "Company": 0, "Other": 1 }));

    let err = env.fail(&["--surveys", &dir, "survey", "tally", "mini", "--by", "goals_clear"]);
    assert!(err.contains("not a single-choice item"), "{err}");
    let err = env.fail(&["--surveys", &dir, "survey", "tally", "mini", "--pilot", "Atlantis"]);
    assert!(err.contains("no pilot 'Atlantis'"), "{err}");

    // The readable table shows n, can't say, missing, mean and median, and warns on low n.
    let text = env.ok(&["--surveys", &dir, "survey", "tally", "mini"]);
    assert!(text.starts_with("Mini survey (mini version 1): 5 respondents\n"), "{text}");
    assert!(text.contains("n 4 · Can't say 1 · missing 1 · mean 3.67 · median 4   ⚠ low n (fewer than 10)"), "{text}");
    assert!(text.contains("n 5 · missing 0 · NPS 0"), "{text}");
}

#[test]
fn semicolon_delimited_import_reads_the_same_answers() {
    let env = Env::new();
    let dir = fixture_dir();
    env.with_pilots("comma");
    env.with_pilots("semicolon");
    env.ok_in("comma", &["--surveys", &dir, "survey", "import", "mini", &s(&fixture("good.csv"))]);
    env.ok_in("semicolon", &["--surveys", &dir, "survey", "import", "mini", &s(&fixture("good-semicolon.csv"))]);
    let a = env.ok_in("comma", &["--surveys", &dir, "survey", "export", "mini", "--csv"]);
    let b = env.ok_in("semicolon", &["--surveys", &dir, "survey", "export", "mini", "--csv"]);
    assert_eq!(a, b);
    let tally: Value =
        serde_json::from_str(&env.ok_in("semicolon", &["--surveys", &dir, "survey", "tally", "mini", "--json"]))
            .unwrap();
    assert_eq!(tally, expected_tally());
}

#[test]
fn a_bad_file_imports_nothing_and_lists_every_problem() {
    let env = Env::new();
    env.with_pilots("store");
    let dir = fixture_dir();
    let before = env.snapshot();
    let err = env.fail(&["--surveys", &dir, "survey", "import", "mini", &s(&fixture("bad.csv"))]);
    let bad = s(&fixture("bad.csv"));
    let expected = [
        format!("oppi: nothing was imported: 9 problems in {bad}:"),
        "line 1, column colour: unknown column (column 8); expected respondent, pilot, round, submitted, or an item id \
         of mini: org, goals_clear, help, why_company, coach_good, later, hours, nps"
            .into(),
        "line 2 (respondent b1), column goals_clear: 7 is not a value of scale `agree5` (1, 2, 3, 4, 5) or 'Can't say'"
            .into(),
        "line 3 (respondent b2), column pilot: no pilot 'Nowhere' (try `oppi pilot list`)".into(),
        "line 4 (respondent b3), column round: 'x' is not a round number (1, 2, …)".into(),
        "line 4 (respondent b3), column hours: 150 is outside 0–100".into(),
        "line 5 (respondent b4), column why_company: answer to an item that was not asked: its condition \
         `org == 'Company'` is false"
            .into(),
        "line 6 (respondent b5), column help: 3 options chosen; at most 2 allowed".into(),
        "line 6 (respondent b5), column nps: 11 is outside 0–10".into(),
        "line 7 (respondent b1), column respondent: respondent 'b1' in round 1 is also on line 2".into(),
    ];
    assert_eq!(err.lines().collect::<Vec<_>>(), expected);
    assert_eq!(env.snapshot(), before, "the store is unchanged");
    let tally = env.json(&["--surveys", &dir, "survey", "tally", "mini", "--json"]);
    assert_eq!(tally["respondents"], 0);
}

#[test]
fn many_problems_are_cut_at_fifty() {
    let env = Env::new();
    let dir = fixture_dir();
    let csv = env.path("many.csv");
    let mut text = String::from("respondent,org,goals_clear\n");
    for i in 0..60 {
        text.push_str(&format!("m{i},Company,9\n"));
    }
    std::fs::write(&csv, text).unwrap();
    let err = env.fail(&["--surveys", &dir, "survey", "import", "mini", &s(&csv)]);
    let lines: Vec<&str> = err.lines().collect();
    assert!(lines[0].ends_with(&format!("60 problems in {}:", s(&csv))), "{err}");
    assert_eq!(lines.len(), 1 + 50 + 1, "{err}");
    assert!(lines[50].starts_with("line 51 (respondent m49), column goals_clear: 9 is not"), "{err}");
    assert_eq!(lines[51], "… and 10 more");
}

#[test]
fn a_respondent_already_stored_is_refused() {
    let env = Env::new();
    env.with_pilots("store");
    let dir = fixture_dir();
    let good = s(&fixture("good.csv"));
    env.ok(&["--surveys", &dir, "survey", "import", "mini", &good]);
    let before = env.snapshot();
    let err = env.fail(&["--surveys", &dir, "survey", "import", "mini", &good]);
    assert!(err.contains("nothing was imported: 5 problems"), "{err}");
    assert!(
        err.contains(
            "line 2 (respondent r1), column respondent: respondent 'r1' in round 1 is already stored for mini"
        ),
        "{err}"
    );
    assert_eq!(env.snapshot(), before);
}

#[test]
fn flags_give_pilot_and_round_to_rows_without_them() {
    let env = Env::new();
    env.with_pilots("store");
    let dir = fixture_dir();
    let csv = env.path("flags.csv");
    std::fs::write(&csv, "respondent,round,org,coach_good,later\nf1,,TE office,4,Yes\nf2,1,Company,,\n").unwrap();
    let err = env.fail(&["--surveys", &dir, "survey", "import", "mini", &s(&csv), "--pilot", "p2", "--round", "2"]);
    assert!(err.contains("line 3 (respondent f2), column round: 1 differs from --round 2"), "{err}");
    std::fs::write(&csv, "respondent,round,org,coach_good,later\nf1,,TE office,4,Yes\nf2,2,Company,,\n").unwrap();
    env.ok(&["--surveys", &dir, "survey", "import", "mini", &s(&csv), "--pilot", "Personal coach", "--round", "2"]);
    let out = env.ok(&["--surveys", &dir, "survey", "export", "mini", "--csv"]);
    assert_eq!(
        out,
        "respondent,pilot,round,submitted,org,goals_clear,help,why_company,coach_good,later,hours,nps\n\
         f1,Omavalmentaja,2,,TE office,,,,4,Yes,,\n\
         f2,Omavalmentaja,2,,Company,,,,,,,\n"
    );
}

// ---------------------------------------------------------------------------------
// export

#[cfg(unix)]
#[test]
fn export_to_a_pipe_leaves_the_pipe_in_place() {
    use std::os::unix::fs::FileTypeExt;
    let env = Env::new();
    let dir = fixture_dir();
    env.with_pilots("store");
    env.ok(&["--surveys", &dir, "survey", "import", "mini", &s(&fixture("good.csv"))]);
    let expected = env.ok(&["--surveys", &dir, "survey", "export", "mini", "--csv"]);
    let fifo = env.path("responses.pipe");
    assert!(Command::new("mkfifo").arg(&fifo).status().expect("run mkfifo").success());
    let reader = {
        let fifo = fifo.clone();
        std::thread::spawn(move || std::fs::read_to_string(fifo).unwrap())
    };
    env.ok(&["--surveys", &dir, "survey", "export", "mini", "--csv", "--out", &s(&fifo)]);
    // Replaced by a rename, the reader would wait for ever: look before joining it.
    assert!(std::fs::metadata(&fifo).unwrap().file_type().is_fifo(), "the pipe is still a pipe");
    assert_eq!(reader.join().unwrap(), expected);
}

#[test]
fn export_then_import_into_a_fresh_store_gives_identical_bytes() {
    let env = Env::new();
    let dir = fixture_dir();
    env.with_pilots("first");
    env.with_pilots("second");
    env.ok_in("first", &["--surveys", &dir, "survey", "import", "mini", &s(&fixture("good.csv"))]);
    let first = env.path("first.csv");
    env.ok_in("first", &["--surveys", &dir, "survey", "export", "mini", "--csv", "--out", &s(&first)]);
    env.ok_in("second", &["--surveys", &dir, "survey", "import", "mini", &s(&first)]);
    let second = env.path("second.csv");
    env.ok_in("second", &["--surveys", &dir, "survey", "export", "mini", "--csv", "--out", &s(&second)]);
    let (a, b) = (std::fs::read(&first).unwrap(), std::fs::read(&second).unwrap());
    assert_eq!(String::from_utf8_lossy(&a), String::from_utf8_lossy(&b));
    assert_eq!(
        String::from_utf8(a).unwrap(),
        "respondent,pilot,round,submitted,org,goals_clear,help,why_company,coach_good,later,hours,nps\n\
         r1,Omavalmentaja,1,2020-10-01,TE office,4,coach;training,,5,,10,9\n\
         r2,ICT-rekry,1,2020-10-02T09:30:00+03:00,Company,Can't say,money,\"We needed staff, fast\",,,20,10\n\
         r3,Omavalmentaja,2,,Municipality,2,coach;Peer support,,Can't say,Yes,,6\n\
         r4,ICT-rekry,2,2020-11-15,Company,5,,,,No,5,7\n\
         r5,Omavalmentaja,2,2020-11-16,TE office,,training,,4,No,0,3\n"
    );
}

#[test]
fn demo_surveys_round_trip_through_csv() {
    let env = Env::new();
    env.ok_in("demo", &["demo", "init"]);
    let list: Value = serde_json::from_str(&env.ok_in("demo", &["survey", "list", "--json"])).unwrap();
    let counts: Vec<(&str, u64, &str)> = list
        .as_array()
        .unwrap()
        .iter()
        .map(|s| (s["id"].as_str().unwrap(), s["responses"].as_u64().unwrap(), s["source"].as_str().unwrap()))
        .collect();
    assert_eq!(
        counts,
        [("client-2020", 520, "built-in"), ("partner-2020", 73, "built-in"), ("pulse-monthly", 48, "built-in")]
    );

    // A copy of the demo store without its survey data: pilots only.
    let mut doc: Value = serde_json::from_str(&env.ok_in("demo", &["backup", "-"])).unwrap();
    doc["records"].as_object_mut().unwrap().retain(|k, _| !k.starts_with("response/") && !k.starts_with("survey/"));
    let backup = env.path("pilots-only.json");
    std::fs::write(&backup, doc.to_string()).unwrap();
    env.ok_in("copy", &["restore", &s(&backup)]);

    for id in ["partner-2020", "client-2020", "pulse-monthly"] {
        let csv = env.path(&format!("{id}.csv"));
        env.ok_in("demo", &["survey", "export", id, "--csv", "--out", &s(&csv)]);
        env.ok_in("copy", &["survey", "import", id, &s(&csv)]);
        let again = env.ok_in("copy", &["survey", "export", id, "--csv"]);
        assert_eq!(again, std::fs::read_to_string(&csv).unwrap(), "{id}");
        let t1 = env.ok_in("demo", &["survey", "tally", id, "--json"]);
        let t2 = env.ok_in("copy", &["survey", "tally", id, "--json"]);
        assert_eq!(t1, t2, "{id}");
    }
    let partner = std::fs::read_to_string(env.path("partner-2020.csv")).unwrap();
    assert!(partner.starts_with("respondent,pilot,round,submitted,pilot,org,role,"), "{partner}");
}

// ---------------------------------------------------------------------------------
// definitions: changed files, duplicate ids, list

#[test]
fn a_changed_definition_is_refused_until_its_version_is_bumped() {
    let env = Env::new();
    env.with_pilots("store");
    let dir = env.path("surveys");
    std::fs::create_dir(&dir).unwrap();
    let file = dir.join("mini.toml");
    let original = std::fs::read_to_string(fixture("surveys/mini.toml")).unwrap();
    std::fs::write(&file, &original).unwrap();
    let d = s(&dir);
    env.ok(&["--surveys", &d, "survey", "import", "mini", &s(&fixture("good.csv"))]);

    // Comments and layout may change freely.
    std::fs::write(&file, format!("# Reviewed 2020-12-01\n{original}")).unwrap();
    let out = env.run_in("store", &["--surveys", &d, "survey", "tally", "mini", "--json"]);
    assert!(out.status.success() && out.stderr.is_empty(), "{}", describe(&out));

    // A reworded item under the same version is not.
    std::fs::write(&file, original.replace("The goals of the pilot were clear to me", "Goals were clear")).unwrap();
    let csv = env.path("more.csv");
    std::fs::write(&csv, "respondent,org\nr9,Company\n").unwrap();
    let before = env.snapshot();
    let err = env.fail(&["--surveys", &d, "survey", "import", "mini", &s(&csv)]);
    assert_eq!(
        err,
        format!(
            "oppi: {}: survey mini version 1 is already stored with different content; responses stored under it \
             must stay readable, so a changed instrument needs a new version: set `version = 2` in the file\n",
            s(&file)
        )
    );
    assert_eq!(env.snapshot(), before);
    // Reading stored data still works, with the stored definition and a warning.
    let out = env.run_in("store", &["--surveys", &d, "survey", "tally", "mini", "--json"]);
    assert!(out.status.success(), "{}", describe(&out));
    assert!(String::from_utf8_lossy(&out.stderr).starts_with("warning: "), "{}", describe(&out));
    assert_eq!(serde_json::from_slice::<Value>(&out.stdout).unwrap(), expected_tally());

    // Bumped, it is stored next to the old version.
    std::fs::write(
        &file,
        original
            .replace("The goals of the pilot were clear to me", "Goals were clear")
            .replace("version = 1", "version = 2"),
    )
    .unwrap();
    let out = env.run_in("store", &["--surveys", &d, "survey", "import", "mini", &s(&csv)]);
    assert!(out.status.success(), "{}", describe(&out));
    assert_eq!(String::from_utf8_lossy(&out.stderr), "imported 1 response into mini (version 2); 6 stored in all\n");
    let list = env.json(&["--surveys", &d, "survey", "list", "--json"]);
    let mini = list.as_array().unwrap().iter().find(|s| s["id"] == "mini").unwrap();
    assert_eq!(mini["stored_versions"], json!([1, 2]));
    assert_eq!(mini["responses"], 6);
    assert_eq!(mini["path"], json!(s(&file)));

    // Without the directory, the stored definition still lists and tallies.
    let list = env.json(&["survey", "list", "--json"]);
    let mini = list.as_array().unwrap().iter().find(|s| s["id"] == "mini").unwrap();
    assert_eq!((mini["source"].as_str(), mini["version"].as_u64()), (Some("stored"), Some(2)));
    assert_eq!(env.json(&["survey", "tally", "mini", "--json"])["respondents"], 6);
}

#[test]
fn two_files_with_one_id_are_an_error_naming_both() {
    let env = Env::new();
    let dir = env.path("surveys");
    std::fs::create_dir(&dir).unwrap();
    std::fs::copy(fixture("surveys/mini.toml"), dir.join("a.toml")).unwrap();
    std::fs::copy(fixture("surveys/mini.toml"), dir.join("b.toml")).unwrap();
    let err = env.fail(&["--surveys", &s(&dir), "survey", "list"]);
    assert_eq!(
        err,
        format!(
            "oppi: 1 problem in survey files:\nsurvey id 'mini' is defined twice: in {} and in {}\n",
            s(&dir.join("a.toml")),
            s(&dir.join("b.toml"))
        )
    );
}

#[test]
fn survey_dirs_come_from_the_config_too() {
    let env = Env::new();
    let config = env.path("config.toml");
    std::fs::write(&config, format!("surveys = [{:?}]\n", fixture_dir())).unwrap();
    let list = env.json(&["--config", &s(&config), "survey", "list", "--json"]);
    let ids: Vec<&str> = list.as_array().unwrap().iter().map(|s| s["id"].as_str().unwrap()).collect();
    assert_eq!(ids, ["client-2020", "partner-2020", "pulse-monthly", "mini"]);
    let err = env.fail(&["survey", "tally", "nope"]);
    assert!(err.contains("no survey 'nope'; surveys are: client-2020, partner-2020, pulse-monthly"), "{err}");
}
