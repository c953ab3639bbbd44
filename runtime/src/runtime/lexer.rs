//! The JSON lexer the decoder reads bodies with: tokens in place, one pass over each string.
//!
//! The body's UTF-8 is checked once, before decoding (see
//! [`from_slice`](super::decode::from_slice)), so the lexer works on bytes and never checks a
//! string's text again. A string is scanned eight bytes at a time for its closing quote, a
//! backslash or a control character; its escapes are checked here and resolved by the
//! decoder, only when the string has any. (A general-purpose parser such as `jiter` or
//! `serde_json` does the UTF-8 check, the escape scan and the copy per string, which for the
//! short keys and values of API payloads costs more than the reading itself.)

/// Objects and arrays nested deeper than this are refused by [`Lexer::skip`] (which reads
/// nesting without recursion, so the bound is on the work, not on the stack).
const MAX_SKIP_DEPTH: u32 = 128;

/// The kind of the next value, known from its first byte.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Kind {
    Null,
    True,
    False,
    Number,
    String,
    Array,
    Object,
}

/// What the lexer refuses.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum LexError {
    /// Not JSON: what was expected or found, at a byte offset of the lexer's input.
    Invalid { what: &'static str, index: usize },
    /// A skipped value nested deeper than [`MAX_SKIP_DEPTH`].
    TooDeep,
}

/// A string of the input: the offsets of the text between its quotes, and whether it has
/// escapes (when it has none, the text is the value).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Span {
    pub start: usize,
    pub end: usize,
    pub escaped: bool,
}

/// A number of the input: its offsets, and whether it is written as an integer (no
/// fraction, no exponent).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Number {
    pub start: usize,
    pub end: usize,
    pub integer: bool,
}

/// Reads JSON tokens from a byte slice. Methods named after a token expect the lexer to be
/// at its first byte, as [`Lexer::peek`] leaves it.
#[derive(Debug, Clone)]
pub(crate) struct Lexer<'a> {
    data: &'a [u8],
    index: usize,
}

const ONES: u64 = 0x0101_0101_0101_0101;
const HIGH: u64 = 0x8080_8080_8080_8080;

/// The high bit of each byte of `word` that is zero; exact for the lowest such byte (a
/// higher one may be flagged by a borrow, which only the first use would notice).
fn zero_bytes(word: u64) -> u64 {
    word.wrapping_sub(ONES) & !word & HIGH
}

/// The bytes of `word` (little-endian) that end a plain run of string text: a quote, a
/// backslash or a control character. The lowest flagged byte is the first such byte.
fn string_stops(word: u64) -> u64 {
    let quote = zero_bytes(word ^ (ONES * u64::from(b'"')));
    let backslash = zero_bytes(word ^ (ONES * u64::from(b'\\')));
    let control = word.wrapping_sub(ONES * 0x20) & !word & HIGH;
    quote | backslash | control
}

impl<'a> Lexer<'a> {
    pub(crate) fn new(data: &'a [u8]) -> Self {
        Lexer { data, index: 0 }
    }

    /// The offset of the next byte to read.
    pub(crate) fn index(&self) -> usize {
        self.index
    }

    fn invalid<T>(&self, what: &'static str, index: usize) -> Result<T, LexError> {
        Err(LexError::Invalid { what, index })
    }

    /// Skips whitespace and returns the next byte.
    fn next_byte(&mut self) -> Option<u8> {
        while let Some(&byte) = self.data.get(self.index) {
            match byte {
                b' ' | b'\n' | b'\r' | b'\t' => self.index += 1,
                _ => return Some(byte),
            }
        }
        None
    }

    /// The kind of the next value; the lexer is left at its first byte.
    pub(crate) fn peek(&mut self) -> Result<Kind, LexError> {
        match self.next_byte() {
            Some(b'{') => Ok(Kind::Object),
            Some(b'[') => Ok(Kind::Array),
            Some(b'"') => Ok(Kind::String),
            Some(b'-' | b'0'..=b'9') => Ok(Kind::Number),
            Some(b'n') => Ok(Kind::Null),
            Some(b't') => Ok(Kind::True),
            Some(b'f') => Ok(Kind::False),
            Some(_) => self.invalid("expected a value", self.index),
            None => self.invalid("EOF while parsing a value", self.index),
        }
    }

