//! Responses: the success and error outcomes of an operation, one case per status, and an
//! enum over the statuses when their bodies differ.

use openapiv3::{ReferenceOr, StatusCode};

use super::bodies::{body_encoding, pick_media};
use super::view::sref;
use super::Lower;
use crate::error::join;
use crate::ir::*;
use crate::naming::{self, Scope};

impl<'a> Lower<'a> {
    /// The success and error outcomes of an operation, and its `Accept` header value.
    pub(super) fn responses(
        &mut self,
        op: &'a openapiv3::Operation,
        type_base: &str,
        pointer: &str,
    ) -> (Outcome, Outcome, Option<String>) {
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
        let mut success = Vec::new();
        let mut error = Vec::new();
        for (status, r, at) in entries {
            let (response, at) = match self.resolver.response(r, &at) {
                Ok(found) => found,
                Err(d) => {
                    self.errors.push(d);
                    continue;
                }
            };
            for media in response.content.keys() {
                if !accept.contains(media) {
                    accept.push(media.clone());
                }
            }
            let ok = is_success(status) || (status == StatusMatch::Default && !has_success);
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
            let (decode, ty) = match pick_media(response.content.iter()) {
                None => (Decode::Empty, Type::Unit),
                Some((media, m)) => match body_encoding(media) {
                    BodyEncoding::Json | BodyEncoding::Form | BodyEncoding::Multipart => {
                        let ty = match &m.schema {
                            Some(s) => self.schema_type(
                                sref(s),
                                &hint,
                                &join(&join(&join(&at, "content"), media), "schema"),
                            ),
                            None => Type::Json,
                        };
                        (Decode::Json, ty)
                    }
                    BodyEncoding::Text => (Decode::Text, Type::String),
                    BodyEncoding::Binary => (Decode::Bytes, Type::Bytes),
                },
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
                error.push(case);
            } else if ok {
                success.push(case);
            } else {
                error.push(case);
            }
        }
        follow_redirects_to_content(&mut success);
        let success = self.outcome(success, &format!("{type_base}Response"));
        let error = self.outcome(error, &format!("{type_base}Error"));
        let accept = (!accept.is_empty()).then(|| accept.join(", "));
        (success, error, accept)
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
