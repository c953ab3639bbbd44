//! The one place that decides Rust names.
//!
//! Policy, applied everywhere:
//! - types and enum variants are `UpperCamelCase`, fields, parameters and functions are
//!   `snake_case` (via `heck`);
//! - characters that cannot appear in an identifier are word separators; `+`, `-` and `.` at the
//!   start of an enum value are spelled out (`+1` → `Plus1`), an empty value is `Empty`;
//! - an identifier that would start with a digit gets a prefix (`_` for snake case, `N` for
//!   camel case);
//! - keywords become raw identifiers (`r#type`); the few that cannot be raw (`self`, `Self`,
//!   `super`, `crate`, `_`) get a trailing underscore;
//! - collisions inside one scope are resolved by [`Scope::claim`] in the order names are
//!   claimed, which the lowering stage keeps sorted, so the result is deterministic.

use std::collections::BTreeSet;

use heck::{ToShoutySnakeCase, ToSnakeCase, ToUpperCamelCase};

/// Rust keywords (strict and reserved, all editions we target).
const KEYWORDS: &[&str] = &[
    "abstract", "as", "async", "await", "become", "box", "break", "const", "continue", "crate",
    "do", "dyn", "else", "enum", "extern", "false", "final", "fn", "for", "gen", "if", "impl",
    "in", "let", "loop", "macro", "match", "mod", "move", "mut", "override", "priv", "pub", "ref",
    "return", "self", "Self", "static", "struct", "super", "trait", "true", "try", "type",
    "typeof", "union", "unsafe", "unsized", "use", "virtual", "where", "while", "yield",
];

/// Keywords that cannot be written as raw identifiers.
const NOT_RAW: &[&str] = &["self", "Self", "super", "crate", "_"];

/// True when `s` is a Rust keyword.
pub fn is_keyword(s: &str) -> bool {
    KEYWORDS.contains(&s)
}

/// Splits `raw` into words, treating anything that is not alphanumeric as a separator, and
/// spelling out a leading sign so that `+1` and `-1` stay distinct.
fn words(raw: &str) -> String {
    let mut out = String::with_capacity(raw.len() + 8);
    let mut chars = raw.chars().peekable();
    match chars.peek() {
        Some('+') => {
            out.push_str("plus ");
            chars.next();
        }
        Some('-') => {
            out.push_str("minus ");
            chars.next();
        }
        Some('.') => {
            out.push_str("dot ");
            chars.next();
        }
        _ => {}
    }
    for c in chars {
        if c.is_ascii_alphanumeric() {
            out.push(c);
        } else if c.is_alphanumeric() {
            // Non-ASCII letters are valid in identifiers but make names hard to type and are
            // linted by `non_ascii_idents`; spell them as their code point.
            out.push_str(&format!(" u{:x} ", c as u32));
        } else {
            out.push(' ');
        }
    }
    out
}

/// Makes a finished identifier out of a cased candidate: prefix for a leading digit, a
/// fallback for an empty name, raw or underscored keywords.
fn finish(mut name: String, digit_prefix: &str, empty: &str) -> String {
    if name.is_empty() {
        name = empty.to_string();
    }
    if name.starts_with(|c: char| c.is_ascii_digit()) {
        name.insert_str(0, digit_prefix);
    }
    if NOT_RAW.contains(&name.as_str()) {
        name.push('_');
    } else if is_keyword(&name) {
        name.insert_str(0, "r#");
    }
    name
}

/// The Rust type name for a schema, operation or inline type (`UpperCamelCase`).
pub fn type_name(raw: &str) -> String {
    finish(words(raw).to_upper_camel_case(), "N", "Unnamed")
}

/// The Rust enum variant name for a string value (`UpperCamelCase`, `""` → `Empty`).
pub fn variant_name(raw: &str) -> String {
    finish(words(raw).to_upper_camel_case(), "V", "Empty")
}

/// The Rust field, parameter or function name (`snake_case`).
pub fn snake_name(raw: &str) -> String {
    finish(words(raw).to_snake_case(), "_", "field")
}

/// The name of an associated constant (`SCREAMING_SNAKE_CASE`), e.g. the `AuthScheme` of a
/// further API key on `Client`.
pub fn const_name(raw: &str) -> String {
    finish(words(raw).to_shouty_snake_case(), "N", "KEY")
}

/// The methods every call has (the generated `Call`'s own and the runtime's): an optional
/// parameter's setter cannot take one of these names.
pub const CALL_METHODS: &[&str] = &[
    "accept",
    "bytes",
    "content_type",
    "header",
    "into_future",
    "items",
    "pages",
    "request_mut",
    "retry",
    "send",
    "stream",
    "text",
    "timeout",
];

