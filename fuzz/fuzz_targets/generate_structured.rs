//! The generator on documents assembled from OpenAPI fragments (structure-aware: libFuzzer
//! mutates the bytes `arbitrary` builds the document from): odd and colliding names, cycles,
//! deep nesting, huge enums, conflicting types, dangling references, every parameter
//! location and style, media types, status codes, pagination extensions. Each document, as
//! JSON or YAML, gives a crate or an error, never a panic, a stack overflow or a hang.
#![no_main]

use arbitrary::Arbitrary;
use libfuzzer_sys::fuzz_target;
use serde_json::{json, Map, Value};

/// Names that collide with each other, with Rust keywords and prelude types, with the
/// generated crate's own items, or that are not identifiers at all.
const NAMES: &[&str] = &[
    "Pet", "pet", "PET", "pets", "Pet_", "pet-id", "pet.id", "pet id", "Self", "self", "type",
    "Type", "r#type", "crate", "super", "fn", "async", "await", "", " ", "_", "__", "1st", "9",
    "Ä", "名前", "Client", "Call", "Result", "Option", "String", "Vec", "Box", "Error", "None",
    "Some", "types", "calls", "runtime", "serde", "std", "Default", "Send", "Deref", "new", "body",
    "send", "timeout", "items", "pages", "page", "cursor", "next", "limit", "offset", "$ref", "#",
    "/", "~", "~1", "{id}", "a/b", "x-y", "Id", "ID", "id", "Unknown", "Other",
];

#[derive(Arbitrary, Debug)]
enum Name {
    Pool(u8),
    Raw(String),
    Long(u8),
}

impl Name {
    fn text(&self) -> String {
        match self {
            Name::Pool(i) => NAMES[usize::from(*i) % NAMES.len()].to_string(),
            Name::Raw(s) => s.clone(),
            Name::Long(n) => "n".repeat(usize::from(*n) * 4 + 1),
        }
    }
}

#[derive(Arbitrary, Debug)]
enum Val {
    Null,
    Bool(bool),
    Int(i64),
    Float(f64),
    Str(String),
    Name(Name),
    Arr(Vec<Val>),
    Obj(Vec<(Name, Val)>),
}

impl Val {
    fn json(&self) -> Value {
        match self {
            Val::Null => Value::Null,
            Val::Bool(b) => json!(b),
            Val::Int(i) => json!(i),
            Val::Float(f) => json!(f),
            Val::Str(s) => json!(s),
            Val::Name(n) => json!(n.text()),
            Val::Arr(items) => Value::Array(items.iter().map(Val::json).collect()),
            Val::Obj(entries) => {
                Value::Object(entries.iter().map(|(k, v)| (k.text(), v.json())).collect())
            }
        }
    }
}

#[derive(Arbitrary, Debug, Clone, Copy)]
enum Scalar {
    String,
    Integer,
    Number,
    Boolean,
    Object,
    Array,
    Null,
    Bogus,
}

const FORMATS: &[&str] = &[
    "int32",
    "int64",
    "uint64",
    "float",
    "double",
    "byte",
    "binary",
    "date",
    "date-time",
    "uuid",
    "uri",
    "email",
    "password",
    "decimal",
    "unknown",
    "",
];

const PATTERNS: &[&str] = &[
    "^[a-z]+$",
    "^\\d{3}$",
    "(?=lookahead)",
    "[",
    "\\p{L}+",
    "^(a+)+$",
    "",
    "\\",
    "^\\/$",
];

#[derive(Arbitrary, Debug)]
enum Schema {
    Ref(Name),
    Scalar {
        ty: Scalar,
        format: Option<u8>,
        nullable: bool,
        pattern: Option<u8>,
        default: Option<Val>,
        values: Option<Vec<Val>>,
    },
    Object {
        properties: Vec<(Name, Schema)>,
        required: Vec<Name>,
        additional: Option<Option<Box<Schema>>>,
        nullable: bool,
    },
    Array(Option<Box<Schema>>),
    AllOf(Vec<Schema>),
    OneOf(Vec<Schema>, Option<(Name, Vec<(Name, Name)>)>),
    AnyOf(Vec<Schema>),
    Not(Box<Schema>),
    HugeEnum {
        count: u16,
        numbers: bool,
    },
    Deep {
        depth: u8,
        array: bool,
        inner: Box<Schema>,
    },
    Conflict(Box<Schema>, Box<Schema>),
    Empty,
    Raw(Val),
}

