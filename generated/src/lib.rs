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
pub mod runtime;

/// The "Using the client" section of the workspace README, compiled as doctests.
#[cfg(doctest)]
#[doc = include_str!("../../README.md")]
pub struct ReadmeDoctests;
