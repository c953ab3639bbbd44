//! Sending: the connection to one server, shared by clones of a client, which adds the
//! credentials, sends with the timeout, retries as the policy allows, follows redirects
//! (see [`super::redirect`]) and reads the response.

use std::fmt;

use std::sync::Arc;
use std::time::Duration;
use tracing::Instrument as _;

use super::builder::{AuthScheme, Hooks};
use super::call::Call;
use super::credentials::{set_query_param, CredentialError, Secret, Shape, Source};
use super::drift::DecodeMode;
use super::error::Error;
use super::redirect::{next_hop, Credential, MAX_REDIRECTS};
use super::request::Request;
use super::response::{Body, Response, ResponseValue};
use super::retry::{is_connection_error, RetryPolicy};
use super::server::Servers;

/// The connection to one server: shared by clones of a client. Its `Debug` never shows the
/// token.
#[derive(Clone)]
pub struct Transport {
    inner: Arc<Inner>,
    /// Per clone, so that one clone can decode strictly (see [`Transport::with_decode_mode`]).
    mode: DecodeMode,
}

/// What a transport sends with, as [`ClientBuilder::build`](super::ClientBuilder::build)
/// validated it.
pub(super) struct Inner {
    pub(super) base_url: String,
    /// Server variables and replaced operation servers.
    pub(super) servers: Servers,
    /// How the token is sent, and where it comes from.
    pub(super) shape: Shape,
    pub(super) source: Source,
    /// The further API keys the spec requires with the token (see
    /// [`ClientBuilder::api_key`](super::ClientBuilder::api_key)), shaped.
    pub(super) keys: Vec<(Shape, Secret)>,
    /// Where the token and the keys go besides `Authorization` and `Cookie`
    /// ([`credential_places`]): what a redirect to another origin drops and logs hide.
    pub(super) credentials: Vec<Credential>,
    pub(super) hooks: Hooks,
    /// Sent with every request that does not set the same header: `User-Agent` and the
    /// builder's default headers.
    pub(super) headers: reqwest::header::HeaderMap,
    pub(super) http: reqwest::Client,
    pub(super) timeout: Duration,
    /// The largest body read whole (see `ClientBuilder::max_response_size`).
    pub(super) max_response_size: u64,
    pub(super) retry: RetryPolicy,
}

impl fmt::Debug for Transport {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Transport")
            .field("base_url", &self.inner.base_url)
            .field("shape", &self.inner.shape)
            .field("token", &self.inner.source)
            .field("keys", &self.inner.keys)
            .field("hooks", &self.inner.hooks)
            .field("headers", &self.inner.headers.keys().collect::<Vec<_>>())
            .field("timeout", &self.inner.timeout)
            .field("max_response_size", &self.inner.max_response_size)
            .field("retry", &self.inner.retry)
            .field("mode", &self.mode)
            .finish()
    }
}

impl Transport {
    /// The transport [`ClientBuilder::build`](super::ClientBuilder::build) validated.
    pub(super) fn new(inner: Inner, mode: DecodeMode) -> Self {
        Transport {
            inner: Arc::new(inner),
            mode,
        }
    }

    /// This transport, decoding responses in `mode`: generated clients offer it as
    /// `with_decode_mode`, for one call or a few.
    pub fn with_decode_mode(&self, mode: DecodeMode) -> Self {
        Transport {
            inner: Arc::clone(&self.inner),
            mode,
        }
    }

    /// How responses are decoded.
    pub fn decode_mode(&self) -> DecodeMode {
        self.mode
    }

    /// The base URL, without a trailing slash.
    pub fn base_url(&self) -> &str {
        &self.inner.base_url
    }

    /// Starts a request. `idempotent` requests are retried by the default policy.
    pub fn request(&self, method: reqwest::Method, idempotent: bool) -> Request {
        Request::new(method, idempotent)
    }

