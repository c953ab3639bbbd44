//! Pagination: which operations are paginated, how their next page is asked for, and where
//! a page's items are. Decided once the types are final (their fields are what a rule looks
//! for), from facts about each operation read while it was lowered.
//!
//! The rules, first match wins (each needs one 2xx success, in JSON, beside which other
//! successes are only 3xx, and its items: the body itself when it is an array, else one of
//! its fields `data`, `items`, `results`, `values`, `value`, `entries`, `records`,
//! `elements`, or its only array field):
//! 1. Vendor extensions on the operation: `x-ms-pageable` (`nextLinkName`, `itemName`: a
//!    next URL in the body), `x-speakeasy-pagination` (`type: cursor | offsetLimit | url`,
//!    `inputs` in the parameters, `outputs` as `$.a.b`), `x-fern-pagination` (`cursor` or
//!    `offset: $request.name`, `next_cursor`, `results: $response.a.b`) and
//!    `x-dropshot-pagination` (`page_token` parameter, `next_page` in the body).
//! 2. A `Link` header documented on a success response: RFC 8288 `rel="next"`.
//! 3. A cursor query parameter (`cursor`, `next_token`, `page_token`, `continuation_token`,
//!    in any case style) with a next cursor in the response (`next_cursor`, `next_token`,
//!    `next_page_token`, `next_continuation_token`, at most two fields deep); or
//!    `starting_after` with a `has_more` boolean and items with an `id` (Stripe).
//! 4. An integer `page` (or `page_number`) query parameter: page numbers from 1, until an
//!    empty page.
//! 5. An integer `offset` query parameter beside a `limit`: offsets by the items received,
//!    until an empty page.

use serde_json::Value;

use super::Lower;
use crate::ir::*;
use crate::naming::fold;

/// What the spec says about an operation that the rules need, read while it is lowered.
#[derive(Debug, Default)]
pub(super) struct Facts {
    /// A success response documents a `Link` header.
    link_header: bool,
    /// The pagination extensions on the operation.
    extensions: Vec<(&'static str, Value)>,
}

const EXTENSIONS: [&str; 4] = [
    "x-ms-pageable",
    "x-speakeasy-pagination",
    "x-fern-pagination",
    "x-dropshot-pagination",
];

const ITEM_FIELDS: [&str; 8] = [
    "data", "items", "results", "values", "value", "entries", "records", "elements",
];
const CURSOR_PARAMS: [&str; 4] = ["cursor", "nexttoken", "pagetoken", "continuationtoken"];
const NEXT_CURSORS: [&str; 4] = [
    "nextcursor",
    "nexttoken",
    "nextpagetoken",
    "nextcontinuationtoken",
];

impl<'a> Lower<'a> {
    /// The facts the pagination rules need about `op`.
    pub(super) fn paging_facts(&self, op: &'a openapiv3::Operation, pointer: &str) -> Facts {
        let link_header = op.responses.responses.iter().any(|(status, r)| {
            let success = match status {
                openapiv3::StatusCode::Code(c) => (200..300).contains(c),
                openapiv3::StatusCode::Range(r) => *r == 2,
            };
            success
                && self
                    .resolver
                    .response(r, pointer)
                    .is_ok_and(|(r, _)| r.headers.keys().any(|h| h.eq_ignore_ascii_case("link")))
        });
        let extensions = EXTENSIONS
            .iter()
            .filter_map(|name| op.extensions.get(*name).map(|v| (*name, v.clone())))
            .collect();
        Facts {
            link_header,
            extensions,
        }
    }
}

/// Decides the pagination of every operation from its facts (sorted by operation name),
/// with the final types (sorted by name).
pub(super) fn recognise(
    operations: &mut [Operation],
    types: &[TypeDef],
    facts: &[(String, Facts)],
) {
    for op in operations.iter_mut() {
        if op.variant_of.is_some() {
            continue;
        }
        let Ok(i) = facts.binary_search_by(|(name, _)| name.as_str().cmp(&op.name)) else {
            continue;
        };
        let facts = &facts[i].1;
        op.pagination = Page::of(op, types).and_then(|page| page.rules(op, facts));
    }
}

/// An operation's success type, as the rules see it.
struct Page<'t> {
    types: &'t [TypeDef],
    /// The page type.
    ty: Type,
    /// The fields of the page, when it is a struct.
    fields: &'t [Field],
    /// The variant of the operation's enum of successes that holds a page, if it has one.
    variant: Option<String>,
}

