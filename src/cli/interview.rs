use std::collections::BTreeSet;
use std::io::Read as _;
use std::path::PathBuf;

use anyhow::{Context as _, anyhow, bail};
use chrono::{NaiveDate, NaiveDateTime, Timelike as _, Utc};
use clap::{Subcommand, ValueEnum};
use serde::Serialize;

use super::code::resolve_code;
use super::{Context, print_json};
use crate::domain::interview::{Consent, Interview};
use crate::domain::pilot::find;
use crate::domain::{ChangeEntry, ChangeWhat, Changeset, Pilot};
use crate::export::interview::{Refs, interviews_markdown, interviews_text};

#[derive(Debug, Clone, Copy, ValueEnum)]
pub enum Format {
    Md,
    Txt,
}

#[derive(Debug, Subcommand)]
pub enum InterviewCmd {
    /// List interviews, oldest first: id, date, pilots, role, organisation type, round,
    /// context, paragraphs and codes (never the interviewee's name)
    List {
        /// Only interviews about this pilot (id, name or other name)
        #[arg(long)]
        pilot: Option<String>,
        /// Only this interviewee role
        #[arg(long)]
        role: Option<String>,
        /// Only this interview round
        #[arg(long)]
        round: Option<String>,
        /// Only interviews with a paragraph coded CODE or a code under it (or a
        /// learning objective id such as o16)
        #[arg(long, value_name = "CODE")]
        code: Option<String>,
        /// Only interviews on or after DATE (YYYY-MM-DD)
        #[arg(long, value_name = "DATE")]
        from: Option<String>,
        /// Only interviews on or before DATE (YYYY-MM-DD)
        #[arg(long, value_name = "DATE")]
        to: Option<String>,
        #[arg(long)]
        json: bool,
    },
    /// Show one interview: the facts, and the notes numbered ¶1, ¶2 … with quotes and codes
    Show {
        /// The interview id (i23, or just 23)
        id: String,
        #[arg(long)]
        json: bool,
        /// Also show the interviewee's name, if one was recorded
        #[arg(long)]
        with_names: bool,
    },
    /// Add an interview; prints its id. Role, round and organisation type come from the
    /// evaluation's lists (see `oppi evaluation show`)
    Add {
        /// A pilot the interview is about (id, name or other name); repeat for several
        #[arg(long = "pilot", value_name = "PILOT", required = true)]
        pilots: Vec<String>,
        /// The interviewee's role
        #[arg(long)]
        role: String,
        /// The interview round
        #[arg(long)]
        round: String,
        /// When it took place, "YYYY-MM-DD HH:MM" [default: now]
        #[arg(long, value_name = "WHEN")]
        at: Option<String>,
        /// What was going on, e.g. "at COVID-19 onset"
        #[arg(long, default_value = "", hide_default_value = true)]
        context: String,
        /// The interviewee's organisation type
        #[arg(long, value_name = "TYPE")]
        org_type: Option<String>,
        /// yes, no or partial
        #[arg(long, default_value = "yes")]
        consent: String,
        /// Who interviewed; repeat for several
        #[arg(long = "interviewer", value_name = "NAME")]
        interviewers: Vec<String>,
        /// The notes: one paragraph a line, `#code` tags, `> ` quotes (use - for standard input)
        #[arg(long, value_name = "FILE")]
        notes_file: Option<PathBuf>,
        /// The interviewee's name: kept in the store, shown and exported only with --with-names
        #[arg(long)]
        name: Option<String>,
    },
    /// An interview (or all of them) as Markdown or text: quotes cited by role, never by name
    Export {
        /// The interview id
        #[arg(required_unless_present = "all", conflicts_with = "all")]
        id: Option<String>,
        /// Every interview, oldest first
        #[arg(long)]
        all: bool,
        #[arg(long, value_enum, default_value = "md")]
        format: Format,
        /// Include the interviewee's name and the interviewers
        #[arg(long)]
        with_names: bool,
        /// Write to FILE instead of standard output
        #[arg(long, value_name = "FILE")]
        out: Option<PathBuf>,
    },
}

/// A pilot as interview listings name it.
#[derive(Serialize)]
pub(super) struct PilotRef {
    pub id: String,
    pub name: String,
}

