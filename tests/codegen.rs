//! Snapshot tests of the generated code for the fixtures, and the freshness check of
//! `generated/`. The output for `spec/*.yaml` has one copy, the checked-in `generated/`
//! crate, which `generated_crate_is_fresh` compares with a fresh run (as `cargo xtask
//! codegen --check` does in CI).

use std::path::Path;

fn settings() -> generator::Settings {
    generator::Settings {
        runtime_path: "::distributions::runtime".into(),
        ..generator::Settings::default()
    }
}

/// The snapshot text: warnings first (as comments), then the code.
fn render(display: &str, source: &str) -> String {
    match generator::generate_inline(display, source, &settings()) {
        Ok(output) => {
            let mut text = String::new();
            for w in &output.warnings {
                text.push_str(&format!("// warning: {w}\n"));
            }
            text.push_str(&output.files[0].contents);
            text
        }
        Err(e) => format!("generation failed:\n{e}\n"),
    }
}

fn display_name(path: &Path) -> String {
    let name = path
        .file_name()
        .and_then(|n| n.to_str())
        .unwrap_or_default();
    let parent = path
        .parent()
        .and_then(|p| p.file_name())
        .and_then(|n| n.to_str())
        .unwrap_or_default();
    match parent {
        "invalid" => format!("tests/fixtures/invalid/{name}"),
        _ => format!("tests/fixtures/{name}"),
    }
}

#[test]
fn fixtures() {
    insta::glob!("fixtures/*.yaml", |path| {
        let source = std::fs::read_to_string(path).expect("fixture is readable");
        let text = render(&display_name(path), &source);
        assert!(!text.starts_with("generation failed"), "{text}");
        insta::assert_snapshot!(text);
    });
}

/// Bad input gets a clear error naming the file and the JSON pointer, never a panic.
#[test]
fn invalid_specs() {
    insta::glob!("fixtures/invalid/*.yaml", |path| {
        let source = std::fs::read_to_string(path).expect("fixture is readable");
        let display = display_name(path);
        let error = generator::generate_inline(&display, &source, &settings())
            .expect_err("an invalid spec must not generate");
        let text = error.to_string();
        assert!(text.contains(&display), "the error names the file: {text}");
        insta::assert_snapshot!(text);
    });
}

#[test]
fn generation_is_deterministic() {
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/../spec/buddy.yaml");
    let source = std::fs::read_to_string(path).expect("spec is readable");
    let first =
        generator::generate_module("spec/buddy.yaml", &source, &generator::Settings::default())
            .expect("generates");
    for _ in 0..3 {
        let again =
            generator::generate_module("spec/buddy.yaml", &source, &generator::Settings::default())
                .expect("generates");
        assert_eq!(first, again);
    }
}

/// `cargo test` catches a stale `generated/`, like `cargo xtask codegen --check` in CI, and
/// our own specs must generate without a single warning.
#[test]
fn generated_crate_is_fresh() {
    let root = xtask::project_root();
    let plan = xtask::plan(&root).unwrap_or_else(|e| panic!("generation failed:\n{e}"));
    assert!(
        plan.files
            .iter()
            .any(|f| f.path.starts_with("generated/src/buddy/"))
            && plan
                .files
                .iter()
                .any(|f| f.path.starts_with("generated/src/pieces/")),
        "the plan covers both specs: {:?}",
        plan.files.iter().map(|f| &f.path).collect::<Vec<_>>()
    );
    assert!(
        plan.warnings.is_empty(),
        "our own specs must generate without warnings:\n{}",
        plan.warnings.join("\n")
    );
    if let Err(report) = xtask::check(&root, &plan) {
        panic!("{report}");
    }
}

/// A failing spec among good ones: nothing is planned, so nothing can be written.
#[test]
fn one_bad_spec_writes_nothing() {
    let dir = std::env::temp_dir().join(format!("codegen-bad-{}", std::process::id()));
    let spec_dir = dir.join("spec");
    let generated = dir.join("generated/src");
    std::fs::create_dir_all(&spec_dir).expect("temp dir");
    std::fs::create_dir_all(&generated).expect("temp dir");
    std::fs::write(generated.join("lib.rs"), "pub mod good;\npub mod bad;\n").expect("write");
    let good = std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/fixtures/maps.yaml"))
        .expect("read");
    std::fs::write(spec_dir.join("good.yaml"), good).expect("write");
    std::fs::write(
        spec_dir.join("bad.yaml"),
        "openapi: 3.2.0\ninfo: {title: t, version: '1'}\npaths: {}\n",
    )
    .expect("write");
    let err = xtask::plan(&dir).expect_err("a bad spec fails the whole run");
    assert!(
        err.contains("spec/bad.yaml: #/openapi: unsupported version `3.2.0`"),
        "{err}"
    );
    assert!(!generated.join("good").exists(), "nothing was written");
    std::fs::remove_dir_all(&dir).ok();
}

