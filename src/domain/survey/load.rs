//! `Survey::parse`: TOML text → validated [`Survey`], or every problem found, each
//! as `file:line:col: message`.
//!
//! The document is parsed once into a spanned tree; the header, each scale and each
//! item are then deserialized separately, so a typo in one item does not hide the
//! errors in the next.

use std::collections::BTreeMap;

use toml::Spanned;
use toml::de::{DeTable, DeValue};

use super::SpecError;
use super::logic::compile;
use super::raw::{RawHeader, RawItem, RawScale, RawType};
use super::spec::{Choice, Condition, Item, ItemKind, Scale, ScalePoint, Survey};
use crate::textpos::{Problems, line_col};

impl Survey {
    /// Parse and validate a survey file. `file_name` only labels the messages.
    pub fn parse(file_name: &str, text: &str) -> Result<Survey, Vec<SpecError>> {
        let mut cx = Problems::new(text);
        let survey = match DeTable::parse(text) {
            Ok(root) => build(&mut cx, root),
            Err(e) => {
                cx.toml(&e);
                None
            }
        };
        match survey {
            Some(s) if cx.errors.is_empty() => Ok(s),
            _ => {
                cx.errors.sort_by_key(|(offset, _)| *offset);
                let errors = cx.errors.into_iter().map(|(offset, message)| {
                    let (line, col) = line_col(text, offset);
                    SpecError { file: file_name.to_string(), line, col, message }
                });
                Err(errors.collect())
            }
        }
    }
}

fn build<'t>(cx: &mut Problems<'t>, root: Spanned<DeTable<'t>>) -> Option<Survey> {
    let root_span = root.span();
    let mut root = root.into_inner();
    let scales_value = root.remove("scales");
    let items_value = root.remove("items");
    let header: Option<RawHeader> = cx.de(Spanned::new(root_span, DeValue::Table(root)));
    if let Some(h) = &header {
        let id = h.id.get_ref();
        if id.is_empty() || !id.chars().all(|c| c.is_alphanumeric() || c == '-') {
            cx.at(h.id.span().start, "survey id: expected only letters, digits and '-'");
        }
    }

    // Names of scales that failed to parse still count as defined, so items using
    // them do not get a second, misleading "unknown scale" error.
    let mut scale_names = Vec::new();
    let mut scales = BTreeMap::new();
    if let Some(value) = scales_value {
        let span = value.span();
        match value.into_inner() {
            DeValue::Table(table) => {
                for (name, value) in table {
                    let name_at = name.span().start;
                    let name = name.into_inner().into_owned();
                    if let Some(raw) = cx.de::<RawScale>(value) {
                        scales.insert(name.clone(), build_scale(cx, &name, name_at, raw));
                    }
                    scale_names.push(name);
                }
            }
            _ => cx.at(span.start, "`scales`: expected tables such as [scales.agree5]"),
        }
    }

    let mut raws = Vec::new();
    match items_value {
        None => cx.at(0, "expected at least one [[items]] table"),
        Some(value) => {
            let span = value.span();
            match value.into_inner() {
                DeValue::Array(array) => {
                    for value in array {
                        // Peek at the id first, so a broken item can still be referred to.
                        let id =
                            value.get_ref().as_table().and_then(|t| t.get("id")).and_then(|v| v.get_ref().as_str());
                        let id = id.unwrap_or_default().to_string();
                        raws.push((id, cx.de::<RawItem>(value)));
                    }
                }
                _ => cx.at(span.start, "`items`: expected [[items]] tables"),
            }
        }
    }

    let mut items = Vec::new();
    let mut conditions = Vec::new();
    let mut first_seen: BTreeMap<String, usize> = BTreeMap::new();
    for (id, raw) in raws {
        let Some(raw) = raw else {
            items.push(placeholder(id));
            continue;
        };
        let id_at = raw.id.span().start;
        if let Some(first) = first_seen.get(&id) {
            let (line, _) = line_col(cx.text, *first);
            cx.at(id_at, format!("duplicate item id '{id}' (first defined on line {line})"));
        } else {
            first_seen.insert(id.clone(), id_at);
        }
        if let Some(rel) = &raw.relevant {
            conditions.push((items.len(), cx.string_body(rel.span())));
        }
        items.push(build_item(cx, &scales, &scale_names, raw));
    }

    let header = header?;
    let survey = Survey {
        id: header.id.into_inner(),
        title: header.title,
        version: header.version,
        description: header.description,
        scales,
        items,
    };
    // Skip logic is checked against the whole item list: names, order and literals.
    for (idx, body) in conditions {
        let Some(cond) = &survey.items[idx].relevant else { continue };
        let mut problems = Vec::new();
        compile(cond.expr(), &survey, idx, &mut problems);
        for (at, message) in problems {
            cx.at(body + at, message);
        }
    }
    Some(survey)
}

