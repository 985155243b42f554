//! Property-style: thousands of random commands from many participants and the
//! facilitator, in random order, for random (also wrong and closed) phases. Whatever
//! arrives, the rules hold after every command. A fixed LCG keeps runs reproducible.

use std::collections::{BTreeMap, BTreeSet};

use super::{PRESENT, at, with_phases, workshop};
use crate::domain::survey::Answer;
use crate::domain::workshop::{
    Actor, DotRules, Fate, PhaseKind, PhaseStatus, ReactionKind, TallyResults, Workshop, WorkshopCommand as C,
};

struct Lcg(u64);

impl Lcg {
    fn next(&mut self) -> u64 {
        // Knuth's MMIX constants; the high bits are the good ones.
        self.0 = self.0.wrapping_mul(6364136223846793005).wrapping_add(1442695040888963407);
        self.0 >> 33
    }

    fn below(&mut self, n: u64) -> u64 {
        self.next() % n
    }

    fn pick<'a, T>(&mut self, xs: &'a [T]) -> &'a T {
        &xs[self.below(xs.len() as u64) as usize]
    }
}

const PARTICIPANTS: usize = 24;
const ORGS: [&str; 4] = ["TE office", "Municipality", "Company", "Service provider"];

fn agenda() -> String {
    let write = "title = \"Notes\"\nkind = \"write\"\nminutes = 5\nprompt = \"W\"\nmax_items_per_person = 4\n";
    let vote = "title = \"Vote\"\nkind = \"dot-vote\"\nminutes = 5\nprompt = \"V\"\ndots = 5\nmax_per_item = 2\n";
    let rank = "title = \"Rank\"\nkind = \"rank\"\nminutes = 5\nprompt = \"R\"\n";
    let poll = "title = \"Poll\"\nkind = \"scale-poll\"\nminutes = 5\nprompt = \"P\"\nsurvey = \"partner-2020\"\nitems = [\"trust\"]\n";
    let msc = "title = \"MSC\"\nkind = \"dot-vote\"\nminutes = 5\nprompt = \"M\"\ndots = 1\nreason = true\n";
    with_phases(&[PRESENT, write, vote, rank, poll, msc])
}

fn random_command(rng: &mut Lcg, w: &Workshop) -> (Actor, C) {
    let phase = if rng.below(4) == 0 { rng.below(8) as usize } else { w.current };
    let item = 1 + rng.below(w.items.len() as u64 + 3) as u32;
    let kind = *rng.pick(&ReactionKind::ALL);
    if rng.below(8) == 0 {
        let cmd = match rng.below(20) {
            0 => C::Start,
            1 => C::Pause,
            2 => C::Resume,
            // Nearly as many backs as nexts: the run wanders over the whole agenda.
            3 if rng.below(5) < 2 => C::Back,
            3 => C::Next,
            4 => C::NextItem,
            5 => C::Reveal { phase },
            6 => C::Hide { phase },
            7 => C::Merge { from: item, into: 1 + rng.below(w.items.len() as u64 + 1) as u32 },
            8 => C::Park { item },
            9 => C::Keep { item },
            10 | 11 => C::CountHand { phase, item, reaction: (rng.below(2) == 0).then_some(kind) },
            12 => C::AddItem { phase, text: format!("room note {}", rng.below(100)) },
            13 => C::NewCluster { name: format!("cluster {}", rng.below(6)) },
            14 => C::MoveToCluster { item, cluster: Some(1 + rng.below(4) as u32) },
            15 => C::AddAction { text: String::new(), owner: "city".into(), due: None, from: Some(item) },
            16 => C::Poll { phase, item: "trust".into(), answer: Answer::Scale(1 + rng.below(5) as i64) },
            17 => C::Note { text: "noted".into() },
            _ => C::Undo,
        };
        return (Actor::Facilitator, cmd);
    }
    let who = format!("k{}", rng.below(PARTICIPANTS as u64 + 2));
    let cmd = match rng.below(12) {
        // The last two never join: everything they send is refused.
        0 if who != "k24" && who != "k25" => {
            C::Join { participant: who.clone(), role: "partner".into(), org_type: rng.pick(&ORGS).to_string() }
        }
        1 => C::AddItem { phase, text: format!("note from {who}") },
        2 => C::React { phase, item, kind, comment: (rng.below(3) == 0).then(|| "because".to_string()) },
        3..=5 => C::Dot { phase, item },
        6 => C::Undot { phase, item },
        7 => {
            let item = *rng.pick(&w.options(phase).into_iter().chain([item]).collect::<Vec<_>>());
            C::DotWithReason { phase, item, reason: "it matters".into() }
        }
        8 => {
            let mut order = w.options(phase);
            for i in (1..order.len()).rev() {
                order.swap(i, rng.below(i as u64 + 1) as usize);
            }
            if rng.below(5) == 0 {
                order.pop();
            }
            C::Rank { phase, order }
        }
        9 => C::Poll { phase, item: "trust".into(), answer: Answer::Scale(rng.below(7) as i64) },
        _ => C::Dot { phase, item: *rng.pick(&w.options(phase).into_iter().chain([item]).collect::<Vec<_>>()) },
    };
    (Actor::Participant(who), cmd)
}

