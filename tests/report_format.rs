//! The exported report as a document: the demo's report byte for byte (golden files),
//! CommonMark structure as pulldown-cmark parses it, conversion with pandoc, and user
//! text that tries to break out of its place.
//!
//! `OPPI_UPDATE_GOLDEN=1 cargo test --test report_format` rewrites the golden files
//! after an intended change; review the diff before committing it.

mod support;

use std::path::{Path, PathBuf};
use std::process::Command;

use pulldown_cmark::{Event, HeadingLevel, Options, Parser, Tag};
use support::{StoreEnv, describe, require_tool_or_skip};

fn golden_path(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/golden").join(name)
}

/// Compares `actual` with the golden file, or rewrites it when asked to.
fn check_golden(name: &str, actual: &str) {
    let path = golden_path(name);
    if std::env::var("OPPI_UPDATE_GOLDEN").as_deref() == Ok("1") {
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(&path, actual).unwrap();
        return;
    }
    let expected = std::fs::read_to_string(&path)
        .unwrap_or_else(|e| panic!("{}: {e}; create it with OPPI_UPDATE_GOLDEN=1", path.display()));
    if expected != actual {
        let line = expected.lines().zip(actual.lines()).position(|(a, b)| a != b).map_or_else(
            || format!("lengths differ: {} vs {} lines", expected.lines().count(), actual.lines().count()),
            |i| {
                format!(
                    "first difference on line {}:\n  golden: {:?}\n  now:    {:?}",
                    i + 1,
                    expected.lines().nth(i).unwrap(),
                    actual.lines().nth(i).unwrap()
                )
            },
        );
        panic!("{name} differs from {} ({line}); if intended, rerun with OPPI_UPDATE_GOLDEN=1", path.display());
    }
}

/// A demo store with a pilot, an interview and a finding whose text tries every way
/// out of its place: emphasis, a table pipe, raw HTML, a heading, a list, a link.
fn hostile() -> StoreEnv {
    let env = StoreEnv::demo();
    env.ok(&[
        "pilot",
        "add",
        "*Kasvu*",
        "--region",
        "# Häme | <b>",
        "--set",
        "referral-model=a | b <script>alert(1)</script>",
        "--set",
        "fee-model=1. [x](javascript:alert(1)) `code` <!-- c -->",
    ]);
    let notes = env.sandbox.path("notes.txt");
    std::fs::write(&notes, "> <img src=x onerror=alert(1)> | ## not a heading #customer-centricity\n").unwrap();
    env.ok(&[
        "interview",
        "add",
        "--pilot",
        "*Kasvu*",
        "--role",
        "client",
        "--round",
        "mid",
        "--context",
        "<i>lockdown</i> | *x*",
        "--notes-file",
        notes.to_str().unwrap(),
    ]);
    env
}

/// Every event of the document, parsed as CommonMark with GitHub tables.
fn events(markdown: &str) -> Vec<Event<'_>> {
    Parser::new_ext(markdown, Options::ENABLE_TABLES).collect()
}

#[test]
fn demo_report_matches_the_golden_file_from_any_store() {
    // Two stores written separately (on whatever day the test runs) give the same bytes.
    let a = StoreEnv::demo();
    let b = StoreEnv::demo();
    let report = a.ok(&["export", "report"]);
    assert_eq!(report, b.ok(&["export", "report"]));
    check_golden("demo-report.md", &report);
    check_golden("demo-brief-fi.md", &a.ok(&["export", "report", "--brief", "--lang", "fi"]));
}

#[test]
fn report_parses_as_commonmark_with_the_expected_structure() {
    let env = StoreEnv::demo();
    let report = env.ok(&["export", "report"]);
    let (mut h1, mut h2, mut tables, mut quotes, mut mermaid) = (0, 0, 0, 0, 0);
    let mut ordered_lists = 0;
    for e in events(&report) {
        match e {
            Event::Start(Tag::Heading { level: HeadingLevel::H1, .. }) => h1 += 1,
            Event::Start(Tag::Heading { level: HeadingLevel::H2, .. }) => h2 += 1,
            Event::Start(Tag::Table(_)) => tables += 1,
            Event::Start(Tag::BlockQuote(_)) => quotes += 1,
            Event::Start(Tag::List(Some(1))) => ordered_lists += 1,
            Event::Start(Tag::CodeBlock(pulldown_cmark::CodeBlockKind::Fenced(lang))) if &*lang == "mermaid" => {
                mermaid += 1
            }
            Event::Html(h) | Event::InlineHtml(h) => panic!("raw HTML in the report: {h:?}"),
            _ => {}
        }
    }
    assert_eq!(h1, 1, "one title");
    // Six chapters and one appendix per pilot.
    assert_eq!(h2, 6 + 15, "chapters");
    assert!(tables >= 20, "method, tallies, profiles, histories, indicators: {tables}");
    assert!(quotes >= 3, "quotes as block quotes: {quotes}");
    assert!(mermaid >= 3, "impact logics as Mermaid: {mermaid}");
    // Sub-questions and recommendations are real ordered lists, not paragraphs.
    assert!(ordered_lists >= 2, "{ordered_lists}");
}

