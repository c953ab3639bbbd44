//! `cargo xtask mutate [--count N] [--check N] [--seed S]`: "what generates compiles", on
//! specs nobody wrote. Takes corpus specs (OpenAPI 3.0, under 2 MB), applies one to three
//! seeded structural mutations to each (the classes that broke generated code before:
//! schemas made of themselves through `$ref`, `allOf`, `oneOf`/`anyOf` of one, `nullable`,
//! arrays and maps; unions with themselves; and odd names, colliding names, conflicting
//! types, huge enums, deep nesting, dangling references, odd parameters, statuses and media
//! types), runs the release generator binary on each in its own process (a panic, a crash
//! or a hang is seen, not fatal: 60 s each at most), then `cargo check`s a sample of the
//! crates that generated, in one workspace under `bench/out/mutate/`.
//!
//! Writes `bench/mutation.md` (what a full run found) unless `--count` is below 1,000;
//! fails if any input panicked, crashed or hung, or a sampled crate does not compile.

use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::fs;
use std::path::Path;
use std::process::{Command, Stdio};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, Instant};

use serde_json::{json, Map, Value};

use crate::check;
use crate::corpus::{self, XorShift};
use crate::directory;

/// How a mutation run goes.
pub struct Options {
    /// Mutated specs to generate.
    pub count: usize,
    /// Of those that generate, how many crates to `cargo check`.
    pub check: usize,
    /// The seed of every choice.
    pub seed: u64,
}

/// The longest a generation may take before it counts as a hang.
const HANG: Duration = Duration::from_secs(60);

/// The largest spec mutated (the issue's corpus: the specs under 2 MB).
const MAX_BYTES: u64 = 2_000_000;

/// Names that collide with each other, with keywords and prelude types, or are not
/// identifiers.
const ODD_NAMES: &[&str] = &[
    "Self", "self", "type", "r#type", "crate", "super", "", "_", "1st", "Ä", "Client", "Call",
    "Result", "Option", "String", "Vec", "Box", "Error", "None", "types", "calls", "runtime",
    "a/b", "~1", "{id}", "x-y", "x_y", "X Y", "Default", "new", "body", "send", "items",
];

/// The mutations, by name (the report groups by it).
const MUTATIONS: &[&str] = &[
    "self-ref",
    "allof-pair",
    "oneof-self",
    "anyof-pair",
    "nullable-self",
    "array-of-self",
    "map-of-self",
    "union-with-self",
    "delete-schema",
    "rename-schema",
    "case-twin",
    "conflicting-type",
    "huge-enum",
    "deep-wrap",
    "odd-property",
    "odd-parameter",
    "odd-status",
    "ghost-required",
    "odd-media-type",
    "drop-type",
];

/// What happened to one mutated spec.
#[derive(Debug, Clone)]
enum Outcome {
    Generated,
    Refused(Refusal),
    /// The panic's first line.
    Panicked(String),
    /// The signal or exit code.
    Crashed(String),
    Hung,
}

/// Why the generator refused a spec: its first error.
#[derive(Debug, Clone)]
struct Refusal {
    /// The diagnostic's kind (`unresolved-ref`, `invalid-document`, ...).
    kind: String,
    message: String,
}

impl Outcome {
    /// For the report's list of failures.
    fn describe(&self) -> String {
        match self {
            Outcome::Generated => "generated".into(),
            Outcome::Refused(refusal) => format!("refused: {}", refusal.message),
            Outcome::Panicked(message) => format!("panicked: {message}"),
            Outcome::Crashed(how) => format!("crashed: {how}"),
            Outcome::Hung => "hung".into(),
        }
    }
}

