//! Turning parser errors into messages a person can act on: `file:line:column: what`.

/// 1-based line and column of byte `offset` in `text` (column counted in characters).
pub fn line_col(text: &str, offset: usize) -> (usize, usize) {
    let offset = offset.min(text.len());
    let before = &text[..text.floor_char_boundary(offset)];
    let line = before.matches('\n').count() + 1;
    let col = before.rsplit('\n').next().map_or(0, |l| l.chars().count()) + 1;
    (line, col)
}

/// Problems found while checking one file, as (byte offset, message): positions become
/// line:col only when reported, and sorting by offset reports them in file order.
/// Survey files and workshop templates are checked with it.
pub struct Problems<'t> {
    pub text: &'t str,
    pub errors: Vec<(usize, String)>,
}

impl<'t> Problems<'t> {
    pub fn new(text: &'t str) -> Problems<'t> {
        Problems { text, errors: Vec::new() }
    }

    pub fn at(&mut self, offset: usize, message: impl Into<String>) {
        self.errors.push((offset, message.into()));
    }

    pub fn toml(&mut self, e: &toml::de::Error) {
        self.at(e.span().map_or(0, |s| s.start), e.message().trim());
    }

    /// Deserializes one spanned part of a document, recording its error instead of
    /// stopping, so one bad part does not hide the problems in the next.
    pub fn de<T: serde::de::DeserializeOwned>(&mut self, value: toml::Spanned<toml::de::DeValue<'t>>) -> Option<T> {
        T::deserialize(toml::de::ValueDeserializer::from(value)).map_err(|e| self.toml(&e)).ok()
    }

    pub fn line_of(&self, offset: usize) -> usize {
        line_col(self.text, offset).0
    }

    /// Where the characters of a string value start (after its opening quotes), so
    /// offsets inside the string map onto the file.
    pub fn string_body(&self, span: std::ops::Range<usize>) -> usize {
        let raw = &self.text[span.clone()];
        let quotes = if raw.starts_with("\"\"\"") || raw.starts_with("'''") { 3 } else { 1 };
        span.start + quotes.min(raw.len())
    }
}

/// `name:line:col: message` for a TOML error.
pub fn toml_error(name: &str, text: &str, err: &toml::de::Error) -> String {
    let msg = err.message().trim();
    match err.span() {
        Some(span) => {
            let (line, col) = line_col(text, span.start);
            format!("{name}:{line}:{col}: {msg}")
        }
        None => format!("{name}: {msg}"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn line_and_column_count_characters() {
        let text = "a = 1\nnimi = \"ä\" x";
        assert_eq!(line_col(text, 0), (1, 1));
        assert_eq!(line_col(text, 6), (2, 1));
        let x = text.find('x').unwrap();
        assert_eq!(line_col(text, x), (2, 12));
        assert_eq!(line_col(text, 999), (2, 13));
    }
}
