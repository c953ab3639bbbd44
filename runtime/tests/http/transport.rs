//! Requests and responses on 127.0.0.1 as the server sees them: path segments, query styles,
//! headers, cookies, each body kind, text and bytes responses, the base URL, the calling
//! convention, timeouts, a user-supplied HTTP client and transport failures.

use std::time::{Duration, Instant};

use super::common::{fast_retries, Api, TOKEN};
use generator_runtime::{AuthScheme, Error, QueryStyle, RetryPolicy};
use serde_json::json;
use wiremock::matchers::any;
use wiremock::{Mock, MockServer, Request, ResponseTemplate};

async fn server_answering(template: ResponseTemplate) -> MockServer {
    let server = MockServer::start().await;
    Mock::given(any())
        .respond_with(template)
        .mount(&server)
        .await;
    server
}

async fn ok_server() -> MockServer {
    server_answering(ResponseTemplate::new(200).set_body_string("ok")).await
}

fn plain(server: &MockServer) -> Api {
    super::common::client(server, RetryPolicy::none())
}

async fn only_request(server: &MockServer) -> Request {
    let mut requests = server.received_requests().await.expect("recording");
    assert_eq!(requests.len(), 1, "expected exactly one request");
    requests.remove(0)
}

fn header<'a>(request: &'a Request, name: &str) -> Option<&'a str> {
    request.headers.get(name).map(|v| v.to_str().unwrap())
}

// ---- path -----------------------------------------------------------------------------------

/// Path parameters are percent-encoded per segment: `/`, `?`, `#`, `%`, spaces and `..`
/// cannot change which path is requested; `.`, `..` and empty values are refused with
/// nothing sent.
#[tokio::test]
async fn path_parameters_cannot_change_the_path() {
    let server = ok_server().await;
    let client = plain(&server);
    for (value, encoded) in [
        ("a/b c", "a%2Fb%20c"),
        ("../x", "..%2Fx"),
        ("x/../../admin", "x%2F..%2F..%2Fadmin"),
        ("?x=1#f", "%3Fx%3D1%23f"),
        ("%2E%2E", "%252E%252E"),
        ("100%", "100%25"),
        ("ü", "%C3%BC"),
        ("...", "..."),
    ] {
        server.reset().await;
        Mock::given(any())
            .respond_with(ResponseTemplate::new(200))
            .mount(&server)
            .await;
        let mut request = client.request("GET", "/items/");
        request.push_path_param(value);
        request.push_path("/tail");
        client.text(request).await.expect(value);
        let received = only_request(&server).await;
        assert_eq!(
            received.url.path(),
            format!("/items/{encoded}/tail"),
            "{value:?}"
        );
        assert_eq!(received.url.query(), None, "{value:?}");
    }
    server.reset().await;
    for bad in [".", "..", ""] {
        let mut request = client.request("GET", "/items/");
        request.push_path_param(bad);
        match client.text(request).await {
            Err(Error::InvalidRequest(message)) => assert!(!message.is_empty()),
            other => panic!("{bad:?} must be refused, got {other:?}"),
        }
    }
    assert!(server.received_requests().await.unwrap().is_empty());
}

/// A base URL with a path prefix keeps it; a trailing slash does not double the separator.
#[tokio::test]
async fn a_base_url_path_prefix_is_kept() {
    let server = ok_server().await;
    let client = super::common::builder(&format!("{}/api/", server.uri()), AuthScheme::None)
        .build()
        .unwrap();
    assert_eq!(client.0.base_url(), format!("{}/api", server.uri()));
    client.get("/items").await.expect("200");
    assert_eq!(only_request(&server).await.url.path(), "/api/items");
}

// ---- query ----------------------------------------------------------------------------------