/// One mutated spec to be: which corpus spec, and the mutations with their seeds.
struct Plan {
    index: usize,
    spec: usize,
    mutations: Vec<(&'static str, u64)>,
}

struct Case {
    index: usize,
    spec: String,
    mutations: Vec<&'static str>,
    outcome: Outcome,
    time: Duration,
}

pub fn run(root: &Path, options: &Options) -> Result<bool, String> {
    let api = directory::fetch(root)?;
    let mut specs = Vec::new();
    directory::list_specs(&api, &api, &mut specs);
    specs.sort();
    specs.retain(|(_, bytes)| *bytes <= MAX_BYTES);
    let sources: Vec<(String, Value)> = specs
        .iter()
        .filter_map(|(path, _)| {
            let text = fs::read_to_string(api.join(path)).ok()?;
            if !corpus::sniff_version(&text)?.starts_with("3.0") {
                return None;
            }
            let value: Value = if path.ends_with(".json") {
                serde_json::from_str(&text).ok()?
            } else {
                serde_yaml::from_str(&text).ok()?
            };
            Some((path.clone(), value))
        })
        .collect();
    if sources.is_empty() {
        return Err("no OpenAPI 3.0 specs under 2 MB in the corpus".into());
    }
    eprintln!("building the generator (release) …");
    let status = Command::new(std::env::var("CARGO").unwrap_or_else(|_| "cargo".into()))
        .args([
            "build",
            "--locked",
            "--release",
            "-p",
            "generator",
            "--quiet",
        ])
        .current_dir(root)
        .status()
        .map_err(|e| format!("cannot run cargo: {e}"))?;
    if !status.success() {
        return Err("building the generator failed".into());
    }
    let generator = root.join("target/release/generator");
    let work = root.join("bench/out/mutate");
    let _ = fs::remove_dir_all(&work);
    fs::create_dir_all(work.join("specs")).map_err(|e| e.to_string())?;
    fs::create_dir_all(work.join("scratch")).map_err(|e| e.to_string())?;

    // Which spec and which mutations, for every case, drawn up front from the seed.
    let mut rng = XorShift(options.seed | 1);
    let plans: Vec<Plan> = (0..options.count)
        .map(|index| {
            let spec = (rng.next() % sources.len() as u64) as usize;
            let how_many = 1 + rng.next() % 3;
            let mutations = (0..how_many)
                .map(|_| {
                    let m = MUTATIONS[(rng.next() % MUTATIONS.len() as u64) as usize];
                    (m, rng.next())
                })
                .collect();
            Plan {
                index,
                spec,
                mutations,
            }
        })
        .collect();
    let jobs = std::thread::available_parallelism()
        .map(|n| n.get())
        .unwrap_or(2);
    eprintln!(
        "generating {} mutated specs on {jobs} threads …",
        options.count
    );
    let start = Instant::now();
    let done = AtomicUsize::new(0);
    let cases = corpus::parallel(&plans, jobs, |plan| {
        let Plan {
            index,
            spec,
            mutations,
        } = plan;
        let (path, source) = &sources[*spec];
        let mut doc = source.clone();
        let applied: Vec<&'static str> = mutations
            .iter()
            .map(|(name, seed)| {
                mutate(&mut doc, name, &mut XorShift(*seed | 1));
                *name
            })
            .collect();
        let file = work.join("specs").join(format!("m{index}.json"));
        let out = work.join("scratch").join(format!("m{index}"));
        let (outcome, time) = match fs::write(&file, doc.to_string()) {
            Ok(()) => generate(&generator, &file, &out),
            Err(e) => (
                Outcome::Crashed(format!("cannot write the spec: {e}")),
                Duration::ZERO,
            ),
        };
        if !matches!(outcome, Outcome::Generated) {
            let _ = fs::remove_dir_all(&out);
        }
        let n = done.fetch_add(1, Ordering::SeqCst) + 1;
        if n.is_multiple_of(500) || n == options.count {
            eprintln!("  {n}/{}", options.count);
        }
        Case {
            index: *index,
            spec: path.clone(),
            mutations: applied,
            outcome,
            time,
        }
    });
    let generate_time = start.elapsed();

    // The sample: the first `check` generated cases in a seeded order.
    let mut generated: Vec<&Case> = cases
        .iter()
        .filter(|c| matches!(c.outcome, Outcome::Generated))
        .collect();
    let mut order = XorShift(options.seed.rotate_left(17) | 1);
    for i in (1..generated.len()).rev() {
        let j = (order.next() % (i as u64 + 1)) as usize;
        generated.swap(i, j);
    }
    let sample: Vec<&Case> = generated.into_iter().take(options.check).collect();
    let crates_dir = work.join("crates");
    fs::create_dir_all(&crates_dir).map_err(|e| e.to_string())?;
    let mut names = Vec::new();
    for case in &sample {
        let name = format!("m{}", case.index);
        fs::rename(work.join("scratch").join(&name), crates_dir.join(&name))
            .map_err(|e| format!("cannot keep {name}: {e}"))?;
        names.push(name);
    }
    let _ = fs::remove_dir_all(work.join("scratch"));
    let report = if names.is_empty() {
        None
    } else {
        eprintln!("checking {} crates …", names.len());
        check::write_workspace(root, &crates_dir, &names)?;
        Some(check::check_crates(&crates_dir, &names, None)?)
    };

    let (text, ok) = render(options, &cases, generate_time, &sample, report.as_ref());
    println!("{text}");
    if options.count >= 1_000 {
        let path = root.join("bench/mutation.md");
        fs::write(&path, &text).map_err(|e| format!("cannot write {}: {e}", path.display()))?;
        eprintln!("wrote {}", path.display());
    }
    Ok(ok)
}

/// Runs the generator binary on `spec`, writing the crate to `out`, within [`HANG`]. Its
/// messages go to a file beside the spec (a pipe nobody reads while it runs would fill up
/// and stop it).
fn generate(generator: &Path, spec: &Path, out: &Path) -> (Outcome, Duration) {
    let start = Instant::now();
    let log_path = spec.with_extension("log");
    let log = match fs::File::create(&log_path) {
        Ok(log) => log,
        Err(e) => {
            return (
                Outcome::Crashed(format!("cannot log: {e}")),
                start.elapsed(),
            )
        }
    };
    let child = Command::new(generator)
        .arg(spec)
        .arg("--out")
        .arg(out)
        .args(["--message-format", "json"])
        .stdout(Stdio::null())
        .stderr(log)
        .spawn();
    let mut child = match child {
        Ok(child) => child,
        Err(e) => {
            return (
                Outcome::Crashed(format!("cannot run: {e}")),
                start.elapsed(),
            )
        }
    };
    loop {
        match child.try_wait() {
            Ok(Some(_)) => break,
            Ok(None) if start.elapsed() > HANG => {
                let _ = child.kill();
                let _ = child.wait();
                return (Outcome::Hung, start.elapsed());
            }
            Ok(None) => std::thread::sleep(Duration::from_millis(5)),
            Err(e) => return (Outcome::Crashed(e.to_string()), start.elapsed()),
        }
    }
    let time = start.elapsed();
    let Ok(status) = child.wait() else {
        return (Outcome::Crashed("lost the process".into()), time);
    };
    let stderr = fs::read_to_string(&log_path).unwrap_or_default();
    let _ = fs::remove_file(&log_path);
    let first = |prefix: &str| {
        stderr
            .lines()
            .find(|l| l.starts_with(prefix))
            .unwrap_or_default()
            .chars()
            .take(300)
            .collect::<String>()
    };
    // The first error's kind and message, from the binary's JSON diagnostics.
    let reason = || {
        stderr
            .lines()
            .filter_map(|line| serde_json::from_str::<Value>(line).ok())
            .find(|d| d["level"] == "error")
            .map(|d| Refusal {
                kind: d["kind"].as_str().unwrap_or_default().to_string(),
                message: d["message"].as_str().unwrap_or_default().to_string(),
            })
            .unwrap_or_else(|| Refusal {
                kind: "unknown".into(),
                message: stderr.lines().next().unwrap_or_default().to_string(),
            })
    };
    let outcome = match status.code() {
        Some(0) => Outcome::Generated,
        Some(1) => Outcome::Refused(reason()),
        Some(101) => Outcome::Panicked(first("thread")),
        Some(code) => Outcome::Crashed(format!("exit code {code}")),
        None => {
            use std::os::unix::process::ExitStatusExt as _;
            Outcome::Crashed(format!("signal {}", status.signal().unwrap_or(0)))
        }
    };
    (outcome, time)
}

// ---- mutations ------------------------------------------------------------------------------

fn pick<'a, T>(items: &'a [T], rng: &mut XorShift) -> Option<&'a T> {
    if items.is_empty() {
        None
    } else {
        items.get((rng.next() % items.len() as u64) as usize)
    }
}

