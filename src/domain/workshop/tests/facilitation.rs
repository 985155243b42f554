//! The facilitator's work on captured items — merging, parking, clustering, actions,
//! evidence links — the fates it leaves behind, and undo.

use chrono::NaiveDate;

use super::{PRESENT, VOTE, WRITE, at, by, fac, join, with_phases, workshop};
use crate::domain::evidence::EvidenceRef;
use crate::domain::workshop::{
    ActionStatus, Actor, Created, Fate, LinkSubject, LinkTarget, PhaseStatus, Workshop, WorkshopCommand as C,
};

/// A write phase (running) with notes #1–#4 from two participants.
fn notes() -> Workshop {
    let mut w = workshop(&with_phases(&[WRITE, VOTE]));
    join(&mut w, &[("k1", "TE office"), ("k2", "Company")]);
    fac(&mut w, C::Start, at(0, 0));
    for (who, text) in [
        ("k1", "Agree referral rules with the city"),
        ("k2", "Referral rules are unclear"),
        ("k1", "More time to plan"),
        ("k2", "Coffee was cold"),
    ] {
        by(&mut w, who, C::AddItem { phase: 0, text: text.into() }).unwrap();
    }
    w
}

fn try_fac(w: &mut Workshop, cmd: C) -> Result<String, String> {
    w.apply(Actor::Facilitator, cmd, at(5, 0)).map(|a| a.message)
}

#[test]
fn merges_park_and_actions_record_every_fate() {
    let mut w = notes();
    fac(&mut w, C::Merge { from: 2, into: 1 }, at(3, 0));
    fac(&mut w, C::Park { item: 4 }, at(3, 0));
    let due = NaiveDate::from_ymd_opt(2020, 6, 30);
    let applied =
        fac(&mut w, C::AddAction { text: "".into(), owner: "TE office Uusimaa".into(), due, from: Some(1) }, at(4, 0));
    assert_eq!(applied.created, Some(Created::Action(1)));
    assert_eq!(w.actions[0].text, "Agree referral rules with the city", "an empty text takes the item's");

    let fates: Vec<String> = w.fates().into_iter().map(|(_, s)| s).collect();
    assert_eq!(
        fates,
        [
            "Turned into action A1 'Agree referral rules with the city' (owner: TE office Uusimaa, due 2020-06-30, open).",
            "Merged into #1 'Agree referral rules with the city'.",
            "Kept.",
            "Parked for later.",
        ]
    );
    // Each participant can see what became of their own input.
    let mine: Vec<(u32, String)> = w.fates_of("k2").into_iter().map(|(i, s)| (i.id, s)).collect();
    assert_eq!(mine.len(), 2);
    assert_eq!(mine[0].0, 2);
    assert!(mine[0].1.starts_with("Merged into #1"));
    fac(&mut w, C::SetActionStatus { action: 1, status: ActionStatus::Done }, at(5, 0));
    assert!(w.fate_sentence(w.item(1).unwrap()).contains("done)"));
}

#[test]
fn merge_rules_keep_chains_short_and_loop_free() {
    let mut w = notes();
    assert!(try_fac(&mut w, C::Merge { from: 1, into: 1 }).unwrap_err().contains("itself"));
    assert!(try_fac(&mut w, C::Merge { from: 1, into: 99 }).unwrap_err().contains("no item #99"));
    fac(&mut w, C::Merge { from: 2, into: 1 }, at(3, 0));
    assert!(try_fac(&mut w, C::Merge { from: 2, into: 3 }).unwrap_err().contains("already merged into #1"));
    assert!(try_fac(&mut w, C::Merge { from: 3, into: 2 }).unwrap_err().contains("merge into #1 instead"));
    // Merging the target on: the first merge's sentence follows the chain.
    fac(&mut w, C::Merge { from: 1, into: 3 }, at(3, 0));
    assert_eq!(w.home_of(2), 3);
    assert!(try_fac(&mut w, C::Merge { from: 3, into: 1 }).unwrap_err().contains("merge into #3 instead"));
    let sentence = w.fate_sentence(w.item(2).unwrap());
    assert_eq!(
        sentence,
        "Merged into #1 'Agree referral rules with the city', which is now part of #3 'More time to plan'."
    );
    // Keep undoes a merge by hand.
    fac(&mut w, C::Keep { item: 1 }, at(4, 0));
    assert_eq!(w.item(1).unwrap().fate, Fate::Kept);
    assert!(try_fac(&mut w, C::Keep { item: 1 }).unwrap_err().contains("already kept"));
}

