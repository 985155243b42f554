use std::io::IsTerminal;
use std::path::PathBuf;
use std::process::ExitCode;

use anyhow::{Context as _, anyhow, bail};
use chrono::Local;
use clap::Parser;

use oppi::app::keymap::Keymap;
use oppi::app::{Action, App};
use oppi::cli::{self, Cli, Command, Context};
use oppi::config::{self, Config};
use oppi::runtime::Runtime;
use oppi::store::{Store, StoreError};
use oppi::ui::{Theme, theme};
use oppi::{demo, term};

fn main() -> ExitCode {
    match run(Cli::parse()) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("oppi: {e:#}");
            ExitCode::FAILURE
        }
    }
}

fn run(cli: Cli) -> anyhow::Result<()> {
    let (config, config_path) = Config::load(cli.config.as_deref()).map_err(|e| anyhow!(e))?;
    let store_dir = cli.store.clone().or_else(|| config.store.clone()).unwrap_or_else(config::default_store);
    if let Some(Command::Config) = cli.command {
        return show_config(&config, config_path, &store_dir);
    }
    if let Some(result) = cli.command.as_ref().and_then(cli::run_without_store) {
        return result;
    }
    let survey_dirs: Vec<PathBuf> = config.surveys.iter().chain(&cli.surveys).cloned().collect();
    let user = cli
        .user
        .clone()
        .or_else(|| config.user.clone())
        .or_else(|| std::env::var("USER").ok())
        .or_else(|| std::env::var("USERNAME").ok())
        .unwrap_or_else(|| "evaluator".into());
    // The demo lives in a temporary directory that is removed when `_demo_dir` drops.
    let _demo_dir;
    let store = if cli.demo {
        let dir = tempfile::Builder::new().prefix("oppi-demo-").tempdir()?;
        let store = Store::open(dir.path())?;
        demo::write(&store, "demo")?;
        _demo_dir = dir;
        store
    } else {
        open_store(&store_dir)?
    };
    let today = Local::now().date_naive();
    if cli.command.is_some() {
        quiet_broken_pipe();
    }
    match cli.command {
        #[cfg(feature = "ssh")]
        Some(Command::Serve(ref args)) => run_server(store, &cli, &config, args),
        Some(command) => cli::run(command, &Context { store, user, today, survey_dirs }),
        None => run_tui(store, &cli, &config, &user),
    }
}

/// What the app looks like and which keys it takes, from the command line and config.
fn look_and_keys(cli: &Cli, config: &Config) -> anyhow::Result<(Theme, Keymap)> {
    let theme_name = cli.theme.as_deref().or(config.theme.as_deref()).unwrap_or("default");
    let mut theme = Theme::load(theme_name).map_err(|e| anyhow!(e))?;
    if theme::no_color_requested() {
        theme = theme.without_color();
    }
    let mut keymap = Keymap::default_keys();
    if let Some(path) = &config.keymap {
        let text = std::fs::read_to_string(path).with_context(|| format!("keymap {}", path.display()))?;
        keymap = keymap.overlay(Keymap::parse(&path.display().to_string(), &text).map_err(|e| anyhow!(e))?);
    }
    Ok((theme, keymap))
}

fn runtime_for(store: Store, cli: &Cli, config: &Config) -> anyhow::Result<Runtime> {
    let survey_dirs: Vec<PathBuf> = config.surveys.iter().chain(&cli.surveys).cloned().collect();
    let catalogue = oppi::surveys::Catalogue::load(&survey_dirs).map_err(|e| anyhow!(e))?;
    Ok(Runtime::new(store).with_surveys(catalogue.entries().iter().map(|e| e.survey.clone()).collect()))
}

