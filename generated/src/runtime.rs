//! The spec-independent part of every generated client: building clients, sending requests
//! (with timeouts and retries), decoding responses, and the error type.
//!
//! This file is hand-written. The generator copies it verbatim into standalone crates, so it
//! depends only on `reqwest`, `serde`, `serde_json`, `serde_path_to_error`, `thiserror`,
//! `percent-encoding`, `regex` and `tokio`.

use std::fmt;
use std::marker::PhantomData;
use std::sync::{Arc, OnceLock};
use std::time::Duration;

pub use reqwest::header::HeaderMap;
pub use reqwest::StatusCode;

use reqwest::header::{HeaderName, HeaderValue};
use serde::de::DeserializeOwned;
use serde::Serialize;
use serde_json::Value;

// ---- errors ---------------------------------------------------------------------------------

/// Everything that can go wrong in a call. `E` is the type of the operation's documented
/// error body.
#[derive(Debug, thiserror::Error)]
pub enum Error<E = ()> {
    /// The server answered with a documented error status; its body is decoded.
    #[error("the server answered {} with a documented error", .0.status)]
    Api(Box<ApiError<E>>),
    /// The server answered with a status the spec does not document for this operation.
    #[error("the server answered with undocumented status {status}")]
    UnexpectedStatus {
        /// The status.
        status: StatusCode,
        /// The response headers (boxed to keep `Result<T, Error>` small).
        headers: Box<HeaderMap>,
        /// The raw body, as text (lossy UTF-8).
        body: String,
    },
    /// The body of a documented response does not fit its schema.
    #[error("cannot decode the {status} response at `{path}`: {message}")]
    Decode {
        /// The status.
        status: StatusCode,
        /// The response headers (boxed to keep `Result<T, Error>` small).
        headers: Box<HeaderMap>,
        /// The raw body, as text (lossy UTF-8).
        body: String,
        /// Where in the JSON decoding failed (`routes[0].targets.Default`), `.` for the root.
        path: String,
        /// What was wrong there.
        message: String,
    },
    /// The request could not be sent or the response could not be read: connection refused,
    /// timeout, a body cut short, TLS...
    #[error("transport error: {0}")]
    Transport(#[source] reqwest::Error),
    /// The request could not be built from the arguments (e.g. a header value with a line
    /// break). Nothing was sent.
    #[error("invalid request: {0}")]
    InvalidRequest(String),
}

impl<E> Error<E> {
    /// The HTTP status, when the server answered.
    pub fn status(&self) -> Option<StatusCode> {
        match self {
            Error::Api(e) => Some(e.status),
            Error::UnexpectedStatus { status, .. } | Error::Decode { status, .. } => Some(*status),
            Error::Transport(e) => e.status(),
            Error::InvalidRequest(_) => None,
        }
    }

    /// The documented error body, when there is one.
    pub fn api_body(&self) -> Option<&E> {
        match self {
            Error::Api(e) => Some(&e.body),
            _ => None,
        }
    }