#[test]
fn merged_and_parked_items_leave_the_ballot_but_their_dots_stay_visible() {
    let mut w = notes();
    fac(&mut w, C::Next, at(5, 0));
    by(&mut w, "k1", C::Dot { phase: 1, item: 2 }).unwrap();
    fac(&mut w, C::Merge { from: 2, into: 1 }, at(6, 0));
    assert_eq!(w.options(1), [1, 3, 4]);
    let refused = by(&mut w, "k2", C::Dot { phase: 1, item: 2 }).unwrap_err();
    assert_eq!(refused, "#2 is no longer on the list");
    // The dot is still there (it is the participant's), and still shown in the results.
    let tally = w.tally(1).unwrap();
    assert_eq!(tally.results.dot_vote().unwrap().row(2).unwrap().dots, 1);
    by(&mut w, "k1", C::Undot { phase: 1, item: 2 }).unwrap();
}

#[test]
fn clusters_group_items_and_show_in_their_fate() {
    let mut w = notes();
    let Some(Created::Cluster(c)) = fac(&mut w, C::NewCluster { name: "Referrals".into() }, at(3, 0)).created else {
        panic!()
    };
    assert!(try_fac(&mut w, C::NewCluster { name: "referrals".into() }).unwrap_err().contains("already a cluster"));
    fac(&mut w, C::MoveToCluster { item: 1, cluster: Some(c) }, at(3, 0));
    fac(&mut w, C::MoveToCluster { item: 2, cluster: Some(c) }, at(3, 0));
    assert!(try_fac(&mut w, C::MoveToCluster { item: 2, cluster: Some(c) }).unwrap_err().contains("already in"));
    assert!(try_fac(&mut w, C::MoveToCluster { item: 2, cluster: Some(9) }).unwrap_err().contains("no cluster 9"));
    fac(&mut w, C::RenameCluster { cluster: c, name: "Client referrals".into() }, at(3, 0));
    assert_eq!(w.fate_sentence(w.item(1).unwrap()), "Kept, in cluster 'Client referrals'.");
    fac(&mut w, C::MoveToCluster { item: 2, cluster: None }, at(3, 0));
    assert_eq!(w.items.iter().filter(|i| i.cluster == Some(c)).count(), 1);
}

#[test]
fn items_and_results_link_to_objectives_lessons_and_map_nodes() {
    let mut w = notes();
    let lesson = LinkTarget::Lesson { objective: "o2".into(), lesson: 1 };
    let node = LinkTarget::MapNode { pilot: "p1".into(), node: 4 };
    fac(&mut w, C::Link { subject: LinkSubject::Item(3), target: lesson.clone() }, at(3, 0));
    fac(&mut w, C::Link { subject: LinkSubject::Result(1), target: node.clone() }, at(3, 0));
    assert!(try_fac(&mut w, C::Link { subject: LinkSubject::Item(3), target: lesson.clone() }).is_err());
    assert_eq!(w.item(3).unwrap().links, std::slice::from_ref(&lesson));
    assert_eq!(w.phases[1].links, [node]);
    assert_eq!(w.fate_sentence(w.item(3).unwrap()), "Kept; evidence for lesson o2.1.");
    assert_eq!(w.evidence_ref(3), EvidenceRef::Workshop { workshop: "w1".into(), item: 3 });
    fac(&mut w, C::Unlink { subject: LinkSubject::Item(3), target: lesson.clone() }, at(4, 0));
    assert!(w.item(3).unwrap().links.is_empty());
    assert!(
        try_fac(&mut w, C::Unlink { subject: LinkSubject::Item(3), target: lesson })
            .unwrap_err()
            .contains("not linked")
    );
}

#[test]
fn actions_need_an_owner() {
    let mut w = notes();
    let action = C::AddAction { text: "Write the referral rules".into(), owner: " ".into(), due: None, from: None };
    assert!(try_fac(&mut w, action).unwrap_err().contains("owner"));
    fac(&mut w, C::AddAction { text: "x".into(), owner: "city".into(), due: None, from: Some(3) }, at(3, 0));
    let again = C::AddAction { text: "y".into(), owner: "city".into(), due: None, from: Some(3) };
    assert!(try_fac(&mut w, again).unwrap_err().contains("already action A1"));
    assert!(try_fac(&mut w, C::Merge { from: 3, into: 1 }).unwrap_err().contains("became action A1"));
}

