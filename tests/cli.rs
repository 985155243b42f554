//! The command line, through the built binary: what scripts and users see.
//!
//! Every test gets its own sandbox (HOME, XDG dirs) and store directory, so tests run
//! in parallel and never touch a developer's real config or data.

mod support;

use std::io::Write as _;
use std::path::Path;
use std::process::{Output, Stdio};
use std::time::{Duration, Instant};

use serde_json::Value;
use support::{StoreEnv as Env, expect_failure as fail, expect_ok as ok};

/// A sandbox with one store directory in it (not created until oppi opens it).
impl Env {
    /// Runs `oppi ARGS…` without `--store` (for help, config, and custom stores).
    fn raw(&self, args: &[&str]) -> Output {
        self.sandbox.oppi(args).output().expect("run oppi")
    }

    fn pilots(&self) -> Vec<Value> {
        self.json(&["pilot", "list", "--json"]).as_array().expect("pilot list --json prints an array").clone()
    }

    /// The whole store as backup text: a byte-exact fingerprint of its content.
    fn snapshot(&self) -> String {
        self.ok(&["backup", "-"])
    }
}

fn names(pilots: &[Value]) -> Vec<&str> {
    pilots.iter().map(|p| p["name"].as_str().expect("name is a string")).collect()
}

fn changelog_kinds(shown: &Value) -> Vec<&str> {
    shown["changelog"]
        .as_array()
        .expect("changelog is an array")
        .iter()
        .map(|e| e["what"]["kind"].as_str().expect("what.kind is a string"))
        .collect()
}

// ---------------------------------------------------------------------------------
// Help

#[test]
fn help_mentions_demo_and_examples() {
    let env = Env::new();
    let out = ok(env.raw(&["--help"]), &["--help"]);
    assert!(out.contains("--demo"), "{out}");
    assert!(out.contains("Examples:"), "{out}");
    assert!(out.contains("oppi pilot list --json"), "{out}");
}

#[test]
fn pilot_edit_help_lists_every_field_key() {
    let env = Env::new();
    let out = ok(env.raw(&["pilot", "edit", "--help"]), &["pilot", "edit", "--help"]);
    assert!(out.contains("Keys:"), "{out}");
    for field in oppi::domain::PilotField::ALL {
        let key = field.key();
        assert!(out.lines().any(|l| l.trim_start().starts_with(&format!("{key} "))), "key {key} missing from:\n{out}");
    }
}

// ---------------------------------------------------------------------------------
// Demo

#[test]
fn demo_init_writes_a_portfolio_that_lists_as_json() {
    let env = Env::new();
    env.ok(&["demo", "init"]);
    let pilots = env.pilots();
    assert!(pilots.len() >= 15, "only {} pilots", pilots.len());
    for p in &pilots {
        for key in ["id", "name", "region", "status"] {
            assert!(p[key].as_str().is_some_and(|s| !s.is_empty()), "pilot lacks {key}: {p:#}");
        }
    }
    let statuses: Vec<&str> = pilots.iter().map(|p| p["status"].as_str().unwrap()).collect();
    assert!(statuses.contains(&"suspended"), "{statuses:?}");
    assert!(statuses.contains(&"no longer a pilot"), "{statuses:?}");
    let evaluation = env.json(&["evaluation", "show", "--json"]);
    assert!(evaluation["title"].as_str().is_some_and(|t| !t.is_empty()), "{evaluation:#}");
}

#[test]
fn demo_init_refuses_a_store_with_data() {
    let env = Env::new();
    env.ok(&["demo", "init"]);
    let before = env.snapshot();
    let err = env.fail(&["demo", "init"]);
    assert!(err.contains("empty store"), "{err}");
    assert_eq!(env.snapshot(), before, "a refused demo init must not change the store");
}

// ---------------------------------------------------------------------------------
// Pilots

