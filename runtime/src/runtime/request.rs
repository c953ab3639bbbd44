//! Requests as generated methods assemble them: path segments, query, header and cookie
//! parameters in their OpenAPI styles, and bodies (JSON, form, multipart, text, bytes).

use reqwest::header::{HeaderName, HeaderValue};
use serde::Serialize;
use serde_json::Value;

use super::file::FilePart;

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

/// A request being assembled by generated code. Nothing is sent until [`Transport::call`](super::Transport::call)'s
/// future is awaited.
///
/// An argument that cannot be sent (an empty path segment, a header with a line break, a
/// body that does not serialize) is remembered rather than returned: the first such
/// failure becomes [`Error::InvalidRequest`](super::Error::InvalidRequest) when the call is awaited, and nothing is sent.
#[derive(Debug)]
pub struct Request {
    pub(super) invalid: Option<String>,
    pub(super) method: reqwest::Method,
    pub(super) idempotent: bool,
    pub(super) path: String,
    pub(super) query: Vec<(String, String)>,
    pub(super) headers: Vec<(HeaderName, HeaderValue)>,
    pub(super) cookies: Vec<String>,
    pub(super) body: Option<(HeaderValue, reqwest::Body)>,
    pub(super) multipart: Option<reqwest::multipart::Form>,
    pub(super) accept: Option<HeaderValue>,
    /// Whether a success's body is handed over unread, as a stream.
    pub(super) stream: bool,
    /// This call's time limit, instead of the client's.
    pub(super) timeout: Option<std::time::Duration>,
    /// This call's retry policy, instead of the client's.
    pub(super) retry: Option<super::RetryPolicy>,
    /// The operation's own server (a URL template) and its variables' defaults, when it
    /// is not the client's.
    pub(super) server: Option<(&'static str, &'static [(&'static str, &'static str)])>,
    /// A page's URL as the server gave it (a `Link` header's, a body's `next`), sent
    /// instead of the path and query: resolved against the base URL, and refused on another
    /// origin.
    pub(super) url: Option<String>,
}

/// A binary request body (a file to upload, an asset): bytes in memory or a stream, sent
/// as they are, with the content type the caller gives ([`BinaryBody::content_type`]) or
/// the one the spec documents.
///
/// Built from `Vec<u8>`, `&'static [u8]`, `String`, `&'static str`, a `reqwest::Body` or a
/// `tokio::fs::File` (streamed, never read into memory), or from any stream of byte chunks
/// with [`BinaryBody::stream`]. A streamed body can be sent once: such a request is neither
/// retried nor redirected.
#[derive(Debug)]
pub struct BinaryBody {
    body: reqwest::Body,
    content_type: Option<Result<HeaderValue, String>>,
}

impl BinaryBody {
    /// A body from bytes or a `reqwest::Body`.
    pub fn new(body: impl Into<reqwest::Body>) -> Self {
        BinaryBody {
            body: body.into(),
            content_type: None,
        }
    }

    /// A body read from `stream` as it is sent (a download being forwarded, a generated
    /// archive).
    pub fn stream<S>(stream: S) -> Self
    where
        S: futures_core::TryStream + Send + 'static,
        S::Error: Into<Box<dyn std::error::Error + Send + Sync>>,
        bytes::Bytes: From<S::Ok>,
    {
        Self::new(reqwest::Body::wrap_stream(stream))
    }

    /// The `Content-Type` to send (`image/png`, `application/zip`): the asset's real type,
    /// where the spec only says binary. A value a header cannot carry makes the call an
    /// [`Error::InvalidRequest`](super::Error::InvalidRequest).
    pub fn content_type(mut self, content_type: &str) -> Self {
        self.content_type = Some(if content_type.contains(['\r', '\n']) {
            Err("the content type contains a line break".to_string())
        } else {
            HeaderValue::from_str(content_type)
                .map_err(|_| format!("`{content_type}` is not a valid content type"))
        });
        self
    }
}

macro_rules! binary_from {
    ($($t:ty),*) => {$(
        impl From<$t> for BinaryBody {
            fn from(body: $t) -> Self {
                BinaryBody::new(body)
            }
        }
    )*};
}

