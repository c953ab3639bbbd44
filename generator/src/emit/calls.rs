//! The `calls` module: the API's `Call` (what every client method returns), and for each
//! operation whose call has setters or pages, its options type: the setters of its optional
//! parameters and body, and how its pages are walked.
//!
//! `Call` is a thin type of the generated crate around the runtime's, so that setters can be
//! its inherent methods (a crate cannot add methods to another crate's type). Setters are
//! generic (over the decoder, and over `impl Into<T>`), so rustc compiles only those a
//! program calls; so are the pagination functions (`#[inline]`). Every item still costs
//! rustc memory in the client crate's build, so a setter that several operations have alike
//! is written once, for the options types that implement its trait in `params`, and a
//! setter's body is one call of a helper of the module.

use proc_macro2::TokenStream;
use quote::quote;

use super::client::{body_arg_type, body_statement, query_style};
use super::{doc, ident, lit, ty, TYPES};
use crate::docs::lines;
use crate::ir::{
    Api, NextPage, Operation, Pagination, Paging, Param, ParamLocation, SharedSetter, Step, Type,
};
use crate::naming;

/// The options types of the operations `api.operations[range]` that have them.
pub fn options(api: &Api, runtime: &syn::Path, range: std::ops::Range<usize>) -> TokenStream {
    let items = api.operations[range]
        .iter()
        .filter_map(|op| operation_options(api, op, runtime));
    quote!(#( #items )*)
}

fn operation_options(api: &Api, op: &Operation, runtime: &syn::Path) -> Option<TokenStream> {
    let marker = ident(op.options.as_ref()?);
    let method = naming::unraw(&op.name);
    let marker_doc = format!(
        " The options of [`Client::{method}`](super::Client::{method}): the setters and pages of the [`Call`] it returns."
    );
    let setters: Vec<TokenStream> = op
        .setters()
        .filter(|p| p.shared.is_none())
        .map(|p| setter(p, runtime))
        .collect();
    let shared = op.setters().filter_map(|p| {
        let name = ident(p.shared.as_ref()?);
        let setter = shared_setter(api, p)?;
        // The description, where the operations' differ (else the setter has it).
        let docs = setter
            .doc
            .is_none()
            .then(|| doc(&p.doc.as_deref().map(lines).unwrap_or_default()));
        let associated = match (&p.ty, setter.ty.is_some()) {
            (_, true) => None,
            (Type::Vec(item), false) => {
                let item = ty(item, TYPES);
                Some(quote!(type Item = #item;))
            }
            (other, false) => {
                let t = ty(other, TYPES);
                Some(quote!(type Value = #t;))
            }
        };
        Some(quote! {
            #docs
            impl params::#name for #marker {
                #associated
            }
        })
    });
    let body = op.body.as_ref().filter(|_| op.body_setter()).map(|b| {
        let t = body_arg_type(b, runtime, TYPES);
        let set = body_statement(api, b);
        quote! {
            /// The request body (optional for this operation).
            pub fn body(mut self, body: #t) -> Self {
                let request = self.inner.request_mut();
                #set
                self
            }
        }
    });
    let setters_impl = (!setters.is_empty() || body.is_some()).then(|| {
        quote! {
            impl<D> Call<D, #marker> {
                #( #setters )*
                #body
            }
        }
    });
    let pages = op
        .pagination
        .as_ref()
        .map(|p| paginate_impl(op, p, &marker, runtime));
    Some(quote! {
        #[doc = #marker_doc]
        pub enum #marker {}
        #setters_impl
        #( #shared )*
        #pages
    })
}

fn shared_setter<'a>(api: &'a Api, p: &Param) -> Option<&'a SharedSetter> {
    let i = api
        .shared_setters
        .binary_search_by(|s| s.name.as_str().cmp(&p.name))
        .ok()?;
    Some(&api.shared_setters[i])
}

/// The shared setters: a trait each in `params`, and one generic setter each on `Call`.
fn shared_setters(api: &Api, runtime: &syn::Path) -> TokenStream {
    let traits = api.shared_setters.iter().map(|s| {
        let name = ident(&s.trait_name);
        let method = naming::unraw(&s.name);
        let doc = format!(
            " Implemented by the options types of the operations whose calls have [`Call::{method}`](super::Call::{method}), with the parameter's description for each where they differ."
        );
        let associated = match (&s.ty, s.array) {
            (Some(_), _) => None,
            (None, true) => Some(quote! {
                /// The type of the array's items for this operation.
                type Item: ::serde::Serialize;
            }),
            (None, false) => Some(quote! {
                /// The parameter's type for this operation.
                type Value: ::serde::Serialize;
            }),
        };
        quote! {
            #[doc = #doc]
            pub trait #name {
                #associated
            }
        }
    });
    let setters = api.shared_setters.iter().map(|s| {
        let trait_name = ident(&s.trait_name);
        let name = ident(&s.name);
        let (arg, value) = match (&s.ty, s.array) {
            (Some(Type::Vec(item)), _) => array_value(&name, ty(item, TYPES)),
            (Some(t), _) => scalar_value(&name, ty(t, TYPES)),
            (None, true) => array_value(&name, quote!(<O as params::#trait_name>::Item)),
            (None, false) => scalar_value(&name, quote!(<O as params::#trait_name>::Value)),
        };
        let set = set_call(&s.wire_name, s.location, s.style, &value, runtime);
        let mut docs = s.doc.as_deref().map(lines).unwrap_or_default();
        if !docs.is_empty() {
            docs.push(String::new());
        }
        docs.push(format!(
            "Sets the `{}` {} parameter (replacing an earlier value), for every operation whose options type implements [`params::{}`].",
            s.wire_name,
            s.location.name(),
            s.trait_name
        ));
        let docs = doc(&docs);
        quote! {
            impl<D, O: params::#trait_name> Call<D, O> {
                #docs
                pub fn #name(self, #name: #arg) -> Self {
                    #set
                }
            }
        }
    });
    quote! {
        /// The traits of the setters that several operations share.
        pub mod params {
            #( #traits )*
        }
        #( #setters )*
    }
}

/// The argument and the value to serialize of a setter of an array of `item`.
fn array_value(name: &proc_macro2::Ident, item: TokenStream) -> (TokenStream, TokenStream) {
    (
        quote!(impl ::std::iter::IntoIterator<Item = impl ::std::convert::Into<#item>>),
        quote!(&#name.into_iter().map(::std::convert::Into::into).collect::<::std::vec::Vec<#item>>()),
    )
}

/// The argument and the value to serialize of a setter of a `t`.
fn scalar_value(name: &proc_macro2::Ident, t: TokenStream) -> (TokenStream, TokenStream) {
    (
        quote!(impl ::std::convert::Into<#t>),
        quote!(&::std::convert::Into::<#t>::into(#name)),
    )
}

/// A setter's body: one call of the module's helper for the parameter's location.
fn set_call(
    wire: &str,
    location: ParamLocation,
    style: crate::ir::QueryStyle,
    value: &TokenStream,
    runtime: &syn::Path,
) -> TokenStream {
    let wire = lit(wire);
    match location {
        ParamLocation::Query => {
            let style = query_style(style);
            quote!(set_query(self, #wire, #value, #runtime::QueryStyle::#style))
        }
        ParamLocation::Header => quote!(set_header(self, #wire, #value)),
        ParamLocation::Cookie | ParamLocation::Path => quote!(set_cookie(self, #wire, #value)),
    }
}

/// The setter of an optional parameter: its value as `impl Into<T>` (an array's as any
/// iterable of such), the parameter's description as its doc.
fn setter(p: &Param, runtime: &syn::Path) -> TokenStream {
    let name = ident(&p.name);
    let where_ = p.location.name();
    let mut docs: Vec<String> = p.doc.as_deref().map(lines).unwrap_or_default();
    if !docs.is_empty() {
        docs.push(String::new());
    }
    docs.push(format!(
        "Sets the `{}` {where_} parameter (replacing an earlier value).",
        p.wire_name
    ));
    let docs = doc(&docs);
    let (arg, value) = match &p.ty {
        Type::Vec(item) => array_value(&name, ty(item, TYPES)),
        other => scalar_value(&name, ty(other, TYPES)),
    };
    // One call of a helper written once per module: a setter is an item per optional
    // parameter of the API (GitHub's: over a thousand), so each is kept small.
    let set = set_call(&p.wire_name, p.location, p.style, &value, runtime);
    quote! {
        #docs
        pub fn #name(self, #name: #arg) -> Self {
            #set
        }
    }
}

/// `Paginate` for a paginated operation's options type.
fn paginate_impl(
    op: &Operation,
    pagination: &Pagination,
    marker: &proc_macro2::Ident,
    runtime: &syn::Path,
) -> TokenStream {
    let page = ty(&op.success.ty, TYPES);
    let item = ty(&pagination.item, TYPES);
    let paging = match &pagination.paging {
        Paging::Link => quote!(#runtime::Paging::Link),
        Paging::NextUrl => quote!(#runtime::Paging::NextUrl),
        Paging::Cursor(param) => {
            let param = lit(param);
            quote!(#runtime::Paging::Cursor(#param))
        }
        Paging::Page { param, first } => {
            let param = lit(param);
            quote!(#runtime::Paging::Page { param: #param, first: #first })
        }
        Paging::Offset(param) => {
            let param = lit(param);
            quote!(#runtime::Paging::Offset(#param))
        }
    };
    // `next` and `count` only where the walk asks for them (the trait provides the rest).
    let none = quote!(return ::std::option::Option::None);
    let next = match &pagination.next {
        None => None,
        Some(NextPage::Field(steps)) => {
            let walk = walk_ref(steps, &none);
            let start = start(op, pagination, &none);
            Some(quote! {
                #start
                #walk
                ::std::option::Option::Some(::std::string::ToString::to_string(value))
            })
        }
        Some(NextPage::LastItemId { has_more, id }) => {
            let more = walk_ref(has_more, &none);
            let items = walk_ref(&pagination.items, &none);
            let id = walk_ref(std::slice::from_ref(id), &none);
            let page_start = unwrap_page(op, pagination, &none, quote!(page));
            Some(quote! {
                #page_start
                let more = {
                    let value = page;
                    #more
                    *value
                };
                if !more {
                    #none;
                }
                let value = page;
                #items
                let value = value.last()?;
                #id
                ::std::option::Option::Some(::std::string::ToString::to_string(value))
            })
        }
    };
    let next = next.map(|body| {
        quote! {
            #[inline]
            fn next(page: &Self::Page) -> ::std::option::Option<::std::string::String> {
                #body
            }
        }
    });
    let count = matches!(pagination.paging, Paging::Page { .. } | Paging::Offset(_)).then(|| {
        let walk = walk_ref(&pagination.items, &quote!(return 0));
        let start = start(op, pagination, &quote!(return 0));
        quote! {
            #[inline]
            fn count(page: &Self::Page) -> usize {
                #start
                #walk
                value.len()
            }
        }
    });
    let items = walk_value(&pagination.items);
    let items_start = start(op, pagination, &quote!(return ::std::vec::Vec::new()));
    quote! {
        impl #runtime::Paginate for #marker {
            type Page = #page;
            type Item = #item;
            const PAGING: #runtime::Paging = #paging;
            #next
            #count
            #[inline]
            fn items(page: Self::Page) -> ::std::vec::Vec<Self::Item> {
                #items_start
                #items
                value
            }
        }
    }
}

/// `value`, the page: the success itself, or its 2xx variant's content (another success
/// is `on_none`).
fn start(op: &Operation, pagination: &Pagination, on_none: &TokenStream) -> TokenStream {
    unwrap_page(op, pagination, on_none, quote!(value)).unwrap_or_else(|| quote!(let value = page;))
}

/// `binding` bound to the content of the 2xx variant of `page`, when the successes are an
/// enum (another success is `on_none`).
fn unwrap_page(
    op: &Operation,
    pagination: &Pagination,
    on_none: &TokenStream,
    binding: TokenStream,
) -> Option<TokenStream> {
    let (variant, name) = (pagination.variant.as_ref()?, op.success.enum_name.as_ref()?);
    let (name, variant) = (ident(name), ident(variant));
    Some(quote! {
        let super::types::#name::#variant(#binding) = page else { #on_none; };
    })
}

/// Statements walking the reference `value` down `steps`, through `Option`s (else
/// `on_none`) and `Box`es.
fn walk_ref(steps: &[Step], on_none: &TokenStream) -> TokenStream {
    let steps = steps.iter().map(|step| {
        let field = ident(&step.field);
        let unwrap = unwrap_ref(&step.ty, on_none);
        quote! {
            let value = &value.#field;
            #unwrap
        }
    });
    quote!(#( #steps )*)
}

fn unwrap_ref(t: &Type, on_none: &TokenStream) -> TokenStream {
    match t {
        Type::Option(inner) => {
            let inner = unwrap_ref(inner, on_none);
            quote! {
                let ::std::option::Option::Some(value) = value else { #on_none; };
                #inner
            }
        }
        Type::Boxed(inner) => {
            let inner = unwrap_ref(inner, on_none);
            quote! {
                let value = &**value;
                #inner
            }
        }
        _ => TokenStream::new(),
    }
}

/// Statements moving `value` down `steps` (an absent array is no items).
fn walk_value(steps: &[Step]) -> TokenStream {
    let steps = steps.iter().map(|step| {
        let field = ident(&step.field);
        let unwrap = unwrap_value(&step.ty);
        quote! {
            let value = value.#field;
            #unwrap
        }
    });
    quote!(#( #steps )*)
}

fn unwrap_value(t: &Type) -> TokenStream {
    match t {
        Type::Option(inner) => {
            let inner = unwrap_value(inner);
            quote! {
                let ::std::option::Option::Some(value) = value else { return ::std::vec::Vec::new(); };
                #inner
            }
        }
        Type::Boxed(inner) => {
            let inner = unwrap_value(inner);
            quote! {
                let value = *value;
                #inner
            }
        }
        _ => TokenStream::new(),
    }
}

/// The module's `Call`: the runtime's call, with the operation's options type `O` as a
/// second parameter that selects its setters and pages.
pub fn prelude(api: &Api, runtime: &syn::Path) -> TokenStream {
    let rt = super::path_string(runtime);
    let shared = shared_setters(api, runtime);
    let see = format!(" See [`runtime::Call`]({rt}::Call) for what each method does.");
    quote! {
        // The pagination functions walk a page with one `let` per step, the last returned.
        #![allow(clippy::type_complexity, clippy::let_and_return)]

        /// A request ready to send, returned by every method of [`Client`](super::Client):
        /// `.await` it (or [`send`](Call::send) it) for the documented, typed outcome.
        ///
        /// Before sending, optional parameters are set by name (`.per_page(50)`), each
        /// operation's own setters being methods of `Call<_, O>` for its options type `O` in
        /// this module; and any call can take a timeout, a retry policy or extra headers of
        /// its own, ask for another representation (`accept`), or return the body as it is
        /// (`bytes`, `text`, `stream`). A paginated operation's call walks its pages with
        /// `pages` and `items`.
        ///
        #[doc = #see]
        #[must_use = "a call does nothing until it is awaited"]
        pub struct Call<D, O = ()> {
            pub(super) inner: #runtime::Call<D>,
            pub(super) options: ::std::marker::PhantomData<fn() -> O>,
        }

        impl<D, O> ::std::fmt::Debug for Call<D, O> {
            fn fmt(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
                ::std::fmt::Debug::fmt(&self.inner, f)
            }
        }

        impl<T, E, D, O> Call<D, O>
        where
            D: ::std::ops::FnOnce(#runtime::Response) -> ::std::result::Result<#runtime::ResponseValue<T>, #runtime::Error<E>> + ::std::marker::Send + 'static,
            T: 'static,
            E: 'static,
        {
            /// Sends the call; the same as awaiting it.
            pub fn send(self) -> #runtime::CallFuture<T, E> {
                self.inner.send()
            }

            /// Asks for the representation `media` (sets `Accept`).
            pub fn accept(self, media: &str) -> Self {
                Call { inner: self.inner.accept(media), options: self.options }
            }

            /// Limits this call to `timeout` (each attempt), instead of the client's.
            pub fn timeout(self, timeout: ::std::time::Duration) -> Self {
                Call { inner: self.inner.timeout(timeout), options: self.options }
            }

            /// Retries this call as `policy` says, instead of the client's policy.
            pub fn retry(self, policy: #runtime::RetryPolicy) -> Self {
                Call { inner: self.inner.retry(policy), options: self.options }
            }

            /// Adds a header to this call, replacing a default header of the same name.
            pub fn header(self, name: &str, value: &str) -> Self {
                Call { inner: self.inner.header(name, value), options: self.options }
            }

            /// Sends the body as `media` (sets `Content-Type`).
            pub fn content_type(self, media: &str) -> Self {
                Call { inner: self.inner.content_type(media), options: self.options }
            }

            /// Sends the call and returns a success's body as bytes.
            pub fn bytes(self) -> impl ::std::future::Future<Output = ::std::result::Result<#runtime::ResponseValue<#runtime::Bytes>, #runtime::Error<E>>> + ::std::marker::Send {
                self.inner.bytes()
            }

            /// Sends the call and returns a success's body as text.
            pub fn text(self) -> impl ::std::future::Future<Output = ::std::result::Result<#runtime::ResponseValue<::std::string::String>, #runtime::Error<E>>> + ::std::marker::Send {
                self.inner.text()
            }

            /// Sends the call and returns a success's body as a stream.
            pub fn stream(self) -> impl ::std::future::Future<Output = ::std::result::Result<#runtime::ResponseValue<#runtime::ByteStream>, #runtime::Error<E>>> + ::std::marker::Send {
                self.inner.stream()
            }
        }

        impl<T, E, D, O> Call<D, O>
        where
            D: ::std::ops::FnOnce(#runtime::Response) -> ::std::result::Result<#runtime::ResponseValue<T>, #runtime::Error<E>> + ::std::clone::Clone + ::std::marker::Send + 'static,
            O: #runtime::Paginate<Page = T>,
            O::Item: ::std::marker::Send + 'static,
            T: ::std::marker::Send + 'static,
            E: ::std::marker::Send + 'static,
        {
            /// The pages of this paginated call, fetched one at a time as the stream is
            /// polled, each with this call's options; the first error ends it.
            pub fn pages(self) -> #runtime::Pages<T, E> {
                self.inner.pages::<O>()
            }

            /// The items of this paginated call's pages, one after another.
            pub fn items(self) -> #runtime::Items<O::Item, E> {
                self.inner.items::<O>()
            }
        }

        /// Sets query parameter `name` of `call` (what the setters do).
        #[allow(dead_code)]
        fn set_query<D, O, V: ::serde::Serialize + ?::std::marker::Sized>(mut call: Call<D, O>, name: &str, value: &V, style: #runtime::QueryStyle) -> Call<D, O> {
            call.inner.request_mut().set_query(name, value, style);
            call
        }

        /// Sets header `name` of `call`.
        #[allow(dead_code)]
        fn set_header<D, O, V: ::serde::Serialize + ?::std::marker::Sized>(mut call: Call<D, O>, name: &str, value: &V) -> Call<D, O> {
            call.inner.request_mut().header(name, value);
            call
        }

        /// Sets cookie `name` of `call`.
        #[allow(dead_code)]
        fn set_cookie<D, O, V: ::serde::Serialize + ?::std::marker::Sized>(mut call: Call<D, O>, name: &str, value: &V) -> Call<D, O> {
            call.inner.request_mut().cookie(name, value);
            call
        }

        #shared

        impl<T, E, D, O> ::std::future::IntoFuture for Call<D, O>
        where
            D: ::std::ops::FnOnce(#runtime::Response) -> ::std::result::Result<#runtime::ResponseValue<T>, #runtime::Error<E>> + ::std::marker::Send + 'static,
            T: 'static,
            E: 'static,
        {
            type Output = ::std::result::Result<#runtime::ResponseValue<T>, #runtime::Error<E>>;
            type IntoFuture = #runtime::CallFuture<T, E>;

            fn into_future(self) -> Self::IntoFuture {
                ::std::future::IntoFuture::into_future(self.inner)
            }
        }
    }
}
