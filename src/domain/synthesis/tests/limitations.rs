use chrono::NaiveDateTime;

use super::demo_interviews;
use crate::demo;
use crate::domain::impact::ImpactMap;
use crate::domain::indicator::{DatedValue, Indicator, Observation, Source};
use crate::domain::interview::{Consent, Interview};
use crate::domain::survey::{GroupTally, ItemStats, ItemTally, Tally, TallyFilter, tally};
use crate::domain::synthesis::{
    Limitation, LimitationFact, LimitationInput, LimitationKind, SurveyTally, TallyScope, context_appendix,
    is_special_context, limitations,
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
        SurveyTally { survey: "partner-2020", title: &partner.title, pilot: None, round: None, tally: &by_org },
        SurveyTally { survey: "partner-2020", title: &partner.title, pilot: Some("p13"), round: None, tally: &talent },
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
    assert!(
        matches!(&conflicts[0].fact, LimitationFact::ConflictingValues { values, .. } if values == &[190.0, 90.0]),
        "{conflicts:?}"
    );

    // Omavalmentaja's work-ability indicator has a baseline but no target, the client
    // experience score neither; the employment share has both; funnel counts are not asked.
    let gaps = of(&found, LimitationKind::MissingBaselineOrTarget);
    assert_eq!(gaps.len(), 2, "{gaps:?}");
    assert!(
        matches!(&gaps[0].fact, LimitationFact::MissingBaselineOrTarget { indicator, baseline: false, target: true, .. }
        if indicator.contains("Self-rated work ability"))
    );
    assert!(
        matches!(&gaps[1].fact, LimitationFact::MissingBaselineOrTarget { baseline: true, target: true, .. }),
        "{:?}",
        gaps[1]
    );

    // Interviews at the COVID-19 onset, after layoffs and after the suspension decision.
    let special = of(&found, LimitationKind::SpecialContext);
    assert_eq!(special.len(), 4, "{special:?}");
    let context = |l: &Limitation| match &l.fact {
        LimitationFact::SpecialContext { context, .. } => context.clone(),
        other => panic!("{other:?}"),
    };
    assert!(context(special[0]).contains("after the suspension decision"), "by date: 2019-10 first");
    assert!(special.iter().filter(|l| context(l).contains("COVID-19 onset")).count() == 2);
    assert!(special.iter().all(|l| !context(l).contains("kick-off")));
    assert!(
        matches!(&special[1].fact, LimitationFact::SpecialContext { cited_as, pilots, .. }
            if cited_as == "service provider" && pilots == &["Omavalmentaja"]),
        "{:?}",
        special[1]
    );

    // Pilots no survey reached, in portfolio order, with their status when not active.
    let silent: Vec<&str> = of(&found, LimitationKind::NoResponses).iter().map(|l| l.subject.as_str()).collect();
    assert_eq!(silent, vec!["p4", "p6", "p8", "p9", "p11", "p12", "p14"]);
    assert!(matches!(
        of(&found, LimitationKind::NoResponses)[5].fact,
        LimitationFact::NoResponses { status: Some(crate::domain::PilotStatus::Suspended), .. }
    ));
    assert!(matches!(
        of(&found, LimitationKind::NoResponses)[0].fact,
        LimitationFact::NoResponses { status: None, .. }
    ));

    // Talent Coastline's 7 partners are too few; overall, the "other" organisations' group is.
    let low = of(&found, LimitationKind::LowN);
    assert!(
        low.iter()
            .any(|l| l.subject == "partner-2020 · goals_clear" && matches!(l.fact, LimitationFact::SmallGroups { .. })),
        "{low:?}"
    );
    let p13 = TallyScope { pilot: Some("p13".into()), round: None };
    assert!(low.iter().any(|l| l.subject == "partner-2020 · trust"
        && matches!(&l.fact, LimitationFact::LowN { scope, .. } if *scope == p13)));
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
    let tallies = [SurveyTally { survey: "s", title: "Partner survey", pilot: None, round: None, tally: &t }];
    let input =
        LimitationInput { tallies: &tallies, responses_per_pilot: &[], pilots: &[], maps: &[], interviews: &[] };
    let found = limitations(&input);
    let subjects: Vec<&str> = found.iter().map(|l| l.subject.as_str()).collect();
    assert_eq!(subjects, vec!["s · enough", "s · few", "s · nobody_answered"]);
    let all = TallyScope::default();
    assert_eq!(
        found[0].fact,
        LimitationFact::SmallGroups {
            survey: "Partner survey".into(),
            scope: all.clone(),
            item: "enough".into(),
            n: 40,
            groups: vec![("company".into(), 2)]
        }
    );
    assert_eq!(
        found[1].fact,
        LimitationFact::LowN { survey: "Partner survey".into(), scope: all, item: "few".into(), n: 5, missing: 2 }
    );
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
        found[0].fact,
        LimitationFact::SpecialContext {
            cited_as: "partner, company".into(),
            pilots: vec!["p1".into()],
            date: "2020-04-01".parse().unwrap(),
            context: "during the pandemic".into()
        }
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
    assert_eq!(
        found[1].fact,
        LimitationFact::MissingBaselineOrTarget {
            pilot: pilots[0].name.clone(),
            indicator: "Share employed".into(),
            baseline: false,
            target: true
        }
    );
    assert_eq!(
        found[2].fact,
        LimitationFact::ConflictingValues {
            pilot: pilots[0].name.clone(),
            indicator: "Share employed".into(),
            as_of: d("2020-06-30"),
            source: Source::NationalRegister,
            values: vec![17.0, 17.5]
        }
    );
}
