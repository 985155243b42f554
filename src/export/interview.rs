//! Interviews as Markdown or plain text: the header facts, then the notes paragraph by
//! paragraph, quotes as block quotes cited by role, context and date, and each
//! paragraph's codes on a line of their own.
//!
//! People are cited by role, never by name: the interviewee's `name` and the
//! interviewers appear only when the caller asks for names. In Markdown all user text
//! goes through [`escape_inline`] (see [`super::markdown::escape`]). Deterministic: no
//! export time is written.

use crate::domain::codebook::Codebook;
use crate::domain::interview::{Interview, Paragraph};
use crate::domain::objective::Objective;
use crate::domain::pilot::Pilot;

use super::markdown::escape_inline;

/// What an export needs to turn ids into names.
#[derive(Clone, Copy)]
pub struct Refs<'a> {
    pub pilots: &'a [Pilot],
    pub codebook: &'a Codebook,
    pub objectives: &'a [Objective],
}

impl Refs<'_> {
    /// "Omavalmentaja (p2)", or the bare id of a pilot that is not in the store.
    pub fn pilot_label(&self, id: &str) -> String {
        match self.pilots.iter().find(|p| p.id == id) {
            Some(p) => format!("{} ({id})", p.name),
            None => id.to_string(),
        }
    }

    /// The pilot's name, or its id when it is not in the store.
    pub fn pilot_name(&self, id: &str) -> String {
        self.pilots.iter().find(|p| p.id == id).map_or_else(|| id.to_string(), |p| p.name.clone())
    }

    /// The learning objective a code names, if the code is an objective id (`o16`).
    pub fn objective(&self, code: &str) -> Option<&Objective> {
        self.objectives.iter().find(|o| o.id.eq_ignore_ascii_case(code))
    }

    /// A code as a reader sees it: the codebook name, "objective o16" for a learning
    /// objective, or `#tag` for a tag that is in neither.
    pub fn code_label(&self, code: &str) -> String {
        if let Some(c) = self.codebook.get(code) {
            c.name.clone()
        } else if let Some(o) = self.objective(code) {
            format!("objective {}", o.id)
        } else {
            format!("#{code}")
        }
    }
}

/// The context up to its first `:` ("at COVID-19 onset: offices closed" → "at COVID-19
/// onset"), for short citations.
fn short_context(context: &str) -> &str {
    context.split(':').next().unwrap_or("").trim()
}

/// How a quote is cited: "service provider, at COVID-19 onset, 2020-03-17". Role, then
/// the organisation type when it says something the role does not, then the context's
/// first clause and the date.
pub fn citation(i: &Interview) -> String {
    let mut parts: Vec<&str> = Vec::new();
    if !i.role.trim().is_empty() {
        parts.push(i.role.trim());
    }
    let org = i.org_type.trim();
    if !org.is_empty() && !org.eq_ignore_ascii_case(i.role.trim()) {
        parts.push(org);
    }
    let context = short_context(&i.context);
    if !context.is_empty() {
        parts.push(context);
    }
    let date = i.at.format("%Y-%m-%d").to_string();
    let mut out = parts.join(", ");
    if !out.is_empty() {
        out.push_str(", ");
    }
    out.push_str(&date);
    out
}

/// "partner (Kela)", or just the role when the organisation type is empty or the same.
fn who(i: &Interview) -> String {
    let org = i.org_type.trim();
    if org.is_empty() || org.eq_ignore_ascii_case(i.role.trim()) {
        i.role.clone()
    } else {
        format!("{} ({org})", i.role)
    }
}

/// The header facts as (label, value) pairs, names only when asked for.
fn facts(i: &Interview, refs: Refs<'_>, with_names: bool) -> Vec<(&'static str, String)> {
    let mut facts = vec![
        ("Role", i.role.clone()),
        ("Organisation type", i.org_type.clone()),
        ("Date", i.at.format("%Y-%m-%d %H:%M").to_string()),
        ("Context", i.context.clone()),
        ("Round", i.round.clone()),
        ("Consent", i.consent.label().to_string()),
        ("Pilots", i.pilots.iter().map(|p| refs.pilot_label(p)).collect::<Vec<_>>().join(", ")),
    ];
    if with_names {
        facts.push(("Interviewers", i.interviewers.join(", ")));
        facts.push(("Name", i.name.clone().unwrap_or_default()));
    }
    facts.retain(|(_, v)| !v.trim().is_empty());
    facts
}

