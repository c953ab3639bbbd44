//! Pattern-validated string types: the pattern is compiled once, on first use.

use std::sync::OnceLock;

use super::error::PatternError;

/// A lazily compiled pattern for a validated string type.
#[derive(Debug)]
pub struct PatternCell(OnceLock<Option<regex::Regex>>);

impl PatternCell {
    /// An empty cell; the pattern is compiled on first use.
    #[allow(clippy::new_without_default)]
    pub const fn new() -> Self {
        PatternCell(OnceLock::new())
    }

    /// Returns `value` if it matches `pattern`.
    pub fn check(
        &self,
        type_name: &'static str,
        pattern: &'static str,
        value: String,
    ) -> Result<String, PatternError> {
        let regex = self.0.get_or_init(|| regex::Regex::new(pattern).ok());
        match regex {
            Some(regex) if regex.is_match(&value) => Ok(value),
            _ => Err(PatternError {
                type_name,
                pattern,
                value,
            }),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn values_are_checked_against_the_pattern() {
        static CELL: PatternCell = PatternCell::new();
        let pattern = "^[a-z][a-z0-9-]*$";
        assert_eq!(CELL.check("Id", pattern, "my-id".into()).unwrap(), "my-id");
        let error = CELL.check("Id", pattern, "-bad".into()).unwrap_err();
        assert_eq!(
            error.to_string(),
            "`-bad` is not a valid Id: it must match `^[a-z][a-z0-9-]*$`"
        );
    }

    #[test]
    fn a_pattern_that_does_not_compile_refuses_every_value() {
        let cell = PatternCell::new();
        assert!(cell.check("X", "(", "anything".into()).is_err());
    }
}
