use std::path::PathBuf;

use anyhow::{Context as _, anyhow, bail};
use chrono::Utc;
use clap::{Args, Subcommand};
use serde::Serialize;

use super::interview::{PilotRef, pilot_refs};
use super::{Context, print_json};
use crate::domain::codebook::{Code, Codebook, fuzzy_score};
use crate::domain::interview::Interview;
use crate::domain::objective::Objective;
use crate::domain::pilot::find;
use crate::domain::retrieval::{Segment, code_counts, per_pilot, segments};
use crate::domain::{ChangeEntry, ChangeWhat, Changeset};
use crate::export::qdc::codebook_qdc;

#[derive(Debug, Subcommand)]
pub enum CodeCmd {
    /// The codebook as a tree, with how many paragraphs use each code, colours and
    /// descriptions; then learning objectives (codable as #o16) and stray tags
    List {
        #[arg(long)]
        json: bool,
    },
    /// Add a code to the codebook; prints the tag to type after # in notes
    Add {
        /// The code's name ("Trust between partners" is tagged #trust-between-partners)
        name: String,
        /// Put it under this code (its tag, with or without #)
        #[arg(long, value_name = "CODE")]
        parent: Option<String>,
        /// What the code means, for whoever codes next
        #[arg(long, default_value = "", hide_default_value = true)]
        description: String,
    },
    /// The codebook in the REFI-QDA Codebook exchange format (.qdc) that NVivo,
    /// ATLAS.ti, MAXQDA and QualCoder import; GUIDs are stable across exports
    Export {
        /// REFI-QDA Codebook 1.0 XML (the only format so far)
        #[arg(long, required = true)]
        qdc: bool,
        /// Write to FILE instead of standard output
        #[arg(long, value_name = "FILE")]
        out: Option<PathBuf>,
    },
}

#[derive(Debug, Args)]
pub struct SegmentsArgs {
    /// The code (its tag, with or without #), a learning objective id such as o16, or
    /// a tag used in notes; codes under it are included
    #[arg(long, value_name = "CODE")]
    pub code: String,
    /// Only segments from interviews about this pilot (id, name or other name)
    #[arg(long)]
    pub pilot: Option<String>,
    /// CSV with a header row
    #[arg(long, conflicts_with = "json")]
    pub csv: bool,
    #[arg(long)]
    pub json: bool,
}

/// Resolves what a user typed as a code: a codebook code, a learning objective id, or
/// a tag the notes use without it being in the codebook. Returns the tag (lower case)
/// and how to name it. Anything else is an error naming the closest codes.
pub(super) fn resolve_code(
    book: &Codebook,
    objectives: &[Objective],
    interviews: &[Interview],
    query: &str,
) -> anyhow::Result<(String, String)> {
    let q = query.trim().trim_start_matches('#').trim();
    if q.is_empty() {
        bail!("--code: give a code, e.g. --code trust (see `oppi code list`)");
    }
    if let Some(c) = book.get(q) {
        return Ok((c.slug.to_lowercase(), book.path(&c.slug)));
    }
    if let Some(o) = objectives.iter().find(|o| o.id.eq_ignore_ascii_case(q)) {
        return Ok((o.id.to_lowercase(), format!("learning objective {}: {}", o.id, o.question)));
    }
    let tag = q.to_lowercase();
    if interviews.iter().any(|i| i.paragraphs().iter().any(|p| p.codes.contains(&tag))) {
        return Ok((tag.clone(), format!("#{tag} (not in the codebook)")));
    }
    // Close codes: typos first (a letter or two off, swapped letters), then fuzzy
    // matches of the tag or the name (letters in order).
    let lower = q.to_lowercase();
    let allowed = (lower.chars().count() / 3).clamp(1, 3);
    let closeness = |candidates: &[&str]| -> Option<i32> {
        let typo = candidates.iter().map(|c| typo_distance(&lower, &c.to_lowercase())).min()?;
        if typo <= allowed {
            return Some(1000 - typo as i32);
        }
        candidates.iter().filter_map(|c| fuzzy_score(q, c)).max()
    };
    let mut scored: Vec<(i32, String)> = Vec::new();
    for c in &book.codes {
        if let Some(s) = closeness(&[&c.slug, &c.name]) {
            scored.push((s, format!("#{} ({})", c.slug, c.name)));
        }
    }
    for o in objectives {
        if let Some(s) = closeness(&[&o.id]) {
            scored.push((s, format!("#{} (learning objective)", o.id)));
        }
    }
    scored.sort_by(|a, b| b.0.cmp(&a.0).then_with(|| a.1.cmp(&b.1)));
    let close: Vec<String> = scored.into_iter().take(5).map(|(_, s)| s).collect();
    if close.is_empty() {
        bail!("no code '#{q}' in the codebook (see `oppi code list`)");
    }
    bail!("no code '#{q}' in the codebook; close: {} (see `oppi code list`)", close.join(", "))
}