impl Schema {
    fn json(&self) -> Value {
        match self {
            Schema::Ref(name) => json!({ "$ref": format!("#/components/schemas/{}", name.text()) }),
            Schema::Scalar {
                ty,
                format,
                nullable,
                pattern,
                default,
                values,
            } => {
                let mut s = Map::new();
                let ty = match ty {
                    Scalar::String => "string",
                    Scalar::Integer => "integer",
                    Scalar::Number => "number",
                    Scalar::Boolean => "boolean",
                    Scalar::Object => "object",
                    Scalar::Array => "array",
                    Scalar::Null => "null",
                    Scalar::Bogus => "bogus",
                };
                s.insert("type".into(), json!(ty));
                if let Some(f) = format {
                    s.insert(
                        "format".into(),
                        json!(FORMATS[usize::from(*f) % FORMATS.len()]),
                    );
                }
                if *nullable {
                    s.insert("nullable".into(), json!(true));
                }
                if let Some(p) = pattern {
                    s.insert(
                        "pattern".into(),
                        json!(PATTERNS[usize::from(*p) % PATTERNS.len()]),
                    );
                }
                if let Some(d) = default {
                    s.insert("default".into(), d.json());
                }
                if let Some(values) = values {
                    s.insert(
                        "enum".into(),
                        Value::Array(values.iter().map(Val::json).collect()),
                    );
                }
                Value::Object(s)
            }
            Schema::Object {
                properties,
                required,
                additional,
                nullable,
            } => {
                let mut s = Map::new();
                s.insert("type".into(), json!("object"));
                let props: Map<String, Value> = properties
                    .iter()
                    .map(|(n, p)| (n.text(), p.json()))
                    .collect();
                s.insert("properties".into(), Value::Object(props));
                if !required.is_empty() {
                    let names: Vec<String> = required.iter().map(Name::text).collect();
                    s.insert("required".into(), json!(names));
                }
                match additional {
                    None => {}
                    Some(None) => {
                        s.insert("additionalProperties".into(), json!(true));
                    }
                    Some(Some(schema)) => {
                        s.insert("additionalProperties".into(), schema.json());
                    }
                }
                if *nullable {
                    s.insert("nullable".into(), json!(true));
                }
                Value::Object(s)
            }
            Schema::Array(items) => match items {
                Some(items) => json!({ "type": "array", "items": items.json() }),
                None => json!({ "type": "array" }),
            },
            Schema::AllOf(parts) => {
                json!({ "allOf": parts.iter().map(Schema::json).collect::<Vec<_>>() })
            }
            Schema::OneOf(parts, discriminator) => {
                let mut s = Map::new();
                s.insert(
                    "oneOf".into(),
                    Value::Array(parts.iter().map(Schema::json).collect()),
                );
                if let Some((property, mapping)) = discriminator {
                    let mapping: Map<String, Value> = mapping
                        .iter()
                        .map(|(tag, target)| {
                            (
                                tag.text(),
                                json!(format!("#/components/schemas/{}", target.text())),
                            )
                        })
                        .collect();
                    s.insert(
                        "discriminator".into(),
                        json!({ "propertyName": property.text(), "mapping": mapping }),
                    );
                }
                Value::Object(s)
            }
            Schema::AnyOf(parts) => {
                json!({ "anyOf": parts.iter().map(Schema::json).collect::<Vec<_>>() })
            }
            Schema::Not(inner) => json!({ "not": inner.json() }),
            Schema::HugeEnum { count, numbers } => {
                let values: Vec<Value> = (0..usize::from(*count))
                    .map(|i| {
                        if *numbers {
                            json!(i)
                        } else {
                            json!(format!("value-{i}"))
                        }
                    })
                    .collect();
                let ty = if *numbers { "integer" } else { "string" };
                json!({ "type": ty, "enum": values })
            }
            Schema::Deep {
                depth,
                array,
                inner,
            } => {
                let mut value = inner.json();
                for _ in 0..usize::from(*depth) % 40 {
                    value = if *array {
                        json!({ "type": "array", "items": value })
                    } else {
                        json!({ "type": "object", "properties": { "p": value } })
                    };
                }
                value
            }
            Schema::Conflict(a, b) => {
                let mut merged = match a.json() {
                    Value::Object(m) => m,
                    other => return other,
                };
                if let Value::Object(m) = b.json() {
                    merged.extend(m);
                }
                Value::Object(merged)
            }
            Schema::Empty => json!({}),
            Schema::Raw(v) => v.json(),
        }
    }
}

