use std::fs::{File, OpenOptions, TryLockError};
use std::path::Path;

use super::StoreError;

/// An advisory lock on `oppi.lock` in the store directory. sled's own lock would
/// fail with an opaque I/O error; taking ours first lets us say what is going on.
/// The OS releases it when the process ends, however it ends.
pub struct StoreLock(#[allow(dead_code)] File);

impl StoreLock {
    pub fn acquire(dir: &Path) -> Result<StoreLock, StoreError> {
        let path = dir.join("oppi.lock");
        let file = OpenOptions::new()
            .create(true)
            .truncate(false)
            .write(true)
            .open(&path)
            .map_err(|e| super::io_open_error(dir, format!("{}: {e}", path.display()), &e))?;
        match file.try_lock() {
            Ok(()) => Ok(StoreLock(file)),
            Err(TryLockError::WouldBlock) => Err(StoreError::InUse(dir.to_path_buf())),
            Err(TryLockError::Error(e)) => {
                Err(StoreError::Open { path: dir.to_path_buf(), msg: format!("cannot lock {}: {e}", path.display()) })
            }
        }
    }
}
