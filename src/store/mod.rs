//! The only code that touches sled.
//!
//! A store is a directory: `db/` holds the sled database, `oppi.lock` keeps a second
//! process out with a clear message. All records live in one sled tree under
//! `kind/id` keys (see [`records`]), so a commit of several records is one atomic
//! transaction, and every commit is flushed before it returns: when the UI says
//! "saved", the bytes are on disk.

mod autobackup;
mod backup;
mod lock;
mod mark;
pub mod records;
mod surveys;
pub mod workshops;

use std::path::{Path, PathBuf};

use sled::transaction::{ConflictableTransactionError, TransactionError};

use crate::domain::codebook::Codebook;
use crate::domain::impact::ImpactMap;
use crate::domain::interview::{Interview, NoteDraft};
use crate::domain::objective::Objective;
use crate::domain::synthesis::Synthesis;
use crate::domain::{ChangeEntry, Changeset, Evaluation, Id, Pilot};
use records::{Kind, decode, encode};

pub use autobackup::{BACKUP_DIR, automatic_backups, damaged_advice};
pub use backup::BACKUP_FORMAT;
pub use surveys::{
    CHUNK as IMPORT_CHUNK, Identity, ResponseImport, StoredResponse, describe_identity, response_identity,
};

#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    #[error(
        "store {} is in use by another oppi process (the app, or `oppi serve`); close that one, join the server with ssh, or use another --store",
        .0.display()
    )]
    InUse(PathBuf),
    #[error("cannot open store {}: {msg}", path.display())]
    Open { path: PathBuf, msg: String },
    /// The directory (or its files) cannot be written: oppi needs to, even to read.
    #[error(
        "store {} is read-only ({msg}); oppi needs to write its lock and database there. \
         Make it writable, or copy it (cp -r {} COPY) and open the copy with --store COPY",
        path.display(), autobackup::shell_quote(path)
    )]
    ReadOnly { path: PathBuf, msg: String },
    /// A write to a store that was opened for reading only.
    #[error("nothing was saved: store {} is open for reading only ({why})", path.display())]
    OpenForReading { path: PathBuf, why: String },
    /// Too little free space to open the database for writing: sled writes when it
    /// opens, and an open that runs out of space can leave the database unreadable.
    #[error(
        "store {} is on a full disk ({} KiB free; oppi needs {} KiB to write safely). \
         Free some space and open it again",
        path.display(), free / 1024, MIN_FREE_BYTES / 1024
    )]
    DiskFull { path: PathBuf, free: u64 },
    /// sled cannot open the database, or what it reads back is not oppi's.
    #[error("store {} cannot be opened: its database is damaged ({msg});\n{}", path.display(), damaged_advice(path))]
    Damaged { path: PathBuf, msg: String },
    #[error("record {key} in the store cannot be read: {msg}")]
    Corrupt { key: String, msg: String },
    #[error("store write failed: {0}")]
    Write(String),
    #[error("backup: {0}")]
    Backup(String),
    #[error("{0}")]
    NotEmpty(String),
    /// A write refused because it would break a rule (a changed survey definition
    /// under an old version number, a respondent stored twice).
    #[error("{0}")]
    Refused(String),
}

impl From<sled::Error> for StoreError {
    fn from(e: sled::Error) -> Self {
        match &e {
            sled::Error::Io(io) if is_out_of_space(io) => {
                StoreError::Write(format!("the disk is full ({e}); free some space and try again"))
            }
            sled::Error::Corruption { .. } => StoreError::Corrupt { key: "(database)".into(), msg: e.to_string() },
            _ => StoreError::Write(e.to_string()),
        }
    }
}

/// Free space below which a store is not opened for writing (see [`StoreError::DiskFull`]):
/// a few of sled's 512 KiB segments.
pub const MIN_FREE_BYTES: u64 = 4 * 1024 * 1024;

/// Bytes an unprivileged process may still write on the file system holding `dir`.
fn free_bytes(dir: &Path) -> Option<u64> {
    #[cfg(unix)]
    {
        use std::os::unix::ffi::OsStrExt;
        let path = std::ffi::CString::new(dir.as_os_str().as_bytes()).ok()?;
        // SAFETY: `path` is a valid C string and `stat` is written by statvfs before use.
        let mut stat: libc::statvfs = unsafe { std::mem::zeroed() };
        if unsafe { libc::statvfs(path.as_ptr(), &mut stat) } != 0 {
            return None;
        }
        #[allow(clippy::unnecessary_cast)] // the field types differ between platforms
        Some(stat.f_bavail as u64 * stat.f_frsize as u64)
    }
    #[cfg(not(unix))]
    {
        let _ = dir;
        None
    }
}

