//! Learning objectives: a pilot's, or the whole evaluation's grouped by theme.

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;

use super::widgets::wrap;
use crate::app::App;
use crate::domain::objective::ObjectiveStatus;
use crate::ui::Theme;

pub fn render(frame: &mut Frame, area: Rect, app: &App, theme: &Theme, pilot: Option<&str>, selected: usize) {
    if area.width == 0 || area.height == 0 {
        return;
    }
    let width = (area.width as usize).saturating_sub(6).max(1);
    let title = match pilot.and_then(|p| app.data.pilot(p)) {
        Some(p) => format!(" Learning objectives · {}", p.name),
        None => " Learning objectives of the evaluation, by theme".to_string(),
    };
    let rows = app.objective_rows();
    let mut lines = vec![Line::styled(title, theme.header)];
    if rows.is_empty() {
        lines.push(Line::styled(
            if pilot.is_some() { " None yet: n adds the first." } else { " None yet: open a pilot and press o." },
            theme.muted,
        ));
    }
    let mut theme_shown: Option<&str> = None;
    let mut selected_line = 0;
    for (i, o) in rows.iter().enumerate() {
        if pilot.is_none() && theme_shown != Some(o.theme.as_str()) {
            theme_shown = Some(o.theme.as_str());
            let name = if o.theme.is_empty() { "(no theme)" } else { o.theme.as_str() };
            lines.push(Line::from(""));
            lines.push(Line::styled(format!(" {name}"), theme.accent));
        }
        if i == selected {
            selected_line = lines.len();
        }
        let style = if i == selected { theme.selected } else { theme.text };
        let status_style = match o.status {
            ObjectiveStatus::Answered => theme.ok,
            ObjectiveStatus::Dropped => theme.muted,
            _ => theme.warning,
        };
        let owner = if pilot.is_none() {
            app.data.pilot(&o.pilot).map_or(String::new(), |p| format!("{} · ", p.name))
        } else {
            format!("{} · ", if o.theme.is_empty() { "no theme" } else { &o.theme })
        };
        for (j, part) in wrap(&o.question, width).into_iter().enumerate() {
            let lead = if j == 0 { " ? " } else { "   " };
            lines.push(Line::styled(format!("{lead}{part}"), style));
        }
        lines.push(Line::from(vec![
            Span::styled(format!("   {owner}"), theme.muted),
            Span::styled(o.status.label(), status_style),
            Span::styled(format!(" · {} lesson(s)", o.lessons.len()), theme.muted),
        ]));
        for t in &o.targets {
            let map = app.data.map(&o.pilot);
            let text = match t {
                crate::domain::objective::MapTarget::Node(n) => {
                    map.and_then(|m| m.node(*n)).map(|n| format!("about n{}: {}", n.id, n.text))
                }
                crate::domain::objective::MapTarget::Link(l) => map.and_then(|m| {
                    m.link(*l).map(|k| format!("about l{l}: {}", crate::app::map::link_names(m, k.from, k.to)))
                }),
            };
            if let Some(text) = text {
                lines.push(Line::styled(format!("   ↳ {}", super::widgets::truncate(&text, width)), theme.muted));
            }
        }
        for lesson in &o.lessons {
            let evidence = if lesson.evidence.is_empty() {
                " (no evidence yet)".to_string()
            } else {
                format!(" [{}]", lesson.evidence.iter().map(|e| e.label()).collect::<Vec<_>>().join("; "))
            };
            let text = format!("{} {}{}", lesson.date, lesson.statement, evidence);
            for (j, part) in wrap(&text, width.saturating_sub(2)).into_iter().enumerate() {
                let lead = if j == 0 { "   ✎ " } else { "     " };
                lines.push(Line::styled(format!("{lead}{part}"), theme.text));
            }
        }
    }
    let scroll = selected_line.saturating_sub(area.height.saturating_sub(4) as usize) as u16;
    frame.render_widget(Paragraph::new(lines).scroll((scroll, 0)), area);
}
