//! OpenAPI 3.1 → the 3.0 shape that the later stages read.
//!
//! 3.1 schemas are JSON Schema 2020-12. What 3.0 has a form for is rewritten to it:
//! `type` arrays (`"null"` becomes `nullable`, several types a `oneOf`), `const` (a one-value
//! `enum`), `examples` (the first becomes `example`), numeric `exclusiveMinimum`/`Maximum`,
//! `contentEncoding`/`contentMediaType` (formats `byte` and `binary`), boolean schemas, a
//! `{"type": "null"}` member of `oneOf`/`anyOf` (the parent becomes `nullable`), and `$ref`
//! with sibling keywords (kept, as `allOf: [$ref]` beside them: 3.0 readers drop the
//! siblings). `$defs` become components, `components/pathItems` are put where they are
//! referenced. What 3.0 cannot say is approximated, each with a warning at its pointer:
//! `prefixItems`, `if`/`then`/`else`, `dependentSchemas`, `unevaluatedProperties`/`Items`,
//! `patternProperties`, `$dynamicRef`, `mutualTLS` security schemes. `webhooks` get no calls
//! (the API calls the user), but their payload types are generated.
//!
//! The schemas are rewritten in place, children before parents, so every warning points
//! into the user's file; the nodes that move are recorded in the [`Origin`].

use serde_json::{json, Map, Value};

use super::origin::Origin;
use super::split::with_segment;
use super::{Converted, Note};
use crate::error::{escape_segment, DiagnosticKind};

/// Converts a 3.1 document (see the module documentation).
pub(super) fn convert(mut document: Value) -> Converted {
    let mut conversion = Conversion::default();
    if let Value::Object(root) = &mut document {
        conversion.root_defs = root.contains_key("$defs");
        root.insert("openapi".into(), json!("3.0.3"));
        root.remove("jsonSchemaDialect");
        root.entry("paths").or_insert_with(|| json!({}));
    }
    conversion.document(&mut document, &mut String::from("#"));
    conversion.path_items(&mut document);
    conversion.hoist_defs(&mut document);
    conversion.webhooks(&mut document);
    conversion.mutual_tls(&mut document);
    Converted {
        document,
        notes: conversion.notes,
        origin: conversion.origin,
    }
}

/// The HTTP methods of a path item.
const METHODS: [&str; 8] = [
    "get", "put", "post", "delete", "options", "head", "patch", "trace",
];

/// Keywords that only constrain values (the client does not check them) or identify
/// schemas, and that 3.0 does not have: dropped without a warning.
const DROPPED: [&str; 12] = [
    "$schema",
    "$id",
    "$anchor",
    "$comment",
    "$dynamicAnchor",
    "$vocabulary",
    "contentSchema",
    "propertyNames",
    "contains",
    "minContains",
    "maxContains",
    "dependentRequired",
];

#[derive(Default)]
struct Conversion {
    notes: Vec<Note>,
    origin: Origin,
    /// Pointers of the `$defs` entries met, to become components.
    defs: Vec<(String, String)>,
    /// The schemas being walked that have `$defs`, innermost last: a `#/$defs/X` written
    /// inside one (a JSON Schema embedded as it was generated, e.g. by pydantic) means its
    /// own `$defs`.
    scopes: Vec<(String, std::collections::BTreeSet<String>)>,
    /// Whether the document has `$defs` at its root.
    root_defs: bool,
}

impl Conversion {
    fn note(&mut self, pointer: &str, message: impl Into<String>) {
        self.notes.push(Note {
            kind: DiagnosticKind::Approximated,
            pointer: pointer.to_string(),
            message: message.into(),
        });
    }

    /// Walks the document outside schemas, as `load/split.rs` does: every value under a
    /// `schema` key and every entry of `components/schemas` is a schema.
    fn document(&mut self, value: &mut Value, pointer: &mut String) {
        match value {
            Value::Array(items) => {
                for (i, item) in items.iter_mut().enumerate() {
                    with_segment(pointer, &i.to_string(), |p| self.document(item, p));
                }
            }
            Value::Object(map) => {
                let schemas_here = pointer == "#/components";
                let root = pointer == "#";
                for (key, child) in map.iter_mut() {
                    if key.starts_with("x-") || key == "example" || key == "examples" {
                        continue;
                    }
                    with_segment(pointer, key, |p| match key.as_str() {
                        "schema" => self.schema(child, p),
                        "schemas" if schemas_here => self.schema_map(child, p),
                        "$defs" if root => self.defs(child, p),
                        _ => self.document(child, p),
                    });
                }
            }
            _ => {}
        }
    }