impl<'t> Page<'t> {
    fn of(op: &Operation, types: &'t [TypeDef]) -> Option<Page<'t>> {
        let cases = &op.success.cases;
        if op.success.enum_name.is_none() {
            if cases.is_empty()
                || cases
                    .iter()
                    .any(|c| c.decode != Decode::Json || c.ty != op.success.ty)
            {
                return None;
            }
            let ty = op.success.ty.clone();
            if matches!(ty, Type::Option(_) | Type::Boxed(_)) {
                return None;
            }
            let fields = struct_fields(&ty, types).unwrap_or(&[]);
            return Some(Page {
                types,
                ty,
                fields,
                variant: None,
            });
        }
        // An enum of successes with one 2xx beside redirects (GitHub's lists document a
        // `301`): the pages are the 2xx's; any other success ends the walk.
        let status = |c: &ResponseCase| match c.status {
            StatusMatch::Code(code) => code / 100,
            StatusMatch::Range(range) => range,
            StatusMatch::Default => 0,
        };
        let mut ok = cases.iter().filter(|c| status(c) == 2);
        let page = ok.next().filter(|c| c.decode == Decode::Json)?;
        if ok.next().is_some() || cases.iter().any(|c| !matches!(status(c), 2 | 3)) {
            return None;
        }
        if matches!(page.ty, Type::Option(_) | Type::Boxed(_)) {
            return None;
        }
        let fields = struct_fields(&page.ty, types).unwrap_or(&[]);
        Some(Page {
            types,
            ty: page.ty.clone(),
            fields,
            variant: Some(page.variant.clone()),
        })
    }

    fn rules(&self, op: &Operation, facts: &Facts) -> Option<Pagination> {
        for (name, value) in &facts.extensions {
            let found = match *name {
                "x-ms-pageable" => self.ms_pageable(value),
                "x-speakeasy-pagination" => self.speakeasy(op, value),
                "x-fern-pagination" => self.fern(op, value),
                _ => self.dropshot(op),
            };
            if found.is_some() {
                return found;
            }
        }
        if facts.link_header {
            let (items, item) = self.default_items()?;
            return Some(Pagination {
                variant: self.variant.clone(),
                paging: Paging::Link,
                rule: PagingRule::LinkHeader,
                item,
                items,
                next: None,
            });
        }
        self.cursor(op).or_else(|| self.numbered(op))
    }

    /// The items: the page itself if it is an array, else its array field.
    fn default_items(&self) -> Option<(Vec<Step>, Type)> {
        if let Some(item) = array_item(&self.ty, self.types) {
            return Some((Vec::new(), item));
        }
        let arrays: Vec<&Field> = self
            .fields
            .iter()
            .filter(|f| array_item(&f.ty, self.types).is_some())
            .collect();
        let chosen = arrays
            .iter()
            .find(|f| ITEM_FIELDS.contains(&fold(&f.json_name).as_str()))
            .or(match arrays.as_slice() {
                [only] => Some(only),
                _ => None,
            })?;
        let item = array_item(&chosen.ty, self.types)?;
        Some((vec![step(chosen)], item))
    }

    /// The fields at a JSON path of property names, each a step into a struct.
    fn path(&self, names: &[&str]) -> Option<Vec<Step>> {
        let mut fields = self.fields;
        let mut steps = Vec::new();
        for name in names {
            let field = fields.iter().find(|f| f.json_name == *name)?;
            steps.push(step(field));
            fields = struct_fields(&field.ty, self.types).unwrap_or(&[]);
        }
        Some(steps)
    }

    /// Items at a JSON path (`$.data`, `$response.data`), the page itself for `$`.
    fn items_at(&self, path: &str) -> Option<(Vec<Step>, Type)> {
        let names = json_path(path)?;
        if names.is_empty() {
            return array_item(&self.ty, self.types).map(|item| (Vec::new(), item));
        }
        let steps = self.path(&names)?;
        let item = array_item(&steps.last()?.ty, self.types)?;
        Some((steps, item))
    }

    /// A cursor or URL field at a JSON path: a string or an integer.
    fn next_at(&self, path: &str) -> Option<NextPage> {
        let names = json_path(path)?;
        let steps = self.path(&names)?;
        is_cursor_type(&steps.last()?.ty).then_some(NextPage::Field(steps))
    }

    fn ms_pageable(&self, value: &Value) -> Option<Pagination> {
        // `nextLinkName: null` says the operation returns everything at once.
        let next = value.get("nextLinkName")?.as_str()?;
        let items_name = value
            .get("itemName")
            .and_then(Value::as_str)
            .unwrap_or("value");
        let (items, item) = self.items_at(&format!("$.{items_name}"))?;
        Some(Pagination {
            variant: self.variant.clone(),
            paging: Paging::NextUrl,
            rule: PagingRule::MsPageable,
            item,
            items,
            next: Some(self.next_at(&format!("$.{next}"))?),
        })
    }

    fn speakeasy(&self, op: &Operation, value: &Value) -> Option<Pagination> {
        let outputs = value.get("outputs")?;
        let (items, item) = self.items_at(outputs.get("results")?.as_str()?)?;
        let input = |kind: &str| {
            value.get("inputs")?.as_array()?.iter().find_map(|input| {
                let wanted = input.get("type")?.as_str()? == kind
                    && input.get("in").and_then(Value::as_str) == Some("parameters");
                let name = input.get("name")?.as_str()?;
                (wanted && query_param(op, name).is_some()).then(|| name.to_string())
            })
        };
        let (paging, next) = match value.get("type")?.as_str()? {
            "cursor" => (
                Paging::Cursor(input("cursor")?),
                Some(self.next_at(outputs.get("nextCursor")?.as_str()?)?),
            ),
            "url" => (
                Paging::NextUrl,
                Some(self.next_at(outputs.get("nextUrl")?.as_str()?)?),
            ),
            "offsetLimit" => match input("page") {
                Some(param) => (Paging::Page { param, first: 1 }, None),
                None => (Paging::Offset(input("offset")?), None),
            },
            _ => return None,
        };
        Some(Pagination {
            variant: self.variant.clone(),
            paging,
            rule: PagingRule::Speakeasy,
            item,
            items,
            next,
        })
    }

    fn fern(&self, op: &Operation, value: &Value) -> Option<Pagination> {
        let (items, item) = self.items_at(value.get("results")?.as_str()?)?;
        let request_param = |key: &str| {
            let name = value.get(key)?.as_str()?.strip_prefix("$request.")?;
            query_param(op, name).map(|p| p.wire_name.clone())
        };
        let (paging, next) = match request_param("cursor") {
            Some(param) => (
                Paging::Cursor(param),
                Some(self.next_at(value.get("next_cursor")?.as_str()?)?),
            ),
            None => (Paging::Offset(request_param("offset")?), None),
        };
        // Fern's `offset` counts pages unless `step` says it counts items.
        let paging = match paging {
            Paging::Offset(param) if value.get("step").is_none() => {
                Paging::Page { param, first: 1 }
            }
            other => other,
        };
        Some(Pagination {
            variant: self.variant.clone(),
            paging,
            rule: PagingRule::Fern,
            item,
            items,
            next,
        })
    }

    fn dropshot(&self, op: &Operation) -> Option<Pagination> {
        let param = query_param(op, "page_token")?;
        let (items, item) = self.items_at("$.items")?;
        Some(Pagination {
            variant: self.variant.clone(),
            paging: Paging::Cursor(param.wire_name.clone()),
            rule: PagingRule::Dropshot,
            item,
            items,
            next: Some(self.next_at("$.next_page")?),
        })
    }

    fn cursor(&self, op: &Operation) -> Option<Pagination> {
        let (items, item) = self.default_items()?;
        if let Some(param) = query_param(op, "starting_after") {
            let has_more = self.path(&["has_more"])?;
            let id = struct_fields(&item, self.types)?
                .iter()
                .find(|f| f.json_name == "id" && is_cursor_type(&f.ty))?;
            if has_more.last()?.ty.strip_option() != &Type::Bool {
                return None;
            }
            return Some(Pagination {
                variant: self.variant.clone(),
                paging: Paging::Cursor(param.wire_name.clone()),
                rule: PagingRule::Cursor,
                item,
                items,
                next: Some(NextPage::LastItemId {
                    has_more,
                    id: step(id),
                }),
            });
        }
        let param = op.params.iter().find(|p| {
            p.location == ParamLocation::Query
                && CURSOR_PARAMS.contains(&fold(&p.wire_name).as_str())
        })?;
        let next = self.next_cursor_field()?;
        Some(Pagination {
            variant: self.variant.clone(),
            paging: Paging::Cursor(param.wire_name.clone()),
            rule: PagingRule::Cursor,
            item,
            items,
            next: Some(NextPage::Field(next)),
        })
    }

    /// A next-cursor field of the page, or of a struct field of it (Slack's
    /// `response_metadata.next_cursor`).
    fn next_cursor_field(&self) -> Option<Vec<Step>> {
        let is_next = |f: &Field| {
            NEXT_CURSORS.contains(&fold(&f.json_name).as_str()) && is_cursor_type(&f.ty)
        };
        if let Some(f) = self.fields.iter().find(|f| is_next(f)) {
            return Some(vec![step(f)]);
        }
        self.fields.iter().find_map(|outer| {
            let inner = struct_fields(&outer.ty, self.types)?
                .iter()
                .find(|f| is_next(f))?;
            Some(vec![step(outer), step(inner)])
        })
    }

    fn numbered(&self, op: &Operation) -> Option<Pagination> {
        let integer = |p: &&Param| {
            p.location == ParamLocation::Query && matches!(p.ty, Type::I32 | Type::I64 | Type::U64)
        };
        let page = op
            .params
            .iter()
            .filter(integer)
            .find(|p| matches!(fold(&p.wire_name).as_str(), "page" | "pagenumber"));
        let (paging, rule) = match page {
            Some(p) => (
                Paging::Page {
                    param: p.wire_name.clone(),
                    first: 1,
                },
                PagingRule::PageNumber,
            ),
            None => {
                let offset = op
                    .params
                    .iter()
                    .filter(integer)
                    .find(|p| fold(&p.wire_name) == "offset")?;
                query_param(op, "limit")?;
                (Paging::Offset(offset.wire_name.clone()), PagingRule::Offset)
            }
        };
        let (items, item) = self.default_items()?;
        Some(Pagination {
            variant: self.variant.clone(),
            paging,
            rule,
            item,
            items,
            next: None,
        })
    }
}

fn step(field: &Field) -> Step {
    Step {
        field: field.name.clone(),
        ty: field.ty.clone(),
    }
}

/// A query parameter of `op` by wire name, in any case style.
fn query_param<'o>(op: &'o Operation, name: &str) -> Option<&'o Param> {
    let name = fold(name);
    op.params
        .iter()
        .find(|p| p.location == ParamLocation::Query && fold(&p.wire_name) == name)
}

