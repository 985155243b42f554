//! The impact-map screen: focus moves between layers (columns) and nodes; the focused
//! node's links are listed beside it and one of them can be selected and followed.

use chrono::Utc;

use super::keymap::Cmd;
use super::map_forms::MapForm;
use super::{App, Confirm, Effect, Overlay, Screen, Status};
use crate::domain::impact::{ImpactMap, LinkId, Node, NodeId, checks};
use crate::domain::{ChangeEntry, ChangeWhat, Changeset, Id};

#[derive(Debug, Clone, PartialEq)]
pub struct MapView {
    pub pilot: Id,
    pub layer: usize,
    /// Position of the focused node within its layer.
    pub index: usize,
    /// Which of the focused node's links (incoming first, then outgoing) is selected.
    pub link: usize,
    /// Link mode: the source node, while the user picks a target.
    pub linking: Option<NodeId>,
}

impl MapView {
    pub fn new(pilot: &str) -> MapView {
        MapView { pilot: pilot.into(), layer: 0, index: 0, link: 0, linking: None }
    }

    pub fn focused<'a>(&self, map: &'a ImpactMap) -> Option<&'a Node> {
        map.layer_nodes(self.layer).nth(self.index)
    }

    /// The focused node's links: incoming first, then outgoing, in map order.
    pub fn links(&self, map: &ImpactMap) -> Vec<LinkId> {
        let Some(node) = self.focused(map) else { return vec![] };
        map.incoming(node.id).chain(map.outgoing(node.id)).map(|l| l.id).collect()
    }

    pub fn selected_link(&self, map: &ImpactMap) -> Option<LinkId> {
        self.links(map).get(self.link).copied()
    }

    fn focus_node(&mut self, map: &ImpactMap, id: NodeId) {
        if let Some(node) = map.node(id) {
            self.layer = node.layer;
            self.index = map.layer_nodes(node.layer).position(|n| n.id == id).unwrap_or(0);
            self.link = 0;
        }
    }

    /// Keeps focus on real nodes after the map changed under it.
    pub fn settle(&mut self, map: &ImpactMap, layers: usize) {
        self.layer = self.layer.min(layers.saturating_sub(1));
        let count = map.layer_nodes(self.layer).count();
        self.index = self.index.min(count.saturating_sub(1));
        self.link = self.link.min(self.links(map).len().saturating_sub(1));
    }
}

/// A changed map, with a sentence for the pilot's change log.
pub fn map_changeset(who: &str, map: ImpactMap, what: &str) -> Changeset {
    let log = vec![ChangeEntry {
        at: Utc::now(),
        who: who.into(),
        subject: map.pilot.clone(),
        what: ChangeWhat::Described { text: format!("map: {what}") },
    }];
    Changeset { maps: vec![map], log, ..Default::default() }
}

fn save_map(app: &App, map: ImpactMap, what: String) -> Effect {
    Effect::Save { changeset: map_changeset(&app.user, map, &what), message: what }
}

