//! The synthesis workspace: themes on the left and the focused theme's findings
//! beside them; the recommendations in report order with their follow-up actions;
//! the theme × pilot matrix. Every change is one `Effect::Save` of the whole synthesis
//! record with a change-log line, so it is flushed and logged like any other edit.

use chrono::Utc;

use super::evidence_picker::EvidencePicker;
use super::keymap::{Cmd, Layer};
use super::synthesis_forms::SynthesisForm;
use super::{App, Confirm, Data, Effect, Overlay, Screen, Status};
use crate::domain::synthesis::{Conclusion, Finding, FollowUpAction, Move, QuestionRef, Recommendation, Synthesis};
use crate::domain::{ChangeEntry, ChangeWhat, Changeset, Evaluation, Id};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Tab {
    #[default]
    Findings,
    Recommendations,
    Conclusions,
    Matrix,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Pane {
    #[default]
    Themes,
    Findings,
}

#[derive(Debug, Clone, PartialEq, Default)]
pub struct SynthesisView {
    pub tab: Tab,
    pub pane: Pane,
    /// Index into [`themes`].
    pub theme: usize,
    /// Index into the focused theme's findings.
    pub finding: usize,
    /// Index into [`rec_rows`].
    pub row: usize,
    /// Index into [`conclusion_rows`].
    pub conclusion: usize,
    /// First line of the matrix shown.
    pub scroll: u16,
}

impl SynthesisView {
    pub fn layer(&self) -> Layer {
        match self.tab {
            Tab::Findings => Layer::Synthesis,
            Tab::Recommendations => Layer::SynthesisRecs,
            Tab::Conclusions => Layer::SynthesisConclusions,
            Tab::Matrix => Layer::SynthesisMatrix,
        }
    }
}

/// A theme of the codebook and its findings.
#[derive(Debug, Clone)]
pub struct ThemeRow<'a> {
    pub slug: String,
    pub name: String,
    pub findings: Vec<&'a Finding>,
}

/// Every top-level theme of the codebook, in codebook order, even those without a
/// finding yet (the evaluator writes into them), then themes only findings still name.
/// Findings on a lesson category are grouped under the lessons folder, as in the report.
pub fn themes(data: &Data) -> Vec<ThemeRow<'_>> {
    let book = &data.codebook;
    let mut groups = data.synthesis.findings_by_theme(book);
    let mut rows: Vec<ThemeRow> = book
        .codes
        .iter()
        .filter(|c| c.parent.is_none())
        .map(|c| {
            let findings = groups.iter().position(|(t, _)| *t == c.slug).map(|i| groups.remove(i).1);
            ThemeRow { slug: c.slug.clone(), name: c.name.clone(), findings: findings.unwrap_or_default() }
        })
        .collect();
    rows.extend(groups.into_iter().map(|(slug, findings)| ThemeRow { name: slug.clone(), slug, findings }));
    rows
}

/// One line of the recommendations view: a recommendation, or one of its actions.
#[derive(Debug, Clone, Copy)]
pub enum RecRow<'a> {
    Rec(usize, &'a Recommendation),
    Action(usize, &'a Recommendation, &'a FollowUpAction),
}

impl<'a> RecRow<'a> {
    pub fn recommendation(&self) -> &'a Recommendation {
        match self {
            RecRow::Rec(_, r) | RecRow::Action(_, r, _) => r,
        }
    }
}

pub fn rec_rows(s: &Synthesis) -> Vec<RecRow<'_>> {
    s.numbered()
        .into_iter()
        .flat_map(|(n, r)| {
            std::iter::once(RecRow::Rec(n, r)).chain(r.actions.iter().map(move |a| RecRow::Action(n, r, a)))
        })
        .collect()
}

/// One line of the conclusions view: an evaluation question, or a conclusion under it.
#[derive(Debug, Clone, Copy)]
pub enum ConclusionRow<'a> {
    /// The question and its text (empty when the evaluation no longer has it).
    Question(QuestionRef, &'a str),
    Conclusion(&'a Conclusion),
}

impl ConclusionRow<'_> {
    pub fn question(&self) -> QuestionRef {
        match self {
            ConclusionRow::Question(q, _) => *q,
            ConclusionRow::Conclusion(c) => c.question,
        }
    }
}

