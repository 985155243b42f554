//! Interviews: the list, the note editor around `NoteEditor`, retrieval by code, and
//! the global search.

use std::borrow::Cow;

use chrono::Utc;

use super::editor::NoteEditor;
use super::interview_forms::InterviewForm;
use super::keymap::{Cmd, Layer};
use super::keys::Key;
use super::text_input::TextInput;
use super::{App, Effect, Overlay, Screen, Status};
use crate::domain::codebook::fuzzy_score;
use crate::domain::interview::Interview;
use crate::domain::interview_filter::InterviewFilter;
use crate::domain::retrieval::{self, Hit, Segment};
use crate::domain::{ChangeEntry, ChangeWhat, Changeset, Id};

#[derive(Debug, Clone, PartialEq, Default)]
pub struct ListView {
    pub pilot: Option<Id>,
    pub selected: usize,
    pub filter: TextInput,
    pub filtering: bool,
}

#[derive(Debug, Clone, PartialEq, Default)]
pub struct CodesView {
    pub code: usize,
    pub segment: usize,
    pub on_segments: bool,
}

#[derive(Debug, Clone, PartialEq)]
pub struct SearchView {
    pub query: TextInput,
    pub selected: usize,
    /// Where Esc returns to.
    pub back: Box<Screen>,
}

pub(crate) const SEARCH_LIMIT: usize = 200;

impl App {
    /// The interviews the list shows: the pilot's (or all), filtered, newest first.
    pub fn interview_rows(&self) -> Vec<&Interview> {
        let Screen::Interviews(view) = &self.screen else { return vec![] };
        let filter = InterviewFilter::parse(view.filter.value());
        let mut rows: Vec<&Interview> = self
            .data
            .interviews
            .iter()
            .filter(|i| view.pilot.as_ref().is_none_or(|p| i.pilots.contains(p)))
            .filter(|i| filter.matches_in(i, &self.data.codebook))
            .collect();
        rows.sort_by_key(|i| std::cmp::Reverse(i.at));
        rows
    }

    pub fn interview(&self, id: &str) -> Option<&Interview> {
        self.data.interviews.iter().find(|i| i.id == id)
    }

    /// Codes the picker offers for `query`: the codebook, then learning objectives of
    /// the interview's pilots (they are codable too), best match first.
    pub fn picker_matches(&self, query: &str) -> Vec<(String, String)> {
        let pilots: Vec<Id> = self
            .editor
            .as_ref()
            .and_then(|e| self.interview(&e.interview))
            .map(|i| i.pilots.clone())
            .unwrap_or_default();
        let mut scored: Vec<(i32, String, String)> = self
            .data
            .codebook
            .codes
            .iter()
            .map(|c| (c.slug.clone(), self.data.codebook.path(&c.slug)))
            .chain(
                self.data
                    .objectives
                    .iter()
                    .filter(|o| pilots.contains(&o.pilot))
                    .map(|o| (o.id.clone(), format!("objective: {}", o.question))),
            )
            .filter_map(|(slug, label)| {
                let score = fuzzy_score(query, &slug).max(fuzzy_score(query, &label))?;
                Some((score, slug, label))
            })
            .collect();
        scored.sort_by_key(|s| std::cmp::Reverse(s.0));
        scored.into_iter().map(|(_, slug, label)| (slug, label)).collect()
    }

