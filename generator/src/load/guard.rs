//! Checks of the text before it is read as a document: what would make the parse slow,
//! or make the `openapiv3` crate panic.
//!
//! - YAML flow collections nested deeper than [`MAX_FLOW_DEPTH`] (YAML's parser takes time
//!   quadratic in that depth).
//! - Duplicate keys in a mapping. YAML forbids them and JSON leaves them undefined; worse,
//!   `openapiv3` reads every `$ref`-or-value twice, the second time from a copy in which the
//!   later key replaced the earlier, and panics when the two reads disagree.

use std::collections::HashSet;
use std::fmt;

use serde::de::{self, DeserializeSeed, Deserializer, MapAccess, SeqAccess, Visitor};

use super::Syntax;
use crate::error::{escape_segment, Diagnostic, DiagnosticKind, Error};

/// Refuses text nested too deep in flow collections (YAML) or with a duplicate key.
pub(super) fn check(file: &str, source: &str, syntax: Syntax) -> Result<(), Error> {
    if syntax == Syntax::Yaml {
        check_flow_nesting(file, source)?;
    }
    check_duplicate_keys(file, source, syntax)
}

/// The deepest flow nesting (`[`, `{`) a YAML text may have. The parser stops at 128 levels
/// of any nesting, but only after reading the whole text, and YAML's own parser takes time
/// quadratic in the flow depth (minutes for 100,000 levels): deeper text is refused first.
const MAX_FLOW_DEPTH: usize = 1_000;

/// Refuses YAML text whose flow collections nest deeper than [`MAX_FLOW_DEPTH`], naming the
/// line and column. Brackets in quoted strings and comments do not count; in plain and
/// block scalars they may, which only matters for text with a thousand unclosed brackets.
fn check_flow_nesting(file: &str, source: &str) -> Result<(), Error> {
    let (mut depth, mut line, mut column) = (0usize, 1usize, 0usize);
    let mut quote: Option<char> = None;
    let mut comment = false;
    let mut previous = '\n';
    let mut chars = source.chars().peekable();
    while let Some(c) = chars.next() {
        column += 1;
        if c == '\n' {
            (line, column, comment) = (line + 1, 0, false);
        }
        match (quote, c) {
            _ if comment => {}
            (Some('"'), '\\') => {
                chars.next();
                column += 1;
            }
            (Some(q), c) if c == q => {
                if q == '\'' && chars.peek() == Some(&'\'') {
                    chars.next();
                    column += 1;
                } else {
                    quote = None;
                }
            }
            (Some(_), _) => {}
            (None, '"' | '\'') if !previous.is_alphanumeric() => quote = Some(c),
            (None, '#') if previous.is_whitespace() => comment = true,
            (None, '[' | '{') => {
                depth += 1;
                if depth > MAX_FLOW_DEPTH {
                    let mut d = Diagnostic::new(
                        DiagnosticKind::Syntax,
                        file,
                        "",
                        format!("collections nested more than {MAX_FLOW_DEPTH} levels deep"),
                    );
                    d.location = Some((line, column));
                    return Err(Error::one(d));
                }
            }
            (None, ']' | '}') => depth = depth.saturating_sub(1),
            _ => {}
        }
        previous = c;
    }
    Ok(())
}

/// Refuses text in which a mapping has a key twice, naming the pointer of the second. Text
/// that does not parse passes: the parse that follows explains it.
fn check_duplicate_keys(file: &str, source: &str, syntax: Syntax) -> Result<(), Error> {
    let mut path = Vec::new();
    let mut duplicate = None;
    let keys = Keys {
        path: &mut path,
        duplicate: &mut duplicate,
    };
    // The outcome is in `duplicate`; a syntax error is the parse's to report.
    let _ = match syntax {
        Syntax::Json => {
            let mut de = serde_json::Deserializer::from_str(source);
            keys.deserialize(&mut de).map_err(|e| e.to_string())
        }
        Syntax::Yaml => keys
            .deserialize(serde_yaml::Deserializer::from_str(source))
            .map_err(|e| e.to_string()),
    };
    match duplicate {
        None => Ok(()),
        Some((pointer, key)) => Err(Error::one(Diagnostic::new(
            DiagnosticKind::Syntax,
            file,
            &pointer,
            format!("the key `{key}` appears twice in this mapping"),
        ))),
    }
}

/// Visits a document, remembering the path, and stops at the first duplicate key.
struct Keys<'a> {
    path: &'a mut Vec<String>,
    /// The pointer of the mapping with a duplicate key, and the key.
    duplicate: &'a mut Option<(String, String)>,
}

impl Keys<'_> {
    fn child(&mut self) -> Keys<'_> {
        Keys {
            path: &mut *self.path,
            duplicate: &mut *self.duplicate,
        }
    }
}

impl<'de> DeserializeSeed<'de> for Keys<'_> {
    type Value = ();

    fn deserialize<D: Deserializer<'de>>(self, deserializer: D) -> Result<(), D::Error> {
        deserializer.deserialize_any(self)
    }
}

