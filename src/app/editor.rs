//! The note editor: ratatui-textarea (undo/redo, word movement, soft wrap) fed with
//! oppi's own keys, plus what note taking needs on top: time stamps, quote marks,
//! codes, search, and drafts that restore text and cursor exactly.

use chrono::NaiveDateTime;
use ratatui_textarea::{CursorMove, Input, Key as TaKey, TextArea, WrapMode};

use super::keys::{Key, KeyCode};
use crate::domain::Id;
use crate::domain::interview::{Interview, NoteDraft, stamp};

pub struct NoteEditor {
    pub interview: Id,
    pub area: TextArea<'static>,
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
}

impl NoteEditor {
    /// Opens the notes of `interview`, or the draft left when the editor last closed
    /// abnormally: its text and cursor exactly as they were.
    pub fn open(interview: &Interview, draft: Option<&NoteDraft>, now: NaiveDateTime) -> NoteEditor {
        let text = draft.map_or(interview.notes.as_str(), |d| d.text.as_str());
        let mut area = TextArea::new(text.split('\n').map(String::from).collect());
        area.set_wrap_mode(WrapMode::WordOrGlyph);
        area.set_cursor_line_style(ratatui::style::Style::default());
        area.set_cursor_style(ratatui::style::Style::default().add_modifier(ratatui::style::Modifier::REVERSED));
        area.set_max_histories(10_000);
        let (row, col) = draft.map_or_else(|| end_of(&area), |d| d.cursor);
        area.move_cursor(CursorMove::Jump(clamp16(row), clamp16(col)));
        NoteEditor {
            interview: interview.id.clone(),
            area,
            started: draft.map_or(now, |d| d.started),
            unsaved: false,
            changed: draft.is_some_and(|d| d.text != interview.notes),
            saved_at: None,
            search: None,
            last_search: String::new(),
        }
    }

    pub fn text(&self) -> String {
        self.area.lines().join("\n")
    }

    pub fn cursor(&self) -> (usize, usize) {
        let c = self.area.cursor();
        (c.0, c.1)
    }

    pub fn draft(&self) -> NoteDraft {
        NoteDraft { interview: self.interview.clone(), text: self.text(), cursor: self.cursor(), started: self.started }
    }

    fn touched(&mut self) {
        self.unsaved = true;
        self.changed = true;
    }

    /// Feeds an editing key to the text area. Ctrl-Z / Ctrl-Y undo and redo as most
    /// people expect (the widget's own Ctrl-U / Ctrl-R still work too).
    pub fn key(&mut self, key: Key) {
        let modified = match (key.code, key.ctrl) {
            (KeyCode::Char('z'), true) => self.area.undo(),
            (KeyCode::Char('y'), true) => self.area.redo(),
            _ => self.area.input(to_input(key)),
        };
        if modified {
            self.touched();
        }
    }

    pub fn paste(&mut self, text: &str) {
        // Terminals send pasted line breaks as \r; notes keep \n only.
        let text = text.replace("\r\n", "\n").replace('\r', "\n");
        if self.area.insert_str(text) {
            self.touched();
        }
    }

    /// Stamps the elapsed interview time at the start of the current line.
    pub fn stamp(&mut self, now: NaiveDateTime) {
        let elapsed = (now - self.started).num_seconds();
        let (row, col) = self.cursor();
        let mark = format!("{} ", stamp(elapsed));
        self.area.move_cursor(CursorMove::Head);
        self.area.insert_str(&mark);
        self.area.move_cursor(CursorMove::Jump(clamp16(row), clamp16(col + mark.chars().count())));
        self.touched();
    }

    /// Marks or unmarks the current paragraph as a quote (`> ` at its start).
    pub fn toggle_quote(&mut self) {
        let (row, col) = self.cursor();
        let quoted = self.area.lines()[row].starts_with("> ");
        self.area.move_cursor(CursorMove::Head);
        let col = if quoted {
            self.area.delete_str(2);
            col.saturating_sub(2)
        } else {
            self.area.insert_str("> ");
            col + 2
        };
        self.area.move_cursor(CursorMove::Jump(clamp16(row), clamp16(col)));
        self.touched();
    }

