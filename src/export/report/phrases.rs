//! Facts told in words, in the report's language: the data limitations the domain
//! finds, evidence labels ("interview i23 ¶1"), a tally's filter, indicator sources.
//! `oppi synthesis limitations` and `oppi synthesis show` use the same words in English.

use crate::domain::PilotStatus;
use crate::domain::evidence::EvidenceRef;
use crate::domain::indicator::{Source, format_value};
use crate::domain::synthesis::{Limitation, LimitationFact, TallyScope};
use crate::locale::Locale;

/// `never realised` → `never_realised`: locale keys follow the English labels.
pub(super) fn key_of(label: &str) -> String {
    label.replace([' ', '-'], "_")
}

pub fn status_text(l: &Locale, s: PilotStatus) -> String {
    l.t(&format!("report.pilot_status_{}", key_of(s.label()))).to_string()
}

pub fn source_text(l: &Locale, s: Source) -> String {
    l.t(&format!("report.source_{}", key_of(s.label()))).to_string()
}

/// "pilot p2 · round 1"; empty for all responses.
pub fn scope_text(l: &Locale, pilot: Option<&str>, round: Option<u32>) -> String {
    let mut parts = Vec::new();
    if let Some(p) = pilot {
        parts.push(l.f("report.scope_pilot", &[("id", &p)]));
    }
    if let Some(r) = round {
        parts.push(l.f("report.scope_round", &[("n", &r)]));
    }
    parts.join(" · ")
}

/// A short label for a piece of evidence: "interview i4 ¶3", "survey partner-2020 ·
/// goals_clear · pilot p2".
pub fn evidence_label(l: &Locale, e: &EvidenceRef) -> String {
    match e {
        EvidenceRef::Segment { interview, paragraph } => {
            l.f("report.ev_segment", &[("id", interview), ("n", paragraph)])
        }
        EvidenceRef::Quote { interview, paragraph } => l.f("report.ev_quote", &[("id", interview), ("n", paragraph)]),
        EvidenceRef::Tally { survey, item, pilot, round } => {
            let mut s = l.f("report.ev_survey", &[("survey", survey), ("item", item)]);
            let scope = scope_text(l, pilot.as_deref(), *round);
            if !scope.is_empty() {
                s.push_str(" · ");
                s.push_str(&scope);
            }
            s
        }
        EvidenceRef::Workshop { workshop, item } => l.f("report.ev_workshop", &[("id", workshop), ("n", item)]),
        EvidenceRef::Indicator { pilot, indicator } => {
            l.f("report.ev_indicator", &[("pilot", pilot), ("n", indicator)])
        }
        EvidenceRef::Lesson { objective, lesson } => {
            l.f("report.ev_lesson", &[("objective", objective), ("n", lesson)])
        }
        EvidenceRef::Document { title } => l.f("report.ev_document", &[("title", title)]),
    }
}

/// " (pilot p13)" after a survey's title; nothing for all responses.
fn filter_suffix(l: &Locale, scope: &TallyScope) -> String {
    let text = scope_text(l, scope.pilot.as_deref(), scope.round);
    if text.is_empty() { text } else { format!(" ({text})") }
}

/// The limitation as one sentence (not yet escaped for Markdown).
pub fn limitation_text(l: &Locale, x: &Limitation) -> String {
    match &x.fact {
        LimitationFact::LowN { survey, scope, item, n, missing } => {
            let missing = if *missing > 0 { l.f("report.limit_left_empty", &[("n", missing)]) } else { String::new() };
            let filter = filter_suffix(l, scope);
            l.f(
                "report.limit_low_n_text",
                &[("survey", survey), ("filter", &filter), ("item", item), ("n", n), ("missing", &missing)],
            )
        }
        LimitationFact::SmallGroups { survey, scope, item, n, groups } => {
            let groups: Vec<String> =
                groups.iter().map(|(g, n)| l.f("report.limit_group", &[("group", g), ("n", n)])).collect();
            let filter = filter_suffix(l, scope);
            l.f(
                "report.limit_small_groups_text",
                &[("survey", survey), ("filter", &filter), ("item", item), ("n", n), ("groups", &groups.join(", "))],
            )
        }
        LimitationFact::NoResponses { pilot, status } => {
            let status =
                status.map_or(String::new(), |s| l.f("report.limit_status", &[("status", &status_text(l, s))]));
            l.f("report.limit_no_responses_text", &[("pilot", pilot), ("status", &status)])
        }
        LimitationFact::MissingBaselineOrTarget { pilot, indicator, baseline, target } => {
            let key = match (baseline, target) {
                (true, true) => "report.limit_no_baseline_no_target",
                (true, false) => "report.limit_no_baseline",
                _ => "report.limit_no_target",
            };
            l.f(key, &[("pilot", pilot), ("indicator", indicator)])
        }
        LimitationFact::ConflictingValues { pilot, indicator, as_of, source, values } => {
            let values: Vec<String> = values.iter().map(|v| format_value(*v)).collect();
            l.f(
                "report.limit_conflict_text",
                &[
                    ("pilot", pilot),
                    ("indicator", indicator),
                    ("date", as_of),
                    ("source", &source_text(l, *source)),
                    ("values", &values.join(l.t("report.and"))),
                ],
            )
        }
        LimitationFact::SpecialContext { cited_as, pilots, date, context } => l.f(
            "report.limit_context_text",
            &[("who", cited_as), ("pilots", &pilots.join(", ")), ("date", date), ("context", context)],
        ),
    }
}

