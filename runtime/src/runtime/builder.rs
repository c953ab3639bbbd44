//! Building clients: server, credentials, HTTP client, timeouts and retries, validated once
//! in [`ClientBuilder::build`].

use std::fmt;
use std::marker::PhantomData;
use std::sync::Arc;
use std::time::Duration;

use reqwest::header::{HeaderMap, HeaderName, HeaderValue};

use super::credentials::{basic, CredentialProvider, Shape, Source};
use super::drift::DecodeMode;
use super::error::BuildError;
use super::retry::RetryPolicy;
use super::server::Servers;
use super::transport::{credential_places, Inner, Transport};

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

/// The default time a whole request may take, from connecting to the end of the body.
pub const DEFAULT_TIMEOUT: Duration = Duration::from_secs(30);

/// The default time connecting may take.
pub const DEFAULT_CONNECT_TIMEOUT: Duration = Duration::from_secs(10);

/// The default largest response body read whole, in bytes (decompressed): 64 MiB. See
/// [`ClientBuilder::max_response_size`].
pub const DEFAULT_MAX_RESPONSE_SIZE: u64 = 64 * 1024 * 1024;

/// A hook on each request about to be sent (see [`ClientBuilder::on_request`]).
type RequestHook = Arc<dyn Fn(&mut reqwest::Request) + Send + Sync>;

/// A hook on each response as it arrives (see [`ClientBuilder::on_response`]).
type ResponseHook = Arc<dyn Fn(&reqwest::Response) + Send + Sync>;

/// The hooks set on the builder.
#[derive(Clone, Default)]
pub(super) struct Hooks {
    pub(super) request: Option<RequestHook>,
    pub(super) response: Option<ResponseHook>,
}

impl fmt::Debug for Hooks {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Hooks")
            .field("request", &self.request.is_some())
            .field("response", &self.response.is_some())
            .finish()
    }
}

/// Made by generated clients from a [`Transport`]; lets [`ClientBuilder::build`] return the
/// concrete client type.
pub trait FromTransport {
    /// Wraps the transport.
    fn from_transport(transport: Transport) -> Self;
}

/// Configures a client: server, token, headers, HTTP client, timeouts and retries.
pub struct ClientBuilder<C> {
    /// The spec's first server: a URL template (`https://{region}.example.com`).
    default_base: Option<String>,
    /// Its variables' defaults.
    server_defaults: &'static [(&'static str, &'static str)],
    base_url: Option<String>,
    servers: Servers,
    scheme: AuthScheme,
    token: Option<String>,
    prefix: Option<String>,
    provider: Option<Arc<dyn CredentialProvider>>,
    keys: Vec<(AuthScheme, String)>,
    hooks: Hooks,
    user_agent: Option<String>,
    headers: Vec<(String, String)>,
    http: Option<reqwest::Client>,
    timeout: Duration,
    connect_timeout: Duration,
    max_response_size: u64,
    retry: RetryPolicy,
    mode: DecodeMode,
    client: PhantomData<fn() -> C>,
}

impl<C> fmt::Debug for ClientBuilder<C> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ClientBuilder")
            .field("default_base", &self.default_base)
            .field("base_url", &self.base_url)
            .field("servers", &self.servers)
            .field("scheme", &self.scheme)
            .field("token", &self.token.as_ref().map(|_| "<redacted>"))
            .field("prefix", &self.prefix)
            .field("provider", &self.provider.as_ref().map(|_| "<provider>"))
            .field(
                "keys",
                &self
                    .keys
                    .iter()
                    .map(|(scheme, _)| (scheme, "<redacted>"))
                    .collect::<Vec<_>>(),
            )
            .field("user_agent", &self.user_agent)
            // Names only: a default header may carry a secret of its own.
            .field(
                "headers",
                &self
                    .headers
                    .iter()
                    .map(|(name, _)| name)
                    .collect::<Vec<_>>(),
            )
            .field("timeout", &self.timeout)
            .field("connect_timeout", &self.connect_timeout)
            .field("max_response_size", &self.max_response_size)
            .field("retry", &self.retry)
            .field("mode", &self.mode)
            .finish()
    }
}

