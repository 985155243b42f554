//! Demo impact maps. Omavalmentaja's map was revised when its target group and fee
//! model changed (two revisions); Tehostettu työnvälitys and Rekrytoiva Satakunta carry
//! client funnels, the latter with the finishers figure the reports gave twice (190 / 90).

use super::d;
use crate::domain::impact::{Assumption, AssumptionStatus, ImpactMap, Level, NodeId};
use crate::domain::indicator::{DatedValue, Indicator, Observation, Source, Stage};

fn assumption(text: &str, status: AssumptionStatus) -> Assumption {
    Assumption { text: text.into(), status, evidence: vec![] }
}

fn observe(ind: &mut Indicator, value: f64, as_of: &str, source: Source) {
    ind.observations.push(Observation { value, as_of: d(as_of), source, note: String::new() });
}

fn indicator(map: &mut ImpactMap, node: Option<NodeId>, name: &str, unit: &str, source: Source) -> Indicator {
    Indicator {
        id: map.take_id(),
        node,
        name: name.into(),
        definition: String::new(),
        unit: unit.into(),
        level: None,
        source,
        baseline: None,
        target: None,
        observations: vec![],
        funnel: None,
    }
}

fn funnel(map: &mut ImpactMap, counts: &[(Stage, f64, &str, Source)]) {
    for &(stage, value, as_of, source) in counts {
        let existing = map.indicators.iter().position(|i| i.funnel == Some(stage));
        let i = match existing {
            Some(i) => i,
            None => {
                let ind = stage.indicator(map.take_id());
                map.indicators.push(ind);
                map.indicators.len() - 1
            }
        };
        observe(&mut map.indicators[i], value, as_of, source);
    }
}

fn omavalmentaja() -> ImpactMap {
    let mut m = ImpactMap::new("p2");
    let add = |m: &mut ImpactMap, layer, text: &str, level| {
        let id = m.add_node(layer, text, None).expect("demo node");
        m.edit_node(id, text, level, "").expect("demo node");
        id
    };
    let problem = add(
        &mut m,
        0,
        "Long-term unemployed Helsinki residents over 30 lack individual, continuous support",
        Some(Level::Client),
    );
    let providers = add(&mut m, 1, "Two coaching providers (P1, P2), hourly fee", None);
    let referrals = add(&mut m, 1, "TE office staff time for selecting and referring clients", None);
    let coaching = add(&mut m, 2, "12 months of personal coaching: one named coach per client", Some(Level::Client));
    let clients = add(&mut m, 3, "About 800 clients coached", Some(Level::Client));
    let satisfaction = add(&mut m, 3, "Clients satisfied with their coach", Some(Level::Client));
    let ability = add(&mut m, 4, "Clients' motivation and work ability improve", Some(Level::Client));
    let employed = add(&mut m, 4, "Clients find work or training", Some(Level::Client));
    let impact = add(&mut m, 5, "Fewer long-term unemployed in Helsinki", Some(Level::System));
    let l1 = m
        .add_link(problem, coaching, "If the lack of support is the problem, then one coach per client addresses it")
        .unwrap();
    m.add_link(providers, coaching, "Purchased capacity lets coaches carry small caseloads").unwrap();
    m.add_link(referrals, clients, "").unwrap();
    let l4 = m
        .add_link(coaching, ability, "If each client meets one coach regularly, then trust and motivation grow")
        .unwrap();
    m.add_link(coaching, clients, "").unwrap();
    m.add_link(coaching, satisfaction, "").unwrap();
    m.add_link(ability, employed, "If motivation and work ability improve, then clients find work").unwrap();
    m.add_link(employed, impact, "").unwrap();
    m.link_mut(l1)
        .unwrap()
        .assumptions
        .push(assumption("Clients referred after 300+ days still want individual coaching", AssumptionStatus::Holding));
    let link = m.link_mut(l4).unwrap();
    link.assumptions.push(assumption("Clients attend coaching regularly for 12 months", AssumptionStatus::Holding));
    link.assumptions.push(assumption("Providers can recruit and keep skilled coaches", AssumptionStatus::Untested));
    m.freeze("plan 2019-03", d("2019-03-15")).unwrap();

    // September 2019: the target group widened, the fee moved from hourly to monthly or
    // result-based, and 12 months of follow-up were added.
    m.edit_node(providers, "Two coaching providers (P1, P2), monthly or result fee", None, "Changed 2019-09").unwrap();
    m.edit_node(
        problem,
        "Long-term unemployed Helsinki residents over 30, incl. those in rehabilitative work, lack continuous support",
        Some(Level::Client),
        "",
    )
    .unwrap();
    let follow_up = m.add_node(2, "12 months of follow-up after the coaching", Some(coaching)).unwrap();
    m.add_link(follow_up, employed, "If support continues after placement, then jobs last").unwrap();
    let learning = add(&mut m, 4, "TE office learns to buy results rather than hours", Some(Level::Organisation));
    m.add_link(providers, learning, "").unwrap();
    let fee = m.links.iter().position(|l| l.from == providers && l.to == coaching).unwrap();
    m.links[fee].assumptions.push(assumption(
        "A result fee does not lead providers to favour the easiest clients",
        AssumptionStatus::Broken,
    ));
    m.freeze("redefined 2019-09", d("2019-09-20")).unwrap();

    let mut share =
        indicator(&mut m, Some(employed), "Share employed 6 months after coaching", "%", Source::NationalRegister);
    share.definition = "Clients in open-market employment 6 months after the end of coaching, per started".into();
    share.level = Some(Level::Client);
    share.baseline = Some(DatedValue { value: 12.0, date: d("2019-03-01") });
    share.target = Some(DatedValue { value: 25.0, date: d("2020-12-31") });
    observe(&mut share, 17.0, "2020-06-30", Source::NationalRegister);
    m.indicators.push(share);
    let mut work = indicator(&mut m, Some(ability), "Self-rated work ability (0–10)", "mean, 0–10", Source::Survey);
    work.level = Some(Level::Client);
    work.baseline = Some(DatedValue { value: 5.8, date: d("2019-10-01") });
    observe(&mut work, 6.4, "2020-09-30", Source::Survey);
    m.indicators.push(work);
    let mut sat = indicator(&mut m, Some(satisfaction), "Client experience score (1–5)", "mean, 1–5", Source::Survey);
    observe(&mut sat, 4.23, "2020-09-30", Source::Survey);
    m.indicators.push(sat);
    funnel(
        &mut m,
        &[
            (Stage::Referred, 820.0, "2020-06-30", Source::PilotMonitoring),
            (Stage::Started, 760.0, "2020-06-30", Source::PilotMonitoring),
            (Stage::DroppedOut, 95.0, "2020-06-30", Source::ProviderReport),
            (Stage::Finished, 510.0, "2020-06-30", Source::ProviderReport),
            (Stage::Employed, 150.0, "2020-06-30", Source::ProviderReport),
        ],
    );
    m
}

