//! Swagger 2.0 → the OpenAPI 3.0 shape that the later stages read.
//!
//! * `host`, `basePath` and `schemes` → `servers` (https first);
//! * `definitions`, `parameters`, `responses`, `securityDefinitions` → `components`
//!   (`basic` → HTTP basic, OAuth2's `flow` → `flows`);
//! * a `body` parameter → `requestBody`, `formData` parameters → an object schema in a
//!   `application/x-www-form-urlencoded` or, with a `file` among them or when `consumes`
//!   says so, `multipart/form-data` body; the media types come from `consumes`;
//! * other parameters get a `schema` made of their type keywords, and `collectionFormat`
//!   becomes `style`/`explode`;
//! * a response's `schema` → `content` for each type of `produces`, its `examples` → each
//!   type's `example`, its headers get schemas;
//! * in schemas: `$ref`s to the new places, `type: file` → binary string, `x-nullable` →
//!   `nullable`, a text `discriminator` → `propertyName`.
//!
//! Every node that moves is recorded in the [`Origin`], so later errors point into the
//! user's 2.0 file; what has no 3.0 form is approximated with a warning.

use serde_json::{json, Map, Value};

use super::origin::Origin;
use super::{Converted, Note};
use crate::error::{escape_segment, DiagnosticKind};

/// Converts a Swagger 2.0 document (see the module documentation).
pub(super) fn convert(document: Value) -> Converted {
    let Some(root) = document.as_object() else {
        return Converted {
            document,
            notes: Vec::new(),
            origin: Origin::default(),
        };
    };
    let mut c = Conversion {
        whole: &document,
        root,
        notes: Vec::new(),
        origin: Origin::default(),
    };
    let out = c.document();
    Converted {
        document: out,
        notes: c.notes,
        origin: c.origin,
    }
}

const METHODS: [&str; 7] = ["get", "put", "post", "delete", "options", "head", "patch"];

/// The keywords of a non-body parameter (and of a header, and of `items` inside them) that
/// belong in its 3.0 `schema`.
const TYPE_KEYWORDS: [&str; 17] = [
    "type",
    "format",
    "items",
    "default",
    "maximum",
    "exclusiveMaximum",
    "minimum",
    "exclusiveMinimum",
    "maxLength",
    "minLength",
    "pattern",
    "maxItems",
    "minItems",
    "uniqueItems",
    "enum",
    "multipleOf",
    "x-nullable",
];

const FORM: &str = "application/x-www-form-urlencoded";
const MULTIPART: &str = "multipart/form-data";

struct Conversion<'a> {
    /// The 2.0 document.
    whole: &'a Value,
    root: &'a Map<String, Value>,
    notes: Vec<Note>,
    origin: Origin,
}

/// A parameter of an operation after `$ref`s to `#/parameters` are followed, with the
/// pointer of where it is written.
struct Param<'a> {
    value: &'a Map<String, Value>,
    at: String,
}

impl<'a> Conversion<'a> {
    fn note(&mut self, kind: DiagnosticKind, pointer: &str, message: impl Into<String>) {
        self.notes.push(Note {
            kind,
            pointer: pointer.to_string(),
            message: message.into(),
        });
    }

    fn document(&mut self) -> Value {
        let root = self.root;
        let mut out = Map::new();
        out.insert("openapi".into(), json!("3.0.3"));
        for (key, value) in root {
            match key.as_str() {
                "swagger"
                | "host"
                | "basePath"
                | "schemes"
                | "consumes"
                | "produces"
                | "definitions"
                | "parameters"
                | "responses"
                | "securityDefinitions"
                | "paths" => {}
                _ => {
                    out.insert(key.clone(), value.clone());
                }
            }
        }
        let servers = self.servers();
        if !servers.is_empty() {
            out.insert("servers".into(), Value::Array(servers));
        }
        let paths = match root.get("paths") {
            Some(Value::Object(paths)) => Value::Object(self.paths(paths)),
            Some(other) => other.clone(),
            None => json!({}),
        };
        out.insert("paths".into(), paths);
        let components = self.components();
        if !components.is_empty() {
            out.insert("components".into(), Value::Object(components));
        }
        Value::Object(out)
    }

