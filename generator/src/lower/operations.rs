//! Operations: one client method per path and method, with its parameters (path-item level
//! merged with operation level) and its path template.

use std::collections::BTreeMap;

use openapiv3::{Parameter, ReferenceOr};

use super::docs;
use super::view::sref;
use super::Lower;
use crate::error::{join, DiagnosticKind};
use crate::ir::*;
use crate::naming::{self, Scope};
use crate::validate::template_params;

/// The path-item methods that become operations, in the order a path's operations are read.
const TRACKED_METHODS: [&str; 8] = [
    "get", "put", "post", "delete", "options", "head", "patch", "trace",
];

impl<'a> Lower<'a> {
    /// Every operation of the spec, sorted by method name (names claimed in path order).
    pub(super) fn operations(&mut self) -> Vec<Operation> {
        let spec = self.spec;
        let mut found = Vec::new();
        let mut paths: Vec<(&String, &ReferenceOr<openapiv3::PathItem>)> =
            spec.paths.iter().collect();
        paths.sort_by(|a, b| a.0.cmp(b.0));
        for (path, item) in paths {
            let ReferenceOr::Item(item) = item else {
                continue;
            };
            for method in TRACKED_METHODS {
                if let Some((_, op)) = item.iter().find(|(m, _)| *m == method) {
                    found.push((path.as_str(), method, item, op));
                }
            }
        }
        let mut op_scope = Scope::with_reserved(&["new", "builder", "base_url", "transport"]);
        let mut out = Vec::with_capacity(found.len());
        for (path, method, item, op) in found {
            let pointer = join(&join("#/paths", path), method);
            let base = match &op.operation_id {
                Some(id) => naming::snake_name(id),
                None => naming::snake_name(&derived_operation_name(method, path)),
            };
            let name = op_scope.claim(&base);
            let Some(lowered) = self.operation(&name, path, method, item, op, &pointer) else {
                continue;
            };
            let (lowered, alternatives) = lowered;
            for variant in alternatives {
                let joiner = if variant.request { "with" } else { "as" };
                let candidate = format!(
                    "{}_{joiner}_{}",
                    naming::unraw(&name),
                    naming::media_suffix(&variant.media)
                );
                let alt_name = op_scope.claim(&candidate);
                out.push(self.variant(&lowered, &alt_name, variant, op, &pointer));
            }
            out.push(lowered);
        }
        out.sort_by(|a, b| a.name.cmp(&b.name));
        out
    }

    /// Another form of an operation already lowered (`base`): its successes read in
    /// `variant.media`, or its body sent in it.
    fn variant(
        &mut self,
        base: &Operation,
        name: &str,
        variant: Variant,
        op: &'a openapiv3::Operation,
        pointer: &str,
    ) -> Operation {
        let type_base = naming::unraw(&naming::type_name(naming::unraw(name))).to_string();
        let mut out = base.clone();
        out.name = name.to_string();
        let what = if variant.request {
            if let Some(b) = &op.request_body {
                if let Ok((body, at)) = self.resolver.request_body(b, &join(pointer, "requestBody"))
                {
                    out.body = self.body(body, &type_base, &at, Some(&variant.media));
                }
            }
            format!("the body sent as `{}`", variant.media)
        } else {
            let head = base.method == "HEAD";
            let responses =
                self.responses(op, &type_base, pointer, Some(&variant.media), true, head);
            out.success = responses.success;
            out.accept = responses.accept;
            format!("the response asked for as `{}`", variant.media)
        };
        let mut doc = vec![
            format!("[`Self::{}`] with {what}.", naming::unraw(&base.name)),
            String::new(),
        ];
        doc.extend(base.doc.iter().cloned());
        out.doc = doc;
        out.variant_of = Some(variant);
        out
    }

