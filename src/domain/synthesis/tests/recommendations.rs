use chrono::NaiveDate;

use super::{finding, recommendation};
use crate::domain::synthesis::{ActionStatus, Move, QuestionRef, Synthesis};

fn d(s: &str) -> NaiveDate {
    s.parse().unwrap()
}

/// Four recommendations r3…r6 resting on findings f1 and f2.
fn four() -> (Synthesis, Vec<String>) {
    let mut s = Synthesis::new();
    let f1 = s.add_finding(finding("trust", "Trust took a year to build")).unwrap();
    let f2 = s.add_finding(finding("result-fee", "Employment was defined after the contract")).unwrap();
    let ids = ["Agree baselines first", "Define employment before paying", "Name a coordinator", "Close the loop"]
        .iter()
        .enumerate()
        .map(|(i, t)| s.add_recommendation(recommendation(t, &[if i % 2 == 0 { &f1 } else { &f2 }])).unwrap())
        .collect();
    (s, ids)
}

fn numbers(s: &Synthesis) -> Vec<(usize, String)> {
    s.numbered().into_iter().map(|(n, r)| (n, r.id.clone())).collect()
}

#[test]
fn numbering_follows_order_and_ids_stay_under_reorder() {
    let (mut s, ids) = four();
    assert_eq!(ids, vec!["r3", "r4", "r5", "r6"]);
    let c = s.add_conclusion(QuestionRef::Main, "Results need agreed definitions", vec!["f2".into()]).unwrap();
    assert_eq!(s.number_of("r5"), Some(3));

    assert_eq!(s.move_recommendation("r5", Move::Up).unwrap(), 1);
    assert_eq!(numbers(&s), vec![(1, "r3".into()), (2, "r5".into()), (3, "r4".into()), (4, "r6".into())]);
    assert_eq!(s.move_recommendation("r6", Move::To(0)).unwrap(), 0);
    assert_eq!(s.move_recommendation("r3", Move::Down).unwrap(), 2);
    assert_eq!(numbers(&s), vec![(1, "r6".into()), (2, "r5".into()), (3, "r3".into()), (4, "r4".into())]);

    // Links go by id: after renumbering, each still reaches the same record.
    assert_eq!(s.recommendation("r4").unwrap().text, "Define employment before paying");
    assert_eq!(s.recommendation("r4").unwrap().findings, vec!["f2"]);
    assert!(s.finding(&s.conclusion(&c).unwrap().findings[0]).is_some());
    assert_eq!(s.citations_of("f2"), vec!["Recommendation 1 (r6)", "Recommendation 4 (r4)", "conclusion c7"]);
}

#[test]
fn moves_at_the_ends_and_past_the_end_are_harmless() {
    let (mut s, _) = four();
    let before = numbers(&s);
    assert_eq!(s.move_recommendation("r3", Move::Up).unwrap(), 0);
    assert_eq!(s.move_recommendation("r6", Move::Down).unwrap(), 3);
    assert_eq!(numbers(&s), before);
    assert_eq!(s.move_recommendation("r3", Move::To(99)).unwrap(), 3);
    assert_eq!(s.number_of("r3"), Some(4));
    assert!(s.move_recommendation("r99", Move::Up).is_err());
    assert_eq!(s.number_of("r99"), None);
}

/// One real report printed "Recommendation 2" twice. Numbers are positions, computed
/// on every read, so whatever is added, moved or removed they are exactly 1..=n.
#[test]
fn no_number_is_ever_printed_twice() {
    let (mut s, _) = four();
    let steps: [fn(&mut Synthesis); 6] = [
        |s| {
            s.move_recommendation("r4", Move::To(3)).unwrap();
        },
        |s| {
            s.remove_recommendation("r5").unwrap();
        },
        |s| {
            s.add_recommendation(recommendation("Keep the core short", &[])).unwrap();
        },
        |s| {
            s.move_recommendation("r6", Move::Up).unwrap();
        },
        |s| {
            s.add_recommendation(recommendation("Report back to providers", &["f1"])).unwrap();
        },
        |s| {
            s.move_recommendation("r3", Move::To(2)).unwrap();
        },
    ];
    for step in steps {
        step(&mut s);
        let printed: Vec<usize> = s.numbered().iter().map(|(n, _)| *n).collect();
        assert_eq!(printed, (1..=s.recommendations.len()).collect::<Vec<_>>());
        for (n, r) in s.numbered() {
            assert_eq!(s.number_of(&r.id), Some(n));
        }
    }
    // Nothing numbered is stored, so a saved synthesis cannot carry a stale number.
    let json = serde_json::to_string(&s).unwrap();
    assert!(!json.contains("\"number\""));
    let back: Synthesis = serde_json::from_str(&json).unwrap();
    assert_eq!(numbers(&back), numbers(&s));
}

