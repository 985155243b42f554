//! The whole store as one JSON document, and back.
//!
//! Keys are written in sled's byte order and every record through `serde_json::Value`
//! (whose maps are sorted), so `backup → restore → backup` gives identical bytes.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};
use serde_json::Value;

use super::records::{self, Kind};
use super::surveys::StoredResponse;
use super::workshops::{WorkshopEvent, WorkshopSnapshot};
use super::{Result, Store, StoreError};
use crate::domain::codebook::Codebook;
use crate::domain::impact::ImpactMap;
use crate::domain::interview::{Interview, NoteDraft};
use crate::domain::objective::Objective;
use crate::domain::survey::Survey;
use crate::domain::synthesis::Synthesis;
use crate::domain::{ChangeEntry, Evaluation, Pilot};

pub const BACKUP_FORMAT: &str = "oppi-backup";

#[derive(Serialize, Deserialize)]
struct Backup {
    format: String,
    store_format: u32,
    records: BTreeMap<String, Value>,
}

impl Store {
    /// The whole store, pretty-printed JSON with a trailing newline.
    pub fn backup_json(&self) -> Result<String> {
        let mut out = BTreeMap::new();
        for item in self.tree.iter() {
            let (k, v) = item?;
            let key = String::from_utf8_lossy(&k).into_owned();
            let value: Value =
                serde_json::from_slice(&v).map_err(|e| StoreError::Corrupt { key: key.clone(), msg: e.to_string() })?;
            out.insert(key, value);
        }
        let doc = Backup { format: BACKUP_FORMAT.into(), store_format: records::STORE_FORMAT, records: out };
        let mut text = serde_json::to_string_pretty(&doc).expect("JSON values always serialise");
        text.push('\n');
        Ok(text)
    }

    /// Replaces the store's content with a backup. Every record is checked before
    /// anything is written, and the write is one atomic batch: a bad backup leaves
    /// the store as it was. A store with data is refused unless `replace` is set.
    pub fn restore_json(&self, text: &str, replace: bool) -> Result<usize> {
        self.writable()?;
        let doc: Backup = serde_json::from_str(text).map_err(|e| {
            StoreError::Backup(format!("not a valid backup (line {}, column {}): {e}", e.line(), e.column()))
        })?;
        if doc.format != BACKUP_FORMAT {
            return Err(StoreError::Backup(format!("not an oppi backup (format is '{}')", doc.format)));
        }
        if doc.store_format > records::STORE_FORMAT {
            return Err(StoreError::Backup(format!(
                "made by a newer oppi (store format {}, this build reads up to {})",
                doc.store_format,
                records::STORE_FORMAT
            )));
        }
        if !replace && !self.is_empty()? {
            return Err(StoreError::NotEmpty(format!(
                "store {} already holds an evaluation; restore into an empty store, or pass --replace to overwrite it",
                self.dir.display()
            )));
        }
        let mut batch = sled::Batch::default();
        for item in self.tree.iter() {
            batch.remove(item?.0);
        }
        for (key, value) in &doc.records {
            let bytes = serde_json::to_vec(value).expect("JSON values always serialise");
            validate(key, &bytes)?;
            batch.insert(key.as_bytes(), bytes);
        }
        self.tree.apply_batch(batch)?;
        self.db.flush()?;
        // The counters are the backup's now, which may be lower than before.
        self.write_mark();
        Ok(doc.records.len())
    }
}

fn validate(key: &str, bytes: &[u8]) -> Result<()> {
    match Kind::of_key(key) {
        Some(Kind::Evaluation) => records::decode::<Evaluation>(Kind::Evaluation, key, bytes).map(drop),
        Some(Kind::Pilot) => records::decode::<Pilot>(Kind::Pilot, key, bytes).map(drop),
        Some(Kind::Map) => records::decode::<ImpactMap>(Kind::Map, key, bytes).map(drop),
        Some(Kind::Objective) => records::decode::<Objective>(Kind::Objective, key, bytes).map(drop),
        Some(Kind::Log) => records::decode::<ChangeEntry>(Kind::Log, key, bytes).map(drop),
        Some(Kind::Survey) => records::decode::<Survey>(Kind::Survey, key, bytes).map(drop),
        Some(Kind::Interview) => records::decode::<Interview>(Kind::Interview, key, bytes).map(drop),
        Some(Kind::Codebook) => records::decode::<Codebook>(Kind::Codebook, key, bytes).map(drop),
        Some(Kind::Synthesis) => records::decode::<Synthesis>(Kind::Synthesis, key, bytes).map(drop),
        Some(Kind::Draft) => records::decode::<NoteDraft>(Kind::Draft, key, bytes).map(drop),
        Some(Kind::Workshop) => records::decode::<WorkshopSnapshot>(Kind::Workshop, key, bytes).map(drop),
        Some(Kind::WorkshopEvent) => records::decode::<WorkshopEvent>(Kind::WorkshopEvent, key, bytes).map(drop),
        Some(Kind::SeatDraft) => {
            records::decode::<crate::domain::workshop::SeatDraft>(Kind::SeatDraft, key, bytes).map(drop)
        }
        Some(Kind::Response) => records::decode::<StoredResponse>(Kind::Response, key, bytes).map(drop),
        None if key == records::FORMAT_KEY => match serde_json::from_slice::<u32>(bytes) {
            Ok(f) if f <= records::STORE_FORMAT => Ok(()),
            _ => Err(StoreError::Corrupt { key: key.into(), msg: "not a store format this oppi reads".into() }),
        },
        None if key.starts_with("meta/") => serde_json::from_slice::<u64>(bytes)
            .map(drop)
            .map_err(|e| StoreError::Corrupt { key: key.into(), msg: format!("not a counter: {e}") }),
        None => Err(StoreError::Backup(format!("unknown record key '{key}'"))),
    }
    .map_err(|e| StoreError::Backup(e.to_string()))
}
