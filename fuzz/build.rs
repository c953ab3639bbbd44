//! Lists the types of the clients `decode` reads (`spec/*.yaml` in the `distributions`
//! crate, `tests/fixtures/*.yaml` in `distributions-tests`, and GitHub's when
//! `FUZZ_GITHUB_SPEC` names its spec): every type with a `Decode` impl, found in the
//! generated code, as a table of decoding functions in `OUT_DIR`.

use std::fmt::Write as _;
use std::path::Path;

fn main() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("..");
    let mut table = String::from(
        "/// Every decodable type, by name.\npub const TYPES: &[(&str, Check)] = &[\n",
    );
    let mut sources = Vec::new();
    for (dir, krate) in [
        ("spec", "distributions"),
        ("tests/fixtures", "distributions_tests"),
    ] {
        let path = root.join(dir);
        println!("cargo:rerun-if-changed={}", path.display());
        let mut files: Vec<_> = std::fs::read_dir(&path)
            .unwrap_or_else(|e| panic!("{}: {e}", path.display()))
            .filter_map(Result::ok)
            .map(|e| e.path())
            .filter(|p| p.extension().is_some_and(|e| e == "yaml"))
            .collect();
        files.sort();
        for file in files {
            sources.push((file, krate));
        }
    }
    let settings = generator::Settings {
        runtime_path: "::distributions::runtime".into(),
        ..generator::Settings::default()
    };
    for (file, krate) in sources {
        let stem = file
            .file_stem()
            .and_then(|s| s.to_str())
            .unwrap_or_default();
        let text = std::fs::read_to_string(&file).unwrap_or_else(|e| panic!("{stem}: {e}"));
        let display = file.display().to_string();
        let output = generator::generate_inline(&display, &text, &settings)
            .unwrap_or_else(|e| panic!("{e}"));
        let code: syn::File =
            syn::parse_str(&output.files[0].contents).expect("generated code parses");
        let module = generator::naming::snake_name(stem);
        for name in decodable(&code) {
            let _ = writeln!(
                table,
                "    (\"{module}::{name}\", crate::check::<::{krate}::{module}::types::{name}>),"
            );
        }
    }
    // GitHub's client too, when asked for (`FUZZ_GITHUB_SPEC=bench/.cache/specs/api.github.com.json`):
    // a long build, so not by default.
    println!("cargo:rerun-if-env-changed=FUZZ_GITHUB_SPEC");
    println!("cargo:rustc-check-cfg=cfg(fuzz_github)");
    if let Ok(spec) = std::env::var("FUZZ_GITHUB_SPEC") {
        let text = std::fs::read_to_string(&spec).unwrap_or_else(|e| panic!("{spec}: {e}"));
        let output = generator::generate_inline("api.github.com.json", &text, &settings)
            .unwrap_or_else(|e| panic!("{e}"));
        let code: syn::File =
            syn::parse_str(&output.files[0].contents).expect("generated code parses");
        for name in decodable(&code) {
            let _ = writeln!(
                table,
                "    (\"github::{name}\", crate::check::<crate::github::types::{name}>),"
            );
        }
        let out = std::env::var("OUT_DIR").expect("OUT_DIR");
        std::fs::write(Path::new(&out).join("github.rs"), &output.files[0].contents)
            .expect("write the GitHub client");
        println!("cargo:rustc-cfg=fuzz_github");
    }
    table.push_str("];\n");
    let out = std::env::var("OUT_DIR").expect("OUT_DIR");
    std::fs::write(Path::new(&out).join("types.rs"), table).expect("write the table");
}

/// The names of the types of the `types` module with a `Decode` impl.
fn decodable(code: &syn::File) -> Vec<String> {
    let mut names = Vec::new();
    for item in &code.items {
        let syn::Item::Mod(module) = item else {
            continue;
        };
        if module.ident != "types" {
            continue;
        }
        let Some((_, items)) = &module.content else {
            continue;
        };
        for item in items {
            let syn::Item::Impl(imp) = item else { continue };
            let is_decode = imp
                .trait_
                .as_ref()
                .and_then(|(_, path, _)| path.segments.last())
                .is_some_and(|s| s.ident == "Decode");
            if let (true, syn::Type::Path(ty)) = (is_decode, &*imp.self_ty) {
                if let Some(segment) = ty.path.segments.last() {
                    names.push(segment.ident.to_string());
                }
            }
        }
    }
    names
}
