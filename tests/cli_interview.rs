//! Interviews, the codebook and coded segments through the built binary: `oppi interview`,
//! `oppi code`, `oppi segments`. Every test runs on its own copy of the demo store in its
//! own sandbox.

mod support;

use std::path::PathBuf;
use std::process::Output;

use serde_json::Value;
use support::{Sandbox, assert_no_panic, describe};

const NAME: &str = "Maija Meikäläinen";

struct Env {
    sandbox: Sandbox,
    store: PathBuf,
}

impl Env {
    /// A sandbox with the demo evaluation written into its store.
    fn demo() -> Env {
        let sandbox = Sandbox::new();
        let store = sandbox.path("store");
        let env = Env { sandbox, store };
        env.ok(&["demo", "init"]);
        env
    }

    fn run(&self, args: &[&str]) -> Output {
        self.sandbox.oppi(["--store".as_ref(), self.store.as_os_str()]).args(args).output().expect("run oppi")
    }

    /// Asserts success; returns stdout.
    fn ok(&self, args: &[&str]) -> String {
        self.ok_both(args).0
    }

    /// Asserts success; returns stdout and stderr.
    fn ok_both(&self, args: &[&str]) -> (String, String) {
        let out = self.run(args);
        assert!(out.status.success(), "oppi {args:?} should succeed\n{}", describe(&out));
        assert_no_panic(&out);
        (String::from_utf8(out.stdout).expect("UTF-8"), String::from_utf8(out.stderr).expect("UTF-8"))
    }

    /// Asserts a clean failure ("oppi: …" on stderr, no panic); returns stderr.
    fn fail(&self, args: &[&str]) -> String {
        let out = self.run(args);
        assert!(!out.status.success(), "oppi {args:?} should fail\n{}", describe(&out));
        assert_no_panic(&out);
        let stderr = String::from_utf8(out.stderr).expect("UTF-8");
        assert!(stderr.starts_with("oppi: "), "errors start with 'oppi: ', got:\n{stderr}");
        stderr
    }

    /// Asserts that clap refuses the command line (usage error, exit 2, no panic).
    fn usage_error(&self, args: &[&str]) -> String {
        let out = self.run(args);
        assert_eq!(out.status.code(), Some(2), "oppi {args:?} is a usage error\n{}", describe(&out));
        assert_no_panic(&out);
        String::from_utf8(out.stderr).expect("UTF-8")
    }

    fn json(&self, args: &[&str]) -> Value {
        let out = self.ok(args);
        serde_json::from_str(&out).unwrap_or_else(|e| panic!("oppi {args:?} printed invalid JSON ({e}):\n{out}"))
    }

    fn list(&self, args: &[&str]) -> Vec<Value> {
        let mut all = vec!["interview", "list", "--json"];
        all.extend_from_slice(args);
        self.json(&all).as_array().expect("an array").clone()
    }

    /// Writes `notes` to a file in the sandbox and adds an interview with them; returns its id.
    fn add_interview(&self, notes: &str, extra: &[&str]) -> String {
        let file = self.sandbox.path("notes.txt");
        std::fs::write(&file, notes).unwrap();
        let mut args = vec!["interview", "add", "--pilot", "Omavalmentaja", "--role", "Client", "--round", "final"];
        args.extend_from_slice(&["--at", "2020-10-01 10:00", "--notes-file", file.to_str().unwrap()]);
        if !extra.contains(&"--context") {
            args.extend_from_slice(&["--context", "after the pilot"]);
        }
        args.extend_from_slice(extra);
        let id = self.ok(&args).trim().to_string();
        assert!(id.starts_with('i'), "interview add prints the id, got {id:?}");
        id
    }
}

fn ids(rows: &[Value]) -> Vec<String> {
    rows.iter().map(|r| r["id"].as_str().unwrap().to_string()).collect()
}

fn has_code(row: &Value, code: &str) -> bool {
    row["codes"].as_array().unwrap().iter().any(|c| c == code)
}

// ---------------------------------------------------------------------------------
// interview list / show / add

