//! Recommendations in report order, their automatic numbering and follow-up actions.
//!
//! The printed number is never stored: it is the position in the list, computed on
//! every read. One real report printed "Recommendation 2" twice because numbers were
//! typed by hand; here two recommendations cannot share a number, and references go
//! by id, so moving one never sends a link to the wrong recommendation.

use chrono::NaiveDate;

use crate::domain::Id;

use super::model::{ActionStatus, FollowUpAction, Recommendation, RecommendationDraft, Synthesis};

/// Where to move a recommendation in the report.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Move {
    Up,
    Down,
    /// To this 0-based position (clamped to the end).
    To(usize),
}

fn check_draft(draft: &RecommendationDraft) -> Result<(), String> {
    if draft.text.trim().is_empty() {
        return Err("a recommendation needs a text".into());
    }
    Ok(())
}

impl Synthesis {
    /// Adds a recommendation at the end of the report; returns its new id.
    pub fn add_recommendation(&mut self, draft: RecommendationDraft) -> Result<Id, String> {
        check_draft(&draft)?;
        self.check_finding_links(&draft.findings)?;
        let id = self.take_id("r");
        self.recommendations.push(Recommendation {
            id: id.clone(),
            text: draft.text.trim().into(),
            rationale: draft.rationale.trim().into(),
            findings: draft.findings,
            addressee: draft.addressee.trim().into(),
            priority: draft.priority,
            actions: vec![],
        });
        Ok(id)
    }

    /// Replaces the editable part; id, position and actions stay.
    pub fn edit_recommendation(&mut self, id: &str, draft: RecommendationDraft) -> Result<(), String> {
        check_draft(&draft)?;
        self.check_finding_links(&draft.findings)?;
        let r = self.recommendation_mut(id)?;
        r.text = draft.text.trim().into();
        r.rationale = draft.rationale.trim().into();
        r.findings = draft.findings;
        r.addressee = draft.addressee.trim().into();
        r.priority = draft.priority;
        Ok(())
    }

    /// Removes a recommendation; the ones after it move up a number, their ids stay.
    pub fn remove_recommendation(&mut self, id: &str) -> Result<Recommendation, String> {
        let at = self.position_of(id)?;
        Ok(self.recommendations.remove(at))
    }

    pub fn link_finding(&mut self, recommendation: &str, finding: &str) -> Result<(), String> {
        if self.finding(finding).is_none() {
            return Err(format!("no finding {finding}"));
        }
        let r = self.recommendation_mut(recommendation)?;
        if r.findings.iter().any(|f| f == finding) {
            return Err(format!("recommendation {recommendation} already cites finding {finding}"));
        }
        r.findings.push(finding.into());
        Ok(())
    }

    pub fn unlink_finding(&mut self, recommendation: &str, finding: &str) -> Result<(), String> {
        let r = self.recommendation_mut(recommendation)?;
        let at = r
            .findings
            .iter()
            .position(|f| f == finding)
            .ok_or_else(|| format!("recommendation {recommendation} does not cite finding {finding}"))?;
        r.findings.remove(at);
        Ok(())
    }

    fn position_of(&self, id: &str) -> Result<usize, String> {
        self.recommendations.iter().position(|r| r.id == id).ok_or_else(|| format!("no recommendation {id}"))
    }

    /// Moves a recommendation; returns its new 0-based position. Moving the first up or
    /// the last down leaves the order as it is.
    pub fn move_recommendation(&mut self, id: &str, to: Move) -> Result<usize, String> {
        let from = self.position_of(id)?;
        let last = self.recommendations.len() - 1;
        let target = match to {
            Move::Up => from.saturating_sub(1),
            Move::Down => (from + 1).min(last),
            Move::To(i) => i.min(last),
        };
        let r = self.recommendations.remove(from);
        self.recommendations.insert(target, r);
        Ok(target)
    }

    /// Recommendations with their printed numbers, 1 upwards, in report order.
    pub fn numbered(&self) -> Vec<(usize, &Recommendation)> {
        self.recommendations.iter().enumerate().map(|(i, r)| (i + 1, r)).collect()
    }

    /// The number a recommendation is printed with today.
    pub fn number_of(&self, id: &str) -> Option<usize> {
        self.recommendations.iter().position(|r| r.id == id).map(|i| i + 1)
    }

    /// Agrees a follow-up action; returns its id.
    pub fn add_action(
        &mut self,
        recommendation: &str,
        text: &str,
        owner: &str,
        due: Option<NaiveDate>,
    ) -> Result<Id, String> {
        if text.trim().is_empty() {
            return Err("an action needs a text".into());
        }
        if owner.trim().is_empty() {
            return Err("an action needs an owner (a role or organisation)".into());
        }
        self.position_of(recommendation)?;
        let id = self.take_id("a");
        self.recommendation_mut(recommendation)?.actions.push(FollowUpAction {
            id: id.clone(),
            text: text.trim().into(),
            owner: owner.trim().into(),
            due,
            status: ActionStatus::Open,
            note: String::new(),
        });
        Ok(id)
    }

    fn action_mut(&mut self, id: &str) -> Result<&mut FollowUpAction, String> {
        self.recommendations
            .iter_mut()
            .flat_map(|r| r.actions.iter_mut())
            .find(|a| a.id == id)
            .ok_or_else(|| format!("no action {id}"))
    }

    /// Records progress after the report: a new status and, when given, a note.
    pub fn track_action(&mut self, id: &str, status: ActionStatus, note: &str) -> Result<(), String> {
        let a = self.action_mut(id)?;
        a.status = status;
        if !note.trim().is_empty() {
            a.note = note.trim().into();
        }
        Ok(())
    }

    pub fn reschedule_action(&mut self, id: &str, owner: &str, due: Option<NaiveDate>) -> Result<(), String> {
        if owner.trim().is_empty() {
            return Err("an action needs an owner (a role or organisation)".into());
        }
        let a = self.action_mut(id)?;
        a.owner = owner.trim().into();
        a.due = due;
        Ok(())
    }

    /// Rewords an action; its id, owner, due date and status stay.
    pub fn retext_action(&mut self, id: &str, text: &str) -> Result<(), String> {
        if text.trim().is_empty() {
            return Err("an action needs a text".into());
        }
        self.action_mut(id)?.text = text.trim().into();
        Ok(())
    }

    pub fn remove_action(&mut self, id: &str) -> Result<FollowUpAction, String> {
        for r in &mut self.recommendations {
            if let Some(at) = r.actions.iter().position(|a| a.id == id) {
                return Ok(r.actions.remove(at));
            }
        }
        Err(format!("no action {id}"))
    }

    /// Actions still open or in progress, with their recommendation's number, in report
    /// order: the follow-up list for steering groups.
    pub fn pending_actions(&self) -> Vec<(usize, &FollowUpAction)> {
        self.numbered()
            .into_iter()
            .flat_map(|(n, r)| r.actions.iter().filter(|a| a.status.is_pending()).map(move |a| (n, a)))
            .collect()
    }

    /// Pending actions whose due date is before `today` (passed in: no clock here).
    pub fn overdue_actions(&self, today: NaiveDate) -> Vec<(usize, &FollowUpAction)> {
        self.pending_actions().into_iter().filter(|(_, a)| a.due.is_some_and(|d| d < today)).collect()
    }
}
