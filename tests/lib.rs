//! The clients generated from `tests/fixtures/*.yaml`, compiled as part of the test build
//! so a fixture whose output does not compile, or draws a warning, fails CI. Their code is
//! also snapshotted (see `codegen.rs`).
#![warn(missing_docs)]

include!(concat!(env!("OUT_DIR"), "/fixtures.rs"));
