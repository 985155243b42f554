//! Interviews: the list, the note editor, retrieval by code, global search, code picker.

use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Clear, Paragraph};

use super::widgets::{centered, truncate, wrap};
use crate::app::App;
use crate::app::interviews::{CodesView, ListView, SearchView};
use crate::domain::retrieval::per_pilot;
use crate::ui::Theme;

pub fn render_list(frame: &mut Frame, area: Rect, app: &App, theme: &Theme, view: &ListView) {
    if area.width == 0 || area.height == 0 {
        return;
    }
    let [bar, list] = Layout::vertical([Constraint::Length(1), Constraint::Fill(1)]).areas(area);
    let rows = app.interview_rows();
    let whose = view.pilot.as_deref().and_then(|p| app.data.pilot(p)).map_or("all pilots".into(), |p| p.name.clone());
    let mut spans = vec![Span::styled(format!(" Interviews · {whose} · {}", rows.len()), theme.header)];
    if view.filtering || !view.filter.value().is_empty() {
        spans.push(Span::styled("  filter ", theme.accent));
        spans.push(Span::styled(format!("{} ", view.filter.value()), theme.input));
    }
    if view.filtering {
        spans.push(Span::styled("  role:… round:… #code from:date to:date", theme.muted));
    }
    frame.render_widget(Line::from(spans), bar);
    if rows.is_empty() {
        let msg =
            if app.data.interviews.is_empty() { " No interviews yet: n starts one." } else { " No interview matches." };
        frame.render_widget(Line::styled(msg, theme.muted), list);
        return;
    }
    let width = list.width as usize;
    // Two lines an interview; the selected one is kept in view. Only the interviews on
    // screen are laid out: each one parses its notes for the paragraph count and codes.
    let scroll = (2 * view.selected).saturating_sub(list.height.saturating_sub(2) as usize);
    let first = scroll / 2;
    let mut lines = Vec::new();
    for (i, interview) in rows.iter().enumerate().skip(first).take(list.height as usize / 2 + 2) {
        let pilots: Vec<String> =
            interview.pilots.iter().map(|p| app.data.pilot(p).map_or(p.clone(), |p| p.name.clone())).collect();
        let style = if i == view.selected { theme.selected } else { theme.text };
        let head = format!(
            " {}  {:<16} {:<7} {}",
            interview.at.format("%Y-%m-%d"),
            truncate(&interview.cited_as(), 16),
            interview.round,
            pilots.join(", ")
        );
        lines.push(Line::styled(format!("{:<width$}", truncate(&head, width)), style));
        let paragraphs = app.derived.index.paragraphs_of(interview);
        let mut codes: Vec<&str> = paragraphs.iter().flat_map(|p| p.codes.iter().map(String::as_str)).collect();
        codes.sort();
        codes.dedup();
        let drafted =
            if app.data.drafts.iter().any(|d| d.interview == interview.id) { " · unsaved draft" } else { "" };
        let about = format!(
            "   {}{drafted} · ¶{} · {}",
            if interview.context.is_empty() { "no context recorded" } else { &interview.context },
            paragraphs.len(),
            codes.iter().map(|c| format!("#{c}")).collect::<Vec<_>>().join(" ")
        );
        lines.push(Line::styled(truncate(&about, width), theme.muted));
    }
    frame.render_widget(Paragraph::new(lines).scroll(((scroll % 2) as u16, 0)), list);
}

