//! Advice on a map: what would stop it from showing results. Warnings, never blockers.
//! Pilots revise their maps mid-flight, so a half-finished map must stay editable; the
//! checks only say what an evaluator would ask about.

use std::collections::{HashMap, HashSet};

use serde::Serialize;

use super::{ImpactMap, LinkId, Node, NodeId};
use crate::domain::indicator::{Funnel, Indicator};

/// How much of a node's text a message quotes: enough to recognise it in a list.
const QUOTE_CHARS: usize = 40;

/// Declared in the order warnings are listed, so sorting by kind orders the report.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum WarningKind {
    ResultWithoutIndicator,
    IndicatorWithoutBaseline,
    IndicatorWithoutTarget,
    NoPathToResult,
    BackwardLink,
    ConflictingValues,
    FunnelInconsistent,
}

impl WarningKind {
    pub fn label(self) -> &'static str {
        match self {
            WarningKind::ResultWithoutIndicator => "result without indicator",
            WarningKind::IndicatorWithoutBaseline => "indicator without baseline",
            WarningKind::IndicatorWithoutTarget => "indicator without target",
            WarningKind::NoPathToResult => "no path to a result",
            WarningKind::BackwardLink => "backward link",
            WarningKind::ConflictingValues => "conflicting values",
            WarningKind::FunnelInconsistent => "funnel inconsistent",
        }
    }
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Warning {
    pub kind: WarningKind,
    pub message: String,
    /// The node to jump to when the warning is chosen, if any.
    pub node: Option<NodeId>,
    pub link: Option<LinkId>,
}

/// All warnings for `map`, ordered by kind and then by the map's own order.
/// `results_from` is the first layer that counts as a result (outcomes and later).
pub fn check(map: &ImpactMap, layers: &[String], results_from: usize) -> Vec<Warning> {
    let mut out = Vec::new();
    results_without_indicator(map, layers, results_from, &mut out);
    indicator_gaps(map, &mut out);
    no_path_to_result(map, layers, results_from, &mut out);
    backward_links(map, layers, &mut out);
    conflicting_values(map, &mut out);
    funnel_inconsistencies(map, &mut out);
    // Stable, so the map order within each kind survives.
    out.sort_by_key(|w| w.kind);
    out
}

/// The layer's name, or a numbered stand-in when the evaluation has fewer layers than
/// the map uses (layers can be removed from settings after nodes were placed).
pub fn layer_name(layers: &[String], layer: usize) -> String {
    layers.get(layer).cloned().unwrap_or_else(|| format!("layer {}", layer + 1))
}

/// A one-line excerpt of user text, at most `max` characters, ellipsis when cut.
pub fn clip(text: &str, max: usize) -> String {
    let flat = text.split_whitespace().collect::<Vec<_>>().join(" ");
    if flat.chars().count() <= max {
        return flat;
    }
    let keep = max.saturating_sub(1);
    let mut cut: String = flat.chars().take(keep).collect();
    // Prefer ending on a whole word, unless that would throw away most of the excerpt.
    let mid_word = flat.chars().nth(keep).is_some_and(|c| c != ' ');
    if let Some(space) = cut.rfind(' ').filter(|&i| mid_word && i >= cut.len() / 2) {
        cut.truncate(space);
    }
    cut.truncate(cut.trim_end().len());
    cut.push('…');
    cut
}

fn quote(text: &str) -> String {
    format!("\"{}\"", clip(text, QUOTE_CHARS))
}

fn node_label(map: &ImpactMap, layers: &[String], id: NodeId) -> String {
    match map.node(id) {
        Some(n) => format!("{} ({})", quote(&n.text), layer_name(layers, n.layer)),
        None => format!("node {id}"),
    }
}

/// `Outcomes node "Clients find work"`: layer first, since the layer is what the
/// reports argue about.
fn layer_node(layers: &[String], n: &Node) -> String {
    format!("{} node {}", layer_name(layers, n.layer), quote(&n.text))
}

fn indicator_label(map: &ImpactMap, ind: &Indicator) -> String {
    match ind.node.and_then(|id| map.node(id)) {
        Some(n) => format!("Indicator {} on {}", quote(&ind.name), quote(&n.text)),
        None => format!("Indicator {}", quote(&ind.name)),
    }
}