#[test]
fn undo_reverts_facilitator_steps_in_reverse_and_never_touches_votes() {
    let mut w = notes();
    fac(&mut w, C::Next, at(5, 0));
    by(&mut w, "k1", C::Dot { phase: 1, item: 1 }).unwrap();
    fac(&mut w, C::Merge { from: 2, into: 1 }, at(6, 0));
    by(&mut w, "k2", C::Dot { phase: 1, item: 1 }).unwrap();
    fac(&mut w, C::Reveal { phase: 1 }, at(7, 0));
    fac(&mut w, C::Note { text: "Room wants referral rules first".into() }, at(7, 0));
    fac(&mut w, C::CountHand { phase: 1, item: 3, reaction: None }, at(7, 0));
    by(&mut w, "k2", C::Dot { phase: 1, item: 3 }).unwrap();
    let ballots = w.phases[1].ballots.clone();
    assert!(w.undo_label().unwrap().starts_with("hand for #3"));

    assert!(fac(&mut w, C::Undo, at(8, 0)).message.starts_with("undid: hand for #3"));
    assert!(w.phases[1].room_dots.is_empty());
    fac(&mut w, C::Undo, at(8, 0));
    assert!(w.phases[1].notes.is_empty());
    fac(&mut w, C::Undo, at(8, 0));
    assert!(!w.phases[1].visible);
    fac(&mut w, C::Undo, at(8, 0));
    assert_eq!(w.item(2).unwrap().fate, Fate::Kept);
    fac(&mut w, C::Undo, at(8, 0));
    assert_eq!((w.current, w.phases[1].status), (0, PhaseStatus::Pending));
    assert_eq!(w.phases[1].ballots, ballots, "participants' dots are never undone");
    fac(&mut w, C::Undo, at(8, 0)); // the start
    assert_eq!(w.phases[0].status, PhaseStatus::Pending);
    assert_eq!(try_fac(&mut w, C::Undo).unwrap_err(), "nothing to undo");
    assert_eq!(w.items.len(), 4, "participants' notes are never undone");
}

#[test]
fn undoing_an_added_item_keeps_its_id_unused() {
    let mut w = notes();
    fac(&mut w, C::AddItem { phase: 0, text: "typo".into() }, at(3, 0));
    fac(&mut w, C::Undo, at(3, 0));
    assert!(w.item(5).is_none());
    let Some(Created::Item(id)) = fac(&mut w, C::AddItem { phase: 0, text: "fixed".into() }, at(3, 0)).created else {
        panic!()
    };
    assert_eq!(id, 6, "evidence may already point at #5: ids are never reused");
}

#[test]
fn undo_refuses_to_remove_an_item_participants_responded_to() {
    let mut w = workshop(&with_phases(&[PRESENT]));
    join(&mut w, &[("k1", "TE office")]);
    fac(&mut w, C::Start, at(0, 0));
    let Some(Created::Item(id)) = fac(&mut w, C::AddItem { phase: 0, text: "Late highlight".into() }, at(1, 0)).created
    else {
        panic!()
    };
    fac(&mut w, C::NextItem, at(1, 0));
    fac(&mut w, C::NextItem, at(1, 0));
    fac(&mut w, C::NextItem, at(1, 0));
    let react = C::React { phase: 0, item: id, kind: crate::domain::workshop::ReactionKind::Agree, comment: None };
    by(&mut w, "k1", react).unwrap();
    fac(&mut w, C::Undo, at(2, 0)); // the last NextItem
    fac(&mut w, C::Undo, at(2, 0));
    fac(&mut w, C::Undo, at(2, 0));
    let err = try_fac(&mut w, C::Undo).unwrap_err();
    assert!(err.contains("participants have already responded"), "{err}");
    assert!(w.item(id).is_some());
    assert!(w.undo_label().is_some(), "the step stays, so nothing is silently lost");
}

#[test]
fn the_undo_stack_is_bounded() {
    let mut w = notes();
    for i in 0..(crate::domain::workshop::MAX_UNDO + 20) {
        fac(&mut w, C::Note { text: format!("note {i}") }, at(3, 0));
    }
    let mut undone = 0;
    while w.apply(Actor::Facilitator, C::Undo, at(4, 0)).is_ok() {
        undone += 1;
    }
    assert_eq!(undone, crate::domain::workshop::MAX_UNDO);
    assert_eq!(w.phases[0].notes.len(), 20);
}
