//! Every committed payload decodes with both the derive twin and our generated types, so
//! `cargo test --workspace` catches a payload (or a generator change) that breaks the
//! decode benchmark.

use std::panic::catch_unwind;

#[test]
fn every_payload_decodes_with_both_types() {
    let mut failed = Vec::new();
    for payload in benchmarks::PAYLOADS {
        let bytes = payload
            .read()
            .unwrap_or_else(|e| panic!("cannot read {}: {e}", payload.path));
        for (side, decode) in [("derive", payload.derive), ("ours", payload.ours)] {
            if catch_unwind(|| decode(&bytes)).is_err() {
                failed.push(format!("{} ({side})", payload.name));
            }
        }
    }
    assert!(failed.is_empty(), "do not decode: {}", failed.join(", "));
}
