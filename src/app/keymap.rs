//! Keys are routed by layer (after yazi): the topmost layer that is active decides
//! what a key means. Bindings are data (TOML), so the footer and the `?` help are
//! generated from the same table that routes keys and can never disagree with it.

use std::collections::HashMap;

use serde::Deserialize;

use super::keys::Key;
use crate::textpos::toml_error;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Layer {
    Global,
    Welcome,
    Home,
    Pilot,
    Map,
    MapLink,
    Objectives,
    Indicators,
    Surveys,
    Tally,
    SurveyEntry,
    Interviews,
    InterviewsFilter,
    Editor,
    EditorSearch,
    Picker,
    Codes,
    Search,
    Workshops,
    Console,
    ConsoleInput,
    /// A workshop participant's screen: its few keys are matched in `participant.rs`,
    /// labelled in the participant's language.
    Participant,
    Synthesis,
    SynthesisRecs,
    SynthesisConclusions,
    SynthesisMatrix,
    EvidencePicker,
    Filter,
    Form,
    Confirm,
    Help,
}

impl Layer {
    /// Global keys work on screens, not in overlays or text inputs: there `q` types a
    /// letter and `?` would be confusing on top of the help itself.
    pub fn takes_globals(self) -> bool {
        matches!(
            self,
            Layer::Welcome
                | Layer::Home
                | Layer::Pilot
                | Layer::Map
                | Layer::Objectives
                | Layer::Indicators
                | Layer::Surveys
                | Layer::Tally
                | Layer::Interviews
                | Layer::Codes
                | Layer::Workshops
                | Layer::Console
                | Layer::Synthesis
                | Layer::SynthesisRecs
                | Layer::SynthesisConclusions
                | Layer::SynthesisMatrix
        )
    }
}

/// Everything a key can ask for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Cmd {
    Quit,
    Help,
    Back,
    Up,
    Down,
    PageUp,
    PageDown,
    Top,
    Bottom,
    Open,
    Filter,
    ClearFilter,
    SortNext,
    SortReverse,
    ToggleArchived,
    /// Create whatever the screen lists: a pilot, an objective, an interview, a workshop…
    #[serde(alias = "new-pilot")]
    New,
    NewEvaluation,
    EditEvaluation,
    Edit,
    Archive,
    NextPilot,
    PrevPilot,
    NextField,
    PrevField,
    Submit,
    Cancel,
    Confirm,
    Left,
    Right,
    /// Add to what is in focus: a node to the map, an item to the workshop.
    #[serde(alias = "add-node")]
    Add,
    Delete,
    MoveUp,
    MoveDown,
    LinkMode,
    EditLink,
    DeleteLink,
    Freeze,
    ShowDiff,
    ShowChecks,
    AddIndicator,
    Observe,
    OpenMap,
    OpenObjectives,
    OpenIndicators,
    AddLesson,
    OpenSurveys,
    CyclePilot,
    CycleRound,
    CycleBreakdown,
    ToggleCoverage,
    NewResponse,
    OpenInterviews,
    OpenCodes,
    OpenSearch,
    Stamp,
    ToggleQuote,
    PickCode,
    Find,
    Done,
    SwitchPane,
    OpenWorkshops,
    Start,
    NextItem,
    PrevItem,
    Reveal,
    Note,
    NewCluster,
    Hand,
    Challenge,
    Merge,
    MoveToCluster,
    Park,
    ToAction,
    Undo,
    OpenSynthesis,
    ViewFindings,
    ViewRecommendations,
    ViewMatrix,
    ViewConclusions,
    /// Cite evidence in the focused finding (the evidence picker).
    Cite,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawBinding {
    keys: Vec<String>,
    run: Cmd,
    desc: String,
    #[serde(default = "yes")]
    footer: bool,
}

fn yes() -> bool {
    true
}

#[derive(Debug, Clone, PartialEq)]
pub struct Binding {
    pub keys: Vec<Key>,
    pub cmd: Cmd,
    pub desc: String,
    pub footer: bool,
}

/// Shared, not copied: every session of a server has one, and they are all the same.
#[derive(Debug, Clone, Default)]
pub struct Keymap {
    layers: std::sync::Arc<HashMap<Layer, Vec<Binding>>>,
}

const DEFAULT: &str = include_str!("keymap.toml");