fn paragraph_text(p: &Paragraph) -> String {
    match &p.stamp {
        Some(s) => format!("[{s}] {}", p.text),
        None => p.text.clone(),
    }
}

fn codes_line(p: &Paragraph, refs: Refs<'_>) -> String {
    p.codes.iter().map(|c| refs.code_label(c)).collect::<Vec<_>>().join(", ")
}

/// One interview as Markdown.
pub fn interview_markdown(i: &Interview, refs: Refs<'_>, with_names: bool) -> String {
    let mut out =
        format!("# Interview {}: {}, {}\n\n", escape_inline(&i.id), escape_inline(&who(i)), i.at.format("%Y-%m-%d"));
    for (label, value) in facts(i, refs, with_names) {
        out.push_str(&format!("- **{label}:** {}\n", escape_inline(&value)));
    }
    out.push_str("\n## Notes\n\n");
    let paragraphs = i.paragraphs();
    if paragraphs.is_empty() {
        out.push_str("(no notes)\n");
    }
    let cited = escape_inline(&citation(i));
    for p in &paragraphs {
        let text = escape_inline(&paragraph_text(p));
        if p.quote {
            out.push_str(&format!("> ¶{} {text}\n>\n> — {cited}\n\n", p.number));
        } else {
            out.push_str(&format!("¶{} {text}\n\n", p.number));
        }
        if !p.codes.is_empty() {
            out.push_str(&format!("Codes: {}\n\n", escape_inline(&codes_line(p, refs))));
        }
    }
    while out.ends_with("\n\n") {
        out.pop();
    }
    out
}

/// One interview as plain text (nothing escaped: for reading and pasting).
pub fn interview_text(i: &Interview, refs: Refs<'_>, with_names: bool) -> String {
    let mut out = format!("Interview {}: {}, {}\n", i.id, who(i), i.at.format("%Y-%m-%d"));
    for (label, value) in facts(i, refs, with_names) {
        out.push_str(&format!("{label}: {}\n", one_line(&value)));
    }
    out.push_str("\nNotes\n");
    let paragraphs = i.paragraphs();
    if paragraphs.is_empty() {
        out.push_str("(no notes)\n");
    }
    let cited = citation(i);
    for p in &paragraphs {
        let text = one_line(&paragraph_text(p));
        if p.quote {
            out.push_str(&format!("¶{} “{text}”\n    — {cited}\n", p.number));
        } else {
            out.push_str(&format!("¶{} {text}\n", p.number));
        }
        if !p.codes.is_empty() {
            out.push_str(&format!("    Codes: {}\n", codes_line(p, refs)));
        }
    }
    out
}

