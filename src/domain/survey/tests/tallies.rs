//! Tallies against hand-computed figures. Six respondents of `MIXED`:
//!
//! | # | pilot     | round | org           | goals     | help              | hours | nps | why  | r2 | ict |
//! |---|-----------|-------|---------------|-----------|-------------------|-------|-----|------|----|-----|
//! | 1 | AIMO      | 1     | TE office     | 4         | coach;training    | 10    | 10  |      |    |     |
//! | 2 | AIMO      | 2     | Company       | Can't say | coach             | 20    | 9   | good | 5  |     |
//! | 3 | ICT-rekry | 1     | Company       | 2         | money;Bus fare    |       | 3   |      |    | Yes |
//! | 4 | ICT-rekry | 2     | Chamber (Oth.)| 5         |                   | 35    | 7   |      |    |     |
//! | 5 | AIMO      | 2     | TE office     | 4         | training          | 30.5  | 8   |      | 3  |     |
//! | 6 | –         | –     |               |           |                   |       |     |      |    |     |

use serde::de::DeserializeSeed as _;
use serde_json::json;

use super::{mixed, row};
use crate::domain::survey::{
    Answer, AnswerLayout, ItemStats, LOW_N, Response, StreamingTally, Survey, TallyFilter, names_match, tally,
};

fn responses(s: &Survey) -> Vec<Response> {
    vec![
        row(
            s,
            Some("AIMO"),
            Some(1),
            &[("org", "TE office"), ("goals", "4"), ("help", "coach;training"), ("hours", "10"), ("nps", "10")],
        ),
        row(
            s,
            Some("AIMO"),
            Some(2),
            &[
                ("org", "Company"),
                ("goals", "Can't say"),
                ("help", "coach"),
                ("hours", "20"),
                ("nps", "9"),
                ("why", "good"),
                ("r2", "5"),
            ],
        ),
        row(
            s,
            Some("ICT-rekry"),
            Some(1),
            &[("org", "Company"), ("goals", "2"), ("help", "money;Bus fare"), ("nps", "3"), ("ict", "Yes")],
        ),
        row(
            s,
            Some("ICT-rekry"),
            Some(2),
            &[("org", "Chamber of commerce"), ("goals", "5"), ("hours", "35"), ("nps", "7")],
        ),
        row(
            s,
            Some("AIMO"),
            Some(2),
            &[("org", "TE office"), ("goals", "4"), ("help", "training"), ("hours", "30.5"), ("nps", "8"), ("r2", "3")],
        ),
        row(s, None, None, &[]),
    ]
}

fn everyone() -> serde_json::Value {
    let s = mixed();
    serde_json::to_value(tally(&s, &responses(&s), &TallyFilter::default()).unwrap()).unwrap()
}

fn item(v: &serde_json::Value, id: &str) -> serde_json::Value {
    v["items"].as_array().unwrap().iter().find(|i| i["id"] == id).unwrap().clone()
}

