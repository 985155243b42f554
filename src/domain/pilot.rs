use std::fmt;
use std::str::FromStr;

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use super::{Change, Id};

/// A pilot in the portfolio. Pilots change under the evaluators' feet, so the target
/// group and the status keep their whole history instead of a single value.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Pilot {
    pub id: Id,
    pub name: String,
    /// Other names the pilot has appeared under (one real pilot had three).
    #[serde(default)]
    pub alt_names: Vec<String>,
    pub region: String,
    #[serde(default)]
    pub implementers: Vec<String>,
    #[serde(default)]
    pub partners: Vec<String>,
    pub kind: PilotKind,
    pub delivery: DeliveryModel,
    /// Oldest first; the last entry is the current target group.
    #[serde(default)]
    pub target_group: Vec<Dated<String>>,
    pub planned_participants: Option<u32>,
    pub actual_participants: Option<u32>,
    #[serde(default)]
    pub referral_model: String,
    #[serde(default)]
    pub fee_model: String,
    /// Number of service providers; reports name them only as P1…Pn.
    #[serde(default)]
    pub providers: u32,
    /// Oldest first; the last entry is the current status.
    pub status_history: Vec<StatusChange>,
    #[serde(default)]
    pub archived: bool,
}

/// A value that was true from a date on.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Dated<T> {
    pub since: NaiveDate,
    pub value: T,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct StatusChange {
    pub status: PilotStatus,
    pub since: NaiveDate,
    #[serde(default)]
    pub note: String,
}

macro_rules! labelled_enum {
    ($(#[$meta:meta])* $name:ident { $($variant:ident => $label:literal),+ $(,)? }) => {
        $(#[$meta])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
        #[serde(rename_all = "kebab-case")]
        pub enum $name { $($variant),+ }

        impl $name {
            pub const ALL: &'static [$name] = &[$($name::$variant),+];
            pub fn label(self) -> &'static str {
                match self { $($name::$variant => $label),+ }
            }
        }

        impl fmt::Display for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str(self.label())
            }
        }

        impl FromStr for $name {
            type Err = String;
            /// Accepts the label or the kebab-case name, in any case.
            fn from_str(s: &str) -> Result<Self, String> {
                let wanted = s.trim().to_lowercase();
                Self::ALL
                    .iter()
                    .copied()
                    .find(|v| {
                        v.label().to_lowercase() == wanted
                            || v.label().to_lowercase().replace(' ', "-") == wanted
                    })
                    .ok_or_else(|| {
                        let names: Vec<_> = Self::ALL.iter().map(|v| v.label()).collect();
                        format!("'{}' is not one of: {}", s.trim(), names.join(", "))
                    })
            }
        }
    };
}

labelled_enum!(
    /// Whether the pilot serves job seekers or businesses.
    PilotKind { Employment => "employment", BusinessService => "business service" }
);

labelled_enum!(
    /// How the service is organised.
    DeliveryModel {
        PurchasedService => "purchased service",
        PartnershipNetwork => "partnership network",
        OwnProcess => "own process",
    }
);

labelled_enum!(
    /// Where a pilot stands. The reports show every one of these really happening.
    PilotStatus {
        Planned => "planned",
        Active => "active",
        Changed => "changed",
        Suspended => "suspended",
        Dropped => "dropped",
        NeverRealised => "never realised",
        NoLongerPilot => "no longer a pilot",
        Finished => "finished",
    }
);

/// The attributes a user can edit one at a time, from the TUI form or `oppi pilot edit`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum PilotField {
    Name,
    AltNames,
    Region,
    Implementers,
    Partners,
    Kind,
    Delivery,
    TargetGroup,
    Planned,
    Actual,
    ReferralModel,
    FeeModel,
    Providers,
    Status,
}

