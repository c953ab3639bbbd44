//! The API change report: what changed for code that depends on a generated crate, between
//! two versions of a spec, computed from their IRs ([`ir::Api`]).
//!
//! [`compare`] walks both IRs and records each difference as a [`Change`] under the
//! [`Subject`] it concerns (the client, an operation or a named type), by the Rust names users
//! see. Each change knows its [`Class`] and the reason for it ([`Change::class`],
//! [`Change::reason`]): the classification follows from how the emitter builds the code, e.g.
//! generated structs are not `#[non_exhaustive]` and every parameter is a positional argument.
//! [`render`] turns reports into text, Markdown or JSON and adds the implied version
//! [`Bump`]. No I/O here: reading old specs (from git) is the caller's job.

mod change;
mod render;

use std::collections::{BTreeMap, BTreeSet};

use serde::Serialize;

use crate::ir::{
    self, Api, Field, Operation, Outcome, Param, ParamLocation, Presence, Type, TypeDef, TypeKind,
};

pub use change::{Change, Class, KindName, Side};
pub use render::{render, Bump, Format, Version};

/// What a change concerns, by the name users see.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Subject {
    /// The client as a whole: servers, authentication, module documentation.
    Client,
    /// A client method.
    Operation {
        /// The Rust method name.
        name: String,
        /// The HTTP method and path, e.g. `GET /pets/{id}`.
        endpoint: String,
    },
    /// A named type in the `types` module.
    Type {
        /// The Rust type name.
        name: String,
    },
}

/// One change and what it concerns.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Entry {
    /// Where it is.
    pub subject: Subject,
    /// What changed.
    pub change: Change,
}

/// How an API as a whole changed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum ApiStatus {
    /// Both versions exist; the entries say what changed.
    Changed,
    /// The spec is new: every entry is an addition.
    Added,
    /// The spec is gone: its whole module is removed.
    Removed,
}

/// The changes of one API, in a deterministic order: the client first, then operations, then
/// types, each by name; within one subject, in the order of the IR.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Report {
    /// The spec file, e.g. `spec/buddy.yaml`.
    pub api: String,
    /// Whether the API is new, gone or changed.
    pub status: ApiStatus,
    /// The changes.
    pub entries: Vec<Entry>,
}

impl Report {
    /// How many entries have each class: `(breaking, compatible, doc only)`.
    pub fn counts(&self) -> (usize, usize, usize) {
        let mut counts = (0, 0, 0);
        for e in &self.entries {
            match e.change.class() {
                Class::Breaking => counts.0 += 1,
                Class::Compatible => counts.1 += 1,
                Class::DocOnly => counts.2 += 1,
            }
        }
        counts
    }

    /// The most severe class of any entry; `None` when nothing changed.
    pub fn highest(&self) -> Option<Class> {
        self.entries.iter().map(|e| e.change.class()).max()
    }
}

/// The changes from `old` to `new`, two versions of one API.
pub fn compare(old: &Api, new: &Api) -> Report {
    let mut d = Differ {
        entries: Vec::new(),
        requests: request_types(new),
    };
    d.client(old, new);
    d.operations(old, new);
    d.types(old, new);
    Report {
        api: new.source.clone(),
        status: ApiStatus::Changed,
        entries: d.entries,
    }
}

/// The report for a spec that is new: every operation and type is added.
pub fn added(new: &Api) -> Report {
    let mut entries = vec![Entry {
        subject: Subject::Client,
        change: Change::ApiAdded,
    }];
    entries.extend(new.operations.iter().map(|op| Entry {
        subject: op_subject(op),
        change: Change::OperationAdded,
    }));
    entries.extend(new.types.iter().map(|t| Entry {
        subject: type_subject(t),
        change: Change::TypeAdded {
            kind: KindName::of(&t.kind),
        },
    }));
    Report {
        api: new.source.clone(),
        status: ApiStatus::Added,
        entries,
    }
}

/// The report for a spec that is gone: its module, client and types are removed.
pub fn removed(old: &Api) -> Report {
    Report {
        api: old.source.clone(),
        status: ApiStatus::Removed,
        entries: vec![Entry {
            subject: Subject::Client,
            change: Change::ApiRemoved,
        }],
    }
}