    fn schema_map(&mut self, value: &mut Value, pointer: &mut String) {
        if let Value::Object(schemas) = value {
            for (name, schema) in schemas.iter_mut() {
                with_segment(pointer, name, |p| self.schema(schema, p));
            }
        }
    }

    fn defs(&mut self, value: &mut Value, pointer: &mut String) {
        if let Value::Object(defs) = value {
            for name in defs.keys() {
                self.defs.push((pointer.clone(), name.clone()));
            }
        }
        self.schema_map(value, pointer);
    }

    /// Converts the schema `value`, its subschemas first.
    fn schema(&mut self, value: &mut Value, pointer: &mut String) {
        let map = match value {
            Value::Bool(true) => {
                *value = json!({});
                return;
            }
            Value::Bool(false) => {
                *value = json!({ "not": {} });
                return;
            }
            Value::Object(map) => map,
            _ => return,
        };
        let scoped = match map.get("$defs") {
            Some(Value::Object(defs)) => {
                let names = defs.keys().cloned().collect();
                self.scopes.push((pointer.clone(), names));
                true
            }
            _ => false,
        };
        for (key, child) in map.iter_mut() {
            with_segment(pointer, key, |p| match (key.as_str(), &mut *child) {
                ("properties" | "patternProperties" | "dependentSchemas", _) => {
                    self.schema_map(child, p)
                }
                ("$defs" | "definitions", _) => self.defs(child, p),
                ("allOf" | "oneOf" | "anyOf" | "prefixItems", Value::Array(members))
                | ("items", Value::Array(members)) => {
                    for (i, member) in members.iter_mut().enumerate() {
                        with_segment(p, &i.to_string(), |p| self.schema(member, p));
                    }
                }
                ("additionalProperties" | "unevaluatedProperties", Value::Bool(_)) => {}
                (
                    "items"
                    | "additionalProperties"
                    | "not"
                    | "if"
                    | "then"
                    | "else"
                    | "unevaluatedProperties"
                    | "unevaluatedItems"
                    | "additionalItems",
                    _,
                ) => self.schema(child, p),
                _ => {}
            });
        }
        self.node(map, pointer);
        if scoped {
            self.scopes.pop();
        }
    }

    /// Rewrites one schema node whose subschemas are already converted.
    fn node(&mut self, map: &mut Map<String, Value>, pointer: &str) {
        self.embedded_ref(map, pointer);
        for key in DROPPED {
            map.remove(key);
        }
        if map.remove("$dynamicRef").is_some() {
            self.note(
                pointer,
                "`$dynamicRef` is not followed: the value is free-form JSON",
            );
        }
        if let Some(value) = map.remove("const") {
            if !map.contains_key("enum") {
                if value.is_null() {
                    map.insert("nullable".into(), json!(true));
                }
                map.insert("enum".into(), json!([value]));
            }
        }
        if let Some(Value::Array(examples)) = map.remove("examples") {
            if let (false, Some(first)) = (map.contains_key("example"), examples.into_iter().next())
            {
                map.insert("example".into(), first);
            }
        }
        exclusive_bounds(map);
        content_format(map);
        self.types(map, pointer);
        null_members(map);
        ref_beside_siblings(map);
        self.approximations(map, pointer);
    }

    /// A `#/$defs/X` that the document's root does not have, inside a schema that has
    /// `$defs/X`: points to that schema's entry.
    fn embedded_ref(&mut self, map: &mut Map<String, Value>, pointer: &str) {
        if self.root_defs {
            return;
        }
        let Some(Value::String(reference)) = map.get_mut("$ref") else {
            return;
        };
        let Some(name) = reference.strip_prefix("#/$defs/") else {
            return;
        };
        let name = crate::error::unescape_segment(name);
        let Some((scope, _)) = self
            .scopes
            .iter()
            .rev()
            .find(|(_, names)| names.contains(&name))
        else {
            return;
        };
        let resolved = format!("{scope}/$defs/{}", escape_segment(&name));
        let message = format!(
            "`{reference}` inside an embedded schema with `$defs`: read as that schema's `{resolved}`"
        );
        *reference = resolved;
        self.notes.push(Note {
            kind: DiagnosticKind::Repaired,
            pointer: format!("{pointer}/$ref"),
            message,
        });
    }