    fn build(&self, request: Request) -> Result<reqwest::Request, Failure> {
        let inner = &*self.inner;
        let base = match request.server {
            None => std::borrow::Cow::Borrowed(inner.base_url.as_str()),
            Some((template, defaults)) => std::borrow::Cow::Owned(
                inner
                    .servers
                    .operation_base(template, defaults)
                    .map_err(Failure::InvalidRequest)?,
            ),
        };
        let url = match &request.url {
            None => format!("{base}{}", request.path),
            Some(next) => same_origin(&base, next, inner.query_keys().next().is_some())
                .map_err(Failure::InvalidRequest)?,
        };
        let mut builder = inner
            .http
            .request(request.method, url)
            .timeout(request.timeout.unwrap_or(inner.timeout));
        // The credential is put on last, by `send` (see `Shape::apply`).
        let query = request.query;
        let cookies = request.cookies;
        if !query.is_empty() {
            builder = builder.query(&query);
        }
        for (name, value) in &inner.headers {
            if !request.headers.iter().any(|(own, _)| own == name) {
                builder = builder.header(name, value);
            }
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
        builder.build().map_err(Failure::Transport)
    }

    /// What every generated method returns: a [`Call`] that, when awaited, sends `request`
    /// (or returns the first invalid argument, sending nothing) and hands the response to
    /// `decode`, the operation's match on the status.
    ///
    /// It owns everything it needs (a clone of the transport and the assembled request), so
    /// its future is `'static`: arguments are borrowed only while the method runs, and the
    /// call can be spawned.
    pub fn call<T, E, D>(&self, request: Request, decode: D) -> Call<D>
    where
        D: FnOnce(Response) -> Result<ResponseValue<T>, Error<E>> + Send + 'static,
    {
        // Built here rather than by a constructor: one generic function per operation, not
        // two, for the client crate to compile.
        Call {
            transport: self.clone(),
            request,
            decode,
        }
    }

    /// The credential for the next request: the fixed one, or the provider's (a new one
    /// when `refresh`), shaped.
    async fn credential(&self, refresh: bool) -> Result<Option<Secret>, Failure> {
        match &self.inner.source {
            Source::Nothing => Ok(None),
            Source::Fixed(secret) => Ok(Some(secret.clone())),
            Source::Provider(provider) => {
                let token = provider
                    .credential(refresh)
                    .await
                    .map_err(Failure::Credentials)?;
                let secret = self
                    .inner
                    .shape
                    .value(&token)
                    .map_err(|e| Failure::Credentials(Box::new(e)))?;
                Ok(Some(secret))
            }
        }
    }

    /// Sends `request`, retrying as the policy allows, and reads the whole response (a
    /// success of a request that streams its response is handed over unread).
    ///
    /// Generic over the error body type only to fit the caller's `Result`: the work is done
    /// once, by a non-generic function (compiled once, not once per operation's error type,
    /// which big APIs pay for in build time and memory).
    pub async fn send<E>(&self, request: Request) -> Result<Response, Error<E>> {
        self.send_once(request).await.map_err(Error::from)
    }

    /// [`Self::send`], in one span per call (`status` recorded when the last response
    /// arrives).
    fn send_once(
        &self,
        request: Request,
    ) -> impl std::future::Future<Output = Result<Response, Failure>> + Send + '_ {
        let span = tracing::debug_span!(
            "call",
            method = %request.method,
            path = %request.path,
            status = tracing::field::Empty,
        );
        let inner = &*self.inner;
        async move {
            self.send_in_span(request)
                .await
                .map_err(|failure| failure.redacted(inner))
        }
        .instrument(span)
    }

