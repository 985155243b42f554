//! The response-entry popup: one page per step (pilot, round, respondent code, each
//! item that is asked, summary), with what the page's keys do written under it.

use ratatui::Frame;
use ratatui::layout::{Position, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Clear, Paragraph};

use super::widgets::{centered, truncate, wrap};
use crate::app::App;
use crate::app::survey_entry::{Entry, Row, Step};
use crate::domain::survey::{Answer, Item, ItemKind, Pick, Survey};
use crate::ui::Theme;

const WIDTH: u16 = 78;

pub fn render(frame: &mut Frame, area: Rect, app: &App, entry: &Entry, theme: &Theme) {
    if area.width == 0 || area.height == 0 {
        return;
    }
    // Keep the status line and the key bar visible under the popup when there is room.
    let room = if area.height >= 8 { Rect { height: area.height - 2, ..area } } else { area };
    let width = usize::from(WIDTH.min(room.width).saturating_sub(2));
    let pilots = &app.data.pilots;

    let mut top: Vec<Line> = Vec::new();
    let r = &entry.response;
    let pilot =
        r.pilot.as_deref().map_or("–".to_string(), |p| app.data.pilot(p).map_or(p.to_string(), |p| p.name.clone()));
    let context = format!(
        " pilot {pilot} · round {} · respondent {}",
        r.round.map_or("–".into(), |n| n.to_string()),
        r.respondent.as_deref().unwrap_or("–")
    );
    top.push(Line::styled(truncate(&context, width), theme.muted));
    top.push(Line::from(""));
    let (title, hint) = match entry.step {
        Step::Pilot => ("Which pilot is this response about?".to_string(), "number or ↑↓, then enter".to_string()),
        Step::Round => ("Round (1, 2, …); leave empty if the survey has no rounds".into(), "type, then enter".into()),
        Step::Respondent => (
            "Respondent code (optional): a code, never a name".into(),
            "a respondent answers once per round · enter".into(),
        ),
        Step::Item(_) => {
            let item = entry.item().expect("an item page");
            let asked = entry.asked(pilots);
            let pos = asked.iter().position(|i| Some(&entry.survey.items[*i]) == Some(item)).map_or(0, |p| p + 1);
            let required = if item.required { " · required" } else { "" };
            top.push(Line::styled(
                truncate(&format!(" question {pos} of {} asked · {}{required}", asked.len(), item.id), width),
                theme.muted,
            ));
            (item.text.clone(), item_hint(&entry.survey, item))
        }
        Step::Summary => (
            "Summary: enter saves, shift-tab goes back to change an answer".into(),
            "enter save · shift-tab back · esc discard".into(),
        ),
    };
    for part in wrap(&title, width.saturating_sub(2)) {
        top.push(Line::styled(format!(" {part}"), theme.title));
    }
    top.push(Line::from(""));

    let mut bottom: Vec<Line> = vec![Line::from("")];
    if entry.discarding {
        bottom.push(Line::styled(" Discard this response? y discards · any other key keeps entering", theme.warning));
    } else if let Some(e) = &entry.error {
        bottom.push(Line::styled(truncate(&format!(" ✗ {e}"), width), theme.error));
    } else {
        bottom.push(Line::styled(truncate(&format!(" {hint}"), width), theme.muted));
    }

    let rows = entry.rows();
    let body_wanted = match entry.step {
        Step::Summary => entry.asked(pilots).len() + 1,
        _ if rows.is_empty() => 1,
        _ => rows.len(),
    };
    // Room for the longest usual list (0–10), so the popup keeps its size between pages.
    let wanted = top.len() + body_wanted.max(11) + bottom.len() + 2;
    let popup = centered(room, WIDTH, u16::try_from(wanted).unwrap_or(u16::MAX).min(room.height));
    let block = Block::default()
        .borders(Borders::ALL)
        .border_style(if entry.discarding { theme.warning } else { theme.border })
        .title(Span::styled(
            truncate(&format!(" {} · new response ", entry.survey.title), popup.width as usize),
            theme.title,
        ));
    let inner = block.inner(popup);
    frame.render_widget(Clear, popup);
    frame.render_widget(block, popup);
    if inner.width == 0 || inner.height == 0 {
        return;
    }
    let body_height = (inner.height as usize).saturating_sub(top.len() + bottom.len());
    let mut body: Vec<Line> = Vec::new();
    let mut cursor: Option<(usize, usize)> = None;
    if entry.step == Step::Summary {
        let lines = summary(entry, app, width, theme);
        let skip = entry.cursor.unwrap_or(0).min(lines.len().saturating_sub(body_height));
        body.extend(lines.into_iter().skip(skip));
    } else if !rows.is_empty() {
        let multi = matches!(entry.item().map(|i| &i.kind), Some(ItemKind::Multi { .. }));
        let at = entry.cursor.unwrap_or(0);
        let skip = (at + 1).saturating_sub(body_height.max(1));
        for (i, row) in rows.iter().enumerate().skip(skip).take(body_height.max(1)) {
            let here = entry.cursor == Some(i);
            let number = entry
                .row_number(i, row)
                .unwrap_or_else(|| if *row == Row::DontKnow { "d".into() } else { String::new() });
            let check = if !multi {
                ""
            } else if entry.picked.contains(&i) || (*row == Row::Other && !entry.input.value().trim().is_empty()) {
                "[x] "
            } else {
                "[ ] "
            };
            let mut label = entry.row_label(row);
            if *row == Row::Other {
                label = format!("{label} {}", entry.input.value());
                if here {
                    let x = 1 + 1 + 3 + 1 + check.chars().count() + "Other: ".chars().count() + entry.input.cursor();
                    cursor = Some((x, body.len()));
                }
            }
            let text = format!("{}{number:>3} {check}{label}", if here { "▸" } else { " " });
            body.push(Line::styled(
                truncate(&format!(" {text}"), width),
                if here { theme.selected } else { theme.text },
            ));
        }
    } else {
        let value = entry.input.value();
        let room = width.saturating_sub(4).max(1);
        let skip = entry.input.cursor().saturating_sub(room - 1);
        let shown: String = value.chars().skip(skip).take(room).collect();
        body.push(Line::from(vec![
            Span::styled(" > ", theme.accent),
            Span::styled(format!("{shown:<room$}"), theme.input),
        ]));
        cursor = Some((3 + entry.input.cursor() - skip, 0));
    }
    body.truncate(body_height);
    while body.len() < body_height {
        body.push(Line::from(""));
    }
    let body_top = top.len();
    let mut lines = top;
    lines.extend(body);
    lines.extend(bottom);
    frame.render_widget(Paragraph::new(lines), inner);
    if let Some((x, y)) = cursor
        && !entry.discarding
        && y < body_height
    {
        let pos = Position::new(inner.x + x.min(width.saturating_sub(1)) as u16, inner.y + (body_top + y) as u16);
        if inner.contains(pos) {
            frame.set_cursor_position(pos);
        }
    }
}

