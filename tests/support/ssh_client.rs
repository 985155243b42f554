//! An SSH client for tests of `oppi serve`: russh on the wire, and a `vt100` screen fed
//! with everything the server sends, so a test reads the session as a person would.
//!
//! The API is blocking: every client shares one small tokio runtime, and a task per
//! session moves the channel's output into the screen. Waiting is polling the screen
//! against a deadline; nothing sleeps for a fixed time.
#![allow(dead_code)]

use std::net::{Shutdown, SocketAddr};
use std::num::NonZeroU16;
use std::sync::{Arc, Mutex, OnceLock};
use std::time::{Duration, Instant};

use russh::ChannelMsg;
use russh::client::{self, AuthResult, Handle, KeyboardInteractiveAuthResponse, Msg};
use russh::keys::{Algorithm, HashAlg, PrivateKey, PrivateKeyWithHashAlg, PublicKey, PublicKeyOrCertificate};

/// How long `wait_for` and friends wait before failing the test.
pub const TIMEOUT: Duration = Duration::from_secs(10);
const POLL: Duration = Duration::from_millis(20);

fn runtime() -> &'static tokio::runtime::Runtime {
    static RT: OnceLock<tokio::runtime::Runtime> = OnceLock::new();
    RT.get_or_init(|| {
        tokio::runtime::Builder::new_multi_thread().worker_threads(2).enable_all().build().expect("a tokio runtime")
    })
}

/// A fresh Ed25519 key, as a participant's or facilitator's `ssh-keygen` would make.
pub fn new_key() -> PrivateKey {
    PrivateKey::random(&mut rand::rng(), Algorithm::Ed25519).expect("an ed25519 key")
}

/// `SHA256:…`, as `ssh` and `oppi serve` print it.
pub fn fingerprint(key: &PublicKey) -> String {
    key.fingerprint(HashAlg::Sha256).to_string()
}

/// Accepts any host key and remembers it, so a test can compare it with the one the
/// server printed.
struct Client {
    host_key: Arc<Mutex<Option<PublicKey>>>,
}

impl client::Handler for Client {
    type Error = russh::Error;

    async fn check_server_key(&mut self, key: &PublicKeyOrCertificate) -> Result<bool, Self::Error> {
        if let PublicKeyOrCertificate::PublicKey { key, .. } = key {
            *self.host_key.lock().unwrap() = Some(key.clone());
        }
        Ok(true)
    }
}

/// A connection that has not authenticated yet.
pub struct Connection {
    handle: Handle<Client>,
    /// The same socket, to cut it the way a dropped network would.
    socket: std::net::TcpStream,
    host_key: Arc<Mutex<Option<PublicKey>>>,
}

impl Connection {
    pub fn open(addr: SocketAddr) -> Connection {
        let socket = std::net::TcpStream::connect_timeout(&addr, TIMEOUT).expect("connect to the server");
        socket.set_nodelay(true).expect("nodelay");
        socket.set_nonblocking(true).expect("nonblocking");
        let cut = socket.try_clone().expect("clone the socket");
        let host_key = Arc::new(Mutex::new(None));
        let handler = Client { host_key: host_key.clone() };
        let config = Arc::new(client::Config { nodelay: true, ..Default::default() });
        let handle = runtime()
            .block_on(async move {
                let stream = tokio::net::TcpStream::from_std(socket)?;
                tokio::time::timeout(TIMEOUT, client::connect_stream(config, stream, handler))
                    .await
                    .map_err(|_| russh::Error::ConnectionTimeout)?
            })
            .expect("SSH handshake with the server");
        Connection { handle, socket: cut, host_key }
    }

    /// The host key the server showed.
    pub fn host_key(&self) -> PublicKey {
        self.host_key.lock().unwrap().clone().expect("the server showed a host key")
    }

    /// Public-key authentication; true when the server let us in.
    pub fn auth_key(&mut self, user: &str, key: &PrivateKey) -> AuthResult {
        let key = PrivateKeyWithHashAlg::new(Arc::new(key.clone()), None);
        let auth = self.handle.authenticate_publickey(user, key);
        runtime()
            .block_on(async { tokio::time::timeout(TIMEOUT, auth).await })
            .expect("the server answers authentication in time")
            .expect("authentication exchange")
    }

    pub fn auth_none(&mut self, user: &str) -> AuthResult {
        let auth = self.handle.authenticate_none(user);
        runtime()
            .block_on(async { tokio::time::timeout(TIMEOUT, auth).await })
            .expect("the server answers authentication in time")
            .expect("authentication exchange")
    }