binary_from!(
    Vec<u8>,
    &'static [u8],
    String,
    &'static str,
    reqwest::Body,
    tokio::fs::File
);

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
    /// An empty request; see [`Transport::request`](super::Transport::request).
    pub(super) fn new(method: reqwest::Method, idempotent: bool) -> Self {
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
            stream: false,
            timeout: None,
            retry: None,
            server: None,
            url: None,
        }
    }

    /// A copy to send again (the next page of a paginated call), or `None` when the body
    /// cannot be copied (a stream, a multipart form).
    pub(super) fn try_clone(&self) -> Option<Request> {
        let body = match &self.body {
            None => None,
            Some((content_type, body)) => Some((
                content_type.clone(),
                reqwest::Body::from(bytes::Bytes::copy_from_slice(body.as_bytes()?)),
            )),
        };
        if self.multipart.is_some() {
            return None;
        }
        Some(Request {
            invalid: self.invalid.clone(),
            method: self.method.clone(),
            idempotent: self.idempotent,
            path: self.path.clone(),
            query: self.query.clone(),
            headers: self.headers.clone(),
            cookies: self.cookies.clone(),
            body,
            multipart: None,
            accept: self.accept.clone(),
            stream: self.stream,
            timeout: self.timeout,
            retry: self.retry.clone(),
            server: self.server,
            url: self.url.clone(),
        })
    }

    /// The value of query parameter `name`, if it has one.
    pub(super) fn query_value(&self, name: &str) -> Option<&str> {
        self.query
            .iter()
            .find(|(own, _)| own == name)
            .map(|(_, value)| value.as_str())
    }

    /// Sends the request to `url` (a next page's, as the server wrote it) instead of its
    /// path and query.
    pub(super) fn follow(&mut self, url: String) {
        self.query.clear();
        self.url = Some(url);
    }

    /// Sends the request to the operation's own server (`servers` on the operation or its
    /// path in the spec), a URL template with its variables' defaults, instead of the
    /// client's base URL. The builder's server variables and replaced servers apply.
    pub fn server(
        &mut self,
        template: &'static str,
        defaults: &'static [(&'static str, &'static str)],
    ) {
        self.server = Some((template, defaults));
    }

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

    /// Appends a path parameter that spans segments (`x-multi-segment: true`: a file path,
    /// a ref such as `heads/main`): split at `/`, each segment percent-encoded on its own,
    /// the separators kept. The value may be empty (a repository's root directory,
    /// `contents/`); an empty segment inside it (`a//b`), a leading or trailing `/`, and `.`
    /// or `..` as a segment are refused: they would change which path is requested.
    pub fn push_path_segments<T: Serialize + ?Sized>(&mut self, value: &T) {
        let outcome = self.try_push_path_segments(value);
        self.record(outcome);
    }

    fn try_push_path_segments<T: Serialize + ?Sized>(&mut self, value: &T) -> Result<(), String> {
        let text = match to_value("a path parameter", value)? {
            Value::Null => String::new(),
            other => scalar(&other).unwrap_or_default(),
        };
        if text.is_empty() {
            return Ok(());
        }
        let mut encoded = Vec::new();
        for segment in text.split('/') {
            if segment.is_empty() {
                return Err(format!(
                    "a path parameter cannot have an empty segment: `{text}`"
                ));
            }
            if is_dot_segment(segment) {
                return Err(format!(
                    "a path parameter cannot have `{segment}` as a segment: URLs treat it as a relative segment, even percent-encoded"
                ));
            }
            encoded.push(encode_segment(segment));
        }
        self.path.push_str(&encoded.join("/"));
        Ok(())
    }

    /// Adds a query parameter; `None` (null) adds nothing.
    pub fn query<T: Serialize + ?Sized>(&mut self, name: &str, value: &T, style: QueryStyle) {
        match to_value("a query parameter", value) {
            Ok(value) => self.push_query(name, value, style),
            Err(message) => self.record(Err(message)),
        }
    }

    /// Sets a query parameter, replacing the values it had (an optional parameter's setter
    /// called twice, a next page's cursor).
    pub fn set_query<T: Serialize + ?Sized>(&mut self, name: &str, value: &T, style: QueryStyle) {
        let nested = format!("{name}[");
        self.query
            .retain(|(own, _)| own != name && !own.starts_with(&nested));
        self.query(name, value, style);
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

    /// Sets a header parameter, replacing an earlier value of the same name; `None` adds
    /// nothing. Line breaks are refused.
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
        self.headers.retain(|(own, _)| *own != header_name);
        self.headers.push((header_name, header_value));
        Ok(())
    }

    /// Sets a cookie parameter, replacing an earlier value of the same name; `None` adds
    /// nothing.
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
            let own = format!("{name}=");
            self.cookies.retain(|cookie| !cookie.starts_with(&own));
            self.cookies.push(format!("{own}{text}"));
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

    /// Sets an `application/x-www-form-urlencoded` body from the value's top-level fields
    /// (arrays repeat the field).
    pub fn form<T: Serialize + ?Sized>(&mut self, body: &T) {
        self.form_with_commas(body, &[]);
    }

    /// [`Request::form`], with the arrays of the fields named in `comma` sent as one
    /// comma-separated value (`k=a,b`).
    pub fn form_with_commas<T: Serialize + ?Sized>(&mut self, body: &T, comma: &[&str]) {
        match to_value("the body", body) {
            Ok(value) => {
                let mut form = percent_encoding_form(&value, comma);
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

    /// Adds a text part to the multipart body (started by the first part): a string as it
    /// is, a number or boolean as written in JSON, anything else as JSON text. `null` adds
    /// nothing.
    pub fn part_text<T: Serialize + ?Sized>(&mut self, name: &str, value: &T) {
        let text = match to_value("a multipart field", value) {
            Ok(Value::Null) => return,
            Ok(Value::String(s)) => s,
            Ok(other) => other.to_string(),
            Err(message) => return self.record(Err(message)),
        };
        let form = self.multipart.take().unwrap_or_default();
        self.multipart = Some(form.text(name.to_string(), text));
    }

    /// Adds a file part to the multipart body, with the file's name and content type.
    pub fn part_file(&mut self, name: &str, file: &FilePart) {
        match file.part() {
            Ok(part) => {
                let form = self.multipart.take().unwrap_or_default();
                self.multipart = Some(form.part(name.to_string(), part));
            }
            Err(message) => self.record(Err(message)),
        }
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

    /// Sets a binary body with the caller's content type, else `default_type` (the spec's;
    /// `application/octet-stream` where the spec allows any, `*/*`).
    pub fn binary(&mut self, default_type: &'static str, body: BinaryBody) {
        let content_type = match (body.content_type, default_type.contains('*')) {
            (Some(Ok(value)), _) => value,
            (Some(Err(message)), _) => return self.record(Err(message)),
            (None, false) => HeaderValue::from_static(default_type),
            (None, true) => HeaderValue::from_static("application/octet-stream"),
        };
        self.body = Some((content_type, body.body));
    }

    /// Sets the `Accept` header.
    pub fn accept(&mut self, accept: &'static str) {
        self.accept = Some(HeaderValue::from_static(accept));
    }

    /// Sets the `Accept` header to a caller's value, refused if it is not a valid header.
    pub(super) fn accept_any(&mut self, accept: &str) {
        match HeaderValue::from_str(accept) {
            Ok(value) => self.accept = Some(value),
            Err(_) => self.record(Err(format!(
                "the media type {accept:?} is not a valid Accept header"
            ))),
        }
    }

    /// Replaces the body's `Content-Type` with a caller's value (another media type the
    /// spec documents for the body, encoded alike), refused if it is not a valid header or
    /// the body is multipart (whose type carries the boundary).
    pub(super) fn content_type_any(&mut self, media: &str) {
        let value = match HeaderValue::from_str(media) {
            Ok(value) => value,
            Err(_) => {
                return self.record(Err(format!(
                    "the media type {media:?} is not a valid Content-Type header"
                )))
            }
        };
        match (&mut self.body, &self.multipart) {
            (Some((content_type, _)), _) => *content_type = value,
            (None, Some(_)) => self.record(Err(
                "a multipart body's Content-Type is set by the client".to_string(),
            )),
            (None, None) => self.record(Err(format!("the call has no body to send as {media:?}"))),
        }
    }

    /// For operations that document an idempotency key header (`Idempotency-Key`): unless
    /// the caller gave one, a new random key (a version 4 UUID) for this call, sent with each
    /// of its attempts; either way the server can tell a retry from a new request, so the
    /// call is retried like an idempotent one.
    pub fn idempotency_key(&mut self, name: &str) {
        let given = self
            .headers
            .iter()
            .any(|(own, _)| own.as_str().eq_ignore_ascii_case(name));
        if !given {
            let key = uuid::Uuid::new_v4().to_string();
            self.header(name, &key);
        }
        self.idempotent = true;
    }

    /// Hands a success's body over unread (see
    /// [`Response::events`](super::Response::events)): for operations whose successes are
    /// streams.
    pub fn stream_response(&mut self) {
        self.stream = true;
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

fn percent_encoding_form(value: &Value, comma: &[&str]) -> String {
    let encode = |s: &str| percent_encoding::utf8_percent_encode(s, SEGMENT).to_string();
    let mut pairs = Vec::new();
    if let Value::Object(map) = value {
        for (k, v) in map {
            match v {
                Value::Array(items) if comma.contains(&k.as_str()) => {
                    let joined: Vec<String> = items.iter().filter_map(scalar).collect();
                    pairs.push(format!("{}={}", encode(k), encode(&joined.join(","))));
                }
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

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::BTreeMap;

    fn get() -> Request {
        Request::new(reqwest::Method::GET, true)
    }

    fn query(value: &Value, style: QueryStyle) -> Vec<(String, String)> {
        let mut request = get();
        request.query("k", value, style);
        assert_eq!(request.invalid(), None);
        request.query
    }

    fn pairs(list: &[(&str, &str)]) -> Vec<(String, String)> {
        list.iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect()
    }

    #[test]
    fn segments_cannot_escape() {
        assert_eq!(encode_segment("a/b c"), "a%2Fb%20c");
        assert_eq!(encode_segment("../x"), "..%2Fx");
        assert_eq!(encode_segment("?#%"), "%3F%23%25");
        assert_eq!(encode_segment("my-company_1.x~"), "my-company_1.x~");
        for value in [".", "..", ""] {
            let mut request = get();
            request.push_path_param(&value);
            assert!(request.invalid().is_some(), "{value:?}");
        }
        let mut request = get();
        request.push_path("/a/");
        request.push_path_param(&"...");
        request.push_path("/");
        request.push_path_param(&["x/y", "z"]);
        assert_eq!(request.invalid(), None);
        assert_eq!(request.path, "/a/.../x%2Fy%2Cz");
    }

    #[test]
    fn multi_segment_parameters_keep_their_slashes_and_nothing_else() {
        let cases = [
            ("docs/read me.md", Some("/c/docs/read%20me.md")),
            ("heads/main", Some("/c/heads/main")),
            ("a?b#c/%2F", Some("/c/a%3Fb%23c/%252F")),
            ("", Some("/c/")),
            ("...", Some("/c/...")),
            ("a/../b", None),
            ("./a", None),
            ("a/.", None),
            ("a//b", None),
            ("/a", None),
            ("a/", None),
        ];
        for (value, expected) in cases {
            let mut request = get();
            request.push_path("/c/");
            request.push_path_segments(&value);
            match expected {
                Some(path) => {
                    assert_eq!(request.invalid(), None, "{value:?}");
                    assert_eq!(request.path, path, "{value:?}");
                }
                None => assert!(request.invalid().is_some(), "{value:?}"),
            }
        }
    }

    #[test]
    fn the_first_invalid_argument_is_kept() {
        let mut request = get();
        request.push_path_param(&"");
        request.header("X-A", "line\nbreak");
        assert_eq!(request.invalid(), Some("a path parameter is empty"));
    }

    #[test]
    fn query_arrays_in_each_style() {
        let items = serde_json::json!(["a", "b c", 3]);
        let cases = [
            (
                QueryStyle::Repeat,
                pairs(&[("k", "a"), ("k", "b c"), ("k", "3")]),
            ),
            (QueryStyle::Comma, pairs(&[("k", "a,b c,3")])),
            (QueryStyle::Space, pairs(&[("k", "a b c 3")])),
            (QueryStyle::Pipe, pairs(&[("k", "a|b c|3")])),
            (QueryStyle::DeepObject, pairs(&[("k", "a,b c,3")])),
        ];
        for (style, expected) in cases {
            assert_eq!(query(&items, style), expected, "{style:?}");
        }
    }

    #[test]
    fn query_objects_in_each_style() {
        let object = serde_json::json!({ "x": 1, "y": "two", "z": null });
        let cases = [
            (QueryStyle::Repeat, pairs(&[("x", "1"), ("y", "two")])),
            (QueryStyle::Comma, pairs(&[("k", "x,1,y,two")])),
            (
                QueryStyle::DeepObject,
                pairs(&[("k[x]", "1"), ("k[y]", "two")]),
            ),
        ];
        for (style, expected) in cases {
            assert_eq!(query(&object, style), expected, "{style:?}");
        }
    }

    #[test]
    fn query_scalars_and_nulls() {
        assert_eq!(
            query(&serde_json::json!(true), QueryStyle::Repeat),
            pairs(&[("k", "true")])
        );
        assert_eq!(
            query(&serde_json::json!(2.5), QueryStyle::Repeat),
            pairs(&[("k", "2.5")])
        );
        assert_eq!(query(&Value::Null, QueryStyle::Repeat), pairs(&[]));
        let none: Option<u32> = None;
        let mut request = get();
        request.query("k", &none, QueryStyle::Repeat);
        assert!(request.query.is_empty());
    }

    #[test]
    fn headers_are_checked() {
        let mut request = get();
        request.header("X-List", &["a", "b"]);
        request.header("X-None", &None::<String>);
        assert_eq!(request.invalid(), None);
        assert_eq!(request.headers.len(), 1);
        assert_eq!(request.headers[0].0, "x-list");
        assert_eq!(request.headers[0].1, "a,b");
        let mut request = get();
        request.header("X-A", "evil\r\nX-B: 1");
        assert!(request.invalid().unwrap().contains("X-A"));
        let mut request = get();
        request.header("bad name", "v");
        assert!(request.invalid().is_some());
    }

    #[test]
    fn cookies_are_checked() {
        let mut request = get();
        request.cookie("session", "abc");
        request.cookie("ids", &[1, 2]);
        request.cookie("none", &None::<String>);
        assert_eq!(request.invalid(), None);
        assert_eq!(request.cookies, ["session=abc", "ids=1,2"]);
        for evil in ["a;b=c", "a\r\nb"] {
            let mut request = get();
            request.cookie("c", evil);
            assert!(request.invalid().is_some(), "{evil:?}");
        }
    }

    #[test]
    fn form_bodies_encode_fields_and_repeat_arrays() {
        let body = serde_json::json!({ "name": "a b&c", "tags": ["x", "y"], "none": null, "n": 1 });
        let mut request = get();
        request.form(&body);
        let (content_type, bytes) = request.body.take().unwrap();
        assert_eq!(content_type, "application/x-www-form-urlencoded");
        let bytes = bytes.as_bytes().unwrap().to_vec();
        assert_eq!(
            String::from_utf8(bytes).unwrap(),
            "name=a%20b%26c&tags=x&tags=y&n=1"
        );
    }

    #[test]
    fn form_fields_named_comma_join_their_arrays() {
        let body = serde_json::json!({ "tags": ["x", "y,z"], "ids": [1, 2] });
        let mut request = get();
        request.form_with_commas(&body, &["tags"]);
        let (_, bytes) = request.body.take().unwrap();
        let bytes = bytes.as_bytes().unwrap().to_vec();
        assert_eq!(
            String::from_utf8(bytes).unwrap(),
            "tags=x%2Cy%2Cz&ids=1&ids=2"
        );
    }

    #[test]
    fn json_text_and_bytes_bodies() {
        let mut request = get();
        let body: BTreeMap<&str, u32> = [("a", 1)].into();
        request.json("application/vnd.api+json", &body);
        let (content_type, bytes) = request.body.take().unwrap();
        assert_eq!(content_type, "application/vnd.api+json");
        assert_eq!(bytes.as_bytes().unwrap(), br#"{"a":1}"#);
        request.text("text/plain", "hello");
        let (content_type, bytes) = request.body.take().unwrap();
        assert_eq!(
            (content_type.to_str().unwrap(), bytes.as_bytes().unwrap()),
            ("text/plain", &b"hello"[..])
        );
        request.bytes("application/octet-stream", vec![0u8, 255]);
        let (content_type, bytes) = request.body.take().unwrap();
        assert_eq!(content_type, "application/octet-stream");
        assert_eq!(bytes.as_bytes().unwrap(), [0, 255]);
    }
}
