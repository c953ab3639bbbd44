//! `generator SPEC --out DIR [--name CRATE]`: writes a standalone client crate for any
//! OpenAPI spec (3.0, 3.1 or Swagger 2.0). Everything is generated in memory first; on error nothing is written.
//!
//! `generator diff OLD NEW`: the API change report between two versions of a spec.

use std::path::{Path, PathBuf};

#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;
use std::process::ExitCode;

const USAGE: &str =
    "usage: generator SPEC.(yaml|json) --out DIR [--name CRATE] [--tests] [--message-format human|json]
       generator diff OLD NEW [--format text|markdown|json] [--deny-breaking] [--version X.Y.Z]

Writes a standalone Rust client crate (Cargo.toml and sources, runtime included) for the
OpenAPI document SPEC (3.0, 3.1 or Swagger 2.0) into DIR. CRATE defaults to the spec's file name.
--tests also writes tests/conformance.rs: a test per operation, called with arguments built
from the spec against the mock server named by CONFORMANCE_BASE_URL (ignored by default: run
them with `cargo test --test conformance -- --ignored`, e.g. against `prism mock SPEC`).

`diff` reports what changed from spec OLD to spec NEW for users of the generated crate:
each change classified breaking, compatible or doc only, and the version bump it implies
for a crate at version X.Y.Z (default 0.1.0, the version of a standalone crate). Exits 1
with --deny-breaking if any change is breaking.";

struct DiffArgs {
    old: PathBuf,
    new: PathBuf,
    format: generator::diff::Format,
    deny_breaking: bool,
    version: generator::diff::Version,
}

fn parse_diff_args(args: impl Iterator<Item = String>) -> Result<DiffArgs, String> {
    let mut specs = Vec::new();
    let mut format = generator::diff::Format::Text;
    let mut deny_breaking = false;
    let mut version = generator::diff::Version {
        major: 0,
        minor: 1,
        patch: 0,
    };
    let mut args = args;
    while let Some(arg) = args.next() {
        match arg.as_str() {
            "--format" => format = args.next().ok_or("--format needs a value")?.parse()?,
            "--version" => version = args.next().ok_or("--version needs a value")?.parse()?,
            "--deny-breaking" => deny_breaking = true,
            "-h" | "--help" => return Err(String::new()),
            other if other.starts_with('-') => return Err(format!("unknown option `{other}`")),
            other => specs.push(PathBuf::from(other)),
        }
    }
    match <[PathBuf; 2]>::try_from(specs) {
        Ok([old, new]) => Ok(DiffArgs {
            old,
            new,
            format,
            deny_breaking,
            version,
        }),
        Err(_) => Err("diff needs two specs: OLD NEW".into()),
    }
}

/// `generator diff OLD NEW`: both specs analyzed, compared, the report printed.
fn diff(args: impl Iterator<Item = String>) -> ExitCode {
    let args = match parse_diff_args(args) {
        Ok(args) => args,
        Err(message) => return usage(&message),
    };
    // The two specs are read and analyzed on two threads: for GitHub's (12 and 13 MB of
    // JSON) that is most of the time.
    let analyze = |path: &Path| -> Result<generator::ir::Api, String> {
        let display = path.display().to_string();
        let source = std::fs::read_to_string(path)
            .map_err(|e| format!("error: cannot read {display}: {e}"))?;
        generator::analyze(&display, &source)
            .map(|lowered| lowered.api)
            .map_err(|e| e.to_string())
    };
    let (old, new) = std::thread::scope(|s| {
        let old = s.spawn(|| analyze(&args.old));
        let new = analyze(&args.new);
        let old = old
            .join()
            .unwrap_or_else(|_| Err("error: analyzing OLD panicked".to_string()));
        (old, new)
    });
    let apis = match (old, new) {
        (Ok(old), Ok(new)) => [old, new],
        (Err(e), _) | (_, Err(e)) => {
            eprintln!("{e}");
            return ExitCode::FAILURE;
        }
    };
    let report = generator::diff::compare(&apis[0], &apis[1]);
    let name = default_name(&args.new);
    print!(
        "{}",
        generator::diff::render(
            std::slice::from_ref(&report),
            &name,
            args.version,
            args.format
        )
    );
    if args.deny_breaking && report.highest() == Some(generator::diff::Class::Breaking) {
        eprintln!("error: breaking API changes (--deny-breaking)");
        return ExitCode::FAILURE;
    }
    ExitCode::SUCCESS
}

fn usage(message: &str) -> ExitCode {
    if !message.is_empty() {
        eprintln!("error: {message}\n");
    }
    eprintln!("{USAGE}");
    ExitCode::from(2)
}

struct Args {
    spec: PathBuf,
    out: PathBuf,
    name: Option<String>,
    /// Diagnostics as JSON lines (`--message-format json`), for programs.
    json: bool,
    /// Also write `tests/conformance.rs` (`--tests`).
    tests: bool,
}

