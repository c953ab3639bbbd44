//! Writing generated structs as JSON objects, field by field.
//!
//! A derived `Serialize` expands to a call and an error branch per field: for big APIs
//! (thousands of structs) that expansion is a large part of what rustc has to type-check and
//! borrow-check. Generated structs instead go through [`Writer`], with no branch per field: it
//! remembers the first failure and reports it at the end. (Reading is [`super::decode`].)

/// Writes a generated struct as a JSON object, field by field. A failed write is kept and
/// returned by [`Writer::end`]; the writes after it are skipped.
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