#[test]
fn list_filters_by_pilot_role_round_code_and_dates() {
    let env = Env::demo();
    let all = env.list(&[]);
    assert_eq!(all.len(), 10, "the demo has ten interviews");
    let dates: Vec<&str> = all.iter().map(|r| r["at"].as_str().unwrap()).collect();
    assert!(dates.windows(2).all(|w| w[0] <= w[1]), "oldest first: {dates:?}");

    let organisers = env.list(&["--role", "ORGANISER"]);
    let expected: Vec<&Value> = all.iter().filter(|r| r["role"] == "organiser").collect();
    assert_eq!(organisers.len(), expected.len());
    assert!(organisers.len() >= 3 && organisers.iter().all(|r| r["role"] == "organiser"));

    let finals = env.list(&["--round", "final"]);
    assert_eq!(finals.len(), all.iter().filter(|r| r["round"] == "final").count());
    assert!(!finals.is_empty());

    let aimo = env.list(&["--pilot", "AIMO"]);
    assert_eq!(aimo.len(), 2);
    assert!(
        aimo.iter().all(|r| r["pilots"].as_array().unwrap().iter().any(|p| p["name"] == "AIMO multi-sector service"))
    );

    let trust = env.list(&["--code", "#trust"]);
    assert_eq!(ids(&trust), ids(&all.iter().filter(|r| has_code(r, "trust")).cloned().collect::<Vec<_>>()));
    assert_eq!(trust.len(), 3);

    // A theme finds interviews coded only with its sub-codes (#trust, #communication).
    let theme = env.list(&["--code", "cooperation-and-partnership-models"]);
    assert!(theme.len() > trust.len());
    assert!(theme.iter().any(|r| !has_code(r, "cooperation-and-partnership-models") && has_code(r, "communication")));

    let spring = env.list(&["--from", "2020-01-01", "--to", "2020-06-30"]);
    let expected: Vec<String> = ids(&all
        .iter()
        .filter(|r| {
            let at = r["at"].as_str().unwrap();
            ("2020-01-01".."2020-07-01").contains(&at)
        })
        .cloned()
        .collect::<Vec<_>>());
    assert_eq!(ids(&spring), expected);
    assert_eq!(spring.len(), 4);
    let one_day = env.list(&["--from", "2020-03-17", "--to", "2020-03-17"]);
    assert_eq!(one_day.len(), 1, "both ends are inclusive");

    let both = env.list(&["--role", "organiser", "--round", "initial"]);
    assert!(both.iter().all(|r| r["role"] == "organiser" && r["round"] == "initial"));
    assert_eq!(both.len(), 2);

    // The text form: one line per interview with date, pilot names, role, context, codes.
    let text = env.ok(&["interview", "list", "--pilot", "p4"]);
    assert_eq!(text.lines().count(), 2, "{text}");
    for line in text.lines() {
        assert!(line.contains("Tehostettu työnvälitys") && line.contains("#results-based-procurement"), "{line}");
    }
    assert!(text.contains("2019-05-14 14:00") && text.contains("kick-off") && text.contains("3 ¶"), "{text}");
    let (out, err) = env.ok_both(&["interview", "list", "--from", "2030-01-01"]);
    assert!(out.is_empty() && err.contains("no interviews match"), "{out}{err}");
}

#[test]
fn a_name_shows_only_with_with_names() {
    let env = Env::demo();
    let id = env.add_interview(
        "> The coach knew me by name #trust\nSecond paragraph #customer-centricity",
        &["--name", NAME, "--org-type", "other", "--consent", "partial", "--interviewer", "Evaluator"],
    );

    let shown = env.ok(&["interview", "show", &id]);
    assert!(!shown.contains("Meikäläinen"), "{shown}");
    assert!(shown.contains("¶1") && shown.contains("> The coach knew me by name"), "{shown}");
    assert!(shown.contains("codes: #trust") && shown.contains("¶2"), "{shown}");
    assert!(shown.contains("client") && shown.contains("partial") && shown.contains("Omavalmentaja (p2)"), "{shown}");
    let json = env.json(&["interview", "show", &id, "--json"]);
    assert!(json.get("name").is_none(), "{json}");
    assert!(!json.to_string().contains("Meikäläinen"));
    assert_eq!(json["role"], "client", "the role takes the evaluation's spelling");
    assert_eq!(json["org_type"], "other");
    assert_eq!(json["notes_paragraphs"][0]["quote"], true);

    let with = env.ok(&["interview", "show", &id, "--with-names"]);
    assert!(with.contains(NAME), "{with}");
    assert_eq!(env.json(&["interview", "show", &id, "--json", "--with-names"])["name"], NAME);
    // Bare numbers find interviews too.
    assert_eq!(env.json(&["interview", "show", id.trim_start_matches('i'), "--json"])["id"], id.as_str());

    // Nowhere else, unless asked.
    for args in [
        vec!["interview", "list"],
        vec!["interview", "list", "--json"],
        vec!["interview", "export", &id],
        vec!["interview", "export", "--all", "--format", "txt"],
        vec!["segments", "--code", "trust", "--json"],
        vec!["segments", "--code", "trust", "--csv"],
        vec!["segments", "--code", "trust"],
    ] {
        let (out, err) = env.ok_both(&args);
        assert!(!out.contains("Meikäläinen") && !err.contains("Meikäläinen"), "{args:?} leaked the name:\n{out}");
    }
    let exported = env.ok(&["interview", "export", &id, "--with-names"]);
    assert!(exported.contains(NAME) && exported.contains("Evaluator"), "{exported}");
}

