//! Stage 1: text → `openapiv3::OpenAPI`, with precise locations for syntax and shape errors.
//!
//! OpenAPI 3.0 is read as it is; OpenAPI 3.1 (`load/openapi31.rs`) and Swagger 2.0
//! (`load/swagger2.rs`) are first converted to the 3.0 shape, as JSON values, and the moves
//! are kept in an [`Origin`] so that every error and warning points into the user's file.

use std::collections::{BTreeMap, BTreeSet};

use openapiv3::OpenAPI;

use crate::error::{escape_segment, Diagnostic, DiagnosticKind, Error};

mod guard;
mod nullable_refs;
mod openapi31;
mod origin;
mod split;
mod swagger2;
mod walk;

pub use origin::Origin;

/// What a conversion to the 3.0 shape noticed, at a pointer into the user's file.
struct Note {
    kind: DiagnosticKind,
    pointer: String,
    message: String,
}

/// A document converted to the 3.0 shape.
struct Converted {
    document: serde_json::Value,
    notes: Vec<Note>,
    origin: Origin,
}

/// The versions read.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Version {
    OpenApi30,
    OpenApi31,
    Swagger20,
}

/// A loaded document.
#[derive(Debug, Clone)]
pub struct Loaded {
    /// The document, in the OpenAPI 3.0 shape.
    pub spec: OpenAPI,
    /// What was repaired or approximated while reading it, with pointers into the file.
    pub warnings: Vec<Diagnostic>,
    /// Where the converted parts came from: [`Origin::restore`] points a later stage's
    /// diagnostic into the user's file.
    pub origin: Origin,
}

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
///
/// Documents in the wild are often slightly off; when the strict parse fails, or the text
/// has `$ref`s that are not plain `#/components/<kind>/<name>`, the document is read as a
/// JSON value and [`normalise`]d first (see there for what is repaired).
pub fn load(file: &str, source: &str) -> Result<OpenAPI, Error> {
    load_with(file, source, false).map(|loaded| loaded.spec)
}

/// [`load`], optionally forcing the normalising path (used when the strict document has
/// references that do not resolve where they are used). Also returns a warning, with its
/// pointer, for every repair [`normalise`] made.
///
/// The text is read as a JSON value first, then converted schema by schema (see
/// `load/split.rs`), which keeps the time linear in the size of the document however its schemas
/// nest.
pub fn load_with(file: &str, source: &str, force_normalise: bool) -> Result<Loaded, Error> {
    // A UTF-8 byte-order mark (written by some Windows tools) is not part of the text.
    let source = source.strip_prefix('\u{feff}').unwrap_or(source);
    let syntax = Syntax::detect(file, source);
    guard::check(file, source, syntax)?;
    let read = || -> Result<(Version, Converted), Error> {
        let document = parse(file, source, syntax)?;
        let text = |key: &str| document.get(key).map(value_text);
        let version = check_version(file, text("openapi").as_deref(), text("swagger").as_deref())?;
        let converted = match version {
            Version::OpenApi30 => {
                let mut document = document;
                let notes = nullable_refs::rewrite(&mut document);
                Converted {
                    document,
                    notes,
                    origin: Origin::default(),
                }
            }
            Version::OpenApi31 => openapi31::convert(document),
            Version::Swagger20 => swagger2::convert(document),
        };
        Ok((version, converted))
    };
    let (
        version,
        Converted {
            document,
            notes,
            origin,
        },
    ) = read()?;
    let mut warnings: Vec<Diagnostic> = notes
        .into_iter()
        .map(|n| Diagnostic::new(n.kind, file, &n.pointer, n.message))
        .collect();
    let unusual = match version {
        Version::OpenApi30 => has_unusual_refs(source),
        _ => value_has_unusual_refs(&document),
    };
    let loaded = |spec: OpenAPI, repairs: Vec<Diagnostic>, mut warnings: Vec<Diagnostic>| {
        warnings.extend(repairs.into_iter().map(|mut d| {
            origin.restore(&mut d);
            d
        }));
        Loaded {
            spec,
            warnings,
            origin: origin.clone(),
        }
    };
    let normalise_first = force_normalise || unusual;
    if normalise_first {
        if let Some((spec, repairs)) = load_normalised(file, document.clone()) {
            return Ok(loaded(spec, repairs, warnings));
        }
    }
    let failure = match split::to_openapi(document) {
        Ok(spec) => return Ok(loaded(spec, Vec::new(), std::mem::take(&mut warnings))),
        Err(failure) => failure,
    };
    // Only failures pay for reading the text again.
    let document = read()?.1.document;
    if !normalise_first {
        if let Some((spec, repairs)) = load_normalised(file, document.clone()) {
            return Ok(loaded(spec, repairs, warnings));
        }
    }
    let mut error = explain(file, document, failure);
    origin.restore(&mut error);
    Err(Error::one(error))
}

