//! Turns spec prose into rustdoc lines that render as written and never trip rustdoc's lints
//! (no accidental doctests, intra-doc links, HTML tags or bare URLs).

/// Splits `text` into rustdoc lines.
pub fn lines(text: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut in_fence = false;
    // A bare carriage return is a line break too (rustc refuses one in a doc comment).
    let text = text.trim().replace("\r\n", "\n");
    if text.is_empty() {
        return out;
    }
    for raw in text.split(['\n', '\r']) {
        let line = raw.trim_end();
        let trimmed = line.trim_start();
        if trimmed.starts_with("```") {
            // Any fence, labeled or not, opens as `text`: anything else could be a doctest.
            out.push(if in_fence { "```" } else { "```text" }.to_string());
            in_fence = !in_fence;
            continue;
        }
        if in_fence {
            out.push(line.to_string());
        } else {
            // Leading indentation would make an indented code block, i.e. a doctest.
            out.push(escape(trimmed));
        }
    }
    if in_fence {
        out.push("```".to_string());
    }
    // Collapse runs of blank lines.
    out.dedup_by(|a, b| a.is_empty() && b.is_empty());
    out
}

/// Escapes markdown that rustdoc would interpret as links or HTML, and wraps bare URLs.
fn escape(line: &str) -> String {
    let mut out = String::with_capacity(line.len() + 8);
    let mut rest = line;
    let mut in_code = false;
    while !rest.is_empty() {
        if rest.starts_with('`') {
            in_code = !in_code;
            out.push('`');
            rest = &rest[1..];
            continue;
        }
        if in_code {
            // Inline code renders literally: copy it up to the closing backtick.
            let end = rest.find('`').unwrap_or(rest.len());
            out.push_str(&rest[..end]);
            rest = &rest[end..];
            continue;
        }
        if rest.starts_with("http://") || rest.starts_with("https://") {
            let end = rest
                .find(|c: char| {
                    c.is_whitespace() || matches!(c, ')' | '"' | '\'' | '<' | '>' | '`')
                })
                .unwrap_or(rest.len());
            let url = rest[..end].trim_end_matches(['.', ',', ';', ':']);
            out.push('<');
            out.push_str(url);
            out.push('>');
            rest = &rest[url.len()..];
            continue;
        }
        let mut chars = rest.chars();
        let Some(c) = chars.next() else { break };
        match c {
            '[' => out.push_str("\\["),
            ']' => out.push_str("\\]"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '\\' => out.push_str("\\\\"),
            other => out.push(other),
        }
        rest = chars.as_str();
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_bare_carriage_return_breaks_the_line() {
        // vtex.local/Orders-API: rustc refuses a bare CR in a doc comment.
        assert_eq!(lines("one\rtwo\r\nthree"), ["one", "two", "three"]);
        assert!(lines(" ").is_empty());
    }

    #[test]
    fn prose_becomes_safe_rustdoc() {
        assert_eq!(
            lines("FlattenedShare [DAG SAFE]"),
            ["FlattenedShare \\[DAG SAFE\\]"]
        );
        assert_eq!(
            lines("See https://buddy.works/docs."),
            ["See <https://buddy.works/docs>."]
        );
        assert_eq!(lines("a <b> tag"), ["a &lt;b&gt; tag"]);
        assert_eq!(
            lines("send `Bearer <token>` [x]"),
            ["send `Bearer <token>` \\[x\\]"]
        );
        assert_eq!(
            lines("x\n\n\n    indented code"),
            ["x", "", "indented code"]
        );
        assert_eq!(
            lines("```\nlet x = 1;\n```"),
            ["```text", "let x = 1;", "```"]
        );
        assert_eq!(lines("```js\nopen"), ["```text", "open", "```"]);
    }
}
