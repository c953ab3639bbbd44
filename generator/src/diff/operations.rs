//! The client methods: added, removed, renamed, and for each kept method its parameters,
//! body and results.

use super::*;

impl Differ {
    pub(super) fn operations(&mut self, old: &Api, new: &Api) {
        let old_ops: BTreeMap<&str, &Operation> = old
            .operations
            .iter()
            .map(|o| (o.name.as_str(), o))
            .collect();
        let new_ops: BTreeMap<&str, &Operation> = new
            .operations
            .iter()
            .map(|o| (o.name.as_str(), o))
            .collect();
        // A method that is gone, and a new one for the same endpoint: a rename.
        let endpoint = |o: &Operation| (o.method.clone(), o.path.clone());
        let gone: BTreeMap<(String, String), &Operation> = old
            .operations
            .iter()
            .filter(|o| !new_ops.contains_key(o.name.as_str()))
            .map(|o| (endpoint(o), o))
            .collect();
        let mut renamed: BTreeMap<&str, &Operation> = BTreeMap::new();
        for n in &new.operations {
            if !old_ops.contains_key(n.name.as_str()) {
                if let Some(o) = gone.get(&endpoint(n)) {
                    renamed.insert(n.name.as_str(), o);
                }
            }
        }
        let renamed_from: BTreeSet<&str> = renamed.values().map(|o| o.name.as_str()).collect();
        let mut names: BTreeSet<&str> = old_ops.keys().copied().collect();
        names.extend(new_ops.keys().copied());
        for name in names {
            match (old_ops.get(name), new_ops.get(name)) {
                (Some(o), Some(n)) => self.operation(o, n),
                (None, Some(n)) => {
                    let s = op_subject(n);
                    match renamed.get(name) {
                        Some(o) => {
                            self.push(
                                &s,
                                Change::OperationRenamed {
                                    from: o.name.clone(),
                                },
                            );
                            self.operation_body(&s, o, n);
                        }
                        None => self.push(&s, Change::OperationAdded),
                    }
                }
                (Some(o), None) if !renamed_from.contains(name) => {
                    self.push(&op_subject(o), Change::OperationRemoved)
                }
                _ => {}
            }
        }
    }

    fn operation(&mut self, o: &Operation, n: &Operation) {
        let s = op_subject(n);
        if (o.method.as_str(), o.path.as_str()) != (n.method.as_str(), n.path.as_str()) {
            self.push(
                &s,
                Change::EndpointChanged {
                    from: format!("{} {}", o.method, o.path),
                },
            );
        }
        self.operation_body(&s, o, n);
    }

    /// Everything of an operation but its name and endpoint.
    fn operation_body(&mut self, s: &Subject, o: &Operation, n: &Operation) {
        self.params(s, o, n);
        self.body(s, o, n);
        self.outcome(s, Side::Success, &o.success, &n.success);
        self.outcome(s, Side::Error, &o.error, &n.error);
        if o.accept != n.accept {
            self.push(
                s,
                Change::AcceptChanged {
                    from: o.accept.clone(),
                    to: n.accept.clone(),
                },
            );
        }
        let docs = |op: &Operation| -> (Vec<String>, Vec<Option<String>>) {
            (
                op.doc.clone(),
                op.params.iter().map(|p| p.doc.clone()).collect(),
            )
        };
        if docs(o) != docs(n) {
            self.push(s, Change::OperationDocChanged);
        }
    }