pub(super) fn pilot_refs(ids: &[String], pilots: &[Pilot]) -> Vec<PilotRef> {
    ids.iter()
        .map(|id| PilotRef {
            id: id.clone(),
            name: pilots.iter().find(|p| &p.id == id).map_or_else(|| id.clone(), |p| p.name.clone()),
        })
        .collect()
}

/// An interview as `interview list --json` gives it: no name, no notes.
#[derive(Serialize)]
struct Listed {
    id: String,
    at: NaiveDateTime,
    pilots: Vec<PilotRef>,
    role: String,
    org_type: String,
    round: String,
    context: String,
    consent: &'static str,
    paragraphs: usize,
    quotes: usize,
    codes: Vec<String>,
}

#[derive(Serialize)]
struct ParagraphJson {
    number: u32,
    line: usize,
    text: String,
    quote: bool,
    #[serde(skip_serializing_if = "Option::is_none")]
    stamp: Option<String>,
    codes: Vec<String>,
}

#[derive(Serialize)]
struct Shown {
    #[serde(flatten)]
    listed: Listed,
    interviewers: Vec<String>,
    /// Only with --with-names.
    #[serde(skip_serializing_if = "Option::is_none")]
    name: Option<String>,
    words: usize,
    notes: String,
    notes_paragraphs: Vec<ParagraphJson>,
    /// True when the editor left a draft that is not settled into the notes yet.
    unsettled_draft: bool,
}

fn listed(i: &Interview, pilots: &[Pilot]) -> Listed {
    let paragraphs = i.paragraphs();
    Listed {
        id: i.id.clone(),
        at: i.at,
        pilots: pilot_refs(&i.pilots, pilots),
        role: i.role.clone(),
        org_type: i.org_type.clone(),
        round: i.round.clone(),
        context: i.context.clone(),
        consent: i.consent.label(),
        paragraphs: paragraphs.len(),
        quotes: paragraphs.iter().filter(|p| p.quote).count(),
        codes: codes_used(i),
    }
}

/// The codes an interview uses, in order of first use.
fn codes_used(i: &Interview) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    for p in i.paragraphs() {
        for c in p.codes {
            if !out.contains(&c) {
                out.push(c);
            }
        }
    }
    out
}

/// Finds an interview by id, ignoring case; a bare number means `i<number>`.
pub(super) fn find_interview<'a>(interviews: &'a [Interview], query: &str) -> anyhow::Result<&'a Interview> {
    let q = query.trim();
    let wanted = if !q.is_empty() && q.chars().all(|c| c.is_ascii_digit()) { format!("i{q}") } else { q.to_string() };
    interviews.iter().find(|i| i.id.eq_ignore_ascii_case(&wanted)).ok_or_else(|| {
        if interviews.is_empty() {
            anyhow!("no interview '{q}': the store has no interviews yet")
        } else {
            anyhow!("no interview '{q}' (try `oppi interview list`)")
        }
    })
}

/// Matches `value` against one of the evaluation's lists, ignoring case; returns the
/// list's spelling. The error lists the valid entries.
fn pick(list: &[String], value: &str, what: &str, key: &str) -> anyhow::Result<String> {
    let v = value.trim();
    list.iter().find(|x| x.trim().eq_ignore_ascii_case(v)).cloned().ok_or_else(|| {
        if list.is_empty() {
            anyhow!("the evaluation has no {what}s yet: set them with `oppi evaluation edit --set {key}=\"a; b\"`")
        } else {
            let article = if what.starts_with(['a', 'e', 'i', 'o', 'u']) { "an" } else { "a" };
            anyhow!("'{v}' is not {article} {what}; {what}s are: {}", list.join(", "))
        }
    })
}

fn parse_date(text: &str, flag: &str) -> anyhow::Result<NaiveDate> {
    NaiveDate::parse_from_str(text.trim(), "%Y-%m-%d")
        .map_err(|_| anyhow!("{flag} {text}: expected a date as YYYY-MM-DD"))
}

/// "YYYY-MM-DD HH:MM" (also with seconds or a `T`), or a bare date at midnight.
fn parse_at(text: &str) -> anyhow::Result<NaiveDateTime> {
    let t = text.trim();
    for format in ["%Y-%m-%d %H:%M", "%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M:%S", "%Y-%m-%dT%H:%M:%S"] {
        if let Ok(at) = NaiveDateTime::parse_from_str(t, format) {
            return Ok(at);
        }
    }
    if let Ok(date) = NaiveDate::parse_from_str(t, "%Y-%m-%d") {
        return Ok(date.and_hms_opt(0, 0, 0).expect("midnight exists"));
    }
    bail!("--at {text}: expected \"YYYY-MM-DD HH:MM\"")
}

