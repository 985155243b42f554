use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use super::Id;

/// One field that changed, as the user would have typed it before and after.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Change {
    pub field: String,
    pub old: String,
    pub new: String,
}

/// Who changed what, when: evaluators need to reconstruct how a pilot evolved.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ChangeEntry {
    pub at: DateTime<Utc>,
    pub who: String,
    /// The record the change belongs to (a pilot id, or `evaluation`).
    pub subject: Id,
    pub what: ChangeWhat,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "kebab-case")]
pub enum ChangeWhat {
    Created,
    Edited {
        changes: Vec<Change>,
    },
    Archived,
    Restored,
    /// Anything better told in a sentence: "map: linked 'A' → 'B'".
    Described {
        text: String,
    },
}

impl ChangeEntry {
    /// One line for lists: "status: active → suspended".
    pub fn summary(&self) -> String {
        match &self.what {
            ChangeWhat::Created => "created".into(),
            ChangeWhat::Archived => "archived".into(),
            ChangeWhat::Restored => "restored from archive".into(),
            ChangeWhat::Described { text } => text.clone(),
            ChangeWhat::Edited { changes } => changes
                .iter()
                .map(|c| {
                    if c.old.is_empty() {
                        format!("{}: set to {}", c.field, c.new)
                    } else {
                        format!("{}: {} → {}", c.field, c.old, c.new)
                    }
                })
                .collect::<Vec<_>>()
                .join("; "),
        }
    }
}
