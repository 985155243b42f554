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

pub fn count(n: Option<u32>) -> String {
    n.map_or_else(|| "–".to_string(), thousands)
}

/// 13000 → "13 000": the Finnish way, and unambiguous in English too.
pub fn thousands(n: u32) -> String {
    let digits = n.to_string();
    let mut out = String::new();
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i) % 3 == 0 {
            out.push('\u{202f}');
        }
        out.push(c);
    }
    out
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
    fn thousands_are_grouped() {
        assert_eq!(thousands(800), "800");
        assert_eq!(thousands(13000), "13\u{202f}000");
        assert_eq!(count(None), "–");
    }
}
