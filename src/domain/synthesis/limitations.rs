//! The data-limitations section, fed from the data instead of written from memory:
//! survey items with low n, pilots no survey reached, indicators without a baseline or
//! target, conflicting values, and interviews held in special circumstances. These are
//! exactly the gaps the reports admitted only in passing, or not at all.

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use crate::domain::impact::ImpactMap;
use crate::domain::indicator::Source;
use crate::domain::interview::Interview;
use crate::domain::survey::{ItemStats, ItemTally, LOW_N, Tally};
use crate::domain::{Id, Pilot, PilotStatus};

/// Words that mark an interview's context as out of the ordinary. Interviews at the
/// COVID-19 onset, after layoffs or a suspension decision read differently: people
/// speak from a crisis, so their account cannot be compared with routine rounds
/// without saying so. Matched at the start of a word, ignoring case ("suspen" catches
/// suspension and suspended; "closing" the borders as well as the offices).
pub const SPECIAL_CONTEXT_WORDS: &[&str] = &[
    "covid",
    "pandemic",
    "corona",
    "lockdown",
    "onset",
    "layoff",
    "lay-off",
    "redundanc",
    "closing",
    "closed",
    "closure",
    "shutdown",
    "suspen",
    "strike",
    "collaps",
    "bankrupt",
    "crisis",
];

/// Sorted the way the section is printed: survey data first, then indicators, then
/// interviews.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum LimitationKind {
    LowN,
    NoResponses,
    MissingBaselineOrTarget,
    ConflictingValues,
    SpecialContext,
}

/// Which responses a tally counted: all of them, or one pilot's, or one round's.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct TallyScope {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub pilot: Option<Id>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub round: Option<u32>,
}

impl TallyScope {
    pub fn is_all(&self) -> bool {
        self.pilot.is_none() && self.round.is_none()
    }
}

/// What was found, as facts: the report phrases them in its own language, so nothing
/// here is a sentence. Names are the ones in the data (pilot names, survey titles,
/// indicator names), which no locale translates.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "fact", rename_all = "kebab-case")]
pub enum LimitationFact {
    /// Too few answers to an item to print figures from.
    LowN { survey: String, scope: TallyScope, item: String, n: u64, missing: u64 },
    /// Enough answers overall, but a breakdown hides small cells: (group, n) pairs.
    SmallGroups { survey: String, scope: TallyScope, item: String, n: u64, groups: Vec<(String, u64)> },
    /// A pilot without a single survey response; its status when not active.
    NoResponses { pilot: String, status: Option<PilotStatus> },
    /// An indicator lacking a baseline, a target or both.
    MissingBaselineOrTarget { pilot: String, indicator: String, baseline: bool, target: bool },
    /// Several values for the same date and source.
    ConflictingValues { pilot: String, indicator: String, as_of: NaiveDate, source: Source, values: Vec<f64> },
    /// An interview held in special circumstances: who (a role), for which pilots, when, in what context.
    SpecialContext { cited_as: String, pilots: Vec<String>, date: NaiveDate, context: String },
}

impl LimitationFact {
    pub fn kind(&self) -> LimitationKind {
        match self {
            LimitationFact::LowN { .. } | LimitationFact::SmallGroups { .. } => LimitationKind::LowN,
            LimitationFact::NoResponses { .. } => LimitationKind::NoResponses,
            LimitationFact::MissingBaselineOrTarget { .. } => LimitationKind::MissingBaselineOrTarget,
            LimitationFact::ConflictingValues { .. } => LimitationKind::ConflictingValues,
            LimitationFact::SpecialContext { .. } => LimitationKind::SpecialContext,
        }
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Limitation {
    pub kind: LimitationKind,
    pub fact: LimitationFact,
    /// What it is about, by stable id: "partner-2020 · goals_clear", "p12", "p9/5", "i4".
    /// A tally's filter is not part of it: it is in the fact's scope, for the report to
    /// phrase.
    pub subject: String,
}

impl Limitation {
    fn new(fact: LimitationFact, subject: String) -> Limitation {
        Limitation { kind: fact.kind(), fact, subject }
    }
}

/// One tally the report uses, with the filter that produced it.
#[derive(Debug, Clone, Copy)]
pub struct SurveyTally<'a> {
    pub survey: &'a str,
    pub title: &'a str,
    pub pilot: Option<&'a str>,
    pub round: Option<u32>,
    pub tally: &'a Tally,
}

#[derive(Debug, Clone, Copy)]
pub struct LimitationInput<'a> {
    pub tallies: &'a [SurveyTally<'a>],
    /// Survey responses per pilot id; a pilot absent from the list had none.
    pub responses_per_pilot: &'a [(Id, u64)],
    /// The portfolio, in order: names for the text, and the pilots whose coverage counts.
    pub pilots: &'a [Pilot],
    pub maps: &'a [ImpactMap],
    pub interviews: &'a [Interview],
}

/// Every limitation, grouped by kind, in input order within a kind (pilots and their
/// maps in portfolio order, interviews by date).
pub fn limitations(input: &LimitationInput) -> Vec<Limitation> {
    let mut out = Vec::new();
    for t in input.tallies {
        low_n(t, &mut out);
    }
    no_responses(input, &mut out);
    indicators(input, &mut out);
    out.extend(context_appendix(input.interviews).into_iter().filter(|n| n.special).map(|n| {
        let fact = LimitationFact::SpecialContext {
            cited_as: n.cited_as,
            pilots: n.pilots.iter().map(|id| pilot_name(input.pilots, id)).collect(),
            date: n.date,
            context: n.context,
        };
        Limitation::new(fact, n.interview)
    }));
    out.sort_by_key(|l| l.kind);
    out
}