fn warn(kind: WarningKind, message: String, node: Option<NodeId>, link: Option<LinkId>) -> Warning {
    Warning { kind, message, node, link }
}

fn results_without_indicator(map: &ImpactMap, layers: &[String], results_from: usize, out: &mut Vec<Warning>) {
    for n in map.nodes.iter().filter(|n| n.layer >= results_from) {
        if map.indicators_of(n.id).next().is_none() {
            let message = format!("{} has no indicator: nothing will show whether it happened", layer_node(layers, n));
            out.push(warn(WarningKind::ResultWithoutIndicator, message, Some(n.id), None));
        }
    }
}

fn indicator_gaps(map: &ImpactMap, out: &mut Vec<Warning>) {
    let gaps = [
        ("no baseline", WarningKind::IndicatorWithoutBaseline, "has no baseline to compare against"),
        ("no target", WarningKind::IndicatorWithoutTarget, "has no agreed target"),
    ];
    for (gap, kind, says) in gaps {
        for ind in map.indicators.iter().filter(|i| i.gaps().contains(&gap)) {
            out.push(warn(kind, format!("{} {says}", indicator_label(map, ind)), ind.node, None));
        }
    }
}

/// Walks the links backwards from every result, so each node is visited once and a
/// cycle in the links cannot loop.
fn no_path_to_result(map: &ImpactMap, layers: &[String], results_from: usize, out: &mut Vec<Warning>) {
    let mut feeders: HashMap<NodeId, Vec<NodeId>> = HashMap::new();
    for l in &map.links {
        feeders.entry(l.to).or_default().push(l.from);
    }
    let mut reaches: HashSet<NodeId> = map.nodes.iter().filter(|n| n.layer >= results_from).map(|n| n.id).collect();
    let mut todo: Vec<NodeId> = reaches.iter().copied().collect();
    while let Some(id) = todo.pop() {
        for &from in feeders.get(&id).into_iter().flatten() {
            if reaches.insert(from) {
                todo.push(from);
            }
        }
    }
    let first_result = layer_name(layers, results_from);
    for n in map.nodes.iter().filter(|n| !reaches.contains(&n.id)) {
        let message =
            format!("{} leads to no result: no chain of links reaches {first_result} or later", layer_node(layers, n));
        out.push(warn(WarningKind::NoPathToResult, message, Some(n.id), None));
    }
}

fn backward_links(map: &ImpactMap, layers: &[String], out: &mut Vec<Warning>) {
    for l in &map.links {
        let (Some(from), Some(to)) = (map.node(l.from), map.node(l.to)) else { continue };
        if to.layer < from.layer {
            let (from, to) = (node_label(map, layers, l.from), node_label(map, layers, l.to));
            let message = format!("Link from {from} to {to} skips backwards");
            out.push(warn(WarningKind::BackwardLink, message, Some(l.from), Some(l.id)));
        }
    }
}

fn conflicting_values(map: &ImpactMap, out: &mut Vec<Warning>) {
    for ind in &map.indicators {
        for c in ind.conflicts() {
            let values: Vec<String> = c.values.iter().map(|v| v.to_string()).collect();
            let (when, source, values) = (c.as_of, c.source.label(), values.join(", "));
            let message =
                format!("{} has conflicting values on {when} from {source}: {values}", indicator_label(map, ind));
            out.push(warn(WarningKind::ConflictingValues, message, ind.node, None));
        }
    }
}

fn funnel_inconsistencies(map: &ImpactMap, out: &mut Vec<Warning>) {
    for problem in Funnel::from_indicators(&map.indicators).inconsistencies() {
        out.push(warn(WarningKind::FunnelInconsistent, format!("Client funnel: {problem}"), None, None));
    }
}

#[cfg(test)]
mod tests {
    use chrono::NaiveDate;

    use super::super::DEFAULT_LAYERS;
    use super::*;
    use crate::domain::indicator::{DatedValue, Observation, Source, Stage};

    fn layers() -> Vec<String> {
        DEFAULT_LAYERS.iter().map(|s| s.to_string()).collect()
    }

    fn day(s: &str) -> NaiveDate {
        s.parse().unwrap()
    }

    fn dated(value: f64) -> Option<DatedValue> {
        Some(DatedValue { value, date: day("2019-01-01") })
    }

