//! Why a generated conformance test failed, and whose failure it is: from the test's panic
//! message (`METHOD /path: error`), its section of libtest's output (the error's `Debug`:
//! Prism's problem body, its `sl-violations` header), the requests Prism logged, and what
//! the spec says about the operation. Only failures of ours count against the pass rate of
//! `cargo xtask corpus --conformance`; the spec's and Prism's are counted apart.

use std::collections::BTreeSet;

use serde_json::Value;

use crate::check;
use crate::prism::shorten;
use crate::routable::{Operations, METHODS};

/// What the spec says about its operations that explains some failures.
#[derive(Debug, Default)]
pub(crate) struct Known {
    /// The operations Prism cannot route (see [`crate::routable`]).
    pub(crate) unroutable: Operations,
    /// The operations whose request body is a form (`application/x-www-form-urlencoded`).
    pub(crate) form_bodies: Operations,
    /// The operations that document no success (no `2XX` response, no `default`): Prism
    /// can only answer one of their errors.
    pub(crate) no_success: Operations,
    /// `(in, name)` of the parameters whose schema is a `oneOf` that one value matches
    /// twice once it is text in a path or query: a numeric member, and a string member that
    /// accepts digits (PandaScore's `{id}` or `{slug}`: every id is also a slug). Prism
    /// refuses such a value (exactly one member must match).
    pub(crate) overlapping: BTreeSet<(String, String)>,
    /// Whether Prism answers from data it generates from the schemas (dynamic mode), not
    /// from the spec's examples.
    pub(crate) dynamic: bool,
}

impl Known {
    /// What `spec` (a parsed OpenAPI 3.0 document) says of its operations and parameters
    /// ([`Known`]'s fields), with the `unroutable` operations; for Prism in static mode (the
    /// caller sets [`Known::dynamic`]).
    pub(crate) fn of(spec: &Value, unroutable: Operations) -> Known {
        let mut form_bodies = Operations::new();
        let mut no_success = Operations::new();
        let mut overlapping = BTreeSet::new();
        for (key, item) in spec
            .get("paths")
            .and_then(Value::as_object)
            .into_iter()
            .flatten()
        {
            let operations = METHODS.iter().filter_map(|m| item.get(*m));
            let parameters = std::iter::once(item)
                .chain(operations)
                .filter_map(|o| o.get("parameters").and_then(Value::as_array))
                .flatten();
            for parameter in parameters {
                let parameter = resolve(spec, parameter);
                let (Some(place), Some(name)) = (
                    parameter.get("in").and_then(Value::as_str),
                    parameter.get("name").and_then(Value::as_str),
                ) else {
                    continue;
                };
                let schema = parameter.get("schema").map(|s| resolve(spec, s));
                if schema.is_some_and(|s| one_of_overlaps(spec, s)) {
                    overlapping.insert((place.to_string(), name.to_string()));
                }
            }
            for method in METHODS {
                let form = item
                    .pointer(&format!("/{method}/requestBody/content"))
                    .and_then(Value::as_object)
                    .is_some_and(|c| c.contains_key("application/x-www-form-urlencoded"));
                if form {
                    form_bodies.insert((method.to_ascii_uppercase(), key.clone()));
                }
                if let Some(responses) = item
                    .get(method)
                    .and_then(|op| op.get("responses"))
                    .and_then(Value::as_object)
                {
                    if !responses
                        .keys()
                        .any(|s| s.starts_with('2') || s == "default")
                    {
                        no_success.insert((method.to_ascii_uppercase(), key.clone()));
                    }
                }
            }
        }
        Known {
            unroutable,
            form_bodies,
            no_success,
            overlapping,
            dynamic: false,
        }
    }
}

/// `value`, or what its `$ref` (within the document) points to, followed a few times.
fn resolve<'a>(spec: &'a Value, mut value: &'a Value) -> &'a Value {
    for _ in 0..8 {
        let Some(target) = value
            .get("$ref")
            .and_then(Value::as_str)
            .and_then(|r| r.strip_prefix('#'))
            .and_then(|pointer| spec.pointer(pointer))
        else {
            break;
        };
        value = target;
    }
    value
}

