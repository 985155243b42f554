//! The demo evaluation: the 2019–2020 partnership-pilot portfolio, written from the
//! public reports. Every feature adds its demo content here, so `oppi --demo` always
//! shows the whole product with realistic data.

use chrono::{NaiveDate, TimeZone, Utc};

use crate::domain::{
    ChangeEntry, ChangeWhat, Changeset, Dated, DeliveryModel, Evaluation, Phase, Pilot, PilotKind, PilotStatus, StatusChange,
};
use crate::store::Store;

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
    }
}

struct Spec {
    name: &'static str,
    alt: &'static [&'static str],
    region: &'static str,
    kind: PilotKind,
    delivery: DeliveryModel,
    target: &'static [(&'static str, &'static str)],
    planned: Option<u32>,
    actual: Option<u32>,
    implementers: &'static [&'static str],
    partners: &'static [&'static str],
    referral: &'static str,
    fee: &'static str,
    providers: u32,
    statuses: &'static [(PilotStatus, &'static str, &'static str)],
}

use DeliveryModel::{OwnProcess, PartnershipNetwork, PurchasedService};
use PilotKind::{BusinessService, Employment};
use PilotStatus::{Active, Changed, Finished, NoLongerPilot, Suspended};

const START: &str = "2019-03-01";

const PILOTS: &[Spec] = &[
    Spec {
        name: "ICT-rekry",
        alt: &["ICT recruitment pilot"],
        region: "Pohjois-Pohjanmaa",
        kind: Employment,
        delivery: OwnProcess,
        target: &[(START, "ICT job seekers and employers looking for ICT skills")],
        planned: Some(400),
        actual: Some(350),
        implementers: &["Pohjois-Pohjanmaa TE office"],
        partners: &["Regional ICT forum", "City of Oulu", "University of Oulu"],
        referral: "Sector-based team inside the TE office; employers contact the team directly",
        fee: "Own staff; no purchased service",
        providers: 0,
        statuses: &[(Active, START, "")],
    },
    Spec {
        name: "Omavalmentaja",
        alt: &["Personal coach", "Oma valmentaja -palvelu"],
        region: "Uusimaa / Helsinki",
        kind: Employment,
        delivery: PurchasedService,
        target: &[
            (START, "Helsinki residents over 30 with 300+ days of unemployment subsidy"),
            ("2019-09-01", "Helsinki residents over 30 with 300+ days of subsidy, incl. those in rehabilitative work"),
        ],
        planned: Some(800),
        actual: Some(760),
        implementers: &["Uusimaa TE office", "City of Helsinki"],
        partners: &["Kela"],
        referral: "TE office selects and refers clients; coaches contact them within two weeks",
        fee: "Hourly fee at first, then a monthly fee or a result fee",
        providers: 2,
        statuses: &[(Active, START, ""), (Changed, "2019-09-01", "Fee model changed from hourly to monthly/result fee")],
    },
    Spec {
        name: "Palvelumanageri",
        alt: &["Service manager"],
        region: "Varsinais-Suomi",
        kind: Employment,
        delivery: PurchasedService,
        target: &[(START, "Clients far from the labour market with social or health needs")],
        planned: Some(450),
        actual: Some(430),
        implementers: &["Varsinais-Suomi TE office"],
        partners: &["Municipal social services"],
        referral: "TE office refers; service manager coordinates social, health and employment services",
        fee: "Result fee benchmarked against the client's pre-service situation",
        providers: 1,
        statuses: &[(Active, START, "")],
    },
    Spec {
        name: "Tehostettu työnvälitys",
        alt: &["Enhanced job brokerage"],
        region: "Varsinais-Suomi",
        kind: Employment,
        delivery: PurchasedService,
        target: &[(START, "No restriction: all job seekers of the region")],
        planned: Some(13000),
        actual: Some(8500),
        implementers: &["Varsinais-Suomi TE office"],
        partners: &[],
        referral: "Mass referral by the TE office; 13,000+ referred, about 8,500 started",
        fee: "Result fee only for employment of 90+ days at 80 %+ of full time",
        providers: 2,
        statuses: &[(Active, START, "")],
    },
    Spec {
        name: "Forssa region operating model",
        alt: &["Forssan seudun toimintamalli"],
        region: "Häme",
        kind: Employment,
        delivery: PurchasedService,
        target: &[(START, "Unemployed job seekers of the Forssa region")],
        planned: Some(700),
        actual: Some(640),
        implementers: &["Häme TE office", "Forssa region municipalities"],
        partners: &[],
        referral: "Joint referral by TE office and municipalities",
        fee: "Fixed fees plus result fees",
        providers: 2,
        statuses: &[(Active, START, "")],
    },
    Spec {
        name: "Sujuvat palvelupolut",
        alt: &["Smooth service paths"],
        region: "Häme",
        kind: Employment,
        delivery: PurchasedService,
        target: &[(START, "300 clients from 5 offices for labour-shortage sectors")],
        planned: Some(300),
        actual: Some(280),
        implementers: &["Häme TE office"],
        partners: &["Five local TE offices"],
        referral: "Offices refer clients towards labour-shortage sectors",
        fee: "Consortium contract with three providers",
        providers: 3,
        statuses: &[(Active, START, "")],
    },
    Spec {
        name: "AIMO multi-sector service",
        alt: &["AIMO"],
        region: "Etelä-Pohjanmaa / Seinäjoki",
        kind: Employment,
        delivery: PartnershipNetwork,
        target: &[(START, "All unemployment-subsidy recipients living in Seinäjoki")],
        planned: Some(2000),
        actual: Some(2100),
        implementers: &["City of Seinäjoki", "Etelä-Pohjanmaa TE office"],
        partners: &["Kela", "Sedu vocational college"],
        referral: "One-stop alliance: every eligible resident is served at one desk",
        fee: "Alliance agreement; no result fee",
        providers: 0,
        statuses: &[(Active, START, "")],
    },
    Spec {
        name: "Pirkanmaa TE service pilot",
        alt: &[],
        region: "Pirkanmaa",
        kind: Employment,
        delivery: PurchasedService,
        target: &[(START, "Job seekers in a weak labour-market position")],
        planned: Some(4000),
        actual: Some(4200),
        implementers: &["Pirkanmaa TE office"],
        partners: &[],
        referral: "About 4,200 referred into two large purchased packages",
        fee: "Two purchased packages",
        providers: 2,
        statuses: &[(Active, START, "")],
    },
    Spec {
        name: "Rekrytoiva Satakunta",
        alt: &["Recruiting Satakunta"],
        region: "Satakunta",
        kind: Employment,
        delivery: PurchasedService,
        target: &[(START, "Quickly employable clients")],
        planned: Some(500),
        actual: Some(420),
        implementers: &["Satakunta TE office"],
        partners: &[],
        referral: "TE office refers clients who could be employed quickly",
        fee: "One provider bought as extra capacity",
        providers: 1,
        statuses: &[(Active, START, "")],
    },
    Spec {
        name: "Kopakka job coaching",
        alt: &["Kopakka"],
        region: "Kainuu",
        kind: Employment,
        delivery: PurchasedService,
        target: &[(START, "Job seekers with work-capacity challenges")],
        planned: Some(1000),
        actual: Some(980),
        implementers: &["Kainuu TE office"],
        partners: &["Kainuu social and health services"],
        referral: "TE office refers; coaches assess work capacity first",
        fee: "Base fee per client plus result fee",
        providers: 2,
        statuses: &[(Active, START, ""), (Finished, "2020-12-31", "")],
    },
    Spec {
        name: "Pohjois-Savo challenge competition",
        alt: &["Haastekilpailu"],
        region: "Pohjois-Savo",
        kind: Employment,
        delivery: PurchasedService,
        target: &[(START, "Job seekers in a weaker labour-market position")],
        planned: None,
        actual: None,
        implementers: &["Pohjois-Savo TE office"],
        partners: &[],
        referral: "Design contest: 37 applications → 10 competitors → 3 winners + 2 mentions",
        fee: "Prize and development money, €2M in all",
        providers: 3,
        statuses: &[(Active, START, "")],
    },
    Spec {
        name: "Innorekry",
        alt: &[],
        region: "Pohjanmaa",
        kind: BusinessService,
        delivery: OwnProcess,
        target: &[(START, "SMEs in metal, primary production and ICT")],
        planned: Some(60),
        actual: Some(0),
        implementers: &["Pohjanmaa ELY centre"],
        partners: &["Regional development company"],
        referral: "SMEs apply for an innovation-recruitment voucher",
        fee: "Voucher model",
        providers: 0,
        statuses: &[(Active, START, ""), (Suspended, "2019-10-15", "The voucher model turned out not to be possible")],
    },
    Spec {
        name: "Talent Coastline",
        alt: &[],
        region: "Pohjanmaa",
        kind: BusinessService,
        delivery: PartnershipNetwork,
        target: &[(START, "International students and researchers (~1,200) and the firms that could hire them")],
        planned: Some(1200),
        actual: Some(1100),
        implementers: &["City of Vaasa"],
        partners: &["Universities of the region", "Pohjanmaa TE office"],
        referral: "Labour-immigration ecosystem; universities bring students in",
        fee: "Network funding",
        providers: 0,
        statuses: &[(Active, START, "")],
    },
    Spec {
        name: "Forest bioeconomy exports to Canada",
        alt: &["Metsäbiotalouden vientihanke"],
        region: "Pohjois-Karjala",
        kind: BusinessService,
        delivery: PartnershipNetwork,
        target: &[(START, "Forest bioeconomy firms seeking exports to Canada")],
        planned: Some(20),
        actual: Some(12),
        implementers: &["Pohjois-Karjala ELY centre"],
        partners: &["Business Finland"],
        referral: "Regional and national business services",
        fee: "Project funding",
        providers: 0,
        statuses: &[
            (Active, START, ""),
            (NoLongerPilot, "2020-02-01", "Sees itself as an ordinary export project, no longer as a pilot"),
        ],
    },
    Spec {
        name: "Yritysmagneetti",
        alt: &["Business magnet"],
        region: "Lappi",
        kind: BusinessService,
        delivery: PartnershipNetwork,
        target: &[(START, "300 firms in 5 municipalities")],
        planned: Some(300),
        actual: Some(300),
        implementers: &["Lappi TE office"],
        partners: &["Five municipalities"],
        referral: "Firms reached through municipal business services",
        fee: "Network funding; real-time customer-feedback app",
        providers: 0,
        statuses: &[(Active, START, "")],
    },
];

