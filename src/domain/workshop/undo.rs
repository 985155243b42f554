//! Undo of the facilitator's last action. Each facilitator command records how to put
//! back exactly the fields it changed (not a snapshot of the whole workshop), so
//! participants' votes, reactions and notes that arrived in between are never lost.
//! Ids handed out are not taken back: an undone item's id stays unused forever.

use serde::{Deserialize, Serialize};

use super::command::Applied;
use super::engine::Workshop;
use super::model::{
    ActionId, ActionStatus, ClusterId, Fate, ItemId, LinkSubject, LinkTarget, PhaseStatus, ReactionKind,
};
use super::timing::Clock;

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub(super) struct UndoStep {
    /// The message the command returned: "merged #4 into #2 …".
    pub label: String,
    /// Applied in reverse order.
    pub restore: Vec<Restore>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub(super) struct FlowState {
    pub status: PhaseStatus,
    pub clock: Clock,
    pub focus: usize,
    pub shown: usize,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub(super) enum Restore {
    /// Start, pause, resume, next, back: every phase's status and clock. Time that
    /// passed since counts for the phase that was running then, as it really did run.
    Flow {
        current: usize,
        phases: Vec<FlowState>,
    },
    Present {
        phase: usize,
        focus: usize,
        shown: usize,
    },
    Visible {
        phase: usize,
        visible: bool,
    },
    RemoveItem(ItemId),
    Fate {
        item: ItemId,
        fate: Fate,
    },
    ItemCluster {
        item: ItemId,
        cluster: Option<ClusterId>,
    },
    Links {
        subject: LinkSubject,
        links: Vec<LinkTarget>,
    },
    RemoveCluster(ClusterId),
    ClusterName {
        cluster: ClusterId,
        name: String,
    },
    RemoveAction(ActionId),
    ActionStatus {
        action: ActionId,
        status: ActionStatus,
    },
    PopNote {
        phase: usize,
    },
    RoomDot {
        phase: usize,
        item: ItemId,
    },
    RoomReaction {
        item: ItemId,
        kind: ReactionKind,
    },
    PopRoomAnswer {
        phase: usize,
    },
}

impl Workshop {
    pub(super) fn undo_last(&mut self) -> Result<Applied, String> {
        let Some(step) = self.undo.last() else { return Err("nothing to undo".into()) };
        for r in &step.restore {
            self.check_restore(r)?;
        }
        let step = self.undo.pop().expect("checked above");
        for r in step.restore.into_iter().rev() {
            self.restore(r);
        }
        Ok(Applied::msg(format!("undid: {}", step.label)))
    }

    /// Refuses an undo that would take away participants' input: an item they have
    /// already reacted to, voted on, ranked or commented on stays (park it instead).
    fn check_restore(&self, r: &Restore) -> Result<(), String> {
        let Restore::RemoveItem(id) = r else { return Ok(()) };
        let id = *id;
        let used = self.item(id).is_some_and(|i| !i.reactions.is_empty())
            || self.items.iter().any(|i| i.about.is_some_and(|(about, _)| about == id))
            || self.phases.iter().any(|p| {
                p.ballots.iter().any(|b| b.item == id) || p.rankings.values().any(|order| order.contains(&id))
            });
        if used {
            return Err(format!(
                "cannot undo adding #{id}: participants have already responded to it; park it instead"
            ));
        }
        Ok(())
    }

    fn restore(&mut self, r: Restore) {
        match r {
            Restore::Flow { current, phases } => {
                self.current = current;
                for (p, s) in self.phases.iter_mut().zip(phases) {
                    (p.status, p.clock, p.focus, p.shown) = (s.status, s.clock, s.focus, s.shown);
                }
            }
            Restore::Present { phase, focus, shown } => {
                let p = &mut self.phases[phase];
                (p.focus, p.shown) = (focus, shown);
            }
            Restore::Visible { phase, visible } => self.phases[phase].visible = visible,
            Restore::RemoveItem(id) => {
                self.items.retain(|i| i.id != id);
                for p in &mut self.phases {
                    p.room_dots.remove(&id);
                }
            }
            Restore::Fate { item, fate } => {
                if let Ok(i) = self.item_mut(item) {
                    i.fate = fate;
                }
            }
            Restore::ItemCluster { item, cluster } => {
                if let Ok(i) = self.item_mut(item) {
                    i.cluster = cluster;
                }
            }
            Restore::Links { subject, links } => match subject {
                LinkSubject::Item(id) => {
                    if let Ok(i) = self.item_mut(id) {
                        i.links = links;
                    }
                }
                LinkSubject::Result(phase) => self.phases[phase].links = links,
            },
            Restore::RemoveCluster(id) => {
                self.clusters.retain(|c| c.id != id);
                for i in self.items.iter_mut().filter(|i| i.cluster == Some(id)) {
                    i.cluster = None;
                }
            }
            Restore::ClusterName { cluster, name } => {
                if let Some(c) = self.clusters.iter_mut().find(|c| c.id == cluster) {
                    c.name = name;
                }
            }
            Restore::RemoveAction(id) => self.actions.retain(|a| a.id != id),
            Restore::ActionStatus { action, status } => {
                if let Some(a) = self.actions.iter_mut().find(|a| a.id == action) {
                    a.status = status;
                }
            }
            Restore::PopNote { phase } => {
                self.phases[phase].notes.pop();
            }
            Restore::RoomDot { phase, item } => {
                let dots = &mut self.phases[phase].room_dots;
                if let Some(n) = dots.get_mut(&item) {
                    *n -= 1;
                    if *n == 0 {
                        dots.remove(&item);
                    }
                }
            }
            Restore::RoomReaction { item, kind } => {
                if let Ok(i) = self.item_mut(item) {
                    let n = i.room_reactions.get_mut(kind);
                    *n = n.saturating_sub(1);
                }
            }
            Restore::PopRoomAnswer { phase } => {
                self.phases[phase].room_answers.pop();
            }
        }
    }
}
