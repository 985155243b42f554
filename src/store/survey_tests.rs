//! Survey definitions and responses in the store (see `surveys.rs`).

use super::*;
use crate::domain::survey::{Answer, Response, Survey};

const SURVEY: &str = r#"id = "s"
title = "Small"
version = 1

[scales.agree3]
points = [{ value = 1, label = "No" }, { value = 2, label = "Maybe" }, { value = 3, label = "Yes" }]
dont_know = "Can't say"

[[items]]
id = "q"
type = "scale"
scale = "agree3"
text = "Question"
"#;

fn survey() -> Survey {
    Survey::parse("s.toml", SURVEY).unwrap()
}

fn response(who: &str, round: Option<u32>, value: i64) -> Response {
    let mut r = Response { respondent: Some(who.into()), round, pilot: Some("p1".into()), ..Default::default() };
    r.answers.insert("q".into(), Answer::Scale(value));
    r
}

#[test]
fn an_import_stores_definition_responses_and_counter_together() {
    // (Persistence across processes is covered by tests/cli_survey.rs: reopening a sled
    // database in the same process can race sled's background flusher for its lock.)
    let dir = tempfile::tempdir().unwrap();
    let store = Store::open(dir.path()).unwrap();
    assert_eq!(store.stored_survey("s").unwrap(), None);
    let n = store.import_responses(&survey(), vec![response("a", None, 1), response("b", None, 3)]).unwrap();
    assert_eq!(n, 2);
    let n = store.import_responses(&survey(), vec![response("c", None, 2)]).unwrap();
    assert_eq!(n, 1);
    assert_eq!(store.stored_survey("s").unwrap(), Some(survey()));
    let who: Vec<_> = store.responses("s").unwrap().into_iter().map(|r| r.respondent.unwrap()).collect();
    assert_eq!(who, ["a", "b", "c"], "responses come back in import order");
    assert_eq!(store.response_count("s").unwrap(), 3);
    assert_eq!(store.stored_responses("s").unwrap()[0].survey_version, 1);
    let counter: u64 = serde_json::from_slice(&store.tree.get(records::NEXT_RESPONSE_KEY).unwrap().unwrap()).unwrap();
    assert_eq!(counter, 4);
    assert!(!store.is_empty().unwrap(), "survey data alone must not be replaced by a restore without --replace");
}

#[test]
fn a_refused_import_stores_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let store = Store::open(dir.path()).unwrap();
    store.import_responses(&survey(), vec![response("a", Some(1), 1)]).unwrap();
    let before = store.backup_json().unwrap();

    let err =
        store.import_responses(&survey(), vec![response("b", Some(1), 2), response("a", Some(1), 3)]).unwrap_err();
    assert!(matches!(err, StoreError::Refused(_)), "{err}");
    assert!(err.to_string().contains("respondent 'a' in round 1 is already stored"), "{err}");
    let err =
        store.import_responses(&survey(), vec![response("c", Some(1), 2), response("c", Some(1), 3)]).unwrap_err();
    assert!(err.to_string().contains("respondent 'c' in round 1 appears twice"), "{err}");
    assert_eq!(store.backup_json().unwrap(), before, "the store is unchanged");

    // The same respondent in another round is a new answer, not a duplicate; so are
    // anonymous responses.
    let mut anonymous = response("x", Some(1), 2);
    anonymous.respondent = None;
    store.import_responses(&survey(), vec![response("a", Some(2), 2), anonymous.clone(), anonymous]).unwrap();
    assert_eq!(store.response_count("s").unwrap(), 4);
}