#[test]
fn pilot_add_show_and_edit_keep_history_and_a_change_log() {
    let env = Env::new();
    let id = env.ok(&["pilot", "add", "Test pilot", "--region", "Häme", "--set", "planned=120"]);
    let id = id.trim();
    assert!(id.starts_with('p') && id.len() > 1 && !id.contains(char::is_whitespace), "printed id: {id:?}");

    let shown = env.json(&["pilot", "show", "Test pilot", "--json"]);
    assert_eq!(shown["id"], id);
    assert_eq!(shown["region"], "Häme");
    assert_eq!(shown["planned_participants"], 120);
    assert_eq!(shown["status"], "planned");
    assert_eq!(changelog_kinds(&shown), ["created"]);

    env.ok(&["pilot", "edit", id, "--set", "status=suspended"]);
    let shown = env.json(&["pilot", "show", id, "--json"]);
    assert_eq!(shown["status"], "suspended");
    let history = shown["status_history"].as_array().unwrap();
    assert_eq!(history.len(), 2, "{shown:#}");
    assert_eq!(history[0]["status"], "planned");
    assert_eq!(history[1]["status"], "suspended");
    assert_eq!(changelog_kinds(&shown), ["created", "edited"]);
    let change = &shown["changelog"][1]["what"]["changes"][0];
    assert_eq!(change["field"], "status");
    assert_eq!(change["old"], "planned");
    assert_eq!(change["new"], "suspended");

    // The text form shows the same.
    let text = env.ok(&["pilot", "show", "test PILOT"]);
    assert!(text.contains("Test pilot (") && text.contains("status: planned → suspended"), "{text}");
}

#[test]
fn pilot_edit_with_unknown_key_names_it_and_lists_the_keys() {
    let env = Env::new();
    env.ok(&["pilot", "add", "Test pilot", "--region", "Häme"]);
    let before = env.snapshot();
    let err = env.fail(&["pilot", "edit", "Test pilot", "--set", "bogus=1"]);
    assert!(err.contains("unknown key 'bogus'"), "{err}");
    for key in ["name", "region", "planned", "status"] {
        assert!(err.contains(key), "valid key {key} not listed: {err}");
    }
    assert_eq!(env.snapshot(), before);
}

#[test]
fn pilot_edit_is_all_or_nothing() {
    let env = Env::new();
    env.ok(&["pilot", "add", "Test pilot", "--region", "Häme", "--set", "planned=120"]);
    let before = env.snapshot();

    let err = env.fail(&["pilot", "edit", "Test pilot", "--set", "planned=many"]);
    assert!(err.contains("many") && err.contains("whole number"), "{err}");

    // A valid change next to an invalid one is not saved either.
    let err = env.fail(&["pilot", "edit", "Test pilot", "--set", "region=Uusimaa", "--set", "planned=many"]);
    assert!(err.contains("planned=many"), "{err}");
    let shown = env.json(&["pilot", "show", "Test pilot", "--json"]);
    assert_eq!(shown["region"], "Häme");
    assert_eq!(shown["planned_participants"], 120);
    assert_eq!(changelog_kinds(&shown), ["created"]);
    assert_eq!(env.snapshot(), before, "a failed edit must not write anything");

    // pilot add is all-or-nothing too: no half-made pilot.
    env.fail(&["pilot", "add", "Second", "--set", "region=Uusimaa", "--set", "status=paused"]);
    assert_eq!(names(&env.pilots()), ["Test pilot"]);
}

#[test]
fn archived_pilots_are_hidden_until_asked_for_and_can_be_restored() {
    let env = Env::new();
    env.ok(&["pilot", "add", "Keep me", "--region", "Häme"]);
    env.ok(&["pilot", "add", "Archive me", "--region", "Kainuu"]);

    env.ok(&["pilot", "archive", "Archive me"]);
    assert_eq!(names(&env.pilots()), ["Keep me"]);
    let all = env.json(&["pilot", "list", "--json", "--archived"]);
    let all = all.as_array().unwrap();
    assert_eq!(names(all), ["Keep me", "Archive me"]);
    assert_eq!(all[1]["archived"], true);

    env.ok(&["pilot", "archive", "Archive me", "--restore"]);
    let pilots = env.pilots();
    assert_eq!(names(&pilots), ["Keep me", "Archive me"]);
    assert_eq!(pilots[1]["archived"], false);
    let shown = env.json(&["pilot", "show", "Archive me", "--json"]);
    assert_eq!(changelog_kinds(&shown), ["created", "archived", "restored"]);
}