/// Edits (insert, delete, substitute, swap two neighbours) from `a` to `b`: the optimal
/// string alignment distance, so "trsut" is one edit from "trust".
fn typo_distance(a: &str, b: &str) -> usize {
    let a: Vec<char> = a.chars().collect();
    let b: Vec<char> = b.chars().collect();
    let mut d = vec![vec![0usize; b.len() + 1]; a.len() + 1];
    for (i, row) in d.iter_mut().enumerate() {
        row[0] = i;
    }
    for (j, cell) in d[0].iter_mut().enumerate() {
        *cell = j;
    }
    for i in 1..=a.len() {
        for j in 1..=b.len() {
            let cost = usize::from(a[i - 1] != b[j - 1]);
            let mut best = (d[i - 1][j] + 1).min(d[i][j - 1] + 1).min(d[i - 1][j - 1] + cost);
            if i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1] {
                best = best.min(d[i - 2][j - 2] + 1);
            }
            d[i][j] = best;
        }
    }
    d[a.len()][b.len()]
}

/// Codes in tree order with their depth: each root, then its children, depth first.
/// Codes whose parent is missing (or in a cycle) come out at the top level.
fn tree(book: &Codebook) -> Vec<(usize, &Code)> {
    fn visit<'a>(book: &'a Codebook, i: usize, depth: usize, seen: &mut [bool], out: &mut Vec<(usize, &'a Code)>) {
        seen[i] = true;
        out.push((depth, &book.codes[i]));
        let slug = &book.codes[i].slug;
        for j in 0..book.codes.len() {
            if !seen[j] && book.codes[j].parent.as_deref().is_some_and(|p| p.eq_ignore_ascii_case(slug)) {
                visit(book, j, depth + 1, seen, out);
            }
        }
    }
    let mut seen = vec![false; book.codes.len()];
    let mut out = Vec::new();
    for i in 0..book.codes.len() {
        let root = book.codes[i].parent.as_deref().is_none_or(|p| book.get(p).is_none());
        if root && !seen[i] {
            visit(book, i, 0, &mut seen, &mut out);
        }
    }
    for i in 0..book.codes.len() {
        if !seen[i] {
            visit(book, i, 0, &mut seen, &mut out);
        }
    }
    out
}

#[derive(Serialize)]
struct CodeJson {
    slug: String,
    name: String,
    parent: Option<String>,
    depth: usize,
    description: String,
    colour: String,
    /// Paragraphs tagged with this code itself.
    count: usize,
    /// Paragraphs tagged with this code or any code under it.
    total: usize,
}

#[derive(Serialize)]
struct ObjectiveCode {
    id: String,
    pilot: String,
    question: String,
    count: usize,
}

#[derive(Serialize)]
struct StrayTag {
    tag: String,
    count: usize,
}

#[derive(Serialize)]
struct CodeList {
    codes: Vec<CodeJson>,
    objectives: Vec<ObjectiveCode>,
    /// Tags used in notes that are neither codes nor learning objectives.
    unknown: Vec<StrayTag>,
}