    /// `null`, `true` or `false`, as `kind` says the next value is.
    pub(crate) fn literal(&mut self, kind: Kind) -> Result<(), LexError> {
        let word: &[u8] = match kind {
            Kind::True => b"true",
            Kind::False => b"false",
            _ => b"null",
        };
        let end = self.index + word.len();
        if self.data.get(self.index..end) == Some(word) {
            self.index = end;
            Ok(())
        } else {
            self.invalid("expected `null`, `true` or `false`", self.index)
        }
    }

    /// A string: the lexer is at its opening quote and is left after the closing one.
    pub(crate) fn string(&mut self) -> Result<Span, LexError> {
        let data = self.data;
        let start = self.index + 1;
        let mut i = start;
        let mut escaped = false;
        loop {
            while let Some(Ok(bytes)) = data.get(i..i + 8).map(<[u8; 8]>::try_from) {
                let stops = string_stops(u64::from_le_bytes(bytes));
                if stops != 0 {
                    i += (stops.trailing_zeros() / 8) as usize;
                    break;
                }
                i += 8;
            }
            match data.get(i) {
                Some(b'"') => {
                    self.index = i + 1;
                    return Ok(Span {
                        start,
                        end: i,
                        escaped,
                    });
                }
                Some(b'\\') => {
                    escaped = true;
                    i += self.escape(i)?;
                }
                Some(0..=0x1f) => return self.invalid("control character in a string", i),
                Some(_) => i += 1,
                None => return self.invalid("EOF while parsing a string", i),
            }
        }
    }

    /// The length of the escape at `at` (a backslash), checked.
    fn escape(&self, at: usize) -> Result<usize, LexError> {
        match self.data.get(at + 1) {
            Some(b'"' | b'\\' | b'/' | b'b' | b'f' | b'n' | b'r' | b't') => Ok(2),
            Some(b'u') => match self.data.get(at + 2..at + 6) {
                Some(hex) if hex.iter().all(u8::is_ascii_hexdigit) => Ok(6),
                _ => self.invalid("invalid `\\u` escape", at),
            },
            Some(_) => self.invalid("invalid escape", at),
            None => self.invalid("EOF while parsing a string", at),
        }
    }

    /// A number, its syntax checked: the lexer is at its first byte.
    pub(crate) fn number(&mut self) -> Result<Number, LexError> {
        let data = self.data;
        let start = self.index;
        let digits = |mut i: usize| {
            while data.get(i).is_some_and(u8::is_ascii_digit) {
                i += 1;
            }
            i
        };
        let mut i = start + usize::from(data.get(start) == Some(&b'-'));
        i = match data.get(i) {
            Some(b'0') => i + 1,
            Some(b'1'..=b'9') => digits(i + 1),
            _ => return self.invalid("invalid number", i),
        };
        let mut integer = true;
        if data.get(i) == Some(&b'.') {
            integer = false;
            let end = digits(i + 1);
            if end == i + 1 {
                return self.invalid("invalid number: no digits after the point", end);
            }
            i = end;
        }
        if matches!(data.get(i), Some(b'e' | b'E')) {
            integer = false;
            i += 1;
            if matches!(data.get(i), Some(b'+' | b'-')) {
                i += 1;
            }
            let end = digits(i);
            if end == i {
                return self.invalid("invalid number: no digits in the exponent", end);
            }
            i = end;
        }
        self.index = i;
        Ok(Number {
            start,
            end: i,
            integer,
        })
    }

    /// Enters an array (the lexer is at `[`): whether it has a first item.
    pub(crate) fn array_first(&mut self) -> Result<bool, LexError> {
        self.index += 1;
        if self.next_byte() == Some(b']') {
            self.index += 1;
            return Ok(false);
        }
        Ok(true)
    }

    /// After an item: whether another follows (else the array has ended).
    pub(crate) fn array_next(&mut self) -> Result<bool, LexError> {
        match self.next_byte() {
            Some(b',') => {
                self.index += 1;
                Ok(true)
            }
            Some(b']') => {
                self.index += 1;
                Ok(false)
            }
            Some(_) => self.invalid("expected `,` or `]`", self.index),
            None => self.invalid("EOF while parsing an array", self.index),
        }
    }

    /// Enters an object (the lexer is at `{`): its first key, if it has one. The lexer is
    /// left at the key's value.
    pub(crate) fn object_first(&mut self) -> Result<Option<Span>, LexError> {
        self.index += 1;
        match self.next_byte() {
            Some(b'}') => {
                self.index += 1;
                Ok(None)
            }
            _ => self.key().map(Some),
        }
    }

