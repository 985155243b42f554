//! Moving through the agenda, who may do what, and the present phase.

use super::{DISCUSS, PRESENT, VOTE, WRITE, at, by, fac, join, setup, template, with_phases, workshop};
use crate::domain::workshop::{
    Actor, Created, Fate, PhaseStatus, ReactionKind, TallyResults, Workshop, WorkshopCommand as C,
};

#[test]
fn a_new_workshop_copies_the_template_and_the_highlights() {
    let w = workshop(&with_phases(&[PRESENT, WRITE, VOTE]));
    assert_eq!(w.template, "t");
    assert_eq!(w.title, "Partnership lessons");
    assert_eq!(w.current, 0);
    assert!(w.phases.iter().all(|p| p.status == PhaseStatus::Pending));
    let texts: Vec<&str> = w.presented(0).iter().map(|i| i.text.as_str()).collect();
    assert_eq!(texts, ["Trust first", "Reserve time for planning", "Keep communicating"]);
    assert_eq!(w.items.iter().map(|i| i.id).collect::<Vec<_>>(), [1, 2, 3]);
    assert!(w.items.iter().all(|i| i.author.is_none() && i.fate == Fate::Kept));
}

#[test]
fn template_items_win_over_highlights() {
    let present = format!("{PRESENT}items = [\"Partnership must be led\"]\n");
    let w = workshop(&with_phases(&[&present]));
    assert_eq!(w.presented(0).len(), 1);
}

#[test]
fn a_poll_of_an_unknown_survey_cannot_be_created() {
    let poll =
        "title = \"Poll\"\nkind = \"scale-poll\"\nminutes = 5\nprompt = \"P\"\nsurvey = \"nope\"\nitems = [\"a\"]\n";
    let err = Workshop::new(setup(), &template(&with_phases(&[poll])), &[], at(0, 0)).unwrap_err();
    assert!(err.contains("unknown survey 'nope'"), "{err}");
}

#[test]
fn start_next_and_back_move_through_the_agenda() {
    let mut w = workshop(&with_phases(&[DISCUSS, WRITE, VOTE]));
    fac(&mut w, C::Start, at(0, 0));
    assert_eq!(w.phases[0].status, PhaseStatus::Running);
    assert!(w.apply(Actor::Facilitator, C::Start, at(0, 1)).unwrap_err().contains("already running"));
    fac(&mut w, C::Next, at(5, 0));
    assert_eq!((w.current, w.phases[0].status, w.phases[1].status), (1, PhaseStatus::Done, PhaseStatus::Running));
    fac(&mut w, C::Back, at(6, 0));
    assert_eq!((w.current, w.phases[0].status, w.phases[1].status), (0, PhaseStatus::Running, PhaseStatus::Paused));
    assert_eq!(w.apply(Actor::Facilitator, C::Back, at(6, 0)).unwrap_err(), "this is the first phase");
    fac(&mut w, C::Next, at(7, 0));
    fac(&mut w, C::Next, at(8, 0));
    assert_eq!(w.current, 2);
    assert!(!w.is_finished());
    assert_eq!(fac(&mut w, C::Next, at(9, 0)).message, "workshop finished");
    assert!(w.is_finished());
    assert!(w.apply(Actor::Facilitator, C::Next, at(9, 0)).is_err());
}

#[test]
fn pause_and_resume_only_when_they_make_sense() {
    let mut w = workshop(&with_phases(&[DISCUSS]));
    assert!(w.apply(Actor::Facilitator, C::Pause, at(0, 0)).unwrap_err().contains("not running"));
    fac(&mut w, C::Start, at(0, 0));
    assert!(w.apply(Actor::Facilitator, C::Resume, at(0, 0)).unwrap_err().contains("not paused"));
    fac(&mut w, C::Pause, at(1, 0));
    assert_eq!(w.phases[0].status, PhaseStatus::Paused);
    fac(&mut w, C::Resume, at(2, 0));
    assert_eq!(w.phases[0].status, PhaseStatus::Running);
}

#[test]
fn participants_cannot_steer_and_must_join_first() {
    let mut w = workshop(&with_phases(&[WRITE]));
    let err = by(&mut w, "k1", C::AddItem { phase: 0, text: "x".into() }).unwrap_err();
    assert_eq!(err, "join the workshop first");
    join(&mut w, &[("k1", "TE office")]);
    for cmd in [C::Start, C::Next, C::Undo, C::Reveal { phase: 0 }, C::Merge { from: 1, into: 2 }] {
        assert_eq!(by(&mut w, "k1", cmd).unwrap_err(), "only the facilitator can do that");
    }
    let as_other = C::Join { participant: "k2".into(), role: "provider".into(), org_type: "Company".into() };
    assert!(by(&mut w, "k1", as_other).unwrap_err().contains("themselves"));
    // The facilitator may register people (one terminal in the room), but casts no dots.
    let register = C::Join { participant: "k2".into(), role: "provider".into(), org_type: "Company".into() };
    fac(&mut w, register, at(0, 0));
    assert_eq!(w.participants["k2"].org_type, "Company");
    assert!(w.apply(Actor::Facilitator, C::Dot { phase: 0, item: 1 }, at(0, 0)).unwrap_err().contains("participant"));
}

