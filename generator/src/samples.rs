//! Sample arguments for the generated conformance tests (`generator --tests`, `cargo xtask
//! codegen`): for each parameter and request body of an operation, a JSON value the spec
//! accepts. The spec's own example comes first (the parameter's or media type's `example`,
//! then the first of its `examples`), then the schema's `example` and `default`, then a value
//! built from the schema: the first `enum` value, a string of the `format` (a date-time, a
//! UUID, an e-mail address...) or matching the `pattern` and the length limits, a number
//! within `minimum`/`maximum`, `minItems` items, an object with its required properties (all
//! of them for the call that sets everything), the first member of a `oneOf`/`anyOf`, the
//! members of an `allOf` merged.
//!
//! A stage beside the pipeline: it reads the loaded document and the IR of the same spec, and
//! only runs when tests are asked for.

use std::cell::{Cell, RefCell};
use std::collections::BTreeMap;

use openapiv3::{
    OpenAPI, Parameter, ParameterSchemaOrContent, ReferenceOr, RequestBody, Schema, SchemaKind,
    Type as SchemaType,
};
use serde_json::{json, Map, Value};

use crate::ir::{Api, Operation, ParamLocation, Type};
use crate::resolve::Resolver;

/// The samples of one operation. Each is a list of candidates, best first: the one built
/// from the spec's examples and defaults, then (when different) one built from the schemas
/// alone, for specs whose examples contradict their schemas.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct OperationSamples {
    /// By the parameter's Rust name.
    pub params: BTreeMap<String, Vec<Value>>,
    /// The body with its required properties only, and with all of them.
    pub body: Option<(Vec<Value>, Vec<Value>)>,
}

/// The samples of every operation of `api` (by method name) that has its own form (variants
/// of an operation, for another media type, are left out).
pub fn samples(file: &str, spec: &OpenAPI, api: &Api) -> BTreeMap<String, OperationSamples> {
    let sampler = |examples: bool| Sampler {
        spec,
        resolver: Resolver::new(file, spec),
        examples,
        refs: RefCell::new(Vec::new()),
        nodes: Cell::new(0),
    };
    let (given, built) = (sampler(true), sampler(false));
    let candidates = |a: Value, b: Value| {
        if a == b {
            vec![a]
        } else {
            vec![a, b]
        }
    };
    api.operations
        .iter()
        .filter(|op| op.variant_of.is_none())
        .map(|op| {
            let (mut first, mut second) = (given.operation(op), built.operation(op));
            let params = std::mem::take(&mut first.params)
                .into_iter()
                .map(|(name, value)| {
                    let other = second.params.remove(&name).unwrap_or(Value::Null);
                    (name, candidates(value, other))
                })
                .collect();
            let body = first
                .body
                .zip(second.body)
                .map(|((r1, a1), (r2, a2))| (candidates(r1, r2), candidates(a1, a2)));
            (op.name.clone(), OperationSamples { params, body })
        })
        .collect()
}

/// One sample of each parameter and body (candidates are made of two of these).
#[derive(Default)]
struct Single {
    params: BTreeMap<String, Value>,
    body: Option<(Value, Value)>,
}

/// How deep a sample follows nested schemas (a recursive schema stops where it refers to
/// itself; this bounds the rest).
const DEPTH: usize = 32;

/// How many values a sample is made of before it stops adding optional properties (wide
/// schemas nested many levels deep grow fast when every property is set).
const NODES: usize = 2_000;

struct Sampler<'a> {
    spec: &'a OpenAPI,
    resolver: Resolver<'a>,
    /// Whether the spec's examples and defaults are used (else only the schemas).
    examples: bool,
    /// The `$ref`s being sampled, outermost first: a schema that refers to itself stops
    /// there (an optional property is left out, an array is empty).
    refs: RefCell<Vec<&'a str>>,
    /// The values made so far for the current sample (see [`NODES`]).
    nodes: Cell<usize>,
}

