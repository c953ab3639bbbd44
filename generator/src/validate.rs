//! Stage 2: document-level rules that `openapiv3`'s types cannot express. Everything found is
//! reported at once, sorted, each with its JSON pointer.

use std::collections::{BTreeMap, BTreeSet};

use openapiv3::{OpenAPI, Parameter, ReferenceOr};

use crate::error::{join, Diagnostic, Error};
use crate::resolve::Resolver;

/// Checks `spec`; returns every error found.
pub fn validate(file: &str, spec: &OpenAPI) -> Result<(), Error> {
    let resolver = Resolver::new(file, spec);
    let mut errors = Vec::new();
    let mut operation_ids: BTreeMap<&str, String> = BTreeMap::new();

    for (path, item) in spec.paths.iter() {
        let path_pointer = join("#/paths", path);
        let ReferenceOr::Item(item) = item else {
            errors.push(Diagnostic::new(
                file,
                &path_pointer,
                "`$ref` path items are not supported",
            ));
            continue;
        };
        let template: BTreeSet<&str> = template_params(path).collect();
        for (method, op) in item.iter() {
            let pointer = join(&path_pointer, method);
            if let Some(id) = &op.operation_id {
                if let Some(first) = operation_ids.insert(id, pointer.clone()) {
                    errors.push(Diagnostic::new(
                        file,
                        &join(&pointer, "operationId"),
                        format!("operationId `{id}` is already used at {first}"),
                    ));
                }
            }
            let mut declared = BTreeSet::new();
            let shared = item.parameters.iter().map(|p| (p, &path_pointer));
            let own = op.parameters.iter().map(|p| (p, &pointer));
            for (param, base) in shared.chain(own) {
                let Ok((param, _)) = resolver.parameter(param, base) else {
                    continue; // reported by lowering, with the exact pointer
                };
                if let Parameter::Path { parameter_data, .. } = param {
                    declared.insert(parameter_data.name.as_str());
                    if !template.contains(parameter_data.name.as_str()) {
                        errors.push(Diagnostic::new(
                            file,
                            &pointer,
                            format!(
                                "path parameter `{}` does not appear in the path template `{path}`",
                                parameter_data.name
                            ),
                        ));
                    }
                }
            }
            for name in &template {
                if !declared.contains(name) {
                    errors.push(Diagnostic::new(
                        file,
                        &pointer,
                        format!("path template `{path}` uses `{{{name}}}` but no path parameter `{name}` is declared"),
                    ));
                }
            }
        }
    }

    if errors.is_empty() {
        Ok(())
    } else {
        errors.sort();
        errors.dedup();
        Err(Error {
            diagnostics: errors,
        })
    }
}

/// The `{name}` placeholders of a path template, in order.
pub fn template_params(path: &str) -> impl Iterator<Item = &str> {
    path.split('{')
        .skip(1)
        .filter_map(|rest| rest.split_once('}').map(|(name, _)| name))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn check(src: &str) -> Result<(), Error> {
        let spec = crate::load::load("t.yaml", src).expect("loads");
        validate("t.yaml", &spec)
    }

    #[test]
    fn template_params_in_order() {
        let got: Vec<_> = template_params("/a/{x}/b/{y}.json").collect();
        assert_eq!(got, ["x", "y"]);
    }

    #[test]
    fn duplicate_operation_ids_and_missing_path_params() {
        let src = r#"
openapi: 3.0.3
info: {title: t, version: '1'}
paths:
  /a/{id}:
    get:
      operationId: same
      responses: {'204': {description: ok}}
  /b:
    get:
      operationId: same
      responses: {'204': {description: ok}}
"#;
        let e = check(src).unwrap_err();
        let text = e.to_string();
        assert!(
            text.contains("#/paths/~1a~1{id}/get: path template `/a/{id}` uses `{id}`"),
            "{text}"
        );
        assert!(text.contains("#/paths/~1b/get/operationId: operationId `same` is already used at #/paths/~1a~1{id}/get"), "{text}");
    }
}
