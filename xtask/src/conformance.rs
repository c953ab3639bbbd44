//! `cargo xtask conformance [--api NAME] [--mode static|dynamic|both] [--seed S]`: runs the
//! generated conformance tests of the `distributions` crate (`generated/tests/conformance.rs`,
//! written by `cargo xtask codegen`) against Prism, a mock server that enforces the spec.
//!
//! * Prism (`@stoplight/prism-cli`, [`PRISM_VERSION`]) is installed with `npm ci` from
//!   `xtask/prism/package.json` and its `package-lock.json` (every dependency pinned, with its
//!   integrity hash) into `target/prism/` (ignored), and reused while the lock file (its SHA-256
//!   is kept in a stamp file) and Prism's `--version` are unchanged. Prism 5.14.2 is the last
//!   5.x that runs on Node.js 20 (5.15 and later need Node.js 24).
//! * For each spec of `spec/` (or `--api NAME`) and each mode, Prism is started on a free port
//!   of 127.0.0.1 (`prism mock spec/<api>.yaml`, with `--dynamic --seed S` in dynamic mode:
//!   responses generated from the schemas, the same ones on every run, and with
//!   `--json-schema-faker-fillProperties=false`: only declared properties, since strict
//!   decoding refuses the undeclared ones Prism would otherwise add wherever a schema does not
//!   say `additionalProperties: false`) and is waited for (at most [`STARTUP`]); then `cargo test -p distributions --test conformance -- --ignored
//!   <api>::` runs with `CONFORMANCE_BASE_URL` naming it, and Prism is stopped, also when
//!   something fails on the way ([`Server`] kills it when dropped).
//! * Each test's outcome is read from libtest's output, and Prism's log (kept in
//!   `bench/out/conformance/`) says how many requests it received and accepted, and which
//!   violations it found: in requests (the client's), or in its own responses (the spec's: an
//!   example that contradicts its schema).
//! * The summary is printed and written to `bench/out/conformance.md` (ignored). When Prism
//!   does not start for an API (or its tests cannot run), that is reported and the others run.
//!   The command fails when a test failed, or when no test ran for an API and mode.

use std::fmt::Write as _;
use std::fs;
use std::io::Read as _;
use std::path::Path;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use crate::prism::{
    ensure_prism, parse_libtest, shorten, tail, Mode, Outcome, PrismLog, Server, PRISM_VERSION,
    STARTUP,
};

/// Prism's log, each run's test output.
const OUT_DIR: &str = "bench/out/conformance";
/// The summary.
const REPORT: &str = "bench/out/conformance.md";
/// The longest one API's tests may take in one mode (they are built beforehand).
const TEST_TIMEOUT: Duration = Duration::from_secs(600);
/// The seed of dynamic mode unless `--seed` says otherwise.
const DEFAULT_SEED: &str = "conformance";

/// Options of one run.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Options {
    /// One API (the stem of its spec, e.g. `buddy`), or all of `spec/`.
    pub api: Option<String>,
    /// The modes, in order.
    pub modes: Vec<Mode>,
    /// Prism's `--seed` in dynamic mode.
    pub seed: String,
}

impl Options {
    /// Reads the arguments after `conformance`.
    pub fn parse(args: &[&str]) -> Result<Options, String> {
        let mut options = Options {
            api: None,
            modes: vec![Mode::Static, Mode::Dynamic],
            seed: DEFAULT_SEED.to_string(),
        };
        let mut args = args.iter();
        while let Some(arg) = args.next() {
            match *arg {
                "--api" => options.api = Some(args.next().ok_or("--api needs a name")?.to_string()),
                "--mode" => {
                    options.modes = match args.next().copied() {
                        Some("static") => vec![Mode::Static],
                        Some("dynamic") => vec![Mode::Dynamic],
                        Some("both") => vec![Mode::Static, Mode::Dynamic],
                        _ => return Err("--mode needs static, dynamic or both".to_string()),
                    }
                }
                "--seed" => options.seed = args.next().ok_or("--seed needs a value")?.to_string(),
                other => return Err(format!("unknown conformance option `{other}`")),
            }
        }
        Ok(options)
    }
}

/// One spec: its file and the test module named after it.
#[derive(Debug, Clone)]
struct Api {
    /// `spec/buddy.yaml`.
    spec: String,
    /// `buddy`.
    module: String,
}

