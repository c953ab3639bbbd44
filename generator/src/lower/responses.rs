//! Responses: the success and error outcomes of an operation, one case per status, and an
//! enum over the statuses when their bodies differ.

use openapiv3::{MediaType, ReferenceOr, StatusCode};

use super::bodies::{body_encoding, pick_media};
use super::view::sref;
use super::Lower;
use crate::error::{join, DiagnosticKind};
use crate::ir::*;
use crate::naming::{self, Scope};

/// The responses of an operation, lowered.
pub(super) struct Responses {
    pub success: Outcome,
    pub error: Outcome,
    /// The `Accept` header: the media types decoded, successes first.
    pub accept: Option<String>,
    /// Other representations of the successes worth a method of their own (see
    /// [`alternatives`]).
    pub alternatives: Vec<String>,
}

impl<'a> Lower<'a> {
    /// The success and error outcomes of an operation, and its `Accept` header value.
    /// Successes are read in the media type `prefer` where a response has it, else in the
    /// one [`pick_media`] prefers; with `only_success`, error responses are left out (for
    /// another representation of an operation already lowered).
    pub(super) fn responses(
        &mut self,
        op: &'a openapiv3::Operation,
        type_base: &str,
        pointer: &str,
        prefer: Option<&str>,
        only_success: bool,
        head: bool,
    ) -> Responses {
        let responses_pointer = join(pointer, "responses");
        let mut entries: Vec<(StatusMatch, &'a ReferenceOr<openapiv3::Response>, String)> =
            Vec::new();
        for (status, r) in &op.responses.responses {
            let (m, key) = match status {
                StatusCode::Code(c) => (StatusMatch::Code(*c), c.to_string()),
                StatusCode::Range(r) => (StatusMatch::Range(*r), format!("{r}XX")),
            };
            entries.push((m, r, join(&responses_pointer, &key)));
        }
        if let Some(d) = &op.responses.default {
            entries.push((StatusMatch::Default, d, join(&responses_pointer, "default")));
        }
        entries.sort_by_key(|e| e.0);
        let has_success = entries.iter().any(|(m, ..)| is_success(*m));
        let success_count = entries
            .iter()
            .filter(|(m, ..)| is_success(*m) || (*m == StatusMatch::Default && !has_success))
            .count();
        let error_count = entries.len() - entries.iter().filter(|(m, ..)| is_success(*m)).count();

        let mut accept: Vec<String> = Vec::new();
        let mut error_accept: Vec<String> = Vec::new();
        // Each success media type with its decoding and schema, in spec order.
        let mut offered: Vec<(&'a str, Decode, Option<&'a ReferenceOr<openapiv3::Schema>>)> =
            Vec::new();
        let mut chosen: Vec<(Decode, Option<&'a ReferenceOr<openapiv3::Schema>>)> = Vec::new();
        let mut success = Vec::new();
        let mut error = Vec::new();
        for (status, r, at) in entries {
            let ok = is_success(status) || (status == StatusMatch::Default && !has_success);
            if only_success && !ok {
                // Decoded by the operation already lowered (which reported any error): only
                // its media type is asked for.
                let media = self
                    .resolver
                    .response(r, &at)
                    .ok()
                    .and_then(|(response, _)| {
                        pick_media(response.content.iter()).map(|(media, _)| media)
                    });
                if let Some(media) = media {
                    if !error_accept.iter().any(|s| s == media) {
                        error_accept.push(media.to_string());
                    }
                }
                continue;
            }
            let (response, at) = match self.resolver.response(r, &at) {
                Ok(found) => found,
                Err(d) => {
                    self.errors.push(d);
                    continue;
                }
            };
            // HTTP gives a HEAD response, a 204, a 205 and a 304 no body (RFC 9110), whatever
            // the spec says: content described there is never received.
            let bodiless = head || matches!(status, StatusMatch::Code(204 | 205 | 304));
            let content = if bodiless && !response.content.is_empty() {
                if !only_success {
                    let why = match status {
                        StatusMatch::Code(code) if !head => format!("a {code} response"),
                        _ => "a response to HEAD".to_string(),
                    };
                    self.warn(
                        DiagnosticKind::Repaired,
                        &join(&at, "content"),
                        format!("{why} has no body in HTTP: its content is ignored"),
                    );
                }
                None
            } else {
                Some(&response.content)
            };
            // Inline body types: `{Op}Response`/`{Op}Error` when alone on their side, else
            // `{Op}{Status}Response`/`{Op}{Status}Error`; the bare names are then free for the
            // enum over the statuses.
            let (side, alone) = if ok {
                ("Response", success_count <= 1)
            } else {
                ("Error", error_count <= 1)
            };
            let hint = if alone {
                format!("{type_base}{side}")
            } else {
                format!("{type_base}{}{side}", status_variant(status))
            };
            if ok {
                for (media, m) in content.into_iter().flatten() {
                    if !offered.iter().any(|(o, ..)| o == media) {
                        offered.push((media, response_decode(media, m), m.schema.as_ref()));
                    }
                }
            }
            let picked = match prefer.zip(content).and_then(|(p, c)| c.get_key_value(p)) {
                Some((media, m)) if ok => Some((media.as_str(), m)),
                _ => pick_media(content.into_iter().flatten()),
            };
            let (decode, ty) = match picked {
                None => (Decode::Empty, Type::Unit),
                Some((media, m)) => {
                    let seen = if ok { &mut accept } else { &mut error_accept };
                    if !seen.iter().any(|s| s == media) {
                        seen.push(media.to_string());
                    }
                    let decode = match response_decode(media, m) {
                        // An error is read whole: an event stream there is text.
                        Decode::Events if !ok => Decode::Text,
                        other => other,
                    };
                    if ok {
                        chosen.push((decode, m.schema.as_ref()));
                    }
                    let ty = match (decode, &m.schema) {
                        (Decode::Json | Decode::Events, Some(s)) => self.schema_type(
                            sref(s),
                            &hint,
                            &join(&join(&join(&at, "content"), media), "schema"),
                        ),
                        (Decode::Json, None) => Type::Json,
                        (Decode::Text | Decode::Events, _) => Type::String,
                        (Decode::Bytes, _) => Type::Bytes,
                        (Decode::Empty, _) => Type::Unit,
                    };
                    (decode, ty)
                }
            };
            let case = ResponseCase {
                status,
                decode,
                ty,
                variant: status_variant(status),
            };
            if status == StatusMatch::Default && !has_success {
                // A lone `default` describes every outcome: 2xx is success, the rest errors.
                success.push(ResponseCase {
                    status: StatusMatch::Range(2),
                    ..case.clone()
                });
                if !only_success {
                    error.push(case);
                }
            } else if ok {
                success.push(case);
            } else {
                error.push(case);
            }
        }
        follow_redirects_to_content(&mut success);
        streams_only_alone(&mut success);
        let alternatives = if prefer.is_none() {
            alternatives(&offered, &accept, &chosen)
        } else {
            Vec::new()
        };
        let success = self.outcome(success, &format!("{type_base}Response"));
        let error = self.outcome(error, &format!("{type_base}Error"));
        for media in error_accept {
            if !accept.contains(&media) {
                accept.push(media);
            }
        }
        let accept = (!accept.is_empty()).then(|| accept.join(", "));
        Responses {
            success,
            error,
            accept,
            alternatives,
        }
    }

    /// One side of an operation's responses: a single type, or an enum named `enum_hint` when
    /// the cases' types differ.
    fn outcome(&mut self, cases: Vec<ResponseCase>, enum_hint: &str) -> Outcome {
        let first = cases.first().map(|c| c.ty.clone()).unwrap_or(Type::Unit);
        if cases.iter().all(|c| c.ty == first) {
            return Outcome {
                ty: first,
                enum_name: None,
                cases,
            };
        }
        let name = self.type_scope.claim(&naming::type_name(enum_hint));
        let mut scope = Scope::default();
        let cases = cases
            .into_iter()
            .map(|c| ResponseCase {
                variant: scope.claim(&c.variant),
                ..c
            })
            .collect();
        Outcome {
            ty: Type::Named(name.clone()),
            enum_name: Some(name),
            cases,
        }
    }
}

/// An operation whose only successes are redirects without a body (an archive or asset
/// download: `302` with `Location`) answers, once the client has followed the redirect,
/// with the content itself: its success becomes the bytes of a `2XX`, and of the redirect
/// (whose body is usually empty) when one is not followed (too many hops, another origin for
/// an unsafe method).
fn follow_redirects_to_content(success: &mut Vec<ResponseCase>) {
    let is_2xx = |c: &ResponseCase| match c.status {
        StatusMatch::Code(code) => (200..300).contains(&code),
        StatusMatch::Range(class) => class == 2,
        StatusMatch::Default => false,
    };
    let is_redirect = |c: &ResponseCase| {
        matches!(c.status, StatusMatch::Code(301 | 302 | 303 | 307 | 308))
            && c.decode == Decode::Empty
    };
    if success.iter().any(is_2xx) || !success.iter().any(is_redirect) {
        return;
    }
    for case in success.iter_mut().filter(|c| is_redirect(c)) {
        case.decode = Decode::Bytes;
        case.ty = Type::Bytes;
    }
    success.push(ResponseCase {
        status: StatusMatch::Range(2),
        decode: Decode::Bytes,
        ty: Type::Bytes,
        variant: status_variant(StatusMatch::Range(2)),
    });
}

/// How a response in `media` is read: `text/event-stream` as events; JSON (and form, which
/// servers do not send back) decoded; a vendor type with a structured schema
/// (`application/vnd.github.object`) decoded as JSON too; other text, and a string schema
/// (`application/vnd.github.diff`), as text; the rest as bytes.
fn response_decode(media: &str, m: &MediaType) -> Decode {
    let essence = media
        .split(';')
        .next()
        .unwrap_or(media)
        .trim()
        .to_ascii_lowercase();
    if essence == "text/event-stream" {
        return Decode::Events;
    }
    match body_encoding(media) {
        BodyEncoding::Json | BodyEncoding::Form | BodyEncoding::Multipart => Decode::Json,
        BodyEncoding::Text => Decode::Text,
        BodyEncoding::Binary => match m.schema.as_ref().map(schema_shape) {
            Some(Shape::Structured) if essence.contains("/vnd.") && !essence.ends_with("xml") => {
                Decode::Json
            }
            Some(Shape::Text) => Decode::Text,
            _ => Decode::Bytes,
        },
    }
}

/// What a media type's schema says about the body's shape.
enum Shape {
    /// `type: string` without `format: binary`.
    Text,
    /// `type: string, format: binary` (or `byte`).
    Binary,
    /// Anything else: an object, an array, a reference.
    Structured,
}

fn schema_shape(schema: &ReferenceOr<openapiv3::Schema>) -> Shape {
    use openapiv3::{SchemaKind, StringFormat, Type as T, VariantOrUnknownOrEmpty as V};
    match schema {
        ReferenceOr::Item(s) => match &s.schema_kind {
            SchemaKind::Type(T::String(string)) => match &string.format {
                V::Item(StringFormat::Binary | StringFormat::Byte) => Shape::Binary,
                _ => Shape::Text,
            },
            _ => Shape::Structured,
        },
        ReferenceOr::Reference { .. } => Shape::Structured,
    }
}

/// The success media types that get a method of their own (`{op}_as_{media}`), in spec
/// order: a vendor type always (`application/vnd.github.diff`: the spec names it to be
/// chosen), another only if it is read differently from the default and from those before
/// (the ASP.NET triple `application/json`, `text/json`, `text/plain` of one schema is one
/// representation; JSON sent as `text/plain` stays reachable as `.accept(..).text()`).
fn alternatives(
    offered: &[(&str, Decode, Option<&ReferenceOr<openapiv3::Schema>>)],
    chosen_media: &[String],
    chosen: &[(Decode, Option<&ReferenceOr<openapiv3::Schema>>)],
) -> Vec<String> {
    let mut seen = chosen.to_vec();
    let mut out = Vec::new();
    for &(media, decode, schema) in offered {
        let vendor = media.to_ascii_lowercase().contains("/vnd.");
        let json_as_text =
            decode == Decode::Text && !matches!(schema.map(schema_shape), None | Some(Shape::Text));
        if chosen_media.iter().any(|c| c == media) || json_as_text {
            continue;
        }
        if vendor || !seen.contains(&(decode, schema)) {
            seen.push((decode, schema));
            out.push(media.to_string());
        }
    }
    out
}

/// Events are streamed only when every success is an event stream of one event type (the
/// transport hands a success over unread for the whole call); otherwise an event stream is
/// read as text.
fn streams_only_alone(success: &mut [ResponseCase]) {
    let events: Vec<&ResponseCase> = success
        .iter()
        .filter(|c| c.decode == Decode::Events)
        .collect();
    let alone = events.len() == success.len() && events.iter().all(|c| c.ty == events[0].ty);
    if !events.is_empty() && !alone {
        for case in success.iter_mut().filter(|c| c.decode == Decode::Events) {
            case.decode = Decode::Text;
            case.ty = Type::String;
        }
    }
}

/// Whether a status is a success (1xx–3xx).
fn is_success(status: StatusMatch) -> bool {
    match status {
        StatusMatch::Code(c) => c < 400,
        StatusMatch::Range(r) => r < 4,
        StatusMatch::Default => false,
    }
}

/// The variant name of a status in an enum over statuses, e.g. `NotFound`, `Status4xx`.
fn status_variant(status: StatusMatch) -> String {
    match status {
        StatusMatch::Code(c) => match c {
            200 => "Ok".into(),
            201 => "Created".into(),
            202 => "Accepted".into(),
            203 => "NonAuthoritativeInformation".into(),
            204 => "NoContent".into(),
            206 => "PartialContent".into(),
            301 => "MovedPermanently".into(),
            302 => "Found".into(),
            303 => "SeeOther".into(),
            304 => "NotModified".into(),
            400 => "BadRequest".into(),
            401 => "Unauthorized".into(),
            403 => "Forbidden".into(),
            404 => "NotFound".into(),
            409 => "Conflict".into(),
            410 => "Gone".into(),
            422 => "UnprocessableEntity".into(),
            429 => "TooManyRequests".into(),
            500 => "InternalServerError".into(),
            502 => "BadGateway".into(),
            503 => "ServiceUnavailable".into(),
            other => format!("Status{other}"),
        },
        StatusMatch::Range(r) => format!("Status{r}xx"),
        StatusMatch::Default => "Default".into(),
    }
}
