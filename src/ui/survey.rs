//! The survey screens: the list of instruments, and one survey's tally as horizontal
//! bars with n, "can't say" and missing on every item, a low-n warning, groups of a
//! breakdown side by side, and the coverage matrix. Pilots appear in portfolio order.

use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::style::Style;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Cell, Paragraph, Row, Table, TableState};

use super::widgets::truncate;
use crate::app::App;
use crate::app::survey_view::{TallyView, coverage, pilot_matcher, pilot_name};
use crate::domain::survey::{Item, ItemStats, ItemTally, LOW_N, Survey, Tally, tally_with};
use crate::ui::Theme;

/// Narrowest group column of a breakdown.
const MIN_COLUMN: usize = 20;
/// Width of one round column in the coverage matrix.
const ROUND_COLUMN: usize = 5;

pub fn render_list(frame: &mut Frame, area: Rect, app: &App, theme: &Theme, selected: usize) {
    if area.width == 0 || area.height == 0 {
        return;
    }
    let [bar, table, about] =
        Layout::vertical([Constraint::Length(1), Constraint::Fill(1), Constraint::Length(2)]).areas(area);
    frame.render_widget(
        Line::from(vec![
            Span::styled(" Surveys", theme.header),
            Span::styled(
                format!("  {} instrument(s) · enter: tally · n: enter a response", app.data.surveys.len()),
                theme.muted,
            ),
        ]),
        bar,
    );
    if app.data.surveys.is_empty() {
        frame.render_widget(
            Line::styled(
                " No survey instruments: add *.toml files with --surveys DIR (or the config key surveys).",
                theme.muted,
            ),
            table,
        );
        return;
    }
    let portfolio = app.data.pilots.iter().filter(|p| !p.archived).count();
    let rows: Vec<Row> = app
        .data
        .surveys
        .iter()
        .map(|s| {
            // "…" while the responses are still being read.
            let counts = app.survey_counts(&s.id);
            let (responses, pilots, rounds) = match counts.as_deref() {
                None => ("…".to_string(), "…".to_string(), "…".to_string()),
                Some(c) => (
                    c.responses.to_string(),
                    format!("{:>3} of {portfolio}", c.pilots.len()),
                    match c.rounds.as_slice() {
                        [] => "–".to_string(),
                        [one] => one.to_string(),
                        [first, .., last] => format!("{first}–{last}"),
                    },
                ),
            };
            Row::new(vec![
                Cell::from(s.title.clone()),
                Cell::from(s.id.clone()),
                Cell::from(format!("{:>3}", s.version)),
                Cell::from(format!("{:>5}", s.items.len())),
                Cell::from(format!("{responses:>9}")),
                Cell::from(pilots),
                Cell::from(rounds),
            ])
        })
        .collect();
    let header = Row::new(vec!["Survey", "Id", "Ver", "Items", "Responses", "Pilots", "Rounds"]).style(theme.header);
    let widths = [
        Constraint::Fill(2),
        Constraint::Fill(1),
        Constraint::Length(3),
        Constraint::Length(5),
        Constraint::Length(9),
        Constraint::Length(9),
        Constraint::Length(6),
    ];
    let mut state = TableState::default().with_selected(Some(selected));
    frame.render_stateful_widget(
        Table::new(rows, widths).header(header).column_spacing(1).row_highlight_style(theme.selected),
        table,
        &mut state,
    );
    if let Some(s) = app.data.surveys.get(selected) {
        let text = s.description.clone().unwrap_or_default();
        frame.render_widget(Paragraph::new(Line::styled(format!(" {text}"), theme.muted)), about);
    }
}