// ---------------------------------------------------------------------------------
// Evaluation

#[test]
fn evaluation_show_on_an_empty_store_hints_how_to_create_one() {
    let env = Env::new();
    let err = env.fail(&["evaluation", "show"]);
    assert!(err.contains("oppi evaluation new"), "{err}");
}

#[test]
fn evaluation_new_then_show() {
    let env = Env::new();
    env.ok(&["evaluation", "new", "--title", "X", "--commissioner", "Ministry"]);
    let e = env.json(&["evaluation", "show", "--json"]);
    assert_eq!(e["title"], "X");
    assert_eq!(e["commissioner"], "Ministry");
    let err = env.fail(&["evaluation", "new", "--title", "Y"]);
    assert!(err.contains("already has an evaluation"), "{err}");
}

// ---------------------------------------------------------------------------------
// Backup and restore

#[test]
fn backup_restore_backup_is_byte_identical() {
    let env = Env::new();
    env.ok(&["demo", "init"]);
    env.ok(&["pilot", "edit", "Innorekry", "--set", "status=active"]);
    let file1 = env.sandbox.path("backup1.json");
    let file2 = env.sandbox.path("backup2.json");
    env.ok(&["backup", file1.to_str().unwrap()]);

    let second = env.sandbox.path("second-store");
    ok(env.run_in(&second, &["restore", file1.to_str().unwrap()]), &["restore"]);
    ok(env.run_in(&second, &["backup", file2.to_str().unwrap()]), &["backup"]);

    let (a, b) = (std::fs::read(&file1).unwrap(), std::fs::read(&file2).unwrap());
    assert!(a == b, "backup → restore → backup changed the bytes");
    // And the restored store really holds the data.
    let listed = ok(env.run_in(&second, &["pilot", "list", "--json"]), &["pilot", "list"]);
    let listed: Value = serde_json::from_str(&listed).unwrap();
    assert_eq!(listed, Value::Array(env.pilots()));
}

#[test]
fn restore_into_a_store_with_data_needs_replace() {
    let env = Env::new();
    env.ok(&["demo", "init"]);
    let file = env.sandbox.path("demo.json");
    env.ok(&["backup", file.to_str().unwrap()]);

    let other = Env::new();
    other.ok(&["pilot", "add", "Local pilot"]);
    let before = other.snapshot();
    let err = other.fail(&["restore", file.to_str().unwrap()]);
    assert!(err.contains("--replace"), "{err}");
    assert_eq!(other.snapshot(), before);

    other.ok(&["restore", "--replace", file.to_str().unwrap()]);
    assert_eq!(other.snapshot(), env.snapshot());
    assert!(!names(&other.pilots()).contains(&"Local pilot"));
}

#[test]
fn corrupt_backup_is_refused_with_a_position_and_changes_nothing() {
    let env = Env::new();
    env.ok(&["demo", "init"]);
    let full = env.snapshot();
    let file = env.sandbox.path("truncated.json");
    std::fs::write(&file, &full[..full.len() / 2]).unwrap();

    env.ok(&["pilot", "add", "Only here"]);
    let before = env.snapshot();
    let err = env.fail(&["restore", "--replace", file.to_str().unwrap()]);
    assert!(err.contains("line"), "{err}");
    assert!(err.contains("unchanged"), "{err}");
    assert_eq!(env.snapshot(), before, "a corrupt backup must leave the store as it was");
}

// ---------------------------------------------------------------------------------
// One process per store

/// Waits until the child has the store open: sled creates `db/` only after oppi holds
/// the store lock, and a fresh store has no `db/` before that.
fn wait_until_store_open(store: &Path, child: &mut std::process::Child) {
    let start = Instant::now();
    while !store.join("db").exists() {
        if let Some(status) = child.try_wait().unwrap() {
            panic!("the process holding the store exited early with {status}");
        }
        assert!(start.elapsed() < Duration::from_secs(10), "the first process never opened the store");
        std::thread::sleep(Duration::from_millis(10));
    }
}

