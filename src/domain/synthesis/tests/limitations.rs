use chrono::NaiveDateTime;

use super::demo_interviews;
use crate::demo;
use crate::domain::impact::ImpactMap;
use crate::domain::indicator::{DatedValue, Indicator, Observation, Source};
use crate::domain::interview::{Consent, Interview};
use crate::domain::survey::{GroupTally, ItemStats, ItemTally, Tally, TallyFilter, tally};
use crate::domain::synthesis::{
    Limitation, LimitationInput, LimitationKind, SurveyTally, context_appendix, is_special_context, limitations,
};

fn of(list: &[Limitation], kind: LimitationKind) -> Vec<&Limitation> {
    list.iter().filter(|l| l.kind == kind).collect()
}

#[test]
fn demo_data_limitations_are_detected() {
    let pilots = demo::pilots();
    let maps = demo::maps();
    let interviews = demo_interviews();
    let surveys = crate::surveys::built_in();
    let responses = demo::surveys::responses();
    let (_, partner_responses) = responses.iter().find(|(id, _)| id == "partner-2020").unwrap();
    let partner = surveys.iter().find(|s| s.id == "partner-2020").unwrap();
    let by_org =
        tally(partner, partner_responses, &TallyFilter { by: Some("org".into()), ..Default::default() }).unwrap();
    let talent =
        tally(partner, partner_responses, &TallyFilter { pilot: Some("p13".into()), ..Default::default() }).unwrap();
    let tallies = [
        SurveyTally { survey: "partner-2020", title: &partner.title, filter: "", tally: &by_org },
        SurveyTally { survey: "partner-2020", title: &partner.title, filter: "pilot p13", tally: &talent },
    ];
    let mut per_pilot: Vec<(String, u64)> = Vec::new();
    for r in responses.iter().flat_map(|(_, rs)| rs) {
        let pilot = r.pilot.clone().unwrap();
        match per_pilot.iter_mut().find(|(p, _)| *p == pilot) {
            Some((_, n)) => *n += 1,
            None => per_pilot.push((pilot, 1)),
        }
    }
    let input = LimitationInput {
        tallies: &tallies,
        responses_per_pilot: &per_pilot,
        pilots: &pilots,
        maps: &maps,
        interviews: &interviews,
    };
    let found = limitations(&input);

    // Rekrytoiva Satakunta's finishers: 190 in the text, 90 in a table.
    let conflicts = of(&found, LimitationKind::ConflictingValues);
    assert_eq!(conflicts.len(), 1, "{conflicts:?}");
    assert!(conflicts[0].subject.starts_with("p9/"));
    assert!(conflicts[0].text.contains("190 and 90"), "{}", conflicts[0].text);

    // Omavalmentaja's work-ability indicator has a baseline but no target, the client
    // experience score neither; the employment share has both; funnel counts are not asked.
    let gaps = of(&found, LimitationKind::MissingBaselineOrTarget);
    assert_eq!(gaps.len(), 2, "{gaps:?}");
    assert!(gaps[0].text.contains("Self-rated work ability") && gaps[0].text.ends_with("has no target"));
    assert!(gaps[1].text.ends_with("has no baseline and no target"), "{}", gaps[1].text);

    // Interviews at the COVID-19 onset, after layoffs and after the suspension decision.
    let special = of(&found, LimitationKind::SpecialContext);
    assert_eq!(special.len(), 4, "{special:?}");
    assert!(special[0].text.contains("after the suspension decision"), "by date: 2019-10 first");
    assert!(special.iter().filter(|l| l.text.contains("COVID-19 onset")).count() == 2);
    assert!(special.iter().all(|l| !l.text.contains("kick-off")));
    assert!(special[1].text.starts_with("Interview with service provider (Omavalmentaja)"), "{}", special[1].text);

    // Pilots no survey reached, in portfolio order, with their status when not active.
    let silent: Vec<&str> = of(&found, LimitationKind::NoResponses).iter().map(|l| l.subject.as_str()).collect();
    assert_eq!(silent, vec!["p4", "p6", "p8", "p9", "p11", "p12", "p14"]);
    assert!(of(&found, LimitationKind::NoResponses)[5].text.contains("(status: suspended)"));

    // Talent Coastline's 7 partners are too few; overall, the "other" organisations' group is.
    let low = of(&found, LimitationKind::LowN);
    assert!(
        low.iter().any(|l| l.subject == "partner-2020 · goals_clear" && l.text.contains("small groups")),
        "{low:?}"
    );
    assert!(low.iter().any(|l| l.subject == "partner-2020 · trust · pilot p13" && l.text.contains("(pilot p13)")));
    assert!(low.iter().all(|l| !l.subject.contains("below_why")), "free text has no figures to mislead");

    // Grouped by kind, in a fixed order, and the same every time.
    assert!(found.windows(2).all(|w| w[0].kind <= w[1].kind));
    assert_eq!(limitations(&input), found);
}