/// What one API's tests did in one mode.
#[derive(Debug)]
struct Run {
    api: String,
    mode: Mode,
    tests: Vec<Outcome>,
    prism: PrismLog,
    /// Why the tests did not run (Prism did not start, cargo test failed without a test
    /// failing), if so.
    error: Option<String>,
}

/// Runs the conformance tests. `Ok(true)` when every test passed and each API ran some.
pub fn run(root: &Path, options: &Options) -> Result<bool, String> {
    let apis = apis(root, options.api.as_deref())?;
    let prism = ensure_prism(root)?;
    let out = root.join(OUT_DIR);
    fs::create_dir_all(&out).map_err(|e| format!("cannot create {}: {e}", out.display()))?;
    // Built once, before any server starts.
    build_tests(root)?;
    let mut runs = Vec::new();
    for api in &apis {
        for &mode in &options.modes {
            let (tests, error) = match run_one(root, &prism, api, mode, &options.seed, &out) {
                Ok(tests) => (tests, None),
                Err(e) => {
                    eprintln!("conformance: {} ({}): {e}", api.module, mode.name());
                    (Vec::new(), Some(e))
                }
            };
            let log = out.join(format!("prism-{}-{}.log", api.module, mode.name()));
            runs.push(Run {
                api: api.module.clone(),
                mode,
                tests,
                prism: PrismLog::read(&fs::read_to_string(&log).unwrap_or_default()),
                error,
            });
        }
    }
    let report = render(&runs, options);
    print!("{report}");
    let path = root.join(REPORT);
    fs::write(&path, &report).map_err(|e| format!("cannot write {}: {e}", path.display()))?;
    eprintln!("conformance: wrote {REPORT}");
    Ok(runs
        .iter()
        .all(|r| r.error.is_none() && !r.tests.is_empty() && r.tests.iter().all(|t| t.passed)))
}

/// Starts Prism for one API in one mode, runs its tests and stops Prism; the tests sorted by
/// name.
fn run_one(
    root: &Path,
    prism: &Path,
    api: &Api,
    mode: Mode,
    seed: &str,
    out: &Path,
) -> Result<Vec<Outcome>, String> {
    let label = format!("{}-{}", api.module, mode.name());
    let log = out.join(format!("prism-{label}.log"));
    let started = Instant::now();
    let server = Server::start(root, prism, &api.spec, mode, seed, &log, STARTUP)?;
    eprintln!(
        "conformance: {} ({}): Prism listens on {} after {:.1} s; running the tests …",
        api.module,
        mode.name(),
        server.base_url(),
        started.elapsed().as_secs_f64()
    );
    let output = out.join(format!("tests-{label}.txt"));
    let mut tests = run_tests(root, &api.module, &server.base_url(), &output)?;
    drop(server);
    tests.sort_by(|a, b| a.name.cmp(&b.name));
    Ok(tests)
}

/// The specs of `spec/` (or the one named), each with its module name.
fn apis(root: &Path, only: Option<&str>) -> Result<Vec<Api>, String> {
    let dir = root.join("spec");
    let mut apis: Vec<Api> = fs::read_dir(&dir)
        .map_err(|e| format!("cannot read {}: {e}", dir.display()))?
        .filter_map(|entry| entry.ok().map(|e| e.path()))
        .filter(|p| {
            matches!(
                p.extension().and_then(|e| e.to_str()),
                Some("yaml" | "yml" | "json")
            )
        })
        .filter_map(|p| {
            let file = p.file_name()?.to_str()?.to_string();
            let stem = p.file_stem()?.to_str()?;
            Some(Api {
                spec: format!("spec/{file}"),
                module: generator::naming::snake_name(stem),
            })
        })
        .collect();
    apis.sort_by(|a, b| a.module.cmp(&b.module));
    if let Some(name) = only {
        let names: Vec<String> = apis.iter().map(|a| a.module.clone()).collect();
        apis.retain(|a| a.module == name);
        if apis.is_empty() {
            return Err(format!(
                "no API `{name}` in spec/ (there are: {})",
                names.join(", ")
            ));
        }
    }
    if apis.is_empty() {
        return Err(format!("no spec in {}", dir.display()));
    }
    Ok(apis)
}

