//! Answers and the CSV cell rules. `parse_cell` and `format_cell` are inverses, so a
//! CSV export read back in gives the same answers.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use super::spec::{Item, ItemKind, Survey};

/// One respondent's answer to one item. "Not answered" is the absence of an answer.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Answer {
    /// A scale point's value; also the 0–10 answer of an nps item.
    Scale(i64),
    /// The scale's "can't say" answer.
    DontKnow,
    /// A choice key (its code, else its label).
    Choice(String),
    /// "Other, specify" text of a single-choice item.
    Other(String),
    Multi(Vec<Pick>),
    Number(f64),
    Text(String),
}

/// One option picked in a multi-choice answer.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Pick {
    Choice(String),
    Other(String),
}

/// Everything one respondent answered in one survey.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Response {
    /// An opaque respondent code, never a name: reports cite people by role only.
    pub respondent: Option<String>,
    pub pilot: Option<String>,
    pub round: Option<u32>,
    pub submitted: Option<String>,
    /// Keyed by item id.
    pub answers: BTreeMap<String, Answer>,
}

/// Separates the options of a multi-choice cell.
pub const MULTI_SEPARATOR: char = ';';

impl Survey {
    /// Read one CSV cell for `item`. Empty (or blank) = not answered.
    /// Accepts a scale's value, a point's label or its don't-know label; a choice's
    /// code or label; multi options separated by `;`; free text as "Other" where the
    /// item allows it.
    pub fn parse_cell(&self, item: &Item, cell: &str) -> Result<Option<Answer>, String> {
        let cell = cell.trim();
        if cell.is_empty() {
            return Ok(None);
        }
        let answer = match &item.kind {
            ItemKind::Scale { scale } => {
                let Some(s) = self.scales.get(scale) else { return Err(format!("unknown scale `{scale}`")) };
                if let Ok(v) = cell.parse::<i64>() {
                    Answer::Scale(v)
                } else if s.dont_know.as_deref().is_some_and(|dk| dk.eq_ignore_ascii_case(cell)) {
                    Answer::DontKnow
                } else if let Some(p) = s.points.iter().find(|p| p.label.eq_ignore_ascii_case(cell)) {
                    Answer::Scale(p.value)
                } else {
                    return Err(format!(
                        "'{cell}' is not a value of scale `{scale}`{}",
                        dont_know_hint(s.dont_know.as_deref())
                    ));
                }
            }
            ItemKind::Nps => match cell.parse::<i64>() {
                Ok(v) => Answer::Scale(v),
                Err(_) => return Err(format!("'{cell}' is not a whole number 0–10")),
            },
            ItemKind::Single { .. } => pick_answer(item, cell)?,
            ItemKind::Multi { .. } => {
                let mut picks = Vec::new();
                for part in cell.split(MULTI_SEPARATOR).map(str::trim).filter(|p| !p.is_empty()) {
                    picks.push(match pick_answer(item, part)? {
                        Answer::Choice(k) => Pick::Choice(k),
                        Answer::Other(t) => Pick::Other(t),
                        _ => unreachable!("pick_answer gives a choice or other"),
                    });
                }
                if picks.is_empty() {
                    return Ok(None);
                }
                Answer::Multi(picks)
            }
            ItemKind::Number { .. } => {
                // A decimal comma is what Finnish spreadsheets write.
                let text = if cell.contains('.') { cell.to_string() } else { cell.replace(',', ".") };
                match text.parse::<f64>() {
                    Ok(x) if x.is_finite() => Answer::Number(x),
                    _ => return Err(format!("'{cell}' is not a number")),
                }
            }
            ItemKind::Text => Answer::Text(cell.to_string()),
        };
        self.check_answer(item, &answer)?;
        Ok(Some(answer))
    }

    /// Write `answer` as a CSV cell; `parse_cell` reads it back unchanged.
    pub fn format_cell(&self, item: &Item, answer: &Answer) -> String {
        match answer {
            Answer::Scale(v) => v.to_string(),
            Answer::DontKnow => self.scale_of(item).and_then(|s| s.dont_know.clone()).unwrap_or_default(),
            Answer::Choice(k) | Answer::Other(k) | Answer::Text(k) => k.clone(),
            Answer::Multi(picks) => {
                let parts: Vec<&str> = picks
                    .iter()
                    .map(|p| match p {
                        Pick::Choice(k) | Pick::Other(k) => k.as_str(),
                    })
                    .collect();
                parts.join(&MULTI_SEPARATOR.to_string())
            }
            // f64's Display is the shortest text that parses back to the same value.
            Answer::Number(x) => x.to_string(),
        }
    }

