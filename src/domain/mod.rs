//! Pure domain types and rules. Nothing in this tree knows about the terminal,
//! sled or any other I/O: everything here can be tested with plain values.

pub mod changelog;
pub mod changeset;
pub mod codebook;
pub mod evaluation;
pub mod evidence;
pub mod impact;
pub mod indicator;
pub mod interview;
pub mod interview_filter;
pub mod objective;
pub mod pilot;
pub mod retrieval;
pub mod survey;
pub mod synthesis;
pub mod workshop;

pub use changelog::{Change, ChangeEntry, ChangeWhat};
pub use changeset::Changeset;
pub use evaluation::{Evaluation, EvaluationField, Phase};
pub use pilot::{Dated, DeliveryModel, Pilot, PilotField, PilotKind, PilotStatus, StatusChange};

/// A stable record id: a kind prefix and a never-reused sequence number, e.g. `p7`.
/// Short enough to type on the command line, and never recycled after archiving.
pub type Id = String;
