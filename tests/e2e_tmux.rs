//! End to end through a real terminal: the built binary runs in a tmux window, the
//! test types keys with `send-keys` and reads the screen with `capture-pane`.
//!
//! Needs tmux. Without it the tests print a note and pass; set `OPPI_E2E=require` (as
//! `.ci/run` does) to make a missing tmux a failure. Every wait polls the screen for an
//! expected text, so there are no fixed sleeps.

mod support;

use serde_json::Value;
use support::{Sandbox, Tmux, describe, oppi_command_line, require_tool_or_skip};

/// The status field's hint, shown under the form while that field has the focus.
const STATUS_HINT: &str = "planned | active | changed | suspended";

/// The help overlay's title starts with this; nothing else on the screens says "Help"
/// capitalised (the key bar says "help").
const HELP: &str = " Help ";

/// The home screen's pilot count, e.g. `Pilots 15/15`.
fn pilot_count(screen: &str) -> String {
    let at = screen.find("Pilots ").unwrap_or_else(|| panic!("no pilot count on:\n{screen}"));
    screen[at..].split_whitespace().take(2).collect::<Vec<_>>().join(" ")
}

#[test]
fn create_an_evaluation_and_a_pilot_then_edit_its_status() {
    if !require_tool_or_skip("tmux") {
        return;
    }
    let store_dir = tempfile::tempdir().unwrap();
    let store = store_dir.path().join("store");
    let store_arg = store.to_str().unwrap();
    let tmux = Tmux::new(100, 30, &oppi_command_line(&["--store", store_arg, "--user", "e2e-tester"]));

    // A fresh store greets with the welcome screen.
    tmux.wait_for("has no evaluation yet");

    // New evaluation: title, then Tab to the commissioner, Enter saves.
    tmux.send_keys(&["n"]);
    tmux.wait_for("New evaluation");
    tmux.type_text("Kasvu evaluation 2025");
    tmux.send_keys(&["Tab"]);
    tmux.type_text("Ministry of Testing");
    tmux.send_keys(&["Enter"]);
    tmux.wait_until("the home screen with the new evaluation's title in the header", |s| {
        s.lines().next().is_some_and(|header| header.contains("Kasvu evaluation 2025"))
            && s.contains("Ministry of Testing")
            && s.contains("No pilots yet")
            && s.contains("evaluation saved")
    });

    // New pilot: name, Tab past "Also known as" to the region, Enter saves and opens it.
    tmux.send_keys(&["n"]);
    tmux.wait_for("New pilot");
    tmux.type_text("Kasvu-pilotti");
    tmux.send_keys(&["Tab", "Tab"]);
    tmux.type_text("Häme");
    tmux.send_keys(&["Enter"]);
    tmux.wait_until("the new pilot's screen", |s| {
        s.contains("Also known as")
            && s.contains(" Kasvu-pilotti ")
            && s.contains("Kasvu-pilotti saved")
            && s.lines().any(|l| l.trim_start().starts_with("Region") && l.contains("Häme"))
    });

    // Edit: Status is the last field of the edit form.
    tmux.send_keys(&["e"]);
    tmux.wait_for("Edit Kasvu-pilotti");
    let fields = oppi::domain::PilotField::ALL;
    let status_at = fields.iter().position(|f| *f == oppi::domain::PilotField::Status).unwrap();
    let downs = vec!["Down"; status_at];
    tmux.send_keys(&downs);
    tmux.wait_for(STATUS_HINT);
    tmux.send_keys(&["C-u"]);
    tmux.type_text("suspended");
    tmux.send_keys(&["Enter"]);
    tmux.wait_until("the saved status change on the pilot screen", |s| {
        s.contains("status: planned → suspended")
            && s.contains("Kasvu-pilotti saved")
            && s.lines().any(|l| l.trim_start().starts_with("Status ") && l.contains("suspended since"))
    });

    // Back to the home screen, then quit.
    tmux.send_keys(&["q"]);
    tmux.wait_for("Pilots 1/1");
    tmux.send_keys(&["q"]);
    assert_eq!(tmux.wait_for_exit(), 0, "oppi exited with an error:\n{}", tmux.capture_with_history());

    // What the screen said was saved is on disk: read it back with another process.
    let cli = Sandbox::new();
    let out = cli.oppi(["--store", store_arg, "pilot", "show", "Kasvu-pilotti", "--json"]).output().unwrap();
    assert!(out.status.success(), "{}", describe(&out));
    let pilot: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(pilot["status"], "suspended");
    assert_eq!(pilot["region"], "Häme");
    let kinds: Vec<&str> =
        pilot["changelog"].as_array().unwrap().iter().map(|e| e["what"]["kind"].as_str().unwrap()).collect();
    assert_eq!(kinds, ["created", "edited"]);
    assert!(pilot["changelog"].as_array().unwrap().iter().all(|e| e["who"] == "e2e-tester"), "{pilot:#}");

    let out = cli.oppi(["--store", store_arg, "pilot", "list", "--json"]).output().unwrap();
    assert!(out.status.success(), "{}", describe(&out));
    let list: Value = serde_json::from_slice(&out.stdout).unwrap();
    let list = list.as_array().unwrap();
    assert_eq!(list.len(), 1);
    assert_eq!(list[0]["name"], "Kasvu-pilotti");
    assert_eq!(list[0]["status"], "suspended");
    let out = cli.oppi(["--store", store_arg, "evaluation", "show", "--json"]).output().unwrap();
    let evaluation: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(evaluation["title"], "Kasvu evaluation 2025");
}

