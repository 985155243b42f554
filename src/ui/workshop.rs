//! Workshops: the list, and the facilitator's console (agenda, countdown, prompt, items,
//! live tally).

use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Paragraph};

use super::widgets::{truncate, wrap};
use crate::app::App;
use crate::app::workshop::{ConsoleView, phase_items};
use crate::domain::survey::{ItemStats, Survey};
use crate::domain::workshop::{Fate, PhaseStatus, TallyResults, Workshop, format_countdown};
use crate::ui::Theme;

pub fn render_list(frame: &mut Frame, area: Rect, app: &App, theme: &Theme, selected: usize) {
    if area.width == 0 || area.height == 0 {
        return;
    }
    let mut lines = vec![Line::styled(format!(" Workshops · {}", app.data.workshops.len()), theme.header)];
    if app.data.workshops.is_empty() {
        lines.push(Line::styled(" None yet: n creates one from a template.", theme.muted));
    }
    for (i, w) in app.data.workshops.iter().enumerate() {
        let style = if i == selected { theme.selected } else { theme.text };
        let phase = w.current_phase();
        let state = if w.is_finished() {
            "finished".to_string()
        } else {
            format!("phase {}/{} {} ({})", w.current + 1, w.phases.len(), phase.spec.title, phase.status.label())
        };
        let line = format!(" {}  {}  room {}  {}", w.date, w.title, w.room_code, state);
        lines.push(Line::styled(
            format!("{:<width$}", truncate(&line, area.width as usize), width = area.width as usize),
            style,
        ));
    }
    frame.render_widget(Paragraph::new(lines), area);
}

pub fn render_console(frame: &mut Frame, area: Rect, app: &App, theme: &Theme, view: &ConsoleView) {
    if area.width == 0 || area.height == 0 {
        return;
    }
    let Some(w) = app.workshop(&view.id) else { return };
    let [bar, rest] = Layout::vertical([Constraint::Length(1), Constraint::Fill(1)]).areas(area);
    let shown = view.phase(w);
    let phase = &w.phases[shown];
    let remaining = w.remaining_secs(w.current, app.now);
    let countdown = if w.is_finished() {
        Span::styled(" ended ", theme.muted)
    } else if remaining < 0 {
        Span::styled(format!(" overrun {} ", format_countdown(-remaining)), theme.warning)
    } else {
        Span::styled(format!(" {} left ", format_countdown(remaining)), theme.accent)
    };
    frame.render_widget(
        Line::from(vec![
            Span::styled(
                format!(" {} · room {} · {} joined ", w.title, w.room_code, w.participants.len()),
                theme.header,
            ),
            Span::styled(
                format!(" phase {}/{} ▸ {} ", shown + 1, w.phases.len(), phase.spec.kind.label()),
                theme.muted,
            ),
            countdown,
        ]),
        bar,
    );
    let agenda_width = if rest.width >= 70 { 30 } else { 0 };
    let [agenda, main] = Layout::horizontal([Constraint::Length(agenda_width), Constraint::Fill(1)]).areas(rest);
    render_agenda(frame, agenda, app, theme, w, shown);
    render_phase(frame, main, app, theme, w, view);
}

fn render_agenda(frame: &mut Frame, area: Rect, app: &App, theme: &Theme, w: &Workshop, shown: usize) {
    if area.width == 0 {
        return;
    }
    let mut lines = vec![Line::styled(" Agenda", theme.header)];
    for row in w.agenda(app.now) {
        let mark = match row.status {
            PhaseStatus::Done => "✓",
            _ if row.phase == shown => "▸",
            _ => " ",
        };
        let time = if row.elapsed_secs > 0 {
            format!("{}/{}m", row.elapsed_secs / 60, row.planned_secs / 60)
        } else {
            format!("{}m", row.planned_secs / 60)
        };
        let style = if row.current {
            theme.title
        } else if row.status == PhaseStatus::Done {
            theme.muted
        } else {
            theme.text
        };
        let title = truncate(&format!("{mark} {} {}", row.phase + 1, row.title), area.width.saturating_sub(9) as usize);
        lines.push(Line::styled(format!("{title:<w$}{time:>7}", w = area.width.saturating_sub(9) as usize), style));
    }
    room_lines(&mut lines, app, theme, w, shown);
    let block = Block::default().borders(Borders::RIGHT).border_style(theme.border);
    frame.render_widget(Paragraph::new(lines).block(block), area);
}