    /// One operation: its parameters, body, responses and doc; and the other forms of it
    /// that get methods of their own (other media types of its responses or body).
    fn operation(
        &mut self,
        name: &str,
        path: &str,
        method: &str,
        item: &'a openapiv3::PathItem,
        op: &'a openapiv3::Operation,
        pointer: &str,
    ) -> Option<(Operation, Vec<Variant>)> {
        let type_base = naming::unraw(&naming::type_name(naming::unraw(name))).to_string();
        // Parameters: path-item level first, overridden by operation level.
        let path_pointer = join("#/paths", path);
        let mut merged: Vec<(&'a Parameter, String)> = Vec::new();
        let shared = item
            .parameters
            .iter()
            .enumerate()
            .map(|(i, p)| (p, join(&join(&path_pointer, "parameters"), &i.to_string())));
        let own = op
            .parameters
            .iter()
            .enumerate()
            .map(|(i, p)| (p, join(&join(pointer, "parameters"), &i.to_string())));
        for (p, at) in shared.chain(own) {
            match self.resolver.parameter(p, &at) {
                Ok((param, _)) => {
                    let key = (param.parameter_data_ref().name.as_str(), location_of(param));
                    merged.retain(|(q, _)| {
                        (q.parameter_data_ref().name.as_str(), location_of(q)) != key
                    });
                    merged.push((param, at));
                }
                Err(d) => self.errors.push(d),
            }
        }
        let template: Vec<&str> = template_params(path).collect();
        // Path parameters in template order, then the rest in spec order.
        merged.sort_by_key(|(p, _)| match location_of(p) {
            ParamLocation::Path => template
                .iter()
                .position(|t| *t == p.parameter_data_ref().name)
                .unwrap_or(0),
            _ => usize::MAX,
        });

        let mut arg_scope = Scope::with_reserved(&["body", "request", "response"]);
        let mut params = Vec::new();
        for (p, at) in merged {
            let data = p.parameter_data_ref();
            let location = location_of(p);
            if location == ParamLocation::Path && !template.contains(&data.name.as_str()) {
                self.warn(
                    DiagnosticKind::Repaired,
                    &at,
                    format!(
                        "path parameter `{}` does not appear in the path template `{path}`: ignored",
                        data.name
                    ),
                );
                continue;
            }
            if location == ParamLocation::Header
                && ["accept", "content-type", "authorization"]
                    .contains(&data.name.to_ascii_lowercase().as_str())
            {
                continue;
            }
            let hint = format!(
                "{type_base}{}",
                naming::unraw(&naming::type_name(&data.name))
            );
            let ty = match &data.format {
                openapiv3::ParameterSchemaOrContent::Schema(s) => {
                    self.schema_type(sref(s), &hint, &join(&at, "schema"))
                }
                openapiv3::ParameterSchemaOrContent::Content(content) => {
                    match content.iter().next() {
                        Some((media, m)) => match &m.schema {
                            Some(s) => self.schema_type(
                                sref(s),
                                &hint,
                                &join(&join(&join(&at, "content"), media), "schema"),
                            ),
                            None => Type::String,
                        },
                        None => Type::String,
                    }
                }
            };
            let ty = match ty {
                Type::Option(inner) => *inner,
                other => other,
            };
            let style = match p {
                Parameter::Query { style, .. } => match style {
                    openapiv3::QueryStyle::Form => {
                        if data.explode.unwrap_or(true) {
                            QueryStyle::Repeat
                        } else {
                            QueryStyle::Comma
                        }
                    }
                    openapiv3::QueryStyle::SpaceDelimited => QueryStyle::Space,
                    openapiv3::QueryStyle::PipeDelimited => QueryStyle::Pipe,
                    openapiv3::QueryStyle::DeepObject => QueryStyle::DeepObject,
                },
                _ => QueryStyle::Comma,
            };
            let required = data.required || location == ParamLocation::Path;
            let snake = naming::snake_name(&data.name);
            // An optional parameter is a setter on the call: not one of the call's methods.
            let name = if required {
                arg_scope.claim(&snake)
            } else {
                arg_scope.claim(&naming::setter_candidate(&snake))
            };
            params.push(Param {
                name,
                wire_name: data.name.clone(),
                location,
                ty,
                required,
                style,
                multi_segment: location == ParamLocation::Path
                    && data
                        .extensions
                        .get("x-multi-segment")
                        .and_then(serde_json::Value::as_bool)
                        == Some(true),
                doc: data.description.clone(),
                shared: None,
            });
        }

        // Template names without a declared path parameter: a required string argument.
        for name in &template {
            let declared = params
                .iter()
                .any(|p| p.location == ParamLocation::Path && p.wire_name == *name);
            if !declared {
                self.warn(
                    DiagnosticKind::Repaired,
                    pointer,
                    format!("path template `{path}` uses `{{{name}}}` but no path parameter `{name}` is declared: it becomes a string argument"),
                );
                params.push(Param {
                    name: arg_scope.claim(&naming::snake_name(name)),
                    wire_name: name.to_string(),
                    location: ParamLocation::Path,
                    ty: Type::String,
                    required: true,
                    style: QueryStyle::Comma,
                    multi_segment: false,
                    doc: None,
                    shared: None,
                });
            }
        }
        params.sort_by_key(|p| match p.location {
            ParamLocation::Path => template.iter().position(|t| *t == p.wire_name).unwrap_or(0),
            _ => usize::MAX,
        });

        let mut variants = Vec::new();
        let body = match &op.request_body {
            None => None,
            Some(b) => match self.resolver.request_body(b, &join(pointer, "requestBody")) {
                Err(d) => {
                    self.errors.push(d);
                    None
                }
                Ok((body, at)) => {
                    variants.extend(super::bodies::body_alternatives(body).into_iter().map(
                        |media| Variant {
                            operation: name.to_string(),
                            media,
                            request: true,
                        },
                    ));
                    self.body(body, &type_base, &at, None)
                }
            },
        };

        let responses = self.responses(op, &type_base, pointer, None, false, method == "head");
        variants.extend(responses.alternatives.into_iter().map(|media| Variant {
            operation: name.to_string(),
            media,
            request: false,
        }));
        let (success, error, accept) = (responses.success, responses.error, responses.accept);
        let path_parts = self.path_parts(path, &params, pointer);

        let facts = self.paging_facts(op, pointer);
        self.paging_facts.push((name.to_string(), facts));

        let scopes = self.scopes(op);
        let doc = docs::operation_doc(op, method, path, &scopes, &params);

        // The operation's servers override its path's, which override the API's; the first
        // one is used. One equal to the API's first server needs nothing of its own.
        let server = op
            .servers
            .first()
            .or(item.servers.first())
            .map(super::server)
            .filter(|s| self.spec.servers.first().map(super::server).as_ref() != Some(s));

        // The conventional header (Stripe, Adyen, the IETF draft), in any case.
        let idempotency_key = params
            .iter()
            .find(|p| {
                p.location == ParamLocation::Header
                    && p.wire_name.eq_ignore_ascii_case("idempotency-key")
            })
            .map(|p| p.wire_name.clone());
        let lowered = Operation {
            name: name.to_string(),
            doc,
            method: method.to_ascii_uppercase(),
            path: path.to_string(),
            path_parts,
            params,
            body,
            accept,
            success,
            error,
            idempotent: matches!(
                method,
                "get" | "head" | "put" | "delete" | "options" | "trace"
            ),
            server,
            variant_of: None,
            idempotency_key,
            options: None,
            pagination: None,
        };
        Some((lowered, variants))
    }

    /// The path template as literal parts and references to path parameters.
    fn path_parts(&mut self, path: &str, params: &[Param], pointer: &str) -> Vec<PathPart> {
        let mut parts = Vec::new();
        let mut rest = path;
        while let Some(start) = rest.find('{') {
            let Some(len) = rest[start..].find('}') else {
                break;
            };
            if start > 0 {
                parts.push(PathPart::Literal(rest[..start].to_string()));
            }
            let name = &rest[start + 1..start + len];
            match params
                .iter()
                .position(|p| p.location == ParamLocation::Path && p.wire_name == name)
            {
                Some(i) => parts.push(PathPart::Param(i)),
                None => self.error(
                    DiagnosticKind::InvalidDocument,
                    pointer,
                    format!("path parameter `{name}` is not declared"),
                ),
            }
            rest = &rest[start + len + 1..];
        }
        if !rest.is_empty() {
            parts.push(PathPart::Literal(rest.to_string()));
        }
        parts
    }
}

/// The setters shared between operations: for each setter name used by at least two
/// operations whose parameters of that name agree on wire name, location, style and shape
/// (array or not), a trait in `calls::params`; the parameters are marked with it.
pub(super) fn share_setters(operations: &mut [Operation]) -> Vec<SharedSetter> {
    type Key = (String, ParamLocation, QueryStyle, bool);
    let mut uses: BTreeMap<String, Vec<(Key, Type, Option<String>)>> = BTreeMap::new();
    for op in operations.iter() {
        for p in op.setters() {
            let array = matches!(p.ty, Type::Vec(_));
            let key = (p.wire_name.clone(), p.location, p.style, array);
            uses.entry(p.name.clone())
                .or_default()
                .push((key, p.ty.clone(), p.doc.clone()));
        }
    }
    let mut scope = Scope::default();
    let mut shared = Vec::new();
    for (name, uses) in uses {
        let Some(((wire_name, location, style, array), first_ty, first_doc)) = uses.first() else {
            continue;
        };
        if uses.len() < 2 || uses.iter().any(|(key, ..)| key != &uses[0].0) {
            continue;
        }
        let ty = uses
            .iter()
            .all(|(_, t, _)| t == first_ty)
            .then(|| first_ty.clone());
        let doc = uses
            .iter()
            .all(|(.., d)| d == first_doc)
            .then(|| first_doc.clone())
            .flatten();
        shared.push(SharedSetter {
            trait_name: scope.claim(&naming::type_name(naming::unraw(&name))),
            name,
            wire_name: wire_name.clone(),
            location: *location,
            style: *style,
            ty,
            array: *array,
            doc,
        });
    }
    for op in operations.iter_mut() {
        for p in op.params.iter_mut().filter(|p| !p.required) {
            if let Ok(i) = shared.binary_search_by(|s| s.name.as_str().cmp(&p.name)) {
                p.shared = Some(shared[i].trait_name.clone());
            }
        }
    }
    shared
}

/// Names the options type of each operation whose call has setters or pages, in the
/// `calls` module beside `Call`, and says in its doc how to use them.
pub(super) fn name_options(operations: &mut [Operation]) {
    let mut scope = Scope::with_reserved(&[naming::CALL]);
    for op in operations.iter_mut() {
        let setters: Vec<String> = op
            .setters()
            .map(|p| format!("`.{}(..)`", naming::unraw(&p.name)))
            .chain(op.body_setter().then(|| "`.body(..)`".to_string()))
            .collect();
        if !setters.is_empty() {
            op.doc.push(String::new());
            op.doc.push(format!(
                "Optional, set on the call before it is sent: {}.",
                setters.join(", ")
            ));
        }
        if let Some(pagination) = &op.pagination {
            op.doc.push(String::new());
            op.doc.push(format!(
                "Paginated ({}): `.pages()` walks the pages, `.items()` their items.",
                docs::paging(pagination)
            ));
        }
        if !setters.is_empty() || op.pagination.is_some() {
            op.options = Some(scope.claim(&naming::type_name(naming::unraw(&op.name))));
        }
    }
}

/// Where a parameter goes.
fn location_of(p: &Parameter) -> ParamLocation {
    match p {
        Parameter::Path { .. } => ParamLocation::Path,
        Parameter::Query { .. } => ParamLocation::Query,
        Parameter::Header { .. } => ParamLocation::Header,
        Parameter::Cookie { .. } => ParamLocation::Cookie,
    }
}

/// `GET /workspaces/{workspace}/distributions` → `get workspaces by workspace distributions`.
fn derived_operation_name(method: &str, path: &str) -> String {
    let mut out = method.to_string();
    for segment in path.split('/').filter(|s| !s.is_empty()) {
        out.push(' ');
        if let Some(param) = segment.strip_prefix('{').and_then(|s| s.strip_suffix('}')) {
            out.push_str("by ");
            out.push_str(param);
        } else {
            out.push_str(segment);
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn derived_names() {
        assert_eq!(
            naming::snake_name(&derived_operation_name("get", "/pets/{petId}/toys")),
            "get_pets_by_pet_id_toys"
        );
    }
}
