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
//! An import ([`ResponseImport`]) serialises each response as it is handed over, then
//! writes the definition, every response and the counter, flushed before it returns:
//! a failed or interrupted import stores nothing. Reading is streaming
//! ([`Store::responses_iter`]): 100,000 responses are never all in memory at once
//! unless a caller collects them.

use std::collections::{BTreeMap, HashSet};

use serde::{Deserialize, Serialize};

use super::records::{self, Kind, decode_direct, decode_seed, encode};
use super::{Result, Store, StoreError, read_counter};
use crate::domain::survey::{Answer, AnswerLayout, DenseResponse, Response, Survey};

/// A response as stored: the answers plus the version of the survey definition they
/// were read with.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(from = "StoredRecord")]
pub struct StoredResponse {
    pub survey_version: u32,
    #[serde(flatten)]
    pub response: Response,
}

/// The stored layout of a response, spelled out: `survey_version`, then the fields of
/// [`Response`]. Serialising it gives the same bytes as `StoredResponse`, and reading
/// it avoids `#[serde(flatten)]`, which buffers every value before deserialising it.
#[derive(Serialize, Deserialize)]
struct StoredRecord<R = Option<String>, A = BTreeMap<String, Answer>> {
    survey_version: u32,
    respondent: R,
    pilot: R,
    round: Option<u32>,
    submitted: R,
    answers: A,
}

impl From<StoredRecord> for StoredResponse {
    fn from(r: StoredRecord) -> Self {
        let StoredRecord { survey_version, respondent, pilot, round, submitted, answers } = r;
        StoredResponse { survey_version, response: Response { respondent, pilot, round, submitted, answers } }
    }
}

/// The stored bytes of `response` read with `survey_version`, in `buf`; no copy of
/// the response is made.
pub(super) fn encode_response(survey_version: u32, r: &Response, buf: &mut Vec<u8>) {
    let record = StoredRecord {
        survey_version,
        respondent: &r.respondent,
        pilot: &r.pilot,
        round: r.round,
        submitted: &r.submitted,
        answers: &r.answers,
    };
    records::encode_into(Kind::Response, &record, buf);
}

/// Only what identifies a stored response: reading it skips the answers unallocated.
#[derive(Deserialize)]
struct IdentityView {
    respondent: Option<String>,
    round: Option<u32>,
}

/// A respondent code and a round: a respondent answers once per round.
pub type Identity = (String, Option<u32>);

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

    /// A survey's responses in the order they were stored, all in memory; see
    /// [`Store::responses_iter`] for large surveys.
    pub fn responses(&self, survey_id: &str) -> Result<Vec<Response>> {
        self.responses_iter(survey_id).collect()
    }

    /// A survey's responses in the order they were stored, read and decoded one at a
    /// time. (The stored `survey_version` is skipped: `Response` ignores unknown fields.)
    pub fn responses_iter(&self, survey_id: &str) -> impl Iterator<Item = Result<Response>> + '_ {
        self.tree.scan_prefix(records::response_prefix(survey_id)).map(|item| {
            let (k, v) = item?;
            decode_direct(Kind::Response, &String::from_utf8_lossy(&k), &v)
        })
    }

    /// [`Store::responses_iter`] with each response's answers laid out by `layout`
    /// (see `DenseResponse`): what a tally reads, at half the decoding work.
    pub fn dense_responses_iter<'a>(
        &'a self,
        survey_id: &str,
        layout: &'a AnswerLayout,
    ) -> impl Iterator<Item = Result<DenseResponse>> + 'a {
        self.tree.scan_prefix(records::response_prefix(survey_id)).map(move |item| {
            let (k, v) = item?;
            decode_seed(Kind::Response, &String::from_utf8_lossy(&k), &v, layout.seed())
        })
    }

    /// A survey's responses with the definition version each was read with.
    pub fn stored_responses(&self, survey_id: &str) -> Result<Vec<StoredResponse>> {
        self.tree
            .scan_prefix(records::response_prefix(survey_id))
            .map(|item| {
                let (k, v) = item?;
                decode_direct(Kind::Response, &String::from_utf8_lossy(&k), &v)
            })
            .collect()
    }

    /// The (respondent, round) of every stored response to a survey that has a
    /// respondent code, read without decoding the answers.
    pub fn response_identities(&self, survey_id: &str) -> Result<HashSet<Identity>> {
        Ok(self.scan_identities(survey_id)?.0)
    }

    /// [`Store::response_identities`] and how many responses are stored in all.
    fn scan_identities(&self, survey_id: &str) -> Result<(HashSet<Identity>, usize)> {
        let (mut identities, mut count) = (HashSet::new(), 0);
        for item in self.tree.scan_prefix(records::response_prefix(survey_id)) {
            let (k, v) = item?;
            let view: IdentityView = decode_direct(Kind::Response, &String::from_utf8_lossy(&k), &v)?;
            if let Some(who) = view.respondent {
                identities.insert((who, view.round));
            }
            count += 1;
        }
        Ok((identities, count))
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

    /// Stores `responses` to `survey` atomically (see [`ResponseImport`]). Refused,
    /// storing nothing, when the store holds a different definition under the same id
    /// and version, or when a respondent would be stored twice for the same round.
    /// Answers are not checked here: callers read them with `Survey::parse_cell` and
    /// check relevance first. Returns how many responses were stored.
    pub fn import_responses(&self, survey: &Survey, responses: Vec<Response>) -> Result<usize> {
        let mut import = self.begin_import(survey)?;
        for r in &responses {
            import.add(r);
        }
        import.commit()
    }

    /// Starts an import of responses to `survey`: checks the definition against the
    /// stored one and reads which respondents are already stored (their codes only).
    pub fn begin_import<'a>(&'a self, survey: &'a Survey) -> Result<ResponseImport<'a>> {
        self.writable()?;
        let definition = match self.stored_survey_version(&survey.id, survey.version)? {
            Some(stored) => {
                same_definition(&stored, survey, self.next_free_version(&survey.id)?).map_err(StoreError::Refused)?;
                None
            }
            None => Some(encode(Kind::Survey, survey)),
        };
        let (stored, stored_count) = self.scan_identities(&survey.id)?;
        Ok(ResponseImport {
            store: self,
            survey,
            definition,
            stored,
            stored_count,
            added: HashSet::new(),
            problems: Vec::new(),
            values: Vec::new(),
            scratch: Vec::new(),
            first_seq: read_counter(self.tree.get(records::NEXT_RESPONSE_KEY)?.as_deref()),
            count: 0,
        })
    }

    /// One more than the newest stored version of a survey.
    fn next_free_version(&self, id: &str) -> Result<u32> {
        Ok(self.stored_survey(id)?.map_or(1, |s| s.version + 1))
    }
}