/// The setter of an optional parameter whose name is `name`: the name itself, unless a
/// call's own method has it (a `timeout` query parameter is set with `timeout_param`).
pub fn setter_candidate(name: &str) -> String {
    if CALL_METHODS.contains(&unraw(name)) {
        format!("{}_param", unraw(name))
    } else {
        name.to_string()
    }
}

/// The generated `Call` type, in the module of each API's call options (`calls`): no
/// operation's options type may take its name.
pub const CALL: &str = "Call";

/// The name under which the types module re-exports the runtime's `FilePart` (the type of
/// `format: binary` strings); a schema of that name gets another.
pub const FILE_PART: &str = "FilePart";

/// The name a media type gives the method asking for it or sending it (after `_as_` or
/// `_with_`): the subtype without `vnd.` and a structured suffix (`application/vnd.github.diff`
/// → `github_diff`, `application/sarif+json` → `sarif`), prefixed by the type when that is
/// not `application` (`text/plain` → `text_plain`); `text/event-stream` is `events`, a form
/// `form` and `multipart/form-data` `multipart`.
pub fn media_suffix(media: &str) -> String {
    let media = media.split(';').next().unwrap_or(media).trim();
    let (kind, subtype) = media.split_once('/').unwrap_or(("", media));
    let essence = media.to_ascii_lowercase();
    match essence.as_str() {
        "text/event-stream" => return "events".to_string(),
        "application/x-www-form-urlencoded" => return "form".to_string(),
        "multipart/form-data" => return "multipart".to_string(),
        _ => {}
    }
    let subtype = subtype.strip_prefix("vnd.").unwrap_or(subtype);
    let subtype = match subtype.rsplit_once('+') {
        Some((main, _)) if !main.is_empty() => main,
        _ => subtype,
    };
    let raw = if kind.eq_ignore_ascii_case("application") {
        subtype.to_string()
    } else {
        format!("{kind} {subtype}")
    };
    unraw(&snake_name(&raw)).to_string()
}

/// The identifier without a raw prefix, for building derived names.
pub fn unraw(ident: &str) -> &str {
    ident.strip_prefix("r#").unwrap_or(ident)
}

/// A type name made of alternatives, e.g. `StringOrInteger` from `["String", "Integer"]`, for
/// a shape shared by unrelated types. `None` unless there are two or three parts and the name
/// stays short enough to read (40 characters).
pub fn alternatives(parts: &[&str]) -> Option<String> {
    if !(2..=3).contains(&parts.len()) {
        return None;
    }
    let joined = parts
        .iter()
        .map(|p| unraw(p))
        .collect::<Vec<_>>()
        .join(" or ");
    let name = type_name(&joined);
    (name.len() <= 40).then_some(name)
}

/// What a derived type name is for: its last word (`IssuesCreateBodyState` → `State`), with
/// the word before when the last only says where it sits (`SelectedRepositoryIdsItem` →
/// `IdsItem`), without a number that only tells it from a namesake.
pub fn role(name: &str) -> &str {
    // The number `Scope::claim` appends to a taken name is not part of the role.
    let name = unraw(name).trim_end_matches(|c: char| c.is_ascii_digit() || c == '_');
    let starts: Vec<usize> = name
        .char_indices()
        .filter(|&(i, c)| i > 0 && c.is_ascii_uppercase())
        .map(|(i, _)| i)
        .collect();
    let Some(&last) = starts.last() else {
        return name;
    };
    if matches!(&name[last..], "Item" | "Value") && starts.len() > 1 {
        return &name[starts[starts.len() - 2]..];
    }
    &name[last..]
}

/// A namespace in which every claimed name is unique.
#[derive(Debug, Default, Clone)]
pub struct Scope {
    taken: BTreeSet<String>,
}

impl Scope {
    /// A scope in which `reserved` names are already taken.
    pub fn with_reserved(reserved: &[&str]) -> Self {
        Scope {
            taken: reserved.iter().map(|s| s.to_string()).collect(),
        }
    }

    /// Claims `candidate`, or `candidate2`, `candidate3`, ... if it is taken. The comparison
    /// ignores case and underscores, so `FooBar` and `Foobar` or `a_b` and `ab` never coexist
    /// (they would confuse readers and, for files, case-insensitive file systems).
    pub fn claim(&mut self, candidate: &str) -> String {
        let base = unraw(candidate);
        let mut n = 1usize;
        loop {
            let name = if n == 1 {
                candidate.to_string()
            } else if base.ends_with(|c: char| c.is_ascii_digit()) {
                format!("{base}_{n}")
            } else {
                format!("{base}{n}")
            };
            let key = fold(unraw(&name));
            if !self.taken.contains(&key) {
                self.taken.insert(key);
                return name;
            }
            n += 1;
        }
    }
}

#[cfg(test)]
mod media_tests {
    use super::media_suffix;