impl<'a> Sampler<'a> {
    fn operation(&self, op: &Operation) -> Single {
        let mut out = Single::default();
        let Some(ReferenceOr::Item(item)) = self.spec.paths.paths.get(&op.path) else {
            return out;
        };
        let method = op.method.to_ascii_lowercase();
        let Some((_, operation)) = item.iter().find(|(m, _)| *m == method) else {
            return out;
        };
        let parameters: Vec<&Parameter> = item
            .parameters
            .iter()
            .chain(&operation.parameters)
            .filter_map(|p| self.parameter(p))
            .collect();
        for param in &op.params {
            let found = parameters.iter().rev().find(|p| {
                let data = p.parameter_data_ref();
                data.name == param.wire_name && location(p) == param.location
            });
            match found {
                Some(p) => {
                    out.params
                        .insert(param.name.clone(), self.parameter_sample(p));
                }
                // A name of the path template the spec does not declare: a string argument
                // (see `lower/operations.rs`).
                None if param.ty == Type::String => {
                    out.params
                        .insert(param.name.clone(), Value::String("sample".into()));
                }
                None => {}
            }
        }
        if let (Some(body), Some(spec_body)) = (&op.body, &operation.request_body) {
            if let Some(media) = self
                .request_body(spec_body)
                .and_then(|b| b.content.get(&body.content_type))
            {
                let given = media
                    .example
                    .clone()
                    .or_else(|| first_example(&media.examples, self.spec))
                    .filter(|_| self.examples);
                let schema = media.schema.as_ref();
                let build = |all: bool| match (&given, schema) {
                    (Some(example), _) => example.clone(),
                    (None, Some(schema)) => self.root(schema, all),
                    (None, None) => json!({}),
                };
                out.body = Some((build(false), build(true)));
            }
        }
        out
    }

