//! The evaluation report as one Markdown document, the short steering-group brief, and
//! one pilot's appendix on its own. Pure: the caller gathers the data (tallies
//! computed, evidence resolved, impact maps rendered) and hands it in. Every piece of
//! user text is escaped; interviewees are cited by role, never by name. Headings and
//! fixed text come from the `[report]` table of the locale files.
//!
//! * `mod.rs`: the input, the document's order, title page, questions, method;
//! * `findings`: findings with their evidence inline, conclusions, recommendations,
//!   limitations;
//! * `appendix`: one pilot's profile, status history, impact logic and lessons.

mod appendix;
mod findings;
mod phrases;

use std::collections::BTreeMap;
use std::fmt::Write as _;

use chrono::NaiveDate;

use super::markdown::{escape_inline, table};
use crate::domain::interview::Interview;
use crate::domain::objective::Objective;
use crate::domain::survey::ItemTally;
use crate::domain::synthesis::{Conclusion, Finding, Limitation, QuestionRef, Recommendation};
use crate::domain::workshop::Workshop;
use crate::domain::{Evaluation, Id, Pilot};
use crate::locale::Locale;

pub use appendix::pilot_markdown;
pub use phrases::{evidence_label, limitation_subject, limitation_text, scope_text, source_text, status_text};

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

/// A survey, how many answered, and how many were invited when that is recorded.
#[derive(Debug, Clone, PartialEq)]
pub struct SurveyCount {
    pub id: String,
    pub title: String,
    pub respondents: u64,
    pub invited: Option<u64>,
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
    pub locale: &'static Locale,
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

/// The locale keys of the top-level sections, in order.
pub const SECTIONS: [&str; 6] = [
    "report.questions",
    "report.method",
    "report.findings",
    "report.conclusions",
    "report.recommendations",
    "report.limitations",
];

impl ReportInput<'_> {
    fn t(&self, key: &str) -> String {
        self.locale.t(&format!("report.{key}")).to_string()
    }

    /// Finding id → the number it is printed with ("2.1": second theme, first finding),
    /// so recommendations and conclusions can point at findings the reader can find.
    fn finding_numbers(&self) -> BTreeMap<Id, String> {
        let mut out = BTreeMap::new();
        for (t, theme) in self.themes.iter().filter(|t| !t.findings.is_empty()).enumerate() {
            for (f, entry) in theme.findings.iter().enumerate() {
                out.insert(entry.finding.id.clone(), format!("{}.{}", t + 1, f + 1));
            }
        }
        out
    }
}

fn or_untitled(text: &str, fallback: &str) -> String {
    if text.trim().is_empty() { fallback.to_string() } else { escape_inline(text) }
}

fn pilot_name(pilots: &[Pilot], id: &str) -> String {
    pilots.iter().find(|p| p.id == id).map_or_else(|| id.to_string(), |p| p.name.clone())
}

/// Joins sections with one blank line; the document ends with exactly one newline.
fn join(sections: Vec<String>) -> String {
    let present: Vec<&str> = sections.iter().map(|s| s.trim_end()).filter(|s| !s.is_empty()).collect();
    present.join("\n\n") + "\n"
}

/// The full report.
pub fn report_markdown(input: &ReportInput) -> String {
    let numbers = input.finding_numbers();
    let mut sections = vec![title_section(input), questions_section(input), method_section(input)];
    sections.push(findings::findings_section(input));
    sections.push(findings::conclusions_section(input, &numbers));
    sections.push(findings::recommendations_section(input, &numbers));
    sections.push(findings::limitations_section(input));
    for (i, a) in input.appendices.iter().enumerate() {
        sections.push(appendix::appendix_section(input.locale, i + 1, a, 2));
    }
    join(sections)
}

/// The steering-group brief, two pages at most: the key findings (their "what") and
/// the numbered recommendations with addressee and priority.
pub fn brief_markdown(input: &ReportInput) -> String {
    let title = or_untitled(&input.evaluation.title, &input.t("untitled"));
    let mut head = format!("# {}\n\n", input.locale.f("report.brief_title", &[("title", &title)]));
    let _ = writeln!(head, "{}", input.date);
    let mut parts = vec![head, format!("## {}", input.t("key_findings"))];
    let whats: Vec<String> = input
        .themes
        .iter()
        .filter(|t| !t.findings.is_empty())
        .enumerate()
        .flat_map(|(n, t)| {
            t.findings.iter().enumerate().map(move |(m, f)| {
                format!("- **{}.{} {}:** {}", n + 1, m + 1, escape_inline(&t.name), escape_inline(&f.finding.what))
            })
        })
        .collect();
    parts.push(if whats.is_empty() { input.t("no_findings") } else { whats.join("\n") });
    parts.push(format!("## {}", input.t("recommendations")));
    if input.recommendations.is_empty() {
        parts.push(input.t("no_recommendations"));
    }
    let lines: Vec<String> = input
        .recommendations
        .iter()
        .map(|(n, r)| format!("{n}. {}{}", escape_inline(&r.text), findings::rec_meta(input, r)))
        .collect();
    parts.push(lines.join("\n"));
    join(parts)
}

