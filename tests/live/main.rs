//! The clients against a real HTTP server on 127.0.0.1 (wiremock, started by each test), one
//! module per client: the two APIs of `spec/` and the fixture clients of `tests/fixtures/`.
//! One test binary rather than one per client: each links tokio, reqwest and wiremock.

mod buddy;
mod call_options;
mod credentials;
mod drift;
mod fixtures;
mod hostile;
mod media;
mod pagination;
mod pieces;
mod requests;
mod setters;
mod support;
mod versions;