fn strings(list: &[&str]) -> Vec<String> {
    list.iter().map(|s| s.to_string()).collect()
}

/// The demo pilots, with ids `p1`…`pN` in table order.
pub fn pilots() -> Vec<Pilot> {
    PILOTS
        .iter()
        .enumerate()
        .map(|(i, s)| Pilot {
            id: format!("p{}", i + 1),
            name: s.name.into(),
            alt_names: strings(s.alt),
            region: s.region.into(),
            implementers: strings(s.implementers),
            partners: strings(s.partners),
            kind: s.kind,
            delivery: s.delivery,
            target_group: s.target.iter().map(|(since, v)| Dated { since: d(since), value: v.to_string() }).collect(),
            planned_participants: s.planned,
            actual_participants: s.actual,
            referral_model: s.referral.into(),
            fee_model: s.fee.into(),
            providers: s.providers,
            status_history: s
                .statuses
                .iter()
                .map(|(status, since, note)| StatusChange { status: *status, since: d(since), note: note.to_string() })
                .collect(),
            archived: false,
        })
        .collect()
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
    store.commit(Changeset { evaluation: Some(evaluation()), pilots, log }).map(drop)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn demo_covers_the_statuses_the_brief_names() {
        let pilots = pilots();
        assert!(pilots.len() >= 15);
        assert!(pilots.iter().any(|p| p.status() == PilotStatus::Suspended));
        assert!(pilots.iter().any(|p| p.status() == PilotStatus::NoLongerPilot));
        assert!(pilots.iter().any(|p| p.alt_names.len() >= 2));
        assert!(pilots.iter().any(|p| p.target_group.len() >= 2));
    }
}
