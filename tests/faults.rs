//! A store on a full disk, and one that cannot be written at all: clear messages,
//! nothing acknowledged is lost, the store opens intact afterwards, and a read-only
//! store can still be read.
//!
//! A full disk needs a small file system: the test mounts a tmpfs of a few megabytes,
//! which takes root (or CAP_SYS_ADMIN); without it the test says so and skips. A
//! read-only store is made with `chmod` as a normal user and with a read-only tmpfs as
//! root (where `chmod` restricts nothing).

mod support;

use std::path::{Path, PathBuf};
use std::process::Command;

use support::{StoreEnv, expect_failure, expect_ok};

/// A tmpfs mounted for the test's lifetime.
struct Tmpfs {
    path: PathBuf,
}

impl Tmpfs {
    fn mount(path: PathBuf, size: &str) -> Option<Tmpfs> {
        std::fs::create_dir_all(&path).ok()?;
        let ok = Command::new("mount")
            .args(["-t", "tmpfs", "-o", &format!("size={size}"), "tmpfs"])
            .arg(&path)
            .stderr(std::process::Stdio::null())
            .status()
            .is_ok_and(|s| s.success());
        ok.then_some(Tmpfs { path })
    }

    fn remount_read_only(&self, read_only: bool) {
        let opts = if read_only { "remount,ro" } else { "remount,rw" };
        let status = Command::new("mount").args(["-o", opts]).arg(&self.path).status().expect("run mount");
        assert!(status.success(), "mount -o {opts} failed");
    }
}

impl Drop for Tmpfs {
    fn drop(&mut self) {
        let _ = Command::new("umount").arg("-l").arg(&self.path).status();
    }
}

fn is_root() -> bool {
    // SAFETY: geteuid has no preconditions.
    unsafe { libc::geteuid() == 0 }
}

/// Fills the file system holding `dir` until a write fails for lack of space.
fn fill(dir: &Path) -> PathBuf {
    use std::io::Write;
    let path = dir.join("filler");
    let mut f = std::fs::File::create(&path).unwrap();
    let chunk = vec![0u8; 64 * 1024];
    loop {
        if let Err(e) = f.write_all(&chunk).and_then(|_| f.sync_all()) {
            assert_eq!(e.raw_os_error(), Some(libc::ENOSPC), "filling stopped for another reason: {e}");
            break;
        }
    }
    // Also the last few bytes, so that even a small write finds no room.
    for _ in 0..64 * 1024 {
        if f.write_all(&[0]).and_then(|_| f.sync_all()).is_err() {
            break;
        }
    }
    path
}

#[test]
fn a_full_disk_gives_clear_errors_and_loses_nothing_acknowledged() {
    let env = StoreEnv::new();
    let Some(fs) = Tmpfs::mount(env.sandbox.path("small-disk"), "24m") else {
        eprintln!("skipped: cannot mount a small tmpfs here (needs root or CAP_SYS_ADMIN)");
        return;
    };
    let store = fs.path.join("store");
    let store_s = store.to_str().unwrap();
    expect_ok(env.run_in(&store, &["demo", "init"]), &["demo", "init"]);
    expect_ok(env.run_in(&store, &["pilot", "add", "Before the disk filled"]), &["pilot", "add"]);
    let filler = fill(&fs.path);

    let notes = env.sandbox.path("notes.txt");
    std::fs::write(&notes, "A long paragraph about trust. #trust\n".repeat(2000)).unwrap();
    let writes: [&[&str]; 3] = [
        &["pilot", "add", "While the disk was full"],
        &[
            "interview",
            "add",
            "--pilot",
            "p2",
            "--role",
            "organiser",
            "--round",
            "initial",
            "--notes-file",
            notes.to_str().unwrap(),
        ],
        &["evaluation", "edit", "--set", "title=Renamed while full"],
    ];
    let mut acknowledged = Vec::new();
    for args in writes {
        let out = env.run_in(&store, args);
        support::assert_no_panic(&out);
        if out.status.success() {
            acknowledged.push(args);
        } else {
            let stderr = String::from_utf8_lossy(&out.stderr);
            assert!(stderr.starts_with("oppi: "), "{stderr}");
            assert!(
                stderr.contains(store_s) && stderr.contains("full disk") && stderr.contains("nothing was saved"),
                "the message should say what is wrong and where: {stderr}"
            );
        }
    }
    assert!(acknowledged.len() < 3, "nothing failed: the disk was not full ({acknowledged:?})");

    // Room again: the store opens, what was acknowledged is there, and work goes on.
    std::fs::remove_file(filler).unwrap();
    let pilots = expect_ok(env.run_in(&store, &["pilot", "list", "--json"]), &["pilot", "list"]);
    assert!(pilots.contains("Before the disk filled"), "{pilots}");
    if acknowledged.iter().any(|a| a[1] == "add" && a[0] == "pilot") {
        assert!(pilots.contains("While the disk was full"), "{pilots}");
    }
    expect_ok(env.run_in(&store, &["pilot", "add", "After the disk was freed"]), &["pilot", "add"]);
    let backup = expect_ok(env.run_in(&store, &["backup", "-"]), &["backup", "-"]);
    assert!(backup.contains("After the disk was freed"));
}