pub fn render_editor(frame: &mut Frame, area: Rect, app: &App, theme: &Theme, id: &str) {
    if area.width == 0 || area.height == 0 {
        return;
    }
    let (Some(interview), Some(editor)) = (app.interview(id), app.editor.as_ref()) else { return };
    let head_height = if area.height >= 8 { 2 } else { 0 };
    let search_height = u16::from(editor.search.is_some());
    let [head, body, search] =
        Layout::vertical([Constraint::Length(head_height), Constraint::Fill(1), Constraint::Length(search_height)])
            .areas(area);
    let pilots: Vec<String> =
        interview.pilots.iter().map(|p| app.data.pilot(p).map_or(p.clone(), |p| p.name.clone())).collect();
    let elapsed = (app.now - editor.started).num_seconds().max(0);
    let saved = save_state(editor, theme);
    frame.render_widget(
        Paragraph::new(vec![
            Line::from(vec![
                Span::styled(
                    format!(" {} · {} · {}", interview.cited_as(), interview.round, pilots.join(", ")),
                    theme.header,
                ),
                Span::styled(format!("  {:02}:{:02} elapsed", elapsed / 60, elapsed % 60), theme.muted),
                saved,
                Span::styled(super::widgets::also_here(app, &format!("notes {id}")).unwrap_or_default(), theme.warning),
            ]),
            Line::styled(
                format!(
                    " {} · {}",
                    interview.at.format("%Y-%m-%d %H:%M"),
                    if interview.context.is_empty() { "–" } else { &interview.context }
                ),
                theme.muted,
            ),
        ]),
        head,
    );
    frame.render_widget(Block::default().borders(Borders::TOP).border_style(theme.border), body);
    let text_area = Rect { y: body.y.saturating_add(1), height: body.height.saturating_sub(1), ..body };
    // Draws only the rows on screen (wrapped as drawn), the cursor cell reversed.
    frame.render_widget(editor, text_area);
    if let Some(query) = &editor.search {
        frame.render_widget(
            Line::from(vec![
                Span::styled(" find: ", theme.accent),
                Span::styled(format!("{} ", query.value()), theme.input),
            ]),
            search,
        );
    }
}

/// Whether what was typed is on disk: shown beside the elapsed time and in the footer.
pub fn save_state(editor: &crate::app::editor::NoteEditor, theme: &Theme) -> Span<'static> {
    match (editor.unsaved, editor.saved_at) {
        (true, _) => Span::styled(" ● typing ", theme.warning),
        (false, Some(at)) => Span::styled(format!(" ✓ draft saved {} ", at.format("%H:%M:%S")), theme.ok),
        (false, None) => Span::styled(" ✓ saved ", theme.ok),
    }
}

pub fn render_codes(frame: &mut Frame, area: Rect, app: &App, theme: &Theme, view: &CodesView) {
    if area.width == 0 || area.height == 0 {
        return;
    }
    let left_width = (area.width / 3).clamp(12, 36);
    let [left, right] = Layout::horizontal([Constraint::Length(left_width), Constraint::Fill(1)]).areas(area);
    let counts = app.code_counts();
    let mut lines = vec![Line::styled(" Codes", theme.header)];
    for (i, code) in app.data.codebook.codes.iter().enumerate() {
        let indent = if code.parent.is_some() { "   " } else { " " };
        let n = counts.get(i).map_or(0, |c| c.1);
        let style = if i == view.code && !view.on_segments {
            theme.selected
        } else if i == view.code {
            theme.accent
        } else {
            theme.text
        };
        let label = truncate(&format!("{indent}{} ({n})", code.name), left_width.saturating_sub(1) as usize);
        lines.push(Line::styled(format!("{label:<w$}", w = left_width.saturating_sub(1) as usize), style));
    }
    let scroll = (view.code + 1).saturating_sub(left.height.saturating_sub(1) as usize) as u16;
    frame.render_widget(
        Paragraph::new(lines)
            .scroll((scroll, 0))
            .block(Block::default().borders(Borders::RIGHT).border_style(theme.border)),
        left,
    );

    let segments = app.code_segments();
    let Some(code) = app.data.codebook.codes.get(view.code) else { return };
    let counts = per_pilot(&segments, &app.data.pilots);
    let central: Vec<String> =
        counts.iter().filter(|(_, n)| *n > 0).map(|(p, n)| format!("{} {n}", truncate(&p.name, 18))).collect();
    let width = right.width.saturating_sub(2) as usize;
    let mut lines = vec![Line::styled(
        format!(" #{} · {} segment(s) in {} pilot(s)", code.slug, segments.len(), central.len()),
        theme.header,
    )];
    for part in wrap(&central.join(" · "), width.max(1)) {
        lines.push(Line::styled(format!(" {part}"), theme.muted));
    }
    lines.push(Line::from(""));
    let mut selected_line = 0;
    for (i, s) in segments.iter().enumerate() {
        // Laid out up to the selection and then only as far as the screen reaches.
        if i > view.segment && lines.len() >= selected_line + right.height as usize {
            break;
        }
        let pilots: Vec<String> =
            s.pilots.iter().map(|p| app.data.pilot(p).map_or(p.clone(), |p| p.name.clone())).collect();
        let who = if s.org_type.is_empty() { s.role.clone() } else { format!("{}, {}", s.role, s.org_type) };
        let head = format!(" {} · {} · {} · {}", s.at.format("%Y-%m-%d"), who, pilots.join(", "), s.context);
        let style = if view.on_segments && i == view.segment { theme.selected } else { theme.muted };
        if i == view.segment {
            selected_line = lines.len();
        }
        lines.push(Line::styled(truncate(&head, width + 1), style));
        let mark = if s.quote { "❝ " } else { "" };
        for part in wrap(&format!("{mark}{}", s.text), width.saturating_sub(2).max(1)) {
            lines.push(Line::styled(format!("   {part}"), theme.text));
        }
    }
    if segments.is_empty() {
        lines.push(Line::styled(" Nothing coded with this code yet.", theme.muted));
    }
    let scroll = selected_line.saturating_sub(right.height.saturating_sub(4) as usize) as u16;
    frame.render_widget(Paragraph::new(lines).scroll((scroll, 0)), right);
}