/// When served over SSH: who is connected, by role, and who has given input in the
/// phase on screen.
fn room_lines(lines: &mut Vec<Line<'_>>, app: &App, theme: &Theme, w: &Workshop, phase: usize) {
    let Some(online) = app.presence.participants.get(&w.id) else { return };
    let mut by_role: std::collections::BTreeMap<&str, (u32, u32)> = std::collections::BTreeMap::new();
    for p in online {
        let role = w.participants.get(p).map_or("joining", |x| x.role.as_str());
        let entry = by_role.entry(role).or_default();
        entry.0 += 1;
        entry.1 += u32::from(w.has_input(phase, p));
    }
    let voted: u32 = by_role.values().map(|v| v.1).sum();
    lines.push(Line::default());
    lines.push(Line::styled(format!(" Connected {} · input {voted}", online.len()), theme.header));
    for (role, (n, gave)) in by_role {
        lines.push(Line::styled(format!(" {:<18}{gave:>3}/{n:<3}", truncate(role, 18)), theme.text));
    }
}

fn render_phase(frame: &mut Frame, area: Rect, app: &App, theme: &Theme, w: &Workshop, view: &ConsoleView) {
    if area.width == 0 || area.height == 0 {
        return;
    }
    let width = area.width.saturating_sub(2) as usize;
    let shown = view.phase(w);
    let phase = &w.phases[shown];
    let mut lines = Vec::new();
    for part in wrap(&phase.spec.prompt, width.max(1)) {
        lines.push(Line::styled(format!(" {part}"), theme.title));
    }
    let status = match phase.status {
        PhaseStatus::Pending => "not started: s starts it",
        PhaseStatus::Paused => "paused: s resumes",
        _ => "",
    };
    let status =
        if w.is_finished() { "the workshop has ended: n and b step through each phase's results" } else { status };
    if !status.is_empty() {
        lines.push(Line::styled(format!(" {status}"), theme.warning));
    }
    if let Some((purpose, input)) = &view.input {
        lines.push(Line::from(vec![
            Span::styled(format!(" {}: ", purpose.label()), theme.accent),
            Span::styled(format!("{} ", input.value()), theme.input),
        ]));
    }
    lines.push(Line::from(""));
    let tally = w.tally(shown);
    let items = phase_items(w, shown);
    let max = tally_max(&tally.as_ref().map(|t| &t.results));
    for (i, item) in items.iter().enumerate() {
        let focused = i == view.focus;
        let merging = view.merging == Some(item.id);
        let style = if focused {
            theme.selected
        } else if merging {
            theme.accent
        } else {
            theme.text
        };
        let cluster = item
            .cluster
            .and_then(|c| w.clusters.iter().find(|k| k.id == c))
            .map_or(String::new(), |c| format!(" [{}]", c.name));
        let count = tally.as_ref().and_then(|t| item_count(&t.results, item.id));
        let label_width = width.saturating_sub(if count.is_some() { 24 } else { 0 });
        let label = truncate(&format!(" {}{cluster}", item.text), label_width);
        let mut spans = vec![Span::styled(format!("{label:<label_width$}"), style)];
        if let Some(n) = count {
            let bar = if max > 0 { (n as usize * 16).div_ceil(max as usize) } else { 0 };
            spans.push(Span::styled(format!(" {:<16}", "█".repeat(bar)), theme.accent));
            spans.push(Span::styled(format!(" {n:>3}"), theme.text));
        }
        lines.push(Line::from(spans));
    }
    if let (Some(t), Some(poll)) = (&tally, phase.poll.as_ref()) {
        poll_lines(&mut lines, &t.results, poll, theme, width);
    } else if items.is_empty() {
        lines.push(Line::styled(" No items yet: a adds one for the room.", theme.muted));
    }
    lines.push(Line::from(""));
    if let Some(t) = &tally {
        lines.push(Line::styled(format!(" {}", summary(&t.results)), theme.muted));
        if t.hidden {
            lines.push(Line::styled(" hidden from participants (r reveals)", theme.warning));
        }
    }
    let parked: Vec<_> = w.items.iter().filter(|i| i.phase == shown && matches!(i.fate, Fate::Parked)).collect();
    if !parked.is_empty() {
        lines.push(Line::styled(format!(" parked: {}", parked.len()), theme.muted));
    }
    for a in w.actions.iter().rev().take(3) {
        lines.push(Line::styled(truncate(&format!(" → {} ({})", a.text, a.owner), width), theme.ok));
    }
    let _ = app;
    let scroll = view.focus.saturating_sub(area.height.saturating_sub(8) as usize) as u16;
    frame.render_widget(Paragraph::new(lines).scroll((scroll, 0)), area);
}

