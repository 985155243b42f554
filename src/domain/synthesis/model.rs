//! The records of a synthesis. Everything links by stable id, never by position, so
//! reordering recommendations or rewriting a finding never breaks a citation.

use std::collections::BTreeMap;

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use crate::domain::Id;
use crate::domain::evidence::EvidenceRef;

/// How far a finding reaches: the reports kept lessons of one pilot apart from what
/// holds for employment services nationally.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Scope {
    /// True of one pilot (its id).
    Local(Id),
    National,
}

impl Scope {
    pub fn label(&self) -> String {
        match self {
            Scope::Local(pilot) => format!("local ({pilot})"),
            Scope::National => "national".into(),
        }
    }
}

/// Whose conclusion this is. The evaluators' judgement and the pilots' own account of
/// themselves must stay apart (requirement 8): readers weigh them differently.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Voice {
    Evaluator,
    Pilots,
}

impl Voice {
    pub fn label(self) -> &'static str {
        match self {
            Voice::Evaluator => "evaluator's conclusion",
            Voice::Pilots => "pilots' own view",
        }
    }
}

/// One finding, written What? / So what? / Now what?.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Finding {
    /// Stable, never reused: `f3`.
    pub id: Id,
    /// A codebook slug: findings are organised by cross-pilot theme.
    pub theme: String,
    /// What we saw.
    pub what: String,
    /// What it means.
    #[serde(default)]
    pub so_what: String,
    /// What follows.
    #[serde(default)]
    pub now_what: String,
    /// Kept in the order added; duplicates are refused.
    #[serde(default)]
    pub evidence: Vec<EvidenceRef>,
    pub scope: Scope,
    pub voice: Voice,
    /// Pilots used as examples (the reports illustrate themes with pilots, never rank them).
    #[serde(default)]
    pub pilots: Vec<Id>,
}

/// The editable text of a finding: editing replaces these and keeps id and evidence.
#[derive(Debug, Clone, PartialEq)]
pub struct FindingDraft {
    pub theme: String,
    pub what: String,
    pub so_what: String,
    pub now_what: String,
    pub scope: Scope,
    pub voice: Voice,
    pub pilots: Vec<Id>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Priority {
    High,
    Medium,
    Low,
}

impl Priority {
    pub const ALL: [Priority; 3] = [Priority::High, Priority::Medium, Priority::Low];

    pub fn label(self) -> &'static str {
        match self {
            Priority::High => "high",
            Priority::Medium => "medium",
            Priority::Low => "low",
        }
    }

    pub fn parse(text: &str) -> Result<Priority, String> {
        let t = text.trim().to_lowercase();
        Priority::ALL
            .into_iter()
            .find(|p| p.label() == t)
            .ok_or_else(|| format!("'{}' is not a priority: high, medium or low", text.trim()))
    }
}

/// Where a follow-up action stands. Tracked after the report is out: the reports'
/// recommendations had no owner and nobody learned what became of them.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum ActionStatus {
    #[default]
    Open,
    InProgress,
    Done,
    Dropped,
}

impl ActionStatus {
    pub const ALL: [ActionStatus; 4] =
        [ActionStatus::Open, ActionStatus::InProgress, ActionStatus::Done, ActionStatus::Dropped];