impl<C: FromTransport> ClientBuilder<C> {
    /// A builder for a client of an API whose default server is `base_url` (a URL template
    /// whose variables' defaults are given by [`Self::server_defaults`]) and whose
    /// authentication is `scheme`. Generated clients call this from `Client::builder()`.
    pub fn new(base_url: Option<&str>, scheme: AuthScheme) -> Self {
        ClientBuilder {
            default_base: base_url.map(String::from),
            server_defaults: &[],
            base_url: None,
            servers: Servers::default(),
            scheme,
            token: None,
            prefix: None,
            provider: None,
            keys: Vec::new(),
            hooks: Hooks::default(),
            user_agent: None,
            headers: Vec::new(),
            http: None,
            timeout: DEFAULT_TIMEOUT,
            connect_timeout: DEFAULT_CONNECT_TIMEOUT,
            max_response_size: DEFAULT_MAX_RESPONSE_SIZE,
            retry: RetryPolicy::default(),
            mode: DecodeMode::default(),
            client: PhantomData,
        }
    }

    /// Sends requests to `url` instead of the spec's default server (e.g. the EU region or a
    /// test server). A path prefix is kept: `https://host/api` + `/workspaces`.
    pub fn base_url(mut self, url: impl Into<String>) -> Self {
        self.base_url = Some(url.into());
        self
    }

    /// The defaults of the variables of the spec's servers (`region` → `eu`); generated
    /// clients set them.
    pub fn server_defaults(mut self, defaults: &'static [(&'static str, &'static str)]) -> Self {
        self.server_defaults = defaults;
        self
    }

    /// A value for the server variable `name` (`{region}`, `{origin}`), in the default
    /// server's URL and in the servers of single operations.
    pub fn server_variable(mut self, name: impl Into<String>, value: impl Into<String>) -> Self {
        self.servers.variables.push((name.into(), value.into()));
        self
    }

    /// Sends the operations that the spec sends to the server `spec_url` (its own servers,
    /// as GitHub's release-asset uploads go to `https://uploads.github.com`) to `url`
    /// instead: a test server, a proxy, an enterprise host.
    pub fn operation_server(mut self, spec_url: impl Into<String>, url: impl Into<String>) -> Self {
        self.servers.replaced.push((spec_url.into(), url.into()));
        self
    }

    /// How the token is sent, instead of the scheme the spec declares: for APIs whose spec
    /// declares none although the server takes one (GitHub's spec declares no
    /// `securitySchemes`; its tokens go in `Authorization: Bearer`).
    pub fn auth_scheme(mut self, scheme: AuthScheme) -> Self {
        self.scheme = scheme;
        self
    }

    /// The secret sent by the API's authentication scheme.
    pub fn token(mut self, token: impl Into<String>) -> Self {
        self.token = Some(token.into());
        self
    }

    /// HTTP Basic credentials from a user and a password (for APIs whose scheme is Basic):
    /// the token becomes `base64(user:password)`.
    pub fn basic_auth(mut self, user: &str, password: &str) -> Self {
        self.token = Some(basic(user, password));
        self
    }

    /// The word before the token in `Authorization` for the `Bearer` and `Basic` schemes:
    /// `token` for GitHub's classic tokens, a custom prefix, or `""` for the bare token.
    pub fn authorization_prefix(mut self, prefix: impl Into<String>) -> Self {
        self.prefix = Some(prefix.into());
        self
    }

    /// Asks `provider` for the token before each call and again after a `401` (see
    /// [`CredentialProvider`]), instead of a fixed [`Self::token`].
    pub fn credentials(mut self, provider: impl CredentialProvider) -> Self {
        self.provider = Some(Arc::new(provider));
        self
    }

    /// A further API key sent with every request, where `scheme` says (a header, a query
    /// parameter or a cookie), for APIs that require two keys together (an API key and a
    /// client id): the generated client names each such scheme of its spec, e.g.
    /// `.token(api_key).api_key(Client::CLIENT_ID, client_id)`. Like the token, it is
    /// marked sensitive, hidden in logs and errors, and dropped on a redirect to another
    /// origin. Checked by [`Self::build`]: only an API key scheme can carry one.
    pub fn api_key(mut self, scheme: AuthScheme, key: impl Into<String>) -> Self {
        self.keys.push((scheme, key.into()));
        self
    }

