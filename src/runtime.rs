//! Carries out the app's effects against the store and turns the outcome into actions.
//! This is the seam between the pure app and the world: the local terminal and the
//! SSH server both drive the app through it.

use crate::app::{Action, Data, Effect};
use crate::store::{Result, Store};

pub struct Runtime {
    store: Store,
}

impl Runtime {
    pub fn new(store: Store) -> Runtime {
        Runtime { store }
    }

    pub fn store(&self) -> &Store {
        &self.store
    }

    pub fn load(&self) -> Result<Data> {
        Ok(Data {
            evaluation: self.store.evaluation()?,
            pilots: self.store.pilots()?,
            maps: self.store.maps()?,
            objectives: self.store.objectives()?,
            interviews: self.store.interviews()?,
            codebook: self.store.codebook()?,
            changelog: self.store.changelog_all()?,
        })
    }

    /// Runs one effect; the returned action reports how it went. `Quit` is the
    /// runner's business and yields nothing here.
    pub fn execute(&self, effect: Effect) -> Option<Action> {
        match effect {
            Effect::Save { changeset, message } => Some(
                match self.store.commit(changeset).and_then(|saved| Ok((saved, self.load()?))) {
                    Ok((saved, data)) => Action::Saved { data, saved, message },
                    Err(e) => Action::Failed(format!("not saved: {e}")),
                },
            ),
            Effect::Quit => None,
        }
    }
}
