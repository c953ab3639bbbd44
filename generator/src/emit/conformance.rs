//! The conformance tests of one API: for every operation, a test that calls it with the
//! required arguments only, and (when it has optional parameters or an optional body) one
//! that sets everything, with the samples of `samples.rs`, against the mock server named by
//! `CONFORMANCE_BASE_URL`, decoding strictly. The tests are `#[ignore]`d: they need a mock
//! server that enforces the spec (`cargo xtask conformance` starts Prism and runs them).

use std::collections::BTreeMap;

use proc_macro2::TokenStream;
use quote::quote;

use super::{ident, lit, ty};
use crate::ir::{Api, Auth, BodyEncoding, Operation, ParamLocation, Type};
use crate::samples::OperationSamples;

/// The environment variable that names the mock server.
pub const BASE_URL_VARIABLE: &str = "CONFORMANCE_BASE_URL";

/// How a test's panic starts when no sample of an argument decodes as its type (the
/// harness counts these apart: nothing was sent).
pub const NO_SAMPLE: &str = "no sample decodes as its type";

/// The tests of `api`, whose module is at `api_path` (`distributions::buddy`, or a
/// standalone crate's name), its runtime at `runtime`.
pub fn conformance(
    api: &Api,
    samples: &BTreeMap<String, OperationSamples>,
    api_path: &[&str],
    runtime: &syn::Path,
) -> TokenStream {
    let client_path = path_tokens(api_path, "Client");
    let types: Vec<&str> = api_path.iter().copied().chain(["types"]).collect();
    let shared = (!api.shared_setters.is_empty()).then(|| {
        let params = path_tokens(&[api_path, &["calls"]].concat(), "params");
        quote!(#[allow(unused_imports)] use #params::*;)
    });
    let credentials = match &api.auth {
        Auth::None => quote!(),
        Auth::Basic => quote!(.basic_auth("conformance", "conformance")),
        _ => quote!(.token("conformance-token")),
    };
    let keys = api.keys.iter().map(|key| {
        let name = super::ident(&key.name);
        quote!(.api_key(#client_path::#name, "conformance-key"))
    });
    let credentials = quote!(#credentials #(#keys)*);
    let variable = lit(BASE_URL_VARIABLE);
    let no_sample = lit(&format!("{NO_SAMPLE}: {{:?}}"));
    let missing = lit(&format!(
        "{BASE_URL_VARIABLE} names the mock server (cargo xtask conformance starts one)"
    ));
    let tests = api
        .operations
        .iter()
        .filter_map(|op| Some((op, samples.get(&op.name)?)))
        .filter(|(op, _)| testable(op))
        .flat_map(|(op, s)| {
            let all = (op.setters().next().is_some() || op.body_setter())
                .then(|| test(op, s, true, &types));
            [Some(test(op, s, false, &types)), all]
        })
        .flatten();
    quote! {
        #shared

        /// A client for the mock server, decoding strictly.
        fn client() -> #client_path {
            let url = ::std::env::var(#variable).expect(#missing);
            #client_path::builder()
                .base_url(url)
                #credentials
                .decode_mode(#runtime::DecodeMode::Strict)
                .build()
                .expect("a client for the mock server")
        }

        /// A sample argument: the first candidate (the spec's example, then one built from
        /// its schema) that decodes strictly as its type.
        fn sample<T: #runtime::decode::Decode>(candidates: &[&str]) -> T {
            let mut first = ::std::option::Option::None;
            for json in candidates {
                match #runtime::decode::from_slice::<T>(json.as_bytes(), #runtime::DecodeMode::Strict) {
                    ::std::result::Result::Ok(decoded) => return decoded.value,
                    ::std::result::Result::Err(e) => {
                        first.get_or_insert(e);
                    }
                }
            }
            panic!(#no_sample, first)
        }

        /// Fails the test unless the call succeeded.
        fn check<T, E: ::std::fmt::Debug>(
            operation: &str,
            result: ::std::result::Result<#runtime::ResponseValue<T>, #runtime::Error<E>>,
        ) {
            if let ::std::result::Result::Err(e) = result {
                panic!("{operation}: {e}\n{e:?}");
            }
        }

        #( #tests )*
    }
}

/// Whether the operation's arguments can be made from JSON samples: not a binary or
/// multipart upload (their files are not JSON), and no file parameter.
fn testable(op: &Operation) -> bool {
    let body_ok = op
        .body
        .as_ref()
        .is_none_or(|b| !matches!(b.encoding, BodyEncoding::Binary | BodyEncoding::Multipart));
    body_ok
        && op
            .params
            .iter()
            .all(|p| !matches!(p.ty, Type::File | Type::Bytes))
}

/// One test: the required arguments, and with `all` every setter too.
fn test(op: &Operation, samples: &OperationSamples, all: bool, types: &[&str]) -> TokenStream {
    let name = ident(&format!(
        "{}_{}",
        op.name,
        if all { "all" } else { "required" }
    ));
    let method = ident(&op.name);
    // `&["candidate", ...]`: the samples to try in turn.
    let json = |values: Option<&Vec<serde_json::Value>>| {
        let texts: Vec<TokenStream> = match values {
            Some(values) if !values.is_empty() => {
                values.iter().map(|v| lit(&v.to_string())).collect()
            }
            _ => vec![lit("null")],
        };
        quote!(&[#( #texts ),*])
    };
    let mut lets = Vec::new();
    let mut args = Vec::new();
    let required = |p: &&crate::ir::Param| p.required;
    let path_params = op
        .params
        .iter()
        .filter(|p| p.location == ParamLocation::Path)
        .filter(required);
    let other_params = op
        .params
        .iter()
        .filter(|p| p.location != ParamLocation::Path)
        .filter(required);
    let mut argument = |local: &proc_macro2::Ident, t: &Type, by_ref: bool| {
        let rust = ty(t, types);
        lets.push((local.clone(), rust));
        args.push(if by_ref {
            quote!(&#local)
        } else {
            quote!(#local)
        });
    };
    let mut sources = Vec::new();
    for p in path_params {
        let local = ident(&format!("param_{}", p.name));
        argument(&local, &p.ty, by_ref(&p.ty));
        sources.push(json(samples.params.get(&p.name)));
    }
    let body = op.body.as_ref();
    let body_sample = samples
        .body
        .as_ref()
        .map(|(required, every)| if all { every } else { required });
    if let Some(b) = body.filter(|_| !op.body_setter()) {
        let local = ident("body");
        argument(
            &local,
            &b.ty,
            b.encoding == BodyEncoding::Text || by_ref(&b.ty),
        );
        sources.push(json(body_sample));
    }
    for p in other_params {
        let local = ident(&format!("param_{}", p.name));
        argument(&local, &p.ty, by_ref(&p.ty));
        sources.push(json(samples.params.get(&p.name)));
    }
    let lets = lets
        .iter()
        .zip(&sources)
        .map(|((local, rust), source)| quote!(let #local: #rust = sample(#source);));
    let setters = op.setters().filter(|_| all).map(|p| {
        let setter = ident(&p.name);
        let rust = ty(&p.ty, types);
        let source = json(samples.params.get(&p.name));
        quote!(let call = call.#setter(sample::<#rust>(#source));)
    });
    let body_setter = body.filter(|_| all && op.body_setter()).map(|b| {
        let rust = ty(&b.ty, types);
        let source = json(body_sample);
        quote! {
            let body: #rust = sample(#source);
            let call = call.body(&body);
        }
    });
    let label = lit(&format!("{} {}", op.method, op.path));
    quote! {
        #[::tokio::test]
        #[ignore = "needs a mock server that enforces the spec: cargo xtask conformance"]
        async fn #name() {
            let client = client();
            #( #lets )*
            let call = client.#method(#( #args ),*);
            #( #setters )*
            #body_setter
            check(#label, call.await);
        }
    }
}

/// Whether a method takes an argument of type `t` by reference (as `client::arg_type`
/// writes it: `&str`, `&[T]`, `&T`), rather than by value (numbers, `bool`).
fn by_ref(t: &Type) -> bool {
    !matches!(
        t,
        Type::Bool | Type::I32 | Type::I64 | Type::U64 | Type::F32 | Type::F64 | Type::Unit
    )
}

/// `a::b::last` as tokens.
fn path_tokens(segments: &[&str], last: &str) -> TokenStream {
    let idents = segments.iter().map(|s| ident(s)).chain([ident(last)]);
    quote!(#( #idents )::*)
}
