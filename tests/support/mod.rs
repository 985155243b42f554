//! Helpers shared by the integration tests: an isolated environment for running the
//! built `oppi` binary, and a tmux session for driving it through a real terminal.
//!
//! Each test file uses only some of these, so unused-code warnings are silenced.
#![allow(dead_code)]

pub mod server;

use std::ffi::OsStr;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};

/// The binary under test, built by cargo for this test run.
pub const OPPI: &str = env!("CARGO_BIN_EXE_oppi");

/// How long `wait_for` and friends wait before failing the test.
pub const DEFAULT_TIMEOUT: Duration = Duration::from_secs(10);

/// Printed (with the exit status and a closing `]`) when a [`Tmux`] command ends.
pub const EXIT_MARKER: &str = "[e2e: command exited with status ";

/// How often the screen is polled while waiting.
const POLL: Duration = Duration::from_millis(20);

/// A throwaway HOME with XDG config and data directories inside it, so a developer's
/// real config file and default store are never read or written by a test.
pub struct Sandbox {
    root: tempfile::TempDir,
}

impl Sandbox {
    pub fn new() -> Sandbox {
        let root = tempfile::Builder::new().prefix("oppi-test-").tempdir().expect("create a temp dir");
        for sub in ["home", "config", "data", "state", "cache"] {
            std::fs::create_dir_all(root.path().join(sub)).expect("create sandbox dirs");
        }
        Sandbox { root }
    }

    pub fn root(&self) -> &Path {
        self.root.path()
    }

    pub fn home(&self) -> PathBuf {
        self.root().join("home")
    }

    pub fn config_home(&self) -> PathBuf {
        self.root().join("config")
    }

    pub fn data_home(&self) -> PathBuf {
        self.root().join("data")
    }

    /// A path inside the sandbox (not created).
    pub fn path(&self, name: &str) -> PathBuf {
        self.root().join(name)
    }

    /// The environment every oppi process in a test runs with.
    pub fn env(&self) -> Vec<(&'static str, PathBuf)> {
        vec![
            ("HOME", self.home()),
            ("XDG_CONFIG_HOME", self.config_home()),
            ("XDG_DATA_HOME", self.data_home()),
            ("XDG_STATE_HOME", self.root().join("state")),
            ("XDG_CACHE_HOME", self.root().join("cache")),
            ("NO_COLOR", PathBuf::from("1")),
        ]
    }

    /// Applies the sandbox environment to any command (oppi itself, or tmux).
    pub fn apply(&self, cmd: &mut Command) {
        for (k, v) in self.env() {
            cmd.env(k, v);
        }
        cmd.env_remove("OPPI_STORE");
    }

    /// `oppi ARGS…` with the sandbox environment; stdin is empty (not a terminal).
    pub fn oppi<I, S>(&self, args: I) -> Command
    where
        I: IntoIterator<Item = S>,
        S: AsRef<OsStr>,
    {
        let mut cmd = Command::new(OPPI);
        self.apply(&mut cmd);
        cmd.args(args).stdin(std::process::Stdio::null());
        cmd
    }
}

impl Default for Sandbox {
    fn default() -> Self {
        Sandbox::new()
    }
}

/// Text of a process's output, for assertion messages.
pub fn describe(out: &Output) -> String {
    format!(
        "exit: {:?}\n--- stdout ---\n{}\n--- stderr ---\n{}",
        out.status.code(),
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    )
}

/// True when `name` is an executable file somewhere on PATH.
pub fn tool_available(name: &str) -> bool {
    let Some(path) = std::env::var_os("PATH") else { return false };
    std::env::split_paths(&path).any(|dir| {
        let candidates = [dir.join(name), dir.join(format!("{name}.exe"))];
        candidates.iter().any(|p| is_executable(p))
    })
}

#[cfg(unix)]
fn is_executable(p: &Path) -> bool {
    use std::os::unix::fs::PermissionsExt;
    p.metadata().is_ok_and(|m| m.is_file() && m.permissions().mode() & 0o111 != 0)
}

#[cfg(not(unix))]
fn is_executable(p: &Path) -> bool {
    p.is_file()
}

