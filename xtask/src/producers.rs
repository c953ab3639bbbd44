//! `cargo xtask producers [--no-compile]`: OpenAPI 3.1 documents written by real producers,
//! made during the run rather than written by hand, generated and compiled.
//!
//! * FastAPI: the apps under `tests/producers/fastapi/apps/`, with the versions pinned in
//!   `tests/producers/fastapi/requirements.txt`, installed from PyPI into a venv under
//!   `bench/.cache/producers/` (ignored). The venv is made again only when that
//!   file changes (its SHA-512 is kept in a stamp file) or its Python no longer runs, so a
//!   second run needs no network. `XTASK_PYTHON` names the interpreter (default `python3`).
//! * `tests/producers/fastapi/dump.py` writes each app's `app.openapi()` as JSON into
//!   `bench/out/producers/fastapi/` (ignored).
//! * utoipa 5 (Rust): `tests/producers/utoipa/`, a crate of its own workspace (utoipa pinned in
//!   its `Cargo.toml`, the rest by its `Cargo.lock`) whose `main` prints the document of a
//!   small API. It is built with `cargo run --locked --release`, into a target dir under
//!   `bench/.cache/producers/` so that only the first run compiles utoipa (about a minute on
//!   two cores), and its output is written to `bench/out/producers/utoipa/library.json`.
//! * Each document is generated in-process (`catch_unwind`: a panic is reported, not fatal)
//!   as a standalone crate into one workspace, `bench/out/producers/workspace/`, and the
//!   crates are `cargo check`ed together.
//! * The report (printed, and written to `bench/out/producers/report.md`) gives per app its
//!   `openapi` version, operations, whether it generated (or the first error), whether it
//!   compiled, the generator's warnings by kind and rustc's warnings; then the JSON Schema
//!   2020-12 / OpenAPI 3.1 constructs the documents use, counted. The command fails when any
//!   document does not generate or does not compile.

use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::fs;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use serde_json::Value;

use crate::check;
use crate::corpus;

/// The FastAPI producer's directory.
const FASTAPI: &str = "tests/producers/fastapi";
/// Its venv.
const VENV: &str = "bench/.cache/producers/fastapi-venv";
/// In the venv: the SHA-512 of the requirements it was installed from.
const STAMP: &str = "xtask-requirements.sha512";
/// The utoipa producer's crate (its own workspace).
const UTOIPA: &str = "tests/producers/utoipa";
/// Its target dir, kept between runs.
const UTOIPA_TARGET: &str = "bench/.cache/producers/utoipa-target";
/// Everything a run writes.
const OUT: &str = "bench/out/producers";

/// Options of one run.
#[derive(Debug, Clone, Default)]
pub struct Options {
    /// Generate only; skip `cargo check`.
    pub no_compile: bool,
    /// Also write the producers' row of `bench/corpus.md` ("Other versions").
    pub record: bool,
}

/// What happened to one dumped document.
#[derive(Debug)]
struct AppResult {
    /// The producer, e.g. `fastapi`.
    producer: &'static str,
    /// The app's name, e.g. `shop` (its module, for FastAPI).
    app: String,
    /// The document's `openapi` field.
    version: String,
    /// Operations under `paths` (methods), and webhook operations.
    operations: usize,
    webhooks: usize,
    generated: Result<Generated, String>,
    /// The JSON Schema / OpenAPI 3.1 constructs found in the document, by name.
    constructs: BTreeMap<&'static str, usize>,
}

#[derive(Debug)]
struct Generated {
    crate_name: String,
    /// Generator warnings, by `DiagnosticKind::label`.
    warnings: BTreeMap<String, usize>,
    /// The first few warnings, as the user sees them.
    first_warnings: Vec<String>,
}

