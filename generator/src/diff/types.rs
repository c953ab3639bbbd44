//! The named types: added, removed, and for each kept type its kind, fields, variants and
//! catch-all.

use super::*;

impl Differ {
    pub(super) fn types(&mut self, old: &Api, new: &Api) {
        let old_types: BTreeMap<&str, &TypeDef> =
            old.types.iter().map(|t| (t.name.as_str(), t)).collect();
        let new_types: BTreeMap<&str, &TypeDef> =
            new.types.iter().map(|t| (t.name.as_str(), t)).collect();
        let mut names: BTreeSet<&str> = old_types.keys().copied().collect();
        names.extend(new_types.keys().copied());
        for name in names {
            match (old_types.get(name), new_types.get(name)) {
                (Some(o), Some(n)) => self.type_def(o, n),
                (None, Some(n)) => self.push(
                    &type_subject(n),
                    Change::TypeAdded {
                        kind: KindName::of(&n.kind),
                    },
                ),
                (Some(o), None) => self.push(
                    &type_subject(o),
                    Change::TypeRemoved {
                        kind: KindName::of(&o.kind),
                    },
                ),
                (None, None) => {}
            }
        }
    }

    fn type_def(&mut self, o: &TypeDef, n: &TypeDef) {
        let s = type_subject(n);
        match (&o.kind, &n.kind) {
            (
                TypeKind::Struct {
                    fields: of,
                    additional: oa,
                    ..
                },
                TypeKind::Struct {
                    fields: nf,
                    additional: na,
                    ..
                },
            ) => self.structs(&s, (of, oa.as_ref()), (nf, na.as_ref())),
            (
                TypeKind::StringEnum {
                    variants: ov,
                    other: oo,
                },
                TypeKind::StringEnum {
                    variants: nv,
                    other: no,
                },
            ) => {
                let value = |v: &ir::EnumVariant| (v.name.clone(), v.value.clone());
                let ov: Vec<(String, String)> = ov.iter().map(value).collect();
                let nv: Vec<(String, String)> = nv.iter().map(value).collect();
                self.variants(&s, true, &ov, &nv, |_| None);
                self.catch_all(&s, oo, no);
            }
            (
                TypeKind::Tagged {
                    tag: ot,
                    variants: ov,
                    other: oo,
                },
                TypeKind::Tagged {
                    tag: nt,
                    variants: nv,
                    other: no,
                },
            ) => {
                if ot != nt {
                    self.push(
                        &s,
                        Change::TagChanged {
                            from: ot.clone(),
                            to: nt.clone(),
                        },
                    );
                }
                let value = |v: &ir::TaggedVariant| (v.name.clone(), v.tag_value.clone());
                let ovals: Vec<(String, String)> = ov.iter().map(value).collect();
                let nvals: Vec<(String, String)> = nv.iter().map(value).collect();
                let ty_of = |vs: &[ir::TaggedVariant], name: &str| {
                    vs.iter().find(|v| v.name == name).map(|v| v.ty.clone())
                };
                self.variants(&s, true, &ovals, &nvals, |name| ty_of(nv, name));
                self.variant_types(
                    &s,
                    ov.iter().map(|v| (v.name.clone(), v.ty.clone())).collect(),
                    nv.iter().map(|v| (v.name.clone(), v.ty.clone())).collect(),
                );
                self.catch_all(&s, oo, no);
            }
            (TypeKind::Untagged { variants: ov }, TypeKind::Untagged { variants: nv }) => {
                let name = |v: &ir::UntaggedVariant| (v.name.clone(), String::new());
                let onames: Vec<(String, String)> = ov.iter().map(name).collect();
                let nnames: Vec<(String, String)> = nv.iter().map(name).collect();
                let ty_of = |name: &str| nv.iter().find(|v| v.name == name).map(|v| v.ty.clone());
                self.variants(&s, false, &onames, &nnames, ty_of);
                let common = |a: &[(String, String)], b: &[(String, String)]| -> Vec<String> {
                    a.iter()
                        .filter(|v| b.contains(v))
                        .map(|(n, _)| n.clone())
                        .collect()
                };
                let (before, after) = (common(&onames, &nnames), common(&nnames, &onames));
                if before != after {
                    self.push(
                        &s,
                        Change::VariantsReordered {
                            from: before,
                            to: after,
                        },
                    );
                }
                self.variant_types(
                    &s,
                    ov.iter().map(|v| (v.name.clone(), v.ty.clone())).collect(),
                    nv.iter().map(|v| (v.name.clone(), v.ty.clone())).collect(),
                );
                let docs = |vs: &[ir::UntaggedVariant]| -> Vec<Vec<String>> {
                    vs.iter().map(|v| v.doc.clone()).collect()
                };
                if docs(ov) != docs(nv) && o.doc == n.doc {
                    self.push(&s, Change::TypeDocChanged);
                }
            }
            (TypeKind::Pattern { pattern: op }, TypeKind::Pattern { pattern: np }) => {
                if op != np {
                    self.push(
                        &s,
                        Change::PatternChanged {
                            from: op.clone(),
                            to: np.clone(),
                        },
                    );
                }
            }
            (TypeKind::Alias { target: ot }, TypeKind::Alias { target: nt }) => {
                if ot != nt {
                    self.push(
                        &s,
                        Change::AliasTargetChanged {
                            from: ot.clone(),
                            to: nt.clone(),
                        },
                    );
                }
            }
            (ok, nk) => {
                self.push(
                    &s,
                    Change::TypeKindChanged {
                        from: KindName::of(ok),
                        to: KindName::of(nk),
                    },
                );
                return;
            }
        }
        if o.doc != n.doc {
            self.push(&s, Change::TypeDocChanged);
        }
    }

