//! Entering one response at the keyboard: pilot, round and respondent code first, then
//! one page per item that is asked of this respondent — rounds, pilots and skip logic
//! decide, from the answers so far — and a summary. Enter on the summary saves.
//!
//! Keys that are not bound in the `survey-entry` layer arrive here as typing: digits
//! choose a scale point or option, `d` answers "can't say", space toggles an option of a
//! multi-choice item, and on number and text pages everything types.

use chrono::NaiveDate;

use super::keymap::Cmd;
use super::keys::{Key, KeyCode};
use super::survey_view::pilot_matcher;
use super::text_input::TextInput;
use super::{App, Data, Effect, Overlay, Status};
use crate::domain::survey::{Answer, Item, ItemKind, Pick, Response, Survey};
use crate::domain::{Id, Pilot};

/// Where the entry is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Step {
    Pilot,
    Round,
    Respondent,
    /// The item at this index of the survey.
    Item(usize),
    Summary,
}

/// One row of a list page.
#[derive(Debug, Clone, PartialEq)]
pub enum Row {
    Pilot(Option<Id>),
    Point(i64),
    DontKnow,
    /// A choice key.
    Choice(String),
    /// "Other, specify": the typed text is the answer.
    Other,
}

/// A response being entered.
#[derive(Debug, Clone, PartialEq)]
pub struct Entry {
    pub survey: Survey,
    pub response: Response,
    pub step: Step,
    /// The highlighted row of a list page; `None` = nothing chosen.
    pub cursor: Option<usize>,
    /// Multi-choice pages: rows picked.
    pub picked: Vec<usize>,
    /// Typed text: round, respondent code, a number or text answer, or the "Other" text.
    pub input: TextInput,
    /// Digits typed on a list page, for options numbered 10 and above.
    pub digits: String,
    pub error: Option<String>,
    /// Esc was pressed with answers entered: asking before they are thrown away.
    pub discarding: bool,
    /// Pilots offered on the first page: (id, name) in portfolio order.
    pub pilots: Vec<(Id, String)>,
    /// (respondent, round) pairs already stored: a respondent answers once per round.
    taken: Vec<(String, Option<u32>)>,
}

impl Entry {
    /// A new response to `survey`; `pilot` is preselected (the tally's pilot filter).
    pub fn new(survey: Survey, data: &Data, pilot: Option<&str>, today: NaiveDate) -> Entry {
        let stored = data.survey_responses(&survey.id);
        let taken = stored.iter().filter_map(|r| Some((r.respondent.clone()?, r.round))).collect();
        // The round most recently entered is the likeliest for the next response too.
        let round = stored.iter().rev().find_map(|r| r.round);
        let pilots: Vec<(Id, String)> =
            data.pilots.iter().filter(|p| !p.archived).map(|p| (p.id.clone(), p.name.clone())).collect();
        let cursor = pilot.and_then(|id| pilots.iter().position(|(p, _)| p == id));
        let response = Response { round, submitted: Some(today.to_string()), ..Default::default() };
        Entry {
            survey,
            response,
            step: Step::Pilot,
            cursor,
            picked: vec![],
            input: TextInput::default(),
            digits: String::new(),
            error: None,
            discarding: false,
            pilots,
            taken,
        }
    }

    pub fn item(&self) -> Option<&Item> {
        match self.step {
            Step::Item(i) => self.survey.items.get(i),
            _ => None,
        }
    }

    /// The rows of the current page when it is a list; empty for typed pages.
    pub fn rows(&self) -> Vec<Row> {
        match self.step {
            Step::Pilot => {
                let mut rows: Vec<Row> = self.pilots.iter().map(|(id, _)| Row::Pilot(Some(id.clone()))).collect();
                rows.push(Row::Pilot(None));
                rows
            }
            Step::Item(_) => {
                let Some(item) = self.item() else { return vec![] };
                match &item.kind {
                    ItemKind::Scale { .. } => {
                        let Some(scale) = self.survey.scale_of(item) else { return vec![] };
                        let mut rows: Vec<Row> = scale.points.iter().map(|p| Row::Point(p.value)).collect();
                        if scale.dont_know.is_some() {
                            rows.push(Row::DontKnow);
                        }
                        rows
                    }
                    ItemKind::Nps => (0..=10).map(Row::Point).collect(),
                    ItemKind::Single { choices, other } | ItemKind::Multi { choices, other, .. } => {
                        let mut rows: Vec<Row> = choices.iter().map(|c| Row::Choice(c.key().to_string())).collect();
                        if *other {
                            rows.push(Row::Other);
                        }
                        rows
                    }
                    ItemKind::Number { .. } | ItemKind::Text => vec![],
                }
            }
            _ => vec![],
        }
    }

