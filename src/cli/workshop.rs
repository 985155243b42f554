//! `oppi workshop …`: templates (listed and validated), new workshops, the record of a
//! workshop, and `apply`, a scripting aid that sends one workshop command through the
//! same durable path the console uses.

use std::path::{Path, PathBuf};

use anyhow::{Context as _, anyhow, bail};
use chrono::NaiveDate;
use clap::Subcommand;
use serde::Serialize;
use serde_json::json;

use super::{Context, print_json};
use crate::domain::pilot::find;
use crate::domain::survey::Survey;
use crate::domain::workshop::{
    self, Actor, Fate, PhaseKind, Workshop, WorkshopCommand, WorkshopSetup, WorkshopTemplate, format_countdown,
};
use crate::domain::{Changeset, Pilot};
use crate::export::workshop::{actual_time, state, totals, workshop_json, workshop_markdown};
use crate::surveys::Catalogue;

const TEMPLATES_HELP: &str = "Templates are the built-in surveys/workshops/*.toml, plus every *.toml in the
workshops/ folder of each survey directory (config `surveys`, --surveys DIR). Each is
checked against the survey catalogue (scale-poll phases name survey items); every
problem is printed as file:line:col: message, and the command then fails.

With --validate FILE... only those files are checked, against the built-in surveys,
without opening the store.";

