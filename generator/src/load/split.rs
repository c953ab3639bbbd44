//! A document value → `openapiv3::OpenAPI`, one schema at a time.
//!
//! `openapiv3` reads a schema through untagged enums (`$ref` or schema; a schema of a known
//! `type`, else one of the combinators, else any), each of which buffers the node and tries
//! its variants in turn. A variant that fails after reading the node's subschemas makes the
//! next variant read them again, so a chain of such nodes takes time exponential in its
//! depth: forty nested `items` took hours. Here every nested schema is read on its own,
//! innermost first, and left in its parent as a placeholder `$ref`; each node is then read
//! with only references below it, in time linear in its own size, and the schemas are put
//! back in their places afterwards.
//!
//! A nested schema that does not read is not an error by itself: `openapiv3` drops what its
//! chosen variant has no field for (`items` beside `type: object`), as it did before. Only a
//! broken schema in a place that is kept is an error, with the pointer of the schema.

use openapiv3::{
    AdditionalProperties, Components, Header, MediaType, OpenAPI, Operation, Parameter,
    ParameterSchemaOrContent, PathItem, ReferenceOr, RequestBody, Response, Schema, SchemaKind,
    Type,
};
use serde::Deserialize;
use serde_json::Value;

use crate::error::escape_segment;

/// Where the problem is (a JSON pointer) and what it is.
pub(super) type Failure = (String, String);

/// The start of a placeholder reference; the index into the table follows. A NUL is not in
/// the references of real documents.
const PLACEHOLDER: &str = "#/\u{0}schema/";

/// The nested schemas read so far, by placeholder index: the schema, or why it does not
/// read and where it is.
type Table = Vec<Option<Result<Schema, Failure>>>;

/// How the document failed to convert.
pub(super) enum Error {
    /// A schema in a place that is kept does not read.
    Schema(Failure),
    /// The document around the schemas does not read (`serde`'s message, without a
    /// location: [`placeholders`] gives a form of the document that is cheap to read again
    /// to find it).
    Document(String),
}

/// Reads `document` as an OpenAPI document (see the module documentation).
pub(super) fn to_openapi(mut document: Value) -> Result<OpenAPI, Error> {
    let mut table = Table::new();
    split_document(&mut document, &mut String::from("#"), &mut table);
    let mut spec: OpenAPI =
        serde_json::from_value(document).map_err(|e| Error::Document(e.to_string()))?;
    Filler { table: &mut table }
        .document(&mut spec)
        .map_err(Error::Schema)?;
    Ok(spec)
}

/// `document` with its nested schemas replaced by placeholders: it reads (or fails to) in
/// time linear in its size, which locating an error needs.
pub(super) fn placeholders(document: &mut Value) {
    split_document(document, &mut String::from("#"), &mut Table::new());
}

/// Walks the document outside schemas: every value under a `schema` key, and every entry of
/// `components/schemas`, is a schema. Examples and extensions are left as they are.
fn split_document(value: &mut Value, pointer: &mut String, table: &mut Table) {
    let Value::Object(map) = value else {
        if let Value::Array(items) = value {
            for (i, item) in items.iter_mut().enumerate() {
                with_segment(pointer, &i.to_string(), |p| split_document(item, p, table));
            }
        }
        return;
    };
    let schemas_here = pointer == "#/components";
    for (key, child) in map.iter_mut() {
        if key.starts_with("x-") || key == "example" || key == "examples" {
            continue;
        }
        with_segment(pointer, key, |p| match key.as_str() {
            "schema" => split_schema(child, p, table),
            "schemas" if schemas_here => {
                if let Value::Object(schemas) = child {
                    for (name, schema) in schemas.iter_mut() {
                        with_segment(p, name, |p| split_schema(schema, p, table));
                    }
                }
            }
            _ => split_document(child, p, table),
        });
    }
}

/// Replaces every subschema of the schema `value` by a placeholder, after reading it.
fn split_schema(value: &mut Value, pointer: &mut String, table: &mut Table) {
    let Value::Object(map) = value else {
        return;
    };
    if map.contains_key("$ref") {
        return;
    }
    for (key, child) in map.iter_mut() {
        with_segment(pointer, key, |p| match (key.as_str(), child) {
            ("properties", Value::Object(properties)) => {
                for (name, property) in properties.iter_mut() {
                    with_segment(p, name, |p| take_schema(property, p, table));
                }
            }
            ("allOf" | "oneOf" | "anyOf", Value::Array(parts)) => {
                for (i, part) in parts.iter_mut().enumerate() {
                    with_segment(p, &i.to_string(), |p| take_schema(part, p, table));
                }
            }
            ("items" | "additionalProperties" | "not", child) => take_schema(child, p, table),
            _ => {}
        });
    }
}

