//! Live results of a phase: what the console's bars show. Always with n, broken down
//! by organisation type where it applies (disagreement between organisation types must
//! stay visible rather than be averaged away), and recomputed from the raw input every
//! time, so a tally can never drift from the votes behind it.

use std::collections::{BTreeMap, BTreeSet};

use serde::Serialize;

use super::engine::Workshop;
use super::model::{Actor, ItemId, ParticipantId, ReactionCounts};
use super::template::PhaseKind;
use crate::domain::survey::{Response, Tally, TallyFilter, tally};

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct PhaseTally {
    /// 0-based.
    pub phase: usize,
    /// Participants may not see the full results yet.
    pub hidden: bool,
    /// A participant's view of hidden results: only their own input is in it.
    pub own_only: bool,
    pub results: TallyResults,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(tag = "kind", rename_all = "kebab-case")]
pub enum TallyResults {
    /// `n` = participants who reacted to at least one item.
    Present {
        rows: Vec<ReactionRow>,
        n: u32,
    },
    DotVote(DotTally),
    /// The survey tally of the asked items, then the same per organisation type.
    ScalePoll {
        tally: Tally,
        by_org: Vec<(String, Tally)>,
    },
    /// Rows sorted by mean rank, best first; `n` = participants who ranked.
    Rank {
        rows: Vec<RankRow>,
        n: u32,
    },
    /// Write, cluster, actions and discuss phases: what was captured.
    Captured {
        items: u32,
        contributors: u32,
        notes: u32,
    },
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ReactionRow {
    pub item: ItemId,
    /// Participants' reactions plus hands counted for the room.
    pub counts: ReactionCounts,
    /// Hands counted by the facilitator (included in `counts`).
    pub room: ReactionCounts,
    pub n: u32,
    /// Comments made with the reactions (each an item of its own).
    pub comments: u32,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct DotTally {
    /// The options in list order, plus any item that got dots before leaving the list.
    pub rows: Vec<DotRow>,
    /// Participants with at least one dot placed.
    pub voters: u32,
    pub dots_used: u32,
    /// Participants × dots each.
    pub dots_possible: u32,
    /// Dots counted from raised hands (not in `dots_used`: the room has no budget).
    pub room_dots: u32,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct DotRow {
    pub item: ItemId,
    /// Participants' dots plus room dots.
    pub dots: u32,
    pub room: u32,
    /// Participants with at least one dot on the item.
    pub voters: u32,
    /// Participants' dots per organisation type.
    pub by_org: BTreeMap<String, u32>,
    /// Who placed how many dots; empty when the vote is anonymous.
    pub attributed: Vec<(ParticipantId, u32)>,
    pub reasons: Vec<Reason>,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Reason {
    /// `None` when the vote is anonymous.
    pub by: Option<ParticipantId>,
    pub text: String,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct RankRow {
    pub item: ItemId,
    /// 1 = first; `None` when nobody ranked the item.
    pub mean_rank: Option<f64>,
    pub n: u32,
    /// How many put it first.
    pub firsts: u32,
}

impl Workshop {
    /// Everything, as the facilitator sees it; `hidden` says whether participants may.
    pub fn tally(&self, phase: usize) -> Option<PhaseTally> {
        self.tally_of(phase, None)
    }

    /// The tally `actor` may see: everything for the facilitator and for participants
    /// once revealed; before that a participant sees only their own input.
    pub fn tally_for(&self, actor: &Actor, phase: usize) -> Option<PhaseTally> {
        match actor {
            Actor::Participant(p) if !self.phases.get(phase)?.visible => self.tally_of(phase, Some(p)),
            _ => self.tally_of(phase, None),
        }
    }

    /// `only`: count just this participant's input (and no room input).
    fn tally_of(&self, phase: usize, only: Option<&str>) -> Option<PhaseTally> {
        let run = self.phases.get(phase)?;
        let counts = |p: &str| only.is_none_or(|o| o == p);
        let room = only.is_none();
        let results = match &run.spec.kind {
            PhaseKind::Present { .. } => {
                let mut reactors = BTreeSet::new();
                let rows = self.presented(phase).into_iter().map(|item| {
                    let mut counts_row = ReactionCounts::default();
                    for (p, kind) in item.reactions.iter().filter(|(p, _)| counts(p)) {
                        *counts_row.get_mut(*kind) += 1;
                        reactors.insert(p.as_str());
                    }
                    let room_row = if room { item.room_reactions } else { ReactionCounts::default() };
                    for kind in super::model::ReactionKind::ALL {
                        *counts_row.get_mut(kind) += room_row.get(kind);
                    }
                    let comments = self.items.iter().filter(|c| {
                        c.about.is_some_and(|(about, _)| about == item.id) && c.author.as_deref().is_some_and(counts)
                    });
                    ReactionRow {
                        item: item.id,
                        counts: counts_row,
                        room: room_row,
                        n: counts_row.total(),
                        comments: comments.count() as u32,
                    }
                });
                let rows = rows.collect();
                TallyResults::Present { rows, n: reactors.len() as u32 }
            }
            PhaseKind::DotVote(rules) => {
                let ballots: Vec<_> = run.ballots.iter().filter(|b| counts(&b.voter)).collect();
                let mut ids = self.options(phase);
                ids.extend(ballots.iter().map(|b| b.item));
                if room {
                    ids.extend(run.room_dots.keys());
                }
                let rows = self.in_item_order(ids).into_iter().map(|item| {
                    let mine: Vec<_> = ballots.iter().filter(|b| b.item == item).collect();
                    let room_n = if room { run.room_dots.get(&item).copied().unwrap_or(0) } else { 0 };
                    let mut by_org = BTreeMap::new();
                    for b in &mine {
                        *by_org.entry(self.org_of(&b.voter)).or_default() += b.dots;
                    }
                    let by = |p: &ParticipantId| (!rules.anonymous).then(|| p.clone());
                    let reasons =
                        mine.iter().filter_map(|b| Some(Reason { by: by(&b.voter), text: b.reason.clone()? }));
                    DotRow {
                        item,
                        dots: mine.iter().map(|b| b.dots).sum::<u32>() + room_n,
                        room: room_n,
                        voters: mine.len() as u32,
                        by_org,
                        attributed: mine.iter().filter_map(|b| Some((by(&b.voter)?, b.dots))).collect(),
                        reasons: reasons.collect(),
                    }
                });
                let voters: BTreeSet<&str> = ballots.iter().map(|b| b.voter.as_str()).collect();
                let people = if only.is_some() { 1 } else { self.participants.len() as u32 };
                TallyResults::DotVote(DotTally {
                    rows: rows.collect(),
                    voters: voters.len() as u32,
                    dots_used: ballots.iter().map(|b| b.dots).sum(),
                    dots_possible: people * rules.dots,
                    room_dots: if room { run.room_dots.values().sum() } else { 0 },
                })
            }
            PhaseKind::ScalePoll { .. } => {
                let survey = run.poll.as_ref()?;
                let response = |p: &str, answers: &BTreeMap<String, _>| Response {
                    respondent: Some(p.to_string()),
                    answers: answers.clone(),
                    ..Response::default()
                };
                let mine: Vec<_> = run.answers.iter().filter(|(p, _)| counts(p)).collect();
                let mut responses: Vec<Response> = mine.iter().map(|(p, a)| response(p, a)).collect();
                if room {
                    // The room's answers cannot be joined up into people: one response each.
                    let single = |(item, answer): &(String, _)| Response {
                        answers: BTreeMap::from([(item.clone(), Clone::clone(answer))]),
                        ..Response::default()
                    };
                    responses.extend(run.room_answers.iter().map(single));
                }
                let filter = TallyFilter::default();
                let overall = tally(survey, &responses, &filter).ok()?;
                let mut groups: BTreeMap<String, Vec<Response>> = BTreeMap::new();
                for (p, a) in &mine {
                    groups.entry(self.org_of(p)).or_default().push(response(p, a));
                }
                let by_org = groups.into_iter().filter_map(|(org, rs)| Some((org, tally(survey, &rs, &filter).ok()?)));
                TallyResults::ScalePoll { tally: overall, by_org: by_org.collect() }
            }
            PhaseKind::Rank { .. } => {
                let rankings: Vec<&Vec<ItemId>> =
                    run.rankings.iter().filter(|(p, _)| counts(p)).map(|(_, order)| order).collect();
                let mut ids = self.options(phase);
                ids.extend(rankings.iter().flat_map(|order| order.iter().copied()));
                let mut rows: Vec<RankRow> = self
                    .in_item_order(ids)
                    .into_iter()
                    .map(|item| {
                        let places: Vec<usize> =
                            rankings.iter().filter_map(|order| order.iter().position(|i| *i == item)).collect();
                        let n = places.len() as u32;
                        let mean_rank =
                            (n > 0).then(|| places.iter().map(|p| (p + 1) as f64).sum::<f64>() / f64::from(n));
                        RankRow { item, mean_rank, n, firsts: places.iter().filter(|p| **p == 0).count() as u32 }
                    })
                    .collect();
                // Stable: ties keep list order. Unranked items go last.
                rows.sort_by(|a, b| match (a.mean_rank, b.mean_rank) {
                    (Some(x), Some(y)) => x.total_cmp(&y),
                    (Some(_), None) => std::cmp::Ordering::Less,
                    (None, Some(_)) => std::cmp::Ordering::Greater,
                    (None, None) => std::cmp::Ordering::Equal,
                });
                TallyResults::Rank { rows, n: rankings.len() as u32 }
            }
            PhaseKind::Write { .. } | PhaseKind::Cluster | PhaseKind::Actions | PhaseKind::Discuss => {
                let items: Vec<_> = self.items.iter().filter(|i| i.phase == phase).collect();
                let contributors: BTreeSet<&str> = items.iter().filter_map(|i| i.author.as_deref()).collect();
                TallyResults::Captured {
                    items: items.len() as u32,
                    contributors: contributors.len() as u32,
                    notes: run.notes.len() as u32,
                }
            }
        };
        Some(PhaseTally { phase, hidden: !run.visible, own_only: only.is_some() && !run.visible, results })
    }

    /// `ids` without repeats, in the order the items were captured.
    fn in_item_order(&self, ids: Vec<ItemId>) -> Vec<ItemId> {
        let wanted: BTreeSet<ItemId> = ids.into_iter().collect();
        self.items.iter().map(|i| i.id).filter(|id| wanted.contains(id)).collect()
    }

    fn org_of(&self, p: &str) -> String {
        self.participants.get(p).map_or_else(|| "unknown".to_string(), |p| p.org_type.clone())
    }
}

impl DotTally {
    pub fn row(&self, item: ItemId) -> Option<&DotRow> {
        self.rows.iter().find(|r| r.item == item)
    }
}

impl TallyResults {
    pub fn dot_vote(&self) -> Option<&DotTally> {
        match self {
            TallyResults::DotVote(d) => Some(d),
            _ => None,
        }
    }

    pub fn rank_rows(&self) -> Option<&[RankRow]> {
        match self {
            TallyResults::Rank { rows, .. } => Some(rows),
            _ => None,
        }
    }
}