#[cfg(feature = "ssh")]
fn run_server(store: Store, cli: &Cli, config: &Config, args: &cli::ServeArgs) -> anyhow::Result<()> {
    use oppi::serve;
    let (theme, keymap) = look_and_keys(cli, config)?;
    let store_dir = store.dir().to_path_buf();
    let facilitators_file = serve::keys::facilitators_path(config.server.facilitators_file.as_deref(), &store_dir);
    for key in &args.facilitator_keys {
        let (added, changed) = serve::keys::add_facilitator(&facilitators_file, key).map_err(|e| anyhow!(e))?;
        let verb = if changed { "added" } else { "already listed:" };
        println!("facilitator {verb} {} ({})", added.name, facilitators_file.display());
    }
    let listen = args.listen.clone().unwrap_or_else(|| config.server.listen.clone());
    let listen = listen.parse().with_context(|| format!("--listen {listen}: expected ADDR:PORT, e.g. 0.0.0.0:2222"))?;
    let runtime = runtime_for(store, cli, config)?;
    // Before a room changes anything, as the app does when it opens.
    if !cli.demo {
        automatic_backup(&runtime, config.backups.keep);
    }
    let limits = config.server.clone();
    serve::serve(runtime, serve::Options { listen, store_dir, facilitators_file, limits, theme, keymap })
}

/// Opens the store; one that cannot be written is opened for reading instead, with a
/// note: lists, exports and the app work, and every save is refused with a message.
fn open_store(dir: &std::path::Path) -> anyhow::Result<Store> {
    match Store::open(dir) {
        Err(e @ (StoreError::ReadOnly { .. } | StoreError::DiskFull { .. })) if dir.join("db").is_dir() => {
            let why = match &e {
                StoreError::DiskFull { .. } => "the disk is full",
                _ => "the store cannot be written",
            };
            let store =
                Store::open_read_only(dir, why).map_err(|ro| anyhow!("{e}; a copy to read failed too: {ro}"))?;
            eprintln!("oppi: {e}\noppi: opened for reading; nothing can be saved");
            Ok(store)
        }
        other => Ok(other?),
    }
}

/// Rust ignores SIGPIPE, which turns `oppi pilot list | head` into a panic in `println!`.
/// One-shot commands take the Unix default instead: end quietly when the reader goes away.
fn quiet_broken_pipe() {
    #[cfg(unix)]
    // SAFETY: called before any thread is started; SIG_DFL is a valid disposition.
    unsafe {
        libc::signal(libc::SIGPIPE, libc::SIG_DFL);
    }
}

fn run_tui(store: Store, cli: &Cli, config: &Config, user: &str) -> anyhow::Result<()> {
    if !std::io::stdout().is_terminal() || !std::io::stdin().is_terminal() {
        bail!("the app needs a terminal; for scripts use the commands listed by `oppi --help`");
    }
    let (theme, keymap) = look_and_keys(cli, config)?;
    let location = if cli.demo {
        "demo (throwaway copy)".to_string()
    } else if store.is_read_only() {
        format!("{} (read-only)", store.dir().display())
    } else {
        store.dir().display().to_string()
    };
    let runtime = runtime_for(store, cli, config)?;
    let mut app = App::new(keymap, user, Local::now().date_naive(), &location);
    let data = runtime.load()?;
    let keep = if cli.demo { 0 } else { config.backups.keep };
    // A store without any automatic backup gets one before the first session changes it.
    if oppi::store::automatic_backups(runtime.store().dir()).is_empty() {
        automatic_backup(&runtime, keep);
    }
    term::dispatch(&mut app, &runtime, Action::Loaded(data));
    let result = term::local::run(&mut app, &runtime, &theme);
    automatic_backup(&runtime, keep);
    result
}

/// A failed automatic backup never stops the app; it is reported on the terminal.
fn automatic_backup(runtime: &Runtime, keep: usize) {
    if let Err(e) = runtime.store().write_automatic_backup(keep, Local::now().naive_local()) {
        eprintln!("oppi: automatic backup failed: {e}");
    }
}

fn show_config(config: &Config, path: Option<PathBuf>, store: &std::path::Path) -> anyhow::Result<()> {
    match path {
        Some(p) => println!("# config file: {}", p.display()),
        None => println!(
            "# no config file; oppi looks for {}",
            config::default_path().map_or("(no config directory)".into(), |p| p.display().to_string())
        ),
    }
    println!("# store: {}", store.display());
    print!("{}", toml::to_string_pretty(config)?);
    Ok(())
}
