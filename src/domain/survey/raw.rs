//! The survey file as written, with source positions (`Spanned`) on every value an
//! error message may need to point at. `load.rs` turns these into `spec` types.

use std::fmt;

use serde::de::{self, MapAccess, Visitor};
use serde::{Deserialize, Deserializer};
use toml::Spanned;

/// Top-level keys other than `scales` and `items`, which are read piece by piece.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct RawHeader {
    pub id: Spanned<String>,
    pub title: String,
    pub version: u32,
    pub description: Option<String>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct RawScale {
    pub points: Vec<RawPoint>,
    pub dont_know: Option<Spanned<String>>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct RawPoint {
    pub value: Spanned<i64>,
    pub label: Spanned<String>,
}

#[derive(Deserialize, Clone, Copy, PartialEq, Eq)]
#[serde(rename_all = "lowercase")]
pub(super) enum RawType {
    Scale,
    Single,
    Multi,
    Number,
    Nps,
    Text,
}

impl RawType {
    pub fn name(self) -> &'static str {
        match self {
            RawType::Scale => "scale",
            RawType::Single => "single",
            RawType::Multi => "multi",
            RawType::Number => "number",
            RawType::Nps => "nps",
            RawType::Text => "text",
        }
    }
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct RawItem {
    pub id: Spanned<String>,
    #[serde(rename = "type")]
    pub kind: Spanned<RawType>,
    pub text: String,
    pub scale: Option<Spanned<String>>,
    pub module: Option<String>,
    pub rounds: Option<Spanned<Vec<u32>>>,
    pub pilots: Option<Vec<String>>,
    pub relevant: Option<Spanned<String>>,
    pub required: Option<bool>,
    pub choices: Option<Spanned<Vec<Spanned<RawChoice>>>>,
    pub other: Option<Spanned<bool>>,
    /// A count for multi items, a bound for number items: read as a number here.
    pub max: Option<Spanned<f64>>,
    pub min: Option<Spanned<f64>>,
    pub integer: Option<Spanned<bool>>,
}

/// `"TE office"` or `{ code = "te", label = "TE office" }`. Hand-written so a wrong
/// shape gets a clear message instead of serde's "did not match any variant".
pub(super) struct RawChoice {
    pub code: Option<String>,
    pub label: String,
}

impl<'de> Deserialize<'de> for RawChoice {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        d.deserialize_any(ChoiceVisitor)
    }
}

struct ChoiceVisitor;

impl<'de> Visitor<'de> for ChoiceVisitor {
    type Value = RawChoice;

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("a label string or a table { code = \"...\", label = \"...\" }")
    }

    fn visit_str<E: de::Error>(self, label: &str) -> Result<RawChoice, E> {
        Ok(RawChoice { code: None, label: label.to_string() })
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<RawChoice, A::Error> {
        let (mut code, mut label) = (None, None);
        while let Some(key) = map.next_key::<String>()? {
            match key.as_str() {
                "code" => code = Some(map.next_value::<String>()?),
                "label" => label = Some(map.next_value::<String>()?),
                other => return Err(de::Error::unknown_field(other, &["code", "label"])),
            }
        }
        let label = label.ok_or_else(|| de::Error::missing_field("label"))?;
        Ok(RawChoice { code, label })
    }
}
