//! A standalone crate carries the runtime as a verbatim copy of the `generator-runtime`
//! crate's module, and its manifest lists that crate's dependencies.

use generator_runtime::vendor;

const SPEC: &str = r#"
openapi: 3.0.3
info: {title: Tiny, version: "1"}
servers: [{url: "https://example.com"}]
paths:
  /things:
    get:
      operationId: listThings
      responses:
        "200":
          description: The things.
          content:
            application/json:
              schema: {type: array, items: {type: string}}
"#;

#[test]
fn the_runtime_is_vendored_verbatim_with_its_dependencies() {
    let settings = generator::Settings::default();
    let output =
        generator::generate_crate("tiny.yaml", SPEC, "tiny", &settings).expect("generates");
    let header = generator::vendored_header(&settings);
    for source in vendor::FILES {
        let path = format!("src/runtime/{}", source.path);
        let file = output
            .files
            .iter()
            .find(|f| f.path == path)
            .unwrap_or_else(|| panic!("{path} is missing"));
        let (first, rest) = file.contents.split_once('\n').expect("a header line");
        assert_eq!(first, header, "{path}");
        assert_eq!(rest, source.contents, "{path} is not a verbatim copy");
    }
    let manifest = output
        .files
        .iter()
        .find(|f| f.path == "Cargo.toml")
        .expect("Cargo.toml");
    let (dependencies, dev) = manifest
        .contents
        .split_once("[dependencies]\n")
        .expect("a [dependencies] table")
        .1
        .split_once("\n[dev-dependencies]\n")
        .expect("a [dev-dependencies] table (tokio, for the conformance tests)");
    assert!(dev.starts_with("tokio = "), "{dev}");
    let expected: String = vendor::DEPENDENCIES
        .iter()
        .map(|(name, spec)| format!("{name} = {spec}\n"))
        .collect();
    assert_eq!(dependencies, expected);
    let lib = output
        .files
        .iter()
        .find(|f| f.path == "src/lib.rs")
        .expect("src/lib.rs");
    assert!(
        lib.contents.ends_with("pub mod runtime;\n"),
        "{}",
        lib.contents
    );
}
