//! Project automation. `cargo xtask codegen [--check]`, `cargo xtask corpus [--quick]`.

use std::process::ExitCode;

mod corpus;

const USAGE: &str = "usage: cargo xtask codegen [--check]\n\n  codegen          regenerate generated/ from spec/\n  codegen --check  write nothing; fail with a diff if generated/ is stale\n  corpus           run the generator over the pinned APIs.guru corpus; write bench/corpus.md\n  corpus --quick   generate the whole corpus, check a handful of crates (CI); write nothing committed\n  corpus options   --no-compile (generation only), --filter TEXT (only matching spec paths),\n                   --largest N (default 20), --large-timeout SECS (default 600)";

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let args: Vec<&str> = args.iter().map(String::as_str).collect();
    let root = xtask::project_root();
    match args.as_slice() {
        ["codegen"] => codegen(&root, false),
        ["codegen", "--check"] => codegen(&root, true),
        ["corpus", rest @ ..] => corpus(&root, rest),
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

fn codegen(root: &std::path::Path, check: bool) -> ExitCode {
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
    if check {
        return match xtask::check(root, &plan) {
            Ok(()) => {
                println!("generated/ is up to date ({} files).", plan.files.len());
                ExitCode::SUCCESS
            }
            Err(report) => {
                print!("{report}");
                ExitCode::FAILURE
            }
        };
    }
    match xtask::write(root, &plan) {
        Ok(touched) if touched.is_empty() => {
            println!("generated/ is up to date ({} files).", plan.files.len());
            ExitCode::SUCCESS
        }
        Ok(touched) => {
            for path in touched {
                println!("wrote {path}");
            }
            ExitCode::SUCCESS
        }
        Err(e) => {
            eprintln!("error: {e}");
            ExitCode::FAILURE
        }
    }
}

fn corpus(root: &std::path::Path, args: &[&str]) -> ExitCode {
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
