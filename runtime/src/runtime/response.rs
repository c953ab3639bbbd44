//! Responses: read in full by the transport, then decoded by generated code into a typed
//! success ([`ResponseValue`]) or an [`Error`].

use std::fmt;

use reqwest::header::HeaderMap;
use reqwest::StatusCode;

use super::decode::{self, Decode, Decoded};
use super::drift::{self, DecodeMode, Drift};
use super::error::{ApiError, Error};

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
    mode: DecodeMode,
    /// The request, for log lines: `GET /repos/{owner}/{repo}` with its values, no query.
    request: String,
}

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
        body: Vec<u8>,
        mode: DecodeMode,
        request: String,
    ) -> Self {
        Response {
            status,
            headers,
            body,
            mode,
            request,
        }
    }

    /// The status.
    pub fn status(&self) -> StatusCode {
        self.status
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
        match decode::from_slice::<T>(&self.body, self.mode) {
            Ok(decoded) => {
                drift::log(&Origin(self), &decoded.drift);
                Ok(decoded)
            }
            Err(e) => {
                let (path, message) = e.into_parts();
                Err(Error::Decode {
                    status: self.status,
                    headers: Box::new(self.headers.clone()),
                    body: String::from_utf8_lossy(&self.body).into_owned(),
                    path,
                    message,
                })
            }
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