#[test]
fn add_validates_against_the_evaluations_lists() {
    let env = Env::demo();
    let before = env.list(&[]).len();
    let err = env.fail(&["interview", "add", "--pilot", "p2", "--role", "chef", "--round", "mid"]);
    assert!(
        err.contains("'chef' is not a role") && err.contains("organiser") && err.contains("service provider"),
        "{err}"
    );
    let err = env.fail(&["interview", "add", "--pilot", "p2", "--role", "client", "--round", "late"]);
    assert!(err.contains("'late' is not a round") && err.contains("initial, mid, final"), "{err}");
    let err =
        env.fail(&["interview", "add", "--pilot", "p2", "--role", "client", "--round", "mid", "--org-type", "guild"]);
    assert!(err.contains("organisation type") && err.contains("municipality"), "{err}");
    let err = env.fail(&["interview", "add", "--pilot", "Nonexistent pilot", "--role", "client", "--round", "mid"]);
    assert!(err.contains("no pilot 'Nonexistent pilot'"), "{err}");
    let err =
        env.fail(&["interview", "add", "--pilot", "p2", "--role", "client", "--round", "mid", "--at", "yesterday"]);
    assert!(err.contains("YYYY-MM-DD HH:MM"), "{err}");
    let err =
        env.fail(&["interview", "add", "--pilot", "p2", "--role", "client", "--round", "mid", "--consent", "maybe"]);
    assert!(err.contains("consent"), "{err}");
    let missing = env.sandbox.path("missing.txt");
    let err = env.fail(&[
        "interview",
        "add",
        "--pilot",
        "p2",
        "--role",
        "client",
        "--round",
        "mid",
        "--notes-file",
        missing.to_str().unwrap(),
    ]);
    assert!(err.contains("cannot read notes file"), "{err}");
    assert_eq!(env.list(&[]).len(), before, "a refused add saves nothing");

    // Several pilots, a stray tag warned about but kept.
    let file = env.sandbox.path("n.txt");
    std::fs::write(&file, "Shared desk worked #partnership-work #typo-code\n").unwrap();
    let out = env.run(&[
        "interview",
        "add",
        "--pilot",
        "AIMO",
        "--pilot",
        "p4",
        "--role",
        "partner",
        "--round",
        "mid",
        "--at",
        "2020-05-05",
        "--notes-file",
        file.to_str().unwrap(),
    ]);
    assert!(out.status.success(), "{}", describe(&out));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.contains("#typo-code is not in the codebook"), "{stderr}");
    let id = String::from_utf8_lossy(&out.stdout).trim().to_string();
    let shown = env.json(&["interview", "show", &id, "--json"]);
    let pilots: Vec<&str> = shown["pilots"].as_array().unwrap().iter().map(|p| p["id"].as_str().unwrap()).collect();
    assert_eq!(pilots, ["p7", "p4"]);
    assert_eq!(shown["at"], "2020-05-05T00:00:00");
    assert_eq!(shown["consent"], "yes");
    assert!(env.ok(&["backup", "-"]).contains(&format!("\"subject\": \"{id}\"")), "the add is in the change log");
}

// ---------------------------------------------------------------------------------
// interview export

