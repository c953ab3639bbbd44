//! Checks of the OpenAPI documents in `spec/`.
//!
//! 1. Both documents parse as OpenAPI 3.0.3 with `openapiv3`.
//! 2. Every example in them (media-type `example` and `examples`, schema `example` at any
//!    depth, parameter and header examples, in `components` and in `paths`) validates
//!    against its schema. The validator is the small OpenAPI 3.0 schema validator below.
//! 3. Every endpoint, field and enum value named in the source documents (the seeds and
//!    `shared/reference/spec-facts.md`) is in the spec, written out literally here.
//! 4. The documents' own examples (the seed's create response and others) are in the
//!    spec verbatim.
//!
//! Failures name the spec file, the JSON pointer of the example and the path inside it.

use std::collections::{BTreeMap, BTreeSet};

use regex::Regex;
use serde_json::{json, Map, Value};

const BUDDY: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/../spec/buddy.yaml");
const PIECES: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/../spec/pieces.yaml");

const METHODS: [&str; 8] = [
    "get", "put", "post", "delete", "options", "head", "patch", "trace",
];

// ---------------------------------------------------------------------------------------
// Loading
// ---------------------------------------------------------------------------------------

/// A spec document as plain JSON, with the file name used in messages.
struct Spec {
    file: &'static str,
    root: Value,
}

fn read(path: &str) -> String {
    std::fs::read_to_string(path).unwrap_or_else(|e| panic!("cannot read {path}: {e}"))
}

fn file_name(path: &'static str) -> &'static str {
    path.rsplit('/').next().unwrap_or(path)
}

fn load(path: &'static str) -> Spec {
    let yaml: serde_yaml::Value =
        serde_yaml::from_str(&read(path)).unwrap_or_else(|e| panic!("{path}: invalid YAML: {e}"));
    Spec {
        file: file_name(path),
        root: yaml_to_json(yaml),
    }
}

/// YAML → JSON. Non-string mapping keys (a bare `200:` status code) become strings.
fn yaml_to_json(v: serde_yaml::Value) -> Value {
    use serde_yaml::Value as Y;
    match v {
        Y::Null => Value::Null,
        Y::Bool(b) => Value::Bool(b),
        Y::Number(n) => {
            if let Some(i) = n.as_i64() {
                json!(i)
            } else if let Some(u) = n.as_u64() {
                json!(u)
            } else {
                let f = n.as_f64().expect("a YAML number is i64, u64 or f64");
                serde_json::Number::from_f64(f).map_or(Value::Null, Value::Number)
            }
        }
        Y::String(s) => Value::String(s),
        Y::Sequence(items) => Value::Array(items.into_iter().map(yaml_to_json).collect()),
        Y::Mapping(map) => {
            let mut out = Map::new();
            for (k, v) in map {
                let key = match k {
                    Y::String(s) => s,
                    Y::Number(n) => n.to_string(),
                    Y::Bool(b) => b.to_string(),
                    other => panic!("unsupported YAML mapping key {other:?}"),
                };
                out.insert(key, yaml_to_json(v));
            }
            Value::Object(out)
        }
        Y::Tagged(tagged) => yaml_to_json(tagged.value),
    }
}

/// Escapes one JSON-pointer reference token.
fn esc(token: &str) -> String {
    token.replace('~', "~0").replace('/', "~1")
}

fn ptr(base: &str, token: &str) -> String {
    format!("{base}/{}", esc(token))
}

/// Shows a JSON pointer into an example value; the whole value is `/`.
fn shown(at: &str) -> &str {
    if at.is_empty() {
        "/"
    } else {
        at
    }
}

// ---------------------------------------------------------------------------------------
// A small OpenAPI 3.0 schema validator
// ---------------------------------------------------------------------------------------

/// Validates JSON values against OpenAPI 3.0 Schema Objects of one document.
///
/// Supported: local `$ref` (siblings ignored, as in 3.0), `type` (integer is not number),
/// `nullable`, `enum`, `pattern` (the `regex` crate, so a pattern it cannot compile is an
/// error), `format: date-time`/`date` (checked loosely), `minLength`/`maxLength`,
/// `minimum`/`maximum`, `required`, `properties`, `additionalProperties` (bool or schema),
/// `items`, `minItems`/`maxItems`, `oneOf` (exactly one; with a `discriminator` the
/// variant is picked through its mapping), `anyOf`, `allOf`, `not`. `readOnly` and
/// `writeOnly` are ignored.
///
/// Strictness: an object schema that declares `properties` but says nothing about
/// `additionalProperties` rejects undeclared keys, so a misspelt field in an example is
/// caught (the same as Redocly's `allowAdditionalProperties: false`). Members of an
/// `allOf` are exempt, because each member sees only part of the object.
struct Validator<'a> {
    root: &'a Value,
}

impl<'a> Validator<'a> {
    fn new(root: &'a Value) -> Self {
        Validator { root }
    }

    /// All errors of `value` against `schema`, each as "<path in value>: <message>".
    fn check(&self, schema: &Value, value: &Value) -> Vec<String> {
        let mut errors = Vec::new();
        self.validate(schema, value, "", true, &mut errors);
        errors
    }

    fn resolve<'s>(&'s self, mut schema: &'s Value) -> Result<&'s Value, String> {
        for _ in 0..32 {
            match schema.get("$ref").and_then(Value::as_str) {
                None => return Ok(schema),
                Some(r) => {
                    let pointer = r
                        .strip_prefix('#')
                        .ok_or_else(|| format!("only local $refs are supported, found {r}"))?;
                    schema = self
                        .root
                        .pointer(pointer)
                        .ok_or_else(|| format!("unresolved $ref {r}"))?;
                }
            }
        }
        Err("$ref chain longer than 32".to_string())
    }

    fn validate(
        &self,
        schema: &Value,
        value: &Value,
        at: &str,
        strict: bool,
        errors: &mut Vec<String>,
    ) {
        let schema = match self.resolve(schema) {
            Ok(s) => s,
            Err(e) => return errors.push(format!("{}: {e}", shown(at))),
        };
        let Some(s) = schema.as_object() else {
            return errors.push(format!("{}: schema is not an object: {schema}", shown(at)));
        };

        if value.is_null() {
            if s.get("nullable") == Some(&Value::Bool(true)) {
                return;
            }
            if s.contains_key("type") || s.contains_key("enum") {
                return errors.push(format!(
                    "{}: null is not allowed (the schema is not nullable)",
                    shown(at)
                ));
            }
        }

        if let Some(t) = s.get("type") {
            let Some(t) = t.as_str() else {
                return errors.push(format!("{}: `type` must be a string: {t}", shown(at)));
            };
            match type_matches(t, value) {
                Ok(true) => {}
                Ok(false) => {
                    return errors.push(format!(
                        "{}: expected {t}, found {}",
                        shown(at),
                        kind(value)
                    ))
                }
                Err(e) => return errors.push(format!("{}: {e}", shown(at))),
            }
        }

        if let Some(allowed) = s.get("enum").and_then(Value::as_array) {
            if !allowed.contains(value) {
                let list: Vec<String> = allowed.iter().map(Value::to_string).collect();
                errors.push(format!(
                    "{}: {value} is not one of the enum values [{}]",
                    shown(at),
                    list.join(", ")
                ));
            }
        }

        match value {
            Value::String(text) => self.check_string(s, text, at, errors),
            Value::Number(n) => check_number(s, n, at, errors),
            Value::Array(items) => self.check_array(s, items, at, errors),
            Value::Object(map) => self.check_object(s, map, at, strict, errors),
            Value::Bool(_) | Value::Null => {}
        }

        self.check_composition(s, value, at, errors);
    }

    fn check_string(&self, s: &Map<String, Value>, text: &str, at: &str, errors: &mut Vec<String>) {
        if let Some(pattern) = s.get("pattern").and_then(Value::as_str) {
            match Regex::new(pattern) {
                Ok(re) if re.is_match(text) => {}
                Ok(_) => errors.push(format!(
                    "{}: {text:?} does not match the pattern {pattern}",
                    shown(at)
                )),
                Err(e) => errors.push(format!(
                    "{}: the pattern {pattern} does not compile: {e}",
                    shown(at)
                )),
            }
        }
        let length = text.chars().count() as u64;
        if let Some(min) = s.get("minLength").and_then(Value::as_u64) {
            if length < min {
                errors.push(format!("{}: shorter than minLength {min}", shown(at)));
            }
        }
        if let Some(max) = s.get("maxLength").and_then(Value::as_u64) {
            if length > max {
                errors.push(format!("{}: longer than maxLength {max}", shown(at)));
            }
        }
        let format = s.get("format").and_then(Value::as_str);
        let loose = match format {
            Some("date-time") => {
                Some(r"^\d{4}-\d{2}-\d{2}[Tt]\d{2}:\d{2}:\d{2}(\.\d+)?([Zz]|[+-]\d{2}:?\d{2})$")
            }
            Some("date") => Some(r"^\d{4}-\d{2}-\d{2}$"),
            _ => None,
        };
        if let (Some(format), Some(re)) = (format, loose) {
            if !Regex::new(re).expect("format regex").is_match(text) {
                errors.push(format!("{}: {text:?} is not a {format}", shown(at)));
            }
        }
    }

    fn check_array(
        &self,
        s: &Map<String, Value>,
        items: &[Value],
        at: &str,
        errors: &mut Vec<String>,
    ) {
        let count = items.len() as u64;
        if let Some(min) = s.get("minItems").and_then(Value::as_u64) {
            if count < min {
                errors.push(format!("{}: fewer than minItems {min}", shown(at)));
            }
        }
        if let Some(max) = s.get("maxItems").and_then(Value::as_u64) {
            if count > max {
                errors.push(format!("{}: more than maxItems {max}", shown(at)));
            }
        }
        if let Some(item_schema) = s.get("items") {
            for (i, item) in items.iter().enumerate() {
                self.validate(item_schema, item, &format!("{at}/{i}"), true, errors);
            }
        }
    }