impl PilotField {
    pub const ALL: &'static [PilotField] = &[
        Self::Name,
        Self::AltNames,
        Self::Region,
        Self::Implementers,
        Self::Partners,
        Self::Kind,
        Self::Delivery,
        Self::TargetGroup,
        Self::Planned,
        Self::Actual,
        Self::ReferralModel,
        Self::FeeModel,
        Self::Providers,
        Self::Status,
    ];

    /// The name used on the command line (`--set region=Häme`) and in the change log.
    pub fn key(self) -> &'static str {
        match self {
            Self::Name => "name",
            Self::AltNames => "alt-names",
            Self::Region => "region",
            Self::Implementers => "implementers",
            Self::Partners => "partners",
            Self::Kind => "kind",
            Self::Delivery => "delivery",
            Self::TargetGroup => "target-group",
            Self::Planned => "planned",
            Self::Actual => "actual",
            Self::ReferralModel => "referral-model",
            Self::FeeModel => "fee-model",
            Self::Providers => "providers",
            Self::Status => "status",
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            Self::Name => "Name",
            Self::AltNames => "Also known as",
            Self::Region => "Region",
            Self::Implementers => "Implementers",
            Self::Partners => "Partners",
            Self::Kind => "Type",
            Self::Delivery => "Delivery model",
            Self::TargetGroup => "Target group",
            Self::Planned => "Planned participants",
            Self::Actual => "Actual participants",
            Self::ReferralModel => "Client referral",
            Self::FeeModel => "Fee and contract",
            Self::Providers => "Service providers",
            Self::Status => "Status",
        }
    }

    /// What the user may type, shown under the input.
    pub fn hint(self) -> &'static str {
        match self {
            Self::AltNames | Self::Implementers | Self::Partners => "comma-separated list",
            Self::Kind => "employment | business service",
            Self::Delivery => "purchased service | partnership network | own process",
            Self::TargetGroup => "a new version is recorded with today's date",
            Self::Planned | Self::Actual => "a whole number, or empty if unknown",
            Self::Providers => "a whole number",
            Self::Name => "required",
            Self::Status => {
                "planned | active | changed | suspended | dropped | never realised | no longer a pilot | finished"
            }
            _ => "",
        }
    }

    pub fn from_key(key: &str) -> Option<Self> {
        Self::ALL.iter().copied().find(|f| f.key() == key.trim())
    }
}

impl Pilot {
    pub fn new(id: Id, name: &str, region: &str, since: NaiveDate) -> Self {
        Pilot {
            id,
            name: name.trim().to_string(),
            alt_names: vec![],
            region: region.trim().to_string(),
            implementers: vec![],
            partners: vec![],
            kind: PilotKind::Employment,
            delivery: DeliveryModel::PurchasedService,
            target_group: vec![],
            planned_participants: None,
            actual_participants: None,
            referral_model: String::new(),
            fee_model: String::new(),
            providers: 0,
            status_history: vec![StatusChange { status: PilotStatus::Planned, since, note: String::new() }],
            archived: false,
        }
    }

    pub fn status(&self) -> PilotStatus {
        self.status_history.last().map_or(PilotStatus::Planned, |s| s.status)
    }

    pub fn current_target_group(&self) -> &str {
        self.target_group.last().map_or("", |t| t.value.as_str())
    }

    /// True when `query` matches the name or any alternative name, ignoring case.
    pub fn is_called(&self, query: &str) -> bool {
        let q = query.trim().to_lowercase();
        self.name.to_lowercase() == q || self.alt_names.iter().any(|a| a.to_lowercase() == q)
    }

    /// The field's current value as the user would type it.
    pub fn field_text(&self, field: PilotField) -> String {
        fn opt(n: Option<u32>) -> String {
            n.map(|n| n.to_string()).unwrap_or_default()
        }
        match field {
            PilotField::Name => self.name.clone(),
            PilotField::AltNames => self.alt_names.join(", "),
            PilotField::Region => self.region.clone(),
            PilotField::Implementers => self.implementers.join(", "),
            PilotField::Partners => self.partners.join(", "),
            PilotField::Kind => self.kind.label().into(),
            PilotField::Delivery => self.delivery.label().into(),
            PilotField::TargetGroup => self.current_target_group().into(),
            PilotField::Planned => opt(self.planned_participants),
            PilotField::Actual => opt(self.actual_participants),
            PilotField::ReferralModel => self.referral_model.clone(),
            PilotField::FeeModel => self.fee_model.clone(),
            PilotField::Providers => self.providers.to_string(),
            PilotField::Status => self.status().label().into(),
        }
    }

