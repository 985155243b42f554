use chrono::{Timelike, Utc};

use super::keymap::{Cmd, Layer};
use super::keys::Key;
use super::objective_forms::ObjectiveForm;
use super::{Action, App, Confirm, Effect, Form, Overlay, Screen, Status};
use crate::domain::{ChangeEntry, ChangeWhat, Changeset};

/// The only place app state changes.
pub fn update(app: &mut App, action: Action) -> Vec<Effect> {
    let mut effects = apply(app, action);
    if app.data.responses_pending && !app.responses_asked && needs_responses(app) {
        app.responses_asked = true;
        effects.push(Effect::LoadResponses);
    }
    super::derived::refresh(app);
    effects
}

/// Screens that show or check survey responses one by one: they cannot wait for the
/// responses to be read after the first frame (`Action::Idle`).
fn needs_responses(app: &App) -> bool {
    matches!(app.screen, Screen::Surveys { .. } | Screen::Tally(_))
        || matches!(app.overlay, Some(Overlay::SurveyEntry(_)) | Some(Overlay::EvidencePicker(_)))
}

fn apply(app: &mut App, action: Action) -> Vec<Effect> {
    // Background actions (clock, autosave) only add to what needs redrawing.
    let was_dirty = app.dirty;
    app.dirty = true;
    match action {
        Action::Key(key) => on_key(app, key),
        Action::Paste(text) if matches!(app.screen, Screen::Participant(_)) => {
            super::participant::on_paste(app, &text);
            vec![]
        }
        Action::Paste(text) => {
            on_paste(app, &text);
            vec![]
        }
        Action::Resize { width, height } => {
            app.size = (width, height);
            vec![]
        }
        Action::Tick(now) => {
            // The header shows the phase of today, the editor the elapsed minutes.
            app.dirty =
                was_dirty || now.date() != app.today || (app.editor.is_some() && now.minute() != app.now.minute());
            app.today = now.date();
            app.now = now;
            vec![]
        }
        Action::Autosave => {
            app.dirty = was_dirty;
            if let Screen::Participant(view) = &mut app.screen {
                view.unsaved = false;
                return vec![Effect::SaveSeatDraft(super::participant::draft(view))];
            }
            super::interviews::autosave(app)
        }
        Action::WorkshopChanged(workshop) => {
            match app.data.workshops.iter_mut().find(|w| w.id == workshop.id) {
                Some(w) => *w = workshop,
                // A participant's app holds their own workshop and nothing else.
                None if matches!(app.screen, Screen::Participant(_)) => {}
                None => app.data.workshops.push(workshop),
            }
            data_changed(app);
            super::participant::settle(app);
            super::participant::joined(app);
            vec![]
        }
        Action::Loaded(_) if matches!(app.screen, Screen::Participant(_)) => vec![],
        // The news itself is taken in just before the next frame (`term::Effects::news`).
        Action::WorkshopStale => vec![],
        Action::Hangup => {
            let effects = if app.wants_autosave() { update(app, Action::Autosave) } else { vec![] };
            app.should_quit = true;
            effects
        }
        Action::Presence(presence) => {
            app.dirty = was_dirty || presence != app.presence;
            app.presence = presence;
            vec![]
        }
        Action::DraftSaved => {
            if let Some(editor) = app.editor.as_mut() {
                editor.saved_at = Some(app.now);
                // Keep the snapshot's view of drafts current, so settling knows to drop it.
                let draft = editor.draft();
                app.data.drafts.retain(|d| d.interview != draft.interview);
                app.data.drafts.push(draft);
            }
            vec![]
        }
        Action::Loaded(data) => {
            app.data = data;
            data_changed(app);
            settle_screen(app);
            vec![]
        }
        Action::Saved { data, saved, message } => {
            let new_interview = match saved.interviews.as_slice() {
                [i] if app.interview(&i.id).is_none() => Some(i.id.clone()),
                _ => None,
            };
            app.data = data;
            data_changed(app);
            app.status = Some(Status::Saved(message));
            settle_screen(app);
            // A pilot that was just created opens at once: the next thing a user does
            // is fill in its details.
            if let [pilot] = saved.pilots.as_slice()
                && saved.log.iter().any(|e| e.what == ChangeWhat::Created)
            {
                app.screen = Screen::Pilot { id: pilot.id.clone(), scroll: 0 };
            }
            if app.settling && app.editor.as_ref().is_some_and(|e| saved.interviews.iter().any(|i| i.id == e.interview))
            {
                super::interviews::close_editor(app);
            }
            // A new workshop is selected in the list, ready to open.
            if let [w] = saved.new_workshops.as_slice()
                && let Some(i) = app.data.workshops.iter().position(|x| x.id == w.id)
            {
                app.screen = Screen::Workshops { selected: i };
            }
            // A new interview opens its notes: the interview is about to start.
            if let Some(id) = new_interview {
                super::interviews::open_notes(app, &id, None);
            }
            vec![]
        }
        Action::Failed(message) => {
            if app.settling {
                // The notes stay in the editor; the next autosave keeps them as a draft.
                app.settling = false;
                if let Some(editor) = app.editor.as_mut() {
                    editor.unsaved = true;
                }
            }
            app.status = Some(Status::Error(message));
            vec![]
        }
        Action::Idle => {
            app.dirty = was_dirty;
            if app.data.responses_pending && !app.responses_asked {
                app.responses_asked = true;
                return vec![Effect::LoadResponses];
            }
            vec![]
        }
        Action::ResponsesLoaded(responses) => {
            app.responses_asked = false;
            if !app.data.responses_pending {
                app.dirty = was_dirty;
                return vec![];
            }
            app.data.responses = responses;
            app.data.responses_pending = false;
            data_changed(app);
            super::survey_view::settle(app);
            vec![]
        }
        Action::ResponseSaved { data, message } => {
            app.data = data;
            data_changed(app);
            if matches!(app.overlay, Some(Overlay::SurveyEntry(_))) {
                app.overlay = None;
            }
            app.status = Some(Status::Saved(message));
            settle_screen(app);
            vec![]
        }
    }
}

