//! The evidence picker: one search over everything a finding can cite — coded
//! interview paragraphs and quotes, survey items, workshop items, lessons, indicators —
//! with a preview of the selected piece before it is cited. Enter cites it, or uncites
//! it when the finding already does, so a wrong pick is undone with the same key.

use super::keymap::Cmd;
use super::keys::Key;
use super::synthesis::save;
use super::text_input::TextInput;
use super::{App, Data, Effect, Overlay, Status};
use crate::domain::Id;
use crate::domain::evidence::EvidenceRef;
use crate::domain::indicator::format_value;
use crate::domain::survey::{ItemKind, ItemStats, LOW_N, TallyFilter, tally};

#[derive(Debug, Clone, PartialEq)]
pub struct EvidencePicker {
    /// The finding evidence is cited in.
    pub finding: Id,
    pub query: TextInput,
    pub selected: usize,
    /// The selected candidate told in full; computed when the selection changes, since
    /// a survey item's tally reads every response.
    pub preview: Vec<String>,
    /// What `preview` tells, so moving onto the same piece again costs nothing.
    preview_of: Option<EvidenceRef>,
    /// Every citable piece of one data snapshot. A large store has thousands of coded
    /// paragraphs; building them on every key and every frame made typing lag, so they
    /// are built when the picker opens and again only when the data changes.
    all: Vec<Candidate>,
    /// Indices into `all` that match `matched` (the query they were filtered for).
    shown: Vec<usize>,
    matched: String,
    /// The [`App::data_gen`] `all` was built from.
    built_from: u64,
}

/// Something that can be cited.
#[derive(Debug, Clone, PartialEq)]
pub struct Candidate {
    pub evidence: EvidenceRef,
    /// "quote", "interview", "survey", "workshop", "lesson", "indicator".
    pub kind: &'static str,
    /// One line for the list: where it comes from and its text.
    pub line: String,
    /// Kind and line in lower case, what the query is matched against.
    hay: String,
}

impl Candidate {
    fn new(evidence: EvidenceRef, kind: &'static str, line: String) -> Candidate {
        let hay = format!("{kind} {line}").to_lowercase();
        Candidate { evidence, kind, line, hay }
    }

    /// Whether the candidate contains every (lower-case) word.
    fn has_all(&self, words: &[String]) -> bool {
        words.iter().all(|w| self.hay.contains(w.as_str()))
    }
}

fn words(query: &str) -> Vec<String> {
    query.split_whitespace().map(str::to_lowercase).collect()
}

impl EvidencePicker {
    pub fn new(finding: &str, data: &Data, data_gen: u64) -> EvidencePicker {
        let all = candidates(data);
        let mut p = EvidencePicker {
            finding: finding.into(),
            query: TextInput::default(),
            selected: 0,
            preview: vec![],
            preview_of: None,
            shown: (0..all.len()).collect(),
            all,
            matched: String::new(),
            built_from: data_gen,
        };
        p.refresh(data, data_gen);
        p
    }

    /// Brings the list and the preview up to date with the query and the data: the
    /// candidates are rebuilt only for a new data snapshot, and a query that only grew
    /// narrows the current matches instead of searching everything again.
    pub fn refresh(&mut self, data: &Data, data_gen: u64) {
        let query = self.query.value().to_string();
        if data_gen != self.built_from {
            self.all = candidates(data);
            self.built_from = data_gen;
            self.preview_of = None;
            self.matched.clear();
            self.shown = (0..self.all.len()).collect();
        }
        if query != self.matched {
            let words = words(&query);
            // Every word of a query that extends the last one contains one of its words,
            // so nothing outside the current matches can match it.
            let pool: Vec<usize> = if query.starts_with(&self.matched) {
                std::mem::take(&mut self.shown)
            } else {
                (0..self.all.len()).collect()
            };
            self.shown = pool.into_iter().filter(|&i| self.all[i].has_all(&words)).collect();
            self.matched = query;
        }
        self.selected = self.selected.min(self.shown.len().saturating_sub(1));
        let current = self.get(self.selected).map(|c| c.evidence.clone());
        if current != self.preview_of {
            self.preview = current.as_ref().map_or_else(Vec::new, |e| preview(data, e));
            self.preview_of = current;
        }
    }

    /// The candidates matching the query, in list order.
    pub fn found(&self) -> impl Iterator<Item = &Candidate> {
        self.shown.iter().map(|&i| &self.all[i])
    }

    pub fn found_len(&self) -> usize {
        self.shown.len()
    }

    pub fn get(&self, i: usize) -> Option<&Candidate> {
        self.shown.get(i).map(|&i| &self.all[i])
    }
}