pub fn run(cmd: InterviewCmd, ctx: &Context) -> anyhow::Result<()> {
    match cmd {
        InterviewCmd::List { pilot, role, round, code, from, to, json } => {
            list(ctx, Filter { pilot, role, round, code, from, to }, json)
        }
        InterviewCmd::Show { id, json, with_names } => show(ctx, &id, json, with_names),
        InterviewCmd::Add { pilots, role, round, at, context, org_type, consent, interviewers, notes_file, name } => {
            add(ctx, New { pilots, role, round, at, context, org_type, consent, interviewers, notes_file, name })
        }
        InterviewCmd::Export { id, all, format, with_names, out } => {
            export(ctx, id.as_deref(), all, format, with_names, out)
        }
    }
}

struct Filter {
    pilot: Option<String>,
    role: Option<String>,
    round: Option<String>,
    code: Option<String>,
    from: Option<String>,
    to: Option<String>,
}

/// The evaluation's lists plus whatever interviews already use (a list edited after
/// interviews were recorded must not make them unfindable).
fn known(list: &[String], used: impl Iterator<Item = String>) -> Vec<String> {
    let mut out: Vec<String> = list.to_vec();
    for u in used {
        if !u.trim().is_empty() && !out.iter().any(|x| x.eq_ignore_ascii_case(&u)) {
            out.push(u);
        }
    }
    out
}

fn list(ctx: &Context, f: Filter, json: bool) -> anyhow::Result<()> {
    let pilots = ctx.store.pilots()?;
    let evaluation = ctx.store.evaluation()?.unwrap_or_default();
    let mut interviews = ctx.store.interviews()?;
    let pilot = match &f.pilot {
        Some(q) => Some(find(&pilots, q).map_err(|e| anyhow!("--pilot: {e}"))?.id.clone()),
        None => None,
    };
    let role = match &f.role {
        Some(r) => {
            Some(pick(&known(&evaluation.roles, interviews.iter().map(|i| i.role.clone())), r, "role", "roles")?)
        }
        None => None,
    };
    let round = match &f.round {
        Some(r) => {
            Some(pick(&known(&evaluation.rounds, interviews.iter().map(|i| i.round.clone())), r, "round", "rounds")?)
        }
        None => None,
    };
    let codes = match &f.code {
        Some(c) => {
            let book = ctx.store.codebook()?;
            let (slug, _) = resolve_code(&book, &ctx.store.objectives()?, &interviews, c)?;
            Some(book.with_descendants(&slug))
        }
        None => None,
    };
    let from = f.from.as_deref().map(|d| parse_date(d, "--from")).transpose()?;
    let to = f.to.as_deref().map(|d| parse_date(d, "--to")).transpose()?;
    if let (Some(a), Some(b)) = (from, to)
        && a > b
    {
        bail!("--from {a} is after --to {b}");
    }
    let total = interviews.len();
    interviews.retain(|i| {
        pilot.as_ref().is_none_or(|p| i.pilots.contains(p))
            && role.as_ref().is_none_or(|r| i.role.eq_ignore_ascii_case(r))
            && round.as_ref().is_none_or(|r| i.round.eq_ignore_ascii_case(r))
            && from.is_none_or(|d| i.at.date() >= d)
            && to.is_none_or(|d| i.at.date() <= d)
            && codes
                .as_ref()
                .is_none_or(|wanted| i.paragraphs().iter().any(|p| p.codes.iter().any(|c| wanted.contains(c))))
    });
    interviews.sort_by(|a, b| a.at.cmp(&b.at).then_with(|| a.id.cmp(&b.id)));
    let rows: Vec<Listed> = interviews.iter().map(|i| listed(i, &pilots)).collect();
    if json {
        return print_json(&rows);
    }
    if rows.is_empty() {
        if total == 0 {
            eprintln!("no interviews yet: add one with `oppi interview add --pilot P --role R --round R`");
        } else {
            eprintln!("no interviews match (of {total})");
        }
        return Ok(());
    }
    let cells: Vec<[String; 9]> = rows
        .iter()
        .map(|r| {
            [
                r.id.clone(),
                r.at.format("%Y-%m-%d %H:%M").to_string(),
                r.pilots.iter().map(|p| p.name.as_str()).collect::<Vec<_>>().join(", "),
                r.role.clone(),
                if r.org_type.is_empty() { "-".into() } else { r.org_type.clone() },
                r.round.clone(),
                if r.context.is_empty() { "-".into() } else { r.context.clone() },
                format!("{} ¶", r.paragraphs),
                r.codes.iter().map(|c| format!("#{c}")).collect::<Vec<_>>().join(" "),
            ]
        })
        .collect();
    let width = |col: usize| cells.iter().map(|c| c[col].chars().count()).max().unwrap_or(0);
    let widths: Vec<usize> = (0..9).map(width).collect();
    for row in &cells {
        let mut line = String::new();
        for (col, cell) in row.iter().enumerate() {
            if col == 8 {
                line.push_str(cell);
            } else if col == 7 {
                line.push_str(&format!("{cell:>w$}  ", w = widths[col]));
            } else {
                line.push_str(&format!("{cell:<w$}  ", w = widths[col]));
            }
        }
        println!("{}", line.trim_end());
    }
    Ok(())
}

