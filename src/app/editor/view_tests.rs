//! The editor on screen: wrapping as drawn, ↑↓ by screen row, paging, tiny areas.

use ratatui::buffer::Buffer;
use ratatui::layout::Rect;
use ratatui::style::Modifier;
use ratatui::widgets::Widget;

use super::tests::{alt, editor, plain, typed};
use super::*;

/// Draws the editor into a `w`×`h` buffer: the rows (trailing blanks trimmed; the
/// second cell of a wide char shows as a space) and where the reversed cursor cell is.
fn draw(ed: &NoteEditor, w: u16, h: u16) -> (Vec<String>, Vec<(u16, u16)>) {
    let area = Rect::new(0, 0, w, h);
    let mut buf = Buffer::empty(area);
    ed.render(area, &mut buf);
    let mut rows = Vec::new();
    let mut cursor = Vec::new();
    for y in 0..h {
        let mut row = String::new();
        for x in 0..w {
            let cell = &buf[(x, y)];
            row.push_str(cell.symbol());
            if cell.modifier.contains(Modifier::REVERSED) {
                cursor.push((x, y));
            }
        }
        rows.push(row.trim_end().to_string());
    }
    (rows, cursor)
}

#[test]
fn soft_wrapped_long_line_renders_without_panic() {
    let long = "sana ".repeat(2_000);
    let ed = editor(&long);
    let mut terminal = ratatui::Terminal::new(ratatui::backend::TestBackend::new(20, 5)).unwrap();
    terminal.draw(|f| f.render_widget(&ed, f.area())).unwrap();
    let (rows, cursor) = draw(&ed, 20, 5);
    assert_eq!(rows[0], "sana sana sana sana");
    assert_eq!(cursor, [(0, 4)], "the end of the note is on screen");
}

#[test]
fn rows_wrap_at_words_with_the_cursor_reversed() {
    let ed = editor("trust comes first\nnext");
    let (rows, cursor) = draw(&ed, 10, 5);
    assert_eq!(rows, ["trust", "comes", "first", "next", ""]);
    assert_eq!(cursor, [(4, 3)]);
    let (rows, _) = draw(&ed, 12, 3);
    assert_eq!(rows, ["trust comes", "first", "next"]);
}

#[test]
fn wide_and_control_characters_render_safely() {
    let ed = editor("a😀b\tc\u{1b}d e\u{301}");
    let (rows, _) = draw(&ed, 20, 1);
    assert_eq!(rows, ["a😀 b c\u{FFFD}d e\u{301}"]);
    // A wide char at the edge of a row moves to the next one.
    let ed = editor("abc😀");
    let (rows, cursor) = draw(&ed, 4, 3);
    assert_eq!(rows, ["abc", "😀", ""]);
    assert_eq!(cursor, [(2, 1)]);
}

#[test]
fn an_empty_note_shows_only_the_cursor() {
    let ed = editor("");
    let (rows, cursor) = draw(&ed, 8, 3);
    assert!(rows.iter().all(|r| r.is_empty()), "{rows:?}");
    assert_eq!(cursor, [(0, 0)]);
}

#[test]
fn tiny_areas_never_panic() {
    let texts = ["", "😀", "a😀b 日本語 ä\u{301}", &"sana ".repeat(300), &"x\n".repeat(50), "\t\u{7}\u{200d}😀"];
    for text in texts {
        let mut ed = editor(text);
        for (w, h) in [(0, 0), (1, 1), (1, 3), (2, 1), (3, 2), (0, 5), (5, 0), (2, 2)] {
            for key in [KeyCode::PageUp, KeyCode::Down, KeyCode::Up, KeyCode::PageDown, KeyCode::Left] {
                let (_, cursor) = draw(&ed, w, h);
                assert!(cursor.len() <= 1);
                if w > 0 && h > 0 {
                    assert_eq!(cursor.len(), 1, "{text:?} at {w}×{h}");
                }
                ed.key(plain(key));
            }
        }
    }
}

#[test]
fn up_and_down_move_by_screen_row_keeping_the_column() {
    let mut ed = editor("aaaa bbbb cccc\nxy\nabcd efgh");
    ed.key(alt(KeyCode::Char('<')));
    ed.key(plain(KeyCode::End));
    draw(&ed, 5, 6);
    assert_eq!(ed.cursor(), (0, 14));
    ed.key(plain(KeyCode::Up));
    assert_eq!(ed.cursor(), (0, 9), "same cell one screen row up");
    ed.key(plain(KeyCode::Up));
    assert_eq!(ed.cursor(), (0, 4));
    ed.key(plain(KeyCode::Up));
    assert_eq!(ed.cursor(), (0, 0), "up on the first row goes to the start");
    ed.key(plain(KeyCode::Down));
    assert_eq!(ed.cursor(), (0, 9), "back down in the column ↑ started from");
    ed.key(plain(KeyCode::End));
    ed.key(plain(KeyCode::Up));
    ed.key(plain(KeyCode::Down));
    ed.key(plain(KeyCode::Down));
    assert_eq!(ed.cursor(), (1, 2), "a short line takes the cursor to its end");
    ed.key(plain(KeyCode::Down));
    assert_eq!(ed.cursor(), (2, 4), "and the next keeps the column it had");
    ed.key(plain(KeyCode::Down));
    assert_eq!(ed.cursor(), (2, 9));
    ed.key(plain(KeyCode::Down));
    assert_eq!(ed.cursor(), (2, 9), "down on the last row goes to the end");
}

