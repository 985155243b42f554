//! `oppi export report` and `oppi export pilot`: the evaluation report (or the
//! steering-group brief), or one pilot's part of it, as Markdown, gathered from the
//! store and rendered by [`crate::export::report`].

use std::path::{Path, PathBuf};

use anyhow::{Context as _, anyhow, bail};
use clap::Subcommand;

use super::Context;
use super::synthesis::{Counts, Resolver, cite, limitations_from, survey_facts, tally_key, theme_name};
use crate::domain::evidence::EvidenceRef;
use crate::domain::pilot::find;
use crate::domain::survey::{ItemStats, ItemTally, Survey};
use crate::domain::{Evaluation, Pilot};
use crate::export::map::map_markdown_in;
use crate::export::report::{
    Evidence, FindingEntry, PilotAppendix, QuestionSection, ReportInput, SurveyCount, ThemeSection, brief_markdown,
    evidence_label, pilot_markdown, report_markdown,
};
use crate::locale::{LANGUAGES, Locale};

#[derive(Debug, Subcommand)]
pub enum ExportCmd {
    /// The evaluation report as Markdown: questions, method and data, findings by theme,
    /// conclusions, numbered recommendations, limitations and one appendix per pilot
    Report {
        /// Write to FILE instead of standard output (- for standard output)
        #[arg(long, value_name = "FILE")]
        out: Option<PathBuf>,
        /// Only the steering-group summary: key findings and the recommendations
        #[arg(long)]
        brief: bool,
        /// Language of headings and fixed text: en, fi or sv
        #[arg(long, default_value = "en", value_name = "LANG")]
        lang: String,
    },
    /// One pilot as Markdown: profile, status history, impact logic (Mermaid), indicators,
    /// learning objectives and lessons
    Pilot {
        /// Id, name or any other name of the pilot
        pilot: String,
        /// Write to FILE instead of standard output (- for standard output)
        #[arg(long, value_name = "FILE")]
        out: Option<PathBuf>,
        /// Language of headings and fixed text: en, fi or sv
        #[arg(long, default_value = "en", value_name = "LANG")]
        lang: String,
    },
}

/// The locale for `--lang`; an unknown language is an error, not a quiet fallback.
fn locale(lang: &str) -> anyhow::Result<&'static Locale> {
    if !Locale::supports(lang) {
        let known: Vec<&str> = LANGUAGES.iter().map(|(c, _)| *c).collect();
        bail!("no report text in '{lang}': use one of {}", known.join(", "));
    }
    Ok(Locale::get(lang))
}

fn write_out(out: Option<&Path>, text: &str, what: &str) -> anyhow::Result<()> {
    match out {
        None => print!("{text}"),
        Some(p) if p == Path::new("-") => print!("{text}"),
        Some(path) => {
            super::write_file(path, text).with_context(|| format!("cannot write {}", path.display()))?;
            eprintln!("wrote {what} to {}", path.display());
        }
    }
    Ok(())
}

pub fn run(cmd: ExportCmd, ctx: &Context) -> anyhow::Result<()> {
    match cmd {
        ExportCmd::Report { out, brief, lang } => {
            let text = report_text(ctx, brief, locale(&lang)?)?;
            write_out(out.as_deref(), &text, if brief { "the brief" } else { "the report" })
        }
        ExportCmd::Pilot { pilot, out, lang } => {
            let locale = locale(&lang)?;
            let pilots = ctx.store.pilots()?;
            let pilot = find(&pilots, &pilot).map_err(|e| anyhow!(e))?;
            let evaluation: Evaluation = ctx.store.evaluation()?.unwrap_or_default();
            let maps = ctx.store.maps()?;
            let objectives = ctx.store.objectives()?;
            let a = appendix(locale, pilot, &maps, &objectives, &evaluation);
            write_out(out.as_deref(), &pilot_markdown(locale, &a), &pilot.name)
        }
    }
}

/// A pilot's appendix: its map rendered (when it has anything on it) and its objectives.
fn appendix<'a>(
    locale: &Locale,
    p: &'a Pilot,
    maps: &[crate::domain::impact::ImpactMap],
    objectives: &'a [crate::domain::objective::Objective],
    evaluation: &Evaluation,
) -> PilotAppendix<'a> {
    PilotAppendix {
        pilot: p,
        map_markdown: maps
            .iter()
            .find(|m| m.pilot == p.id)
            .filter(|m| !m.nodes.is_empty() || !m.indicators.is_empty())
            .map(|m| map_markdown_in(locale, p, m, &evaluation.layers, evaluation.results_from)),
        objectives: objectives.iter().filter(|o| o.pilot == p.id).collect(),
    }
}

