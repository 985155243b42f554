//! A workshop participant's screen: one line of header, the current phase's prompt and
//! what the participant can do in it, their own input, results once revealed, and a key
//! bar — all in the participant's language.

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Clear, Paragraph, Wrap};

use super::Theme;
use super::widgets::{truncate, wrap};
use crate::app::participant::{ParticipantView, poll_options, workshop_of};
use crate::app::{App, Status};
use crate::domain::workshop::{
    DraftPurpose, PhaseKind, PhaseRun, PhaseStatus, PhaseTally, ReactionKind, TallyResults, Workshop,
};
use crate::locale::Locale;

pub fn render(frame: &mut Frame, area: Rect, app: &App, theme: &Theme, view: &ParticipantView) {
    let loc = view.locale();
    let Some(w) = workshop_of(app, view) else { return };
    let (chrome, [header, body, status, keys]) = super::screen_areas(area);
    if chrome {
        let mut spans = vec![Span::styled(" oppi ", theme.key), Span::styled(format!(" {}", w.title), theme.title)];
        if let Some(me) = w.participants.get(&view.me) {
            let who = loc.f("participant.connected_as", &[("role", &me.role), ("org", &me.org_type)]);
            spans.push(Span::styled(format!(" · {who}"), theme.muted));
        }
        frame.render_widget(Line::from(spans), header);
        let line = match &app.status {
            None => Line::default(),
            Some(Status::Info(m)) | Some(Status::Saved(m)) => Line::styled(format!(" {m}"), theme.muted),
            Some(Status::Error(m)) => {
                Line::styled(format!(" ✗ {}", loc.f("participant.refused", &[("reason", m)])), theme.error)
            }
        };
        frame.render_widget(line, status);
        frame.render_widget(Line::styled(format!(" {}", key_bar(view, w, loc)), theme.key_desc), keys);
    }
    let lines = match &view.joining {
        Some(_) => join_lines(view, loc, theme, body.width),
        None => phase_lines(view, w, loc, theme, body.width),
    };
    frame.render_widget(Paragraph::new(lines).scroll((scroll_for(view, body.height), 0)), body);
    if let Some((purpose, input)) = &view.compose {
        let title = match purpose {
            DraftPurpose::Note => loc.t("participant.add_note").to_string(),
            DraftPurpose::Comment { reaction, .. } => {
                format!("{} ({}) — tab", loc.t("participant.comment"), reaction_label(loc, *reaction))
            }
            DraftPurpose::Reason { .. } => loc.t("participant.reason").to_string(),
        };
        let height = 5.min(area.height);
        let at = Rect { y: area.bottom().saturating_sub(height + 2).max(area.y), height, ..area };
        frame.render_widget(Clear, at);
        let text = format!("{}▏", input.value());
        let para = Paragraph::new(text)
            .style(theme.input)
            .wrap(Wrap { trim: false })
            .block(Block::default().borders(Borders::ALL).border_style(theme.border).title(title));
        frame.render_widget(para, at);
    }
    if view.help {
        let text: Vec<Line> = key_hints(view, w).iter().map(|k| Line::raw(format!(" {}", loc.t(k)))).collect();
        let height = (text.len() as u16 + 2).min(area.height);
        let at = super::widgets::centered(area, 40.min(area.width), height);
        frame.render_widget(Clear, at);
        frame.render_widget(Paragraph::new(text).block(Block::default().borders(Borders::ALL).title(" ? ")), at);
    }
}

/// Keeps the cursor's row on screen: the phase heading takes about four rows.
fn scroll_for(view: &ParticipantView, height: u16) -> u16 {
    let row = view.selected as u16 + 5;
    row.saturating_sub(height.saturating_sub(1))
}