/// Runs the producers: install, dump, generate, compile, report. `Ok(true)` when every
/// document generated and compiled.
pub fn run(root: &Path, options: &Options) -> Result<bool, String> {
    let start = Instant::now();
    let python = ensure_venv(root)?;
    let install_time = start.elapsed();

    let specs_dir = root.join(OUT).join("fastapi");
    let dumped = Instant::now();
    dump(root, &python, &specs_dir)?;
    let dump_time = dumped.elapsed();

    let mut fastapi: Vec<PathBuf> = fs::read_dir(&specs_dir)
        .map_err(|e| format!("cannot list {}: {e}", specs_dir.display()))?
        .filter_map(Result::ok)
        .map(|e| e.path())
        .filter(|p| p.extension().is_some_and(|x| x == "json"))
        .collect();
    fastapi.sort();
    if fastapi.is_empty() {
        return Err(format!(
            "dump.py wrote no document into {}",
            specs_dir.display()
        ));
    }
    let mut specs: Vec<(&'static str, PathBuf)> =
        fastapi.into_iter().map(|p| ("fastapi", p)).collect();

    let utoipa_fresh = !root.join(UTOIPA_TARGET).join("release").exists();
    let built = Instant::now();
    specs.push(("utoipa", dump_utoipa(root, &root.join(OUT).join("utoipa"))?));
    let utoipa_time = built.elapsed();

    let workspace = root.join(OUT).join("workspace");
    fs::create_dir_all(&workspace)
        .map_err(|e| format!("cannot create {}: {e}", workspace.display()))?;
    let generating = Instant::now();
    let results: Vec<AppResult> = specs
        .iter()
        .map(|(producer, path)| generate(root, producer, path, &workspace))
        .collect::<Result<_, _>>()?;
    let generate_time = generating.elapsed();

    let crates: Vec<String> = results
        .iter()
        .filter_map(|r| r.generated.as_ref().ok().map(|g| g.crate_name.clone()))
        .collect();
    check::write_workspace(root, &workspace, &crates)?;
    let check = if options.no_compile || crates.is_empty() {
        None
    } else {
        eprintln!(
            "cargo check of {} crates in {} …",
            crates.len(),
            workspace.display()
        );
        Some(check::check_crates(&workspace, &crates, None)?)
    };

    let times = Times {
        install: install_time,
        dump: dump_time,
        utoipa: utoipa_time,
        utoipa_fresh,
        generate: generate_time,
        check: check.as_ref().map(|c| c.time),
        total: start.elapsed(),
    };
    let (report, ok) = render(&results, check.as_ref(), options, &times);
    println!("{report}");
    let out = root.join(OUT).join("report.md");
    fs::write(&out, &report).map_err(|e| format!("cannot write {}: {e}", out.display()))?;
    eprintln!("wrote {}", out.display());
    if options.record && check.is_some() {
        let overview = root.join("bench/corpus.md");
        let old = fs::read_to_string(&overview).unwrap_or_default();
        let row = overview_row(&results, check.as_ref());
        fs::write(&overview, crate::overview::with_row(&old, ROW_LABEL, &row))
            .map_err(|e| format!("cannot write {}: {e}", overview.display()))?;
        eprintln!("updated {}", overview.display());
    }
    Ok(ok)
}

/// The producers' set in `bench/corpus.md`.
const ROW_LABEL: &str = "OpenAPI 3.1 written by FastAPI and utoipa";

/// The producers' row in `bench/corpus.md` (see `overview.rs`).
fn overview_row(results: &[AppResult], check: Option<&check::CheckReport>) -> String {
    let total = results.len();
    let generated: Vec<&Generated> = results
        .iter()
        .filter_map(|r| r.generated.as_ref().ok())
        .collect();
    let compiled = generated
        .iter()
        .filter(|g| {
            check.is_some_and(|c| c.per_crate.get(&g.crate_name).is_some_and(Vec::is_empty))
        })
        .count();
    let mut kinds: BTreeMap<&str, (usize, usize)> = BTreeMap::new();
    for g in &generated {
        for (kind, n) in &g.warnings {
            let entry = kinds.entry(kind.as_str()).or_default();
            entry.0 += n;
            entry.1 += 1;
        }
    }
    let warnings: Vec<String> = kinds
        .into_iter()
        .map(|(kind, (n, documents))| {
            let plural = if documents == 1 { "" } else { "s" };
            format!("{kind}: {n} in {documents} document{plural}")
        })
        .collect();
    let share = |n: usize| format!("{n} ({:.2}%)", corpus::pct(n, total));
    format!(
        "| {ROW_LABEL} | {total} | {} | {} | {} | `cargo xtask producers` (in CI) |",
        share(generated.len()),
        share(compiled),
        if warnings.is_empty() {
            "none".to_string()
        } else {
            warnings.join("; ")
        }
    )
}

/// The venv's Python, after making the venv and installing the pinned requirements unless a
/// venv made from the same requirements is there and runs.
fn ensure_venv(root: &Path) -> Result<PathBuf, String> {
    use sha2::Digest as _;
    let requirements = root.join(FASTAPI).join("requirements.txt");
    let pins = fs::read(&requirements)
        .map_err(|e| format!("cannot read {}: {e}", requirements.display()))?;
    let digest: String = sha2::Sha512::digest(&pins)
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect();
    let venv = root.join(VENV);
    let python = venv.join("bin/python");
    let stamp = venv.join(STAMP);
    let runs = || {
        Command::new(&python)
            .args(["-c", "import fastapi, pydantic, multipart"])
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .status()
            .is_ok_and(|s| s.success())
    };
    if fs::read_to_string(&stamp).is_ok_and(|s| s.trim() == digest) && runs() {
        return Ok(python);
    }
    let base = std::env::var("XTASK_PYTHON").unwrap_or_else(|_| "python3".into());
    eprintln!(
        "making {} with {base} and installing {} from PyPI …",
        venv.display(),
        requirements.display()
    );
    if let Some(parent) = venv.parent() {
        fs::create_dir_all(parent)
            .map_err(|e| format!("cannot create {}: {e}", parent.display()))?;
    }
    run_status(
        Command::new(&base)
            .arg("-m")
            .arg("venv")
            .arg("--clear")
            .arg(&venv),
        &format!("{base} -m venv (is Python 3.11 with venv installed? set XTASK_PYTHON)"),
    )?;
    // Every package is pinned, dependencies included: install exactly those, then let pip
    // say whether one is missing.
    run_status(
        Command::new(&python)
            .args([
                "-m",
                "pip",
                "install",
                "--disable-pip-version-check",
                "--no-input",
                "--quiet",
                "--no-deps",
                "-r",
            ])
            .arg(&requirements),
        "pip install -r requirements.txt",
    )?;
    let check = Command::new(&python)
        .args(["-m", "pip", "check", "--disable-pip-version-check"])
        .output()
        .map_err(|e| format!("cannot run pip check: {e}"))?;
    if !check.status.success() {
        return Err(format!(
            "pip check: a dependency is missing from {} or conflicts:\n{}",
            requirements.display(),
            String::from_utf8_lossy(&check.stdout).trim()
        ));
    }
    fs::write(&stamp, format!("{digest}\n"))
        .map_err(|e| format!("cannot write {}: {e}", stamp.display()))?;
    Ok(python)
}

fn run_status(command: &mut Command, what: &str) -> Result<(), String> {
    let status = command
        .status()
        .map_err(|e| format!("cannot run {what}: {e}"))?;
    if status.success() {
        Ok(())
    } else {
        Err(format!("{what} failed: {status}"))
    }
}

/// Runs dump.py, which writes one JSON document per app into `out`.
fn dump(root: &Path, python: &Path, out: &Path) -> Result<(), String> {
    let script = root.join(FASTAPI).join("dump.py");
    eprintln!(
        "dumping the FastAPI apps' OpenAPI documents into {} …",
        out.display()
    );
    run_status(
        Command::new(python)
            .arg(&script)
            .arg(out)
            .stdout(Stdio::null())
            // A fresh interpreter state: no user site-packages, no bytecode in the source tree.
            .env("PYTHONNOUSERSITE", "1")
            .env("PYTHONDONTWRITEBYTECODE", "1"),
        "dump.py",
    )
}

/// Builds (unless built) and runs the utoipa producer, and writes the document it prints to
/// `out/library.json`, returned.
fn dump_utoipa(root: &Path, out: &Path) -> Result<PathBuf, String> {
    let manifest = root.join(UTOIPA).join("Cargo.toml");
    eprintln!(
        "building and running {} (utoipa; the first build takes a minute or two) …",
        manifest.display()
    );
    let output = Command::new(std::env::var("CARGO").unwrap_or_else(|_| "cargo".into()))
        .args(["run", "--locked", "--release", "--manifest-path"])
        .arg(&manifest)
        .arg("--target-dir")
        .arg(root.join(UTOIPA_TARGET))
        // The same build whoever runs it, so that the target dir is reused.
        .env_remove("RUSTFLAGS")
        .stderr(Stdio::inherit())
        .output()
        .map_err(|e| format!("cannot run cargo for {}: {e}", manifest.display()))?;
    if !output.status.success() {
        return Err(format!(
            "cargo run --manifest-path {} failed: {}",
            manifest.display(),
            output.status
        ));
    }
    fs::create_dir_all(out).map_err(|e| format!("cannot create {}: {e}", out.display()))?;
    let path = out.join("library.json");
    fs::write(&path, &output.stdout)
        .map_err(|e| format!("cannot write {}: {e}", path.display()))?;
    Ok(path)
}

/// Generates the document at `path`, written by `producer`, as a crate in `workspace`.
fn generate(
    root: &Path,
    producer: &'static str,
    path: &Path,
    workspace: &Path,
) -> Result<AppResult, String> {
    let app = path
        .file_stem()
        .map(|s| s.to_string_lossy().to_string())
        .unwrap_or_default();
    let source =
        fs::read_to_string(path).map_err(|e| format!("cannot read {}: {e}", path.display()))?;
    let document: Value = serde_json::from_str(&source)
        .map_err(|e| format!("{} is not JSON: {e}", path.display()))?;
    let version = document["openapi"].as_str().unwrap_or("?").to_string();
    let operations = count_operations(&document["paths"]);
    let webhooks = count_operations(&document["webhooks"]);
    let mut constructs = BTreeMap::new();
    count_constructs(&document, Context::Document, &mut constructs);

    let display = path
        .strip_prefix(root)
        .unwrap_or(path)
        .to_string_lossy()
        .replace('\\', "/");
    let crate_name = format!(
        "c_{producer}_{}",
        app.chars()
            .map(|c| if c.is_ascii_alphanumeric() {
                c.to_ascii_lowercase()
            } else {
                '_'
            })
            .collect::<String>()
    );
    let settings = generator::Settings {
        command: "cargo xtask producers".into(),
        ..generator::Settings::default()
    };
    let result = std::panic::catch_unwind(|| {
        generator::generate_crate(&display, &source, &crate_name, &settings)
    });
    let generated = match result {
        Ok(Ok(output)) => {
            let dir = workspace.join(&crate_name);
            for file in &output.files {
                write_if_changed(&dir.join(&file.path), &file.contents)?;
            }
            let mut warnings = BTreeMap::new();
            for w in &output.warnings {
                *warnings.entry(w.kind.label().to_string()).or_insert(0) += 1;
            }
            Ok(Generated {
                crate_name,
                warnings,
                first_warnings: output.warnings.iter().map(ToString::to_string).collect(),
            })
        }
        Ok(Err(e)) => Err(format!(
            "{}: {}",
            e.kind().label(),
            e.diagnostics
                .first()
                .map(ToString::to_string)
                .unwrap_or_default()
        )),
        Err(payload) => Err(format!(
            "panic: {}",
            payload
                .downcast_ref::<&str>()
                .map(|s| s.to_string())
                .or_else(|| payload.downcast_ref::<String>().cloned())
                .unwrap_or_else(|| "non-string panic payload".into())
        )),
    };
    Ok(AppResult {
        producer,
        app,
        version,
        operations,
        webhooks,
        generated,
        constructs,
    })
}

fn write_if_changed(path: &Path, contents: &str) -> Result<(), String> {
    if fs::read(path).ok().as_deref() == Some(contents.as_bytes()) {
        return Ok(());
    }
    if let Some(parent) = path.parent() {
        fs::create_dir_all(parent)
            .map_err(|e| format!("cannot create {}: {e}", parent.display()))?;
    }
    fs::write(path, contents).map_err(|e| format!("cannot write {}: {e}", path.display()))
}

const METHODS: [&str; 8] = [
    "get", "put", "post", "delete", "options", "head", "patch", "trace",
];

/// The operations of a `paths` or `webhooks` object.
fn count_operations(paths: &Value) -> usize {
    paths.as_object().map_or(0, |paths| {
        paths
            .values()
            .filter_map(Value::as_object)
            .map(|item| {
                item.keys()
                    .filter(|k| METHODS.contains(&k.as_str()))
                    .count()
            })
            .sum()
    })
}

/// Where a JSON object sits, for telling keywords from names.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Context {
    /// The document, an operation, a schema, ...: its keys are keywords.
    Document,
    /// A map from names to things (`properties`, `$defs`, `paths`, `content`, ...): its keys
    /// are names, its values are walked.
    Names,
}

