//! Findings and their evidence: adding, editing, removing, and checking that every
//! cited piece of evidence still exists.

use crate::domain::Id;
use crate::domain::codebook::Codebook;
use crate::domain::evidence::EvidenceRef;
use crate::domain::survey::{LOW_N, Tally};

use super::model::{Finding, FindingDraft, Scope, Synthesis};

fn check_draft(draft: &FindingDraft) -> Result<(), String> {
    if draft.theme.trim().is_empty() {
        return Err("a finding needs a theme from the codebook".into());
    }
    if draft.what.trim().is_empty() {
        return Err("a finding needs a 'what we saw'".into());
    }
    if let Scope::Local(pilot) = &draft.scope
        && pilot.trim().is_empty()
    {
        return Err("a local finding needs its pilot".into());
    }
    Ok(())
}

/// The evidence kind's name, for "cites 3 kinds of evidence" checks.
pub fn evidence_kind(e: &EvidenceRef) -> &'static str {
    match e {
        EvidenceRef::Segment { .. } => "interview",
        EvidenceRef::Quote { .. } => "quote",
        EvidenceRef::Tally { .. } => "survey",
        EvidenceRef::Workshop { .. } => "workshop",
        EvidenceRef::Indicator { .. } => "indicator",
        EvidenceRef::Lesson { .. } => "lesson",
        EvidenceRef::Document { .. } => "document",
    }
}

/// A survey citation with its n, as the report prints it: "survey partner-2020 ·
/// goals_clear · pilot p2 (n = 7, low n)". `None` when the tally has no such item.
pub fn cite_tally(evidence: &EvidenceRef, tally: &Tally) -> Option<String> {
    let EvidenceRef::Tally { item, .. } = evidence else { return None };
    let n = tally.item(item)?.n;
    let warn = if n < LOW_N { ", low n" } else { "" };
    Some(format!("{} (n = {n}{warn})", evidence.label()))
}

impl Finding {
    /// The distinct kinds of evidence cited, in first-cited order.
    pub fn evidence_kinds(&self) -> Vec<&'static str> {
        let mut kinds = Vec::new();
        for k in self.evidence.iter().map(evidence_kind) {
            if !kinds.contains(&k) {
                kinds.push(k);
            }
        }
        kinds
    }
}

impl Synthesis {
    /// Adds a finding at the end; returns its new id.
    pub fn add_finding(&mut self, draft: FindingDraft) -> Result<Id, String> {
        check_draft(&draft)?;
        let id = self.take_id("f");
        self.findings.push(Finding {
            id: id.clone(),
            theme: draft.theme.trim().into(),
            what: draft.what.trim().into(),
            so_what: draft.so_what.trim().into(),
            now_what: draft.now_what.trim().into(),
            evidence: vec![],
            scope: draft.scope,
            voice: draft.voice,
            pilots: draft.pilots,
        });
        Ok(id)
    }

    /// Replaces a finding's text, theme, scope, voice and example pilots. Its id and
    /// evidence stay, so every recommendation and conclusion citing it still does.
    pub fn edit_finding(&mut self, id: &str, draft: FindingDraft) -> Result<(), String> {
        check_draft(&draft)?;
        let f = self.finding_mut(id)?;
        f.theme = draft.theme.trim().into();
        f.what = draft.what.trim().into();
        f.so_what = draft.so_what.trim().into();
        f.now_what = draft.now_what.trim().into();
        f.scope = draft.scope;
        f.voice = draft.voice;
        f.pilots = draft.pilots;
        Ok(())
    }

    /// Who cites a finding: "Recommendation 2 (r5)", "conclusion c7".
    pub fn citations_of(&self, finding: &str) -> Vec<String> {
        let recs = self
            .numbered()
            .into_iter()
            .filter(|(_, r)| r.findings.iter().any(|f| f == finding))
            .map(|(n, r)| format!("Recommendation {n} ({})", r.id));
        let concs = self
            .conclusions
            .iter()
            .filter(|c| c.findings.iter().any(|f| f == finding))
            .map(|c| format!("conclusion {}", c.id));
        recs.chain(concs).collect()
    }

    /// Removes a finding nobody cites. A cited one is refused with the citing
    /// recommendations and conclusions named: detaching silently would leave a
    /// recommendation that no longer shows what it rests on, and a warning is easy to
    /// miss at the end of a long report. Unlink it there first.
    pub fn remove_finding(&mut self, id: &str) -> Result<Finding, String> {
        let at = self.findings.iter().position(|f| f.id == id).ok_or_else(|| format!("no finding {id}"))?;
        let cited = self.citations_of(id);
        if !cited.is_empty() {
            return Err(format!("finding {id} is cited by {}; unlink it there first", cited.join(", ")));
        }
        Ok(self.findings.remove(at))
    }

    /// Cites one more piece of evidence; the same reference twice is refused.
    pub fn add_evidence(&mut self, finding: &str, evidence: EvidenceRef) -> Result<(), String> {
        let f = self.finding_mut(finding)?;
        if f.evidence.contains(&evidence) {
            return Err(format!("finding {finding} already cites {}", evidence.label()));
        }
        f.evidence.push(evidence);
        Ok(())
    }

    pub fn remove_evidence(&mut self, finding: &str, evidence: &EvidenceRef) -> Result<(), String> {
        let f = self.finding_mut(finding)?;
        let at = f
            .evidence
            .iter()
            .position(|e| e == evidence)
            .ok_or_else(|| format!("finding {finding} does not cite {}", evidence.label()))?;
        f.evidence.remove(at);
        Ok(())
    }

    /// Evidence that no longer resolves (an interview deleted, a paragraph gone, an
    /// indicator removed), by finding, in report order. `exists` looks the reference up
    /// in the data. Broken links are reported for the evaluator to mend, never dropped
    /// behind their back: a finding that quietly loses its evidence looks better
    /// supported than it is.
    pub fn missing_evidence(&self, exists: impl Fn(&EvidenceRef) -> bool) -> Vec<(Id, EvidenceRef)> {
        self.findings
            .iter()
            .flat_map(|f| f.evidence.iter().filter(|e| !exists(e)).map(|e| (f.id.clone(), e.clone())))
            .collect()
    }

    /// Findings grouped by theme: themes in codebook order (a sub-code's findings under
    /// its top-level theme), then themes the codebook no longer has, by name.
    pub fn findings_by_theme<'a>(&'a self, book: &Codebook) -> Vec<(String, Vec<&'a Finding>)> {
        let top = |slug: &str| -> String {
            let mut code = book.get(slug);
            while let Some(parent) = code.and_then(|c| c.parent.as_deref()).and_then(|p| book.get(p)) {
                code = Some(parent);
            }
            code.map_or_else(|| slug.to_lowercase(), |c| c.slug.clone())
        };
        let mut groups: Vec<(String, Vec<&Finding>)> =
            book.codes.iter().filter(|c| c.parent.is_none()).map(|c| (c.slug.clone(), vec![])).collect();
        let known = groups.len();
        for f in &self.findings {
            let theme = top(&f.theme);
            match groups.iter_mut().find(|(t, _)| *t == theme) {
                Some((_, list)) => list.push(f),
                None => groups.push((theme, vec![f])),
            }
        }
        groups[known..].sort_by(|a, b| a.0.cmp(&b.0));
        groups.retain(|(_, list)| !list.is_empty());
        groups
    }
}
