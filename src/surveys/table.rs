//! Responses as CSV: one row per respondent, a header row naming the columns.
//!
//! Columns: optional `respondent`, `pilot` (a pilot's name, alternative name or id),
//! `round` (1, 2, …) and `submitted` (a date or an RFC 3339 time), then one column per
//! item id. Cells follow `Survey::parse_cell`. Text is UTF-8, with or without a BOM;
//! the delimiter (`,` or `;`) is read off the header line.
//!
//! A survey may have an item whose id is also a column name (the partner survey asks
//! "which pilot?" as item `pilot`). Then the header holds the name twice: the first
//! column is the respondent's pilot, the second the item. Named once, it is the item.
//!
//! Reading is all or nothing: [`read`] returns every problem, each with its line in the
//! file (the header is line 1) and its column, or the responses when there are none.
//! [`read_each`] does the same one row at a time, for files too large to hold as
//! `Response`s (an import keeps only each row's stored bytes).

use std::collections::{HashMap, HashSet};
use std::fmt;

use crate::domain::Pilot;
use crate::domain::pilot::find;
use crate::domain::survey::{Item, Relevance, Response, Survey};
use crate::store::{describe_identity, response_identity};

pub const RESPONDENT: &str = "respondent";
pub const PILOT: &str = "pilot";
pub const ROUND: &str = "round";
pub const SUBMITTED: &str = "submitted";
const META: [&str; 4] = [RESPONDENT, PILOT, ROUND, SUBMITTED];

/// One thing wrong with a CSV file: `line 4 (respondent r3), column goals_clear: …`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Problem {
    /// Line in the file where the row starts; the header is line 1.
    pub line: u64,
    pub respondent: Option<String>,
    pub column: Option<String>,
    pub message: String,
}

impl fmt::Display for Problem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "line {}", self.line)?;
        if let Some(r) = &self.respondent {
            write!(f, " (respondent {r})")?;
        }
        if let Some(c) = &self.column {
            write!(f, ", column {c}")?;
        }
        write!(f, ": {}", self.message)
    }
}

/// Values for rows that lack a `pilot` or `round` cell (`--pilot`, `--round`). A row
/// whose own cell says otherwise is a problem, not silently overridden.
#[derive(Debug, Clone, Copy, Default)]
pub struct Defaults<'a> {
    pub pilot: Option<&'a Pilot>,
    pub round: Option<u32>,
}

#[derive(Debug, Clone, Copy, PartialEq)]
enum Column<'s> {
    Meta(&'static str),
    Item(&'s Item),
    /// A nameless column; fine while all its cells are empty.
    Blank,
    /// A column already reported as a problem on line 1; its cells are not read.
    Reported,
}

/// Reads `bytes` as responses to `survey`. `pilots` resolves the `pilot` column;
/// `stored` are the responses already in the store (a respondent answers once per
/// round). Every problem is returned, in file order.
pub fn read(
    survey: &Survey,
    bytes: &[u8],
    pilots: &[Pilot],
    defaults: Defaults,
    stored: &[Response],
) -> Result<Vec<Response>, Vec<Problem>> {
    struct Collect<'r> {
        stored: HashSet<(&'r str, Option<u32>)>,
        responses: Vec<Response>,
    }
    impl Rows for Collect<'_> {
        fn is_stored(&self, respondent: &str, round: Option<u32>) -> bool {
            self.stored.contains(&(respondent, round))
        }
        fn accept(&mut self, response: Response) {
            self.responses.push(response);
        }
    }
    let mut rows = Collect { stored: stored.iter().filter_map(response_identity).collect(), responses: Vec::new() };
    read_each(survey, bytes, pilots, defaults, &mut rows)?;
    Ok(rows.responses)
}

/// Where [`read_each`] sends the rows it reads: an import (`store::ResponseImport`)
/// or, for [`read`], a list.
pub trait Rows {
    /// Whether the store already holds an answer from `respondent` in `round` (a
    /// respondent answers once per round).
    fn is_stored(&self, respondent: &str, round: Option<u32>) -> bool;
    /// One good row, in file order.
    fn accept(&mut self, response: Response);
}

impl Rows for crate::store::ResponseImport<'_> {
    fn is_stored(&self, respondent: &str, round: Option<u32>) -> bool {
        crate::store::ResponseImport::is_stored(self, respondent, round)
    }

    fn accept(&mut self, response: Response) {
        self.add(&response);
    }
}