/// The main question, then every sub-question, each followed by the conclusions that
/// answer it: the report's conclusions chapter, so an unanswered question shows.
pub fn conclusion_rows<'a>(s: &'a Synthesis, evaluation: &'a Evaluation) -> Vec<ConclusionRow<'a>> {
    let mut rows = Vec::new();
    for g in s.conclusions_by_question(evaluation) {
        let text = match g.question {
            QuestionRef::Main => evaluation.main_question.as_str(),
            QuestionRef::Sub(i) => evaluation.sub_questions.get(i).map_or("", String::as_str),
        };
        rows.push(ConclusionRow::Question(g.question, text));
        rows.extend(g.conclusions.into_iter().map(ConclusionRow::Conclusion));
    }
    rows
}

/// The finding in focus, if the theme has any.
pub fn focused_finding<'a>(app: &'a App, view: &SynthesisView) -> Option<&'a Finding> {
    themes(&app.data).get(view.theme).and_then(|t| t.findings.get(view.finding).copied())
}

/// Keeps indices inside the lists after the data changed.
pub fn settle(app: &mut App) {
    let Screen::Synthesis(view) = &app.screen else { return };
    let mut view = view.clone();
    let themes = themes(&app.data);
    view.theme = view.theme.min(themes.len().saturating_sub(1));
    let findings = themes.get(view.theme).map_or(0, |t| t.findings.len());
    view.finding = view.finding.min(findings.saturating_sub(1));
    view.row = view.row.min(rec_rows(&app.data.synthesis).len().saturating_sub(1));
    let evaluation = app.data.evaluation.clone().unwrap_or_default();
    view.conclusion = view.conclusion.min(conclusion_rows(&app.data.synthesis, &evaluation).len().saturating_sub(1));
    app.screen = Screen::Synthesis(view);
}

/// The changeset that stores `s` and says what happened.
pub(super) fn save(s: Synthesis, who: &str, text: String) -> Changeset {
    let log = vec![ChangeEntry {
        at: Utc::now(),
        who: who.into(),
        subject: "synthesis".into(),
        what: ChangeWhat::Described { text },
    }];
    Changeset { synthesis: Some(s), log, ..Default::default() }
}

fn saved(changeset: Changeset) -> Vec<Effect> {
    let message = match changeset.log.first().map(|e| &e.what) {
        Some(ChangeWhat::Described { text }) => text.clone(),
        _ => "synthesis saved".into(),
    };
    vec![Effect::Save { changeset, message }]
}

pub fn on_key(app: &mut App, cmd: Cmd) -> Vec<Effect> {
    let Screen::Synthesis(view) = &app.screen else { return vec![] };
    let mut view = view.clone();
    let effects = match (view.tab, cmd) {
        (_, Cmd::Back) => {
            app.screen = Screen::Home;
            return vec![];
        }
        (_, Cmd::ViewFindings) => {
            view.tab = Tab::Findings;
            vec![]
        }
        (_, Cmd::ViewRecommendations) => {
            view.tab = Tab::Recommendations;
            vec![]
        }
        (_, Cmd::ViewMatrix) => {
            view.tab = Tab::Matrix;
            vec![]
        }
        (_, Cmd::ViewConclusions) => {
            view.tab = Tab::Conclusions;
            vec![]
        }
        (Tab::Conclusions, _) => on_conclusions(app, &mut view, cmd),
        (Tab::Findings, _) => on_findings(app, &mut view, cmd),
        (Tab::Recommendations, _) => on_recommendations(app, &mut view, cmd),
        (Tab::Matrix, Cmd::Down) => {
            view.scroll = view.scroll.saturating_add(1);
            vec![]
        }
        (Tab::Matrix, Cmd::Up) => {
            view.scroll = view.scroll.saturating_sub(1);
            vec![]
        }
        _ => {
            app.dirty = false;
            vec![]
        }
    };
    if matches!(app.screen, Screen::Synthesis(_)) {
        app.screen = Screen::Synthesis(view);
        settle(app);
    }
    effects
}

