//! Stage 5: tokens → formatted Rust text with prettyplease (deterministic, no rustfmt needed).

use proc_macro2::TokenStream;

use crate::error::{Diagnostic, DiagnosticKind, Error};

/// Formats `tokens` as a Rust file that starts with `header` (a `//` comment line).
pub fn format(file: &str, header: &str, tokens: TokenStream) -> Result<String, Error> {
    let body = body(file, tokens)?;
    let mut out = String::with_capacity(header.len() + body.len() + 2);
    out.push_str(header);
    out.push('\n');
    out.push_str(&body);
    Ok(out)
}

/// Formats `tokens` (a sequence of items, possibly led by inner attributes) without a
/// header. The texts of consecutive parts concatenate to the text of the whole.
pub fn body(file: &str, tokens: TokenStream) -> Result<String, Error> {
    tree(file, syn::parse2(tokens))
}

/// Formats a syntax tree from the emit stage, without a header; `Err` (the generator wrote
/// invalid Rust) becomes an internal-error diagnostic.
pub fn tree(file: &str, parsed: syn::Result<syn::File>) -> Result<String, Error> {
    let parsed = parsed.map_err(|e| invalid_rust(file, &e))?;
    Ok(prettyplease::unparse(&parsed))
}

/// The diagnostic for emitted code that does not parse: a generator bug.
pub fn invalid_rust(file: &str, e: &syn::Error) -> Error {
    Error::one(Diagnostic::new(
        DiagnosticKind::Internal,
        file,
        "",
        format!("internal error: the generator produced invalid Rust ({e}); please report this with the spec"),
    ))
}
