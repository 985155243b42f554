//! A pilot's impact logic as Markdown (with a Mermaid diagram that GitHub, GitLab and
//! most editors draw) and as JSON for other tools.

use serde::Serialize;
use serde_json::{Value, json};

use super::markdown::{escape_inline, table};
use crate::domain::Pilot;
use crate::domain::impact::checks::{check, layer_name};
use crate::domain::impact::{ImpactMap, Link, NodeId};
use crate::domain::indicator::{DatedValue, Funnel};
use crate::export::report::source_text;
use crate::locale::Locale;

/// Escapes text for a double-quoted Mermaid label. Mermaid reads `#name;` as an entity
/// and renders labels as HTML, so `#` goes first and `<`, `>`, `&` must not reach it.
/// Backticks would switch the label to Mermaid's Markdown strings.
pub fn mermaid_label(text: &str) -> String {
    let flat = text.split_whitespace().collect::<Vec<_>>().join(" ");
    let mut out = String::with_capacity(flat.len());
    for c in flat.chars() {
        match c {
            '#' => out.push_str("#35;"),
            '"' => out.push_str("#quot;"),
            '<' => out.push_str("#lt;"),
            '>' => out.push_str("#gt;"),
            '&' => out.push_str("#38;"),
            '`' => out.push_str("#96;"),
            _ => out.push(c),
        }
    }
    out
}

/// The whole map as one Markdown document in English, ending in exactly one newline.
pub fn map_markdown(pilot: &Pilot, map: &ImpactMap, layers: &[String], results_from: usize) -> String {
    map_markdown_in(Locale::get("en"), pilot, map, layers, results_from)
}

/// The map with its headings, table headers and fixed lines in `l`'s language (the
/// report's appendices). Funnel stage and rate names and the checks' advice are still
/// English.
pub fn map_markdown_in(l: &Locale, pilot: &Pilot, map: &ImpactMap, layers: &[String], results_from: usize) -> String {
    let sections = [
        format!("# {}", l.f("report.map_title", &[("name", &escape_inline(&pilot.name))])),
        mermaid(map, layers),
        links_section(l, map),
        indicators_section(l, map),
        funnel_section(l, map),
        checks_section(l, map, layers, results_from),
    ];
    let present: Vec<&str> = sections.iter().map(|s| s.trim_end()).filter(|s| !s.is_empty()).collect();
    present.join("\n\n") + "\n"
}

fn is_backward(map: &ImpactMap, link: &Link) -> bool {
    match (map.node(link.from), map.node(link.to)) {
        (Some(from), Some(to)) => to.layer < from.layer,
        _ => false,
    }
}

fn text_of(map: &ImpactMap, id: NodeId) -> String {
    map.node(id).map_or_else(|| format!("node {id}"), |n| n.text.clone())
}

fn mermaid(map: &ImpactMap, layers: &[String]) -> String {
    let mut out = String::from("```mermaid\nflowchart LR\n");
    let deepest = map.nodes.iter().map(|n| n.layer + 1).max().unwrap_or(0);
    for layer in 0..deepest.max(layers.len()) {
        let mut nodes = map.layer_nodes(layer).peekable();
        if nodes.peek().is_none() {
            continue;
        }
        out.push_str(&format!("  subgraph L{layer}[\"{}\"]\n", mermaid_label(&layer_name(layers, layer))));
        for n in nodes {
            out.push_str(&format!("    n{}[\"{}\"]\n", n.id, mermaid_label(&n.text)));
        }
        out.push_str("  end\n");
    }
    for l in map.links.iter().filter(|l| map.node(l.from).is_some() && map.node(l.to).is_some()) {
        // Dotted, so a link against the chain stands out without reading the checks.
        let arrow = if is_backward(map, l) { "-.->" } else { "-->" };
        out.push_str(&format!("  n{} {arrow} n{}\n", l.from, l.to));
    }
    out.push_str("```\n");
    out
}

fn or_dash(text: String) -> String {
    if text.trim().is_empty() { "—".into() } else { text }
}