fn item(id: &str, n: u64, missing: u64) -> ItemTally {
    let stats = ItemStats::Scale { dont_know: None, counts: vec![], mean: None, median: None };
    ItemTally { id: id.into(), kind: "scale", n, missing, stats }
}

#[test]
fn low_n_rules_on_a_small_tally() {
    let t = Tally {
        survey: "s".into(),
        respondents: 40,
        items: vec![
            item("enough", 40, 0),
            item("few", 5, 2),
            item("round_two_only", 0, 0),
            item("nobody_answered", 0, 12),
            ItemTally { id: "comments".into(), kind: "text", n: 3, missing: 0, stats: ItemStats::Text },
            item("boundary", 10, 0),
        ],
        groups: Some(vec![GroupTally { value: "company".into(), respondents: 2, items: vec![item("enough", 2, 0)] }]),
    };
    let tallies = [SurveyTally { survey: "s", title: "Partner survey", filter: "", tally: &t }];
    let input =
        LimitationInput { tallies: &tallies, responses_per_pilot: &[], pilots: &[], maps: &[], interviews: &[] };
    let found = limitations(&input);
    let subjects: Vec<&str> = found.iter().map(|l| l.subject.as_str()).collect();
    assert_eq!(subjects, vec!["s · enough", "s · few", "s · nobody_answered"]);
    assert_eq!(found[0].text, "Partner survey: 'enough' has n = 40 overall but small groups: company n = 2");
    assert_eq!(found[1].text, "Partner survey: 'few' answered by n = 5, 2 asked left it empty");
}

fn interview(id: &str, at: &str, context: &str) -> Interview {
    Interview {
        id: id.into(),
        pilots: vec!["p1".into()],
        at: NaiveDateTime::parse_from_str(at, "%Y-%m-%d %H:%M").unwrap(),
        context: context.into(),
        interviewers: vec![],
        role: "partner".into(),
        org_type: "company".into(),
        round: "mid".into(),
        consent: Consent::Yes,
        name: Some("Maija Meikäläinen".into()),
        notes: String::new(),
    }
}

#[test]
fn special_contexts_are_limitations_other_contexts_go_to_the_appendix() {
    assert!(is_special_context("At COVID-19 onset"));
    assert!(is_special_context("right after the lay-offs"));
    assert!(is_special_context("pilot suspended last week"));
    assert!(!is_special_context("kick-off"));
    assert!(is_special_context("at COVID-19 onset: borders closing"));
    assert!(!is_special_context("disclosed figures"), "only word starts match");

    let interviews = vec![
        interview("i2", "2020-04-01 10:00", "during the pandemic"),
        interview("i1", "2019-03-01 10:00", "kick-off"),
        interview("i3", "2019-05-01 10:00", "  "),
    ];
    let appendix = context_appendix(&interviews);
    assert_eq!(
        appendix.iter().map(|n| (n.interview.as_str(), n.special)).collect::<Vec<_>>(),
        vec![("i1", false), ("i2", true)]
    );
    let input =
        LimitationInput { tallies: &[], responses_per_pilot: &[], pilots: &[], maps: &[], interviews: &interviews };
    let found = limitations(&input);
    assert_eq!(found.len(), 1);
    assert_eq!(found[0].subject, "i2");
    assert_eq!(
        found[0].text,
        "Interview with partner, company (p1) on 2020-04-01 was held during the pandemic: read it in that light"
    );
    assert!(
        !serde_json::to_string(&(found, appendix)).unwrap().contains("Meikäläinen"),
        "cited by role, never by name"
    );
}

#[test]
fn indicator_gaps_and_conflicts_on_a_small_map() {
    let d = |s: &str| s.parse().unwrap();
    let mut map = ImpactMap::new("p1");
    let obs = |value, source| Observation { value, as_of: d("2020-06-30"), source, note: String::new() };
    map.indicators.push(Indicator {
        id: 3,
        node: None,
        name: "Share employed".into(),
        definition: String::new(),
        unit: "%".into(),
        level: None,
        source: Source::NationalRegister,
        baseline: Some(DatedValue { value: 12.0, date: d("2019-03-01") }),
        target: None,
        observations: vec![
            obs(17.0, Source::NationalRegister),
            obs(17.5, Source::NationalRegister),
            obs(20.0, Source::Survey),
        ],
        funnel: None,
    });
    let maps = [map];
    let pilots = demo::pilots();
    let input =
        LimitationInput { tallies: &[], responses_per_pilot: &[], pilots: &pilots[..1], maps: &maps, interviews: &[] };
    let found = limitations(&input);
    let kinds: Vec<LimitationKind> = found.iter().map(|l| l.kind).collect();
    assert_eq!(
        kinds,
        vec![LimitationKind::NoResponses, LimitationKind::MissingBaselineOrTarget, LimitationKind::ConflictingValues]
    );
    assert_eq!(found[1].subject, "p1/3");
    assert_eq!(found[1].text, format!("{}: indicator 'Share employed' has no target", pilots[0].name));
    assert!(
        found[2].text.ends_with("as of 2020-06-30 (national register) is given as 17 and 17.5"),
        "{}",
        found[2].text
    );
}