    fn params(&mut self, s: &Subject, o: &Operation, n: &Operation) {
        let find = |op: &'_ Operation, name: &str| -> Option<Param> {
            op.params.iter().find(|p| p.name == name).cloned()
        };
        for p in &n.params {
            let Some(old) = find(o, &p.name) else {
                self.push(
                    s,
                    Change::ParamAdded {
                        param: p.name.clone(),
                        wire: p.wire_name.clone(),
                        location: p.location,
                        ty: p.ty.clone(),
                        required: p.required,
                    },
                );
                continue;
            };
            if old.required != p.required {
                self.push(
                    s,
                    Change::ParamRequiredChanged {
                        param: p.name.clone(),
                        required: p.required,
                    },
                );
            }
            if old.ty != p.ty {
                self.push(
                    s,
                    Change::ParamTypeChanged {
                        param: p.name.clone(),
                        from: old.ty.clone(),
                        to: p.ty.clone(),
                    },
                );
            }
            if (old.wire_name.as_str(), old.location) != (p.wire_name.as_str(), p.location) {
                self.push(
                    s,
                    Change::ParamWireChanged {
                        param: p.name.clone(),
                        from_location: old.location,
                        from_wire: old.wire_name.clone(),
                        to_location: p.location,
                        to_wire: p.wire_name.clone(),
                    },
                );
            }
            if old.style != p.style
                && (old.location, p.location) == (ParamLocation::Query, ParamLocation::Query)
            {
                self.push(
                    s,
                    Change::ParamStyleChanged {
                        param: p.name.clone(),
                    },
                );
            }
        }
        for p in &o.params {
            if find(n, &p.name).is_none() {
                self.push(
                    s,
                    Change::ParamRemoved {
                        param: p.name.clone(),
                        wire: p.wire_name.clone(),
                        location: p.location,
                        ty: p.ty.clone(),
                        required: p.required,
                    },
                );
            }
        }
        // The arguments both versions have, in signature order: if they moved, a call with
        // arguments of the same types compiles and sends them to the wrong parameters.
        let order = |op: &Operation, other: &Operation| -> Vec<String> {
            let theirs = signature(other);
            signature(op)
                .into_iter()
                .filter(|a| theirs.contains(a))
                .collect()
        };
        let (before, after) = (order(o, n), order(n, o));
        if before != after {
            self.push(
                s,
                Change::ArgumentsReordered {
                    from: before,
                    to: after,
                },
            );
        }
    }

    fn body(&mut self, s: &Subject, o: &Operation, n: &Operation) {
        match (&o.body, &n.body) {
            (None, Some(b)) => self.push(
                s,
                Change::BodyAdded {
                    ty: b.ty.clone(),
                    required: b.required,
                },
            ),
            (Some(b), None) => self.push(
                s,
                Change::BodyRemoved {
                    ty: b.ty.clone(),
                    required: b.required,
                },
            ),
            (Some(a), Some(b)) => {
                if a.required != b.required {
                    self.push(
                        s,
                        Change::BodyRequiredChanged {
                            required: b.required,
                        },
                    );
                }
                if a.ty != b.ty {
                    self.push(
                        s,
                        Change::BodyTypeChanged {
                            from: a.ty.clone(),
                            to: b.ty.clone(),
                        },
                    );
                }
                if a.content_type != b.content_type {
                    self.push(
                        s,
                        Change::BodyContentTypeChanged {
                            from: a.content_type.clone(),
                            to: b.content_type.clone(),
                        },
                    );
                }
            }
            (None, None) => {}
        }
    }

    fn outcome(&mut self, s: &Subject, side: Side, o: &Outcome, n: &Outcome) {
        if o.ty != n.ty {
            self.push(
                s,
                Change::ResultTypeChanged {
                    side,
                    from: o.ty.clone(),
                    to: n.ty.clone(),
                },
            );
        } else if let (Some(name), Some(_)) = (&n.enum_name, &o.enum_name) {
            // The same enum over statuses: its variants.
            let variants = |out: &Outcome| -> BTreeMap<String, Type> {
                out.cases
                    .iter()
                    .map(|c| (c.variant.clone(), c.ty.clone()))
                    .collect()
            };
            let (ov, nv) = (variants(o), variants(n));
            for (v, t) in &nv {
                match ov.get(v) {
                    None => self.push(
                        s,
                        Change::OutcomeVariantAdded {
                            side,
                            enum_name: name.clone(),
                            variant: v.clone(),
                            ty: t.clone(),
                        },
                    ),
                    Some(old) if old != t => self.push(
                        s,
                        Change::OutcomeVariantTypeChanged {
                            side,
                            enum_name: name.clone(),
                            variant: v.clone(),
                            from: old.clone(),
                            to: t.clone(),
                        },
                    ),
                    Some(_) => {}
                }
            }
            for (v, t) in &ov {
                if !nv.contains_key(v) {
                    self.push(
                        s,
                        Change::OutcomeVariantRemoved {
                            side,
                            enum_name: name.clone(),
                            variant: v.clone(),
                            ty: t.clone(),
                        },
                    );
                }
            }
        }
        // Statuses: which ones are decoded, and as what.
        let statuses = |out: &Outcome| -> BTreeMap<ir::StatusMatch, Type> {
            out.cases.iter().map(|c| (c.status, c.ty.clone())).collect()
        };
        let (os, ns) = (statuses(o), statuses(n));
        for (status, t) in &ns {
            if !os.contains_key(status) {
                self.push(
                    s,
                    Change::StatusAdded {
                        side,
                        status: *status,
                        ty: t.clone(),
                    },
                );
            }
        }
        for (status, t) in &os {
            if !ns.contains_key(status) {
                self.push(
                    s,
                    Change::StatusRemoved {
                        side,
                        status: *status,
                        ty: t.clone(),
                    },
                );
            }
        }
    }
}

/// A method's positional arguments in signature order (see `emit::client`): path parameters,
/// the body unless it is a setter, then the other required parameters.
fn signature(op: &Operation) -> Vec<String> {
    let mut args: Vec<String> = op
        .params
        .iter()
        .filter(|p| p.location == ParamLocation::Path)
        .map(|p| p.name.clone())
        .collect();
    if op.body.is_some() && !op.body_setter() {
        args.push("body".to_string());
    }
    args.extend(
        op.params
            .iter()
            .filter(|p| p.location != ParamLocation::Path && p.required)
            .map(|p| p.name.clone()),
    );
    args
}