pub fn render_tally(frame: &mut Frame, area: Rect, app: &App, theme: &Theme, view: &TallyView) {
    if area.width == 0 || area.height == 0 {
        return;
    }
    let Some(survey) = app.data.survey(&view.survey) else {
        frame.render_widget(Line::styled(format!(" No survey '{}'.", view.survey), theme.error), area);
        return;
    };
    // The tally is computed in `update`; this is only a fallback for a view built by hand.
    let computed;
    let tally = match &view.tally {
        Some(t) => t,
        None => {
            let responses = app.data.survey_responses(&survey.id);
            computed = tally_with(survey, responses, &view.filter(), pilot_matcher(&app.data.pilots)).ok();
            match &computed {
                Some(t) => t,
                None => return,
            }
        }
    };
    let [bar, filters, body] =
        Layout::vertical([Constraint::Length(1), Constraint::Length(1), Constraint::Fill(1)]).areas(area);
    let s = if tally.respondents == 1 { "" } else { "s" };
    frame.render_widget(
        Line::from(vec![
            Span::styled(format!(" {}", survey.title), theme.header),
            Span::styled(format!(" · {} respondent{s}", tally.respondents), theme.text),
            Span::styled(format!(" · {} v{}", survey.id, survey.version), theme.muted),
        ]),
        bar,
    );
    let filter = |label: &str, value: Option<String>| {
        let style = if value.is_some() { theme.accent } else { theme.muted };
        Span::styled(format!(" {label} {} ", value.unwrap_or_else(|| "all".into())), style)
    };
    let by = view.by.as_ref().map(|b| format!("by {b}")).unwrap_or_else(|| "no breakdown".into());
    let mut spans = vec![
        filter("pilot", view.pilot.as_deref().map(|p| pilot_name(&app.data, p).to_string())),
        Span::styled("│", theme.border),
        filter("round", view.round.map(|r| r.to_string())),
        Span::styled("│", theme.border),
        Span::styled(format!(" {by} "), if view.by.is_some() { theme.accent } else { theme.muted }),
    ];
    if view.coverage {
        spans.push(Span::styled("│", theme.border));
        spans.push(Span::styled(" coverage ", theme.accent));
    }
    frame.render_widget(Line::from(spans), filters);
    if view.coverage {
        render_coverage(frame, body, app, theme, view);
    } else if tally.groups.is_some() {
        render_groups(frame, body, survey, tally, theme, view);
    } else {
        render_items(frame, body, survey, tally, theme, view);
    }
}

/// One bar of an item: a scale point, a choice, "can't say", an NPS band.
struct BarRow {
    label: String,
    count: u64,
    /// "Can't say": counted in n, kept out of mean and median; drawn muted.
    aside: bool,
}

fn bar_rows(survey: &Survey, item: &Item, it: &ItemTally) -> Vec<BarRow> {
    let row = |label: String, count: u64| BarRow { label, count, aside: false };
    match &it.stats {
        ItemStats::Scale { counts, dont_know, .. } => {
            let scale = survey.scale_of(item);
            let mut rows: Vec<BarRow> = counts
                .iter()
                .map(|(v, c)| {
                    let label = scale
                        .and_then(|s| s.points.iter().find(|p| p.value.to_string() == *v))
                        .map(|p| p.label.as_str())
                        .filter(|l| l != v);
                    row(label.map_or(v.clone(), |l| format!("{v} {l}")), *c)
                })
                .collect();
            if let Some(dk) = dont_know {
                let label = scale.and_then(|s| s.dont_know.clone()).unwrap_or_else(|| "Don't know".into());
                rows.push(BarRow { label, count: *dk, aside: true });
            }
            rows
        }
        ItemStats::Choice { counts } => {
            counts.iter().map(|(k, c)| row(item.find_choice(k).map_or(k.clone(), |ch| ch.label.clone()), *c)).collect()
        }
        ItemStats::Nps { promoters, passives, detractors, .. } => vec![
            row("promoters 9–10".into(), *promoters),
            row("passives 7–8".into(), *passives),
            row("detractors 0–6".into(), *detractors),
        ],
        ItemStats::Number { .. } | ItemStats::Text => vec![],
    }
}

/// "n=66 · can't say 5 · missing 7"; `short` for narrow group columns.
fn figures(survey: &Survey, item: &Item, it: &ItemTally, short: bool) -> String {
    let mut parts = vec![format!("n={}", it.n)];
    if let ItemStats::Scale { dont_know: Some(dk), .. } = &it.stats {
        let label = if short {
            "dk".to_string()
        } else {
            lower_first(survey.scale_of(item).and_then(|s| s.dont_know.as_deref()).unwrap_or("don't know"))
        };
        parts.push(format!("{label} {dk}"));
    }
    parts.push(if short { format!("miss {}", it.missing) } else { format!("missing {}", it.missing) });
    parts.join(" · ")
}

fn lower_first(s: &str) -> String {
    let mut c = s.chars();
    c.next().map_or_else(String::new, |f| f.to_lowercase().chain(c).collect())
}

fn num(x: Option<f64>) -> String {
    x.map_or("–".into(), |x| if x.fract() == 0.0 { format!("{x:.0}") } else { format!("{x}") })
}

