//! `cargo bench -p generator`: the generator's stages (load, lower, emit, format) on our two
//! specs and, when fetched by `bench/fetch.sh`, on Stripe's and GitHub's.
//!
//! Large specs are optional so that `cargo bench` works on a fresh clone; run
//! `bench/fetch.sh` first to include them.

use std::path::PathBuf;

/// The same allocator as the generator binary.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() {
    divan::main();
}

/// (display name, path) of every spec that is present.
fn specs() -> Vec<(&'static str, PathBuf)> {
    let root = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("..");
    let candidates = [
        ("buddy", root.join("spec/buddy.yaml")),
        ("pieces", root.join("spec/pieces.yaml")),
        ("stripe", root.join("bench/.cache/specs/stripe.com.json")),
        (
            "github",
            root.join("bench/.cache/specs/api.github.com.json"),
        ),
    ];
    candidates.into_iter().filter(|(_, p)| p.exists()).collect()
}

fn source(name: &str) -> (String, String) {
    let (_, path) = specs()
        .into_iter()
        .find(|(n, _)| *n == name)
        .unwrap_or_else(|| panic!("spec {name} is not present; run bench/fetch.sh"));
    let text = std::fs::read_to_string(&path).expect("spec is readable");
    (path.display().to_string(), text)
}

fn runtime_path() -> syn::Path {
    syn::parse_str("crate::runtime").expect("a path")
}

const ALL: &[&str] = &["buddy", "pieces", "stripe", "github"];

fn present(name: &&str) -> bool {
    specs().iter().any(|(n, _)| n == name)
}

fn args() -> Vec<&'static str> {
    ALL.iter().copied().filter(present).collect()
}

#[divan::bench(args = args(), sample_count = 5, sample_size = 1)]
fn load(bencher: divan::Bencher, name: &str) {
    let (file, text) = source(name);
    bencher.bench(|| generator::load::load(&file, &text).expect("loads"));
}

#[divan::bench(args = args(), sample_count = 5, sample_size = 1)]
fn lower(bencher: divan::Bencher, name: &str) {
    let (file, text) = source(name);
    let spec = generator::load::load(&file, &text).expect("loads");
    bencher.bench(|| {
        generator::validate::validate(&file, &spec).expect("valid");
        generator::lower::lower(&file, &spec, &generator::load::Origin::default()).expect("lowers")
    });
}

#[divan::bench(args = args(), sample_count = 5, sample_size = 1)]
fn emit(bencher: divan::Bencher, name: &str) {
    let (file, text) = source(name);
    let lowered = generator::analyze(&file, &text).expect("analyzes");
    bencher.bench(|| {
        let runtime = runtime_path();
        let types = generator::emit::types(&lowered.api, &runtime).expect("valid Rust");
        let client = generator::emit::client(&lowered.api, &runtime).expect("valid Rust");
        types.items.len() + client.items.len()
    });
}

#[divan::bench(args = args(), sample_count = 5, sample_size = 1)]
fn format(bencher: divan::Bencher, name: &str) {
    let (file, text) = source(name);
    let lowered = generator::analyze(&file, &text).expect("analyzes");
    bencher
        .with_inputs(|| generator::emit::types(&lowered.api, &runtime_path()))
        .bench_values(|tree| generator::format::tree(&file, tree).expect("formats"));
}

#[divan::bench(args = args(), sample_count = 5, sample_size = 1)]
fn whole(bencher: divan::Bencher, name: &str) {
    let (file, text) = source(name);
    let settings = generator::Settings::default();
    bencher.bench(|| generator::generate_module(&file, &text, &settings).expect("generates"));
}
