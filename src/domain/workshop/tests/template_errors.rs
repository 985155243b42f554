//! Every template error reads `file:line:col: message` and points at the value at
//! fault. With `with_phases`, the first phase's `[[phases]]` header is on line 4 and
//! its keys start on line 5.

use super::{DISCUSS, VOTE, WRITE, partner_survey, template, with_phases};
use crate::domain::workshop::{DotRules, PhaseKind, WorkshopTemplate};

fn errors(text: &str) -> Vec<String> {
    match WorkshopTemplate::parse("w.toml", text) {
        Ok(_) => panic!("expected errors in:\n{text}"),
        Err(errs) => errs,
    }
}

/// The single error for `text` starts with `prefix` and mentions `word`.
#[track_caller]
fn one_error(text: &str, prefix: &str, word: &str) {
    let errs = errors(text);
    assert_eq!(errs.len(), 1, "{errs:#?}");
    assert!(errs[0].starts_with(prefix), "{:?} should start with {prefix:?}", errs[0]);
    assert!(errs[0].contains(word), "{:?} should mention {word:?}", errs[0]);
}

#[test]
fn a_small_template_parses_with_defaults() {
    let t = template(&with_phases(&[WRITE, VOTE]));
    assert_eq!(t.name, "t");
    assert_eq!(t.phases.len(), 2);
    assert_eq!(t.phases[0].kind, PhaseKind::Write { max_items_per_person: None });
    let rules = DotRules { dots: 3, max_per_item: 2, anonymous: true, hidden: true, reason: false };
    assert_eq!(t.phases[1].kind, PhaseKind::DotVote(rules));
    assert_eq!(t.total_minutes(), 15);
}

#[test]
fn max_per_item_defaults_to_dots() {
    let t = template(&with_phases(&[WRITE, &VOTE.replace("max_per_item = 2\n", "")]));
    assert!(matches!(t.phases[1].kind, PhaseKind::DotVote(DotRules { dots: 3, max_per_item: 3, .. })));
}

#[test]
fn toml_syntax_error() {
    one_error("name = \"t\ntitle = \"T\"\n", "w.toml:1:", "");
}

#[test]
fn unknown_top_level_key() {
    let text = with_phases(&[DISCUSS]).replace("title = \"T\"\n", "title = \"T\"\ncolour = 1\n");
    one_error(&text, "w.toml:3:1: ", "colour");
}

#[test]
fn unknown_phase_key() {
    one_error(&with_phases(&[&DISCUSS.replace("minutes", "minuets")]), "w.toml:7:1: ", "minuets");
}

#[test]
fn unknown_phase_kind() {
    one_error(&with_phases(&[&DISCUSS.replace("discuss", "brainstorm")]), "w.toml:6:8: ", "brainstorm");
}

#[test]
fn missing_prompt_points_at_the_phase() {
    let errs = errors(&with_phases(&[DISCUSS, &WRITE.replace("prompt = \"Write\"\n", "")]));
    assert_eq!(errs.len(), 1, "{errs:#?}");
    assert!(errs[0].starts_with("w.toml:10:") || errs[0].starts_with("w.toml:11:"), "{errs:?}");
    assert!(errs[0].contains("prompt"), "{errs:?}");
}

#[test]
fn zero_or_negative_minutes() {
    one_error(&with_phases(&[&DISCUSS.replace("= 5", "= 0")]), "w.toml:7:11: ", "at least 1");
    one_error(&with_phases(&[&DISCUSS.replace("= 5", "= -5")]), "w.toml:7:11: ", "");
}

#[test]
fn empty_title_and_prompt() {
    let errs = errors(&with_phases(&[&DISCUSS.replace("\"Talk\"", "\"  \"")]));
    assert_eq!(errs.len(), 2, "{errs:#?}");
    assert!(errs[0].starts_with("w.toml:5:9: ") && errs[0].contains("title"), "{errs:?}");
    assert!(errs[1].starts_with("w.toml:8:10: ") && errs[1].contains("prompt"), "{errs:?}");
}

#[test]
fn duplicate_phase_titles_name_the_first_line() {
    let text = with_phases(&[DISCUSS, &DISCUSS.replace("\"Talk\"\nkind", "\"talk\"\nkind")]);
    one_error(&text, "w.toml:11:9: ", "first used on line 5");
}

#[test]
fn dots_must_be_at_least_one() {
    one_error(&with_phases(&[WRITE, &VOTE.replace("dots = 3", "dots = 0")]), "w.toml:15:8: ", "`dots`");
}

#[test]
fn max_per_item_cannot_exceed_dots() {
    let text = with_phases(&[WRITE, &VOTE.replace("max_per_item = 2", "max_per_item = 4")]);
    one_error(&text, "w.toml:16:16: ", "more than `dots` (3)");
}

#[test]
fn dot_vote_needs_dots() {
    one_error(&with_phases(&[WRITE, &VOTE.replace("dots = 3\n", "")]), "w.toml:12:8: ", "dots = N");
}