#[test]
fn demo_filter_help_open_and_quit() {
    if !require_tool_or_skip("tmux") {
        return;
    }
    let tmux = Tmux::new(80, 24, &oppi_command_line(&["--demo"]));

    let screen = tmux.wait_for_all(&["Omavalmentaja", "Innorekry", "Pohjois-Savo challenge", "Pilots "]);
    // All of the demo's pilots are shown.
    let all_pilots = pilot_count(&screen);
    let total = all_pilots.rsplit('/').next().unwrap().to_string();
    assert_eq!(all_pilots, format!("Pilots {total}/{total}"));

    // Filter: only the matching row remains.
    tmux.send_keys(&["/"]);
    tmux.wait_for("keep filter");
    tmux.type_text("savo");
    tmux.wait_until("only the Pohjois-Savo row", |s| {
        s.contains(&format!("Pilots 1/{total}"))
            && s.contains("Pohjois-Savo challenge")
            && !s.contains("Innorekry")
            && !s.contains("Omavalmentaja")
    });

    // Esc clears the filter.
    tmux.send_keys(&["Escape"]);
    let screen = tmux.wait_for_all(&[&all_pilots, "Innorekry", "Omavalmentaja"]);

    // Help opens over the screen and Esc closes it.
    assert!(!screen.contains(HELP), "{screen}");
    tmux.send_keys(&["?"]);
    tmux.wait_for_all(&[HELP, "new pilot", "filter"]);
    tmux.send_keys(&["Escape"]);
    tmux.wait_gone(HELP);

    // The second pilot opens with its other names.
    tmux.send_keys(&["j", "Enter"]);
    tmux.wait_for_all(&["Also known as", " Omavalmentaja ", "Personal coach"]);

    // q goes back, q again quits and the shell carries on.
    tmux.send_keys(&["q"]);
    tmux.wait_for(&all_pilots);
    tmux.send_keys(&["q"]);
    // The pane's shell prints a marker with the exit status once oppi has gone.
    assert_eq!(tmux.wait_for_exit(), 0, "oppi exited with an error:\n{}", tmux.capture_with_history());
    let all = tmux.capture_with_history();
    assert!(!all.contains("panicked"), "{all}");
    // The terminal is back to the shell's screen: the app's screen has gone with it.
    let screen = tmux.capture();
    assert!(!screen.contains(&all_pilots) && !screen.contains("Innorekry"), "app screen left behind:\n{screen}");
}

