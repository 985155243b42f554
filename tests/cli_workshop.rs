//! `oppi workshop …` through the built binary: templates listed and validated, a new
//! workshop, a whole workshop driven with `apply` (the facilitator and participants
//! joining with --as), and its record exported as Markdown and JSON.
//!
//! Every command runs in a process of its own, so each step also proves that what the
//! previous one applied was on disk when it exited.

mod support;

use std::path::Path;

use oppi::domain::workshop::{ROOM_ALPHABET, ROOM_CODE_LEN};
use serde_json::Value;
use support::{StoreEnv as Env, expect_failure as fail, expect_ok as ok};

/// A sandbox with one store directory in it.
impl Env {
    /// `workshop apply ID --json-command CMD`, as the facilitator or (`who`) a participant.
    fn apply(&self, id: &str, who: Option<&str>, cmd: &str) -> String {
        let mut args = vec!["workshop", "apply", id, "--json-command", cmd];
        if let Some(p) = who {
            args.extend(["--as", p]);
        }
        self.ok(&args)
    }

    fn refuse(&self, id: &str, who: Option<&str>, cmd: &str) -> String {
        let mut args = vec!["workshop", "apply", id, "--json-command", cmd];
        if let Some(p) = who {
            args.extend(["--as", p]);
        }
        self.fail(&args)
    }
}

const BUILT_IN: [&str; 5] =
    ["learning-workshop", "1-2-4-all", "what-so-what-now-what", "most-significant-change", "mid-term-review"];

/// A template with three mistakes, each on a known line and column.
const BROKEN: &str = r#"name = "broken"
title = "Broken"

[[phases]]
title = "Pulse"
kind = "scale-poll"
minutes = 5
prompt = "Answer for your pilot"
survey = "partner-2020"
items = ["trust", "no_such_item"]

[[phases]]
title = "Vote"
kind = "dot-vote"
minutes = 0
prompt = "Vote"
dots = 3
"#;

const MINE: &str = r#"name = "retro"
title = "Quick retro"

[[phases]]
title = "Notes"
kind = "write"
minutes = 5
prompt = "What worked?"

[[phases]]
title = "Vote"
kind = "dot-vote"
minutes = 5
prompt = "Which matters most?"
dots = 2
"#;

// ---------------------------------------------------------------------------------
// Templates

#[test]
fn templates_are_listed_and_validated() {
    let env = Env::new();
    let out = env.ok(&["workshop", "templates"]);
    for name in BUILT_IN {
        let line = out.lines().find(|l| l.starts_with(&format!("{name} "))).unwrap_or_else(|| panic!("{name}:\n{out}"));
        assert!(line.ends_with("built-in · ok"), "{line}");
    }
    assert!(out.contains("Learning workshop · 6 phases, 85 min"), "{out}");

    let list = env.json(&["workshop", "templates", "--json"]);
    let names: Vec<&str> = list.as_array().unwrap().iter().map(|t| t["name"].as_str().unwrap()).collect();
    assert_eq!(names, BUILT_IN);
    let kinds: Vec<&str> = list[0]["phases"].as_array().unwrap().iter().map(|p| p["kind"].as_str().unwrap()).collect();
    assert_eq!(kinds, ["discuss", "present", "write", "dot-vote", "actions", "discuss"]);

    // A survey directory's workshops/ folder adds templates.
    let dir = env.sandbox.path("mine");
    std::fs::create_dir_all(dir.join("workshops")).unwrap();
    std::fs::write(dir.join("workshops/retro.toml"), MINE).unwrap();
    let out = env.ok(&["--surveys", dir.to_str().unwrap(), "workshop", "templates"]);
    let path = dir.join("workshops/retro.toml").display().to_string();
    assert!(out.contains(&format!("retro{}Quick retro · 2 phases, 10 min · {path} · ok", " ".repeat(20))), "{out}");

    // … and a broken one there makes the listing fail, each problem located.
    std::fs::write(dir.join("workshops/broken.toml"), BROKEN).unwrap();
    let out = env.run(&["--surveys", dir.to_str().unwrap(), "workshop", "templates"]);
    let stderr = fail(out, &["workshop", "templates"]);
    let broken = dir.join("workshops/broken.toml").display().to_string();
    assert!(stderr.contains(&format!("{broken}:10:19: survey 'partner-2020' has no item 'no_such_item'")), "{stderr}");
    assert!(stderr.contains(&format!("{broken}:15:11: `minutes` must be at least 1")), "{stderr}");
}

