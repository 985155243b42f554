//! Forms for creating and editing records. A form holds text only; turning that text
//! into domain values (and refusing bad values) is the domain's job.

use chrono::{NaiveDate, Utc};

use super::Data;
use super::text_input::TextInput;
use crate::domain::{Change, ChangeEntry, ChangeWhat, Changeset, Evaluation, EvaluationField, Id, Pilot, PilotField};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FieldKey {
    Pilot(PilotField),
    Evaluation(EvaluationField),
    /// A field read by position, for forms whose submit logic lives with their screen.
    Plain {
        label: &'static str,
        hint: &'static str,
    },
}

impl FieldKey {
    fn label(self) -> &'static str {
        match self {
            FieldKey::Pilot(f) => f.label(),
            FieldKey::Evaluation(f) => f.label(),
            FieldKey::Plain { label, .. } => label,
        }
    }

    fn hint(self) -> &'static str {
        match self {
            FieldKey::Pilot(f) => f.hint(),
            FieldKey::Evaluation(f) => f.hint(),
            FieldKey::Plain { hint, .. } => hint,
        }
    }
}

#[derive(Debug, Clone, PartialEq)]
pub struct FormField {
    pub key: FieldKey,
    pub label: &'static str,
    pub hint: String,
    pub input: TextInput,
    /// The value the form opened with, to tell what the user changed.
    pub original: String,
}

#[derive(Debug, Clone, PartialEq)]
pub enum FormKind {
    NewPilot,
    EditPilot(Id),
    NewEvaluation,
    EditEvaluation,
    Map(super::map_forms::MapForm),
    Interview(super::interview_forms::InterviewForm),
    Workshop(super::workshop_forms::WorkshopForm),
    Objective(super::objective_forms::ObjectiveForm),
    Synthesis(super::synthesis_forms::SynthesisForm),
}

#[derive(Debug, Clone, PartialEq)]
pub struct Form {
    pub kind: FormKind,
    pub title: String,
    pub fields: Vec<FormField>,
    pub focus: usize,
    pub error: Option<String>,
}

/// Fields a new pilot asks for; the rest can be filled in by editing.
const NEW_PILOT_FIELDS: &[PilotField] = &[
    PilotField::Name,
    PilotField::AltNames,
    PilotField::Region,
    PilotField::Kind,
    PilotField::Delivery,
    PilotField::TargetGroup,
    PilotField::Planned,
    PilotField::Providers,
];

impl Form {
    /// A form of plain fields: `(label, hint, initial value)`.
    pub fn plain(kind: FormKind, title: &str, fields: &[(&'static str, &'static str, String)]) -> Form {
        let fields =
            fields.iter().map(|(label, hint, value)| (FieldKey::Plain { label, hint }, value.clone())).collect();
        Form::build(kind, title.to_string(), fields)
    }

    /// Replaces field `i`'s hint, for hints built from data (the evaluation's lists).
    pub fn with_hint(mut self, i: usize, hint: String) -> Form {
        if let Some(f) = self.fields.get_mut(i) {
            f.hint = hint;
        }
        self
    }

    /// The trimmed text of field `i`.
    pub fn value(&self, i: usize) -> &str {
        self.fields.get(i).map_or("", |f| f.input.value().trim())
    }

    fn build(kind: FormKind, title: String, fields: Vec<(FieldKey, String)>) -> Form {
        let fields = fields
            .into_iter()
            .map(|(key, value)| FormField {
                key,
                label: key.label(),
                hint: key.hint().to_string(),
                input: TextInput::new(&value),
                original: value,
            })
            .collect();
        Form { kind, title, fields, focus: 0, error: None }
    }

    pub fn new_pilot() -> Form {
        let template = Pilot::new(String::new(), "", "", NaiveDate::MIN);
        let fields = NEW_PILOT_FIELDS
            .iter()
            .map(|f| {
                let value = match f {
                    PilotField::Kind | PilotField::Delivery => template.field_text(*f),
                    _ => String::new(),
                };
                (FieldKey::Pilot(*f), value)
            })
            .collect();
        Form::build(FormKind::NewPilot, "New pilot".into(), fields)
    }

    pub fn edit_pilot(pilot: &Pilot) -> Form {
        let fields = PilotField::ALL.iter().map(|f| (FieldKey::Pilot(*f), pilot.field_text(*f))).collect();
        Form::build(FormKind::EditPilot(pilot.id.clone()), format!("Edit {}", pilot.name), fields)
    }

    pub fn new_evaluation() -> Form {
        let defaults = Evaluation::default();
        let fields = EvaluationField::ALL.iter().map(|f| (FieldKey::Evaluation(*f), defaults.field_text(*f))).collect();
        Form::build(FormKind::NewEvaluation, "New evaluation".into(), fields)
    }

