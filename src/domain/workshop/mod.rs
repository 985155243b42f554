//! Learning workshops: templates of timed phases, and the engine that runs one.
//!
//! * [`WorkshopTemplate::parse`] reads `surveys/workshops/*.toml` (`template`,
//!   `template_load`); [`BUILT_IN`] holds the shipped ones;
//! * [`Workshop`] is the whole state of one workshop, changed only by
//!   [`Workshop::apply`] with a [`WorkshopCommand`] from an [`Actor`] (`engine`,
//!   `capture` for items, clusters and actions, `input` for the room's votes,
//!   `undo` for the facilitator's undo stack);
//! * [`Workshop::tally`] / [`Workshop::tally_for`] give live results (`tally`),
//!   [`Workshop::agenda`] planned against actual time (`timing`), and
//!   [`Workshop::fates`] what became of every piece of input (`fate`);
//! * [`room_code`] makes the code people type to join (`room`).
//!
//! Pure: callers pass text in and the time with every command; nothing here reads a
//! clock, a file or the terminal. Participants' input may arrive in any order, from
//! any number of sessions: every command is checked against the state it meets.

mod capture;
mod command;
mod engine;
mod fate;
mod flow;
mod input;
mod model;
mod room;
mod seat;
mod tally;
mod template;
mod template_load;
mod timing;
mod undo;

#[cfg(test)]
mod tests;

pub use command::{Applied, Created, WorkshopCommand};
pub use engine::{MAX_ITEM_CHARS, MAX_NAME_CHARS, MAX_NOTE_CHARS, MAX_UNDO, Workshop, WorkshopSetup};
pub use model::{
    ActionId, ActionStatus, Actor, Ballot, Cluster, ClusterId, Fate, FollowUp, Item, ItemId, LinkSubject, LinkTarget,
    Note, Participant, ParticipantId, PhaseRun, PhaseStatus, ReactionCounts, ReactionKind,
};
pub use room::{ROOM_ALPHABET, ROOM_CODE_LEN, parse_room_code, room_code};
pub use seat::{DraftPurpose, SeatDraft, participant_id_from_fingerprint};
pub use tally::{DotRow, DotTally, PhaseTally, RankRow, ReactionRow, Reason, TallyResults};
pub use template::{DotRules, PhaseKind, PhaseSpec, SurveyRef, WorkshopTemplate};
pub use timing::{AgendaRow, Clock, format_countdown};

/// The shipped templates: (file name in `surveys/workshops/`, text).
pub const BUILT_IN: &[(&str, &str)] = &[
    ("learning-workshop.toml", include_str!("../../../surveys/workshops/learning-workshop.toml")),
    ("1-2-4-all.toml", include_str!("../../../surveys/workshops/1-2-4-all.toml")),
    ("what-so-what-now-what.toml", include_str!("../../../surveys/workshops/what-so-what-now-what.toml")),
    ("most-significant-change.toml", include_str!("../../../surveys/workshops/most-significant-change.toml")),
    ("mid-term-review.toml", include_str!("../../../surveys/workshops/mid-term-review.toml")),
];