/// [`has_unusual_refs`] on a converted document, which has no text of its own.
fn value_has_unusual_refs(value: &serde_json::Value) -> bool {
    use serde_json::Value;
    match value {
        Value::Object(map) => {
            let unusual = map.get("$ref").and_then(Value::as_str).is_some_and(|r| {
                let segments: Vec<&str> = r.trim_start_matches("#/").split('/').collect();
                r.starts_with("#/") && (segments.len() != 3 || segments[0] != "components")
            });
            unusual || map.values().any(value_has_unusual_refs)
        }
        Value::Array(items) => items.iter().any(value_has_unusual_refs),
        _ => false,
    }
}

/// The text as a JSON value, or a syntax error with its line and column. YAML's plain
/// scalars that the top of the document needs as text (`version: 1.0`) are made text, as
/// reading YAML straight into the document's types did.
fn parse(file: &str, source: &str, syntax: Syntax) -> Result<serde_json::Value, Error> {
    let parsed = match syntax {
        Syntax::Json => serde_json::from_str(source).map_err(|e| {
            let mut d = Diagnostic::new(DiagnosticKind::Syntax, file, "", e.to_string());
            if e.line() > 0 {
                d.location = Some((e.line(), e.column()));
            }
            d
        }),
        Syntax::Yaml => serde_yaml::from_str(source)
            .map(|mut document| {
                yaml_scalars_as_text(&mut document);
                document
            })
            .map_err(|e| {
                let mut d = Diagnostic::new(DiagnosticKind::Syntax, file, "", e.to_string());
                d.location = e.location().map(|l| (l.line(), l.column()));
                d
            }),
    };
    parsed.map_err(Error::one)
}

/// The text fields at the top of the document (outside anything `openapiv3` reads through
/// an untagged enum, where YAML's numbers and booleans were never text): `openapi`, `info`,
/// `servers`, `tags` and `externalDocs`.
fn yaml_scalars_as_text(document: &mut serde_json::Value) {
    use serde_json::Value;
    fn texts(object: Option<&mut Value>, keys: &[&str]) {
        let Some(Value::Object(object)) = object else {
            return;
        };
        for key in keys {
            if let Some(value) = object.get_mut(*key) {
                if matches!(value, Value::Number(_) | Value::Bool(_)) {
                    *value = Value::String(value.to_string());
                }
            }
        }
    }
    texts(Some(&mut *document), &["openapi"]);
    let info = document.get_mut("info");
    texts(info, &["title", "version", "description", "termsOfService"]);
    for (list, keys) in [
        ("servers", &["url", "description"][..]),
        ("tags", &["name", "description"][..]),
    ] {
        if let Some(Value::Array(items)) = document.get_mut(list) {
            for item in items {
                texts(Some(item), keys);
            }
        }
    }
    texts(document.get_mut("externalDocs"), &["url", "description"]);
}

