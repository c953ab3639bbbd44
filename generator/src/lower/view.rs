//! A uniform view of a schema, whichever `SchemaKind` openapiv3 picked, and its
//! classification: how the schema becomes Rust.

use std::borrow::Borrow;

use openapiv3::{AdditionalProperties, ReferenceOr, Schema, SchemaKind, VariantOrUnknownOrEmpty};
use serde_json::Value;

use super::Lower;
use crate::error::{join, DiagnosticKind};
use crate::ir::Type;

impl<'a> Lower<'a> {
    /// Decides how a schema becomes Rust, warning about what cannot be represented.
    pub(super) fn classify(&mut self, view: &View<'a>, pointer: &str) -> Class<'a> {
        if !view.all_of.is_empty() {
            let members: Vec<SRef<'a>> = view
                .all_of
                .iter()
                .map(sref)
                .filter(|m| match m {
                    SRef::Ref(_) => true,
                    SRef::Item(s) => !View::of(s).is_trivial(),
                })
                .collect();
            if members.len() == 1 && view.properties.is_empty() {
                return Class::Single(members[0]);
            }
            if !members.is_empty() {
                return Class::AllOf(members);
            }
        }
        let alternatives = if view.one_of.is_empty() {
            view.any_of
        } else {
            view.one_of
        };
        if !alternatives.is_empty() {
            let members: Vec<SRef<'a>> = alternatives
                .iter()
                .map(sref)
                .filter(|m| match m {
                    SRef::Ref(_) => true,
                    SRef::Item(s) => {
                        let v = View::of(s);
                        !(v.is_trivial() || v.typ == Some("null"))
                    }
                })
                .collect();
            match members.len() {
                0 => return Class::Json,
                1 if view.properties.is_empty() => return Class::Single(members[0]),
                _ if view.properties.is_empty() => {
                    return Class::Union(members, view.one_of.is_empty())
                }
                _ => {
                    self.warn(
                        DiagnosticKind::Approximated,
                        pointer,
                        "properties beside oneOf/anyOf: the alternatives are not represented; only the properties are",
                    );
                }
            }
        }
        if !view.properties.is_empty() {
            return Class::Struct;
        }
        if view.not {
            self.warn(
                DiagnosticKind::Approximated,
                pointer,
                "`not` cannot be expressed in Rust types; the value is free-form JSON",
            );
            return Class::Json;
        }
        let strings = view.enumeration.iter().filter(|v| !v.is_null()).count();
        if strings > 0
            && view
                .enumeration
                .iter()
                .all(|v| v.is_string() || v.is_null())
        {
            return Class::StringEnum;
        }
        match view.typ {
            Some("string") => {
                if let Some(pattern) = view.pattern {
                    let compiles = *self
                        .patterns
                        .entry(pattern.to_string())
                        .or_insert_with(|| regex::Regex::new(pattern).is_ok());
                    if compiles {
                        return Class::Pattern;
                    }
                    self.warn(
                        DiagnosticKind::Approximated,
                        &join(pointer, "pattern"),
                        format!("pattern `{pattern}` uses syntax the `regex` crate does not support (e.g. look-around); the value is a plain String"),
                    );
                }
                if view.format.as_deref() == Some("binary") {
                    return Class::Prim(Type::File);
                }
                Class::Prim(Type::String)
            }
            Some("integer") => Class::Prim(match view.format.as_deref() {
                Some("int32") => Type::I32,
                Some("uint64") | Some("uint") => Type::U64,
                _ => Type::I64,
            }),
            Some("number") => Class::Prim(match view.format.as_deref() {
                Some("float") => Type::F32,
                _ => Type::F64,
            }),
            Some("boolean") => Class::Prim(Type::Bool),
            Some("array") => Class::Array(view.items),
            Some("object") | None => {
                if view.items.is_some() {
                    return Class::Array(view.items);
                }
                match view.additional {
                    Some(AdditionalProperties::Schema(s)) => Class::Map(s),
                    _ => Class::Json,
                }
            }
            Some("null") => Class::Json,
            Some(other) => {
                self.warn(
                    DiagnosticKind::Approximated,
                    &join(pointer, "type"),
                    format!("unknown type `{other}`; the value is free-form JSON"),
                );
                Class::Json
            }
        }
    }
}

/// A schema or a reference, whatever the box.
#[derive(Clone, Copy)]
pub(super) enum SRef<'a> {
    Ref(&'a str),
    Item(&'a Schema),
}

/// The schema or reference inside a `ReferenceOr`.
/// Whether a schema allows `null`: `nullable: true`, or an `allOf` member that says only
/// that (`allOf: [{nullable: true}, {$ref: X}]`: how 3.0 specs make a reference nullable,
/// `nullable` beside a `$ref` being ignored).
pub(super) fn nullable(s: &Schema) -> bool {
    s.schema_data.nullable
        || View::of(s).all_of.iter().any(|member| match member {
            ReferenceOr::Item(m) => m.schema_data.nullable && View::of(m).is_trivial(),
            ReferenceOr::Reference { .. } => false,
        })
}

pub(super) fn sref<S: Borrow<Schema>>(r: &ReferenceOr<S>) -> SRef<'_> {
    match r {
        ReferenceOr::Reference { reference } => SRef::Ref(reference),
        ReferenceOr::Item(s) => SRef::Item(s.borrow()),
    }
}

/// A uniform view of a schema, whichever `SchemaKind` openapiv3 picked.
pub(super) struct View<'a> {
    pub(super) typ: Option<&'a str>,
    pub(super) format: Option<String>,
    pub(super) pattern: Option<&'a str>,
    pub(super) enumeration: Vec<Value>,
    pub(super) properties: Vec<(&'a str, SRef<'a>)>,
    pub(super) required: &'a [String],
    pub(super) additional: Option<&'a AdditionalProperties>,
    pub(super) items: Option<SRef<'a>>,
    pub(super) one_of: &'a [ReferenceOr<Schema>],
    pub(super) any_of: &'a [ReferenceOr<Schema>],
    pub(super) all_of: &'a [ReferenceOr<Schema>],
    pub(super) not: bool,
}