    /// Tags the current paragraph with `#code` (once).
    pub fn add_code(&mut self, code: &str) {
        let (row, col) = self.cursor();
        let line = self.area.lines()[row].clone();
        if line.split(' ').any(|w| w.strip_prefix('#').is_some_and(|t| t.eq_ignore_ascii_case(code))) {
            return;
        }
        self.area.move_cursor(CursorMove::End);
        let sep = if line.ends_with(' ') || line.is_empty() { "" } else { " " };
        self.area.insert_str(format!("{sep}#{code}"));
        self.area.move_cursor(CursorMove::Jump(clamp16(row), clamp16(col)));
        self.touched();
    }

    /// Moves to the next match of `query` after the cursor (case-insensitive), wrapping
    /// around the end. Returns false when there is none.
    pub fn find_next(&mut self, query: &str) -> bool {
        let q = query.to_lowercase();
        if q.is_empty() {
            return false;
        }
        let lines = self.area.lines();
        let (row, col) = self.cursor();
        let n = lines.len();
        for step in 0..=n {
            let r = (row + step) % n;
            let lower = lines[r].to_lowercase();
            let from = if step == 0 { col + 1 } else { 0 };
            let hit = lower
                .char_indices()
                .map(|(b, _)| b)
                .enumerate()
                .filter(|(ci, _)| *ci >= from)
                .find_map(|(ci, b)| lower[b..].starts_with(&q).then_some(ci));
            if let Some(c) = hit {
                self.area.move_cursor(CursorMove::Jump(clamp16(r), clamp16(c)));
                return true;
            }
        }
        false
    }

    pub fn jump_to_line(&mut self, line: usize) {
        self.area.move_cursor(CursorMove::Jump(clamp16(line), 0));
    }
}

fn end_of(area: &TextArea) -> (usize, usize) {
    let last = area.lines().len().saturating_sub(1);
    (last, area.lines()[last].chars().count())
}

fn clamp16(n: usize) -> u16 {
    n.min(u16::MAX as usize) as u16
}

