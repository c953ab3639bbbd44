//! Stage 4: IR → syntax trees: written with `quote!` and parsed by syn, except the
//! per-field parts of structs, which `syntax` builds directly. No decisions about names
//! or order are made here: the IR already holds them.

mod calls;
mod client;
mod conformance;
mod syntax;
mod types;

use proc_macro2::{Ident, Span, TokenStream};
use quote::{quote, ToTokens};

use crate::ir::{Api, Type};

pub use conformance::{conformance, BASE_URL_VARIABLE, NO_SAMPLE};

/// One independently formatted piece of a generated module. Big modules are split into
/// many parts so that formatting (the costliest stage) runs on every core and never holds a
/// whole module's syntax tree in memory; the parts' texts are concatenated in order.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Part {
    /// `types`: inner attributes.
    TypesPrelude,
    /// `types`: the named types in this range of `Api::types`.
    Types(std::ops::Range<usize>),
    /// `types`: the enums over response statuses.
    Outcomes,
    /// client: attributes, `Client`, constructors.
    ClientPrelude,
    /// client: an `impl Client` block for this range of `Api::operations`.
    Operations(std::ops::Range<usize>),
    /// `calls`: attributes and `Call`.
    CallsPrelude,
    /// `calls`: the options types of this range of `Api::operations`.
    Calls(std::ops::Range<usize>),
}

/// Types per part, and operations per part. Small type parts keep each thread's tokens and
/// syntax tree small (GitHub's spec: 190 → 165 MB peak, and faster); operation parts stay
/// large because each is its own `impl Client` block for rustc to check.
const TYPES_PER_PART: usize = 16;

/// Where the client and `calls` modules find the named types.
const TYPES: &[&str] = &["super", "types"];
const OPERATIONS_PER_PART: usize = 100;

fn chunks(len: usize, size: usize) -> impl Iterator<Item = std::ops::Range<usize>> {
    (0..len)
        .step_by(size)
        .map(move |start| start..(start + size).min(len))
}

/// The parts of the `types` module, in order.
pub fn types_parts(api: &Api) -> Vec<Part> {
    let mut parts = vec![Part::TypesPrelude];
    parts.extend(chunks(api.types.len(), TYPES_PER_PART).map(Part::Types));
    parts.push(Part::Outcomes);
    parts
}

/// The parts of the client module, in order.
pub fn client_parts(api: &Api) -> Vec<Part> {
    let mut parts = vec![Part::ClientPrelude];
    parts.extend(chunks(api.operations.len(), OPERATIONS_PER_PART).map(Part::Operations));
    parts
}

/// The parts of the `calls` module, in order.
pub fn calls_parts(api: &Api) -> Vec<Part> {
    let mut parts = vec![Part::CallsPrelude];
    parts.extend(chunks(api.operations.len(), OPERATIONS_PER_PART).map(Part::Calls));
    parts
}

/// The syntax tree of one part. `runtime` is the path of the runtime module as seen from
/// the generated code (e.g. `crate::runtime`). An error means the generator wrote invalid
/// Rust: a bug.
pub fn part(api: &Api, runtime: &syn::Path, part: &Part) -> syn::Result<syn::File> {
    let tokens = match part {
        Part::TypesPrelude => types::prelude(api, runtime),
        Part::Types(range) => {
            return Ok(syn::File {
                shebang: None,
                attrs: Vec::new(),
                items: types::defs(api, runtime, range.clone())?,
            })
        }
        Part::Outcomes => types::outcomes(api),
        Part::ClientPrelude => client::prelude(api, runtime),
        Part::Operations(range) => client::operations(api, runtime, range.clone()),
        Part::CallsPrelude => calls::prelude(api, runtime),
        Part::Calls(range) => calls::options(api, runtime, range.clone()),
    };
    syn::parse2(tokens)
}

/// The whole body of the `types` module.
pub fn types(api: &Api, runtime: &syn::Path) -> syn::Result<syn::File> {
    whole(api, runtime, &types_parts(api))
}

/// The whole body of the client module.
pub fn client(api: &Api, runtime: &syn::Path) -> syn::Result<syn::File> {
    whole(api, runtime, &client_parts(api))
}

/// The whole body of the `calls` module.
pub fn calls(api: &Api, runtime: &syn::Path) -> syn::Result<syn::File> {
    whole(api, runtime, &calls_parts(api))
}

fn whole(api: &Api, runtime: &syn::Path, parts: &[Part]) -> syn::Result<syn::File> {
    let mut file = syn::File {
        shebang: None,
        attrs: Vec::new(),
        items: Vec::new(),
    };
    for p in parts {
        let parsed = part(api, runtime, p)?;
        file.attrs.extend(parsed.attrs);
        file.items.extend(parsed.items);
    }
    Ok(file)
}

/// An identifier from a name decided by [`crate::naming`] (possibly raw).
pub(crate) fn ident(name: &str) -> Ident {
    match name.strip_prefix("r#") {
        Some(raw) => Ident::new_raw(raw, Span::call_site()),
        None => Ident::new(name, Span::call_site()),
    }
}

/// One `#[doc = "..."]` per line, so prettyplease prints `///` comments.
pub(crate) fn doc(lines: &[String]) -> TokenStream {
    let lines = lines.iter().map(|l| format!(" {l}"));
    quote! { #( #[doc = #lines] )* }
}

/// The tokens of a type; named types are qualified with the `module` path (e.g.
/// `["super", "types"]`, or nothing inside the `types` module). Spelled once, by
/// [`syntax::rust_type`].
pub(crate) fn ty(t: &Type, module: &[&str]) -> TokenStream {
    syntax::rust_type(t, module).to_token_stream()
}

/// A string literal token.
pub(crate) fn lit(s: &str) -> TokenStream {
    syn::LitStr::new(s, Span::call_site()).to_token_stream()
}

/// A path as compact text (`::a::b`), for places that take a path inside a string, such as
/// serde's `deserialize_with` and rustdoc links.
pub(crate) fn path_string(path: &syn::Path) -> String {
    let mut out = String::new();
    if path.leading_colon.is_some() {
        out.push_str("::");
    }
    let segments: Vec<String> = path.segments.iter().map(|s| s.ident.to_string()).collect();
    out.push_str(&segments.join("::"));
    out
}
