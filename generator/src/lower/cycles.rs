//! Recursion: references that close a cycle of by-value containment are boxed, so every
//! type has a finite size.

use std::collections::BTreeMap;

use super::Lower;
use crate::ir::*;

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
