//! The workshop engine: one [`Workshop`] value changed only by [`Workshop::apply`].
//!
//! Inputs from many participants arrive as commands in any order; each one is checked
//! against the state it meets (phase open? right kind? within the dot budget?) and
//! either applied whole or refused with a reason, so the state never holds a vote that
//! breaks the rules, whatever the order. Facilitator commands also push their inverse
//! on an undo stack (undo.rs); participants' input never goes there.

use std::collections::BTreeMap;

use chrono::{NaiveDate, NaiveDateTime};
use serde::{Deserialize, Serialize};

use super::command::{Applied, WorkshopCommand};
use super::model::{Actor, Cluster, FollowUp, Item, ItemId, Participant, ParticipantId, PhaseRun, PhaseStatus, short};
use super::template::{PhaseKind, WorkshopTemplate};
use super::undo::{FlowState, Restore, UndoStep};
use crate::domain::Id;
use crate::domain::evidence::EvidenceRef;
use crate::domain::survey::{ItemKind, Survey};

/// Sticky notes, comments and options are short by design.
pub const MAX_ITEM_CHARS: usize = 280;
pub const MAX_NOTE_CHARS: usize = 4000;
pub const MAX_NAME_CHARS: usize = 80;
/// Facilitator steps kept for undo; older ones are forgotten to keep the record small.
pub const MAX_UNDO: usize = 100;

/// What the caller knows before the workshop starts.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct WorkshopSetup {
    pub id: Id,
    pub title: String,
    pub pilots: Vec<Id>,
    pub date: NaiveDate,
    pub place: String,
    /// From [`super::room_code`].
    pub room_code: String,
    pub language: String,
    /// Draft highlights for present phases whose template lists no items.
    pub highlights: Vec<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Workshop {
    pub id: Id,
    /// The template's name, for reference; the phases themselves are copied.
    pub template: String,
    pub title: String,
    #[serde(default)]
    pub pilots: Vec<Id>,
    pub date: NaiveDate,
    #[serde(default)]
    pub place: String,
    pub room_code: String,
    /// Asked of participants who join over SSH, besides the room code.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub passphrase: Option<String>,
    pub language: String,
    #[serde(default)]
    pub participants: BTreeMap<ParticipantId, Participant>,
    /// 0-based index of the phase on screen.
    pub current: usize,
    pub phases: Vec<PhaseRun>,
    #[serde(default)]
    pub items: Vec<Item>,
    #[serde(default)]
    pub clusters: Vec<Cluster>,
    #[serde(default)]
    pub actions: Vec<FollowUp>,
    pub(super) next_id: NextIds,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub(super) undo: Vec<UndoStep>,
}

/// Next free ids; they only grow, so an id is never given twice.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub(super) struct NextIds {
    pub item: u32,
    pub cluster: u32,
    pub action: u32,
}

/// A handled command: what to tell the caller, and how to revert it (empty for
/// participants' input and for commands that cannot be undone).
pub(super) struct Step {
    pub applied: Applied,
    pub undo: Vec<Restore>,
}

impl Step {
    pub fn new(applied: Applied, undo: Vec<Restore>) -> Step {
        Step { applied, undo }
    }

    pub fn input(applied: Applied) -> Step {
        Step { applied, undo: Vec::new() }
    }
}

impl Workshop {
    /// A workshop following `template`. Scale-poll phases copy their items (and the
    /// scales they use) from `surveys`; present phases without items of their own get
    /// `setup.highlights`.
    pub fn new(
        setup: WorkshopSetup,
        template: &WorkshopTemplate,
        surveys: &[Survey],
        now: NaiveDateTime,
    ) -> Result<Workshop, String> {
        if template.phases.is_empty() {
            return Err(format!("template '{}' has no phases", template.name));
        }
        let title = if setup.title.trim().is_empty() { template.title.clone() } else { setup.title.trim().to_string() };
        let mut phases = Vec::new();
        for spec in &template.phases {
            let poll = match &spec.kind {
                PhaseKind::ScalePoll { survey, items } => Some(poll_subset(surveys, survey, items)?),
                _ => None,
            };
            phases.push(PhaseRun::new(spec.clone(), poll));
        }
        let mut w = Workshop {
            id: setup.id,
            template: template.name.clone(),
            title,
            pilots: setup.pilots,
            date: setup.date,
            place: setup.place,
            room_code: setup.room_code,
            passphrase: None,
            language: setup.language,
            participants: BTreeMap::new(),
            current: 0,
            phases,
            items: Vec::new(),
            clusters: Vec::new(),
            actions: Vec::new(),
            next_id: NextIds { item: 1, cluster: 1, action: 1 },
            undo: Vec::new(),
        };
        for (i, spec) in template.phases.iter().enumerate() {
            let texts = match &spec.kind {
                PhaseKind::Present { items } if items.is_empty() => &setup.highlights,
                PhaseKind::Present { items } => items,
                PhaseKind::Rank { options } => options,
                _ => continue,
            };
            for text in texts {
                let text = clean(text, "item", MAX_ITEM_CHARS)?;
                w.push_item(i, text, None, None, now);
            }
        }
        Ok(w)
    }

