//! `oppi synthesis …`: the synthesis as the report will have it — findings by theme,
//! numbered recommendations with their follow-up actions, conclusions by question —
//! plus the theme × pilot matrix and the data-limitations section.

use std::collections::BTreeMap;

use anyhow::anyhow;
use clap::Subcommand;
use serde::Serialize;

use super::{Context, print_json};
use crate::domain::codebook::Codebook;
use crate::domain::evidence::EvidenceRef;
use crate::domain::impact::ImpactMap;
use crate::domain::interview::Interview;
use crate::domain::objective::Objective;
use crate::domain::survey::LOW_N;
use crate::domain::survey::{AnswerLayout, StreamingTally, Survey, Tally, TallyFilter};
use crate::domain::synthesis::{
    Conclusion, Finding, Limitation, LimitationInput, LimitationKind, QuestionRef, Recommendation, SurveyTally,
    Synthesis, ThemeMatrix, limitations, theme_matrix,
};
use crate::domain::workshop::Workshop;
use crate::domain::{Evaluation, Id, Pilot};
use crate::export::report::{evidence_label, limitation_subject, limitation_text};
use crate::locale::Locale;
use crate::surveys::{Catalogue, pilot_matcher};

#[derive(Debug, Subcommand)]
pub enum SynthesisCmd {
    /// Findings by theme, numbered recommendations with their actions, conclusions by question
    Show {
        #[arg(long)]
        json: bool,
    },
    /// Where each theme came up: theme × pilot, from coded interviews and lessons (a map, not a ranking)
    Matrix {
        #[arg(long)]
        json: bool,
    },
    /// The data limitations: low n, pilots without survey answers, indicator gaps, special contexts
    Limitations {
        #[arg(long)]
        json: bool,
    },
    /// How many were invited to a survey, for the report's response rates: set it, clear it,
    /// or (with neither) print it
    #[command(
        after_help = "Examples:\n  oppi synthesis invited partner-2020 214\n  oppi synthesis invited partner-2020 --clear"
    )]
    Invited {
        /// The survey's id (`oppi survey list`)
        survey: String,
        /// How many were invited; at least as many as answered
        count: Option<u64>,
        /// Forget the count (the report then shows no response rate)
        #[arg(long, conflicts_with = "count")]
        clear: bool,
    },
}

pub fn run(cmd: SynthesisCmd, ctx: &Context) -> anyhow::Result<()> {
    match cmd {
        SynthesisCmd::Show { json } => show(ctx, json),
        SynthesisCmd::Matrix { json } => matrix(ctx, json),
        SynthesisCmd::Limitations { json } => limitations_cmd(ctx, json),
        SynthesisCmd::Invited { survey, count, clear } => invited(ctx, &survey, count, clear),
    }
}

fn invited(ctx: &Context, survey: &str, count: Option<u64>, clear: bool) -> anyhow::Result<()> {
    let catalogue = Catalogue::load(&ctx.survey_dirs).map_err(|e| anyhow!(e))?;
    let Some(def) = survey_def(ctx, &catalogue, survey.trim())? else {
        anyhow::bail!("no survey '{survey}': `oppi survey list` shows them");
    };
    let mut s = ctx.store.synthesis()?;
    if count.is_none() && !clear {
        match s.invited.get(&def.id) {
            Some(n) => println!("{n}"),
            None => println!("not recorded"),
        }
        return Ok(());
    }
    let mut respondents = 0;
    for r in ctx.store.responses_iter(&def.id) {
        r?;
        respondents += 1;
    }
    s.set_invited(&def.id, count, respondents).map_err(|e| anyhow!(e))?;
    let text = match count {
        Some(n) => format!("{}: {n} invited ({respondents} answered)", def.id),
        None => format!("{}: invited count cleared", def.id),
    };
    let entry = crate::domain::ChangeEntry {
        at: chrono::Utc::now(),
        who: ctx.user.clone(),
        subject: "synthesis".into(),
        what: crate::domain::ChangeWhat::Described { text: text.clone() },
    };
    ctx.store.commit(crate::domain::Changeset { synthesis: Some(s), log: vec![entry], ..Default::default() })?;
    println!("{text}");
    Ok(())
}

/// The filter of a cited tally: survey, pilot, round.
pub(super) type TallyKey = (String, Option<Id>, Option<u32>);

