//! The high-water mark: `oppi.mark`, next to the database, records the store's
//! counters (next id, next change-log entry, next survey response) as last seen. They
//! only ever grow, so a database whose counters are *below* the mark has lost records.
//!
//! This matters because sled does not always refuse a damaged database: a log file
//! cut short or overwritten in the middle is read up to the damage and opens as an
//! older (or empty) store. Without the mark, oppi would show that silently and the
//! next save would build on it.

use std::io::Write as _;
use std::path::Path;

use serde::{Deserialize, Serialize};

use super::records;
use super::{Result, Store, StoreError};

const MARK_FILE: &str = "oppi.mark";

#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub struct Mark {
    next_id: u64,
    next_log: u64,
    next_response: u64,
}

impl Store {
    fn counters(&self) -> Result<Mark> {
        let read = |key: &str| -> Result<u64> {
            Ok(self.tree.get(key)?.and_then(|b| serde_json::from_slice(&b).ok()).unwrap_or(0))
        };
        Ok(Mark {
            next_id: read(records::NEXT_ID_KEY)?,
            next_log: read(records::NEXT_LOG_KEY)?,
            next_response: read(records::NEXT_RESPONSE_KEY)?,
        })
    }

    /// Refuses a database that has gone back in time since the mark was written.
    pub(super) fn check_mark(&self) -> Result<()> {
        let Some(mark) = read_mark(&self.dir) else { return Ok(()) };
        let now = self.counters()?;
        for (what, seen, found) in [
            (records::NEXT_ID_KEY, mark.next_id, now.next_id),
            (records::NEXT_LOG_KEY, mark.next_log, now.next_log),
            (records::NEXT_RESPONSE_KEY, mark.next_response, now.next_response),
        ] {
            if found < seen {
                return Err(StoreError::Damaged {
                    path: self.dir.clone(),
                    msg: format!(
                        "records written earlier are missing ({what} is {found}, but was {seen} when oppi last \
                         used this store; {} records that)",
                        self.dir.join(MARK_FILE).display()
                    ),
                });
            }
        }
        Ok(())
    }

    /// Records the counters as they are now (best effort: a mark that cannot be
    /// written only weakens the check, it never stops work). Nothing is done when the
    /// mark already says so, which is every open and close that wrote nothing.
    pub(super) fn write_mark(&self) {
        if self.is_read_only() {
            return;
        }
        let Ok(mark) = self.counters() else { return };
        if read_mark(&self.dir) == Some(mark) {
            return;
        }
        // Only durable counters go into the mark.
        if self.db.flush().is_ok() {
            let _ = write_mark(&self.dir, &mark);
        }
    }
}

/// A database created just now (its files were moved aside for a restore) owes nothing
/// to an old mark.
pub(super) fn forget_mark(dir: &Path) {
    let _ = std::fs::remove_file(dir.join(MARK_FILE));
}

fn read_mark(dir: &Path) -> Option<Mark> {
    let text = std::fs::read(dir.join(MARK_FILE)).ok()?;
    serde_json::from_slice(&text).ok()
}

fn write_mark(dir: &Path, mark: &Mark) -> std::io::Result<()> {
    let mut tmp = tempfile::NamedTempFile::new_in(dir)?;
    tmp.write_all(&serde_json::to_vec(mark).expect("counters serialise"))?;
    tmp.as_file().sync_all()?;
    tmp.persist(dir.join(MARK_FILE)).map_err(|e| e.error)?;
    Ok(())
}

impl Drop for Store {
    fn drop(&mut self) {
        self.write_mark();
    }
}