    fn servers(&self) -> Vec<Value> {
        let text = |key: &str| self.root.get(key).and_then(Value::as_str);
        let base = text("basePath").unwrap_or("");
        let Some(host) = text("host") else {
            return if base.is_empty() {
                Vec::new()
            } else {
                vec![json!({ "url": base })]
            };
        };
        let mut schemes: Vec<&str> = match self.root.get("schemes") {
            Some(Value::Array(schemes)) => schemes.iter().filter_map(Value::as_str).collect(),
            _ => Vec::new(),
        };
        schemes.retain(|s| matches!(*s, "http" | "https"));
        if schemes.is_empty() {
            schemes.push("https");
        }
        schemes.sort_by_key(|s| *s != "https");
        schemes.dedup();
        schemes
            .into_iter()
            .map(|scheme| json!({ "url": format!("{scheme}://{host}{base}") }))
            .collect()
    }

    fn components(&mut self) -> Map<String, Value> {
        let root = self.root;
        let mut components = Map::new();
        if let Some(Value::Object(definitions)) = root.get("definitions") {
            self.origin.record("#/components/schemas", "#/definitions");
            let schemas = definitions
                .iter()
                .map(|(name, schema)| {
                    let at = format!("#/definitions/{}", escape_segment(name));
                    (name.clone(), self.schema(schema, &at))
                })
                .collect();
            components.insert("schemas".into(), Value::Object(schemas));
        }
        if let Some(Value::Object(parameters)) = root.get("parameters") {
            self.origin
                .record("#/components/parameters", "#/parameters");
            let mut converted = Map::new();
            for (name, parameter) in parameters {
                let at = format!("#/parameters/{}", escape_segment(name));
                let location = parameter.get("in").and_then(Value::as_str);
                // Bodies and form fields are put into each operation that uses them.
                if matches!(location, Some("body" | "formData")) {
                    continue;
                }
                let new_at = format!("#/components/parameters/{}", escape_segment(name));
                let value = match parameter {
                    Value::Object(p) => self.parameter(p, &at, &new_at),
                    other => other.clone(),
                };
                converted.insert(name.clone(), value);
            }
            if !converted.is_empty() {
                components.insert("parameters".into(), Value::Object(converted));
            }
        }
        if let Some(Value::Object(responses)) = root.get("responses") {
            self.origin.record("#/components/responses", "#/responses");
            let produces = self.media_types(None, "produces");
            let converted = responses
                .iter()
                .map(|(name, response)| {
                    let at = format!("#/responses/{}", escape_segment(name));
                    let new_at = format!("#/components/responses/{}", escape_segment(name));
                    (
                        name.clone(),
                        self.response(response, &produces, &at, &new_at),
                    )
                })
                .collect();
            components.insert("responses".into(), Value::Object(converted));
        }
        if let Some(Value::Object(schemes)) = root.get("securityDefinitions") {
            self.origin
                .record("#/components/securitySchemes", "#/securityDefinitions");
            let converted = schemes
                .iter()
                .map(|(name, scheme)| (name.clone(), self.security_scheme(scheme)))
                .collect();
            components.insert("securitySchemes".into(), Value::Object(converted));
        }
        components
    }

    fn security_scheme(&mut self, scheme: &Value) -> Value {
        let Value::Object(scheme) = scheme else {
            return scheme.clone();
        };
        let mut out: Map<String, Value> = scheme
            .iter()
            .filter(|(k, _)| k.starts_with("x-") || *k == "description")
            .map(|(k, v)| (k.clone(), v.clone()))
            .collect();
        let field = |key: &str| scheme.get(key).cloned();
        match scheme.get("type").and_then(Value::as_str) {
            Some("basic") => {
                out.insert("type".into(), json!("http"));
                out.insert("scheme".into(), json!("basic"));
            }
            Some("oauth2") => {
                let flow = match scheme.get("flow").and_then(Value::as_str) {
                    Some("implicit") => "implicit",
                    Some("password") => "password",
                    Some("application") => "clientCredentials",
                    _ => "authorizationCode",
                };
                let mut details = Map::new();
                for key in ["authorizationUrl", "tokenUrl"] {
                    if let Some(url) = field(key) {
                        details.insert(key.into(), url);
                    }
                }
                details.insert(
                    "scopes".into(),
                    field("scopes").unwrap_or_else(|| json!({})),
                );
                out.insert("type".into(), json!("oauth2"));
                out.insert("flows".into(), json!({ flow: details }));
            }
            _ => {
                for (k, v) in scheme {
                    out.insert(k.clone(), v.clone());
                }
            }
        }
        Value::Object(out)
    }

