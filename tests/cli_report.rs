//! `oppi export report`: the evaluation report and the steering-group brief.

mod support;

use std::path::PathBuf;
use std::process::Output;

use support::{Sandbox, describe};

struct Env {
    sandbox: Sandbox,
    store: PathBuf,
}

impl Env {
    /// A demo store, plus a pilot and an interview whose text could break Markdown.
    fn demo() -> Env {
        let sandbox = Sandbox::new();
        let store = sandbox.path("store");
        let env = Env { sandbox, store };
        env.ok(&["demo", "init"]);
        env.ok(&[
            "pilot",
            "add",
            "*Kasvu*",
            "--region",
            "Häme",
            "--set",
            "referral-model=a | b <script>alert(1)</script>",
        ]);
        let notes = env.sandbox.path("notes.txt");
        std::fs::write(&notes, "> The coach knew us. #customer-centricity\n").unwrap();
        env.ok(&[
            "interview",
            "add",
            "--pilot",
            "*Kasvu*",
            "--role",
            "client",
            "--round",
            "mid",
            "--name",
            "Maija Meikäläinen",
            "--notes-file",
            notes.to_str().unwrap(),
        ]);
        env
    }

    fn run(&self, args: &[&str]) -> Output {
        self.sandbox.oppi(["--store".as_ref(), self.store.as_os_str()]).args(args).output().expect("run oppi")
    }

    fn ok(&self, args: &[&str]) -> String {
        let out = self.run(args);
        assert!(out.status.success(), "oppi {args:?} should succeed\n{}", describe(&out));
        String::from_utf8(out.stdout).expect("utf-8 output")
    }
}

const HEADINGS: [&str; 7] = [
    "\n## Evaluation questions\n",
    "\n## Method and data\n",
    "\n## Findings\n",
    "\n## Conclusions\n",
    "\n## Recommendations\n",
    "\n## Data limitations\n",
    "\n## Appendix 1: ",
];

/// The numbered lines "1. …" of the Recommendations section.
fn recommendation_numbers(section: &str) -> Vec<usize> {
    section.lines().filter_map(|l| l.split_once(". ").and_then(|(n, _)| n.parse::<usize>().ok())).collect()
}

fn section<'a>(doc: &'a str, heading: &str) -> &'a str {
    let start = doc.find(heading).unwrap_or_else(|| panic!("no {heading:?}"));
    let rest = &doc[start + heading.len()..];
    let end = rest.find("\n## ").unwrap_or(rest.len());
    &rest[..end]
}

#[test]
fn report_has_every_section_in_order_and_is_deterministic() {
    let env = Env::demo();
    let report = env.ok(&["export", "report"]);
    assert!(report.starts_with("# "), "{report}");
    assert!(report.ends_with('\n') && !report.ends_with("\n\n"));
    let mut at = 0;
    for h in HEADINGS {
        let pos = report[at..].find(h).unwrap_or_else(|| panic!("{h:?} missing or out of order")) + at;
        at = pos + h.len();
    }
    let recs = section(&report, "\n## Recommendations\n");
    let numbers = recommendation_numbers(recs);
    assert!(!numbers.is_empty());
    assert_eq!(numbers, (1..=numbers.len()).collect::<Vec<_>>(), "{recs}");
    // Quotes cited by role only.
    assert!(report.contains("\n> — service provider\n"), "{report}");
    assert!(!report.contains("Meikäläinen"));
    assert_eq!(report, env.ok(&["export", "report"]), "two runs give the same bytes");

    // --out writes the same text.
    let file = env.sandbox.path("report.md");
    env.ok(&["export", "report", "--out", file.to_str().unwrap()]);
    assert_eq!(std::fs::read_to_string(&file).unwrap(), report);
}

#[test]
fn brief_is_shorter_and_carries_every_recommendation() {
    let env = Env::demo();
    let report = env.ok(&["export", "report"]);
    let brief = env.ok(&["export", "report", "--brief"]);
    assert!(brief.len() < report.len() / 2, "{brief}");
    assert!(brief.contains("## Key findings\n"));
    assert!(brief.ends_with('\n') && !brief.ends_with("\n\n"));
    let full = recommendation_numbers(section(&report, "\n## Recommendations\n"));
    let short = recommendation_numbers(section(&brief, "\n## Recommendations\n"));
    assert_eq!(full, short);
    for line in section(&report, "\n## Recommendations\n").lines().filter(|l| recommendation_numbers(l).len() == 1) {
        assert!(brief.contains(line), "{line:?} missing from the brief");
    }
    assert!(!brief.contains("Meikäläinen"));
}

#[test]
fn markdown_in_user_text_cannot_break_the_document() {
    let env = Env::demo();
    let report = env.ok(&["export", "report"]);
    assert!(report.contains(": \\*Kasvu\\*\n"), "the appendix heading is escaped");
    assert!(report.contains("| a \\| b \\<script\\>alert(1)\\</script\\> |"), "{report}");
    assert!(!report.contains("<script>"));
    assert!(!report.contains("## *Kasvu*") && !report.contains(" *Kasvu* "));
    // Every table row keeps its column count: no unescaped `|` inside a cell.
    for line in report.lines().filter(|l| l.starts_with("| Client referral")) {
        let pipes = line.char_indices().filter(|&(i, c)| c == '|' && !line[..i].ends_with('\\')).count();
        assert_eq!(pipes, 3, "{line}");
    }
}
