//! Forms for findings, recommendations and follow-up actions. The form holds text;
//! the synthesis's own operations check it (and keep ids and links), and the result is
//! saved as one record with a change-log line.

use chrono::NaiveDate;

use super::Data;
use super::form::{Form, FormKind};
use super::synthesis::save;
use crate::domain::codebook::slugify;
use crate::domain::indicator::parse_date;
use crate::domain::pilot::find;
use crate::domain::synthesis::{
    ActionStatus, Conclusion, Finding, FindingDraft, FollowUpAction, Priority, QuestionRef, Recommendation,
    RecommendationDraft, Scope, Voice,
};
use crate::domain::{Changeset, Id};

#[derive(Debug, Clone, PartialEq)]
pub enum SynthesisForm {
    NewFinding,
    EditFinding(Id),
    NewRecommendation,
    EditRecommendation(Id),
    NewAction(Id),
    EditAction(Id),
    NewConclusion,
    EditConclusion(Id),
}

const SCOPE_HINT: &str = "national, or the one pilot it is true of (name or id)";
const VOICE_HINT: &str = "evaluator (our conclusion) | pilots (their own view)";
const PILOTS_HINT: &str = "pilots used as examples, comma-separated (names or ids); not a ranking";

fn theme_hint(data: &Data) -> String {
    let names: Vec<&str> = data
        .codebook
        .codes
        .iter()
        .filter(|c| c.parent.is_none() && c.slug != crate::domain::synthesis::LESSONS_CODE)
        .map(|c| c.name.as_str())
        .collect();
    format!("a theme of the codebook: {}", names.join("; "))
}

fn pilot_names(data: &Data, ids: &[Id]) -> String {
    ids.iter().map(|id| data.pilot(id).map_or(id.as_str(), |p| p.name.as_str())).collect::<Vec<_>>().join(", ")
}

fn finding_fields(f: Option<&Finding>, theme: &str, data: &Data) -> Vec<(&'static str, &'static str, String)> {
    let scope = match f.map(|f| &f.scope) {
        Some(Scope::Local(p)) => pilot_names(data, std::slice::from_ref(p)),
        _ => "national".into(),
    };
    let theme = data.codebook.get(theme).map_or(theme.to_string(), |c| c.name.clone());
    vec![
        ("Theme", "", theme),
        ("What", "what we saw", f.map_or(String::new(), |f| f.what.clone())),
        ("So what", "what it means", f.map_or(String::new(), |f| f.so_what.clone())),
        ("Now what", "what follows", f.map_or(String::new(), |f| f.now_what.clone())),
        ("Scope", SCOPE_HINT, scope),
        (
            "Voice",
            VOICE_HINT,
            f.map_or("evaluator", |f| if f.voice == Voice::Pilots { "pilots" } else { "evaluator" }).into(),
        ),
        ("Pilots", PILOTS_HINT, f.map_or(String::new(), |f| pilot_names(data, &f.pilots))),
    ]
}

fn action_fields(a: Option<&FollowUpAction>, today: NaiveDate) -> Vec<(&'static str, &'static str, String)> {
    vec![
        ("Action", "what is to be done", a.map_or(String::new(), |a| a.text.clone())),
        ("Owner", "a role or organisation, not a person", a.map_or(String::new(), |a| a.owner.clone())),
        (
            "Due",
            "YYYY-MM-DD, or empty",
            a.map_or_else(
                || (today + chrono::Days::new(90)).to_string(),
                |a| a.due.map_or(String::new(), |d| d.to_string()),
            ),
        ),
        ("Status", "open | in progress | done | dropped", a.map_or("open", |a| a.status.label()).into()),
        ("Note", "progress so far (kept with the action)", a.map_or(String::new(), |a| a.note.clone())),
    ]
}

impl SynthesisForm {
    pub fn new_finding(theme: &str, data: &Data) -> Form {
        Form::plain(FormKind::Synthesis(SynthesisForm::NewFinding), "New finding", &finding_fields(None, theme, data))
            .with_hint(0, theme_hint(data))
    }

    pub fn edit_finding(f: &Finding, data: &Data) -> Form {
        let kind = FormKind::Synthesis(SynthesisForm::EditFinding(f.id.clone()));
        Form::plain(kind, &format!("Edit finding {}", f.id), &finding_fields(Some(f), &f.theme, data))
            .with_hint(0, theme_hint(data))
    }

