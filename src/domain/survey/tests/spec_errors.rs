//! Every validation error must read `file:line:col: message`, pointing at the value
//! at fault. Items appended to `HEAD` start on line 8.

use super::HEAD;
use crate::domain::survey::Survey;

fn errors(text: &str) -> Vec<String> {
    match Survey::parse("s.toml", text) {
        Ok(_) => panic!("expected errors in:\n{text}"),
        Err(errs) => errs.iter().map(ToString::to_string).collect(),
    }
}

fn with_items(items: &str) -> String {
    format!("{HEAD}{items}")
}

/// The single error for `text` starts with `prefix` and mentions `word`.
#[track_caller]
fn one_error(text: &str, prefix: &str, word: &str) {
    let errs = errors(text);
    assert_eq!(errs.len(), 1, "{errs:#?}");
    assert!(errs[0].starts_with(prefix), "{:?} should start with {prefix:?}", errs[0]);
    assert!(errs[0].contains(word), "{:?} should mention {word:?}", errs[0]);
}

const OK_ITEM: &str = "[[items]]\nid = \"a\"\ntype = \"scale\"\nscale = \"agree5\"\ntext = \"A\"\n";

#[test]
fn head_and_one_item_parse() {
    let s = Survey::parse("s.toml", &with_items(OK_ITEM)).unwrap();
    assert_eq!(s.items.len(), 1);
}

#[test]
fn toml_syntax_error() {
    one_error("id = \"t\ntitle = \"T\"\n", "s.toml:1:", "");
}

#[test]
fn unknown_top_level_key() {
    one_error(&format!("{HEAD}colour = 1\n{OK_ITEM}"), "s.toml:8:1: ", "colour");
}

#[test]
fn unknown_item_key() {
    one_error(&with_items("[[items]]\nid = \"a\"\ntype = \"text\"\ntxet = \"A\"\n"), "s.toml:11:1: ", "txet");
}

#[test]
fn unknown_scale_point_key() {
    let text = "id = \"t\"\ntitle = \"T\"\nversion = 1\n[scales.s]\npoints = [{ value = 1, label = \"x\", colour = \"red\" }]\n";
    one_error(&format!("{text}{OK_ITEM}").replace("agree5", "s"), "s.toml:5:", "colour");
}

#[test]
fn unknown_item_type() {
    one_error(&with_items("[[items]]\nid = \"a\"\ntype = \"slider\"\ntext = \"A\"\n"), "s.toml:10:8: ", "slider");
}

#[test]
fn survey_id_charset() {
    one_error(&format!("{}{OK_ITEM}", HEAD.replace("id = \"t\"", "id = \"t 2020\"")), "s.toml:1:6: ", "letters");
}

#[test]
fn item_id_charset() {
    one_error(&with_items(&OK_ITEM.replace("\"a\"", "\"a b\"")), "s.toml:9:6: ", "item id");
}

#[test]
fn unknown_scale() {
    one_error(&with_items(&OK_ITEM.replace("agree5", "agree9")), "s.toml:11:9: ", "unknown scale `agree9`");
}

#[test]
fn scale_item_needs_a_scale() {
    one_error(&with_items("[[items]]\nid = \"a\"\ntype = \"scale\"\ntext = \"A\"\n"), "s.toml:10:8: ", "scale");
}

#[test]
fn duplicate_item_id() {
    // The second item starts on line 13; its id value at column 6.
    one_error(
        &with_items(&format!("{OK_ITEM}{OK_ITEM}")),
        "s.toml:14:6: ",
        "duplicate item id 'a' (first defined on line 9)",
    );
}

#[test]
fn duplicate_scale_value_and_label() {
    let head = "id = \"t\"\ntitle = \"T\"\nversion = 1\n[scales.agree5]\n\
                points = [{ value = 1, label = \"x\" }, { value = 1, label = \"x\" }]\n";
    let errs = errors(&format!("{head}{OK_ITEM}"));
    assert_eq!(errs.len(), 2, "{errs:#?}");
    assert!(errs[0].starts_with("s.toml:5:49: ") && errs[0].contains("duplicate value 1"), "{errs:?}");
    assert!(errs[1].starts_with("s.toml:5:60: ") && errs[1].contains("duplicate label 'x'"), "{errs:?}");
}

