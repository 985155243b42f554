use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Cell, Paragraph, Row, Table, TableState};

use super::widgets::{count, truncate, wrap};
use crate::app::{App, SortColumn};
use crate::domain::{Pilot, PilotKind, PilotStatus};
use crate::ui::Theme;

pub fn render(frame: &mut Frame, area: Rect, app: &App, theme: &Theme) {
    // The evaluation summary yields to the table when space is short.
    let summary_height = if area.height >= 14 { 4 } else { 0 };
    let [summary, bar, table] =
        Layout::vertical([Constraint::Length(summary_height), Constraint::Length(1), Constraint::Fill(1)]).areas(area);
    render_summary(frame, summary, app, theme);
    render_bar(frame, bar, app, theme);
    render_table(frame, table, app, theme);
}

fn render_summary(frame: &mut Frame, area: Rect, app: &App, theme: &Theme) {
    if area.height == 0 {
        return;
    }
    let Some(e) = &app.data.evaluation else {
        let hint = Line::styled(" No evaluation details yet: press E to add them.", theme.muted);
        frame.render_widget(hint, area);
        return;
    };
    let label = |l: &'static str| Span::styled(format!(" {l:<13}"), theme.muted);
    let width = (area.width as usize).saturating_sub(14);
    let question = wrap(&e.main_question, width);
    let mut lines = vec![Line::from(vec![label("Commissioner"), Span::styled(e.commissioner.clone(), theme.text)])];
    for (i, part) in question.into_iter().take(2).enumerate() {
        let lead = if i == 0 { label("Question") } else { Span::raw(" ".repeat(14)) };
        lines.push(Line::from(vec![lead, Span::styled(part, theme.text)]));
    }
    let phase = e
        .phase_on(app.today)
        .map_or_else(|| "no phases planned".to_string(), |p| format!("{} ({} – {})", p.name, p.start, p.end));
    lines.push(Line::from(vec![
        label("Phase"),
        Span::styled(phase, theme.text),
        Span::styled(format!(" · {} sub-questions · {} themes", e.sub_questions.len(), e.themes.len()), theme.muted),
    ]));
    frame.render_widget(Paragraph::new(lines), area);
}

fn render_bar(frame: &mut Frame, area: Rect, app: &App, theme: &Theme) {
    let rows = app.home_rows().len();
    let total = app.data.pilots.iter().filter(|p| app.home.show_archived || !p.archived).count();
    let mut spans = vec![Span::styled(format!(" Pilots {rows}/{total}"), theme.header)];
    if app.home.filtering || !app.home.filter.value().is_empty() {
        spans.push(Span::styled("  / ", theme.accent));
        spans.push(Span::styled(format!("{} ", app.home.filter.value()), theme.input));
        if app.home.filtering {
            // Display width, not characters: wide and combining characters differ.
            let before: String = app.home.filter.value().chars().take(app.home.filter.cursor()).collect();
            let prefix: usize = spans[..spans.len() - 1].iter().map(|s| s.width()).sum();
            let cursor_x = area.x.saturating_add((prefix + Line::from(before).width()).min(u16::MAX as usize) as u16);
            if cursor_x < area.right() {
                frame.set_cursor_position((cursor_x, area.y));
            }
        }
    }
    if app.home.sort != SortColumn::Added || app.home.reverse {
        let dir = if app.home.reverse { " ↓" } else { "" };
        spans.push(Span::styled(format!("  sorted by {}{dir}", app.home.sort.label()), theme.muted));
    }
    if app.home.show_archived {
        spans.push(Span::styled("  incl. archived", theme.warning));
    }
    frame.render_widget(Line::from(spans), area);
}

fn render_table(frame: &mut Frame, area: Rect, app: &App, theme: &Theme) {
    let rows = app.home_rows();
    if rows.is_empty() {
        let msg = if app.data.pilots.is_empty() {
            " No pilots yet: press n to add the first one."
        } else {
            " No pilot matches the filter (esc clears it)."
        };
        frame.render_widget(Line::styled(msg, theme.muted), area);
        return;
    }
    let wide = area.width >= 70;
    // Interviews, learning objectives and survey responses per pilot, when there is room.
    let counts = area.width >= 100;
    let mut header: Vec<&str> =
        if wide { vec!["Pilot", "Region", "Type", "Status", "Planned", "Actual"] } else { vec!["Pilot", "Status"] };
    let mut fixed: Vec<u16> = vec![REGION, 8, STATUS, 7, 7];
    if counts {
        header.extend(["Intv", "Obj", "Resp"]);
        fixed.extend([4, 3, 5]);
    }
    let name_width = if wide {
        area.width.saturating_sub(fixed.iter().sum::<u16>() + fixed.len() as u16)
    } else {
        area.width.saturating_sub(STATUS + 1)
    };
    let widths: Vec<Constraint> = if wide {
        std::iter::once(Constraint::Length(name_width)).chain(fixed.iter().map(|w| Constraint::Length(*w))).collect()
    } else {
        vec![Constraint::Length(name_width), Constraint::Length(STATUS)]
    };
    let table_rows: Vec<Row> = rows
        .iter()
        .map(|p| {
            if !counts {
                return pilot_row(p, wide, name_width as usize, theme, vec![]);
            }
            let interviews = app.interviews_of(&p.id);
            let objectives = app.data.objectives_of(&p.id).count();
            let n = |v: Option<usize>| {
                let text = match v {
                    None => "…".to_string(),
                    Some(0) => "–".to_string(),
                    Some(v) => v.to_string(),
                };
                Cell::from(Line::from(text).right_aligned())
            };
            let responses = app.responses_of_pilot(&p.id);
            pilot_row(p, wide, name_width as usize, theme, vec![n(Some(interviews)), n(Some(objectives)), n(responses)])
        })
        .collect();
    let table = Table::new(table_rows, widths)
        .header(Row::new(header).style(theme.header))
        .row_highlight_style(theme.selected)
        .column_spacing(1);
    let mut state = TableState::default().with_selected(Some(app.home.selected));
    frame.render_stateful_widget(table, area, &mut state);
}

const REGION: u16 = 16;
const STATUS: u16 = 13;

fn pilot_row<'a>(p: &'a Pilot, wide: bool, name_width: usize, theme: &Theme, extra: Vec<Cell<'a>>) -> Row<'a> {
    let mut name = p.name.clone();
    if p.archived {
        name.push_str(" (archived)");
    }
    let name = truncate(&name, name_width);
    let status_text = truncate(p.status().label(), STATUS as usize);
    let status = Cell::from(Span::styled(status_text, status_style(p.status(), theme)));
    if !wide {
        return Row::new(vec![Cell::from(name), status]);
    }
    let kind = match p.kind {
        PilotKind::Employment => "employ.",
        PilotKind::BusinessService => "business",
    };
    let mut cells = vec![
        Cell::from(name),
        Cell::from(truncate(&p.region, REGION as usize)),
        Cell::from(kind),
        status,
        Cell::from(Line::from(count(p.planned_participants)).right_aligned()),
        Cell::from(Line::from(count(p.actual_participants)).right_aligned()),
    ];
    cells.extend(extra);
    Row::new(cells).style(if p.archived { theme.muted } else { theme.text })
}

pub fn status_style(status: PilotStatus, theme: &Theme) -> ratatui::style::Style {
    match status {
        PilotStatus::Active | PilotStatus::Finished => theme.ok,
        PilotStatus::Changed | PilotStatus::Planned => theme.accent,
        PilotStatus::Suspended | PilotStatus::NoLongerPilot => theme.warning,
        PilotStatus::Dropped | PilotStatus::NeverRealised => theme.muted,
    }
}
