//! The report's argument: findings with their evidence inline, conclusions by
//! question, numbered recommendations with their follow-up actions, and the data
//! limitations.

use std::collections::BTreeMap;
use std::fmt::Write as _;

use super::phrases::{limitation_subject, limitation_text};
use super::{Evidence, FindingEntry, ReportInput, join, or_untitled, pilot_name, question_label};
use crate::domain::Id;
use crate::domain::survey::{ItemStats, ItemTally};
use crate::domain::synthesis::{ActionStatus, LimitationKind, Priority, Recommendation, Scope, Voice};
use crate::export::markdown::{escape, escape_inline, table};

fn priority_key(p: Priority) -> &'static str {
    match p {
        Priority::High => "report.priority_high",
        Priority::Medium => "report.priority_medium",
        Priority::Low => "report.priority_low",
    }
}

fn action_key(s: ActionStatus) -> &'static str {
    match s {
        ActionStatus::Open => "report.action_open",
        ActionStatus::InProgress => "report.action_in_progress",
        ActionStatus::Done => "report.action_done",
        ActionStatus::Dropped => "report.action_dropped",
    }
}

fn limitation_key(k: LimitationKind) -> &'static str {
    match k {
        LimitationKind::LowN => "report.limit_low_n",
        LimitationKind::NoResponses => "report.limit_no_responses",
        LimitationKind::MissingBaselineOrTarget => "report.limit_baseline",
        LimitationKind::ConflictingValues => "report.limit_conflict",
        LimitationKind::SpecialContext => "report.limit_context",
    }
}

/// " — to: Ministry · priority: high".
pub(super) fn rec_meta(input: &ReportInput, r: &Recommendation) -> String {
    let priority = format!("{}: {}", input.t("priority"), input.locale.t(priority_key(r.priority)));
    if r.addressee.trim().is_empty() {
        format!(" — {priority}")
    } else {
        format!(" — {}: {} · {priority}", input.t("to"), escape_inline(&r.addressee))
    }
}

/// "Based on findings 1.2, 3.1"; ids of findings no longer in the report as they are.
fn based_on(input: &ReportInput, numbers: &BTreeMap<Id, String>, findings: &[Id]) -> Option<String> {
    if findings.is_empty() {
        return None;
    }
    let list: Vec<String> =
        findings.iter().map(|f| numbers.get(f).cloned().unwrap_or_else(|| escape_inline(f))).collect();
    Some(format!("{} {}", input.t("based_on"), list.join(", ")))
}

fn tally_table(input: &ReportInput, item: &ItemTally) -> String {
    let t = |k: &str| input.t(k);
    let (headers, rows): (Vec<String>, Vec<Vec<String>>) = match &item.stats {
        ItemStats::Scale { counts, dont_know, .. } => {
            let mut rows: Vec<Vec<String>> = counts.iter().map(|(k, c)| vec![k.clone(), c.to_string()]).collect();
            if let Some(d) = dont_know {
                rows.push(vec![t("dont_know"), d.to_string()]);
            }
            (vec![t("answer"), t("count")], rows)
        }
        ItemStats::Choice { counts } => {
            (vec![t("answer"), t("count")], counts.iter().map(|(k, c)| vec![k.clone(), c.to_string()]).collect())
        }
        ItemStats::Number { mean, median, min, max } => {
            let f = |x: &Option<f64>| x.map_or_else(|| "—".to_string(), |v| format!("{v:.1}"));
            (vec![t("mean"), t("median"), t("min"), t("max")], vec![vec![f(mean), f(median), f(min), f(max)]])
        }
        ItemStats::Nps { promoters, passives, detractors, score } => (
            vec![t("promoters"), t("passives"), t("detractors"), t("nps")],
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
        let headers: Vec<&str> = headers.iter().map(String::as_str).collect();
        out.push_str(&table(&headers, &rows));
    }
    let _ = writeln!(out, "\nn = {}", item.n);
    out
}

fn finding_markdown(input: &ReportInput, number: &str, f: &FindingEntry) -> String {
    let x = f.finding;
    let t = |k: &str| input.t(k);
    let mut out = format!("#### {}\n\n", input.locale.f("report.finding", &[("n", &number)]));
    let _ = writeln!(out, "**{}:** {}\n", t("what"), escape(&x.what));
    if !x.so_what.trim().is_empty() {
        let _ = writeln!(out, "**{}:** {}\n", t("so_what"), escape(&x.so_what));
    }
    if !x.now_what.trim().is_empty() {
        let _ = writeln!(out, "**{}:** {}\n", t("now_what"), escape(&x.now_what));
    }
    let scope = match &x.scope {
        Scope::Local(p) => input.locale.f("report.scope_local", &[("pilot", &pilot_name(input.pilots, p))]),
        Scope::National => t("scope_national"),
    };
    let voice = match x.voice {
        Voice::Evaluator => t("voice_evaluator"),
        Voice::Pilots => t("voice_pilots"),
    };
    let _ = write!(out, "*{} · {}*", escape_inline(&scope), voice);
    if !x.pilots.is_empty() {
        let names: Vec<String> = x.pilots.iter().map(|p| escape_inline(&pilot_name(input.pilots, p))).collect();
        let _ = write!(out, " — {}: {}", t("example_pilots"), names.join(", "));
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
                out.push_str(&tally_table(input, item));
            }
            Evidence::Other(text) => others.push(format!("- {}", escape_inline(text))),
        }
    }
    for m in &f.missing {
        others.push(format!("- {}", escape_inline(&input.locale.f("report.evidence_missing", &[("what", m)]))));
    }
    if !others.is_empty() {
        let _ = writeln!(out, "\n{}:\n\n{}", t("other_evidence"), others.join("\n"));
    }
    out
}

