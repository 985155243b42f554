//! What the editor shows: the screen rows from the scroll top down, wrapped as they are
//! drawn. Only the lines on screen (and, to keep the cursor visible, those between the
//! top and the cursor) are ever wrapped, so a keystroke costs the same in a short note
//! and in a 20,000-word one.

use std::borrow::Cow;
use std::cell::OnceCell;
use std::sync::atomic::{AtomicUsize, Ordering::Relaxed};

use ratatui::buffer::Buffer;
use ratatui::layout::Rect;
use ratatui::style::{Modifier, Style};
use ratatui::widgets::Widget;

use super::NoteEditor;
use super::history::Pos;
use super::wrap::{col_at, glyph, locate, row_starts};

/// The scroll top and the size last drawn. Rendering takes `&NoteEditor` (the app is
/// drawn from `&App`), so these change behind a shared reference.
#[derive(Debug, Default)]
pub struct Viewport {
    top_line: AtomicUsize,
    top_row: AtomicUsize,
    width: AtomicUsize,
    height: AtomicUsize,
}

impl Viewport {
    pub fn top(&self) -> Pos {
        (self.top_line.load(Relaxed), self.top_row.load(Relaxed))
    }

    pub fn set_top(&self, (line, row): Pos) {
        self.top_line.store(line, Relaxed);
        self.top_row.store(row, Relaxed);
    }

    /// Width and height of the last frame (0 before the first).
    pub fn size(&self) -> (usize, usize) {
        (self.width.load(Relaxed), self.height.load(Relaxed))
    }

    fn set_size(&self, width: usize, height: usize) {
        self.width.store(width, Relaxed);
        self.height.store(height, Relaxed);
    }
}

/// Screen rows of `lines` at a width; a position is (line, row within the line).
pub struct Rows<'a> {
    lines: &'a [String],
    width: usize,
    /// The cursor's line, whose end always has a cell (see `row_starts`), and its
    /// rows, wrapped once however often they are asked for (a paragraph can be long).
    cursor_line: usize,
    cursor_rows: OnceCell<Vec<usize>>,
}

impl<'a> Rows<'a> {
    pub fn new(lines: &'a [String], width: usize, cursor_line: usize) -> Rows<'a> {
        Rows { lines, width, cursor_line, cursor_rows: OnceCell::new() }
    }

    /// Where each row of `line` starts (see `row_starts`).
    pub fn starts(&self, line: usize) -> Cow<'_, [usize]> {
        let wrap = |l: &String| row_starts(l, self.width, line == self.cursor_line);
        match self.lines.get(line) {
            None => Cow::Owned(vec![0]),
            Some(l) if line == self.cursor_line => Cow::Borrowed(self.cursor_rows.get_or_init(|| wrap(l))),
            Some(l) => Cow::Owned(wrap(l)),
        }
    }

    fn count(&self, line: usize) -> usize {
        self.starts(line).len()
    }

    /// `n` rows further down, stopping at the last row.
    pub fn down(&self, (mut line, mut row): Pos, n: usize) -> Pos {
        let mut left = n;
        loop {
            let last = self.count(line) - 1;
            row = row.min(last);
            if left <= last - row {
                return (line, row + left);
            }
            if line + 1 >= self.lines.len() {
                return (line, last);
            }
            left -= last - row + 1;
            line += 1;
            row = 0;
        }
    }

    /// `n` rows further up, stopping at the first row.
    pub fn up(&self, (mut line, mut row): Pos, n: usize) -> Pos {
        let mut left = n;
        loop {
            if left <= row {
                return (line, row - left);
            }
            if line == 0 {
                return (0, 0);
            }
            left -= row + 1;
            line -= 1;
            row = self.count(line) - 1;
        }
    }

    /// Rows from `a` down to `b` (`a` <= `b`), counting no further than `cap`.
    fn distance(&self, a: Pos, b: Pos, cap: usize) -> usize {
        if a.0 == b.0 {
            return b.1.saturating_sub(a.1);
        }
        let mut d = self.count(a.0).saturating_sub(a.1);
        for line in a.0 + 1..b.0 {
            if d >= cap {
                return cap;
            }
            d += self.count(line);
        }
        d + b.1
    }

    /// The last row of the text.
    fn last(&self) -> Pos {
        let line = self.lines.len().saturating_sub(1);
        (line, self.count(line) - 1)
    }
}

