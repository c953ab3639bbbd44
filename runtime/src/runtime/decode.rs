//! Decoding JSON bodies into generated types in one pass.
//!
//! A [`Decoder`] reads the body with the runtime's lexer (see `lexer.rs`) and each type
//! takes what it needs from it: no intermediate `serde_json::Value` for declared fields, and the path of
//! the value being read is kept as data (a stack of static field names, map keys and array
//! indices) and rendered only when something is reported. Drift from the spec (see
//! [`DriftKind`](super::DriftKind)) is recorded at that path or, in strict mode, is the error.
//!
//! Generated structs implement [`Decode`] by handing their field slots to
//! [`Decoder::fields`], behind `dyn` ([`Slot`]): the loop over the object's keys is compiled
//! once, and the generated code is a few lines per field, which is what big APIs need for
//! compile time. The generated `decode` functions are `#[inline]`, so a crate compiles only
//! the ones its calls use. Unions go through [`Union`] and [`Tagged`], which
//! re-read the union's own bytes for each variant they try.

use std::collections::BTreeMap;
use std::fmt;

use super::drift::{DecodeMode, Drift, DriftKind};
use super::error::PatternError;
use super::lexer::{same_bytes, Kind, LexError, Lexer, Span};
use super::path::{DecodePath, Step, Steps};

/// Objects and arrays nested deeper than this are refused (serde_json's limit too), so that
/// hostile input cannot exhaust the stack.
pub const MAX_DEPTH: u32 = 128;

/// Fallbacks nested deeper than this are refused: only a type that requires a value of its
/// own type (which no finite JSON can satisfy) gets there.
const MAX_FALLBACK_DEPTH: u32 = 16;

/// A type that can be decoded from JSON by a [`Decoder`]. Generated types implement it; so do
/// the standard types they are made of.
pub trait Decode: Sized {
    /// The JSON its fallback is decoded from (with the fallbacks of its own parts) when a
    /// required value is missing or `null` (see [`DriftKind`](super::DriftKind)).
    const FALLBACK: &'static str;
    /// True when `null` is one of its values (`Option`, `serde_json::Value`).
    const NULLABLE: bool = false;
    /// Reads one value.
    fn decode(d: &mut Decoder<'_>) -> Result<Self, DecodeError>;
}

/// A decoded value and the drift tolerated while decoding it.
#[derive(Debug, Clone, PartialEq)]
pub struct Decoded<T> {
    /// The value.
    pub value: T,
    /// Every tolerated deviation from the spec, in the order met (a missing property when
    /// its object ends); empty in the normal case.
    pub drift: Vec<Drift>,
}

/// Decodes a whole JSON document (nothing but whitespace may follow the value).
///
/// JSON is UTF-8 (RFC 8259): the body is checked once, here, so strings are not checked
/// one by one.
pub fn from_slice<T: Decode>(json: &[u8], mode: DecodeMode) -> Result<Decoded<T>, DecodeError> {
    let text = match std::str::from_utf8(json) {
        Ok(text) => text,
        Err(e) => {
            let d = Decoder::new("", mode);
            let (line, column) = super::lexer::line_column(json, e.valid_up_to());
            return Err(d.fail(format!(
                "invalid JSON: not valid UTF-8 at line {line} column {column}"
            )));
        }
    };
    let mut d = Decoder::new(text, mode);
    let value = d.value::<T>()?;
    if let Err(e) = d.json.finish() {
        return Err(d.syntax(e));
    }
    Ok(Decoded {
        value,
        drift: d.drift,
    })
}

/// A generated type as `serde::Deserialize`, for JSON from elsewhere than the client
/// (request bodies built from JSON, stored JSON, webhooks): `serde_json::from_str::<Json<T>>`,
/// or a field of type `Json<T>` in a type of your own. The value is read with the
/// deserializer, then decoded in [`DecodeMode::Strict`]: a value that does not match the spec
/// (a pattern-checked string outside its pattern included) is an error, as serde users
/// expect. (Generated types do not implement `Deserialize` themselves: for big APIs the
/// thousands of impls cost more to compile than they are worth.) For tolerant decoding with
/// the drift returned, use [`from_slice`].
#[derive(Debug, Clone, PartialEq)]
pub struct Json<T>(pub T);

impl<T> Json<T> {
    /// The value.
    pub fn into_inner(self) -> T {
        self.0
    }
}

impl<'de, T: Decode> serde::Deserialize<'de> for Json<T> {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        use serde::de::Error as _;
        let value = <serde_json::Value as serde::Deserialize>::deserialize(deserializer)?;
        let json = serde_json::to_vec(&value).map_err(D::Error::custom)?;
        from_slice::<T>(&json, DecodeMode::Strict)
            .map(|decoded| Json(decoded.value))
            .map_err(D::Error::custom)
    }
}

/// Why a body could not be decoded, and where.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DecodeError(Box<(DecodePath, String)>);

impl DecodeError {
    fn new(path: DecodePath, message: String) -> Self {
        DecodeError(Box::new((path, message)))
    }

    /// Where decoding failed: `routes[0].targets.Default`, or `.` for the whole body.
    pub fn path(&self) -> &DecodePath {
        &self.0 .0
    }

    /// What was wrong there.
    pub fn message(&self) -> &str {
        &self.0 .1
    }

    /// The path and the message.
    pub fn into_parts(self) -> (DecodePath, String) {
        let (path, message) = *self.0;
        (path, message)
    }
}

impl fmt::Display for DecodeError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "at `{}`: {}", self.path(), self.message())
    }
}

