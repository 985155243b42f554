//! Impact logic: a pilot's chain from context to impacts, as nodes in layers joined by
//! links that carry their rationale and assumptions. Indicators hang off nodes. The map
//! is revised as pilots change, so frozen revisions are kept and can be compared.

pub mod checks;
pub mod diff;
pub mod edit;

use std::fmt;

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use super::Id;
use super::evidence::EvidenceRef;
use super::indicator::Indicator;

/// The default chain. An evaluation can rename these or add layers in its settings.
pub const DEFAULT_LAYERS: [&str; 6] = ["Context / problem", "Inputs", "Activities", "Outputs", "Outcomes", "Impacts"];

/// Index of the first layer that counts as a *result* by default (Outcomes). The
/// reports' recurring argument: satisfaction and referral counts are outputs, not results.
pub const DEFAULT_RESULTS_FROM: usize = 4;

/// Node and link ids are small numbers unique within one map, never reused.
pub type NodeId = u32;
pub type LinkId = u32;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Level {
    Client,
    Organisation,
    System,
}

impl Level {
    pub const ALL: [Level; 3] = [Level::Client, Level::Organisation, Level::System];

    pub fn label(self) -> &'static str {
        match self {
            Level::Client => "client",
            Level::Organisation => "organisation",
            Level::System => "system",
        }
    }

    pub fn parse(text: &str) -> Result<Option<Level>, String> {
        let t = text.trim().to_lowercase();
        if t.is_empty() || t == "-" || t == "none" {
            return Ok(None);
        }
        Level::ALL
            .into_iter()
            .find(|l| l.label() == t || (t == "organization" && *l == Level::Organisation))
            .map(Some)
            .ok_or_else(|| format!("'{}' is not a level: client, organisation, system or empty", text.trim()))
    }
}

impl fmt::Display for Level {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.label())
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Node {
    pub id: NodeId,
    /// Index into the evaluation's layers.
    pub layer: usize,
    pub text: String,
    #[serde(default)]
    pub level: Option<Level>,
    #[serde(default)]
    pub note: String,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum AssumptionStatus {
    Untested,
    Holding,
    Broken,
}

impl AssumptionStatus {
    pub fn label(self) -> &'static str {
        match self {
            AssumptionStatus::Untested => "untested",
            AssumptionStatus::Holding => "holding",
            AssumptionStatus::Broken => "broken",
        }
    }

    pub fn next(self) -> AssumptionStatus {
        match self {
            AssumptionStatus::Untested => AssumptionStatus::Holding,
            AssumptionStatus::Holding => AssumptionStatus::Broken,
            AssumptionStatus::Broken => AssumptionStatus::Untested,
        }
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Assumption {
    pub text: String,
    pub status: AssumptionStatus,
    #[serde(default)]
    pub evidence: Vec<EvidenceRef>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Link {
    pub id: LinkId,
    pub from: NodeId,
    pub to: NodeId,
    /// "If we give each client one coach, then …"
    #[serde(default)]
    pub rationale: String,
    #[serde(default)]
    pub assumptions: Vec<Assumption>,
}

/// The map as it stood when frozen under a name ("plan 2019-03").
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Revision {
    pub name: String,
    pub frozen: NaiveDate,
    pub nodes: Vec<Node>,
    pub links: Vec<Link>,
}

/// One pilot's impact logic: the working map, its frozen revisions, and its indicators.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ImpactMap {
    pub pilot: Id,
    /// In display order: within a layer, nodes appear in the order of this list.
    pub nodes: Vec<Node>,
    pub links: Vec<Link>,
    #[serde(default)]
    pub revisions: Vec<Revision>,
    #[serde(default)]
    pub indicators: Vec<Indicator>,
    /// The next node, link or indicator id; ids are never reused, even after deletion.
    pub next_id: u32,
}

impl ImpactMap {
    pub fn new(pilot: &str) -> ImpactMap {
        ImpactMap {
            pilot: pilot.to_string(),
            nodes: vec![],
            links: vec![],
            revisions: vec![],
            indicators: vec![],
            next_id: 1,
        }
    }

    pub fn node(&self, id: NodeId) -> Option<&Node> {
        self.nodes.iter().find(|n| n.id == id)
    }

    pub fn link(&self, id: LinkId) -> Option<&Link> {
        self.links.iter().find(|l| l.id == id)
    }

    /// The nodes of one layer, in display order.
    pub fn layer_nodes(&self, layer: usize) -> impl Iterator<Item = &Node> {
        self.nodes.iter().filter(move |n| n.layer == layer)
    }

    pub fn outgoing(&self, node: NodeId) -> impl Iterator<Item = &Link> {
        self.links.iter().filter(move |l| l.from == node)
    }

    pub fn incoming(&self, node: NodeId) -> impl Iterator<Item = &Link> {
        self.links.iter().filter(move |l| l.to == node)
    }

    pub fn indicators_of(&self, node: NodeId) -> impl Iterator<Item = &Indicator> {
        self.indicators.iter().filter(move |i| i.node == Some(node))
    }

    /// Takes the next id for a node, link or indicator.
    pub fn take_id(&mut self) -> u32 {
        let id = self.next_id;
        self.next_id += 1;
        id
    }

    pub fn revision(&self, name: &str) -> Option<&Revision> {
        self.revisions.iter().find(|r| r.name == name)
    }
}
