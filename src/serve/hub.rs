//! Every connected session, and the fan-out of changes between them.
//!
//! Each session runs its own app; when one of them changes something, the hub sends the
//! new state to every *other* session that may see it — a workshop's change to the
//! evaluators and to that workshop's participants only, anything else to the evaluators
//! only. It also admits sessions within the limits, and tells evaluators who else is
//! connected and what they have open.

use std::collections::{BTreeMap, BTreeSet};
use std::net::IpAddr;
use std::sync::mpsc::Sender;
use std::sync::{Arc, Mutex};

use crate::app::{Action, Data, Presence};
use crate::domain::Id;
use crate::domain::workshop::{ParticipantId, Workshop};

pub type SessionId = u64;

/// Who a session is to the server; fixed at authentication, never chosen by the app.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Seat {
    /// An evaluator with a facilitator key: the whole app.
    Facilitator { name: String },
    /// One workshop's participant: that workshop's participant screen, nothing else.
    Participant { workshop: Id, participant: ParticipantId },
}

struct Member {
    seat: Seat,
    addr: Option<IpAddr>,
    inbox: Sender<Action>,
    subject: Option<String>,
    /// Workshops changed since the session last took them (see [`Hub::take_changed`]).
    stale: BTreeSet<Id>,
}

/// A room of 200 voting at once makes hundreds of changes a second; sending each
/// session a copy of the workshop per change would queue copies faster than sessions
/// draw them. Instead the hub keeps the latest state once, and a session is woken once
/// with [`Action::WorkshopStale`] and then takes whatever is newest.
#[derive(Default)]
pub struct Hub {
    members: Mutex<BTreeMap<SessionId, Member>>,
    next: Mutex<SessionId>,
    latest: Mutex<BTreeMap<Id, Arc<Workshop>>>,
}

/// How many sessions may be open at once.
#[derive(Debug, Clone, Copy)]
pub struct SessionLimits {
    pub total: u32,
    pub per_address: u32,
}

impl Hub {
    pub fn new() -> Hub {
        Hub::default()
    }

