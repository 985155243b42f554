//! Workshops are stored as they happen: a snapshot and an append-only log of every
//! applied command. A vote costs one small record (not a rewrite of the whole
//! workshop), and replaying the log after the snapshot rebuilds the exact state,
//! since the engine is deterministic given the command, who sent it and when.

use chrono::NaiveDateTime;
use serde::{Deserialize, Serialize};

use super::records::{self, Kind, decode, encode};
use super::{Result, Store, StoreError};
use crate::domain::workshop::{Actor, Workshop, WorkshopCommand};

/// Replay at most this many commands on load: a new snapshot is written every time.
pub const SNAPSHOT_EVERY: u64 = 500;

/// One applied command, in order.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct WorkshopEvent {
    pub seq: u64,
    pub at: NaiveDateTime,
    pub by: Actor,
    pub cmd: WorkshopCommand,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct WorkshopSnapshot {
    /// The last event already in `workshop`.
    pub seq: u64,
    pub workshop: Workshop,
}

impl Store {
    /// Stores a new workshop (its first snapshot) and flushes.
    pub fn create_workshop(&self, workshop: &Workshop) -> Result<()> {
        self.writable()?;
        let snap = WorkshopSnapshot { seq: 0, workshop: workshop.clone() };
        self.tree.insert(records::workshop_key(&workshop.id), encode(Kind::Workshop, &snap))?;
        self.db.flush()?;
        Ok(())
    }

    /// Appends applied commands (and, when given, a fresh snapshot) in one atomic batch,
    /// flushed before returning: a vote the room saw counted is on disk.
    pub fn append_workshop_events(
        &self,
        id: &str,
        events: &[WorkshopEvent],
        snapshot: Option<&WorkshopSnapshot>,
    ) -> Result<()> {
        self.writable()?;
        let mut batch = sled::Batch::default();
        for e in events {
            batch.insert(records::workshop_event_key(id, e.seq).as_bytes(), encode(Kind::WorkshopEvent, e));
        }
        if let Some(snap) = snapshot {
            batch.insert(records::workshop_key(id).as_bytes(), encode(Kind::Workshop, snap));
            // Events before the snapshot are no longer needed to rebuild it.
            for item in self.tree.scan_prefix(records::workshop_events_prefix(id)) {
                let (k, v) = item?;
                let e: WorkshopEvent = decode(Kind::WorkshopEvent, &String::from_utf8_lossy(&k), &v)?;
                if e.seq <= snap.seq {
                    batch.remove(k);
                }
            }
        }
        self.tree.apply_batch(batch)?;
        self.db.flush()?;
        Ok(())
    }

    /// A workshop as it stands now, with the sequence number of its last event.
    pub fn workshop(&self, id: &str) -> Result<Option<(Workshop, u64)>> {
        let key = records::workshop_key(id);
        let Some(bytes) = self.tree.get(&key)? else { return Ok(None) };
        let snap: WorkshopSnapshot = decode(Kind::Workshop, &key, &bytes)?;
        let (mut workshop, mut seq) = (snap.workshop, snap.seq);
        for item in self.tree.scan_prefix(records::workshop_events_prefix(id)) {
            let (k, v) = item?;
            let key = String::from_utf8_lossy(&k).into_owned();
            let e: WorkshopEvent = decode(Kind::WorkshopEvent, &key, &v)?;
            if e.seq <= seq {
                continue;
            }
            workshop.apply(e.by, e.cmd, e.at).map_err(|msg| StoreError::Corrupt {
                key: key.clone(),
                msg: format!("the logged command no longer applies: {msg}"),
            })?;
            seq = e.seq;
        }
        Ok(Some((workshop, seq)))
    }

    /// The ids of every workshop, without rebuilding any of them.
    pub fn workshop_ids(&self) -> Result<Vec<String>> {
        let ids = self
            .tree
            .scan_prefix("workshop/")
            .keys()
            .map(|k| k.map(|k| String::from_utf8_lossy(&k)["workshop/".len()..].to_string()))
            .collect::<std::result::Result<_, _>>()?;
        Ok(ids)
    }

    /// Every workshop, oldest id first.
    pub fn workshops(&self) -> Result<Vec<(Workshop, u64)>> {
        let mut out = Vec::new();
        for id in self.workshop_ids()? {
            out.extend(self.workshop(&id)?);
        }
        out.sort_by_key(|(w, _)| super::id_number(&w.id));
        Ok(out)
    }
}
