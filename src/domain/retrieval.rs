//! Finding things again: coded segments across interviews, and a global search over
//! notes, quotes, pilots and learning objectives.

use std::borrow::Cow;

use chrono::NaiveDateTime;
use serde::Serialize;

use super::codebook::Codebook;
use super::interview::{Interview, Paragraph, paragraphs};
use super::objective::Objective;
use super::{Id, Pilot};

/// One coded paragraph with everything needed to cite it (by role, never by name).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Segment {
    pub interview: Id,
    pub paragraph: u32,
    pub line: usize,
    pub text: String,
    pub codes: Vec<String>,
    pub quote: bool,
    pub pilots: Vec<Id>,
    pub role: String,
    pub org_type: String,
    pub round: String,
    pub at: NaiveDateTime,
    pub context: String,
}

/// Every interview's notes parsed into paragraphs once, with each paragraph's text in
/// lower case for search: what segments, code counts and search read, so that they do
/// not parse every note again each time they are asked.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Index {
    /// In the order of the interviews it was built from.
    entries: Vec<Entry>,
}

#[derive(Debug, Clone, PartialEq)]
struct Entry {
    interview: Id,
    /// The notes these paragraphs were parsed from.
    notes: String,
    paragraphs: Vec<Paragraph>,
    /// Each paragraph's text in lower case.
    lower: Vec<String>,
}

impl Entry {
    fn parse(i: &Interview) -> Entry {
        let paragraphs = paragraphs(&i.notes);
        let lower = paragraphs.iter().map(|p| p.text.to_lowercase()).collect();
        Entry { interview: i.id.clone(), notes: i.notes.clone(), paragraphs, lower }
    }
}

impl Index {
    pub fn build(interviews: &[Interview]) -> Index {
        Index::default().rebuilt(interviews)
    }

    /// The index of `interviews`, reusing the parsed paragraphs of every interview whose
    /// notes are the same as when this index was built.
    pub fn rebuilt(&self, interviews: &[Interview]) -> Index {
        let old: std::collections::HashMap<&str, &Entry> =
            self.entries.iter().map(|e| (e.interview.as_str(), e)).collect();
        let entries = interviews
            .iter()
            .map(|i| match old.get(i.id.as_str()) {
                Some(e) if e.notes == i.notes => (*e).clone(),
                _ => Entry::parse(i),
            })
            .collect();
        Index { entries }
    }

    /// The paragraphs of `interview`: from the index, or parsed on the spot when the
    /// index does not know its notes as they are.
    pub fn paragraphs_of(&self, interview: &Interview) -> Cow<'_, [Paragraph]> {
        match self.entries.iter().find(|e| e.interview == interview.id) {
            Some(e) if e.notes == interview.notes => Cow::Borrowed(&e.paragraphs),
            _ => Cow::Owned(interview.paragraphs()),
        }
    }

    /// Each interview with its entry; an interview the index was not built from (or
    /// whose notes changed since) is parsed on the spot.
    fn with<'a>(&'a self, interviews: &'a [Interview]) -> impl Iterator<Item = (&'a Interview, Cow<'a, Entry>)> + 'a {
        interviews.iter().enumerate().map(|(n, i)| match self.entries.get(n) {
            Some(e) if e.interview == i.id && e.notes == i.notes => (i, Cow::Borrowed(e)),
            _ => (i, Cow::Owned(Entry::parse(i))),
        })
    }
}

/// Every paragraph coded with `code` or any code under it, oldest interview first.
pub fn segments(interviews: &[Interview], book: &Codebook, code: &str) -> Vec<Segment> {
    segments_in(&Index::build(interviews), interviews, book, code)
}

/// [`segments`] read from `index` (built from `interviews`).
pub fn segments_in(index: &Index, interviews: &[Interview], book: &Codebook, code: &str) -> Vec<Segment> {
    let wanted = book.with_descendants(code);
    let mut out: Vec<Segment> = Vec::new();
    for (i, entry) in index.with(interviews) {
        for p in entry.paragraphs.iter().filter(|p| p.codes.iter().any(|c| wanted.contains(c))) {
            out.push(Segment {
                interview: i.id.clone(),
                paragraph: p.number,
                line: p.line,
                text: p.text.clone(),
                codes: p.codes.clone(),
                quote: p.quote,
                pilots: i.pilots.clone(),
                role: i.role.clone(),
                org_type: i.org_type.clone(),
                round: i.round.clone(),
                at: i.at,
                context: i.context.clone(),
            });
        }
    }
    out.sort_by(|a, b| a.at.cmp(&b.at).then(a.paragraph.cmp(&b.paragraph)));
    out
}

