//! Reading and writing generated structs as JSON objects, field by field.
//!
//! A derived `Deserialize` expands to a field enum, a field visitor and a map visitor per
//! struct, and a derived `Serialize` to a call and an error branch per field: for big APIs
//! (thousands of structs) that expansion is most of what rustc has to type-check and
//! borrow-check. Generated structs instead go through these few generic functions, with no
//! branch per field: [`Object`] and [`Writer`] remember the first failure and report it at
//! the end. A failure keeps the path of the field (see [`DecodePath`](super::DecodePath)) so
//! that a decode error still reports where it happened.

use serde::de::DeserializeOwned;
use serde::{Deserialize, Deserializer};
use serde_json::{Map, Value};

use super::path::{self, DecodePath};

/// The fields of one JSON object, taken out one by one.
///
/// Each read returns `None` once a field has failed; [`Object::error`] then gives the
/// first failure. Generated code reads every field, then matches on all of them at once.
#[derive(Debug)]
pub struct Object {
    fields: Map<String, Value>,
    error: Option<String>,
}

impl Object {
    /// Reads a JSON object.
    pub fn read<'de, D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        Map::deserialize(deserializer).map(|fields| Object {
            fields,
            error: None,
        })
    }

    /// A required field.
    pub fn required<T: DeserializeOwned>(&mut self, key: &str) -> Option<T> {
        match self.fields.remove(key) {
            Some(value) => self.decode(key, value),
            None => self.fail(DecodePath::root(), format!("missing field `{key}`")),
        }
    }

    /// An optional field: absent or `null` is `Some(None)`.
    pub fn optional<T: DeserializeOwned>(&mut self, key: &str) -> Option<Option<T>> {
        match self.fields.remove(key) {
            None | Some(Value::Null) => Some(None),
            Some(value) => self.decode(key, value).map(Some),
        }
    }

    /// An optional, nullable field: absent is `Some(None)`, `null` is `Some(Some(None))`.
    pub fn nullable<T: DeserializeOwned>(&mut self, key: &str) -> Option<Option<Option<T>>> {
        match self.fields.remove(key) {
            None => Some(None),
            Some(Value::Null) => Some(Some(None)),
            Some(value) => self.decode(key, value).map(|v| Some(Some(v))),
        }
    }

    /// The fields not taken yet, for `additionalProperties`.
    pub fn rest<T: DeserializeOwned>(&mut self) -> Option<std::collections::BTreeMap<String, T>> {
        std::mem::take(&mut self.fields)
            .into_iter()
            .map(|(key, value)| self.decode(&key, value).map(|v| (key, v)))
            .collect()
    }

    /// The first failure, for when a read returned `None`.
    pub fn error<E: serde::de::Error>(self) -> E {
        E::custom(self.error.as_deref().unwrap_or("invalid object"))
    }

    fn decode<T: DeserializeOwned>(&mut self, key: &str, value: Value) -> Option<T> {
        if self.error.is_some() {
            return None;
        }
        // A failure recorded before this field (by a union variant that did not match) is
        // not this field's.
        path::take();
        match serde_path_to_error::deserialize(value) {
            Ok(value) => Some(value),
            Err(e) => {
                let (at, message) = DecodePath::locate(Some(key), e);
                self.fail(at, message)
            }
        }
    }

    /// Keeps the first failure, at `at` inside this object, and records it for the decoder
    /// above (see [`DecodePath`]).
    fn fail<T>(&mut self, at: DecodePath, message: String) -> Option<T> {
        if self.error.is_none() {
            path::record(at, message.clone());
            self.error = Some(message);
        }
        None
    }
}

/// Writes a generated struct as a JSON object, field by field (the counterpart of
/// [`Object`]). A failed write is kept and returned by [`Writer::end`]; the writes after
/// it are skipped.
pub struct Writer<M: serde::ser::SerializeMap> {
    map: M,
    error: Option<M::Error>,
}

impl<M: serde::ser::SerializeMap> Writer<M> {
    /// Starts an object.
    pub fn new<S: serde::Serializer<SerializeMap = M, Error = M::Error>>(
        serializer: S,
    ) -> Result<Self, M::Error> {
        serializer
            .serialize_map(None)
            .map(|map| Writer { map, error: None })
    }

    /// A field that is always written.
    pub fn required<T: serde::Serialize + ?Sized>(&mut self, key: &str, value: &T) {
        if self.error.is_none() {
            if let Err(e) = self.map.serialize_entry(key, value) {
                self.error = Some(e);
            }
        }
    }

