//! `WorkshopTemplate::parse`: TOML text → validated template, or every problem found,
//! each as `file:line:col: message`.
//!
//! Like survey files, the document is parsed once into a spanned tree and each
//! `[[phases]]` table is deserialized on its own, so one broken phase does not hide
//! the errors of the next. All settings are read into one flat, position-carrying
//! struct first: a setting given to the wrong kind of phase then gets a message that
//! names the kind, instead of serde's generic "unknown field".

use std::collections::BTreeMap;
use std::ops::Range;

use serde::Deserialize;
use toml::Spanned;
use toml::de::{DeTable, DeValue};

use super::template::{DotRules, PhaseKind, PhaseSpec, WorkshopTemplate};
use crate::domain::survey::{ItemKind, Survey};
use crate::textpos::{Problems, line_col};

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawHeader {
    name: Spanned<String>,
    title: Spanned<String>,
    description: Option<String>,
}

#[derive(Deserialize, Clone, Copy, PartialEq, Eq)]
#[serde(rename_all = "kebab-case")]
enum RawKind {
    Present,
    Write,
    Cluster,
    DotVote,
    ScalePoll,
    Rank,
    Actions,
    Discuss,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawPhase {
    title: Spanned<String>,
    prompt: Spanned<String>,
    minutes: Spanned<u32>,
    kind: Spanned<RawKind>,
    /// Texts to present (present) or survey item ids (scale-poll).
    items: Option<Spanned<Vec<Spanned<String>>>>,
    max_items_per_person: Option<Spanned<u32>>,
    dots: Option<Spanned<u32>>,
    max_per_item: Option<Spanned<u32>>,
    anonymous: Option<Spanned<bool>>,
    hidden: Option<Spanned<bool>>,
    reason: Option<Spanned<bool>>,
    survey: Option<Spanned<String>>,
    options: Option<Spanned<Vec<Spanned<String>>>>,
}

impl WorkshopTemplate {
    /// Parse and validate a template. `file` only labels the messages.
    pub fn parse(file: &str, text: &str) -> Result<WorkshopTemplate, Vec<String>> {
        Self::parse_inner(file, text, None)
    }

    /// [`WorkshopTemplate::parse`], also checking each scale-poll reference against
    /// the survey catalogue, so an unknown survey or item is reported at its place
    /// in the file rather than when the workshop is created.
    pub fn parse_checked(file: &str, text: &str, surveys: &[Survey]) -> Result<WorkshopTemplate, Vec<String>> {
        Self::parse_inner(file, text, Some(surveys))
    }

    fn parse_inner(file: &str, text: &str, surveys: Option<&[Survey]>) -> Result<WorkshopTemplate, Vec<String>> {
        let mut cx = Problems::new(text);
        let template = match DeTable::parse(text) {
            Ok(root) => build(&mut cx, root, surveys),
            Err(e) => {
                cx.toml(&e);
                None
            }
        };
        match template {
            Some(t) if cx.errors.is_empty() => Ok(t),
            _ => {
                cx.errors.sort_by_key(|(offset, _)| *offset);
                let located = cx.errors.into_iter().map(|(offset, message)| {
                    let (line, col) = line_col(text, offset);
                    format!("{file}:{line}:{col}: {message}")
                });
                Err(located.collect())
            }
        }
    }
}

fn build<'t>(
    cx: &mut Problems<'t>,
    root: Spanned<DeTable<'t>>,
    surveys: Option<&[Survey]>,
) -> Option<WorkshopTemplate> {
    let root_span = root.span();
    let mut root = root.into_inner();
    let phases_value = root.remove("phases");
    let header: Option<RawHeader> = cx.de(Spanned::new(root_span, DeValue::Table(root)));
    if let Some(h) = &header {
        let name = h.name.get_ref();
        if name.is_empty() || !name.chars().all(|c| c.is_alphanumeric() || c == '-') {
            cx.at(h.name.span().start, "template name: expected only letters, digits and '-'");
        }
        blank(cx, &h.title, "template `title`");
    }

    let mut phases = Vec::new();
    match phases_value {
        None => cx.at(0, "expected at least one [[phases]] table"),
        Some(value) => {
            let span = value.span();
            match value.into_inner() {
                DeValue::Array(array) if !array.is_empty() => {
                    let mut titles: BTreeMap<String, usize> = BTreeMap::new();
                    for value in array {
                        let Some(raw) = cx.de::<RawPhase>(value) else { continue };
                        let (title, at) = (raw.title.get_ref().trim().to_string(), raw.title.span().start);
                        if let Some(first) = titles.get(&title.to_lowercase()) {
                            let line = cx.line_of(*first);
                            cx.at(at, format!("duplicate phase title '{title}' (first used on line {line})"));
                        } else {
                            titles.insert(title.to_lowercase(), at);
                        }
                        let earlier = phases.len();
                        phases.push(build_phase(cx, raw, earlier, surveys));
                    }
                }
                _ => cx.at(span.start, "`phases`: expected one or more [[phases]] tables"),
            }
        }
    }
    let header = header?;
    Some(WorkshopTemplate {
        name: header.name.into_inner(),
        title: header.title.into_inner().trim().to_string(),
        description: header.description,
        phases,
    })
}

