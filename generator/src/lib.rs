//! OpenAPI (3.0; 3.1 and Swagger 2.0 converted on reading) → typed async Rust client.
//!
//! The pipeline, one module per stage: [`load`] (text → `openapiv3::OpenAPI`) →
//! [`validate`] (document rules) → [`lower`] (→ [`ir::Api`], every name final, everything
//! sorted) → [`emit`] (→ syntax trees: `quote!`, parsed by syn, with the per-field parts of
//! structs built directly) → [`format`](mod@format) (→ text with prettyplease).
//! Beside the pipeline, [`diff`] compares the IRs of two versions of a spec: the API change
//! report of `cargo xtask codegen` and `generator diff`.
//! Writing files is the caller's job (`xtask`, or this crate's binary); this library does no
//! file I/O.

pub mod diff;
pub mod docs;
pub mod emit;
pub mod error;
pub mod format;
pub mod ir;
pub mod load;
pub mod lower;
pub mod naming;
pub mod resolve;
pub mod samples;
pub mod validate;

use quote::quote;

pub use error::{Diagnostic, DiagnosticKind, Error};

/// How to generate.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Settings {
    /// The path of the runtime module as seen from generated code, e.g. `crate::runtime`.
    pub runtime_path: String,
    /// The command named in the header of every generated file.
    pub command: String,
}

impl Default for Settings {
    fn default() -> Self {
        Settings {
            runtime_path: "crate::runtime".to_string(),
            command: "cargo xtask codegen".to_string(),
        }
    }
}

/// One generated file: a path relative to the output root and its full contents.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct GeneratedFile {
    /// Relative path with `/` separators, e.g. `types.rs`.
    pub path: String,
    /// The formatted contents, header included.
    pub contents: String,
}

/// The result of a successful generation.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Output {
    /// The files, sorted by path.
    pub files: Vec<GeneratedFile>,
    /// Constructs that were approximated, with their pointers.
    pub warnings: Vec<Diagnostic>,
}

/// The parsed, validated and lowered form of one spec.
pub struct Lowered {
    /// The IR.
    pub api: ir::Api,
    /// Warnings from lowering.
    pub warnings: Vec<Diagnostic>,
}

/// Runs load → validate → lower on `source`, the text of the spec file `file`.
pub fn analyze(file: &str, source: &str) -> Result<Lowered, Error> {
    analyze_with_spec(file, source).map(|(_, lowered)| lowered)
}

/// [`analyze`], also returning the loaded document (in the 3.0 shape).
fn analyze_with_spec(file: &str, source: &str) -> Result<(openapiv3::OpenAPI, Lowered), Error> {
    let lowered = |loaded: load::Loaded| -> Result<(openapiv3::OpenAPI, Lowered), Error> {
        let load::Loaded {
            spec,
            warnings: loading,
            origin,
        } = loaded;
        let restore = |mut diagnostics: Vec<Diagnostic>| {
            for d in &mut diagnostics {
                origin.restore(d);
            }
            diagnostics
        };
        validate::validate(file, &spec).map_err(|e| Error {
            diagnostics: restore(e.diagnostics),
        })?;
        let (api, warnings) = lower::lower(file, &spec, &origin).map_err(|e| Error {
            diagnostics: restore(e.diagnostics),
        })?;
        let mut warnings = restore(warnings);
        warnings.extend(loading);
        warnings.sort();
        Ok((spec, Lowered { api, warnings }))
    };
    match lowered(load::load_with(file, source, false)?) {
        // A `$ref` that resolves in the document but not where it is used (a response that
        // points to a schema, ...): retry once on the normalised document.
        Err(e) if e.has(DiagnosticKind::UnresolvedRef) => {
            lowered(load::load_with(file, source, true)?)
        }
        other => other,
    }
}

/// One API of a conformance test file ([`conformance_tests`]).
#[derive(Debug, Clone)]
pub struct ConformanceApi<'a> {
    /// The spec file as the user named it.
    pub file: &'a str,
    /// Its text.
    pub source: &'a str,
    /// The Rust path of the generated API: `["distributions", "buddy"]` for a module of a
    /// crate, `["my_client"]` for a standalone crate. Its first segment is the crate, whose
    /// `runtime` module the tests use.
    pub api_path: Vec<&'a str>,
    /// The test module to put the API's tests in (`buddy`); `None` for `operations`.
    pub module: Option<&'a str>,
}

