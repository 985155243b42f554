//! What changed between two revisions of a map. Nodes and links are matched by id, since
//! ids are never reused: a node whose text was rewritten is "changed", not removed and added.

use std::collections::HashMap;

use super::checks::{clip, layer_name};
use super::{Assumption, ImpactMap, Link, Node, NodeId};

/// How much of a text a summary line quotes.
const QUOTE_CHARS: usize = 40;

#[derive(Debug, Clone, PartialEq, Default)]
pub struct MapDiff {
    /// In the new map's order.
    pub nodes_added: Vec<Node>,
    /// In the old map's order.
    pub nodes_removed: Vec<Node>,
    /// `(old, new)`, in the new map's order.
    pub nodes_changed: Vec<(Node, Node)>,
    pub links_added: Vec<Link>,
    pub links_removed: Vec<Link>,
    pub links_changed: Vec<(Link, Link)>,
}

/// Compares two versions of a map's nodes and links.
pub fn diff(old_nodes: &[Node], old_links: &[Link], new_nodes: &[Node], new_links: &[Link]) -> MapDiff {
    let (nodes_added, nodes_removed, nodes_changed) = by_id(old_nodes, new_nodes, |n| n.id);
    let (links_added, links_removed, links_changed) = by_id(old_links, new_links, |l| l.id);
    MapDiff { nodes_added, nodes_removed, nodes_changed, links_added, links_removed, links_changed }
}

type Split<T> = (Vec<T>, Vec<T>, Vec<(T, T)>);

fn by_id<T: Clone + PartialEq>(old: &[T], new: &[T], id: impl Fn(&T) -> u32) -> Split<T> {
    let old_by_id: HashMap<u32, &T> = old.iter().map(|x| (id(x), x)).collect();
    let new_by_id: HashMap<u32, &T> = new.iter().map(|x| (id(x), x)).collect();
    let mut added = Vec::new();
    let mut changed = Vec::new();
    for x in new {
        match old_by_id.get(&id(x)) {
            None => added.push(x.clone()),
            Some(&was) if was != x => changed.push((was.clone(), x.clone())),
            Some(_) => {}
        }
    }
    let removed = old.iter().filter(|x| !new_by_id.contains_key(&id(x))).cloned().collect();
    (added, removed, changed)
}

/// A lookup from node id to text over two versions of a map, newest first, so links
/// whose ends were removed can still be described.
pub fn node_texts<'a>(old_nodes: &'a [Node], new_nodes: &'a [Node]) -> impl Fn(NodeId) -> String + 'a {
    move |id| {
        new_nodes.iter().chain(old_nodes).find(|n| n.id == id).map_or_else(|| format!("node {id}"), |n| n.text.clone())
    }
}

fn quote(text: &str) -> String {
    format!("\"{}\"", clip(text, QUOTE_CHARS))
}

fn level_text(level: Option<super::Level>) -> &'static str {
    level.map_or("none", |l| l.label())
}

impl MapDiff {
    pub fn is_empty(&self) -> bool {
        self.nodes_added.is_empty()
            && self.nodes_removed.is_empty()
            && self.nodes_changed.is_empty()
            && self.links_added.is_empty()
            && self.links_removed.is_empty()
            && self.links_changed.is_empty()
    }

    /// One line per change: `+` added, `-` removed, `~` changed; nodes before links.
    /// `node_text` names link ends (see [`node_texts`]).
    pub fn summary_lines(&self, layers: &[String], node_text: impl Fn(NodeId) -> String) -> Vec<String> {
        let mut lines = Vec::new();
        for n in &self.nodes_added {
            lines.push(format!("+ node {} ({})", quote(&n.text), layer_name(layers, n.layer)));
        }
        for n in &self.nodes_removed {
            lines.push(format!("- node {} ({})", quote(&n.text), layer_name(layers, n.layer)));
        }
        for (old, new) in &self.nodes_changed {
            lines.push(node_change(old, new, layers));
        }
        let ends = |l: &Link| format!("{} → {}", quote(&node_text(l.from)), quote(&node_text(l.to)));
        for l in &self.links_added {
            lines.push(format!("+ link {}", ends(l)));
        }
        for l in &self.links_removed {
            lines.push(format!("- link {}", ends(l)));
        }
        for (old, new) in &self.links_changed {
            let mut parts = Vec::new();
            if (old.from, old.to) != (new.from, new.to) {
                parts.push(format!("now {}", ends(new)));
            }
            if old.rationale != new.rationale {
                parts.push(format!("rationale {} → {}", quote(&old.rationale), quote(&new.rationale)));
            }
            parts.extend(assumption_changes(&old.assumptions, &new.assumptions));
            lines.push(format!("~ link {}: {}", ends(old), parts.join("; ")));
        }
        lines
    }
}