/// [`read`] one row at a time, for files too large to hold as `Response`s: `rows`
/// gets each good row's response as long as no problem has been found; after the
/// first problem the remaining rows are still checked, for the list of problems, but
/// no longer handed over (the file will not be imported). Returns how many responses
/// were handed over, or every problem.
pub fn read_each(
    survey: &Survey,
    bytes: &[u8],
    pilots: &[Pilot],
    defaults: Defaults,
    rows: &mut impl Rows,
) -> Result<usize, Vec<Problem>> {
    let problem = |line: u64, message: String| Problem { line, respondent: None, column: None, message };
    let text = match std::str::from_utf8(bytes) {
        Ok(t) => t,
        Err(e) => {
            let line = bytes[..e.valid_up_to()].iter().filter(|b| **b == b'\n').count() as u64 + 1;
            return Err(vec![problem(line, "not UTF-8 text; save the file as CSV in UTF-8".into())]);
        }
    };
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let mut reader = csv::ReaderBuilder::new()
        .delimiter(detect_delimiter(text))
        .has_headers(false)
        .flexible(true)
        .from_reader(text.as_bytes());
    let mut records = reader.records();
    let header = match records.next() {
        None => return Err(vec![problem(1, "the file is empty; expected a header row".into())]),
        Some(Err(e)) => return Err(vec![problem(1, e.to_string())]),
        Some(Ok(h)) => h,
    };
    let names: Vec<&str> = header.iter().map(str::trim).collect();
    let mut problems = Vec::new();
    let columns = map_columns(survey, &names, &mut problems);

    let pilot_called = crate::surveys::pilot_matcher(pilots);
    let relevance = survey.relevance();
    // Respondents earlier in the file, with the line they were on.
    let mut seen: HashMap<(String, Option<u32>), u64> = HashMap::new();
    let mut accepted = 0;
    for record in records {
        let record = match record {
            Ok(r) => r,
            Err(e) => {
                let line = e.position().map_or(0, |p| p.line());
                problems.push(problem(line, e.to_string()));
                continue;
            }
        };
        let line = record.position().map_or(0, |p| p.line());
        let cells: Vec<&str> = record.iter().map(str::trim).collect();
        if cells.iter().all(|c| c.is_empty()) {
            continue;
        }
        let respondent = columns
            .iter()
            .position(|c| *c == Column::Meta(RESPONDENT))
            .and_then(|i| cells.get(i))
            .filter(|c| !c.is_empty())
            .map(|c| c.to_string());
        let mut row = Row { line, respondent: respondent.clone(), problems: Vec::new() };
        if cells.len() < columns.len() || cells[columns.len()..].iter().any(|c| !c.is_empty()) {
            row.at(None, format!("the row has {} cells; the header has {}", cells.len(), columns.len()));
            problems.extend(row.problems);
            continue;
        }
        let mut response = Response { respondent, ..Response::default() };
        let (mut pilot_cell, mut round_cell) = (None, None);
        for (column, cell) in columns.iter().zip(&cells) {
            match column {
                Column::Blank => {
                    if !cell.is_empty() {
                        row.at(None, format!("'{cell}' is in a column without a name"));
                    }
                }
                Column::Meta(PILOT) if !cell.is_empty() => match find(pilots, cell) {
                    Ok(p) => pilot_cell = Some(p),
                    Err(e) => row.at(Some(PILOT), e),
                },
                Column::Meta(ROUND) if !cell.is_empty() => match cell.parse::<u32>() {
                    Ok(n) if n >= 1 => round_cell = Some(n),
                    _ => row.at(Some(ROUND), format!("'{cell}' is not a round number (1, 2, …)")),
                },
                Column::Meta(SUBMITTED) if !cell.is_empty() => {
                    if is_date_or_time(cell) {
                        response.submitted = Some(cell.to_string());
                    } else {
                        row.at(Some(SUBMITTED), format!("'{cell}' is not a date (2020-10-31) or an RFC 3339 time"));
                    }
                }
                Column::Meta(_) | Column::Reported => {}
                Column::Item(item) => match survey.parse_cell(item, cell) {
                    Ok(Some(answer)) => {
                        response.answers.insert(item.id.clone(), answer);
                    }
                    Ok(None) => {}
                    Err(e) => row.at(Some(&item.id), e),
                },
            }
        }
        response.pilot = match (pilot_cell, defaults.pilot) {
            (Some(cell), Some(flag)) if cell.id != flag.id => {
                row.at(Some(PILOT), format!("'{}' differs from --pilot {}", cell.name, flag.name));
                None
            }
            (cell, flag) => cell.or(flag).map(|p| p.id.clone()),
        };
        response.round = match (round_cell, defaults.round) {
            (Some(cell), Some(flag)) if cell != flag => {
                row.at(Some(ROUND), format!("{cell} differs from --round {flag}"));
                None
            }
            (cell, flag) => cell.or(flag),
        };
        if let Some(p) = &response.pilot {
            for (item, message) in check_relevance_with(&relevance, survey, &response, |name| pilot_called(p, name)) {
                row.at(Some(&item), message);
            }
        } else {
            for (item, message) in check_relevance_with(&relevance, survey, &response, |_| false) {
                row.at(Some(&item), message);
            }
        }
        if let Some((who, round)) = response_identity(&response) {
            if rows.is_stored(who, round) {
                row.at(
                    Some(RESPONDENT),
                    format!("{} is already stored for {}", describe_identity(who, round), survey.id),
                );
            } else if let Some(first) = seen.get(&(who.to_string(), round)) {
                row.at(Some(RESPONDENT), format!("{} is also on line {first}", describe_identity(who, round)));
            } else {
                seen.insert((who.to_string(), round), line);
            }
        }
        if !row.problems.is_empty() {
            problems.extend(row.problems);
        } else if problems.is_empty() {
            rows.accept(response);
            accepted += 1;
        }
    }
    if problems.is_empty() { Ok(accepted) } else { Err(problems) }
}