fn op_subject(op: &Operation) -> Subject {
    Subject::Operation {
        name: op.name.clone(),
        endpoint: format!("{} {}", op.method, op.path),
    }
}

fn type_subject(t: &TypeDef) -> Subject {
    Subject::Type {
        name: t.name.clone(),
    }
}

/// Named types reachable from a request parameter or body: types callers build.
fn request_types(api: &Api) -> BTreeSet<String> {
    let by_name: BTreeMap<&str, &TypeDef> =
        api.types.iter().map(|t| (t.name.as_str(), t)).collect();
    let mut seen = BTreeSet::new();
    let mut todo: Vec<&Type> = Vec::new();
    for op in &api.operations {
        todo.extend(op.params.iter().map(|p| &p.ty));
        todo.extend(op.body.iter().map(|b| &b.ty));
    }
    while let Some(t) = todo.pop() {
        match t {
            Type::Named(name) => {
                if !seen.insert(name.clone()) {
                    continue;
                }
                let Some(def) = by_name.get(name.as_str()) else {
                    continue;
                };
                match &def.kind {
                    TypeKind::Struct { fields, additional } => {
                        todo.extend(fields.iter().map(|f| &f.ty));
                        todo.extend(additional.iter().map(|(_, t)| t));
                    }
                    TypeKind::Tagged { variants, .. } => {
                        todo.extend(variants.iter().map(|v| &v.ty))
                    }
                    TypeKind::Untagged { variants } => todo.extend(variants.iter().map(|v| &v.ty)),
                    TypeKind::Alias { target } => todo.push(target),
                    TypeKind::StringEnum { .. } | TypeKind::Pattern { .. } => {}
                }
            }
            Type::Vec(inner) | Type::Map(inner) | Type::Option(inner) | Type::Boxed(inner) => {
                todo.push(inner)
            }
            _ => {}
        }
    }
    seen
}

struct Differ {
    entries: Vec<Entry>,
    /// Named types of the new API that callers build for requests.
    requests: BTreeSet<String>,
}

impl Differ {
    fn push(&mut self, subject: &Subject, change: Change) {
        self.entries.push(Entry {
            subject: subject.clone(),
            change,
        });
    }

    fn client(&mut self, old: &Api, new: &Api) {
        let s = Subject::Client;
        if old.default_base_url != new.default_base_url {
            self.push(
                &s,
                Change::DefaultServerChanged {
                    from: old.default_base_url.clone(),
                    to: new.default_base_url.clone(),
                },
            );
        }
        let others = |api: &Api| -> Vec<String> { api.servers.iter().skip(1).cloned().collect() };
        let (old_servers, new_servers) = (others(old), others(new));
        for url in &new_servers {
            if !old.servers.contains(url) {
                self.push(&s, Change::ServerAdded { url: url.clone() });
            }
        }
        for url in &old_servers {
            if !new.servers.contains(url) {
                self.push(&s, Change::ServerRemoved { url: url.clone() });
            }
        }
        if old.auth != new.auth {
            self.push(
                &s,
                Change::AuthChanged {
                    from: old.auth.clone(),
                    to: new.auth.clone(),
                },
            );
        }
        if old.doc != new.doc {
            self.push(&s, Change::ApiDocChanged);
        }
    }

    fn operations(&mut self, old: &Api, new: &Api) {
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

    fn types(&mut self, old: &Api, new: &Api) {
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
                },
                TypeKind::Struct {
                    fields: nf,
                    additional: na,
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

/// A method's arguments in signature order (see `emit::client`): path parameters, the body,
/// then the other parameters.
fn signature(op: &Operation) -> Vec<String> {
    let mut args: Vec<String> = op
        .params
        .iter()
        .filter(|p| p.location == ParamLocation::Path)
        .map(|p| p.name.clone())
        .collect();
    if op.body.is_some() {
        args.push("body".to_string());
    }
    args.extend(
        op.params
            .iter()
            .filter(|p| p.location != ParamLocation::Path)
            .map(|p| p.name.clone()),
    );
    args
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

#[cfg(test)]
mod tests;
