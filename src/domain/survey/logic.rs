//! Skip logic: `relevant = "org == 'Company' and not (role != \"buyer\")"`.
//!
//! Hand-written because the language is tiny and we want precise error offsets.
//! Grammar (lowest precedence first; keywords are case-insensitive):
//!   or    := and ('or' and)*
//!   and   := unary ('and' unary)*
//!   unary := 'not' unary | '(' or ')' | item ('==' | '!=') literal
//!   literal := 'text' | "text" | number
//!
//! Expressions name items; [`compile`] resolves names to item indices and literals to
//! [`Matcher`]s once, so evaluating per respondent allocates nothing.

use serde::{Deserialize, Serialize};

use super::answer::{Answer, Pick};
use super::spec::{Item, ItemKind, Survey};

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub enum Expr {
    /// `item op value`; `at` is the byte offset of the item name in the source.
    Cmp {
        item: String,
        op: CmpOp,
        value: String,
        at: usize,
    },
    Not(Box<Expr>),
    And(Box<Expr>, Box<Expr>),
    Or(Box<Expr>, Box<Expr>),
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum CmpOp {
    Eq,
    Ne,
}

/// A syntax error at byte offset `at` of the expression.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ExprError {
    pub at: usize,
    pub message: String,
}

#[derive(Debug, Clone, PartialEq)]
enum Tok {
    Ident(String),
    Lit(String),
    Eq,
    Ne,
    Open,
    Close,
    And,
    Or,
    Not,
    End,
}

fn err<T>(at: usize, message: impl Into<String>) -> Result<T, ExprError> {
    Err(ExprError { at, message: message.into() })
}

fn tokenize(src: &str) -> Result<Vec<(Tok, usize)>, ExprError> {
    let mut out = Vec::new();
    let mut chars = src.char_indices().peekable();
    while let Some(&(at, c)) = chars.peek() {
        if c.is_whitespace() {
            chars.next();
        } else if c == '(' || c == ')' {
            chars.next();
            out.push((if c == '(' { Tok::Open } else { Tok::Close }, at));
        } else if c == '=' || c == '!' {
            chars.next();
            if chars.next_if(|&(_, n)| n == '=').is_none() {
                return err(at, format!("expected `{c}=`"));
            }
            out.push((if c == '=' { Tok::Eq } else { Tok::Ne }, at));
        } else if c == '\'' || c == '"' {
            chars.next();
            let start = at + 1;
            let Some((end, _)) = chars.by_ref().find(|&(_, n)| n == c) else {
                return err(at, format!("unterminated text: a closing {c} was expected"));
            };
            out.push((Tok::Lit(src[start..end].to_string()), at));
        } else if c.is_ascii_digit() || c == '-' || c == '.' {
            let mut end = at;
            while let Some((i, n)) = chars.next_if(|&(_, n)| n.is_ascii_digit() || n == '.' || n == '-') {
                end = i + n.len_utf8();
            }
            let text = &src[at..end];
            if text.parse::<f64>().is_err() {
                return err(at, format!("`{text}` is not a number"));
            }
            out.push((Tok::Lit(text.to_string()), at));
        } else if c.is_alphabetic() || c == '_' {
            let mut end = at;
            while let Some((i, n)) = chars.next_if(|&(_, n)| n.is_alphanumeric() || n == '_' || n == '-') {
                end = i + n.len_utf8();
            }
            let word = &src[at..end];
            let tok = match word.to_ascii_lowercase().as_str() {
                "and" => Tok::And,
                "or" => Tok::Or,
                "not" => Tok::Not,
                _ => Tok::Ident(word.to_string()),
            };
            out.push((tok, at));
        } else {
            return err(at, format!("unexpected `{c}`; expected an item id, `(`, `not` or a quoted text"));
        }
    }
    out.push((Tok::End, src.len()));
    Ok(out)
}

struct Parser {
    toks: Vec<(Tok, usize)>,
    pos: usize,
}

impl Parser {
    fn peek(&self) -> &(Tok, usize) {
        &self.toks[self.pos]
    }

    fn next(&mut self) -> (Tok, usize) {
        let t = self.toks[self.pos].clone();
        if t.0 != Tok::End {
            self.pos += 1;
        }
        t
    }

