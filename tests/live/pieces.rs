//! The Pieces OS client against a real HTTP server on 127.0.0.1 (wiremock, started by each
//! test): every operation's request on the wire, every documented success, the documented
//! `text/plain` errors (500, and 410 on the single GET), undocumented statuses, undecodable
//! bodies, which operations are retried, the application id header and the default server.
//! The transport itself (retries, redirects, timeouts, secrets, encoding) is tested once, in
//! `runtime/tests/`.
//!
//! Request and response bodies are the examples of `spec/pieces.yaml`, read at run time.

use std::future::Future;
use std::pin::Pin;

use super::support::{assert_request, fast_retries, only_request, received, Expected, Spec, TOKEN};
use distributions::pieces::types::{
    AccessEnum, Distribution, EmbeddedModelSchemaSemanticVersionEnum, ExternallySourcedEnum,
    SeededDistribution,
};
use distributions::pieces::Client;
use distributions::runtime::{
    decode, Decode, DecodeMode, DriftKind, Error, ResponseValue, RetryPolicy, StatusCode,
};
use serde::Serialize;
use serde_json::{json, Value};
use wiremock::matchers::any;
use wiremock::{Mock, MockServer, ResponseTemplate};

// ---- the operations -------------------------------------------------------------------------

/// The example distribution id of the spec.
const UUID: &str = "1a7c4e2b-9d3f-4b6a-8e5c-2f0d7b9a3c1e";

#[derive(Clone)]
struct Args {
    distribution: String,
    body: Option<Value>,
}

type Reply = Result<ResponseValue<Value>, Error<String>>;
type Call = fn(Client, Args) -> Pin<Box<dyn Future<Output = Reply> + Send>>;

struct Op {
    id: &'static str,
    method: &'static str,
    template: &'static str,
    success: u16,
    /// The documented error statuses (all `text/plain`).
    errors: &'static [u16],
    accept: &'static str,
    /// A field to break in the success example: JSON pointer and the path the error names.
    bad_field: Option<(&'static str, &'static str)>,
    call: Call,
}

/// The spec's example as the body type, decoded strictly: an example that departs from its
/// schema in any way fails.
fn typed<T: Decode>(op: &str, body: Option<Value>) -> Option<T> {
    body.map(|body| {
        let json = serde_json::to_vec(&body).expect("JSON serializes");
        decode::from_slice(&json, DecodeMode::Strict)
            .unwrap_or_else(|e| panic!("{op}: the spec's example does not fit the body type: {e}"))
            .value
    })
}

fn reserialize<T: Serialize>(result: Result<ResponseValue<T>, Error<String>>) -> Reply {
    result.map(|response| {
        response.map(|body| serde_json::to_value(body).expect("a decoded body serializes"))
    })
}

/// All five operations of `spec/pieces.yaml`.
fn ops() -> Vec<Op> {
    vec![
        Op {
            id: "distribution-update",
            method: "POST",
            template: "/distribution/update",
            success: 200,
            errors: &[500],
            accept: "application/json, text/plain",
            bad_field: Some((
                "/share/accessors/iterable/0/count",
                "share.accessors.iterable[0].count",
            )),
            call: |c, a| {
                Box::pin(async move {
                    let body: Option<Distribution> = typed("distribution-update", a.body);
                    let call = c.distribution_update();
                    let call = match &body {
                        Some(body) => call.body(body),
                        None => call,
                    };
                    reserialize(call.await)
                })
            },
        },
        Op {
            id: "distributions-create-new-distribution",
            method: "POST",
            template: "/distributions/create",
            success: 200,
            errors: &[500],
            accept: "application/json, text/plain",
            bad_field: Some(("/github/gist/public", "github.gist.public")),
            call: |c, a| {
                Box::pin(async move {
                    let body: Option<SeededDistribution> =
                        typed("distributions-create-new-distribution", a.body);
                    let call = c.distributions_create_new_distribution();
                    let call = match &body {
                        Some(body) => call.body(body),
                        None => call,
                    };
                    reserialize(call.await)
                })
            },
        },
        Op {
            id: "distributions-delete-specific-distribution",
            method: "POST",
            template: "/distributions/{distribution}/delete",
            success: 204,
            errors: &[500],
            accept: "text/plain",
            bad_field: None,
            call: |c, a| {
                Box::pin(async move {
                    reserialize(
                        c.distributions_delete_specific_distribution(&a.distribution)
                            .await,
                    )
                })
            },
        },
        Op {
            id: "distributions-snapshot",
            method: "GET",
            template: "/distributions",
            success: 200,
            errors: &[500],
            accept: "application/json, text/plain",
            bad_field: Some((
                "/iterable/0/share/created/value",
                "iterable[0].share.created.value",
            )),
            call: |c, _| Box::pin(async move { reserialize(c.distributions_snapshot().await) }),
        },
        Op {
            id: "distributions-specific-distribution-snapshot",
            method: "GET",
            template: "/distribution/{distribution}",
            success: 200,
            errors: &[410, 500],
            accept: "application/json, text/plain",
            bad_field: Some((
                "/github/gist/recipients/iterable/0/email",
                "github.gist.recipients.iterable[0].email",
            )),
            call: |c, a| {
                Box::pin(async move {
                    reserialize(
                        c.distributions_specific_distribution_snapshot(&a.distribution)
                            .await,
                    )
                })
            },
        },
    ]
}

