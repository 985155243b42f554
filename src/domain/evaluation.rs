use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use super::Change;

/// The portfolio evaluation a team was commissioned to run.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Evaluation {
    pub title: String,
    pub commissioner: String,
    #[serde(default)]
    pub evaluators: Vec<String>,
    pub main_question: String,
    #[serde(default)]
    pub sub_questions: Vec<String>,
    /// The cross-pilot themes codebook used to organise findings.
    #[serde(default)]
    pub themes: Vec<String>,
    #[serde(default)]
    pub phases: Vec<Phase>,
    /// The impact-logic layers, left to right.
    #[serde(default = "default_layers")]
    pub layers: Vec<String>,
    /// Index of the first layer whose nodes count as results (outcomes).
    #[serde(default = "default_results_from")]
    pub results_from: usize,
    /// Interviewee roles, interview rounds and organisation types: lists the team edits.
    #[serde(default = "default_roles")]
    pub roles: Vec<String>,
    #[serde(default = "default_rounds")]
    pub rounds: Vec<String>,
    #[serde(default = "default_org_types")]
    pub org_types: Vec<String>,
}

fn strings(list: &[&str]) -> Vec<String> {
    list.iter().map(|s| s.to_string()).collect()
}

fn default_roles() -> Vec<String> {
    strings(&["organiser", "TE office", "service provider", "partner", "client", "other"])
}

fn default_rounds() -> Vec<String> {
    strings(&["initial", "mid", "final"])
}

fn default_org_types() -> Vec<String> {
    strings(&["TE office", "municipality", "company", "service provider", "Kela", "education", "NGO", "other"])
}

fn default_layers() -> Vec<String> {
    super::impact::DEFAULT_LAYERS.iter().map(|s| s.to_string()).collect()
}

fn default_results_from() -> usize {
    super::impact::DEFAULT_RESULTS_FROM
}

impl Default for Evaluation {
    fn default() -> Self {
        Evaluation {
            title: String::new(),
            commissioner: String::new(),
            evaluators: vec![],
            main_question: String::new(),
            sub_questions: vec![],
            themes: vec![],
            phases: vec![],
            layers: default_layers(),
            results_from: default_results_from(),
            roles: default_roles(),
            rounds: default_rounds(),
            org_types: default_org_types(),
        }
    }
}

/// One phase of the evaluation plan, agreed and revised with the commissioner.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Phase {
    pub name: String,
    pub start: NaiveDate,
    pub end: NaiveDate,
}

/// The attributes editable one at a time. Lists are typed separated by `;`, since
/// questions and themes may themselves contain commas.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum EvaluationField {
    Title,
    Commissioner,
    Evaluators,
    MainQuestion,
    SubQuestions,
    Themes,
    Layers,
    Roles,
    Rounds,
    OrgTypes,
}

impl EvaluationField {
    pub const ALL: &'static [EvaluationField] = &[
        Self::Title,
        Self::Commissioner,
        Self::Evaluators,
        Self::MainQuestion,
        Self::SubQuestions,
        Self::Themes,
        Self::Layers,
        Self::Roles,
        Self::Rounds,
        Self::OrgTypes,
    ];

    pub fn key(self) -> &'static str {
        match self {
            Self::Title => "title",
            Self::Commissioner => "commissioner",
            Self::Evaluators => "evaluators",
            Self::MainQuestion => "main-question",
            Self::SubQuestions => "sub-questions",
            Self::Themes => "themes",
            Self::Layers => "layers",
            Self::Roles => "roles",
            Self::Rounds => "rounds",
            Self::OrgTypes => "org-types",
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            Self::Title => "Title",
            Self::Commissioner => "Commissioner",
            Self::Evaluators => "Evaluator team",
            Self::MainQuestion => "Main question",
            Self::SubQuestions => "Sub-questions",
            Self::Themes => "Themes",
            Self::Layers => "Impact-logic layers",
            Self::Roles => "Interviewee roles",
            Self::Rounds => "Interview rounds",
            Self::OrgTypes => "Organisation types",
        }
    }

    pub fn hint(self) -> &'static str {
        match self {
            Self::Evaluators | Self::SubQuestions | Self::Themes | Self::Roles | Self::Rounds | Self::OrgTypes => {
                "separate entries with ;"
            }
            Self::Layers => "left to right, separated by ; — rename freely, add at the end",
            Self::Title => "required",
            _ => "",
        }
    }

    pub fn from_key(key: &str) -> Option<Self> {
        Self::ALL.iter().copied().find(|f| f.key() == key.trim())
    }
}