/// Rebuilds the open picker's candidates after the data changed (a save, a reload, a
/// workshop moving on), so the view, which only reads, shows the new snapshot.
pub fn sync(app: &mut App) {
    if let Some(Overlay::EvidencePicker(p)) = &mut app.overlay {
        p.refresh(&app.data, app.data_gen);
    }
}

fn pilot_name(data: &Data, id: &str) -> String {
    data.pilot(id).map_or_else(|| id.to_string(), |p| p.name.clone())
}

/// Every citable piece, grouped by kind in a fixed order (interviews by date), so the
/// list does not jump about while the query is typed.
pub fn candidates(data: &Data) -> Vec<Candidate> {
    let mut out = Vec::new();
    let mut interviews: Vec<_> = data.interviews.iter().collect();
    interviews.sort_by(|a, b| (a.at, &a.id).cmp(&(b.at, &b.id)));
    for i in interviews {
        for p in i.paragraphs().into_iter().filter(|p| p.quote || !p.codes.is_empty()) {
            let (evidence, kind) = if p.quote {
                (EvidenceRef::Quote { interview: i.id.clone(), paragraph: p.number }, "quote")
            } else {
                (EvidenceRef::Segment { interview: i.id.clone(), paragraph: p.number }, "interview")
            };
            let codes: Vec<String> = p.codes.iter().map(|c| format!("#{c}")).collect();
            let line = format!("{} · {} · {} {}", evidence.label(), i.cited_as(), p.text, codes.join(" "));
            out.push(Candidate::new(evidence, kind, line));
        }
    }
    for s in &data.surveys {
        for item in s.items.iter().filter(|i| !matches!(i.kind, ItemKind::Text)) {
            let evidence = EvidenceRef::Tally { survey: s.id.clone(), item: item.id.clone(), pilot: None, round: None };
            let line = format!("{} · {} · {}", evidence.label(), s.title, item.text);
            out.push(Candidate::new(evidence, "survey", line));
        }
    }
    for w in &data.workshops {
        for item in &w.items {
            let line = format!("workshop {} · item {} · {} · {}", w.id, item.id, w.title, item.text);
            out.push(Candidate::new(w.evidence_ref(item.id), "workshop", line));
        }
    }
    for o in &data.objectives {
        for l in &o.lessons {
            let evidence = EvidenceRef::Lesson { objective: o.id.clone(), lesson: l.id };
            let line = format!("{} · {} · {}", evidence.label(), pilot_name(data, &o.pilot), l.statement);
            out.push(Candidate::new(evidence, "lesson", line));
        }
    }
    for m in &data.maps {
        for ind in &m.indicators {
            let evidence = EvidenceRef::Indicator { pilot: m.pilot.clone(), indicator: ind.id };
            let line = format!("{} · {} · {}", evidence.label(), pilot_name(data, &m.pilot), ind.name);
            out.push(Candidate::new(evidence, "indicator", line));
        }
    }
    out
}

/// Candidates whose kind or line contains every word of the query (any case), built
/// from scratch: what the picker's cached list must always equal.
pub fn matches(data: &Data, query: &str) -> Vec<Candidate> {
    let words = words(query);
    candidates(data).into_iter().filter(|c| c.has_all(&words)).collect()
}

