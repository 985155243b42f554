//! The facilitator's console: the agenda, the current phase's prompt and countdown,
//! its items and live tally, and keys that turn into workshop commands. The console
//! never changes a workshop itself: every key becomes a `WorkshopCommand` that the
//! runtime applies, stores and fans out, exactly as a participant's vote would be.

use super::keymap::Cmd;
use super::keys::{Key, KeyCode};
use super::text_input::TextInput;
use super::workshop_forms::WorkshopForm;
use super::{App, Effect, Overlay, Screen, Status};
use crate::domain::Id;
use crate::domain::workshop::{
    Item, ItemId, LinkSubject, PhaseKind, PhaseStatus, ReactionKind, Workshop, WorkshopCommand,
};

#[derive(Debug, Clone, PartialEq, Default)]
pub struct ConsoleView {
    pub id: Id,
    /// The focused item among the current phase's items.
    pub focus: usize,
    /// Typing an item, a note or a cluster name.
    pub input: Option<(InputPurpose, TextInput)>,
    /// Merge: the item picked first, merged into the next one picked.
    pub merging: Option<ItemId>,
    /// After the workshop: the phase whose results are shown (n / b step through them
    /// without changing the workshop).
    pub reviewing: Option<usize>,
}

impl ConsoleView {
    /// The phase on screen: the running one, or the one being reviewed afterwards.
    pub fn phase(&self, w: &Workshop) -> usize {
        self.reviewing.filter(|p| *p < w.phases.len()).unwrap_or(w.current)
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum InputPurpose {
    Item,
    Note,
    Cluster,
}

impl InputPurpose {
    pub fn label(self) -> &'static str {
        match self {
            InputPurpose::Item => "new item",
            InputPurpose::Note => "note",
            InputPurpose::Cluster => "new cluster",
        }
    }
}

impl App {
    pub fn workshop(&self, id: &str) -> Option<&Workshop> {
        self.data.workshops.iter().find(|w| w.id == id)
    }
}

/// The items the console lists for the current phase: what participants choose from
/// (presented highlights, vote and rank options), everything kept so far when
/// clustering, or what was captured in the phase.
pub fn phase_items(w: &Workshop, phase: usize) -> Vec<&Item> {
    let options = w.options(phase);
    if !options.is_empty() {
        return options.iter().filter_map(|id| w.item(*id)).collect();
    }
    let earlier_too = matches!(w.phases.get(phase).map(|p| &p.spec.kind), Some(PhaseKind::Cluster));
    w.items.iter().filter(|i| (i.phase == phase || (earlier_too && i.phase < phase)) && i.fate.is_kept()).collect()
}

fn send(view: &ConsoleView, command: WorkshopCommand) -> Effect {
    Effect::Workshop { id: view.id.clone(), command }
}

pub fn on_key(app: &mut App, cmd: Option<Cmd>, key: Key) -> Vec<Effect> {
    let Screen::Console(view) = &mut app.screen else { return vec![] };
    let Some(w) = app.data.workshops.iter().find(|w| w.id == view.id) else { return vec![] };
    // Typing an item, note or cluster name.
    if let Some((purpose, input)) = &mut view.input {
        return match (cmd, key.code) {
            (Some(Cmd::Cancel), _) => {
                view.input = None;
                vec![]
            }
            (Some(Cmd::Submit), _) => {
                let text = input.value().trim().to_string();
                let purpose = *purpose;
                view.input = None;
                if text.is_empty() {
                    return vec![];
                }
                let command = match purpose {
                    InputPurpose::Item => WorkshopCommand::AddItem { phase: w.current, text },
                    InputPurpose::Note => WorkshopCommand::Note { text },
                    InputPurpose::Cluster => WorkshopCommand::NewCluster { name: text },
                };
                vec![send(view, command)]
            }
            _ => {
                input.handle_key(key);
                vec![]
            }
        };
    }
    let items = phase_items(w, view.phase(w));
    let focused = items.get(view.focus).map(|i| i.id);
    let phase = w.current;
    let kind = w.current_phase().spec.kind.clone();
    let status = w.current_phase().status;
    let Some(cmd) = cmd else {
        // Digits: one answer from the room for the first poll item (scale polls).
        if let (PhaseKind::ScalePoll { items: asked, .. }, KeyCode::Char(c)) = (&kind, key.code)
            && let Some(d) = c.to_digit(10)
            && let Some(item) = asked.first()
        {
            let answer = crate::domain::survey::Answer::Scale(i64::from(d));
            return vec![send(view, WorkshopCommand::Poll { phase, item: item.clone(), answer })];
        }
        app.dirty = false;
        return vec![];
    };
    let effects = match cmd {
        Cmd::Down => {
            view.focus = (view.focus + 1).min(items.len().saturating_sub(1));
            vec![]
        }
        Cmd::Up => {
            view.focus = view.focus.saturating_sub(1);
            vec![]
        }
        // s toggles: a paused phase resumes (is_open() is true while paused too).
        Cmd::Start => vec![send(
            view,
            match status {
                PhaseStatus::Running => WorkshopCommand::Pause,
                PhaseStatus::Paused => WorkshopCommand::Resume,
                PhaseStatus::Pending | PhaseStatus::Done => WorkshopCommand::Start,
            },
        )],
        // A finished workshop is reviewed, not reopened: n and b only change what is shown.
        Cmd::Right | Cmd::Left if w.is_finished() => {
            let shown = view.phase(w);
            let last = w.phases.len().saturating_sub(1);
            view.reviewing = Some(if cmd == Cmd::Right { (shown + 1).min(last) } else { shown.saturating_sub(1) });
            view.focus = 0;
            vec![]
        }
        Cmd::Right => vec![send(view, WorkshopCommand::Next)],
        Cmd::Left => vec![send(view, WorkshopCommand::Back)],
        // The console's focus follows the presented item, so hands are counted for it.
        Cmd::NextItem => {
            view.focus = (w.current_phase().focus + 1).min(items.len().saturating_sub(1));
            vec![send(view, WorkshopCommand::NextItem)]
        }
        Cmd::PrevItem => {
            view.focus = w.current_phase().focus.saturating_sub(1);
            vec![send(view, WorkshopCommand::PrevItem)]
        }
        Cmd::Reveal if w.current_phase().visible => vec![send(view, WorkshopCommand::Hide { phase })],
        Cmd::Reveal => vec![send(view, WorkshopCommand::Reveal { phase })],
        Cmd::Add => {
            view.input = Some((InputPurpose::Item, TextInput::default()));
            vec![]
        }
        Cmd::Note => {
            view.input = Some((InputPurpose::Note, TextInput::default()));
            vec![]
        }
        Cmd::NewCluster => {
            view.input = Some((InputPurpose::Cluster, TextInput::default()));
            vec![]
        }
        Cmd::Hand => match (focused, &kind) {
            (Some(item), PhaseKind::DotVote(_)) => {
                vec![send(view, WorkshopCommand::CountHand { phase, item, reaction: None })]
            }
            (Some(item), PhaseKind::Present { .. }) => {
                vec![send(view, WorkshopCommand::CountHand { phase, item, reaction: Some(ReactionKind::Agree) })]
            }
            _ => {
                app.status = Some(Status::Info("hands are counted in dot votes and present phases".into()));
                vec![]
            }
        },
        Cmd::Challenge => match (focused, &kind) {
            (Some(item), PhaseKind::Present { .. }) => {
                vec![send(view, WorkshopCommand::CountHand { phase, item, reaction: Some(ReactionKind::Challenge) })]
            }
            _ => vec![],
        },
        Cmd::Merge => match (view.merging.take(), focused) {
            (None, Some(item)) => {
                view.merging = Some(item);
                app.status = Some(Status::Info("merge: move to the item to merge into and press m".into()));
                vec![]
            }
            (Some(from), Some(into)) if from != into => vec![send(view, WorkshopCommand::Merge { from, into })],
            _ => {
                app.status = Some(Status::Info("merge cancelled".into()));
                vec![]
            }
        },
        Cmd::MoveToCluster => match focused {
            Some(item) => {
                let current = w.item(item).and_then(|i| i.cluster);
                let ids: Vec<_> = w.clusters.iter().map(|c| c.id).collect();
                let next = match current.and_then(|c| ids.iter().position(|x| *x == c)) {
                    None => ids.first().copied(),
                    Some(i) => ids.get(i + 1).copied(),
                };
                if ids.is_empty() {
                    app.status = Some(Status::Info("no clusters yet: c names one".into()));
                    vec![]
                } else {
                    vec![send(view, WorkshopCommand::MoveToCluster { item, cluster: next })]
                }
            }
            None => vec![],
        },
        Cmd::Park => focused.map(|item| send(view, WorkshopCommand::Park { item })).into_iter().collect(),
        Cmd::ToAction => match focused {
            Some(item) => {
                let (id, text) = (view.id.clone(), w.item(item).map(|i| i.text.clone()).unwrap_or_default());
                app.overlay = Some(Overlay::Form(WorkshopForm::action(&id, Some(item), &text)));
                vec![]
            }
            None => {
                let id = view.id.clone();
                app.overlay = Some(Overlay::Form(WorkshopForm::action(&id, None, "")));
                vec![]
            }
        },
        Cmd::Undo => vec![send(view, WorkshopCommand::Undo)],
        Cmd::LinkMode => {
            let id = view.id.clone();
            let (subject, what) = match focused {
                Some(item) => (LinkSubject::Item(item), format!("item #{item}")),
                None => (LinkSubject::Result(phase), "this phase's result".to_string()),
            };
            app.overlay = Some(Overlay::Form(WorkshopForm::link(&id, subject, &what)));
            vec![]
        }
        Cmd::Quit => {
            app.should_quit = true;
            vec![Effect::Quit]
        }
        Cmd::Back => {
            app.screen = Screen::Workshops { selected: 0 };
            vec![]
        }
        _ => {
            app.dirty = false;
            vec![]
        }
    };
    if let Screen::Console(view) = &mut app.screen {
        view.focus = view.focus.min(items.len().saturating_sub(1));
    }
    effects
}

pub fn on_list(app: &mut App, cmd: Cmd) {
    let Screen::Workshops { selected } = app.screen else { return };
    let count = app.data.workshops.len();
    match cmd {
        Cmd::Down => app.screen = Screen::Workshops { selected: (selected + 1).min(count.saturating_sub(1)) },
        Cmd::Up => app.screen = Screen::Workshops { selected: selected.saturating_sub(1) },
        Cmd::Open => {
            if let Some(w) = app.data.workshops.get(selected) {
                app.screen = Screen::Console(ConsoleView { id: w.id.clone(), ..Default::default() });
            }
        }
        Cmd::New => app.overlay = Some(Overlay::Form(WorkshopForm::create(app))),
        Cmd::Back => app.screen = Screen::Home,
        Cmd::Quit => app.should_quit = true,
        _ => app.dirty = false,
    }
}
