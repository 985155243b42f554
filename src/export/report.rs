//! The evaluation report as one Markdown document, and the short steering-group brief.
//! Pure: the caller gathers the data (tallies computed, evidence resolved, impact maps
//! rendered) and hands it in. Every piece of user text is escaped; interviewees are
//! cited by role, never by name.

use std::collections::BTreeMap;
use std::fmt::Write as _;

use chrono::NaiveDate;

use super::markdown::{escape, escape_inline, table};
use crate::domain::interview::Interview;
use crate::domain::objective::Objective;
use crate::domain::pilot::PilotField;
use crate::domain::survey::{ItemStats, ItemTally};
use crate::domain::synthesis::{Conclusion, Finding, Limitation, QuestionRef, Recommendation};
use crate::domain::workshop::Workshop;
use crate::domain::{Evaluation, Pilot};

/// A piece of evidence as the report shows it.
#[derive(Debug, Clone, PartialEq)]
pub enum Evidence {
    /// A quoted paragraph and who said it (a role, never a name).
    Quote { text: String, cited_as: String },
    /// A survey item's tally: the citation (with its n) and the counts.
    Tally { citation: String, item: ItemTally },
    /// Anything else, as a one-line citation.
    Other(String),
}

/// One finding with its evidence resolved.
#[derive(Debug, Clone)]
pub struct FindingEntry<'a> {
    pub finding: &'a Finding,
    pub evidence: Vec<Evidence>,
    /// Evidence that no longer resolves.
    pub missing: Vec<String>,
}

/// One theme of the codebook (codebook order) and its findings.
#[derive(Debug, Clone)]
pub struct ThemeSection<'a> {
    pub name: String,
    pub findings: Vec<FindingEntry<'a>>,
}

/// One evaluation question and the conclusions that answer it.
#[derive(Debug, Clone)]
pub struct QuestionSection<'a> {
    pub question: QuestionRef,
    /// Empty when the evaluation no longer has that sub-question.
    pub text: String,
    pub conclusions: Vec<&'a Conclusion>,
}

/// A survey and how many responses it has.
#[derive(Debug, Clone, PartialEq)]
pub struct SurveyCount {
    pub id: String,
    pub title: String,
    pub respondents: u64,
}

/// One pilot's appendix.
#[derive(Debug, Clone)]
pub struct PilotAppendix<'a> {
    pub pilot: &'a Pilot,
    /// The impact logic as [`super::map::map_markdown`] renders it; `None` without a map.
    pub map_markdown: Option<String>,
    pub objectives: Vec<&'a Objective>,
}

/// Everything the report is made of.
#[derive(Debug, Clone)]
pub struct ReportInput<'a> {
    pub evaluation: &'a Evaluation,
    pub date: NaiveDate,
    pub interviews: &'a [Interview],
    pub surveys: Vec<SurveyCount>,
    pub workshops: &'a [Workshop],
    pub pilots: &'a [Pilot],
    pub themes: Vec<ThemeSection<'a>>,
    pub questions: Vec<QuestionSection<'a>>,
    pub recommendations: Vec<(usize, &'a Recommendation)>,
    pub limitations: &'a [Limitation],
    pub appendices: Vec<PilotAppendix<'a>>,
}

/// The top-level sections, in order.
pub const SECTIONS: [&str; 6] =
    ["Evaluation questions", "Method and data", "Findings", "Conclusions", "Recommendations", "Data limitations"];

fn or_untitled(text: &str, fallback: &str) -> String {
    if text.trim().is_empty() { fallback.to_string() } else { escape_inline(text) }
}

fn question_label(q: QuestionRef) -> String {
    match q {
        QuestionRef::Main => "Main question".into(),
        QuestionRef::Sub(i) => format!("Sub-question {}", i + 1),
    }
}

fn pilot_name(pilots: &[Pilot], id: &str) -> String {
    pilots.iter().find(|p| p.id == id).map_or_else(|| id.to_string(), |p| p.name.clone())
}

/// Joins sections with one blank line; the document ends with exactly one newline.
fn join(sections: Vec<String>) -> String {
    let present: Vec<&str> = sections.iter().map(|s| s.trim_end()).filter(|s| !s.is_empty()).collect();
    present.join("\n\n") + "\n"
}