/// Whether `schema` is a `oneOf` with a numeric member and a string member that a number
/// written as text matches (no format, no enum, no pattern or one that `1` matches).
fn one_of_overlaps(spec: &Value, schema: &Value) -> bool {
    let Some(members) = schema.get("oneOf").and_then(Value::as_array) else {
        return false;
    };
    let members: Vec<&Value> = members.iter().map(|m| resolve(spec, m)).collect();
    let of_type = |m: &Value, types: &[&str]| {
        m.get("type")
            .and_then(Value::as_str)
            .is_some_and(|t| types.contains(&t))
    };
    let numeric = members.iter().any(|m| of_type(m, &["integer", "number"]));
    let takes_digits = members.iter().any(|m| {
        of_type(m, &["string"])
            && m.get("format").is_none()
            && m.get("enum").is_none()
            && m.get("pattern")
                .and_then(Value::as_str)
                .is_none_or(|p| regex::Regex::new(p).is_ok_and(|pattern| pattern.is_match("1")))
    });
    numeric && takes_digits
}

/// One failing test's cause, and its message.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Failure {
    /// The group: e.g. `request refused by Prism: query type`.
    pub(crate) group: String,
    /// Whose failure it is.
    pub(crate) owner: Owner,
    pub(crate) message: String,
}

/// Whose failure a failing test is; only [`Owner::Ours`] counts against the pass rate.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub(crate) enum Owner {
    /// The client's, the samples', the generator's (or not known).
    Ours,
    /// The spec's: Prism says its own response (from the spec's example) violates the spec.
    Spec,
    /// Prism's: a limit of the mock, not of the client or the spec (the operation shares
    /// its method and path with another, told apart only by a `#fragment` in the path key;
    /// Prism reads the array properties of a `deepObject` parameter that were not sent as
    /// empty arrays; it fails while writing a response; its dynamic generator adds
    /// properties the schema lacks).
    Prism,
}

/// One request in Prism's log.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub(crate) struct Block {
    /// Upper case.
    method: String,
    /// Without the query.
    path: String,
    /// `Violation: request…` errors, `location message`.
    request_errors: Vec<String>,
    /// `Violation: response…` errors.
    response_errors: Vec<String>,
    /// Prism's own failure while answering (`Request terminated with error:` other than
    /// the problems it reports by design, `https://stoplight.io/prism/errors#…`), which it
    /// sends as a 500.
    crash: Option<String>,
}

/// The requests of Prism's log, in order.
pub(crate) fn blocks(log: &str) -> Vec<Block> {
    let mut blocks: Vec<Block> = Vec::new();
    for line in log.lines() {
        if let Some((_, error)) = line.split_once("Request terminated with error: ") {
            // Prism wraps its errors once or twice: `Error: Error: TypeError: …`.
            let error = error.trim().trim_start_matches("Error: ");
            if let Some(block) = blocks.last_mut() {
                if !error.starts_with("https://stoplight.io/prism/errors#") {
                    block.crash = Some(error.to_string());
                }
            }
        } else if let Some((_, rest)) = line.split_once("[HTTP SERVER] ") {
            if line.ends_with("Request received") {
                let mut words = rest.split_whitespace();
                let method = words.next().unwrap_or_default().to_ascii_uppercase();
                let path = words.next().unwrap_or_default();
                let path = path.split('?').next().unwrap_or_default().to_string();
                blocks.push(Block {
                    method,
                    path,
                    ..Block::default()
                });
            }
        } else if let Some((before, violation)) = line.split_once("Violation: ") {
            let Some(block) = blocks.last_mut() else {
                continue;
            };
            if before.contains(" warning ") {
                continue;
            }
            let violation = violation.trim().to_string();
            if violation.starts_with("response") {
                block.response_errors.push(violation);
            } else {
                block.request_errors.push(violation);
            }
        }
    }
    blocks
}

/// Whether a concrete request path matches a path template (`/pets/{id}`).
fn matches_template(template: &str, path: &str) -> bool {
    // A fragment in the key is not sent, a query not logged as part of the path (see
    // `routable`).
    let template = template.split_once(['#', '?']).map_or(template, |(t, _)| t);
    let template: Vec<&str> = template.trim_end_matches('/').split('/').collect();
    let path: Vec<&str> = path.trim_end_matches('/').split('/').collect();
    template.len() == path.len()
        && template
            .iter()
            .zip(&path)
            .all(|(t, p)| t.contains('{') || t == p)
}

