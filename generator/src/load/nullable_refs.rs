//! `nullable: true` beside a `$ref` in an OpenAPI 3.0 document.
//!
//! OpenAPI 3.0 says the siblings of a `$ref` are ignored, and openapiv3 drops them; but
//! specs write `{$ref: X, nullable: true}` to say "an X or null" (Twilio's do it for every
//! enum-valued field), and their servers send `null` there. Read strictly, the client would
//! refuse those responses; so the reference moves into an `allOf` beside `nullable: true`,
//! the 3.0 spelling of the same intent, and a warning names every place. The other
//! siblings stay ignored, as 3.0 says.

use serde_json::{json, Map, Value};

use super::{walk, Note};
use crate::error::DiagnosticKind;

/// Rewrites every schema `{$ref: X, nullable: true, …}` of `document` as
/// `{allOf: [{$ref: X}], nullable: true}`; a note for each.
pub(super) fn rewrite(document: &mut Value) -> Vec<Note> {
    let mut notes = Vec::new();
    // Values, not schemas.
    let data = |key: &str| {
        matches!(key, "example" | "examples" | "default" | "enum") || key.starts_with("x-")
    };
    let mut at = String::from("#");
    walk::each_object(document, &mut at, &data, &mut |map, at| {
        if !is_nullable_ref(map) {
            return;
        }
        let reference = map.remove("$ref").unwrap_or_default();
        map.clear();
        map.insert("allOf".into(), json!([{ "$ref": reference }]));
        map.insert("nullable".into(), Value::Bool(true));
        notes.push(Note {
            kind: DiagnosticKind::Repaired,
            pointer: format!("{at}/nullable"),
            message: "`nullable: true` beside `$ref` (whose siblings OpenAPI 3.0 ignores) is \
                      honoured: the value may be null"
                .into(),
        });
    });
    notes
}

fn is_nullable_ref(map: &Map<String, Value>) -> bool {
    map.get("$ref").is_some_and(Value::is_string) && map.get("nullable") == Some(&Value::Bool(true))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_nullable_ref_becomes_an_all_of_and_is_reported() {
        let mut document = json!({
            "components": {"schemas": {
                "Call": {"properties": {
                    "state": {"$ref": "#/components/schemas/State", "nullable": true,
                              "type": "string", "description": "ignored, as 3.0 says"},
                    "plain": {"$ref": "#/components/schemas/State"},
                    "off": {"$ref": "#/components/schemas/State", "nullable": false}
                }},
                "State": {"type": "string", "enum": ["a", "b"]}
            }},
            "paths": {"/c": {"get": {"responses": {"200": {"description": "ok", "content": {
                "application/json": {"example": {"$ref": "x", "nullable": true}}
            }}}}}}
        });
        let notes = rewrite(&mut document);
        let pointers: Vec<&str> = notes.iter().map(|n| n.pointer.as_str()).collect();
        assert_eq!(
            pointers,
            ["#/components/schemas/Call/properties/state/nullable"]
        );
        let properties = &document["components"]["schemas"]["Call"]["properties"];
        assert_eq!(
            properties["state"],
            json!({"allOf": [{"$ref": "#/components/schemas/State"}], "nullable": true})
        );
        assert_eq!(
            properties["plain"],
            json!({"$ref": "#/components/schemas/State"})
        );
        assert_eq!(properties["off"]["$ref"], "#/components/schemas/State");
        let example = &document["paths"]["/c"]["get"]["responses"]["200"]["content"]
            ["application/json"]["example"];
        assert_eq!(
            example,
            &json!({"$ref": "x", "nullable": true}),
            "examples are data"
        );
    }
}