#[test]
fn duplicate_choice_codes() {
    let item = "[[items]]\nid = \"a\"\ntype = \"single\"\ntext = \"A\"\n\
                choices = [{ code = \"te\", label = \"TE office\" }, { code = \"te\", label = \"Other office\" }]\n";
    one_error(&with_items(item), "s.toml:12:50: ", "duplicate choice code 'te'");
}

#[test]
fn max_only_for_multi_and_at_most_the_choices() {
    let single = "[[items]]\nid = \"a\"\ntype = \"single\"\ntext = \"A\"\nchoices = [\"x\", \"y\"]\nmax = 1\n";
    one_error(&with_items(single), "s.toml:13:7: ", "`max` does not apply to single items");
    let multi = single.replace("single", "multi").replace("max = 1", "max = 3");
    one_error(&with_items(&multi), "s.toml:13:7: ", "only 2 choices");
}

#[test]
fn number_min_above_max() {
    let item = "[[items]]\nid = \"a\"\ntype = \"number\"\ntext = \"A\"\nmin = 10\nmax = 5\n";
    one_error(&with_items(item), "s.toml:12:7: ", "greater than `max`");
}

#[test]
fn relevant_that_does_not_parse() {
    let second = "[[items]]\nid = \"b\"\ntype = \"text\"\ntext = \"B\"\nrelevant = \"a = 3\"\n";
    // Line 17; the string starts at column 12, its text at 13; the `=` is 2 further on.
    one_error(&with_items(&format!("{OK_ITEM}{second}")), "s.toml:17:15: ", "`==`");
}

#[test]
fn relevant_naming_an_unknown_item() {
    let second = "[[items]]\nid = \"b\"\ntype = \"text\"\ntext = \"B\"\nrelevant = \"a == 1 or zz == 'x'\"\n";
    one_error(&with_items(&format!("{OK_ITEM}{second}")), "s.toml:17:23: ", "unknown item `zz`");
}

#[test]
fn relevant_naming_a_later_item_or_itself() {
    let first = OK_ITEM.replace("text = \"A\"\n", "text = \"A\"\nrelevant = \"b == 'x'\"\n");
    let second = "[[items]]\nid = \"b\"\ntype = \"text\"\ntext = \"B\"\n";
    one_error(&with_items(&format!("{first}{second}")), "s.toml:13:13: ", "a later item");
    let own = OK_ITEM.replace("text = \"A\"\n", "text = \"A\"\nrelevant = \"a == 1\"\n");
    one_error(&with_items(&own), "s.toml:13:13: ", "the item itself");
}

#[test]
fn relevant_literal_that_can_never_match() {
    let second = "[[items]]\nid = \"b\"\ntype = \"text\"\ntext = \"B\"\nrelevant = \"a == 'Agree'\"\n";
    one_error(&with_items(&format!("{OK_ITEM}{second}")), "s.toml:17:13: ", "'Agree'");
}

#[test]
fn all_errors_are_reported_in_file_order() {
    let items = "[[items]]\nid = \"a\"\ntype = \"scale\"\nscale = \"nope\"\ntext = \"A\"\n\
                 [[items]]\nid = \"b\"\ntype = \"text\"\ntext = \"B\"\nbogus = 1\n\
                 [[items]]\nid = \"a\"\ntype = \"number\"\ntext = \"C\"\nmin = 2\nmax = 1\nrelevant = \"b == 'x'\"\n";
    let errs = errors(&with_items(items));
    assert_eq!(errs.len(), 4, "{errs:#?}");
    assert!(errs[0].starts_with("s.toml:11:9: ") && errs[0].contains("unknown scale"), "{errs:#?}");
    assert!(errs[1].starts_with("s.toml:17:1: ") && errs[1].contains("bogus"), "{errs:#?}");
    assert!(errs[2].starts_with("s.toml:19:6: ") && errs[2].contains("duplicate"), "{errs:#?}");
    assert!(errs[3].starts_with("s.toml:22:7: ") && errs[3].contains("min"), "{errs:#?}");
}