fn blank(cx: &mut Problems, value: &Spanned<String>, what: &str) {
    if value.get_ref().trim().is_empty() {
        cx.at(value.span().start, format!("{what} must not be empty"));
    }
}

/// `earlier` = how many phases come before this one.
fn build_phase(cx: &mut Problems, raw: RawPhase, earlier: usize, surveys: Option<&[Survey]>) -> PhaseSpec {
    blank(cx, &raw.title, "phase `title`");
    blank(cx, &raw.prompt, "phase `prompt`");
    if *raw.minutes.get_ref() == 0 {
        cx.at(raw.minutes.span().start, "`minutes` must be at least 1");
    }
    let kind = *raw.kind.get_ref();
    let kind_at = raw.kind.span().start;
    let kind_name = kind_name(kind);
    let start = |s: Option<Range<usize>>| s.map(|s| s.start);
    let not_for = |cx: &mut Problems, key: &str, at: Option<usize>, ok: bool| {
        if let (Some(at), false) = (at, ok) {
            cx.at(at, format!("`{key}` does not apply to {kind_name} phases"));
        }
    };
    let dot = kind == RawKind::DotVote;
    let items_ok = matches!(kind, RawKind::Present | RawKind::ScalePoll);
    not_for(cx, "items", start(raw.items.as_ref().map(Spanned::span)), items_ok);
    let per_person_at = start(raw.max_items_per_person.as_ref().map(Spanned::span));
    not_for(cx, "max_items_per_person", per_person_at, kind == RawKind::Write);
    not_for(cx, "dots", start(raw.dots.as_ref().map(Spanned::span)), dot);
    not_for(cx, "max_per_item", start(raw.max_per_item.as_ref().map(Spanned::span)), dot);
    not_for(cx, "anonymous", start(raw.anonymous.as_ref().map(Spanned::span)), dot);
    not_for(cx, "hidden", start(raw.hidden.as_ref().map(Spanned::span)), dot);
    not_for(cx, "reason", start(raw.reason.as_ref().map(Spanned::span)), dot);
    not_for(cx, "survey", start(raw.survey.as_ref().map(Spanned::span)), kind == RawKind::ScalePoll);
    not_for(cx, "options", start(raw.options.as_ref().map(Spanned::span)), kind == RawKind::Rank);

    let phase_kind = match kind {
        RawKind::Present => PhaseKind::Present { items: texts(cx, raw.items, "item") },
        RawKind::Write => {
            let max = raw.max_items_per_person.map(|m| {
                if *m.get_ref() == 0 {
                    cx.at(m.span().start, "`max_items_per_person` must be at least 1 (leave it out for no limit)");
                }
                m.into_inner()
            });
            PhaseKind::Write { max_items_per_person: max }
        }
        RawKind::Cluster => PhaseKind::Cluster,
        RawKind::DotVote => PhaseKind::DotVote(dot_rules(cx, &raw, kind_at)),
        RawKind::ScalePoll => scale_poll(cx, raw.survey, raw.items, kind_at, surveys),
        RawKind::Rank => {
            let options = texts(cx, raw.options.clone(), "option");
            match (&raw.options, options.len()) {
                (None, _) if earlier == 0 => cx.at(
                    kind_at,
                    "a rank phase without `options` ranks the items of an earlier phase, but this is the first phase",
                ),
                (Some(o), 1) => cx.at(o.span().start, "`options`: expected at least two options to rank"),
                (Some(o), 0) => cx.at(o.span().start, "`options`: leave the key out to rank earlier items"),
                _ => {}
            }
            PhaseKind::Rank { options }
        }
        RawKind::Actions => PhaseKind::Actions,
        RawKind::Discuss => PhaseKind::Discuss,
    };
    PhaseSpec {
        title: raw.title.into_inner().trim().to_string(),
        prompt: raw.prompt.into_inner().trim().to_string(),
        minutes: raw.minutes.into_inner(),
        kind: phase_kind,
    }
}

