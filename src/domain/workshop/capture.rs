//! Working with captured items: adding, merging, parking, clustering, turning items
//! into actions, notes and evidence links. Everything but a participant's sticky note
//! is the facilitator's and can be undone.

use chrono::{NaiveDate, NaiveDateTime};

use super::command::{Applied, Created};
use super::engine::{MAX_ITEM_CHARS, MAX_NAME_CHARS, MAX_NOTE_CHARS, Step, Workshop, clean};
use super::model::{
    ActionId, ActionStatus, Cluster, ClusterId, Fate, FollowUp, ItemId, LinkSubject, LinkTarget, Note, ParticipantId,
};
use super::template::PhaseKind;
use super::undo::Restore;

impl Workshop {
    pub(super) fn add_item(
        &mut self,
        by: Option<ParticipantId>,
        phase: usize,
        text: &str,
        now: NaiveDateTime,
    ) -> Result<Step, String> {
        let text = clean(text, "item", MAX_ITEM_CHARS)?;
        let Some(p) = &by else {
            self.phase_ref(phase)?;
            let id = self.push_item(phase, text, None, None, now);
            let message = format!("added {}", self.item_ref(id)?.label());
            return Ok(Step::new(Applied::with(message, Created::Item(id)), vec![Restore::RemoveItem(id)]));
        };
        let run = self.open_phase(phase)?;
        let PhaseKind::Write { max_items_per_person } = run.spec.kind else {
            return Err(format!("{} is not for writing items", self.phase_name(phase)));
        };
        let mine = self.items.iter().filter(|i| i.phase == phase && i.author.as_ref() == Some(p)).count();
        if let Some(max) = max_items_per_person
            && mine >= max as usize
        {
            return Err(format!("you have already added {mine} items, the most this phase allows"));
        }
        let id = self.push_item(phase, text, by, None, now);
        Ok(Step::input(Applied::with(format!("added item #{id}"), Created::Item(id))))
    }

    pub(super) fn merge(&mut self, from: ItemId, into: ItemId) -> Result<Step, String> {
        if from == into {
            return Err("an item cannot be merged into itself".into());
        }
        let target = self.item_ref(into)?;
        if let Fate::MergedInto(other) = target.fate {
            return Err(format!("#{into} was merged into #{other}: merge into #{other} instead"));
        }
        let source = self.item_ref(from)?;
        // Only standing items are merged, and only into standing items: chains stay
        // short and can never loop back.
        match source.fate {
            Fate::MergedInto(other) => return Err(format!("#{from} is already merged into #{other}")),
            Fate::Action(a) => return Err(format!("#{from} became action A{a} and stays separate")),
            _ => {}
        }
        let message = format!("merged #{from} into {}", target.label());
        let undo = Restore::Fate { item: from, fate: source.fate };
        self.item_mut(from)?.fate = Fate::MergedInto(into);
        Ok(Step::new(Applied::msg(message), vec![undo]))
    }

    /// The item `id` ends up in after following merges.
    pub fn home_of(&self, id: ItemId) -> ItemId {
        let mut at = id;
        // Bounded by the item count: merges cannot form cycles, but a bound costs nothing.
        for _ in 0..=self.items.len() {
            match self.item(at).map(|i| i.fate) {
                Some(Fate::MergedInto(next)) => at = next,
                _ => break,
            }
        }
        at
    }

    pub(super) fn keep(&mut self, item: ItemId) -> Result<Step, String> {
        let i = self.item_mut(item)?;
        match i.fate {
            Fate::Kept => Err(format!("#{item} is already kept")),
            Fate::Action(a) => Err(format!("#{item} became action A{a}; drop the action instead")),
            old => {
                i.fate = Fate::Kept;
                Ok(Step::new(Applied::msg(format!("kept #{item}")), vec![Restore::Fate { item, fate: old }]))
            }
        }
    }

    pub(super) fn park(&mut self, item: ItemId) -> Result<Step, String> {
        let i = self.item_mut(item)?;
        match i.fate {
            Fate::Parked => Err(format!("#{item} is already parked")),
            old => {
                i.fate = Fate::Parked;
                Ok(Step::new(Applied::msg(format!("parked #{item}")), vec![Restore::Fate { item, fate: old }]))
            }
        }
    }

    pub(super) fn new_cluster(&mut self, name: &str) -> Result<Step, String> {
        let name = clean(name, "cluster name", MAX_NAME_CHARS)?;
        if self.clusters.iter().any(|c| c.name.eq_ignore_ascii_case(&name)) {
            return Err(format!("there is already a cluster '{name}'"));
        }
        let id = self.next_id.cluster;
        self.next_id.cluster += 1;
        self.clusters.push(Cluster { id, name: name.clone(), phase: self.current });
        let applied = Applied::with(format!("new cluster '{name}'"), Created::Cluster(id));
        Ok(Step::new(applied, vec![Restore::RemoveCluster(id)]))
    }

