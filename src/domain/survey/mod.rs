//! Survey instruments and their tallies: the pure rules behind `surveys/*.toml`.
//!
//! * [`Survey::parse`] reads and validates an instrument (`spec`, `load`, `raw`);
//! * [`Expr`] is the small skip-logic language of `relevant = "..."` (`logic`);
//! * [`Answer`] / [`Response`] hold what one respondent said, and
//!   [`Survey::parse_cell`] / [`Survey::format_cell`] convert CSV cells (`answer`);
//! * [`Survey::is_relevant`] / [`Survey::check_response`] apply rounds, pilots and
//!   skip logic to one response (`relevance`);
//! * [`tally`] aggregates responses into per-item counts, always with n, and
//!   [`StreamingTally`] does it one response at a time (`tally`);
//! * [`AnswerLayout`] reads a stored response straight into a [`DenseResponse`], its
//!   answers by item index, for tallies of large surveys (`dense`).
//!
//! No I/O happens here: callers hand in text and get values back.

mod answer;
mod dense;
mod load;
mod logic;
mod raw;
mod relevance;
mod spec;
mod tally;
mod tally_out;

#[cfg(test)]
mod tests;

use std::fmt;

pub use answer::{Answer, Pick, Response};
pub use dense::{AnswerLayout, DenseResponse, DenseSeed};
pub use logic::{CmpOp, Expr, ExprError};
pub use relevance::Relevance;
pub use spec::{Choice, Condition, Item, ItemKind, Scale, ScalePoint, Survey};
pub use tally::{StreamingTally, TallyFilter, names_match, tally, tally_with};
pub use tally_out::{GroupTally, ItemStats, ItemTally, Tally};

/// Below this many answers an item's figures are shown with a warning: the real
/// reports printed percentages from cells of 2 and 5 respondents.
pub const LOW_N: u64 = 10;

/// One problem in a survey file, located so an editor can jump to it.
/// Displays as `file:line:col: message`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SpecError {
    pub file: String,
    /// 1-based.
    pub line: usize,
    /// 1-based, counted in characters.
    pub col: usize,
    pub message: String,
}

impl fmt::Display for SpecError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}:{}:{}: {}", self.file, self.line, self.col, self.message)
    }
}

impl std::error::Error for SpecError {}
