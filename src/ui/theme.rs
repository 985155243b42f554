//! Themes are TOML files (`themes/*.toml`, built into the binary, or any file path).
//! With `NO_COLOR` set, colours are dropped and emphasis is kept, so selection and
//! keys stay visible on any terminal.

use std::path::Path;

use ratatui::style::{Color, Modifier, Style};
use serde::Deserialize;

use crate::textpos::toml_error;

/// The themes shipped in `themes/`, by name.
pub const BUILT_IN: &[(&str, &str)] = &[
    ("default", include_str!("../../themes/default.toml")),
    ("light", include_str!("../../themes/light.toml")),
    ("high-contrast", include_str!("../../themes/high-contrast.toml")),
];

#[derive(Debug, Clone, PartialEq)]
pub struct Theme {
    pub name: String,
    pub title: Style,
    pub text: Style,
    pub muted: Style,
    pub header: Style,
    pub selected: Style,
    pub border: Style,
    pub key: Style,
    pub key_desc: Style,
    pub ok: Style,
    pub warning: Style,
    pub error: Style,
    pub accent: Style,
    pub input: Style,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawTheme {
    name: Option<String>,
    #[serde(default)]
    styles: RawStyles,
}

#[derive(Deserialize, Default)]
#[serde(deny_unknown_fields)]
struct RawStyles {
    title: Option<RawStyle>,
    text: Option<RawStyle>,
    muted: Option<RawStyle>,
    header: Option<RawStyle>,
    selected: Option<RawStyle>,
    border: Option<RawStyle>,
    key: Option<RawStyle>,
    key_desc: Option<RawStyle>,
    ok: Option<RawStyle>,
    warning: Option<RawStyle>,
    error: Option<RawStyle>,
    accent: Option<RawStyle>,
    input: Option<RawStyle>,
}

#[derive(Deserialize, Default, Clone)]
#[serde(deny_unknown_fields)]
struct RawStyle {
    fg: Option<ColorName>,
    bg: Option<ColorName>,
    #[serde(default)]
    bold: bool,
    #[serde(default)]
    italic: bool,
    #[serde(default)]
    underlined: bool,
    #[serde(default)]
    reversed: bool,
    #[serde(default)]
    dim: bool,
}

/// A colour checked while parsing, so a typo is reported at its line and column.
#[derive(Clone, Copy)]
struct ColorName(Color);

impl<'de> Deserialize<'de> for ColorName {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let s = String::deserialize(d)?;
        s.parse::<Color>().map(ColorName).map_err(|_| {
            serde::de::Error::custom(format!(
                "'{s}' is not a colour: use a name (red, darkgray, lightcyan…), #rrggbb, or 0–255"
            ))
        })
    }
}

impl RawStyle {
    fn style(&self) -> Style {
        let mut style = Style::default();
        if let Some(c) = self.fg {
            style = style.fg(c.0);
        }
        if let Some(c) = self.bg {
            style = style.bg(c.0);
        }
        for (on, m) in [
            (self.bold, Modifier::BOLD),
            (self.italic, Modifier::ITALIC),
            (self.underlined, Modifier::UNDERLINED),
            (self.reversed, Modifier::REVERSED),
            (self.dim, Modifier::DIM),
        ] {
            if on {
                style = style.add_modifier(m);
            }
        }
        style
    }
}

impl Theme {
    /// Parses theme text; `origin` (a file name) starts every error message.
    pub fn parse(origin: &str, text: &str) -> Result<Theme, String> {
        let raw: RawTheme = toml::from_str(text).map_err(|e| toml_error(origin, text, &e))?;
        let s = raw.styles;
        let get = |r: &Option<RawStyle>| r.as_ref().map(RawStyle::style).unwrap_or_default();
        Ok(Theme {
            name: raw.name.unwrap_or_else(|| origin.to_string()),
            title: get(&s.title),
            text: get(&s.text),
            muted: get(&s.muted),
            header: get(&s.header),
            selected: s.selected.as_ref().map_or(Style::new().add_modifier(Modifier::REVERSED), RawStyle::style),
            border: get(&s.border),
            key: s.key.as_ref().map_or(Style::new().add_modifier(Modifier::REVERSED), RawStyle::style),
            key_desc: get(&s.key_desc),
            ok: get(&s.ok),
            warning: get(&s.warning),
            error: s.error.as_ref().map_or(Style::new().add_modifier(Modifier::BOLD), RawStyle::style),
            accent: get(&s.accent),
            input: s.input.as_ref().map_or(Style::new().add_modifier(Modifier::UNDERLINED), RawStyle::style),
        })
    }

