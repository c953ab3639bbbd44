//! Responses: read in full by the transport (or, for a streamed success, still arriving),
//! then decoded by generated code into a typed success ([`ResponseValue`]) or an [`Error`].

use std::fmt;

use reqwest::header::HeaderMap;
use reqwest::StatusCode;

use super::decode::{self, Decode, Decoded};
use super::drift::{self, DecodeMode, Drift, DriftKind};
use super::error::{ApiError, Error};
use super::stream::{ByteStream, EventStream};

/// A successful response: the typed body plus the status, the headers and the body's drift
/// from the spec. Dereferences to the body.
#[derive(Debug, Clone, PartialEq)]
pub struct ResponseValue<T> {
    status: StatusCode,
    headers: HeaderMap,
    inner: T,
    drift: Vec<Drift>,
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

    /// Where the body departs from the spec in ways the client tolerated (see
    /// [`DecodeMode`]): missing or `null` required properties (decoded as their fallback),
    /// properties the spec does not declare, strings outside their pattern. Empty when the
    /// body matches the spec, and always in [`DecodeMode::Strict`].
    pub fn drift(&self) -> &[Drift] {
        &self.drift
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
            drift: self.drift,
        }
    }
}

/// A decoded success put in the operation's enum of successes (`wrap` is a variant's
/// constructor), errors kept: what generated code calls instead of a closure per status.
pub fn map_success<T, S, E>(
    result: Result<ResponseValue<T>, Error<E>>,
    wrap: impl FnOnce(T) -> S,
) -> Result<ResponseValue<S>, Error<E>> {
    result.map(|value| value.map(wrap))
}

impl<T> std::ops::Deref for ResponseValue<T> {
    type Target = T;
    fn deref(&self) -> &T {
        &self.inner
    }
}

/// A response before decoding, read in full or (a success the call streams) still
/// arriving. Used by generated code.
#[derive(Debug)]
pub struct Response {
    status: StatusCode,
    headers: HeaderMap,
    body: Body,
    mode: DecodeMode,
    /// The request, for log lines: `GET /repos/{owner}/{repo}` with its values, no query.
    request: String,
    /// The most bytes an event of a streamed body may take (the client's
    /// `max_response_size`).
    limit: u64,
}

/// A response body: read, or still arriving.
#[derive(Debug)]
pub(super) enum Body {
    Read(bytes::Bytes),
    Live(reqwest::Response),
}

/// What a decoder reading a streamed body says: the transport streams only the successes of
/// calls that consume them as streams, so this is a defect of the caller, not of the server.
const STREAMED: &str = "the body is streamed and cannot be decoded at once";

/// What a log line says the body is: the status and the request.
struct Origin<'a>(&'a Response);

impl fmt::Display for Origin<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "the {} response to {}", self.0.status, self.0.request)
    }
}

impl Response {
    /// A response as read from the wire, to `request` (method and path, for log lines), to
    /// be decoded in `mode`.
    pub(super) fn new(
        status: StatusCode,
        headers: HeaderMap,
        body: Body,
        mode: DecodeMode,
        request: String,
    ) -> Self {
        Response {
            status,
            headers,
            body,
            mode,
            request,
            limit: super::DEFAULT_MAX_RESPONSE_SIZE,
        }
    }

    /// This response, its events limited to `limit` bytes each.
    pub(super) fn with_limit(mut self, limit: u64) -> Self {
        self.limit = limit;
        self
    }

    /// The status.
    pub fn status(&self) -> StatusCode {
        self.status
    }

    /// The body read so far: all of it, or nothing for a streamed body.
    fn read(&self) -> &[u8] {
        match &self.body {
            Body::Read(bytes) => bytes,
            Body::Live(_) => &[],
        }
    }

    /// The body as text for error values (lossy UTF-8).
    fn lossy(&self) -> String {
        String::from_utf8_lossy(self.read()).into_owned()
    }

    /// The body, moved out (an empty one left behind).
    fn take_body(&mut self) -> Body {
        std::mem::replace(&mut self.body, Body::Read(bytes::Bytes::new()))
    }

    /// A copy of this response (the body shared, not copied; empty for a streamed body,
    /// which the transport gives only to successes).
    pub(super) fn duplicate(&self) -> Response {
        let body = match &self.body {
            Body::Read(bytes) => bytes.clone(),
            Body::Live(_) => bytes::Bytes::new(),
        };
        Response {
            status: self.status,
            headers: self.headers.clone(),
            body: Body::Read(body),
            mode: self.mode,
            request: self.request.clone(),
            limit: self.limit,
        }
    }

    fn value<T, E>(self, inner: T) -> Result<ResponseValue<T>, Error<E>> {
        Ok(ResponseValue {
            status: self.status,
            headers: self.headers,
            inner,
            drift: Vec::new(),
        })
    }

    /// Decodes the body in the client's mode; drift is logged.
    fn decode<T: Decode, E>(&self) -> Result<Decoded<T>, Error<E>> {
        if let Body::Live(_) = self.body {
            return Err(self.decode_error(Default::default(), STREAMED.to_string()));
        }
        match decode::from_slice::<T>(self.read(), self.mode) {
            Ok(decoded) => {
                drift::log(&Origin(self), &decoded.drift);
                Ok(decoded)
            }
            Err(e) => {
                let (path, message) = e.into_parts();
                Err(self.decode_error(path, message))
            }
        }
    }