/// Responses on their way into the store, from [`Store::begin_import`]. Each one
/// handed to [`add`](Self::add) is checked for a duplicate respondent and serialised
/// straight away, so only its bytes are kept; [`commit`](Self::commit) writes them, the
/// definition (when this version is not stored yet) and the sequence counter, and
/// flushes — all of it or, as far as any reader can tell, nothing.
///
/// A small import is one atomic `sled::Batch`. A large one is not: sled keeps every
/// intermediate tree node of a batch until it ends (about 6 KB per record: 100,000
/// responses would take 700 MB). So it is written in batches of `CHUNK` responses
/// between two markers: first `meta/import-pending` (flushed) names the survey and the
/// first sequence number, then the responses go in, then one last batch adds the
/// definition and the counter and removes the marker. A store opened with the marker
/// still there holds an import that never finished: [`Store::roll_back_import`]
/// removes its responses before anything else reads the store.
///
/// One process holds the store (see `lock`), so what `begin_import` read is still
/// true at `commit`.
pub struct ResponseImport<'a> {
    store: &'a Store,
    survey: &'a Survey,
    /// The encoded definition, when this version is not stored yet.
    definition: Option<Vec<u8>>,
    /// Respondents already stored.
    stored: HashSet<Identity>,
    /// Responses already stored, anonymous ones included.
    stored_count: usize,
    /// Respondents added in this import.
    added: HashSet<Identity>,
    problems: Vec<String>,
    /// The stored bytes of each response added, until the first problem.
    values: Vec<Vec<u8>>,
    scratch: Vec<u8>,
    /// The sequence number of the first response added.
    first_seq: u64,
    count: usize,
}

/// Responses per `sled::Batch` in a large import: big enough to write quickly, small
/// enough to keep sled's memory in bounds.
pub const CHUNK: usize = 1000;

/// Set while a large import is being written; see [`ResponseImport`].
pub(super) const PENDING_KEY: &str = "meta/import-pending";

#[derive(Serialize, Deserialize)]
struct Pending {
    survey: String,
    /// The sequence number of the import's first response.
    from: u64,
}

