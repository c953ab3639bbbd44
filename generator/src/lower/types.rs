//! Types: named definitions of component schemas, the types of schemas used in place, and
//! the names inline shapes get.

use std::collections::BTreeSet;

use openapiv3::Schema;
use serde_json::Value;

use super::docs::schema_doc;
use super::view::{nullable, sref, Class, SRef, View};
use super::Lower;
use crate::error::{join, DiagnosticKind};
use crate::ir::*;
use crate::naming::{self, Scope};

impl<'a> Lower<'a> {
    /// Defines the named type `name` from a component schema.
    pub(super) fn define(&mut self, name: &str, schema: SRef<'a>, pointer: &str) {
        let (doc, kind) = match schema {
            SRef::Ref(reference) => {
                let target = self.ref_type(reference, pointer);
                (
                    vec![format!(
                        "An alias of the `{}` schema.",
                        naming::unraw(&type_label(&target))
                    )],
                    TypeKind::Alias { target },
                )
            }
            SRef::Item(s) => {
                let view = View::of(s);
                let class = self.classify(&view, pointer);
                let doc = schema_doc(s, &view, name, &self.origin.original(pointer));
                let kind = if class.is_named() {
                    self.named_kind(name, s, &view, class, pointer)
                } else {
                    let target = self.anonymous(class, name, pointer);
                    let target = if nullable(s) {
                        optional(target)
                    } else {
                        target
                    };
                    TypeKind::Alias { target }
                };
                (doc, kind)
            }
        };
        self.types.push(TypeDef {
            name: name.to_string(),
            doc,
            kind,
        });
    }

    /// The type of a schema used somewhere (a property, an item, a parameter...). Inline
    /// shapes that need a name get one from `hint`.
    pub(super) fn schema_type(&mut self, schema: SRef<'a>, hint: &str, pointer: &str) -> Type {
        match schema {
            SRef::Ref(reference) => self.ref_type(reference, pointer),
            SRef::Item(s) => {
                let view = View::of(s);
                let class = self.classify(&view, pointer);
                let ty = if class.is_named() {
                    let name = self.type_scope.claim(&naming::type_name(hint));
                    let doc = schema_doc(s, &view, &name, &self.origin.original(pointer));
                    let kind = self.named_kind(&name, s, &view, class, pointer);
                    self.types.push(TypeDef {
                        name: name.clone(),
                        doc,
                        kind,
                    });
                    Type::Named(name)
                } else {
                    self.anonymous(class, hint, pointer)
                };
                if nullable(s) {
                    optional(ty)
                } else {
                    ty
                }
            }
        }
    }

    /// The type of a `$ref` to a component schema (an `Option` when that schema is nullable).
    pub(super) fn ref_type(&mut self, reference: &str, pointer: &str) -> Type {
        match self.resolver.component_name(reference, "schemas") {
            Some(name) if self.components.contains_key(&name) => {
                let rust = self.components[&name].clone();
                if self.nullable_components.contains(&rust) {
                    Type::Option(Box::new(Type::Named(rust)))
                } else {
                    Type::Named(rust)
                }
            }
            _ => {
                match self.resolver.schema(reference, pointer) {
                    Err(d) => self.errors.push(d),
                    Ok(_) => self.error(
                        DiagnosticKind::Internal,
                        pointer,
                        format!("`$ref: {reference}` is not a component schema"),
                    ),
                }
                Type::Json
            }
        }
    }