/// A scale poll's live answers: each asked item with a bar per answer, "can't say"
/// included, and its n; the room's answers (digit keys) are counted in.
fn poll_lines(lines: &mut Vec<Line<'_>>, results: &TallyResults, poll: &Survey, theme: &Theme, width: usize) {
    let TallyResults::ScalePoll { tally, .. } = results else { return };
    for it in &tally.items {
        let text = poll.item(&it.id).map_or(it.id.as_str(), |i| i.text.as_str());
        lines.push(Line::styled(truncate(&format!(" {text}  (n = {})", it.n), width), theme.title));
        let scale = poll.item(&it.id).and_then(|i| poll.scale_of(i));
        // "4 Agree" rather than the bare value the tally is keyed by.
        let label = |key: &str| {
            scale
                .and_then(|s| s.points.iter().find(|p| p.value.to_string() == key))
                .map_or_else(|| key.to_string(), |p| format!("{} {}", p.value, p.label))
        };
        let mut counts: Vec<(String, u64)> = match &it.stats {
            ItemStats::Scale { counts, .. } | ItemStats::Choice { counts } => {
                counts.iter().map(|(k, n)| (label(k), *n)).collect()
            }
            _ => Vec::new(),
        };
        if let ItemStats::Scale { dont_know: Some(dk), .. } = &it.stats {
            counts.push(("can't say".into(), *dk));
        }
        let max = counts.iter().map(|c| c.1).max().unwrap_or(0).max(1);
        for (label, n) in counts {
            let bar = "█".repeat((n as usize * 16).div_ceil(max as usize));
            lines.push(Line::from(vec![
                Span::styled(format!("   {:<28}", truncate(&label, 28)), theme.text),
                Span::styled(format!("{bar:<16}"), theme.accent),
                Span::styled(format!(" {n:>3}"), theme.text),
            ]));
        }
    }
}

fn item_count(results: &TallyResults, item: u32) -> Option<u32> {
    match results {
        TallyResults::DotVote(d) => Some(d.row(item).map_or(0, |r| r.dots)),
        TallyResults::Present { rows, .. } => rows.iter().find(|r| r.item == item).map(|r| r.counts.total()),
        _ => None,
    }
}

fn tally_max(results: &Option<&TallyResults>) -> u32 {
    match results {
        Some(TallyResults::DotVote(d)) => d.rows.iter().map(|r| r.dots).max().unwrap_or(0),
        Some(TallyResults::Present { rows, .. }) => rows.iter().map(|r| r.counts.total()).max().unwrap_or(0),
        _ => 0,
    }
}

fn summary(results: &TallyResults) -> String {
    match results {
        TallyResults::DotVote(d) => format!(
            "{} of {} dots · {} voted · {} from the room's hands",
            d.dots_used, d.dots_possible, d.voters, d.room_dots
        ),
        TallyResults::Present { n, .. } => format!("n = {n} reacted"),
        TallyResults::Rank { rows, n } => {
            let top: Vec<String> = rows
                .iter()
                .take(3)
                .map(|r| format!("#{} {}", r.item, r.mean_rank.map_or("–".into(), |m| format!("{m:.1}"))))
                .collect();
            format!("n = {n} ranked · mean rank: {}", top.join(", "))
        }
        TallyResults::ScalePoll { tally, .. } => format!("n = {} answered", tally.respondents),
        TallyResults::Captured { items, contributors, notes } => {
            format!("{items} items from {contributors} people · {notes} notes")
        }
    }
}
