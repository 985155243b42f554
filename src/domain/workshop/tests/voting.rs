//! Dots, polls, rankings and counted hands: limits, visibility, and order of arrival.

use super::{PRESENT, VOTE, WRITE, at, by, fac, join, with_phases, workshop};
use crate::domain::survey::{Answer, ItemStats};
use crate::domain::workshop::{Actor, ReactionKind, TallyResults, Workshop, WorkshopCommand as C};

/// Present (items 1–3: the highlights) → dot vote (3 dots, at most 2 per item), running.
fn voting() -> Workshop {
    let mut w = workshop(&with_phases(&[PRESENT, VOTE]));
    join(&mut w, &[("k1", "TE office"), ("k2", "Company"), ("k3", "TE office")]);
    fac(&mut w, C::Start, at(0, 0));
    fac(&mut w, C::Next, at(10, 0));
    w
}

fn dot(w: &mut Workshop, who: &str, item: u32) -> Result<String, String> {
    by(w, who, C::Dot { phase: 1, item }).map(|a| a.message)
}

#[test]
fn dots_respect_the_budget_and_the_per_item_maximum() {
    let mut w = voting();
    assert_eq!(dot(&mut w, "k1", 1).unwrap(), "dot on #1 (2 left)");
    dot(&mut w, "k1", 1).unwrap();
    assert_eq!(dot(&mut w, "k1", 1).unwrap_err(), "at most 2 dots per item");
    dot(&mut w, "k1", 2).unwrap();
    assert!(dot(&mut w, "k1", 3).unwrap_err().contains("used all 3"));
    // Moving a dot: take one off, place it elsewhere.
    by(&mut w, "k1", C::Undot { phase: 1, item: 1 }).unwrap();
    dot(&mut w, "k1", 3).unwrap();
    assert_eq!(by(&mut w, "k1", C::Undot { phase: 1, item: 1 }).unwrap().message, "dot removed from #1 (1 left)");
    assert_eq!(by(&mut w, "k1", C::Undot { phase: 1, item: 1 }).unwrap_err(), "you have no dot on #1");
    assert!(dot(&mut w, "k1", 99).unwrap_err().contains("not an option"));
    let d = w.tally(1).unwrap().results.dot_vote().unwrap().clone();
    assert_eq!((d.dots_used, d.dots_possible, d.voters), (2, 9, 1));
    assert_eq!([d.row(1).unwrap().dots, d.row(2).unwrap().dots, d.row(3).unwrap().dots], [0, 1, 1]);
}

#[test]
fn the_same_vote_twice_is_a_second_dot_within_the_limits() {
    let mut w = voting();
    let single = VOTE.replace("max_per_item = 2", "max_per_item = 1");
    let mut strict = workshop(&with_phases(&[PRESENT, &single]));
    join(&mut strict, &[("k1", "TE office")]);
    fac(&mut strict, C::Start, at(0, 0));
    fac(&mut strict, C::Next, at(1, 0));
    dot(&mut strict, "k1", 1).unwrap();
    assert_eq!(dot(&mut strict, "k1", 1).unwrap_err(), "at most 1 dot per item");
    assert_eq!(strict.phases[1].dots_used("k1"), 1);
    dot(&mut w, "k2", 2).unwrap();
    dot(&mut w, "k2", 2).unwrap();
    assert_eq!(w.phases[1].dots_on("k2", 2), 2);
}

#[test]
fn votes_for_phases_that_are_not_open_are_refused() {
    let mut w = workshop(&with_phases(&[PRESENT, VOTE, WRITE]));
    join(&mut w, &[("k1", "TE office")]);
    assert!(dot(&mut w, "k1", 1).unwrap_err().contains("phase 2 'Vote' has not started yet"));
    fac(&mut w, C::Start, at(0, 0));
    fac(&mut w, C::Next, at(1, 0));
    dot(&mut w, "k1", 1).unwrap();
    // A pause stops the clock, not the room.
    fac(&mut w, C::Pause, at(2, 0));
    dot(&mut w, "k1", 2).unwrap();
    fac(&mut w, C::Resume, at(3, 0));
    fac(&mut w, C::Next, at(4, 0));
    // A vote sent just before the facilitator moved on arrives late: refused, not misfiled.
    assert_eq!(dot(&mut w, "k1", 3).unwrap_err(), "phase 2 'Vote' is closed");
    assert_eq!(by(&mut w, "k1", C::Undot { phase: 1, item: 1 }).unwrap_err(), "phase 2 'Vote' is closed");
    assert!(by(&mut w, "k1", C::Dot { phase: 2, item: 1 }).unwrap_err().contains("not a dot vote"));
    assert!(by(&mut w, "k1", C::Dot { phase: 7, item: 1 }).unwrap_err().contains("no phase 8"));
}