/// Pushes Markdown headings down by `levels` (outside fenced code). Escaped user text
/// never starts a line with `#`, so only real headings move.
fn shift_headings(markdown: &str, levels: usize) -> String {
    let mut fenced = false;
    let mut out = String::with_capacity(markdown.len() + 64);
    for line in markdown.lines() {
        if line.starts_with("```") {
            fenced = !fenced;
        }
        if !fenced && line.starts_with('#') {
            out.push_str(&"#".repeat(levels));
        }
        out.push_str(line);
        out.push('\n');
    }
    out
}

/// The full report.
pub fn report_markdown(input: &ReportInput) -> String {
    let mut sections = vec![title_section(input), questions_section(input.evaluation), method_section(input)];
    sections.push(findings_section(input));
    sections.push(conclusions_section(input));
    sections.push(recommendations_section(&input.recommendations));
    sections.push(limitations_section(input.limitations));
    for (i, a) in input.appendices.iter().enumerate() {
        sections.push(appendix_section(i + 1, a));
    }
    join(sections)
}

/// The steering-group brief: key findings (their "what") and the numbered recommendations.
pub fn brief_markdown(input: &ReportInput) -> String {
    let title = or_untitled(&input.evaluation.title, "Evaluation");
    let mut head = format!("# {title}: summary for the steering group\n\n");
    let _ = writeln!(head, "{}", input.date);
    let mut findings = String::from("## Key findings\n\n");
    let whats: Vec<String> = input
        .themes
        .iter()
        .flat_map(|t| {
            t.findings.iter().map(move |f| format!("- **{}:** {}", t.name_escaped(), escape_inline(&f.finding.what)))
        })
        .collect();
    if whats.is_empty() {
        findings.push_str("No findings yet.\n");
    } else {
        findings.push_str(&(whats.join("\n") + "\n"));
    }
    let mut recs = String::from("## Recommendations\n\n");
    if input.recommendations.is_empty() {
        recs.push_str("No recommendations yet.\n");
    }
    for (n, r) in &input.recommendations {
        let _ = writeln!(recs, "{n}. {}{}", escape_inline(&r.text), rec_meta(r));
    }
    join(vec![head, findings, recs])
}

impl ThemeSection<'_> {
    fn name_escaped(&self) -> String {
        escape_inline(&self.name)
    }
}

/// " — to: Ministry · priority: high".
fn rec_meta(r: &Recommendation) -> String {
    if r.addressee.trim().is_empty() {
        format!(" — priority: {}", r.priority.label())
    } else {
        format!(" — to: {} · priority: {}", escape_inline(&r.addressee), r.priority.label())
    }
}

fn title_section(input: &ReportInput) -> String {
    let e = input.evaluation;
    let mut out = format!("# {}\n\n", or_untitled(&e.title, "Evaluation report"));
    let evaluators: Vec<String> = e.evaluators.iter().map(|x| escape_inline(x)).collect();
    let _ = writeln!(out, "- Commissioned by: {}", or_untitled(&e.commissioner, "—"));
    let _ = writeln!(out, "- Evaluators: {}", if evaluators.is_empty() { "—".into() } else { evaluators.join(", ") });
    let _ = writeln!(out, "- Date: {}", input.date);
    out
}

fn questions_section(e: &Evaluation) -> String {
    let mut out = format!("## {}\n\n", SECTIONS[0]);
    let _ = writeln!(out, "**Main question:** {}", or_untitled(&e.main_question, "(not set)"));
    if !e.sub_questions.is_empty() {
        out.push_str("\nSub-questions:\n\n");
        for (i, q) in e.sub_questions.iter().enumerate() {
            let _ = writeln!(out, "{}. {}", i + 1, escape_inline(q));
        }
    }
    out
}

