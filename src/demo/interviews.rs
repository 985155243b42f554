//! Demo interviews: kick-off, mid-term and final rounds across the portfolio, with
//! coded paragraphs and quotes. Wording is ours; the situations are the reports'.

use chrono::NaiveDateTime;

use crate::domain::codebook::Codebook;
use crate::domain::interview::{Consent, Interview};

fn at(s: &str) -> NaiveDateTime {
    NaiveDateTime::parse_from_str(s, "%Y-%m-%d %H:%M").expect("demo times are valid")
}

struct Spec {
    pilots: &'static [&'static str],
    at: &'static str,
    context: &'static str,
    role: &'static str,
    org: &'static str,
    round: &'static str,
    consent: Consent,
    notes: &'static str,
}

const INTERVIEWS: &[Spec] = &[
    Spec {
        pilots: &["p2"],
        at: "2019-04-03 09:00",
        context: "kick-off: impact logic workshop",
        role: "organiser",
        org: "TE office",
        round: "initial",
        consent: Consent::Yes,
        notes: "[00:02] The pilot was born from frustration: long-term unemployed clients saw a new official every few months. #customer-centricity\n\
                [00:09] One named coach for 12 months is the core idea; the coach is the client's, not the office's. #customer-centricity #clients-employability\n\
                [00:21] Hourly fees were chosen because nobody could price results yet. #results-based-procurement\n\
                > We want to learn whether continuity itself changes anything, or whether it is the coach's skill. #trust\n\
                [00:40] Baseline for employment share not agreed yet; register data only arrives with a six-month lag. #organising-te-services",
    },
    Spec {
        pilots: &["p2"],
        at: "2020-03-17 13:00",
        context: "at COVID-19 onset: offices closed the day before",
        role: "service provider",
        org: "service provider",
        round: "mid",
        consent: Consent::Yes,
        notes: "[00:03] All coaching moved to phone within two days; clients with no smartphone were hard to reach. #customer-management-and-digital-tools\n\
                > The relationship carried us: clients answered because they knew whose call it was. #trust #customer-centricity\n\
                [00:18] The switch to result fees in September changed whom we prioritised, honestly. #results-based-procurement #purchasing\n\
                [00:31] Referrals dried up as TE staff were moved to process layoffs. #organising-te-services",
    },
    Spec {
        pilots: &["p2", "p3"],
        at: "2020-11-24 10:00",
        context: "final round, remote",
        role: "TE office",
        org: "TE office",
        round: "final",
        consent: Consent::Partial,
        notes: "[00:05] Buying results needs a definition of employment agreed before the contract, not after. #results-based-procurement\n\
                > We learned to buy results rather than hours, but it took a year to agree what a result is. #purchasing #results-based-procurement\n\
                [00:22] Staff still do not see the provider's monitoring data; two systems, no link. #customer-management-and-digital-tools",
    },
    Spec {
        pilots: &["p4"],
        at: "2019-05-14 14:00",
        context: "kick-off",
        role: "organiser",
        org: "TE office",
        round: "initial",
        consent: Consent::Yes,
        notes: "[00:04] Mass referral: every job seeker of the region can be referred, 13,000 expected. #new-ways-of-organising-services\n\
                [00:12] The fee is paid only for 90+ days at 80 % of full time: we pay for lasting jobs. #results-based-procurement\n\
                > If we pay for short jobs we get short jobs. #result-fee",
    },
    Spec {
        pilots: &["p4"],
        at: "2020-06-09 09:30",
        context: "mid-term sense-making, after spring layoffs",
        role: "service provider",
        org: "service provider",
        round: "mid",
        consent: Consent::Yes,
        notes: "[00:06] Early reports counted clients who were already hired before we did anything. #result-fee #results-based-procurement\n\
                [00:15] With 8,500 started, personal contact is rationed; the funnel decides whom we call. #customer-centricity\n\
                > Nobody told us what happened to our proposals for the reporting template. #communication",
    },
    Spec {
        pilots: &["p7"],
        at: "2019-09-02 12:00",
        context: "kick-off of the alliance",
        role: "partner",
        org: "Kela",
        round: "initial",
        consent: Consent::Yes,
        notes: "[00:03] Kela, the city, the TE office and the college at one desk: the client tells the story once. #new-ways-of-organising-services #partnership-work\n\
                [00:14] Data cannot yet move between the partners; consent forms are the workaround. #customer-management-and-digital-tools\n\
                > Cooperation requires trust, and trust requires time we did not plan for. #trust #partnership-work",
    },
    Spec {
        pilots: &["p7"],
        at: "2020-09-15 10:00",
        context: "final round",
        role: "organiser",
        org: "municipality",
        round: "final",
        consent: Consent::Yes,
        notes: "[00:02] Partnership streamlines client processes: waiting between services fell. #cooperation-and-partnership-models #partnership-work\n\
                [00:10] The alliance needed a named coordinator; without one, meetings drifted. #cooperation-and-partnership-models\n\
                > Partnership must be led, it does not run itself. #partnership-work",
    },
    Spec {
        pilots: &["p12"],
        at: "2019-10-10 15:00",
        context: "after the suspension decision",
        role: "organiser",
        org: "TE office",
        round: "mid",
        consent: Consent::Yes,
        notes: "[00:04] The voucher model turned out not to be possible under the rules we had. #business-services-through-multi-actor-cooperation\n\
                > We should have reserved more time for planning before announcing anything to firms. #cooperation-and-partnership-models",
    },
    Spec {
        pilots: &["p15"],
        at: "2020-02-05 11:00",
        context: "mid-term",
        role: "partner",
        org: "company",
        round: "mid",
        consent: Consent::Yes,
        notes: "[00:03] The feedback app answers within a day; firms noticed. #customer-management-and-digital-tools #business-services-through-multi-actor-cooperation\n\
                > For once the authorities asked us first and acted on it. #communication #customer-centricity",
    },
    Spec {
        pilots: &["p13"],
        at: "2020-04-21 13:30",
        context: "at COVID-19 onset: borders closing",
        role: "partner",
        org: "education",
        round: "mid",
        consent: Consent::No,
        notes: "[00:05] International students left or stayed stuck; recruiting events moved online. #solving-labour-shortage\n\
                [00:16] Communication has to be continuous and repeated; one newsletter is not enough. #communication #cooperation-and-partnership-models",
    },
];

/// The codebook: the evaluation's themes and the lesson categories, plus sub-codes
/// the team added while coding.
pub fn codebook(themes: &[String]) -> Codebook {
    let mut book = Codebook::seeded(themes);
    for (name, parent, about) in [
        ("Trust", "cooperation-and-partnership-models", "Trust between partners, and between clients and staff"),
        ("Communication", "cooperation-and-partnership-models", "Whether information and feedback reached people"),
        ("Result fee", "results-based-procurement", "How result fees were defined and what they steered"),
    ] {
        book.add(name, Some(parent), about).expect("demo sub-codes are unique");
    }
    book
}

/// Interviews without ids; the store gives them ids when the demo is written.
pub fn interviews() -> Vec<Interview> {
    INTERVIEWS
        .iter()
        .map(|s| Interview {
            id: String::new(),
            pilots: s.pilots.iter().map(|p| p.to_string()).collect(),
            at: at(s.at),
            context: s.context.into(),
            interviewers: vec!["Lead evaluator".into()],
            role: s.role.into(),
            org_type: s.org.into(),
            round: s.round.into(),
            consent: s.consent,
            name: None,
            notes: s.notes.split('\n').map(str::trim).collect::<Vec<_>>().join("\n"),
        })
        .collect()
}