#[test]
fn ids_are_never_reused() {
    let (mut s, _) = four();
    s.remove_recommendation("r6").unwrap();
    let next = s.add_recommendation(recommendation("Another", &[])).unwrap();
    assert_eq!(next, "r7");
    let back: Synthesis = serde_json::from_str(&serde_json::to_string(&s).unwrap()).unwrap();
    let mut back = back;
    assert_eq!(back.add_finding(finding("trust", "x")).unwrap(), "f8", "the counter is saved too");
    // A counter set back by hand still cannot hand out an id in use.
    back.next_id = 1;
    let f = back.add_finding(finding("trust", "y")).unwrap();
    assert!(!["f1", "f2", "f8"].contains(&f.as_str()), "{f}");
    assert_eq!(back.findings.iter().filter(|x| x.id == f).count(), 1);
}

#[test]
fn links_to_unknown_findings_or_twice_are_refused() {
    let (mut s, _) = four();
    assert!(s.add_recommendation(recommendation("x", &["f99"])).unwrap_err().contains("f99"));
    assert!(s.add_recommendation(recommendation("x", &["f1", "f1"])).is_err());
    assert!(s.add_recommendation(recommendation("  ", &[])).is_err());
    assert!(s.link_finding("r3", "f1").unwrap_err().contains("already"));
    s.link_finding("r3", "f2").unwrap();
    assert_eq!(s.recommendation("r3").unwrap().findings, vec!["f1", "f2"]);
    s.unlink_finding("r3", "f1").unwrap();
    assert!(s.unlink_finding("r3", "f1").is_err());
    assert!(s.add_conclusion(QuestionRef::Sub(0), "x", vec!["f42".into()]).is_err());
}

#[test]
fn editing_a_recommendation_keeps_position_and_actions() {
    let (mut s, _) = four();
    let a = s.add_action("r4", "Draft a shared definition of employment", "TE office", None).unwrap();
    s.edit_recommendation("r4", recommendation("Define 'employed' before the contract", &["f1", "f2"])).unwrap();
    let r = s.recommendation("r4").unwrap();
    assert_eq!(s.number_of("r4"), Some(2));
    assert_eq!(r.actions[0].id, a);
    assert_eq!(r.findings, vec!["f1", "f2"]);
}

#[test]
fn follow_up_actions_are_tracked_after_the_report() {
    let (mut s, _) = four();
    assert!(s.add_action("r3", "Agree baselines", " ", None).is_err(), "an owner is required");
    assert!(s.add_action("r99", "x", "Ministry", None).is_err());
    let a1 = s.add_action("r3", "Agree baselines at kick-off", "Ministry", Some(d("2021-03-31"))).unwrap();
    let a2 = s.add_action("r5", "Name a coordinator", "Pilot organisers", Some(d("2021-06-30"))).unwrap();
    let a3 = s.add_action("r6", "Tell providers what became of input", "TE offices", None).unwrap();
    assert_eq!(s.pending_actions().len(), 3);

    s.track_action(&a2, ActionStatus::InProgress, "Two of five alliances have one").unwrap();
    s.track_action(&a3, ActionStatus::Done, "").unwrap();
    let pending: Vec<(usize, &str)> = s.pending_actions().iter().map(|(n, a)| (*n, a.id.as_str())).collect();
    assert_eq!(pending, vec![(1, a1.as_str()), (3, a2.as_str())]);
    let overdue: Vec<&str> = s.overdue_actions(d("2021-05-01")).iter().map(|(_, a)| a.id.as_str()).collect();
    assert_eq!(overdue, vec![a1.as_str()]);

    // Reordering changes the number shown next to an action, not the action.
    s.move_recommendation("r5", Move::To(0)).unwrap();
    assert_eq!(s.pending_actions()[0], (1, &s.recommendation("r5").unwrap().actions[0]));
    assert_eq!(s.recommendation("r5").unwrap().actions[0].note, "Two of five alliances have one");

    s.reschedule_action(&a1, "Ministry and TE offices", Some(d("2021-09-30"))).unwrap();
    assert!(s.overdue_actions(d("2021-05-01")).is_empty());
    assert_eq!(s.remove_action(&a1).unwrap().owner, "Ministry and TE offices");
    assert!(s.track_action(&a1, ActionStatus::Done, "").is_err());
    assert_eq!(ActionStatus::parse("In-progress").unwrap(), ActionStatus::InProgress);
}