pub type Result<T> = std::result::Result<T, StoreError>;

pub struct Store {
    dir: PathBuf,
    db: sled::Db,
    tree: sled::Tree,
    _lock: Option<lock::StoreLock>,
    /// Set for a store opened read-only: the copy of its database that sled reads
    /// (sled cannot open a database it may not write). Declared last, so it is removed
    /// after the database is closed.
    read_only_copy: Option<(tempfile::TempDir, String)>,
}

impl Store {
    /// Opens (creating if needed) the store in `dir`.
    pub fn open(dir: &Path) -> Result<Store> {
        std::fs::create_dir_all(dir).map_err(|e| io_open_error(dir, format!("{}: {e}", dir.display()), &e))?;
        let lock = lock::StoreLock::acquire(dir)?;
        if let Some(free) = free_bytes(dir).filter(|free| *free < MIN_FREE_BYTES) {
            return Err(StoreError::DiskFull { path: dir.to_path_buf(), free });
        }
        let damaged = |msg: String| StoreError::Damaged { path: dir.to_path_buf(), msg };
        if !dir.join("db").exists() {
            mark::forget_mark(dir);
        }
        let db = open_sled(&dir.join("db")).map_err(|e| match e {
            OpenFailure::Sled(sled::Error::Io(e)) => match io_open_error(dir, e.to_string(), &e) {
                // Anything but a permission or space problem is in what sled read.
                StoreError::Open { msg, .. } if !is_out_of_space(&e) => damaged(msg),
                other => other,
            },
            OpenFailure::Sled(e) => damaged(e.to_string()),
            OpenFailure::Panic(msg) => damaged(msg),
        })?;
        let tree = db.open_tree("records").map_err(|e| damaged(e.to_string()))?;
        let store = Store { dir: dir.to_path_buf(), db, tree, _lock: Some(lock), read_only_copy: None };
        store.check_on_open()?;
        store.write_mark();
        Ok(store)
    }

    /// Opens a store that cannot be written (a read-only directory, file system or
    /// medium) for reading: its database is copied to a temporary directory and every
    /// write is refused with [`StoreError::ReadOnly`]. No lock is taken, so a copy made
    /// while another process writes may miss its latest changes.
    /// `why` says why, for the message that refuses a write.
    pub fn open_read_only(dir: &Path, why: &str) -> Result<Store> {
        let damaged = |msg: String| StoreError::Damaged { path: dir.to_path_buf(), msg };
        let source = dir.join("db");
        if !source.is_dir() {
            return Err(StoreError::Open { path: dir.to_path_buf(), msg: "there is no database (db/) to read".into() });
        }
        let copy = tempfile::Builder::new().prefix("oppi-read-only-").tempdir().map_err(|e| StoreError::Open {
            path: dir.to_path_buf(),
            msg: format!("cannot make a copy to read: {e}"),
        })?;
        copy_dir(&source, &copy.path().join("db"))
            .map_err(|e| StoreError::Open { path: dir.to_path_buf(), msg: format!("cannot copy the database: {e}") })?;
        let db = open_sled(&copy.path().join("db")).map_err(|e| match e {
            OpenFailure::Sled(e) => damaged(e.to_string()),
            OpenFailure::Panic(msg) => damaged(msg),
        })?;
        let tree = db.open_tree("records").map_err(|e| damaged(e.to_string()))?;
        let store =
            Store { dir: dir.to_path_buf(), db, tree, _lock: None, read_only_copy: Some((copy, why.to_string())) };
        // Rolling back an unfinished import changes the copy only.
        store.check_on_open()?;
        Ok(store)
    }

    /// The checks every open makes before the store is used: the format, an unfinished
    /// import (rolled back), the high-water mark. Anything sled reports as corrupt on the
    /// way is a damaged database.
    fn check_on_open(&self) -> Result<()> {
        let checked = self.check_format().and_then(|()| self.roll_back_import()).and_then(|_| self.check_mark());
        checked.map_err(|e| match e {
            StoreError::Corrupt { key, msg } => {
                StoreError::Damaged { path: self.dir.clone(), msg: format!("record {key}: {msg}") }
            }
            other => other,
        })
    }

    pub fn dir(&self) -> &Path {
        &self.dir
    }

    pub fn is_read_only(&self) -> bool {
        self.read_only_copy.is_some()
    }

    /// Every write starts here: a read-only store refuses it before anything is done.
    fn writable(&self) -> Result<()> {
        match &self.read_only_copy {
            None => Ok(()),
            Some((_, why)) => Err(StoreError::OpenForReading { path: self.dir.clone(), why: why.clone() }),
        }
    }

