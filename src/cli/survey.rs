//! `oppi survey …`: the survey catalogue, response import and export, tallies.

use std::io::{Read as _, Write as _};
use std::path::{Path, PathBuf};

use anyhow::{Context as _, anyhow, bail};
use clap::Subcommand;
use serde::Serialize;

use super::{Context, print_json};
use crate::domain::Pilot;
use crate::domain::pilot::find;
use crate::domain::survey::{AnswerLayout, ItemStats, ItemTally, StreamingTally, Survey, Tally, TallyFilter};
use crate::surveys::table::{self, Defaults};
use crate::surveys::{Catalogue, Source, pilot_matcher, validate_files};

/// How many import problems are printed before "… and N more".
const MAX_PROBLEMS: usize = 50;

const IMPORT_HELP: &str = "CSV format:
  A header row, then one row per respondent. Optional columns: respondent (a code, never
  a name), pilot (name, other name or id), round (1, 2, …), submitted (2020-10-31 or an
  RFC 3339 time); then one column per item id. Cells: a scale's value or label or its
  \"can't say\" label; a choice's code, or its label; several choices separated by ';';
  where the item allows \"Other\", any other text is kept as Other; empty = not answered.
  UTF-8 with or without BOM; ',' or ';' between cells (read off the header line).
  If an item id is also a column name (the partner survey's item `pilot`), name the
  column twice: the first is the respondent's pilot, the second the item.

All or nothing: if any row has a problem, nothing is stored and every problem is listed
by line in the file (the header is line 1) and column. A respondent answers once per
round: a respondent code already in the file or the store for that round is a problem.";

#[derive(Debug, Subcommand)]
pub enum SurveyCmd {
    /// List the survey instruments and how many responses are stored for each
    List {
        #[arg(long)]
        json: bool,
    },
    /// Check survey files (without opening the store)
    Validate {
        #[arg(required = true, value_name = "FILE")]
        files: Vec<PathBuf>,
    },
    /// Import responses from a CSV file: all rows or none
    #[command(after_help = IMPORT_HELP)]
    Import {
        /// The survey's id (see `oppi survey list`)
        survey: String,
        /// The CSV file (- for standard input)
        #[arg(value_name = "FILE.csv")]
        file: PathBuf,
        /// Pilot of rows without a pilot cell (name, other name or id)
        #[arg(long, value_name = "PILOT")]
        pilot: Option<String>,
        /// Round of rows without a round cell
        #[arg(long, value_name = "N", value_parser = clap::value_parser!(u32).range(1..))]
        round: Option<u32>,
    },
    /// Write a survey's stored responses in the import format
    Export {
        survey: String,
        /// Write CSV (the one format so far)
        #[arg(long, required = true)]
        csv: bool,
        /// Write to FILE instead of standard output
        #[arg(long, value_name = "FILE")]
        out: Option<PathBuf>,
    },
    /// Count answers per item, always with n; --by breaks down by a single-choice item
    Tally {
        survey: String,
        /// Only responses from this pilot (name, other name or id)
        #[arg(long, value_name = "PILOT")]
        pilot: Option<String>,
        /// Only responses from this round
        #[arg(long, value_name = "N", value_parser = clap::value_parser!(u32).range(1..))]
        round: Option<u32>,
        /// Also tally per answer of this single-choice item (e.g. org)
        #[arg(long, value_name = "ITEM_ID")]
        by: Option<String>,
        #[arg(long)]
        json: bool,
    },
}

/// `oppi survey validate`, which never opens the store.
pub fn validate(files: &[PathBuf]) -> anyhow::Result<()> {
    let (good, problems) = validate_files(files);
    for (path, s) in &good {
        println!("{}: ok ({} version {}, {} items)", path.display(), s.id, s.version, s.items.len());
    }
    if problems.is_empty() {
        return Ok(());
    }
    let n = problems.len();
    bail!("{n} problem{} in survey files:\n{}", if n == 1 { "" } else { "s" }, problems.join("\n"))
}

pub fn run(cmd: SurveyCmd, ctx: &Context) -> anyhow::Result<()> {
    match cmd {
        SurveyCmd::Validate { files } => validate(&files),
        SurveyCmd::List { json } => list(ctx, json),
        SurveyCmd::Import { survey, file, pilot, round } => import(ctx, &survey, &file, pilot.as_deref(), round),
        SurveyCmd::Export { survey, csv: _, out } => export(ctx, &survey, out.as_deref()),
        SurveyCmd::Tally { survey, pilot, round, by, json } => {
            tally(ctx, &survey, TallyFilter { pilot, round, by }, json)
        }
    }
}

fn catalogue(ctx: &Context) -> anyhow::Result<Catalogue> {
    Catalogue::load(&ctx.survey_dirs).map_err(|e| anyhow!(e))
}

fn unknown_survey(catalogue: &Catalogue, id: &str) -> anyhow::Error {
    anyhow!("no survey '{id}'; surveys are: {} (see `oppi survey list`)", catalogue.ids().join(", "))
}

/// The definition that describes stored data: the newest stored version, else the
/// catalogue's. A catalogue file that differs from the stored definition with the same
/// version gets a warning (import refuses it).
fn stored_or_catalogue(ctx: &Context, catalogue: &Catalogue, id: &str) -> anyhow::Result<Survey> {
    if let Some(entry) = catalogue.get(id)
        && let Err(e) = ctx.store.check_survey_definition(&entry.survey)
    {
        eprintln!("warning: {}: {e}; the stored definition is used", entry.source);
    }
    match ctx.store.stored_survey(id)? {
        Some(s) => Ok(s),
        None => catalogue.get(id).map(|e| e.survey.clone()).ok_or_else(|| unknown_survey(catalogue, id)),
    }
}

fn import(ctx: &Context, id: &str, file: &Path, pilot: Option<&str>, round: Option<u32>) -> anyhow::Result<()> {
    let catalogue = catalogue(ctx)?;
    let survey = match catalogue.get(id) {
        Some(entry) => {
            ctx.store.check_survey_definition(&entry.survey).with_context(|| format!("{}", entry.source))?;
            entry.survey.clone()
        }
        None => ctx.store.stored_survey(id)?.ok_or_else(|| unknown_survey(&catalogue, id))?,
    };
    let pilots = ctx.store.pilots()?;
    let flag_pilot: Option<&Pilot> =
        pilot.map(|p| find(&pilots, p).map_err(|e| anyhow!("--pilot: {e}"))).transpose()?;
    let bytes = if file == Path::new("-") {
        let mut buf = Vec::new();
        std::io::stdin().read_to_end(&mut buf)?;
        buf
    } else {
        std::fs::read(file).with_context(|| format!("cannot read {}", file.display()))?
    };
    let defaults = Defaults { pilot: flag_pilot, round };
    // Each good row is serialised as it is read; only its bytes are kept until commit.
    let mut import = ctx.store.begin_import(&survey)?;
    if let Err(problems) = table::read_each(&survey, &bytes, &pilots, defaults, &mut import) {
        let n = problems.len();
        let mut text =
            format!("nothing was imported: {n} problem{} in {}:", if n == 1 { "" } else { "s" }, file.display());
        for p in problems.iter().take(MAX_PROBLEMS) {
            text.push_str(&format!("\n{p}"));
        }
        if n > MAX_PROBLEMS {
            text.push_str(&format!("\n… and {} more", n - MAX_PROBLEMS));
        }
        bail!(text);
    }
    drop(bytes);
    let before = import.stored_before();
    let n = import.commit()?;
    eprintln!(
        "imported {n} response{} into {id} (version {}); {} stored in all",
        if n == 1 { "" } else { "s" },
        survey.version,
        before + n
    );
    Ok(())
}

fn export(ctx: &Context, id: &str, out: Option<&Path>) -> anyhow::Result<()> {
    let catalogue = catalogue(ctx)?;
    let survey = stored_or_catalogue(ctx, &catalogue, id)?;
    let pilots = ctx.store.pilots()?;
    // Streamed: one response in memory at a time.
    let write_all = |out: &mut dyn std::io::Write| -> anyhow::Result<usize> {
        let mut csv = table::Writer::new(&survey, &pilots, out)?;
        let mut n = 0;
        for r in ctx.store.responses_iter(id) {
            csv.write(&r?)?;
            n += 1;
        }
        csv.finish()?;
        Ok(n)
    };
    match out {
        Some(path) if path != Path::new("-") => {
            let dir = path.parent().filter(|p| !p.as_os_str().is_empty()).unwrap_or(Path::new("."));
            let written = (|| -> anyhow::Result<usize> {
                // `/dev/null` or a pipe is written to as it is: a rename would replace it.
                if std::fs::metadata(path).is_ok_and(|m| !m.is_file() && !m.is_dir()) {
                    let mut file = std::io::BufWriter::new(std::fs::OpenOptions::new().write(true).open(path)?);
                    let n = write_all(&mut file)?;
                    std::io::Write::flush(&mut file)?;
                    return Ok(n);
                }
                let mut tmp = tempfile::NamedTempFile::new_in(dir)?;
                let n = write_all(&mut std::io::BufWriter::new(tmp.as_file_mut()))?;
                tmp.as_file().sync_all()?;
                tmp.persist(path)?;
                Ok(n)
            })();
            let n = written.with_context(|| format!("cannot write {}", path.display()))?;
            eprintln!("wrote {n} responses of {id} to {}", path.display());
        }
        _ => match write_all(&mut std::io::stdout().lock()) {
            Err(e) if is_broken_pipe(&e) => {}
            other => {
                other?;
            }
        },
    }
    Ok(())
}

/// A reader that stops early (`| head`) is not an error.
fn is_broken_pipe(e: &anyhow::Error) -> bool {
    e.chain().any(|cause| {
        let io = cause.downcast_ref::<std::io::Error>().or_else(|| match cause.downcast_ref::<csv::Error>()?.kind() {
            csv::ErrorKind::Io(e) => Some(e),
            _ => None,
        });
        io.is_some_and(|e| e.kind() == std::io::ErrorKind::BrokenPipe)
    })
}

fn tally(ctx: &Context, id: &str, mut filter: TallyFilter, json: bool) -> anyhow::Result<()> {
    let catalogue = catalogue(ctx)?;
    let survey = stored_or_catalogue(ctx, &catalogue, id)?;
    let pilots = ctx.store.pilots()?;
    if let Some(p) = &filter.pilot {
        filter.pilot = Some(find(&pilots, p).map_err(|e| anyhow!("--pilot: {e}"))?.id.clone());
    }
    // Streamed: each response is counted and dropped as it is read.
    let mut tally = StreamingTally::new(&survey, &filter, pilot_matcher(&pilots)).map_err(|e| anyhow!(e))?;
    let layout = AnswerLayout::new(&survey);
    for r in ctx.store.dense_responses_iter(id, &layout) {
        tally.add_dense(&r?);
    }
    let t = tally.finish();
    if json {
        return print_json(&t);
    }
    let pilot = filter.pilot.as_deref().and_then(|id| pilots.iter().find(|p| p.id == id));
    print_out(&tally_text(&survey, &t, pilot, &filter))
}

/// Writes to standard output; a reader that stops early (`| head`) is not an error.
fn print_out(text: &str) -> anyhow::Result<()> {
    match std::io::stdout().lock().write_all(text.as_bytes()) {
        Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => Ok(()),
        other => Ok(other?),
    }
}

#[derive(Serialize)]
struct Listed {
    id: String,
    title: String,
    version: u32,
    items: usize,
    /// "built-in", "file" or "stored" (only in the store).
    source: &'static str,
    /// The file, for built-in and file sources.
    #[serde(skip_serializing_if = "Option::is_none")]
    path: Option<String>,
    /// Versions of the definition kept in the store.
    stored_versions: Vec<u32>,
    responses: usize,
}

fn list(ctx: &Context, json: bool) -> anyhow::Result<()> {
    let catalogue = catalogue(ctx)?;
    let stored = ctx.store.stored_surveys()?;
    let versions = |id: &str| stored.iter().filter(|s| s.id == id).map(|s| s.version).collect::<Vec<_>>();
    let mut rows = Vec::new();
    for e in catalogue.entries() {
        let (source, path) = match &e.source {
            Source::BuiltIn(name) => ("built-in", format!("surveys/{name}")),
            Source::File(p) => ("file", p.display().to_string()),
        };
        rows.push(Listed {
            id: e.survey.id.clone(),
            title: e.survey.title.clone(),
            version: e.survey.version,
            items: e.survey.items.len(),
            source,
            path: Some(path),
            stored_versions: versions(&e.survey.id),
            responses: ctx.store.response_count(&e.survey.id)?,
        });
    }
    // Surveys whose files are gone: their stored definitions still describe the data.
    for s in &stored {
        if catalogue.get(&s.id).is_none() && !rows.iter().any(|r| r.id == s.id) {
            let newest = stored.iter().rfind(|t| t.id == s.id).unwrap_or(s);
            rows.push(Listed {
                id: s.id.clone(),
                title: newest.title.clone(),
                version: newest.version,
                items: newest.items.len(),
                source: "stored",
                path: None,
                stored_versions: versions(&s.id),
                responses: ctx.store.response_count(&s.id)?,
            });
        }
    }
    if json {
        return print_json(&rows);
    }
    println!("{:<16} {:>7} {:>5} {:>9}  {:<24} SOURCE", "ID", "VERSION", "ITEMS", "RESPONSES", "TITLE");
    for r in &rows {
        let source = match (&r.path, r.source) {
            (Some(p), "built-in") => format!("built-in ({p})"),
            (Some(p), _) => p.clone(),
            (None, s) => s.to_string(),
        };
        println!("{:<16} {:>7} {:>5} {:>9}  {:<24} {source}", r.id, r.version, r.items, r.responses, r.title);
    }
    Ok(())
}

/// The readable tally: per item n, don't know, missing, counts with bars, mean and
/// median, and a warning where n is low.
fn tally_text(survey: &Survey, t: &Tally, pilot: Option<&Pilot>, filter: &TallyFilter) -> String {
    use std::fmt::Write as _;
    let mut out = String::new();
    let mut scope = Vec::new();
    if let Some(p) = pilot {
        scope.push(format!("pilot {}", p.name));
    }
    if let Some(r) = filter.round {
        scope.push(format!("round {r}"));
    }
    let scope = if scope.is_empty() { String::new() } else { format!(", {}", scope.join(", ")) };
    let _ = writeln!(
        out,
        "{} ({} version {}{scope}): {} respondent{}",
        survey.title,
        survey.id,
        survey.version,
        t.respondents,
        if t.respondents == 1 { "" } else { "s" }
    );
    print_items(&mut out, survey, &t.items, "", None);
    for g in t.groups.iter().flatten() {
        let by = filter.by.as_deref().unwrap_or_default();
        let s = if g.respondents == 1 { "" } else { "s" };
        let _ = write!(out, "\n── {by} = {}: {} respondent{s}\n", g.value, g.respondents);
        print_items(&mut out, survey, &g.items, "  ", Some(by));
    }
    out
}

const BAR: usize = 20;

/// Items in `out`; `skip` is the `--by` item, which says nothing within its own groups.
fn print_items(out: &mut String, survey: &Survey, items: &[ItemTally], indent: &str, skip: Option<&str>) {
    use std::fmt::Write as _;
    for it in items.iter().filter(|it| Some(it.id.as_str()) != skip) {
        let Some(item) = survey.item(&it.id) else { continue };
        let _ = write!(out, "\n{indent}{}  {}\n", it.id, item.text);
        let mut figures = vec![format!("n {}", it.n)];
        if let ItemStats::Scale { dont_know: Some(dk), .. } = &it.stats {
            let label = survey.scale_of(item).and_then(|s| s.dont_know.as_deref()).unwrap_or("don't know");
            figures.push(format!("{label} {dk}"));
        }
        figures.push(format!("missing {}", it.missing));
        match &it.stats {
            ItemStats::Scale { mean, median, .. } | ItemStats::Number { mean, median, .. } => {
                figures.push(format!("mean {}", opt(*mean)));
                figures.push(format!("median {}", opt(*median)));
            }
            _ => {}
        }
        if let ItemStats::Number { min, max, .. } = &it.stats {
            figures.push(format!("min {}", opt(*min)));
            figures.push(format!("max {}", opt(*max)));
        }
        if let ItemStats::Nps { score, .. } = &it.stats {
            figures.push(format!("NPS {}", opt(*score)));
        }
        let low = if it.is_low_n() {
            format!("   ⚠ low n (fewer than {})", crate::domain::survey::LOW_N)
        } else {
            String::new()
        };
        let _ = writeln!(out, "{indent}  {}{low}", figures.join(" · "));
        let rows: Vec<(String, u64)> = match &it.stats {
            ItemStats::Scale { counts, .. } => {
                let scale = survey.scale_of(item);
                counts
                    .iter()
                    .map(|(v, c)| {
                        let label = scale
                            .and_then(|s| s.points.iter().find(|p| p.value.to_string() == *v))
                            .map(|p| p.label.as_str())
                            .filter(|l| l != v);
                        (label.map_or(v.clone(), |l| format!("{v} {l}")), *c)
                    })
                    .collect()
            }
            ItemStats::Choice { counts } => counts
                .iter()
                .map(|(k, c)| {
                    let label = item.choices().iter().find(|ch| ch.key() == k).map(|ch| ch.label.as_str());
                    (label.filter(|l| l != k).map_or(k.clone(), |l| format!("{k} ({l})")), *c)
                })
                .collect(),
            ItemStats::Nps { promoters, passives, detractors, .. } => vec![
                ("promoters 9–10".into(), *promoters),
                ("passives 7–8".into(), *passives),
                ("detractors 0–6".into(), *detractors),
            ],
            ItemStats::Number { .. } | ItemStats::Text => Vec::new(),
        };
        let width = rows.iter().map(|(l, _)| l.chars().count()).max().unwrap_or(0).min(40);
        let top = rows.iter().map(|(_, c)| *c).max().unwrap_or(0);
        for (label, count) in rows {
            let bar = if top == 0 { 0 } else { (count as usize * BAR).div_ceil(top as usize) };
            let pct = if it.n == 0 { String::new() } else { format!("{:>4.0} %", 100.0 * count as f64 / it.n as f64) };
            let label: String = label.chars().take(40).collect();
            let _ = writeln!(out, "{indent}    {label:<width$} {count:>6} {pct}  {}", "█".repeat(bar));
        }
    }
}

fn opt(x: Option<f64>) -> String {
    x.map_or("–".into(), |x| x.to_string())
}