fn odd_name(rng: &mut XorShift) -> String {
    pick(ODD_NAMES, rng).copied().unwrap_or("Self").to_string()
}

fn schema_ref(name: &str) -> Value {
    json!({ "$ref": format!("#/components/schemas/{}", escape(name)) })
}

/// A JSON pointer segment.
fn escape(name: &str) -> String {
    name.replace('~', "~0").replace('/', "~1")
}

/// The component schemas (created empty if absent).
fn schemas(doc: &mut Value) -> Option<&mut Map<String, Value>> {
    let doc = doc.as_object_mut()?;
    let components = doc.entry("components").or_insert_with(|| json!({}));
    components
        .as_object_mut()?
        .entry("schemas")
        .or_insert_with(|| json!({}))
        .as_object_mut()
}

fn schema_names(doc: &mut Value) -> Vec<String> {
    schemas(doc)
        .map(|s| s.keys().cloned().collect())
        .unwrap_or_default()
}

/// Pointers of every object under `root` that has one of `keys`.
fn nodes_with(doc: &Value, keys: &[&str]) -> Vec<String> {
    let mut found = Vec::new();
    let mut stack = vec![(String::new(), doc)];
    while let Some((pointer, value)) = stack.pop() {
        match value {
            Value::Object(map) => {
                if keys.iter().any(|k| map.contains_key(*k)) {
                    found.push(pointer.clone());
                }
                for (k, v) in map {
                    stack.push((format!("{pointer}/{}", escape(k)), v));
                }
            }
            Value::Array(items) => {
                for (i, v) in items.iter().enumerate() {
                    stack.push((format!("{pointer}/{i}"), v));
                }
            }
            _ => {}
        }
    }
    found.sort();
    found
}

