//! The demo synthesis: findings by cross-pilot theme written What? / So what? / Now
//! what?, numbered recommendations with addressees and follow-up actions, and
//! conclusions for the main question and every sub-question. The substance is the
//! reports'; the wording is ours.
//!
//! Evidence is looked up in the demo data by content (an interview by its context, a
//! paragraph by a phrase in it, a lesson by its statement, a workshop item by its
//! text), never by a guessed id, so the citations follow the data wherever the store
//! numbers it.

use chrono::NaiveDate;

use crate::domain::Id;
use crate::domain::evidence::EvidenceRef;
use crate::domain::interview::Interview;
use crate::domain::objective::Objective;
use crate::domain::synthesis::{
    ActionStatus, FindingDraft, Priority, QuestionRef, RecommendationDraft, Scope, Synthesis, Voice,
};
use crate::domain::workshop::Workshop;

fn d(s: &str) -> NaiveDate {
    s.parse().expect("demo dates are valid")
}

/// The data the synthesis cites, with the ids the store gave it.
struct Data<'a> {
    interviews: &'a [Interview],
    objectives: &'a [Objective],
    workshop: &'a Workshop,
}

impl Data<'_> {
    /// The paragraph of the interview held in `context` (exactly, else the first whose
    /// context starts so) that contains `phrase`: a
    /// `Quote` when it is marked as one, a `Segment` otherwise.
    fn said(&self, context: &str, phrase: &str) -> EvidenceRef {
        let i = self
            .interviews
            .iter()
            .find(|i| i.context == context)
            .or_else(|| self.interviews.iter().find(|i| i.context.starts_with(context)))
            .unwrap_or_else(|| panic!("no demo interview '{context}'"));
        let p = i
            .paragraphs()
            .into_iter()
            .find(|p| p.text.contains(phrase))
            .unwrap_or_else(|| panic!("interview '{context}' has no paragraph with '{phrase}'"));
        if p.quote {
            EvidenceRef::Quote { interview: i.id.clone(), paragraph: p.number }
        } else {
            EvidenceRef::Segment { interview: i.id.clone(), paragraph: p.number }
        }
    }

    /// The lesson starting with `statement` of the objective starting with `question`.
    fn lesson(&self, question: &str, statement: &str) -> EvidenceRef {
        let o = self
            .objectives
            .iter()
            .find(|o| o.question.starts_with(question))
            .unwrap_or_else(|| panic!("no demo objective '{question}'"));
        let l = o
            .lessons
            .iter()
            .find(|l| l.statement.starts_with(statement))
            .unwrap_or_else(|| panic!("objective '{question}' has no lesson '{statement}'"));
        EvidenceRef::Lesson { objective: o.id.clone(), lesson: l.id }
    }

    /// The workshop item whose text starts with `text`.
    fn workshop_item(&self, text: &str) -> EvidenceRef {
        let item = self
            .workshop
            .items
            .iter()
            .find(|i| i.text.starts_with(text))
            .unwrap_or_else(|| panic!("the demo workshop has no item '{text}'"));
        self.workshop.evidence_ref(item.id)
    }
}

fn partner(item: &str, pilot: Option<&str>) -> EvidenceRef {
    EvidenceRef::Tally { survey: "partner-2020".into(), item: item.into(), pilot: pilot.map(String::from), round: None }
}

fn client(item: &str, round: Option<u32>) -> EvidenceRef {
    EvidenceRef::Tally { survey: "client-2020".into(), item: item.into(), pilot: None, round }
}

fn doc(title: &str) -> EvidenceRef {
    EvidenceRef::Document { title: title.into() }
}

struct F {
    theme: &'static str,
    what: &'static str,
    so_what: &'static str,
    now_what: &'static str,
    scope: Scope,
    voice: Voice,
    pilots: &'static [&'static str],
}

