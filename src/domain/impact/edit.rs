//! Changing a map. Every operation keeps the map consistent: links never point at a
//! missing node, ids are never reused, indicators are never silently dropped.

use chrono::NaiveDate;

use super::{ImpactMap, Level, Link, LinkId, Node, NodeId, Revision};

impl ImpactMap {
    /// Adds a node at the end of `layer` (or right after `after`, when given and in that layer).
    pub fn add_node(&mut self, layer: usize, text: &str, after: Option<NodeId>) -> Result<NodeId, String> {
        let text = text.trim();
        if text.is_empty() {
            return Err("a node needs a text".into());
        }
        let id = self.take_id();
        let node = Node { id, layer, text: text.into(), level: None, note: String::new() };
        let at = after
            .and_then(|a| self.nodes.iter().position(|n| n.id == a && n.layer == layer))
            .map_or(self.nodes.len(), |i| i + 1);
        self.nodes.insert(at, node);
        Ok(id)
    }

    pub fn edit_node(&mut self, id: NodeId, text: &str, level: Option<Level>, note: &str) -> Result<(), String> {
        let text = text.trim();
        if text.is_empty() {
            return Err("a node needs a text".into());
        }
        let node = self.nodes.iter_mut().find(|n| n.id == id).ok_or("no such node")?;
        node.text = text.into();
        node.level = level;
        node.note = note.trim().into();
        Ok(())
    }

    /// Removes a node and its links. Its indicators stay, detached, so no measured value
    /// is lost with a node.
    pub fn delete_node(&mut self, id: NodeId) -> Option<Node> {
        let i = self.nodes.iter().position(|n| n.id == id)?;
        self.links.retain(|l| l.from != id && l.to != id);
        for ind in self.indicators.iter_mut().filter(|ind| ind.node == Some(id)) {
            ind.node = None;
        }
        Some(self.nodes.remove(i))
    }

    /// Moves a node one place up (`-1`) or down (`+1`) within its layer.
    pub fn move_node(&mut self, id: NodeId, step: i32) -> bool {
        let Some(i) = self.nodes.iter().position(|n| n.id == id) else { return false };
        let layer = self.nodes[i].layer;
        let neighbour = if step < 0 {
            self.nodes[..i].iter().rposition(|n| n.layer == layer)
        } else {
            self.nodes[i + 1..].iter().position(|n| n.layer == layer).map(|j| i + 1 + j)
        };
        match neighbour {
            Some(j) => {
                self.nodes.swap(i, j);
                true
            }
            None => false,
        }
    }

    /// Links `from` to `to`. Links within a layer are allowed; links that run backwards
    /// are allowed too but flagged by the checks.
    pub fn add_link(&mut self, from: NodeId, to: NodeId, rationale: &str) -> Result<LinkId, String> {
        if from == to {
            return Err("a node cannot link to itself".into());
        }
        if self.node(from).is_none() || self.node(to).is_none() {
            return Err("both ends of a link must be nodes of this map".into());
        }
        if self.links.iter().any(|l| l.from == from && l.to == to) {
            return Err("these nodes are already linked".into());
        }
        let id = self.take_id();
        self.links.push(Link { id, from, to, rationale: rationale.trim().into(), assumptions: vec![] });
        Ok(id)
    }

    pub fn link_mut(&mut self, id: LinkId) -> Option<&mut Link> {
        self.links.iter_mut().find(|l| l.id == id)
    }

    pub fn delete_link(&mut self, id: LinkId) -> Option<Link> {
        let i = self.links.iter().position(|l| l.id == id)?;
        Some(self.links.remove(i))
    }

    /// Freezes the working map as a named revision.
    pub fn freeze(&mut self, name: &str, on: NaiveDate) -> Result<(), String> {
        let name = name.trim();
        if name.is_empty() {
            return Err("a revision needs a name".into());
        }
        if self.revision(name).is_some() {
            return Err(format!("a revision called '{name}' already exists"));
        }
        self.revisions.push(Revision {
            name: name.into(),
            frozen: on,
            nodes: self.nodes.clone(),
            links: self.links.clone(),
        });
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::indicator::Stage;

    fn map() -> (ImpactMap, NodeId, NodeId, NodeId) {
        let mut m = ImpactMap::new("p2");
        let a = m.add_node(2, "One coach per client", None).unwrap();
        let b = m.add_node(3, "Clients meet their coach weekly", None).unwrap();
        let c = m.add_node(4, "Clients find work", None).unwrap();
        (m, a, b, c)
    }

    #[test]
    fn ids_are_never_reused_after_delete() {
        let (mut m, a, _, _) = map();
        m.delete_node(a);
        let d = m.add_node(2, "Group coaching", None).unwrap();
        assert!(d > a);
    }

    #[test]
    fn deleting_a_node_removes_its_links_but_keeps_indicators() {
        let (mut m, a, b, c) = map();
        m.add_link(a, b, "if each client has one coach, then meetings happen").unwrap();
        m.add_link(b, c, "").unwrap();
        let mut ind = Stage::Employed.indicator(m.take_id());
        ind.node = Some(c);
        m.indicators.push(ind);
        m.delete_node(b);
        assert!(m.links.is_empty());
        m.delete_node(c);
        assert_eq!(m.indicators.len(), 1);
        assert_eq!(m.indicators[0].node, None);
    }

    #[test]
    fn links_refuse_self_duplicates_and_strangers() {
        let (mut m, a, b, _) = map();
        assert!(m.add_link(a, a, "").is_err());
        m.add_link(a, b, "").unwrap();
        assert!(m.add_link(a, b, "").unwrap_err().contains("already linked"));
        assert!(m.add_link(a, 999, "").is_err());
        assert!(m.add_link(b, a, "backwards is allowed, checks flag it").is_ok());
    }

    #[test]
    fn move_node_stays_within_its_layer() {
        let (mut m, a, _, _) = map();
        let a2 = m.add_node(2, "Shared office days", None).unwrap();
        assert!(m.move_node(a2, -1));
        let order: Vec<_> = m.layer_nodes(2).map(|n| n.id).collect();
        assert_eq!(order, vec![a2, a]);
        assert!(!m.move_node(a2, -1), "already first in its layer");
    }

    #[test]
    fn add_after_inserts_in_place() {
        let (mut m, a, _, _) = map();
        let z = m.add_node(2, "Last", None).unwrap();
        let mid = m.add_node(2, "Middle", Some(a)).unwrap();
        let order: Vec<_> = m.layer_nodes(2).map(|n| n.id).collect();
        assert_eq!(order, vec![a, mid, z]);
    }

    #[test]
    fn freeze_keeps_a_copy_under_a_unique_name() {
        let (mut m, a, _, _) = map();
        let day = NaiveDate::from_ymd_opt(2019, 3, 1).unwrap();
        m.freeze("plan 2019-03", day).unwrap();
        m.edit_node(a, "Two coaches per client", None, "").unwrap();
        assert_eq!(m.revision("plan 2019-03").unwrap().nodes[0].text, "One coach per client");
        assert!(m.freeze("plan 2019-03", day).is_err());
        assert!(m.edit_node(a, " ", None, "").is_err());
    }
}
