//! Soft wrapping of one line into screen rows, by display width. Positions are char
//! indices; widths come from unicode-width, so "ä" is one cell and "😀" two.

use unicode_width::UnicodeWidthChar;

/// What a character looks like on screen: the symbol drawn and its width in cells.
/// Control characters never reach the terminal: a tab shows as a space, others as �.
#[inline]
pub fn glyph(c: char) -> (char, usize) {
    if c.is_ascii_graphic() || c == ' ' {
        (c, 1)
    } else if c == '\t' {
        (' ', 1)
    } else if c.is_control() {
        ('\u{FFFD}', 1)
    } else {
        (c, c.width().unwrap_or(0))
    }
}

#[inline]
pub fn width(c: char) -> usize {
    glyph(c).1
}

/// The char index where each screen row of `line` starts at `width` columns (the first
/// is always 0, the rest strictly increase). Rows break after whitespace; a word longer
/// than a row is split. Whitespace at the end of a row may hang past the edge (it is
/// not drawn). With `end_cell` (the cursor's line), an empty row follows a full last
/// row, so the end of the line, where the cursor sits while typing, has a cell.
pub fn row_starts(line: &str, cols: usize, end_cell: bool) -> Vec<usize> {
    let cols = cols.max(1);
    let mut starts = vec![0];
    let mut row_start = 0;
    let mut row_width = 0;
    // Where the row may break (just after whitespace), and the width since then.
    let mut brk: Option<usize> = None;
    let mut since_brk = 0;
    let mut len = 0;
    for (i, c) in line.chars().enumerate() {
        len = i + 1;
        let w = width(c);
        let space = c.is_whitespace();
        if !space && row_width + w > cols && i > row_start {
            let (start, carried) = match brk {
                Some(b) if b > row_start => (b, since_brk),
                _ => (i, 0),
            };
            starts.push(start);
            row_start = start;
            row_width = carried;
            brk = None;
        }
        row_width += w;
        if space {
            brk = Some(i + 1);
            since_brk = 0;
        } else {
            since_brk += w;
        }
    }
    if end_cell && row_width >= cols {
        starts.push(len);
    }
    starts
}

/// The row holding char `col` and the cell offset of `col` within it.
pub fn locate(line: &str, starts: &[usize], col: usize) -> (usize, usize) {
    let row = starts.partition_point(|&s| s <= col).saturating_sub(1);
    let begin = starts.get(row).copied().unwrap_or(0);
    let x = line.chars().skip(begin).take(col.saturating_sub(begin)).map(width).sum();
    (row, x)
}

