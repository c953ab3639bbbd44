//! The Buddy.works client against a real HTTP server on 127.0.0.1 (wiremock, started by each
//! test): every operation's request on the wire, every documented success and error, and
//! every failure class the API's types meet (undocumented status, undecodable body), plus
//! which operations are retried, raw response access and the default server. The transport
//! itself (retries, redirects, timeouts, secrets, encoding) is tested once, in
//! `runtime/tests/`.
//!
//! Request and response bodies are the examples of `spec/buddy.yaml`, read at run time, so
//! these tests follow the spec.

use std::future::Future;
use std::pin::Pin;

use super::support::{assert_request, fast_retries, only_request, received, Expected, Spec, TOKEN};
use distributions::buddy::types::{
    CreateDistributionRequest, CreateRouteRequest, DistributionIdentifier, DistributionScope,
    DistributionView, ErrorResponse, RouteTarget, RouteType, UpdateDistributionRequest,
    UpdateRouteRequest,
};
use distributions::buddy::Client;
use distributions::runtime::{
    decode, Decode, DecodeMode, Error, Json, ResponseValue, RetryPolicy, StatusCode,
};
use serde::Serialize;
use serde_json::{json, Value};
use wiremock::matchers::{any, method};
use wiremock::{Mock, MockServer, ResponseTemplate};

// ---- the operations -------------------------------------------------------------------------

/// What a test passes to an operation. Bodies are JSON (the spec's examples) and are decoded
/// into the operation's typed request body before the call.
#[derive(Clone)]
struct Args {
    workspace: String,
    distribution_id: String,
    route_id: String,
    body: Option<Value>,
    project_name: Option<String>,
    environment_id: Option<String>,
}

impl Default for Args {
    fn default() -> Self {
        Args {
            workspace: "my-workspace".to_string(),
            distribution_id: "rm1P93jG".to_string(),
            route_id: "1ObP9zw8".to_string(),
            body: None,
            project_name: Some("my-project".to_string()),
            environment_id: Some("3a4KbBQl".to_string()),
        }
    }
}

/// An operation's result with its typed body re-serialized, so that one table can hold all
/// eleven operations.
type Reply = Result<ResponseValue<Value>, Error<ErrorResponse>>;
type Call = fn(Client, Args) -> Pin<Box<dyn Future<Output = Reply> + Send>>;

struct Op {
    /// The spec's operationId.
    id: &'static str,
    method: &'static str,
    /// The path as written in the spec.
    template: &'static str,
    /// The documented success status.
    success: u16,
    /// Takes the `project_name` and `environment_id` query parameters.
    query: bool,
    call: Call,
}

/// The spec's example as the request type, decoded strictly: an example that departs from
/// its schema in any way fails.
fn typed<T: Decode>(op: &str, body: Option<Value>) -> T {
    let body = body.unwrap_or_else(|| panic!("{op} needs a body"));
    let json = serde_json::to_vec(&body).expect("JSON serializes");
    decode::from_slice(&json, DecodeMode::Strict)
        .unwrap_or_else(|e| panic!("{op}: the spec's example does not fit the request type: {e}"))
        .value
}

fn reserialize<T: Serialize>(result: Result<ResponseValue<T>, Error<ErrorResponse>>) -> Reply {
    result.map(|response| {
        response.map(|body| serde_json::to_value(body).expect("a decoded body serializes"))
    })
}

const DISTRIBUTIONS: &str = "/workspaces/{workspace}/distributions";
const DISTRIBUTION: &str = "/workspaces/{workspace}/distributions/{distribution_id}";
const DOMAINS: &str = "/workspaces/{workspace}/distributions/{distribution_id}/routable-domains";
const ROUTES: &str = "/workspaces/{workspace}/distributions/{distribution_id}/routes";
const ROUTE: &str = "/workspaces/{workspace}/distributions/{distribution_id}/routes/{route_id}";

/// The call with the query parameters `a` carries, set by name: each one that is `Some` is set,
/// each `None` is left out.
macro_rules! with_query {
    ($call:expr, $a:expr) => {{
        let mut call = $call;
        if let Some(project_name) = $a.project_name.as_deref() {
            call = call.project_name(project_name);
        }
        if let Some(environment_id) = $a.environment_id.as_deref() {
            call = call.environment_id(environment_id);
        }
        call
    }};
}