impl<'de> Visitor<'de> for Keys<'_> {
    type Value = ();

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("any value")
    }

    fn visit_bool<E>(self, _: bool) -> Result<(), E> {
        Ok(())
    }
    fn visit_i64<E>(self, _: i64) -> Result<(), E> {
        Ok(())
    }
    fn visit_u64<E>(self, _: u64) -> Result<(), E> {
        Ok(())
    }
    fn visit_i128<E>(self, _: i128) -> Result<(), E> {
        Ok(())
    }
    fn visit_u128<E>(self, _: u128) -> Result<(), E> {
        Ok(())
    }
    fn visit_f64<E>(self, _: f64) -> Result<(), E> {
        Ok(())
    }
    fn visit_str<E>(self, _: &str) -> Result<(), E> {
        Ok(())
    }
    fn visit_bytes<E>(self, _: &[u8]) -> Result<(), E> {
        Ok(())
    }
    fn visit_unit<E>(self) -> Result<(), E> {
        Ok(())
    }
    fn visit_none<E>(self) -> Result<(), E> {
        Ok(())
    }
    fn visit_some<D: Deserializer<'de>>(self, deserializer: D) -> Result<(), D::Error> {
        deserializer.deserialize_any(self)
    }
    fn visit_newtype_struct<D: Deserializer<'de>>(self, deserializer: D) -> Result<(), D::Error> {
        deserializer.deserialize_any(self)
    }
    fn visit_enum<A: de::EnumAccess<'de>>(self, data: A) -> Result<(), A::Error> {
        // A YAML tag (`!name value`): its value is checked like any other.
        use de::VariantAccess as _;
        let (_, variant): (de::IgnoredAny, _) = data.variant()?;
        variant.newtype_variant_seed(self)
    }

    fn visit_seq<A: SeqAccess<'de>>(mut self, mut seq: A) -> Result<(), A::Error> {
        let mut index = 0usize;
        loop {
            self.path.push(index.to_string());
            let more = seq.next_element_seed(self.child())?;
            self.path.pop();
            if more.is_none() {
                return Ok(());
            }
            index += 1;
        }
    }

    fn visit_map<A: MapAccess<'de>>(mut self, mut map: A) -> Result<(), A::Error> {
        let mut seen = HashSet::new();
        while let Some(Key(key)) = map.next_key()? {
            if let Some(key) = &key {
                if !seen.insert(key.clone()) {
                    let pointer = pointer(self.path);
                    *self.duplicate = Some((pointer, key.clone()));
                    return Err(de::Error::custom("duplicate key"));
                }
            }
            self.path.push(key.unwrap_or_default());
            map.next_value_seed(self.child())?;
            self.path.pop();
        }
        Ok(())
    }
}

/// `#/a/b` from path segments.
fn pointer(path: &[String]) -> String {
    let mut pointer = "#".to_string();
    for segment in path {
        pointer.push('/');
        pointer.push_str(&escape_segment(segment));
    }
    pointer
}

/// A mapping key as text: a scalar as written (YAML's `200:` is a number), `None` for a
/// collection used as a key (YAML allows it; no OpenAPI key is one).
struct Key(Option<String>);

impl<'de> de::Deserialize<'de> for Key {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Key, D::Error> {
        struct Text;
        impl<'de> Visitor<'de> for Text {
            type Value = Key;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a key")
            }
            fn visit_str<E>(self, v: &str) -> Result<Key, E> {
                Ok(Key(Some(v.to_string())))
            }
            fn visit_bool<E>(self, v: bool) -> Result<Key, E> {
                Ok(Key(Some(v.to_string())))
            }
            fn visit_i64<E>(self, v: i64) -> Result<Key, E> {
                Ok(Key(Some(v.to_string())))
            }
            fn visit_u64<E>(self, v: u64) -> Result<Key, E> {
                Ok(Key(Some(v.to_string())))
            }
            fn visit_f64<E>(self, v: f64) -> Result<Key, E> {
                Ok(Key(Some(v.to_string())))
            }
            fn visit_unit<E>(self) -> Result<Key, E> {
                Ok(Key(Some("null".to_string())))
            }
            fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Key, A::Error> {
                while seq.next_element::<de::IgnoredAny>()?.is_some() {}
                Ok(Key(None))
            }
            fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Key, A::Error> {
                while map
                    .next_entry::<de::IgnoredAny, de::IgnoredAny>()?
                    .is_some()
                {}
                Ok(Key(None))
            }
        }
        deserializer.deserialize_any(Text)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn flow_nesting_is_bounded_outside_strings_and_comments() {
        let deep = "[".repeat(MAX_FLOW_DEPTH + 1);
        let error = check_flow_nesting("f.yaml", &format!("a: 1\nb: {deep}")).unwrap_err();
        assert_eq!(error.diagnostics[0].location, Some((2, MAX_FLOW_DEPTH + 4)));
        for quiet in [
            format!("a: \"{deep}\"\n"),
            format!("a: '{deep}'\n"),
            format!("a: 'it''s {deep}'\n"),
            format!("a: \"\\\" {deep}\"\n"),
            format!("a: 1 # {deep}\n"),
            format!("a: {}\n", "[]".repeat(10 * MAX_FLOW_DEPTH)),
        ] {
            assert!(check_flow_nesting("f.yaml", &quiet).is_ok(), "{quiet}");
        }
    }

    #[test]
    fn a_duplicate_key_is_refused_with_its_pointer() {
        let yaml = "paths:\n  /a:\n    description: x\n    description: y\n";
        let error = check_duplicate_keys("f.yaml", yaml, Syntax::Yaml).unwrap_err();
        assert_eq!(error.diagnostics[0].pointer, "#/paths/~1a");
        assert!(error.diagnostics[0].message.contains("`description`"));
        let json = r#"{"a": [{"k": 1}, {"k": 1, "k": 2}]}"#;
        let error = check_duplicate_keys("f.json", json, Syntax::Json).unwrap_err();
        assert_eq!(error.diagnostics[0].pointer, "#/a/1");
        let fine = "responses:\n  200: {a: 1}\n  '201': {a: 1}\n  default: {a: [1, 1]}\n";
        assert!(check_duplicate_keys("f.yaml", fine, Syntax::Yaml).is_ok());
        assert!(check_duplicate_keys("f.yaml", "a: [", Syntax::Yaml).is_ok());
    }
}