/// One tally the synthesis cites, computed from the stored responses.
pub(super) struct CitedTally {
    pub survey: String,
    pub title: String,
    pub pilot: Option<Id>,
    pub round: Option<u32>,
    pub tally: Tally,
}

/// The survey definition that describes stored data: the newest stored version, else
/// the catalogue's.
fn survey_def(ctx: &Context, catalogue: &Catalogue, id: &str) -> anyhow::Result<Option<Survey>> {
    Ok(match ctx.store.stored_survey(id)? {
        Some(s) => Some(s),
        None => catalogue.get(id).map(|e| e.survey.clone()),
    })
}

pub(super) fn tally_key(e: &EvidenceRef) -> Option<TallyKey> {
    match e {
        EvidenceRef::Tally { survey, pilot, round, .. } => Some((survey.clone(), pilot.clone(), *round)),
        _ => None,
    }
}

/// What the report reads from the stored survey responses, gathered in one streamed
/// pass per survey ([`survey_facts`]).
pub(super) struct SurveyFacts {
    /// Every distinct tally the findings cite, in key order.
    pub tallies: BTreeMap<TallyKey, CitedTally>,
    /// How many responses each stored survey has (with [`Counts::Also`]).
    pub respondents: BTreeMap<String, u64>,
    /// Responses per pilot id over every stored survey (with [`Counts::Also`]).
    pub per_pilot: BTreeMap<Id, u64>,
}

/// Whether [`survey_facts`] also counts responses per survey and per pilot, which
/// means reading the stored surveys no finding cites as well.
#[derive(Clone, Copy, PartialEq, Eq)]
pub(super) enum Counts {
    Also,
    No,
}

/// Every distinct tally the findings cite (by survey, pilot and round), computed the
/// way `oppi survey tally` does, in key order. Surveys that no longer exist are left
/// out: their citations show up as missing evidence instead.
pub(super) fn cited_tallies(
    ctx: &Context,
    synthesis: &Synthesis,
    pilots: &[Pilot],
) -> anyhow::Result<BTreeMap<TallyKey, CitedTally>> {
    Ok(survey_facts(ctx, synthesis, pilots, Counts::No)?.tallies)
}

/// The cited tallies ([`cited_tallies`]) and, with [`Counts::Also`], the response
/// counts of every stored survey, reading each survey's responses once: each response
/// is decoded once and handed to every tally cited for its survey.
pub(super) fn survey_facts(
    ctx: &Context,
    synthesis: &Synthesis,
    pilots: &[Pilot],
    counts: Counts,
) -> anyhow::Result<SurveyFacts> {
    let catalogue = Catalogue::load(&ctx.survey_dirs).map_err(|e| anyhow!(e))?;
    // The cited filters by survey; the survey ids in order, stored ones counted.
    let mut cited: BTreeMap<String, Vec<TallyKey>> = BTreeMap::new();
    for key in synthesis.findings.iter().flat_map(|f| &f.evidence).filter_map(tally_key) {
        let keys = cited.entry(key.0.clone()).or_default();
        if !keys.contains(&key) {
            keys.push(key);
        }
    }
    let mut ids: BTreeMap<String, bool> = cited.keys().map(|id| (id.clone(), false)).collect();
    if counts == Counts::Also {
        for s in ctx.store.stored_surveys()? {
            ids.insert(s.id, true);
        }
    }
    let mut facts = SurveyFacts { tallies: BTreeMap::new(), respondents: BTreeMap::new(), per_pilot: BTreeMap::new() };
    let matches = pilot_matcher(pilots);
    for (id, stored) in ids {
        let Some(survey) = survey_def(ctx, &catalogue, &id)? else { continue };
        let keys = cited.remove(&id).unwrap_or_default();
        let mut tallies = Vec::with_capacity(keys.len());
        for (_, pilot, round) in &keys {
            let filter = TallyFilter { pilot: pilot.clone(), round: *round, by: None };
            tallies.push(StreamingTally::new(&survey, &filter, &matches).map_err(|e| anyhow!(e))?);
        }
        let layout = AnswerLayout::new(&survey);
        let mut respondents = 0;
        for r in ctx.store.dense_responses_iter(&id, &layout) {
            let r = r?;
            for t in &mut tallies {
                t.add_dense(&r);
            }
            if stored {
                respondents += 1;
                if let Some(p) = r.pilot {
                    *facts.per_pilot.entry(p).or_default() += 1;
                }
            }
        }
        if stored {
            facts.respondents.insert(id.clone(), respondents);
        }
        for (key, tally) in keys.into_iter().zip(tallies) {
            let (survey_id, pilot, round) = key.clone();
            let cited =
                CitedTally { survey: survey_id, title: survey.title.clone(), pilot, round, tally: tally.finish() };
            facts.tallies.insert(key, cited);
        }
    }
    Ok(facts)
}

