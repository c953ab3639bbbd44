//! allOf: the members' properties, required lists and additional properties merged into
//! one struct.

use std::collections::BTreeSet;

use openapiv3::{AdditionalProperties, ReferenceOr};

use super::view::{sref, SRef, View};
use super::Lower;
use crate::error::{join, DiagnosticKind};

impl<'a> Lower<'a> {
    /// Merges one allOf member (recursively through nested allOf and references) into `props`,
    /// `required` and `additional`; earlier members win on repeated properties.
    pub(super) fn collect_all_of(
        &mut self,
        member: SRef<'a>,
        pointer: &str,
        props: &mut Vec<(&'a str, SRef<'a>)>,
        required: &mut BTreeSet<&'a str>,
        additional: &mut Option<&'a AdditionalProperties>,
        depth: usize,
    ) {
        if depth > 16 {
            self.error(
                DiagnosticKind::Unsupported,
                pointer,
                "allOf nests more than 16 levels deep (a cycle?)",
            );
            return;
        }
        let schema = match member {
            SRef::Item(s) => s,
            SRef::Ref(r) => match self.resolver.schema(r, pointer) {
                Ok((_, resolved)) => match resolved {
                    ReferenceOr::Item(s) => s,
                    ReferenceOr::Reference { reference } => {
                        let next = SRef::Ref(reference);
                        return self.collect_all_of(
                            next,
                            pointer,
                            props,
                            required,
                            additional,
                            depth + 1,
                        );
                    }
                },
                Err(d) => {
                    self.errors.push(d);
                    return;
                }
            },
        };
        let view = View::of(schema);
        for (i, m) in view.all_of.iter().enumerate() {
            self.collect_all_of(
                sref(m),
                &join(&join(pointer, "allOf"), &i.to_string()),
                props,
                required,
                additional,
                depth + 1,
            );
        }
        if !view.one_of.is_empty() || !view.any_of.is_empty() {
            self.warn(
                DiagnosticKind::Approximated,
                pointer,
                "an allOf member with oneOf/anyOf: only its properties are merged",
            );
        }
        for (k, p) in &view.properties {
            if !props.iter().any(|(n, _)| n == k) {
                props.push((k, *p));
            }
        }
        required.extend(view.required.iter().map(String::as_str));
        if additional.is_none() {
            *additional = view.additional;
        }
    }
}