pub(super) fn findings_section(input: &ReportInput) -> String {
    let mut parts = vec![format!("## {}", input.t("findings"))];
    let present = input.themes.iter().filter(|t| !t.findings.is_empty());
    let mut any = false;
    for (n, theme) in present.enumerate() {
        any = true;
        parts.push(format!("### {}. {}", n + 1, escape_inline(&theme.name)));
        for (m, f) in theme.findings.iter().enumerate() {
            parts.push(finding_markdown(input, &format!("{}.{}", n + 1, m + 1), f));
        }
    }
    if !any {
        parts.push(input.t("no_findings"));
    }
    join(parts)
}

pub(super) fn conclusions_section(input: &ReportInput, numbers: &BTreeMap<Id, String>) -> String {
    let mut parts = vec![format!("## {}", input.t("conclusions"))];
    for q in &input.questions {
        let text = or_untitled(&q.text, &input.t("question_gone"));
        parts.push(format!("### {}: {text}", question_label(input, q.question)));
        if q.conclusions.is_empty() {
            parts.push(input.t("no_conclusion"));
        } else {
            let items: Vec<String> = q
                .conclusions
                .iter()
                .map(|c| match based_on(input, numbers, &c.findings) {
                    Some(b) => format!("- {} ({b})", escape_inline(&c.text)),
                    None => format!("- {}", escape_inline(&c.text)),
                })
                .collect();
            parts.push(items.join("\n"));
        }
    }
    join(parts)
}

pub(super) fn recommendations_section(input: &ReportInput, numbers: &BTreeMap<Id, String>) -> String {
    let t = |k: &str| input.t(k);
    let mut parts = vec![format!("## {}", t("recommendations"))];
    if input.recommendations.is_empty() {
        parts.push(t("no_recommendations"));
    }
    for (n, r) in &input.recommendations {
        let mut out = format!("{n}. {}{}\n", escape_inline(&r.text), rec_meta(input, r));
        if !r.rationale.trim().is_empty() {
            let _ = writeln!(out, "\n   {}: {}", t("why"), escape_inline(&r.rationale));
        }
        if let Some(b) = based_on(input, numbers, &r.findings) {
            let _ = writeln!(out, "\n   {b}");
        }
        if !r.actions.is_empty() {
            let _ = writeln!(out, "\n   {}:\n", t("actions"));
            for a in &r.actions {
                let due =
                    a.due.map_or(String::new(), |d| format!(", {}", input.locale.f("report.due", &[("date", &d)])));
                let _ = writeln!(
                    out,
                    "   - {} — {} ({}{due})",
                    escape_inline(&a.text),
                    or_untitled(&a.owner, &t("no_owner")),
                    input.locale.t(action_key(a.status))
                );
                if !a.note.trim().is_empty() {
                    let _ = writeln!(out, "     {}: {}", t("note"), escape_inline(&a.note));
                }
            }
        }
        parts.push(out);
    }
    join(parts)
}

/// Grouped by kind, each under its own heading, so a reader can skip to the survey or
/// the indicator caveats.
pub(super) fn limitations_section(input: &ReportInput) -> String {
    let mut parts = vec![format!("## {}", input.t("limitations"))];
    if input.limitations.is_empty() {
        parts.push(input.t("no_limitations"));
    }
    let mut groups: BTreeMap<LimitationKind, Vec<String>> = BTreeMap::new();
    for l in input.limitations {
        let (text, subject) = (limitation_text(input.locale, l), limitation_subject(input.locale, l));
        groups.entry(l.kind).or_default().push(format!("- {} ({})", escape_inline(&text), escape_inline(&subject)));
    }
    for (kind, lines) in groups {
        parts.push(format!("### {}", input.locale.t(limitation_key(kind))));
        parts.push(lines.join("\n"));
    }
    join(parts)
}
