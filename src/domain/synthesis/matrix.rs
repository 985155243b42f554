//! The theme × pilot matrix: in which pilots each theme or lesson category was
//! central, counted from coded interview segments and from learning-objective lessons.
//!
//! It is a map of where the learning came from, not a league table: rows keep the
//! codebook's order and columns the portfolio's, whatever the counts, and no total per
//! pilot is computed (developmental evaluation is about learning, not ranking pilots).

use serde::{Deserialize, Serialize};

use crate::domain::codebook::{Codebook, slugify};
use crate::domain::interview::Interview;
use crate::domain::objective::Objective;
use crate::domain::retrieval::{per_pilot, segments};
use crate::domain::{Id, Pilot};

/// The top-level code [`Codebook::seeded`] files the lesson categories under. It is a
/// folder, not a theme: its categories get rows of their own, since one "Lessons" row
/// lumping all five together would say nothing.
pub const LESSONS_CODE: &str = "lessons";

#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct MatrixCell {
    /// Interview paragraphs coded with the theme or a code under it.
    pub segments: usize,
    /// Lessons of the pilot's objectives on this theme.
    pub lessons: usize,
}

impl MatrixCell {
    /// A theme is central in a pilot when anything was coded or learned there.
    pub fn central(&self) -> bool {
        self.segments > 0 || self.lessons > 0
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct MatrixColumn {
    pub pilot: Id,
    pub name: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct MatrixRow {
    /// The codebook slug.
    pub code: String,
    pub name: String,
    /// A lesson category rather than a cross-pilot theme.
    pub lesson_category: bool,
    /// One per column, in column order.
    pub cells: Vec<MatrixCell>,
    /// In how many pilots the theme was central (each pilot once).
    pub central_in: usize,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ThemeMatrix {
    /// Portfolio order.
    pub columns: Vec<MatrixColumn>,
    /// Codebook order.
    pub rows: Vec<MatrixRow>,
}

/// The codebook slug an objective's theme names: objectives store the theme as typed
/// ("Customer-centricity"), the codebook by slug.
fn theme_slug(book: &Codebook, theme: &str) -> Option<String> {
    let slug = slugify(theme);
    book.codes.iter().find(|c| c.slug == slug || c.name.eq_ignore_ascii_case(theme.trim())).map(|c| c.slug.clone())
}

/// The codes that get a row, in codebook order: top-level themes, with the lessons
/// folder replaced by its categories.
fn row_codes(book: &Codebook) -> Vec<(String, String, bool)> {
    let mut rows = Vec::new();
    for code in book.codes.iter().filter(|c| c.parent.is_none()) {
        if code.slug == LESSONS_CODE {
            rows.extend(book.children(&code.slug).map(|c| (c.slug.clone(), c.name.clone(), true)));
        } else {
            rows.push((code.slug.clone(), code.name.clone(), false));
        }
    }
    rows
}

/// Builds the matrix. A theme's sub-codes count towards it; a segment of an
/// interview about two pilots counts in both; an objective's lessons count in its
/// pilot's cell, and the pilot is counted once per theme however many lessons it has.
pub fn theme_matrix(
    interviews: &[Interview],
    book: &Codebook,
    objectives: &[Objective],
    pilots: &[Pilot],
) -> ThemeMatrix {
    let columns = pilots.iter().map(|p| MatrixColumn { pilot: p.id.clone(), name: p.name.clone() }).collect();
    let objective_slugs: Vec<Option<String>> = objectives.iter().map(|o| theme_slug(book, &o.theme)).collect();
    let rows = row_codes(book)
        .into_iter()
        .map(|(code, name, lesson_category)| {
            let covered = book.with_descendants(&code);
            let segs = segments(interviews, book, &code);
            let cells: Vec<MatrixCell> = per_pilot(&segs, pilots)
                .into_iter()
                .map(|(pilot, segments)| {
                    let lessons = objectives
                        .iter()
                        .zip(&objective_slugs)
                        .filter(|(o, slug)| o.pilot == pilot.id && slug.as_ref().is_some_and(|s| covered.contains(s)))
                        .map(|(o, _)| o.lessons.len())
                        .sum();
                    MatrixCell { segments, lessons }
                })
                .collect();
            let central_in = cells.iter().filter(|c| c.central()).count();
            MatrixRow { code, name, lesson_category, cells, central_in }
        })
        .collect();
    ThemeMatrix { columns, rows }
}

impl ThemeMatrix {
    pub fn row(&self, code: &str) -> Option<&MatrixRow> {
        self.rows.iter().find(|r| r.code == code)
    }

    /// The cell of one theme in one pilot.
    pub fn cell(&self, code: &str, pilot: &str) -> Option<MatrixCell> {
        let col = self.columns.iter().position(|c| c.pilot == pilot)?;
        self.row(code)?.cells.get(col).copied()
    }

    /// A plain-text table for exports: one line per row, "segments+lessons" per cell,
    /// `·` where the theme did not come up, and the pilots-where-central count last.
    pub fn to_text(&self) -> String {
        let cell_text = |c: &MatrixCell| match (c.segments, c.lessons) {
            (0, 0) => "·".to_string(),
            (s, 0) => s.to_string(),
            (s, l) => format!("{s}+{l}"),
        };
        let width = self.rows.iter().map(|r| r.name.chars().count()).max().unwrap_or(0).max("theme".len());
        let col_width = |i: usize| {
            let head = self.columns[i].pilot.chars().count();
            self.rows.iter().map(|r| cell_text(&r.cells[i]).chars().count()).max().unwrap_or(0).max(head)
        };
        let widths: Vec<usize> = (0..self.columns.len()).map(col_width).collect();
        let mut out = format!("{:width$}", "theme");
        for (c, w) in self.columns.iter().zip(&widths) {
            out.push_str(&format!("  {:>w$}", c.pilot));
        }
        out.push_str("  pilots\n");
        for r in &self.rows {
            out.push_str(&format!("{:width$}", r.name));
            for (c, w) in r.cells.iter().zip(&widths) {
                out.push_str(&format!("  {:>w$}", cell_text(c)));
            }
            out.push_str(&format!("  {:>6}\n", r.central_in));
        }
        out
    }
}
