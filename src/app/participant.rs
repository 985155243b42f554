//! A workshop participant's screen: join with a role and an organisation type, then take
//! part in the phase the facilitator is running — write notes, react, place dots, answer
//! the poll, rank — and see the results once they are revealed.
//!
//! A participant's app holds only their workshop (never pilots, notes or other
//! workshops) and can only ask for workshop commands and its own draft; the server
//! applies those as this participant, whatever the app asks. Its keys are few and fixed,
//! and their labels come from the participant's language file, so they are matched here
//! rather than in `keymap.toml`.

use super::keys::{Key, KeyCode};
use super::text_input::TextInput;
use super::{App, Effect, Screen, Status};
use crate::domain::Id;
use crate::domain::survey::{Answer, ItemKind, Survey};
use crate::domain::workshop::{
    DraftPurpose, ItemId, ParticipantId, PhaseKind, ReactionKind, SeatDraft, Workshop, WorkshopCommand,
};
use crate::locale::Locale;

#[derive(Debug, Clone, PartialEq)]
pub struct ParticipantView {
    pub workshop: Id,
    pub me: ParticipantId,
    pub lang: &'static str,
    /// Choices offered on joining (from the evaluation's lists).
    pub roles: Vec<String>,
    pub org_types: Vec<String>,
    /// While joining: the chosen role and organisation type, and which list has focus.
    pub joining: Option<Joining>,
    /// The cursor in the phase's options or poll items.
    pub selected: usize,
    /// Text being typed, and what it is for.
    pub compose: Option<(DraftPurpose, TextInput)>,
    /// Rank phases: the participant's working order.
    pub order: Vec<ItemId>,
    /// Poll phases: the answer chosen for each asked item, by index into its options.
    pub choice: Vec<usize>,
    /// The phase the cursor state belongs to; a new phase resets it.
    pub phase: usize,
    pub help: bool,
    /// The draft on disk differs from what is typed.
    pub unsaved: bool,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Joining {
    pub role: usize,
    pub org_type: usize,
    /// 0: role list, 1: organisation list.
    pub field: usize,
}

impl ParticipantView {
    pub fn locale(&self) -> &'static Locale {
        Locale::get(self.lang)
    }
}

/// A participant's app: their workshop only, on the join screen unless they joined
/// before (same key), with their unsent text restored.
pub fn participant_app(
    mut app: App,
    workshop: Workshop,
    me: ParticipantId,
    roles: Vec<String>,
    org_types: Vec<String>,
    draft: Option<SeatDraft>,
) -> App {
    let lang = Locale::get(&workshop.language).lang;
    let joined = workshop.participants.get(&me);
    let joining = match joined {
        Some(_) => None,
        None => Some(Joining::default()),
    };
    let mut view = ParticipantView {
        workshop: workshop.id.clone(),
        me,
        lang,
        roles,
        org_types,
        joining,
        selected: 0,
        compose: None,
        order: Vec::new(),
        choice: Vec::new(),
        phase: workshop.current,
        help: false,
        unsaved: false,
    };
    if let Some(d) = draft.filter(|d| d.phase == workshop.current && !d.text.is_empty()) {
        view.compose = Some((d.purpose, TextInput::new(&d.text)));
        app.status = Some(Status::Info(view.locale().t("participant.draft_restored").to_string()));
    }
    app.data = super::Data { workshops: vec![workshop], ..Default::default() };
    app.screen = Screen::Participant(Box::new(view));
    app
}

/// The participant's workshop (a participant's app holds exactly one).
pub fn workshop_of<'a>(app: &'a App, view: &ParticipantView) -> Option<&'a Workshop> {
    app.data.workshops.iter().find(|w| w.id == view.workshop)
}