fn cargo() -> String {
    std::env::var("CARGO").unwrap_or_else(|_| "cargo".to_string())
}

/// The cargo arguments that build or run the conformance tests.
const TEST_ARGS: &[&str] = &["test", "-p", "distributions", "--test", "conformance"];

/// Builds the tests, so that no server waits for the compiler.
fn build_tests(root: &Path) -> Result<(), String> {
    eprintln!("conformance: building the conformance tests of `distributions` …");
    let status = Command::new(cargo())
        .args(TEST_ARGS)
        .arg("--no-run")
        .current_dir(root)
        .status()
        .map_err(|e| format!("cannot run cargo: {e}"))?;
    if status.success() {
        Ok(())
    } else {
        Err(format!(
            "the conformance tests do not build ({status}); are they generated (cargo xtask codegen)?"
        ))
    }
}

/// Runs one module's tests against `base_url`, libtest's output kept in `output`.
fn run_tests(
    root: &Path,
    module: &str,
    base_url: &str,
    output: &Path,
) -> Result<Vec<Outcome>, String> {
    let stdout =
        fs::File::create(output).map_err(|e| format!("cannot create {}: {e}", output.display()))?;
    let filter = format!("{module}::");
    let mut child = Command::new(cargo())
        .args(TEST_ARGS)
        .args(["--", "--ignored", "--test-threads=2", "--color=never"])
        .arg(&filter)
        .current_dir(root)
        .env("CONFORMANCE_BASE_URL", base_url)
        .env("RUST_BACKTRACE", "0")
        .env("CARGO_TERM_COLOR", "never")
        .stdout(stdout)
        .stderr(Stdio::piped())
        .spawn()
        .map_err(|e| format!("cannot run cargo test: {e}"))?;
    // Cargo's own messages are few (the tests are built): read them after it ends.
    let mut stderr = child.stderr.take();
    let Some(status) = crate::prism::wait_until(&mut child, TEST_TIMEOUT)? else {
        return Err(format!(
            "the tests of `{module}` took over {} s; their output: {}",
            TEST_TIMEOUT.as_secs(),
            output.display()
        ));
    };
    let mut messages = String::new();
    if let Some(stderr) = stderr.as_mut() {
        let _ = stderr.read_to_string(&mut messages);
    }
    let text = fs::read_to_string(output).unwrap_or_default();
    let tests = parse_libtest(&text);
    // A failing test fails the run; anything else that fails it is an error here.
    if !status.success() && !tests.iter().any(|t| !t.passed) {
        return Err(format!(
            "cargo test of `{module}` failed ({status}) without a failing test:\n{}\n{}",
            tail(&messages, 20),
            tail(&text, 20)
        ));
    }
    Ok(tests)
}

