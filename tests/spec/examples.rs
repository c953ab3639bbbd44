//! Every example in `spec/buddy.yaml` and `spec/pieces.yaml` (schema `example` at any depth,
//! media-type `example` and `examples`, parameter and header examples, in `components` and in
//! `paths`) is found, none is left unused, and every 2xx body and request body has one.
//!
//! That each example matches its schema is checked by the spec linter's example rules
//! (`.ci/redocly.yaml`: `no-invalid-media-type-examples`, `no-invalid-schema-examples`,
//! `no-invalid-parameter-examples`, with undeclared properties refused), which report the file,
//! the example's pointer and the path inside it; `.ci/lint-spec` also proves they catch the
//! broken examples of `tests/fixtures/lint/broken-examples.yaml`. `roundtrip.rs` decodes every
//! example found here into its generated type.

use super::support::{esc, load, Spec, Walk, BUDDY, METHODS, PIECES};
use serde_json::Value;

/// The problems of the example walk over `spec`: what it could not follow, and component
/// examples that nothing uses (and so nothing checks).
fn walk_problems(spec: &Spec) -> (usize, Vec<String>) {
    let walk = Walk::of(&spec.root);
    let mut errors: Vec<String> = walk
        .problems
        .iter()
        .map(|p| format!("{}: {p}", spec.file))
        .collect();
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

#[test]
fn every_example_is_found_and_used() {
    let mut all_errors = Vec::new();
    // How many examples each document has today (a floor: the walk must not lose any).
    for (path, minimum) in [(BUDDY, 38), (PIECES, 14)] {
        let spec = load(path);
        let (found, errors) = walk_problems(&spec);
        assert!(
            found >= minimum,
            "{}: only {found} examples found, expected at least {minimum}: the walk is broken",
            spec.file
        );
        all_errors.extend(errors);
    }
    assert!(
        all_errors.is_empty(),
        "{} example problem(s):\n{}",
        all_errors.len(),
        all_errors.join("\n")
    );
}

#[test]
fn an_unused_component_example_is_reported() {
    let mut spec = load(PIECES);
    spec.root["components"]["examples"]["Stray"] = serde_json::json!({ "value": 1 });
    let (_, errors) = walk_problems(&spec);
    assert_eq!(
        errors,
        ["pieces.yaml: #/components/examples/Stray is never used, so it is never checked against a schema"]
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
