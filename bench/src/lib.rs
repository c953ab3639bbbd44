//! The decode benchmark's types and payloads (`cargo bench -p benchmarks`).
//!
//! For each subset spec in `bench/data/specs/`, `build.rs` writes two modules from the same
//! IR: [`ours`], what our generator emits, and [`derive`], the same types with
//! `#[derive(serde::Deserialize)]`, the baseline. [`PAYLOADS`] are the committed JSON bodies
//! of `bench/data/payloads/` (see `bench/make-data.sh`), each with a decoder per side.
#![warn(missing_docs)]

use distributions::runtime::{decode, Decode, DecodeMode};
use serde::de::DeserializeOwned;

/// The modules our generator writes for the subset specs (its `generate_inline` output:
/// `types` and a client with no operations).
pub mod ours {
    /// From `bench/data/specs/github.json`.
    pub mod github {
        include!(concat!(env!("OUT_DIR"), "/ours_github.rs"));
    }
    /// From `bench/data/specs/stripe.json`.
    pub mod stripe {
        include!(concat!(env!("OUT_DIR"), "/ours_stripe.rs"));
    }
    /// From `bench/data/specs/tree.yaml`.
    pub mod tree {
        include!(concat!(env!("OUT_DIR"), "/ours_tree.rs"));
    }
}

/// The derive twins: the same types, names and JSON shapes as [`ours`], with serde's derive.
pub mod derive {
    /// From `bench/data/specs/github.json`.
    #[allow(clippy::large_enum_variant)]
    pub mod github {
        include!(concat!(env!("OUT_DIR"), "/derive_github.rs"));
    }
    /// From `bench/data/specs/stripe.json`.
    #[allow(clippy::large_enum_variant)]
    pub mod stripe {
        include!(concat!(env!("OUT_DIR"), "/derive_stripe.rs"));
    }
    /// From `bench/data/specs/tree.yaml`.
    #[allow(clippy::large_enum_variant)]
    pub mod tree {
        include!(concat!(env!("OUT_DIR"), "/derive_tree.rs"));
    }
}

/// Decodes a JSON body into one of our generated types: the one place that says how, so
/// that switching decoders changes every measurement and test at once. Through the runtime's
/// decoder in tolerant mode, the client's default (drift is recorded, not an error).
pub fn decode_ours<T: Decode>(bytes: &[u8]) -> T {
    decode::from_slice::<T>(bytes, DecodeMode::Tolerant)
        .unwrap()
        .value
}

/// Decodes a JSON body into a derive twin.
pub fn decode_derive<T: DeserializeOwned>(bytes: &[u8]) -> T {
    serde_json::from_slice::<T>(bytes).unwrap()
}

/// One benchmark input: a committed JSON body and a decoder for each side. A decoder
/// panics when the body does not decode, and drops the value it made.
#[derive(Debug, Clone, Copy)]
pub struct Payload {
    /// The file name in `bench/data/payloads/`, without `.json`.
    pub name: &'static str,
    /// The absolute path of the body, `bench/data/payloads/NAME.json`.
    pub path: &'static str,
    /// Decodes with the derive twin ([`decode_derive`]).
    pub derive: fn(&[u8]),
    /// Decodes with our generated types ([`decode_ours`]).
    pub ours: fn(&[u8]),
}

impl Payload {
    /// The body. The payloads are read when used, not compiled in, so that changing one
    /// does not rebuild the generated modules.
    pub fn read(&self) -> std::io::Result<Vec<u8>> {
        std::fs::read(self.path)
    }
}

fn run_derive<T: DeserializeOwned>(bytes: &[u8]) {
    drop(std::hint::black_box(decode_derive::<T>(bytes)));
}

fn run_ours<T: Decode>(bytes: &[u8]) {
    drop(std::hint::black_box(decode_ours::<T>(bytes)));
}

macro_rules! payload {
    ($name:literal, $derive:ty, $ours:ty) => {
        Payload {
            name: $name,
            path: concat!(
                env!("CARGO_MANIFEST_DIR"),
                "/data/payloads/",
                $name,
                ".json"
            ),
            derive: run_derive::<$derive>,
            ours: run_ours::<$ours>,
        }
    };
}

/// Every payload, with the type it decodes into.
pub const PAYLOADS: [Payload; 5] = [
    payload!(
        "github-repository",
        derive::github::FullRepository,
        ours::github::types::FullRepository
    ),
    payload!(
        "github-issues",
        Vec<derive::github::Issue>,
        Vec<ours::github::types::Issue>
    ),
    payload!(
        "github-search",
        derive::github::IssueSearchResults,
        ours::github::types::IssueSearchResults
    ),
    payload!(
        "stripe-charge",
        derive::stripe::Charge,
        ours::stripe::types::Charge
    ),
    payload!("tree", derive::tree::Node, ours::tree::types::Node),
];