    /// Sets one field from user text. Returns the change to log, or `None` when the
    /// value did not change. Target group and status append to their history
    /// (dated `today`) instead of overwriting it.
    pub fn set_field(&mut self, field: PilotField, text: &str, today: NaiveDate) -> Result<Option<Change>, String> {
        let old = self.field_text(field);
        let text = text.trim();
        match field {
            PilotField::Name => {
                if text.is_empty() {
                    return Err("a pilot needs a name".into());
                }
                self.name = text.into()
            }
            PilotField::AltNames => self.alt_names = split_list(text),
            PilotField::Region => self.region = text.into(),
            PilotField::Implementers => self.implementers = split_list(text),
            PilotField::Partners => self.partners = split_list(text),
            PilotField::Kind => self.kind = text.parse()?,
            PilotField::Delivery => self.delivery = text.parse()?,
            PilotField::TargetGroup => {
                if text != old {
                    self.target_group.push(Dated { since: today, value: text.into() });
                }
            }
            PilotField::Planned => self.planned_participants = parse_count(text)?,
            PilotField::Actual => self.actual_participants = parse_count(text)?,
            PilotField::ReferralModel => self.referral_model = text.into(),
            PilotField::FeeModel => self.fee_model = text.into(),
            PilotField::Providers => self.providers = parse_count(text)?.unwrap_or(0),
            PilotField::Status => {
                let status: PilotStatus = text.parse()?;
                if status != self.status() {
                    self.status_history.push(StatusChange { status, since: today, note: String::new() });
                }
            }
        }
        let new = self.field_text(field);
        Ok((new != old).then(|| Change { field: field.key().into(), old, new }))
    }

    /// Providers as reports name them: P1…Pn.
    pub fn provider_labels(&self) -> Vec<String> {
        (1..=self.providers).map(|i| format!("P{i}")).collect()
    }
}

/// Finds a pilot by id, name or alternative name (ignoring case), as users type it on
/// the command line.
pub fn find<'a>(pilots: &'a [Pilot], query: &str) -> Result<&'a Pilot, String> {
    pilots.iter().find(|p| p.id == query.trim()).or_else(|| pilots.iter().find(|p| p.is_called(query))).ok_or_else(
        || {
            let close: Vec<&str> = pilots
                .iter()
                .filter(|p| p.name.to_lowercase().contains(&query.trim().to_lowercase()))
                .map(|p| p.name.as_str())
                .collect();
            if close.is_empty() {
                format!("no pilot '{query}' (try `oppi pilot list`)")
            } else {
                format!("no pilot '{query}'; did you mean: {}?", close.join(", "))
            }
        },
    )
}

/// Another pilot already known by one of `pilot`'s names: names must stay unique so
/// that `oppi pilot show NAME` and survey files can name pilots unambiguously.
pub fn name_clash<'a>(pilots: &'a [Pilot], pilot: &Pilot) -> Option<&'a Pilot> {
    let names = std::iter::once(&pilot.name).chain(&pilot.alt_names);
    let names: Vec<&String> = names.collect();
    pilots.iter().filter(|p| p.id != pilot.id || pilot.id.is_empty()).find(|p| names.iter().any(|n| p.is_called(n)))
}

fn split_list(text: &str) -> Vec<String> {
    text.split(',').map(str::trim).filter(|s| !s.is_empty()).map(String::from).collect()
}

