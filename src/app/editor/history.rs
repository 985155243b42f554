//! Undo and redo. A step keeps only the lines it changed (before and after) and the
//! cursor on both sides, never the whole note. Typing runs and single-character
//! deletions on one line merge into one step until something else happens.

use std::collections::VecDeque;

/// Steps kept; older ones are forgotten.
pub const MAX_STEPS: usize = 10_000;

pub type Pos = (usize, usize);

/// Lines `at .. at + before.len()` were replaced by `after`.
#[derive(Debug, Clone)]
pub struct Edit {
    pub at: usize,
    pub before: Vec<String>,
    pub after: Vec<String>,
    pub cursor_before: Pos,
    pub cursor_after: Pos,
}

/// What kind of edit a step is: runs of the same kind merge.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    Typing,
    Deleting,
    Other,
}

#[derive(Debug, Default)]
pub struct History {
    undo: VecDeque<Edit>,
    redo: Vec<Edit>,
    /// The kind of the last step while it may still grow.
    open: Option<Kind>,
}

impl History {
    /// Ends the running step: the next edit starts a new one.
    pub fn seal(&mut self) {
        self.open = None;
    }

    pub fn record(&mut self, edit: Edit, kind: Kind) {
        self.redo.clear();
        let single_line = edit.before.len() == 1 && edit.after.len() == 1;
        if kind != Kind::Other
            && self.open == Some(kind)
            && single_line
            && let Some(last) = self.undo.back_mut()
            && last.at == edit.at
            && last.after.len() == 1
            && last.cursor_after == edit.cursor_before
        {
            last.after = edit.after;
            last.cursor_after = edit.cursor_after;
            return;
        }
        self.undo.push_back(edit);
        if self.undo.len() > MAX_STEPS {
            self.undo.pop_front();
        }
        self.open = (kind != Kind::Other).then_some(kind);
    }

    pub fn undo(&mut self) -> Option<&Edit> {
        self.open = None;
        let edit = self.undo.pop_back()?;
        self.redo.push(edit);
        self.redo.last()
    }

    pub fn redo(&mut self) -> Option<&Edit> {
        self.open = None;
        let edit = self.redo.pop()?;
        self.undo.push_back(edit);
        self.undo.back()
    }

    #[cfg(test)]
    pub fn len(&self) -> usize {
        self.undo.len()
    }
}