    /// True when the request timed out.
    pub fn is_timeout(&self) -> bool {
        matches!(self, Error::Transport(e) if e.is_timeout())
    }
}

/// A documented error response: status, headers and the decoded body.
#[derive(Debug, Clone)]
pub struct ApiError<E> {
    /// The status.
    pub status: StatusCode,
    /// The response headers.
    pub headers: HeaderMap,
    /// The decoded body.
    pub body: E,
}

/// A value refused by a pattern-validated string type.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("`{value}` is not a valid {type_name}: it must match `{pattern}`")]
pub struct PatternError {
    /// The Rust type that refused it.
    pub type_name: &'static str,
    /// The pattern.
    pub pattern: &'static str,
    /// The refused value.
    pub value: String,
}

/// A client could not be built.
#[derive(Debug, thiserror::Error)]
pub enum BuildError {
    /// The base URL does not parse, is not http(s), or has a query or fragment.
    #[error("invalid base URL `{url}`: {reason}")]
    InvalidBaseUrl {
        /// The URL given.
        url: String,
        /// Why it was refused.
        reason: String,
    },
    /// No base URL was given and the spec names no server.
    #[error("no base URL: the spec names no server, so set one with `base_url`")]
    MissingBaseUrl,
    /// The token cannot be sent in a header (e.g. it contains CR or LF).
    #[error("invalid token: {0}")]
    InvalidToken(&'static str),
    /// The HTTP client could not be built.
    #[error("cannot build the HTTP client: {0}")]
    Http(#[source] reqwest::Error),
}

// ---- responses ------------------------------------------------------------------------------

/// A successful response: the typed body plus the status and headers. Dereferences to the
/// body.
#[derive(Debug, Clone, PartialEq)]
pub struct ResponseValue<T> {
    status: StatusCode,
    headers: HeaderMap,
    inner: T,
}

impl<T> ResponseValue<T> {
    /// The status.
    pub fn status(&self) -> StatusCode {
        self.status
    }

    /// The response headers (e.g. rate-limit headers).
    pub fn headers(&self) -> &HeaderMap {
        &self.headers
    }

    /// The body.
    pub fn into_inner(self) -> T {
        self.inner
    }

    /// Maps the body, keeping status and headers.
    pub fn map<U>(self, f: impl FnOnce(T) -> U) -> ResponseValue<U> {
        ResponseValue {
            status: self.status,
            headers: self.headers,
            inner: f(self.inner),
        }
    }
}

impl<T> std::ops::Deref for ResponseValue<T> {
    type Target = T;
    fn deref(&self) -> &T {
        &self.inner
    }
}

/// A response read in full, before decoding. Used by generated code.
#[derive(Debug)]
pub struct Response {
    status: StatusCode,
    headers: HeaderMap,
    body: Vec<u8>,
}

impl Response {
    /// The status.
    pub fn status(&self) -> StatusCode {
        self.status
    }

    fn value<T, E>(self, inner: T) -> Result<ResponseValue<T>, Error<E>> {
        Ok(ResponseValue {
            status: self.status,
            headers: self.headers,
            inner,
        })
    }

    fn decode<T: DeserializeOwned, E>(&self) -> Result<T, Error<E>> {
        let fail = |path: String, message: String| Error::Decode {
            status: self.status,
            headers: Box::new(self.headers.clone()),
            body: String::from_utf8_lossy(&self.body).into_owned(),
            path,
            message,
        };
        let mut de = serde_json::Deserializer::from_slice(&self.body);
        let value = serde_path_to_error::deserialize(&mut de).map_err(|e| {
            let (path, message) = tagged::unnest(e.path().to_string(), e.into_inner().to_string());
            fail(path, message)
        })?;
        // Trailing garbage after the JSON value is an error too.
        de.end().map_err(|e| fail(".".to_string(), e.to_string()))?;
        Ok(value)
    }

    /// Decodes a JSON success body.
    pub fn json<T: DeserializeOwned, E>(self) -> Result<ResponseValue<T>, Error<E>> {
        let inner = self.decode()?;
        self.value(inner)
    }

    /// A text success body.
    pub fn text<E>(self) -> Result<ResponseValue<String>, Error<E>> {
        let inner = String::from_utf8_lossy(&self.body).into_owned();
        self.value(inner)
    }

    /// A binary success body.
    pub fn bytes<E>(mut self) -> Result<ResponseValue<Vec<u8>>, Error<E>> {
        let inner = std::mem::take(&mut self.body);
        self.value(inner)
    }

    /// A success without a body (any body sent is ignored).
    pub fn empty<E>(self) -> Result<ResponseValue<()>, Error<E>> {
        self.value(())
    }

    fn api<E>(self, body: E) -> Error<E> {
        Error::Api(Box::new(ApiError {
            status: self.status,
            headers: self.headers,
            body,
        }))
    }

    /// A documented JSON error body, wrapped by `wrap` into the operation's error type.
    pub fn error_json<B: DeserializeOwned, E>(self, wrap: impl FnOnce(B) -> E) -> Error<E> {
        match self.decode::<B, E>() {
            Ok(body) => self.api(wrap(body)),
            Err(e) => e,
        }
    }

    /// A documented text error body.
    pub fn error_text<E>(self, wrap: impl FnOnce(String) -> E) -> Error<E> {
        let body = String::from_utf8_lossy(&self.body).into_owned();
        self.api(wrap(body))
    }

    /// A documented binary error body.
    pub fn error_bytes<E>(mut self, wrap: impl FnOnce(Vec<u8>) -> E) -> Error<E> {
        let body = std::mem::take(&mut self.body);
        self.api(wrap(body))
    }

    /// A documented error without a body.
    pub fn error_empty<E>(self, wrap: impl FnOnce(()) -> E) -> Error<E> {
        self.api(wrap(()))
    }

    /// A status the operation does not document.
    pub fn unexpected<E>(self) -> Error<E> {
        Error::UnexpectedStatus {
            status: self.status,
            headers: Box::new(self.headers),
            body: String::from_utf8_lossy(&self.body).into_owned(),
        }
    }
}

// ---- building clients -----------------------------------------------------------------------

/// How the API authenticates; chosen by the generator from the spec.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AuthScheme {
    /// Nothing is sent.
    None,
    /// `Authorization: Bearer <token>`.
    Bearer,
    /// `Authorization: Basic <token>`.
    Basic,
    /// The token in the named header.
    Header(&'static str),
    /// The token in the named query parameter.
    Query(&'static str),
    /// The token in the named cookie.
    Cookie(&'static str),
}

/// A secret that never appears in `Debug` output.
#[derive(Clone)]
struct Secret(HeaderValue);

impl fmt::Debug for Secret {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("<redacted>")
    }
}

/// When and how often a failed call is retried.
///
/// By default only idempotent operations (GET, HEAD, PUT, DELETE, OPTIONS, TRACE) are retried,
/// on connection errors and on statuses 429, 502, 503 and 504, with exponential backoff and
/// jitter. A `Retry-After` header is honoured when it asks for no more than `max_backoff`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RetryPolicy {
    /// Retries after the first attempt (0 disables retrying).
    pub max_retries: u32,
    /// The delay before the first retry; it doubles with every retry.
    pub initial_backoff: Duration,
    /// The longest delay between attempts.
    pub max_backoff: Duration,
    /// Also retry non-idempotent operations (POST, PATCH). Off by default: a retried POST
    /// may create the resource twice.
    pub retry_non_idempotent: bool,
    /// The statuses that are retried.
    pub statuses: Vec<u16>,
}

impl Default for RetryPolicy {
    fn default() -> Self {
        RetryPolicy {
            max_retries: 3,
            initial_backoff: Duration::from_millis(250),
            max_backoff: Duration::from_secs(30),
            retry_non_idempotent: false,
            statuses: vec![429, 502, 503, 504],
        }
    }
}

impl RetryPolicy {
    /// Never retry.
    pub fn none() -> Self {
        RetryPolicy {
            max_retries: 0,
            ..RetryPolicy::default()
        }
    }

    /// The delay before retry number `attempt` (0-based): exponential, capped, with jitter in
    /// the upper half so that clients that failed together do not retry together.
    fn backoff(&self, attempt: u32) -> Duration {
        let exp = self
            .initial_backoff
            .saturating_mul(2u32.saturating_pow(attempt))
            .min(self.max_backoff);
        let half = exp / 2;
        half + half.mul_f64(jitter())
    }
}

/// A number in [0, 1) that differs between calls, without a random-number dependency.
fn jitter() -> f64 {
    use std::hash::{BuildHasher, Hasher};
    let mut hasher = std::collections::hash_map::RandomState::new().build_hasher();
    hasher.write_u64(
        std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map(|d| d.as_nanos() as u64)
            .unwrap_or(0),
    );
    (hasher.finish() >> 11) as f64 / (1u64 << 53) as f64
}

/// The default time a whole request may take, from connecting to the end of the body.
pub const DEFAULT_TIMEOUT: Duration = Duration::from_secs(30);

/// The default time connecting may take.
pub const DEFAULT_CONNECT_TIMEOUT: Duration = Duration::from_secs(10);

/// Made by generated clients from a [`Transport`]; lets [`ClientBuilder::build`] return the
/// concrete client type.
pub trait FromTransport {
    /// Wraps the transport.
    fn from_transport(transport: Transport) -> Self;
}

/// Configures a client: server, token, HTTP client, timeouts and retries.
pub struct ClientBuilder<C> {
    base_url: Option<String>,
    scheme: AuthScheme,
    token: Option<String>,
    http: Option<reqwest::Client>,
    timeout: Duration,
    connect_timeout: Duration,
    retry: RetryPolicy,
    client: PhantomData<fn() -> C>,
}

impl<C> fmt::Debug for ClientBuilder<C> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ClientBuilder")
            .field("base_url", &self.base_url)
            .field("scheme", &self.scheme)
            .field("token", &self.token.as_ref().map(|_| "<redacted>"))
            .field("timeout", &self.timeout)
            .field("connect_timeout", &self.connect_timeout)
            .field("retry", &self.retry)
            .finish()
    }
}

impl<C: FromTransport> ClientBuilder<C> {
    /// A builder for a client of an API whose default server is `base_url` and whose
    /// authentication is `scheme`. Generated clients call this from `Client::builder()`.
    pub fn new(base_url: Option<&str>, scheme: AuthScheme) -> Self {
        ClientBuilder {
            base_url: base_url.map(String::from),
            scheme,
            token: None,
            http: None,
            timeout: DEFAULT_TIMEOUT,
            connect_timeout: DEFAULT_CONNECT_TIMEOUT,
            retry: RetryPolicy::default(),
            client: PhantomData,
        }
    }