impl ResponseImport<'_> {
    /// Whether the store already holds a response from this respondent in this round.
    pub fn is_stored(&self, respondent: &str, round: Option<u32>) -> bool {
        self.stored.contains(&(respondent.to_string(), round))
    }

    /// Adds one response. A respondent already stored for its round, or added twice, is
    /// a problem that makes [`commit`](Self::commit) refuse the whole import; after the
    /// first problem responses are still checked but no longer kept.
    pub fn add(&mut self, response: &Response) {
        if let Some((who, round)) = response_identity(response) {
            let identity = (who.to_string(), round);
            if self.stored.contains(&identity) {
                self.problems.push(format!(
                    "{} is already stored for {}",
                    describe_identity(who, round),
                    self.survey.id
                ));
            } else if self.added.contains(&identity) {
                self.problems.push(format!("{} appears twice", describe_identity(who, round)));
            } else {
                self.added.insert(identity);
            }
        }
        if self.problems.is_empty() {
            // Encoded in a buffer that has grown to fit, then copied at its exact size.
            encode_response(self.survey.version, response, &mut self.scratch);
            self.values.push(self.scratch.clone());
        } else {
            self.values = Vec::new();
        }
        self.count += 1;
    }

    /// How many responses to the survey the store held when the import began.
    pub fn stored_before(&self) -> usize {
        self.stored_count
    }

    /// How many responses were added.
    pub fn len(&self) -> usize {
        self.count
    }

    pub fn is_empty(&self) -> bool {
        self.count == 0
    }

    /// Writes everything and flushes it; returns how many responses were stored.
    /// Refused, storing nothing, if any added response was a problem. An import of no
    /// responses stores nothing, not even the definition.
    pub fn commit(self) -> Result<usize> {
        if !self.problems.is_empty() {
            return Err(StoreError::Refused(format!("nothing was stored: {}", self.problems.join("; "))));
        }
        if self.count == 0 {
            return Ok(0);
        }
        let (store, survey, first) = (self.store, self.survey, self.first_seq);
        let mut last = sled::Batch::default();
        if let Some(definition) = self.definition {
            last.insert(records::survey_key(&survey.id, survey.version).as_bytes(), definition);
        }
        let next = first + self.count as u64;
        last.insert(records::NEXT_RESPONSE_KEY, serde_json::to_vec(&next).expect("a number serialises"));
        let response_key = |i: usize| records::response_key(&survey.id, first + i as u64);

        if self.values.len() <= CHUNK {
            for (i, value) in self.values.into_iter().enumerate() {
                last.insert(response_key(i).as_bytes(), value);
            }
            store.tree.apply_batch(last)?;
            store.db.flush()?;
            return Ok(self.count);
        }

        let pending = Pending { survey: survey.id.clone(), from: first };
        store.tree.insert(PENDING_KEY, serde_json::to_vec(&pending).expect("a marker serialises"))?;
        store.db.flush()?;
        let mut values = self.values;
        let written = (|| -> Result<()> {
            let mut i = 0;
            while i < values.len() {
                let mut batch = sled::Batch::default();
                for value in values[i..].iter_mut().take(CHUNK) {
                    batch.insert(response_key(i).as_bytes(), std::mem::take(value));
                    i += 1;
                }
                store.tree.apply_batch(batch)?;
            }
            last.remove(PENDING_KEY);
            store.tree.apply_batch(last)?;
            store.db.flush()?;
            Ok(())
        })();
        if let Err(e) = written {
            // Best effort; failing that, the next `Store::open` rolls the import back.
            let _ = store.roll_back_import();
            return Err(e);
        }
        Ok(self.count)
    }
}

impl Store {
    /// Removes the responses of a large import that never finished (see
    /// [`ResponseImport`]), if any: called when the store is opened. Returns how many
    /// records were removed.
    pub fn roll_back_import(&self) -> Result<usize> {
        let Some(bytes) = self.tree.get(PENDING_KEY)? else { return Ok(0) };
        let pending: Pending = serde_json::from_slice(&bytes)
            .map_err(|e| StoreError::Corrupt { key: PENDING_KEY.into(), msg: e.to_string() })?;
        let from = records::response_key(&pending.survey, pending.from);
        let prefix = records::response_prefix(&pending.survey);
        let mut removed = 0;
        loop {
            let mut batch = sled::Batch::default();
            let mut n = 0;
            for item in self.tree.range(from.as_bytes()..).keys().take(CHUNK) {
                let key = item?;
                if !key.starts_with(prefix.as_bytes()) {
                    break;
                }
                batch.remove(key);
                n += 1;
            }
            if n == 0 {
                break;
            }
            self.tree.apply_batch(batch)?;
            removed += n;
        }
        self.tree.remove(PENDING_KEY)?;
        self.db.flush()?;
        Ok(removed)
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
