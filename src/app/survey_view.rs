//! The survey screens: the list of instruments, and one survey's tally with filters by
//! pilot and round, a breakdown by any single-choice item (groups side by side, so
//! disagreement stays visible) and the coverage matrix (pilots × rounds).
//!
//! Pilots are always listed in portfolio order: these screens compare, they never rank.

use super::derived::SurveyCounts;
use super::keymap::Cmd;
use super::survey_entry::Entry;
use super::{App, Data, Effect, Overlay, Screen, Status};
use crate::domain::survey::{ItemKind, Response, Survey, Tally, TallyFilter, names_match, tally_with};
use crate::domain::{Id, Pilot};

/// One survey's tally screen.
#[derive(Debug, Clone, PartialEq)]
pub struct TallyView {
    pub survey: String,
    /// Index of the selected item in the survey.
    pub selected: usize,
    /// Pilot id filter; `None` = all pilots.
    pub pilot: Option<Id>,
    pub round: Option<u32>,
    /// Breakdown item (a single-choice item's id).
    pub by: Option<String>,
    /// Show the coverage matrix instead of the items.
    pub coverage: bool,
    /// First column shown: a group column in a breakdown, a round column in coverage.
    pub column: usize,
    /// First pilot row shown in the coverage matrix.
    pub scroll: usize,
    /// The tally for the current filter, computed in `update` (never while drawing).
    pub tally: Option<Tally>,
}

impl TallyView {
    pub fn new(survey: &str) -> TallyView {
        TallyView {
            survey: survey.into(),
            selected: 0,
            pilot: None,
            round: None,
            by: None,
            coverage: false,
            column: 0,
            scroll: 0,
            tally: None,
        }
    }

    pub fn filter(&self) -> TallyFilter {
        TallyFilter { pilot: self.pilot.clone(), round: self.round, by: self.by.clone() }
    }

    /// Recomputes the tally and keeps the selection and filters valid for `data`.
    pub fn refresh(&mut self, data: &Data) {
        let Some(survey) = data.survey(&self.survey) else {
            self.tally = None;
            return;
        };
        self.selected = self.selected.min(survey.items.len().saturating_sub(1));
        if self.pilot.as_ref().is_some_and(|p| !answered_pilots(data, &self.survey).contains(p)) {
            self.pilot = None;
        }
        if self.by.as_ref().is_some_and(|b| !breakdown_items(survey).contains(&b.as_str())) {
            self.by = None;
        }
        let responses = data.survey_responses(&self.survey);
        self.tally = tally_with(survey, responses, &self.filter(), pilot_matcher(&data.pilots)).ok();
    }
}

impl App {
    /// Survey responses that name pilot `id`, all surveys (`None`: not read yet).
    pub fn responses_of_pilot(&self, id: &str) -> Option<usize> {
        if self.data.responses_pending {
            return None;
        }
        Some(if self.derived.data_gen == self.data_gen {
            self.derived.responses_per_pilot.get(id).copied().unwrap_or(0)
        } else {
            self.data.responses.iter().flat_map(|(_, rs)| rs).filter(|r| r.pilot.as_deref() == Some(id)).count()
        })
    }

    /// How many responses a survey has, from which pilots and rounds, as `update`
    /// derived them (`None`: not read yet).
    pub fn survey_counts(&self, id: &str) -> Option<std::borrow::Cow<'_, SurveyCounts>> {
        use std::borrow::Cow;
        if self.data.responses_pending {
            return None;
        }
        if self.derived.data_gen == self.data_gen {
            return Some(match self.derived.surveys.get(id) {
                Some(counts) => Cow::Borrowed(counts),
                None => Cow::Owned(SurveyCounts::default()),
            });
        }
        Some(Cow::Owned(SurveyCounts {
            responses: self.data.survey_responses(id).len(),
            pilots: answered_pilots(&self.data, id),
            rounds: answered_rounds(&self.data, id),
        }))
    }
}

impl Data {
    pub fn survey(&self, id: &str) -> Option<&Survey> {
        self.surveys.iter().find(|s| s.id == id)
    }

    /// A survey's stored responses, in the order they were stored.
    pub fn survey_responses(&self, id: &str) -> &[Response] {
        self.responses.iter().find(|(s, _)| s == id).map_or(&[], |(_, r)| r.as_slice())
    }
}

/// Whether a response's pilot (a pilot id) is the pilot called `name` (an id, a name or
/// an alternative name, ignoring case): what tallies and skip logic compare.
pub fn pilot_matcher(pilots: &[Pilot]) -> impl Fn(&str, &str) -> bool + '_ {
    move |response_pilot: &str, name: &str| {
        response_pilot == name
            || names_match(response_pilot, name)
            || pilots.iter().find(|p| p.id == response_pilot).is_some_and(|p| p.is_called(name))
    }
}