/// Returns true when the tool is installed. Otherwise the test should return early:
/// this prints why it is skipped, or panics when `OPPI_E2E=require` (for CI, where a
/// silently skipped end-to-end suite would be a false green).
pub fn require_tool_or_skip(name: &str) -> bool {
    if tool_available(name) {
        return true;
    }
    if std::env::var("OPPI_E2E").as_deref() == Ok("require") {
        panic!("{name} is not installed, and OPPI_E2E=require says end-to-end tests must run: install {name}");
    }
    eprintln!("skipping: {name} not installed (set OPPI_E2E=require to make this a failure)");
    false
}

/// Quotes a word for a POSIX shell command line.
pub fn shell_quote(word: &str) -> String {
    if !word.is_empty() && word.chars().all(|c| c.is_ascii_alphanumeric() || "-_./=:,+@%".contains(c)) {
        return word.to_string();
    }
    format!("'{}'", word.replace('\'', r"'\''"))
}

/// The shell command line that runs the oppi binary with `args`.
pub fn oppi_command_line(args: &[&str]) -> String {
    std::iter::once(OPPI).chain(args.iter().copied()).map(shell_quote).collect::<Vec<_>>().join(" ")
}

fn unique_name(prefix: &str) -> String {
    static COUNTER: AtomicUsize = AtomicUsize::new(0);
    let nanos = SystemTime::now().duration_since(UNIX_EPOCH).map_or(0, |d| d.subsec_nanos());
    format!("{prefix}-{}-{}-{nanos:x}", std::process::id(), COUNTER.fetch_add(1, Ordering::Relaxed))
}

/// One tmux server (on its own socket, so tests never touch the developer's tmux or
/// each other) running one window with `command` in it. The server is killed on drop.
///
/// The pane stays after its command exits (`remain-on-exit`), so a test can read the
/// final screen and the exit status, and a crash leaves its panic message visible.
pub struct Tmux {
    socket: String,
    /// Where the socket lives; tmux leaves the file behind when its server is killed.
    socket_path: PathBuf,
    target: String,
    sandbox: Sandbox,
}

impl Tmux {
    /// Starts `command` (a `sh` command line, see [`oppi_command_line`]) in a detached
    /// `width`×`height` window, with NO_COLOR=1 and a throwaway HOME and XDG dirs.
    ///
    /// When the command ends, the shell prints [`EXIT_MARKER`] and its exit status;
    /// that is how [`Tmux::wait_for_exit`] learns it. (tmux's own `#{pane_dead_status}`
    /// is unreliable: tmux 3.3 sometimes never records the status of a pane process
    /// that closes its terminal just before it exits.)
    pub fn new(width: u16, height: u16, command: &str) -> Tmux {
        let command = format!("{command}\nprintf '\\n{EXIT_MARKER}%s]\\n' \"$?\"");
        let sandbox = Sandbox::new();
        let conf = sandbox.path("tmux.conf");
        std::fs::write(
            &conf,
            "set -g status off\n\
             set -g remain-on-exit on\n\
             set -g default-shell /bin/sh\n\
             set -g history-limit 2000\n",
        )
        .expect("write tmux.conf");
        let mut tmux =
            Tmux { socket: unique_name("oppi-e2e"), socket_path: PathBuf::new(), target: "oppi".into(), sandbox };
        let mut cmd = Command::new("tmux");
        tmux.sandbox.apply(&mut cmd);
        cmd.env_remove("TMUX").env("SHELL", "/bin/sh");
        cmd.arg("-u").arg("-f").arg(&conf).args(["-L", &tmux.socket]).args([
            "new-session",
            "-d",
            "-s",
            &tmux.target,
            "-x",
            &width.to_string(),
            "-y",
            &height.to_string(),
            &command,
        ]);
        let out = cmd.output().expect("run tmux new-session");
        assert!(out.status.success(), "tmux new-session failed\n{}", describe(&out));
        let socket_path = tmux.tmux_ok(&["display-message", "-p", "-t", &tmux.target, "#{socket_path}"]);
        tmux.socket_path = PathBuf::from(socket_path.trim());
        tmux
    }

    /// The sandbox the session's processes run in (its HOME and XDG dirs).
    pub fn sandbox(&self) -> &Sandbox {
        &self.sandbox
    }

    fn tmux(&self, args: &[&str]) -> Output {
        Command::new("tmux").env_remove("TMUX").args(["-u", "-L", &self.socket]).args(args).output().expect("run tmux")
    }

