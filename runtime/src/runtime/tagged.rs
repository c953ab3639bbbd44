//! Writing internally tagged unions: the variant's payload with the tag property added.
//! (Reading is [`super::decode::Tagged`].)

use serde::ser::Error as _;
use serde::{Serialize, Serializer};
use serde_json::Value;

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