/// The char in `row` under cell offset `x` (or the row's last position when `x` is past
/// its end: the end of the line on its last row, the last char on the others).
pub fn col_at(line: &str, starts: &[usize], row: usize, x: usize) -> usize {
    let row = row.min(starts.len().saturating_sub(1));
    let begin = starts.get(row).copied().unwrap_or(0);
    let next = starts.get(row + 1).copied();
    let mut acc = 0;
    let mut i = begin;
    for c in line.chars().skip(begin) {
        if next.is_some_and(|n| i >= n) {
            break;
        }
        let w = width(c);
        if acc + w > x {
            return i;
        }
        acc += w;
        i += 1;
    }
    match next {
        Some(n) => n - 1,
        None => i,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The rows of `line` as strings, for readable assertions.
    fn rows(line: &str, width: usize) -> Vec<String> {
        let chars: Vec<char> = line.chars().collect();
        let starts = row_starts(line, width, true);
        let mut out = Vec::new();
        for (i, &s) in starts.iter().enumerate() {
            let e = starts.get(i + 1).copied().unwrap_or(chars.len());
            out.push(chars[s..e].iter().collect());
        }
        out
    }

    #[test]
    fn wraps_after_words_and_hangs_spaces() {
        assert_eq!(rows("trust comes first", 10), ["trust ", "comes ", "first"]);
        assert_eq!(rows("trust comes first", 11), ["trust comes ", "first"]);
        assert_eq!(rows("trust comes first", 12), ["trust comes ", "first"]);
        assert_eq!(rows("trust comes first", 100), ["trust comes first"]);
        // A space that does not fit hangs instead of starting a row of its own.
        assert_eq!(rows("abc def", 3), ["abc ", "def", ""]);
        assert_eq!(rows("", 5), [""]);
        assert_eq!(rows("ab", 1), ["a", "b", ""]);
    }

    #[test]
    fn a_full_last_row_gets_an_empty_row_for_the_cursor() {
        assert_eq!(rows("abcd", 4), ["abcd", ""]);
        assert_eq!(rows("abc", 4), ["abc"]);
        assert_eq!(rows("ab ", 2), ["ab ", ""]);
        assert_eq!(row_starts("abcd", 4, false), [0], "only the cursor's line gets one");
    }

    #[test]
    fn words_longer_than_a_row_are_split() {
        assert_eq!(rows("a työllisyyskokeilu b", 6), ["a ", "työlli", "syysko", "keilu ", "b"]);
        assert_eq!(rows("abcdefgh", 3), ["abc", "def", "gh"]);
    }

    #[test]
    fn wide_characters_take_two_cells() {
        assert_eq!(rows("😀😀😀", 4), ["😀😀", "😀"]);
        assert_eq!(rows("😀😀😀", 5), ["😀😀", "😀"]);
        assert_eq!(rows("a 日本語", 4), ["a ", "日本", "語"]);
        // A wide char never splits, even when a row is narrower than it.
        assert_eq!(rows("😀😀", 1), ["😀", "😀", ""]);
        assert_eq!(rows("ä ö", 2), ["ä ", "ö"]);
    }

    #[test]
    fn every_row_fits_at_every_width() {
        let text = "Hämeen työllisyys 😀 kokeilu, jossa valmentaja\ttapasi asiakkaat 日本語 viikoittain.";
        for w in 1..40 {
            let starts = row_starts(text, w, true);
            assert!(starts.windows(2).all(|p| p[0] < p[1]), "{w}: {starts:?}");
            let chars: Vec<char> = text.chars().collect();
            for (i, &s) in starts.iter().enumerate() {
                let e = starts.get(i + 1).copied().unwrap_or(chars.len());
                let drawn: usize = chars[s..e].iter().rev().skip_while(|c| c.is_whitespace()).map(|&c| width(c)).sum();
                assert!(drawn <= w || (w == 1 && drawn == 2), "{w}: row {i} is {drawn} wide");
            }
            assert!(*starts.last().unwrap() <= chars.len());
        }
    }

    #[test]
    fn cursor_positions_map_to_cells_and_back() {
        let line = "trust comes first";
        let starts = row_starts(line, 10, true);
        assert_eq!(starts, [0, 6, 12]);
        assert_eq!(locate(line, &starts, 0), (0, 0));
        assert_eq!(locate(line, &starts, 5), (0, 5));
        assert_eq!(locate(line, &starts, 6), (1, 0));
        assert_eq!(locate(line, &starts, 17), (2, 5));
        assert_eq!(col_at(line, &starts, 1, 3), 9);
        assert_eq!(col_at(line, &starts, 0, 50), 5, "last char of a wrapped row");
        assert_eq!(col_at(line, &starts, 2, 50), 17, "end of the line");
        let wide = "a😀b";
        let starts = row_starts(wide, 10, true);
        assert_eq!(locate(wide, &starts, 2), (0, 3));
        assert_eq!(col_at(wide, &starts, 0, 2), 1, "inside a wide char lands on it");
    }

    #[test]
    fn control_characters_are_replaced() {
        assert_eq!(glyph('\t'), (' ', 1));
        assert_eq!(glyph('\u{1b}'), ('\u{FFFD}', 1));
        assert_eq!(glyph('\u{301}').1, 0);
        assert_eq!(glyph('😀').1, 2);
    }
}
