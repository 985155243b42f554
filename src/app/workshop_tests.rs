//! The facilitator's console driven by keys: every key becomes a `WorkshopCommand`
//! effect, and the runtime's answer (`Action::WorkshopChanged`) updates the screen.
//! The runtime's part is played here by applying each command to the app's copy of
//! the workshop, as `Runtime::apply_workshop` does with the stored one.

use super::keys::{Key, KeyCode};
use super::tests::demo_app;
use super::workshop::ConsoleView;
use super::*;
use crate::domain::workshop::{
    Actor, BUILT_IN, Fate, PhaseStatus, ReactionKind, Workshop, WorkshopCommand as C, WorkshopSetup, WorkshopTemplate,
};

/// The demo app with one learning workshop (`w1`), on the workshop list.
fn app_with_workshop() -> App {
    let mut app = demo_app();
    let (file, text) = BUILT_IN.iter().find(|(f, _)| *f == "learning-workshop.toml").unwrap();
    let template = WorkshopTemplate::parse(file, text).unwrap();
    let setup = WorkshopSetup {
        id: "w1".into(),
        title: "Partnership lessons".into(),
        date: app.today,
        place: "Helsinki".into(),
        room_code: "k7m3p".into(),
        language: "en".into(),
        ..Default::default()
    };
    let w = Workshop::new(setup, &template, &app.data.surveys, app.now).unwrap();
    app.data.workshops.push(w);
    press(&mut app, "w");
    assert_eq!(app.layer(), Layer::Workshops);
    app
}

fn press(app: &mut App, keys: &str) -> Vec<Effect> {
    keys.chars().flat_map(|c| update(app, Action::Key(Key::char(c)))).collect()
}

fn key(app: &mut App, code: KeyCode) -> Vec<Effect> {
    update(app, Action::Key(Key::plain(code)))
}

fn workshop(app: &App) -> &Workshop {
    app.workshop("w1").expect("the workshop is loaded")
}

fn view(app: &App) -> &ConsoleView {
    let Screen::Console(v) = &app.screen else { panic!("console expected, got {:?}", app.screen) };
    v
}

/// The commands among `effects`, asserting they are all for w1.
fn commands(effects: &[Effect]) -> Vec<C> {
    effects
        .iter()
        .map(|e| match e {
            Effect::Workshop { id, command } => {
                assert_eq!(id, "w1");
                command.clone()
            }
            other => panic!("a workshop command expected, got {other:?}"),
        })
        .collect()
}

/// Plays the runtime: applies each workshop command as the facilitator, one minute
/// apart, and reports the new state (or the refusal) back to the app.
fn run(app: &mut App, effects: Vec<Effect>) {
    for effect in effects {
        let Effect::Workshop { id, command } = effect else { panic!("unexpected effect {effect:?}") };
        let mut next = app.workshop(&id).unwrap().clone();
        app.now += chrono::Duration::minutes(1);
        let action = match next.apply(Actor::Facilitator, command, app.now) {
            Ok(_) => Action::WorkshopChanged(next),
            Err(reason) => Action::Failed(reason),
        };
        update(app, action);
    }
}

/// Presses `keys`, asserts the commands they produced, and lets the runtime apply them.
#[track_caller]
fn expect(app: &mut App, keys: &str, wanted: &[C]) {
    let effects = press(app, keys);
    assert_eq!(commands(&effects), wanted, "keys {keys:?}");
    run(app, effects);
    assert!(!matches!(app.status, Some(Status::Error(_))), "refused: {:?}", app.status);
}

fn draw(app: &App, width: u16, height: u16) -> String {
    crate::ui::tests::screen_text(&crate::ui::tests::draw(app, width, height))
}

fn open_console(app: &mut App) {
    key(app, KeyCode::Enter);
    assert_eq!(app.layer(), Layer::Console);
    assert_eq!(view(app).id, "w1");
}

