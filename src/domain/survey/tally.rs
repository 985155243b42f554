//! Aggregating responses: per item n, missing (only where the item was asked) and
//! type-specific figures, for everyone and optionally per answer of a `by` item.
//!
//! Built for 100,000 respondents × 30 items: everything that depends only on the
//! survey (compiled skip logic, choice indices) is prepared once, each response's
//! answers are laid out by item index with one merge pass (or read that way from the
//! store: `DenseResponse`), and the per-cell work allocates nothing. A
//! [`StreamingTally`] takes responses one at a time, so they need never all be in
//! memory.

use std::collections::HashMap;

use serde::{Deserialize, Serialize};

use super::answer::{Answer, Pick, Response};
use super::dense::{AnswerLayout, DenseResponse};
use super::logic::{Cond, compile};
use super::relevance::skip_reason;
use super::spec::{Item, ItemKind, Survey};
use super::tally_out::{GroupTally, ItemStats, ItemTally, Tally};

/// Which responses to count, and an optional breakdown.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct TallyFilter {
    /// Only responses from this pilot.
    pub pilot: Option<String>,
    /// Only responses from this round.
    pub round: Option<u32>,
    /// Also tally separately per answer of this single-choice item (e.g. organisation type).
    pub by: Option<String>,
}

/// Default pilot-name comparison: equal ignoring case and surrounding blanks.
pub fn names_match(a: &str, b: &str) -> bool {
    a.trim().chars().flat_map(char::to_lowercase).eq(b.trim().chars().flat_map(char::to_lowercase))
}

/// [`tally_with`] using [`names_match`] for pilot names.
pub fn tally(survey: &Survey, responses: &[Response], filter: &TallyFilter) -> Result<Tally, String> {
    tally_with(survey, responses, filter, names_match)
}

/// Tally `responses`. `pilot_matches(response_pilot, name)` decides whether a
/// response's pilot is the one called `name` (in the filter or an item's `pilots`),
/// so the caller can honour pilots' alternative names. Fails only on a bad `by`.
/// Answers that do not fit their item (see `check_response`) are left out.
/// (A [`StreamingTally`] fed every response.)
pub fn tally_with(
    survey: &Survey,
    responses: &[Response],
    filter: &TallyFilter,
    pilot_matches: impl Fn(&str, &str) -> bool,
) -> Result<Tally, String> {
    let mut tally = StreamingTally::new(survey, filter, pilot_matches)?;
    // `add` without a fresh layout buffer per response.
    let mut dense: Vec<Option<&Answer>> = vec![None; tally.plans.len()];
    for r in responses {
        if tally.wanted(r.round, r.pilot.as_deref()) {
            tally.layout.lay_out(r, &mut dense);
            tally.count(r.round, r.pilot.as_deref(), |i| dense[i]);
        }
    }
    Ok(tally.finish())
}

/// A tally built one response at a time, so responses can be read from the store and
/// dropped as they come: memory depends on the survey, not on how many responded
/// (number items aside, which keep their values for the median). Feeding it every
/// response gives what [`tally_with`] gives.
pub struct StreamingTally<'s, F> {
    survey: &'s Survey,
    filter: TallyFilter,
    pilot_matches: F,
    plans: Vec<Plan<'s>>,
    /// The `by` item's index.
    by: Option<usize>,
    group_keys: Vec<String>,
    /// `plans.len()` accumulators per bucket: everyone, then each group.
    accs: Vec<Acc>,
    respondents: Vec<u64>,
    layout: AnswerLayout<'s>,
}

