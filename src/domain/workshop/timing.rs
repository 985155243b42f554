//! Planned against actual time. The clock is told the time by every caller (no clock
//! reads here), so timing is testable and a replayed command log gives the same result.
//!
//! A phase's time is banked whenever its clock stops (pause, next, back) and counted
//! live while it runs. The countdown may go negative: overrun is information for the
//! facilitator, never a reason to block the room.

use chrono::NaiveDateTime;
use serde::{Deserialize, Serialize};

use super::Workshop;
use super::model::PhaseStatus;

#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Clock {
    /// When the phase first started; `None` until then.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub started_at: Option<NaiveDateTime>,
    /// Set while the clock runs.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub running_since: Option<NaiveDateTime>,
    /// Seconds counted in earlier runs.
    #[serde(default)]
    pub banked_secs: i64,
}

impl Clock {
    pub fn start(&mut self, now: NaiveDateTime) {
        self.started_at.get_or_insert(now);
        if self.running_since.is_none() {
            self.running_since = Some(now);
        }
    }

    pub fn stop(&mut self, now: NaiveDateTime) {
        if let Some(since) = self.running_since.take() {
            self.banked_secs += secs_between(since, now);
        }
    }

    pub fn is_running(&self) -> bool {
        self.running_since.is_some()
    }

    /// Seconds the phase has run, pauses excluded.
    pub fn elapsed_secs(&self, now: NaiveDateTime) -> i64 {
        self.banked_secs + self.running_since.map_or(0, |since| secs_between(since, now))
    }
}

/// Whole seconds from `a` to `b`; a clock that went backwards counts as zero rather
/// than taking time away.
fn secs_between(a: NaiveDateTime, b: NaiveDateTime) -> i64 {
    (b - a).num_seconds().max(0)
}

/// One line of the agenda: the console's left column.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct AgendaRow {
    /// 0-based.
    pub phase: usize,
    pub title: String,
    pub kind: &'static str,
    pub status: PhaseStatus,
    pub current: bool,
    pub planned_secs: i64,
    pub elapsed_secs: i64,
    /// `planned − elapsed`; negative = overrun.
    pub remaining_secs: i64,
}

impl Workshop {
    /// Seconds phase `phase` has run by `now` (0 for an unknown phase).
    pub fn elapsed_secs(&self, phase: usize, now: NaiveDateTime) -> i64 {
        self.phases.get(phase).map_or(0, |p| p.clock.elapsed_secs(now))
    }

    /// The countdown of phase `phase`: planned − elapsed, negative when overrun.
    pub fn remaining_secs(&self, phase: usize, now: NaiveDateTime) -> i64 {
        self.phases.get(phase).map_or(0, |p| i64::from(p.spec.minutes) * 60 - p.clock.elapsed_secs(now))
    }

    /// Planned against actual time for every phase, in agenda order.
    pub fn agenda(&self, now: NaiveDateTime) -> Vec<AgendaRow> {
        let rows = self.phases.iter().enumerate().map(|(i, p)| {
            let planned = i64::from(p.spec.minutes) * 60;
            let elapsed = p.clock.elapsed_secs(now);
            AgendaRow {
                phase: i,
                title: p.spec.title.clone(),
                kind: p.spec.kind.name(),
                status: p.status,
                current: i == self.current,
                planned_secs: planned,
                elapsed_secs: elapsed,
                remaining_secs: planned - elapsed,
            }
        });
        rows.collect()
    }

    /// Planned and actual minutes of the whole workshop so far.
    pub fn total_secs(&self, now: NaiveDateTime) -> (i64, i64) {
        let rows = self.agenda(now);
        (rows.iter().map(|r| r.planned_secs).sum(), rows.iter().map(|r| r.elapsed_secs).sum())
    }
}

/// "06:12", or "-03:05" when overrun; hours only when needed ("1:02:00").
pub fn format_countdown(secs: i64) -> String {
    let sign = if secs < 0 { "-" } else { "" };
    let s = secs.unsigned_abs();
    let (h, m, s) = (s / 3600, (s % 3600) / 60, s % 60);
    if h > 0 { format!("{sign}{h}:{m:02}:{s:02}") } else { format!("{sign}{m:02}:{s:02}") }
}