/// Whether the text has a `$ref` to something other than `#/components/<kind>/<name>`
/// (a pointer into `paths`, or into a component), which needs [`normalise`].
fn has_unusual_refs(source: &str) -> bool {
    static REF: std::sync::OnceLock<Option<regex::Regex>> = std::sync::OnceLock::new();
    let Some(re) =
        REF.get_or_init(|| regex::Regex::new(r#"\$ref['"]?\s*:\s*['"]?#/([^'"\s,}]*)"#).ok())
    else {
        return false;
    };
    re.captures_iter(source).any(|c| {
        let target = c.get(1).map_or("", |m| m.as_str());
        let segments: Vec<&str> = target.split('/').collect();
        segments.len() != 3 || segments[0] != "components"
    })
}

/// Repairs the document and converts it. `None` if it still does not read (the caller then
/// explains the original error).
fn load_normalised(
    file: &str,
    mut document: serde_json::Value,
) -> Option<(OpenAPI, Vec<Diagnostic>)> {
    let repairs = normalise(&mut document)
        .into_iter()
        .map(|(pointer, message)| {
            Diagnostic::new(DiagnosticKind::Repaired, file, &pointer, message)
        })
        .collect();
    Some((split::to_openapi(document).ok()?, repairs))
}

/// Repairs what real documents commonly get wrong, where the intent is unambiguous:
///
/// * `$ref`s to any JSON pointer inside the document (`#/paths/…/schema`,
///   `#/components/schemas/A/properties/b`) are replaced by a copy of their target;
/// * a response that `$ref`s a schema becomes a JSON response with that schema, and a
///   schema that `$ref`s a response becomes that response's schema;
/// * `callbacks` are dropped (the client does not serve callbacks, and `$ref`s inside them
///   are often malformed);
/// * a non-string `pattern` is dropped.
///
/// Returns `(JSON pointer, what was done)` for every repair, so none is silent.
pub fn normalise(document: &mut serde_json::Value) -> Vec<(String, String)> {
    use serde_json::Value;
    let mut repairs = Vec::new();
    if let Some(paths) = document.get_mut("paths").and_then(Value::as_object_mut) {
        for (path, item) in paths.iter_mut() {
            if let Some(item) = item.as_object_mut() {
                for (method, op) in item.iter_mut() {
                    if let Some(op) = op.as_object_mut() {
                        if op.remove("callbacks").is_some() {
                            let at = format!(
                                "#/paths/{}/{}/callbacks",
                                escape_segment(path),
                                escape_segment(method)
                            );
                            repairs.push((at, "callbacks are not generated (a client does not serve them); dropped".to_string()));
                        }
                    }
                }
            }
        }
    }
    if let Some(components) = document
        .get_mut("components")
        .and_then(Value::as_object_mut)
    {
        if components.remove("callbacks").is_some() {
            repairs.push((
                "#/components/callbacks".to_string(),
                "callbacks are not generated; dropped".to_string(),
            ));
        }
    }
    drop_odd_patterns(document, &mut repairs);
    let mut hoisted: BTreeMap<String, String> = BTreeMap::new();
    let mut budget = 200_000usize;
    for _ in 0..16 {
        let mut edits = Refs {
            edits: Vec::new(),
            new_schemas: Vec::new(),
            hoisted: &mut hoisted,
            taken: document
                .pointer("/components/schemas")
                .and_then(Value::as_object)
                .map(|m| m.keys().cloned().collect())
                .unwrap_or_default(),
        };
        let mut path = Vec::new();
        collect_ref_edits(document, document, &mut path, &mut edits);
        let Refs {
            edits, new_schemas, ..
        } = edits;
        if edits.is_empty() {
            break;
        }
        for (at, replacement) in edits {
            repairs.push((
                format!("#{at}"),
                "`$ref` to a node that is not a whole component: replaced by a copy of (or a component made from) its target".to_string(),
            ));
            budget = budget.saturating_sub(size(&replacement));
            if let Some(node) = document.pointer_mut(&at) {
                *node = replacement;
            }
        }
        if !new_schemas.is_empty() {
            let Some(root) = document.as_object_mut() else {
                break;
            };
            let components = root
                .entry("components")
                .or_insert_with(|| Value::Object(Default::default()));
            let Some(components) = components.as_object_mut() else {
                break;
            };
            let schemas = components
                .entry("schemas")
                .or_insert_with(|| Value::Object(Default::default()));
            let Some(schemas) = schemas.as_object_mut() else {
                break;
            };
            for (name, schema) in new_schemas {
                budget = budget.saturating_sub(size(&schema));
                schemas.insert(name, schema);
            }
        }
        if budget == 0 {
            // Inlining would not converge (a response that contains itself): leave the
            // rest for the resolver to report.
            break;
        }
    }
    repairs
}

fn size(v: &serde_json::Value) -> usize {
    match v {
        serde_json::Value::Object(m) => 1 + m.values().map(size).sum::<usize>(),
        serde_json::Value::Array(a) => 1 + a.iter().map(size).sum::<usize>(),
        _ => 1,
    }
}

/// What one pass over the document decided.
struct Refs<'h> {
    /// Pointer of a `$ref` object → its replacement.
    edits: Vec<(String, serde_json::Value)>,
    /// Schemas to add to `#/components/schemas`.
    new_schemas: Vec<(String, serde_json::Value)>,
    /// Target pointer → name of the component it was hoisted to (kept across passes).
    hoisted: &'h mut BTreeMap<String, String>,
    /// Component schema names in use.
    taken: BTreeSet<String>,
}

/// A schema name for the schema at `pointer`, e.g. `Disk_filesystem` for
/// `/components/schemas/Disk/properties/filesystem`.
fn hoisted_name(pointer: &str, taken: &BTreeSet<String>) -> String {
    const NOISE: [&str; 10] = [
        "",
        "paths",
        "components",
        "schemas",
        "properties",
        "content",
        "schema",
        "responses",
        "application~1json",
        "items",
    ];
    let parts: Vec<String> = pointer
        .split('/')
        .filter(|s| !NOISE.contains(s))
        .map(|s| {
            crate::error::unescape_segment(s)
                .chars()
                .map(|c| if c.is_ascii_alphanumeric() { c } else { '_' })
                .collect::<String>()
        })
        .filter(|s| s.chars().any(|c| c.is_ascii_alphanumeric()))
        .collect();
    let start = parts.len().saturating_sub(3);
    let mut base = parts[start..].join("_");
    if base.is_empty() {
        base = "Inline".to_string();
    }
    let mut name = base.clone();
    let mut n = 2;
    while taken.contains(&name) {
        name = format!("{base}{n}");
        n += 1;
    }
    name
}

/// Drops every `pattern` that is neither a string nor an object (a property named `pattern`).
fn drop_odd_patterns(document: &mut serde_json::Value, repairs: &mut Vec<(String, String)>) {
    let mut at = String::from("#");
    walk::each_object(document, &mut at, &|_| false, &mut |map, at| {
        if map
            .get("pattern")
            .is_some_and(|p| !p.is_string() && !p.is_object())
        {
            map.remove("pattern");
            repairs.push((
                format!("{at}/pattern"),
                "a `pattern` that is not a string: dropped".to_string(),
            ));
        }
    });
}

/// Decodes `%XX` escapes (some documents percent-encode `{` and `}` in pointers).
fn percent_decode(text: &str) -> String {
    let bytes = text.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%' && i + 2 < bytes.len() {
            let hex = std::str::from_utf8(&bytes[i + 1..i + 3]).unwrap_or("");
            if let Ok(b) = u8::from_str_radix(hex, 16) {
                out.push(b);
                i += 3;
                continue;
            }
        }
        out.push(bytes[i]);
        i += 1;
    }
    String::from_utf8(out).unwrap_or_else(|_| text.to_string())
}