/// Applies the mutation `name` to `doc` (nothing when the document has nothing it applies
/// to).
fn mutate(doc: &mut Value, name: &str, rng: &mut XorShift) {
    let names = schema_names(doc);
    let one = pick(&names, rng)
        .cloned()
        .unwrap_or_else(|| "Mutant".into());
    let other = pick(&names, rng)
        .cloned()
        .unwrap_or_else(|| "Mutant2".into());
    let Some(schemas) = schemas(doc) else { return };
    match name {
        "self-ref" => {
            schemas.insert(one.clone(), schema_ref(&one));
        }
        "allof-pair" => {
            schemas.insert(one.clone(), json!({ "allOf": [schema_ref(&other)] }));
            schemas.insert(other.clone(), json!({ "allOf": [schema_ref(&one)] }));
        }
        "oneof-self" => {
            schemas.insert(one.clone(), json!({ "oneOf": [schema_ref(&one)] }));
        }
        "anyof-pair" => {
            schemas.insert(one.clone(), json!({ "anyOf": [schema_ref(&other)] }));
            schemas.insert(other.clone(), json!({ "anyOf": [schema_ref(&one)] }));
        }
        "nullable-self" => {
            schemas.insert(
                one.clone(),
                json!({ "nullable": true, "allOf": [schema_ref(&one)] }),
            );
        }
        "array-of-self" => {
            schemas.insert(
                one.clone(),
                json!({ "type": "array", "items": schema_ref(&one) }),
            );
        }
        "map-of-self" => {
            schemas.insert(
                one.clone(),
                json!({ "type": "object", "additionalProperties": schema_ref(&one) }),
            );
        }
        "union-with-self" => {
            let original = schemas
                .get(&one)
                .cloned()
                .unwrap_or(json!({ "type": "string" }));
            schemas.insert(
                one.clone(),
                json!({ "oneOf": [schema_ref(&one), original] }),
            );
        }
        "delete-schema" => {
            schemas.remove(&one);
        }
        "rename-schema" => {
            if let Some(schema) = schemas.remove(&one) {
                let new = odd_name(rng);
                schemas.insert(new.clone(), schema);
                let from = format!("#/components/schemas/{}", escape(&one));
                let to = format!("#/components/schemas/{}", escape(&new));
                rewrite_refs(doc, &from, &to);
            }
        }
        "case-twin" => {
            if let Some(schema) = schemas.get(&one).cloned() {
                let mut twin = match rng.next() % 3 {
                    0 => one.to_uppercase(),
                    1 => one.to_lowercase(),
                    _ => one.replace(['_', '-'], "."),
                };
                if twin == one {
                    twin.push('_');
                }
                schemas.insert(twin, schema);
            }
        }
        _ => mutate_node(doc, name, rng),
    }
}