    pub(super) fn rename_cluster(&mut self, cluster: ClusterId, name: &str) -> Result<Step, String> {
        let name = clean(name, "cluster name", MAX_NAME_CHARS)?;
        if self.clusters.iter().any(|c| c.id != cluster && c.name.eq_ignore_ascii_case(&name)) {
            return Err(format!("there is already a cluster '{name}'"));
        }
        let c = self
            .clusters
            .iter_mut()
            .find(|c| c.id == cluster)
            .ok_or_else(|| format!("there is no cluster {cluster}"))?;
        let old = std::mem::replace(&mut c.name, name.clone());
        Ok(Step::new(
            Applied::msg(format!("renamed '{old}' to '{name}'")),
            vec![Restore::ClusterName { cluster, name: old }],
        ))
    }

    pub(super) fn move_to_cluster(&mut self, item: ItemId, cluster: Option<ClusterId>) -> Result<Step, String> {
        let name = match cluster {
            Some(c) => match self.clusters.iter().find(|k| k.id == c) {
                Some(k) => format!("'{}'", k.name),
                None => return Err(format!("there is no cluster {c}")),
            },
            None => "no cluster".to_string(),
        };
        let i = self.item_mut(item)?;
        if i.cluster == cluster {
            return Err(format!("#{item} is already in {name}"));
        }
        let old = std::mem::replace(&mut i.cluster, cluster);
        Ok(Step::new(
            Applied::msg(format!("moved #{item} to {name}")),
            vec![Restore::ItemCluster { item, cluster: old }],
        ))
    }

    pub(super) fn add_action(
        &mut self,
        text: &str,
        owner: &str,
        due: Option<NaiveDate>,
        from: Option<ItemId>,
        now: NaiveDateTime,
    ) -> Result<Step, String> {
        let mut undo = Vec::new();
        let text = match from {
            Some(item) => {
                let i = self.item_ref(item)?;
                if let Fate::Action(a) = i.fate {
                    return Err(format!("#{item} is already action A{a}"));
                }
                undo.push(Restore::Fate { item, fate: i.fate });
                if text.trim().is_empty() { i.text.clone() } else { clean(text, "action", MAX_ITEM_CHARS)? }
            }
            None => clean(text, "action", MAX_ITEM_CHARS)?,
        };
        // Owned actions are the point: "someone should" is how follow-up got lost.
        let owner = clean(owner, "owner", MAX_NAME_CHARS)?;
        let id = self.next_id.action;
        self.next_id.action += 1;
        if let Some(item) = from {
            self.item_mut(item)?.fate = Fate::Action(id);
        }
        let action = FollowUp {
            id,
            text,
            owner,
            due,
            status: ActionStatus::Open,
            phase: self.current,
            from_item: from,
            created_at: now,
        };
        let message = format!("action A{id} for {}", action.owner);
        self.actions.push(action);
        undo.push(Restore::RemoveAction(id));
        Ok(Step::new(Applied::with(message, Created::Action(id)), undo))
    }

    pub(super) fn set_action_status(&mut self, action: ActionId, status: ActionStatus) -> Result<Step, String> {
        let a =
            self.actions.iter_mut().find(|a| a.id == action).ok_or_else(|| format!("there is no action A{action}"))?;
        if a.status == status {
            return Err(format!("A{action} is already {}", status.label()));
        }
        let old = std::mem::replace(&mut a.status, status);
        let undo = Restore::ActionStatus { action, status: old };
        Ok(Step::new(Applied::msg(format!("A{action} is {}", status.label())), vec![undo]))
    }

    pub(super) fn note(&mut self, text: &str, now: NaiveDateTime) -> Result<Step, String> {
        let text = clean(text, "note", MAX_NOTE_CHARS)?;
        let phase = self.current;
        self.phases[phase].notes.push(Note { at: now, text });
        Ok(Step::new(
            Applied::msg(format!("note added to {}", self.phase_name(phase))),
            vec![Restore::PopNote { phase }],
        ))
    }

    pub(super) fn link(&mut self, subject: LinkSubject, target: LinkTarget, add: bool) -> Result<Step, String> {
        let (links, what) = match subject {
            LinkSubject::Item(id) => (&mut self.item_mut(id)?.links, format!("#{id}")),
            LinkSubject::Result(phase) => {
                let name = self.phase_name(phase);
                let p = self.phases.get_mut(phase).ok_or_else(|| format!("there is no phase {}", phase + 1))?;
                (&mut p.links, format!("the result of {name}"))
            }
        };
        let old = links.clone();
        let label = target.label();
        if add {
            if links.contains(&target) {
                return Err(format!("{what} is already linked to {label}"));
            }
            links.push(target);
        } else {
            let before = links.len();
            links.retain(|t| *t != target);
            if links.len() == before {
                return Err(format!("{what} is not linked to {label}"));
            }
        }
        let message = if add { format!("linked {what} to {label}") } else { format!("unlinked {what} from {label}") };
        Ok(Step::new(Applied::msg(message), vec![Restore::Links { subject, links: old }]))
    }
}
