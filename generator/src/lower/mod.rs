//! Stage 3: the parsed spec → [`crate::ir::Api`]. Every Rust name is decided here (through
//! [`crate::naming`]), every list is sorted here, recursion is broken here.
//!
//! One `Lower` walks the spec; its methods are spread over one file per concern:
//! `view` (a uniform view of a schema and how it becomes Rust), `types` (named and anonymous
//! types), `structs`, `merge` (allOf), `unions` (oneOf/anyOf and discriminators), `cycles`
//! (boxing recursive references), `dedup` (one definition per inline shape), `operations`
//! (methods, parameters, path templates), `pagination`, `bodies`, `responses`, `security`, and `docs`
//! (the rustdoc text of every item).

mod bodies;
mod cycles;
mod dedup;
mod docs;
mod merge;
mod operations;
mod pagination;
mod responses;
mod security;
mod structs;
mod types;
mod unions;
mod view;

use std::collections::{BTreeMap, BTreeSet};

use openapiv3::{OpenAPI, ReferenceOr};

use crate::error::{join, Diagnostic, DiagnosticKind, Error};
use crate::ir::*;
use crate::naming::{self, Scope};
use crate::resolve::Resolver;

use view::sref;

/// Lowers `spec` (read from `file`) into the IR. Returns the IR and the warnings (constructs
/// that were approximated, each with its pointer).
pub fn lower(
    file: &str,
    spec: &OpenAPI,
    origin: &crate::load::Origin,
) -> Result<(Api, Vec<Diagnostic>), Error> {
    let mut lower = Lower {
        file,
        spec,
        origin,
        resolver: Resolver::new(file, spec),
        // The types module re-exports the runtime's `FilePart` under that name.
        type_scope: Scope::with_reserved(&[naming::FILE_PART]),
        components: BTreeMap::new(),
        nullable_components: BTreeSet::new(),
        types: Vec::new(),
        errors: Vec::new(),
        warnings: Vec::new(),
        strip_tags: BTreeMap::new(),
        patterns: std::collections::HashMap::new(),
        property_names: std::collections::HashMap::new(),
        paging_facts: Vec::new(),
    };
    let api = lower.run();
    if lower.errors.is_empty() {
        let mut warnings = lower.warnings;
        warnings.sort();
        warnings.dedup();
        Ok((api, warnings))
    } else {
        let mut diagnostics = lower.errors;
        diagnostics.sort();
        diagnostics.dedup();
        Err(Error { diagnostics })
    }
}

/// The lowering of one spec: what has been decided so far, and what went wrong.
struct Lower<'a> {
    file: &'a str,
    spec: &'a OpenAPI,
    /// Where the parts of a converted (2.0 or 3.1) document came from: docs name places in
    /// the user's file.
    origin: &'a crate::load::Origin,
    resolver: Resolver<'a>,
    type_scope: Scope,
    /// Component schema name → Rust type name.
    components: BTreeMap<String, String>,
    /// Rust names of components declared `nullable`.
    nullable_components: BTreeSet<String>,
    types: Vec<TypeDef>,
    errors: Vec<Diagnostic>,
    warnings: Vec<Diagnostic>,
    /// Struct name → discriminator property to drop (it becomes the enum tag).
    strip_tags: BTreeMap<String, String>,
    /// Whether each pattern compiles with the `regex` crate's default limits (as it will at
    /// run time). Cached: specs repeat patterns, and compiling one can take milliseconds.
    patterns: std::collections::HashMap<String, bool>,
    /// Property name → (`snake_case` field name, `UpperCamelCase` type-name part). Property
    /// names repeat across schemas (`id`, `url`...), and case conversion is a fifth of the
    /// lowering time of big specs without this.
    property_names: std::collections::HashMap<&'a str, (String, String)>,
    /// What the pagination rules need to know of each operation (by method name), kept
    /// until the types are final.
    paging_facts: Vec<(String, pagination::Facts)>,
}

impl<'a> Lower<'a> {
    /// Records an error at `pointer`: lowering goes on, and `lower` fails at the end.
    pub(super) fn error(
        &mut self,
        kind: DiagnosticKind,
        pointer: &str,
        message: impl Into<String>,
    ) {
        self.errors
            .push(Diagnostic::new(kind, self.file, pointer, message));
    }