/// The mutations of one node anywhere in the document.
fn mutate_node(doc: &mut Value, name: &str, rng: &mut XorShift) {
    let keys: &[&str] = match name {
        "odd-parameter" => &["in"],
        "odd-status" => &["responses"],
        "odd-media-type" => &["content"],
        "odd-property" | "ghost-required" => &["properties"],
        "drop-type" | "conflicting-type" => &["type"],
        _ => &[
            "type",
            "properties",
            "$ref",
            "allOf",
            "oneOf",
            "anyOf",
            "items",
        ],
    };
    let pointers = nodes_with(doc, keys);
    let Some(pointer) = pick(&pointers, rng).cloned() else {
        return;
    };
    let Some(Value::Object(node)) = doc.pointer_mut(&pointer) else {
        return;
    };
    match name {
        "conflicting-type" => {
            let ty = pick(
                &[
                    "string", "integer", "object", "array", "boolean", "number", "null",
                ],
                rng,
            )
            .copied()
            .unwrap_or("string");
            node.insert("type".into(), json!(ty));
        }
        "huge-enum" => {
            let values: Vec<Value> = (0..5_000)
                .map(|i| match i % 5 {
                    0 => json!(format!("value-{i}")),
                    1 => json!(format!("value_{}", i - 1)),
                    2 => json!(format!("Value {}", i - 2)),
                    3 => json!(odd_name(rng)),
                    _ => json!(""),
                })
                .collect();
            node.clear();
            node.insert("type".into(), json!("string"));
            node.insert("enum".into(), Value::Array(values));
        }
        "deep-wrap" => {
            let mut value = Value::Object(std::mem::take(node));
            let depth = 10 + rng.next() % 40;
            for level in 0..depth {
                value = if level % 2 == 0 {
                    json!({ "type": "array", "items": value })
                } else {
                    json!({ "type": "object", "properties": { "p": value } })
                };
            }
            if let Value::Object(wrapped) = value {
                *node = wrapped;
            }
        }
        "odd-property" => {
            if let Some(Value::Object(properties)) = node.get_mut("properties") {
                let keys: Vec<String> = properties.keys().cloned().collect();
                if let Some(key) = pick(&keys, rng) {
                    if let Some(value) = properties.remove(key) {
                        properties.insert(odd_name(rng), value);
                    }
                }
            }
        }
        "ghost-required" => {
            let ghost = odd_name(rng);
            match node.get_mut("required") {
                Some(Value::Array(required)) => required.push(json!(ghost)),
                _ => {
                    node.insert("required".into(), json!([ghost]));
                }
            }
        }
        "odd-parameter" => {
            let location = pick(&["path", "query", "header", "cookie", "body"], rng)
                .copied()
                .unwrap_or("query");
            node.insert("in".into(), json!(location));
            let style = pick(
                &[
                    "form",
                    "simple",
                    "label",
                    "matrix",
                    "spaceDelimited",
                    "pipeDelimited",
                    "deepObject",
                ],
                rng,
            )
            .copied()
            .unwrap_or("form");
            node.insert("style".into(), json!(style));
            node.insert("explode".into(), json!(rng.next().is_multiple_of(2)));
        }
        "odd-status" => {
            if let Some(Value::Object(responses)) = node.get_mut("responses") {
                let keys: Vec<String> = responses.keys().cloned().collect();
                if let Some(key) = pick(&keys, rng) {
                    if let Some(value) = responses.remove(key) {
                        let status =
                            pick(&["2XX", "default", "299", "999", "1XX", "304", "abc"], rng)
                                .copied()
                                .unwrap_or("default");
                        responses.insert(status.to_string(), value);
                    }
                }
            }
        }
        "odd-media-type" => {
            if let Some(Value::Object(content)) = node.get_mut("content") {
                let keys: Vec<String> = content.keys().cloned().collect();
                if let Some(key) = pick(&keys, rng) {
                    if let Some(value) = content.remove(key) {
                        let media = pick(
                            &[
                                "application/vnd.github.v3+json",
                                "text/event-stream",
                                "multipart/form-data",
                                "application/x-www-form-urlencoded",
                                "*/*",
                                "application/octet-stream",
                                "text/plain; charset=utf-8",
                                "application/xml",
                            ],
                            rng,
                        )
                        .copied()
                        .unwrap_or("*/*");
                        content.insert(media.to_string(), value);
                    }
                }
            }
        }
        "drop-type" => {
            node.remove("type");
        }
        _ => {}
    }
}

