//! Stage 1: text → `openapiv3::OpenAPI`, with precise locations for syntax and shape errors.

use openapiv3::OpenAPI;

use crate::error::{escape_segment, Diagnostic, Error};

/// The syntax of a spec file.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Syntax {
    /// YAML (also accepts JSON, which is YAML).
    Yaml,
    /// JSON, parsed with `serde_json` (much faster on large specs).
    Json,
}

impl Syntax {
    /// Picks the syntax from the file name, falling back to sniffing the first character.
    pub fn detect(file: &str, source: &str) -> Syntax {
        if file.ends_with(".json") {
            Syntax::Json
        } else if file.ends_with(".yaml") || file.ends_with(".yml") {
            Syntax::Yaml
        } else if source.trim_start().starts_with('{') {
            Syntax::Json
        } else {
            Syntax::Yaml
        }
    }
}

/// Parses `source` (the contents of `file`) into an OpenAPI 3.0 document.
pub fn load(file: &str, source: &str) -> Result<OpenAPI, Error> {
    let syntax = Syntax::detect(file, source);
    let parsed: Result<OpenAPI, Diagnostic> = match syntax {
        Syntax::Json => serde_json::from_str(source).map_err(|e| {
            let mut d = Diagnostic::new(file, "", e.to_string());
            if e.line() > 0 {
                d.location = Some((e.line(), e.column()));
            }
            d
        }),
        Syntax::Yaml => serde_yaml::from_str(source).map_err(|e| {
            let mut d = Diagnostic::new(file, "", e.to_string());
            d.location = e.location().map(|l| (l.line(), l.column()));
            d
        }),
    };
    match parsed {
        Ok(spec) => {
            check_version(file, Some(&spec.openapi), None)?;
            Ok(spec)
        }
        Err(first) => Err(Error::one(explain(file, source, syntax, first))),
    }
}

/// The document did not parse as OpenAPI 3: find out why, as precisely as we can. This runs
/// only on the failure path, so the happy path parses once.
fn explain(file: &str, source: &str, syntax: Syntax, first: Diagnostic) -> Diagnostic {
    #[derive(serde::Deserialize)]
    struct Version {
        openapi: Option<serde_json::Value>,
        swagger: Option<serde_json::Value>,
    }
    let version: Option<Version> = match syntax {
        Syntax::Json => serde_json::from_str(source).ok(),
        Syntax::Yaml => serde_yaml::from_str(source).ok(),
    };
    let Some(version) = version else {
        // Not even a mapping at the top: the syntax error is the best we have.
        return first;
    };
    let openapi = version.openapi.as_ref().map(value_text);
    let swagger = version.swagger.as_ref().map(value_text);
    if let Err(e) = check_version(file, openapi.as_deref(), swagger.as_deref()) {
        return e.diagnostics.into_iter().next().unwrap_or(first);
    }
    // A version we support, but a node of the wrong shape: locate it.
    let pointer = match syntax {
        Syntax::Json => {
            let mut de = serde_json::Deserializer::from_str(source);
            serde_path_to_error::deserialize::<_, OpenAPI>(&mut de)
                .err()
                .map(|e| pointer_of(e.path()))
        }
        Syntax::Yaml => {
            let de = serde_yaml::Deserializer::from_str(source);
            serde_path_to_error::deserialize::<_, OpenAPI>(de)
                .err()
                .map(|e| pointer_of(e.path()))
        }
    };
    // openapiv3 uses untagged enums for `$ref`-or-item nodes, which hide where inside them
    // the error is. Try the entries below such a node one by one to find the culprit.
    let document: Option<serde_json::Value> = match syntax {
        Syntax::Json => serde_json::from_str(source).ok(),
        Syntax::Yaml => serde_yaml::from_str(source).ok(),
    };
    let deeper = document.as_ref().and_then(drill);
    match deeper {
        Some((pointer, message)) => Diagnostic {
            pointer,
            message,
            ..first
        },
        None => Diagnostic {
            pointer: pointer.unwrap_or_default(),
            ..first
        },
    }
}

