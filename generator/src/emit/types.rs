//! The `types` module: structs, open enums, tagged and untagged unions, validated strings,
//! and the per-operation response enums.

use proc_macro2::TokenStream;
use quote::quote;

use super::{doc, ident, lit, syntax, ty};
use crate::ir::{Api, Field, Outcome, Presence, Type, TypeDef, TypeKind};

/// The module's inner attributes, and the runtime's `FilePart` if files are used.
pub fn prelude(api: &Api, runtime: &syn::Path) -> TokenStream {
    let file = api.uses_files().then(|| {
        let name = ident(crate::naming::FILE_PART);
        quote!(pub use #runtime::FilePart as #name;)
    });
    quote! {
        #![allow(clippy::large_enum_variant, clippy::derive_partial_eq_without_eq)]
        #file
    }
}

/// The named types `api.types[range]`, as items.
pub fn defs(
    api: &Api,
    runtime: &syn::Path,
    range: std::ops::Range<usize>,
) -> syn::Result<Vec<syn::Item>> {
    let mut items = Vec::new();
    for def in &api.types[range] {
        items.extend(type_def(def, runtime)?);
        if let TypeKind::Struct { fields, .. } = &def.kind {
            if api.inputs.contains(&def.name) {
                items.push(syn::parse2(builder_impl(def, fields))?);
            }
        }
    }
    Ok(items)
}

/// For a struct callers build: `new` over its required fields (when it has any; a struct
/// without derives `Default`) and a setter per optional field, each taking `impl Into<T>`
/// (generic, so compiled only where called).
fn builder_impl(def: &TypeDef, fields: &[Field]) -> TokenStream {
    let name = ident(&def.name);
    let required: Vec<&Field> = fields
        .iter()
        .filter(|f| matches!(f.presence, Presence::Required | Presence::RequiredNullable))
        .collect();
    // `Api::inputs` holds only structs with required fields.
    let constructor = {
        let args = required.iter().map(|f| {
            let n = ident(&f.name);
            let t = ty(f.ty.unboxed(), &[]);
            quote!(#n: impl ::std::convert::Into<#t>)
        });
        let inits = fields.iter().map(|f| {
            let n = ident(&f.name);
            match f.presence {
                Presence::Required | Presence::RequiredNullable => {
                    if matches!(f.ty, Type::Boxed(_)) {
                        quote!(#n: ::std::boxed::Box::new(#n.into()))
                    } else {
                        quote!(#n: #n.into())
                    }
                }
                Presence::Optional | Presence::OptionalNullable => {
                    quote!(#n: ::std::option::Option::None)
                }
            }
        });
        let additional = match &def.kind {
            TypeKind::Struct {
                additional: Some((field, _)),
                ..
            } => {
                let field = ident(field);
                Some(quote!(#field: ::std::default::Default::default(),))
            }
            _ => None,
        };
        let names: Vec<String> = required
            .iter()
            .map(|f| format!("`{}`", crate::naming::unraw(&f.name)))
            .collect();
        let doc = format!(
            " A value from its required fields ({}), every optional field unset.",
            names.join(", ")
        );
        let many = (required.len() > 7).then(|| quote!(#[allow(clippy::too_many_arguments)]));
        quote! {
            #[doc = #doc]
            #many
            pub fn new(#( #args ),*) -> Self {
                Self { #( #inits, )* #additional }
            }
        }
    };
    let setters = fields
        .iter()
        .filter(|f| crate::naming::unraw(&f.name) != "new")
        .filter_map(|f| {
            let n = ident(&f.name);
            let (inner, value) = match (&f.presence, &f.ty) {
                (Presence::Optional, Type::Option(inner)) => {
                    (ty(inner.unboxed(), &[]), boxed(inner, quote!(#n.into())))
                }
                (Presence::OptionalNullable, Type::Option(inner)) => {
                    let inner_t = ty(inner, &[]);
                    (inner_t, quote!(#n.into()))
                }
                _ => return None,
            };
            let mut docs = f.doc.clone();
            if !docs.is_empty() {
                docs.push(String::new());
            }
            docs.push(format!(
                "Sets `{}` (left out of the JSON while unset).",
                f.json_name.replace('`', "'")
            ));
            let docs = doc(&docs);
            Some(quote! {
                #docs
                pub fn #n(mut self, #n: impl ::std::convert::Into<#inner>) -> Self {
                    self.#n = ::std::option::Option::Some(#value);
                    self
                }
            })
        });
    quote! {
        impl #name {
            #constructor
            #( #setters )*
        }
    }
}

/// `value` boxed when the field's type is `Box<T>`.
fn boxed(t: &Type, value: TokenStream) -> TokenStream {
    if matches!(t, Type::Boxed(_)) {
        quote!(::std::boxed::Box::new(#value))
    } else {
        value
    }
}

// Structs: the frames are written with `quote!`, the per-field parts built as syntax trees
// (see `super::syntax`), since for big specs those are most of the output.

/// The struct itself; `additional` is the field for `additionalProperties`.
fn struct_item(
    def: &TypeDef,
    fields: &[Field],
    additional: Option<&(String, Type)>,
) -> syn::Result<syn::ItemStruct> {
    let name = ident(&def.name);
    let docs = doc(&def.doc);
    let default = crate::ir::derives_default(fields).then(|| quote!(Default,));
    let mut item: syn::ItemStruct = syn::parse2(quote! {
        #docs
        #[derive(Debug, Clone, PartialEq, #default)]
        pub struct #name {}
    })?;
    let mut named: syn::punctuated::Punctuated<syn::Field, syn::Token![,]> = fields
        .iter()
        .map(|f| syntax::field(&f.name, &f.doc, &f.ty))
        .collect();
    if let Some((field_name, value)) = additional {
        let docs = ["Properties not declared in the schema.".to_string()];
        let map = Type::Map(Box::new(value.clone()));
        named.push(syntax::field(field_name, &docs, &map));
    }
    item.fields = syn::Fields::Named(syn::FieldsNamed {
        brace_token: Default::default(),
        named,
    });
    Ok(item)
}

/// `Serialize`: one `Writer` call per field, the first failure returned by `end()`.
fn serialize_impl(
    def: &TypeDef,
    fields: &[Field],
    additional: Option<&(String, Type)>,
    runtime: &syn::Path,
) -> syn::Result<syn::ItemImpl> {
    let name = ident(&def.name);
    let mut writes: Vec<syn::Stmt> = fields
        .iter()
        .map(|f| {
            let method = match f.presence {
                Presence::Optional | Presence::OptionalNullable => "optional",
                Presence::Required | Presence::RequiredNullable => "required",
            };
            syntax::write(method, Some(&f.json_name), &f.name)
        })
        .collect();
    if let Some((field_name, _)) = additional {
        writes.push(syntax::write("rest", None, field_name));
    }
    let mutability = (!writes.is_empty()).then(|| quote!(mut));
    let mut body: syn::Block = syn::parse2(quote!({
        let #mutability object = #runtime::object::Writer::new(serializer)?;
        object.end()
    }))?;
    body.stmts.splice(1..1, writes);
    let mut item: syn::ItemImpl = syn::parse2(quote! {
        impl ::serde::Serialize for #name {
            fn serialize<S: ::serde::Serializer>(&self, serializer: S) -> ::std::result::Result<S::Ok, S::Error> {}
        }
    })?;
    set_body(&mut item, body);
    Ok(item)
}

/// `Decode`: the struct's field slots handed to the runtime's one reading loop behind `dyn`
/// (`Decoder::fields`), then matched all at once. Slots come in the spec's order, which
/// servers mostly keep (the runtime looks for each key after the last one found): a
/// required field's slot is an `Option` of the field's type, an optional field's slot the
/// field itself; then comes the map of `additionalProperties`. The field names are in the
/// same order; which fields are required is a bit set (bit `i` of word `i / 64` for field
/// `i`), one number per 64 fields, so that big APIs do not pay for it in compile time
/// (a `Required("name")` per field cost the GitHub client 57 MiB). A few lines per field, no
/// branch per field, and no field name becomes a local that could shadow `slots` or `d`
/// before the final arm. The `use` of `Some` and `None` is local to the function, so a
/// generated type with either name cannot capture them. `decode` is `#[inline]`: like a
/// generic function, it is compiled only in the crates whose calls use it.
fn decode_impl(
    def: &TypeDef,
    fields: &[Field],
    additional: Option<&(String, Type)>,
    tag: Option<&str>,
    runtime: &syn::Path,
) -> syn::Result<syn::ItemImpl> {
    let name = ident(&def.name);
    let is_required =
        |f: &Field| matches!(f.presence, Presence::Required | Presence::RequiredNullable);
    let ordered: Vec<&Field> = fields.iter().collect();
    let required = ordered.iter().filter(|f| is_required(f)).count();
    let mut words = vec![0u64; fields.len().div_ceil(64)];
    for (i, _) in fields.iter().enumerate().filter(|(_, f)| is_required(f)) {
        words[i / 64] |= 1 << (i % 64);
    }
    let words = words.into_iter().map(proc_macro2::Literal::u64_unsuffixed);
    let json: Vec<&str> = ordered.iter().map(|f| f.json_name.as_str()).collect();
    let names = syntax::names(&json);
    let tag = match tag {
        Some(tag) => quote!(::std::option::Option::Some(#tag)),
        None => quote!(::std::option::Option::None),
    };
    let slots = syntax::array((0..fields.len()).map(syntax::slot_ref).collect());
    let rest = match additional {
        Some(_) => {
            let slot = syntax::slot_ref(fields.len());
            quote!(::std::option::Option::Some(#slot))
        }
        None => quote!(::std::option::Option::None),
    };
    let mut stmts: Vec<syn::Stmt> = Vec::new();
    if required > 0 {
        stmts.push(syn::parse2(quote!(
            use ::std::option::Option::{None, Some};
        ))?);
    } else if !fields.is_empty() {
        stmts.push(syn::parse2(quote!(
            use ::std::option::Option::None;
        ))?);
    }
    stmts.push(syn::parse2(quote!(const FIELDS: &[&str] = #names;))?);
    let mut initial: Vec<syn::Expr> = fields.iter().map(|_| syntax::none()).collect();
    if additional.is_some() {
        initial.push(syn::parse2(quote!(::std::collections::BTreeMap::new()))?);
    }
    if !initial.is_empty() {
        let initial = syntax::tuple(initial);
        stmts.push(syn::parse2(quote!(let mut slots = #initial;))?);
    }
    stmts.push(syn::parse2(
        quote!(d.fields(FIELDS, &[#(#words),*], #tag, &mut #slots, #rest)?;),
    )?);
    let mut slot_order: Vec<(String, bool)> = ordered
        .iter()
        .map(|f| (f.name.clone(), is_required(f)))
        .collect();
    let mut names: Vec<String> = fields.iter().map(|f| f.name.clone()).collect();
    if let Some((field_name, _)) = additional {
        slot_order.push((field_name.clone(), false));
        names.push(field_name.clone());
    }
    let result = if required > 0 {
        let error: syn::Expr = syn::parse2(quote!(::std::result::Result::Err(d.unfilled())))?;
        syntax::match_slots(&slot_order, &names, error)
    } else {
        let indexed: Vec<(String, usize)> = slot_order
            .into_iter()
            .enumerate()
            .map(|(i, (name, _))| (name, i))
            .collect();
        let value = syntax::from_slots(&indexed);
        syn::parse2(quote!(::std::result::Result::Ok(#value)))?
    };
    stmts.push(syn::Stmt::Expr(result, None));
    decode_item(&name, runtime, "{}", stmts)
}

/// `impl Decode for #name` with `stmts` as the body of `decode` and `fallback` as the JSON
/// of its fallback.
fn decode_item(
    name: &syn::Ident,
    runtime: &syn::Path,
    fallback: &str,
    stmts: Vec<syn::Stmt>,
) -> syn::Result<syn::ItemImpl> {
    let mut item: syn::ItemImpl = syn::parse2(quote! {
        impl #runtime::decode::Decode for #name {
            const FALLBACK: &'static str = #fallback;
            #[inline]
            fn decode(d: &mut #runtime::decode::Decoder<'_>) -> ::std::result::Result<Self, #runtime::decode::DecodeError> {}
        }
    })?;
    if let Some(syn::ImplItem::Fn(method)) = item.items.last_mut() {
        method.block.stmts = stmts;
    }
    Ok(item)
}

/// Gives the (only) method of a quoted `impl` frame its body.
fn set_body(item: &mut syn::ItemImpl, body: syn::Block) {
    if let Some(syn::ImplItem::Fn(method)) = item.items.first_mut() {
        method.block = body;
    }
}

/// The per-operation enums over response statuses.
pub fn outcomes(api: &Api) -> TokenStream {
    // Another form of an operation shares its errors (and, for another request media
    // type, its successes): their enums are the operation's.
    // An enum with the same variants as an earlier one (GitHub has hundreds of "404 or
    // 422" errors) is an alias of it: the same type under the operation's name, and one
    // enum (with its derived impls) fewer for rustc.
    let mut seen: std::collections::BTreeMap<Vec<(&str, &Type, crate::ir::StatusMatch)>, &str> =
        std::collections::BTreeMap::new();
    let mut items = Vec::new();
    for op in &api.operations {
        let own_success = op.variant_of.as_ref().is_none_or(|v| !v.request);
        let own_error = op.variant_of.is_none();
        for (own, outcome, what) in [
            (own_success, &op.success, "successful response"),
            (own_error, &op.error, "documented error response"),
        ] {
            let Some(name) = outcome.enum_name.as_deref().filter(|_| own) else {
                continue;
            };
            let key = outcome
                .cases
                .iter()
                .map(|c| (c.variant.as_str(), &c.ty, c.status))
                .collect();
            match seen.get(&key) {
                Some(first) => items.push(outcome_alias(name, first, &op.name, what)),
                None => {
                    seen.insert(key, name);
                    items.push(outcome_enum(outcome, &op.name, what));
                }
            }
        }
    }
    quote!(#( #items )*)
}

/// An outcome enum that is another's: `pub type Name = First;`.
fn outcome_alias(name: &str, first: &str, op: &str, what: &str) -> TokenStream {
    let summary = format!(
        " The {what} of [`Client::{op}`](super::Client::{op}), by status: the same as [`{first}`].",
        op = crate::naming::unraw(op),
        first = crate::naming::unraw(first),
    );
    let (name, first) = (ident(name), ident(first));
    quote! {
        #[doc = #summary]
        pub type #name = #first;
    }
}

/// The items of one named type.
fn type_def(def: &TypeDef, runtime: &syn::Path) -> syn::Result<Vec<syn::Item>> {
    let name = ident(&def.name);
    let docs = doc(&def.doc);
    let tokens = match &def.kind {
        TypeKind::Struct {
            fields,
            additional,
            tag,
        } => {
            let additional = additional.as_ref();
            return Ok(vec![
                syn::Item::Struct(struct_item(def, fields, additional)?),
                syn::Item::Impl(serialize_impl(def, fields, additional, runtime)?),
                syn::Item::Impl(decode_impl(
                    def,
                    fields,
                    additional,
                    tag.as_deref(),
                    runtime,
                )?),
            ]);
        }
        TypeKind::StringEnum { variants, other } => {
            let other = ident(other);
            let idents: Vec<_> = variants.iter().map(|v| ident(&v.name)).collect();
            let values: Vec<_> = variants.iter().map(|v| lit(&v.value)).collect();
            let variant_docs = variants
                .iter()
                .map(|v| format!(" `{}`", v.value.replace('`', "'")));
            quote! {
                #docs
                ///
                /// Values this client does not know are kept in the catch-all variant and
                /// serialized back unchanged.
                #[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
                pub enum #name {
                    #( #[doc = #variant_docs] #idents, )*
                    /// A value this client does not know yet, kept as sent.
                    #other(::std::string::String),
                }

                impl #name {
                    /// The value as it appears in JSON.
                    pub fn as_str(&self) -> &str {
                        match self {
                            #( Self::#idents => #values, )*
                            Self::#other(value) => value.as_str(),
                        }
                    }
                }

                impl ::std::convert::From<&str> for #name {
                    fn from(value: &str) -> Self {
                        match value {
                            #( #values => Self::#idents, )*
                            other => Self::#other(::std::string::ToString::to_string(other)),
                        }
                    }
                }

                impl ::std::str::FromStr for #name {
                    type Err = ::std::convert::Infallible;
                    fn from_str(value: &str) -> ::std::result::Result<Self, Self::Err> {
                        ::std::result::Result::Ok(Self::from(value))
                    }
                }

                impl ::std::fmt::Display for #name {
                    fn fmt(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
                        f.write_str(self.as_str())
                    }
                }

                impl ::serde::Serialize for #name {
                    fn serialize<S: ::serde::Serializer>(&self, serializer: S) -> ::std::result::Result<S::Ok, S::Error> {
                        serializer.serialize_str(self.as_str())
                    }
                }

                impl<'de> ::serde::Deserialize<'de> for #name {
                    fn deserialize<D: ::serde::Deserializer<'de>>(deserializer: D) -> ::std::result::Result<Self, D::Error> {
                        let value = <::std::string::String as ::serde::Deserialize>::deserialize(deserializer)?;
                        ::std::result::Result::Ok(Self::from(value.as_str()))
                    }
                }

                impl #runtime::decode::Decode for #name {
                    const FALLBACK: &'static str = "\"\"";
                    #[inline]
                    fn decode(d: &mut #runtime::decode::Decoder<'_>) -> ::std::result::Result<Self, #runtime::decode::DecodeError> {
                        d.str_as()
                    }
                }
            }
        }
        TypeKind::Tagged {
            tag,
            variants,
            other,
        } => {
            let other = ident(other);
            let tag_lit = lit(tag);
            let idents: Vec<_> = variants.iter().map(|v| ident(&v.name)).collect();
            let values: Vec<_> = variants.iter().map(|v| lit(&v.tag_value)).collect();
            let types: Vec<_> = variants.iter().map(|v| ty(&v.ty, &[])).collect();
            let variant_docs = variants
                .iter()
                .map(|v| format!(" `{}: {}`", tag, v.tag_value));
            quote! {
                #docs
                ///
                #[doc = concat!(" Tagged by the `", #tag_lit, "` property. An object with a tag this client does not know is kept whole in the catch-all variant.")]
                #[derive(Debug, Clone, PartialEq)]
                pub enum #name {
                    #( #[doc = #variant_docs] #idents(#types), )*
                    /// An object whose tag this client does not know, kept as sent.
                    #other(::serde_json::Value),
                }

                impl ::serde::Serialize for #name {
                    fn serialize<S: ::serde::Serializer>(&self, serializer: S) -> ::std::result::Result<S::Ok, S::Error> {
                        match self {
                            #( Self::#idents(value) => #runtime::tagged::serialize(serializer, #tag_lit, #values, value), )*
                            Self::#other(value) => ::serde::Serialize::serialize(value, serializer),
                        }
                    }
                }

                impl #runtime::decode::Decode for #name {
                    const FALLBACK: &'static str = "{}";
                    #[inline]
                    fn decode(d: &mut #runtime::decode::Decoder<'_>) -> ::std::result::Result<Self, #runtime::decode::DecodeError> {
                        let tagged = d.tagged(#tag_lit)?;
                        match tagged.tag() {
                            #( ::std::option::Option::Some(#values) => tagged.variant(d).map(Self::#idents), )*
                            _ => tagged.other(d).map(Self::#other),
                        }
                    }
                }
            }
        }
        TypeKind::Untagged { variants } => {
            let idents: Vec<_> = variants.iter().map(|v| ident(&v.name)).collect();
            let variant_docs = variants.iter().map(|v| doc(&v.doc));
            let types: Vec<_> = variants.iter().map(|v| ty(&v.ty, &[])).collect();
            let first = types.first();
            let type_name = lit(&def.name);
            quote! {
                #docs
                ///
                /// Untagged: the first variant that the JSON fits exactly is chosen; when none
                /// does, the one that fits with the least drift from the spec.
                #[derive(Debug, Clone, PartialEq, ::serde::Serialize)]
                #[serde(untagged)]
                pub enum #name {
                    #( #variant_docs #idents(#types), )*
                }

                impl #runtime::decode::Decode for #name {
                    const FALLBACK: &'static str = <#first as #runtime::decode::Decode>::FALLBACK;
                    const NULLABLE: bool = #( <#types as #runtime::decode::Decode>::NULLABLE )||*;
                    #[inline]
                    fn decode(d: &mut #runtime::decode::Decoder<'_>) -> ::std::result::Result<Self, #runtime::decode::DecodeError> {
                        let mut union = d.union(#type_name)?;
                        #( union.attempt(d, Self::#idents); )*
                        union.end(d)
                    }
                }
            }
        }
        TypeKind::Pattern { pattern } => {
            let pattern = lit(pattern);
            let type_name = lit(&def.name);
            quote! {
                #docs
                ///
                /// Construct it with [`TryFrom`], [`str::parse`] or `new`: a value that does not
                /// match the pattern is refused before any request is built.
                #[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, ::serde::Serialize)]
                #[serde(transparent)]
                pub struct #name(::std::string::String);

                impl #name {
                    /// The pattern every value matches.
                    pub const PATTERN: &'static str = #pattern;

                    /// Validates `value` against [`Self::PATTERN`].
                    pub fn new(value: impl ::std::convert::Into<::std::string::String>) -> ::std::result::Result<Self, #runtime::PatternError> {
                        static REGEX: #runtime::PatternCell = #runtime::PatternCell::new();
                        REGEX.check(#type_name, Self::PATTERN, value.into()).map(Self)
                    }

                    /// The validated value.
                    pub fn as_str(&self) -> &str {
                        &self.0
                    }

                    /// The validated value, owned.
                    pub fn into_inner(self) -> ::std::string::String {
                        self.0
                    }
                }

                impl ::std::convert::TryFrom<::std::string::String> for #name {
                    type Error = #runtime::PatternError;
                    fn try_from(value: ::std::string::String) -> ::std::result::Result<Self, Self::Error> {
                        Self::new(value)
                    }
                }

                impl ::std::convert::TryFrom<&str> for #name {
                    type Error = #runtime::PatternError;
                    fn try_from(value: &str) -> ::std::result::Result<Self, Self::Error> {
                        Self::new(value)
                    }
                }

                impl ::std::str::FromStr for #name {
                    type Err = #runtime::PatternError;
                    fn from_str(value: &str) -> ::std::result::Result<Self, Self::Err> {
                        Self::new(value)
                    }
                }

                impl ::std::convert::AsRef<str> for #name {
                    fn as_ref(&self) -> &str {
                        &self.0
                    }
                }

                impl ::std::fmt::Display for #name {
                    fn fmt(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
                        f.write_str(&self.0)
                    }
                }

                impl<'de> ::serde::Deserialize<'de> for #name {
                    fn deserialize<D: ::serde::Deserializer<'de>>(deserializer: D) -> ::std::result::Result<Self, D::Error> {
                        let value = <::std::string::String as ::serde::Deserialize>::deserialize(deserializer)?;
                        Self::new(value).map_err(<D::Error as ::serde::de::Error>::custom)
                    }
                }

                /// A value outside the pattern is drift: kept as received, and reported.
                impl #runtime::decode::Decode for #name {
                    const FALLBACK: &'static str = "\"\"";
                    #[inline]
                    fn decode(d: &mut #runtime::decode::Decoder<'_>) -> ::std::result::Result<Self, #runtime::decode::DecodeError> {
                        let value = <::std::string::String as #runtime::decode::Decode>::decode(d)?;
                        let checked = Self::new(value);
                        d.pattern(checked, Self)
                    }
                }
            }
        }
        TypeKind::Alias { target } => {
            let target = ty(target, &[]);
            quote! {
                #docs
                pub type #name = #target;
            }
        }
    };
    Ok(syn::parse2::<syn::File>(tokens)?.items)
}

/// The enum for an operation whose responses have different types.
fn outcome_enum(outcome: &Outcome, op: &str, what: &str) -> TokenStream {
    let Some(name) = &outcome.enum_name else {
        return TokenStream::new();
    };
    let name = ident(name);
    let summary = format!(
        " The {what} of [`Client::{}`](super::Client::{}), by status.",
        crate::naming::unraw(op),
        crate::naming::unraw(op)
    );
    let variants = outcome.cases.iter().map(|c| {
        let v = ident(&c.variant);
        let t = ty(&c.ty, &[]);
        let status = match c.status {
            crate::ir::StatusMatch::Code(code) => format!(" Status {code}."),
            crate::ir::StatusMatch::Range(r) => format!(" Any {r}xx status."),
            crate::ir::StatusMatch::Default => " Any other status.".to_string(),
        };
        quote!(#[doc = #status] #v(#t),)
    });
    quote! {
        #[doc = #summary]
        #[derive(Debug, Clone, PartialEq)]
        pub enum #name {
            #( #variants )*
        }
    }
}