    /// A built-in theme by name, or a theme file by path.
    pub fn load(name_or_path: &str) -> Result<Theme, String> {
        if let Some((name, text)) = BUILT_IN.iter().find(|(n, _)| *n == name_or_path) {
            return Theme::parse(&format!("themes/{name}.toml"), text);
        }
        let path = Path::new(name_or_path);
        if path.extension().is_some() || path.components().count() > 1 {
            let text = std::fs::read_to_string(path).map_err(|e| format!("{}: {e}", path.display()))?;
            return Theme::parse(&path.display().to_string(), &text);
        }
        let names: Vec<_> = BUILT_IN.iter().map(|(n, _)| *n).collect();
        Err(format!("unknown theme '{name_or_path}': use one of {} or a path to a .toml file", names.join(", ")))
    }

    pub fn built_in_default() -> Theme {
        Theme::load("default").expect("built-in theme parses")
    }

    /// The same emphasis without any colour, for `NO_COLOR`.
    pub fn without_color(self) -> Theme {
        let strip = |s: Style| Style { fg: None, bg: None, underline_color: None, ..s };
        let keep_visible = |s: Style| {
            let s = strip(s);
            if s.add_modifier.is_empty() { s.add_modifier(Modifier::REVERSED) } else { s }
        };
        Theme {
            name: self.name,
            title: strip(self.title),
            text: strip(self.text),
            muted: strip(self.muted),
            header: strip(self.header),
            selected: keep_visible(self.selected).add_modifier(Modifier::REVERSED),
            border: strip(self.border),
            key: keep_visible(self.key),
            key_desc: strip(self.key_desc),
            ok: strip(self.ok),
            warning: strip(self.warning),
            error: keep_visible(self.error),
            accent: strip(self.accent),
            input: strip(self.input).add_modifier(Modifier::UNDERLINED),
        }
    }
}

/// True when the `NO_COLOR` convention (no-color.org) asks for no colour.
pub fn no_color_requested() -> bool {
    std::env::var_os("NO_COLOR").is_some_and(|v| !v.is_empty())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_built_in_theme_parses() {
        for (name, _) in BUILT_IN {
            let theme = Theme::load(name).unwrap();
            assert_eq!(&theme.name, name);
        }
    }

    #[test]
    fn bad_colour_is_reported_with_line_and_column() {
        let err = Theme::parse("themes/mine.toml", "[styles]\ntitle = { fg = \"cyna\" }\n").unwrap_err();
        assert!(err.starts_with("themes/mine.toml:2:"), "{err}");
        assert!(err.contains("'cyna' is not a colour"), "{err}");
    }

    #[test]
    fn unknown_style_is_reported() {
        let err = Theme::parse("t.toml", "[styles]\ntitel = {}\n").unwrap_err();
        assert!(err.starts_with("t.toml:2:1"), "{err}");
    }

    #[test]
    fn no_color_keeps_selection_visible() {
        let theme = Theme::built_in_default().without_color();
        assert_eq!(theme.title.fg, None);
        assert_eq!(theme.selected.bg, None);
        assert!(theme.selected.add_modifier.contains(Modifier::REVERSED));
    }

    #[test]
    fn unknown_name_lists_built_ins() {
        let err = Theme::load("solarized").unwrap_err();
        assert!(err.contains("high-contrast"), "{err}");
    }
}
