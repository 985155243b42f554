//! Whether an item was asked of a respondent: its rounds, its pilots and its skip logic.
//! `missing` in a tally counts only respondents for whom the item was relevant.

use super::answer::{Answer, Response};
use super::logic::{Cond, compile};
use super::spec::{Item, Survey};
use super::tally::names_match;

/// Why an item was not asked.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Skip {
    Round,
    Pilot,
    Logic,
}

impl Survey {
    /// Whether `item` was asked of this respondent. `pilot_name_matches(name)` says
    /// whether the response's pilot is known by `name` (pilots have alternative names).
    /// An unknown round or pilot on the response restricts nothing: we cannot show the
    /// item was not asked.
    pub fn is_relevant(&self, item: &Item, response: &Response, pilot_name_matches: impl Fn(&str) -> bool) -> bool {
        let owner = self.item_index(&item.id).unwrap_or(self.items.len());
        let cond = item.relevant.as_ref().map(|c| compile(c.expr(), self, owner, &mut Vec::new()));
        let answer_of = |i: usize| response.answers.get(&self.items[i].id);
        skip_reason(item, cond.as_ref(), response.round, response.pilot.is_some(), &pilot_name_matches, &answer_of)
            .is_none()
    }

    /// Problems with one response: unknown items, invalid answers, answers to items
    /// that were not asked, required items left empty. Pilot names match ignoring case.
    pub fn check_response(&self, response: &Response) -> Vec<String> {
        let mut problems = Vec::new();
        for id in response.answers.keys() {
            if self.item(id).is_none() {
                problems.push(format!("answer to unknown item `{id}`"));
            }
        }
        let pilot = response.pilot.as_deref();
        let pilot_matches = |name: &str| pilot.is_some_and(|p| names_match(p, name));
        let answer_of = |i: usize| response.answers.get(&self.items[i].id);
        for (idx, item) in self.items.iter().enumerate() {
            let cond = item.relevant.as_ref().map(|c| compile(c.expr(), self, idx, &mut Vec::new()));
            let skip = skip_reason(item, cond.as_ref(), response.round, pilot.is_some(), &pilot_matches, &answer_of);
            match (response.answers.get(&item.id), skip) {
                (Some(answer), skip) => {
                    if let Err(e) = self.check_answer(item, answer) {
                        problems.push(format!("`{}`: {e}", item.id));
                    }
                    if let Some(why) = skip {
                        problems.push(format!(
                            "answer to `{}`, an item that was not relevant: {}",
                            item.id,
                            explain(item, why, response)
                        ));
                    }
                }
                (None, None) if item.required => problems.push(format!("required item `{}` was not answered", item.id)),
                (None, _) => {}
            }
        }
        problems
    }
}

/// Every item's skip logic compiled once, for checking many responses
/// ([`Survey::relevance`]).
pub struct Relevance<'s> {
    survey: &'s Survey,
    conds: Vec<Option<Cond>>,
}

impl Survey {
    /// [`Survey::is_relevant`] for many responses: the conditions are compiled once.
    pub fn relevance(&self) -> Relevance<'_> {
        let conds = self
            .items
            .iter()
            .enumerate()
            .map(|(idx, item)| item.relevant.as_ref().map(|c| compile(c.expr(), self, idx, &mut Vec::new())))
            .collect();
        Relevance { survey: self, conds }
    }
}

impl Relevance<'_> {
    /// Whether item number `idx` was asked of this respondent; see [`Survey::is_relevant`].
    pub fn is_relevant(&self, idx: usize, response: &Response, pilot_name_matches: impl Fn(&str) -> bool) -> bool {
        let items = &self.survey.items;
        let answer_of = |i: usize| response.answers.get(&items[i].id);
        let cond = self.conds[idx].as_ref();
        skip_reason(&items[idx], cond, response.round, response.pilot.is_some(), &pilot_name_matches, &answer_of)
            .is_none()
    }
}

fn explain(item: &Item, why: Skip, response: &Response) -> String {
    match why {
        Skip::Round => format!("not asked in round {}", response.round.unwrap_or_default()),
        Skip::Pilot => format!("not asked for pilot {}", response.pilot.as_deref().unwrap_or_default()),
        Skip::Logic => {
            let src = item.relevant.as_ref().map_or("", |c| c.source());
            format!("its condition `{src}` is false")
        }
    }
}

/// The shared core of relevance, used per respondent by the tally as well.
pub(crate) fn skip_reason<'a>(
    item: &Item,
    cond: Option<&Cond>,
    round: Option<u32>,
    has_pilot: bool,
    pilot_matches: &impl Fn(&str) -> bool,
    answer_of: &impl Fn(usize) -> Option<&'a Answer>,
) -> Option<Skip> {
    if let (Some(rounds), Some(r)) = (&item.rounds, round)
        && !rounds.contains(&r)
    {
        return Some(Skip::Round);
    }
    if let Some(pilots) = &item.pilots
        && has_pilot
        && !pilots.iter().any(|p| pilot_matches(p))
    {
        return Some(Skip::Pilot);
    }
    match cond {
        Some(c) if !c.eval(answer_of) => Some(Skip::Logic),
        _ => None,
    }
}
