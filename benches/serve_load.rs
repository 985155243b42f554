//! Load on `oppi serve`: N simulated participants (russh clients) join one workshop and
//! place their dots; for every dot, how long until the facilitator's screen (read through
//! a terminal emulator) counts it, and the server's peak memory.
//!
//!     cargo bench --bench serve_load              # N = 50 and 200
//!     OPPI_LOAD_N=20 cargo bench --bench serve_load
//!
//! The server runs as its own process (the release binary), the clients in this one, on
//! the same machine: the figures include the clients' share of the CPU.

use std::io::{BufRead, BufReader};
use std::process::{Child, Command, Stdio};
use std::sync::Arc;
use std::time::{Duration, Instant};

use russh::ChannelMsg;
use russh::keys::{Algorithm, PrivateKey, PrivateKeyWithHashAlg};
use tokio::sync::Mutex;

const OPPI: &str = env!("CARGO_BIN_EXE_oppi");
/// Dots each participant places (the learning workshop's dot vote allows three).
const DOTS: usize = 3;
/// One dot from the room every this often: a busy room, 100 dots a second.
const PACE: Duration = Duration::from_millis(10);

struct Client;

impl russh::client::Handler for Client {
    type Error = russh::Error;

    async fn check_server_key(&mut self, _key: &russh::keys::PublicKeyOrCertificate) -> Result<bool, Self::Error> {
        Ok(true)
    }
}

/// One SSH terminal: what it shows, and a way to type into it.
struct Term {
    screen: Arc<std::sync::Mutex<vt100::Parser>>,
    channel: russh::ChannelWriteHalf<russh::client::Msg>,
    _session: russh::client::Handle<Client>,
}

impl Term {
    async fn open(addr: &str, user: &str, key: PrivateKey, size: (u16, u16), parse: bool) -> Term {
        let config = Arc::new(russh::client::Config::default());
        let mut session = russh::client::connect(config, addr, Client).await.expect("connect");
        let auth = session
            .authenticate_publickey(user, PrivateKeyWithHashAlg::new(Arc::new(key), None))
            .await
            .expect("authenticate");
        assert!(auth.success(), "{user} refused");
        let channel = session.channel_open_session().await.expect("session channel");
        channel.request_pty(false, "xterm", size.0.into(), size.1.into(), 0, 0, &[]).await.expect("pty");
        channel.request_shell(false).await.expect("shell");
        let (mut read, write) = channel.split();
        let screen = Arc::new(std::sync::Mutex::new(vt100::Parser::new(nonzero(size.1), nonzero(size.0), 0)));
        let parser = screen.clone();
        tokio::spawn(async move {
            while let Some(msg) = read.wait().await {
                if let ChannelMsg::Data { data } = msg
                    && parse
                {
                    parser.lock().unwrap().process(&data);
                }
            }
        });
        Term { screen, channel: write, _session: session }
    }

    fn text(&self) -> String {
        self.screen.lock().unwrap().screen().contents()
    }

    async fn send(&self, bytes: &[u8]) {
        self.channel.data_bytes(bytes.to_vec()).await.expect("send");
    }

    async fn wait_for(&self, text: &str) {
        let deadline = Instant::now() + Duration::from_secs(60);
        while !self.text().contains(text) {
            assert!(Instant::now() < deadline, "timed out waiting for {text:?}:\n{}", self.text());
            tokio::time::sleep(Duration::from_millis(5)).await;
        }
    }
}

fn nonzero(n: u16) -> std::num::NonZeroU16 {
    std::num::NonZeroU16::new(n).expect("a real terminal size")
}

fn key() -> PrivateKey {
    PrivateKey::random(&mut rand::rng(), Algorithm::Ed25519).unwrap()
}

fn oppi(store: &std::path::Path, args: &[&str]) -> String {
    let out = Command::new(OPPI).arg("--store").arg(store).args(args).output().expect("oppi runs");
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    String::from_utf8_lossy(&out.stdout).into_owned()
}

/// A store with the demo and a fresh learning workshop; the server on a free port.
fn start_server(dir: &std::path::Path, facilitator: &PrivateKey, n: usize) -> (Child, String, String) {
    let store = dir.join("store");
    oppi(&store, &["demo", "init"]);
    let created = oppi(&store, &["workshop", "new", "--template", "learning-workshop", "--pilot", "AIMO"]);
    let room = created.split("room code: ").nth(1).expect("a room code").trim().to_string();
    let public = dir.join("facilitator.pub");
    std::fs::write(&public, facilitator.public_key().to_openssh().unwrap()).unwrap();
    let config = dir.join("config.toml");
    let limit = n + 10;
    std::fs::write(
        &config,
        format!("[server]\nmax_sessions = {limit}\nmax_sessions_per_address = {limit}\ninput_bytes_per_second = 100000\n"),
    )
    .unwrap();
    let mut server = Command::new(OPPI)
        .arg("--store")
        .arg(&store)
        .arg("--config")
        .arg(&config)
        .args(["serve", "--listen", "127.0.0.1:0", "--facilitator-key"])
        .arg(&public)
        .stdout(Stdio::piped())
        .stderr(Stdio::inherit())
        .spawn()
        .expect("server starts");
    let mut lines = BufReader::new(server.stdout.take().unwrap()).lines();
    let addr = lines
        .by_ref()
        .map_while(Result::ok)
        .find_map(|l| l.strip_prefix("oppi serve: listening on ").map(str::to_string))
        .expect("the server says where it listens");
    std::thread::spawn(move || lines.for_each(drop));
    (server, addr, room)
}

