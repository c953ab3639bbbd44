//! `cargo xtask fuzz`: builds the fuzz targets of `fuzz/` with libFuzzer on the stable
//! toolchain (coverage instrumented by LLVM's SanitizerCoverage pass, which stable `rustc`
//! runs with `-C passes=sancov-module`; libFuzzer itself is compiled from the
//! `libfuzzer-sys` crate's sources by the C++ compiler), replays every input that once
//! crashed a target (`fuzz/regressions/<target>/`), then fuzzes each target for a while.
//!
//! The corpus grows in `fuzz/corpus/<target>/` (kept between runs, not committed; the
//! raw-bytes target is seeded with `spec/` and `tests/fixtures/`, new files included); a crash is written to
//! `fuzz/artifacts/<target>/` and fails the command, to be fixed and added to the
//! regressions.

use std::path::{Path, PathBuf};
use std::process::{Command, ExitCode, Stdio};

/// The targets, in the order they run.
pub const TARGETS: &[&str] = &["generate_bytes", "generate_structured", "decode"];

/// How a fuzzing run goes.
pub struct Options {
    /// The targets to run (all by default).
    pub targets: Vec<String>,
    /// Seconds per target.
    pub seconds: u64,
    /// GitHub's spec, whose types `decode` then reads too (a long build, in a target
    /// directory of its own).
    pub github: Option<PathBuf>,
}

/// The instrumentation of libFuzzer's coverage-guided mode, as `cargo fuzz` passes it.
const RUSTFLAGS: &[&str] = &[
    "-Cpasses=sancov-module",
    "-Cllvm-args=-sanitizer-coverage-level=4",
    "-Cllvm-args=-sanitizer-coverage-inline-8bit-counters",
    "-Cllvm-args=-sanitizer-coverage-pc-table",
    "-Cllvm-args=-sanitizer-coverage-trace-compares",
    "--cfg=fuzzing",
];

/// The largest input per target: documents need room, decoded bodies less.
fn max_len(target: &str) -> &'static str {
    match target {
        "decode" => "4096",
        "generate_structured" => "16384",
        _ => "65536",
    }
}

pub fn run(root: &Path, options: &Options) -> ExitCode {
    let fuzz = root.join("fuzz");
    let Some(host) = host_triple() else {
        eprintln!("cannot read the host triple from `rustc -vV`");
        return ExitCode::FAILURE;
    };
    // An explicit `--target` keeps the flags off build scripts and proc macros, which must
    // not be instrumented (they would not link without libFuzzer).
    println!("building the fuzz targets (release, instrumented, --target {host})");
    let target_dir = match &options.github {
        None => fuzz.join("target"),
        Some(_) => fuzz.join("target").join("github"),
    };
    let mut build = Command::new(cargo());
    build
        .current_dir(&fuzz)
        .args([
            "build",
            "--locked",
            "--release",
            "--bins",
            "--target",
            &host,
        ])
        .env("RUSTFLAGS", RUSTFLAGS.join(" "))
        .env("CARGO_TARGET_DIR", &target_dir);
    match &options.github {
        Some(spec) => build.env("FUZZ_GITHUB_SPEC", root.join(spec)),
        None => build.env_remove("FUZZ_GITHUB_SPEC"),
    };
    let status = build.status();
    if !status.is_ok_and(|s| s.success()) {
        eprintln!("building the fuzz targets failed");
        return ExitCode::FAILURE;
    }
    let bin_dir = target_dir.join(&host).join("release");
    let mut failed = false;
    let mut table = Vec::new();
    for target in &options.targets {
        let bin = bin_dir.join(target);
        let regressions = fuzz.join("regressions").join(target);
        if let Err(message) = replay(&bin, &regressions) {
            eprintln!("{target}: {message}");
            failed = true;
            continue;
        }
        let corpus = fuzz.join("corpus").join(target);
        let artifacts = fuzz.join("artifacts").join(target);
        if let Err(e) =
            seed(root, target, &corpus).and_then(|_| std::fs::create_dir_all(&artifacts))
        {
            eprintln!("{target}: cannot prepare {}: {e}", corpus.display());
            failed = true;
            continue;
        }
        println!("fuzzing {target} for {} s", options.seconds);
        let output = Command::new(&bin)
            .arg(&corpus)
            .arg(format!("-max_total_time={}", options.seconds))
            .arg("-timeout=10")
            .arg("-rss_limit_mb=2048")
            .arg(format!("-max_len={}", max_len(target)))
            .arg("-len_control=0")
            .arg(format!("-artifact_prefix={}/", artifacts.display()))
            .arg("-print_final_stats=1")
            .stdout(Stdio::null())
            .stderr(Stdio::piped())
            .output();
        let output = match output {
            Ok(output) => output,
            Err(e) => {
                eprintln!("{target}: cannot run {}: {e}", bin.display());
                failed = true;
                continue;
            }
        };
        let log = String::from_utf8_lossy(&output.stderr);
        let stats = Stats::read(&log);
        if !output.status.success() {
            eprintln!("{log}");
            eprintln!(
                "{target}: crashed; the input is in {} — fix it and add it to fuzz/regressions/{target}/",
                artifacts.display()
            );
            failed = true;
        }
        table.push((target.clone(), stats));
    }
    println!("\n| target | runs | seconds | exec/s | coverage (edges) | features | corpus |");
    println!("|---|---:|---:|---:|---:|---:|---:|");
    for (target, s) in &table {
        println!(
            "| {target} | {} | {} | {} | {} of {} ({:.1}%) | {} | {} |",
            s.runs,
            s.seconds,
            s.runs / s.seconds.max(1),
            s.cov,
            s.counters,
            100.0 * s.cov as f64 / s.counters.max(1) as f64,
            s.features,
            s.corpus
        );
    }
    if failed {
        ExitCode::FAILURE
    } else {
        ExitCode::SUCCESS
    }
}

