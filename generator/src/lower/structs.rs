//! Structs: one field per property, in spec order, with the presence rules of
//! required and nullable properties.

use std::collections::BTreeSet;

use openapiv3::{AdditionalProperties, ReferenceOr};

use super::docs::{bare_field_doc, field_doc, summary_doc};
use super::view::{sref, SRef};
use super::Lower;
use crate::error::join;
use crate::ir::*;
use crate::naming::{self, Scope};

impl<'a> Lower<'a> {
    /// A struct with one field per property (the discriminator of a tagged variant left out).
    pub(super) fn build_struct(
        &mut self,
        name: &str,
        props: &[(&'a str, SRef<'a>)],
        required: &BTreeSet<&str>,
        additional: Option<&'a AdditionalProperties>,
        pointer: &str,
    ) -> TypeKind {
        let mut scope = Scope::default();
        let mut fields = Vec::with_capacity(props.len());
        for (json_name, prop) in props {
            if self
                .strip_tags
                .get(name)
                .is_some_and(|tag| tag == json_name)
            {
                // The discriminator becomes the enum tag; the variant struct does not repeat it.
                continue;
            }
            let (snake, camel) = self.property_names.entry(json_name).or_insert_with(|| {
                (
                    naming::snake_name(json_name),
                    naming::unraw(&naming::type_name(json_name)).to_string(),
                )
            });
            let field_name = scope.claim(snake);
            let hint = format!("{}{camel}", naming::unraw(name));
            let prop_pointer = join(&join(pointer, "properties"), json_name);
            let ty = self.schema_type(*prop, &hint, &prop_pointer);
            let mut doc = match prop {
                SRef::Item(s) => field_doc(s),
                SRef::Ref(r) => match self.resolver.schema_item(
                    &ReferenceOr::Reference {
                        reference: r.to_string(),
                    },
                    &prop_pointer,
                ) {
                    Ok((_, target)) => summary_doc(target),
                    Err(_) => Vec::new(),
                },
            };
            let (ty, presence) = if required.contains(json_name) {
                if matches!(ty, Type::Option(_)) {
                    (ty, Presence::RequiredNullable)
                } else {
                    (ty, Presence::Required)
                }
            } else if matches!(ty, Type::Option(_)) {
                (Type::Option(Box::new(ty)), Presence::OptionalNullable)
            } else {
                (Type::Option(Box::new(ty)), Presence::Optional)
            };
            if doc.is_empty() {
                doc = bare_field_doc(json_name, presence);
            }
            fields.push(Field {
                name: field_name,
                json_name: json_name.to_string(),
                doc,
                ty,
                presence,
            });
        }
        let additional = match additional {
            Some(AdditionalProperties::Schema(s)) => {
                let ty = self.schema_type(
                    sref(s),
                    &format!("{}Value", naming::unraw(name)),
                    &join(pointer, "additionalProperties"),
                );
                Some((scope.claim("additional_properties"), ty))
            }
            _ => None,
        };
        TypeKind::Struct {
            fields,
            additional,
            tag: None,
        }
    }
}