struct Row {
    line: u64,
    respondent: Option<String>,
    problems: Vec<Problem>,
}

impl Row {
    fn at(&mut self, column: Option<&str>, message: String) {
        self.problems.push(Problem {
            line: self.line,
            respondent: self.respondent.clone(),
            column: column.map(str::to_string),
            message,
        });
    }
}

/// `,` unless the header line has more `;` than `,` outside quotes.
fn detect_delimiter(text: &str) -> u8 {
    let (mut commas, mut semicolons, mut quoted) = (0, 0, false);
    for c in text.chars() {
        match c {
            '"' => quoted = !quoted,
            '\n' | '\r' if !quoted => break,
            ',' if !quoted => commas += 1,
            ';' if !quoted => semicolons += 1,
            _ => {}
        }
    }
    if semicolons > commas { b';' } else { b',' }
}

/// What each header cell names. Problems are reported on line 1.
fn map_columns<'s>(survey: &'s Survey, names: &[&str], problems: &mut Vec<Problem>) -> Vec<Column<'s>> {
    let at = |column: Option<&str>, message: String| Problem {
        line: 1,
        respondent: None,
        column: column.map(str::to_string),
        message,
    };
    let meta_of = |name: &str| META.iter().copied().find(|m| m.eq_ignore_ascii_case(name));
    let mut columns: Vec<Column> = Vec::new();
    for (i, name) in names.iter().enumerate() {
        let item = survey.item(name);
        let meta = meta_of(name);
        let meta_free = meta.is_some_and(|m| !columns.contains(&Column::Meta(m)));
        let named_once = names.iter().filter(|n| meta_of(n) == meta).count() == 1;
        let column = if name.is_empty() {
            Column::Blank
        } else if let (Some(m), true) = (meta, meta_free && !(item.is_some() && named_once)) {
            Column::Meta(m)
        } else if let Some(item) = item.filter(|it| !columns.contains(&Column::Item(it))) {
            Column::Item(item)
        } else if meta.is_some() || item.is_some() {
            problems.push(at(Some(name), format!("column {} appears twice in the header", i + 1)));
            Column::Reported
        } else {
            problems.push(at(
                Some(name),
                format!(
                    "unknown column (column {}); expected {}, or an item id of {}: {}",
                    i + 1,
                    META.join(", "),
                    survey.id,
                    survey.items.iter().map(|it| it.id.as_str()).collect::<Vec<_>>().join(", ")
                ),
            ));
            Column::Reported
        };
        columns.push(column);
    }
    columns
}

fn is_date_or_time(cell: &str) -> bool {
    chrono::NaiveDate::parse_from_str(cell, "%Y-%m-%d").is_ok() || chrono::DateTime::parse_from_rfc3339(cell).is_ok()
}