fn op(id: &str) -> Op {
    ops()
        .into_iter()
        .find(|op| op.id == id)
        .unwrap_or_else(|| panic!("no operation {id}"))
}

impl Op {
    fn path(&self, distribution: &str) -> String {
        self.template.replace("{distribution}", distribution)
    }

    /// The spec's request examples, and no body at all (every body here is optional).
    fn request_examples(&self, spec: &Spec) -> Vec<(String, Option<Value>)> {
        let mut examples: Vec<(String, Option<Value>)> = spec
            .request_examples(self.template, self.method)
            .into_iter()
            .map(|(name, value)| (name, Some(value)))
            .collect();
        examples.push(("no body".to_string(), None));
        examples
    }

    fn args(&self, spec: &Spec) -> Args {
        Args {
            distribution: UUID.to_string(),
            body: self.request_examples(spec).remove(0).1,
        }
    }

    fn success_example(&self, spec: &Spec) -> Value {
        spec.response_examples(
            self.template,
            self.method,
            &self.success.to_string(),
            "application/json",
        )
        .into_iter()
        .next()
        .map(|(_, value)| value)
        .unwrap_or(Value::Null)
    }

    async fn call(&self, client: &Client, args: Args) -> Reply {
        (self.call)(client.clone(), args).await
    }
}

fn pieces_spec() -> Spec {
    Spec::load("pieces.yaml")
}

fn client(server: &MockServer) -> Client {
    client_with(server, fast_retries(2))
}

fn client_with(server: &MockServer, retry: RetryPolicy) -> Client {
    Client::builder()
        .base_url(server.uri())
        .token(TOKEN)
        .retry(retry)
        .build()
        .expect("a client for the mock server")
}

fn json_response(status: u16, body: &Value) -> ResponseTemplate {
    let template = ResponseTemplate::new(status);
    if body.is_null() {
        template
    } else {
        template.set_body_json(body)
    }
}

fn text_response(status: u16, text: &str) -> ResponseTemplate {
    ResponseTemplate::new(status).set_body_raw(text, "text/plain")
}

// ---- per operation --------------------------------------------------------------------------

