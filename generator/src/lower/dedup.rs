//! Deduplication: inline types with the same shape share one definition.

use std::collections::BTreeSet;

use crate::ir::*;

/// Makes every inline type that is structurally identical to an earlier type (by name) an
/// alias of it. Real specs repeat inline shapes (GitHub's has 3,304 inline string enums with
/// 543 distinct value sets); an alias keeps each name in the API at no compile cost. Named
/// component schemas are never turned into aliases: their names were chosen on purpose.
pub(super) fn dedup_types(types: &mut [TypeDef], components: &BTreeSet<&String>) {
    let mut first: std::collections::HashMap<String, String> = std::collections::HashMap::new();
    for def in types.iter_mut() {
        let Some(key) = shape_key(&def.kind) else {
            continue;
        };
        match first.get(&key) {
            Some(canonical) if !components.contains(&def.name) => {
                def.kind = TypeKind::Alias {
                    target: Type::Named(canonical.clone()),
                };
            }
            Some(_) => {}
            None => {
                first.insert(key, def.name.clone());
            }
        }
    }
}

/// What makes two named types interchangeable: everything but their names and docs.
fn shape_key(kind: &TypeKind) -> Option<String> {
    use std::fmt::Write as _;
    let mut key = String::new();
    match kind {
        TypeKind::Struct { fields, additional } => {
            key.push('S');
            for f in fields {
                let _ = write!(
                    key,
                    "|{}:{}:{:?}:{:?}",
                    f.name, f.json_name, f.presence, f.ty
                );
            }
            let _ = write!(key, "|+{additional:?}");
        }
        TypeKind::StringEnum { variants, other } => {
            key.push('E');
            for v in variants {
                let _ = write!(key, "|{}={}", v.name, v.value);
            }
            let _ = write!(key, "|*{other}");
        }
        TypeKind::Tagged {
            tag,
            variants,
            other,
        } => {
            let _ = write!(key, "T{tag}");
            for v in variants {
                let _ = write!(key, "|{}={}:{:?}", v.name, v.tag_value, v.ty);
            }
            let _ = write!(key, "|*{other}");
        }
        TypeKind::Untagged { variants } => {
            key.push('U');
            for v in variants {
                let _ = write!(key, "|{}:{:?}", v.name, v.ty);
            }
        }
        TypeKind::Pattern { pattern } => {
            let _ = write!(key, "P{pattern}");
        }
        // An alias is already as cheap as it gets.
        TypeKind::Alias { .. } => return None,
    }
    Some(key)
}
