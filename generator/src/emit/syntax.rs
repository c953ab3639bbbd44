//! Syntax trees built directly, for the parts of the output that repeat once per struct
//! field: the field itself, its line in `Serialize`, its entry in the field table, its slot
//! and its pattern in `Decode`.
//!
//! Everything else is written with `quote!` and parsed by syn. For big specs these per-field
//! pieces are most of the output (GitHub's spec has 35,000 fields), and building their syntax
//! trees here costs a fraction of printing them as tokens and parsing them back. The shapes
//! built here are spelled out in each function's doc; the snapshot tests show them printed.

use proc_macro2::Span;
use syn::punctuated::Punctuated;
use syn::{Attribute, Expr, Field, FieldValue, Ident, Member, Pat, Path, Stmt, Token};

use super::ident;
use crate::ir::Type;

fn span() -> Span {
    Span::call_site()
}

/// `a::b::c` from identifiers, with a leading `::` when `global`.
fn path(global: bool, segments: &[&str]) -> Path {
    Path {
        leading_colon: global.then(Default::default),
        segments: segments
            .iter()
            .map(|s| syn::PathSegment::from(Ident::new(s, span())))
            .collect(),
    }
}

fn path_expr(path: Path) -> Expr {
    Expr::Path(syn::ExprPath {
        attrs: Vec::new(),
        qself: None,
        path,
    })
}

fn str_expr(value: &str) -> Expr {
    Expr::Lit(syn::ExprLit {
        attrs: Vec::new(),
        lit: syn::Lit::Str(syn::LitStr::new(value, span())),
    })
}

/// `#[doc = " line"]` per line, printed as `/// line`.
pub fn doc_attrs(lines: &[String]) -> Vec<Attribute> {
    lines
        .iter()
        .map(|line| Attribute {
            pound_token: Default::default(),
            style: syn::AttrStyle::Outer,
            bracket_token: Default::default(),
            meta: syn::Meta::NameValue(syn::MetaNameValue {
                path: path(false, &["doc"]),
                eq_token: Default::default(),
                value: str_expr(&format!(" {line}")),
            }),
        })
        .collect()
}

/// A type, with named types qualified by the `module` path (relative, e.g.
/// `["super", "types"]`; empty inside the `types` module). Everything else is an absolute
/// path.
pub fn rust_type(t: &Type, module: &[&str]) -> syn::Type {
    let generic = |segments: &[&str], args: Vec<syn::Type>| {
        let mut p = path(true, segments);
        if let Some(last) = p.segments.last_mut() {
            last.arguments =
                syn::PathArguments::AngleBracketed(syn::AngleBracketedGenericArguments {
                    colon2_token: None,
                    lt_token: Default::default(),
                    args: args.into_iter().map(syn::GenericArgument::Type).collect(),
                    gt_token: Default::default(),
                });
        }
        type_path(p)
    };
    match t {
        Type::String => type_path(path(true, &["std", "string", "String"])),
        Type::Bool => type_path(path(false, &["bool"])),
        Type::I32 => type_path(path(false, &["i32"])),
        Type::I64 => type_path(path(false, &["i64"])),
        Type::U64 => type_path(path(false, &["u64"])),
        Type::F32 => type_path(path(false, &["f32"])),
        Type::F64 => type_path(path(false, &["f64"])),
        Type::Json => type_path(path(true, &["serde_json", "Value"])),
        Type::Bytes => type_path(path(true, &["bytes", "Bytes"])),
        Type::File => {
            let mut p = path(false, module);
            p.segments
                .push(syn::PathSegment::from(ident(crate::naming::FILE_PART)));
            type_path(p)
        }
        Type::Unit => syn::Type::Tuple(syn::TypeTuple {
            paren_token: Default::default(),
            elems: Punctuated::new(),
        }),
        Type::Named(n) => {
            let mut p = path(false, module);
            p.segments.push(syn::PathSegment::from(ident(n)));
            type_path(p)
        }
        Type::Vec(inner) => generic(&["std", "vec", "Vec"], vec![rust_type(inner, module)]),
        Type::Map(inner) => generic(
            &["std", "collections", "BTreeMap"],
            vec![rust_type(&Type::String, module), rust_type(inner, module)],
        ),
        Type::Option(inner) => {
            generic(&["std", "option", "Option"], vec![rust_type(inner, module)])
        }
        Type::Boxed(inner) => generic(&["std", "boxed", "Box"], vec![rust_type(inner, module)]),
    }
}

