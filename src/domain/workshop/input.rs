//! The room's input: reactions, dots, poll answers, rankings and the hands the
//! facilitator counts. Each command is checked against the state it meets, so votes
//! may arrive in any order — a second dot beyond the budget is refused, a dot for a
//! closed phase is refused — and the state never holds a ballot that breaks the rules.

use super::command::{Applied, Created};
use super::engine::{MAX_ITEM_CHARS, Step, Workshop, clean};
use super::model::{Ballot, ItemId, ParticipantId, ReactionKind};
use super::template::PhaseKind;
use super::undo::Restore;
use crate::domain::survey::Answer;

impl Workshop {
    /// What participants choose from in `phase`, in order: the presented items of a
    /// present phase, the standing items of a dot vote (everything kept so far), the
    /// options of a rank (its own, else the items of the nearest earlier phase that
    /// has any, plus items added during the rank). Empty for other kinds.
    pub fn options(&self, phase: usize) -> Vec<ItemId> {
        let Some(run) = self.phases.get(phase) else { return Vec::new() };
        let kept = |p: usize| self.items.iter().filter(move |i| i.phase == p && i.fate.is_kept()).map(|i| i.id);
        match &run.spec.kind {
            PhaseKind::Present { .. } => self.presented(phase).iter().map(|i| i.id).collect(),
            PhaseKind::DotVote(_) => {
                self.items.iter().filter(|i| i.phase <= phase && i.fate.is_kept()).map(|i| i.id).collect()
            }
            PhaseKind::Rank { options } if !options.is_empty() => kept(phase).collect(),
            PhaseKind::Rank { .. } => {
                let source = (0..phase).rev().find(|p| kept(*p).next().is_some());
                source.into_iter().flat_map(kept).chain(kept(phase)).collect()
            }
            _ => Vec::new(),
        }
    }

    /// Whether `participant` has given any input in `phase`: a note, a reaction, a dot,
    /// an answer or a ranking. The facilitator's "who has voted" count.
    pub fn has_input(&self, phase: usize, participant: &str) -> bool {
        let Some(run) = self.phases.get(phase) else { return false };
        run.ballots.iter().any(|b| b.voter == participant)
            || run.answers.contains_key(participant)
            || run.rankings.contains_key(participant)
            || self.items.iter().any(|i| {
                i.phase == phase && (i.author.as_deref() == Some(participant) || i.reactions.contains_key(participant))
            })
    }

    /// The presented item `item` of `phase`, if participants have seen it.
    fn check_presented(&self, phase: usize, item: ItemId) -> Result<(), String> {
        let presented = self.presented(phase);
        match presented.iter().position(|i| i.id == item) {
            None => Err(format!("#{item} is not presented in {}", self.phase_name(phase))),
            // The focused item counts as shown even if it was added after the phase began.
            Some(at) if at >= run_shown(&self.phases[phase]) => Err(format!("#{item} has not been presented yet")),
            Some(_) => Ok(()),
        }
    }

    pub(super) fn react(
        &mut self,
        p: ParticipantId,
        phase: usize,
        item: ItemId,
        kind: ReactionKind,
        comment: Option<String>,
        now: chrono::NaiveDateTime,
    ) -> Result<Step, String> {
        let run = self.open_phase(phase)?;
        if !matches!(run.spec.kind, PhaseKind::Present { .. }) {
            return Err(format!("{} takes no reactions", self.phase_name(phase)));
        }
        self.check_presented(phase, item)?;
        let comment = match comment.as_deref().map(str::trim) {
            Some(c) if !c.is_empty() => Some(clean(c, "comment", MAX_ITEM_CHARS)?),
            _ => None,
        };
        self.item_mut(item)?.reactions.insert(p.clone(), kind);
        let Some(text) = comment else {
            return Ok(Step::input(Applied::msg(format!("{} on #{item}", kind.label()))));
        };
        // The comment becomes an item, so it can be merged, parked or acted on, and
        // its author can later see what became of it.
        let id = self.push_item(phase, text, Some(p), Some((item, kind)), now);
        Ok(Step::input(Applied::with(format!("{} on #{item}, comment #{id}", kind.label()), Created::Item(id))))
    }

    pub(super) fn dot(
        &mut self,
        p: ParticipantId,
        phase: usize,
        item: ItemId,
        reason: Option<String>,
    ) -> Result<Step, String> {
        let run = self.open_phase(phase)?;
        let PhaseKind::DotVote(rules) = run.spec.kind else {
            return Err(format!("{} is not a dot vote", self.phase_name(phase)));
        };
        let reason = match reason {
            Some(r) => Some(clean(&r, "reason", MAX_ITEM_CHARS)?),
            None if rules.reason => return Err("this vote asks for your reason with each dot".into()),
            None => None,
        };
        if !self.options(phase).contains(&item) {
            return Err(match self.item(item) {
                Some(i) if !i.fate.is_kept() => format!("#{item} is no longer on the list"),
                _ => format!("#{item} is not an option in {}", self.phase_name(phase)),
            });
        }
        let used = run.dots_used(&p);
        if used >= rules.dots {
            return Err(format!("you have used all {} of your dots; remove one to move it", rules.dots));
        }
        if run.dots_on(&p, item) >= rules.max_per_item {
            let noun = if rules.max_per_item == 1 { "dot" } else { "dots" };
            return Err(format!("at most {} {noun} per item", rules.max_per_item));
        }
        let run = &mut self.phases[phase];
        match run.ballots.iter_mut().find(|b| b.voter == p && b.item == item) {
            Some(b) => {
                b.dots += 1;
                if reason.is_some() {
                    b.reason = reason;
                }
            }
            None => run.ballots.push(Ballot { voter: p, item, dots: 1, reason }),
        }
        let left = rules.dots - used - 1;
        Ok(Step::input(Applied::msg(format!("dot on #{item} ({left} left)"))))
    }