fn code_list(ctx: &Context) -> anyhow::Result<CodeList> {
    let book = ctx.store.codebook()?;
    let interviews = ctx.store.interviews()?;
    let objectives = ctx.store.objectives()?;
    let counts = code_counts(&interviews, &book);
    let count_of = |slug: &str| counts.iter().find(|(s, _)| s == slug).map_or(0, |(_, n)| *n);
    let all_codes: Vec<Vec<String>> =
        interviews.iter().flat_map(|i| i.paragraphs().into_iter().map(|p| p.codes)).collect();
    let tag_count = |tag: &str| all_codes.iter().filter(|codes| codes.iter().any(|c| c == tag)).count();
    let codes = tree(&book)
        .into_iter()
        .map(|(depth, c)| CodeJson {
            slug: c.slug.clone(),
            name: c.name.clone(),
            parent: c.parent.clone(),
            depth,
            description: c.description.clone(),
            colour: c.colour.clone(),
            count: count_of(&c.slug),
            total: segments(&interviews, &book, &c.slug).len(),
        })
        .collect();
    let objective_codes = objectives
        .iter()
        .filter(|o| book.get(&o.id).is_none())
        .map(|o| ObjectiveCode {
            id: o.id.clone(),
            pilot: o.pilot.clone(),
            question: o.question.clone(),
            count: tag_count(&o.id.to_lowercase()),
        })
        .collect();
    let mut unknown: Vec<StrayTag> = Vec::new();
    for codes in &all_codes {
        for c in codes {
            let known = book.get(c).is_some() || objectives.iter().any(|o| o.id.eq_ignore_ascii_case(c));
            if known {
                continue;
            }
            match unknown.iter_mut().find(|u| &u.tag == c) {
                Some(u) => u.count += 1,
                None => unknown.push(StrayTag { tag: c.clone(), count: 1 }),
            }
        }
    }
    unknown.sort_by(|a, b| a.tag.cmp(&b.tag));
    Ok(CodeList { codes, objectives: objective_codes, unknown })
}

pub fn run(cmd: CodeCmd, ctx: &Context) -> anyhow::Result<()> {
    match cmd {
        CodeCmd::List { json } => {
            let list = code_list(ctx)?;
            if json {
                return print_json(&list);
            }
            print_code_list(&list);
            Ok(())
        }
        CodeCmd::Add { name, parent, description } => add(ctx, &name, parent.as_deref(), &description),
        CodeCmd::Export { qdc: _, out } => {
            let book = ctx.store.codebook()?;
            let text = codebook_qdc(&book, &format!("oppi {}", env!("CARGO_PKG_VERSION")));
            match out {
                Some(path) if path.as_os_str() != "-" => {
                    super::write_file(&path, &text).with_context(|| format!("cannot write {}", path.display()))?;
                    eprintln!("wrote {} codes to {}", book.codes.len(), path.display());
                }
                _ => print!("{text}"),
            }
            Ok(())
        }
    }
}

fn print_code_list(list: &CodeList) {
    if list.codes.is_empty() {
        eprintln!("the codebook is empty: add a code with `oppi code add NAME`");
    }
    let tags: Vec<String> = list.codes.iter().map(|c| format!("{}#{}", "  ".repeat(c.depth), c.slug)).collect();
    let counts: Vec<String> =
        list.codes
            .iter()
            .map(|c| {
                if c.total != c.count {
                    format!("{} ({} with sub-codes)", c.count, c.total)
                } else {
                    c.count.to_string()
                }
            })
            .collect();
    let w_tag = tags.iter().map(|t| t.chars().count()).max().unwrap_or(0);
    let w_name = list.codes.iter().map(|c| c.name.chars().count()).max().unwrap_or(0);
    let w_count = counts.iter().map(|t| t.chars().count()).max().unwrap_or(0);
    for ((c, tag), count) in list.codes.iter().zip(&tags).zip(&counts) {
        let line = format!("{tag:<w_tag$}  {:<w_name$}  {count:>w_count$}  {:<7}  {}", c.name, c.colour, c.description);
        println!("{}", line.trim_end());
    }
    if !list.objectives.is_empty() {
        println!();
        println!("Learning objectives (tag a paragraph with #<id>):");
        let w = list.objectives.iter().map(|o| o.id.len() + 1).max().unwrap_or(0);
        for o in &list.objectives {
            println!("  {:<w$}  {:>3}  {}", format!("#{}", o.id), o.count, o.question);
        }
    }
    if !list.unknown.is_empty() {
        println!();
        println!("Tags in notes that are not in the codebook:");
        for u in &list.unknown {
            println!("  #{}  {}", u.tag, u.count);
        }
    }
}

