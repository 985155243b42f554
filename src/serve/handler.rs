//! One SSH connection: who it is (authentication), and its one terminal session.
//!
//! * A user name that is a running workshop's room code makes a **participant** of that
//!   workshop: any key (its fingerprint lets them rejoin as the same participant) or
//!   none, plus the workshop's passphrase when it has one.
//! * Any other user name needs a **facilitator** key from the facilitators file.
//!
//! Failed attempts are answered after a delay and counted; the connection closes after
//! the configured number.

use std::net::SocketAddr;
use std::sync::Arc;

use russh::keys::PublicKey;
use russh::server::{Auth, ChannelOpenHandle, Handler, Msg, PublicKeyOffer, Response, Session, VerifiedPublicKey};
use russh::{Channel, ChannelId, MethodKind, MethodSet, Pty};

use super::Shared;
use super::hub::Seat;
use super::keys::fingerprint;
use super::session::{self, SessionInput};
use crate::app::Action;
use crate::domain::workshop::participant_id_from_fingerprint;

/// Terminal sizes are clamped to this: clients send 0×0 and 65535×65535 too.
const MAX_COLS: u32 = 500;
const MAX_ROWS: u32 = 200;

pub struct Connection {
    shared: Arc<Shared>,
    addr: Option<SocketAddr>,
    seat: Option<Seat>,
    /// The room this connection asked for, once its user name matched one.
    room: Option<Room>,
    channel: Option<ChannelId>,
    pty: Option<(u16, u16)>,
    no_color: bool,
    input: Option<SessionInput>,
}

#[derive(Clone)]
struct Room {
    workshop: String,
    passphrase: Option<String>,
    /// The participant id from a verified key, waiting for the passphrase.
    participant: Option<String>,
}

impl Connection {
    pub fn new(shared: Arc<Shared>, addr: Option<SocketAddr>) -> Connection {
        Connection { shared, addr, seat: None, room: None, channel: None, pty: None, no_color: false, input: None }
    }

    fn room_for(&mut self, user: &str) -> Option<Room> {
        if self.room.is_none() {
            self.room =
                self.shared.room(user).map(|(workshop, passphrase)| Room { workshop, passphrase, participant: None });
        }
        self.room.clone()
    }

    fn admit_participant(&mut self, room: &Room, participant: String) -> Auth {
        self.seat = Some(Seat::Participant { workshop: room.workshop.clone(), participant });
        Auth::Accept
    }

    fn facilitator_named(&self, key: &PublicKey) -> Option<String> {
        let facilitators = self.shared.facilitators.read().unwrap_or_else(|e| e.into_inner());
        facilitators.iter().find(|f| f.key.key_data() == key.key_data()).map(|f| f.name.clone())
    }

    fn methods(passphrase: bool) -> MethodSet {
        let mut methods = MethodSet::empty();
        methods.push(MethodKind::PublicKey);
        methods.push(MethodKind::KeyboardInteractive);
        if passphrase {
            methods.push(MethodKind::Password);
        }
        methods
    }

    /// Tells the client why it cannot have a session, and closes the channel.
    fn refuse(session: &mut Session, channel: ChannelId, why: &str) {
        let _ = session.data(channel, format!("oppi: {why}\r\n").into_bytes());
        let _ = session.exit_status_request(channel, 1);
        let _ = session.close(channel);
    }
}

/// A fresh participant id for someone who connects without a key: they cannot rejoin as
/// the same participant, but they can take part.
fn anonymous_id() -> String {
    use rand::RngExt;
    let n: u64 = rand::rng().random();
    format!("a-{n:016x}")
}

impl Handler for Connection {
    type Error = russh::Error;

    async fn auth_none(&mut self, user: &str) -> Result<Auth, Self::Error> {
        // Never accepted: a participant's key (if they have one) is what lets them
        // rejoin as themselves, so ask for it first.
        let passphrase = self.room_for(user).is_some_and(|r| r.passphrase.is_some());
        Ok(Auth::Reject { proceed_with_methods: Some(Self::methods(passphrase)), partial_success: false })
    }

    async fn auth_publickey_offered(&mut self, user: &str, offer: PublicKeyOffer<'_>) -> Result<Auth, Self::Error> {
        if self.room_for(user).is_some() || self.facilitator_named(offer.public_key).is_some() {
            Ok(Auth::Accept)
        } else {
            Ok(Auth::reject())
        }
    }

    async fn auth_publickey(&mut self, user: &str, key: VerifiedPublicKey<'_>) -> Result<Auth, Self::Error> {
        if let Some(room) = self.room_for(user) {
            let participant = participant_id_from_fingerprint(&fingerprint(key.public_key));
            if room.passphrase.is_some() {
                // The key identifies; the passphrase still has to be given.
                self.room = Some(Room { participant: Some(participant), ..room });
                let mut methods = MethodSet::empty();
                methods.push(MethodKind::KeyboardInteractive);
                methods.push(MethodKind::Password);
                return Ok(Auth::Reject { proceed_with_methods: Some(methods), partial_success: true });
            }
            return Ok(self.admit_participant(&room, participant));
        }
        match self.facilitator_named(key.public_key) {
            Some(name) => {
                self.seat = Some(Seat::Facilitator { name });
                Ok(Auth::Accept)
            }
            None => Ok(Auth::reject()),
        }
    }

