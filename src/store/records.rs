//! How records are laid out in the one sled tree, and how old versions are upgraded.
//!
//! Every value is a JSON envelope `{"v": N, "data": …}`. Keys are `kind/id`, so one
//! ordered scan by prefix lists a kind, and one sled batch or transaction can write
//! records of several kinds atomically.

use serde::{Deserialize, Serialize, de::DeserializeOwned};
use serde_json::Value;

use super::StoreError;

/// The store format as a whole; bumped when keys move, not when one record changes.
pub const STORE_FORMAT: u32 = 1;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    Evaluation,
    Pilot,
    Map,
    Objective,
    Log,
    /// A survey definition, copied into the store when its first responses are stored.
    Survey,
    /// One respondent's answers to one survey.
    Response,
    Interview,
    Codebook,
    /// The synthesis: findings, recommendations and conclusions, one record.
    Synthesis,
    /// Unsettled interview notes (see `NoteDraft`).
    Draft,
    /// A workshop snapshot; `WorkshopEvent`s after it are its log.
    Workshop,
    WorkshopEvent,
    /// What a workshop participant typed but did not send (see `SeatDraft`).
    SeatDraft,
}

impl Kind {
    /// The record's current schema version.
    pub fn version(self) -> u32 {
        match self {
            Kind::Evaluation => 1,
            Kind::Pilot => 2,
            Kind::Map => 1,
            Kind::Objective => 1,
            Kind::Log => 1,
            Kind::Survey => 1,
            Kind::Response => 1,
            Kind::Interview => 1,
            Kind::Codebook => 1,
            Kind::Synthesis => 1,
            Kind::Draft => 1,
            Kind::Workshop => 1,
            Kind::WorkshopEvent => 1,
            Kind::SeatDraft => 1,
        }
    }

    pub fn of_key(key: &str) -> Option<Kind> {
        match key.split('/').next()? {
            "eval" => Some(Kind::Evaluation),
            "pilot" => Some(Kind::Pilot),
            "map" => Some(Kind::Map),
            "objective" => Some(Kind::Objective),
            "log" => Some(Kind::Log),
            "survey" => Some(Kind::Survey),
            "response" => Some(Kind::Response),
            "interview" => Some(Kind::Interview),
            "codebook" => Some(Kind::Codebook),
            "synthesis" => Some(Kind::Synthesis),
            "draft" => Some(Kind::Draft),
            "workshop" => Some(Kind::Workshop),
            "wlog" => Some(Kind::WorkshopEvent),
            "seatdraft" => Some(Kind::SeatDraft),
            _ => None,
        }
    }

    /// Upgrades `data` from version `from` to the current version, one step at a time.
    fn migrate(self, from: u32, mut data: Value) -> Result<Value, String> {
        let mut v = from;
        while v < self.version() {
            data = match (self, v) {
                (Kind::Pilot, 1) => pilot_v1_to_v2(data)?,
                _ => return Err(format!("no migration from version {v}")),
            };
            v += 1;
        }
        Ok(data)
    }
}

pub const EVALUATION_KEY: &str = "eval";
pub const NEXT_ID_KEY: &str = "meta/next-id";
pub const NEXT_LOG_KEY: &str = "meta/next-log";
pub const FORMAT_KEY: &str = "meta/format";
pub const NEXT_RESPONSE_KEY: &str = "meta/next-response";

pub fn pilot_key(id: &str) -> String {
    format!("pilot/{id}")
}

pub fn map_key(pilot: &str) -> String {
    format!("map/{pilot}")
}

pub fn objective_key(id: &str) -> String {
    format!("objective/{id}")
}

pub const CODEBOOK_KEY: &str = "codebook";

pub const SYNTHESIS_KEY: &str = "synthesis";

pub fn interview_key(id: &str) -> String {
    format!("interview/{id}")
}

pub fn workshop_key(id: &str) -> String {
    format!("workshop/{id}")
}

