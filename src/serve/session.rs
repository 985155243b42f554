//! One SSH session: the same app and the same `term::run` loop as the local terminal,
//! on a thread of its own, with bytes from the channel as input and frames written back
//! to the channel as output. What the session may do is fixed by its [`Seat`]:
//! [`SeatEffects`] carries out the app's effects as that seat, within the limits, and
//! tells the hub so other sessions see the change.

use std::cell::RefCell;
use std::io::{self, Write};
use std::net::IpAddr;
use std::sync::Arc;
use std::sync::atomic::{AtomicU32, AtomicUsize, Ordering};
use std::sync::mpsc;
use std::time::Duration;

use ratatui::backend::{Backend, ClearType, CrosstermBackend, WindowSize};
use ratatui::buffer::Cell;
use ratatui::layout::{Position, Rect, Size};
use ratatui::{Terminal, TerminalOptions, Viewport};
use russh::ChannelId;
use russh::server::Handle;
use tokio::sync::mpsc::{UnboundedReceiver, UnboundedSender, unbounded_channel};

use super::Shared;
use super::hub::{Seat, SessionId};
use crate::app::{Action, App, Effect};
use crate::domain::impact::ImpactMap;
use crate::domain::workshop::{Actor, WorkshopCommand};
use crate::term::bytes::InputDecoder;
use crate::term::{self, Effects};

/// Frames queued for a client that does not read them; past this the client is gone
/// in all but name and the session ends rather than hold memory for it.
const MAX_BACKLOG: usize = 512;
/// At most 10 frames a second on a participant's screen.
const PARTICIPANT_FRAME_GAP: Duration = Duration::from_millis(100);
/// How long a lone Esc waits for the rest of an escape sequence.
const ESC_WAIT: Duration = Duration::from_millis(40);

/// What the connection hands a started session: where its input goes.
pub struct SessionInput {
    pub bytes: UnboundedSender<Vec<u8>>,
    pub actions: mpsc::Sender<Action>,
    /// The client's terminal size: set it before sending `Action::Resize`.
    pub size: Arc<ClientSize>,
}

/// The size of the client's terminal, as its pty and window-change requests said. The
/// session's backend answers size queries from this: asking crossterm would ask the
/// *server's* terminal (or fail with ENXIO when the server has none).
#[derive(Debug, Default)]
pub struct ClientSize(AtomicU32);

impl ClientSize {
    pub fn new((width, height): (u16, u16)) -> ClientSize {
        let size = ClientSize::default();
        size.set((width, height));
        size
    }

    pub fn set(&self, (width, height): (u16, u16)) {
        self.0.store(u32::from(width) << 16 | u32::from(height), Ordering::SeqCst);
    }

    pub fn get(&self) -> Size {
        let packed = self.0.load(Ordering::SeqCst);
        Size::new((packed >> 16) as u16, packed as u16)
    }
}

pub struct Start {
    pub seat: Seat,
    pub addr: Option<IpAddr>,
    pub size: (u16, u16),
    pub no_color: bool,
    pub handle: Handle,
    pub channel: ChannelId,
}

/// Admits the session and starts it: an input task, an output task, and the app's thread.
pub fn start(shared: Arc<Shared>, start: Start) -> Result<SessionInput, String> {
    let (actions, inbox) = mpsc::channel();
    let id = shared.hub.join(start.seat.clone(), start.addr, actions.clone(), shared.limits.sessions())?;
    let app = match build_app(&shared, &start.seat) {
        Ok(app) => app,
        Err(e) => {
            shared.hub.leave(id);
            return Err(e);
        }
    };
    let (bytes, raw) = unbounded_channel();
    tokio::spawn(pump_input(raw, actions.clone(), shared.limits.input_bytes_per_second));
    let (out, frames) = unbounded_channel();
    let backlog = Arc::new(AtomicUsize::new(0));
    tokio::spawn(write_output(frames, start.handle.clone(), start.channel, backlog.clone()));
    let writer = ChannelWriter { out, buffer: Vec::new(), backlog };
    let client_size = Arc::new(ClientSize::new(start.size));
    let backend =
        SessionBackend { inner: CrosstermBackend::new(writer), size: client_size.clone(), cursor: Position::ORIGIN };
    let name = format!("oppi-session-{id}");
    let thread_shared = shared.clone();
    let spawned = std::thread::Builder::new().name(name).spawn(move || {
        let Start { seat, size, no_color, handle, channel, .. } = start;
        // A bug in one session must not take the server or the room down with it.
        let outcome = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
            run(&thread_shared, id, &seat, app, backend, size, no_color, &inbox)
        }));
        match outcome {
            Err(_) => eprintln!("oppi serve: session {id} stopped after an internal error; the others go on"),
            // A client that went away mid-frame is not worth a line; anything else is.
            Ok(Err(e)) if e.kind() != io::ErrorKind::BrokenPipe => eprintln!("oppi serve: session {id}: {e}"),
            Ok(_) => {}
        }
        thread_shared.hub.leave(id);
        thread_shared.rt.block_on(async {
            let _ = handle.exit_status_request(channel, 0).await;
            let _ = handle.close(channel).await;
        });
    });
    if let Err(e) = spawned {
        shared.hub.leave(id);
        return Err(format!("cannot start a session: {e}"));
    }
    Ok(SessionInput { bytes, actions, size: client_size })
}