/// The group of the operations Prism cannot route.
pub(crate) const UNROUTABLE: &str =
    "Prism cannot route it: same method and path as another operation \
                          once the path key's `#fragment` or `?query` is dropped";

/// How the runtime's strict decoding words `DriftKind::Unknown` (runtime/src/runtime/drift.rs;
/// the harness reads the test binaries' output, not the runtime's types).
const UNKNOWN_PROPERTY: &str = "property not in the spec";

/// The cause of a failing test, from its panic message (`METHOD /path: error`), its whole
/// section (the error's `Debug`: Prism's problem body, its `sl-violations` header) and the
/// requests Prism logged.
pub(crate) fn classify(message: &str, section: &str, blocks: &[Block], known: &Known) -> Failure {
    let failure = |group: String, spec_fault: bool| Failure {
        group,
        owner: if spec_fault { Owner::Spec } else { Owner::Ours },
        message: shorten(message, 300),
    };
    // The operation, from the label `GET /path`.
    let (method, template) = message
        .split_once(": ")
        .and_then(|(label, _)| label.split_once(' '))
        .unwrap_or_default();
    let mine: Vec<&Block> = blocks
        .iter()
        .filter(|b| b.method == method && matches_template(template, &b.path))
        .collect();
    let text = section.replace("\\\"", "\"");
    if message.contains("transport error") {
        let kind = if text.contains("timed out") || text.contains("TimedOut") {
            "timeout"
        } else {
            "connection error"
        };
        return failure(kind.into(), false);
    }
    if message.contains(generator::emit::NO_SAMPLE) || text.contains(generator::emit::NO_SAMPLE) {
        return failure(
            "a sample argument does not decode as its type".into(),
            false,
        );
    }
    let operation = (method.to_string(), template.to_string());
    if known.unroutable.contains(&operation) {
        return Failure {
            group: UNROUTABLE.into(),
            owner: Owner::Prism,
            message: shorten(message, 300),
        };
    }
    if let Some(crash) = mine.iter().find_map(|b| b.crash.as_deref()) {
        if message.contains(" 500 Internal Server Error") {
            return Failure {
                group: format!(
                    "Prism fails while writing its response (a 500): {}",
                    shorten(&check::normalise(crash), 100)
                ),
                owner: Owner::Prism,
                message: shorten(message, 300),
            };
        }
    }
    if let Some(violation) = prism_violation(&text) {
        if violation.code == "type"
            && violation.place() == "body"
            && violation.message.ends_with("must be array")
            && known.form_bodies.contains(&operation)
        {
            return Failure {
                group: "Prism reads an array field of a form body (repeated `a=1&a=2`) as a \
                        string"
                    .into(),
                owner: Owner::Prism,
                message: shorten(message, 300),
            };
        }
        let parameter = (
            violation.place().to_string(),
            violation.parameter().to_string(),
        );
        if violation.code == "oneOf" && known.overlapping.contains(&parameter) {
            return failure(
                "the spec's oneOf overlaps: a numeric parameter, as text, also matches its \
                 string member (an id is also a slug), and Prism wants exactly one match"
                    .into(),
                true,
            );
        }
        if violation.is_prism_deep_object() {
            return Failure {
                group: "Prism reads the array properties of a deepObject query parameter \
                        that were not sent as empty arrays (minItems)"
                    .into(),
                owner: Owner::Prism,
                message: shorten(message, 300),
            };
        }
        return failure(format!("request refused by Prism: {violation}"), false);
    }
    if let Some(error) = prism_error(&text) {
        if error == "NO_COMPLEX_OBJECT_TEXT" {
            return failure(
                "the spec gives a text response an object schema (Prism cannot write it: \
                 NO_COMPLEX_OBJECT_TEXT)"
                    .into(),
                true,
            );
        }
        return failure(format!("request refused by Prism: {error}"), false);
    }
    if let Some(v) = mine.iter().flat_map(|b| &b.request_errors).next() {
        return failure(
            format!("request refused by Prism: {}", check::normalise(v)),
            false,
        );
    }
    if message.contains("cannot decode") {
        if mine.iter().any(|b| !b.response_errors.is_empty()) {
            return failure(
                "Prism's response violates the spec (Prism says so itself: the spec's example \
                 contradicts its schema, or Prism's sample ignores a pattern or format)"
                    .into(),
                true,
            );
        }
        if let Some(why) = prism_placeholder(message) {
            return Failure {
                group: why.into(),
                owner: Owner::Prism,
                message: shorten(message, 300),
            };
        }
        if message.ends_with(UNKNOWN_PROPERTY) && known.dynamic {
            return Failure {
                group: "Prism's generated response has a property its schema does not declare \
                        (json-schema-faker reads the keywords of a property named `properties` \
                        as its members)"
                    .into(),
                owner: Owner::Prism,
                message: shorten(message, 300),
            };
        }
        if message.ends_with(UNKNOWN_PROPERTY) {
            // Prism adds no property of its own (`fillProperties=false`): it is in the
            // spec's example, and its schema does not declare it.
            return failure(
                "the spec's example has a property its schema does not declare (strict \
                 decoding refuses it as drift)"
                    .into(),
                true,
            );
        }
        let what = message.split_once("`: ").map(|(_, m)| m).unwrap_or(message);
        return failure(
            format!("strict decode error: {}", check::normalise(what)),
            false,
        );
    }
    if let Some(status) = after(message, "undocumented status ") {
        return failure(format!("undocumented status {status}"), false);
    }
    if known.no_success.contains(&operation) && message.contains(" with a documented error") {
        return failure(
            "the spec documents no success response for the operation (Prism answers one of \
             its errors)"
                .into(),
            true,
        );
    }
    if let Some(status) = after(message, "the server answered ") {
        return failure(format!("documented error status {status}"), false);
    }
    let what = message.split_once(": ").map(|(_, m)| m).unwrap_or(message);
    failure(format!("other: {}", check::normalise(what)), false)
}

