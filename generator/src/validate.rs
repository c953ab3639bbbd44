//! Stage 2: document-level rules that `openapiv3`'s types cannot express. Everything found is
//! reported at once, sorted, each with its JSON pointer.

use std::collections::BTreeMap;

use openapiv3::{OpenAPI, ReferenceOr};

use crate::error::{join, Diagnostic, DiagnosticKind, Error};

/// Checks `spec`; returns every error found.
pub fn validate(file: &str, spec: &OpenAPI) -> Result<(), Error> {
    let mut errors = Vec::new();
    let mut operation_ids: BTreeMap<&str, String> = BTreeMap::new();

    for (path, item) in spec.paths.iter() {
        let path_pointer = join("#/paths", path);
        let ReferenceOr::Item(item) = item else {
            errors.push(Diagnostic::new(
                DiagnosticKind::Unsupported,
                file,
                &path_pointer,
                "`$ref` path items are not supported",
            ));
            continue;
        };
        for (method, op) in item.iter() {
            let pointer = join(&path_pointer, method);
            if let Some(id) = &op.operation_id {
                if let Some(first) = operation_ids.insert(id, pointer.clone()) {
                    errors.push(Diagnostic::new(
                        DiagnosticKind::DuplicateOperationId,
                        file,
                        &join(&pointer, "operationId"),
                        format!("operationId `{id}` is already used at {first}"),
                    ));
                }
            }
            // Path parameters missing from the template, or template names without a
            // parameter, are repaired (with a warning) when lowering.
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
    fn duplicate_operation_ids() {
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
        assert!(text.contains("#/paths/~1b/get/operationId: operationId `same` is already used at #/paths/~1a~1{id}/get"), "{text}");
    }
}