/// The app a seat gets: everything for a facilitator; for a participant, their workshop
/// only, with their unsent text from a dropped connection.
fn build_app(shared: &Shared, seat: &Seat) -> Result<App, String> {
    let today = chrono::Local::now().date_naive();
    match seat {
        Seat::Facilitator { name } => {
            let mut app = App::new(shared.keymap.clone(), name, today, &shared.location);
            let data = shared.runtime.load().map_err(|e| e.to_string())?;
            term::dispatch(&mut app, &shared.runtime, Action::Loaded(data));
            Ok(app)
        }
        Seat::Participant { workshop, participant } => {
            let app = App::new(shared.keymap.clone(), participant, today, "");
            let w = shared.runtime.workshop(workshop).map_err(|e| e.to_string())?;
            let w = w.ok_or_else(|| "that workshop is gone".to_string())?;
            let evaluation = shared.runtime.store().evaluation().map_err(|e| e.to_string())?.unwrap_or_default();
            let draft = shared.runtime.store().seat_draft(workshop, participant).map_err(|e| e.to_string())?;
            Ok(crate::app::participant::participant_app(
                app,
                w,
                participant.clone(),
                evaluation.roles,
                evaluation.org_types,
                draft,
            ))
        }
    }
}

#[allow(clippy::too_many_arguments)]
fn run(
    shared: &Shared,
    id: SessionId,
    seat: &Seat,
    mut app: App,
    backend: SessionBackend,
    size: (u16, u16),
    no_color: bool,
    inbox: &mpsc::Receiver<Action>,
) -> io::Result<()> {
    let area = Rect::new(0, 0, size.0, size.1);
    let mut terminal = Terminal::with_options(backend, TerminalOptions { viewport: Viewport::Fixed(area) })?;
    app.size = size;
    // Alternate screen, hidden cursor, bracketed paste: as the local terminal does.
    terminal.backend_mut().write_all(b"\x1b[?1049h\x1b[?25l\x1b[?2004h")?;
    terminal.clear()?;
    let theme = if no_color { shared.theme.clone().without_color() } else { shared.theme.clone() };
    let effects = SeatEffects { shared, id, seat, subject: RefCell::new(None), maps_seen: RefCell::default() };
    // What the app holds before its first key: the base of its first edit.
    effects.settled(&app);
    let result = term::run(&mut terminal, &mut app, &effects, &theme, inbox);
    let backend = terminal.backend_mut();
    let _ = backend.write_all(b"\x1b[?2004l\x1b[?25h\x1b[?1049l");
    let _ = Write::flush(backend);
    result
}

/// The app's effects, carried out as the session's seat.
struct SeatEffects<'a> {
    shared: &'a Shared,
    id: SessionId,
    seat: &'a Seat,
    subject: RefCell<Option<String>>,
    /// The impact maps as this session's app last had them (and the data snapshot they
    /// came from): an edit is made on these, so a save is refused if the stored map is no
    /// longer the same, i.e. another evaluator saved it in between.
    maps_seen: RefCell<(u64, std::collections::HashMap<crate::domain::Id, ImpactMap>)>,
}

