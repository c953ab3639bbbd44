//! Errors and warnings as values: each names the spec file and the JSON pointer of the node.

use std::fmt;

/// What a [`Diagnostic`] is about: callers branch on this, never on the message text.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
#[non_exhaustive]
pub enum DiagnosticKind {
    /// The text is not a JSON or YAML mapping.
    Syntax,
    /// The document has no `openapi` (or `swagger`) version field.
    NotOpenApi,
    /// The document is not OpenAPI 3.0.x (e.g. Swagger 2.0 or OpenAPI 3.1).
    UnsupportedVersion,
    /// A node has the wrong shape for OpenAPI 3.0, or breaks one of its rules.
    InvalidDocument,
    /// Two operations share an `operationId`.
    DuplicateOperationId,
    /// A `$ref` inside the document does not resolve to an entry of the component kind it is
    /// used as.
    UnresolvedRef,
    /// A `$ref` points to another document.
    ExternalRef,
    /// `$ref`s point to each other without reaching a definition.
    RefCycle,
    /// A valid construct the generator does not support.
    Unsupported,
    /// A warning: a construct was approximated (e.g. `not` becomes free-form JSON).
    Approximated,
    /// A warning: the document was repaired where its intent is unambiguous.
    Repaired,
    /// The generator's own settings are invalid (runtime path, crate name).
    InvalidSettings,
    /// A bug in the generator.
    Internal,
}

impl DiagnosticKind {
    /// A stable short label, e.g. `unresolved-ref`, for grouping findings in reports.
    pub fn label(self) -> &'static str {
        match self {
            DiagnosticKind::Syntax => "syntax",
            DiagnosticKind::NotOpenApi => "not-openapi",
            DiagnosticKind::UnsupportedVersion => "unsupported-version",
            DiagnosticKind::InvalidDocument => "invalid-document",
            DiagnosticKind::DuplicateOperationId => "duplicate-operation-id",
            DiagnosticKind::UnresolvedRef => "unresolved-ref",
            DiagnosticKind::ExternalRef => "external-ref",
            DiagnosticKind::RefCycle => "ref-cycle",
            DiagnosticKind::Unsupported => "unsupported",
            DiagnosticKind::Approximated => "approximated",
            DiagnosticKind::Repaired => "repaired",
            DiagnosticKind::InvalidSettings => "invalid-settings",
            DiagnosticKind::Internal => "internal",
        }
    }
}

impl fmt::Display for DiagnosticKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.label())
    }
}

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
    /// What is wrong, for people.
    pub message: String,
    /// What kind of finding this is, for programs. Last, so that sorting goes by place first.
    pub kind: DiagnosticKind,
}

impl Diagnostic {
    /// A finding of `kind` at `pointer` in `file`.
    pub fn new(
        kind: DiagnosticKind,
        file: &str,
        pointer: &str,
        message: impl Into<String>,
    ) -> Self {
        Diagnostic {
            file: file.to_string(),
            pointer: pointer.to_string(),
            location: None,
            message: message.into(),
            kind,
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

    /// The kind of the first error, for grouping failures in reports.
    pub fn kind(&self) -> DiagnosticKind {
        self.diagnostics
            .first()
            .map_or(DiagnosticKind::Internal, |d| d.kind)
    }

    /// Whether any of the errors is of `kind`.
    pub fn has(&self, kind: DiagnosticKind) -> bool {
        self.diagnostics.iter().any(|d| d.kind == kind)
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
            DiagnosticKind::DuplicateOperationId,
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
