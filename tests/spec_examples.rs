//! Every example in `spec/buddy.yaml` and `spec/pieces.yaml` (schema `example` at any depth,
//! media-type `example` and `examples`, parameter and header examples, in `components` and in
//! `paths`) validates against its schema, and every 2xx body and request body has one.
//!
//! The validator is the `jsonschema` crate (JSON Schema 2020-12), after the small OpenAPI 3.0
//! → JSON Schema conversion in [`to_json_schema`]. Failures name the spec file, the JSON
//! pointer of the example and the path inside it.

#[path = "support/spec.rs"]
mod support;

use serde_json::{json, Map, Value};
use support::{esc, load, Example, Spec, Walk, BUDDY, METHODS, PIECES};

// ---------------------------------------------------------------------------------------
// OpenAPI 3.0 Schema Object → JSON Schema 2020-12
// ---------------------------------------------------------------------------------------

/// Converts one OpenAPI 3.0 Schema Object to JSON Schema 2020-12:
///
/// * `$ref: '#/components/schemas/X'` → `$ref: '#/$defs/X'` (the document's component schemas
///   become `$defs` of every root built by [`root_schema`]); siblings of a `$ref` are ignored,
///   as in 3.0.
/// * `nullable: true` adds `"null"` to `type` (and `null` to an `enum`); without a `type` the
///   schema becomes `anyOf: [it, {type: null}]`.
/// * `exclusiveMinimum`/`exclusiveMaximum: true` (3.0's boolean form) become the numeric form
///   with the `minimum`/`maximum` value.
/// * `example`, `discriminator`, `xml`, `externalDocs` and `x-*` are dropped; `readOnly`,
///   `writeOnly`, `deprecated`, `title`, `description`, `default` stay as annotations.
/// * Like Redocly's `allowAdditionalProperties: false` (see `.ci/redocly.yaml`), an object
///   schema that declares `properties` and says nothing about `additionalProperties` is
///   closed, so a misspelt field in an example is caught. Inline members of an `allOf` stay
///   open, since each sees only part of the object (the specs have no `allOf`).
fn to_json_schema(schema: &Value) -> Value {
    convert(schema, false)
}

fn convert(schema: &Value, all_of_member: bool) -> Value {
    let Some(s) = schema.as_object() else {
        return schema.clone(); // `true`/`false` or malformed: let the validator say
    };
    if let Some(r) = s.get("$ref").and_then(Value::as_str) {
        let target = match r.strip_prefix("#/components/schemas/") {
            Some(name) => format!("#/$defs/{name}"),
            None => r.to_string(), // not a schema reference: compiling it fails loudly
        };
        return json!({ "$ref": target });
    }
    let mut out = Map::new();
    for (key, value) in s {
        let converted = match key.as_str() {
            "properties" => Value::Object(
                value
                    .as_object()
                    .into_iter()
                    .flatten()
                    .map(|(name, sub)| (name.clone(), convert(sub, false)))
                    .collect(),
            ),
            "items" | "not" => convert(value, false),
            "additionalProperties" if value.is_object() => convert(value, false),
            "allOf" | "anyOf" | "oneOf" => Value::Array(
                value
                    .as_array()
                    .into_iter()
                    .flatten()
                    .map(|sub| convert(sub, key == "allOf"))
                    .collect(),
            ),
            "exclusiveMinimum" | "exclusiveMaximum" => {
                let bound = if key == "exclusiveMinimum" {
                    "minimum"
                } else {
                    "maximum"
                };
                match (value, s.get(bound)) {
                    (Value::Bool(true), Some(limit)) => {
                        out.insert(key.clone(), limit.clone());
                        continue;
                    }
                    (Value::Bool(_), _) => continue,
                    _ => value.clone(),
                }
            }
            "nullable" | "example" | "discriminator" | "xml" | "externalDocs" => continue,
            _ if key.starts_with("x-") => continue,
            _ => value.clone(),
        };
        out.insert(key.clone(), converted);
    }
    // `minimum` next to a boolean `exclusiveMinimum: true` is the exclusive bound alone.
    for (exclusive, bound) in [
        ("exclusiveMinimum", "minimum"),
        ("exclusiveMaximum", "maximum"),
    ] {
        if s.get(exclusive) == Some(&Value::Bool(true)) {
            out.remove(bound);
        }
    }
    if s.contains_key("properties") && !s.contains_key("additionalProperties") && !all_of_member {
        out.insert("additionalProperties".into(), Value::Bool(false));
    }
    if s.get("nullable") == Some(&Value::Bool(true)) {
        if let Some(values) = out.get_mut("enum").and_then(Value::as_array_mut) {
            if !values.contains(&Value::Null) {
                values.push(Value::Null);
            }
        }
        match out.get("type").cloned() {
            Some(Value::String(t)) => {
                out.insert("type".into(), json!([t, "null"]));
            }
            _ => return json!({ "anyOf": [Value::Object(out), { "type": "null" }] }),
        }
    }
    Value::Object(out)
}