    /// Records a warning at `pointer`: a construct that was approximated.
    pub(super) fn warn(&mut self, kind: DiagnosticKind, pointer: &str, message: impl Into<String>) {
        self.warnings
            .push(Diagnostic::new(kind, self.file, pointer, message));
    }

    fn run(&mut self) -> Api {
        let spec = self.spec;
        // Component names first, sorted, so they win over inline names.
        let mut schema_names: Vec<&String> = spec
            .components
            .iter()
            .flat_map(|c| c.schemas.keys())
            .collect();
        schema_names.sort();
        for name in &schema_names {
            let rust = self.type_scope.claim(&naming::type_name(name));
            self.components.insert((*name).clone(), rust);
        }
        if let Some(components) = &spec.components {
            for name in &schema_names {
                if let Some(ReferenceOr::Item(s)) = components.schemas.get(*name) {
                    if view::nullable(s) {
                        let rust = self.components[*name].clone();
                        self.nullable_components.insert(rust);
                    }
                }
            }
            self.discriminated_variants(&schema_names);
            for name in &schema_names {
                let pointer = join("#/components/schemas", name);
                let rust = self.components[*name].clone();
                if let Some(schema) = components.schemas.get(*name) {
                    self.define(&rust, sref(schema), &pointer);
                }
            }
        }
        let operations = self.operations();
        self.strip_tag_fields();
        self.break_alias_cycles();
        self.break_union_cycles();
        self.break_recursion();
        self.types.sort_by(|a, b| a.name.cmp(&b.name));
        let components: BTreeSet<&String> = self.components.values().collect();
        dedup::dedup_types(&mut self.types, &components, &mut self.type_scope);
        let mut operations = operations;
        self.paging_facts.sort_by(|a, b| a.0.cmp(&b.0));
        pagination::recognise(&mut operations, &self.types, &self.paging_facts);
        operations::name_options(&mut operations);
        let shared_setters = operations::share_setters(&mut operations);

        let servers: Vec<String> = spec.servers.iter().map(server_url).collect();
        let (auth, keys) = self.auth();
        Api {
            doc: docs::api_doc(&spec.info),
            source: self.file.to_string(),
            default_base_url: servers.first().cloned(),
            default_server: spec
                .servers
                .first()
                .map(server)
                .filter(|s| !s.variables.is_empty()),
            servers,
            auth,
            keys,
            inputs: inputs(&operations, &self.types),
            shared_setters,
            types: std::mem::take(&mut self.types),
            operations,
        }
    }
}

/// The request bodies of `operations` (`types` sorted by name) that callers build field by
/// field: structs with required fields. Nested structs are left out: a constructor and
/// setters per struct cost a big API's build memory (GitHub's nested body structs would
/// add half again), and a nested value is usually built once, with a struct literal.
fn inputs(operations: &[Operation], types: &[TypeDef]) -> BTreeSet<String> {
    let mut seen: BTreeSet<String> = operations
        .iter()
        .filter_map(|op| match op.body.as_ref()?.ty.strip_option() {
            Type::Named(name) => Some(name.clone()),
            _ => None,
        })
        .collect();
    // Structs whose fields are all optional derive `Default`, which is how they are built.
    seen.retain(|name| {
        types
            .binary_search_by(|d| d.name.as_str().cmp(name))
            .is_ok_and(|i| match &types[i].kind {
                TypeKind::Struct { fields, .. } => !derives_default(fields),
                _ => false,
            })
    });
    seen
}

/// A server as the IR keeps it: its URL template and its variables' defaults.
pub(super) fn server(server: &openapiv3::Server) -> Server {
    let variables = server
        .variables
        .iter()
        .flatten()
        .map(|(name, var)| (name.clone(), var.default.clone()))
        .collect();
    Server {
        url: server.url.clone(),
        variables,
    }
}

fn server_url(server: &openapiv3::Server) -> String {
    let mut url = server.url.clone();
    if let Some(vars) = &server.variables {
        for (name, var) in vars {
            url = url.replace(&format!("{{{name}}}"), &var.default);
        }
    }
    url
}