/// Relevance problems of one response, as (item id, message): answers to items that
/// were not asked (rounds, pilots, skip logic) and required items left empty although
/// asked. `Survey::check_response` does the same with pilot *names*; here the response
/// holds a pilot id and `pilot_called(name)` says whether that pilot is called `name`.
/// Answer values are checked by `Survey::parse_cell` when cells are read.
pub fn check_relevance(
    survey: &Survey,
    response: &Response,
    pilot_called: impl Fn(&str) -> bool,
) -> Vec<(String, String)> {
    check_relevance_with(&survey.relevance(), survey, response, pilot_called)
}

/// [`check_relevance`] with the survey's conditions compiled once, for many responses.
fn check_relevance_with(
    relevance: &Relevance,
    survey: &Survey,
    response: &Response,
    pilot_called: impl Fn(&str) -> bool,
) -> Vec<(String, String)> {
    let mut problems = Vec::new();
    for id in response.answers.keys().filter(|id| survey.item(id).is_none()) {
        problems.push((id.clone(), format!("answer to unknown item `{id}`")));
    }
    for (idx, item) in survey.items.iter().enumerate() {
        let relevant = relevance.is_relevant(idx, response, &pilot_called);
        match (response.answers.contains_key(&item.id), relevant) {
            (true, false) => {
                problems.push((
                    item.id.clone(),
                    format!("answer to an item that was not asked: {}", why_not(item, response, &pilot_called)),
                ));
            }
            (false, true) if item.required => problems.push((item.id.clone(), "required item not answered".into())),
            _ => {}
        }
    }
    problems
}

fn why_not(item: &Item, response: &Response, pilot_called: &impl Fn(&str) -> bool) -> String {
    if let (Some(rounds), Some(round)) = (&item.rounds, response.round)
        && !rounds.contains(&round)
    {
        let list: Vec<String> = rounds.iter().map(u32::to_string).collect();
        return format!("it is asked in round {} only, not in round {round}", list.join(", "));
    }
    if let (Some(names), Some(_)) = (&item.pilots, &response.pilot)
        && !names.iter().any(|n| pilot_called(n))
    {
        return format!("it is asked only for pilots {}", names.join(", "));
    }
    match &item.relevant {
        Some(c) => format!("its condition `{}` is false", c.source()),
        None => "it was not relevant".into(),
    }
}

/// Writes responses in the format [`read`] accepts: `respondent`, `pilot` (the pilot's
/// name), `round`, `submitted`, then every item id in survey order; `,` delimited,
/// `\n` line ends, no BOM. Answers to items the survey no longer has are left out.
pub fn write(survey: &Survey, responses: &[Response], pilots: &[Pilot]) -> String {
    let mut out = Writer::new(survey, pilots, Vec::new()).expect("writing to memory cannot fail");
    for r in responses {
        out.write(r).expect("writing to memory cannot fail");
    }
    String::from_utf8(out.finish().expect("writing to memory cannot fail")).expect("CSV of UTF-8 text is UTF-8")
}

/// [`write()`] one response at a time, to any writer (buffered inside).
pub struct Writer<'a, W: std::io::Write> {
    survey: &'a Survey,
    pilots: &'a [Pilot],
    out: csv::Writer<W>,
}

impl<'a, W: std::io::Write> Writer<'a, W> {
    /// Writes the header row.
    pub fn new(survey: &'a Survey, pilots: &'a [Pilot], out: W) -> csv::Result<Self> {
        let mut out = csv::WriterBuilder::new().terminator(csv::Terminator::Any(b'\n')).from_writer(out);
        let mut header: Vec<&str> = META.to_vec();
        header.extend(survey.items.iter().map(|i| i.id.as_str()));
        out.write_record(&header)?;
        Ok(Writer { survey, pilots, out })
    }

    pub fn write(&mut self, r: &Response) -> csv::Result<()> {
        let (survey, pilots) = (self.survey, self.pilots);
        let pilot = r.pilot.as_deref().map(|id| pilots.iter().find(|p| p.id == id).map_or(id, |p| p.name.as_str()));
        let round = r.round.map(|n| n.to_string()).unwrap_or_default();
        let submitted = r.submitted.as_deref().unwrap_or_default();
        for cell in [r.respondent.as_deref().unwrap_or_default(), pilot.unwrap_or_default(), &round, submitted] {
            self.out.write_field(cell)?;
        }
        for item in &survey.items {
            match r.answers.get(&item.id) {
                Some(a) => self.out.write_field(survey.format_cell(item, a))?,
                None => self.out.write_field("")?,
            }
        }
        self.out.write_record(None::<&[u8]>)
    }

