//! Where the parts of a converted document came from in the file the user wrote.
//!
//! A Swagger 2.0 or OpenAPI 3.1 document is converted to the 3.0 shape before it is read
//! (`load/swagger2.rs`, `load/openapi31.rs`); the later stages report pointers into the
//! converted form. The conversion records every node it moved, and [`Origin::original`]
//! takes a pointer back to the user's file.

/// The moves a conversion made: converted pointer prefix → original pointer prefix.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Origin {
    moves: Vec<(String, String)>,
}

impl Origin {
    /// Records that the node at `converted` (a `#/...` pointer) came from `original`.
    pub(crate) fn record(&mut self, converted: impl Into<String>, original: impl Into<String>) {
        let (converted, original) = (converted.into(), original.into());
        if converted != original {
            self.moves.push((converted, original));
        }
    }

    /// The pointer in the user's file of the node at `pointer` in the converted document: the
    /// longest recorded prefix (whole segments only) is replaced by where it came from.
    pub fn original(&self, pointer: &str) -> String {
        let best = self
            .moves
            .iter()
            .filter(|(converted, _)| {
                pointer
                    .strip_prefix(converted.as_str())
                    .is_some_and(|rest| rest.is_empty() || rest.starts_with('/'))
            })
            .max_by_key(|(converted, _)| converted.len());
        match best {
            Some((converted, original)) => format!("{original}{}", &pointer[converted.len()..]),
            None => pointer.to_string(),
        }
    }

    /// Points `diagnostic` into the user's file.
    pub fn restore(&self, diagnostic: &mut crate::Diagnostic) {
        if !self.moves.is_empty() {
            diagnostic.pointer = self.original(&diagnostic.pointer);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::Origin;

    #[test]
    fn the_longest_prefix_at_a_segment_boundary_wins() {
        let mut origin = Origin::default();
        origin.record("#/components/schemas", "#/definitions");
        origin.record(
            "#/paths/~1a/post/requestBody/content/application~1json/schema",
            "#/paths/~1a/post/parameters/0/schema",
        );
        origin.record(
            "#/paths/~1a/post/requestBody",
            "#/paths/~1a/post/parameters/0",
        );
        let at = |p: &str| origin.original(p);
        assert_eq!(at("#/components/schemas/Pet/x"), "#/definitions/Pet/x");
        assert_eq!(at("#/components/schemasX"), "#/components/schemasX");
        assert_eq!(
            at("#/paths/~1a/post/requestBody/content/application~1json/schema/items"),
            "#/paths/~1a/post/parameters/0/schema/items"
        );
        assert_eq!(
            at("#/paths/~1a/post/requestBody/required"),
            "#/paths/~1a/post/parameters/0/required"
        );
        assert_eq!(at("#/info"), "#/info");
    }
}