    fn decode_error<E>(&self, path: super::DecodePath, message: String) -> Error<E> {
        Error::Decode {
            status: self.status,
            headers: Box::new(self.headers.clone()),
            body: self.lossy(),
            path,
            message,
        }
    }

    /// Decodes a JSON success body.
    pub fn json<T: Decode, E>(self) -> Result<ResponseValue<T>, Error<E>> {
        let Decoded { value, drift } = self.decode()?;
        Ok(ResponseValue {
            status: self.status,
            headers: self.headers,
            inner: value,
            drift,
        })
    }

    /// A text success body. Bytes that are not UTF-8 are an [`Error::Decode`] in
    /// [`DecodeMode::Strict`]; otherwise they are replaced by U+FFFD and reported as drift.
    pub fn text<E>(self) -> Result<ResponseValue<String>, Error<E>> {
        if let Body::Live(_) = self.body {
            return Err(self.decode_error(Default::default(), STREAMED.to_string()));
        }
        let valid_up_to = match std::str::from_utf8(self.read()) {
            Ok(text) => {
                let inner = text.to_owned();
                return self.value(inner);
            }
            Err(e) => e.valid_up_to(),
        };
        let kind = DriftKind::NotUtf8 { valid_up_to };
        if self.mode == DecodeMode::Strict {
            return Err(self.decode_error(Default::default(), kind.to_string()));
        }
        let drift = vec![Drift {
            path: Default::default(),
            kind,
        }];
        drift::log(&Origin(&self), &drift);
        let inner = self.lossy();
        let mut value = self.value(inner)?;
        value.drift = drift;
        Ok(value)
    }

    /// A binary success body.
    pub fn bytes<E>(self) -> Result<ResponseValue<bytes::Bytes>, Error<E>> {
        match self.body {
            Body::Read(ref bytes) => {
                let inner = bytes.clone();
                self.value(inner)
            }
            Body::Live(_) => Err(self.decode_error(Default::default(), STREAMED.to_string())),
        }
    }

    /// A success body as a stream of byte chunks, however it was read.
    pub fn stream<E>(mut self) -> Result<ResponseValue<ByteStream>, Error<E>> {
        let body = self.take_body();
        self.value(ByteStream::new(body))
    }

    /// A `text/event-stream` success body as a stream of events whose data is JSON decoded
    /// into `T`, ending at the end marker (see [`EventStream`]).
    pub fn events<T: Decode + 'static, E>(
        mut self,
    ) -> Result<ResponseValue<EventStream<T>>, Error<E>> {
        let body = self.take_body();
        let events = EventStream::json(
            ByteStream::new(body),
            self.mode,
            self.request.clone(),
            self.limit,
        );
        self.value(events)
    }

    /// A `text/event-stream` success body as a stream of events whose data is kept as text.
    pub fn text_events<E>(mut self) -> Result<ResponseValue<EventStream<String>>, Error<E>> {
        let body = self.take_body();
        let events = EventStream::text(ByteStream::new(body), self.request.clone(), self.limit);
        self.value(events)
    }

    /// A success without a body (any body sent is ignored).
    pub fn empty<E>(self) -> Result<ResponseValue<()>, Error<E>> {
        self.value(())
    }

    fn api<E>(self, body: E) -> Error<E> {
        self.api_with_drift(body, Vec::new())
    }

    fn api_with_drift<E>(self, body: E, drift: Vec<Drift>) -> Error<E> {
        Error::Api(Box::new(ApiError {
            status: self.status,
            headers: self.headers,
            body,
            drift,
        }))
    }

    /// A documented JSON error body, wrapped by `wrap` into the operation's error type.
    pub fn error_json<B: Decode, E>(self, wrap: impl FnOnce(B) -> E) -> Error<E> {
        match self.decode::<B, E>() {
            Ok(Decoded { value, drift }) => self.api_with_drift(wrap(value), drift),
            Err(e) => e,
        }
    }

    /// A documented text error body.
    pub fn error_text<E>(self, wrap: impl FnOnce(String) -> E) -> Error<E> {
        let body = self.lossy();
        self.api(wrap(body))
    }

    /// A documented binary error body.
    pub fn error_bytes<E>(self, wrap: impl FnOnce(bytes::Bytes) -> E) -> Error<E> {
        let body = match &self.body {
            Body::Read(bytes) => bytes.clone(),
            Body::Live(_) => bytes::Bytes::new(),
        };
        self.api(wrap(body))
    }

    /// A documented error without a body.
    pub fn error_empty<E>(self, wrap: impl FnOnce(()) -> E) -> Error<E> {
        self.api(wrap(()))
    }

    /// A status the operation does not document.
    pub fn unexpected<E>(self) -> Error<E> {
        let body = self.lossy();
        Error::UnexpectedStatus {
            status: self.status,
            headers: Box::new(self.headers),
            body,
        }
    }
}