impl std::error::Error for DecodeError {}

/// Reads one JSON body; generated [`Decode`] impls take their values from it.
pub struct Decoder<'a> {
    json: Lexer<'a>,
    /// What `json` reads: the body, a part of it (a union being tried) or a fallback.
    data: &'a str,
    /// The whole body and where `data` starts in it, for error positions.
    body: &'a str,
    offset: usize,
    path: Steps,
    drift: Vec<Drift>,
    mode: DecodeMode,
    /// How many fallbacks are being decoded (their own drift is not reported).
    quiet: u32,
    depth: u32,
    /// The property the next object skips: the tag of the tagged union being read.
    tag: Option<&'static str>,
}

impl fmt::Debug for Decoder<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Decoder")
            .field("path", &self.here().to_string())
            .field("mode", &self.mode)
            .field("drift", &self.drift.len())
            .finish_non_exhaustive()
    }
}

impl<'a> Decoder<'a> {
    fn new(body: &'a str, mode: DecodeMode) -> Self {
        Decoder {
            json: Lexer::new(body.as_bytes()),
            data: body,
            body,
            offset: 0,
            path: Steps::new(),
            drift: Vec::new(),
            mode,
            quiet: 0,
            depth: 0,
            tag: None,
        }
    }

    /// The current path, rendered.
    fn here(&self) -> DecodePath {
        self.path.render()
    }

    /// An error at the current path.
    pub fn fail(&self, message: impl Into<String>) -> DecodeError {
        DecodeError::new(self.here(), message.into())
    }

    /// An error of the lexer, at the current path: invalid JSON (with its line and column
    /// in the body) or a value of the wrong type.
    fn syntax(&self, e: LexError) -> DecodeError {
        match e {
            LexError::Invalid { what, index } => self.invalid(&what, index),
            LexError::TooDeep => self.fail(format!("nested more than {MAX_DEPTH} levels deep")),
        }
    }

    /// Invalid JSON at `index` of `data`: the message gives its line and column in the body.
    fn invalid(&self, what: &dyn fmt::Display, index: usize) -> DecodeError {
        if self.quiet > 0 {
            return self.fail(format!("invalid JSON: {what}"));
        }
        let (line, column) = super::lexer::line_column(self.body.as_bytes(), self.offset + index);
        self.fail(format!(
            "invalid JSON: {what} at line {line} column {column}"
        ))
    }

    fn wrong_type(&self, expected: &str, found: Kind) -> DecodeError {
        let found = match found {
            Kind::Null => "null",
            Kind::True | Kind::False => "a boolean",
            Kind::String => "a string",
            Kind::Array => "an array",
            Kind::Object => "an object",
            Kind::Number => "a number",
        };
        self.fail(format!("invalid type: {found}, expected {expected}"))
    }

    /// Looks at the next value without reading it.
    fn peek(&mut self) -> Result<Kind, DecodeError> {
        self.json.peek().map_err(|e| self.syntax(e))
    }

    /// Records a tolerated deviation at the current path, or in strict mode returns it as
    /// the error.
    pub fn drift(&mut self, kind: DriftKind) -> Result<(), DecodeError> {
        if self.quiet > 0 {
            return Ok(());
        }
        match self.mode {
            DecodeMode::Strict => Err(self.fail(kind.to_string())),
            DecodeMode::Tolerant => {
                let path = self.here();
                self.drift.push(Drift { path, kind });
                Ok(())
            }
        }
    }

    /// A value where the spec requires one: `null`, unless the type allows it, is drift and
    /// gives the fallback.
    pub fn value<T: Decode>(&mut self) -> Result<T, DecodeError> {
        if !T::NULLABLE && self.peek()? == Kind::Null {
            self.json.literal(Kind::Null).map_err(|e| self.syntax(e))?;
            self.drift(DriftKind::Null)?;
            return self.fallback();
        }
        T::decode(self)
    }

    /// An optional value that is present: `null`, unless the type allows it, is drift and
    /// gives `None`.
    fn optional<T: Decode>(&mut self) -> Result<Option<T>, DecodeError> {
        if !T::NULLABLE && self.peek()? == Kind::Null {
            self.json.literal(Kind::Null).map_err(|e| self.syntax(e))?;
            self.drift(DriftKind::Null)?;
            return Ok(None);
        }
        T::decode(self).map(Some)
    }

    /// The fallback of `T`: its [`Decode::FALLBACK`] decoded, with no drift reported.
    pub fn fallback<T: Decode>(&mut self) -> Result<T, DecodeError> {
        if self.quiet >= MAX_FALLBACK_DEPTH {
            return Err(self.fail("missing, and its type has no fallback: it contains itself"));
        }
        let fallback: &'static str = T::FALLBACK;
        let json = std::mem::replace(&mut self.json, Lexer::new(fallback.as_bytes()));
        let data = std::mem::replace(&mut self.data, fallback);
        let tag = self.tag.take();
        self.quiet += 1;
        let result = T::decode(self);
        self.quiet -= 1;
        self.json = json;
        self.data = data;
        self.tag = tag;
        result
    }

