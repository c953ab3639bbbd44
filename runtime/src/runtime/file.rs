//! [`FilePart`]: a file in a multipart body (`type: string, format: binary`), with its file
//! name and content type.

use std::fmt;

use bytes::Bytes;
use serde::{Serialize, Serializer};

use super::decode::{Decode, DecodeError, Decoder};

/// A file: its bytes, and the file name and content type a multipart part carries
/// (`Content-Disposition: form-data; name="…"; filename="…"` and `Content-Type`). The type
/// of every `type: string, format: binary` property.
///
/// ```text
/// FilePart::new(png_bytes).file_name("scan.png").content_type("image/png")
/// ```
///
/// Without a content type a part is sent as `application/octet-stream`. Outside multipart
/// bodies (a JSON property documented as binary, which has no standard JSON form) it is
/// written and read as a JSON string.
#[derive(Clone, PartialEq, Eq, Default)]
pub struct FilePart {
    bytes: Bytes,
    file_name: Option<String>,
    content_type: Option<String>,
}

impl FilePart {
    /// A file of `bytes`, without a name or content type.
    pub fn new(bytes: impl Into<Bytes>) -> Self {
        FilePart {
            bytes: bytes.into(),
            file_name: None,
            content_type: None,
        }
    }

    /// Sets the file name sent with the part.
    pub fn file_name(mut self, name: impl Into<String>) -> Self {
        self.file_name = Some(name.into());
        self
    }

    /// Sets the part's content type (e.g. `image/png`).
    pub fn content_type(mut self, media: impl Into<String>) -> Self {
        self.content_type = Some(media.into());
        self
    }

    /// The file's bytes.
    pub fn bytes(&self) -> &Bytes {
        &self.bytes
    }

    /// The file name, if set.
    pub fn name(&self) -> Option<&str> {
        self.file_name.as_deref()
    }

    /// The content type, if set.
    pub fn media(&self) -> Option<&str> {
        self.content_type.as_deref()
    }

    /// The multipart part: the bytes shared, not copied.
    pub(super) fn part(&self) -> Result<reqwest::multipart::Part, String> {
        let mut part = reqwest::multipart::Part::stream(reqwest::Body::from(self.bytes.clone()));
        if let Some(name) = &self.file_name {
            part = part.file_name(name.clone());
        }
        let media = self
            .content_type
            .as_deref()
            .unwrap_or("application/octet-stream");
        part.mime_str(media)
            .map_err(|_| format!("the content type {media:?} of a file part is not a media type"))
    }
}

impl fmt::Debug for FilePart {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("FilePart")
            .field("len", &self.bytes.len())
            .field("file_name", &self.file_name)
            .field("content_type", &self.content_type)
            .finish()
    }
}

impl From<Vec<u8>> for FilePart {
    fn from(bytes: Vec<u8>) -> Self {
        FilePart::new(bytes)
    }
}

impl From<&'static [u8]> for FilePart {
    fn from(bytes: &'static [u8]) -> Self {
        FilePart::new(bytes)
    }
}

impl From<Bytes> for FilePart {
    fn from(bytes: Bytes) -> Self {
        FilePart::new(bytes)
    }
}

impl From<String> for FilePart {
    fn from(text: String) -> Self {
        FilePart::new(text)
    }
}

impl From<&'static str> for FilePart {
    fn from(text: &'static str) -> Self {
        FilePart::new(text)
    }
}

impl Serialize for FilePart {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(&String::from_utf8_lossy(&self.bytes))
    }
}

impl Decode for FilePart {
    const FALLBACK: &'static str = "\"\"";
    fn decode(d: &mut Decoder<'_>) -> Result<Self, DecodeError> {
        d.string().map(FilePart::from)
    }
}