/// Replaces every `$ref` equal to `from` by `to`.
fn rewrite_refs(doc: &mut Value, from: &str, to: &str) {
    match doc {
        Value::Object(map) => {
            for (key, value) in map.iter_mut() {
                if key == "$ref" && value.as_str() == Some(from) {
                    *value = json!(to);
                } else {
                    rewrite_refs(value, from, to);
                }
            }
        }
        Value::Array(items) => items.iter_mut().for_each(|v| rewrite_refs(v, from, to)),
        _ => {}
    }
}

// ---- the report -----------------------------------------------------------------------------

fn render(
    options: &Options,
    cases: &[Case],
    generate_time: Duration,
    sample: &[&Case],
    report: Option<&check::CheckReport>,
) -> (String, bool) {
    let mut md = String::new();
    let count = |f: &dyn Fn(&Outcome) -> bool| cases.iter().filter(|c| f(&c.outcome)).count();
    let generated = count(&|o| matches!(o, Outcome::Generated));
    let refused = count(&|o| matches!(o, Outcome::Refused(_)));
    let panicked = count(&|o| matches!(o, Outcome::Panicked(_)));
    let crashed = count(&|o| matches!(o, Outcome::Crashed(_)));
    let hung = count(&|o| matches!(o, Outcome::Hung));
    let slowest = cases.iter().map(|c| c.time).max().unwrap_or_default();
    let _ = writeln!(md, "# Mutated corpus specs\n");
    let _ = writeln!(
        md,
        "Written by `cargo xtask mutate --count {} --check {} --seed {}` (see `xtask/src/mutate.rs` \
         for the mutations). Each spec is a corpus spec (OpenAPI 3.0, under 2 MB) with one to \
         three mutations, generated by the release binary in its own process.\n",
        options.count, options.check, options.seed
    );
    let _ = writeln!(md, "| | specs |\n|---|---:|");
    let _ = writeln!(md, "| mutated | {} |", cases.len());
    let _ = writeln!(md, "| generated | {generated} |");
    let _ = writeln!(md, "| refused with an error | {refused} |");
    let _ = writeln!(md, "| panicked | {panicked} |");
    let _ = writeln!(md, "| crashed | {crashed} |");
    let _ = writeln!(md, "| hung (over {} s) | {hung} |", HANG.as_secs());
    let _ = writeln!(
        md,
        "\nGeneration: {:.0} s in all, the slowest spec {:.1} s.\n",
        generate_time.as_secs_f64(),
        slowest.as_secs_f64()
    );
    let _ = writeln!(
        md,
        "## By mutation\n\n| mutation | applied | generated | refused |\n|---|---:|---:|---:|"
    );
    for name in MUTATIONS {
        let with: Vec<&Case> = cases
            .iter()
            .filter(|c| c.mutations.contains(name))
            .collect();
        let generated = with
            .iter()
            .filter(|c| matches!(c.outcome, Outcome::Generated))
            .count();
        let refused = with
            .iter()
            .filter(|c| matches!(c.outcome, Outcome::Refused(_)))
            .count();
        let _ = writeln!(md, "| {name} | {} | {generated} | {refused} |", with.len());
    }
    // By the first error's kind, with the first message of each as an example.
    let mut reasons: BTreeMap<&str, (usize, &str)> = BTreeMap::new();
    for case in cases {
        if let Outcome::Refused(refusal) = &case.outcome {
            reasons
                .entry(&refusal.kind)
                .or_insert((0, &refusal.message))
                .0 += 1;
        }
    }
    let mut reasons: Vec<(&str, (usize, &str))> = reasons.into_iter().collect();
    reasons.sort_by(|a, b| b.1 .0.cmp(&a.1 .0).then(a.0.cmp(b.0)));
    let _ = writeln!(
        md,
        "\n## Why specs were refused\n\nBy the kind of the first error, with an example.\n\n| kind | specs | example |\n|---|---:|---|"
    );
    for (kind, (n, example)) in &reasons {
        let example: String = example.chars().take(120).collect();
        let _ = writeln!(md, "| {kind} | {n} | {} |", example.replace('|', "\\|"));
    }
    let bad: Vec<&Case> = cases
        .iter()
        .filter(|c| {
            matches!(
                c.outcome,
                Outcome::Panicked(_) | Outcome::Crashed(_) | Outcome::Hung
            )
        })
        .collect();
    if !bad.is_empty() {
        let _ = writeln!(md, "\n## Panics, crashes and hangs\n");
        for case in bad.iter().take(30) {
            let _ = writeln!(
                md,
                "- `m{}` ({}, {}): {}",
                case.index,
                case.spec,
                case.mutations.join(" + "),
                case.outcome.describe()
            );
        }
    }
    let mut ok = bad.is_empty();
    if let Some(report) = report {
        let failed: Vec<(&String, &Vec<(check::CompileError, String)>)> = report
            .per_crate
            .iter()
            .filter(|(_, e)| !e.is_empty())
            .collect();
        let compiled = report.per_crate.len() - failed.len();
        let _ = writeln!(
            md,
            "\n## Compiling a sample\n\n{compiled} of {} sampled crates compile ({:.1}%), checked in {:.0} s{}.",
            sample.len(),
            100.0 * compiled as f64 / sample.len().max(1) as f64,
            report.time.as_secs_f64(),
            if report.fresh_target { " (dependencies built first)" } else { "" }
        );
        for (name, errors) in &failed {
            let case = sample.iter().find(|c| format!("m{}", c.index) == **name);
            let what = case
                .map(|c| format!("{}, {}", c.spec, c.mutations.join(" + ")))
                .unwrap_or_default();
            let _ = writeln!(md, "\n### `{name}` ({what})\n\n```text");
            for (_, rendered) in errors.iter().take(3) {
                let _ = writeln!(md, "{rendered}");
            }
            let _ = writeln!(md, "```");
        }
        ok &= failed.is_empty();
    }
    (md, ok)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn doc() -> Value {
        json!({
            "openapi": "3.0.3",
            "paths": {"/a": {"get": {
                "parameters": [{"name": "q", "in": "query", "schema": {"type": "string"}}],
                "responses": {"200": {"description": "ok", "content": {"application/json": {
                    "schema": {"$ref": "#/components/schemas/A"}}}}}}}},
            "components": {"schemas": {
                "A": {"type": "object", "properties": {"b": {"$ref": "#/components/schemas/B"}}},
                "B": {"type": "string"}
            }}
        })
    }

    #[test]
    fn every_mutation_changes_the_document_and_is_deterministic() {
        for name in MUTATIONS {
            let mut once = doc();
            mutate(&mut once, name, &mut XorShift(7));
            let mut twice = doc();
            mutate(&mut twice, name, &mut XorShift(7));
            assert_eq!(once, twice, "{name}");
            assert_ne!(once, doc(), "{name} changed nothing");
        }
    }

    #[test]
    fn renaming_a_schema_follows_its_references() {
        let mut d = doc();
        rewrite_refs(
            &mut d,
            "#/components/schemas/B",
            "#/components/schemas/C~1D",
        );
        assert_eq!(
            d["components"]["schemas"]["A"]["properties"]["b"]["$ref"],
            "#/components/schemas/C~1D"
        );
    }
}
