//! The client module: `Client`, its constructors, and one method per operation. Each method
//! takes the required parameters, assembles a `Request` and returns it, with its match on
//! the status (a closure), as the module's `Call` (see `calls`), on which the optional
//! parameters are set: transport, retries and decoding live once in the runtime, and no
//! method is an `async fn` of its own (a state machine per operation is most of what rustc
//! spends on a big client).

use proc_macro2::TokenStream;
use quote::quote;

use super::{doc, ident, lit, ty, TYPES};
use crate::ir::{
    Api, Auth, Body, BodyEncoding, Decode, Operation, Outcome, Param, ParamLocation, PathPart,
    QueryStyle, ResponseCase, Server, StatusMatch, Type, TypeKind,
};

/// `impl Client` blocks for the operations `api.operations[range]`. Big APIs get several
/// blocks, so each can be formatted on its own core.
pub fn operations(api: &Api, runtime: &syn::Path, range: std::ops::Range<usize>) -> TokenStream {
    let methods = api.operations[range]
        .iter()
        .map(|op| operation(api, op, runtime, TYPES));
    quote! {
        impl Client {
            #( #methods )*
        }
    }
}

/// The module's attributes, the `Client` struct, its constructors and `FromTransport`.
pub fn prelude(api: &Api, runtime: &syn::Path) -> TokenStream {
    let scheme = auth_scheme(&api.auth, runtime);
    let auth_doc = match &api.auth {
        Auth::None => "The API declares no authentication.".to_string(),
        Auth::Bearer => "Authenticates with `Authorization: Bearer <token>`.".to_string(),
        Auth::Basic => "Authenticates with `Authorization: Basic <token>` (the token is the base64 of `user:password`).".to_string(),
        key @ (Auth::ApiKeyHeader(_) | Auth::ApiKeyQuery(_) | Auth::ApiKeyCookie(_)) => {
            format!("Authenticates with the API key {}.", place(key))
        }
    };
    // An absolute URL is a link; a relative one (`/api`, Swagger 2.0's basePath without a
    // host) is code, as `<…>` would be read as an HTML tag.
    let servers_doc: Vec<String> = api
        .servers
        .iter()
        .map(|s| {
            if s.contains("://") {
                format!("- <{s}>")
            } else {
                format!("- `{s}`")
            }
        })
        .collect();
    let servers_doc = if servers_doc.is_empty() {
        vec!["The spec names no server: set one with `base_url`.".to_string()]
    } else {
        let mut lines = vec!["Servers named by the spec (the first is the default):".to_string()];
        lines.extend(servers_doc);
        lines
    };
    let servers_doc = doc(&servers_doc);
    // A first server with variables is passed as its template, with the defaults, so that
    // the builder can set them.
    let (default_base, variables) = match (&api.default_server, &api.default_base_url) {
        (Some(server), _) => {
            let url = lit(&server.url);
            let defaults = server_defaults(server);
            (
                quote!(::std::option::Option::Some(#url)),
                Some(quote!(.server_defaults(#defaults))),
            )
        }
        (None, Some(url)) => (quote!(::std::option::Option::Some(#url)), None),
        (None, None) => (quote!(::std::option::Option::None), None),
    };
    let has_auth = api.auth != Auth::None;
    let new_fn = match (&api.default_base_url, has_auth) {
        (Some(_), true) => quote! {
            /// A client for the default server, authenticated with `token`.
            pub fn new(token: impl ::std::convert::Into<::std::string::String>) -> ::std::result::Result<Self, #runtime::BuildError> {
                Self::builder().token(token).build()
            }
        },
        (Some(_), false) => quote! {
            /// A client for the default server.
            pub fn new() -> ::std::result::Result<Self, #runtime::BuildError> {
                Self::builder().build()
            }
        },
        (None, true) => quote! {
            /// A client for the server at `base_url`, authenticated with `token`.
            pub fn new(base_url: &str, token: impl ::std::convert::Into<::std::string::String>) -> ::std::result::Result<Self, #runtime::BuildError> {
                Self::builder().base_url(base_url).token(token).build()
            }
        },
        (None, false) => quote! {
            /// A client for the server at `base_url`.
            pub fn new(base_url: &str) -> ::std::result::Result<Self, #runtime::BuildError> {
                Self::builder().base_url(base_url).build()
            }
        },
    };
    let mut auth_doc = vec![auth_doc];
    if !api.keys.is_empty() {
        auth_doc.push(String::new());
        auth_doc.push(
            "The spec requires these API keys with it, each set on the builder with \
             `api_key`:"
                .to_string(),
        );
        for key in &api.keys {
            auth_doc.push(format!(
                "- [`Client::{}`]: `{}`, {}",
                key.name,
                key.scheme,
                place(&key.auth)
            ));
        }
    }
    let auth_doc = doc(&auth_doc);
    let keys = api.keys.iter().map(|key| {
        let name = ident(&key.name);
        let scheme = auth_scheme(&key.auth, runtime);
        let text = format!(
            " The `{}` API key, {}, which the spec requires with the token: \
             `Client::builder().token(token).api_key(Client::{}, key)`.",
            key.scheme,
            place(&key.auth),
            key.name
        );
        quote! {
            #[doc = #text]
            pub const #name: #runtime::AuthScheme = #scheme;
        }
    });
    let invalid_doc = format!(
        " [`Error::InvalidRequest`]({}::Error::InvalidRequest), with nothing sent.",
        super::path_string(runtime)
    );
    let builder_doc = format!(
        " retry policy. See [`ClientBuilder`]({}::ClientBuilder).",
        super::path_string(runtime)
    );
    let call_doc = " (see [`Call`](super::Call)).";
    let mode_doc = format!(
        " [`ClientBuilder::decode_mode`]({}::ClientBuilder::decode_mode).",
        super::path_string(runtime)
    );
    quote! {
        #![allow(clippy::type_complexity)]

        /// The API client: cheap to clone, safe to share between tasks.
        ///
        /// Each method takes the operation's required parameters (and body), assembles its
        /// request at once, borrowing its arguments only while it runs, and returns a call
        /// that sends the request when awaited (its future, from `.send()`, is
        /// `Send + 'static` and can be spawned); before that, optional parameters are set on
        /// the call by name, and the call can ask for another representation, the raw body,
        /// a stream, or (for a paginated operation) its pages
        #[doc = #call_doc]
        /// An argument that cannot be sent is reported by that future as
        #[doc = #invalid_doc]
        ///
        #auth_doc
        ///
        #servers_doc
        #[derive(Clone, Debug)]
        pub struct Client {
            transport: #runtime::Transport,
        }

        impl Client {
            #( #keys )*

            /// A builder with this API's defaults: server, authentication scheme, timeouts and
            #[doc = #builder_doc]
            ///
            /// Requests carry the `User-Agent` `<crate name>/<version>` of the crate this
            /// client is compiled in; the builder's `user_agent` replaces it.
            pub fn builder() -> #runtime::ClientBuilder<Self> {
                #runtime::ClientBuilder::new(#default_base, #scheme) #variables .user_agent(::std::concat!(
                    ::std::env!("CARGO_PKG_NAME"),
                    "/",
                    ::std::env!("CARGO_PKG_VERSION")
                ))
            }

            #new_fn

            /// The base URL requests are sent to.
            pub fn base_url(&self) -> &str {
                self.transport.base_url()
            }

            /// This client, decoding responses in `mode` (a cheap clone sharing the
            /// connection pool): `client.with_decode_mode(DecodeMode::Strict).call(...)`
            /// enforces the spec for one call. The client's own mode is set with
            #[doc = #mode_doc]
            pub fn with_decode_mode(&self, mode: #runtime::DecodeMode) -> Self {
                Client { transport: self.transport.with_decode_mode(mode) }
            }
        }

        impl #runtime::FromTransport for Client {
            fn from_transport(transport: #runtime::Transport) -> Self {
                Client { transport }
            }
        }
    }
}

