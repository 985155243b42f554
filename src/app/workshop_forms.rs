//! Forms of the workshop screens: a new workshop from a template, a follow-up action.

use std::hash::{BuildHasher, Hasher};

use chrono::NaiveDate;

use super::form::{Form, FormKind};
use super::{App, Effect};
use crate::domain::pilot::find;
use crate::domain::workshop::{self, ItemId, Workshop, WorkshopCommand, WorkshopSetup, WorkshopTemplate};
use crate::domain::{Changeset, Id};

#[derive(Debug, Clone, PartialEq)]
pub enum WorkshopForm {
    New,
    Action { workshop: Id, from: Option<ItemId> },
}

/// The shipped templates, parsed (they are checked by the tests).
pub fn templates() -> Vec<WorkshopTemplate> {
    workshop::BUILT_IN.iter().filter_map(|(file, text)| WorkshopTemplate::parse(file, text).ok()).collect()
}

/// Random bits for a room code, from the standard library's per-process random keys:
/// room codes let people in, so they must not be guessable from the time. Also used by
/// `oppi workshop new`.
pub(crate) fn random_seed() -> u64 {
    let mut h = std::collections::hash_map::RandomState::new().build_hasher();
    h.write_u64(std::process::id().into());
    h.finish()
}

impl WorkshopForm {
    pub fn create(app: &App) -> Form {
        let names: Vec<String> = templates().into_iter().map(|t| t.name).collect();
        Form::plain(
            FormKind::Workshop(WorkshopForm::New),
            "New workshop",
            &[
                ("Template", "", names.first().cloned().unwrap_or_default()),
                ("Title", "empty: the template's title", String::new()),
                ("Pilots", "pilot names, comma-separated; empty: the whole evaluation", String::new()),
                ("Date", "YYYY-MM-DD", app.today.to_string()),
                ("Place", "", String::new()),
                ("Highlights", "draft highlights to present, separated by ;", String::new()),
            ],
        )
        .with_hint(0, names.join(" | "))
    }

    pub fn action(workshop: &str, from: Option<ItemId>, text: &str) -> Form {
        Form::plain(
            FormKind::Workshop(WorkshopForm::Action { workshop: workshop.into(), from }),
            "Follow-up action",
            &[
                ("Action", "what will be done", text.to_string()),
                ("Owner", "who does it (a role or organisation is enough)", String::new()),
                ("Due", "YYYY-MM-DD, or empty", String::new()),
            ],
        )
    }

    /// Workshop forms end in a workshop command or a new workshop, not a changeset.
    pub fn effect(&self, form: &Form, app: &App) -> Result<Effect, String> {
        match self {
            WorkshopForm::New => {
                let template = templates()
                    .into_iter()
                    .find(|t| t.name == form.value(0))
                    .ok_or_else(|| format!("Template: '{}' is not a template", form.value(0)))?;
                let pilots = form
                    .value(2)
                    .split(',')
                    .map(str::trim)
                    .filter(|s| !s.is_empty())
                    .map(|n| find(&app.data.pilots, n).map(|p| p.id.clone()).map_err(|e| format!("Pilots: {e}")))
                    .collect::<Result<Vec<_>, _>>()?;
                let date: NaiveDate =
                    form.value(3).parse().map_err(|_| format!("Date: '{}' is not YYYY-MM-DD", form.value(3)))?;
                let taken: Vec<&str> = app.data.workshops.iter().map(|w| w.room_code.as_str()).collect();
                let mut seed = random_seed();
                let mut room = workshop::room_code(seed);
                while taken.contains(&room.as_str()) {
                    seed = seed.wrapping_add(1);
                    room = workshop::room_code(seed);
                }
                let setup = WorkshopSetup {
                    id: String::new(),
                    title: form.value(1).into(),
                    pilots,
                    date,
                    place: form.value(4).into(),
                    room_code: room,
                    language: "en".into(),
                    highlights: form
                        .value(5)
                        .split(';')
                        .map(str::trim)
                        .filter(|s| !s.is_empty())
                        .map(String::from)
                        .collect(),
                };
                let workshop = Workshop::new(setup, &template, &app.data.surveys, app.now)?;
                let message = format!("workshop created: room {}", workshop.room_code);
                Ok(Effect::Save {
                    changeset: Changeset { new_workshops: vec![workshop], ..Default::default() },
                    message,
                })
            }
            WorkshopForm::Action { workshop, from } => {
                let due = match form.value(2) {
                    "" => None,
                    d => Some(d.parse().map_err(|_| format!("Due: '{d}' is not YYYY-MM-DD"))?),
                };
                if form.value(1).is_empty() {
                    return Err("Owner: every follow-up action needs an owner".into());
                }
                let command = WorkshopCommand::AddAction {
                    text: form.value(0).into(),
                    owner: form.value(1).into(),
                    due,
                    from: *from,
                };
                Ok(Effect::Workshop { id: workshop.clone(), command })
            }
        }
    }
}
