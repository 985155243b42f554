use anyhow::{anyhow, bail};
use clap::{Subcommand, ValueEnum};

use super::{Context, print_json};
use crate::domain::impact::{ImpactMap, checks};
use crate::domain::pilot::find;
use crate::export::map::{map_json, map_markdown};

#[derive(Debug, Clone, Copy, ValueEnum)]
pub enum Format {
    Md,
    Json,
}

#[derive(Debug, Subcommand)]
pub enum MapCmd {
    /// Warnings about a pilot's impact map: results without indicators, indicators without
    /// baseline or target, nodes with no path to a result, backward links, conflicting values
    Check {
        pilot: String,
        #[arg(long)]
        json: bool,
    },
    /// The map as Markdown (Mermaid flowchart, links, indicators, funnel, checks) or JSON
    Export {
        pilot: String,
        #[arg(long, value_enum, default_value = "md")]
        format: Format,
        /// Write to FILE instead of standard output
        #[arg(long, value_name = "FILE")]
        out: Option<std::path::PathBuf>,
    },
}

pub fn run(cmd: MapCmd, ctx: &Context) -> anyhow::Result<()> {
    let pilots = ctx.store.pilots()?;
    let evaluation = ctx.store.evaluation()?.unwrap_or_default();
    let (layers, results_from) = (&evaluation.layers, evaluation.results_from);
    let load = |query: &str| -> anyhow::Result<(crate::domain::Pilot, ImpactMap)> {
        let pilot = find(&pilots, query).map_err(|e| anyhow!(e))?.clone();
        let map = ctx.store.map(&pilot.id)?.unwrap_or_else(|| ImpactMap::new(&pilot.id));
        Ok((pilot, map))
    };
    match cmd {
        MapCmd::Check { pilot, json } => {
            let (pilot, map) = load(&pilot)?;
            let warnings = checks::check(&map, layers, results_from);
            if json {
                let list: Vec<_> = warnings
                    .iter()
                    .map(|w| serde_json::json!({ "kind": format!("{:?}", w.kind), "message": w.message, "node": w.node, "link": w.link }))
                    .collect();
                return print_json(&list);
            }
            if map.nodes.is_empty() {
                println!("{} has no impact map yet (open the pilot in oppi and press m)", pilot.name);
            } else if warnings.is_empty() {
                println!("{}: no warnings", pilot.name);
            }
            for w in &warnings {
                println!("warning: {}", w.message);
            }
            Ok(())
        }
        MapCmd::Export { pilot, format, out } => {
            let (pilot, map) = load(&pilot)?;
            if map.nodes.is_empty() && map.indicators.is_empty() {
                bail!("{} has no impact map yet", pilot.name);
            }
            let text = match format {
                Format::Md => map_markdown(&pilot, &map, layers, results_from),
                Format::Json => {
                    format!("{}\n", serde_json::to_string_pretty(&map_json(&pilot, &map, layers, results_from))?)
                }
            };
            match out {
                Some(path) => {
                    super::write_file(&path, &text)?;
                    eprintln!("wrote {}", path.display());
                }
                None => print!("{text}"),
            }
            Ok(())
        }
    }
}