#[derive(Arbitrary, Debug, Clone, Copy)]
enum Location {
    Path,
    Query,
    Header,
    Cookie,
    Body,
    Bogus,
}

#[derive(Arbitrary, Debug)]
struct Param {
    name: Name,
    location: Location,
    required: bool,
    style: Option<u8>,
    explode: Option<bool>,
    schema: Option<Schema>,
    by_ref: bool,
}

const STYLES: &[&str] = &[
    "form",
    "simple",
    "label",
    "matrix",
    "spaceDelimited",
    "pipeDelimited",
    "deepObject",
    "bogus",
];

const MEDIA: &[&str] = &[
    "application/json",
    "application/vnd.api+json",
    "text/plain",
    "text/html",
    "application/octet-stream",
    "multipart/form-data",
    "application/x-www-form-urlencoded",
    "text/event-stream",
    "application/xml",
    "*/*",
    "image/png",
    "application/problem+json",
    "bogus",
];

const STATUSES: &[&str] = &[
    "200", "201", "204", "206", "301", "302", "304", "400", "401", "404", "409", "429", "500",
    "2XX", "4XX", "5XX", "default", "999", "abc", "",
];

const METHODS: &[&str] = &[
    "get", "put", "post", "delete", "options", "head", "patch", "trace",
];

/// A response: its status, its content (media type and schema) and its headers' names.
#[derive(Arbitrary, Debug)]
struct Response {
    status: u8,
    content: Option<(u8, Schema)>,
    headers: Vec<Name>,
}

#[derive(Arbitrary, Debug)]
struct Operation {
    path: Vec<Name>,
    method: u8,
    id: Option<Name>,
    params: Vec<Param>,
    body: Option<(u8, Schema, bool)>,
    responses: Vec<Response>,
    extension: Option<(u8, Val)>,
}

const EXTENSIONS: &[&str] = &[
    "x-ms-pageable",
    "x-speakeasy-pagination",
    "x-fern-pagination",
    "x-dropshot-pagination",
    "x-kubernetes-action",
    "x-nullable",
];

impl Operation {
    fn path(&self) -> String {
        let mut path = String::new();
        for segment in &self.path {
            path.push('/');
            path.push_str(&segment.text());
        }
        for param in &self.params {
            if let Location::Path = param.location {
                path.push_str(&format!("/{{{}}}", param.name.text()));
            }
        }
        if path.is_empty() {
            path.push('/');
        }
        path
    }

    fn json(&self) -> Value {
        let mut op = Map::new();
        if let Some(id) = &self.id {
            op.insert("operationId".into(), json!(id.text()));
        }
        let params: Vec<Value> = self
            .params
            .iter()
            .map(|p| {
                if p.by_ref {
                    return json!({ "$ref": format!("#/components/parameters/{}", p.name.text()) });
                }
                let location = match p.location {
                    Location::Path => "path",
                    Location::Query => "query",
                    Location::Header => "header",
                    Location::Cookie => "cookie",
                    Location::Body => "body",
                    Location::Bogus => "bogus",
                };
                let mut param = Map::new();
                param.insert("name".into(), json!(p.name.text()));
                param.insert("in".into(), json!(location));
                param.insert(
                    "required".into(),
                    json!(p.required || matches!(p.location, Location::Path)),
                );
                if let Some(style) = p.style {
                    param.insert(
                        "style".into(),
                        json!(STYLES[usize::from(style) % STYLES.len()]),
                    );
                }
                if let Some(explode) = p.explode {
                    param.insert("explode".into(), json!(explode));
                }
                if let Some(schema) = &p.schema {
                    param.insert("schema".into(), schema.json());
                }
                Value::Object(param)
            })
            .collect();
        op.insert("parameters".into(), Value::Array(params));
        if let Some((media, schema, required)) = &self.body {
            let media = MEDIA[usize::from(*media) % MEDIA.len()];
            op.insert(
                "requestBody".into(),
                json!({ "required": required, "content": { media: { "schema": schema.json() } } }),
            );
        }
        let mut responses = Map::new();
        for Response {
            status,
            content,
            headers,
        } in &self.responses
        {
            let mut response = Map::new();
            response.insert("description".into(), json!("r"));
            if let Some((media, schema)) = content {
                let media = MEDIA[usize::from(*media) % MEDIA.len()];
                response.insert(
                    "content".into(),
                    json!({ media: { "schema": schema.json() } }),
                );
            }
            if !headers.is_empty() {
                let headers: Map<String, Value> = headers
                    .iter()
                    .map(|h| (h.text(), json!({ "schema": { "type": "string" } })))
                    .collect();
                response.insert("headers".into(), Value::Object(headers));
            }
            responses.insert(
                STATUSES[usize::from(*status) % STATUSES.len()].to_string(),
                Value::Object(response),
            );
        }
        op.insert("responses".into(), Value::Object(responses));
        if let Some((extension, value)) = &self.extension {
            op.insert(
                EXTENSIONS[usize::from(*extension) % EXTENSIONS.len()].to_string(),
                value.json(),
            );
        }
        Value::Object(op)
    }
}

