use anyhow::{anyhow, bail};
use chrono::Utc;
use clap::Subcommand;
use serde::Serialize;

use super::{Context, print_json};
use crate::domain::pilot::{find, name_clash};
use crate::domain::{ChangeEntry, ChangeWhat, Changeset, Pilot, PilotField};

#[derive(Debug, Subcommand)]
pub enum PilotCmd {
    /// List pilots (archived ones only with --archived)
    List {
        #[arg(long)]
        json: bool,
        /// Include archived pilots
        #[arg(long)]
        archived: bool,
    },
    /// Show one pilot with its history and change log (PILOT: id, name or other name)
    Show {
        pilot: String,
        #[arg(long)]
        json: bool,
    },
    /// Add a pilot; prints its id
    Add {
        name: String,
        #[arg(long, default_value = "")]
        region: String,
        /// More fields as key=value (see `oppi pilot edit --help` for keys)
        #[arg(long = "set", value_name = "KEY=VALUE")]
        set: Vec<String>,
        #[arg(long)]
        json: bool,
    },
    /// Change fields; status and target group keep their history
    #[command(after_help = field_help())]
    Edit {
        pilot: String,
        /// A field to change, as key=value; repeat for several
        #[arg(long = "set", value_name = "KEY=VALUE", required = true)]
        set: Vec<String>,
        #[arg(long)]
        json: bool,
    },
    /// Archive a pilot (it stays in the store and in backups), or restore it
    Archive {
        pilot: String,
        /// Bring an archived pilot back
        #[arg(long)]
        restore: bool,
    },
}

fn field_help() -> String {
    let mut s = String::from("Keys:\n");
    for f in PilotField::ALL {
        let hint = f.hint();
        s.push_str(&format!(
            "  {:<16}{}{}\n",
            f.key(),
            f.label(),
            if hint.is_empty() { String::new() } else { format!(" ({hint})") }
        ));
    }
    s
}

/// A pilot as scripts see it: the stored record plus its current status.
#[derive(Serialize)]
struct PilotJson<'a> {
    #[serde(flatten)]
    pilot: &'a Pilot,
    status: &'static str,
}

fn json(p: &Pilot) -> PilotJson<'_> {
    PilotJson { pilot: p, status: p.status().label() }
}

