//! What a tally produces, and its JSON shape. Serialization is written by hand so
//! each item carries only the keys that apply to its type, in a fixed order, and
//! counts keep the scale/choice order (serde_json maps would sort them).

use serde::ser::{Serialize, SerializeMap, Serializer};

use super::LOW_N;

#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct Tally {
    pub survey: String,
    /// Responses that passed the filter.
    pub respondents: u64,
    pub items: Vec<ItemTally>,
    /// Present when the tally was broken down `by` a single-choice item.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub groups: Option<Vec<GroupTally>>,
}

/// The respondents who gave one answer to the `by` item.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct GroupTally {
    /// The choice key, or "Other".
    pub value: String,
    pub respondents: u64,
    pub items: Vec<ItemTally>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct ItemTally {
    pub id: String,
    /// The item's `type`.
    pub kind: &'static str,
    /// Respondents who answered, don't-know included.
    pub n: u64,
    /// Respondents who were asked (rounds, pilots, skip logic) but left it empty.
    pub missing: u64,
    pub stats: ItemStats,
}

/// The type-specific part of an item's tally.
#[derive(Debug, Clone, PartialEq)]
pub enum ItemStats {
    Scale {
        /// `None` when the scale has no don't-know answer (the key is then omitted).
        dont_know: Option<u64>,
        /// By scale value, in the scale's order.
        counts: Vec<(String, u64)>,
        mean: Option<f64>,
        median: Option<f64>,
    },
    /// Single and multi items; multi counts each chosen option, "Other" once per respondent.
    Choice {
        counts: Vec<(String, u64)>,
    },
    Number {
        mean: Option<f64>,
        median: Option<f64>,
        min: Option<f64>,
        max: Option<f64>,
    },
    /// `score` = % promoters − % detractors, in percentage points.
    Nps {
        promoters: u64,
        passives: u64,
        detractors: u64,
        score: Option<f64>,
    },
    Text,
}

impl ItemTally {
    /// Too few answers for percentages to mean much.
    pub fn is_low_n(&self) -> bool {
        self.n < LOW_N
    }

    /// The count for a key, for tests and table cells.
    pub fn count(&self, key: &str) -> Option<u64> {
        match &self.stats {
            ItemStats::Scale { counts, .. } | ItemStats::Choice { counts } => {
                counts.iter().find(|(k, _)| k == key).map(|(_, c)| *c)
            }
            _ => None,
        }
    }
}

impl Tally {
    pub fn item(&self, id: &str) -> Option<&ItemTally> {
        self.items.iter().find(|i| i.id == id)
    }

    pub fn group(&self, value: &str) -> Option<&GroupTally> {
        self.groups.as_ref()?.iter().find(|g| g.value == value)
    }
}

impl GroupTally {
    pub fn item(&self, id: &str) -> Option<&ItemTally> {
        self.items.iter().find(|i| i.id == id)
    }
}

/// Serializes a list of pairs as a JSON object, keeping their order.
struct Ordered<'a>(&'a [(String, u64)]);

impl Serialize for Ordered<'_> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let mut map = s.serialize_map(Some(self.0.len()))?;
        for (k, v) in self.0 {
            map.serialize_entry(k, v)?;
        }
        map.end()
    }
}

/// A median, minimum or maximum: whole numbers print as integers (`4`, not `4.0`),
/// as they are values of the scale.
struct Compact(Option<f64>);

impl Serialize for Compact {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        match self.0 {
            Some(x) if x.fract() == 0.0 && x.abs() < 9.0e15 => s.serialize_i64(x as i64),
            Some(x) => s.serialize_f64(x),
            None => s.serialize_none(),
        }
    }
}

impl Serialize for ItemTally {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let mut m = s.serialize_map(None)?;
        m.serialize_entry("id", &self.id)?;
        m.serialize_entry("type", self.kind)?;
        m.serialize_entry("n", &self.n)?;
        if let ItemStats::Scale { dont_know: Some(dk), .. } = &self.stats {
            m.serialize_entry("dont_know", dk)?;
        }
        m.serialize_entry("missing", &self.missing)?;
        match &self.stats {
            ItemStats::Scale { counts, mean, median, .. } => {
                m.serialize_entry("counts", &Ordered(counts))?;
                m.serialize_entry("mean", mean)?;
                m.serialize_entry("median", &Compact(*median))?;
            }
            ItemStats::Choice { counts } => m.serialize_entry("counts", &Ordered(counts))?,
            ItemStats::Number { mean, median, min, max } => {
                m.serialize_entry("mean", mean)?;
                m.serialize_entry("median", &Compact(*median))?;
                m.serialize_entry("min", &Compact(*min))?;
                m.serialize_entry("max", &Compact(*max))?;
            }
            ItemStats::Nps { promoters, passives, detractors, score } => {
                m.serialize_entry("promoters", promoters)?;
                m.serialize_entry("passives", passives)?;
                m.serialize_entry("detractors", detractors)?;
                m.serialize_entry("score", score)?;
            }
            ItemStats::Text => {}
        }
        m.end()
    }
}
