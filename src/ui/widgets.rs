use ratatui::layout::Rect;

/// A rectangle of at most `width` × `height`, centred in `area` and never outside it.
pub fn centered(area: Rect, width: u16, height: u16) -> Rect {
    let w = width.min(area.width);
    let h = height.min(area.height);
    Rect { x: area.x + (area.width - w) / 2, y: area.y + (area.height - h) / 2, width: w, height: h }
}

/// Shortens `text` to `max` characters, marking the cut with an ellipsis.
pub fn truncate(text: &str, max: usize) -> String {
    if text.chars().count() <= max {
        return text.to_string();
    }
    if max == 0 {
        return String::new();
    }
    let mut out: String = text.chars().take(max - 1).collect();
    out.push('…');
    out
}

/// Word-wraps `text` into lines of at most `width` characters. Words longer than a
/// line are split. Never returns an empty list, so a labelled row always shows.
pub fn wrap(text: &str, width: usize) -> Vec<String> {
    let width = width.max(1);
    let mut lines = Vec::new();
    let mut line = String::new();
    let mut len = 0;
    for word in text.split_whitespace() {
        let mut word: Vec<char> = word.chars().collect();
        while word.len() > width {
            if len > 0 {
                lines.push(std::mem::take(&mut line));
                len = 0;
            }
            lines.push(word.drain(..width).collect());
        }
        if len > 0 && len + 1 + word.len() > width {
            lines.push(std::mem::take(&mut line));
            len = 0;
        }
        if len > 0 {
            line.push(' ');
            len += 1;
        }
        line.extend(word.iter());
        len += word.len();
    }
    if len > 0 || lines.is_empty() {
        lines.push(line);
    }
    lines
}

pub fn count(n: Option<u32>) -> String {
    n.map_or_else(|| "–".to_string(), thousands)
}

/// 13000 → "13 000": the Finnish way, and unambiguous in English too.
pub fn thousands(n: u32) -> String {
    let digits = n.to_string();
    let mut out = String::new();
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push('\u{202f}');
        }
        out.push(c);
    }
    out
}

/// "  ⚑ also open: anna, ben" when other evaluators connected to the same server have
/// `subject` open (see `App::open_subject`): a soft lock, so nobody edits blind.
pub fn also_here(app: &crate::app::App, subject: &str) -> Option<String> {
    let others = app.presence.others_on(subject);
    (!others.is_empty()).then(|| format!("  ⚑ also open: {}", others.join(", ")))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn centered_fits_inside_small_areas() {
        let area = Rect::new(2, 3, 5, 1);
        let r = centered(area, 40, 10);
        assert_eq!(r, area);
    }

    #[test]
    fn truncates_by_character() {
        assert_eq!(truncate("Häme", 10), "Häme");
        assert_eq!(truncate("Pohjois-Pohjanmaa", 8), "Pohjois…");
        assert_eq!(truncate("x", 0), "");
    }

    #[test]
    fn wraps_on_words_and_splits_long_words() {
        assert_eq!(wrap("trust comes first", 11), vec!["trust comes", "first"]);
        assert_eq!(wrap("abcdefgh", 3), vec!["abc", "def", "gh"]);
        assert_eq!(wrap("", 5), vec![""]);
        assert_eq!(wrap("äö äö", 0), vec!["ä", "ö", "ä", "ö"]);
    }

    #[test]
    fn thousands_are_grouped() {
        assert_eq!(thousands(800), "800");
        assert_eq!(thousands(13000), "13\u{202f}000");
        assert_eq!(count(None), "–");
    }
}