impl Effects for SeatEffects<'_> {
    fn execute(&self, effect: Effect) -> Option<Action> {
        let runtime = &self.shared.runtime;
        match (self.seat, effect) {
            (_, Effect::Quit) => None,
            (Seat::Facilitator { .. }, Effect::Workshop { id, command }) => {
                Some(runtime.apply_workshop_then(&id, Actor::Facilitator, command, |w| self.fan_out(w)))
            }
            (Seat::Facilitator { .. }, Effect::Save { changeset, message }) if !changeset.maps.is_empty() => {
                // Checked and written under one lock, so two sessions cannot both pass.
                let _one_at_a_time = self.shared.map_saves.lock().unwrap_or_else(|e| e.into_inner());
                if let Some(refused) = self.map_conflict(&changeset.maps) {
                    return Some(Action::Failed(refused));
                }
                let saved = changeset.maps.clone();
                let outcome = runtime.execute(Effect::Save { changeset, message })?;
                if let Action::Saved { data, .. } = &outcome {
                    self.maps_seen.borrow_mut().1.extend(saved.into_iter().map(|m| (m.pilot.clone(), m)));
                    self.shared.hub.data_changed(self.id, data);
                }
                Some(outcome)
            }
            (Seat::Facilitator { .. }, effect) => {
                let outcome = runtime.execute(effect)?;
                if let Action::Saved { data, .. } | Action::ResponseSaved { data, .. } = &outcome {
                    self.shared.hub.data_changed(self.id, data);
                }
                Some(outcome)
            }
            (Seat::Participant { workshop, participant }, Effect::Workshop { id, command }) if id == *workshop => {
                if let Err(reason) = self.within_limits(workshop, participant, &command) {
                    return Some(Action::Failed(reason));
                }
                let by = Actor::Participant(participant.clone());
                Some(runtime.apply_workshop_then(workshop, by, command, |w| self.fan_out(w)))
            }
            (Seat::Participant { workshop, participant }, Effect::SaveSeatDraft(mut draft)) => {
                // Whatever the app asked, a participant's draft is their own.
                draft.workshop = workshop.clone();
                draft.participant = participant.clone();
                let max = self.shared.limits.max_item_chars as usize * 4;
                draft.text = draft.text.chars().take(max).collect();
                runtime.execute(Effect::SaveSeatDraft(draft))
            }
            (Seat::Participant { .. }, _) => Some(Action::Failed("not available to participants".into())),
        }
    }

    fn news(&self) -> Vec<Action> {
        self.shared.hub.take_changed(self.id).into_iter().map(Action::WorkshopChanged).collect()
    }

    /// A participant's screen changes with the room, but nobody reads it at 30 frames a
    /// second; the facilitator's tally should keep up with the votes.
    fn frame_gap(&self) -> Duration {
        match self.seat {
            Seat::Participant { .. } => PARTICIPANT_FRAME_GAP,
            Seat::Facilitator { .. } => Duration::from_millis(33),
        }
    }

    fn settled(&self, app: &App) {
        if matches!(self.seat, Seat::Facilitator { .. }) {
            let mut seen = self.maps_seen.borrow_mut();
            if seen.0 != app.data_gen || seen.1.is_empty() {
                *seen = (app.data_gen, app.data.maps.iter().map(|m| (m.pilot.clone(), m.clone())).collect());
            }
            drop(seen);
            let subject = app.open_subject();
            if *self.subject.borrow() != subject {
                self.shared.hub.set_subject(self.id, subject.clone());
                *self.subject.borrow_mut() = subject;
            }
        }
    }
}

impl SeatEffects<'_> {
    /// Why saving `maps` would overwrite another evaluator's change, if it would.
    fn map_conflict(&self, maps: &[ImpactMap]) -> Option<String> {
        let seen = self.maps_seen.borrow();
        for map in maps {
            let stored = match self.shared.runtime.store().map(&map.pilot) {
                Ok(stored) => stored,
                Err(e) => return Some(format!("not saved: {e}")),
            };
            if stored.as_ref() != seen.1.get(&map.pilot) {
                return Some(format!(
                    "not saved: another evaluator changed this impact map a moment ago; their version is \
                     shown now — make your change again on it (map of {})",
                    map.pilot
                ));
            }
        }
        None
    }

    fn fan_out(&self, w: &crate::domain::workshop::Workshop) {
        self.shared.hub.workshop_changed(self.id, w);
    }

    /// The server's limits on a participant's input, on top of the workshop's own rules.
    fn within_limits(&self, workshop: &str, participant: &str, command: &WorkshopCommand) -> Result<(), String> {
        let max = self.shared.limits.max_item_chars as usize;
        let text = match command {
            WorkshopCommand::AddItem { text, .. } => Some(text.as_str()),
            WorkshopCommand::React { comment, .. } => comment.as_deref(),
            WorkshopCommand::DotWithReason { reason, .. } => Some(reason.as_str()),
            _ => None,
        };
        if text.is_some_and(|t| t.chars().count() > max) {
            return Err(format!("at most {max} characters"));
        }
        if let WorkshopCommand::AddItem { phase, .. } | WorkshopCommand::React { phase, comment: Some(_), .. } = command
        {
            let limit = self.shared.limits.max_items_per_phase as usize;
            let by_me = |w: &crate::domain::workshop::Workshop| {
                w.items.iter().filter(|i| i.phase == *phase && i.author.as_deref() == Some(participant)).count()
            };
            let mine = self.shared.runtime.with_workshop(workshop, by_me).map_err(|e| e.to_string())?.unwrap_or(0);
            if mine >= limit {
                return Err(format!("at most {limit} items per phase"));
            }
        }
        Ok(())
    }
}