fn node_change(old: &Node, new: &Node, layers: &[String]) -> String {
    let mut parts = Vec::new();
    if old.layer != new.layer {
        parts.push(format!("layer {} → {}", layer_name(layers, old.layer), layer_name(layers, new.layer)));
    }
    if old.level != new.level {
        parts.push(format!("level {} → {}", level_text(old.level), level_text(new.level)));
    }
    if old.note != new.note {
        parts.push(format!("note {} → {}", quote(&old.note), quote(&new.note)));
    }
    let head = if old.text == new.text {
        format!("~ node {}", quote(&new.text))
    } else {
        format!("~ node {} → {}", quote(&old.text), quote(&new.text))
    };
    match (old.text == new.text, parts.is_empty()) {
        (_, true) => head,
        (true, false) => format!("{head}: {}", parts.join("; ")),
        (false, false) => format!("{head}; {}", parts.join("; ")),
    }
}

/// Assumptions have no ids, so they are matched by text: a rewritten assumption reads
/// as one removed and one added, which is what a reader of the plan would see too.
fn assumption_changes(old: &[Assumption], new: &[Assumption]) -> Vec<String> {
    let mut parts = Vec::new();
    for a in new {
        match old.iter().find(|o| o.text == a.text) {
            None => parts.push(format!("assumption added {}", quote(&a.text))),
            Some(o) if o.status != a.status => {
                parts.push(format!("assumption {} {} → {}", quote(&a.text), o.status.label(), a.status.label()))
            }
            Some(o) if o.evidence != a.evidence => parts.push(format!("assumption {} evidence edited", quote(&a.text))),
            Some(_) => {}
        }
    }
    for o in old.iter().filter(|o| !new.iter().any(|a| a.text == o.text)) {
        parts.push(format!("assumption removed {}", quote(&o.text)));
    }
    if parts.is_empty() && old != new {
        parts.push("assumptions reordered".into());
    }
    parts
}

impl ImpactMap {
    /// Compares revision `from` with revision `to`, or with the working map when `to` is
    /// `None`.
    pub fn diff_revisions(&self, from: &str, to: Option<&str>) -> Result<MapDiff, String> {
        let find = |name: &str| self.revision(name).ok_or_else(|| format!("no revision called '{name}'"));
        let old = find(from)?;
        let (nodes, links) = match to {
            Some(name) => {
                let new = find(name)?;
                (&new.nodes, &new.links)
            }
            None => (&self.nodes, &self.links),
        };
        Ok(diff(&old.nodes, &old.links, nodes, links))
    }
}

#[cfg(test)]
mod tests {
    use chrono::NaiveDate;

    use super::super::{AssumptionStatus, DEFAULT_LAYERS, Level};
    use super::*;

    fn layers() -> Vec<String> {
        DEFAULT_LAYERS.iter().map(|s| s.to_string()).collect()
    }

    fn day() -> NaiveDate {
        NaiveDate::from_ymd_opt(2019, 3, 1).unwrap()
    }

    fn planned() -> (ImpactMap, NodeId, NodeId, NodeId) {
        let mut m = ImpactMap::new("p2");
        let a = m.add_node(2, "One coach per client", None).unwrap();
        let b = m.add_node(3, "Clients meet their coach weekly", None).unwrap();
        let c = m.add_node(4, "Clients find work", None).unwrap();
        m.add_link(a, b, "if each client has one coach, then meetings happen").unwrap();
        m.add_link(b, c, "").unwrap();
        m.freeze("plan", day()).unwrap();
        (m, a, b, c)
    }

    #[test]
    fn identical_maps_have_an_empty_diff() {
        let (m, ..) = planned();
        let d = m.diff_revisions("plan", None).unwrap();
        assert!(d.is_empty());
        assert_eq!(d.summary_lines(&layers(), |_| String::new()), Vec::<String>::new());
    }

