//! The API change report (`generator::diff`) on fixture pairs: `fixtures/diff/CASE/old.yaml`
//! → `new.yaml`, one case per kind of change, each report snapshotted (text for every case;
//! Markdown and JSON for one).

use std::collections::BTreeSet;
use std::path::Path;

use generator::diff::{self, Format, Version};

const VERSION: Version = Version {
    major: 0,
    minor: 1,
    patch: 0,
};

fn analyze(path: &Path) -> generator::ir::Api {
    let source = std::fs::read_to_string(path).expect("fixture is readable");
    let case = path
        .parent()
        .and_then(|p| p.file_name())
        .and_then(|n| n.to_str())
        .unwrap_or_default();
    let name = path
        .file_name()
        .and_then(|n| n.to_str())
        .unwrap_or_default();
    let display = format!("tests/fixtures/diff/{case}/{name}");
    generator::analyze(&display, &source)
        .unwrap_or_else(|e| panic!("{display}: {e}"))
        .api
}

/// The report from `CASE/old.yaml` to `CASE/new.yaml`.
fn report(new: &Path) -> diff::Report {
    let old = analyze(&new.with_file_name("old.yaml"));
    diff::compare(&old, &analyze(new))
}

#[test]
fn reports() {
    insta::glob!("fixtures/diff/*/new.yaml", |path| {
        let report = report(path);
        insta::assert_snapshot!(diff::render(&[report], "fixture", VERSION, Format::Text));
    });
}

#[test]
fn markdown_and_json() {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures/diff/fields/new.yaml");
    let report = report(&path);
    let reports = std::slice::from_ref(&report);
    insta::assert_snapshot!(
        "fields_markdown",
        diff::render(reports, "fixture", VERSION, Format::Markdown)
    );
    let json = diff::render(reports, "fixture", VERSION, Format::Json);
    let parsed: serde_json::Value = serde_json::from_str(&json).expect("the JSON report parses");
    assert_eq!(parsed["bump"]["to"], "0.2.0");
    insta::assert_snapshot!("fields_json", json);
}

/// The fixtures show every kind of change `compare` can report (the JSON `change` tags);
/// `ApiAdded` and `ApiRemoved` come from `diff::added` and `diff::removed`.
#[test]
fn every_kind_of_change_has_a_fixture() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures/diff");
    let mut seen = BTreeSet::new();
    for case in std::fs::read_dir(&dir).expect("fixtures/diff is readable") {
        let new = case.expect("an entry").path().join("new.yaml");
        let json = diff::render(&[report(&new)], "fixture", VERSION, Format::Json);
        let parsed: serde_json::Value = serde_json::from_str(&json).expect("JSON");
        for change in parsed["apis"][0]["changes"].as_array().expect("changes") {
            seen.insert(change["change"].as_str().expect("a tag").to_string());
        }
    }
    let all = [
        "default_server_changed",
        "server_added",
        "server_removed",
        "auth_changed",
        "api_doc_changed",
        "operation_added",
        "operation_removed",
        "operation_renamed",
        "endpoint_changed",
        "param_added",
        "param_removed",
        "param_required_changed",
        "param_type_changed",
        "param_wire_changed",
        "param_style_changed",
        "arguments_reordered",
        "body_added",
        "body_removed",
        "body_required_changed",
        "body_type_changed",
        "body_content_type_changed",
        "result_type_changed",
        "outcome_variant_added",
        "outcome_variant_removed",
        "outcome_variant_type_changed",
        "status_added",
        "status_removed",
        "accept_changed",
        "operation_doc_changed",
        "type_added",
        "type_removed",
        "type_kind_changed",
        "tag_changed",
        "variant_added",
        "variant_removed",
        "variant_value_changed",
        "variant_type_changed",
        "variants_reordered",
        "pattern_changed",
        "alias_target_changed",
        "type_doc_changed",
        "field_added",
        "field_removed",
        "field_presence_changed",
        "field_type_changed",
        "field_json_name_changed",
        "field_doc_changed",
        "default_derive",
    ];
    let missing: Vec<&str> = all.iter().copied().filter(|c| !seen.contains(*c)).collect();
    assert!(missing.is_empty(), "no fixture shows {missing:?}");
}
