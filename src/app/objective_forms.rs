//! Forms for learning objectives and their lessons.

use chrono::{NaiveDate, Utc};

use super::Data;
use super::form::{Form, FormKind};
use crate::domain::evidence::EvidenceRef;
use crate::domain::indicator::parse_date;
use crate::domain::objective::{MapTarget, Objective, ObjectiveStatus};
use crate::domain::{ChangeEntry, ChangeWhat, Changeset, Id};

#[derive(Debug, Clone, PartialEq)]
pub enum ObjectiveForm {
    New { pilot: Id },
    Edit { id: Id },
    Lesson { id: Id },
}

const THEME_HINT: &str = "a theme of the evaluation's codebook (see E on the home screen)";

impl ObjectiveForm {
    pub fn create(pilot: &str) -> Form {
        let kind = FormKind::Objective(ObjectiveForm::New { pilot: pilot.into() });
        Form::plain(
            kind,
            "New learning objective",
            &[
                ("Question", "what the pilot wants to learn, as a question", String::new()),
                ("Theme", THEME_HINT, String::new()),
            ],
        )
    }

    pub fn edit(o: &Objective) -> Form {
        let kind = FormKind::Objective(ObjectiveForm::Edit { id: o.id.clone() });
        Form::plain(
            kind,
            "Edit learning objective",
            &[
                ("Question", "", o.question.clone()),
                ("Theme", THEME_HINT, o.theme.clone()),
                ("Status", "open | answering | answered | dropped", o.status.label().into()),
                ("About", "map nodes and links it is about, e.g. n4, l11 (ids shown on the map)", targets_text(o)),
            ],
        )
    }

    pub fn lesson(o: &Objective, today: NaiveDate) -> Form {
        let kind = FormKind::Objective(ObjectiveForm::Lesson { id: o.id.clone() });
        Form::plain(
            kind,
            "New lesson",
            &[
                ("Lesson", "what was learned, as a statement", String::new()),
                ("Date", "YYYY-MM-DD", today.to_string()),
                (
                    "Evidence",
                    "i24:3 cites interview i24's paragraph 3 (a quote if marked so); other text names a document; ; separates",
                    String::new(),
                ),
            ],
        )
    }

    pub fn submit(&self, form: &Form, data: &Data, who: &str, today: NaiveDate) -> Result<Option<Changeset>, String> {
        let find =
            |id: &Id| data.objectives.iter().find(|o| &o.id == id).cloned().ok_or("the objective no longer exists");
        let (objective, what) = match self {
            ObjectiveForm::New { pilot } => {
                let o = Objective::new(String::new(), pilot, form.value(0), &theme(data, form.value(1))?)?;
                let what = format!("learning objective added: {}", o.question);
                (o, what)
            }
            ObjectiveForm::Edit { id } => {
                let mut o = find(id)?;
                if form.value(0).is_empty() {
                    return Err("Question: a learning objective needs a question".into());
                }
                o.question = form.value(0).into();
                o.theme = theme(data, form.value(1))?;
                o.status = ObjectiveStatus::parse(form.value(2)).map_err(|e| format!("Status: {e}"))?;
                o.targets = parse_targets(data, &o.pilot, form.value(3))?;
                let what = format!("learning objective edited: {} ({})", o.question, o.status.label());
                (o, what)
            }
            ObjectiveForm::Lesson { id } => {
                let mut o = find(id)?;
                let date = if form.value(1).is_empty() { today } else { parse_date(form.value(1))? };
                let evidence = form
                    .value(2)
                    .split(';')
                    .map(str::trim)
                    .filter(|e| !e.is_empty())
                    .map(|e| evidence_ref(data, e))
                    .collect::<Result<Vec<_>, _>>()?;
                o.add_lesson(form.value(0), date, evidence)?;
                let what = format!("lesson recorded: {}", form.value(0));
                (o, what)
            }
        };
        let log = vec![ChangeEntry {
            at: Utc::now(),
            who: who.into(),
            subject: objective.pilot.clone(),
            what: ChangeWhat::Described { text: what },
        }];
        Ok(Some(Changeset { objectives: vec![objective], log, ..Default::default() }))
    }
}

/// `i24:3` is a coded paragraph (or a quote) of an interview; anything else a document.
fn evidence_ref(data: &Data, text: &str) -> Result<EvidenceRef, String> {
    let Some((interview, paragraph)) = text.split_once(':').filter(|(i, _)| i.starts_with('i')) else {
        return Ok(EvidenceRef::Document { title: text.into() });
    };
    let Ok(paragraph) = paragraph.trim().parse::<u32>() else {
        return Ok(EvidenceRef::Document { title: text.into() });
    };
    let found = data.interviews.iter().find(|i| i.id == interview.trim()).and_then(|i| i.paragraph(paragraph));
    match found {
        Some(p) if p.quote => Ok(EvidenceRef::Quote { interview: interview.trim().into(), paragraph }),
        Some(_) => Ok(EvidenceRef::Segment { interview: interview.trim().into(), paragraph }),
        None => Err(format!("Evidence: interview {} has no paragraph {paragraph}", interview.trim())),
    }
}

fn targets_text(o: &Objective) -> String {
    o.targets
        .iter()
        .map(|t| match t {
            MapTarget::Node(n) => format!("n{n}"),
            MapTarget::Link(l) => format!("l{l}"),
        })
        .collect::<Vec<_>>()
        .join(", ")
}

/// "n4, l11" → map targets that exist in the pilot's map.
fn parse_targets(data: &Data, pilot: &str, text: &str) -> Result<Vec<MapTarget>, String> {
    let map = data.map(pilot);
    text.split(',')
        .map(str::trim)
        .filter(|t| !t.is_empty())
        .map(|t| {
            // The first character says node or link; it may be anything the user typed.
            let kind = t.chars().next().map_or(String::new(), |c| c.to_string());
            let num = &t[kind.len()..];
            let kind = kind.as_str();
            let id: u32 = num.parse().map_err(|_| format!("About: '{t}' is not a node (n4) or link (l11) id"))?;
            let exists = match kind {
                "n" => map.is_some_and(|m| m.node(id).is_some()),
                "l" => map.is_some_and(|m| m.link(id).is_some()),
                _ => false,
            };
            if !exists {
                return Err(format!("About: the map has no {t}"));
            }
            Ok(if kind == "n" { MapTarget::Node(id) } else { MapTarget::Link(id) })
        })
        .collect()
}

/// A theme as the codebook spells it; an unknown theme is refused so that objectives
/// group cleanly in the evaluation-wide view.
fn theme(data: &Data, text: &str) -> Result<String, String> {
    if text.is_empty() {
        return Ok(String::new());
    }
    let themes = data.evaluation.as_ref().map(|e| e.themes.clone()).unwrap_or_default();
    themes
        .iter()
        .find(|t| t.eq_ignore_ascii_case(text) || t.to_lowercase().starts_with(&text.to_lowercase()))
        .cloned()
        .ok_or_else(|| format!("Theme: '{text}' is not in the codebook: {}", themes.join("; ")))
}
