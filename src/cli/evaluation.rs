use anyhow::{anyhow, bail};
use chrono::Utc;
use clap::Subcommand;

use super::{Context, print_json};
use crate::domain::{ChangeEntry, ChangeWhat, Changeset, Evaluation, EvaluationField};

#[derive(Debug, Subcommand)]
pub enum EvaluationCmd {
    /// Show the evaluation: commissioner, questions, themes, phases
    Show {
        #[arg(long)]
        json: bool,
    },
    /// Create the evaluation in an empty store
    New {
        #[arg(long)]
        title: String,
        #[arg(long, default_value = "")]
        commissioner: String,
        #[arg(long, default_value = "")]
        question: String,
    },
    /// Change fields as key=value (title, commissioner, evaluators, main-question,
    /// sub-questions, themes; lists separated by ;)
    Edit {
        #[arg(long = "set", value_name = "KEY=VALUE", required = true)]
        set: Vec<String>,
    },
}

pub fn run(cmd: EvaluationCmd, ctx: &Context) -> anyhow::Result<()> {
    let current = ctx.store.evaluation()?;
    let entry = |what| ChangeEntry { at: Utc::now(), who: ctx.user.clone(), subject: "evaluation".into(), what };
    match cmd {
        EvaluationCmd::Show { json } => {
            let Some(e) = current else {
                bail!(
                    "no evaluation in {} yet: create one with `oppi evaluation new --title …`",
                    ctx.store.dir().display()
                )
            };
            if json {
                return print_json(&e);
            }
            print(&e, ctx.today);
            Ok(())
        }
        EvaluationCmd::New { title, commissioner, question } => {
            if current.is_some() {
                bail!("this store already has an evaluation; change it with `oppi evaluation edit`");
            }
            let mut e = Evaluation::default();
            for (f, v) in [
                (EvaluationField::Title, &title),
                (EvaluationField::Commissioner, &commissioner),
                (EvaluationField::MainQuestion, &question),
            ] {
                e.set_field(f, v).map_err(|m| anyhow!(m))?;
            }
            ctx.store.commit(Changeset {
                evaluation: Some(e),
                log: vec![entry(ChangeWhat::Created)],
                ..Default::default()
            })?;
            eprintln!("created evaluation '{title}'");
            Ok(())
        }
        EvaluationCmd::Edit { set } => {
            let mut e = current.ok_or_else(|| anyhow!("no evaluation yet: create one with `oppi evaluation new`"))?;
            let mut changes = Vec::new();
            for s in &set {
                let (key, value) = s.split_once('=').ok_or_else(|| anyhow!("--set {s}: expected KEY=VALUE"))?;
                let field = EvaluationField::from_key(key).ok_or_else(|| anyhow!("--set {s}: unknown key '{key}'"))?;
                changes.extend(e.set_field(field, value).map_err(|m| anyhow!("--set {s}: {m}"))?);
            }
            let in_use = ctx.store.maps()?.iter().flat_map(|m| m.nodes.iter().map(|n| n.layer)).max();
            e.check_layers(in_use).map_err(|m| anyhow!(m))?;
            if changes.is_empty() {
                eprintln!("nothing changed");
                return Ok(());
            }
            let log = vec![entry(ChangeWhat::Edited { changes })];
            ctx.store.commit(Changeset { evaluation: Some(e), log, ..Default::default() })?;
            Ok(())
        }
    }
}

fn print(e: &Evaluation, today: chrono::NaiveDate) {
    println!("{}", e.title);
    println!("  Commissioner   {}", e.commissioner);
    println!("  Evaluators     {}", e.evaluators.join(", "));
    println!("  Main question  {}", e.main_question);
    for (i, q) in e.sub_questions.iter().enumerate() {
        println!("  Sub-question {}  {q}", i + 1);
    }
    println!("  Themes         {}", e.themes.join("; "));
    for p in &e.phases {
        let now = if e.phase_on(today) == Some(p) { "  ◂ now" } else { "" };
        println!("  Phase          {} … {}  {}{now}", p.start, p.end, p.name);
    }
}