    fn check_format(&self) -> Result<()> {
        match self.tree.get(records::FORMAT_KEY)? {
            None => {
                self.tree.insert(records::FORMAT_KEY, serde_json::to_vec(&records::STORE_FORMAT).unwrap())?;
                self.db.flush()?;
                Ok(())
            }
            Some(bytes) => {
                let format: u32 = serde_json::from_slice(&bytes)
                    .map_err(|e| StoreError::Corrupt { key: records::FORMAT_KEY.into(), msg: e.to_string() })?;
                if format > records::STORE_FORMAT {
                    return Err(StoreError::Open {
                        path: self.dir.clone(),
                        msg: format!("written by a newer oppi (store format {format})"),
                    });
                }
                Ok(())
            }
        }
    }

    /// True when the store holds no records at all (counters and the format marker aside).
    pub fn is_empty(&self) -> Result<bool> {
        for item in self.tree.iter() {
            if !item?.0.starts_with(b"meta/") {
                return Ok(false);
            }
        }
        Ok(true)
    }

    pub fn evaluation(&self) -> Result<Option<Evaluation>> {
        self.get(Kind::Evaluation, records::EVALUATION_KEY)
    }

    pub fn pilot(&self, id: &str) -> Result<Option<Pilot>> {
        self.get(Kind::Pilot, &records::pilot_key(id))
    }

    /// Every pilot, archived ones included, in id order.
    pub fn pilots(&self) -> Result<Vec<Pilot>> {
        let mut pilots: Vec<Pilot> = self.scan(Kind::Pilot, "pilot/")?;
        pilots.sort_by_key(|p| id_number(&p.id));
        Ok(pilots)
    }

    /// Every pilot's impact map (pilots without one have none here).
    pub fn maps(&self) -> Result<Vec<ImpactMap>> {
        self.scan(Kind::Map, "map/")
    }

    pub fn map(&self, pilot: &str) -> Result<Option<ImpactMap>> {
        self.get(Kind::Map, &records::map_key(pilot))
    }

    /// Every learning objective, in id order.
    pub fn objectives(&self) -> Result<Vec<Objective>> {
        let mut objectives: Vec<Objective> = self.scan(Kind::Objective, "objective/")?;
        objectives.sort_by_key(|o| id_number(&o.id));
        Ok(objectives)
    }

    /// Every interview, in id order.
    pub fn interviews(&self) -> Result<Vec<Interview>> {
        let mut interviews: Vec<Interview> = self.scan(Kind::Interview, "interview/")?;
        interviews.sort_by_key(|i| id_number(&i.id));
        Ok(interviews)
    }

    /// The codebook; a store without one gets the evaluation's themes as codes.
    pub fn codebook(&self) -> Result<Codebook> {
        match self.get(Kind::Codebook, records::CODEBOOK_KEY)? {
            Some(book) => Ok(book),
            None => Ok(Codebook::seeded(&self.evaluation()?.map(|e| e.themes).unwrap_or_default())),
        }
    }

    /// The synthesis; an empty one when none has been written yet.
    pub fn synthesis(&self) -> Result<Synthesis> {
        Ok(self.get(Kind::Synthesis, records::SYNTHESIS_KEY)?.unwrap_or_default())
    }

    pub fn draft(&self, interview: &str) -> Result<Option<NoteDraft>> {
        self.get(Kind::Draft, &records::draft_key(interview))
    }

    pub fn drafts(&self) -> Result<Vec<NoteDraft>> {
        self.scan(Kind::Draft, "draft/")
    }

    /// Saves a draft and flushes it: the editor's autosave.
    pub fn save_draft(&self, draft: &NoteDraft) -> Result<()> {
        self.writable()?;
        self.tree.insert(records::draft_key(&draft.key_id()), encode(Kind::Draft, draft))?;
        self.db.flush()?;
        Ok(())
    }

    /// Writes everything to disk (on the way out of a server that ran for hours).
    pub fn flush(&self) -> Result<()> {
        self.db.flush()?;
        Ok(())
    }

    /// What a workshop participant had typed but not sent, if anything.
    pub fn seat_draft(&self, workshop: &str, participant: &str) -> Result<Option<crate::domain::workshop::SeatDraft>> {
        self.get(Kind::SeatDraft, &records::seat_draft_key(workshop, participant))
    }