    /// Apply one command from `by` at time `now`. A refused command changes nothing
    /// and says why.
    pub fn apply(&mut self, by: Actor, cmd: WorkshopCommand, now: NaiveDateTime) -> Result<Applied, String> {
        use WorkshopCommand as C;
        let participant = match &by {
            Actor::Facilitator if cmd.participant_only() => {
                return Err("that is a participant's input: record the room with hand counts, polls or items".into());
            }
            Actor::Facilitator => None,
            Actor::Participant(_) if cmd.facilitator_only() => return Err("only the facilitator can do that".into()),
            Actor::Participant(p) => {
                if !matches!(cmd, C::Join { .. }) && !self.participants.contains_key(p) {
                    return Err("join the workshop first".into());
                }
                Some(p.clone())
            }
        };
        if matches!(cmd, C::Undo) {
            return self.undo_last();
        }
        let step = match (cmd, participant) {
            (C::Join { participant: id, role, org_type }, by) => self.join(by, id, role, org_type, now)?,
            (C::AddItem { phase, text }, by) => self.add_item(by, phase, &text, now)?,
            (C::Poll { phase, item, answer }, by) => self.poll(by, phase, item, answer)?,
            (C::React { phase, item, kind, comment }, Some(p)) => self.react(p, phase, item, kind, comment, now)?,
            (C::Dot { phase, item }, Some(p)) => self.dot(p, phase, item, None)?,
            (C::DotWithReason { phase, item, reason }, Some(p)) => self.dot(p, phase, item, Some(reason))?,
            (C::Undot { phase, item }, Some(p)) => self.undot(p, phase, item)?,
            (C::Rank { phase, order }, Some(p)) => self.rank(p, phase, order)?,
            (C::Start, _) => self.start(now)?,
            (C::Pause, _) => self.pause(now)?,
            (C::Resume, _) => self.resume(now)?,
            (C::Next, _) => self.next(now)?,
            (C::Back, _) => self.back(now)?,
            (C::NextItem, _) => self.step_focus(1)?,
            (C::PrevItem, _) => self.step_focus(-1)?,
            (C::Reveal { phase }, _) => self.set_visible(phase, true)?,
            (C::Hide { phase }, _) => self.set_visible(phase, false)?,
            (C::Merge { from, into }, _) => self.merge(from, into)?,
            (C::Keep { item }, _) => self.keep(item)?,
            (C::Park { item }, _) => self.park(item)?,
            (C::NewCluster { name }, _) => self.new_cluster(&name)?,
            (C::RenameCluster { cluster, name }, _) => self.rename_cluster(cluster, &name)?,
            (C::MoveToCluster { item, cluster }, _) => self.move_to_cluster(item, cluster)?,
            (C::CountHand { phase, item, reaction }, _) => self.count_hand(phase, item, reaction)?,
            (C::AddAction { text, owner, due, from }, _) => self.add_action(&text, &owner, due, from, now)?,
            (C::SetActionStatus { action, status }, _) => self.set_action_status(action, status)?,
            (C::Note { text }, _) => self.note(&text, now)?,
            (C::Link { subject, target }, _) => self.link(subject, target, true)?,
            (C::Unlink { subject, target }, _) => self.link(subject, target, false)?,
            (C::SetPassphrase { passphrase }, _) => {
                let passphrase = match passphrase.as_deref().map(str::trim) {
                    None | Some("") => None,
                    Some(p) => Some(clean(p, "passphrase", MAX_NAME_CHARS)?),
                };
                let message = if passphrase.is_some() { "passphrase set" } else { "passphrase removed" };
                self.passphrase = passphrase;
                Step::input(Applied::msg(message))
            }
            (C::Undo, _) => unreachable!("handled above"),
            (_, None) => unreachable!("participant-only commands from the facilitator are refused above"),
        };
        if !step.undo.is_empty() {
            if self.undo.len() == MAX_UNDO {
                self.undo.remove(0);
            }
            self.undo.push(UndoStep { label: step.applied.message.clone(), restore: step.undo });
        }
        Ok(step.applied)
    }

    /// What `Undo` would revert now, for the key bar.
    pub fn undo_label(&self) -> Option<&str> {
        self.undo.last().map(|s| s.label.as_str())
    }

    pub fn item(&self, id: ItemId) -> Option<&Item> {
        self.items.iter().find(|i| i.id == id)
    }

    pub fn phase(&self, phase: usize) -> Option<&PhaseRun> {
        self.phases.get(phase)
    }

    /// The phase on screen.
    pub fn current_phase(&self) -> &PhaseRun {
        &self.phases[self.current]
    }

    /// Whether the last phase is done.
    pub fn is_finished(&self) -> bool {
        self.phases.last().is_some_and(|p| p.status == PhaseStatus::Done)
    }