/// Pilot ids that have responses to a survey: portfolio pilots in portfolio order,
/// then ids the store knows no pilot for.
pub fn answered_pilots(data: &Data, survey: &str) -> Vec<Id> {
    // One pass over the responses (the surveys screen calls this for every survey, every frame).
    let mut seen: std::collections::HashSet<&str> = std::collections::HashSet::new();
    let mut first_seen: Vec<&str> = Vec::new();
    for p in data.survey_responses(survey).iter().filter_map(|r| r.pilot.as_deref()) {
        if seen.insert(p) {
            first_seen.push(p);
        }
    }
    let mut ids: Vec<Id> = data.pilots.iter().filter(|p| seen.contains(p.id.as_str())).map(|p| p.id.clone()).collect();
    for p in first_seen {
        if !data.pilots.iter().any(|known| known.id == p) {
            ids.push(p.to_string());
        }
    }
    ids
}

/// Rounds that have responses, in order.
pub fn answered_rounds(data: &Data, survey: &str) -> Vec<u32> {
    let mut rounds: Vec<u32> = data.survey_responses(survey).iter().filter_map(|r| r.round).collect();
    rounds.sort_unstable();
    rounds.dedup();
    rounds
}

/// Items a tally can be broken down by: the single-choice items, in survey order.
pub fn breakdown_items(survey: &Survey) -> Vec<&str> {
    survey.items.iter().filter(|i| matches!(i.kind, ItemKind::Single { .. })).map(|i| i.id.as_str()).collect()
}

/// A pilot's display name (its id when the store knows no such pilot).
pub fn pilot_name<'a>(data: &'a Data, id: &'a str) -> &'a str {
    data.pilot(id).map_or(id, |p| p.name.as_str())
}

/// Responses per pilot and round.
#[derive(Debug, Clone, PartialEq)]
pub struct Coverage {
    /// Column heads: rounds in order, then `None` when some responses have no round.
    pub rounds: Vec<Option<u32>>,
    pub rows: Vec<CoverageRow>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct CoverageRow {
    /// `None`: responses that name no pilot.
    pub pilot: Option<Id>,
    pub name: String,
    /// Per column of `Coverage::rounds`.
    pub counts: Vec<u64>,
    pub total: u64,
}

impl Coverage {
    /// Pilots (rows of the portfolio, not counting "no pilot") that have any response.
    pub fn answered(&self) -> usize {
        self.rows.iter().filter(|r| r.pilot.is_some() && r.total > 0).count()
    }