impl<'s, F: Fn(&str, &str) -> bool> StreamingTally<'s, F> {
    /// Prepares everything that depends only on the survey. Fails only on a bad `by`.
    pub fn new(survey: &'s Survey, filter: &TallyFilter, pilot_matches: F) -> Result<Self, String> {
        let plans: Vec<Plan> = survey.items.iter().enumerate().map(|(i, item)| Plan::new(survey, i, item)).collect();
        let by = match &filter.by {
            None => None,
            Some(id) => match survey.item_index(id) {
                Some(i) if matches!(survey.items[i].kind, ItemKind::Single { .. }) => Some(i),
                Some(_) => return Err(format!("cannot break down by `{id}`: it is not a single-choice item")),
                None => return Err(format!("cannot break down by `{id}`: no such item")),
            },
        };
        let group_keys: Vec<String> = by.map(|i| group_keys(&survey.items[i])).unwrap_or_default();
        let buckets = 1 + group_keys.len();
        let accs: Vec<Acc> = (0..buckets).flat_map(|_| plans.iter().map(Acc::new)).collect();
        Ok(StreamingTally {
            survey,
            filter: filter.clone(),
            pilot_matches,
            plans,
            by,
            group_keys,
            accs,
            respondents: vec![0; buckets],
            layout: AnswerLayout::new(survey),
        })
    }

    /// Counts one response (unless the filter leaves it out).
    pub fn add(&mut self, r: &Response) {
        if !self.wanted(r.round, r.pilot.as_deref()) {
            return;
        }
        let mut dense: Vec<Option<&Answer>> = vec![None; self.plans.len()];
        self.layout.lay_out(r, &mut dense);
        self.count(r.round, r.pilot.as_deref(), |i| dense[i]);
    }

    /// Counts one response laid out for this survey (`answers[i]` answers item `i`, as
    /// [`AnswerLayout`] reads them), unless the filter leaves it out: the same as
    /// [`add`](Self::add) with the `Response`.
    pub fn add_dense(&mut self, r: &DenseResponse) {
        assert_eq!(r.answers.len(), self.plans.len(), "a response laid out for another survey");
        if self.wanted(r.round, r.pilot.as_deref()) {
            self.count(r.round, r.pilot.as_deref(), |i| r.answers[i].as_ref());
        }
    }

    fn wanted(&self, round: Option<u32>, pilot: Option<&str>) -> bool {
        self.filter.round.is_none_or(|r| round == Some(r))
            && self.filter.pilot.as_deref().is_none_or(|name| pilot.is_some_and(|p| (self.pilot_matches)(p, name)))
    }

    /// `answer_of(i)` = the response's answer to item `i`.
    fn count<'a>(&mut self, round: Option<u32>, pilot: Option<&str>, answer_of: impl Fn(usize) -> Option<&'a Answer>) {
        let (plans, pilot_matches) = (&self.plans, &self.pilot_matches);
        let width = plans.len();
        let group = self.by.and_then(|b| answer_of(b).and_then(|a| plans[b].group_of(a)));
        self.respondents[0] += 1;
        if let Some(g) = group {
            self.respondents[1 + g] += 1;
        }
        let pilot_ok = |name: &str| pilot.is_some_and(|p| pilot_matches(p, name));
        for (i, plan) in plans.iter().enumerate() {
            let answer = answer_of(i);
            // Relevance matters only for empty cells: an answer counts wherever it is.
            let missing = answer.is_none()
                && skip_reason(plan.item, plan.cond.as_ref(), round, pilot.is_some(), &pilot_ok, &answer_of).is_none();
            for bucket in std::iter::once(0).chain(group.map(|g| g + 1)) {
                let acc = &mut self.accs[bucket * width + i];
                match answer {
                    Some(a) => acc.add(&plan.shape, a),
                    None if missing => acc.missing += 1,
                    None => {}
                }
            }
        }
    }

    /// The figures for everything added.
    pub fn finish(self) -> Tally {
        let width = self.plans.len();
        let finish = |bucket: usize| -> Vec<ItemTally> {
            self.plans.iter().zip(&self.accs[bucket * width..(bucket + 1) * width]).map(|(p, a)| a.finish(p)).collect()
        };
        let groups = self.by.map(|_| {
            let groups = self.group_keys.iter().enumerate();
            groups
                .map(|(g, key)| GroupTally {
                    value: key.clone(),
                    respondents: self.respondents[g + 1],
                    items: finish(g + 1),
                })
                .collect()
        });
        Tally { survey: self.survey.id.clone(), respondents: self.respondents[0], items: finish(0), groups }
    }
}

const OTHER: &str = "Other";

