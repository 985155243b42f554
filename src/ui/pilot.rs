use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Paragraph};

use super::home::status_style;
use super::widgets::{count, wrap};
use crate::app::App;
use crate::domain::Pilot;
use crate::domain::indicator::{Funnel, format_value};
use crate::ui::Theme;

pub fn render(frame: &mut Frame, area: Rect, app: &App, theme: &Theme, id: &str, scroll: u16) {
    let Some(pilot) = app.data.pilot(id) else { return };
    if area.width == 0 || area.height == 0 {
        return;
    }
    let width = area.width as usize;
    let mut lines = profile(pilot, theme, width);
    section(&mut lines, "Target group history", theme);
    if pilot.target_group.is_empty() {
        lines.push(Line::styled("  not recorded yet (e to edit)", theme.muted));
    }
    for t in pilot.target_group.iter().rev() {
        hanging(&mut lines, format!("  {}  ", t.since), &t.value, width, theme);
    }
    section(&mut lines, "Status history", theme);
    for s in pilot.status_history.iter().rev() {
        let mut spans = vec![
            Span::styled(format!("  {}  ", s.since), theme.muted),
            Span::styled(s.status.label(), status_style(s.status, theme)),
        ];
        if !s.note.is_empty() {
            spans.push(Span::styled(format!(" — {}", s.note), theme.text));
        }
        lines.push(Line::from(spans));
    }
    if let Some(map) = app.data.map(&pilot.id) {
        funnel(&mut lines, map, theme);
    }
    let objectives = app.data.objectives_of(&pilot.id).count();
    let nodes = app.data.map(&pilot.id).map_or(0, |m| m.nodes.len());
    lines.push(Line::from(""));
    lines.push(Line::styled(
        format!(" Impact map: {nodes} nodes (m) · learning objectives: {objectives} (o)"),
        theme.muted,
    ));
    section(&mut lines, "Change log", theme);
    let log: Vec<_> = app.data.changelog_of(&pilot.id).collect();
    for e in log.iter().rev() {
        let when = format!("  {}  {:<12} ", e.at.format("%Y-%m-%d %H:%M"), e.who);
        hanging(&mut lines, when, &e.summary(), width, theme);
    }
    let title = if pilot.archived { format!(" {} (archived) ", pilot.name) } else { format!(" {} ", pilot.name) };
    let block =
        Block::default().borders(Borders::TOP).border_style(theme.border).title(Span::styled(title, theme.title));
    // Never scroll past the end: the last line stays on screen.
    let scroll = scroll.min(lines.len().saturating_sub(1) as u16);
    frame.render_widget(Paragraph::new(lines).block(block).scroll((scroll, 0)), area);
}

/// Counts as entered, rates as computed: never the other way round.
fn funnel(lines: &mut Vec<Line<'static>>, map: &crate::domain::impact::ImpactMap, theme: &Theme) {
    let f = Funnel::from_indicators(&map.indicators);
    if f.counts.is_empty() {
        return;
    }
    section(lines, "Client funnel", theme);
    for (stage, value, as_of) in &f.counts {
        lines.push(Line::from(vec![
            Span::styled(format!("  {:<34}", stage.label()), theme.muted),
            Span::styled(format!("{:>8}", format_value(*value)), theme.text),
            Span::styled(format!("  as of {as_of}"), theme.muted),
        ]));
    }
    for rate in f.rates() {
        let mut value = rate.value.map_or("–".into(), |v| format!("{:.1} %", v * 100.0));
        if rate.mixed_dates {
            value.push_str("  (counts of different dates)");
        }
        lines.push(Line::from(vec![
            Span::styled(format!("  {:<34}", rate.label()), theme.muted),
            Span::styled(format!("{value:>8}"), theme.accent),
        ]));
    }
    for problem in f.inconsistencies() {
        lines.push(Line::styled(format!("  ⚠ {problem}"), theme.warning));
    }
    for ind in map.indicators.iter().filter(|i| i.funnel.is_some()) {
        for c in ind.conflicts() {
            let values: Vec<_> = c.values.iter().map(|v| format_value(*v)).collect();
            lines.push(Line::styled(
                format!("  ⚠ {}: {} as of {} ({})", ind.name, values.join(" vs "), c.as_of, c.source.label()),
                theme.warning,
            ));
        }
    }
}

fn section(lines: &mut Vec<Line<'static>>, title: &'static str, theme: &Theme) {
    lines.push(Line::from(""));
    lines.push(Line::styled(format!(" {title}"), theme.header));
}

/// A muted label followed by text that wraps under itself, not under the label.
fn hanging(lines: &mut Vec<Line<'static>>, label: String, text: &str, width: usize, theme: &Theme) {
    let indent = label.chars().count();
    for (i, part) in wrap(text, width.saturating_sub(indent)).into_iter().enumerate() {
        let lead = if i == 0 { label.clone() } else { " ".repeat(indent) };
        lines.push(Line::from(vec![Span::styled(lead, theme.muted), Span::styled(part, theme.text)]));
    }
}

fn profile(p: &Pilot, theme: &Theme, width: usize) -> Vec<Line<'static>> {
    let or_dash = |s: &str| if s.is_empty() { "–".to_string() } else { s.to_string() };
    let list = |v: &[String]| if v.is_empty() { "–".to_string() } else { v.join(", ") };
    let providers = if p.providers == 0 {
        "none".to_string()
    } else {
        format!("{} ({})", p.providers, p.provider_labels().join(", "))
    };
    let before_status = [
        ("Id", p.id.clone()),
        ("Also known as", list(&p.alt_names)),
        ("Region", or_dash(&p.region)),
        ("Type", format!("{} · {}", p.kind, p.delivery)),
    ];
    let after_status = [
        ("Target group", or_dash(p.current_target_group())),
        (
            "Participants",
            format!("planned {} · actual {}", count(p.planned_participants), count(p.actual_participants)),
        ),
        ("Implementers", list(&p.implementers)),
        ("Partners", list(&p.partners)),
        ("Client referral", or_dash(&p.referral_model)),
        ("Fee and contract", or_dash(&p.fee_model)),
        ("Service providers", providers),
    ];
    let mut lines = Vec::new();
    for (label, value) in before_status {
        hanging(&mut lines, format!(" {label:<22}"), &value, width, theme);
    }
    let since = p.status_history.last().map(|s| format!(" since {}", s.since)).unwrap_or_default();
    lines.push(Line::from(vec![
        Span::styled(format!(" {:<22}", "Status"), theme.muted),
        Span::styled(p.status().label(), status_style(p.status(), theme)),
        Span::styled(since, theme.muted),
    ]));
    for (label, value) in after_status {
        hanging(&mut lines, format!(" {label:<22}"), &value, width, theme);
    }
    lines
}
