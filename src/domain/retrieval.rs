//! Finding things again: coded segments across interviews, and a global search over
//! notes, quotes, pilots and learning objectives.

use chrono::NaiveDateTime;
use serde::Serialize;

use super::codebook::Codebook;
use super::interview::Interview;
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

/// Every paragraph coded with `code` or any code under it, oldest interview first.
pub fn segments(interviews: &[Interview], book: &Codebook, code: &str) -> Vec<Segment> {
    let wanted = book.with_descendants(code);
    let mut out: Vec<Segment> = interviews
        .iter()
        .flat_map(|i| {
            i.paragraphs().into_iter().filter(|p| p.codes.iter().any(|c| wanted.contains(c))).map(move |p| Segment {
                interview: i.id.clone(),
                paragraph: p.number,
                line: p.line,
                text: p.text,
                codes: p.codes,
                quote: p.quote,
                pilots: i.pilots.clone(),
                role: i.role.clone(),
                org_type: i.org_type.clone(),
                round: i.round.clone(),
                at: i.at,
                context: i.context.clone(),
            })
        })
        .collect();
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
    let paragraphs: Vec<Vec<String>> =
        interviews.iter().flat_map(|i| i.paragraphs().into_iter().map(|p| p.codes)).collect();
    book.codes
        .iter()
        .map(|c| (c.slug.clone(), paragraphs.iter().filter(|codes| codes.contains(&c.slug)).count()))
        .collect()
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
    let words: Vec<String> = query.split_whitespace().map(str::to_lowercase).collect();
    if words.is_empty() {
        return vec![];
    }
    let matches = |text: &str| {
        let t = text.to_lowercase();
        words.iter().all(|w| t.contains(w.as_str()))
    };
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
    'notes: for i in interviews {
        for p in i.paragraphs() {
            if hits.len() >= limit {
                break 'notes;
            }
            if matches(&p.text) {
                hits.push(Hit::Note {
                    interview: i.id.clone(),
                    paragraph: p.number,
                    line: p.line,
                    text: p.text,
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
}
