//! Carries out the app's effects against the store and turns the outcome into actions.
//! This is the seam between the pure app and the world: the local terminal and the
//! SSH server both drive the app through it.

use crate::app::{Action, Data, Effect};
use crate::domain::survey::{Response, Survey};
use std::collections::HashMap;
use std::sync::Mutex;

use crate::domain::Id;
use crate::domain::workshop::{Actor, Applied, Workshop, WorkshopCommand};
use crate::store::workshops::{SNAPSHOT_EVERY, WorkshopEvent, WorkshopSnapshot};
use crate::store::{Result, Store};

pub struct Runtime {
    store: Store,
    /// Workshops as they stand, with the sequence number of their last logged command.
    workshops: Mutex<HashMap<Id, (Workshop, u64)>>,
    /// The survey catalogue (built-in and `--surveys` files); see [`Runtime::with_surveys`].
    surveys: Vec<Survey>,
    /// Responses as last read: only storing a response changes them, so other saves
    /// (a map node, a pilot's status) do not read every response again. `None` until
    /// the app first asks for them ([`Effect::LoadResponses`]): decoding 50,000 responses
    /// takes longer than a first frame may.
    responses: Mutex<Option<Responses>>,
}

type Responses = std::sync::Arc<Vec<(String, Vec<Response>)>>;

impl Runtime {
    pub fn new(store: Store) -> Runtime {
        Runtime { store, surveys: Vec::new(), workshops: Mutex::new(HashMap::new()), responses: Mutex::new(None) }
    }

    /// The survey instruments the app offers, besides those only the store still has.
    pub fn with_surveys(mut self, surveys: Vec<Survey>) -> Runtime {
        self.surveys = surveys;
        self
    }

    pub fn store(&self) -> &Store {
        &self.store
    }

    /// Everything the app shows. Survey responses are included once they have been read
    /// (see [`Runtime::load_with_responses`]); until then `Data::responses_pending` says
    /// they are still in the store.
    pub fn load(&self) -> Result<Data> {
        self.load_data(false)
    }

    /// [`Runtime::load`] with every survey's responses read.
    pub fn load_with_responses(&self) -> Result<Data> {
        self.load_data(true)
    }

    fn load_data(&self, with_responses: bool) -> Result<Data> {
        let (surveys, responses) = self.load_surveys(with_responses)?;
        Ok(Data {
            surveys,
            responses_pending: responses.is_none(),
            responses: responses.unwrap_or_default(),
            evaluation: self.store.evaluation()?,
            pilots: self.store.pilots()?,
            maps: self.store.maps()?,
            objectives: self.store.objectives()?,
            interviews: self.store.interviews()?,
            codebook: self.store.codebook()?,
            drafts: self.store.drafts()?,
            changelog: self.store.changelog_all()?,
            workshops: self.load_workshops()?,
            synthesis: self.store.synthesis()?,
        })
    }

    /// One workshop as it stands now.
    pub fn workshop(&self, id: &str) -> Result<Option<Workshop>> {
        self.with_workshop(id, Workshop::clone)
    }

    /// `look` at one workshop as it stands now, without copying it.
    pub fn with_workshop<R>(&self, id: &str, look: impl FnOnce(&Workshop) -> R) -> Result<Option<R>> {
        let mut cache = self.workshops.lock().unwrap_or_else(|e| e.into_inner());
        if !cache.contains_key(id)
            && let Some(found) = self.store.workshop(id)?
        {
            cache.insert(id.to_string(), found);
        }
        Ok(cache.get(id).map(|(w, _)| look(w)))
    }

    /// `look` at every workshop as it stands now, without copying them (a server checks a
    /// room code this way on every attempt to join).
    pub fn with_workshops<R>(&self, look: impl FnOnce(&[&Workshop]) -> R) -> Result<R> {
        let mut cache = self.workshops.lock().unwrap_or_else(|e| e.into_inner());
        let ids = self.store.workshop_ids()?;
        for id in &ids {
            if !cache.contains_key(id)
                && let Some(found) = self.store.workshop(id)?
            {
                cache.insert(id.clone(), found);
            }
        }
        let mut all: Vec<&Workshop> = ids.iter().filter_map(|id| cache.get(id)).map(|(w, _)| w).collect();
        all.sort_by_key(|w| crate::store::id_number(&w.id));
        Ok(look(&all))
    }

