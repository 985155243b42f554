//! Indicators: what is measured, from which source, against which baseline and target,
//! and what was observed when. The client funnel is a built-in set of count indicators
//! whose rates are computed, never typed (the reports contradict themselves where
//! percentages were typed by hand).

pub mod funnel;

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use super::impact::{Level, NodeId};

pub use funnel::{Funnel, Rate, Stage};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Source {
    PilotMonitoring,
    NationalRegister,
    ProviderReport,
    Survey,
    Other,
}

impl Source {
    pub const ALL: [Source; 5] =
        [Source::PilotMonitoring, Source::NationalRegister, Source::ProviderReport, Source::Survey, Source::Other];

    pub fn label(self) -> &'static str {
        match self {
            Source::PilotMonitoring => "pilot monitoring",
            Source::NationalRegister => "national register",
            Source::ProviderReport => "provider report",
            Source::Survey => "survey",
            Source::Other => "other",
        }
    }

    pub fn parse(text: &str) -> Result<Source, String> {
        let t = text.trim().to_lowercase().replace('-', " ");
        Source::ALL.into_iter().find(|s| s.label() == t).ok_or_else(|| {
            let names: Vec<_> = Source::ALL.iter().map(|s| s.label()).collect();
            format!("'{}' is not a source: {}", text.trim(), names.join(", "))
        })
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct DatedValue {
    pub value: f64,
    pub date: NaiveDate,
}

impl DatedValue {
    /// Parses "12.5 @ 2019-03-01" (empty text is `None`). A decimal comma is accepted.
    pub fn parse(text: &str) -> Result<Option<DatedValue>, String> {
        let text = text.trim();
        if text.is_empty() {
            return Ok(None);
        }
        let (value, date) = text.split_once('@').ok_or_else(|| format!("'{text}': write value @ YYYY-MM-DD"))?;
        Ok(Some(DatedValue { value: parse_value(value)?, date: parse_date(date)? }))
    }

    pub fn show(&self) -> String {
        format!("{} @ {}", format_value(self.value), self.date)
    }
}

/// Parses "4.23", "4,23" (Finnish decimal comma), "13 000" and "13,000" (thousands).
pub fn parse_value(text: &str) -> Result<f64, String> {
    let mut t: String = text.chars().filter(|c| !c.is_whitespace()).collect();
    let thousands_commas = t.split(',').skip(1).all(|g| g.len() == 3 && g.bytes().all(|b| b.is_ascii_digit()));
    if t.contains(',') && (t.contains('.') || thousands_commas) {
        t = t.replace(',', "");
    } else {
        t = t.replace(',', ".");
    }
    t.parse::<f64>().ok().filter(|v| v.is_finite()).ok_or_else(|| format!("'{}' is not a number", text.trim()))
}

pub fn parse_date(text: &str) -> Result<NaiveDate, String> {
    text.trim().parse().map_err(|_| format!("'{}' is not a date (YYYY-MM-DD)", text.trim()))
}

/// Whole numbers without decimals, others with up to two.
pub fn format_value(v: f64) -> String {
    if v.fract() == 0.0 && v.abs() < 1e15 {
        format!("{v:.0}")
    } else {
        let s = format!("{v:.2}");
        s.trim_end_matches('0').to_string()
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Observation {
    pub value: f64,
    pub as_of: NaiveDate,
    pub source: Source,
    #[serde(default)]
    pub note: String,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Indicator {
    pub id: u32,
    /// The map node it measures; funnel indicators need not hang off a node.
    #[serde(default)]
    pub node: Option<NodeId>,
    pub name: String,
    #[serde(default)]
    pub definition: String,
    #[serde(default)]
    pub unit: String,
    #[serde(default)]
    pub level: Option<Level>,
    pub source: Source,
    #[serde(default)]
    pub baseline: Option<DatedValue>,
    #[serde(default)]
    pub target: Option<DatedValue>,
    /// Kept in entry order; use [`Indicator::latest`] for the newest.
    #[serde(default)]
    pub observations: Vec<Observation>,
    /// Set for the built-in client-funnel counts.
    #[serde(default)]
    pub funnel: Option<funnel::Stage>,
}

/// Two observations of one indicator, same date and source, different values.
#[derive(Debug, Clone, PartialEq)]
pub struct Conflict {
    pub as_of: NaiveDate,
    pub source: Source,
    pub values: Vec<f64>,
}

impl Indicator {
    /// The newest observation by as-of date (the later entry wins a tie).
    pub fn latest(&self) -> Option<&Observation> {
        self.observations.iter().enumerate().max_by_key(|(i, o)| (o.as_of, *i)).map(|(_, o)| o)
    }

    /// Conflicting observations: the same date and source with different values.
    pub fn conflicts(&self) -> Vec<Conflict> {
        let mut groups: Vec<Conflict> = Vec::new();
        for o in &self.observations {
            match groups.iter_mut().find(|g| g.as_of == o.as_of && g.source == o.source) {
                Some(g) => {
                    if !g.values.contains(&o.value) {
                        g.values.push(o.value);
                    }
                }
                None => groups.push(Conflict { as_of: o.as_of, source: o.source, values: vec![o.value] }),
            }
        }
        groups.retain(|g| g.values.len() > 1);
        groups
    }

    /// What is missing before this indicator can show change: the loudest complaint in
    /// the reports was baselines and targets never agreed at the start. Funnel counts are
    /// cumulative from zero and their target is the pilot's planned participants, so
    /// asking them for a baseline and target would only bury the real gaps.
    pub fn gaps(&self) -> Vec<&'static str> {
        let mut gaps = Vec::new();
        if self.funnel.is_some() {
            return gaps;
        }
        if self.baseline.is_none() {
            gaps.push("no baseline");
        }
        if self.target.is_none() {
            gaps.push("no target");
        }
        gaps
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> NaiveDate {
        s.parse().unwrap()
    }

    fn obs(value: f64, as_of: &str, source: Source) -> Observation {
        Observation { value, as_of: d(as_of), source, note: String::new() }
    }

    fn indicator(observations: Vec<Observation>) -> Indicator {
        Indicator {
            id: 1,
            node: None,
            name: "Finished".into(),
            definition: String::new(),
            unit: "clients".into(),
            level: None,
            source: Source::PilotMonitoring,
            baseline: None,
            target: None,
            observations,
            funnel: None,
        }
    }

    #[test]
    fn conflicting_values_same_date_and_source_are_flagged() {
        // One pilot's finishers appear as 190 in the text and 90 in a table.
        let i = indicator(vec![
            obs(190.0, "2020-06-30", Source::ProviderReport),
            obs(90.0, "2020-06-30", Source::ProviderReport),
            obs(90.0, "2020-06-30", Source::PilotMonitoring),
            obs(95.0, "2020-07-31", Source::ProviderReport),
        ]);
        let c = i.conflicts();
        assert_eq!(c.len(), 1);
        assert_eq!(c[0].values, vec![190.0, 90.0]);
        assert_eq!(c[0].source, Source::ProviderReport);
    }

    #[test]
    fn same_value_twice_is_no_conflict() {
        let i = indicator(vec![obs(90.0, "2020-06-30", Source::Survey), obs(90.0, "2020-06-30", Source::Survey)]);
        assert!(i.conflicts().is_empty());
    }

    #[test]
    fn latest_is_by_date_not_entry_order() {
        let i = indicator(vec![obs(2.0, "2020-02-01", Source::Other), obs(1.0, "2020-01-01", Source::Other)]);
        assert_eq!(i.latest().unwrap().value, 2.0);
        assert_eq!(i.gaps(), vec!["no baseline", "no target"]);
        let funnel = Indicator { funnel: Some(Stage::Started), ..i };
        assert!(funnel.gaps().is_empty());
    }

    #[test]
    fn dated_values_parse_and_show() {
        let v = DatedValue::parse(" 12,5 @ 2019-03-01 ").unwrap().unwrap();
        assert_eq!(v.value, 12.5);
        assert_eq!(v.show(), "12.5 @ 2019-03-01");
        assert_eq!(DatedValue::parse("").unwrap(), None);
        assert!(DatedValue::parse("12").is_err());
        assert!(DatedValue::parse("x @ 2019-03-01").is_err());
        assert!(DatedValue::parse("1 @ 2019-02-30").is_err());
        assert_eq!(format_value(4.23), "4.23");
        assert_eq!(parse_value("13,000").unwrap(), 13000.0);
        assert_eq!(parse_value("13 000").unwrap(), 13000.0);
        assert_eq!(parse_value("1,234.5").unwrap(), 1234.5);
        assert_eq!(parse_value("3,86").unwrap(), 3.86);
        assert_eq!(format_value(13000.0), "13000");
    }

    #[test]
    fn sources_parse_by_label() {
        assert_eq!(Source::parse("National-register").unwrap(), Source::NationalRegister);
        assert!(Source::parse("gossip").unwrap_err().contains("provider report"));
    }
}