/// Answer options of a poll item, in order: scale points and "can't say", 0–10, or
/// choices. Free-text and number items are not asked on this screen.
pub fn poll_options(survey: &Survey, item: &str, cant_say: &str) -> Vec<(String, Answer)> {
    let Some(it) = survey.item(item) else { return Vec::new() };
    match &it.kind {
        ItemKind::Scale { .. } => {
            let Some(scale) = survey.scale_of(it) else { return Vec::new() };
            let mut options: Vec<_> =
                scale.points.iter().map(|p| (format!("{} {}", p.value, p.label), Answer::Scale(p.value))).collect();
            if let Some(dk) = &scale.dont_know {
                options.push((if dk.is_empty() { cant_say.to_string() } else { dk.clone() }, Answer::DontKnow));
            }
            options
        }
        ItemKind::Nps => (0..=10).map(|v| (v.to_string(), Answer::Scale(v))).collect(),
        ItemKind::Single { choices, .. } => {
            choices.iter().map(|c| (c.label.clone(), Answer::Choice(c.key().to_string()))).collect()
        }
        _ => Vec::new(),
    }
}

/// Keeps the cursor state in step with the workshop: a new phase starts afresh (and the
/// rank order from the phase's options), and the cursor stays on the list.
pub fn settle(app: &mut App) {
    let Screen::Participant(view) = &mut app.screen else { return };
    let Some(w) = app.data.workshops.iter().find(|w| w.id == view.workshop) else { return };
    if view.phase != w.current {
        view.phase = w.current;
        view.selected = 0;
        view.order.clear();
        view.choice.clear();
        if view.compose.as_ref().is_some_and(|(_, t)| t.value().is_empty()) {
            view.compose = None;
        }
    }
    let phase = w.current;
    let options = w.options(phase);
    if matches!(w.current_phase().spec.kind, PhaseKind::Rank { .. }) {
        let mine = w.current_phase().rankings.get(&view.me);
        if view.order.is_empty() {
            view.order = mine.cloned().unwrap_or_else(|| options.clone());
        }
        view.order.retain(|i| options.contains(i));
        for o in &options {
            if !view.order.contains(o) {
                view.order.push(*o);
            }
        }
    }
    let rows = rows(w, view);
    view.selected = view.selected.min(rows.saturating_sub(1));
}

/// How many rows the cursor moves over in the current phase.
fn rows(w: &Workshop, view: &ParticipantView) -> usize {
    let run = w.current_phase();
    match &run.spec.kind {
        PhaseKind::Present { .. } => w.presented(w.current).len().min(run.shown.max(1)),
        PhaseKind::DotVote(_) => w.options(w.current).len(),
        PhaseKind::Rank { .. } => view.order.len(),
        PhaseKind::ScalePoll { items, .. } => items.len(),
        _ => 0,
    }
}

pub fn wants_autosave(app: &App) -> bool {
    matches!(&app.screen, Screen::Participant(v) if v.unsaved)
}

/// The unsent text as a draft to store (empty text deletes it).
pub fn draft(view: &ParticipantView) -> SeatDraft {
    let (purpose, text) = match &view.compose {
        Some((p, t)) => (*p, t.value().to_string()),
        None => (DraftPurpose::Note, String::new()),
    };
    SeatDraft { workshop: view.workshop.clone(), participant: view.me.clone(), phase: view.phase, purpose, text }
}

pub fn on_paste(app: &mut App, text: &str) {
    if let Screen::Participant(view) = &mut app.screen
        && let Some((_, input)) = view.compose.as_mut()
    {
        input.insert_str(text);
        view.unsaved = true;
    }
}