fn join_lines<'a>(view: &ParticipantView, loc: &Locale, theme: &Theme, width: u16) -> Vec<Line<'a>> {
    let Some(j) = view.joining else { return vec![] };
    let mut lines = vec![Line::styled(loc.t("participant.join_title").to_string(), theme.title)];
    lines.extend(wrap(loc.t("participant.join_help"), width as usize).into_iter().map(Line::raw));
    for (field, (label, list, at)) in
        [("participant.role", &view.roles, j.role), ("participant.org_type", &view.org_types, j.org_type)]
            .into_iter()
            .enumerate()
    {
        lines.push(Line::default());
        let style = if j.field == field { theme.accent } else { theme.muted };
        lines.push(Line::styled(loc.t(label).to_string(), style));
        for (i, option) in list.iter().enumerate() {
            let mark = if i == at { "●" } else { "○" };
            let style = if i == at && j.field == field { theme.selected } else { theme.text };
            lines.push(Line::styled(format!(" {mark} {}", truncate(option, width as usize)), style));
        }
    }
    lines.push(Line::default());
    lines.push(Line::styled(format!("enter: {}", loc.t("participant.join")), theme.key_desc));
    lines
}

fn phase_lines<'a>(view: &ParticipantView, w: &Workshop, loc: &Locale, theme: &Theme, width: u16) -> Vec<Line<'a>> {
    let run = w.current_phase();
    let mut lines = Vec::new();
    let mut head = loc.f("participant.phase", &[("n", &(w.current + 1)), ("total", &w.phases.len())]);
    head.push_str(&format!(" · {}", run.spec.title));
    if run.status == PhaseStatus::Paused {
        head.push_str(&format!(" ({})", loc.t("participant.paused")));
    }
    lines.push(Line::styled(head, theme.title));
    if !run.spec.prompt.is_empty() {
        lines.extend(wrap(&run.spec.prompt, width as usize).into_iter().map(|l| Line::styled(l, theme.text)));
    }
    lines.push(Line::default());
    if w.is_finished() {
        lines.push(Line::styled(loc.t("participant.finished").to_string(), theme.ok));
        return lines;
    }
    if run.status == PhaseStatus::Pending {
        lines.push(Line::styled(loc.t("participant.waiting").to_string(), theme.muted));
        return lines;
    }
    let tally = w.tally_for(&crate::domain::workshop::Actor::Participant(view.me.clone()), w.current);
    let cursor = |i: usize| if i == view.selected { theme.selected } else { theme.text };
    let label = |id| w.item(id).map_or(String::new(), |i| i.text.clone());
    let room = width.saturating_sub(12) as usize;
    match &run.spec.kind {
        PhaseKind::Write { max_items_per_person } => {
            lines.push(Line::styled(loc.t("participant.your_notes").to_string(), theme.accent));
            let mine: Vec<_> =
                w.items.iter().filter(|i| i.phase == w.current && i.author.as_ref() == Some(&view.me)).collect();
            for item in &mine {
                lines.push(Line::raw(format!(" • {}", truncate(&item.text, room + 8))));
            }
            if let Some(max) = max_items_per_person {
                let left = (*max as usize).saturating_sub(mine.len());
                lines.push(Line::styled(loc.f("participant.notes_left", &[("n", &left)]), theme.muted));
            }
        }
        PhaseKind::Present { .. } => {
            let shown = run.shown.max(1);
            let presented = w.presented(w.current);
            if presented.is_empty() {
                lines.push(Line::styled(loc.t("participant.present_wait").to_string(), theme.muted));
            }
            for (i, item) in presented.iter().take(shown).enumerate() {
                let mine = item.reactions.get(&view.me).map(|k| format!(" [{}]", reaction_label(loc, *k)));
                let mine = mine.unwrap_or_default();
                // The participant's own reaction stays readable: the text gives way to it.
                let fits =
                    room.min((width as usize).saturating_sub(3 + item.id.to_string().len() + mine.chars().count()));
                let text = format!(" {} {}{mine}", item.id, truncate(&item.text, fits));
                lines.push(Line::styled(text, cursor(i)));
            }
        }
        PhaseKind::DotVote(rules) => {
            let used = run.dots_used(&view.me);
            lines.push(Line::styled(
                loc.f("participant.dots_left", &[("n", &rules.dots.saturating_sub(used))]),
                theme.accent,
            ));
            for (i, id) in w.options(w.current).iter().enumerate() {
                let dots = "●".repeat(run.dots_on(&view.me, *id) as usize);
                let text = format!(" {:<3} {} {dots}", dots_word(&tally, *id), truncate(&label(*id), room));
                lines.push(Line::styled(text, cursor(i)));
            }
        }
        PhaseKind::Rank { .. } => {
            lines.push(Line::styled(loc.t("participant.rank").to_string(), theme.accent));
            for (i, id) in view.order.iter().enumerate() {
                lines.push(Line::styled(format!(" {}. {}", i + 1, truncate(&label(*id), room)), cursor(i)));
            }
        }
        PhaseKind::ScalePoll { items, .. } => poll_lines(&mut lines, view, run, items, loc, theme, width),
        PhaseKind::Cluster | PhaseKind::Actions | PhaseKind::Discuss => {
            lines.push(Line::styled(loc.t("participant.nothing_to_do").to_string(), theme.muted));
        }
    }
    // Rows are cut to one line each: the one under the cursor is shown whole, since a
    // highlight or an option has to be read before anyone can react to it.
    let selected = match &run.spec.kind {
        PhaseKind::Present { .. } => w.presented(w.current).into_iter().take(run.shown.max(1)).nth(view.selected),
        PhaseKind::DotVote(_) => w.options(w.current).get(view.selected).and_then(|id| w.item(*id)),
        PhaseKind::Rank { .. } => view.order.get(view.selected).and_then(|id| w.item(*id)),
        _ => None,
    };
    if let Some(item) = selected.filter(|i| i.text.chars().count() > room) {
        lines.push(Line::default());
        for part in wrap(&item.text, (width as usize).saturating_sub(2).max(1)) {
            lines.push(Line::styled(format!(" {part}"), theme.accent));
        }
    }
    lines.push(Line::default());
    results_lines(&mut lines, w, run, tally.as_ref(), loc, theme, room);
    lines
}