    /// The type of a schema class that needs no definition of its own (primitives, arrays,
    /// maps, free-form JSON).
    pub(super) fn anonymous(&mut self, class: Class<'a>, hint: &str, pointer: &str) -> Type {
        match class {
            Class::Prim(t) => t,
            Class::Json => Type::Json,
            Class::Single(member) => self.schema_type(member, hint, pointer),
            Class::Array(items) => match items {
                Some(items) => {
                    let item =
                        self.schema_type(items, &format!("{hint}Item"), &join(pointer, "items"));
                    Type::Vec(Box::new(item))
                }
                None => Type::Vec(Box::new(Type::Json)),
            },
            Class::Map(value) => {
                let v = self.schema_type(
                    sref(value),
                    &format!("{hint}Value"),
                    &join(pointer, "additionalProperties"),
                );
                Type::Map(Box::new(v))
            }
            Class::Struct
            | Class::AllOf(_)
            | Class::StringEnum
            | Class::Pattern
            | Class::Union(..) => {
                // Named classes never reach here.
                Type::Json
            }
        }
    }

    /// The definition of a type that needs a name: struct, allOf, string enum, pattern or union.
    pub(super) fn named_kind(
        &mut self,
        name: &str,
        s: &'a Schema,
        view: &View<'a>,
        class: Class<'a>,
        pointer: &str,
    ) -> TypeKind {
        match class {
            Class::Struct => {
                let props = view.properties.clone();
                let required: BTreeSet<&str> = view.required.iter().map(String::as_str).collect();
                self.build_struct(name, &props, &required, view.additional, pointer)
            }
            Class::AllOf(members) => {
                let mut props: Vec<(&'a str, SRef<'a>)> = Vec::new();
                let mut required: BTreeSet<&'a str> = BTreeSet::new();
                let mut additional = None;
                for (i, m) in members.iter().enumerate() {
                    self.collect_all_of(
                        *m,
                        &join(&join(pointer, "allOf"), &i.to_string()),
                        &mut props,
                        &mut required,
                        &mut additional,
                        0,
                    );
                }
                for (k, p) in &view.properties {
                    if !props.iter().any(|(n, _)| n == k) {
                        props.push((k, *p));
                    }
                }
                required.extend(view.required.iter().map(String::as_str));
                self.build_struct(name, &props, &required, additional, pointer)
            }
            Class::StringEnum => {
                let mut scope = Scope::default();
                let mut seen = BTreeSet::new();
                let mut variants = Vec::new();
                for value in view.enumeration.iter().filter_map(Value::as_str) {
                    if seen.insert(value) {
                        variants.push(EnumVariant {
                            name: scope.claim(&naming::variant_name(value)),
                            value: value.to_string(),
                        });
                    }
                }
                let other = catch_all(&mut scope);
                TypeKind::StringEnum { variants, other }
            }
            Class::Pattern => TypeKind::Pattern {
                pattern: view.pattern.unwrap_or_default().to_string(),
            },
            Class::Union(members, any_of) => self.build_union(name, s, members, any_of, pointer),
            _ => TypeKind::Alias { target: Type::Json },
        }
    }
}

/// The catch-all variant of an open enum: `Unknown`, or `Other` when a value took `Unknown`.
pub(super) fn catch_all(scope: &mut Scope) -> String {
    let mut probe = scope.clone();
    if probe.claim("Unknown") == "Unknown" {
        scope.claim("Unknown")
    } else {
        scope.claim("Other")
    }
}

fn optional(ty: Type) -> Type {
    match ty {
        Type::Option(_) => ty,
        other => Type::Option(Box::new(other)),
    }
}

/// A short name for a type, used to name union variants and aliases.
pub(super) fn type_label(ty: &Type) -> String {
    match ty {
        Type::String => "String".into(),
        Type::Bool => "Boolean".into(),
        Type::I32 | Type::I64 | Type::U64 => "Integer".into(),
        Type::F32 | Type::F64 => "Number".into(),
        Type::Json => "Value".into(),
        Type::Bytes => "Bytes".into(),
        Type::File => "File".into(),
        Type::Unit => "Empty".into(),
        Type::Named(n) => naming::unraw(n).to_string(),
        Type::Vec(inner) => format!("{}List", type_label(inner)),
        Type::Map(inner) => format!("{}Map", type_label(inner)),
        Type::Option(inner) | Type::Boxed(inner) => type_label(inner),
    }
}
