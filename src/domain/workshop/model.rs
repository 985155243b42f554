//! The values a running workshop is made of. They are plain data: every change goes
//! through `Workshop::apply` (engine.rs), which keeps the invariants.

use std::collections::BTreeMap;

use chrono::{NaiveDate, NaiveDateTime};
use serde::{Deserialize, Serialize};

use super::template::PhaseSpec;
use super::timing::Clock;
use crate::domain::Id;
use crate::domain::impact::NodeId;
use crate::domain::survey::{Answer, Survey};

/// Who a participant is to the workshop: an opaque key (an SSH key fingerprint maps
/// to one), never a name. Reports cite people by role and organisation type only.
pub type ParticipantId = String;
/// Item, cluster and action ids count from 1 and are never reused, even after an
/// undo, because evidence links (`EvidenceRef::Workshop`) point at them.
pub type ItemId = u32;
pub type ClusterId = u32;
pub type ActionId = u32;

/// Who sends a command.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Actor {
    Facilitator,
    Participant(ParticipantId),
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Participant {
    pub id: ParticipantId,
    /// E.g. "organiser", "TE office", "provider", "partner", "client".
    pub role: String,
    /// E.g. "TE office", "Municipality", "Company", "Service provider": tallies break
    /// down by it, because results differ sharply between organisation types.
    pub org_type: String,
    pub joined_at: NaiveDateTime,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum PhaseStatus {
    Pending,
    Running,
    Paused,
    Done,
}

impl PhaseStatus {
    /// Running or paused: the phase accepts input (a pause stops the clock, not the room).
    pub fn is_open(self) -> bool {
        matches!(self, PhaseStatus::Running | PhaseStatus::Paused)
    }

    pub fn label(self) -> &'static str {
        match self {
            PhaseStatus::Pending => "pending",
            PhaseStatus::Running => "running",
            PhaseStatus::Paused => "paused",
            PhaseStatus::Done => "done",
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum ReactionKind {
    Agree,
    Add,
    Challenge,
}

impl ReactionKind {
    pub const ALL: [ReactionKind; 3] = [ReactionKind::Agree, ReactionKind::Add, ReactionKind::Challenge];

    pub fn label(self) -> &'static str {
        match self {
            ReactionKind::Agree => "agree",
            ReactionKind::Add => "add",
            ReactionKind::Challenge => "challenge",
        }
    }
}

/// Reactions counted per kind.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ReactionCounts {
    pub agree: u32,
    pub add: u32,
    pub challenge: u32,
}

impl ReactionCounts {
    pub fn get(&self, kind: ReactionKind) -> u32 {
        match kind {
            ReactionKind::Agree => self.agree,
            ReactionKind::Add => self.add,
            ReactionKind::Challenge => self.challenge,
        }
    }

    pub fn get_mut(&mut self, kind: ReactionKind) -> &mut u32 {
        match kind {
            ReactionKind::Agree => &mut self.agree,
            ReactionKind::Add => &mut self.add,
            ReactionKind::Challenge => &mut self.challenge,
        }
    }

    pub fn total(&self) -> u32 {
        self.agree + self.add + self.challenge
    }

    pub fn is_zero(&self) -> bool {
        self.total() == 0
    }
}

/// What became of an item (a sticky note, a comment, a highlight): recorded so the
/// people who gave input can later see whether it was considered.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Fate {
    #[default]
    Kept,
    MergedInto(ItemId),
    Parked,
    Action(ActionId),
}

impl Fate {
    pub fn is_kept(&self) -> bool {
        matches!(self, Fate::Kept)
    }
}

/// What an item or a phase's result can be evidence for.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "kebab-case")]
pub enum LinkTarget {
    Objective { objective: Id },
    Lesson { objective: Id, lesson: u32 },
    MapNode { pilot: Id, node: NodeId },
}

impl LinkTarget {
    pub fn label(&self) -> String {
        match self {
            LinkTarget::Objective { objective } => format!("objective {objective}"),
            LinkTarget::Lesson { objective, lesson } => format!("lesson {objective}.{lesson}"),
            LinkTarget::MapNode { pilot, node } => format!("map node {pilot}/{node}"),
        }
    }
}

/// The thing being linked: one captured item, or the whole result of a phase.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum LinkSubject {
    Item(ItemId),
    /// 0-based phase index.
    Result(usize),
}

fn is_default<T: Default + PartialEq>(v: &T) -> bool {
    *v == T::default()
}

/// Anything captured: a presented highlight, a sticky note, a comment on a highlight,
/// a rank option.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Item {
    pub id: ItemId,
    /// 0-based index of the phase it was captured in.
    pub phase: usize,
    pub text: String,
    /// `None`: the facilitator (typing for the room, or from the template).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub author: Option<ParticipantId>,
    pub created_at: NaiveDateTime,
    /// For a comment: the presented item it reacts to, and how.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub about: Option<(ItemId, ReactionKind)>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub cluster: Option<ClusterId>,
    #[serde(default, skip_serializing_if = "is_default")]
    pub fate: Fate,
    /// Present phases: each participant's latest reaction.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub reactions: BTreeMap<ParticipantId, ReactionKind>,
    /// Present phases: raised hands the facilitator counted for the room.
    #[serde(default, skip_serializing_if = "is_default")]
    pub room_reactions: ReactionCounts,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub links: Vec<LinkTarget>,
}

