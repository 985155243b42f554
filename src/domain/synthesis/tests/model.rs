use super::{finding, recommendation};
use crate::demo;
use crate::domain::evidence::EvidenceRef;
use crate::domain::survey::{ItemStats, ItemTally, Tally};
use crate::domain::synthesis::{FindingDraft, QuestionRef, Scope, Synthesis, Voice, cite_tally};

fn segment(interview: &str, paragraph: u32) -> EvidenceRef {
    EvidenceRef::Segment { interview: interview.into(), paragraph }
}

fn tally_ref(pilot: Option<&str>) -> EvidenceRef {
    EvidenceRef::Tally {
        survey: "partner-2020".into(),
        item: "goals_clear".into(),
        pilot: pilot.map(Into::into),
        round: None,
    }
}

/// A finding citing five kinds of evidence.
fn well_supported() -> (Synthesis, String) {
    let mut s = Synthesis::new();
    let draft = FindingDraft {
        theme: "cooperation-and-partnership-models".into(),
        what: "Alliances without a named coordinator drifted".into(),
        so_what: "Partnership must be led; it does not run itself".into(),
        now_what: "Budget a coordinator's time from the start".into(),
        scope: Scope::Local("p7".into()),
        voice: Voice::Pilots,
        pilots: vec!["p7".into()],
    };
    let f = s.add_finding(draft).unwrap();
    for e in [
        segment("i6", 2),
        EvidenceRef::Quote { interview: "i6".into(), paragraph: 3 },
        tally_ref(Some("p7")),
        EvidenceRef::Workshop { workshop: "w1".into(), item: 4 },
        EvidenceRef::Lesson { objective: "o3".into(), lesson: 2 },
    ] {
        s.add_evidence(&f, e).unwrap();
    }
    (s, f)
}

#[test]
fn evidence_links_survive_edits_of_the_text() {
    let (mut s, f) = well_supported();
    let before = s.finding(&f).unwrap().evidence.clone();
    let mut draft = finding("trust", "Coordinators mattered more than structures");
    draft.voice = Voice::Evaluator;
    s.edit_finding(&f, draft).unwrap();
    let after = s.finding(&f).unwrap();
    assert_eq!(after.evidence, before);
    assert_eq!(after.what, "Coordinators mattered more than structures");
    assert_eq!(after.voice, Voice::Evaluator);
    assert_eq!(after.scope, Scope::National);
    assert_eq!(after.evidence_kinds(), vec!["interview", "quote", "survey", "workshop", "lesson"]);
    assert!(s.edit_finding(&f, finding("trust", " ")).is_err(), "a finding needs a what");
    assert_eq!(
        s.finding(&f).unwrap().what,
        "Coordinators mattered more than structures",
        "a refused edit changes nothing"
    );
}

#[test]
fn duplicate_evidence_is_refused_and_removal_needs_a_match() {
    let (mut s, f) = well_supported();
    assert!(s.add_evidence(&f, segment("i6", 2)).unwrap_err().contains("already cites interview i6 ¶2"));
    // The same item under another filter is another piece of evidence.
    s.add_evidence(&f, tally_ref(None)).unwrap();
    s.remove_evidence(&f, &segment("i6", 2)).unwrap();
    assert!(s.remove_evidence(&f, &segment("i6", 2)).is_err());
    assert!(s.add_evidence("f99", segment("i1", 1)).is_err());
    assert_eq!(s.finding(&f).unwrap().evidence.len(), 5);
}

#[test]
fn broken_evidence_is_reported_never_dropped() {
    let (s, f) = well_supported();
    // The data no longer has interview i6's third paragraph nor the workshop.
    let exists = |e: &EvidenceRef| !matches!(e, EvidenceRef::Quote { paragraph: 3, .. } | EvidenceRef::Workshop { .. });
    let missing = s.missing_evidence(exists);
    assert_eq!(
        missing,
        vec![
            (f.clone(), EvidenceRef::Quote { interview: "i6".into(), paragraph: 3 }),
            (f.clone(), EvidenceRef::Workshop { workshop: "w1".into(), item: 4 }),
        ]
    );
    assert_eq!(s.finding(&f).unwrap().evidence.len(), 5, "checking changes nothing");
}

#[test]
fn a_cited_finding_cannot_be_removed() {
    let (mut s, f) = well_supported();
    let spare = s.add_finding(finding("trust", "Unused")).unwrap();
    let r1 = s.add_recommendation(recommendation("Lead partnerships", &[])).unwrap();
    let r2 = s.add_recommendation(recommendation("Budget a coordinator", &[&f])).unwrap();
    let c = s.add_conclusion(QuestionRef::Sub(2), "Partnerships need leading", vec![f.clone()]).unwrap();

    let err = s.remove_finding(&f).unwrap_err();
    assert!(err.contains(&format!("Recommendation 2 ({r2})")), "{err}");
    assert!(err.contains(&format!("conclusion {c}")), "{err}");
    assert!(s.finding(&f).is_some());

    s.unlink_finding(&r2, &f).unwrap();
    s.edit_conclusion(&c, QuestionRef::Sub(2), "Partnerships need leading", vec![]).unwrap();
    assert_eq!(s.remove_finding(&f).unwrap().evidence.len(), 5);
    assert_eq!(s.remove_finding(&spare).unwrap().what, "Unused");
    assert!(s.remove_finding(&f).is_err());
    assert!(s.recommendation(&r1).is_some());
    assert!(s.broken_links(&demo::evaluation()).is_empty());
}