    /// The media types of `consumes` or `produces`: the operation's, else the document's,
    /// else JSON.
    fn media_types(&self, operation: Option<&Map<String, Value>>, key: &str) -> Vec<String> {
        let listed = |from: Option<&Map<String, Value>>| -> Option<Vec<String>> {
            let Some(Value::Array(types)) = from?.get(key) else {
                return None;
            };
            let types: Vec<String> = types
                .iter()
                .filter_map(Value::as_str)
                .map(str::to_string)
                .collect();
            (!types.is_empty()).then_some(types)
        };
        listed(operation)
            .or_else(|| listed(Some(self.root)))
            .unwrap_or_else(|| vec!["application/json".to_string()])
    }

    fn paths(&mut self, paths: &'a Map<String, Value>) -> Map<String, Value> {
        let mut out = Map::new();
        for (path, item) in paths {
            let at = format!("#/paths/{}", escape_segment(path));
            let converted = match item {
                Value::Object(item) => Value::Object(self.path_item(item, &at)),
                other => other.clone(),
            };
            out.insert(path.clone(), converted);
        }
        out
    }

    fn path_item(&mut self, item: &'a Map<String, Value>, at: &str) -> Map<String, Value> {
        let shared = self.params(item.get("parameters"), &format!("{at}/parameters"));
        let mut out = Map::new();
        for (key, value) in item {
            match (key.as_str(), value) {
                ("parameters", _) => {}
                (method, Value::Object(operation)) if METHODS.contains(&method) => {
                    let op_at = format!("{at}/{method}");
                    let op = self.operation(operation, &shared, &op_at);
                    out.insert(key.clone(), Value::Object(op));
                }
                _ => {
                    out.insert(key.clone(), value.clone());
                }
            }
        }
        // Path-level parameters other than bodies and form fields stay at the path level.
        let kept: Vec<Value> = shared
            .iter()
            .filter(|p| !is_body_or_form(p.value))
            .enumerate()
            .map(|(j, p)| {
                let new_at = format!("{at}/parameters/{j}");
                self.parameter_or_ref(p, &new_at)
            })
            .collect();
        if !kept.is_empty() {
            out.insert("parameters".into(), Value::Array(kept));
        }
        out
    }

