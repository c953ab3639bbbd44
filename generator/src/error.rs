//! Errors and warnings as values: each names the spec file and the JSON pointer of the node.

use std::fmt;

/// One finding about a spec, located by file and JSON pointer (or line and column for syntax
/// errors).
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct Diagnostic {
    /// The spec file as the user named it, e.g. `spec/buddy.yaml`.
    pub file: String,
    /// The JSON pointer of the offending node, e.g. `#/paths/~1workspaces/get`.
    pub pointer: String,
    /// Line and column (1-based) when the parser reported them.
    pub location: Option<(usize, usize)>,
    /// What is wrong.
    pub message: String,
}

impl Diagnostic {
    /// A finding at `pointer` in `file`.
    pub fn new(file: &str, pointer: &str, message: impl Into<String>) -> Self {
        Diagnostic {
            file: file.to_string(),
            pointer: pointer.to_string(),
            location: None,
            message: message.into(),
        }
    }
}

impl fmt::Display for Diagnostic {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.file)?;
        if let Some((line, column)) = self.location {
            write!(f, ":{line}:{column}")?;
        }
        if !self.pointer.is_empty() {
            write!(f, ": {}", self.pointer)?;
        }
        write!(f, ": {}", self.message)
    }
}

/// Generation failed; nothing should be written. Holds every error found, sorted.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Error {
    /// The errors, at least one.
    pub diagnostics: Vec<Diagnostic>,
}

impl Error {
    /// An error made of one diagnostic.
    pub fn one(diagnostic: Diagnostic) -> Self {
        Error {
            diagnostics: vec![diagnostic],
        }
    }

    /// A short machine-friendly class of the first error, for grouping failures in reports.
    pub fn class(&self) -> String {
        let message = self
            .diagnostics
            .first()
            .map(|d| d.message.as_str())
            .unwrap_or("");
        // Quoted parts name the spec's own things: drop them so that causes group together.
        let mut class = String::new();
        for (i, part) in message.split('`').enumerate() {
            class.push_str(if i % 2 == 0 { part } else { "…" });
        }
        class
            .split(':')
            .next()
            .unwrap_or_default()
            .trim()
            .to_string()
    }
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for (i, d) in self.diagnostics.iter().enumerate() {
            if i > 0 {
                writeln!(f)?;
            }
            write!(f, "error: {d}")?;
        }
        Ok(())
    }
}

impl std::error::Error for Error {}

/// Escapes one JSON pointer segment (`~` → `~0`, `/` → `~1`).
pub fn escape_segment(segment: &str) -> String {
    segment.replace('~', "~0").replace('/', "~1")
}

/// Joins `base` (a pointer such as `#/paths`) and one unescaped segment.
pub fn join(base: &str, segment: &str) -> String {
    let mut out = String::with_capacity(base.len() + segment.len() + 1);
    out.push_str(base);
    out.push('/');
    out.push_str(&escape_segment(segment));
    out
}

/// Unescapes one JSON pointer segment.
pub fn unescape_segment(segment: &str) -> String {
    segment.replace("~1", "/").replace("~0", "~")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pointers_escape_slashes_and_tildes() {
        assert_eq!(
            join("#/paths", "/workspaces/{workspace}"),
            "#/paths/~1workspaces~1{workspace}"
        );
        assert_eq!(escape_segment("a~b/c"), "a~0b~1c");
        assert_eq!(unescape_segment("a~0b~1c"), "a~b/c");
    }

    #[test]
    fn display_names_file_pointer_and_message() {
        let d = Diagnostic::new(
            "spec/x.yaml",
            "#/paths/~1a/get",
            "operationId `a` is used twice",
        );
        assert_eq!(
            d.to_string(),
            "spec/x.yaml: #/paths/~1a/get: operationId `a` is used twice"
        );
    }
}
