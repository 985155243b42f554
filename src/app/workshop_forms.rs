//! Forms of the workshop screens: a new workshop from a template, a follow-up action.

use std::hash::{BuildHasher, Hasher};

use chrono::NaiveDate;

use super::form::{Form, FormKind};
use super::{App, Effect};
use crate::domain::pilot::find;
use crate::domain::workshop::{
    self, Actor, ItemId, LinkSubject, LinkTarget, Workshop, WorkshopCommand, WorkshopSetup, WorkshopTemplate,
};
use crate::domain::{Changeset, Id};

#[derive(Debug, Clone, PartialEq)]
pub enum WorkshopForm {
    New,
    Action { workshop: Id, from: Option<ItemId> },
    Link { workshop: Id, subject: LinkSubject },
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
                ("Room", "who is in the room, by role or organisation: 3 TE office; 2 company; 1 Kela", String::new()),
                ("Language", "participants' screens over SSH: en | fi | sv", "en".into()),
            ],
        )
        .with_hint(0, names.join(" | "))
    }

    pub fn link(workshop: &str, subject: LinkSubject, what: &str) -> Form {
        Form::plain(
            FormKind::Workshop(WorkshopForm::Link { workshop: workshop.into(), subject }),
            &format!("Link {what} as evidence"),
            &[(
                "Evidence for",
                "o16 a learning objective · o16.2 one of its lessons · p2:n4 a node of a pilot's impact map",
                String::new(),
            )],
        )
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
                let language = form.value(7).trim().to_lowercase();
                if !crate::locale::Locale::supports(&language) {
                    return Err(format!("Language: '{language}' — participants' screens come in en, fi or sv"));
                }
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
                    language,
                    highlights: form
                        .value(5)
                        .split(';')
                        .map(str::trim)
                        .filter(|s| !s.is_empty())
                        .map(String::from)
                        .collect(),
                };
                let mut workshop = Workshop::new(setup, &template, &app.data.surveys, app.now)?;
                // People in the room join by role; a facilitator recording the room locally
                // still gets tallies broken down by organisation.
                let mut n = 0;
                for group in form.value(6).split(';').map(str::trim).filter(|g| !g.is_empty()) {
                    let (count, role) = match group.split_once(' ') {
                        Some((c, r)) if c.parse::<u32>().is_ok() => (c.parse::<u32>().unwrap_or(1), r.trim()),
                        _ => (1, group),
                    };
                    for _ in 0..count.min(500) {
                        n += 1;
                        let id = format!("room-{n}");
                        let join =
                            WorkshopCommand::Join { participant: id.clone(), role: role.into(), org_type: role.into() };
                        workshop.apply(Actor::Participant(id), join, app.now).map_err(|e| format!("Room: {e}"))?;
                    }
                }
                let message = format!("workshop created: room {}", workshop.room_code);
                Ok(Effect::Save {
                    changeset: Changeset { new_workshops: vec![workshop], ..Default::default() },
                    message,
                })
            }
            WorkshopForm::Link { workshop, subject } => {
                let target = link_target(app, form.value(0))?;
                Ok(Effect::Workshop {
                    id: workshop.clone(),
                    command: WorkshopCommand::Link { subject: *subject, target },
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

/// `o16`, `o16.2` or `p2:n4`, checked against the data so a link never dangles.
fn link_target(app: &App, text: &str) -> Result<LinkTarget, String> {
    let bad = || format!("Evidence for: '{text}' is not o16, o16.2 or p2:n4");
    if let Some((pilot, node)) = text.split_once(':') {
        let node: u32 = node.trim().trim_start_matches('n').parse().map_err(|_| bad())?;
        let pilot = find(&app.data.pilots, pilot).map_err(|e| format!("Evidence for: {e}"))?.id.clone();
        if app.data.map(&pilot).and_then(|m| m.node(node)).is_none() {
            return Err(format!("Evidence for: the map of {pilot} has no node n{node}"));
        }
        return Ok(LinkTarget::MapNode { pilot, node });
    }
    let (objective, lesson) = match text.split_once('.') {
        Some((o, l)) => (o.trim(), Some(l.trim().parse::<u32>().map_err(|_| bad())?)),
        None => (text.trim(), None),
    };
    let Some(o) = app.data.objectives.iter().find(|o| o.id == objective) else {
        return Err(format!("Evidence for: no learning objective {objective}"));
    };
    match lesson {
        None => Ok(LinkTarget::Objective { objective: o.id.clone() }),
        Some(l) if o.lessons.iter().any(|x| x.id == l) => Ok(LinkTarget::Lesson { objective: o.id.clone(), lesson: l }),
        Some(l) => Err(format!("Evidence for: {} has no lesson {l}", o.id)),
    }
}