/// How many segments each pilot has, in portfolio order, zeros included: a code is
/// "central" in a pilot when it was coded there at all.
pub fn per_pilot<'a>(segments: &[Segment], pilots: &'a [Pilot]) -> Vec<(&'a Pilot, usize)> {
    pilots.iter().map(|p| (p, segments.iter().filter(|s| s.pilots.contains(&p.id)).count())).collect()
}

/// How often each code is used across all interviews, in codebook order.
pub fn code_counts(interviews: &[Interview], book: &Codebook) -> Vec<(String, usize)> {
    code_counts_in(&Index::build(interviews), interviews, book)
}

/// [`code_counts`] read from `index` (built from `interviews`).
pub fn code_counts_in(index: &Index, interviews: &[Interview], book: &Codebook) -> Vec<(String, usize)> {
    let mut used: std::collections::HashMap<&str, usize> = std::collections::HashMap::new();
    let entries: Vec<_> = index.with(interviews).map(|(_, e)| e).collect();
    for p in entries.iter().flat_map(|e| e.paragraphs.iter()) {
        for c in &p.codes {
            *used.entry(c.as_str()).or_default() += 1;
        }
    }
    book.codes.iter().map(|c| (c.slug.clone(), used.get(c.slug.as_str()).copied().unwrap_or(0))).collect()
}

#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(tag = "kind", rename_all = "kebab-case")]
pub enum Hit {
    Pilot { id: Id, name: String },
    Objective { id: Id, pilot: Id, question: String },
    Note { interview: Id, paragraph: u32, line: usize, text: String, quote: bool },
}

impl Hit {
    /// Where the hit comes from, for result lists.
    pub fn place(&self) -> String {
        match self {
            Hit::Pilot { id, .. } => format!("pilot {id}"),
            Hit::Objective { pilot, .. } => format!("objective · pilot {pilot}"),
            Hit::Note { interview, paragraph, quote: true, .. } => {
                format!("quote · interview {interview} ¶{paragraph}")
            }
            Hit::Note { interview, paragraph, .. } => format!("note · interview {interview} ¶{paragraph}"),
        }
    }

    pub fn text(&self) -> &str {
        match self {
            Hit::Pilot { name, .. } => name,
            Hit::Objective { question, .. } => question,
            Hit::Note { text, .. } => text,
        }
    }
}

/// Case-insensitive search for every word of `query`; pilots first, then objectives,
/// then notes. At most `limit` hits.
pub fn search(
    query: &str,
    pilots: &[Pilot],
    objectives: &[Objective],
    interviews: &[Interview],
    limit: usize,
) -> Vec<Hit> {
    search_in(&Index::build(interviews), query, pilots, objectives, interviews, limit)
}

