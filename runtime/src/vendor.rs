//! The runtime's own sources, for generators that vendor it into a standalone crate (the
//! generator's default for crates outside this workspace: they cannot depend on an
//! unpublished crate).
//!
//! Available without the `client` feature, so the generator depends on this crate without
//! building `reqwest` and the rest.

/// One source file of the runtime.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct File {
    /// The path relative to the runtime module's directory, e.g. `mod.rs` or `error.rs`.
    pub path: &'static str,
    /// The file's text.
    pub contents: &'static str,
}

macro_rules! files {
    ($($path:literal),* $(,)?) => {
        &[$(File { path: $path, contents: include_str!(concat!("runtime/", $path)) }),*]
    };
}

/// Every file of `src/runtime/`, sorted by path. A vendored copy is these files under
/// `src/runtime/` of the generated crate, with `pub mod runtime;` in its `lib.rs`.
pub const FILES: &[File] = files![
    "builder.rs",
    "call.rs",
    "credentials.rs",
    "decode.rs",
    "drift.rs",
    "error.rs",
    "escape.rs",
    "file.rs",
    "lexer.rs",
    "mod.rs",
    "object.rs",
    "pages.rs",
    "path.rs",
    "pattern.rs",
    "redirect.rs",
    "request.rs",
    "response.rs",
    "retry.rs",
    "server.rs",
    "stream.rs",
    "tagged.rs",
    "transport.rs",
];

/// The dependencies of a crate that vendors the runtime, as `Cargo.toml` lines
/// (`name = spec`), sorted by name: the runtime's own dependencies, which generated code
/// also uses directly (`serde`, `serde_json`, `reqwest`). The same as this crate's manifest.
pub const DEPENDENCIES: &[(&str, &str)] = &[
    ("base64", r#""0.22""#),
    ("bytes", r#""1""#),
    ("eventsource-stream", r#""0.2""#),
    ("futures-core", r#""0.3""#),
    ("httpdate", r#""1""#),
    ("percent-encoding", r#""2""#),
    ("regex", r#""1""#),
    (
        "reqwest",
        r#"{ version = "0.13", default-features = false, features = ["json", "query", "form", "rustls-no-provider", "http2", "multipart", "stream", "gzip"] }"#,
    ),
    (
        "rustls",
        r#"{ version = "0.23", default-features = false, features = ["ring", "std", "tls12"] }"#,
    ),
    ("serde", r#"{ version = "1", features = ["derive"] }"#),
    (
        "serde_json",
        r#"{ version = "1", features = ["float_roundtrip", "preserve_order"] }"#,
    ),
    ("thiserror", r#""2""#),
    ("tokio", r#"{ version = "1", features = ["time", "fs"] }"#),
    ("tracing", r#""0.1""#),
    ("uuid", r#"{ version = "1", features = ["v4"] }"#),
];