    /// The parameters of a list, `$ref`s to `#/parameters` followed (a reference to a
    /// non-body parameter is kept as a reference when converted).
    fn params(&self, list: Option<&'a Value>, at: &str) -> Vec<Param<'a>> {
        let Some(Value::Array(list)) = list else {
            return Vec::new();
        };
        list.iter()
            .enumerate()
            .filter_map(|(i, p)| {
                let p = p.as_object()?;
                Some(Param {
                    value: self.follow(p),
                    at: format!("{at}/{i}"),
                })
            })
            .collect()
    }

    /// The parameter a `{"$ref": "#/parameters/x"}` names, or the parameter itself.
    fn follow(&self, p: &'a Map<String, Value>) -> &'a Map<String, Value> {
        p.get("$ref")
            .and_then(Value::as_str)
            .and_then(|r| r.strip_prefix("#/parameters/"))
            .and_then(|name| {
                self.root
                    .get("parameters")?
                    .get(crate::error::unescape_segment(name))?
                    .as_object()
            })
            .unwrap_or(p)
    }

    fn parameter_or_ref(&mut self, p: &Param<'a>, new_at: &str) -> Value {
        let written = self.written(&p.at);
        if let Some(reference) = written.and_then(|w| w.get("$ref")).and_then(Value::as_str) {
            let reference = reference.replacen("#/parameters/", "#/components/parameters/", 1);
            self.origin.record(new_at, p.at.clone());
            return json!({ "$ref": reference });
        }
        self.parameter(p.value, &p.at, new_at)
    }

    /// The object at `pointer` in the original document.
    fn written(&self, pointer: &str) -> Option<&'a Map<String, Value>> {
        self.whole.pointer(pointer.strip_prefix('#')?)?.as_object()
    }

    /// A non-body parameter: its type keywords move into `schema`, `collectionFormat`
    /// becomes `style`/`explode`.
    fn parameter(&mut self, p: &Map<String, Value>, at: &str, new_at: &str) -> Value {
        self.origin.record(new_at, at);
        self.origin.record(format!("{new_at}/schema"), at);
        let mut out = Map::new();
        let mut schema = Map::new();
        for (key, value) in p {
            if TYPE_KEYWORDS.contains(&key.as_str()) {
                schema.insert(key.clone(), value.clone());
            } else if key != "collectionFormat" {
                out.insert(key.clone(), value.clone());
            }
        }
        if !schema.is_empty() {
            out.insert("schema".into(), self.schema(&Value::Object(schema), at));
        }
        let location = p.get("in").and_then(Value::as_str).unwrap_or("");
        if location == "path" {
            out.insert("required".into(), json!(true));
        }
        let is_array = p.get("type").and_then(Value::as_str) == Some("array");
        let format = p.get("collectionFormat").and_then(Value::as_str);
        if is_array {
            let query = location == "query";
            let (style, explode) = match format.unwrap_or("csv") {
                "multi" => ("form", true),
                "ssv" if query => ("spaceDelimited", false),
                "pipes" if query => ("pipeDelimited", false),
                "csv" if query => ("form", false),
                "csv" => ("simple", false),
                other => {
                    self.note(
                        DiagnosticKind::Approximated,
                        &format!("{at}/collectionFormat"),
                        format!("`collectionFormat: {other}` has no OpenAPI 3.0 form here: the values are sent comma-separated"),
                    );
                    if query {
                        ("form", false)
                    } else {
                        ("simple", false)
                    }
                }
            };
            out.insert("style".into(), json!(style));
            out.insert("explode".into(), json!(explode));
        }
        Value::Object(out)
    }

    fn operation(
        &mut self,
        op: &'a Map<String, Value>,
        shared: &[Param<'a>],
        at: &str,
    ) -> Map<String, Value> {
        let own = self.params(op.get("parameters"), &format!("{at}/parameters"));
        let overridden = |p: &Param<'_>| {
            own.iter().any(|o| {
                o.value.get("name") == p.value.get("name") && o.value.get("in") == p.value.get("in")
            })
        };
        let mut out = Map::new();
        for (key, value) in op {
            match key.as_str() {
                "parameters" | "responses" | "consumes" | "produces" | "schemes" => {}
                _ => {
                    out.insert(key.clone(), value.clone());
                }
            }
        }
        let mut parameters = Vec::new();
        for p in own.iter().filter(|p| !is_body_or_form(p.value)) {
            let new_at = format!("{at}/parameters/{}", parameters.len());
            parameters.push(self.parameter_or_ref(p, &new_at));
        }
        if !parameters.is_empty() {
            out.insert("parameters".into(), Value::Array(parameters));
        }
        let inherited = shared.iter().filter(|p| !overridden(p));
        let bodies: Vec<&Param<'a>> = inherited
            .chain(own.iter())
            .filter(|p| is_body_or_form(p.value))
            .collect();
        let consumes = self.media_types(Some(op), "consumes");
        if let Some(body) = self.request_body(&bodies, &consumes, at) {
            out.insert("requestBody".into(), body);
        }
        let produces = self.media_types(Some(op), "produces");
        let responses = match op.get("responses") {
            Some(Value::Object(responses)) => {
                let mut converted = Map::new();
                for (code, response) in responses {
                    let r_at = format!("{at}/responses/{}", escape_segment(code));
                    let value = self.response(response, &produces, &r_at, &r_at);
                    converted.insert(code.clone(), value);
                }
                Value::Object(converted)
            }
            Some(other) => other.clone(),
            None => json!({}),
        };
        out.insert("responses".into(), responses);
        out
    }

    /// The `requestBody` of the operation at `at` from its `body` or `formData` parameters.
    fn request_body(
        &mut self,
        params: &[&Param<'a>],
        consumes: &[String],
        at: &str,
    ) -> Option<Value> {
        let new_at = format!("{at}/requestBody");
        if let Some(body) = params
            .iter()
            .find(|p| p.value.get("in").and_then(Value::as_str) == Some("body"))
        {
            let schema_at = format!("{}/schema", body.at);
            let schema = body
                .value
                .get("schema")
                .map_or_else(|| json!({}), |s| self.schema(s, &schema_at));
            let mut types: Vec<&String> = consumes
                .iter()
                .filter(|t| !t.starts_with(FORM) && !t.starts_with(MULTIPART))
                .collect();
            if types.is_empty() {
                types = consumes.iter().collect();
            }
            let mut content = Map::new();
            for t in types {
                self.origin.record(
                    format!("{new_at}/content/{}/schema", escape_segment(t)),
                    schema_at.clone(),
                );
                content.insert(t.clone(), json!({ "schema": schema }));
            }
            self.origin.record(new_at.clone(), body.at.clone());
            let mut out = Map::new();
            if let Some(description) = body.value.get("description") {
                out.insert("description".into(), description.clone());
            }
            out.insert("content".into(), Value::Object(content));
            if body.value.get("required") == Some(&json!(true)) {
                out.insert("required".into(), json!(true));
            }
            return Some(Value::Object(out));
        }
        let fields: Vec<&&Param<'a>> = params
            .iter()
            .filter(|p| p.value.get("in").and_then(Value::as_str) == Some("formData"))
            .collect();
        if fields.is_empty() {
            return None;
        }
        let has_file = fields
            .iter()
            .any(|p| p.value.get("type").and_then(Value::as_str) == Some("file"));
        let mut types: Vec<&str> = consumes
            .iter()
            .map(String::as_str)
            .filter(|t| t.starts_with(FORM) || t.starts_with(MULTIPART))
            .filter(|t| !has_file || t.starts_with(MULTIPART))
            .collect();
        if types.is_empty() {
            types.push(if has_file { MULTIPART } else { FORM });
        }
        let mut properties = Map::new();
        let mut required = Vec::new();
        let mut encoding = Map::new();
        for field in &fields {
            let Some(name) = field.value.get("name").and_then(Value::as_str) else {
                continue;
            };
            let mut schema = Map::new();
            for (key, value) in field.value {
                if TYPE_KEYWORDS.contains(&key.as_str()) || key == "description" {
                    schema.insert(key.clone(), value.clone());
                }
            }
            properties.insert(
                name.to_string(),
                self.schema(&Value::Object(schema), &field.at),
            );
            if field.value.get("required") == Some(&json!(true)) {
                required.push(json!(name));
            }
            let is_array = field.value.get("type").and_then(Value::as_str) == Some("array");
            match field.value.get("collectionFormat").and_then(Value::as_str) {
                Some("multi") => {}
                _ if !is_array => {}
                Some("csv") | None => {
                    encoding.insert(
                        name.to_string(),
                        json!({ "style": "form", "explode": false }),
                    );
                }
                Some(other) => {
                    self.note(
                        DiagnosticKind::Approximated,
                        &format!("{}/collectionFormat", field.at),
                        format!("`collectionFormat: {other}` in a form has no OpenAPI 3.0 form: the values are sent comma-separated"),
                    );
                    encoding.insert(
                        name.to_string(),
                        json!({ "style": "form", "explode": false }),
                    );
                }
            }
            for t in &types {
                self.origin.record(
                    format!(
                        "{new_at}/content/{}/schema/properties/{}",
                        escape_segment(t),
                        escape_segment(name)
                    ),
                    field.at.clone(),
                );
            }
        }
        // The form's object is made of the operation's parameters.
        for t in &types {
            self.origin.record(
                format!("{new_at}/content/{}/schema", escape_segment(t)),
                format!("{at}/parameters"),
            );
        }
        let mut schema = json!({ "type": "object", "properties": properties });
        if !required.is_empty() {
            schema["required"] = Value::Array(required);
        }
        let mut content = Map::new();
        for t in types {
            let mut media = json!({ "schema": schema });
            if t.starts_with(FORM) && !encoding.is_empty() {
                media["encoding"] = Value::Object(encoding.clone());
            }
            content.insert(t.to_string(), media);
        }
        let mut body = json!({ "content": content });
        if fields
            .iter()
            .any(|p| p.value.get("required") == Some(&json!(true)))
        {
            body["required"] = json!(true);
        }
        Some(body)
    }

    /// A response (or a `$ref` to one of `#/responses`).
    fn response(&mut self, response: &Value, produces: &[String], at: &str, new_at: &str) -> Value {
        let Value::Object(response) = response else {
            return response.clone();
        };
        if let Some(reference) = response.get("$ref").and_then(Value::as_str) {
            let reference = reference.replacen("#/responses/", "#/components/responses/", 1);
            return json!({ "$ref": reference });
        }
        self.origin.record(new_at, at);
        let mut out = Map::new();
        for (key, value) in response {
            if !matches!(key.as_str(), "schema" | "headers" | "examples") {
                out.insert(key.clone(), value.clone());
            }
        }
        out.entry("description").or_insert_with(|| json!(""));
        if let Some(schema) = response.get("schema") {
            let schema_at = format!("{at}/schema");
            let schema = self.schema(schema, &schema_at);
            let examples = response.get("examples").and_then(Value::as_object);
            let mut content = Map::new();
            for t in produces {
                self.origin.record(
                    format!("{new_at}/content/{}/schema", escape_segment(t)),
                    schema_at.clone(),
                );
                let mut media = json!({ "schema": schema });
                if let Some(example) = examples.and_then(|e| e.get(t)) {
                    media["example"] = example.clone();
                }
                content.insert(t.clone(), media);
            }
            out.insert("content".into(), Value::Object(content));
        }
        if let Some(Value::Object(headers)) = response.get("headers") {
            let mut converted = Map::new();
            for (name, header) in headers {
                let h_at = format!("{at}/headers/{}", escape_segment(name));
                let Value::Object(header) = header else {
                    converted.insert(name.clone(), header.clone());
                    continue;
                };
                let mut out_header = Map::new();
                let mut schema = Map::new();
                for (key, value) in header {
                    if TYPE_KEYWORDS.contains(&key.as_str()) {
                        schema.insert(key.clone(), value.clone());
                    } else if key != "collectionFormat" {
                        out_header.insert(key.clone(), value.clone());
                    }
                }
                self.origin.record(
                    format!("{new_at}/headers/{}/schema", escape_segment(name)),
                    h_at.clone(),
                );
                out_header.insert("schema".into(), self.schema(&Value::Object(schema), &h_at));
                converted.insert(name.clone(), Value::Object(out_header));
            }
            out.insert("headers".into(), Value::Object(converted));
        }
        Value::Object(out)
    }

    /// A 2.0 schema in the 3.0 shape (see the module documentation).
    fn schema(&mut self, schema: &Value, at: &str) -> Value {
        let mut schema = schema.clone();
        self.fix_schema(&mut schema, &mut at.to_string());
        schema
    }

    fn fix_schema(&mut self, value: &mut Value, pointer: &mut String) {
        let Value::Object(map) = value else {
            return;
        };
        for (key, child) in map.iter_mut() {
            super::split::with_segment(pointer, key, |p| match (key.as_str(), &mut *child) {
                ("properties", Value::Object(properties)) => {
                    for (name, property) in properties.iter_mut() {
                        super::split::with_segment(p, name, |p| self.fix_schema(property, p));
                    }
                }
                ("allOf" | "oneOf" | "anyOf", Value::Array(members)) => {
                    for (i, member) in members.iter_mut().enumerate() {
                        super::split::with_segment(p, &i.to_string(), |p| {
                            self.fix_schema(member, p)
                        });
                    }
                }
                ("items" | "additionalProperties" | "not", _) => self.fix_schema(child, p),
                _ => {}
            });
        }
        if let Some(Value::String(reference)) = map.get_mut("$ref") {
            if let Some(name) = reference.strip_prefix("#/definitions/") {
                *reference = format!("#/components/schemas/{name}");
            }
        }
        if map.get("type").is_some_and(Value::is_array) {
            let notes = super::openapi31::type_list(map, pointer);
            self.notes.extend(notes);
            self.note(
                DiagnosticKind::Repaired,
                &format!("{pointer}/type"),
                "a list of types is not Swagger 2.0: read as OpenAPI 3.1 reads it (`null` makes the value nullable)",
            );
        }
        if map.get("type").and_then(Value::as_str) == Some("file") {
            map.insert("type".into(), json!("string"));
            map.insert("format".into(), json!("binary"));
        }
        if let Some(nullable) = map.remove("x-nullable") {
            if nullable == json!(true) {
                map.insert("nullable".into(), json!(true));
            }
        }
        if let Some(Value::String(property)) = map.get("discriminator").cloned() {
            map.insert("discriminator".into(), json!({ "propertyName": property }));
        }
        if map.get("required").is_some_and(|r| !r.is_array()) {
            map.remove("required");
            self.note(
                DiagnosticKind::Repaired,
                &format!("{pointer}/required"),
                "`required` inside a schema must be a list of property names: dropped",
            );
        }
        super::openapi31::ref_beside_siblings(map);
    }
}

fn is_body_or_form(p: &Map<String, Value>) -> bool {
    matches!(
        p.get("in").and_then(Value::as_str),
        Some("body" | "formData")
    )
}

#[cfg(test)]
mod tests {
    use serde_json::{json, Value};

    fn convert(document: Value) -> Value {
        super::convert(document).document
    }

    #[test]
    fn path_level_bodies_reach_every_operation_and_own_parameters_override() {
        let converted = convert(json!({
            "swagger": "2.0",
            "info": {"title": "t", "version": "1"},
            "consumes": ["application/xml"],
            "parameters": {"item": {"name": "item", "in": "body", "schema": {"type": "string"}}},
            "paths": {"/a/{id}": {
                "parameters": [
                    {"$ref": "#/parameters/item"},
                    {"name": "id", "in": "path", "type": "string", "required": true}
                ],
                "put": {
                    "parameters": [{"name": "id", "in": "path", "type": "integer", "required": true}],
                    "responses": {"204": {"description": "ok"}}
                }
            }}
        }));
        let item = &converted["paths"]["/a/{id}"];
        assert_eq!(
            item["put"]["requestBody"],
            json!({"content": {"application/xml": {"schema": {"type": "string"}}}})
        );
        assert_eq!(
            item["put"]["parameters"],
            json!([{"name": "id", "in": "path", "required": true, "schema": {"type": "integer"}}])
        );
        assert_eq!(
            item["parameters"],
            json!([{"name": "id", "in": "path", "required": true, "schema": {"type": "string"}}])
        );
        assert!(
            converted["components"].get("parameters").is_none(),
            "bodies are put in place"
        );
    }

    #[test]
    fn servers_default_to_https_and_relative_base_paths() {
        let servers = |extra: Value| {
            let mut document =
                json!({"swagger": "2.0", "info": {"title": "t", "version": "1"}, "paths": {}});
            for (k, v) in extra.as_object().unwrap() {
                document[k] = v.clone();
            }
            convert(document).get("servers").cloned()
        };
        assert_eq!(
            servers(json!({"host": "h.example", "basePath": "/v1"})),
            Some(json!([{"url": "https://h.example/v1"}]))
        );
        assert_eq!(
            servers(json!({"host": "h.example", "schemes": ["ws", "http", "https"]})),
            Some(json!([{"url": "https://h.example"}, {"url": "http://h.example"}]))
        );
        assert_eq!(
            servers(json!({"basePath": "/api"})),
            Some(json!([{"url": "/api"}]))
        );
        assert_eq!(servers(json!({})), None);
    }

    #[test]
    fn origin_points_back_into_the_2_0_document() {
        let converted = super::convert(json!({
            "swagger": "2.0",
            "info": {"title": "t", "version": "1"},
            "paths": {"/a": {"post": {
                "parameters": [
                    {"name": "q", "in": "query", "type": "string"},
                    {"name": "f", "in": "formData", "type": "file"}
                ],
                "responses": {"200": {"description": "ok", "schema": {"type": "string"}}}
            }}}
        }));
        let at = |p: &str| converted.origin.original(p);
        assert_eq!(
            at("#/paths/~1a/post/requestBody/content/multipart~1form-data/schema/properties/f"),
            "#/paths/~1a/post/parameters/1"
        );
        assert_eq!(
            at("#/paths/~1a/post/parameters/0/schema/type"),
            "#/paths/~1a/post/parameters/0/type"
        );
        assert_eq!(
            at("#/paths/~1a/post/responses/200/content/application~1json/schema"),
            "#/paths/~1a/post/responses/200/schema"
        );
    }
}
