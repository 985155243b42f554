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
        Layer::Interviews | Layer::InterviewsFilter => {
            "Interviews, newest first. f filters: words match context, role and notes; \
             role:provider round:mid #code from:2020-03-01 to:2020-06-30 narrow by field. \
             enter opens the notes, n starts a new interview, e edits its facts."
        }
        Layer::Editor | Layer::EditorSearch => {
            "The notes, one paragraph a line. Type freely: alt-←→ or ctrl-←→ move by word, \
             ctrl-w / alt-backspace delete a word, ctrl-z / ctrl-y undo and redo, pasting keeps \
             lines. ctrl-t stamps the elapsed time, ctrl-o marks the paragraph as a quote (> ), \
             ctrl-g codes it (#code), ctrl-f finds in the notes. The draft is saved every second \
             while you type; esc settles the notes and goes back."
        }
        Layer::Codes => {
            "Retrieval: pick a code on the left; every paragraph coded with it (or a sub-code) \
             is on the right with pilot, role, date and context, and how many pilots it was coded \
             in. tab switches panes, enter opens the interview at that paragraph."
        }
        Layer::Search => {
            "Search everything: pilots, learning objectives and lessons, notes and quotes. Type \
             words (all must match), ↑↓ choose, enter goes there."
        }
        Layer::Workshops => "Learning workshops. enter opens the facilitator's console, n creates one from a template.",
        Layer::Console | Layer::ConsoleInput => {
            "The facilitator's console: agenda with planned and actual minutes, the current phase's \
             prompt, countdown (overrun is shown, never enforced), its items and the live tally. \
             s starts or pauses, n moves on, b goes back, r reveals or hides results, a adds an item \
             for the room, space counts a raised hand for the focused item (x: a challenging hand), \
             digits record the room's scale answers, m merges two items, c names a cluster and k \
             moves the item into it, p parks it, t turns it into an action, u undoes your last step."
        }
        Layer::Indicators => {
            "One indicator across all pilots, latest value with its date and source, baseline and \
             target. Pilots are listed in portfolio order: a comparison, not a ranking."
        }
        Layer::Surveys => {
            "The survey instruments (built in, from --surveys directories, or kept in the store), \
             with how many responses are stored and from how many pilots. enter shows a survey's \
             tally; n enters a response at the keyboard."
        }
        Layer::Tally => {
            "One survey's answers, item by item: n (answers, can't say included), can't say and \
             missing (asked but left empty) on every item, mean and median without can't say, and a \
             bar per answer. ⚠ low n marks items with fewer than 10 answers. p and r filter by pilot \
             and round; b breaks down by a single-choice item (e.g. organisation type) with the \
             groups side by side, so disagreement stays visible (←→ scroll the groups); c shows \
             coverage: responses per pilot and round, pilots that never answered flagged. Pilots \
             keep portfolio order: nothing here is a ranking. n enters a response."
        }
        Layer::SurveyEntry => {
            "Entering a response: pilot, round and respondent code, then only the items asked of \
             this respondent (rounds, pilots and skip logic follow the answers so far). Digits \
             choose, d answers can't say, space picks a multi-choice option, enter goes on; \
             shift-tab (or backspace on an empty answer) goes back. Enter on the summary saves."
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
    let block =
        Block::default().borders(Borders::ALL).border_style(theme.border).title(Span::styled(title, theme.title));
    frame.render_widget(Clear, popup);
    frame.render_widget(Paragraph::new(lines).block(block).wrap(Wrap { trim: false }).scroll((scroll, 0)), popup);
}
