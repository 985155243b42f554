//! The evaluation-wide codebook: hierarchical codes (theme → sub-code) used to tag
//! interview paragraphs. Seeded from the evaluation's themes and the lesson categories.

use serde::{Deserialize, Serialize};

use super::interview::is_tag_char;

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Code {
    /// What is typed after `#` in notes; unique in the codebook.
    pub slug: String,
    pub name: String,
    #[serde(default)]
    pub parent: Option<String>,
    #[serde(default)]
    pub description: String,
    /// `#rrggbb`, used by exports (REFI-QDA) and the TUI.
    #[serde(default)]
    pub colour: String,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Default)]
pub struct Codebook {
    pub codes: Vec<Code>,
}

/// The lesson categories the reports use across pilots.
pub const LESSON_CATEGORIES: [&str; 5] =
    ["Solving labour shortage", "Clients' employability", "Organising TE services", "Purchasing", "Partnership work"];

const PALETTE: [&str; 8] = ["#1f77b4", "#ff7f0e", "#2ca02c", "#d62728", "#9467bd", "#8c564b", "#e377c2", "#17becf"];

/// A tag-safe slug: lower case, words joined by `-`, other punctuation dropped.
pub fn slugify(name: &str) -> String {
    let mut slug = String::new();
    for c in name.trim().to_lowercase().chars() {
        if is_tag_char(c) && c != '/' {
            slug.push(c);
        } else if (c.is_whitespace() || c == '/') && !slug.ends_with('-') {
            slug.push('-');
        }
    }
    slug.trim_matches('-').to_string()
}

impl Codebook {
    /// Themes as top-level codes, lesson categories under a "lessons" code.
    pub fn seeded(themes: &[String]) -> Codebook {
        let mut book = Codebook::default();
        for t in themes {
            let _ = book.add(t, None, "Cross-pilot theme of the synthesis");
        }
        if book.add("Lessons", None, "Lesson categories across pilots").is_ok() {
            for l in LESSON_CATEGORIES {
                let _ = book.add(l, Some("lessons"), "Lesson category");
            }
        }
        book
    }

    pub fn get(&self, slug: &str) -> Option<&Code> {
        self.codes.iter().find(|c| c.slug.eq_ignore_ascii_case(slug))
    }

    /// Adds a code; returns its slug.
    pub fn add(&mut self, name: &str, parent: Option<&str>, description: &str) -> Result<String, String> {
        let slug = slugify(name);
        if slug.is_empty() {
            return Err("a code needs a name with letters or digits".into());
        }
        if self.get(&slug).is_some() {
            return Err(format!("the codebook already has #{slug}"));
        }
        if let Some(p) = parent
            && self.get(p).is_none()
        {
            return Err(format!("no parent code #{p}"));
        }
        let colour = PALETTE[self.codes.len() % PALETTE.len()].to_string();
        self.codes.push(Code {
            slug: slug.clone(),
            name: name.trim().into(),
            parent: parent.map(str::to_string),
            description: description.into(),
            colour,
        });
        Ok(slug)
    }

    pub fn children<'a>(&'a self, slug: &'a str) -> impl Iterator<Item = &'a Code> + 'a {
        self.codes.iter().filter(move |c| c.parent.as_deref() == Some(slug))
    }

    /// The code and all codes under it: retrieving a theme includes its sub-codes.
    pub fn with_descendants(&self, slug: &str) -> Vec<String> {
        let mut out = vec![slug.to_lowercase()];
        let mut i = 0;
        while i < out.len() {
            let current = out[i].clone();
            out.extend(
                self.children(&current).map(|c| c.slug.clone()).filter(|s| !out.contains(s)).collect::<Vec<_>>(),
            );
            i += 1;
        }
        out
    }

    /// "Theme › sub-code" for lists.
    pub fn path(&self, slug: &str) -> String {
        match self.get(slug) {
            None => format!("#{slug}"),
            Some(c) => match c.parent.as_deref().and_then(|p| self.get(p)) {
                Some(p) => format!("{} › {}", p.name, c.name),
                None => c.name.clone(),
            },
        }
    }
}

/// Scores `candidate` against a fuzzy `query` (letters in order); higher is better,
/// `None` when the letters do not all appear in order.
pub fn fuzzy_score(query: &str, candidate: &str) -> Option<i32> {
    let q: Vec<char> = query.to_lowercase().chars().filter(|c| !c.is_whitespace()).collect();
    if q.is_empty() {
        return Some(0);
    }
    let c: Vec<char> = candidate.to_lowercase().chars().collect();
    let (mut qi, mut score, mut last) = (0usize, 0i32, None::<usize>);
    for (ci, ch) in c.iter().enumerate() {
        if qi < q.len() && *ch == q[qi] {
            score += match last {
                Some(l) if l + 1 == ci => 5,
                _ => 1,
            };
            if ci == 0 || !c[ci - 1].is_alphanumeric() {
                score += 3;
            }
            last = Some(ci);
            qi += 1;
        }
    }
    (qi == q.len()).then_some(score - c.len() as i32 / 10)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn slugs_are_tag_safe_and_keep_finnish_letters() {
        assert_eq!(slugify("Purchasing and the service market"), "purchasing-and-the-service-market");
        assert_eq!(slugify("Clients' employability"), "clients-employability");
        assert_eq!(slugify("Työllisyys / Kasvu"), "työllisyys-kasvu");
    }

    #[test]
    fn seeded_book_nests_lessons_and_refuses_duplicates() {
        let mut book = Codebook::seeded(&["Customer-centricity".into()]);
        assert_eq!(book.children("lessons").count(), 5);
        assert!(book.add("customer centricity", None, "").is_err());
        assert!(book.add("Trust", Some("nope"), "").is_err());
        book.add("Trust", Some("customer-centricity"), "").unwrap();
        assert_eq!(book.with_descendants("customer-centricity"), vec!["customer-centricity", "trust"]);
        assert_eq!(book.path("trust"), "Customer-centricity › Trust");
    }

    #[test]
    fn fuzzy_prefers_word_starts_and_runs() {
        assert!(fuzzy_score("cc", "customer-centricity").unwrap() > fuzzy_score("cc", "accent").unwrap_or(-100));
        assert!(fuzzy_score("pzx", "purchasing").is_none());
        assert!(fuzzy_score("pur", "purchasing").unwrap() > fuzzy_score("pur", "results-based procurement").unwrap());
    }
}