/// All eleven operations of `spec/buddy.yaml`.
fn ops() -> Vec<Op> {
    vec![
        Op {
            id: "listDistributions",
            method: "GET",
            template: DISTRIBUTIONS,
            success: 200,
            query: true,
            call: |c, a| {
                Box::pin(async move {
                    reserialize(with_query!(c.list_distributions(&a.workspace), a).await)
                })
            },
        },
        Op {
            id: "createDistribution",
            method: "POST",
            template: DISTRIBUTIONS,
            success: 201,
            query: false,
            call: |c, a| {
                Box::pin(async move {
                    let body: CreateDistributionRequest = typed("createDistribution", a.body);
                    reserialize(c.create_distribution(&a.workspace, &body).await)
                })
            },
        },
        Op {
            id: "getDistribution",
            method: "GET",
            template: DISTRIBUTION,
            success: 200,
            query: true,
            call: |c, a| {
                Box::pin(async move {
                    reserialize(
                        with_query!(c.get_distribution(&a.workspace, &a.distribution_id), a).await,
                    )
                })
            },
        },
        Op {
            id: "updateDistribution",
            method: "PATCH",
            template: DISTRIBUTION,
            success: 200,
            query: true,
            call: |c, a| {
                Box::pin(async move {
                    let body: UpdateDistributionRequest = typed("updateDistribution", a.body);
                    reserialize(
                        with_query!(
                            c.update_distribution(&a.workspace, &a.distribution_id, &body),
                            a
                        )
                        .await,
                    )
                })
            },
        },
        Op {
            id: "deleteDistribution",
            method: "DELETE",
            template: DISTRIBUTION,
            success: 204,
            query: true,
            call: |c, a| {
                Box::pin(async move {
                    reserialize(
                        with_query!(c.delete_distribution(&a.workspace, &a.distribution_id), a)
                            .await,
                    )
                })
            },
        },
        Op {
            id: "getRoutableDomains",
            method: "GET",
            template: DOMAINS,
            success: 200,
            query: true,
            call: |c, a| {
                Box::pin(async move {
                    reserialize(
                        with_query!(c.get_routable_domains(&a.workspace, &a.distribution_id), a)
                            .await,
                    )
                })
            },
        },
        Op {
            id: "listRoutes",
            method: "GET",
            template: ROUTES,
            success: 200,
            query: true,
            call: |c, a| {
                Box::pin(async move {
                    reserialize(
                        with_query!(c.list_routes(&a.workspace, &a.distribution_id), a).await,
                    )
                })
            },
        },
        Op {
            id: "createRoute",
            method: "POST",
            template: ROUTES,
            success: 201,
            query: true,
            call: |c, a| {
                Box::pin(async move {
                    let body: CreateRouteRequest = typed("createRoute", a.body);
                    reserialize(
                        with_query!(c.create_route(&a.workspace, &a.distribution_id, &body), a)
                            .await,
                    )
                })
            },
        },
        Op {
            id: "getRoute",
            method: "GET",
            template: ROUTE,
            success: 200,
            query: true,
            call: |c, a| {
                Box::pin(async move {
                    reserialize(
                        with_query!(
                            c.get_route(&a.workspace, &a.distribution_id, &a.route_id),
                            a
                        )
                        .await,
                    )
                })
            },
        },
        Op {
            id: "updateRoute",
            method: "PATCH",
            template: ROUTE,
            success: 200,
            query: true,
            call: |c, a| {
                Box::pin(async move {
                    let body: UpdateRouteRequest = typed("updateRoute", a.body);
                    reserialize(
                        with_query!(
                            c.update_route(&a.workspace, &a.distribution_id, &a.route_id, &body),
                            a
                        )
                        .await,
                    )
                })
            },
        },
        Op {
            id: "deleteRoute",
            method: "DELETE",
            template: ROUTE,
            success: 204,
            query: true,
            call: |c, a| {
                Box::pin(async move {
                    reserialize(
                        with_query!(
                            c.delete_route(&a.workspace, &a.distribution_id, &a.route_id),
                            a
                        )
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
    fn is_idempotent(&self) -> bool {
        matches!(self.method, "GET" | "DELETE" | "PUT")
    }

    /// The raw path the server must see for these (already percent-encoded) parameters.
    fn path(&self, workspace: &str, distribution_id: &str, route_id: &str) -> String {
        self.template
            .replace("{workspace}", workspace)
            .replace("{distribution_id}", distribution_id)
            .replace("{route_id}", route_id)
    }

    /// The spec's request examples; a single `None` for operations without a body.
    fn request_examples(&self, spec: &Spec) -> Vec<(String, Option<Value>)> {
        let examples = spec.request_examples(self.template, self.method);
        if examples.is_empty() {
            vec![("no body".to_string(), None)]
        } else {
            examples
                .into_iter()
                .map(|(name, value)| (name, Some(value)))
                .collect()
        }
    }

    /// Args with the first request example as body.
    fn args(&self, spec: &Spec) -> Args {
        Args {
            body: self.request_examples(spec).remove(0).1,
            ..Args::default()
        }
    }

    /// The spec's example of the success response, or `null` for a response without a body.
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

/// A documented success response: the example body (if any) and the rate-limit headers.
fn success(status: u16, body: &Value) -> ResponseTemplate {
    let template = ResponseTemplate::new(status)
        .insert_header("X-Rate-Limit-Limit", "1")
        .insert_header("X-Rate-Limit-Remaining", "999")
        .insert_header("X-Rate-Limit-Reset", "1782748800");
    if body.is_null() {
        template
    } else {
        template.set_body_json(body)
    }
}

fn error_body(messages: &[&str]) -> Value {
    json!({ "errors": messages.iter().map(|m| json!({ "message": m })).collect::<Vec<_>>() })
}

fn buddy_spec() -> Spec {
    Spec::load("buddy.yaml")
}

// ---- per operation --------------------------------------------------------------------------

/// Method, path, query string, headers and body (each of the spec's request examples) as the
/// server sees them, and the call succeeds.
async fn sends_the_documented_request(id: &str) {
    let spec = buddy_spec();
    let op = op(id);
    let server = MockServer::start().await;
    let client = client(&server);
    let expected_path = op.path("my-workspace", "rm1P93jG", "1ObP9zw8");
    let mut cases: Vec<(String, Option<Value>, bool)> = op
        .request_examples(&spec)
        .into_iter()
        .map(|(name, body)| (name, body, true))
        .collect();
    // Once more without the optional query parameters: then there is no query string at all.
    let first_body = cases[0].1.clone();
    cases.push(("without query parameters".to_string(), first_body, false));

    for (name, body, with_query) in cases {
        let context = format!("{id} ({name})");
        server.reset().await;
        Mock::given(any())
            .respond_with(success(op.success, &op.success_example(&spec)))
            .mount(&server)
            .await;
        let args = Args {
            body: body.clone(),
            project_name: with_query.then(|| "my-project".to_string()),
            environment_id: with_query.then(|| "3a4KbBQl".to_string()),
            ..Args::default()
        };
        let response = op
            .call(&client, args)
            .await
            .unwrap_or_else(|e| panic!("{context}: {e:?}"));
        assert_eq!(response.status().as_u16(), op.success, "{context}: status");

        let request = only_request(&server, &context).await;
        let query =
            (op.query && with_query).then_some("project_name=my-project&environment_id=3a4KbBQl");
        assert_request(
            &request,
            &Expected {
                method: op.method,
                path: &expected_path,
                query,
                accept: "application/json",
                auth: ("authorization", "Bearer TOKEN"),
                body: body.as_ref(),
            },
            &context,
        );
    }
}

/// Every example of the documented success response decodes, and re-serializes to the same
/// JSON (nothing lost, nothing invented); the status and headers stay available.
async fn decodes_every_documented_success(id: &str) {
    let spec = buddy_spec();
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
        assert_eq!(op.success, 204, "{id}: only the 204s have no example");
        examples.push(("no content".to_string(), Value::Null));
    }
    for (name, example) in examples {
        let context = format!("{id} ({name})");
        server.reset().await;
        Mock::given(any())
            .respond_with(success(op.success, &example))
            .mount(&server)
            .await;
        let response = op
            .call(&client, op.args(&spec))
            .await
            .unwrap_or_else(|e| panic!("{context}: {e:?}"));
        assert_eq!(response.status().as_u16(), op.success, "{context}");
        assert_eq!(
            response.headers()["x-rate-limit-remaining"],
            "999",
            "{context}"
        );
        assert_eq!(
            response.into_inner(),
            example,
            "{context}: the decoded body differs from the example"
        );
    }
}

/// Every 4xx/5xx with the documented `{"errors":[{"message":...}]}` body is `Error::Api` with
/// the status, the headers and every message.
async fn documented_errors_are_api_errors(id: &str) {
    let spec = buddy_spec();
    let op = op(id);
    let server = MockServer::start().await;
    // No retries, so that 429/502/503/504 are answered at once.
    let client = client_with(&server, RetryPolicy::none());
    // The spec's own error example first.
    let documented = spec.response_examples(op.template, op.method, "4XX", "application/json");
    assert_eq!(documented.len(), 1, "{id}: the 4XX example");
    let documented = documented[0].1.clone();
    for status in [
        400u16, 401, 403, 404, 405, 409, 422, 429, 500, 502, 503, 504,
    ] {
        for body in [
            documented.clone(),
            error_body(&["Validation failed", &format!("status {status}")]),
        ] {
            let context = format!("{id} → {status} {body}");
            server.reset().await;
            Mock::given(any())
                .respond_with(
                    ResponseTemplate::new(status)
                        .set_body_json(&body)
                        .insert_header("X-Request-Id", "req-1"),
                )
                .mount(&server)
                .await;
            let error = op.call(&client, op.args(&spec)).await.expect_err(&context);
            assert_eq!(
                error.status(),
                Some(StatusCode::from_u16(status).unwrap()),
                "{context}"
            );
            let Error::Api(api) = &error else {
                panic!("{context}: expected Error::Api, got {error:?}");
            };
            assert_eq!(api.status.as_u16(), status, "{context}");
            assert_eq!(api.headers["x-request-id"], "req-1", "{context}");
            let messages: Vec<&str> = api.body.errors.iter().map(|e| e.message.as_str()).collect();
            let expected: Vec<&str> = body["errors"]
                .as_array()
                .unwrap()
                .iter()
                .map(|e| e["message"].as_str().unwrap())
                .collect();
            assert_eq!(messages, expected, "{context}");
            assert!(error.api_body().is_some(), "{context}");
            assert!(
                error.to_string().contains(&status.to_string()),
                "{context}: {error}"
            );
        }
        assert_eq!(
            received(&server).await.len(),
            1,
            "{id} → {status}: not retried with RetryPolicy::none()"
        );
    }
}

/// An undocumented status, a non-JSON body and a body of the wrong shape are typed errors
/// that keep the status, the headers, the raw body and (for decoding) the failing path.
async fn undocumented_and_undecodable_responses_are_typed_errors(id: &str) {
    let spec = buddy_spec();
    let op = op(id);
    let server = MockServer::start().await;
    let client = client_with(&server, RetryPolicy::none());

    // Undocumented statuses: the body is kept as text, whatever it is.
    for (status, body) in [
        (202u16, "{\"queued\":true}"),
        (203, "<html>proxy</html>"),
        (206, ""),
    ] {
        let context = format!("{id} → {status}");
        server.reset().await;
        Mock::given(any())
            .respond_with(
                ResponseTemplate::new(status)
                    .set_body_string(body)
                    .insert_header("X-Request-Id", "req-2"),
            )
            .mount(&server)
            .await;
        match op.call(&client, op.args(&spec)).await {
            Err(Error::UnexpectedStatus {
                status: got,
                headers,
                body: raw,
            }) => {
                assert_eq!(got.as_u16(), status, "{context}");
                assert_eq!(headers["x-request-id"], "req-2", "{context}");
                assert_eq!(raw, body, "{context}");
            }
            other => panic!("{context}: expected UnexpectedStatus, got {other:?}"),
        }
    }

    // Bodies that do not decode: on the success status (if it has a body) and on an error status.
    let mut cases: Vec<(u16, &str, &str)> = vec![
        (500, "<html><body>Bad gateway</body></html>", "."),
        (404, "{\"errors\":\"not a list\"}", "errors"),
        (422, "{\"errors\":[{\"message\":5}]}", "errors[0].message"),
        (400, "{\"errors\":[]} trailing", "."),
    ];
    if op.success != 204 {
        cases.extend([
            (op.success, "not json at all", "."),
            (op.success, "", "."),
            (op.success, "true", "."),
            (op.success, "{\"url\":42}", "url"),
        ]);
    }
    for (status, body, path) in cases {
        let context = format!("{id} → {status} {body:?}");
        server.reset().await;
        Mock::given(any())
            .respond_with(ResponseTemplate::new(status).set_body_raw(body, "application/json"))
            .mount(&server)
            .await;
        match op.call(&client, op.args(&spec)).await {
            Err(Error::Decode {
                status: got,
                headers,
                body: raw,
                path: failed_at,
                message,
            }) => {
                assert_eq!(got.as_u16(), status, "{context}");
                assert_eq!(headers["content-type"], "application/json", "{context}");
                assert_eq!(raw, body, "{context}: the raw body is kept");
                assert_eq!(failed_at, path, "{context}: {message}");
                assert!(!message.is_empty(), "{context}");
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
            async fn documented_errors_are_api_errors() {
                super::documented_errors_are_api_errors($id).await;
            }

            #[tokio::test]
            async fn undocumented_and_undecodable_responses_are_typed_errors() {
                super::undocumented_and_undecodable_responses_are_typed_errors($id).await;
            }
        }
    )*};
}

operation_tests! {
    list_distributions => "listDistributions",
    create_distribution => "createDistribution",
    get_distribution => "getDistribution",
    update_distribution => "updateDistribution",
    delete_distribution => "deleteDistribution",
    get_routable_domains => "getRoutableDomains",
    list_routes => "listRoutes",
    create_route => "createRoute",
    get_route => "getRoute",
    update_route => "updateRoute",
    delete_route => "deleteRoute",
}

/// The table above covers the spec: every operation, with its method, path and statuses.
#[test]
fn the_table_covers_every_operation_of_the_spec() {
    let spec = buddy_spec();
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
    assert_eq!(tested.len(), 11);
    for op in ops() {
        let statuses = spec.statuses(op.template, op.method);
        assert_eq!(
            statuses,
            [op.success.to_string(), "4XX".to_string(), "5XX".to_string()],
            "{}",
            op.id
        );
    }
}

// ---- decoding -------------------------------------------------------------------------------

/// The seed's create response (three routes: EXTERNAL, TUNNEL and three regional EXTERNAL
/// targets) decodes into the typed view, field by field.
#[tokio::test]
async fn create_distribution_decodes_the_seeds_three_route_example() {
    let spec = buddy_spec();
    let example = spec.named_example("DistributionWithThreeRoutes");
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .respond_with(success(201, &example))
        .mount(&server)
        .await;
    let body = CreateDistributionRequest {
        name: "My Distribution".to_string(),
        scope: DistributionScope::Workspace,
        identifier: Some(DistributionIdentifier::try_from("my-distribution").unwrap()),
        project_name: None,
        environment_id: None,
        permissions: None,
    };
    let created = client(&server)
        .create_distribution("my-workspace", &body)
        .await
        .expect("201 decodes");
    assert_eq!(created.status(), StatusCode::CREATED);
    let view: &DistributionView = &created;
    assert_eq!(view.id.as_deref(), Some("rm1P93jG"));
    assert_eq!(
        view.identifier.as_ref().map(DistributionIdentifier::as_str),
        Some("test")
    );
    assert_eq!(view.scope, Some(DistributionScope::Workspace));
    let routes = view.routes.as_ref().expect("routes");
    assert_eq!(routes.len(), 3);
    assert!(routes.iter().all(|r| r.r#type == Some(RouteType::Proxy)));
    match &routes[0].targets.as_ref().unwrap()["Default"] {
        RouteTarget::External(target) => {
            assert_eq!(target.external_url.as_deref(), Some("kordos.com"))
        }
        other => panic!("route 1: {other:?}"),
    }
    match &routes[1].targets.as_ref().unwrap()["Default"] {
        RouteTarget::Tunnel(target) => {
            let tunnel = target.tunnel.as_ref().unwrap();
            assert_eq!(
                (tunnel.id.as_deref(), tunnel.tunnel_id.as_deref()),
                (Some("bartshoot"), Some("test"))
            );
        }
        other => panic!("route 2: {other:?}"),
    }
    let regional = routes[2].targets.as_ref().unwrap();
    assert_eq!(
        regional.keys().map(String::as_str).collect::<Vec<_>>(),
        ["CONTINENT-Europe", "COUNTRY-PL", "Default"]
    );
    assert_eq!(routes[2].path.as_deref(), Some("asd"));
    assert_eq!(
        routes[0].path.as_deref(),
        Some(""),
        "an empty path is a value, not an absence"
    );
    let permissions = view.permissions.as_ref().unwrap();
    assert_eq!(permissions.users.as_ref().unwrap()[0].id, Some(1));
    // And nothing was lost.
    assert_eq!(serde_json::to_value(created.into_inner()).unwrap(), example);
}

/// Values the client does not know (a new scope, route type, zone type, access level and an
/// ARTIFACT route target) decode into the catch-all variants and are sent back unchanged.
#[tokio::test]
async fn unknown_enum_values_and_target_types_round_trip() {
    let spec = buddy_spec();
    let mut example = spec.named_example("DistributionWithThreeRoutes");
    let artifact = json!({ "type": "ARTIFACT", "artifact": { "id": "a", "version": "1" } });
    example["scope"] = json!("GALAXY");
    example["permissions"]["others"] = json!("OVERLORD");
    example["routes"][0]["type"] = json!("TELEPORT");
    example["routes"][0]["zone_type"] = json!("QUANTUM");
    example["routes"][0]["targets"]["Default"] = artifact.clone();
    example["routes"][2]["targets"]["COUNTRY-PL"] = json!({ "kind": "untagged", "x": 1 });
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .respond_with(success(200, &example))
        .mount(&server)
        .await;
    Mock::given(method("PATCH"))
        .respond_with(success(200, &example["routes"][0]))
        .mount(&server)
        .await;
    let client = client(&server);

    let view = client
        .get_distribution("my-workspace", "rm1P93jG")
        .await
        .expect("unknown values decode")
        .into_inner();
    assert_eq!(
        view.scope,
        Some(DistributionScope::Unknown("GALAXY".to_string()))
    );
    let routes = view.routes.as_ref().unwrap();
    assert_eq!(
        routes[0].r#type,
        Some(RouteType::Unknown("TELEPORT".to_string()))
    );
    assert_eq!(
        routes[0].zone_type.as_ref().map(|z| z.as_str()),
        Some("QUANTUM")
    );
    assert_eq!(
        routes[0].targets.as_ref().unwrap()["Default"],
        RouteTarget::Unknown(artifact.clone())
    );
    assert_eq!(
        routes[2].targets.as_ref().unwrap()["COUNTRY-PL"],
        RouteTarget::Unknown(json!({ "kind": "untagged", "x": 1 })),
        "an object without the tag is kept too"
    );
    assert_eq!(
        view.permissions
            .as_ref()
            .unwrap()
            .others
            .as_ref()
            .unwrap()
            .as_str(),
        "OVERLORD"
    );
    assert_eq!(
        serde_json::to_value(&view).unwrap(),
        example,
        "re-serialized unchanged"
    );

    // Sent back to the server as they came.
    let update = UpdateRouteRequest {
        r#type: routes[0].r#type.clone(),
        targets: routes[0].targets.clone(),
        ..UpdateRouteRequest::default()
    };
    let updated = client
        .update_route("my-workspace", "rm1P93jG", "1ObP9zw8", &update)
        .await
        .expect("update");
    assert_eq!(
        updated.targets.as_ref().unwrap()["Default"],
        RouteTarget::Unknown(artifact.clone())
    );
    let sent = &received(&server).await[1];
    assert_eq!(
        serde_json::from_slice::<Value>(&sent.body).unwrap(),
        json!({ "type": "TELEPORT", "targets": { "Default": artifact } })
    );
}

/// A field that fails deep inside a tagged union is reported with its full path.
#[tokio::test]
async fn decode_errors_name_the_failing_field() {
    let spec = buddy_spec();
    let server = MockServer::start().await;
    // Strict: the pattern and missing-field cases are drift, tolerated by default.
    let client = client_with(&server, RetryPolicy::none()).with_decode_mode(DecodeMode::Strict);
    let example = spec.named_example("DistributionWithThreeRoutes");
    let cases: Vec<(&str, Value, &str)> = vec![
        (
            "/routes/1/targets/Default/tunnel/id",
            json!(7),
            "routes[1].targets.Default.tunnel.id",
        ),
        (
            "/routes/2/targets/COUNTRY-PL/external_url",
            json!(["x"]),
            "routes[2].targets.COUNTRY-PL.external_url",
        ),
        (
            "/routes/0/targets/Default",
            json!("EXTERNAL"),
            "routes[0].targets.Default",
        ),
        ("/routes/0/id", json!(1), "routes[0].id"),
        (
            "/permissions/users/0/id",
            json!("one"),
            "permissions.users[0].id",
        ),
        ("/identifier", json!("-bad-"), "identifier"),
        ("/routes", json!({}), "routes"),
    ];
    for (pointer, value, path) in cases {
        let mut body = example.clone();
        *body.pointer_mut(pointer).unwrap() = value.clone();
        server.reset().await;
        Mock::given(any())
            .respond_with(success(200, &body))
            .mount(&server)
            .await;
        match client.get_distribution("my-workspace", "rm1P93jG").await {
            Err(Error::Decode {
                status,
                body: raw,
                path: failed_at,
                message,
                ..
            }) => {
                assert_eq!(status, StatusCode::OK);
                assert_eq!(
                    serde_json::from_str::<Value>(&raw).unwrap(),
                    body,
                    "{pointer}: the raw body is kept"
                );
                assert_eq!(failed_at, path, "{pointer} = {value}: {message}");
            }
            other => panic!("{pointer} = {value}: expected Error::Decode, got {other:?}"),
        }
    }

    // A missing required field is reported at the field.
    let mut body = spec
        .response_examples(DISTRIBUTION, "get", "200", "application/json")
        .into_iter()
        .find(|(name, _)| name == "environmentScoped")
        .unwrap()
        .1;
    body["project"]
        .as_object_mut()
        .unwrap()
        .remove("display_name");
    server.reset().await;
    Mock::given(any())
        .respond_with(success(200, &body))
        .mount(&server)
        .await;
    match client.get_distribution("my-workspace", "gNYmaWYw").await {
        Err(Error::Decode { path, message, .. }) => {
            assert_eq!(path, "project.display_name");
            assert_eq!(message, "missing required property");
        }
        other => panic!("expected Error::Decode, got {other:?}"),
    }
}

// ---- requests -------------------------------------------------------------------------------

/// An identifier that breaks the documented rule cannot be constructed, cannot be decoded
/// into a request body, and so no request carrying it can reach the server.
#[tokio::test]
async fn an_invalid_identifier_is_refused_before_anything_is_sent() {
    let server = MockServer::start().await;
    Mock::given(any())
        .respond_with(success(201, &json!({})))
        .mount(&server)
        .await;
    let client = client(&server);

    for bad in [
        "-bad",
        "bad-",
        "-",
        "",
        "a b",
        "a/b",
        "ünïcode",
        "a.b",
        "a\nb",
    ] {
        let error = DistributionIdentifier::try_from(bad).expect_err(bad);
        assert_eq!(error.value, bad);
        assert_eq!(error.pattern, DistributionIdentifier::PATTERN);
        assert_eq!(error.type_name, "DistributionIdentifier");
        assert!(bad.parse::<DistributionIdentifier>().is_err(), "{bad}");
        assert!(
            DistributionIdentifier::new(bad.to_string()).is_err(),
            "{bad}"
        );
    }
    for good in ["my-distribution", "a", "_", "a-b_c-1", "A9"] {
        assert_eq!(
            DistributionIdentifier::try_from(good).expect(good).as_str(),
            good
        );
    }

    // Request bodies built from untrusted JSON are refused while decoding.
    let create = json!({ "name": "My Distribution", "scope": "WORKSPACE", "identifier": "-bad" });
    let error =
        serde_json::from_value::<Json<CreateDistributionRequest>>(create).expect_err("create body");
    assert!(error.to_string().contains("-bad"), "{error}");
    let update = json!({ "identifier": "bad-" });
    assert!(serde_json::from_value::<Json<UpdateDistributionRequest>>(update).is_err());

    // The only way to a request is through a valid identifier: a caller that validates user
    // input with the type sends nothing when it is invalid.
    async fn create_from_input(client: &Client, identifier: &str) -> Result<(), String> {
        let identifier = DistributionIdentifier::try_from(identifier).map_err(|e| e.to_string())?;
        let body = CreateDistributionRequest {
            name: "My Distribution".to_string(),
            scope: DistributionScope::Workspace,
            identifier: Some(identifier),
            project_name: None,
            environment_id: None,
            permissions: None,
        };
        client
            .create_distribution("my-workspace", &body)
            .await
            .map_err(|e| e.to_string())?;
        Ok(())
    }
    let refused = create_from_input(&client, "-bad")
        .await
        .expect_err("refused");
    assert!(
        refused.contains("is not a valid DistributionIdentifier"),
        "{refused}"
    );
    assert_eq!(received(&server).await.len(), 0, "nothing was sent");
    // The same path with a valid identifier does reach the server.
    create_from_input(&client, "my-distribution")
        .await
        .expect("valid");
    assert_eq!(received(&server).await.len(), 1);
}

// ---- raw response access --------------------------------------------------------------------

/// Status and headers (the rate-limit headers) are available next to the typed body; so are
/// the headers of an error.
#[tokio::test]
async fn the_raw_response_is_available_with_the_typed_body() {
    let spec = buddy_spec();
    let server = MockServer::start().await;
    let example = op("listDistributions").success_example(&spec);
    Mock::given(any())
        .respond_with(success(200, &example))
        .up_to_n_times(1)
        .mount(&server)
        .await;
    Mock::given(any())
        .respond_with(
            ResponseTemplate::new(429)
                .insert_header("X-Rate-Limit-Remaining", "0")
                .set_body_json(error_body(&["Too many requests"])),
        )
        .mount(&server)
        .await;
    let client = client_with(&server, RetryPolicy::none());

    let response = client
        .list_distributions("my-workspace")
        .await
        .expect("200");
    assert_eq!(response.status(), StatusCode::OK);
    let remaining: u32 = response.headers()["X-Rate-Limit-Remaining"]
        .to_str()
        .unwrap()
        .parse()
        .unwrap();
    assert_eq!(remaining, 999);
    assert_eq!(response.headers()["x-rate-limit-reset"], "1782748800");
    // Deref to the body without giving up the headers...
    let first = &response.distributions.as_ref().unwrap()[0];
    assert_eq!(first.id.as_deref(), Some("rm1P93jG"));
    // ...and take the body out when done.
    let list = response.into_inner();
    assert_eq!(list.distributions.unwrap().len(), 1);

    let error = client
        .list_distributions("my-workspace")
        .await
        .expect_err("429");
    match error {
        Error::Api(api) => {
            assert_eq!(api.status, StatusCode::TOO_MANY_REQUESTS);
            assert_eq!(api.headers["x-rate-limit-remaining"], "0");
            assert_eq!(api.body.errors[0].message, "Too many requests");
        }
        other => panic!("{other:?}"),
    }
}

// ---- retries --------------------------------------------------------------------------------

/// Which operations the client marks idempotent: the GETs and DELETEs are retried after a
/// 503, the POSTs and PATCHes are sent once. (How retries behave is the runtime's, tested in
/// `runtime/tests/retry.rs`.)
#[tokio::test]
async fn only_the_idempotent_operations_are_retried() {
    let spec = buddy_spec();
    let server = MockServer::start().await;
    let client = client_with(&server, fast_retries(1));
    for op in ops() {
        server.reset().await;
        Mock::given(any())
            .respond_with(ResponseTemplate::new(503).set_body_json(error_body(&["try again"])))
            .up_to_n_times(1)
            .mount(&server)
            .await;
        Mock::given(any())
            .respond_with(success(op.success, &op.success_example(&spec)))
            .mount(&server)
            .await;
        let result = op.call(&client, op.args(&spec)).await;
        let sent = received(&server).await.len();
        if op.is_idempotent() {
            result.unwrap_or_else(|e| panic!("{}: {e:?}", op.id));
            assert_eq!(sent, 2, "{}", op.id);
        } else {
            match result {
                Err(Error::Api(api)) => assert_eq!(api.status, StatusCode::SERVICE_UNAVAILABLE),
                other => panic!("{}: expected the documented 503, got {other:?}", op.id),
            }
            assert_eq!(sent, 1, "{}: sent once", op.id);
        }
    }
    assert_eq!(ops().iter().filter(|op| op.is_idempotent()).count(), 7);
}

// ---- secrets and configuration --------------------------------------------------------------

/// The default server is the spec's; the EU region is a `base_url` away.
#[test]
fn the_default_server_is_the_specs() {
    assert_eq!(
        Client::new(TOKEN).unwrap().base_url(),
        "https://api.buddy.works"
    );
    let eu = Client::builder()
        .base_url("https://api.eu.buddy.works/")
        .token(TOKEN)
        .build()
        .unwrap();
    assert_eq!(eu.base_url(), "https://api.eu.buddy.works");
}

/// Any call can take its success's body as it is (for a cache, a proxy, a representation
/// the spec does not list) with status and headers, or as a stream; an error status is still
/// the documented error.
#[tokio::test]
async fn a_call_can_return_its_body_raw_or_streamed() {
    let server = MockServer::start().await;
    let example = buddy_spec().named_example("DistributionWithThreeRoutes");
    Mock::given(method("GET"))
        .and(wiremock::matchers::path(
            "/workspaces/my-workspace/distributions/rm1P93jG",
        ))
        .respond_with(success(200, &example))
        .mount(&server)
        .await;
    let client = client(&server);
    let raw = client
        .get_distribution("my-workspace", "rm1P93jG")
        .text()
        .await
        .expect("raw");
    assert_eq!(raw.status(), 200);
    assert_eq!(
        serde_json::from_str::<serde_json::Value>(&raw).unwrap(),
        example
    );
    let streamed = client
        .get_distribution("my-workspace", "rm1P93jG")
        .stream()
        .await
        .expect("stream")
        .into_inner()
        .to_bytes()
        .await
        .expect("body");
    assert_eq!(
        serde_json::from_slice::<serde_json::Value>(&streamed).unwrap(),
        example
    );
    match client
        .get_distribution("my-workspace", "other")
        .bytes()
        .await
    {
        Err(error) => assert_eq!(error.status().map(|s| s.as_u16()), Some(404)),
        Ok(value) => panic!("expected the 404, got {}", value.status()),
    }
}

/// A method borrows its arguments only while it runs: the call it returns owns the
/// assembled request, its future (`send`) is `Send + 'static`, and so can be spawned after
/// the arguments are gone. Nothing is sent until the future runs, and an argument that cannot be sent is
/// reported when it is awaited, with no request made.
#[tokio::test]
async fn calls_are_spawnable_futures_that_send_when_awaited() {
    let server = MockServer::start().await;
    let example = buddy_spec().named_example("DistributionWithThreeRoutes");
    Mock::given(method("GET"))
        .respond_with(success(200, &example))
        .mount(&server)
        .await;
    let client = client(&server);

    let pending = {
        let workspace = String::from("my-workspace");
        let distribution = String::from("rm1P93jG");
        client.get_distribution(&workspace, &distribution)
    };
    assert!(received(&server).await.is_empty(), "sent before awaited");
    let view = tokio::spawn(pending.send())
        .await
        .expect("the task ran")
        .expect("the call succeeded")
        .into_inner();
    assert_eq!(view.id.as_deref(), example["id"].as_str());
    let request = only_request(&server, "spawned call").await;
    assert_eq!(
        request.url.path(),
        "/workspaces/my-workspace/distributions/rm1P93jG"
    );

    let refused = client.get_distribution("my-workspace", "..");
    match refused.await {
        Err(Error::InvalidRequest(message)) => assert!(message.contains("`..`"), "{message}"),
        other => panic!("expected InvalidRequest, got {other:?}"),
    }
    assert_eq!(
        received(&server).await.len(),
        1,
        "the invalid call sent nothing"
    );
}
