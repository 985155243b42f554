//! Workshop templates: an ordered agenda of timed phases, each of one kind with the
//! settings that only make sense for it. Read from `surveys/workshops/*.toml` by
//! [`WorkshopTemplate::parse`] (in `template_load.rs`); a [`Workshop`] copies the
//! phases when it is created, so editing a template never changes a past workshop.
//!
//! [`Workshop`]: super::Workshop

use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct WorkshopTemplate {
    /// Unique; letters, digits and '-' (by convention the file name without `.toml`).
    pub name: String,
    pub title: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    pub phases: Vec<PhaseSpec>,
}

/// One step of the agenda.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PhaseSpec {
    pub title: String,
    /// Shown to everyone while the phase runs: the question the room works on.
    pub prompt: String,
    /// Planned duration. The countdown may run past it: overrun is shown, never enforced.
    pub minutes: u32,
    #[serde(flatten)]
    pub kind: PhaseKind,
}

/// What happens in a phase. The TOML `kind = "..."` value names the variant.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "kebab-case")]
pub enum PhaseKind {
    /// The facilitator steps through items one at a time; participants react to each
    /// (agree / add / challenge, with an optional short comment).
    Present {
        /// Empty: the workshop's own draft highlights are presented.
        #[serde(default, skip_serializing_if = "Vec::is_empty")]
        items: Vec<String>,
    },
    /// Silent writing: each participant adds short items (sticky notes).
    Write {
        #[serde(default, skip_serializing_if = "Option::is_none")]
        max_items_per_person: Option<u32>,
    },
    /// The facilitator groups the items captured so far and names the clusters.
    Cluster,
    DotVote(DotRules),
    /// Survey items answered live; ids are checked against the survey catalogue by
    /// the caller (see [`WorkshopTemplate::survey_refs`]).
    ScalePoll {
        survey: String,
        items: Vec<String>,
    },
    /// Participants order a short list; results by mean rank.
    Rank {
        /// Empty: rank the items captured in the nearest earlier phase that has any.
        #[serde(default, skip_serializing_if = "Vec::is_empty")]
        options: Vec<String>,
    },
    /// Agree follow-up actions with an owner and a due date.
    Actions,
    /// A timer and the facilitator's notes, nothing else.
    Discuss,
}

/// Settings of a dot vote. Defaults favour honest answers: anonymous, and hidden
/// until the facilitator reveals them, so early votes do not steer later ones.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct DotRules {
    /// Dots each participant may place.
    pub dots: u32,
    /// Most dots one participant may put on one item (≤ `dots`).
    pub max_per_item: u32,
    pub anonymous: bool,
    pub hidden: bool,
    /// Most Significant Change rounds: every dot must carry the voter's reason.
    pub reason: bool,
}

/// A reference from a scale-poll phase to a survey item.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SurveyRef<'a> {
    /// 0-based phase index.
    pub phase: usize,
    pub survey: &'a str,
    pub item: &'a str,
}

impl PhaseKind {
    /// The `kind = "..."` name.
    pub fn name(&self) -> &'static str {
        match self {
            PhaseKind::Present { .. } => "present",
            PhaseKind::Write { .. } => "write",
            PhaseKind::Cluster => "cluster",
            PhaseKind::DotVote(_) => "dot-vote",
            PhaseKind::ScalePoll { .. } => "scale-poll",
            PhaseKind::Rank { .. } => "rank",
            PhaseKind::Actions => "actions",
            PhaseKind::Discuss => "discuss",
        }
    }

    /// A label for agendas: "Dot vote".
    pub fn label(&self) -> &'static str {
        match self {
            PhaseKind::Present { .. } => "Present",
            PhaseKind::Write { .. } => "Write",
            PhaseKind::Cluster => "Cluster",
            PhaseKind::DotVote(_) => "Dot vote",
            PhaseKind::ScalePoll { .. } => "Scale poll",
            PhaseKind::Rank { .. } => "Rank",
            PhaseKind::Actions => "Actions",
            PhaseKind::Discuss => "Discuss",
        }
    }

    /// Whether participants' input in this phase is tallied (and may be hidden).
    pub fn has_tally(&self) -> bool {
        matches!(
            self,
            PhaseKind::Present { .. } | PhaseKind::DotVote(_) | PhaseKind::ScalePoll { .. } | PhaseKind::Rank { .. }
        )
    }
}

impl WorkshopTemplate {
    /// Every survey item a scale-poll phase asks, in agenda order, for the caller to
    /// check against the survey catalogue (or use [`WorkshopTemplate::parse_checked`]).
    pub fn survey_refs(&self) -> Vec<SurveyRef<'_>> {
        let mut refs = Vec::new();
        for (phase, p) in self.phases.iter().enumerate() {
            if let PhaseKind::ScalePoll { survey, items } = &p.kind {
                refs.extend(items.iter().map(|item| SurveyRef { phase, survey, item }));
            }
        }
        refs
    }

    /// Planned length of the whole agenda.
    pub fn total_minutes(&self) -> u32 {
        self.phases.iter().map(|p| p.minutes).sum()
    }
}
