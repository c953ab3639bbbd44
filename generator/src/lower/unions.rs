//! Unions: oneOf/anyOf as tagged enums (with a discriminator over component schemas) or
//! untagged enums, and the tag property their variant structs leave out.

use openapiv3::{ReferenceOr, Schema};
use serde_json::Value;

use super::docs::summary_doc;
use super::types::{catch_all, type_label};
use super::view::{SRef, View};
use super::Lower;
use crate::error::{join, unescape_segment, DiagnosticKind};
use crate::ir::*;
use crate::naming::{self, Scope};

impl<'a> Lower<'a> {
    /// Records, before any struct is built, which component schemas are variants of a
    /// discriminated oneOf/anyOf, so their tag property is left out of the struct.
    pub(super) fn discriminated_variants(&mut self, names: &[&String]) {
        let Some(components) = &self.spec.components else {
            return;
        };
        for name in names {
            let Some(ReferenceOr::Item(s)) = components.schemas.get(*name) else {
                continue;
            };
            let Some(disc) = &s.schema_data.discriminator else {
                continue;
            };
            let view = View::of(s);
            let members = if view.one_of.is_empty() {
                view.any_of
            } else {
                view.one_of
            };
            if !members
                .iter()
                .all(|m| matches!(m, ReferenceOr::Reference { .. }))
            {
                continue;
            }
            for m in members {
                if let ReferenceOr::Reference { reference } = m {
                    if let Some(rust) = self
                        .resolver
                        .component_name(reference, "schemas")
                        .and_then(|c| self.components.get(&c))
                    {
                        self.strip_tags
                            .insert(rust.clone(), disc.property_name.clone());
                    }
                }
            }
        }
    }

    /// A oneOf/anyOf: a tagged enum when a discriminator picks among component schemas, else
    /// an untagged enum tried in order.
    pub(super) fn build_union(
        &mut self,
        name: &str,
        s: &'a Schema,
        members: Vec<SRef<'a>>,
        any_of: bool,
        pointer: &str,
    ) -> TypeKind {
        let key = if any_of { "anyOf" } else { "oneOf" };
        if let Some(disc) = &s.schema_data.discriminator {
            if members.iter().all(|m| matches!(m, SRef::Ref(_))) {
                let mut scope = Scope::default();
                let mut variants = Vec::new();
                for m in &members {
                    let SRef::Ref(reference) = m else { continue };
                    let Some(component) = self.resolver.component_name(reference, "schemas") else {
                        self.ref_type(reference, pointer);
                        continue;
                    };
                    let ty = self.ref_type(reference, pointer);
                    let mut tags: Vec<&str> = disc
                        .mapping
                        .iter()
                        .filter(|(_, target)| {
                            *target == reference || target.as_str() == component.as_str()
                        })
                        .map(|(tag, _)| tag.as_str())
                        .collect();
                    if tags.is_empty() {
                        tags.push(component.as_str());
                    }
                    if let Type::Named(rust) = &ty {
                        self.strip_tags
                            .insert(rust.clone(), disc.property_name.clone());
                    }
                    for tag in tags {
                        variants.push(TaggedVariant {
                            name: scope.claim(&naming::variant_name(tag)),
                            tag_value: tag.to_string(),
                            ty: ty.clone(),
                        });
                    }
                }
                let other = catch_all(&mut scope);
                return TypeKind::Tagged {
                    tag: disc.property_name.clone(),
                    variants,
                    other,
                };
            }
            self.warn(
                DiagnosticKind::Approximated,
                &join(pointer, "discriminator"),
                "a discriminator over inline schemas is not used; the union is untagged",
            );
        }
        // Inline members are named from their content: their title, else their JSON type
        // (objects told apart by a property only they have).
        let objects: Vec<Vec<&str>> = members
            .iter()
            .filter_map(|m| match m {
                SRef::Item(s) => Some(View::of(s)),
                SRef::Ref(_) => None,
            })
            .filter(|v| json_kind(v) == JsonKind::Object)
            .map(|v| v.properties.iter().map(|(k, _)| *k).collect())
            .collect();
        let mut scope = Scope::default();
        let mut variants: Vec<UntaggedVariant> = Vec::new();
        for (i, m) in members.iter().enumerate() {
            let at = join(&join(pointer, key), &i.to_string());
            let content = match m {
                SRef::Item(s) => Some(member_label(s, &objects)),
                SRef::Ref(_) => None,
            };
            let hint = format!(
                "{}{}",
                naming::unraw(name),
                content.as_deref().unwrap_or_default()
            );
            let defined = self.types.len();
            let ty = self.schema_type(*m, &hint, &at);
            if variants.iter().any(|v| v.ty == ty) {
                continue;
            }
            // A type defined here for the member is named by its content; anything else
            // (a referenced schema, a primitive, a list) by its type.
            let inline =
                named(&ty).is_some_and(|n| self.types[defined..].iter().any(|t| t.name == n));
            let label = match content {
                Some(label) if inline => label,
                _ => naming::type_name(&type_label(&ty)),
            };
            let doc = self.variant_doc(*m, &at);
            variants.push(UntaggedVariant {
                name: scope.claim(&label),
                doc,
                ty,
            });
        }
        // A free-form variant matches everything: it must be tried last.
        variants.sort_by_key(|v| matches!(v.ty, Type::Json));
        TypeKind::Untagged { variants }
    }