#[test]
fn validate_checks_files_without_opening_the_store() {
    let env = Env::new();
    let dir = env.sandbox.path("t");
    std::fs::create_dir_all(&dir).unwrap();
    let (good, bad) = (dir.join("retro.toml"), dir.join("broken.toml"));
    std::fs::write(&good, MINE).unwrap();
    std::fs::write(&bad, BROKEN).unwrap();
    // A store path that cannot be created: the command must never try.
    let no_store = Path::new("/dev/null/store");
    let out = ok(env.run_in(no_store, &["workshop", "templates", "--validate", good.to_str().unwrap()]), &["validate"]);
    assert!(out.starts_with("retro "), "{out}");
    assert!(out.contains("ok"), "{out}");

    let args = ["workshop", "templates", "--validate", good.to_str().unwrap(), bad.to_str().unwrap()];
    let stderr = fail(env.run_in(no_store, &args), &args);
    let bad = bad.display().to_string();
    let lines: Vec<&str> = stderr.lines().collect();
    assert_eq!(lines[0], "oppi: 2 problems in workshop templates:", "{stderr}");
    assert_eq!(lines[1], format!("{bad}:10:19: survey 'partner-2020' has no item 'no_such_item'"), "{stderr}");
    assert_eq!(lines[2], format!("{bad}:15:11: `minutes` must be at least 1"), "{stderr}");

    // Two files defining the same template.
    let twin = dir.join("twin.toml");
    std::fs::write(&twin, MINE).unwrap();
    let args = ["workshop", "templates", "--validate", good.to_str().unwrap(), twin.to_str().unwrap()];
    let stderr = fail(env.run_in(no_store, &args), &args);
    assert!(stderr.contains("template 'retro' is defined twice"), "{stderr}");
}

// ---------------------------------------------------------------------------------
// New

