//! Sessions: input in, frames out. A session turns whatever its terminal sends into
//! [`Action`]s and draws the app with ratatui; the app cannot tell which kind of
//! session it runs in. `local` is the user's own terminal; the SSH server adds another.

#[cfg(feature = "ssh")]
pub mod bytes;
pub mod local;

use std::sync::mpsc::{Receiver, RecvTimeoutError};
use std::time::{Duration, Instant};

use ratatui::Terminal;
use ratatui::backend::Backend;

use crate::app::{self, Action, App, Effect};
use crate::runtime::Runtime;
use crate::ui::{self, Theme};

/// Where a session's effects go: the runtime itself for the local terminal; for an SSH
/// session, the runtime as seen from that session's seat (who it is, what it may do, and
/// who else must hear of a change).
pub trait Effects {
    /// Carries out one effect; the returned action reports how it went.
    fn execute(&self, effect: Effect) -> Option<Action>;
    /// Called after each batch of input, with the app as it now stands.
    fn settled(&self, _app: &App) {}
    /// Changes made elsewhere that the app should take in before its next frame (a
    /// server session collects them after `Action::WorkshopStale`, once per frame
    /// however many arrived).
    fn news(&self) -> Vec<Action> {
        Vec::new()
    }
    /// The shortest time between two frames of this session.
    fn frame_gap(&self) -> Duration {
        FRAME_GAP
    }
}

impl Effects for Runtime {
    fn execute(&self, effect: Effect) -> Option<Action> {
        Runtime::execute(self, effect)
    }
}

/// Feeds one action to the app and carries out the effects it asks for, feeding
/// their outcomes back in, until nothing is left to do.
pub fn dispatch(app: &mut App, effects: &dyn Effects, action: Action) {
    let mut queue = vec![action];
    while let Some(action) = queue.pop() {
        for effect in app::update(app, action) {
            if effect == Effect::Quit {
                app.should_quit = true;
            } else if let Some(outcome) = effects.execute(effect) {
                queue.push(outcome);
            }
        }
    }
}

/// How often the clock ticks and, while notes are being typed, the draft is saved:
/// a killed process loses at most about this much typing.
const AUTOSAVE_EVERY: Duration = Duration::from_secs(1);
/// How long to wait for input before checking the clock again.
const IDLE_WAIT: Duration = Duration::from_millis(250);
/// At most about 30 frames a second: changes that arrive faster (a room voting at once)
/// are drawn together.
const FRAME_GAP: Duration = Duration::from_millis(33);

/// Runs a session until the app quits or the input ends. Draws only when the state
/// changed, at most every [`FRAME_GAP`], and drains queued input before drawing, so a
/// burst of keys (a paste, a fast typist on a slow link, a room voting) costs one frame;
/// ratatui then sends only the cells that changed. Keeps the app's clock and the note
/// editor's autosave going between keys.
pub fn run<B: Backend>(
    terminal: &mut Terminal<B>,
    app: &mut App,
    effects: &dyn Effects,
    theme: &Theme,
    inputs: &Receiver<Action>,
) -> Result<(), B::Error> {
    let mut last_tick = Instant::now() - AUTOSAVE_EVERY;
    let mut last_autosave = Instant::now();
    let gap = effects.frame_gap();
    let mut last_frame = Instant::now() - gap;
    loop {
        if last_tick.elapsed() >= AUTOSAVE_EVERY {
            dispatch(app, effects, Action::Tick(chrono::Local::now().naive_local()));
            last_tick = Instant::now();
        }
        if app.wants_autosave() && last_autosave.elapsed() >= AUTOSAVE_EVERY {
            dispatch(app, effects, Action::Autosave);
            last_autosave = Instant::now();
        }
        if app.dirty && last_frame.elapsed() >= gap {
            for news in effects.news() {
                dispatch(app, effects, news);
            }
            terminal.draw(|f| ui::render(f, app, theme))?;
            app.dirty = false;
            last_frame = Instant::now();
            // Work that waited for the first frame (reading survey responses).
            if app.data.responses_pending {
                dispatch(app, effects, Action::Idle);
            }
        }
        let wait = if app.dirty { gap.saturating_sub(last_frame.elapsed()) } else { IDLE_WAIT };
        match inputs.recv_timeout(wait) {
            Ok(first) => handle(terminal, app, effects, first)?,
            Err(RecvTimeoutError::Timeout) => continue,
            Err(RecvTimeoutError::Disconnected) => return Ok(()),
        }
        while !app.should_quit
            && let Ok(next) = inputs.try_recv()
        {
            handle(terminal, app, effects, next)?;
        }
        effects.settled(app);
        if app.should_quit {
            return Ok(());
        }
    }
}

/// A resize also resizes the terminal: a remote session's size is whatever its client
/// says, not something the backend can ask for.
fn handle<B: Backend>(
    terminal: &mut Terminal<B>,
    app: &mut App,
    effects: &dyn Effects,
    action: Action,
) -> Result<(), B::Error> {
    if let Action::Resize { width, height } = action {
        terminal.resize(ratatui::layout::Rect::new(0, 0, width, height))?;
    }
    dispatch(app, effects, action);
    Ok(())
}