    pub fn auth_password(&mut self, user: &str, password: &str) -> AuthResult {
        let auth = self.handle.authenticate_password(user, password);
        runtime()
            .block_on(async { tokio::time::timeout(TIMEOUT, auth).await })
            .expect("the server answers authentication in time")
            .expect("authentication exchange")
    }

    /// Keyboard-interactive authentication, answering every prompt with `answer`;
    /// returns the prompts the server showed and whether it let us in.
    pub fn auth_keyboard_interactive(&mut self, user: &str, answer: &str) -> (Vec<String>, bool) {
        let handle = &mut self.handle;
        runtime().block_on(async {
            let mut shown = Vec::new();
            let mut reply = handle.authenticate_keyboard_interactive_start(user, None).await;
            for _ in 0..5 {
                match reply.expect("keyboard-interactive exchange") {
                    KeyboardInteractiveAuthResponse::Success => return (shown, true),
                    KeyboardInteractiveAuthResponse::Failure { .. } => return (shown, false),
                    KeyboardInteractiveAuthResponse::InfoRequest { prompts, .. } => {
                        shown.extend(prompts.iter().map(|p| p.prompt.clone()));
                        let answers = prompts.iter().map(|_| answer.to_string()).collect();
                        reply = handle.authenticate_keyboard_interactive_respond(answers).await;
                    }
                }
            }
            panic!("the server kept asking: {shown:?}");
        })
    }

    /// Opens a session channel and asks for a `width`×`height` pty (none when `pty` is
    /// `None`) and a shell.
    /// Asks to run `command` (as `ssh host command` does) and returns all it printed.
    pub fn exec(self, command: &str) -> String {
        runtime()
            .block_on(async {
                let mut channel = self.handle.channel_open_session().await?;
                channel.exec(true, command).await?;
                let mut out = Vec::new();
                let deadline = tokio::time::Instant::now() + TIMEOUT;
                while let Ok(Some(msg)) = tokio::time::timeout_at(deadline, channel.wait()).await {
                    match msg {
                        ChannelMsg::Data { data } | ChannelMsg::ExtendedData { data, .. } => {
                            out.extend_from_slice(&data)
                        }
                        ChannelMsg::Close => break,
                        _ => {}
                    }
                }
                Ok::<_, russh::Error>(String::from_utf8_lossy(&out).into_owned())
            })
            .expect("open a channel for the command")
    }

    pub fn shell(self, pty: Option<(u16, u16)>) -> Session {
        let Connection { handle, socket, host_key } = self;
        let (cols, rows) = pty.unwrap_or((80, 24));
        let parser = vt100::Parser::new(nonzero(rows), nonzero(cols), 0);
        let shared = Arc::new(Mutex::new(Output { parser, raw: Vec::new(), exit_status: None, closed: false }));
        let channel = runtime()
            .block_on(async {
                let channel = handle.channel_open_session().await?;
                if let Some((cols, rows)) = pty {
                    channel.request_pty(true, "xterm-256color", cols.into(), rows.into(), 0, 0, &[]).await?;
                }
                channel.request_shell(true).await?;
                Ok::<_, russh::Error>(channel)
            })
            .expect("open a session channel");
        let (mut read, write) = channel.split();
        let sink = shared.clone();
        runtime().spawn(async move {
            while let Some(msg) = read.wait().await {
                let mut out = sink.lock().unwrap();
                match msg {
                    ChannelMsg::Data { data } | ChannelMsg::ExtendedData { data, .. } => {
                        out.parser.process(&data);
                        out.raw.extend_from_slice(&data);
                    }
                    ChannelMsg::ExitStatus { exit_status } => out.exit_status = Some(exit_status),
                    ChannelMsg::Close => break,
                    _ => {}
                }
            }
            sink.lock().unwrap().closed = true;
        });
        let _ = host_key;
        Session { handle, write, socket, output: shared }
    }
}

struct Output {
    parser: vt100::Parser,
    /// Every byte received, for sessions refused before any screen is drawn.
    raw: Vec<u8>,
    exit_status: Option<u32>,
    closed: bool,
}

fn nonzero(n: u16) -> NonZeroU16 {
    NonZeroU16::new(n.max(1)).expect("not zero")
}

/// One terminal session on the server.
pub struct Session {
    handle: Handle<Client>,
    write: russh::ChannelWriteHalf<Msg>,
    socket: std::net::TcpStream,
    output: Arc<Mutex<Output>>,
}