/// Reads the subschema `value` (its own subschemas first) into the table and leaves a
/// placeholder in its place. References and non-objects stay: they read in constant time.
fn take_schema(value: &mut Value, pointer: &mut String, table: &mut Table) {
    match value {
        Value::Object(map) if !map.contains_key("$ref") => {}
        _ => return,
    }
    split_schema(value, pointer, table);
    let read = Schema::deserialize(&*value).map_err(|e| explain(value, pointer, e.to_string()));
    let placeholder = format!("{PLACEHOLDER}{}", table.len());
    table.push(Some(read));
    *value = serde_json::json!({ "$ref": placeholder });
}

/// Why a schema node does not read, as precisely as the parts of `Schema` tell: the
/// untagged enum's own message says only that no variant matched.
fn explain(node: &Value, pointer: &str, fallback: String) -> Failure {
    let inner = serde_path_to_error::deserialize::<_, openapiv3::SchemaData>(node)
        .err()
        .or_else(|| serde_path_to_error::deserialize::<_, openapiv3::AnySchema>(node).err());
    match inner {
        Some(e) => {
            let inner = super::pointer_of(e.path());
            let at = format!("{pointer}{}", inner.trim_start_matches('#'));
            (at, e.into_inner().to_string())
        }
        None => (pointer.to_string(), fallback),
    }
}

/// Runs `f` with `segment` appended to the pointer.
pub(super) fn with_segment<R>(
    pointer: &mut String,
    segment: &str,
    f: impl FnOnce(&mut String) -> R,
) -> R {
    let len = pointer.len();
    pointer.push('/');
    pointer.push_str(&escape_segment(segment));
    let result = f(pointer);
    pointer.truncate(len);
    result
}

/// Puts the schemas of the table back where their placeholders are, in every schema of the
/// document.
struct Filler<'a> {
    table: &'a mut Table,
}