/// A new data snapshot: caches built from the old one must rebuild.
fn data_changed(app: &mut App) {
    app.data_gen += 1;
    super::evidence_picker::sync(app);
}

/// Keeps the screen valid for the data: welcome when the store is empty, home once it is not.
fn settle_screen(app: &mut App) {
    let empty = app.data.evaluation.is_none() && app.data.pilots.is_empty();
    match (&app.screen, empty) {
        (_, true) => app.screen = Screen::Welcome,
        (Screen::Welcome, false) => app.screen = Screen::Home,
        (Screen::Pilot { id, .. }, false) if app.data.pilot(id).is_none() => app.screen = Screen::Home,
        (Screen::Map(view), false) => {
            let mut view = view.clone();
            if let Some(map) = app.data.map(&view.pilot) {
                view.settle(map, app.data.layers().0.len());
            }
            app.screen = Screen::Map(view);
        }
        (Screen::Objectives { selected, .. }, false) => {
            let rows = app.objective_rows().len();
            let selected = (*selected).min(rows.saturating_sub(1));
            if let Screen::Objectives { selected: s, .. } = &mut app.screen {
                *s = selected;
            }
        }
        _ => {}
    }
    let rows = app.home_rows().len();
    app.home.selected = app.home.selected.min(rows.saturating_sub(1));
    super::survey_view::settle(app);
    super::synthesis::settle(app);
}