#[test]
fn survives_a_tiny_window_and_recovers() {
    if !require_tool_or_skip("tmux") {
        return;
    }
    let tmux = Tmux::new(20, 5, &oppi_command_line(&["--demo"]));
    tmux.wait_for("Pilots");

    // The smallest size tmux accepts (1×1 on tmux 3.x).
    let tiny =
        [(1, 1), (2, 2), (5, 3)].into_iter().find(|&(w, h)| tmux.resize(w, h)).expect("tmux accepts a tiny size");
    assert_eq!(tmux.size(), tiny);
    assert!(tmux.is_running(), "oppi died at {tiny:?}:\n{}", tmux.capture_with_history());

    // Help opened while tiny, shown once there is room again.
    tmux.send_keys(&["?"]);
    assert!(tmux.resize(80, 24));
    tmux.wait_for(HELP);
    assert!(tmux.is_running());

    tmux.send_keys(&["Escape"]);
    tmux.wait_gone(HELP);
    tmux.wait_for_all(&["Pilots ", "Innorekry"]);

    // Tiny again with nothing open, then back.
    assert!(tmux.resize(tiny.0, tiny.1));
    assert!(tmux.resize(80, 24));
    tmux.wait_for("Innorekry");
    assert!(tmux.is_running(), "{}", tmux.capture_with_history());

    tmux.send_keys(&["q"]);
    assert_eq!(tmux.wait_for_exit(), 0, "{}", tmux.capture_with_history());
}

#[test]
fn build_a_map_link_two_nodes_and_export_it() {
    if !require_tool_or_skip("tmux") {
        return;
    }
    let store_dir = tempfile::tempdir().unwrap();
    let store = store_dir.path().join("store");
    let store_arg = store.to_str().unwrap();
    let cli = Sandbox::new();
    let out = cli.oppi(["--store", store_arg, "demo", "init"]).output().unwrap();
    assert!(out.status.success(), "{}", describe(&out));

    let tmux = Tmux::new(100, 30, &oppi_command_line(&["--store", store_arg]));
    tmux.wait_for("ICT-rekry");
    // ICT-rekry is the first pilot and has no map yet.
    tmux.send_keys(&["Enter"]);
    tmux.wait_for("objectives");
    tmux.send_keys(&["m"]);
    tmux.wait_for("Impact logic · ICT-rekry");

    tmux.send_keys(&["l", "l", "a"]);
    tmux.wait_for("New node in Activities");
    tmux.type_text("Sector team matches ICT job seekers and employers");
    tmux.send_keys(&["Enter"]);
    tmux.wait_for("added node 'Sector team");

    tmux.send_keys(&["l", "l", "a"]);
    tmux.wait_for("New node in Outcomes");
    tmux.type_text("ICT vacancies filled faster");
    tmux.send_keys(&["Enter"]);
    tmux.wait_for("added node 'ICT vacancies");

    // Link mode: from the activity to the outcome.
    tmux.send_keys(&["h", "h", "L"]);
    tmux.wait_for("link to this node");
    tmux.send_keys(&["l", "l", "Enter"]);
    tmux.wait_for("Rationale");
    tmux.type_text("If one team knows the sector, then matches are faster");
    tmux.send_keys(&["Enter"]);
    tmux.wait_for("linked 'Sector team");

    tmux.send_keys(&["q"]);
    tmux.wait_for("objectives");
    tmux.send_keys(&["q"]);
    tmux.wait_for("Pilots ");
    tmux.send_keys(&["q"]);
    assert_eq!(tmux.wait_for_exit(), 0, "{}", tmux.capture_with_history());

    let out = cli.oppi(["--store", store_arg, "map", "export", "ICT-rekry"]).output().unwrap();
    assert!(out.status.success(), "{}", describe(&out));
    let md = String::from_utf8(out.stdout).unwrap();
    assert!(md.contains("flowchart LR"), "{md}");
    let node_id = |text: &str| {
        let line = md.lines().find(|l| l.contains(text)).unwrap_or_else(|| panic!("{text} missing:\n{md}"));
        line.trim().split('[').next().unwrap().to_string()
    };
    let (from, to) = (node_id("Sector team matches"), node_id("ICT vacancies filled faster"));
    assert!(md.contains(&format!("{from} --> {to}")), "{md}");
    assert!(md.contains("If one team knows the sector, then matches are faster"), "{md}");
}