pub fn on_key(app: &mut App, cmd: Cmd) -> Vec<Effect> {
    let Screen::Map(view) = &app.screen else { return vec![] };
    let mut view = view.clone();
    let (layers, results_from) = app.data.layers();
    let map = app.data.map(&view.pilot).cloned().unwrap_or_else(|| ImpactMap::new(&view.pilot));
    let focused = view.focused(&map).map(|n| n.id);
    let mut effects = vec![];
    match cmd {
        Cmd::Left => {
            view.layer = view.layer.saturating_sub(1);
            view.index = 0;
        }
        Cmd::Right => {
            view.layer = (view.layer + 1).min(layers.len() - 1);
            view.index = 0;
        }
        Cmd::Down => view.index += 1,
        Cmd::Up => view.index = view.index.saturating_sub(1),
        Cmd::NextField => view.link += 1,
        Cmd::PrevField => view.link = view.link.saturating_sub(1),
        Cmd::Open => {
            if let Some(id) = view.linking.take() {
                match focused {
                    Some(to) if to != id => {
                        app.overlay = Some(Overlay::Form(MapForm::new_link(&map, id, to)));
                    }
                    _ => app.status = Some(Status::Error("pick another node as the target".into())),
                }
            } else if let (Some(link), Some(node)) = (view.selected_link(&map), focused) {
                let link = map.link(link).expect("selected links exist");
                let other = if link.from == node { link.to } else { link.from };
                view.focus_node(&map, other);
            }
        }
        Cmd::LinkMode => match focused {
            Some(id) => {
                view.linking = Some(id);
                app.status = Some(Status::Info("link mode: move to the target node and press enter".into()));
            }
            None => app.status = Some(Status::Error("add a node first (a)".into())),
        },
        Cmd::Cancel | Cmd::Back if view.linking.is_some() => {
            view.linking = None;
            app.status = Some(Status::Info("link mode cancelled".into()));
        }
        Cmd::Back => {
            app.screen = Screen::Pilot { id: view.pilot.clone(), scroll: 0 };
            return vec![];
        }
        Cmd::Add => {
            app.overlay = Some(Overlay::Form(MapForm::new_node(&view.pilot, view.layer, focused, &layers)));
        }
        Cmd::Edit => match focused.and_then(|id| map.node(id)) {
            Some(node) => app.overlay = Some(Overlay::Form(MapForm::edit_node(&view.pilot, node))),
            None => app.status = Some(Status::Error("no node here: add one with a".into())),
        },
        Cmd::EditLink => match view.selected_link(&map).and_then(|id| map.link(id)) {
            Some(link) => app.overlay = Some(Overlay::Form(MapForm::edit_link(&map, link))),
            None => app.status = Some(Status::Error("no link selected: tab selects one".into())),
        },
        Cmd::MoveUp | Cmd::MoveDown => {
            if let Some(id) = focused {
                let mut changed = map.clone();
                if changed.move_node(id, if cmd == Cmd::MoveUp { -1 } else { 1 }) {
                    view.focus_node(&changed, id);
                    let text = truncate(&changed.node(id).unwrap().text);
                    effects.push(save_map(app, changed, format!("moved '{text}'")));
                }
            }
        }
        Cmd::Delete => {
            if let Some(node) = focused.and_then(|id| map.node(id)) {
                let mut changed = map.clone();
                let links = map.incoming(node.id).count() + map.outgoing(node.id).count();
                changed.delete_node(node.id);
                let message = format!("deleted node '{}'", truncate(&node.text));
                app.overlay = Some(Overlay::Confirm(Confirm {
                    question: format!("Delete '{}'?", truncate(&node.text)),
                    detail: format!(
                        "Its {links} link(s) go with it; its indicators stay, unattached. Frozen revisions keep it."
                    ),
                    on_yes: map_changeset(&app.user, changed, &message),
                    message,
                }));
            }
        }
        Cmd::DeleteLink => {
            if let Some(link) = view.selected_link(&map).and_then(|id| map.link(id)) {
                let mut changed = map.clone();
                changed.delete_link(link.id);
                let names = link_names(&map, link.from, link.to);
                let message = format!("removed link {names}");
                app.overlay = Some(Overlay::Confirm(Confirm {
                    question: format!("Remove the link {names}?"),
                    detail: "Its rationale and assumptions go with it. Frozen revisions keep it.".into(),
                    on_yes: map_changeset(&app.user, changed, &message),
                    message,
                }));
            }
        }
        Cmd::Freeze => app.overlay = Some(Overlay::Form(MapForm::freeze(&view.pilot, app.today))),
        Cmd::AddIndicator => match focused {
            Some(id) => app.overlay = Some(Overlay::Form(MapForm::new_indicator(&view.pilot, id))),
            None => app.status = Some(Status::Error("indicators attach to a node: add one first".into())),
        },
        Cmd::Observe => {
            let indicator = focused.and_then(|id| map.indicators_of(id).next()).map(|i| i.id);
            match indicator {
                Some(i) => app.overlay = Some(Overlay::Form(MapForm::observe(&map, i, app.today))),
                None => app.status = Some(Status::Error("this node has no indicator yet: add one with i".into())),
            }
        }
        Cmd::ShowChecks => {
            let warnings = checks::check(&map, &layers, results_from);
            let lines = if warnings.is_empty() {
                vec!["No warnings: every result has an indicator with a baseline and a target.".to_string()]
            } else {
                warnings.iter().map(|w| format!("⚠ {}", w.message)).collect()
            };
            app.overlay = Some(Overlay::Text { title: "Checks (advice, not blockers)".into(), lines, scroll: 0 });
        }
        Cmd::ShowDiff => {
            app.overlay =
                Some(Overlay::Text { title: "Revisions".into(), lines: revision_lines(&map, &layers), scroll: 0 })
        }
        _ => app.dirty = false,
    }
    view.settle(&map, layers.len());
    app.screen = Screen::Map(view);
    effects
}

fn revision_lines(map: &ImpactMap, layers: &[String]) -> Vec<String> {
    if map.revisions.is_empty() {
        return vec!["No revisions yet: press f to freeze the current map under a name.".into()];
    }
    let mut names: Vec<Option<&str>> = map.revisions.iter().map(|r| Some(r.name.as_str())).collect();
    names.push(None);
    let mut lines = vec![format!(
        "{} revision(s): {}",
        map.revisions.len(),
        map.revisions.iter().map(|r| format!("{} ({})", r.name, r.frozen)).collect::<Vec<_>>().join(", ")
    )];
    for pair in names.windows(2) {
        let from = pair[0].expect("only the last is the working map");
        let to = pair[1].unwrap_or("working map");
        lines.push(String::new());
        lines.push(format!("{from} → {to}"));
        match map.diff_revisions(from, pair[1]) {
            Ok(d) if d.is_empty() => lines.push("  no changes".into()),
            Ok(d) => {
                let text = |id| map.node(id).map_or_else(|| format!("node {id}"), |n| truncate(&n.text));
                lines.extend(d.summary_lines(layers, text).into_iter().map(|l| format!("  {l}")));
            }
            Err(e) => lines.push(format!("  {e}")),
        }
    }
    lines
}

pub fn link_names(map: &ImpactMap, from: NodeId, to: NodeId) -> String {
    let name = |id| map.node(id).map_or_else(|| "?".to_string(), |n| truncate(&n.text));
    format!("'{}' → '{}'", name(from), name(to))
}

pub fn truncate(text: &str) -> String {
    if text.chars().count() <= 40 {
        text.to_string()
    } else {
        format!("{}…", text.chars().take(39).collect::<String>())
    }
}
