use super::codebook::Codebook;
use super::impact::ImpactMap;
use super::interview::Interview;
use super::objective::Objective;
use super::{ChangeEntry, Evaluation, Pilot};

/// Records that are written together, and the change-log entries that explain them.
/// The store writes a changeset atomically; a pilot with an empty id is new and gets
/// its id when it is saved; so does an objective or an interview.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Changeset {
    pub evaluation: Option<Evaluation>,
    pub pilots: Vec<Pilot>,
    pub maps: Vec<ImpactMap>,
    pub objectives: Vec<Objective>,
    pub interviews: Vec<Interview>,
    pub codebook: Option<Codebook>,
    /// The whole synthesis (one record): findings, recommendations, conclusions.
    pub synthesis: Option<super::synthesis::Synthesis>,
    /// Workshops to create (their first snapshot); an empty id gets one from the store.
    pub new_workshops: Vec<super::workshop::Workshop>,
    /// Interviews whose unsaved draft is settled by this changeset.
    pub drop_drafts: Vec<super::Id>,
    pub log: Vec<ChangeEntry>,
}

impl Changeset {
    pub fn is_empty(&self) -> bool {
        self.evaluation.is_none()
            && self.pilots.is_empty()
            && self.maps.is_empty()
            && self.objectives.is_empty()
            && self.interviews.is_empty()
            && self.codebook.is_none()
            && self.synthesis.is_none()
            && self.new_workshops.is_empty()
            && self.log.is_empty()
    }
}