impl Session {
    /// Connects as `user` with `key` and opens a `width`×`height` terminal session;
    /// panics when authentication fails.
    pub fn open(addr: SocketAddr, user: &str, key: &PrivateKey, width: u16, height: u16) -> Session {
        let mut connection = Connection::open(addr);
        let auth = connection.auth_key(user, key);
        assert!(auth.success(), "{user} should be let in with their key, got {auth:?}");
        connection.shell(Some((width, height)))
    }

    /// The screen as text, one line a row (trailing blanks kept off).
    pub fn screen(&self) -> String {
        let out = self.output.lock().unwrap();
        let (_, cols) = out.parser.screen().size();
        let rows: Vec<String> = out.parser.screen().rows(0, cols.get()).map(|r| r.trim_end().to_string()).collect();
        rows.join("\n")
    }

    /// The screen's rows.
    pub fn rows(&self) -> Vec<String> {
        self.screen().lines().map(str::to_string).collect()
    }

    /// Everything received so far, as text.
    pub fn raw(&self) -> String {
        String::from_utf8_lossy(&self.output.lock().unwrap().raw).into_owned()
    }

    /// Sends bytes as one SSH data message, as a terminal sends a key.
    pub fn send(&self, bytes: impl AsRef<[u8]>) {
        let data = bytes.as_ref().to_vec();
        runtime().block_on(self.write.data_bytes(data)).expect("send to the server");
    }

    /// Sends each key as its own message, in order.
    pub fn keys(&self, keys: &[&str]) {
        for k in keys {
            self.send(k);
        }
    }

    /// Tells the server the window is now `width`×`height`; the local screen takes the
    /// new size first, as a terminal emulator's does.
    pub fn resize(&self, width: u16, height: u16) {
        self.output.lock().unwrap().parser.screen_mut().set_size(nonzero(height), nonzero(width));
        runtime().block_on(self.write.window_change(width.into(), height.into(), 0, 0)).expect("window change");
    }

    /// Polls the screen until `ready` accepts it; panics with the last screen after
    /// `timeout`.
    pub fn wait_until_timeout(&self, what: &str, timeout: Duration, ready: impl Fn(&str) -> bool) -> String {
        let start = Instant::now();
        loop {
            let screen = self.screen();
            if ready(&screen) {
                return screen;
            }
            if start.elapsed() > timeout {
                let closed = if self.is_closed() { " (the server closed the session)" } else { "" };
                panic!("timed out after {timeout:?} waiting for {what}{closed}\n--- last screen ---\n{screen}");
            }
            std::thread::sleep(POLL);
        }
    }

    pub fn wait_until(&self, what: &str, ready: impl Fn(&str) -> bool) -> String {
        self.wait_until_timeout(what, TIMEOUT, ready)
    }

    /// Waits until the screen shows `text`; returns that screen.
    pub fn wait_for(&self, text: &str) -> String {
        self.wait_until(&format!("{text:?} on screen"), |s| s.contains(text))
    }

    /// Waits until the screen shows every one of `texts` at once.
    pub fn wait_for_all(&self, texts: &[&str]) -> String {
        self.wait_until(&format!("all of {texts:?} on screen"), |s| texts.iter().all(|t| s.contains(t)))
    }

    /// Whether `text` shows within `timeout` (for retrying, not for asserting).
    pub fn try_wait_for(&self, text: &str, timeout: Duration) -> bool {
        let start = Instant::now();
        while start.elapsed() < timeout {
            if self.screen().contains(text) {
                return true;
            }
            std::thread::sleep(POLL);
        }
        self.screen().contains(text)
    }

    pub fn wait_gone(&self, text: &str) -> String {
        self.wait_until(&format!("{text:?} to leave the screen"), |s| !s.contains(text))
    }

    pub fn is_closed(&self) -> bool {
        self.output.lock().unwrap().closed
    }

    /// Waits for the server to close the channel; returns the exit status it sent.
    pub fn wait_closed(&self) -> Option<u32> {
        let start = Instant::now();
        while !self.is_closed() {
            assert!(start.elapsed() < TIMEOUT, "the server did not close the session\n{}", self.raw());
            std::thread::sleep(POLL);
        }
        self.output.lock().unwrap().exit_status
    }

    /// Cuts the TCP connection without any goodbye, as a closed laptop lid or a lost
    /// network would.
    pub fn drop_connection(self) {
        let _ = self.socket.shutdown(Shutdown::Both);
        drop(self);
    }
}

impl Drop for Session {
    fn drop(&mut self) {
        let _ = self.socket.shutdown(Shutdown::Both);
        let _ = &self.handle;
    }
}