fn on_paste(app: &mut App, text: &str) {
    if app.overlay.is_none()
        && let Some(editor) = app.editor.as_mut()
    {
        match editor.search.as_mut() {
            Some(search) => search.insert_str(text),
            None => editor.paste(text),
        }
        return;
    }
    match &mut app.overlay {
        Some(Overlay::Form(form)) => form.focused().input.insert_str(text),
        Some(Overlay::CodePicker { query, selected }) => {
            query.insert_str(text);
            *selected = 0;
        }
        None if matches!(&app.screen, Screen::Interviews(v) if v.filtering)
            || matches!(app.screen, Screen::Search(_)) =>
        {
            match &mut app.screen {
                Screen::Interviews(v) => v.filter.insert_str(text),
                Screen::Search(v) => v.query.insert_str(text),
                _ => {}
            }
        }
        Some(Overlay::SurveyEntry(entry)) => super::survey_entry::paste(entry, text),
        Some(Overlay::EvidencePicker(_)) => super::evidence_picker::paste(app, text),
        None if app.home.filtering => {
            app.home.filter.insert_str(text);
            app.home.selected = 0;
        }
        _ => {}
    }
}

fn on_key(app: &mut App, key: Key) -> Vec<Effect> {
    let layer = app.layer();
    if layer == Layer::Participant {
        return super::participant::on_key(app, key);
    }
    // A status message is read by the time the next key arrives.
    let had_status = app.status.take().is_some();
    let cmd = app.keymap.lookup(layer, key);
    // Help, search and quit mean the same on every screen, before any screen's own keys.
    if layer.takes_globals() {
        match cmd {
            Some(Cmd::Help) => {
                app.overlay = Some(Overlay::Help { scroll: 0 });
                return vec![];
            }
            Some(Cmd::OpenSearch) if !matches!(app.screen, Screen::Search(_)) => {
                super::interviews::open_search(app);
                return vec![];
            }
            Some(Cmd::Quit) => {
                app.should_quit = true;
                return vec![Effect::Quit];
            }
            _ => {}
        }
    }
    if layer == Layer::EvidencePicker {
        let effects = super::evidence_picker::on_key(app, cmd, key);
        app.dirty |= had_status;
        return effects;
    }
    if matches!(layer, Layer::Console | Layer::ConsoleInput) {
        let effects = super::workshop::on_key(app, cmd, key);
        app.dirty |= had_status;
        return effects;
    }
    if matches!(
        layer,
        Layer::Editor
            | Layer::EditorSearch
            | Layer::Picker
            | Layer::Interviews
            | Layer::InterviewsFilter
            | Layer::Codes
            | Layer::Search
    ) {
        let effects = super::interviews::on_key(app, layer, cmd, key);
        app.dirty |= had_status;
        return effects;
    }
    let Some(cmd) = cmd else {
        type_text(app, layer, key);
        app.dirty |= had_status;
        return vec![];
    };
    // Help is the same on every screen; screens' own handlers need not know about it.
    if cmd == Cmd::Help && layer.takes_globals() {
        app.overlay = Some(Overlay::Help { scroll: 0 });
        return vec![];
    }
    let effects = match layer {
        Layer::Map | Layer::MapLink => super::map::on_key(app, cmd),
        Layer::Surveys | Layer::Tally => super::survey_view::on_key(app, cmd),
        Layer::SurveyEntry => super::survey_entry::on_key(app, cmd),
        Layer::Synthesis | Layer::SynthesisRecs | Layer::SynthesisConclusions | Layer::SynthesisMatrix => {
            super::synthesis::on_key(app, cmd)
        }
        Layer::Objectives => {
            on_objectives(app, cmd);
            vec![]
        }
        Layer::Workshops => {
            super::workshop::on_list(app, cmd);
            vec![]
        }
        Layer::Indicators => {
            on_indicators(app, cmd);
            vec![]
        }
        Layer::Help => {
            on_help(app, cmd);
            vec![]
        }
        Layer::Confirm => on_confirm(app, cmd),
        Layer::Form => on_form(app, cmd),
        Layer::Filter => {
            on_filter(app, cmd);
            vec![]
        }
        _ => on_screen(app, cmd),
    };
    // A cleared status line must disappear from the screen too.
    app.dirty |= had_status;
    effects
}

fn type_text(app: &mut App, layer: Layer, key: Key) {
    match layer {
        Layer::Form => {
            if let Some(Overlay::Form(form)) = &mut app.overlay {
                form.focused().input.handle_key(key);
                form.error = None;
            }
        }
        Layer::SurveyEntry => super::survey_entry::type_key(app, key),
        Layer::Filter => {
            if app.home.filter.handle_key(key) {
                app.home.selected = 0;
            }
        }
        _ => app.dirty = false,
    }
}

