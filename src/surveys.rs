//! The survey catalogue: the instruments shipped in the repository's `surveys/` (built
//! into the binary) plus every `*.toml` in each directory given with `--surveys DIR`
//! or the config key `surveys`. Also the CSV format of responses ([`table`]).
//!
//! Loading is strict, like the config file: a file that breaks the format is an error
//! naming file, line and column, and two files defining the same survey id are an
//! error naming both, so a typo never silently picks the wrong instrument.

pub mod table;

use std::collections::{BTreeMap, HashMap};
use std::fmt;
use std::path::{Path, PathBuf};

use crate::domain::Pilot;
use crate::domain::survey::{Survey, names_match};

/// The shipped instruments: (file name in `surveys/`, text).
pub const BUILT_IN: &[(&str, &str)] = &[
    ("client-2020.toml", include_str!("../surveys/client-2020.toml")),
    ("partner-2020.toml", include_str!("../surveys/partner-2020.toml")),
    ("pulse-monthly.toml", include_str!("../surveys/pulse-monthly.toml")),
];

/// Where a catalogue instrument was read from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Source {
    /// Shipped in `surveys/`; the file name.
    BuiltIn(&'static str),
    File(PathBuf),
}

impl fmt::Display for Source {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Source::BuiltIn(name) => write!(f, "built-in surveys/{name}"),
            Source::File(path) => write!(f, "{}", path.display()),
        }
    }
}

#[derive(Debug, Clone, PartialEq)]
pub struct Entry {
    pub survey: Survey,
    pub source: Source,
}

/// Every problem found while loading survey files, one message a line; each locates
/// itself (`file:line:col: …`, or the file(s) concerned).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CatalogueError {
    pub problems: Vec<String>,
}

impl fmt::Display for CatalogueError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let n = self.problems.len();
        write!(f, "{n} problem{} in survey files:", if n == 1 { "" } else { "s" })?;
        for p in &self.problems {
            write!(f, "\n{p}")?;
        }
        Ok(())
    }
}

impl std::error::Error for CatalogueError {}

#[derive(Debug, Clone, Default, PartialEq)]
pub struct Catalogue {
    entries: Vec<Entry>,
}

/// The shipped instruments, parsed (they are tested to parse).
pub fn built_in() -> Vec<Survey> {
    BUILT_IN
        .iter()
        .map(|(name, text)| {
            Survey::parse(&format!("surveys/{name}"), text)
                .unwrap_or_else(|e| panic!("built-in survey {name} does not parse: {e:?}"))
        })
        .collect()
}

impl Catalogue {
    /// The built-in instruments and every `*.toml` in `dirs` (not recursive; files in
    /// name order). All problems are collected before failing.
    pub fn load(dirs: &[PathBuf]) -> Result<Catalogue, CatalogueError> {
        let mut entries: Vec<Entry> = built_in()
            .into_iter()
            .zip(BUILT_IN)
            .map(|(survey, (name, _))| Entry { survey, source: Source::BuiltIn(name) })
            .collect();
        let mut problems = Vec::new();
        let mut seen_dirs: Vec<&PathBuf> = Vec::new();
        for dir in dirs {
            if seen_dirs.contains(&dir) {
                continue;
            }
            seen_dirs.push(dir);
            match toml_files(dir) {
                Ok(files) => {
                    for path in files {
                        match load_file(&path) {
                            Ok(survey) => entries.push(Entry { survey, source: Source::File(path) }),
                            Err(errs) => problems.extend(errs),
                        }
                    }
                }
                Err(e) => problems.push(e),
            }
        }
        problems.extend(duplicate_ids(entries.iter().map(|e| (e.survey.id.as_str(), e.source.to_string()))));
        if problems.is_empty() { Ok(Catalogue { entries }) } else { Err(CatalogueError { problems }) }
    }

