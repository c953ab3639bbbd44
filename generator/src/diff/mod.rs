//! The API change report: what changed for code that depends on a generated crate, between
//! two versions of a spec, computed from their IRs ([`ir::Api`]).
//!
//! [`compare`] walks both IRs and records each difference as a [`Change`] under the
//! [`Subject`] it concerns (the client, an operation or a named type), by the Rust names users
//! see. Each change knows its [`Class`] and the reason for it ([`Change::class`],
//! [`Change::reason`]): the classification follows from how the emitter builds the code, e.g.
//! generated structs are not `#[non_exhaustive]`, required parameters are positional arguments
//! and optional ones setters on the call.
//! [`render`] turns reports into text, Markdown or JSON and adds the implied version
//! [`Bump`]. No I/O here: reading old specs (from git) is the caller's job.

mod change;
mod operations;
mod render;
mod types;

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
                    TypeKind::Struct {
                        fields, additional, ..
                    } => {
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
}

#[cfg(test)]
mod tests;