/// The piece in full: the paragraph with who said it, when and where; a survey item's
/// tally with its n; the lesson, workshop item or indicator with its context.
pub fn preview(data: &Data, e: &EvidenceRef) -> Vec<String> {
    let mut out = vec![e.label()];
    match e {
        EvidenceRef::Segment { interview, paragraph } | EvidenceRef::Quote { interview, paragraph } => {
            if let Some(i) = data.interviews.iter().find(|i| &i.id == interview)
                && let Some(p) = i.paragraph(*paragraph)
            {
                let pilots: Vec<String> = i.pilots.iter().map(|p| pilot_name(data, p)).collect();
                out.push(format!("{} · {} round · {} · {}", i.cited_as(), i.round, i.at.date(), pilots.join(", ")));
                if !i.context.trim().is_empty() {
                    out.push(format!("context: {}", i.context));
                }
                out.push(if p.quote { format!("“{}”", p.text) } else { p.text.clone() });
            }
        }
        EvidenceRef::Tally { survey, item, .. } => {
            let Some(s) = data.surveys.iter().find(|s| &s.id == survey) else { return out };
            let Some(it) = s.item(item) else { return out };
            out.push(it.text.clone());
            let responses = data.responses.iter().find(|(id, _)| id == survey).map_or(&[][..], |(_, r)| r.as_slice());
            if let Ok(t) = tally(s, responses, &TallyFilter::default())
                && let Some(it) = t.item(item)
            {
                let warn = if it.n < LOW_N { " — low n" } else { "" };
                out.push(format!("n = {}{warn}", it.n));
                match &it.stats {
                    ItemStats::Scale { counts, dont_know, mean, .. } => {
                        let mut parts: Vec<String> = counts.iter().map(|(k, c)| format!("{k}: {c}")).collect();
                        if let Some(d) = dont_know {
                            parts.push(format!("don't know: {d}"));
                        }
                        out.push(parts.join(" · "));
                        if let Some(m) = mean {
                            out.push(format!("mean {m:.2} (don't know left out)"));
                        }
                    }
                    ItemStats::Choice { counts } => {
                        out.push(counts.iter().map(|(k, c)| format!("{k}: {c}")).collect::<Vec<_>>().join(" · "))
                    }
                    ItemStats::Nps { score, .. } => {
                        out.push(format!("NPS {}", score.map_or("—".into(), |s| format!("{s:.0}"))))
                    }
                    ItemStats::Number { mean, .. } => {
                        out.push(format!("mean {}", mean.map_or("—".into(), |m| format!("{m:.1}"))))
                    }
                    ItemStats::Text => {}
                }
            }
        }
        EvidenceRef::Workshop { workshop, item } => {
            if let Some(w) = data.workshops.iter().find(|w| &w.id == workshop)
                && let Some(it) = w.items.iter().find(|i| i.id == *item)
            {
                out.push(format!("{} · {}", w.title, w.date));
                out.push(it.text.clone());
            }
        }
        EvidenceRef::Lesson { objective, lesson } => {
            if let Some(o) = data.objectives.iter().find(|o| &o.id == objective)
                && let Some(l) = o.lessons.iter().find(|l| l.id == *lesson)
            {
                out.push(format!("{} · {} · {}", pilot_name(data, &o.pilot), o.theme, l.date));
                out.push(format!("objective: {}", o.question));
                out.push(format!("lesson: {}", l.statement));
            }
        }
        EvidenceRef::Indicator { pilot, indicator } => {
            if let Some(ind) = data.map(pilot).and_then(|m| m.indicators.iter().find(|i| i.id == *indicator)) {
                out.push(format!("{} · {} ({})", pilot_name(data, pilot), ind.name, ind.unit));
                let dated = |v: &Option<crate::domain::indicator::DatedValue>| {
                    v.map_or("none".to_string(), |v| format!("{} on {}", format_value(v.value), v.date))
                };
                out.push(format!("baseline: {} · target: {}", dated(&ind.baseline), dated(&ind.target)));
                if let Some(o) = ind.latest() {
                    out.push(format!("latest: {} as of {}", format_value(o.value), o.as_of));
                }
            }
        }
        EvidenceRef::Document { title } => out.push(title.clone()),
    }
    out
}

pub fn paste(app: &mut App, text: &str) {
    if let Some(Overlay::EvidencePicker(p)) = &mut app.overlay {
        p.query.insert_str(text);
        p.selected = 0;
        p.refresh(&app.data, app.data_gen);
    }
}

pub fn on_key(app: &mut App, cmd: Option<Cmd>, key: Key) -> Vec<Effect> {
    let Some(Overlay::EvidencePicker(p)) = &mut app.overlay else { return vec![] };
    let page = usize::from(app.size.1 / 3).max(1);
    match cmd {
        None if p.query.handle_key(key) => p.selected = 0,
        Some(Cmd::Down) => p.selected += 1,
        Some(Cmd::Up) => p.selected = p.selected.saturating_sub(1),
        Some(Cmd::PageDown) => p.selected += page,
        Some(Cmd::PageUp) => p.selected = p.selected.saturating_sub(page),
        Some(Cmd::Cancel) => {
            app.overlay = None;
            return vec![];
        }
        Some(Cmd::Submit) => {
            let Some(e) = p.get(p.selected).map(|c| c.evidence.clone()) else {
                app.status = Some(Status::Error(format!("nothing matches '{}'", p.query.value())));
                return vec![];
            };
            let finding = p.finding.clone();
            return toggle(app, &finding, &e);
        }
        _ => {
            app.dirty = false;
            return vec![];
        }
    }
    p.refresh(&app.data, app.data_gen);
    vec![]
}

/// Cites the evidence in the finding, or uncites it when it is already cited.
fn toggle(app: &mut App, finding: &str, e: &EvidenceRef) -> Vec<Effect> {
    let mut s = app.data.synthesis.clone();
    let cited = s.finding(finding).is_some_and(|f| f.evidence.contains(e));
    let (result, text) = if cited {
        (s.remove_evidence(finding, e), format!("{finding} no longer cites {}", e.label()))
    } else {
        (s.add_evidence(finding, e.clone()), format!("{finding} cites {}", e.label()))
    };
    if let Err(err) = result {
        app.status = Some(Status::Error(err));
        return vec![];
    }
    vec![Effect::Save { changeset: save(s, &app.user, text.clone()), message: text }]
}