fn one_line(text: &str) -> String {
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// Several interviews, one after another, in the order given.
pub fn interviews_markdown(list: &[Interview], refs: Refs<'_>, with_names: bool) -> String {
    list.iter().map(|i| interview_markdown(i, refs, with_names)).collect::<Vec<_>>().join("\n")
}

/// Several interviews as plain text, separated by a blank line.
pub fn interviews_text(list: &[Interview], refs: Refs<'_>, with_names: bool) -> String {
    list.iter().map(|i| interview_text(i, refs, with_names)).collect::<Vec<_>>().join("\n")
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::demo;
    use crate::domain::interview::Consent;

    fn interview(notes: &str) -> Interview {
        Interview {
            id: "i9".into(),
            pilots: vec!["p2".into()],
            at: chrono::NaiveDateTime::parse_from_str("2020-03-17 13:00", "%Y-%m-%d %H:%M").unwrap(),
            context: "at COVID-19 onset: offices closed the day before".into(),
            interviewers: vec!["Lead evaluator".into()],
            role: "service provider".into(),
            org_type: "service provider".into(),
            round: "mid".into(),
            consent: Consent::Yes,
            name: Some("Maija Meikäläinen".into()),
            notes: notes.into(),
        }
    }

    fn with_refs<T>(f: impl FnOnce(Refs<'_>) -> T) -> T {
        let pilots = demo::pilots();
        let book = demo::codebook(&demo::evaluation().themes);
        let mut objectives = demo::objectives();
        objectives[0].id = "o16".into();
        f(Refs { pilots: &pilots, codebook: &book, objectives: &objectives })
    }

    #[test]
    fn quotes_are_cited_by_role_context_and_date() {
        let i = interview("[00:03] Moved to phone #trust\n> The relationship carried us #trust #o16\nplain");
        let md = with_refs(|r| interview_markdown(&i, r, false));
        assert!(md.starts_with("# Interview i9: service provider, 2020-03-17\n"), "{md}");
        assert!(
            md.contains("> ¶2 The relationship carried us\n>\n> — service provider, at COVID-19 onset, 2020-03-17\n"),
            "{md}"
        );
        assert!(md.contains("¶1 \\[00:03\\] Moved to phone\n\nCodes: Trust\n"), "{md}");
        assert!(md.contains("Codes: Trust, objective o16\n"), "{md}");
        assert!(md.contains("- **Pilots:** Omavalmentaja (p2)\n"), "{md}");
        assert!(md.contains("- **Consent:** yes\n"), "{md}");
        assert!(md.ends_with("¶3 plain\n"), "{md:?}");
    }

    #[test]
    fn names_only_when_asked_for() {
        let i = interview("text");
        for out in with_refs(|r| [interview_markdown(&i, r, false), interview_text(&i, r, false)]) {
            assert!(!out.contains("Meikäläinen") && !out.contains("Lead evaluator"), "{out}");
        }
        for out in with_refs(|r| [interview_markdown(&i, r, true), interview_text(&i, r, true)]) {
            assert!(out.contains("Meikäläinen") && out.contains("Lead evaluator"), "{out}");
        }
    }

    #[test]
    fn user_text_stays_literal_in_markdown() {
        let mut i = interview("*Kasvu* | <script>alert(1)</script> #trust\n> - [link](x) _y_\n1. not a list");
        i.context = "*bold* | <b>".into();
        i.role = "# role".into();
        let md = with_refs(|r| interview_markdown(&i, r, false));
        assert!(md.contains("\\*Kasvu\\* \\| \\<script\\>alert(1)\\</script\\>"), "{md}");
        assert!(md.contains("> ¶2 \\- \\[link\\](x) \\_y\\_"), "{md}");
        assert!(md.contains("¶3 1\\. not a list"), "{md}");
        assert!(md.contains("\\*bold\\* \\| \\<b\\>"), "{md}");
        assert!(md.starts_with("# Interview i9: \\# role (service provider)"), "{md}");
        assert!(!md.contains("<script>") && !md.contains("<b>"));
    }

    #[test]
    fn exports_are_deterministic_and_text_is_plain() {
        let i = interview("> Quote *as typed* #trust");
        let a = with_refs(|r| interviews_markdown(&[i.clone(), i.clone()], r, false));
        let b = with_refs(|r| interviews_markdown(&[i.clone(), i.clone()], r, false));
        assert_eq!(a, b);
        assert_eq!(a.matches("# Interview i9").count(), 2);
        let txt = with_refs(|r| interview_text(&i, r, false));
        assert!(
            txt.contains(
                "¶1 “Quote *as typed*”\n    — service provider, at COVID-19 onset, 2020-03-17\n    Codes: Trust\n"
            ),
            "{txt}"
        );
    }

    #[test]
    fn citation_skips_a_repeated_org_type_and_empty_parts() {
        let mut i = interview("");
        assert_eq!(citation(&i), "service provider, at COVID-19 onset, 2020-03-17");
        i.org_type = "Kela".into();
        i.context = String::new();
        assert_eq!(citation(&i), "service provider, Kela, 2020-03-17");
    }
}