fn on_help(app: &mut App, cmd: Cmd) {
    let (Some(Overlay::Help { scroll }) | Some(Overlay::Text { scroll, .. })) = &mut app.overlay else { return };
    match cmd {
        Cmd::Down => *scroll = scroll.saturating_add(1),
        Cmd::Up => *scroll = scroll.saturating_sub(1),
        Cmd::Cancel | Cmd::Help => app.overlay = None,
        _ => {}
    }
}

fn on_confirm(app: &mut App, cmd: Cmd) -> Vec<Effect> {
    match cmd {
        Cmd::Confirm => {
            let Some(Overlay::Confirm(confirm)) = app.overlay.take() else { return vec![] };
            vec![Effect::Save { changeset: confirm.on_yes, message: confirm.message }]
        }
        Cmd::Cancel => {
            app.overlay = None;
            app.status = Some(Status::Info("nothing changed".into()));
            vec![]
        }
        _ => vec![],
    }
}

fn on_form(app: &mut App, cmd: Cmd) -> Vec<Effect> {
    let Some(Overlay::Form(form)) = &mut app.overlay else { return vec![] };
    let last = form.fields.len() - 1;
    match cmd {
        Cmd::NextField => form.focus = if form.focus == last { 0 } else { form.focus + 1 },
        Cmd::PrevField => form.focus = if form.focus == 0 { last } else { form.focus - 1 },
        Cmd::Cancel => {
            let changed = form.is_changed();
            app.overlay = None;
            if changed {
                app.status = Some(Status::Info("edits discarded".into()));
            }
        }
        Cmd::Submit if matches!(form.kind, super::form::FormKind::Workshop(_)) => {
            let super::form::FormKind::Workshop(kind) = form.kind.clone() else { unreachable!() };
            let form_now = form.clone();
            return match kind.effect(&form_now, app) {
                Err(e) => {
                    if let Some(Overlay::Form(form)) = &mut app.overlay {
                        form.error = Some(e);
                    }
                    vec![]
                }
                Ok(effect) => {
                    app.overlay = None;
                    vec![effect]
                }
            };
        }
        Cmd::Submit => {
            return match form.submit(&app.data, &app.user, app.today) {
                Err(e) => {
                    form.error = Some(e);
                    vec![]
                }
                Ok(None) => {
                    app.overlay = None;
                    app.status = Some(Status::Info("nothing changed".into()));
                    vec![]
                }
                Ok(Some(changeset)) => {
                    let message = saved_what(&changeset);
                    app.overlay = None;
                    vec![Effect::Save { changeset, message }]
                }
            };
        }
        _ => {}
    }
    vec![]
}

/// What the status line says once a form's changes are on disk.
fn saved_what(changeset: &Changeset) -> String {
    if let Some(ChangeWhat::Described { text }) = changeset.log.first().map(|e| &e.what) {
        return text.clone();
    }
    match changeset.pilots.as_slice() {
        [pilot] => format!("{} saved", pilot.name),
        _ if changeset.evaluation.is_some() => "evaluation saved".into(),
        _ => "saved".into(),
    }
}

fn on_filter(app: &mut App, cmd: Cmd) {
    match cmd {
        Cmd::Submit => app.home.filtering = false,
        Cmd::Cancel => {
            app.home.filtering = false;
            app.home.filter = Default::default();
            app.home.selected = 0;
        }
        Cmd::Down | Cmd::Up => move_selection(app, cmd),
        _ => {}
    }
}

fn move_selection(app: &mut App, cmd: Cmd) {
    let rows = app.home_rows().len();
    let page = usize::from(app.size.1.saturating_sub(10)).max(1);
    let last = rows.saturating_sub(1);
    let s = &mut app.home.selected;
    *s = match cmd {
        Cmd::Down => (*s + 1).min(last),
        Cmd::Up => s.saturating_sub(1),
        Cmd::PageDown => (*s + page).min(last),
        Cmd::PageUp => s.saturating_sub(page),
        Cmd::Top => 0,
        Cmd::Bottom => last,
        _ => *s,
    };
}