/// `deep`: also compare every voter's own view (slower, so not after every command).
fn check_invariants(w: &Workshop, deep: bool) {
    assert!(w.current < w.phases.len());
    assert!(w.phases.iter().filter(|p| p.status == PhaseStatus::Running).count() <= 1);
    let ids: Vec<u32> = w.items.iter().map(|i| i.id).collect();
    assert!(ids.windows(2).all(|p| p[0] < p[1]), "ids grow and never repeat");
    for i in &w.items {
        if let Fate::MergedInto(into) = i.fate {
            assert!(w.item(into).is_some());
            assert!(!matches!(w.item(w.home_of(i.id)).unwrap().fate, Fate::MergedInto(_)), "no merge loops");
        }
        if let Fate::Action(a) = i.fate {
            assert!(w.actions.iter().any(|x| x.id == a && x.from_item == Some(i.id)));
        }
    }
    for (phase, run) in w.phases.iter().enumerate() {
        for order in run.rankings.values() {
            assert_eq!(order.iter().collect::<BTreeSet<_>>().len(), order.len());
        }
        let PhaseKind::DotVote(DotRules { dots, max_per_item, .. }) = run.spec.kind else {
            assert!(run.ballots.is_empty());
            continue;
        };
        let mut per_voter: BTreeMap<&str, u32> = BTreeMap::new();
        let mut pairs = BTreeSet::new();
        for b in &run.ballots {
            assert!(b.dots >= 1 && b.dots <= max_per_item, "{b:?}");
            assert!(pairs.insert((&b.voter, b.item)), "one ballot per voter and item");
            assert!(w.participants.contains_key(&b.voter));
            *per_voter.entry(&b.voter).or_default() += b.dots;
        }
        assert!(per_voter.values().all(|used| *used <= dots), "a participant above the dot budget");

        // The tally equals a recount from the ballots.
        let tally = w.tally(phase).unwrap();
        let d = tally.results.dot_vote().unwrap();
        assert_eq!(d.dots_used, per_voter.values().sum::<u32>());
        assert_eq!(d.voters as usize, per_voter.len());
        for row in &d.rows {
            let recount: u32 = run.ballots.iter().filter(|b| b.item == row.item).map(|b| b.dots).sum();
            let room = run.room_dots.get(&row.item).copied().unwrap_or(0);
            assert_eq!(row.dots, recount + room);
            assert_eq!(row.by_org.values().sum::<u32>(), recount);
        }
        let rows: BTreeSet<u32> = d.rows.iter().map(|r| r.item).collect();
        assert!(run.ballots.iter().all(|b| rows.contains(&b.item)), "every dot appears in the results");
        for (p, used) in per_voter.iter().filter(|_| deep) {
            let own = w.tally_for(&Actor::Participant(p.to_string()), phase).unwrap();
            let own_used = own.results.dot_vote().unwrap().dots_used;
            assert_eq!(own_used, if run.visible { d.dots_used } else { *used });
        }
    }
}

/// What a run exercised, so the test can tell it did not pass by doing nothing.
#[derive(Default)]
struct Coverage {
    dots: u32,
    refused: u32,
    rankings: bool,
    reasons: bool,
    reactions: bool,
}

fn run(seed: u64, steps: i64, seen: &mut Coverage) {
    let mut rng = Lcg(seed);
    let mut w = workshop(&agenda());
    for step in 0..steps {
        let (actor, cmd) = random_command(&mut rng, &w);
        let is_undo = matches!(cmd, C::Undo);
        let is_dot = matches!(cmd, C::Dot { .. } | C::DotWithReason { .. });
        let ballots: Vec<_> = w.phases.iter().map(|p| p.ballots.clone()).collect();
        let answers: Vec<_> = w.phases.iter().map(|p| p.answers.clone()).collect();
        match w.apply(actor, cmd, at(step / 20, step % 20)) {
            Ok(_) if is_dot => seen.dots += 1,
            Ok(_) => {}
            Err(e) => {
                assert!(!e.is_empty());
                seen.refused += 1;
            }
        }
        if is_undo {
            // Undo is the facilitator's: it never takes back a vote or an answer.
            assert_eq!(w.phases.iter().map(|p| p.ballots.clone()).collect::<Vec<_>>(), ballots);
            assert_eq!(w.phases.iter().map(|p| p.answers.clone()).collect::<Vec<_>>(), answers);
        }
        check_invariants(&w, step % 10 == 0);
        if step % 1000 == 999 {
            let back: Workshop = serde_json::from_str(&serde_json::to_string(&w).unwrap()).unwrap();
            assert_eq!(back, w);
        }
    }
    seen.rankings |= w.phases.iter().any(|p| !p.rankings.is_empty());
    seen.reasons |= w.phases.iter().any(|p| p.ballots.iter().any(|b| b.reason.is_some()));
    seen.reactions |= matches!(w.tally(0).unwrap().results, TallyResults::Present { n, .. } if n > 0);
}

#[test]
fn thousands_of_random_commands_keep_every_rule() {
    let mut seen = Coverage::default();
    for seed in [20200514, 1, 2, 3] {
        run(seed, 4000, &mut seen);
    }
    assert!(seen.dots > 200, "the runs should exercise voting ({} dots applied)", seen.dots);
    assert!(seen.refused > 2000, "and refusals ({})", seen.refused);
    assert!(seen.rankings && seen.reasons && seen.reactions, "and ranking, reasons and reactions");
}