    pub fn new_recommendation() -> Form {
        Form::plain(FormKind::Synthesis(SynthesisForm::NewRecommendation), "New recommendation", &rec_fields(None))
    }

    pub fn edit_recommendation(r: &Recommendation) -> Form {
        let kind = FormKind::Synthesis(SynthesisForm::EditRecommendation(r.id.clone()));
        Form::plain(kind, &format!("Edit recommendation {}", r.id), &rec_fields(Some(r)))
    }

    pub fn new_action(recommendation: &str, today: NaiveDate) -> Form {
        let kind = FormKind::Synthesis(SynthesisForm::NewAction(recommendation.into()));
        Form::plain(kind, &format!("New follow-up action for {recommendation}"), &action_fields(None, today))
    }

    pub fn edit_action(a: &FollowUpAction) -> Form {
        let kind = FormKind::Synthesis(SynthesisForm::EditAction(a.id.clone()));
        Form::plain(kind, &format!("Track action {}", a.id), &action_fields(Some(a), NaiveDate::MIN))
    }

    /// A conclusion for `question` (the one in focus when `n` was pressed).
    pub fn new_conclusion(question: QuestionRef, data: &Data) -> Form {
        let kind = FormKind::Synthesis(SynthesisForm::NewConclusion);
        Form::plain(kind, "New conclusion", &conclusion_fields(None, question)).with_hint(0, question_hint(data))
    }

    pub fn edit_conclusion(c: &Conclusion, data: &Data) -> Form {
        let kind = FormKind::Synthesis(SynthesisForm::EditConclusion(c.id.clone()));
        Form::plain(kind, &format!("Edit conclusion {}", c.id), &conclusion_fields(Some(c), c.question))
            .with_hint(0, question_hint(data))
    }

    pub fn submit(&self, form: &Form, data: &Data, who: &str) -> Result<Option<Changeset>, String> {
        let mut s = data.synthesis.clone();
        let text = match self {
            SynthesisForm::NewFinding => {
                let id = s.add_finding(finding_draft(form, data)?)?;
                format!("finding {id} added")
            }
            SynthesisForm::EditFinding(id) => {
                s.edit_finding(id, finding_draft(form, data)?)?;
                format!("finding {id} saved")
            }
            SynthesisForm::NewRecommendation => {
                let id = s.add_recommendation(rec_draft(form)?)?;
                format!("recommendation {id} added as number {}", s.number_of(&id).unwrap_or(0))
            }
            SynthesisForm::EditRecommendation(id) => {
                s.edit_recommendation(id, rec_draft(form)?)?;
                format!("recommendation {id} saved")
            }
            SynthesisForm::NewAction(rec) => {
                let (status, due) = action_parts(form)?;
                let id = s.add_action(rec, form.value(0), form.value(1), due)?;
                s.track_action(&id, status, form.value(4))?;
                format!("action {id} agreed for {rec}")
            }
            SynthesisForm::EditAction(id) => {
                let (status, due) = action_parts(form)?;
                s.reschedule_action(id, form.value(1), due)?;
                s.track_action(id, status, form.value(4))?;
                s.retext_action(id, form.value(0))?;
                format!("action {id}: {}", status.label())
            }
            SynthesisForm::NewConclusion => {
                let question = question_ref(data, form.value(0))?;
                let id = s.add_conclusion(question, form.value(1), finding_ids(form.value(2)))?;
                format!("conclusion {id} added")
            }
            SynthesisForm::EditConclusion(id) => {
                let question = question_ref(data, form.value(0))?;
                s.edit_conclusion(id, question, form.value(1), finding_ids(form.value(2)))?;
                format!("conclusion {id} saved")
            }
        };
        if s == data.synthesis {
            return Ok(None);
        }
        Ok(Some(save(s, who, text)))
    }
}

fn rec_fields(r: Option<&Recommendation>) -> Vec<(&'static str, &'static str, String)> {
    vec![
        ("Recommendation", "what should be done", r.map_or(String::new(), |r| r.text.clone())),
        ("Rationale", "why: what the findings show", r.map_or(String::new(), |r| r.rationale.clone())),
        ("Findings", "the findings it rests on, by id: f3, f5", r.map_or(String::new(), |r| r.findings.join(", "))),
        (
            "Addressee",
            "who should act: Ministry, TE offices, pilot organisers…",
            r.map_or(String::new(), |r| r.addressee.clone()),
        ),
        ("Priority", "high | medium | low", r.map_or("medium", |r| r.priority.label()).into()),
    ]
}