const NEW_HELP: &str = "Example:
  oppi workshop new --template learning-workshop --pilot AIMO --date 2020-05-14 \\
      --place Helsinki --json
  {\"id\": \"w12\", \"room\": \"k7m3p\"}";

const APPLY_HELP: &str = "A scripting aid (for tests and scripts): the command is applied, checked and
logged exactly as a key in the facilitator's console would be, and the store is flushed
before oppi exits. Commands are JSON objects; \"cmd\" names the command, phases are
0-based agenda indices, items and actions are numbers (#3 → 3, A1 → 1).

As the facilitator (the default):
  {\"cmd\":\"start\"}  {\"cmd\":\"pause\"}  {\"cmd\":\"resume\"}  {\"cmd\":\"next\"}  {\"cmd\":\"back\"}
  {\"cmd\":\"next-item\"}  {\"cmd\":\"prev-item\"}  {\"cmd\":\"undo\"}
  {\"cmd\":\"reveal\",\"phase\":3}  {\"cmd\":\"hide\",\"phase\":3}
  {\"cmd\":\"add-item\",\"phase\":2,\"text\":\"Shared client register\"}
  {\"cmd\":\"count-hand\",\"phase\":3,\"item\":2}     a room dot (dot votes)
  {\"cmd\":\"count-hand\",\"phase\":1,\"item\":2,\"reaction\":\"agree\"}   present phases
  {\"cmd\":\"poll\",\"phase\":1,\"item\":\"trust\",\"answer\":{\"scale\":4}}
  {\"cmd\":\"merge\",\"from\":4,\"into\":2}  {\"cmd\":\"park\",\"item\":5}  {\"cmd\":\"keep\",\"item\":5}
  {\"cmd\":\"new-cluster\",\"name\":\"Trust\"}  {\"cmd\":\"move-to-cluster\",\"item\":2,\"cluster\":1}
  {\"cmd\":\"add-action\",\"text\":\"\",\"owner\":\"TE office\",\"due\":\"2020-06-30\",\"from\":2}
  {\"cmd\":\"set-action-status\",\"action\":1,\"status\":\"done\"}
  {\"cmd\":\"note\",\"text\":\"Room agreed to meet in June\"}

As a participant (--as ID; join first):
  {\"cmd\":\"join\",\"participant\":\"k1\",\"role\":\"partner\",\"org_type\":\"TE office\"}
  {\"cmd\":\"react\",\"phase\":1,\"item\":1,\"kind\":\"challenge\",\"comment\":\"Not in our region\"}
  {\"cmd\":\"add-item\",\"phase\":2,\"text\":\"...\"}
  {\"cmd\":\"dot\",\"phase\":3,\"item\":2}  {\"cmd\":\"undot\",\"phase\":3,\"item\":2}
  {\"cmd\":\"dot-with-reason\",\"phase\":3,\"item\":2,\"reason\":\"...\"}
  {\"cmd\":\"rank\",\"phase\":2,\"order\":[3,1,2]}

Prints what happened (--json: {\"id\", \"seq\", \"message\", \"created\"}); a refused command
changes nothing, says why and exits non-zero.";

#[derive(Debug, Subcommand)]
pub enum WorkshopCmd {
    /// List workshops: id, date, room code, title and how far they got
    List {
        #[arg(long)]
        json: bool,
    },
    /// A readable summary of one workshop; --json prints its whole state
    Show {
        /// The workshop id (w12, or just 12)
        id: String,
        #[arg(long)]
        json: bool,
    },
    /// The workshop's record as Markdown (default) or JSON: agenda with planned and actual
    /// times, each phase's items and tally with n, clusters, actions with owners, and what
    /// became of every item
    Export {
        /// The workshop id
        id: String,
        /// Markdown (the default)
        #[arg(long, conflicts_with = "json")]
        md: bool,
        #[arg(long)]
        json: bool,
        /// Write to FILE instead of standard output
        #[arg(long, value_name = "FILE")]
        out: Option<PathBuf>,
    },
    /// List the workshop templates and check them against the survey catalogue
    #[command(after_help = TEMPLATES_HELP)]
    Templates {
        /// Only check these template files (without opening the store)
        #[arg(long, value_name = "FILE", num_args = 1..)]
        validate: Vec<PathBuf>,
        #[arg(long)]
        json: bool,
    },
    /// Create a workshop from a template; prints its id and room code
    #[command(after_help = NEW_HELP)]
    New {
        /// The template: its file name without .toml (see `oppi workshop templates`)
        #[arg(long)]
        template: String,
        /// A pilot the workshop is about (id, name or other name); repeat for several
        #[arg(long = "pilot", value_name = "PILOT")]
        pilots: Vec<String>,
        /// [default: the template's title]
        #[arg(long)]
        title: Option<String>,
        /// YYYY-MM-DD [default: today]
        #[arg(long)]
        date: Option<String>,
        #[arg(long, default_value = "", hide_default_value = true)]
        place: String,
        /// A draft highlight to present (for present phases without items of their own);
        /// repeat for several
        #[arg(long = "highlight", value_name = "TEXT")]
        highlights: Vec<String>,
        /// The participants' screens over SSH: en, fi or sv (each participant can switch)
        #[arg(long, default_value = "en")]
        lang: String,
        #[arg(long)]
        json: bool,
    },
    /// Scripting aid: apply one workshop command (JSON) as the console would
    #[command(after_help = APPLY_HELP)]
    Apply {
        /// The workshop id
        id: String,
        /// The command, e.g. '{"cmd":"start"}'
        #[arg(long, value_name = "JSON")]
        json_command: String,
        /// Send it as this participant (who must have joined) instead of the facilitator
        #[arg(long = "as", value_name = "PARTICIPANT")]
        participant: Option<String>,
        #[arg(long)]
        json: bool,
    },
}

pub fn run(cmd: WorkshopCmd, ctx: &Context) -> anyhow::Result<()> {
    match cmd {
        WorkshopCmd::List { json } => list(ctx, json),
        WorkshopCmd::Show { id, json } => show(ctx, &id, json),
        WorkshopCmd::Export { id, md: _, json, out } => export(ctx, &id, json, out.as_deref()),
        WorkshopCmd::Templates { validate, json } if !validate.is_empty() => validate_files(&validate, json),
        WorkshopCmd::Templates { json, .. } => templates(ctx, json),
        WorkshopCmd::New { template, pilots, title, date, place, highlights, lang, json } => {
            new(ctx, New { template, pilots, title, date, place, highlights, lang }, json)
        }
        WorkshopCmd::Apply { id, json_command, participant, json } => apply(ctx, &id, &json_command, participant, json),
    }
}

// --- Templates ---------------------------------------------------------------------

/// A template file as read, before parsing.
struct TemplateFile {
    /// Names the file in messages: `surveys/workshops/x.toml` or the path.
    label: String,
    /// The file name without `.toml`: what `--template` takes.
    stem: String,
    built_in: bool,
    text: String,
}

fn stem_of(path: &Path) -> String {
    path.file_stem().map(|s| s.to_string_lossy().into_owned()).unwrap_or_default()
}

fn read_file(path: &Path) -> Result<TemplateFile, String> {
    let text = std::fs::read_to_string(path).map_err(|e| format!("{}: cannot read: {e}", path.display()))?;
    Ok(TemplateFile { label: path.display().to_string(), stem: stem_of(path), built_in: false, text })
}

/// The built-in templates, then each survey directory's `workshops/*.toml` (in name
/// order); unreadable files are problems.
fn template_files(survey_dirs: &[PathBuf]) -> (Vec<TemplateFile>, Vec<String>) {
    let mut files: Vec<TemplateFile> = workshop::BUILT_IN
        .iter()
        .map(|(name, text)| TemplateFile {
            label: format!("surveys/workshops/{name}"),
            stem: name.trim_end_matches(".toml").to_string(),
            built_in: true,
            text: (*text).to_string(),
        })
        .collect();
    let mut problems = Vec::new();
    let mut seen: Vec<&PathBuf> = Vec::new();
    for dir in survey_dirs {
        if seen.contains(&dir) {
            continue;
        }
        seen.push(dir);
        let folder = dir.join("workshops");
        if !folder.is_dir() {
            continue;
        }
        let entries = match std::fs::read_dir(&folder) {
            Ok(entries) => entries,
            Err(e) => {
                problems.push(format!("{}: cannot read: {e}", folder.display()));
                continue;
            }
        };
        let mut paths: Vec<PathBuf> = entries
            .filter_map(|e| e.ok().map(|e| e.path()))
            .filter(|p| p.extension().is_some_and(|x| x == "toml") && p.is_file())
            .collect();
        paths.sort();
        for path in paths {
            match read_file(&path) {
                Ok(f) => files.push(f),
                Err(e) => problems.push(e),
            }
        }
    }
    (files, problems)
}

/// Parses every file against `surveys`; returns the good templates with their files,
/// and every problem (including two files that define the same template).
fn check(files: Vec<TemplateFile>, surveys: &[Survey]) -> (Vec<(TemplateFile, WorkshopTemplate)>, Vec<String>) {
    let mut good = Vec::new();
    let mut problems = Vec::new();
    for f in files {
        match WorkshopTemplate::parse_checked(&f.label, &f.text, surveys) {
            Ok(t) => good.push((f, t)),
            Err(errs) => problems.extend(errs),
        }
    }
    let mut seen: Vec<(String, &str)> = Vec::new();
    for (f, t) in &good {
        let mut mine = vec![f.stem.clone()];
        if t.name != f.stem {
            mine.push(t.name.clone());
        }
        for name in &mine {
            if let Some((_, first)) = seen.iter().find(|(n, _)| n == name) {
                problems.push(format!("template '{name}' is defined twice: in {first} and in {}", f.label));
            }
        }
        seen.extend(mine.into_iter().map(|n| (n, f.label.as_str())));
    }
    problems.dedup();
    (good, problems)
}

#[derive(Serialize)]
struct TemplateRow<'a> {
    name: &'a str,
    title: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    description: Option<&'a str>,
    phases: Vec<PhaseRow<'a>>,
    minutes: u32,
    source: &'a str,
    built_in: bool,
}

#[derive(Serialize)]
struct PhaseRow<'a> {
    title: &'a str,
    kind: &'static str,
    minutes: u32,
}

fn print_templates(good: &[(TemplateFile, WorkshopTemplate)], problems: Vec<String>, json: bool) -> anyhow::Result<()> {
    if json {
        let rows: Vec<TemplateRow> = good
            .iter()
            .map(|(f, t)| TemplateRow {
                name: &f.stem,
                title: &t.title,
                description: t.description.as_deref(),
                phases: t
                    .phases
                    .iter()
                    .map(|p| PhaseRow { title: &p.title, kind: p.kind.name(), minutes: p.minutes })
                    .collect(),
                minutes: t.total_minutes(),
                source: &f.label,
                built_in: f.built_in,
            })
            .collect();
        print_json(&rows)?;
    } else {
        let width = good.iter().map(|(f, _)| f.stem.chars().count()).max().unwrap_or(0);
        for (f, t) in good {
            let source = if f.built_in { "built-in".to_string() } else { f.label.clone() };
            println!(
                "{:<width$}  {} · {} phases, {} min · {source} · ok",
                f.stem,
                t.title,
                t.phases.len(),
                t.total_minutes()
            );
        }
    }
    if problems.is_empty() {
        return Ok(());
    }
    let n = problems.len();
    bail!("{n} problem{} in workshop templates:\n{}", if n == 1 { "" } else { "s" }, problems.join("\n"))
}

fn catalogue(ctx: &Context) -> anyhow::Result<Catalogue> {
    Catalogue::load(&ctx.survey_dirs).map_err(|e| anyhow!(e))
}

fn templates(ctx: &Context, json: bool) -> anyhow::Result<()> {
    let surveys: Vec<Survey> = catalogue(ctx)?.entries().iter().map(|e| e.survey.clone()).collect();
    let (files, mut problems) = template_files(&ctx.survey_dirs);
    let (good, more) = check(files, &surveys);
    problems.extend(more);
    print_templates(&good, problems, json)
}

/// `oppi workshop templates --validate FILE...`, which never opens the store: the
/// files are checked against the built-in surveys.
pub fn validate_files(paths: &[PathBuf], json: bool) -> anyhow::Result<()> {
    let surveys: Vec<Survey> = Catalogue::built_in().entries().iter().map(|e| e.survey.clone()).collect();
    let mut files = Vec::new();
    let mut problems = Vec::new();
    for path in paths {
        match read_file(path) {
            Ok(f) => files.push(f),
            Err(e) => problems.push(e),
        }
    }
    let (good, more) = check(files, &surveys);
    problems.extend(more);
    print_templates(&good, problems, json)
}

// --- Workshops ---------------------------------------------------------------------

/// The workshop `query` names (`w12`, `W12` or `12`) with the number of its last
/// logged command.
fn load(ctx: &Context, query: &str) -> anyhow::Result<(Workshop, u64)> {
    let q = query.trim();
    let id = if !q.is_empty() && q.chars().all(|c| c.is_ascii_digit()) { format!("w{q}") } else { q.to_lowercase() };
    match ctx.store.workshop(&id)? {
        Some(found) => Ok(found),
        None if ctx.store.workshops()?.is_empty() => {
            bail!("no workshop '{q}': the store has no workshops yet (see `oppi workshop new --help`)")
        }
        None => bail!("no workshop '{q}' (try `oppi workshop list`)"),
    }
}

#[derive(Serialize)]
struct Listed<'a> {
    id: &'a str,
    title: &'a str,
    template: &'a str,
    date: NaiveDate,
    place: &'a str,
    room_code: &'a str,
    pilots: &'a [String],
    state: String,
    finished: bool,
    /// 1-based.
    current_phase: usize,
    phases: usize,
    participants: usize,
    items: usize,
    actions: usize,
}

fn list(ctx: &Context, json: bool) -> anyhow::Result<()> {
    let all = ctx.store.workshops()?;
    let rows: Vec<Listed> = all
        .iter()
        .map(|(w, _)| Listed {
            id: &w.id,
            title: &w.title,
            template: &w.template,
            date: w.date,
            place: &w.place,
            room_code: &w.room_code,
            pilots: &w.pilots,
            state: state(w),
            finished: w.is_finished(),
            current_phase: w.current + 1,
            phases: w.phases.len(),
            participants: w.participants.len(),
            items: w.items.len(),
            actions: w.actions.len(),
        })
        .collect();
    if json {
        return print_json(&rows);
    }
    if rows.is_empty() {
        println!("no workshops yet (see `oppi workshop new --help`)");
    }
    for r in &rows {
        println!("{:<5} {}  room {}  {}  — {}", r.id, r.date, r.room_code, r.title, r.state);
    }
    Ok(())
}

fn show(ctx: &Context, query: &str, json: bool) -> anyhow::Result<()> {
    let (w, _) = load(ctx, query)?;
    if json {
        return print_json(&w);
    }
    print!("{}", summary(&w, &ctx.store.pilots()?));
    Ok(())
}

/// The readable summary `oppi workshop show` prints.
fn summary(w: &Workshop, pilots: &[Pilot]) -> String {
    let mut out = format!("{}  {}\n", w.id, w.title);
    let place = if w.place.trim().is_empty() { String::new() } else { format!(" · {}", w.place) };
    out.push_str(&format!("  template {} · {}{place} · room {}\n", w.template, w.date, w.room_code));
    if !w.pilots.is_empty() {
        let names: Vec<String> = w
            .pilots
            .iter()
            .map(|id| pilots.iter().find(|p| p.id == *id).map_or_else(|| id.clone(), |p| format!("{} ({id})", p.name)))
            .collect();
        out.push_str(&format!("  pilots: {}\n", names.join(", ")));
    }
    out.push_str(&format!("  {}\n", state(w)));
    let mut orgs: std::collections::BTreeMap<&str, usize> = Default::default();
    for p in w.participants.values() {
        *orgs.entry(p.org_type.as_str()).or_default() += 1;
    }
    let orgs: Vec<String> = orgs.iter().map(|(o, n)| format!("{o} {n}")).collect();
    out.push_str(&format!(
        "  participants: {}{}\n",
        w.participants.len(),
        if orgs.is_empty() { String::new() } else { format!(" ({})", orgs.join(", ")) }
    ));

    out.push_str("\nAgenda (planned / actual):\n");
    let width = w.phases.iter().map(|p| p.spec.title.chars().count()).max().unwrap_or(0);
    for (i, p) in w.phases.iter().enumerate() {
        let mark = if i == w.current && !w.is_finished() { "▸" } else { " " };
        out.push_str(&format!(
            " {mark}{:>2} {:<width$}  {:<10} {:>3} min  {:<8} {}\n",
            i + 1,
            p.spec.title,
            p.spec.kind.label(),
            p.spec.minutes,
            actual_time(p),
            p.status.label()
        ));
    }
    let (planned, actual) = totals(w);
    out.push_str(&format!("     planned {} min in all; {} used\n", planned / 60, format_countdown(actual)));

    let count = |f: fn(&Fate) -> bool| w.items.iter().filter(|i| f(&i.fate)).count();
    out.push_str(&format!(
        "\nItems: {} (kept {}, merged {}, parked {}, turned into actions {})\n",
        w.items.len(),
        count(|f| matches!(f, Fate::Kept)),
        count(|f| matches!(f, Fate::MergedInto(_))),
        count(|f| matches!(f, Fate::Parked)),
        count(|f| matches!(f, Fate::Action(_)))
    ));
    if !w.clusters.is_empty() {
        let clusters: Vec<String> = w
            .clusters
            .iter()
            .map(|c| format!("{} ({})", c.name, w.items.iter().filter(|i| i.cluster == Some(c.id)).count()))
            .collect();
        out.push_str(&format!("Clusters: {}\n", clusters.join(", ")));
    }
    if !w.actions.is_empty() {
        out.push_str("Actions:\n");
        for a in &w.actions {
            let due = a.due.map(|d| format!(", due {d}")).unwrap_or_default();
            out.push_str(&format!("  A{} {} — owner {}{due}, {}\n", a.id, a.text, a.owner, a.status.label()));
        }
    }
    if let Some(t) = w.tally(w.current)
        && w.current_phase().spec.kind.has_tally()
    {
        let results = match &t.results {
            workshop::TallyResults::DotVote(d) => format!(
                "{} of {} dots used, {} voted, {} from the room's hands",
                d.dots_used, d.dots_possible, d.voters, d.room_dots
            ),
            workshop::TallyResults::Present { n, .. } => format!("n = {n} reacted"),
            workshop::TallyResults::Rank { n, .. } => format!("n = {n} ranked"),
            workshop::TallyResults::ScalePoll { tally, .. } => format!("n = {} answered", tally.respondents),
            workshop::TallyResults::Captured { items, .. } => format!("{items} items"),
        };
        let hidden = if t.hidden { " (hidden from participants)" } else { "" };
        out.push_str(&format!("\nNow: {}{hidden}\n", results));
    }
    out
}

fn export(ctx: &Context, query: &str, json: bool, out: Option<&Path>) -> anyhow::Result<()> {
    let (w, _) = load(ctx, query)?;
    let pilots = ctx.store.pilots()?;
    let text = if json {
        format!("{}\n", serde_json::to_string_pretty(&workshop_json(&w, &pilots))?)
    } else {
        workshop_markdown(&w, &pilots)
    };
    match out {
        None => print!("{text}"),
        Some(p) if p == Path::new("-") => print!("{text}"),
        Some(path) => {
            super::write_file(path, &text).with_context(|| format!("cannot write {}", path.display()))?;
            eprintln!("wrote {} to {}", w.id, path.display());
        }
    }
    Ok(())
}

struct New {
    template: String,
    pilots: Vec<String>,
    title: Option<String>,
    date: Option<String>,
    place: String,
    highlights: Vec<String>,
    lang: String,
}

fn new(ctx: &Context, args: New, json: bool) -> anyhow::Result<()> {
    if !crate::locale::Locale::supports(&args.lang) {
        anyhow::bail!("--lang {}: participants' screens come in en, fi or sv", args.lang);
    }
    let catalogue = catalogue(ctx)?;
    // The catalogue's instruments, then definitions only the store still has.
    let mut surveys: Vec<Survey> = catalogue.entries().iter().map(|e| e.survey.clone()).collect();
    for s in ctx.store.stored_surveys()?.into_iter().rev() {
        if !surveys.iter().any(|c| c.id == s.id) {
            surveys.push(s);
        }
    }
    let (files, _) = template_files(&ctx.survey_dirs);
    let wanted = args.template.trim().trim_end_matches(".toml");
    let names: Vec<String> = files.iter().map(|f| f.stem.clone()).collect();
    let file = match files.iter().position(|f| f.stem == wanted) {
        Some(i) => &files[i],
        None => {
            // A template whose `name` differs from its file name.
            let by_name =
                files.iter().find(|f| WorkshopTemplate::parse(&f.label, &f.text).is_ok_and(|t| t.name == wanted));
            by_name.ok_or_else(|| anyhow!("no template '{wanted}'; templates are: {}", names.join(", ")))?
        }
    };
    let template = WorkshopTemplate::parse_checked(&file.label, &file.text, &surveys).map_err(|errs| {
        anyhow!(
            "template '{wanted}' has {} problem{}:\n{}",
            errs.len(),
            if errs.len() == 1 { "" } else { "s" },
            errs.join("\n")
        )
    })?;
    let all_pilots = ctx.store.pilots()?;
    let mut pilots = Vec::new();
    for q in &args.pilots {
        let id = find(&all_pilots, q).map_err(|e| anyhow!("--pilot: {e}"))?.id.clone();
        if !pilots.contains(&id) {
            pilots.push(id);
        }
    }
    let date = match &args.date {
        Some(d) => NaiveDate::parse_from_str(d.trim(), "%Y-%m-%d")
            .map_err(|_| anyhow!("--date {d}: expected a date as YYYY-MM-DD"))?,
        None => ctx.today,
    };
    let taken: Vec<String> = ctx.store.workshops()?.into_iter().map(|(w, _)| w.room_code).collect();
    let mut seed = crate::app::workshop_forms::random_seed();
    let mut room = workshop::room_code(seed);
    while taken.contains(&room) {
        seed = seed.wrapping_add(1);
        room = workshop::room_code(seed);
    }
    let setup = WorkshopSetup {
        id: String::new(),
        title: args.title.unwrap_or_default(),
        pilots,
        date,
        place: args.place.trim().to_string(),
        room_code: room,
        language: args.lang.trim().to_lowercase(),
        highlights: args.highlights.iter().map(|h| h.trim().to_string()).filter(|h| !h.is_empty()).collect(),
    };
    let needs_highlights =
        template.phases.iter().any(|p| matches!(&p.kind, PhaseKind::Present { items } if items.is_empty()));
    if needs_highlights && setup.highlights.is_empty() {
        eprintln!("note: the template presents the workshop's own highlights; none were given (--highlight TEXT)");
    }
    let now = chrono::Local::now().naive_local();
    let w = Workshop::new(setup, &template, &surveys, now).map_err(|e| anyhow!(e))?;
    let saved = ctx.store.commit(Changeset { new_workshops: vec![w], ..Default::default() })?;
    let w = saved.new_workshops.first().ok_or_else(|| anyhow!("the workshop was not saved"))?;
    if json {
        return print_json(&json!({ "id": w.id, "room": w.room_code }));
    }
    println!("created workshop {} ({}, {} phases)", w.id, w.title, w.phases.len());
    println!("room code: {}", w.room_code);
    Ok(())
}

fn apply(ctx: &Context, query: &str, command: &str, participant: Option<String>, json: bool) -> anyhow::Result<()> {
    let (w, seq) = load(ctx, query)?;
    let command: WorkshopCommand = serde_json::from_str(command).map_err(|e| {
        anyhow!("--json-command: {e}; expected e.g. '{{\"cmd\":\"start\"}}' (see `oppi workshop apply --help`)")
    })?;
    let by = match participant {
        Some(p) if p.trim().is_empty() => bail!("--as: expected a participant id"),
        Some(p) => Actor::Participant(p.trim().to_string()),
        None => Actor::Facilitator,
    };
    let now = chrono::Local::now().naive_local();
    let (_, seq, applied) =
        crate::runtime::apply_logged(&ctx.store, &w, seq, by, command, now).map_err(|e| anyhow!("{}: {e}", w.id))?;
    if json {
        return print_json(&json!({ "id": w.id, "seq": seq, "message": applied.message, "created": applied.created }));
    }
    println!("{}", applied.message);
    Ok(())
}
