//! Every example in our specs decodes into its generated type and encodes back to the same
//! JSON: schema-level examples (component schemas and nested ones), parameter and header
//! examples, media-type `example`s and each entry of `examples`, in both specs. The examples
//! are found by the same walk as `examples.rs` (the spec linter checks them against
//! their schemas); each kind has a floor, so losing the examples of one kind cannot hide behind the others.
//! The seed's create-distribution response is also checked by content.

use std::collections::BTreeMap;

use super::support::{load, Kind, Walk, BUDDY, PIECES};
use distributions::runtime::{decode, Decode, DecodeMode};
use distributions::{buddy, pieces};
use serde::Serialize;
use serde_json::Value;

/// Decodes strictly: an example that departs from its schema in any way (drift included)
/// fails.
fn roundtrip<T: Decode + Serialize>(what: &str, example: &Value) {
    let json = serde_json::to_vec(example).expect("JSON serializes");
    let typed: T = decode::from_slice::<T>(&json, DecodeMode::Strict)
        .unwrap_or_else(|e| panic!("{what}: the example does not decode: {e}"))
        .value;
    let back = serde_json::to_value(&typed).expect("serializes");
    assert_eq!(
        &back, example,
        "{what}: the example does not serialize back unchanged"
    );
}

/// Component schema name → generated type: `table!(module: Type, ...)` is a function that
/// round-trips a value through `module::types::Type` for the schema named `Type`, and says
/// whether it knew the name.
macro_rules! table {
    ($module:ident: $($ty:ident),+ $(,)?) => {
        |name: &str, what: &str, value: &Value| -> bool {
            match name {
                $( stringify!($ty) => roundtrip::<$module::types::$ty>(what, value), )+
                _ => return false,
            }
            true
        }
    };
}

/// Examples that cannot be checked, as (spec file, pointer of the example, why). Empty today:
/// every example decodes into a generated type or a primitive.
const UNCHECKED: &[(&str, &str, &str)] = &[];

/// Round-trips an unnamed (inline) schema's example through the Rust type the generator uses
/// for it, when that is a primitive (the rules of `generator/src/lower.rs`, `classify`). An
/// inline string with a `pattern` or an `enum`, an object or an array is a generated type of
/// its own; those return `false` (name them in a table or in [`UNCHECKED`]).
fn primitive(schema: &Value, what: &str, value: &Value) -> bool {
    if schema.get("enum").is_some() || schema.get("pattern").is_some() {
        return false;
    }
    let format = schema.get("format").and_then(Value::as_str);
    match schema.get("type").and_then(Value::as_str) {
        Some("string") => roundtrip::<String>(what, value),
        Some("integer") => match format {
            Some("int32") => roundtrip::<i32>(what, value),
            Some("uint64" | "uint") => roundtrip::<u64>(what, value),
            _ => roundtrip::<i64>(what, value),
        },
        Some("number") => match format {
            Some("float") => roundtrip::<f32>(what, value),
            _ => roundtrip::<f64>(what, value),
        },
        Some("boolean") => roundtrip::<bool>(what, value),
        _ => return false,
    }
    true
}

/// Round-trips every example of `path` and returns how many of each kind it checked.
fn roundtrip_all(
    path: &'static str,
    named: impl Fn(&str, &str, &Value) -> bool,
) -> BTreeMap<Kind, usize> {
    let spec = load(path);
    let walk = Walk::of(&spec.root);
    assert!(walk.problems.is_empty(), "{:#?}", walk.problems);
    let mut counts = BTreeMap::new();
    for example in &walk.examples {
        let what = format!("{}: example at {}", spec.file, example.pointer);
        if let Some((_, _, why)) = UNCHECKED
            .iter()
            .find(|(file, pointer, _)| *file == spec.file && *pointer == example.pointer)
        {
            println!("{what}: not checked: {why}");
            continue;
        }
        let schema_ref = example.schema.get("$ref").and_then(Value::as_str);
        let component = example
            .pointer
            .strip_prefix("/components/schemas/")
            .and_then(|rest| rest.strip_suffix("/example"))
            .filter(|name| !name.contains('/'));
        let checked = match (schema_ref, component) {
            (Some(r), _) => named(
                r.trim_start_matches("#/components/schemas/"),
                &what,
                &example.value,
            ),
            (None, Some(name)) => named(name, &what, &example.value),
            (None, None) => primitive(&example.schema, &what, &example.value),
        };
        assert!(
            checked,
            "{what}: no generated type is known for its schema {}; add the schema to the table \
             in roundtrip.rs, or list the example in UNCHECKED with the reason",
            example.schema
        );
        *counts.entry(example.kind).or_insert(0) += 1;
    }
    counts
}

fn assert_floors(file: &str, counts: &BTreeMap<Kind, usize>, floors: &[(Kind, usize)]) {
    println!("{file}: {counts:?}");
    for &(kind, floor) in floors {
        let count = counts.get(&kind).copied().unwrap_or(0);
        assert!(
            count >= floor,
            "{file}: {count} {kind:?} examples round-tripped, expected at least {floor}"
        );
    }
}

#[test]
fn every_buddy_example_roundtrips() {
    let counts = roundtrip_all(
        BUDDY,
        table!(buddy:
            CreateDistributionRequest, UpdateDistributionRequest, DistributionView,
            DistributionList, RouteView, RouteList, CreateRouteRequest, UpdateRouteRequest,
            RoutableDomainList, ErrorResponse, DistributionIdentifier, PermissionsView),
    );
    // The examples of each kind in spec/buddy.yaml today (counted when this was written).
    let floors = [
        // DistributionIdentifier, PermissionsView
        (Kind::Schema, 2),
        // property examples: five ids, endpoint, create_date, message
        (Kind::NestedSchema, 8),
        // workspace, distribution_id, route_id, project_name, environment_id
        (Kind::Parameter, 5),
        // X-Rate-Limit-{Limit,Remaining,Reset}
        (Kind::Header, 3),
        // eight operation bodies and the Error response
        (Kind::MediaType, 9),
        // named request/response examples
        (Kind::MediaTypeEntry, 11),
    ];
    assert_floors("buddy.yaml", &counts, &floors);
}

#[test]
fn every_pieces_example_roundtrips() {
    let counts = roundtrip_all(
        PIECES,
        table!(pieces: Distribution, Distributions, SeededDistribution, EmbeddedModelSchema,
            GroupedTimestamp),
    );
    // The examples of each kind in spec/pieces.yaml today (counted when this was written).
    let floors = [
        // EmbeddedModelSchema, GroupedTimestamp
        (Kind::Schema, 2),
        // GroupedTimestamp.readable, ReferencedAsset.id
        (Kind::NestedSchema, 2),
        // distribution
        (Kind::Parameter, 1),
        // pieces.yaml declares no response headers
        (Kind::Header, 0),
        // Distributions, and the text/plain 410 and 500 bodies
        (Kind::MediaType, 3),
        // named request/response examples
        (Kind::MediaTypeEntry, 6),
    ];
    assert_floors("pieces.yaml", &counts, &floors);
}

#[test]
fn seed_create_response_roundtrips_through_distribution_view() {
    let spec = load(BUDDY).root;
    let example = spec
        .pointer("/components/examples/DistributionWithThreeRoutes/value")
        .expect("the seed's create response (see coverage.rs)")
        .clone();
    // Through `Json`, the serde interface of generated types (strict).
    let view: buddy::types::DistributionView =
        serde_json::from_value::<distributions::runtime::Json<_>>(example.clone())
            .expect("decodes")
            .into_inner();
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