    /// Flushes and hands back the writer.
    pub fn finish(self) -> std::io::Result<W> {
        self.out.into_inner().map_err(|e| e.into_error())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::survey::Answer;

    fn partner() -> Survey {
        crate::surveys::built_in().into_iter().find(|s| s.id == "partner-2020").unwrap()
    }

    fn problems(survey: &Survey, text: &str, defaults: Defaults) -> Vec<String> {
        let pilots = crate::demo::pilots();
        read(survey, text.as_bytes(), &pilots, defaults, &[]).unwrap_err().iter().map(ToString::to_string).collect()
    }

    #[test]
    fn a_column_named_like_an_item_is_the_pilot_first_and_the_item_second() {
        let s = partner();
        let pilots = crate::demo::pilots();
        let text = "respondent,pilot,pilot,org\nx1,Personal coach,Omavalmentaja,Company\n";
        let r = read(&s, text.as_bytes(), &pilots, Defaults::default(), &[]).unwrap();
        assert_eq!(r[0].pilot.as_deref(), Some("p2"));
        assert_eq!(r[0].answers["pilot"], Answer::Choice("Omavalmentaja".into()));
        // Named once, it is the item; the pilot can come from --pilot.
        let text = "pilot;org\nAIMO;TE office\n";
        let p7 = pilots.iter().find(|p| p.id == "p7").unwrap();
        let r = read(&s, text.as_bytes(), &pilots, Defaults { pilot: Some(p7), round: None }, &[]).unwrap();
        assert_eq!(r[0].pilot.as_deref(), Some("p7"));
        assert_eq!(r[0].answers["pilot"], Answer::Choice("AIMO".into()));
        // Written back, both columns are there and read the same.
        let csv = write(&s, &r, &pilots);
        assert!(csv.starts_with("respondent,pilot,round,submitted,pilot,org,"), "{csv}");
        assert_eq!(read(&s, csv.as_bytes(), &pilots, Defaults::default(), &[]).unwrap(), r);
    }

    #[test]
    fn flags_fill_gaps_but_never_override_a_cell() {
        let s = partner();
        let pilots = crate::demo::pilots();
        let p1 = pilots.iter().find(|p| p.id == "p1").unwrap();
        let text = "respondent,pilot,round,pilot,org\na,,,ICT-rekry,Company\nb,p2,3,Omavalmentaja,Company\n";
        let got = problems(&s, text, Defaults { pilot: Some(p1), round: Some(2) });
        assert_eq!(
            got,
            [
                "line 3 (respondent b), column pilot: 'Omavalmentaja' differs from --pilot ICT-rekry",
                "line 3 (respondent b), column round: 3 differs from --round 2",
            ]
        );
        let ok = read(
            &s,
            "pilot,org\nICT-rekry,Company\n".as_bytes(),
            &pilots,
            Defaults { pilot: Some(p1), round: Some(2) },
            &[],
        )
        .unwrap();
        assert_eq!((ok[0].pilot.as_deref(), ok[0].round), (Some("p1"), Some(2)));
    }

    #[test]
    fn header_and_shape_problems_are_located() {
        let s = partner();
        let got =
            problems(&s, "respondent,org,org,colour\na,Company,Company,red\nb,Company\n\n,,,\n", Defaults::default());
        assert_eq!(got.len(), 4, "{got:#?}");
        assert_eq!(got[0], "line 1, column org: column 3 appears twice in the header");
        assert!(
            got[1].starts_with("line 1, column colour: unknown column (column 4); expected respondent"),
            "{got:#?}"
        );
        assert_eq!(got[2], "line 2 (respondent a), column pilot: required item not answered");
        assert_eq!(got[3], "line 3 (respondent b): the row has 2 cells; the header has 4");
        let got = problems(
            &s,
            "respondent,,pilot,org
a,,Kopakka,Company
b,stray,Kopakka,Company
",
            Defaults::default(),
        );
        assert_eq!(got, ["line 3 (respondent b): 'stray' is in a column without a name"]);
    }

    #[test]
    fn required_and_irrelevant_answers_are_problems() {
        let s = partner();
        let text = "respondent,org,below_why\na,,\nb,Company,Because\n";
        let got = problems(&s, text, Defaults::default());
        assert_eq!(
            got,
            [
                "line 2 (respondent a), column pilot: required item not answered",
                "line 2 (respondent a), column org: required item not answered",
                "line 3 (respondent b), column pilot: required item not answered",
                "line 3 (respondent b), column below_why: answer to an item that was not asked: \
                 its condition `results_vs_expectations == 'below'` is false",
            ]
        );
    }

    #[test]
    fn text_that_is_not_utf8_is_refused_with_its_line() {
        let s = partner();
        let got = read(&s, b"org\nCompany\nV\xe4lityspalvelu\n", &[], Defaults::default(), &[]).unwrap_err();
        assert_eq!(got[0].to_string(), "line 3: not UTF-8 text; save the file as CSV in UTF-8");
    }

    /// Collects what `read_each` hands over; `stored` respondents are in the store.
    #[derive(Default)]
    struct Sink {
        stored: Vec<(String, Option<u32>)>,
        got: Vec<Response>,
    }

    impl Rows for Sink {
        fn is_stored(&self, respondent: &str, round: Option<u32>) -> bool {
            self.stored.iter().any(|(w, r)| w == respondent && *r == round)
        }
        fn accept(&mut self, response: Response) {
            self.got.push(response);
        }
    }

    #[test]
    fn read_each_hands_over_good_rows_until_the_first_problem() {
        let s = partner();
        let pilots = crate::demo::pilots();
        let good = "respondent,pilot,round,org\na,Kopakka,1,Company\nb,Kopakka,1,Company\nc,Kopakka,2,Company\n";
        let mut sink = Sink::default();
        assert_eq!(read_each(&s, good.as_bytes(), &pilots, Defaults::default(), &mut sink), Ok(3));
        assert_eq!(sink.got, read(&s, good.as_bytes(), &pilots, Defaults::default(), &[]).unwrap());

        // Line 3 is bad: line 2 was handed over before it was seen, line 4 is checked
        // (its respondent is already stored) but not handed over.
        let bad = "respondent,pilot,round,org\na,Kopakka,1,Company\nb,Kopakka,1,\nc,Kopakka,2,Company\n";
        let mut sink = Sink { stored: vec![("c".into(), Some(2))], ..Sink::default() };
        let problems = read_each(&s, bad.as_bytes(), &pilots, Defaults::default(), &mut sink).unwrap_err();
        let problems: Vec<String> = problems.iter().map(ToString::to_string).collect();
        assert_eq!(
            problems,
            [
                "line 3 (respondent b), column org: required item not answered",
                "line 4 (respondent c), column respondent: respondent 'c' in round 2 is already stored for partner-2020",
            ]
        );
        assert_eq!(sink.got.len(), 1);
    }

    #[test]
    fn the_streaming_writer_writes_what_write_writes() {
        let s = partner();
        let pilots = crate::demo::pilots();
        let text = "respondent,pilot,round,submitted,pilot,org\na,Kopakka,1,2020-10-31,AIMO,Company\n,,,,,\nb,,2,,Kopakka,TE office\n";
        let rs = read(&s, text.as_bytes(), &pilots, Defaults::default(), &[]).unwrap();
        assert_eq!(rs.len(), 2);
        let mut w = Writer::new(&s, &pilots, Vec::new()).unwrap();
        for r in &rs {
            w.write(r).unwrap();
        }
        let streamed = String::from_utf8(w.finish().unwrap()).unwrap();
        assert_eq!(streamed, write(&s, &rs, &pilots));
        assert_eq!(read(&s, streamed.as_bytes(), &pilots, Defaults::default(), &[]).unwrap(), rs);
        let empty = Writer::new(&s, &pilots, Vec::new()).unwrap().finish().unwrap();
        assert_eq!(String::from_utf8(empty).unwrap(), write(&s, &[], &pilots));
    }

    #[test]
    fn the_delimiter_is_read_off_the_header() {
        assert_eq!(detect_delimiter("a,b,c\n1;2;3;4;5"), b',');
        assert_eq!(detect_delimiter("a;b;\"c,d,e\"\n"), b';');
        assert_eq!(detect_delimiter("single\n"), b',');
    }
}