    fn check_object(
        &self,
        s: &Map<String, Value>,
        map: &Map<String, Value>,
        at: &str,
        strict: bool,
        errors: &mut Vec<String>,
    ) {
        if let Some(required) = s.get("required").and_then(Value::as_array) {
            for name in required.iter().filter_map(Value::as_str) {
                if !map.contains_key(name) {
                    errors.push(format!(
                        "{}: the required property `{name}` is missing",
                        shown(at)
                    ));
                }
            }
        }
        let properties = s.get("properties").and_then(Value::as_object);
        for (key, item) in map {
            let here = ptr(at, key);
            if let Some(prop) = properties.and_then(|p| p.get(key)) {
                self.validate(prop, item, &here, true, errors);
                continue;
            }
            match s.get("additionalProperties") {
                Some(Value::Bool(false)) => errors.push(format!(
                    "{here}: property `{key}` is not allowed (additionalProperties: false)"
                )),
                Some(Value::Bool(true)) => {}
                Some(extra) => self.validate(extra, item, &here, true, errors),
                None if strict && properties.is_some() => errors.push(format!(
                    "{here}: property `{key}` is not declared in the schema"
                )),
                None => {}
            }
        }
    }

    fn check_composition(
        &self,
        s: &Map<String, Value>,
        value: &Value,
        at: &str,
        errors: &mut Vec<String>,
    ) {
        if let Some(all) = s.get("allOf").and_then(Value::as_array) {
            for member in all {
                self.validate(member, value, at, false, errors);
            }
        }
        if let Some(any) = s.get("anyOf").and_then(Value::as_array) {
            let all_errors: Vec<Vec<String>> = any.iter().map(|m| self.check(m, value)).collect();
            if all_errors.iter().all(|e| !e.is_empty()) {
                errors.push(format!(
                    "{}: matches none of the anyOf schemas ({})",
                    shown(at),
                    summarise(&all_errors)
                ));
            }
        }
        if let Some(one) = s.get("oneOf").and_then(Value::as_array) {
            match s.get("discriminator") {
                Some(discriminator) => {
                    self.check_discriminated(discriminator, one, value, at, errors)
                }
                None => {
                    let all_errors: Vec<Vec<String>> =
                        one.iter().map(|m| self.check(m, value)).collect();
                    let matched = all_errors.iter().filter(|e| e.is_empty()).count();
                    if matched == 0 {
                        errors.push(format!(
                            "{}: matches none of the oneOf schemas ({})",
                            shown(at),
                            summarise(&all_errors)
                        ));
                    } else if matched > 1 {
                        errors.push(format!(
                            "{}: matches {matched} of the oneOf schemas, exactly one must match",
                            shown(at)
                        ));
                    }
                }
            }
        }
        if let Some(not) = s.get("not") {
            if self.check(not, value).is_empty() {
                errors.push(format!("{}: matches the `not` schema", shown(at)));
            }
        }
    }

    fn check_discriminated(
        &self,
        discriminator: &Value,
        one_of: &[Value],
        value: &Value,
        at: &str,
        errors: &mut Vec<String>,
    ) {
        let Some(property) = discriminator.get("propertyName").and_then(Value::as_str) else {
            return errors.push(format!(
                "{}: the discriminator has no propertyName",
                shown(at)
            ));
        };
        let Some(tag) = value.get(property) else {
            return errors.push(format!(
                "{}: the discriminator property `{property}` is missing",
                shown(at)
            ));
        };
        let Some(tag) = tag.as_str() else {
            return errors.push(format!(
                "{}: the discriminator property `{property}` must be a string, found {tag}",
                shown(at)
            ));
        };
        let target = discriminator
            .get("mapping")
            .and_then(|m| m.get(tag))
            .and_then(Value::as_str)
            .map_or_else(|| format!("#/components/schemas/{tag}"), str::to_string);
        let refs: Vec<&str> = one_of
            .iter()
            .filter_map(|m| m.get("$ref").and_then(Value::as_str))
            .collect();
        if !refs.contains(&target.as_str()) {
            return errors.push(format!(
                "{}: the discriminator value {tag:?} selects no oneOf schema (known: {})",
                ptr(at, property),
                refs.join(", ")
            ));
        }
        self.validate(&json!({ "$ref": target }), value, at, true, errors);
    }
}

fn type_matches(t: &str, value: &Value) -> Result<bool, String> {
    Ok(match t {
        "string" => value.is_string(),
        "integer" => value.is_i64() || value.is_u64(),
        "number" => value.is_number(),
        "boolean" => value.is_boolean(),
        "array" => value.is_array(),
        "object" => value.is_object(),
        other => return Err(format!("unknown type `{other}`")),
    })
}

fn check_number(
    s: &Map<String, Value>,
    n: &serde_json::Number,
    at: &str,
    errors: &mut Vec<String>,
) {
    let x = n.as_f64().unwrap_or(f64::NAN);
    if let Some(min) = s.get("minimum").and_then(Value::as_f64) {
        if x < min {
            errors.push(format!("{}: {n} is less than minimum {min}", shown(at)));
        }
    }
    if let Some(max) = s.get("maximum").and_then(Value::as_f64) {
        if x > max {
            errors.push(format!("{}: {n} is more than maximum {max}", shown(at)));
        }
    }
}

fn kind(value: &Value) -> &'static str {
    match value {
        Value::Null => "null",
        Value::Bool(_) => "boolean",
        Value::Number(n) if n.is_i64() || n.is_u64() => "integer",
        Value::Number(_) => "number",
        Value::String(_) => "string",
        Value::Array(_) => "array",
        Value::Object(_) => "object",
    }
}

fn summarise(per_member: &[Vec<String>]) -> String {
    per_member
        .iter()
        .enumerate()
        .map(|(i, e)| format!("#{i}: {}", e.join("; ")))
        .collect::<Vec<_>>()
        .join(" | ")
}

// ---------------------------------------------------------------------------------------
// Finding every example
// ---------------------------------------------------------------------------------------

/// One example found in a document, with the schema it must satisfy.
struct Example {
    /// JSON pointer of the example in the document (plus the `$ref` it follows, if any).
    pointer: String,
    value: Value,
    schema: Value,
}

#[derive(Default)]
struct Walk {
    examples: Vec<Example>,
    /// `#/components/examples/*` that some `examples` entry refers to.
    used_component_examples: BTreeSet<String>,
    /// Problems of the walk itself (an example with no schema, a dangling `$ref`).
    problems: Vec<String>,
}

impl Walk {
    fn of(root: &Value) -> Walk {
        let mut walk = Walk::default();
        let components = root.get("components");
        let section = |name: &str| {
            components
                .and_then(|c| c.get(name))
                .and_then(Value::as_object)
                .cloned()
                .unwrap_or_default()
        };
        for (name, schema) in section("schemas") {
            walk.schema(&schema, &format!("/components/schemas/{}", esc(&name)));
        }
        for (name, parameter) in section("parameters") {
            walk.parameter(
                root,
                &parameter,
                &format!("/components/parameters/{}", esc(&name)),
            );
        }
        for (name, header) in section("headers") {
            walk.parameter(
                root,
                &header,
                &format!("/components/headers/{}", esc(&name)),
            );
        }
        for (name, response) in section("responses") {
            walk.response(
                root,
                &response,
                &format!("/components/responses/{}", esc(&name)),
            );
        }
        for (name, body) in section("requestBodies") {
            let at = format!("/components/requestBodies/{}", esc(&name));
            walk.content(root, body.get("content"), &ptr(&at, "content"));
        }
        let paths = root.get("paths").and_then(Value::as_object);
        for (path, item) in paths.into_iter().flatten() {
            let at = ptr("/paths", path);
            for (i, parameter) in array(item.get("parameters")).iter().enumerate() {
                walk.parameter(root, parameter, &format!("{at}/parameters/{i}"));
            }
            for method in METHODS {
                let Some(op) = item.get(method) else { continue };
                let at = ptr(&at, method);
                for (i, parameter) in array(op.get("parameters")).iter().enumerate() {
                    walk.parameter(root, parameter, &format!("{at}/parameters/{i}"));
                }
                if let Some(body) = op.get("requestBody") {
                    if body.get("$ref").is_none() {
                        walk.content(
                            root,
                            body.get("content"),
                            &format!("{at}/requestBody/content"),
                        );
                    }
                }
                let responses = op.get("responses").and_then(Value::as_object);
                for (status, response) in responses.into_iter().flatten() {
                    walk.response(root, response, &format!("{at}/responses/{}", esc(status)));
                }
            }
        }
        walk
    }

    /// Schema-level `example`s, at any depth of an inline schema.
    fn schema(&mut self, schema: &Value, at: &str) {
        if schema.get("$ref").is_some() {
            return; // walked where it is defined
        }
        if let Some(example) = schema.get("example") {
            self.examples.push(Example {
                pointer: ptr(at, "example"),
                value: example.clone(),
                schema: schema.clone(),
            });
        }
        if let Some(properties) = schema.get("properties").and_then(Value::as_object) {
            for (name, property) in properties {
                self.schema(property, &ptr(&ptr(at, "properties"), name));
            }
        }
        for key in ["items", "additionalProperties", "not"] {
            if let Some(sub) = schema.get(key).filter(|s| s.is_object()) {
                self.schema(sub, &ptr(at, key));
            }
        }
        for key in ["allOf", "oneOf", "anyOf"] {
            for (i, sub) in array(schema.get(key)).iter().enumerate() {
                self.schema(sub, &format!("{at}/{key}/{i}"));
            }
        }
    }