/// A scale tally with each value's label ("4 Good"), so a table reads without the
/// questionnaire at hand.
fn labelled(item: &ItemTally, survey: Option<&Survey>) -> ItemTally {
    let mut item = item.clone();
    let scale = survey.and_then(|s| s.item(&item.id).and_then(|i| s.scale_of(i)));
    if let (ItemStats::Scale { counts, .. }, Some(scale)) = (&mut item.stats, scale) {
        for (key, _) in counts.iter_mut() {
            if let Some(p) = scale.points.iter().find(|p| p.value.to_string() == *key)
                && p.label != *key
            {
                *key = format!("{key} {}", p.label);
            }
        }
    }
    item
}

/// The report (or brief) for the store as it is now.
pub(super) fn report_text(ctx: &Context, brief: bool, locale: &'static Locale) -> anyhow::Result<String> {
    let s = ctx.store.synthesis()?;
    let book = ctx.store.codebook()?;
    let evaluation: Evaluation = ctx.store.evaluation()?.unwrap_or_default();
    let all_pilots = ctx.store.pilots()?;
    // One pass over each survey's responses: the cited tallies, the response counts
    // and the coverage the limitations check.
    let facts = survey_facts(ctx, &s, &all_pilots, Counts::Also)?;
    let tallies = &facts.tallies;
    let resolver = Resolver::load(ctx)?;
    let (interviews, workshops, maps, objectives) =
        (resolver.interviews(), resolver.workshops(), resolver.maps(), resolver.objectives());
    let limitations = limitations_from(&facts, &all_pilots, maps, interviews);

    let mut surveys = Vec::new();
    let mut stored = ctx.store.stored_surveys()?;
    stored.sort_by(|a, b| a.id.cmp(&b.id));
    stored.dedup_by(|a, b| a.id == b.id);
    for survey in stored {
        let respondents = facts.respondents.get(&survey.id).copied().unwrap_or_default();
        let invited = s.invited.get(&survey.id).copied();
        surveys.push(SurveyCount { id: survey.id, title: survey.title, respondents, invited });
    }

    let evidence = |e: &EvidenceRef| -> Evidence {
        match e {
            EvidenceRef::Quote { interview, paragraph } => {
                if let Some(i) = resolver.interview(interview)
                    && let Some(p) = i.paragraph(*paragraph)
                {
                    return Evidence::Quote { text: p.text, cited_as: i.cited_as() };
                }
            }
            EvidenceRef::Tally { item, .. } => {
                if let Some(key) = tally_key(e)
                    && let Some(t) = tallies.get(&key)
                    && let Some(it) = t.tally.item(item)
                {
                    let survey = resolver.survey(&key.0);
                    let citation = cite(locale, e, tallies, &resolver);
                    return Evidence::Tally { citation, item: labelled(it, survey) };
                }
            }
            _ => {}
        }
        match resolver.describe(locale, e, &all_pilots) {
            Some(text) => Evidence::Other(text),
            None => Evidence::Other(cite(locale, e, tallies, &resolver)),
        }
    };
    let themes: Vec<ThemeSection> = s
        .findings_by_theme(&book)
        .into_iter()
        .map(|(theme, findings)| ThemeSection {
            name: theme_name(&book, &theme),
            findings: findings
                .into_iter()
                .map(|f| FindingEntry {
                    finding: f,
                    evidence: f.evidence.iter().filter(|e| resolver.exists(e)).map(evidence).collect(),
                    missing: f
                        .evidence
                        .iter()
                        .filter(|e| !resolver.exists(e))
                        .map(|e| evidence_label(locale, e))
                        .collect(),
                })
                .collect(),
        })
        .collect();
    let questions: Vec<QuestionSection> = s
        .conclusions_by_question(&evaluation)
        .into_iter()
        .map(|g| QuestionSection { question: g.question, text: g.text, conclusions: g.conclusions })
        .collect();
    let pilots: Vec<_> = all_pilots.iter().filter(|p| !p.archived).cloned().collect();
    let appendices: Vec<PilotAppendix> =
        pilots.iter().map(|p| appendix(locale, p, maps, objectives, &evaluation)).collect();
    let input = ReportInput {
        locale,
        evaluation: &evaluation,
        // The date of the last recorded change, not of the run: the same store must
        // give the same bytes on any day.
        date: ctx.store.changelog_all()?.iter().map(|e| e.at.date_naive()).max().unwrap_or(ctx.today),
        interviews,
        surveys,
        workshops,
        pilots: &all_pilots,
        themes,
        questions,
        recommendations: s.numbered(),
        limitations: &limitations,
        appendices,
    };
    Ok(if brief { brief_markdown(&input) } else { report_markdown(&input) })
}
