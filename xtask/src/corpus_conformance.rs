//! `cargo xtask corpus --conformance [N] [--mode static|dynamic|both] [--filter TEXT]`: the
//! generated conformance tests (`generator --tests`) of a seeded sample of N (default
//! [`DEFAULT_COUNT`]) OpenAPI 3.0 specs of the corpus, run against Prism.
//!
//! * The corpus (`directory::fetch`) is shuffled with a fixed seed ([`SEED`]); specs are taken in
//!   that order, skipping those over [`MAX_BYTES`], not OpenAPI 3.0, that do not generate or
//!   whose crate has no testable operation (binary or multipart uploads only), until N are
//!   chosen. Each is written as a standalone crate with `tests/conformance.rs` into one cargo
//!   workspace, `bench/out/corpus-conformance/` (ignored), whose conformance tests are built
//!   with one `cargo build --workspace --test conformance --keep-going`.
//! * Per spec and mode, Prism (pinned, `crate::prism`) is started on the spec with a startup
//!   limit ([`STARTUP`]; a spec it cannot load in time, or that makes it exit, is counted
//!   apart), and the crate's test binary runs directly with `--ignored` and
//!   `CONFORMANCE_BASE_URL` naming Prism (Prism serves the paths at its root, whatever the
//!   servers' URLs say). Its output and Prism's log are kept in
//!   `bench/out/corpus-conformance/logs/`.
//! * Every failing test is put in a group by its cause ([`classify`]): the request refused
//!   by Prism (with the violation's code and place), an undocumented status, a strict decode
//!   error, a decode error where Prism reported that its own response violates the spec (the
//!   spec's fault: counted apart), a transport error, a timeout.
//! * The totals, per-spec rows and groups go to `bench/out/corpus-conformance.md`; a full
//!   run (no `--filter`, N at least the default) also writes its summary into a marked
//!   section of `bench/corpus.md`, which `cargo xtask corpus` carries over.

use std::collections::{BTreeMap, BTreeSet};
use std::fmt::Write as _;
use std::fs;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use crate::causes::{blocks, classify, Failure, Known, Owner, UNROUTABLE};
use crate::check;
use crate::corpus;
use crate::directory;
use crate::prism::{ensure_prism, parse_libtest, shorten, tail, Mode, Outcome, PrismLog, Server};
use crate::routable;

/// How many specs unless told.
pub const DEFAULT_COUNT: usize = 100;
/// The sample's seed: changing it changes the sample, so don't.
const SEED: u64 = 0x5EED_C0F0_2026_0016;
/// Specs larger than this are skipped (Prism loads them slowly, their crates build slowly).
const MAX_BYTES: u64 = 1 << 20;
/// The longest Prism may take to load a spec and listen.
const STARTUP: Duration = Duration::from_secs(60);
/// The longest one spec's tests may take in one mode.
const TEST_TIMEOUT: Duration = Duration::from_secs(300);
/// Prism's seed in dynamic mode.
const DYNAMIC_SEED: &str = "conformance";
/// The workspace of the sample's crates.
const WORKSPACE: &str = "bench/out/corpus-conformance";
/// The report.
const REPORT: &str = "bench/out/corpus-conformance.md";
/// The marked section of `bench/corpus.md`.
const BEGIN: &str = "<!-- conformance: written by `cargo xtask corpus --conformance` -->";
const END: &str = "<!-- end of conformance -->";

/// Options of one run.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Options {
    /// How many specs.
    pub count: usize,
    /// Prism's modes, in order.
    pub modes: Vec<Mode>,
    /// Only specs whose path contains this.
    pub filter: Option<String>,
}

impl Options {
    /// Reads the arguments after `corpus --conformance`.
    pub fn parse(args: &[&str]) -> Result<Options, String> {
        let mut options = Options {
            count: DEFAULT_COUNT,
            modes: vec![Mode::Static],
            filter: None,
        };
        let mut args = args.iter().peekable();
        if let Some(n) = args.peek().and_then(|a| a.parse::<usize>().ok()) {
            options.count = n;
            args.next();
        }
        while let Some(arg) = args.next() {
            match *arg {
                "--filter" => {
                    options.filter = Some(args.next().ok_or("--filter needs a text")?.to_string())
                }
                "--mode" => {
                    options.modes = match args.next().copied() {
                        Some("static") => vec![Mode::Static],
                        Some("dynamic") => vec![Mode::Dynamic],
                        Some("both") => vec![Mode::Static, Mode::Dynamic],
                        _ => return Err("--mode needs static, dynamic or both".to_string()),
                    }
                }
                other => return Err(format!("unknown corpus --conformance option `{other}`")),
            }
        }
        Ok(options)
    }