    /// After a property's value: the next key (the lexer left at its value), or `None`
    /// when the object has ended.
    pub(crate) fn object_next(&mut self) -> Result<Option<Span>, LexError> {
        match self.next_byte() {
            Some(b',') => {
                self.index += 1;
                self.key().map(Some)
            }
            Some(b'}') => {
                self.index += 1;
                Ok(None)
            }
            Some(_) => self.invalid("expected `,` or `}`", self.index),
            None => self.invalid("EOF while parsing an object", self.index),
        }
    }

    fn key(&mut self) -> Result<Span, LexError> {
        match self.next_byte() {
            Some(b'"') => {}
            Some(_) => return self.invalid("expected a key", self.index),
            None => return self.invalid("EOF while parsing an object", self.index),
        }
        let key = self.string()?;
        match self.next_byte() {
            Some(b':') => {
                self.index += 1;
                Ok(key)
            }
            Some(_) => self.invalid("expected `:`", self.index),
            None => self.invalid("EOF while parsing an object", self.index),
        }
    }

    /// Reads the next value whole, its syntax checked, without recursion.
    pub(crate) fn skip(&mut self) -> Result<(), LexError> {
        // One bit per open container, the innermost lowest: set for an object.
        let mut open: u128 = 0;
        let mut depth = 0;
        loop {
            let opened = match self.peek()? {
                Kind::Object => self.object_first()?.map(|_| true),
                Kind::Array => self.array_first()?.then_some(false),
                Kind::String => self.string().map(|_| None)?,
                Kind::Number => self.number().map(|_| None)?,
                kind => self.literal(kind).map(|()| None)?,
            };
            if let Some(object) = opened {
                if depth == MAX_SKIP_DEPTH {
                    return Err(LexError::TooDeep);
                }
                open = (open << 1) | u128::from(object);
                depth += 1;
                continue;
            }
            // A value has ended: close the containers that end with it.
            loop {
                if depth == 0 {
                    return Ok(());
                }
                let more = if open & 1 == 1 {
                    self.object_next()?.is_some()
                } else {
                    self.array_next()?
                };
                if more {
                    break;
                }
                open >>= 1;
                depth -= 1;
            }
        }
    }

    /// The end of the document: nothing but whitespace may follow the value.
    pub(crate) fn finish(&mut self) -> Result<(), LexError> {
        match self.next_byte() {
            None => Ok(()),
            Some(_) => self.invalid("trailing characters", self.index),
        }
    }
}

/// The offset of the first backslash in `bytes` from `from`, eight bytes at a time.
pub(crate) fn find_backslash(bytes: &[u8], from: usize) -> Option<usize> {
    let mut i = from;
    while let Some(Ok(word)) = bytes.get(i..i + 8).map(<[u8; 8]>::try_from) {
        let found = zero_bytes(u64::from_le_bytes(word) ^ (ONES * u64::from(b'\\')));
        if found != 0 {
            return Some(i + (found.trailing_zeros() / 8) as usize);
        }
        i += 8;
    }
    bytes
        .get(i..)?
        .iter()
        .position(|&b| b == b'\\')
        .map(|offset| i + offset)
}

/// Whether `a` and `b` are the same bytes: for the short keys of JSON objects, a few word
/// compares instead of a call to `memcmp`.
pub(crate) fn same_bytes(a: &[u8], b: &[u8]) -> bool {
    fn word(s: &[u8], at: usize) -> Option<u64> {
        let bytes = s.get(at..at + 8)?;
        <[u8; 8]>::try_from(bytes).ok().map(u64::from_le_bytes)
    }
    fn half(s: &[u8], at: usize) -> Option<u32> {
        let bytes = s.get(at..at + 4)?;
        <[u8; 4]>::try_from(bytes).ok().map(u32::from_le_bytes)
    }
    let n = a.len();
    if n != b.len() {
        return false;
    }
    if n >= 8 {
        // Whole words, then the last eight bytes (overlapping the word before).
        let mut i = 0;
        while i + 8 < n {
            if word(a, i) != word(b, i) {
                return false;
            }
            i += 8;
        }
        return word(a, n - 8) == word(b, n - 8);
    }
    if n >= 4 {
        return half(a, 0) == half(b, 0) && half(a, n - 4) == half(b, n - 4);
    }
    a.iter().zip(b).all(|(x, y)| x == y)
}

