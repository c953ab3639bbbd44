//! The errors of calls, of validated values and of building a client.

use reqwest::header::HeaderMap;
use reqwest::StatusCode;

use super::drift::Drift;
use super::path::DecodePath;

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
    /// The body of a documented response does not fit its schema: it is not JSON, a value has
    /// the wrong JSON type, or (in [`DecodeMode::Strict`](super::DecodeMode::Strict)) it
    /// departs from the spec in any way.
    #[error("cannot decode the {status} response at `{path}`: {message}")]
    Decode {
        /// The status.
        status: StatusCode,
        /// The response headers (boxed to keep `Result<T, Error>` small).
        headers: Box<HeaderMap>,
        /// The raw body, as text (lossy UTF-8).
        body: String,
        /// Where in the JSON decoding failed (`routes[0].targets.Default`), `.` for the root.
        path: DecodePath,
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
    /// The response body is larger than the client reads whole (see
    /// [`ClientBuilder::max_response_size`](super::ClientBuilder::max_response_size)); the
    /// rest of it was not read.
    #[error("the {status} response is larger than {limit} bytes, the most the client reads")]
    ResponseTooLarge {
        /// The status.
        status: StatusCode,
        /// The response headers (boxed to keep `Result<T, Error>` small).
        headers: Box<HeaderMap>,
        /// The limit in bytes.
        limit: u64,
    },
    /// The credential provider failed, or gave a token that cannot be sent.
    #[error("no credential: {0}")]
    Credentials(#[source] super::credentials::CredentialError),
}

impl<E> Error<E> {
    /// The HTTP status, when the server answered.
    pub fn status(&self) -> Option<StatusCode> {
        match self {
            Error::Api(e) => Some(e.status),
            Error::UnexpectedStatus { status, .. }
            | Error::Decode { status, .. }
            | Error::ResponseTooLarge { status, .. } => Some(*status),
            Error::Transport(e) => e.status(),
            Error::InvalidRequest(_) | Error::Credentials(_) => None,
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
    /// Where the body departs from the spec in ways the client tolerated (see
    /// [`ResponseValue::drift`](super::ResponseValue::drift)).
    pub drift: Vec<Drift>,
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
    /// A default header (or the `User-Agent`) cannot be sent: its name is not a header
    /// name, or its value has a line break or another character a header cannot carry.
    #[error("invalid header `{name}`: {reason}")]
    InvalidHeader {
        /// The header's name as given.
        name: String,
        /// Why it was refused.
        reason: &'static str,
    },
    /// A token or credential provider was given, but the spec declares no way to send it:
    /// choose one with `auth_scheme`.
    #[error("a token was given but the API declares no authentication scheme: set one with `auth_scheme`")]
    NoAuthScheme,
    /// The HTTP client could not be built.
    #[error("cannot build the HTTP client: {0}")]
    Http(#[source] reqwest::Error),
}