/// Keys whose value maps names to things.
const NAME_MAPS: &[&str] = &[
    "properties",
    "patternProperties",
    "$defs",
    "definitions",
    "dependentSchemas",
    "schemas",
    "responses",
    "parameters",
    "requestBodies",
    "headers",
    "securitySchemes",
    "links",
    "callbacks",
    "pathItems",
    "paths",
    "webhooks",
    "content",
    "encoding",
    "variables",
    "mapping",
    "scopes",
];

/// Keys whose value is data (or a list of names), not more of the document.
const DATA: &[&str] = &["example", "default", "enum", "const", "required", "value"];

/// Counts the constructs of OpenAPI 3.1 (JSON Schema 2020-12) that OpenAPI 3.0 lacks or
/// spells otherwise, and a few 3.0 ones a converter meets on the way.
fn count_constructs(value: &Value, context: Context, counts: &mut BTreeMap<&'static str, usize>) {
    match value {
        Value::Array(items) => {
            for item in items {
                count_constructs(item, Context::Document, counts);
            }
        }
        Value::Object(map) if context == Context::Names => {
            for item in map.values() {
                count_constructs(item, Context::Document, counts);
            }
        }
        Value::Object(map) => {
            for (key, value) in map {
                let mut add = |name: &'static str| *counts.entry(name).or_insert(0) += 1;
                match (key.as_str(), value) {
                    ("anyOf" | "oneOf", Value::Array(members)) => {
                        let null = members.iter().any(|m| {
                            m["type"] == "null" && m.as_object().is_some_and(|o| o.len() == 1)
                        });
                        add(match (key.as_str(), null) {
                            ("anyOf", true) => "anyOf with {\"type\":\"null\"}",
                            ("anyOf", false) => "anyOf without null",
                            (_, true) => "oneOf with {\"type\":\"null\"}",
                            _ => "oneOf without null",
                        });
                    }
                    ("type", Value::Array(_)) => add("type as an array"),
                    ("type", Value::String(t)) if t == "null" => add("{\"type\":\"null\"}"),
                    ("const", _) => add("const"),
                    ("examples", Value::Array(_)) => add("examples (JSON Schema array)"),
                    ("examples", Value::Object(_)) => add("examples (OpenAPI map)"),
                    ("contentMediaType", _) => add("contentMediaType"),
                    ("contentEncoding", _) => add("contentEncoding"),
                    ("$defs", _) => add("$defs"),
                    ("$ref", Value::String(r)) => {
                        if r.starts_with("#/$defs/") {
                            add("$ref to #/$defs/ (relative to an embedded schema)");
                        }
                        if map.len() > 1 {
                            add("$ref with sibling keywords");
                        }
                    }
                    ("exclusiveMinimum" | "exclusiveMaximum", Value::Number(_)) => {
                        add("exclusiveMinimum/Maximum as a number")
                    }
                    ("prefixItems", _) => add("prefixItems"),
                    ("if" | "then" | "else", _) => add("if/then/else"),
                    ("dependentSchemas" | "dependentRequired", _) => {
                        add("dependentSchemas/Required")
                    }
                    ("unevaluatedProperties" | "unevaluatedItems", _) => add("unevaluated*"),
                    ("propertyNames", _) => add("propertyNames"),
                    ("patternProperties", _) => add("patternProperties"),
                    ("$schema" | "$id" | "$anchor" | "$dynamicRef" | "$dynamicAnchor", _) => {
                        add("$schema/$id/$anchor/$dynamic*")
                    }
                    ("webhooks", Value::Object(_)) => add("webhooks"),
                    ("pathItems", _) => add("components/pathItems"),
                    ("jsonSchemaDialect", _) => add("jsonSchemaDialect"),
                    ("summary", _) if map.contains_key("title") && map.contains_key("version") => {
                        add("info.summary")
                    }
                    ("identifier", _) if map.contains_key("name") && !map.contains_key("url") => {
                        add("license.identifier")
                    }
                    ("discriminator", _) => add("discriminator"),
                    ("callbacks", _) => add("callbacks"),
                    ("additionalProperties", Value::Bool(true)) => {
                        add("additionalProperties: true")
                    }
                    _ => {}
                }
                if DATA.contains(&key.as_str()) {
                    continue;
                }
                if key == "examples" && value.is_array() {
                    continue;
                }
                let inner = if NAME_MAPS.contains(&key.as_str()) && value.is_object() {
                    // `properties` inside `properties` is a field named so: only a map of
                    // names when this object is not itself one.
                    Context::Names
                } else {
                    Context::Document
                };
                count_constructs(value, inner, counts);
            }
            if map.is_empty() {
                *counts.entry("empty schema or media type {}").or_insert(0) += 1;
            }
        }
        _ => {}
    }
}

