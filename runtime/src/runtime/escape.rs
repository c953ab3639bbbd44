//! JSON string escapes, resolved, for the strings the lexer found to have any.

use super::lexer::find_backslash;

/// `text` (the characters between a JSON string's quotes) with its escapes resolved, or the
/// offset of the escape that is not valid (an unpaired surrogate; the lexer has checked the
/// rest, but this does not rely on it).
pub(crate) fn unescape(text: &str) -> Result<String, usize> {
    let bytes = text.as_bytes();
    // Exactly the decoded length: the string is the value kept, so no spare capacity.
    let mut out = String::with_capacity(decoded_len(bytes));
    let mut done = 0;
    let mut i = 0;
    while let Some(at) = find_backslash(bytes, i) {
        out.push_str(&text[done..at]);
        let simple = match bytes.get(at + 1) {
            Some(b'"') => Some('"'),
            Some(b'\\') => Some('\\'),
            Some(b'/') => Some('/'),
            Some(b'b') => Some('\u{8}'),
            Some(b'f') => Some('\u{c}'),
            Some(b'n') => Some('\n'),
            Some(b'r') => Some('\r'),
            Some(b't') => Some('\t'),
            Some(b'u') => None,
            _ => return Err(at),
        };
        if let Some(c) = simple {
            out.push(c);
            i = at + 2;
        } else {
            let first = hex4(bytes, at + 2).ok_or(at)?;
            let (code, next) = if (0xD800..0xDC00).contains(&first) {
                let low = match (bytes.get(at + 6), bytes.get(at + 7)) {
                    (Some(b'\\'), Some(b'u')) => hex4(bytes, at + 8).ok_or(at)?,
                    _ => return Err(at),
                };
                if !(0xDC00..0xE000).contains(&low) {
                    return Err(at);
                }
                (0x10000 + ((first - 0xD800) << 10) + (low - 0xDC00), at + 12)
            } else {
                (first, at + 6)
            };
            out.push(char::from_u32(code).ok_or(at)?);
            i = next;
        }
        done = i;
    }
    out.push_str(&text[done..]);
    Ok(out)
}

/// The length in UTF-8 of `bytes` (a string's text) once its escapes are resolved; an
/// invalid escape (which [`unescape`] refuses) counts as written.
fn decoded_len(bytes: &[u8]) -> usize {
    let mut len = bytes.len();
    let mut i = 0;
    while let Some(at) = find_backslash(bytes, i) {
        let (written, decoded) = match (bytes.get(at + 1), hex4(bytes, at + 2)) {
            (Some(b'u'), Some(0xD800..=0xDBFF)) if bytes.get(at + 6..at + 8) == Some(b"\\u") => {
                (12, 4)
            }
            (Some(b'u'), Some(code)) => (6, char::from_u32(code).map_or(3, char::len_utf8)),
            _ => (2, 1),
        };
        len = len.saturating_sub(written - decoded);
        i = (at + written).min(bytes.len());
    }
    len
}

/// The four hex digits at `bytes[at..at + 4]`, as a number.
fn hex4(bytes: &[u8], at: usize) -> Option<u32> {
    let digits = bytes.get(at..at + 4)?;
    digits
        .iter()
        .try_fold(0, |n, &b| Some(n * 16 + char::from(b).to_digit(16)?))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn decoded_strings_are_allocated_at_their_exact_length() {
        let cases = [
            r"plain",
            r#"q\"b\\s\/\b\f\n\r\t"#,
            r"\u0041 \u00e9 \u20ac \ud83d\ude00 end",
            r"\r\n\r\n",
        ];
        for text in cases {
            let decoded = unescape(text).unwrap();
            assert_eq!(decoded_len(text.as_bytes()), decoded.len(), "{text}");
            assert_eq!(decoded.capacity(), decoded.len(), "{text}");
        }
    }
}
