use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Clear, Paragraph, Wrap};

use super::widgets::centered;
use crate::app::App;
use crate::app::keymap::Layer;
use crate::ui::Theme;

fn about(layer: Layer) -> &'static str {
    match layer {
        Layer::Welcome => "This store is empty. Create an evaluation, or quit and run `oppi --demo` to explore.",
        Layer::Home => {
            "The evaluation and its pilots. Type / to filter by name, other name, region, status or \
             target group; s cycles the sort column (the default is the order pilots were added, \
             not a ranking)."
        }
        Layer::Pilot => {
            "Everything known about one pilot. Target group and status keep their history; every \
             change is logged with who made it and when."
        }
        Layer::Map | Layer::MapLink => {
            "A pilot's impact logic: one column per layer, left to right. ←→ move between layers, \
             ↑↓ between nodes. The focused node's links are listed below it: tab selects one, enter \
             follows it, r edits its rationale and assumptions. L starts a link from the focused node: \
             move to the target and press enter. c lists checks (results without indicators, \
             indicators without baseline or target, nodes with no path to a result, backward links). \
             f freezes the map as a named revision; v shows what changed between revisions."
        }
        Layer::Objectives => {
            "Learning objectives: the questions a pilot wants answered, with the lessons learned \
             and their evidence. n adds an objective (on a pilot), e edits question, theme and status, \
             l records a lesson."
        }
        Layer::Indicators => {
            "One indicator across all pilots, latest value with its date and source, baseline and \
             target. Pilots are listed in portfolio order: a comparison, not a ranking."
        }
        _ => "",
    }
}

/// Read-only text in a popup: checks, revision diffs.
pub fn render_text(frame: &mut Frame, area: Rect, title: &str, text: &[String], theme: &Theme, scroll: u16) {
    let lines: Vec<Line> = text.iter().map(|l| Line::styled(l.as_str(), theme.text)).collect();
    let wanted = lines.len() as u16 + 2;
    let popup = centered(area, 90, wanted.min(area.height.saturating_sub(1)).max(3));
    let hint = if popup.height < wanted { "j/k scroll · esc close" } else { "esc close" };
    let block = Block::default()
        .borders(Borders::ALL)
        .border_style(theme.border)
        .title(Span::styled(format!(" {title} · {hint} "), theme.title));
    frame.render_widget(Clear, popup);
    frame.render_widget(Paragraph::new(lines).block(block).wrap(Wrap { trim: false }).scroll((scroll, 0)), popup);
}

pub fn render(frame: &mut Frame, area: Rect, app: &App, theme: &Theme, scroll: u16) {
    let layer = app.help_layer();
    let mut lines = vec![Line::styled(about(layer), theme.text), Line::from("")];
    for b in app.keymap.active(layer) {
        let keys: Vec<String> = b.keys.iter().map(ToString::to_string).collect();
        lines.push(Line::from(vec![
            Span::styled(format!(" {:<24}", keys.join(" ")), theme.accent),
            Span::styled(b.desc.as_str(), theme.text),
        ]));
    }
    lines.push(Line::from(""));
    lines.push(Line::styled(
        "In forms: tab/↑↓ move between fields, enter saves, esc cancels; ctrl-w deletes a word, \
         ctrl-u the line before the cursor. Everything saved is on disk when ✓ shows.",
        theme.muted,
    ));
    // Room for every line when the terminal allows; otherwise the title says it scrolls.
    let wanted = lines.len() as u16 + 6;
    let popup = centered(area, 72, wanted.min(area.height.saturating_sub(1)).max(3));
    let title = if popup.height < wanted { " Help · j/k scroll · esc close " } else { " Help · esc to close " };
    let block = Block::default().borders(Borders::ALL).border_style(theme.border).title(Span::styled(title, theme.title));
    frame.render_widget(Clear, popup);
    frame.render_widget(Paragraph::new(lines).block(block).wrap(Wrap { trim: false }).scroll((scroll, 0)), popup);
}
