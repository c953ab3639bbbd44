//! Recursion: references that close a cycle of by-value containment are boxed, so every
//! type has a finite size; aliases that reach themselves through aliases only (which Rust
//! refuses, E0391) become free-form JSON where they close the cycle.

use std::collections::BTreeMap;

use super::{join, Lower};
use crate::error::DiagnosticKind;
use crate::ir::*;
use crate::naming;

impl<'a> Lower<'a> {
    /// Boxes every reference that closes a cycle of by-value containment, so every type has a
    /// finite size. Uses strongly connected components: an edge inside one component is boxed.
    pub(super) fn break_recursion(&mut self) {
        let index: BTreeMap<String, usize> = self
            .types
            .iter()
            .enumerate()
            .map(|(i, t)| (t.name.clone(), i))
            .collect();
        let mut edges: Vec<Vec<usize>> = vec![Vec::new(); self.types.len()];
        for (i, def) in self.types.iter().enumerate() {
            for ty in direct_types(&def.kind) {
                collect_direct(ty, &mut |n| {
                    if let Some(&j) = index.get(n) {
                        edges[i].push(j);
                    }
                });
            }
        }
        let component = scc(&edges);
        for i in 0..self.types.len() {
            let comp = component[i];
            let boxes = |ty: &mut Type| {
                box_direct(ty, &mut |n| {
                    index.get(n).is_some_and(|&j| component[j] == comp)
                });
            };
            match &mut self.types[i].kind {
                TypeKind::Struct { fields, .. } => fields.iter_mut().for_each(|f| boxes(&mut f.ty)),
                TypeKind::Tagged { variants, .. } => {
                    variants.iter_mut().for_each(|v| boxes(&mut v.ty))
                }
                TypeKind::Untagged { variants } => {
                    variants.iter_mut().for_each(|v| boxes(&mut v.ty))
                }
                TypeKind::Alias { .. } | TypeKind::StringEnum { .. } | TypeKind::Pattern { .. } => {
                }
            }
        }
    }
}

impl Lower<'_> {
    /// Breaks every cycle of type aliases: `A = B; B = A` (`allOf`, `oneOf` or `anyOf` of
    /// one `$ref`, or a `$ref` to itself), and aliases that contain themselves
    /// (`L = Vec<L>`, `M = BTreeMap<String, M>`, `N = Option<N>`). Rust expands aliases
    /// eagerly, so such a cycle does not compile; it describes no value but "any JSON" (of
    /// that container shape), so each reference closing it becomes free-form JSON, with a
    /// warning at the schema.
    pub(super) fn break_alias_cycles(&mut self) {
        let aliases: BTreeMap<String, usize> = self
            .types
            .iter()
            .enumerate()
            .filter(|(_, t)| matches!(t.kind, TypeKind::Alias { .. }))
            .map(|(i, t)| (t.name.clone(), i))
            .collect();
        if aliases.is_empty() {
            return;
        }
        let mut edges: Vec<Vec<usize>> = vec![Vec::new(); self.types.len()];
        for &i in aliases.values() {
            if let TypeKind::Alias { target } = &self.types[i].kind {
                collect_named(target, &mut |n| {
                    if let Some(&j) = aliases.get(n) {
                        edges[i].push(j);
                    }
                });
            }
        }
        let component = scc(&edges);
        let mut broken = Vec::new();
        for &i in aliases.values() {
            let comp = component[i];
            if let TypeKind::Alias { target } = &mut self.types[i].kind {
                let mut changed = false;
                replace_named(target, &mut |n| {
                    let closes = aliases.get(n).is_some_and(|&j| component[j] == comp);
                    changed |= closes;
                    closes
                });
                if changed {
                    broken.push(self.types[i].name.clone());
                }
            }
        }
        for name in broken {
            let pointer = self.pointer_of(&name);
            self.warn(
                DiagnosticKind::Approximated,
                &pointer,
                format!(
                    "`{name}` is an alias that contains itself (through `$ref`, `allOf`/`oneOf`/`anyOf` of one schema, `nullable`, or arrays and maps of itself): the reference that closes the cycle is free-form JSON"
                ),
            );
        }
    }
}