    fn command(&self) -> String {
        let mut command = format!("cargo xtask corpus --conformance {}", self.count);
        if self.modes.len() == 2 {
            command.push_str(" --mode both");
        } else if self.modes == [Mode::Dynamic] {
            command.push_str(" --mode dynamic");
        }
        if let Some(filter) = &self.filter {
            let _ = write!(command, " --filter {filter}");
        }
        command
    }
}

/// One chosen spec.
#[derive(Debug, Clone)]
struct Chosen {
    /// Relative to the corpus's `api/`.
    path: String,
    /// Its crate.
    krate: String,
    /// Testable operations (tests with the required arguments).
    operations: usize,
}

/// Why a spec of the shuffled order was not chosen, or that it was.
enum Candidate {
    Chosen(Chosen),
    Skipped(&'static str),
}

/// What one spec's tests did in one mode.
struct Run {
    spec: Chosen,
    mode: Mode,
    tests: Vec<Outcome>,
    failures: Vec<(String, Failure)>,
    prism: PrismLog,
    /// Prism did not load the spec in time, or exited.
    not_loaded: Option<String>,
    /// The tests could not run (no binary, an error).
    error: Option<String>,
    time: Duration,
}

/// Runs the mode. `Ok(true)` when every test that ran passed.
pub fn run(root: &Path, options: &Options) -> Result<bool, String> {
    let started = Instant::now();
    corpus::capture_panics();
    let api = directory::fetch(root)?;
    let mut specs = Vec::new();
    directory::list_specs(&api, &api, &mut specs);
    specs.sort();
    let order = shuffled(specs.len());
    let dir = root.join(WORKSPACE);
    fs::create_dir_all(&dir).map_err(|e| format!("cannot create {}: {e}", dir.display()))?;
    // Candidates in the shuffled order, generated two at a time, until enough are chosen.
    let mut chosen: Vec<Chosen> = Vec::new();
    let mut skipped: BTreeMap<&'static str, usize> = BTreeMap::new();
    let mut next = 0;
    while chosen.len() < options.count && next < order.len() {
        let want = (options.count - chosen.len()).max(2);
        let batch: Vec<(usize, &(String, u64))> = order[next..]
            .iter()
            .take(want)
            .map(|&i| (i, &specs[i]))
            .collect();
        next += batch.len();
        let results = corpus::parallel(&batch, 2, |(i, (path, bytes))| {
            candidate(&api, &dir, *i, path, *bytes, options.filter.as_deref())
        });
        for result in results {
            match result {
                Candidate::Chosen(c) if chosen.len() < options.count => chosen.push(c),
                Candidate::Chosen(c) => {
                    let _ = fs::remove_dir_all(dir.join(&c.krate));
                }
                Candidate::Skipped(why) => *skipped.entry(why).or_default() += 1,
            }
        }
    }
    let generate_time = started.elapsed();
    eprintln!(
        "corpus --conformance: {} specs chosen in {:.0} s; building their tests …",
        chosen.len(),
        generate_time.as_secs_f64()
    );
    let crates: Vec<String> = chosen.iter().map(|c| c.krate.clone()).collect();
    check::write_workspace(root, &dir, &crates)?;
    let build_started = Instant::now();
    let (binaries, compile_errors) = build(&dir)?;
    let build_time = build_started.elapsed();
    eprintln!(
        "corpus --conformance: built in {:.0} s ({} test binaries, {} crates do not compile)",
        build_time.as_secs_f64(),
        binaries.len(),
        compile_errors.len()
    );
    let prism = ensure_prism(root)?;
    let logs = dir.join("logs");
    fs::create_dir_all(&logs).map_err(|e| format!("cannot create {}: {e}", logs.display()))?;
    let run_started = Instant::now();
    let mut runs = Vec::new();
    for spec in &chosen {
        let Some(binary) = binaries.get(&spec.krate) else {
            continue;
        };
        for &mode in &options.modes {
            let run = run_one(root, &prism, &api, spec, binary, mode, &logs);
            eprintln!(
                "corpus --conformance: {} ({}): {}/{} passed in {:.1} s{}",
                spec.path,
                mode.name(),
                run.tests.iter().filter(|t| t.passed).count(),
                run.tests.len(),
                run.time.as_secs_f64(),
                run.not_loaded
                    .as_deref()
                    .or(run.error.as_deref())
                    .map(|e| format!(" ({})", first_line(e)))
                    .unwrap_or_default()
            );
            runs.push(run);
        }
    }
    let timing = Timing {
        generate: generate_time,
        build: build_time,
        run: run_started.elapsed(),
    };
    let report = render(options, &chosen, &skipped, &compile_errors, &runs, &timing);
    let path = root.join(REPORT);
    fs::write(&path, &report).map_err(|e| format!("cannot write {}: {e}", path.display()))?;
    eprintln!("corpus --conformance: wrote {REPORT}");
    if options.filter.is_none() && options.count >= DEFAULT_COUNT {
        let path = root.join("bench/corpus.md");
        let old = fs::read_to_string(&path).unwrap_or_default();
        let section = summary(options, &runs, compile_errors.len(), &timing);
        fs::write(&path, with_section(&old, &section))
            .map_err(|e| format!("cannot write bench/corpus.md: {e}"))?;
        eprintln!("corpus --conformance: wrote its section of bench/corpus.md");
    }
    print!("{report}");
    Ok(runs.iter().all(|r| r.tests.iter().all(|t| t.passed)))
}

/// The indices `0..len` in the sample's order: a seeded Fisher–Yates shuffle.
fn shuffled(len: usize) -> Vec<usize> {
    let mut order: Vec<usize> = (0..len).collect();
    let mut rng = corpus::XorShift(SEED);
    for i in 0..len.saturating_sub(1) {
        let j = i + (rng.next() % (len - i) as u64) as usize;
        order.swap(i, j);
    }
    order
}

/// Generates the spec `path` (number `index` of the sorted corpus) as a crate with its tests
/// in `dir`, unless it is skipped.
fn candidate(
    api: &Path,
    dir: &Path,
    index: usize,
    path: &str,
    bytes: u64,
    filter: Option<&str>,
) -> Candidate {
    if filter.is_some_and(|f| !path.contains(f)) {
        return Candidate::Skipped("not matching --filter");
    }
    if bytes > MAX_BYTES {
        return Candidate::Skipped("over 1 MB");
    }
    let Ok(source) = fs::read_to_string(api.join(path)) else {
        return Candidate::Skipped("unreadable");
    };
    if !corpus::sniff_version(&source).is_some_and(|v| v.starts_with("3.0")) {
        return Candidate::Skipped("not OpenAPI 3.0");
    }
    let krate = corpus::crate_name(index, path);
    let display = format!("{}/api/{path}", directory::PACKAGE);
    let settings = generator::Settings {
        command: "cargo xtask corpus --conformance".to_string(),
        ..generator::Settings::default()
    };
    let generated = std::panic::catch_unwind(|| {
        let tests = generator::conformance_tests(
            &[generator::ConformanceApi {
                file: &display,
                source: &source,
                api_path: vec![krate.as_str()],
                module: None,
            }],
            &settings,
        )?;
        let lowered = generator::analyze(&display, &source)?;
        generator::emit_crate(&display, lowered, &krate, &settings).map(|out| (out, tests))
    });
    let Ok(Ok((output, tests))) = generated else {
        return Candidate::Skipped("does not generate");
    };
    let operations = tests
        .lines()
        .filter(|l| l.trim_start().starts_with("async fn ") && l.contains("_required()"))
        .count();
    if operations == 0 {
        return Candidate::Skipped("no testable operation");
    }
    let crate_dir = dir.join(&krate);
    let files = output
        .files
        .iter()
        .map(|f| (f.path.as_str(), f.contents.as_str()))
        .chain([("tests/conformance.rs", tests.as_str())]);
    for (file, contents) in files {
        let target = crate_dir.join(file);
        if fs::read(&target).ok().as_deref() != Some(contents.as_bytes()) {
            if let Some(parent) = target.parent() {
                let _ = fs::create_dir_all(parent);
            }
            let _ = fs::write(&target, contents);
        }
    }
    Candidate::Chosen(Chosen {
        path: path.to_string(),
        krate,
        operations,
    })
}

/// Test binaries by crate.
type Binaries = BTreeMap<String, PathBuf>;
/// The first compile error by crate.
type CompileErrors = BTreeMap<String, String>;

/// Builds every member's conformance tests with one cargo run: the test binaries by crate,
/// and the first compile error of each crate that does not compile.
fn build(dir: &Path) -> Result<(Binaries, CompileErrors), String> {
    let output = Command::new(std::env::var("CARGO").unwrap_or_else(|_| "cargo".into()))
        .args([
            "build",
            "--workspace",
            "--test",
            "conformance",
            "--keep-going",
            "--message-format=json",
            "--quiet",
        ])
        .current_dir(dir)
        .env("CARGO_TARGET_DIR", dir.join("target"))
        .env_remove("RUSTFLAGS")
        .stderr(Stdio::inherit())
        .output()
        .map_err(|e| format!("cannot run cargo build: {e}"))?;
    let mut binaries = BTreeMap::new();
    let mut errors = BTreeMap::new();
    for line in String::from_utf8_lossy(&output.stdout).lines() {
        let Ok(v) = serde_json::from_str::<serde_json::Value>(line) else {
            continue;
        };
        let krate = v["manifest_path"]
            .as_str()
            .map(Path::new)
            .and_then(Path::parent)
            .and_then(Path::file_name)
            .map(|n| n.to_string_lossy().to_string())
            .unwrap_or_default();
        match v["reason"].as_str() {
            Some("compiler-artifact") if v["target"]["name"] == "conformance" => {
                if let Some(exe) = v["executable"].as_str() {
                    binaries.insert(krate, PathBuf::from(exe));
                }
            }
            Some("compiler-message") if v["message"]["level"] == "error" => {
                let text = v["message"]["message"].as_str().unwrap_or_default();
                if !text.starts_with("aborting due to") && !text.starts_with("could not compile") {
                    errors.entry(krate).or_insert_with(|| text.to_string());
                }
            }
            _ => {}
        }
    }
    if binaries.is_empty() && !output.status.success() {
        return Err(format!("cargo build failed ({})", output.status));
    }
    Ok((binaries, errors))
}

/// Starts Prism on one spec, runs its test binary, stops Prism and reads both outputs.
fn run_one(
    root: &Path,
    prism: &Path,
    api: &Path,
    spec: &Chosen,
    binary: &Path,
    mode: Mode,
    logs: &Path,
) -> Run {
    let started = Instant::now();
    let label = format!("{}-{}", spec.krate, mode.name());
    let log = logs.join(format!("prism-{label}.log"));
    let output = logs.join(format!("tests-{label}.txt"));
    let mut run = Run {
        spec: spec.clone(),
        mode,
        tests: Vec::new(),
        failures: Vec::new(),
        prism: PrismLog::default(),
        not_loaded: None,
        error: None,
        time: Duration::ZERO,
    };
    let file = api.join(&spec.path);
    let (file, mut known) = match prism_copy(&file, &logs.join(format!("spec-{label}.json"))) {
        Ok(copy) => copy,
        Err(e) => {
            run.error = Some(e);
            run.time = started.elapsed();
            return run;
        }
    };
    let Some(file) = file else {
        match unroutable_tests(binary) {
            Ok(tests) => {
                for (outcome, failure) in tests {
                    run.failures.push((outcome.name.clone(), failure));
                    run.tests.push(outcome);
                }
            }
            Err(e) => run.error = Some(e),
        }
        run.time = started.elapsed();
        return run;
    };
    known.dynamic = mode == Mode::Dynamic;
    let file = file.to_string_lossy().to_string();
    let server = match Server::start(root, prism, &file, mode, DYNAMIC_SEED, &log, STARTUP) {
        Ok(server) => server,
        Err(e) => {
            run.not_loaded = Some(e);
            run.time = started.elapsed();
            return run;
        }
    };
    let text = match run_binary(binary, &server.base_url(), &output) {
        Ok((text, timed_out)) => {
            if timed_out {
                run.error = Some(format!(
                    "the tests took over {} s and were stopped",
                    TEST_TIMEOUT.as_secs()
                ));
            }
            text
        }
        Err(e) => {
            run.error = Some(e);
            String::new()
        }
    };
    drop(server);
    let log_text = fs::read_to_string(&log).unwrap_or_default();
    run.prism = PrismLog::read(&log_text);
    let blocks = blocks(&log_text);
    run.tests = parse_libtest(&text);
    let sections = sections(&text);
    for test in run.tests.iter().filter(|t| !t.passed) {
        let section = sections.get(&test.name).map(String::as_str).unwrap_or("");
        let message = test.message.clone().unwrap_or_default();
        run.failures.push((
            test.name.clone(),
            classify(&message, section, &blocks, &known),
        ));
    }
    // Tests the timeout cut short.
    if run.error.is_some() {
        let done: BTreeSet<&str> = run.tests.iter().map(|t| t.name.as_str()).collect();
        let started_tests: Vec<String> = text
            .lines()
            .filter_map(|l| l.strip_prefix("test "))
            .filter_map(|l| l.split(" has been running").next())
            .filter(|n| !n.contains(' ') && !done.contains(n))
            .map(str::to_string)
            .collect();
        for name in started_tests {
            run.failures.push((
                name.clone(),
                Failure {
                    group: "timeout".into(),
                    owner: Owner::Ours,
                    message: "no result before the time limit".into(),
                },
            ));
            run.tests.push(Outcome {
                name,
                passed: false,
                message: None,
            });
        }
    }
    run.time = started.elapsed();
    run
}

/// The file Prism is given for `file`: a copy at `copy` with the path keys' fragments
/// dropped when it has any ([`routable`]), no file when Prism can route none of its
/// operations; and what the spec says that explains failures.
fn prism_copy(file: &Path, copy: &Path) -> Result<(Option<PathBuf>, Known), String> {
    let text =
        fs::read_to_string(file).map_err(|e| format!("cannot read {}: {e}", file.display()))?;
    let Ok(spec) = serde_json::from_str::<serde_json::Value>(&text) else {
        // Not JSON: Prism reads it as it is.
        return Ok((Some(file.to_path_buf()), Known::default()));
    };
    let routable = routable::routable(&spec);
    let known = Known::of(&spec, routable.unroutable);
    if routable.empty {
        return Ok((None, known));
    }
    let Some(copy_spec) = routable.spec else {
        return Ok((Some(file.to_path_buf()), known));
    };
    let text = serde_json::to_string(&copy_spec)
        .map_err(|e| format!("cannot write {}: {e}", copy.display()))?;
    fs::write(copy, text).map_err(|e| format!("cannot write {}: {e}", copy.display()))?;
    Ok((Some(copy.to_path_buf()), known))
}

/// The tests of a binary (`--list`), each failed as one Prism cannot route: for a spec
/// whose operations all share their method and path with another.
fn unroutable_tests(binary: &Path) -> Result<Vec<(Outcome, Failure)>, String> {
    let output = Command::new(binary)
        .args(["--list", "--ignored"])
        .stdin(Stdio::null())
        .output()
        .map_err(|e| format!("cannot run {}: {e}", binary.display()))?;
    Ok(String::from_utf8_lossy(&output.stdout)
        .lines()
        .filter_map(|line| line.strip_suffix(": test"))
        .map(|name| {
            (
                Outcome {
                    name: name.to_string(),
                    passed: false,
                    message: None,
                },
                Failure {
                    group: UNROUTABLE.into(),
                    owner: Owner::Prism,
                    message: "every operation shares its method and path with another; \
                              Prism was not started"
                        .into(),
                },
            )
        })
        .collect())
}

/// Runs a test binary against `base_url`: its output (also kept in `output`), and whether
/// it was stopped at the time limit.
fn run_binary(binary: &Path, base_url: &str, output: &Path) -> Result<(String, bool), String> {
    let stdout =
        fs::File::create(output).map_err(|e| format!("cannot create {}: {e}", output.display()))?;
    let stderr = stdout
        .try_clone()
        .map_err(|e| format!("cannot open {}: {e}", output.display()))?;
    let mut child = Command::new(binary)
        // One test at a time: Prism's log then tells which request each violation is of.
        .args(["--ignored", "--test-threads=1", "--color=never"])
        .env("CONFORMANCE_BASE_URL", base_url)
        .env("RUST_BACKTRACE", "0")
        .stdin(Stdio::null())
        .stdout(stdout)
        .stderr(stderr)
        .spawn()
        .map_err(|e| format!("cannot run {}: {e}", binary.display()))?;
    let timed_out = crate::prism::wait_until(&mut child, TEST_TIMEOUT)?.is_none();
    Ok((fs::read_to_string(output).unwrap_or_default(), timed_out))
}

/// Each failing test's whole section of libtest's output (`---- NAME stdout ----`).
fn sections(output: &str) -> BTreeMap<String, String> {
    let mut sections = BTreeMap::new();
    let mut current: Option<(String, String)> = None;
    for line in output.lines() {
        let header = line
            .strip_prefix("---- ")
            .and_then(|l| l.strip_suffix(" stdout ----"));
        if header.is_some() || line == "failures:" || line.starts_with("test result: ") {
            if let Some((name, text)) = current.take() {
                sections.insert(name, text);
            }
        }
        if let Some(name) = header {
            current = Some((name.to_string(), String::new()));
        } else if let Some((_, text)) = current.as_mut() {
            text.push_str(line);
            text.push('\n');
        }
    }
    if let Some((name, text)) = current {
        sections.insert(name, text);
    }
    sections
}

fn first_line(text: &str) -> &str {
    text.lines().next().unwrap_or_default()
}

/// How long each part took.
struct Timing {
    generate: Duration,
    build: Duration,
    run: Duration,
}

/// The totals of the runs.
#[derive(Default)]
struct Totals {
    specs: usize,
    not_loaded: usize,
    operations: usize,
    operations_passed: usize,
    /// Operations whose failing tests are all the spec's fault.
    operations_spec: usize,
    /// Operations whose failing tests hit a limit of Prism (see [`Owner::Prism`]).
    operations_prism: usize,
    tests: usize,
    passed: usize,
    requests: usize,
    accepted: usize,
}

impl Totals {
    /// The operations the pass rate is taken over: those failing only by the spec's fault
    /// or by a limit of Prism are counted apart.
    fn counted(&self) -> usize {
        self.operations - self.operations_spec - self.operations_prism
    }
}

fn totals<'a>(runs: impl Iterator<Item = &'a Run>) -> Totals {
    let mut t = Totals::default();
    for run in runs {
        t.specs += 1;
        if run.not_loaded.is_some() {
            t.not_loaded += 1;
            continue;
        }
        // Per operation: `None` when all its tests passed, else the failure that counts
        // most (ours before Prism's before the spec's).
        let mut ops: BTreeMap<&str, Option<Owner>> = BTreeMap::new();
        for test in &run.tests {
            let owner = (!test.passed).then(|| {
                run.failures
                    .iter()
                    .find(|(name, _)| *name == test.name)
                    .map_or(Owner::Ours, |(_, f)| f.owner)
            });
            let entry = ops.entry(test.operation()).or_insert(None);
            *entry = match (*entry, owner) {
                (Some(a), Some(b)) => Some(a.min(b)),
                (a, b) => a.or(b),
            };
        }
        t.operations += ops.len();
        t.operations_passed += ops.values().filter(|o| o.is_none()).count();
        t.operations_spec += ops.values().filter(|o| **o == Some(Owner::Spec)).count();
        t.operations_prism += ops.values().filter(|o| **o == Some(Owner::Prism)).count();
        t.tests += run.tests.len();
        t.passed += run.tests.iter().filter(|t| t.passed).count();
        t.requests += run.prism.requests;
        t.accepted += run.prism.accepted;
    }
    t
}