#[test]
fn scale_item_with_dont_know() {
    let v = everyone();
    assert_eq!(v["survey"], "mixed");
    assert_eq!(v["respondents"], 6);
    // mean (4 + 2 + 5 + 4) / 4 = 3.75, don't-know left out; median of 2,4,4,5 = 4.
    let expected = json!({ "id": "goals", "type": "scale", "n": 5, "dont_know": 1, "missing": 1,
        "counts": { "1": 0, "2": 1, "3": 0, "4": 2, "5": 1 }, "mean": 3.75, "median": 4 });
    assert_eq!(item(&v, "goals"), expected);
    let text = serde_json::to_string(&item(&v, "goals")["counts"]).unwrap();
    assert_eq!(text, r#"{"1":0,"2":1,"3":0,"4":2,"5":1}"#);
}

#[test]
fn single_choice_counts_other_and_omits_keys_that_do_not_apply() {
    let v = everyone();
    let expected = json!({ "id": "org", "type": "single", "n": 5, "missing": 1,
        "counts": { "TE office": 2, "Municipality": 0, "Company": 2, "Other": 1 } });
    assert_eq!(item(&v, "org"), expected);
    let keys: Vec<String> = serde_json::to_string(&tally(&mixed(), &[], &TallyFilter::default()).unwrap().items[0])
        .unwrap()
        .split('"')
        .skip(1)
        .step_by(2)
        .map(str::to_string)
        .collect();
    assert!(keys.starts_with(&["id".into(), "single".into()]) || keys[0] == "id", "{keys:?}");
    assert!(!keys.contains(&"dont_know".to_string()) && !keys.contains(&"mean".to_string()), "{keys:?}");
}

#[test]
fn multi_counts_each_option_and_other_once() {
    let expected = json!({ "id": "help", "type": "multi", "n": 4, "missing": 2,
        "counts": { "coach": 2, "training": 2, "money": 1, "Other": 1 } });
    assert_eq!(item(&everyone(), "help"), expected);
}

#[test]
fn number_item_even_median_and_rounded_mean() {
    // 10, 20, 30.5, 35: mean 23.875 → 23.88; median (20 + 30.5) / 2.
    let expected = json!({ "id": "hours", "type": "number", "n": 4, "missing": 2,
        "mean": 23.88, "median": 25.25, "min": 10, "max": 35 });
    assert_eq!(item(&everyone(), "hours"), expected);
}

#[test]
fn nps_score() {
    // 10, 9 promoters; 7, 8 passives; 3 detractor: (2 − 1) / 5 = +20.
    let expected = json!({ "id": "nps", "type": "nps", "n": 5, "missing": 1,
        "promoters": 2, "passives": 2, "detractors": 1, "score": 20.0 });
    assert_eq!(item(&everyone(), "nps"), expected);
}

#[test]
fn missing_counts_only_where_the_item_was_asked() {
    let v = everyone();
    // why: asked of the two companies (#2 answered, #3 did not).
    assert_eq!(item(&v, "why"), json!({ "id": "why", "type": "text", "n": 1, "missing": 1 }));
    // r2: round 2 only: #4 left it empty, #6 has no round so it may have been asked.
    let r2 = item(&v, "r2");
    assert_eq!(
        (r2["n"].clone(), r2["missing"].clone(), r2["mean"].clone(), r2["median"].clone()),
        (json!(2), json!(2), json!(4.0), json!(4))
    );
    // ict: ICT-rekry only: #4 left it empty, #6 has no pilot.
    assert_eq!(item(&v, "ict")["missing"], 2);
    assert_eq!(item(&v, "ict")["counts"], json!({ "Yes": 1, "No": 0 }));
    // A scale without don't-know has no "dont_know" key, and empty figures are null.
    assert_eq!(
        item(&v, "level"),
        json!({ "id": "level", "type": "scale", "n": 0, "missing": 6,
        "counts": { "1": 0, "2": 0, "3": 0 }, "mean": null, "median": null })
    );
}

#[test]
fn filters_by_pilot_and_round() {
    let s = mixed();
    let rs = responses(&s);
    let aimo = tally(&s, &rs, &TallyFilter { pilot: Some("aimo".into()), ..TallyFilter::default() }).unwrap();
    assert_eq!(aimo.respondents, 3);
    let hours = aimo.item("hours").unwrap();
    // 10, 20, 30.5: odd count, median is the middle value; mean 60.5 / 3.
    assert_eq!(
        hours.stats,
        ItemStats::Number { mean: Some(20.17), median: Some(20.0), min: Some(10.0), max: Some(30.5) }
    );
    let round1 = tally(&s, &rs, &TallyFilter { round: Some(1), ..TallyFilter::default() }).unwrap();
    assert_eq!(round1.respondents, 2);
    assert_eq!(round1.item("r2").unwrap().missing, 0, "r2 is not asked in round 1");
    let goals = round1.item("goals").unwrap();
    assert_eq!((goals.n, goals.count("4"), goals.count("2")), (2, Some(1), Some(1)));
    assert!(goals.is_low_n() && LOW_N == 10);
}

#[test]
fn groups_by_a_single_choice_item() {
    let s = mixed();
    let t = tally(&s, &responses(&s), &TallyFilter { by: Some("org".into()), ..TallyFilter::default() }).unwrap();
    let groups = t.groups.as_ref().unwrap();
    let heads: Vec<(&str, u64)> = groups.iter().map(|g| (g.value.as_str(), g.respondents)).collect();
    assert_eq!(heads, [("TE office", 2), ("Municipality", 0), ("Company", 2), ("Other", 1)]);
    assert_eq!(t.respondents, 6, "top-level items still cover everyone");
    let company = t.group("Company").unwrap();
    let goals = serde_json::to_value(company.item("goals").unwrap()).unwrap();
    assert_eq!(
        goals,
        json!({ "id": "goals", "type": "scale", "n": 2, "dont_know": 1, "missing": 0,
        "counts": { "1": 0, "2": 1, "3": 0, "4": 0, "5": 0 }, "mean": 2.0, "median": 2 })
    );
    let why = company.item("why").unwrap();
    assert_eq!((why.n, why.missing), (1, 1));
    let te = t.group("TE office").unwrap().item("goals").unwrap();
    assert_eq!((te.n, te.count("4")), (2, Some(2)));
    let json = serde_json::to_value(&t).unwrap();
    assert_eq!(json["groups"][3]["value"], "Other");
    assert_eq!(json["groups"][1]["items"][1]["mean"], serde_json::Value::Null);
}

#[test]
fn by_must_be_a_single_choice_item() {
    let s = mixed();
    for by in ["goals", "nope"] {
        assert!(tally(&s, &[], &TallyFilter { by: Some(by.into()), ..TallyFilter::default() }).is_err(), "{by}");
    }
    let plain = serde_json::to_value(tally(&s, &[], &TallyFilter::default()).unwrap()).unwrap();
    assert!(plain.get("groups").is_none());
}

#[test]
fn tallies_100k_respondents_quickly() {
    // 30 items: ten each of scale, single and number. Timed only in release builds.
    let mut text = String::from("id = \"big\"\ntitle = \"Big\"\nversion = 1\n[scales.s]\npoints = [");
    text += &(1..=5).map(|v| format!("{{ value = {v}, label = \"p{v}\" }}")).collect::<Vec<_>>().join(", ");
    text += "]\ndont_know = \"dk\"\n";
    for i in 0..10 {
        text += &format!("[[items]]\nid = \"s{i}\"\ntype = \"scale\"\nscale = \"s\"\ntext = \"S\"\n");
        text += &format!(
            "[[items]]\nid = \"c{i}\"\ntype = \"single\"\ntext = \"C\"\nchoices = [\"a\", \"b\", \"c\", \"d\"]\nother = true\n"
        );
        text += &format!("[[items]]\nid = \"n{i}\"\ntype = \"number\"\ntext = \"N\"\nrelevant = \"c{i} != 'd'\"\n");
    }
    let s = Survey::parse("big.toml", &text).unwrap();
    let count = 5_000;
    let cells = ["1", "2", "3", "4", "5", "dk", ""];
    let choices = ["a", "b", "c", "d", "zz", ""];
    let responses: Vec<Response> = (0..count)
        .map(|k| {
            let mut pairs: Vec<(String, String)> = Vec::new();
            for i in 0..10 {
                pairs.push((format!("s{i}"), cells[(k + i) % cells.len()].to_string()));
                pairs.push((format!("c{i}"), choices[(k * 7 + i) % choices.len()].to_string()));
                pairs.push((format!("n{i}"), ((k + i) % 50).to_string()));
            }
            let pairs: Vec<(&str, &str)> = pairs.iter().map(|(a, b)| (a.as_str(), b.as_str())).collect();
            row(&s, Some("AIMO"), Some(1), &pairs)
        })
        .collect();
    // Speed is measured in the benchmarks; here the large tally must simply be right.
    let t = tally(&s, &responses, &TallyFilter { by: Some("c0".into()), ..TallyFilter::default() }).unwrap();
    assert_eq!(t.respondents, count as u64);
}

/// Every filter the tests above use, and one that matches nobody.
fn filters() -> Vec<TallyFilter> {
    vec![
        TallyFilter::default(),
        TallyFilter { pilot: Some("aimo".into()), ..TallyFilter::default() },
        TallyFilter { round: Some(2), ..TallyFilter::default() },
        TallyFilter { by: Some("org".into()), ..TallyFilter::default() },
        TallyFilter { pilot: Some("ICT-rekry".into()), round: Some(2), by: Some("org".into()) },
        TallyFilter { pilot: Some("nobody".into()), ..TallyFilter::default() },
    ]
}

#[test]
fn a_streaming_tally_equals_the_slice_tally_byte_for_byte() {
    let s = mixed();
    let rs = responses(&s);
    let layout = AnswerLayout::new(&s);
    for filter in filters() {
        let whole = serde_json::to_string_pretty(&tally(&s, &rs, &filter).unwrap()).unwrap();
        let mut one_by_one = StreamingTally::new(&s, &filter, names_match).unwrap();
        let mut dense = StreamingTally::new(&s, &filter, names_match).unwrap();
        for r in &rs {
            one_by_one.add(r);
            dense.add_dense(&layout.dense(r));
        }
        assert_eq!(serde_json::to_string_pretty(&one_by_one.finish()).unwrap(), whole, "{filter:?}");
        assert_eq!(serde_json::to_string_pretty(&dense.finish()).unwrap(), whole, "{filter:?}");
    }
    assert!(
        StreamingTally::new(&s, &TallyFilter { by: Some("goals".into()), ..TallyFilter::default() }, names_match)
            .is_err()
    );
}

#[test]
fn a_dense_response_reads_stored_json_in_any_order_and_drops_unknown_items() {
    let s = mixed();
    let layout = AnswerLayout::new(&s);
    for r in responses(&s) {
        // As stored: survey_version first, then the response's fields, answers sorted by id.
        let mut json = serde_json::to_value(&r).unwrap();
        json["survey_version"] = json!(1);
        let text = json.to_string();
        let read = layout.seed().deserialize(&mut serde_json::Deserializer::from_str(&text)).unwrap();
        assert_eq!(read, layout.dense(&r));
    }
    // Hand-written: answers out of order, an unknown item, an unknown field.
    let text = r#"{"answers": {"nps": {"scale": 7}, "gone": {"text": "x"}, "goals": "dont_know", "org": {"choice": "Company"}},
                   "extra": [1, 2], "round": 2, "pilot": "p1"}"#;
    let read = layout.seed().deserialize(&mut serde_json::Deserializer::from_str(text)).unwrap();
    assert_eq!((read.round, read.pilot.as_deref(), read.respondent), (Some(2), Some("p1"), None));
    let at = |id: &str| read.answers[s.item_index(id).unwrap()].clone();
    assert_eq!(at("nps"), Some(Answer::Scale(7)));
    assert_eq!(at("goals"), Some(Answer::DontKnow));
    assert_eq!(at("org"), Some(Answer::Choice("Company".into())));
    assert_eq!(read.answers.iter().flatten().count(), 3);
    let err = layout.seed().deserialize(&mut serde_json::Deserializer::from_str(r#"{"round": 1}"#)).unwrap_err();
    assert!(err.to_string().contains("missing field `answers`"), "{err}");
}

#[test]
fn compiled_relevance_agrees_with_is_relevant() {
    let s = mixed();
    let relevance = s.relevance();
    for r in responses(&s) {
        let called = |name: &str| r.pilot.as_deref().is_some_and(|p| names_match(p, name));
        for (i, item) in s.items.iter().enumerate() {
            assert_eq!(relevance.is_relevant(i, &r, called), s.is_relevant(item, &r, called), "{}", item.id);
        }
    }
}