#[test]
fn start_pause_next_and_back_are_commands_and_the_screen_follows() {
    let mut app = app_with_workshop();
    assert!(draw(&app, 80, 24).contains("room k7m3p"));
    open_console(&mut app);
    let screen = draw(&app, 80, 24);
    assert!(screen.contains("not started: s starts it"), "{screen}");

    expect(&mut app, "s", &[C::Start]);
    assert_eq!(workshop(&app).current_phase().status, PhaseStatus::Running);
    assert!(!draw(&app, 80, 24).contains("not started"));

    expect(&mut app, "s", &[C::Pause]);
    assert!(draw(&app, 80, 24).contains("paused: s resumes"));
    expect(&mut app, "s", &[C::Resume]);
    assert_eq!(workshop(&app).current_phase().status, PhaseStatus::Running);

    expect(&mut app, "n", &[C::Next]);
    assert_eq!(workshop(&app).current, 1);
    let screen = draw(&app, 80, 24);
    assert!(screen.contains("phase 2/6 ▸ Present"), "{screen}");
    assert!(screen.contains("Cooperation requires t"), "{screen}");

    expect(&mut app, "b", &[C::Back]);
    assert_eq!(workshop(&app).current, 0);
    assert!(draw(&app, 80, 24).contains("phase 1/6"));
    expect(&mut app, "u", &[C::Undo]);
    assert_eq!(workshop(&app).current, 1, "undo takes the step back");
}

#[test]
fn hands_reveal_merge_park_undo_and_an_action_from_an_item() {
    let mut app = app_with_workshop();
    open_console(&mut app);
    expect(&mut app, "s", &[C::Start]);
    expect(&mut app, "n", &[C::Next]);

    // Present: space counts an agreeing hand for the focused highlight, x a challenge.
    expect(&mut app, " ", &[C::CountHand { phase: 1, item: 1, reaction: Some(ReactionKind::Agree) }]);
    expect(&mut app, "x", &[C::CountHand { phase: 1, item: 1, reaction: Some(ReactionKind::Challenge) }]);
    expect(&mut app, "]", &[C::NextItem]);
    assert_eq!(workshop(&app).current_phase().focus, 1);
    assert_eq!(view(&app).focus, 1, "the console follows the presented item");
    expect(&mut app, " ", &[C::CountHand { phase: 1, item: 2, reaction: Some(ReactionKind::Agree) }]);
    assert_eq!(workshop(&app).item(1).unwrap().room_reactions.total(), 2);

    // Write: a types an item for the room.
    expect(&mut app, "n", &[C::Next]);
    assert!(press(&mut app, "a").is_empty());
    assert_eq!(app.layer(), Layer::ConsoleInput);
    assert!(draw(&app, 80, 24).contains("new item:"));
    assert!(press(&mut app, "Shared client register").is_empty(), "typing sends nothing");
    let effects = key(&mut app, KeyCode::Enter);
    assert_eq!(commands(&effects), [C::AddItem { phase: 2, text: "Shared client register".into() }]);
    run(&mut app, effects);
    assert_eq!(app.layer(), Layer::Console);
    assert!(draw(&app, 80, 24).contains("Shared client register"));
    // Esc leaves the input without a command.
    press(&mut app, "a");
    press(&mut app, "draft");
    assert!(key(&mut app, KeyCode::Esc).is_empty());
    assert_eq!(app.layer(), Layer::Console);

    // Dot vote: hands for the focused option, then reveal and hide.
    expect(&mut app, "n", &[C::Next]);
    let screen = draw(&app, 80, 24);
    assert!(screen.contains("hidden from participants (r reveals)"), "{screen}");
    expect(&mut app, " ", &[C::CountHand { phase: 3, item: 1, reaction: None }]);
    press(&mut app, "j");
    expect(
        &mut app,
        "  ",
        &[C::CountHand { phase: 3, item: 2, reaction: None }, C::CountHand { phase: 3, item: 2, reaction: None }],
    );
    let screen = draw(&app, 80, 24);
    assert!(screen.contains("3 from the room's hands"), "{screen}");
    expect(&mut app, "r", &[C::Reveal { phase: 3 }]);
    assert!(!draw(&app, 80, 24).contains("hidden from participants"));
    expect(&mut app, "r", &[C::Hide { phase: 3 }]);
    assert!(!workshop(&app).current_phase().visible);

    // Merge: m on the item to merge, move to the target, m again.
    let options: Vec<u32> =
        super::workshop::phase_items(workshop(&app), workshop(&app).current).iter().map(|i| i.id).collect();
    assert_eq!(options, [1, 2, 3, 4, 5, 6, 7]);
    for _ in 0..5 {
        press(&mut app, "j");
    }
    assert_eq!(view(&app).focus, 6);
    assert!(press(&mut app, "m").is_empty());
    assert_eq!(view(&app).merging, Some(7));
    key(&mut app, KeyCode::Up);
    expect(&mut app, "m", &[C::Merge { from: 7, into: 6 }]);
    assert_eq!(workshop(&app).item(7).unwrap().fate, Fate::MergedInto(6));
    assert_eq!(view(&app).merging, None);
    // m twice on the same item cancels.
    press(&mut app, "m");
    assert!(press(&mut app, "m").is_empty());
    assert_eq!(app.status, Some(Status::Info("merge cancelled".into())));

    // Park, and undo the park.
    let focused = super::workshop::phase_items(workshop(&app), workshop(&app).current)[view(&app).focus].id;
    expect(&mut app, "p", &[C::Park { item: focused }]);
    assert_eq!(workshop(&app).item(focused).unwrap().fate, Fate::Parked);
    expect(&mut app, "u", &[C::Undo]);
    assert_eq!(workshop(&app).item(focused).unwrap().fate, Fate::Kept);

    // t turns the focused option into an action: a form for the owner.
    for _ in 0..6 {
        key(&mut app, KeyCode::Up);
    }
    press(&mut app, "j");
    assert!(press(&mut app, "t").is_empty());
    assert_eq!(app.layer(), Layer::Form);
    key(&mut app, KeyCode::Tab);
    press(&mut app, "TE office");
    let effects = key(&mut app, KeyCode::Enter);
    let text = workshop(&app).item(2).unwrap().text.clone();
    assert_eq!(
        commands(&effects),
        [C::AddAction { text: text.clone(), owner: "TE office".into(), due: None, from: Some(2) }]
    );
    run(&mut app, effects);
    assert!(app.overlay.is_none());
    let w = workshop(&app);
    assert_eq!(w.actions[0].owner, "TE office");
    assert_eq!(w.item(2).unwrap().fate, Fate::Action(1));
    assert!(draw(&app, 80, 24).contains("→ Reserve more time"), "{}", draw(&app, 80, 24));

    // Parking takes the option off the vote's list; a refused command shows the
    // engine's reason.
    key(&mut app, KeyCode::Up);
    expect(&mut app, "p", &[C::Park { item: 1 }]);
    assert!(!super::workshop::phase_items(workshop(&app), workshop(&app).current).iter().any(|i| i.id == 1));
    let effects = press(&mut app, "b");
    run(&mut app, effects);
    let effects = press(&mut app, "b");
    run(&mut app, effects);
    let effects = press(&mut app, "b");
    assert_eq!(commands(&effects), [C::Back]);
    run(&mut app, effects);
    assert_eq!(workshop(&app).current, 0);
    let effects = press(&mut app, "b");
    run(&mut app, effects);
    assert_eq!(app.status, Some(Status::Error("this is the first phase".into())));
}