/// The JSON Schema for `schema` (a Schema Object of `document`), with the document's component
/// schemas as `$defs`.
fn root_schema(document: &Value, schema: &Value) -> Value {
    let defs: Map<String, Value> = document
        .pointer("/components/schemas")
        .and_then(Value::as_object)
        .into_iter()
        .flatten()
        .map(|(name, s)| (name.clone(), to_json_schema(s)))
        .collect();
    let mut root = match to_json_schema(schema) {
        Value::Object(map) => map,
        other => return other,
    };
    root.insert(
        "$schema".into(),
        json!("https://json-schema.org/draft/2020-12/schema"),
    );
    root.insert("$defs".into(), Value::Object(defs));
    Value::Object(root)
}

/// Every error of `value` against `schema` (of `document`), each as
/// "<JSON pointer in the value, `/` for the whole>: <message>".
fn check(document: &Value, schema: &Value, value: &Value) -> Vec<String> {
    let root = root_schema(document, schema);
    let validator = match jsonschema::options()
        .with_draft(jsonschema::Draft::Draft202012)
        .should_validate_formats(true)
        .build(&root)
    {
        Ok(v) => v,
        Err(e) => return vec![format!("/: the schema does not compile: {e}")],
    };
    validator
        .iter_errors(value)
        .map(|e| {
            let at = e.instance_path().to_string();
            let at = if at.is_empty() { "/".to_string() } else { at };
            format!("{at}: {e}")
        })
        .collect()
}

// ---------------------------------------------------------------------------------------
// Checking every example
// ---------------------------------------------------------------------------------------