    fn or(&mut self) -> Result<Expr, ExprError> {
        let mut left = self.and()?;
        while self.peek().0 == Tok::Or {
            self.next();
            left = Expr::Or(Box::new(left), Box::new(self.and()?));
        }
        Ok(left)
    }

    fn and(&mut self) -> Result<Expr, ExprError> {
        let mut left = self.unary()?;
        while self.peek().0 == Tok::And {
            self.next();
            left = Expr::And(Box::new(left), Box::new(self.unary()?));
        }
        Ok(left)
    }

    fn unary(&mut self) -> Result<Expr, ExprError> {
        match self.next() {
            (Tok::Not, _) => Ok(Expr::Not(Box::new(self.unary()?))),
            (Tok::Open, _) => {
                let inner = self.or()?;
                match self.next() {
                    (Tok::Close, _) => Ok(inner),
                    (_, at) => err(at, "expected `)`"),
                }
            }
            (Tok::Ident(item), at) => {
                let op = match self.next() {
                    (Tok::Eq, _) => CmpOp::Eq,
                    (Tok::Ne, _) => CmpOp::Ne,
                    (_, at) => return err(at, format!("expected `==` or `!=` after `{item}`")),
                };
                match self.next() {
                    (Tok::Lit(value), _) => Ok(Expr::Cmp { item, op, value, at }),
                    (_, at) => err(at, "expected a quoted text or a number"),
                }
            }
            (Tok::End, at) => err(at, "expected a comparison such as `item == 'value'`"),
            (_, at) => err(at, "expected an item id, `(` or `not`"),
        }
    }
}

impl Expr {
    pub fn parse(src: &str) -> Result<Expr, ExprError> {
        let mut p = Parser { toks: tokenize(src)?, pos: 0 };
        let expr = p.or()?;
        match p.peek() {
            (Tok::End, _) => Ok(expr),
            (_, at) => err(*at, "expected `and`, `or` or the end of the condition"),
        }
    }

    /// Every comparison, in source order (for validation and for explaining skips).
    pub fn comparisons(&self) -> Vec<(&str, CmpOp, &str, usize)> {
        let mut out = Vec::new();
        self.walk(&mut out);
        out
    }

    fn walk<'a>(&'a self, out: &mut Vec<(&'a str, CmpOp, &'a str, usize)>) {
        match self {
            Expr::Cmp { item, op, value, at } => out.push((item, *op, value, *at)),
            Expr::Not(e) => e.walk(out),
            Expr::And(a, b) | Expr::Or(a, b) => {
                a.walk(out);
                b.walk(out);
            }
        }
    }
}

/// What a literal means for the item it is compared with, resolved once.
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum Matcher {
    Value(i64),
    DontKnow,
    /// A choice key (code, else label).
    Choice(String),
    /// Any "Other, specify" text (the literal 'Other'), or one exact text.
    Other(Option<String>),
    Number(f64),
    Text(String),
    /// Nothing can match (only in surveys that skipped validation).
    Never,
}

/// Resolve `lit` against `item`; `Err` explains why nothing could ever match it.
pub(crate) fn matcher(survey: &Survey, item: &Item, lit: &str) -> Result<Matcher, String> {
    let as_int = || lit.trim().parse::<i64>().ok();
    match &item.kind {
        ItemKind::Scale { .. } => {
            let Some(scale) = survey.scale_of(item) else { return Ok(Matcher::Never) };
            if let Some(v) = as_int().filter(|v| scale.point(*v).is_some()) {
                return Ok(Matcher::Value(v));
            }
            if scale.dont_know.as_deref() == Some(lit) {
                return Ok(Matcher::DontKnow);
            }
            match scale.points.iter().find(|p| p.label == lit) {
                Some(p) => Ok(Matcher::Value(p.value)),
                None => Err(format!("'{lit}' is not a value or label of the scale of `{}`", item.id)),
            }
        }
        ItemKind::Nps => match as_int().filter(|v| (0..=10).contains(v)) {
            Some(v) => Ok(Matcher::Value(v)),
            None => Err(format!("`{}` is a 0–10 recommendation item; '{lit}' is not 0–10", item.id)),
        },
        ItemKind::Single { .. } | ItemKind::Multi { .. } => {
            if let Some(c) = item.find_choice(lit) {
                Ok(Matcher::Choice(c.key().to_string()))
            } else if item.allows_other() {
                let any = lit.eq_ignore_ascii_case("other");
                Ok(Matcher::Other((!any).then(|| lit.to_string())))
            } else {
                let keys: Vec<&str> = item.choices().iter().map(|c| c.key()).collect();
                Err(format!("'{lit}' is not one of the choices of `{}`: {}", item.id, keys.join(", ")))
            }
        }
        ItemKind::Number { .. } => match lit.trim().parse::<f64>() {
            Ok(x) => Ok(Matcher::Number(x)),
            Err(_) => Err(format!("`{}` is a number item; '{lit}' is not a number", item.id)),
        },
        ItemKind::Text => Ok(Matcher::Text(lit.to_string())),
    }
}