    fn tmux_ok(&self, args: &[&str]) -> String {
        let out = self.tmux(args);
        assert!(out.status.success(), "tmux {args:?} failed\n{}", describe(&out));
        String::from_utf8_lossy(&out.stdout).into_owned()
    }

    /// Sends keys in tmux's notation: each argument is a key name (`Enter`, `Tab`,
    /// `Down`, `C-u`, `Escape`) or, if it is not one, the characters it contains.
    ///
    /// Send `Escape` on its own and wait for the screen to react before the next key:
    /// ESC directly followed by another key is read as Alt+key.
    pub fn send_keys(&self, keys: &[&str]) {
        let mut args = vec!["send-keys", "-t", &self.target];
        args.extend_from_slice(keys);
        self.tmux_ok(&args);
    }

    /// Types `text` literally (no key-name interpretation).
    pub fn type_text(&self, text: &str) {
        self.tmux_ok(&["send-keys", "-t", &self.target, "-l", text]);
    }

    /// The visible screen, one line per row.
    pub fn capture(&self) -> String {
        self.tmux_ok(&["capture-pane", "-p", "-t", &self.target])
    }

    /// The visible screen and the scrollback above it (where text printed after the
    /// app left the alternate screen may have scrolled to).
    pub fn capture_with_history(&self) -> String {
        self.tmux_ok(&["capture-pane", "-p", "-J", "-S", "-", "-t", &self.target])
    }

    /// Polls the screen every 20 ms until `ready` accepts it; panics with the last
    /// screen after `timeout`.
    pub fn wait_until_timeout(&self, what: &str, timeout: Duration, ready: impl Fn(&str) -> bool) -> String {
        let start = Instant::now();
        loop {
            let screen = self.capture();
            if ready(&screen) {
                return screen;
            }
            if start.elapsed() > timeout {
                // Once the program has exited, what it printed last (a panic, an error)
                // may have scrolled above the visible screen.
                let after_exit = if self.is_running() {
                    String::new()
                } else {
                    format!("\n--- with scrollback ---\n{}", self.capture_with_history())
                };
                panic!(
                    "timed out after {timeout:?} waiting for {what}\n{}\n--- last screen ---\n{screen}{after_exit}",
                    self.pane_state()
                );
            }
            std::thread::sleep(POLL);
        }
    }

    pub fn wait_until(&self, what: &str, ready: impl Fn(&str) -> bool) -> String {
        self.wait_until_timeout(what, DEFAULT_TIMEOUT, ready)
    }

    /// Waits until the screen contains `text`; returns that screen.
    pub fn wait_for(&self, text: &str) -> String {
        self.wait_for_timeout(text, DEFAULT_TIMEOUT)
    }

    pub fn wait_for_timeout(&self, text: &str, timeout: Duration) -> String {
        self.wait_until_timeout(&format!("{text:?} on screen"), timeout, |s| s.contains(text))
    }

    /// Waits until the screen contains every one of `texts` at once. Use this rather
    /// than waiting for one text and asserting on the rest: a capture can catch a frame
    /// half drawn, so the first text may show before the others have been written.
    pub fn wait_for_all(&self, texts: &[&str]) -> String {
        self.wait_until(&format!("all of {texts:?} on screen"), |s| texts.iter().all(|t| s.contains(t)))
    }

    /// Waits until `text` is no longer on the screen.
    pub fn wait_gone(&self, text: &str) -> String {
        self.wait_until(&format!("{text:?} to leave the screen"), |s| !s.contains(text))
    }

    fn pane_state(&self) -> String {
        let (w, h) = self.size();
        match self.exit_status() {
            Some(status) => format!("window {w}x{h}; the command exited with status {status}"),
            None => format!("window {w}x{h}; the command is running"),
        }
    }

    /// Sends SIGKILL to the programs the window's shell started (the shell itself stays
    /// to report the exit status). Returns false when there was nothing to kill.
    pub fn kill_program(&self) -> bool {
        let shell = self.tmux_ok(&["display-message", "-p", "-t", &self.target, "#{pane_pid}"]);
        Command::new("pkill").args(["-KILL", "-P", shell.trim()]).status().is_ok_and(|s| s.success())
    }