/// Each query style as received: arrays repeated (form, explode), comma-joined (form, no
/// explode), space- and pipe-delimited; objects as their fields (form, explode), flattened
/// (no explode) and `deepObject`. Values are form-encoded, so `&`, `=`, `#` and non-ASCII
/// cannot add parameters.
#[tokio::test]
async fn query_parameters_in_each_style() {
    let server = ok_server().await;
    let client = plain(&server);
    let list = json!(["a", "b c", 3]);
    let object = json!({ "color": "red", "size": 3, "none": null });
    let cases = [
        ("k", &list, QueryStyle::Repeat, "k=a&k=b+c&k=3"),
        ("k", &list, QueryStyle::Comma, "k=a%2Cb+c%2C3"),
        ("k", &list, QueryStyle::Space, "k=a+b+c+3"),
        ("k", &list, QueryStyle::Pipe, "k=a%7Cb+c%7C3"),
        ("f", &object, QueryStyle::Repeat, "color=red&size=3"),
        ("f", &object, QueryStyle::Comma, "f=color%2Cred%2Csize%2C3"),
        (
            "f",
            &object,
            QueryStyle::DeepObject,
            "f%5Bcolor%5D=red&f%5Bsize%5D=3",
        ),
    ];
    for (name, value, style, expected) in cases {
        server.reset().await;
        Mock::given(any())
            .respond_with(ResponseTemplate::new(200))
            .mount(&server)
            .await;
        let mut request = client.request("GET", "/q");
        request.query(name, value, style);
        request.query("absent", &None::<u32>, QueryStyle::Repeat);
        client.text(request).await.expect("200");
        let received = only_request(&server).await;
        assert_eq!(received.url.query(), Some(expected), "{style:?} {value}");
    }

    server.reset().await;
    Mock::given(any())
        .respond_with(ResponseTemplate::new(200))
        .mount(&server)
        .await;
    let hostile = "my project&admin=1#frag";
    let mut request = client.request("GET", "/q");
    request.query("name", hostile, QueryStyle::Repeat);
    request.query("env", "ü/?", QueryStyle::Repeat);
    client.text(request).await.expect("200");
    let received = only_request(&server).await;
    let pairs: Vec<(String, String)> = received.url.query_pairs().into_owned().collect();
    assert_eq!(
        pairs,
        [
            ("name".to_string(), hostile.to_string()),
            ("env".to_string(), "ü/?".to_string())
        ]
    );
    assert_eq!(received.url.fragment(), None);
}

// ---- headers and cookies --------------------------------------------------------------------

/// The builder's default headers go with every request, except where the request sets the
/// same header itself; no `User-Agent` unless one is set (generated clients set theirs).
#[tokio::test]
async fn default_headers_yield_to_the_request_s_own() {
    let server = ok_server().await;
    let client = super::common::builder(&server.uri(), AuthScheme::None)
        .default_header("X-Api-Version", "1")
        .default_header("X-Trace", "default")
        .user_agent("agent/2")
        .build()
        .unwrap();
    let mut request = client.request("GET", "/h");
    request.header("X-Trace", "mine");
    client.text(request).await.expect("200");
    let received = only_request(&server).await;
    assert_eq!(header(&received, "x-api-version"), Some("1"));
    assert_eq!(header(&received, "user-agent"), Some("agent/2"));
    let traces: Vec<&str> = received
        .headers
        .get_all("x-trace")
        .iter()
        .map(|v| v.to_str().unwrap())
        .collect();
    assert_eq!(traces, ["mine"]);
}

/// Header parameters (arrays comma-joined, `None` left out), cookie parameters in one
/// `Cookie` header, and `Accept`; a header or cookie value that would break the message is
/// refused with nothing sent.
#[tokio::test]
async fn headers_and_cookies_on_the_wire() {
    let server = ok_server().await;
    let client = plain(&server);
    let mut request = client.request("GET", "/h");
    request.header("X-Trace", "abc-123");
    request.header("X-List", &[1, 2, 3]);
    request.header("X-None", &None::<String>);
    request.cookie("session", "s1");
    request.cookie("ids", &["a", "b"]);
    request.cookie("none", &None::<String>);
    request.accept("text/plain");
    client.text(request).await.expect("200");
    let received = only_request(&server).await;
    assert_eq!(header(&received, "x-trace"), Some("abc-123"));
    assert_eq!(header(&received, "x-list"), Some("1,2,3"));
    assert_eq!(header(&received, "x-none"), None);
    assert_eq!(header(&received, "cookie"), Some("session=s1; ids=a,b"));
    assert_eq!(header(&received, "accept"), Some("text/plain"));

    server.reset().await;
    for (kind, evil) in [
        ("header", "v\r\nX-Evil: 1"),
        ("cookie", "v; admin=1"),
        ("cookie", "v\nX"),
    ] {
        let mut request = client.request("GET", "/h");
        if kind == "header" {
            request.header("X-A", evil);
        } else {
            request.cookie("c", evil);
        }
        assert!(
            matches!(client.text(request).await, Err(Error::InvalidRequest(_))),
            "{kind} {evil:?}"
        );
    }
    assert!(server.received_requests().await.unwrap().is_empty());
}

