//! Views: functions from app state to a frame. Nothing here changes state.
//!
//! Every screen is header + body + status line + key bar. The key bar is built from
//! the keymap layer that receives keys now, so it always shows what works.

mod footer;
mod form;
mod help;
mod home;
mod indicators;
mod interviews;
mod map;
mod objectives;
mod participant;
mod pilot;
mod survey;
mod survey_entry;
mod synthesis;
pub mod theme;
mod welcome;
mod widgets;
mod workshop;

use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::Clear;

use crate::app::{App, Overlay, Screen, Status};
pub use theme::Theme;

pub fn render(frame: &mut Frame, app: &App, theme: &Theme) {
    let area = frame.area();
    if area.width == 0 || area.height == 0 {
        return;
    }
    // A participant's screen is theirs alone: its own header and key bar, in their language.
    if let Screen::Participant(view) = &app.screen {
        participant::render(frame, area, app, theme, view);
        return;
    }
    let (chrome, [header, body, status, keys]) = screen_areas(area);
    if chrome {
        render_header(frame, header, app, theme);
        render_status(frame, status, app, theme);
        footer::render(frame, keys, app, theme);
        // While notes are typed, the footer ends with whether they are on disk.
        if let (Screen::Interview { .. }, Some(editor)) = (&app.screen, app.editor.as_ref()) {
            let state = interviews::save_state(editor, theme);
            let width = state.width() as u16;
            if keys.width > width + 40 {
                let at = Rect { x: keys.right() - width, width, ..keys };
                frame.render_widget(Clear, at);
                frame.render_widget(Line::from(state), at);
            }
        }
    }
    match &app.screen {
        Screen::Welcome => welcome::render(frame, body, app, theme),
        Screen::Home => home::render(frame, body, app, theme),
        Screen::Surveys { selected } => survey::render_list(frame, body, app, theme, *selected),
        Screen::Tally(view) => survey::render_tally(frame, body, app, theme, view),
        Screen::Pilot { id, scroll } => pilot::render(frame, body, app, theme, id, *scroll),
        Screen::Map(view) => map::render(frame, body, app, theme, view),
        Screen::Objectives { pilot, selected } => {
            objectives::render(frame, body, app, theme, pilot.as_deref(), *selected)
        }
        Screen::Indicators { selected } => indicators::render(frame, body, app, theme, *selected),
        Screen::Interviews(view) => interviews::render_list(frame, body, app, theme, view),
        Screen::Interview { id, .. } => interviews::render_editor(frame, body, app, theme, id),
        Screen::Codes(view) => interviews::render_codes(frame, body, app, theme, view),
        Screen::Search(view) => interviews::render_search(frame, body, app, theme, view),
        Screen::Workshops { selected } => workshop::render_list(frame, body, app, theme, *selected),
        Screen::Console(view) => workshop::render_console(frame, body, app, theme, view),
        Screen::Participant(_) => {}
        Screen::Synthesis(view) => synthesis::render(frame, body, app, theme, view),
    }
    match &app.overlay {
        None => {}
        Some(Overlay::Help { scroll }) => help::render(frame, area, app, theme, *scroll),
        Some(Overlay::SurveyEntry(entry)) => survey_entry::render(frame, area, app, entry, theme),
        Some(Overlay::CodePicker { query, selected }) => {
            interviews::render_picker(frame, area, app, theme, query.value(), *selected)
        }
        Some(Overlay::Text { title, lines, scroll }) => help::render_text(frame, area, title, lines, theme, *scroll),
        Some(Overlay::Form(f)) => form::render(frame, area, f, theme),
        Some(Overlay::EvidencePicker(p)) => synthesis::render_picker(frame, area, app, theme, p),
        Some(Overlay::Confirm(c)) => form::render_confirm(frame, area, c, theme),
    }
}

/// Header, body, status line and key bar; below four lines there is no room for chrome
/// and the body gets everything (the flag says which).
fn screen_areas(area: Rect) -> (bool, [Rect; 4]) {
    if area.height >= 4 {
        let rows = [Constraint::Length(1), Constraint::Fill(1), Constraint::Length(1), Constraint::Length(1)];
        (true, Layout::vertical(rows).areas(area))
    } else {
        (false, [Rect::default(), area, Rect::default(), Rect::default()])
    }
}

fn render_header(frame: &mut Frame, area: Rect, app: &App, theme: &Theme) {
    let mut spans = vec![Span::styled(" oppi ", theme.key)];
    if let Some(e) = &app.data.evaluation {
        spans.push(Span::styled(format!(" {}", e.title), theme.title));
        if let Some(phase) = e.phase_on(app.today) {
            spans.push(Span::styled(format!(" · {}", phase.name), theme.muted));
        }
    }
    let used: usize = spans.iter().map(Span::width).sum();
    let location = format!("{} ", app.location);
    // The location is the least important part: it shows only when everything fits.
    if used + location.chars().count() + 2 <= area.width as usize {
        let gap = area.width as usize - used - location.chars().count();
        spans.push(Span::raw(" ".repeat(gap)));
        spans.push(Span::styled(location, theme.muted));
    }
    frame.render_widget(Line::from(spans), area);
}

fn render_status(frame: &mut Frame, area: Rect, app: &App, theme: &Theme) {
    let line = match &app.status {
        None => return,
        Some(Status::Info(m)) => Line::styled(format!(" {m}"), theme.muted),
        Some(Status::Saved(m)) => Line::styled(format!(" ✓ {m}"), theme.ok),
        Some(Status::Error(m)) => Line::styled(format!(" ✗ {m}"), theme.error),
    };
    frame.render_widget(line, area);
}

#[cfg(test)]
mod survey_tests;
#[cfg(test)]
pub(crate) mod tests;
