//! The interview facts form: pilots, time, context, role, round, consent.

use chrono::{NaiveDate, NaiveDateTime, Utc};

use super::form::{Form, FormKind};
use super::{App, Data};
use crate::domain::interview::{Consent, Interview};
use crate::domain::pilot::find;
use crate::domain::{ChangeEntry, ChangeWhat, Changeset, Id};

#[derive(Debug, Clone, PartialEq)]
pub enum InterviewForm {
    New,
    Edit { id: Id },
}

const TIME_FORMAT: &str = "%Y-%m-%d %H:%M";

impl InterviewForm {
    pub fn create(app: &App, pilot: Option<&str>) -> Form {
        let pilot = pilot.and_then(|p| app.data.pilot(p)).map_or(String::new(), |p| p.name.clone());
        let blank = Interview {
            id: String::new(),
            pilots: vec![],
            at: app.now,
            context: String::new(),
            interviewers: vec![app.user.clone()],
            role: String::new(),
            org_type: String::new(),
            round: String::new(),
            consent: Consent::Yes,
            name: None,
            notes: String::new(),
        };
        let mut form = with_list_hints(
            app,
            Form::plain(FormKind::Interview(InterviewForm::New), "New interview", &fields(app, &blank)),
        );
        form.fields[0].input = super::text_input::TextInput::new(&pilot);
        form
    }

    pub fn edit(app: &App, interview: &Interview) -> Form {
        let kind = FormKind::Interview(InterviewForm::Edit { id: interview.id.clone() });
        with_list_hints(app, Form::plain(kind, "Interview facts", &fields(app, interview)))
    }

    pub fn submit(&self, form: &Form, data: &Data, who: &str, _today: NaiveDate) -> Result<Option<Changeset>, String> {
        let evaluation = data.evaluation.clone().unwrap_or_default();
        let mut interview = match self {
            InterviewForm::New => Interview {
                id: String::new(),
                pilots: vec![],
                at: NaiveDateTime::MIN,
                context: String::new(),
                interviewers: vec![],
                role: String::new(),
                org_type: String::new(),
                round: String::new(),
                consent: Consent::Yes,
                name: None,
                notes: String::new(),
            },
            InterviewForm::Edit { id } => {
                data.interviews.iter().find(|i| &i.id == id).cloned().ok_or("the interview no longer exists")?
            }
        };
        let names: Vec<&str> = form.value(0).split(',').map(str::trim).filter(|s| !s.is_empty()).collect();
        if names.is_empty() {
            return Err("Pilots: name at least one pilot".into());
        }
        interview.pilots = names
            .iter()
            .map(|n| find(&data.pilots, n).map(|p| p.id.clone()).map_err(|e| format!("Pilots: {e}")))
            .collect::<Result<_, _>>()?;
        interview.at = NaiveDateTime::parse_from_str(form.value(1), TIME_FORMAT)
            .map_err(|_| format!("When: '{}' is not YYYY-MM-DD HH:MM", form.value(1)))?;
        interview.context = form.value(2).into();
        interview.role = pick("Role", form.value(3), &evaluation.roles)?;
        interview.org_type = if form.value(4).is_empty() {
            String::new()
        } else {
            pick("Organisation", form.value(4), &evaluation.org_types)?
        };
        interview.round = pick("Round", form.value(5), &evaluation.rounds)?;
        interview.consent = Consent::parse(form.value(6)).map_err(|e| format!("Consent: {e}"))?;
        interview.interviewers =
            form.value(7).split(',').map(str::trim).filter(|s| !s.is_empty()).map(String::from).collect();
        interview.name = Some(form.value(8).to_string()).filter(|n| !n.is_empty());
        let what = match self {
            InterviewForm::New => format!("interview created: {}, {}", interview.cited_as(), interview.at.date()),
            InterviewForm::Edit { id } => format!("interview {id}: facts edited"),
        };
        let log = vec![ChangeEntry {
            at: Utc::now(),
            who: who.into(),
            subject: interview.pilots[0].clone(),
            what: ChangeWhat::Described { text: what },
        }];
        Ok(Some(Changeset { interviews: vec![interview], log, ..Default::default() }))
    }
}

/// A value from one of the evaluation's lists, matched ignoring case or by prefix.
fn pick(label: &str, text: &str, list: &[String]) -> Result<String, String> {
    let t = text.trim().to_lowercase();
    list.iter()
        .find(|v| v.to_lowercase() == t)
        .or_else(|| list.iter().find(|v| !t.is_empty() && v.to_lowercase().starts_with(&t)))
        .cloned()
        .ok_or_else(|| format!("{label}: '{}' is not one of {}", text.trim(), list.join(", ")))
}

/// The role, organisation and round hints list the evaluation's own values.
fn with_list_hints(app: &App, form: Form) -> Form {
    let e = app.data.evaluation.clone().unwrap_or_default();
    form.with_hint(3, e.roles.join(" | ")).with_hint(4, e.org_types.join(" | ")).with_hint(5, e.rounds.join(" | "))
}

fn fields(app: &App, i: &Interview) -> Vec<(&'static str, &'static str, String)> {
    let pilots: Vec<String> =
        i.pilots.iter().map(|id| app.data.pilot(id).map_or(id.clone(), |p| p.name.clone())).collect();
    vec![
        ("Pilots", "pilot names or ids, comma-separated", pilots.join(", ")),
        ("When", "YYYY-MM-DD HH:MM", i.at.format(TIME_FORMAT).to_string()),
        ("Context", "what was going on, e.g. at COVID-19 onset", i.context.clone()),
        ("Role", "", i.role.clone()),
        ("Organisation", "", i.org_type.clone()),
        ("Round", "", i.round.clone()),
        ("Consent", "yes | no | partial", i.consent.label().into()),
        ("Interviewers", "comma-separated", i.interviewers.join(", ")),
        ("Name", "optional; never exported unless asked for", i.name.clone().unwrap_or_default()),
    ]
}