/// Whether a strict decode error is about a value Prism's static mode makes up without
/// looking at the schema's constraints, and does not flag as a violation: its placeholder
/// `string` (repeated to `minLength`) where a `pattern` is required, and its lower bound
/// for `format: float` (−2¹²⁸, beyond `f32`).
fn prism_placeholder(message: &str) -> Option<&'static str> {
    let (_, error) = message.split_once("`: ")?;
    if let Some(value) = error
        .strip_prefix('`')
        .and_then(|rest| rest.split_once("` is not a valid "))
        .map(|(value, _)| value)
    {
        let placeholder = "string".repeat(value.len() / 6 + 1);
        if value.len() >= 6 && placeholder.starts_with(value) {
            return Some(
                "Prism's static response puts its placeholder `string` where the schema has \
                 a pattern",
            );
        }
    }
    let float = error.strip_prefix("number out of range for a 32-bit float: ")?;
    float
        .trim_start_matches('-')
        .starts_with("3402823669")
        .then_some(
            "Prism's static response puts −2¹²⁸ (beyond f32) where the schema says `format: float`",
        )
}

/// The first word after `marker` in `text`.
fn after<'a>(text: &'a str, marker: &str) -> Option<&'a str> {
    let (_, rest) = text.split_once(marker)?;
    rest.split_whitespace().next()
}

/// The first request violation of Prism's answer (its 422 body's `validation`, or its
/// `sl-violations` header): `code at place`.
fn prism_violation(text: &str) -> Option<Violation> {
    let mut search = text;
    while let Some(at) = search.find("\"location\":[") {
        let rest = &search[at + "\"location\":[".len()..];
        let end = rest.find('}').unwrap_or(rest.len());
        let object = &rest[..end];
        search = &rest[end..];
        let location: Vec<String> = object
            .split(']')
            .next()
            .unwrap_or_default()
            .split(',')
            .map(|s| s.trim().trim_matches('"').to_string())
            .collect();
        if location.first().map(String::as_str) == Some("response")
            || object.contains("\"severity\":\"Warning\"")
            || object.contains("\"severity\":1")
        {
            continue;
        }
        let code = object
            .split_once("\"code\":")
            .map(|(_, c)| {
                c.trim_start_matches('"')
                    .split(['"', ',', '}'])
                    .next()
                    .unwrap_or_default()
            })
            .unwrap_or("?")
            .to_string();
        let message = object
            .split_once("\"message\":\"")
            .map(|(_, m)| m.split('"').next().unwrap_or_default())
            .unwrap_or_default()
            .to_string();
        return Some(Violation {
            code,
            location,
            message,
        });
    }
    None
}