#[test]
fn an_undot_that_overtakes_its_dot_is_refused_and_the_dot_then_counts() {
    let mut w = voting();
    assert!(by(&mut w, "k1", C::Undot { phase: 1, item: 2 }).is_err());
    dot(&mut w, "k1", 2).unwrap();
    assert_eq!(w.phases[1].dots_on("k1", 2), 1);
}

#[test]
fn hidden_results_show_participants_only_their_own_dots_until_revealed() {
    let mut w = voting();
    dot(&mut w, "k1", 1).unwrap();
    dot(&mut w, "k2", 1).unwrap();
    dot(&mut w, "k2", 2).unwrap();
    fac(&mut w, C::CountHand { phase: 1, item: 2, reaction: None }, at(11, 0));

    let facilitator = w.tally_for(&Actor::Facilitator, 1).unwrap();
    assert!(facilitator.hidden && !facilitator.own_only);
    let d = facilitator.results.dot_vote().unwrap();
    assert_eq!((d.row(1).unwrap().dots, d.row(2).unwrap().dots, d.voters, d.room_dots), (2, 2, 2, 1));

    let mine = w.tally_for(&Actor::Participant("k1".into()), 1).unwrap();
    assert!(mine.hidden && mine.own_only);
    let d = mine.results.dot_vote().unwrap();
    assert_eq!((d.row(1).unwrap().dots, d.row(2).unwrap().dots, d.dots_used, d.dots_possible), (1, 0, 1, 3));
    assert_eq!(d.room_dots, 0);

    fac(&mut w, C::Reveal { phase: 1 }, at(12, 0));
    let all = w.tally_for(&Actor::Participant("k1".into()), 1).unwrap();
    assert!(!all.hidden && !all.own_only);
    assert_eq!(all.results.dot_vote().unwrap().row(1).unwrap().dots, 2);
    assert!(w.apply(Actor::Facilitator, C::Reveal { phase: 1 }, at(12, 0)).unwrap_err().contains("already visible"));

    fac(&mut w, C::Hide { phase: 1 }, at(13, 0));
    assert!(w.tally_for(&Actor::Participant("k1".into()), 1).unwrap().own_only);
    assert!(w.apply(Actor::Facilitator, C::Reveal { phase: 0 }, at(13, 0)).unwrap_err().contains("already visible"));
}

#[test]
fn open_votes_show_everyone_the_live_tally() {
    let open = format!("{VOTE}hidden = false\n");
    let mut w = workshop(&with_phases(&[PRESENT, &open]));
    join(&mut w, &[("k1", "TE office"), ("k2", "Company")]);
    fac(&mut w, C::Start, at(0, 0));
    fac(&mut w, C::Next, at(1, 0));
    dot(&mut w, "k2", 3).unwrap();
    let view = w.tally_for(&Actor::Participant("k1".into()), 1).unwrap();
    assert!(!view.hidden);
    assert_eq!(view.results.dot_vote().unwrap().row(3).unwrap().dots, 1);
}

#[test]
fn tallies_break_down_by_organisation_type_and_attribute_only_when_asked() {
    let mut w = voting();
    dot(&mut w, "k1", 1).unwrap();
    dot(&mut w, "k3", 1).unwrap();
    dot(&mut w, "k2", 1).unwrap();
    let tally = w.tally(1).unwrap();
    let row = tally.results.dot_vote().unwrap().row(1).unwrap().clone();
    assert_eq!(row.by_org.get("TE office"), Some(&2));
    assert_eq!(row.by_org.get("Company"), Some(&1));
    assert!(row.attributed.is_empty(), "anonymous by default");

    let attributed = format!("{}anonymous = false\n", VOTE);
    let mut w = workshop(&with_phases(&[PRESENT, &attributed]));
    join(&mut w, &[("k1", "TE office")]);
    fac(&mut w, C::Start, at(0, 0));
    fac(&mut w, C::Next, at(1, 0));
    dot(&mut w, "k1", 2).unwrap();
    let tally = w.tally(1).unwrap();
    assert_eq!(tally.results.dot_vote().unwrap().row(2).unwrap().attributed, [("k1".to_string(), 1)]);
}

