//! A single-line text input: filter boxes and form fields. Cursor positions are
//! counted in characters so that "ä" or an emoji is one step, never half a byte.

use super::keys::{Key, KeyCode};

#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct TextInput {
    value: String,
    /// Cursor position in characters, 0..=len.
    cursor: usize,
}

impl TextInput {
    pub fn new(value: &str) -> TextInput {
        TextInput { value: value.to_string(), cursor: value.chars().count() }
    }

    pub fn value(&self) -> &str {
        &self.value
    }

    pub fn cursor(&self) -> usize {
        self.cursor
    }

    fn byte_at(&self, chars: usize) -> usize {
        self.value.char_indices().nth(chars).map_or(self.value.len(), |(i, _)| i)
    }

    fn len(&self) -> usize {
        self.value.chars().count()
    }

    /// Inserts text at the cursor; line breaks and tabs from a paste become spaces,
    /// other control characters are dropped.
    pub fn insert_str(&mut self, text: &str) {
        let clean: String = text
            .chars()
            .filter_map(|c| match c {
                '\n' | '\t' => Some(' '),
                '\r' => None,
                c if c.is_control() => None,
                c => Some(c),
            })
            .collect();
        let at = self.byte_at(self.cursor);
        self.value.insert_str(at, &clean);
        self.cursor += clean.chars().count();
    }

    /// Applies an editing key; returns false when the key is not an editing key.
    pub fn handle_key(&mut self, key: Key) -> bool {
        if let Some(c) = key.typed_char() {
            self.insert_str(c.encode_utf8(&mut [0; 4]));
            return true;
        }
        match (key.code, key.ctrl) {
            (KeyCode::Backspace, false) if self.cursor > 0 => {
                let at = self.byte_at(self.cursor - 1);
                self.value.remove(at);
                self.cursor -= 1;
            }
            (KeyCode::Backspace, false) => {}
            (KeyCode::Delete, _) if self.cursor < self.len() => {
                let at = self.byte_at(self.cursor);
                self.value.remove(at);
            }
            (KeyCode::Delete, _) => {}
            (KeyCode::Left, false) => self.cursor = self.cursor.saturating_sub(1),
            (KeyCode::Right, false) => self.cursor = (self.cursor + 1).min(self.len()),
            (KeyCode::Left, true) => self.cursor = self.word_start(),
            (KeyCode::Right, true) => self.cursor = self.word_end(),
            (KeyCode::Home, _) | (KeyCode::Char('a'), true) => self.cursor = 0,
            (KeyCode::End, _) | (KeyCode::Char('e'), true) => self.cursor = self.len(),
            (KeyCode::Char('w'), true) | (KeyCode::Backspace, true) => {
                let start = self.word_start();
                let (a, b) = (self.byte_at(start), self.byte_at(self.cursor));
                self.value.replace_range(a..b, "");
                self.cursor = start;
            }
            (KeyCode::Char('u'), true) => {
                let b = self.byte_at(self.cursor);
                self.value.replace_range(..b, "");
                self.cursor = 0;
            }
            (KeyCode::Char('k'), true) => {
                let a = self.byte_at(self.cursor);
                self.value.truncate(a);
            }
            _ => return false,
        }
        true
    }

    fn word_start(&self) -> usize {
        let chars: Vec<char> = self.value.chars().collect();
        let mut i = self.cursor;
        while i > 0 && chars[i - 1].is_whitespace() {
            i -= 1;
        }
        while i > 0 && !chars[i - 1].is_whitespace() {
            i -= 1;
        }
        i
    }

    fn word_end(&self) -> usize {
        let chars: Vec<char> = self.value.chars().collect();
        let mut i = self.cursor;
        while i < chars.len() && chars[i].is_whitespace() {
            i += 1;
        }
        while i < chars.len() && !chars[i].is_whitespace() {
            i += 1;
        }
        i
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn typed(s: &str) -> TextInput {
        let mut t = TextInput::default();
        for c in s.chars() {
            t.handle_key(Key::char(c));
        }
        t
    }

    #[test]
    fn multibyte_editing_is_by_character() {
        let mut t = typed("Hämeä😀");
        assert_eq!(t.cursor(), 6);
        t.handle_key(Key::plain(KeyCode::Backspace));
        assert_eq!(t.value(), "Hämeä");
        t.handle_key(Key::plain(KeyCode::Left));
        t.handle_key(Key::plain(KeyCode::Left));
        t.handle_key(Key::plain(KeyCode::Delete));
        assert_eq!(t.value(), "Hämä");
        t.handle_key(Key::plain(KeyCode::Home));
        t.handle_key(Key::plain(KeyCode::Delete));
        assert_eq!(t.value(), "ämä");
    }

    #[test]
    fn word_deletion_and_line_kill() {
        let mut t = typed("trust comes first");
        t.handle_key(Key::ctrl('w'));
        assert_eq!(t.value(), "trust comes ");
        t.handle_key(Key { code: KeyCode::Left, ctrl: true, alt: false });
        t.handle_key(Key::ctrl('k'));
        assert_eq!(t.value(), "trust ");
        t.handle_key(Key::ctrl('u'));
        assert_eq!(t.value(), "");
    }

    #[test]
    fn paste_flattens_lines_and_drops_control_bytes() {
        let mut t = typed("a");
        t.insert_str("b\r\nc\u{1b}[31m\td");
        assert_eq!(t.value(), "ab c[31m d");
        assert_eq!(t.cursor(), t.value().chars().count());
    }

    #[test]
    fn edges_do_not_panic() {
        let mut t = TextInput::default();
        for code in [KeyCode::Backspace, KeyCode::Delete, KeyCode::Left, KeyCode::Right] {
            assert!(t.handle_key(Key::plain(code)));
        }
        assert!(!t.handle_key(Key::plain(KeyCode::Enter)));
        assert_eq!(t.value(), "");
    }
}