    /// What a row says on screen.
    pub fn row_label(&self, row: &Row) -> String {
        match row {
            Row::Pilot(Some(id)) => self.pilots.iter().find(|(p, _)| p == id).map_or(id.clone(), |(_, n)| n.clone()),
            Row::Pilot(None) => "No pilot (the response is not about one pilot)".into(),
            Row::Point(v) => {
                let label = self.item().and_then(|i| self.survey.scale_of(i)).and_then(|s| s.point(*v));
                // The row's number is the value already: only a label that says more.
                match label {
                    Some(p) if p.label != v.to_string() => p.label.clone(),
                    _ => String::new(),
                }
            }
            Row::DontKnow => {
                self.item().and_then(|i| self.survey.scale_of(i)).and_then(|s| s.dont_know.clone()).unwrap_or_default()
            }
            Row::Choice(key) => self.item().and_then(|i| i.find_choice(key)).map_or(key.clone(), |c| c.label.clone()),
            Row::Other => "Other:".into(),
        }
    }

    /// The number typed to choose a row; `None` for rows chosen otherwise.
    pub fn row_number(&self, index: usize, row: &Row) -> Option<String> {
        match row {
            Row::Point(v) => Some(v.to_string()),
            Row::Pilot(Some(_)) | Row::Choice(_) => Some((index + 1).to_string()),
            _ => None,
        }
    }

    fn is_multi(&self) -> bool {
        matches!(self.item().map(|i| &i.kind), Some(ItemKind::Multi { .. }))
    }

    /// Whether typed characters go into the text input now.
    pub fn typing(&self) -> bool {
        match self.step {
            Step::Round | Step::Respondent => true,
            Step::Item(_) => match self.item().map(|i| &i.kind) {
                Some(ItemKind::Number { .. } | ItemKind::Text) => true,
                _ => self.on_other(),
            },
            _ => false,
        }
    }

    fn on_other(&self) -> bool {
        self.cursor.is_some_and(|c| self.rows().get(c) == Some(&Row::Other))
    }

    /// Whether anything has been entered that esc would throw away.
    pub fn has_answers(&self) -> bool {
        !self.response.answers.is_empty() || self.response.respondent.is_some()
    }

    /// Whether item `i` is asked of this respondent, given the answers so far.
    pub fn relevant(&self, i: usize, pilots: &[Pilot]) -> bool {
        let Some(item) = self.survey.items.get(i) else { return false };
        let called = pilot_matcher(pilots);
        let pilot = self.response.pilot.as_deref();
        self.survey.is_relevant(item, &self.response, |name| pilot.is_some_and(|p| called(p, name)))
    }

    /// Item indices asked of this respondent, in order. Skip logic only looks back, so
    /// one pass over the answers as they stand is exact.
    pub fn asked(&self, pilots: &[Pilot]) -> Vec<usize> {
        (0..self.survey.items.len()).filter(|i| self.relevant(*i, pilots)).collect()
    }

    fn next_step(&self, pilots: &[Pilot]) -> Step {
        let from = match self.step {
            Step::Pilot => return Step::Round,
            Step::Round => return Step::Respondent,
            Step::Respondent => 0,
            Step::Item(i) => i + 1,
            Step::Summary => return Step::Summary,
        };
        (from..self.survey.items.len()).find(|i| self.relevant(*i, pilots)).map_or(Step::Summary, Step::Item)
    }

    fn prev_step(&self, pilots: &[Pilot]) -> Step {
        let before = match self.step {
            Step::Pilot | Step::Round => return Step::Pilot,
            Step::Respondent => return Step::Round,
            Step::Item(i) => i,
            Step::Summary => self.survey.items.len(),
        };
        (0..before).rev().find(|i| self.relevant(*i, pilots)).map_or(Step::Respondent, Step::Item)
    }