fn group_keys(item: &Item) -> Vec<String> {
    let mut keys: Vec<String> = item.choices().iter().map(|c| c.key().to_string()).collect();
    if item.allows_other() {
        keys.push(OTHER.to_string());
    }
    keys
}

/// The survey-only half of the work for one item, prepared once.
struct Plan<'s> {
    item: &'s Item,
    cond: Option<Cond>,
    shape: Shape<'s>,
}

enum Shape<'s> {
    /// Scale values in the scale's order; counts are indexed the same way.
    Scale {
        values: Vec<i64>,
        has_dont_know: bool,
    },
    Nps,
    /// Counts per choice, then one slot for "Other".
    Choice {
        index: ChoiceIndex<'s>,
        len: usize,
        other: bool,
    },
    Number,
    Text,
}

impl<'s> Plan<'s> {
    fn new(survey: &'s Survey, idx: usize, item: &'s Item) -> Plan<'s> {
        let cond = item.relevant.as_ref().map(|c| compile(c.expr(), survey, idx, &mut Vec::new()));
        let shape = match &item.kind {
            ItemKind::Scale { .. } => {
                let scale = survey.scale_of(item);
                Shape::Scale {
                    values: scale.map(|s| s.points.iter().map(|p| p.value).collect()).unwrap_or_default(),
                    has_dont_know: scale.is_some_and(|s| s.dont_know.is_some()),
                }
            }
            ItemKind::Nps => Shape::Nps,
            ItemKind::Single { choices, other } | ItemKind::Multi { choices, other, .. } => Shape::Choice {
                index: ChoiceIndex::new(choices.iter().map(|c| c.key()).collect()),
                len: choices.len(),
                other: *other,
            },
            ItemKind::Number { .. } => Shape::Number,
            ItemKind::Text => Shape::Text,
        };
        Plan { item, cond, shape }
    }

    /// The group (index into `group_keys`) of an answer to the `by` item.
    fn group_of(&self, a: &Answer) -> Option<usize> {
        match (&self.shape, a) {
            (Shape::Choice { index, .. }, Answer::Choice(k)) => index.get(k),
            (Shape::Choice { len, other: true, .. }, Answer::Other(_)) => Some(*len),
            _ => None,
        }
    }
}