    /// A parameter or header object: `example`, `examples`, `schema`, `content`.
    fn parameter(&mut self, root: &Value, node: &Value, at: &str) {
        if node.get("$ref").is_some() {
            return; // a component, walked on its own
        }
        if let Some(schema) = node.get("schema") {
            self.schema(schema, &ptr(at, "schema"));
        }
        self.example_and_examples(root, node, node.get("schema"), at);
        if let Some(headers) = node.get("headers").and_then(Value::as_object) {
            for (name, header) in headers {
                self.parameter(root, header, &ptr(&ptr(at, "headers"), name));
            }
        }
        if node.get("content").is_some() {
            self.content(root, node.get("content"), &ptr(at, "content"));
        }
    }

    fn response(&mut self, root: &Value, node: &Value, at: &str) {
        if node.get("$ref").is_some() {
            return; // a component, walked on its own
        }
        if let Some(headers) = node.get("headers").and_then(Value::as_object) {
            for (name, header) in headers {
                self.parameter(root, header, &ptr(&ptr(at, "headers"), name));
            }
        }
        self.content(root, node.get("content"), &ptr(at, "content"));
    }

    fn content(&mut self, root: &Value, content: Option<&Value>, at: &str) {
        let Some(content) = content.and_then(Value::as_object) else {
            return;
        };
        for (media_type, media) in content {
            let at = ptr(at, media_type);
            if let Some(schema) = media.get("schema") {
                self.schema(schema, &ptr(&at, "schema"));
            }
            self.example_and_examples(root, media, media.get("schema"), &at);
        }
    }

    fn example_and_examples(
        &mut self,
        root: &Value,
        node: &Value,
        schema: Option<&Value>,
        at: &str,
    ) {
        let has_examples = node.get("example").is_some() || node.get("examples").is_some();
        let Some(schema) = schema else {
            if has_examples {
                self.problems.push(format!(
                    "{at}: has an example but no schema to check it against"
                ));
            }
            return;
        };
        if let Some(example) = node.get("example") {
            self.examples.push(Example {
                pointer: ptr(at, "example"),
                value: example.clone(),
                schema: schema.clone(),
            });
        }
        let examples = node.get("examples").and_then(Value::as_object);
        for (name, example) in examples.into_iter().flatten() {
            let mut pointer = ptr(&ptr(at, "examples"), name);
            let mut example = example;
            if let Some(r) = example.get("$ref").and_then(Value::as_str) {
                match r.strip_prefix('#').and_then(|p| root.pointer(p)) {
                    Some(target) => {
                        self.used_component_examples.insert(r.to_string());
                        pointer = format!("{pointer} (-> {r})");
                        example = target;
                    }
                    None => {
                        self.problems
                            .push(format!("{pointer}: unresolved $ref {r}"));
                        continue;
                    }
                }
            }
            if example.get("externalValue").is_some() {
                self.problems.push(format!(
                    "{pointer}: externalValue examples cannot be checked"
                ));
            }
            match example.get("value") {
                Some(value) => self.examples.push(Example {
                    pointer: ptr(&pointer, "value"),
                    value: value.clone(),
                    schema: schema.clone(),
                }),
                None => self
                    .problems
                    .push(format!("{pointer}: an example without `value`")),
            }
        }
    }
}

fn array(v: Option<&Value>) -> Vec<Value> {
    v.and_then(Value::as_array).cloned().unwrap_or_default()
}

/// Walks every example of `spec` and validates it. Returns the number of examples and
/// the errors, each naming the file, the example's pointer and the path in the value.
fn validate_examples(spec: &Spec) -> (usize, Vec<String>) {
    let walk = Walk::of(&spec.root);
    let validator = Validator::new(&spec.root);
    let mut errors: Vec<String> = walk
        .problems
        .iter()
        .map(|p| format!("{}: {p}", spec.file))
        .collect();
    for example in &walk.examples {
        for e in validator.check(&example.schema, &example.value) {
            errors.push(format!(
                "{}: example at {}: value {e}",
                spec.file, example.pointer
            ));
        }
    }
    let declared = spec
        .root
        .pointer("/components/examples")
        .and_then(Value::as_object);
    for name in declared.into_iter().flatten().map(|(k, _)| k) {
        let r = format!("#/components/examples/{}", esc(name));
        if !walk.used_component_examples.contains(&r) {
            errors.push(format!(
                "{}: {r} is never used, so it is never checked against a schema",
                spec.file
            ));
        }
    }
    (walk.examples.len(), errors)
}

// ---------------------------------------------------------------------------------------
// 1. Parsing
// ---------------------------------------------------------------------------------------

fn parse_openapi(path: &'static str) -> openapiv3::OpenAPI {
    serde_yaml::from_str(&read(path))
        .unwrap_or_else(|e| panic!("{path}: not an OpenAPI 3.0 document: {e}"))
}

#[test]
fn specs_parse_with_openapiv3() {
    for path in [BUDDY, PIECES] {
        let api = parse_openapi(path);
        assert_eq!(api.openapi, "3.0.3", "{path}");
        let mut operations = 0;
        for (route, item) in api.paths.iter() {
            let item = item
                .as_item()
                .unwrap_or_else(|| panic!("{path}: {route} is a $ref"));
            for (method, op) in item.iter() {
                operations += 1;
                let id = op.operation_id.as_deref();
                let here = format!("{path}: {method} {route} ({id:?})");
                assert!(id.is_some(), "{here}: no operationId");
                assert!(
                    op.summary.as_deref().is_some_and(|s| !s.is_empty()),
                    "{here}: no summary"
                );
                assert!(
                    op.description.as_deref().is_some_and(|s| !s.is_empty()),
                    "{here}: no description"
                );
                assert_eq!(op.tags.len(), 1, "{here}: exactly one tag");
                let has_success = op.responses.responses.keys().any(
                    |code| matches!(code, openapiv3::StatusCode::Code(c) if (200..300).contains(c)),
                );
                assert!(has_success, "{here}: no 2xx response");
            }
        }
        assert!(operations >= 5, "{path}: only {operations} operations");
        let components = api.components.expect("components");
        assert!(!components.schemas.is_empty(), "{path}: no schemas");
        assert_eq!(api.security.as_ref().map(Vec::len), Some(1), "{path}");
    }
}

#[test]
fn buddy_servers_security_and_error_responses() {
    let api = parse_openapi(BUDDY);
    let servers: Vec<&str> = api.servers.iter().map(|s| s.url.as_str()).collect();
    assert_eq!(
        servers,
        ["https://api.buddy.works", "https://api.eu.buddy.works"],
        "the US server is the default (first)"
    );
    let components = api.components.as_ref().expect("components");
    match components.security_schemes.get("bearerAuth") {
        Some(openapiv3::ReferenceOr::Item(openapiv3::SecurityScheme::HTTP { scheme, .. })) => {
            assert_eq!(scheme, "bearer")
        }
        other => panic!("bearerAuth must be an http bearer scheme, found {other:?}"),
    }
    let global = api.security.as_ref().expect("global security");
    assert!(global[0].contains_key("bearerAuth"));

    for (route, item) in api.paths.iter() {
        let item = item.as_item().expect("no $ref path items");
        for (method, op) in item.iter() {
            let here = format!("{method} {route}");
            for range in [4, 5] {
                match op
                    .responses
                    .responses
                    .get(&openapiv3::StatusCode::Range(range))
                {
                    Some(openapiv3::ReferenceOr::Reference { reference }) => {
                        assert_eq!(reference, "#/components/responses/Error", "{here}")
                    }
                    other => panic!("{here}: '{range}XX' must $ref the Error response: {other:?}"),
                }
            }
            let scopes = op
                .extensions
                .get("x-required-scopes")
                .and_then(Value::as_array)
                .unwrap_or_else(|| panic!("{here}: no x-required-scopes list"));
            assert_eq!(scopes.len(), 1, "{here}");
        }
    }
    let root = load(BUDDY).root;
    let error = &root["components"]["responses"]["Error"]["content"]["application/json"];
    assert_eq!(
        error["schema"]["$ref"],
        "#/components/schemas/ErrorResponse"
    );
    assert!(
        error.get("example").is_some(),
        "the Error response has an example"
    );
}

#[test]
fn pieces_server_and_security() {
    let api = parse_openapi(PIECES);
    let servers: Vec<&str> = api.servers.iter().map(|s| s.url.as_str()).collect();
    assert_eq!(servers, ["http://localhost:1000"]);
    let components = api.components.as_ref().expect("components");
    match components.security_schemes.get("application") {
        Some(openapiv3::ReferenceOr::Item(openapiv3::SecurityScheme::APIKey {
            location,
            name,
            ..
        })) => {
            assert_eq!(*location, openapiv3::APIKeyLocation::Header);
            assert_eq!(name, "X-Application-ID");
        }
        other => panic!("`application` must be an apiKey header scheme, found {other:?}"),
    }
    let global = api.security.as_ref().expect("global security");
    assert!(global[0].contains_key("application"));
}

// ---------------------------------------------------------------------------------------
// 2. Examples
// ---------------------------------------------------------------------------------------

#[test]
fn every_example_matches_its_schema() {
    let mut all_errors = Vec::new();
    for (path, minimum) in [(BUDDY, 30), (PIECES, 12)] {
        let spec = load(path);
        let (count, errors) = validate_examples(&spec);
        println!("{}: {count} examples validated", spec.file);
        assert!(
            count >= minimum,
            "{}: only {count} examples found, expected at least {minimum}: the walker is broken",
            spec.file
        );
        all_errors.extend(errors);
    }
    assert!(
        all_errors.is_empty(),
        "{} example error(s):\n{}",
        all_errors.len(),
        all_errors.join("\n")
    );
}