    /// Workshops the runtime already holds are not rebuilt from their logs: every change
    /// to them went through `apply_workshop`, which keeps the cache current.
    fn load_workshops(&self) -> Result<Vec<Workshop>> {
        self.with_workshops(|all| all.iter().map(|w| (*w).clone()).collect())
    }

    /// Applies a workshop command as `by`, logs it durably, and returns the new state.
    /// A refused command changes nothing and says why.
    pub fn apply_workshop(&self, id: &str, by: Actor, command: WorkshopCommand) -> Action {
        self.apply_workshop_then(id, by, command, |_| {})
    }

    /// [`Runtime::apply_workshop`], calling `changed` with the new state before any other
    /// command can be applied: whoever passes changes on (the server's hub) sees them in
    /// the order they were made, so an older state can never overtake a newer one.
    pub fn apply_workshop_then(
        &self,
        id: &str,
        by: Actor,
        command: WorkshopCommand,
        changed: impl FnOnce(&Workshop),
    ) -> Action {
        let now = chrono::Local::now().naive_local();
        let mut cache = self.workshops.lock().unwrap_or_else(|e| e.into_inner());
        if !cache.contains_key(id) {
            match self.store.workshop(id) {
                Ok(Some(found)) => {
                    cache.insert(id.to_string(), found);
                }
                Ok(None) => return Action::Failed(format!("no workshop {id}")),
                Err(e) => return Action::Failed(e.to_string()),
            }
        }
        let (current, seq) = cache.get(id).expect("just loaded");
        match apply_logged(&self.store, current, *seq, by, command, now) {
            Ok((next, seq, _)) => {
                changed(&next);
                cache.insert(id.to_string(), (next.clone(), seq));
                Action::WorkshopChanged(next)
            }
            Err(reason) => Action::Failed(reason),
        }
    }

    /// Runs one effect; the returned action reports how it went. `Quit` is the
    /// runner's business and yields nothing here.
    pub fn execute(&self, effect: Effect) -> Option<Action> {
        match effect {
            Effect::Save { changeset, message } => {
                Some(match self.store.commit(changeset).and_then(|saved| Ok((saved, self.load()?))) {
                    Ok((saved, data)) => Action::Saved { data, saved, message },
                    Err(e) => Action::Failed(format!("not saved: {e}")),
                })
            }
            Effect::SaveResponse { survey, response } => {
                *self.responses.lock().unwrap_or_else(|e| e.into_inner()) = None;
                Some(
                    match self.store.import_responses(&survey, vec![response]).and_then(|_| self.load_with_responses())
                    {
                        Ok(data) => {
                            let total =
                                data.responses.iter().find(|(id, _)| *id == survey.id).map_or(0, |(_, r)| r.len());
                            Action::ResponseSaved {
                                data,
                                message: format!("response saved to {} ({total} stored)", survey.title),
                            }
                        }
                        Err(e) => Action::Failed(format!("not saved: {e}")),
                    },
                )
            }
            Effect::LoadResponses => Some(match self.load_surveys(true) {
                Ok((_, Some(responses))) => Action::ResponsesLoaded(responses),
                Ok((_, None)) => Action::Failed("survey responses not read".into()),
                Err(e) => Action::Failed(format!("survey responses not read: {e}")),
            }),
            Effect::SaveDraft(draft) => Some(match self.store.save_draft(&draft) {
                Ok(()) => Action::DraftSaved,
                Err(e) => Action::Failed(format!("draft not saved: {e}")),
            }),
            Effect::SaveSeatDraft(draft) => Some(match self.store.save_seat_draft(&draft) {
                Ok(()) => Action::DraftSaved,
                Err(e) => Action::Failed(format!("draft not saved: {e}")),
            }),
            Effect::Workshop { id, command } => Some(self.apply_workshop(&id, Actor::Facilitator, command)),
            Effect::Quit => None,
        }
    }
}

