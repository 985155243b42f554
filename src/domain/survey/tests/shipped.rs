//! The instruments in `surveys/` must always parse.

use crate::domain::survey::{ItemKind, Survey};

fn load(name: &str, text: &str) -> Survey {
    Survey::parse(name, text).unwrap_or_else(|errs| {
        let msgs: Vec<String> = errs.iter().map(ToString::to_string).collect();
        panic!("{name} does not parse:\n{}", msgs.join("\n"))
    })
}

#[test]
fn partner_survey_parses() {
    let s = load("partner-2020.toml", include_str!("../../../../surveys/partner-2020.toml"));
    assert_eq!(s.id, "partner-2020");
    let org = s.item("org").unwrap();
    let keys: Vec<&str> = org.choices().iter().map(|c| c.key()).collect();
    assert_eq!(keys, ["TE office", "Municipality", "Company", "Service provider"]);
    assert!(org.allows_other());
    assert!(s.scales["agree5"].dont_know.is_some());
}

#[test]
fn client_survey_parses() {
    let s = load("client-2020.toml", include_str!("../../../../surveys/client-2020.toml"));
    assert!(matches!(s.item("factors").unwrap().kind, ItemKind::Multi { max: Some(3), .. }));
    assert!(matches!(s.item("nps").unwrap().kind, ItemKind::Nps));
    assert!(s.items.iter().any(|i| i.rounds.as_deref() == Some(&[2])));
    assert!(s.items.iter().any(|i| i.relevant.is_some()));
    assert_eq!(s.scales["grade5"].dont_know.as_deref(), Some("Don't know"));
}

#[test]
fn pulse_survey_has_core_and_rotating_modules() {
    let s = load("pulse-monthly.toml", include_str!("../../../../surveys/pulse-monthly.toml"));
    let modules = s.modules();
    assert_eq!(modules[0], "core");
    assert!(modules.len() >= 2);
}

#[test]
fn a_survey_round_trips_through_json() {
    let s = load("client-2020.toml", include_str!("../../../../surveys/client-2020.toml"));
    let json = serde_json::to_string(&s).unwrap();
    let back: Survey = serde_json::from_str(&json).unwrap();
    assert_eq!(back, s);
}