async fn sends_the_documented_request(id: &str) {
    let spec = pieces_spec();
    let op = op(id);
    let server = MockServer::start().await;
    let client = client(&server);
    let takes_body = !spec.request_examples(op.template, op.method).is_empty();
    let cases = if takes_body {
        op.request_examples(&spec)
    } else {
        vec![("no body".to_string(), None)]
    };
    for (name, body) in cases {
        let context = format!("{id} ({name})");
        server.reset().await;
        Mock::given(any())
            .respond_with(json_response(op.success, &op.success_example(&spec)))
            .mount(&server)
            .await;
        let args = Args {
            distribution: UUID.to_string(),
            body: body.clone(),
        };
        let response = op
            .call(&client, args)
            .await
            .unwrap_or_else(|e| panic!("{context}: {e:?}"));
        assert_eq!(response.status().as_u16(), op.success, "{context}");
        let request = only_request(&server, &context).await;
        assert_request(
            &request,
            &Expected {
                method: op.method,
                path: &op.path(UUID),
                query: None,
                accept: op.accept,
                auth: ("x-application-id", TOKEN),
                body: body.as_ref(),
            },
            &context,
        );
        assert_eq!(
            super::support::header(&request, "authorization"),
            None,
            "{context}: no bearer token"
        );
    }
}

async fn decodes_every_documented_success(id: &str) {
    let spec = pieces_spec();
    let op = op(id);
    let server = MockServer::start().await;
    let client = client(&server);
    let mut examples = spec.response_examples(
        op.template,
        op.method,
        &op.success.to_string(),
        "application/json",
    );
    if examples.is_empty() {
        assert_eq!(op.success, 204, "{id}: only the 204 has no example");
        examples.push(("no content".to_string(), Value::Null));
    }
    for (name, example) in examples {
        let context = format!("{id} ({name})");
        server.reset().await;
        Mock::given(any())
            .respond_with(
                json_response(op.success, &example).insert_header("X-Pieces-Version", "11.0.0"),
            )
            .mount(&server)
            .await;
        let response = op
            .call(&client, op.args(&spec))
            .await
            .unwrap_or_else(|e| panic!("{context}: {e:?}"));
        assert_eq!(response.status().as_u16(), op.success, "{context}");
        assert_eq!(
            response.headers()["x-pieces-version"],
            "11.0.0",
            "{context}"
        );
        assert_eq!(
            response.into_inner(),
            example,
            "{context}: the decoded body differs from the example"
        );
    }
}

/// The documented `text/plain` errors are `Error::Api` with the text; the other statuses are
/// `UnexpectedStatus` with the text, including a 410 on the operations that do not document it.
async fn errors_are_typed_with_their_text(id: &str) {
    let spec = pieces_spec();
    let op = op(id);
    let server = MockServer::start().await;
    let client = client_with(&server, RetryPolicy::none());
    for status in [400u16, 404, 410, 429, 500, 502, 503] {
        let documented = op.errors.contains(&status);
        let mut texts = vec![
            format!("status {status}: the database is locked"),
            String::new(),
        ];
        if documented {
            let examples =
                spec.response_examples(op.template, op.method, &status.to_string(), "text/plain");
            assert_eq!(examples.len(), 1, "{id} {status}: one text example");
            texts.insert(
                0,
                examples[0].1.as_str().expect("a text example").to_string(),
            );
        }
        for text in texts {
            let context = format!("{id} → {status} {text:?}");
            server.reset().await;
            Mock::given(any())
                .respond_with(text_response(status, &text))
                .mount(&server)
                .await;
            let error = op.call(&client, op.args(&spec)).await.expect_err(&context);
            assert_eq!(
                error.status().map(|s| s.as_u16()),
                Some(status),
                "{context}"
            );
            match (&error, documented) {
                (Error::Api(api), true) => {
                    assert_eq!(api.status.as_u16(), status, "{context}");
                    assert_eq!(api.body, text, "{context}");
                    assert_eq!(error.api_body(), Some(&text), "{context}");
                    assert_eq!(api.headers["content-type"], "text/plain", "{context}");
                }
                (
                    Error::UnexpectedStatus {
                        status: got,
                        body,
                        headers,
                    },
                    false,
                ) => {
                    assert_eq!(got.as_u16(), status, "{context}");
                    assert_eq!(body, &text, "{context}");
                    assert_eq!(headers["content-type"], "text/plain", "{context}");
                }
                _ => panic!("{context}: documented = {documented}, got {error:?}"),
            }
        }
    }
}