    /// Calls `hook` on every request just before it is sent (each attempt and redirect,
    /// credentials included): to add a header, sign the request, log it. The request carries
    /// the credential: its headers are marked sensitive (their `Debug` is `Sensitive`), but
    /// an API key in the query is in its URL, which a hook that logs should leave out.
    pub fn on_request(
        mut self,
        hook: impl Fn(&mut reqwest::Request) + Send + Sync + 'static,
    ) -> Self {
        self.hooks.request = Some(Arc::new(hook));
        self
    }

    /// Calls `hook` on every response as it arrives, before its body is read (each attempt
    /// and redirect): to log, to read rate-limit headers.
    pub fn on_response(
        mut self,
        hook: impl Fn(&reqwest::Response) + Send + Sync + 'static,
    ) -> Self {
        self.hooks.response = Some(Arc::new(hook));
        self
    }

    /// The `User-Agent` of every request. Generated clients set `<crate name>/<version>`
    /// (some APIs, GitHub's among them, refuse requests without one); this replaces it.
    pub fn user_agent(mut self, value: impl Into<String>) -> Self {
        self.user_agent = Some(value.into());
        self
    }

    /// A header sent with every request (an API version, a tenant), unless the request sets
    /// the same header itself. Checked by [`Self::build`]. A default header is not a
    /// credential: it follows redirects to other hosts, so put secrets in [`Self::token`].
    pub fn default_header(mut self, name: impl Into<String>, value: impl Into<String>) -> Self {
        self.headers.push((name.into(), value.into()));
        self
    }

    /// Uses this HTTP client (connection pool, proxies, TLS settings). The builder's
    /// per-request timeout still applies. Build it with
    /// `.redirect(reqwest::redirect::Policy::none())`: the client then follows redirects
    /// itself, without leaking credentials to other hosts. A client that follows redirects
    /// on its own does it first, with its own rules (the default one of `reqwest` strips
    /// only `Authorization` and cookies, so a token sent in another header, an API key,
    /// would follow them to other hosts).
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

    /// The largest response body the client reads whole, in bytes after decompression.
    /// Default [`DEFAULT_MAX_RESPONSE_SIZE`] (64 MiB). A larger body is refused with
    /// [`Error::ResponseTooLarge`](super::Error::ResponseTooLarge) as soon as its
    /// `Content-Length` says so or, without one, as soon as that many bytes have arrived, so
    /// a body that never ends costs at most this much memory. Streamed downloads
    /// (`.stream()`) are not limited in total, as their chunks are not kept; in an event
    /// stream, no event may take more than this many bytes.
    pub fn max_response_size(mut self, bytes: u64) -> Self {
        self.max_response_size = bytes;
        self
    }

    /// The retry policy. Default: [`RetryPolicy::default`].
    pub fn retry(mut self, policy: RetryPolicy) -> Self {
        self.retry = policy;
        self
    }

    /// How response bodies are decoded. Default: [`DecodeMode::Tolerant`], which decodes
    /// bodies that drift from the spec and reports the drift
    /// ([`ResponseValue::drift`](super::ResponseValue::drift)); [`DecodeMode::Strict`] makes
    /// any drift an [`Error::Decode`](super::Error::Decode).
    pub fn decode_mode(mut self, mode: DecodeMode) -> Self {
        self.mode = mode;
        self
    }

