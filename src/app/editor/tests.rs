use super::*;
use crate::domain::interview::{Consent, Interview};

fn now() -> NaiveDateTime {
    NaiveDateTime::parse_from_str("2020-03-17 13:00", "%Y-%m-%d %H:%M").unwrap()
}

pub(super) fn interview(notes: &str) -> Interview {
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

pub(super) fn editor(notes: &str) -> NoteEditor {
    NoteEditor::open(&interview(notes), None, now())
}

pub(super) fn typed(ed: &mut NoteEditor, text: &str) {
    for c in text.chars() {
        let key = if c == '\n' { Key::plain(KeyCode::Enter) } else { Key::char(c) };
        ed.key(key);
    }
}

fn ctrl(c: char) -> Key {
    Key::ctrl(c)
}

pub(super) fn alt(code: KeyCode) -> Key {
    Key { code, ctrl: false, alt: true }
}

pub(super) fn plain(code: KeyCode) -> Key {
    Key::plain(code)
}

#[test]
fn typing_multibyte_text_and_deleting_words() {
    let mut ed = editor("");
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
    let mut ed = editor("trust comes first");
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
    let mut ed = editor("a");
    typed(&mut ed, "bc");
    ed.key(ctrl('z'));
    assert_eq!(ed.text(), "a", "a typing run is one step");
    ed.key(ctrl('z'));
    assert_eq!(ed.text(), "a");
    ed.key(ctrl('y'));
    assert_eq!(ed.text(), "abc");
    assert_eq!(ed.cursor(), (0, 3));
}

#[test]
fn paste_keeps_lines_and_drops_carriage_returns() {
    let mut ed = editor("");
    ed.paste("first\r\nsecond\rthird");
    assert_eq!(ed.text(), "first\nsecond\nthird");
}

#[test]
fn stamp_quote_and_code_keep_the_cursor_in_the_text() {
    let mut ed = editor("coach stayed the same");
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
    let mut ed = editor("Trust first\nthen more trust\nend");
    assert!(ed.find_next("TRUST"));
    assert_eq!(ed.cursor(), (0, 0));
    assert!(ed.find_next("trust"));
    assert_eq!(ed.cursor(), (1, 10));
    assert!(!ed.find_next("absent"));
}

#[test]
fn find_counts_chars_even_when_lowercase_is_longer() {
    let mut ed = editor("İİ ÄÄ aaa");
    ed.key(plain(KeyCode::Home));
    assert!(ed.find_next("ää"));
    assert_eq!(ed.cursor(), (0, 3));
    assert!(ed.find_next("aa"));
    assert_eq!(ed.cursor(), (0, 6));
    assert!(ed.find_next("aa"), "overlapping matches count");
    assert_eq!(ed.cursor(), (0, 7));
}

#[test]
fn a_draft_restores_text_and_cursor_exactly() {
    let mut ed = editor("saved notes");
    typed(&mut ed, "\nunsaved ä");
    ed.key(Key::plain(KeyCode::Left));
    let draft = ed.draft();
    let reopened = NoteEditor::open(&interview("saved notes"), Some(&draft), now());
    assert_eq!(reopened.text(), "saved notes\nunsaved ä");
    assert_eq!(reopened.cursor(), (1, 8));
    assert!(reopened.changed, "a restored draft still needs settling");
}

#[test]
fn a_draft_cursor_past_the_text_is_clamped() {
    let mut draft = editor("ab\ncd").draft();
    draft.cursor = (7, 99);
    let ed = NoteEditor::open(&interview("ab\ncd"), Some(&draft), now());
    assert_eq!(ed.cursor(), (1, 2));
}

#[test]
fn arrows_cross_line_ends_and_enter_splits() {
    let mut ed = editor("ab\ncd");
    ed.key(plain(KeyCode::Home));
    ed.key(plain(KeyCode::Left));
    assert_eq!(ed.cursor(), (0, 2));
    ed.key(plain(KeyCode::Right));
    assert_eq!(ed.cursor(), (1, 0));
    ed.key(plain(KeyCode::Right));
    ed.key(plain(KeyCode::Enter));
    assert_eq!(ed.text(), "ab\nc\nd");
    assert_eq!(ed.cursor(), (2, 0));
    ed.key(plain(KeyCode::Backspace));
    assert_eq!(ed.text(), "ab\ncd");
    assert_eq!(ed.cursor(), (1, 1));
    ed.key(plain(KeyCode::End));
    ed.key(plain(KeyCode::Delete));
    assert_eq!(ed.text(), "ab\ncd", "delete at the very end does nothing");
    ed.key(Key { code: KeyCode::Home, ctrl: true, alt: false });
    assert_eq!(ed.cursor(), (0, 0));
    ed.key(plain(KeyCode::Backspace));
    ed.key(plain(KeyCode::Left));
    assert_eq!(ed.cursor(), (0, 0));
    ed.key(alt(KeyCode::Char('>')));
    assert_eq!(ed.cursor(), (1, 2));
    ed.key(alt(KeyCode::Char('<')));
    assert_eq!(ed.cursor(), (0, 0));
    ed.key(ctrl('e'));
    assert_eq!(ed.cursor(), (0, 2));
    ed.key(plain(KeyCode::Delete));
    assert_eq!(ed.text(), "abcd", "delete at a line end joins the next line");
    ed.key(ctrl('a'));
    assert_eq!(ed.cursor(), (0, 0));
}

#[test]
fn word_moves_and_deletes_with_multibyte_text() {
    let mut ed = editor("työ, äänet 😀 ok");
    ed.key(plain(KeyCode::Home));
    let right = Key { code: KeyCode::Right, ctrl: true, alt: false };
    let stops: Vec<usize> = (0..6)
        .map(|_| {
            ed.key(right);
            ed.cursor().1
        })
        .collect();
    assert_eq!(stops, [3, 4, 10, 12, 15, 15]);
    let left = alt(KeyCode::Left);
    ed.key(left);
    assert_eq!(ed.cursor(), (0, 13));
    ed.key(left);
    assert_eq!(ed.cursor(), (0, 11));
    ed.key(plain(KeyCode::Home));
    ed.key(alt(KeyCode::Char('d')));
    assert_eq!(ed.text(), ", äänet 😀 ok");
    ed.key(alt(KeyCode::Char('d')));
    assert_eq!(ed.text(), " äänet 😀 ok");
    ed.key(alt(KeyCode::Char('d')));
    assert_eq!(ed.text(), " 😀 ok");
    ed.key(plain(KeyCode::End));
    ed.key(Key { code: KeyCode::Backspace, ctrl: true, alt: false });
    assert_eq!(ed.text(), " 😀 ");
    assert_eq!(ed.cursor(), (0, 3));
}

#[test]
fn kill_to_line_end_and_start() {
    let mut ed = editor("alpha beta\ngamma");
    ed.key(alt(KeyCode::Char('<')));
    ed.key(alt(KeyCode::Char('f')));
    ed.key(ctrl('k'));
    assert_eq!(ed.text(), "alpha\ngamma");
    ed.key(ctrl('k'));
    assert_eq!(ed.text(), "alphagamma", "at the line end ctrl-k joins");
    ed.key(ctrl('u'));
    assert_eq!(ed.text(), "gamma");
    assert_eq!(ed.cursor(), (0, 0));
    ed.key(ctrl('z'));
    assert_eq!(ed.text(), "alphagamma");
    assert_eq!(ed.cursor(), (0, 5));
}

#[test]
fn undo_groups_words_and_redo_restores_them() {
    let mut ed = editor("");
    typed(&mut ed, "coach met  clients");
    assert_eq!(ed.buf.steps(), 3, "a step per word with the spaces before it");
    ed.key(ctrl('z'));
    assert_eq!(ed.text(), "coach met");
    ed.key(ctrl('z'));
    assert_eq!(ed.text(), "coach");
    ed.key(ctrl('r'));
    assert_eq!(ed.text(), "coach met");
    ed.key(ctrl('y'));
    assert_eq!(ed.text(), "coach met  clients");
    assert_eq!(ed.cursor(), (0, 18));
    // A cursor move ends the run; the next typing is a step of its own.
    ed.key(plain(KeyCode::Left));
    typed(&mut ed, "X");
    ed.key(plain(KeyCode::End));
    typed(&mut ed, "Y");
    ed.key(ctrl('z'));
    assert_eq!(ed.text(), "coach met  clientXs");
    ed.key(ctrl('z'));
    assert_eq!(ed.text(), "coach met  clients");
    // New typing forgets what could be redone.
    typed(&mut ed, "!");
    assert!(!ed.buf.redo());
}

#[test]
fn deleting_runs_enter_and_paste_undo_as_steps() {
    let mut ed = editor("one two");
    for _ in 0..3 {
        ed.key(plain(KeyCode::Backspace));
    }
    assert_eq!(ed.text(), "one ");
    ed.key(plain(KeyCode::Enter));
    ed.paste("x\ny\nz");
    assert_eq!(ed.text(), "one \nx\ny\nz");
    assert_eq!(ed.cursor(), (3, 1));
    ed.key(ctrl('z'));
    assert_eq!(ed.text(), "one \n");
    assert_eq!(ed.cursor(), (1, 0));
    ed.key(ctrl('z'));
    assert_eq!(ed.text(), "one ");
    ed.key(ctrl('z'));
    assert_eq!(ed.text(), "one two");
    assert!(!ed.buf.undo());
}

#[test]
fn paste_in_the_middle_of_a_line_keeps_its_tail() {
    let mut ed = editor("ab");
    ed.key(plain(KeyCode::Left));
    ed.paste("1\n22\n3");
    assert_eq!(ed.text(), "a1\n22\n3b");
    assert_eq!(ed.cursor(), (2, 1));
    ed.paste("");
    ed.key(ctrl('z'));
    assert_eq!(ed.text(), "ab");
    assert_eq!(ed.cursor(), (0, 1));
}

#[test]
fn history_is_capped() {
    let mut ed = editor("");
    for _ in 0..history::MAX_STEPS + 5 {
        ed.key(plain(KeyCode::Enter));
    }
    assert_eq!(ed.buf.steps(), history::MAX_STEPS);
    while ed.buf.undo() {}
    assert_eq!(ed.lines().len(), 6, "the oldest steps are forgotten");
}

#[test]
fn tab_and_unknown_keys() {
    let mut ed = editor("ab");
    ed.key(plain(KeyCode::Tab));
    assert_eq!(ed.text(), "ab  ");
    ed.unsaved = false;
    for key in [plain(KeyCode::Esc), plain(KeyCode::F(5)), plain(KeyCode::BackTab), ctrl('q'), alt(KeyCode::Char('x'))]
    {
        ed.key(key);
    }
    assert_eq!(ed.text(), "ab  ");
    assert!(!ed.unsaved);
    ed.key(Key { code: KeyCode::Char('@'), ctrl: true, alt: true });
    assert_eq!(ed.text(), "ab  @", "AltGr types");
}
