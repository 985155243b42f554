//! Writes a 30-item survey definition and a CSV of generated responses to it, for the
//! survey benchmarks and the memory figure:
//!
//! ```sh
//! cargo run --release --example gen_survey_csv -- /tmp/bench 100000
//! oppi --store /tmp/bench/store --surveys /tmp/bench demo init   # pilots for the pilot column
//! oppi --store /tmp/bench/store --surveys /tmp/bench survey import bench-30 /tmp/bench/bench-30.csv
//! oppi --store /tmp/bench/store --surveys /tmp/bench survey tally bench-30 --by org
//! ```
//!
//! Every row respects the survey's skip logic, rounds and required items, so the whole
//! file imports. The generator is deterministic (an LCG): same rows on every machine.
//! `benches/surveys.rs` includes this file as a module.

#![allow(dead_code)]

use std::fmt::Write as _;

pub const SURVEY_ID: &str = "bench-30";

/// The instrument: 30 items of every type, with skip logic and round-only items.
pub fn survey_toml() -> String {
    let mut t = String::from(
        "id = \"bench-30\"\ntitle = \"Benchmark survey (30 items)\"\nversion = 1\n\n\
         [scales.agree5]\npoints = [\n  { value = 1, label = \"Strongly disagree\" },\n  { value = 2, label = \"Disagree\" },\n  \
         { value = 3, label = \"Neither\" },\n  { value = 4, label = \"Agree\" },\n  { value = 5, label = \"Strongly agree\" },\n]\n\
         dont_know = \"Can't say\"\n\n\
         [scales.zero10]\npoints = [",
    );
    for v in 0..=10 {
        let _ = write!(t, "{{ value = {v}, label = \"{v}\" }}, ");
    }
    t.push_str("]\n\n");
    let item = |t: &mut String, body: &str| {
        t.push_str("[[items]]\n");
        t.push_str(body);
        t.push_str("\n\n");
    };
    item(
        &mut t,
        "id = \"org\"\ntype = \"single\"\ntext = \"Organisation type\"\n\
         choices = [\"TE office\", \"Municipality\", \"Company\", \"Service provider\"]\nother = true\nrequired = true",
    );
    item(
        &mut t,
        "id = \"role\"\ntype = \"multi\"\ntext = \"Roles\"\nmax = 3\nother = true\n\
         choices = [\"planning\", \"steering\", \"delivery\", \"referral\", \"employer\", \"funding\"]",
    );
    for i in 1..=18 {
        item(&mut t, &format!("id = \"q{i:02}\"\ntype = \"scale\"\nscale = \"agree5\"\ntext = \"Statement {i}\""));
    }
    item(
        &mut t,
        "id = \"motivation\"\ntype = \"scale\"\nscale = \"zero10\"\ntext = \"Motivation 0–10\"\nrequired = true",
    );
    item(&mut t, "id = \"nps\"\ntype = \"nps\"\ntext = \"Would you recommend?\"");
    item(&mut t, "id = \"hours\"\ntype = \"number\"\ntext = \"Hours a month\"\nmin = 0\nmax = 200\ninteger = true");
    item(
        &mut t,
        "id = \"result\"\ntype = \"single\"\ntext = \"Results vs expectations\"\n\
         choices = [{ code = \"better\", label = \"Better\" }, { code = \"as\", label = \"As expected\" }, { code = \"worse\", label = \"Worse\" }]",
    );
    item(&mut t, "id = \"why\"\ntype = \"text\"\ntext = \"What fell short?\"\nrelevant = \"result == 'worse'\"");
    item(
        &mut t,
        "id = \"employers\"\ntype = \"scale\"\nscale = \"agree5\"\ntext = \"Employers' needs met\"\n\
         relevant = \"org == 'Company' or org == 'TE office'\"",
    );
    item(&mut t, "id = \"followup1\"\ntype = \"scale\"\nscale = \"agree5\"\ntext = \"Round 2 only\"\nrounds = [2]");
    item(
        &mut t,
        "id = \"followup2\"\ntype = \"single\"\ntext = \"Situation now\"\nrounds = [2]\n\
         choices = [\"employed\", \"training\", \"jobseeker\", \"outside\"]",
    );
    item(
        &mut t,
        "id = \"followup3\"\ntype = \"number\"\ntext = \"Hours a week\"\nrounds = [2]\nmin = 1\nmax = 80\n\
         relevant = \"followup2 == 'employed'\"",
    );
    item(&mut t, "id = \"comment\"\ntype = \"text\"\ntext = \"Anything else?\"");
    t
}