    fn members(&self) -> std::sync::MutexGuard<'_, BTreeMap<SessionId, Member>> {
        // A session that panicked while holding the lock left the map whole (every
        // change to it is one insert or remove), so carry on with it.
        self.members.lock().unwrap_or_else(|e| e.into_inner())
    }

    /// Whether one more session from `addr` fits the limits.
    pub fn has_room(&self, addr: Option<IpAddr>, limits: SessionLimits) -> Result<(), String> {
        let members = self.members();
        if members.len() >= limits.total as usize {
            return Err(format!("the server is full ({} sessions); try again later", limits.total));
        }
        let from_addr = members.values().filter(|m| addr.is_some() && m.addr == addr).count();
        if from_addr >= limits.per_address as usize {
            return Err(format!("too many sessions from this address (at most {})", limits.per_address));
        }
        Ok(())
    }

    /// Registers a session; it hears of others' changes through `inbox` until it leaves.
    pub fn join(
        &self,
        seat: Seat,
        addr: Option<IpAddr>,
        inbox: Sender<Action>,
        limits: SessionLimits,
    ) -> Result<SessionId, String> {
        self.has_room(addr, limits)?;
        let id = {
            let mut next = self.next.lock().unwrap_or_else(|e| e.into_inner());
            *next += 1;
            *next
        };
        self.members().insert(id, Member { seat, addr, inbox, subject: None, stale: BTreeSet::new() });
        self.announce();
        Ok(id)
    }

    pub fn leave(&self, id: SessionId) {
        if self.members().remove(&id).is_some() {
            self.announce();
        }
    }

    pub fn len(&self) -> usize {
        self.members().len()
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// A workshop changed in session `from`: everyone else who may see it is told,
    /// once until they take the news (see [`Hub::take_changed`]).
    pub fn workshop_changed(&self, from: SessionId, workshop: &Workshop) {
        self.latest.lock().unwrap_or_else(|e| e.into_inner()).insert(workshop.id.clone(), Arc::new(workshop.clone()));
        for (id, m) in self.members().iter_mut() {
            let sees = match &m.seat {
                Seat::Facilitator { .. } => true,
                Seat::Participant { workshop: w, .. } => *w == workshop.id,
            };
            if *id != from && sees {
                let first = m.stale.is_empty();
                m.stale.insert(workshop.id.clone());
                if first {
                    let _ = m.inbox.send(Action::WorkshopStale);
                }
            }
        }
    }

    /// The newest state of every workshop that changed since session `id` last asked.
    pub fn take_changed(&self, id: SessionId) -> Vec<Workshop> {
        let stale = match self.members().get_mut(&id) {
            Some(m) => std::mem::take(&mut m.stale),
            None => return Vec::new(),
        };
        let latest = self.latest.lock().unwrap_or_else(|e| e.into_inner());
        stale.iter().filter_map(|w| latest.get(w)).map(|w| (**w).clone()).collect()
    }

    /// The store changed in session `from`: the other evaluators reload. Participants
    /// never receive the store's data.
    pub fn data_changed(&self, from: SessionId, data: &Data) {
        for (id, m) in self.members().iter() {
            if *id != from && matches!(m.seat, Seat::Facilitator { .. }) {
                let _ = m.inbox.send(Action::Loaded(data.clone()));
            }
        }
    }

    /// Session `id` now has `subject` open (see `App::open_subject`).
    pub fn set_subject(&self, id: SessionId, subject: Option<String>) {
        let changed = match self.members().get_mut(&id) {
            Some(m) if m.subject != subject => {
                m.subject = subject;
                true
            }
            _ => false,
        };
        if changed {
            self.announce();
        }
    }

    /// Ends every session (the server is stopping); each saves what is typed first.
    pub fn hang_up_all(&self) {
        for m in self.members().values() {
            let _ = m.inbox.send(Action::Hangup);
        }
    }

    /// Sends each evaluator who else is connected (everyone but themselves).
    fn announce(&self) {
        let members = self.members();
        let mut participants: BTreeMap<Id, Vec<ParticipantId>> = BTreeMap::new();
        for m in members.values() {
            if let Seat::Participant { workshop, participant } = &m.seat {
                let list = participants.entry(workshop.clone()).or_default();
                if !list.contains(participant) {
                    list.push(participant.clone());
                }
            }
        }
        for (id, m) in members.iter() {
            if !matches!(m.seat, Seat::Facilitator { .. }) {
                continue;
            }
            let evaluators = members
                .iter()
                .filter(|(other, _)| *other != id)
                .filter_map(|(_, o)| match &o.seat {
                    Seat::Facilitator { name } => Some((name.clone(), o.subject.clone())),
                    Seat::Participant { .. } => None,
                })
                .collect();
            let _ = m.inbox.send(Action::Presence(Presence { evaluators, participants: participants.clone() }));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::mpsc;

    const ROOMY: SessionLimits = SessionLimits { total: 10, per_address: 10 };

    fn seat(workshop: &str, who: &str) -> Seat {
        Seat::Participant { workshop: workshop.into(), participant: who.into() }
    }

    fn workshop(id: &str) -> Workshop {
        use crate::domain::workshop::{BUILT_IN, WorkshopSetup, WorkshopTemplate};
        let (name, text) = BUILT_IN[1];
        let template = WorkshopTemplate::parse(name, text).unwrap();
        let setup = WorkshopSetup { id: id.into(), room_code: "k7m2p".into(), ..Default::default() };
        Workshop::new(setup, &template, &[], chrono::NaiveDateTime::default()).unwrap()
    }

    #[test]
    fn a_workshop_change_reaches_its_room_and_the_evaluators_only() {
        let hub = Hub::new();
        let (tx_a, rx_a) = mpsc::channel();
        let (tx_b, rx_b) = mpsc::channel();
        let (tx_f, rx_f) = mpsc::channel();
        let a = hub.join(seat("w1", "k-a"), None, tx_a, ROOMY).unwrap();
        hub.join(seat("w2", "k-b"), None, tx_b, ROOMY).unwrap();
        hub.join(Seat::Facilitator { name: "anna".into() }, None, tx_f, ROOMY).unwrap();
        let w = workshop("w1");
        hub.workshop_changed(a, &w);
        hub.data_changed(a, &Data::default());
        assert!(rx_a.try_iter().all(|a| !matches!(a, Action::WorkshopStale)), "not back to the sender");
        assert!(rx_b.try_iter().next().is_none(), "another workshop's participant hears nothing");
        hub.workshop_changed(a, &w);
        let got: Vec<_> = rx_f.try_iter().collect();
        let pings = got.iter().filter(|a| matches!(a, Action::WorkshopStale)).count();
        assert_eq!(pings, 1, "woken once, however many changes wait");
        let f = 3;
        assert_eq!(hub.take_changed(f).iter().map(|w| w.id.as_str()).collect::<Vec<_>>(), ["w1"]);
        assert!(hub.take_changed(f).is_empty(), "taken");
        assert!(got.iter().any(|a| matches!(a, Action::Loaded(_))));
        assert!(got.iter().any(|a| matches!(a, Action::Presence(p) if p.participants["w1"] == ["k-a"])));
    }

    #[test]
    fn sessions_are_limited_in_total_and_per_address() {
        let hub = Hub::new();
        let limits = SessionLimits { total: 3, per_address: 2 };
        let here: Option<IpAddr> = Some([10, 0, 0, 1].into());
        let there: Option<IpAddr> = Some([10, 0, 0, 2].into());
        let join = |addr| hub.join(seat("w1", "k"), addr, mpsc::channel().0, limits);
        let first = join(here).unwrap();
        join(here).unwrap();
        assert!(join(here).unwrap_err().contains("this address"));
        join(there).unwrap();
        assert!(join(there).unwrap_err().contains("full"));
        hub.leave(first);
        join(there).unwrap();
        assert_eq!(hub.len(), 3);
    }
}