#[test]
fn export_markdown_keeps_user_text_literal_and_cites_by_role() {
    let env = Env::demo();
    let id = env.add_interview(
        "[01:05] *Kasvu* | <script>alert(1)</script> #trust\n> We said *Kasvu* [x](y) | <b> #customer-centricity\n- not a list",
        &["--context", "at COVID-19 onset: second wave", "--name", NAME],
    );
    let md = env.ok(&["interview", "export", &id]);
    assert!(md.starts_with(&format!("# Interview {id}: client, 2020-10-01\n")), "{md}");
    assert!(md.contains("¶1 \\[01:05\\] \\*Kasvu\\* \\| \\<script\\>alert(1)\\</script\\>\n"), "{md}");
    assert!(
        md.contains("> ¶2 We said \\*Kasvu\\* \\[x\\](y) \\| \\<b\\>\n>\n> — client, at COVID-19 onset, 2020-10-01\n"),
        "{md}"
    );
    assert!(md.contains("¶3 \\- not a list"), "{md}");
    assert!(md.contains("Codes: Trust\n") && md.contains("Codes: Customer-centricity\n"), "{md}");
    assert!(md.contains("- **Context:** at COVID-19 onset: second wave\n"), "{md}");
    assert!(md.contains("- **Round:** final\n") && md.contains("- **Consent:** yes\n"), "{md}");
    assert!(!md.contains("<script>") && !md.contains("<b>") && !md.contains("Meikäläinen"), "{md}");
    assert_eq!(md, env.ok(&["interview", "export", &id]), "exports are deterministic");

    // The demo's COVID-19 quote, cited as the issue shows it.
    let all = env.ok(&["interview", "export", "--all"]);
    assert!(all.contains("> — service provider, at COVID-19 onset, 2020-03-17\n"), "{all}");
    assert_eq!(all.matches("\n# Interview ").count() + 1, 11, "every interview, one heading each");

    let out = env.sandbox.path("exports/i.md");
    std::fs::create_dir_all(out.parent().unwrap()).unwrap();
    let (stdout, stderr) = env.ok_both(&["interview", "export", &id, "--out", out.to_str().unwrap()]);
    assert!(stdout.is_empty() && stderr.contains("wrote"), "{stderr}");
    assert_eq!(std::fs::read_to_string(&out).unwrap(), md);

    let txt = env.ok(&["interview", "export", &id, "--format", "txt"]);
    assert!(txt.contains("¶1 [01:05] *Kasvu* | <script>alert(1)</script>"), "plain text stays as typed:\n{txt}");

    let err = env.fail(&["interview", "export", "i999"]);
    assert!(err.contains("no interview 'i999'"), "{err}");
    assert!(env.usage_error(&["interview", "export"]).contains("<ID>"));
    assert!(env.usage_error(&["interview", "export", &id, "--all"]).contains("cannot be used with"));
}

// ---------------------------------------------------------------------------------
// segments

#[test]
fn segments_as_csv_and_json_with_per_pilot_counts_on_stderr() {
    let env = Env::demo();
    let (json, json_err) = env.ok_both(&["segments", "--code", "cooperation-and-partnership-models", "--json"]);
    let rows: Vec<Value> = serde_json::from_str(&json).unwrap();
    assert!(rows.len() >= 8, "{json}");
    assert!(rows.iter().any(|r| has_code(r, "trust")), "sub-codes are included");
    assert!(rows.iter().all(|r| r["pilots"][0]["name"].is_string() && r["role"].is_string() && r["text"].is_string()));
    assert!(rows.iter().any(|r| r["quote"] == true && r["context"].as_str().unwrap().contains("COVID-19")));
    assert!(json_err.contains("per pilot:") && json_err.contains("AIMO multi-sector service"), "{json_err}");
    assert!(!json.contains("per pilot"));

    let (csv_text, csv_err) = env.ok_both(&["segments", "--code", "cooperation-and-partnership-models", "--csv"]);
    let mut reader = csv::Reader::from_reader(csv_text.as_bytes());
    let headers: Vec<String> = reader.headers().unwrap().iter().map(String::from).collect();
    assert_eq!(
        headers,
        [
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
            "text"
        ]
    );
    let records: Vec<csv::StringRecord> = reader.records().map(Result::unwrap).collect();
    assert_eq!(records.len(), rows.len(), "csv and json hold the same segments");
    assert_eq!(&records[0][0], rows[0]["interview"].as_str().unwrap());
    assert!(records.iter().any(|r| &r[9] == "true" && r[7].starts_with("2020-03-17")));
    assert!(!csv_text.contains("per pilot"));
    assert_eq!(csv_err, json_err, "the same count line for every format");
    let aimo: usize = records.iter().filter(|r| r[3].split("; ").any(|p| p == "p7")).count();
    assert!(csv_err.contains(&format!("AIMO multi-sector service {aimo}")), "{csv_err}");

    // One pilot only.
    let (p7, p7_err) =
        env.ok_both(&["segments", "--code", "cooperation-and-partnership-models", "--pilot", "AIMO", "--json"]);
    let p7: Vec<Value> = serde_json::from_str(&p7).unwrap();
    assert_eq!(p7.len(), aimo);
    assert!(p7_err.contains(&format!("AIMO multi-sector service {aimo}")), "{p7_err}");

    // Text form: a header naming the code, then each segment.
    let text = env.ok(&["segments", "--code", "trust"]);
    assert!(text.starts_with("#trust — Cooperation and partnership models › Trust\n"), "{text}");
    assert!(text.contains("> The relationship carried us"), "{text}");

    let (empty, empty_err) = env.ok_both(&["segments", "--code", "result-fee", "--pilot", "ICT-rekry", "--csv"]);
    assert_eq!(empty.lines().count(), 1, "just the header row: {empty}");
    assert!(empty_err.contains("0 segments"), "{empty_err}");
}