pub fn on_key(app: &mut App, key: Key) -> Vec<Effect> {
    if key == Key::ctrl('c') {
        app.should_quit = true;
        return vec![Effect::Quit];
    }
    let Screen::Participant(view) = &mut app.screen else { return vec![] };
    let view = &mut **view;
    let Some(w) = app.data.workshops.iter().find(|w| w.id == view.workshop) else { return vec![] };
    app.status = None;
    if view.help {
        view.help = false;
        return vec![];
    }
    if let Some(joining) = view.joining.as_mut() {
        return join_key(joining, &view.roles, &view.org_types, &view.me, &view.workshop, key);
    }
    if view.compose.is_some() {
        return compose_key(view, w, key);
    }
    match key.code {
        KeyCode::Char('?') | KeyCode::F(1) => {
            view.help = true;
            return vec![];
        }
        KeyCode::Char('L') => {
            view.lang = view.locale().next().lang;
            return vec![];
        }
        KeyCode::Up | KeyCode::Char('k') => {
            view.selected = view.selected.saturating_sub(1);
            return vec![];
        }
        KeyCode::Down | KeyCode::Char('j') => {
            view.selected = (view.selected + 1).min(rows(w, view).saturating_sub(1));
            return vec![];
        }
        _ => {}
    }
    let phase = w.current;
    let run = w.current_phase();
    if !run.status.is_open() {
        return vec![];
    }
    let send = |command| vec![Effect::Workshop { id: view.workshop.clone(), command }];
    match (&run.spec.kind, key.code) {
        (PhaseKind::Write { .. }, KeyCode::Char('a') | KeyCode::Enter) => {
            view.compose = Some((DraftPurpose::Note, TextInput::default()));
            vec![]
        }
        (PhaseKind::Present { .. }, KeyCode::Char(c @ '1'..='3')) => {
            let Some(item) = presented_at(w, view.selected) else { return vec![] };
            let kind = ReactionKind::ALL[(c as usize) - ('1' as usize)];
            send(WorkshopCommand::React { phase, item, kind, comment: None })
        }
        (PhaseKind::Present { .. }, KeyCode::Char('c') | KeyCode::Enter) => {
            let Some(item) = presented_at(w, view.selected) else { return vec![] };
            let reaction = w.item(item).and_then(|i| i.reactions.get(&view.me)).copied().unwrap_or(ReactionKind::Add);
            view.compose = Some((DraftPurpose::Comment { item, reaction }, TextInput::default()));
            vec![]
        }
        (PhaseKind::DotVote(rules), KeyCode::Char(' ' | '+') | KeyCode::Enter) => {
            let Some(item) = w.options(phase).get(view.selected).copied() else { return vec![] };
            if rules.reason {
                view.compose = Some((DraftPurpose::Reason { item }, TextInput::default()));
                return vec![];
            }
            send(WorkshopCommand::Dot { phase, item })
        }
        (PhaseKind::DotVote(_), KeyCode::Char('x' | '-') | KeyCode::Backspace) => {
            let Some(item) = w.options(phase).get(view.selected).copied() else { return vec![] };
            send(WorkshopCommand::Undot { phase, item })
        }
        (PhaseKind::Rank { .. }, KeyCode::Char(c @ ('J' | 'K'))) => {
            let from = view.selected;
            let to = if c == 'J' { from + 1 } else { from.wrapping_sub(1) };
            if to < view.order.len() && from < view.order.len() {
                view.order.swap(from, to);
                view.selected = to;
            }
            vec![]
        }
        (PhaseKind::Rank { .. }, KeyCode::Enter) if !view.order.is_empty() => {
            send(WorkshopCommand::Rank { phase, order: view.order.clone() })
        }
        (PhaseKind::ScalePoll { items, .. }, KeyCode::Left | KeyCode::Right | KeyCode::Enter | KeyCode::Char(' ')) => {
            let Some(survey) = run.poll.as_ref() else { return vec![] };
            let Some(item) = items.get(view.selected) else { return vec![] };
            let options = poll_options(survey, item, "");
            if options.is_empty() {
                return vec![];
            }
            view.choice.resize(items.len(), usize::MAX);
            let at = &mut view.choice[view.selected];
            match key.code {
                KeyCode::Left => *at = if *at == usize::MAX { 0 } else { at.saturating_sub(1) },
                KeyCode::Right => *at = if *at == usize::MAX { 0 } else { (*at + 1).min(options.len() - 1) },
                _ if *at < options.len() => {
                    return send(WorkshopCommand::Poll { phase, item: item.clone(), answer: options[*at].1.clone() });
                }
                _ => {}
            }
            vec![]
        }
        _ => vec![],
    }
}

