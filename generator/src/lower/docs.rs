//! The rustdoc text of lowered items: schemas, fields, operations and the API itself,
//! composed from the spec's titles, descriptions and constraints. [`crate::docs`] turns each
//! piece of prose into safe rustdoc lines; this module decides which pieces an item gets.

use openapiv3::Schema;
use serde_json::Value;

use super::view::View;
use crate::docs::lines;
use crate::ir::{Pagination, Paging, Param, Presence};
use crate::naming;

/// The module doc of the API: its title, version and description.
pub(super) fn api_doc(info: &openapiv3::Info) -> Vec<String> {
    let mut doc = vec![info.title.clone()];
    doc.push(String::new());
    doc.push(format!("API version `{}`.", info.version));
    if let Some(d) = &info.description {
        doc.push(String::new());
        doc.extend(lines(d));
    }
    doc
}

/// The doc of an operation's method: summary, description, method and path, required
/// scopes, deprecation, and the documented arguments.
pub(super) fn operation_doc(
    op: &openapiv3::Operation,
    method: &str,
    path: &str,
    scopes: &[String],
    params: &[Param],
) -> Vec<String> {
    let mut doc = Vec::new();
    if let Some(summary) = &op.summary {
        doc.extend(lines(summary));
    }
    if let Some(description) = &op.description {
        if !doc.is_empty() {
            doc.push(String::new());
        }
        doc.extend(lines(description));
    }
    if !doc.is_empty() {
        doc.push(String::new());
    }
    doc.push(format!("`{} {}`", method.to_ascii_uppercase(), path));
    if !scopes.is_empty() {
        doc.push(String::new());
        let list: Vec<String> = scopes.iter().map(|s| format!("`{s}`")).collect();
        doc.push(format!("Required scopes: {}.", list.join(", ")));
    }
    if op.deprecated {
        doc.push(String::new());
        doc.push("Deprecated.".to_string());
    }
    let documented: Vec<&Param> = params
        .iter()
        .filter(|p| p.required && (p.doc.is_some() || p.multi_segment))
        .collect();
    if !documented.is_empty() {
        doc.push(String::new());
        doc.push("Arguments:".to_string());
        for p in documented {
            let mut text = lines(p.doc.as_deref().unwrap_or_default()).join(" ");
            if p.multi_segment {
                if !text.is_empty() {
                    text.push(' ');
                }
                text.push_str("(Several path segments: its `/` are kept, each segment encoded; may be empty.)");
            }
            doc.push(format!("- `{}`: {}", naming::unraw(&p.name), text));
        }
    }
    doc
}

/// How a paginated operation's pages are walked, for its doc.
pub(super) fn paging(pagination: &Pagination) -> String {
    match &pagination.paging {
        Paging::Link => "the `Link` header's `rel=\"next\"` URL".to_string(),
        Paging::NextUrl => "the next page's URL in the body".to_string(),
        Paging::Cursor(param) => format!("the next cursor in the body, sent as `{param}`"),
        Paging::Page { param, .. } => format!("`{param}` up by one until an empty page"),
        Paging::Offset(param) => format!("`{param}` up by the items received until an empty page"),
    }
}

/// The doc of a named type: its title (unless it only repeats the name), description and facts;
/// where it is defined when the spec says nothing about it.
pub(super) fn schema_doc(s: &Schema, view: &View<'_>, name: &str, pointer: &str) -> Vec<String> {
    let mut doc = Vec::new();
    if let Some(title) = &s.schema_data.title {
        if naming::type_name(title) != name {
            doc.extend(lines(title));
        }
    }
    if let Some(d) = &s.schema_data.description {
        if !doc.is_empty() {
            doc.push(String::new());
        }
        doc.extend(lines(d));
    }
    let facts = facts(s, view);
    if !facts.is_empty() {
        if !doc.is_empty() {
            doc.push(String::new());
        }
        doc.extend(facts);
    }
    if doc.is_empty() {
        // The spec says nothing about it: say where it is defined.
        doc.push(format!("Defined at `{pointer}` in the spec."));
    }
    doc
}

/// The doc of a field the spec says nothing about: its JSON name and presence, which the
/// Rust name and type do not fully show.
pub(super) fn bare_field_doc(json_name: &str, presence: Presence) -> Vec<String> {
    let presence = match presence {
        Presence::Required => "required",
        Presence::RequiredNullable => "required, may be `null`",
        Presence::Optional => "optional",
        Presence::OptionalNullable => "optional, may be `null`",
    };
    vec![format!("`{json_name}` in JSON: {presence}.")]
}

/// The first paragraph of a referenced schema's description, for the fields that use it.
pub(super) fn summary_doc(s: &Schema) -> Vec<String> {
    let Some(d) = s
        .schema_data
        .description
        .as_ref()
        .or(s.schema_data.title.as_ref())
    else {
        return Vec::new();
    };
    lines(d).into_iter().take_while(|l| !l.is_empty()).collect()
}

/// The doc of a field whose schema is inline: its description (or title) and facts.
pub(super) fn field_doc(s: &Schema) -> Vec<String> {
    let view = View::of(s);
    let mut doc = Vec::new();
    if let Some(d) = s
        .schema_data
        .description
        .as_ref()
        .or(s.schema_data.title.as_ref())
    {
        doc.extend(lines(d));
    }
    let facts = facts(s, &view);
    if !facts.is_empty() {
        if !doc.is_empty() {
            doc.push(String::new());
        }
        doc.extend(facts);
    }
    doc
}

/// Notable facts that the Rust type does not show: format, pattern, read-only, example.
fn facts(s: &Schema, view: &View<'_>) -> Vec<String> {
    let mut out = Vec::new();
    if s.schema_data.read_only {
        out.push("Read-only: set by the server.".to_string());
    }
    if s.schema_data.write_only {
        out.push("Write-only: never returned by the server.".to_string());
    }
    if let Some(format) = &view.format {
        out.push(format!("Format: `{}`.", format.replace('`', "'")));
    }
    if let Some(pattern) = view.pattern {
        out.push(format!("Pattern: `{}`.", pattern.replace('`', "'")));
    }
    let non_string_enum = !view.enumeration.is_empty()
        && !view
            .enumeration
            .iter()
            .all(|v| v.is_string() || v.is_null());
    if non_string_enum {
        let values: Vec<String> = view.enumeration.iter().map(Value::to_string).collect();
        out.push(format!(
            "Allowed values: `{}`.",
            values
                .join("`, `")
                .replace('`', "'")
                .replace("', '", "`, `")
        ));
    }
    if let Some(default) = &s.schema_data.default {
        let text = default.to_string();
        if text.len() <= 120 {
            out.push(format!("Default: `{}`.", text.replace('`', "'")));
        }
    }
    if let Some(example) = &s.schema_data.example {
        let text = example.to_string();
        if text.len() <= 120 {
            out.push(format!("Example: `{}`.", text.replace('`', "'")));
        }
    }
    if s.schema_data.deprecated {
        out.push("Deprecated.".to_string());
    }
    out
}
