//! Application state and the one function that changes it.
//!
//! Everything that happens — a key, a paste, a resize, a finished save — arrives as an
//! [`Action`]; [`update`] changes the state and returns [`Effect`]s (save this, quit)
//! for whoever runs the app to carry out. Nothing here does I/O, so a local
//! terminal, an SSH session and a test all drive the app the same way.

pub mod derived;
pub mod editor;
pub mod evidence_picker;
mod form;
mod home;
mod interview_forms;
pub mod interviews;
pub mod keymap;
pub mod keys;
pub mod map;
mod map_forms;
mod objective_forms;
pub mod participant;
pub mod survey_entry;
pub mod survey_view;
pub mod synthesis;
mod synthesis_forms;
pub mod text_input;
mod update;
pub mod workshop;
pub(crate) mod workshop_forms;

use chrono::NaiveDate;

use crate::domain::impact::ImpactMap;
use crate::domain::objective::Objective;
use crate::domain::{ChangeEntry, Changeset, Evaluation, Id, Pilot};
pub use form::{Form, FormField, FormKind};
pub use home::{HomeView, SortColumn};
use keymap::{Keymap, Layer};
pub use update::update;

/// The data every view reads: a snapshot of the store.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Data {
    pub evaluation: Option<Evaluation>,
    pub pilots: Vec<Pilot>,
    pub maps: Vec<ImpactMap>,
    pub objectives: Vec<Objective>,
    pub interviews: Vec<crate::domain::interview::Interview>,
    pub workshops: Vec<crate::domain::workshop::Workshop>,
    /// Notes left unsettled when an editor closed abnormally.
    pub drafts: Vec<crate::domain::interview::NoteDraft>,
    pub codebook: crate::domain::codebook::Codebook,
    /// Survey instruments: the catalogue, plus definitions only the store still has.
    pub surveys: Vec<crate::domain::survey::Survey>,
    /// Stored responses by survey id.
    /// Shared, not copied: a store can hold 100,000 responses, and every save hands the
    /// app a fresh snapshot.
    pub responses: std::sync::Arc<Vec<(String, Vec<crate::domain::survey::Response>)>>,
    /// The responses are still in the store, not read yet (`responses` is empty): the
    /// app asks for them with `Effect::LoadResponses` once the first frame is drawn, or
    /// at once when a survey screen needs them.
    pub responses_pending: bool,
    pub changelog: Vec<ChangeEntry>,
    /// Findings, recommendations and conclusions (one record).
    pub synthesis: crate::domain::synthesis::Synthesis,
}

impl Data {
    pub fn pilot(&self, id: &str) -> Option<&Pilot> {
        self.pilots.iter().find(|p| p.id == id)
    }

    pub fn map(&self, pilot: &str) -> Option<&ImpactMap> {
        self.maps.iter().find(|m| m.pilot == pilot)
    }

    pub fn objectives_of<'a>(&'a self, pilot: &'a str) -> impl Iterator<Item = &'a Objective> + 'a {
        self.objectives.iter().filter(move |o| o.pilot == pilot)
    }

    /// Layers and the first result layer, from the evaluation's settings.
    pub fn layers(&self) -> (Vec<String>, usize) {
        let e = self.evaluation.clone().unwrap_or_default();
        (e.layers, e.results_from)
    }

    pub fn changelog_of<'a>(&'a self, subject: &'a str) -> impl Iterator<Item = &'a ChangeEntry> + 'a {
        self.changelog.iter().filter(move |e| e.subject == subject)
    }
}

