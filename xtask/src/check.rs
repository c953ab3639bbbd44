//! `cargo check` of generated crates, written as members of one workspace (one target
//! directory, dependencies built once), with rustc's errors per crate normalised for grouping.
//! Shared by the corpus modes, `mutate` and `producers`.

use std::collections::{BTreeMap, BTreeSet};
use std::fmt::Write as _;
use std::fs;
use std::path::Path;
use std::process::Command;
use std::sync::atomic::Ordering;
use std::time::{Duration, Instant};

/// One rustc error, normalised for grouping.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub(crate) struct CompileError {
    pub(crate) code: String,
    pub(crate) message: String,
}

/// `message` with its quoted parts and numbers replaced (`` `_` ``, `N`) and only its first
/// line kept, so that messages of one kind group together.
pub(crate) fn normalise(message: &str) -> String {
    // Replace `...` quoted parts and numbers, so that the same error groups together.
    let mut out = String::new();
    let mut quoted = false;
    for c in message.chars() {
        if c == '`' {
            if !quoted {
                out.push_str("`_");
            }
            quoted = !quoted;
            if !quoted {
                out.push('`');
            }
            continue;
        }
        if quoted {
            continue;
        }
        if c.is_ascii_digit() {
            if !out.ends_with('N') {
                out.push('N');
            }
            continue;
        }
        out.push(c);
    }
    out.lines().next().unwrap_or("").to_string()
}

pub(crate) struct CheckReport {
    /// Crate name → its errors (empty: compiled).
    pub(crate) per_crate: BTreeMap<String, Vec<(CompileError, String)>>,
    /// Crate name → warning count.
    pub(crate) warnings: BTreeMap<String, usize>,
    /// Crates whose check did not finish in time (neither passed nor failed).
    pub(crate) timed_out: BTreeSet<String>,
    pub(crate) time: Duration,
    /// Whether the target dir was new, so that the time includes building dependencies.
    pub(crate) fresh_target: bool,
    pub(crate) ok: bool,
}

/// Writes the workspace manifest listing `crates` in `dir`, and removes stale crates.
pub(crate) fn write_workspace(root: &Path, dir: &Path, crates: &[String]) -> Result<(), String> {
    let mut manifest = String::from(
        "# Written by `cargo xtask corpus`: the sample crates, checked with one target dir.\n[workspace]\nresolver = \"2\"\nmembers = [\n",
    );
    for c in crates {
        let _ = writeln!(manifest, "    \"{c}\",");
    }
    manifest.push_str("]\n\n[profile.dev]\ndebug = false\nincremental = false\n");
    fs::write(dir.join("Cargo.toml"), manifest).map_err(|e| e.to_string())?;
    // Seed the lock file with the workspace's, so the same dependency versions are used and
    // no network is needed.
    let lock = dir.join("Cargo.lock");
    if !lock.exists() {
        let _ = fs::copy(root.join("Cargo.lock"), &lock);
    }
    // Remove crates from earlier runs that are no longer members.
    if let Ok(entries) = fs::read_dir(dir) {
        for e in entries.filter_map(Result::ok) {
            let name = e.file_name().to_string_lossy().to_string();
            if e.path().is_dir() && name.starts_with('c') && !crates.contains(&name) {
                let _ = fs::remove_dir_all(e.path());
            }
        }
    }
    Ok(())
}