fn method_section(input: &ReportInput) -> String {
    let mut out = format!("## {}\n\n", SECTIONS[1]);
    // Interviews: by role and round, counts only.
    let _ = writeln!(out, "### Interviews\n");
    if input.interviews.is_empty() {
        out.push_str("No interviews.\n");
    } else {
        let mut counts: BTreeMap<(&str, &str), usize> = BTreeMap::new();
        for i in input.interviews {
            *counts.entry((i.role.as_str(), i.round.as_str())).or_default() += 1;
        }
        let rows: Vec<Vec<String>> =
            counts.iter().map(|((role, round), n)| vec![role.to_string(), round.to_string(), n.to_string()]).collect();
        let _ = writeln!(out, "{} interviews.\n", input.interviews.len());
        out.push_str(&table(&["Role", "Round", "Interviews"], &rows));
    }
    let _ = writeln!(out, "\n### Surveys\n");
    if input.surveys.is_empty() {
        out.push_str("No surveys.\n");
    } else {
        let rows: Vec<Vec<String>> =
            input.surveys.iter().map(|s| vec![s.title.clone(), s.id.clone(), s.respondents.to_string()]).collect();
        out.push_str(&table(&["Survey", "Id", "Respondents"], &rows));
    }
    let _ = writeln!(out, "\n### Workshops\n");
    if input.workshops.is_empty() {
        out.push_str("No workshops.\n");
    } else {
        let mut ws: Vec<&Workshop> = input.workshops.iter().collect();
        ws.sort_by(|a, b| (a.date, &a.id).cmp(&(b.date, &b.id)));
        let rows: Vec<Vec<String>> = ws
            .iter()
            .map(|w| {
                let pilots: Vec<String> = w.pilots.iter().map(|p| pilot_name(input.pilots, p)).collect();
                vec![w.date.to_string(), w.title.clone(), pilots.join(", ")]
            })
            .collect();
        out.push_str(&table(&["Date", "Workshop", "Pilots"], &rows));
    }
    out
}

fn tally_table(item: &ItemTally) -> String {
    let (headers, rows): (Vec<&str>, Vec<Vec<String>>) = match &item.stats {
        ItemStats::Scale { counts, dont_know, .. } => {
            let mut rows: Vec<Vec<String>> = counts.iter().map(|(k, c)| vec![k.clone(), c.to_string()]).collect();
            if let Some(d) = dont_know {
                rows.push(vec!["don't know".into(), d.to_string()]);
            }
            (vec!["Answer", "Count"], rows)
        }
        ItemStats::Choice { counts } => {
            (vec!["Answer", "Count"], counts.iter().map(|(k, c)| vec![k.clone(), c.to_string()]).collect())
        }
        ItemStats::Number { mean, median, min, max } => {
            let f = |x: &Option<f64>| x.map_or_else(|| "—".to_string(), |v| format!("{v:.1}"));
            (vec!["Mean", "Median", "Min", "Max"], vec![vec![f(mean), f(median), f(min), f(max)]])
        }
        ItemStats::Nps { promoters, passives, detractors, score } => (
            vec!["Promoters", "Passives", "Detractors", "NPS"],
            vec![vec![
                promoters.to_string(),
                passives.to_string(),
                detractors.to_string(),
                score.map_or_else(|| "—".to_string(), |s| format!("{s:.0}")),
            ]],
        ),
        ItemStats::Text => (vec![], vec![]),
    };
    let mut out = String::new();
    if !headers.is_empty() {
        out.push_str(&table(&headers, &rows));
    }
    let _ = writeln!(out, "\nn = {}", item.n);
    out
}

fn finding_markdown(f: &FindingEntry, pilots: &[Pilot]) -> String {
    let x = f.finding;
    let mut out = String::new();
    let _ = writeln!(out, "**What:** {}\n", escape(&x.what));
    if !x.so_what.trim().is_empty() {
        let _ = writeln!(out, "**So what:** {}\n", escape(&x.so_what));
    }
    if !x.now_what.trim().is_empty() {
        let _ = writeln!(out, "**Now what:** {}\n", escape(&x.now_what));
    }
    let _ = write!(out, "*{} · {}*", escape_inline(&x.scope.label()), x.voice.label());
    if !x.pilots.is_empty() {
        let names: Vec<String> = x.pilots.iter().map(|p| escape_inline(&pilot_name(pilots, p))).collect();
        let _ = write!(out, " — pilots: {}", names.join(", "));
    }
    out.push('\n');
    let mut others = Vec::new();
    for e in &f.evidence {
        match e {
            Evidence::Quote { text, cited_as } => {
                out.push('\n');
                for line in escape(text).lines() {
                    let _ = writeln!(out, "> {line}");
                }
                let _ = writeln!(out, ">\n> — {}", escape_inline(cited_as));
            }
            Evidence::Tally { citation, item } => {
                let _ = writeln!(out, "\n{}\n", escape_inline(citation));
                out.push_str(&tally_table(item));
            }
            Evidence::Other(text) => others.push(format!("- {}", escape_inline(text))),
        }
    }
    for m in &f.missing {
        others.push(format!("- evidence not found: {}", escape_inline(m)));
    }
    if !others.is_empty() {
        let _ = writeln!(out, "\nOther evidence:\n\n{}", others.join("\n"));
    }
    out
}