/// The node a local `$ref` points to, as an RFC 6901 pointer for `Value::pointer`.
fn ref_pointer(reference: &str) -> Option<String> {
    let fragment = reference.strip_prefix('#')?;
    Some(percent_decode(fragment))
}

fn is_response_position(path: &[String]) -> bool {
    match path {
        [paths, _, _, responses, _] => paths == "paths" && responses == "responses",
        [components, responses, _] => components == "components" && responses == "responses",
        _ => false,
    }
}

/// Where a copy of the target is right (path items, responses, parameters, bodies, headers); everywhere
/// else a `$ref` is a schema, hoisted into a component so that recursion stays finite.
fn is_inline_position(path: &[String]) -> bool {
    let n = path.len();
    let parent = |k: usize| {
        n >= k && ["parameters", "headers", "requestBodies"].contains(&path[n - k].as_str())
    };
    let path_item = n == 2 && path[0] == "paths";
    is_response_position(path)
        || path_item
        || parent(2)
        || path.last().is_some_and(|l| l == "requestBody")
}

fn collect_ref_edits(
    root: &serde_json::Value,
    node: &serde_json::Value,
    path: &mut Vec<String>,
    refs: &mut Refs<'_>,
) {
    use serde_json::Value;
    match node {
        Value::Object(map) => {
            if let Some(Value::String(reference)) = map.get("$ref") {
                let here = {
                    let mut p = String::new();
                    for s in path.iter() {
                        p.push('/');
                        p.push_str(&escape_segment(s));
                    }
                    p
                };
                let segments: Vec<&str> = reference
                    .strip_prefix("#/")
                    .map(|r| r.split('/').collect())
                    .unwrap_or_default();
                let canonical = segments.len() == 3 && segments[0] == "components";
                if canonical {
                    let kind = segments[1];
                    let response_here = is_response_position(path);
                    if response_here && kind == "schemas" {
                        let wrapped = serde_json::json!({
                            "description": "",
                            "content": {"application/json": {"schema": {"$ref": reference}}}
                        });
                        refs.edits.push((here, wrapped));
                    } else if !response_here
                        && kind == "responses"
                        && path.last().is_some_and(|l| l == "schema")
                    {
                        let schema = ref_pointer(reference)
                            .and_then(|p| root.pointer(&p))
                            .and_then(|r| r.get("content"))
                            .and_then(Value::as_object)
                            .and_then(|c| c.values().find_map(|m| m.get("schema")))
                            .cloned()
                            .unwrap_or_else(|| serde_json::json!({}));
                        refs.edits.push((here, schema));
                    }
                } else if let Some(pointer) = ref_pointer(reference) {
                    if let Some(target) = root.pointer(&pointer) {
                        if is_inline_position(path) {
                            let mut copy = target.clone();
                            if path.len() == 2 {
                                // A copied path item: its operations get names from
                                // their own path, not the original's operationIds.
                                if let Some(item) = copy.as_object_mut() {
                                    for op in item.values_mut().filter_map(Value::as_object_mut) {
                                        op.remove("operationId");
                                    }
                                }
                            }
                            refs.edits.push((here, copy));
                        } else {
                            let name = match refs.hoisted.get(&pointer) {
                                Some(name) => name.clone(),
                                None => {
                                    let name = hoisted_name(&pointer, &refs.taken);
                                    refs.taken.insert(name.clone());
                                    refs.hoisted.insert(pointer.clone(), name.clone());
                                    refs.new_schemas.push((name.clone(), target.clone()));
                                    name
                                }
                            };
                            let canonical =
                                format!("#/components/schemas/{}", escape_segment(&name));
                            refs.edits
                                .push((here, serde_json::json!({ "$ref": canonical })));
                        }
                    }
                }
                return;
            }
            for (key, value) in map {
                path.push(key.clone());
                collect_ref_edits(root, value, path, refs);
                path.pop();
            }
        }
        Value::Array(items) => {
            for (i, value) in items.iter().enumerate() {
                path.push(i.to_string());
                collect_ref_edits(root, value, path, refs);
                path.pop();
            }
        }
        _ => {}
    }
}

