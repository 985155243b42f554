//! Synthetic evaluations at a chosen size, for benchmarks and scale tests: the demo
//! evaluation, grown with generated pilots, interviews with coded notes, survey
//! responses and workshops with votes. Everything after the demo comes from one seed
//! (an LCG), so the same size and seed give the same store on every machine.
//!
//! | size  | pilots | interviews | coded segments | survey responses | workshops |
//! |-------|-------:|-----------:|---------------:|-----------------:|----------:|
//! | demo  | the demo evaluation as it is                                     |||||
//! | large | 25     | 300        | 20,000         | 50,000           | 12        |
//! | huge  | 250    | 3,000      | 200,000        | 500,000          | 120       |
//!
//! Building is pure ([`interviews`], [`responses`], [`workshop`] return data);
//! [`write`] puts it into a store in bounded chunks, so "huge" never holds all of its
//! responses in memory at once.

use chrono::{Duration, NaiveDate, NaiveDateTime};

use super::surveys::{Lcg, client_response};
use crate::domain::codebook::Codebook;
use crate::domain::interview::{Consent, Interview};
use crate::domain::workshop::{Actor, BUILT_IN, Workshop, WorkshopCommand as C, WorkshopSetup, WorkshopTemplate};
use crate::domain::{Changeset, Pilot};
use crate::store::Store;

/// How big a generated evaluation is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Size {
    pub pilots: usize,
    pub interviews: usize,
    /// Coded paragraphs over all interviews.
    pub segments: usize,
    /// Survey responses over all surveys.
    pub responses: usize,
    pub workshops: usize,
    /// Participants in each generated workshop.
    pub participants: usize,
}

impl Size {
    /// The demo evaluation as it is: nothing is generated.
    pub const DEMO: Size = Size { pilots: 0, interviews: 0, segments: 0, responses: 0, workshops: 0, participants: 0 };
    pub const LARGE: Size =
        Size { pilots: 25, interviews: 300, segments: 20_000, responses: 50_000, workshops: 12, participants: 40 };
    pub const HUGE: Size = Size {
        pilots: 250,
        interviews: 3_000,
        segments: 200_000,
        responses: 500_000,
        workshops: 120,
        participants: 40,
    };

    pub fn named(name: &str) -> Result<Size, String> {
        match name {
            "demo" => Ok(Size::DEMO),
            "large" => Ok(Size::LARGE),
            "huge" => Ok(Size::HUGE),
            other => Err(format!("unknown size '{other}': demo, large or huge")),
        }
    }
}

/// What [`write`] put into the store, counted from the store's own point of view.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Written {
    pub pilots: usize,
    pub interviews: usize,
    pub segments: usize,
    pub responses: usize,
    pub workshops: usize,
}

/// Responses written per store batch: bounds memory for "huge".
const RESPONSE_CHUNK: usize = 10_000;
/// Interviews written per commit.
const INTERVIEW_CHUNK: usize = 100;

