//! JSON string escapes, resolved, for the strings the lexer found to have any.

/// `text` (the characters between a JSON string's quotes) with its escapes resolved, or the
/// offset of the escape that is not valid (an unpaired surrogate; the lexer has checked the
/// rest, but this does not rely on it).
pub(crate) fn unescape(text: &str) -> Result<String, usize> {
    let bytes = text.as_bytes();
    let mut out = String::with_capacity(text.len());
    let mut done = 0;
    let mut i = 0;
    while let Some(offset) = bytes[i..].iter().position(|&b| b == b'\\') {
        let at = i + offset;
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

/// The four hex digits at `bytes[at..at + 4]`, as a number.
fn hex4(bytes: &[u8], at: usize) -> Option<u32> {
    let digits = bytes.get(at..at + 4)?;
    digits
        .iter()
        .try_fold(0, |n, &b| Some(n * 16 + char::from(b).to_digit(16)?))
}