#[test]
fn every_success_response_and_request_body_has_an_example() {
    for path in [BUDDY, PIECES] {
        let spec = load(path);
        let paths = spec.root["paths"].as_object().expect("paths");
        for (route, item) in paths {
            for method in METHODS {
                let Some(op) = item.get(method) else { continue };
                let here = format!("{}: {method} {route}", spec.file);
                let responses = op["responses"].as_object().expect("responses");
                for (status, response) in responses {
                    if !status.starts_with('2') {
                        continue;
                    }
                    for (media_type, media) in response
                        .get("content")
                        .and_then(Value::as_object)
                        .into_iter()
                        .flatten()
                    {
                        assert!(
                            media.get("example").is_some() || media.get("examples").is_some(),
                            "{here}: the {status} {media_type} response has no example"
                        );
                    }
                }
                if let Some(content) = op
                    .pointer("/requestBody/content")
                    .and_then(Value::as_object)
                {
                    for (media_type, media) in content {
                        assert!(
                            media.get("example").is_some() || media.get("examples").is_some(),
                            "{here}: the {media_type} request body has no example"
                        );
                    }
                }
            }
        }
    }
}

/// The seed's create-distribution response, as it is in the spec.
fn seed_create_response(root: &Value) -> Value {
    root.pointer("/components/examples/DistributionWithThreeRoutes/value")
        .expect("the seed's create response example")
        .clone()
}

fn assert_rejected(v: &Validator, schema: &Value, value: &Value, at: &str, what: &str) {
    let errors = v.check(schema, value);
    assert!(
        errors.iter().any(|e| e.starts_with(&format!("{at}:"))),
        "{what}: expected an error at {at}, got {errors:#?}"
    );
}

#[test]
fn validator_rejects_broken_examples() {
    let buddy = load(BUDDY);
    let v = Validator::new(&buddy.root);
    let view = json!({ "$ref": "#/components/schemas/DistributionView" });
    let good = seed_create_response(&buddy.root);
    assert_eq!(v.check(&view, &good), Vec::<String>::new());

    let mut bad = good.clone();
    bad["scope"] = json!("GALAXY");
    assert_rejected(&v, &view, &bad, "/scope", "an unknown enum value");

    let mut bad = good.clone();
    bad["id"] = json!(42);
    assert_rejected(
        &v,
        &view,
        &bad,
        "/id",
        "an integer id (the docs' declared type)",
    );

    let mut bad = good.clone();
    bad["identifier"] = json!("-test");
    assert_rejected(&v, &view, &bad, "/identifier", "a leading hyphen");

    let mut bad = good.clone();
    bad["routes"][0]["targets"]["Default"]
        .as_object_mut()
        .expect("a target")
        .remove("type");
    assert_rejected(
        &v,
        &view,
        &bad,
        "/routes/0/targets/Default",
        "a target without its discriminator",
    );

    let mut bad = good.clone();
    bad["routes"][1]["targets"]["Default"]["type"] = json!("ARTIFACT");
    assert_rejected(
        &v,
        &view,
        &bad,
        "/routes/1/targets/Default/type",
        "an unmapped discriminator value",
    );

    let mut bad = good.clone();
    bad["routes"][1]["targets"]["Default"]["type"] = json!("EXTERNAL");
    assert_rejected(
        &v,
        &view,
        &bad,
        "/routes/1/targets/Default/tunnel",
        "a TUNNEL body under an EXTERNAL tag",
    );

    let mut bad = good.clone();
    bad["permissions"]["users"][0]["id"] = json!(1.5);
    assert_rejected(
        &v,
        &view,
        &bad,
        "/permissions/users/0/id",
        "a number where an integer is required",
    );

    let mut bad = good.clone();
    bad["project"] = json!({ "name": "my-project" });
    assert_rejected(
        &v,
        &view,
        &bad,
        "/project",
        "a project without display_name",
    );

    let mut bad = good.clone();
    bad["routes"][2]["zone_type"] = json!(null);
    assert_rejected(
        &v,
        &view,
        &bad,
        "/routes/2/zone_type",
        "null where not nullable",
    );

    let mut bad = good.clone();
    bad["name"] = json!(null);
    assert_rejected(&v, &view, &bad, "/name", "null for a plain string");

    let mut bad = good;
    bad["routes"][0]["targets"]["Default"]["externl_url"] = json!("typo.com");
    assert_rejected(
        &v,
        &view,
        &bad,
        "/routes/0/targets/Default/externl_url",
        "an undeclared (misspelt) field",
    );

    let domain = json!({ "$ref": "#/components/schemas/RoutableDomainView" });
    assert!(v
        .check(
            &domain,
            &json!({ "domain": "buddy.works", "zone_id": null })
        )
        .is_empty());

    let pieces = load(PIECES);
    let v = Validator::new(&pieces.root);
    let distribution = json!({ "$ref": "#/components/schemas/Distribution" });
    let good = pieces
        .root
        .pointer("/components/examples/GistDistribution/value")
        .expect("the Distribution example")
        .clone();
    assert_eq!(v.check(&distribution, &good), Vec::<String>::new());

    let mut bad = good.clone();
    bad["created"]["value"] = json!("last week");
    assert_rejected(
        &v,
        &distribution,
        &bad,
        "/created/value",
        "a value that is not a date-time",
    );

    let mut bad = good.clone();
    bad.as_object_mut().expect("object").remove("share");
    assert_rejected(&v, &distribution, &bad, "/", "a missing required property");

    let mut bad = good.clone();
    bad["share"]["accessors"]["iterable"][0]["count"] = json!("2");
    assert_rejected(
        &v,
        &distribution,
        &bad,
        "/share/accessors/iterable/0/count",
        "a string where an integer is required",
    );

    let mut bad = good;
    bad["share"]["assets"]["indices"]["x"] = json!(1.5);
    assert_rejected(
        &v,
        &distribution,
        &bad,
        "/share/assets/indices/x",
        "a map value of the wrong type",
    );
}

#[test]
fn validator_handles_composition_keywords() {
    let root = json!({});
    let v = Validator::new(&root);
    let one_of =
        json!({ "oneOf": [ { "type": "string" }, { "type": "string", "pattern": "^a" } ] });
    assert!(
        v.check(&one_of, &json!("b")).is_empty(),
        "exactly one matches"
    );
    assert!(!v.check(&one_of, &json!("a")).is_empty(), "two match");
    assert!(!v.check(&one_of, &json!(1)).is_empty(), "none matches");
    let any_of = json!({ "anyOf": [ { "type": "integer" }, { "type": "boolean" } ] });
    assert!(v.check(&any_of, &json!(true)).is_empty());
    assert!(!v.check(&any_of, &json!("x")).is_empty());
    let all_of = json!({ "allOf": [
        { "type": "object", "properties": { "a": { "type": "integer" } }, "required": ["a"] },
        { "type": "object", "properties": { "b": { "type": "string" } } }
    ] });
    assert!(v.check(&all_of, &json!({ "a": 1, "b": "x" })).is_empty());
    assert!(!v.check(&all_of, &json!({ "b": "x" })).is_empty());
    let closed = json!({ "type": "object", "properties": {}, "additionalProperties": false });
    assert!(!v.check(&closed, &json!({ "x": 1 })).is_empty());
    let items = json!({ "type": "array", "minItems": 1, "items": { "type": "integer" } });
    assert!(v.check(&items, &json!([1, 2])).is_empty());
    assert!(!v.check(&items, &json!([])).is_empty());
    assert!(!v.check(&items, &json!([1, "2"])).is_empty());
    let number = json!({ "type": "number" });
    assert!(
        v.check(&number, &json!(1)).is_empty(),
        "an integer is a number"
    );
    assert!(!v
        .check(&json!({ "type": "integer" }), &json!(1.5))
        .is_empty());
    let nullable = json!({ "type": "string", "nullable": true });
    assert!(v.check(&nullable, &json!(null)).is_empty());
}

#[test]
fn example_errors_name_the_file_the_example_and_the_path() {
    let mut spec = load(BUDDY);
    spec.root["components"]["examples"]["DistributionWithThreeRoutes"]["value"]["scope"] =
        json!("GALAXY");
    let (_, errors) = validate_examples(&spec);
    assert!(!errors.is_empty(), "the broken example must be reported");
    let expected = "buddy.yaml: example at /paths/~1workspaces~1{workspace}~1distributions/post/\
                    responses/201/content/application~1json/examples/created \
                    (-> #/components/examples/DistributionWithThreeRoutes)/value: value /scope:";
    assert!(
        errors.iter().any(|e| e.starts_with(expected)),
        "expected an error starting with {expected:?}, got {errors:#?}"
    );

    let mut spec = load(PIECES);
    spec.root["components"]["schemas"]["GroupedTimestamp"]["example"]["value"] = json!(7);
    let (_, errors) = validate_examples(&spec);
    assert!(
        errors.iter().any(|e| e.starts_with(
            "pieces.yaml: example at /components/schemas/GroupedTimestamp/example: value /value:"
        )),
        "{errors:#?}"
    );
}

// ---------------------------------------------------------------------------------------
// 3. Coverage of the source documents
// ---------------------------------------------------------------------------------------

/// A short, comparable description of a property's schema:
/// `string`, `integer`, `boolean`, `date-time`, `ref:Name`, `array<…>`, `map<…>`,
/// `object(free-form)`, `enum[A|B]`; `|null` is appended when nullable.
fn describe(schema: &Value) -> String {
    if let Some(r) = schema.get("$ref").and_then(Value::as_str) {
        return format!("ref:{}", r.rsplit('/').next().unwrap_or(r));
    }
    let base = match schema.get("type").and_then(Value::as_str) {
        Some("string") => match (
            schema.get("format").and_then(Value::as_str),
            schema.get("enum"),
        ) {
            (_, Some(values)) => {
                let values: Vec<&str> = values
                    .as_array()
                    .into_iter()
                    .flatten()
                    .filter_map(Value::as_str)
                    .collect();
                format!("enum[{}]", values.join("|"))
            }
            (Some(format), None) => format.to_string(),
            (None, None) => "string".to_string(),
        },
        Some("array") => format!("array<{}>", describe(&schema["items"])),
        Some("object") => match schema.get("additionalProperties") {
            Some(Value::Bool(true)) => "object(free-form)".to_string(),
            Some(extra) if extra.is_object() => format!("map<{}>", describe(extra)),
            _ => "object".to_string(),
        },
        Some(other) => other.to_string(),
        None => "untyped".to_string(),
    };
    if schema.get("nullable") == Some(&Value::Bool(true)) {
        format!("{base}|null")
    } else {
        base
    }
}