    /// `type` as an array (or `"null"`): `nullable`, one type, or a `oneOf` of the types,
    /// each with the keywords that apply to it.
    fn types(&mut self, map: &mut Map<String, Value>, pointer: &str) {
        if let Some(Value::Object(_)) = map.get("type") {
            // A schema written where its type belongs (`type: {type: string, enum: [...]}`).
            let Some(mut inner) = map.remove("type") else {
                return;
            };
            self.schema(&mut inner, &mut format!("{pointer}/type"));
            if let Value::Object(inner) = inner {
                for (key, value) in inner {
                    map.entry(key).or_insert(value);
                }
            }
            self.notes.push(Note {
                kind: DiagnosticKind::Repaired,
                pointer: format!("{pointer}/type"),
                message: "a schema where a type name belongs: its keywords are used".to_string(),
            });
        }
        let types: Vec<String> = match map.get("type") {
            Some(Value::Array(types)) => types
                .iter()
                .filter_map(Value::as_str)
                .map(str::to_string)
                .collect(),
            Some(Value::String(t)) if t == "null" => vec![t.clone()],
            _ => return,
        };
        let mut rest: Vec<String> = Vec::new();
        for t in &types {
            if t != "null" && !rest.contains(t) {
                rest.push(t.clone());
            }
        }
        if rest.iter().any(|t| t == "number") {
            rest.retain(|t| t != "integer");
        }
        if rest.len() < types.len() {
            map.insert("nullable".into(), json!(true));
        }
        match rest.as_slice() {
            [] => {
                map.remove("type");
                if !map.contains_key("enum") {
                    map.insert("enum".into(), json!([null]));
                }
            }
            [one] => {
                map.insert("type".into(), json!(one));
            }
            several => {
                let branches: Vec<Value> = several.iter().map(|t| branch(map, t)).collect();
                map.remove("type");
                for t in several {
                    for key in keywords_of(t) {
                        map.remove(*key);
                    }
                }
                map.remove("enum");
                map.remove("format");
                let key = if !map.contains_key("oneOf") {
                    "oneOf"
                } else if !map.contains_key("anyOf") {
                    "anyOf"
                } else {
                    self.note(
                        pointer,
                        "`type` lists several types beside `oneOf` and `anyOf`: the types are not represented",
                    );
                    return;
                };
                map.insert(key.into(), Value::Array(branches));
            }
        }
    }