    /// Reads `data[start..end]` (one value already skipped over) with `f`, as if it were
    /// the next value, with `tag` as the property its object skips. The state `f` leaves
    /// (path, depth) is put back, so a failed union variant leaves no trace.
    fn within<T>(
        &mut self,
        start: usize,
        end: usize,
        tag: Option<&'static str>,
        f: impl FnOnce(&mut Self) -> Result<T, DecodeError>,
    ) -> Result<T, DecodeError> {
        // A union reads its value again, as each variant: a level of nesting like any other,
        // so that unions made of themselves (a tag naming its own union) end at the limit
        // instead of the stack's end.
        if self.depth >= MAX_DEPTH {
            return Err(self.fail(format!(
                "nested more than {MAX_DEPTH} levels deep (counting unions within unions)"
            )));
        }
        let data: &'a str = self.data;
        // The span of a value: its ends are next to ASCII bytes, so always in the text.
        let part = data.get(start..end).unwrap_or_default();
        let json = std::mem::replace(&mut self.json, Lexer::new(part.as_bytes()));
        let saved = (self.offset, self.path.len(), self.depth, self.tag);
        self.data = part;
        self.offset += start;
        self.tag = tag;
        self.depth += 1;
        let result = f(self);
        self.json = json;
        self.data = data;
        self.path.truncate(saved.1);
        (self.offset, self.depth, self.tag) = (saved.0, saved.2, saved.3);
        result
    }

    /// Reads the next value whole and returns where it starts and ends in `data`.
    fn skip_span(&mut self) -> Result<(usize, usize), DecodeError> {
        self.peek()?;
        let start = self.json.index();
        self.json.skip().map_err(|e| self.syntax(e))?;
        Ok((start, self.json.index()))
    }

    fn enter(&mut self) -> Result<(), DecodeError> {
        if self.depth >= MAX_DEPTH {
            return Err(self.fail(format!("nested more than {MAX_DEPTH} levels deep")));
        }
        self.depth += 1;
        Ok(())
    }

    /// Reads an object into a generated struct's field slots: `fields` are the JSON names
    /// of the struct's properties in the spec's order (which servers mostly keep: the search
    /// for each key starts after the last one found), `required` says which are required
    /// (bit `i % 64` of word `i / 64` for field `i`), `slots` their values in the same order,
    /// `rest` the map of `additionalProperties` (else a property not declared is drift),
    /// `tag` a property to skip (the tag of the tagged unions the struct is a variant of). A
    /// required property that is absent is drift and its slot gets the fallback; when this
    /// returns `Ok`, every required slot is filled.
    pub fn fields(
        &mut self,
        fields: &'static [&'static str],
        required: &'static [u64],
        tag: Option<&'static str>,
        slots: &mut [&mut dyn Slot],
        mut rest: Option<&mut dyn Rest>,
    ) -> Result<(), DecodeError> {
        let peek = self.peek()?;
        if peek != Kind::Object {
            return Err(self.wrong_type("an object", peek));
        }
        self.enter()?;
        let mut keys = Keys {
            fields,
            hint: 0,
            first: true,
            tag: self.tag.take().or(tag),
            pending: String::new(),
        };
        while let Some(index) = keys.next(self)? {
            match (slots.get_mut(index), &mut rest) {
                (Some(slot), _) => {
                    self.path
                        .push(Step::Field(fields.get(index).copied().unwrap_or_default()));
                    let result = slot.fill(self, is_required(required, index));
                    self.path.pop();
                    result?;
                }
                (None, Some(rest)) => {
                    // `insert` takes the key back off the path, into the map.
                    self.path.push(Step::Key(std::mem::take(&mut keys.pending)));
                    rest.insert(self)?;
                }
                (None, None) => {
                    self.path.push(Step::Key(std::mem::take(&mut keys.pending)));
                    let result = self
                        .drift(DriftKind::Unknown)
                        .and_then(|()| self.json.skip().map_err(|e| self.syntax(e)));
                    if let Some(key) = self.path.pop_key() {
                        keys.pending = key;
                    }
                    result?;
                }
            }
        }
        self.depth -= 1;
        for (index, (slot, name)) in slots.iter_mut().zip(fields).enumerate() {
            if is_required(required, index) && !slot.is_filled() {
                self.path.push(Step::Field(name));
                let result = self
                    .drift(DriftKind::Missing)
                    .and_then(|()| slot.fall_back(self));
                self.path.pop();
                result?;
            }
        }
        Ok(())
    }

    /// The error for a required slot left empty after [`Decoder::fields`] returned `Ok`,
    /// which does not happen; generated code needs an arm for it.
    pub fn unfilled(&self) -> DecodeError {
        self.fail("a required field was not decoded")
    }

    /// A string, passed to `f` without copying it when it has no escapes.
    pub fn str_with<T>(&mut self, f: impl FnOnce(&str) -> T) -> Result<T, DecodeError> {
        match self.raw_string()? {
            Text::Plain(text) => Ok(f(text)),
            Text::Escaped(text) => Ok(f(&text)),
        }
    }

    /// A string, owned.
    pub fn string(&mut self) -> Result<String, DecodeError> {
        match self.raw_string()? {
            Text::Plain(text) => Ok(text.to_string()),
            Text::Escaped(text) => Ok(text),
        }
    }

    /// The next value, which must be a string: its text as written when it has no escapes,
    /// else decoded.
    fn raw_string(&mut self) -> Result<Text<'a>, DecodeError> {
        let peek = self.peek()?;
        if peek != Kind::String {
            return Err(self.wrong_type("a string", peek));
        }
        let span = self.json.string().map_err(|e| self.syntax(e))?;
        if span.escaped {
            return self.unescape(span).map(Text::Escaped);
        }
        Ok(Text::Plain(self.text(span)))
    }

    /// The text of a string as written (between its quotes).
    fn text(&self, span: Span) -> &'a str {
        let data: &'a str = self.data;
        // Next to its quotes: the ends are always in the text.
        data.get(span.start..span.end).unwrap_or_default()
    }

    /// A string with escapes, decoded.
    fn unescape(&self, span: Span) -> Result<String, DecodeError> {
        super::escape::unescape(self.text(span))
            .map_err(|at| self.invalid(&"a string with an invalid escape", span.start + at))
    }

    /// Whether the string `span` (a key) is `name`.
    fn key_is(&self, span: Span, name: &str) -> Result<bool, DecodeError> {
        if span.escaped {
            return Ok(self.unescape(span)? == name);
        }
        Ok(self.text(span) == name)
    }

    /// A string converted by `From<&str>` (the open enums: a value they do not know is kept
    /// in their catch-all variant).
    pub fn str_as<T: for<'s> From<&'s str>>(&mut self) -> Result<T, DecodeError> {
        self.str_with(|s| T::from(s))
    }

    /// A string that must match a pattern, already checked (`checked` is the result): a
    /// mismatch is drift and the string is kept as received.
    pub fn pattern<T>(
        &mut self,
        checked: Result<T, PatternError>,
        keep: impl FnOnce(String) -> T,
    ) -> Result<T, DecodeError> {
        match checked {
            Ok(value) => Ok(value),
            // In strict mode the error names the value and the type.
            Err(e) if self.mode == DecodeMode::Strict && self.quiet == 0 => {
                Err(self.fail(e.to_string()))
            }
            Err(e) => {
                self.drift(DriftKind::Pattern { pattern: e.pattern })?;
                Ok(keep(e.value))
            }
        }
    }

    /// Starts reading an untagged union named `name`: its bytes are read once here, then
    /// once per variant tried.
    pub fn union<S>(&mut self, name: &'static str) -> Result<Union<S>, DecodeError> {
        let (start, end) = self.skip_span()?;
        Ok(Union {
            name,
            start,
            end,
            tag: self.tag.take(),
            best: None,
            first_error: None,
        })
    }

    /// Starts reading a union tagged by the property `key`: finds the tag (which may come
    /// after other properties).
    pub fn tagged(&mut self, key: &'static str) -> Result<Tagged, DecodeError> {
        let peek = self.peek()?;
        if peek != Kind::Object {
            return Err(self.wrong_type("an object", peek));
        }
        let start = self.json.index();
        let mut tag = None;
        let mut next = self.json.object_first().map_err(|e| self.syntax(e))?;
        while let Some(span) = next {
            if self.key_is(span, key)? && self.peek()? == Kind::String {
                tag = Some(self.string()?);
            } else {
                self.json.skip().map_err(|e| self.syntax(e))?;
            }
            next = self.json.object_next().map_err(|e| self.syntax(e))?;
        }
        Ok(Tagged {
            key,
            start,
            end: self.json.index(),
            tag,
        })
    }
}