#[test]
fn a_changed_definition_needs_a_new_version() {
    let dir = tempfile::tempdir().unwrap();
    let store = Store::open(dir.path()).unwrap();
    store.import_responses(&survey(), vec![response("a", None, 1)]).unwrap();
    let before = store.backup_json().unwrap();

    let mut changed = survey();
    changed.items[0].text = "Question, reworded".into();
    for err in [
        store.check_survey_definition(&changed).unwrap_err(),
        store.import_responses(&changed, vec![response("b", None, 2)]).unwrap_err(),
    ] {
        assert!(matches!(err, StoreError::Refused(_)), "{err}");
        let text = err.to_string();
        assert!(text.contains("survey s version 1 is already stored with different content"), "{text}");
        assert!(text.contains("`version = 2`"), "{text}");
    }
    assert_eq!(store.backup_json().unwrap(), before, "the store is unchanged");

    // Layout and comments do not count: the same content parsed from other text is fine.
    let reformatted = Survey::parse("s.toml", &format!("# a comment\n{}", SURVEY.replace(" = ", "="))).unwrap();
    store.check_survey_definition(&reformatted).unwrap();

    changed.version = 2;
    store.import_responses(&changed, vec![response("b", None, 2)]).unwrap();
    assert_eq!(store.stored_survey("s").unwrap(), Some(changed.clone()), "the newest version");
    assert_eq!(store.stored_survey_version("s", 1).unwrap(), Some(survey()), "the old one is kept");
    assert_eq!(store.stored_surveys().unwrap().len(), 2);
    let versions: Vec<u32> = store.stored_responses("s").unwrap().iter().map(|r| r.survey_version).collect();
    assert_eq!(versions, [1, 2]);

    // An old version changed again is refused with the next free version.
    let mut again = survey();
    again.title = "Other".into();
    let err = store.check_survey_definition(&again).unwrap_err();
    assert!(err.to_string().contains("`version = 3`"), "{err}");
}

#[test]
fn an_empty_import_stores_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let store = Store::open(dir.path()).unwrap();
    assert_eq!(store.import_responses(&survey(), Vec::new()).unwrap(), 0);
    assert_eq!(store.stored_survey("s").unwrap(), None);
}

#[test]
fn backup_restore_backup_is_byte_identical_with_responses() {
    let dir = tempfile::tempdir().unwrap();
    let store = Store::open(dir.path()).unwrap();
    crate::demo::write(&store, "tester").unwrap();
    store.import_responses(&survey(), vec![response("a", None, 1), response("b", Some(2), 3)]).unwrap();
    let first = store.backup_json().unwrap();
    assert!(first.contains("\"response/s/"), "responses are in the backup");
    assert!(first.contains("\"survey/partner-2020/"), "demo definitions are in the backup");

    let other = tempfile::tempdir().unwrap();
    let restored = Store::open(other.path()).unwrap();
    restored.restore_json(&first, false).unwrap();
    assert_eq!(restored.backup_json().unwrap(), first);
    assert_eq!(restored.responses("s").unwrap(), store.responses("s").unwrap());
    assert_eq!(restored.response_count("partner-2020").unwrap(), 73);
    // The counter came along: new responses never overwrite restored ones.
    restored.import_responses(&survey(), vec![response("c", None, 2)]).unwrap();
    assert_eq!(restored.response_count("s").unwrap(), 3);
}

#[test]
fn a_backup_with_a_broken_response_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    let store = Store::open(dir.path()).unwrap();
    store.import_responses(&survey(), vec![response("a", None, 1)]).unwrap();
    let mut doc: serde_json::Value = serde_json::from_str(&store.backup_json().unwrap()).unwrap();
    doc["records"]["response/s/000000000099"] = serde_json::json!({"v": 1, "data": {"answers": 7}});
    let err = store.restore_json(&doc.to_string(), true).unwrap_err();
    assert!(err.to_string().contains("response/s/000000000099"), "{err}");
    doc["records"]["response/s/000000000099"] = serde_json::json!({"v": 2, "data": {}});
    let err = store.restore_json(&doc.to_string(), true).unwrap_err();
    assert!(err.to_string().contains("newer oppi"), "{err}");
    assert_eq!(store.response_count("s").unwrap(), 1);
}