    fn obs(value: f64, as_of: &str, source: Source) -> Observation {
        Observation { value, as_of: day(as_of), source, note: String::new() }
    }

    /// A complete chain: activity → output → outcome, with a measured outcome.
    fn clean_map() -> (ImpactMap, NodeId, NodeId, NodeId) {
        let mut m = ImpactMap::new("p1");
        let a = m.add_node(2, "One coach per client", None).unwrap();
        let b = m.add_node(3, "Clients meet their coach weekly", None).unwrap();
        let c = m.add_node(4, "Clients find work", None).unwrap();
        m.add_link(a, b, "").unwrap();
        m.add_link(b, c, "").unwrap();
        let mut ind = Stage::Employed.indicator(m.take_id());
        ind.node = Some(c);
        ind.baseline = dated(0.0);
        ind.target = dated(100.0);
        m.indicators.push(ind);
        (m, a, b, c)
    }

    fn kinds(ws: &[Warning]) -> Vec<WarningKind> {
        ws.iter().map(|w| w.kind).collect()
    }

    #[test]
    fn a_complete_map_has_no_warnings() {
        let (m, ..) = clean_map();
        assert_eq!(check(&m, &layers(), 4), vec![]);
    }

    #[test]
    fn results_need_an_indicator() {
        let (mut m, _, b, _) = clean_map();
        let d = m.add_node(5, "Fewer long-term unemployed in the region", None).unwrap();
        m.add_link(b, d, "").unwrap();
        let ws = check(&m, &layers(), 4);
        assert_eq!(kinds(&ws), vec![WarningKind::ResultWithoutIndicator]);
        assert_eq!(ws[0].node, Some(d));
        assert_eq!(
            ws[0].message,
            "Impacts node \"Fewer long-term unemployed in the region\" has no indicator: nothing will show whether it happened"
        );
    }

    #[test]
    fn results_from_decides_what_counts_as_a_result() {
        let (m, _, b, _) = clean_map();
        // With outputs counted as results, the output node now lacks an indicator.
        let ws = check(&m, &layers(), 3);
        assert_eq!(kinds(&ws), vec![WarningKind::ResultWithoutIndicator]);
        assert_eq!(ws[0].node, Some(b));
    }

    #[test]
    fn indicators_without_baseline_or_target_are_named() {
        let (mut m, _, _, c) = clean_map();
        // A measured result, not a funnel count (those need no baseline or target).
        m.indicators[0].funnel = None;
        m.indicators[0].baseline = None;
        m.indicators[0].target = None;
        let ws = check(&m, &layers(), 4);
        assert_eq!(kinds(&ws), vec![WarningKind::IndicatorWithoutBaseline, WarningKind::IndicatorWithoutTarget]);
        assert_eq!(
            ws[0].message,
            "Indicator \"Clients employed (all)\" on \"Clients find work\" has no baseline to compare against"
        );
        assert!(ws[1].message.contains("\"Clients employed (all)\" on \"Clients find work\" has no agreed target"));
        assert_eq!(ws[1].node, Some(c));
    }

    #[test]
    fn nodes_without_a_path_to_a_result_are_flagged_with_their_layer() {
        let (mut m, a, _, _) = clean_map();
        let lonely = m.add_node(1, "A very long description of a budget line that nobody linked", None).unwrap();
        let side = m.add_node(2, "Side activity", None).unwrap();
        m.add_link(lonely, side, "").unwrap();
        // A backwards step still counts as a path: only reachability matters here.
        let back = m.add_node(3, "Report", None).unwrap();
        m.add_link(back, a, "").unwrap();
        let ws: Vec<_> =
            check(&m, &layers(), 4).into_iter().filter(|w| w.kind == WarningKind::NoPathToResult).collect();
        let nodes: Vec<_> = ws.iter().map(|w| w.node.unwrap()).collect();
        assert_eq!(nodes, vec![lonely, side], "map order");
        assert_eq!(
            ws[0].message,
            "Inputs node \"A very long description of a budget…\" leads to no result: no chain of links reaches Outcomes or later"
        );
    }

