//! The impact map: one column per layer, the focused node's links and indicators below
//! (or beside, on wide terminals).

use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::style::Style;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Paragraph};

use super::widgets::{truncate, wrap};
use crate::app::App;
use crate::app::map::MapView;
use crate::domain::impact::{AssumptionStatus, ImpactMap, checks};
use crate::domain::indicator::format_value;
use crate::ui::Theme;

const MIN_COLUMN: u16 = 18;
const NODE_LINES: usize = 3;

pub fn render(frame: &mut Frame, area: Rect, app: &App, theme: &Theme, view: &MapView) {
    if area.width == 0 || area.height == 0 {
        return;
    }
    let (layers, results_from) = app.data.layers();
    let empty = ImpactMap::new(&view.pilot);
    let map = app.data.map(&view.pilot).unwrap_or(&empty);
    let pilot = app.data.pilot(&view.pilot).map_or("", |p| p.name.as_str());
    let warnings = checks::check(map, &layers, results_from).len();
    let mut bar = vec![
        Span::styled(format!(" Impact logic · {pilot}"), theme.header),
        Span::styled(format!("  {} revision(s)", map.revisions.len()), theme.muted),
    ];
    if warnings > 0 {
        bar.push(Span::styled(format!("  ⚠ {warnings} checks (c)"), theme.warning));
    }
    if let Some(others) = super::widgets::also_here(app, &format!("map {}", view.pilot)) {
        bar.push(Span::styled(others, theme.warning));
    }
    if let Some(source) = view.linking.and_then(|id| map.node(id)) {
        bar.push(Span::styled(format!("  LINK from '{}'", truncate(&source.text, 24)), theme.accent));
    }
    let wide = area.width >= 120;
    let [bar_area, rest] = Layout::vertical([Constraint::Length(1), Constraint::Fill(1)]).areas(area);
    frame.render_widget(Line::from(bar), bar_area);
    let (columns, details) = if wide {
        let [c, d] = Layout::horizontal([Constraint::Fill(2), Constraint::Length(48)]).areas(rest);
        (c, d)
    } else {
        let detail_height = if rest.height >= 16 { rest.height / 3 } else { 0 };
        let [c, d] = Layout::vertical([Constraint::Fill(1), Constraint::Length(detail_height)]).areas(rest);
        (c, d)
    };
    render_columns(frame, columns, map, &layers, results_from, view, theme);
    render_details(frame, details, map, view, theme, wide);
}

fn render_columns(
    frame: &mut Frame,
    area: Rect,
    map: &ImpactMap,
    layers: &[String],
    results_from: usize,
    view: &MapView,
    theme: &Theme,
) {
    if area.width == 0 || area.height == 0 || layers.is_empty() {
        return;
    }
    let visible = usize::from(area.width / MIN_COLUMN).clamp(1, layers.len());
    // Scroll sideways just enough to keep the focused layer in view.
    let first = view.layer.saturating_sub(visible - 1).min(layers.len() - visible);
    let constraints = vec![Constraint::Fill(1); visible];
    let areas = Layout::horizontal(constraints).split(area);
    for (slot, layer) in (first..first + visible).enumerate() {
        let col = areas[slot];
        let result = layer >= results_from;
        let count = map.layer_nodes(layer).count();
        let mut title = format!("{} ({count})", layers[layer]);
        if slot == 0 && first > 0 {
            title = format!("◂ {title}");
        }
        if slot == visible - 1 && layer + 1 < layers.len() {
            title.push_str(" ▸");
        }
        let title_style = if layer == view.layer {
            theme.title
        } else if result {
            theme.accent
        } else {
            theme.header
        };
        let block = Block::default()
            .borders(Borders::RIGHT)
            .border_style(theme.border)
            .title(Span::styled(truncate(&title, col.width as usize), title_style));
        let inner = block.inner(col);
        frame.render_widget(block, col);
        let width = inner.width.saturating_sub(1) as usize;
        let mut node_lines: Vec<Vec<Line>> = Vec::new();
        let mut focus_at = None;
        for (i, node) in map.layer_nodes(layer).enumerate() {
            let focused = layer == view.layer && i == view.index;
            if focused {
                focus_at = Some(node_lines.len());
            }
            let style = if focused {
                theme.selected
            } else if view.linking == Some(node.id) {
                theme.accent
            } else {
                theme.text
            };
            let mut marks = String::new();
            if let Some(level) = node.level {
                marks.push_str(&format!("[{}] ", &level.label()[..1]));
            }
            if map.indicators_of(node.id).next().is_some() {
                marks.push_str("◆ ");
            }
            let mut parts = wrap(&format!("{marks}{}", node.text), width.max(1));
            if parts.len() > NODE_LINES {
                parts.truncate(NODE_LINES);
                let last = parts.pop().unwrap_or_default();
                parts.push(truncate(&format!("{last} …"), width.max(1)));
            }
            let links = map.outgoing(node.id).count();
            let mut lines: Vec<Line> = parts.into_iter().map(|p| Line::styled(format!("{p:<width$}"), style)).collect();
            if links > 0 {
                lines.push(Line::styled(format!("  → {links}"), theme.muted));
            }
            node_lines.push(lines);
        }
        let height = inner.height as usize;
        // Skip whole nodes from the top until the focused one fits.
        let mut skip = 0;
        if let Some(f) = focus_at {
            while skip < f && node_lines[skip..=f].iter().map(|n| n.len() + 1).sum::<usize>() > height {
                skip += 1;
            }
        }
        let mut lines: Vec<Line> = Vec::new();
        for node in node_lines.into_iter().skip(skip) {
            lines.extend(node);
            lines.push(Line::from(""));
        }
        if count == 0 && layer == view.layer {
            lines.push(Line::styled("(empty: a adds)", theme.muted));
        }
        frame.render_widget(Paragraph::new(lines), inner);
    }
}