/// [`search`] reading the notes from `index` (built from `interviews`).
pub fn search_in(
    index: &Index,
    query: &str,
    pilots: &[Pilot],
    objectives: &[Objective],
    interviews: &[Interview],
    limit: usize,
) -> Vec<Hit> {
    let words: Vec<String> = query.split_whitespace().map(str::to_lowercase).collect();
    if words.is_empty() {
        return vec![];
    }
    let found = |lower: &str| words.iter().all(|w| lower.contains(w.as_str()));
    let matches = |text: &str| found(&text.to_lowercase());
    let mut hits = Vec::new();
    for p in pilots {
        let all = format!("{} {} {}", p.name, p.alt_names.join(" "), p.region);
        if matches(&all) {
            hits.push(Hit::Pilot { id: p.id.clone(), name: p.name.clone() });
        }
    }
    for o in objectives {
        let all =
            format!("{} {}", o.question, o.lessons.iter().map(|l| l.statement.as_str()).collect::<Vec<_>>().join(" "));
        if matches(&all) {
            hits.push(Hit::Objective { id: o.id.clone(), pilot: o.pilot.clone(), question: o.question.clone() });
        }
    }
    'notes: for (i, entry) in index.with(interviews) {
        for (p, lower) in entry.paragraphs.iter().zip(&entry.lower) {
            if hits.len() >= limit {
                break 'notes;
            }
            if found(lower) {
                hits.push(Hit::Note {
                    interview: i.id.clone(),
                    paragraph: p.number,
                    line: p.line,
                    text: p.text.clone(),
                    quote: p.quote,
                });
            }
        }
    }
    hits.truncate(limit);
    hits
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::demo;

    fn data() -> (Vec<Pilot>, Vec<Interview>, Codebook) {
        let interviews: Vec<Interview> = demo::interviews()
            .into_iter()
            .enumerate()
            .map(|(n, mut i)| {
                i.id = format!("i{n}");
                i
            })
            .collect();
        (demo::pilots(), interviews, demo::codebook(&demo::evaluation().themes))
    }

    #[test]
    fn a_theme_retrieves_its_sub_codes_across_pilots() {
        let (pilots, interviews, book) = data();
        let segs = segments(&interviews, &book, "cooperation-and-partnership-models");
        assert!(segs.iter().any(|s| s.codes.contains(&"trust".to_string())), "sub-code #trust is included");
        assert!(segs.windows(2).all(|w| w[0].at <= w[1].at));
        let counts = per_pilot(&segs, &pilots);
        assert_eq!(counts.len(), pilots.len(), "every pilot is listed, zeros too");
        let aimo = counts.iter().find(|(p, _)| p.id == "p7").unwrap().1;
        assert!(aimo >= 3, "{aimo}");
    }

    #[test]
    fn segments_cite_role_and_context_never_a_name() {
        let (_, mut interviews, book) = data();
        interviews[1].name = Some("Maija Meikäläinen".into());
        let segs = segments(&interviews, &book, "trust");
        let json = serde_json::to_string(&segs).unwrap();
        assert!(!json.contains("Meikäläinen"));
        assert!(segs.iter().any(|s| s.context.contains("COVID-19")));
    }

    #[test]
    fn search_finds_pilots_objectives_and_notes() {
        let (pilots, interviews, _) = data();
        let objectives = demo::objectives();
        let hits = search("partnership led", &pilots, &objectives, &interviews, 50);
        assert!(hits.iter().any(|h| matches!(h, Hit::Note { quote: true, .. })));
        assert!(hits.iter().any(|h| matches!(h, Hit::Objective { .. })));
        assert!(matches!(search("personal coach", &pilots, &objectives, &interviews, 50)[0], Hit::Pilot { .. }));
        assert!(search("", &pilots, &objectives, &interviews, 50).is_empty());
        assert_eq!(search("the", &pilots, &objectives, &interviews, 3).len(), 3);
    }

    #[test]
    fn code_counts_follow_the_codebook() {
        let (_, interviews, book) = data();
        let counts = code_counts(&interviews, &book);
        assert_eq!(counts.len(), book.codes.len());
        assert!(counts.iter().find(|(c, _)| c == "trust").unwrap().1 >= 3);
    }

    #[test]
    fn an_index_rebuilt_after_a_change_reads_like_a_fresh_one() {
        let (pilots, mut interviews, book) = data();
        let old = Index::build(&interviews);
        interviews[2].notes.push_str("\n\nA new paragraph about trust. #trust\n");
        interviews.remove(0);
        let index = old.rebuilt(&interviews);
        assert_eq!(index, Index::build(&interviews));
        assert_eq!(segments_in(&index, &interviews, &book, "trust"), segments(&interviews, &book, "trust"));
        assert_eq!(
            segments_in(&old, &interviews, &book, "trust"),
            segments(&interviews, &book, "trust"),
            "stale: parsed"
        );
        assert_eq!(code_counts_in(&old, &interviews, &book), code_counts(&interviews, &book));
        let hits = search_in(&old, "new paragraph", &pilots, &[], &interviews, 50);
        assert_eq!(hits.len(), 1, "{hits:?}");
    }
}