impl<'a> View<'a> {
    /// The view of `s`.
    pub(super) fn of(s: &'a Schema) -> View<'a> {
        let mut v = View {
            typ: None,
            format: None,
            pattern: None,
            enumeration: Vec::new(),
            properties: Vec::new(),
            required: &[],
            additional: None,
            items: None,
            one_of: &[],
            any_of: &[],
            all_of: &[],
            not: false,
        };
        fn fmt<T: std::fmt::Debug>(f: &VariantOrUnknownOrEmpty<T>) -> Option<String> {
            match f {
                VariantOrUnknownOrEmpty::Item(t) => Some(kebab(&format!("{t:?}"))),
                VariantOrUnknownOrEmpty::Unknown(s) => Some(s.clone()),
                VariantOrUnknownOrEmpty::Empty => None,
            }
        }
        match &s.schema_kind {
            SchemaKind::Type(openapiv3::Type::String(t)) => {
                v.typ = Some("string");
                v.format = fmt(&t.format);
                v.pattern = t.pattern.as_deref();
                v.enumeration = t
                    .enumeration
                    .iter()
                    .map(|e| e.clone().map(Value::String).unwrap_or(Value::Null))
                    .collect();
            }
            SchemaKind::Type(openapiv3::Type::Number(t)) => {
                v.typ = Some("number");
                v.format = fmt(&t.format);
                v.enumeration = t
                    .enumeration
                    .iter()
                    .map(|e| e.map(Value::from).unwrap_or(Value::Null))
                    .collect();
            }
            SchemaKind::Type(openapiv3::Type::Integer(t)) => {
                v.typ = Some("integer");
                v.format = fmt(&t.format);
                v.enumeration = t
                    .enumeration
                    .iter()
                    .map(|e| e.map(Value::from).unwrap_or(Value::Null))
                    .collect();
            }
            SchemaKind::Type(openapiv3::Type::Boolean(t)) => {
                v.typ = Some("boolean");
                v.enumeration = t
                    .enumeration
                    .iter()
                    .map(|e| e.map(Value::from).unwrap_or(Value::Null))
                    .collect();
            }
            SchemaKind::Type(openapiv3::Type::Object(t)) => {
                v.typ = Some("object");
                v.properties = t
                    .properties
                    .iter()
                    .map(|(k, p)| (k.as_str(), sref(p)))
                    .collect();
                v.required = &t.required;
                v.additional = t.additional_properties.as_ref();
            }
            SchemaKind::Type(openapiv3::Type::Array(t)) => {
                v.typ = Some("array");
                v.items = t.items.as_ref().map(sref);
            }
            SchemaKind::OneOf { one_of } => v.one_of = one_of,
            SchemaKind::AnyOf { any_of } => v.any_of = any_of,
            SchemaKind::AllOf { all_of } => v.all_of = all_of,
            SchemaKind::Not { .. } => v.not = true,
            SchemaKind::Any(a) => {
                v.typ = a.typ.as_deref();
                v.format = a.format.clone();
                v.pattern = a.pattern.as_deref();
                v.enumeration = a.enumeration.clone();
                v.properties = a
                    .properties
                    .iter()
                    .map(|(k, p)| (k.as_str(), sref(p)))
                    .collect();
                v.required = &a.required;
                v.additional = a.additional_properties.as_ref();
                v.items = a.items.as_ref().map(sref);
                v.one_of = &a.one_of;
                v.any_of = &a.any_of;
                v.all_of = &a.all_of;
                v.not = a.not.is_some();
            }
        }
        v
    }

    /// A schema that constrains nothing about shape (e.g. `{description: ...}` beside a `$ref`
    /// in an `allOf`).
    pub(super) fn is_trivial(&self) -> bool {
        self.typ.is_none()
            && self.properties.is_empty()
            && self.additional.is_none()
            && self.items.is_none()
            && self.one_of.is_empty()
            && self.any_of.is_empty()
            && self.all_of.is_empty()
            && self.enumeration.is_empty()
            && !self.not
    }
}

fn kebab(debug: &str) -> String {
    // `DateTime` → `date-time`, `Int64` → `int64`.
    let mut out = String::new();
    for (i, c) in debug.chars().enumerate() {
        if c.is_ascii_uppercase() {
            if i > 0 {
                out.push('-');
            }
            out.push(c.to_ascii_lowercase());
        } else {
            out.push(c);
        }
    }
    out
}

/// How a schema becomes Rust.
pub(super) enum Class<'a> {
    Struct,
    AllOf(Vec<SRef<'a>>),
    StringEnum,
    Pattern,
    Union(Vec<SRef<'a>>, bool),
    Single(SRef<'a>),
    Array(Option<SRef<'a>>),
    Map(&'a ReferenceOr<Schema>),
    Prim(Type),
    Json,
}

impl Class<'_> {
    /// Whether the class becomes a named type definition.
    pub(super) fn is_named(&self) -> bool {
        matches!(
            self,
            Class::Struct | Class::AllOf(_) | Class::StringEnum | Class::Pattern | Class::Union(..)
        )
    }
}
