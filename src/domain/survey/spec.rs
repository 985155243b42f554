//! The validated shape of a survey instrument. These types are what the store keeps
//! (as JSON); the TOML-facing, position-carrying twins live in `raw.rs`.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use super::logic::{Expr, ExprError};

/// A survey instrument: reusable answer scales plus an ordered list of items.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Survey {
    /// Unique; letters, digits and '-'.
    pub id: String,
    pub title: String,
    pub version: u32,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    #[serde(default)]
    pub scales: BTreeMap<String, Scale>,
    /// In the order they are asked; skip logic may only look backwards.
    pub items: Vec<Item>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Scale {
    pub points: Vec<ScalePoint>,
    /// "Can't say": a real answer that is counted in n but kept out of mean and median.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub dont_know: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ScalePoint {
    pub value: i64,
    pub label: String,
}

/// One option of a single- or multi-choice item.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Choice {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub code: Option<String>,
    pub label: String,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Item {
    pub id: String,
    pub text: String,
    #[serde(flatten)]
    pub kind: ItemKind,
    /// "core" or the name of a rotating module.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub module: Option<String>,
    /// Rounds in which the item is asked; `None` = every round.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub rounds: Option<Vec<u32>>,
    /// Pilots for which the item is asked; `None` = every pilot.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub pilots: Option<Vec<String>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub relevant: Option<Condition>,
    #[serde(default)]
    pub required: bool,
}

/// What kind of answer an item takes, with the settings that only make sense for it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "type", rename_all = "lowercase")]
pub enum ItemKind {
    Scale {
        scale: String,
    },
    Single {
        choices: Vec<Choice>,
        #[serde(default)]
        other: bool,
    },
    Multi {
        choices: Vec<Choice>,
        #[serde(default)]
        other: bool,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        max: Option<usize>,
    },
    Number {
        #[serde(default, skip_serializing_if = "Option::is_none")]
        min: Option<f64>,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        max: Option<f64>,
        #[serde(default)]
        integer: bool,
    },
    /// The 0–10 "would you recommend" question.
    Nps,
    Text,
}

/// A parsed `relevant` expression that remembers its source text, so the stored
/// JSON stays readable and error messages can quote what the author wrote.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct Condition {
    source: String,
    expr: Expr,
}

impl Choice {
    /// What identifies the choice in answers and counts: its code, else its label.
    pub fn key(&self) -> &str {
        self.code.as_deref().unwrap_or(&self.label)
    }
}

impl Scale {
    pub fn point(&self, value: i64) -> Option<&ScalePoint> {
        self.points.iter().find(|p| p.value == value)
    }
}

impl ItemKind {
    /// The `type = "..."` name.
    pub fn type_name(&self) -> &'static str {
        match self {
            ItemKind::Scale { .. } => "scale",
            ItemKind::Single { .. } => "single",
            ItemKind::Multi { .. } => "multi",
            ItemKind::Number { .. } => "number",
            ItemKind::Nps => "nps",
            ItemKind::Text => "text",
        }
    }
}

impl Item {
    /// The options of a single or multi item; empty for other types.
    pub fn choices(&self) -> &[Choice] {
        match &self.kind {
            ItemKind::Single { choices, .. } | ItemKind::Multi { choices, .. } => choices,
            _ => &[],
        }
    }

    /// Whether free "Other, specify" text is accepted.
    pub fn allows_other(&self) -> bool {
        matches!(&self.kind, ItemKind::Single { other: true, .. } | ItemKind::Multi { other: true, .. })
    }

    /// The choice whose key matches `text`, else the one whose label does.
    pub fn find_choice(&self, text: &str) -> Option<&Choice> {
        let choices = self.choices();
        choices.iter().find(|c| c.key() == text).or_else(|| choices.iter().find(|c| c.label == text))
    }
}

impl Survey {
    pub fn item(&self, id: &str) -> Option<&Item> {
        self.items.iter().find(|i| i.id == id)
    }

    pub fn item_index(&self, id: &str) -> Option<usize> {
        self.items.iter().position(|i| i.id == id)
    }

    /// The scale a scale-type item uses.
    pub fn scale_of(&self, item: &Item) -> Option<&Scale> {
        match &item.kind {
            ItemKind::Scale { scale } => self.scales.get(scale),
            _ => None,
        }
    }

    /// Distinct module names in order of first appearance (items without one are core).
    pub fn modules(&self) -> Vec<&str> {
        let mut out: Vec<&str> = Vec::new();
        for m in self.items.iter().filter_map(|i| i.module.as_deref()) {
            if !out.contains(&m) {
                out.push(m);
            }
        }
        out
    }
}

impl Condition {
    pub fn parse(source: &str) -> Result<Condition, ExprError> {
        Ok(Condition { source: source.to_string(), expr: Expr::parse(source)? })
    }

    pub fn source(&self) -> &str {
        &self.source
    }

    pub fn expr(&self) -> &Expr {
        &self.expr
    }
}

impl TryFrom<String> for Condition {
    type Error = String;
    fn try_from(source: String) -> Result<Self, String> {
        let expr = Expr::parse(&source).map_err(|e| e.message)?;
        Ok(Condition { source, expr })
    }
}

impl From<Condition> for String {
    fn from(c: Condition) -> String {
        c.source
    }
}