/// Makes `store` unwritable; returns how to undo it, or None when it cannot be done here.
fn make_read_only(store: &Path, fs: Option<&Tmpfs>) -> bool {
    if let Some(fs) = fs {
        fs.remount_read_only(true);
        return true;
    }
    if is_root() {
        return false;
    }
    set_writable(store, false);
    true
}

fn set_writable(path: &Path, writable: bool) {
    use std::os::unix::fs::PermissionsExt;
    let meta = std::fs::metadata(path).unwrap();
    if meta.is_dir() && writable {
        std::fs::set_permissions(path, std::fs::Permissions::from_mode(0o755)).unwrap();
    }
    if meta.is_dir() {
        for e in std::fs::read_dir(path).unwrap() {
            set_writable(&e.unwrap().path(), writable);
        }
    }
    let mode = match (meta.is_dir(), writable) {
        (true, true) => 0o755,
        (true, false) => 0o555,
        (false, true) => 0o644,
        (false, false) => 0o444,
    };
    std::fs::set_permissions(path, std::fs::Permissions::from_mode(mode)).unwrap();
}

#[test]
fn a_read_only_store_is_read_and_never_written() {
    let env = StoreEnv::new();
    let fs = if is_root() { Tmpfs::mount(env.sandbox.path("ro-disk"), "64m") } else { None };
    if is_root() && fs.is_none() {
        eprintln!("skipped: running as root (chmod restricts nothing) and cannot mount a tmpfs to remount read-only");
        return;
    }
    let store = fs.as_ref().map_or_else(|| env.store.clone(), |fs| fs.path.join("store"));
    expect_ok(env.run_in(&store, &["demo", "init"]), &["demo", "init"]);
    let before = expect_ok(env.run_in(&store, &["backup", "-"]), &["backup", "-"]);
    assert!(make_read_only(&store, fs.as_ref()));

    // Reading works, with a note saying what is going on.
    let out = env.run_in(&store, &["pilot", "list"]);
    let stderr = String::from_utf8_lossy(&out.stderr).into_owned();
    let list = expect_ok(out, &["pilot", "list"]);
    assert!(list.contains("Omavalmentaja"), "{list}");
    assert!(stderr.contains("read-only") && stderr.contains("nothing can be saved"), "{stderr}");
    // Writing is refused, naming the store.
    let err = expect_failure(env.run_in(&store, &["pilot", "add", "Never stored"]), &["pilot", "add"]);
    assert!(err.contains("nothing was saved") && err.contains(store.to_str().unwrap()), "{err}");

    match &fs {
        Some(fs) => fs.remount_read_only(false),
        None => set_writable(&store, true),
    }
    let after = expect_ok(env.run_in(&store, &["backup", "-"]), &["backup", "-"]);
    assert_eq!(after, before, "the store is exactly as it was");
}