    /// What 3.0 has no form for, approximated with a warning.
    fn approximations(&mut self, map: &mut Map<String, Value>, pointer: &str) {
        if let Some(prefix) = map.remove("prefixItems") {
            let mut members = match prefix {
                Value::Array(members) => members,
                _ => Vec::new(),
            };
            match map.remove("items") {
                Some(Value::Array(more)) => members.extend(more),
                Some(Value::Bool(false)) | None => {}
                Some(items) => members.push(items),
            }
            members.dedup();
            let items = match members.len() {
                0 => json!({}),
                1 => members.remove(0),
                _ => json!({ "anyOf": members }),
            };
            map.insert("items".into(), items);
            map.entry("type").or_insert_with(|| json!("array"));
            self.note(
                pointer,
                "`prefixItems` (a tuple) is approximated as an array whose items are any of the tuple's schemas",
            );
        } else if let Some(Value::Array(members)) = map.get("items").cloned() {
            let items = match members.len() {
                1 => members[0].clone(),
                _ => json!({ "anyOf": members }),
            };
            map.insert("items".into(), items);
            self.note(
                pointer,
                "`items` as a list (a tuple) is approximated as an array whose items are any of the listed schemas",
            );
        }
        let conditional: Vec<&str> = ["if", "then", "else"]
            .into_iter()
            .filter(|k| map.remove(*k).is_some())
            .collect();
        if !conditional.is_empty() {
            self.note(
                pointer,
                format!(
                    "`{}`: the conditional schema is not represented; values are typed by the rest of the schema",
                    conditional.join("`/`")
                ),
            );
        }
        if map.remove("dependentSchemas").is_some() {
            self.note(
                pointer,
                "`dependentSchemas` is not represented; values are typed by the rest of the schema",
            );
        }
        if let Some(patterns) = map.remove("patternProperties") {
            let mut values: Vec<Value> = match patterns {
                Value::Object(patterns) => patterns.into_iter().map(|(_, v)| v).collect(),
                _ => Vec::new(),
            };
            values.dedup();
            let used = !values.is_empty() && !map.contains_key("additionalProperties");
            if used {
                let schema = match values.len() {
                    1 => values.remove(0),
                    _ => json!({ "anyOf": values }),
                };
                map.insert("additionalProperties".into(), schema);
            }
            self.note(
                pointer,
                if used {
                    "`patternProperties` is approximated as `additionalProperties`: the names' patterns are not checked"
                } else {
                    "`patternProperties` is not represented beside `additionalProperties`"
                },
            );
        }
        if let Some(unevaluated) = map.remove("unevaluatedProperties") {
            if unevaluated.is_object() && !map.contains_key("additionalProperties") {
                map.insert("additionalProperties".into(), unevaluated);
                self.note(
                    pointer,
                    "`unevaluatedProperties` is approximated as `additionalProperties`",
                );
            } else {
                self.note(
                    pointer,
                    "`unevaluatedProperties` is not checked: properties no schema names are kept as they are",
                );
            }
        }
        if map.remove("unevaluatedItems").is_some() || map.remove("additionalItems").is_some() {
            self.note(
                pointer,
                "`unevaluatedItems`/`additionalItems` is not represented; items are typed by `items`",
            );
        }
    }

    /// Puts the entries of `components/pathItems` where paths and webhooks reference them.
    fn path_items(&mut self, document: &mut Value) {
        let Some(items) = document
            .get_mut("components")
            .and_then(Value::as_object_mut)
            .and_then(|c| c.remove("pathItems"))
        else {
            return;
        };
        let Value::Object(items) = items else {
            return;
        };
        for section in ["paths", "webhooks"] {
            let Some(Value::Object(paths)) = document.get_mut(section) else {
                continue;
            };
            for (path, item) in paths.iter_mut() {
                let Some(name) = item
                    .get("$ref")
                    .and_then(Value::as_str)
                    .and_then(|r| r.strip_prefix("#/components/pathItems/"))
                    .map(crate::error::unescape_segment)
                else {
                    continue;
                };
                if let Some(target) = items.get(&name) {
                    *item = target.clone();
                    self.origin.record(
                        format!("#/{section}/{}", escape_segment(path)),
                        format!("#/components/pathItems/{}", escape_segment(&name)),
                    );
                }
            }
        }
    }

    /// Makes every `$defs` entry a component schema and points its references there.
    fn hoist_defs(&mut self, document: &mut Value) {
        if self.defs.is_empty() {
            return;
        }
        let mut defs = std::mem::take(&mut self.defs);
        // Innermost first: taking an outer entry would move the inner ones with it.
        defs.sort_by_key(|(parent, _)| std::cmp::Reverse(parent.len()));
        let mut taken: std::collections::BTreeSet<String> = document
            .pointer("/components/schemas")
            .and_then(Value::as_object)
            .map(|m| m.keys().cloned().collect())
            .unwrap_or_default();
        let mut referenced = std::collections::BTreeSet::new();
        references(document, &mut referenced);
        let mut renames: Vec<(String, String)> = Vec::new();
        let mut hoisted: Vec<(String, Value)> = Vec::new();
        let mut emptied: Vec<String> = Vec::new();
        for (parent, name) in defs {
            let old = format!("{parent}/{}", escape_segment(&name));
            // Only what is referenced as a whole is known to be a schema (some documents
            // keep maps of schemas there, referenced one level deeper).
            if !referenced.contains(&old) {
                continue;
            }
            let Some(Value::Object(entries)) = document.pointer_mut(&parent[1..]) else {
                continue;
            };
            let Some(schema) = entries.remove(&name) else {
                continue;
            };
            if entries.is_empty() {
                emptied.push(parent.clone());
            }
            let mut component = name.clone();
            let mut n = 2;
            while taken.contains(&component) {
                component = format!("{name}{n}");
                n += 1;
            }
            taken.insert(component.clone());
            let new = format!("#/components/schemas/{}", escape_segment(&component));
            self.origin.record(new.clone(), old.clone());
            renames.push((old, new));
            hoisted.push((component, schema));
        }
        rewrite_refs(document, &renames);
        // Hoisted schemas may reference each other by their old places too.
        for (_, schema) in &mut hoisted {
            rewrite_refs(schema, &renames);
        }
        if let Some(schemas) = schemas_of(document) {
            schemas.extend(hoisted);
        }
        for parent in emptied {
            remove_if_empty(document, &parent);
        }
    }

