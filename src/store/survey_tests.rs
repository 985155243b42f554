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

/// `n` responses from respondents `prefix0`, `prefix1`, … in round 1.
fn many(prefix: &str, n: usize) -> Vec<Response> {
    (0..n).map(|i| response(&format!("{prefix}{i}"), Some(1), 1 + (i % 3) as i64)).collect()
}

#[test]
fn the_stored_format_is_unchanged() {
    let mut r = response("a", Some(2), 3);
    r.submitted = Some("2020-10-31".into());
    let mut buf = vec![1, 2, 3];
    super::surveys::encode_response(4, &r, &mut buf);
    let stored = StoredResponse { survey_version: 4, response: r };
    assert_eq!(buf, encode(Kind::Response, &stored));
    assert_eq!(
        String::from_utf8(buf.clone()).unwrap(),
        r#"{"v":1,"data":{"survey_version":4,"respondent":"a","pilot":"p1","round":2,"submitted":"2020-10-31","answers":{"q":{"scale":3}}}}"#
    );
    assert_eq!(records::decode::<StoredResponse>(Kind::Response, "k", &buf).unwrap(), stored);
    assert_eq!(records::decode_direct::<StoredResponse>(Kind::Response, "k", &buf).unwrap(), stored);
}

#[test]
fn a_large_import_is_written_in_chunks_and_read_back_in_order() {
    let dir = tempfile::tempdir().unwrap();
    let store = Store::open(dir.path()).unwrap();
    store.import_responses(&survey(), vec![response("first", None, 2)]).unwrap();
    let n = 2 * super::surveys::CHUNK + 17;
    let rs = many("r", n);
    let s = survey();
    let mut import = store.begin_import(&s).unwrap();
    assert_eq!(import.stored_before(), 1);
    assert!(import.is_stored("first", None) && !import.is_stored("first", Some(1)));
    for r in &rs {
        import.add(r);
    }
    assert_eq!(import.len(), n);
    assert_eq!(import.commit().unwrap(), n);
    assert_eq!(store.tree.get(super::surveys::PENDING_KEY).unwrap(), None, "the marker is gone");

    let back = store.responses("s").unwrap();
    assert_eq!(back.len(), n + 1);
    assert_eq!(back[1..], rs[..], "in import order");
    let streamed: Vec<Response> = store.responses_iter("s").collect::<Result<_>>().unwrap();
    assert_eq!(streamed, back);
    let s = survey();
    let layout = crate::domain::survey::AnswerLayout::new(&s);
    let dense: Vec<_> = store.dense_responses_iter("s", &layout).collect::<Result<_>>().unwrap();
    assert_eq!(dense, back.iter().map(|r| layout.dense(r)).collect::<Vec<_>>());
    assert!(store.stored_responses("s").unwrap().iter().all(|r| r.survey_version == 1));
    let identities = store.response_identities("s").unwrap();
    assert_eq!(identities.len(), n + 1);
    assert!(identities.contains(&("r7".to_string(), Some(1))));
    let counter: u64 = serde_json::from_slice(&store.tree.get(records::NEXT_RESPONSE_KEY).unwrap().unwrap()).unwrap();
    assert_eq!(counter, 2 + n as u64);
}

#[test]
fn a_large_import_with_a_duplicate_stores_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let store = Store::open(dir.path()).unwrap();
    store.import_responses(&survey(), vec![response("r5", Some(1), 1)]).unwrap();
    let before = store.backup_json().unwrap();
    let mut rs = many("r", 3 * super::surveys::CHUNK);
    rs.push(response("r9", Some(1), 2));
    let err = store.import_responses(&survey(), rs).unwrap_err();
    let text = err.to_string();
    assert!(text.starts_with("nothing was stored: respondent 'r5' in round 1 is already stored for s"), "{text}");
    assert!(text.ends_with("respondent 'r9' in round 1 appears twice"), "{text}");
    assert_eq!(store.backup_json().unwrap(), before, "the store is unchanged");
}

#[test]
fn an_interrupted_large_import_is_rolled_back_when_the_store_opens() {
    let dir = tempfile::tempdir().unwrap();
    let store = Store::open(dir.path()).unwrap();
    store.import_responses(&survey(), vec![response("a", None, 1), response("b", None, 2)]).unwrap();
    let mut other = survey();
    other.id = "t".into();
    store.import_responses(&other, vec![response("a", None, 3)]).unwrap();
    let before = store.backup_json().unwrap();

    // What a crash between the response batches and the last one leaves: the marker,
    // some responses after the counter, no definition or counter update.
    let from: u64 = serde_json::from_slice(&store.tree.get(records::NEXT_RESPONSE_KEY).unwrap().unwrap()).unwrap();
    let marker = serde_json::json!({ "survey": "s", "from": from });
    store.tree.insert(super::surveys::PENDING_KEY, serde_json::to_vec(&marker).unwrap()).unwrap();
    let n = super::surveys::CHUNK + 5;
    for (i, r) in many("x", n).iter().enumerate() {
        let key = records::response_key("s", from + i as u64);
        store
            .tree
            .insert(key, encode(Kind::Response, &StoredResponse { survey_version: 1, response: r.clone() }))
            .unwrap();
    }
    store.db.flush().unwrap();
    assert_eq!(store.response_count("s").unwrap(), 2 + n);
    drop(store);

    let store = Store::open(dir.path()).unwrap();
    assert_eq!(store.backup_json().unwrap(), before, "the unfinished import is gone, the rest untouched");
    assert_eq!(store.roll_back_import().unwrap(), 0, "nothing left to roll back");
    store.import_responses(&survey(), many("x", 3)).unwrap();
    assert_eq!(store.response_count("s").unwrap(), 5);
}

#[test]
fn records_read_the_slow_way_lay_out_the_same() {
    // An envelope with `data` before `v` (a hand-edited backup) goes through
    // `serde_json::Value`, for the dense reader too.
    let dir = tempfile::tempdir().unwrap();
    let store = Store::open(dir.path()).unwrap();
    store.import_responses(&survey(), vec![response("a", Some(1), 2)]).unwrap();
    let reordered =
        r#"{"data": {"survey_version": 1, "answers": {"zz": {"text": "gone"}, "q": "dont_know"}, "round": 3}, "v": 1}"#;
    store.tree.insert(records::response_key("s", 99), reordered.as_bytes()).unwrap();
    let s = survey();
    let layout = crate::domain::survey::AnswerLayout::new(&s);
    let dense: Vec<_> = store.dense_responses_iter("s", &layout).collect::<Result<_>>().unwrap();
    let plain = store.responses("s").unwrap();
    assert_eq!(dense, plain.iter().map(|r| layout.dense(r)).collect::<Vec<_>>());
    assert_eq!(dense[1].answers, [Some(Answer::DontKnow)]);
    assert_eq!(plain[1].answers.len(), 2, "Response keeps answers to unknown items; the layout drops them");
}
