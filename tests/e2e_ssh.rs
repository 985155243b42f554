//! A workshop over SSH, end to end, with OpenSSH's own `ssh` in tmux: a facilitator and
//! two participants run a dot vote on the real binary. Keys come from `ssh-keygen`, and
//! `ssh` checks the server against a known_hosts file made from the server's host key.
//!
//! Skipped with a message when ssh, ssh-keygen or tmux is missing, unless
//! `OPPI_E2E=require`.

mod support;

use std::path::{Path, PathBuf};
use std::process::Command;

use support::server::Server;
use support::{StoreEnv, Tmux, describe, require_tool_or_skip, shell_quote};

fn tools_present() -> bool {
    ["ssh", "ssh-keygen", "tmux"].into_iter().all(require_tool_or_skip)
}

/// `ssh-keygen -t ed25519` without a passphrase; returns the private key's path.
fn keygen(dir: &Path, name: &str) -> PathBuf {
    let path = dir.join(name);
    let out = Command::new("ssh-keygen")
        .args(["-q", "-t", "ed25519", "-N", "", "-C"])
        .arg(format!("{name}@evaluation"))
        .arg("-f")
        .arg(&path)
        .output()
        .expect("run ssh-keygen");
    assert!(out.status.success(), "ssh-keygen failed\n{}", describe(&out));
    path
}

/// A known_hosts file naming the server's host key for its address, built from the
/// private key file in the store with `ssh-keygen -y`.
fn known_hosts(server: &Server, dir: &Path) -> PathBuf {
    let out = Command::new("ssh-keygen")
        .arg("-y")
        .arg("-f")
        .arg(server.store.join("ssh_host_ed25519_key"))
        .output()
        .expect("run ssh-keygen -y");
    assert!(out.status.success(), "ssh-keygen -y failed\n{}", describe(&out));
    let public = String::from_utf8(out.stdout).expect("UTF-8");
    let mut fields = public.split_whitespace();
    let (kind, key) = (fields.next().expect("key type"), fields.next().expect("key"));
    assert_eq!(kind, "ssh-ed25519");
    let path = dir.join("known_hosts");
    std::fs::write(&path, format!("[127.0.0.1]:{} {kind} {key}\n", server.port())).expect("write known_hosts");
    // The key in the file is the one whose fingerprint the server printed.
    let out = Command::new("ssh-keygen").arg("-l").arg("-f").arg(&path).output().expect("run ssh-keygen -l");
    let listed = String::from_utf8_lossy(&out.stdout);
    assert!(listed.contains(&server.fingerprint), "{listed} vs {}", server.fingerprint);
    path
}

/// `ssh` as a careful user runs it: only this key, and the host must be the known one.
fn ssh_command(server: &Server, known_hosts: &Path, key: &Path, user: &str) -> String {
    let args = [
        "ssh".to_string(),
        "-F".into(),
        "/dev/null".into(),
        "-p".into(),
        server.port().to_string(),
        "-i".into(),
        key.display().to_string(),
        "-o".into(),
        "IdentitiesOnly=yes".into(),
        "-o".into(),
        "StrictHostKeyChecking=yes".into(),
        "-o".into(),
        format!("UserKnownHostsFile={}", known_hosts.display()),
        "-o".into(),
        "BatchMode=yes".into(),
        "-o".into(),
        "ConnectTimeout=10".into(),
        "-o".into(),
        "LogLevel=ERROR".into(),
        format!("{user}@127.0.0.1"),
    ];
    args.iter().map(|a| shell_quote(a)).collect::<Vec<_>>().join(" ")
}

/// The number at the end of the row that shows `text`.
fn count_on_row(screen: &str, text: &str) -> Option<u32> {
    let row = screen.lines().find(|l| l.contains(text))?;
    row.split_whitespace().last()?.parse().ok()
}

