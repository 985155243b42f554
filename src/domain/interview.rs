//! Interviews and their notes. Notes are plain text, one paragraph a line, so they stay
//! readable and exportable anywhere. Coding lives in the text itself: `#trust` tags a
//! paragraph with a code, a leading `> ` marks a quote, `[12:34]` stamps the elapsed
//! time. Tags survive every edit, undo and paste, and nothing hides in a side table.

use chrono::NaiveDateTime;
use serde::{Deserialize, Serialize};

use super::Id;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Consent {
    Yes,
    No,
    Partial,
}

impl Consent {
    pub fn label(self) -> &'static str {
        match self {
            Consent::Yes => "yes",
            Consent::No => "no",
            Consent::Partial => "partial",
        }
    }

    pub fn parse(text: &str) -> Result<Consent, String> {
        match text.trim().to_lowercase().as_str() {
            "yes" | "y" => Ok(Consent::Yes),
            "no" | "n" => Ok(Consent::No),
            "partial" | "p" => Ok(Consent::Partial),
            other => Err(format!("'{other}' is not a consent: yes, no or partial")),
        }
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Interview {
    pub id: Id,
    /// The pilots the interview is about (one interview can cover several).
    pub pilots: Vec<Id>,
    pub at: NaiveDateTime,
    /// What was going on, e.g. "at COVID-19 onset": data read differently in context.
    #[serde(default)]
    pub context: String,
    #[serde(default)]
    pub interviewers: Vec<String>,
    /// The interviewee's role, from the evaluation's list: people are cited by role.
    pub role: String,
    #[serde(default)]
    pub org_type: String,
    pub round: String,
    pub consent: Consent,
    /// Optional, and never exported unless explicitly asked for.
    #[serde(default)]
    pub name: Option<String>,
    #[serde(default)]
    pub notes: String,
}

/// Notes being typed, saved every second while the editor is open: a killed process
/// or a dropped connection loses at most the last second. Reopening restores the text
/// and the cursor exactly; leaving the editor settles the draft into the interview.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct NoteDraft {
    pub interview: Id,
    pub text: String,
    /// Cursor as (line, column in characters).
    pub cursor: (usize, usize),
    /// When note taking started, for the elapsed-time stamps.
    pub started: NaiveDateTime,
    /// Who typed it: two evaluators with the same notes open (over `oppi serve`) each
    /// keep their own draft. Empty in drafts from before there was a server.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub by: String,
}

impl NoteDraft {
    /// What the store keys the draft by: the interview, and who typed it.
    pub fn key_id(&self) -> String {
        draft_id(&self.interview, &self.by)
    }
}

/// The id a draft of `interview` by `by` is stored under (see [`NoteDraft::key_id`]).
pub fn draft_id(interview: &str, by: &str) -> String {
    if by.is_empty() { interview.to_string() } else { format!("{interview}/{}", by.replace('/', "_")) }
}

/// Lines of `ours` that neither `base` nor `theirs` has, in order: what one evaluator
/// typed while another saved the same notes. Appended to theirs, nothing typed is lost
/// and nothing is doubled; removals are not carried over, as a removal loses nothing.
pub fn lines_added(base: &str, theirs: &str, ours: &str) -> Vec<String> {
    let mut known: std::collections::HashMap<&str, usize> = std::collections::HashMap::new();
    for line in base.lines().chain(theirs.lines()) {
        *known.entry(line).or_default() += 1;
    }
    let mut added = Vec::new();
    for line in ours.lines() {
        match known.get_mut(line) {
            Some(n) if *n > 0 => *n -= 1,
            _ if line.trim().is_empty() => {}
            _ => added.push(line.to_string()),
        }
    }
    added
}

/// One paragraph of notes, parsed.
#[derive(Debug, Clone, PartialEq)]
pub struct Paragraph {
    /// 1-based count of non-empty lines: how evidence refers to a paragraph.
    pub number: u32,
    /// 0-based line in the notes, for jumping the editor there.
    pub line: usize,
    /// The text without tags, quote marker or time stamp.
    pub text: String,
    pub codes: Vec<String>,
    pub quote: bool,
    pub stamp: Option<String>,
}

/// Characters a code tag may contain after its `#`.
pub fn is_tag_char(c: char) -> bool {
    c.is_alphanumeric() || c == '-' || c == '_' || c == '/'
}

/// Splits notes into paragraphs with their codes.
pub fn paragraphs(notes: &str) -> Vec<Paragraph> {
    let mut out = Vec::new();
    for (line, raw) in notes.lines().enumerate() {
        if raw.trim().is_empty() {
            continue;
        }
        let mut rest = raw.trim();
        let quote = rest.starts_with('>');
        if quote {
            rest = rest[1..].trim_start();
        }
        let mut stamp = None;
        if let Some(end) = rest.find(']')
            && rest.starts_with('[')
            && rest[1..end].chars().all(|c| c.is_ascii_digit() || c == ':')
            && end > 1
        {
            stamp = Some(rest[1..end].to_string());
            rest = rest[end + 1..].trim_start();
        }
        let mut codes: Vec<String> = Vec::new();
        let mut words: Vec<&str> = Vec::new();
        for word in rest.split(' ') {
            let tag = word.strip_prefix('#').filter(|t| !t.is_empty() && t.chars().all(is_tag_char));
            match tag {
                Some(t) if !t.chars().all(|c| c.is_ascii_digit()) => {
                    let t = t.to_lowercase();
                    if !codes.contains(&t) {
                        codes.push(t);
                    }
                }
                _ => words.push(word),
            }
        }
        let text = words.join(" ").trim().to_string();
        out.push(Paragraph { number: out.len() as u32 + 1, line, text, codes, quote, stamp });
    }
    out
}