#[test]
fn drafts_are_checked() {
    let mut s = Synthesis::new();
    assert!(s.add_finding(finding(" ", "x")).is_err());
    let mut local = finding("trust", "x");
    local.scope = Scope::Local(" ".into());
    assert!(s.add_finding(local).is_err());
    assert!(s.add_conclusion(QuestionRef::Main, " ", vec![]).is_err());
    assert_eq!(s.next_id, 1, "a refused add takes no id");
}

#[test]
fn findings_group_by_theme_in_codebook_order() {
    let book = demo::codebook(&demo::evaluation().themes);
    let mut s = Synthesis::new();
    let a = s.add_finding(finding("trust", "Sub-code: filed under its theme")).unwrap();
    let b = s.add_finding(finding("zz-retired-theme", "A theme the codebook lost")).unwrap();
    let c = s.add_finding(finding("customer-centricity", "First theme")).unwrap();
    let d = s.add_finding(finding("Cooperation-and-partnership-models", "Same theme, other case")).unwrap();
    let groups: Vec<(String, Vec<String>)> = s
        .findings_by_theme(&book)
        .into_iter()
        .map(|(t, fs)| (t, fs.into_iter().map(|f| f.id.clone()).collect()))
        .collect();
    assert_eq!(
        groups,
        vec![
            ("customer-centricity".into(), vec![c]),
            ("cooperation-and-partnership-models".into(), vec![a, d]),
            ("zz-retired-theme".into(), vec![b]),
        ]
    );
}

#[test]
fn conclusions_group_by_question_and_stale_questions_show() {
    let eval = demo::evaluation();
    let mut s = Synthesis::new();
    let main =
        s.add_conclusion(QuestionRef::Main, "The pilots' lessons are about leading partnerships", vec![]).unwrap();
    let sub = s.add_conclusion(QuestionRef::Sub(1), "Buy results, defined first", vec![]).unwrap();
    let stale = s.add_conclusion(QuestionRef::Sub(9), "A question since cut", vec![]).unwrap();
    let groups = s.conclusions_by_question(&eval);
    assert_eq!(groups.len(), 1 + eval.sub_questions.len() + 1);
    assert_eq!(groups[0].question, QuestionRef::Main);
    assert_eq!(groups[0].text, eval.main_question);
    assert_eq!(groups[0].conclusions[0].id, main);
    assert_eq!(groups[2].conclusions[0].id, sub);
    assert!(groups[1].conclusions.is_empty(), "unanswered questions still show");
    let last = groups.last().unwrap();
    assert_eq!(
        (last.question, last.text.as_str(), last.conclusions[0].id.as_str()),
        (QuestionRef::Sub(9), "", stale.as_str())
    );
    let broken = s.broken_links(&eval);
    assert_eq!(broken.len(), 1);
    assert!(broken[0].contains("sub-question 10"), "{broken:?}");
}

#[test]
fn a_hand_edited_record_with_dangling_links_is_reported() {
    let mut s = Synthesis::new();
    s.add_recommendation(recommendation("Orphan", &[])).unwrap();
    s.recommendations[0].findings.push("f404".into());
    let broken = s.broken_links(&demo::evaluation());
    assert_eq!(broken, vec!["Recommendation 1 (r1) cites finding f404, which does not exist"]);
}

#[test]
fn synthesis_round_trips_as_one_record() {
    let (mut s, f) = well_supported();
    s.add_recommendation(recommendation("Budget a coordinator", &[&f])).unwrap();
    s.add_conclusion(QuestionRef::Sub(2), "Partnerships need leading", vec![f.clone()]).unwrap();
    let json = serde_json::to_string(&s).unwrap();
    assert!(json.contains(r#""scope":{"local":"p7"}"#), "{json}");
    assert!(json.contains(r#""voice":"pilots""#));
    assert!(json.contains(r#""question":{"sub":2}"#));
    assert_eq!(serde_json::from_str::<Synthesis>(&json).unwrap(), s);
    let empty: Synthesis = serde_json::from_str("{}").unwrap();
    assert_eq!(empty, Synthesis::new());
}

#[test]
fn survey_citations_carry_n() {
    let item = |id: &str, n| ItemTally { id: id.into(), kind: "scale", n, missing: 0, stats: ItemStats::Text };
    let tally = Tally {
        survey: "partner-2020".into(),
        respondents: 73,
        items: vec![item("goals_clear", 66), item("trust", 5)],
        groups: None,
    };
    assert_eq!(cite_tally(&tally_ref(None), &tally).unwrap(), "survey partner-2020 · goals_clear (n = 66)");
    let low = EvidenceRef::Tally {
        survey: "partner-2020".into(),
        item: "trust".into(),
        pilot: Some("p13".into()),
        round: None,
    };
    assert_eq!(cite_tally(&low, &tally).unwrap(), "survey partner-2020 · trust · pilot p13 (n = 5, low n)");
    assert!(cite_tally(&segment("i1", 1), &tally).is_none());
}

#[test]
fn invited_counts_are_set_cleared_and_checked_against_the_answers() {
    let mut s = Synthesis::new();
    s.set_invited("partner-2020", Some(214), 73).unwrap();
    assert_eq!(s.invited.get("partner-2020"), Some(&214));
    s.set_invited(" partner-2020 ", Some(220), 73).unwrap();
    assert_eq!(s.invited.get("partner-2020"), Some(&220), "trimmed, replaced");
    assert!(s.set_invited("partner-2020", Some(50), 73).unwrap_err().contains("more answered"));
    assert!(s.set_invited("partner-2020", Some(0), 0).is_err());
    assert!(s.set_invited("", Some(5), 0).is_err());
    assert_eq!(s.invited.get("partner-2020"), Some(&220), "a refused count changes nothing");
    s.set_invited("partner-2020", None, 73).unwrap();
    assert!(s.invited.is_empty());
}
