//! `oppi serve`: the app over SSH, so a whole room can join one workshop with their own
//! `ssh`. One process owns the store; every connection is a session with its own app
//! (focus, scroll, typed text) over the same runtime, and the hub passes each change on
//! to the sessions that may see it.
//!
//! * `keys` — the host key and the facilitators file;
//! * `handler` — one SSH connection: authentication, the pty, bytes in;
//! * `session` — one session's app on its own thread, driven by `term::run` like the
//!   local terminal, its effects carried out as its seat;
//! * `hub` — who is connected, the limits, and the fan-out of changes.

pub mod handler;
pub mod hub;
pub mod keys;
pub mod session;

use std::net::SocketAddr;
use std::path::PathBuf;
use std::sync::{Arc, RwLock};
use std::time::Duration;

use crate::app::keymap::Keymap;
use crate::config::ServerConfig;
use crate::runtime::Runtime;
use crate::ui::Theme;
use hub::{Hub, SessionLimits};
use keys::Facilitator;

/// Everything the sessions share.
pub struct Shared {
    pub runtime: Runtime,
    pub hub: Hub,
    pub facilitators: RwLock<Vec<Facilitator>>,
    pub limits: ServerConfig,
    pub theme: Theme,
    pub keymap: Keymap,
    /// Shown in evaluators' headers.
    pub location: String,
    /// For session threads to reach the async side (closing their channel).
    pub rt: tokio::runtime::Handle,
    /// Saves of impact maps are checked against what the saving session saw, and
    /// written, one at a time.
    pub map_saves: std::sync::Mutex<()>,
}

impl ServerConfig {
    pub fn sessions(&self) -> SessionLimits {
        SessionLimits { total: self.max_sessions, per_address: self.max_sessions_per_address }
    }
}

impl Shared {
    /// The workshop whose room code is `user` (any case), if it is open to join: its id
    /// and passphrase. A finished workshop takes no one.
    pub fn room(&self, user: &str) -> Option<(String, Option<String>)> {
        let code = user.trim().to_lowercase();
        if code.is_empty() {
            return None;
        }
        let open = |w: &&&crate::domain::workshop::Workshop| w.room_code.to_lowercase() == code && !w.is_finished();
        let found =
            self.runtime.with_workshops(|all| all.iter().find(open).map(|w| (w.id.clone(), w.passphrase.clone())));
        found.ok().flatten()
    }
}

/// How the server was asked to run.
pub struct Options {
    pub listen: SocketAddr,
    pub store_dir: PathBuf,
    pub facilitators_file: PathBuf,
    pub limits: ServerConfig,
    pub theme: Theme,
    pub keymap: Keymap,
}

/// Runs the server until Ctrl-C or SIGTERM; then tells every session to end (their
/// drafts are saved on the way out) and flushes the store.
pub fn serve(runtime: Runtime, options: Options) -> anyhow::Result<()> {
    let host_key = keys::host_key(&options.store_dir).map_err(anyhow::Error::msg)?;
    let facilitators = keys::read_facilitators(&options.facilitators_file).map_err(anyhow::Error::msg)?;
    let rt = tokio::runtime::Builder::new_multi_thread().enable_all().build()?;
    let fingerprint = keys::fingerprint(host_key.public_key());
    let config = russh::server::Config {
        keys: vec![host_key],
        max_auth_attempts: options.limits.max_auth_attempts as usize,
        // Every refused attempt is answered after this: guessing room codes is slow.
        auth_rejection_time: Duration::from_secs(1),
        auth_rejection_time_initial: Some(Duration::from_millis(0)),
        inactivity_timeout: Some(Duration::from_secs(u64::from(options.limits.idle_timeout_minutes.max(1)) * 60)),
        keepalive_interval: Some(Duration::from_secs(30)),
        nodelay: true,
        ..Default::default()
    };
    let shared = Arc::new(Shared {
        runtime,
        hub: Hub::new(),
        facilitators: RwLock::new(facilitators),
        limits: options.limits,
        theme: options.theme,
        keymap: options.keymap,
        location: format!("{} (served)", options.store_dir.display()),
        rt: rt.handle().clone(),
        map_saves: std::sync::Mutex::new(()),
    });
    let listener = rt.block_on(tokio::net::TcpListener::bind(options.listen))?;
    let bound = listener.local_addr()?;
    let count = shared.facilitators.read().map(|f| f.len()).unwrap_or(0);
    println!("oppi serve: listening on {bound}");
    println!("host key fingerprint: {fingerprint}");
    println!("facilitators: {count} key(s) in {}", options.facilitators_file.display());
    println!("participants join with: ssh -p {} ROOMCODE@<this host>", bound.port());
    println!("stop with Ctrl-C");
    let result = rt.block_on(run(shared.clone(), config, listener));
    shared.hub.hang_up_all();
    // Give sessions a moment to save their drafts before the store is flushed.
    let deadline = std::time::Instant::now() + Duration::from_secs(3);
    while !shared.hub.is_empty() && std::time::Instant::now() < deadline {
        std::thread::sleep(Duration::from_millis(20));
    }
    shared.runtime.store().flush()?;
    rt.shutdown_timeout(Duration::from_secs(1));
    println!("oppi serve: stopped; the store is flushed");
    result
}

async fn run(
    shared: Arc<Shared>,
    config: russh::server::Config,
    listener: tokio::net::TcpListener,
) -> anyhow::Result<()> {
    use russh::server::Server as _;
    let mut server = Acceptor { shared };
    let running = server.run_on_socket(Arc::new(config), &listener);
    let stop = running.handle();
    tokio::select! {
        result = running => result?,
        _ = shutdown_signal() => stop.shutdown("the server is stopping".into()),
    }
    Ok(())
}

async fn shutdown_signal() {
    #[cfg(unix)]
    {
        use tokio::signal::unix::{SignalKind, signal};
        match signal(SignalKind::terminate()) {
            Ok(mut term) => tokio::select! {
                _ = tokio::signal::ctrl_c() => {},
                _ = term.recv() => {},
            },
            Err(_) => {
                let _ = tokio::signal::ctrl_c().await;
            }
        }
    }
    #[cfg(not(unix))]
    {
        let _ = tokio::signal::ctrl_c().await;
    }
}

struct Acceptor {
    shared: Arc<Shared>,
}

impl russh::server::Server for Acceptor {
    type Handler = handler::Connection;

    fn new_client(&mut self, addr: Option<SocketAddr>) -> handler::Connection {
        handler::Connection::new(self.shared.clone(), addr)
    }
}