    /// The doc of an untagged variant: the first paragraph of its schema's description, else
    /// the JSON type it takes.
    fn variant_doc(&self, member: SRef<'a>, pointer: &str) -> Vec<String> {
        let schema = match member {
            SRef::Item(s) => Some(s),
            SRef::Ref(reference) => self
                .resolver
                .schema(reference, pointer)
                .ok()
                .and_then(|(_, r)| self.resolver.schema_item(r, pointer).ok())
                .map(|(_, s)| s),
        };
        let Some(schema) = schema else {
            return vec!["Any JSON value.".to_string()];
        };
        let summary = summary_doc(schema);
        if summary.is_empty() {
            vec![json_kind(&View::of(schema)).doc().to_string()]
        } else {
            summary
        }
    }

    /// Drops the discriminator property from the structs that are variants of a tagged enum.
    pub(super) fn strip_tag_fields(&mut self) {
        for def in &mut self.types {
            if let (
                Some(tag),
                TypeKind::Struct {
                    fields, tag: kept, ..
                },
            ) = (self.strip_tags.get(&def.name), &mut def.kind)
            {
                fields.retain(|f| &f.json_name != tag);
                *kept = Some(tag.clone());
            }
        }
    }
}

/// The JSON type a schema takes, as far as its keywords tell.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum JsonKind {
    Object,
    Array,
    String,
    Integer,
    Number,
    Boolean,
    Any,
}

impl JsonKind {
    /// The word that names a union member of this kind.
    fn label(self) -> &'static str {
        match self {
            JsonKind::Object => "Object",
            JsonKind::Array => "Array",
            JsonKind::String => "String",
            JsonKind::Integer => "Integer",
            JsonKind::Number => "Number",
            JsonKind::Boolean => "Boolean",
            JsonKind::Any => "Value",
        }
    }

    /// The doc of a union member of this kind.
    fn doc(self) -> &'static str {
        match self {
            JsonKind::Object => "A JSON object.",
            JsonKind::Array => "A JSON array.",
            JsonKind::String => "A JSON string.",
            JsonKind::Integer => "A JSON integer.",
            JsonKind::Number => "A JSON number.",
            JsonKind::Boolean => "A JSON boolean.",
            JsonKind::Any => "Any JSON value.",
        }
    }
}

fn json_kind(view: &View<'_>) -> JsonKind {
    match view.typ {
        Some("object") => JsonKind::Object,
        Some("array") => JsonKind::Array,
        Some("string") => JsonKind::String,
        Some("integer") => JsonKind::Integer,
        Some("number") => JsonKind::Number,
        Some("boolean") => JsonKind::Boolean,
        _ if !view.properties.is_empty() || !view.all_of.is_empty() => JsonKind::Object,
        _ if view.items.is_some() => JsonKind::Array,
        _ => JsonKind::Any,
    }
}

/// The name part of an inline union member: its title; else the value of a one-value string
/// enum; else the first schema an allOf extends; else, for one of several inline objects, `With` and the first property no other of them has; else its JSON type.
fn member_label(s: &Schema, objects: &[Vec<&str>]) -> String {
    if let Some(title) = &s.schema_data.title {
        return naming::unraw(&naming::type_name(title)).to_string();
    }
    let view = View::of(s);
    if let [Value::String(only)] = view.enumeration.as_slice() {
        // A constant: its value says what it is.
        return naming::unraw(&naming::variant_name(only)).to_string();
    }
    if let Some(ReferenceOr::Reference { reference }) = view
        .all_of
        .iter()
        .find(|m| matches!(m, ReferenceOr::Reference { .. }))
    {
        // An extension of a named schema: named after it.
        if let Some(last) = reference.rsplit('/').next() {
            return naming::unraw(&naming::type_name(&unescape_segment(last))).to_string();
        }
    }
    let kind = json_kind(&view);
    if kind == JsonKind::Object && objects.len() > 1 {
        let own: Vec<&str> = view.properties.iter().map(|(k, _)| *k).collect();
        let others: Vec<&&str> = objects
            .iter()
            .filter(|props| **props != own)
            .flatten()
            .collect();
        if let Some(unique) = own.iter().find(|p| !others.contains(p)) {
            return format!("With{}", naming::unraw(&naming::type_name(unique)));
        }
    }
    kind.label().to_string()
}

/// The name of a named type, seen through `Option`.
fn named(ty: &Type) -> Option<&str> {
    match ty {
        Type::Named(n) => Some(n),
        Type::Option(inner) => named(inner),
        _ => None,
    }
}