    pub fn edit_evaluation(evaluation: &Evaluation) -> Form {
        let fields =
            EvaluationField::ALL.iter().map(|f| (FieldKey::Evaluation(*f), evaluation.field_text(*f))).collect();
        Form::build(FormKind::EditEvaluation, "Edit evaluation".into(), fields)
    }

    pub fn focused(&mut self) -> &mut FormField {
        &mut self.fields[self.focus]
    }

    pub fn is_changed(&self) -> bool {
        self.fields.iter().any(|f| f.input.value() != f.original)
    }

    /// Turns the form into a changeset, or an error for the user (and moves the focus
    /// to the field at fault). `Ok(None)` means nothing changed.
    pub fn submit(&mut self, data: &Data, who: &str, today: NaiveDate) -> Result<Option<Changeset>, String> {
        let (pilots, evaluation) = (&data.pilots, data.evaluation.as_ref());
        let entry =
            |subject: &str, what| ChangeEntry { at: Utc::now(), who: who.into(), subject: subject.into(), what };
        match self.kind.clone() {
            FormKind::Map(kind) => kind.submit(self, data, who, today),
            FormKind::Interview(kind) => kind.submit(self, data, who, today),
            FormKind::Workshop(_) => Err("workshop forms are handled by the console".into()),
            FormKind::Objective(kind) => kind.submit(self, data, who, today),
            FormKind::Synthesis(kind) => kind.submit(self, data, who),
            FormKind::NewPilot => {
                let mut pilot = Pilot::new(String::new(), "", "", today);
                self.apply_pilot(&mut pilot, today, true)?;
                if let Some(other) = crate::domain::pilot::name_clash(pilots, &pilot) {
                    self.focus = 0;
                    return Err(format!("another pilot is already called that: {} ({})", other.name, other.id));
                }
                let log = vec![entry("", ChangeWhat::Created)];
                Ok(Some(Changeset { pilots: vec![pilot], log, ..Default::default() }))
            }
            FormKind::EditPilot(id) => {
                let mut pilot = pilots.iter().find(|p| p.id == id).cloned().ok_or("the pilot no longer exists")?;
                let changes = self.apply_pilot(&mut pilot, today, false)?;
                if let Some(other) = crate::domain::pilot::name_clash(pilots, &pilot) {
                    return Err(format!("another pilot is already called that: {} ({})", other.name, other.id));
                }
                if changes.is_empty() {
                    return Ok(None);
                }
                let log = vec![entry(&id, ChangeWhat::Edited { changes })];
                Ok(Some(Changeset { pilots: vec![pilot], log, ..Default::default() }))
            }
            FormKind::NewEvaluation | FormKind::EditEvaluation => {
                let mut evaluation = evaluation.cloned().unwrap_or_default();
                let is_new = self.kind == FormKind::NewEvaluation;
                let changes = self.apply_evaluation(&mut evaluation, is_new)?;
                evaluation.check_layers(data.maps.iter().flat_map(|m| &m.nodes).map(|n| n.layer).max())?;
                if changes.is_empty() && !is_new {
                    return Ok(None);
                }
                let what = if is_new { ChangeWhat::Created } else { ChangeWhat::Edited { changes } };
                Ok(Some(Changeset {
                    evaluation: Some(evaluation),
                    log: vec![entry("evaluation", what)],
                    ..Default::default()
                }))
            }
        }
    }

    fn apply_pilot(&mut self, pilot: &mut Pilot, today: NaiveDate, all: bool) -> Result<Vec<Change>, String> {
        let mut changes = Vec::new();
        for (i, field) in self.fields.iter().enumerate() {
            let FieldKey::Pilot(key) = field.key else { continue };
            if !all && field.input.value() == field.original {
                continue;
            }
            match pilot.set_field(key, field.input.value(), today) {
                Ok(change) => changes.extend(change),
                Err(e) => {
                    self.focus = i;
                    return Err(format!("{}: {e}", field.label));
                }
            }
        }
        Ok(changes)
    }

    fn apply_evaluation(&mut self, evaluation: &mut Evaluation, all: bool) -> Result<Vec<Change>, String> {
        let mut changes = Vec::new();
        for (i, field) in self.fields.iter().enumerate() {
            let FieldKey::Evaluation(key) = field.key else { continue };
            if !all && field.input.value() == field.original {
                continue;
            }
            match evaluation.set_field(key, field.input.value()) {
                Ok(change) => changes.extend(change),
                Err(e) => {
                    self.focus = i;
                    return Err(format!("{}: {e}", field.label));
                }
            }
        }
        Ok(changes)
    }
}