/// Kills oppi with SIGKILL while notes are being typed: everything typed before the
/// "draft saved" mark is back, cursor included, when the notes are opened again.
#[test]
fn typing_survives_sigkill() {
    if !require_tool_or_skip("tmux") {
        return;
    }
    let store_dir = tempfile::tempdir().unwrap();
    let store = store_dir.path().join("store");
    let store_arg = store.to_str().unwrap();
    let cli = Sandbox::new();
    let out = cli.oppi(["--store", store_arg, "demo", "init"]).output().unwrap();
    assert!(out.status.success(), "{}", describe(&out));

    let tmux = Tmux::new(100, 30, &oppi_command_line(&["--store", store_arg]));
    tmux.wait_for("Pilots ");
    tmux.send_keys(&["i"]);
    tmux.wait_for("Interviews · all pilots");
    tmux.send_keys(&["Enter"]);
    tmux.wait_for("elapsed");
    tmux.send_keys(&["Enter"]);
    tmux.type_text("Killtest: the coach left in May, ääkköset 😀");
    tmux.wait_for("draft saved");
    tmux.type_text(" <");
    tmux.wait_until("the draft with the last keys saved", |s| s.contains("draft saved") && s.contains("😀 <"));

    assert!(tmux.kill_program(), "no oppi to kill");
    assert_ne!(tmux.wait_for_exit(), 0, "oppi was killed, not quit");

    let tmux = Tmux::new(100, 30, &oppi_command_line(&["--store", store_arg]));
    tmux.wait_for("Pilots ");
    tmux.send_keys(&["i"]);
    tmux.wait_for("unsaved draft");
    tmux.send_keys(&["Enter"]);
    tmux.wait_for_all(&["restored unsaved notes", "Killtest: the coach left in May, ääkköset 😀 <"]);
    // The cursor is where it was: typing continues the same line.
    tmux.type_text("X");
    tmux.wait_for("😀 <X");
    tmux.send_keys(&["Escape"]);
    tmux.wait_for("notes saved");
    tmux.send_keys(&["q"]);
    tmux.wait_for("Pilots ");
    tmux.send_keys(&["q"]);
    assert_eq!(tmux.wait_for_exit(), 0, "{}", tmux.capture_with_history());

    let out = cli.oppi(["--store", store_arg, "backup", "-"]).output().unwrap();
    let backup = String::from_utf8(out.stdout).unwrap();
    assert!(backup.contains("Killtest: the coach left in May, ääkköset 😀 <X"), "notes settled into the interview");
    assert!(!backup.contains("\"draft/"), "the draft is gone once settled");
}