/// A spec nested thousands of levels deep (in its text, or through `$ref` chains) is an
/// error naming the place, or generates: never a stack overflow. Test threads have small
/// stacks (2 MiB), which makes this stricter than the command line.
/// `cargo xtask codegen` reads OpenAPI 3.1 and Swagger 2.0 specs in `spec/` beside 3.0
/// ones: each becomes a module of the generated crate, its warnings pointing into its file.
#[test]
fn codegen_accepts_openapi_3_1_and_swagger_2_specs() {
    let dir = std::env::temp_dir().join(format!("codegen-versions-{}", std::process::id()));
    let spec_dir = dir.join("spec");
    std::fs::create_dir_all(&spec_dir).expect("temp dir");
    std::fs::create_dir_all(dir.join("generated/src")).expect("temp dir");
    std::fs::write(
        dir.join("generated/src/lib.rs"),
        "pub mod maps;\npub mod pets;\npub mod shapes;\n",
    )
    .expect("write");
    let fixture = |name: &str| {
        std::fs::read_to_string(
            Path::new(env!("CARGO_MANIFEST_DIR"))
                .join("fixtures")
                .join(name),
        )
        .expect("read")
    };
    std::fs::write(
        spec_dir.join("shapes.yaml"),
        fixture("openapi31_approximated.yaml"),
    )
    .expect("write");
    std::fs::write(
        spec_dir.join("pets.yaml"),
        fixture("swagger2_petstore.yaml"),
    )
    .expect("write");
    std::fs::write(spec_dir.join("maps.yaml"), fixture("maps.yaml")).expect("write");
    let plan = xtask::plan(&dir).expect("3.1 and 2.0 specs plan like 3.0 ones");
    for module in ["shapes", "pets", "maps"] {
        let types = format!("generated/src/{module}/types.rs");
        assert!(
            plan.files.iter().any(|f| f.path == types),
            "{types} is planned"
        );
    }
    let shapes = plan
        .files
        .iter()
        .find(|f| f.path == "generated/src/shapes/types.rs")
        .expect("planned");
    assert!(
        shapes.contents.contains("pub struct Shape"),
        "{}",
        shapes.contents
    );
    assert!(
        plan.warnings.iter().any(|w| w.contains(
            "spec/shapes.yaml: #/components/schemas/Shape/properties/point: `prefixItems`"
        )),
        "{:?}",
        plan.warnings
    );
    std::fs::remove_dir_all(&dir).ok();
}