    /// Sends requests to `url` instead of the spec's default server (e.g. the EU region or a
    /// test server). A path prefix is kept: `https://host/api` + `/workspaces`.
    pub fn base_url(mut self, url: impl Into<String>) -> Self {
        self.base_url = Some(url.into());
        self
    }

    /// The secret sent by the API's authentication scheme.
    pub fn token(mut self, token: impl Into<String>) -> Self {
        self.token = Some(token.into());
        self
    }

    /// Uses this HTTP client (connection pool, proxies, TLS settings). The builder's
    /// per-request timeout still applies, but the client's own redirect policy is used: the
    /// default one of `reqwest` follows redirects to other hosts and strips only
    /// `Authorization` and cookies, so a token sent in another header (an API key) would
    /// follow them. The client built by default follows same-origin redirects only.
    pub fn http_client(mut self, client: reqwest::Client) -> Self {
        self.http = Some(client);
        self
    }

    /// The time a whole request may take, from connecting to the end of the body. Default 30 s.
    pub fn timeout(mut self, timeout: Duration) -> Self {
        self.timeout = timeout;
        self
    }

    /// The time connecting may take (ignored with [`Self::http_client`]). Default 10 s.
    pub fn connect_timeout(mut self, timeout: Duration) -> Self {
        self.connect_timeout = timeout;
        self
    }

    /// The retry policy. Default: [`RetryPolicy::default`].
    pub fn retry(mut self, policy: RetryPolicy) -> Self {
        self.retry = policy;
        self
    }

    /// Validates the settings and builds the client.
    pub fn build(self) -> Result<C, BuildError> {
        let url = self.base_url.ok_or(BuildError::MissingBaseUrl)?;
        let base_url = validate_base_url(&url)?;
        let token = match self.token {
            None => None,
            Some(token) => Some(Secret(token_header(self.scheme, &token)?)),
        };
        let http = match self.http {
            Some(http) => http,
            None => reqwest::Client::builder()
                .connect_timeout(self.connect_timeout)
                .redirect(same_origin_redirects())
                .build()
                .map_err(BuildError::Http)?,
        };
        Ok(C::from_transport(Transport {
            inner: Arc::new(Inner {
                base_url,
                scheme: self.scheme,
                token,
                http,
                timeout: self.timeout,
                retry: self.retry,
            }),
        }))
    }
}

/// Follows redirects within the same origin (scheme, host and port), at most 10. A redirect
/// elsewhere is not followed and the 3xx response is returned: every credential (an API key
/// in a custom header included) would be sent to the other server.
fn same_origin_redirects() -> reqwest::redirect::Policy {
    reqwest::redirect::Policy::custom(|attempt| {
        let same_origin = attempt
            .previous()
            .last()
            .is_some_and(|previous| previous.origin() == attempt.url().origin());
        if attempt.previous().len() > 10 {
            attempt.error("too many redirects")
        } else if same_origin {
            attempt.follow()
        } else {
            attempt.stop()
        }
    })
}

fn validate_base_url(url: &str) -> Result<String, BuildError> {
    let invalid = |reason: &str| BuildError::InvalidBaseUrl {
        url: url.to_string(),
        reason: reason.to_string(),
    };
    let parsed = reqwest::Url::parse(url).map_err(|e| invalid(&e.to_string()))?;
    if !matches!(parsed.scheme(), "http" | "https") {
        return Err(invalid("the scheme must be http or https"));
    }
    if parsed.host_str().is_none_or(str::is_empty) {
        return Err(invalid("there is no host"));
    }
    if parsed.query().is_some() || parsed.fragment().is_some() {
        return Err(invalid("a base URL cannot have a query or a fragment"));
    }
    Ok(parsed.as_str().trim_end_matches('/').to_string())
}

fn token_header(scheme: AuthScheme, token: &str) -> Result<HeaderValue, BuildError> {
    if token.contains(['\r', '\n']) {
        return Err(BuildError::InvalidToken(
            "it contains a line break (CR or LF)",
        ));
    }
    if token.chars().any(|c| c.is_control()) {
        return Err(BuildError::InvalidToken("it contains a control character"));
    }
    let text = match scheme {
        AuthScheme::Bearer => format!("Bearer {token}"),
        AuthScheme::Basic => format!("Basic {token}"),
        AuthScheme::Cookie(name) => format!("{name}={token}"),
        AuthScheme::None | AuthScheme::Header(_) | AuthScheme::Query(_) => token.to_string(),
    };
    let mut value = HeaderValue::from_str(&text)
        .map_err(|_| BuildError::InvalidToken("it contains characters a header cannot carry"))?;
    value.set_sensitive(true);
    Ok(value)
}

// ---- sending --------------------------------------------------------------------------------

/// The connection to one server: shared by clones of a client. Its `Debug` never shows the
/// token.
#[derive(Clone)]
pub struct Transport {
    inner: Arc<Inner>,
}

struct Inner {
    base_url: String,
    scheme: AuthScheme,
    token: Option<Secret>,
    http: reqwest::Client,
    timeout: Duration,
    retry: RetryPolicy,
}

impl fmt::Debug for Transport {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Transport")
            .field("base_url", &self.inner.base_url)
            .field("scheme", &self.inner.scheme)
            .field("token", &self.inner.token)
            .field("timeout", &self.inner.timeout)
            .field("retry", &self.inner.retry)
            .finish()
    }
}