/// Mean and median, the NPS score, or what a text item holds.
fn stats(it: &ItemTally, short: bool) -> Option<String> {
    match &it.stats {
        ItemStats::Scale { mean, median, dont_know, .. } if it.n > 0 => Some(if short {
            format!("mean {} · md {}", num(*mean), num(*median))
        } else {
            let aside = if dont_know.is_some() { " (can't say left out)" } else { "" };
            format!("mean {} · median {}{aside}", num(*mean), num(*median))
        }),
        ItemStats::Number { mean, median, min, max } if it.n > 0 => Some(if short {
            format!("mean {} · md {}", num(*mean), num(*median))
        } else {
            format!("mean {} · median {} · min {} · max {}", num(*mean), num(*median), num(*min), num(*max))
        }),
        ItemStats::Nps { score: Some(s), .. } => Some(format!("NPS {s:+.0}")),
        ItemStats::Text if !short => Some("free text: read the answers in the export".into()),
        _ => None,
    }
}

/// A bar of up to `width` cells for `count` out of the largest `top`; at least one cell
/// for any count above zero, so a single answer never looks like none.
fn bar(count: u64, top: u64, width: usize) -> String {
    if top == 0 || count == 0 || width == 0 {
        return String::new();
    }
    let cells = ((count as f64 / top as f64) * width as f64).round().max(1.0) as usize;
    "█".repeat(cells.min(width))
}

fn pct(count: u64, n: u64) -> String {
    if n == 0 || count == 0 { String::new() } else { format!("{:.0}%", 100.0 * count as f64 / n as f64) }
}

fn pad(text: &str, width: usize) -> String {
    let t = truncate(text, width);
    let len = t.chars().count();
    format!("{t}{}", " ".repeat(width.saturating_sub(len)))
}

/// An item's heading line: id and text, the selected one marked.
fn heading<'a>(item: &Item, selected: bool, width: usize, theme: &Theme) -> Line<'a> {
    let marker = if selected { "▸ " } else { "  " };
    let id_style = if selected { theme.selected } else { theme.title };
    let text_width = width.saturating_sub(item.id.chars().count() + 4);
    Line::from(vec![
        Span::styled(marker.to_string(), theme.accent),
        Span::styled(item.id.clone(), id_style),
        Span::raw("  "),
        Span::styled(truncate(&item.text, text_width), theme.text),
    ])
}

/// Shows `lines` scrolled so the selected item's block (`blocks[selected]` = its first
/// and one-past-last line) is in view.
fn show_scrolled(frame: &mut Frame, area: Rect, lines: Vec<Line>, block: (usize, usize)) {
    let height = area.height as usize;
    let (start, end) = block;
    let scroll = if end > height { start.min(end - height) } else { 0 };
    let scroll = u16::try_from(scroll).unwrap_or(u16::MAX);
    frame.render_widget(Paragraph::new(lines).scroll((scroll, 0)), area);
}

fn no_responses_line<'a>(tally: &Tally, theme: &Theme) -> Option<Line<'a>> {
    (tally.respondents == 0).then(|| {
        Line::styled(" No responses match: n enters one; `oppi survey import` reads a CSV file.", theme.warning)
    })
}

fn render_items(frame: &mut Frame, area: Rect, survey: &Survey, tally: &Tally, theme: &Theme, view: &TallyView) {
    let width = area.width as usize;
    let mut lines: Vec<Line> = Vec::new();
    lines.extend(no_responses_line(tally, theme));
    let mut block = (0, 0);
    for (i, item) in survey.items.iter().enumerate() {
        let Some(it) = tally.item(&item.id) else { continue };
        let start = lines.len();
        lines.push(heading(item, i == view.selected, width, theme));
        let mut fig = vec![Span::styled(format!("    {}", figures(survey, item, it, false)), theme.text)];
        if it.is_low_n() {
            fig.push(Span::styled(format!("  ⚠ low n (under {LOW_N})"), theme.warning));
        }
        lines.push(Line::from(fig));
        if let Some(s) = stats(it, false) {
            lines.push(Line::styled(format!("    {s}"), theme.muted));
        }
        let rows = bar_rows(survey, item, it);
        let label_width = rows.iter().map(|r| r.label.chars().count()).max().unwrap_or(0).min(28).min(width / 3);
        let top = rows.iter().map(|r| r.count).max().unwrap_or(0);
        // "  12  48%" after the bar.
        let bar_width = width.saturating_sub(4 + label_width + 1 + 11);
        for r in &rows {
            let style = if r.aside { theme.muted } else { theme.accent };
            lines.push(Line::from(vec![
                Span::styled(
                    format!("    {} ", pad(&r.label, label_width)),
                    if r.aside { theme.muted } else { theme.text },
                ),
                Span::styled(bar(r.count, top, bar_width), style),
                Span::styled(format!(" {} ", r.count), theme.text),
                Span::styled(pct(r.count, it.n), theme.muted),
            ]));
        }
        lines.push(Line::from(""));
        if i == view.selected {
            block = (start, lines.len());
        }
    }
    show_scrolled(frame, area, lines, block);
}