/// What the limitation is about, by stable id, with a tally's filter: "partner-2020 ·
/// trust · pilot p13".
pub fn limitation_subject(l: &Locale, x: &Limitation) -> String {
    let scope = match &x.fact {
        LimitationFact::LowN { scope, .. } | LimitationFact::SmallGroups { scope, .. } => scope,
        _ => return x.subject.clone(),
    };
    let text = scope_text(l, scope.pilot.as_deref(), scope.round);
    if text.is_empty() { x.subject.clone() } else { format!("{} · {text}", x.subject) }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::synthesis::LimitationKind;

    fn lim(fact: LimitationFact, subject: &str) -> Limitation {
        Limitation { kind: fact.kind(), fact, subject: subject.into() }
    }

    #[test]
    fn english_sentences_read_as_before_and_finnish_ones_are_finnish() {
        let en = Locale::get("en");
        let fi = Locale::get("fi");
        let p13 = TallyScope { pilot: Some("p13".into()), round: None };
        let low = lim(
            LimitationFact::LowN { survey: "Partner survey".into(), scope: p13, item: "few".into(), n: 5, missing: 2 },
            "s · few",
        );
        assert_eq!(
            limitation_text(en, &low),
            "Partner survey (pilot p13): 'few' answered by n = 5, 2 asked left it empty"
        );
        assert_eq!(limitation_subject(en, &low), "s · few · pilot p13");
        assert_eq!(limitation_subject(fi, &low), "s · few · pilotti p13");
        let groups = lim(
            LimitationFact::SmallGroups {
                survey: "Partner survey".into(),
                scope: TallyScope::default(),
                item: "enough".into(),
                n: 40,
                groups: vec![("company".into(), 2)],
            },
            "s · enough",
        );
        assert_eq!(
            limitation_text(en, &groups),
            "Partner survey: 'enough' has n = 40 overall but small groups: company n = 2"
        );
        let silent =
            lim(LimitationFact::NoResponses { pilot: "Innorekry".into(), status: Some(PilotStatus::Suspended) }, "p12");
        assert_eq!(limitation_text(en, &silent), "Innorekry (status: suspended): no survey responses");
        assert_eq!(limitation_text(fi, &silent), "Innorekry (tila: keskeytetty): ei kyselyvastauksia");
        let gaps = lim(
            LimitationFact::MissingBaselineOrTarget {
                pilot: "Omavalmentaja".into(),
                indicator: "Score".into(),
                baseline: true,
                target: true,
            },
            "p2/24",
        );
        assert_eq!(limitation_text(en, &gaps), "Omavalmentaja: indicator 'Score' has no baseline and no target");
        let conflict = lim(
            LimitationFact::ConflictingValues {
                pilot: "Rekrytoiva Satakunta".into(),
                indicator: "Clients finished".into(),
                as_of: "2020-06-30".parse().unwrap(),
                source: Source::ProviderReport,
                values: vec![190.0, 90.0],
            },
            "p9/6",
        );
        assert_eq!(
            limitation_text(en, &conflict),
            "Rekrytoiva Satakunta: 'Clients finished' as of 2020-06-30 (provider report) is given as 190 and 90"
        );
        assert!(limitation_text(fi, &conflict).contains("190 ja 90"), "{}", limitation_text(fi, &conflict));
        let context = lim(
            LimitationFact::SpecialContext {
                cited_as: "partner, company".into(),
                pilots: vec!["p1".into()],
                date: "2020-04-01".parse().unwrap(),
                context: "during the pandemic".into(),
            },
            "i2",
        );
        assert_eq!(
            limitation_text(en, &context),
            "Interview with partner, company (p1) on 2020-04-01 was held during the pandemic: read it in that light"
        );
        // Every kind has a sentence in every language: no key shows through.
        for lang in ["en", "fi", "sv"] {
            let l = Locale::get(lang);
            for x in [&low, &groups, &silent, &gaps, &conflict, &context] {
                let text = limitation_text(l, x);
                assert!(!text.contains("report.") && !text.contains('{'), "{lang}: {text}");
            }
        }
        assert_eq!(gaps.kind, LimitationKind::MissingBaselineOrTarget);
    }

    #[test]
    fn evidence_labels_follow_the_locale_and_english_stays_as_the_domain_has_it() {
        let refs = [
            EvidenceRef::Segment { interview: "i23".into(), paragraph: 1 },
            EvidenceRef::Quote { interview: "i24".into(), paragraph: 2 },
            EvidenceRef::Tally {
                survey: "client-2020".into(),
                item: "x".into(),
                pilot: Some("p2".into()),
                round: Some(2),
            },
            EvidenceRef::Workshop { workshop: "w33".into(), item: 5 },
            EvidenceRef::Indicator { pilot: "p2".into(), indicator: 23 },
            EvidenceRef::Lesson { objective: "o16".into(), lesson: 1 },
            EvidenceRef::Document { title: "Steering group memo".into() },
        ];
        for e in &refs {
            assert_eq!(evidence_label(Locale::get("en"), e), e.label());
        }
        assert_eq!(evidence_label(Locale::get("fi"), &refs[0]), "haastattelu i23 ¶1");
        assert_eq!(evidence_label(Locale::get("fi"), &refs[2]), "kysely client-2020 · x · pilotti p2 · kierros 2");
    }
}
