use super::*;
use crate::domain::{ChangeWhat, Changeset, PilotField};
use chrono::{NaiveDate, TimeZone, Utc};

fn day() -> NaiveDate {
    NaiveDate::from_ymd_opt(2019, 3, 1).unwrap()
}

fn entry(subject: &str, what: ChangeWhat) -> ChangeEntry {
    ChangeEntry {
        at: Utc.with_ymd_and_hms(2019, 3, 1, 9, 0, 0).unwrap(),
        who: "tester".into(),
        subject: subject.into(),
        what,
    }
}

fn with_pilot(store: &Store, name: &str) -> Pilot {
    let pilot = Pilot::new(store.new_id("p").unwrap(), name, "Häme", day());
    store
        .commit(Changeset {
            pilots: vec![pilot.clone()],
            log: vec![entry(&pilot.id, ChangeWhat::Created)],
            ..Default::default()
        })
        .unwrap();
    pilot
}

#[test]
fn records_survive_reopen() {
    let dir = tempfile::tempdir().unwrap();
    let pilot = {
        let store = Store::open(dir.path()).unwrap();
        assert!(store.is_empty().unwrap());
        with_pilot(&store, "Forssa region operating model")
    };
    let store = Store::open(dir.path()).unwrap();
    assert_eq!(store.pilots().unwrap(), vec![pilot.clone()]);
    assert_eq!(store.changelog(&pilot.id).unwrap().len(), 1);
    assert!(!store.is_empty().unwrap());
}

#[test]
fn second_open_is_refused_with_a_clear_message() {
    let dir = tempfile::tempdir().unwrap();
    let _first = Store::open(dir.path()).unwrap();
    let err = Store::open(dir.path()).err().expect("second open must fail");
    assert!(matches!(err, StoreError::InUse(_)));
    assert!(err.to_string().contains("in use by another oppi process"), "{err}");
}

#[test]
fn ids_are_never_reused() {
    let dir = tempfile::tempdir().unwrap();
    let store = Store::open(dir.path()).unwrap();
    let a = store.new_id("p").unwrap();
    let b = store.new_id("p").unwrap();
    assert_ne!(a, b);
    let backup = store.backup_json().unwrap();
    drop(store);
    let other = tempfile::tempdir().unwrap();
    let restored = Store::open(other.path()).unwrap();
    restored.restore_json(&backup, false).unwrap();
    let c = restored.new_id("p").unwrap();
    assert!(c != a && c != b, "{c} reused an id");
}

#[test]
fn pilots_sort_numerically_and_changelog_filters_by_subject() {
    let dir = tempfile::tempdir().unwrap();
    let store = Store::open(dir.path()).unwrap();
    let names: Vec<String> = (0..11).map(|i| format!("Pilot {i}")).collect();
    let pilots: Vec<Pilot> = names.iter().map(|n| with_pilot(&store, n)).collect();
    let listed: Vec<String> = store.pilots().unwrap().into_iter().map(|p| p.name).collect();
    assert_eq!(listed, names);
    let mut edited = pilots[3].clone();
    let change = edited.set_field(PilotField::Status, "active", day()).unwrap().unwrap();
    store
        .commit(Changeset {
            pilots: vec![edited.clone()],
            log: vec![entry(&edited.id, ChangeWhat::Edited { changes: vec![change] })],
            ..Default::default()
        })
        .unwrap();
    let log = store.changelog(&edited.id).unwrap();
    assert_eq!(log.len(), 2);
    assert_eq!(log[1].summary(), "status: planned → active");
    assert_eq!(store.changelog(&pilots[4].id).unwrap().len(), 1);
}

#[test]
fn backup_restore_backup_is_byte_identical() {
    let dir = tempfile::tempdir().unwrap();
    let store = Store::open(dir.path()).unwrap();
    crate::demo::write(&store, "tester").unwrap();
    let first = store.backup_json().unwrap();
    let other = tempfile::tempdir().unwrap();
    let restored = Store::open(other.path()).unwrap();
    restored.restore_json(&first, false).unwrap();
    assert_eq!(restored.backup_json().unwrap(), first);
    assert_eq!(restored.pilots().unwrap(), store.pilots().unwrap());
}