#[test]
fn learning_objectives_are_codable() {
    let env = Env::demo();
    let objectives = env.json(&["objective", "list", "--json"]);
    let first = &objectives[0];
    let oid = first["id"].as_str().unwrap();
    let question = first["question"].as_str().unwrap();
    let (_, err) = env.ok_both(&["segments", "--code", oid, "--json"]);
    assert!(err.contains("0 segments"), "an objective nobody tagged yet is still a valid code: {err}");

    let id = env.add_interview(&format!("Continuity mattered more than skill #{oid} #trust"), &[]);
    let rows: Vec<Value> = serde_json::from_str(&env.ok(&["segments", "--code", oid, "--json"])).unwrap();
    assert_eq!(rows.len(), 1);
    assert_eq!(rows[0]["interview"], id.as_str());
    let text = env.ok(&["segments", "--code", &oid.to_uppercase()]);
    assert!(text.contains(question), "the objective is named by its question:\n{text}");
    assert_eq!(env.list(&["--code", oid]).len(), 1);
    let listed = env.json(&["code", "list", "--json"]);
    let o = listed["objectives"].as_array().unwrap().iter().find(|o| o["id"] == oid).unwrap().clone();
    assert_eq!(o["count"], 1);
    let md = env.ok(&["interview", "export", &id]);
    assert!(md.contains(&format!("Codes: objective {oid}, Trust")), "{md}");
}

// ---------------------------------------------------------------------------------
// code list / add

#[test]
fn code_list_shows_the_tree_with_counts() {
    let env = Env::demo();
    let listed = env.json(&["code", "list", "--json"]);
    let codes = listed["codes"].as_array().unwrap();
    assert_eq!(codes.len(), 16, "7 themes, Lessons with 5 categories, 3 sub-codes");
    let get = |slug: &str| codes.iter().find(|c| c["slug"] == slug).unwrap_or_else(|| panic!("no {slug}"));
    let trust = get("trust");
    assert_eq!(trust["parent"], "cooperation-and-partnership-models");
    assert_eq!(trust["depth"], 1);
    assert!(trust["colour"].as_str().unwrap().starts_with('#'));
    let segs = |code: &str| -> usize {
        serde_json::from_str::<Vec<Value>>(&env.ok(&["segments", "--code", code, "--json"])).unwrap().len()
    };
    assert_eq!(trust["count"].as_u64().unwrap() as usize, segs("trust"));
    assert_eq!(trust["count"], 3);
    let theme = get("cooperation-and-partnership-models");
    assert_eq!(theme["total"].as_u64().unwrap() as usize, segs("cooperation-and-partnership-models"));
    assert!(theme["total"].as_u64() > theme["count"].as_u64());
    // Tree order: each sub-code right after its parent (or a sibling).
    let pos = |slug: &str| codes.iter().position(|c| c["slug"] == slug).unwrap();
    assert!(pos("trust") > pos("cooperation-and-partnership-models"));
    assert_eq!(pos("purchasing"), pos("lessons") + 4);

    let text = env.ok(&["code", "list"]);
    let line = text.lines().find(|l| l.trim_start().starts_with("#trust ")).expect("a #trust line");
    assert!(line.starts_with("  #trust"), "sub-codes are indented: {line:?}");
    assert!(line.contains("Trust") && line.contains(" 3 ") && line.contains("Trust between partners"), "{line}");
    assert!(text.contains("Learning objectives"), "{text}");
}

