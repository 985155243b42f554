//! The synthesis workspace (findings by theme, recommendations, conclusions by
//! question, matrix) and the
//! evidence picker.

use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Clear, Paragraph};

use super::widgets::{centered, truncate, wrap};
use crate::app::evidence_picker::EvidencePicker;
use crate::app::synthesis::{ConclusionRow, Pane, RecRow, SynthesisView, Tab, conclusion_rows, rec_rows, themes};
use crate::app::{App, Data};
use crate::domain::evidence::EvidenceRef;
use crate::domain::synthesis::{Finding, QuestionRef, Scope, theme_matrix};
use crate::ui::Theme;

pub fn render(frame: &mut Frame, area: Rect, app: &App, theme: &Theme, view: &SynthesisView) {
    if area.width == 0 || area.height == 0 {
        return;
    }
    let [tabs, body] = Layout::vertical([Constraint::Length(1), Constraint::Fill(1)]).areas(area);
    let tab = |n: &str, name: &str, on: bool| {
        Span::styled(format!(" {n} {name} "), if on { theme.selected } else { theme.muted })
    };
    frame.render_widget(
        Line::from(vec![
            Span::styled(" Synthesis ", theme.header),
            tab("1", "findings", view.tab == Tab::Findings),
            tab("2", "recommendations", view.tab == Tab::Recommendations),
            tab("3", "matrix", view.tab == Tab::Matrix),
            tab("4", "conclusions", view.tab == Tab::Conclusions),
        ]),
        tabs,
    );
    match view.tab {
        Tab::Findings => render_findings(frame, body, app, theme, view),
        Tab::Recommendations => render_recommendations(frame, body, app, theme, view),
        Tab::Matrix => render_matrix(frame, body, app, theme, view),
        Tab::Conclusions => render_conclusions(frame, body, app, theme, view),
    }
}

/// A line of evidence for the findings pane, without computing any tally.
fn evidence_line(data: &Data, e: &EvidenceRef) -> String {
    match e {
        EvidenceRef::Quote { interview, paragraph } | EvidenceRef::Segment { interview, paragraph } => data
            .interviews
            .iter()
            .find(|i| &i.id == interview)
            .and_then(|i| i.paragraph(*paragraph).map(|p| format!("{} ({}): {}", e.label(), i.cited_as(), p.text)))
            .unwrap_or_else(|| format!("{} — not found", e.label())),
        EvidenceRef::Lesson { objective, lesson } => data
            .objectives
            .iter()
            .find(|o| &o.id == objective)
            .and_then(|o| o.lessons.iter().find(|l| l.id == *lesson))
            .map_or_else(|| format!("{} — not found", e.label()), |l| format!("{}: {}", e.label(), l.statement)),
        _ => e.label(),
    }
}

fn scope_text(data: &Data, f: &Finding) -> String {
    match &f.scope {
        Scope::Local(p) => format!("local ({})", data.pilot(p).map_or(p.as_str(), |p| p.name.as_str())),
        Scope::National => "national".into(),
    }
}

fn finding_lines(data: &Data, theme: &Theme, f: &Finding, selected: bool, width: usize) -> Vec<Line<'static>> {
    let style = if selected { theme.selected } else { theme.text };
    let mut lines = vec![Line::from(vec![
        Span::styled(format!(" {} ", f.id), theme.accent),
        Span::styled(
            format!("{} · {} · {} evidence", scope_text(data, f), f.voice.label(), f.evidence.len()),
            theme.muted,
        ),
    ])];
    for part in wrap(&f.what, width.saturating_sub(2)) {
        lines.push(Line::styled(format!("  {part}"), style));
    }
    if !selected {
        return lines;
    }
    for (label, text) in [("So what", &f.so_what), ("Now what", &f.now_what)] {
        if !text.trim().is_empty() {
            for (i, part) in wrap(&format!("{label}: {text}"), width.saturating_sub(4)).into_iter().enumerate() {
                lines.push(Line::styled(format!("  {}{part}", if i == 0 { "" } else { "  " }), theme.text));
            }
        }
    }
    if !f.pilots.is_empty() {
        let names: Vec<&str> = f.pilots.iter().map(|p| data.pilot(p).map_or(p.as_str(), |p| p.name.as_str())).collect();
        lines.push(Line::styled(truncate(&format!("  Pilots: {}", names.join(", ")), width), theme.muted));
    }
    if f.evidence.is_empty() {
        lines.push(Line::styled("  No evidence yet: c cites some.", theme.warning));
    }
    for e in &f.evidence {
        lines.push(Line::styled(truncate(&format!("  · {}", evidence_line(data, e)), width), theme.muted));
    }
    lines
}

