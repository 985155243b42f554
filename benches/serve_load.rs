//! Load on `oppi serve`: N simulated participants (russh clients) join one workshop and
//! place their dots; for every dot, how long until the facilitator's screen (read through
//! a terminal emulator) counts it, and the server's peak memory.
//!
//!     cargo bench --bench serve_load              # N = 50 and 200
//!     OPPI_LOAD_N=20 cargo bench --bench serve_load
//!
//! The server runs as its own process (the release binary), the clients in this one, on
//! the same machine: the figures include the clients' share of the two cores. The
//! clients and the server are the ones the SSH tests use (`tests/support`).

#[path = "../tests/support/ssh_client.rs"]
mod ssh_client;
#[path = "../tests/support/mod.rs"]
mod support;

use std::time::{Duration, Instant};

use ssh_client::{Session, new_key};
use support::Sandbox;
use support::server::Server;

/// Dots each participant places (the learning workshop's dot vote allows three).
const DOTS: usize = 3;
/// One dot from the room every this often: a busy room, 100 dots a second.
const PACE: Duration = Duration::from_millis(10);

/// A demo store with a fresh learning workshop, served with room for `n` sessions from
/// this one address; the facilitator's key is listed.
fn start(sandbox: &Sandbox, n: usize) -> (Server, String, russh::keys::PrivateKey) {
    let store = sandbox.path("store");
    let run = |args: &[&str]| {
        let out = sandbox.oppi(["--store", store.to_str().unwrap()].iter().chain(args)).output().unwrap();
        assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
        String::from_utf8_lossy(&out.stdout).into_owned()
    };
    run(&["demo", "init"]);
    let created = run(&["workshop", "new", "--template", "learning-workshop", "--pilot", "AIMO"]);
    let room = created.split("room code: ").nth(1).expect("a room code").trim().to_string();
    let limit = n + 10;
    let config = sandbox.config_home().join("oppi");
    std::fs::create_dir_all(&config).unwrap();
    std::fs::write(
        config.join("config.toml"),
        format!("[server]\nmax_sessions = {limit}\nmax_sessions_per_address = {limit}\n"),
    )
    .unwrap();
    let key = new_key();
    let public = sandbox.path("facilitator.pub");
    std::fs::write(&public, key.public_key().to_openssh().unwrap()).unwrap();
    (Server::start(sandbox, &store, &[&public]), room, key)
}

/// Peak resident memory of a process, from /proc (Linux).
fn peak_memory_mb(pid: u32) -> Option<f64> {
    let status = std::fs::read_to_string(format!("/proc/{pid}/status")).ok()?;
    let line = status.lines().find(|l| l.starts_with("VmHWM:"))?;
    let kb: f64 = line.split_whitespace().nth(1)?.parse().ok()?;
    Some(kb / 1024.0)
}

/// "7 of 600 dots": the facilitator console's count of dots placed.
fn dots_counted(screen: &str) -> usize {
    let Some(at) = screen.find(" dots · ") else { return 0 };
    let before = &screen[..at];
    let Some(of) = before.rfind(" of ") else { return 0 };
    before[..of].rsplit(|c: char| !c.is_ascii_digit()).next().and_then(|n| n.parse().ok()).unwrap_or(0)
}

fn run(n: usize) {
    let sandbox = Sandbox::new();
    let (server, room, key) = start(&sandbox, n);
    let fac = Session::open(server.addr, "anna", &key, 140, 45);
    fac.wait_for("Pilots");
    fac.send("w");
    fac.wait_for(&format!("room {room}"));
    // The new workshop is the last of three.
    fac.send("jj\r");
    fac.wait_for("Agenda");
    fac.send("s");

    let joining = Instant::now();
    let people: Vec<Session> = (0..n)
        .map(|_| {
            let p = Session::open(server.addr, &room, &new_key(), 80, 24);
            p.wait_for("Join the workshop");
            p.send("\r\r");
            p
        })
        .collect();
    for p in &people {
        p.wait_for("You are:");
    }
    let join_time = joining.elapsed();
    // Through present and write to the dot vote.
    fac.send("nnn");
    fac.wait_for("Dot vote");
    for p in &people {
        p.wait_for("Dots left: 3");
    }

    // Send one dot every PACE and watch the facilitator's count between sends.
    let total = n * DOTS;
    let mut sent: Vec<Instant> = Vec::with_capacity(total);
    let mut seen: Vec<Option<Instant>> = vec![None; total];
    let mut counted = 0;
    let started = Instant::now();
    let deadline = started + PACE * total as u32 + Duration::from_secs(60);
    while counted < total && Instant::now() < deadline {
        let due = started + PACE * sent.len() as u32;
        if sent.len() < total && Instant::now() >= due {
            let (round, who) = (sent.len() / n, sent.len() % n);
            // A dot on option `round + 1`: move down once per earlier round.
            sent.push(Instant::now());
            people[who].send(if round == 0 { " " } else { "j " });
        }
        counted = dots_counted(&fac.screen()).min(total);
        let now = Instant::now();
        for slot in seen.iter_mut().take(counted) {
            slot.get_or_insert(now);
        }
        std::thread::sleep(Duration::from_micros(500));
    }
    let mut latencies: Vec<Duration> =
        sent.iter().zip(&seen).filter_map(|(at, s)| s.map(|s| s.saturating_duration_since(*at))).collect();
    latencies.sort();
    let pct =
        |p: f64| latencies.get(((latencies.len() as f64 - 1.0) * p).round() as usize).copied().unwrap_or_default();
    let ms = |d: Duration| d.as_secs_f64() * 1000.0;
    let memory = peak_memory_mb(server.pid());
    println!(
        "serve_load N={n}: {counted}/{total} dots reached the facilitator's screen; vote→screen p50 {:.1} ms, p99 {:.1} ms, max {:.1} ms; server peak memory {}; {n} joined in {:.1} s",
        ms(pct(0.5)),
        ms(pct(0.99)),
        ms(latencies.last().copied().unwrap_or_default()),
        memory.map_or("n/a".into(), |m| format!("{m:.0} MB")),
        join_time.as_secs_f64(),
    );
    drop(people);
    drop(fac);
    server.stop();
}

fn main() {
    // `cargo test` builds benches and runs them without --bench: nothing to do then.
    if !std::env::args().any(|a| a == "--bench") {
        return;
    }
    let sizes: Vec<usize> = match std::env::var("OPPI_LOAD_N") {
        Ok(n) => n.split(',').filter_map(|s| s.trim().parse().ok()).collect(),
        Err(_) => vec![50, 200],
    };
    for n in sizes {
        run(n);
    }
}