/// A string of the body: as written, or decoded when it has escapes.
enum Text<'a> {
    Plain(&'a str),
    Escaped(String),
}

/// Whether field `index` is required, by the bit set [`Decoder::fields`] takes.
fn is_required(required: &[u64], index: usize) -> bool {
    required
        .get(index / 64)
        .is_some_and(|word| word >> (index % 64) & 1 == 1)
}

/// The keys of the object [`Decoder::fields`] reads, matched to the struct's fields.
struct Keys {
    fields: &'static [&'static str],
    /// Where the search for the next key starts: properties usually come in the order the
    /// spec declares them, so most keys are found at the first comparison.
    hint: usize,
    first: bool,
    tag: Option<&'static str>,
    /// The last key that is not a declared field.
    pending: String,
}

impl Keys {
    /// The next property: its index in the field list, or the list's length for a property
    /// not declared (its key in `pending`). `None` at the end of the object.
    ///
    /// Keys are matched as written: a key equal to a field name has no escapes, so only the
    /// other keys are decoded.
    fn next(&mut self, d: &mut Decoder<'_>) -> Result<Option<usize>, DecodeError> {
        loop {
            let key = if std::mem::take(&mut self.first) {
                d.json.object_first()
            } else {
                d.json.object_next()
            };
            let span = match key {
                Ok(Some(span)) => span,
                Ok(None) => return Ok(None),
                Err(e) => return Err(d.syntax(e)),
            };
            let raw = d.text(span);
            if self.tag == Some(raw) {
                d.json.skip().map_err(|e| d.syntax(e))?;
                continue;
            }
            if let Some(index) = self.find(raw.as_bytes()) {
                return Ok(Some(index));
            }
            if !span.escaped {
                self.pending = raw.to_string();
                return Ok(Some(self.fields.len()));
            }
            // Not a field as written: resolve the key's escapes, then match it again.
            let key = d.unescape(span)?;
            if self.tag == Some(key.as_str()) {
                d.json.skip().map_err(|e| d.syntax(e))?;
                continue;
            }
            if let Some(index) = self.find(key.as_bytes()) {
                return Ok(Some(index));
            }
            self.pending = key;
            return Ok(Some(self.fields.len()));
        }
    }

    /// The index of the field named `key`, searching from the hint.
    fn find(&mut self, key: &[u8]) -> Option<usize> {
        let count = self.fields.len();
        let mut i = self.hint;
        for _ in 0..count {
            if same_bytes(self.fields[i].as_bytes(), key) {
                self.hint = if i + 1 == count { 0 } else { i + 1 };
                return Some(i);
            }
            i = if i + 1 == count { 0 } else { i + 1 };
        }
        None
    }
}

