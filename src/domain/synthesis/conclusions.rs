//! Conclusions, grouped by the evaluation question they answer, and a check that
//! every link inside the synthesis still resolves.

use crate::domain::{Evaluation, Id};

use super::model::{Conclusion, QuestionRef, Synthesis};

/// The conclusions answering one question, for the report's conclusions chapter.
#[derive(Debug, Clone, PartialEq)]
pub struct QuestionGroup<'a> {
    pub question: QuestionRef,
    /// The question's text; empty when the evaluation no longer has that sub-question.
    pub text: String,
    pub conclusions: Vec<&'a Conclusion>,
}

impl Synthesis {
    pub fn add_conclusion(&mut self, question: QuestionRef, text: &str, findings: Vec<Id>) -> Result<Id, String> {
        if text.trim().is_empty() {
            return Err("a conclusion needs a text".into());
        }
        self.check_finding_links(&findings)?;
        let id = self.take_id("c");
        self.conclusions.push(Conclusion { id: id.clone(), question, text: text.trim().into(), findings });
        Ok(id)
    }

    /// Replaces question, text and findings; the id stays.
    pub fn edit_conclusion(
        &mut self,
        id: &str,
        question: QuestionRef,
        text: &str,
        findings: Vec<Id>,
    ) -> Result<(), String> {
        if text.trim().is_empty() {
            return Err("a conclusion needs a text".into());
        }
        self.check_finding_links(&findings)?;
        let c = self.conclusion_mut(id)?;
        c.question = question;
        c.text = text.trim().into();
        c.findings = findings;
        Ok(())
    }

    pub fn remove_conclusion(&mut self, id: &str) -> Result<Conclusion, String> {
        let at = self.conclusions.iter().position(|c| c.id == id).ok_or_else(|| format!("no conclusion {id}"))?;
        Ok(self.conclusions.remove(at))
    }

    /// Conclusions by question: the main question, then every sub-question in the
    /// evaluation's order (empty groups included, so an unanswered question shows), then
    /// any sub-question index the evaluation no longer has, so nothing disappears.
    pub fn conclusions_by_question(&self, evaluation: &Evaluation) -> Vec<QuestionGroup<'_>> {
        let of = |q: QuestionRef| self.conclusions.iter().filter(|c| c.question == q).collect::<Vec<_>>();
        let mut groups = vec![QuestionGroup {
            question: QuestionRef::Main,
            text: evaluation.main_question.clone(),
            conclusions: of(QuestionRef::Main),
        }];
        for (i, text) in evaluation.sub_questions.iter().enumerate() {
            groups.push(QuestionGroup {
                question: QuestionRef::Sub(i),
                text: text.clone(),
                conclusions: of(QuestionRef::Sub(i)),
            });
        }
        let mut stale: Vec<QuestionRef> = self
            .conclusions
            .iter()
            .map(|c| c.question)
            .filter(|q| matches!(q, QuestionRef::Sub(i) if *i >= evaluation.sub_questions.len()))
            .collect();
        stale.sort();
        stale.dedup();
        groups.extend(stale.into_iter().map(|q| QuestionGroup {
            question: q,
            text: String::new(),
            conclusions: of(q),
        }));
        groups
    }

    /// Links inside the synthesis that do not resolve: finding ids cited by
    /// recommendations or conclusions, and sub-questions the evaluation no longer has.
    /// The operations here never create such links; a record edited by hand or an
    /// evaluation whose sub-questions were cut can.
    pub fn broken_links(&self, evaluation: &Evaluation) -> Vec<String> {
        let mut out = Vec::new();
        for (n, r) in self.numbered() {
            for f in r.findings.iter().filter(|f| self.finding(f).is_none()) {
                out.push(format!("Recommendation {n} ({}) cites finding {f}, which does not exist", r.id));
            }
        }
        for c in &self.conclusions {
            for f in c.findings.iter().filter(|f| self.finding(f).is_none()) {
                out.push(format!("conclusion {} cites finding {f}, which does not exist", c.id));
            }
            if let QuestionRef::Sub(i) = c.question
                && i >= evaluation.sub_questions.len()
            {
                out.push(format!(
                    "conclusion {} answers sub-question {}, which the evaluation no longer has",
                    c.id,
                    i + 1
                ));
            }
        }
        out
    }
}
