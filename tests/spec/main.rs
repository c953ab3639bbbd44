//! The checks of our OpenAPI documents, one module per subject: coverage of the source
//! documents, the examples, their round trip through the generated types, and the README's
//! example.

mod coverage;
mod examples;
mod readme;
mod roundtrip;
mod support;