struct Lcg(u64);

impl Lcg {
    fn below(&mut self, n: usize) -> usize {
        self.0 = self.0.wrapping_mul(6364136223846793005).wrapping_add(1442695040888963407);
        ((self.0 >> 33) as usize) % n.max(1)
    }

    fn chance(&mut self, percent: usize) -> bool {
        self.below(100) < percent
    }
}

/// `rows` responses as CSV, spread over `pilots` (names) and rounds 1–2.
pub fn csv(rows: usize, pilots: &[String]) -> String {
    let mut rng = Lcg(30);
    let mut out = String::with_capacity(rows * 90);
    out.push_str("respondent,pilot,round,org,role");
    for i in 1..=18 {
        let _ = write!(out, ",q{i:02}");
    }
    out.push_str(",motivation,nps,hours,result,why,employers,followup1,followup2,followup3,comment\n");
    let orgs = ["TE office", "Municipality", "Company", "Service provider", "Kela"];
    let roles = ["planning", "steering", "delivery", "referral", "employer", "funding"];
    for r in 0..rows {
        let round = 1 + r % 2;
        // A respondent answers once per round: the same code in both rounds.
        let _ = write!(out, "R{:06},{},{round}", r / 2, pilots[rng.below(pilots.len())]);
        let org = orgs[rng.below(orgs.len())];
        let _ = write!(out, ",{org}");
        let picks: Vec<&str> = roles.iter().copied().filter(|_| rng.chance(30)).take(3).collect();
        let _ = write!(out, ",{}", picks.join(";"));
        for _ in 0..18 {
            match rng.below(20) {
                0 => out.push(','),
                1 | 2 => out.push_str(",Can't say"),
                v => {
                    let _ = write!(out, ",{}", 1 + v % 5);
                }
            }
        }
        let _ = write!(out, ",{},{}", rng.below(11), rng.below(11));
        if rng.chance(90) {
            let _ = write!(out, ",{}", rng.below(120));
        } else {
            out.push(',');
        }
        let result = ["better", "as", "worse"][rng.below(3)];
        let _ = write!(out, ",{result}");
        if result == "worse" && rng.chance(70) {
            out.push_str(",Fewer clients were referred than planned");
        } else {
            out.push(',');
        }
        if matches!(org, "Company" | "TE office") {
            let _ = write!(out, ",{}", 1 + rng.below(5));
        } else {
            out.push(',');
        }
        if round == 2 {
            let now = ["employed", "training", "jobseeker", "outside"][rng.below(4)];
            let _ = write!(out, ",{},{now}", 1 + rng.below(5));
            if now == "employed" {
                let _ = write!(out, ",{}", 8 + rng.below(33));
            } else {
                out.push(',');
            }
        } else {
            out.push_str(",,,");
        }
        out.push_str(if rng.chance(10) { ",\"Thanks, this helped\"\n" } else { ",\n" });
    }
    out
}

fn main() {
    let mut args = std::env::args().skip(1);
    let dir = std::path::PathBuf::from(args.next().unwrap_or_else(|| ".".into()));
    let rows: usize = args.next().map_or(100_000, |n| n.parse().expect("ROWS is a number"));
    std::fs::create_dir_all(&dir).expect("output directory");
    let pilots: Vec<String> = oppi::demo::pilots().into_iter().map(|p| p.name).collect();
    std::fs::write(dir.join(format!("{SURVEY_ID}.toml")), survey_toml()).expect("write the survey");
    let path = dir.join(format!("{SURVEY_ID}.csv"));
    std::fs::write(&path, csv(rows, &pilots)).expect("write the CSV");
    eprintln!("wrote {} and {} ({rows} responses)", dir.join(format!("{SURVEY_ID}.toml")).display(), path.display());
}