    /// Segments of the code selected on the retrieval screen, as `update` derived them
    /// (computed here only for a state built by hand, without `update`).
    pub fn code_segments(&self) -> Cow<'_, [Segment]> {
        let Screen::Codes(view) = &self.screen else { return Cow::Borrowed(&[]) };
        let Some(code) = self.data.codebook.codes.get(view.code) else { return Cow::Borrowed(&[]) };
        match &self.derived.segments {
            Some((slug, segments)) if *slug == code.slug && self.derived.index_gen == Some(self.data_gen) => {
                Cow::Borrowed(segments)
            }
            _ => Cow::Owned(retrieval::segments_in(
                &self.derived.index,
                &self.data.interviews,
                &self.data.codebook,
                &code.slug,
            )),
        }
    }

    /// Hits for the search screen's query, as `update` derived them (computed here only
    /// for a state built by hand).
    pub fn search_hits(&self) -> Cow<'_, [Hit]> {
        let Screen::Search(view) = &self.screen else { return Cow::Borrowed(&[]) };
        match &self.derived.hits {
            Some((query, hits)) if query == view.query.value() && self.derived.index_gen == Some(self.data_gen) => {
                Cow::Borrowed(hits)
            }
            _ => Cow::Owned(retrieval::search_in(
                &self.derived.index,
                view.query.value(),
                &self.data.pilots,
                &self.data.objectives,
                &self.data.interviews,
                SEARCH_LIMIT,
            )),
        }
    }

    /// How many interviews name pilot `id`.
    pub fn interviews_of(&self, id: &str) -> usize {
        if self.derived.data_gen == self.data_gen {
            self.derived.interviews_per_pilot.get(id).copied().unwrap_or(0)
        } else {
            self.data.interviews.iter().filter(|i| i.pilots.iter().any(|p| p == id)).count()
        }
    }

    /// Uses per code in codebook order, as `update` derived them.
    pub fn code_counts(&self) -> Cow<'_, [(String, usize)]> {
        if self.derived.index_gen == Some(self.data_gen) {
            Cow::Borrowed(&self.derived.code_counts)
        } else {
            Cow::Owned(retrieval::code_counts_in(&self.derived.index, &self.data.interviews, &self.data.codebook))
        }
    }

    /// Whether the editor has typing that is not on disk yet.
    pub fn wants_autosave(&self) -> bool {
        self.editor.as_ref().is_some_and(|e| e.unsaved) || super::participant::wants_autosave(self)
    }
}

/// Opens an interview's notes in the editor, from its draft if one was left behind.
pub fn open_notes(app: &mut App, id: &str, line: Option<usize>) {
    let Some(interview) = app.interview(id) else { return };
    // This evaluator's own draft; one from before drafts had an owner counts as theirs.
    let draft = app
        .data
        .drafts
        .iter()
        .find(|d| d.interview == id && d.by == app.user)
        .or_else(|| app.data.drafts.iter().find(|d| d.interview == id && d.by.is_empty()));
    let mut editor = NoteEditor::open(interview, draft, app.now).typed_by(&app.user);
    if draft.is_some() {
        app.status = Some(Status::Info("restored unsaved notes from the last session".into()));
    }
    if let Some(line) = line {
        editor.jump_to_line(line);
    }
    app.editor = Some(editor);
    let back = match &app.screen {
        // A new interview's form was opened from a list: go back to that list.
        Screen::Interview { back, .. } => back.clone(),
        other => Box::new(other.clone()),
    };
    app.screen = Screen::Interview { id: id.to_string(), back };
}

/// Leaves the editor: the notes go into the interview record, the draft goes away,
/// in one transaction.
/// The editor stays open until the store confirms, so a failed write loses nothing.
fn settle(app: &mut App) -> Vec<Effect> {
    let Some(editor) = app.editor.as_ref() else { return vec![] };
    let Some(mut interview) = app.interview(&editor.interview).cloned() else {
        close_editor(app);
        return vec![];
    };
    let mut drafts: Vec<String> = app
        .data
        .drafts
        .iter()
        .filter(|d| d.interview == interview.id && (d.by == editor.by || d.by.is_empty()))
        .map(|d| d.key_id())
        .chain(editor.saved_at.map(|_| editor.draft().key_id()))
        .collect();
    drafts.sort();
    drafts.dedup();
    let text = editor.text();
    if text == interview.notes && drafts.is_empty() {
        close_editor(app);
        return vec![];
    }
    app.settling = true;
    let mut message_extra = String::new();
    if interview.notes != editor.base && text != interview.notes {
        // Someone else saved these notes while they were open here: keep their version
        // and add what was typed here, marked, so neither is lost.
        let added = crate::domain::interview::lines_added(&editor.base, &interview.notes, &text);
        if !added.is_empty() {
            let mut merged = interview.notes.trim_end().to_string();
            merged.push_str(&format!("\n\n[added by {} while the notes were also edited elsewhere]\n", app.user));
            merged.push_str(&added.join("\n"));
            interview.notes = merged;
            message_extra = format!("; merged with another evaluator's save ({} lines added)", added.len());
        }
    } else {
        interview.notes = text;
    }
    let words = interview.words();
    let log = vec![ChangeEntry {
        at: Utc::now(),
        who: app.user.clone(),
        subject: interview.pilots.first().cloned().unwrap_or_default(),
        what: ChangeWhat::Described { text: format!("interview {}: notes saved ({words} words)", interview.id) },
    }];
    let changeset = Changeset { drop_drafts: drafts, interviews: vec![interview], log, ..Default::default() };
    vec![Effect::Save { changeset, message: format!("notes saved ({words} words){message_extra}") }]
}