fn parse_count(text: &str) -> Result<Option<u32>, String> {
    let cleaned: String = text.chars().filter(|c| !c.is_whitespace() && *c != ',' && *c != '~').collect();
    if cleaned.is_empty() {
        return Ok(None);
    }
    cleaned.parse().map(Some).map_err(|_| format!("'{text}' is not a whole number"))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn today() -> NaiveDate {
        NaiveDate::from_ymd_opt(2019, 6, 1).unwrap()
    }

    fn pilot() -> Pilot {
        Pilot::new("p1".into(), "Omavalmentaja", "Uusimaa", NaiveDate::from_ymd_opt(2019, 1, 1).unwrap())
    }

    #[test]
    fn status_change_appends_history_with_date() {
        let mut p = pilot();
        let change = p.set_field(PilotField::Status, "Suspended", today()).unwrap().unwrap();
        assert_eq!(change.old, "planned");
        assert_eq!(change.new, "suspended");
        assert_eq!(p.status_history.len(), 2);
        assert_eq!(p.status_history[1].since, today());
        assert_eq!(p.status(), PilotStatus::Suspended);
    }

    #[test]
    fn same_value_is_no_change() {
        let mut p = pilot();
        assert_eq!(p.set_field(PilotField::Region, " Uusimaa ", today()).unwrap(), None);
        assert_eq!(p.set_field(PilotField::Status, "planned", today()).unwrap(), None);
        assert_eq!(p.status_history.len(), 1);
    }

    #[test]
    fn target_group_is_versioned() {
        let mut p = pilot();
        p.set_field(PilotField::TargetGroup, "over 30, 300+ days of subsidy", today()).unwrap();
        p.set_field(PilotField::TargetGroup, "over 25", today().succ_opt().unwrap()).unwrap();
        assert_eq!(p.target_group.len(), 2);
        assert_eq!(p.current_target_group(), "over 25");
    }

    #[test]
    fn bad_values_are_errors_that_name_the_choices() {
        let mut p = pilot();
        let err = p.set_field(PilotField::Status, "paused", today()).unwrap_err();
        assert!(err.contains("suspended"), "{err}");
        assert!(p.set_field(PilotField::Planned, "many", today()).is_err());
        assert!(p.set_field(PilotField::Name, "  ", today()).is_err());
        assert_eq!(p.name, "Omavalmentaja");
    }

    #[test]
    fn counts_accept_thousands_separators_and_approximations() {
        let mut p = pilot();
        p.set_field(PilotField::Planned, "~13,000", today()).unwrap();
        assert_eq!(p.planned_participants, Some(13000));
        p.set_field(PilotField::Planned, "", today()).unwrap();
        assert_eq!(p.planned_participants, None);
    }

    #[test]
    fn lists_split_on_commas_and_names_match_alternatives() {
        let mut p = pilot();
        p.set_field(PilotField::AltNames, "Personal coach, , Oma-valmentaja", today()).unwrap();
        assert_eq!(p.alt_names, vec!["Personal coach", "Oma-valmentaja"]);
        assert!(p.is_called("personal COACH"));
        assert!(!p.is_called("coach"));
    }

    #[test]
    fn enum_labels_round_trip() {
        for s in PilotStatus::ALL {
            assert_eq!(s.label().parse::<PilotStatus>().unwrap(), *s);
        }
        assert_eq!("no-longer-a-pilot".parse::<PilotStatus>().unwrap(), PilotStatus::NoLongerPilot);
        for f in PilotField::ALL {
            assert_eq!(PilotField::from_key(f.key()), Some(*f));
        }
    }

    #[test]
    fn find_by_id_name_or_alternative_name() {
        let mut p = pilot();
        p.alt_names = vec!["Personal coach".into()];
        let pilots = vec![p];
        assert_eq!(find(&pilots, "p1").unwrap().name, "Omavalmentaja");
        assert_eq!(find(&pilots, "personal coach").unwrap().id, "p1");
        let err = find(&pilots, "valmentaja").unwrap_err();
        assert!(err.contains("did you mean: Omavalmentaja"), "{err}");
    }

    #[test]
    fn names_and_other_names_must_not_clash() {
        let a = pilot();
        let mut b = Pilot::new("p2".into(), "AIMO", "Etelä-Pohjanmaa", today());
        let pilots = vec![a.clone(), b.clone()];
        assert!(name_clash(&pilots, &b).is_none(), "a pilot does not clash with itself");
        b.alt_names = vec!["omavalmentaja".into()];
        assert_eq!(name_clash(&pilots, &b).unwrap().id, "p1");
        let new = Pilot::new(String::new(), "aimo", "", today());
        assert_eq!(name_clash(&pilots, &new).unwrap().id, "p2");
    }

    #[test]
    fn providers_are_anonymised() {
        let mut p = pilot();
        p.providers = 3;
        assert_eq!(p.provider_labels(), vec!["P1", "P2", "P3"]);
    }
}