    fn structs(
        &mut self,
        s: &Subject,
        (of, oa): (&[Field], Option<&(String, Type)>),
        (nf, na): (&[Field], Option<&(String, Type)>),
    ) {
        let name = match s {
            Subject::Type { name } => name.as_str(),
            _ => "",
        };
        let in_requests = self.requests.contains(name);
        let default = ir::derives_default(nf);
        for f in nf {
            let Some(old) = of.iter().find(|x| x.name == f.name) else {
                self.push(
                    s,
                    Change::FieldAdded {
                        field: f.name.clone(),
                        json: f.json_name.clone(),
                        ty: f.ty.clone(),
                        presence: f.presence,
                        in_requests,
                        derives_default: default,
                    },
                );
                continue;
            };
            let before = self.entries.len();
            if old.presence != f.presence {
                self.push(
                    s,
                    Change::FieldPresenceChanged {
                        field: f.name.clone(),
                        json: f.json_name.clone(),
                        from: old.presence,
                        to: f.presence,
                        from_ty: old.ty.clone(),
                        to_ty: f.ty.clone(),
                    },
                );
            }
            let (ov, nv) = (value_type(old), value_type(f));
            if ov != nv || (old.presence == f.presence && old.ty != f.ty) {
                let (from, to) = if ov != nv {
                    (ov.clone(), nv.clone())
                } else {
                    (old.ty.clone(), f.ty.clone())
                };
                self.push(
                    s,
                    Change::FieldTypeChanged {
                        field: f.name.clone(),
                        json: f.json_name.clone(),
                        from,
                        to,
                    },
                );
            }
            if old.json_name != f.json_name {
                self.push(
                    s,
                    Change::FieldJsonNameChanged {
                        field: f.name.clone(),
                        from: old.json_name.clone(),
                        to: f.json_name.clone(),
                    },
                );
            }
            // A field without a description is documented from its JSON name and presence,
            // so another change to it also changes its doc: report that change alone.
            if old.doc != f.doc && self.entries.len() == before {
                self.push(
                    s,
                    Change::FieldDocChanged {
                        field: f.name.clone(),
                    },
                );
            }
        }
        for f in of {
            if !nf.iter().any(|x| x.name == f.name) {
                self.push(
                    s,
                    Change::FieldRemoved {
                        field: f.name.clone(),
                        json: f.json_name.clone(),
                        ty: f.ty.clone(),
                    },
                );
            }
        }
        match (oa, na) {
            (None, Some((field, ty))) => self.push(
                s,
                Change::FieldAdded {
                    field: field.clone(),
                    json: String::new(),
                    ty: Type::Map(Box::new(ty.clone())),
                    presence: Presence::Required,
                    in_requests,
                    derives_default: default,
                },
            ),
            (Some((field, ty)), None) => self.push(
                s,
                Change::FieldRemoved {
                    field: field.clone(),
                    json: String::new(),
                    ty: Type::Map(Box::new(ty.clone())),
                },
            ),
            (Some((of, ot)), Some((nf, nt))) if of == nf && ot != nt => self.push(
                s,
                Change::FieldTypeChanged {
                    field: nf.clone(),
                    json: String::new(),
                    from: Type::Map(Box::new(ot.clone())),
                    to: Type::Map(Box::new(nt.clone())),
                },
            ),
            (Some((of, ot)), Some((nf, nt))) if of != nf => {
                self.push(
                    s,
                    Change::FieldRemoved {
                        field: of.clone(),
                        json: String::new(),
                        ty: Type::Map(Box::new(ot.clone())),
                    },
                );
                self.push(
                    s,
                    Change::FieldAdded {
                        field: nf.clone(),
                        json: String::new(),
                        ty: Type::Map(Box::new(nt.clone())),
                        presence: Presence::Required,
                        in_requests,
                        derives_default: default,
                    },
                );
            }
            _ => {}
        }
        let was_default = ir::derives_default(of);
        if was_default != default {
            self.push(s, Change::DefaultDerive { derived: default });
        }
    }