    /// Moves to `step` and sets the page up from what was entered there before.
    fn go(&mut self, step: Step) {
        self.step = step;
        self.cursor = None;
        self.picked.clear();
        self.input = TextInput::default();
        self.digits.clear();
        self.error = None;
        match step {
            Step::Pilot => {
                let pilot = self.response.pilot.clone();
                self.cursor = self.rows().iter().position(|r| *r == Row::Pilot(pilot.clone()));
            }
            Step::Round => self.input = TextInput::new(&self.response.round.map(|r| r.to_string()).unwrap_or_default()),
            Step::Respondent => self.input = TextInput::new(self.response.respondent.as_deref().unwrap_or_default()),
            Step::Item(_) => self.load_answer(),
            Step::Summary => {}
        }
    }

    fn load_answer(&mut self) {
        let Some(item) = self.item() else { return };
        let Some(answer) = self.response.answers.get(&item.id).cloned() else { return };
        let rows = self.rows();
        let find = |row: Row| rows.iter().position(|r| *r == row);
        match answer {
            Answer::Scale(v) => self.cursor = find(Row::Point(v)),
            Answer::DontKnow => self.cursor = find(Row::DontKnow),
            Answer::Choice(k) => self.cursor = find(Row::Choice(k)),
            Answer::Other(t) => {
                self.cursor = find(Row::Other);
                self.input = TextInput::new(&t);
            }
            Answer::Multi(picks) => {
                for p in picks {
                    match p {
                        Pick::Choice(k) => self.picked.extend(find(Row::Choice(k))),
                        Pick::Other(t) => self.input = TextInput::new(&t),
                    }
                }
            }
            Answer::Number(_) | Answer::Text(_) => {
                let item = self.item().expect("an item page").clone();
                self.input = TextInput::new(&self.survey.format_cell(&item, &answer));
            }
        }
    }

    /// The answer the page holds now: `Ok(None)` = left unanswered.
    fn page_answer(&self) -> Result<Option<Answer>, String> {
        let Some(item) = self.item() else { return Ok(None) };
        let rows = self.rows();
        let other_text = self.input.value().trim();
        let answer = match &item.kind {
            ItemKind::Number { .. } | ItemKind::Text => return self.survey.parse_cell(item, self.input.value()),
            ItemKind::Multi { max, .. } => {
                let mut picked = self.picked.clone();
                picked.sort_unstable();
                let mut picks: Vec<Pick> = picked
                    .iter()
                    .filter_map(|i| match rows.get(*i) {
                        Some(Row::Choice(k)) => Some(Pick::Choice(k.clone())),
                        _ => None,
                    })
                    .collect();
                if !other_text.is_empty() {
                    picks.push(Pick::Other(other_text.to_string()));
                }
                if let Some(max) = max.filter(|m| picks.len() > *m) {
                    return Err(format!("{} options chosen; at most {max}", picks.len()));
                }
                if picks.is_empty() {
                    return Ok(None);
                }
                Answer::Multi(picks)
            }
            _ => match self.cursor.and_then(|c| rows.get(c)) {
                None => return Ok(None),
                Some(Row::Point(v)) => Answer::Scale(*v),
                Some(Row::DontKnow) => Answer::DontKnow,
                Some(Row::Choice(k)) => Answer::Choice(k.clone()),
                Some(Row::Other) if other_text.is_empty() => {
                    return Err("type the other answer, or choose an option".into());
                }
                Some(Row::Other) => Answer::Other(other_text.to_string()),
                Some(Row::Pilot(_)) => return Ok(None),
            },
        };
        self.survey.check_answer(item, &answer)?;
        Ok(Some(answer))
    }

    /// Takes what the page holds into the response and moves on. Errors stay on the page.
    fn confirm(&mut self, pilots: &[Pilot]) -> Result<(), String> {
        match self.step {
            Step::Pilot => match self.cursor.and_then(|c| self.rows().get(c).cloned()) {
                Some(Row::Pilot(p)) => self.response.pilot = p,
                _ => return Err("choose the pilot (↑↓ or its number), or 'No pilot'".into()),
            },
            Step::Round => {
                let text = self.input.value().trim();
                self.response.round = match text {
                    "" => None,
                    t => match t.parse::<u32>() {
                        Ok(r) if r >= 1 => Some(r),
                        _ => return Err(format!("'{t}' is not a round (1, 2, …); leave it empty for none")),
                    },
                };
            }
            Step::Respondent => {
                let code = self.input.value().trim();
                let code = (!code.is_empty()).then(|| code.to_string());
                if let Some(c) = &code
                    && self.taken.contains(&(c.clone(), self.response.round))
                {
                    let round = self.response.round.map(|r| format!(" in round {r}")).unwrap_or_default();
                    return Err(format!("respondent '{c}' is already stored{round}: a respondent answers once"));
                }
                self.response.respondent = code;
            }
            Step::Item(_) => {
                let item = self.item().expect("an item page").clone();
                match self.page_answer()? {
                    Some(a) => {
                        self.response.answers.insert(item.id.clone(), a);
                    }
                    None if item.required => return Err("this item is required: answer it to go on".into()),
                    None => {
                        self.response.answers.remove(&item.id);
                    }
                }
            }
            Step::Summary => return Ok(()),
        }
        let next = self.next_step(pilots);
        self.go(next);
        Ok(())
    }