fn findings_section(input: &ReportInput) -> String {
    let mut parts = vec![format!("## {}", SECTIONS[2])];
    let mut any = false;
    for t in input.themes.iter().filter(|t| !t.findings.is_empty()) {
        any = true;
        parts.push(format!("### {}", t.name_escaped()));
        for f in &t.findings {
            parts.push(finding_markdown(f, input.pilots));
        }
    }
    if !any {
        parts.push("No findings yet.".into());
    }
    join(parts)
}

fn conclusions_section(input: &ReportInput) -> String {
    let mut parts = vec![format!("## {}", SECTIONS[3])];
    for q in &input.questions {
        let text = or_untitled(&q.text, "(no longer in the evaluation)");
        parts.push(format!("### {}: {text}", question_label(q.question)));
        if q.conclusions.is_empty() {
            parts.push("No conclusion yet.".into());
        } else {
            let items: Vec<String> = q.conclusions.iter().map(|c| format!("- {}", escape_inline(&c.text))).collect();
            parts.push(items.join("\n"));
        }
    }
    join(parts)
}

fn recommendations_section(recs: &[(usize, &Recommendation)]) -> String {
    let mut parts = vec![format!("## {}", SECTIONS[4])];
    if recs.is_empty() {
        parts.push("No recommendations yet.".into());
    }
    for (n, r) in recs {
        let mut out = format!("{n}. {}{}\n", escape_inline(&r.text), rec_meta(r));
        if !r.rationale.trim().is_empty() {
            let _ = writeln!(out, "\n   Why: {}", escape_inline(&r.rationale));
        }
        if !r.actions.is_empty() {
            out.push_str("\n   Follow-up actions:\n\n");
            for a in &r.actions {
                let due = a.due.map_or(String::new(), |d| format!(", due {d}"));
                let _ = writeln!(
                    out,
                    "   - {} — {} ({}{due})",
                    escape_inline(&a.text),
                    or_untitled(&a.owner, "no owner"),
                    a.status.label()
                );
                if !a.note.trim().is_empty() {
                    let _ = writeln!(out, "     Note: {}", escape_inline(&a.note));
                }
            }
        }
        parts.push(out);
    }
    join(parts)
}

fn limitations_section(list: &[Limitation]) -> String {
    let mut out = format!("## {}\n\n", SECTIONS[5]);
    if list.is_empty() {
        out.push_str("No data limitations found.\n");
    }
    for l in list {
        let _ = writeln!(out, "- {} ({})", escape_inline(&l.text), escape_inline(&l.subject));
    }
    out
}

fn appendix_section(number: usize, a: &PilotAppendix) -> String {
    let p = a.pilot;
    let mut parts = vec![format!("## Appendix {number}: {}", or_untitled(&p.name, &p.id))];
    let rows: Vec<Vec<String>> = PilotField::ALL
        .iter()
        .map(|f| vec![f.label().to_string(), p.field_text(*f)])
        .filter(|r| !r[1].trim().is_empty())
        .collect();
    parts.push(format!("### Profile\n\n{}", table(&["Field", "Value"], &rows)));
    let history: Vec<Vec<String>> =
        p.status_history.iter().map(|s| vec![s.since.to_string(), s.status.to_string(), s.note.clone()]).collect();
    parts.push(format!("### Status history\n\n{}", table(&["Since", "Status", "Note"], &history)));
    match &a.map_markdown {
        Some(md) => parts.push(shift_headings(md, 2)),
        None => parts.push("### Impact logic\n\nNo impact map yet.".into()),
    }
    let mut obj = String::from("### Learning objectives and lessons\n");
    if a.objectives.is_empty() {
        obj.push_str("\nNo learning objectives yet.\n");
    }
    for o in &a.objectives {
        let _ = writeln!(obj, "\n#### {} ({})\n", escape_inline(&o.question), o.status.label());
        if o.lessons.is_empty() {
            obj.push_str("No lessons yet.\n");
        }
        for l in &o.lessons {
            let _ = writeln!(obj, "- {}: {}", l.date, escape_inline(&l.statement));
        }
    }
    parts.push(obj);
    join(parts)
}