struct Times {
    install: Duration,
    dump: Duration,
    /// Building and running the utoipa producer, and whether its target dir was new.
    utoipa: Duration,
    utoipa_fresh: bool,
    generate: Duration,
    check: Option<Duration>,
    total: Duration,
}

fn secs(d: Duration) -> String {
    format!("{:.1} s", d.as_secs_f64())
}

/// The report, and whether every document generated and compiled.
fn render(
    results: &[AppResult],
    check: Option<&check::CheckReport>,
    options: &Options,
    times: &Times,
) -> (String, bool) {
    let mut md = String::new();
    let mut ok = true;
    let _ = writeln!(
        md,
        "# Producers: OpenAPI documents written by FastAPI and utoipa\n"
    );
    let _ = writeln!(
        md,
        "Written by `cargo xtask producers`: the apps of `{FASTAPI}/apps/` (pins in \
         `{FASTAPI}/requirements.txt`), dumped into `{OUT}/fastapi/`, and the document the \
         crate `{UTOIPA}/` prints (utoipa pinned in its `Cargo.toml` and `Cargo.lock`), in \
         `{OUT}/utoipa/`; each generated as a crate of `{OUT}/workspace/` and `cargo check`ed.\n"
    );
    let _ = writeln!(
        md,
        "| producer | app | openapi | operations | webhooks | generated | compiled | generator warnings | rustc warnings |\n|---|---|---|---:|---:|---|---|---|---:|"
    );
    for r in results {
        let (generated, compiled, warnings, rustc) = match &r.generated {
            Err(_) => {
                ok = false;
                (
                    "no".to_string(),
                    "-".to_string(),
                    "-".to_string(),
                    "-".to_string(),
                )
            }
            Ok(g) => {
                let warnings = if g.warnings.is_empty() {
                    "none".to_string()
                } else {
                    g.warnings
                        .iter()
                        .map(|(kind, n)| format!("{kind}: {n}"))
                        .collect::<Vec<_>>()
                        .join(", ")
                };
                let (compiled, rustc) = match check {
                    None => ("not checked".to_string(), "-".to_string()),
                    Some(c) => {
                        let errors = c.per_crate.get(&g.crate_name);
                        let compiled = match errors {
                            Some(e) if e.is_empty() => "yes".to_string(),
                            Some(e) => {
                                ok = false;
                                format!("no ({} errors)", e.len())
                            }
                            None => {
                                ok = false;
                                "no (not checked)".to_string()
                            }
                        };
                        let rustc = c.warnings.get(&g.crate_name).copied().unwrap_or(0);
                        (compiled, rustc.to_string())
                    }
                };
                ("yes".to_string(), compiled, warnings, rustc)
            }
        };
        let _ = writeln!(
            md,
            "| {} | {} | {} | {} | {} | {generated} | {compiled} | {warnings} | {rustc} |",
            r.producer, r.app, r.version, r.operations, r.webhooks
        );
    }
    let failed: Vec<&AppResult> = results.iter().filter(|r| r.generated.is_err()).collect();
    if !failed.is_empty() {
        let _ = writeln!(md, "\n## Did not generate\n");
        for r in failed {
            if let Err(e) = &r.generated {
                let _ = writeln!(md, "- `{}/{}`: {}", r.producer, r.app, e.replace('`', "'"));
            }
        }
    }
    if let Some(c) = check {
        let broken: Vec<(&String, &Vec<(check::CompileError, String)>)> =
            c.per_crate.iter().filter(|(_, e)| !e.is_empty()).collect();
        if !broken.is_empty() {
            let _ = writeln!(md, "\n## Did not compile\n");
            for (name, errors) in broken {
                let _ = writeln!(md, "### `{name}`\n\n```text");
                for (_, rendered) in errors.iter().take(3) {
                    let _ = writeln!(md, "{rendered}");
                }
                let _ = writeln!(md, "```");
            }
        }
    }
    let warned: Vec<(String, &Vec<String>)> = results
        .iter()
        .filter_map(|r| {
            r.generated
                .as_ref()
                .ok()
                .map(|g| (format!("{}/{}", r.producer, r.app), &g.first_warnings))
        })
        .filter(|(_, w)| !w.is_empty())
        .collect();
    if !warned.is_empty() {
        let _ = writeln!(md, "\n## Generator warnings\n");
        for (app, warnings) in warned {
            let _ = writeln!(md, "- `{app}`:");
            for w in warnings.iter().take(10) {
                let _ = writeln!(md, "  - {}", w.replace('`', "'"));
            }
            if warnings.len() > 10 {
                let _ = writeln!(md, "  - … and {} more", warnings.len() - 10);
            }
        }
    }

    // The constructs, one column per app.
    let mut names: Vec<&'static str> = results
        .iter()
        .flat_map(|r| r.constructs.keys().copied())
        .collect();
    names.sort();
    names.dedup();
    let _ = writeln!(
        md,
        "\n## What the documents use\n\nJSON Schema 2020-12 / OpenAPI 3.1 constructs (and a few 3.0 ones a converter meets), counted over each whole document (`components` and inline schemas):\n"
    );
    let header: Vec<String> = results
        .iter()
        .map(|r| format!("{}/{}", r.producer, r.app))
        .collect();
    let _ = writeln!(
        md,
        "| construct | {} | total |\n|---|{}---:|",
        header.join(" | "),
        "---:|".repeat(header.len())
    );
    for name in names {
        let counts: Vec<usize> = results
            .iter()
            .map(|r| r.constructs.get(name).copied().unwrap_or(0))
            .collect();
        let total: usize = counts.iter().sum();
        let cells: Vec<String> = counts.iter().map(ToString::to_string).collect();
        let _ = writeln!(md, "| `{name}` | {} | {total} |", cells.join(" | "));
    }
    let _ = writeln!(
        md,
        "\nTime: venv {}, FastAPI dump {}, utoipa build and run {}{}, generate {}, `cargo check` {}; \
         total {}.",
        secs(times.install),
        secs(times.dump),
        secs(times.utoipa),
        if times.utoipa_fresh {
            " (a first build: utoipa and its dependencies compiled)"
        } else {
            ""
        },
        secs(times.generate),
        match times.check {
            Some(t) => secs(t),
            None if options.no_compile => "skipped (--no-compile)".into(),
            None => "skipped (nothing generated)".into(),
        },
        secs(times.total)
    );
    (md, ok)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn constructs(json: &str) -> BTreeMap<&'static str, usize> {
        let mut counts = BTreeMap::new();
        count_constructs(
            &serde_json::from_str(json).expect("json"),
            Context::Document,
            &mut counts,
        );
        counts
    }

    #[test]
    fn counts_keywords_not_property_names() {
        let counts = constructs(
            r##"{"components": {"schemas": {"Problem": {
                "type": "object",
                "properties": {
                    "type": {"type": "string"},
                    "const": {"anyOf": [{"type": "string"}, {"type": "null"}]},
                    "tag": {"const": 3, "examples": [3]},
                    "kind": {"$ref": "#/$defs/Kind", "default": "a"}
                }
            }}}}"##,
        );
        assert_eq!(counts.get("const"), Some(&1));
        assert_eq!(counts.get("anyOf with {\"type\":\"null\"}"), Some(&1));
        assert_eq!(counts.get("{\"type\":\"null\"}"), Some(&1));
        assert_eq!(counts.get("examples (JSON Schema array)"), Some(&1));
        assert_eq!(counts.get("$ref with sibling keywords"), Some(&1));
        assert_eq!(
            counts.get("$ref to #/$defs/ (relative to an embedded schema)"),
            Some(&1)
        );
        assert_eq!(counts.get("type as an array"), None);
    }

    #[test]
    fn counts_operations() {
        let paths: Value = serde_json::from_str(
            r#"{"/a": {"get": {}, "post": {}, "parameters": []}, "/b": {"delete": {}}}"#,
        )
        .expect("json");
        assert_eq!(count_operations(&paths), 3);
        assert_eq!(count_operations(&Value::Null), 0);
    }
}
