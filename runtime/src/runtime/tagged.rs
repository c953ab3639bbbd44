//! Serialization helpers for internally tagged unions with an open set of tags.

use serde::de::{DeserializeOwned, Error as _};
use serde::ser::Error as _;
use serde::{Deserialize, Deserializer, Serialize, Serializer};
use serde_json::Value;

use super::path::{self, DecodePath};

/// Serializes `payload` with the tag property added.
pub fn serialize<S: Serializer, T: Serialize>(
    serializer: S,
    tag: &str,
    value: &str,
    payload: &T,
) -> Result<S::Ok, S::Error> {
    let mut json = serde_json::to_value(payload).map_err(S::Error::custom)?;
    match &mut json {
        Value::Object(map) => {
            map.insert(tag.to_string(), Value::String(value.to_string()));
        }
        _ => {
            return Err(S::Error::custom(
                "a tagged variant must serialize as an object",
            ))
        }
    }
    json.serialize(serializer)
}

/// Reads an object and takes its tag property out.
pub fn split<'de, D: Deserializer<'de>>(
    deserializer: D,
    tag: &str,
) -> Result<(Option<String>, Value), D::Error> {
    let mut value = Value::deserialize(deserializer)?;
    let found = match &mut value {
        Value::Object(map) => match map.remove(tag) {
            Some(Value::String(s)) => Some(s),
            Some(other) => {
                map.insert(tag.to_string(), other);
                None
            }
            None => None,
        },
        _ => {
            return Err(D::Error::custom(format!(
                "expected an object with a `{tag}` property"
            )))
        }
    };
    Ok((found, value))
}

/// Decodes the rest of a tagged object into the variant's payload. A failure keeps the path
/// inside the payload (see [`DecodePath`](super::DecodePath)), so that a decode error reports
/// the full path (`routes[1].targets.Default.tunnel.id`) although the payload is decoded from
/// a buffered value.
pub fn payload<'de, D: Deserializer<'de>, T: DeserializeOwned>(
    value: Value,
) -> Result<T, D::Error> {
    // A failure recorded before this payload is not this payload's.
    path::take();
    serde_path_to_error::deserialize(value).map_err(|e| {
        let (at, message) = DecodePath::locate(None, e);
        let error = D::Error::custom(&message);
        path::record(at, message);
        error
    })
}

/// Puts the tag back, for the catch-all variant.
pub fn restore(mut value: Value, tag: &str, found: Option<String>) -> Value {
    if let (Value::Object(map), Some(found)) = (&mut value, found) {
        map.insert(tag.to_string(), Value::String(found));
    }
    value
}