/// Leaves the editor for the screen it was opened from.
pub fn close_editor(app: &mut App) {
    app.editor = None;
    app.settling = false;
    if let Screen::Interview { back, .. } = &app.screen {
        app.screen = (**back).clone();
    }
}

pub fn on_key(app: &mut App, layer: Layer, cmd: Option<Cmd>, key: Key) -> Vec<Effect> {
    match layer {
        Layer::Editor => on_editor(app, cmd, key),
        Layer::EditorSearch => {
            on_editor_search(app, cmd, key);
            vec![]
        }
        Layer::Picker => on_picker(app, cmd, key),
        Layer::Interviews | Layer::InterviewsFilter => {
            on_list(app, cmd, key);
            vec![]
        }
        Layer::Codes => {
            on_codes(app, cmd);
            vec![]
        }
        Layer::Search => {
            on_search(app, cmd, key);
            vec![]
        }
        _ => vec![],
    }
}

fn on_editor(app: &mut App, cmd: Option<Cmd>, key: Key) -> Vec<Effect> {
    let now = app.now;
    let Some(editor) = app.editor.as_mut() else { return vec![] };
    match cmd {
        None => editor.key(key),
        Some(Cmd::Done) => return settle(app),
        Some(Cmd::Stamp) => editor.stamp(now),
        Some(Cmd::ToggleQuote) => editor.toggle_quote(),
        Some(Cmd::Find) => editor.search = Some(TextInput::new(&editor.last_search.clone())),
        Some(Cmd::Help) => app.overlay = Some(Overlay::Help { scroll: 0 }),
        Some(Cmd::PickCode) => {
            app.overlay = Some(Overlay::CodePicker { query: TextInput::default(), selected: 0 });
            // Focus leaves the text: save what was typed.
            return autosave(app);
        }
        _ => app.dirty = false,
    }
    vec![]
}

/// The draft, if there is unsaved typing.
pub fn autosave(app: &mut App) -> Vec<Effect> {
    match app.editor.as_mut() {
        Some(editor) if editor.unsaved => {
            editor.unsaved = false;
            vec![Effect::SaveDraft(editor.draft())]
        }
        _ => vec![],
    }
}

fn on_editor_search(app: &mut App, cmd: Option<Cmd>, key: Key) {
    let Some(editor) = app.editor.as_mut() else { return };
    let Some(search) = editor.search.as_mut() else { return };
    match cmd {
        None => {
            search.handle_key(key);
        }
        Some(Cmd::Submit) => {
            let query = search.value().to_string();
            editor.last_search = query.clone();
            if !editor.find_next(&query) {
                app.status = Some(Status::Info(format!("'{query}' is not in these notes")));
            }
        }
        Some(Cmd::Cancel) => editor.search = None,
        _ => {}
    }
}

fn on_picker(app: &mut App, cmd: Option<Cmd>, key: Key) -> Vec<Effect> {
    let Some(Overlay::CodePicker { query, selected }) = &mut app.overlay else { return vec![] };
    match cmd {
        None if query.handle_key(key) => {
            *selected = 0;
        }
        Some(Cmd::Down) => *selected += 1,
        Some(Cmd::Up) => *selected = selected.saturating_sub(1),
        Some(Cmd::Cancel) => app.overlay = None,
        Some(Cmd::Submit) => {
            let (q, i) = (query.value().to_string(), *selected);
            let matches = app.picker_matches(&q);
            app.overlay = None;
            match matches.get(i.min(matches.len().saturating_sub(1))) {
                Some((slug, label)) => {
                    if let Some(editor) = app.editor.as_mut() {
                        editor.add_code(slug);
                    }
                    app.status = Some(Status::Info(format!("coded #{slug} ({label})")));
                    return autosave(app);
                }
                None => app.status = Some(Status::Error(format!("no code matches '{q}'"))),
            }
        }
        _ => {}
    }
    if let Some(Overlay::CodePicker { query, selected }) = &app.overlay {
        let count = app.picker_matches(query.value()).len();
        let clamped = (*selected).min(count.saturating_sub(1));
        if let Some(Overlay::CodePicker { selected, .. }) = &mut app.overlay {
            *selected = clamped;
        }
    }
    vec![]
}

