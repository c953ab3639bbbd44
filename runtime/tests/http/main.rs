//! The runtime's behaviour against servers on 127.0.0.1, one module per subject. One test
//! binary rather than one per subject: each links tokio, reqwest and wiremock.

mod common;
mod credentials;
mod retry;
mod transport;
