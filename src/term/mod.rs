//! Sessions: input in, frames out. A session turns whatever its terminal sends into
//! [`Action`]s and draws the app with ratatui; the app cannot tell which kind of
//! session it runs in. `local` is the user's own terminal; the SSH server adds another.

pub mod local;

use std::sync::mpsc::Receiver;

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

/// Runs a session until the app quits or the input ends. Draws only when the state
/// changed, and drains queued input before drawing, so a burst of keys (a paste, a
/// fast typist on a slow link) costs one frame.
pub fn run<B: Backend>(
    terminal: &mut Terminal<B>,
    app: &mut App,
    runtime: &Runtime,
    theme: &Theme,
    inputs: &Receiver<Action>,
) -> Result<(), B::Error> {
    loop {
        if app.dirty {
            terminal.draw(|f| ui::render(f, app, theme))?;
            app.dirty = false;
        }
        let Ok(first) = inputs.recv() else { return Ok(()) };
        dispatch(app, runtime, first);
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
