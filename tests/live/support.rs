//! Shared by the live HTTP tests (`buddy.rs`, `pieces.rs`): the specs' examples,
//! request assertions and fast retry policies.

use std::cell::RefCell;
use std::io::Write;
use std::sync::Once;
use std::time::Duration;

use distributions::runtime::RetryPolicy;
use serde_json::Value;
use wiremock::{Mock, MockServer, Request, ResponseTemplate};

/// The token every test client sends.
pub const TOKEN: &str = "TOKEN";

// ---- the specs ------------------------------------------------------------------------------

/// An OpenAPI document from `spec/`, as JSON, with `$ref`s to examples resolved on demand.
pub struct Spec {
    file: &'static str,
    doc: Value,
}

impl Spec {
    /// Loads `spec/<file>`, the same file the client was generated from.
    pub fn load(file: &'static str) -> Spec {
        let path = format!("{}/../spec/{file}", env!("CARGO_MANIFEST_DIR"));
        let text =
            std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("cannot read {path}: {e}"));
        let doc =
            serde_yaml::from_str(&text).unwrap_or_else(|e| panic!("cannot parse {path}: {e}"));
        Spec { file, doc }
    }

    fn at(&self, pointer: &str) -> &Value {
        self.doc
            .pointer(pointer)
            .unwrap_or_else(|| panic!("{} has nothing at {pointer}", self.file))
    }

    /// Follows a local `$ref`.
    fn resolve<'a>(&'a self, value: &'a Value) -> &'a Value {
        match value.get("$ref").and_then(Value::as_str) {
            Some(reference) => {
                let pointer = reference.strip_prefix('#').unwrap_or_else(|| {
                    panic!(
                        "{}: only local refs are supported, got {reference}",
                        self.file
                    )
                });
                self.resolve(self.at(pointer))
            }
            None => value,
        }
    }

    /// The operation object at `path` (as written in the spec, `{param}` included) and
    /// `method` (lowercase).
    pub fn operation(&self, path: &str, method: &str) -> &Value {
        let escaped = path.replace('~', "~0").replace('/', "~1");
        self.at(&format!("/paths/{escaped}/{}", method.to_ascii_lowercase()))
    }

    /// `example` or every `examples.*.value` of a media type object, with their names.
    fn media_examples(&self, media: &Value) -> Vec<(String, Value)> {
        if let Some(example) = media.get("example") {
            return vec![("example".to_string(), example.clone())];
        }
        let Some(examples) = media.get("examples").and_then(Value::as_object) else {
            return Vec::new();
        };
        examples
            .iter()
            .map(|(name, example)| {
                let value = self
                    .resolve(example)
                    .get("value")
                    .unwrap_or_else(|| panic!("{}: example {name} has no value", self.file));
                (name.clone(), value.clone())
            })
            .collect()
    }

    /// The request body examples of an operation (JSON only), by name. Empty when the
    /// operation takes no body.
    pub fn request_examples(&self, path: &str, method: &str) -> Vec<(String, Value)> {
        let operation = self.operation(path, method);
        match operation.get("requestBody") {
            None => Vec::new(),
            Some(body) => {
                let media = self
                    .resolve(body)
                    .pointer("/content/application~1json")
                    .unwrap_or_else(|| panic!("{}: {method} {path} has no JSON body", self.file));
                self.media_examples(media)
            }
        }
    }

    /// The examples of response `status` of an operation for `media_type`, by name. Empty
    /// when that response has no content.
    pub fn response_examples(
        &self,
        path: &str,
        method: &str,
        status: &str,
        media_type: &str,
    ) -> Vec<(String, Value)> {
        let operation = self.operation(path, method);
        let response = operation
            .pointer(&format!("/responses/{status}"))
            .unwrap_or_else(|| panic!("{}: {method} {path} documents no {status}", self.file));
        let escaped = media_type.replace('/', "~1");
        match self
            .resolve(response)
            .pointer(&format!("/content/{escaped}"))
        {
            None => Vec::new(),
            Some(media) => self.media_examples(media),
        }
    }

    /// The statuses an operation documents (`200`, `4XX`...), in spec order.
    pub fn statuses(&self, path: &str, method: &str) -> Vec<String> {
        self.operation(path, method)["responses"]
            .as_object()
            .map(|responses| responses.keys().cloned().collect())
            .unwrap_or_default()
    }

    /// Every operation as `(operationId, METHOD, path)`, sorted.
    pub fn operations(&self) -> Vec<(String, String, String)> {
        let mut operations = Vec::new();
        for (path, item) in self.at("/paths").as_object().expect("paths") {
            for (method, operation) in item.as_object().expect("path item") {
                if let Some(id) = operation.get("operationId").and_then(Value::as_str) {
                    operations.push((id.to_string(), method.to_ascii_uppercase(), path.clone()));
                }
            }
        }
        operations.sort();
        operations
    }

    /// `components/examples/<name>/value`.
    pub fn named_example(&self, name: &str) -> Value {
        self.at(&format!("/components/examples/{name}/value"))
            .clone()
    }
}