/// How arrays and objects are written in a query string (OpenAPI `style`/`explode`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum QueryStyle {
    /// `k=a&k=b`; objects as `x=1&y=2`.
    Repeat,
    /// `k=a,b`; objects as `k=x,1,y,2`.
    Comma,
    /// `k=a%20b`.
    Space,
    /// `k=a|b`.
    Pipe,
    /// `k[x]=1&k[y]=2`.
    DeepObject,
}

/// A request being assembled by generated code. Nothing is sent until [`Transport::call`]'s
/// future is awaited.
///
/// An argument that cannot be sent (an empty path segment, a header with a line break, a
/// body that does not serialize) is remembered rather than returned: the first such
/// failure becomes [`Error::InvalidRequest`] when the call is awaited, and nothing is sent.
#[derive(Debug)]
pub struct Request {
    invalid: Option<String>,
    method: reqwest::Method,
    idempotent: bool,
    path: String,
    query: Vec<(String, String)>,
    headers: Vec<(HeaderName, HeaderValue)>,
    cookies: Vec<String>,
    body: Option<(HeaderValue, reqwest::Body)>,
    multipart: Option<reqwest::multipart::Form>,
    accept: Option<&'static str>,
}

/// Characters left as they are in a path segment: RFC 3986 unreserved.
const SEGMENT: &percent_encoding::AsciiSet = &percent_encoding::NON_ALPHANUMERIC
    .remove(b'-')
    .remove(b'.')
    .remove(b'_')
    .remove(b'~');

/// Percent-encodes one path segment, so that no value can add segments or hide a query or a
/// fragment (`a/b c` → `a%2Fb%20c`, `../x` → `..%2Fx`, `?` → `%3F`).
///
/// `.` and `..` cannot be encoded: URL parsers (WHATWG, and so `reqwest`) read `%2E` and
/// `%2E%2E` as dot segments and remove them. [`Request::push_path_param`] refuses them.
pub fn encode_segment(value: &str) -> String {
    percent_encoding::utf8_percent_encode(value, SEGMENT).to_string()
}

/// True for the values that, as a whole segment, a URL parser treats as `.` or `..`, however
/// they are encoded.
fn is_dot_segment(value: &str) -> bool {
    matches!(value, "." | "..")
}

fn invalid<E>(message: String) -> Error<E> {
    Error::InvalidRequest(message)
}

/// A scalar as parameter text; `None` for null.
fn scalar(value: &Value) -> Option<String> {
    match value {
        Value::Null => None,
        Value::String(s) => Some(s.clone()),
        Value::Bool(b) => Some(b.to_string()),
        Value::Number(n) => Some(n.to_string()),
        other => Some(other.to_string()),
    }
}

fn to_value<T: Serialize + ?Sized>(what: &str, value: &T) -> Result<Value, String> {
    serde_json::to_value(value).map_err(|e| format!("cannot serialize {what}: {e}"))
}

impl Request {
    /// Appends literal path text from the spec.
    pub fn push_path(&mut self, text: &str) {
        self.path.push_str(text);
    }

    /// Keeps the first failure; see [`Request`].
    fn record(&mut self, outcome: Result<(), String>) {
        if let (Err(message), None) = (outcome, &self.invalid) {
            self.invalid = Some(message);
        }
    }

    /// The first argument that could not be added, if any.
    pub fn invalid(&self) -> Option<&str> {
        self.invalid.as_deref()
    }

    /// Appends a path parameter, percent-encoded as one segment (arrays are comma-joined).
    /// Empty values, `.` and `..` are refused: they would change which path is requested.
    pub fn push_path_param<T: Serialize + ?Sized>(&mut self, value: &T) {
        let outcome = self.try_push_path_param(value);
        self.record(outcome);
    }

    fn try_push_path_param<T: Serialize + ?Sized>(&mut self, value: &T) -> Result<(), String> {
        let text = match to_value("a path parameter", value)? {
            Value::Array(items) => items
                .iter()
                .filter_map(scalar)
                .collect::<Vec<_>>()
                .join(","),
            other => scalar(&other).unwrap_or_default(),
        };
        if text.is_empty() {
            return Err("a path parameter is empty".to_string());
        }
        if is_dot_segment(&text) {
            return Err(format!(
                "a path parameter cannot be `{text}`: URLs treat it as a relative segment, even percent-encoded"
            ));
        }
        self.path.push_str(&encode_segment(&text));
        Ok(())
    }

    /// Adds a query parameter; `None` (null) adds nothing.
    pub fn query<T: Serialize + ?Sized>(&mut self, name: &str, value: &T, style: QueryStyle) {
        match to_value("a query parameter", value) {
            Ok(value) => self.push_query(name, value, style),
            Err(message) => self.record(Err(message)),
        }
    }

    fn push_query(&mut self, name: &str, value: Value, style: QueryStyle) {
        let joined = |items: &[Value], sep: &str| {
            items
                .iter()
                .filter_map(scalar)
                .collect::<Vec<_>>()
                .join(sep)
        };
        match (&value, style) {
            (Value::Null, _) => {}
            (Value::Array(items), QueryStyle::Repeat) => {
                for item in items.iter().filter_map(scalar) {
                    self.query.push((name.to_string(), item));
                }
            }
            (Value::Array(items), QueryStyle::Space) => {
                self.query.push((name.to_string(), joined(items, " ")))
            }
            (Value::Array(items), QueryStyle::Pipe) => {
                self.query.push((name.to_string(), joined(items, "|")))
            }
            (Value::Array(items), _) => self.query.push((name.to_string(), joined(items, ","))),
            (Value::Object(map), QueryStyle::DeepObject) => {
                for (k, v) in map {
                    if let Some(v) = scalar(v) {
                        self.query.push((format!("{name}[{k}]"), v));
                    }
                }
            }
            (Value::Object(map), QueryStyle::Repeat) => {
                for (k, v) in map {
                    if let Some(v) = scalar(v) {
                        self.query.push((k.clone(), v));
                    }
                }
            }
            (Value::Object(map), _) => {
                let flat: Vec<String> = map
                    .iter()
                    .filter_map(|(k, v)| scalar(v).map(|v| format!("{k},{v}")))
                    .collect();
                self.query.push((name.to_string(), flat.join(",")));
            }
            (other, _) => {
                if let Some(text) = scalar(other) {
                    self.query.push((name.to_string(), text));
                }
            }
        }
    }