    /// Saves (or, with empty text, deletes) a participant's unsent text, flushed.
    pub fn save_seat_draft(&self, draft: &crate::domain::workshop::SeatDraft) -> Result<()> {
        self.writable()?;
        let key = records::seat_draft_key(&draft.workshop, &draft.participant);
        if draft.text.is_empty() {
            self.tree.remove(key)?;
        } else {
            self.tree.insert(key, encode(Kind::SeatDraft, draft))?;
        }
        self.db.flush()?;
        Ok(())
    }

    /// The change log of one subject (a pilot id or `evaluation`), oldest first.
    pub fn changelog(&self, subject: &str) -> Result<Vec<ChangeEntry>> {
        Ok(self.scan::<ChangeEntry>(Kind::Log, "log/")?.into_iter().filter(|e| e.subject == subject).collect())
    }

    /// The whole change log, oldest first.
    pub fn changelog_all(&self) -> Result<Vec<ChangeEntry>> {
        self.scan(Kind::Log, "log/")
    }

    /// A new id with `prefix` (`p` for pilots); never handed out twice, even after restore.
    pub fn new_id(&self, prefix: &str) -> Result<Id> {
        let n = self.bump_counter(records::NEXT_ID_KEY)?;
        Ok(format!("{prefix}{n}"))
    }

    fn bump_counter(&self, key: &str) -> Result<u64> {
        self.writable()?;
        let n = self
            .tree
            .transaction(|tx| {
                let n = read_counter(tx.get(key)?.as_deref());
                tx.insert(key, serde_json::to_vec(&(n + 1)).unwrap())?;
                Ok::<_, ConflictableTransactionError<()>>(n)
            })
            .map_err(tx_error)?;
        Ok(n)
    }

    /// Writes everything in `commit` atomically and flushes it to disk. New pilots
    /// (empty id) get their ids first; the saved changeset is returned.
    pub fn commit(&self, mut commit: Changeset) -> Result<Changeset> {
        self.writable()?;
        for objective in commit.objectives.iter_mut().filter(|o| o.id.is_empty()) {
            objective.id = self.new_id("o")?;
        }
        for workshop in commit.new_workshops.iter_mut().filter(|w| w.id.is_empty()) {
            workshop.id = self.new_id("w")?;
        }
        for interview in commit.interviews.iter_mut().filter(|i| i.id.is_empty()) {
            interview.id = self.new_id("i")?;
            for entry in commit.log.iter_mut().filter(|e| e.subject.is_empty()) {
                entry.subject = interview.id.clone();
            }
        }
        for pilot in commit.pilots.iter_mut().filter(|p| p.id.is_empty()) {
            pilot.id = self.new_id("p")?;
            // A changeset creates at most one pilot, so its unnamed log entries are that pilot's.
            for entry in commit.log.iter_mut().filter(|e| e.subject.is_empty()) {
                entry.subject = pilot.id.clone();
            }
        }
        // Serialise outside the transaction: its closure may run more than once.
        let mut puts: Vec<(String, Vec<u8>)> = Vec::new();
        if let Some(e) = &commit.evaluation {
            puts.push((records::EVALUATION_KEY.into(), encode(Kind::Evaluation, e)));
        }
        for p in &commit.pilots {
            puts.push((records::pilot_key(&p.id), encode(Kind::Pilot, p)));
        }
        for m in &commit.maps {
            puts.push((records::map_key(&m.pilot), encode(Kind::Map, m)));
        }
        for o in &commit.objectives {
            puts.push((records::objective_key(&o.id), encode(Kind::Objective, o)));
        }
        for i in &commit.interviews {
            puts.push((records::interview_key(&i.id), encode(Kind::Interview, i)));
        }
        for w in &commit.new_workshops {
            let snap = workshops::WorkshopSnapshot { seq: 0, workshop: w.clone() };
            puts.push((records::workshop_key(&w.id), encode(Kind::Workshop, &snap)));
        }
        if let Some(book) = &commit.codebook {
            puts.push((records::CODEBOOK_KEY.into(), encode(Kind::Codebook, book)));
        }
        if let Some(synthesis) = &commit.synthesis {
            puts.push((records::SYNTHESIS_KEY.into(), encode(Kind::Synthesis, synthesis)));
        }
        let drop_drafts: Vec<String> = commit.drop_drafts.iter().map(|i| records::draft_key(i)).collect();
        let logs: Vec<Vec<u8>> = commit.log.iter().map(|e| encode(Kind::Log, e)).collect();
        self.tree
            .transaction(|tx| {
                for (k, v) in &puts {
                    tx.insert(k.as_bytes(), v.as_slice())?;
                }
                for k in &drop_drafts {
                    tx.remove(k.as_bytes())?;
                }
                let mut seq = read_counter(tx.get(records::NEXT_LOG_KEY)?.as_deref());
                for v in &logs {
                    tx.insert(records::log_key(seq).as_bytes(), v.as_slice())?;
                    seq += 1;
                }
                tx.insert(records::NEXT_LOG_KEY, serde_json::to_vec(&seq).unwrap())?;
                Ok::<_, ConflictableTransactionError<()>>(())
            })
            .map_err(tx_error)?;
        self.db.flush()?;
        Ok(commit)
    }