    /// How an item is cited as evidence by lessons and findings.
    pub fn evidence_ref(&self, item: ItemId) -> EvidenceRef {
        EvidenceRef::Workshop { workshop: self.id.clone(), item }
    }

    /// "phase 3 'Dot vote'", for messages (1-based, as people count).
    pub(super) fn phase_name(&self, phase: usize) -> String {
        match self.phases.get(phase) {
            Some(p) => format!("phase {} '{}'", phase + 1, p.spec.title),
            None => format!("phase {}", phase + 1),
        }
    }

    pub(super) fn phase_ref(&self, phase: usize) -> Result<&PhaseRun, String> {
        self.phases.get(phase).ok_or_else(|| format!("there is no phase {}", phase + 1))
    }

    /// The phase, if it accepts input now.
    pub(super) fn open_phase(&self, phase: usize) -> Result<&PhaseRun, String> {
        let p = self.phase_ref(phase)?;
        match p.status {
            s if s.is_open() => Ok(p),
            PhaseStatus::Pending => Err(format!("{} has not started yet", self.phase_name(phase))),
            _ => Err(format!("{} is closed", self.phase_name(phase))),
        }
    }

    pub(super) fn item_ref(&self, id: ItemId) -> Result<&Item, String> {
        self.item(id).ok_or_else(|| format!("there is no item #{id}"))
    }

    pub(super) fn item_mut(&mut self, id: ItemId) -> Result<&mut Item, String> {
        self.items.iter_mut().find(|i| i.id == id).ok_or_else(|| format!("there is no item #{id}"))
    }

    pub(super) fn push_item(
        &mut self,
        phase: usize,
        text: String,
        author: Option<ParticipantId>,
        about: Option<(ItemId, super::model::ReactionKind)>,
        now: NaiveDateTime,
    ) -> ItemId {
        let id = self.next_id.item;
        self.next_id.item += 1;
        self.items.push(Item {
            id,
            phase,
            text,
            author,
            created_at: now,
            about,
            cluster: None,
            fate: Default::default(),
            reactions: BTreeMap::new(),
            room_reactions: Default::default(),
            links: Vec::new(),
        });
        id
    }

    /// Every phase's flow state, for undoing start / pause / next / back.
    pub(super) fn flow_snapshot(&self) -> Restore {
        let phases =
            self.phases.iter().map(|p| FlowState { status: p.status, clock: p.clock, focus: p.focus, shown: p.shown });
        Restore::Flow { current: self.current, phases: phases.collect() }
    }

    fn join(
        &mut self,
        by: Option<ParticipantId>,
        id: String,
        role: String,
        org_type: String,
        now: NaiveDateTime,
    ) -> Result<Step, String> {
        let id = id.trim().to_string();
        if id.is_empty() {
            return Err("a participant needs an id".into());
        }
        if by.as_ref().is_some_and(|b| *b != id) {
            return Err("a participant can only join as themselves".into());
        }
        let role = clean(&role, "role", MAX_NAME_CHARS)?;
        let org_type = clean(&org_type, "organisation type", MAX_NAME_CHARS)?;
        let message = format!("{role} ({org_type}) joined");
        let joined_at = self.participants.get(&id).map_or(now, |p| p.joined_at);
        self.participants.insert(id.clone(), Participant { id, role, org_type, joined_at });
        Ok(Step::input(Applied::msg(message)))
    }

    /// Items a present phase steps through, in order: its own items, comments excluded.
    pub fn presented(&self, phase: usize) -> Vec<&Item> {
        self.items.iter().filter(|i| i.phase == phase && i.about.is_none()).collect()
    }
}

/// Trimmed `text`, refused when empty or too long.
pub(super) fn clean(text: &str, what: &str, max: usize) -> Result<String, String> {
    let text = text.trim();
    if text.is_empty() {
        return Err(format!("the {what} is empty"));
    }
    let n = text.chars().count();
    if n > max {
        return Err(format!("the {what} is {n} characters; keep it under {max} ('{}')", short(text)));
    }
    Ok(text.to_string())
}

/// The asked items of `survey_id`, with only the scales they use. Skip logic, rounds
/// and pilot filters are dropped: in a live poll everyone in the room is asked.
fn poll_subset(surveys: &[Survey], survey_id: &str, ids: &[String]) -> Result<Survey, String> {
    let survey = surveys.iter().find(|s| s.id == survey_id).ok_or_else(|| format!("unknown survey '{survey_id}'"))?;
    let mut subset = Survey { items: Vec::new(), scales: BTreeMap::new(), ..survey.clone() };
    for id in ids {
        let item = survey.item(id).ok_or_else(|| format!("survey '{survey_id}' has no item '{id}'"))?;
        if let ItemKind::Scale { scale } = &item.kind
            && let Some(s) = survey.scales.get(scale)
        {
            subset.scales.insert(scale.clone(), s.clone());
        }
        let mut item = item.clone();
        (item.relevant, item.rounds, item.pilots, item.required) = (None, None, None, false);
        subset.items.push(item);
    }
    Ok(subset)
}
