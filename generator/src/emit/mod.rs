//! Stage 4: IR → token streams, with `quote!`. No decisions about names or order are made
//! here: the IR already holds them.

mod client;
mod types;

use proc_macro2::{Ident, Span, TokenStream};
use quote::{quote, ToTokens};

use crate::ir::{Api, Type};

/// The body of the `types` module for `api`. `runtime` is the path of the runtime module as
/// seen from the generated code (e.g. `crate::runtime`).
pub fn types(api: &Api, runtime: &syn::Path) -> TokenStream {
    types::emit(api, runtime)
}

/// The body of the client module for `api`.
pub fn client(api: &Api, runtime: &syn::Path) -> TokenStream {
    client::emit(api, runtime)
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

/// The tokens of a type; named types are prefixed with `prefix` (e.g. `super::types::`).
pub(crate) fn ty(t: &Type, prefix: &TokenStream) -> TokenStream {
    match t {
        Type::String => quote!(::std::string::String),
        Type::Bool => quote!(bool),
        Type::I32 => quote!(i32),
        Type::I64 => quote!(i64),
        Type::U64 => quote!(u64),
        Type::F32 => quote!(f32),
        Type::F64 => quote!(f64),
        Type::Json => quote!(::serde_json::Value),
        Type::Bytes => quote!(::std::vec::Vec<u8>),
        Type::Unit => quote!(()),
        Type::Named(n) => {
            let n = ident(n);
            quote!(#prefix #n)
        }
        Type::Vec(inner) => {
            let inner = ty(inner, prefix);
            quote!(::std::vec::Vec<#inner>)
        }
        Type::Map(inner) => {
            let inner = ty(inner, prefix);
            quote!(::std::collections::BTreeMap<::std::string::String, #inner>)
        }
        Type::Option(inner) => {
            let inner = ty(inner, prefix);
            quote!(::std::option::Option<#inner>)
        }
        Type::Boxed(inner) => {
            let inner = ty(inner, prefix);
            quote!(::std::boxed::Box<#inner>)
        }
    }
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