impl Lower<'_> {
    /// Breaks every cycle of untagged unions that reach themselves without consuming input:
    /// `L = oneOf[L, string]`, or `U1 = oneOf[U2, string]` with `U2 = oneOf[U1, integer]`
    /// (directly, through aliases or `Option`). Decoding one would try the union inside
    /// itself forever, and its fallback constant would be defined by itself (E0391). The
    /// values of such a cycle are those of its members' other variants, so each member takes
    /// them all instead of the variants that close the cycle (a member left with none is
    /// free-form JSON), with a warning at the schema.
    pub(super) fn break_union_cycles(&mut self) {
        let index: BTreeMap<String, usize> = self
            .types
            .iter()
            .enumerate()
            .map(|(i, t)| (t.name.clone(), i))
            .collect();
        let mut edges: Vec<Vec<usize>> = vec![Vec::new(); self.types.len()];
        for (i, def) in self.types.iter().enumerate() {
            let reached: Vec<&Type> = match &def.kind {
                TypeKind::Untagged { variants } => variants.iter().map(|v| &v.ty).collect(),
                TypeKind::Alias { target } => vec![target],
                _ => continue,
            };
            for ty in reached {
                collect_unconsumed(ty, &mut |n| {
                    if let Some(&j) = index.get(n) {
                        edges[i].push(j);
                    }
                });
            }
        }
        let component = scc(&edges);
        let closes = |ty: &Type, comp: usize| {
            let mut found = false;
            collect_unconsumed(ty, &mut |n| {
                found |= index.get(n).is_some_and(|&j| component[j] == comp);
            });
            found
        };
        // The members of each cyclic component that are unions, in order.
        let mut members: BTreeMap<usize, Vec<usize>> = BTreeMap::new();
        for (i, def) in self.types.iter().enumerate() {
            if matches!(def.kind, TypeKind::Untagged { .. })
                && edges[i].iter().any(|&j| component[j] == component[i])
            {
                members.entry(component[i]).or_default().push(i);
            }
        }
        for (comp, union_members) in members {
            // The variants that do not close the cycle, of every member.
            let mut kept: Vec<(usize, UntaggedVariant)> = Vec::new();
            for &i in &union_members {
                if let TypeKind::Untagged { variants } = &self.types[i].kind {
                    kept.extend(
                        variants
                            .iter()
                            .filter(|v| !closes(&v.ty, comp))
                            .map(|v| (i, v.clone())),
                    );
                }
            }
            for &i in &union_members {
                let own = kept.iter().filter(|(owner, _)| *owner == i);
                let others = kept.iter().filter(|(owner, _)| *owner != i);
                let mut scope = naming::Scope::default();
                let mut seen: Vec<&Type> = Vec::new();
                let mut variants = Vec::new();
                for (_, variant) in own.chain(others) {
                    if seen.contains(&&variant.ty) {
                        continue;
                    }
                    seen.push(&variant.ty);
                    variants.push(UntaggedVariant {
                        name: scope.claim(&variant.name),
                        ..variant.clone()
                    });
                }
                let name = self.types[i].name.clone();
                self.types[i].kind = if variants.is_empty() {
                    TypeKind::Alias { target: Type::Json }
                } else {
                    TypeKind::Untagged { variants }
                };
                let pointer = self.pointer_of(&name);
                self.warn(
                    DiagnosticKind::Approximated,
                    &pointer,
                    format!(
                        "`{name}` is a union that contains itself (through `oneOf`/`anyOf`, aliases or `nullable`) without any JSON around it: the variants that close the cycle are replaced by the other variants of the unions in it"
                    ),
                );
            }
        }
    }

    /// The JSON pointer of the component schema lowered as `rust`, or of the components'
    /// schemas when it is an inline type.
    fn pointer_of(&self, rust: &str) -> String {
        match self.components.iter().find(|(_, name)| *name == rust) {
            Some((spec, _)) => join("#/components/schemas", spec),
            None => "#/components/schemas".to_string(),
        }
    }
}

/// The named types a value of `ty` is decoded as without consuming input first: `ty`
/// itself, through `Option` and `Box` (not inside an array or a map).
fn collect_unconsumed(ty: &Type, found: &mut impl FnMut(&str)) {
    match ty {
        Type::Named(n) => found(n),
        Type::Option(inner) | Type::Boxed(inner) => collect_unconsumed(inner, found),
        _ => {}
    }
}