impl Evaluation {
    pub fn field_text(&self, field: EvaluationField) -> String {
        match field {
            EvaluationField::Title => self.title.clone(),
            EvaluationField::Commissioner => self.commissioner.clone(),
            EvaluationField::Evaluators => self.evaluators.join("; "),
            EvaluationField::MainQuestion => self.main_question.clone(),
            EvaluationField::SubQuestions => self.sub_questions.join("; "),
            EvaluationField::Themes => self.themes.join("; "),
            EvaluationField::Layers => self.layers.join("; "),
            EvaluationField::Roles => self.roles.join("; "),
            EvaluationField::Rounds => self.rounds.join("; "),
            EvaluationField::OrgTypes => self.org_types.join("; "),
        }
    }

    /// Refuses layer settings that would orphan nodes: `in_use` is the highest layer
    /// index any map uses.
    pub fn check_layers(&self, in_use: Option<usize>) -> Result<(), String> {
        match in_use {
            Some(layer) if layer >= self.layers.len() => Err(format!(
                "Impact-logic layers: maps have nodes in layer {} ('{}'); keep at least {} layers",
                layer + 1,
                self.layers.last().map_or("", String::as_str),
                layer + 1
            )),
            _ => Ok(()),
        }
    }

    /// Sets one field from user text; returns the change, or `None` if nothing changed.
    pub fn set_field(&mut self, field: EvaluationField, text: &str) -> Result<Option<Change>, String> {
        let old = self.field_text(field);
        let text = text.trim();
        let list = || text.split(';').map(str::trim).filter(|s| !s.is_empty()).map(String::from).collect();
        match field {
            EvaluationField::Title if text.is_empty() => return Err("an evaluation needs a title".into()),
            EvaluationField::Title => self.title = text.into(),
            EvaluationField::Commissioner => self.commissioner = text.into(),
            EvaluationField::Evaluators => self.evaluators = list(),
            EvaluationField::MainQuestion => self.main_question = text.into(),
            EvaluationField::SubQuestions => self.sub_questions = list(),
            EvaluationField::Themes => self.themes = list(),
            EvaluationField::Layers => {
                let layers: Vec<String> = list();
                if layers.len() < 2 {
                    return Err("an impact logic needs at least two layers".into());
                }
                self.results_from = self.results_from.min(layers.len() - 1);
                self.layers = layers;
            }
            EvaluationField::Roles => self.roles = list(),
            EvaluationField::Rounds => self.rounds = list(),
            EvaluationField::OrgTypes => self.org_types = list(),
        }
        let new = self.field_text(field);
        Ok((new != old).then(|| Change { field: field.key().into(), old, new }))
    }

    /// The phase running on `today`; before the first phase, the first one; after the
    /// last, the last one (an evaluation that ran late is still in its final phase).
    pub fn phase_on(&self, today: NaiveDate) -> Option<&Phase> {
        self.phases.iter().find(|p| p.start <= today && today <= p.end).or_else(|| {
            if self.phases.first().is_some_and(|p| today < p.start) {
                self.phases.first()
            } else {
                self.phases.iter().rev().find(|p| p.end < today)
            }
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> NaiveDate {
        s.parse().unwrap()
    }

    fn eval() -> Evaluation {
        Evaluation {
            phases: vec![
                Phase { name: "Kick-off".into(), start: d("2019-03-01"), end: d("2019-05-31") },
                Phase { name: "Interviews".into(), start: d("2019-06-01"), end: d("2019-12-31") },
            ],
            ..Default::default()
        }
    }

    #[test]
    fn phase_on_finds_running_phase() {
        assert_eq!(eval().phase_on(d("2019-07-01")).unwrap().name, "Interviews");
    }

    #[test]
    fn phase_before_start_is_first_and_after_end_is_last() {
        assert_eq!(eval().phase_on(d("2018-01-01")).unwrap().name, "Kick-off");
        assert_eq!(eval().phase_on(d("2021-01-01")).unwrap().name, "Interviews");
    }

    #[test]
    fn list_fields_split_on_semicolons() {
        let mut e = eval();
        let change = e.set_field(EvaluationField::Themes, "Trust; ; Purchasing, procurement").unwrap().unwrap();
        assert_eq!(e.themes, vec!["Trust", "Purchasing, procurement"]);
        assert_eq!(change.new, "Trust; Purchasing, procurement");
        assert!(e.set_field(EvaluationField::Title, " ").is_err());
    }

    #[test]
    fn no_phases_no_phase() {
        assert!(Evaluation::default().phase_on(d("2020-01-01")).is_none());
    }
}
