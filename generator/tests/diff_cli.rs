//! `generator diff OLD NEW`: the report on stdout, the exit status unchanged by it unless
//! `--deny-breaking`, and the old `generator SPEC --out DIR` usage untouched.

use std::path::PathBuf;
use std::process::Command;

const OLD: &str = "openapi: 3.0.3\ninfo: {title: T, version: '1'}\npaths:\n  /a:\n    get:\n      operationId: getA\n      responses: {'204': {description: ok}}\n";

/// Writes `old.yaml` and `new.yaml` into a fresh directory named after the test.
fn specs(test: &str, new: &str) -> (PathBuf, PathBuf) {
    let dir =
        std::env::temp_dir().join(format!("generator-diff-cli-{}-{test}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("temp dir");
    let (old_path, new_path) = (dir.join("old.yaml"), dir.join("new.yaml"));
    std::fs::write(&old_path, OLD).expect("write old");
    std::fs::write(&new_path, new).expect("write new");
    (old_path, new_path)
}

fn run(args: &[&str]) -> (Option<i32>, String) {
    let out = Command::new(env!("CARGO_BIN_EXE_generator"))
        .args(args)
        .output()
        .expect("the binary runs");
    (
        out.status.code(),
        String::from_utf8_lossy(&out.stdout).into_owned(),
    )
}

#[test]
fn a_breaking_change_fails_only_with_deny_breaking() {
    let (old, new) = specs("breaking", &OLD.replace("getA", "fetchA"));
    let (old, new) = (old.to_str().unwrap(), new.to_str().unwrap());
    let (code, text) = run(&["diff", old, new]);
    assert_eq!(code, Some(0), "{text}");
    assert!(
        text.contains("breaking    method renamed from `get_a`"),
        "{text}"
    );
    assert!(text.contains("minor → 0.2.0"), "{text}");
    let (code, _) = run(&["diff", old, new, "--deny-breaking"]);
    assert_eq!(code, Some(1));
}

#[test]
fn a_compatible_change_passes_deny_breaking_and_renders_json() {
    let added = format!("{OLD}  /b:\n    get:\n      operationId: getB\n      responses: {{'204': {{description: ok}}}}\n");
    let (old, new) = specs("compatible", &added);
    let (old, new) = (old.to_str().unwrap(), new.to_str().unwrap());
    let (code, json) = run(&["diff", old, new, "--format", "json", "--deny-breaking"]);
    assert_eq!(code, Some(0), "{json}");
    let parsed: serde_json::Value = serde_json::from_str(&json).expect("JSON on stdout");
    assert_eq!(parsed["apis"][0]["changes"][0]["change"], "operation_added");
    assert_eq!(parsed["bump"]["level"], "patch");
}

#[test]
fn bad_usage_exits_2() {
    assert_eq!(run(&["diff", "only-one.yaml"]).0, Some(2));
    assert_eq!(run(&["diff", "a", "b", "--format", "xml"]).0, Some(2));
    // The generating form still parses its arguments as before.
    assert_eq!(run(&["spec.yaml"]).0, Some(2));
}