/// Writes the demo evaluation and then the generated part into an empty store.
pub fn write(store: &Store, who: &str, size: Size, seed: u64) -> crate::store::Result<Written> {
    super::write(store, who)?;
    let demo_pilots = store.pilots()?;
    let demo_interviews = store.interviews()?;
    let mut written = Written {
        pilots: demo_pilots.len(),
        interviews: demo_interviews.len(),
        segments: demo_interviews.iter().map(|i| i.paragraphs().len()).sum(),
        responses: crate::surveys::built_in().iter().map(|s| store.response_count(&s.id).unwrap_or(0)).sum(),
        workshops: store.workshop_ids()?.len(),
    };
    if size == Size::DEMO {
        return Ok(written);
    }
    let mut rng = Lcg(seed ^ 0x6f70_7069);

    // Pilots: copies of the demo's, renamed, each with a copy of its model's map and objectives.
    let maps = store.maps()?;
    let objectives = store.objectives()?;
    let mut pilots: Vec<Pilot> = demo_pilots.clone();
    let mut new = Changeset::default();
    for n in demo_pilots.len()..size.pilots {
        let model = &demo_pilots[n % demo_pilots.len()];
        let mut p = model.clone();
        p.id = store.new_id("p")?;
        p.name = format!("{} {}", model.name, n / demo_pilots.len() + 1);
        p.alt_names = model.alt_names.iter().map(|a| format!("{a} {}", n / demo_pilots.len() + 1)).collect();
        if let Some(m) = maps.iter().find(|m| m.pilot == model.id) {
            let mut m = m.clone();
            m.pilot = p.id.clone();
            new.maps.push(m);
        }
        for o in objectives.iter().filter(|o| o.pilot == model.id) {
            let mut o = o.clone();
            o.id = String::new();
            o.pilot = p.id.clone();
            new.objectives.push(o);
        }
        pilots.push(p.clone());
        new.pilots.push(p);
    }
    written.pilots = pilots.len();
    // One changeset creates at most one pilot (its log entries), so pilots go in one by
    // one with their maps; objectives get their ids in `commit`.
    let objectives_new = std::mem::take(&mut new.objectives);
    for p in std::mem::take(&mut new.pilots) {
        let maps: Vec<_> = new.maps.iter().filter(|m| m.pilot == p.id).cloned().collect();
        let objectives: Vec<_> = objectives_new.iter().filter(|o| o.pilot == p.id).cloned().collect();
        store.commit(Changeset { pilots: vec![p], maps, objectives, ..Default::default() })?;
    }

    // Interviews with coded notes.
    let book = store.codebook()?;
    let count = size.interviews.saturating_sub(written.interviews);
    let segments = size.segments.saturating_sub(written.segments);
    let generated = interviews(&mut rng, &pilots, &book, count, segments);
    written.segments += generated.iter().map(|i| i.paragraphs().len()).sum::<usize>();
    written.interviews += generated.len();
    for chunk in generated.chunks(INTERVIEW_CHUNK) {
        let mut chunk = chunk.to_vec();
        for i in &mut chunk {
            i.id = store.new_id("i")?;
        }
        store.commit(Changeset { interviews: chunk, ..Default::default() })?;
    }

    // Client-survey responses, streamed into the store in chunks.
    let survey = crate::surveys::built_in().into_iter().find(|s| s.id == "client-2020").expect("a built-in survey");
    let mut left = size.responses.saturating_sub(written.responses);
    let mut next = 0;
    while left > 0 {
        let take = left.min(RESPONSE_CHUNK);
        written.responses += store.import_responses(&survey, responses(&mut rng, &pilots, next, take))?;
        next += take;
        left -= take;
    }

    // Workshops with votes.
    for n in 0..size.workshops {
        let mut w = workshop(&mut rng, &pilots, n, size.participants);
        w.id = String::new();
        store.commit(Changeset { new_workshops: vec![w], ..Default::default() })?;
        written.workshops += 1;
    }
    Ok(written)
}

const SENTENCES: &[&str] = &[
    "Clients valued meeting the same coach every time",
    "Referrals slowed while TE staff were moved to other tasks",
    "The provider and the office kept separate client records",
    "Result fees changed whom the provider prioritised",
    "Employers asked for one contact person instead of five",
    "Nobody agreed a baseline for the employment share at the start",
    "Remote meetings worked for some clients and failed for others",
    "The steering group met monthly and read the monitoring data",
    "Työnhakijat kokivat palvelun henkilökohtaiseksi",
    "Kumppanuus vaati luottamusta ja aikaa",
    "Partners learned each other's rules of data sharing slowly",
    "The pilot's target group widened after the first six months",
    "Small firms had no time for long workshops",
    "Language training and work trials went best together",
];

const CONTEXTS: &[&str] = &[
    "kick-off",
    "mid-term sense-making",
    "at COVID-19 onset",
    "after the target group changed",
    "final round, remote",
    "steering-group review",
];