fn on_findings(app: &mut App, view: &mut SynthesisView, cmd: Cmd) -> Vec<Effect> {
    let themes = themes(&app.data);
    let Some(theme) = themes.get(view.theme) else {
        app.status = Some(Status::Error("the codebook has no themes yet: add them with E on the home screen".into()));
        return vec![];
    };
    let finding = theme.findings.get(view.finding).map(|f| (*f).clone());
    let (slug, count, theme_count) = (theme.slug.clone(), theme.findings.len(), themes.len());
    match cmd {
        Cmd::SwitchPane => {
            view.pane = if view.pane == Pane::Themes { Pane::Findings } else { Pane::Themes };
        }
        Cmd::Left => view.pane = Pane::Themes,
        Cmd::Right => view.pane = Pane::Findings,
        Cmd::Down | Cmd::Up => {
            let down = cmd == Cmd::Down;
            match view.pane {
                Pane::Themes => {
                    view.theme = step(view.theme, theme_count, down);
                    view.finding = 0;
                }
                Pane::Findings => view.finding = step(view.finding, count, down),
            }
        }
        Cmd::New => {
            app.overlay = Some(Overlay::Form(SynthesisForm::new_finding(&slug, &app.data)));
        }
        Cmd::Edit | Cmd::Cite | Cmd::Delete => {
            let Some(f) = finding else {
                app.status = Some(Status::Error("no finding in this theme yet: n writes one".into()));
                return vec![];
            };
            match cmd {
                Cmd::Edit => app.overlay = Some(Overlay::Form(SynthesisForm::edit_finding(&f, &app.data))),
                Cmd::Cite => {
                    app.overlay =
                        Some(Overlay::EvidencePicker(Box::new(EvidencePicker::new(&f.id, &app.data, app.data_gen))))
                }
                _ => return delete_finding(app, &f.id),
            }
        }
        _ => app.dirty = false,
    }
    vec![]
}

fn step(i: usize, len: usize, down: bool) -> usize {
    if down { (i + 1).min(len.saturating_sub(1)) } else { i.saturating_sub(1) }
}

fn delete_finding(app: &mut App, id: &Id) -> Vec<Effect> {
    let mut s = app.data.synthesis.clone();
    match s.remove_finding(id) {
        Err(e) => app.status = Some(Status::Error(e)),
        Ok(f) => {
            app.overlay = Some(Overlay::Confirm(Confirm {
                question: format!("Delete finding {id}?"),
                detail: format!("“{}” and the {} piece(s) of evidence it cites.", f.what, f.evidence.len()),
                on_yes: save(s, &app.user, format!("finding {id} deleted")),
                message: format!("finding {id} deleted"),
            }))
        }
    }
    vec![]
}