/// The summary (Markdown).
fn render(runs: &[Run], options: &Options) -> String {
    let mut out = String::new();
    let _ = writeln!(
        out,
        "# Conformance: the generated tests against Prism {PRISM_VERSION}\n"
    );
    let mut command = "cargo xtask conformance".to_string();
    if let Some(api) = &options.api {
        let _ = write!(command, " --api {api}");
    }
    if options.modes.len() == 1 {
        let _ = write!(command, " --mode {}", options.modes[0].name());
    }
    if options.seed != DEFAULT_SEED {
        let _ = write!(command, " --seed {}", options.seed);
    }
    let modes: Vec<String> = options
        .modes
        .iter()
        .map(|mode| match mode {
            Mode::Static => "static (the spec's examples)".to_string(),
            Mode::Dynamic => format!(
                "dynamic (`--dynamic --seed {}`: generated from the schemas, declared properties \
                 only)",
                options.seed
            ),
        })
        .collect();
    let _ = writeln!(
        out,
        "`{command}`: each API's tests (`generated/tests/conformance.rs`, one call per operation \
         with its required parameters, one with all; strict decoding) against `prism mock`, {}. \
         Prism's logs and the tests' output: `{OUT_DIR}/`.\n",
        modes.join(" and ")
    );
    out.push_str(
        "| API | mode | operations | tests | passed | failed | requests (Prism) | accepted | request violations | response violations |\n\
         |---|---|---:|---:|---:|---:|---:|---:|---:|---:|\n",
    );
    for run in runs {
        let passed = run.tests.iter().filter(|t| t.passed).count();
        let mut operations: Vec<&str> = run.tests.iter().map(Outcome::operation).collect();
        operations.sort_unstable();
        operations.dedup();
        let _ = writeln!(
            out,
            "| {} | {} | {} | {} | {} | {} | {} | {} | {} | {} |",
            run.api,
            run.mode.name(),
            operations.len(),
            run.tests.len(),
            passed,
            run.tests.len() - passed,
            run.prism.requests,
            run.prism.accepted,
            run.prism.count("request"),
            run.prism.count("response"),
        );
    }
    let failed: Vec<(&Run, &Outcome)> = runs
        .iter()
        .flat_map(|r| r.tests.iter().filter(|t| !t.passed).map(move |t| (r, t)))
        .collect();
    let empty: Vec<&Run> = runs.iter().filter(|r| r.tests.is_empty()).collect();
    if failed.is_empty() && empty.is_empty() {
        out.push_str("\nEvery test passed.\n");
    }
    if !empty.is_empty() {
        out.push_str("\n## No test ran\n\n");
        for run in empty {
            let why = run.error.as_deref().and_then(|e| e.lines().next());
            let _ = writeln!(
                out,
                "- {} ({}){}",
                run.api,
                run.mode.name(),
                why.map(|w| format!(": {}", shorten(w, 400)))
                    .unwrap_or_default()
            );
        }
    }
    if !failed.is_empty() {
        out.push_str("\n## Failures\n\n");
        for (run, test) in failed {
            let _ = writeln!(
                out,
                "- {} `{}`: {}",
                run.mode.name(),
                test.name,
                shorten(test.message.as_deref().unwrap_or("(no message)"), 400)
            );
        }
    }
    let noted: Vec<&Run> = runs
        .iter()
        .filter(|r| !r.prism.violations.is_empty() || !r.prism.errors.is_empty())
        .collect();
    if !noted.is_empty() {
        out.push_str("\n## What Prism reported\n");
        for run in noted {
            let _ = writeln!(out, "\n{} ({}):\n", run.api, run.mode.name());
            for ((side, severity, text), n) in &run.prism.violations {
                let _ = writeln!(out, "- {side} {severity} ×{n}: {}", shorten(text, 300));
            }
            for (error, n) in &run.prism.errors {
                let _ = writeln!(out, "- ended with an error ×{n}: {error}");
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::prism::tests::{OUTPUT, PRISM};

    #[test]
    fn options_are_parsed() {
        let options = Options::parse(&["--api", "buddy", "--mode", "dynamic", "--seed", "7"]);
        assert_eq!(
            options,
            Ok(Options {
                api: Some("buddy".into()),
                modes: vec![Mode::Dynamic],
                seed: "7".into(),
            })
        );
        assert_eq!(
            Options::parse(&[]).map(|o| o.modes),
            Ok(vec![Mode::Static, Mode::Dynamic])
        );
        assert!(Options::parse(&["--mode", "fast"]).is_err());
        assert!(Options::parse(&["--api"]).is_err());
    }

    #[test]
    fn the_report_counts_operations_and_lists_failures() {
        let tests = parse_libtest(OUTPUT);
        let runs = [
            Run {
                api: "buddy".into(),
                mode: Mode::Static,
                tests,
                prism: PrismLog::read(PRISM),
                error: None,
            },
            Run {
                api: "pieces".into(),
                mode: Mode::Dynamic,
                tests: Vec::new(),
                prism: PrismLog::default(),
                error: Some("Prism exited (exit status: 1) before it listened\nmore".into()),
            },
        ];
        let options = Options::parse(&[]).unwrap();
        let report = render(&runs, &options);
        assert!(
            report.contains("| buddy | static | 3 | 3 | 1 | 2 | 5 | 3 | 2 | 1 |"),
            "{report}"
        );
        assert!(report.contains("| pieces | dynamic | 0 | 0 | 0 | 0 | 0 | 0 | 0 | 0 |"));
        assert!(report.contains(
            "## No test ran\n\n- pieces (dynamic): Prism exited (exit status: 1) before it listened\n"
        ));
        assert!(report.contains("- static `buddy::create_route_required`: Error: Decode"));
        assert!(report.contains("- response error ×1: response.body.n"));
    }
}