/// Everything evidence can point at, as the store holds it now.
pub(super) struct Resolver {
    interviews: Vec<Interview>,
    objectives: Vec<Objective>,
    workshops: Vec<Workshop>,
    maps: Vec<ImpactMap>,
    surveys: Vec<Survey>,
}

impl Resolver {
    pub fn load(ctx: &Context) -> anyhow::Result<Resolver> {
        let catalogue = Catalogue::load(&ctx.survey_dirs).map_err(|e| anyhow!(e))?;
        let mut surveys: Vec<Survey> = catalogue.entries().iter().map(|e| e.survey.clone()).collect();
        for s in ctx.store.stored_surveys()? {
            if !surveys.iter().any(|t| t.id == s.id) {
                surveys.push(s);
            }
        }
        Ok(Resolver {
            interviews: ctx.store.interviews()?,
            objectives: ctx.store.objectives()?,
            workshops: ctx.store.workshops()?.into_iter().map(|(w, _)| w).collect(),
            maps: ctx.store.maps()?,
            surveys,
        })
    }

    pub fn exists(&self, e: &EvidenceRef) -> bool {
        let paragraph =
            |interview: &str, n: u32| self.interviews.iter().find(|i| i.id == interview).and_then(|i| i.paragraph(n));
        match e {
            EvidenceRef::Segment { interview, paragraph: n } => paragraph(interview, *n).is_some(),
            EvidenceRef::Quote { interview, paragraph: n } => paragraph(interview, *n).is_some_and(|p| p.quote),
            EvidenceRef::Tally { survey, item, .. } => {
                self.surveys.iter().any(|s| &s.id == survey && s.item(item).is_some())
            }
            EvidenceRef::Workshop { workshop, item } => {
                self.workshops.iter().any(|w| &w.id == workshop && w.items.iter().any(|i| i.id == *item))
            }
            EvidenceRef::Indicator { pilot, indicator } => {
                self.maps.iter().any(|m| &m.pilot == pilot && m.indicators.iter().any(|i| i.id == *indicator))
            }
            EvidenceRef::Lesson { objective, lesson } => {
                self.objectives.iter().any(|o| &o.id == objective && o.lessons.iter().any(|l| l.id == *lesson))
            }
            EvidenceRef::Document { .. } => true,
        }
    }

    /// Every stored interview, in store order.
    pub fn interviews(&self) -> &[Interview] {
        &self.interviews
    }

    /// Every learning objective, in store order.
    pub fn objectives(&self) -> &[Objective] {
        &self.objectives
    }

    /// Every workshop, in store order.
    pub fn workshops(&self) -> &[Workshop] {
        &self.workshops
    }

    /// Every impact map, in store order.
    pub fn maps(&self) -> &[ImpactMap] {
        &self.maps
    }

    pub fn interview(&self, id: &str) -> Option<&Interview> {
        self.interviews.iter().find(|i| i.id == id)
    }

    pub fn survey(&self, id: &str) -> Option<&Survey> {
        self.surveys.iter().find(|s| s.id == id)
    }

