//! Unions: oneOf/anyOf as tagged enums (with a discriminator over component schemas) or
//! untagged enums, and the tag property their variant structs leave out.

use openapiv3::{ReferenceOr, Schema};

use super::types::{catch_all, type_label};
use super::view::{SRef, View};
use super::Lower;
use crate::error::{join, DiagnosticKind};
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
        let mut scope = Scope::default();
        let mut variants: Vec<UntaggedVariant> = Vec::new();
        for (i, m) in members.iter().enumerate() {
            let hint = format!("{}Variant{}", naming::unraw(name), i + 1);
            let ty = self.schema_type(*m, &hint, &join(&join(pointer, key), &i.to_string()));
            if variants.iter().any(|v| v.ty == ty) {
                continue;
            }
            let label = naming::type_name(&type_label(&ty));
            variants.push(UntaggedVariant {
                name: scope.claim(&label),
                ty,
            });
        }
        // A free-form variant matches everything: it must be tried last.
        variants.sort_by_key(|v| matches!(v.ty, Type::Json));
        TypeKind::Untagged { variants }
    }

    /// Drops the discriminator property from the structs that are variants of a tagged enum.
    pub(super) fn strip_tag_fields(&mut self) {
        for def in &mut self.types {
            if let (Some(tag), TypeKind::Struct { fields, .. }) =
                (self.strip_tags.get(&def.name), &mut def.kind)
            {
                fields.retain(|f| &f.json_name != tag);
            }
        }
    }
}