/// The document did not parse as OpenAPI 3: find out why, as precisely as we can. This runs
/// only on the failure path, so the happy path parses once.
fn explain(file: &str, mut document: serde_json::Value, failure: split::Error) -> Diagnostic {
    let message = match failure {
        split::Error::Schema((pointer, message)) => {
            return Diagnostic::new(DiagnosticKind::InvalidDocument, file, &pointer, message)
        }
        split::Error::Document(message) => message,
    };
    // A node of the wrong shape outside the schemas: locate it, in the document whose
    // schemas are placeholders (which reads in linear time).
    split::placeholders(&mut document);
    let pointer = serde_path_to_error::deserialize::<_, OpenAPI>(&document)
        .err()
        .map(|e| pointer_of(e.path()));
    // openapiv3 uses untagged enums for `$ref`-or-item nodes, which hide where inside them
    // the error is. Try the entries below such a node one by one to find the culprit.
    let (pointer, message) = match drill(&document) {
        Some(found) => found,
        None => (pointer.unwrap_or_default(), message),
    };
    Diagnostic::new(DiagnosticKind::InvalidDocument, file, &pointer, message)
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

fn check_version(
    file: &str,
    openapi: Option<&str>,
    swagger: Option<&str>,
) -> Result<Version, Error> {
    let unsupported = |pointer: &str, version: &str| {
        Error::one(Diagnostic::new(
            DiagnosticKind::UnsupportedVersion,
            file,
            pointer,
            format!(
                "unsupported version `{version}`: this generator reads OpenAPI 3.0.x and 3.1.x, and Swagger 2.0"
            ),
        ))
    };
    match (openapi, swagger) {
        (Some(v), _) if v.starts_with("3.0") => Ok(Version::OpenApi30),
        (Some(v), _) if v.starts_with("3.1") => Ok(Version::OpenApi31),
        (Some(v), _) => Err(unsupported("#/openapi", v)),
        (None, Some("2.0")) => Ok(Version::Swagger20),
        (None, Some(v)) => Err(unsupported("#/swagger", &format!("swagger {v}"))),
        (None, None) => Err(Error::one(Diagnostic::new(
            DiagnosticKind::NotOpenApi,
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

    /// YAML's plain numbers and booleans are text where the top of the document wants text,
    /// as reading YAML straight into `openapiv3`'s types made them.
    #[test]
    fn yaml_numbers_at_the_top_are_text() {
        let yaml = "openapi: 3.0.3\ninfo: {title: 2048, version: 1.5}\n\
                    servers: [{url: /, description: 7}]\ntags: [{name: true}]\npaths: {}\n";
        let spec = load("a.yaml", yaml).expect("loads");
        assert_eq!(
            (spec.info.title.as_str(), spec.info.version.as_str()),
            ("2048", "1.5")
        );
        assert_eq!(spec.servers[0].description.as_deref(), Some("7"));
        assert_eq!(spec.tags[0].name, "true");
    }

    #[test]
    fn a_byte_order_mark_is_skipped() {
        let json = "\u{feff}{\"swagger\":\"2.0\",\"info\":{\"title\":\"t\",\"version\":\"1\"},\"paths\":{}}";
        assert!(load("bom.json", json).is_ok());
        assert!(load("bom.yaml", &format!("\u{feff}{MINIMAL}")).is_ok());
    }

    #[test]
    fn loads_yaml_and_json() {
        assert!(load("a.yaml", MINIMAL).is_ok());
        let json = r#"{"openapi":"3.0.0","info":{"title":"t","version":"1"},"paths":{}}"#;
        assert!(load("a.json", json).is_ok());
    }

    #[test]
    fn reads_swagger_2_and_openapi_3_1_and_refuses_other_versions() {
        let swagger = "swagger: '2.0'\ninfo: {title: t, version: '1'}\npaths: {}\n";
        assert_eq!(
            load("old.yaml", swagger).expect("2.0 reads").openapi,
            "3.0.3"
        );
        let v31 = MINIMAL.replace("3.0.3", "3.1.0");
        assert_eq!(load("new.yaml", &v31).expect("3.1 reads").openapi, "3.0.3");
        let e = load("older.yaml", &swagger.replace("2.0", "1.2")).unwrap_err();
        let text = e.to_string();
        assert!(
            text.contains("older.yaml: #/swagger: unsupported version `swagger 1.2`"),
            "{text}"
        );
        let e = load("newer.yaml", &MINIMAL.replace("3.0.3", "3.2.0")).unwrap_err();
        assert!(
            e.to_string()
                .contains("newer.yaml: #/openapi: unsupported version `3.2.0`"),
            "{e}"
        );
    }

    /// Errors in a converted document point into the file the user wrote, not into the
    /// converted form.
    #[test]
    fn errors_in_converted_documents_point_into_the_users_file() {
        let swagger = "swagger: '2.0'\ninfo: {title: t, version: '1'}\npaths:\n  /a:\n    post:\n      parameters:\n        - {name: q, in: query, type: string}\n        - name: b\n          in: body\n          schema: {type: array, items: {type: string, maxLength: -1}}\n      responses: {'200': {description: ok}}\n";
        let e = load("old.yaml", swagger).unwrap_err();
        assert_eq!(
            e.diagnostics[0].pointer, "#/paths/~1a/post/parameters/1/schema/items/maxLength",
            "{e}"
        );
        let definitions = "swagger: '2.0'\ninfo: {title: t, version: '1'}\npaths: {}\ndefinitions:\n  A:\n    properties:\n      b: {type: string, minLength: x}\n";
        let e = load("old.yaml", definitions).unwrap_err();
        assert_eq!(
            e.diagnostics[0].pointer, "#/definitions/A/properties/b/minLength",
            "{e}"
        );
        let v31 = "openapi: 3.1.0\ninfo: {title: t, version: '1'}\ncomponents:\n  schemas:\n    A:\n      properties:\n        b: {$ref: '#/components/schemas/A/$defs/B'}\n      $defs:\n        B:\n          properties:\n            c: {type: string, maxLength: -2}\n";
        let e = load("new.yaml", v31).unwrap_err();
        assert_eq!(
            e.diagnostics[0].pointer, "#/components/schemas/A/$defs/B/properties/c/maxLength",
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