fn render_details(frame: &mut Frame, area: Rect, map: &ImpactMap, view: &MapView, theme: &Theme, wide: bool) {
    if area.width == 0 || area.height == 0 {
        return;
    }
    let borders = if wide { Borders::LEFT } else { Borders::TOP };
    let block = Block::default().borders(borders).border_style(theme.border);
    let inner = block.inner(area);
    frame.render_widget(block, area);
    let Some(node) = view.focused(map) else {
        frame.render_widget(Line::styled(" No node here. a adds one; ←→ moves between layers.", theme.muted), inner);
        return;
    };
    let width = inner.width.saturating_sub(2) as usize;
    let mut lines: Vec<Line> = Vec::new();
    for part in wrap(&node.text, width) {
        lines.push(Line::styled(format!(" {part}"), theme.title));
    }
    let mut about = vec![format!("n{}", node.id)];
    if let Some(level) = node.level {
        about.push(format!("{level} level"));
    }
    if !node.note.is_empty() {
        about.push(node.note.clone());
    }
    if !about.is_empty() {
        lines.push(Line::styled(format!(" {}", about.join(" · ")), theme.muted));
    }
    for ind in map.indicators_of(node.id) {
        let latest = ind.latest().map_or("no value yet".into(), |o| format!("{} @ {}", format_value(o.value), o.as_of));
        let mut text = format!(" ◆ {}: {latest}", ind.name);
        if let Some(b) = &ind.baseline {
            text.push_str(&format!(" · baseline {}", b.show()));
        }
        if let Some(t) = &ind.target {
            text.push_str(&format!(" · target {}", t.show()));
        }
        let gaps = ind.gaps();
        let style = if gaps.is_empty() { theme.text } else { theme.warning };
        if !gaps.is_empty() {
            text.push_str(&format!(" ({})", gaps.join(", ")));
        }
        lines.push(Line::styled(text, style));
    }
    let links = view.links(map);
    let mut selected_line = 0;
    for (i, id) in links.iter().enumerate() {
        let Some(link) = map.link(*id) else { continue };
        let incoming = link.to == node.id;
        let other = map.node(if incoming { link.from } else { link.to }).map_or("?", |n| n.text.as_str());
        let arrow = if incoming { "←" } else { "→" };
        let selected = i == view.link;
        if selected {
            selected_line = lines.len();
        }
        let style = if selected { theme.selected } else { theme.text };
        lines.push(Line::styled(format!(" {arrow} {}  l{}", truncate(other, width.saturating_sub(8)), link.id), style));
        if !link.rationale.is_empty() {
            lines.push(Line::styled(
                format!("     {}", truncate(&link.rationale, width.saturating_sub(5))),
                theme.muted,
            ));
        }
        for a in &link.assumptions {
            let (mark, s) = match a.status {
                AssumptionStatus::Holding => ("✓", theme.ok),
                AssumptionStatus::Broken => ("✗", theme.error),
                AssumptionStatus::Untested => ("?", theme.warning),
            };
            lines.push(Line::from(vec![
                Span::styled(format!("     {mark} {} ", a.status.label()), s),
                Span::styled(truncate(&a.text, width.saturating_sub(16)), Style::default()),
            ]));
        }
    }
    if links.is_empty() {
        lines.push(Line::styled(" no links yet: L starts one from this node", theme.muted));
    }
    let scroll = selected_line.saturating_sub(inner.height.saturating_sub(3) as usize) as u16;
    frame.render_widget(Paragraph::new(lines).scroll((scroll, 0)), inner);
}
