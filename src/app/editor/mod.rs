//! The note editor: our own text buffer (undo/redo grouped by typing run, word
//! movement, soft wrap computed only for what is on screen) fed with oppi's keys, plus
//! what note taking needs on top: time stamps, quote marks, codes, search, and drafts
//! that restore text and cursor exactly.

mod buffer;
mod history;
mod view;
mod wrap;

#[cfg(test)]
mod tests;
#[cfg(test)]
mod view_tests;

use chrono::NaiveDateTime;

use super::keys::{Key, KeyCode};
use crate::domain::Id;
use crate::domain::interview::{Interview, NoteDraft, stamp};
use buffer::TextBuf;
use history::Pos;
pub use view::NoteView;
use view::Viewport;

pub struct NoteEditor {
    pub interview: Id,
    buf: TextBuf,
    viewport: Viewport,
    /// The screen column ↑↓ keep while moving through shorter rows.
    want_x: Option<usize>,
    /// When note taking started: elapsed-time stamps count from here.
    pub started: NaiveDateTime,
    /// Typed since the last draft save.
    pub unsaved: bool,
    /// Changed since the editor opened (so leaving it has something to settle).
    pub changed: bool,
    pub saved_at: Option<NaiveDateTime>,
    /// The search box, while open.
    pub search: Option<super::text_input::TextInput>,
    pub last_search: String,
    /// The notes as they were stored when the editor opened: if someone else saves them
    /// meanwhile, leaving the editor adds what was typed here to their version.
    pub base: String,
    /// Who is typing (the draft is theirs alone).
    pub by: String,
}

impl NoteEditor {
    /// Opens the notes of `interview`, or the draft left when the editor last closed
    /// abnormally: its text and cursor exactly as they were.
    pub fn open(interview: &Interview, draft: Option<&NoteDraft>, now: NaiveDateTime) -> NoteEditor {
        let text = draft.map_or(interview.notes.as_str(), |d| d.text.as_str());
        let mut buf = TextBuf::new(text);
        let cursor = draft.map_or_else(|| buf.end(), |d| d.cursor);
        buf.set_cursor(cursor);
        NoteEditor {
            interview: interview.id.clone(),
            buf,
            viewport: Viewport::default(),
            want_x: None,
            started: draft.map_or(now, |d| d.started),
            unsaved: false,
            changed: draft.is_some_and(|d| d.text != interview.notes),
            saved_at: None,
            search: None,
            last_search: String::new(),
            base: interview.notes.clone(),
            by: String::new(),
        }
    }

    /// The editor of `by`, whose drafts are kept apart from other evaluators'.
    pub fn typed_by(mut self, by: &str) -> NoteEditor {
        self.by = by.to_string();
        self
    }

    pub fn text(&self) -> String {
        self.buf.lines().join("\n")
    }

    pub fn lines(&self) -> &[String] {
        self.buf.lines()
    }

    /// (line, char in the line).
    pub fn cursor(&self) -> (usize, usize) {
        self.buf.cursor()
    }

    pub fn draft(&self) -> NoteDraft {
        NoteDraft {
            interview: self.interview.clone(),
            text: self.text(),
            cursor: self.cursor(),
            started: self.started,
            by: self.by.clone(),
        }
    }

    fn touched(&mut self) {
        self.unsaved = true;
        self.changed = true;
    }

    /// Edits or moves by one key. Ctrl-Z undoes, Ctrl-Y (or Ctrl-R) redoes; keys that
    /// mean nothing here do nothing.
    pub fn key(&mut self, key: Key) {
        use KeyCode::*;
        let vertical =
            matches!(key.code, Up | Down | PageUp | PageDown) || key.ctrl && matches!(key.code, Char('p') | Char('n'));
        if !vertical {
            self.want_x = None;
        }
        let modified = if let Some(c) = typed(key) {
            self.buf.insert_char(c);
            true
        } else if let Some(pos) = self.motion(key) {
            self.buf.set_cursor(pos);
            false
        } else {
            self.edit(key)
        };
        if modified {
            self.touched();
        }
    }

    /// Where a movement key takes the cursor.
    fn motion(&mut self, key: Key) -> Option<Pos> {
        use KeyCode::*;
        let b = &self.buf;
        let row = b.cursor().0;
        Some(match (key.code, key.ctrl, key.alt) {
            (Left, false, false) | (Char('b'), true, false) => b.left(),
            (Right, false, false) | (Char('f'), true, false) => b.right(),
            (Left, ..) | (Char('b'), false, true) => b.word_left(),
            (Right, ..) | (Char('f'), false, true) => b.word_right(),
            (Home, true, _) | (Char('<'), false, true) => (0, 0),
            (End, true, _) | (Char('>'), false, true) => b.end(),
            (Home, ..) | (Char('a'), true, false) => (row, 0),
            (End, ..) | (Char('e'), true, false) => (row, b.len(row)),
            (Up, ..) | (Char('p'), true, false) => self.vertical(1, false, false),
            (Down, ..) | (Char('n'), true, false) => self.vertical(1, true, false),
            (PageUp, ..) => self.vertical(self.page(), false, true),
            (PageDown, ..) => self.vertical(self.page(), true, true),
            _ => return None,
        })
    }