/// A column of a breakdown: its name, respondents, and the item tallies.
type Column<'a> = (String, u64, &'a [ItemTally]);

/// A breakdown: the label gutter, then one column for everyone and one per group,
/// as many as fit; ←→ scroll the groups.
fn render_groups(frame: &mut Frame, area: Rect, survey: &Survey, tally: &Tally, theme: &Theme, view: &TallyView) {
    let width = area.width as usize;
    let groups = tally.groups.as_deref().unwrap_or_default();
    let by_item = view.by.as_deref().and_then(|b| survey.item(b));
    // Column 0 is everyone; then the groups in the by item's choice order.
    let mut columns: Vec<Column> = vec![("All".into(), tally.respondents, &tally.items)];
    for g in groups {
        let name = by_item.and_then(|i| i.find_choice(&g.value)).map_or(g.value.clone(), |c| c.label.clone());
        columns.push((name, g.respondents, &g.items));
    }
    let gutter = (width / 4).min(22);
    let visible = (width.saturating_sub(gutter) / MIN_COLUMN).clamp(1, columns.len());
    let col_width = (width.saturating_sub(gutter) / visible).max(1);
    // "All" stays as the reference; ←→ scroll the groups beside it. When only one
    // column fits, ←→ scroll through all of them.
    let (first, shown): (usize, Vec<&Column>) = if visible == 1 {
        let first = view.column.min(columns.len() - 1);
        (first, vec![&columns[first]])
    } else {
        let first = 1 + view.column.min(columns.len() - visible);
        (first, std::iter::once(&columns[0]).chain(&columns[first..first + visible - 1]).collect())
    };
    let hidden_left = if visible == 1 { first > 0 } else { first > 1 };

    let [head, rest] = Layout::vertical([Constraint::Length(1), Constraint::Fill(1)]).areas(area);
    let mut spans = vec![Span::styled(pad(if hidden_left { " ◂ more" } else { "" }, gutter), theme.muted)];
    for (k, (name, respondents, _)) in shown.iter().enumerate() {
        let more = k + 1 == shown.len() && first + shown.len() - usize::from(visible > 1) < columns.len();
        let text = format!("{name} ({respondents}){}", if more { " ▸" } else { "" });
        let style = if *respondents < LOW_N { theme.warning } else { theme.header };
        spans.push(Span::styled(pad(&text, col_width.saturating_sub(1)), style));
        spans.push(Span::raw(" "));
    }
    frame.render_widget(Line::from(spans), head);

    let mut lines: Vec<Line> = Vec::new();
    lines.extend(no_responses_line(tally, theme));
    let mut block = (0, 0);
    let cell = col_width.saturating_sub(1);
    for (i, item) in survey.items.iter().enumerate() {
        let its: Vec<Option<&ItemTally>> =
            shown.iter().map(|(_, _, items)| items.iter().find(|t| t.id == item.id)).collect();
        let Some(all) = its.first().copied().flatten() else { continue };
        let start = lines.len();
        lines.push(heading(item, i == view.selected, width, theme));
        // n, can't say and missing for every group; ⚠ where n is low.
        let mut fig = vec![Span::raw(" ".repeat(gutter))];
        for it in &its {
            let Some(it) = it else { continue };
            let (text, style) = if it.is_low_n() {
                (format!("⚠ {}", figures(survey, item, it, true)), theme.warning)
            } else {
                (figures(survey, item, it, true), theme.text)
            };
            fig.push(Span::styled(pad(&text, cell), style));
            fig.push(Span::raw(" "));
        }
        lines.push(Line::from(fig));
        if its.iter().flatten().any(|it| stats(it, true).is_some()) {
            let mut st = vec![Span::raw(" ".repeat(gutter))];
            for it in its.iter().flatten() {
                st.push(Span::styled(pad(&stats(it, true).unwrap_or_default(), cell), theme.muted));
                st.push(Span::raw(" "));
            }
            lines.push(Line::from(st));
        }
        let labels = bar_rows(survey, item, all);
        let per_col: Vec<Vec<BarRow>> =
            its.iter().map(|it| it.map(|t| bar_rows(survey, item, t)).unwrap_or_default()).collect();
        for (r, label) in labels.iter().enumerate() {
            let mut spans = vec![Span::styled(
                pad(&format!("  {}", label.label), gutter),
                if label.aside { theme.muted } else { theme.text },
            )];
            for (rows, it) in per_col.iter().zip(&its) {
                let (Some(row), Some(it)) = (rows.get(r), it) else { continue };
                let top = rows.iter().map(|x| x.count).max().unwrap_or(0);
                let suffix = format!(" {} {}", row.count, pct(row.count, it.n));
                let bar_width = cell.saturating_sub(suffix.chars().count());
                let b = bar(row.count, top, bar_width);
                let used = b.chars().count() + suffix.chars().count();
                spans.push(Span::styled(b, if row.aside { theme.muted } else { theme.accent }));
                spans.push(Span::styled(truncate(&suffix, cell), theme.text));
                spans.push(Span::raw(" ".repeat(cell.saturating_sub(used) + 1)));
            }
            lines.push(Line::from(spans));
        }
        lines.push(Line::from(""));
        if i == view.selected {
            block = (start, lines.len());
        }
    }
    show_scrolled(frame, rest, lines, block);
}