/// A learning workshop run start to finish from the facilitator's console: a new
/// workshop from the form's defaults, phases started and closed with keys, an item
/// typed for the room, hands counted in the dot vote, the results revealed, and the
/// top item turned into an owned action. The exported record has all of it.
#[test]
fn run_a_workshop_from_the_console_and_export_its_record() {
    if !require_tool_or_skip("tmux") {
        return;
    }
    let store_dir = tempfile::tempdir().unwrap();
    let store = store_dir.path().join("store");
    let store_arg = store.to_str().unwrap();
    let cli = Sandbox::new();
    let out = cli.oppi(["--store", store_arg, "demo", "init"]).output().unwrap();
    assert!(out.status.success(), "{}", describe(&out));

    let tmux = Tmux::new(100, 30, &oppi_command_line(&["--store", store_arg]));
    tmux.wait_for("Pilots ");
    tmux.send_keys(&["w"]);
    // The demo store already holds two workshops: one run to its end, one to come.
    tmux.wait_for_all(&["Workshops · 2", "Partnership lessons", "mid-term review"]);

    // The new-workshop form: its defaults are the learning workshop, today.
    tmux.send_keys(&["n"]);
    tmux.wait_for_all(&["New workshop", "learning-workshop"]);
    tmux.send_keys(&["Enter"]);
    let screen = tmux.wait_for_all(&["workshop created: room ", "Workshops · 3", "Learning workshop"]);
    let room = screen[screen.find("workshop created: room ").unwrap() + "workshop created: room ".len()..]
        .chars()
        .take(5)
        .collect::<String>();
    assert!(screen.contains(&format!("room {room}  phase 1/6 Welcome (pending)")), "{screen}");

    // The console: start the welcome, then on to the highlights and the notes.
    tmux.send_keys(&["Enter"]);
    tmux.wait_for_all(&["Agenda", "not started: s starts it", &format!("room {room}")]);
    tmux.send_keys(&["s"]);
    tmux.wait_gone("not started");
    tmux.send_keys(&["n"]);
    tmux.wait_for_all(&["phase 2/6 ▸ Present", "Cooperation requires"]);
    tmux.send_keys(&["n"]);
    tmux.wait_for_all(&["phase 3/6 ▸ Write", "No items yet"]);

    // An item typed for the room.
    tmux.send_keys(&["a"]);
    tmux.wait_for("new item:");
    tmux.type_text("Shared client register");
    tmux.wait_for("new item: Shared client register");
    tmux.send_keys(&["Enter"]);
    tmux.wait_until("the item in the list", |s| {
        !s.contains("new item:") && s.contains(" Shared client register") && s.contains("1 items from 0 people")
    });

    // The dot vote: hidden until revealed; two hands for the new item (the 7th option).
    tmux.send_keys(&["n"]);
    tmux.wait_for_all(&["phase 4/6 ▸ Dot vote", "hidden from participants (r reveals)", "Shared client register"]);
    tmux.send_keys(&["j", "j", "j", "j", "j", "j"]);
    tmux.send_keys(&["Space"]);
    tmux.wait_for("1 from the room's hands");
    tmux.send_keys(&["Space"]);
    tmux.wait_for("2 from the room's hands");
    tmux.send_keys(&["r"]);
    tmux.wait_gone("hidden from participants");

    // t turns the focused item into an action: the form asks for an owner.
    tmux.send_keys(&["t"]);
    tmux.wait_for_all(&["Follow-up action", "Shared client register"]);
    tmux.send_keys(&["Tab"]);
    tmux.wait_for("who does it");
    tmux.type_text("TE office");
    tmux.send_keys(&["Enter"]);
    tmux.wait_until("the action under the items", |s| {
        !s.contains("who does it") && s.contains("→ Shared client register (TE office)")
    });

    // Through to the end.
    tmux.send_keys(&["n"]);
    tmux.wait_for("phase 5/6 ▸ Actions");
    tmux.send_keys(&["n"]);
    tmux.wait_for("phase 6/6 ▸ Discuss");
    tmux.send_keys(&["n"]);
    tmux.wait_for("✓ 6 Close");

    tmux.send_keys(&["q"]);
    tmux.wait_for_all(&["Workshops · 3", &format!("room {room}  finished")]);
    tmux.send_keys(&["q"]);
    tmux.wait_for("Pilots ");
    tmux.send_keys(&["q"]);
    assert_eq!(tmux.wait_for_exit(), 0, "{}", tmux.capture_with_history());
    assert!(!tmux.capture_with_history().contains("panicked"));

    // The record, read by another process.
    let out = cli.oppi(["--store", store_arg, "workshop", "list", "--json"]).output().unwrap();
    assert!(out.status.success(), "{}", describe(&out));
    let list: Value = serde_json::from_slice(&out.stdout).unwrap();
    let ours = list.as_array().unwrap().iter().find(|w| w["room_code"] == room.as_str()).expect("our workshop");
    let id = ours["id"].as_str().unwrap().to_string();
    assert_eq!(ours["state"], "finished");

    let out = cli.oppi(["--store", store_arg, "workshop", "export", &id, "--md"]).output().unwrap();
    assert!(out.status.success(), "{}", describe(&out));
    let md = String::from_utf8(out.stdout).unwrap();
    for (n, title) in [(1, "Welcome"), (2, "Draft highlights"), (3, "What is missing?"), (4, "Priorities")] {
        let row = md.lines().find(|l| l.starts_with(&format!("| {n} | {title} | "))).unwrap_or_else(|| panic!("{md}"));
        assert!(row.ends_with(" | done |"), "{row}");
    }
    assert!(md.contains("| \\#7 Shared client register | facilitator |  | turned into action A1 |"), "{md}");
    assert!(md.contains("| Item | Dots | Room hands | n (voters) |"), "{md}");
    assert!(md.contains("| \\#7 Shared client register | 2 | 2 | 0 |"), "{md}");
    assert!(md.contains("n = 0 voters · 0 of 0 dots used · 2 dots counted from the room's hands."), "{md}");
    assert!(md.contains("| A1 Shared client register | TE office |  | open | \\#7 Shared client register |"), "{md}");
    assert!(md.contains("Turned into action A1 'Shared client register' (owner: TE office, open)."), "{md}");
}

