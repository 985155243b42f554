//! Fixed text in the user's language, from `locales/<lang>.toml`: the participant screens of a
//! workshop and the report's headings. Each file is a set of tables of `key = "text"`; a text
//! may hold `{name}` placeholders. English is complete by definition; a key another language
//! lacks falls back to English, and a test keeps every file's keys equal to English's.

use std::collections::BTreeMap;
use std::sync::OnceLock;

/// Languages with a locale file, as (code, the language's own name).
pub const LANGUAGES: [(&str, &str); 3] = [("en", "English"), ("fi", "suomi"), ("sv", "svenska")];

const FILES: [(&str, &str); 3] = [
    ("en", include_str!("../locales/en.toml")),
    ("fi", include_str!("../locales/fi.toml")),
    ("sv", include_str!("../locales/sv.toml")),
];

/// One language's texts, keyed `table.key` (e.g. `participant.join_title`).
#[derive(Debug)]
pub struct Locale {
    pub lang: &'static str,
    texts: BTreeMap<String, String>,
}

impl Locale {
    /// The locale for `lang` (a code such as `fi`, case-insensitive); English when there is
    /// no file for it.
    pub fn get(lang: &str) -> &'static Locale {
        let all = all();
        all.iter().find(|l| l.lang.eq_ignore_ascii_case(lang.trim())).unwrap_or(&all[0])
    }

    /// Whether `lang` has a locale file.
    pub fn supports(lang: &str) -> bool {
        LANGUAGES.iter().any(|(code, _)| code.eq_ignore_ascii_case(lang.trim()))
    }

    /// The text for `key`, from this language or else English; the key itself when no file
    /// has it, so a missing text shows up on screen instead of hiding.
    pub fn t<'a>(&'a self, key: &'a str) -> &'a str {
        self.texts.get(key).or_else(|| all()[0].texts.get(key)).map_or(key, String::as_str)
    }

    /// [`Locale::t`] with each `{name}` replaced by its value.
    pub fn f(&self, key: &str, args: &[(&str, &dyn std::fmt::Display)]) -> String {
        let mut text = self.t(key).to_string();
        for (name, value) in args {
            text = text.replace(&format!("{{{name}}}"), &value.to_string());
        }
        text
    }

    /// The next language in [`LANGUAGES`], for a key that cycles through them.
    pub fn next(&self) -> &'static Locale {
        let i = LANGUAGES.iter().position(|(code, _)| *code == self.lang).unwrap_or(0);
        Locale::get(LANGUAGES[(i + 1) % LANGUAGES.len()].0)
    }

    /// The language's own name ("suomi").
    pub fn name(&self) -> &'static str {
        LANGUAGES.iter().find(|(code, _)| *code == self.lang).map_or("English", |(_, n)| n)
    }
}

fn all() -> &'static [Locale] {
    static ALL: OnceLock<Vec<Locale>> = OnceLock::new();
    ALL.get_or_init(|| FILES.iter().map(|(lang, text)| parse(lang, text)).collect())
}

/// The files are part of the binary and checked by the tests below, so a broken one is a
/// build mistake: it yields no texts (every key then falls back) rather than a panic.
fn parse(lang: &'static str, text: &str) -> Locale {
    let table: toml::Table = toml::from_str(text).unwrap_or_default();
    let mut texts = BTreeMap::new();
    for (section, entries) in table {
        if let toml::Value::Table(entries) = entries {
            for (key, value) in entries {
                if let toml::Value::String(s) = value {
                    texts.insert(format!("{section}.{key}"), s);
                }
            }
        }
    }
    Locale { lang, texts }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_file_parses_and_has_exactly_the_english_keys() {
        for (lang, text) in FILES {
            toml::from_str::<toml::Table>(text).unwrap_or_else(|e| panic!("locales/{lang}.toml: {e}"));
        }
        let english: Vec<_> = Locale::get("en").texts.keys().collect();
        assert!(!english.is_empty());
        for (lang, _) in LANGUAGES {
            let keys: Vec<_> = Locale::get(lang).texts.keys().collect();
            let missing: Vec<_> = english.iter().filter(|k| !keys.contains(k)).collect();
            let extra: Vec<_> = keys.iter().filter(|k| !english.contains(k)).collect();
            assert!(missing.is_empty() && extra.is_empty(), "{lang}: missing {missing:?}, extra {extra:?}");
        }
    }

    #[test]
    fn placeholders_are_filled_and_unknown_languages_fall_back_to_english() {
        let fi = Locale::get("FI");
        assert_eq!(fi.lang, "fi");
        assert_eq!(fi.f("participant.dots_left", &[("n", &3)]), "Pisteitä jäljellä: 3");
        assert_eq!(Locale::get("de").lang, "en");
        assert_eq!(Locale::get("en").t("no.such.key"), "no.such.key");
        assert_eq!(Locale::get("sv").next().lang, "en");
        assert!(Locale::supports("sv") && !Locale::supports("de"));
    }
}
