//! Crash safety: a scripted stream of writes (interviews with notes, workshop votes,
//! survey imports), each one a real `oppi` process killed with SIGKILL at a random
//! moment. After every kill the store must open, every write that was acknowledged
//! (the command exited 0) must be there, and an import is there whole or not at all.
//!
//! `OPPI_CRASH_ITERATIONS` sets the number of killed writes (default 30 for CI; the
//! README records a 200-iteration run); `OPPI_CRASH_SEED` replays a run.

mod support;

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};
use std::process::{Child, Stdio};
use std::time::{Duration, Instant};

use oppi::store::Store;
use support::StoreEnv;

struct Lcg(u64);

impl Lcg {
    fn below(&mut self, n: u64) -> u64 {
        self.0 = self.0.wrapping_mul(6364136223846793005).wrapping_add(1442695040888963407);
        (self.0 >> 33) % n.max(1)
    }
}

#[derive(Clone, Copy, PartialEq, Eq, Debug)]
enum Op {
    Interview,
    Vote,
    Import,
}

/// Respondents per imported file: odd batches are small (one sled batch), even ones
/// larger than the store's import chunk, so the rollback of an unfinished import is
/// exercised too.
fn rows(n: usize) -> usize {
    if n % 2 == 1 { 4 } else { oppi::store::IMPORT_CHUNK * 5 / 2 }
}

struct Script {
    env: StoreEnv,
    workshop: String,
    surveys: PathBuf,
    notes: PathBuf,
    /// What acknowledged writes put in the store: interview contexts, participants,
    /// import batches.
    interviews: BTreeSet<String>,
    joins: BTreeSet<String>,
    imports: BTreeSet<usize>,
}

impl Script {
    fn new() -> Script {
        let env = StoreEnv::demo();
        let created = env.json(&["workshop", "new", "--template", "learning-workshop", "--json"]);
        let workshop = created["id"].as_str().expect("a workshop id").to_string();
        let surveys = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/surveys");
        let notes = env.sandbox.path("notes.txt");
        let mut text = String::new();
        for i in 0..200 {
            text.push_str(&format!("[00:{:02}] Paragraph {i}: the coach met the client weekly. #trust\n", i % 60));
        }
        std::fs::write(&notes, text).unwrap();
        Script {
            env,
            workshop,
            surveys,
            notes,
            interviews: BTreeSet::new(),
            joins: BTreeSet::new(),
            imports: BTreeSet::new(),
        }
    }

