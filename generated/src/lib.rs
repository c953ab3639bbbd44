//! Typed async clients for the "Distributions" APIs, generated from `spec/` by
//! `cargo xtask codegen`.
//!
//! - [`buddy`]: the Buddy.works Distributions API (distributions, their routes and routable
//!   domains), authenticated with a bearer token.
//! - [`pieces`]: the Pieces OS Distributions endpoints of a local Pieces OS, authenticated
//!   with the `X-Application-ID` header.
//!
//! Every call returns `Result<ResponseValue<T>, Error<E>>`: the typed body with status and
//! headers on success, and on failure a [`runtime::Error`] that tells a documented API error
//! (with its typed body) from an undocumented status, an undecodable body (with the path of
//! the field) and a transport failure.
#![warn(missing_docs)]

#[rustfmt::skip]
pub mod buddy;
#[rustfmt::skip]
pub mod pieces;
/// The spec-independent runtime: client builder, transport, retries, responses and errors.
/// It is the workspace's `generator-runtime` crate, the same code a standalone generated crate
/// carries a copy of.
#[doc(inline)]
pub use generator_runtime as runtime;

/// Validated types cannot be built around their validation, checked as doctests.
///
/// The field of a pattern-checked type is private, so an invalid identifier cannot be made
/// (and so cannot be sent):
///
/// ```compile_fail,E0603
/// let id = distributions::buddy::types::DistributionIdentifier("-bad".to_string());
/// ```
///
/// Only validation makes one:
///
/// ```
/// use distributions::buddy::types::DistributionIdentifier;
/// assert!(DistributionIdentifier::try_from("-bad").is_err());
/// assert!(DistributionIdentifier::try_from("my-distribution").is_ok());
/// ```
#[cfg(doctest)]
pub struct ValidationDoctests;
