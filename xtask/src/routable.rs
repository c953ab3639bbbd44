//! The copy of a spec that Prism is given by `corpus --conformance`.
//!
//! Some specs write a fragment into a path key to tell operations apart that share a
//! method and a path (AWS: `/#X-Amz-Target=DynamoDB_20120810.GetItem`,
//! `/exports/#name&version`). A fragment is never sent, so a client requests the part
//! before the `#`, and Prism, which routes on the key as written, finds no path. Others
//! write a query into it (`/rides?page={page}&per_page={per_page}`): the client sends it
//! as part of the path, and Prism, again, routes no request to that key. The copy drops the
//! fragment or query where the operation stays the only one of its method and path (the
//! path parameters the query names become query parameters, as sent); the
//! rest cannot be told apart by a server that routes on method and path, and are
//! reported as such, apart from the failures that are ours.

use std::collections::{BTreeMap, BTreeSet};

use serde_json::Value;

pub const METHODS: [&str; 8] = [
    "get", "put", "post", "delete", "options", "head", "patch", "trace",
];

/// `(METHOD, path key as written)` of operations.
pub type Operations = BTreeSet<(String, String)>;

/// The spec Prism is given, and the operations it cannot route.
#[derive(Debug)]
pub struct Routable {
    /// The copy, or `None` when no path key has a fragment or a query (Prism gets the file
    /// itself).
    pub spec: Option<Value>,
    /// `(METHOD, key as written)` of the operations that share their method and path with
    /// another once the fragment or query is dropped.
    pub unroutable: Operations,
    /// Whether the copy has no operation left (Prism refuses such a document).
    pub empty: bool,
}

/// What a path key has after its path that Prism does not route on.
const NOT_ROUTED: [char; 2] = ['#', '?'];

/// The path key without its fragment or query.
fn routed(key: &str) -> &str {
    key.split_once(NOT_ROUTED).map_or(key, |(path, _)| path)
}

/// Prism's copy of `spec` (a parsed OpenAPI document).
pub fn routable(spec: &Value) -> Routable {
    let Some(paths) = spec.get("paths").and_then(Value::as_object) else {
        return Routable {
            spec: None,
            unroutable: BTreeSet::new(),
            empty: false,
        };
    };
    if !paths.keys().any(|k| k.contains(NOT_ROUTED)) {
        return Routable {
            spec: None,
            unroutable: BTreeSet::new(),
            empty: false,
        };
    }
    // Which keys each (method, routed path) is written under.
    let mut keys: BTreeMap<(&str, &str), Vec<&str>> = BTreeMap::new();
    for (key, item) in paths {
        let Some(item) = item.as_object() else {
            continue;
        };
        for method in METHODS.iter().filter(|m| item.contains_key(**m)) {
            keys.entry((method, routed(key))).or_default().push(key);
        }
    }
    let mut unroutable = BTreeSet::new();
    let mut copy = serde_json::Map::new();
    for (key, item) in paths {
        let Some(fields) = item.as_object() else {
            copy.insert(key.clone(), item.clone());
            continue;
        };
        let path = routed(key);
        // Operations of different keys may end up under one path: the path item's
        // parameters, which the other key does not share, go into each operation.
        let shared = fields.get("parameters").and_then(Value::as_array);
        let mut kept: serde_json::Map<String, Value> = fields
            .iter()
            .filter(|(name, _)| *name != "parameters" && !METHODS.contains(&name.as_str()))
            .map(|(name, value)| (name.clone(), value.clone()))
            .collect();
        for method in METHODS {
            let Some(operation) = fields.get(method) else {
                continue;
            };
            if key.contains(NOT_ROUTED) && keys[&(method, path)].len() > 1 {
                unroutable.insert((method.to_ascii_uppercase(), key.clone()));
            } else {
                let mut operation = with_parameters(operation, shared);
                if let Some((_, query)) = key.split_once('?') {
                    to_query(&mut operation, query);
                }
                kept.insert(method.to_string(), operation);
            }
        }
        if kept.keys().any(|k| METHODS.contains(&k.as_str())) {
            merge(&mut copy, path, kept);
        }
    }
    let empty = copy.is_empty();
    let mut spec = spec.clone();
    spec["paths"] = Value::Object(copy);
    Routable {
        spec: Some(spec),
        unroutable,
        empty,
    }
}

/// `operation` with the path item's `shared` parameters it does not override (same `name`
/// and `in`) in front of its own.
fn with_parameters(operation: &Value, shared: Option<&Vec<Value>>) -> Value {
    let mut operation = operation.clone();
    let Some(shared) = shared else {
        return operation;
    };
    let own: Vec<Value> = operation
        .get("parameters")
        .and_then(Value::as_array)
        .cloned()
        .unwrap_or_default();
    let id = |p: &Value| (p.get("name").cloned(), p.get("in").cloned());
    let mut parameters: Vec<Value> = shared
        .iter()
        .filter(|s| s.get("name").is_none() || !own.iter().any(|o| id(o) == id(s)))
        .cloned()
        .collect();
    parameters.extend(own);
    if let Some(fields) = operation.as_object_mut() {
        fields.insert("parameters".into(), Value::Array(parameters));
    }
    operation
}