    /// Evidence other than quotes and tallies, told in words for the report: the coded
    /// paragraph itself with who said it (a role), the lesson's statement, the workshop
    /// item's text, the indicator's latest value, labelled in `l`'s language. `None`
    /// when it does not resolve.
    pub fn describe(&self, l: &Locale, e: &EvidenceRef, pilots: &[Pilot]) -> Option<String> {
        let label = evidence_label(l, e);
        let name = |id: &str| pilots.iter().find(|p| p.id == id).map_or_else(|| id.to_string(), |p| p.name.clone());
        match e {
            EvidenceRef::Segment { interview, paragraph } | EvidenceRef::Quote { interview, paragraph } => {
                let i = self.interview(interview)?;
                let p = i.paragraph(*paragraph)?;
                Some(format!("{label} ({}, {}, {}): {}", i.cited_as(), i.round, i.at.date(), p.text))
            }
            EvidenceRef::Lesson { objective, lesson } => {
                let o = self.objectives.iter().find(|o| &o.id == objective)?;
                let lesson = o.lessons.iter().find(|x| x.id == *lesson)?;
                Some(format!("{label} ({}, {}): {}", name(&o.pilot), lesson.date, lesson.statement))
            }
            EvidenceRef::Workshop { workshop, item } => {
                let w = self.workshops.iter().find(|w| &w.id == workshop)?;
                let it = w.items.iter().find(|i| i.id == *item)?;
                Some(format!("{label} ({}, {}): {}", w.title, w.date, it.text))
            }
            EvidenceRef::Indicator { pilot, indicator } => {
                let m = self.maps.iter().find(|m| &m.pilot == pilot)?;
                let ind = m.indicators.iter().find(|i| i.id == *indicator)?;
                let latest = ind.latest().map_or_else(
                    || l.t("report.ev_no_values").to_string(),
                    |o| {
                        let value = crate::domain::indicator::format_value(o.value);
                        l.f("report.ev_value", &[("value", &value), ("unit", &ind.unit), ("date", &o.as_of)])
                    },
                );
                Some(format!("{label} ({}): {}, {}", name(pilot), ind.name, latest.replace("  ", " ")))
            }
            EvidenceRef::Tally { .. } | EvidenceRef::Document { .. } => None,
        }
    }
}

pub(super) fn theme_name(book: &Codebook, slug: &str) -> String {
    book.get(slug).map_or_else(|| slug.to_string(), |c| c.name.clone())
}

fn question_label(q: QuestionRef) -> String {
    match q {
        QuestionRef::Main => "Main question".into(),
        QuestionRef::Sub(i) => format!("Sub-question {}", i + 1),
    }
}

#[derive(Serialize)]
struct ThemeJson<'a> {
    theme: String,
    name: String,
    findings: Vec<FindingJson<'a>>,
}

#[derive(Serialize)]
struct FindingJson<'a> {
    #[serde(flatten)]
    finding: &'a Finding,
    /// The evidence as the report cites it (survey tallies with their n).
    cited: Vec<String>,
    /// Evidence that no longer resolves.
    missing: Vec<String>,
}

#[derive(Serialize)]
struct RecommendationJson<'a> {
    number: usize,
    #[serde(flatten)]
    recommendation: &'a Recommendation,
}

#[derive(Serialize)]
struct QuestionJson<'a> {
    question: QuestionRef,
    text: String,
    conclusions: Vec<&'a Conclusion>,
}

#[derive(Serialize)]
struct ShowJson<'a> {
    themes: Vec<ThemeJson<'a>>,
    recommendations: Vec<RecommendationJson<'a>>,
    conclusions: Vec<QuestionJson<'a>>,
    broken_links: Vec<String>,
}

/// How a piece of evidence is cited, in `l`'s language: a tally with its n, a quote
/// with the role of who said it (never a name).
pub(super) fn cite(
    l: &Locale,
    e: &EvidenceRef,
    tallies: &BTreeMap<TallyKey, CitedTally>,
    resolver: &Resolver,
) -> String {
    let label = evidence_label(l, e);
    if let (Some(key), EvidenceRef::Tally { item, .. }) = (tally_key(e), e)
        && let Some(t) = tallies.get(&key)
        && let Some(it) = t.tally.item(item)
    {
        let low = if it.n < LOW_N { l.t("report.ev_low_n") } else { "" };
        return l.f("report.ev_tally", &[("label", &label), ("n", &it.n), ("low", &low)]);
    }
    match e {
        EvidenceRef::Quote { interview, .. } | EvidenceRef::Segment { interview, .. } => {
            match resolver.interview(interview) {
                Some(i) => format!("{label} ({})", i.cited_as()),
                None => label,
            }
        }
        _ => label,
    }
}