#[test]
fn up_and_down_count_wide_chars_as_two_cells() {
    let mut ed = editor("日本語\nabcdef");
    draw(&ed, 20, 3);
    ed.key(plain(KeyCode::Left));
    ed.key(plain(KeyCode::Left));
    ed.key(plain(KeyCode::Up));
    assert_eq!(ed.cursor(), (0, 2));
    ed.key(plain(KeyCode::Down));
    assert_eq!(ed.cursor(), (1, 4));
}

#[test]
fn page_down_to_the_end_of_a_long_note_keeps_the_cursor_on_screen() {
    let text: Vec<String> = (0..200).map(|i| format!("line {i} with some words to wrap")).collect();
    let mut ed = editor(&text.join("\n"));
    ed.key(alt(KeyCode::Char('<')));
    let (rows, cursor) = draw(&ed, 20, 10);
    assert_eq!(rows[0], "line 0 with some");
    assert_eq!(cursor, [(0, 0)]);
    ed.key(plain(KeyCode::PageDown));
    let (rows, cursor) = draw(&ed, 20, 10);
    assert_eq!(ed.cursor(), (5, 0), "ten screen rows down");
    assert_eq!(rows[0], "line 5 with some", "the page turned with the cursor");
    assert_eq!(cursor, [(0, 0)]);
    for _ in 0..100 {
        ed.key(plain(KeyCode::PageDown));
    }
    let (rows, cursor) = draw(&ed, 20, 10);
    assert_eq!(ed.cursor(), (199, 32));
    assert_eq!(cursor, [(13, 9)]);
    assert_eq!(rows[0], "line 195 with some", "the last page is full");
    assert_eq!(rows[9], "words to wrap");
    ed.key(plain(KeyCode::PageUp));
    let (_, cursor) = draw(&ed, 20, 10);
    assert_eq!(cursor.len(), 1);
    assert_eq!(ed.cursor().0, 194);
}

#[test]
fn typing_at_the_bottom_scrolls_and_jumps_show_their_line() {
    let text = vec!["words and more words"; 50].join("\n");
    let mut ed = editor(&text);
    draw(&ed, 10, 4);
    typed(&mut ed, " and this");
    let (rows, cursor) = draw(&ed, 10, 4);
    assert_eq!(rows, ["more words", "words and", "more words", "and this"]);
    assert_eq!(cursor, [(8, 3)]);
    ed.jump_to_line(20);
    let (rows, cursor) = draw(&ed, 10, 4);
    assert_eq!(cursor, [(0, 0)]);
    assert_eq!(rows[0], "words and");
    // A narrower frame with the old scroll top still shows the cursor.
    ed.key(plain(KeyCode::End));
    let (_, cursor) = draw(&ed, 3, 2);
    assert_eq!(cursor.len(), 1);
}

#[test]
fn a_taller_window_or_a_shorter_text_leaves_no_blank_rows_under_it() {
    let text: Vec<String> = (0..20).map(|i| format!("line {i}")).collect();
    let mut ed = editor(&text.join("\n"));
    let (rows, _) = draw(&ed, 10, 5);
    assert_eq!(rows[0], "line 15");
    let (rows, cursor) = draw(&ed, 10, 8);
    assert_eq!(rows[0], "line 12");
    assert_eq!(cursor, [(7, 7)]);
    for _ in 0..6 * 8 {
        ed.key(plain(KeyCode::Backspace));
    }
    let (rows, cursor) = draw(&ed, 10, 8);
    assert_eq!(rows[0], "line 6");
    assert_eq!(rows[7], "line 13");
    assert_eq!(cursor, [(7, 7)]);
}

#[test]
fn random_keys_keep_the_cursor_on_the_text_and_undo_all_of_it() {
    let start = "Hämeen työ 😀 日本語\n\tkaksi\u{1b} rivi e\u{301}\n\nkolme";
    let mut ed = editor(start);
    let mut seed = 7u64;
    let mut next = move || {
        seed = seed.wrapping_mul(6364136223846793005).wrapping_add(1442695040888963407);
        (seed >> 33) as usize
    };
    let ctrl = |c| Key::ctrl(c);
    let keys = [
        Key::char('a'),
        Key::char('ö'),
        Key::char('😀'),
        Key::char(' '),
        Key::char(' '),
        plain(KeyCode::Enter),
        plain(KeyCode::Backspace),
        plain(KeyCode::Delete),
        plain(KeyCode::Left),
        plain(KeyCode::Right),
        plain(KeyCode::Up),
        plain(KeyCode::Down),
        plain(KeyCode::Home),
        plain(KeyCode::End),
        plain(KeyCode::PageUp),
        plain(KeyCode::PageDown),
        plain(KeyCode::Tab),
        alt(KeyCode::Char('b')),
        alt(KeyCode::Char('f')),
        alt(KeyCode::Char('d')),
        alt(KeyCode::Backspace),
        ctrl('w'),
        ctrl('k'),
        ctrl('u'),
        ctrl('z'),
        ctrl('y'),
    ];
    for i in 0..5_000 {
        ed.key(keys[next() % keys.len()]);
        if i % 97 == 0 {
            ed.paste("liitetty\nteksti ");
        }
        if i % 5 == 0 {
            let (w, h) = (next() % 14, next() % 7);
            let (_, cursor) = draw(&ed, w as u16, h as u16);
            assert_eq!(cursor.len(), usize::from(w > 0 && h > 0), "{:?} at {w}×{h}", ed.text());
        }
        let (row, col) = ed.cursor();
        assert!(row < ed.lines().len() && col <= ed.lines()[row].chars().count());
    }
    let end = ed.text();
    while ed.buf.undo() {}
    assert_eq!(ed.text(), start);
    while ed.buf.redo() {}
    assert_eq!(ed.text(), end);
}
