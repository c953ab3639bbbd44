//! `cargo xtask codegen`: regenerates `generated/` from `spec/`, or checks it is fresh.
//!
//! Everything is generated in memory first; files are written only if every spec succeeded,
//! and only files whose bytes changed are touched. Before the files, it reports what changed
//! in each API since a git revision ([`change_reports`], computed by `generator::diff`).

use std::fmt::Write as _;
use std::fs;
use std::path::{Path, PathBuf};
use std::process::Command;

use generator::diff;

/// The command that regenerates the checked-in client.
pub const COMMAND: &str = "cargo xtask codegen";

/// The workspace root.
pub fn project_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .map(Path::to_path_buf)
        .unwrap_or_else(|| PathBuf::from("."))
}

/// One file the generator wants on disk.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Planned {
    /// Path relative to the workspace root, `/`-separated.
    pub path: String,
    /// Full contents.
    pub contents: String,
}

/// What a run found: files to write, stale generated files to delete, and notes.
#[derive(Debug, Default)]
pub struct Plan {
    /// Every generated file, sorted by path.
    pub files: Vec<Planned>,
    /// Generated files on disk that no spec produces any more.
    pub stale: Vec<String>,
    /// Generator warnings, one line each.
    pub warnings: Vec<String>,
    /// Each spec's IR, by its path relative to the root (`spec/buddy.yaml`), in path order.
    pub apis: Vec<(String, generator::ir::Api)>,
}

/// Generates every spec in `spec/` in memory. Fails (with every error) if any spec fails.
pub fn plan(root: &Path) -> Result<Plan, String> {
    let mut specs: Vec<PathBuf> = fs::read_dir(root.join("spec"))
        .map_err(|e| format!("cannot read spec/: {e}"))?
        .filter_map(|entry| entry.ok().map(|e| e.path()))
        .filter(|p| {
            matches!(
                p.extension().and_then(|e| e.to_str()),
                Some("yaml" | "yml" | "json")
            )
        })
        .collect();
    specs.sort();
    let mut plan = Plan::default();
    let mut errors = String::new();
    let lib = fs::read_to_string(root.join("generated/src/lib.rs")).unwrap_or_default();
    // (display name, text, module) of each spec, for the conformance tests.
    let mut sources: Vec<(String, String, String)> = Vec::new();
    for spec in &specs {
        let file_name = spec
            .file_name()
            .and_then(|n| n.to_str())
            .unwrap_or_default();
        let stem = spec
            .file_stem()
            .and_then(|n| n.to_str())
            .unwrap_or_default();
        let module = generator::naming::snake_name(stem);
        let display = format!("spec/{file_name}");
        let source = fs::read_to_string(spec).map_err(|e| format!("cannot read {display}: {e}"))?;
        let generated = generator::analyze(&display, &source).and_then(|lowered| {
            plan.apis.push((display.clone(), lowered.api.clone()));
            generator::emit_module(&display, lowered, &generator::Settings::default())
        });
        sources.push((display.clone(), source.clone(), module.clone()));
        match generated {
            Ok(output) => {
                for file in output.files {
                    plan.files.push(Planned {
                        path: format!("generated/src/{module}/{}", file.path),
                        contents: file.contents,
                    });
                }
                plan.warnings
                    .extend(output.warnings.iter().map(|w| format!("warning: {w}")));
                if !lib.contains(&format!("pub mod {module};")) {
                    let _ = writeln!(errors, "error: generated/src/lib.rs does not declare `pub mod {module};` for {display}");
                }
            }
            Err(e) => {
                let _ = writeln!(errors, "{e}");
            }
        }
    }
    if !errors.is_empty() {
        return Err(errors);
    }
    let apis: Vec<generator::ConformanceApi> = sources
        .iter()
        .map(|(file, source, module)| generator::ConformanceApi {
            file,
            source,
            api_path: vec!["distributions", module.as_str()],
            module: Some(module.as_str()),
        })
        .collect();
    if !apis.is_empty() {
        let contents = generator::conformance_tests(&apis, &generator::Settings::default())
            .map_err(|e| e.to_string())?;
        plan.files.push(Planned {
            path: CONFORMANCE_TESTS.to_string(),
            contents,
        });
    }
    plan.files.sort_by(|a, b| a.path.cmp(&b.path));
    plan.stale = stale_files(root, &plan.files);
    Ok(plan)
}