/// The participant's dots on an option, for the option's row.
fn dots_word(tally: &Option<PhaseTally>, item: u32) -> String {
    let Some(t) = tally.as_ref().filter(|t| !t.own_only) else { return String::new() };
    t.results.dot_vote().and_then(|d| d.row(item)).map_or(String::new(), |r| r.dots.to_string())
}

fn poll_lines(
    lines: &mut Vec<Line<'_>>,
    view: &ParticipantView,
    run: &PhaseRun,
    items: &[String],
    loc: &Locale,
    theme: &Theme,
    width: u16,
) {
    let Some(survey) = run.poll.as_ref() else { return };
    for (i, id) in items.iter().enumerate() {
        let Some(item) = survey.item(id) else { continue };
        let style = if i == view.selected { theme.selected } else { theme.accent };
        lines.push(Line::styled(truncate(&item.text, width as usize), style));
        let options = poll_options(survey, id, loc.t("participant.cant_say"));
        let given = run.answers.get(&view.me).and_then(|a| a.get(id));
        let chosen = view.choice.get(i).copied().filter(|c| *c < options.len());
        // Options flow onto as many lines as the width needs: a five-point scale with
        // its labels and "can't say" does not fit 80 columns.
        let mut line: Vec<Span> = Vec::new();
        let mut used = 0;
        for (o, (label, answer)) in options.iter().enumerate() {
            let style = if chosen == Some(o) {
                theme.selected
            } else if given == Some(answer) {
                theme.ok
            } else {
                theme.muted
            };
            let span = Span::styled(format!(" {} ", truncate(label, width.saturating_sub(2) as usize)), style);
            if used > 0 && used + span.width() > width as usize {
                lines.push(Line::from(std::mem::take(&mut line)));
                used = 0;
            }
            used += span.width();
            line.push(span);
        }
        lines.push(Line::from(line));
    }
}