impl NoteEditor {
    /// The wrap width of the last frame; no wrapping before the first.
    fn rows(&self) -> Rows<'_> {
        let width = match self.viewport.size().0 {
            0 => usize::MAX,
            w => w,
        };
        Rows::new(self.buf.lines(), width, self.buf.cursor().0)
    }

    /// Where `n` screen rows down (or up) is, in the column the cursor started from; from
    /// the first (last) row, the start (end) of the text. A page turns the screen too.
    pub(super) fn vertical(&mut self, n: usize, down: bool, page: bool) -> Pos {
        let rows = self.rows();
        let (row, col) = self.buf.cursor();
        let starts = rows.starts(row);
        let (sub, x) = locate(&rows.lines[row], &starts, col);
        let want = self.want_x.unwrap_or(x);
        let from = (row, sub);
        let to = if down { rows.down(from, n) } else { rows.up(from, n) };
        let target = if to == from {
            if down { self.buf.end() } else { (0, 0) }
        } else {
            let starts = rows.starts(to.0);
            (to.0, col_at(&rows.lines[to.0], &starts, to.1, want))
        };
        if page {
            // The page turns with the cursor; the last page stays full.
            let top = self.viewport.top();
            let top = if down {
                let height = self.viewport.size().1.max(1);
                rows.down(top, n).min(rows.up(rows.last(), height - 1))
            } else {
                rows.up(top, n)
            };
            self.viewport.set_top(top);
        }
        self.want_x = Some(want);
        target
    }

    /// Rows a page moves: the height last drawn.
    pub(super) fn page(&self) -> usize {
        self.viewport.size().1.max(1)
    }

    /// The text with the cursor cell in `cursor` style, wrapped to the area.
    pub fn view(&self, cursor: Style) -> NoteView<'_> {
        NoteView { editor: self, cursor }
    }
}

pub struct NoteView<'a> {
    editor: &'a NoteEditor,
    cursor: Style,
}

impl Widget for &NoteEditor {
    fn render(self, area: Rect, buf: &mut Buffer) {
        self.view(Style::default().add_modifier(Modifier::REVERSED)).render(area, buf);
    }
}

impl Widget for NoteView<'_> {
    fn render(self, area: Rect, buf: &mut Buffer) {
        let area = area.intersection(buf.area);
        let ed = self.editor;
        ed.viewport.set_size(area.width as usize, area.height as usize);
        if area.is_empty() {
            return;
        }
        let (width, height) = (area.width as usize, area.height as usize);
        let (cline, ccol) = ed.buf.cursor();
        let rows = Rows::new(ed.buf.lines(), width, cline);
        let cursor_starts = rows.starts(cline);
        let (crow, cx) = locate(&rows.lines[cline], &cursor_starts, ccol);
        let cursor = (cline, crow);

        // Scroll just enough for the cursor to show.
        let (tl, tr) = ed.viewport.top();
        let tl = tl.min(rows.lines.len() - 1);
        let mut top = (tl, tr.min(rows.count(tl) - 1));
        if cursor < top {
            top = cursor;
        } else if rows.distance(top, cursor, height) >= height {
            top = rows.up(cursor, height - 1);
        }
        // No blank rows under the end of the text while there is text above the top
        // (after deleting at the end, or a taller window).
        let last = rows.last();
        if top > (0, 0) && rows.distance(top, last, height) < height - 1 {
            top = top.min(rows.up(last, height - 1));
        }
        ed.viewport.set_top(top);

        let (mut line, mut row) = top;
        let mut y = 0;
        while y < height && line < rows.lines.len() {
            let starts = rows.starts(line);
            let text = &rows.lines[line];
            // Char index → byte offset, walking the line once however many rows it has.
            let mut at = (0, 0);
            let mut byte = |col: usize| {
                if col > at.0 {
                    at.1 += text[at.1..].char_indices().nth(col - at.0).map_or(text.len() - at.1, |(b, _)| b);
                    at.0 = col;
                }
                at.1
            };
            while row < starts.len() && y < height {
                let begin = byte(starts[row]);
                let end = starts.get(row + 1).map_or(text.len(), |&e| byte(e));
                let at_y = area.y + y as u16;
                draw_row(buf, area.x, at_y, width, &text[begin..end]);
                if (line, row) == cursor {
                    let x = area.x + cx.min(width - 1) as u16;
                    if let Some(cell) = buf.cell_mut((x, at_y)) {
                        cell.set_style(self.cursor);
                    }
                }
                y += 1;
                row += 1;
            }
            line += 1;
            row = 0;
        }
    }
}

/// Draws one screen row from (x0, y), at most `width` cells.
fn draw_row(buf: &mut Buffer, x0: u16, y: u16, width: usize, row: &str) {
    let mut x = 0;
    let mut last: Option<u16> = None;
    for c in row.chars() {
        let (g, w) = glyph(c);
        if w == 0 {
            // Combining marks join the char before; a zero-width joiner would make the
            // terminal merge two cells into one, so it is left out.
            if let (Some(px), false) = (last, c == '\u{200d}')
                && let Some(cell) = buf.cell_mut((px, y))
            {
                let symbol = format!("{}{g}", cell.symbol());
                cell.set_symbol(&symbol);
            }
            continue;
        }
        if x + w > width {
            break;
        }
        let at = x0 + x as u16;
        if let Some(cell) = buf.cell_mut((at, y)) {
            cell.set_char(g);
        }
        for k in 1..w {
            if let Some(cell) = buf.cell_mut((at + k as u16, y)) {
                cell.reset();
            }
        }
        last = Some(at);
        x += w;
    }
}