/// Runs `cargo check` on the `crates` (members of the workspace in `dir`); with a timeout,
/// a run that takes longer is stopped and its crates are reported as timed out.
pub(crate) fn check_crates(
    dir: &Path,
    crates: &[String],
    timeout: Option<Duration>,
) -> Result<CheckReport, String> {
    use std::os::unix::process::CommandExt as _;
    let mut args = vec![
        "check".to_string(),
        "--keep-going".into(),
        "--message-format=json".into(),
        "--quiet".into(),
    ];
    for c in crates {
        args.push("-p".into());
        args.push(c.clone());
    }
    let fresh_target = !dir.join("target").exists();
    let start = Instant::now();
    let child = Command::new(std::env::var("CARGO").unwrap_or_else(|_| "cargo".into()))
        .args(&args)
        .current_dir(dir)
        .env("CARGO_TARGET_DIR", dir.join("target"))
        .env_remove("RUSTFLAGS")
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        // Its own process group, so that a timeout stops rustc too.
        .process_group(0)
        .spawn()
        .map_err(|e| format!("cannot run cargo check: {e}"))?;
    let pid = child.id();
    let done = std::sync::Arc::new(std::sync::atomic::AtomicBool::new(false));
    let timed_out = std::sync::Arc::new(std::sync::atomic::AtomicBool::new(false));
    let watchdog = timeout.map(|limit| {
        let done = done.clone();
        let timed_out = timed_out.clone();
        std::thread::spawn(move || {
            while start.elapsed() < limit {
                if done.load(Ordering::SeqCst) {
                    return;
                }
                std::thread::sleep(Duration::from_millis(500));
            }
            if !done.load(Ordering::SeqCst) {
                timed_out.store(true, Ordering::SeqCst);
                let _ = Command::new("kill")
                    .args(["-KILL", "--", &format!("-{pid}")])
                    .status();
            }
        })
    });
    let output = child
        .wait_with_output()
        .map_err(|e| format!("cargo check: {e}"))?;
    done.store(true, Ordering::SeqCst);
    if let Some(w) = watchdog {
        let _ = w.join();
    }
    if timed_out.load(Ordering::SeqCst) {
        return Ok(CheckReport {
            per_crate: BTreeMap::new(),
            warnings: BTreeMap::new(),
            timed_out: crates.iter().cloned().collect(),
            time: start.elapsed(),
            fresh_target,
            ok: false,
        });
    }
    let time = start.elapsed();
    let mut per_crate: BTreeMap<String, Vec<(CompileError, String)>> =
        crates.iter().map(|c| (c.clone(), Vec::new())).collect();
    let mut warnings: BTreeMap<String, usize> = BTreeMap::new();
    for line in String::from_utf8_lossy(&output.stdout).lines() {
        let Ok(v) = serde_json::from_str::<serde_json::Value>(line) else {
            continue;
        };
        if v["reason"] != "compiler-message" {
            continue;
        }
        let target = v["target"]["name"].as_str().unwrap_or_default().to_string();
        let message = &v["message"];
        let level = message["level"].as_str().unwrap_or_default();
        let Some(errors) = per_crate.get_mut(&target) else {
            continue;
        };
        match level {
            "error" => {
                let text = message["message"].as_str().unwrap_or_default();
                if text.starts_with("aborting due to") || text.starts_with("could not compile") {
                    continue;
                }
                let code = message["code"]["code"]
                    .as_str()
                    .unwrap_or("(no code)")
                    .to_string();
                let rendered = message["rendered"]
                    .as_str()
                    .unwrap_or(text)
                    .lines()
                    .take(12)
                    .collect::<Vec<_>>()
                    .join("\n");
                errors.push((
                    CompileError {
                        code,
                        message: normalise(text),
                    },
                    rendered,
                ));
            }
            "warning" => *warnings.entry(target).or_default() += 1,
            _ => {}
        }
    }
    // A crate can fail without a compiler message (e.g. a manifest problem): cargo's own
    // stderr says so.
    let stderr = String::from_utf8_lossy(&output.stderr).to_string();
    for (name, errors) in per_crate.iter_mut() {
        if errors.is_empty() && stderr.contains(&format!("could not compile `{name}`")) {
            errors.push((
                CompileError {
                    code: "(cargo)".into(),
                    message: "could not compile".into(),
                },
                String::new(),
            ));
        }
    }
    if !output.status.success() && per_crate.values().all(Vec::is_empty) {
        return Err(format!(
            "cargo check failed without compiler errors:\n{}",
            stderr.lines().take(40).collect::<Vec<_>>().join("\n")
        ));
    }
    Ok(CheckReport {
        per_crate,
        warnings,
        timed_out: BTreeSet::new(),
        time,
        fresh_target,
        ok: output.status.success(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn normalises_messages() {
        assert_eq!(
            normalise("cannot find type `Foo` in this scope"),
            "cannot find type `_` in this scope"
        );
        assert_eq!(normalise("expected 3 arguments"), "expected N arguments");
    }
}