    #[test]
    fn a_cycle_in_the_links_terminates() {
        let mut m = ImpactMap::new("p1");
        let a = m.add_node(2, "A", None).unwrap();
        let b = m.add_node(3, "B", None).unwrap();
        let c = m.add_node(2, "C", None).unwrap();
        m.add_link(a, b, "").unwrap();
        m.add_link(b, c, "").unwrap();
        m.add_link(c, a, "").unwrap();
        let ws = check(&m, &layers(), 4);
        let stuck: Vec<_> = ws.iter().filter(|w| w.kind == WarningKind::NoPathToResult).map(|w| w.node).collect();
        assert_eq!(stuck, vec![Some(a), Some(b), Some(c)]);
        // Closing the cycle onto a result makes every member reach it.
        let r = m.add_node(4, "R", None).unwrap();
        m.add_link(c, r, "").unwrap();
        assert!(check(&m, &layers(), 4).iter().all(|w| w.kind != WarningKind::NoPathToResult));
    }

    #[test]
    fn backward_links_name_both_ends_and_layers() {
        let (mut m, a, _, c) = clean_map();
        let back = m.add_link(c, a, "").unwrap();
        let ws = check(&m, &layers(), 4);
        assert_eq!(kinds(&ws), vec![WarningKind::BackwardLink]);
        assert_eq!(ws[0].link, Some(back));
        assert_eq!(
            ws[0].message,
            "Link from \"Clients find work\" (Outcomes) to \"One coach per client\" (Activities) skips backwards"
        );
    }

    #[test]
    fn links_within_a_layer_are_not_backward() {
        let (mut m, a, ..) = clean_map();
        let a2 = m.add_node(2, "Group sessions", None).unwrap();
        m.add_link(a2, a, "").unwrap();
        assert_eq!(check(&m, &layers(), 4), vec![]);
    }

    #[test]
    fn conflicting_values_name_date_source_and_values() {
        let (mut m, ..) = clean_map();
        let ind = &mut m.indicators[0];
        ind.observations.push(obs(190.0, "2020-06-30", Source::ProviderReport));
        ind.observations.push(obs(90.0, "2020-06-30", Source::ProviderReport));
        let ws = check(&m, &layers(), 4);
        assert_eq!(kinds(&ws), vec![WarningKind::ConflictingValues]);
        assert_eq!(
            ws[0].message,
            "Indicator \"Clients employed (all)\" on \"Clients find work\" has conflicting values on 2020-06-30 from provider report: 190, 90"
        );
    }

    #[test]
    fn funnel_inconsistencies_are_reported() {
        let (mut m, ..) = clean_map();
        for (stage, value) in [(Stage::Started, 90.0), (Stage::Finished, 190.0)] {
            let mut ind = stage.indicator(m.take_id());
            ind.baseline = dated(0.0);
            ind.target = dated(1.0);
            ind.observations.push(obs(value, "2020-06-30", Source::PilotMonitoring));
            m.indicators.push(ind);
        }
        let ws = check(&m, &layers(), 4);
        assert_eq!(kinds(&ws), vec![WarningKind::FunnelInconsistent]);
        assert_eq!(ws[0].message, "Client funnel: finished (190) exceeds started (90)");
    }

    #[test]
    fn warnings_are_ordered_by_kind_then_map_order() {
        let mut m = ImpactMap::new("p1");
        let r1 = m.add_node(4, "R1", None).unwrap();
        let a = m.add_node(2, "A", None).unwrap();
        let r2 = m.add_node(5, "R2", None).unwrap();
        m.add_link(r1, a, "").unwrap();
        let ws = check(&m, &layers(), 4);
        assert_eq!(
            kinds(&ws),
            vec![
                WarningKind::ResultWithoutIndicator,
                WarningKind::ResultWithoutIndicator,
                WarningKind::NoPathToResult,
                WarningKind::BackwardLink
            ]
        );
        assert_eq!(ws[0].node, Some(r1));
        assert_eq!(ws[1].node, Some(r2));
        assert_eq!(ws[2].node, Some(a));
    }

    #[test]
    fn missing_layer_names_get_a_numbered_stand_in() {
        assert_eq!(layer_name(&layers(), 7), "layer 8");
        assert_eq!(clip("  two\nlines  ", 40), "two lines");
        assert_eq!(clip("abcdef", 4), "abc…");
    }
}
