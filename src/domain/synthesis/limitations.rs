//! The data-limitations section, fed from the data instead of written from memory:
//! survey items with low n, pilots no survey reached, indicators without a baseline or
//! target, conflicting values, and interviews held in special circumstances. These are
//! exactly the gaps the reports admitted only in passing, or not at all.

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use crate::domain::impact::ImpactMap;
use crate::domain::indicator::format_value;
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

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Limitation {
    pub kind: LimitationKind,
    /// A sentence for the report.
    pub text: String,
    /// What it is about, by stable id: "partner-2020 · goals_clear", "p12", "p9/5", "i4".
    pub subject: String,
}

/// One tally the report uses, with the filter that produced it.
#[derive(Debug, Clone, Copy)]
pub struct SurveyTally<'a> {
    pub survey: &'a str,
    pub title: &'a str,
    /// "pilot p2 · round 1"; empty for all responses.
    pub filter: &'a str,
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
    out.extend(context_appendix(input.interviews).into_iter().filter(|n| n.special).map(|n| Limitation {
        kind: LimitationKind::SpecialContext,
        text: format!(
            "Interview with {} ({}) on {} was held {}: read it in that light",
            n.cited_as,
            pilot_names(input.pilots, &n.pilots),
            n.date,
            n.context
        ),
        subject: n.interview,
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

fn pilot_names(pilots: &[Pilot], ids: &[Id]) -> String {
    ids.iter().map(|id| pilot_name(pilots, id)).collect::<Vec<_>>().join(", ")
}

/// Too few answers to print figures from. Free-text items have no figures, and an item
/// nobody was asked under this filter (a round-2 item in a round-1 tally) has no
/// answers to be few, so neither is reported.
fn is_low(item: &ItemTally) -> bool {
    !matches!(item.stats, ItemStats::Text) && item.n < LOW_N && (item.n > 0 || item.missing > 0)
}

fn low_n(t: &SurveyTally, out: &mut Vec<Limitation>) {
    let filter = if t.filter.is_empty() { String::new() } else { format!(" ({})", t.filter) };
    for item in &t.tally.items {
        let subject = if t.filter.is_empty() {
            format!("{} · {}", t.survey, item.id)
        } else {
            format!("{} · {} · {}", t.survey, item.id, t.filter)
        };
        if is_low(item) {
            let missing =
                if item.missing > 0 { format!(", {} asked left it empty", item.missing) } else { String::new() };
            out.push(Limitation {
                kind: LimitationKind::LowN,
                text: format!("{}{filter}: '{}' answered by n = {}{missing}", t.title, item.id, item.n),
                subject,
            });
            continue;
        }
        // Enough answers overall, but breakdowns can still hide cells of 2 and 5.
        let small: Vec<String> = t
            .tally
            .groups
            .iter()
            .flatten()
            .filter_map(|g| g.item(&item.id).filter(|i| is_low(i)).map(|i| format!("{} n = {}", g.value, i.n)))
            .collect();
        if !small.is_empty() {
            out.push(Limitation {
                kind: LimitationKind::LowN,
                text: format!(
                    "{}{filter}: '{}' has n = {} overall but small groups: {}",
                    t.title,
                    item.id,
                    item.n,
                    small.join(", ")
                ),
                subject,
            });
        }
    }
}

fn no_responses(input: &LimitationInput, out: &mut Vec<Limitation>) {
    for p in input.pilots.iter().filter(|p| !p.archived) {
        let count = input.responses_per_pilot.iter().find(|(id, _)| *id == p.id).map_or(0, |(_, n)| *n);
        if count > 0 {
            continue;
        }
        let status = match p.status() {
            PilotStatus::Active => String::new(),
            s => format!(" (status: {s})"),
        };
        out.push(Limitation {
            kind: LimitationKind::NoResponses,
            text: format!("{}{status}: no survey responses", p.name),
            subject: p.id.clone(),
        });
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
            let gaps = ind.gaps();
            if !gaps.is_empty() {
                out.push(Limitation {
                    kind: LimitationKind::MissingBaselineOrTarget,
                    text: format!("{name}: indicator '{}' has {}", ind.name, gaps.join(" and ")),
                    subject: subject.clone(),
                });
            }
            for c in ind.conflicts() {
                let values: Vec<String> = c.values.iter().map(|v| format_value(*v)).collect();
                out.push(Limitation {
                    kind: LimitationKind::ConflictingValues,
                    text: format!(
                        "{name}: '{}' as of {} ({}) is given as {}",
                        ind.name,
                        c.as_of,
                        c.source.label(),
                        values.join(" and ")
                    ),
                    subject: subject.clone(),
                });
            }
        }
    }
}
