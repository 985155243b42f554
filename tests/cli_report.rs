//! `oppi export report`: the evaluation report and the steering-group brief.

mod support;

use support::{StoreEnv, describe};

/// A demo store, plus a pilot and an interview whose text could break Markdown.
fn demo_with_kasvu() -> StoreEnv {
    let env = StoreEnv::demo();
    env.ok(&["pilot", "add", "*Kasvu*", "--region", "Häme", "--set", "referral-model=a | b <script>alert(1)</script>"]);
    let notes = env.sandbox.path("notes.txt");
    std::fs::write(&notes, "> The coach knew us. #customer-centricity\n").unwrap();
    let notes = notes.to_str().unwrap();
    let interview = ["interview", "add", "--pilot", "*Kasvu*", "--role", "client", "--round", "mid"];
    env.ok(&[&interview[..], &["--name", "Maija Meikäläinen", "--notes-file", notes]].concat());
    env
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
    let env = demo_with_kasvu();
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
    let env = demo_with_kasvu();
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
    let env = demo_with_kasvu();
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

#[test]
fn finnish_report_translates_headings_and_fixed_text() {
    let env = demo_with_kasvu();
    let fi = env.ok(&["export", "report", "--lang", "fi"]);
    for h in [
        "\n## Arviointikysymykset\n",
        "\n## Menetelmät ja aineisto\n",
        "\n## Havainnot\n",
        "\n## Johtopäätökset\n",
        "\n## Suositukset\n",
        "\n## Aineiston rajoitukset\n",
        "\n## Liite 1: ",
        "**Mitä havaittiin:**",
        "| Kysely | Vastaajat | Kutsutut | Vastausaste |",
        "### Vaikutuslogiikka\n",
    ] {
        assert!(fi.contains(h), "{h:?} missing from the Finnish report");
    }
    for english in ["## Findings", "## Recommendations", "**What:**", "Follow-up actions", "## Appendix"] {
        assert!(!fi.contains(english), "{english:?} left in English");
    }
    // Limitations are phrased from facts, evidence labelled and map tables headed in Finnish.
    for finnish in [
        "- Innorekry (tila: keskeytetty): ei kyselyvastauksia (p12)\n",
        "puuttuvat lähtötaso ja tavoite (p2/24)\n",
        "arvot 190 ja 90 (p9/6)\n",
        "\n- haastattelu i23 ¶1 (",
        "kysely partner-2020 · goals\\_clear · pilotti p7 (n = ",
        "\n| Mistä | Mihin | Perustelu | Oletukset |\n",
        "\n| Mittari | Solmu | Yksikkö | Lähde | Lähtötaso | Tavoite | Viimeisin | Puutteet |\n",
    ] {
        assert!(fi.contains(finnish), "{finnish:?} missing from the Finnish report");
    }
    for english in [
        "no survey responses",
        "read it in that light",
        "is given as",
        "- interview i",
        "- lesson o",
        "survey partner-2020 ·",
        "| From | To |",
        "| Indicator | Node |",
        "No links yet.",
        "(status: ",
    ] {
        assert!(!fi.contains(english), "{english:?} left in English");
    }
    // The same recommendations, numbered the same way, in either language.
    let en = env.ok(&["export", "report"]);
    assert_eq!(
        recommendation_numbers(section(&en, "\n## Recommendations\n")),
        recommendation_numbers(section(&fi, "\n## Suositukset\n"))
    );
    let brief = env.ok(&["export", "report", "--brief", "--lang", "fi"]);
    assert!(brief.contains(": tiivistelmä ohjausryhmälle\n") && brief.contains("## Keskeiset havainnot\n"), "{brief}");
    let err = String::from_utf8(env.run(&["export", "report", "--lang", "de"]).stderr).unwrap();
    assert!(err.contains("'de'") && err.contains("en, fi, sv"), "{err}");
}

#[test]
fn pilot_export_is_one_appendix_as_a_document() {
    let env = demo_with_kasvu();
    let md = env.ok(&["export", "pilot", "Omavalmentaja"]);
    assert!(md.starts_with("# Omavalmentaja\n\n## Profile\n"), "{md}");
    let order = [
        "## Profile",
        "## Status history",
        "## Impact logic",
        "```mermaid",
        "### Indicators",
        "## Learning objectives and lessons",
    ];
    let mut at = 0;
    for part in order {
        at += md[at..].find(part).unwrap_or_else(|| panic!("{part:?} missing or out of order:\n{md}"));
    }
    // The same text as the report's appendix, one heading level up.
    let report = env.ok(&["export", "report"]);
    assert!(report.contains("\n## Appendix 2: Omavalmentaja\n\n### Profile\n"), "Omavalmentaja is the second pilot");
    // Any of the pilot's names finds it; the escaped hostile name too.
    assert_eq!(env.ok(&["export", "pilot", "p2"]), md);
    let hostile = env.ok(&["export", "pilot", "*Kasvu*"]);
    assert!(hostile.starts_with("# \\*Kasvu\\*\n") && !hostile.contains("<script>"), "{hostile}");
    let fi = env.ok(&["export", "pilot", "Omavalmentaja", "--lang", "fi"]);
    assert!(fi.starts_with("# Omavalmentaja\n\n## Perustiedot\n"), "{fi}");
    let file = env.sandbox.path("p2.md");
    env.ok(&["export", "pilot", "Omavalmentaja", "--out", file.to_str().unwrap()]);
    assert_eq!(std::fs::read_to_string(&file).unwrap(), md);
    let out = env.run(&["export", "pilot", "No such pilot"]);
    assert!(!out.status.success(), "{}", describe(&out));
}

#[test]
fn invited_counts_set_from_the_command_line_give_response_rates() {
    let env = demo_with_kasvu();
    assert!(env.ok(&["export", "report"]).contains("\n| Client survey (client-2020) | 520 | — | — |\n"));
    assert_eq!(env.ok(&["synthesis", "invited", "client-2020"]), "not recorded\n");
    env.ok(&["synthesis", "invited", "client-2020", "1000"]);
    assert_eq!(env.ok(&["synthesis", "invited", "client-2020"]), "1000\n");
    assert!(env.ok(&["export", "report"]).contains("\n| Client survey (client-2020) | 520 | 1000 | 52.0 % |\n"));
    // Fewer invited than answered, nobody invited, an unknown survey: refused, nothing changes.
    for args in [
        &["synthesis", "invited", "client-2020", "519"][..],
        &["synthesis", "invited", "client-2020", "0"],
        &["synthesis", "invited", "no-such-survey", "5"],
    ] {
        let out = env.run(args);
        assert!(!out.status.success(), "{args:?} should fail\n{}", describe(&out));
    }
    assert_eq!(env.ok(&["synthesis", "invited", "client-2020"]), "1000\n");
    env.ok(&["synthesis", "invited", "client-2020", "--clear"]);
    assert!(env.ok(&["export", "report"]).contains("\n| Client survey (client-2020) | 520 | — | — |\n"));
}

#[cfg(unix)]
#[test]
fn a_report_written_to_a_pipe_leaves_the_pipe_in_place() {
    use std::os::unix::fs::FileTypeExt;
    let env = demo_with_kasvu();
    let expected = env.ok(&["export", "report"]);
    let fifo = env.sandbox.path("report.pipe");
    let made = std::process::Command::new("mkfifo").arg(&fifo).status().expect("run mkfifo");
    assert!(made.success());
    let reader = {
        let fifo = fifo.clone();
        std::thread::spawn(move || std::fs::read_to_string(fifo).unwrap())
    };
    env.ok(&["export", "report", "--out", fifo.to_str().unwrap()]);
    // Replaced by a rename, the reader would wait for ever: look before joining it.
    assert!(std::fs::metadata(&fifo).unwrap().file_type().is_fifo(), "the pipe is still a pipe");
    assert_eq!(reader.join().unwrap(), expected);
}