fn on_screen(app: &mut App, cmd: Cmd) -> Vec<Effect> {
    match cmd {
        Cmd::Quit => {
            app.should_quit = true;
            return vec![Effect::Quit];
        }
        Cmd::Help => app.overlay = Some(Overlay::Help { scroll: 0 }),
        Cmd::NewEvaluation => app.overlay = Some(Overlay::Form(Form::new_evaluation())),
        Cmd::EditEvaluation => {
            app.overlay = Some(Overlay::Form(match &app.data.evaluation {
                Some(e) => Form::edit_evaluation(e),
                None => Form::new_evaluation(),
            }))
        }
        Cmd::New => app.overlay = Some(Overlay::Form(Form::new_pilot())),
        Cmd::Up | Cmd::Down | Cmd::PageUp | Cmd::PageDown | Cmd::Top | Cmd::Bottom => match &mut app.screen {
            Screen::Pilot { scroll, .. } => {
                let page = app.size.1.saturating_sub(6).max(1);
                *scroll = match cmd {
                    Cmd::Down => scroll.saturating_add(1),
                    Cmd::Up => scroll.saturating_sub(1),
                    Cmd::PageDown => scroll.saturating_add(page),
                    Cmd::PageUp => scroll.saturating_sub(page),
                    _ => *scroll,
                }
            }
            _ => move_selection(app, cmd),
        },
        Cmd::Open => {
            if let Some(pilot) = app.home_rows().get(app.home.selected) {
                app.screen = Screen::Pilot { id: pilot.id.clone(), scroll: 0 };
            }
        }
        Cmd::Filter => app.home.filtering = true,
        Cmd::ClearFilter => {
            app.home.filter = Default::default();
            app.home.selected = 0;
        }
        Cmd::SortNext => {
            app.home.sort = app.home.sort.next();
            app.status = Some(Status::Info(format!("sorted by {}", app.home.sort.label())));
        }
        Cmd::SortReverse => app.home.reverse = !app.home.reverse,
        Cmd::ToggleArchived => {
            app.home.show_archived = !app.home.show_archived;
            let shown = if app.home.show_archived { "shown" } else { "hidden" };
            app.status = Some(Status::Info(format!("archived pilots {shown}")));
            settle_screen(app);
        }
        Cmd::Back => {
            if let Screen::Pilot { id, .. } = &app.screen {
                // Come back to the same row, so the user keeps their place.
                let id = id.clone();
                app.home.selected = app.home_rows().iter().position(|p| p.id == id).unwrap_or(app.home.selected);
                app.screen = Screen::Home;
            }
        }
        Cmd::NextPilot | Cmd::PrevPilot => step_pilot(app, cmd == Cmd::NextPilot),
        Cmd::OpenMap => {
            if let Screen::Pilot { id, .. } = &app.screen {
                app.screen = Screen::Map(super::map::MapView::new(id));
            }
        }
        Cmd::OpenObjectives => {
            let pilot = match &app.screen {
                Screen::Pilot { id, .. } => Some(id.clone()),
                _ => None,
            };
            app.screen = Screen::Objectives { pilot, selected: 0 };
        }
        Cmd::OpenIndicators => app.screen = Screen::Indicators { selected: 0 },
        Cmd::OpenInterviews => {
            let pilot = match &app.screen {
                Screen::Pilot { id, .. } => Some(id.clone()),
                _ => None,
            };
            app.screen = Screen::Interviews(super::interviews::ListView { pilot, ..Default::default() });
        }
        Cmd::OpenCodes => app.screen = Screen::Codes(Default::default()),
        Cmd::OpenWorkshops => app.screen = Screen::Workshops { selected: 0 },
        Cmd::OpenSearch => super::interviews::open_search(app),
        Cmd::OpenSurveys => app.screen = Screen::Surveys { selected: 0 },
        Cmd::OpenSynthesis => app.screen = Screen::Synthesis(Default::default()),
        Cmd::Edit => {
            if let Screen::Pilot { id, .. } = &app.screen
                && let Some(pilot) = app.data.pilot(id)
            {
                app.overlay = Some(Overlay::Form(Form::edit_pilot(pilot)));
            }
        }
        Cmd::Archive => return archive(app),
        _ => app.dirty = false,
    }
    vec![]
}

