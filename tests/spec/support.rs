//! What the spec test modules (`examples`, `coverage`, `roundtrip`) share: the
//! documents in `spec/` as plain JSON, and a walk that finds every example in them with the
//! schema it must satisfy.

use std::collections::BTreeSet;

use serde_json::{json, Map, Value};

pub const BUDDY: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/../spec/buddy.yaml");
pub const PIECES: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/../spec/pieces.yaml");

pub const METHODS: [&str; 8] = [
    "get", "put", "post", "delete", "options", "head", "patch", "trace",
];

/// A spec document as plain JSON, with the file name used in messages.
pub struct Spec {
    pub file: &'static str,
    pub root: Value,
}

pub fn read(path: &str) -> String {
    std::fs::read_to_string(path).unwrap_or_else(|e| panic!("cannot read {path}: {e}"))
}

pub fn file_name(path: &'static str) -> &'static str {
    path.rsplit('/').next().unwrap_or(path)
}

pub fn load(path: &'static str) -> Spec {
    let yaml: serde_yaml::Value =
        serde_yaml::from_str(&read(path)).unwrap_or_else(|e| panic!("{path}: invalid YAML: {e}"));
    Spec {
        file: file_name(path),
        root: yaml_to_json(yaml),
    }
}

/// YAML → JSON. Non-string mapping keys (a bare `200:` status code) become strings.
pub fn yaml_to_json(v: serde_yaml::Value) -> Value {
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
pub fn esc(token: &str) -> String {
    token.replace('~', "~0").replace('/', "~1")
}

pub fn ptr(base: &str, token: &str) -> String {
    format!("{base}/{}", esc(token))
}

/// The resolved target of a local `$ref` node, or the node itself.
pub fn resolve_node<'a>(root: &'a Value, node: &'a Value) -> &'a Value {
    match node.get("$ref").and_then(Value::as_str) {
        Some(r) => root.pointer(&r[1..]).expect("$ref"),
        None => node,
    }
}

/// The kinds of example an OpenAPI 3.0 document can hold.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Kind {
    /// `example` of a component schema (`#/components/schemas/X/example`).
    Schema,
    /// `example` of a schema nested in another (a property, `items`, a member of `oneOf`, an
    /// inline schema of a parameter or a media type).
    NestedSchema,
    /// `example` or an `examples` entry of a parameter.
    Parameter,
    /// `example` or an `examples` entry of a header.
    Header,
    /// `example` of a media type (a request or response body).
    MediaType,
    /// One entry of a media type's `examples` (after following its `$ref`).
    MediaTypeEntry,
}

/// One example found in a document, with the schema it must satisfy.
pub struct Example {
    /// What sort of example it is.
    pub kind: Kind,
    /// JSON pointer of the example in the document (plus the `$ref` it follows, if any).
    pub pointer: String,
    pub value: Value,
    pub schema: Value,
}

#[derive(Default)]
pub struct Walk {
    pub examples: Vec<Example>,
    /// `#/components/examples/*` that some `examples` entry refers to.
    pub used_component_examples: BTreeSet<String>,
    /// Problems of the walk itself (an example with no schema, a dangling `$ref`).
    pub problems: Vec<String>,
}

impl Walk {
    pub fn of(root: &Value) -> Walk {
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
            walk.schema(
                &schema,
                &format!("/components/schemas/{}", esc(&name)),
                Kind::Schema,
            );
        }
        for (name, parameter) in section("parameters") {
            walk.parameter(
                root,
                &parameter,
                &format!("/components/parameters/{}", esc(&name)),
                Kind::Parameter,
            );
        }
        for (name, header) in section("headers") {
            walk.parameter(
                root,
                &header,
                &format!("/components/headers/{}", esc(&name)),
                Kind::Header,
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
                walk.parameter(
                    root,
                    parameter,
                    &format!("{at}/parameters/{i}"),
                    Kind::Parameter,
                );
            }
            for method in METHODS {
                let Some(op) = item.get(method) else { continue };
                let at = ptr(&at, method);
                for (i, parameter) in array(op.get("parameters")).iter().enumerate() {
                    walk.parameter(
                        root,
                        parameter,
                        &format!("{at}/parameters/{i}"),
                        Kind::Parameter,
                    );
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

    /// Schema-level `example`s, at any depth of an inline schema. `kind` is that of `schema`'s
    /// own example; the schemas inside it are [`Kind::NestedSchema`].
    fn schema(&mut self, schema: &Value, at: &str, kind: Kind) {
        if schema.get("$ref").is_some() {
            return; // walked where it is defined
        }
        if let Some(example) = schema.get("example") {
            self.examples.push(Example {
                kind,
                pointer: ptr(at, "example"),
                value: example.clone(),
                schema: schema.clone(),
            });
        }
        if let Some(properties) = schema.get("properties").and_then(Value::as_object) {
            for (name, property) in properties {
                self.schema(
                    property,
                    &ptr(&ptr(at, "properties"), name),
                    Kind::NestedSchema,
                );
            }
        }
        for key in ["items", "additionalProperties", "not"] {
            if let Some(sub) = schema.get(key).filter(|s| s.is_object()) {
                self.schema(sub, &ptr(at, key), Kind::NestedSchema);
            }
        }
        for key in ["allOf", "oneOf", "anyOf"] {
            for (i, sub) in array(schema.get(key)).iter().enumerate() {
                self.schema(sub, &format!("{at}/{key}/{i}"), Kind::NestedSchema);
            }
        }
    }

    /// A parameter or header object (`kind` says which): `example`, `examples`, `schema`,
    /// `content`.
    fn parameter(&mut self, root: &Value, node: &Value, at: &str, kind: Kind) {
        if node.get("$ref").is_some() {
            return; // a component, walked on its own
        }
        if let Some(schema) = node.get("schema") {
            self.schema(schema, &ptr(at, "schema"), Kind::NestedSchema);
        }
        self.example_and_examples(root, node, node.get("schema"), at, [kind, kind]);
        if let Some(headers) = node.get("headers").and_then(Value::as_object) {
            for (name, header) in headers {
                self.parameter(root, header, &ptr(&ptr(at, "headers"), name), Kind::Header);
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
                self.parameter(root, header, &ptr(&ptr(at, "headers"), name), Kind::Header);
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
                self.schema(schema, &ptr(&at, "schema"), Kind::NestedSchema);
            }
            let kinds = [Kind::MediaType, Kind::MediaTypeEntry];
            self.example_and_examples(root, media, media.get("schema"), &at, kinds);
        }
    }

    /// `example` (of `kinds[0]`) and each `examples` entry (of `kinds[1]`) of `node`.
    fn example_and_examples(
        &mut self,
        root: &Value,
        node: &Value,
        schema: Option<&Value>,
        at: &str,
        kinds: [Kind; 2],
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
                kind: kinds[0],
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
                    kind: kinds[1],
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

pub fn array(v: Option<&Value>) -> Vec<Value> {
    v.and_then(Value::as_array).cloned().unwrap_or_default()
}