    /// Webhooks: no calls, but their payload types are generated (as components when
    /// inline), and a warning says so.
    fn webhooks(&mut self, document: &mut Value) {
        let Some(Value::Object(webhooks)) = document
            .as_object_mut()
            .and_then(|root| root.remove("webhooks"))
        else {
            return;
        };
        let mut taken: std::collections::BTreeSet<String> = document
            .pointer("/components/schemas")
            .and_then(Value::as_object)
            .map(|m| m.keys().cloned().collect())
            .unwrap_or_default();
        let mut payloads: Vec<(String, Value)> = Vec::new();
        for (hook, item) in &webhooks {
            let Some(item) = item.as_object() else {
                continue;
            };
            for (method, operation) in item {
                if !METHODS.contains(&method.as_str()) {
                    continue;
                }
                let at = format!("#/webhooks/{}/{method}", escape_segment(hook));
                let body = operation.get("requestBody").map(|body| {
                    match body.get("$ref").and_then(Value::as_str) {
                        Some(reference) => {
                            let target = reference.strip_prefix('#').unwrap_or("");
                            (
                                reference.to_string(),
                                document.pointer(target).cloned().unwrap_or(Value::Null),
                            )
                        }
                        None => (format!("{at}/requestBody"), body.clone()),
                    }
                });
                let mut names = Vec::new();
                if let Some((body_at, body)) = body {
                    if let Some(Value::Object(content)) = body.get("content") {
                        for (media, entry) in content {
                            let Some(schema) = entry.get("schema") else {
                                continue;
                            };
                            if let Some(reference) = schema.get("$ref").and_then(Value::as_str) {
                                names.push(
                                    reference
                                        .rsplit('/')
                                        .next()
                                        .unwrap_or(reference)
                                        .to_string(),
                                );
                                continue;
                            }
                            let base = format!("{hook}Payload");
                            let mut name = base.clone();
                            let mut n = 2;
                            while taken.contains(&name) {
                                name = format!("{base}{n}");
                                n += 1;
                            }
                            taken.insert(name.clone());
                            self.origin.record(
                                format!("#/components/schemas/{}", escape_segment(&name)),
                                format!("{body_at}/content/{}/schema", escape_segment(media)),
                            );
                            payloads.push((name.clone(), schema.clone()));
                            names.push(name);
                        }
                    }
                }
                let message = if names.is_empty() {
                    format!("webhook `{hook}`: the API calls you, so no call is generated; it has no payload schema")
                } else {
                    format!(
                        "webhook `{hook}`: the API calls you, so no call is generated; its payload type is generated from the schema `{}`",
                        names.join("`, `")
                    )
                };
                self.note(&at, message);
            }
        }
        if !payloads.is_empty() {
            if let Some(schemas) = schemas_of(document) {
                schemas.extend(payloads);
            }
        }
    }

