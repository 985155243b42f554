//! A demo learning workshop on the six partnership lessons, run to its end: reactions,
//! new notes, a revealed dot vote, follow-up actions with owners, and every comment's
//! fate. Built by applying commands, exactly as a live room would.

use chrono::{Duration, NaiveDateTime};

use crate::domain::workshop::{
    Actor, BUILT_IN, ReactionKind, Workshop, WorkshopCommand as C, WorkshopSetup, WorkshopTemplate,
};

const ROOM: &[(&str, &str, &str)] = &[
    ("r1", "organiser", "TE office"),
    ("r2", "organiser", "municipality"),
    ("r3", "service provider", "service provider"),
    ("r4", "service provider", "service provider"),
    ("r5", "partner", "Kela"),
    ("r6", "partner", "education"),
    ("r7", "partner", "company"),
    ("r8", "TE office", "TE office"),
    ("r9", "TE office", "TE office"),
    ("r10", "partner", "NGO"),
];

/// The workshop, not yet given an id (the store assigns one).
pub fn workshop() -> Workshop {
    let (file, text) = BUILT_IN.iter().find(|(f, _)| *f == "learning-workshop.toml").expect("shipped template");
    let template = WorkshopTemplate::parse(file, text).expect("shipped templates parse");
    let start = NaiveDateTime::parse_from_str("2020-10-06 09:00", "%Y-%m-%d %H:%M").expect("valid time");
    let setup = WorkshopSetup {
        id: String::new(),
        title: "Partnership lessons: learning workshop".into(),
        pilots: vec!["p2".into(), "p7".into(), "p13".into()],
        date: start.date(),
        place: "Helsinki, Pasila office, room K7".into(),
        room_code: "kmp3x".into(),
        language: "en".into(),
        highlights: vec![],
    };
    let mut w = Workshop::new(setup, &template, &[], start).expect("the demo workshop builds");
    let clock = std::cell::Cell::new(start);
    let run = |w: &mut Workshop, by: Actor, cmd: C, minutes: i64| {
        clock.set(clock.get() + Duration::minutes(minutes));
        w.apply(by, cmd, clock.get()).expect("demo commands apply");
    };
    let fac = || Actor::Facilitator;
    let who = |p: &str| Actor::Participant(p.to_string());
    for (id, role, org) in ROOM {
        run(
            &mut w,
            who(id),
            C::Join { participant: id.to_string(), role: role.to_string(), org_type: org.to_string() },
            0,
        );
    }
    run(&mut w, fac(), C::Start, 0);
    run(&mut w, fac(), C::Next, 11);
    // Present: the first three highlights get reactions; one challenge carries a comment.
    let highlights = w.options(1);
    let reactions = [
        ("r1", ReactionKind::Agree, None),
        ("r3", ReactionKind::Agree, None),
        ("r5", ReactionKind::Add, Some("Trust took a year with Kela; data-sharing rules came first")),
        ("r8", ReactionKind::Challenge, Some("At our office trust was never the problem: staff time was")),
    ];
    for (i, item) in highlights.iter().take(3).enumerate() {
        if i > 0 {
            run(&mut w, fac(), C::NextItem, 6);
        }
        for (p, kind, comment) in &reactions {
            let comment = (i == 0).then(|| comment.map(String::from)).flatten();
            run(&mut w, who(p), C::React { phase: 1, item: *item, kind: *kind, comment }, 0);
        }
    }
    // Write: what the highlights missed.
    run(&mut w, fac(), C::Next, 18);
    for (p, text) in [
        ("r2", "Municipal social services must be in from the start, not invited later"),
        ("r6", "Students need the same contact person across the partners"),
        ("r9", "Front-line staff need time in their calendars for the partnership"),
        ("r7", "Firms want one door, not five"),
    ] {
        run(&mut w, who(p), C::AddItem { phase: 2, text: text.into() }, 1);
    }
    // Dot vote, hidden until revealed.
    run(&mut w, fac(), C::Next, 6);
    let options = w.options(3);
    let dots: [(&str, [usize; 3]); 10] = [
        ("r1", [0, 3, 3]),
        ("r2", [3, 6, 6]),
        ("r3", [0, 0, 1]),
        ("r4", [1, 3, 4]),
        ("r5", [0, 6, 4]),
        ("r6", [7, 2, 3]),
        ("r7", [9, 9, 0]),
        ("r8", [8, 8, 2]),
        ("r9", [8, 3, 0]),
        ("r10", [3, 5, 4]),
    ];
    for (p, picks) in dots {
        for pick in picks {
            let item = options[pick.min(options.len() - 1)];
            // A pick past the per-item limit is refused, as it would be in the room.
            let _ = w.apply(who(p), C::Dot { phase: 3, item }, clock.get());
        }
    }
    run(&mut w, fac(), C::Reveal { phase: 3 }, 8);
    // Actions for the top priorities.
    run(&mut w, fac(), C::Next, 2);
    let lead = options[3];
    let staff_time = w.items.iter().find(|i| i.text.starts_with("Front-line staff")).map(|i| i.id);
    run(
        &mut w,
        fac(),
        C::AddAction {
            text: "Name a partnership coordinator in each pilot region".into(),
            owner: "Ministry, regional ELY centres".into(),
            due: Some(start.date() + Duration::days(60)),
            from: Some(lead),
        },
        7,
    );
    run(
        &mut w,
        fac(),
        C::AddAction {
            text: "Reserve partnership hours in TE office staff plans for 2021".into(),
            owner: "TE office managers".into(),
            due: Some(start.date() + Duration::days(90)),
            from: staff_time,
        },
        6,
    );
    run(&mut w, fac(), C::Next, 5);
    run(&mut w, fac(), C::Note { text: "Useful; more time for the write phase next time".into() }, 4);
    // Closing the last phase ends the workshop.
    let _ = w.apply(fac(), C::Next, clock.get() + Duration::minutes(1));
    w
}

/// The room code of the demo's next workshop, not yet started: the one to join when the
/// demo is served (`oppi serve --demo`, then `ssh -p 2222 rv7q2@localhost`).
pub const UPCOMING_ROOM: &str = "rv7q2";

/// A mid-term review with the steering group, ready to run: presented findings, a live
/// partner-survey poll, a ranking and owned actions. Not given an id (the store does).
pub fn upcoming() -> Workshop {
    let (file, text) = BUILT_IN.iter().find(|(f, _)| *f == "mid-term-review.toml").expect("shipped template");
    let template = WorkshopTemplate::parse(file, text).expect("shipped templates parse");
    let start = NaiveDateTime::parse_from_str("2020-12-10 13:00", "%Y-%m-%d %H:%M").expect("valid time");
    let setup = WorkshopSetup {
        id: String::new(),
        title: "Steering group: mid-term review".into(),
        pilots: vec!["p1".into(), "p2".into(), "p7".into()],
        date: start.date(),
        place: "Online and Helsinki, ministry room 4".into(),
        room_code: UPCOMING_ROOM.into(),
        language: "fi".into(),
        highlights: vec![],
    };
    Workshop::new(setup, &template, &crate::surveys::built_in(), start).expect("the upcoming demo workshop builds")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_demo_workshop_has_results_actions_and_fates() {
        let w = workshop();
        assert_eq!(w.participants.len(), ROOM.len());
        let tally = w.tally(3).unwrap();
        assert!(!tally.hidden, "the vote was revealed");
        assert_eq!(w.actions.len(), 2);
        assert!(w.is_finished(), "the demo workshop has ended");
        assert!(w.fates().iter().any(|(_, sentence)| sentence.contains("action")), "{:?}", w.fates());
    }
}
