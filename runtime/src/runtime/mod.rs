//! The spec-independent part of every generated client: building clients, sending requests
//! (with timeouts and retries), decoding responses, and the error type.
//!
//! This module is hand-written, one file per concern, and is the same code in every client:
//! the workspace's `generator-runtime` crate, or a verbatim copy of it in a standalone crate.
//! It depends only on `reqwest` (with `rustls`), `serde`, `serde_json`, `thiserror`,
//! `tracing`, `base64`, `bytes`, `futures-core`, `eventsource-stream`, `percent-encoding`,
//! `regex`, `httpdate`, `tokio` and `uuid`.

mod builder;
mod call;
mod credentials;
mod drift;
mod error;
mod escape;
mod file;
mod lexer;
mod pages;
mod path;
mod pattern;
mod redirect;
mod request;
mod response;
mod retry;
mod server;
mod stream;
mod transport;

pub mod decode;
pub mod object;
pub mod tagged;

pub use bytes::Bytes;
pub use reqwest::header::HeaderMap;
pub use reqwest::StatusCode;

pub use self::builder::{
    AuthScheme, ClientBuilder, FromTransport, DEFAULT_CONNECT_TIMEOUT, DEFAULT_MAX_RESPONSE_SIZE,
    DEFAULT_TIMEOUT,
};
pub use self::call::{Call, CallFuture};
pub use self::credentials::{CredentialError, CredentialFuture, CredentialProvider};
pub use self::decode::{Decode, DecodeError, Decoded, Json};
pub use self::drift::{DecodeMode, Drift, DriftKind};
pub use self::error::{ApiError, BuildError, Error, PatternError};
pub use self::file::FilePart;
pub use self::pages::{Items, Pages, Paginate, Paging};
pub use self::path::{DecodePath, Segment};
pub use self::pattern::PatternCell;
pub use self::request::{encode_segment, BinaryBody, QueryStyle, Request};
pub use self::response::{map_success, Response, ResponseValue};
pub use self::retry::RetryPolicy;
pub use self::stream::{ByteStream, EventError, EventStream, ServerEvent};
pub use self::transport::Transport;