    async fn send_in_span(&self, mut request: Request) -> Result<Response, Failure> {
        if let Some(message) = request.invalid.take() {
            return Err(Failure::InvalidRequest(message));
        }
        let own_policy = request.retry.take();
        let policy = own_policy.as_ref().unwrap_or(&self.inner.retry);
        let may_retry = request.idempotent || policy.retry_non_idempotent;
        let described = format!("{} {}", request.method, request.path);
        let stream = request.stream;
        let span = tracing::Span::current();
        let mut request = self.build(request)?;
        let shape = &self.inner.shape;
        let mut token = self.credential(false).await?;
        if let Some(token) = &token {
            shape.apply(&mut request, token);
        }
        for (shape, key) in &self.inner.keys {
            shape.apply(&mut request, key);
        }
        let mut refreshed = false;
        let origin = request.url().clone();
        let credentials = &self.inner.credentials;
        let mut attempt = 0u32;
        let mut redirects = 0u32;
        let mut pending = Some(request);
        loop {
            let Some(current) = pending.take() else {
                return Err(Failure::InvalidRequest(
                    "the request could not be repeated".to_string(),
                ));
            };
            let can_retry = may_retry && attempt < policy.max_retries;
            // One copy serves a retry or the next hop of a redirect (a streamed body has
            // none: such a request is neither retried nor redirected).
            let copy = if can_retry || redirects < MAX_REDIRECTS {
                current.try_clone()
            } else {
                None
            };
            let retry_copy = if can_retry { copy.as_ref() } else { None };
            let mut current = current;
            if let Some(hook) = &self.inner.hooks.request {
                hook(&mut current);
            }
            tracing::debug!(attempt = attempt + 1, redirects, url = %RedactedUrl(current.url(), credentials), "sending");
            let outcome = self.inner.http.execute(current).await;
            if let (Ok(response), Some(hook)) = (&outcome, &self.inner.hooks.response) {
                hook(response);
            }
            let delay = match (&outcome, retry_copy) {
                (_, None) => None,
                (Ok(response), Some(_))
                    if policy.statuses.contains(&response.status().as_u16()) =>
                {
                    policy.delay_after(response.headers(), attempt)
                }
                (Err(e), Some(_)) if is_connection_error(e) => Some(policy.backoff(attempt)),
                _ => None,
            };
            match delay {
                Some(delay) => {
                    tokio::time::sleep(delay).await;
                    attempt += 1;
                    pending = copy;
                }
                None => {
                    let response = outcome.map_err(Failure::Transport)?;
                    let status = response.status();
                    span.record("status", status.as_u16());
                    // A 401 to a request that carried a provider's token: ask for a new
                    // one and send again, once (never to another origin).
                    let refresh = status == reqwest::StatusCode::UNAUTHORIZED
                        && !refreshed
                        && matches!(self.inner.source, Source::Provider(_))
                        && response.url().origin() == origin.origin();
                    if let (true, Some(mut again)) =
                        (refresh, copy.as_ref().and_then(|c| c.try_clone()))
                    {
                        refreshed = true;
                        token = self.credential(true).await?;
                        if let Some(token) = &token {
                            shape.apply(&mut again, token);
                        }
                        pending = Some(again);
                        continue;
                    }
                    let hop = match &copy {
                        Some(sent) if redirects < MAX_REDIRECTS => {
                            next_hop(status, response.headers(), sent, &origin, credentials)
                        }
                        _ => None,
                    };
                    if let Some(next) = hop {
                        redirects += 1;
                        attempt = 0;
                        pending = Some(next);
                        continue;
                    }
                    let headers = response.headers().clone();
                    let limit = self.inner.max_response_size;
                    let body = if stream && status.as_u16() < 400 {
                        Body::Live(response)
                    } else {
                        Body::Read(read_body(response, limit).await?)
                    };
                    let response = Response::new(status, headers, body, self.mode, described);
                    return Ok(response.with_limit(limit));
                }
            }
        }
    }
}

/// The whole body of `response`, unless it is larger than `limit` bytes (decompressed): refused
/// before reading when its `Content-Length` says so, else as soon as more has arrived, so an
/// endless body costs at most `limit` bytes of memory.
async fn read_body(mut response: reqwest::Response, limit: u64) -> Result<bytes::Bytes, Failure> {
    let too_large = |response: &reqwest::Response| Failure::TooLarge {
        status: response.status(),
        headers: Box::new(response.headers().clone()),
        limit,
    };
    let announced = response.content_length();
    if announced.is_some_and(|length| length > limit) {
        return Err(too_large(&response));
    }
    // What the server announces is reserved, up to 1 MiB: a claim is not a body.
    let reserved = announced.unwrap_or(0).min(1 << 20);
    let mut body = bytes::BytesMut::with_capacity(usize::try_from(reserved).unwrap_or(0));
    while let Some(chunk) = response.chunk().await.map_err(Failure::Transport)? {
        if (body.len() + chunk.len()) as u64 > limit {
            return Err(too_large(&response));
        }
        body.extend_from_slice(&chunk);
    }
    Ok(body.freeze())
}

/// `next` (a page's URL as a server wrote it, absolute or relative) resolved against `base`,
/// if it is on the same origin: a server cannot send the client, and its credential, to
/// another host. The messages do not repeat a URL that cannot be shown without the query
/// key (a server may echo it in its links).
fn same_origin(base: &str, next: &str, query_key: bool) -> Result<String, String> {
    let base =
        reqwest::Url::parse(base).map_err(|e| format!("the base URL `{base}` is invalid: {e}"))?;
    let url = base.join(next).map_err(|e| {
        if query_key {
            format!("the next page's URL is invalid: {e}")
        } else {
            format!("the next page's URL `{next}` is invalid: {e}")
        }
    })?;
    if url.origin() != base.origin() {
        return Err(format!(
            "the next page's URL is on {}, not on the API's origin {}: not followed",
            url.origin().ascii_serialization(),
            base.origin().ascii_serialization()
        ));
    }
    Ok(url.into())
}