fn links_section(l: &Locale, map: &ImpactMap) -> String {
    let t = |k: &str| l.t(&format!("report.map_{k}")).to_string();
    if map.links.is_empty() {
        return format!("## {}\n\n{}\n", t("links"), t("no_links"));
    }
    let rows: Vec<Vec<String>> = map
        .links
        .iter()
        .map(|l| {
            let assumptions: Vec<String> =
                l.assumptions.iter().map(|a| format!("{}: {}", a.status.label(), a.text)).collect();
            vec![
                text_of(map, l.from),
                text_of(map, l.to),
                or_dash(l.rationale.clone()),
                or_dash(assumptions.join("; ")),
            ]
        })
        .collect();
    format!("## {}\n\n{}", t("links"), table(&[&t("from"), &t("to"), &t("rationale"), &t("assumptions")], &rows))
}

fn dated(value: &Option<DatedValue>) -> String {
    value.map_or("—".into(), |v| format!("{} @ {}", v.value, v.date))
}

fn indicators_section(l: &Locale, map: &ImpactMap) -> String {
    let t = |k: &str| l.t(&format!("report.map_{k}")).to_string();
    if map.indicators.is_empty() {
        return format!("## {}\n\n{}\n", t("indicators"), t("no_indicators"));
    }
    let rows: Vec<Vec<String>> = map
        .indicators
        .iter()
        .map(|i| {
            vec![
                i.name.clone(),
                i.node.map_or("—".into(), |id| text_of(map, id)),
                or_dash(i.unit.clone()),
                source_text(l, i.source),
                dated(&i.baseline),
                dated(&i.target),
                i.latest().map_or("—".into(), |o| format!("{} @ {}", o.value, o.as_of)),
                or_dash(i.gaps().iter().map(|g| t(&g.replace(' ', "_"))).collect::<Vec<_>>().join(", ")),
            ]
        })
        .collect();
    let headers: Vec<String> =
        ["indicator", "node", "unit", "source", "baseline", "target", "latest", "gaps"].map(t).into();
    let headers: Vec<&str> = headers.iter().map(String::as_str).collect();
    format!("## {}\n\n{}", t("indicators"), table(&headers, &rows))
}

/// Rates are shown next to the counts they come from: the reports' hand-typed
/// percentages contradicted their own tables.
fn funnel_section(l: &Locale, map: &ImpactMap) -> String {
    let t = |k: &str| l.t(&format!("report.map_{k}")).to_string();
    if !map.indicators.iter().any(|i| i.funnel.is_some()) {
        return String::new();
    }
    let funnel = Funnel::from_indicators(&map.indicators);
    if funnel.counts.is_empty() {
        return format!("## {}\n\n{}\n", t("funnel"), t("no_funnel"));
    }
    let counts: Vec<Vec<String>> =
        funnel.counts.iter().map(|(s, n, d)| vec![s.label().into(), n.to_string(), d.to_string()]).collect();
    let mut out = format!("## {}\n\n{}", t("funnel"), table(&[&t("stage"), &t("count"), &t("as_of")], &counts));
    let rates: Vec<Vec<String>> = funnel
        .rates()
        .iter()
        .map(|r| {
            let value = r.value.map_or_else(|| t("no_denominator"), |v| format!("{:.1}%", v * 100.0));
            let (n, d) = (funnel.count(r.numerator).unwrap_or(0.0), funnel.count(r.denominator).unwrap_or(0.0));
            vec![r.label(), value, format!("{n} / {d}")]
        })
        .collect();
    if !rates.is_empty() {
        out.push('\n');
        out.push_str(&table(&[&t("rate"), &t("value"), &t("from_counts")], &rates));
    }
    out
}

fn checks_section(l: &Locale, map: &ImpactMap, layers: &[String], results_from: usize) -> String {
    let heading = l.t("report.map_checks");
    let warnings = check(map, layers, results_from);
    if warnings.is_empty() {
        return format!("## {heading}\n\n{}\n", l.t("report.map_no_warnings"));
    }
    let bullets: Vec<String> = warnings.iter().map(|w| format!("- {}", escape_inline(&w.message))).collect();
    format!("## {heading}\n\n{}\n", bullets.join("\n"))
}

fn to_json(value: impl Serialize) -> Value {
    serde_json::to_value(value).unwrap_or(Value::Null)
}

/// Adds computed fields to a serialised record, so the JSON carries what the Markdown shows.
fn extended(record: impl Serialize, extra: Value) -> Value {
    let mut value = to_json(record);
    if let (Some(fields), Value::Object(more)) = (value.as_object_mut(), extra) {
        fields.extend(more);
    }
    value
}