    /// The command's exit status, once it has ended.
    pub fn exit_status(&self) -> Option<i32> {
        let all = self.capture_with_history();
        let rest = &all[all.rfind(EXIT_MARKER)? + EXIT_MARKER.len()..];
        rest[..rest.find(']')?].trim().parse().ok()
    }

    /// True while the window's command is still running.
    pub fn is_running(&self) -> bool {
        self.exit_status().is_none()
    }

    /// Waits for the window's command to exit and returns its exit status.
    pub fn wait_for_exit(&self) -> i32 {
        let start = Instant::now();
        loop {
            if let Some(status) = self.exit_status() {
                return status;
            }
            if start.elapsed() > DEFAULT_TIMEOUT {
                panic!("timed out waiting for the program to exit\n--- last screen ---\n{}", self.capture());
            }
            std::thread::sleep(POLL);
        }
    }

    /// Resizes the window; false when tmux refuses the size.
    pub fn resize(&self, width: u16, height: u16) -> bool {
        self.tmux(&["resize-window", "-t", &self.target, "-x", &width.to_string(), "-y", &height.to_string()])
            .status
            .success()
    }

    /// The window's size as tmux sees it.
    pub fn size(&self) -> (u16, u16) {
        let s = self.tmux_ok(&["display-message", "-p", "-t", &self.target, "#{window_width} #{window_height}"]);
        let mut it = s.split_whitespace().map(|n| n.parse().expect("tmux prints numbers"));
        (it.next().unwrap(), it.next().unwrap())
    }
}

impl Drop for Tmux {
    fn drop(&mut self) {
        let _ = self.tmux(&["kill-server"]);
        if !self.socket_path.as_os_str().is_empty() {
            let _ = std::fs::remove_file(&self.socket_path);
        }
    }
}

/// Asserts that oppi ran and succeeded without a panic; returns its stdout.
pub fn expect_ok(out: Output, args: &[&str]) -> String {
    assert!(out.status.success(), "oppi {args:?} should succeed\n{}", describe(&out));
    assert_no_panic(&out);
    String::from_utf8(out.stdout).expect("stdout is UTF-8")
}

/// Asserts a clean failure ("oppi: …" on stderr, no panic); returns stderr.
pub fn expect_failure(out: Output, args: &[&str]) -> String {
    assert!(!out.status.success(), "oppi {args:?} should fail\n{}", describe(&out));
    assert_no_panic(&out);
    let stderr = String::from_utf8(out.stderr).expect("stderr is UTF-8");
    assert!(stderr.starts_with("oppi: "), "errors start with 'oppi: ', got:\n{stderr}");
    stderr
}

pub fn assert_no_panic(out: &Output) {
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(!stderr.contains("panicked"), "oppi panicked\n{}", describe(out));
    assert_ne!(out.status.code(), Some(101), "exit code 101 is a Rust panic\n{}", describe(out));
}

/// A sandbox with a store in it, for running commands against that store.
pub struct StoreEnv {
    pub sandbox: Sandbox,
    pub store: PathBuf,
}

impl StoreEnv {
    pub fn new() -> StoreEnv {
        let sandbox = Sandbox::new();
        let store = sandbox.path("store");
        StoreEnv { sandbox, store }
    }

    /// A store with the demo evaluation written into it.
    pub fn demo() -> StoreEnv {
        let env = StoreEnv::new();
        env.ok(&["demo", "init"]);
        env
    }

    /// Runs `oppi --store STORE ARGS…`.
    pub fn run_in(&self, store: &Path, args: &[&str]) -> Output {
        self.sandbox.oppi([OsStr::new("--store"), store.as_os_str()]).args(args).output().expect("run oppi")
    }

    pub fn run(&self, args: &[&str]) -> Output {
        self.run_in(&self.store, args)
    }

    /// Runs against the store, asserts success, returns stdout.
    pub fn ok(&self, args: &[&str]) -> String {
        expect_ok(self.run(args), args)
    }

    /// Runs against the store, asserts failure without a panic, returns stderr.
    pub fn fail(&self, args: &[&str]) -> String {
        expect_failure(self.run(args), args)
    }

    pub fn json(&self, args: &[&str]) -> serde_json::Value {
        let out = self.ok(args);
        serde_json::from_str(&out).unwrap_or_else(|e| panic!("oppi {args:?} printed invalid JSON ({e}):\n{out}"))
    }
}