fn presented_at(w: &Workshop, index: usize) -> Option<ItemId> {
    let shown = w.current_phase().shown;
    w.presented(w.current).into_iter().take(shown.max(1)).nth(index).map(|i| i.id)
}

fn join_key(
    joining: &mut Joining,
    roles: &[String],
    org_types: &[String],
    me: &str,
    workshop: &str,
    key: Key,
) -> Vec<Effect> {
    let len = |field: usize| if field == 0 { roles.len() } else { org_types.len() };
    fn at(j: &mut Joining) -> &mut usize {
        if j.field == 0 { &mut j.role } else { &mut j.org_type }
    }
    match key.code {
        KeyCode::Up | KeyCode::Char('k') => {
            let i = at(joining);
            *i = i.saturating_sub(1);
        }
        KeyCode::Down | KeyCode::Char('j') => {
            let max = len(joining.field).saturating_sub(1);
            let i = at(joining);
            *i = (*i + 1).min(max);
        }
        KeyCode::Tab | KeyCode::BackTab | KeyCode::Left | KeyCode::Right => joining.field = 1 - joining.field,
        KeyCode::Enter if joining.field == 0 => joining.field = 1,
        KeyCode::Enter => {
            let role = roles.get(joining.role).cloned().unwrap_or_default();
            let org_type = org_types.get(joining.org_type).cloned().unwrap_or_default();
            let command = WorkshopCommand::Join { participant: me.to_string(), role, org_type };
            return vec![Effect::Workshop { id: workshop.to_string(), command }];
        }
        _ => {}
    }
    vec![]
}

fn compose_key(view: &mut ParticipantView, w: &Workshop, key: Key) -> Vec<Effect> {
    let Some((purpose, input)) = view.compose.as_mut() else { return vec![] };
    match key.code {
        KeyCode::Esc => {
            // Cancelling keeps nothing: an empty draft deletes the stored one.
            view.compose = None;
            view.unsaved = true;
            vec![]
        }
        KeyCode::Enter => {
            let text = input.value().trim().to_string();
            let phase = w.current;
            let command = match *purpose {
                DraftPurpose::Note if text.is_empty() => return vec![],
                DraftPurpose::Note => WorkshopCommand::AddItem { phase, text },
                DraftPurpose::Comment { item, reaction } => {
                    WorkshopCommand::React { phase, item, kind: reaction, comment: Some(text) }
                }
                DraftPurpose::Reason { .. } if text.is_empty() => return vec![],
                DraftPurpose::Reason { item } => WorkshopCommand::DotWithReason { phase, item, reason: text },
            };
            view.compose = None;
            view.unsaved = true;
            vec![Effect::Workshop { id: view.workshop.clone(), command }]
        }
        KeyCode::Tab => {
            if let DraftPurpose::Comment { reaction, .. } = purpose {
                let i = ReactionKind::ALL.iter().position(|k| k == reaction).unwrap_or(0);
                *reaction = ReactionKind::ALL[(i + 1) % ReactionKind::ALL.len()];
            }
            vec![]
        }
        _ => {
            if input.handle_key(key) {
                view.unsaved = true;
            }
            vec![]
        }
    }
}

/// After a join went through, the participant is in.
pub fn joined(app: &mut App) {
    if let Screen::Participant(view) = &mut app.screen
        && let Some(w) = app.data.workshops.iter().find(|w| w.id == view.workshop)
        && w.participants.contains_key(&view.me)
    {
        view.joining = None;
    }
}