    /// Adds a header parameter; `None` adds nothing. Line breaks are refused.
    pub fn header<T: Serialize + ?Sized>(&mut self, name: &str, value: &T) {
        let outcome = self.try_header(name, value);
        self.record(outcome);
    }

    fn try_header<T: Serialize + ?Sized>(&mut self, name: &str, value: &T) -> Result<(), String> {
        let Some(text) = param_text(to_value("a header", value)?) else {
            return Ok(());
        };
        let header_name = HeaderName::from_bytes(name.as_bytes())
            .map_err(|_| format!("`{name}` is not a valid header name"))?;
        let header_value = HeaderValue::from_str(&text)
            .map_err(|_| format!("the value of header `{name}` cannot be sent in a header"))?;
        self.headers.push((header_name, header_value));
        Ok(())
    }

    /// Adds a cookie parameter; `None` adds nothing.
    pub fn cookie<T: Serialize + ?Sized>(&mut self, name: &str, value: &T) {
        let outcome = self.try_cookie(name, value);
        self.record(outcome);
    }

    fn try_cookie<T: Serialize + ?Sized>(&mut self, name: &str, value: &T) -> Result<(), String> {
        if let Some(text) = param_text(to_value("a cookie", value)?) {
            if text.contains([';', '\r', '\n']) {
                return Err(format!(
                    "the value of cookie `{name}` contains `;` or a line break"
                ));
            }
            self.cookies.push(format!("{name}={text}"));
        }
        Ok(())
    }

    /// Sets a JSON body.
    pub fn json<T: Serialize + ?Sized>(&mut self, content_type: &'static str, body: &T) {
        match serde_json::to_vec(body) {
            Ok(bytes) => self.body = Some((HeaderValue::from_static(content_type), bytes.into())),
            Err(e) => self.record(Err(format!("cannot serialize the body: {e}"))),
        }
    }

    /// Sets an `application/x-www-form-urlencoded` body from the value's top-level fields.
    pub fn form<T: Serialize + ?Sized>(&mut self, body: &T) {
        match to_value("the body", body) {
            Ok(value) => {
                let mut form = percent_encoding_form(&value);
                form.shrink_to_fit();
                self.body = Some((
                    HeaderValue::from_static("application/x-www-form-urlencoded"),
                    form.into(),
                ));
            }
            Err(message) => self.record(Err(message)),
        }
    }

    /// Sets a `multipart/form-data` body: one text part per top-level field (strings as they
    /// are, other values as JSON).
    pub fn multipart<T: Serialize + ?Sized>(&mut self, body: &T) {
        let map = match to_value("the body", body) {
            Ok(Value::Object(map)) => map,
            Ok(_) => Default::default(),
            Err(message) => return self.record(Err(message)),
        };
        let mut form = reqwest::multipart::Form::new();
        for (k, v) in map {
            let text = match v {
                Value::Null => continue,
                Value::String(s) => s,
                other => other.to_string(),
            };
            form = form.text(k, text);
        }
        self.multipart = Some(form);
    }

    /// Sets a text body.
    pub fn text(&mut self, content_type: &'static str, body: &str) {
        self.body = Some((
            HeaderValue::from_static(content_type),
            body.to_string().into(),
        ));
    }

    /// Sets a binary body.
    pub fn bytes(&mut self, content_type: &'static str, body: impl Into<reqwest::Body>) {
        self.body = Some((HeaderValue::from_static(content_type), body.into()));
    }

    /// Sets the `Accept` header.
    pub fn accept(&mut self, accept: &'static str) {
        self.accept = Some(accept);
    }
}

fn param_text(value: Value) -> Option<String> {
    match value {
        Value::Array(items) => Some(
            items
                .iter()
                .filter_map(scalar)
                .collect::<Vec<_>>()
                .join(","),
        ),
        other => scalar(&other),
    }
}

fn percent_encoding_form(value: &Value) -> String {
    let encode = |s: &str| percent_encoding::utf8_percent_encode(s, SEGMENT).to_string();
    let mut pairs = Vec::new();
    if let Value::Object(map) = value {
        for (k, v) in map {
            match v {
                Value::Array(items) => {
                    for item in items.iter().filter_map(scalar) {
                        pairs.push(format!("{}={}", encode(k), encode(&item)));
                    }
                }
                other => {
                    if let Some(text) = scalar(other) {
                        pairs.push(format!("{}={}", encode(k), encode(&text)));
                    }
                }
            }
        }
    }
    pairs.join("&")
}

impl Transport {
    /// The base URL, without a trailing slash.
    pub fn base_url(&self) -> &str {
        &self.inner.base_url
    }

    /// Starts a request. `idempotent` requests are retried by the default policy.
    pub fn request(&self, method: reqwest::Method, idempotent: bool) -> Request {
        Request {
            invalid: None,
            method,
            idempotent,
            path: String::new(),
            query: Vec::new(),
            headers: Vec::new(),
            cookies: Vec::new(),
            body: None,
            multipart: None,
            accept: None,
        }
    }

