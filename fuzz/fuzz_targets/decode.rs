//! Decoding arbitrary bytes into every generated type of the two APIs and the test fixtures:
//! never a panic or a stack overflow, in either mode; what decodes strictly serializes to
//! JSON that decodes strictly again, to the same JSON. The first two bytes pick the type.
#![no_main]

use distributions::runtime::decode::{from_slice, Decode};
use distributions::runtime::DecodeMode;
use libfuzzer_sys::fuzz_target;

/// Decodes bytes as one type, checking what the target promises.
type Check = fn(&[u8]);

include!(concat!(env!("OUT_DIR"), "/types.rs"));

fn check<T: Decode + serde::Serialize>(bytes: &[u8]) {
    let _ = from_slice::<T>(bytes, DecodeMode::Tolerant);
    let Ok(decoded) = from_slice::<T>(bytes, DecodeMode::Strict) else {
        return;
    };
    let json = serde_json::to_vec(&decoded.value).expect("a decoded value serializes");
    let again = from_slice::<T>(&json, DecodeMode::Strict).unwrap_or_else(|e| {
        panic!(
            "its own JSON does not decode: {e:?}\n{}",
            String::from_utf8_lossy(&json)
        )
    });
    let json_again = serde_json::to_vec(&again.value).expect("serializes");
    assert_eq!(
        String::from_utf8_lossy(&json),
        String::from_utf8_lossy(&json_again),
        "decoding its own JSON changed it"
    );
}

fuzz_target!(|data: &[u8]| {
    let [a, b, rest @ ..] = data else {
        return;
    };
    let index = usize::from(u16::from_le_bytes([*a, *b])) % TYPES.len();
    (TYPES[index].1)(rest);
});