    /// `mutualTLS` security schemes have no 3.0 form: the client certificate belongs to the
    /// HTTP client's configuration. Dropped, with the requirements that name them.
    fn mutual_tls(&mut self, document: &mut Value) {
        let Some(Value::Object(schemes)) = document.pointer_mut("/components/securitySchemes")
        else {
            return;
        };
        let names: Vec<String> = schemes
            .iter()
            .filter(|(_, s)| s.get("type").and_then(Value::as_str) == Some("mutualTLS"))
            .map(|(name, _)| name.clone())
            .collect();
        for name in &names {
            schemes.remove(name);
            self.note(
                &format!("#/components/securitySchemes/{}", escape_segment(name)),
                "a `mutualTLS` security scheme is not generated: configure the client certificate on the HTTP client (`reqwest::Identity`)",
            );
        }
        if names.is_empty() {
            return;
        }
        let drop_from = |requirements: Option<&mut Value>| {
            if let Some(Value::Array(requirements)) = requirements {
                for requirement in requirements {
                    if let Value::Object(requirement) = requirement {
                        for name in &names {
                            requirement.remove(name);
                        }
                    }
                }
            }
        };
        drop_from(document.get_mut("security"));
        if let Some(Value::Object(paths)) = document.get_mut("paths") {
            for item in paths.values_mut() {
                if let Value::Object(item) = item {
                    for method in METHODS {
                        drop_from(item.get_mut(method).and_then(|op| op.get_mut("security")));
                    }
                }
            }
        }
    }
}

/// A `$ref` with sibling keywords (a description, `nullable`): 3.0 readers drop the
/// siblings, so the reference moves into an `allOf` beside them (first of its members).
pub(super) fn ref_beside_siblings(map: &mut Map<String, Value>) {
    if !map.contains_key("$ref") || map.keys().all(|k| k == "$ref" || k.starts_with("x-")) {
        return;
    }
    let reference = json!({ "$ref": map.remove("$ref") });
    match map.get_mut("allOf") {
        Some(Value::Array(members)) => members.insert(0, reference),
        _ => {
            map.insert("allOf".into(), json!([reference]));
        }
    }
}

/// `type` as a list, converted as in a 3.1 document (for Swagger 2.0 documents that
/// write one, which 2.0 does not allow).
pub(super) fn type_list(map: &mut Map<String, Value>, pointer: &str) -> Vec<Note> {
    let mut conversion = Conversion::default();
    conversion.types(map, pointer);
    conversion.notes
}

/// Numeric `exclusiveMinimum`/`exclusiveMaximum` (3.1) → the bound and a boolean (3.0); the
/// stricter of the two when both are given.
fn exclusive_bounds(map: &mut Map<String, Value>) {
    for (exclusive, bound, lower) in [
        ("exclusiveMinimum", "minimum", true),
        ("exclusiveMaximum", "maximum", false),
    ] {
        let Some(Value::Number(n)) = map.get(exclusive).cloned() else {
            continue;
        };
        let stricter = match (map.get(bound).and_then(Value::as_f64), n.as_f64()) {
            (Some(b), Some(x)) => {
                if lower {
                    x >= b
                } else {
                    x <= b
                }
            }
            _ => true,
        };
        if stricter {
            map.insert(bound.into(), Value::Number(n));
            map.insert(exclusive.into(), json!(true));
        } else {
            map.remove(exclusive);
        }
    }
}

/// `contentEncoding: base64` → `format: byte`; a `contentMediaType` without an encoding
/// (raw bytes) → `format: binary`.
fn content_format(map: &mut Map<String, Value>) {
    let encoding = map.remove("contentEncoding");
    let media = map.remove("contentMediaType");
    let is_string = map
        .get("type")
        .and_then(Value::as_str)
        .is_none_or(|t| t == "string");
    if map.contains_key("format") || !is_string || (encoding.is_none() && media.is_none()) {
        return;
    }
    let format = match encoding.as_ref().and_then(Value::as_str) {
        Some("base64" | "base64url") => "byte",
        Some(_) => return,
        None => "binary",
    };
    map.insert("type".into(), json!("string"));
    map.insert("format".into(), json!(format));
}

/// A `{"type": "null"}` member of `oneOf`/`anyOf` (already converted to a `nullable` null
/// `enum`) makes the parent `nullable`; a single member left that is written inline is
/// merged into the parent.
fn null_members(map: &mut Map<String, Value>) {
    for key in ["oneOf", "anyOf"] {
        let Some(Value::Array(members)) = map.get_mut(key) else {
            continue;
        };
        let before = members.len();
        members.retain(|m| !is_null_only(m));
        if members.len() == before {
            continue;
        }
        let left = std::mem::take(members);
        map.insert("nullable".into(), json!(true));
        match <[Value; 1]>::try_from(left) {
            Ok([Value::Object(only)])
                if !only.contains_key("$ref") && only.keys().all(|k| !map.contains_key(k)) =>
            {
                map.remove(key);
                map.extend(only);
                map.insert("nullable".into(), json!(true));
            }
            Ok([only]) => {
                map.insert(key.into(), json!([only]));
            }
            Err(left) if left.is_empty() => {
                map.remove(key);
            }
            Err(left) => {
                map.insert(key.into(), Value::Array(left));
            }
        }
    }
}