/// Runs every file of `dir` through the target once (libFuzzer runs files given by name).
fn replay(bin: &Path, dir: &Path) -> Result<(), String> {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return Ok(());
    };
    let mut inputs: Vec<PathBuf> = entries.filter_map(Result::ok).map(|e| e.path()).collect();
    if inputs.is_empty() {
        return Ok(());
    }
    inputs.sort();
    println!(
        "replaying {} regression input(s) from {}",
        inputs.len(),
        dir.display()
    );
    let output = Command::new(bin)
        .args(&inputs)
        .stdout(Stdio::null())
        .output()
        .map_err(|e| format!("cannot run {}: {e}", bin.display()))?;
    if output.status.success() {
        Ok(())
    } else {
        Err(format!(
            "a regression input of {} fails again:\n{}",
            dir.display(),
            String::from_utf8_lossy(&output.stderr)
        ))
    }
}

/// Seeds the corpus of the raw-bytes target with the project's specs and fixtures (the first
/// byte selects YAML): those it does not have yet, so that a new fixture (a new construct, a
/// new version) reaches a corpus kept from earlier runs.
fn seed(root: &Path, target: &str, corpus: &Path) -> std::io::Result<()> {
    std::fs::create_dir_all(corpus)?;
    if target != "generate_bytes" {
        return Ok(());
    }
    for dir in ["spec", "tests/fixtures"] {
        for entry in std::fs::read_dir(root.join(dir))? {
            let path = entry?.path();
            if path.extension().is_some_and(|e| e == "yaml") {
                let mut bytes = vec![0u8];
                bytes.extend(std::fs::read(&path)?);
                if let Some(name) = path.file_name() {
                    let seed = corpus.join(name);
                    if !seed.exists() {
                        std::fs::write(seed, bytes)?;
                    }
                }
            }
        }
    }
    Ok(())
}

/// What libFuzzer's log says about a run.
#[derive(Default)]
struct Stats {
    runs: u64,
    seconds: u64,
    cov: u64,
    features: u64,
    corpus: u64,
    counters: u64,
}

impl Stats {
    /// From lines such as `INFO: Loaded 1 modules   (52160 inline 8-bit counters): ...`,
    /// `#123 DONE   cov: 2107 ft: 8001 corp: 201/9Kb ...` and `Done 123 runs in 61 second(s)`.
    fn read(log: &str) -> Stats {
        let mut stats = Stats::default();
        let number = |text: &str| -> u64 {
            text.trim_matches(|c: char| !c.is_ascii_digit())
                .parse()
                .unwrap_or(0)
        };
        for line in log.lines() {
            let words: Vec<&str> = line.split_whitespace().collect();
            if let Some(i) = words.iter().position(|w| *w == "inline") {
                if line.starts_with("INFO: Loaded") && i > 0 {
                    stats.counters += number(words[i - 1]);
                }
            }
            if line.starts_with('#') {
                for pair in words.windows(2) {
                    match pair[0] {
                        "cov:" => stats.cov = number(pair[1]),
                        "ft:" => stats.features = number(pair[1]),
                        "corp:" => {
                            stats.corpus = number(pair[1].split('/').next().unwrap_or_default())
                        }
                        _ => {}
                    }
                }
            }
            if let ["Done", runs, "runs", "in", seconds, ..] = words.as_slice() {
                stats.runs = number(runs);
                stats.seconds = number(seconds);
            }
        }
        stats
    }
}

fn host_triple() -> Option<String> {
    let output = Command::new("rustc").arg("-vV").output().ok()?;
    String::from_utf8_lossy(&output.stdout)
        .lines()
        .find_map(|line| line.strip_prefix("host: "))
        .map(str::to_string)
}

fn cargo() -> String {
    std::env::var("CARGO").unwrap_or_else(|_| "cargo".to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn libfuzzer_logs_are_read() {
        let log = "INFO: Loaded 1 modules   (52160 inline 8-bit counters): 52160 [0x1, 0x2)\n\
                   #2\tINITED cov: 10 ft: 11 corp: 1/1b exec/s: 0 rss: 30Mb\n\
                   #5653807\tDONE   cov: 11944 ft: 23705 corp: 7737/154Kb lim: 4096 exec/s: 92685 rss: 47Mb\n\
                   Done 5653807 runs in 61 second(s)\n";
        let s = Stats::read(log);
        assert_eq!(
            (s.runs, s.seconds, s.cov, s.features, s.corpus, s.counters),
            (5653807, 61, 11944, 23705, 7737, 52160)
        );
    }
}