/// The path parameters of `operation` whose `{name}` is in `query`, the query part of its
/// path key, made query parameters: what the client sends for them is in the query.
fn to_query(operation: &mut Value, query: &str) {
    let Some(parameters) = operation
        .get_mut("parameters")
        .and_then(Value::as_array_mut)
    else {
        return;
    };
    for parameter in parameters {
        let in_query = parameter.get("in").and_then(Value::as_str) == Some("path")
            && parameter
                .get("name")
                .and_then(Value::as_str)
                .is_some_and(|name| query.contains(&format!("{{{name}}}")));
        if in_query {
            parameter["in"] = Value::from("query");
        }
    }
}

/// Adds a path item's fields under `key`, beside the operations already there (no method
/// is in both: the caller removed the ones that collide; the first key's other fields
/// win).
fn merge(
    copy: &mut serde_json::Map<String, Value>,
    key: &str,
    fields: serde_json::Map<String, Value>,
) {
    match copy.get_mut(key).and_then(Value::as_object_mut) {
        Some(existing) => {
            for (name, value) in fields {
                existing.entry(name).or_insert(value);
            }
        }
        None => {
            copy.insert(key.to_string(), Value::Object(fields));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn specs_without_fragments_are_given_as_they_are() {
        let spec = json!({"paths": {"/a": {"get": {}}, "/b/{id}": {"post": {}}}});
        let r = routable(&spec);
        assert!(r.spec.is_none());
        assert!(r.unroutable.is_empty());
        assert!(!r.empty);
        let all_collide = json!({"paths": {"/#A": {"post": {}}, "/#B": {"post": {}}}});
        let r = routable(&all_collide);
        assert!(r.empty);
        assert_eq!(r.unroutable.len(), 2);
    }

    #[test]
    fn fragments_are_dropped_and_colliding_operations_reported() {
        let spec = json!({"openapi": "3.0.0", "paths": {
            "/exports/#name&version": {
                "get": {"operationId": "export", "parameters": [{"name": "b", "in": "query"}]},
                "parameters": [{"name": "a", "in": "query"}, {"name": "b", "in": "query", "x": 1}]
            },
            "/#X-Amz-Target=S.A": {"post": {"operationId": "a"}},
            "/#X-Amz-Target=S.B": {"post": {"operationId": "b"}},
            "/items#list": {"get": {"operationId": "list"}},
            "/items": {"post": {"operationId": "create"}},
            "/things#one": {"get": {"operationId": "one"}},
            "/things": {"get": {"operationId": "all"}}
        }});
        let r = routable(&spec);
        let copy = r.spec.unwrap();
        let paths = copy["paths"].as_object().unwrap();
        let keys: Vec<&str> = paths.keys().map(String::as_str).collect();
        assert_eq!(keys, ["/exports/", "/items", "/things"]);
        assert_eq!(paths["/exports/"]["get"]["operationId"], "export");
        assert_eq!(
            paths["/exports/"]["get"]["parameters"],
            json!([{"name": "a", "in": "query"}, {"name": "b", "in": "query"}])
        );
        assert!(paths["/exports/"].get("parameters").is_none());
        assert_eq!(paths["/items"]["get"]["operationId"], "list");
        assert_eq!(paths["/items"]["post"]["operationId"], "create");
        // `/things`' own GET stays; the fragment's GET collides with it.
        assert_eq!(paths["/things"]["get"]["operationId"], "all");
        let unroutable: Vec<(&str, &str)> = r
            .unroutable
            .iter()
            .map(|(m, k)| (m.as_str(), k.as_str()))
            .collect();
        assert_eq!(
            unroutable,
            [
                ("GET", "/things#one"),
                ("POST", "/#X-Amz-Target=S.A"),
                ("POST", "/#X-Amz-Target=S.B"),
            ]
        );
        assert_eq!(copy["openapi"], "3.0.0");
    }

    #[test]
    fn queries_in_path_keys_are_dropped_like_fragments() {
        let spec = json!({"paths": {
            "/rides?page={page}&per_page={per_page}": {
                "post": {"operationId": "create"},
                "parameters": [
                    {"name": "page", "in": "path", "required": true},
                    {"name": "id", "in": "path", "required": true}
                ]
            },
            "/rides": {"get": {"operationId": "list"}},
            "/rides?mine=true": {"get": {"operationId": "mine"}}
        }});
        let routable = routable(&spec);
        let copy = routable.spec.expect("a copy");
        let rides = &copy["paths"]["/rides"];
        assert_eq!(rides["post"]["operationId"], "create");
        let parameters = &rides["post"]["parameters"];
        assert_eq!(parameters[0]["in"], "query", "named in the key's query");
        assert_eq!(parameters[1]["in"], "path");
        assert_eq!(rides["get"]["operationId"], "list");
        assert_eq!(
            routable.unroutable,
            Operations::from([("GET".to_string(), "/rides?mine=true".to_string())])
        );
    }
}