/// The line and column (both from 1, the column in bytes) of `index` in `text`.
pub(crate) fn line_column(text: &[u8], index: usize) -> (usize, usize) {
    let before = &text[..index.min(text.len())];
    let line = before.iter().filter(|&&b| b == b'\n').count() + 1;
    let column = match before.iter().rposition(|&b| b == b'\n') {
        Some(newline) => index - newline,
        None => index + 1,
    };
    (line, column)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Whether the lexer reads `json` as one value, as serde_json does.
    fn skips(json: &str) -> bool {
        let mut lexer = Lexer::new(json.as_bytes());
        lexer.skip().and_then(|()| lexer.finish()).is_ok()
    }

    #[test]
    fn values_are_read_as_serde_json_reads_them() {
        let cases = [
            "null",
            " true ",
            "false",
            "0",
            "-0",
            "-12.5e+3",
            "1E5",
            "01",
            "1.",
            ".5",
            "-",
            "1e",
            "+1",
            r#""""#,
            r#""a\"b\\c\/\b\f\n\r\t\u00e9""#,
            r#""\x""#,
            r#""\u12g4""#,
            "\"tab\there\"",
            r#""unterminated"#,
            r#""long text of more than eight bytes, with a \"quote\" in it""#,
            "[]",
            "[1, [2, [3]], {}]",
            "[1,]",
            "[1 2]",
            r#"{"a": {"b": [null, {"c": "d"}]}, "e": 1}"#,
            r#"{"a" 1}"#,
            r#"{"a": 1,}"#,
            r#"{1: 2}"#,
            r#"{"a": 1]"#,
            "[1}",
            "nul",
            "tru",
            "{",
            "",
        ];
        for json in cases {
            let expected = serde_json::from_str::<serde_json::Value>(json).is_ok();
            assert_eq!(skips(json), expected, "{json}");
        }
    }

    #[test]
    fn strings_are_scanned_to_their_end_at_any_length() {
        for len in 0..40 {
            for special in ["", "\\\"", "\\u0041", "é"] {
                let text = format!("{}{special}{}", "x".repeat(len), "y".repeat(len % 9));
                let json = format!("\"{text}\" ");
                let mut lexer = Lexer::new(json.as_bytes());
                let span = lexer.string().unwrap();
                assert_eq!(&json[span.start..span.end], text);
                assert_eq!(span.escaped, special.starts_with('\\'), "{json}");
                assert_eq!(lexer.index(), json.len() - 1);
            }
        }
    }

    #[test]
    fn numbers_say_whether_they_are_integers() {
        for (json, integer) in [("12", true), ("-3", true), ("1.0", false), ("2e3", false)] {
            let number = Lexer::new(json.as_bytes()).number().unwrap();
            assert_eq!(
                (number.start, number.end, number.integer),
                (0, json.len(), integer)
            );
        }
    }

    #[test]
    fn skipping_is_bounded_in_depth() {
        let deep = format!("{}{}", "[".repeat(100_000), "]".repeat(100_000));
        let mut lexer = Lexer::new(deep.as_bytes());
        assert_eq!(lexer.skip(), Err(LexError::TooDeep));
        let fine = format!("{}1{}", "[{\"a\":".repeat(64), "}]".repeat(64));
        assert!(skips(&fine));
    }

    #[test]
    fn bytes_are_compared_whole_at_every_length() {
        let long = "abcdefghijklmnopqrstuvwxyz0123456789";
        for len in 0..long.len() {
            let a = &long.as_bytes()[..len];
            assert!(same_bytes(a, a));
            assert!(!same_bytes(a, &long.as_bytes()[..len + 1]));
            for at in 0..len {
                let mut b = a.to_vec();
                b[at] ^= 1;
                assert!(!same_bytes(a, &b), "{len} {at}");
            }
        }
    }

    #[test]
    fn backslashes_are_found_at_any_offset() {
        for len in 0..24 {
            for at in 0..len {
                let mut text = vec![b'a'; len];
                text[at] = b'\\';
                for from in 0..=at {
                    assert_eq!(find_backslash(&text, from), Some(at), "{len} {at} {from}");
                }
                assert_eq!(find_backslash(&text, at + 1), None);
            }
        }
    }

    #[test]
    fn positions_are_lines_and_columns() {
        assert_eq!(line_column(b"ab", 1), (1, 2));
        assert_eq!(line_column(b"a\nbc", 3), (2, 2));
    }
}
