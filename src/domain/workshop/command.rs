//! Everything that can change a workshop, as values. Local keys and (later) SSH
//! sessions of many participants all produce these; they may arrive in any order at
//! any time, so each input names the phase it was meant for: a vote that arrives after
//! the facilitator moved on is refused instead of landing in the wrong phase.

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use super::model::{ActionId, ActionStatus, ClusterId, ItemId, LinkSubject, LinkTarget, ParticipantId, ReactionKind};
use crate::domain::survey::Answer;

/// `phase` fields are 0-based agenda indices.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "cmd", rename_all = "kebab-case")]
pub enum WorkshopCommand {
    // --- Anyone -----------------------------------------------------------------
    /// Register (or update) a participant. A participant may only join as themselves.
    Join {
        participant: ParticipantId,
        role: String,
        org_type: String,
    },
    /// A sticky note (participants: open write phases, within their limit) or an
    /// item the facilitator types for the room (any phase, any time).
    AddItem {
        phase: usize,
        text: String,
    },
    /// A participant's answer (replacing their earlier one), or — from the
    /// facilitator — one more answer from the room (digit keys).
    Poll {
        phase: usize,
        item: String,
        answer: Answer,
    },

    // --- Participants -----------------------------------------------------------
    /// React to a presented item; a non-empty comment becomes an item of its own, so
    /// its fate can be tracked.
    React {
        phase: usize,
        item: ItemId,
        kind: ReactionKind,
        comment: Option<String>,
    },
    Dot {
        phase: usize,
        item: ItemId,
    },
    Undot {
        phase: usize,
        item: ItemId,
    },
    /// A dot with the voter's reason (required where the phase asks for reasons).
    DotWithReason {
        phase: usize,
        item: ItemId,
        reason: String,
    },
    /// The participant's full order of the phase's options, most important first.
    Rank {
        phase: usize,
        order: Vec<ItemId>,
    },

    // --- Facilitator ------------------------------------------------------------
    /// Start the current phase.
    Start,
    Pause,
    Resume,
    /// Close the current phase and start the next.
    Next,
    /// Return to the previous phase (the current one is paused, keeping its time).
    Back,
    /// Present phases: show the next / previous item.
    NextItem,
    PrevItem,
    /// Let participants see a phase's tally / hide it again.
    Reveal {
        phase: usize,
    },
    Hide {
        phase: usize,
    },
    Merge {
        from: ItemId,
        into: ItemId,
    },
    /// Undo a merge or a park: the item is kept again.
    Keep {
        item: ItemId,
    },
    Park {
        item: ItemId,
    },
    NewCluster {
        name: String,
    },
    RenameCluster {
        cluster: ClusterId,
        name: String,
    },
    /// `None` takes the item out of its cluster.
    MoveToCluster {
        item: ItemId,
        cluster: Option<ClusterId>,
    },
    /// One raised hand for the focused option: a room dot on `item` (dot votes), or a
    /// room reaction of `reaction` to `item` (present phases).
    CountHand {
        phase: usize,
        item: ItemId,
        reaction: Option<ReactionKind>,
    },
    /// With `from`, the item's fate becomes this action; an empty `text` then takes
    /// the item's text.
    AddAction {
        text: String,
        owner: String,
        due: Option<NaiveDate>,
        from: Option<ItemId>,
    },
    SetActionStatus {
        action: ActionId,
        status: ActionStatus,
    },
    /// A note on the current phase.
    Note {
        text: String,
    },
    Link {
        subject: LinkSubject,
        target: LinkTarget,
    },
    Unlink {
        subject: LinkSubject,
        target: LinkTarget,
    },
    /// Revert the last facilitator action; participants' input is never undone.
    Undo,
    /// What participants joining over SSH must give besides the room code (`None`: nothing).
    SetPassphrase {
        passphrase: Option<String>,
    },
}

/// What an applied command created, for the caller to focus or report.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Created {
    Item(ItemId),
    Cluster(ClusterId),
    Action(ActionId),
}

/// A command that took effect.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Applied {
    /// One line for a status bar: "merged #4 into #2".
    pub message: String,
    pub created: Option<Created>,
}

impl Applied {
    pub(crate) fn msg(message: impl Into<String>) -> Applied {
        Applied { message: message.into(), created: None }
    }

    pub(crate) fn with(message: impl Into<String>, created: Created) -> Applied {
        Applied { message: message.into(), created: Some(created) }
    }
}

impl WorkshopCommand {
    /// Commands only the facilitator may send.
    pub fn facilitator_only(&self) -> bool {
        use WorkshopCommand::*;
        !matches!(
            self,
            Join { .. }
                | AddItem { .. }
                | Poll { .. }
                | React { .. }
                | Dot { .. }
                | Undot { .. }
                | DotWithReason { .. }
                | Rank { .. }
        )
    }

    /// Commands only participants send: the facilitator records the room's votes with
    /// `CountHand`, `Poll` and `AddItem` instead, so room input is never mistaken for
    /// one person's.
    pub fn participant_only(&self) -> bool {
        use WorkshopCommand::*;
        matches!(self, React { .. } | Dot { .. } | Undot { .. } | DotWithReason { .. } | Rank { .. })
    }
}
