//! Forms of the impact-map screen: nodes, links with assumptions, revisions, indicators.

use chrono::NaiveDate;

use super::Data;
use super::form::{Form, FormKind};
use super::map::{link_names, map_changeset, truncate};
use crate::domain::impact::{Assumption, AssumptionStatus, ImpactMap, Level, Link, LinkId, Node, NodeId};
use crate::domain::indicator::{DatedValue, Indicator, Observation, Source, format_value, parse_date, parse_value};
use crate::domain::{Changeset, Id};

#[derive(Debug, Clone, PartialEq)]
pub enum MapForm {
    NewNode { pilot: Id, layer: usize, after: Option<NodeId> },
    EditNode { pilot: Id, node: NodeId },
    Link { pilot: Id, from: NodeId, to: NodeId, link: Option<LinkId> },
    Freeze { pilot: Id },
    NewIndicator { pilot: Id, node: NodeId },
    Observe { pilot: Id, indicator: u32 },
}

const LEVEL_HINT: &str = "client | organisation | system | empty";
const ASSUMPTION_HINT: &str = "an assumption; start with 'holding:' or 'broken:' (default untested); empty = none";
/// Empty slots offered for new assumptions; a link with more shows them all.
const ASSUMPTION_SLOTS: usize = 3;
const ASSUMPTION_LABELS: [&str; 8] = [
    "Assumption 1",
    "Assumption 2",
    "Assumption 3",
    "Assumption 4",
    "Assumption 5",
    "Assumption 6",
    "Assumption 7",
    "Assumption 8",
];

impl MapForm {
    pub fn new_node(pilot: &str, layer: usize, after: Option<NodeId>, layers: &[String]) -> Form {
        let title = format!("New node in {}", layers.get(layer).map_or("layer", String::as_str));
        let kind = FormKind::Map(MapForm::NewNode { pilot: pilot.into(), layer, after });
        Form::plain(kind, &title, &node_fields("", None, ""))
    }

    pub fn edit_node(pilot: &str, node: &Node) -> Form {
        let kind = FormKind::Map(MapForm::EditNode { pilot: pilot.into(), node: node.id });
        Form::plain(kind, "Edit node", &node_fields(&node.text, node.level, &node.note))
    }

    pub fn new_link(map: &ImpactMap, from: NodeId, to: NodeId) -> Form {
        let kind = FormKind::Map(MapForm::Link { pilot: map.pilot.clone(), from, to, link: None });
        let title = format!("Link {}", link_names(map, from, to));
        Form::plain(
            kind,
            &title,
            &link_fields(&Link { id: 0, from, to, rationale: String::new(), assumptions: vec![] }),
        )
    }

    pub fn edit_link(map: &ImpactMap, link: &Link) -> Form {
        let kind = FormKind::Map(MapForm::Link {
            pilot: map.pilot.clone(),
            from: link.from,
            to: link.to,
            link: Some(link.id),
        });
        let title = format!("Link {}", link_names(map, link.from, link.to));
        Form::plain(kind, &title, &link_fields(link))
    }

    pub fn freeze(pilot: &str, today: NaiveDate) -> Form {
        let kind = FormKind::Map(MapForm::Freeze { pilot: pilot.into() });
        let name = format!("revision {}", today.format("%Y-%m-%d"));
        Form::plain(kind, "Freeze the map as a revision", &[("Name", "e.g. plan 2019-03, redefined 2019-06", name)])
    }

    pub fn new_indicator(pilot: &str, node: NodeId) -> Form {
        let kind = FormKind::Map(MapForm::NewIndicator { pilot: pilot.into(), node });
        Form::plain(
            kind,
            "New indicator",
            &[
                ("Name", "required", String::new()),
                ("Definition", "what exactly is counted or asked", String::new()),
                ("Unit", "e.g. clients, %, mean 1–5", String::new()),
                ("Level", LEVEL_HINT, String::new()),
                (
                    "Source",
                    "pilot monitoring | national register | provider report | survey | other",
                    "pilot monitoring".into(),
                ),
                ("Baseline", "value @ YYYY-MM-DD — agree it now, not at the end", String::new()),
                ("Target", "value @ YYYY-MM-DD", String::new()),
            ],
        )
    }

    pub fn observe(map: &ImpactMap, indicator: u32, today: NaiveDate) -> Form {
        let ind = map.indicators.iter().find(|i| i.id == indicator);
        let title = format!("New value: {}", ind.map_or("indicator", |i| i.name.as_str()));
        let source = ind.map_or("pilot monitoring", |i| i.source.label());
        let kind = FormKind::Map(MapForm::Observe { pilot: map.pilot.clone(), indicator });
        Form::plain(
            kind,
            &title,
            &[
                ("Value", "a number; 4,23 and 13 000 are fine", String::new()),
                ("As of", "YYYY-MM-DD: the date the value describes", today.to_string()),
                ("Source", "pilot monitoring | national register | provider report | survey | other", source.into()),
                ("Note", "where exactly it comes from", String::new()),
                ("Indicator", "which of the node's indicators (name)", ind.map_or(String::new(), |i| i.name.clone())),
            ],
        )
        .with_hint(4, {
            let node = ind.and_then(|i| i.node);
            let names: Vec<&str> = map.indicators.iter().filter(|i| i.node == node).map(|i| i.name.as_str()).collect();
            names.join(" | ")
        })
    }

    fn pilot(&self) -> &Id {
        match self {
            MapForm::NewNode { pilot, .. }
            | MapForm::EditNode { pilot, .. }
            | MapForm::Link { pilot, .. }
            | MapForm::Freeze { pilot }
            | MapForm::NewIndicator { pilot, .. }
            | MapForm::Observe { pilot, .. } => pilot,
        }
    }

