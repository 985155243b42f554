//! The interviews list's filter: plain words match context, role and notes; tokens
//! narrow by field: `role:provider round:mid #trust from:2020-03-01 to:2020-06-30`.

use chrono::NaiveDate;

use super::codebook::Codebook;
use super::interview::Interview;

#[derive(Debug, Clone, Default, PartialEq)]
pub struct InterviewFilter {
    pub role: Option<String>,
    pub round: Option<String>,
    pub code: Option<String>,
    pub from: Option<NaiveDate>,
    pub to: Option<NaiveDate>,
    pub words: Vec<String>,
}

impl InterviewFilter {
    /// Parses filter text; tokens that do not parse (a half-typed date) are ignored,
    /// so filtering as you type never fails.
    pub fn parse(text: &str) -> InterviewFilter {
        let mut f = InterviewFilter::default();
        for token in text.split_whitespace() {
            let lower = token.to_lowercase();
            if let Some(v) = lower.strip_prefix("role:") {
                f.role = Some(v.replace('_', " "));
            } else if let Some(v) = lower.strip_prefix("round:") {
                f.round = Some(v.to_string());
            } else if let Some(v) = lower.strip_prefix("from:") {
                f.from = v.parse().ok();
            } else if let Some(v) = lower.strip_prefix("to:") {
                f.to = v.parse().ok();
            } else if let Some(v) = lower.strip_prefix('#').filter(|v| !v.is_empty()) {
                f.code = Some(v.to_string());
            } else {
                f.words.push(lower);
            }
        }
        f
    }

    /// Like [`InterviewFilter::matches`], with `#code` including the code's sub-codes,
    /// as retrieval and `oppi interview list --code` do.
    pub fn matches_in(&self, i: &Interview, book: &Codebook) -> bool {
        match &self.code {
            Some(code) => {
                let codes = book.with_descendants(code);
                let without_code = InterviewFilter { code: None, ..self.clone() };
                without_code.matches(i) && i.paragraphs().iter().any(|p| p.codes.iter().any(|c| codes.contains(c)))
            }
            None => self.matches(i),
        }
    }

    pub fn matches(&self, i: &Interview) -> bool {
        let date = i.at.date();
        let contains = |hay: &str, needle: &str| hay.to_lowercase().contains(needle);
        self.role.as_deref().is_none_or(|r| contains(&i.role, r))
            && self.round.as_deref().is_none_or(|r| contains(&i.round, r))
            && self.from.is_none_or(|d| date >= d)
            && self.to.is_none_or(|d| date <= d)
            && self.code.as_deref().is_none_or(|c| i.paragraphs().iter().any(|p| p.codes.iter().any(|x| x == c)))
            && self.words.iter().all(|w| {
                contains(&i.context, w) || contains(&i.role, w) || contains(&i.org_type, w) || contains(&i.notes, w)
            })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::demo;

    #[test]
    fn tokens_narrow_by_field() {
        let interviews = demo::interviews();
        let count = |q: &str| interviews.iter().filter(|i| InterviewFilter::parse(q).matches(i)).count();
        assert_eq!(count(""), interviews.len());
        assert!(count("covid") >= 2);
        assert_eq!(count("role:service_provider round:mid"), 2);
        assert!(count("#trust") >= 2);
        let book = demo::codebook(&demo::evaluation().themes);
        let theme = "#cooperation-and-partnership-models";
        let with_sub_codes = interviews.iter().filter(|i| InterviewFilter::parse(theme).matches_in(i, &book)).count();
        assert!(with_sub_codes > count(theme), "a theme includes its sub-codes (#trust, #communication)");
        assert_eq!(
            count("from:2020-01-01 to:2020-06-30"),
            interviews
                .iter()
                .filter(|i| i.at.date().to_string().as_str() >= "2020-01-01"
                    && i.at.date().to_string().as_str() <= "2020-06-30")
                .count()
        );
        assert_eq!(count("from:2020-1"), interviews.len(), "a half-typed date is ignored");
    }
}