/// Zero-padded so that a prefix scan replays the log in order.
pub fn workshop_event_key(id: &str, seq: u64) -> String {
    format!("wlog/{id}/{seq:012}")
}

pub fn workshop_events_prefix(id: &str) -> String {
    format!("wlog/{id}/")
}

pub fn seat_draft_key(workshop: &str, participant: &str) -> String {
    format!("seatdraft/{workshop}/{participant}")
}

pub fn draft_key(interview: &str) -> String {
    format!("draft/{interview}")
}

/// Zero-padded so that byte order is time order.
pub fn log_key(seq: u64) -> String {
    format!("log/{seq:016}")
}

/// One stored version of a survey definition. The version is zero-padded so that a
/// prefix scan of `survey/<id>/` lists versions oldest first.
pub fn survey_key(id: &str, version: u32) -> String {
    format!("survey/{id}/{version:010}")
}

/// Every stored version of one survey.
pub fn survey_prefix(id: &str) -> String {
    format!("survey/{id}/")
}

/// Zero-padded so that byte order is import order; `seq` comes from one counter for all surveys.
pub fn response_key(survey: &str, seq: u64) -> String {
    format!("response/{survey}/{seq:012}")
}

/// Every stored response of one survey.
pub fn response_prefix(survey: &str) -> String {
    format!("response/{survey}/")
}

#[derive(Serialize, Deserialize)]
struct Envelope<T> {
    v: u32,
    data: T,
}

pub fn encode<T: Serialize>(kind: Kind, data: &T) -> Vec<u8> {
    serde_json::to_vec(&Envelope { v: kind.version(), data }).expect("domain records always serialise")
}

/// [`encode`] into `buf` (cleared first), so one buffer serves many records.
pub fn encode_into<T: Serialize>(kind: Kind, data: &T, buf: &mut Vec<u8>) {
    buf.clear();
    serde_json::to_writer(&mut *buf, &Envelope { v: kind.version(), data }).expect("domain records always serialise");
}

/// Decodes and, if needed, upgrades a record. A record written by a newer oppi is refused
/// rather than misread.
pub fn decode<T: DeserializeOwned>(kind: Kind, key: &str, bytes: &[u8]) -> Result<T, StoreError> {
    let corrupt = |msg: String| StoreError::Corrupt { key: key.to_string(), msg };
    let env: Envelope<Value> = serde_json::from_slice(bytes).map_err(|e| corrupt(e.to_string()))?;
    upgrade(kind, env.v, env.data).map_err(corrupt)
}

/// Like [`decode`], but a record already at the current version is deserialised
/// straight from its bytes, without building a `serde_json::Value` first: more than
/// twice as fast for records read by the hundred thousand (survey responses). Older
/// records still go through `Kind::migrate`. `encode` writes `v` before `data`; an
/// envelope in the other order (a hand-edited backup) is read the slow way.
pub fn decode_direct<T: DeserializeOwned>(kind: Kind, key: &str, bytes: &[u8]) -> Result<T, StoreError> {
    decode_seed(kind, key, bytes, std::marker::PhantomData::<T>)
}

/// [`decode_direct`] with a `DeserializeSeed` for the data, for readers that need
/// context (a survey's item order) to lay a record out.
pub fn decode_seed<'de, S>(kind: Kind, key: &str, bytes: &'de [u8], seed: S) -> Result<S::Value, StoreError>
where
    S: serde::de::DeserializeSeed<'de> + Clone,
{
    use serde::de::DeserializeSeed as _;
    let corrupt = |msg: String| StoreError::Corrupt { key: key.to_string(), msg };
    let mut de = serde_json::Deserializer::from_slice(bytes);
    let read = direct::Envelope::new(kind.version(), seed.clone())
        .deserialize(&mut de)
        .and_then(|read| de.end().map(|()| read))
        .map_err(|e| corrupt(e.to_string()))?;
    match read {
        direct::Read::Current(data) => Ok(data),
        direct::Read::Other(v, data) => {
            let data = upgrade_value(kind, v, data).map_err(corrupt)?;
            seed.deserialize(data).map_err(|e| corrupt(e.to_string()))
        }
    }
}

