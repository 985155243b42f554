//! A workshop participant's screen driven by keys. The runtime's part is played by
//! applying each workshop command to the app's copy as this participant, as the server
//! does with the stored workshop.

use super::keys::{Key, KeyCode};
use super::participant::{ParticipantView, participant_app};
use super::*;
use crate::domain::workshop::{
    Actor, BUILT_IN, DraftPurpose, SeatDraft, Workshop, WorkshopCommand as C, WorkshopSetup, WorkshopTemplate,
};

const ME: &str = "k-me";

fn learning_workshop() -> Workshop {
    let (file, text) = BUILT_IN.iter().find(|(f, _)| *f == "learning-workshop.toml").unwrap();
    let template = WorkshopTemplate::parse(file, text).unwrap();
    let setup = WorkshopSetup {
        id: "w1".into(),
        title: "Partnership lessons".into(),
        room_code: "k7m3p".into(),
        language: "en".into(),
        ..Default::default()
    };
    Workshop::new(setup, &template, &[], chrono::NaiveDateTime::default()).unwrap()
}

fn app_for(w: Workshop, draft: Option<SeatDraft>) -> App {
    let base = super::tests::demo_app();
    let roles = vec!["organiser".into(), "TE office".into(), "partner".into()];
    let orgs = vec!["TE office".into(), "company".into()];
    participant_app(base, w, ME.into(), roles, orgs, draft)
}

fn view(app: &App) -> &ParticipantView {
    let Screen::Participant(v) = &app.screen else { panic!("participant screen expected") };
    v
}

fn workshop(app: &App) -> &Workshop {
    &app.data.workshops[0]
}

/// Sends keys and carries out the workshop effects as the participant would be served.
fn keys(app: &mut App, keys: &[Key]) -> Vec<Effect> {
    let mut seen = Vec::new();
    for key in keys {
        for effect in update(app, Action::Key(*key)) {
            if let Effect::Workshop { id, command } = &effect {
                assert_eq!(id, "w1", "a participant only ever speaks to their own workshop");
                let mut w = workshop(app).clone();
                match w.apply(Actor::Participant(ME.into()), command.clone(), chrono::NaiveDateTime::default()) {
                    Ok(_) => update(app, Action::WorkshopChanged(w)),
                    Err(e) => update(app, Action::Failed(e)),
                };
            }
            seen.push(effect);
        }
    }
    seen
}

fn chars(text: &str) -> Vec<Key> {
    text.chars().map(Key::char).collect()
}

fn enter() -> Key {
    Key::plain(KeyCode::Enter)
}

/// The facilitator moves the room on: `steps` times Start/Next.
fn facilitate(app: &mut App, commands: &[C]) {
    let mut w = workshop(app).clone();
    for c in commands {
        w.apply(Actor::Facilitator, c.clone(), chrono::NaiveDateTime::default()).unwrap();
    }
    update(app, Action::WorkshopChanged(w));
}

fn joined() -> App {
    let mut app = app_for(learning_workshop(), None);
    assert!(view(&app).joining.is_some(), "a new participant starts on the join screen");
    // Role "TE office", then organisation "company".
    let effects = keys(&mut app, &[Key::char('j'), enter(), Key::char('j'), enter()]);
    assert!(matches!(&effects[..], [Effect::Workshop { command: C::Join { role, org_type, .. }, .. }]
        if role == "TE office" && org_type == "company"));
    assert!(view(&app).joining.is_none(), "in once the join went through");
    app
}

#[test]
fn a_participant_joins_writes_a_note_and_places_dots() {
    let mut app = joined();
    // Welcome, present, then the write phase.
    facilitate(&mut app, &[C::Start, C::Next, C::Next]);
    assert_eq!(workshop(&app).current, 2);
    let mut typed = vec![Key::char('a')];
    typed.extend(chars("Shared client register"));
    typed.push(enter());
    keys(&mut app, &typed);
    assert!(workshop(&app).items.iter().any(|i| i.text == "Shared client register" && i.author.as_deref() == Some(ME)));
    assert!(view(&app).compose.is_none());
    // The dot vote: dots on the focused option, one taken back.
    facilitate(&mut app, &[C::Next]);
    keys(&mut app, &[Key::char(' '), Key::char('j'), Key::char(' '), Key::char(' '), Key::char('x')]);
    let run = workshop(&app).current_phase();
    assert_eq!(run.dots_used(ME), 2);
    assert!(app.status.is_none(), "{:?}", app.status);
}