/// The disk fills while the store is open (a session): the save fails with a clear
/// message, and once there is room the store opens with everything acknowledged.
#[test]
fn a_disk_that_fills_during_a_session_loses_nothing_acknowledged() {
    use oppi::domain::{Changeset, Pilot};
    use oppi::store::Store;
    let env = StoreEnv::new();
    let Some(fs) = Tmpfs::mount(env.sandbox.path("session-disk"), "24m") else {
        eprintln!("skipped: cannot mount a small tmpfs here (needs root or CAP_SYS_ADMIN)");
        return;
    };
    let dir = fs.path.join("store");
    let day = chrono::NaiveDate::from_ymd_opt(2020, 1, 1).unwrap();
    let pilot = |store: &Store, name: &str| {
        let p = Pilot::new(store.new_id("p")?, name, "Häme", day);
        store.commit(Changeset { pilots: vec![p], ..Default::default() })
    };
    let store = Store::open(&dir).unwrap();
    oppi::demo::write(&store, "t").unwrap();
    pilot(&store, "Saved before").unwrap();
    let filler = fill(&fs.path);
    let mut saved_while_full = Vec::new();
    let mut refused = 0;
    for n in 0..50 {
        let name = format!("Saved while full {n}");
        match pilot(&store, &name) {
            Ok(_) => saved_while_full.push(name),
            Err(e) => {
                refused += 1;
                let message = e.to_string();
                assert!(message.contains("disk is full"), "{message}");
            }
        }
    }
    assert!(refused > 0, "no save failed: the disk was not full");
    eprintln!("while full: {} saves acknowledged, {refused} refused", saved_while_full.len());
    drop(store);
    std::fs::remove_file(filler).unwrap();
    let store = Store::open(&dir).expect("the store opens once there is room");
    let names: Vec<String> = store.pilots().unwrap().into_iter().map(|p| p.name).collect();
    assert!(names.iter().any(|n| n == "Saved before"));
    for name in &saved_while_full {
        assert!(names.contains(name), "acknowledged {name} is missing");
    }
    pilot(&store, "Saved after").unwrap();
}

/// A database sled reads as older than it was: the command refuses it and prints the
/// commands that restore the newest automatic backup; run as printed, they give the
/// store back.
#[test]
fn a_damaged_store_is_refused_and_the_printed_commands_restore_it() {
    let env = StoreEnv::demo();
    let backups = env.store.join("backups");
    std::fs::create_dir_all(&backups).unwrap();
    let older = backups.join("oppi-20261124-170000.json");
    let newest = backups.join("oppi-20261125-170000.json");
    expect_ok(env.run(&["backup", older.to_str().unwrap()]), &["backup"]);
    expect_ok(env.run(&["pilot", "add", "In the newest backup"]), &["pilot", "add"]);
    expect_ok(env.run(&["backup", newest.to_str().unwrap()]), &["backup"]);
    let before = expect_ok(env.run(&["backup", "-"]), &["backup", "-"]);

    // The log cut in half: sled would open it as an older store.
    let log = env.store.join("db/db");
    let f = std::fs::OpenOptions::new().write(true).open(&log).unwrap();
    f.set_len(f.metadata().unwrap().len() / 2).unwrap();
    drop(f);

    let message = expect_failure(env.run(&["pilot", "list"]), &["pilot", "list"]);
    assert!(message.contains("is damaged") && message.contains(newest.to_str().unwrap()), "{message}");
    let commands: Vec<&str> =
        message.lines().map(str::trim).filter(|l| l.starts_with("mv ") || l.starts_with("oppi ")).collect();
    assert_eq!(commands.len(), 2, "{message}");
    for command in commands {
        let words: Vec<&str> = command.split_whitespace().collect();
        let out = if words[0] == "oppi" {
            env.sandbox.oppi(&words[1..]).output().unwrap()
        } else {
            Command::new(words[0]).args(&words[1..]).output().unwrap()
        };
        assert!(out.status.success(), "{command}: {}", support::describe(&out));
    }
    let after = expect_ok(env.run(&["backup", "-"]), &["backup", "-"]);
    assert_eq!(after, before, "restored from the newest automatic backup");
}