/// Refuses a record written by a newer oppi rather than misreading it; upgrades an
/// older one.
fn upgrade<T: DeserializeOwned>(kind: Kind, v: u32, data: Value) -> Result<T, String> {
    serde_json::from_value(upgrade_value(kind, v, data)?).map_err(|e| e.to_string())
}

fn upgrade_value(kind: Kind, v: u32, data: Value) -> Result<Value, String> {
    if v > kind.version() {
        return Err(format!("written by a newer oppi (record version {v}, this build reads up to {})", kind.version()));
    }
    kind.migrate(v, data)
}

/// The envelope visitor behind [`decode_seed`].
mod direct {
    use std::fmt;

    use serde::Deserialize;
    use serde::de::{self, DeserializeSeed, Deserializer, IgnoredAny, MapAccess, Visitor};
    use serde_json::Value;

    pub enum Read<T> {
        /// `data` at the current version, deserialised directly.
        Current(T),
        /// `data` at another version (or seen before `v`), for `upgrade_value`.
        Other(u32, Value),
    }

    pub struct Envelope<S> {
        current: u32,
        data: S,
    }

    impl<S> Envelope<S> {
        pub fn new(current: u32, data: S) -> Self {
            Envelope { current, data }
        }
    }

    #[derive(Deserialize)]
    #[serde(field_identifier, rename_all = "lowercase")]
    enum Field {
        V,
        Data,
        #[serde(other)]
        Other,
    }

    impl<'de, S: DeserializeSeed<'de>> DeserializeSeed<'de> for Envelope<S> {
        type Value = Read<S::Value>;

        fn deserialize<D: Deserializer<'de>>(self, deserializer: D) -> Result<Self::Value, D::Error> {
            deserializer.deserialize_map(self)
        }
    }

    impl<'de, S: DeserializeSeed<'de>> Visitor<'de> for Envelope<S> {
        type Value = Read<S::Value>;

        fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
            f.write_str("a record envelope {\"v\": …, \"data\": …}")
        }

        fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Self::Value, A::Error> {
            let mut v: Option<u32> = None;
            let mut seed = Some(self.data);
            let mut data: Option<Read<S::Value>> = None;
            while let Some(field) = map.next_key::<Field>()? {
                match field {
                    Field::V if v.is_some() => return Err(de::Error::duplicate_field("v")),
                    Field::V => v = Some(map.next_value()?),
                    Field::Data if data.is_some() => return Err(de::Error::duplicate_field("data")),
                    Field::Data => match seed.take() {
                        Some(seed) if v == Some(self.current) => data = Some(Read::Current(map.next_value_seed(seed)?)),
                        _ => data = Some(Read::Other(0, map.next_value()?)),
                    },
                    Field::Other => {
                        map.next_value::<IgnoredAny>()?;
                    }
                }
            }
            let v = v.ok_or_else(|| de::Error::missing_field("v"))?;
            match data.ok_or_else(|| de::Error::missing_field("data"))? {
                Read::Other(_, value) => Ok(Read::Other(v, value)),
                current => Ok(current),
            }
        }
    }
}

