//! What changed between two revisions of a map.