#[test]
fn most_significant_change_votes_carry_a_reason() {
    let msc =
        format!("{}reason = true\nanonymous = false\n", VOTE.replace("dots = 3\nmax_per_item = 2\n", "dots = 1\n"));
    let mut w = workshop(&with_phases(&[WRITE, &msc]));
    join(&mut w, &[("k1", "TE office"), ("k2", "Service provider")]);
    fac(&mut w, C::Start, at(0, 0));
    let story = |t: &str| C::AddItem { phase: 0, text: t.into() };
    by(&mut w, "k1", story("A client found work after two years thanks to the coach")).unwrap();
    by(&mut w, "k2", story("Our office and the city now plan services together")).unwrap();
    fac(&mut w, C::Next, at(15, 0));
    assert!(dot(&mut w, "k1", 2).unwrap_err().contains("reason"));
    let with_reason = |item, reason: &str| C::DotWithReason { phase: 1, item, reason: reason.into() };
    assert!(by(&mut w, "k1", with_reason(2, "  ")).unwrap_err().contains("empty"));
    by(&mut w, "k1", with_reason(2, "It changes how two organisations work, not one client")).unwrap();
    by(&mut w, "k2", with_reason(2, "It will last after the pilot")).unwrap();
    assert!(by(&mut w, "k2", with_reason(1, "second thoughts")).unwrap_err().contains("used all 1"));
    let tally = w.tally(1).unwrap();
    let row = tally.results.dot_vote().unwrap().row(2).unwrap();
    assert_eq!(row.dots, 2);
    assert_eq!(row.reasons.len(), 2);
    assert_eq!(row.reasons[1].by.as_deref(), Some("k2"));
}

#[test]
fn counted_hands_are_room_votes_without_a_budget() {
    let mut w = voting();
    for _ in 0..12 {
        fac(&mut w, C::CountHand { phase: 1, item: 3, reaction: None }, at(11, 0));
    }
    let d = w.tally(1).unwrap().results.dot_vote().unwrap().clone();
    assert_eq!((d.row(3).unwrap().dots, d.row(3).unwrap().room, d.room_dots, d.dots_used), (12, 12, 12, 0));
    let wrong = C::CountHand { phase: 1, item: 3, reaction: Some(ReactionKind::Agree) };
    assert!(w.apply(Actor::Facilitator, wrong, at(11, 0)).is_err());
    // Undo takes back the last hand only.
    fac(&mut w, C::Undo, at(11, 0));
    assert_eq!(w.phases[1].room_dots[&3], 11);
}

#[test]
fn counted_hands_for_reactions_in_a_present_phase() {
    let mut w = workshop(&with_phases(&[PRESENT]));
    fac(&mut w, C::Start, at(0, 0));
    for kind in [ReactionKind::Agree, ReactionKind::Agree, ReactionKind::Challenge] {
        fac(&mut w, C::CountHand { phase: 0, item: 1, reaction: Some(kind) }, at(1, 0));
    }
    let no_kind = C::CountHand { phase: 0, item: 1, reaction: None };
    assert!(w.apply(Actor::Facilitator, no_kind, at(1, 0)).unwrap_err().contains("which reaction"));
    let Some(TallyResults::Present { rows, .. }) = w.tally(0).map(|t| t.results) else { panic!() };
    assert_eq!((rows[0].counts.agree, rows[0].counts.challenge, rows[0].n), (2, 1, 3));
}

const POLL: &str = "title = \"Pulse\"\nkind = \"scale-poll\"\nminutes = 5\nprompt = \"P\"\nsurvey = \"partner-2020\"\nitems = [\"trust\", \"goals_clear\"]\n";

