//! Markdown building blocks. User text goes through [`escape`] so that a node called
//! `*Kasvu*` or a rationale starting with `1.` reads as typed instead of turning into
//! emphasis, a list or raw HTML. No raw HTML is ever produced: exports must stay safe to
//! render anywhere.

/// Punctuation that can start or end Markdown structure anywhere in a line (CommonMark
/// plus GitHub's `~~strike~~`, `|` tables and `$math$`). Every one of them is an ASCII
/// punctuation character, so a backslash escape renders it literally.
const ALWAYS_ESCAPED: &[char] = &['\\', '`', '*', '_', '[', ']', '<', '>', '#', '|', '~', '&', '$'];

/// Characters that only matter at the start of a line: list bullets, thematic breaks and
/// setext underlines.
const LINE_START_ESCAPED: &[char] = &['-', '+', '='];

/// Escapes user text for Markdown, keeping its line breaks. Leading indentation is
/// dropped, since four spaces would turn the line into a code block.
pub fn escape(text: &str) -> String {
    let text = text.replace("\r\n", "\n").replace('\r', "\n");
    text.split('\n').map(escape_one_line).collect::<Vec<_>>().join("\n")
}

/// Escapes user text for a single-line place (a heading, a bullet, a table cell):
/// line breaks become spaces, because no line break can be written there without HTML.
pub fn escape_inline(text: &str) -> String {
    escape(&text.split_whitespace().collect::<Vec<_>>().join(" "))
}

fn escape_one_line(line: &str) -> String {
    let line = line.trim();
    let mut out = String::with_capacity(line.len() + 8);
    for (i, c) in line.char_indices() {
        if ALWAYS_ESCAPED.contains(&c) || (i == 0 && starts_block(line)) || is_list_number_end(line, i) {
            out.push('\\');
        }
        out.push(c);
    }
    out
}

/// `- x`, `+ x`, `---` or `===` would open a list, a rule or a heading. `-5 %` and
/// `Etelä-Savo` cannot, and stay as typed.
fn starts_block(line: &str) -> bool {
    let mut chars = line.chars();
    match (chars.next(), chars.next()) {
        (Some(c), next) if LINE_START_ESCAPED.contains(&c) => next.is_none_or(|n| n == c || n.is_whitespace()),
        _ => false,
    }
}

/// The `.` of `1. x` (up to nine digits, then `.` or `)`, then a space or the end):
/// `3.5 %` and `2020.` in mid-sentence are left alone.
fn is_list_number_end(line: &str, at: usize) -> bool {
    if !(1..=9).contains(&at) {
        return false;
    }
    let digits = line.chars().take_while(char::is_ascii_digit).count();
    let rest = &line[at..];
    at == digits && rest.starts_with(['.', ')']) && rest[1..].chars().next().is_none_or(char::is_whitespace)
}

