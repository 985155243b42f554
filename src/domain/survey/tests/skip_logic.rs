//! The `relevant` language: parsing, precedence, errors, and evaluation against answers.

use super::{mixed, row};
use crate::domain::survey::{CmpOp, Expr, Response, Survey};

fn cmp(item: &str, op: CmpOp, value: &str, at: usize) -> Expr {
    Expr::Cmp { item: item.into(), op, value: value.into(), at }
}

#[test]
fn parses_a_comparison_with_either_quote_or_a_number() {
    assert_eq!(Expr::parse("org == 'Company'").unwrap(), cmp("org", CmpOp::Eq, "Company", 0));
    assert_eq!(Expr::parse("  org != \"TE office\"").unwrap(), cmp("org", CmpOp::Ne, "TE office", 2));
    assert_eq!(Expr::parse("hours==-2.5").unwrap(), cmp("hours", CmpOp::Eq, "-2.5", 0));
}

#[test]
fn and_binds_tighter_than_or_and_parentheses_override() {
    let a = || Box::new(cmp("a", CmpOp::Eq, "1", 0));
    let e = Expr::parse("a == 1 or b == 2 and c == 3").unwrap();
    let Expr::Or(left, right) = e else { panic!("{e:?}") };
    assert_eq!(left, a());
    assert!(matches!(*right, Expr::And(..)));
    let e = Expr::parse("(a == 1 or b == 2) and not c == 3").unwrap();
    let Expr::And(left, right) = e else { panic!("{e:?}") };
    assert!(matches!(*left, Expr::Or(..)));
    assert!(matches!(*right, Expr::Not(..)));
    assert!(Expr::parse("NOT a == 1 AND b != 'x'").is_ok(), "keywords ignore case");
}

#[test]
fn syntax_errors_point_into_the_expression() {
    let cases = [
        ("a = 1", 2, "`==`"),
        ("a == ", 5, "quoted text"),
        ("a == 'x", 5, "unterminated"),
        ("(a == 1", 7, "`)`"),
        ("a == 1 b == 2", 7, "`and`, `or`"),
        ("a == 1 and", 10, "comparison"),
        ("== 1", 0, "item id"),
        ("a == 1 & b == 2", 7, "unexpected `&`"),
        ("", 0, "comparison"),
    ];
    for (src, at, word) in cases {
        let e = Expr::parse(src).expect_err(src);
        assert_eq!(e.at, at, "{src}: {e:?}");
        assert!(e.message.contains(word), "{src}: {e:?}");
    }
}

fn relevant(s: &Survey, id: &str, r: &Response) -> bool {
    s.is_relevant(s.item(id).unwrap(), r, |name| r.pilot.as_deref() == Some(name))
}

/// A survey whose last item's condition is `cond`, over one item of each kind.
fn with_condition(cond: &str) -> Survey {
    let text =
        format!("{}\n[[items]]\nid = \"probe\"\ntype = \"text\"\ntext = \"?\"\nrelevant = \"{cond}\"\n", super::MIXED);
    Survey::parse("probe.toml", &text).unwrap_or_else(|e| panic!("{cond}: {e:?}"))
}

#[test]
fn comparisons_against_each_answer_kind() {
    let s = mixed();
    let r = row(
        &s,
        None,
        None,
        &[("org", "Company"), ("goals", "Can't say"), ("help", "coach;Bus fare"), ("hours", "7.5"), ("nps", "9")],
    );
    let cases = [
        ("org == 'Company'", true),
        ("org != 'Company'", false),
        ("org == 'TE office'", false),
        ("goals == \\\"Can't say\\\"", true),
        ("goals == 4", false),
        ("help == 'coach'", true),
        ("help == 'Coach'", true),
        ("help == 'money'", false),
        ("help == 'Other'", true),
        ("help == 'Bus fare'", true),
        ("hours == 7.5", true),
        ("hours != 7", true),
        ("nps == 9", true),
        ("nps == 9 and not (org == 'Municipality')", true),
        ("org == 'Municipality' or hours == 7.5", true),
    ];
    for (cond, expected) in cases {
        let s = with_condition(cond);
        assert_eq!(relevant(&s, "probe", &r), expected, "{cond}");
    }
}

#[test]
fn unanswered_items_make_every_comparison_false() {
    let r = Response::default();
    for (cond, expected) in [("org == 'Company'", false), ("org != 'Company'", false), ("not org == 'Company'", true)] {
        assert_eq!(relevant(&with_condition(cond), "probe", &r), expected, "{cond}");
    }
}

#[test]
fn rounds_and_pilots_restrict_items() {
    let s = mixed();
    let round = |n| Response { round: n, ..Response::default() };
    assert!(!relevant(&s, "r2", &round(Some(1))));
    assert!(relevant(&s, "r2", &round(Some(2))));
    assert!(relevant(&s, "r2", &round(None)), "an unknown round restricts nothing");
    let pilot = |p: Option<&str>| Response { pilot: p.map(str::to_string), ..Response::default() };
    assert!(relevant(&s, "ict", &pilot(Some("ICT-rekry"))));
    assert!(!relevant(&s, "ict", &pilot(Some("AIMO"))));
    assert!(relevant(&s, "ict", &pilot(None)));
}

#[test]
fn check_response_lists_problems() {
    let s = mixed();
    let mut r =
        row(&s, Some("AIMO"), Some(1), &[("org", "TE office"), ("why", "because"), ("r2", "3"), ("ict", "Yes")]);
    r.answers.insert("ghost".into(), crate::domain::survey::Answer::Text("boo".into()));
    r.answers.insert("goals".into(), crate::domain::survey::Answer::Scale(9));
    let problems = s.check_response(&r);
    let has = |needle: &str| problems.iter().any(|p| p.contains(needle));
    assert!(has("unknown item `ghost`"), "{problems:#?}");
    assert!(has("`goals`: 9 is not a value"), "{problems:#?}");
    assert!(
        has("answer to `why`, an item that was not relevant: its condition `org == 'Company'` is false"),
        "{problems:#?}"
    );
    assert!(has("answer to `r2`, an item that was not relevant: not asked in round 1"), "{problems:#?}");
    assert!(has("answer to `ict`, an item that was not relevant: not asked for pilot AIMO"), "{problems:#?}");
    assert_eq!(problems.len(), 5, "{problems:#?}");
}

#[test]
fn check_response_reports_required_items_left_empty() {
    let text = super::MIXED.replace("text = \"Hours\"\n", "text = \"Hours\"\nrequired = true\n");
    let s = Survey::parse("m.toml", &text).unwrap();
    let problems = s.check_response(&Response::default());
    assert_eq!(problems, ["required item `hours` was not answered"]);
}