fn show(ctx: &Context, json: bool) -> anyhow::Result<()> {
    let s = ctx.store.synthesis()?;
    let book = ctx.store.codebook()?;
    let evaluation: Evaluation = ctx.store.evaluation()?.unwrap_or_default();
    let pilots = ctx.store.pilots()?;
    let tallies = cited_tallies(ctx, &s, &pilots)?;
    let resolver = Resolver::load(ctx)?;
    let en = Locale::get("en");
    let themes: Vec<ThemeJson> = s
        .findings_by_theme(&book)
        .into_iter()
        .map(|(theme, findings)| ThemeJson {
            name: theme_name(&book, &theme),
            theme,
            findings: findings
                .into_iter()
                .map(|f| FindingJson {
                    finding: f,
                    cited: f.evidence.iter().map(|e| cite(en, e, &tallies, &resolver)).collect(),
                    missing: f.evidence.iter().filter(|e| !resolver.exists(e)).map(|e| e.label()).collect(),
                })
                .collect(),
        })
        .collect();
    let recommendations: Vec<RecommendationJson> = s
        .numbered()
        .into_iter()
        .map(|(number, recommendation)| RecommendationJson { number, recommendation })
        .collect();
    let conclusions: Vec<QuestionJson> = s
        .conclusions_by_question(&evaluation)
        .into_iter()
        .map(|g| QuestionJson { question: g.question, text: g.text, conclusions: g.conclusions })
        .collect();
    let doc = ShowJson { themes, recommendations, conclusions, broken_links: s.broken_links(&evaluation) };
    if json {
        return print_json(&doc);
    }
    print!("{}", show_text(&doc, &pilots));
    Ok(())
}

fn show_text(doc: &ShowJson, pilots: &[Pilot]) -> String {
    use std::fmt::Write as _;
    let name = |id: &str| pilots.iter().find(|p| p.id == id).map_or_else(|| id.to_string(), |p| p.name.clone());
    let mut out = String::new();
    let _ = writeln!(out, "FINDINGS");
    if doc.themes.is_empty() {
        let _ = writeln!(out, "  (none yet)");
    }
    for t in &doc.themes {
        let _ = writeln!(out, "\n{}", t.name);
        for f in &t.findings {
            let f_ = f.finding;
            let _ = writeln!(out, "  {}  [{} · {}] {}", f_.id, f_.scope.label(), f_.voice.label(), f_.what);
            if !f_.so_what.is_empty() {
                let _ = writeln!(out, "      So what: {}", f_.so_what);
            }
            if !f_.now_what.is_empty() {
                let _ = writeln!(out, "      Now what: {}", f_.now_what);
            }
            if !f_.pilots.is_empty() {
                let names: Vec<String> = f_.pilots.iter().map(|p| name(p)).collect();
                let _ = writeln!(out, "      Pilots: {}", names.join(", "));
            }
            for c in &f.cited {
                let _ = writeln!(out, "      · {c}");
            }
            for m in &f.missing {
                let _ = writeln!(out, "      ⚠ evidence not found: {m}");
            }
        }
    }
    let _ = writeln!(out, "\nRECOMMENDATIONS");
    if doc.recommendations.is_empty() {
        let _ = writeln!(out, "  (none yet)");
    }
    for r in &doc.recommendations {
        let rec = r.recommendation;
        let _ = writeln!(out, "\n  {}. {}  ({}, {} priority)", r.number, rec.text, rec.id, rec.priority.label());
        if !rec.addressee.is_empty() {
            let _ = writeln!(out, "     To: {}", rec.addressee);
        }
        if !rec.rationale.is_empty() {
            let _ = writeln!(out, "     Why: {}", rec.rationale);
        }
        if !rec.findings.is_empty() {
            let _ = writeln!(out, "     Rests on: {}", rec.findings.join(", "));
        }
        for a in &rec.actions {
            let due = a.due.map_or(String::new(), |d| format!(", due {d}"));
            let _ = writeln!(out, "     - {}  [{}] {} — {}{due}", a.id, a.status.label(), a.text, a.owner);
            if !a.note.is_empty() {
                let _ = writeln!(out, "         note: {}", a.note);
            }
        }
    }
    let _ = writeln!(out, "\nCONCLUSIONS");
    for g in &doc.conclusions {
        let text = if g.text.is_empty() { "(no longer in the evaluation)".to_string() } else { g.text.clone() };
        let _ = writeln!(out, "\n{}: {text}", question_label(g.question));
        if g.conclusions.is_empty() {
            let _ = writeln!(out, "  (no conclusion yet)");
        }
        for c in &g.conclusions {
            let based = if c.findings.is_empty() { String::new() } else { format!(" [{}]", c.findings.join(", ")) };
            let _ = writeln!(out, "  {}  {}{based}", c.id, c.text);
        }
    }
    if !doc.broken_links.is_empty() {
        let _ = writeln!(out, "\nBROKEN LINKS");
        for b in &doc.broken_links {
            let _ = writeln!(out, "  ⚠ {b}");
        }
    }
    out
}