/// Adds `#code` to the end of line `line` unless it is already there.
pub fn add_code(notes: &str, line: usize, code: &str) -> String {
    edit_line(notes, line, |l| {
        let present = l.split(' ').any(|w| w.strip_prefix('#').is_some_and(|t| t.eq_ignore_ascii_case(code)));
        if present { l.to_string() } else { format!("{} #{code}", l.trim_end()) }
    })
}

/// Toggles the quote marker of line `line`.
pub fn toggle_quote(notes: &str, line: usize) -> String {
    edit_line(notes, line, |l| match l.strip_prefix("> ") {
        Some(rest) => rest.to_string(),
        None => format!("> {l}"),
    })
}

fn edit_line(notes: &str, line: usize, f: impl Fn(&str) -> String) -> String {
    let mut lines: Vec<String> = notes.split('\n').map(String::from).collect();
    if let Some(l) = lines.get_mut(line) {
        *l = f(l);
    }
    lines.join("\n")
}

/// "[mm:ss]" for elapsed seconds, "[h:mm:ss]" past an hour.
pub fn stamp(elapsed_secs: i64) -> String {
    let s = elapsed_secs.max(0);
    if s >= 3600 {
        format!("[{}:{:02}:{:02}]", s / 3600, s / 60 % 60, s % 60)
    } else {
        format!("[{:02}:{:02}]", s / 60, s % 60)
    }
}

impl Interview {
    pub fn paragraphs(&self) -> Vec<Paragraph> {
        paragraphs(&self.notes)
    }

    pub fn paragraph(&self, number: u32) -> Option<Paragraph> {
        self.paragraphs().into_iter().find(|p| p.number == number)
    }

    /// How the interviewee is cited: by role and organisation type, never by name.
    pub fn cited_as(&self) -> String {
        if self.org_type.is_empty() || self.org_type.eq_ignore_ascii_case(&self.role) {
            self.role.clone()
        } else {
            format!("{}, {}", self.role, self.org_type)
        }
    }

    pub fn words(&self) -> usize {
        self.notes.split_whitespace().count()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lines_added_are_what_only_ours_has_once_each() {
        let base = "a\nb";
        let theirs = "a\nb\nc";
        let ours = "a\nb\nd\nc\nd";
        assert_eq!(lines_added(base, theirs, ours), ["d", "d"]);
        assert!(lines_added(base, theirs, "a").is_empty(), "a removal adds nothing");
        assert_eq!(draft_id("i3", "anna/x"), "i3/anna_x");
        assert_eq!(draft_id("i3", ""), "i3");
    }

    const NOTES: &str = "[00:42] Trust grew when the coach stayed the same #trust #customer-centricity\n\n\
                         > We were never told what happened to our proposals #communication\n\
                         Meeting #1 was in March #TRUST";

    #[test]
    fn paragraphs_carry_codes_quotes_and_stamps() {
        let ps = paragraphs(NOTES);
        assert_eq!(ps.len(), 3);
        assert_eq!(ps[0].stamp.as_deref(), Some("00:42"));
        assert_eq!(ps[0].codes, vec!["trust", "customer-centricity"]);
        assert_eq!(ps[0].text, "Trust grew when the coach stayed the same");
        assert!(ps[1].quote);
        assert_eq!(ps[1].number, 2);
        assert_eq!(ps[1].line, 2);
        assert_eq!(ps[2].codes, vec!["trust"], "numbers are not codes; tags ignore case");
        assert_eq!(ps[2].text, "Meeting #1 was in March");
    }

    #[test]
    fn add_code_is_idempotent_and_quote_toggles() {
        let notes = "first\nsecond ä";
        let once = add_code(notes, 1, "trust");
        assert_eq!(once, "first\nsecond ä #trust");
        assert_eq!(add_code(&once, 1, "TRUST"), once);
        let quoted = toggle_quote(&once, 0);
        assert_eq!(quoted, "> first\nsecond ä #trust");
        assert_eq!(toggle_quote(&quoted, 0), once);
        assert_eq!(add_code(notes, 9, "x"), notes, "a line that does not exist changes nothing");
    }

    #[test]
    fn stamps_format_elapsed_time() {
        assert_eq!(stamp(42), "[00:42]");
        assert_eq!(stamp(3725), "[1:02:05]");
        assert_eq!(stamp(-5), "[00:00]");
    }

    #[test]
    fn consent_parses() {
        assert_eq!(Consent::parse("Partial").unwrap(), Consent::Partial);
        assert!(Consent::parse("maybe").is_err());
    }
}
