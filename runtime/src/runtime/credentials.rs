//! Credentials: the token shaped as the API's scheme sends it (`Bearer`, `Basic`, another
//! `Authorization` prefix such as GitHub's `token`, an API key in a header, the query or a
//! cookie), put on each request as its last header, and supplied either once, on the
//! builder, or by a provider asked before each call and again after a `401`.

use std::fmt;
use std::future::Future;
use std::pin::Pin;
use std::sync::Arc;

use reqwest::header::{HeaderValue, AUTHORIZATION, COOKIE};

use super::builder::AuthScheme;
use super::error::BuildError;

/// What a [`CredentialProvider`] fails with; becomes
/// [`Error::Credentials`](super::Error::Credentials).
pub type CredentialError = Box<dyn std::error::Error + Send + Sync>;

/// The future a [`CredentialProvider`] returns.
pub type CredentialFuture = Pin<Box<dyn Future<Output = Result<String, CredentialError>> + Send>>;

/// Supplies the token (as [`ClientBuilder::token`](super::ClientBuilder::token) takes it)
/// for short-lived credentials: OAuth2 access tokens, installation tokens. Asked before each
/// call with `refresh` false (return a cached token while it is valid), and once more with
/// `refresh` true when the server answers `401 Unauthorized` to a request it was put on
/// (refresh it); the request is then sent again, once. Any `async` closure
/// `Fn(bool) -> impl Future<Output = Result<String, CredentialError>>` is one.
pub trait CredentialProvider: Send + Sync + 'static {
    /// The current token; a new one when `refresh` is true.
    fn credential(&self, refresh: bool) -> CredentialFuture;
}

impl<F, Fut> CredentialProvider for F
where
    F: Fn(bool) -> Fut + Send + Sync + 'static,
    Fut: Future<Output = Result<String, CredentialError>> + Send + 'static,
{
    fn credential(&self, refresh: bool) -> CredentialFuture {
        Box::pin(self(refresh))
    }
}

/// A secret that never appears in `Debug` output.
#[derive(Clone)]
pub(super) struct Secret(pub(super) HeaderValue);

impl fmt::Debug for Secret {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("<redacted>")
    }
}

/// Where the token of a client comes from.
#[derive(Clone)]
pub(super) enum Source {
    /// None: nothing is sent.
    Nothing,
    /// Given once, already shaped.
    Fixed(Secret),
    /// Asked of a provider, shaped on each call.
    Provider(Arc<dyn CredentialProvider>),
}

impl fmt::Debug for Source {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Source::Nothing => f.write_str("None"),
            Source::Fixed(secret) => secret.fmt(f),
            Source::Provider(_) => f.write_str("<provider>"),
        }
    }
}

/// How the token is sent: the scheme, and the `Authorization` prefix (`Bearer`, `Basic`,
/// or the builder's replacement) for the schemes that use that header.
#[derive(Debug, Clone)]
pub(super) struct Shape {
    pub(super) scheme: AuthScheme,
    pub(super) prefix: Option<String>,
}

impl Shape {
    /// `token` as the header value or query value the scheme sends, checked and marked
    /// sensitive.
    pub(super) fn value(&self, token: &str) -> Result<Secret, BuildError> {
        if token.contains(['\r', '\n']) {
            return Err(BuildError::InvalidToken(
                "it contains a line break (CR or LF)",
            ));
        }
        if token.chars().any(|c| c.is_control()) {
            return Err(BuildError::InvalidToken("it contains a control character"));
        }
        let prefix = |default: &str| match &self.prefix {
            Some(prefix) if prefix.is_empty() => String::new(),
            Some(prefix) => format!("{prefix} "),
            None => format!("{default} "),
        };
        let text = match self.scheme {
            AuthScheme::Bearer => format!("{}{token}", prefix("Bearer")),
            AuthScheme::Basic => format!("{}{token}", prefix("Basic")),
            AuthScheme::Cookie(name) => format!("{name}={token}"),
            AuthScheme::None | AuthScheme::Header(_) | AuthScheme::Query(_) => token.to_string(),
        };
        let mut value = HeaderValue::from_str(&text).map_err(|_| {
            BuildError::InvalidToken("it contains characters a header cannot carry")
        })?;
        value.set_sensitive(true);
        Ok(Secret(value))
    }