    async fn auth_password(&mut self, user: &str, password: &str) -> Result<Auth, Self::Error> {
        let Some(room) = self.room_for(user) else { return Ok(Auth::reject()) };
        match &room.passphrase {
            Some(p) if p != password.trim() => Ok(Auth::reject()),
            _ => {
                let participant = room.participant.clone().unwrap_or_else(anonymous_id);
                Ok(self.admit_participant(&room, participant))
            }
        }
    }

    async fn auth_keyboard_interactive<'a>(
        &'a mut self,
        user: &str,
        _submethods: &str,
        response: Option<Response<'a>>,
    ) -> Result<Auth, Self::Error> {
        let Some(room) = self.room_for(user) else { return Ok(Auth::reject()) };
        let participant = room.participant.clone().unwrap_or_else(anonymous_id);
        let Some(passphrase) = room.passphrase.clone() else {
            return Ok(self.admit_participant(&room, participant));
        };
        match response {
            None => Ok(Auth::Partial {
                name: "oppi".into(),
                instructions: "This workshop has a passphrase.".into(),
                prompts: vec![("Passphrase: ".into(), false)].into(),
            }),
            Some(mut answers) => match answers.next() {
                Some(given) if String::from_utf8_lossy(&given).trim() == passphrase => {
                    Ok(self.admit_participant(&room, participant))
                }
                _ => Ok(Auth::reject()),
            },
        }
    }

    async fn channel_open_session(
        &mut self,
        channel: Channel<Msg>,
        reply: ChannelOpenHandle,
        _session: &mut Session,
    ) -> Result<(), Self::Error> {
        // One terminal per connection.
        if self.seat.is_some() && self.channel.is_none() {
            self.channel = Some(channel.id());
            reply.accept().await;
        } else {
            reply.reject(russh::ChannelOpenFailure::AdministrativelyProhibited).await;
        }
        Ok(())
    }

    #[allow(clippy::too_many_arguments)]
    async fn pty_request(
        &mut self,
        channel: ChannelId,
        _term: &str,
        cols: u32,
        rows: u32,
        _pix_width: u32,
        _pix_height: u32,
        _modes: &[(Pty, u32)],
        session: &mut Session,
    ) -> Result<(), Self::Error> {
        self.pty = Some(clamp(cols, rows));
        session.channel_success(channel)?;
        Ok(())
    }

    async fn env_request(
        &mut self,
        channel: ChannelId,
        name: &str,
        _value: &str,
        session: &mut Session,
    ) -> Result<(), Self::Error> {
        if name == "NO_COLOR" {
            self.no_color = true;
            session.channel_success(channel)?;
        } else {
            session.channel_failure(channel)?;
        }
        Ok(())
    }

    async fn shell_request(&mut self, channel: ChannelId, session: &mut Session) -> Result<(), Self::Error> {
        let (Some(seat), Some(size)) = (self.seat.clone(), self.pty) else {
            session.channel_failure(channel)?;
            Self::refuse(session, channel, "oppi is a full-screen app and needs a terminal: connect with `ssh -t`");
            return Ok(());
        };
        if self.input.is_some() {
            session.channel_failure(channel)?;
            return Ok(());
        }
        let start = session::Start {
            seat,
            addr: self.addr.map(|a| a.ip()),
            size,
            no_color: self.no_color,
            handle: session.handle(),
            channel,
        };
        match session::start(self.shared.clone(), start) {
            Ok(input) => {
                self.input = Some(input);
                session.channel_success(channel)?;
            }
            Err(why) => {
                session.channel_failure(channel)?;
                Self::refuse(session, channel, &why);
            }
        }
        Ok(())
    }

    async fn exec_request(
        &mut self,
        channel: ChannelId,
        _data: &[u8],
        session: &mut Session,
    ) -> Result<(), Self::Error> {
        session.channel_failure(channel)?;
        Self::refuse(session, channel, "oppi runs no commands over SSH; connect without one to open the app");
        Ok(())
    }

    async fn subsystem_request(
        &mut self,
        channel: ChannelId,
        _name: &str,
        session: &mut Session,
    ) -> Result<(), Self::Error> {
        session.channel_failure(channel)?;
        Ok(())
    }

    async fn data(&mut self, _channel: ChannelId, data: &[u8], _session: &mut Session) -> Result<(), Self::Error> {
        if let Some(input) = &self.input {
            let _ = input.bytes.send(data.to_vec());
        }
        Ok(())
    }

    #[allow(clippy::too_many_arguments)]
    async fn window_change_request(
        &mut self,
        _channel: ChannelId,
        cols: u32,
        rows: u32,
        _pix_width: u32,
        _pix_height: u32,
        _session: &mut Session,
    ) -> Result<(), Self::Error> {
        let (width, height) = clamp(cols, rows);
        self.pty = Some((width, height));
        if let Some(input) = &self.input {
            input.size.set((width, height));
            let _ = input.actions.send(Action::Resize { width, height });
        }
        Ok(())
    }

    async fn channel_eof(&mut self, _channel: ChannelId, _session: &mut Session) -> Result<(), Self::Error> {
        // Dropping the input ends the session's loop; its thread closes the channel.
        self.input = None;
        Ok(())
    }

    async fn channel_close(&mut self, _channel: ChannelId, _session: &mut Session) -> Result<(), Self::Error> {
        self.input = None;
        Ok(())
    }
}

fn clamp(cols: u32, rows: u32) -> (u16, u16) {
    (cols.clamp(1, MAX_COLS) as u16, rows.clamp(1, MAX_ROWS) as u16)
}
