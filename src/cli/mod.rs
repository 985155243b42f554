//! The command line: global options, and one-shot commands for scripts and tests.

mod code;
mod evaluation;
mod export;
mod interview;
mod map;
mod objective;
mod pilot;
mod store_cmds;
mod survey;
mod synthesis;
mod workshop;

use std::path::PathBuf;

use clap::{Parser, Subcommand};

use crate::store::Store;

const ABOUT: &str = "oppi — a terminal workbench for developmental evaluations of public-service pilots.

Run without a command to open the app on your store. Keys are shown at the bottom of every
screen; press ? for help on the screen you are on.";

const AFTER: &str = "Examples:
  oppi --demo                         explore the demo portfolio (a throwaway copy)
  oppi                                open your own store
  oppi --store ./eval-2025            open (or create) a store in ./eval-2025
  oppi pilot list --json              list pilots for a script
  oppi pilot add \"AIMO\" --region Etelä-Pohjanmaa --set planned=2000
  oppi pilot edit AIMO --set status=suspended
  oppi map export Omavalmentaja > map.md
  oppi map check AIMO
  oppi objective list --pilot p2
  oppi interview list --pilot AIMO --round final
  oppi interview export i23 > i23.md  an interview, quotes cited by role, never by name
  oppi segments --code trust --csv    every paragraph coded #trust (sub-codes too)
  oppi code export --qdc --out codes.qdc  the codebook for NVivo, ATLAS.ti, MAXQDA
  oppi survey validate my-survey.toml check a survey file (line:column of every problem)
  oppi survey import partner-2020 answers.csv --round 1
  oppi survey tally partner-2020 --by org
  oppi survey export partner-2020 --csv --out partner.csv
  oppi workshop templates             list the workshop templates and check them
  oppi workshop new --template learning-workshop --pilot AIMO --json
  oppi workshop export w12 > w12.md   agenda, tallies with n, actions, every item's fate
  oppi synthesis show                 findings by theme, numbered recommendations, conclusions
  oppi synthesis limitations          low n, pilots no survey reached, indicator gaps
  oppi export report --out report.md  the evaluation report; --brief for the steering group
  oppi serve                           run a workshop over SSH: ssh -p 2222 ROOMCODE@host
  oppi backup eval.json               the whole store as one JSON document
  oppi --store ./copy restore eval.json

The store defaults to the platform data directory (see `oppi config`); a store can be
open in one oppi process at a time.";

#[derive(Debug, Parser)]
#[command(name = "oppi", version, about = ABOUT, after_help = AFTER)]
pub struct Cli {
    /// Store directory [default: platform data directory]
    #[arg(long, global = true, env = "OPPI_STORE", value_name = "DIR")]
    pub store: Option<PathBuf>,

    /// Config file [default: platform config directory/config.toml]
    #[arg(long, global = true, value_name = "FILE")]
    pub config: Option<PathBuf>,

    /// Theme: default, light, high-contrast, or a path to a theme .toml
    #[arg(long, global = true, value_name = "NAME")]
    pub theme: Option<String>,

    /// Use a throwaway copy of the demo evaluation (deleted on exit)
    #[arg(long, global = true)]
    pub demo: bool,

    /// Name recorded in change logs [default: config `user`, then your login name]
    #[arg(long, global = true, value_name = "NAME")]
    pub user: Option<String>,

    /// A directory of survey definitions (*.toml), besides the built-in ones; repeatable
    #[arg(long = "surveys", global = true, value_name = "DIR")]
    pub surveys: Vec<PathBuf>,

    #[command(subcommand)]
    pub command: Option<Command>,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Show or create the evaluation (the portfolio being evaluated)
    #[command(subcommand)]
    Evaluation(evaluation::EvaluationCmd),
    /// List, show, add, edit and archive pilots
    #[command(subcommand)]
    Pilot(pilot::PilotCmd),
    /// Survey instruments: validate files, import and export responses, tallies
    #[command(subcommand)]
    Survey(survey::SurveyCmd),
    /// Check and export pilots' impact maps
    #[command(subcommand)]
    Map(map::MapCmd),
    /// List learning objectives and their lessons
    #[command(subcommand)]
    Objective(objective::ObjectiveCmd),
    /// List, show, add and export interviews (cited by role, never by name)
    #[command(subcommand)]
    Interview(interview::InterviewCmd),
    /// The codebook: list codes with usage counts, add codes, export for QDA software
    #[command(subcommand)]
    Code(code::CodeCmd),
    /// Every paragraph coded with a code (sub-codes included), for synthesis
    Segments(code::SegmentsArgs),
    /// Learning workshops: templates, new workshops, their record (Markdown, JSON)
    #[command(subcommand)]
    Workshop(workshop::WorkshopCmd),
    /// The synthesis: findings by theme, numbered recommendations, conclusions, matrix, limitations
    #[command(subcommand)]
    Synthesis(synthesis::SynthesisCmd),
    /// The evaluation report as Markdown (or a short steering-group brief)
    #[command(subcommand)]
    Export(export::ExportCmd),
    /// Write the whole store to one JSON file (use - for standard output)
    Backup {
        #[arg(value_name = "FILE")]
        file: PathBuf,
    },
    /// Load a backup into an empty store
    Restore {
        #[arg(value_name = "FILE")]
        file: PathBuf,
        /// Overwrite a store that already holds data
        #[arg(long)]
        replace: bool,
    },
    /// The demo evaluation
    #[command(subcommand)]
    Demo(DemoCmd),
    /// Show where oppi keeps its config and store, and the settings in effect
    Config,
    /// Serve the app over SSH: the whole room joins one workshop with `ssh`
    #[cfg(feature = "ssh")]
    #[command(after_help = SERVE_AFTER)]
    Serve(ServeArgs),
}