/// The map with everything computed from it: layer names, funnel rates and warnings.
pub fn map_json(pilot: &Pilot, map: &ImpactMap, layers: &[String], results_from: usize) -> Value {
    let funnel = Funnel::from_indicators(&map.indicators);
    let nodes: Vec<Value> = map
        .nodes
        .iter()
        .map(|n| {
            let indicators: Vec<u32> = map.indicators_of(n.id).map(|i| i.id).collect();
            extended(n, json!({ "layer_name": layer_name(layers, n.layer), "indicators": indicators }))
        })
        .collect();
    let links: Vec<Value> = map.links.iter().map(|l| extended(l, json!({ "backward": is_backward(map, l) }))).collect();
    let indicators: Vec<Value> =
        map.indicators.iter().map(|i| extended(i, json!({ "latest": i.latest(), "gaps": i.gaps() }))).collect();
    let revisions: Vec<Value> = map.revisions.iter().map(|r| json!({ "name": r.name, "frozen": r.frozen })).collect();
    let counts: Vec<Value> = funnel
        .counts
        .iter()
        .map(|(stage, count, as_of)| json!({ "stage": stage, "label": stage.label(), "count": count, "as_of": as_of }))
        .collect();
    let rates: Vec<Value> = funnel.rates().iter().map(|r| extended(r, json!({ "label": r.label() }))).collect();
    json!({
        "pilot": { "id": pilot.id, "name": pilot.name },
        "layers": layers,
        "results_from": results_from,
        "nodes": nodes,
        "links": links,
        "indicators": indicators,
        "revisions": revisions,
        "funnel": { "counts": counts, "rates": rates },
        "warnings": to_json(check(map, layers, results_from)),
    })
}

#[cfg(test)]
mod tests {
    use chrono::NaiveDate;

    use super::*;
    use crate::domain::impact::{Assumption, AssumptionStatus, DEFAULT_LAYERS};
    use crate::domain::indicator::{Observation, Source, Stage};

    fn day(s: &str) -> NaiveDate {
        s.parse().unwrap()
    }

    fn layers() -> Vec<String> {
        DEFAULT_LAYERS.iter().map(|s| s.to_string()).collect()
    }

    fn pilot() -> Pilot {
        Pilot::new("p2".into(), "Tehostettu *työnvälitys*", "Uusimaa", day("2019-01-01"))
    }

    fn sample() -> ImpactMap {
        let mut m = ImpactMap::new("p2");
        let a = m.add_node(2, "Coach \"one-to-one\" [weekly] (x) #1 <b>bold</b>", None).unwrap();
        let b = m.add_node(3, "Clients meet\ntheir coach", None).unwrap();
        let c = m.add_node(4, "Työllistyminen", None).unwrap();
        let l = m.add_link(a, b, "if each client has one coach | then…").unwrap();
        m.link_mut(l).unwrap().assumptions.push(Assumption {
            text: "Clients show up".into(),
            status: AssumptionStatus::Untested,
            evidence: vec![],
        });
        m.add_link(b, c, "").unwrap();
        m.add_link(c, a, "").unwrap();
        for (stage, value) in [(Stage::Started, 8500.0), (Stage::Finished, 6800.0), (Stage::Employed, 1700.0)] {
            let mut ind = stage.indicator(m.take_id());
            ind.node = (stage == Stage::Employed).then_some(c);
            ind.observations.push(Observation {
                value,
                as_of: day("2020-06-30"),
                source: Source::PilotMonitoring,
                note: String::new(),
            });
            m.indicators.push(ind);
        }
        m.freeze("plan 2019-03", day("2019-03-01")).unwrap();
        m
    }

    /// `^\s*n\d+\["[^"]*"\]$`, written out since regex is no dependency.
    fn is_valid_node_line(line: &str) -> bool {
        let Some(rest) = line.trim_start().strip_prefix('n') else { return false };
        let digits = rest.chars().take_while(char::is_ascii_digit).count();
        let Some(label) = rest[digits..].strip_prefix("[\"").and_then(|r| r.strip_suffix("\"]")) else {
            return false;
        };
        digits > 0 && !label.contains('"')
    }

    #[test]
    fn mermaid_labels_escape_quotes_entities_and_html() {
        assert_eq!(mermaid_label("Say \"hi\" #1 <b>"), "Say #quot;hi#quot; #35;1 #lt;b#gt;");
        assert_eq!(mermaid_label("two\nlines ä"), "two lines ä");
    }