    pub fn pilots(&self) -> usize {
        self.rows.iter().filter(|r| r.pilot.is_some()).count()
    }
}

/// The coverage matrix of a survey: every current pilot in portfolio order (archived
/// ones only if they answered), pilot ids the store does not know, then responses
/// without a pilot. Pilots that never answered stay in, with zeros: that is the point.
pub fn coverage(data: &Data, survey: &str) -> Coverage {
    let responses = data.survey_responses(survey);
    let mut rounds: Vec<Option<u32>> = answered_rounds(data, survey).into_iter().map(Some).collect();
    if responses.iter().any(|r| r.round.is_none()) {
        rounds.push(None);
    }
    let mut rows: Vec<CoverageRow> = Vec::new();
    let row = |pilot: Option<&str>, name: String| {
        let mut counts = vec![0u64; rounds.len()];
        for r in responses.iter().filter(|r| r.pilot.as_deref() == pilot) {
            if let Some(col) = rounds.iter().position(|c| *c == r.round) {
                counts[col] += 1;
            }
        }
        let total = counts.iter().sum();
        CoverageRow { pilot: pilot.map(str::to_string), name, counts, total }
    };
    for p in &data.pilots {
        let r = row(Some(&p.id), p.name.clone());
        if !p.archived || r.total > 0 {
            rows.push(r);
        }
    }
    for id in answered_pilots(data, survey) {
        if data.pilot(&id).is_none() {
            rows.push(row(Some(&id), id.clone()));
        }
    }
    if responses.iter().any(|r| r.pilot.is_none()) {
        rows.push(row(None, "(no pilot)".into()));
    }
    Coverage { rounds, rows }
}

/// `None` → the first option → … → the last → `None`.
fn cycle<T: PartialEq + Clone>(current: &Option<T>, options: &[T]) -> Option<T> {
    match current {
        None => options.first().cloned(),
        Some(c) => options.iter().position(|o| o == c).and_then(|i| options.get(i + 1)).cloned(),
    }
}

/// Keeps the survey screens valid after the data changed (called from `settle_screen`).
pub fn settle(app: &mut App) {
    match &mut app.screen {
        Screen::Surveys { selected } => *selected = (*selected).min(app.data.surveys.len().saturating_sub(1)),
        Screen::Tally(view) => {
            if app.data.survey(&view.survey).is_none() {
                app.screen = Screen::Surveys { selected: 0 };
            } else {
                view.refresh(&app.data);
            }
        }
        _ => {}
    }
}

/// Keys on the survey list and the tally screen.
pub fn on_key(app: &mut App, cmd: Cmd) -> Vec<Effect> {
    match cmd {
        Cmd::Quit => {
            app.should_quit = true;
            return vec![Effect::Quit];
        }
        Cmd::Help => {
            app.overlay = Some(Overlay::Help { scroll: 0 });
            return vec![];
        }
        _ => {}
    }
    match &app.screen {
        Screen::Surveys { .. } => on_list(app, cmd),
        Screen::Tally(_) => on_tally(app, cmd),
        _ => app.dirty = false,
    }
    vec![]
}

fn page(app: &App) -> usize {
    usize::from(app.size.1.saturating_sub(8)).max(1)
}

fn step(current: usize, last: usize, cmd: Cmd, page: usize) -> Option<usize> {
    Some(match cmd {
        Cmd::Down => (current + 1).min(last),
        Cmd::Up => current.saturating_sub(1),
        Cmd::PageDown => (current + page).min(last),
        Cmd::PageUp => current.saturating_sub(page),
        Cmd::Top => 0,
        Cmd::Bottom => last,
        _ => return None,
    })
}

fn on_list(app: &mut App, cmd: Cmd) {
    let Screen::Surveys { selected } = app.screen else { return };
    let last = app.data.surveys.len().saturating_sub(1);
    if let Some(next) = step(selected, last, cmd, page(app)) {
        app.screen = Screen::Surveys { selected: next };
        return;
    }
    let current = app.data.surveys.get(selected).map(|s| s.id.clone());
    match (cmd, current) {
        (Cmd::Back, _) => app.screen = Screen::Home,
        (Cmd::Open, Some(id)) => {
            let mut view = TallyView::new(&id);
            view.refresh(&app.data);
            app.screen = Screen::Tally(view);
        }
        (Cmd::NewResponse, Some(id)) => open_entry(app, &id, None),
        (Cmd::Open | Cmd::NewResponse, None) => {
            app.status = Some(Status::Error("no survey instruments: add *.toml files with --surveys DIR".into()))
        }
        _ => app.dirty = false,
    }
}

fn on_tally(app: &mut App, cmd: Cmd) {
    let App { screen, data, status, .. } = app;
    let Screen::Tally(view) = screen else { return };
    let Some(survey) = data.survey(&view.survey) else { return };
    let page = usize::from(app.size.1.saturating_sub(8) / 4).max(1);
    if view.coverage {
        // Up and down scroll the pilots; the renderer keeps the last rows in view.
        let rows = coverage(data, &view.survey).rows.len();
        if let Some(next) = step(view.scroll, rows.saturating_sub(1), cmd, page * 4) {
            view.scroll = next;
            return;
        }
    }
    if let Some(next) = step(view.selected, survey.items.len().saturating_sub(1), cmd, page) {
        view.selected = next;
        return;
    }
    match cmd {
        Cmd::Left => view.column = view.column.saturating_sub(1),
        // At most to the last group (or round); the renderer also keeps the view full.
        Cmd::Right => {
            let columns = if view.coverage {
                coverage(data, &view.survey).rounds.len()
            } else {
                view.tally.as_ref().and_then(|t| t.groups.as_ref()).map_or(0, Vec::len)
            };
            view.column = (view.column + 1).min(columns.saturating_sub(1));
        }
        Cmd::CyclePilot => {
            let pilots = answered_pilots(data, &view.survey);
            view.pilot = cycle(&view.pilot, &pilots);
            let shown = view.pilot.as_deref().map_or("all pilots", |p| pilot_name(data, p));
            *status = Some(Status::Info(match pilots.len() {
                0 => "no pilot has answered yet".into(),
                n => format!("pilot: {shown} ({n} pilots answered; p cycles)"),
            }));
            view.refresh(data);
        }
        Cmd::CycleRound => {
            let rounds = answered_rounds(data, &view.survey);
            view.round = cycle(&view.round, &rounds);
            *status = Some(Status::Info(match (rounds.len(), view.round) {
                (0, _) => "no responses carry a round".into(),
                (_, None) => "round: all".into(),
                (_, Some(r)) => format!("round: {r}"),
            }));
            view.refresh(data);
        }
        Cmd::CycleBreakdown => {
            let items = breakdown_items(survey);
            view.by = cycle(&view.by.as_deref(), &items).map(str::to_string);
            view.column = 0;
            *status = Some(Status::Info(match (&view.by, items.len()) {
                (_, 0) => "this survey has no single-choice item to break down by".into(),
                (None, _) => "no breakdown".into(),
                (Some(b), _) => format!("broken down by {b}: groups side by side, ←→ scroll"),
            }));
            view.refresh(data);
        }
        Cmd::ToggleCoverage => {
            view.coverage = !view.coverage;
            view.column = 0;
        }
        Cmd::Back => {
            let selected = data.surveys.iter().position(|s| s.id == view.survey).unwrap_or(0);
            app.screen = Screen::Surveys { selected };
        }
        Cmd::NewResponse => {
            let (id, pilot) = (view.survey.clone(), view.pilot.clone());
            open_entry(app, &id, pilot);
        }
        _ => app.dirty = false,
    }
}

fn open_entry(app: &mut App, survey: &str, pilot: Option<Id>) {
    let Some(s) = app.data.survey(survey) else { return };
    let entry = Entry::new(s.clone(), &app.data, pilot.as_deref(), app.today);
    app.overlay = Some(Overlay::SurveyEntry(Box::new(entry)));
}
