//! `oppi serve` as a child process for tests: started on a free port (`127.0.0.1:0`),
//! with what it printed on start-up parsed, and stopped with SIGTERM as a service
//! manager would stop it.

use std::io::{BufRead, BufReader, Read};
use std::net::SocketAddr;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, ExitStatus, Stdio};
use std::sync::mpsc;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use super::{OPPI, Sandbox};

/// A running `oppi serve`.
pub struct Server {
    child: Child,
    pub addr: SocketAddr,
    /// `SHA256:…`, as printed on start.
    pub fingerprint: String,
    pub store: PathBuf,
    stdout: Arc<Mutex<String>>,
    stderr: Arc<Mutex<String>>,
}

impl Server {
    /// Serves `store` on a free port of 127.0.0.1, adding `facilitator_keys` (`.pub`
    /// files) first. The server runs in a session of its own, without a controlling
    /// terminal, as under a service manager.
    pub fn start(sandbox: &Sandbox, store: &Path, facilitator_keys: &[&Path]) -> Server {
        let mut cmd = Command::new(OPPI);
        sandbox.apply(&mut cmd);
        cmd.arg("--store").arg(store).args(["serve", "--listen", "127.0.0.1:0"]);
        for key in facilitator_keys {
            cmd.arg("--facilitator-key").arg(key);
        }
        cmd.stdin(Stdio::null()).stdout(Stdio::piped()).stderr(Stdio::piped());
        #[cfg(unix)]
        {
            use std::os::unix::process::CommandExt;
            // SAFETY: setsid is async-signal-safe and touches no memory of this process.
            unsafe {
                cmd.pre_exec(|| {
                    libc::setsid();
                    Ok(())
                });
            }
        }
        let mut child = cmd.spawn().expect("start oppi serve");
        let stdout = Arc::new(Mutex::new(String::new()));
        let stderr = Arc::new(Mutex::new(String::new()));
        let (lines, started) = mpsc::channel();
        let out = BufReader::new(child.stdout.take().expect("piped stdout"));
        let keep = stdout.clone();
        std::thread::spawn(move || {
            for line in out.lines().map_while(Result::ok) {
                keep.lock().unwrap().push_str(&format!("{line}\n"));
                let _ = lines.send(line);
            }
        });
        let mut err = child.stderr.take().expect("piped stderr");
        let keep = stderr.clone();
        std::thread::spawn(move || {
            let mut buf = [0u8; 4096];
            while let Ok(n) = err.read(&mut buf) {
                if n == 0 {
                    break;
                }
                keep.lock().unwrap().push_str(&String::from_utf8_lossy(&buf[..n]));
            }
        });
        let deadline = Instant::now() + Duration::from_secs(20);
        let (mut addr, mut fingerprint) = (None, None);
        while addr.is_none() || fingerprint.is_none() {
            let left = deadline.saturating_duration_since(Instant::now());
            let Ok(line) = started.recv_timeout(left) else {
                let _ = child.kill();
                let _ = child.wait();
                panic!(
                    "oppi serve did not print its address and host key\n--- stdout ---\n{}\n--- stderr ---\n{}",
                    stdout.lock().unwrap(),
                    stderr.lock().unwrap()
                );
            };
            if let Some(a) = line.strip_prefix("oppi serve: listening on ") {
                addr = Some(a.trim().parse().expect("the listening address parses"));
            }
            if let Some(f) = line.strip_prefix("host key fingerprint: ") {
                fingerprint = Some(f.trim().to_string());
            }
        }
        Server {
            child,
            addr: addr.unwrap(),
            fingerprint: fingerprint.unwrap(),
            store: store.to_path_buf(),
            stdout,
            stderr,
        }
    }

    /// The server's process id (for reading its memory use).
    pub fn pid(&self) -> u32 {
        self.child.id()
    }

    pub fn port(&self) -> u16 {
        self.addr.port()
    }

    /// What the server printed so far.
    pub fn output(&self) -> String {
        format!("--- stdout ---\n{}--- stderr ---\n{}", self.stdout.lock().unwrap(), self.stderr.lock().unwrap())
    }

    /// Stops the server with SIGTERM and waits for it; returns its exit status and
    /// output. Panics if it does not stop within ten seconds.
    pub fn stop(mut self) -> (ExitStatus, String) {
        let status = self.terminate();
        // The output threads end when the pipes close with the process.
        let deadline = Instant::now() + Duration::from_secs(2);
        while !self.stdout.lock().unwrap().contains("stopped") && Instant::now() < deadline {
            std::thread::sleep(Duration::from_millis(20));
        }
        (status, self.output())
    }

    fn terminate(&mut self) -> ExitStatus {
        if let Some(status) = self.child.try_wait().expect("poll the server") {
            return status;
        }
        #[cfg(unix)]
        // SAFETY: kill only sends a signal to our own child.
        unsafe {
            libc::kill(self.child.id() as libc::pid_t, libc::SIGTERM);
        }
        #[cfg(not(unix))]
        let _ = self.child.kill();
        let deadline = Instant::now() + Duration::from_secs(10);
        loop {
            if let Some(status) = self.child.try_wait().expect("poll the server") {
                return status;
            }
            if Instant::now() > deadline {
                let _ = self.child.kill();
                let _ = self.child.wait();
                panic!("oppi serve did not stop on SIGTERM within 10 s\n{}", self.output());
            }
            std::thread::sleep(Duration::from_millis(20));
        }
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        if let Ok(None) = self.child.try_wait() {
            let _ = self.child.kill();
            let _ = self.child.wait();
        }
    }
}
