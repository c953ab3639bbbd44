//! Drift: where a response departs from its spec in a way the client tolerates, recorded as
//! data and logged, never silent.
//!
//! Real servers drift from their specs: a field the spec calls required is missing (an older
//! server version, a list endpoint returning partial objects), a non-nullable field is
//! `null`, a property the spec does not know appears, a string does not match its documented
//! pattern. In [`DecodeMode::Tolerant`] (the default) such a response still decodes and each
//! deviation is listed in [`ResponseValue::drift`](super::ResponseValue::drift); in
//! [`DecodeMode::Strict`] the first one is an [`Error::Decode`](super::Error::Decode).
//!
//! A missing or `null` required value takes its type's **fallback**: `""` for strings, `0`,
//! `false`, an empty list or map, `None` for an `Option`, for a nested object the object with
//! its own fallbacks, for an open enum or tagged union the catch-all holding `""` or `{}`, for
//! an untagged union its first variant's fallback. A `null` optional value is `None`. A value of
//! the wrong JSON type (a string where an integer is documented) is never tolerated: it is an
//! error in both modes.

use std::fmt;

use super::path::DecodePath;

/// How responses are decoded.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash)]
pub enum DecodeMode {
    /// Drift from the spec is tolerated, recorded and logged (the default).
    #[default]
    Tolerant,
    /// Any drift from the spec is an error, for users who want the spec enforced (contract
    /// tests, the generator's own tests).
    Strict,
}

/// What kind of deviation from the spec a [`Drift`] records.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum DriftKind {
    /// A required property is absent; the field holds its type's fallback.
    Missing,
    /// `null` where the spec does not allow it; the field holds its type's fallback, or
    /// `None` when it is optional.
    Null,
    /// A property the schema does not declare (and that no `additionalProperties` takes); it
    /// is ignored.
    Unknown,
    /// A string that does not match its documented pattern; it is kept as received.
    Pattern {
        /// The documented pattern.
        pattern: &'static str,
    },
    /// A text body that is not UTF-8; the invalid bytes are replaced by U+FFFD.
    NotUtf8 {
        /// The offset of the first invalid byte.
        valid_up_to: usize,
    },
}

impl fmt::Display for DriftKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            DriftKind::Missing => f.write_str("missing required property"),
            DriftKind::Null => f.write_str("null where the spec does not allow it"),
            DriftKind::Unknown => f.write_str("property not in the spec"),
            DriftKind::Pattern { pattern } => write!(f, "does not match the pattern `{pattern}`"),
            DriftKind::NotUtf8 { valid_up_to } => write!(
                f,
                "not UTF-8 from byte {valid_up_to}; invalid bytes replaced by U+FFFD"
            ),
        }
    }
}

/// One tolerated deviation from the spec: where, and what.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Drift {
    /// Where in the body: `owner.login`, `items[3].labels[0].name`.
    pub path: DecodePath,
    /// What departs from the spec there.
    pub kind: DriftKind,
}

impl fmt::Display for Drift {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {}", self.path, self.kind)
    }
}

/// The drift of one body, for a log line: the first few records and how many more.
pub(super) struct Summary<'a>(pub(super) &'a [Drift]);

impl fmt::Display for Summary<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        const SHOWN: usize = 10;
        for (i, drift) in self.0.iter().take(SHOWN).enumerate() {
            if i > 0 {
                f.write_str("; ")?;
            }
            write!(f, "{drift}")?;
        }
        if self.0.len() > SHOWN {
            write!(f, "; and {} more", self.0.len() - SHOWN)?;
        }
        Ok(())
    }
}

/// Logs the drift of one body at warn level (nothing when there is none).
pub(super) fn log(what: &dyn fmt::Display, drift: &[Drift]) {
    if !drift.is_empty() {
        tracing::warn!(
            drift = drift.len(),
            details = %Summary(drift),
            "{what} departs from the spec; decoded with fallbacks"
        );
    }
}
