//! The demo evaluation: the 2019–2020 partnership-pilot portfolio, written from the
//! public reports. Every feature adds its demo content here, so `oppi --demo` always
//! shows the whole product with realistic data.

mod interviews;
mod maps;
mod objectives;
mod pilots;
pub mod surveys;
mod synthesis;
pub mod synthetic;
pub mod workshops;

use chrono::{NaiveDate, TimeZone, Utc};

use crate::domain::{ChangeEntry, ChangeWhat, Changeset, Evaluation, Phase};
use crate::store::Store;
pub use interviews::{codebook, interviews};
pub use maps::maps;
pub use objectives::objectives;
pub use pilots::pilots;

/// The demo synthesis citing data with these ids, for tests.
pub fn synthesis_for_tests(
    interviews: &[crate::domain::interview::Interview],
    objectives: &[crate::domain::objective::Objective],
    workshop: &crate::domain::workshop::Workshop,
) -> crate::domain::synthesis::Synthesis {
    synthesis::synthesis(interviews, objectives, workshop)
}

/// The demo workshop as the demo writes it (without its store id), for tests.
pub fn workshop_for_tests() -> crate::domain::workshop::Workshop {
    workshops::workshop()
}

fn d(s: &str) -> NaiveDate {
    s.parse().expect("demo dates are valid")
}

pub fn evaluation() -> Evaluation {
    Evaluation {
        title: "Developmental evaluation of the partnership pilots 2019–2020".into(),
        commissioner: "Ministry of Economic Affairs and Employment".into(),
        evaluators: vec!["Lead evaluator".into(), "Evaluator".into(), "Research assistant".into()],
        main_question: "What lessons do the pilots bring to the development of employment services, \
                        in line with their learning objectives?"
            .into(),
        sub_questions: vec![
            "How is customer-centricity realised as a principle, and what are its effects?".into(),
            "What works in purchasing services and in results-based procurement?".into(),
            "How do partnership models change the way TE services are organised?".into(),
            "Which practices are worth spreading nationally after the pilots end?".into(),
        ],
        themes: vec![
            "Customer-centricity".into(),
            "Purchasing and the service market".into(),
            "Results-based procurement".into(),
            "New ways of organising services".into(),
            "Cooperation and partnership models".into(),
            "Customer management and digital tools".into(),
            "Business services through multi-actor cooperation".into(),
        ],
        phases: vec![
            Phase { name: "Kick-off and impact logics".into(), start: d("2019-03-01"), end: d("2019-06-30") },
            Phase { name: "Initial interviews".into(), start: d("2019-08-01"), end: d("2019-12-31") },
            Phase { name: "Mid-term sense-making".into(), start: d("2020-01-01"), end: d("2020-06-30") },
            Phase { name: "Final round and synthesis".into(), start: d("2020-07-01"), end: d("2020-12-31") },
        ],
        ..Default::default()
    }
}

/// Writes the demo evaluation into an empty store, as `who`.
pub fn write(store: &Store, who: &str) -> crate::store::Result<()> {
    let pilots = pilots();
    // Reserve the ids the demo uses, so new pilots continue after them.
    for _ in &pilots {
        store.new_id("p")?;
    }
    let at = Utc.with_ymd_and_hms(2019, 3, 1, 9, 0, 0).unwrap();
    let mut log: Vec<ChangeEntry> = pilots
        .iter()
        .map(|p| ChangeEntry { at, who: who.into(), subject: p.id.clone(), what: ChangeWhat::Created })
        .collect();
    for p in &pilots {
        for pair in p.status_history.windows(2) {
            log.push(ChangeEntry {
                at: pair[1].since.and_hms_opt(10, 0, 0).unwrap().and_utc(),
                who: who.into(),
                subject: p.id.clone(),
                what: ChangeWhat::Edited {
                    changes: vec![crate::domain::Change {
                        field: "status".into(),
                        old: pair[0].status.label().into(),
                        new: pair[1].status.label().into(),
                    }],
                },
            });
        }
    }
    log.sort_by_key(|e| e.at);
    let maps = maps();
    let mut objectives = objectives();
    for o in &mut objectives {
        o.id = store.new_id("o")?;
    }
    let mut interviews = interviews::interviews();
    for i in &mut interviews {
        i.id = store.new_id("i")?;
    }
    let codebook = Some(interviews::codebook(&evaluation().themes));
    // The workshop's id is taken here rather than in `commit` (the same id either
    // way), so the synthesis can cite its items.
    let mut workshop = workshops::workshop();
    workshop.id = store.new_id("w")?;
    let synthesis = Some(synthesis::synthesis(&interviews, &objectives, &workshop));
    store.commit(Changeset {
        evaluation: Some(evaluation()),
        pilots,
        maps,
        objectives,
        interviews,
        codebook,
        synthesis,
        new_workshops: vec![workshop, workshops::upcoming()],
        log,
        ..Default::default()
    })?;
    let instruments = crate::surveys::built_in();
    for (id, responses) in surveys::responses() {
        let survey = instruments.iter().find(|s| s.id == id).expect("demo responses are to built-in surveys");
        store.import_responses(survey, responses)?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::PilotStatus;
    use crate::domain::evidence::EvidenceRef;
    use crate::domain::objective::MapTarget;

    #[test]
    fn demo_covers_the_statuses_the_brief_names() {
        let pilots = pilots();
        assert!(pilots.len() >= 15);
        assert!(pilots.iter().any(|p| p.status() == PilotStatus::Suspended));
        assert!(pilots.iter().any(|p| p.status() == PilotStatus::NoLongerPilot));
        assert!(pilots.iter().any(|p| p.alt_names.len() >= 2));
        assert!(pilots.iter().any(|p| p.target_group.len() >= 2));
    }

    #[test]
    fn demo_interviews_use_only_codebook_codes() {
        let book = codebook(&evaluation().themes);
        for i in interviews() {
            for p in i.paragraphs() {
                for c in &p.codes {
                    assert!(book.get(c).is_some(), "#{c} in {:?} is not in the codebook", i.context);
                }
            }
        }
    }

    #[test]
    fn demo_references_resolve() {
        let pilots = pilots();
        let maps = maps();
        assert!(maps.iter().any(|m| m.revisions.len() >= 2));
        for m in &maps {
            assert!(pilots.iter().any(|p| p.id == m.pilot));
        }
        for o in objectives() {
            assert!(pilots.iter().any(|p| p.id == o.pilot), "{}", o.question);
            let map = maps.iter().find(|m| m.pilot == o.pilot);
            for t in &o.targets {
                let map = map.expect("objective targets need a map");
                match t {
                    MapTarget::Node(n) => assert!(map.node(*n).is_some(), "node {n}"),
                    MapTarget::Link(l) => assert!(map.link(*l).is_some(), "link {l}"),
                }
            }
            for e in o.lessons.iter().flat_map(|l| &l.evidence) {
                if let EvidenceRef::Indicator { pilot, indicator } = e {
                    let map = maps.iter().find(|m| &m.pilot == pilot).unwrap();
                    let ind = map.indicators.iter().find(|i| i.id == *indicator).unwrap();
                    assert!(ind.funnel.is_none(), "the lesson cites the employment share");
                }
            }
        }
    }
}