fn finding(s: &mut Synthesis, f: F, evidence: Vec<EvidenceRef>) -> Id {
    let id = s
        .add_finding(FindingDraft {
            theme: f.theme.into(),
            what: f.what.into(),
            so_what: f.so_what.into(),
            now_what: f.now_what.into(),
            scope: f.scope,
            voice: f.voice,
            pilots: f.pilots.iter().map(|p| p.to_string()).collect(),
        })
        .expect("demo findings are complete");
    for e in evidence {
        s.add_evidence(&id, e).expect("demo evidence is cited once");
    }
    id
}

fn recommendation(
    s: &mut Synthesis,
    text: &str,
    rationale: &str,
    findings: &[&Id],
    addressee: &str,
    priority: Priority,
) -> Id {
    s.add_recommendation(RecommendationDraft {
        text: text.into(),
        rationale: rationale.into(),
        findings: findings.iter().map(|f| (*f).clone()).collect(),
        addressee: addressee.into(),
        priority,
    })
    .expect("demo recommendations link existing findings")
}

/// The synthesis, citing `interviews`, `objectives` and `workshop` with the ids the
/// store gave them (see [`super::write`]).
pub fn synthesis(interviews: &[Interview], objectives: &[Objective], workshop: &Workshop) -> Synthesis {
    let data = Data { interviews, objectives, workshop };
    let mut s = Synthesis::new();

    // Customer-centricity.
    let continuity = finding(
        &mut s,
        F {
            theme: "customer-centricity",
            what: "Clients of long standing valued one named coach over a year more than any single service: \
                   the relationship kept contact alive even when offices closed.",
            so_what: "Continuity is a service in its own right; the rotation of officials that the pilots \
                      replaced was itself a cause of drift.",
            now_what: "Test a named contact person for long-term unemployed clients in the regular TE service.",
            scope: Scope::National,
            voice: Voice::Evaluator,
            pilots: &["p2", "p7"],
        },
        vec![
            data.said("kick-off: impact logic", "new official every few months"),
            data.said("at COVID-19 onset: offices closed", "The relationship carried us"),
            data.lesson("How is customer-centricity realised", "Weekly contact with one named coach"),
            client("coach_helpful", Some(2)),
            client("satisfaction", None),
        ],
    );
    let rationed = finding(
        &mut s,
        F {
            theme: "customer-centricity",
            what: "At mass scale, personal contact was rationed: the funnel, not the client's situation, decided \
                   whom providers called.",
            so_what: "Customer-centricity as a principle does not survive volume without a rule for who gets \
                      personal time.",
            now_what: "Agree in the contract which clients are entitled to personal contact and how often.",
            scope: Scope::Local("p4".into()),
            voice: Voice::Evaluator,
            pilots: &["p4"],
        },
        vec![data.said("mid-term sense-making", "personal contact is rationed"), client("motivation", Some(1))],
    );

    // Results-based procurement.
    let define_result = finding(
        &mut s,
        F {
            theme: "results-based-procurement",
            what: "Result fees were paid before 'employed' had been defined: early reports counted clients \
                   already hired before any action.",
            so_what: "A result fee steers towards whatever the definition rewards; an undefined result rewards \
                      luck and creaming.",
            now_what: "Fix the definition of a paid result (duration, working time, attribution) before the \
                       contract is signed.",
            scope: Scope::National,
            voice: Voice::Evaluator,
            pilots: &["p2", "p4"],
        },
        vec![
            data.said("mid-term sense-making", "already hired before we did anything"),
            data.said("final round, remote", "definition of employment agreed before the contract"),
            data.said("final round, remote", "buy results rather than hours"),
            data.lesson("Does paying only for 90+ days", "Clients already hired before any action"),
            doc("Provider report, spring 2020"),
        ],
    );
    let lasting = finding(
        &mut s,
        F {
            theme: "results-based-procurement",
            what: "Paying only for employment of 90+ days at 80 % or more of full time was meant to buy lasting \
                   jobs rather than short ones.",
            so_what: "The pilots themselves saw the threshold as the key design choice; whether it worked cannot \
                      be shown without a comparison group.",
            now_what: "Follow the employed clients in the register for twelve months and compare with a \
                       matched group.",
            scope: Scope::Local("p4".into()),
            voice: Voice::Pilots,
            pilots: &["p4"],
        },
        vec![
            data.said("kick-off", "only for 90+ days"),
            data.said("kick-off", "If we pay for short jobs"),
            client("employed_now", Some(2)),
        ],
    );
    let fee_switch = finding(
        &mut s,
        F {
            theme: "purchasing",
            what: "Moving from hourly to result fees changed whom providers prioritised.",
            so_what: "Fee models are not neutral accounting: they redistribute effort between clients.",
            now_what: "Watch the clients a fee model makes unattractive, and price them separately.",
            scope: Scope::Local("p2".into()),
            voice: Voice::Evaluator,
            pilots: &["p2"],
        },
        vec![
            data.said("kick-off: impact logic", "Hourly fees were chosen"),
            data.said("at COVID-19 onset: offices closed", "switch to result fees"),
        ],
    );

    // New ways of organising services.
    let one_desk = finding(
        &mut s,
        F {
            theme: "new-ways-of-organising-services",
            what: "A one-stop alliance of Kela, the city, the TE office and the college let clients tell their \
                   story once; waiting between services fell.",
            so_what: "Partnership streamlines client processes, but only where data can follow the client: \
                      consent forms were the workaround.",
            now_what: "Resolve data sharing between partners before the next alliances start.",
            scope: Scope::Local("p7".into()),
            voice: Voice::Pilots,
            pilots: &["p7"],
        },
        vec![
            data.said("kick-off of the alliance", "at one desk"),
            data.said("kick-off of the alliance", "Data cannot yet move"),
            data.said("final round", "waiting between services fell"),
            data.lesson("What does a one-stop alliance", "Partnership streamlines client processes"),
            data.workshop_item("Partnership streamlines client processes"),
        ],
    );
    let referrals = finding(
        &mut s,
        F {
            theme: "organising-te-services",
            what: "When TE staff were moved to process layoffs, referrals to the pilots dried up within weeks.",
            so_what: "Pilots that depend on TE-office referrals inherit every shock to the office's capacity.",
            now_what: "Plan a referral route that does not rest on TE staff alone.",
            scope: Scope::National,
            voice: Voice::Evaluator,
            pilots: &["p2"],
        },
        vec![
            data.said("at COVID-19 onset: offices closed", "Referrals dried up"),
            data.workshop_item("Front-line staff need time"),
        ],
    );

    // Cooperation and partnership models.
    let led = finding(
        &mut s,
        F {
            theme: "cooperation-and-partnership-models",
            what: "Partnerships needed a named coordinator and time reserved for planning; without them, \
                   meetings drifted and announcements came too early.",
            so_what: "A partnership is a piece of work that has to be led and staffed, not a by-product of \
                      good will.",
            now_what: "Name a partnership coordinator per region and reserve staff hours for the partnership.",
            scope: Scope::National,
            voice: Voice::Evaluator,
            pilots: &["p7", "p12"],
        },
        vec![
            data.said("final round", "named coordinator"),
            data.said("final round", "Partnership must be led"),
            data.said("after the suspension decision", "reserved more time for planning"),
            data.lesson("What does a one-stop alliance", "Partnership must be led"),
            data.workshop_item("Partnership must be led"),
            partner("practical_smooth", None),
        ],
    );
    let trust = finding(
        &mut s,
        F {
            theme: "trust",
            what: "Partners agreed that cooperation requires trust, and that trust took longer than planned; \
                   TE-office staff named staff time, not trust, as their bottleneck.",
            so_what: "The same lesson reads differently by organisation type: the disagreement is a finding, \
                      not noise to average away.",
            now_what: "Report partner views by organisation type, and budget both trust-building and staff time.",
            scope: Scope::National,
            voice: Voice::Pilots,
            pilots: &["p7", "p2"],
        },
        vec![
            data.said("kick-off of the alliance", "Cooperation requires trust"),
            data.workshop_item("Cooperation requires trust"),
            partner("trust", None),
            partner("goals_clear", None),
            partner("goals_clear", Some("p7")),
        ],
    );
    let communication = finding(
        &mut s,
        F {
            theme: "communication",
            what: "Providers never learned what became of their proposals; partners said one newsletter is not \
                   enough and communication has to be repeated.",
            so_what: "Feedback that disappears teaches people to stop giving it.",
            now_what: "Close every consultation loop: record and report what happened to each comment.",
            scope: Scope::National,
            voice: Voice::Evaluator,
            pilots: &["p4", "p13", "p15"],
        },
        vec![
            data.said("mid-term sense-making", "Nobody told us"),
            data.said("at COVID-19 onset: borders closing", "continuous and repeated"),
            data.said("mid-term", "authorities asked us first"),
            data.workshop_item("Communication must be continuous"),
        ],
    );

    // Customer management and digital tools.
    let two_systems = finding(
        &mut s,
        F {
            theme: "customer-management-and-digital-tools",
            what: "TE staff could not see the providers' monitoring data: two systems, no link. Coaching moved \
                   to the phone within two days of the COVID-19 onset, leaving clients without a smartphone out.",
            so_what: "The pilots' monitoring went unused partly because it never reached the people who refer \
                      clients; digital channels widen access for some and close it for others.",
            now_what: "Connect provider monitoring to the TE client system, and keep a non-digital route.",
            scope: Scope::National,
            voice: Voice::Evaluator,
            pilots: &["p2", "p3"],
        },
        vec![
            data.said("final round, remote", "two systems, no link"),
            data.said("at COVID-19 onset: offices closed", "moved to phone"),
            client("service_mode", None),
        ],
    );

    // Business services through multi-actor cooperation.
    let firms = finding(
        &mut s,
        F {
            theme: "business-services-through-multi-actor-cooperation",
            what: "Firms noticed when authorities answered within a day and acted on their feedback; an \
                   innovation voucher for SMEs was not possible under the rules and its pilot was suspended.",
            so_what: "Business services win firms with speed and one door; a model that has not been checked \
                      against state-aid rules can cost a pilot its first year.",
            now_what: "Check funding models against state-aid rules before a pilot is announced to firms.",
            scope: Scope::National,
            voice: Voice::Evaluator,
            pilots: &["p15", "p12"],
        },
        vec![
            data.said("mid-term", "feedback app answers within a day"),
            data.said("after the suspension decision", "voucher model"),
            data.lesson("Can an innovation-recruitment voucher", "The voucher model was not possible"),
            data.workshop_item("Firms want one door"),
        ],
    );

    // Recommendations, in report order.
    let r1 = recommendation(
        &mut s,
        "Agree the definition of a paid result, its baseline and its target before a results-based contract \
         is signed.",
        "Undefined results were paid for clients already employed; the definition steered providers more than \
         the fee level.",
        &[&define_result, &lasting, &fee_switch],
        "Ministry; TE offices as buyers",
        Priority::High,
    );
    let r2 = recommendation(
        &mut s,
        "Give long-term unemployed clients one named contact person for the whole service period.",
        "Continuity carried clients through the COVID-19 onset; mass services rationed personal contact.",
        &[&continuity, &rationed],
        "TE offices",
        Priority::High,
    );
    let r3 = recommendation(
        &mut s,
        "Lead partnerships: name a coordinator per region and reserve staff time for the partnership.",
        "Partnerships without a coordinator drifted; TE staff named time, not trust, as the bottleneck.",
        &[&led, &trust, &referrals],
        "Regional ELY centres; TE office managers",
        Priority::Medium,
    );
    let r4 = recommendation(
        &mut s,
        "Let client data follow the client between partners and from providers to the TE office.",
        "Consent forms were the workaround in the alliance; TE staff could not see provider monitoring.",
        &[&one_desk, &two_systems],
        "Ministry; KEHA centre",
        Priority::Medium,
    );
    let r5 = recommendation(
        &mut s,
        "Close the feedback loop: tell every provider and partner what became of their proposals.",
        "Providers never learned whether their input was considered.",
        &[&communication],
        "Evaluators; pilot organisers",
        Priority::Medium,
    );
    let r6 = recommendation(
        &mut s,
        "Check business-service funding models against state-aid rules before announcing a pilot.",
        "A voucher model that could not be used cost one pilot its start.",
        &[&firms],
        "Ministry",
        Priority::Low,
    );

    let act = |s: &mut Synthesis, r: &Id, text: &str, owner: &str, due: &str| -> Id {
        s.add_action(r, text, owner, Some(d(due))).expect("demo actions are complete")
    };
    act(&mut s, &r1, "Draft a model contract clause defining a paid employment result", "Ministry", "2021-03-31");
    let a = act(
        &mut s,
        &r1,
        "Agree baselines for the employment share with each result-fee pilot",
        "TE offices",
        "2021-01-31",
    );
    s.track_action(&a, ActionStatus::InProgress, "Baselines agreed with two of four pilots").unwrap();
    act(&mut s, &r2, "Pilot a named-contact model in two TE offices", "TE office managers", "2021-06-30");
    let a = act(
        &mut s,
        &r3,
        "Name a partnership coordinator in each pilot region",
        "Ministry, regional ELY centres",
        "2020-12-05",
    );
    s.track_action(&a, ActionStatus::Done, "Coordinators named in five of six regions").unwrap();
    act(&mut s, &r3, "Reserve partnership hours in TE office staff plans for 2021", "TE office managers", "2021-01-04");
    act(&mut s, &r4, "Map which client data partners need and on what legal basis", "KEHA centre", "2021-04-30");
    let a = act(&mut s, &r5, "Send each provider a note on what became of its proposals", "Evaluators", "2020-12-15");
    s.track_action(&a, ActionStatus::Open, "").unwrap();
    let a = act(&mut s, &r6, "Add a state-aid check to the pilot application form", "Ministry", "2021-02-28");
    s.track_action(&a, ActionStatus::Dropped, "Covered by the new programme's general terms").unwrap();

    // Conclusions by question.
    let conclude = |s: &mut Synthesis, q: QuestionRef, text: &str, findings: &[&Id]| {
        s.add_conclusion(q, text, findings.iter().map(|f| (*f).clone()).collect())
            .expect("demo conclusions link existing findings");
    };
    conclude(
        &mut s,
        QuestionRef::Main,
        "The pilots' main lessons concern how services are bought and led rather than new service content: \
         define results before paying for them, give clients continuity, and treat partnership as work that \
         needs a leader and time.",
        &[&define_result, &continuity, &led],
    );
    conclude(
        &mut s,
        QuestionRef::Sub(0),
        "Customer-centricity was realised as continuity of one person; it carried clients through shocks, \
         but at mass scale it was rationed by the funnel.",
        &[&continuity, &rationed],
    );
    conclude(
        &mut s,
        QuestionRef::Sub(1),
        "Results-based procurement works only when the paid result is defined and baselined up front; fee \
         models visibly shift providers' effort between clients.",
        &[&define_result, &lasting, &fee_switch],
    );
    conclude(
        &mut s,
        QuestionRef::Sub(2),
        "Partnership models shortened client paths where data could follow the client, and depended on TE \
         capacity for referrals.",
        &[&one_desk, &referrals, &trust],
    );
    conclude(
        &mut s,
        QuestionRef::Sub(3),
        "Worth spreading nationally: named contact persons, result definitions agreed before contracts, and \
         regional partnership coordinators. Data sharing must be solved first.",
        &[&continuity, &define_result, &led, &two_systems],
    );
    conclude(
        &mut s,
        QuestionRef::Sub(2),
        "Closing the feedback loop with providers and firms is part of organising the service, not a courtesy.",
        &[&communication, &firms],
    );
    // The partner survey went to 214 organisers, TE offices, companies and providers;
    // the client survey's invitations were sent by the ministry and not recorded here.
    s.invited.insert("partner-2020".into(), 214);
    s
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::synthesis::LESSONS_CODE;

    /// Whether a reference resolves in the demo data as the store holds it.
    fn resolves(
        e: &EvidenceRef,
        interviews: &[Interview],
        objectives: &[Objective],
        workshop: &Workshop,
        pilots: &[crate::domain::Pilot],
    ) -> bool {
        match e {
            EvidenceRef::Segment { interview, paragraph } => interviews
                .iter()
                .find(|i| &i.id == interview)
                .and_then(|i| i.paragraph(*paragraph))
                .is_some_and(|p| !p.quote),
            EvidenceRef::Quote { interview, paragraph } => interviews
                .iter()
                .find(|i| &i.id == interview)
                .and_then(|i| i.paragraph(*paragraph))
                .is_some_and(|p| p.quote),
            EvidenceRef::Tally { survey, item, pilot, round } => {
                let surveys = crate::surveys::built_in();
                let Some(s) = surveys.iter().find(|s| &s.id == survey) else { return false };
                let item_ok = s.item(item).is_some();
                let pilot_ok = pilot.as_ref().is_none_or(|p| pilots.iter().any(|q| &q.id == p));
                let round_ok = round.is_none_or(|r| r >= 1);
                item_ok && pilot_ok && round_ok
            }
            EvidenceRef::Workshop { workshop: w, item } => {
                *w == workshop.id && workshop.items.iter().any(|i| i.id == *item)
            }
            EvidenceRef::Lesson { objective, lesson } => {
                objectives.iter().any(|o| &o.id == objective && o.lessons.iter().any(|l| l.id == *lesson))
            }
            EvidenceRef::Indicator { .. } => false,
            EvidenceRef::Document { title } => !title.trim().is_empty(),
        }
    }

    #[test]
    fn every_demo_citation_resolves_in_the_written_store() {
        let dir = tempfile::tempdir().unwrap();
        let store = crate::store::Store::open(dir.path()).unwrap();
        super::super::write(&store, "tester").unwrap();
        let s = store.synthesis().unwrap();
        assert!(s.findings.len() >= 8, "a realistic synthesis");
        let interviews = store.interviews().unwrap();
        let objectives = store.objectives().unwrap();
        let workshops: Vec<Workshop> = store.workshops().unwrap().into_iter().map(|(w, _)| w).collect();
        assert_eq!(workshops.len(), 2, "the learning workshop held, the mid-term review to come");
        let pilots = store.pilots().unwrap();
        let missing = s.missing_evidence(|e| resolves(e, &interviews, &objectives, &workshops[0], &pilots));
        assert!(missing.is_empty(), "{missing:?}");
        let evaluation = store.evaluation().unwrap().unwrap();
        assert!(s.broken_links(&evaluation).is_empty(), "{:?}", s.broken_links(&evaluation));
        // Every question has an answer, every recommendation an owner-held action.
        assert!(s.conclusions_by_question(&evaluation).iter().all(|g| !g.conclusions.is_empty()));
        assert!(s.recommendations.iter().all(|r| !r.actions.is_empty() && !r.addressee.is_empty()));
        let numbers: Vec<usize> = s.numbered().into_iter().map(|(n, _)| n).collect();
        assert_eq!(numbers, (1..=s.recommendations.len()).collect::<Vec<_>>());
        // Findings use codebook themes only, and several kinds of evidence.
        let book = store.codebook().unwrap();
        for f in &s.findings {
            assert!(book.get(&f.theme).is_some_and(|c| c.slug != LESSONS_CODE), "#{} is not a theme", f.theme);
            for p in &f.pilots {
                assert!(pilots.iter().any(|q| &q.id == p), "{p}");
            }
        }
        assert!(s.findings.iter().any(|f| f.evidence_kinds().len() >= 4));
        assert!(s.findings.iter().any(|f| f.voice == Voice::Pilots));
    }
}