fn pct(n: usize, d: usize) -> f64 {
    if d == 0 {
        0.0
    } else {
        100.0 * n as f64 / d as f64
    }
}

/// The report (Markdown).
fn render(
    options: &Options,
    chosen: &[Chosen],
    skipped: &BTreeMap<&'static str, usize>,
    compile_errors: &BTreeMap<String, String>,
    runs: &[Run],
    timing: &Timing,
) -> String {
    let mut md = String::new();
    let _ = writeln!(
        md,
        "# Corpus conformance: generated tests against Prism {}\n",
        crate::prism::PRISM_VERSION
    );
    let _ = writeln!(
        md,
        "`{}`: {} OpenAPI 3.0 specs of {}@{} (seeded sample, up to 1 MB, with a testable \
         operation), each a crate with `tests/conformance.rs` (`generator --tests`: one call \
         per operation with its required arguments, one with all; strict decoding), run \
         against `prism mock`. Skipped on the way: {}. Generation {:.0} s, build {:.0} s, \
         Prism and tests {:.0} s. Logs: `{WORKSPACE}/logs/`.\n",
        options.command(),
        chosen.len(),
        directory::PACKAGE,
        directory::VERSION,
        if skipped.is_empty() {
            "none".to_string()
        } else {
            skipped
                .iter()
                .map(|(why, n)| format!("{n} {why}"))
                .collect::<Vec<_>>()
                .join(", ")
        },
        timing.generate.as_secs_f64(),
        timing.build.as_secs_f64(),
        timing.run.as_secs_f64(),
    );
    md.push_str(
        "| mode | specs | Prism cannot load | operations | the spec's fault | Prism's limits | passing | tests | passed | requests | accepted by Prism |\n\
         |---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|\n",
    );
    for &mode in &options.modes {
        let t = totals(runs.iter().filter(|r| r.mode == mode));
        let _ = writeln!(
            md,
            "| {} | {} | {} | {} | {} | {} | {} of {} ({:.1}%) | {} | {} ({:.1}%) | {} | {} ({:.1}%) |",
            mode.name(),
            t.specs,
            t.not_loaded,
            t.operations,
            t.operations_spec,
            t.operations_prism,
            t.operations_passed,
            t.counted(),
            pct(t.operations_passed, t.counted()),
            t.tests,
            t.passed,
            pct(t.passed, t.tests),
            t.requests,
            t.accepted,
            pct(t.accepted, t.requests),
        );
    }
    md.push_str(
        "\nAn operation passes when all its tests pass (Prism accepted the request and the \
         response decoded strictly). Counted apart, outside the pass rate: specs Prism cannot \
         load; operations whose failures are all the spec's (Prism says its own response, \
         built from the spec's example or schema, violates the spec; the spec's example has \
         a property its schema lacks; a text response has an object schema; the operation \
         documents no success response; a parameter's `oneOf` has a numeric member and a \
         string member that numbers match too); operations \
         whose failures hit a limit of Prism (the spec tells the operation apart from another \
         of the same method and path only by a `#fragment` or `?query` in the path key, \
         which Prism does not route on: it is given a copy of the spec with them dropped and \
         routes the rest; Prism reads the unsent array properties of a `deepObject` query parameter as \
         empty arrays, and array fields of form bodies as strings; its static placeholders \
         ignore `pattern` and `format: float`; it fails while writing a response and sends a \
         500; in dynamic mode its generator adds properties the schema lacks). An operation with any failure of ours counts as failing.\n",
    );
    if !compile_errors.is_empty() {
        md.push_str("\n## Crates whose tests do not compile\n\n");
        for (krate, error) in compile_errors {
            let _ = writeln!(md, "- {krate}: {}", shorten(error, 300));
        }
    }
    // Failure groups.
    type Group<'a> = Vec<(&'a Run, &'a str, &'a Failure)>;
    let mut groups: BTreeMap<(&str, &str), Group> = BTreeMap::new();
    for run in runs {
        for (name, failure) in &run.failures {
            groups
                .entry((run.mode.name(), failure.group.as_str()))
                .or_default()
                .push((run, name, failure));
        }
    }
    if !groups.is_empty() {
        md.push_str(
            "\n## Failures by cause\n\n| mode | cause | tests | specs |\n|---|---|---:|---:|\n",
        );
        let mut sorted: Vec<_> = groups.iter().collect();
        sorted.sort_by(|a, b| b.1.len().cmp(&a.1.len()).then(a.0.cmp(b.0)));
        for ((mode, group), items) in &sorted {
            let specs: BTreeSet<&str> =
                items.iter().map(|(r, _, _)| r.spec.path.as_str()).collect();
            let _ = writeln!(
                md,
                "| {mode} | {} | {} | {} |",
                group.replace('|', "\\|"),
                items.len(),
                specs.len()
            );
        }
        md.push_str("\n### Examples\n");
        for ((mode, group), items) in &sorted {
            let _ = writeln!(md, "\n{group} ({mode}):\n");
            // Up to three, from different specs first.
            let mut seen = BTreeSet::new();
            let (first, rest): (Vec<_>, Vec<_>) = items
                .iter()
                .partition(|(r, _, _)| seen.insert(&r.spec.path));
            for (run, name, failure) in first.into_iter().chain(rest).take(3) {
                let _ = writeln!(md, "- {} `{name}`: {}", run.spec.path, failure.message);
            }
        }
    }
    let unloaded: Vec<&Run> = runs.iter().filter(|r| r.not_loaded.is_some()).collect();
    if !unloaded.is_empty() {
        md.push_str("\n## Specs Prism cannot load\n\n");
        for run in unloaded {
            let why = run
                .not_loaded
                .as_deref()
                .map(first_line)
                .unwrap_or_default();
            let _ = writeln!(
                md,
                "- {} ({}): {}",
                run.spec.path,
                run.mode.name(),
                shorten(why, 300)
            );
        }
    }
    let errors: Vec<&Run> = runs.iter().filter(|r| r.error.is_some()).collect();
    if !errors.is_empty() {
        md.push_str("\n## Runs that did not finish\n\n");
        for run in errors {
            let why = run.error.as_deref().map(|e| tail(e, 3)).unwrap_or_default();
            let _ = writeln!(
                md,
                "- {} ({}): {}",
                run.spec.path,
                run.mode.name(),
                shorten(&why, 300)
            );
        }
    }
    md.push_str(
        "\n## Per spec\n\n| spec | crate | mode | operations | tests | passed | requests | accepted | s |\n\
         |---|---|---|---:|---:|---:|---:|---:|---:|\n",
    );
    for run in runs {
        let ops: BTreeSet<&str> = run.tests.iter().map(Outcome::operation).collect();
        let _ = writeln!(
            md,
            "| {} | {} | {} | {} | {} | {} | {} | {} | {:.1} |",
            run.spec.path,
            run.spec.krate,
            run.mode.name(),
            if run.not_loaded.is_some() {
                "Prism cannot load".to_string()
            } else {
                format!("{} of {}", ops.len(), run.spec.operations)
            },
            run.tests.len(),
            run.tests.iter().filter(|t| t.passed).count(),
            run.prism.requests,
            run.prism.accepted,
            run.time.as_secs_f64(),
        );
    }
    md
}

