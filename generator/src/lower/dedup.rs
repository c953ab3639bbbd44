//! Deduplication: inline types with the same shape share one definition.

use std::collections::{BTreeMap, BTreeSet, HashMap};

use crate::ir::*;
use crate::naming::{self, Scope};

/// Makes inline types that are structurally identical aliases of one definition. Real specs
/// repeat inline shapes (GitHub's has 3,304 inline string enums with 543 distinct value sets);
/// an alias keeps each name in the API at no compile cost. The definition's name must not
/// mislead, so in each group of types with one shape, each inline type (in name order)
/// becomes an alias of:
///
/// 1. the first type of the group (by name) that is related to it: a component schema, or
///    an inline type kept as a definition, for the same role (the same last word of their
///    names, e.g. `...State`; see [`naming::role`]);
/// 2. else, when the shape can be named from its content (an untagged union or a string enum
///    of two or three values, e.g. `StringOrInteger`, `ReadOrWrite`; see
///    [`naming::alternatives`]), a new definition under that name;
/// 3. else, the first component schema of the group: the spec named that shape;
/// 4. else nothing: it stays a definition, which later types of its role alias.
///
/// Named component schemas are never turned into aliases: their names were chosen on purpose.
/// `types` must be sorted by name; it stays sorted. New names are claimed in `scope`.
pub(super) fn dedup_types(
    types: &mut Vec<TypeDef>,
    components: &BTreeSet<&String>,
    scope: &mut Scope,
) {
    let mut groups: HashMap<String, Vec<usize>> = HashMap::new();
    let mut order: Vec<String> = Vec::new();
    for (i, def) in types.iter().enumerate() {
        let Some(key) = shape_key(&def.kind) else {
            continue;
        };
        let group = groups.entry(key).or_default();
        if group.is_empty() {
            order.push(shape_key(&def.kind).unwrap_or_default());
        }
        group.push(i);
    }
    let alias = |target: &str| TypeKind::Alias {
        target: Type::Named(target.to_string()),
    };
    let mut shared = Vec::new();
    for key in &order {
        let group = &groups[key];
        if group.len() < 2 {
            continue;
        }
        let (owned, inline): (Vec<usize>, Vec<usize>) = group
            .iter()
            .partition(|&&i| components.contains(&types[i].name));
        if inline.is_empty() {
            continue;
        }
        let neutral = shape_name(&types[group[0]].kind);
        let mut neutral_name: Option<String> = None;
        let mut first_by_role: BTreeMap<String, String> = BTreeMap::new();
        for &i in &owned {
            let role = naming::role(&types[i].name).to_string();
            first_by_role
                .entry(role)
                .or_insert_with(|| types[i].name.clone());
        }
        for &i in &inline {
            let role = naming::role(&types[i].name).to_string();
            let target = if let Some(related) = first_by_role.get(&role) {
                related.clone()
            } else if let Some(neutral) = &neutral {
                neutral_name
                    .get_or_insert_with(|| {
                        let name = scope.claim(neutral);
                        shared.push(TypeDef {
                            name: name.clone(),
                            doc: shared_doc(group.iter().map(|&i| types[i].name.as_str())),
                            kind: types[group[0]].kind.clone(),
                        });
                        name
                    })
                    .clone()
            } else if let Some(&first) = owned.first() {
                types[first].name.clone()
            } else {
                first_by_role.insert(role, types[i].name.clone());
                continue;
            };
            types[i].kind = alias(&target);
        }
    }
    if !shared.is_empty() {
        types.extend(shared);
        types.sort_by(|a, b| a.name.cmp(&b.name));
    }
}

/// A name that says what a shape is, when its content gives one.
fn shape_name(kind: &TypeKind) -> Option<String> {
    let parts: Vec<&str> = match kind {
        TypeKind::Untagged { variants } => variants.iter().map(|v| v.name.as_str()).collect(),
        TypeKind::StringEnum { variants, .. } => variants.iter().map(|v| v.name.as_str()).collect(),
        _ => return None,
    };
    naming::alternatives(&parts)
}

/// The doc of a definition shared by several types: which ones.
fn shared_doc<'n>(names: impl Iterator<Item = &'n str>) -> Vec<String> {
    let names: Vec<&str> = names.map(naming::unraw).collect();
    let shown: Vec<String> = names.iter().take(3).map(|n| format!("`{n}`")).collect();
    let rest = names.len() - shown.len();
    let list = match rest {
        0 => {
            let (last, init) = shown
                .split_last()
                .map_or(("", &[][..]), |(l, i)| (l.as_str(), i));
            format!("{} and {last}", init.join(", "))
        }
        1 => format!("{} and 1 other type", shown.join(", ")),
        n => format!("{} and {n} other types", shown.join(", ")),
    };
    vec![format!("The shape shared by {list}.")]
}

/// What makes two named types interchangeable: everything but their names and docs.
fn shape_key(kind: &TypeKind) -> Option<String> {
    use std::fmt::Write as _;
    let mut key = String::new();
    match kind {
        TypeKind::Struct {
            fields,
            additional,
            tag,
        } => {
            key.push('S');
            for f in fields {
                let _ = write!(
                    key,
                    "|{}:{}:{:?}:{:?}",
                    f.name, f.json_name, f.presence, f.ty
                );
            }
            let _ = write!(key, "|+{additional:?}|#{tag:?}");
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
