//! One indicator across all pilots: latest values with dates and sources, side by side.
//! Pilots stay in portfolio order: this is a comparison, not a ranking.

use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Cell, Row, Table};

use super::widgets::truncate;
use crate::app::App;
use crate::domain::indicator::format_value;
use crate::ui::Theme;

pub fn render(frame: &mut Frame, area: Rect, app: &App, theme: &Theme, selected: usize) {
    if area.width == 0 || area.height == 0 {
        return;
    }
    let names = app.indicator_names();
    let [bar, table] = Layout::vertical([Constraint::Length(2), Constraint::Fill(1)]).areas(area);
    let Some(name) = names.get(selected) else {
        frame.render_widget(
            Line::styled(" No indicators yet: add them on a pilot's impact map (m, then i).", theme.muted),
            bar,
        );
        return;
    };
    frame.render_widget(
        Line::from(vec![
            Span::styled(format!(" Indicator {}/{}: ", selected + 1, names.len()), theme.muted),
            Span::styled(name.as_str(), theme.header),
            Span::styled("   ←→ another indicator", theme.muted),
        ]),
        bar,
    );
    let mut rows = Vec::new();
    for pilot in &app.data.pilots {
        let Some(map) = app.data.map(&pilot.id) else { continue };
        for ind in map.indicators.iter().filter(|i| &i.name == name) {
            let latest = ind.latest().map_or("–".into(), |o| format!("{} @ {}", format_value(o.value), o.as_of));
            let source = ind.latest().map_or(ind.source.label(), |o| o.source.label());
            let show = |v: &Option<crate::domain::indicator::DatedValue>| v.as_ref().map_or("–".into(), |v| v.show());
            let mut flags = ind.gaps().join(", ");
            if !ind.conflicts().is_empty() {
                flags = format!("⚠ conflicting values {flags}");
            }
            rows.push(Row::new(vec![
                Cell::from(truncate(&pilot.name, 24)),
                Cell::from(latest),
                Cell::from(source),
                Cell::from(show(&ind.baseline)),
                Cell::from(show(&ind.target)),
                Cell::from(Span::styled(flags, theme.warning)),
            ]));
        }
    }
    let header = Row::new(vec!["Pilot", "Latest", "Source", "Baseline", "Target", "Gaps"]).style(theme.header);
    let widths = [
        Constraint::Length(24),
        Constraint::Length(18),
        Constraint::Length(17),
        Constraint::Length(18),
        Constraint::Length(18),
        Constraint::Fill(1),
    ];
    frame.render_widget(Table::new(rows, widths).header(header).column_spacing(1), table);
}