// Actions are moved into `update` once, never stored, so their size does not matter.
#[allow(clippy::large_enum_variant)]
#[derive(Debug)]
pub enum Action {
    Key(keys::Key),
    Paste(String),
    Resize {
        width: u16,
        height: u16,
    },
    /// Time passes; carries the local time so the app never reads the clock itself.
    Tick(chrono::NaiveDateTime),
    /// Time to save the note editor's draft (sent about once a second while typing).
    Autosave,
    /// A draft is on disk.
    DraftSaved,
    /// A workshop changed (by this session or another): its new state.
    WorkshopChanged(crate::domain::workshop::Workshop),
    /// Fresh data from the store (at start, or after someone else changed it).
    Loaded(Data),
    /// A save went through and is on disk.
    Saved {
        data: Data,
        saved: Changeset,
        message: String,
    },
    /// A save or load failed; nothing was written.
    Failed(String),
    /// The connection is gone (or the server is stopping): save what is typed, then end.
    Hangup,
    /// Workshops changed elsewhere; the session runner swaps this for `WorkshopChanged`
    /// with their newest state (the app itself ignores it).
    WorkshopStale,
    /// Who else is connected to the server, and what they have open.
    Presence(Presence),
    /// Every survey's stored responses, read on `Effect::LoadResponses`.
    ResponsesLoaded(std::sync::Arc<Vec<(String, Vec<crate::domain::survey::Response>)>>),
    /// A frame is on screen: time for work that could wait (reading survey responses).
    Idle,
    /// A response entered in the app is on disk.
    ResponseSaved {
        data: Data,
        message: String,
    },
}

// Effects are carried out as soon as they are returned, never stored.
#[allow(clippy::large_enum_variant)]
#[derive(Debug, PartialEq)]
pub enum Effect {
    Save {
        changeset: Changeset,
        message: String,
    },
    /// Store one survey response entered in the app (as an import of one row would).
    SaveResponse {
        survey: crate::domain::survey::Survey,
        response: crate::domain::survey::Response,
    },
    /// Read every survey's stored responses (answered with `Action::ResponsesLoaded`).
    LoadResponses,
    /// A command for a workshop: applied, stored and fanned out by the runtime.
    Workshop {
        id: Id,
        command: crate::domain::workshop::WorkshopCommand,
    },
    /// The note editor's draft, saved without reloading anything.
    SaveDraft(crate::domain::interview::NoteDraft),
    /// A workshop participant's unsent text (empty text deletes it).
    SaveSeatDraft(crate::domain::workshop::SeatDraft),
    Quit,
}

// One screen value per session: boxing its bigger views would buy nothing.
#[allow(clippy::large_enum_variant)]
#[derive(Debug, Clone, PartialEq)]
pub enum Screen {
    Welcome,
    Home,
    /// The survey instruments.
    Surveys {
        selected: usize,
    },
    /// One survey's tally.
    Tally(survey_view::TallyView),
    Pilot {
        id: Id,
        scroll: u16,
    },
    Map(map::MapView),
    /// Learning objectives of one pilot, or of the whole evaluation by theme.
    Objectives {
        pilot: Option<Id>,
        selected: usize,
    },
    /// One indicator across all pilots.
    Indicators {
        selected: usize,
    },
    /// Interviews of one pilot, or all of them.
    Interviews(interviews::ListView),
    /// The notes of one interview, in the editor (`App::editor`); `back` is where Esc returns.
    Interview {
        id: Id,
        back: Box<Screen>,
    },
    /// Retrieval: codes on the left, their segments on the right.
    Codes(interviews::CodesView),
    /// Search across notes, quotes, pilots and objectives.
    Search(interviews::SearchView),
    Workshops {
        selected: usize,
    },
    /// The facilitator's console of one workshop.
    Console(workshop::ConsoleView),
    /// A workshop participant's only screen (see `participant.rs`).
    Participant(Box<participant::ParticipantView>),
    /// The synthesis workspace: themes and findings, recommendations, the matrix.
    Synthesis(synthesis::SynthesisView),
}

#[allow(clippy::large_enum_variant)]
#[derive(Debug, Clone, PartialEq)]
pub enum Overlay {
    Help {
        scroll: u16,
    },
    /// Entering one survey response.
    SurveyEntry(Box<survey_entry::Entry>),
    /// Pick a code for the current paragraph (fuzzy).
    CodePicker {
        query: text_input::TextInput,
        selected: usize,
    },
    /// Read-only text: checks, revision diffs.
    Text {
        title: String,
        lines: Vec<String>,
        scroll: u16,
    },
    Confirm(Confirm),
    Form(Form),
    /// Search evidence to cite in a finding, with a preview.
    EvidencePicker(Box<evidence_picker::EvidencePicker>),
}

