use super::impact::ImpactMap;
use super::objective::Objective;
use super::{ChangeEntry, Evaluation, Pilot};

/// Records that are written together, and the change-log entries that explain them.
/// The store writes a changeset atomically; a pilot with an empty id is new and gets
/// its id when it is saved; so does an objective.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Changeset {
    pub evaluation: Option<Evaluation>,
    pub pilots: Vec<Pilot>,
    pub maps: Vec<ImpactMap>,
    pub objectives: Vec<Objective>,
    pub log: Vec<ChangeEntry>,
}

impl Changeset {
    pub fn is_empty(&self) -> bool {
        self.evaluation.is_none()
            && self.pilots.is_empty()
            && self.maps.is_empty()
            && self.objectives.is_empty()
            && self.log.is_empty()
    }
}