/// Every named type `ty` mentions, at any depth.
fn collect_named(ty: &Type, found: &mut impl FnMut(&str)) {
    match ty {
        Type::Named(n) => found(n),
        Type::Vec(inner) | Type::Map(inner) | Type::Option(inner) | Type::Boxed(inner) => {
            collect_named(inner, found)
        }
        _ => {}
    }
}

/// Replaces the named types `ty` mentions, at any depth, for which `replace` is true, by
/// free-form JSON.
fn replace_named(ty: &mut Type, replace: &mut impl FnMut(&str) -> bool) {
    match ty {
        Type::Named(n) if replace(n) => *ty = Type::Json,
        Type::Vec(inner) | Type::Map(inner) | Type::Option(inner) | Type::Boxed(inner) => {
            replace_named(inner, replace)
        }
        _ => {}
    }
}

/// The types a definition holds by value (not behind `Vec` or a map).
fn direct_types(kind: &TypeKind) -> Vec<&Type> {
    match kind {
        TypeKind::Struct { fields, .. } => fields.iter().map(|f| &f.ty).collect(),
        TypeKind::Tagged { variants, .. } => variants.iter().map(|v| &v.ty).collect(),
        TypeKind::Untagged { variants } => variants.iter().map(|v| &v.ty).collect(),
        TypeKind::Alias { target } => vec![target],
        TypeKind::StringEnum { .. } | TypeKind::Pattern { .. } => Vec::new(),
    }
}

fn collect_direct(ty: &Type, found: &mut impl FnMut(&str)) {
    match ty {
        Type::Named(n) => found(n),
        Type::Option(inner) => collect_direct(inner, found),
        _ => {}
    }
}

fn box_direct(ty: &mut Type, same_component: &mut impl FnMut(&str) -> bool) {
    match ty {
        Type::Named(n) if same_component(n) => {
            *ty = Type::Boxed(Box::new(Type::Named(n.clone())));
        }
        Type::Option(inner) => box_direct(inner, same_component),
        _ => {}
    }
}

/// Tarjan's strongly connected components; returns the component index of every node.
/// Iterative, so deep type graphs cannot overflow the stack.
fn scc(edges: &[Vec<usize>]) -> Vec<usize> {
    let n = edges.len();
    let mut index = vec![usize::MAX; n];
    let mut low = vec![0; n];
    let mut on_stack = vec![false; n];
    let mut stack = Vec::new();
    let mut component = vec![usize::MAX; n];
    let mut next_index = 0;
    let mut next_component = 0;
    for root in 0..n {
        if index[root] != usize::MAX {
            continue;
        }
        let mut work: Vec<(usize, usize)> = vec![(root, 0)];
        while let Some(&mut (v, ref mut child)) = work.last_mut() {
            if *child == 0 && index[v] == usize::MAX {
                index[v] = next_index;
                low[v] = next_index;
                next_index += 1;
                stack.push(v);
                on_stack[v] = true;
            }
            if let Some(&w) = edges[v].get(*child) {
                *child += 1;
                if index[w] == usize::MAX {
                    work.push((w, 0));
                } else if on_stack[w] {
                    low[v] = low[v].min(index[w]);
                }
                continue;
            }
            work.pop();
            if let Some(&(parent, _)) = work.last() {
                low[parent] = low[parent].min(low[v]);
            }
            if low[v] == index[v] {
                while let Some(w) = stack.pop() {
                    on_stack[w] = false;
                    component[w] = next_component;
                    if w == v {
                        break;
                    }
                }
                next_component += 1;
            }
        }
    }
    // A node alone in its component is only recursive through a self-edge; mark others
    // distinct so `component[i] == component[j]` means "i and j are in one cycle".
    let mut sizes = vec![0usize; next_component];
    for &c in &component {
        sizes[c] += 1;
    }
    component
        .iter()
        .enumerate()
        .map(|(i, &c)| {
            if sizes[c] == 1 && !edges[i].contains(&i) {
                usize::MAX - i
            } else {
                c
            }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn scc_finds_cycles() {
        // 0 → 1 → 2 → 0, 3 → 3, 4 → 0
        let edges = vec![vec![1], vec![2], vec![0], vec![3], vec![0]];
        let c = scc(&edges);
        assert_eq!(c[0], c[1]);
        assert_eq!(c[1], c[2]);
        assert_ne!(c[3], c[0]);
        assert_ne!(c[4], c[0]);
        assert_ne!(c[4], c[3]);
    }
}