    /// Whether `answer` is a valid answer to `item` (type, range, choices, `max`).
    pub fn check_answer(&self, item: &Item, answer: &Answer) -> Result<(), String> {
        let kind = item.kind.type_name();
        match (&item.kind, answer) {
            (ItemKind::Scale { scale }, Answer::Scale(v)) => {
                let s = self.scales.get(scale).ok_or_else(|| format!("unknown scale `{scale}`"))?;
                if s.point(*v).is_none() {
                    let values: Vec<String> = s.points.iter().map(|p| p.value.to_string()).collect();
                    return Err(format!(
                        "{v} is not a value of scale `{scale}` ({}){}",
                        values.join(", "),
                        dont_know_hint(s.dont_know.as_deref())
                    ));
                }
            }
            (ItemKind::Scale { scale }, Answer::DontKnow) => {
                if self.scales.get(scale).is_none_or(|s| s.dont_know.is_none()) {
                    return Err(format!("scale `{scale}` has no don't-know answer"));
                }
            }
            (ItemKind::Nps, Answer::Scale(v)) if !(0..=10).contains(v) => {
                return Err(format!("{v} is outside 0–10"));
            }
            (ItemKind::Nps, Answer::Scale(_)) => {}
            (ItemKind::Single { .. }, Answer::Choice(k)) => check_key(item, k)?,
            (ItemKind::Single { other, .. }, Answer::Other(_)) if !*other => {
                return Err(format!("`{}` takes no \"Other\" answers", item.id));
            }
            (ItemKind::Single { .. }, Answer::Other(_)) => {}
            (ItemKind::Multi { other, max, .. }, Answer::Multi(picks)) => {
                for (i, p) in picks.iter().enumerate() {
                    match p {
                        Pick::Choice(k) => check_key(item, k)?,
                        Pick::Other(_) if !*other => {
                            return Err(format!("`{}` takes no \"Other\" answers", item.id));
                        }
                        Pick::Other(_) => {}
                    }
                    if picks[..i].contains(p) {
                        let (Pick::Choice(k) | Pick::Other(k)) = p;
                        return Err(format!("'{k}' is chosen twice"));
                    }
                }
                if let Some(max) = max.filter(|m| picks.len() > *m) {
                    return Err(format!("{} options chosen; at most {max} allowed", picks.len()));
                }
            }
            (ItemKind::Number { min, max, integer }, Answer::Number(x)) => {
                if *integer && x.fract() != 0.0 {
                    return Err(format!("{x} is not a whole number"));
                }
                if min.is_some_and(|m| *x < m) || max.is_some_and(|m| *x > m) {
                    return Err(format!("{x} is outside {}", range_text(*min, *max)));
                }
            }
            (ItemKind::Text, Answer::Text(_)) => {}
            (_, other) => return Err(format!("a {kind} item cannot take {}", answer_kind(other))),
        }
        Ok(())
    }
}

/// A single-choice reading of `text`: a known choice, else "Other" text if allowed.
fn pick_answer(item: &Item, text: &str) -> Result<Answer, String> {
    if let Some(c) = item.find_choice(text) {
        return Ok(Answer::Choice(c.key().to_string()));
    }
    if item.allows_other() {
        return Ok(Answer::Other(text.to_string()));
    }
    let keys: Vec<&str> = item.choices().iter().map(|c| c.key()).collect();
    Err(format!("'{text}' is not one of: {}", keys.join(", ")))
}

fn check_key(item: &Item, key: &str) -> Result<(), String> {
    if item.choices().iter().any(|c| c.key() == key) {
        Ok(())
    } else {
        Err(format!("'{key}' is not a choice of `{}`", item.id))
    }
}

fn dont_know_hint(dont_know: Option<&str>) -> String {
    dont_know.map(|dk| format!(" or '{dk}'")).unwrap_or_default()
}

fn range_text(min: Option<f64>, max: Option<f64>) -> String {
    match (min, max) {
        (Some(a), Some(b)) => format!("{a}–{b}"),
        (Some(a), None) => format!("≥ {a}"),
        (None, Some(b)) => format!("≤ {b}"),
        (None, None) => "any".into(),
    }
}

fn answer_kind(a: &Answer) -> &'static str {
    match a {
        Answer::Scale(_) => "a scale value",
        Answer::DontKnow => "a don't-know answer",
        Answer::Choice(_) => "a choice",
        Answer::Other(_) => "an \"Other\" text",
        Answer::Multi(_) => "several choices",
        Answer::Number(_) => "a number",
        Answer::Text(_) => "free text",
    }
}