    fn back(&mut self, pilots: &[Pilot]) {
        let prev = self.prev_step(pilots);
        self.go(prev);
    }

    /// The response as it will be stored: answers to items that are no longer asked
    /// (an earlier answer changed) are dropped.
    pub fn finished(&self, pilots: &[Pilot]) -> Response {
        let mut r = self.response.clone();
        let called = pilot_matcher(pilots);
        let pilot = r.pilot.clone();
        for item in &self.survey.items {
            if !self.survey.is_relevant(item, &r, |name| pilot.as_deref().is_some_and(|p| called(p, name))) {
                r.answers.remove(&item.id);
            }
        }
        r
    }

    /// Problems that stop the response from being saved: required items left empty.
    pub fn problems(&self, pilots: &[Pilot]) -> Vec<String> {
        let r = self.finished(pilots);
        let mut problems = Vec::new();
        for i in self.asked(pilots) {
            let item = &self.survey.items[i];
            match r.answers.get(&item.id) {
                None if item.required => problems.push(format!("{} is required", item.id)),
                Some(a) => {
                    if let Err(e) = self.survey.check_answer(item, a) {
                        problems.push(format!("{}: {e}", item.id));
                    }
                }
                None => {}
            }
        }
        problems
    }

    /// A list page's digit: chooses the row with that number once no longer number
    /// starts with the digits typed so far (so "1" waits for a possible "10").
    /// Returns true when the choice is complete and the page can move on.
    fn digit(&mut self, d: char) -> bool {
        let rows = self.rows();
        let numbers: Vec<Option<String>> = rows.iter().enumerate().map(|(i, r)| self.row_number(i, r)).collect();
        let matches = |buf: &str| numbers.iter().filter(|n| n.as_deref().is_some_and(|n| n.starts_with(buf))).count();
        let mut buf = format!("{}{d}", self.digits);
        if matches(&buf) == 0 {
            buf = d.to_string();
        }
        if matches(&buf) == 0 {
            self.digits.clear();
            self.error = Some(format!("no option {d}"));
            return false;
        }
        let exact = numbers.iter().position(|n| n.as_deref() == Some(buf.as_str()));
        let unambiguous = matches(&buf) == 1;
        self.digits = if unambiguous { String::new() } else { buf };
        let Some(row) = exact else { return false };
        if self.is_multi() {
            if unambiguous {
                self.toggle(row);
            }
            self.cursor = Some(row);
            return false;
        }
        self.cursor = Some(row);
        unambiguous
    }

    fn toggle(&mut self, row: usize) {
        if self.rows().get(row) == Some(&Row::Other) {
            return;
        }
        match self.picked.iter().position(|r| *r == row) {
            Some(i) => {
                self.picked.remove(i);
            }
            None => {
                let max = match self.item().map(|i| &i.kind) {
                    Some(ItemKind::Multi { max, .. }) => *max,
                    _ => None,
                };
                let chosen = self.picked.len() + usize::from(!self.input.value().trim().is_empty());
                if max.is_some_and(|m| chosen >= m) {
                    self.error = Some(format!("at most {} options: unpick one first", max.unwrap_or_default()));
                    return;
                }
                self.picked.push(row);
            }
        }
    }

    fn move_cursor(&mut self, cmd: Cmd) {
        let last = self.rows().len().saturating_sub(1);
        self.digits.clear();
        self.cursor = Some(match (cmd, self.cursor) {
            (Cmd::Down, None) | (Cmd::Top, _) => 0,
            (Cmd::Up, None) | (Cmd::Bottom, _) => last,
            (Cmd::Down, Some(c)) => (c + 1).min(last),
            (Cmd::Up, Some(c)) => c.saturating_sub(1),
            (Cmd::PageDown, c) => (c.unwrap_or(0) + 5).min(last),
            (Cmd::PageUp, c) => c.unwrap_or(0).saturating_sub(5),
            (_, c) => c.unwrap_or(0),
        });
    }
}

