//! The templates shipped in `surveys/workshops/` must always parse, refer only to
//! survey items that exist, and keep the shape their method prescribes.

use super::{at, setup};
use crate::domain::survey::Survey;
use crate::domain::workshop::{BUILT_IN, PhaseKind, Workshop, WorkshopTemplate};

fn catalogue() -> Vec<Survey> {
    let files = [
        ("client-2020.toml", include_str!("../../../../surveys/client-2020.toml")),
        ("partner-2020.toml", include_str!("../../../../surveys/partner-2020.toml")),
        ("pulse-monthly.toml", include_str!("../../../../surveys/pulse-monthly.toml")),
    ];
    files.iter().map(|(name, text)| Survey::parse(name, text).unwrap()).collect()
}

fn shipped(file: &str) -> WorkshopTemplate {
    let (_, text) = BUILT_IN.iter().find(|(name, _)| *name == file).unwrap();
    WorkshopTemplate::parse_checked(file, text, &catalogue())
        .unwrap_or_else(|errs| panic!("{file} does not parse:\n{}", errs.join("\n")))
}

fn kinds(t: &WorkshopTemplate) -> Vec<&'static str> {
    t.phases.iter().map(|p| p.kind.name()).collect()
}

#[test]
fn every_shipped_template_parses_and_is_named_after_its_file() {
    assert_eq!(BUILT_IN.len(), 5);
    for (file, _) in BUILT_IN {
        let t = shipped(file);
        assert_eq!(format!("{}.toml", t.name), *file);
        assert!(t.phases.iter().all(|p| !p.prompt.is_empty()));
    }
}

#[test]
fn every_shipped_template_can_run() {
    for (file, _) in BUILT_IN {
        let w = Workshop::new(setup(), &shipped(file), &catalogue(), at(0, 0)).unwrap();
        let json = serde_json::to_string(&w).unwrap();
        let back: Workshop = serde_json::from_str(&json).unwrap();
        assert_eq!(back, w, "{file} does not survive a JSON round trip");
    }
}

#[test]
fn learning_workshop_presents_reacts_votes_and_agrees_actions() {
    let t = shipped("learning-workshop.toml");
    assert_eq!(kinds(&t), ["discuss", "present", "write", "dot-vote", "actions", "discuss"]);
    let PhaseKind::Present { items } = &t.phases[1].kind else { unreachable!() };
    assert_eq!(items.len(), 6, "the six partnership lessons");
    assert!(items[0].starts_with("Cooperation requires trust"));
}

#[test]
fn one_two_four_all_runs_one_two_four_five_minutes() {
    let t = shipped("1-2-4-all.toml");
    let minutes: Vec<u32> = t.phases.iter().map(|p| p.minutes).collect();
    assert_eq!(minutes, [1, 2, 4, 5]);
}

#[test]
fn what_so_what_now_what_ranks_the_proposed_steps() {
    let t = shipped("what-so-what-now-what.toml");
    assert_eq!(kinds(&t), ["write", "cluster", "write", "write", "rank", "actions"]);
    assert_eq!(t.phases[4].kind, PhaseKind::Rank { options: vec![] });
}

#[test]
fn most_significant_change_records_a_reason_with_each_vote() {
    let t = shipped("most-significant-change.toml");
    let vote = t.phases.iter().find_map(|p| match p.kind {
        PhaseKind::DotVote(rules) => Some(rules),
        _ => None,
    });
    let rules = vote.expect("a selection round");
    assert!(rules.reason && !rules.anonymous && rules.dots == 1);
}

#[test]
fn mid_term_review_polls_the_partner_survey() {
    let t = shipped("mid-term-review.toml");
    let refs = t.survey_refs();
    assert!(refs.iter().all(|r| r.survey == "partner-2020"));
    assert!(refs.iter().any(|r| r.item == "trust"));
}

#[test]
fn templates_survive_a_json_round_trip() {
    for (file, _) in BUILT_IN {
        let t = shipped(file);
        let back: WorkshopTemplate = serde_json::from_str(&serde_json::to_string(&t).unwrap()).unwrap();
        assert_eq!(back, t);
    }
}