#[test]
fn settings_of_another_kind_are_named() {
    let text = with_phases(&[&format!("{DISCUSS}dots = 3\n")]);
    one_error(&text, "w.toml:9:8: ", "`dots` does not apply to discuss phases");
    let text = with_phases(&[&format!("{WRITE}options = [\"a\", \"b\"]\n")]);
    one_error(&text, "w.toml:9:11: ", "`options` does not apply to write phases");
}

#[test]
fn write_limit_of_zero() {
    one_error(&with_phases(&[&format!("{WRITE}max_items_per_person = 0\n")]), "w.toml:9:24: ", "at least 1");
}

#[test]
fn scale_poll_needs_survey_and_items() {
    let poll = "title = \"Poll\"\nkind = \"scale-poll\"\nminutes = 5\nprompt = \"P\"\n";
    let errs = errors(&with_phases(&[poll]));
    assert_eq!(errs.len(), 2, "{errs:#?}");
    assert!(errs.iter().all(|e| e.starts_with("w.toml:6:8: ")), "{errs:?}");
    let empty = format!("{poll}survey = \"partner-2020\"\nitems = []\n");
    one_error(&with_phases(&[&empty]), "w.toml:10:9: ", "at least one");
    let twice = format!("{poll}survey = \"partner-2020\"\nitems = [\"trust\", \"trust\"]\n");
    one_error(&with_phases(&[&twice]), "w.toml:10:19: ", "asked twice");
}

#[test]
fn scale_poll_references_are_checked_against_the_catalogue() {
    let poll = "title = \"Poll\"\nkind = \"scale-poll\"\nminutes = 5\nprompt = \"P\"\n";
    let surveys = [partner_survey()];
    let check = |body: &str| WorkshopTemplate::parse_checked("w.toml", &with_phases(&[body]), &surveys);
    let ok = format!("{poll}survey = \"partner-2020\"\nitems = [\"trust\", \"goals_clear\"]\n");
    let t = check(&ok).unwrap();
    let refs: Vec<(usize, &str, &str)> = t.survey_refs().iter().map(|r| (r.phase, r.survey, r.item)).collect();
    assert_eq!(refs, [(0, "partner-2020", "trust"), (0, "partner-2020", "goals_clear")]);

    let errs = check(&ok.replace("\"partner-2020\"", "\"partner-2099\"")).unwrap_err();
    assert_eq!(errs.len(), 1, "{errs:#?}");
    assert!(errs[0].starts_with("w.toml:9:10: ") && errs[0].contains("unknown survey 'partner-2099'"), "{errs:?}");

    let errs = check(&ok.replace("goals_clear", "goals")).unwrap_err();
    assert_eq!(errs, ["w.toml:10:19: survey 'partner-2020' has no item 'goals'"]);

    let errs = check(&ok.replace("goals_clear", "lessons")).unwrap_err();
    assert!(errs[0].starts_with("w.toml:10:19: ") && errs[0].contains("free-text"), "{errs:?}");
}

#[test]
fn rank_options() {
    let rank = "title = \"Rank\"\nkind = \"rank\"\nminutes = 5\nprompt = \"P\"\n";
    one_error(&with_phases(&[rank]), "w.toml:6:8: ", "first phase");
    one_error(&with_phases(&[&format!("{rank}options = [\"only\"]\n")]), "w.toml:9:11: ", "at least two");
    let dup = format!("{rank}options = [\"a\", \"a\"]\n");
    one_error(&with_phases(&[&dup]), "w.toml:9:17: ", "duplicate option 'a'");
    let t = template(&with_phases(&[WRITE, rank]));
    assert_eq!(t.phases[1].kind, PhaseKind::Rank { options: vec![] });
}

#[test]
fn present_items_must_not_be_empty_strings() {
    let present = format!("{}items = [\"a\", \" \"]\n", DISCUSS.replace("discuss", "present"));
    let text = with_phases(&[&present]);
    one_error(&text, "w.toml:9:15: ", "empty item");
}

#[test]
fn template_needs_phases_and_a_good_name() {
    one_error("name = \"t\"\ntitle = \"T\"\n", "w.toml:1:1: ", "[[phases]]");
    one_error(&with_phases(&[DISCUSS]).replace("\"t\"", "\"my template\""), "w.toml:1:8: ", "template name");
}

#[test]
fn all_errors_are_reported_in_file_order() {
    let text = with_phases(&[&DISCUSS.replace("= 5", "= 0"), &VOTE.replace("dots = 3", "dots = 0"), "title = 3\n"]);
    let errs = errors(&text);
    assert_eq!(errs.len(), 3, "{errs:#?}");
    assert!(errs[0].starts_with("w.toml:7:11: "), "{errs:?}");
    assert!(errs[1].starts_with("w.toml:15:8: "), "{errs:?}");
    assert!(errs[2].starts_with("w.toml:19:"), "{errs:?}");
}