#[derive(Arbitrary, Debug)]
enum Security {
    Bearer,
    Basic,
    Key(u8, Name),
    OAuth,
    Bogus(Val),
}

#[derive(Arbitrary, Debug)]
struct Doc {
    yaml: bool,
    version: u8,
    servers: Vec<(Name, Vec<(Name, Name)>)>,
    schemas: Vec<(Name, Schema)>,
    parameters: Vec<(Name, Param)>,
    operations: Vec<Operation>,
    security: Option<Security>,
}

const VERSIONS: &[&str] = &["3.0.3", "3.0.0", "3.0", "3.1.0", "2.0", "3.0.3-rc", "", "4"];

impl Doc {
    fn json(&self) -> Value {
        let mut paths = Map::new();
        for op in &self.operations {
            let item = paths.entry(op.path()).or_insert_with(|| json!({}));
            if let Value::Object(item) = item {
                item.insert(
                    METHODS[usize::from(op.method) % METHODS.len()].into(),
                    op.json(),
                );
            }
        }
        let schemas: Map<String, Value> = self
            .schemas
            .iter()
            .map(|(n, s)| (n.text(), s.json()))
            .collect();
        let parameters: Map<String, Value> = self
            .parameters
            .iter()
            .map(|(n, p)| {
                let schema = p
                    .schema
                    .as_ref()
                    .map_or(json!({ "type": "string" }), Schema::json);
                (
                    n.text(),
                    json!({ "name": p.name.text(), "in": "query", "schema": schema }),
                )
            })
            .collect();
        let servers: Vec<Value> = self
            .servers
            .iter()
            .map(|(url, variables)| {
                let variables: Map<String, Value> = variables
                    .iter()
                    .map(|(n, d)| (n.text(), json!({ "default": d.text() })))
                    .collect();
                json!({ "url": format!("https://{}/v1", url.text()), "variables": variables })
            })
            .collect();
        let mut components = json!({ "schemas": schemas, "parameters": parameters });
        let mut doc = json!({
            "openapi": VERSIONS[usize::from(self.version) % VERSIONS.len()],
            "info": { "title": "fuzz", "version": "1" },
            "servers": servers,
            "paths": paths,
        });
        if let Some(security) = &self.security {
            let scheme = match security {
                Security::Bearer => json!({ "type": "http", "scheme": "bearer" }),
                Security::Basic => json!({ "type": "http", "scheme": "basic" }),
                Security::Key(location, name) => {
                    let location =
                        ["header", "query", "cookie", "path"][usize::from(*location) % 4];
                    json!({ "type": "apiKey", "in": location, "name": name.text() })
                }
                Security::OAuth => json!({
                    "type": "oauth2",
                    "flows": { "clientCredentials": { "tokenUrl": "https://t/token", "scopes": {} } },
                }),
                Security::Bogus(v) => v.json(),
            };
            components["securitySchemes"] = json!({ "auth": scheme });
            doc["security"] = json!([{ "auth": [] }]);
        }
        doc["components"] = components;
        doc
    }
}

fuzz_target!(|doc: Doc| {
    let value = doc.json();
    let (file, text) = if doc.yaml {
        match serde_yaml::to_string(&value) {
            Ok(text) => ("fuzz.yaml", text),
            Err(_) => return,
        }
    } else {
        ("fuzz.json", value.to_string())
    };
    let _ = generator::generate_inline(file, &text, &generator::Settings::default());
});