    fn spawn(&self, op: Op, n: usize) -> Child {
        let store = self.env.store.to_str().unwrap().to_string();
        let args: Vec<String> = match op {
            Op::Interview => vec![
                "interview".into(),
                "add".into(),
                "--pilot".into(),
                "p2".into(),
                "--role".into(),
                "organiser".into(),
                "--round".into(),
                "initial".into(),
                "--context".into(),
                format!("crash-{n}"),
                "--notes-file".into(),
                self.notes.to_str().unwrap().into(),
            ],
            Op::Vote => vec![
                "workshop".into(),
                "apply".into(),
                self.workshop.clone(),
                "--as".into(),
                format!("k{n}"),
                "--json-command".into(),
                format!(r#"{{"cmd":"join","participant":"k{n}","role":"partner","org_type":"company"}}"#),
            ],
            Op::Import => {
                let csv = self.env.sandbox.path(&format!("batch-{n}.csv"));
                let mut text = String::from("respondent,pilot,round,org,goals_clear\n");
                for r in 0..rows(n) {
                    text.push_str(&format!("n{n}r{r},Omavalmentaja,1,Company,{}\n", 1 + r % 5));
                }
                std::fs::write(&csv, text).unwrap();
                vec!["survey".into(), "import".into(), "mini".into(), csv.to_str().unwrap().into()]
            }
        };
        self.env
            .sandbox
            .oppi(["--store", &store, "--surveys", self.surveys.to_str().unwrap()])
            .args(&args)
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .expect("start oppi")
    }

    fn acknowledge(&mut self, op: Op, n: usize) {
        match op {
            Op::Interview => self.interviews.insert(format!("crash-{n}")),
            Op::Vote => self.joins.insert(format!("k{n}")),
            Op::Import => self.imports.insert(n),
        };
    }

    /// Opens the store the way oppi does and checks every acknowledged write.
    fn check(&self, after: &str) {
        let store = Store::open(&self.env.store).unwrap_or_else(|e| panic!("after {after}: the store must open: {e}"));
        let contexts: BTreeSet<String> = store.interviews().unwrap().into_iter().map(|i| i.context).collect();
        for c in &self.interviews {
            assert!(contexts.contains(c), "after {after}: acknowledged interview {c} is missing");
        }
        for i in store.interviews().unwrap().into_iter().filter(|i| i.context.starts_with("crash-")) {
            assert_eq!(i.paragraphs().len(), 200, "after {after}: interview {} is torn", i.context);
        }
        let (w, _) = store.workshop(&self.workshop).unwrap().expect("the workshop");
        for j in &self.joins {
            assert!(w.participants.contains_key(j), "after {after}: acknowledged join {j} is missing");
        }
        let mut batches: std::collections::BTreeMap<usize, usize> = Default::default();
        for r in store.responses("mini").unwrap_or_default() {
            let who = r.respondent.unwrap_or_default();
            let n: usize = who.trim_start_matches('n').split('r').next().unwrap().parse().unwrap();
            *batches.entry(n).or_default() += 1;
        }
        for (n, rows) in &batches {
            assert_eq!(*rows, self::rows(*n), "after {after}: import {n} is partly stored");
        }
        for n in &self.imports {
            assert!(batches.contains_key(n), "after {after}: acknowledged import {n} is missing");
        }
    }
}

fn env_number(name: &str, default: u64) -> u64 {
    std::env::var(name).ok().and_then(|v| v.parse().ok()).unwrap_or(default)
}

#[test]
fn sigkill_at_random_points_loses_no_acknowledged_write() {
    let iterations = env_number("OPPI_CRASH_ITERATIONS", 30) as usize;
    let seed = env_number(
        "OPPI_CRASH_SEED",
        std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).unwrap().as_millis() as u64,
    );
    eprintln!("crash loop: {iterations} iterations, OPPI_CRASH_SEED={seed}");
    let mut rng = Lcg(seed);
    let mut script = Script::new();
    // How long each kind of write takes when left alone: kill points are spread over it.
    let mut full = [Duration::ZERO; 3];
    let ops = [Op::Interview, Op::Vote, Op::Import];
    for (k, op) in ops.iter().enumerate() {
        let mut runs = Vec::new();
        for r in 0..3 {
            let n = 1_000_000 + k * 10 + r;
            let start = Instant::now();
            let out = script.spawn(*op, n).wait_with_output().unwrap();
            assert!(out.status.success(), "{op:?}: {}", support::describe(&out));
            runs.push(start.elapsed());
            script.acknowledge(*op, n);
        }
        runs.sort();
        full[k] = runs[1];
    }
    eprintln!("crash loop: undisturbed runs take {full:?} (interview, vote, import)");
    let (mut killed, mut finished) = (0, 0);
    for n in 0..iterations {
        let k = rng.below(3) as usize;
        let op = ops[k];
        // Anywhere from start-up to well after the usual end, so that some runs finish.
        let at = Duration::from_micros(rng.below(full[k].as_micros() as u64 * 3 / 2 + 1));
        let mut child = script.spawn(op, n);
        // The kill point is the experiment's input, not a wait for an event.
        std::thread::sleep(at);
        let _ = child.kill(); // SIGKILL; fails only if it already ended
        let out = child.wait_with_output().unwrap();
        support::assert_no_panic(&out);
        if out.status.success() {
            finished += 1;
            script.acknowledge(op, n);
        } else {
            assert_eq!(
                std::os::unix::process::ExitStatusExt::signal(&out.status),
                Some(9),
                "{op:?} {n} failed without being killed: {}",
                support::describe(&out)
            );
            killed += 1;
        }
        script.check(&format!("{op:?} {n} killed after {at:?} (OPPI_CRASH_SEED={seed})"));
    }
    eprintln!("crash loop: {killed} killed, {finished} finished; every acknowledged write found");
    assert!(iterations < 10 || killed > 0, "no run was killed: the kill points are too late");
}