#[test]
fn rejoining_updates_role_but_keeps_the_join_time() {
    let mut w = workshop(&with_phases(&[WRITE]));
    join(&mut w, &[("k1", "TE office")]);
    let again = C::Join { participant: "k1".into(), role: "organiser".into(), org_type: "Municipality".into() };
    w.apply(Actor::Participant("k1".into()), again, at(30, 0)).unwrap();
    assert_eq!(w.participants["k1"].org_type, "Municipality");
    assert_eq!(w.participants["k1"].joined_at, at(1, 0));
}

#[test]
fn sticky_notes_only_in_open_write_phases_and_within_the_limit() {
    let write = format!("{WRITE}max_items_per_person = 2\n");
    let mut w = workshop(&with_phases(&[&write, DISCUSS]));
    join(&mut w, &[("k1", "TE office")]);
    let note = |t: &str| C::AddItem { phase: 0, text: t.into() };
    assert!(by(&mut w, "k1", note("early")).unwrap_err().contains("has not started"));
    fac(&mut w, C::Start, at(0, 0));
    assert_eq!(by(&mut w, "k1", note("one")).unwrap().created, Some(Created::Item(1)));
    by(&mut w, "k1", note("two")).unwrap();
    assert!(by(&mut w, "k1", note("three")).unwrap_err().contains("already added 2"));
    assert!(by(&mut w, "k1", note("   ")).unwrap_err().contains("empty"));
    assert!(by(&mut w, "k1", note(&"x".repeat(300))).unwrap_err().contains("keep it under 280"));
    // The facilitator types for the room without a limit.
    fac(&mut w, note("from the room"), at(1, 0));
    fac(&mut w, C::Next, at(5, 0));
    assert!(by(&mut w, "k1", note("late")).unwrap_err().contains("closed"));
    let in_discuss = C::AddItem { phase: 1, text: "x".into() };
    assert!(by(&mut w, "k1", in_discuss).unwrap_err().contains("not for writing"));
}

#[test]
fn present_phase_steps_through_items_and_takes_reactions_to_shown_ones() {
    let mut w = workshop(&with_phases(&[PRESENT, VOTE]));
    join(&mut w, &[("k1", "TE office"), ("k2", "Company")]);
    let react = |item, kind, comment: Option<&str>| C::React { phase: 0, item, kind, comment: comment.map(Into::into) };
    assert!(by(&mut w, "k1", react(1, ReactionKind::Agree, None)).unwrap_err().contains("not started"));
    fac(&mut w, C::Start, at(0, 0));
    by(&mut w, "k1", react(1, ReactionKind::Agree, None)).unwrap();
    assert!(by(&mut w, "k1", react(2, ReactionKind::Agree, None)).unwrap_err().contains("not been presented"));
    assert!(w.apply(Actor::Facilitator, C::PrevItem, at(0, 0)).unwrap_err().contains("first item"));
    assert!(fac(&mut w, C::NextItem, at(1, 0)).message.contains("#2 Reserve time for planning (2/3)"));
    let applied = by(&mut w, "k2", react(2, ReactionKind::Challenge, Some("Planning time was never funded"))).unwrap();
    let Some(Created::Item(comment)) = applied.created else { panic!("a comment becomes an item") };
    let c = w.item(comment).unwrap();
    assert_eq!((c.about, c.author.as_deref(), c.phase), (Some((2, ReactionKind::Challenge)), Some("k2"), 0));
    // Stepping back keeps later items open for late reactions.
    fac(&mut w, C::PrevItem, at(2, 0));
    by(&mut w, "k1", react(2, ReactionKind::Agree, None)).unwrap();
    // A participant's second reaction replaces the first.
    by(&mut w, "k1", react(1, ReactionKind::Add, None)).unwrap();
    let Some(TallyResults::Present { rows, n }) = w.tally(0).map(|t| t.results) else { panic!() };
    assert_eq!(n, 2);
    assert_eq!((rows[0].counts.agree, rows[0].counts.add), (0, 1));
    assert_eq!((rows[1].counts.agree, rows[1].counts.challenge, rows[1].comments), (1, 1, 1));
    assert_eq!(rows.len(), 3, "comments are not presented items");
    assert!(w.apply(Actor::Facilitator, react(1, ReactionKind::Agree, None), at(0, 0)).is_err());
    let in_vote = C::React { phase: 1, item: 1, kind: ReactionKind::Agree, comment: None };
    fac(&mut w, C::Next, at(10, 0));
    assert!(by(&mut w, "k1", in_vote).unwrap_err().contains("takes no reactions"));
}

