//! Tests for the survey domain, split by concern. Fixtures shared by several files live here.

mod cells;
mod shipped;
mod skip_logic;
mod spec_errors;
mod tallies;

use super::{Response, Survey};

/// Seven lines of header and one scale; items appended start on line 8.
pub(super) const HEAD: &str = r#"id = "t"
title = "Test"
version = 1

[scales.agree5]
points = [{ value = 1, label = "No" }, { value = 2, label = "Maybe" }, { value = 3, label = "Yes" }]
dont_know = "Can't say"
"#;

/// A survey with one item of every type, skip logic, a round-2 item and a pilot item.
pub(super) const MIXED: &str = r#"id = "mixed"
title = "Mixed"
version = 1

[scales.agree5]
points = [
    { value = 1, label = "Strongly disagree" }, { value = 2, label = "Disagree" },
    { value = 3, label = "Neither" }, { value = 4, label = "Agree" }, { value = 5, label = "Strongly agree" },
]
dont_know = "Can't say"

[scales.plain3]
points = [{ value = 1, label = "Low" }, { value = 2, label = "Mid" }, { value = 3, label = "High" }]

[[items]]
id = "org"
type = "single"
text = "Organisation"
choices = ["TE office", "Municipality", "Company"]
other = true

[[items]]
id = "goals"
type = "scale"
scale = "agree5"
text = "Goals were clear"

[[items]]
id = "help"
type = "multi"
text = "What helped"
choices = [{ code = "coach", label = "Coach" }, { code = "training", label = "Training" }, { code = "money", label = "Money" }]
other = true
max = 2

[[items]]
id = "hours"
type = "number"
text = "Hours"
min = 0
max = 100

[[items]]
id = "nps"
type = "nps"
text = "Recommend?"

[[items]]
id = "why"
type = "text"
text = "Why a company?"
relevant = "org == 'Company'"

[[items]]
id = "r2"
type = "scale"
scale = "agree5"
text = "Round two only"
rounds = [2]

[[items]]
id = "ict"
type = "single"
text = "ICT pilot only"
choices = ["Yes", "No"]
pilots = ["ICT-rekry"]

[[items]]
id = "level"
type = "scale"
scale = "plain3"
text = "A scale without don't-know"
"#;

pub(super) fn mixed() -> Survey {
    Survey::parse("mixed.toml", MIXED).expect("MIXED parses")
}

/// A response from CSV-like cells, so fixtures read like the rows they stand for.
pub(super) fn row(survey: &Survey, pilot: Option<&str>, round: Option<u32>, cells: &[(&str, &str)]) -> Response {
    let mut r = Response { pilot: pilot.map(str::to_string), round, ..Response::default() };
    for (id, cell) in cells {
        let item = survey.item(id).unwrap_or_else(|| panic!("no item {id}"));
        if let Some(a) = survey.parse_cell(item, cell).unwrap_or_else(|e| panic!("{id} = {cell:?}: {e}")) {
            r.answers.insert(id.to_string(), a);
        }
    }
    r
}