fn tehostettu() -> ImpactMap {
    let mut m = ImpactMap::new("p4");
    let need = m.add_node(0, "Job seekers of the region wait too long for a job offer", None).unwrap();
    let fee = m.add_node(1, "Result fee only for 90+ days of employment at 80 %+ of full time", None).unwrap();
    let brokerage = m.add_node(2, "Providers broker jobs to referred clients", None).unwrap();
    let referred = m.add_node(3, "13,000+ clients referred", None).unwrap();
    let jobs = m.add_node(4, "Clients in lasting employment", None).unwrap();
    m.add_link(need, brokerage, "If providers are paid for lasting jobs, they broker lasting jobs").unwrap();
    m.add_link(fee, brokerage, "").unwrap();
    m.add_link(brokerage, referred, "").unwrap();
    m.add_link(brokerage, jobs, "").unwrap();
    funnel(
        &mut m,
        &[
            (Stage::Referred, 13_000.0, "2020-10-31", Source::PilotMonitoring),
            (Stage::Started, 8_500.0, "2020-10-31", Source::PilotMonitoring),
            (Stage::Employed, 2_100.0, "2020-10-31", Source::ProviderReport),
            (Stage::EmployedFeeEligible, 1_350.0, "2020-10-31", Source::ProviderReport),
            (Stage::EmployedAlreadyHired, 240.0, "2020-10-31", Source::ProviderReport),
        ],
    );
    m
}

fn satakunta() -> ImpactMap {
    let mut m = ImpactMap::new("p9");
    let capacity = m.add_node(1, "One provider bought as extra capacity", None).unwrap();
    let placement = m.add_node(2, "Fast placement of quickly employable clients", None).unwrap();
    m.add_link(capacity, placement, "").unwrap();
    funnel(
        &mut m,
        &[
            (Stage::Referred, 500.0, "2020-06-30", Source::PilotMonitoring),
            (Stage::Started, 420.0, "2020-06-30", Source::PilotMonitoring),
            // The same provider report, as cited in the text and in a table.
            (Stage::Finished, 190.0, "2020-06-30", Source::ProviderReport),
            (Stage::Finished, 90.0, "2020-06-30", Source::ProviderReport),
        ],
    );
    m
}

pub fn maps() -> Vec<ImpactMap> {
    vec![omavalmentaja(), tehostettu(), satakunta()]
}