/// One of the request violations in Prism's problem body.
struct Violation {
    /// The keyword that failed: `minItems`, `pattern`, `required`...
    code: String,
    /// `request`, then `query`/`path`/`body`..., then the parameter and property names.
    location: Vec<String>,
    message: String,
}

impl Violation {
    /// Where it is: `query`, `path`, `body`...
    fn place(&self) -> &str {
        self.location
            .iter()
            .find(|l| *l != "request")
            .map_or("request", String::as_str)
    }

    /// The parameter's name (for a path, query, header or cookie violation), or `""`.
    fn parameter(&self) -> &str {
        self.location.get(2).map_or("", String::as_str)
    }

    /// A property of a query parameter's object (`deepObject`: `filter[begin_at]`) has
    /// fewer items than `minItems`: Prism reads every array property of the object's
    /// schema that was not sent as an empty array (the samples never send fewer items than
    /// `minItems`).
    fn is_prism_deep_object(&self) -> bool {
        self.code == "minItems" && self.place() == "query" && self.location.len() >= 4
    }
}

impl std::fmt::Display for Violation {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "{} at {} ({})",
            self.code,
            self.place(),
            shorten(&check::normalise(&self.message.replace('\'', "`")), 80)
        )
    }
}

/// Prism's own error (its problem body's `type`), e.g. `UNAUTHORIZED`.
fn prism_error(text: &str) -> Option<String> {
    let (_, rest) = text.split_once("stoplight.io/prism/errors#")?;
    let kind: String = rest
        .chars()
        .take_while(|c| c.is_ascii_uppercase() || *c == '_')
        .collect();
    (!kind.is_empty()).then_some(kind)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn requests_match_their_templates() {
        assert!(matches_template("/pets/{id}", "/pets/7"));
        assert!(matches_template("/exports/#name&version", "/exports/"));
        assert!(matches_template("/tags/{arn}#tagKeys", "/tags/a"));
        assert!(!matches_template("/pets/{id}", "/pets"));
        assert!(!matches_template("/pets/{id}/toys", "/pets/7/food"));
    }

    #[test]
    fn failures_are_classified() {
        let log = "\
[1] › [HTTP SERVER] get /pets/7 ℹ  info      Request received
[1] ›     [VALIDATOR] ✔  success   The request passed the validation rules. Looking for the best response
[1] ›     [VALIDATOR] ✖  error     Violation: response.body.n Response body property n must be integer
[1] › [HTTP SERVER] post /pets ℹ  info      Request received
[1] ›     [VALIDATOR] ✖  error     Violation: request.body Request body must have required property 'name'
";
        let blocks = blocks(log);
        assert_eq!(blocks.len(), 2);
        let none = Known::default();
        let decode = classify(
            "GET /pets/{id}: cannot decode the 200 response at `n`: expected an integer",
            "",
            &blocks,
            &none,
        );
        assert_eq!(decode.owner, Owner::Spec, "{decode:?}");
        let refused = classify(
            "POST /pets: the server answered with undocumented status 422",
            "UnexpectedStatus { body: \"{\\\"type\\\":\\\"https://stoplight.io/prism/errors#UNPROCESSABLE_ENTITY\\\",\\\"validation\\\":[{\\\"location\\\":[\\\"body\\\"],\\\"severity\\\":\\\"Error\\\",\\\"code\\\":\\\"required\\\",\\\"message\\\":\\\"Request body must have required property 'name'\\\"}]}\" }",
            &blocks,
            &none,
        );
        assert_eq!(refused.owner, Owner::Ours);
        assert_eq!(
            refused.group,
            "request refused by Prism: required at body (Request body must have required property `_`)"
        );
        let status = classify(
            "GET /x: the server answered with undocumented status 404",
            "",
            &[],
            &none,
        );
        assert_eq!(status.group, "undocumented status 404");
        let strict = classify(
            "GET /x: cannot decode the 200 response at `a`: unknown field `b`",
            "",
            &[],
            &none,
        );
        assert_eq!(strict.group, "strict decode error: unknown field `_`");
        assert_eq!(strict.owner, Owner::Ours);
        let extra = classify(
            "GET /x: cannot decode the 200 response at `a.b`: property not in the spec",
            "",
            &[],
            &none,
        );
        assert_eq!(extra.owner, Owner::Spec);
        for placeholder in [
            "GET /s: cannot decode the 200 OK response at `sid`: `stringstringstri` is not a valid Sid: it must match `^AC[0-9a-f]{32}$`",
            "GET /s: cannot decode the 200 OK response at `lat`: number out of range for a 32-bit float: -340282366920938500000000000000000000000",
        ] {
            assert_eq!(classify(placeholder, "", &[], &none).owner, Owner::Prism);
        }
        let ours = classify(
            "GET /s: cannot decode the 200 OK response at `sid`: `strong` is not a valid Sid: it must match `^AC$`",
            "",
            &[],
            &none,
        );
        assert_eq!(ours.owner, Owner::Ours);
        let deep = classify(
            "GET /m: the server answered with undocumented status 422",
            r#"UnexpectedStatus { body: "{\"validation\":[{\"location\":[\"request\",\"query\",\"filter\",\"begin_at\"],\"severity\":\"Error\",\"code\":\"minItems\",\"message\":\"Request query parameter filter.begin_at must NOT have fewer than 1 items\"}]}" }"#,
            &[],
            &none,
        );
        assert_eq!(deep.owner, Owner::Prism, "{deep:?}");
        let flat = classify(
            "GET /m: the server answered with undocumented status 422",
            r#"UnexpectedStatus { body: "{\"validation\":[{\"location\":[\"request\",\"query\",\"ids\"],\"severity\":\"Error\",\"code\":\"minItems\",\"message\":\"Request query parameter ids must NOT have fewer than 2 items\"}]}" }"#,
            &[],
            &none,
        );
        assert_eq!(flat.owner, Owner::Ours, "{flat:?}");
        assert_eq!(
            flat.group,
            "request refused by Prism: minItems at query (Request query parameter ids must NOT have fewer than N items)"
        );
        let text = classify(
            "POST /c: the server answered 500 Internal Server Error with a documented error",
            r#"Api(ApiError { body: "{\"type\":\"https://stoplight.io/prism/errors#NO_COMPLEX_OBJECT_TEXT\"}" })"#,
            &[],
            &none,
        );
        assert_eq!(text.owner, Owner::Spec, "{text:?}");
        let unroutable = Known {
            unroutable: Operations::from([("POST".to_string(), "/#Target=S.A".to_string())]),
            ..Known::default()
        };
        let apart = classify(
            "POST /#Target=S.A: the server answered with undocumented status 404",
            "",
            &[],
            &unroutable,
        );
        assert_eq!(apart.owner, Owner::Prism);
        let sample = classify(
            &format!("POST /#Target=S.A: {}", generator::emit::NO_SAMPLE),
            "",
            &[],
            &unroutable,
        );
        assert_eq!(sample.owner, Owner::Ours);
    }

    #[test]
    fn form_arrays_prism_cannot_read_are_its_limit() {
        let spec = serde_json::json!({"paths": {
            "/v1/Roles": {"post": {"requestBody": {"content": {
                "application/x-www-form-urlencoded": {"schema": {"type": "object"}}
            }}}},
            "/v1/Json": {"post": {"requestBody": {"content": {
                "application/json": {"schema": {"type": "object"}}
            }}}}
        }});
        let known = Known::of(&spec, Operations::new());
        let section = |property: &str| {
            format!(
                r#"UnexpectedStatus {{ body: "{{\"validation\":[{{\"location\":[\"request\",\"body\",\"{property}\"],\"severity\":\"Error\",\"code\":\"type\",\"message\":\"Request body property {property} must be array\"}}]}}" }}"#
            )
        };
        let form = classify(
            "POST /v1/Roles: the server answered with undocumented status 422",
            &section("Permission"),
            &[],
            &known,
        );
        assert_eq!(form.owner, Owner::Prism, "{form:?}");
        let json = classify(
            "POST /v1/Json: the server answered with undocumented status 422",
            &section("Permission"),
            &[],
            &known,
        );
        assert_eq!(json.owner, Owner::Ours, "{json:?}");
    }

    #[test]
    fn overlapping_one_of_parameters_are_the_specs() {
        let spec = serde_json::json!({
            "paths": {"/t/{t}": {
                "parameters": [{"$ref": "#/components/parameters/T"}],
                "get": {"parameters": [
                    {"name": "strict", "in": "query", "schema": {"oneOf": [
                        {"type": "integer"},
                        {"type": "string", "pattern": "^[a-z]+$"}
                    ]}}
                ]}
            }},
            "components": {
                "parameters": {"T": {"name": "t", "in": "path", "required": true,
                                     "schema": {"$ref": "#/components/schemas/IdOrSlug"}}},
                "schemas": {
                    "IdOrSlug": {"oneOf": [{"$ref": "#/components/schemas/Id"},
                                           {"$ref": "#/components/schemas/Slug"}]},
                    "Id": {"type": "integer", "minimum": 1},
                    "Slug": {"type": "string", "pattern": "^[a-z0-9_-]+$"}
                }
            }
        });
        let known = Known::of(&spec, Operations::new());
        assert_eq!(
            known.overlapping,
            BTreeSet::from([("path".to_string(), "t".to_string())])
        );
        let section = |name: &str, place: &str| {
            format!(
                r#"UnexpectedStatus {{ body: "{{\"validation\":[{{\"location\":[\"request\",\"{place}\",\"{name}\"],\"severity\":\"Error\",\"code\":\"oneOf\",\"message\":\"Request {place} parameter {name} must match exactly one schema in oneOf\"}}]}}" }}"#
            )
        };
        let message = "GET /t/{t}: the server answered with undocumented status 422";
        let overlap = classify(message, &section("t", "path"), &[], &known);
        assert_eq!(overlap.owner, Owner::Spec, "{overlap:?}");
        let other = classify(message, &section("strict", "query"), &[], &known);
        assert_eq!(other.owner, Owner::Ours, "{other:?}");
    }

    #[test]
    fn operations_without_a_documented_success_are_the_specs() {
        let spec = serde_json::json!({"paths": {
            "/bill/{id}": {"get": {"responses": {"401": {}, "404": {}}}},
            "/bills": {"get": {"responses": {"200": {}, "401": {}}}}
        }});
        let known = Known::of(&spec, Operations::new());
        let only_errors = classify(
            "GET /bill/{id}: the server answered 401 Unauthorized with a documented error",
            "",
            &[],
            &known,
        );
        assert_eq!(only_errors.owner, Owner::Spec, "{only_errors:?}");
        let listed = classify(
            "GET /bills: the server answered 401 Unauthorized with a documented error",
            "",
            &[],
            &known,
        );
        assert_eq!(listed.owner, Owner::Ours, "{listed:?}");
    }

    #[test]
    fn prism_failures_and_inventions_are_its_limit() {
        let log = "[2:13:52 PM] › [HTTP SERVER] get /szentralen/7 ℹ  info      Request received\n\
                   [2:13:52 PM] › [HTTP SERVER] get /szentralen/7 ✖  error     Request terminated with error: Error: TypeError: Cannot read properties of undefined (reading 'items')\n\
                   [2:13:53 PM] › [HTTP SERVER] post /c ℹ  info      Request received\n\
                   [2:13:53 PM] › [HTTP SERVER] post /c ✖  error     Request terminated with error: https://stoplight.io/prism/errors#NO_COMPLEX_OBJECT_TEXT: Cannot serialise complex objects as text\n";
        let blocks = blocks(log);
        assert_eq!(
            blocks[0].crash.as_deref(),
            Some("TypeError: Cannot read properties of undefined (reading 'items')")
        );
        assert_eq!(blocks[1].crash, None, "a problem Prism reports by design");
        let none = Known::default();
        let crash = classify(
            "GET /szentralen/{id}: cannot decode the 500 Internal Server Error response at `type`: property not in the spec",
            "",
            &blocks,
            &none,
        );
        assert_eq!(crash.owner, Owner::Prism, "{crash:?}");
        // The same request answered with a documented 404 is not Prism's crash.
        let other = classify(
            "GET /szentralen/{id}: the server answered 404 Not Found with a documented error",
            "",
            &blocks,
            &none,
        );
        assert_eq!(other.owner, Owner::Ours, "{other:?}");
        let invented = "GET /r: cannot decode the 200 OK response at `properties.description`: property not in the spec";
        assert_eq!(classify(invented, "", &[], &none).owner, Owner::Spec);
        let dynamic = Known {
            dynamic: true,
            ..Known::default()
        };
        assert_eq!(classify(invented, "", &[], &dynamic).owner, Owner::Prism);
    }
}
