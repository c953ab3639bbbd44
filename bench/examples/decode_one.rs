//! `decode_one PAYLOAD derive|ours N`: decodes one payload of [`benchmarks::PAYLOADS`] `N`
//! times with one decoder and nothing else, for instruction counts that do not depend on the
//! machine's load:
//!
//! ```text
//! cargo build --release -p benchmarks --example decode_one
//! valgrind --tool=callgrind --callgrind-out-file=/dev/null \
//!     target/release/examples/decode_one github-repository ours 21
//! ```
//!
//! The count of `N = 21` less the count of `N = 1`, divided by 20, is one decode's
//! instructions (`bench/instructions.sh` does this for every payload).

use std::process::ExitCode;

use benchmarks::PAYLOADS;

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let [name, decoder, runs] = args.as_slice() else {
        eprintln!("usage: decode_one PAYLOAD derive|ours N");
        return ExitCode::FAILURE;
    };
    let Some(payload) = PAYLOADS.iter().find(|p| p.name == name.as_str()) else {
        let names: Vec<&str> = PAYLOADS.iter().map(|p| p.name).collect();
        eprintln!("no payload {name:?}; there are {}", names.join(", "));
        return ExitCode::FAILURE;
    };
    let decode = match decoder.as_str() {
        "derive" => payload.derive,
        "ours" => payload.ours,
        other => {
            eprintln!("decoder {other:?} is neither `derive` nor `ours`");
            return ExitCode::FAILURE;
        }
    };
    let Ok(runs) = runs.parse::<u32>() else {
        eprintln!("N must be a count, not {runs:?}");
        return ExitCode::FAILURE;
    };
    let bytes = match payload.read() {
        Ok(bytes) => bytes,
        Err(e) => {
            eprintln!("cannot read {}: {e}", payload.path);
            return ExitCode::FAILURE;
        }
    };
    for _ in 0..runs {
        decode(&bytes);
    }
    ExitCode::SUCCESS
}
