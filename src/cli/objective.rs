use anyhow::anyhow;
use clap::Subcommand;

use super::{Context, print_json};
use crate::domain::objective::by_theme;
use crate::domain::pilot::find;

#[derive(Debug, Subcommand)]
pub enum ObjectiveCmd {
    /// Learning objectives with their lessons, by theme (or of one pilot)
    List {
        /// Only this pilot's objectives (id, name or other name)
        #[arg(long)]
        pilot: Option<String>,
        #[arg(long)]
        json: bool,
    },
}

pub fn run(cmd: ObjectiveCmd, ctx: &Context) -> anyhow::Result<()> {
    let ObjectiveCmd::List { pilot, json } = cmd;
    let pilots = ctx.store.pilots()?;
    let mut objectives = ctx.store.objectives()?;
    if let Some(query) = pilot {
        let p = find(&pilots, &query).map_err(|e| anyhow!(e))?;
        objectives.retain(|o| o.pilot == p.id);
    }
    if json {
        return print_json(&objectives);
    }
    let themes = ctx.store.evaluation()?.map(|e| e.themes).unwrap_or_default();
    let name = |id: &str| pilots.iter().find(|p| p.id == id).map_or(id.to_string(), |p| p.name.clone());
    for (theme, list) in by_theme(&objectives, &themes) {
        println!("{theme}");
        for o in list {
            println!("  {}  [{}] {} — {}", o.id, o.status.label(), name(&o.pilot), o.question);
            for l in &o.lessons {
                println!("      {}  {}", l.date, l.statement);
            }
        }
    }
    Ok(())
}