fn add(ctx: &Context, name: &str, parent: Option<&str>, description: &str) -> anyhow::Result<()> {
    let mut book = ctx.store.codebook()?;
    let objectives = ctx.store.objectives()?;
    let parent = match parent.map(|p| p.trim().trim_start_matches('#')) {
        None => None,
        Some(p) => match book.get(p) {
            Some(c) => Some(c.slug.clone()),
            None => {
                let err = resolve_code(&book, &[], &[], p).err().map(|e| e.to_string());
                bail!("--parent: {}", err.unwrap_or_else(|| format!("no code '#{p}' in the codebook")));
            }
        },
    };
    let slug = crate::domain::codebook::slugify(name);
    if let Some(o) = objectives.iter().find(|o| o.id.eq_ignore_ascii_case(&slug)) {
        bail!("#{slug} already tags learning objective {} of {}; choose another name", o.id, o.pilot);
    }
    let slug = book.add(name, parent.as_deref(), description.trim()).map_err(|e| anyhow!(e))?;
    let under = parent.as_ref().map(|p| format!(" under #{p}")).unwrap_or_default();
    let entry = ChangeEntry {
        at: Utc::now(),
        who: ctx.user.clone(),
        subject: "codebook".into(),
        what: ChangeWhat::Described { text: format!("codebook: added #{slug} ({}){under}", name.trim()) },
    };
    ctx.store.commit(Changeset { codebook: Some(book), log: vec![entry], ..Default::default() })?;
    println!("{slug}");
    Ok(())
}

/// A segment as `segments --json` gives it: pilots with their names.
#[derive(Serialize)]
struct SegmentJson<'a> {
    interview: &'a str,
    paragraph: u32,
    line: usize,
    pilots: Vec<PilotRef>,
    role: &'a str,
    org_type: &'a str,
    round: &'a str,
    at: chrono::NaiveDateTime,
    context: &'a str,
    quote: bool,
    codes: &'a [String],
    text: &'a str,
}

/// `oppi segments --code CODE`: every paragraph coded CODE or a code under it.
pub fn run_segments(args: SegmentsArgs, ctx: &Context) -> anyhow::Result<()> {
    let pilots = ctx.store.pilots()?;
    let book = ctx.store.codebook()?;
    let objectives = ctx.store.objectives()?;
    let interviews = ctx.store.interviews()?;
    let (slug, label) = resolve_code(&book, &objectives, &interviews, &args.code)?;
    let pilot = match &args.pilot {
        Some(q) => Some(find(&pilots, q).map_err(|e| anyhow!("--pilot: {e}"))?.clone()),
        None => None,
    };
    let mut segs: Vec<Segment> = segments(&interviews, &book, &slug);
    if let Some(p) = &pilot {
        segs.retain(|s| s.pilots.contains(&p.id));
    }
    let names = |ids: &[String]| pilot_refs(ids, &pilots);
    if args.csv {
        let mut w = csv::WriterBuilder::new().terminator(csv::Terminator::Any(b'\n')).from_writer(Vec::new());
        w.write_record([
            "interview",
            "paragraph",
            "pilots",
            "pilot_ids",
            "role",
            "org_type",
            "round",
            "date",
            "context",
            "quote",
            "codes",
            "text",
        ])?;
        for s in &segs {
            let refs = names(&s.pilots);
            w.write_record([
                s.interview.clone(),
                s.paragraph.to_string(),
                refs.iter().map(|p| p.name.as_str()).collect::<Vec<_>>().join("; "),
                s.pilots.join("; "),
                s.role.clone(),
                s.org_type.clone(),
                s.round.clone(),
                s.at.format("%Y-%m-%d %H:%M").to_string(),
                s.context.clone(),
                s.quote.to_string(),
                s.codes.join(" "),
                s.text.clone(),
            ])?;
        }
        let bytes = w.into_inner().map_err(|e| anyhow!("csv: {e}"))?;
        print_bytes(&bytes)?;
    } else if args.json {
        let rows: Vec<SegmentJson> = segs
            .iter()
            .map(|s| SegmentJson {
                interview: &s.interview,
                paragraph: s.paragraph,
                line: s.line,
                pilots: names(&s.pilots),
                role: &s.role,
                org_type: &s.org_type,
                round: &s.round,
                at: s.at,
                context: &s.context,
                quote: s.quote,
                codes: &s.codes,
                text: &s.text,
            })
            .collect();
        print_json(&rows)?;
    } else {
        let sub = if book.with_descendants(&slug).len() > 1 { " (sub-codes included)" } else { "" };
        let mut text = format!("#{slug} — {label}{sub}\n");
        for s in &segs {
            let who = if s.org_type.is_empty() || s.org_type.eq_ignore_ascii_case(&s.role) {
                s.role.clone()
            } else {
                format!("{} ({})", s.role, s.org_type)
            };
            let pilots = names(&s.pilots).iter().map(|p| p.name.clone()).collect::<Vec<_>>().join(", ");
            let context = if s.context.is_empty() { String::new() } else { format!(" — {}", s.context) };
            text.push_str(&format!(
                "\n{} ¶{}  {}  {pilots}  {who}, {}{context}\n",
                s.interview,
                s.paragraph,
                s.at.format("%Y-%m-%d"),
                s.round
            ));
            let mark = if s.quote { "> " } else { "" };
            let codes = s.codes.iter().map(|c| format!("#{c}")).collect::<Vec<_>>().join(" ");
            text.push_str(&format!("    {mark}{}  [{codes}]\n", s.text));
        }
        print_bytes(text.as_bytes())?;
    }
    eprintln!("{}", per_pilot_line(&slug, &segs, &pilots));
    Ok(())
}