/// Who else is connected, when the app runs in `oppi serve`: shown so that nobody edits
/// blind and the facilitator sees the room.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Presence {
    /// Other evaluators, by key name, with what they have open (see [`App::open_subject`]).
    pub evaluators: Vec<(String, Option<String>)>,
    /// Connected participants by workshop id.
    pub participants: std::collections::BTreeMap<Id, Vec<crate::domain::workshop::ParticipantId>>,
}

impl Presence {
    /// Names of the other evaluators who have `subject` open.
    pub fn others_on(&self, subject: &str) -> Vec<&str> {
        self.evaluators.iter().filter(|(_, s)| s.as_deref() == Some(subject)).map(|(n, _)| n.as_str()).collect()
    }
}

/// A question the user must answer before something destructive happens.
#[derive(Debug, Clone, PartialEq)]
pub struct Confirm {
    pub question: String,
    pub detail: String,
    pub on_yes: Changeset,
    pub message: String,
}

#[derive(Debug, Clone, PartialEq)]
pub enum Status {
    Info(String),
    Saved(String),
    Error(String),
}

pub struct App {
    pub data: Data,
    /// Counts the data snapshots this app has had, so views' caches (the evidence
    /// picker's candidates) know when to rebuild without comparing the data itself.
    pub data_gen: u64,
    /// Derived from `data` in `update`, for the views (see `derived.rs`).
    pub derived: derived::Derived,
    pub screen: Screen,
    pub overlay: Option<Overlay>,
    pub home: HomeView,
    pub status: Option<Status>,
    pub keymap: Keymap,
    /// Recorded in the change log as "who".
    pub user: String,
    pub today: NaiveDate,
    pub now: chrono::NaiveDateTime,
    pub size: (u16, u16),
    /// The note editor, while an interview's notes are open.
    pub editor: Option<editor::NoteEditor>,
    /// The notes are being written into their interview; the editor closes once saved.
    pub settling: bool,
    pub should_quit: bool,
    /// Set when the screen needs redrawing; the runner clears it after a frame.
    pub dirty: bool,
    /// Where this app runs, shown in the header (e.g. the store path, or "demo").
    pub location: String,
    pub presence: Presence,
    /// `Effect::LoadResponses` has been asked for and not yet answered.
    pub responses_asked: bool,
}

impl App {
    pub fn new(keymap: Keymap, user: &str, today: NaiveDate, location: &str) -> App {
        App {
            data: Data::default(),
            data_gen: 0,
            derived: derived::Derived::default(),
            screen: Screen::Welcome,
            overlay: None,
            home: HomeView::default(),
            status: None,
            keymap,
            user: user.to_string(),
            today,
            now: today.and_hms_opt(9, 0, 0).expect("valid time"),
            size: (80, 24),
            editor: None,
            settling: false,
            should_quit: false,
            dirty: true,
            location: location.to_string(),
            presence: Presence::default(),
            responses_asked: false,
        }
    }

    /// What this session has open that others could be editing too: notes, a map.
    pub fn open_subject(&self) -> Option<String> {
        match &self.screen {
            Screen::Interview { id, .. } => Some(format!("notes {id}")),
            Screen::Map(view) => Some(format!("map {}", view.pilot)),
            Screen::Console(view) => Some(format!("workshop {}", view.id)),
            _ => None,
        }
    }