#[test]
fn an_action_needs_an_owner_and_esc_leaves_the_console() {
    let mut app = app_with_workshop();
    open_console(&mut app);
    expect(&mut app, "s", &[C::Start]);
    press(&mut app, "t");
    assert_eq!(app.layer(), Layer::Form);
    assert!(key(&mut app, KeyCode::Enter).is_empty(), "no owner: the form stays");
    let Some(Overlay::Form(form)) = &app.overlay else { panic!("form expected") };
    assert!(form.error.as_deref().is_some_and(|e| e.contains("owner")), "{:?}", form.error);
    key(&mut app, KeyCode::Esc);
    assert_eq!(app.layer(), Layer::Console);
    key(&mut app, KeyCode::Esc);
    assert_eq!(app.layer(), Layer::Workshops);
    key(&mut app, KeyCode::Enter);
    let ctrl_c = Key { code: KeyCode::Char('c'), ctrl: true, alt: false };
    assert_eq!(update(&mut app, Action::Key(ctrl_c)), [Effect::Quit], "ctrl-c quits from the console too");
    assert!(app.should_quit);
}

#[test]
fn another_sessions_change_shows_without_a_key() {
    let mut app = app_with_workshop();
    open_console(&mut app);
    let mut w = workshop(&app).clone();
    w.apply(Actor::Facilitator, C::Start, app.now).unwrap();
    w.apply(
        Actor::Participant("k1".into()),
        C::Join { participant: "k1".into(), role: "partner".into(), org_type: "TE office".into() },
        app.now,
    )
    .unwrap();
    update(&mut app, Action::WorkshopChanged(w));
    assert!(draw(&app, 80, 24).contains("1 joined"));
}