/// "#trust: 5 segments in 4 interviews — Omavalmentaja 2, AIMO multi-sector service 3;
/// none in 13 other pilots".
fn per_pilot_line(slug: &str, segs: &[Segment], pilots: &[crate::domain::Pilot]) -> String {
    let mut interviews: Vec<&str> = segs.iter().map(|s| s.interview.as_str()).collect();
    interviews.sort_unstable();
    interviews.dedup();
    let plural = |n: usize, one: &str, many: &str| format!("{n} {}", if n == 1 { one } else { many });
    let counts = per_pilot(segs, pilots);
    let with: Vec<String> = counts.iter().filter(|(_, n)| *n > 0).map(|(p, n)| format!("{} {n}", p.name)).collect();
    let without = counts.iter().filter(|(_, n)| *n == 0).count();
    let mut line = format!(
        "#{slug}: {} in {}",
        plural(segs.len(), "segment", "segments"),
        plural(interviews.len(), "interview", "interviews")
    );
    if !with.is_empty() {
        line.push_str(&format!(" — per pilot: {}", with.join(", ")));
        if without > 0 {
            line.push_str(&format!("; none in {}", plural(without, "other pilot", "other pilots")));
        }
    }
    line
}

/// Writes to standard output; a reader that stops early (`| head`) is not an error.
fn print_bytes(bytes: &[u8]) -> anyhow::Result<()> {
    use std::io::Write as _;
    match std::io::stdout().lock().write_all(bytes) {
        Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => Ok(()),
        other => Ok(other?),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn typo_distance_counts_swaps_as_one_edit() {
        assert_eq!(typo_distance("trsut", "trust"), 1);
        assert_eq!(typo_distance("trust", "trust"), 0);
        assert_eq!(typo_distance("purchsing", "purchasing"), 1);
        assert_eq!(typo_distance("", "abc"), 3);
        assert_eq!(typo_distance("kasvu", "kasvua"), 1);
    }

    #[test]
    fn unknown_codes_suggest_typos_and_fuzzy_matches() {
        let book = crate::demo::codebook(&crate::demo::evaluation().themes);
        let err = resolve_code(&book, &[], &[], "trsut").unwrap_err().to_string();
        assert!(err.contains("close: #trust (Trust)"), "{err}");
        let err = resolve_code(&book, &[], &[], "coop").unwrap_err().to_string();
        assert!(err.contains("#cooperation-and-partnership-models"), "{err}");
        assert_eq!(resolve_code(&book, &[], &[], "#TRUST").unwrap().0, "trust");
    }
}
