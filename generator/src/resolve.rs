//! `$ref` resolution inside one document (`#/components/...`). External references are
//! reported as unsupported, with the pointer of the reference.

use openapiv3::{OpenAPI, Parameter, ReferenceOr, RequestBody, Response, Schema};

use crate::error::{unescape_segment, Diagnostic, DiagnosticKind};

/// Follows local references of a document.
pub struct Resolver<'a> {
    file: &'a str,
    spec: &'a OpenAPI,
}

/// How many `$ref` hops we follow before calling it a cycle.
const MAX_HOPS: usize = 32;

impl<'a> Resolver<'a> {
    /// A resolver over `spec`, read from `file`.
    pub fn new(file: &'a str, spec: &'a OpenAPI) -> Self {
        Resolver { file, spec }
    }

    /// The component name a `#/components/<kind>/<name>` reference points to.
    pub fn component_name(&self, reference: &str, kind: &str) -> Option<String> {
        let rest = reference.strip_prefix("#/components/")?;
        let (k, name) = rest.split_once('/')?;
        (k == kind && !name.contains('/')).then(|| unescape_segment(name))
    }

    fn bad_ref(&self, pointer: &str, reference: &str, kind: &str) -> Diagnostic {
        let (diagnostic, message) = if reference.starts_with('#') {
            (
                DiagnosticKind::UnresolvedRef,
                format!("`$ref: {reference}` does not resolve to an entry of #/components/{kind}"),
            )
        } else {
            (
                DiagnosticKind::ExternalRef,
                format!("`$ref: {reference}` points outside this document; external references are not supported"),
            )
        };
        Diagnostic::new(
            diagnostic,
            self.file,
            &crate::error::join(pointer, "$ref"),
            message,
        )
    }

    /// Resolves a schema reference to its component name and schema.
    pub fn schema(
        &self,
        reference: &str,
        pointer: &str,
    ) -> Result<(String, &'a ReferenceOr<Schema>), Diagnostic> {
        let schemas = self.spec.components.as_ref().map(|c| &c.schemas);
        self.component_name(reference, "schemas")
            .and_then(|name| {
                let found = schemas?.get(&name)?;
                Some((name, found))
            })
            .ok_or_else(|| self.bad_ref(pointer, reference, "schemas"))
    }

    /// Follows schema references until an inline schema, returning it with the last
    /// component name seen.
    pub fn schema_item(
        &self,
        schema: &'a ReferenceOr<Schema>,
        pointer: &str,
    ) -> Result<(Option<String>, &'a Schema), Diagnostic> {
        let mut current = schema;
        let mut name = None;
        for _ in 0..MAX_HOPS {
            match current {
                ReferenceOr::Item(s) => return Ok((name, s)),
                ReferenceOr::Reference { reference } => {
                    let (n, next) = self.schema(reference, pointer)?;
                    name = Some(n);
                    current = next;
                }
            }
        }
        Err(Diagnostic::new(
            DiagnosticKind::RefCycle,
            self.file,
            pointer,
            "`$ref` cycle: references point to each other without a schema",
        ))
    }

    /// Resolves a parameter (following references), with the pointer of the definition.
    pub fn parameter(
        &self,
        param: &'a ReferenceOr<Parameter>,
        pointer: &str,
    ) -> Result<(&'a Parameter, String), Diagnostic> {
        let map = self.spec.components.as_ref().map(|c| &c.parameters);
        self.follow(param, pointer, "parameters", |name| map?.get(name))
    }

    /// Resolves a request body.
    pub fn request_body(
        &self,
        body: &'a ReferenceOr<RequestBody>,
        pointer: &str,
    ) -> Result<(&'a RequestBody, String), Diagnostic> {
        let map = self.spec.components.as_ref().map(|c| &c.request_bodies);
        self.follow(body, pointer, "requestBodies", |name| map?.get(name))
    }

    /// Resolves a response.
    pub fn response(
        &self,
        response: &'a ReferenceOr<Response>,
        pointer: &str,
    ) -> Result<(&'a Response, String), Diagnostic> {
        let map = self.spec.components.as_ref().map(|c| &c.responses);
        self.follow(response, pointer, "responses", |name| map?.get(name))
    }

    fn follow<T>(
        &self,
        start: &'a ReferenceOr<T>,
        pointer: &str,
        kind: &str,
        lookup: impl Fn(&str) -> Option<&'a ReferenceOr<T>>,
    ) -> Result<(&'a T, String), Diagnostic> {
        let mut current = start;
        let mut at = pointer.to_string();
        for _ in 0..MAX_HOPS {
            match current {
                ReferenceOr::Item(item) => return Ok((item, at)),
                ReferenceOr::Reference { reference } => {
                    let name = self
                        .component_name(reference, kind)
                        .ok_or_else(|| self.bad_ref(&at, reference, kind))?;
                    current = lookup(&name).ok_or_else(|| self.bad_ref(&at, reference, kind))?;
                    at = crate::error::join(&format!("#/components/{kind}"), &name);
                }
            }
        }
        Err(Diagnostic::new(
            DiagnosticKind::RefCycle,
            self.file,
            pointer,
            "`$ref` cycle: references point to each other",
        ))
    }
}