#[test]
fn the_console_renders_at_80x24_and_tiny_sizes_without_panic() {
    let mut app = app_with_workshop();
    open_console(&mut app);
    let mut states = vec![app.screen.clone()];
    let screen = draw(&app, 80, 24);
    assert!(screen.contains("Agenda") && screen.contains("Partnership lessons"), "{screen}");
    expect(&mut app, "s", &[C::Start]);
    expect(&mut app, "n", &[C::Next]);
    expect(&mut app, " ", &[C::CountHand { phase: 1, item: 1, reaction: Some(ReactionKind::Agree) }]);
    expect(&mut app, "nn", &[C::Next, C::Next]);
    expect(&mut app, " ", &[C::CountHand { phase: 3, item: 1, reaction: None }]);
    press(&mut app, "a");
    press(&mut app, "Typed but not sent");
    states.push(app.screen.clone());
    for (w, h) in [(80, 24), (120, 40), (69, 24), (40, 10)] {
        for s in &states {
            app.screen = s.clone();
            let screen = draw(&app, w, h);
            assert!(screen.contains("Partnership lessons") || w < 60, "{w}x{h}\n{screen}");
        }
    }
    for s in &states {
        app.screen = s.clone();
        for w in 1..=20 {
            for h in 1..=5 {
                draw(&app, w, h);
            }
        }
    }
    // Overrun and a finished workshop.
    app.now += chrono::Duration::hours(3);
    draw(&app, 80, 24);
    app.screen = states[0].clone();
    let mut w = workshop(&app).clone();
    while !w.is_finished() {
        w.apply(Actor::Facilitator, C::Next, app.now).unwrap();
    }
    update(&mut app, Action::WorkshopChanged(w));
    for (w, h) in [(80, 24), (1, 1), (20, 5)] {
        draw(&app, w, h);
    }
    key(&mut app, KeyCode::Esc);
    assert!(draw(&app, 80, 24).contains("finished"));
}

#[test]
fn an_item_is_linked_to_an_objective_as_evidence() {
    let mut app = app_with_workshop();
    key(&mut app, KeyCode::Enter);
    assert!(matches!(app.screen, Screen::Console(_)));
    let objective = app.data.objectives[0].id.clone();
    press(&mut app, "L");
    assert!(matches!(app.overlay, Some(Overlay::Form(_))));
    update(&mut app, Action::Paste("o999".into()));
    assert!(key(&mut app, KeyCode::Enter).is_empty(), "an unknown objective is refused");
    update(&mut app, Action::Key(Key::ctrl('u')));
    update(&mut app, Action::Paste(objective.clone()));
    let effects = key(&mut app, KeyCode::Enter);
    let sent = commands(&effects);
    let [C::Link { target, .. }] = sent.as_slice() else { panic!("{effects:?}") };
    assert_eq!(target.label(), format!("objective {objective}"));
}

#[test]
fn the_room_joins_by_role_when_a_workshop_is_created() {
    let mut app = app_with_workshop();
    press(&mut app, "n");
    let Some(Overlay::Form(form)) = &mut app.overlay else { panic!("the new-workshop form") };
    form.focus = 6;
    update(&mut app, Action::Paste("3 TE office; 2 company; Kela".into()));
    let effects = key(&mut app, KeyCode::Enter);
    let [Effect::Save { changeset, .. }] = effects.as_slice() else { panic!("{effects:?}") };
    let w = &changeset.new_workshops[0];
    assert_eq!(w.participants.len(), 6);
    assert_eq!(w.participants.values().filter(|p| p.org_type == "company").count(), 2);
}

#[test]
fn a_finished_workshop_is_reviewed_phase_by_phase_without_changing_it() {
    let mut app = demo_app();
    let mut w = crate::demo::workshop_for_tests();
    w.id = "w9".into();
    app.data.workshops.push(w.clone());
    app.screen = Screen::Console(ConsoleView { id: "w9".into(), ..Default::default() });
    assert!(w.is_finished());
    let effects = press(&mut app, "bb");
    assert!(effects.is_empty(), "reviewing sends no commands: {effects:?}");
    let Screen::Console(view) = &app.screen else { panic!() };
    assert_eq!(view.phase(&w), w.current - 2);
    let text = crate::ui::tests::screen_text(&crate::ui::tests::draw(&app, 100, 30));
    assert!(text.contains("Priorities"), "{text}");
    assert!(text.contains("dots"), "the dot vote's tally is shown: {text}");
}