/// Decodes the channel's bytes into actions, within the input rate: bytes over the
/// budget are dropped, so a flood costs the flooder, not the room.
async fn pump_input(mut raw: UnboundedReceiver<Vec<u8>>, actions: mpsc::Sender<Action>, per_second: u32) {
    let mut decoder = InputDecoder::new();
    let mut budget = RateBudget::new(per_second);
    let mut out = Vec::new();
    loop {
        let next = if decoder.is_waiting() {
            match tokio::time::timeout(ESC_WAIT, raw.recv()).await {
                Ok(next) => next,
                Err(_) => {
                    decoder.timeout(&mut out);
                    for action in out.drain(..) {
                        if actions.send(action).is_err() {
                            return;
                        }
                    }
                    continue;
                }
            }
        } else {
            raw.recv().await
        };
        let Some(bytes) = next else {
            // The connection is gone: the session saves what was typed and ends.
            let _ = actions.send(Action::Hangup);
            return;
        };
        let allowed = budget.take(bytes.len(), std::time::Instant::now());
        decoder.feed(&bytes[..allowed], &mut out);
        for action in out.drain(..) {
            if actions.send(action).is_err() {
                return;
            }
        }
    }
}

/// A token bucket of input bytes: `per_second` refill, up to one second's worth saved.
pub struct RateBudget {
    per_second: f64,
    tokens: f64,
    last: Option<std::time::Instant>,
}

impl RateBudget {
    pub fn new(per_second: u32) -> RateBudget {
        RateBudget { per_second: f64::from(per_second), tokens: f64::from(per_second), last: None }
    }

    /// How many of `wanted` bytes may pass at `now`.
    pub fn take(&mut self, wanted: usize, now: std::time::Instant) -> usize {
        if let Some(last) = self.last {
            let refill = now.saturating_duration_since(last).as_secs_f64() * self.per_second;
            self.tokens = (self.tokens + refill).min(self.per_second);
        }
        self.last = Some(now);
        let allowed = (wanted as f64).min(self.tokens.floor()).max(0.0) as usize;
        self.tokens -= allowed as f64;
        allowed
    }
}

/// Sends frames to the client in order; stops when the channel is gone.
async fn write_output(
    mut frames: UnboundedReceiver<Vec<u8>>,
    handle: Handle,
    channel: ChannelId,
    backlog: Arc<AtomicUsize>,
) {
    while let Some(frame) = frames.recv().await {
        backlog.fetch_sub(1, Ordering::Relaxed);
        if handle.data(channel, frame).await.is_err() {
            return;
        }
    }
}

/// crossterm's backend writing to the channel, with the size and cursor position the
/// client's terminal has: ratatui asks for both when it clears or resizes.
struct SessionBackend {
    inner: CrosstermBackend<ChannelWriter>,
    size: Arc<ClientSize>,
    cursor: Position,
}

impl Write for SessionBackend {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        self.inner.write(buf)
    }

    fn flush(&mut self) -> io::Result<()> {
        Write::flush(&mut self.inner)
    }
}

impl Backend for SessionBackend {
    type Error = io::Error;

    fn draw<'a, I>(&mut self, content: I) -> io::Result<()>
    where
        I: Iterator<Item = (u16, u16, &'a Cell)>,
    {
        self.inner.draw(content)
    }

    fn hide_cursor(&mut self) -> io::Result<()> {
        self.inner.hide_cursor()
    }

    fn show_cursor(&mut self) -> io::Result<()> {
        self.inner.show_cursor()
    }

    fn get_cursor_position(&mut self) -> io::Result<Position> {
        Ok(self.cursor)
    }

    fn set_cursor_position<P: Into<Position>>(&mut self, position: P) -> io::Result<()> {
        self.cursor = position.into();
        self.inner.set_cursor_position(self.cursor)
    }

    fn clear(&mut self) -> io::Result<()> {
        self.inner.clear()
    }

    fn clear_region(&mut self, clear_type: ClearType) -> io::Result<()> {
        self.inner.clear_region(clear_type)
    }

    fn size(&self) -> io::Result<Size> {
        Ok(self.size.get())
    }

    fn window_size(&mut self) -> io::Result<WindowSize> {
        Ok(WindowSize { columns_rows: self.size.get(), pixels: Size::default() })
    }

    fn flush(&mut self) -> io::Result<()> {
        Backend::flush(&mut self.inner)
    }
}

/// What the backend writes: collected per frame, then sent as one message.
struct ChannelWriter {
    out: UnboundedSender<Vec<u8>>,
    buffer: Vec<u8>,
    backlog: Arc<AtomicUsize>,
}

impl Write for ChannelWriter {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        self.buffer.extend_from_slice(buf);
        Ok(buf.len())
    }