/// Pilots (rows, portfolio order) × rounds (columns): how many responses. Pilots that
/// never answered are flagged, not hidden.
fn render_coverage(frame: &mut Frame, area: Rect, app: &App, theme: &Theme, view: &TallyView) {
    let cov = coverage(&app.data, &view.survey);
    let width = area.width as usize;
    let name_width = (width / 3).min(26);
    let flag = "⚠ no responses";
    let flag_width = flag.chars().count() + 2;
    let room = width.saturating_sub(name_width + 7 + flag_width);
    let visible = (room / ROUND_COLUMN).clamp(1, cov.rounds.len().max(1)).min(cov.rounds.len());
    let first = view.column.min(cov.rounds.len() - visible);
    let mut lines = vec![
        Line::from(vec![
            Span::styled(" Coverage: responses per pilot and round", theme.header),
            Span::styled(
                format!(
                    " · {} of {} pilots answered · portfolio order, not a ranking{}",
                    cov.answered(),
                    cov.pilots(),
                    if view.pilot.is_some() || view.round.is_some() {
                        " · pilot and round filters do not apply"
                    } else {
                        ""
                    }
                ),
                theme.muted,
            ),
        ]),
        Line::styled(
            if cov.rounds.contains(&None) {
                " rN = round N · none = responses without a round"
            } else {
                " rN = round N"
            },
            theme.muted,
        ),
    ];
    let mut head = vec![Span::styled(pad(" Pilot", name_width), theme.header)];
    for (k, round) in cov.rounds[first..first + visible].iter().enumerate() {
        let mut text = round.map_or("none".to_string(), |r| format!("r{r}"));
        if k == 0 && first > 0 {
            text = format!("◂{text}");
        }
        if k + 1 == visible && first + visible < cov.rounds.len() {
            text.push('▸');
        }
        head.push(Span::styled(format!("{text:>ROUND_COLUMN$}"), theme.header));
    }
    head.push(Span::styled(format!("{:>7}", "all"), theme.header));
    lines.push(Line::from(head));
    let rows_room = (area.height as usize).saturating_sub(lines.len());
    let skip = view.scroll.min(cov.rows.len().saturating_sub(rows_room));
    for row in cov.rows.iter().skip(skip) {
        let none = row.total == 0;
        let name_style = if none { theme.warning } else { theme.text };
        let mut spans = vec![Span::styled(pad(&format!(" {}", row.name), name_width), name_style)];
        for c in &row.counts[first..first + visible] {
            let text = if *c == 0 { "–".to_string() } else { c.to_string() };
            spans.push(Span::styled(format!("{text:>ROUND_COLUMN$}"), if *c == 0 { theme.muted } else { theme.text }));
        }
        spans.push(Span::styled(format!("{:>7}", row.total), Style::default().patch(theme.text)));
        if none && row.pilot.is_some() {
            spans.push(Span::styled(format!("  {flag}"), theme.warning));
        }
        lines.push(Line::from(spans));
    }
    frame.render_widget(Paragraph::new(lines), area);
}