/// `count` interviews with `segments` coded paragraphs between them (ids left empty).
pub fn interviews(rng: &mut Lcg, pilots: &[Pilot], book: &Codebook, count: usize, segments: usize) -> Vec<Interview> {
    let codes: Vec<&str> = book.codes.iter().map(|c| c.slug.as_str()).collect();
    let roles = ["organiser", "TE office", "service provider", "partner", "client"];
    let orgs = ["TE office", "municipality", "service provider", "company", "Kela"];
    let rounds = ["initial", "mid", "final"];
    let start = NaiveDate::from_ymd_opt(2019, 3, 1).expect("a valid date").and_hms_opt(9, 0, 0).expect("a valid time");
    (0..count)
        .map(|n| {
            let paragraphs = segments / count + usize::from(n < segments % count);
            let mut notes = String::new();
            for k in 0..paragraphs {
                if k > 0 {
                    notes.push('\n');
                }
                if rng.chance(15) {
                    notes.push_str("> ");
                } else {
                    notes.push_str(&format!("[{:02}:{:02}] ", k / 2, (k * 29) % 60));
                }
                notes.push_str(SENTENCES[rng.below(SENTENCES.len())]);
                notes.push_str(if rng.chance(50) { ", and " } else { "; " });
                notes.push_str(&SENTENCES[rng.below(SENTENCES.len())].to_lowercase());
                notes.push('.');
                for _ in 0..1 + rng.below(2) {
                    notes.push_str(" #");
                    notes.push_str(codes[rng.below(codes.len())]);
                }
            }
            let round = rng.below(rounds.len());
            let role = rng.below(roles.len());
            Interview {
                id: String::new(),
                pilots: vec![pilots[n % pilots.len()].id.clone()],
                at: start
                    + Duration::days((round * 240 + rng.below(200)) as i64)
                    + Duration::hours(rng.below(8) as i64),
                context: CONTEXTS[rng.below(CONTEXTS.len())].into(),
                interviewers: vec!["Evaluator".into()],
                role: roles[role].into(),
                org_type: orgs[role].into(),
                round: rounds[round].into(),
                consent: [Consent::Yes, Consent::Yes, Consent::Partial][rng.below(3)],
                name: None,
                notes,
            }
        })
        .collect()
}

/// `count` client-survey responses from respondent number `first` on, spread over the
/// pilots; every fourth respondent answers round 2 as well.
pub fn responses(rng: &mut Lcg, pilots: &[Pilot], first: usize, count: usize) -> Vec<crate::domain::survey::Response> {
    (first..first + count)
        .map(|n| {
            let respondent = n - n / 5; // respondents 4k+… answer twice: rounds 1 and 2
            let round = if n % 5 == 4 { 2 } else { 1 };
            let pilot = &pilots[respondent % pilots.len()].id;
            let low = rng.chance(10);
            let mut r = client_response(rng, respondent, pilot, round, low);
            r.respondent = Some(format!("S-{respondent:07}"));
            r
        })
        .collect()
}