    fn flush(&mut self) -> io::Result<()> {
        if self.buffer.is_empty() {
            return Ok(());
        }
        if self.backlog.load(Ordering::Relaxed) >= MAX_BACKLOG {
            return Err(io::Error::new(io::ErrorKind::TimedOut, "the client stopped reading"));
        }
        self.backlog.fetch_add(1, Ordering::Relaxed);
        self.out
            .send(std::mem::take(&mut self.buffer))
            .map_err(|_| io::Error::new(io::ErrorKind::BrokenPipe, "the connection is closed"))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn shared(rt: &tokio::runtime::Runtime, dir: &std::path::Path) -> Shared {
        let store = crate::store::Store::open(dir).unwrap();
        crate::demo::write(&store, "test").unwrap();
        Shared {
            runtime: crate::runtime::Runtime::new(store),
            hub: super::super::hub::Hub::new(),
            facilitators: std::sync::RwLock::new(Vec::new()),
            limits: crate::config::ServerConfig::default(),
            theme: crate::ui::Theme::built_in_default(),
            keymap: crate::app::keymap::Keymap::default_keys(),
            location: String::new(),
            rt: rt.handle().clone(),
            map_saves: std::sync::Mutex::new(()),
        }
    }

    /// Two evaluators edit the same impact map: the second save, made on the map as it
    /// was before the first, is refused with a reason instead of overwriting it; after
    /// taking in the new version it goes through, and saving twice in a row is no conflict.
    #[test]
    fn a_map_saved_by_another_evaluator_meanwhile_is_not_overwritten() {
        let rt = tokio::runtime::Builder::new_current_thread().build().unwrap();
        let dir = tempfile::tempdir().unwrap();
        let shared = shared(&rt, dir.path());
        let (anna, ben) = (Seat::Facilitator { name: "anna".into() }, Seat::Facilitator { name: "ben".into() });
        let seat_effects = |id, seat| SeatEffects {
            shared: &shared,
            id,
            seat,
            subject: RefCell::new(None),
            maps_seen: RefCell::default(),
        };
        let (a, b) = (seat_effects(1, &anna), seat_effects(2, &ben));
        let app_with_data = || {
            let mut app = App::new(shared.keymap.clone(), "x", chrono::NaiveDate::default(), "");
            crate::app::update(&mut app, Action::Loaded(shared.runtime.load().unwrap()));
            app
        };
        let (app_a, mut app_b) = (app_with_data(), app_with_data());
        a.settled(&app_a);
        b.settled(&app_b);
        let edit = |app: &App, text: &str| {
            let mut map = app.data.maps[0].clone();
            map.nodes[0].text = text.into();
            let changeset = crate::domain::Changeset { maps: vec![map], ..Default::default() };
            Effect::Save { changeset, message: "map saved".into() }
        };
        assert!(matches!(a.execute(edit(&app_a, "Anna's wording")), Some(Action::Saved { .. })));
        assert!(matches!(a.execute(edit(&app_a, "Anna again")), Some(Action::Saved { .. })), "own saves");
        let refused = b.execute(edit(&app_b, "Ben's wording"));
        assert!(matches!(&refused, Some(Action::Failed(m)) if m.contains("another evaluator")), "{refused:?}");
        let pilot = app_a.data.maps[0].pilot.clone();
        assert_eq!(shared.runtime.store().map(&pilot).unwrap().unwrap().nodes[0].text, "Anna again");
        crate::app::update(&mut app_b, Action::Loaded(shared.runtime.load().unwrap()));
        b.settled(&app_b);
        assert!(matches!(b.execute(edit(&app_b, "Ben's wording")), Some(Action::Saved { .. })));
    }

    #[test]
    fn the_input_budget_refills_over_time_and_never_saves_more_than_a_second() {
        let start = std::time::Instant::now();
        let mut budget = RateBudget::new(100);
        assert_eq!(budget.take(80, start), 80);
        assert_eq!(budget.take(80, start), 20);
        assert_eq!(budget.take(10, start), 0);
        assert_eq!(budget.take(80, start + Duration::from_millis(500)), 50);
        assert_eq!(budget.take(500, start + Duration::from_secs(60)), 100);
    }
}
