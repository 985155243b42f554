//! `oppi serve` from the outside: the real binary on a free port, driven by an SSH client
//! (russh) whose output is read off a `vt100` screen. Each test starts its own server
//! on its own copy of the demo store.

#[path = "support/ssh_client.rs"]
mod ssh_client;
mod support;

use std::path::PathBuf;
use std::time::{Duration, Instant};

use russh::MethodKind;
use russh::client::AuthResult;
use russh::keys::PrivateKey;
use ssh_client::{Connection, Session, fingerprint, new_key};
use support::StoreEnv;
use support::server::Server;

/// A demo store with a learning workshop (from the shipped template) moved on to
/// `phase` (0-based) by the facilitator, as `oppi workshop apply` does it.
struct Room {
    env: StoreEnv,
    id: String,
    code: String,
}

/// The learning workshop's phases, 0-based.
const WRITE: usize = 2;
const DOT_VOTE: usize = 3;

impl Room {
    fn at_phase(phase: usize) -> Room {
        let env = StoreEnv::demo();
        let made = env.json(&["workshop", "new", "--template", "learning-workshop", "--pilot", "AIMO", "--json"]);
        let id = made["id"].as_str().expect("workshop id").to_string();
        let code = made["room"].as_str().expect("room code").to_string();
        env.ok(&["workshop", "apply", &id, "--json-command", r#"{"cmd":"start"}"#]);
        for _ in 0..phase {
            env.ok(&["workshop", "apply", &id, "--json-command", r#"{"cmd":"next"}"#]);
        }
        Room { env, id, code }
    }

    /// A facilitator key: its private half, and the `.pub` file to serve with.
    fn facilitator_key(&self) -> (PrivateKey, PathBuf) {
        let key = new_key();
        let mut public = key.public_key().clone();
        public.set_comment("anna@evaluation");
        let path = self.env.sandbox.path("anna.pub");
        std::fs::write(&path, public.to_openssh().expect("encode a public key")).expect("write anna.pub");
        (key, path)
    }

    fn serve(&self, facilitator: Option<&PathBuf>) -> Server {
        let keys: Vec<&std::path::Path> = facilitator.iter().map(|p| p.as_path()).collect();
        Server::start(&self.env.sandbox, &self.env.store, &keys)
    }

    /// The workshop as the store has it (only while no server holds the store).
    fn workshop_json(&self) -> serde_json::Value {
        self.env.json(&["workshop", "show", &self.id, "--json"])
    }

    /// Every name and other name of every pilot in the store.
    fn pilot_names(&self) -> Vec<String> {
        let pilots = self.env.json(&["pilot", "list", "--archived", "--json"]);
        let mut names = Vec::new();
        for p in pilots.as_array().expect("a list of pilots") {
            names.push(p["name"].as_str().expect("a pilot name").to_string());
            for alt in p["alt_names"].as_array().into_iter().flatten() {
                names.extend(alt.as_str().map(str::to_string));
            }
        }
        assert!(names.len() >= 15, "the demo has fifteen pilots: {names:?}");
        names
    }
}

/// Joins from the join screen with the first role and organisation type offered.
fn join(p: &Session) {
    p.wait_for("Join the workshop");
    p.send("\r");
    p.send("\r");
    p.wait_for("You are: organiser, TE office");
}

/// From the facilitator's home screen to the console of the workshop in `room`.
fn open_console(f: &Session, room: &str) {
    f.wait_for("Pilots");
    f.send("w");
    let list = f.wait_for(&format!("room {room}"));
    let rows: Vec<&str> = list.lines().collect();
    let header = rows.iter().position(|r| r.contains("Workshops ·")).expect("the list's header");
    let at = rows.iter().position(|r| r.contains(&format!("room {room}"))).expect("the workshop's row");
    for _ in 0..(at - header - 1) {
        f.send("j");
    }
    f.send("\r");
    f.wait_for(&format!("room {room} ·"));
}

/// The console row of the item whose text starts with `text`.
fn row_with<'a>(screen: &'a str, text: &str) -> &'a str {
    screen.lines().find(|l| l.contains(text)).unwrap_or_else(|| panic!("no row with {text:?}:\n{screen}"))
}

/// The count at the end of a console tally row.
fn count_at_end(row: &str) -> Option<u32> {
    row.split_whitespace().last()?.parse().ok()
}

#[test]
fn a_participant_joins_by_room_code_and_their_dots_reach_the_facilitators_tally() {
    let room = Room::at_phase(DOT_VOTE);
    let (anna, anna_pub) = room.facilitator_key();
    let server = room.serve(Some(&anna_pub));
    let f = Session::open(server.addr, "anna", &anna, 110, 30);
    open_console(&f, &room.code);
    f.wait_for_all(&["phase 4/6 ▸ Dot vote", "0 voted", "hidden from participants"]);

    // The room code is the user name; upper case works as well.
    let p = Session::open(server.addr, &room.code.to_uppercase(), &new_key(), 80, 24);
    join(&p);
    p.wait_for_all(&["Phase 4 of 6 · Priorities", "Dots left: 3"]);
    f.wait_for_all(&["1 joined", "Connected 1 · input 0"]);

    p.send(" ");
    p.wait_for("Dots left: 2");
    p.send("j");
    p.send(" ");
    p.send(" ");
    p.wait_for("Dots left: 0");
    let screen = f.wait_for_all(&["3 of 3 dots · 1 voted", "Connected 1 · input 1"]);
    assert_eq!(count_at_end(row_with(&screen, "Cooperation requires trust")), Some(1), "{screen}");
    assert_eq!(count_at_end(row_with(&screen, "Reserve more time")), Some(2), "{screen}");
    assert_eq!(count_at_end(row_with(&screen, "Partnership must be led")), Some(0), "{screen}");

    // Hidden until the facilitator reveals them.
    let before = p.screen();
    assert!(before.contains("Results are shown when the facilitator reveals them."), "{before}");
    assert!(!before.lines().any(|l| l.trim() == "Results"), "results show before the reveal:\n{before}");
    f.send("r");
    f.wait_gone("hidden from participants");
    let after = p.wait_until("the revealed results", |s| s.lines().any(|l| l.trim() == "Results"));
    let revealed = after.lines().skip_while(|l| l.trim() != "Results").collect::<Vec<_>>().join("\n");
    assert!(revealed.contains("2 Reserve more time"), "{after}");
    assert!(revealed.contains("1 Cooperation requires trust"), "{after}");
    let (status, output) = server.stop();
    assert!(status.success(), "{output}");
    assert!(!output.contains("panicked"), "{output}");
}

#[test]
fn wrong_and_finished_room_codes_and_unknown_keys_are_refused() {
    let room = Room::at_phase(0);
    let server = room.serve(None);
    let stranger = new_key();
    let mut c = Connection::open(server.addr);
    assert!(!c.auth_none("zz9zz").success(), "no key, no such room");
    assert!(!c.auth_key("zz9zz", &stranger).success(), "a key does not open a room that does not exist");
    // The demo's first workshop has ended: its room takes no one.
    let mut c = Connection::open(server.addr);
    assert!(!c.auth_key("kmp3x", &stranger).success(), "a finished workshop's room is closed");
    // Any other user name is a facilitator's, and needs a listed key.
    let mut c = Connection::open(server.addr);
    assert!(!c.auth_key("anna", &stranger).success(), "an unlisted key is no facilitator");
    // The right code still works on the same server.
    let mut c = Connection::open(server.addr);
    assert!(c.auth_key(&room.code, &stranger).success(), "the workshop's room code lets a participant in");
}

#[test]
fn a_participant_cannot_reach_facilitator_actions_or_see_pilots() {
    let room = Room::at_phase(DOT_VOTE);
    let pilots = room.pilot_names();
    let (anna, anna_pub) = room.facilitator_key();
    let server = room.serve(Some(&anna_pub));
    let f = Session::open(server.addr, "anna", &anna, 110, 30);
    open_console(&f, &room.code);
    let p = Session::open(server.addr, &room.code, &new_key(), 100, 30);
    join(&p);
    p.wait_for("Dots left: 3");
    f.wait_for("Connected 1 · input 0");

    let no_pilots = |screen: &str, after: &str| {
        for name in &pilots {
            assert!(!screen.contains(name.as_str()), "the participant saw the pilot {name:?} after {after}:\n{screen}");
        }
    };
    no_pilots(&p.screen(), "joining");
    // The facilitator's and the evaluator's keys: workshops, search, quit, start, next
    // phase, back, reveal, add, merge, park, undo, action, the other screens, help.
    for key in ["w", "/", "q", "s", "n", "b", "r", "a", "m", "p", "u", "t", "c", "k", "N", "E", "y", "i", "U", "?"] {
        p.send(key);
        no_pilots(&p.screen(), key);
    }
    p.send("x");
    // `L` changes the language: once the screen is in Finnish every key before it has
    // been handled.
    p.send("L");
    let screen = p.wait_for_all(&["Vaihe 4/6", "Pisteitä jäljellä: 3", "L kieli", "? ohje"]);
    no_pilots(&screen, "all the keys");
    assert!(!p.is_closed(), "q and the like do not end a participant's session");

    let console = f.screen();
    assert!(console.contains("phase 4/6 ▸ Dot vote"), "the workshop moved:\n{console}");
    assert!(console.contains("0 of 3 dots · 0 voted"), "{console}");
    assert!(console.contains("hidden from participants"), "the results were revealed:\n{console}");
    drop(p);
    drop(f);
    let (status, output) = server.stop();
    assert!(status.success(), "{output}");

    let w = room.workshop_json();
    assert_eq!(w["current"], DOT_VOTE, "the workshop is still at the dot vote");
    let phase = &w["phases"][DOT_VOTE];
    assert_eq!(phase["status"], "running", "{phase}");
    assert_eq!(phase["visible"], false, "{phase}");
    assert_eq!(w["items"].as_array().map(Vec::len), Some(6), "no item was added: {}", w["items"]);
    assert_eq!(w["participants"].as_object().map(|p| p.len()), Some(1));
}

#[test]
fn an_escape_sequence_split_across_packets_is_one_key() {
    let room = Room::at_phase(DOT_VOTE);
    let server = room.serve(None);
    let p = Session::open(server.addr, &room.code, &new_key(), 80, 24);
    p.wait_for("Join the workshop");
    let chosen_role = |screen: &str| {
        let mut in_roles = false;
        for line in screen.lines() {
            match line.trim() {
                "Your role" => in_roles = true,
                "Your organisation" => in_roles = false,
                l if in_roles && l.starts_with('●') => return l.trim_start_matches('●').trim().to_string(),
                _ => {}
            }
        }
        String::new()
    };
    assert_eq!(chosen_role(&p.screen()), "organiser");
    // Arrow down, cut after ESC and after CSI: each is one ↓, not Esc and letters.
    p.send("\x1b");
    p.send("[B");
    p.wait_until("the role cursor on the second role", |s| chosen_role(s) == "TE office");
    p.send("\x1b[");
    p.send("B");
    p.wait_until("the role cursor on the third role", |s| chosen_role(s) == "service provider");
    // And the pieces were not typed anywhere: joining takes the role under the cursor.
    p.send("\r");
    p.send("\r");
    p.wait_for("You are: service provider, TE office");
}

#[test]
fn a_window_change_lays_the_screen_out_again_at_the_new_size() {
    let room = Room::at_phase(DOT_VOTE);
    let server = room.serve(None);
    let p = Session::open(server.addr, &room.code, &new_key(), 80, 24);
    join(&p);
    let key_bar_row = |s: &str| s.lines().position(|l| l.contains("↑↓ move · space dot"));
    let screen = p.wait_for("Dots left: 3");
    assert_eq!(key_bar_row(&screen), Some(23), "the key bar is on the last row:\n{screen}");
    let long = "Cooperation requires trust: partners who trusted each other solved problems instead of escalating them";
    assert!(!screen.contains(long), "80 columns cut the item short");

    p.resize(160, 40);
    let screen = p.wait_until("the key bar on row 40", |s| key_bar_row(s) == Some(39));
    assert_eq!(screen.lines().filter(|l| l.contains("↑↓ move")).count(), 1, "{screen}");
    p.wait_for(long);

    // Narrower: the prompt wraps where only a 50-column layout wraps it (the local
    // screen cut to size would keep the old rows, not wrap them).
    p.resize(50, 12);
    let screen = p.wait_until("the 50×12 layout", |s| {
        key_bar_row(s) == Some(11)
            && s.contains("Phase 4 of 6 · Priorities")
            && s.lines().any(|l| l.starts_with("services? Place your dots."))
    });
    assert!(screen.lines().all(|l| l.chars().count() <= 50), "{screen}");
}

#[test]
fn a_session_without_a_terminal_is_refused_with_one_line() {
    let room = Room::at_phase(DOT_VOTE);
    let server = room.serve(None);
    let mut c = Connection::open(server.addr);
    assert!(c.auth_key(&room.code, &new_key()).success());
    let s = c.shell(None);
    let status = s.wait_closed();
    let said = s.raw();
    assert_eq!(status, Some(1), "refused sessions end with status 1: {said:?}");
    assert_eq!(said.lines().count(), 1, "one line: {said:?}");
    assert!(said.starts_with("oppi: ") && said.contains("needs a terminal") && said.contains("ssh -t"), "{said:?}");
    assert!(!said.contains('\x1b'), "no screen was drawn: {said:?}");
}

#[test]
fn the_host_key_is_kept_private_and_the_same_after_a_restart() {
    let room = Room::at_phase(0);
    let server = room.serve(None);
    let first = server.fingerprint.clone();
    assert!(first.starts_with("SHA256:"), "{first}");
    let c = Connection::open(server.addr);
    assert_eq!(fingerprint(&c.host_key()), first, "the client sees the key the server printed");
    drop(c);
    let path = room.env.store.join("ssh_host_ed25519_key");
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = std::fs::metadata(&path).expect("the host key file").permissions().mode();
        assert_eq!(mode & 0o777, 0o600, "the host key is readable by its owner only");
    }
    let bytes = std::fs::read(&path).expect("read the host key");
    let (status, output) = server.stop();
    assert!(status.success(), "{output}");

    let again = room.serve(None);
    assert_eq!(again.fingerprint, first, "a restart keeps the host key");
    let c = Connection::open(again.addr);
    assert_eq!(fingerprint(&c.host_key()), first);
    assert_eq!(std::fs::read(&path).expect("read the host key"), bytes, "the key file is not rewritten");
}

#[test]
fn a_half_typed_note_comes_back_after_a_dropped_connection() {
    let room = Room::at_phase(WRITE);
    let server = room.serve(None);
    let key = new_key();
    let p = Session::open(server.addr, &room.code, &key, 80, 24);
    join(&p);
    p.wait_for("What is missing?");
    p.send("a");
    p.wait_for("Write a note");
    let note = "Trust takes time to build";
    p.send(note);
    p.wait_for(note);
    p.drop_connection();

    // The server saves the draft when it notices the connection is gone; until then a
    // new connection may come too early to find it, so try again until it does.
    let deadline = Instant::now() + Duration::from_secs(20);
    let back = loop {
        let p = Session::open(server.addr, &room.code, &key, 80, 24);
        if p.try_wait_for("Your unsent note was restored.", Duration::from_secs(2)) {
            break p;
        }
        assert!(Instant::now() < deadline, "the note never came back\n{}", p.screen());
    };
    let screen = back.wait_for(note);
    assert!(screen.contains("You are: organiser, TE office"), "rejoined as the same participant:\n{screen}");
    assert!(!screen.contains("Join the workshop"), "{screen}");
    // The restored text is live: finish it and send it.
    back.send(" with partners");
    back.send("\r");
    back.wait_for(&format!("• {note} with partners"));
}

#[test]
fn a_workshop_passphrase_is_asked_after_the_key_and_keeps_the_participant() {
    let room = Room::at_phase(DOT_VOTE);
    room.env.ok(&["workshop", "apply", &room.id, "--json-command", r#"{"cmd":"set-passphrase","passphrase":"kahvi"}"#]);
    let server = room.serve(None);
    let key = new_key();

    // The key alone is not enough: it is accepted in part, the passphrase is asked.
    let mut c = Connection::open(server.addr);
    match c.auth_key(&room.code, &key) {
        AuthResult::Failure { partial_success, remaining_methods } => {
            assert!(partial_success, "the key was accepted as far as it goes");
            let methods: &[MethodKind] = &remaining_methods;
            assert!(methods.contains(&MethodKind::KeyboardInteractive), "{methods:?}");
        }
        AuthResult::Success => panic!("a room with a passphrase let a key in without it"),
    }
    assert!(!c.auth_password(&room.code, "tee").success(), "a wrong passphrase is refused");
    assert!(c.auth_password(&room.code, "kahvi").success(), "the right one lets the key's holder in");
    let p = c.shell(Some((80, 24)));
    join(&p);
    drop(p);

    // Keyboard-interactive, as OpenSSH asks it: the same key comes back as the same
    // participant, already joined.
    let mut c = Connection::open(server.addr);
    assert!(!c.auth_key(&room.code, &key).success());
    let (prompts, admitted) = c.auth_keyboard_interactive(&room.code, "kahvi");
    assert!(admitted, "prompts: {prompts:?}");
    assert_eq!(prompts, ["Passphrase: "]);
    let p = c.shell(Some((80, 24)));
    let screen = p.wait_for("Dots left: 3");
    assert!(screen.contains("You are: organiser, TE office") && !screen.contains("Join the workshop"), "{screen}");

    // Without a key the passphrase alone admits a new, anonymous participant.
    let mut c = Connection::open(server.addr);
    let (_, admitted) = c.auth_keyboard_interactive(&room.code, "not it");
    assert!(!admitted, "a wrong passphrase is refused");
    let mut c = Connection::open(server.addr);
    let (_, admitted) = c.auth_keyboard_interactive(&room.code, "kahvi");
    assert!(admitted);
    c.shell(Some((80, 24))).wait_for("Join the workshop");
}

/// The server's limits, from its config file: sessions per address, and an item longer
/// than allowed is refused with the reason on the participant's screen.
#[test]
fn sessions_per_address_and_item_length_are_limited() {
    let room = Room::at_phase(WRITE);
    let config = room.env.sandbox.config_home().join("oppi");
    std::fs::create_dir_all(&config).unwrap();
    std::fs::write(config.join("config.toml"), "[server]\nmax_sessions_per_address = 2\nmax_item_chars = 10\n")
        .unwrap();
    let server = room.serve(None);
    let first = Session::open(server.addr, &room.code, &new_key(), 80, 24);
    join(&first);
    let _second = Session::open(server.addr, &room.code, &new_key(), 80, 24);
    let mut third = Connection::open(server.addr);
    assert!(third.auth_key(&room.code, &new_key()).success());
    let refused = third.shell(Some((80, 24)));
    assert_eq!(refused.wait_closed(), Some(1));
    assert!(refused.raw().contains("too many sessions from this address (at most 2)"), "{}", refused.raw());

    first.send("a");
    first.send("far more than ten characters");
    first.send("\r");
    first.wait_for("at most 10 characters");
    first.send("a");
    first.send("short");
    first.send("\r");
    first.wait_for("• short");
}

#[test]
fn commands_over_ssh_are_refused_with_a_reason() {
    let room = Room::at_phase(0);
    let server = room.serve(None);
    let mut c = Connection::open(server.addr);
    assert!(c.auth_key(&room.code, &new_key()).success());
    let said = c.exec("cat /etc/passwd");
    assert!(said.contains("oppi runs no commands over SSH"), "{said:?}");
    assert!(!said.contains("root:"), "{said:?}");
}
