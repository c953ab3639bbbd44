//! Sending: the connection to one server, shared by clones of a client, which adds the
//! credentials, sends with the timeout, retries as the policy allows, follows redirects
//! (see [`super::redirect`]) and reads the response.

use std::fmt;
use std::sync::Arc;
use std::time::Duration;

use super::builder::{AuthScheme, Secret};
use super::drift::DecodeMode;
use super::error::Error;
use super::redirect::{next_hop, Credential, MAX_REDIRECTS};
use super::request::Request;
use super::response::{Response, ResponseValue};
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
    pub(super) scheme: AuthScheme,
    pub(super) token: Option<Secret>,
    /// Sent with every request that does not set the same header: `User-Agent` and the
    /// builder's default headers.
    pub(super) headers: reqwest::header::HeaderMap,
    pub(super) http: reqwest::Client,
    pub(super) timeout: Duration,
    pub(super) retry: RetryPolicy,
}

impl fmt::Debug for Transport {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Transport")
            .field("base_url", &self.inner.base_url)
            .field("scheme", &self.inner.scheme)
            .field("token", &self.inner.token)
            .field("headers", &self.inner.headers.keys().collect::<Vec<_>>())
            .field("timeout", &self.inner.timeout)
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

    fn build<E>(&self, request: Request) -> Result<reqwest::Request, Error<E>> {
        let inner = &*self.inner;
        let url = match request.server {
            None => format!("{}{}", inner.base_url, request.path),
            Some((template, defaults)) => {
                let base = inner
                    .servers
                    .operation_base(template, defaults)
                    .map_err(Error::InvalidRequest)?;
                format!("{base}{}", request.path)
            }
        };
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
        builder.build().map_err(Error::Transport)
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
            return Err(Error::InvalidRequest(message));
        }
        let policy = &self.inner.retry;
        let may_retry = request.idempotent || policy.retry_non_idempotent;
        let described = format!("{} {}", request.method, request.path);
        let request = self.build(request)?;
        let origin = request.url().clone();
        let credential = match self.inner.scheme {
            AuthScheme::Header(name) => reqwest::header::HeaderName::from_bytes(name.as_bytes())
                .ok()
                .map(Credential::Header),
            AuthScheme::Query(name) => Some(Credential::Query(name)),
            _ => None,
        };
        let mut attempt = 0u32;
        let mut redirects = 0u32;
        let mut pending = Some(request);
        loop {
            let Some(current) = pending.take() else {
                return Err(Error::InvalidRequest(
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
            let outcome = self.inner.http.execute(current).await;
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
                    let response = outcome.map_err(Error::Transport)?;
                    let status = response.status();
                    let hop = match &copy {
                        Some(sent) if redirects < MAX_REDIRECTS => next_hop(
                            status,
                            response.headers(),
                            sent,
                            &origin,
                            credential.as_ref(),
                        ),
                        _ => None,
                    };
                    if let Some(next) = hop {
                        redirects += 1;
                        attempt = 0;
                        pending = Some(next);
                        continue;
                    }
                    let headers = response.headers().clone();
                    let body = response.bytes().await.map_err(Error::Transport)?;
                    return Ok(Response::new(
                        status,
                        headers,
                        body.to_vec(),
                        self.mode,
                        described,
                    ));
                }
            }
        }
    }
}