/// The section of `bench/corpus.md`.
fn summary(options: &Options, runs: &[Run], not_compiled: usize, timing: &Timing) -> String {
    let mut md = format!(
        "## Conformance\n\n`{}` ({:.0} min): the generated conformance tests of a seeded \
         sample of corpus specs against Prism {} (details: `{REPORT}`).\n\n\
         | mode | specs | Prism cannot load | tests do not compile | operations | the spec's fault | Prism's limits | operations passing | tests passed | requests accepted |\n\
         |---|---:|---:|---:|---:|---:|---:|---:|---:|---:|\n",
        options.command(),
        (timing.generate + timing.build + timing.run).as_secs_f64() / 60.0,
        crate::prism::PRISM_VERSION
    );
    for &mode in &options.modes {
        let t = totals(runs.iter().filter(|r| r.mode == mode));
        let _ = writeln!(
            md,
            "| {} | {} | {} | {not_compiled} | {} | {} | {} | {} of {} ({:.1}%) | {} of {} ({:.1}%) | {} of {} ({:.1}%) |",
            mode.name(),
            t.specs,
            t.not_loaded,
            t.operations,
            t.operations_spec,
            t.operations_prism,
            t.operations_passed,
            t.counted(),
            pct(t.operations_passed, t.counted()),
            t.passed,
            t.tests,
            pct(t.passed, t.tests),
            t.accepted,
            t.requests,
            pct(t.accepted, t.requests),
        );
    }
    md
}