fn build_scale(cx: &mut Problems, name: &str, name_at: usize, raw: RawScale) -> Scale {
    if raw.points.is_empty() {
        cx.at(name_at, format!("scale `{name}`: expected at least one point"));
    }
    let mut points: Vec<ScalePoint> = Vec::new();
    for p in raw.points {
        let (value, label) = (*p.value.get_ref(), p.label.get_ref().clone());
        if points.iter().any(|q| q.value == value) {
            cx.at(p.value.span().start, format!("scale `{name}`: duplicate value {value}"));
        }
        if points.iter().any(|q| q.label == label) {
            cx.at(p.label.span().start, format!("scale `{name}`: duplicate label '{label}'"));
        }
        points.push(ScalePoint { value, label });
    }
    if let Some(dk) = &raw.dont_know
        && points.iter().any(|p| &p.label == dk.get_ref())
    {
        cx.at(dk.span().start, format!("scale `{name}`: dont_know '{}' is also a point label", dk.get_ref()));
    }
    Scale { points, dont_know: raw.dont_know.map(Spanned::into_inner) }
}

/// A stand-in for an item that did not parse: it keeps positions and the id
/// referable, and accepts any literal, so one error does not cascade.
fn placeholder(id: String) -> Item {
    Item {
        id,
        text: String::new(),
        kind: ItemKind::Text,
        module: None,
        rounds: None,
        pilots: None,
        relevant: None,
        required: false,
    }
}