/// Peak resident memory of a process, from /proc (Linux).
fn peak_memory_mb(pid: u32) -> Option<f64> {
    let status = std::fs::read_to_string(format!("/proc/{pid}/status")).ok()?;
    let line = status.lines().find(|l| l.starts_with("VmHWM:"))?;
    let kb: f64 = line.split_whitespace().nth(1)?.parse().ok()?;
    Some(kb / 1024.0)
}

/// "7 of 600 dots": the facilitator console's count of dots placed.
fn dots_counted(screen: &str) -> Option<usize> {
    let at = screen.find(" dots · ")?;
    let before = &screen[..at];
    let of = before.rfind(" of ")?;
    before[..of].rsplit(|c: char| !c.is_ascii_digit()).next()?.parse().ok()
}

async fn run(n: usize) {
    let dir = tempfile::tempdir().unwrap();
    let facilitator_key = key();
    let (mut server, addr, room) = start_server(dir.path(), &facilitator_key, n);

    let fac = Term::open(&addr, "anna", facilitator_key, (140, 45), true).await;
    fac.wait_for("Pilots").await;
    fac.send(b"w").await;
    fac.wait_for(&format!("room {room}")).await;
    // The new workshop is the last of three.
    fac.send(b"jj\r").await;
    fac.wait_for("Agenda").await;
    fac.send(b"s").await;
    fac.wait_for("phase 1/").await;

    // Everyone joins, a few at a time as people do.
    let joined = Instant::now();
    let mut people = Vec::new();
    for chunk in (0..n).collect::<Vec<_>>().chunks(25) {
        let mut opening = Vec::new();
        for _ in chunk {
            let (addr, room) = (addr.clone(), room.clone());
            opening.push(tokio::spawn(async move {
                let t = Term::open(&addr, &room, key(), (80, 24), true).await;
                t.wait_for("Join the workshop").await;
                t.send(b"\r\r").await;
                t.wait_for("You are:").await;
                t
            }));
        }
        for o in opening {
            people.push(o.await.unwrap());
        }
    }
    let join_time = joined.elapsed();
    // Through present and write to the dot vote.
    fac.send(b"nnn").await;
    fac.wait_for("Dot vote").await;
    for p in &people {
        p.wait_for("Dots left: 3").await;
    }

    let total = n * DOTS;
    let seen: Arc<Mutex<Vec<Option<Instant>>>> = Arc::new(Mutex::new(vec![None; total + 1]));
    let watcher = {
        let seen = seen.clone();
        let screen = fac.screen.clone();
        tokio::spawn(async move {
            let deadline = Instant::now() + Duration::from_secs(120);
            loop {
                let counted = dots_counted(&screen.lock().unwrap().screen().contents()).unwrap_or(0);
                let now = Instant::now();
                let mut seen = seen.lock().await;
                for slot in seen.iter_mut().take(counted.min(total) + 1).skip(1) {
                    slot.get_or_insert(now);
                }
                if counted >= total || now > deadline {
                    return counted;
                }
                drop(seen);
                tokio::time::sleep(Duration::from_millis(1)).await;
            }
        })
    };
    let mut sent = Vec::with_capacity(total);
    let mut tick = tokio::time::interval(PACE);
    for round in 0..DOTS {
        for p in &people {
            tick.tick().await;
            // A dot on option `round + 1`: move down once per earlier round.
            let keys: &[u8] = if round == 0 { b" " } else { b"j " };
            sent.push(Instant::now());
            p.send(keys).await;
        }
    }
    let counted = watcher.await.unwrap();
    let seen = seen.lock().await;
    let mut latencies: Vec<Duration> =
        sent.iter().enumerate().filter_map(|(k, at)| seen[k + 1].map(|s| s.saturating_duration_since(*at))).collect();
    latencies.sort();
    let pct = |p: f64| latencies.get(((latencies.len() as f64 - 1.0) * p).round() as usize).copied().unwrap_or_default();
    let memory = peak_memory_mb(server.id());
    println!(
        "serve_load N={n}: {counted}/{total} dots on the facilitator's screen; vote→screen p50 {:.1} ms, p99 {:.1} ms, max {:.1} ms; server peak memory {}; {n} joined in {:.1} s",
        pct(0.5).as_secs_f64() * 1000.0,
        pct(0.99).as_secs_f64() * 1000.0,
        latencies.last().copied().unwrap_or_default().as_secs_f64() * 1000.0,
        memory.map_or("n/a".into(), |m| format!("{m:.0} MB")),
        join_time.as_secs_f64(),
    );
    drop(people);
    #[cfg(unix)]
    // SAFETY: sending SIGTERM to the child we started.
    unsafe {
        libc::kill(server.id() as i32, libc::SIGTERM);
    }
    let _ = server.wait();
}

fn main() {
    // `cargo test` runs benches with --bench absent: build them, run nothing.
    if !std::env::args().any(|a| a == "--bench") {
        return;
    }
    let sizes: Vec<usize> = match std::env::var("OPPI_LOAD_N") {
        Ok(n) => n.split(',').filter_map(|s| s.trim().parse().ok()).collect(),
        Err(_) => vec![50, 200],
    };
    let rt = tokio::runtime::Builder::new_multi_thread().enable_all().build().unwrap();
    for n in sizes {
        rt.block_on(run(n));
    }
}
