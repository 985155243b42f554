//! Model tests: numbering stable under reorder, evidence links surviving edits,
//! removal rules, the matrix and the limitations on the demo data and small inputs.

mod limitations;
mod matrix;
mod model;
mod recommendations;

use crate::demo;
use crate::domain::interview::Interview;
use crate::domain::objective::Objective;

use super::{FindingDraft, Priority, RecommendationDraft, Scope, Voice};

/// Demo interviews and objectives with ids, as the store would give them.
fn demo_interviews() -> Vec<Interview> {
    demo::interviews()
        .into_iter()
        .enumerate()
        .map(|(n, mut i)| {
            i.id = format!("i{n}");
            i
        })
        .collect()
}

fn demo_objectives() -> Vec<Objective> {
    demo::objectives()
        .into_iter()
        .enumerate()
        .map(|(n, mut o)| {
            o.id = format!("o{n}");
            o
        })
        .collect()
}

fn finding(theme: &str, what: &str) -> FindingDraft {
    FindingDraft {
        theme: theme.into(),
        what: what.into(),
        so_what: String::new(),
        now_what: String::new(),
        scope: Scope::National,
        voice: Voice::Evaluator,
        pilots: vec![],
    }
}

fn recommendation(text: &str, findings: &[&str]) -> RecommendationDraft {
    RecommendationDraft {
        text: text.into(),
        rationale: String::new(),
        findings: findings.iter().map(|f| f.to_string()).collect(),
        addressee: "Ministry".into(),
        priority: Priority::Medium,
    }
}