fn show(ctx: &Context, id: &str, json: bool, with_names: bool) -> anyhow::Result<()> {
    let interviews = ctx.store.interviews()?;
    let i = find_interview(&interviews, id)?;
    let pilots = ctx.store.pilots()?;
    let draft = ctx.store.draft(&i.id)?.is_some_and(|d| d.text != i.notes);
    let name = if with_names { i.name.clone().filter(|n| !n.trim().is_empty()) } else { None };
    if json {
        let shown = Shown {
            listed: listed(i, &pilots),
            interviewers: i.interviewers.clone(),
            name,
            words: i.words(),
            notes: i.notes.clone(),
            notes_paragraphs: i
                .paragraphs()
                .into_iter()
                .map(|p| ParagraphJson {
                    number: p.number,
                    line: p.line,
                    text: p.text,
                    quote: p.quote,
                    stamp: p.stamp,
                    codes: p.codes,
                })
                .collect(),
            unsettled_draft: draft,
        };
        return print_json(&shown);
    }
    let refs = pilot_refs(&i.pilots, &pilots);
    println!("Interview {}  {}", i.id, i.at.format("%Y-%m-%d %H:%M"));
    let mut facts: Vec<(&str, String)> = vec![
        ("Pilots", refs.iter().map(|p| format!("{} ({})", p.name, p.id)).collect::<Vec<_>>().join(", ")),
        ("Role", i.role.clone()),
        ("Organisation type", i.org_type.clone()),
        ("Round", i.round.clone()),
        ("Context", i.context.clone()),
        ("Consent", i.consent.label().into()),
        ("Interviewers", i.interviewers.join(", ")),
    ];
    if let Some(n) = &name {
        facts.push(("Name", n.clone()));
    }
    facts.push(("Words", i.words().to_string()));
    for (label, value) in facts {
        if !value.trim().is_empty() {
            println!("  {label:<19}{value}");
        }
    }
    if with_names && name.is_none() {
        println!("  {:<19}(not recorded)", "Name");
    }
    if draft {
        eprintln!(
            "note: the notes editor left a draft of {} that is not settled yet; open it in oppi to keep it",
            i.id
        );
    }
    let paragraphs = i.paragraphs();
    println!();
    if paragraphs.is_empty() {
        println!("(no notes yet)");
    }
    for p in paragraphs {
        let stamp = p.stamp.as_ref().map(|s| format!("[{s}] ")).unwrap_or_default();
        let mark = if p.quote { "> " } else { "" };
        println!("¶{:<3} {mark}{stamp}{}", p.number, p.text);
        if !p.codes.is_empty() {
            println!("      codes: {}", p.codes.iter().map(|c| format!("#{c}")).collect::<Vec<_>>().join(" "));
        }
    }
    Ok(())
}

struct New {
    pilots: Vec<String>,
    role: String,
    round: String,
    at: Option<String>,
    context: String,
    org_type: Option<String>,
    consent: String,
    interviewers: Vec<String>,
    notes_file: Option<PathBuf>,
    name: Option<String>,
}