fn type_path(path: Path) -> syn::Type {
    syn::Type::Path(syn::TypePath { qself: None, path })
}

/// `#docs pub name: Type`.
pub fn field(name: &str, docs: &[String], t: &Type) -> Field {
    Field {
        attrs: doc_attrs(docs),
        vis: syn::Visibility::Public(Default::default()),
        mutability: syn::FieldMutability::None,
        ident: Some(ident(name)),
        colon_token: Some(Default::default()),
        ty: rust_type(t, &[]),
    }
}

/// `object.method(args)`.
fn object_call(method: &str, args: Vec<Expr>) -> Expr {
    Expr::MethodCall(syn::ExprMethodCall {
        attrs: Vec::new(),
        receiver: Box::new(path_expr(path(false, &["object"]))),
        dot_token: Default::default(),
        method: Ident::new(method, span()),
        turbofish: None,
        paren_token: Default::default(),
        args: args.into_iter().collect(),
    })
}

/// `object.method("json", &self.field);` (`Serialize`); `json` is `None` for `rest`.
pub fn write(method: &str, json: Option<&str>, field: &str) -> Stmt {
    let value = Expr::Reference(syn::ExprReference {
        attrs: Vec::new(),
        and_token: Default::default(),
        mutability: None,
        expr: Box::new(Expr::Field(syn::ExprField {
            attrs: Vec::new(),
            base: Box::new(path_expr(path(false, &["self"]))),
            dot_token: Default::default(),
            member: Member::Named(ident(field)),
        })),
    });
    let args = json.map(str_expr).into_iter().chain([value]).collect();
    Stmt::Expr(object_call(method, args), Some(<Token![;]>::default()))
}

/// `slots.N`: the slot of the field at `index` in a struct's `Decode`.
fn slot(index: usize) -> Expr {
    Expr::Field(syn::ExprField {
        attrs: Vec::new(),
        base: Box::new(path_expr(path(false, &["slots"]))),
        dot_token: Default::default(),
        member: Member::Unnamed(syn::Index::from(index)),
    })
}

/// `&mut slots.N` (`Decode`): the slot of the field at `index`, handed to the decoder.
pub fn slot_ref(index: usize) -> Expr {
    Expr::Reference(syn::ExprReference {
        attrs: Vec::new(),
        and_token: Default::default(),
        mutability: Some(Default::default()),
        expr: Box::new(slot(index)),
    })
}

/// `[a, b]`.
pub fn array(elems: Vec<Expr>) -> Expr {
    Expr::Array(syn::ExprArray {
        attrs: Vec::new(),
        bracket_token: Default::default(),
        elems: elems.into_iter().collect(),
    })
}

/// `Self { a: slots.0, b: slots.1 }` (`Decode`, when no field is required): `fields` with
/// the index of each one's slot.
pub fn from_slots(fields: &[(String, usize)]) -> Expr {
    let values = fields.iter().map(|(f, i)| FieldValue {
        attrs: Vec::new(),
        member: Member::Named(ident(f)),
        colon_token: Some(Default::default()),
        expr: slot(*i),
    });
    Expr::Struct(syn::ExprStruct {
        attrs: Vec::new(),
        qself: None,
        path: path(false, &["Self"]),
        brace_token: Default::default(),
        fields: values.collect(),
        dot2_token: None,
        rest: None,
    })
}

