//! What views show that is derived from the data rather than stored: parsed notes, code
//! counts, a code's segments, search hits, response counts. Built in `update` when the
//! data or the question changes (see [`refresh`]), never while drawing: at the scale of
//! a large evaluation (300 interviews, 20,000 coded segments, 50,000 responses) deriving
//! them on every frame took 2–50 ms a frame.

use std::collections::HashMap;

use super::{App, Screen};
use crate::domain::Id;
use crate::domain::retrieval::{self, Hit, Index, Segment};

#[derive(Debug, Default)]
pub struct Derived {
    /// The [`App::data_gen`] these were built for.
    pub data_gen: u64,
    /// Every interview's notes, parsed, and the [`App::data_gen`] it was built for: built
    /// only once a screen that reads notes opens, so that a store's first frame does not
    /// wait for 300 interviews to be parsed.
    pub index: Index,
    pub index_gen: Option<u64>,
    /// Uses per code, in codebook order.
    pub code_counts: Vec<(String, usize)>,
    /// The segments of one code (its slug), as the retrieval screen shows them.
    pub segments: Option<(String, Vec<Segment>)>,
    /// Search hits for one query.
    pub hits: Option<(String, Vec<Hit>)>,
    /// Interviews per pilot id.
    pub interviews_per_pilot: HashMap<Id, usize>,
    /// Survey responses per pilot id, all surveys.
    pub responses_per_pilot: HashMap<Id, usize>,
    /// Per survey id: how many responses, from which pilots, in which rounds.
    pub surveys: HashMap<String, SurveyCounts>,
}

/// What the survey list shows of one survey's responses.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct SurveyCounts {
    pub responses: usize,
    /// As [`super::survey_view::answered_pilots`].
    pub pilots: Vec<Id>,
    /// As [`super::survey_view::answered_rounds`].
    pub rounds: Vec<u32>,
}

/// Brings the derived data up to date with `app.data` and the screen: rebuilt when the
/// data snapshot changed, a code's segments and search hits when what is asked changed.
pub fn refresh(app: &mut App) {
    let d = &mut app.derived;
    if d.data_gen != app.data_gen {
        d.segments = None;
        d.hits = None;
        d.interviews_per_pilot.clear();
        for p in app.data.interviews.iter().flat_map(|i| &i.pilots) {
            *d.interviews_per_pilot.entry(p.clone()).or_default() += 1;
        }
        d.responses_per_pilot.clear();
        d.surveys.clear();
        for (survey, responses) in app.data.responses.iter() {
            for p in responses.iter().filter_map(|r| r.pilot.as_deref()) {
                match d.responses_per_pilot.get_mut(p) {
                    Some(n) => *n += 1,
                    None => {
                        d.responses_per_pilot.insert(p.to_string(), 1);
                    }
                }
            }
            let counts = SurveyCounts {
                responses: responses.len(),
                pilots: super::survey_view::answered_pilots(&app.data, survey),
                rounds: super::survey_view::answered_rounds(&app.data, survey),
            };
            d.surveys.insert(survey.clone(), counts);
        }
        d.data_gen = app.data_gen;
    }
    if matches!(app.screen, Screen::Codes(_) | Screen::Search(_) | Screen::Interviews(_))
        && d.index_gen != Some(app.data_gen)
    {
        d.index = d.index.rebuilt(&app.data.interviews);
        d.code_counts = retrieval::code_counts_in(&d.index, &app.data.interviews, &app.data.codebook);
        d.index_gen = Some(app.data_gen);
    }
    match &app.screen {
        Screen::Codes(view) => {
            let Some(code) = app.data.codebook.codes.get(view.code) else { return };
            if d.segments.as_ref().is_none_or(|(slug, _)| *slug != code.slug) {
                let segments = retrieval::segments_in(&d.index, &app.data.interviews, &app.data.codebook, &code.slug);
                d.segments = Some((code.slug.clone(), segments));
            }
        }
        Screen::Search(view) => {
            let query = view.query.value();
            if d.hits.as_ref().is_none_or(|(q, _)| q != query) {
                let hits = retrieval::search_in(
                    &d.index,
                    query,
                    &app.data.pilots,
                    &app.data.objectives,
                    &app.data.interviews,
                    super::interviews::SEARCH_LIMIT,
                );
                d.hits = Some((query.to_string(), hits));
            }
        }
        _ => {}
    }
}