    fn build(&self, request: Request) -> Result<reqwest::Request, reqwest::Error> {
        let inner = &*self.inner;
        let url = format!("{}{}", inner.base_url, request.path);
        let mut builder = inner
            .http
            .request(request.method, url)
            .timeout(inner.timeout);
        let mut query = request.query;
        let mut cookies = request.cookies;
        if let Some(Secret(token)) = &inner.token {
            match inner.scheme {
                AuthScheme::None => {}
                AuthScheme::Bearer | AuthScheme::Basic => {
                    builder = builder.header(reqwest::header::AUTHORIZATION, token.clone());
                }
                AuthScheme::Header(name) => builder = builder.header(name, token.clone()),
                AuthScheme::Query(name) => {
                    query.push((
                        name.to_string(),
                        token.to_str().unwrap_or_default().to_string(),
                    ));
                }
                AuthScheme::Cookie(_) => {
                    cookies.push(token.to_str().unwrap_or_default().to_string())
                }
            }
        }
        if !query.is_empty() {
            builder = builder.query(&query);
        }
        for (name, value) in request.headers {
            builder = builder.header(name, value);
        }
        if !cookies.is_empty() {
            builder = builder.header(reqwest::header::COOKIE, cookies.join("; "));
        }
        if let Some(accept) = request.accept {
            builder = builder.header(reqwest::header::ACCEPT, accept);
        }
        if let Some((content_type, body)) = request.body {
            builder = builder
                .header(reqwest::header::CONTENT_TYPE, content_type)
                .body(body);
        }
        if let Some(form) = request.multipart {
            builder = builder.multipart(form);
        }
        builder.build()
    }

    /// The future behind every generated method: when awaited, it sends `request` (or
    /// returns the first invalid argument, sending nothing) and hands the response to
    /// `decode`, the operation's match on the status.
    ///
    /// It owns everything it needs (a clone of the transport and the assembled request), so
    /// the future is `'static`: arguments are borrowed only while the method runs, and the
    /// future can be spawned.
    pub fn call<T, E, F>(
        &self,
        request: Request,
        decode: F,
    ) -> impl std::future::Future<Output = Result<ResponseValue<T>, Error<E>>> + Send + 'static
    where
        F: FnOnce(Response) -> Result<ResponseValue<T>, Error<E>> + Send + 'static,
        T: 'static,
        E: 'static,
    {
        let transport = self.clone();
        async move {
            let response = transport.send(request).await?;
            decode(response)
        }
    }

    /// Sends `request`, retrying as the policy allows, and reads the whole response.
    pub async fn send<E>(&self, mut request: Request) -> Result<Response, Error<E>> {
        if let Some(message) = request.invalid.take() {
            return Err(invalid(message));
        }
        let policy = &self.inner.retry;
        let may_retry = request.idempotent || policy.retry_non_idempotent;
        let request = self.build(request).map_err(Error::Transport)?;
        let mut attempt = 0u32;
        let mut pending = Some(request);
        loop {
            let Some(current) = pending.take() else {
                return Err(invalid("the request could not be repeated".to_string()));
            };
            let retry_copy = if may_retry && attempt < policy.max_retries {
                current.try_clone()
            } else {
                None
            };
            let outcome = self.inner.http.execute(current).await;
            let delay = match (&outcome, &retry_copy) {
                (_, None) => None,
                (Ok(response), Some(_))
                    if policy.statuses.contains(&response.status().as_u16()) =>
                {
                    match retry_after(response.headers()) {
                        Some(wait) if wait > policy.max_backoff => None,
                        Some(wait) => Some(wait),
                        None => Some(policy.backoff(attempt)),
                    }
                }
                (Err(e), Some(_)) if is_connection_error(e) => Some(policy.backoff(attempt)),
                _ => None,
            };
            match delay {
                Some(delay) => {
                    tokio::time::sleep(delay).await;
                    attempt += 1;
                    pending = retry_copy;
                }
                None => {
                    let response = outcome.map_err(Error::Transport)?;
                    let status = response.status();
                    let headers = response.headers().clone();
                    let body = response.bytes().await.map_err(Error::Transport)?;
                    return Ok(Response {
                        status,
                        headers,
                        body: body.to_vec(),
                    });
                }
            }
        }
    }
}

/// A connection that could not be made, or broke before a response arrived (reset, closed).
/// Timeouts are not: a retry would multiply the time the caller set.
fn is_connection_error(error: &reqwest::Error) -> bool {
    error.is_connect() || (error.is_request() && !error.is_timeout())
}

/// The delay a `Retry-After` header asks for: delta-seconds or an HTTP date.
fn retry_after(headers: &HeaderMap) -> Option<Duration> {
    let text = headers
        .get(reqwest::header::RETRY_AFTER)?
        .to_str()
        .ok()?
        .trim();
    if let Ok(seconds) = text.parse::<u64>() {
        return Some(Duration::from_secs(seconds));
    }
    let when = parse_http_date(text)?;
    Some(
        when.duration_since(std::time::SystemTime::now())
            .unwrap_or(Duration::ZERO),
    )
}

/// Parses an IMF-fixdate (`Sun, 06 Nov 1994 08:49:37 GMT`), the form RFC 9110 requires.
fn parse_http_date(text: &str) -> Option<std::time::SystemTime> {
    let mut parts = text.split_whitespace();
    let _weekday = parts.next()?;
    let day: u64 = parts.next()?.parse().ok()?;
    let month = match parts.next()? {
        "Jan" => 1,
        "Feb" => 2,
        "Mar" => 3,
        "Apr" => 4,
        "May" => 5,
        "Jun" => 6,
        "Jul" => 7,
        "Aug" => 8,
        "Sep" => 9,
        "Oct" => 10,
        "Nov" => 11,
        "Dec" => 12,
        _ => return None,
    };
    let year: i64 = parts.next()?.parse().ok()?;
    let mut hms = parts.next()?.split(':').map(|p| p.parse::<u64>().ok());
    let (h, m, s) = (hms.next()??, hms.next()??, hms.next()??);
    if parts.next()? != "GMT" {
        return None;
    }
    // Days from the civil date (Howard Hinnant's algorithm).
    let y = if month <= 2 { year - 1 } else { year };
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let mp = (month + 9) % 12;
    let doy = (153 * mp + 2) / 5 + day as i64 - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    let days = era * 146_097 + doe - 719_468;
    let secs = u64::try_from(days).ok()? * 86_400 + h * 3600 + m * 60 + s;
    Some(std::time::UNIX_EPOCH + Duration::from_secs(secs))
}

// ---- generated-type helpers -----------------------------------------------------------------

/// A lazily compiled pattern for a validated string type.
#[derive(Debug)]
pub struct PatternCell(OnceLock<Option<regex::Regex>>);

impl PatternCell {
    /// An empty cell; the pattern is compiled on first use.
    #[allow(clippy::new_without_default)]
    pub const fn new() -> Self {
        PatternCell(OnceLock::new())
    }

