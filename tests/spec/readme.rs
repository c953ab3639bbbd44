//! The README's "Using the client" code is `generated/examples/readme.rs`, which `cargo test`
//! compiles: the README shows that file's code, line for line.

use std::path::Path;

fn read(relative: &str) -> String {
    let path = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("..")
        .join(relative);
    std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

/// The first fenced block that opens with `fence`, without its fences.
fn block<'a>(markdown: &'a str, fence: &str) -> &'a str {
    let start = markdown
        .find(fence)
        .unwrap_or_else(|| panic!("README.md has no {fence} block"))
        + fence.len();
    let end = markdown[start..]
        .find("\n```\n")
        .expect("the block is closed")
        + start
        + 1;
    &markdown[start..end]
}

#[test]
fn the_readme_shows_the_compiled_example() {
    let readme = read("README.md");
    let shown = block(&readme, "```rust,no_run\n");
    let example = read("generated/examples/readme.rs");
    // The example's code is everything after its leading `//!` doc lines and the blank line.
    let code = example
        .split_once("\n\n")
        .map(|(_, code)| code)
        .expect("a doc header, a blank line, then the code");
    assert_eq!(
        shown, code,
        "README.md's Using the client block must be generated/examples/readme.rs's code"
    );
}
