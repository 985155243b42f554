//! The one place benchmarks get their evaluations: `oppi::demo::synthetic` at a named
//! size and a fixed seed, written into cargo's target temp directory and reused by later
//! runs of the same bench build (a finished store is marked `complete`; a half-written
//! one, or one older than the running bench executable, whose generator may have
//! changed, is written again).

#![allow(dead_code)]

use std::path::PathBuf;
use std::time::Instant;

use oppi::demo::synthetic::{self, Size};
use oppi::store::Store;

/// Every benchmark's data comes from this seed.
pub const SEED: u64 = 2020;

/// Part of the directory name; bumped when the store layout changes incompatibly.
const GENERATION: u32 = 1;

/// The size benchmarks run at: `OPPI_BENCH_SIZE` (demo, large, huge), default large.
pub fn size_name() -> String {
    std::env::var("OPPI_BENCH_SIZE").unwrap_or_else(|_| "large".into())
}

/// A closed store holding the synthetic evaluation of `size` (demo, large, huge).
pub fn evaluation(size: &str) -> PathBuf {
    let dir = PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join(format!("oppi-bench-{size}-seed{SEED}-g{GENERATION}"));
    let modified = |p: &std::path::Path| std::fs::metadata(p).and_then(|m| m.modified()).ok();
    let built = std::env::current_exe().ok().and_then(|exe| modified(&exe));
    if let (Some(done), Some(built)) = (modified(&dir.join("complete")), built)
        && done >= built
    {
        return dir;
    }
    let _ = std::fs::remove_dir_all(&dir);
    let started = Instant::now();
    let store = Store::open(&dir).expect("open a bench store");
    let written = synthetic::write(&store, "bench", Size::named(size).expect("a size name"), SEED).expect("generate");
    drop(store);
    std::fs::write(dir.join("complete"), format!("{written:?}\n")).unwrap();
    eprintln!("generated the {size} evaluation in {:.1} s: {written:?}", started.elapsed().as_secs_f64());
    dir
}

/// From a closed store on disk to the first frame drawn (80×24): what a user waits for.
pub fn open_to_first_frame(
    dir: &std::path::Path,
    theme: &oppi::ui::Theme,
    today: chrono::NaiveDate,
) -> ratatui::Terminal<ratatui::backend::TestBackend> {
    use oppi::app::{Action, App, keymap::Keymap, update};
    let runtime = oppi::runtime::Runtime::new(Store::open(dir).unwrap());
    let mut app = App::new(Keymap::default_keys(), "bench", today, "bench");
    update(&mut app, Action::Loaded(runtime.load().unwrap()));
    let mut terminal = ratatui::Terminal::new(ratatui::backend::TestBackend::new(80, 24)).unwrap();
    terminal.draw(|f| oppi::ui::render(f, &app, theme)).unwrap();
    terminal
}