// ---- requests -------------------------------------------------------------------------------

/// A server on 127.0.0.1 that answers every request with `template`.
pub async fn server_answering(template: ResponseTemplate) -> MockServer {
    let server = MockServer::start().await;
    Mock::given(wiremock::matchers::any())
        .respond_with(template)
        .mount(&server)
        .await;
    server
}

/// The value of header `name` in each request, in order.
pub fn header_values(requests: &[Request], name: &str) -> Vec<String> {
    requests
        .iter()
        .map(|r| header(r, name).unwrap_or_default().to_string())
        .collect()
}

/// Every request the server received, in order.
pub async fn received(server: &MockServer) -> Vec<Request> {
    server
        .received_requests()
        .await
        .expect("request recording is on by default")
}

/// The only request the server received.
pub async fn only_request(server: &MockServer, context: &str) -> Request {
    let mut requests = received(server).await;
    assert_eq!(
        requests.len(),
        1,
        "{context}: expected exactly one request, got {}",
        requests.len()
    );
    requests.remove(0)
}

/// A header of a received request as text.
pub fn header<'a>(request: &'a Request, name: &str) -> Option<&'a str> {
    request
        .headers
        .get(name)
        .map(|v| v.to_str().expect("header is text"))
}

/// What a request must look like on the wire.
pub struct Expected<'a> {
    /// `GET`, `POST`...
    pub method: &'a str,
    /// The raw, percent-encoded path.
    pub path: &'a str,
    /// The raw query string; `None` for no `?` at all.
    pub query: Option<&'a str>,
    /// The `Accept` header.
    pub accept: &'a str,
    /// The authentication header and its value.
    pub auth: (&'a str, &'a str),
    /// The JSON body (sent as `application/json`); `None` for no body and no Content-Type.
    pub body: Option<&'a Value>,
}

/// Asserts method, path, query, auth, Accept, Content-Type and body.
pub fn assert_request(request: &Request, expected: &Expected<'_>, context: &str) {
    assert_eq!(
        request.method.as_str(),
        expected.method,
        "{context}: method"
    );
    assert_eq!(request.url.path(), expected.path, "{context}: path");
    assert_eq!(
        request.url.query(),
        expected.query,
        "{context}: query string"
    );
    let (auth_name, auth_value) = expected.auth;
    assert_eq!(
        header(request, auth_name),
        Some(auth_value),
        "{context}: {auth_name}"
    );
    assert_eq!(
        header(request, "accept"),
        Some(expected.accept),
        "{context}: Accept"
    );
    match expected.body {
        Some(body) => {
            assert_eq!(
                header(request, "content-type"),
                Some("application/json"),
                "{context}: Content-Type"
            );
            let sent: Value = serde_json::from_slice(&request.body).unwrap_or_else(|e| {
                panic!(
                    "{context}: the body is not JSON ({e}): {:?}",
                    String::from_utf8_lossy(&request.body)
                )
            });
            assert_eq!(
                &sent, body,
                "{context}: the body differs from the spec's example"
            );
        }
        None => {
            assert_eq!(
                header(request, "content-type"),
                None,
                "{context}: Content-Type without a body"
            );
            assert!(
                request.body.is_empty(),
                "{context}: unexpected body {:?}",
                String::from_utf8_lossy(&request.body)
            );
        }
    }
}

