//! Rolling automatic backups: `backups/oppi-YYYYMMDD-HHMMSS.json` inside the store
//! directory, the newest `keep` of them kept. They are what a damaged store is restored
//! from, so the message for a store sled cannot open names the newest one and the
//! exact commands to restore it.

use std::io::Write as _;
use std::path::{Path, PathBuf};

use chrono::NaiveDateTime;

use super::{Result, Store, StoreError};

/// The folder, inside the store directory, that holds the automatic backups.
pub const BACKUP_DIR: &str = "backups";

impl Store {
    /// Writes the whole store to `backups/oppi-<now>.json` (through a temporary file,
    /// synced and renamed, so a backup is never half-written) and deletes all but the
    /// newest `keep`. Nothing is written when `keep` is 0 or the store is empty.
    pub fn write_automatic_backup(&self, keep: usize, now: NaiveDateTime) -> Result<Option<PathBuf>> {
        if keep == 0 || self.is_read_only() || self.is_empty()? {
            return Ok(None);
        }
        let text = self.backup_json()?;
        let dir = self.dir.join(BACKUP_DIR);
        let fail = |what: &str, e: std::io::Error| StoreError::Backup(format!("{what} {}: {e}", dir.display()));
        std::fs::create_dir_all(&dir).map_err(|e| fail("cannot create", e))?;
        let path = dir.join(format!("oppi-{}.json", now.format("%Y%m%d-%H%M%S")));
        let mut tmp = tempfile::NamedTempFile::new_in(&dir).map_err(|e| fail("cannot write in", e))?;
        tmp.write_all(text.as_bytes()).map_err(|e| fail("cannot write in", e))?;
        tmp.as_file().sync_all().map_err(|e| fail("cannot write in", e))?;
        tmp.persist(&path).map_err(|e| fail("cannot write in", e.error))?;
        sync_dir(&dir);
        for old in automatic_backups(&self.dir).into_iter().skip(keep) {
            std::fs::remove_file(&old).map_err(|e| fail(&format!("cannot remove {} from", old.display()), e))?;
        }
        Ok(Some(path))
    }
}

/// The automatic backups of the store in `store_dir`, newest first.
pub fn automatic_backups(store_dir: &Path) -> Vec<PathBuf> {
    let Ok(entries) = std::fs::read_dir(store_dir.join(BACKUP_DIR)) else {
        return Vec::new();
    };
    let mut found: Vec<PathBuf> = entries
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| {
            p.file_name().and_then(|n| n.to_str()).is_some_and(|n| n.starts_with("oppi-") && n.ends_with(".json"))
        })
        .collect();
    // The names sort by time.
    found.sort();
    found.reverse();
    found
}

/// Makes a rename durable on filesystems that need the directory synced too.
fn sync_dir(dir: &Path) {
    #[cfg(unix)]
    if let Ok(d) = std::fs::File::open(dir) {
        let _ = d.sync_all();
    }
    #[cfg(not(unix))]
    let _ = dir;
}

/// A path as it can be pasted into a POSIX shell.
pub fn shell_quote(path: &Path) -> String {
    let s = path.display().to_string();
    if !s.is_empty() && s.chars().all(|c| c.is_ascii_alphanumeric() || "/._-+=:,@%".contains(c)) {
        s
    } else {
        format!("'{}'", s.replace('\'', r"'\''"))
    }
}