fn is_null_only(member: &Value) -> bool {
    let Some(m) = member.as_object() else {
        return false;
    };
    let structural = [
        "$ref",
        "type",
        "properties",
        "items",
        "allOf",
        "oneOf",
        "anyOf",
        "additionalProperties",
    ];
    m.get("nullable") == Some(&json!(true))
        && structural.iter().all(|k| !m.contains_key(*k))
        && m.get("enum")
            .and_then(Value::as_array)
            .is_some_and(|values| values.iter().all(Value::is_null))
}

/// The keywords that apply to values of one JSON type.
fn keywords_of(t: &str) -> &'static [&'static str] {
    match t {
        "string" => &["minLength", "maxLength", "pattern"],
        "integer" | "number" => &[
            "minimum",
            "maximum",
            "exclusiveMinimum",
            "exclusiveMaximum",
            "multipleOf",
        ],
        "array" => &["items", "minItems", "maxItems", "uniqueItems"],
        "object" => &[
            "properties",
            "required",
            "additionalProperties",
            "minProperties",
            "maxProperties",
            "discriminator",
        ],
        _ => &[],
    }
}

/// One member of the `oneOf` made from a `type` array: the type, its keywords, and the
/// values of `enum` and the `format` that fit it.
fn branch(map: &Map<String, Value>, t: &str) -> Value {
    let mut branch = Map::new();
    branch.insert("type".into(), json!(t));
    for key in keywords_of(t) {
        if let Some(value) = map.get(*key) {
            branch.insert((*key).into(), value.clone());
        }
    }
    if let Some(format) = map.get("format").and_then(Value::as_str) {
        let numeric = matches!(format, "int32" | "int64" | "float" | "double");
        if numeric == matches!(t, "integer" | "number") {
            branch.insert("format".into(), json!(format));
        }
    }
    if let Some(Value::Array(values)) = map.get("enum") {
        let fits: Vec<Value> = values
            .iter()
            .filter(|v| match t {
                "string" => v.is_string(),
                "integer" => v.is_i64() || v.is_u64(),
                "number" => v.is_number(),
                "boolean" => v.is_boolean(),
                "array" => v.is_array(),
                "object" => v.is_object(),
                _ => false,
            })
            .cloned()
            .collect();
        if !fits.is_empty() {
            branch.insert("enum".into(), Value::Array(fits));
        }
    }
    Value::Object(branch)
}

/// Every `$ref` of the document.
fn references(value: &Value, out: &mut std::collections::BTreeSet<String>) {
    match value {
        Value::Object(map) => {
            if let Some(Value::String(reference)) = map.get("$ref") {
                out.insert(reference.clone());
            }
            map.values().for_each(|child| references(child, out));
        }
        Value::Array(items) => items.iter().for_each(|item| references(item, out)),
        _ => {}
    }
}

/// Rewrites every `$ref` equal to, or below, a renamed pointer.
fn rewrite_refs(value: &mut Value, renames: &[(String, String)]) {
    match value {
        Value::Object(map) => {
            if let Some(Value::String(reference)) = map.get_mut("$ref") {
                for (old, new) in renames {
                    if let Some(rest) = reference.strip_prefix(old.as_str()) {
                        if rest.is_empty() || rest.starts_with('/') {
                            *reference = format!("{new}{rest}");
                            break;
                        }
                    }
                }
            }
            for child in map.values_mut() {
                rewrite_refs(child, renames);
            }
        }
        Value::Array(items) => {
            for item in items {
                rewrite_refs(item, renames);
            }
        }
        _ => {}
    }
}

