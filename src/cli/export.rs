//! `oppi export report`: the evaluation report (or the steering-group brief) as
//! Markdown, gathered from the store and rendered by [`crate::export::report`].

use std::path::{Path, PathBuf};

use anyhow::Context as _;
use clap::Subcommand;

use super::Context;
use super::synthesis::{Resolver, cite, cited_tallies, gather_limitations, tally_key, theme_name};
use crate::domain::Evaluation;
use crate::domain::evidence::EvidenceRef;
use crate::export::map::map_markdown;
use crate::export::report::{
    Evidence, FindingEntry, PilotAppendix, QuestionSection, ReportInput, SurveyCount, ThemeSection, brief_markdown,
    report_markdown,
};

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
    },
}

pub fn run(cmd: ExportCmd, ctx: &Context) -> anyhow::Result<()> {
    match cmd {
        ExportCmd::Report { out, brief } => {
            let text = report_text(ctx, brief)?;
            match out.as_deref() {
                None => print!("{text}"),
                Some(p) if p == Path::new("-") => print!("{text}"),
                Some(path) => {
                    super::write_file(path, &text).with_context(|| format!("cannot write {}", path.display()))?;
                    eprintln!("wrote the report to {}", path.display());
                }
            }
            Ok(())
        }
    }
}

/// The report (or brief) for the store as it is now.
pub(super) fn report_text(ctx: &Context, brief: bool) -> anyhow::Result<String> {
    let s = ctx.store.synthesis()?;
    let book = ctx.store.codebook()?;
    let evaluation: Evaluation = ctx.store.evaluation()?.unwrap_or_default();
    let all_pilots = ctx.store.pilots()?;
    let tallies = cited_tallies(ctx, &s, &all_pilots)?;
    let resolver = Resolver::load(ctx)?;
    let interviews = ctx.store.interviews()?;
    let workshops: Vec<_> = ctx.store.workshops()?.into_iter().map(|(w, _)| w).collect();
    let maps = ctx.store.maps()?;
    let objectives = ctx.store.objectives()?;
    let limitations = gather_limitations(ctx)?;

    let mut surveys = Vec::new();
    let mut stored = ctx.store.stored_surveys()?;
    stored.sort_by(|a, b| a.id.cmp(&b.id));
    stored.dedup_by(|a, b| a.id == b.id);
    for survey in stored {
        let mut respondents = 0;
        for r in ctx.store.responses_iter(&survey.id) {
            r?;
            respondents += 1;
        }
        surveys.push(SurveyCount { id: survey.id, title: survey.title, respondents });
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
                    return Evidence::Tally { citation: cite(e, &tallies, &resolver), item: it.clone() };
                }
            }
            _ => {}
        }
        Evidence::Other(cite(e, &tallies, &resolver))
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
                    missing: f.evidence.iter().filter(|e| !resolver.exists(e)).map(|e| e.label()).collect(),
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
    let appendices: Vec<PilotAppendix> = pilots
        .iter()
        .map(|p| PilotAppendix {
            pilot: p,
            map_markdown: maps
                .iter()
                .find(|m| m.pilot == p.id)
                .filter(|m| !m.nodes.is_empty() || !m.indicators.is_empty())
                .map(|m| map_markdown(p, m, &evaluation.layers, evaluation.results_from)),
            objectives: objectives.iter().filter(|o| o.pilot == p.id).collect(),
        })
        .collect();
    let input = ReportInput {
        evaluation: &evaluation,
        // The date of the last recorded change, not of the run: the same store must
        // give the same bytes on any day.
        date: ctx.store.changelog_all()?.iter().map(|e| e.at.date_naive()).max().unwrap_or(ctx.today),
        interviews: &interviews,
        surveys,
        workshops: &workshops,
        pilots: &all_pilots,
        themes,
        questions,
        recommendations: s.numbered(),
        limitations: &limitations,
        appendices,
    };
    Ok(if brief { brief_markdown(&input) } else { report_markdown(&input) })
}
