//! Moving through the agenda: start, pause, resume, next, back, stepping through a
//! present phase's items, and revealing results. Each step records every phase's
//! flow state for undo, so an accidental `next` can be taken back with its time.

use chrono::NaiveDateTime;

use super::command::Applied;
use super::engine::{Step, Workshop};
use super::model::PhaseStatus;
use super::template::PhaseKind;
use super::undo::Restore;

impl Workshop {
    pub(super) fn start(&mut self, now: NaiveDateTime) -> Result<Step, String> {
        let snapshot = self.flow_snapshot();
        let name = self.phase_name(self.current);
        match self.phases[self.current].status {
            PhaseStatus::Pending | PhaseStatus::Paused => self.start_phase(self.current, now),
            PhaseStatus::Running => return Err(format!("{name} is already running")),
            PhaseStatus::Done => return Err(format!("{name} is done: go back to reopen it")),
        }
        Ok(Step::new(Applied::msg(format!("started {name}")), vec![snapshot]))
    }

    pub(super) fn pause(&mut self, now: NaiveDateTime) -> Result<Step, String> {
        let snapshot = self.flow_snapshot();
        let name = self.phase_name(self.current);
        let p = &mut self.phases[self.current];
        if p.status != PhaseStatus::Running {
            return Err(format!("{name} is not running"));
        }
        p.clock.stop(now);
        p.status = PhaseStatus::Paused;
        Ok(Step::new(Applied::msg(format!("paused {name}")), vec![snapshot]))
    }

    pub(super) fn resume(&mut self, now: NaiveDateTime) -> Result<Step, String> {
        let name = self.phase_name(self.current);
        if self.phases[self.current].status != PhaseStatus::Paused {
            return Err(format!("{name} is not paused"));
        }
        let snapshot = self.flow_snapshot();
        self.start_phase(self.current, now);
        Ok(Step::new(Applied::msg(format!("resumed {name}")), vec![snapshot]))
    }

    pub(super) fn next(&mut self, now: NaiveDateTime) -> Result<Step, String> {
        let snapshot = self.flow_snapshot();
        let last = self.current + 1 == self.phases.len();
        let p = &mut self.phases[self.current];
        if last && p.status == PhaseStatus::Done {
            return Err("the last phase is already done".into());
        }
        p.clock.stop(now);
        p.status = PhaseStatus::Done;
        if last {
            return Ok(Step::new(Applied::msg("workshop finished"), vec![snapshot]));
        }
        self.current += 1;
        self.start_phase(self.current, now);
        Ok(Step::new(Applied::msg(format!("started {}", self.phase_name(self.current))), vec![snapshot]))
    }

    pub(super) fn back(&mut self, now: NaiveDateTime) -> Result<Step, String> {
        if self.current == 0 {
            return Err("this is the first phase".into());
        }
        let snapshot = self.flow_snapshot();
        let p = &mut self.phases[self.current];
        p.clock.stop(now);
        if p.status.is_open() {
            // Keeps its time: moving forward again resumes it.
            p.status = PhaseStatus::Paused;
        }
        self.current -= 1;
        self.start_phase(self.current, now);
        Ok(Step::new(Applied::msg(format!("back to {}", self.phase_name(self.current))), vec![snapshot]))
    }

    pub(super) fn start_phase(&mut self, phase: usize, now: NaiveDateTime) {
        let has_items = !self.presented(phase).is_empty();
        let p = &mut self.phases[phase];
        p.clock.start(now);
        p.status = PhaseStatus::Running;
        if matches!(p.spec.kind, PhaseKind::Present { .. }) && has_items {
            p.shown = p.shown.max(p.focus + 1);
        }
    }

    pub(super) fn step_focus(&mut self, delta: isize) -> Result<Step, String> {
        let phase = self.current;
        if !matches!(self.phases[phase].spec.kind, PhaseKind::Present { .. }) {
            return Err(format!("{} presents no items", self.phase_name(phase)));
        }
        let count = self.presented(phase).len();
        let p = &mut self.phases[phase];
        let undo = Restore::Present { phase, focus: p.focus, shown: p.shown };
        let focus = p.focus.checked_add_signed(delta).filter(|f| *f < count);
        let Some(focus) = focus else {
            return Err(if delta > 0 { "this is the last item".into() } else { "this is the first item".into() });
        };
        p.focus = focus;
        p.shown = p.shown.max(focus + 1);
        let label = self.presented(phase).get(focus).map(|i| i.label()).unwrap_or_default();
        Ok(Step::new(Applied::msg(format!("showing {label} ({}/{count})", focus + 1)), vec![undo]))
    }

    pub(super) fn set_visible(&mut self, phase: usize, visible: bool) -> Result<Step, String> {
        let name = self.phase_name(phase);
        let p = self.phases.get_mut(phase).ok_or_else(|| format!("there is no phase {}", phase + 1))?;
        if !p.spec.kind.has_tally() {
            return Err(format!("{name} has no results to reveal or hide"));
        }
        if p.visible == visible {
            return Err(format!("{name} is already {}", if visible { "visible" } else { "hidden" }));
        }
        let undo = Restore::Visible { phase, visible: p.visible };
        p.visible = visible;
        let verb = if visible { "revealed" } else { "hid" };
        Ok(Step::new(Applied::msg(format!("{verb} the results of {name}")), vec![undo]))
    }
}