/// A GitHub-flavoured Markdown table. Takes **raw** text and escapes every header and
/// cell itself (with [`escape_inline`]), so callers must not escape twice. Short rows
/// are padded with empty cells; the table is as wide as its widest row.
pub fn table(headers: &[&str], rows: &[Vec<String>]) -> String {
    let width = rows.iter().map(Vec::len).chain([headers.len()]).max().unwrap_or(0);
    let line = |cells: Vec<String>| format!("| {} |\n", cells.join(" | "));
    let padded = |cells: Vec<String>| {
        let mut cells = cells;
        cells.resize(width, String::new());
        cells
    };
    let mut out = line(padded(headers.iter().map(|h| escape_inline(h)).collect()));
    out.push_str(&line(vec!["---".to_string(); width]));
    for row in rows {
        out.push_str(&line(padded(row.iter().map(|c| escape_inline(c)).collect())));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    /// True when `ch` occurs without an odd run of backslashes right before it.
    fn has_unescaped(text: &str, ch: char) -> bool {
        let mut backslashes = 0;
        for c in text.chars() {
            if c == ch && backslashes % 2 == 0 {
                return true;
            }
            backslashes = if c == '\\' { backslashes + 1 } else { 0 };
        }
        false
    }

    const PIECES: &[&str] = &[
        "*Kasvu*", "_x_", "[a](b)", "<script>", "#", "`code`", "|", "1.", "- ", "+", "> ", "\\", "\\*", "\n", "ä",
        "a|b", "&amp;", "~~", "    ", "2)", "===", "$x$", "\r\n",
    ];

    #[test]
    fn emphasis_links_html_and_headings_are_neutralised() {
        assert_eq!(escape("*Kasvu*"), "\\*Kasvu\\*");
        assert_eq!(escape("_x_"), "\\_x\\_");
        assert_eq!(escape("[a](b)"), "\\[a\\](b)");
        assert_eq!(escape("<script>"), "\\<script\\>");
        assert_eq!(escape("# Otsikko"), "\\# Otsikko");
        assert_eq!(escape("`koodi`"), "\\`koodi\\`");
        assert_eq!(escape("a | b"), "a \\| b");
        assert_eq!(escape("&amp;"), "\\&amp;");
    }

    #[test]
    fn line_starts_cannot_become_lists_or_quotes() {
        assert_eq!(escape("1. Kasvu"), "1\\. Kasvu");
        assert_eq!(escape("2020) vuosi"), "2020\\) vuosi");
        assert_eq!(escape("- item\n+ item\n> quote"), "\\- item\n\\+ item\n\\> quote");
        assert_eq!(escape("    indented code"), "indented code");
        assert_eq!(escape("---"), "\\---");
        assert_eq!(escape("==="), "\\===");
        assert_eq!(escape("-"), "\\-");
        assert_eq!(escape("-5 % and 80.0%"), "-5 % and 80.0%");
        assert_eq!(escape("2020. year"), "2020\\. year");
        assert_eq!(escape("1.5 clients"), "1.5 clients");
    }

    #[test]
    fn ordinary_text_and_unicode_are_kept() {
        assert_eq!(escape("Etelä-Savo, 3.5 % (arvio)"), "Etelä-Savo, 3.5 % (arvio)");
        assert_eq!(escape("1234567890. is no list marker"), "1234567890. is no list marker");
        assert_eq!(escape_inline("two\nlines\r\nhere"), "two lines here");
    }

    #[test]
    fn tricky_strings_never_leave_structure_characters_unescaped() {
        for a in PIECES {
            for b in PIECES {
                for c in PIECES {
                    let raw = format!("{a}{b}{c}");
                    for escaped in [escape(&raw), escape_inline(&raw)] {
                        for ch in ['*', '_', '|', '<', '>', '`', '[', '#'] {
                            assert!(!has_unescaped(&escaped, ch), "{raw:?} → {escaped:?} leaves {ch:?}");
                        }
                        for line in escaped.lines() {
                            assert!(!line.starts_with([' ', '\t']) && !starts_block(line), "{raw:?} → {escaped:?}");
                            let digits = line.chars().take_while(char::is_ascii_digit).count();
                            assert!(!is_list_number_end(line, digits), "{raw:?} → {escaped:?}");
                        }
                    }
                    assert!(!escape_inline(&raw).contains(['\n', '\r']));
                }
            }
        }
    }

    #[test]
    fn table_escapes_cells_and_keeps_one_line_per_row() {
        let rows = vec![
            vec!["a|b".to_string(), "two\nlines".to_string()],
            vec!["*x*".to_string()],
            vec!["1".into(), "2".into(), "3".into()],
        ];
        let t = table(&["Name", "Note"], &rows);
        assert_eq!(
            t,
            "| Name | Note |  |\n| --- | --- | --- |\n| a\\|b | two lines |  |\n| \\*x\\* |  |  |\n| 1 | 2 | 3 |\n"
        );
        for line in t.lines() {
            let pipes = line.char_indices().filter(|&(i, c)| c == '|' && !line[..i].ends_with('\\')).count();
            assert_eq!(pipes, 4, "{line}");
        }
    }

    #[test]
    fn table_cells_with_tricky_text_stay_in_their_column() {
        for (i, raw) in PIECES.iter().enumerate() {
            let t = table(&["A", "B"], &[vec![raw.to_string(), PIECES[(i + 1) % PIECES.len()].to_string()]]);
            assert_eq!(t.lines().count(), 3, "{raw:?}");
            for line in t.lines() {
                let inner = &line[1..line.len() - 1];
                let cells =
                    inner.char_indices().filter(|&(j, c)| c == '|' && !has_odd_backslashes(&inner[..j])).count();
                assert_eq!(cells, 1, "{raw:?} → {line}");
            }
        }
    }

    fn has_odd_backslashes(before: &str) -> bool {
        before.chars().rev().take_while(|&c| c == '\\').count() % 2 == 1
    }
}