/// The runtime's `AuthScheme` for `auth`.
fn auth_scheme(auth: &Auth, runtime: &syn::Path) -> TokenStream {
    match auth {
        Auth::None => quote!(#runtime::AuthScheme::None),
        Auth::Bearer => quote!(#runtime::AuthScheme::Bearer),
        Auth::Basic => quote!(#runtime::AuthScheme::Basic),
        Auth::ApiKeyHeader(name) => quote!(#runtime::AuthScheme::Header(#name)),
        Auth::ApiKeyQuery(name) => quote!(#runtime::AuthScheme::Query(#name)),
        Auth::ApiKeyCookie(name) => quote!(#runtime::AuthScheme::Cookie(#name)),
    }
}

/// Where an API key is sent, for docs: "in the `X-Key` header".
fn place(auth: &Auth) -> String {
    match auth {
        Auth::ApiKeyHeader(name) => format!("in the `{name}` header"),
        Auth::ApiKeyQuery(name) => format!("in the `{name}` query parameter"),
        Auth::ApiKeyCookie(name) => format!("in the `{name}` cookie"),
        Auth::None | Auth::Bearer | Auth::Basic => "in `Authorization`".to_string(),
    }
}

/// How an argument is taken: borrowed for owned data, by value for small copies.
pub(super) fn arg_type(t: &Type, types: &[&str]) -> TokenStream {
    match t {
        Type::String => quote!(&str),
        Type::Vec(inner) => {
            let inner = ty(inner, types);
            quote!(&[#inner])
        }
        Type::Bytes => quote!(&[u8]),
        Type::Bool | Type::I32 | Type::I64 | Type::U64 | Type::F32 | Type::F64 | Type::Unit => {
            ty(t, types)
        }
        other => {
            let t = ty(other, types);
            quote!(&#t)
        }
    }
}

/// `&[("name", "default"), ..]`: a server's variables, for the runtime.
fn server_defaults(server: &Server) -> TokenStream {
    let pairs = server.variables.iter().map(|(name, default)| {
        let (name, default) = (lit(name), lit(default));
        quote!((#name, #default))
    });
    quote!(&[#(#pairs),*])
}

/// The statements adding a multipart body's parts, one per field of its struct: files as
/// file parts (with their names and content types), arrays as repeated parts, absent
/// optional fields left out. `None` when the body is not a struct of known fields.
fn multipart_parts(api: &Api, body: &Type) -> Option<TokenStream> {
    let Type::Named(name) = body else {
        return None;
    };
    let def = api.types.iter().find(|d| &d.name == name)?;
    let TypeKind::Struct {
        fields,
        additional: None,
        ..
    } = &def.kind
    else {
        return None;
    };
    let parts = fields.iter().map(|f| {
        let field = ident(&f.name);
        let add = part(&lit(&f.json_name), &f.ty);
        quote! {
            let value = &body.#field;
            #add
        }
    });
    Some(quote!(#( { #parts } )*))
}

/// The statement adding `value` (a `&T` of type `t`) as parts named `wire`.
fn part(wire: &TokenStream, t: &Type) -> TokenStream {
    match t {
        Type::File => quote!(request.part_file(#wire, value);),
        Type::Option(_) => {
            // `Option<Option<T>>` (optional and nullable) is one `Some(Some(value))`: a null
            // has no multipart form, like an absent field.
            let mut inner = t;
            let mut pattern = quote!(value);
            while let Type::Option(next) = inner {
                pattern = quote!(::std::option::Option::Some(#pattern));
                inner = next;
            }
            let inner = part(wire, inner);
            quote!(if let #pattern = value { #inner })
        }
        Type::Vec(inner) => {
            let inner = part(wire, inner);
            quote!(for value in value { #inner })
        }
        _ => quote!(request.part_text(#wire, value);),
    }
}

fn operation(api: &Api, op: &Operation, runtime: &syn::Path, types: &[&str]) -> TokenStream {
    let name = ident(&op.name);
    let docs = doc(&op.doc);
    let method = ident(&op.method);
    let idempotent = op.idempotent;

    let mut args = Vec::new();
    let path_params: Vec<&Param> = op
        .params
        .iter()
        .filter(|p| p.location == ParamLocation::Path)
        .collect();
    for p in &path_params {
        let n = ident(&p.name);
        let t = arg_type(&p.ty, types);
        args.push(quote!(#n: #t));
    }
    if let Some(body) = op.body.as_ref().filter(|_| !op.body_setter()) {
        let t = body_arg_type(body, runtime, types);
        args.push(quote!(body: #t));
    }
    for p in op
        .params
        .iter()
        .filter(|p| p.location != ParamLocation::Path && p.required)
    {
        let n = ident(&p.name);
        let t = arg_type(&p.ty, types);
        args.push(quote!(#n: #t));
    }

    let server = op.server.as_ref().map(|server| {
        let url = lit(&server.url);
        let defaults = server_defaults(server);
        quote!(request.server(#url, #defaults);)
    });
    let path = op.path_parts.iter().map(|part| match part {
        PathPart::Literal(text) => quote!(request.push_path(#text);),
        PathPart::Param(i) => {
            let param = &op.params[*i];
            let n = ident(&param.name);
            if param.multi_segment {
                quote!(request.push_path_segments(&#n);)
            } else {
                quote!(request.push_path_param(&#n);)
            }
        }
    });
    let others = op
        .params
        .iter()
        .filter(|p| p.location != ParamLocation::Path && p.required)
        .map(|p| param_statement(p, runtime));
    let body = op
        .body
        .as_ref()
        .filter(|_| !op.body_setter())
        .map(|b| body_statement(api, b));
    let accept = op.accept.as_ref().map(|a| quote!(request.accept(#a);));
    let idempotency = op
        .idempotency_key
        .as_ref()
        .map(|name| quote!(request.idempotency_key(#name);));

    let success_ty = ty(&op.success.ty, types);
    let (success_ty, stream) = if op.streams_events() {
        (
            quote!(#runtime::EventStream<#success_ty>),
            Some(quote!(request.stream_response();)),
        )
    } else {
        (success_ty, None)
    };
    let error_ty = ty(&op.error.ty, types);
    let arms = arms(op, runtime, types);

    // The pages of a paginated call decode each page with a copy of the decoder.
    let clone = op
        .pagination
        .as_ref()
        .map(|_| quote!(+ ::std::clone::Clone));
    let options = op.options.as_ref().map(|name| {
        let name = ident(name);
        quote!(, super::calls::#name)
    });
    // Clippy counts `self`; required parameters rarely reach its limit of seven.
    let many = (args.len() >= 7).then(|| quote!(#[allow(clippy::too_many_arguments)]));
    // `#[inline]`: compiled in the crates that call it, not for every operation here.
    quote! {
        #docs
        #many
        #[inline]
        pub fn #name(&self, #( #args ),*) -> super::Call<impl ::std::ops::FnOnce(#runtime::Response) -> ::std::result::Result<#runtime::ResponseValue<#success_ty>, #runtime::Error<#error_ty>> #clone #options> {
            let mut request = self.transport.request(::reqwest::Method::#method, #idempotent);
            #server
            #( #path )*
            #( #others )*
            #idempotency
            #body
            #accept
            #stream
            super::Call {
                inner: self.transport.call(request, |response| match response.status().as_u16() {
                    #( #arms )*
                }),
                options: ::std::marker::PhantomData,
            }
        }
    }
}

/// The type a request body is taken as.
pub(super) fn body_arg_type(body: &Body, runtime: &syn::Path, types: &[&str]) -> TokenStream {
    match body.encoding {
        BodyEncoding::Text => quote!(&str),
        BodyEncoding::Binary => quote!(impl ::std::convert::Into<#runtime::BinaryBody>),
        _ => arg_type(&body.ty, types),
    }
}

/// The runtime's name of a query style.
pub(super) fn query_style(style: QueryStyle) -> TokenStream {
    match style {
        QueryStyle::Repeat => quote!(Repeat),
        QueryStyle::Comma => quote!(Comma),
        QueryStyle::Space => quote!(Space),
        QueryStyle::Pipe => quote!(Pipe),
        QueryStyle::DeepObject => quote!(DeepObject),
    }
}

/// The statement adding required parameter `p` (a local of its name) to `request`.
fn param_statement(p: &Param, runtime: &syn::Path) -> TokenStream {
    let n = ident(&p.name);
    let wire = lit(&p.wire_name);
    match p.location {
        ParamLocation::Query => {
            let style = query_style(p.style);
            quote!(request.query(#wire, &#n, #runtime::QueryStyle::#style);)
        }
        ParamLocation::Header => quote!(request.header(#wire, &#n);),
        ParamLocation::Cookie => quote!(request.cookie(#wire, &#n);),
        ParamLocation::Path => TokenStream::new(),
    }
}

/// The statements setting body `b` (a local `body`, borrowed) on `request`.
pub(super) fn body_statement(api: &Api, b: &Body) -> TokenStream {
    let content_type = lit(&b.content_type);
    // A scalar body is taken by value (`arg_type`); the request borrows it.
    let body = if matches!(
        b.ty,
        Type::Bool | Type::I32 | Type::I64 | Type::U64 | Type::F32 | Type::F64 | Type::Unit
    ) {
        quote!(&body)
    } else {
        quote!(body)
    };
    match b.encoding {
        BodyEncoding::Json => quote!(request.json(#content_type, #body);),
        BodyEncoding::Form if b.comma_fields.is_empty() => quote!(request.form(#body);),
        BodyEncoding::Form => {
            let fields = &b.comma_fields;
            quote!(request.form_with_commas(#body, &[#(#fields),*]);)
        }
        BodyEncoding::Multipart => match multipart_parts(api, &b.ty) {
            Some(parts) => parts,
            None => quote!(request.multipart(#body);),
        },
        BodyEncoding::Text => quote!(request.text(#content_type, body);),
        BodyEncoding::Binary => quote!(request.binary(#content_type, body.into());),
    }
}

/// The match pattern for a group of statuses: `_` for the default, otherwise the statuses as
/// intervals, neighbours merged (`400..=499 | 500..=599` is `400..=599`).
fn statuses_pattern(statuses: &[StatusMatch]) -> TokenStream {
    if statuses.contains(&StatusMatch::Default) {
        return quote!(_);
    }
    let mut intervals: Vec<(u16, u16)> = statuses
        .iter()
        .map(|s| match *s {
            StatusMatch::Code(c) => (c, c),
            StatusMatch::Range(r) => (r * 100, r * 100 + 99),
            StatusMatch::Default => (0, 0),
        })
        .collect();
    intervals.sort();
    let mut merged: Vec<(u16, u16)> = Vec::new();
    for (lo, hi) in intervals {
        match merged.last_mut() {
            Some(last) if lo <= last.1.saturating_add(1) => last.1 = last.1.max(hi),
            _ => merged.push((lo, hi)),
        }
    }
    let parts = merged.into_iter().map(|(lo, hi)| {
        let lo_lit = proc_macro2::Literal::u16_unsuffixed(lo);
        let hi_lit = proc_macro2::Literal::u16_unsuffixed(hi);
        if lo == hi {
            quote!(#lo_lit)
        } else {
            quote!(#lo_lit..=#hi_lit)
        }
    });
    quote!(#( #parts )|*)
}

fn arms(op: &Operation, runtime: &syn::Path, types: &[&str]) -> Vec<TokenStream> {
    let mut cases: Vec<(&ResponseCase, bool)> = op
        .success
        .cases
        .iter()
        .map(|c| (c, true))
        .chain(op.error.cases.iter().map(|c| (c, false)))
        .collect();
    // Specific codes first, then ranges, then the default; success before error for equal keys.
    cases.sort_by_key(|(c, ok)| (c.status, !ok));
    let mut arms = Vec::new();
    let mut has_default = false;
    if op.success.cases.is_empty() {
        arms.push(quote!(200..=299 => response.empty(),));
    }
    // Neighbouring statuses handled alike share one arm: `400..=499 | 500..=599 => ...`.
    let mut groups: Vec<(Vec<StatusMatch>, &ResponseCase, bool)> = Vec::new();
    for (case, ok) in cases {
        match groups.last_mut() {
            Some((statuses, last, last_ok))
                if *last_ok == ok
                    && last.decode == case.decode
                    && last.ty == case.ty
                    && (last.variant == case.variant || op_outcome(op, ok).enum_name.is_none())
                    && !statuses.contains(&StatusMatch::Default)
                    && case.status != StatusMatch::Default =>
            {
                statuses.push(case.status)
            }
            _ => groups.push((vec![case.status], case, ok)),
        }
    }
    for (statuses, case, ok) in groups {
        has_default |= case.status == StatusMatch::Default;
        let pattern = statuses_pattern(&statuses);
        let wrap = wrap(op_outcome(op, ok), case, types);
        let arm = if ok {
            let body_ty = ty(&case.ty, types);
            let call = match case.decode {
                Decode::Json => quote!(response.json::<#body_ty, _>()),
                Decode::Text => quote!(response.text()),
                Decode::Bytes => quote!(response.bytes()),
                Decode::Empty => quote!(response.empty()),
                Decode::Events if case.ty == Type::String => quote!(response.text_events()),
                Decode::Events => quote!(response.events::<#body_ty, _>()),
            };
            match wrap {
                Some(w) => quote!(#pattern => #runtime::map_success(#call, #w),),
                None => quote!(#pattern => #call,),
            }
        } else {
            let w = wrap.unwrap_or_else(|| quote!(::std::convert::identity));
            let call = match case.decode {
                Decode::Json => quote!(response.error_json(#w)),
                Decode::Text | Decode::Events => quote!(response.error_text(#w)),
                Decode::Bytes => quote!(response.error_bytes(#w)),
                Decode::Empty => quote!(response.error_empty(#w)),
            };
            quote!(#pattern => ::std::result::Result::Err(#call),)
        };
        arms.push(arm);
    }
    if !has_default {
        arms.push(quote!(_ => ::std::result::Result::Err(response.unexpected()),));
    }
    arms
}

fn op_outcome(op: &Operation, ok: bool) -> &Outcome {
    if ok {
        &op.success
    } else {
        &op.error
    }
}

/// The enum constructor wrapping a decoded body, when the outcome is an enum.
fn wrap(outcome: &Outcome, case: &ResponseCase, types: &[&str]) -> Option<TokenStream> {
    let name = ident(outcome.enum_name.as_ref()?);
    let variant = ident(&case.variant);
    let module = types.iter().map(|m| ident(m));
    Some(quote!(#( #module:: )* #name::#variant))
}
