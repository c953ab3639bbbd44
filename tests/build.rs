//! Generates every fixture spec in `fixtures/` into `OUT_DIR`, so that `lib.rs` compiles
//! them: a fixture whose output does not build (or warns, under clippy `-D warnings`) fails
//! the test build.

use std::fmt::Write as _;
use std::path::Path;
use std::process::ExitCode;

fn main() -> ExitCode {
    let manifest = std::env::var("CARGO_MANIFEST_DIR").unwrap_or_else(|_| ".".into());
    let out_dir = std::env::var("OUT_DIR").unwrap_or_else(|_| ".".into());
    let fixtures = Path::new(&manifest).join("fixtures");
    println!("cargo:rerun-if-changed={}", fixtures.display());
    let mut names: Vec<_> = match std::fs::read_dir(&fixtures) {
        Ok(dir) => dir
            .filter_map(Result::ok)
            .map(|e| e.path())
            .filter(|p| p.extension().is_some_and(|e| e == "yaml"))
            .collect(),
        Err(e) => {
            eprintln!("cannot read {}: {e}", fixtures.display());
            return ExitCode::FAILURE;
        }
    };
    names.sort();
    let settings = generator::Settings {
        runtime_path: "::distributions::runtime".into(),
        ..generator::Settings::default()
    };
    let mut index = String::new();
    for path in names {
        println!("cargo:rerun-if-changed={}", path.display());
        let stem = path
            .file_stem()
            .and_then(|s| s.to_str())
            .unwrap_or_default();
        let display = format!("tests/fixtures/{stem}.yaml");
        let source = match std::fs::read_to_string(&path) {
            Ok(s) => s,
            Err(e) => {
                eprintln!("cannot read {display}: {e}");
                return ExitCode::FAILURE;
            }
        };
        let output = match generator::generate_inline(&display, &source, &settings) {
            Ok(output) => output,
            Err(e) => {
                eprintln!("{e}");
                return ExitCode::FAILURE;
            }
        };
        let file = Path::new(&out_dir).join(format!("fixture_{stem}.rs"));
        if let Err(e) = std::fs::write(&file, &output.files[0].contents) {
            eprintln!("cannot write {}: {e}", file.display());
            return ExitCode::FAILURE;
        }
        let module = generator::naming::snake_name(stem);
        let _ = writeln!(
            index,
            "#[doc = \"The client generated from `{display}`.\"]\npub mod {module} {{\n    include!(concat!(env!(\"OUT_DIR\"), \"/fixture_{stem}.rs\"));\n}}"
        );
    }
    if let Err(e) = std::fs::write(Path::new(&out_dir).join("fixtures.rs"), index) {
        eprintln!("cannot write the fixture index: {e}");
        return ExitCode::FAILURE;
    }
    ExitCode::SUCCESS
}