/// `$.a.b`, `$response.a.b` → `["a", "b"]`; `$` → `[]`. Other paths (filters, indexes) are
/// not followed.
fn json_path(path: &str) -> Option<Vec<&str>> {
    let rest = path
        .strip_prefix("$response")
        .or_else(|| path.strip_prefix('$'))?;
    if rest.is_empty() {
        return Some(Vec::new());
    }
    let rest = rest.strip_prefix('.')?;
    let names: Vec<&str> = rest.split('.').collect();
    names
        .iter()
        .all(|n| !n.is_empty() && !n.contains(['[', ']', '*', '?']))
        .then_some(names)
}

/// Whether a cursor or a URL can be read from a value of this type.
fn is_cursor_type(ty: &Type) -> bool {
    matches!(
        ty.strip_option(),
        Type::String | Type::I32 | Type::I64 | Type::U64
    )
}

/// The definition behind a named type (inside the field's own `Option` and `Box`, which the
/// walks unwrap), through aliases of named types only: an alias of an `Option` is a value
/// the generated walk cannot step into.
fn definition<'t>(ty: &Type, types: &'t [TypeDef]) -> Option<&'t TypeDef> {
    let mut ty = ty.strip_option();
    for _ in 0..8 {
        let Type::Named(name) = ty else {
            return None;
        };
        let i = types.binary_search_by(|d| d.name.as_str().cmp(name)).ok()?;
        match &types[i].kind {
            TypeKind::Alias { target } => ty = target,
            _ => return Some(&types[i]),
        }
    }
    None
}