// ---- bodies ---------------------------------------------------------------------------------

/// JSON, form, multipart, text and bytes request bodies as received, with their
/// Content-Type.
#[tokio::test]
async fn each_request_body_kind_on_the_wire() {
    let server = ok_server().await;
    let client = plain(&server);
    let fields = json!({ "name": "a b&c=d", "count": 2, "tags": ["x", "y"], "none": null });

    let mut request = client.request("POST", "/json");
    request.json("application/vnd.api+json", &fields);
    client.text(request).await.expect("json");
    let mut request = client.request("POST", "/form");
    request.form(&fields);
    client.text(request).await.expect("form");
    let mut request = client.request("POST", "/multipart");
    request.multipart(&fields);
    client.text(request).await.expect("multipart");
    let mut request = client.request("PUT", "/text");
    request.text("text/plain; charset=utf-8", "héllo\nworld");
    client.text(request).await.expect("text");
    let mut request = client.request("PUT", "/bytes");
    request.bytes("application/octet-stream", vec![0u8, 159, 146, 150, 255]);
    client.text(request).await.expect("bytes");

    let received = server.received_requests().await.unwrap();
    assert_eq!(received.len(), 5);
    let content_type = |i: usize| header(&received[i], "content-type").unwrap().to_string();

    assert_eq!(content_type(0), "application/vnd.api+json");
    let sent: serde_json::Value = serde_json::from_slice(&received[0].body).unwrap();
    assert_eq!(sent, fields);

    assert_eq!(content_type(1), "application/x-www-form-urlencoded");
    assert_eq!(
        String::from_utf8_lossy(&received[1].body),
        "name=a%20b%26c%3Dd&count=2&tags=x&tags=y"
    );

    let multipart = content_type(2);
    let boundary = multipart
        .strip_prefix("multipart/form-data; boundary=")
        .unwrap_or_else(|| panic!("{multipart}"));
    let body = String::from_utf8_lossy(&received[2].body);
    for (name, value) in [
        ("count", "2"),
        ("name", "a b&c=d"),
        ("tags", r#"["x","y"]"#),
    ] {
        let part = format!(
            "--{boundary}\r\nContent-Disposition: form-data; name=\"{name}\"\r\n\r\n{value}\r\n"
        );
        assert!(body.contains(&part), "no part {name}: {body}");
    }
    assert!(!body.contains("name=\"none\""), "{body}");
    assert!(body.ends_with(&format!("--{boundary}--\r\n")), "{body}");

    assert_eq!(content_type(3), "text/plain; charset=utf-8");
    assert_eq!(received[3].body, "héllo\nworld".as_bytes());

    assert_eq!(content_type(4), "application/octet-stream");
    assert_eq!(received[4].body, [0u8, 159, 146, 150, 255]);
}

/// Text and bytes responses are handed over as received (bytes that are not UTF-8
/// included); JSON decodes into the asked type.
#[tokio::test]
async fn text_bytes_and_json_responses() {
    let bytes = vec![0u8, 159, 146, 150, 255];
    let server = server_answering(ResponseTemplate::new(200).set_body_bytes(bytes.clone())).await;
    let client = plain(&server);
    let value = client
        .0
        .call(client.request("GET", "/bytes"), |r| r.bytes::<()>())
        .await
        .unwrap();
    assert_eq!(value.into_inner(), bytes);

    let server =
        server_answering(ResponseTemplate::new(200).set_body_raw("héllo", "text/plain")).await;
    let text = plain(&server).get("/text").await.unwrap();
    assert_eq!(text.into_inner(), "héllo");

    let server = server_answering(
        ResponseTemplate::new(201)
            .insert_header("X-Request-Id", "r-1")
            .set_body_json(json!({ "a": [1, 2] })),
    )
    .await;
    let client = plain(&server);
    let value: generator_runtime::ResponseValue<std::collections::BTreeMap<String, Vec<u8>>> =
        client
            .0
            .call(client.request("GET", "/json"), |r| r.json::<_, ()>())
            .await
            .unwrap();
    assert_eq!(value.status().as_u16(), 201);
    assert_eq!(value.headers()["x-request-id"], "r-1");
    assert_eq!(value["a"], [1, 2]);
}

// ---- the calling convention -----------------------------------------------------------------

/// Per-call options: a header of the call's own (replacing a default of the same name, refused
/// with nothing sent when it cannot be sent) and a time limit shorter than the client's.
#[tokio::test]
async fn a_call_takes_its_own_headers_and_timeout() {
    let server = server_answering(
        ResponseTemplate::new(200)
            .set_body_string("late")
            .set_delay(Duration::from_millis(500)),
    )
    .await;
    let client = plain(&server);
    let request = client.request("GET", "/slow");
    let outcome = client
        .0
        .call(request, |r| r.text::<()>())
        .header("X-Trace", "t-1")
        .timeout(Duration::from_millis(100))
        .await;
    match outcome {
        Err(e) => assert!(e.is_timeout(), "{e:?}"),
        Ok(value) => panic!("expected a timeout, got {}", value.status()),
    }
    let sent = only_request(&server).await;
    assert_eq!(header(&sent, "x-trace"), Some("t-1"));

    let request = client.request("GET", "/slow");
    let refused = client
        .0
        .call(request, |r| r.text::<()>())
        .header("X-Trace", "a\r\nb")
        .await;
    assert!(
        matches!(refused, Err(Error::InvalidRequest(_))),
        "{refused:?}"
    );
    assert_eq!(
        server.received_requests().await.unwrap().len(),
        1,
        "nothing more sent"
    );
}

/// `Transport::call` returns a call that owns the request: nothing is sent until it is
/// awaited, its future (`send`) can be spawned, and an invalid argument is reported when it
/// is awaited with nothing sent.
#[tokio::test]
async fn calls_are_spawnable_futures_that_send_when_awaited() {
    let server = ok_server().await;
    let client = plain(&server);
    let pending = {
        let segment = String::from("spawned");
        let mut request = client.request("GET", "/");
        request.push_path_param(&segment);
        client.0.call(request, |r| r.text::<()>())
    };
    assert!(server.received_requests().await.unwrap().is_empty());
    let text = tokio::spawn(pending.send()).await.unwrap().unwrap();
    assert_eq!(text.into_inner(), "ok");
    assert_eq!(only_request(&server).await.url.path(), "/spawned");

    let mut request = client.request("GET", "/");
    request.push_path_param("..");
    match client.text(request).await {
        Err(Error::InvalidRequest(message)) => assert!(message.contains("`..`"), "{message}"),
        other => panic!("expected InvalidRequest, got {other:?}"),
    }
    assert_eq!(server.received_requests().await.unwrap().len(), 1);
}

// ---- timeouts and the HTTP client -----------------------------------------------------------

/// The documented defaults: 30 s for a request, 10 s to connect.
#[test]
fn the_default_timeouts() {
    assert_eq!(generator_runtime::DEFAULT_TIMEOUT, Duration::from_secs(30));
    assert_eq!(
        generator_runtime::DEFAULT_CONNECT_TIMEOUT,
        Duration::from_secs(10)
    );
    let debug = format!("{:?}", super::common::builder("http://x", AuthScheme::None));
    assert!(debug.contains("timeout: 30s"), "{debug}");
    assert!(debug.contains("connect_timeout: 10s"), "{debug}");
}

/// A server that never answers: the request timeout ends the call with a transport error
/// (no status), not before the timeout, and well before the server's 60 s.
#[tokio::test]
async fn a_server_that_never_answers_times_out() {
    let server =
        server_answering(ResponseTemplate::new(200).set_delay(Duration::from_secs(60))).await;
    let client = super::common::builder(&server.uri(), AuthScheme::None)
        .timeout(Duration::from_millis(200))
        .build()
        .unwrap();
    let started = Instant::now();
    let error = client.get("/slow").await.expect_err("timeout");
    let elapsed = started.elapsed();
    assert!(error.is_timeout(), "{error:?}");
    assert!(matches!(error, Error::Transport(_)));
    assert_eq!(error.status(), None);
    assert!(elapsed >= Duration::from_millis(200), "{elapsed:?}");
    assert!(elapsed < Duration::from_secs(30), "{elapsed:?}");
}

/// `connect_timeout` bounds connecting: a port whose accept queue is full never completes
/// the handshake, and the call fails as a connect timeout long before the request timeout.
#[tokio::test]
async fn connect_timeout_bounds_connecting() {
    let (addr, _listener, _held) = super::common::unanswered_port();
    let client = super::common::builder(&format!("http://{addr}"), AuthScheme::None)
        .connect_timeout(Duration::from_millis(200))
        .timeout(Duration::from_secs(120))
        .retry(RetryPolicy::none())
        .build()
        .unwrap();
    let started = Instant::now();
    let error = client.get("/").await.expect_err("cannot connect");
    let elapsed = started.elapsed();
    match &error {
        Error::Transport(e) => assert!(e.is_connect() && e.is_timeout(), "{e:?}"),
        other => panic!("expected a transport error, got {other:?}"),
    }
    assert!(elapsed >= Duration::from_millis(200), "{elapsed:?}");
    // 50 times the connect timeout, yet below the system's own give-up on an unanswered
    // connect (about 30 s with the usual 5 SYN retries), which would also be a connect
    // timeout error.
    assert!(elapsed < Duration::from_secs(10), "{elapsed:?}");
}

/// A user-supplied `http_client` is the one that sends (its default headers and user agent
/// reach the server), and the builder's request timeout still applies to it.
#[tokio::test]
async fn a_user_supplied_http_client_is_used_with_the_builders_timeout() {
    let server = ok_server().await;
    let mut headers = reqwest::header::HeaderMap::new();
    headers.insert("x-from-the-user", "yes".parse().unwrap());
    let http = reqwest::Client::builder()
        .user_agent("custom-agent/1.0")
        .default_headers(headers)
        .build()
        .unwrap();
    let client = super::common::builder(&server.uri(), AuthScheme::Bearer)
        .token(TOKEN)
        .http_client(http.clone())
        .build()
        .unwrap();
    client.get("/").await.expect("200");
    let received = only_request(&server).await;
    assert_eq!(header(&received, "user-agent"), Some("custom-agent/1.0"));
    assert_eq!(header(&received, "x-from-the-user"), Some("yes"));
    assert_eq!(header(&received, "authorization"), Some("Bearer TOKEN"));

    let slow =
        server_answering(ResponseTemplate::new(200).set_delay(Duration::from_secs(60))).await;
    let client = super::common::builder(&slow.uri(), AuthScheme::None)
        .http_client(http)
        .timeout(Duration::from_millis(200))
        .build()
        .unwrap();
    let started = Instant::now();
    let error = client.get("/").await.expect_err("timeout");
    assert!(error.is_timeout(), "{error:?}");
    assert!(started.elapsed() < Duration::from_secs(30));
}

// ---- transport failures ---------------------------------------------------------------------

/// A body cut short (Content-Length 100, 10 bytes, then the connection closes) is a transport
/// error, not a decode error and not a panic.
#[tokio::test]
async fn a_body_cut_short_is_a_transport_error() {
    let (addr, server) = super::common::raw_server(vec![super::common::cut_short_response()]);
    let client = super::common::builder(&format!("http://{addr}"), AuthScheme::None)
        .retry(fast_retries(3))
        .build()
        .unwrap();
    let error = client.get("/").await.expect_err("cut short");
    match &error {
        // reqwest reports a body that ends early while reading it as a body "decode" error.
        Error::Transport(e) => assert!(e.is_decode() && !e.is_timeout(), "{e:?}"),
        other => panic!("expected a transport error, got {other:?}"),
    }
    assert_eq!(server.join().unwrap().len(), 1, "one connection");
}