/// Whether an interview context names special circumstances (see [`SPECIAL_CONTEXT_WORDS`]).
pub fn is_special_context(context: &str) -> bool {
    context
        .to_lowercase()
        .split(|c: char| !(c.is_alphanumeric() || c == '-'))
        .any(|word| SPECIAL_CONTEXT_WORDS.iter().any(|w| word.starts_with(w)))
}

/// An interview's context, for the report's appendix.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ContextNote {
    pub interview: Id,
    pub date: NaiveDate,
    /// Role and organisation type, never a name.
    pub cited_as: String,
    pub pilots: Vec<Id>,
    pub context: String,
    /// Also listed among the limitations.
    pub special: bool,
}

/// Every interview with a context, by date. Only the special ones are limitations; the
/// rest ("kick-off", "final round, remote") belong in an appendix, where a reader can
/// still see when and in what setting each account was given, without a routine
/// kick-off crowding out the real caveats in the limitations section.
pub fn context_appendix(interviews: &[Interview]) -> Vec<ContextNote> {
    let mut notes: Vec<(&Interview, ContextNote)> = interviews
        .iter()
        .filter(|i| !i.context.trim().is_empty())
        .map(|i| {
            let note = ContextNote {
                interview: i.id.clone(),
                date: i.at.date(),
                cited_as: i.cited_as(),
                pilots: i.pilots.clone(),
                context: i.context.trim().into(),
                special: is_special_context(&i.context),
            };
            (i, note)
        })
        .collect();
    notes.sort_by(|(a, _), (b, _)| a.at.cmp(&b.at).then_with(|| a.id.cmp(&b.id)));
    notes.into_iter().map(|(_, n)| n).collect()
}

fn pilot_name(pilots: &[Pilot], id: &str) -> String {
    pilots.iter().find(|p| p.id == id).map_or_else(|| id.to_string(), |p| p.name.clone())
}

/// Too few answers to print figures from. Free-text items have no figures, and an item
/// nobody was asked under this filter (a round-2 item in a round-1 tally) has no
/// answers to be few, so neither is reported.
fn is_low(item: &ItemTally) -> bool {
    !matches!(item.stats, ItemStats::Text) && item.n < LOW_N && (item.n > 0 || item.missing > 0)
}

fn low_n(t: &SurveyTally, out: &mut Vec<Limitation>) {
    let scope = TallyScope { pilot: t.pilot.map(Id::from), round: t.round };
    for item in &t.tally.items {
        let subject = format!("{} · {}", t.survey, item.id);
        let (survey, item_id) = (t.title.to_string(), item.id.clone());
        if is_low(item) {
            let fact =
                LimitationFact::LowN { survey, scope: scope.clone(), item: item_id, n: item.n, missing: item.missing };
            out.push(Limitation::new(fact, subject));
            continue;
        }
        // Enough answers overall, but breakdowns can still hide cells of 2 and 5.
        let small: Vec<(String, u64)> = t
            .tally
            .groups
            .iter()
            .flatten()
            .filter_map(|g| g.item(&item.id).filter(|i| is_low(i)).map(|i| (g.value.clone(), i.n)))
            .collect();
        if !small.is_empty() {
            let fact =
                LimitationFact::SmallGroups { survey, scope: scope.clone(), item: item_id, n: item.n, groups: small };
            out.push(Limitation::new(fact, subject));
        }
    }
}

fn no_responses(input: &LimitationInput, out: &mut Vec<Limitation>) {
    for p in input.pilots.iter().filter(|p| !p.archived) {
        let count = input.responses_per_pilot.iter().find(|(id, _)| *id == p.id).map_or(0, |(_, n)| *n);
        if count > 0 {
            continue;
        }
        let status = Some(p.status()).filter(|s| *s != PilotStatus::Active);
        out.push(Limitation::new(LimitationFact::NoResponses { pilot: p.name.clone(), status }, p.id.clone()));
    }
}

fn indicators(input: &LimitationInput, out: &mut Vec<Limitation>) {
    let position = |m: &ImpactMap| input.pilots.iter().position(|p| p.id == m.pilot).unwrap_or(usize::MAX);
    let mut maps: Vec<&ImpactMap> = input.maps.iter().collect();
    maps.sort_by(|a, b| position(a).cmp(&position(b)).then_with(|| a.pilot.cmp(&b.pilot)));
    for m in maps {
        let name = pilot_name(input.pilots, &m.pilot);
        for ind in &m.indicators {
            let subject = format!("{}/{}", m.pilot, ind.id);
            // A funnel count is a stage of the client funnel, not a result with a target.
            let (baseline, target) = (ind.baseline.is_none(), ind.target.is_none());
            if ind.funnel.is_none() && (baseline || target) {
                let fact = LimitationFact::MissingBaselineOrTarget {
                    pilot: name.clone(),
                    indicator: ind.name.clone(),
                    baseline,
                    target,
                };
                out.push(Limitation::new(fact, subject.clone()));
            }
            for c in ind.conflicts() {
                let fact = LimitationFact::ConflictingValues {
                    pilot: name.clone(),
                    indicator: ind.name.clone(),
                    as_of: c.as_of,
                    source: c.source,
                    values: c.values.clone(),
                };
                out.push(Limitation::new(fact, subject.clone()));
            }
        }
    }
}