    /// Variants by Rust name, with their JSON value (string enums) or tag value (tagged
    /// unions); `exhaustive_values` says the enum has a catch-all for unknown values.
    fn variants(
        &mut self,
        s: &Subject,
        has_catch_all: bool,
        old: &[(String, String)],
        new: &[(String, String)],
        ty_of: impl Fn(&str) -> Option<Type>,
    ) {
        for (name, value) in new {
            match old.iter().find(|(n, _)| n == name) {
                None => self.push(
                    s,
                    Change::VariantAdded {
                        variant: name.clone(),
                        value: value.clone(),
                        ty: ty_of(name),
                        catch_all: has_catch_all,
                    },
                ),
                Some((_, old_value)) if old_value != value => self.push(
                    s,
                    Change::VariantValueChanged {
                        variant: name.clone(),
                        from: old_value.clone(),
                        to: value.clone(),
                    },
                ),
                Some(_) => {}
            }
        }
        for (name, value) in old {
            if !new.iter().any(|(n, _)| n == name) {
                self.push(
                    s,
                    Change::VariantRemoved {
                        variant: name.clone(),
                        value: value.clone(),
                    },
                );
            }
        }
    }

    fn variant_types(&mut self, s: &Subject, old: Vec<(String, Type)>, new: Vec<(String, Type)>) {
        for (name, t) in &new {
            if let Some((_, o)) = old.iter().find(|(n, _)| n == name) {
                if o != t {
                    self.push(
                        s,
                        Change::VariantTypeChanged {
                            variant: name.clone(),
                            from: o.clone(),
                            to: t.clone(),
                        },
                    );
                }
            }
        }
    }

    fn catch_all(&mut self, s: &Subject, old: &str, new: &str) {
        if old != new {
            self.push(
                s,
                Change::VariantRemoved {
                    variant: old.to_string(),
                    value: String::new(),
                },
            );
            self.push(
                s,
                Change::VariantAdded {
                    variant: new.to_string(),
                    value: String::new(),
                    ty: None,
                    catch_all: true,
                },
            );
        }
    }
}

/// A field's type without the `Option`s its presence adds (one for optional, one for
/// nullable), so that a presence change is not also reported as a type change.
fn value_type(f: &Field) -> Type {
    let layers = match f.presence {
        Presence::Required => 0,
        Presence::RequiredNullable | Presence::Optional => 1,
        Presence::OptionalNullable => 2,
    };
    let mut t = &f.ty;
    for _ in 0..layers {
        if let Type::Option(inner) = t {
            t = inner;
        }
    }
    t.clone()
}