fn struct_fields<'t>(ty: &Type, types: &'t [TypeDef]) -> Option<&'t [Field]> {
    match &definition(ty, types)?.kind {
        TypeKind::Struct { fields, .. } => Some(fields),
        _ => None,
    }
}

/// The item type of an array type (inside the field's own `Option` and `Box`, and through
/// aliases of named types; an alias of an `Option` is not followed).
fn array_item(ty: &Type, types: &[TypeDef]) -> Option<Type> {
    let mut ty = ty.strip_option();
    for _ in 0..8 {
        match ty {
            Type::Vec(item) => return Some((**item).clone()),
            Type::Named(name) => {
                let i = types.binary_search_by(|d| d.name.as_str().cmp(name)).ok()?;
                let TypeKind::Alias { target } = &types[i].kind else {
                    return None;
                };
                ty = target;
            }
            _ => return None,
        }
    }
    None
}

#[cfg(test)]
mod tests {
    fn paginated(responses: &str) -> bool {
        let spec = format!(
            "openapi: 3.0.3\ninfo: {{title: t, version: '1'}}\npaths:\n  /items:\n    get:\n      operationId: list\n      parameters:\n        - {{name: page, in: query, schema: {{type: integer}}}}\n      responses:\n{responses}components:\n  schemas:\n    Page:\n      type: object\n      nullable: true\n      properties:\n        items: {{type: array, items: {{type: string}}}}\n"
        );
        let api = crate::analyze("t.yaml", &spec).expect("analyzes").api;
        api.operations[0].pagination.is_some()
    }

    #[test]
    fn a_nullable_page_is_not_walked() {
        // unicourt.com: the walk would step into an `Option` as if it were the struct.
        let nullable = "        '200':\n          description: ok\n          content:\n            application/json:\n              schema: {$ref: '#/components/schemas/Page'}\n";
        assert!(!paginated(nullable));
        let array = "        '200':\n          description: ok\n          content:\n            application/json:\n              schema: {type: array, items: {type: string}}\n";
        assert!(paginated(array));
    }
}