fn build_item(cx: &mut Problems, scales: &BTreeMap<String, Scale>, scale_names: &[String], raw: RawItem) -> Item {
    let id = raw.id.get_ref().clone();
    let valid_id =
        id.starts_with(|c: char| c.is_alphabetic()) && id.chars().all(|c| c.is_alphanumeric() || c == '_' || c == '-');
    if !valid_id {
        cx.at(raw.id.span().start, "item id: expected a letter, then letters, digits, '_' or '-'");
    }
    let ty = *raw.kind.get_ref();
    let type_at = raw.kind.span().start;
    let type_name = ty.name();
    let not_for = |cx: &mut Problems, key: &str, at: Option<usize>, ok: bool| {
        if let (Some(at), false) = (at, ok) {
            cx.at(at, format!("`{key}` does not apply to {type_name} items"));
        }
    };
    let start = |s: Option<std::ops::Range<usize>>| s.map(|s| s.start);
    let choice_type = matches!(ty, RawType::Single | RawType::Multi);
    not_for(cx, "scale", start(raw.scale.as_ref().map(Spanned::span)), ty == RawType::Scale);
    not_for(cx, "choices", start(raw.choices.as_ref().map(Spanned::span)), choice_type);
    not_for(cx, "other", start(raw.other.as_ref().map(Spanned::span)), choice_type);
    not_for(cx, "max", start(raw.max.as_ref().map(Spanned::span)), matches!(ty, RawType::Multi | RawType::Number));
    not_for(cx, "min", start(raw.min.as_ref().map(Spanned::span)), ty == RawType::Number);
    not_for(cx, "integer", start(raw.integer.as_ref().map(Spanned::span)), ty == RawType::Number);

    let kind = match ty {
        RawType::Scale => match &raw.scale {
            None => {
                cx.at(type_at, "a scale item needs `scale = \"...\"` naming one of its [scales]");
                ItemKind::Scale { scale: String::new() }
            }
            Some(s) => {
                let name = s.get_ref();
                if !scales.contains_key(name) && !scale_names.contains(name) {
                    let known: Vec<&str> = scale_names.iter().map(String::as_str).collect();
                    cx.at(s.span().start, format!("unknown scale `{name}`; expected one of: {}", known.join(", ")));
                }
                ItemKind::Scale { scale: name.clone() }
            }
        },
        RawType::Single | RawType::Multi => {
            let choices = build_choices(cx, type_at, type_name, raw.choices);
            let other = raw.other.is_some_and(|o| o.into_inner());
            if ty == RawType::Single {
                ItemKind::Single { choices, other }
            } else {
                let options = choices.len() + usize::from(other);
                let max = raw.max.and_then(|m| {
                    let (at, value) = (m.span().start, m.into_inner());
                    if value.fract() != 0.0 || value < 1.0 {
                        cx.at(at, "`max`: expected a whole number of choices, at least 1");
                        None
                    } else if value as usize > options {
                        let noun = if options == 1 { "choice" } else { "choices" };
                        cx.at(at, format!("`max` = {value} but the item has only {options} {noun}"));
                        None
                    } else {
                        Some(value as usize)
                    }
                });
                ItemKind::Multi { choices, other, max }
            }
        }
        RawType::Number => {
            if let (Some(min), Some(max)) = (&raw.min, &raw.max)
                && min.get_ref() > max.get_ref()
            {
                cx.at(min.span().start, format!("`min` ({}) is greater than `max` ({})", min.get_ref(), max.get_ref()));
            }
            ItemKind::Number {
                min: raw.min.map(Spanned::into_inner),
                max: raw.max.map(Spanned::into_inner),
                integer: raw.integer.is_some_and(|i| i.into_inner()),
            }
        }
        RawType::Nps => ItemKind::Nps,
        RawType::Text => ItemKind::Text,
    };

    if let Some(rounds) = &raw.rounds
        && (rounds.get_ref().is_empty() || rounds.get_ref().contains(&0))
    {
        cx.at(rounds.span().start, "`rounds`: expected round numbers counted from 1");
    }
    let relevant = raw.relevant.and_then(|rel| {
        Condition::parse(rel.get_ref())
            .map_err(|e| cx.at(cx.string_body(rel.span()) + e.at, format!("`relevant`: {}", e.message)))
            .ok()
    });
    Item {
        id,
        text: raw.text,
        kind,
        module: raw.module,
        rounds: raw.rounds.map(Spanned::into_inner),
        pilots: raw.pilots,
        relevant,
        required: raw.required.unwrap_or(false),
    }
}

fn build_choices(
    cx: &mut Problems,
    type_at: usize,
    type_name: &str,
    raw: Option<Spanned<Vec<Spanned<super::raw::RawChoice>>>>,
) -> Vec<Choice> {
    let raw = raw.map(Spanned::into_inner).unwrap_or_default();
    if raw.is_empty() {
        cx.at(type_at, format!("a {type_name} item needs `choices = [...]` with at least one choice"));
    }
    let mut choices: Vec<Choice> = Vec::new();
    for c in raw {
        let at = c.span().start;
        let c = c.into_inner();
        let choice = Choice { code: c.code, label: c.label };
        if choices.iter().any(|d| d.key() == choice.key()) {
            cx.at(at, format!("duplicate choice code '{}'", choice.key()));
        } else if choices.iter().any(|d| d.label == choice.label) {
            cx.at(at, format!("duplicate choice label '{}'", choice.label));
        }
        choices.push(choice);
    }
    choices
}