/// Closing the app leaves an automatic backup in the store's `backups/`, the newest
/// `[backups] keep` of them are kept, and the newest has the session's work.
#[test]
fn the_app_keeps_rolling_automatic_backups() {
    if !require_tool_or_skip("tmux") {
        return;
    }
    let store_dir = tempfile::tempdir().unwrap();
    let store = store_dir.path().join("store");
    let store_arg = store.to_str().unwrap();
    let config = store_dir.path().join("config.toml");
    std::fs::write(&config, "[backups]\nkeep = 2\n").unwrap();
    let cli = Sandbox::new();
    let out = cli.oppi(["--store", store_arg, "demo", "init"]).output().unwrap();
    assert!(out.status.success(), "{}", describe(&out));
    let backups = || {
        let mut names: Vec<String> = std::fs::read_dir(store.join("backups"))
            .map(|d| d.map(|e| e.unwrap().file_name().to_string_lossy().into_owned()).collect())
            .unwrap_or_default();
        names.sort();
        names
    };
    assert!(backups().is_empty());
    let args = ["--store", store_arg, "--config", config.to_str().unwrap()];
    for name in ["Backup one", "Backup two", "Backup three"] {
        let tmux = Tmux::new(100, 30, &oppi_command_line(&args));
        tmux.wait_for("Pilots ");
        tmux.send_keys(&["n"]);
        tmux.wait_for("New pilot");
        tmux.type_text(name);
        tmux.send_keys(&["Enter"]);
        tmux.wait_for("saved");
        tmux.send_keys(&["q"]);
        tmux.wait_for("Pilots ");
        tmux.send_keys(&["q"]);
        assert_eq!(tmux.wait_for_exit(), 0, "{}", tmux.capture_with_history());
        let names = backups();
        assert!(!names.is_empty() && names.len() <= 2, "{names:?}");
        let newest = std::fs::read_to_string(store.join("backups").join(names.last().unwrap())).unwrap();
        assert!(newest.contains(name), "the newest backup has {name}");
    }
}