fn dot_rules(cx: &mut Problems, raw: &RawPhase, kind_at: usize) -> DotRules {
    // `None` when `dots` itself is wrong: `max_per_item` is then not compared with it,
    // so one mistake gives one message.
    let dots = match &raw.dots {
        None => {
            cx.at(kind_at, "a dot-vote phase needs `dots = N`: how many dots each participant has");
            None
        }
        Some(d) if *d.get_ref() == 0 => {
            cx.at(d.span().start, "`dots` must be at least 1");
            None
        }
        Some(d) => Some(*d.get_ref()),
    };
    let max_per_item = match (&raw.max_per_item, dots) {
        (Some(m), _) if *m.get_ref() == 0 => {
            cx.at(m.span().start, "`max_per_item` must be at least 1");
            None
        }
        (Some(m), Some(dots)) if *m.get_ref() > dots => {
            cx.at(m.span().start, format!("`max_per_item` ({}) is more than `dots` ({dots})", m.get_ref()));
            None
        }
        (Some(m), _) => Some(*m.get_ref()),
        (None, _) => None,
    };
    let dots = dots.unwrap_or(1);
    let flag = |f: &Option<Spanned<bool>>, default: bool| f.as_ref().map_or(default, |f| *f.get_ref());
    DotRules {
        dots,
        max_per_item: max_per_item.unwrap_or(dots).min(dots),
        anonymous: flag(&raw.anonymous, true),
        hidden: flag(&raw.hidden, true),
        reason: flag(&raw.reason, false),
    }
}

fn scale_poll(
    cx: &mut Problems,
    survey: Option<Spanned<String>>,
    items: Option<Spanned<Vec<Spanned<String>>>>,
    kind_at: usize,
    catalogue: Option<&[Survey]>,
) -> PhaseKind {
    let name = survey.as_ref().map(|s| s.get_ref().trim().to_string()).unwrap_or_default();
    // `None` when there is nothing to check against, or the survey itself is unknown
    // (said once, at the survey, rather than once per item).
    let mut found: Option<&Survey> = None;
    match (&survey, catalogue) {
        (None, _) => cx.at(kind_at, "a scale-poll phase needs `survey = \"...\"` naming a survey in surveys/"),
        (Some(s), Some(catalogue)) => match catalogue.iter().find(|c| c.id == name) {
            Some(c) => found = Some(c),
            None => {
                let known: Vec<&str> = catalogue.iter().map(|c| c.id.as_str()).collect();
                cx.at(s.span().start, format!("unknown survey '{name}'; expected one of: {}", known.join(", ")));
            }
        },
        (Some(_), None) => {}
    }
    let mut ids: Vec<String> = Vec::new();
    match &items {
        None => cx.at(kind_at, "a scale-poll phase needs `items = [...]`: ids of the survey's items to ask"),
        Some(list) if list.get_ref().is_empty() => {
            cx.at(list.span().start, "`items`: expected at least one survey item id");
        }
        Some(list) => {
            for id in list.get_ref() {
                let item = id.get_ref().trim().to_string();
                if ids.contains(&item) {
                    cx.at(id.span().start, format!("item '{item}' is asked twice"));
                } else if let Some(s) = found {
                    match s.item(&item) {
                        None => cx.at(id.span().start, format!("survey '{name}' has no item '{item}'")),
                        Some(i) if matches!(i.kind, ItemKind::Text) => cx.at(
                            id.span().start,
                            format!("'{item}' is a free-text item: collect text in a write phase instead"),
                        ),
                        Some(_) => {}
                    }
                }
                ids.push(item);
            }
        }
    }
    PhaseKind::ScalePoll { survey: name, items: ids }
}

/// Trimmed texts of a list, each of which must be non-empty and unique.
fn texts(cx: &mut Problems, list: Option<Spanned<Vec<Spanned<String>>>>, what: &str) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    for t in list.map(Spanned::into_inner).unwrap_or_default() {
        let text = t.get_ref().trim().to_string();
        if text.is_empty() {
            cx.at(t.span().start, format!("empty {what}"));
        } else if out.contains(&text) {
            cx.at(t.span().start, format!("duplicate {what} '{text}'"));
        }
        out.push(text);
    }
    out
}

fn kind_name(kind: RawKind) -> &'static str {
    match kind {
        RawKind::Present => "present",
        RawKind::Write => "write",
        RawKind::Cluster => "cluster",
        RawKind::DotVote => "dot-vote",
        RawKind::ScalePoll => "scale-poll",
        RawKind::Rank => "rank",
        RawKind::Actions => "actions",
        RawKind::Discuss => "discuss",
    }
}