fn on_objectives(app: &mut App, cmd: Cmd) {
    let Screen::Objectives { pilot, selected } = &app.screen else { return };
    let (pilot, selected) = (pilot.clone(), *selected);
    let rows = app.objective_rows().len();
    let current = app.objective_rows().get(selected).map(|o| (*o).clone());
    let next = match cmd {
        Cmd::Down => (selected + 1).min(rows.saturating_sub(1)),
        Cmd::Up => selected.saturating_sub(1),
        Cmd::Back => {
            app.screen = match pilot {
                Some(id) => Screen::Pilot { id, scroll: 0 },
                None => Screen::Home,
            };
            return;
        }
        Cmd::New => {
            match &pilot {
                Some(p) => app.overlay = Some(Overlay::Form(ObjectiveForm::create(p))),
                None => app.status = Some(Status::Info("objectives belong to a pilot: open one and press o".into())),
            }
            selected
        }
        Cmd::Edit | Cmd::AddLesson => {
            match current {
                Some(o) if cmd == Cmd::Edit => app.overlay = Some(Overlay::Form(ObjectiveForm::edit(&o))),
                Some(o) => app.overlay = Some(Overlay::Form(ObjectiveForm::lesson(&o, app.today))),
                None => app.status = Some(Status::Error("no learning objective yet: add one with n".into())),
            }
            selected
        }
        _ => {
            app.dirty = false;
            selected
        }
    };
    app.screen = Screen::Objectives { pilot, selected: next };
}

fn on_indicators(app: &mut App, cmd: Cmd) {
    let Screen::Indicators { selected } = app.screen else { return };
    let last = app.indicator_names().len().saturating_sub(1);
    app.screen = match cmd {
        Cmd::Right => Screen::Indicators { selected: (selected + 1).min(last) },
        Cmd::Left => Screen::Indicators { selected: selected.saturating_sub(1) },
        Cmd::Back => Screen::Home,
        _ => {
            app.dirty = false;
            return;
        }
    };
}

fn step_pilot(app: &mut App, forward: bool) {
    let Screen::Pilot { id, .. } = &app.screen else { return };
    let rows = app.home_rows();
    let Some(i) = rows.iter().position(|p| &p.id == id) else { return };
    let j = if forward { (i + 1).min(rows.len() - 1) } else { i.saturating_sub(1) };
    let next = rows[j].id.clone();
    app.home.selected = j;
    app.screen = Screen::Pilot { id: next, scroll: 0 };
}

/// Archiving asks first; restoring from the archive does not (it destroys nothing).
fn archive(app: &mut App) -> Vec<Effect> {
    let Screen::Pilot { id, .. } = &app.screen else { return vec![] };
    let Some(pilot) = app.data.pilot(id) else { return vec![] };
    let mut changed = pilot.clone();
    changed.archived = !pilot.archived;
    let what = if changed.archived { ChangeWhat::Archived } else { ChangeWhat::Restored };
    let log = vec![ChangeEntry { at: Utc::now(), who: app.user.clone(), subject: id.clone(), what }];
    let changeset = Changeset { pilots: vec![changed], log, ..Default::default() };
    if pilot.archived {
        return vec![Effect::Save { changeset, message: format!("{} restored from the archive", pilot.name) }];
    }
    app.overlay = Some(Overlay::Confirm(Confirm {
        question: format!("Archive {}?", pilot.name),
        detail: "It disappears from the pilot list but stays in the store, its history and backups. \
                 Show archived pilots with A on the home screen; restore with a."
            .into(),
        on_yes: changeset,
        message: format!("{} archived", pilot.name),
    }));
    vec![]
}