/// The generated crate's conformance tests (`cargo xtask conformance` runs them).
pub const CONFORMANCE_TESTS: &str = "generated/tests/conformance.rs";

/// Files under `generated/src/*/` that carry our header but are no longer produced.
fn stale_files(root: &Path, planned: &[Planned]) -> Vec<String> {
    let mut stale = Vec::new();
    let Ok(dirs) = fs::read_dir(root.join("generated/src")) else {
        return stale;
    };
    for dir in dirs
        .filter_map(Result::ok)
        .map(|e| e.path())
        .filter(|p| p.is_dir())
    {
        let Ok(files) = fs::read_dir(&dir) else {
            continue;
        };
        for file in files.filter_map(Result::ok).map(|e| e.path()) {
            let Ok(rel) = file.strip_prefix(root) else {
                continue;
            };
            let rel = rel.to_string_lossy().replace('\\', "/");
            let ours = fs::read_to_string(&file)
                .map(|text| text.starts_with(&format!("// @generated by `{COMMAND}`")))
                .unwrap_or(false);
            if ours && !planned.iter().any(|p| p.path == rel) {
                stale.push(rel);
            }
        }
    }
    stale.sort();
    stale
}

/// Writes the plan: only changed files, then removes stale ones. Returns the paths touched.
pub fn write(root: &Path, plan: &Plan) -> Result<Vec<String>, String> {
    let mut touched = Vec::new();
    for file in &plan.files {
        let path = root.join(&file.path);
        if fs::read(&path).ok().as_deref() == Some(file.contents.as_bytes()) {
            continue;
        }
        if let Some(parent) = path.parent() {
            fs::create_dir_all(parent)
                .map_err(|e| format!("cannot create {}: {e}", parent.display()))?;
        }
        fs::write(&path, &file.contents).map_err(|e| format!("cannot write {}: {e}", file.path))?;
        touched.push(file.path.clone());
    }
    for stale in &plan.stale {
        fs::remove_file(root.join(stale)).map_err(|e| format!("cannot remove {stale}: {e}"))?;
        touched.push(format!("{stale} (removed)"));
    }
    Ok(touched)
}

/// Compares the plan with the disk. `Ok(())` when fresh, otherwise a unified diff of every
/// stale file and the command that fixes it.
pub fn check(root: &Path, plan: &Plan) -> Result<(), String> {
    let mut report = String::new();
    for file in &plan.files {
        let current = fs::read_to_string(root.join(&file.path)).unwrap_or_default();
        if current != file.contents {
            let diff = similar::TextDiff::from_lines(&current, &file.contents);
            let _ = write!(
                report,
                "{}",
                diff.unified_diff()
                    .context_radius(3)
                    .header(&format!("a/{}", file.path), &format!("b/{}", file.path))
            );
        }
    }
    for stale in &plan.stale {
        let _ = writeln!(
            report,
            "stale generated file (no spec produces it): {stale}"
        );
    }
    if report.is_empty() {
        Ok(())
    } else {
        let _ = writeln!(
            report,
            "\ngenerated/ is out of date with spec/: run `{COMMAND}` and commit the result."
        );
        Err(report)
    }
}

/// The change report of every API: each spec in `apis` (path relative to `root`, IR now)
/// compared with its text at the git revision `rev`. A spec new since `rev` is reported as
/// added; a spec at `rev` that is no longer in `apis` as removed. Reports are in path order.
pub fn change_reports(
    root: &Path,
    apis: &[(String, generator::ir::Api)],
    rev: &str,
) -> Result<Vec<diff::Report>, String> {
    let commit = git(
        root,
        &[
            "rev-parse",
            "--verify",
            "--quiet",
            &format!("{rev}^{{commit}}"),
        ],
    )
    .map_err(|e| format!("`{rev}` is not a git revision: {e}"))?;
    let commit = commit.trim();
    let listed = git(root, &["ls-tree", "--name-only", commit, "spec/"])?;
    let before: Vec<&str> = listed
        .lines()
        .filter(|p| p.ends_with(".yaml") || p.ends_with(".yml") || p.ends_with(".json"))
        .collect();
    let old_api = |path: &str| -> Result<generator::ir::Api, String> {
        let text = git(root, &["show", &format!("{commit}:{path}")])?;
        generator::analyze(path, &text)
            .map(|l| l.api)
            .map_err(|e| format!("{path} at {rev} does not generate:\n{e}"))
    };
    let mut reports = Vec::new();
    let mut paths: Vec<&str> = apis.iter().map(|(p, _)| p.as_str()).collect();
    paths.extend(
        before
            .iter()
            .copied()
            .filter(|p| !apis.iter().any(|(a, _)| a == p)),
    );
    paths.sort();
    for path in paths {
        let now = apis.iter().find(|(p, _)| p == path).map(|(_, api)| api);
        let report = match (before.contains(&path), now) {
            (true, Some(new)) => diff::compare(&old_api(path)?, new),
            (false, Some(new)) => diff::added(new),
            (true, None) => diff::removed(&old_api(path)?),
            (false, None) => continue,
        };
        reports.push(report);
    }
    Ok(reports)
}