fn parse_args() -> Result<Args, String> {
    let mut spec = None;
    let mut out = None;
    let mut name = None;
    let mut json = false;
    let mut tests = false;
    let mut args = std::env::args().skip(1);
    while let Some(arg) = args.next() {
        match arg.as_str() {
            "--out" => out = Some(PathBuf::from(args.next().ok_or("--out needs a directory")?)),
            "--name" => name = Some(args.next().ok_or("--name needs a crate name")?),
            "--message-format" => match args.next().as_deref() {
                Some("json") => json = true,
                Some("human") => json = false,
                _ => return Err("--message-format needs `human` or `json`".to_string()),
            },
            "--tests" => tests = true,
            "-h" | "--help" => return Err(String::new()),
            other if other.starts_with('-') => return Err(format!("unknown option `{other}`")),
            other if spec.is_none() => spec = Some(PathBuf::from(other)),
            other => return Err(format!("unexpected argument `{other}`")),
        }
    }
    Ok(Args {
        spec: spec.ok_or("missing SPEC")?,
        out: out.ok_or("missing --out DIR")?,
        name,
        json,
        tests,
    })
}

/// One diagnostic as a JSON line: `level`, `kind` (its stable label), `file`, `pointer`,
/// `line` and `column` (or null) and `message`.
fn diagnostic_json(level: &str, d: &generator::Diagnostic) -> String {
    let (line, column) = match d.location {
        Some((line, column)) => (serde_json::json!(line), serde_json::json!(column)),
        None => (serde_json::Value::Null, serde_json::Value::Null),
    };
    serde_json::json!({
        "level": level,
        "kind": d.kind.label(),
        "file": d.file,
        "pointer": d.pointer,
        "line": line,
        "column": column,
        "message": d.message,
    })
    .to_string()
}

fn default_name(spec: &Path) -> String {
    let stem = spec
        .file_stem()
        .and_then(|s| s.to_str())
        .unwrap_or("client");
    let name = generator::naming::snake_name(stem)
        .trim_start_matches("r#")
        .trim_matches('_')
        .to_string();
    if name.starts_with(|c: char| c.is_ascii_alphabetic()) {
        name
    } else {
        format!("api_{name}")
    }
}

fn main() -> ExitCode {
    if std::env::args().nth(1).as_deref() == Some("diff") {
        return diff(std::env::args().skip(2));
    }
    let args = match parse_args() {
        Ok(args) => args,
        Err(message) => return usage(&message),
    };
    let display = args.spec.display().to_string();
    let source = match std::fs::read_to_string(&args.spec) {
        Ok(s) => s,
        Err(e) => {
            eprintln!("error: cannot read {display}: {e}");
            return ExitCode::FAILURE;
        }
    };
    let name = args.name.unwrap_or_else(|| default_name(&args.spec));
    let settings = generator::Settings {
        command: format!(
            "cargo run -p generator -- {display} --out {} --name {name}",
            args.out.display()
        ),
        ..generator::Settings::default()
    };
    // The spec's text is freed before emitting, which needs only the IR: for big specs
    // (GitHub's is 13 MB) that lowers the peak memory.
    let tests = if args.tests {
        let api = generator::ConformanceApi {
            file: &display,
            source: &source,
            api_path: vec![name.as_str()],
            module: None,
        };
        Some(generator::conformance_tests(&[api], &settings))
    } else {
        None
    };
    let lowered = generator::analyze(&display, &source);
    drop(source);
    let output = lowered
        .and_then(|l| generator::emit_crate(&display, l, &name, &settings))
        .and_then(|mut output| {
            if let Some(tests) = tests {
                output.files.push(generator::GeneratedFile {
                    path: "tests/conformance.rs".into(),
                    contents: tests?,
                });
            }
            Ok(output)
        });
    let output = match output {
        Ok(output) => output,
        Err(e) => {
            if args.json {
                for d in &e.diagnostics {
                    eprintln!("{}", diagnostic_json("error", d));
                }
            } else {
                eprintln!("{e}");
            }
            return ExitCode::FAILURE;
        }
    };
    for w in &output.warnings {
        if args.json {
            eprintln!("{}", diagnostic_json("warning", w));
        } else {
            eprintln!("warning: {w}");
        }
    }
    for file in &output.files {
        let path = args.out.join(&file.path);
        let unchanged = std::fs::read(&path).ok().as_deref() == Some(file.contents.as_bytes());
        if unchanged {
            continue;
        }
        let written = path
            .parent()
            .map_or(Ok(()), std::fs::create_dir_all)
            .and_then(|()| std::fs::write(&path, &file.contents));
        if let Err(e) = written {
            eprintln!("error: cannot write {}: {e}", path.display());
            return ExitCode::FAILURE;
        }
    }
    eprintln!(
        "wrote crate `{name}` to {} ({} files)",
        args.out.display(),
        output.files.len()
    );
    ExitCode::SUCCESS
}