/// Removes the map at `pointer` (a `$defs` that hoisting emptied) from its parent.
fn remove_if_empty(document: &mut Value, pointer: &str) {
    let Some((parent, key)) = pointer.rsplit_once('/') else {
        return;
    };
    let key = crate::error::unescape_segment(key);
    if let Some(Value::Object(parent)) = document.pointer_mut(&parent[1..]) {
        if parent
            .get(&key)
            .and_then(Value::as_object)
            .is_some_and(Map::is_empty)
        {
            parent.remove(&key);
        }
    }
}

/// `#/components/schemas`, made if missing (`None` if the document is not an object).
pub(super) fn schemas_of(document: &mut Value) -> Option<&mut Map<String, Value>> {
    let components = document
        .as_object_mut()?
        .entry("components")
        .or_insert_with(|| json!({}));
    if !components.is_object() {
        *components = json!({});
    }
    let schemas = components
        .as_object_mut()?
        .entry("schemas")
        .or_insert_with(|| json!({}));
    if !schemas.is_object() {
        *schemas = json!({});
    }
    schemas.as_object_mut()
}

#[cfg(test)]
mod tests {
    use serde_json::{json, Value};

    fn schema(value: Value) -> (Value, Vec<String>) {
        let document = json!({
            "openapi": "3.1.0",
            "info": {"title": "t", "version": "1"},
            "components": {"schemas": {"S": value}}
        });
        let converted = super::convert(document);
        let notes = converted.notes.iter().map(|n| n.message.clone()).collect();
        (
            converted.document["components"]["schemas"]["S"].clone(),
            notes,
        )
    }

    #[test]
    fn integer_beside_number_is_a_number() {
        let (s, notes) = schema(json!({"type": ["integer", "number", "null"]}));
        assert_eq!(s, json!({"type": "number", "nullable": true}));
        assert!(notes.is_empty());
    }

    #[test]
    fn several_types_split_their_keywords_and_enum_values() {
        let (s, _) = schema(json!({
            "type": ["string", "integer"],
            "enum": ["a", 1, 2],
            "maxLength": 3,
            "maximum": 9,
            "format": "int64"
        }));
        assert_eq!(
            s,
            json!({"oneOf": [
                {"type": "string", "maxLength": 3, "enum": ["a"]},
                {"type": "integer", "maximum": 9, "format": "int64", "enum": [1, 2]}
            ]})
        );
    }

    #[test]
    fn the_stricter_bound_is_kept() {
        let (s, _) = schema(json!({"type": "number", "minimum": 5, "exclusiveMinimum": 3}));
        assert_eq!(s, json!({"type": "number", "minimum": 5}));
        let (s, _) = schema(json!({"type": "number", "maximum": 5, "exclusiveMaximum": 3}));
        assert_eq!(
            s,
            json!({"type": "number", "maximum": 3, "exclusiveMaximum": true})
        );
    }

    #[test]
    fn a_null_member_makes_the_rest_nullable() {
        let (s, _) =
            schema(json!({"anyOf": [{"$ref": "#/components/schemas/T"}, {"type": "null"}]}));
        assert_eq!(
            s,
            json!({"anyOf": [{"$ref": "#/components/schemas/T"}], "nullable": true})
        );
        let (s, _) =
            schema(json!({"oneOf": [{"type": "integer"}, {"type": "null"}], "description": "d"}));
        assert_eq!(
            s,
            json!({"description": "d", "nullable": true, "type": "integer"})
        );
    }

    #[test]
    fn mutual_tls_leaves_the_requirements_that_named_it() {
        let document = json!({
            "openapi": "3.1.0",
            "info": {"title": "t", "version": "1"},
            "security": [{"mtls": [], "key": []}],
            "paths": {"/a": {"get": {"security": [{"mtls": []}], "responses": {}}}},
            "components": {"securitySchemes": {
                "mtls": {"type": "mutualTLS"},
                "key": {"type": "apiKey", "in": "header", "name": "k"}
            }}
        });
        let converted = super::convert(document).document;
        assert_eq!(converted["security"], json!([{"key": []}]));
        assert_eq!(converted["paths"]["/a"]["get"]["security"], json!([{}]));
        assert_eq!(
            converted["components"]["securitySchemes"],
            json!({"key": {"type": "apiKey", "in": "header", "name": "k"}})
        );
    }
}
