//! The synthesis: findings by cross-pilot theme, conclusions by evaluation question,
//! numbered recommendations with tracked follow-up actions, the theme × pilot matrix
//! and the data-limitations section.
//!
//! * [`Synthesis`] holds findings, recommendations and conclusions, all linked by
//!   stable ids that are never reused (`model`); findings and their evidence are
//!   edited in `findings`, recommendations, numbering and actions in
//!   `recommendations`, conclusions and link checks in `conclusions`;
//! * [`theme_matrix`] counts where each theme was central (`matrix`);
//! * [`limitations`] gathers the data's weak spots from surveys, indicators and
//!   interviews (`limitations`).
//!
//! Pure: the caller hands in the data and decides how evidence is looked up.

mod conclusions;
mod findings;
mod limitations;
mod matrix;
mod model;
mod recommendations;

#[cfg(test)]
mod tests;

pub use conclusions::QuestionGroup;
pub use findings::{cite_tally, evidence_kind};
pub use limitations::{
    ContextNote, Limitation, LimitationFact, LimitationInput, LimitationKind, SPECIAL_CONTEXT_WORDS, SurveyTally,
    TallyScope, context_appendix, is_special_context, limitations,
};
pub use matrix::{LESSONS_CODE, MatrixCell, MatrixColumn, MatrixRow, ThemeMatrix, theme_matrix};
pub use model::{
    ActionStatus, Conclusion, Finding, FindingDraft, FollowUpAction, Priority, QuestionRef, Recommendation,
    RecommendationDraft, Scope, Synthesis, Voice,
};
pub use recommendations::Move;