    /// A field that is written unless it is `None`.
    pub fn optional<T: serde::Serialize>(&mut self, key: &str, value: &Option<T>) {
        if let Some(value) = value {
            self.required(key, value);
        }
    }

    /// The additional properties, written after the declared ones.
    pub fn rest<T: serde::Serialize>(&mut self, map: &std::collections::BTreeMap<String, T>) {
        for (key, value) in map {
            self.required(key, value);
        }
    }

    /// Finishes the object, or returns the first failed write.
    pub fn end(self) -> Result<M::Ok, M::Error> {
        match self.error {
            Some(e) => Err(e),
            None => self.map.end(),
        }
    }
}

#[cfg(test)]
mod tests {
    use std::collections::BTreeMap;

    use reqwest::header::HeaderMap;
    use reqwest::StatusCode;
    use serde::{Deserialize, Deserializer};

    use super::Object;
    use crate::runtime::{Error, Response};

    /// Reads like a generated struct: `{ "id": integer }`.
    #[derive(Debug)]
    struct Item {
        #[allow(dead_code)]
        id: u32,
    }

    impl<'de> Deserialize<'de> for Item {
        fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
            let mut object = Object::read(deserializer)?;
            match object.required("id") {
                Some(id) => Ok(Item { id }),
                None => Err(object.error()),
            }
        }
    }

    /// A union that is not ours: serde tries each variant and drops their errors.
    #[derive(Debug, Deserialize)]
    #[serde(untagged)]
    #[allow(dead_code)]
    enum ItemOrNumber {
        Item(Item),
        Number(u32),
    }

    #[derive(Debug)]
    #[allow(dead_code)]
    struct Page {
        items: BTreeMap<String, Vec<Item>>,
        either: Option<ItemOrNumber>,
    }

    impl<'de> Deserialize<'de> for Page {
        fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
            let mut object = Object::read(deserializer)?;
            match (object.required("items"), object.optional("either")) {
                (Some(items), Some(either)) => Ok(Page { items, either }),
                _ => Err(object.error()),
            }
        }
    }

    fn decode(body: &str) -> (String, String) {
        let response = Response::new(StatusCode::OK, HeaderMap::new(), body.as_bytes().to_vec());
        match response.json::<Page, ()>() {
            Err(Error::Decode { path, message, .. }) => (path.to_string(), message),
            other => panic!("{body}: expected a decode error, got {other:?}"),
        }
    }

    #[test]
    fn failures_keep_their_path_through_nested_objects() {
        let (path, message) = decode(r#"{"items": {"a": [{"id": 1}, {"id": "x"}]}}"#);
        assert_eq!(path, "items.a[1].id");
        assert!(message.starts_with("invalid type: string"), "{message}");
        let (path, message) = decode(r#"{"items": {"a": [{}]}}"#);
        assert_eq!(
            (path.as_str(), message.as_str()),
            ("items.a[0]", "missing field `id`")
        );
        let (path, message) = decode(r#"{}"#);
        assert_eq!(
            (path.as_str(), message.as_str()),
            (".", "missing field `items`")
        );
    }

    #[test]
    fn hostile_keys_are_kept_whole() {
        // A key that looks like the old `at `path`: message` framing, and keys with the
        // characters a path is written with.
        let (path, _) = decode(r#"{"items": {"x`: y": [{"id": -1}]}}"#);
        assert_eq!(path, r#"items["x`: y"][0].id"#);
        let (path, _) = decode(r#"{"items": {"a.b[0]": [{"id": "1"}]}}"#);
        assert_eq!(path, r#"items["a.b[0]"][0].id"#);
        let (path, message) = decode(r#"{"items": {"at `k`: boom": [{}]}}"#);
        assert_eq!(path, r#"items["at `k`: boom"][0]"#);
        assert_eq!(message, "missing field `id`");
    }

    #[test]
    fn a_failed_union_variant_does_not_lend_its_path() {
        let (path, message) = decode(r#"{"items": {}, "either": {"id": "x"}}"#);
        assert_eq!(path, "either");
        assert!(message.contains("untagged enum ItemOrNumber"), "{message}");
        // The next failure is reported where it is, not where the variant failed.
        let (path, _) = decode(r#"{"items": {"b": [{"id": true}]}, "either": 3}"#);
        assert_eq!(path, "items.b[0].id");
    }
}