#[test]
fn code_add_commits_the_codebook_with_a_change_log_entry() {
    let env = Env::demo();
    let slug =
        env.ok(&["code", "add", "Trust in coaches", "--parent", "#Trust", "--description", "Clients and coaches"]);
    assert_eq!(slug.trim(), "trust-in-coaches");
    let listed = env.json(&["code", "list", "--json"]);
    let added = listed["codes"].as_array().unwrap().iter().find(|c| c["slug"] == "trust-in-coaches").unwrap().clone();
    assert_eq!(added["parent"], "trust");
    assert_eq!(added["depth"], 2);
    assert_eq!(added["description"], "Clients and coaches");
    assert!(env.ok(&["backup", "-"]).contains("codebook: added #trust-in-coaches (Trust in coaches) under #trust"));

    // Retrieving #trust now includes paragraphs tagged with the new sub-code.
    let before: Vec<Value> = serde_json::from_str(&env.ok(&["segments", "--code", "trust", "--json"])).unwrap();
    env.add_interview("The same coach every week #trust-in-coaches", &[]);
    let after: Vec<Value> = serde_json::from_str(&env.ok(&["segments", "--code", "trust", "--json"])).unwrap();
    assert_eq!(after.len(), before.len() + 1);

    let err = env.fail(&["code", "add", "trust in COACHES"]);
    assert!(err.contains("already has #trust-in-coaches"), "{err}");
    let err = env.fail(&["code", "add", "Loyalty", "--parent", "trst"]);
    assert!(err.contains("--parent") && err.contains("#trust"), "{err}");
    let err = env.fail(&["code", "add", "!!!"]);
    assert!(err.contains("a code needs a name"), "{err}");
    let oid = env.json(&["objective", "list", "--json"])[0]["id"].as_str().unwrap().to_string();
    let err = env.fail(&["code", "add", &oid.to_uppercase()]);
    assert!(err.contains("learning objective"), "{err}");
}

// ---------------------------------------------------------------------------------
// code export --qdc

/// One element of a parsed XML document.
#[derive(Debug)]
struct Element {
    name: String,
    attrs: Vec<(String, String)>,
    children: Vec<Element>,
    text: String,
}

impl Element {
    fn attr(&self, key: &str) -> Option<&str> {
        self.attrs.iter().find(|(k, _)| k == key).map(|(_, v)| v.as_str())
    }
}

/// Replaces the five predefined entities and numeric references; panics on a bare `&`.
fn unescape(text: &str) -> String {
    let mut out = String::new();
    let mut rest = text;
    while let Some(at) = rest.find('&') {
        out.push_str(&rest[..at]);
        let end = rest[at..].find(';').unwrap_or_else(|| panic!("a bare & in {text:?}")) + at;
        let entity = &rest[at + 1..end];
        let c = match entity {
            "amp" => '&',
            "lt" => '<',
            "gt" => '>',
            "quot" => '"',
            "apos" => '\'',
            e if e.starts_with('#') => char::from_u32(e[1..].parse().expect("decimal reference")).unwrap(),
            e => panic!("unknown entity &{e}; in {text:?}"),
        };
        out.push(c);
        rest = &rest[end + 1..];
    }
    out.push_str(rest);
    out
}

