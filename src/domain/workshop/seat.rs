//! A participant's seat in a workshop: who they are to it, and what they have typed but
//! not sent. The draft is kept so that a dropped connection loses nothing: rejoining
//! with the same key brings it back.

use serde::{Deserialize, Serialize};

use super::model::{ItemId, ParticipantId, ReactionKind};
use crate::domain::Id;

/// What the typed text is for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "kebab-case")]
pub enum DraftPurpose {
    /// A sticky note for a write phase.
    Note,
    /// A comment with a reaction to a presented item.
    Comment { item: ItemId, reaction: ReactionKind },
    /// The reason that goes with a dot (Most Significant Change rounds).
    Reason { item: ItemId },
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SeatDraft {
    pub workshop: Id,
    pub participant: ParticipantId,
    /// 0-based phase the text was typed in.
    pub phase: usize,
    pub purpose: DraftPurpose,
    pub text: String,
}

/// A participant id from an SSH public key's SHA-256 fingerprint (`SHA256:…`): the same
/// key always gives the same id, so a participant who reconnects is the same person to
/// the tallies. Only a short, path-safe part is kept: it identifies, it does not name.
pub fn participant_id_from_fingerprint(fingerprint: &str) -> ParticipantId {
    let body = fingerprint.strip_prefix("SHA256:").unwrap_or(fingerprint);
    let safe: String = body.chars().filter(|c| c.is_ascii_alphanumeric() || matches!(c, '+' | '/')).take(16).collect();
    format!("k-{}", safe.replace('/', "_").replace('+', "-"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_from_fingerprints_are_stable_short_and_path_safe() {
        let fp = "SHA256:ab/cd+efGHIJKLMNOPQRSTUVWXYZ0123456789";
        let id = participant_id_from_fingerprint(fp);
        assert_eq!(id, participant_id_from_fingerprint(fp));
        assert_eq!(id, "k-ab_cd-efGHIJKLMN");
        assert!(!id.contains('/'));
    }
}