#[cfg(feature = "ssh")]
const SERVE_AFTER: &str = "How people connect:
  participants   ssh -p 2222 ROOMCODE@HOST     the workshop's room code is the user name;
                                               no account, any key or none (a key lets them
                                               rejoin as the same participant)
  facilitators   ssh -p 2222 you@HOST          with a key listed in the facilitators file:
                                               the whole app, several evaluators at once

The host key is made on first start in the store directory (ssh_host_ed25519_key, mode 0600)
and its fingerprint printed, so people can check what `ssh` shows them. Limits (sessions,
input rate, item length, idle timeout…) are the [server] keys of the config file (`oppi config`).

Examples:
  oppi serve --facilitator-key ~/.ssh/id_ed25519.pub    add your key, then serve on 0.0.0.0:2222
  oppi serve --listen 127.0.0.1:2200 --store ./eval-2025
  oppi --demo serve                   try it: then `ssh -p 2222 rv7q2@localhost` joins the demo's
                                      mid-term review (in Finnish; L switches language)";

#[cfg(feature = "ssh")]
#[derive(Debug, clap::Args)]
pub struct ServeArgs {
    /// Address and port to listen on [default: config server.listen, 0.0.0.0:2222]
    #[arg(long, value_name = "ADDR:PORT")]
    pub listen: Option<String>,
    /// A facilitator's public key (.pub) to add to the facilitators file; repeatable
    #[arg(long = "facilitator-key", value_name = "KEY.pub")]
    pub facilitator_keys: Vec<PathBuf>,
}

#[derive(Debug, Subcommand)]
pub enum DemoCmd {
    /// Write the demo evaluation into the (empty) store named by --store
    Init,
    /// Write a synthetic evaluation of a given size into the (empty) store: the demo,
    /// grown with generated pilots, coded interviews, survey responses and workshops
    /// with votes; the same size and seed always give the same data
    Generate {
        /// demo (the demo as it is), large (25 pilots, 300 interviews, 20,000 coded
        /// segments, 50,000 responses, 12 workshops) or huge (ten times large)
        #[arg(long, default_value = "large")]
        size: String,
        #[arg(long, default_value_t = 1)]
        seed: u64,
    },
}

/// Everything a command needs from the outside world.
pub struct Context {
    pub store: Store,
    pub user: String,
    pub today: chrono::NaiveDate,
    /// Directories of survey definitions: the config's `surveys`, then `--surveys`.
    pub survey_dirs: Vec<PathBuf>,
}

/// Runs the commands that never open the store (so they work while another oppi holds
/// it); `None` for every other command.
pub fn run_without_store(command: &Command) -> Option<anyhow::Result<()>> {
    match command {
        Command::Survey(survey::SurveyCmd::Validate { files }) => Some(survey::validate(files)),
        Command::Workshop(workshop::WorkshopCmd::Templates { validate, json }) if !validate.is_empty() => {
            Some(workshop::validate_files(validate, *json))
        }
        _ => None,
    }
}

pub fn run(command: Command, ctx: &Context) -> anyhow::Result<()> {
    match command {
        Command::Evaluation(cmd) => evaluation::run(cmd, ctx),
        Command::Pilot(cmd) => pilot::run(cmd, ctx),
        Command::Map(cmd) => map::run(cmd, ctx),
        Command::Objective(cmd) => objective::run(cmd, ctx),
        Command::Interview(cmd) => interview::run(cmd, ctx),
        Command::Code(cmd) => code::run(cmd, ctx),
        Command::Segments(args) => code::run_segments(args, ctx),
        Command::Workshop(cmd) => workshop::run(cmd, ctx),
        Command::Survey(cmd) => survey::run(cmd, ctx),
        Command::Synthesis(cmd) => synthesis::run(cmd, ctx),
        Command::Export(cmd) => export::run(cmd, ctx),
        Command::Backup { file } => store_cmds::backup(ctx, &file),
        Command::Restore { file, replace } => store_cmds::restore(ctx, &file, replace),
        Command::Demo(DemoCmd::Init) => store_cmds::demo_init(ctx),
        Command::Demo(DemoCmd::Generate { size, seed }) => store_cmds::demo_generate(ctx, &size, seed),
        Command::Config => unreachable!("handled before the store is opened"),
        #[cfg(feature = "ssh")]
        Command::Serve(_) => unreachable!("main runs the server"),
    }
}

/// Writes a file through a temporary file and a rename, so it is never half-written.
/// What is not a regular file (`/dev/null`, a pipe) is written to as it is: a rename
/// would put a regular file in its place.
fn write_file(path: &std::path::Path, text: &str) -> anyhow::Result<()> {
    use std::io::Write;
    if std::fs::metadata(path).is_ok_and(|m| !m.is_file() && !m.is_dir()) {
        std::fs::OpenOptions::new().write(true).open(path)?.write_all(text.as_bytes())?;
        return Ok(());
    }
    let dir = path.parent().filter(|p| !p.as_os_str().is_empty()).unwrap_or(std::path::Path::new("."));
    let mut tmp = tempfile::NamedTempFile::new_in(dir)?;
    tmp.write_all(text.as_bytes())?;
    // Temporary files are private (0600); an export keeps the mode of the file it
    // replaces, or gets the usual 0644.
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = std::fs::metadata(path).map_or(0o644, |m| m.permissions().mode() & 0o777);
        tmp.as_file().set_permissions(std::fs::Permissions::from_mode(mode))?;
    }
    tmp.as_file().sync_all()?;
    tmp.persist(path)?;
    Ok(())
}

/// Prints JSON with a trailing newline.
fn print_json<T: serde::Serialize>(value: &T) -> anyhow::Result<()> {
    println!("{}", serde_json::to_string_pretty(value)?);
    Ok(())
}