    /// The layer that receives keys now: overlays first, then the filter box, then the screen.
    pub fn layer(&self) -> Layer {
        match &self.overlay {
            Some(Overlay::Help { .. }) | Some(Overlay::Text { .. }) => Layer::Help,
            Some(Overlay::Confirm(_)) => Layer::Confirm,
            Some(Overlay::Form(_)) => Layer::Form,
            Some(Overlay::SurveyEntry(_)) => Layer::SurveyEntry,
            Some(Overlay::CodePicker { .. }) => Layer::Picker,
            Some(Overlay::EvidencePicker(_)) => Layer::EvidencePicker,
            None => match &self.screen {
                Screen::Welcome => Layer::Welcome,
                Screen::Home if self.home.filtering => Layer::Filter,
                Screen::Home => Layer::Home,
                Screen::Surveys { .. } => Layer::Surveys,
                Screen::Tally(_) => Layer::Tally,
                Screen::Pilot { .. } => Layer::Pilot,
                Screen::Map(v) if v.linking.is_some() => Layer::MapLink,
                Screen::Map(_) => Layer::Map,
                Screen::Objectives { .. } => Layer::Objectives,
                Screen::Indicators { .. } => Layer::Indicators,
                Screen::Interviews(v) if v.filtering => Layer::InterviewsFilter,
                Screen::Interviews(_) => Layer::Interviews,
                Screen::Interview { .. } if self.editor.as_ref().is_some_and(|e| e.search.is_some()) => {
                    Layer::EditorSearch
                }
                Screen::Interview { .. } => Layer::Editor,
                Screen::Codes(_) => Layer::Codes,
                Screen::Search(_) => Layer::Search,
                Screen::Workshops { .. } => Layer::Workshops,
                Screen::Console(v) if v.input.is_some() => Layer::ConsoleInput,
                Screen::Console(_) => Layer::Console,
                Screen::Participant(_) => Layer::Participant,
                Screen::Synthesis(v) => v.layer(),
            },
        }
    }

    /// The layer whose keys the help overlay explains (the one under the overlay).
    pub fn help_layer(&self) -> Layer {
        match &self.screen {
            Screen::Welcome => Layer::Welcome,
            Screen::Home => Layer::Home,
            Screen::Surveys { .. } => Layer::Surveys,
            Screen::Tally(_) => Layer::Tally,
            Screen::Pilot { .. } => Layer::Pilot,
            Screen::Map(_) => Layer::Map,
            Screen::Objectives { .. } => Layer::Objectives,
            Screen::Indicators { .. } => Layer::Indicators,
            Screen::Interviews(_) => Layer::Interviews,
            Screen::Interview { .. } => Layer::Editor,
            Screen::Codes(_) => Layer::Codes,
            Screen::Search(_) => Layer::Search,
            Screen::Workshops { .. } => Layer::Workshops,
            Screen::Console(_) => Layer::Console,
            Screen::Participant(_) => Layer::Participant,
            Screen::Synthesis(v) => v.layer(),
        }
    }

    /// Objectives the objectives screen lists, in display order.
    pub fn objective_rows(&self) -> Vec<&Objective> {
        let Screen::Objectives { pilot, .. } = &self.screen else { return vec![] };
        match pilot {
            Some(p) => self.data.objectives_of(p).collect(),
            None => {
                let themes = self.data.evaluation.as_ref().map(|e| e.themes.clone()).unwrap_or_default();
                crate::domain::objective::by_theme(&self.data.objectives, &themes)
                    .into_iter()
                    .flat_map(|(_, list)| list)
                    .collect()
            }
        }
    }

    /// Distinct indicator names across pilots, alphabetically (never by value).
    pub fn indicator_names(&self) -> Vec<String> {
        let mut names: Vec<String> =
            self.data.maps.iter().flat_map(|m| m.indicators.iter().map(|i| i.name.clone())).collect();
        names.sort_by_key(|n| n.to_lowercase());
        names.dedup();
        names
    }

    pub fn home_rows(&self) -> Vec<&Pilot> {
        self.home.rows(&self.data.pilots)
    }
}

#[cfg(test)]
mod interview_tests;
#[cfg(test)]
mod map_tests;
#[cfg(test)]
mod participant_tests;
#[cfg(test)]
mod survey_tests;
#[cfg(test)]
mod synthesis_tests;
#[cfg(test)]
pub(crate) mod tests;
#[cfg(test)]
mod workshop_tests;
