//! Demo learning objectives and lessons, one or two per pilot where the reports give them.

use super::d;
use crate::domain::evidence::EvidenceRef;
use crate::domain::objective::{MapTarget, Objective, ObjectiveStatus};

fn objective(pilot: &str, question: &str, theme: &str) -> Objective {
    Objective::new(String::new(), pilot, question, theme).expect("demo objective")
}

/// Objectives without ids; [`super::write`] gives them ids from the store.
pub fn objectives() -> Vec<Objective> {
    let mut coach = objective(
        "p2",
        "How is customer-centricity realised as a principle, and what are its effects?",
        "Customer-centricity",
    );
    coach.targets.push(MapTarget::Node(4));
    coach
        .add_lesson(
            "Weekly contact with one named coach builds the trust that clients said earlier services lacked",
            d("2020-02-14"),
            vec![EvidenceRef::Indicator { pilot: "p2".into(), indicator: 22 }],
        )
        .unwrap();
    let mut fee = objective(
        "p2",
        "Does moving from an hourly fee to a monthly or result fee change what providers do?",
        "Results-based procurement",
    );
    fee.targets.push(MapTarget::Link(11));
    let mut lasting = objective(
        "p4",
        "Does paying only for 90+ days of employment steer providers towards lasting jobs?",
        "Results-based procurement",
    );
    lasting
        .add_lesson(
            "Clients already hired before any action were counted in early reports: define 'employed' before paying for it",
            d("2020-06-10"),
            vec![EvidenceRef::Document { title: "Provider report, spring 2020".into() }],
        )
        .unwrap();
    let mut aimo = objective(
        "p7",
        "What does a one-stop alliance of Kela, the city, the TE office and the college change for clients?",
        "New ways of organising services",
    );
    aimo.add_lesson("Partnership streamlines client processes", d("2020-09-01"), vec![]).unwrap();
    aimo.add_lesson("Partnership must be led: the alliance needed a named coordinator", d("2020-09-01"), vec![])
        .unwrap();
    aimo.status = ObjectiveStatus::Answered;
    let mut inno = objective(
        "p12",
        "Can an innovation-recruitment voucher bring SMEs and highly educated job seekers together?",
        "Business services through multi-actor cooperation",
    );
    inno.add_lesson(
        "The voucher model was not possible under state-aid rules; the pilot was suspended",
        d("2019-10-15"),
        vec![],
    )
    .unwrap();
    inno.status = ObjectiveStatus::Dropped;
    let magnet = objective(
        "p15",
        "Does real-time customer feedback change how business services are run?",
        "Customer management and digital tools",
    );
    let talent = objective(
        "p13",
        "What keeps international students and researchers in the region after graduation?",
        "Cooperation and partnership models",
    );
    vec![coach, fee, lasting, aimo, inno, magnet, talent]
}
