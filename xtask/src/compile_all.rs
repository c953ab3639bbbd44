//! `cargo xtask corpus --all`: "what generates compiles" on the whole corpus, not a sample.
//! Every OpenAPI 3.0 spec of the corpus under 2 MB is generated as one inline module (the
//! form the test fixtures take) into a crate of one workspace under `bench/out/corpus-all/`
//! that uses the workspace's runtime crate, so the runtime is checked once, not once per
//! crate; then all of them are `cargo check`ed in one run. Files are rewritten only when
//! they change, so a second run checks only the crates whose code changed.
//!
//! Writes `bench/corpus-compile.md` (counts, the time it took, every failure).

use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::fs;
use std::path::Path;
use std::time::Instant;

use crate::check;
use crate::corpus;
use crate::directory;

/// The largest spec checked (the issue's corpus: the specs under 2 MB).
const MAX_BYTES: u64 = 2_000_000;

pub fn run(root: &Path, filter: Option<&str>) -> Result<bool, String> {
    let api = directory::fetch(root)?;
    let mut specs = Vec::new();
    directory::list_specs(&api, &api, &mut specs);
    specs.sort();
    specs.retain(|(path, bytes)| *bytes <= MAX_BYTES && filter.is_none_or(|f| path.contains(f)));
    let dir = root.join("bench/out/corpus-all");
    fs::create_dir_all(&dir).map_err(|e| e.to_string())?;
    let settings = generator::Settings {
        runtime_path: "::generator_runtime".into(),
        command: "cargo xtask corpus --all".into(),
    };
    let runtime = root.join("runtime");
    let jobs = std::thread::available_parallelism()
        .map(|n| n.get())
        .unwrap_or(2);
    eprintln!("generating {} specs …", specs.len());
    let start = Instant::now();
    let indexed: Vec<(usize, &(String, u64))> = specs.iter().enumerate().collect();
    let generated: Vec<Option<(String, String)>> = corpus::parallel(
        &indexed,
        jobs,
        |(i, (path, _))| {
            let source = fs::read_to_string(api.join(path)).ok()?;
            if !corpus::sniff_version(&source)?.starts_with("3.0") {
                return None;
            }
            let display = format!("{}/api/{path}", directory::PACKAGE);
            let output = std::panic::catch_unwind(|| {
                generator::generate_inline(&display, &source, &settings)
            })
            .ok()?
            .ok()?;
            let name = corpus::crate_name(*i, path);
            let manifest = format!(
            "[package]\nname = \"{name}\"\nversion = \"0.0.0\"\nedition = \"2021\"\npublish = false\n\n\
             [lib]\npath = \"lib.rs\"\n\n\
             [dependencies]\ngenerator-runtime = {{ path = \"{}\" }}\n{}",
            runtime.display(),
            generated_dependencies()
        );
            let crate_dir = dir.join(&name);
            write_if_changed(&crate_dir.join("Cargo.toml"), &manifest).ok()?;
            write_if_changed(&crate_dir.join("lib.rs"), &output.files[0].contents).ok()?;
            Some((name, path.clone()))
        },
    );
    let generate_time = start.elapsed();
    let crates: BTreeMap<String, String> = generated.into_iter().flatten().collect();
    let names: Vec<String> = crates.keys().cloned().collect();
    check::write_workspace(root, &dir, &names)?;
    eprintln!(
        "cargo check of {} crates in {} …",
        names.len(),
        dir.display()
    );
    let report = check::check_crates(&dir, &names, None)?;
    let failed: Vec<(&String, &Vec<(check::CompileError, String)>)> = report
        .per_crate
        .iter()
        .filter(|(_, e)| !e.is_empty())
        .collect();
    let compiled = names.len() - failed.len();
    let mut md = String::new();
    let _ = writeln!(md, "# Every corpus spec compiled\n");
    let _ = writeln!(
        md,
        "Written by `cargo xtask corpus --all`; do not edit by hand. Every OpenAPI 3.0 spec of \
         `{}@{}` under 2 MB that generates, as one module per crate over the workspace's \
         runtime crate, `cargo check`ed in one workspace (`bench/out/corpus-all/`).\n",
        directory::PACKAGE,
        directory::VERSION
    );
    let _ = writeln!(md, "| | crates |\n|---|---:|");
    let _ = writeln!(md, "| generated | {} |", names.len());
    let _ = writeln!(md, "| compile | {compiled} |");
    let _ = writeln!(md, "| do not compile | {} |", failed.len());
    let warned = report.warnings.values().filter(|n| **n > 0).count();
    let _ = writeln!(md, "| compile with warnings | {warned} |");
    let _ = writeln!(
        md,
        "\nTime: generation {:.0} s, `cargo check` {:.0} s{} on {jobs} cores.",
        generate_time.as_secs_f64(),
        report.time.as_secs_f64(),
        if report.fresh_target {
            " (dependencies built first)"
        } else {
            " (incremental: unchanged crates are not checked again)"
        }
    );
    let warned_names: Vec<&str> = report
        .warnings
        .iter()
        .filter(|(_, n)| **n > 0)
        .map(|(name, _)| crates.get(name).map_or(name.as_str(), String::as_str))
        .collect();
    if !warned_names.is_empty() {
        let _ = writeln!(
            md,
            "
With warnings: `{}`.",
            warned_names.join("`, `")
        );
    }
    for (name, errors) in &failed {
        let path = crates.get(*name).map(String::as_str).unwrap_or_default();
        let _ = writeln!(md, "\n## `{path}`\n\n```text");
        for (_, rendered) in errors.iter().take(3) {
            let _ = writeln!(md, "{rendered}");
        }
        let _ = writeln!(md, "```");
    }
    println!("{md}");
    if filter.is_none() {
        let out = root.join("bench/corpus-compile.md");
        fs::write(&out, &md).map_err(|e| format!("cannot write {}: {e}", out.display()))?;
        eprintln!("wrote {}", out.display());
    }
    Ok(failed.is_empty())
}

/// What generated code uses directly besides the runtime, as manifest lines (the runtime's
/// own list, which standalone crates use too).
fn generated_dependencies() -> String {
    let mut lines = String::new();
    for (name, spec) in generator_runtime::vendor::DEPENDENCIES {
        if ["bytes", "reqwest", "serde", "serde_json"].contains(name) {
            let _ = writeln!(lines, "{name} = {spec}");
        }
    }
    lines
}

fn write_if_changed(path: &Path, contents: &str) -> std::io::Result<()> {
    if fs::read(path).ok().as_deref() == Some(contents.as_bytes()) {
        return Ok(());
    }
    if let Some(parent) = path.parent() {
        fs::create_dir_all(parent)?;
    }
    fs::write(path, contents)
}