/// The `n`-th generated workshop: a learning workshop whose room joined, wrote items,
/// and cast every dot; the vote is revealed.
pub fn workshop(rng: &mut Lcg, pilots: &[Pilot], n: usize, participants: usize) -> Workshop {
    let (file, text) = BUILT_IN.iter().find(|(f, _)| *f == "learning-workshop.toml").expect("a shipped template");
    let template = WorkshopTemplate::parse(file, text).expect("shipped templates parse");
    let start: NaiveDateTime =
        NaiveDate::from_ymd_opt(2020, 1, 7).expect("a valid date").and_hms_opt(9, 0, 0).expect("a valid time")
            + Duration::days(7 * n as i64);
    let setup = WorkshopSetup {
        id: String::new(),
        title: format!("Learning workshop {}", n + 1),
        pilots: vec![pilots[n % pilots.len()].id.clone(), pilots[(n + 1) % pilots.len()].id.clone()],
        date: start.date(),
        place: "Online".into(),
        room_code: format!("s{:04}", n),
        language: "en".into(),
        highlights: vec![],
    };
    let mut w = Workshop::new(setup, &template, &[], start).expect("the learning template builds");
    let at = |minutes: i64| start + Duration::minutes(minutes);
    let who = |p: usize| Actor::Participant(format!("r{p}"));
    let orgs = ["TE office", "municipality", "service provider", "company", "Kela"];
    for p in 0..participants {
        let join =
            C::Join { participant: format!("r{p}"), role: "partner".into(), org_type: orgs[p % orgs.len()].into() };
        w.apply(who(p), join, at(0)).expect("joining an open workshop");
    }
    w.apply(Actor::Facilitator, C::Start, at(1)).expect("start");
    let phase_of = |w: &Workshop, kind: &str| w.phases.iter().position(|p| p.spec.kind.name() == kind);
    let write = phase_of(&w, "write").expect("the learning template has a write phase");
    let vote = phase_of(&w, "dot-vote").expect("the learning template has a dot vote");
    while w.current < write {
        w.apply(Actor::Facilitator, C::Next, at(10)).expect("next phase");
    }
    for p in 0..participants {
        let text = SENTENCES[rng.below(SENTENCES.len())].to_string();
        // Items over the phase's limits are refused, as they would be in the room.
        let _ = w.apply(who(p), C::AddItem { phase: write, text }, at(20));
    }
    while w.current < vote {
        w.apply(Actor::Facilitator, C::Next, at(30)).expect("next phase");
    }
    let options = w.options(vote);
    for p in 0..participants {
        for _ in 0..3 {
            let item = options[rng.below(options.len())];
            let _ = w.apply(who(p), C::Dot { phase: vote, item }, at(35));
        }
    }
    w.apply(Actor::Facilitator, C::Reveal { phase: vote }, at(40)).expect("reveal");
    w
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn demo_size_is_the_demo() {
        let dir = tempfile::tempdir().unwrap();
        let store = Store::open(dir.path()).unwrap();
        let written = write(&store, "t", Size::DEMO, 1).unwrap();
        assert_eq!(written.pilots, crate::demo::pilots().len());
        assert_eq!(written.interviews, crate::demo::interviews().len());
    }

    /// A scaled-down size, so the test stays quick: every count lands exactly, and the
    /// same seed gives byte-identical stores.
    #[test]
    fn counts_land_exactly_and_the_seed_decides() {
        let size = Size { pilots: 20, interviews: 40, segments: 900, responses: 1_500, workshops: 2, participants: 12 };
        let backup = |seed: u64| {
            let dir = tempfile::tempdir().unwrap();
            let store = Store::open(dir.path()).unwrap();
            let written = write(&store, "t", size, seed).unwrap();
            assert_eq!(
                (written.pilots, written.interviews, written.segments, written.responses, written.workshops),
                (20, 40, 900, 1_500, 4),
                "the demo's two workshops and two generated"
            );
            assert_eq!(store.pilots().unwrap().len(), 20);
            let interviews = store.interviews().unwrap();
            assert_eq!(interviews.len(), 40);
            assert_eq!(interviews.iter().map(|i| i.paragraphs().len()).sum::<usize>(), 900);
            let all: usize = crate::surveys::built_in().iter().map(|s| store.response_count(&s.id).unwrap()).sum();
            assert_eq!(all, 1_500);
            let (w, _) = store.workshops().unwrap().pop().unwrap();
            let vote = w.phases.iter().position(|p| p.spec.kind.name() == "dot-vote").unwrap();
            assert!(w.phases[vote].ballots.len() >= 12, "every participant voted");
            store.backup_json().unwrap()
        };
        let a = backup(7);
        assert_eq!(a, backup(7), "same seed, same store");
        assert_ne!(a, backup(8), "another seed, other data");
    }

    #[test]
    fn every_generated_note_uses_codebook_codes() {
        let book = crate::demo::codebook(&crate::demo::evaluation().themes);
        let pilots = crate::demo::pilots();
        for i in interviews(&mut Lcg(3), &pilots, &book, 10, 95) {
            for p in i.paragraphs() {
                assert!(!p.codes.is_empty(), "every segment is coded");
                assert!(p.codes.iter().all(|c| book.get(c).is_some()), "{:?}", p.codes);
            }
        }
    }

    #[test]
    fn size_names() {
        assert_eq!(Size::named("large").unwrap().responses, 50_000);
        assert_eq!(Size::named("huge").unwrap().segments, 200_000);
        assert!(Size::named("enormous").unwrap_err().contains("demo, large or huge"));
    }
}
