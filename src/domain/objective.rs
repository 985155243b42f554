//! Learning objectives: the questions a pilot wants answered, and the lessons learned.

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use super::Id;
use super::evidence::EvidenceRef;
use super::impact::{LinkId, NodeId};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum ObjectiveStatus {
    Open,
    Answering,
    Answered,
    Dropped,
}

impl ObjectiveStatus {
    pub const ALL: [ObjectiveStatus; 4] =
        [ObjectiveStatus::Open, ObjectiveStatus::Answering, ObjectiveStatus::Answered, ObjectiveStatus::Dropped];

    pub fn label(self) -> &'static str {
        match self {
            ObjectiveStatus::Open => "open",
            ObjectiveStatus::Answering => "answering",
            ObjectiveStatus::Answered => "answered",
            ObjectiveStatus::Dropped => "dropped",
        }
    }

    pub fn parse(text: &str) -> Result<ObjectiveStatus, String> {
        let t = text.trim().to_lowercase();
        ObjectiveStatus::ALL
            .into_iter()
            .find(|s| s.label() == t)
            .ok_or_else(|| format!("'{}' is not a status: open, answering, answered, dropped", text.trim()))
    }
}

/// The part of a pilot's impact map an objective is about.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(tag = "kind", content = "id", rename_all = "kebab-case")]
pub enum MapTarget {
    Node(NodeId),
    Link(LinkId),
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Lesson {
    pub id: u32,
    pub statement: String,
    pub date: NaiveDate,
    #[serde(default)]
    pub evidence: Vec<EvidenceRef>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Objective {
    pub id: Id,
    pub pilot: Id,
    /// "How is customer-centricity realised as a principle, and what are its effects?"
    pub question: String,
    /// A theme from the evaluation's codebook; empty when not yet themed.
    #[serde(default)]
    pub theme: String,
    #[serde(default)]
    pub targets: Vec<MapTarget>,
    pub status: ObjectiveStatus,
    #[serde(default)]
    pub lessons: Vec<Lesson>,
}

impl Objective {
    pub fn new(id: Id, pilot: &str, question: &str, theme: &str) -> Result<Objective, String> {
        let question = question.trim();
        if question.is_empty() {
            return Err("a learning objective needs a question".into());
        }
        Ok(Objective {
            id,
            pilot: pilot.into(),
            question: question.into(),
            theme: theme.trim().into(),
            targets: vec![],
            status: ObjectiveStatus::Open,
            lessons: vec![],
        })
    }

    /// Records a lesson; an open objective moves to "answering" since it now has one.
    pub fn add_lesson(&mut self, statement: &str, date: NaiveDate, evidence: Vec<EvidenceRef>) -> Result<u32, String> {
        let statement = statement.trim();
        if statement.is_empty() {
            return Err("a lesson needs a statement".into());
        }
        let id = self.lessons.iter().map(|l| l.id).max().unwrap_or(0) + 1;
        self.lessons.push(Lesson { id, statement: statement.into(), date, evidence });
        if self.status == ObjectiveStatus::Open {
            self.status = ObjectiveStatus::Answering;
        }
        Ok(id)
    }
}

/// Objectives grouped by theme, themes in codebook order, unthemed last.
pub fn by_theme<'a>(objectives: &'a [Objective], themes: &[String]) -> Vec<(String, Vec<&'a Objective>)> {
    let mut groups: Vec<(String, Vec<&Objective>)> = themes.iter().map(|t| (t.clone(), vec![])).collect();
    let mut other: Vec<&Objective> = vec![];
    for o in objectives {
        match groups.iter_mut().find(|(t, _)| t.eq_ignore_ascii_case(&o.theme)) {
            Some((_, list)) => list.push(o),
            None => other.push(o),
        }
    }
    groups.retain(|(_, list)| !list.is_empty());
    if !other.is_empty() {
        groups.push(("(no theme)".into(), other));
    }
    groups
}

#[cfg(test)]
mod tests {
    use super::*;

    fn day() -> NaiveDate {
        NaiveDate::from_ymd_opt(2020, 5, 1).unwrap()
    }

    #[test]
    fn first_lesson_moves_open_to_answering() {
        let mut o =
            Objective::new("o1".into(), "p2", "How is customer-centricity realised?", "Customer-centricity").unwrap();
        let id = o.add_lesson("Weekly contact builds trust", day(), vec![]).unwrap();
        assert_eq!(id, 1);
        assert_eq!(o.status, ObjectiveStatus::Answering);
        assert!(o.add_lesson("  ", day(), vec![]).is_err());
    }

    #[test]
    fn grouped_by_codebook_theme_with_unthemed_last() {
        let themes = vec!["Customer-centricity".to_string(), "Results-based procurement".to_string()];
        let a = Objective::new("o1".into(), "p1", "Q1", "results-based procurement").unwrap();
        let b = Objective::new("o2".into(), "p2", "Q2", "").unwrap();
        let objs = vec![a, b];
        let groups = by_theme(&objs, &themes);
        assert_eq!(groups.len(), 2);
        assert_eq!(groups[0].0, "Results-based procurement");
        assert_eq!(groups[1].0, "(no theme)");
    }
}