    /// Only the built-in instruments.
    pub fn built_in() -> Catalogue {
        Catalogue::load(&[]).expect("built-in surveys have distinct ids")
    }

    pub fn entries(&self) -> &[Entry] {
        &self.entries
    }

    pub fn get(&self, id: &str) -> Option<&Entry> {
        self.entries.iter().find(|e| e.survey.id == id)
    }

    pub fn ids(&self) -> Vec<&str> {
        self.entries.iter().map(|e| e.survey.id.as_str()).collect()
    }
}

/// The `*.toml` files directly in `dir`, in name order.
fn toml_files(dir: &Path) -> Result<Vec<PathBuf>, String> {
    let read = std::fs::read_dir(dir).map_err(|e| format!("{}: cannot read survey directory: {e}", dir.display()))?;
    let mut files = Vec::new();
    for entry in read {
        let path = entry.map_err(|e| format!("{}: {e}", dir.display()))?.path();
        if path.extension().is_some_and(|x| x == "toml") && path.is_file() {
            files.push(path);
        }
    }
    files.sort();
    Ok(files)
}

/// Reads and parses one survey file; errors are `file:line:col: message` lines.
pub fn load_file(path: &Path) -> Result<Survey, Vec<String>> {
    let name = path.display().to_string();
    let text = std::fs::read_to_string(path).map_err(|e| vec![format!("{name}: cannot read: {e}")])?;
    Survey::parse(&name, &text).map_err(|errs| errs.iter().map(ToString::to_string).collect())
}

/// "survey id 'x' is defined twice: in A and in B" for every id seen more than once.
fn duplicate_ids<'a>(surveys: impl Iterator<Item = (&'a str, String)>) -> Vec<String> {
    let mut by_id: BTreeMap<&str, Vec<String>> = BTreeMap::new();
    for (id, source) in surveys {
        by_id.entry(id).or_default().push(source);
    }
    by_id
        .into_iter()
        .filter(|(_, sources)| sources.len() > 1)
        .map(|(id, sources)| {
            let count = if sources.len() == 2 { "twice".to_string() } else { format!("{} times", sources.len()) };
            format!("survey id '{id}' is defined {count}: in {}", sources.join(" and in "))
        })
        .collect()
}

/// Checks survey files on their own (no store, no catalogue): each must parse, and no
/// two may share an id. Returns the surveys that parsed and every problem.
pub fn validate_files(paths: &[PathBuf]) -> (Vec<(PathBuf, Survey)>, Vec<String>) {
    let mut good = Vec::new();
    let mut problems = Vec::new();
    for path in paths {
        match load_file(path) {
            Ok(s) => good.push((path.clone(), s)),
            Err(errs) => problems.extend(errs),
        }
    }
    problems.extend(duplicate_ids(good.iter().map(|(p, s)| (s.id.as_str(), p.display().to_string()))));
    (good, problems)
}

/// Whether a response's pilot (a stored pilot id) is the pilot called `name` (an id, a
/// name or an alternative name, ignoring case) — for `tally_with` and relevance checks.
///
/// A tally asks this for every unanswered item shown only to some pilots, so each
/// pilot's names are lower-cased once here and found by id, not looked up in the
/// list and lower-cased again on every call ([`Pilot::is_called`] gives the same
/// answer).
pub fn pilot_matcher(pilots: &[Pilot]) -> impl Fn(&str, &str) -> bool + '_ {
    let mut names: HashMap<&str, Vec<String>> = HashMap::with_capacity(pilots.len());
    for p in pilots {
        // The first pilot with an id answers for it, as a search of the list would.
        names
            .entry(p.id.as_str())
            .or_insert_with(|| std::iter::once(&p.name).chain(&p.alt_names).map(|n| n.to_lowercase()).collect());
    }
    move |response_pilot: &str, name: &str| {
        response_pilot == name
            || names_match(response_pilot, name)
            || names.get(response_pilot).is_some_and(|lower| is_one_of(lower, name.trim()))
    }
}

