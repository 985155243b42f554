use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Paragraph, Wrap};

use super::home::status_style;
use super::widgets::count;
use crate::app::App;
use crate::domain::Pilot;
use crate::ui::Theme;

pub fn render(frame: &mut Frame, area: Rect, app: &App, theme: &Theme, id: &str, scroll: u16) {
    let Some(pilot) = app.data.pilot(id) else { return };
    let mut lines = profile(pilot, theme);
    section(&mut lines, "Target group history", theme);
    if pilot.target_group.is_empty() {
        lines.push(Line::styled("  not recorded yet (e to edit)", theme.muted));
    }
    for t in pilot.target_group.iter().rev() {
        lines.push(Line::from(vec![Span::styled(format!("  {}  ", t.since), theme.muted), Span::raw(t.value.as_str())]));
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
    section(&mut lines, "Change log", theme);
    let log: Vec<_> = app.data.changelog_of(&pilot.id).collect();
    for e in log.iter().rev() {
        lines.push(Line::from(vec![
            Span::styled(format!("  {}  {:<12} ", e.at.format("%Y-%m-%d %H:%M"), e.who), theme.muted),
            Span::raw(e.summary()),
        ]));
    }
    let title = if pilot.archived { format!(" {} (archived) ", pilot.name) } else { format!(" {} ", pilot.name) };
    let block = Block::default().borders(Borders::TOP).border_style(theme.border).title(Span::styled(title, theme.title));
    // Never scroll past the end: the last line stays on screen.
    let scroll = scroll.min(lines.len().saturating_sub(1) as u16);
    frame.render_widget(Paragraph::new(lines).block(block).wrap(Wrap { trim: false }).scroll((scroll, 0)), area);
}

fn section<'a>(lines: &mut Vec<Line<'a>>, title: &'a str, theme: &Theme) {
    lines.push(Line::from(""));
    lines.push(Line::styled(format!(" {title}"), theme.header));
}

fn profile<'a>(p: &'a Pilot, theme: &Theme) -> Vec<Line<'a>> {
    let row = |label: &'static str, value: String| {
        Line::from(vec![Span::styled(format!(" {label:<22}"), theme.muted), Span::styled(value, theme.text)])
    };
    let or_dash = |s: &str| if s.is_empty() { "–".to_string() } else { s.to_string() };
    let list = |v: &[String]| if v.is_empty() { "–".to_string() } else { v.join(", ") };
    let mut lines = vec![
        row("Id", p.id.clone()),
        row("Also known as", list(&p.alt_names)),
        row("Region", or_dash(&p.region)),
        row("Type", format!("{} · {}", p.kind, p.delivery)),
        Line::from(vec![
            Span::styled(format!(" {:<22}", "Status"), theme.muted),
            Span::styled(p.status().label(), status_style(p.status(), theme)),
            Span::styled(
                p.status_history.last().map(|s| format!(" since {}", s.since)).unwrap_or_default(),
                theme.muted,
            ),
        ]),
        row("Target group", or_dash(p.current_target_group())),
        row(
            "Participants",
            format!("planned {} · actual {}", count(p.planned_participants), count(p.actual_participants)),
        ),
        row("Implementers", list(&p.implementers)),
        row("Partners", list(&p.partners)),
        row("Client referral", or_dash(&p.referral_model)),
        row("Fee and contract", or_dash(&p.fee_model)),
    ];
    let providers = if p.providers == 0 {
        "none".to_string()
    } else {
        format!("{} ({})", p.providers, p.provider_labels().join(", "))
    };
    lines.push(row("Service providers", providers));
    lines
}
