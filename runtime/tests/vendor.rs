//! The vendored form of the runtime is this crate: `vendor::FILES` holds every file of
//! `src/runtime/` as it is on disk, and `vendor::DEPENDENCIES` (the manifest of every
//! standalone crate) are this crate's dependencies with the workspace's versions and
//! features.

use std::collections::BTreeMap;
use std::path::Path;

use generator_runtime::vendor;

#[test]
fn the_vendored_files_are_the_runtime_module() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("src/runtime");
    let mut on_disk: Vec<String> = std::fs::read_dir(&dir)
        .expect("src/runtime is readable")
        .map(|entry| {
            entry
                .expect("entry")
                .file_name()
                .to_string_lossy()
                .into_owned()
        })
        .collect();
    on_disk.sort();
    let listed: Vec<&str> = vendor::FILES.iter().map(|f| f.path).collect();
    assert_eq!(
        listed, on_disk,
        "vendor::FILES must list every file of src/runtime, sorted"
    );
    for file in vendor::FILES {
        let text = std::fs::read_to_string(dir.join(file.path)).expect("readable");
        assert_eq!(file.contents, text, "{} differs", file.path);
    }
}

/// A dependency as Cargo sees it: the version requirement, whether default features are on,
/// and the features enabled.
#[derive(Debug, PartialEq, Eq)]
struct Dependency {
    version: String,
    default_features: bool,
    features: Vec<String>,
}

fn dependency(spec: &toml::Value, context: &str) -> Dependency {
    match spec {
        toml::Value::String(version) => Dependency {
            version: version.clone(),
            default_features: true,
            features: Vec::new(),
        },
        toml::Value::Table(table) => {
            let mut features: Vec<String> = table
                .get("features")
                .and_then(toml::Value::as_array)
                .map(|list| {
                    list.iter()
                        .filter_map(|f| f.as_str().map(String::from))
                        .collect()
                })
                .unwrap_or_default();
            features.sort();
            Dependency {
                version: table
                    .get("version")
                    .and_then(toml::Value::as_str)
                    .unwrap_or_else(|| panic!("{context}: no version"))
                    .to_string(),
                default_features: table
                    .get("default-features")
                    .and_then(toml::Value::as_bool)
                    .unwrap_or(true),
                features,
            }
        }
        other => panic!("{context}: unexpected dependency spec {other}"),
    }
}

fn parse(path: &Path) -> toml::Table {
    let text = std::fs::read_to_string(path).expect("manifest is readable");
    text.parse()
        .unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

#[test]
fn the_standalone_manifest_has_this_crates_dependencies() {
    let manifest_dir = Path::new(env!("CARGO_MANIFEST_DIR"));
    let manifest = parse(&manifest_dir.join("Cargo.toml"));
    let workspace = parse(&manifest_dir.join("../Cargo.toml"));
    let inherited = workspace["workspace"]["dependencies"]
        .as_table()
        .expect("[workspace.dependencies]");
    let mut actual = BTreeMap::new();
    for (name, spec) in manifest["dependencies"].as_table().expect("[dependencies]") {
        let table = spec.as_table().expect("a table");
        assert_eq!(
            table.get("workspace").and_then(toml::Value::as_bool),
            Some(true),
            "{name}"
        );
        let mut resolved = dependency(&inherited[name.as_str()], name);
        if let Some(extra) = table.get("features").and_then(toml::Value::as_array) {
            resolved
                .features
                .extend(extra.iter().filter_map(|f| f.as_str().map(String::from)));
            resolved.features.sort();
        }
        actual.insert(name.clone(), resolved);
    }
    let vendored: BTreeMap<String, Dependency> = vendor::DEPENDENCIES
        .iter()
        .map(|(name, spec)| {
            let line: toml::Table = format!("x = {spec}").parse().expect("a TOML value");
            (name.to_string(), dependency(&line["x"], name))
        })
        .collect();
    assert_eq!(vendored, actual);
    let names: Vec<&str> = vendor::DEPENDENCIES.iter().map(|(n, _)| *n).collect();
    let mut sorted = names.clone();
    sorted.sort();
    assert_eq!(
        names, sorted,
        "sorted by name, so the manifest is deterministic"
    );
}