/// `(a, b, c)` (or `(a,)` for one), for a struct's slots.
pub fn tuple(elems: Vec<Expr>) -> Expr {
    let mut elems: Punctuated<Expr, Token![,]> = elems.into_iter().collect();
    if elems.len() == 1 {
        elems.push_punct(Default::default());
    }
    Expr::Tuple(syn::ExprTuple {
        attrs: Vec::new(),
        paren_token: Default::default(),
        elems,
    })
}

/// `&["a", "b"]`: the JSON names of a struct's fields.
pub fn names(json: &[&str]) -> Expr {
    Expr::Reference(syn::ExprReference {
        attrs: Vec::new(),
        and_token: Default::default(),
        mutability: None,
        expr: Box::new(array(json.iter().map(|n| str_expr(n)).collect())),
    })
}

/// `None` (a slot's initial value).
pub fn none() -> Expr {
    path_expr(path(false, &["None"]))
}

/// `field`: a binding pattern.
fn binding(field: &str) -> Pat {
    Pat::Ident(syn::PatIdent {
        attrs: Vec::new(),
        by_ref: None,
        mutability: None,
        ident: ident(field),
        subpat: None,
    })
}

/// `Some(field)`, with `Some` brought into scope by the decoder's local `use`.
pub fn some(field: &str) -> Pat {
    Pat::TupleStruct(syn::PatTupleStruct {
        attrs: Vec::new(),
        qself: None,
        path: path(false, &["Some"]),
        paren_token: Default::default(),
        elems: std::iter::once(Pat::Ident(syn::PatIdent {
            attrs: Vec::new(),
            by_ref: None,
            mutability: None,
            ident: ident(field),
            subpat: None,
        }))
        .collect(),
    })
}

/// `match slots { (Some(a), b, ..) => ::std::result::Result::Ok(Self { a, b, .. }), _ => err }`:
/// `slots` holds the fields named in `slot_order`, each with whether it is required
/// (`Some(a)`: its slot is an `Option` of the field's type) or not (`b`: the slot is the
/// field's value); `fields` is the struct's order. `err` is the catch-all arm's body.
pub fn match_slots(slot_order: &[(String, bool)], fields: &[String], err: Expr) -> Expr {
    let mut patterns: Punctuated<Pat, Token![,]> = slot_order
        .iter()
        .map(|(f, required)| if *required { some(f) } else { binding(f) })
        .collect();
    if patterns.len() == 1 {
        patterns.push_punct(Default::default());
    }
    let pattern = Pat::Tuple(syn::PatTuple {
        attrs: Vec::new(),
        paren_token: Default::default(),
        elems: patterns,
    });
    let shorthand = fields.iter().map(|f| FieldValue {
        attrs: Vec::new(),
        member: Member::Named(ident(f)),
        colon_token: None,
        expr: path_expr(Path::from(ident(f))),
    });
    let value = Expr::Struct(syn::ExprStruct {
        attrs: Vec::new(),
        qself: None,
        path: path(false, &["Self"]),
        brace_token: Default::default(),
        fields: shorthand.collect(),
        dot2_token: None,
        rest: None,
    });
    let ok = Expr::Call(syn::ExprCall {
        attrs: Vec::new(),
        func: Box::new(path_expr(path(true, &["std", "result", "Result", "Ok"]))),
        paren_token: Default::default(),
        args: std::iter::once(value).collect(),
    });
    let arm = |pat: Pat, body: Expr| syn::Arm {
        attrs: Vec::new(),
        pat,
        guard: None,
        fat_arrow_token: Default::default(),
        body: Box::new(body),
        comma: Some(Default::default()),
    };
    let wild = Pat::Wild(syn::PatWild {
        attrs: Vec::new(),
        underscore_token: Default::default(),
    });
    Expr::Match(syn::ExprMatch {
        attrs: Vec::new(),
        match_token: Default::default(),
        expr: Box::new(path_expr(path(false, &["slots"]))),
        brace_token: Default::default(),
        arms: vec![arm(pattern, ok), arm(wild, err)],
    })
}