fn results_lines(
    lines: &mut Vec<Line<'_>>,
    w: &Workshop,
    run: &PhaseRun,
    tally: Option<&PhaseTally>,
    loc: &Locale,
    theme: &Theme,
    room: usize,
) {
    if !run.visible {
        if !matches!(run.spec.kind, PhaseKind::Write { .. } | PhaseKind::Discuss) {
            lines.push(Line::styled(loc.t("participant.results_hidden").to_string(), theme.muted));
        }
        return;
    }
    let Some(tally) = tally else { return };
    let rows: Vec<(String, u32)> = match &tally.results {
        TallyResults::DotVote(d) => d.rows.iter().map(|r| (label_of(w, r.item), r.dots)).collect(),
        TallyResults::Present { rows, .. } => {
            // Only what has been shown: the rest of the highlights are not out yet.
            let shown: Vec<u32> = w.presented(w.current).iter().take(run.shown.max(1)).map(|i| i.id).collect();
            rows.iter().filter(|r| shown.contains(&r.item)).map(|r| (label_of(w, r.item), r.counts.agree)).collect()
        }
        TallyResults::Rank { rows, .. } => rows.iter().map(|r| (label_of(w, r.item), r.firsts)).collect(),
        _ => return,
    };
    if rows.is_empty() {
        return;
    }
    lines.push(Line::styled(loc.t("participant.results").to_string(), theme.accent));
    let max = rows.iter().map(|r| r.1).max().unwrap_or(0).max(1);
    for (label, n) in rows {
        let bar = "█".repeat((n as usize * 12).div_ceil(max as usize).min(12));
        lines.push(Line::raw(format!(" {bar:<12} {n:>3} {}", truncate(&label, room.saturating_sub(6)))));
    }
}

fn label_of(w: &Workshop, id: u32) -> String {
    w.item(id).map_or_else(|| format!("#{id}"), |i| i.text.clone())
}

fn reaction_label(loc: &Locale, kind: ReactionKind) -> &str {
    match kind {
        ReactionKind::Agree => loc.t("participant.agree"),
        ReactionKind::Add => loc.t("participant.add"),
        ReactionKind::Challenge => loc.t("participant.challenge"),
    }
}

/// The locale keys of the hints for what works now.
fn key_hints(view: &ParticipantView, w: &Workshop) -> Vec<&'static str> {
    if view.compose.is_some() {
        return vec!["participant.keys_send", "participant.keys_quit"];
    }
    if view.joining.is_some() {
        return vec!["participant.keys_move", "participant.keys_send", "participant.keys_quit"];
    }
    let run = w.current_phase();
    let mut keys = Vec::new();
    if run.status.is_open() {
        match run.spec.kind {
            PhaseKind::Write { .. } => keys.push("participant.keys_write"),
            PhaseKind::Present { .. } => keys.extend(["participant.keys_move", "participant.keys_react"]),
            PhaseKind::DotVote(_) => {
                keys.extend(["participant.keys_move", "participant.keys_dot", "participant.keys_undot"])
            }
            PhaseKind::Rank { .. } => {
                keys.extend(["participant.keys_move", "participant.keys_rank", "participant.keys_send"])
            }
            PhaseKind::ScalePoll { .. } => {
                keys.extend(["participant.keys_move", "participant.keys_answer", "participant.keys_send"])
            }
            _ => {}
        }
    }
    keys.extend(["participant.keys_lang", "participant.keys_quit"]);
    keys
}

fn key_bar(view: &ParticipantView, w: &Workshop, loc: &Locale) -> String {
    let mut bar: Vec<&str> = key_hints(view, w).iter().map(|k| loc.t(k)).collect();
    bar.push(loc.t("participant.keys_help"));
    bar.join(" · ")
}