/// Choice key → position. A short list is scanned (comparing lengths first is
/// cheaper than hashing); a long one is hashed.
enum ChoiceIndex<'s> {
    Few(Vec<&'s str>),
    Many(HashMap<&'s str, usize>),
}

impl<'s> ChoiceIndex<'s> {
    fn new(keys: Vec<&'s str>) -> Self {
        if keys.len() <= 12 {
            ChoiceIndex::Few(keys)
        } else {
            ChoiceIndex::Many(keys.into_iter().enumerate().map(|(i, k)| (k, i)).collect())
        }
    }

    fn get(&self, key: &str) -> Option<usize> {
        match self {
            ChoiceIndex::Few(keys) => keys.iter().position(|k| *k == key),
            ChoiceIndex::Many(map) => map.get(key).copied(),
        }
    }
}

/// Running figures for one item in one bucket.
struct Acc {
    n: u64,
    missing: u64,
    dont_know: u64,
    counts: Vec<u64>,
    /// Number items only: every value, for the median.
    values: Vec<f64>,
}

impl Acc {
    fn new(plan: &Plan) -> Acc {
        let slots = match &plan.shape {
            Shape::Scale { values, .. } => values.len(),
            Shape::Nps => 11,
            Shape::Choice { len, .. } => len + 1,
            Shape::Number | Shape::Text => 0,
        };
        Acc { n: 0, missing: 0, dont_know: 0, counts: vec![0; slots], values: Vec::new() }
    }

    fn add(&mut self, shape: &Shape, a: &Answer) {
        let counted = match (shape, a) {
            (Shape::Scale { values, .. }, Answer::Scale(v)) => match values.iter().position(|x| x == v) {
                Some(i) => {
                    self.counts[i] += 1;
                    true
                }
                None => false,
            },
            (Shape::Scale { has_dont_know: true, .. }, Answer::DontKnow) => {
                self.dont_know += 1;
                true
            }
            (Shape::Nps, Answer::Scale(v @ 0..=10)) => {
                self.counts[*v as usize] += 1;
                true
            }
            (Shape::Choice { index, .. }, Answer::Choice(k)) => match index.get(k) {
                Some(i) => {
                    self.counts[i] += 1;
                    true
                }
                None => false,
            },
            (Shape::Choice { len, other: true, .. }, Answer::Other(_)) => {
                self.counts[*len] += 1;
                true
            }
            (Shape::Choice { index, len, other }, Answer::Multi(picks)) => {
                let (mut any, mut any_other) = (false, false);
                for p in picks {
                    match p {
                        Pick::Choice(k) => {
                            if let Some(i) = index.get(k) {
                                self.counts[i] += 1;
                                any = true;
                            }
                        }
                        Pick::Other(_) => any_other |= *other,
                    }
                }
                if any_other {
                    self.counts[*len] += 1;
                }
                any || any_other
            }
            (Shape::Number, Answer::Number(x)) => {
                self.values.push(*x);
                true
            }
            (Shape::Text, Answer::Text(_)) => true,
            _ => false,
        };
        self.n += u64::from(counted);
    }

    fn finish(&self, plan: &Plan) -> ItemTally {
        let stats = match &plan.shape {
            Shape::Scale { values, has_dont_know } => {
                let mut pairs: Vec<(f64, u64)> =
                    values.iter().map(|v| *v as f64).zip(self.counts.iter().copied()).collect();
                let counts = values.iter().zip(&self.counts).map(|(v, c)| (v.to_string(), *c)).collect();
                let (sum, total) = pairs.iter().fold((0.0, 0), |(s, t), (v, c)| (s + v * *c as f64, t + c));
                pairs.sort_by(|a, b| a.0.total_cmp(&b.0));
                ItemStats::Scale {
                    dont_know: has_dont_know.then_some(self.dont_know),
                    counts,
                    mean: (total > 0).then(|| round2(sum / total as f64)),
                    median: median_of_counts(&pairs),
                }
            }
            Shape::Nps => {
                let sum = |r: std::ops::RangeInclusive<usize>| self.counts[r].iter().sum::<u64>();
                let (promoters, passives, detractors) = (sum(9..=10), sum(7..=8), sum(0..=6));
                let total = promoters + passives + detractors;
                let score = (total > 0).then(|| round2(100.0 * (promoters as f64 - detractors as f64) / total as f64));
                ItemStats::Nps { promoters, passives, detractors, score }
            }
            Shape::Choice { other, .. } => {
                let mut keys = group_keys(plan.item);
                if !other {
                    keys.truncate(self.counts.len() - 1);
                }
                ItemStats::Choice { counts: keys.into_iter().zip(self.counts.iter().copied()).collect() }
            }
            Shape::Number => {
                let mut sorted = self.values.clone();
                sorted.sort_by(f64::total_cmp);
                let len = sorted.len();
                ItemStats::Number {
                    mean: (len > 0).then(|| round2(sorted.iter().sum::<f64>() / len as f64)),
                    median: (len > 0).then(|| (sorted[(len - 1) / 2] + sorted[len / 2]) / 2.0),
                    min: sorted.first().copied(),
                    max: sorted.last().copied(),
                }
            }
            Shape::Text => ItemStats::Text,
        };
        ItemTally {
            id: plan.item.id.clone(),
            kind: plan.item.kind.type_name(),
            n: self.n,
            missing: self.missing,
            stats,
        }
    }
}

fn round2(x: f64) -> f64 {
    (x * 100.0).round() / 100.0
}

/// Median of a distribution given as (value, count) sorted by value; an even total
/// takes the mean of the two middle values.
fn median_of_counts(pairs: &[(f64, u64)]) -> Option<f64> {
    let total: u64 = pairs.iter().map(|(_, c)| c).sum();
    if total == 0 {
        return None;
    }
    let at = |pos: u64| {
        let mut seen = 0;
        pairs.iter().find(|(_, c)| {
            seen += c;
            seen > pos
        })
    };
    let (lo, hi) = (at((total - 1) / 2)?.0, at(total / 2)?.0);
    Some((lo + hi) / 2.0)
}