impl Item {
    /// "#7 Trust first", for messages and lists.
    pub fn label(&self) -> String {
        format!("#{} {}", self.id, short(&self.text))
    }

    /// Reactions of participants and the room together.
    pub fn reaction_counts(&self) -> ReactionCounts {
        let mut counts = self.room_reactions;
        for kind in self.reactions.values() {
            *counts.get_mut(*kind) += 1;
        }
        counts
    }
}

/// At most 40 characters, cut at a character boundary, for one-line labels.
pub(crate) fn short(text: &str) -> String {
    const MAX: usize = 40;
    if text.chars().count() <= MAX {
        text.to_string()
    } else {
        let cut: String = text.chars().take(MAX - 1).collect();
        format!("{}…", cut.trim_end())
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Cluster {
    pub id: ClusterId,
    pub name: String,
    /// The phase it was made in.
    pub phase: usize,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum ActionStatus {
    #[default]
    Open,
    Doing,
    Done,
    Dropped,
}

impl ActionStatus {
    pub fn label(self) -> &'static str {
        match self {
            ActionStatus::Open => "open",
            ActionStatus::Doing => "doing",
            ActionStatus::Done => "done",
            ActionStatus::Dropped => "dropped",
        }
    }
}

/// An agreed follow-up action.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct FollowUp {
    pub id: ActionId,
    pub text: String,
    /// A role or organisation ("TE office Uusimaa", "pilot manager"), not a person.
    pub owner: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub due: Option<NaiveDate>,
    #[serde(default, skip_serializing_if = "is_default")]
    pub status: ActionStatus,
    pub phase: usize,
    /// The item it was turned from (whose fate then points back here).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub from_item: Option<ItemId>,
    pub created_at: NaiveDateTime,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Note {
    pub at: NaiveDateTime,
    pub text: String,
}

/// One participant's dots on one item in one dot-vote phase.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Ballot {
    pub voter: ParticipantId,
    pub item: ItemId,
    pub dots: u32,
    /// Most Significant Change rounds: why this story matters most to the voter.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reason: Option<String>,
}

/// A phase as it runs: the spec copied from the template, plus everything captured
/// in it that belongs to no single item.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PhaseRun {
    pub spec: PhaseSpec,
    pub status: PhaseStatus,
    #[serde(default, skip_serializing_if = "is_default")]
    pub clock: Clock,
    /// Whether participants may see the tally (the facilitator always can).
    pub visible: bool,
    /// Present phases: index (into the phase's presented items) shown now, and how
    /// many have been shown so far (participants may react to those only).
    #[serde(default, skip_serializing_if = "is_default")]
    pub focus: usize,
    #[serde(default, skip_serializing_if = "is_default")]
    pub shown: usize,
    /// Scale polls: the asked items (and the scales they use), copied from the survey
    /// so the results stay readable even if the instrument changes later.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub poll: Option<Survey>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub ballots: Vec<Ballot>,
    /// Dots counted by the facilitator from raised hands.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub room_dots: BTreeMap<ItemId, u32>,
    /// Scale polls: participant → survey item id → answer (the latest counts).
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub answers: BTreeMap<ParticipantId, BTreeMap<String, Answer>>,
    /// Scale polls: answers the facilitator entered for the room, one per person.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub room_answers: Vec<(String, Answer)>,
    /// Rank phases: participant → items, most important first.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub rankings: BTreeMap<ParticipantId, Vec<ItemId>>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub notes: Vec<Note>,
    /// Evidence links of the phase's result as a whole.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub links: Vec<LinkTarget>,
}

impl PhaseRun {
    pub fn new(spec: PhaseSpec, poll: Option<Survey>) -> PhaseRun {
        let visible = match &spec.kind {
            super::template::PhaseKind::DotVote(rules) => !rules.hidden,
            _ => true,
        };
        PhaseRun {
            spec,
            status: PhaseStatus::Pending,
            clock: Clock::default(),
            visible,
            focus: 0,
            shown: 0,
            poll,
            ballots: Vec::new(),
            room_dots: BTreeMap::new(),
            answers: BTreeMap::new(),
            room_answers: Vec::new(),
            rankings: BTreeMap::new(),
            notes: Vec::new(),
            links: Vec::new(),
        }
    }

    /// Dots `voter` has placed in this phase.
    pub fn dots_used(&self, voter: &str) -> u32 {
        self.ballots.iter().filter(|b| b.voter == voter).map(|b| b.dots).sum()
    }

    /// Dots `voter` has placed on `item` in this phase.
    pub fn dots_on(&self, voter: &str, item: ItemId) -> u32 {
        self.ballots.iter().find(|b| b.voter == voter && b.item == item).map_or(0, |b| b.dots)
    }
}