/// A strict little parser for the XML the exporter writes: a declaration, elements with
/// double-quoted attributes, text, self-closing tags. Panics on anything malformed:
/// mismatched end tags, unescaped `<` or `&`, `>` or `"` inside attribute values.
fn parse_xml(xml: &str) -> Element {
    let body = xml.strip_prefix("<?xml version=\"1.0\" encoding=\"utf-8\"?>").expect("an XML declaration first");
    let mut stack: Vec<Element> =
        vec![Element { name: "#document".into(), attrs: vec![], children: vec![], text: String::new() }];
    let mut rest = body;
    while !rest.is_empty() {
        if let Some(after) = rest.strip_prefix('<') {
            let end = after.find('>').expect("a tag ends");
            let tag = &after[..end];
            rest = &after[end + 1..];
            if let Some(name) = tag.strip_prefix('/') {
                let done = stack.pop().unwrap();
                assert_eq!(done.name, name.trim(), "end tag matches its start tag");
                stack.last_mut().unwrap().children.push(done);
                continue;
            }
            let self_closing = tag.ends_with('/');
            let tag = tag.trim_end_matches('/');
            let name_end = tag.find(char::is_whitespace).unwrap_or(tag.len());
            let mut el = Element { name: tag[..name_end].into(), attrs: vec![], children: vec![], text: String::new() };
            let mut a = tag[name_end..].trim();
            while !a.is_empty() {
                let eq = a.find("=\"").expect("attributes are key=\"value\"");
                let key = a[..eq].trim().to_string();
                let value_end = a[eq + 2..].find('"').expect("attribute value ends") + eq + 2;
                let raw = &a[eq + 2..value_end];
                assert!(!raw.contains('<') && !raw.contains('>'), "unescaped markup in attribute {key}={raw:?}");
                assert!(!raw.contains('\n'), "raw line break in attribute {key}");
                assert!(el.attrs.iter().all(|(k, _)| k != &key), "duplicate attribute {key}");
                el.attrs.push((key, unescape(raw)));
                a = a[value_end + 1..].trim_start();
            }
            if self_closing {
                stack.last_mut().unwrap().children.push(el);
            } else {
                stack.push(el);
            }
        } else {
            let end = rest.find('<').unwrap_or(rest.len());
            let text = &rest[..end];
            assert!(!text.contains('>'), "a stray > in text {text:?}");
            stack.last_mut().unwrap().text.push_str(&unescape(text));
            rest = &rest[end..];
        }
    }
    assert_eq!(stack.len(), 1, "every element is closed");
    let mut doc = stack.pop().unwrap();
    assert!(doc.text.trim().is_empty(), "no text outside the root");
    assert_eq!(doc.children.len(), 1, "one root element");
    doc.children.pop().unwrap()
}

fn is_uuid(s: &str) -> bool {
    s.len() == 36
        && s.char_indices().all(|(i, c)| if [8, 13, 18, 23].contains(&i) { c == '-' } else { c.is_ascii_hexdigit() })
}

fn is_rgb(s: &str) -> bool {
    s.len() == 7 && s.starts_with('#') && s[1..].chars().all(|c| c.is_ascii_hexdigit())
}

/// Checks every Code element against REFI-QDA Codebook 1.0 and collects
/// (name, guid, parent name) for each.
fn check_codes(codes: &[&Element], parent: Option<&str>, out: &mut Vec<(String, String, Option<String>)>) {
    for code in codes.iter().copied() {
        assert_eq!(code.name, "Code");
        let guid = code.attr("guid").expect("guid");
        assert!(is_uuid(guid), "guid {guid} is an RFC 4122 UUID");
        assert_eq!(&guid[14..15], "5", "a name-based (v5) UUID");
        let name = code.attr("name").expect("name");
        assert!(!name.is_empty());
        assert!(matches!(code.attr("isCodable"), Some("true" | "false")), "isCodable of {name}");
        assert!(code.attr("color").is_some_and(is_rgb), "color of {name}: {:?}", code.attr("color"));
        for (k, _) in &code.attrs {
            assert!(["guid", "name", "isCodable", "color"].contains(&k.as_str()), "unexpected attribute {k}");
        }
        assert!(code.text.trim().is_empty(), "no loose text in a Code");
        let mut seen_code = false;
        for child in &code.children {
            match child.name.as_str() {
                "Description" => {
                    assert!(!seen_code, "Description comes before nested codes");
                    assert!(child.children.is_empty());
                }
                "Code" => seen_code = true,
                other => panic!("unexpected <{other}> in a Code"),
            }
        }
        out.push((name.to_string(), guid.to_string(), parent.map(String::from)));
        let nested: Vec<&Element> = code.children.iter().filter(|c| c.name == "Code").collect();
        check_codes(&nested, Some(name), out);
    }
}

fn parsed_codes(xml: &str) -> Vec<(String, String, Option<String>)> {
    let root = parse_xml(xml);
    assert_eq!(root.name, "CodeBook");
    assert_eq!(root.attr("xmlns"), Some("urn:QDA-XML:codebook:1.0"));
    assert!(root.attr("origin").is_some_and(|o| o.starts_with("oppi ")));
    assert_eq!(root.children.len(), 1);
    let codes = &root.children[0];
    assert_eq!(codes.name, "Codes");
    let mut out = Vec::new();
    check_codes(&codes.children.iter().collect::<Vec<_>>(), None, &mut out);
    out
}

