//! Request bodies: the media type used out of several, and how it is encoded.

use openapiv3::MediaType;

use super::view::sref;
use super::Lower;
use crate::error::{join, DiagnosticKind};
use crate::ir::*;

impl<'a> Lower<'a> {
    /// The request body of an operation, in the media type `prefer` if given, else the one
    /// [`pick_media`] prefers.
    pub(super) fn body(
        &mut self,
        body: &'a openapiv3::RequestBody,
        type_base: &str,
        pointer: &str,
        prefer: Option<&str>,
    ) -> Option<Body> {
        let (media, m) = match prefer.and_then(|p| body.content.get_key_value(p)) {
            Some((media, m)) => (media.as_str(), m),
            None => pick_media(body.content.iter())?,
        };
        let encoding = body_encoding(media);
        let at = join(&join(pointer, "content"), media);
        let ty = match encoding {
            BodyEncoding::Binary => Type::Bytes,
            BodyEncoding::Text => Type::String,
            _ => match &m.schema {
                Some(s) => {
                    self.schema_type(sref(s), &format!("{type_base}Body"), &join(&at, "schema"))
                }
                None => Type::Json,
            },
        };
        let ty = match ty {
            Type::Option(inner) => *inner,
            other => other,
        };
        if encoding == BodyEncoding::Multipart && !matches!(ty, Type::Named(_)) {
            self.warn(DiagnosticKind::Approximated, &at, "a multipart/form-data body without an object schema is sent with one text part per top-level field (JSON for non-strings)");
        }
        let comma_fields = match encoding {
            BodyEncoding::Form => m
                .encoding
                .iter()
                .filter(|(_, e)| e.style == Some(openapiv3::QueryStyle::Form) && !e.explode)
                .map(|(field, _)| field.clone())
                .collect(),
            _ => Vec::new(),
        };
        Some(Body {
            ty,
            required: body.required,
            content_type: media.to_string(),
            encoding,
            comma_fields,
        })
    }
}

/// The request media types that get a method of their own (`{op}_with_{media}`): one per
/// encoding other than the default's, the first of each in spec order. Media types encoded
/// alike (`application/json` and `application/merge-patch+json`, two image types) share a
/// method: the caller picks one per call with `Call::content_type`.
pub(super) fn body_alternatives(body: &openapiv3::RequestBody) -> Vec<String> {
    let Some((default, _)) = pick_media(body.content.iter()) else {
        return Vec::new();
    };
    let mut seen = vec![body_encoding(default)];
    let mut out = Vec::new();
    for media in body.content.keys() {
        let encoding = body_encoding(media);
        if !seen.contains(&encoding) {
            seen.push(encoding);
            out.push(media.clone());
        }
    }
    out
}

/// How a media type is encoded on the wire (parameters such as `charset` are ignored).
pub(super) fn body_encoding(media: &str) -> BodyEncoding {
    let media = media
        .split(';')
        .next()
        .unwrap_or(media)
        .trim()
        .to_ascii_lowercase();
    if media == "application/json"
        || media.ends_with("+json")
        || media == "*/*"
        || media == "application/*"
        || media.ends_with("/json")
    {
        BodyEncoding::Json
    } else if media == "application/x-www-form-urlencoded" {
        BodyEncoding::Form
    } else if media == "multipart/form-data" {
        BodyEncoding::Multipart
    } else if media.starts_with("text/") {
        BodyEncoding::Text
    } else {
        BodyEncoding::Binary
    }
}

/// The media type we use out of several: JSON first, then form, multipart, text, bytes.
pub(super) fn pick_media<'m>(
    content: impl Iterator<Item = (&'m String, &'m MediaType)>,
) -> Option<(&'m str, &'m MediaType)> {
    content
        .map(|(k, v)| (k.as_str(), v))
        .min_by_key(|(k, _)| match body_encoding(k) {
            BodyEncoding::Json => 0,
            BodyEncoding::Form => 1,
            BodyEncoding::Multipart => 2,
            BodyEncoding::Text => 3,
            BodyEncoding::Binary => 4,
        })
}