/// What to tell the user when the database in `store_dir` cannot be opened.
pub fn damaged_advice(store_dir: &Path) -> String {
    let db = store_dir.join("db");
    let store = shell_quote(store_dir);
    let aside = shell_quote(&store_dir.join("db.damaged"));
    match automatic_backups(store_dir).first() {
        Some(newest) => format!(
            "the newest automatic backup is {}; to restore it, move the damaged database aside and restore:\n  \
             mv {} {aside}\n  oppi --store {store} restore {}",
            newest.display(),
            shell_quote(&db),
            shell_quote(newest),
        ),
        None => format!(
            "there is no automatic backup in {}; with a backup made by `oppi backup FILE`:\n  \
             mv {} {aside}\n  oppi --store {store} restore FILE",
            store_dir.join(BACKUP_DIR).display(),
            shell_quote(&db),
        ),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::Changeset;
    use chrono::NaiveDate;

    fn at(h: u32, m: u32, s: u32) -> NaiveDateTime {
        NaiveDate::from_ymd_opt(2026, 11, 25).unwrap().and_hms_opt(h, m, s).unwrap()
    }

    fn demo_store(dir: &Path) -> Store {
        let store = Store::open(dir).unwrap();
        crate::demo::write(&store, "t").unwrap();
        store
    }

    #[test]
    fn keeps_the_newest_and_each_restores() {
        let dir = tempfile::tempdir().unwrap();
        let store = demo_store(dir.path());
        for s in 0..7 {
            let path = store.write_automatic_backup(3, at(10, 0, s)).unwrap().unwrap();
            assert!(path.ends_with(format!("backups/oppi-20261125-1000{s:02}.json")), "{}", path.display());
        }
        let kept = automatic_backups(dir.path());
        let names: Vec<_> = kept.iter().map(|p| p.file_name().unwrap().to_string_lossy().into_owned()).collect();
        assert_eq!(names, ["oppi-20261125-100006.json", "oppi-20261125-100005.json", "oppi-20261125-100004.json"]);
        let other = tempfile::tempdir().unwrap();
        let copy = Store::open(other.path()).unwrap();
        copy.restore_json(&std::fs::read_to_string(&kept[0]).unwrap(), false).unwrap();
        assert_eq!(copy.backup_json().unwrap(), store.backup_json().unwrap());
    }

    #[test]
    fn nothing_for_an_empty_store_or_keep_zero() {
        let dir = tempfile::tempdir().unwrap();
        let store = Store::open(dir.path()).unwrap();
        assert_eq!(store.write_automatic_backup(5, at(9, 0, 0)).unwrap(), None);
        store.commit(Changeset { pilots: crate::demo::pilots(), ..Default::default() }).unwrap();
        assert_eq!(store.write_automatic_backup(0, at(9, 0, 0)).unwrap(), None);
        assert!(automatic_backups(dir.path()).is_empty());
    }

    #[test]
    fn quoting() {
        assert_eq!(shell_quote(Path::new("/tmp/eval-2025/db")), "/tmp/eval-2025/db");
        assert_eq!(shell_quote(Path::new("/tmp/my eval/db")), "'/tmp/my eval/db'");
        assert_eq!(shell_quote(Path::new("/tmp/it's")), r"'/tmp/it'\''s'");
    }
}

/// Damage done to a closed store's files, and what oppi must make of it.
#[cfg(test)]
mod damage {
    use super::*;

    fn closed_demo_store() -> (tempfile::TempDir, String, PathBuf) {
        let dir = tempfile::tempdir().unwrap();
        let store = Store::open(dir.path()).unwrap();
        crate::demo::write(&store, "t").unwrap();
        let at = chrono::NaiveDate::from_ymd_opt(2026, 11, 25).unwrap().and_hms_opt(9, 0, 0).unwrap();
        let backup = store.write_automatic_backup(5, at).unwrap().unwrap();
        let text = store.backup_json().unwrap();
        (dir, text, backup)
    }

    /// Runs the commands the message prints (`mv …`, then the restore), as a user would.
    fn follow_advice(dir: &Path, message: &str) -> Store {
        let mv = message.lines().find(|l| l.trim_start().starts_with("mv ")).expect("a mv line");
        let restore = message.lines().find(|l| l.contains("oppi --store")).expect("a restore line");
        let words: Vec<&str> = mv.split_whitespace().collect();
        std::fs::rename(words[1], words[2]).unwrap();
        let file = restore.split_whitespace().last().unwrap();
        let store = Store::open(dir).unwrap();
        store.restore_json(&std::fs::read_to_string(file).unwrap(), false).unwrap();
        store
    }

    const MIDDLE: &str = "garbage in the middle of the log";

    /// A known limit, checked so it cannot grow unnoticed: garbage in the middle of the
    /// log can make sled drop the whole records stored there (seen: a few survey
    /// responses, in about one run in fifteen, depending on where the records fall) and
    /// open without an error; the counters in the mark do not go down, so this is not
    /// caught at open. What must never happen is a record read back changed: every record
    /// still there is exactly as written, and what is gone is only survey responses.
    fn whole_records_or_none(after: &str, before: &str) {
        let after: serde_json::Value = serde_json::from_str(after).unwrap();
        let before: serde_json::Value = serde_json::from_str(before).unwrap();
        let (a, b) = (after["records"].as_object().unwrap(), before["records"].as_object().unwrap());
        for (key, value) in a {
            assert_eq!(Some(value), b.get(key), "{MIDDLE}: {key} read back changed or new");
        }
        let missing: Vec<&String> = b.keys().filter(|k| !a.contains_key(*k)).collect();
        assert!(missing.iter().all(|k| k.starts_with("response/")), "{MIDDLE}: lost {missing:?}");
    }

    #[test]
    fn every_kind_of_damage_is_refused_or_harmless_and_the_advice_restores() {
        type Damage = fn(&Path);
        let damages: [(&str, Damage); 5] = [
            ("conf overwritten", |db| std::fs::write(db.join("conf"), b"garbage").unwrap()),
            ("log cut in half", |db| {
                let f = std::fs::OpenOptions::new().write(true).open(db.join("db")).unwrap();
                let len = f.metadata().unwrap().len();
                f.set_len(len / 2).unwrap();
            }),
            (MIDDLE, |db| {
                let mut bytes = std::fs::read(db.join("db")).unwrap();
                let n = bytes.len() / 3;
                bytes[n..n + 4096].fill(0xA5);
                std::fs::write(db.join("db"), bytes).unwrap();
            }),
            ("log header overwritten", |db| {
                let mut bytes = std::fs::read(db.join("db")).unwrap();
                bytes[..64].fill(0xFF);
                std::fs::write(db.join("db"), bytes).unwrap();
            }),
            ("log removed", |db| std::fs::remove_file(db.join("db")).unwrap()),
        ];
        for (what, damage) in damages {
            let (dir, before, backup) = closed_demo_store();
            damage(&dir.path().join("db"));
            match Store::open(dir.path()) {
                Ok(store) if what == MIDDLE => whole_records_or_none(&store.backup_json().unwrap(), &before),
                Ok(store) => assert_eq!(store.backup_json().unwrap(), before, "{what}: opened, but not intact"),
                Err(e) => {
                    let message = e.to_string();
                    assert!(matches!(e, StoreError::Damaged { .. }), "{what}: {message}");
                    assert!(message.contains(&dir.path().display().to_string()), "{what}: {message}");
                    assert!(message.contains(&backup.display().to_string()), "{what}: {message}");
                    let store = follow_advice(dir.path(), &message);
                    assert_eq!(store.backup_json().unwrap(), before, "{what}: restored");
                }
            }
        }
    }

    #[test]
    fn without_a_backup_the_message_says_so() {
        let dir = tempfile::tempdir().unwrap();
        Store::open(dir.path()).and_then(|s| crate::demo::write(&s, "t")).unwrap();
        std::fs::remove_file(dir.path().join("db/db")).unwrap();
        let message = Store::open(dir.path()).err().expect("refused").to_string();
        assert!(message.contains("no automatic backup") && message.contains("restore FILE"), "{message}");
    }
}