pub fn render_search(frame: &mut Frame, area: Rect, app: &App, theme: &Theme, view: &SearchView) {
    if area.width == 0 || area.height == 0 {
        return;
    }
    let [bar, list] = Layout::vertical([Constraint::Length(2), Constraint::Fill(1)]).areas(area);
    frame.render_widget(
        Paragraph::new(vec![
            Line::from(vec![
                Span::styled(" Search notes, quotes, pilots, objectives: ", theme.header),
                Span::styled(format!("{} ", view.query.value()), theme.input),
            ]),
            Line::from(""),
        ]),
        bar,
    );
    let hits = app.search_hits();
    let width = list.width as usize;
    let mut lines = Vec::new();
    let mut selected_line = 0;
    for (i, hit) in hits.iter().enumerate() {
        if i == view.selected {
            selected_line = lines.len();
        }
        let style = if i == view.selected { theme.selected } else { theme.text };
        lines.push(Line::styled(truncate(&format!(" {}", hit.text()), width), style));
        lines.push(Line::styled(truncate(&format!("   {}", hit.place()), width), theme.muted));
    }
    if hits.is_empty() && !view.query.value().trim().is_empty() {
        lines.push(Line::styled(" Nothing found.", theme.muted));
    }
    let scroll = selected_line.saturating_sub(list.height.saturating_sub(2) as usize) as u16;
    frame.render_widget(Paragraph::new(lines).scroll((scroll, 0)), list);
}

pub fn render_picker(frame: &mut Frame, area: Rect, app: &App, theme: &Theme, query: &str, selected: usize) {
    let popup = centered(area, 64, 16);
    let block = Block::default()
        .borders(Borders::ALL)
        .border_style(theme.border)
        .title(Span::styled(" Code this paragraph ", theme.title));
    let inner = block.inner(popup);
    let matches = app.picker_matches(query);
    let mut lines =
        vec![Line::from(vec![Span::styled(" › ", theme.accent), Span::styled(format!("{query} "), theme.input)])];
    let visible = inner.height.saturating_sub(1) as usize;
    let first = selected.saturating_sub(visible.saturating_sub(1));
    for (i, (slug, label)) in matches.iter().enumerate().skip(first).take(visible) {
        let style = if i == selected { theme.selected } else { theme.text };
        lines.push(Line::styled(truncate(&format!(" #{slug}  {label}"), inner.width as usize), style));
    }
    frame.render_widget(Clear, popup);
    frame.render_widget(Paragraph::new(lines).block(block), popup);
}