/// The version of the checked-in crate, from `generated/Cargo.toml`.
pub fn crate_version(root: &Path) -> Result<diff::Version, String> {
    let manifest = fs::read_to_string(root.join("generated/Cargo.toml"))
        .map_err(|e| format!("cannot read generated/Cargo.toml: {e}"))?;
    manifest
        .lines()
        .find_map(|l| l.strip_prefix("version = "))
        .map(|v| v.trim().trim_matches('"'))
        .ok_or("generated/Cargo.toml has no version")?
        .parse()
}

/// Runs git in `root`; its stdout, or its stderr as the error.
fn git(root: &Path, args: &[&str]) -> Result<String, String> {
    let out = Command::new("git")
        .arg("-C")
        .arg(root)
        .args(args)
        .output()
        .map_err(|e| format!("cannot run git: {e}"))?;
    if out.status.success() {
        Ok(String::from_utf8_lossy(&out.stdout).into_owned())
    } else {
        Err(format!(
            "git {} failed: {}",
            args.join(" "),
            String::from_utf8_lossy(&out.stderr).trim()
        ))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const SPEC: &str = "openapi: 3.0.3\ninfo: {title: t, version: '1'}\npaths:\n  /a:\n    get:\n      operationId: getA\n      responses: {'204': {description: ok}}\n";

    fn git_ok(root: &Path, args: &[&str]) {
        let mut all = vec!["-c", "user.name=t", "-c", "user.email=t@example.com"];
        all.extend_from_slice(args);
        git(root, &all).expect("git works");
    }

    fn api(path: &str, text: &str) -> (String, generator::ir::Api) {
        let api = generator::analyze(path, text).expect("analyzes").api;
        (path.to_string(), api)
    }

    /// Changed, new and deleted specs against a commit of a scratch repository.
    #[test]
    fn specs_are_compared_with_their_text_at_a_revision() {
        let root = std::env::temp_dir().join(format!("xtask-change-report-{}", std::process::id()));
        let _ = fs::remove_dir_all(&root);
        fs::create_dir_all(root.join("spec")).expect("scratch dir");
        git_ok(&root, &["init", "-q"]);
        fs::write(root.join("spec/kept.yaml"), SPEC).expect("write");
        fs::write(root.join("spec/gone.yaml"), SPEC).expect("write");
        git_ok(&root, &["add", "spec"]);
        git_ok(&root, &["commit", "-q", "-m", "specs"]);
        let renamed = SPEC.replace("getA", "fetchA");
        let apis = [api("spec/kept.yaml", &renamed), api("spec/new.yaml", SPEC)];

        let reports = change_reports(&root, &apis, "HEAD").expect("reports");
        let seen: Vec<(&str, diff::ApiStatus, Option<diff::Class>)> = reports
            .iter()
            .map(|r| (r.api.as_str(), r.status, r.highest()))
            .collect();
        use diff::{ApiStatus::*, Class::*};
        assert_eq!(
            seen,
            [
                ("spec/gone.yaml", Removed, Some(Breaking)),
                ("spec/kept.yaml", Changed, Some(Breaking)),
                ("spec/new.yaml", Added, Some(Compatible)),
            ]
        );
        assert!(change_reports(&root, &apis, "no-such-rev").is_err());
        let _ = fs::remove_dir_all(&root);
    }
}
