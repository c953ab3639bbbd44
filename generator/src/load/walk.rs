//! A walk over every object of a JSON document with its pointer, for the load stage's
//! rewrites of the document before it is read as OpenAPI (each repair names where it was
//! made).

use serde_json::{Map, Value};

use crate::error::escape_segment;

/// Calls `visit` with every object under `node` and its JSON pointer (`at` extended),
/// an object before what it holds; what lies under a key for which `skip` is true is not
/// visited. `at` is as it was when this returns.
pub(super) fn each_object(
    node: &mut Value,
    at: &mut String,
    skip: &dyn Fn(&str) -> bool,
    visit: &mut dyn FnMut(&mut Map<String, Value>, &str),
) {
    let len = at.len();
    match node {
        Value::Object(map) => {
            visit(map, at);
            for (key, child) in map.iter_mut() {
                if skip(key) {
                    continue;
                }
                at.push('/');
                at.push_str(&escape_segment(key));
                each_object(child, at, skip, visit);
                at.truncate(len);
            }
        }
        Value::Array(items) => {
            for (i, child) in items.iter_mut().enumerate() {
                at.push('/');
                at.push_str(&i.to_string());
                each_object(child, at, skip, visit);
                at.truncate(len);
            }
        }
        _ => {}
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn objects_are_visited_with_their_pointers_except_under_skipped_keys() {
        let mut document = serde_json::json!({
            "a/b": [{"c": {}}],
            "example": {"d": {}}
        });
        let mut seen = Vec::new();
        let mut at = String::from("#");
        each_object(
            &mut document,
            &mut at,
            &|key| key == "example",
            &mut |_, pointer| seen.push(pointer.to_string()),
        );
        assert_eq!(seen, ["#", "#/a~1b/0", "#/a~1b/0/c"]);
        assert_eq!(at, "#");
    }
}