#[test]
fn scale_polls_reuse_survey_items_and_tallies() {
    let mut w = workshop(&with_phases(&[POLL]));
    join(&mut w, &[("k1", "TE office"), ("k2", "Company"), ("k3", "TE office")]);
    fac(&mut w, C::Start, at(0, 0));
    let poll = |item: &str, answer| C::Poll { phase: 0, item: item.into(), answer };
    by(&mut w, "k1", poll("goals_clear", Answer::Scale(2))).unwrap();
    by(&mut w, "k1", poll("goals_clear", Answer::Scale(3))).unwrap(); // changed their mind
    by(&mut w, "k2", poll("goals_clear", Answer::Scale(5))).unwrap();
    by(&mut w, "k3", poll("goals_clear", Answer::DontKnow)).unwrap();
    assert!(by(&mut w, "k3", poll("goals_clear", Answer::Scale(9))).unwrap_err().contains("not a value"));
    assert!(by(&mut w, "k3", poll("lessons", Answer::Text("x".into()))).unwrap_err().contains("not asked"));
    // Digit keys on the facilitator's terminal: one more answer from the room each.
    fac(&mut w, poll("goals_clear", Answer::Scale(4)), at(1, 0));
    fac(&mut w, poll("goals_clear", Answer::Scale(4)), at(1, 0));

    let Some(TallyResults::ScalePoll { tally, by_org }) = w.tally(0).map(|t| t.results) else { panic!() };
    let item = tally.item("goals_clear").unwrap();
    assert_eq!(item.n, 5, "don't-know counts in n");
    assert_eq!((item.count("3"), item.count("4"), item.count("5")), (Some(1), Some(2), Some(1)));
    let ItemStats::Scale { dont_know, mean, .. } = &item.stats else { panic!() };
    assert_eq!(*dont_know, Some(1));
    assert_eq!(*mean, Some(16.0 / 4.0), "don't-know stays out of the mean");
    let orgs: Vec<&str> = by_org.iter().map(|(o, _)| o.as_str()).collect();
    assert_eq!(orgs, ["Company", "TE office"]);
    assert_eq!(by_org[1].1.item("goals_clear").unwrap().n, 2);
}

const RANK: &str = "title = \"Rank\"\nkind = \"rank\"\nminutes = 5\nprompt = \"P\"\noptions = [\"Trust\", \"Planning\", \"Leadership\"]\n";

#[test]
fn rankings_give_mean_ranks_with_n() {
    let mut w = workshop(&with_phases(&[RANK]));
    join(&mut w, &[("k1", "TE office"), ("k2", "Company"), ("k3", "Municipality")]);
    fac(&mut w, C::Start, at(0, 0));
    let rank = |order: &[u32]| C::Rank { phase: 0, order: order.to_vec() };
    by(&mut w, "k1", rank(&[1, 2, 3])).unwrap();
    by(&mut w, "k2", rank(&[2, 1, 3])).unwrap();
    by(&mut w, "k3", rank(&[2, 3, 1])).unwrap();
    assert!(by(&mut w, "k3", rank(&[2, 3])).unwrap_err().contains("rank all 3 options"));
    assert!(by(&mut w, "k3", rank(&[2, 2, 1])).unwrap_err().contains("twice"));
    assert!(by(&mut w, "k3", rank(&[2, 3, 9])).unwrap_err().contains("not an option"));
    let Some(TallyResults::Rank { rows, n }) = w.tally(0).map(|t| t.results) else { panic!() };
    assert_eq!(n, 3);
    let summary: Vec<(u32, f64, u32, u32)> =
        rows.iter().map(|r| (r.item, r.mean_rank.unwrap(), r.n, r.firsts)).collect();
    assert_eq!(summary, [(2, 4.0 / 3.0, 3, 2), (1, 2.0, 3, 1), (3, 8.0 / 3.0, 3, 0)]);
}

#[test]
fn a_rank_without_options_ranks_the_previous_phase_s_items() {
    let rank = "title = \"Rank\"\nkind = \"rank\"\nminutes = 5\nprompt = \"P\"\n";
    let mut w = workshop(&with_phases(&[WRITE, rank]));
    join(&mut w, &[("k1", "TE office")]);
    fac(&mut w, C::Start, at(0, 0));
    for t in ["a", "b", "c"] {
        by(&mut w, "k1", C::AddItem { phase: 0, text: t.into() }).unwrap();
    }
    fac(&mut w, C::Park { item: 2 }, at(1, 0));
    fac(&mut w, C::Next, at(2, 0));
    assert_eq!(w.options(1), [1, 3]);
    by(&mut w, "k1", C::Rank { phase: 1, order: vec![3, 1] }).unwrap();
    // An option added while people rank: earlier rankings stay, the new one has n = 0.
    fac(&mut w, C::AddItem { phase: 1, text: "d".into() }, at(3, 0));
    assert_eq!(w.options(1), [1, 3, 4]);
    let Some(rows) = w.tally(1).unwrap().results.rank_rows().map(<[_]>::to_vec) else { panic!() };
    assert_eq!(rows.iter().map(|r| (r.item, r.n)).collect::<Vec<_>>(), [(3, 1), (1, 1), (4, 0)]);
    assert!(by(&mut w, "k1", C::Rank { phase: 1, order: vec![3, 1] }).unwrap_err().contains("rank all 3"));
}
