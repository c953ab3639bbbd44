//! Every JSON example in our specs deserializes into its generated type and serializes back
//! to the same JSON. The seed's create-distribution response (the spec keeps it verbatim, see
//! `spec.rs`) is checked by name as well.

use distributions::{buddy, pieces};
use serde::de::DeserializeOwned;
use serde::Serialize;
use serde_json::Value;

fn roundtrip<T: DeserializeOwned + Serialize>(what: &str, example: &Value) {
    let typed: T = serde_json::from_value(example.clone())
        .unwrap_or_else(|e| panic!("{what}: the example does not deserialize: {e}"));
    let back = serde_json::to_value(&typed).expect("serializes");
    assert_eq!(
        &back, example,
        "{what}: the example does not serialize back unchanged"
    );
}

fn load(name: &str) -> Value {
    let path = format!("{}/../spec/{name}", env!("CARGO_MANIFEST_DIR"));
    let text = std::fs::read_to_string(&path).expect("spec is readable");
    serde_yaml::from_str(&text).expect("spec parses")
}

/// Resolves `{"$ref": "#/components/examples/x"}` example objects.
fn example_value<'a>(spec: &'a Value, example: &'a Value) -> &'a Value {
    match example.get("$ref").and_then(Value::as_str) {
        Some(r) => spec
            .pointer(r.trim_start_matches('#'))
            .expect("example ref resolves"),
        None => example,
    }
}

/// Every (schema name, example) of request and response bodies whose schema is a `$ref`.
fn body_examples(spec: &Value) -> Vec<(String, String, Value)> {
    let mut out = Vec::new();
    let mut media: Vec<(String, &Value)> = Vec::new();
    for (path, item) in spec["paths"].as_object().expect("paths") {
        for (method, op) in item.as_object().expect("path item") {
            if let Some(content) = op.pointer("/requestBody/content") {
                media.push((format!("{method} {path} request"), content));
            }
            for (status, response) in op["responses"].as_object().into_iter().flatten() {
                let response = example_value(spec, response);
                if let Some(content) = response.get("content") {
                    media.push((format!("{method} {path} {status}"), content));
                }
            }
        }
    }
    for (where_, content) in media {
        let Some(json) = content.get("application/json") else {
            continue;
        };
        let Some(schema) = json.pointer("/schema/$ref").and_then(Value::as_str) else {
            continue;
        };
        let name = schema.rsplit('/').next().unwrap_or_default().to_string();
        if let Some(example) = json.get("example") {
            out.push((name.clone(), format!("{where_} example"), example.clone()));
        }
        for (key, example) in json
            .get("examples")
            .and_then(Value::as_object)
            .into_iter()
            .flatten()
        {
            let example = example_value(spec, example);
            out.push((
                name.clone(),
                format!("{where_} examples.{key}"),
                example["value"].clone(),
            ));
        }
    }
    out
}

#[test]
fn seed_create_response_roundtrips_through_distribution_view() {
    let spec = load("buddy.yaml");
    let content = &spec["paths"]["/workspaces/{workspace}/distributions"]["post"]["responses"]
        ["201"]["content"]["application/json"];
    let example = content
        .get("example")
        .cloned()
        .or_else(|| {
            let first = content["examples"].as_object()?.values().next()?;
            Some(example_value(&spec, first)["value"].clone())
        })
        .expect("the create response has an example");
    let view: buddy::types::DistributionView =
        serde_json::from_value(example.clone()).expect("decodes");
    assert_eq!(view.id.as_deref(), Some("rm1P93jG"));
    let routes = view.routes.as_ref().expect("routes");
    assert_eq!(routes.len(), 3);
    let targets = routes[1].targets.as_ref().expect("targets");
    assert!(matches!(
        targets.get("Default"),
        Some(buddy::types::RouteTarget::Tunnel(_))
    ));
    assert_eq!(routes[2].targets.as_ref().map(|t| t.len()), Some(3));
    assert_eq!(serde_json::to_value(&view).expect("encodes"), example);
}

macro_rules! dispatch {
    ($name:expr, $what:expr, $value:expr, $module:ident: $($ty:ident),+ $(,)?) => {
        match $name {
            $( stringify!($ty) => roundtrip::<$module::types::$ty>($what, $value), )+
            other => panic!("{}: no roundtrip mapping for schema {other}; add it to this test", $what),
        }
    };
}

#[test]
fn every_buddy_body_example_roundtrips() {
    let spec = load("buddy.yaml");
    let examples = body_examples(&spec);
    assert!(
        examples.len() >= 15,
        "found only {} examples",
        examples.len()
    );
    for (name, what, value) in &examples {
        dispatch!(name.as_str(), what, value, buddy:
            CreateDistributionRequest, UpdateDistributionRequest, DistributionView, DistributionList,
            RouteView, RouteList, CreateRouteRequest, UpdateRouteRequest, RoutableDomainList, ErrorResponse);
    }
}

#[test]
fn every_pieces_body_example_roundtrips() {
    let spec = load("pieces.yaml");
    let examples = body_examples(&spec);
    assert!(
        examples.len() >= 4,
        "found only {} examples",
        examples.len()
    );
    for (name, what, value) in &examples {
        dispatch!(name.as_str(), what, value, pieces: Distribution, Distributions, SeededDistribution);
    }
}