fn to_input(key: Key) -> Input {
    let k = match key.code {
        KeyCode::Char(c) => TaKey::Char(c),
        KeyCode::Enter => TaKey::Enter,
        KeyCode::Esc => TaKey::Esc,
        KeyCode::Tab => TaKey::Tab,
        KeyCode::BackTab => TaKey::Null,
        KeyCode::Backspace => TaKey::Backspace,
        KeyCode::Delete => TaKey::Delete,
        KeyCode::Up => TaKey::Up,
        KeyCode::Down => TaKey::Down,
        KeyCode::Left => TaKey::Left,
        KeyCode::Right => TaKey::Right,
        KeyCode::Home => TaKey::Home,
        KeyCode::End => TaKey::End,
        KeyCode::PageUp => TaKey::PageUp,
        KeyCode::PageDown => TaKey::PageDown,
        KeyCode::F(n) => TaKey::F(n),
    };
    Input { key: k, ctrl: key.ctrl, alt: key.alt, shift: false }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::interview::{Consent, Interview};

    fn now() -> NaiveDateTime {
        NaiveDateTime::parse_from_str("2020-03-17 13:00", "%Y-%m-%d %H:%M").unwrap()
    }

    fn interview(notes: &str) -> Interview {
        Interview {
            id: "i1".into(),
            pilots: vec!["p2".into()],
            at: now(),
            context: String::new(),
            interviewers: vec![],
            role: "partner".into(),
            org_type: String::new(),
            round: "mid".into(),
            consent: Consent::Yes,
            name: None,
            notes: notes.into(),
        }
    }

    fn typed(ed: &mut NoteEditor, text: &str) {
        for c in text.chars() {
            let key = if c == '\n' { Key::plain(KeyCode::Enter) } else { Key::char(c) };
            ed.key(key);
        }
    }

    fn ctrl(c: char) -> Key {
        Key::ctrl(c)
    }

    #[test]
    fn typing_multibyte_text_and_deleting_words() {
        let mut ed = NoteEditor::open(&interview(""), None, now());
        typed(&mut ed, "Hämeen ÄÖ 😀 työ");
        assert_eq!(ed.text(), "Hämeen ÄÖ 😀 työ");
        assert_eq!(ed.cursor(), (0, 15));
        ed.key(Key::plain(KeyCode::Backspace));
        assert_eq!(ed.text(), "Hämeen ÄÖ 😀 ty");
        ed.key(Key { code: KeyCode::Backspace, ctrl: false, alt: true });
        assert_eq!(ed.text(), "Hämeen ÄÖ 😀 ");
        ed.key(ctrl('w'));
        assert_eq!(ed.text(), "Hämeen ÄÖ ");
        assert!(ed.changed && ed.unsaved);
    }

    #[test]
    fn word_movement_home_end() {
        let mut ed = NoteEditor::open(&interview("trust comes first"), None, now());
        assert_eq!(ed.cursor(), (0, 17), "opens at the end");
        ed.key(Key { code: KeyCode::Char('b'), ctrl: false, alt: true });
        assert_eq!(ed.cursor(), (0, 12));
        ed.key(Key::plain(KeyCode::Home));
        assert_eq!(ed.cursor(), (0, 0));
        ed.key(Key { code: KeyCode::Char('f'), ctrl: false, alt: true });
        assert_eq!(ed.cursor().0, 0);
        assert!(ed.cursor().1 >= 5);
        ed.key(Key::plain(KeyCode::End));
        assert_eq!(ed.cursor(), (0, 17));
    }

    #[test]
    fn undo_and_redo() {
        let mut ed = NoteEditor::open(&interview("a"), None, now());
        typed(&mut ed, "bc");
        ed.key(ctrl('z'));
        ed.key(ctrl('z'));
        assert_eq!(ed.text(), "a");
        ed.key(ctrl('y'));
        assert_eq!(ed.text(), "ab");
    }

    #[test]
    fn paste_keeps_lines_and_drops_carriage_returns() {
        let mut ed = NoteEditor::open(&interview(""), None, now());
        ed.paste("first\r\nsecond\rthird");
        assert_eq!(ed.text(), "first\nsecond\nthird");
    }

    #[test]
    fn stamp_quote_and_code_keep_the_cursor_in_the_text() {
        let mut ed = NoteEditor::open(&interview("coach stayed the same"), None, now());
        ed.key(Key::plain(KeyCode::Left));
        ed.stamp(now() + chrono::Duration::seconds(754));
        assert_eq!(ed.text(), "[12:34] coach stayed the same");
        assert_eq!(ed.cursor(), (0, 28));
        ed.toggle_quote();
        assert_eq!(ed.text(), "> [12:34] coach stayed the same");
        ed.add_code("trust");
        ed.add_code("TRUST");
        assert_eq!(ed.text(), "> [12:34] coach stayed the same #trust");
        ed.toggle_quote();
        assert_eq!(ed.text(), "[12:34] coach stayed the same #trust");
        assert_eq!(ed.cursor(), (0, 28));
        let p = &crate::domain::interview::paragraphs(&ed.text())[0];
        assert_eq!(p.codes, vec!["trust"]);
    }

    #[test]
    fn find_next_wraps_and_is_case_insensitive() {
        let mut ed = NoteEditor::open(&interview("Trust first\nthen more trust\nend"), None, now());
        assert!(ed.find_next("TRUST"));
        assert_eq!(ed.cursor(), (0, 0));
        assert!(ed.find_next("trust"));
        assert_eq!(ed.cursor(), (1, 10));
        assert!(!ed.find_next("absent"));
    }

    #[test]
    fn a_draft_restores_text_and_cursor_exactly() {
        let mut ed = NoteEditor::open(&interview("saved notes"), None, now());
        typed(&mut ed, "\nunsaved ä");
        ed.key(Key::plain(KeyCode::Left));
        let draft = ed.draft();
        let reopened = NoteEditor::open(&interview("saved notes"), Some(&draft), now());
        assert_eq!(reopened.text(), "saved notes\nunsaved ä");
        assert_eq!(reopened.cursor(), (1, 8));
        assert!(reopened.changed, "a restored draft still needs settling");
    }

    #[test]
    fn soft_wrapped_long_line_renders_without_panic() {
        let long = "sana ".repeat(2_000);
        let ed = NoteEditor::open(&interview(&long), None, now());
        let mut terminal = ratatui::Terminal::new(ratatui::backend::TestBackend::new(20, 5)).unwrap();
        terminal.draw(|f| f.render_widget(&ed.area, f.area())).unwrap();
    }
}