    fn get<T: serde::de::DeserializeOwned>(&self, kind: Kind, key: &str) -> Result<Option<T>> {
        match self.tree.get(key)? {
            None => Ok(None),
            Some(bytes) => decode(kind, key, &bytes).map(Some),
        }
    }

    fn scan<T: serde::de::DeserializeOwned>(&self, kind: Kind, prefix: &str) -> Result<Vec<T>> {
        self.tree
            .scan_prefix(prefix)
            .map(|item| {
                let (k, v) = item?;
                decode(kind, &String::from_utf8_lossy(&k), &v)
            })
            .collect()
    }
}

/// Opens the sled database. We hold `oppi.lock`, so no other process has it; if sled
/// still reports its own lock busy, it is this process's previous handle whose
/// background work has not finished releasing it, which takes milliseconds.
const CACHE_BYTES: u64 = 64 * 1024 * 1024;

enum OpenFailure {
    Sled(sled::Error),
    /// sled panicked on what it read: a damaged database, never a crash of oppi.
    Panic(String),
}

fn open_sled(path: &Path) -> std::result::Result<sled::Db, OpenFailure> {
    let mut wait = std::time::Duration::from_millis(2);
    loop {
        // No background flusher: every commit flushes before it returns.
        // sled caches up to 1 GiB by default; oppi's records are small and mostly read once.
        let config = sled::Config::new().flush_every_ms(None).cache_capacity(CACHE_BYTES).path(path);
        match std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| config.open())) {
            Ok(Err(sled::Error::Io(e)))
                if e.to_string().contains("could not acquire lock") && wait.as_millis() < 1000 =>
            {
                std::thread::sleep(wait);
                wait *= 2;
            }
            Ok(other) => return other.map_err(OpenFailure::Sled),
            Err(panic) => {
                let msg = panic
                    .downcast_ref::<String>()
                    .map(String::as_str)
                    .or_else(|| panic.downcast_ref::<&str>().copied())
                    .unwrap_or("the database could not be read");
                return Err(OpenFailure::Panic(format!("sled: {msg}")));
            }
        }
    }
}

fn is_out_of_space(e: &std::io::Error) -> bool {
    matches!(e.kind(), std::io::ErrorKind::StorageFull | std::io::ErrorKind::QuotaExceeded)
}

/// An I/O failure while opening: a read-only directory or file system gets its own
/// message; anything else names what failed.
fn io_open_error(dir: &Path, msg: String, e: &std::io::Error) -> StoreError {
    use std::io::ErrorKind;
    match e.kind() {
        ErrorKind::PermissionDenied | ErrorKind::ReadOnlyFilesystem => {
            StoreError::ReadOnly { path: dir.to_path_buf(), msg }
        }
        _ => StoreError::Open { path: dir.to_path_buf(), msg },
    }
}

fn copy_dir(from: &Path, to: &Path) -> std::io::Result<()> {
    std::fs::create_dir_all(to)?;
    for entry in std::fs::read_dir(from)? {
        let entry = entry?;
        let target = to.join(entry.file_name());
        if entry.file_type()?.is_dir() {
            copy_dir(&entry.path(), &target)?;
        } else {
            std::fs::copy(entry.path(), &target)?;
        }
    }
    Ok(())
}

fn read_counter(bytes: Option<&[u8]>) -> u64 {
    bytes.and_then(|b| serde_json::from_slice(b).ok()).unwrap_or(1)
}

fn tx_error(e: TransactionError<()>) -> StoreError {
    match e {
        TransactionError::Storage(e) => StoreError::from(e),
        TransactionError::Abort(()) => StoreError::Write("the transaction was aborted".into()),
    }
}

/// Sort key for ids like `p12`, so that `p2` comes before `p10`.
pub fn id_number(id: &str) -> (u64, String) {
    let digits: String = id.chars().filter(char::is_ascii_digit).collect();
    (digits.parse().unwrap_or(u64::MAX), id.to_string())
}

#[cfg(test)]
mod survey_tests;
#[cfg(test)]
mod tests;