// ---- policies -------------------------------------------------------------------------------

/// The default policy's behaviour (idempotent only, 429/502/503/504, connection errors) with
/// millisecond backoffs so that tests stay fast.
pub fn fast_retries(max_retries: u32) -> RetryPolicy {
    RetryPolicy {
        max_retries,
        initial_backoff: Duration::from_millis(2),
        max_backoff: Duration::from_millis(10),
        ..RetryPolicy::default()
    }
}

// ---- logs -----------------------------------------------------------------------------------

thread_local! {
    /// What the log writer captures on this thread, while a test asks for it.
    static CAPTURED: RefCell<Option<Vec<u8>>> = const { RefCell::new(None) };
}

/// The log writer: appends to this thread's capture, if one is on.
struct ThreadCapture;

impl Write for ThreadCapture {
    fn write(&mut self, bytes: &[u8]) -> std::io::Result<usize> {
        CAPTURED.with(|c| {
            if let Some(buffer) = c.borrow_mut().as_mut() {
                buffer.extend_from_slice(bytes);
            }
        });
        Ok(bytes.len())
    }
    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

/// Starts capturing this thread's log lines (debug level and above), installing the
/// process-wide subscriber once. A global one rather than a scoped one: a
/// callsite that another test thread registers while a scoped subscriber is being set can
/// keep the interest it had without it, and the event would be lost.
pub fn capture_logs() {
    static INSTALLED: Once = Once::new();
    INSTALLED.call_once(|| {
        let subscriber = tracing_subscriber::fmt()
            .with_writer(|| ThreadCapture)
            .with_ansi(false)
            .with_max_level(tracing::Level::DEBUG)
            .finish();
        tracing::subscriber::set_global_default(subscriber).expect("the only subscriber");
    });
    CAPTURED.with(|c| *c.borrow_mut() = Some(Vec::new()));
}

/// The lines captured on this thread since [`capture_logs`].
pub fn captured() -> String {
    let bytes = CAPTURED.with(|c| c.borrow().clone().unwrap_or_default());
    String::from_utf8(bytes).unwrap()
}

// ---- raw servers ----------------------------------------------------------------------------

/// A server on 127.0.0.1 that hands each connection to `serve` (which writes whatever bytes
/// the test needs, well-formed HTTP or not); its base URL.
pub async fn raw_server<F, Fut>(serve: F) -> String
where
    F: Fn(tokio::net::TcpStream) -> Fut + Send + Sync + 'static,
    Fut: std::future::Future<Output = ()> + Send + 'static,
{
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
        .await
        .expect("bind");
    let address = listener.local_addr().expect("address");
    tokio::spawn(async move {
        while let Ok((socket, _)) = listener.accept().await {
            tokio::spawn(serve(socket));
        }
    });
    format!("http://{address}")
}

/// Reads a request's head (up to the blank line) from `socket`, so that a raw server answers
/// after the client has sent.
pub async fn read_head(socket: &mut tokio::net::TcpStream) -> String {
    use tokio::io::AsyncReadExt as _;
    let mut head = Vec::new();
    let mut byte = [0u8; 1];
    while !head.ends_with(b"\r\n\r\n") {
        match socket.read(&mut byte).await {
            Ok(1) => head.push(byte[0]),
            _ => break,
        }
    }
    String::from_utf8_lossy(&head).into_owned()
}

/// A base URL where nothing listens (a port bound, then released).
pub fn closed_port() -> String {
    let listener = std::net::TcpListener::bind("127.0.0.1:0").expect("bind");
    let address = listener.local_addr().expect("address");
    drop(listener);
    format!("http://{address}")
}