/// Non-JSON and wrongly shaped success bodies are `Error::Decode` with the raw body and the
/// path of the failing field; an undocumented success status is `UnexpectedStatus`.
async fn undocumented_and_undecodable_responses_are_typed_errors(id: &str) {
    let spec = pieces_spec();
    let op = op(id);
    let server = MockServer::start().await;
    let client = client_with(&server, RetryPolicy::none());

    let other_success = if op.success == 204 { 200 } else { 204 };
    for (status, body) in [(other_success, ""), (202, "queued"), (201, "{}")] {
        let context = format!("{id} → {status}");
        server.reset().await;
        Mock::given(any())
            .respond_with(text_response(status, body))
            .mount(&server)
            .await;
        match op.call(&client, op.args(&spec)).await {
            Err(Error::UnexpectedStatus {
                status: got,
                body: raw,
                ..
            }) => {
                assert_eq!(got.as_u16(), status, "{context}");
                assert_eq!(raw, body, "{context}");
            }
            other => panic!("{context}: expected UnexpectedStatus, got {other:?}"),
        }
    }

    let Some((pointer, path)) = op.bad_field else {
        assert_eq!(
            op.success, 204,
            "{id}: every JSON operation names a field to break"
        );
        return;
    };
    let mut wrong_type = op.success_example(&spec);
    *wrong_type
        .pointer_mut(pointer)
        .unwrap_or_else(|| panic!("{id}: {pointer}")) = json!({ "x": 1 });
    let mut missing = op.success_example(&spec);
    let required = if missing.get("iterable").is_some() {
        "iterable"
    } else {
        "id"
    };
    missing.as_object_mut().unwrap().remove(required);
    // A missing required property is drift: an error in strict mode only (see `drift.rs`).
    let strict = client.with_decode_mode(DecodeMode::Strict);
    let cases = [
        (
            "Internal Server Error".to_string(),
            ".".to_string(),
            "invalid JSON",
            &client,
        ),
        // Cut off inside a value: the path names the field being read.
        ("{\"id\":".to_string(), "id".to_string(), "EOF", &client),
        (
            wrong_type.to_string(),
            path.to_string(),
            "invalid type",
            &client,
        ),
        (
            missing.to_string(),
            required.to_string(),
            "missing required property",
            &strict,
        ),
    ];
    for (body, path, message_part, client) in cases {
        let context = format!("{id} → {} {body:.60}", op.success);
        server.reset().await;
        Mock::given(any())
            .respond_with(
                ResponseTemplate::new(op.success).set_body_raw(body.clone(), "application/json"),
            )
            .mount(&server)
            .await;
        match op.call(client, op.args(&spec)).await {
            Err(Error::Decode {
                status,
                body: raw,
                path: failed_at,
                message,
                ..
            }) => {
                assert_eq!(status.as_u16(), op.success, "{context}");
                assert_eq!(raw, body, "{context}");
                assert_eq!(failed_at, path, "{context}: {message}");
                assert!(message.contains(message_part), "{context}: {message}");
            }
            other => panic!("{context}: expected Error::Decode, got {other:?}"),
        }
    }
}

macro_rules! operation_tests {
    ($($module:ident => $id:literal,)*) => {$(
        mod $module {
            #[tokio::test]
            async fn sends_the_documented_request() {
                super::sends_the_documented_request($id).await;
            }

            #[tokio::test]
            async fn decodes_every_documented_success() {
                super::decodes_every_documented_success($id).await;
            }

            #[tokio::test]
            async fn errors_are_typed_with_their_text() {
                super::errors_are_typed_with_their_text($id).await;
            }

            #[tokio::test]
            async fn undocumented_and_undecodable_responses_are_typed_errors() {
                super::undocumented_and_undecodable_responses_are_typed_errors($id).await;
            }
        }
    )*};
}

operation_tests! {
    distribution_update => "distribution-update",
    distributions_create_new_distribution => "distributions-create-new-distribution",
    distributions_delete_specific_distribution => "distributions-delete-specific-distribution",
    distributions_snapshot => "distributions-snapshot",
    distributions_specific_distribution_snapshot => "distributions-specific-distribution-snapshot",
}