/// What sending can fail with, before the operation's error type is known.
enum Failure {
    Transport(reqwest::Error),
    InvalidRequest(String),
    Credentials(CredentialError),
    TooLarge {
        status: reqwest::StatusCode,
        headers: Box<reqwest::header::HeaderMap>,
        limit: u64,
    },
}

impl Failure {
    /// This failure without the credential the client adds: a transport error's URL (shown by
    /// its `Display` and `Debug`) carries a query key, which is replaced by `<redacted>`. The
    /// other locations (headers, cookies) never reach an error: `reqwest` does not show them.
    fn redacted(self, inner: &Inner) -> Failure {
        match self {
            Failure::Transport(mut e) => {
                if let Some(url) = e.url_mut() {
                    for name in inner.query_keys() {
                        redact_query(url, name);
                    }
                }
                Failure::Transport(e)
            }
            other => other,
        }
    }
}

/// Replaces the value of the query parameter `name` in `url`, if it has one, by `<redacted>`.
fn redact_query(url: &mut reqwest::Url, name: &str) {
    if url.query_pairs().any(|(k, _)| k == name) {
        set_query_param(url, name, Some(REDACTED));
    }
}

/// What a redacted credential is shown as.
const REDACTED: &str = "<redacted>";

impl<E> From<Failure> for Error<E> {
    fn from(failure: Failure) -> Self {
        match failure {
            Failure::Transport(e) => Error::Transport(e),
            Failure::InvalidRequest(message) => Error::InvalidRequest(message),
            Failure::Credentials(e) => Error::Credentials(e),
            Failure::TooLarge {
                status,
                headers,
                limit,
            } => Error::ResponseTooLarge {
                status,
                headers,
                limit,
            },
        }
    }
}

/// Where the credentials of `shapes` (the token's, the further keys') go besides
/// `Authorization` and `Cookie`: named headers and query parameters.
pub(super) fn credential_places<'a>(shapes: impl Iterator<Item = &'a Shape>) -> Vec<Credential> {
    shapes
        .filter_map(|shape| match shape.scheme {
            AuthScheme::Header(name) => reqwest::header::HeaderName::from_bytes(name.as_bytes())
                .ok()
                .map(Credential::Header),
            AuthScheme::Query(name) => Some(Credential::Query(name)),
            _ => None,
        })
        .collect()
}

impl Inner {
    /// The query parameters the client puts API keys in.
    fn query_keys(&self) -> impl Iterator<Item = &'static str> + '_ {
        query_keys(&self.credentials)
    }
}

/// The query parameters among `credentials`.
fn query_keys(credentials: &[Credential]) -> impl Iterator<Item = &'static str> + '_ {
    credentials
        .iter()
        .filter_map(|credential| match credential {
            Credential::Query(name) => Some(*name),
            Credential::Header(_) => None,
        })
}

/// A URL for logs: the values of the query parameters the client puts API keys in replaced.
struct RedactedUrl<'a>(&'a reqwest::Url, &'a [Credential]);

impl fmt::Display for RedactedUrl<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let (url, credentials) = (self.0, self.1);
        if query_keys(credentials).next().is_none() {
            return write!(f, "{url}");
        }
        let mut shown = url.clone();
        for name in query_keys(credentials) {
            redact_query(&mut shown, name);
        }
        write!(f, "{shown}")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn logged_urls_hide_the_query_keys() {
        let keys = [
            Credential::Query("api_key"),
            Credential::Header(reqwest::header::HeaderName::from_static("x-other")),
            Credential::Query("client_id"),
        ];
        let url = reqwest::Url::parse("https://h/x?api_key=SECRET&page=2&client_id=ID").unwrap();
        let shown = RedactedUrl(&url, &keys).to_string();
        assert!(
            !shown.contains("SECRET") && !shown.contains("ID"),
            "{shown}"
        );
        assert!(shown.contains("page=2"), "{shown}");
        let plain = reqwest::Url::parse("https://h/x?page=2").unwrap();
        assert_eq!(RedactedUrl(&plain, &keys).to_string(), "https://h/x?page=2");
        assert_eq!(RedactedUrl(&url, &[]).to_string(), url.as_str());
    }
}