#[test]
fn new_prints_an_id_and_a_room_code() {
    let env = Env::demo();
    let created = env.json(&[
        "workshop",
        "new",
        "--template",
        "learning-workshop",
        "--pilot",
        "AIMO",
        "--title",
        "Partnership lessons",
        "--date",
        "2020-05-14",
        "--place",
        "Helsinki",
        "--json",
    ]);
    let id = created["id"].as_str().expect("an id");
    assert!(id.starts_with('w'), "{created}");
    let room = created["room"].as_str().expect("a room code");
    assert_eq!(room.chars().count(), ROOM_CODE_LEN, "{room}");
    assert!(room.chars().all(|c| ROOM_ALPHABET.contains(c)), "{room}");

    let shown = env.json(&["workshop", "show", id, "--json"]);
    assert_eq!(shown["title"], "Partnership lessons");
    assert_eq!(shown["room_code"], room);
    assert_eq!(shown["date"], "2020-05-14");
    assert_eq!(shown["place"], "Helsinki");
    assert_eq!(shown["template"], "learning-workshop");
    assert_eq!(shown["phases"].as_array().unwrap().len(), 6);
    assert_eq!(shown["pilots"].as_array().unwrap().len(), 1);

    // The friendly form: two lines.
    let out = env.ok(&["workshop", "new", "--template", "1-2-4-all"]);
    let lines: Vec<&str> = out.lines().collect();
    assert_eq!(lines.len(), 2, "{out}");
    assert!(lines[0].starts_with("created workshop w") && lines[0].contains("1-2-4-All"), "{out}");
    let second_room = lines[1].strip_prefix("room code: ").expect("room code line");
    assert_ne!(second_room, room, "room codes are unique in a store");

    // The list, oldest first; a bare number finds a workshop.
    let list = env.json(&["workshop", "list", "--json"]);
    let ids: Vec<&str> = list.as_array().unwrap().iter().map(|w| w["id"].as_str().unwrap()).collect();
    let at = ids.iter().position(|i| *i == id).expect("the new workshop is listed");
    assert!(ids.len() >= 2 && at > 0, "the demo's own workshop is older: {ids:?}");
    assert_eq!(list[at]["state"], "phase 1 of 6 'Welcome' (pending)");
    let number = id.trim_start_matches('w');
    assert_eq!(env.json(&["workshop", "show", number, "--json"])["id"], id);

    let stderr = env.fail(&["workshop", "new", "--template", "no-such"]);
    assert!(stderr.contains("no template 'no-such'; templates are: learning-workshop, 1-2-4-all"), "{stderr}");
    let stderr = env.fail(&["workshop", "new", "--template", "learning-workshop", "--pilot", "Nowhere"]);
    assert!(stderr.contains("--pilot"), "{stderr}");
    let stderr = env.fail(&["workshop", "new", "--template", "learning-workshop", "--date", "14.5.2020"]);
    assert!(stderr.contains("YYYY-MM-DD"), "{stderr}");
    let stderr = env.fail(&["workshop", "show", "w999"]);
    assert!(stderr.contains("no workshop 'w999'"), "{stderr}");
    // The participants' language over SSH.
    let fi = env.json(&["workshop", "new", "--template", "1-2-4-all", "--lang", "fi", "--json"]);
    let shown = env.json(&["workshop", "show", fi["id"].as_str().unwrap(), "--json"]);
    assert_eq!(shown["language"], "fi");
    let stderr = env.fail(&["workshop", "new", "--template", "1-2-4-all", "--lang", "de"]);
    assert!(stderr.contains("en, fi or sv"), "{stderr}");
}

// ---------------------------------------------------------------------------------
// A whole workshop, driven with apply

