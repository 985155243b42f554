//! One pilot: profile, status history, impact logic (a Mermaid flowchart with its
//! links and indicators), learning objectives and lessons. The report prints one per
//! pilot as an appendix; `oppi export pilot` prints one on its own.

use std::fmt::Write as _;

use super::phrases::{key_of, status_text};
use super::{PilotAppendix, join, or_untitled};
use crate::domain::Pilot;
use crate::domain::objective::ObjectiveStatus;
use crate::domain::pilot::PilotField;
use crate::export::markdown::{escape_inline, table};
use crate::locale::Locale;

fn field_value(l: &Locale, p: &Pilot, f: PilotField) -> String {
    match f {
        PilotField::Kind => l.t(&format!("report.kind_{}", key_of(p.kind.label()))).to_string(),
        PilotField::Delivery => l.t(&format!("report.delivery_{}", key_of(p.delivery.label()))).to_string(),
        PilotField::Status => status_text(l, p.status()),
        _ => p.field_text(f),
    }
}

fn objective_status(l: &Locale, s: ObjectiveStatus) -> &str {
    l.t(match s {
        ObjectiveStatus::Open => "report.objective_open",
        ObjectiveStatus::Answering => "report.objective_answering",
        ObjectiveStatus::Answered => "report.objective_answered",
        ObjectiveStatus::Dropped => "report.objective_dropped",
    })
}

/// The map export at the report's depth: its title becomes "Impact logic" and its
/// (already translated) headings move down. Escaped user text never starts a line with
/// `#`, and fenced code (the Mermaid chart) is left alone, so only real headings move.
fn place_map(l: &Locale, markdown: &str, level: usize) -> String {
    let mut fenced = false;
    let mut out = String::with_capacity(markdown.len() + 64);
    for line in markdown.lines() {
        if line.starts_with("```") {
            fenced = !fenced;
        }
        if fenced || !line.starts_with('#') {
            out.push_str(line);
        } else if line.starts_with("# ") {
            let _ = write!(out, "{} {}", "#".repeat(level), l.t("report.impact_logic"));
        } else {
            let _ = write!(out, "{} {}", "#".repeat(level + 1), line.trim_start_matches('#').trim());
        }
        out.push('\n');
    }
    out
}

/// One pilot's section; its heading at `level` (2 in the report, 1 on its own) and its
/// parts one level below. `number` 0 leaves out the "Appendix n" label.
pub(super) fn appendix_section(l: &Locale, number: usize, a: &PilotAppendix, level: usize) -> String {
    let p = a.pilot;
    let h = |n: usize| "#".repeat(n);
    let name = or_untitled(&p.name, &p.id);
    let heading = if number == 0 { name } else { l.f("report.appendix", &[("n", &number), ("name", &name)]) };
    let mut parts = vec![format!("{} {heading}", h(level))];
    let rows: Vec<Vec<String>> = PilotField::ALL
        .iter()
        .map(|f| vec![l.t(&format!("report.field_{}", key_of(f.key()))).to_string(), field_value(l, p, *f)])
        .filter(|r| !r[1].trim().is_empty())
        .collect();
    parts.push(format!(
        "{} {}\n\n{}",
        h(level + 1),
        l.t("report.profile"),
        table(&[l.t("report.field"), l.t("report.value")], &rows)
    ));
    let history: Vec<Vec<String>> =
        p.status_history.iter().map(|s| vec![s.since.to_string(), status_text(l, s.status), s.note.clone()]).collect();
    parts.push(format!(
        "{} {}\n\n{}",
        h(level + 1),
        l.t("report.status_history"),
        table(&[l.t("report.since"), l.t("report.status"), l.t("report.note")], &history)
    ));
    match &a.map_markdown {
        Some(md) => parts.push(place_map(l, md, level + 1)),
        None => parts.push(format!("{} {}\n\n{}", h(level + 1), l.t("report.impact_logic"), l.t("report.no_map"))),
    }
    let mut obj = format!("{} {}\n", h(level + 1), l.t("report.objectives"));
    if a.objectives.is_empty() {
        let _ = writeln!(obj, "\n{}", l.t("report.no_objectives"));
    }
    for o in &a.objectives {
        let _ =
            writeln!(obj, "\n{} {} ({})\n", h(level + 2), escape_inline(&o.question), objective_status(l, o.status));
        if o.lessons.is_empty() {
            let _ = writeln!(obj, "{}", l.t("report.no_lessons"));
        }
        for lesson in &o.lessons {
            let _ = writeln!(obj, "- {}: {}", lesson.date, escape_inline(&lesson.statement));
        }
    }
    parts.push(obj);
    join(parts)
}

/// One pilot as a document of its own (`oppi export pilot`).
pub fn pilot_markdown(l: &Locale, a: &PilotAppendix) -> String {
    appendix_section(l, 0, a, 1)
}