    /// Applies an editing key; true when the text changed.
    fn edit(&mut self, key: Key) -> bool {
        use KeyCode::*;
        let b = &mut self.buf;
        let (row, col) = b.cursor();
        match (key.code, key.ctrl, key.alt) {
            (Enter, ..) => {
                b.newline();
                true
            }
            (Tab, false, false) => b.insert_str(&" ".repeat(4 - col % 4)),
            (Char('z'), true, _) => b.undo(),
            (Char('y' | 'r'), true, _) => b.redo(),
            (Backspace, false, false) | (Char('h'), true, false) => b.delete_to(b.left()),
            (Delete, false, false) | (Char('d'), true, false) => b.delete_to(b.right()),
            (Backspace, ..) | (Char('w'), true, _) => b.delete_to(b.word_left()),
            (Delete, ..) | (Char('d'), false, true) => b.delete_to(b.word_right()),
            (Char('k'), true, _) if col == b.len(row) => b.delete_to(b.right()),
            (Char('k'), true, _) => b.delete_to((row, usize::MAX)),
            (Char('u'), true, _) => b.delete_to((row, 0)),
            _ => false,
        }
    }

    pub fn paste(&mut self, text: &str) {
        // Terminals send pasted line breaks as \r; notes keep \n only.
        let text = text.replace("\r\n", "\n").replace('\r', "\n");
        self.want_x = None;
        if self.buf.insert_str(&text) {
            self.touched();
        }
    }

    /// Stamps the elapsed interview time at the start of the current line.
    pub fn stamp(&mut self, now: NaiveDateTime) {
        let elapsed = (now - self.started).num_seconds();
        let (row, col) = self.cursor();
        let mark = format!("{} ", stamp(elapsed));
        let line = format!("{mark}{}", self.buf.lines()[row]);
        self.buf.replace_line(row, line, (row, col + mark.chars().count()));
        self.touched();
    }

    /// Marks or unmarks the current paragraph as a quote (`> ` at its start).
    pub fn toggle_quote(&mut self) {
        let (row, col) = self.cursor();
        let line = &self.buf.lines()[row];
        let (line, col) = match line.strip_prefix("> ") {
            Some(rest) => (rest.to_string(), col.saturating_sub(2)),
            None => (format!("> {line}"), col + 2),
        };
        self.buf.replace_line(row, line, (row, col));
        self.touched();
    }

    /// Tags the current paragraph with `#code` (once).
    pub fn add_code(&mut self, code: &str) {
        let (row, col) = self.cursor();
        let line = &self.buf.lines()[row];
        if line.split(' ').any(|w| w.strip_prefix('#').is_some_and(|t| t.eq_ignore_ascii_case(code))) {
            return;
        }
        let sep = if line.ends_with(' ') || line.is_empty() { "" } else { " " };
        let line = format!("{line}{sep}#{code}");
        self.buf.replace_line(row, line, (row, col));
        self.touched();
    }

    /// Moves to the next match of `query` after the cursor (case-insensitive), wrapping
    /// around the end. Returns false when there is none.
    pub fn find_next(&mut self, query: &str) -> bool {
        let q = query.to_lowercase();
        if q.is_empty() {
            return false;
        }
        let (row, col) = self.cursor();
        let n = self.buf.lines().len();
        for step in 0..=n {
            let r = (row + step) % n;
            let from = if step == 0 { col + 1 } else { 0 };
            if let Some(c) = find_in(&self.buf.lines()[r], &q, from) {
                self.want_x = None;
                self.buf.set_cursor((r, c));
                return true;
            }
        }
        false
    }

    /// Puts the cursor at the start of `line`, shown at the top of the screen.
    pub fn jump_to_line(&mut self, line: usize) {
        self.want_x = None;
        self.buf.set_cursor((line, 0));
        self.viewport.set_top((self.cursor().0, 0));
    }
}

/// The character a key types. Ctrl+Alt is AltGr on some terminals, which types '@',
/// '{' or '|' on Nordic keyboards.
fn typed(key: Key) -> Option<char> {
    match key.code {
        KeyCode::Char(c) if c.is_control() => None,
        KeyCode::Char(c) if key.ctrl == key.alt && (!key.ctrl || !c.is_ascii_alphanumeric()) => Some(c),
        _ => None,
    }
}

/// The char index of the first case-insensitive match of `lower_query` in `line` at or
/// after char `from`. Lowercasing may change the length of a char ("İ"), so matches are
/// found in the lowercased line and mapped back.
fn find_in(line: &str, lower_query: &str, from: usize) -> Option<usize> {
    let mut lower = String::with_capacity(line.len());
    // Where each char of `line` starts in `lower`.
    let mut starts = Vec::with_capacity(line.len());
    for c in line.chars() {
        starts.push(lower.len());
        lower.extend(c.to_lowercase());
    }
    (from..starts.len()).find(|&i| lower[starts[i]..].starts_with(lower_query))
}