/// Splits a literal table into rows of whitespace-separated cells, skipping blank lines
/// and `#` comments.
fn rows(table: &'static str) -> Vec<Vec<&'static str>> {
    table
        .lines()
        .map(str::trim)
        .filter(|l| !l.is_empty() && !l.starts_with('#'))
        .map(|l| l.split_whitespace().collect())
        .collect()
}

/// Checks each field of a `schema field required|optional type` table: present, of that
/// type and required-ness; and no schema named in the table has a property it does not
/// name. With `links_read_only`, `url` and `html_url` must be `readOnly` (Buddy's links).
fn check_fields(spec: &Spec, table: &'static str, links_read_only: bool) {
    let schemas = spec.root["components"]["schemas"]
        .as_object()
        .expect("components/schemas");
    let mut expected: BTreeMap<&str, BTreeSet<&str>> = BTreeMap::new();
    let mut problems = Vec::new();
    for row in rows(table) {
        let [schema, field, required, ty] = row[..] else {
            panic!("a field row has 4 cells: {row:?}");
        };
        assert!(required == "required" || required == "optional", "{row:?}");
        let required = required == "required";
        expected.entry(schema).or_default().insert(field);
        let Some(s) = schemas.get(schema) else {
            problems.push(format!("schema {schema} is missing"));
            continue;
        };
        let Some(property) = s.pointer(&format!("/properties/{}", esc(field))) else {
            problems.push(format!("{schema}.{field} is missing"));
            continue;
        };
        let actual = describe(property);
        if actual != ty {
            problems.push(format!("{schema}.{field}: type {actual}, expected {ty}"));
        }
        let is_required = array(s.get("required")).iter().any(|r| r == field);
        if is_required != required {
            problems.push(format!(
                "{schema}.{field}: required is {is_required}, expected {required}"
            ));
        }
        if links_read_only
            && (field == "url" || field == "html_url")
            && property.get("readOnly") != Some(&Value::Bool(true))
        {
            problems.push(format!("{schema}.{field} must be readOnly"));
        }
    }
    for (schema, names) in &expected {
        let properties = schemas
            .get(*schema)
            .and_then(|s| s.get("properties"))
            .and_then(Value::as_object);
        for name in properties.into_iter().flatten().map(|(k, _)| k) {
            if !names.contains(name.as_str()) {
                problems.push(format!("{schema}.{name} is not in the source documents"));
            }
        }
    }
    assert!(
        problems.is_empty(),
        "{}: {} field problem(s):\n{}",
        spec.file,
        problems.len(),
        problems.join("\n")
    );
}

/// Checks a `Name: VALUE VALUE ...` table of string enums (as sets, no repeats).
fn check_enums(spec: &Spec, table: &'static str) {
    let schemas = &spec.root["components"]["schemas"];
    for row in rows(table) {
        let name = row[0]
            .strip_suffix(':')
            .expect("`Name:` starts an enum row");
        let schema = &schemas[name];
        assert_eq!(schema["type"], "string", "{}: {name}", spec.file);
        let listed: Vec<&str> = schema
            .get("enum")
            .and_then(Value::as_array)
            .into_iter()
            .flatten()
            .filter_map(Value::as_str)
            .collect();
        let actual: BTreeSet<&str> = listed.iter().copied().collect();
        let wanted: BTreeSet<&str> = row[1..].iter().copied().collect();
        assert_eq!(actual, wanted, "{}: enum {name} is {listed:?}", spec.file);
        assert_eq!(
            listed.len(),
            row.len() - 1,
            "{}: enum {name} repeats a value",
            spec.file
        );
    }
}

/// Every `enum` is a named component schema, referenced with `$ref`; the only inline
/// enums allowed are single-value discriminator tags (`type: [EXTERNAL]`).
fn check_enums_are_named(spec: &Spec) {
    fn visit(node: &Value, at: &str, top_level: bool, problems: &mut Vec<String>) {
        match node {
            Value::Object(map) => {
                if let Some(values) = map.get("enum").and_then(Value::as_array) {
                    if !top_level && values.len() != 1 {
                        problems.push(format!("{at}: inline enum; make it a named schema"));
                    }
                }
                for (k, v) in map {
                    if k != "example" && k != "examples" && k != "enum" {
                        visit(v, &ptr(at, k), false, problems);
                    }
                }
            }
            Value::Array(items) => {
                for (i, v) in items.iter().enumerate() {
                    visit(v, &format!("{at}/{i}"), false, problems);
                }
            }
            _ => {}
        }
    }
    let mut problems = Vec::new();
    let schemas = spec.root["components"]["schemas"]
        .as_object()
        .expect("schemas");
    for (name, schema) in schemas {
        let at = format!("/components/schemas/{}", esc(name));
        visit(schema, &at, true, &mut problems);
    }
    visit(&spec.root["paths"], "/paths", false, &mut problems);
    assert!(
        problems.is_empty(),
        "{}:\n{}",
        spec.file,
        problems.join("\n")
    );
}

fn check_schema_names(spec: &Spec, names: &'static str) {
    let actual: BTreeSet<&str> = spec.root["components"]["schemas"]
        .as_object()
        .expect("schemas")
        .keys()
        .map(String::as_str)
        .collect();
    let wanted: BTreeSet<&str> = rows(names).into_iter().flatten().collect();
    assert_eq!(actual, wanted, "{}: component schema names", spec.file);
}

/// The parameters of an operation (path-level and operation-level, `$ref`s resolved), as
/// `name in required|optional type`.
fn parameters(root: &Value, item: &Value, op: &Value) -> BTreeSet<String> {
    let mut out = BTreeSet::new();
    let all = array(item.get("parameters"))
        .into_iter()
        .chain(array(op.get("parameters")));
    for p in all {
        let p = resolve_node(root, &p);
        let required = if p.get("required") == Some(&Value::Bool(true)) {
            "required"
        } else {
            "optional"
        };
        out.insert(format!(
            "{} {} {required} {}",
            p["name"].as_str().expect("name"),
            p["in"].as_str().expect("in"),
            describe(&p["schema"])
        ));
    }
    out
}

fn resolve_node<'a>(root: &'a Value, node: &'a Value) -> &'a Value {
    match node.get("$ref").and_then(Value::as_str) {
        Some(r) => root.pointer(&r[1..]).expect("$ref"),
        None => node,
    }
}

fn operations(root: &Value) -> Vec<String> {
    let mut out = Vec::new();
    for (route, item) in root["paths"].as_object().expect("paths") {
        for method in METHODS {
            if let Some(op) = item.get(method) {
                let id = op["operationId"].as_str().unwrap_or("<none>");
                out.push(format!("{} {route} {id}", method.to_uppercase()));
            }
        }
    }
    out.sort();
    out
}

/// One row of an endpoint table:
/// `METHOD path operationId tag scope request-schema status response-schema`
/// (`-` for none; the scope column is `-` for Pieces, which has none).
struct Endpoint {
    method: &'static str,
    path: &'static str,
    id: &'static str,
    tag: &'static str,
    scope: &'static str,
    request: Option<&'static str>,
    status: &'static str,
    response: Option<&'static str>,
}

fn endpoints(table: &'static str) -> Vec<Endpoint> {
    let opt = |cell: &'static str| if cell == "-" { None } else { Some(cell) };
    rows(table)
        .into_iter()
        .map(|row| {
            let [method, path, id, tag, scope, request, status, response] = row[..] else {
                panic!("an endpoint row has 8 cells: {row:?}");
            };
            Endpoint {
                method,
                path,
                id,
                tag,
                scope,
                request: opt(request),
                status,
                response: opt(response),
            }
        })
        .collect()
}

fn check_endpoints(spec: &Spec, endpoints: &[Endpoint]) {
    let root = &spec.root;
    let mut wanted: Vec<String> = endpoints
        .iter()
        .map(|e| format!("{} {} {}", e.method, e.path, e.id))
        .collect();
    wanted.sort();
    assert_eq!(operations(root), wanted, "{}: the operations", spec.file);

    for e in endpoints {
        let here = format!("{}: {} {} ({})", spec.file, e.method, e.path, e.id);
        let op = &root["paths"][e.path][e.method.to_lowercase()];
        assert_eq!(op["tags"], json!([e.tag]), "{here}: tags");
        let body = op.get("requestBody").map(|b| resolve_node(root, b));
        match (e.request, body) {
            (Some(schema), Some(body)) => assert_eq!(
                body["content"]["application/json"]["schema"]["$ref"],
                format!("#/components/schemas/{schema}"),
                "{here}: request body"
            ),
            (None, None) => {}
            (want, got) => panic!("{here}: request body {got:?}, expected {want:?}"),
        }
        let responses = op["responses"].as_object().expect("responses");
        let successes: Vec<&String> = responses.keys().filter(|k| k.starts_with('2')).collect();
        assert_eq!(successes, [e.status], "{here}: success statuses");
        let success = resolve_node(root, &responses[e.status]);
        match e.response {
            Some(schema) => assert_eq!(
                success["content"]["application/json"]["schema"]["$ref"],
                format!("#/components/schemas/{schema}"),
                "{here}: {} response",
                e.status
            ),
            None => assert!(
                success.get("content").is_none(),
                "{here}: {} has no body",
                e.status
            ),
        }
    }
}

// The Buddy.works lists: seeds 000/001 (create distribution) and spec-facts §B.

const BUDDY_ENDPOINTS: &str = "
GET    /workspaces/{workspace}/distributions                                         listDistributions   Distributions DISTRIBUTION_INFO   -                         200 DistributionList
POST   /workspaces/{workspace}/distributions                                         createDistribution  Distributions DISTRIBUTION_ADD    CreateDistributionRequest 201 DistributionView
GET    /workspaces/{workspace}/distributions/{distribution_id}                       getDistribution     Distributions DISTRIBUTION_INFO   -                         200 DistributionView
PATCH  /workspaces/{workspace}/distributions/{distribution_id}                       updateDistribution  Distributions DISTRIBUTION_MANAGE UpdateDistributionRequest 200 DistributionView
DELETE /workspaces/{workspace}/distributions/{distribution_id}                       deleteDistribution  Distributions DISTRIBUTION_MANAGE -                         204 -
GET    /workspaces/{workspace}/distributions/{distribution_id}/routable-domains      getRoutableDomains  Distributions DISTRIBUTION_INFO   -                         200 RoutableDomainList
GET    /workspaces/{workspace}/distributions/{distribution_id}/routes                listRoutes          Routes        DISTRIBUTION_INFO   -                         200 RouteList
POST   /workspaces/{workspace}/distributions/{distribution_id}/routes                createRoute         Routes        DISTRIBUTION_ADD    CreateRouteRequest        201 RouteView
GET    /workspaces/{workspace}/distributions/{distribution_id}/routes/{route_id}     getRoute            Routes        DISTRIBUTION_INFO   -                         200 RouteView
PATCH  /workspaces/{workspace}/distributions/{distribution_id}/routes/{route_id}     updateRoute         Routes        DISTRIBUTION_MANAGE UpdateRouteRequest        200 RouteView
DELETE /workspaces/{workspace}/distributions/{distribution_id}/routes/{route_id}     deleteRoute         Routes        DISTRIBUTION_MANAGE -                         204 -
";

const BUDDY_SCHEMAS: &str = "
CreateDistributionRequest UpdateDistributionRequest DistributionView ShortDistributionView
DistributionList RouteView RouteList CreateRouteRequest UpdateRouteRequest RouteTarget
PermissionsView UserPermissionView GroupPermissionView ShortProjectView ShortEnvironmentView
RoutableDomainView RoutableDomainList ErrorResponse
# Named pieces of the above:
ErrorMessage DistributionIdentifier ExternalRouteTarget TunnelRouteTarget TunnelReference
SandboxRouteTarget SandboxReference
# Enums:
DistributionScope AccessLevel RouteType ZoneType EnvironmentScope ProjectAccess
";

const BUDDY_FIELDS: &str = "
CreateDistributionRequest name             required string
CreateDistributionRequest scope            required ref:DistributionScope
CreateDistributionRequest identifier       optional ref:DistributionIdentifier
CreateDistributionRequest project_name     optional string
CreateDistributionRequest environment_id   optional string
CreateDistributionRequest permissions      optional ref:PermissionsView
UpdateDistributionRequest name             optional string
UpdateDistributionRequest identifier       optional ref:DistributionIdentifier
UpdateDistributionRequest scope            optional ref:DistributionScope
UpdateDistributionRequest project_name     optional string
UpdateDistributionRequest disabled         optional boolean
UpdateDistributionRequest permissions      optional ref:PermissionsView
DistributionView          url              optional string
DistributionView          html_url         optional string
DistributionView          id               optional string
DistributionView          identifier       optional ref:DistributionIdentifier
DistributionView          name             optional string
DistributionView          disabled         optional boolean
DistributionView          scope            optional ref:DistributionScope
DistributionView          project          optional ref:ShortProjectView
DistributionView          environment      optional ref:ShortEnvironmentView
DistributionView          routes           optional array<ref:RouteView>
DistributionView          permissions      optional ref:PermissionsView
ShortDistributionView     url              optional string
ShortDistributionView     html_url         optional string
ShortDistributionView     id               optional string
ShortDistributionView     identifier       optional ref:DistributionIdentifier
ShortDistributionView     name             optional string
ShortDistributionView     disabled         optional boolean
DistributionList          url              optional string
DistributionList          html_url         optional string
DistributionList          distributions    optional array<ref:ShortDistributionView>
RouteView                 url              optional string
RouteView                 html_url         optional string
RouteView                 id               optional string
RouteView                 type             optional ref:RouteType
RouteView                 subdomain        optional string
RouteView                 domain           optional string
RouteView                 path             optional string
RouteView                 zone_type        optional ref:ZoneType
RouteView                 targets          optional map<ref:RouteTarget>
RouteList                 url              optional string
RouteList                 html_url         optional string
RouteList                 routes           optional array<ref:RouteView>
CreateRouteRequest        type             required ref:RouteType
CreateRouteRequest        targets          required map<ref:RouteTarget>
CreateRouteRequest        subdomain        optional string
CreateRouteRequest        domain           optional string
CreateRouteRequest        path             optional string
UpdateRouteRequest        type             optional ref:RouteType
UpdateRouteRequest        subdomain        optional string
UpdateRouteRequest        domain           optional string
UpdateRouteRequest        path             optional string
UpdateRouteRequest        targets          optional map<ref:RouteTarget>
ExternalRouteTarget       type             required enum[EXTERNAL]
ExternalRouteTarget       external_url     optional string
TunnelRouteTarget         type             required enum[TUNNEL]
TunnelRouteTarget         tunnel           optional ref:TunnelReference
TunnelReference           id               optional string
TunnelReference           tunnel_id        optional string
SandboxRouteTarget        type             required enum[SANDBOX]
SandboxRouteTarget        sandbox          optional ref:SandboxReference
SandboxReference          id               optional string
SandboxReference          endpoint         optional string
PermissionsView           others           optional ref:AccessLevel
PermissionsView           users            optional array<ref:UserPermissionView>
PermissionsView           groups           optional array<ref:GroupPermissionView>
UserPermissionView        id               optional integer
UserPermissionView        access_level     optional ref:AccessLevel
GroupPermissionView       id               optional integer
GroupPermissionView       access_level     optional ref:AccessLevel
ShortProjectView          url              optional string
ShortProjectView          html_url         optional string
ShortProjectView          name             optional string
ShortProjectView          display_name     required string
ShortProjectView          status           optional string
ShortProjectView          access           optional ref:ProjectAccess
ShortProjectView          create_date      optional date-time
ShortEnvironmentView      url              optional string
ShortEnvironmentView      html_url         optional string
ShortEnvironmentView      name             optional string
ShortEnvironmentView      identifier       optional string
ShortEnvironmentView      id               optional string
ShortEnvironmentView      scope            optional ref:EnvironmentScope
RoutableDomainView        domain           optional string
RoutableDomainView        type             optional ref:ZoneType
RoutableDomainView        zone_id          optional string|null
RoutableDomainList        url              optional string
RoutableDomainList        html_url         optional string
RoutableDomainList        routable_domains optional array<ref:RoutableDomainView>
ErrorResponse             errors           required array<ref:ErrorMessage>
ErrorMessage              message          required string
";

const BUDDY_ENUMS: &str = "
DistributionScope: WORKSPACE PROJECT ENVIRONMENT
AccessLevel:       DENIED READ_ONLY USE_ONLY BLIND RUN_ONLY READ_WRITE MANAGE DEFAULT ALLOWED STAGE COMMIT
RouteType:         PROXY REDIRECT CLOAKING PROXY_NO_CACHE
# INTERNAL is not documented; the routable-domains example returns it.
ZoneType:          ROUTING CLAIMABLE USER CLAIMED NS_POINTED CNAME_POINTED INTERNAL
EnvironmentScope:  PROJECT WORKSPACE ANY
ProjectAccess:     PRIVATE PUBLIC
";

#[test]
fn buddy_covers_the_documented_api() {
    let spec = load(BUDDY);
    let root = &spec.root;
    let endpoints = endpoints(BUDDY_ENDPOINTS);
    check_endpoints(&spec, &endpoints);

    for e in &endpoints {
        let item = &root["paths"][e.path];
        let op = &item[e.method.to_lowercase()];
        let here = format!("{} {}", e.method, e.path);
        assert_eq!(op["x-required-scopes"], json!([e.scope]), "{here}: scope");
        let mut wanted = BTreeSet::from(["workspace path required string".to_string()]);
        if e.path.contains("{distribution_id}") {
            wanted.insert("distribution_id path required string".to_string());
        }
        if e.path.contains("{route_id}") {
            wanted.insert("route_id path required string".to_string());
        }
        if e.id != "createDistribution" {
            wanted.insert("project_name query optional string".to_string());
            wanted.insert("environment_id query optional string".to_string());
        }
        assert_eq!(parameters(root, item, op), wanted, "{here}: parameters");
    }

    check_schema_names(&spec, BUDDY_SCHEMAS);
    check_fields(&spec, BUDDY_FIELDS, true);
    check_enums(&spec, BUDDY_ENUMS);
    check_enums_are_named(&spec);

    // RouteTarget: a oneOf discriminated by `type`, with an explicit mapping, no allOf.
    let schemas = &root["components"]["schemas"];
    let target = &schemas["RouteTarget"];
    assert_eq!(target["discriminator"]["propertyName"], "type");
    assert_eq!(
        target["discriminator"]["mapping"],
        json!({
            "EXTERNAL": "#/components/schemas/ExternalRouteTarget",
            "TUNNEL": "#/components/schemas/TunnelRouteTarget",
            "SANDBOX": "#/components/schemas/SandboxRouteTarget",
        })
    );
    assert_eq!(
        target["oneOf"],
        json!([
            { "$ref": "#/components/schemas/ExternalRouteTarget" },
            { "$ref": "#/components/schemas/TunnelRouteTarget" },
            { "$ref": "#/components/schemas/SandboxRouteTarget" },
        ])
    );
    for variant in [
        "ExternalRouteTarget",
        "TunnelRouteTarget",
        "SandboxRouteTarget",
    ] {
        assert!(schemas[variant].get("allOf").is_none(), "{variant}");
    }
    let external_url = &schemas["ExternalRouteTarget"]["properties"]["external_url"];
    assert!(
        external_url.get("format").is_none(),
        "external_url has no format (the examples return \"kordos.com\")"
    );
}

#[test]
fn distribution_identifier_pattern() {
    let spec = load(BUDDY);
    let schemas = &spec.root["components"]["schemas"];
    let schema = &schemas["DistributionIdentifier"];
    assert_eq!(schema["type"], "string");
    let pattern = schema["pattern"].as_str().expect("a pattern");
    for construct in ["(?=", "(?!", "(?<=", "(?<!", "\\p", "(?i", "(?P"] {
        assert!(
            !pattern.contains(construct),
            "{pattern} must be ECMA and Rust regex compatible"
        );
    }
    let re = Regex::new(pattern).expect("compiles with the regex crate");
    for ok in [
        "test",
        "my-distribution",
        "a",
        "A_b-9",
        "_x_",
        "a-b-c",
        "x1",
    ] {
        assert!(re.is_match(ok), "{ok:?} is a valid identifier");
    }
    for bad in ["", "-", "-a", "a-", "a b", "a.b", "ä", "a/b", "a\n"] {
        assert!(!re.is_match(bad), "{bad:?} is not a valid identifier");
    }
    // Every identifier of a distribution uses the one named schema.
    let users = [
        "CreateDistributionRequest",
        "UpdateDistributionRequest",
        "DistributionView",
        "ShortDistributionView",
    ];
    for user in users {
        assert_eq!(
            schemas[user]["properties"]["identifier"],
            json!({ "$ref": "#/components/schemas/DistributionIdentifier" }),
            "{user}.identifier"
        );
    }
}

// The Pieces OS lists: seed 002 and spec-facts §A.2–A.4.

const PIECES_ENDPOINTS: &str = "
POST /distributions/create               distributions-create-new-distribution        Distributions - SeededDistribution 200 Distribution
POST /distributions/{distribution}/delete distributions-delete-specific-distribution  Distributions - -                  204 -
GET  /distributions                      distributions-snapshot                       Distributions - -                  200 Distributions
POST /distribution/update                distribution-update                          Distribution  - Distribution       200 Distribution
GET  /distribution/{distribution}        distributions-specific-distribution-snapshot Distribution  - -                  200 Distribution
";

const PIECES_SCHEMAS: &str = "
# The 25-schema closure of spec-facts A.4 ...
Distribution SeededDistribution Distributions EmbeddedModelSchema
EmbeddedModelSchemaSemanticVersionEnum FlattenedShare GroupedTimestamp MailgunDistribution
GitHubDistribution SeededGitHubDistribution AccessEnum Accessors FlattenedAssets
FlattenedDistributions Score Recipients GitHubGistDistribution SeededGitHubGistDistribution
Accessor ReferencedDistribution PersonBasicType FlattenedUserProfile FlattenedDistribution
ExternallySourcedEnum MailgunMetadata
# ... plus ReferencedAsset, whose `reference` is where the asset graph is cut.
ReferencedAsset
";

const PIECES_FIELDS: &str = "
Distribution                 schema        optional ref:EmbeddedModelSchema
Distribution                 id            required string
Distribution                 share         required ref:FlattenedShare
Distribution                 created       required ref:GroupedTimestamp
Distribution                 updated       required ref:GroupedTimestamp
Distribution                 deleted       optional ref:GroupedTimestamp
Distribution                 mailgun       optional ref:MailgunDistribution
Distribution                 github        optional ref:GitHubDistribution
SeededDistribution           schema        optional ref:EmbeddedModelSchema
SeededDistribution           mailgun       optional ref:MailgunDistribution
SeededDistribution           github        optional ref:SeededGitHubDistribution
Distributions                iterable      required array<ref:Distribution>
Distributions                schema        optional ref:EmbeddedModelSchema
GitHubDistribution           schema        optional ref:EmbeddedModelSchema
GitHubDistribution           gist          optional ref:GitHubGistDistribution
SeededGitHubDistribution     schema        optional ref:EmbeddedModelSchema
SeededGitHubDistribution     gist          optional ref:SeededGitHubGistDistribution
GitHubGistDistribution       schema        optional ref:EmbeddedModelSchema
GitHubGistDistribution       recipients    required ref:Recipients
GitHubGistDistribution       public        required boolean
GitHubGistDistribution       description   optional string
GitHubGistDistribution       name          required string
GitHubGistDistribution       created       required ref:GroupedTimestamp
GitHubGistDistribution       updated       required ref:GroupedTimestamp
GitHubGistDistribution       deleted       optional ref:GroupedTimestamp
GitHubGistDistribution       github_id     required string
GitHubGistDistribution       url           required string
SeededGitHubGistDistribution schema        optional ref:EmbeddedModelSchema
SeededGitHubGistDistribution recipients    optional ref:Recipients
SeededGitHubGistDistribution public        optional boolean
SeededGitHubGistDistribution description   optional string
SeededGitHubGistDistribution name          required string
MailgunDistribution          schema        optional ref:EmbeddedModelSchema
MailgunDistribution          recipients    required ref:Recipients
Recipients                   iterable      required array<ref:PersonBasicType>
Recipients                   schema        optional ref:EmbeddedModelSchema
PersonBasicType              schema        optional ref:EmbeddedModelSchema
PersonBasicType              username      optional string
PersonBasicType              name          optional string
PersonBasicType              picture       optional string
PersonBasicType              email         optional string
PersonBasicType              sourced       optional ref:ExternallySourcedEnum
PersonBasicType              url           optional string
PersonBasicType              mailgun       optional ref:MailgunMetadata
MailgunMetadata              schema        optional ref:EmbeddedModelSchema
MailgunMetadata              messageId     required string
EmbeddedModelSchema          migration     required integer
EmbeddedModelSchema          semantic      required ref:EmbeddedModelSchemaSemanticVersionEnum
GroupedTimestamp             schema        optional ref:EmbeddedModelSchema
GroupedTimestamp             value         required date-time
GroupedTimestamp             readable      optional string
FlattenedShare               schema        optional ref:EmbeddedModelSchema
FlattenedShare               id            required string
FlattenedShare               asset         optional string
FlattenedShare               user          optional string
FlattenedShare               link          required string
FlattenedShare               access        required ref:AccessEnum
FlattenedShare               accessors     required ref:Accessors
FlattenedShare               created       required ref:GroupedTimestamp
FlattenedShare               short         required string
FlattenedShare               name          optional string
FlattenedShare               assets        optional ref:FlattenedAssets
FlattenedShare               distributions optional ref:FlattenedDistributions
FlattenedShare               score         optional ref:Score
Accessors                    schema        optional ref:EmbeddedModelSchema
Accessors                    iterable      required array<ref:Accessor>
Accessor                     schema        optional ref:EmbeddedModelSchema
Accessor                     id            required string
Accessor                     os            required string
Accessor                     share         required string
Accessor                     count         required integer
Accessor                     user          optional ref:FlattenedUserProfile
FlattenedUserProfile         schema        optional ref:EmbeddedModelSchema
FlattenedUserProfile         id            required string
FlattenedUserProfile         email         optional string
FlattenedUserProfile         name          optional string
FlattenedUserProfile         username      optional string
FlattenedUserProfile         picture       optional string
FlattenedUserProfile         vanityname    optional string
FlattenedDistributions       schema        optional ref:EmbeddedModelSchema
FlattenedDistributions       iterable      required array<ref:ReferencedDistribution>
ReferencedDistribution       schema        optional ref:EmbeddedModelSchema
ReferencedDistribution       id            required string
ReferencedDistribution       reference     optional ref:FlattenedDistribution
FlattenedDistribution        schema        optional ref:EmbeddedModelSchema
FlattenedDistribution        id            required string
FlattenedDistribution        share         required string
FlattenedDistribution        created       required ref:GroupedTimestamp
FlattenedDistribution        updated       required ref:GroupedTimestamp
FlattenedDistribution        deleted       optional ref:GroupedTimestamp
FlattenedDistribution        mailgun       optional ref:MailgunDistribution
FlattenedDistribution        github        optional ref:GitHubDistribution
Score                        schema        optional ref:EmbeddedModelSchema
Score                        manual        required integer
Score                        automatic     required integer
Score                        priority      optional integer
Score                        reuse         optional integer
Score                        update        optional integer
Score                        reference     optional integer
Score                        searched      optional integer
FlattenedAssets              schema        optional ref:EmbeddedModelSchema
FlattenedAssets              iterable      optional array<ref:ReferencedAsset>
FlattenedAssets              indices       optional map<integer>
FlattenedAssets              score         optional ref:Score
ReferencedAsset              schema        optional ref:EmbeddedModelSchema
ReferencedAsset              id            required string
# Cut here: a FlattenedAsset in the source document.
ReferencedAsset              reference     optional object(free-form)
";

const PIECES_ENUMS: &str = "
# UNKNOWN: added by the Pieces SDKs 4.1.0 and 4.2.0 (see spec/README.md).
AccessEnum:                             UNKNOWN PUBLIC PRIVATE
ExternallySourcedEnum:                  UNKNOWN TWITTER MEDIUM LINKED_IN INSTAGRAM FACEBOOK REDDIT DISCORD BIT_BUCKET GIT_LAB GIT_HUB SLACK MAILGUN
EmbeddedModelSchemaSemanticVersionEnum: UNKNOWN MAJOR_0_MINOR_0_PATCH_1
";

#[test]
fn pieces_covers_the_documented_api() {
    let spec = load(PIECES);
    let root = &spec.root;
    let endpoints = endpoints(PIECES_ENDPOINTS);
    check_endpoints(&spec, &endpoints);

    for e in &endpoints {
        let item = &root["paths"][e.path];
        let op = &item[e.method.to_lowercase()];
        let here = format!("{} {}", e.method, e.path);
        let summary = format!("{} [{}]", e.path, e.method);
        assert_eq!(op["summary"], summary, "{here}: summary");
        if let Some(body) = op.get("requestBody") {
            let required = body.get("required");
            assert_ne!(required, Some(&json!(true)), "{here}: the body is optional");
        }
        let mut wanted = BTreeSet::new();
        if e.path.contains("{distribution}") {
            wanted.insert("distribution path required string".to_string());
        }
        assert_eq!(parameters(root, item, op), wanted, "{here}: parameters");
        let mut errors = BTreeSet::from(["500"]);
        if e.id == "distributions-specific-distribution-snapshot" {
            errors.insert("410");
        }
        let statuses: BTreeSet<&str> = op["responses"]
            .as_object()
            .expect("responses")
            .keys()
            .map(String::as_str)
            .filter(|s| !s.starts_with('2'))
            .collect();
        assert_eq!(statuses, errors, "{here}: error statuses");
        for status in errors {
            let response = resolve_node(root, &op["responses"][status]);
            assert_eq!(
                response["content"]["text/plain"]["schema"],
                json!({ "type": "string" }),
                "{here}: {status} is a text/plain string"
            );
        }
    }
    assert_eq!(
        root["components"]["responses"]["InternalServerError"]["description"],
        "Internal Server Error"
    );
    assert_eq!(
        root["components"]["parameters"]["distribution"]["description"],
        "This is the uuid of a specific distribution."
    );

    check_schema_names(&spec, PIECES_SCHEMAS);
    check_fields(&spec, PIECES_FIELDS, false);
    check_enums(&spec, PIECES_ENUMS);
    check_enums_are_named(&spec);

    let schemas = &root["components"]["schemas"];
    let semantic = &schemas["EmbeddedModelSchemaSemanticVersionEnum"];
    assert_eq!(semantic["default"], "MAJOR_0_MINOR_0_PATCH_1");
    assert!(
        semantic.get("readOnly").is_none(),
        "readOnly is dropped (spec/README.md)"
    );
    for (name, schema) in schemas.as_object().expect("schemas") {
        assert!(
            schema.get("title").is_none(),
            "{name}: titles are dropped (spec/README.md)"
        );
    }
    assert_eq!(
        schemas["ReferencedAsset"]["properties"]["reference"]["additionalProperties"],
        json!(true)
    );
}

// ---------------------------------------------------------------------------------------
// 4. The documents' own examples are in the spec verbatim
// ---------------------------------------------------------------------------------------

/// The response example of seed 000 (create distribution), verbatim.
const SEED_CREATE_RESPONSE: &str = r#"
{
  "url": "https://api.buddy.works/workspaces/my-workspace/distributions/rm1P93jG",
  "html_url": "https://app.buddy.works/my-workspace/-/routing/rm1P93jG/routes",
  "id": "rm1P93jG",
  "identifier": "test",
  "name": "test",
  "disabled": false,
  "scope": "WORKSPACE",
  "routes": [
    {
      "url": "https://api.buddy.works/workspaces/my-workspace/distributions/rm1P93jG/routes/1ObP9zw8",
      "html_url": "https://app.buddy.works/my-workspace/-/routing/rm1P93jG/route/1ObP9zw8",
      "id": "1ObP9zw8",
      "type": "PROXY",
      "subdomain": "testing3",
      "domain": "buddy.works",
      "path": "",
      "targets": {
        "Default": {
          "type": "EXTERNAL",
          "external_url": "kordos.com"
        }
      }
    },
    {
      "url": "https://api.buddy.works/workspaces/my-workspace/distributions/rm1P93jG/routes/VXb2ZOb3",
      "html_url": "https://app.buddy.works/my-workspace/-/routing/rm1P93jG/route/VXb2ZOb3",
      "id": "VXb2ZOb3",
      "type": "PROXY",
      "subdomain": "tunnel",
      "domain": "buddy.works",
      "path": "",
      "targets": {
        "Default": {
          "type": "TUNNEL",
          "tunnel": {
            "id": "bartshoot",
            "tunnel_id": "test"
          }
        }
      }
    },
    {
      "url": "https://api.buddy.works/workspaces/my-workspace/distributions/rm1P93jG/routes/JqbOmp06",
      "html_url": "https://app.buddy.works/my-workspace/-/routing/rm1P93jG/route/JqbOmp06",
      "id": "JqbOmp06",
      "type": "PROXY",
      "subdomain": "asdf",
      "domain": "buddy.works",
      "path": "asd",
      "targets": {
        "COUNTRY-PL": {
          "type": "EXTERNAL",
          "external_url": "testpl.com"
        },
        "CONTINENT-Europe": {
          "type": "EXTERNAL",
          "external_url": "testeu.com"
        },
        "Default": {
          "type": "EXTERNAL",
          "external_url": "test.com"
        }
      }
    }
  ],
  "permissions": {
    "others": "READ_ONLY",
    "users": [
      {
        "id": 1,
        "access_level": "MANAGE"
      }
    ]
  }
}
"#;

/// The examples of the Buddy.works docs pages, as (where in buddy.yaml, JSON).
const BUDDY_DOC_EXAMPLES: &[(&str, &str)] = &[
    // Seed 001: the three create-distribution requests.
    (
        "/paths/~1workspaces~1{workspace}~1distributions/post/requestBody/content/application~1json/examples/workspace/value",
        r#"{ "name": "My Distribution", "scope": "WORKSPACE", "identifier": "my-distribution" }"#,
    ),
    (
        "/paths/~1workspaces~1{workspace}~1distributions/post/requestBody/content/application~1json/examples/project/value",
        r#"{ "name": "My Distribution", "scope": "PROJECT", "identifier": "my-distribution", "project_name": "my-project" }"#,
    ),
    (
        "/paths/~1workspaces~1{workspace}~1distributions/post/requestBody/content/application~1json/examples/environment/value",
        r#"{ "name": "My Distribution", "scope": "ENVIRONMENT", "identifier": "my-distribution", "environment_id": "3a4KbBQl" }"#,
    ),
    // distributions/list
    (
        "/paths/~1workspaces~1{workspace}~1distributions/get/responses/200/content/application~1json/example",
        r#"{ "url": "https://api.buddy.works/workspaces/my-workspace/distributions", "html_url": "https://app.buddy.works/my-workspace/-/routing", "distributions": [ { "url": "https://api.buddy.works/workspaces/my-workspace/distributions/rm1P93jG", "html_url": "https://app.buddy.works/my-workspace/-/routing/rm1P93jG/routes", "id": "rm1P93jG", "identifier": "test", "name": "test", "disabled": false } ] }"#,
    ),
    // distributions/routable-domains
    (
        "/paths/~1workspaces~1{workspace}~1distributions~1{distribution_id}~1routable-domains/get/responses/200/content/application~1json/example",
        r#"{ "url": "https://api.buddy.works/workspaces/my-workspace/distributions/rm1P93jG/routable-domains", "routable_domains": [ { "domain": "buddy.works", "type": "INTERNAL", "zone_id": null }, { "domain": "example.com", "type": "CLAIMED", "zone_id": "1ObP9zw8" } ] }"#,
    ),
    // distributions/routes/create, "Create a route with external target"
    (
        "/paths/~1workspaces~1{workspace}~1distributions~1{distribution_id}~1routes/post/requestBody/content/application~1json/examples/externalTarget/value",
        r#"{ "type": "PROXY", "subdomain": "api", "targets": { "default": { "type": "EXTERNAL", "external_url": "https://example.com" } } }"#,
    ),
    // distributions/routes/get
    (
        "/paths/~1workspaces~1{workspace}~1distributions~1{distribution_id}~1routes~1{route_id}/get/responses/200/content/application~1json/example",
        r#"{ "url": "https://api.buddy.works/workspaces/my-workspace/distributions/gNYmaWYw/routes/dybEM2bg?project_name=my-project", "html_url": "https://app.buddy.works/my-workspace/my-project/routing/gNYmaWYw/route/dybEM2bg", "id": "dybEM2bg", "type": "PROXY", "subdomain": "sandbox", "domain": "buddy.works", "path": "", "targets": { "Default": { "type": "SANDBOX", "sandbox": { "id": "ynjuqe2kov258", "endpoint": "www" } } } }"#,
    ),
    // sandboxes/create: the permissions object (the same PermissionsView).
    (
        "/components/schemas/PermissionsView/example",
        r#"{"others":"READ_ONLY","users":[{"id":42,"access_level":"READ_WRITE"}],"groups":[{"id":10,"access_level":"READ_WRITE"}]}"#,
    ),
];

#[test]
fn the_documents_examples_are_verbatim() {
    let spec = load(BUDDY);
    let seed: Value = serde_json::from_str(SEED_CREATE_RESPONSE).expect("seed JSON");
    let create = spec
        .root
        .pointer("/paths/~1workspaces~1{workspace}~1distributions/post/responses/201/content/application~1json/examples/created/$ref")
        .and_then(Value::as_str)
        .expect("the create response example is a $ref");
    assert_eq!(
        spec.root.pointer(&format!("{}/value", &create[1..])),
        Some(&seed),
        "the seed's create response, verbatim"
    );
    assert_eq!(seed_create_response(&spec.root), seed);
    for (pointer, expected) in BUDDY_DOC_EXAMPLES {
        let expected: Value = serde_json::from_str(expected).expect("example JSON");
        assert_eq!(spec.root.pointer(pointer), Some(&expected), "{pointer}");
    }
}
