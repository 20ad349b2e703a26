//! Diagnostics: every problem the generator finds in a spec, with the spec file, the JSON
//! pointer of the offending node and, where the loader can tell, its line and column.
//!
//! Stages never stop at the first problem: they push into a [`Diagnostics`] list and carry on
//! with what they can, so a user sees every problem of a spec in one run (serde_derive style).

use std::fmt;

/// A 1-based line and column in the spec file.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub struct Location {
    /// 1-based line.
    pub line: usize,
    /// 1-based column.
    pub column: usize,
}

/// One problem in a spec.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Diagnostic {
    /// The spec file as the user named it.
    pub file: String,
    /// RFC 6901 JSON pointer of the offending node (`""` for the whole document).
    pub pointer: String,
    /// Line and column of that node, where known.
    pub location: Option<Location>,
    /// What is wrong, in one sentence.
    pub message: String,
}

impl Diagnostic {
    /// Displays the diagnostic as a warning: `file:line:col: warning at #/pointer: message`.
    pub fn as_warning(&self) -> impl fmt::Display + '_ {
        Labelled(self, "warning")
    }

    fn write(&self, f: &mut fmt::Formatter<'_>, label: &str) -> fmt::Result {
        write!(f, "{}", self.file)?;
        if let Some(loc) = self.location {
            write!(f, ":{}:{}", loc.line, loc.column)?;
        }
        let pointer = if self.pointer.is_empty() { "/" } else { &self.pointer };
        write!(f, ": {label} at #{pointer}: {}", self.message)
    }
}

/// A diagnostic shown with another label than `error`.
struct Labelled<'d>(&'d Diagnostic, &'static str);

impl fmt::Display for Labelled<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.0.write(f, self.1)
    }
}

impl fmt::Display for Diagnostic {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.write(f, "error")
    }
}

/// Every problem found in one spec. Never empty when returned as an error.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Diagnostics(pub Vec<Diagnostic>);

impl Diagnostics {
    /// True when no problem was recorded.
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    /// The recorded problems, in the order they were found.
    pub fn iter(&self) -> std::slice::Iter<'_, Diagnostic> {
        self.0.iter()
    }
}

impl fmt::Display for Diagnostics {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for (i, d) in self.0.iter().enumerate() {
            if i > 0 {
                writeln!(f)?;
            }
            write!(f, "{d}")?;
        }
        Ok(())
    }
}

impl std::error::Error for Diagnostics {}

/// Appends one unescaped reference token to a JSON pointer (RFC 6901 `~0`, `~1`).
pub fn push_pointer(pointer: &str, token: &str) -> String {
    let mut out = String::with_capacity(pointer.len() + token.len() + 1);
    out.push_str(pointer);
    out.push('/');
    // Up to the first character to escape (most tokens have none), copied at once: a proc macro
    // runs this unoptimized, where a character loop is slow.
    let bytes = token.as_bytes();
    let mut i = 0;
    while i < bytes.len() && bytes[i] != b'~' && bytes[i] != b'/' {
        i += 1;
    }
    out.push_str(&token[..i]);
    for c in token[i..].chars() {
        match c {
            '~' => out.push_str("~0"),
            '/' => out.push_str("~1"),
            c => out.push(c),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pointer_tokens_are_escaped() {
        assert_eq!(push_pointer("/paths", "/a~b"), "/paths/~1a~0b");
    }

    #[test]
    fn display_names_file_position_and_pointer() {
        let d = Diagnostic {
            file: "specs/x.yaml".into(),
            pointer: "/paths/~1a".into(),
            location: Some(Location { line: 3, column: 5 }),
            message: "bad".into(),
        };
        assert_eq!(d.to_string(), "specs/x.yaml:3:5: error at #/paths/~1a: bad");
        assert_eq!(d.as_warning().to_string(), "specs/x.yaml:3:5: warning at #/paths/~1a: bad");
    }
}