fn add(ctx: &Context, new: New) -> anyhow::Result<()> {
    let pilots = ctx.store.pilots()?;
    let evaluation = ctx.store.evaluation()?.unwrap_or_default();
    let mut ids: Vec<String> = Vec::new();
    for q in &new.pilots {
        let id = find(&pilots, q).map_err(|e| anyhow!("--pilot: {e}"))?.id.clone();
        if !ids.contains(&id) {
            ids.push(id);
        }
    }
    let role = pick(&evaluation.roles, &new.role, "role", "roles").context("--role")?;
    let round = pick(&evaluation.rounds, &new.round, "round", "rounds").context("--round")?;
    let org_type = match new.org_type.as_deref().map(str::trim).filter(|t| !t.is_empty()) {
        Some(t) => pick(&evaluation.org_types, t, "organisation type", "org-types").context("--org-type")?,
        None => String::new(),
    };
    let consent = Consent::parse(&new.consent).map_err(|e| anyhow!("--consent: {e}"))?;
    let at = match new.at.as_deref() {
        Some(t) => parse_at(t)?,
        None => {
            let now = chrono::Local::now().naive_local();
            now.with_second(0).and_then(|t| t.with_nanosecond(0)).unwrap_or(now)
        }
    };
    let notes = match &new.notes_file {
        None => String::new(),
        Some(p) if p.as_os_str() == "-" => {
            let mut s = String::new();
            std::io::stdin().read_to_string(&mut s).context("cannot read the notes from standard input")?;
            s
        }
        Some(p) => std::fs::read_to_string(p).with_context(|| format!("cannot read notes file {}", p.display()))?,
    };
    let notes = notes.replace("\r\n", "\n").trim_end().to_string();
    let interview = Interview {
        id: String::new(),
        pilots: ids,
        at,
        context: new.context.trim().into(),
        interviewers: new.interviewers.iter().map(|s| s.trim().to_string()).filter(|s| !s.is_empty()).collect(),
        role,
        org_type,
        round,
        consent,
        name: new.name.map(|n| n.trim().to_string()).filter(|n| !n.is_empty()),
        notes,
    };
    // Tags that are neither codes nor learning objectives are kept (they are the notes),
    // but said out loud: usually a typo, or a code still to add.
    let book = ctx.store.codebook()?;
    let objectives = ctx.store.objectives()?;
    let unknown: BTreeSet<String> = codes_used(&interview)
        .into_iter()
        .filter(|c| book.get(c).is_none() && !objectives.iter().any(|o| o.id.eq_ignore_ascii_case(c)))
        .collect();
    let entry =
        ChangeEntry { at: Utc::now(), who: ctx.user.clone(), subject: String::new(), what: ChangeWhat::Created };
    let saved = ctx.store.commit(Changeset { interviews: vec![interview], log: vec![entry], ..Default::default() })?;
    for c in unknown {
        eprintln!("warning: #{c} is not in the codebook (add it with `oppi code add`)");
    }
    println!("{}", saved.interviews[0].id);
    Ok(())
}

fn export(
    ctx: &Context,
    id: Option<&str>,
    all: bool,
    format: Format,
    with_names: bool,
    out: Option<PathBuf>,
) -> anyhow::Result<()> {
    let mut interviews = ctx.store.interviews()?;
    let chosen: Vec<Interview> = if all {
        interviews.sort_by(|a, b| a.at.cmp(&b.at).then_with(|| a.id.cmp(&b.id)));
        if interviews.is_empty() {
            bail!("no interviews to export");
        }
        interviews
    } else {
        vec![find_interview(&interviews, id.unwrap_or_default())?.clone()]
    };
    let pilots = ctx.store.pilots()?;
    let codebook = ctx.store.codebook()?;
    let objectives = ctx.store.objectives()?;
    let refs = Refs { pilots: &pilots, codebook: &codebook, objectives: &objectives };
    let text = match format {
        Format::Md => interviews_markdown(&chosen, refs, with_names),
        Format::Txt => interviews_text(&chosen, refs, with_names),
    };
    if with_names && chosen.iter().any(|i| i.name.is_some()) {
        eprintln!("note: this export includes interviewees' names");
    }
    match out {
        Some(path) if path.as_os_str() != "-" => {
            super::write_file(&path, &text).with_context(|| format!("cannot write {}", path.display()))?;
            eprintln!("wrote {} interview(s) to {}", chosen.len(), path.display());
        }
        _ => print!("{text}"),
    }
    Ok(())
}
