//! The OpenAPI documents in `spec/` say what the source documents say:
//!
//! 1. Both parse as OpenAPI 3.0.3 with `openapiv3`, with the servers and security documented.
//! 2. Every endpoint, schema, field and enum value named in the source documents (the seeds and
//!    `shared/reference/spec-facts.md`) is in the spec, and nothing else: the lists are the
//!    data files in `tests/facts/`, each naming its source at the top.
//! 3. The documents' own examples (the seed's create response and the docs pages' examples)
//!    are in the spec verbatim.
//!
//! That every example matches its schema is the spec linter's job (`.ci/lint-spec`).

use std::collections::{BTreeMap, BTreeSet};

use super::support::{array, esc, load, ptr, read, resolve_node, Spec, BUDDY, METHODS, PIECES};
use regex::Regex;
use serde_json::{json, Value};

// ---------------------------------------------------------------------------------------
// 1. Parsing, servers and security
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
// 2. Coverage of the source documents
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

/// A file of `tests/facts/`, kept for the whole test run.
fn fact(name: &str) -> &'static str {
    let path = format!("{}/facts/{name}", env!("CARGO_MANIFEST_DIR"));
    Box::leak(read(&path).into_boxed_str())
}

/// Splits a facts table into rows of whitespace-separated cells, skipping blank lines
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

#[test]
fn buddy_covers_the_documented_api() {
    let spec = load(BUDDY);
    let root = &spec.root;
    let endpoints = endpoints(fact("buddy-endpoints.txt"));
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

    check_schema_names(&spec, fact("buddy-schemas.txt"));
    check_fields(&spec, fact("buddy-fields.txt"), true);
    check_enums(&spec, fact("buddy-enums.txt"));
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

#[test]
fn pieces_covers_the_documented_api() {
    let spec = load(PIECES);
    let root = &spec.root;
    let endpoints = endpoints(fact("pieces-endpoints.txt"));
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

    check_schema_names(&spec, fact("pieces-schemas.txt"));
    check_fields(&spec, fact("pieces-fields.txt"), false);
    check_enums(&spec, fact("pieces-enums.txt"));
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
// 3. The documents' own examples are in the spec verbatim
// ---------------------------------------------------------------------------------------

#[test]
fn the_documents_examples_are_verbatim() {
    let spec = load(BUDDY);
    let seed: Value = serde_yaml::from_str(fact("buddy-seed-create-response.yaml"))
        .expect("buddy-seed-create-response.yaml is JSON");
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
    let rows: Vec<&str> = fact("buddy-doc-examples.tsv")
        .lines()
        .filter(|l| !l.trim().is_empty() && !l.starts_with('#'))
        .collect();
    assert!(
        rows.len() >= 8,
        "buddy-doc-examples.tsv: {} rows",
        rows.len()
    );
    for row in rows {
        let (pointer, expected) = row.split_once('\t').expect("pointer<TAB>JSON");
        let expected: Value = serde_json::from_str(expected)
            .unwrap_or_else(|e| panic!("buddy-doc-examples.tsv: {pointer}: {e}"));
        assert_eq!(spec.root.pointer(pointer), Some(&expected), "{pointer}");
    }
}