    pub fn submit(&self, form: &Form, data: &Data, who: &str, today: NaiveDate) -> Result<Option<Changeset>, String> {
        let mut map = data.map(self.pilot()).cloned().unwrap_or_else(|| ImpactMap::new(self.pilot()));
        let (layers, _) = data.layers();
        let what = match self {
            MapForm::NewNode { layer, after, .. } => {
                let id = map.add_node(*layer, form.value(0), *after)?;
                map.edit_node(id, form.value(0), Level::parse(form.value(1))?, form.value(2))?;
                format!("added node '{}' ({})", truncate(form.value(0)), layers.get(*layer).map_or("", String::as_str))
            }
            MapForm::EditNode { node, .. } => {
                map.edit_node(*node, form.value(0), Level::parse(form.value(1))?, form.value(2))?;
                format!("edited node '{}'", truncate(form.value(0)))
            }
            MapForm::Link { from, to, link, .. } => {
                let id = match link {
                    Some(id) => *id,
                    None => map.add_link(*from, *to, "")?,
                };
                let assumptions = (1..form.fields.len())
                    .map(|i| form.value(i))
                    .filter(|t| !t.is_empty())
                    .map(parse_assumption)
                    .collect::<Vec<_>>();
                let l = map.link_mut(id).ok_or("the link no longer exists")?;
                // Assumptions whose text did not change keep their evidence.
                let old = std::mem::take(&mut l.assumptions);
                l.rationale = form.value(0).into();
                l.assumptions = assumptions
                    .into_iter()
                    .map(|mut a| {
                        if let Some(o) = old.iter().find(|o| o.text == a.text) {
                            a.evidence = o.evidence.clone();
                        }
                        a
                    })
                    .collect();
                let verb = if link.is_some() { "edited link" } else { "linked" };
                format!("{verb} {}", link_names(&map, *from, *to))
            }
            MapForm::Freeze { .. } => {
                map.freeze(form.value(0), today)?;
                format!("froze revision '{}'", form.value(0))
            }
            MapForm::NewIndicator { node, .. } => {
                if form.value(0).is_empty() {
                    return Err("Name: an indicator needs a name".into());
                }
                let indicator = Indicator {
                    id: map.take_id(),
                    node: Some(*node),
                    name: form.value(0).into(),
                    definition: form.value(1).into(),
                    unit: form.value(2).into(),
                    level: Level::parse(form.value(3)).map_err(|e| format!("Level: {e}"))?,
                    source: Source::parse(form.value(4)).map_err(|e| format!("Source: {e}"))?,
                    baseline: DatedValue::parse(form.value(5)).map_err(|e| format!("Baseline: {e}"))?,
                    target: DatedValue::parse(form.value(6)).map_err(|e| format!("Target: {e}"))?,
                    observations: vec![],
                    funnel: None,
                };
                let what = format!("added indicator '{}'", indicator.name);
                map.indicators.push(indicator);
                what
            }
            MapForm::Observe { indicator, .. } => {
                let observation = Observation {
                    value: parse_value(form.value(0)).map_err(|e| format!("Value: {e}"))?,
                    as_of: parse_date(form.value(1)).map_err(|e| format!("As of: {e}"))?,
                    source: Source::parse(form.value(2)).map_err(|e| format!("Source: {e}"))?,
                    note: form.value(3).into(),
                };
                // The form names the indicator, so a node with several can take values for each.
                let node = map.indicators.iter().find(|i| i.id == *indicator).and_then(|i| i.node);
                let wanted = form.value(4).to_lowercase();
                let chosen = map
                    .indicators
                    .iter()
                    .filter(|i| i.node == node)
                    .find(|i| !wanted.is_empty() && i.name.to_lowercase().starts_with(&wanted))
                    .map_or(*indicator, |i| i.id);
                let ind = map.indicators.iter_mut().find(|i| i.id == chosen).ok_or("the indicator no longer exists")?;
                let what = format!("{} = {} as of {}", ind.name, format_value(observation.value), observation.as_of);
                ind.observations.push(observation);
                what
            }
        };
        Ok(Some(map_changeset(who, map, &what)))
    }
}

fn node_fields(text: &str, level: Option<Level>, note: &str) -> Vec<(&'static str, &'static str, String)> {
    vec![
        ("Text", "what happens or changes, in a few words", text.into()),
        ("Level", LEVEL_HINT, level.map_or(String::new(), |l| l.label().into())),
        ("Note", "optional", note.into()),
    ]
}

fn link_fields(link: &Link) -> Vec<(&'static str, &'static str, String)> {
    let mut fields = vec![("Rationale", "if … then …", link.rationale.clone())];
    let slots = (link.assumptions.len() + 1).max(ASSUMPTION_SLOTS).min(ASSUMPTION_LABELS.len());
    for (i, label) in ASSUMPTION_LABELS.iter().enumerate().take(slots) {
        let text = link.assumptions.get(i).map_or(String::new(), |a| match a.status {
            AssumptionStatus::Untested => a.text.clone(),
            s => format!("{}: {}", s.label(), a.text),
        });
        fields.push((label, ASSUMPTION_HINT, text));
    }
    fields
}

fn parse_assumption(text: &str) -> Assumption {
    for status in [AssumptionStatus::Holding, AssumptionStatus::Broken, AssumptionStatus::Untested] {
        if let Some(rest) = text.strip_prefix(&format!("{}:", status.label())) {
            return Assumption { text: rest.trim().into(), status, evidence: vec![] };
        }
    }
    Assumption { text: text.into(), status: AssumptionStatus::Untested, evidence: vec![] }
}