/// The matrix over the portfolio's pilots (archived ones left out).
pub(super) fn build_matrix(ctx: &Context) -> anyhow::Result<ThemeMatrix> {
    let pilots: Vec<Pilot> = ctx.store.pilots()?.into_iter().filter(|p| !p.archived).collect();
    Ok(theme_matrix(&ctx.store.interviews()?, &ctx.store.codebook()?, &ctx.store.objectives()?, &pilots))
}

fn matrix(ctx: &Context, json: bool) -> anyhow::Result<()> {
    let m = build_matrix(ctx)?;
    if json {
        return print_json(&m);
    }
    print!("{}", m.to_text());
    println!("\ncells: coded interview paragraphs+lessons; · = did not come up. Pilots:");
    for c in &m.columns {
        println!("  {:>4}  {}", c.pilot, c.name);
    }
    Ok(())
}

/// The limitations section, from the tallies the findings cite, survey coverage per
/// pilot, the impact maps' indicators and the interviews' contexts.
pub(super) fn gather_limitations(ctx: &Context) -> anyhow::Result<Vec<Limitation>> {
    let s = ctx.store.synthesis()?;
    let pilots = ctx.store.pilots()?;
    let facts = survey_facts(ctx, &s, &pilots, Counts::Also)?;
    Ok(limitations_from(&facts, &pilots, &ctx.store.maps()?, &ctx.store.interviews()?))
}

/// [`gather_limitations`] from survey facts already gathered (with [`Counts::Also`]).
pub(super) fn limitations_from(
    facts: &SurveyFacts,
    pilots: &[Pilot],
    maps: &[ImpactMap],
    interviews: &[Interview],
) -> Vec<Limitation> {
    let survey_tallies: Vec<SurveyTally> = facts
        .tallies
        .values()
        .map(|t| SurveyTally {
            survey: &t.survey,
            title: &t.title,
            pilot: t.pilot.as_deref(),
            round: t.round,
            tally: &t.tally,
        })
        .collect();
    let responses_per_pilot: Vec<(Id, u64)> = facts.per_pilot.iter().map(|(p, n)| (p.clone(), *n)).collect();
    limitations(&LimitationInput {
        tallies: &survey_tallies,
        responses_per_pilot: &responses_per_pilot,
        pilots,
        maps,
        interviews,
    })
}

pub(super) fn kind_heading(kind: LimitationKind) -> &'static str {
    match kind {
        LimitationKind::LowN => "Few answers",
        LimitationKind::NoResponses => "Pilots no survey reached",
        LimitationKind::MissingBaselineOrTarget => "Indicators without baseline or target",
        LimitationKind::ConflictingValues => "Conflicting values",
        LimitationKind::SpecialContext => "Interviews in special circumstances",
    }
}

/// A limitation for scripts: the facts, and the sentence the English report prints.
#[derive(Serialize)]
struct LimitationJson<'a> {
    kind: LimitationKind,
    text: String,
    subject: String,
    #[serde(flatten)]
    fact: &'a crate::domain::synthesis::LimitationFact,
}