    #[test]
    fn added_removed_and_changed_nodes_are_matched_by_id() {
        let (mut m, a, b, _) = planned();
        m.edit_node(a, "Two coaches per client", Some(Level::Client), "").unwrap();
        m.delete_node(b);
        let d_id = m.add_node(4, "Clients stay in work", None).unwrap();
        let d = m.diff_revisions("plan", None).unwrap();
        assert_eq!(d.nodes_added.iter().map(|n| n.id).collect::<Vec<_>>(), vec![d_id]);
        assert_eq!(d.nodes_removed.iter().map(|n| n.id).collect::<Vec<_>>(), vec![b]);
        assert_eq!(d.nodes_changed.len(), 1);
        assert_eq!(d.nodes_changed[0].0.text, "One coach per client");
        assert_eq!(d.nodes_changed[0].1.text, "Two coaches per client");
        // Deleting b took both its links with it.
        assert_eq!(d.links_removed.len(), 2);
        assert!(d.links_added.is_empty() && d.links_changed.is_empty());
    }

    #[test]
    fn summary_lines_read_as_a_change_list() {
        let (mut m, a, b, c) = planned();
        let old = m.revision("plan").unwrap().nodes.clone();
        m.edit_node(a, "Two coaches per client", None, "").unwrap();
        m.edit_node(c, "Clients find work", Some(Level::Client), "register data").unwrap();
        m.delete_node(b);
        m.add_node(4, "Clients stay in work", None).unwrap();
        let d = m.diff_revisions("plan", None).unwrap();
        let lines = d.summary_lines(&layers(), node_texts(&old, &m.nodes));
        assert_eq!(
            lines,
            vec![
                "+ node \"Clients stay in work\" (Outcomes)",
                "- node \"Clients meet their coach weekly\" (Outputs)",
                "~ node \"One coach per client\" → \"Two coaches per client\"",
                "~ node \"Clients find work\": level none → client; note \"\" → \"register data\"",
                "- link \"Two coaches per client\" → \"Clients meet their coach weekly\"",
                "- link \"Clients meet their coach weekly\" → \"Clients find work\"",
            ]
        );
    }

    #[test]
    fn link_changes_cover_rationale_assumptions_and_ends() {
        let (mut m, _, _, c) = planned();
        let link = m.links[0].id;
        let l = m.link_mut(link).unwrap();
        l.rationale = "coaching builds trust".into();
        l.to = c;
        l.assumptions.push(Assumption {
            text: "Clients show up".into(),
            status: AssumptionStatus::Untested,
            evidence: vec![],
        });
        m.freeze("autumn", day()).unwrap();
        m.link_mut(link).unwrap().assumptions[0].status = AssumptionStatus::Broken;

        let d = m.diff_revisions("plan", Some("autumn")).unwrap();
        assert_eq!(d.links_changed.len(), 1);
        let lines = d.summary_lines(&layers(), node_texts(&[], &m.nodes));
        assert_eq!(
            lines,
            vec![
                "~ link \"One coach per client\" → \"Clients meet their coach weekly\": \
                 now \"One coach per client\" → \"Clients find work\"; \
                 rationale \"if each client has one coach, then…\" → \"coaching builds trust\"; \
                 assumption added \"Clients show up\""
            ]
        );
        let later = m.diff_revisions("autumn", None).unwrap();
        let lines = later.summary_lines(&layers(), node_texts(&[], &m.nodes));
        assert_eq!(
            lines,
            vec![
                "~ link \"One coach per client\" → \"Clients find work\": assumption \"Clients show up\" untested → broken"
            ]
        );
    }

    #[test]
    fn layer_moves_are_described_with_layer_names() {
        let old = vec![Node { id: 1, layer: 3, text: "Satisfaction".into(), level: None, note: String::new() }];
        let mut new = old.clone();
        new[0].layer = 2;
        let d = diff(&old, &[], &new, &[]);
        assert_eq!(
            d.summary_lines(&layers(), |_| String::new()),
            vec!["~ node \"Satisfaction\": layer Outputs → Activities"]
        );
    }

    #[test]
    fn unknown_revisions_are_errors() {
        let (m, ..) = planned();
        assert_eq!(m.diff_revisions("draft", None).unwrap_err(), "no revision called 'draft'");
        assert!(m.diff_revisions("plan", Some("later")).unwrap_err().contains("'later'"));
    }
}
