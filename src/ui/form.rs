use ratatui::Frame;
use ratatui::layout::{Position, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Clear, Paragraph, Wrap};

use super::widgets::centered;
use crate::app::{Confirm, Form};
use crate::ui::Theme;

const LABEL: usize = 22;

pub fn render(frame: &mut Frame, area: Rect, form: &Form, theme: &Theme) {
    let height = form.fields.len() as u16 + 6;
    let popup = centered(area, 76, height);
    let block = Block::default()
        .borders(Borders::ALL)
        .border_style(theme.border)
        .title(Span::styled(format!(" {} ", form.title), theme.title));
    let inner = block.inner(popup);
    let value_width = (inner.width as usize).saturating_sub(LABEL + 2).max(1);
    let mut lines = Vec::new();
    let mut cursor = None;
    for (i, f) in form.fields.iter().enumerate() {
        let focused = i == form.focus;
        let label_style = if focused { theme.accent } else { theme.muted };
        let value = f.input.value();
        // Keep the cursor in view in long values by showing the tail.
        let skip = f.input.cursor().saturating_sub(value_width - 1);
        let shown: String = value.chars().skip(if focused { skip } else { 0 }).take(value_width).collect();
        let marker = if focused { "▸" } else { " " };
        lines.push(Line::from(vec![
            Span::styled(format!("{marker}{:<width$} ", f.label, width = LABEL), label_style),
            Span::styled(format!("{shown:<value_width$}"), if focused { theme.input } else { theme.text }),
        ]));
        if focused {
            let x = inner.x + LABEL as u16 + 2 + (f.input.cursor() - skip) as u16;
            cursor = Some(Position::new(x.min(inner.right().saturating_sub(1)), inner.y + i as u16));
        }
    }
    lines.push(Line::from(""));
    let hint = form.fields.get(form.focus).map_or("", |f| f.hint.as_str());
    lines.push(match &form.error {
        Some(e) => Line::styled(format!(" ✗ {e}"), theme.error),
        None => Line::styled(format!(" {hint}"), theme.muted),
    });
    frame.render_widget(Clear, popup);
    frame.render_widget(Paragraph::new(lines).block(block), popup);
    if let Some(pos) = cursor
        && inner.contains(pos)
    {
        frame.set_cursor_position(pos);
    }
}

pub fn render_confirm(frame: &mut Frame, area: Rect, confirm: &Confirm, theme: &Theme) {
    let popup = centered(area, 60, 8);
    let block = Block::default()
        .borders(Borders::ALL)
        .border_style(theme.warning)
        .title(Span::styled(" Confirm ", theme.warning));
    let lines = vec![
        Line::styled(confirm.question.as_str(), theme.title),
        Line::from(""),
        Line::styled(confirm.detail.as_str(), theme.text),
        Line::from(""),
        Line::from(vec![
            Span::styled(" y ", theme.key),
            Span::styled(" yes  ", theme.key_desc),
            Span::styled(" n ", theme.key),
            Span::styled(" no ", theme.key_desc),
        ]),
    ];
    frame.render_widget(Clear, popup);
    frame.render_widget(Paragraph::new(lines).block(block).wrap(Wrap { trim: true }), popup);
}