fn render_findings(frame: &mut Frame, area: Rect, app: &App, theme: &Theme, view: &SynthesisView) {
    let rows = themes(&app.data);
    // Side by side when there is room; otherwise only the pane in focus.
    let (left, right) = if area.width >= 60 {
        let w = (area.width / 3).min(34);
        let [l, r] = Layout::horizontal([Constraint::Length(w), Constraint::Fill(1)]).areas(area);
        (Some(l), Some(r))
    } else if view.pane == Pane::Themes {
        (Some(area), None)
    } else {
        (None, Some(area))
    };
    if let Some(left) = left {
        let mut lines = vec![Line::styled(" Themes", theme.header)];
        if rows.is_empty() {
            lines.push(Line::styled(" No themes: E on the home screen adds them.", theme.muted));
        }
        for (i, t) in rows.iter().enumerate() {
            let style = match (i == view.theme, view.pane) {
                (true, Pane::Themes) => theme.selected,
                (true, Pane::Findings) => theme.accent,
                _ => theme.text,
            };
            let text = format!(" {} ({})", t.name, t.findings.len());
            lines.push(Line::styled(truncate(&text, left.width.saturating_sub(1) as usize), style));
        }
        let scroll = (view.theme + 1).saturating_sub(left.height.saturating_sub(1) as usize) as u16;
        frame.render_widget(Paragraph::new(lines).scroll((scroll, 0)), left);
    }
    let Some(right) = right else { return };
    let width = right.width as usize;
    let Some(t) = rows.get(view.theme) else { return };
    let mut lines = vec![Line::styled(truncate(&format!(" {}", t.name), width), theme.header)];
    if t.findings.is_empty() {
        lines.push(Line::styled(" No findings on this theme yet: n writes one.", theme.muted));
    }
    let mut selected_at = 0;
    for (i, f) in t.findings.iter().enumerate() {
        let selected = i == view.finding && view.pane == Pane::Findings;
        if i == view.finding {
            selected_at = lines.len();
        }
        lines.extend(finding_lines(&app.data, theme, f, selected, width));
    }
    let scroll = selected_at.saturating_sub(right.height as usize / 3) as u16;
    frame.render_widget(Paragraph::new(lines).scroll((scroll, 0)), right);
}

fn render_recommendations(frame: &mut Frame, area: Rect, app: &App, theme: &Theme, view: &SynthesisView) {
    let s = &app.data.synthesis;
    let width = area.width as usize;
    let mut lines = vec![Line::styled(" Recommendations in report order (J/K move; numbers follow)", theme.header)];
    let rows = rec_rows(s);
    if rows.is_empty() {
        lines.push(Line::styled(" None yet: n writes the first.", theme.muted));
    }
    let mut selected_at = 0;
    for (i, row) in rows.iter().enumerate() {
        let on = i == view.row;
        if on {
            selected_at = lines.len();
        }
        let style = if on { theme.selected } else { theme.text };
        match row {
            RecRow::Rec(n, r) => {
                lines.push(Line::from(""));
                let head = format!(" {n}. {} ", r.text);
                for (j, part) in wrap(&head, width.saturating_sub(4)).into_iter().enumerate() {
                    lines.push(Line::styled(format!("{}{part}", if j == 0 { "" } else { "    " }), style));
                }
                let to = if r.addressee.is_empty() { String::new() } else { format!(" · to {}", r.addressee) };
                let rests = if r.findings.is_empty() {
                    String::new()
                } else {
                    format!(" · rests on {}", r.findings.join(", "))
                };
                let meta = format!("    {} · {} priority{to}{rests}", r.id, r.priority.label());
                lines.push(Line::styled(truncate(&meta, width), theme.muted));
                if on && !r.rationale.is_empty() {
                    for part in wrap(&format!("Why: {}", r.rationale), width.saturating_sub(4)) {
                        lines.push(Line::styled(format!("    {part}"), theme.muted));
                    }
                }
            }
            RecRow::Action(_, _, a) => {
                let due = a.due.map_or(String::new(), |d| format!(", due {d}"));
                let overdue = a.status.is_pending() && a.due.is_some_and(|d| d < app.today);
                let status_style = if overdue { theme.warning } else { theme.accent };
                let text = format!(" {} — {}{due}", a.text, a.owner);
                lines.push(Line::from(vec![
                    Span::styled("    → ", theme.muted),
                    Span::styled(format!("[{}]", a.status.label()), if on { theme.selected } else { status_style }),
                    Span::styled(truncate(&text, width.saturating_sub(20)), style),
                ]));
            }
        }
    }
    let scroll = selected_at.saturating_sub(area.height as usize / 2) as u16;
    frame.render_widget(Paragraph::new(lines).scroll((scroll, 0)), area);
}

