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
    /// Every interview's notes, parsed.
    pub index: Index,
    /// Uses per code, in codebook order.
    pub code_counts: Vec<(String, usize)>,
    /// The segments of one code (its slug), as the retrieval screen shows them.
    pub segments: Option<(String, Vec<Segment>)>,
    /// Search hits for one query.
    pub hits: Option<(String, Vec<Hit>)>,
    /// Interviews per pilot id.
    pub interviews_per_pilot: HashMap<Id, usize>,
}

/// Brings the derived data up to date with `app.data` and the screen: rebuilt when the
/// data snapshot changed, a code's segments and search hits when what is asked changed.
pub fn refresh(app: &mut App) {
    let d = &mut app.derived;
    if d.data_gen != app.data_gen {
        d.index = d.index.rebuilt(&app.data.interviews);
        d.code_counts = retrieval::code_counts_in(&d.index, &app.data.interviews, &app.data.codebook);
        d.segments = None;
        d.hits = None;
        d.interviews_per_pilot.clear();
        for p in app.data.interviews.iter().flat_map(|i| &i.pilots) {
            *d.interviews_per_pilot.entry(p.clone()).or_default() += 1;
        }
        d.data_gen = app.data_gen;
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