#[test]
fn workshops_survive_a_json_round_trip_mid_session() {
    let mut w = workshop(&with_phases(&[PRESENT, VOTE]));
    join(&mut w, &[("k1", "TE office")]);
    fac(&mut w, C::Start, at(0, 0));
    let react =
        C::React { phase: 0, item: 1, kind: ReactionKind::Challenge, comment: Some("Not in our region".into()) };
    by(&mut w, "k1", react).unwrap();
    fac(&mut w, C::Next, at(3, 0));
    by(&mut w, "k1", C::Dot { phase: 1, item: 4 }).unwrap();
    fac(&mut w, C::Park { item: 2 }, at(4, 0));
    let json = serde_json::to_string(&w).unwrap();
    let mut back: Workshop = serde_json::from_str(&json).unwrap();
    assert_eq!(back, w);
    // The undo stack is part of the record: an undo after a restart still works.
    fac(&mut back, C::Undo, at(5, 0));
    assert_eq!(back.item(2).unwrap().fate, Fate::Kept);
}

#[test]
fn room_codes_are_short_readable_and_deterministic() {
    use crate::domain::workshop::{parse_room_code, room_code};
    assert_eq!(room_code(42), room_code(42));
    let codes: std::collections::BTreeSet<String> = (0..2000).map(room_code).collect();
    assert!(codes.len() > 1990, "nearby seeds give different codes ({} distinct)", codes.len());
    for code in &codes {
        assert_eq!(code.chars().count(), 5);
        assert!(!code.chars().any(|c| "0o1li5s2z8b".contains(c)), "look-alike in {code}");
        assert_eq!(code.to_lowercase(), *code);
    }
    let code = room_code(7);
    assert_eq!(parse_room_code(&format!(" {} ", code.to_uppercase())), Some(code.clone()));
    assert_eq!(parse_room_code(&format!("{}-{}", &code[..2], &code[2..])), Some(code));
    assert_eq!(parse_room_code("k7m2p"), None, "2 is not in the alphabet");
    assert_eq!(parse_room_code("k7m"), None);
}

#[test]
fn a_highlight_added_to_an_empty_present_phase_is_shown_at_once() {
    let mut w = workshop(&with_phases(&[PRESENT]));
    w.items.clear(); // as if the workshop had no draft highlights
    join(&mut w, &[("k1", "TE office")]);
    fac(&mut w, C::Start, at(0, 0));
    let Some(Created::Item(id)) = fac(&mut w, C::AddItem { phase: 0, text: "Trust first".into() }, at(1, 0)).created
    else {
        panic!()
    };
    by(&mut w, "k1", C::React { phase: 0, item: id, kind: ReactionKind::Agree, comment: None }).unwrap();
}

#[test]
fn commands_survive_a_json_round_trip_for_the_event_log() {
    use crate::domain::survey::Answer;
    use crate::domain::workshop::{LinkSubject, LinkTarget};
    let commands = [
        C::Join { participant: "k1".into(), role: "provider".into(), org_type: "Company".into() },
        C::Poll { phase: 2, item: "trust".into(), answer: Answer::DontKnow },
        C::React { phase: 0, item: 3, kind: ReactionKind::Add, comment: Some("and employers".into()) },
        C::Rank { phase: 4, order: vec![3, 1, 2] },
        C::Start,
        C::CountHand { phase: 1, item: 2, reaction: None },
        C::Link { subject: LinkSubject::Result(1), target: LinkTarget::MapNode { pilot: "p1".into(), node: 4 } },
        C::AddAction {
            text: "x".into(),
            owner: "city".into(),
            due: chrono::NaiveDate::from_ymd_opt(2020, 6, 1),
            from: None,
        },
    ];
    for cmd in commands {
        let json = serde_json::to_string(&cmd).unwrap();
        assert_eq!(serde_json::from_str::<C>(&json).unwrap(), cmd, "{json}");
    }
    let actor = serde_json::to_string(&Actor::Participant("k1".into())).unwrap();
    assert_eq!(serde_json::from_str::<Actor>(&actor).unwrap(), Actor::Participant("k1".into()));
}