/// Whether `query` lower-cased is one of `lower`, without allocating for ASCII.
fn is_one_of(lower: &[String], query: &str) -> bool {
    if query.is_ascii() {
        // ASCII lower-cases byte by byte, as `to_lowercase` does it.
        let same = |n: &String| {
            n.len() == query.len() && n.bytes().zip(query.bytes()).all(|(a, b)| a == b.to_ascii_lowercase())
        };
        lower.iter().any(same)
    } else {
        let query = query.to_lowercase();
        lower.contains(&query)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const TINY: &str =
        "id = \"tiny\"\ntitle = \"Tiny\"\nversion = 1\n\n[[items]]\nid = \"q\"\ntype = \"text\"\ntext = \"Q\"\n";

    #[test]
    fn the_pilot_matcher_answers_as_the_pilots_names_do() {
        let mut pilots = crate::demo::pilots();
        pilots[0].alt_names.push("ÄÄNI Työ".into());
        let mut twin = pilots[1].clone();
        twin.name = "Not the first".into();
        pilots.push(twin);
        let matches = pilot_matcher(&pilots);
        let mut queries: Vec<String> = vec!["äänI työ".into(), "  ÄÄNI TYÖ ".into(), "nobody".into(), String::new()];
        for p in &pilots {
            for n in std::iter::once(&p.name).chain(&p.alt_names) {
                queries.extend([n.clone(), n.to_uppercase(), format!(" {} ", n.to_lowercase()), format!("{n}x")]);
            }
        }
        for p in &pilots[..pilots.len() - 1] {
            for q in &queries {
                let expected = p.id == *q || names_match(&p.id, q) || p.is_called(q);
                assert_eq!(matches(&p.id, q), expected, "{} {q:?}", p.id);
            }
        }
        assert!(!matches(&pilots[1].id, "Not the first"), "the first pilot with an id answers for it");
        assert!(!matches("p-unknown", &pilots[0].name));
    }

    #[test]
    fn built_in_catalogue_has_the_shipped_instruments() {
        let c = Catalogue::built_in();
        assert_eq!(c.ids(), ["client-2020", "partner-2020", "pulse-monthly"]);
        assert_eq!(c.get("partner-2020").unwrap().source.to_string(), "built-in surveys/partner-2020.toml");
    }

    #[test]
    fn directories_add_files_and_duplicates_name_both() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join("tiny.toml"), TINY).unwrap();
        std::fs::write(dir.path().join("notes.txt"), "not a survey").unwrap();
        let c = Catalogue::load(&[dir.path().to_path_buf()]).unwrap();
        assert_eq!(c.get("tiny").unwrap().source, Source::File(dir.path().join("tiny.toml")));

        std::fs::write(dir.path().join("again.toml"), TINY).unwrap();
        std::fs::write(dir.path().join("client.toml"), TINY.replace("\"tiny\"", "\"client-2020\"")).unwrap();
        let err = Catalogue::load(&[dir.path().to_path_buf()]).unwrap_err();
        let text = err.to_string();
        assert!(text.contains("survey id 'tiny' is defined twice"), "{text}");
        assert!(text.contains("again.toml") && text.contains("tiny.toml"), "{text}");
        assert!(text.contains("built-in surveys/client-2020.toml") && text.contains("client.toml"), "{text}");
    }

    #[test]
    fn a_broken_file_is_located() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join("bad.toml"), TINY.replace("type = \"text\"", "type = \"texx\"")).unwrap();
        let err = Catalogue::load(&[dir.path().to_path_buf()]).unwrap_err();
        let path = dir.path().join("bad.toml").display().to_string();
        assert!(err.problems[0].starts_with(&format!("{path}:7:8: ")), "{err}");
        let err = Catalogue::load(&[dir.path().join("missing")]).unwrap_err();
        assert!(err.to_string().contains("cannot read survey directory"), "{err}");
    }
}