    /// Returns `value` if it matches `pattern`.
    pub fn check(
        &self,
        type_name: &'static str,
        pattern: &'static str,
        value: String,
    ) -> Result<String, PatternError> {
        let regex = self.0.get_or_init(|| regex::Regex::new(pattern).ok());
        match regex {
            Some(regex) if regex.is_match(&value) => Ok(value),
            _ => Err(PatternError {
                type_name,
                pattern,
                value,
            }),
        }
    }
}

/// Reading and writing generated structs as JSON objects, field by field.
///
/// A derived `Deserialize` expands to a field enum, a field visitor and a map visitor per
/// struct, and a derived `Serialize` to a call and an error branch per field: for big APIs
/// (thousands of structs) that expansion is most of what rustc has to type-check and
/// borrow-check. Generated structs instead go through these few generic functions, with no
/// branch per field: [`Object`](object::Object) and [`Writer`](object::Writer) remember the
/// first failure and report it at the end. A failure names the field path
/// (``at `a.b[2]`: ...``) so that a decode error still reports where it happened.
pub mod object {
    use serde::de::DeserializeOwned;
    use serde::{Deserialize, Deserializer};
    use serde_json::{Map, Value};

    /// The fields of one JSON object, taken out one by one.
    ///
    /// Each read returns `None` once a field has failed; [`Object::error`] then gives the
    /// first failure. Generated code reads every field, then matches on all of them at once.
    #[derive(Debug)]
    pub struct Object {
        fields: Map<String, Value>,
        error: Option<String>,
    }

    impl Object {
        /// Reads a JSON object.
        pub fn read<'de, D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
            Map::deserialize(deserializer).map(|fields| Object {
                fields,
                error: None,
            })
        }

        /// A required field.
        pub fn required<T: DeserializeOwned>(&mut self, key: &str) -> Option<T> {
            match self.fields.remove(key) {
                Some(value) => self.decode(key, value),
                None => self.fail(|| format!("missing field `{key}`")),
            }
        }

        /// An optional field: absent or `null` is `Some(None)`.
        pub fn optional<T: DeserializeOwned>(&mut self, key: &str) -> Option<Option<T>> {
            match self.fields.remove(key) {
                None | Some(Value::Null) => Some(None),
                Some(value) => self.decode(key, value).map(Some),
            }
        }

        /// An optional, nullable field: absent is `Some(None)`, `null` is `Some(Some(None))`.
        pub fn nullable<T: DeserializeOwned>(&mut self, key: &str) -> Option<Option<Option<T>>> {
            match self.fields.remove(key) {
                None => Some(None),
                Some(Value::Null) => Some(Some(None)),
                Some(value) => self.decode(key, value).map(|v| Some(Some(v))),
            }
        }

        /// The fields not taken yet, for `additionalProperties`.
        pub fn rest<T: DeserializeOwned>(
            &mut self,
        ) -> Option<std::collections::BTreeMap<String, T>> {
            std::mem::take(&mut self.fields)
                .into_iter()
                .map(|(key, value)| self.decode(&key, value).map(|v| (key, v)))
                .collect()
        }

        /// The first failure, for when a read returned `None`.
        pub fn error<E: serde::de::Error>(self) -> E {
            E::custom(self.error.as_deref().unwrap_or("invalid object"))
        }

        fn decode<T: DeserializeOwned>(&mut self, key: &str, value: Value) -> Option<T> {
            if self.error.is_some() {
                return None;
            }
            serde_path_to_error::deserialize(value)
                .map_err(|e| {
                    let (inner, message) =
                        super::tagged::unnest(e.path().to_string(), e.into_inner().to_string());
                    let path = if inner == "." || inner.is_empty() {
                        key.to_string()
                    } else if inner.starts_with('[') {
                        format!("{key}{inner}")
                    } else {
                        format!("{key}.{inner}")
                    };
                    super::tagged::nested(&path, &message)
                })
                .map_err(|message| self.error = Some(message))
                .ok()
        }

        fn fail<T>(&mut self, message: impl FnOnce() -> String) -> Option<T> {
            if self.error.is_none() {
                self.error = Some(message());
            }
            None
        }
    }

    /// Writes a generated struct as a JSON object, field by field (the counterpart of
    /// [`Object`]). A failed write is kept and returned by [`Writer::end`]; the writes after
    /// it are skipped.
    pub struct Writer<M: serde::ser::SerializeMap> {
        map: M,
        error: Option<M::Error>,
    }

    impl<M: serde::ser::SerializeMap> Writer<M> {
        /// Starts an object.
        pub fn new<S: serde::Serializer<SerializeMap = M, Error = M::Error>>(
            serializer: S,
        ) -> Result<Self, M::Error> {
            serializer
                .serialize_map(None)
                .map(|map| Writer { map, error: None })
        }

        /// A field that is always written.
        pub fn required<T: serde::Serialize + ?Sized>(&mut self, key: &str, value: &T) {
            if self.error.is_none() {
                if let Err(e) = self.map.serialize_entry(key, value) {
                    self.error = Some(e);
                }
            }
        }

        /// A field that is written unless it is `None`.
        pub fn optional<T: serde::Serialize>(&mut self, key: &str, value: &Option<T>) {
            if let Some(value) = value {
                self.required(key, value);
            }
        }

        /// The additional properties, written after the declared ones.
        pub fn rest<T: serde::Serialize>(&mut self, map: &std::collections::BTreeMap<String, T>) {
            for (key, value) in map {
                self.required(key, value);
            }
        }

        /// Finishes the object, or returns the first failed write.
        pub fn end(self) -> Result<M::Ok, M::Error> {
            match self.error {
                Some(e) => Err(e),
                None => self.map.end(),
            }
        }
    }
}

/// Serialization helpers for internally tagged unions with an open set of tags.
pub mod tagged {
    use serde::de::{DeserializeOwned, Error as _};
    use serde::ser::Error as _;
    use serde::{Deserialize, Deserializer, Serialize, Serializer};
    use serde_json::Value;

