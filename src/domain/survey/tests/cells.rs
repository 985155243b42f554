//! CSV cell rules: what `parse_cell` accepts and rejects, and that `format_cell`
//! writes exactly what `parse_cell` reads back.

use super::mixed;
use crate::domain::survey::{Answer, Pick, Survey};

fn cell(s: &Survey, id: &str, text: &str) -> Result<Option<Answer>, String> {
    s.parse_cell(s.item(id).unwrap(), text)
}

fn ok(s: &Survey, id: &str, text: &str) -> Answer {
    cell(s, id, text).unwrap_or_else(|e| panic!("{id} {text:?}: {e}")).expect("answered")
}

#[test]
fn empty_cells_are_not_answered() {
    let s = mixed();
    for id in ["org", "goals", "help", "hours", "nps", "why"] {
        assert_eq!(cell(&s, id, "").unwrap(), None, "{id}");
        assert_eq!(cell(&s, id, "  ").unwrap(), None, "{id}");
    }
    assert_eq!(cell(&s, "help", " ; ").unwrap(), None);
}

#[test]
fn scale_cells_take_values_labels_and_dont_know() {
    let s = mixed();
    assert_eq!(ok(&s, "goals", "4"), Answer::Scale(4));
    assert_eq!(ok(&s, "goals", "Agree"), Answer::Scale(4));
    assert_eq!(ok(&s, "goals", "Can't say"), Answer::DontKnow);
    assert!(cell(&s, "goals", "6").unwrap_err().contains("not a value of scale `agree5`"));
    assert!(cell(&s, "goals", "Meh").is_err());
    assert!(cell(&s, "level", "Can't say").is_err(), "plain3 has no don't-know");
    assert_eq!(ok(&s, "nps", "10"), Answer::Scale(10));
    assert!(cell(&s, "nps", "11").unwrap_err().contains("0–10"));
}

#[test]
fn choice_cells_take_codes_labels_and_other_text() {
    let s = mixed();
    assert_eq!(ok(&s, "org", "Company"), Answer::Choice("Company".into()));
    assert_eq!(ok(&s, "org", "Chamber of commerce"), Answer::Other("Chamber of commerce".into()));
    assert!(cell(&s, "ict", "Maybe").unwrap_err().contains("not one of: Yes, No"));
    assert_eq!(
        ok(&s, "help", " Training ;Bus fare"),
        Answer::Multi(vec![Pick::Choice("training".into()), Pick::Other("Bus fare".into())])
    );
}

#[test]
fn multi_cells_respect_max_and_reject_repeats() {
    let s = mixed();
    assert!(cell(&s, "help", "coach;training;money").unwrap_err().contains("at most 2"));
    assert!(cell(&s, "help", "coach;coach").unwrap_err().contains("twice"));
}

#[test]
fn number_cells_check_range_and_integers() {
    let s = mixed();
    assert_eq!(ok(&s, "hours", "7.5"), Answer::Number(7.5));
    assert_eq!(ok(&s, "hours", "7,5"), Answer::Number(7.5), "decimal comma");
    assert!(cell(&s, "hours", "101").unwrap_err().contains("outside 0–100"));
    assert!(cell(&s, "hours", "-1").is_err());
    assert!(cell(&s, "hours", "lots").unwrap_err().contains("not a number"));
    let text = super::MIXED.replace("min = 0\n", "min = 0\ninteger = true\n");
    let whole = Survey::parse("m.toml", &text).unwrap();
    assert!(cell(&whole, "hours", "7.5").unwrap_err().contains("not a whole number"));
    assert_eq!(ok(&whole, "hours", "7"), Answer::Number(7.0));
}

#[test]
fn format_cell_is_the_inverse_of_parse_cell() {
    let s = mixed();
    let answers = [
        ("org", Answer::Choice("TE office".into())),
        ("org", Answer::Other("Chamber of commerce".into())),
        ("goals", Answer::Scale(1)),
        ("goals", Answer::DontKnow),
        ("help", Answer::Multi(vec![Pick::Choice("money".into()), Pick::Other("Bus fare".into())])),
        ("hours", Answer::Number(7.25)),
        ("hours", Answer::Number(40.0)),
        ("nps", Answer::Scale(0)),
        ("why", Answer::Text("Because, \"we\" said so".into())),
    ];
    for (id, answer) in answers {
        let item = s.item(id).unwrap();
        let text = s.format_cell(item, &answer);
        assert_eq!(s.parse_cell(item, &text), Ok(Some(answer.clone())), "{id}: {text:?}");
    }
    assert_eq!(s.format_cell(s.item("goals").unwrap(), &Answer::DontKnow), "Can't say");
    assert_eq!(s.format_cell(s.item("hours").unwrap(), &Answer::Number(40.0)), "40");
    // And text → answer → text gives the canonical cell.
    for (id, text) in [("goals", "Agree"), ("help", "Coach;Money")] {
        let item = s.item(id).unwrap();
        let answer = ok(&s, id, text);
        let canonical = s.format_cell(item, &answer);
        assert_eq!(ok(&s, id, &canonical), answer);
    }
}
