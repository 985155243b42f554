//! References from lessons, assumptions and findings to the data behind them. Each
//! kind names its source by stable ids, so renaming or reordering never breaks a link.

use serde::{Deserialize, Serialize};

use super::Id;

#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "kebab-case")]
pub enum EvidenceRef {
    /// A coded paragraph of interview notes.
    Segment { interview: Id, paragraph: u32 },
    /// A paragraph marked as a quote (cited by role, never by name).
    Quote { interview: Id, paragraph: u32 },
    /// A survey item's tally, with the filter that produced it.
    Tally {
        survey: String,
        item: String,
        #[serde(default)]
        pilot: Option<Id>,
        #[serde(default)]
        round: Option<u32>,
    },
    /// An item or result captured in a workshop.
    Workshop { workshop: Id, item: u32 },
    /// An indicator of a pilot's impact map.
    Indicator { pilot: Id, indicator: u32 },
    /// A lesson of a learning objective.
    Lesson { objective: Id, lesson: u32 },
    /// Anything else: a document, a meeting, a register extract.
    Document { title: String },
}

impl EvidenceRef {
    /// A short label for lists: "interview i4 ¶3", "survey partner-2020 · goals_clear".
    pub fn label(&self) -> String {
        match self {
            EvidenceRef::Segment { interview, paragraph } => format!("interview {interview} ¶{paragraph}"),
            EvidenceRef::Quote { interview, paragraph } => format!("quote {interview} ¶{paragraph}"),
            EvidenceRef::Tally { survey, item, pilot, round } => {
                let mut s = format!("survey {survey} · {item}");
                if let Some(p) = pilot {
                    s.push_str(&format!(" · pilot {p}"));
                }
                if let Some(r) = round {
                    s.push_str(&format!(" · round {r}"));
                }
                s
            }
            EvidenceRef::Workshop { workshop, item } => format!("workshop {workshop} · item {item}"),
            EvidenceRef::Indicator { pilot, indicator } => format!("indicator {pilot}/{indicator}"),
            EvidenceRef::Lesson { objective, lesson } => format!("lesson {objective}.{lesson}"),
            EvidenceRef::Document { title } => format!("document: {title}"),
        }
    }
}