/// `md` with its conformance section replaced by `section` (added at the end if missing).
pub(crate) fn with_section(md: &str, section: &str) -> String {
    let block = format!("{BEGIN}\n{}\n{END}\n", section.trim_end());
    match (md.find(BEGIN), md.find(END)) {
        (Some(start), Some(end)) if end > start => {
            format!(
                "{}{block}{}",
                &md[..start],
                md[end + END.len()..].trim_start_matches('\n')
            )
        }
        _ => format!("{}\n\n{block}", md.trim_end()),
    }
}

/// The conformance section of `old`, carried into `fresh` (a new `bench/corpus.md`).
pub(crate) fn carried_over(old: &str, fresh: String) -> String {
    match (old.find(BEGIN), old.find(END)) {
        (Some(start), Some(end)) if end > start => {
            with_section(&fresh, &old[start + BEGIN.len()..end])
        }
        _ => fresh,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn options_are_parsed() {
        let o = Options::parse(&["10", "--mode", "both"]).unwrap();
        assert_eq!(o.count, 10);
        assert_eq!(o.modes, vec![Mode::Static, Mode::Dynamic]);
        assert_eq!(Options::parse(&[]).unwrap().count, DEFAULT_COUNT);
        assert!(Options::parse(&["--mode"]).is_err());
        assert!(Options::parse(&["x"]).is_err());
    }

    #[test]
    fn the_order_is_a_stable_permutation() {
        let a = shuffled(50);
        assert_eq!(a, shuffled(50));
        let mut sorted = a.clone();
        sorted.sort_unstable();
        assert_eq!(sorted, (0..50).collect::<Vec<_>>());
        assert_ne!(a, sorted);
    }

    #[test]
    fn the_section_is_replaced_and_carried_over() {
        let md = "# Corpus\n\ntext\n";
        let one = with_section(md, "## Conformance\n\nA\n");
        assert!(one.starts_with("# Corpus\n\ntext\n\n<!--"), "{one}");
        let two = with_section(&one, "## Conformance\n\nB\n");
        assert!(two.contains("\nB\n") && !two.contains("\nA\n"), "{two}");
        let fresh = carried_over(&two, "# Corpus\n\nnew\n".to_string());
        assert!(
            fresh.starts_with("# Corpus\n\nnew") && fresh.contains("\nB\n"),
            "{fresh}"
        );
    }
}