    pub fn label(self) -> &'static str {
        match self {
            ActionStatus::Open => "open",
            ActionStatus::InProgress => "in progress",
            ActionStatus::Done => "done",
            ActionStatus::Dropped => "dropped",
        }
    }

    pub fn parse(text: &str) -> Result<ActionStatus, String> {
        let t = text.trim().to_lowercase().replace('-', " ");
        ActionStatus::ALL
            .into_iter()
            .find(|s| s.label() == t)
            .ok_or_else(|| format!("'{}' is not a status: open, in progress, done, dropped", text.trim()))
    }

    /// Still needs someone to act.
    pub fn is_pending(self) -> bool {
        matches!(self, ActionStatus::Open | ActionStatus::InProgress)
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct FollowUpAction {
    /// Stable, never reused: `a9`.
    pub id: Id,
    /// What is to be done.
    pub text: String,
    /// A role or organisation, not a person.
    pub owner: String,
    #[serde(default)]
    pub due: Option<NaiveDate>,
    #[serde(default)]
    pub status: ActionStatus,
    /// Progress notes added while tracking.
    #[serde(default)]
    pub note: String,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Recommendation {
    /// Stable, never reused: `r2`. Not the number printed in the report, which follows
    /// the recommendation's position (see [`super::Synthesis::numbered`]).
    pub id: Id,
    pub text: String,
    #[serde(default)]
    pub rationale: String,
    /// Finding ids; a finding cited here cannot be removed.
    #[serde(default)]
    pub findings: Vec<Id>,
    /// Who should act: "Ministry", "TE offices", "pilot organisers".
    #[serde(default)]
    pub addressee: String,
    pub priority: Priority,
    #[serde(default)]
    pub actions: Vec<FollowUpAction>,
}

/// The editable part of a recommendation; editing keeps id, position and actions.
#[derive(Debug, Clone, PartialEq)]
pub struct RecommendationDraft {
    pub text: String,
    pub rationale: String,
    pub findings: Vec<Id>,
    pub addressee: String,
    pub priority: Priority,
}

/// Which evaluation question a conclusion answers. Sub-questions by index into the
/// evaluation's list; an index past its end is reported, not dropped.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum QuestionRef {
    Main,
    Sub(usize),
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Conclusion {
    /// Stable, never reused: `c4`.
    pub id: Id,
    pub question: QuestionRef,
    pub text: String,
    /// Finding ids; a finding cited here cannot be removed.
    #[serde(default)]
    pub findings: Vec<Id>,
}

/// The whole synthesis, kept by the store as one record.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Synthesis {
    /// Grouped by theme when shown; within a theme, in this order.
    #[serde(default)]
    pub findings: Vec<Finding>,
    /// In report order: the position gives the printed number.
    #[serde(default)]
    pub recommendations: Vec<Recommendation>,
    #[serde(default)]
    pub conclusions: Vec<Conclusion>,
    /// How many were invited to each survey (by survey id), for response rates. A fact
    /// of this evaluation's fieldwork, not of the instrument: the same survey file can
    /// be sent to a different number of people elsewhere.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub invited: BTreeMap<String, u64>,
    /// One counter for findings, recommendations, conclusions and actions; never goes
    /// back, so a removed record's id is never handed out again.
    #[serde(default = "first_id")]
    pub next_id: u32,
}

fn first_id() -> u32 {
    1
}

impl Default for Synthesis {
    fn default() -> Self {
        Synthesis {
            findings: vec![],
            recommendations: vec![],
            conclusions: vec![],
            invited: BTreeMap::new(),
            next_id: first_id(),
        }
    }
}

impl Synthesis {
    pub fn new() -> Synthesis {
        Synthesis::default()
    }

    /// Records how many were invited to a survey (`None` forgets it). Nobody invited is
    /// not a count a response rate can be computed from, and fewer invited than answered
    /// is a typo, so both are refused.
    pub fn set_invited(&mut self, survey: &str, invited: Option<u64>, respondents: u64) -> Result<(), String> {
        let survey = survey.trim();
        if survey.is_empty() {
            return Err("which survey? give its id".into());
        }
        match invited {
            None => {
                self.invited.remove(survey);
            }
            Some(0) => return Err("0 invited: leave it unset instead (--clear)".into()),
            Some(n) if n < respondents => {
                return Err(format!(
                    "{n} invited, but {respondents} answered {survey}: more answered than were invited"
                ));
            }
            Some(n) => {
                self.invited.insert(survey.into(), n);
            }
        }
        Ok(())
    }

    /// Takes the next id with `prefix`. Skips ids already present, so a record edited by
    /// hand (a counter set too low) still cannot make two records share an id.
    pub(super) fn take_id(&mut self, prefix: &str) -> Id {
        loop {
            let id = format!("{prefix}{}", self.next_id);
            self.next_id += 1;
            if !self.id_in_use(&id) {
                return id;
            }
        }
    }

    fn id_in_use(&self, id: &str) -> bool {
        self.findings.iter().any(|f| f.id == id)
            || self.conclusions.iter().any(|c| c.id == id)
            || self.recommendations.iter().any(|r| r.id == id || r.actions.iter().any(|a| a.id == id))
    }

    pub fn finding(&self, id: &str) -> Option<&Finding> {
        self.findings.iter().find(|f| f.id == id)
    }

    pub fn recommendation(&self, id: &str) -> Option<&Recommendation> {
        self.recommendations.iter().find(|r| r.id == id)
    }

    pub fn conclusion(&self, id: &str) -> Option<&Conclusion> {
        self.conclusions.iter().find(|c| c.id == id)
    }

    pub(super) fn finding_mut(&mut self, id: &str) -> Result<&mut Finding, String> {
        self.findings.iter_mut().find(|f| f.id == id).ok_or_else(|| format!("no finding {id}"))
    }

    pub(super) fn recommendation_mut(&mut self, id: &str) -> Result<&mut Recommendation, String> {
        self.recommendations.iter_mut().find(|r| r.id == id).ok_or_else(|| format!("no recommendation {id}"))
    }

    pub(super) fn conclusion_mut(&mut self, id: &str) -> Result<&mut Conclusion, String> {
        self.conclusions.iter_mut().find(|c| c.id == id).ok_or_else(|| format!("no conclusion {id}"))
    }

    /// Refuses finding lists that cite unknown findings or one finding twice.
    pub(super) fn check_finding_links(&self, findings: &[Id]) -> Result<(), String> {
        for (i, f) in findings.iter().enumerate() {
            if self.finding(f).is_none() {
                return Err(format!("no finding {f}"));
            }
            if findings[..i].contains(f) {
                return Err(format!("finding {f} is listed twice"));
            }
        }
        Ok(())
    }
}
