//! The generator on raw bytes: any text, as YAML or JSON, gives a crate or an error, never a
//! panic, a stack overflow or a hang.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Some((&first, rest)) = data.split_first() else {
        return;
    };
    let text = String::from_utf8_lossy(rest);
    let file = if first & 1 == 0 {
        "fuzz.yaml"
    } else {
        "fuzz.json"
    };
    let _ = generator::generate_inline(file, &text, &generator::Settings::default());
});