    /// Validates the settings and builds the client.
    pub fn build(self) -> Result<C, BuildError> {
        let url = match (self.base_url, &self.default_base) {
            (Some(url), _) => url,
            (None, Some(template)) => {
                self.servers
                    .fill(template, self.server_defaults)
                    .map_err(|reason| BuildError::InvalidBaseUrl {
                        url: template.clone(),
                        reason,
                    })?
            }
            (None, None) => return Err(BuildError::MissingBaseUrl),
        };
        let base_url = validate_base_url(&url)?;
        let mut servers = self.servers;
        for (_, url) in &mut servers.replaced {
            *url = validate_base_url(url)?;
        }
        let shape = Shape {
            scheme: self.scheme,
            prefix: self.prefix,
        };
        if shape.scheme == AuthScheme::None && (self.provider.is_some() || self.token.is_some()) {
            return Err(BuildError::NoAuthScheme);
        }
        let source = match (self.provider, self.token) {
            (Some(provider), _) => Source::Provider(provider),
            (None, Some(token)) => Source::Fixed(shape.value(&token)?),
            (None, None) => Source::Nothing,
        };
        let keys = self
            .keys
            .into_iter()
            .map(|(scheme, key)| {
                if !matches!(
                    scheme,
                    AuthScheme::Header(_) | AuthScheme::Query(_) | AuthScheme::Cookie(_)
                ) {
                    return Err(BuildError::InvalidToken(
                        "a further API key goes in a header, a query parameter or a cookie",
                    ));
                }
                let shape = Shape {
                    scheme,
                    prefix: None,
                };
                let secret = shape.value(&key)?;
                Ok((shape, secret))
            })
            .collect::<Result<Vec<_>, _>>()?;
        let mut headers = HeaderMap::new();
        let user_agent = self
            .user_agent
            .map(|value| (reqwest::header::USER_AGENT.to_string(), value));
        for (name, value) in self.headers.into_iter().chain(user_agent) {
            let (name, value) = header(&name, &value)?;
            headers.insert(name, value);
        }
        let http = match self.http {
            Some(http) => http,
            None => {
                install_crypto_provider();
                reqwest::Client::builder()
                    .connect_timeout(self.connect_timeout)
                    // Redirects are followed by the transport, which knows the credentials.
                    .redirect(reqwest::redirect::Policy::none())
                    .build()
                    .map_err(BuildError::Http)?
            }
        };
        let credentials =
            credential_places(std::iter::once(&shape).chain(keys.iter().map(|(key, _)| key)));
        let inner = Inner {
            base_url,
            servers,
            shape,
            source,
            keys,
            credentials,
            hooks: self.hooks,
            headers,
            http,
            timeout: self.timeout,
            max_response_size: self.max_response_size,
            retry: self.retry,
        };
        Ok(C::from_transport(Transport::new(inner, self.mode)))
    }
}

/// Makes ring the process's rustls crypto provider, unless the application installed one
/// (reqwest is built without a provider of its own, see the workspace manifest).
fn install_crypto_provider() {
    if rustls::crypto::CryptoProvider::get_default().is_none() {
        // Another thread may install one first: either way, one is installed.
        let _ = rustls::crypto::ring::default_provider().install_default();
    }
}

/// `url` as a base URL: http(s), with a host, no query or fragment, no trailing slash.
pub(super) fn validate_base_url(url: &str) -> Result<String, BuildError> {
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

/// A default header, checked.
fn header(name: &str, value: &str) -> Result<(HeaderName, HeaderValue), BuildError> {
    let invalid = |reason| BuildError::InvalidHeader {
        name: name.to_string(),
        reason,
    };
    let parsed =
        HeaderName::from_bytes(name.as_bytes()).map_err(|_| invalid("it is not a header name"))?;
    if value.contains(['\r', '\n']) {
        return Err(invalid("its value contains a line break (CR or LF)"));
    }
    let value = HeaderValue::from_str(value)
        .map_err(|_| invalid("its value contains characters a header cannot carry"))?;
    Ok((parsed, value))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn base_urls_are_validated() {
        assert_eq!(
            validate_base_url("https://api.buddy.works/").unwrap(),
            "https://api.buddy.works"
        );
        assert_eq!(
            validate_base_url("http://127.0.0.1:8080/api/").unwrap(),
            "http://127.0.0.1:8080/api"
        );
        assert!(validate_base_url("ftp://x").is_err());
        assert!(validate_base_url("not a url").is_err());
        assert!(validate_base_url("https://x/?a=1").is_err());
        assert!(validate_base_url("https://x/#top").is_err());
    }

    #[test]
    fn default_headers_are_checked() {
        assert!(header("X-Api-Version", "2022-11-28").is_ok());
        for (name, value) in [
            ("X-A", "line\r\nX-Evil: 1"),
            ("bad name", "v"),
            ("X-B", "\u{7f}"),
        ] {
            assert!(
                matches!(header(name, value), Err(BuildError::InvalidHeader { .. })),
                "{name}: {value:?}"
            );
        }
    }

    #[test]
    fn secrets_never_show_in_debug() {
        let shape = Shape {
            scheme: AuthScheme::Bearer,
            prefix: None,
        };
        let secret = shape.value("hunter2").unwrap();
        assert_eq!(format!("{secret:?}"), "<redacted>");
        assert_eq!(format!("{:?}", Source::Fixed(secret)), "<redacted>");
    }
}