#[test]
fn qdc_export_is_valid_refi_qda_with_stable_guids() {
    let env = Env::demo();
    let first = env.ok(&["code", "export", "--qdc"]);
    assert_eq!(first, env.ok(&["code", "export", "--qdc"]), "two runs give the same bytes");
    let codes = parsed_codes(&first);
    let book = env.json(&["code", "list", "--json"]);
    let book = book["codes"].as_array().unwrap();
    assert_eq!(codes.len(), book.len(), "one Code per codebook entry");
    let name_of = |slug: &str| book.iter().find(|c| c["slug"] == slug).unwrap()["name"].as_str().unwrap().to_string();
    for c in book {
        let name = c["name"].as_str().unwrap();
        let (_, _, parent) = codes.iter().find(|(n, _, _)| n == name).unwrap_or_else(|| panic!("{name} missing"));
        assert_eq!(parent.clone(), c["parent"].as_str().map(name_of), "{name} nests under its parent");
    }
    let mut guids: Vec<&str> = codes.iter().map(|(_, g, _)| g.as_str()).collect();
    guids.sort_unstable();
    guids.dedup();
    assert_eq!(guids.len(), codes.len(), "GUIDs are unique");
    assert!(first.contains("<Description>Trust between partners, and between clients and staff</Description>"));

    // A tricky name is escaped, and adding a code changes no existing GUID.
    env.ok(&["code", "add", "<Trust & \"Co\">", "--parent", "trust", "--description", "it's <b> & more"]);
    let out = env.sandbox.path("codes.qdc");
    let (stdout, stderr) = env.ok_both(&["code", "export", "--qdc", "--out", out.to_str().unwrap()]);
    assert!(stdout.is_empty() && stderr.contains("wrote 17 codes"), "{stderr}");
    let second = std::fs::read_to_string(&out).unwrap();
    assert!(second.contains("name=\"&lt;Trust &amp; &quot;Co&quot;&gt;\""), "{second}");
    assert!(second.contains("<Description>it&apos;s &lt;b&gt; &amp; more</Description>"), "{second}");
    let after = parsed_codes(&second);
    assert_eq!(after.len(), codes.len() + 1);
    for (name, guid, parent) in &codes {
        assert!(after.iter().any(|(n, g, p)| n == name && g == guid && p == parent), "{name} kept its GUID");
    }
    let tricky = after.iter().find(|(n, _, _)| n == "<Trust & \"Co\">").expect("the tricky code parses back");
    assert_eq!(tricky.2.as_deref(), Some("Trust"));

    // Another store with the same codebook gives the same GUIDs.
    let other = Env::demo();
    let other_codes = parsed_codes(&other.ok(&["code", "export", "--qdc"]));
    assert_eq!(other_codes, codes);

    assert!(env.usage_error(&["code", "export"]).contains("--qdc"));
}

// ---------------------------------------------------------------------------------
// errors

#[test]
fn unknown_things_fail_cleanly_with_helpful_messages() {
    let env = Env::demo();
    let err = env.fail(&["segments", "--code", "trsut"]);
    assert!(err.contains("no code '#trsut'") && err.contains("#trust"), "{err}");
    let err = env.fail(&["segments", "--code", "zzzqqq"]);
    assert!(err.contains("no code '#zzzqqq'") && err.contains("oppi code list"), "{err}");
    let err = env.fail(&["segments", "--code", "trust", "--pilot", "Atlantis"]);
    assert!(err.contains("no pilot 'Atlantis'"), "{err}");
    env.usage_error(&["segments", "--code", "trust", "--csv", "--json"]);
    env.usage_error(&["segments"]);
    let err = env.fail(&["interview", "list", "--pilot", "Atlantis"]);
    assert!(err.contains("no pilot"), "{err}");
    let err = env.fail(&["interview", "list", "--role", "astronaut"]);
    assert!(err.contains("'astronaut' is not a role") && err.contains("organiser"), "{err}");
    let err = env.fail(&["interview", "list", "--code", "purchsing"]);
    assert!(err.contains("#purchasing"), "{err}");
    let err = env.fail(&["interview", "list", "--from", "2020-13-01"]);
    assert!(err.contains("YYYY-MM-DD"), "{err}");
    let err = env.fail(&["interview", "list", "--from", "2020-06-01", "--to", "2020-01-01"]);
    assert!(err.contains("after"), "{err}");
    let err = env.fail(&["interview", "show", "i999"]);
    assert!(err.contains("no interview 'i999'") && err.contains("oppi interview list"), "{err}");
    env.fail(&["interview", "show", ""]);
}