    /// Serializes `payload` with the tag property added.
    pub fn serialize<S: Serializer, T: Serialize>(
        serializer: S,
        tag: &str,
        value: &str,
        payload: &T,
    ) -> Result<S::Ok, S::Error> {
        let mut json = serde_json::to_value(payload).map_err(S::Error::custom)?;
        match &mut json {
            Value::Object(map) => {
                map.insert(tag.to_string(), Value::String(value.to_string()));
            }
            _ => {
                return Err(S::Error::custom(
                    "a tagged variant must serialize as an object",
                ))
            }
        }
        json.serialize(serializer)
    }

    /// Reads an object and takes its tag property out.
    pub fn split<'de, D: Deserializer<'de>>(
        deserializer: D,
        tag: &str,
    ) -> Result<(Option<String>, Value), D::Error> {
        let mut value = Value::deserialize(deserializer)?;
        let found = match &mut value {
            Value::Object(map) => match map.remove(tag) {
                Some(Value::String(s)) => Some(s),
                Some(other) => {
                    map.insert(tag.to_string(), other);
                    None
                }
                None => None,
            },
            _ => {
                return Err(D::Error::custom(format!(
                    "expected an object with a `{tag}` property"
                )))
            }
        };
        Ok((found, value))
    }

    /// Decodes the rest of a tagged object into the variant's payload. A failure names the
    /// field inside the payload (``at `tunnel.id`: invalid type...``), so that a decode error
    /// can report the full path (`routes[1].targets.Default.tunnel.id`) although the payload
    /// is decoded from a buffered value.
    pub fn payload<'de, D: Deserializer<'de>, T: DeserializeOwned>(
        value: Value,
    ) -> Result<T, D::Error> {
        serde_path_to_error::deserialize(value).map_err(|e| {
            let (path, message) = unnest(e.path().to_string(), e.into_inner().to_string());
            D::Error::custom(if path == "." {
                message
            } else {
                nested(&path, &message)
            })
        })
    }

    const NESTED_PREFIX: &str = "at `";
    const NESTED_SUFFIX: &str = "`: ";

    /// A message that carries the path inside a buffered value, for [`unnest`].
    pub(crate) fn nested(path: &str, message: &str) -> String {
        format!("{NESTED_PREFIX}{path}{NESTED_SUFFIX}{message}")
    }

    /// Joins the path where decoding failed with the path inside a tagged payload that the
    /// message may start with (see [`payload`]): `routes[1].targets.Default` and
    /// ``at `tunnel.id`: invalid type`` give `routes[1].targets.Default.tunnel.id` and
    /// `invalid type`.
    pub(crate) fn unnest(path: String, message: String) -> (String, String) {
        let Some((inner, rest)) = message
            .strip_prefix(NESTED_PREFIX)
            .and_then(|rest| rest.split_once(NESTED_SUFFIX))
        else {
            return (path, message);
        };
        let joined = if path == "." || path.is_empty() {
            inner.to_string()
        } else if inner.starts_with('[') {
            format!("{path}{inner}")
        } else {
            format!("{path}.{inner}")
        };
        (joined, rest.to_string())
    }

    /// Puts the tag back, for the catch-all variant.
    pub fn restore(mut value: Value, tag: &str, found: Option<String>) -> Value {
        if let (Value::Object(map), Some(found)) = (&mut value, found) {
            map.insert(tag.to_string(), Value::String(found));
        }
        value
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn segments_cannot_escape() {
        assert_eq!(encode_segment("a/b c"), "a%2Fb%20c");
        assert_eq!(encode_segment("../x"), "..%2Fx");
        assert_eq!(encode_segment("?#%"), "%3F%23%25");
        assert_eq!(encode_segment("my-company_1.x~"), "my-company_1.x~");
        let transport = ClientBuilder::<Transport>::new(Some("http://localhost"), AuthScheme::None)
            .build()
            .unwrap();
        for value in [".", "..", ""] {
            let mut request = transport.request(reqwest::Method::GET, true);
            request.push_path_param(&value);
            assert!(request.invalid().is_some(), "{value:?}");
        }
        let mut request = transport.request(reqwest::Method::GET, true);
        request.push_path_param(&"...");
        assert_eq!(request.invalid(), None);
    }

    impl FromTransport for Transport {
        fn from_transport(transport: Transport) -> Self {
            transport
        }
    }

    #[test]
    fn nested_paths_are_joined() {
        let join = |p: &str, m: &str| tagged::unnest(p.to_string(), m.to_string());
        assert_eq!(
            join("a.b", "at `c[0].d`: bad"),
            ("a.b.c[0].d".to_string(), "bad".to_string())
        );
        assert_eq!(
            join("a", "at `[1]`: bad"),
            ("a[1]".to_string(), "bad".to_string())
        );
        assert_eq!(
            join(".", "at `c`: bad"),
            ("c".to_string(), "bad".to_string())
        );
        assert_eq!(join("a", "plain"), ("a".to_string(), "plain".to_string()));
    }

    #[test]
    fn http_dates_parse() {
        let t = parse_http_date("Sun, 06 Nov 1994 08:49:37 GMT").unwrap();
        assert_eq!(
            t.duration_since(std::time::UNIX_EPOCH).unwrap().as_secs(),
            784_111_777
        );
        assert!(parse_http_date("yesterday").is_none());
    }

    #[test]
    fn backoff_grows_and_is_capped() {
        let policy = RetryPolicy {
            initial_backoff: Duration::from_millis(100),
            max_backoff: Duration::from_millis(300),
            ..RetryPolicy::default()
        };
        let first = policy.backoff(0);
        assert!(first >= Duration::from_millis(50) && first <= Duration::from_millis(100));
        let later = policy.backoff(10);
        assert!(later >= Duration::from_millis(150) && later <= Duration::from_millis(300));
    }

    #[test]
    fn base_urls_are_validated() {
        assert_eq!(
            validate_base_url("https://api.buddy.works/").unwrap(),
            "https://api.buddy.works"
        );
        assert!(validate_base_url("ftp://x").is_err());
        assert!(validate_base_url("not a url").is_err());
        assert!(validate_base_url("https://x/?a=1").is_err());
    }

    #[test]
    fn tokens_with_line_breaks_are_refused() {
        assert!(token_header(AuthScheme::Bearer, "abc\r\nX-Evil: 1").is_err());
        assert!(token_header(AuthScheme::Bearer, "abc").is_ok());
    }
}