/// The value of one field of a generated struct while [`Decoder::fields`] reads it, behind
/// `dyn` so that the reading loop is compiled once, not once per struct. Implemented by
/// `Option<T>`: a required field of type `T`, or an optional field (of type `Option<T>`).
pub trait Slot {
    /// Reads the next value into the slot: `null` is drift unless the type allows it, and
    /// gives the fallback when `required`, else `None`.
    fn fill(&mut self, d: &mut Decoder<'_>, required: bool) -> Result<(), DecodeError>;
    /// Whether the slot holds a value.
    fn is_filled(&self) -> bool;
    /// Puts the fallback in the slot.
    fn fall_back(&mut self, d: &mut Decoder<'_>) -> Result<(), DecodeError>;
}

impl<T: Decode> Slot for Option<T> {
    fn fill(&mut self, d: &mut Decoder<'_>, required: bool) -> Result<(), DecodeError> {
        *self = if required {
            Some(d.value::<T>()?)
        } else {
            d.optional::<T>()?
        };
        Ok(())
    }

    fn is_filled(&self) -> bool {
        self.is_some()
    }

    fn fall_back(&mut self, d: &mut Decoder<'_>) -> Result<(), DecodeError> {
        *self = Some(d.fallback::<T>()?);
        Ok(())
    }
}

/// The `additionalProperties` map of a generated struct while [`Decoder::fields`] reads it.
pub trait Rest {
    /// Reads the next value under the key last pushed on the path, and takes the key off
    /// the path into the map.
    fn insert(&mut self, d: &mut Decoder<'_>) -> Result<(), DecodeError>;
}

impl<T: Decode> Rest for BTreeMap<String, T> {
    fn insert(&mut self, d: &mut Decoder<'_>) -> Result<(), DecodeError> {
        let value = d.value::<T>();
        let key = d.path.pop_key().unwrap_or_default();
        self.insert(key, value?);
        Ok(())
    }
}

/// The reading of an untagged union: every variant is tried on the union's bytes until one
/// fits exactly; when none does, the one with the least drift is chosen (the first on ties).
/// Variants are tried tolerantly in both modes, so that in strict mode the error is the
/// chosen variant's first drift, at its path, rather than "no variant fits".
#[derive(Debug)]
pub struct Union<S> {
    name: &'static str,
    start: usize,
    end: usize,
    tag: Option<&'static str>,
    best: Option<(S, Vec<Drift>)>,
    first_error: Option<DecodeError>,
}

impl<S> Union<S> {
    /// Tries the variant `wrap` makes from a `T`.
    pub fn attempt<T: Decode>(&mut self, d: &mut Decoder<'_>, wrap: fn(T) -> S) {
        if matches!(&self.best, Some((_, drift)) if drift.is_empty()) {
            return;
        }
        let before = d.drift.len();
        let mode = std::mem::replace(&mut d.mode, DecodeMode::Tolerant);
        let result = d.within(self.start, self.end, self.tag, T::decode);
        d.mode = mode;
        let drift = d.drift.split_off(before);
        match result {
            Ok(value) => {
                if self
                    .best
                    .as_ref()
                    .is_none_or(|(_, best)| drift.len() < best.len())
                {
                    self.best = Some((wrap(value), drift));
                }
            }
            Err(e) => {
                self.first_error.get_or_insert(e);
            }
        }
    }

    /// The chosen variant, or an error naming the union when none fits.
    pub fn end(self, d: &mut Decoder<'_>) -> Result<S, DecodeError> {
        match self.best {
            Some((_, drift)) if d.mode == DecodeMode::Strict && !drift.is_empty() => {
                let first = drift
                    .into_iter()
                    .next()
                    .map(|drift| (drift.path, drift.kind));
                let (path, kind) = first.unwrap_or_else(|| (d.here(), DriftKind::Unknown));
                Err(DecodeError::new(path, kind.to_string()))
            }
            Some((value, drift)) => {
                d.drift.extend(drift);
                Ok(value)
            }
            None => {
                let detail = self
                    .first_error
                    .map(|e| format!(" (the first: {e})"))
                    .unwrap_or_default();
                Err(d.fail(format!(
                    "fits none of the variants of `{}`{detail}",
                    self.name
                )))
            }
        }
    }
}

/// The reading of a tagged union: the tag found, and the object's bytes to decode the
/// variant from.
#[derive(Debug)]
pub struct Tagged {
    key: &'static str,
    start: usize,
    end: usize,
    tag: Option<String>,
}

impl Tagged {
    /// The tag, when the object has one that is a string.
    pub fn tag(&self) -> Option<&str> {
        self.tag.as_deref()
    }

    /// The object as the variant's payload, the tag property skipped.
    pub fn variant<T: Decode>(&self, d: &mut Decoder<'_>) -> Result<T, DecodeError> {
        d.within(self.start, self.end, Some(self.key), T::decode)
    }

    /// The object whole (tag included), for the catch-all variant.
    pub fn other(&self, d: &mut Decoder<'_>) -> Result<serde_json::Value, DecodeError> {
        d.within(self.start, self.end, None, serde_json::Value::decode)
    }
}

// The standard types generated types are made of.

impl Decode for String {
    const FALLBACK: &'static str = "\"\"";
    fn decode(d: &mut Decoder<'_>) -> Result<Self, DecodeError> {
        d.string()
    }
}

impl Decode for bool {
    const FALLBACK: &'static str = "false";
    fn decode(d: &mut Decoder<'_>) -> Result<Self, DecodeError> {
        let peek = d.peek()?;
        match peek {
            Kind::True | Kind::False => {
                d.json.literal(peek).map_err(|e| d.syntax(e))?;
                Ok(peek == Kind::True)
            }
            _ => Err(d.wrong_type("a boolean", peek)),
        }
    }
}

/// The next value, which must be a number: its text, and whether it is an integer.
fn number<'a>(d: &mut Decoder<'a>, expected: &str) -> Result<(&'a str, bool), DecodeError> {
    let peek = d.peek()?;
    if peek != Kind::Number {
        return Err(d.wrong_type(expected, peek));
    }
    let number = d.json.number().map_err(|e| d.syntax(e))?;
    let data: &'a str = d.data;
    // Numbers are ASCII: the ends are always in the text.
    let text = data.get(number.start..number.end).unwrap_or_default();
    Ok((text, number.integer))
}

/// Reads an integer of any width, through its text.
fn integer<T: std::str::FromStr>(d: &mut Decoder<'_>, expected: &str) -> Result<T, DecodeError> {
    let (text, integer) = number(d, expected)?;
    match text.parse() {
        Ok(value) if integer => Ok(value),
        _ => Err(d.fail(format!("invalid value: {text}, expected {expected}"))),
    }
}

impl Decode for i32 {
    const FALLBACK: &'static str = "0";
    fn decode(d: &mut Decoder<'_>) -> Result<Self, DecodeError> {
        integer(d, "a 32-bit integer")
    }
}

impl Decode for i64 {
    const FALLBACK: &'static str = "0";
    fn decode(d: &mut Decoder<'_>) -> Result<Self, DecodeError> {
        integer(d, "a 64-bit integer")
    }
}

impl Decode for u8 {
    const FALLBACK: &'static str = "0";
    fn decode(d: &mut Decoder<'_>) -> Result<Self, DecodeError> {
        integer(d, "a byte")
    }
}

impl Decode for u64 {
    const FALLBACK: &'static str = "0";
    fn decode(d: &mut Decoder<'_>) -> Result<Self, DecodeError> {
        integer(d, "an unsigned 64-bit integer")
    }
}

impl Decode for f64 {
    const FALLBACK: &'static str = "0";
    fn decode(d: &mut Decoder<'_>) -> Result<Self, DecodeError> {
        let (text, _) = number(d, "a number")?;
        if let Some(value) = exact_f64(text) {
            return Ok(value);
        }
        // The lexer has checked the syntax, which Rust's parser accepts whole; a number too
        // large for `f64` parses as infinite, which JSON cannot carry back: refused, as
        // serde_json refuses it.
        match text.parse::<f64>() {
            Ok(value) if value.is_finite() => Ok(value),
            Ok(_) => Err(d.fail(format!("number out of range: {text}"))),
            Err(_) => Err(d.fail(format!("invalid value: {text}, expected a number"))),
        }
    }
}

/// Powers of ten that `f64` holds exactly.
const EXACT_POWERS_OF_TEN: [f64; 23] = [
    1e0, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11, 1e12, 1e13, 1e14, 1e15, 1e16,
    1e17, 1e18, 1e19, 1e20, 1e21, 1e22,
];

/// The value of a plain decimal (`-12.5`: no exponent, at most 15 significant digits and
/// 22 after the point) computed directly, which is exact: the digits and the power of ten
/// are both exact in `f64`, so the one division rounds correctly (Clinger's fast path).
/// `None` for anything else, which the full parser reads.
fn exact_f64(text: &str) -> Option<f64> {
    let (negative, digits) = match text.strip_prefix('-') {
        Some(rest) => (true, rest),
        None => (false, text),
    };
    let mut mantissa: u64 = 0;
    let mut count = 0;
    let mut scale = 0;
    let mut after_point = false;
    for b in digits.bytes() {
        match b {
            b'0'..=b'9' => {
                mantissa = mantissa * 10 + u64::from(b - b'0');
                count += 1;
                scale += usize::from(after_point);
            }
            b'.' => after_point = true,
            _ => return None,
        }
        if count > 15 {
            return None;
        }
    }
    let value = mantissa as f64 / *EXACT_POWERS_OF_TEN.get(scale)?;
    Some(if negative { -value } else { value })
}

impl Decode for f32 {
    const FALLBACK: &'static str = "0";
    fn decode(d: &mut Decoder<'_>) -> Result<Self, DecodeError> {
        let wide = f64::decode(d)?;
        let value = wide as f32;
        if value.is_finite() {
            Ok(value)
        } else {
            Err(d.fail(format!("number out of range for a 32-bit float: {wide}")))
        }
    }
}

/// Any JSON value (free-form schemas), parsed by serde_json from the value's bytes.
impl Decode for serde_json::Value {
    const FALLBACK: &'static str = "null";
    const NULLABLE: bool = true;
    fn decode(d: &mut Decoder<'_>) -> Result<Self, DecodeError> {
        let (start, end) = d.skip_span()?;
        let text = d.data.get(start..end).unwrap_or_default();
        serde_json::from_str(text).map_err(|e| d.fail(e.to_string()))
    }
}

/// No content: any value is read and dropped.
impl Decode for () {
    const FALLBACK: &'static str = "null";
    const NULLABLE: bool = true;
    fn decode(d: &mut Decoder<'_>) -> Result<Self, DecodeError> {
        d.skip_span().map(|_| ())
    }
}

impl<T: Decode> Decode for Option<T> {
    const FALLBACK: &'static str = "null";
    const NULLABLE: bool = true;
    fn decode(d: &mut Decoder<'_>) -> Result<Self, DecodeError> {
        if d.peek()? == Kind::Null {
            d.json.literal(Kind::Null).map_err(|e| d.syntax(e))?;
            return Ok(None);
        }
        T::decode(d).map(Some)
    }
}

impl<T: Decode> Decode for Box<T> {
    const FALLBACK: &'static str = T::FALLBACK;
    const NULLABLE: bool = T::NULLABLE;
    fn decode(d: &mut Decoder<'_>) -> Result<Self, DecodeError> {
        T::decode(d).map(Box::new)
    }
}

impl<T: Decode> Decode for Vec<T> {
    const FALLBACK: &'static str = "[]";
    fn decode(d: &mut Decoder<'_>) -> Result<Self, DecodeError> {
        let peek = d.peek()?;
        if peek != Kind::Array {
            return Err(d.wrong_type("an array", peek));
        }
        d.enter()?;
        let mut items = Vec::new();
        let mut next = d.json.array_first().map_err(|e| d.syntax(e))?;
        while next {
            d.path.push(Step::Index(items.len()));
            let item = d.value::<T>();
            d.path.pop();
            items.push(item?);
            next = d.json.array_next().map_err(|e| d.syntax(e))?;
        }
        d.depth -= 1;
        Ok(items)
    }
}

impl<T: Decode> Decode for BTreeMap<String, T> {
    const FALLBACK: &'static str = "{}";
    fn decode(d: &mut Decoder<'_>) -> Result<Self, DecodeError> {
        let mut map = BTreeMap::new();
        d.fields(&[], &[], None, &mut [], Some(&mut map))?;
        Ok(map)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn decode<T: Decode>(json: &str, mode: DecodeMode) -> Result<Decoded<T>, (String, String)> {
        from_slice::<T>(json.as_bytes(), mode).map_err(|e| {
            let (path, message) = e.into_parts();
            (path.to_string(), message)
        })
    }

    fn tolerant<T: Decode>(json: &str) -> Decoded<T> {
        match decode(json, DecodeMode::Tolerant) {
            Ok(decoded) => decoded,
            Err(e) => panic!("{json}: {e:?}"),
        }
    }

    /// Free-form JSON keeps numbers exactly: what it writes reads back as the same number
    /// (serde_json's default parser was one bit off on this one, found by the fuzzer).
    #[test]
    fn free_form_numbers_round_trip() {
        let digits = format!("5{}", "6".repeat(90));
        let value = tolerant::<serde_json::Value>(&format!("{{\"n\": {digits}}}")).value;
        let text = value.to_string();
        let again = tolerant::<serde_json::Value>(&text).value;
        assert_eq!(again.to_string(), text);
        assert_eq!(value["n"].as_f64(), digits.parse::<f64>().ok());
    }

    #[test]
    fn standard_types_decode() {
        assert_eq!(tolerant::<i64>(" -12 ").value, -12);
        assert_eq!(tolerant::<u64>("18446744073709551615").value, u64::MAX);
        assert_eq!(tolerant::<f64>("1.5e3").value, 1500.0);
        assert_eq!(tolerant::<f64>("2").value, 2.0);
        for huge in ["1e400", "-22E2222222", "1e309"] {
            assert!(
                from_slice::<f64>(huge.as_bytes(), DecodeMode::Tolerant).is_err(),
                "{huge}"
            );
        }
        assert!(from_slice::<f32>(b"1e39", DecodeMode::Tolerant).is_err());
        assert_eq!(tolerant::<f32>("3.0e38").value, 3.0e38);
        assert!(tolerant::<bool>("true").value);
        assert_eq!(tolerant::<String>(r#""a\"\u00e9""#).value, "a\"é");
        assert_eq!(tolerant::<Option<i32>>("null").value, None);
        assert_eq!(tolerant::<Vec<i32>>("[1, 2]").value, vec![1, 2]);
        let map = tolerant::<BTreeMap<String, Vec<bool>>>(r#"{"a": [true], "b": []}"#).value;
        assert_eq!(map.len(), 2);
        let value = tolerant::<serde_json::Value>(r#" {"x": [1, {"y": null}]} "#).value;
        assert_eq!(value, serde_json::json!({"x": [1, {"y": null}]}));
    }

    #[test]
    fn plain_decimals_decode_as_the_full_parser_reads_them() {
        let cases = [
            "0",
            "-0",
            "-16.3",
            "0.1",
            "0.30000000000000004",
            "123456789012345",
            "1.5e3",
            "9007199254740993",
            "3.141592653589793",
            "0.0000000000000000000001",
            "-1e-300",
            "179769313486231570000000000000000000000",
            "2.2250738585072014e-308",
        ];
        for text in cases {
            let ours = tolerant::<f64>(text).value;
            let std: f64 = text.parse().unwrap();
            assert_eq!(ours.to_bits(), std.to_bits(), "{text}");
        }
    }

    #[test]
    fn wrong_types_fail_in_both_modes_with_their_path() {
        for mode in [DecodeMode::Tolerant, DecodeMode::Strict] {
            let e = decode::<BTreeMap<String, Vec<i64>>>(r#"{"a": [1, "2"]}"#, mode).unwrap_err();
            assert_eq!(e.0, "a[1]");
            assert_eq!(e.1, "invalid type: a string, expected a 64-bit integer");
        }
        let e = decode::<i32>("4294967296", DecodeMode::Tolerant).unwrap_err();
        assert_eq!(e.1, "invalid value: 4294967296, expected a 32-bit integer");
        let e = decode::<u64>("-1", DecodeMode::Tolerant).unwrap_err();
        assert_eq!(
            e.1,
            "invalid value: -1, expected an unsigned 64-bit integer"
        );
        let e = decode::<i64>("1.5", DecodeMode::Tolerant).unwrap_err();
        assert_eq!(e.1, "invalid value: 1.5, expected a 64-bit integer");
    }

    #[test]
    fn hostile_keys_are_kept_whole_in_paths() {
        type Page = BTreeMap<String, Vec<BTreeMap<String, i64>>>;
        let cases = [
            (r#"{"x`: y": [{"id": "1"}]}"#, r#"["x`: y"][0].id"#),
            (r#"{"a.b[0]": [{"id": true}]}"#, r#"["a.b[0]"][0].id"#),
            (
                r#"{"ok": [{}, {"at `k`: boom": "x"}]}"#,
                r#"ok[1]["at `k`: boom"]"#,
            ),
        ];
        for (json, path) in cases {
            let e = decode::<Page>(json, DecodeMode::Tolerant).unwrap_err();
            assert_eq!(e.0, path, "{json}: {}", e.1);
        }
    }

    /// A struct as the generator writes one: `name` required, `id` optional.
    #[derive(Debug, PartialEq)]
    struct Named {
        name: String,
        id: Option<i64>,
    }

    impl Decode for Named {
        const FALLBACK: &'static str = "{}";
        fn decode(d: &mut Decoder<'_>) -> Result<Self, DecodeError> {
            let (mut name, mut id) = (None::<String>, None::<i64>);
            d.fields(
                &["name", "id"],
                &[0b1],
                None,
                &mut [&mut name, &mut id],
                None,
            )?;
            Ok(Named {
                name: name.ok_or_else(|| d.unfilled())?,
                id,
            })
        }
    }

    #[test]
    fn keys_are_matched_after_their_escapes() {
        let decoded = tolerant::<Named>(r#"{"na\u006de": "a", "\u0069d": 1, "\u00e9t\u00e9": 2}"#);
        let expected = Named {
            name: "a".into(),
            id: Some(1),
        };
        assert_eq!(decoded.value, expected);
        assert_eq!(decoded.drift.len(), 1);
        assert_eq!(decoded.drift[0].path, "été");
        assert_eq!(decoded.drift[0].kind, DriftKind::Unknown);
        let mut invalid = br#"{"name": "a", "x"#.to_vec();
        invalid.extend_from_slice(b"\xff\": 1}");
        let e = from_slice::<Named>(&invalid, DecodeMode::Tolerant).unwrap_err();
        assert!(e.message().starts_with("invalid JSON: "), "{e}");
        for text in [&b"\"a\xffb\""[..], b"\"a\\n\xffb\""] {
            let e = from_slice::<String>(text, DecodeMode::Tolerant).unwrap_err();
            assert!(e.message().contains("not valid UTF-8"), "{e}");
        }
    }

    #[test]
    fn escapes_are_resolved() {
        let text = r#""q\"b\\s\/\b\f\n\r\t \u00e9 \ud83d\ude00 plain""#;
        let decoded = from_slice::<String>(text.as_bytes(), DecodeMode::Strict).unwrap();
        assert_eq!(
            decoded.value,
            "q\"b\\s/\u{8}\u{c}\n\r\t \u{e9} \u{1f600} plain"
        );
        for lone in [
            r#""\ud83d""#,
            r#""\ud83dx""#,
            r#""\ude00""#,
            r#""\ud83d\u0041""#,
        ] {
            assert!(
                from_slice::<String>(lone.as_bytes(), DecodeMode::Tolerant).is_err(),
                "{lone}"
            );
        }
    }

    #[test]
    fn invalid_json_is_reported_with_its_position() {
        let e = decode::<Vec<i64>>("[1,\n 2,, 3]", DecodeMode::Tolerant).unwrap_err();
        assert_eq!(e.0, "[2]");
        assert!(e.1.starts_with("invalid JSON: "), "{}", e.1);
        assert!(e.1.ends_with("at line 2 column 4"), "{}", e.1);
        let e = decode::<i64>("1 2", DecodeMode::Tolerant).unwrap_err();
        assert!(
            e.1.starts_with("invalid JSON: trailing characters"),
            "{}",
            e.1
        );
    }

    #[test]
    fn null_where_not_allowed_is_drift_with_a_fallback() {
        let decoded = tolerant::<Vec<String>>(r#"["a", null]"#);
        assert_eq!(decoded.value, vec!["a".to_string(), String::new()]);
        assert_eq!(decoded.drift.len(), 1);
        assert_eq!(decoded.drift[0].path, "[1]");
        assert_eq!(decoded.drift[0].kind, DriftKind::Null);
        let e = decode::<Vec<String>>(r#"["a", null]"#, DecodeMode::Strict).unwrap_err();
        assert_eq!(
            e,
            (
                "[1]".to_string(),
                "null where the spec does not allow it".to_string()
            )
        );
    }

    #[test]
    fn nesting_is_bounded() {
        let deep = format!("{}{}", "[".repeat(100_000), "]".repeat(100_000));
        let e = decode::<serde_json::Value>(&deep, DecodeMode::Tolerant).unwrap_err();
        assert_eq!(e.1, "nested more than 128 levels deep");
        type Deep = Vec<Vec<Vec<Vec<Vec<Vec<Vec<Vec<Vec<i32>>>>>>>>>;
        assert!(decode::<Deep>("[[[[[[[[[1]]]]]]]]]", DecodeMode::Strict).is_ok());
    }
}
