//! `generator SPEC --out DIR --message-format json`: one JSON object per diagnostic on
//! stderr, with its level, kind, file, pointer, location and message, for programs (the
//! mutation harness groups refusals by kind).

use std::process::Command;

#[test]
fn diagnostics_are_json_lines() {
    let dir = std::env::temp_dir().join(format!("generator-message-format-{}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("temp dir");
    let spec = dir.join("bad.yaml");
    std::fs::write(
        &spec,
        "openapi: 3.0.3\ninfo: {title: T, version: '1'}\npaths:\n  /a:\n    get:\n      responses:\n        '200':\n          description: ok\n          content:\n            application/json:\n              schema: {$ref: '#/components/schemas/Missing'}\n",
    )
    .expect("write the spec");
    let output = Command::new(env!("CARGO_BIN_EXE_generator"))
        .arg(&spec)
        .args(["--out", dir.join("out").to_str().unwrap()])
        .args(["--message-format", "json"])
        .output()
        .expect("the binary runs");
    assert_eq!(output.status.code(), Some(1));
    let stderr = String::from_utf8_lossy(&output.stderr);
    let first: serde_json::Value = serde_json::from_str(stderr.lines().next().unwrap_or_default())
        .unwrap_or_else(|e| panic!("{e}: {stderr}"));
    assert_eq!(first["level"], "error");
    assert_eq!(first["kind"], "unresolved-ref");
    assert_eq!(
        first["pointer"],
        "#/paths/~1a/get/responses/200/content/application~1json/schema/$ref"
    );
    assert!(first["message"].as_str().unwrap().contains("Missing"));
    assert!(!dir.join("out").exists(), "nothing is written");
}