#[test]
fn hostile_user_text_stays_text() {
    let env = hostile();
    for args in [&["export", "report"][..], &["export", "pilot", "*Kasvu*"], &["export", "report", "--lang", "fi"]] {
        let md = env.ok(args);
        // Text runs joined within a block (pulldown-cmark splits them at escapes), one
        // block a line.
        let mut text = String::new();
        let mut links = 0;
        for e in events(&md) {
            match e {
                Event::Html(h) | Event::InlineHtml(h) => panic!("{args:?}: raw HTML {h:?}"),
                Event::Start(Tag::Link { .. }) | Event::Start(Tag::Image { .. }) => links += 1,
                Event::Text(t) | Event::Code(t) => text.push_str(&t),
                Event::End(_) => text.push('\n'),
                _ => {}
            }
        }
        assert_eq!(links, 0, "{args:?}: user text made a link");
        // The typed characters come through as literal text.
        assert!(text.contains("*Kasvu*"), "{args:?}");
        assert!(text.contains("a | b <script>alert(1)</script>"), "{args:?}");
        assert!(text.contains("[x](javascript:alert(1))"), "{args:?}");
        assert!(!text.lines().any(|l| l.trim() == "not a heading"), "{args:?}: a note made a heading");
    }
    let report = env.ok(&["export", "report"]);
    // The interview's context is a limitation (a lockdown), its markup kept as text.
    assert!(report.contains("held \\<i\\>lockdown\\</i\\> \\| \\*x\\*: read it"), "{report}");
}

/// Runs pandoc on `input`, to `to`; fails on any warning.
fn pandoc(input: &Path, to: &str, out: &Path) {
    let output = Command::new("pandoc")
        .args(["--from", "gfm", "--to", to, "--fail-if-warnings", "--standalone", "--metadata", "title=report"])
        .arg("--output")
        .arg(out)
        .arg(input)
        .output()
        .expect("run pandoc");
    assert!(output.status.success(), "pandoc to {to} failed\n{}", describe(&output));
    assert!(output.stderr.is_empty(), "pandoc to {to} warned:\n{}", String::from_utf8_lossy(&output.stderr));
    assert!(std::fs::metadata(out).is_ok_and(|m| m.len() > 1000), "pandoc wrote {}", out.display());
}

#[test]
fn pandoc_converts_report_brief_and_pilot_to_html_and_docx_without_warnings() {
    if !require_tool_or_skip("pandoc") {
        return;
    }
    let env = hostile();
    let docs = [
        ("report", vec!["export", "report"]),
        ("report-fi", vec!["export", "report", "--lang", "fi"]),
        ("brief", vec!["export", "report", "--brief"]),
        ("pilot", vec!["export", "pilot", "*Kasvu*"]),
    ];
    for (name, args) in docs {
        let md = env.sandbox.path(&format!("{name}.md"));
        let mut args = args.clone();
        let out = md.to_str().unwrap().to_string();
        args.extend(["--out", &out]);
        env.ok(&args);
        let html = env.sandbox.path(&format!("{name}.html"));
        pandoc(&md, "html", &html);
        let html_text = std::fs::read_to_string(&html).unwrap();
        assert!(!html_text.contains("<script>alert"), "{name}: a script tag reached the HTML");
        assert!(!html_text.contains("<img"), "{name}: an image tag reached the HTML");
        if name == "report" {
            assert!(html_text.contains("<table>") && html_text.contains("<blockquote>"), "{name}");
        }
        pandoc(&md, "docx", &env.sandbox.path(&format!("{name}.docx")));
    }
}