fn item_hint(survey: &Survey, item: &Item) -> String {
    match &item.kind {
        ItemKind::Scale { .. } => {
            let scale = survey.scale_of(item);
            let values: Vec<i64> = scale.map(|s| s.points.iter().map(|p| p.value).collect()).unwrap_or_default();
            let range = match (values.iter().min(), values.iter().max()) {
                (Some(a), Some(b)) => format!("{a}–{b}"),
                _ => String::new(),
            };
            let dk = scale
                .and_then(|s| s.dont_know.as_deref())
                .map(|l| format!(" · d {}", l.to_lowercase()))
                .unwrap_or_default();
            format!("{range} or ↑↓ enter{dk} · enter alone: no answer")
        }
        ItemKind::Nps => "0–10 (type 1 0 for ten) or ↑↓ enter · enter alone: no answer".into(),
        ItemKind::Single { other, .. } => {
            let other = if *other { " · on Other: type the answer" } else { "" };
            format!("number or ↑↓ enter{other}")
        }
        ItemKind::Multi { other, max, .. } => {
            let max = max.map(|m| format!(" · at most {m}")).unwrap_or_default();
            let other = if *other { " · on Other: type" } else { "" };
            format!("number or space picks · enter confirms{max}{other}")
        }
        ItemKind::Number { min, max, integer } => {
            let what = if *integer { "a whole number" } else { "a number" };
            let range = match (min, max) {
                (Some(a), Some(b)) => format!(" {a}–{b}"),
                (Some(a), None) => format!(" ≥ {a}"),
                (None, Some(b)) => format!(" ≤ {b}"),
                (None, None) => String::new(),
            };
            format!("type {what}{range} · enter · empty: no answer")
        }
        ItemKind::Text => "type the answer · enter · empty: no answer".into(),
    }
}

/// What an answer says, in words.
pub fn answer_text(survey: &Survey, item: &Item, answer: &Answer) -> String {
    let choice = |k: &str| item.find_choice(k).map_or(k.to_string(), |c| c.label.clone());
    match answer {
        Answer::Scale(v) => match survey.scale_of(item).and_then(|s| s.point(*v)) {
            Some(p) if p.label != v.to_string() => format!("{v} {}", p.label),
            _ => v.to_string(),
        },
        Answer::DontKnow => {
            survey.scale_of(item).and_then(|s| s.dont_know.clone()).unwrap_or_else(|| "don't know".into())
        }
        Answer::Choice(k) => choice(k),
        Answer::Other(t) => format!("Other: {t}"),
        Answer::Multi(picks) => picks
            .iter()
            .map(|p| match p {
                Pick::Choice(k) => choice(k),
                Pick::Other(t) => format!("Other: {t}"),
            })
            .collect::<Vec<_>>()
            .join("; "),
        Answer::Number(x) => x.to_string(),
        Answer::Text(t) => t.clone(),
    }
}

fn summary<'a>(entry: &Entry, app: &App, width: usize, theme: &Theme) -> Vec<Line<'a>> {
    let pilots = &app.data.pilots;
    let r = entry.finished(pilots);
    let asked = entry.asked(pilots);
    let id_width = asked.iter().map(|i| entry.survey.items[*i].id.chars().count()).max().unwrap_or(0).min(24);
    let answered = asked.iter().filter(|i| r.answers.contains_key(&entry.survey.items[**i].id)).count();
    let mut lines = vec![Line::styled(format!(" {answered} of {} asked items answered", asked.len()), theme.muted)];
    for i in asked {
        let item = &entry.survey.items[i];
        let (text, style) = match r.answers.get(&item.id) {
            Some(a) => (answer_text(&entry.survey, item, a), theme.text),
            None if item.required => ("– required".to_string(), theme.error),
            None => ("–".to_string(), theme.muted),
        };
        let id = truncate(&item.id, id_width);
        lines.push(Line::from(vec![
            Span::styled(format!(" {id:<id_width$}  "), theme.accent),
            Span::styled(truncate(&text, width.saturating_sub(id_width + 3)), style),
        ]));
    }
    lines
}