/// Commands bound in the `survey-entry` layer.
pub fn on_key(app: &mut App, cmd: Cmd) -> Vec<Effect> {
    let App { overlay, data, .. } = app;
    let Some(Overlay::SurveyEntry(entry)) = overlay else { return vec![] };
    if entry.discarding {
        // Anything but 'y' keeps the response.
        entry.discarding = false;
        return vec![];
    }
    entry.error = None;
    match cmd {
        Cmd::Cancel => {
            if entry.has_answers() {
                entry.discarding = true;
            } else {
                *overlay = None;
            }
        }
        Cmd::Up | Cmd::Down | Cmd::PageUp | Cmd::PageDown | Cmd::Top | Cmd::Bottom => {
            if entry.step == Step::Summary {
                // The summary scrolls; the cursor is its first line.
                let last = entry.survey.items.len();
                let at = entry.cursor.unwrap_or(0);
                entry.cursor = Some(match cmd {
                    Cmd::Down => (at + 1).min(last),
                    Cmd::PageDown => (at + 5).min(last),
                    Cmd::Up => at.saturating_sub(1),
                    Cmd::PageUp => at.saturating_sub(5),
                    Cmd::Top => 0,
                    _ => last,
                });
            } else if !entry.rows().is_empty() {
                entry.move_cursor(cmd);
            }
        }
        Cmd::PrevField => entry.back(&data.pilots),
        // In typed answers del deletes forward (ctrl-u clears); elsewhere it clears the answer.
        Cmd::Delete if entry.typing() => {
            entry.input.handle_key(Key::plain(KeyCode::Delete));
        }
        Cmd::Delete => {
            entry.cursor = None;
            entry.picked.clear();
            entry.input = TextInput::default();
            entry.digits.clear();
        }
        Cmd::Submit if entry.step == Step::Summary => {
            let problems = entry.problems(&data.pilots);
            if !problems.is_empty() {
                entry.error = Some(format!("cannot save: {}", problems.join("; ")));
                return vec![];
            }
            let response = entry.finished(&data.pilots);
            // The overlay stays until the store confirms, so a failed save loses nothing.
            return vec![Effect::SaveResponse { survey: entry.survey.clone(), response }];
        }
        Cmd::Submit => {
            if let Err(e) = entry.confirm(&data.pilots) {
                entry.error = Some(e);
            }
        }
        _ => app.dirty = false,
    }
    vec![]
}

/// Keys the layer does not bind: typing, digits, `d`, space, backspace.
pub fn type_key(app: &mut App, key: Key) {
    let App { overlay, data, status, .. } = app;
    let Some(Overlay::SurveyEntry(entry)) = overlay else { return };
    if entry.discarding {
        entry.discarding = false;
        if key == Key::char('y') {
            *overlay = None;
            *status = Some(Status::Info("response discarded".into()));
        }
        return;
    }
    entry.error = None;
    if key.code == KeyCode::Backspace && !key.ctrl && (!entry.typing() || entry.input.value().is_empty()) {
        entry.back(&data.pilots);
        return;
    }
    if entry.typing() {
        entry.input.handle_key(key);
        return;
    }
    let Some(c) = key.typed_char() else {
        app.dirty = false;
        return;
    };
    match c {
        '0'..='9' if !entry.rows().is_empty() => {
            if entry.digit(c)
                && let Err(e) = entry.confirm(&data.pilots)
            {
                entry.error = Some(e);
            }
        }
        'd' | 'D' if matches!(entry.step, Step::Item(_)) => match entry.rows().iter().position(|r| *r == Row::DontKnow)
        {
            Some(row) => {
                entry.cursor = Some(row);
                if let Err(e) = entry.confirm(&data.pilots) {
                    entry.error = Some(e);
                }
            }
            None => entry.error = Some("this item has no \"can't say\" answer".into()),
        },
        ' ' if entry.is_multi() => {
            if let Some(row) = entry.cursor {
                entry.toggle(row);
            }
        }
        _ => {}
    }
}

/// A paste types into the page's text input.
pub fn paste(entry: &mut Entry, text: &str) {
    if entry.typing() && !entry.discarding {
        entry.input.insert_str(text);
    }
}