fn title_section(input: &ReportInput) -> String {
    let e = input.evaluation;
    let t = |k: &str| input.t(k);
    let mut out = format!("# {}\n\n", or_untitled(&e.title, &t("untitled")));
    let evaluators: Vec<String> = e.evaluators.iter().map(|x| escape_inline(x)).collect();
    let none = t("none");
    let _ = writeln!(out, "- {}: {}", t("commissioned_by"), or_untitled(&e.commissioner, &none));
    let _ = writeln!(
        out,
        "- {}: {}",
        t("evaluators"),
        if evaluators.is_empty() { none.clone() } else { evaluators.join(", ") }
    );
    let start = e.phases.iter().map(|p| p.start).min();
    let end = e.phases.iter().map(|p| p.end).max();
    if let (Some(start), Some(end)) = (start, end) {
        let _ = writeln!(out, "- {}: {start} – {end}", t("period"));
    }
    let active = input.pilots.iter().filter(|p| !p.archived).count();
    let _ = writeln!(out, "- {}: {active}", t("pilots_count"));
    let _ = writeln!(out, "- {}: {}", t("date"), input.date);
    out
}

fn question_label(input: &ReportInput, q: QuestionRef) -> String {
    match q {
        QuestionRef::Main => input.t("main_question"),
        QuestionRef::Sub(i) => input.locale.f("report.sub_question", &[("n", &(i + 1))]),
    }
}

fn questions_section(input: &ReportInput) -> String {
    let e = input.evaluation;
    let mut out = format!("## {}\n\n", input.t("questions"));
    let _ = writeln!(out, "**{}:** {}", input.t("main_question"), or_untitled(&e.main_question, &input.t("not_set")));
    if !e.sub_questions.is_empty() {
        let _ = writeln!(out, "\n{}:\n", input.t("sub_questions"));
        for (i, q) in e.sub_questions.iter().enumerate() {
            let _ = writeln!(out, "{}. {}", i + 1, escape_inline(q));
        }
    }
    out
}

/// "34.1 %" of those invited; a dash when nobody recorded how many were invited.
fn response_rate(s: &SurveyCount) -> String {
    match s.invited {
        Some(invited) if invited > 0 => format!("{:.1} %", s.respondents as f64 * 100.0 / invited as f64),
        _ => "—".into(),
    }
}

fn method_section(input: &ReportInput) -> String {
    let t = |k: &str| input.t(k);
    let mut out = format!("## {}\n\n### {}\n\n", t("method"), t("interviews"));
    if input.interviews.is_empty() {
        let _ = writeln!(out, "{}", t("no_interviews"));
    } else {
        let mut counts: BTreeMap<(&str, &str), usize> = BTreeMap::new();
        for i in input.interviews {
            *counts.entry((i.role.as_str(), i.round.as_str())).or_default() += 1;
        }
        let rows: Vec<Vec<String>> =
            counts.iter().map(|((role, round), n)| vec![role.to_string(), round.to_string(), n.to_string()]).collect();
        let _ = writeln!(out, "{}\n", input.locale.f("report.interviews_total", &[("n", &input.interviews.len())]));
        out.push_str(&table(&[&t("role"), &t("round"), &t("interviews")], &rows));
    }
    let _ = writeln!(out, "\n### {}\n", t("surveys"));
    if input.surveys.is_empty() {
        let _ = writeln!(out, "{}", t("no_surveys"));
    } else {
        let rows: Vec<Vec<String>> = input
            .surveys
            .iter()
            .map(|s| {
                let invited = s.invited.map_or_else(|| "—".to_string(), |n| n.to_string());
                vec![format!("{} ({})", s.title, s.id), s.respondents.to_string(), invited, response_rate(s)]
            })
            .collect();
        out.push_str(&table(&[&t("survey"), &t("respondents"), &t("invited"), &t("response_rate")], &rows));
    }
    let _ = writeln!(out, "\n### {}\n", t("workshops"));
    // Only workshops that were held: one still to come is no data yet.
    let held: Vec<&Workshop> = input
        .workshops
        .iter()
        .filter(|w| w.phases.first().is_some_and(|p| p.status != crate::domain::workshop::PhaseStatus::Pending))
        .collect();
    if held.is_empty() {
        let _ = writeln!(out, "{}", t("no_workshops"));
    } else {
        let mut ws = held;
        ws.sort_by(|a, b| (a.date, &a.id).cmp(&(b.date, &b.id)));
        let rows: Vec<Vec<String>> = ws
            .iter()
            .map(|w| {
                let pilots: Vec<String> = w.pilots.iter().map(|p| pilot_name(input.pilots, p)).collect();
                vec![w.date.to_string(), w.title.clone(), pilots.join(", ")]
            })
            .collect();
        out.push_str(&table(&[&t("date"), &t("workshop"), &t("pilots")], &rows));
    }
    out
}
