use chrono::NaiveDate;

use super::{demo_interviews, demo_objectives};
use crate::demo;
use crate::domain::codebook::Codebook;
use crate::domain::objective::Objective;
use crate::domain::synthesis::{MatrixCell, theme_matrix};

fn cell(segments: usize, lessons: usize) -> Option<MatrixCell> {
    Some(MatrixCell { segments, lessons })
}

#[test]
fn demo_counts_per_theme_and_pilot() {
    let pilots = demo::pilots();
    let book = demo::codebook(&demo::evaluation().themes);
    let m = theme_matrix(&demo_interviews(), &book, &demo_objectives(), &pilots);

    // Columns in portfolio order, zeros kept.
    assert_eq!(
        m.columns.iter().map(|c| c.pilot.as_str()).collect::<Vec<_>>(),
        pilots.iter().map(|p| p.id.as_str()).collect::<Vec<_>>()
    );
    assert!(m.rows.iter().all(|r| r.cells.len() == pilots.len()));

    // Results-based procurement includes the #result-fee sub-code; the p2+p3 interview
    // counts in both; p4's objective has one lesson, p2's fee objective none yet.
    assert_eq!(m.cell("results-based-procurement", "p2"), cell(4, 0));
    assert_eq!(m.cell("results-based-procurement", "p3"), cell(2, 0));
    assert_eq!(m.cell("results-based-procurement", "p4"), cell(3, 1));
    assert_eq!(m.row("results-based-procurement").unwrap().central_in, 3);

    assert_eq!(m.cell("customer-centricity", "p2"), cell(3, 1));
    assert_eq!(m.row("customer-centricity").unwrap().central_in, 3);

    // #trust and #communication roll up into the partnership theme.
    let coop = m.row("cooperation-and-partnership-models").unwrap();
    assert_eq!(coop.central_in, 6);
    assert_eq!(m.cell("cooperation-and-partnership-models", "p7"), cell(3, 0));

    // AIMO's two lessons count as lessons in its cell, but the pilot only once.
    assert_eq!(m.cell("new-ways-of-organising-services", "p7"), cell(1, 2));
    assert_eq!(m.row("new-ways-of-organising-services").unwrap().central_in, 2);

    // A pilot with a lesson but no coded segment is still central: Innorekry.
    assert_eq!(m.cell("business-services-through-multi-actor-cooperation", "p12"), cell(1, 1));
    assert_eq!(m.cell("partnership-work", "p7"), cell(4, 0));
}

#[test]
fn rows_keep_codebook_order_never_sorted_by_count() {
    let book = demo::codebook(&demo::evaluation().themes);
    let m = theme_matrix(&demo_interviews(), &book, &demo_objectives(), &demo::pilots());
    let themes: Vec<String> =
        book.codes.iter().filter(|c| c.parent.is_none() && c.slug != "lessons").map(|c| c.slug.clone()).collect();
    let categories: Vec<String> = book.children("lessons").map(|c| c.slug.clone()).collect();
    let rows: Vec<String> = m.rows.iter().map(|r| r.code.clone()).collect();
    assert_eq!(rows, [themes.clone(), categories].concat(), "themes, then lesson categories, no sub-codes");
    assert!(m.rows[..themes.len()].iter().all(|r| !r.lesson_category));
    assert!(m.rows[themes.len()..].iter().all(|r| r.lesson_category));
    let counts: Vec<usize> = m.rows.iter().map(|r| r.central_in).collect();
    let mut sorted = counts.clone();
    sorted.sort_by(|a, b| b.cmp(a));
    assert_ne!(counts, sorted, "the demo would reorder if rows were ranked");
    let text = m.to_text();
    assert_eq!(text.lines().count(), 1 + m.rows.len());
    assert!(text.lines().nth(1).unwrap().starts_with("Customer-centricity"));
}

#[test]
fn small_input_objective_themes_by_name_or_sub_code() {
    let mut book = Codebook::seeded(&["Customer-centricity".into(), "Results-based procurement".into()]);
    book.add("Trust", Some("customer-centricity"), "").unwrap();
    let mut pilots = demo::pilots();
    pilots.truncate(3);
    let day = NaiveDate::from_ymd_opt(2020, 5, 1).unwrap();
    let mut a = Objective::new("o1".into(), "p1", "Q", "trust").unwrap();
    a.add_lesson("L1", day, vec![]).unwrap();
    a.add_lesson("L2", day, vec![]).unwrap();
    let mut b = Objective::new("o2".into(), "p1", "Q", "CUSTOMER-CENTRICITY").unwrap();
    b.add_lesson("L3", day, vec![]).unwrap();
    let no_lessons = Objective::new("o3".into(), "p2", "Q", "Customer-centricity").unwrap();
    let mut unknown = Objective::new("o4".into(), "p3", "Q", "Not in the book").unwrap();
    unknown.add_lesson("L4", day, vec![]).unwrap();
    let m = theme_matrix(&[], &book, &[a, b, no_lessons, unknown], &pilots);
    let row = m.row("customer-centricity").unwrap();
    assert_eq!(row.cells, vec![MatrixCell { segments: 0, lessons: 3 }, MatrixCell::default(), MatrixCell::default()]);
    assert_eq!(row.central_in, 1, "an objective without lessons is not yet a lesson");
    assert!(m.rows.iter().all(|r| r.code != "trust"), "sub-codes have no row of their own");
    assert!(m.rows.iter().filter(|r| r.code != "customer-centricity").all(|r| r.central_in == 0));
    assert_eq!(m.rows.len(), 2 + 5);
}
