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

/// Feeds one action to the app and carries out the effects it asks for, feeding
/// their outcomes back in, until nothing is left to do.
pub fn dispatch(app: &mut App, runtime: &Runtime, action: Action) {
    let mut queue = vec![action];
    while let Some(action) = queue.pop() {
        for effect in app::update(app, action) {
            if effect == Effect::Quit {
                app.should_quit = true;
            } else if let Some(outcome) = runtime.execute(effect) {
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

/// Runs a session until the app quits or the input ends. Draws only when the state
/// changed, and drains queued input before drawing, so a burst of keys (a paste, a
/// fast typist on a slow link) costs one frame. Keeps the app's clock and the note
/// editor's autosave going between keys.
pub fn run<B: Backend>(
    terminal: &mut Terminal<B>,
    app: &mut App,
    runtime: &Runtime,
    theme: &Theme,
    inputs: &Receiver<Action>,
) -> Result<(), B::Error> {
    let mut last_tick = Instant::now() - AUTOSAVE_EVERY;
    let mut last_autosave = Instant::now();
    loop {
        if last_tick.elapsed() >= AUTOSAVE_EVERY {
            dispatch(app, runtime, Action::Tick(chrono::Local::now().naive_local()));
            last_tick = Instant::now();
        }
        if app.wants_autosave() && last_autosave.elapsed() >= AUTOSAVE_EVERY {
            dispatch(app, runtime, Action::Autosave);
            last_autosave = Instant::now();
        }
        if app.dirty {
            terminal.draw(|f| ui::render(f, app, theme))?;
            app.dirty = false;
        }
        match inputs.recv_timeout(IDLE_WAIT) {
            Ok(first) => dispatch(app, runtime, first),
            Err(RecvTimeoutError::Timeout) => continue,
            Err(RecvTimeoutError::Disconnected) => return Ok(()),
        }
        while !app.should_quit
            && let Ok(next) = inputs.try_recv()
        {
            dispatch(app, runtime, next);
        }
        if app.should_quit {
            return Ok(());
        }
    }
}