impl Filler<'_> {
    fn document(&mut self, spec: &mut OpenAPI) -> Result<(), Failure> {
        for item in spec.paths.paths.values_mut() {
            if let ReferenceOr::Item(item) = item {
                self.path_item(item)?;
            }
        }
        if let Some(components) = &mut spec.components {
            self.components(components)?;
        }
        Ok(())
    }

    fn components(&mut self, c: &mut Components) -> Result<(), Failure> {
        for schema in c.schemas.values_mut() {
            self.schema(schema)?;
        }
        for response in c.responses.values_mut() {
            if let ReferenceOr::Item(response) = response {
                self.response(response)?;
            }
        }
        for parameter in c.parameters.values_mut() {
            if let ReferenceOr::Item(parameter) = parameter {
                self.parameter(parameter)?;
            }
        }
        for body in c.request_bodies.values_mut() {
            if let ReferenceOr::Item(body) = body {
                self.request_body(body)?;
            }
        }
        self.headers(c.headers.values_mut())?;
        for callback in c.callbacks.values_mut() {
            if let ReferenceOr::Item(callback) = callback {
                for item in callback.values_mut() {
                    self.path_item(item)?;
                }
            }
        }
        Ok(())
    }

    fn path_item(&mut self, item: &mut PathItem) -> Result<(), Failure> {
        self.parameters(&mut item.parameters)?;
        let operations = [
            &mut item.get,
            &mut item.put,
            &mut item.post,
            &mut item.delete,
            &mut item.options,
            &mut item.head,
            &mut item.patch,
            &mut item.trace,
        ];
        for operation in operations.into_iter().flatten() {
            self.operation(operation)?;
        }
        Ok(())
    }

    fn operation(&mut self, operation: &mut Operation) -> Result<(), Failure> {
        self.parameters(&mut operation.parameters)?;
        if let Some(ReferenceOr::Item(body)) = &mut operation.request_body {
            self.request_body(body)?;
        }
        let responses = &mut operation.responses;
        for response in responses
            .default
            .iter_mut()
            .chain(responses.responses.values_mut())
        {
            if let ReferenceOr::Item(response) = response {
                self.response(response)?;
            }
        }
        for callback in operation.callbacks.values_mut() {
            for item in callback.values_mut() {
                self.path_item(item)?;
            }
        }
        Ok(())
    }

    fn parameters(&mut self, parameters: &mut [ReferenceOr<Parameter>]) -> Result<(), Failure> {
        for parameter in parameters {
            if let ReferenceOr::Item(parameter) = parameter {
                self.parameter(parameter)?;
            }
        }
        Ok(())
    }

    fn parameter(&mut self, parameter: &mut Parameter) -> Result<(), Failure> {
        let data = match parameter {
            Parameter::Query { parameter_data, .. }
            | Parameter::Header { parameter_data, .. }
            | Parameter::Path { parameter_data, .. }
            | Parameter::Cookie { parameter_data, .. } => parameter_data,
        };
        self.schema_or_content(&mut data.format)
    }

    fn schema_or_content(&mut self, format: &mut ParameterSchemaOrContent) -> Result<(), Failure> {
        match format {
            ParameterSchemaOrContent::Schema(schema) => self.schema(schema),
            ParameterSchemaOrContent::Content(content) => self.content(content.values_mut()),
        }
    }

    fn request_body(&mut self, body: &mut RequestBody) -> Result<(), Failure> {
        self.content(body.content.values_mut())
    }

    fn response(&mut self, response: &mut Response) -> Result<(), Failure> {
        self.headers(response.headers.values_mut())?;
        self.content(response.content.values_mut())
    }

    fn headers<'h>(
        &mut self,
        headers: impl Iterator<Item = &'h mut ReferenceOr<Header>>,
    ) -> Result<(), Failure> {
        for header in headers {
            if let ReferenceOr::Item(header) = header {
                self.schema_or_content(&mut header.format)?;
            }
        }
        Ok(())
    }

    fn content<'m>(
        &mut self,
        media_types: impl Iterator<Item = &'m mut MediaType>,
    ) -> Result<(), Failure> {
        for media_type in media_types {
            if let Some(schema) = &mut media_type.schema {
                self.schema(schema)?;
            }
            for encoding in media_type.encoding.values_mut() {
                self.headers(encoding.headers.values_mut())?;
            }
        }
        Ok(())
    }

    /// A schema or reference in a place that is kept: a placeholder becomes its schema.
    fn schema(&mut self, slot: &mut ReferenceOr<Schema>) -> Result<(), Failure> {
        if let ReferenceOr::Reference { reference } = slot {
            if let Some(schema) = self.take(reference)? {
                *slot = ReferenceOr::Item(schema);
            }
        }
        match slot {
            ReferenceOr::Item(schema) => self.fill(schema),
            ReferenceOr::Reference { .. } => Ok(()),
        }
    }

    /// [`Self::schema`] for the places that box their schema.
    fn boxed_schema(&mut self, slot: &mut ReferenceOr<Box<Schema>>) -> Result<(), Failure> {
        if let ReferenceOr::Reference { reference } = slot {
            if let Some(schema) = self.take(reference)? {
                *slot = ReferenceOr::Item(Box::new(schema));
            }
        }
        match slot {
            ReferenceOr::Item(schema) => self.fill(schema),
            ReferenceOr::Reference { .. } => Ok(()),
        }
    }

    /// The schema a placeholder reference stands for (each is taken once: a placeholder
    /// has one place), or the reason it does not read; `None` for other references.
    fn take(&mut self, reference: &str) -> Result<Option<Schema>, Failure> {
        let entry = reference
            .strip_prefix(PLACEHOLDER)
            .and_then(|index| index.parse::<usize>().ok())
            .and_then(|i| self.table.get_mut(i))
            .and_then(Option::take);
        entry.transpose()
    }

    /// The subschemas of a schema, in every place `openapiv3` keeps them.
    fn fill(&mut self, schema: &mut Schema) -> Result<(), Failure> {
        match &mut schema.schema_kind {
            SchemaKind::Type(Type::Object(object)) => {
                for property in object.properties.values_mut() {
                    self.boxed_schema(property)?;
                }
                if let Some(AdditionalProperties::Schema(additional)) =
                    &mut object.additional_properties
                {
                    self.schema(additional)?;
                }
            }
            SchemaKind::Type(Type::Array(array)) => {
                if let Some(items) = &mut array.items {
                    self.boxed_schema(items)?;
                }
            }
            SchemaKind::Type(_) => {}
            SchemaKind::OneOf { one_of: parts }
            | SchemaKind::AllOf { all_of: parts }
            | SchemaKind::AnyOf { any_of: parts } => {
                for part in parts {
                    self.schema(part)?;
                }
            }
            SchemaKind::Not { not } => self.schema(not)?,
            SchemaKind::Any(any) => {
                for property in any.properties.values_mut() {
                    self.boxed_schema(property)?;
                }
                if let Some(AdditionalProperties::Schema(additional)) =
                    &mut any.additional_properties
                {
                    self.schema(additional)?;
                }
                if let Some(items) = &mut any.items {
                    self.boxed_schema(items)?;
                }
                for part in any
                    .one_of
                    .iter_mut()
                    .chain(&mut any.all_of)
                    .chain(&mut any.any_of)
                {
                    self.schema(part)?;
                }
                if let Some(not) = &mut any.not {
                    self.schema(not)?;
                }
            }
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A schema with a nested one, for every place a schema can be.
    fn nested() -> Value {
        serde_json::json!({"type": "array", "items": {"type": "object",
            "properties": {"p": {"type": "string"}}}})
    }

    /// Every nested schema is put back, wherever its root is: no placeholder survives, and
    /// the document is the one `openapiv3` reads directly.
    #[test]
    fn every_placeholder_is_filled() {
        let s = nested();
        let parameter = serde_json::json!({"name": "q", "in": "query", "schema": s});
        let header = serde_json::json!({"schema": s});
        let content = serde_json::json!({"application/json": {"schema": s,
            "encoding": {"p": {"headers": {"X-E": header}}}}});
        let response = serde_json::json!({"description": "ok", "headers": {"X-R": header},
            "content": content});
        let operation = serde_json::json!({"parameters": [parameter],
            "requestBody": {"content": content}, "responses": {"200": response,
            "default": response}, "callbacks": {"c": {"/cb": {"post": {"responses":
            {"200": response}}}}}});
        let document = serde_json::json!({
            "openapi": "3.0.3", "info": {"title": "t", "version": "1"},
            "paths": {"/a": {"parameters": [parameter], "get": operation}},
            "components": {"schemas": {"S": {"allOf": [s, {"not": s}],
                "additionalProperties": s, "oneOf": [s], "anyOf": [s]}},
                "responses": {"R": response}, "parameters": {"P": parameter},
                "requestBodies": {"B": {"content": content}}, "headers": {"H": header},
                "callbacks": {"C": {"/cb": {"get": operation}}}}
        });
        let direct: OpenAPI = serde_json::from_value(document.clone()).expect("reads");
        let Ok(split) = to_openapi(document) else {
            panic!("the document converts")
        };
        let text = serde_json::to_string(&split).expect("serializes");
        assert!(
            !text.contains("\\u0000schema"),
            "a placeholder is left: {text}"
        );
        assert_eq!(text, serde_json::to_string(&direct).expect("serializes"));
    }

    /// A broken subschema is an error exactly when reading the document directly fails
    /// too (`openapiv3` drops what the variant it picks has no field for), and the error
    /// has the subschema's pointer.
    #[test]
    fn broken_schemas_fail_as_they_did_with_their_pointer() {
        let document = |schema: Value| {
            serde_json::json!({"openapi": "3.0.3", "info": {"title": "t", "version": "1"},
                "paths": {}, "components": {"schemas": {"S": schema}}})
        };
        let broken = serde_json::json!({"type": "string", "maxLength": -1});
        for schema in [
            serde_json::json!({"type": "object", "items": broken}),
            serde_json::json!({"type": "string", "not": broken}),
            serde_json::json!({"type": "integer", "properties": {"p": broken}}),
            serde_json::json!({"allOf": [{"type": "string"}], "items": broken}),
        ] {
            let direct = serde_json::from_value::<OpenAPI>(document(schema.clone())).is_ok();
            assert_eq!(
                to_openapi(document(schema.clone())).is_ok(),
                direct,
                "{schema}"
            );
        }
        let kept = document(serde_json::json!({"type": "array", "items": broken}));
        match to_openapi(kept) {
            Err(Error::Schema((pointer, message))) => {
                assert_eq!(pointer, "#/components/schemas/S/items/maxLength");
                assert!(message.contains("-1"), "{message}");
            }
            _ => panic!("a broken kept schema is an error"),
        }
    }
}