    #[test]
    fn tricky_node_texts_give_valid_mermaid() {
        let md = map_markdown(&pilot(), &sample(), &layers(), 4);
        let block = md.split("```mermaid\n").nth(1).unwrap().split("```").next().unwrap();
        let mut lines = block.lines();
        assert_eq!(lines.next(), Some("flowchart LR"));
        let mut nodes = 0;
        for line in lines {
            let t = line.trim();
            if t.starts_with("subgraph ") || t == "end" || t.contains("-->") || t.contains("-.->") {
                continue;
            }
            assert!(is_valid_node_line(line), "bad node line: {line:?}");
            nodes += 1;
        }
        assert_eq!(nodes, 3);
        assert!(block.contains("  subgraph L2[\"Activities\"]\n    n1[\"Coach #quot;one-to-one#quot; [weekly] (x) #35;1 #lt;b#gt;bold#lt;/b#gt;\"]\n  end\n"));
        assert!(block.contains("  n1 --> n2\n  n2 --> n3\n  n3 -.-> n1\n"), "backward link is dotted");
        assert!(!block.contains("subgraph L0"), "empty layers are left out");
    }

    #[test]
    fn markdown_has_every_section_in_order() {
        let md = map_markdown(&pilot(), &sample(), &layers(), 4);
        assert!(md.starts_with("# Impact logic: Tehostettu \\*työnvälitys\\*\n\n```mermaid\n"));
        let order = ["```mermaid", "## Links", "## Indicators", "## Client funnel", "## Checks"];
        let at: Vec<usize> = order.iter().map(|h| md.find(h).unwrap_or_else(|| panic!("{h} missing"))).collect();
        assert!(at.windows(2).all(|w| w[0] < w[1]));
        assert!(md.ends_with('\n') && !md.ends_with("\n\n"));
        assert!(md.contains("| From | To | Rationale | Assumptions |\n"));
        assert!(md.contains("| if each client has one coach \\| then… | untested: Clients show up |\n"));
        assert!(md.contains(
            "| Clients employed (all) | Työllistyminen | clients | pilot monitoring | — | — | 1700 @ 2020-06-30 | — |\n"
        ));
        assert!(md.contains("| employed (all) per started | 20.0% | 1700 / 8500 |\n"));
        assert!(md.contains("| finished per started | 80.0% | 6800 / 8500 |\n"));
        assert!(md.contains("\n- Link from \"Työllistyminen\" (Outcomes) to \"Coach"));
        assert!(!md.contains("<b>"), "no raw HTML anywhere");
    }

    #[test]
    fn an_empty_map_still_makes_a_document() {
        let md = map_markdown(&pilot(), &ImpactMap::new("p2"), &layers(), 4);
        assert!(md.contains("```mermaid\nflowchart LR\n```\n\n## Links\n\nNo links yet.\n\n## Indicators"));
        assert!(!md.contains("## Client funnel"), "no funnel section without funnel indicators");
        assert!(md.ends_with("## Checks\n\nNo warnings.\n"));
    }

    #[test]
    fn output_is_deterministic() {
        let (p, m) = (pilot(), sample());
        assert_eq!(map_markdown(&p, &m, &layers(), 4), map_markdown(&p, &m, &layers(), 4));
        assert_eq!(map_json(&p, &m, &layers(), 4).to_string(), map_json(&p, &m, &layers(), 4).to_string());
    }

    #[test]
    fn json_carries_computed_fields() {
        let v = map_json(&pilot(), &sample(), &layers(), 4);
        assert_eq!(v["pilot"]["id"], "p2");
        assert_eq!(v["layers"][4], "Outcomes");
        assert_eq!(v["nodes"][2]["layer_name"], "Outcomes");
        assert_eq!(v["nodes"][2]["indicators"], json!([9]));
        assert_eq!(v["links"][2]["backward"], true);
        assert_eq!(v["indicators"][0]["latest"]["value"], 8500.0);
        assert_eq!(v["indicators"][0]["gaps"], json!([]), "funnel counts need no baseline or target");
        assert_eq!(v["revisions"], json!([{ "name": "plan 2019-03", "frozen": "2019-03-01" }]));
        assert_eq!(v["funnel"]["counts"][0]["stage"], "started");
        assert_eq!(v["funnel"]["rates"][0]["label"], "finished per started");
        assert_eq!(v["funnel"]["rates"][0]["value"], 0.8);
        assert_eq!(v["warnings"][0]["kind"], "backward-link");
    }
}