    /// Puts the credential on `request`, replacing one already there (a refreshed token).
    pub(super) fn apply(&self, request: &mut reqwest::Request, Secret(value): &Secret) {
        match self.scheme {
            AuthScheme::None => {}
            AuthScheme::Bearer | AuthScheme::Basic => {
                request.headers_mut().insert(AUTHORIZATION, value.clone());
            }
            AuthScheme::Header(name) => {
                if let Ok(name) = reqwest::header::HeaderName::from_bytes(name.as_bytes()) {
                    request.headers_mut().insert(name, value.clone());
                }
            }
            AuthScheme::Query(name) => {
                let token = value.to_str().unwrap_or_default();
                set_query_param(request.url_mut(), name, Some(token));
            }
            AuthScheme::Cookie(name) => {
                let own = format!("{name}=");
                let mut cookies: Vec<String> = request
                    .headers()
                    .get(COOKIE)
                    .and_then(|v| v.to_str().ok())
                    .map(|v| {
                        v.split("; ")
                            .filter(|c| !c.starts_with(&own))
                            .map(String::from)
                            .collect()
                    })
                    .unwrap_or_default();
                cookies.push(value.to_str().unwrap_or_default().to_string());
                if let Ok(mut joined) = HeaderValue::from_str(&cookies.join("; ")) {
                    joined.set_sensitive(true);
                    request.headers_mut().insert(COOKIE, joined);
                }
            }
        }
    }
}

/// Removes the query parameters named `name` from `url` and, with a `value`, appends one:
/// how a query key is put on, replaced, taken off a redirect, or hidden in logs. A query left
/// empty is removed (no bare `?`).
pub(super) fn set_query_param(url: &mut reqwest::Url, name: &str, value: Option<&str>) {
    let mut pairs: Vec<(String, String)> = url
        .query_pairs()
        .filter(|(k, _)| k != name)
        .map(|(k, v)| (k.into_owned(), v.into_owned()))
        .collect();
    if let Some(value) = value {
        pairs.push((name.to_string(), value.to_string()));
    }
    url.set_query(None);
    if !pairs.is_empty() {
        url.query_pairs_mut().extend_pairs(pairs);
    }
}

/// `user:password` as the token of HTTP Basic authentication (base64).
pub(super) fn basic(user: &str, password: &str) -> String {
    use base64::Engine as _;
    base64::engine::general_purpose::STANDARD.encode(format!("{user}:{password}"))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn shape(scheme: AuthScheme, prefix: Option<&str>) -> Shape {
        Shape {
            scheme,
            prefix: prefix.map(String::from),
        }
    }

    fn sent(shape: &Shape, url: &str, cookie: Option<&str>, token: &str) -> reqwest::Request {
        let mut request =
            reqwest::Request::new(reqwest::Method::GET, reqwest::Url::parse(url).unwrap());
        if let Some(cookie) = cookie {
            request
                .headers_mut()
                .insert(COOKIE, HeaderValue::from_str(cookie).unwrap());
        }
        shape.apply(&mut request, &shape.value(token).unwrap());
        request
    }

    #[test]
    fn each_scheme_and_prefix_shapes_the_token() {
        let cases = [
            (shape(AuthScheme::Bearer, None), "Bearer T"),
            (shape(AuthScheme::Bearer, Some("token")), "token T"),
            (shape(AuthScheme::Basic, None), "Basic T"),
            (shape(AuthScheme::Bearer, Some("")), "T"),
        ];
        for (shape, expected) in cases {
            let request = sent(&shape, "http://h/x", None, "T");
            assert_eq!(request.headers()[AUTHORIZATION], expected);
            assert!(request.headers()[AUTHORIZATION].is_sensitive());
        }
        assert_eq!(basic("user", "pass"), "dXNlcjpwYXNz");
    }

    #[test]
    fn a_refreshed_token_replaces_the_old_one_wherever_it_is() {
        let query = shape(AuthScheme::Query("key"), None);
        let mut request = sent(&query, "http://h/x?a=1", None, "OLD");
        query.apply(&mut request, &query.value("NEW").unwrap());
        assert_eq!(request.url().query(), Some("a=1&key=NEW"));

        let cookie = shape(AuthScheme::Cookie("sid"), None);
        let mut request = sent(&cookie, "http://h/x", Some("theme=dark"), "OLD");
        assert_eq!(request.headers()[COOKIE], "theme=dark; sid=OLD");
        cookie.apply(&mut request, &cookie.value("NEW").unwrap());
        assert_eq!(request.headers()[COOKIE], "theme=dark; sid=NEW");

        let header = shape(AuthScheme::Header("X-Key"), None);
        let mut request = sent(&header, "http://h/x", None, "OLD");
        header.apply(&mut request, &header.value("NEW").unwrap());
        assert_eq!(request.headers().get_all("x-key").iter().count(), 1);
        assert_eq!(request.headers()["x-key"], "NEW");
    }

    #[test]
    fn tokens_that_cannot_be_sent_are_refused() {
        let bearer = shape(AuthScheme::Bearer, None);
        assert!(bearer.value("abc\r\nX-Evil: 1").is_err());
        assert!(shape(AuthScheme::Header("X-Key"), None)
            .value("abc\u{7f}")
            .is_err());
        assert!(shape(AuthScheme::Query("key"), None)
            .value("tab\there")
            .is_err());
    }
}