/// Pilot v1 kept a single status and target group; v2 keeps their history.
fn pilot_v1_to_v2(mut data: Value) -> Result<Value, String> {
    let obj = data.as_object_mut().ok_or("pilot is not an object")?;
    let since = obj.remove("created").unwrap_or(Value::String("1970-01-01".into()));
    let status = obj.remove("status").unwrap_or(Value::String("planned".into()));
    obj.insert("status_history".into(), serde_json::json!([{ "status": status, "since": since, "note": "" }]));
    match obj.remove("target_group") {
        Some(Value::String(s)) if !s.is_empty() => {
            obj.insert("target_group".into(), serde_json::json!([{ "since": since, "value": s }]));
        }
        _ => {
            obj.insert("target_group".into(), serde_json::json!([]));
        }
    }
    Ok(data)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::{Pilot, PilotStatus};

    /// A pilot as version 1 stored it: one status and one target group, no history.
    fn pilot_v1() -> Value {
        serde_json::json!({
            "v": 1,
            "data": {
                "id": "p3", "name": "Innorekry", "region": "Pohjanmaa", "kind": "business-service",
                "delivery": "own-process", "planned_participants": null, "actual_participants": null,
                "status": "suspended", "target_group": "SMEs in metal", "created": "2019-05-01"
            }
        })
    }

    #[test]
    fn pilot_v1_is_upgraded_with_history() {
        let v1 = pilot_v1();
        let pilot: Pilot = decode(Kind::Pilot, "pilot/p3", v1.to_string().as_bytes()).unwrap();
        assert_eq!(pilot.status(), PilotStatus::Suspended);
        assert_eq!(pilot.status_history[0].since.to_string(), "2019-05-01");
        assert_eq!(pilot.current_target_group(), "SMEs in metal");
    }

    #[test]
    fn newer_records_are_refused_not_misread() {
        let v9 = br#"{"v": 9, "data": {}}"#;
        let err = decode::<Pilot>(Kind::Pilot, "pilot/p1", v9).unwrap_err();
        assert!(err.to_string().contains("newer oppi"), "{err}");
    }

    #[test]
    fn garbage_names_the_key() {
        let err = decode::<Pilot>(Kind::Pilot, "pilot/p1", b"\xff{").unwrap_err();
        assert!(err.to_string().contains("pilot/p1"), "{err}");
    }

    #[test]
    fn decode_direct_reads_what_decode_reads() {
        let pilot = crate::demo::pilots().remove(0);
        let bytes = encode(Kind::Pilot, &pilot);
        assert_eq!(decode_direct::<Pilot>(Kind::Pilot, "pilot/p1", &bytes).unwrap(), pilot);
        // `data` before `v`, or an extra field: still read.
        let value: Value = serde_json::from_slice(&bytes).unwrap();
        let reordered = format!(r#"{{"data": {}, "extra": 1, "v": {}}}"#, value["data"], value["v"]);
        assert_eq!(decode_direct::<Pilot>(Kind::Pilot, "pilot/p1", reordered.as_bytes()).unwrap(), pilot);
        // An old version is migrated, a newer one refused, garbage named by its key.
        let v1 = pilot_v1().to_string();
        let upgraded: Pilot = decode_direct(Kind::Pilot, "pilot/p3", v1.as_bytes()).unwrap();
        assert_eq!(upgraded, decode::<Pilot>(Kind::Pilot, "pilot/p3", v1.as_bytes()).unwrap());
        let err = decode_direct::<Pilot>(Kind::Pilot, "pilot/p1", br#"{"v": 9, "data": {}}"#).unwrap_err();
        assert!(err.to_string().contains("newer oppi"), "{err}");
        for bad in [
            &b"\xff{"[..],
            br#"{"v": 2}"#,
            br#"{"data": {}}"#,
            br#"{"v": 2, "data": 7}"#,
            b"{\"v\": 2, \"data\": {}} x",
        ] {
            let err = decode_direct::<Pilot>(Kind::Pilot, "pilot/p1", bad).unwrap_err();
            assert!(err.to_string().contains("pilot/p1"), "{err}");
        }
    }

    #[test]
    fn log_keys_sort_in_time_order() {
        assert!(log_key(9) < log_key(10));
    }

    #[test]
    fn survey_and_response_keys_sort_and_do_not_overlap() {
        assert!(survey_key("s", 9) < survey_key("s", 10));
        assert!(response_key("s", 999) < response_key("s", 1000));
        assert!(!response_key("ab", 1).starts_with(&response_prefix("a")));
        assert!(!survey_key("ab", 1).starts_with(&survey_prefix("a")));
        assert_eq!(Kind::of_key(&survey_key("s", 1)), Some(Kind::Survey));
        assert_eq!(Kind::of_key(&response_key("s", 1)), Some(Kind::Response));
    }
}