fn on_list(app: &mut App, cmd: Option<Cmd>, key: Key) {
    let rows: Vec<Id> = app.interview_rows().iter().map(|i| i.id.clone()).collect();
    let Screen::Interviews(view) = &mut app.screen else { return };
    if view.filtering {
        match cmd {
            None if view.filter.handle_key(key) => {
                view.selected = 0;
            }
            Some(Cmd::Submit) => view.filtering = false,
            Some(Cmd::Cancel) => {
                view.filtering = false;
                view.filter = TextInput::default();
            }
            _ => {}
        }
        return;
    }
    match cmd {
        Some(Cmd::Down) => view.selected = (view.selected + 1).min(rows.len().saturating_sub(1)),
        Some(Cmd::Up) => view.selected = view.selected.saturating_sub(1),
        Some(Cmd::Filter) => view.filtering = true,
        Some(Cmd::Back) => {
            app.screen = match view.pilot.take() {
                Some(id) => Screen::Pilot { id, scroll: 0 },
                None => Screen::Home,
            }
        }
        Some(Cmd::Open) => {
            if let Some(id) = rows.get(view.selected).cloned() {
                open_notes(app, &id, None);
            }
        }
        Some(Cmd::New) => {
            let pilot = view.pilot.clone();
            let form = InterviewForm::create(app, pilot.as_deref());
            app.overlay = Some(Overlay::Form(form));
        }
        Some(Cmd::Edit) => {
            if let Some(i) = rows.get(view.selected).and_then(|id| app.interview(id)) {
                let form = InterviewForm::edit(app, i);
                app.overlay = Some(Overlay::Form(form));
            }
        }
        _ => app.dirty = false,
    }
}

fn on_codes(app: &mut App, cmd: Option<Cmd>) {
    let codes = app.data.codebook.codes.len();
    // Where each segment is: all a key here needs of them.
    let segments: Vec<(Id, usize)> = app.code_segments().iter().map(|s| (s.interview.clone(), s.line)).collect();
    let Screen::Codes(view) = &mut app.screen else { return };
    match cmd {
        Some(Cmd::SwitchPane) => view.on_segments = !view.on_segments,
        Some(Cmd::Down) if view.on_segments => view.segment = (view.segment + 1).min(segments.len().saturating_sub(1)),
        Some(Cmd::Up) if view.on_segments => view.segment = view.segment.saturating_sub(1),
        Some(Cmd::Down) => {
            view.code = (view.code + 1).min(codes.saturating_sub(1));
            view.segment = 0;
        }
        Some(Cmd::Up) => {
            view.code = view.code.saturating_sub(1);
            view.segment = 0;
        }
        Some(Cmd::Open) => match segments.get(view.segment) {
            Some((id, line)) if view.on_segments => {
                let (id, line) = (id.clone(), *line);
                open_notes(app, &id, Some(line));
            }
            _ => view.on_segments = true,
        },
        Some(Cmd::Back) => app.screen = Screen::Home,
        _ => app.dirty = false,
    }
}

fn on_search(app: &mut App, cmd: Option<Cmd>, key: Key) {
    let hits = app.search_hits().into_owned();
    let Screen::Search(view) = &mut app.screen else { return };
    match cmd {
        None if view.query.handle_key(key) => {
            view.selected = 0;
        }
        Some(Cmd::Down) => view.selected = (view.selected + 1).min(hits.len().saturating_sub(1)),
        Some(Cmd::Up) => view.selected = view.selected.saturating_sub(1),
        Some(Cmd::Back) => app.screen = (*view.back).clone(),
        Some(Cmd::Open) => match hits.get(view.selected) {
            Some(Hit::Pilot { id, .. }) => app.screen = Screen::Pilot { id: id.clone(), scroll: 0 },
            Some(Hit::Objective { pilot, .. }) => {
                app.screen = Screen::Objectives { pilot: Some(pilot.clone()), selected: 0 }
            }
            Some(Hit::Note { interview, line, .. }) => {
                let (id, line) = (interview.clone(), *line);
                open_notes(app, &id, Some(line));
            }
            None => {}
        },
        _ => {}
    }
}

/// `/` and friends: open the search, remembering where to come back to.
pub fn open_search(app: &mut App) {
    let back = Box::new(app.screen.clone());
    app.screen = Screen::Search(SearchView { query: TextInput::default(), selected: 0, back });
}
