//! Project automation. `cargo xtask codegen [--check]`.

use std::process::ExitCode;

const USAGE: &str = "usage: cargo xtask codegen [--check]\n\n  codegen          regenerate generated/ from spec/\n  codegen --check  write nothing; fail with a diff if generated/ is stale";

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let args: Vec<&str> = args.iter().map(String::as_str).collect();
    let root = xtask::project_root();
    match args.as_slice() {
        ["codegen"] => codegen(&root, false),
        ["codegen", "--check"] => codegen(&root, true),
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