#[test]
fn the_table_covers_every_operation_of_the_spec() {
    let spec = pieces_spec();
    let mut tested: Vec<(String, String, String)> = ops()
        .iter()
        .map(|op| {
            (
                op.id.to_string(),
                op.method.to_string(),
                op.template.to_string(),
            )
        })
        .collect();
    tested.sort();
    assert_eq!(tested, spec.operations());
    assert_eq!(tested.len(), 5);
    for op in ops() {
        let mut documented: Vec<String> = std::iter::once(op.success)
            .chain(op.errors.iter().copied())
            .map(|s| s.to_string())
            .collect();
        documented.sort();
        let mut statuses = spec.statuses(op.template, op.method);
        statuses.sort();
        assert_eq!(statuses, documented, "{}", op.id);
    }
}

// ---- decoding -------------------------------------------------------------------------------

/// Enum values the client does not know decode into the catch-all variants and are sent back
/// unchanged; the documented `UNKNOWN` value is a variant of its own.
#[tokio::test]
async fn unknown_enum_values_round_trip() {
    let spec = pieces_spec();
    let mut example = spec.named_example("GistDistribution");
    example["share"]["access"] = json!("FRIENDS_ONLY");
    example["schema"]["semantic"] = json!("MAJOR_2_MINOR_0_PATCH_0");
    example["github"]["gist"]["recipients"]["iterable"][0]["sourced"] = json!("MASTODON");
    example["share"]["schema"]["semantic"] = json!("UNKNOWN");
    let server = MockServer::start().await;
    Mock::given(any())
        .respond_with(json_response(200, &example))
        .mount(&server)
        .await;
    let client = client(&server);

    let distribution = client
        .distributions_specific_distribution_snapshot(UUID)
        .await
        .expect("unknown values decode")
        .into_inner();
    assert_eq!(
        distribution.share.access,
        AccessEnum::Other("FRIENDS_ONLY".to_string())
    );
    assert_eq!(
        distribution.schema.as_ref().unwrap().semantic,
        EmbeddedModelSchemaSemanticVersionEnum::Other("MAJOR_2_MINOR_0_PATCH_0".to_string())
    );
    assert_eq!(
        distribution.share.schema.as_ref().unwrap().semantic,
        EmbeddedModelSchemaSemanticVersionEnum::Unknown
    );
    let recipient = &distribution
        .github
        .as_ref()
        .unwrap()
        .gist
        .as_ref()
        .unwrap()
        .recipients
        .iterable[0];
    assert_eq!(
        recipient.sourced,
        Some(ExternallySourcedEnum::Other("MASTODON".to_string()))
    );
    assert_eq!(
        serde_json::to_value(&distribution).unwrap(),
        example,
        "re-serialized unchanged"
    );

    // And sent back as they came.
    client
        .distribution_update()
        .body(&distribution)
        .await
        .expect("update");
    let sent = &received(&server).await[1];
    assert_eq!(
        serde_json::from_slice::<Value>(&sent.body).unwrap(),
        example
    );
}

/// The free-form `ReferencedAsset.reference` keeps whatever JSON the server sends.
#[tokio::test]
async fn free_form_references_are_kept() {
    let spec = pieces_spec();
    let mut example = spec.named_example("GistDistribution");
    let reference =
        json!({ "id": "2254f2c8", "nested": { "deep": [1, "two", null, { "x": true }] } });
    example["share"]["assets"]["iterable"][0]["reference"] = reference.clone();
    let server = MockServer::start().await;
    Mock::given(any())
        .respond_with(json_response(200, &example))
        .mount(&server)
        .await;
    let distribution = client(&server)
        .distributions_specific_distribution_snapshot(UUID)
        .await
        .expect("decodes")
        .into_inner();
    assert_eq!(serde_json::to_value(&distribution).unwrap(), example);
}

