//! `generator SPEC --out DIR [--name CRATE]`: writes a standalone client crate for any
//! OpenAPI 3.0 spec. Everything is generated in memory first; on error nothing is written.

use std::path::{Path, PathBuf};

#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;
use std::process::ExitCode;

const USAGE: &str = "usage: generator SPEC.(yaml|json) --out DIR [--name CRATE]

Writes a standalone Rust client crate (Cargo.toml and sources, runtime included) for the
OpenAPI 3.0 document SPEC into DIR. CRATE defaults to the spec's file name.";

struct Args {
    spec: PathBuf,
    out: PathBuf,
    name: Option<String>,
}

fn parse_args() -> Result<Args, String> {
    let mut spec = None;
    let mut out = None;
    let mut name = None;
    let mut args = std::env::args().skip(1);
    while let Some(arg) = args.next() {
        match arg.as_str() {
            "--out" => out = Some(PathBuf::from(args.next().ok_or("--out needs a directory")?)),
            "--name" => name = Some(args.next().ok_or("--name needs a crate name")?),
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
    })
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
    let args = match parse_args() {
        Ok(args) => args,
        Err(message) => {
            if !message.is_empty() {
                eprintln!("error: {message}\n");
            }
            eprintln!("{USAGE}");
            return ExitCode::from(2);
        }
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
    let lowered = generator::analyze(&display, &source);
    drop(source);
    let output = match lowered.and_then(|l| generator::emit_crate(&display, l, &name, &settings)) {
        Ok(output) => output,
        Err(e) => {
            eprintln!("{e}");
            return ExitCode::FAILURE;
        }
    };
    for w in &output.warnings {
        eprintln!("warning: {w}");
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
