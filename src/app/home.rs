use std::cmp::Ordering;

use super::text_input::TextInput;
use crate::domain::Pilot;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum SortColumn {
    /// The order pilots were added in: the portfolio's own order, not a ranking.
    #[default]
    Added,
    Name,
    Region,
    Kind,
    Status,
    Planned,
    Actual,
}

impl SortColumn {
    const CYCLE: [SortColumn; 7] = [
        SortColumn::Added,
        SortColumn::Name,
        SortColumn::Region,
        SortColumn::Kind,
        SortColumn::Status,
        SortColumn::Planned,
        SortColumn::Actual,
    ];

    pub fn next(self) -> SortColumn {
        let i = Self::CYCLE.iter().position(|c| *c == self).unwrap_or(0);
        Self::CYCLE[(i + 1) % Self::CYCLE.len()]
    }

    pub fn label(self) -> &'static str {
        match self {
            SortColumn::Added => "order added",
            SortColumn::Name => "name",
            SortColumn::Region => "region",
            SortColumn::Kind => "type",
            SortColumn::Status => "status",
            SortColumn::Planned => "planned",
            SortColumn::Actual => "actual",
        }
    }

    fn compare(self, a: &Pilot, b: &Pilot) -> Ordering {
        let text = |s: &str| s.to_lowercase();
        match self {
            SortColumn::Added => Ordering::Equal,
            SortColumn::Name => text(&a.name).cmp(&text(&b.name)),
            SortColumn::Region => text(&a.region).cmp(&text(&b.region)),
            SortColumn::Kind => a.kind.cmp(&b.kind),
            SortColumn::Status => a.status().cmp(&b.status()),
            SortColumn::Planned => a.planned_participants.cmp(&b.planned_participants),
            SortColumn::Actual => a.actual_participants.cmp(&b.actual_participants),
        }
    }
}

/// What the home screen's pilot table shows: filter, sort, selection.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct HomeView {
    pub selected: usize,
    pub filter: TextInput,
    pub filtering: bool,
    pub sort: SortColumn,
    pub reverse: bool,
    pub show_archived: bool,
}

impl HomeView {
    /// The pilots the table shows, in display order. The sort is stable, so ties keep
    /// the order pilots were added in.
    pub fn rows<'a>(&self, pilots: &'a [Pilot]) -> Vec<&'a Pilot> {
        let needle = self.filter.value().trim().to_lowercase();
        let mut rows: Vec<&Pilot> = pilots
            .iter()
            .filter(|p| self.show_archived || !p.archived)
            .filter(|p| needle.is_empty() || matches(p, &needle))
            .collect();
        rows.sort_by(|a, b| self.sort.compare(a, b));
        if self.reverse {
            rows.reverse();
        }
        rows
    }
}

/// Case-insensitive match on everything a user might remember a pilot by.
fn matches(p: &Pilot, needle: &str) -> bool {
    let hay = [p.name.as_str(), p.region.as_str(), p.status().label(), p.kind.label(), p.current_target_group()];
    hay.iter().any(|h| h.to_lowercase().contains(needle))
        || p.alt_names.iter().any(|a| a.to_lowercase().contains(needle))
}