/// A server a release behind its spec: a required property missing at the top level and in a
/// nested object, a non-nullable one `null` in an array item, one the spec does not know. The
/// client decodes it with the drift listed; the same response fails in strict mode.
#[tokio::test]
async fn a_drifting_response_decodes_with_its_drift_listed() {
    let spec = pieces_spec();
    let mut body = spec.named_example("GistDistribution");
    body.as_object_mut().unwrap().remove("updated");
    body["share"].as_object_mut().unwrap().remove("short");
    body["share"]["accessors"]["iterable"][0]["count"] = Value::Null;
    body["share"]["views"] = json!(12);
    let server = MockServer::start().await;
    Mock::given(any())
        .respond_with(json_response(200, &body))
        .mount(&server)
        .await;
    let client = client(&server);
    let distribution = client
        .distributions_specific_distribution_snapshot(UUID)
        .await
        .expect("tolerant by default");
    let drift: Vec<(String, DriftKind)> = distribution
        .drift()
        .iter()
        .map(|d| (d.path.to_string(), d.kind))
        .collect();
    // In the order met; a missing property when its object ends.
    let expected = vec![
        (
            "share.accessors.iterable[0].count".to_string(),
            DriftKind::Null,
        ),
        ("share.views".to_string(), DriftKind::Unknown),
        ("share.short".to_string(), DriftKind::Missing),
        ("updated".to_string(), DriftKind::Missing),
    ];
    assert_eq!(drift, expected);
    // The fallbacks: the empty value of each type; the rest of the body as sent.
    assert_eq!(distribution.share.short, "");
    assert_eq!(distribution.share.accessors.iterable[0].count, 0);
    assert_eq!(distribution.updated.value, "");
    assert_eq!(distribution.id, body["id"].as_str().unwrap());

    match client
        .with_decode_mode(DecodeMode::Strict)
        .distributions_specific_distribution_snapshot(UUID)
        .await
    {
        Err(Error::Decode { path, message, .. }) => {
            // The first drift in the body is the error.
            assert_eq!(path, drift[0].0);
            assert_eq!(message, drift[0].1.to_string());
        }
        other => panic!("strict mode: expected Error::Decode, got {other:?}"),
    }
}

// ---- retries and transport failures ---------------------------------------------------------

/// The GET is retried on 503 until it succeeds; the POSTs are sent once.
#[tokio::test]
async fn only_the_gets_are_retried() {
    let spec = pieces_spec();
    let server = MockServer::start().await;
    let client = client_with(&server, fast_retries(3));
    for op in ops() {
        server.reset().await;
        Mock::given(any())
            .respond_with(text_response(503, "Service Unavailable"))
            .up_to_n_times(2)
            .mount(&server)
            .await;
        Mock::given(any())
            .respond_with(json_response(op.success, &op.success_example(&spec)))
            .mount(&server)
            .await;
        let result = op.call(&client, op.args(&spec)).await;
        let requests = received(&server).await.len();
        if op.method == "GET" {
            let response = result.unwrap_or_else(|e| panic!("{}: {e:?}", op.id));
            assert_eq!(response.status().as_u16(), op.success);
            assert_eq!(requests, 3, "{}", op.id);
        } else {
            match result {
                Err(Error::UnexpectedStatus { status, body, .. }) => {
                    assert_eq!(status, StatusCode::SERVICE_UNAVAILABLE, "{}", op.id);
                    assert_eq!(body, "Service Unavailable");
                }
                other => panic!("{}: expected the undocumented 503, got {other:?}", op.id),
            }
            assert_eq!(requests, 1, "{}: a POST is sent once", op.id);
        }
    }
}

// ---- secrets and configuration --------------------------------------------------------------

#[test]
fn the_default_server_is_the_local_pieces_os() {
    assert_eq!(
        Client::new(TOKEN).unwrap().base_url(),
        "http://localhost:1000"
    );
}

/// Without an application id no `X-Application-ID` header is sent (the request still goes).
#[tokio::test]
async fn without_a_token_no_application_id_is_sent() {
    let server = MockServer::start().await;
    Mock::given(any())
        .respond_with(json_response(200, &json!({ "iterable": [] })))
        .mount(&server)
        .await;
    let client = Client::builder().base_url(server.uri()).build().unwrap();
    client.distributions_snapshot().await.expect("200");
    let request = only_request(&server, "no token").await;
    assert_eq!(super::support::header(&request, "x-application-id"), None);
}