#[test]
fn a_second_process_gets_a_clear_message() {
    let env = Env::new();
    // `restore -` opens the store, then reads standard input to its end: with stdin
    // piped and left open, the first process holds the store until we close it.
    let mut first = env
        .sandbox
        .oppi(["--store".as_ref(), env.store.as_os_str(), "restore".as_ref(), "-".as_ref()])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("start the first oppi");
    wait_until_store_open(&env.store, &mut first);

    let err = env.fail(&["pilot", "list"]);
    assert!(err.contains("in use by another oppi process"), "{err}");
    let err = env.fail(&["backup", "-"]);
    assert!(err.contains("in use by another oppi process"), "{err}");

    // Closing stdin lets the first process go on: empty input is not a backup.
    let mut stdin = first.stdin.take().unwrap();
    stdin.flush().unwrap();
    drop(stdin);
    let out = first.wait_with_output().unwrap();
    let err = fail(out, &["restore", "-"]);
    assert!(err.contains("not a valid backup"), "{err}");

    // Once it has gone, the store opens again (the lock died with the process).
    assert!(env.pilots().is_empty());
}

// ---------------------------------------------------------------------------------
// Config and start-up

#[test]
fn a_config_file_with_an_unknown_key_points_at_its_line() {
    let env = Env::new();
    let config = env.sandbox.path("bad-config.toml");
    std::fs::write(&config, "user = \"Tester\"\nthem = \"light\"\n").unwrap();
    let args = ["--config", config.to_str().unwrap(), "--store", env.store.to_str().unwrap(), "pilot", "list"];
    let err = fail(env.raw(&args), &args);
    assert!(err.contains(&format!("{}:2:1", config.display())), "{err}");
    assert!(err.contains("them"), "{err}");
}

#[test]
fn a_missing_config_file_is_an_error() {
    let env = Env::new();
    let config = env.sandbox.path("nonexistent.toml");
    let args = ["--config", config.to_str().unwrap(), "config"];
    let err = fail(env.raw(&args), &args);
    assert!(err.contains("nonexistent.toml"), "{err}");
}

#[test]
fn config_prints_the_store_path() {
    let env = Env::new();
    let out = env.ok(&["config"]);
    assert!(out.contains(&format!("# store: {}", env.store.display())), "{out}");
    assert!(out.contains("# no config file"), "{out}");
}

#[cfg(unix)]
#[test]
fn default_store_and_config_live_in_the_sandbox() {
    // Guards the other tests: with HOME and XDG dirs pointed into the sandbox, the
    // defaults never reach a developer's real files.
    let env = Env::new();
    let out = ok(env.raw(&["config"]), &["config"]);
    let root = env.sandbox.root().display().to_string();
    let store_line = out.lines().find(|l| l.starts_with("# store: ")).expect("a store line");
    assert!(store_line.contains(&root), "{out}");
    let config_line = out.lines().find(|l| l.starts_with("# no config file")).expect("a config line");
    assert!(config_line.contains(&root), "{out}");
}

#[test]
fn without_a_terminal_the_app_explains_instead_of_panicking() {
    let env = Env::new();
    let out = env.run(&[]);
    let err = fail(out, &[]);
    assert!(err.contains("needs a terminal"), "{err}");
    assert!(err.contains("oppi --help"), "{err}");
}

#[test]
fn oppi_store_env_var_selects_the_store() {
    let env = Env::new();
    env.ok(&["pilot", "add", "From env"]);
    let out = env.sandbox.oppi(["pilot", "list", "--json"]).env("OPPI_STORE", &env.store).output().unwrap();
    let out = ok(out, &["pilot", "list", "--json"]);
    let pilots: Value = serde_json::from_str(&out).unwrap();
    assert_eq!(pilots[0]["name"], "From env");
}
