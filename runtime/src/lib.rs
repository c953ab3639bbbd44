//! The spec-independent runtime of every client the generator writes: the client builder,
//! requests, the transport (timeouts, retries, redirects), responses, the error type and the
//! helpers generated types decode and encode through.
//!
//! Generated code reaches it as `runtime`: the checked-in `distributions` crate re-exports
//! this crate under that name, and standalone crates carry a verbatim copy of
//! `src/runtime/` (see [`vendor`]), so the two are the same code.
//!
//! Its one source is `src/runtime/`; everything in it refers to its siblings with `super::`,
//! so it compiles the same as this crate's module and as a module of a generated crate.
#![warn(missing_docs)]

#[cfg(feature = "client")]
mod runtime;
#[cfg(feature = "client")]
pub use runtime::*;

pub mod vendor;