/// Walks every example of `spec` and validates it. Returns the examples and the errors, each
/// naming the file, the example's pointer and the path in the value.
fn validate_examples(spec: &Spec) -> (Vec<Example>, Vec<String>) {
    let walk = Walk::of(&spec.root);
    let mut errors: Vec<String> = walk
        .problems
        .iter()
        .map(|p| format!("{}: {p}", spec.file))
        .collect();
    for example in &walk.examples {
        for e in check(&spec.root, &example.schema, &example.value) {
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
    (walk.examples, errors)
}

#[test]
fn every_example_matches_its_schema() {
    let mut all_errors = Vec::new();
    // How many examples each document has today (a floor: the walk must not lose any).
    for (path, minimum) in [(BUDDY, 38), (PIECES, 14)] {
        let spec = load(path);
        let (examples, errors) = validate_examples(&spec);
        println!("{}: {} examples validated", spec.file, examples.len());
        assert!(
            examples.len() >= minimum,
            "{}: only {} examples found, expected at least {minimum}: the walk is broken",
            spec.file,
            examples.len()
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
fn example_errors_name_the_file_the_example_and_the_path() {
    let mut spec = load(BUDDY);
    spec.root["components"]["examples"]["DistributionWithThreeRoutes"]["value"]["scope"] =
        json!("GALAXY");
    let (_, errors) = validate_examples(&spec);
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

/// The check can fail: broken copies of real examples are rejected at the right path. (Not a
/// test of `jsonschema`, but of the conversion feeding it: refs, nullable, closed objects.)
#[test]
fn broken_examples_are_rejected() {
    let buddy = load(BUDDY);
    let root = &buddy.root;
    let view = json!({ "$ref": "#/components/schemas/DistributionView" });
    let good = root
        .pointer("/components/examples/DistributionWithThreeRoutes/value")
        .expect("the seed's create response example")
        .clone();
    assert_eq!(check(root, &view, &good), Vec::<String>::new());
    let rejected_at = |edit: &dyn Fn(&mut Value), at: &str, what: &str| {
        let mut bad = good.clone();
        edit(&mut bad);
        let errors = check(root, &view, &bad);
        assert!(
            errors.iter().any(|e| e.starts_with(&format!("{at}: "))),
            "{what}: expected an error at {at}, got {errors:#?}"
        );
    };
    rejected_at(&|v| v["id"] = json!(42), "/id", "wrong type");
    rejected_at(
        &|v| v["scope"] = json!("GALAXY"),
        "/scope",
        "bad enum value",
    );
    rejected_at(
        &|v| v["identifier"] = json!("-test"),
        "/identifier",
        "pattern",
    );
    rejected_at(&|v| v["name"] = json!(null), "/name", "null, not nullable");
    rejected_at(
        &|v| v["project"] = json!({ "name": "my-project" }),
        "/project",
        "missing required property",
    );
    rejected_at(
        &|v| v["routes"][0]["targets"]["Default"]["externl_url"] = json!("typo.com"),
        "/routes/0/targets/Default",
        "an undeclared (misspelt) field",
    );
    // `zone_id` is `nullable: true`: null passes, a number does not.
    let domain = json!({ "$ref": "#/components/schemas/RoutableDomainView" });
    let ok = json!({ "domain": "buddy.works", "zone_id": null });
    assert_eq!(check(root, &domain, &ok), Vec::<String>::new());
    let bad = json!({ "domain": "buddy.works", "zone_id": 7 });
    assert!(check(root, &domain, &bad)
        .iter()
        .any(|e| e.starts_with("/zone_id: ")));
    // format: date-time is asserted, not only annotated.
    let pieces = load(PIECES);
    let stamp = json!({ "$ref": "#/components/schemas/GroupedTimestamp" });
    let bad = json!({ "value": "last week" });
    assert!(check(&pieces.root, &stamp, &bad)
        .iter()
        .any(|e| e.starts_with("/value: ")));
}

#[test]
fn conversion_of_openapi_30_keywords() {
    let schema = json!({
        "type": "integer", "minimum": 1, "exclusiveMinimum": true, "maximum": 9,
        "example": 5, "x-extra": 1
    });
    assert_eq!(
        to_json_schema(&schema),
        json!({ "type": "integer", "exclusiveMinimum": 1, "maximum": 9 })
    );
    let nullable_enum = json!({ "type": "string", "enum": ["A"], "nullable": true });
    assert_eq!(
        to_json_schema(&nullable_enum),
        json!({ "type": ["string", "null"], "enum": ["A", null] })
    );
    let untyped = json!({ "oneOf": [{ "$ref": "#/components/schemas/A" }], "nullable": true,
                          "discriminator": { "propertyName": "t" } });
    assert_eq!(
        to_json_schema(&untyped),
        json!({ "anyOf": [{ "oneOf": [{ "$ref": "#/$defs/A" }] }, { "type": "null" }] })
    );
    let open_member = json!({ "allOf": [{ "properties": { "a": {} } }], "properties": {} });
    assert_eq!(
        to_json_schema(&open_member),
        json!({ "allOf": [{ "properties": { "a": {} } }], "properties": {},
                "additionalProperties": false })
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