#[test]
fn a_facilitator_and_two_participants_run_a_dot_vote_over_openssh() {
    if !tools_present() {
        return;
    }
    let env = StoreEnv::demo();
    let made = env.json(&["workshop", "new", "--template", "learning-workshop", "--pilot", "AIMO", "--json"]);
    let (id, room) = (made["id"].as_str().unwrap().to_string(), made["room"].as_str().unwrap().to_string());
    let keys = env.sandbox.path("keys");
    std::fs::create_dir_all(&keys).unwrap();
    let anna = keygen(&keys, "anna");
    let (p1_key, p2_key) = (keygen(&keys, "p1"), keygen(&keys, "p2"));
    let server = Server::start(&env.sandbox, &env.store, &[&anna.with_extension("pub")]);
    let hosts = known_hosts(&server, &keys);

    let p1 = Tmux::new(80, 24, &ssh_command(&server, &hosts, &p1_key, &room));
    let p2 = Tmux::new(80, 24, &ssh_command(&server, &hosts, &p2_key, &room));
    for p in [&p1, &p2] {
        p.wait_for("Join the workshop");
        p.send_keys(&["Enter"]);
        p.send_keys(&["Enter"]);
        p.wait_for_all(&["You are: organiser, TE office", "The facilitator has not started yet."]);
    }

    let f = Tmux::new(110, 30, &ssh_command(&server, &hosts, &anna, "anna"));
    f.wait_for("Pilots");
    f.send_keys(&["w"]);
    let list = f.wait_for(&format!("room {room}"));
    let rows: Vec<&str> = list.lines().collect();
    let header = rows.iter().position(|r| r.contains("Workshops ·")).expect("the list's header");
    let at = rows.iter().position(|r| r.contains(&format!("room {room}"))).expect("the workshop's row");
    for _ in 0..(at - header - 1) {
        f.send_keys(&["j"]);
    }
    f.send_keys(&["Enter"]);
    f.wait_for_all(&[&format!("room {room} · 2 joined"), "Connected 2 · input 0", "not started: s starts it"]);
    f.send_keys(&["s"]);
    f.wait_gone("not started: s starts it");
    for phase in 2..=4 {
        f.send_keys(&["n"]);
        f.wait_for(&format!("phase {phase}/6"));
    }
    f.wait_for_all(&["phase 4/6 ▸ Dot vote", "0 of 6 dots · 0 voted", "hidden from participants"]);

    // p1: two dots on the first highlight, one on the second.
    p1.wait_for_all(&["Phase 4 of 6 · Priorities", "Dots left: 3"]);
    p1.send_keys(&["Space"]);
    p1.wait_for("Dots left: 2");
    p1.send_keys(&["Space"]);
    p1.wait_for("Dots left: 1");
    p1.send_keys(&["Down"]);
    p1.send_keys(&["Space"]);
    p1.wait_for("Dots left: 0");
    // p2: two on the second, one on the third.
    p2.wait_for("Dots left: 3");
    p2.send_keys(&["Down"]);
    p2.send_keys(&["Space"]);
    p2.wait_for("Dots left: 2");
    p2.send_keys(&["Space"]);
    p2.wait_for("Dots left: 1");
    p2.send_keys(&["Down"]);
    p2.send_keys(&["Space"]);
    p2.wait_for("Dots left: 0");

    let console = f.wait_for_all(&["6 of 6 dots · 2 voted", "Connected 2 · input 2"]);
    assert_eq!(count_on_row(&console, "Cooperation requires trust"), Some(2), "{console}");
    assert_eq!(count_on_row(&console, "Reserve more time"), Some(3), "{console}");
    assert_eq!(count_on_row(&console, "Communication must be"), Some(1), "{console}");
    assert_eq!(count_on_row(&console, "Partnership must be led"), Some(0), "{console}");
    for p in [&p1, &p2] {
        let screen = p.capture();
        assert!(screen.contains("Results are shown when the facilitator reveals them."), "{screen}");
        assert!(!screen.lines().any(|l| l.trim() == "Results"), "results before the reveal:\n{screen}");
    }

    f.send_keys(&["r"]);
    f.wait_gone("hidden from participants");
    for p in [&p1, &p2] {
        let screen = p.wait_until("the revealed results", |s| s.lines().any(|l| l.trim() == "Results"));
        let results: Vec<&str> = screen.lines().skip_while(|l| l.trim() != "Results").collect();
        let results = results.join("\n");
        for row in ["3 Reserve more time", "2 Cooperation requires trust", "1 Communication must be"] {
            assert!(results.contains(row), "no {row:?} in the results:\n{screen}");
        }
    }

    // Leaving: ctrl-c ends the participant's ssh cleanly.
    p1.send_keys(&["C-c"]);
    assert_eq!(p1.wait_for_exit(), 0, "{}", p1.capture_with_history());
    f.wait_for("Connected 1 · input 1");
    drop((p2, f));
    let (status, output) = server.stop();
    assert!(status.success(), "{output}");
    assert!(!output.contains("panicked"), "{output}");

    // The votes are in the store.
    let shown = env.ok(&["workshop", "show", &id]);
    assert!(shown.contains("6 of 6 dots used, 2 voted"), "{shown}");
}
