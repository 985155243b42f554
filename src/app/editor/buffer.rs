//! The text of a note as lines, a cursor and the undo history. Every position is
//! (line, char index), so "ä" and "😀" are one step each. There is always at least
//! one line, and the cursor is always on the text.

use super::history::{Edit, History, Kind, Pos};

pub struct TextBuf {
    lines: Vec<String>,
    cursor: Pos,
    history: History,
}

impl TextBuf {
    pub fn new(text: &str) -> TextBuf {
        TextBuf { lines: text.split('\n').map(String::from).collect(), cursor: (0, 0), history: History::default() }
    }

    pub fn lines(&self) -> &[String] {
        &self.lines
    }

    pub fn cursor(&self) -> Pos {
        self.cursor
    }

    /// Chars in line `row`.
    pub fn len(&self, row: usize) -> usize {
        self.lines.get(row).map_or(0, |l| l.chars().count())
    }

    pub fn end(&self) -> Pos {
        let last = self.lines.len() - 1;
        (last, self.len(last))
    }

    /// Puts the cursor at `pos`, clamped to the text. A move ends the running undo step.
    pub fn set_cursor(&mut self, pos: Pos) {
        let row = pos.0.min(self.lines.len() - 1);
        self.cursor = (row, pos.1.min(self.len(row)));
        self.history.seal();
    }

    /// Replaces lines `first .. first + count` with `new`, recording the step.
    fn apply(&mut self, first: usize, count: usize, new: Vec<String>, cursor: Pos, kind: Kind) {
        let before: Vec<String> = self.lines.splice(first..first + count, new.iter().cloned()).collect();
        let edit = Edit { at: first, before, after: new, cursor_before: self.cursor, cursor_after: cursor };
        self.history.record(edit, kind);
        self.cursor = cursor;
    }

    /// Types one character. A space after a word starts a new undo step.
    pub fn insert_char(&mut self, c: char) {
        let (row, col) = self.cursor;
        let line = &self.lines[row];
        if c.is_whitespace() && col > 0 && line.chars().nth(col - 1).is_some_and(|p| !p.is_whitespace()) {
            self.history.seal();
        }
        let mut new = line.clone();
        new.insert(byte(line, col), c);
        self.apply(row, 1, vec![new], (row, col + 1), Kind::Typing);
    }

    /// Inserts text that may hold line breaks, as one undo step. False when empty.
    pub fn insert_str(&mut self, text: &str) -> bool {
        if text.is_empty() {
            return false;
        }
        self.history.seal();
        let (row, col) = self.cursor;
        let line = &self.lines[row];
        let (head, tail) = line.split_at(byte(line, col));
        let mut new: Vec<String> = text.split('\n').map(String::from).collect();
        new[0].insert_str(0, head);
        let last = new.len() - 1;
        let cursor = (row + last, new[last].chars().count());
        new[last].push_str(tail);
        self.apply(row, 1, new, cursor, Kind::Other);
        self.history.seal();
        true
    }

    /// Splits the line at the cursor.
    pub fn newline(&mut self) {
        self.history.seal();
        let (row, col) = self.cursor;
        let line = &self.lines[row];
        let (head, tail) = line.split_at(byte(line, col));
        let new = vec![head.to_string(), tail.to_string()];
        self.apply(row, 1, new, (row + 1, 0), Kind::Other);
    }

    /// Deletes the text between the cursor and `to` (either side of it), joining lines
    /// when it spans more than one. The cursor ends where the deletion started.
    pub fn delete_to(&mut self, to: Pos) -> bool {
        let to = (to.0.min(self.lines.len() - 1), to.1.min(self.len(to.0.min(self.lines.len() - 1))));
        let (a, b) = if to < self.cursor { (to, self.cursor) } else { (self.cursor, to) };
        if a == b {
            return false;
        }
        let single_char = a.0 == b.0 && b.1 == a.1 + 1;
        let kind = if single_char { Kind::Deleting } else { Kind::Other };
        if !single_char {
            self.history.seal();
        }
        let first = &self.lines[a.0];
        let last = &self.lines[b.0];
        let new = format!("{}{}", &first[..byte(first, a.1)], &last[byte(last, b.1)..]);
        self.apply(a.0, b.0 - a.0 + 1, vec![new], a, kind);
        if !single_char {
            self.history.seal();
        }
        true
    }

    /// Replaces one line wholesale (stamps, quote marks, codes), as its own undo step.
    pub fn replace_line(&mut self, row: usize, new: String, cursor: Pos) {
        self.history.seal();
        self.apply(row, 1, vec![new], cursor, Kind::Other);
        self.history.seal();
    }

    pub fn undo(&mut self) -> bool {
        let Some(edit) = self.history.undo() else { return false };
        let (at, n) = (edit.at, edit.after.len());
        let (lines, cursor) = (edit.before.clone(), edit.cursor_before);
        self.lines.splice(at..at + n, lines);
        self.cursor = cursor;
        true
    }

    pub fn redo(&mut self) -> bool {
        let Some(edit) = self.history.redo() else { return false };
        let (at, n) = (edit.at, edit.before.len());
        let (lines, cursor) = (edit.after.clone(), edit.cursor_after);
        self.lines.splice(at..at + n, lines);
        self.cursor = cursor;
        true
    }

    /// One char left, or to the end of the line above.
    pub fn left(&self) -> Pos {
        match self.cursor {
            (0, 0) => (0, 0),
            (row, 0) => (row - 1, self.len(row - 1)),
            (row, col) => (row, col - 1),
        }
    }

    /// One char right, or to the start of the line below.
    pub fn right(&self) -> Pos {
        let (row, col) = self.cursor;
        if col < self.len(row) {
            (row, col + 1)
        } else if row + 1 < self.lines.len() {
            (row + 1, 0)
        } else {
            (row, col)
        }
    }

    /// The start of the word before the cursor (or the end of the line above).
    pub fn word_left(&self) -> Pos {
        let (row, col) = self.cursor;
        if col == 0 {
            return self.left();
        }
        let chars: Vec<char> = self.lines[row].chars().take(col).collect();
        let mut i = chars.len();
        while i > 0 && class(chars[i - 1]) == 0 {
            i -= 1;
        }
        if i > 0 {
            let k = class(chars[i - 1]);
            while i > 0 && class(chars[i - 1]) == k {
                i -= 1;
            }
        }
        (row, i)
    }

    /// The end of the word after the cursor (or the start of the line below).
    pub fn word_right(&self) -> Pos {
        let (row, col) = self.cursor;
        if col >= self.len(row) {
            return self.right();
        }
        let chars: Vec<char> = self.lines[row].chars().skip(col).collect();
        let mut i = 0;
        while i < chars.len() && class(chars[i]) == 0 {
            i += 1;
        }
        if i < chars.len() {
            let k = class(chars[i]);
            while i < chars.len() && class(chars[i]) == k {
                i += 1;
            }
        }
        (row, col + i)
    }

    #[cfg(test)]
    pub fn steps(&self) -> usize {
        self.history.len()
    }
}

/// Byte offset of char `col` in `s` (its length when past the end).
pub fn byte(s: &str, col: usize) -> usize {
    s.char_indices().nth(col).map_or(s.len(), |(b, _)| b)
}

/// Word movement stops where the kind of character changes: space, word, punctuation.
fn class(c: char) -> u8 {
    if c.is_whitespace() {
        0
    } else if c.is_alphanumeric() || c == '_' {
        1
    } else {
        2
    }
}
