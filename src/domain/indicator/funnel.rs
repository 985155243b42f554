//! The client funnel: invited → attended info → referred → started → dropped out →
//! finished → employed. Counts are entered; every rate is computed from them.

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use super::{Indicator, Source};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Stage {
    Invited,
    AttendedInfo,
    Referred,
    Started,
    DroppedOut,
    Finished,
    /// Employed, all kinds.
    Employed,
    /// Employment that entitles the provider to a result fee.
    EmployedFeeEligible,
    /// Employment the service itself brought about.
    EmployedViaService,
    /// Already hired before any action of the service: not a result of it.
    EmployedAlreadyHired,
}

impl Stage {
    pub const ALL: [Stage; 10] = [
        Stage::Invited,
        Stage::AttendedInfo,
        Stage::Referred,
        Stage::Started,
        Stage::DroppedOut,
        Stage::Finished,
        Stage::Employed,
        Stage::EmployedFeeEligible,
        Stage::EmployedViaService,
        Stage::EmployedAlreadyHired,
    ];

    pub fn label(self) -> &'static str {
        match self {
            Stage::Invited => "invited",
            Stage::AttendedInfo => "attended info",
            Stage::Referred => "referred",
            Stage::Started => "started",
            Stage::DroppedOut => "dropped out",
            Stage::Finished => "finished",
            Stage::Employed => "employed (all)",
            Stage::EmployedFeeEligible => "employed, fee-eligible",
            Stage::EmployedViaService => "employed via the service",
            Stage::EmployedAlreadyHired => "employed, hired before any action",
        }
    }

    pub fn parse(text: &str) -> Result<Stage, String> {
        let t = text.trim().to_lowercase().replace('-', " ");
        Stage::ALL
            .into_iter()
            .find(|s| s.label() == t || format!("{s:?}").to_lowercase() == t.replace(' ', ""))
            .ok_or_else(|| format!("'{}' is not a funnel stage", text.trim()))
    }

    /// A new, empty count indicator for this stage.
    pub fn indicator(self, id: u32) -> Indicator {
        Indicator {
            id,
            node: None,
            name: format!("Clients {}", self.label()),
            definition: format!("Number of clients {} (cumulative count)", self.label()),
            unit: "clients".into(),
            level: Some(super::Level::Client),
            source: Source::PilotMonitoring,
            baseline: None,
            target: None,
            observations: vec![],
            funnel: Some(self),
        }
    }
}

/// A computed rate: `numerator / denominator`, from the latest counts.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Rate {
    pub numerator: Stage,
    pub denominator: Stage,
    /// `None` when a count is missing or the denominator is zero.
    pub value: Option<f64>,
    /// The two counts describe different dates: the rate mixes periods and says so.
    pub mixed_dates: bool,
}

impl Rate {
    pub fn label(&self) -> String {
        format!("{} per {}", self.numerator.label(), self.denominator.label())
    }
}

/// The rates the reports use: everything after `started` per started, employment per finished.
const RATES: [(Stage, Stage); 8] = [
    (Stage::Started, Stage::Referred),
    (Stage::DroppedOut, Stage::Started),
    (Stage::Finished, Stage::Started),
    (Stage::Employed, Stage::Started),
    (Stage::EmployedViaService, Stage::Started),
    (Stage::Employed, Stage::Finished),
    (Stage::EmployedFeeEligible, Stage::Finished),
    (Stage::EmployedViaService, Stage::Finished),
];

/// The latest count of each stage, with its as-of date.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Funnel {
    pub counts: Vec<(Stage, f64, NaiveDate)>,
}