impl Keymap {
    pub fn default_keys() -> Keymap {
        Keymap::parse("built-in keymap", DEFAULT).expect("the built-in keymap is valid")
    }

    /// Parses a keymap file; errors name the file, line and column.
    pub fn parse(name: &str, text: &str) -> Result<Keymap, String> {
        let raw: HashMap<Layer, Vec<RawBinding>> = toml::from_str(text).map_err(|e| toml_error(name, text, &e))?;
        let mut layers = HashMap::new();
        for (layer, raws) in raw {
            let mut bindings = Vec::new();
            for raw in raws {
                let keys = raw
                    .keys
                    .iter()
                    .map(|k| k.parse::<Key>().map_err(|e| format!("{name}: [{layer:?}] {e}")))
                    .collect::<Result<Vec<_>, _>>()?;
                if keys.is_empty() {
                    return Err(format!("{name}: [{layer:?}] binding for {:?} has no keys", raw.run));
                }
                bindings.push(Binding { keys, cmd: raw.run, desc: raw.desc, footer: raw.footer });
            }
            layers.insert(layer, bindings);
        }
        Ok(Keymap { layers: std::sync::Arc::new(layers) })
    }

    /// Puts `user`'s bindings in front of ours, layer by layer.
    pub fn overlay(self, user: Keymap) -> Keymap {
        let mut layers = (*self.layers).clone();
        for (layer, user_bindings) in user.layers.iter() {
            let ours = layers.remove(layer).unwrap_or_default();
            let mut bindings = user_bindings.clone();
            bindings.extend(ours);
            layers.insert(*layer, bindings);
        }
        Keymap { layers: std::sync::Arc::new(layers) }
    }

    /// What `key` means in `layer`, falling back to the global layer.
    pub fn lookup(&self, layer: Layer, key: Key) -> Option<Cmd> {
        let find = |l: Layer| self.bindings(l).iter().find(|b| b.keys.contains(&key)).map(|b| b.cmd);
        find(layer).or_else(|| if layer.takes_globals() { find(Layer::Global) } else { None })
    }

    pub fn bindings(&self, layer: Layer) -> &[Binding] {
        self.layers.get(&layer).map_or(&[], Vec::as_slice)
    }

    /// The bindings that work now, for the footer and the help overlay.
    pub fn active(&self, layer: Layer) -> Vec<&Binding> {
        let mut out: Vec<&Binding> = self.bindings(layer).iter().collect();
        if layer.takes_globals() {
            let own = self.bindings(layer);
            out.extend(self.bindings(Layer::Global).iter().filter(|g| !own.iter().any(|b| b.cmd == g.cmd)));
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn builtin_keymap_parses_and_routes() {
        let km = Keymap::default_keys();
        assert_eq!(km.lookup(Layer::Home, Key::char('j')), Some(Cmd::Down));
        assert_eq!(km.lookup(Layer::Home, Key::char('?')), Some(Cmd::Help));
        assert_eq!(km.lookup(Layer::Form, Key::char('?')), None, "text layers must type '?'");
        assert_eq!(km.lookup(Layer::Form, Key::char('q')), None);
        assert_eq!(km.lookup(Layer::Pilot, Key::char('q')), Some(Cmd::Back));
    }

    #[test]
    fn user_bindings_take_priority() {
        let user =
            Keymap::parse("user.toml", "[[home]]\nkeys = [\"x\", \"j\"]\nrun = \"quit\"\ndesc = \"bye\"\n").unwrap();
        let km = Keymap::default_keys().overlay(user);
        assert_eq!(km.lookup(Layer::Home, Key::char('j')), Some(Cmd::Quit));
        assert_eq!(km.lookup(Layer::Home, Key::char('k')), Some(Cmd::Up));
    }

    #[test]
    fn errors_name_file_line_and_column() {
        let err = Keymap::parse("user.toml", "[[home]]\nkeys = [\"x\"]\nrun = \"fly\"\ndesc = \"\"\n").unwrap_err();
        assert!(err.starts_with("user.toml:3:"), "{err}");
        let err =
            Keymap::parse("user.toml", "[[home]]\nkeys = [\"hyper-x\"]\nrun = \"quit\"\ndesc = \"\"\n").unwrap_err();
        assert!(err.contains("hyper-x"), "{err}");
    }
}