/// Whatever a participant presses, in every phase, the only effects are their own
/// workshop's commands, their draft, or leaving — never a save, a search or a screen
/// of the evaluation.
#[test]
fn no_key_takes_a_participant_outside_their_workshop() {
    let mut app = joined();
    let mut all: Vec<Key> = (' '..='~').map(Key::char).collect();
    all.extend((b'a'..=b'z').map(|c| Key::ctrl(c as char)).filter(|k| *k != Key::ctrl('c')));
    all.extend(
        [KeyCode::Esc, KeyCode::Tab, KeyCode::Up, KeyCode::Down, KeyCode::Left, KeyCode::Right, KeyCode::Enter]
            .map(Key::plain),
    );
    for phase in 0..workshop(&app).phases.len() {
        if phase > 0 {
            facilitate(&mut app, &[C::Next]);
        } else {
            facilitate(&mut app, &[C::Start]);
        }
        for key in &all {
            for effect in keys(&mut app, &[*key]) {
                assert!(
                    matches!(effect, Effect::Workshop { .. } | Effect::SaveSeatDraft(_)),
                    "phase {phase}, key {key}: {effect:?}"
                );
            }
            assert!(matches!(app.screen, Screen::Participant(_)), "phase {phase}, key {key}");
            assert!(app.overlay.is_none());
        }
        // Leave any text box for the next phase.
        keys(&mut app, &[Key::plain(KeyCode::Esc)]);
    }
    assert_eq!(app.data.workshops.len(), 1);
    assert!(app.data.pilots.is_empty() && app.data.interviews.is_empty(), "no evaluation data in a participant's app");
    assert_eq!(update(&mut app, Action::Key(Key::ctrl('c'))), vec![Effect::Quit]);
}

#[test]
fn unsent_text_is_autosaved_and_restored_on_rejoin() {
    let mut app = joined();
    facilitate(&mut app, &[C::Start, C::Next, C::Next]);
    let mut typed = vec![Key::char('a')];
    typed.extend(chars("half a thought"));
    keys(&mut app, &typed);
    assert!(app.wants_autosave());
    let effects = update(&mut app, Action::Autosave);
    let [Effect::SaveSeatDraft(draft)] = &effects[..] else { panic!("a draft save, got {effects:?}") };
    assert_eq!((draft.text.as_str(), draft.phase, draft.purpose), ("half a thought", 2, DraftPurpose::Note));
    assert!(!app.wants_autosave());
    // Other workshops' changes never reach this app.
    let mut other = workshop(&app).clone();
    other.id = "w9".into();
    update(&mut app, Action::WorkshopChanged(other));
    assert_eq!(app.data.workshops.len(), 1);
    // Rejoin: the text is back, in the text box, with a note saying so.
    let again = app_for(workshop(&app).clone(), Some(draft.clone()));
    let (purpose, input) = view(&again).compose.clone().expect("restored");
    assert_eq!((purpose, input.value()), (DraftPurpose::Note, "half a thought"));
    assert!(view(&again).joining.is_none(), "the same key is the same participant");
    assert!(matches!(&again.status, Some(Status::Info(m)) if m.contains("restored")));
}

#[test]
fn a_hangup_saves_typed_text_then_ends() {
    let mut app = joined();
    facilitate(&mut app, &[C::Start, C::Next, C::Next]);
    keys(&mut app, &[Key::char('a'), Key::char('x')]);
    let effects = update(&mut app, Action::Hangup);
    assert!(matches!(&effects[..], [Effect::SaveSeatDraft(d)] if d.text == "x"));
    assert!(app.should_quit);
}

#[test]
fn the_language_key_cycles_through_the_locale_files() {
    let mut app = joined();
    assert_eq!(view(&app).lang, "en");
    keys(&mut app, &[Key::char('L')]);
    assert_eq!(view(&app).lang, "fi");
    keys(&mut app, &[Key::char('L'), Key::char('L')]);
    assert_eq!(view(&app).lang, "en");
}