    pub(super) fn undot(&mut self, p: ParticipantId, phase: usize, item: ItemId) -> Result<Step, String> {
        let run = self.open_phase(phase)?;
        let PhaseKind::DotVote(rules) = run.spec.kind else {
            return Err(format!("{} is not a dot vote", self.phase_name(phase)));
        };
        let run = &mut self.phases[phase];
        let at = run.ballots.iter().position(|b| b.voter == p && b.item == item);
        let Some(at) = at else { return Err(format!("you have no dot on #{item}")) };
        run.ballots[at].dots -= 1;
        if run.ballots[at].dots == 0 {
            run.ballots.remove(at);
        }
        let left = rules.dots - run.dots_used(&p);
        Ok(Step::input(Applied::msg(format!("dot removed from #{item} ({left} left)"))))
    }

    pub(super) fn poll(
        &mut self,
        by: Option<ParticipantId>,
        phase: usize,
        item: String,
        answer: Answer,
    ) -> Result<Step, String> {
        let run = self.open_phase(phase)?;
        let Some(survey) = run.poll.as_ref() else {
            return Err(format!("{} is not a poll", self.phase_name(phase)));
        };
        let Some(spec) = survey.item(&item) else {
            return Err(format!("'{item}' is not asked in {}", self.phase_name(phase)));
        };
        survey.check_answer(spec, &answer)?;
        let run = &mut self.phases[phase];
        match by {
            Some(p) => {
                run.answers.entry(p).or_default().insert(item.clone(), answer);
                Ok(Step::input(Applied::msg(format!("answered '{item}'"))))
            }
            None => {
                run.room_answers.push((item.clone(), answer));
                let n = run.room_answers.iter().filter(|(i, _)| *i == item).count();
                Ok(Step::new(
                    Applied::msg(format!("room answer {n} to '{item}'")),
                    vec![Restore::PopRoomAnswer { phase }],
                ))
            }
        }
    }

    pub(super) fn rank(&mut self, p: ParticipantId, phase: usize, order: Vec<ItemId>) -> Result<Step, String> {
        let run = self.open_phase(phase)?;
        if !matches!(run.spec.kind, PhaseKind::Rank { .. }) {
            return Err(format!("{} is not a ranking", self.phase_name(phase)));
        }
        let options = self.options(phase);
        for (i, id) in order.iter().enumerate() {
            if !options.contains(id) {
                return Err(format!("#{id} is not an option in {}", self.phase_name(phase)));
            }
            if order[..i].contains(id) {
                return Err(format!("#{id} appears twice in your order"));
            }
        }
        if order.len() != options.len() {
            // Most likely the options changed while the participant was ordering them.
            return Err(format!("rank all {} options (your order has {})", options.len(), order.len()));
        }
        self.phases[phase].rankings.insert(p, order);
        Ok(Step::input(Applied::msg("ranking saved")))
    }

    pub(super) fn count_hand(
        &mut self,
        phase: usize,
        item: ItemId,
        reaction: Option<ReactionKind>,
    ) -> Result<Step, String> {
        let run = self.open_phase(phase)?;
        match (&run.spec.kind, reaction) {
            (PhaseKind::DotVote(_), None) => {
                if !self.options(phase).contains(&item) {
                    return Err(format!("#{item} is not an option in {}", self.phase_name(phase)));
                }
                let count = self.phases[phase].room_dots.entry(item).or_default();
                *count += 1;
                let message = format!("hand for #{item} ({count} counted)");
                Ok(Step::new(Applied::msg(message), vec![Restore::RoomDot { phase, item }]))
            }
            (PhaseKind::Present { .. }, Some(kind)) => {
                self.check_presented(phase, item)?;
                let counts = &mut self.item_mut(item)?.room_reactions;
                *counts.get_mut(kind) += 1;
                let message = format!("hand for {} on #{item} ({} counted)", kind.label(), counts.get(kind));
                Ok(Step::new(Applied::msg(message), vec![Restore::RoomReaction { item, kind }]))
            }
            (PhaseKind::DotVote(_), Some(_)) => Err("a dot vote counts hands per item, not reactions".into()),
            (PhaseKind::Present { .. }, None) => {
                Err("say which reaction the hands are for: agree, add or challenge".into())
            }
            _ => {
                Err(format!("{} has nothing to count hands for; enter poll answers as answers", self.phase_name(phase)))
            }
        }
    }
}

fn run_shown(run: &super::model::PhaseRun) -> usize {
    run.shown.max(run.focus + 1)
}