fn limitations_cmd(ctx: &Context, json: bool) -> anyhow::Result<()> {
    let list = gather_limitations(ctx)?;
    let en = Locale::get("en");
    if json {
        let out: Vec<LimitationJson> = list
            .iter()
            .map(|l| LimitationJson {
                kind: l.kind,
                text: limitation_text(en, l),
                subject: limitation_subject(en, l),
                fact: &l.fact,
            })
            .collect();
        return print_json(&out);
    }
    if list.is_empty() {
        println!("No data limitations found.");
        return Ok(());
    }
    let mut last = None;
    for l in &list {
        if last != Some(l.kind) {
            if last.is_some() {
                println!();
            }
            println!("{}", kind_heading(l.kind));
            last = Some(l.kind);
        }
        println!("  - {}  [{}]", limitation_text(en, l), limitation_subject(en, l));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn demo_ctx() -> (tempfile::TempDir, Context) {
        let dir = tempfile::tempdir().unwrap();
        let store = crate::store::Store::open(dir.path()).unwrap();
        crate::demo::write(&store, "tester").unwrap();
        let today = chrono::NaiveDate::from_ymd_opt(2020, 12, 1).unwrap();
        (dir, Context { store, user: "tester".into(), today, survey_dirs: vec![] })
    }

    #[test]
    fn show_lists_findings_by_theme_numbered_recommendations_and_every_question() {
        let (_dir, ctx) = demo_ctx();
        let s = ctx.store.synthesis().unwrap();
        let pilots = ctx.store.pilots().unwrap();
        let tallies = cited_tallies(&ctx, &s, &pilots).unwrap();
        assert!(!tallies.is_empty());
        let resolver = Resolver::load(&ctx).unwrap();
        assert!(s.missing_evidence(|e| resolver.exists(e)).is_empty());
        // A tally citation carries its n, a quote its speaker's role.
        let cited: Vec<String> = s
            .findings
            .iter()
            .flat_map(|f| &f.evidence)
            .map(|e| cite(Locale::get("en"), e, &tallies, &resolver))
            .collect();
        assert!(cited.iter().any(|c| c.contains("goals_clear") && c.contains("(n = ")), "{cited:?}");
        assert!(cited.iter().any(|c| c.starts_with("quote ") && c.contains("service provider")), "{cited:?}");
    }

    #[test]
    fn one_pass_gives_each_cited_tally_and_every_count() {
        let (_dir, ctx) = demo_ctx();
        let s = ctx.store.synthesis().unwrap();
        let pilots = ctx.store.pilots().unwrap();
        let facts = survey_facts(&ctx, &s, &pilots, Counts::Also).unwrap();
        assert!(facts.tallies.keys().any(|k| k.1.is_some() || k.2.is_some()), "filtered tallies cited");
        // Each tally as if it were computed on its own, from all the responses.
        for ((id, pilot, round), cited) in &facts.tallies {
            let survey = ctx.store.stored_survey(id).unwrap().unwrap();
            let filter = TallyFilter { pilot: pilot.clone(), round: *round, by: None };
            let alone = crate::domain::survey::tally_with(
                &survey,
                &ctx.store.responses(id).unwrap(),
                &filter,
                pilot_matcher(&pilots),
            )
            .unwrap();
            assert_eq!(cited.tally, alone, "{id} {pilot:?} {round:?}");
        }
        let mut per_pilot: BTreeMap<Id, u64> = BTreeMap::new();
        let mut ids: Vec<String> = ctx.store.stored_surveys().unwrap().into_iter().map(|s| s.id).collect();
        ids.dedup();
        for id in &ids {
            let n = ctx.store.response_count(id).unwrap() as u64;
            assert_eq!(facts.respondents.get(id), Some(&n), "{id}");
            for r in ctx.store.responses(id).unwrap() {
                if let Some(p) = r.pilot {
                    *per_pilot.entry(p).or_default() += 1;
                }
            }
        }
        assert_eq!(facts.per_pilot, per_pilot);
        // Without counts: the same tallies, nothing counted.
        let only = survey_facts(&ctx, &s, &pilots, Counts::No).unwrap();
        assert_eq!(only.tallies.len(), facts.tallies.len());
        assert!(only.respondents.is_empty() && only.per_pilot.is_empty());
    }

    #[test]
    fn limitations_come_from_the_data() {
        let (_dir, ctx) = demo_ctx();
        let list = gather_limitations(&ctx).unwrap();
        // Pilots no survey reached, and interviews at the COVID-19 onset.
        assert!(list.iter().any(|l| l.kind == LimitationKind::NoResponses), "{list:?}");
        let en = Locale::get("en");
        assert!(
            list.iter().any(|l| l.kind == LimitationKind::SpecialContext && limitation_text(en, l).contains("COVID")),
            "{list:?}"
        );
        let kinds: Vec<LimitationKind> = list.iter().map(|l| l.kind).collect();
        let mut sorted = kinds.clone();
        sorted.sort();
        assert_eq!(kinds, sorted, "grouped by kind");
    }

    #[test]
    fn the_matrix_covers_every_theme_and_active_pilot() {
        let (_dir, ctx) = demo_ctx();
        let m = build_matrix(&ctx).unwrap();
        assert!(m.row("customer-centricity").is_some_and(|r| r.central_in >= 2));
        assert!(m.columns.iter().any(|c| c.pilot == "p7"));
    }
}