/// Finds the first path item or component that does not parse, and where inside it.
fn drill(document: &serde_json::Value) -> Option<(String, String)> {
    fn try_each<T: serde::de::DeserializeOwned>(
        base: &str,
        map: Option<&serde_json::Value>,
    ) -> Option<(String, String)> {
        for (key, value) in map?.as_object()? {
            if value.get("$ref").is_some() {
                continue;
            }
            if let Err(e) = serde_path_to_error::deserialize::<_, T>(value) {
                let inner = pointer_of(e.path());
                let pointer = format!(
                    "{base}/{}{}",
                    escape_segment(key),
                    inner.trim_start_matches('#')
                );
                return Some((pointer, e.into_inner().to_string()));
            }
        }
        None
    }
    let components = document.get("components");
    try_each::<openapiv3::PathItem>("#/paths", document.get("paths"))
        .or_else(|| {
            try_each::<openapiv3::Schema>("#/components/schemas", components?.get("schemas"))
        })
        .or_else(|| {
            try_each::<openapiv3::Parameter>(
                "#/components/parameters",
                components?.get("parameters"),
            )
        })
        .or_else(|| {
            try_each::<openapiv3::Response>("#/components/responses", components?.get("responses"))
        })
        .or_else(|| {
            try_each::<openapiv3::RequestBody>(
                "#/components/requestBodies",
                components?.get("requestBodies"),
            )
        })
}

fn value_text(v: &serde_json::Value) -> String {
    match v {
        serde_json::Value::String(s) => s.clone(),
        other => other.to_string(),
    }
}

fn pointer_of(path: &serde_path_to_error::Path) -> String {
    let mut out = String::from("#");
    for segment in path.iter() {
        out.push('/');
        match segment {
            serde_path_to_error::Segment::Seq { index } => out.push_str(&index.to_string()),
            serde_path_to_error::Segment::Map { key } => out.push_str(&escape_segment(key)),
            serde_path_to_error::Segment::Enum { variant } => {
                out.push_str(&escape_segment(variant))
            }
            serde_path_to_error::Segment::Unknown => out.push('?'),
        }
    }
    out
}

fn check_version(file: &str, openapi: Option<&str>, swagger: Option<&str>) -> Result<(), Error> {
    let unsupported = |pointer: &str, version: &str| {
        Error::one(Diagnostic::new(
            file,
            pointer,
            format!(
                "unsupported version `{version}`: this generator reads OpenAPI 3.0.x documents"
            ),
        ))
    };
    match (openapi, swagger) {
        (Some(v), _) if v.starts_with("3.0") => Ok(()),
        (Some(v), _) => Err(unsupported("#/openapi", v)),
        (None, Some(v)) => Err(unsupported("#/swagger", &format!("swagger {v}"))),
        (None, None) => Err(Error::one(Diagnostic::new(
            file,
            "#",
            "missing `openapi` version field: not an OpenAPI document",
        ))),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const MINIMAL: &str = "openapi: 3.0.3\ninfo: {title: t, version: '1'}\npaths: {}\n";

    #[test]
    fn loads_yaml_and_json() {
        assert!(load("a.yaml", MINIMAL).is_ok());
        let json = r#"{"openapi":"3.0.0","info":{"title":"t","version":"1"},"paths":{}}"#;
        assert!(load("a.json", json).is_ok());
    }

    #[test]
    fn rejects_swagger_2_and_openapi_3_1() {
        let e = load(
            "old.yaml",
            "swagger: '2.0'\ninfo: {title: t, version: '1'}\npaths: {}\n",
        )
        .unwrap_err();
        let text = e.to_string();
        assert!(
            text.contains("old.yaml: #/swagger: unsupported version"),
            "{text}"
        );
        let e = load("new.yaml", &MINIMAL.replace("3.0.3", "3.1.0")).unwrap_err();
        assert!(
            e.to_string()
                .contains("new.yaml: #/openapi: unsupported version `3.1.0`"),
            "{e}"
        );
    }

    #[test]
    fn syntax_errors_keep_line_and_column() {
        let e = load("bad.yaml", "openapi: 3.0.3\ninfo: [\n").unwrap_err();
        let d = &e.diagnostics[0];
        assert!(d.location.is_some(), "{d:?}");
        let e = load("bad.json", "{\"openapi\": \"3.0.0\",\n  oops}").unwrap_err();
        assert_eq!(e.diagnostics[0].location.map(|l| l.0), Some(2));
    }

    #[test]
    fn shape_errors_name_the_node() {
        let src = "openapi: 3.0.3\ninfo: {title: t, version: '1'}\npaths:\n  /a:\n    get:\n      responses: 12\n";
        let e = load("shape.yaml", src).unwrap_err();
        let text = e.to_string();
        assert!(text.contains("#/paths/~1a/get/responses"), "{text}");
    }
}