/// Applies `command` from `by` at `now` to `current` (whose last logged command is
/// number `seq`) and logs it durably: the one path every workshop change takes, from
/// the runtime and from `oppi workshop apply`. Returns the new state, its sequence
/// number and what the engine said; a refused or unsaved command changes nothing.
pub fn apply_logged(
    store: &Store,
    current: &Workshop,
    seq: u64,
    by: Actor,
    command: WorkshopCommand,
    now: chrono::NaiveDateTime,
) -> std::result::Result<(Workshop, u64, Applied), String> {
    let mut next = current.clone();
    let applied = next.apply(by.clone(), command.clone(), now)?;
    let seq = seq + 1;
    let event = WorkshopEvent { seq, at: now, by, cmd: command };
    let snapshot = seq.is_multiple_of(SNAPSHOT_EVERY).then(|| WorkshopSnapshot { seq, workshop: next.clone() });
    store.append_workshop_events(&current.id, &[event], snapshot.as_ref()).map_err(|e| format!("not saved: {e}"))?;
    Ok((next, seq, applied))
}

impl Runtime {
    /// The catalogue's instruments (a stored definition with the same id and version but
    /// different content wins, as it describes the stored answers), then definitions only
    /// the store has; and every survey's stored responses, when they have been read
    /// before or `with_responses` asks for them (`None`: not read).
    fn load_surveys(&self, with_responses: bool) -> Result<(Vec<Survey>, Option<Responses>)> {
        let mut surveys = Vec::new();
        for s in &self.surveys {
            surveys.push(match self.store.stored_survey_version(&s.id, s.version)? {
                Some(stored) if stored != *s => stored,
                _ => s.clone(),
            });
        }
        // Stored definitions come by id, then version: the last of each id is the newest.
        let stored = self.store.stored_surveys()?;
        for (i, s) in stored.iter().enumerate() {
            let newest = stored.get(i + 1).is_none_or(|next| next.id != s.id);
            if newest && !surveys.iter().any(|c: &Survey| c.id == s.id) {
                surveys.push(s.clone());
            }
        }
        let mut cache = self.responses.lock().unwrap_or_else(|e| e.into_inner());
        if cache.is_none() && !with_responses {
            return Ok((surveys, None));
        }
        let fresh = cache
            .as_ref()
            .is_some_and(|c| c.len() == surveys.len() && c.iter().zip(&surveys).all(|(r, s)| r.0 == s.id));
        if !fresh {
            let read =
                surveys.iter().map(|s| Ok((s.id.clone(), self.store.responses(&s.id)?))).collect::<Result<Vec<_>>>()?;
            *cache = Some(std::sync::Arc::new(read));
        }
        Ok((surveys, cache.clone()))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::workshop::WorkshopCommand;

    /// Workshops are kept in memory between saves: a save of something else must show
    /// the workshop as its commands left it, without rebuilding it from the log.
    #[test]
    fn other_saves_keep_workshops_current() {
        let dir = tempfile::tempdir().unwrap();
        let store = Store::open(dir.path()).unwrap();
        crate::demo::write(&store, "test").unwrap();
        let runtime = Runtime::new(store);
        let data = runtime.load().unwrap();
        let id = data.workshops[0].id.clone();
        let note = WorkshopCommand::Note { text: "kept between saves".into() };
        assert!(matches!(runtime.apply_workshop(&id, Actor::Facilitator, note), Action::WorkshopChanged(_)));
        let mut pilot = data.pilots[0].clone();
        pilot.region = "Kainuu".into();
        let save = Effect::Save {
            changeset: crate::domain::Changeset { pilots: vec![pilot], ..Default::default() },
            message: String::new(),
        };
        let Some(Action::Saved { data, .. }) = runtime.execute(save) else { panic!("saved") };
        let w = data.workshops.iter().find(|w| w.id == id).unwrap();
        assert!(w.phases.iter().any(|p| p.notes.iter().any(|n| n.text == "kept between saves")));
        // And the log rebuilds the same state in a fresh runtime.
        drop(runtime);
        let again = Runtime::new(Store::open(dir.path()).unwrap()).load().unwrap();
        assert_eq!(again.workshops.iter().find(|x| x.id == id), Some(w));
    }

    /// A store that cannot be written: the app keeps running on what it read, every
    /// save is answered with a clear failure, and the edit stays on screen.
    #[test]
    fn a_read_only_store_refuses_saves_and_the_app_keeps_running() {
        use crate::app::keymap::Keymap;
        use crate::app::{App, Status, update};
        let dir = tempfile::tempdir().unwrap();
        let before = {
            let store = Store::open(dir.path()).unwrap();
            crate::demo::write(&store, "test").unwrap();
            store.backup_json().unwrap()
        };
        let runtime = Runtime::new(Store::open_read_only(dir.path(), "a test").unwrap());
        let data = runtime.load().unwrap();
        let mut app = App::new(Keymap::default_keys(), "t", chrono::NaiveDate::from_ymd_opt(2020, 1, 1).unwrap(), "x");
        update(&mut app, Action::Loaded(data.clone()));
        let mut pilot = data.pilots[0].clone();
        pilot.region = "Kainuu".into();
        let save = Effect::Save {
            changeset: crate::domain::Changeset { pilots: vec![pilot], ..Default::default() },
            message: String::new(),
        };
        let answer = runtime.execute(save).unwrap();
        let Action::Failed(message) = &answer else { panic!("refused, got {answer:?}") };
        assert!(message.contains("for reading only (a test)") && message.contains("nothing was saved"), "{message}");
        update(&mut app, answer);
        assert!(matches!(&app.status, Some(Status::Error(m)) if m.contains("nothing was saved")));
        let draft = crate::domain::interview::NoteDraft {
            interview: data.interviews[0].id.clone(),
            text: "typed".into(),
            cursor: (0, 0),
            started: chrono::NaiveDate::from_ymd_opt(2020, 1, 1).unwrap().and_hms_opt(9, 0, 0).unwrap(),
            by: String::new(),
        };
        assert!(matches!(runtime.execute(Effect::SaveDraft(draft)), Some(Action::Failed(_))));
        let note = WorkshopCommand::Note { text: "x".into() };
        assert!(!matches!(
            runtime.apply_workshop(&data.workshops[0].id, Actor::Facilitator, note),
            Action::WorkshopChanged(_)
        ));
        drop(runtime);
        let store = Store::open(dir.path()).unwrap();
        assert_eq!(store.backup_json().unwrap(), before, "the store is as it was");
    }

    /// Survey responses are not read for the first frame: the app asks for them after it
    /// (or when a survey screen opens), and then every later snapshot carries them.
    #[test]
    fn responses_are_read_when_the_app_asks_and_kept_after() {
        use crate::app::App;
        use crate::app::keymap::Keymap;
        use crate::term::dispatch;
        let dir = tempfile::tempdir().unwrap();
        let store = Store::open(dir.path()).unwrap();
        crate::demo::write(&store, "test").unwrap();
        let stored = store.response_count("client-2020").unwrap();
        assert!(stored > 0);
        let runtime = Runtime::new(store).with_surveys(crate::surveys::built_in());
        let first = runtime.load().unwrap();
        assert!(first.responses_pending && first.responses.is_empty(), "not read for the first frame");
        let today = chrono::NaiveDate::from_ymd_opt(2020, 1, 1).unwrap();

        // A session: the first frame, then the responses.
        let mut app = App::new(Keymap::default_keys(), "t", today, "x");
        dispatch(&mut app, &runtime, Action::Loaded(first));
        assert!(app.data.responses_pending, "nothing asked before the first frame");
        assert_eq!(app.responses_of_pilot("p1"), None, "home shows … meanwhile");
        dispatch(&mut app, &runtime, Action::Idle);
        assert!(!app.data.responses_pending);
        assert_eq!(app.survey_counts("client-2020").unwrap().responses, stored);
        assert!(!runtime.load().unwrap().responses_pending, "later snapshots carry them");
    }
}
