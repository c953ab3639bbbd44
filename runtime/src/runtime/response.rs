//! Responses: read in full by the transport, then decoded by generated code into a typed
//! success ([`ResponseValue`]) or an [`Error`].

use reqwest::header::HeaderMap;
use reqwest::StatusCode;
use serde::de::DeserializeOwned;

use super::error::{ApiError, Error};
use super::path::{self, DecodePath};

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
    /// A response as read from the wire.
    pub(super) fn new(status: StatusCode, headers: HeaderMap, body: Vec<u8>) -> Self {
        Response {
            status,
            headers,
            body,
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
        })
    }

    fn decode<T: DeserializeOwned, E>(&self) -> Result<T, Error<E>> {
        let fail = |path: DecodePath, message: String| Error::Decode {
            status: self.status,
            headers: Box::new(self.headers.clone()),
            body: String::from_utf8_lossy(&self.body).into_owned(),
            path,
            message,
        };
        // A failure recorded by an earlier decode on this thread is not this body's.
        path::take();
        let mut de = serde_json::Deserializer::from_slice(&self.body);
        let value = serde_path_to_error::deserialize(&mut de).map_err(|e| {
            let (path, message) = DecodePath::locate(None, e);
            fail(path, message)
        })?;
        // Trailing garbage after the JSON value is an error too.
        de.end()
            .map_err(|e| fail(DecodePath::root(), e.to_string()))?;
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