    #[test]
    fn media_suffixes() {
        assert_eq!(media_suffix("application/vnd.github.diff"), "github_diff");
        assert_eq!(
            media_suffix("application/vnd.github.v3.star+json"),
            "github_v3_star"
        );
        assert_eq!(media_suffix("application/sarif+json"), "sarif");
        assert_eq!(media_suffix("text/plain; charset=utf-8"), "text_plain");
        assert_eq!(media_suffix("text/event-stream"), "events");
        assert_eq!(media_suffix("application/octet-stream"), "octet_stream");
        assert_eq!(media_suffix("multipart/form-data"), "multipart");
        assert_eq!(media_suffix("application/x-www-form-urlencoded"), "form");
    }
}

/// A name folded for comparison: lower case, without `_` or `-` (`nextPageToken`,
/// `next_page_token` and `next-page-token` are one name).
pub fn fold(s: &str) -> String {
    s.chars()
        .filter(|c| *c != '_' && *c != '-')
        .map(|c| c.to_ascii_lowercase())
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn type_names() {
        let cases = [
            ("DistributionView", "DistributionView"),
            ("distribution_view", "DistributionView"),
            ("FlattenedShare [DAG SAFE]", "FlattenedShareDagSafe"),
            ("2fa-settings", "N2faSettings"),
            ("self", "Self_"),
            ("Self", "Self_"),
            ("", "Unnamed"),
            ("a.b.c", "ABC"),
            ("Café", "CafU" /* é spelled as code point */),
        ];
        for (raw, want) in cases {
            let got = type_name(raw);
            if raw == "Café" {
                assert!(got.starts_with("Caf"), "{raw} -> {got}");
                assert!(got.chars().all(|c| c.is_ascii_alphanumeric()), "{got}");
            } else {
                assert_eq!(got, want, "type_name({raw:?})");
            }
        }
    }

    #[test]
    fn snake_names() {
        let cases = [
            ("html_url", "html_url"),
            ("messageId", "message_id"),
            ("type", "r#type"),
            ("self", "self_"),
            ("crate", "crate_"),
            ("super", "super_"),
            ("match", "r#match"),
            ("async", "r#async"),
            ("1st", "_1st"),
            ("X-Rate-Limit", "x_rate_limit"),
            ("@id", "id"),
            ("$", "field"),
            (
                "distributions-create-new-distribution",
                "distributions_create_new_distribution",
            ),
        ];
        for (raw, want) in cases {
            assert_eq!(snake_name(raw), want, "snake_name({raw:?})");
        }
    }

    #[test]
    fn every_keyword_is_escaped() {
        for kw in KEYWORDS {
            let s = snake_name(kw);
            assert!(
                s.starts_with("r#") || s.ends_with('_'),
                "{kw} became {s}, which is not escaped"
            );
            // The result must parse as an identifier.
            assert!(
                syn::parse_str::<syn::Ident>(&s).is_ok(),
                "{s} is not an ident"
            );
        }
    }

    #[test]
    fn variant_names() {
        let cases = [
            ("WORKSPACE", "Workspace"),
            ("PROXY_NO_CACHE", "ProxyNoCache"),
            ("+1", "Plus1"),
            ("-1", "Minus1"),
            ("1", "V1"),
            ("", "Empty"),
            ("a-b", "AB"),
            ("application/json", "ApplicationJson"),
        ];
        for (raw, want) in cases {
            assert_eq!(variant_name(raw), want, "variant_name({raw:?})");
        }
    }

    #[test]
    fn collisions_are_numbered_deterministically() {
        let mut scope = Scope::default();
        assert_eq!(scope.claim("AB"), "AB");
        assert_eq!(scope.claim("AB"), "AB2");
        assert_eq!(scope.claim("Ab"), "Ab3");
        assert_eq!(scope.claim("V1"), "V1");
        assert_eq!(scope.claim("V1"), "V1_2");
        let mut fields = Scope::with_reserved(&["body"]);
        assert_eq!(fields.claim("body"), "body2");
        assert_eq!(fields.claim("r#type"), "r#type");
        assert_eq!(fields.claim("r#type"), "type2");
    }

    #[test]
    fn shared_shapes_are_named_from_their_content() {
        assert_eq!(
            alternatives(&["String", "Integer"]).as_deref(),
            Some("StringOrInteger")
        );
        assert_eq!(
            alternatives(&["Read", "Write", "Admin"]).as_deref(),
            Some("ReadOrWriteOrAdmin")
        );
        assert_eq!(alternatives(&["Only"]), None);
        assert_eq!(alternatives(&["A", "B", "C", "D"]), None);
        assert_eq!(role("IssuesCreateBodyState"), "State");
        assert_eq!(role("SelectedRepositoryIdsItem"), "IdsItem");
        assert_eq!(role("DiskFilesystem2"), "Filesystem");
        assert_eq!(role("Plain"), "Plain");
    }
}