fn on_recommendations(app: &mut App, view: &mut SynthesisView, cmd: Cmd) -> Vec<Effect> {
    let rows = rec_rows(&app.data.synthesis);
    let current = rows.get(view.row).copied();
    let len = rows.len();
    let rec_id = current.map(|r| r.recommendation().id.clone());
    let action = match current {
        Some(RecRow::Action(_, _, a)) => Some(a.clone()),
        _ => None,
    };
    match cmd {
        Cmd::Down => view.row = step(view.row, len, true),
        Cmd::Up => view.row = step(view.row, len, false),
        Cmd::New => app.overlay = Some(Overlay::Form(SynthesisForm::new_recommendation())),
        Cmd::Edit => match (&action, &rec_id) {
            (Some(a), _) => app.overlay = Some(Overlay::Form(SynthesisForm::edit_action(a))),
            (None, Some(r)) => {
                if let Some(r) = app.data.synthesis.recommendation(r) {
                    app.overlay = Some(Overlay::Form(SynthesisForm::edit_recommendation(r)));
                }
            }
            _ => app.status = Some(Status::Error("no recommendation yet: n writes one".into())),
        },
        Cmd::Add => match &rec_id {
            Some(r) => app.overlay = Some(Overlay::Form(SynthesisForm::new_action(r, app.today))),
            None => app.status = Some(Status::Error("no recommendation yet: n writes one".into())),
        },
        Cmd::MoveDown | Cmd::MoveUp => {
            let Some(id) = rec_id else { return vec![] };
            return reorder(app, view, &id, if cmd == Cmd::MoveDown { Move::Down } else { Move::Up });
        }
        Cmd::Delete => {
            let mut s = app.data.synthesis.clone();
            let (question, detail, text) = match (&action, &rec_id) {
                (Some(a), _) => {
                    let _ = s.remove_action(&a.id);
                    (format!("Delete action {}?", a.id), a.text.clone(), format!("action {} deleted", a.id))
                }
                (None, Some(r)) => {
                    let n = s.number_of(r).unwrap_or(0);
                    let removed = s.remove_recommendation(r);
                    let detail = removed.map(|r| r.text).unwrap_or_default();
                    (
                        format!("Delete recommendation {n}?"),
                        format!("“{detail}” and its actions. The ones after it move up a number."),
                        format!("recommendation {r} deleted"),
                    )
                }
                _ => return vec![],
            };
            app.overlay = Some(Overlay::Confirm(Confirm {
                question,
                detail,
                on_yes: save(s, &app.user, text.clone()),
                message: text,
            }));
        }
        _ => app.dirty = false,
    }
    vec![]
}

/// Moves a recommendation one place; the selection follows it. Its id stays, so every
/// link to it still holds; only the printed number changes.
fn reorder(app: &mut App, view: &mut SynthesisView, id: &str, to: Move) -> Vec<Effect> {
    let mut s = app.data.synthesis.clone();
    let before = s.number_of(id);
    let Ok(at) = s.move_recommendation(id, to) else { return vec![] };
    if before == Some(at + 1) {
        app.status = Some(Status::Info("already there".into()));
        return vec![];
    }
    view.row = rec_rows(&s).iter().position(|r| matches!(r, RecRow::Rec(_, r) if r.id == id)).unwrap_or(view.row);
    let text = format!("recommendation {id} is now number {}", at + 1);
    saved(save(s, &app.user, text))
}

fn on_conclusions(app: &mut App, view: &mut SynthesisView, cmd: Cmd) -> Vec<Effect> {
    let evaluation = app.data.evaluation.clone().unwrap_or_default();
    let rows = conclusion_rows(&app.data.synthesis, &evaluation);
    let len = rows.len();
    let question = rows.get(view.conclusion).map_or(QuestionRef::Main, ConclusionRow::question);
    let conclusion = match rows.get(view.conclusion) {
        Some(ConclusionRow::Conclusion(c)) => Some((*c).clone()),
        _ => None,
    };
    match cmd {
        Cmd::Down => view.conclusion = step(view.conclusion, len, true),
        Cmd::Up => view.conclusion = step(view.conclusion, len, false),
        Cmd::New => app.overlay = Some(Overlay::Form(SynthesisForm::new_conclusion(question, &app.data))),
        Cmd::Edit | Cmd::Delete => {
            let Some(c) = conclusion else {
                app.status =
                    Some(Status::Error("move onto a conclusion first (n writes one for this question)".into()));
                return vec![];
            };
            if cmd == Cmd::Edit {
                app.overlay = Some(Overlay::Form(SynthesisForm::edit_conclusion(&c, &app.data)));
            } else {
                let mut s = app.data.synthesis.clone();
                let _ = s.remove_conclusion(&c.id);
                let text = format!("conclusion {} deleted", c.id);
                app.overlay = Some(Overlay::Confirm(Confirm {
                    question: format!("Delete conclusion {}?", c.id),
                    detail: format!("“{}”", c.text),
                    on_yes: save(s, &app.user, text.clone()),
                    message: text,
                }));
            }
        }
        _ => app.dirty = false,
    }
    vec![]
}