/// Runs a learning workshop from start to end: highlights with reactions, notes, a dot
/// vote with hands from the room, a merge, a park, and an action from an item.
/// Returns the workshop's id.
fn run_a_learning_workshop(env: &Env) -> String {
    let created = env.json(&[
        "workshop",
        "new",
        "--template",
        "learning-workshop",
        "--title",
        "Partnership *lessons*",
        "--date",
        "2020-05-14",
        "--json",
    ]);
    let id = created["id"].as_str().unwrap().to_string();
    let id = id.as_str();
    let fac = |cmd: &str| env.apply(id, None, cmd);
    let by = |who: &str, cmd: &str| env.apply(id, Some(who), cmd);

    assert_eq!(fac(r#"{"cmd":"start"}"#), "started phase 1 'Welcome'\n");
    assert_eq!(fac(r#"{"cmd":"next"}"#), "started phase 2 'Draft highlights'\n");

    // Only a participant who joined may give input, and only as themselves.
    let stderr = env.refuse(id, Some("key-alpha"), r#"{"cmd":"react","phase":1,"item":1,"kind":"agree"}"#);
    assert!(stderr.contains("join the workshop first"), "{stderr}");
    for (who, role, org) in [
        ("key-alpha", "partner", "TE office"),
        ("key-beta", "provider", "Company"),
        ("key-gamma", "partner", "Municipality"),
    ] {
        let cmd = format!(r#"{{"cmd":"join","participant":"{who}","role":"{role}","org_type":"{org}"}}"#);
        assert_eq!(by(who, &cmd), format!("{role} ({org}) joined\n"));
    }
    let stderr =
        env.refuse(id, Some("key-alpha"), r#"{"cmd":"join","participant":"key-beta","role":"x","org_type":"y"}"#);
    assert!(stderr.contains("only join as themselves"), "{stderr}");

    // Present: reactions to the highlights shown so far, hands counted for the room.
    by("key-alpha", r#"{"cmd":"react","phase":1,"item":1,"kind":"agree"}"#);
    let out = by(
        "key-beta",
        r#"{"cmd":"react","phase":1,"item":1,"kind":"challenge","comment":"Not in *our* region | really"}"#,
    );
    assert_eq!(out, "challenge on #1, comment #7\n");
    fac(r#"{"cmd":"count-hand","phase":1,"item":1,"reaction":"agree"}"#);
    let stderr = env.refuse(id, Some("key-gamma"), r#"{"cmd":"react","phase":1,"item":2,"kind":"add"}"#);
    assert!(stderr.contains("has not been presented yet"), "{stderr}");
    fac(r#"{"cmd":"next-item"}"#);
    by("key-gamma", r#"{"cmd":"react","phase":1,"item":2,"kind":"add"}"#);

    // Write: participants' notes and one typed for the room.
    fac(r#"{"cmd":"next"}"#);
    by("key-alpha", r#"{"cmd":"add-item","phase":2,"text":"Shared client register"}"#);
    by("key-beta", r#"{"cmd":"add-item","phase":2,"text":"A shared client registry"}"#);
    let out = env.ok(&[
        "workshop",
        "apply",
        id,
        "--json-command",
        r#"{"cmd":"add-item","phase":2,"text":"Coffee was cold"}"#,
        "--json",
    ]);
    let applied: Value = serde_json::from_str(&out).unwrap();
    assert_eq!(applied["created"]["item"], 10, "{applied}");

    // Dot vote: three dots each, at most two on one item.
    fac(r#"{"cmd":"next"}"#);
    let stderr = env.refuse(id, None, r#"{"cmd":"dot","phase":3,"item":2}"#);
    assert!(stderr.contains("participant's input"), "the facilitator counts hands instead: {stderr}");
    by("key-alpha", r#"{"cmd":"dot","phase":3,"item":2}"#);
    by("key-alpha", r#"{"cmd":"dot","phase":3,"item":2}"#);
    let stderr = env.refuse(id, Some("key-alpha"), r#"{"cmd":"dot","phase":3,"item":2}"#);
    assert!(!stderr.is_empty());
    by("key-alpha", r#"{"cmd":"dot","phase":3,"item":8}"#);
    let stderr = env.refuse(id, Some("key-alpha"), r#"{"cmd":"dot","phase":3,"item":1}"#);
    assert!(stderr.contains("dot"), "over the budget: {stderr}");
    by("key-beta", r#"{"cmd":"dot","phase":3,"item":8}"#);
    by("key-gamma", r#"{"cmd":"dot","phase":3,"item":1}"#);
    fac(r#"{"cmd":"count-hand","phase":3,"item":8}"#);
    assert_eq!(fac(r#"{"cmd":"reveal","phase":3}"#), "revealed the results of phase 4 'Priorities'\n");

    // Merge the twin note, park the off-topic one.
    assert_eq!(fac(r#"{"cmd":"merge","from":9,"into":8}"#), "merged #9 into #8 Shared client register\n");
    assert_eq!(fac(r#"{"cmd":"park","item":10}"#), "parked #10\n");

    // Actions: one from the top item, with an owner.
    fac(r#"{"cmd":"next"}"#);
    let stderr = env.refuse(id, None, r#"{"cmd":"add-action","text":"x","owner":" "}"#);
    assert!(stderr.contains("owner"), "{stderr}");
    let out = fac(r#"{"cmd":"add-action","text":"","owner":"TE office Uusimaa","due":"2020-06-30","from":2}"#);
    assert_eq!(out, "action A1 for TE office Uusimaa\n");
    fac(r#"{"cmd":"note","text":"Meet again in June"}"#);
    fac(r#"{"cmd":"next"}"#);
    assert_eq!(fac(r#"{"cmd":"next"}"#), "workshop finished\n");
    let stderr = env.refuse(id, None, r#"{"cmd":"next"}"#);
    assert!(stderr.contains("already done"), "{stderr}");
    id.to_string()
}

#[test]
fn a_workshop_driven_from_scripts_exports_its_whole_record() {
    let env = Env::new();
    let id = run_a_learning_workshop(&env);

    let md = env.ok(&["workshop", "export", &id, "--md"]);
    assert_eq!(md, env.ok(&["workshop", "export", &id]), "Markdown is the default");
    assert_eq!(md, env.ok(&["workshop", "export", &id, "--md"]), "the export is deterministic");
    assert!(md.starts_with("# Workshop: Partnership \\*lessons\\*\n"), "user text is escaped:\n{md}");

    // The agenda, planned against actual time.
    assert!(md.contains("## Agenda\n\n| \\# | Phase | Kind | Started | Planned | Actual |"), "{md}");
    for (n, title, kind, planned) in [
        (1, "Welcome", "Discuss", 10),
        (2, "Draft highlights", "Present", 30),
        (3, "What is missing?", "Write", 10),
        (4, "Priorities", "Dot vote", 10),
        (5, "Follow-up actions", "Actions", 20),
        (6, "Close", "Discuss", 5),
    ] {
        let row = md
            .lines()
            .find(|l| l.starts_with(&format!("| {n} | {title} | {kind} | ")))
            .unwrap_or_else(|| panic!("no agenda row for {title}:\n{md}"));
        assert!(row.contains(&format!(" | {planned} min | ")) && row.ends_with(" | done |"), "{row}");
    }
    assert!(md.contains("Planned 85 min in all;"), "{md}");

    // Each phase's items and tallies, with n.
    assert!(md.contains("## 2. Draft highlights (Present)"), "{md}");
    assert!(md.contains("| Item | Agree | Add | Challenge | n | Of which room hands | Comments |"), "{md}");
    assert!(md.contains("n = 3 participants reacted"), "{md}");
    assert!(md.contains("Not in \\*our\\* region \\| really"), "{md}");
    assert!(md.contains("| \\#8 Shared client register | partner (TE office) |  | kept |"), "{md}");
    assert!(md.contains("| Item | Dots | Room hands | n (voters) | Company | Municipality | TE office |"), "{md}");
    assert!(md.contains("| \\#8 Shared client register | 3 | 1 | 2 | 1 | 0 | 1 |"), "{md}");
    assert!(md.contains("n = 3 voters · 5 of 9 dots used · 1 dot counted from the room's hands."), "{md}");
    assert!(md.contains("Meet again in June"), "{md}");

    // The action with its owner, and every item's fate.
    assert!(md.contains("## Follow-up actions"), "{md}");
    assert!(md.contains("| A1 Reserve more time for planning"), "{md}");
    assert!(md.contains("| TE office Uusimaa | 2020-06-30 | open | \\#2 Reserve more time"), "{md}");
    assert!(md.contains("## What became of every item"), "{md}");
    assert!(md.contains("Merged into \\#8 'Shared client register'."), "{md}");
    assert!(md.contains("| \\#10 Coffee was cold | Phase 3: What is missing? | Parked for later. |"), "{md}");
    assert!(md.contains("Turned into action A1 'Reserve more time for planning"), "{md}");
    assert!(md.contains("(owner: TE office Uusimaa, due 2020-06-30, open)"), "{md}");
    assert!(!md.contains("key-"), "participants are cited by role, never by their key:\n{md}");

    // The same record as JSON.
    let json = env.json(&["workshop", "export", &id, "--json"]);
    assert_eq!(json["id"], id.as_str());
    assert_eq!(json["state"], "finished");
    assert_eq!(json["actions"][0]["owner"], "TE office Uusimaa");
    assert_eq!(json["actions"][0]["from_item"], 2);
    let vote = &json["phases"][3]["tally"]["results"];
    assert_eq!(vote["kind"], "dot-vote");
    assert_eq!(vote["voters"], 3);
    assert_eq!(vote["room_dots"], 1);
    let fates: Vec<&str> = json["fates"].as_array().unwrap().iter().map(|f| f["fate"].as_str().unwrap()).collect();
    assert_eq!(fates.len(), 10);
    assert_eq!(fates[9], "Parked for later.");
    assert!(!json.to_string().contains("key-"), "{json}");

    // show: a readable summary.
    let shown = env.ok(&["workshop", "show", &id]);
    assert!(shown.contains("finished"), "{shown}");
    assert!(shown.contains("participants: 3 (Company 1, Municipality 1, TE office 1)"), "{shown}");
    assert!(shown.contains("A1 Reserve more time for planning"), "{shown}");
    assert!(shown.contains("owner TE office Uusimaa, due 2020-06-30, open"), "{shown}");
    assert!(shown.contains("Items: 10 (kept 7, merged 1, parked 1, turned into actions 1)"), "{shown}");
}

#[test]
fn the_state_after_reopening_is_the_state_before() {
    let env = Env::new();
    let id = run_a_learning_workshop(&env);
    // Each call is a process of its own: the state is rebuilt from the snapshot and the
    // command log every time, and must come out the same.
    let first = env.ok(&["workshop", "show", &id, "--json"]);
    let second = env.ok(&["workshop", "show", &id, "--json"]);
    assert_eq!(first, second);
    let state: Value = serde_json::from_str(&first).unwrap();
    assert_eq!(state["actions"][0]["owner"], "TE office Uusimaa");
    assert_eq!(state["items"].as_array().unwrap().len(), 10);
    assert_eq!(state["participants"].as_object().unwrap().len(), 3);

    // Undo in one process, the undone state in the next.
    env.apply(&id, None, r#"{"cmd":"undo"}"#);
    let undone = env.ok(&["workshop", "show", &id, "--json"]);
    assert_ne!(undone, first);
    assert_eq!(undone, env.ok(&["workshop", "show", &id, "--json"]));
    let undone: Value = serde_json::from_str(&undone).unwrap();
    assert_eq!(undone["phases"][5]["status"], "running", "the last `next` was taken back");

    // A backup restored into another store holds the same workshop.
    let backup = env.sandbox.path("backup.json");
    env.ok(&["backup", backup.to_str().unwrap()]);
    let copy = env.sandbox.path("copy");
    ok(env.run_in(&copy, &["restore", backup.to_str().unwrap()]), &["restore"]);
    let restored = ok(env.run_in(&copy, &["workshop", "show", &id, "--json"]), &["show"]);
    assert_eq!(restored, env.ok(&["workshop", "show", &id, "--json"]));
}

#[test]
fn apply_refuses_bad_json_and_unknown_workshops() {
    let env = Env::new();
    let id = env.json(&["workshop", "new", "--template", "1-2-4-all", "--json"])["id"].as_str().unwrap().to_string();
    let stderr = env.refuse(&id, None, r#"{"cmd":"fly"}"#);
    assert!(stderr.contains("--json-command") && stderr.contains("unknown variant `fly`"), "{stderr}");
    let stderr = env.refuse(&id, None, "start");
    assert!(stderr.contains("--json-command"), "{stderr}");
    let stderr = env.refuse("w999", None, r#"{"cmd":"start"}"#);
    assert!(stderr.contains("no workshop 'w999'"), "{stderr}");
    let help = env.ok(&["workshop", "apply", "--help"]);
    assert!(help.contains("scripting aid") || help.contains("Scripting aid"), "{help}");
    assert!(help.contains(r#"{"cmd":"count-hand","phase":3,"item":2}"#), "{help}");
    // Nothing refused was logged.
    let state = env.json(&["workshop", "show", &id, "--json"]);
    assert_eq!(state["phases"][0]["status"], "pending");
}
