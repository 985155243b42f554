//! Survey definitions and responses in the store.
//!
//! * `survey/<id>/<version>` holds a definition exactly as it was when responses were
//!   first stored under it, so stored answers stay interpretable when the file changes.
//!   A file whose content differs from the stored definition with the same id and
//!   version is refused: a changed instrument needs a new `version`.
//! * `response/<survey-id>/<seq>` holds one respondent's answers, with the version of
//!   the definition they were read with. `seq` comes from `meta/next-response`, so keys
//!   are in import order and never reused.
//!
//! An import writes the definition, every response and the counter in one transaction
//! and flushes before it returns: a failed import stores nothing.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};
use sled::transaction::{ConflictableTransactionError, TransactionError};

use super::records::{self, Kind, decode, encode};
use super::{Result, Store, StoreError, read_counter};
use crate::domain::survey::{Response, Survey};

/// A response as stored: the answers plus the version of the survey definition they
/// were read with.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct StoredResponse {
    pub survey_version: u32,
    #[serde(flatten)]
    pub response: Response,
}

/// What makes a response unique within a survey: a respondent answers once per round.
/// Responses without a respondent code are anonymous and never clash.
pub fn response_identity(r: &Response) -> Option<(&str, Option<u32>)> {
    r.respondent.as_deref().map(|who| (who, r.round))
}

/// "respondent 'r3'" or "respondent 'r3' in round 2".
pub fn describe_identity(who: &str, round: Option<u32>) -> String {
    match round {
        Some(n) => format!("respondent '{who}' in round {n}"),
        None => format!("respondent '{who}'"),
    }
}

impl Store {
    /// The newest stored version of a survey's definition.
    pub fn stored_survey(&self, id: &str) -> Result<Option<Survey>> {
        Ok(self.scan::<Survey>(Kind::Survey, &records::survey_prefix(id))?.pop())
    }

    /// One stored version of a survey's definition.
    pub fn stored_survey_version(&self, id: &str, version: u32) -> Result<Option<Survey>> {
        self.get(Kind::Survey, &records::survey_key(id, version))
    }

    /// Every stored definition, all versions, by id and then version.
    pub fn stored_surveys(&self) -> Result<Vec<Survey>> {
        self.scan(Kind::Survey, "survey/")
    }

    /// A survey's responses in the order they were stored.
    pub fn responses(&self, survey_id: &str) -> Result<Vec<Response>> {
        Ok(self.stored_responses(survey_id)?.into_iter().map(|r| r.response).collect())
    }

    /// A survey's responses with the definition version each was read with.
    pub fn stored_responses(&self, survey_id: &str) -> Result<Vec<StoredResponse>> {
        self.scan(Kind::Response, &records::response_prefix(survey_id))
    }

    /// How many responses are stored for a survey (without decoding them).
    pub fn response_count(&self, survey_id: &str) -> Result<usize> {
        let mut n = 0;
        for item in self.tree.scan_prefix(records::response_prefix(survey_id)) {
            item?;
            n += 1;
        }
        Ok(n)
    }

    /// Refuses `survey` when the store holds a different definition under the same id
    /// and version.
    pub fn check_survey_definition(&self, survey: &Survey) -> Result<()> {
        match self.stored_survey_version(&survey.id, survey.version)? {
            Some(stored) => {
                same_definition(&stored, survey, self.next_free_version(&survey.id)?).map_err(StoreError::Refused)
            }
            None => Ok(()),
        }
    }

    /// Stores `responses` to `survey` atomically: the definition (when this version is
    /// not stored yet), every response and the sequence counter in one transaction,
    /// flushed before it returns. Refused, storing nothing, when the store holds a
    /// different definition under the same id and version, or when a respondent would
    /// be stored twice for the same round. Answers are not checked here: callers read
    /// them with `Survey::parse_cell` and check relevance first. Returns how many
    /// responses were stored.
    pub fn import_responses(&self, survey: &Survey, responses: Vec<Response>) -> Result<usize> {
        if responses.is_empty() {
            self.check_survey_definition(survey)?;
            return Ok(0);
        }
        self.refuse_duplicates(&survey.id, &responses)?;
        // Serialise outside the transaction: its closure may run more than once.
        let survey_key = records::survey_key(&survey.id, survey.version);
        let definition = encode(Kind::Survey, survey);
        let values: Vec<Vec<u8>> = responses
            .into_iter()
            .map(|response| encode(Kind::Response, &StoredResponse { survey_version: survey.version, response }))
            .collect();
        let count = values.len();
        let free = self.next_free_version(&survey.id)?;
        self.tree
            .transaction(|tx| {
                match tx.get(survey_key.as_bytes())? {
                    Some(bytes) => {
                        let stored: Survey = decode(Kind::Survey, &survey_key, &bytes)
                            .map_err(|e| ConflictableTransactionError::Abort(e.to_string()))?;
                        same_definition(&stored, survey, free).map_err(ConflictableTransactionError::Abort)?;
                    }
                    None => {
                        tx.insert(survey_key.as_bytes(), definition.as_slice())?;
                    }
                }
                let mut seq = read_counter(tx.get(records::NEXT_RESPONSE_KEY)?.as_deref());
                for v in &values {
                    tx.insert(records::response_key(&survey.id, seq).as_bytes(), v.as_slice())?;
                    seq += 1;
                }
                tx.insert(records::NEXT_RESPONSE_KEY, serde_json::to_vec(&seq).unwrap())?;
                Ok(())
            })
            .map_err(|e: TransactionError<String>| match e {
                TransactionError::Abort(msg) => StoreError::Refused(msg),
                TransactionError::Storage(e) => StoreError::Write(e.to_string()),
            })?;
        self.db.flush()?;
        Ok(count)
    }

    /// One more than the newest stored version of a survey.
    fn next_free_version(&self, id: &str) -> Result<u32> {
        Ok(self.stored_survey(id)?.map_or(1, |s| s.version + 1))
    }

    /// One process holds the store (see `lock`), so checking before the transaction is
    /// race-free.
    fn refuse_duplicates(&self, survey_id: &str, responses: &[Response]) -> Result<()> {
        let stored = self.responses(survey_id)?;
        let mut seen: BTreeMap<(&str, Option<u32>), bool> = BTreeMap::new();
        for r in &stored {
            if let Some(id) = response_identity(r) {
                seen.insert(id, true);
            }
        }
        let mut problems = Vec::new();
        for r in responses {
            let Some(id) = response_identity(r) else { continue };
            match seen.get(&id) {
                Some(true) => {
                    problems.push(format!("{} is already stored for {survey_id}", describe_identity(id.0, id.1)))
                }
                Some(false) => problems.push(format!("{} appears twice", describe_identity(id.0, id.1))),
                None => {
                    seen.insert(id, false);
                }
            }
        }
        if problems.is_empty() {
            Ok(())
        } else {
            Err(StoreError::Refused(format!("nothing was stored: {}", problems.join("; "))))
        }
    }
}

/// Definitions are compared as JSON, so what counts is their content, not comments or
/// layout in the file.
fn same_definition(stored: &Survey, file: &Survey, free: u32) -> std::result::Result<(), String> {
    let as_json = |s: &Survey| serde_json::to_value(s).expect("surveys always serialise");
    if as_json(stored) == as_json(file) {
        return Ok(());
    }
    Err(format!(
        "survey {} version {} is already stored with different content; responses stored under it \
         must stay readable, so a changed instrument needs a new version: set `version = {}` in the file",
        file.id,
        file.version,
        free.max(file.version + 1)
    ))
}