#[test]
fn deep_nesting_is_an_error_not_a_stack_overflow() {
    fn spec(schema: &str, components: &str) -> String {
        format!(
            r#"{{"openapi": "3.0.3", "info": {{"title": "deep", "version": "1"}},
            "paths": {{"/x": {{"get": {{"operationId": "x", "responses": {{"200": {{
            "description": "ok", "content": {{"application/json": {{"schema": {schema}}}}}}}}}}}}}}},
            "components": {{"schemas": {{{components}}}}}}}"#
        )
    }
    let deep_object = format!(
        "{}{{\"type\": \"string\"}}{}",
        r#"{"type": "object", "properties": {"p": "#.repeat(10_000),
        "}}".repeat(10_000)
    );
    let deep_array = format!(
        "{}{{\"type\": \"string\"}}{}",
        r#"{"type": "array", "items": "#.repeat(100_000),
        "}".repeat(100_000)
    );
    let brackets = format!("{}{}", "[".repeat(100_000), "]".repeat(100_000));
    for (name, source) in [
        ("deep_object.json", spec(&deep_object, "")),
        ("deep_array.json", spec(&deep_array, "")),
        ("brackets.json", spec(&brackets, "")),
        // YAML's parser takes time quadratic in the depth of brackets: refused before.
        (
            "brackets.yaml",
            format!("openapi: 3.0.3\nx-deep: {brackets}\n"),
        ),
    ] {
        let error =
            generator::generate_inline(name, &source, &settings()).expect_err("too deep to read");
        let first = &error.diagnostics[0];
        assert_eq!(first.file, name);
        assert!(
            first.message.contains("recursion limit")
                || first.message.contains("nested more than 1000 levels"),
            "{name}: {first}"
        );
    }
    // 2,000 schemas, each `allOf` the next, or a `$ref` to it, or a union with it.
    let chain = |each: &dyn Fn(usize) -> String| {
        let mut schemas: Vec<String> = (0..2_000).map(each).collect();
        schemas.push(r#""A2000": {"type": "string"}"#.to_string());
        spec(
            r##"{"$ref": "#/components/schemas/A0"}"##,
            &schemas.join(", "),
        )
    };
    let all_of = chain(&|i| {
        format!(
            r##""A{i}": {{"allOf": [{{"$ref": "#/components/schemas/A{}"}}, {{"properties": {{"f{i}": {{"type": "string"}}}}}}]}}"##,
            i + 1
        )
    });
    let error = generator::generate_inline("all_of.json", &all_of, &settings())
        .expect_err("allOf nested too deep");
    assert!(
        error.diagnostics[0].message.contains("nests more than"),
        "{error}"
    );
    for (name, each) in [
        (
            "refs.json",
            &(|i: usize| format!(r##""A{i}": {{"$ref": "#/components/schemas/A{}"}}"##, i + 1))
                as &dyn Fn(usize) -> String,
        ),
        ("unions.json", &|i: usize| {
            format!(
                r##""A{i}": {{"oneOf": [{{"$ref": "#/components/schemas/A{}"}}, {{"type": "integer"}}]}}"##,
                i + 1
            )
        }),
    ] {
        generator::generate_inline(name, &chain(each), &settings())
            .expect("a long chain generates");
    }
}

/// Schemas nested a hundred levels deep, each level one that `openapiv3` reads only at its
/// second try (`uniqueItems: null` fails the array variant, not the catch-all one), or with
/// a broken schema at the bottom: read in time linear in the depth (the fuzzer found a
/// forty-level chain that took hours, each level reading the levels below it twice), and
/// the broken one named by its pointer. A hang fails the test after a minute.
#[test]
fn nested_schemas_read_in_linear_time() {
    fn nested(depth: usize, level: &str, bottom: &str) -> String {
        let schema = format!("{}{bottom}{}", level.repeat(depth), "}".repeat(depth));
        format!(
            r#"{{"openapi": "3.0.3", "info": {{"title": "nested", "version": "1"}},
            "paths": {{}}, "components": {{"schemas": {{"Deep": {schema}}}}}}}"#
        )
    }
    let (sender, receiver) = std::sync::mpsc::channel();
    std::thread::spawn(move || {
        let second_try = nested(
            100,
            r#"{"type": "array", "uniqueItems": null, "items": "#,
            r#"{"type": "string"}"#,
        );
        let broken = nested(
            100,
            r#"{"type": "array", "items": "#,
            r#"{"type": "string", "maxLength": -1}"#,
        );
        let _ = sender.send((
            generator::generate_inline("second_try.json", &second_try, &settings()).map(|_| ()),
            generator::generate_inline("broken.json", &broken, &settings()).map(|_| ()),
        ));
    });
    let (second_try, broken) = receiver
        .recv_timeout(std::time::Duration::from_secs(60))
        .expect("nested schemas are read within a minute");
    second_try.expect("a hundred levels of second tries generate");
    let error = broken.expect_err("a broken schema is an error");
    let first = &error.diagnostics[0];
    assert_eq!(
        first.pointer,
        format!(
            "#/components/schemas/Deep{}/maxLength",
            "/items".repeat(100)
        ),
        "{error}"
    );
    assert!(first.message.contains("-1"), "{error}");
}

/// Every input the fuzzer ever crashed on (`fuzz/regressions/generate_bytes/`: the target's first byte picks
/// YAML or JSON) gives a crate or an error now.
#[test]
fn fuzz_regressions_give_a_crate_or_an_error() {
    let dir = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../fuzz/regressions/generate_bytes"
    );
    let mut inputs: Vec<_> = std::fs::read_dir(dir)
        .expect("fuzz/regressions exists")
        .filter_map(Result::ok)
        .map(|entry| entry.path())
        .collect();
    inputs.sort();
    assert!(!inputs.is_empty());
    for path in inputs {
        let bytes = std::fs::read(&path).expect("readable");
        let Some((&first, rest)) = bytes.split_first() else {
            continue;
        };
        let text = String::from_utf8_lossy(rest);
        let file = if first & 1 == 0 {
            "fuzz.yaml"
        } else {
            "fuzz.json"
        };
        // Returning at all is the test: these inputs panicked or overflowed the stack.
        let _ = generator::generate_inline(file, &text, &settings());
    }
}