/// "f3, f5" (commas, spaces or semicolons between): the ids the synthesis checks.
fn finding_ids(text: &str) -> Vec<Id> {
    text.split([',', ' ', ';']).map(str::trim).filter(|f| !f.is_empty()).map(String::from).collect()
}

fn question_text(q: QuestionRef) -> String {
    match q {
        QuestionRef::Main => "main".into(),
        QuestionRef::Sub(i) => (i + 1).to_string(),
    }
}

fn question_hint(data: &Data) -> String {
    let subs = data.evaluation.as_ref().map_or(0, |e| e.sub_questions.len());
    match subs {
        0 => "main (the evaluation has no sub-questions)".into(),
        n => format!("main, or a sub-question's number 1–{n}"),
    }
}

/// "main" (or empty) or a sub-question's number as the evaluation lists them.
fn question_ref(data: &Data, text: &str) -> Result<QuestionRef, String> {
    let subs = data.evaluation.as_ref().map_or(0, |e| e.sub_questions.len());
    match text.to_lowercase().as_str() {
        "" | "main" | "m" | "0" => Ok(QuestionRef::Main),
        t => match t.trim_start_matches("sub").trim().parse::<usize>() {
            Ok(n) if (1..=subs).contains(&n) => Ok(QuestionRef::Sub(n - 1)),
            _ => Err(format!("Question: '{text}' is neither main nor a sub-question 1–{subs}")),
        },
    }
}

fn conclusion_fields(c: Option<&Conclusion>, question: QuestionRef) -> Vec<(&'static str, &'static str, String)> {
    vec![
        ("Question", "", question_text(question)),
        ("Conclusion", "what the evaluation concludes on this question", c.map_or(String::new(), |c| c.text.clone())),
        ("Findings", "the findings it rests on, by id: f3, f5", c.map_or(String::new(), |c| c.findings.join(", "))),
    ]
}

fn rec_draft(form: &Form) -> Result<RecommendationDraft, String> {
    let findings = finding_ids(form.value(2));
    Ok(RecommendationDraft {
        text: form.value(0).into(),
        rationale: form.value(1).into(),
        findings,
        addressee: form.value(3).into(),
        priority: Priority::parse(form.value(4)).map_err(|e| format!("Priority: {e}"))?,
    })
}

fn action_parts(form: &Form) -> Result<(ActionStatus, Option<NaiveDate>), String> {
    let status = ActionStatus::parse(form.value(3)).map_err(|e| format!("Status: {e}"))?;
    let due = match form.value(2) {
        "" => None,
        d => Some(parse_date(d).map_err(|e| format!("Due: {e}"))?),
    };
    Ok((status, due))
}

/// The theme as the codebook has it: by slug, by name, or by what the name slugifies to.
fn theme_slug(data: &Data, text: &str) -> Result<String, String> {
    let book = &data.codebook;
    book.codes
        .iter()
        .find(|c| c.slug == text || c.name.eq_ignore_ascii_case(text) || c.slug == slugify(text))
        .filter(|c| c.slug != crate::domain::synthesis::LESSONS_CODE)
        .map(|c| c.slug.clone())
        .ok_or_else(|| format!("Theme: '{text}' is not a theme of the codebook"))
}

fn finding_draft(form: &Form, data: &Data) -> Result<FindingDraft, String> {
    let scope = match form.value(4) {
        "" | "national" => Scope::National,
        p => Scope::Local(find(&data.pilots, p).map_err(|e| format!("Scope: {e}"))?.id.clone()),
    };
    let voice = match form.value(5).to_lowercase().as_str() {
        "" | "evaluator" | "evaluators" => Voice::Evaluator,
        "pilots" | "pilot" => Voice::Pilots,
        other => return Err(format!("Voice: '{other}' is neither evaluator nor pilots")),
    };
    let pilots = form
        .value(6)
        .split(',')
        .map(str::trim)
        .filter(|p| !p.is_empty())
        .map(|p| find(&data.pilots, p).map(|p| p.id.clone()).map_err(|e| format!("Pilots: {e}")))
        .collect::<Result<Vec<_>, _>>()?;
    Ok(FindingDraft {
        theme: theme_slug(data, form.value(0))?,
        what: form.value(1).into(),
        so_what: form.value(2).into(),
        now_what: form.value(3).into(),
        scope,
        voice,
        pilots,
    })
}