    fn parameter(&self, p: &'a ReferenceOr<Parameter>) -> Option<&'a Parameter> {
        match p {
            ReferenceOr::Item(p) => Some(p),
            ReferenceOr::Reference { reference } => {
                let name = reference.strip_prefix("#/components/parameters/")?;
                match self.spec.components.as_ref()?.parameters.get(name)? {
                    ReferenceOr::Item(p) => Some(p),
                    ReferenceOr::Reference { .. } => None,
                }
            }
        }
    }

    fn request_body(&self, b: &'a ReferenceOr<RequestBody>) -> Option<&'a RequestBody> {
        match b {
            ReferenceOr::Item(b) => Some(b),
            ReferenceOr::Reference { reference } => {
                let name = reference.strip_prefix("#/components/requestBodies/")?;
                match self.spec.components.as_ref()?.request_bodies.get(name)? {
                    ReferenceOr::Item(b) => Some(b),
                    ReferenceOr::Reference { .. } => None,
                }
            }
        }
    }

    fn parameter_sample(&self, p: &'a Parameter) -> Value {
        let data = p.parameter_data_ref();
        if let Some(example) = data.example.clone().filter(|_| self.examples) {
            return example;
        }
        if let Some(example) = first_example(&data.examples, self.spec).filter(|_| self.examples) {
            return example;
        }
        match &data.format {
            ParameterSchemaOrContent::Schema(schema) => self.root(schema, false),
            ParameterSchemaOrContent::Content(content) => content
                .values()
                .next()
                .and_then(|m| m.schema.as_ref())
                .map_or(Value::Null, |s| self.root(s, false)),
        }
    }

    /// The schema behind `s`, following `$ref` chains.
    fn resolve(&self, s: &'a ReferenceOr<Schema>) -> Option<&'a Schema> {
        let mut current = s;
        for _ in 0..16 {
            match current {
                ReferenceOr::Item(schema) => return Some(schema),
                ReferenceOr::Reference { reference } => {
                    current = self.resolver.schema(reference, "").ok()?.1;
                }
            }
        }
        None
    }

    fn boxed(&self, s: &'a ReferenceOr<Box<Schema>>, all: bool, depth: usize) -> Value {
        match s {
            ReferenceOr::Item(schema) => self.schema_value(schema, all, depth),
            ReferenceOr::Reference { reference } => self.reference(reference, all, depth),
        }
    }

    /// A whole sample (a parameter's, a body's).
    fn root(&self, s: &'a ReferenceOr<Schema>, all: bool) -> Value {
        self.nodes.set(0);
        self.refs.borrow_mut().clear();
        self.schema(s, all, 0)
    }

    fn schema(&self, s: &'a ReferenceOr<Schema>, all: bool, depth: usize) -> Value {
        match s {
            ReferenceOr::Item(schema) => self.schema_value(schema, all, depth),
            ReferenceOr::Reference { reference } => self.reference(reference, all, depth),
        }
    }

    /// The sample of the schema `reference` points to; `null` when it is being sampled
    /// already (the schema refers to itself).
    fn reference(&self, reference: &'a str, all: bool, depth: usize) -> Value {
        if self.refs.borrow().contains(&reference) {
            return Value::Null;
        }
        let Some(schema) = self
            .resolver
            .schema(reference, "")
            .ok()
            .and_then(|(_, s)| self.resolve(s))
        else {
            return Value::Null;
        };
        self.refs.borrow_mut().push(reference);
        let value = self.schema_value(schema, all, depth);
        self.refs.borrow_mut().pop();
        value
    }

    fn schema_value(&self, s: &'a Schema, all: bool, depth: usize) -> Value {
        if depth > DEPTH {
            return Value::Null;
        }
        self.nodes.set(self.nodes.get() + 1);
        let all = all && self.nodes.get() < NODES;
        if self.examples {
            if let Some(example) = &s.schema_data.example {
                return example.clone();
            }
            if let Some(default) = &s.schema_data.default {
                return default.clone();
            }
        }
        match &s.schema_kind {
            SchemaKind::Type(SchemaType::String(t)) => {
                if let Some(Some(first)) = t.enumeration.first() {
                    return json!(first);
                }
                let format = match &t.format {
                    openapiv3::VariantOrUnknownOrEmpty::Item(f) => format!("{f:?}").to_lowercase(),
                    openapiv3::VariantOrUnknownOrEmpty::Unknown(f) => f.to_lowercase(),
                    openapiv3::VariantOrUnknownOrEmpty::Empty => String::new(),
                };
                json!(string_sample(
                    &format,
                    t.pattern.as_deref(),
                    t.min_length,
                    t.max_length
                ))
            }
            SchemaKind::Type(SchemaType::Integer(t)) => {
                if let Some(Some(first)) = t.enumeration.first() {
                    return json!(first);
                }
                let low = t.minimum.map(|m| m + i64::from(t.exclusive_minimum));
                let high = t.maximum.map(|m| m - i64::from(t.exclusive_maximum));
                let mut n = match (low, high) {
                    (Some(low), _) => low.max(1).min(high.unwrap_or(i64::MAX)),
                    (None, Some(high)) => high.min(1),
                    (None, None) => 1,
                };
                if let Some(step) = t.multiple_of.filter(|m| *m > 0) {
                    n = (n + step - 1) / step * step;
                }
                json!(n)
            }
            SchemaKind::Type(SchemaType::Number(t)) => {
                if let Some(Some(first)) = t.enumeration.first() {
                    return json!(first);
                }
                let n = match (t.minimum, t.maximum) {
                    (Some(low), Some(high)) => (low + high) / 2.0,
                    (Some(low), None) => low + 1.0,
                    (None, Some(high)) => high - 1.0,
                    (None, None) => 1.5,
                };
                json!(n)
            }
            SchemaKind::Type(SchemaType::Boolean(t)) => json!(t
                .enumeration
                .iter()
                .flatten()
                .next()
                .copied()
                .unwrap_or(true)),
            SchemaKind::Type(SchemaType::Array(t)) => {
                let item = t
                    .items
                    .as_ref()
                    .map_or(json!("sample"), |i| self.boxed(i, all, depth + 1));
                // Two items where the schema allows them: one item of an array sent as a
                // form field or an exploded query parameter (`a=1`) reads as a scalar.
                let count = match (t.unique_items, t.max_items) {
                    (true, _) => t.min_items.unwrap_or(1).max(1),
                    (false, max) => t.min_items.unwrap_or(0).max(2).min(max.unwrap_or(2).max(1)),
                };
                match item {
                    // The items refer back to a schema being sampled.
                    Value::Null if t.min_items.unwrap_or(0) == 0 => Value::Array(Vec::new()),
                    item => Value::Array(vec![item; count]),
                }
            }
            SchemaKind::Type(SchemaType::Object(t)) => {
                let mut object = Map::new();
                self.properties(&mut object, &t.properties, &t.required, all, depth);
                Value::Object(object)
            }
            SchemaKind::OneOf { one_of: members } | SchemaKind::AnyOf { any_of: members } => {
                members
                    .first()
                    .map_or(json!({}), |m| self.schema(m, all, depth + 1))
            }
            SchemaKind::AllOf { all_of } => {
                let mut object = Map::new();
                for member in all_of {
                    match self.schema(member, all, depth + 1) {
                        Value::Object(fields) => object.extend(fields),
                        // A member that refers back to a schema being sampled.
                        Value::Null => return Value::Null,
                        // A scalar member (`allOf: [$ref: Name, {description}]`) is the value.
                        other => return other,
                    }
                }
                // `allOf` alone keeps no `required` of its own (openapiv3 reads it as `AllOf`).
                Value::Object(object)
            }
            SchemaKind::Not { .. } => json!({}),
            SchemaKind::Any(a) => {
                if let Some(first) = a.enumeration.iter().find(|v| !v.is_null()) {
                    return first.clone();
                }
                if let Some(member) = a.one_of.first().or(a.any_of.first()) {
                    return self.schema(member, all, depth + 1);
                }
                let mut object = Map::new();
                for member in &a.all_of {
                    match self.schema(member, all, depth + 1) {
                        Value::Object(fields) => object.extend(fields),
                        Value::Null => return Value::Null,
                        other if a.properties.is_empty() => return other,
                        _ => {}
                    }
                }
                self.properties(&mut object, &a.properties, &a.required, all, depth);
                self.required_from_members(&mut object, &a.all_of, &a.required, depth);
                match a.typ.as_deref() {
                    Some("string") => json!("sample"),
                    Some("integer") => json!(1),
                    Some("number") => json!(1.5),
                    Some("boolean") => json!(true),
                    Some("array") => json!([]),
                    _ => Value::Object(object),
                }
            }
        }
    }
}

impl<'a> Sampler<'a> {
    /// The required properties' samples (all properties' when `all`); an optional property
    /// whose schema refers back to one being sampled is left out.
    fn properties(
        &self,
        object: &mut Map<String, Value>,
        properties: &'a indexmap::IndexMap<String, ReferenceOr<Box<Schema>>>,
        required: &[String],
        all: bool,
        depth: usize,
    ) {
        for (name, property) in properties {
            let needed = required.contains(name);
            if all || needed {
                let value = self.boxed(property, all, depth + 1);
                if needed || !value.is_null() {
                    object.insert(name.clone(), value);
                }
            }
        }
    }

    /// Properties that the schema itself requires (`required` beside `allOf`) but that only
    /// its `allOf` members declare: taken from the members' samples with every property.
    fn required_from_members(
        &self,
        object: &mut Map<String, Value>,
        members: &'a [ReferenceOr<Schema>],
        required: &[String],
        depth: usize,
    ) {
        let missing: Vec<&String> = required
            .iter()
            .filter(|r| !object.contains_key(*r))
            .collect();
        if missing.is_empty() {
            return;
        }
        let mut every = Map::new();
        for member in members {
            if let Value::Object(fields) = self.schema(member, true, depth + 1) {
                every.extend(fields);
            }
        }
        for name in missing {
            if let Some(value) = every.remove(name) {
                object.insert(name.clone(), value);
            }
        }
    }
}

fn location(p: &Parameter) -> ParamLocation {
    match p {
        Parameter::Query { .. } => ParamLocation::Query,
        Parameter::Header { .. } => ParamLocation::Header,
        Parameter::Path { .. } => ParamLocation::Path,
        Parameter::Cookie { .. } => ParamLocation::Cookie,
    }
}

/// The value of the first entry of an `examples` map (following a `$ref` to a component).
fn first_example(
    examples: &indexmap::IndexMap<String, ReferenceOr<openapiv3::Example>>,
    spec: &OpenAPI,
) -> Option<Value> {
    let example = match examples.values().next()? {
        ReferenceOr::Item(e) => e,
        ReferenceOr::Reference { reference } => {
            let name = reference.strip_prefix("#/components/examples/")?;
            match spec.components.as_ref()?.examples.get(name)? {
                ReferenceOr::Item(e) => e,
                ReferenceOr::Reference { .. } => return None,
            }
        }
    };
    example.value.clone()
}

/// A string of `format`, else one that matches `pattern` among a few candidates, padded or
/// cut to the length limits.
fn string_sample(
    format: &str,
    pattern: Option<&str>,
    min: Option<usize>,
    max: Option<usize>,
) -> String {
    let by_format = match format {
        "date-time" | "datetime" => Some("2024-01-02T03:04:05Z"),
        "date" => Some("2024-01-02"),
        "time" => Some("03:04:05"),
        "uuid" => Some("3fa85f64-5717-4562-b3fc-2c963f66afa6"),
        "email" => Some("user@example.com"),
        "uri" | "url" | "uri-reference" => Some("https://example.com/"),
        "hostname" => Some("example.com"),
        "ipv4" => Some("192.0.2.1"),
        "ipv6" => Some("2001:db8::1"),
        "byte" => Some("c2FtcGxl"),
        _ => None,
    };
    if let Some(text) = by_format {
        return text.to_string();
    }
    let fits = |text: &str| {
        let n = text.chars().count();
        min.is_none_or(|m| n >= m) && max.is_none_or(|m| n <= m)
    };
    if let Some(pattern) = pattern {
        if let Some(text) = matching(pattern, &fits) {
            return text;
        }
    }
    let mut text = "sample".to_string();
    if let Some(min) = min {
        while text.chars().count() < min {
            text.push('x');
        }
    }
    if let Some(max) = max {
        text = text.chars().take(max).collect();
    }
    text
}

/// A string that matches `pattern` and `fits`: a plain word when one matches, else one
/// generated from the pattern (`rand_regex`, with a fixed seed: the same sample every run).
fn matching(pattern: &str, fits: &dyn Fn(&str) -> bool) -> Option<String> {
    use rand::{Rng, SeedableRng};
    let re = regex::Regex::new(pattern).ok()?;
    let candidates = ["sample", "abc", "a", "A1", "1", "a1b2", "sample-1", "ABC"];
    if let Some(word) = candidates.iter().find(|c| re.is_match(c) && fits(c)) {
        return Some(word.to_string());
    }
    // `rand_regex` refuses anchors; a match of the pattern without its outer anchors is
    // checked against the whole pattern below.
    let inner = pattern.strip_prefix('^').unwrap_or(pattern);
    let inner = match inner.strip_suffix('$') {
        Some(rest) if !rest.ends_with('\\') => rest,
        _ => inner,
    };
    // Characters drawn from ASCII: JSON Schema's (ECMA-262) `\w`, `\d` and `\s` are ASCII,
    // and Unicode letters that Rust's classes allow are refused by a validator such as Prism.
    let hir = ascii(regex_syntax::Parser::new().parse(inner).ok()?);
    let mut rng = rand::rngs::StdRng::seed_from_u64(0x5eed);
    // Short repeats first; longer ones for a `minLength` the short ones do not reach
    // (`arn:[A-Za-z0-9_:/-]+` at least 20 long).
    [4, 16, 64].into_iter().find_map(|repeat| {
        let generator = rand_regex::Regex::with_hir(hir.clone(), repeat).ok()?;
        (0..64)
            .filter_map(|_| rng.sample::<Result<String, _>, _>(&generator).ok())
            .find(|text| re.is_match(text) && fits(text))
    })
}

/// `hir` with each character class narrowed to printable ASCII (a class with none of it is
/// kept as it is): `.` gives no control characters, `\w` no Unicode letters.
fn ascii(hir: regex_syntax::hir::Hir) -> regex_syntax::hir::Hir {
    use regex_syntax::hir::{Class, ClassUnicode, ClassUnicodeRange, Hir, HirKind};
    match hir.into_kind() {
        HirKind::Class(Class::Unicode(class)) => {
            let mut narrowed = class.clone();
            narrowed.intersect(&ClassUnicode::new([ClassUnicodeRange::new(' ', '~')]));
            if narrowed.ranges().is_empty() {
                Hir::class(Class::Unicode(class))
            } else {
                Hir::class(Class::Unicode(narrowed))
            }
        }
        HirKind::Repetition(mut repetition) => {
            repetition.sub = Box::new(ascii(*repetition.sub));
            Hir::repetition(repetition)
        }
        HirKind::Capture(mut capture) => {
            capture.sub = Box::new(ascii(*capture.sub));
            Hir::capture(capture)
        }
        HirKind::Concat(items) => Hir::concat(items.into_iter().map(ascii).collect()),
        HirKind::Alternation(items) => Hir::alternation(items.into_iter().map(ascii).collect()),
        HirKind::Class(bytes) => Hir::class(bytes),
        HirKind::Empty => Hir::empty(),
        HirKind::Literal(literal) => Hir::literal(literal.0),
        HirKind::Look(look) => Hir::look(look),
    }
}

#[cfg(test)]
mod tests {
    use super::string_sample;
    use serde_json::json;

    /// The samples of every operation of the spec `text`.
    fn samples_of(text: &str) -> std::collections::BTreeMap<String, super::OperationSamples> {
        let (spec, lowered) = crate::analyze_with_spec("t.yaml", text).expect("analyzes");
        super::samples("t.yaml", &spec, &lowered.api)
    }

    const SPEC: &str = r#"
openapi: 3.0.3
info: {title: t, version: '1'}
paths:
  /items/{id}:
    parameters:
      - {name: id, in: path, required: true, schema: {type: integer, minimum: 10}}
    post:
      operationId: putItem
      parameters:
        - {name: kind, in: query, schema: {type: string, enum: [big, small]}}
        - {name: since, in: query, schema: {type: string, format: date-time}}
        - {name: tag, in: header, example: given, schema: {type: string}}
      requestBody:
        required: true
        content:
          application/json:
            schema: {$ref: '#/components/schemas/Item'}
      responses:
        '204': {description: ok}
components:
  schemas:
    Item:
      type: object
      required: [name, parts]
      properties:
        name: {type: string, minLength: 8}
        parts: {type: array, minItems: 2, items: {$ref: '#/components/schemas/Part'}}
        note: {type: string, default: none}
    Part:
      type: object
      required: [n]
      properties:
        n: {type: number, minimum: 1, maximum: 3}
        code: {type: string, pattern: '^[0-9]+$'}
"#;

    /// `required` beside `allOf` names a property only a member declares (Azure's resources).
    #[test]
    fn required_properties_of_all_of_members_are_set() {
        let spec = r#"
openapi: 3.0.3
info: {title: t, version: '1'}
paths:
  /r:
    put:
      operationId: putResource
      requestBody:
        required: true
        content:
          application/json:
            schema: {$ref: '#/components/schemas/Filter'}
      responses:
        '204': {description: ok}
components:
  schemas:
    Resource:
      properties:
        location: {type: string}
        name: {type: string}
    Filter:
      allOf: [{$ref: '#/components/schemas/Resource'}]
      properties:
        rules: {type: array, items: {type: string}}
        label: {allOf: [{$ref: '#/components/schemas/Label'}, {description: d}]}
      required: [location, label]
    Label: {type: string, minLength: 2}
"#;
        let samples = samples_of(spec);
        let (required, _) = samples["put_resource"].body.clone().expect("a body");
        assert_eq!(
            required,
            [json!({"label": "sample", "location": "sample"})],
            "a scalar `allOf` member is the value"
        );
    }

    /// A schema that refers to itself stops there (the optional property is left out, the
    /// array is empty); AWS's `allOf: [$ref, {description}]` wrappers around every property
    /// do not cut a sample short (they doubled the depth, which once ran out at the fourth
    /// level and left `{}` where a string belongs).
    #[test]
    fn recursive_and_wrapped_schemas_sample_whole() {
        let spec = r#"
openapi: 3.0.3
info: {title: t, version: '1'}
paths:
  /n:
    put:
      operationId: putNode
      requestBody:
        required: true
        content:
          application/json:
            schema: {$ref: '#/components/schemas/Node'}
      responses:
        '204': {description: ok}
components:
  schemas:
    Node:
      type: object
      required: [name]
      properties:
        name: {type: string}
        parent: {allOf: [{$ref: '#/components/schemas/Node'}, {description: up}]}
        children: {type: array, items: {$ref: '#/components/schemas/Node'}}
        a: {allOf: [{$ref: '#/components/schemas/A'}, {description: d}]}
    A: {type: object, properties: {b: {allOf: [{$ref: '#/components/schemas/B'}, {description: d}]}}}
    B: {type: object, properties: {c: {allOf: [{$ref: '#/components/schemas/C'}, {description: d}]}}}
    C: {type: object, properties: {d: {allOf: [{$ref: '#/components/schemas/D'}, {description: d}]}}}
    D: {type: object, properties: {e: {allOf: [{$ref: '#/components/schemas/Kind'}, {description: d}]}}}
    Kind: {type: string, enum: [PlainText, SSML]}
"#;
        let samples = samples_of(spec);
        let (_, all) = samples["put_node"].body.clone().expect("a body");
        assert_eq!(
            all,
            [json!({
                "name": "sample",
                "children": [],
                "a": {"b": {"c": {"d": {"e": "PlainText"}}}}
            })]
        );
    }

    #[test]
    fn samples_follow_examples_defaults_and_schemas() {
        let samples = samples_of(SPEC);
        let op = &samples["put_item"];
        assert_eq!(op.params["id"], [json!(10)]);
        assert_eq!(op.params["kind"], [json!("big")]);
        assert_eq!(op.params["since"], [json!("2024-01-02T03:04:05Z")]);
        assert_eq!(
            op.params["tag"],
            [json!("given"), json!("sample")],
            "the example, then the schema's"
        );
        let (required, all) = op.body.clone().expect("a body");
        assert_eq!(
            required,
            [json!({"name": "samplexx", "parts": [{"n": 2.0}, {"n": 2.0}]})]
        );
        assert_eq!(
            all[0],
            json!({
                "name": "samplexx",
                "parts": [{"n": 2.0, "code": "1"}, {"n": 2.0, "code": "1"}],
                "note": "none"
            })
        );
    }

    #[test]
    fn undeclared_template_names_get_a_string() {
        let spec = r#"
openapi: 3.0.3
info: {title: t, version: '1'}
paths:
  /rides?page={page}:
    get:
      operationId: listRides
      responses: {'204': {description: none}}
"#;
        let samples = samples_of(spec);
        assert_eq!(samples["list_rides"].params["page"], [json!("sample")]);
    }

    #[test]
    fn strings_follow_format_pattern_and_lengths() {
        assert_eq!(
            string_sample("date-time", None, None, None),
            "2024-01-02T03:04:05Z"
        );
        assert_eq!(string_sample("", Some("^[0-9]+$"), None, None), "1");
        let arn = string_sample("", Some("^arn:aws:[a-z]+:[0-9]{12}$"), None, None);
        assert!(
            regex::Regex::new("^arn:aws:[a-z]+:[0-9]{12}$")
                .unwrap()
                .is_match(&arn),
            "{arn}"
        );
        let sid = string_sample("", Some("^AC[0-9a-fA-F]{32}$"), Some(34), Some(34));
        assert_eq!(sid.len(), 34, "{sid}");
        // `\w` and `\d` as ECMA-262 reads them: ASCII only (cognito-sync's pool ids).
        let pattern = r"^[\w-]+:[0-9a-f-]+\d$";
        let id = string_sample("", Some(pattern), None, None);
        assert!(regex::Regex::new(pattern).unwrap().is_match(&id), "{id}");
        assert!(id.is_ascii(), "{id}");
        let arn = string_sample("", Some("^arn:.+:.+:.+:.+:.+"), Some(1), Some(1011));
        assert!(arn.starts_with("arn:") && arn.is_ascii(), "{arn}");
        let arn = string_sample("", Some("arn:[A-Za-z0-9_:/-]+"), Some(20), Some(1011));
        assert!(arn.starts_with("arn:") && arn.len() >= 20, "{arn}");
        assert_eq!(string_sample("", None, Some(8), None), "samplexx");
        assert_eq!(string_sample("", None, None, Some(3)), "sam");
    }
}