pub fn run(cmd: PilotCmd, ctx: &Context) -> anyhow::Result<()> {
    let pilots = ctx.store.pilots()?;
    match cmd {
        PilotCmd::List { json: as_json, archived } => {
            let shown: Vec<&Pilot> = pilots.iter().filter(|p| archived || !p.archived).collect();
            if as_json {
                return print_json(&shown.iter().map(|p| json(p)).collect::<Vec<_>>());
            }
            if shown.is_empty() {
                eprintln!("no pilots yet: add one with `oppi pilot add NAME --region REGION`");
            }
            for p in shown {
                let flag = if p.archived { " (archived)" } else { "" };
                println!("{:<5} {:<40} {:<28} {}{flag}", p.id, p.name, p.region, p.status());
            }
            Ok(())
        }
        PilotCmd::Show { pilot, json: as_json } => {
            let p = find(&pilots, &pilot).map_err(|e| anyhow!(e))?;
            let log = ctx.store.changelog(&p.id)?;
            if as_json {
                #[derive(Serialize)]
                struct Shown<'a> {
                    #[serde(flatten)]
                    pilot: PilotJson<'a>,
                    changelog: &'a [ChangeEntry],
                }
                return print_json(&Shown { pilot: json(p), changelog: &log });
            }
            print_pilot(p, &log);
            Ok(())
        }
        PilotCmd::Add { name, region, set, json: as_json } => {
            let mut p = Pilot::new(String::new(), &name, &region, ctx.today);
            if p.name.is_empty() {
                bail!("a pilot needs a name");
            }
            apply_sets(&mut p, &set, ctx)?;
            if let Some(other) = name_clash(&pilots, &p) {
                bail!("another pilot is already called that: {} ({})", other.name, other.id);
            }
            let saved = ctx.store.commit(Changeset {
                pilots: vec![p],
                log: vec![entry(ctx, "", ChangeWhat::Created)],
                ..Default::default()
            })?;
            let p = &saved.pilots[0];
            if as_json {
                return print_json(&json(p));
            }
            println!("{}", p.id);
            Ok(())
        }
        PilotCmd::Edit { pilot, set, json: as_json } => {
            let mut p = find(&pilots, &pilot).map_err(|e| anyhow!(e))?.clone();
            let changes = apply_sets(&mut p, &set, ctx)?;
            if let Some(other) = name_clash(&pilots, &p) {
                bail!("another pilot is already called that: {} ({})", other.name, other.id);
            }
            if changes.is_empty() {
                eprintln!("nothing changed");
            } else {
                let log = vec![entry(ctx, &p.id, ChangeWhat::Edited { changes: changes.clone() })];
                ctx.store.commit(Changeset { pilots: vec![p.clone()], log, ..Default::default() })?;
                for c in &changes {
                    eprintln!("{}: {} → {}", c.field, c.old, c.new);
                }
            }
            if as_json { print_json(&json(&p)) } else { Ok(()) }
        }
        PilotCmd::Archive { pilot, restore } => {
            let mut p = find(&pilots, &pilot).map_err(|e| anyhow!(e))?.clone();
            if p.archived != restore {
                eprintln!("{} is already {}", p.name, if restore { "active" } else { "archived" });
                return Ok(());
            }
            p.archived = !restore;
            let what = if restore { ChangeWhat::Restored } else { ChangeWhat::Archived };
            let log = vec![entry(ctx, &p.id, what)];
            ctx.store.commit(Changeset { pilots: vec![p.clone()], log, ..Default::default() })?;
            eprintln!("{} {}", p.name, if restore { "restored" } else { "archived" });
            Ok(())
        }
    }
}

fn entry(ctx: &Context, subject: &str, what: ChangeWhat) -> ChangeEntry {
    ChangeEntry { at: Utc::now(), who: ctx.user.clone(), subject: subject.into(), what }
}

/// Applies `key=value` pairs; all or nothing, so a typo in the third pair saves nothing.
fn apply_sets(p: &mut Pilot, sets: &[String], ctx: &Context) -> anyhow::Result<Vec<crate::domain::Change>> {
    let mut changes = Vec::new();
    for set in sets {
        let (key, value) = set.split_once('=').ok_or_else(|| anyhow!("--set {set}: expected KEY=VALUE"))?;
        let field = PilotField::from_key(key).ok_or_else(|| {
            let keys: Vec<_> = PilotField::ALL.iter().map(|f| f.key()).collect();
            anyhow!("--set {set}: unknown key '{key}'; keys are {}", keys.join(", "))
        })?;
        changes.extend(p.set_field(field, value, ctx.today).map_err(|e| anyhow!("--set {set}: {e}"))?);
    }
    Ok(changes)
}

fn print_pilot(p: &Pilot, log: &[ChangeEntry]) {
    println!("{} ({})", p.name, p.id);
    for f in PilotField::ALL {
        println!("  {:<22}{}", f.label(), p.field_text(*f));
    }
    if p.archived {
        println!("  archived");
    }
    println!("Target group history:");
    for t in &p.target_group {
        println!("  {}  {}", t.since, t.value);
    }
    println!("Status history:");
    for s in &p.status_history {
        let note = if s.note.is_empty() { String::new() } else { format!(" — {}", s.note) };
        println!("  {}  {}{note}", s.since, s.status);
    }
    println!("Change log:");
    for e in log {
        println!("  {}  {}  {}", e.at.format("%Y-%m-%d %H:%M"), e.who, e.summary());
    }
}