impl Funnel {
    pub fn from_indicators<'a>(indicators: impl IntoIterator<Item = &'a Indicator>) -> Funnel {
        let mut counts: Vec<(Stage, f64, NaiveDate)> = indicators
            .into_iter()
            .filter_map(|i| Some((i.funnel?, i.latest()?)))
            .map(|(stage, o)| (stage, o.value, o.as_of))
            .collect();
        counts.sort_by_key(|c| c.0);
        Funnel { counts }
    }

    pub fn count(&self, stage: Stage) -> Option<f64> {
        self.counts.iter().find(|c| c.0 == stage).map(|c| c.1)
    }

    pub fn rates(&self) -> Vec<Rate> {
        RATES
            .iter()
            .filter(|(n, d)| self.count(*n).is_some() && self.count(*d).is_some())
            .map(|&(numerator, denominator)| {
                let value = match (self.count(numerator), self.count(denominator)) {
                    (Some(n), Some(d)) if d > 0.0 => Some(n / d),
                    _ => None,
                };
                let date = |s: Stage| self.counts.iter().find(|c| c.0 == s).map(|c| c.2);
                Rate { numerator, denominator, value, mixed_dates: date(numerator) != date(denominator) }
            })
            .collect()
    }

    /// Counts that cannot be right: more finished than started, and so on.
    pub fn inconsistencies(&self) -> Vec<String> {
        let pairs = [
            (Stage::Started, Stage::Referred),
            (Stage::DroppedOut, Stage::Started),
            (Stage::Finished, Stage::Started),
            (Stage::EmployedFeeEligible, Stage::Employed),
            (Stage::EmployedViaService, Stage::Employed),
            (Stage::EmployedAlreadyHired, Stage::Employed),
        ];
        pairs
            .iter()
            .filter_map(|&(a, b)| match (self.count(a), self.count(b)) {
                (Some(x), Some(y)) if x > y => Some(format!("{} ({x}) exceeds {} ({y})", a.label(), b.label())),
                _ => None,
            })
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::super::Observation;
    use super::*;

    fn with_count(stage: Stage, value: f64) -> Indicator {
        let mut i = stage.indicator(0);
        i.observations.push(Observation {
            value,
            as_of: "2020-06-30".parse().unwrap(),
            source: Source::PilotMonitoring,
            note: String::new(),
        });
        i
    }

    #[test]
    fn rates_are_computed_from_counts() {
        // Tehostettu työnvälitys: 13,000+ referred, about 8,500 started.
        let inds = [
            with_count(Stage::Referred, 13000.0),
            with_count(Stage::Started, 8500.0),
            with_count(Stage::Finished, 6800.0),
            with_count(Stage::Employed, 1700.0),
        ];
        let f = Funnel::from_indicators(&inds);
        let rates = f.rates();
        let get = |n, d| rates.iter().find(|r| r.numerator == n && r.denominator == d).unwrap().value.unwrap();
        assert!((get(Stage::Started, Stage::Referred) - 8500.0 / 13000.0).abs() < 1e-12);
        assert_eq!(get(Stage::Employed, Stage::Started), 0.2);
        assert_eq!(get(Stage::Employed, Stage::Finished), 0.25);
        assert!(rates.iter().all(|r| r.numerator != Stage::DroppedOut), "no rate without its count");
    }

    #[test]
    fn rates_from_counts_of_different_dates_are_marked() {
        let mut employed = with_count(Stage::Employed, 30.0);
        employed.observations[0].as_of = "2020-12-31".parse().unwrap();
        let f = Funnel::from_indicators(&[with_count(Stage::Started, 100.0), employed]);
        let rate = &f.rates()[0];
        assert!(rate.mixed_dates);
        assert_eq!(rate.value, Some(0.3));
    }

    #[test]
    fn zero_denominator_gives_no_rate() {
        let f = Funnel::from_indicators(&[with_count(Stage::Started, 0.0), with_count(Stage::Finished, 0.0)]);
        assert_eq!(f.rates()[0].value, None);
    }

    #[test]
    fn impossible_counts_are_reported() {
        let f = Funnel::from_indicators(&[with_count(Stage::Started, 90.0), with_count(Stage::Finished, 190.0)]);
        assert_eq!(f.inconsistencies(), vec!["finished (190) exceeds started (90)"]);
    }

    #[test]
    fn stages_parse() {
        assert_eq!(Stage::parse("attended-info").unwrap(), Stage::AttendedInfo);
        assert_eq!(Stage::parse("employedviaservice").unwrap(), Stage::EmployedViaService);
    }
}