/// Conclusions under the question they answer, each with the findings it rests on
/// told by their "what", so the link can be checked without leaving the view.
fn render_conclusions(frame: &mut Frame, area: Rect, app: &App, theme: &Theme, view: &SynthesisView) {
    let s = &app.data.synthesis;
    let evaluation = app.data.evaluation.clone().unwrap_or_default();
    let width = area.width as usize;
    let mut lines = vec![Line::styled(truncate(" Conclusions by evaluation question", width), theme.header)];
    let mut selected_at = 0;
    for (i, row) in conclusion_rows(s, &evaluation).iter().enumerate() {
        let on = i == view.conclusion;
        if on {
            selected_at = lines.len();
        }
        match row {
            ConclusionRow::Question(q, text) => {
                lines.push(Line::from(""));
                let label = match q {
                    QuestionRef::Main => "Main question".to_string(),
                    QuestionRef::Sub(n) => format!("Sub-question {}", n + 1),
                };
                let text = if text.trim().is_empty() { "(no longer in the evaluation)" } else { text };
                let style = if on { theme.selected } else { theme.accent };
                for (j, part) in wrap(&format!("{label}: {text}"), width.saturating_sub(2)).into_iter().enumerate() {
                    lines.push(Line::styled(format!(" {}{part}", if j == 0 { "" } else { " " }), style));
                }
                if s.conclusions.iter().all(|c| c.question != *q) {
                    lines.push(Line::styled("   No conclusion yet: n writes one.", theme.muted));
                }
            }
            ConclusionRow::Conclusion(c) => {
                let style = if on { theme.selected } else { theme.text };
                let head = format!("{} {}", c.id, c.text);
                for (j, part) in wrap(&head, width.saturating_sub(5)).into_iter().enumerate() {
                    lines.push(Line::styled(format!("   {}{part}", if j == 0 { "" } else { "  " }), style));
                }
                for f in &c.findings {
                    let what = s.finding(f).map_or("— not found", |f| f.what.as_str());
                    lines.push(Line::styled(truncate(&format!("     ← {f}: {what}"), width), theme.muted));
                }
            }
        }
    }
    let scroll = selected_at.saturating_sub(area.height as usize / 2) as u16;
    frame.render_widget(Paragraph::new(lines).scroll((scroll, 0)), area);
}

fn render_matrix(frame: &mut Frame, area: Rect, app: &App, theme: &Theme, view: &SynthesisView) {
    let pilots: Vec<_> = app.data.pilots.iter().filter(|p| !p.archived).cloned().collect();
    let m = theme_matrix(&app.data.interviews, &app.data.codebook, &app.data.objectives, &pilots);
    let mut lines = vec![
        Line::styled(
            " Where each theme was central: coded paragraphs+lessons per pilot (a map, not a ranking)",
            theme.header,
        ),
        Line::from(""),
    ];
    for (i, l) in m.to_text().lines().enumerate() {
        lines.push(Line::styled(format!(" {l}"), if i == 0 { theme.accent } else { theme.text }));
    }
    lines.push(Line::from(""));
    for c in &m.columns {
        lines.push(Line::styled(format!(" {:>4}  {}", c.pilot, c.name), theme.muted));
    }
    frame.render_widget(Paragraph::new(lines).scroll((view.scroll, 0)), area);
}

pub fn render_picker(frame: &mut Frame, area: Rect, app: &App, theme: &Theme, p: &EvidencePicker) {
    let popup = centered(area, area.width.saturating_sub(4).max(1), area.height.saturating_sub(2).max(1));
    let block = Block::default()
        .borders(Borders::ALL)
        .border_style(theme.border)
        .title(Span::styled(format!(" Cite evidence in {} ", p.finding), theme.title));
    let inner = block.inner(popup);
    frame.render_widget(Clear, popup);
    frame.render_widget(block, popup);
    if inner.height == 0 || inner.width == 0 {
        return;
    }
    let width = inner.width as usize;
    let cited: Vec<EvidenceRef> =
        app.data.synthesis.finding(&p.finding).map(|f| f.evidence.clone()).unwrap_or_default();
    let preview_h = (p.preview.len() as u16 + 1).min(inner.height / 2);
    let [query, list, preview] =
        Layout::vertical([Constraint::Length(1), Constraint::Fill(1), Constraint::Length(preview_h)]).areas(inner);
    frame.render_widget(
        Line::from(vec![
            Span::styled(" search › ", theme.accent),
            Span::styled(format!("{} ", p.query.value()), theme.input),
            Span::styled(format!(" {} found", p.found_len()), theme.muted),
        ]),
        query,
    );
    let visible = list.height as usize;
    let first = p.selected.saturating_sub(visible.saturating_sub(1));
    let lines: Vec<Line> = p
        .found()
        .enumerate()
        .skip(first)
        .take(visible)
        .map(|(i, c)| {
            let mark = if cited.contains(&c.evidence) { "✓" } else { " " };
            let style = if i == p.selected { theme.selected } else { theme.text };
            Line::styled(truncate(&format!(" {mark} {:<9} {}", c.kind, c.line), width), style)
        })
        .collect();
    frame.render_widget(Paragraph::new(lines), list);
    let mut lines = vec![Line::styled("─".repeat(width), theme.border)];
    for l in &p.preview {
        for part in wrap(l, width.saturating_sub(2)) {
            lines.push(Line::styled(format!(" {part}"), theme.text));
        }
    }
    frame.render_widget(Paragraph::new(lines), preview);
}