/// An integration test file (`tests/conformance.rs`) that calls every operation of each API
/// with arguments synthesized from its spec (see [`samples`]), once with the required ones
/// and once with all, against the mock server named by `CONFORMANCE_BASE_URL`, decoding
/// strictly. The tests are ignored unless asked for: `cargo xtask conformance` starts Prism
/// and runs them with `--ignored`.
pub fn conformance_tests(
    apis: &[ConformanceApi<'_>],
    settings: &Settings,
) -> Result<String, Error> {
    let mut modules = Vec::new();
    let mut files = Vec::new();
    for api in apis {
        let (spec, lowered) = analyze_with_spec(api.file, api.source)?;
        let samples = samples::samples(api.file, &spec, &lowered.api);
        let krate = api.api_path.first().copied().unwrap_or("crate");
        let runtime = runtime_path(
            api.file,
            &Settings {
                runtime_path: format!("::{krate}::runtime"),
                ..settings.clone()
            },
        )?;
        let tests = emit::conformance(&lowered.api, &samples, &api.api_path, &runtime);
        // In a module, which `rustfmt::skip` keeps as prettyplease wrote it (`cargo fmt`
        // would format a test file of the crate).
        let name = emit::ident(api.module.unwrap_or("operations"));
        let doc = format!(" The conformance tests of `{}`.", api.file);
        modules.push(quote!(#[doc = #doc] #[rustfmt::skip] mod #name { #tests }));
        files.push(api.file);
    }
    let file = files.join(", ");
    let doc = format!(
        " Conformance tests: each operation of {file} called with arguments built from the spec, against a mock server that enforces it (`{}` names it; `cargo xtask conformance` starts Prism and runs these with `--ignored`).",
        emit::BASE_URL_VARIABLE
    );
    let tokens = quote! {
        #![doc = #doc]
        #( #modules )*
    };
    format::format(&file, &header(&file, settings), tokens)
}

fn header(file: &str, settings: &Settings) -> String {
    format!(
        "// @generated by `{}` from {file}. Do not edit by hand.",
        settings.command
    )
}

fn runtime_path(file: &str, settings: &Settings) -> Result<syn::Path, Error> {
    syn::parse_str(&settings.runtime_path).map_err(|e| {
        Error::one(Diagnostic::new(
            DiagnosticKind::InvalidSettings,
            file,
            "",
            format!(
                "settings: runtime path `{}` is not a Rust path: {e}",
                settings.runtime_path
            ),
        ))
    })
}

fn module_doc(api: &ir::Api) -> proc_macro2::TokenStream {
    let lines = api.doc.iter().map(|l| format!(" {l}"));
    quote!(#( #![doc = #lines] )*)
}

/// Generates one API as a module directory: `mod.rs`, `types.rs`, `calls.rs` and `client.rs`.
pub fn generate_module(file: &str, source: &str, settings: &Settings) -> Result<Output, Error> {
    emit_module(file, analyze(file, source)?, settings)
}

/// [`generate_module`] from an analyzed spec: lets a caller free the spec's text (and
/// anything else it holds) before the emit and format stages, which need only the IR.
pub fn emit_module(file: &str, lowered: Lowered, settings: &Settings) -> Result<Output, Error> {
    emit_files(file, lowered, settings, quote!())
}

/// The files of [`emit_module`], with `root_items` added at the end of the module root.
fn emit_files(
    file: &str,
    lowered: Lowered,
    settings: &Settings,
    root_items: proc_macro2::TokenStream,
) -> Result<Output, Error> {
    let header = header(file, settings);
    let doc = module_doc(&lowered.api);
    let root = quote! {
        #doc
        /// The API's data types: request and response bodies, enums and unions.
        pub mod types;
        /// The calls of the client's methods: [`Call`], and each operation's options type
        /// (the setters of its optional parameters, its pages).
        pub mod calls;
        mod client;
        pub use calls::Call;
        pub use client::Client;
        #root_items
    };
    let api = &lowered.api;
    let types_parts = emit::types_parts(api);
    let client_parts = emit::client_parts(api);
    let calls_parts = emit::calls_parts(api);
    let jobs: Vec<&emit::Part> = types_parts
        .iter()
        .chain(&client_parts)
        .chain(&calls_parts)
        .collect();
    let mut texts = format_parallel(file, settings, api, &jobs)?.into_iter();
    // Each part is freed as soon as it is copied, so the parts and the files they make are
    // not all held at once.
    let mut concat = |count: usize| {
        let parts: Vec<String> = texts.by_ref().take(count).collect();
        let mut text = String::with_capacity(
            header.len() + 1 + parts.iter().map(|p| p.len() + 1).sum::<usize>(),
        );
        text.push_str(&header);
        text.push('\n');
        for part in parts {
            text.push_str(&part);
            if !text.ends_with('\n') {
                text.push('\n');
            }
        }
        text
    };
    let types = concat(types_parts.len());
    let client = concat(client_parts.len());
    let calls = concat(calls_parts.len());
    let files = vec![
        GeneratedFile {
            path: "calls.rs".into(),
            contents: calls,
        },
        GeneratedFile {
            path: "client.rs".into(),
            contents: client,
        },
        GeneratedFile {
            path: "mod.rs".into(),
            contents: format::format(file, &header, root)?,
        },
        GeneratedFile {
            path: "types.rs".into(),
            contents: types,
        },
    ];
    Ok(Output {
        files,
        warnings: lowered.warnings,
    })
}

/// Emits and formats every part, on as many threads as there are cores (token streams are
/// not `Send`, so each thread emits its own parts). Returns the texts in `jobs` order.
fn format_parallel(
    file: &str,
    settings: &Settings,
    api: &ir::Api,
    jobs: &[&emit::Part],
) -> Result<Vec<String>, Error> {
    use std::sync::atomic::{AtomicUsize, Ordering};
    let next = AtomicUsize::new(0);
    let threads = std::thread::available_parallelism()
        .map_or(1, |n| n.get())
        .min(jobs.len())
        .max(1);
    let work = || -> Result<Vec<(usize, String)>, Error> {
        let runtime = runtime_path(file, settings)?;
        let mut done = Vec::new();
        loop {
            // Jobs are taken from the end: the client's parts (the largest) go first, and
            // the small type parts even out the threads' finishing times.
            let taken = next.fetch_add(1, Ordering::Relaxed);
            let Some(i) = jobs.len().checked_sub(taken + 1) else {
                return Ok(done);
            };
            let part = jobs[i];
            done.push((i, format::tree(file, emit::part(api, &runtime, part))?));
        }
    };
    // Parsing and printing recurse once per level of a type (`Vec<Vec<…>>`, a hundred
    // levels for a schema nested that deep): the threads get a stack that holds the deepest
    // type a document can describe, whatever the stack of the calling thread.
    let results: Vec<Result<Vec<(usize, String)>, Error>> = std::thread::scope(|s| {
        let handles: Vec<_> = (0..threads)
            .map(|_| deep_stack().spawn_scoped(s, work))
            .collect();
        handles
            .into_iter()
            .map(|h| match h {
                Ok(h) => h.join().unwrap_or_else(|_| Err(internal(file))),
                Err(_) => Err(internal(file)),
            })
            .collect()
    });
    let mut texts: Vec<(usize, String)> = Vec::with_capacity(jobs.len());
    for r in results {
        texts.extend(r?);
    }
    texts.sort_by_key(|(i, _)| *i);
    Ok(texts.into_iter().map(|(_, t)| t).collect())
}

/// A thread whose stack holds the deepest type a document can describe (64 MiB of address
/// space, not memory, until a deep type uses it): emitting and printing recurse once per
/// level of a type.
fn deep_stack() -> std::thread::Builder {
    std::thread::Builder::new().stack_size(64 << 20)
}

fn internal(file: &str) -> Error {
    Error::one(Diagnostic::new(
        DiagnosticKind::Internal,
        file,
        "",
        "internal error: a formatting thread panicked or could not start",
    ))
}

/// Generates one API as a single file with inline `types` and `client` modules: for
/// snapshots, and for `include!` into a module (it has no inner attributes at its root).
pub fn generate_inline(file: &str, source: &str, settings: &Settings) -> Result<Output, Error> {
    let lowered = analyze(file, source)?;
    // On a thread of its own, for its stack (see `deep_stack`).
    std::thread::scope(|s| {
        deep_stack()
            .spawn_scoped(s, || inline(file, settings, lowered))
            .map_err(|_| internal(file))?
            .join()
            .unwrap_or_else(|_| Err(internal(file)))
    })
}

/// [`generate_inline`] after the analysis.
fn inline(file: &str, settings: &Settings, lowered: Lowered) -> Result<Output, Error> {
    let runtime = runtime_path(file, settings)?;
    let types = emit::types(&lowered.api, &runtime).map_err(|e| format::invalid_rust(file, &e))?;
    let client =
        emit::client(&lowered.api, &runtime).map_err(|e| format::invalid_rust(file, &e))?;
    let calls = emit::calls(&lowered.api, &runtime).map_err(|e| format::invalid_rust(file, &e))?;
    let tokens = quote! {
        /// The API's data types: request and response bodies, enums and unions.
        pub mod types {
            #types
        }
        /// The calls of the client's methods: [`Call`], and each operation's options type
        /// (the setters of its optional parameters, its pages).
        pub mod calls {
            #calls
        }
        mod client {
            #client
        }
        pub use calls::Call;
        pub use client::Client;
    };
    let contents = format::format(file, &header(file, settings), tokens)?;
    Ok(Output {
        files: vec![GeneratedFile {
            path: "mod.rs".into(),
            contents,
        }],
        warnings: lowered.warnings,
    })
}

/// Generates a standalone crate named `crate_name`: `Cargo.toml`, `src/lib.rs`,
/// `src/types.rs`, `src/client.rs` and the runtime in `src/runtime/`, a verbatim copy of the
/// `generator-runtime` crate's sources ([`generator_runtime::vendor`]; that crate is not
/// published, so a crate outside this workspace carries it). It shares every stage with
/// [`generate_module`]; only the crate frame differs.
pub fn generate_crate(
    file: &str,
    source: &str,
    crate_name: &str,
    settings: &Settings,
) -> Result<Output, Error> {
    check_crate_name(file, crate_name)?;
    emit_crate(file, analyze(file, source)?, crate_name, settings)
}

/// [`generate_crate`] from an analyzed spec (see [`emit_module`]).
pub fn emit_crate(
    file: &str,
    lowered: Lowered,
    crate_name: &str,
    settings: &Settings,
) -> Result<Output, Error> {
    check_crate_name(file, crate_name)?;
    let runtime = quote! {
        /// The spec-independent runtime: client builder, transport, retries and errors.
        pub mod runtime;
    };
    let module = emit_files(file, lowered, settings, runtime)?;
    Ok(crate_files(file, module, crate_name, settings))
}

fn check_crate_name(file: &str, crate_name: &str) -> Result<(), Error> {
    let valid_name = !crate_name.is_empty()
        && crate_name
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '-')
        && crate_name.starts_with(|c: char| c.is_ascii_alphabetic());
    if !valid_name {
        return Err(Error::one(Diagnostic::new(
            DiagnosticKind::InvalidSettings,
            file,
            "",
            format!("`{crate_name}` is not a valid crate name (ASCII letters, digits, `-` and `_`, starting with a letter)"),
        )));
    }
    Ok(())
}

/// The crate frame around a module: `src/lib.rs` (the module root), the vendored runtime and
/// `Cargo.toml`.
fn crate_files(file: &str, module: Output, crate_name: &str, settings: &Settings) -> Output {
    let vendored = generator_runtime::vendor::FILES;
    let mut files = Vec::with_capacity(module.files.len() + vendored.len() + 1);
    for f in module.files {
        let path = match f.path.as_str() {
            "mod.rs" => "src/lib.rs".to_string(),
            other => format!("src/{other}"),
        };
        files.push(GeneratedFile {
            path,
            contents: f.contents,
        });
    }
    let header = vendored_header(settings);
    for source in vendored {
        files.push(GeneratedFile {
            path: format!("src/runtime/{}", source.path),
            contents: format!("{header}\n{}", source.contents),
        });
    }
    files.push(GeneratedFile {
        path: "Cargo.toml".into(),
        contents: cargo_toml(file, crate_name, settings),
    });
    files.sort_by(|a, b| a.path.cmp(&b.path));
    Output {
        files,
        warnings: module.warnings,
    }
}

/// The first line of every vendored runtime file; the rest is the runtime's source as it is.
pub fn vendored_header(settings: &Settings) -> String {
    format!(
        "// @generated by `{}`: a copy of the generator-runtime crate. Do not edit by hand.",
        settings.command
    )
}

/// The manifest of a standalone crate: the runtime's dependencies
/// ([`generator_runtime::vendor::DEPENDENCIES`]), which are also all the generated code uses.
fn cargo_toml(file: &str, crate_name: &str, settings: &Settings) -> String {
    let mut text = format!(
        r#"# @generated by `{command}` from {file}. Do not edit by hand.
[package]
name = "{crate_name}"
version = "0.1.0"
edition = "2021"
rust-version = "1.88"
publish = false

[dependencies]
"#,
        command = settings.command,
    );
    for (name, spec) in generator_runtime::vendor::DEPENDENCIES {
        text.push_str(name);
        text.push_str(" = ");
        text.push_str(spec);
        text.push('\n');
    }
    // For the conformance tests (`generator --tests`).
    text.push_str("\n[dev-dependencies]\ntokio = { version = \"1\", features = [\"macros\", \"rt-multi-thread\"] }\n");
    text
}

#[cfg(test)]
mod tests {
    use super::*;

    const HEAD: &str = "openapi: 3.0.3\ninfo: {title: t, version: '1'}\n";

    fn kinds(source: &str) -> Vec<DiagnosticKind> {
        match analyze("t.yaml", source) {
            Ok(lowered) => lowered.warnings.iter().map(|d| d.kind).collect(),
            Err(e) => e.diagnostics.iter().map(|d| d.kind).collect(),
        }
    }

    fn get_returning(schema: &str) -> String {
        format!(
            "{HEAD}paths:\n  /a:\n    get:\n      responses:\n        '200':\n          description: ok\n          content:\n            application/json:\n              schema: {schema}\n"
        )
    }

    #[test]
    fn load_errors_have_kinds() {
        use DiagnosticKind::*;
        assert_eq!(kinds("openapi: 3.0.3\ninfo: [\n"), [Syntax]);
        assert_eq!(
            kinds("openapi: 3.2.0\ninfo: {title: t, version: '1'}\npaths: {}\n"),
            [UnsupportedVersion]
        );
        assert_eq!(
            kinds("swagger: '1.2'\ninfo: {title: t, version: '1'}\npaths: {}\n"),
            [UnsupportedVersion]
        );
        assert_eq!(
            kinds("openapi: 3.1.0\ninfo: {title: t, version: '1'}\npaths: {}\n"),
            []
        );
        assert_eq!(
            kinds("swagger: '2.0'\ninfo: {title: t, version: '1'}\npaths: {}\n"),
            []
        );
        assert_eq!(kinds("info: {title: t}\n"), [NotOpenApi]);
        assert_eq!(
            kinds(&format!(
                "{HEAD}paths:\n  /a:\n    get:\n      responses: 12\n"
            )),
            [InvalidDocument]
        );
    }

    #[test]
    fn document_errors_have_kinds() {
        use DiagnosticKind::*;
        assert_eq!(
            kinds(&get_returning("{$ref: '#/components/schemas/Missing'}")),
            [UnresolvedRef]
        );
        assert_eq!(
            kinds(&get_returning("{$ref: 'other.yaml#/Pet'}")),
            [ExternalRef]
        );
        let twice = format!(
            "{HEAD}paths:\n  /a:\n    get:\n      operationId: same\n      responses: {{}}\n  /b:\n    get:\n      operationId: same\n      responses: {{}}\n"
        );
        assert_eq!(kinds(&twice), [DuplicateOperationId]);
    }

    #[test]
    fn warnings_have_kinds() {
        use DiagnosticKind::*;
        assert_eq!(
            kinds(&get_returning("{not: {type: string}}")),
            [Approximated]
        );
    }

    #[test]
    fn an_unresolved_ref_retries_on_the_normalised_document() {
        // A response that `$ref`s a schema does not resolve as a response: the retry repairs
        // it and says so.
        let source = format!(
            "{HEAD}paths:\n  /a:\n    get:\n      responses:\n        '200': {{$ref: '#/components/schemas/Pet'}}\ncomponents:\n  schemas:\n    Pet: {{type: object, properties: {{name: {{type: string}}}}}}\n"
        );
        assert_eq!(kinds(&source), [DiagnosticKind::Repaired]);
    }
}