#[test]
fn restore_refuses_non_empty_store_unless_replacing() {
    let dir = tempfile::tempdir().unwrap();
    let store = Store::open(dir.path()).unwrap();
    with_pilot(&store, "Talent Coastline");
    let backup = store.backup_json().unwrap();
    let err = store.restore_json(&backup, false).unwrap_err();
    assert!(err.to_string().contains("--replace"), "{err}");
    store.restore_json(&backup, true).unwrap();
    assert_eq!(store.pilots().unwrap().len(), 1);
}

#[test]
fn a_bad_backup_writes_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let store = Store::open(dir.path()).unwrap();
    with_pilot(&store, "Yritysmagneetti");
    let mut doc: serde_json::Value = serde_json::from_str(&store.backup_json().unwrap()).unwrap();
    doc["records"]["pilot/p99"] = serde_json::json!({"v": 2, "data": {"name": 7}});
    let err = store.restore_json(&doc.to_string(), true).unwrap_err();
    assert!(err.to_string().contains("pilot/p99"), "{err}");
    assert_eq!(store.pilots().unwrap().len(), 1, "store must be untouched");

    let err = store.restore_json("{ not json", true).unwrap_err();
    assert!(err.to_string().contains("line 1"), "{err}");
}

#[test]
fn a_backup_cannot_smuggle_in_a_future_format_or_bad_counters() {
    let dir = tempfile::tempdir().unwrap();
    let store = Store::open(dir.path()).unwrap();
    with_pilot(&store, "Kopakka");
    let mut doc: serde_json::Value = serde_json::from_str(&store.backup_json().unwrap()).unwrap();
    doc["records"]["meta/format"] = serde_json::json!(99);
    assert!(store.restore_json(&doc.to_string(), true).is_err());
    doc["records"]["meta/format"] = serde_json::json!(1);
    doc["records"]["meta/next-id"] = serde_json::json!("many");
    assert!(store.restore_json(&doc.to_string(), true).is_err());
    drop(store);
    Store::open(dir.path()).expect("the store still opens");
}

#[test]
fn synthesis_is_empty_until_written_and_round_trips() {
    use crate::domain::synthesis::{FindingDraft, Priority, RecommendationDraft, Scope, Synthesis, Voice};
    let dir = tempfile::tempdir().unwrap();
    let store = Store::open(dir.path()).unwrap();
    assert_eq!(store.synthesis().unwrap(), Synthesis::new());
    let mut s = Synthesis::new();
    let f = s
        .add_finding(FindingDraft {
            theme: "customer-centricity".into(),
            what: "Clients valued one named coach".into(),
            so_what: String::new(),
            now_what: String::new(),
            scope: Scope::National,
            voice: Voice::Evaluator,
            pilots: vec![],
        })
        .unwrap();
    let r = s
        .add_recommendation(RecommendationDraft {
            text: "Give every client one named contact".into(),
            rationale: String::new(),
            findings: vec![f],
            addressee: "TE offices".into(),
            priority: Priority::High,
        })
        .unwrap();
    s.add_action(&r, "Draft a guideline", "Ministry", Some(day())).unwrap();
    store.commit(Changeset { synthesis: Some(s.clone()), ..Default::default() }).unwrap();
    drop(store);
    let store = Store::open(dir.path()).unwrap();
    assert_eq!(store.synthesis().unwrap(), s);
    let backup = store.backup_json().unwrap();
    assert!(backup.contains("\"synthesis\""), "the synthesis is in the backup");
    let other = tempfile::tempdir().unwrap();
    let restored = Store::open(other.path()).unwrap();
    restored.restore_json(&backup, false).unwrap();
    assert_eq!(restored.synthesis().unwrap(), s);
    assert_eq!(restored.backup_json().unwrap(), backup);
}

#[test]
fn a_bad_synthesis_in_a_backup_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    let store = Store::open(dir.path()).unwrap();
    with_pilot(&store, "AIMO");
    let mut doc: serde_json::Value = serde_json::from_str(&store.backup_json().unwrap()).unwrap();
    doc["records"]["synthesis"] = serde_json::json!({"v": 1, "data": {"findings": 7}});
    let err = store.restore_json(&doc.to_string(), true).unwrap_err();
    assert!(err.to_string().contains("synthesis"), "{err}");
    doc["records"]["synthesis"] = serde_json::json!({"v": 1, "data": {}});
    store.restore_json(&doc.to_string(), true).unwrap();
    assert_eq!(store.synthesis().unwrap(), crate::domain::synthesis::Synthesis::new());
}