/// An [`Expr`] with item names resolved to indices into `Survey::items`.
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum Cond {
    /// `item: None` = an unknown item, which is never answered.
    Cmp {
        item: Option<usize>,
        eq: bool,
        m: Matcher,
    },
    Not(Box<Cond>),
    And(Box<Cond>, Box<Cond>),
    Or(Box<Cond>, Box<Cond>),
}

/// Resolve `expr` for the item at index `owner`. Problems (unknown, later or self
/// references; literals nothing can match) go to `problems` as (offset, message);
/// the result is still usable, with such comparisons never true.
pub(crate) fn compile(expr: &Expr, survey: &Survey, owner: usize, problems: &mut Vec<(usize, String)>) -> Cond {
    match expr {
        Expr::Cmp { item, op, value, at } => {
            let idx = survey.item_index(item);
            let m = match idx {
                None => {
                    problems.push((*at, format!("unknown item `{item}` in condition")));
                    Matcher::Never
                }
                Some(i) if i >= owner => {
                    let which = if i == owner { "the item itself" } else { "a later item" };
                    problems
                        .push((*at, format!("condition refers to `{item}`, {which}; only earlier items can be used")));
                    Matcher::Never
                }
                Some(i) => matcher(survey, &survey.items[i], value).unwrap_or_else(|msg| {
                    problems.push((*at, msg));
                    Matcher::Never
                }),
            };
            Cond::Cmp { item: idx, eq: *op == CmpOp::Eq, m }
        }
        Expr::Not(e) => Cond::Not(Box::new(compile(e, survey, owner, problems))),
        Expr::And(a, b) => {
            Cond::And(Box::new(compile(a, survey, owner, problems)), Box::new(compile(b, survey, owner, problems)))
        }
        Expr::Or(a, b) => {
            Cond::Or(Box::new(compile(a, survey, owner, problems)), Box::new(compile(b, survey, owner, problems)))
        }
    }
}

impl Cond {
    /// `answer_of(i)` gives the respondent's answer to item `i`. Unanswered items make
    /// both `==` and `!=` false, so "not asked" never counts as "answered differently".
    pub(crate) fn eval<'a>(&self, answer_of: &impl Fn(usize) -> Option<&'a Answer>) -> bool {
        match self {
            Cond::Cmp { item, eq, m } => match item.and_then(answer_of) {
                None => false,
                Some(a) => matches(m, a) == *eq,
            },
            Cond::Not(c) => !c.eval(answer_of),
            Cond::And(a, b) => a.eval(answer_of) && b.eval(answer_of),
            Cond::Or(a, b) => a.eval(answer_of) || b.eval(answer_of),
        }
    }
}

/// Equality of an answer with a resolved literal; a multi answer "equals" every
/// option it contains.
fn matches(m: &Matcher, a: &Answer) -> bool {
    match (m, a) {
        (Matcher::Value(v), Answer::Scale(x)) => v == x,
        (Matcher::DontKnow, Answer::DontKnow) => true,
        (Matcher::Choice(k), Answer::Choice(x)) => k == x,
        (Matcher::Other(None), Answer::Other(_)) => true,
        (Matcher::Other(Some(t)), Answer::Other(x)) => t == x,
        (Matcher::Number(n), Answer::Number(x)) => n == x,
        (Matcher::Text(t), Answer::Text(x)) => t == x,
        (_, Answer::Multi(picks)) => picks.iter().any(|p| match (m, p) {
            (Matcher::Choice(k), Pick::Choice(x)) => k == x,
            (Matcher::Other(None), Pick::Other(_)) => true,
            (Matcher::Other(Some(t)), Pick::Other(x)) => t == x,
            _ => false,
        }),
        _ => false,
    }
}
