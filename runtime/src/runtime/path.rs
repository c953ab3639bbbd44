//! Where in a JSON body something happened, as data: a path of object keys and array
//! indices, rendered once, for [`Error::Decode`](super::Error::Decode) and
//! [`Drift`](super::Drift). The decoder keeps the path as it reads (see [`super::decode`]).

use std::fmt;

use super::decode::MAX_DEPTH;

/// One step of a [`DecodePath`].
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum Segment {
    /// An object's property, or the variant of a tagged union.
    Key(String),
    /// An array element.
    Index(usize),
}

/// Where in a JSON body something failed or drifted: `routes[1].targets.Default`, or `.` for the
/// whole body.
///
/// Keys are written after a `.`; a key that is empty or contains `.`, `[`, `]`, `"`, a
/// backtick or whitespace is written as a quoted JSON string in brackets (`a["x.y"]`), so
/// every path reads back unambiguously.
#[derive(Debug, Clone, Default, PartialEq, Eq, Hash)]
pub struct DecodePath {
    segments: Vec<Segment>,
}

impl DecodePath {
    /// The whole body.
    pub fn root() -> Self {
        DecodePath::default()
    }

    /// The steps from the root.
    pub fn segments(&self) -> &[Segment] {
        &self.segments
    }

    /// True for the whole body.
    pub fn is_root(&self) -> bool {
        self.segments.is_empty()
    }

    /// A path from its steps.
    pub(super) fn from_segments(segments: Vec<Segment>) -> Self {
        DecodePath { segments }
    }

    fn is_plain_key(key: &str) -> bool {
        !key.is_empty()
            && !key.chars().any(|c| {
                matches!(c, '.' | '[' | ']' | '"' | '`') || c.is_whitespace() || c.is_control()
            })
    }
}

/// One step of the path being read. Field names are static (from the generated code), so
/// entering a field costs no allocation.
pub(super) enum Step {
    Field(&'static str),
    Key(String),
    Index(usize),
}

/// The path being read, held inline: one step per level of nesting, which the decoder
/// bounds by [`MAX_DEPTH`], so reading deep bodies allocates nothing for it.
pub(super) struct Steps {
    steps: [Step; MAX_DEPTH as usize],
    len: usize,
    /// Steps pushed beyond the capacity (none while the decoder keeps its depth bound), not
    /// kept, so that pushes and pops stay paired.
    beyond: usize,
}

impl Steps {
    pub(super) fn new() -> Self {
        Steps {
            steps: std::array::from_fn(|_| Step::Index(0)),
            len: 0,
            beyond: 0,
        }
    }

    pub(super) fn len(&self) -> usize {
        self.len + self.beyond
    }

    pub(super) fn push(&mut self, step: Step) {
        match self.steps.get_mut(self.len) {
            Some(slot) if self.beyond == 0 => {
                *slot = step;
                self.len += 1;
            }
            _ => self.beyond += 1,
        }
    }

    /// Leaves the last step (its value is dropped when the place is reused).
    pub(super) fn pop(&mut self) {
        if self.beyond > 0 {
            self.beyond -= 1;
        } else {
            self.len = self.len.saturating_sub(1);
        }
    }

    /// Leaves the last step, returning its key if it is one.
    pub(super) fn pop_key(&mut self) -> Option<String> {
        if self.beyond > 0 {
            self.beyond -= 1;
            return None;
        }
        self.len = self.len.checked_sub(1)?;
        match &mut self.steps[self.len] {
            Step::Key(key) => Some(std::mem::take(key)),
            _ => None,
        }
    }

    /// Goes back to the first `len` steps.
    pub(super) fn truncate(&mut self, len: usize) {
        if len <= self.len {
            (self.len, self.beyond) = (len, 0);
        } else {
            self.beyond = self.beyond.min(len - self.len);
        }
    }

    /// The path, rendered.
    pub(super) fn render(&self) -> DecodePath {
        let segments = self.steps[..self.len]
            .iter()
            .map(|step| match step {
                Step::Field(name) => Segment::Key((*name).to_string()),
                Step::Key(key) => Segment::Key(key.clone()),
                Step::Index(index) => Segment::Index(*index),
            })
            .collect();
        DecodePath::from_segments(segments)
    }
}

impl fmt::Display for DecodePath {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.segments.is_empty() {
            return f.write_str(".");
        }
        for (i, segment) in self.segments.iter().enumerate() {
            match segment {
                Segment::Index(index) => write!(f, "[{index}]")?,
                Segment::Key(key) if DecodePath::is_plain_key(key) => {
                    if i > 0 {
                        f.write_str(".")?;
                    }
                    f.write_str(key)?;
                }
                Segment::Key(key) => {
                    // A JSON string cannot fail to serialize.
                    let quoted = serde_json::to_string(key).map_err(|_| fmt::Error)?;
                    write!(f, "[{quoted}]")?;
                }
            }
        }
        Ok(())
    }
}

/// Compares the rendered path with a string, as the rendering goes (no allocation).
impl PartialEq<str> for DecodePath {
    fn eq(&self, other: &str) -> bool {
        struct Rest<'a>(&'a str);
        impl fmt::Write for Rest<'_> {
            fn write_str(&mut self, s: &str) -> fmt::Result {
                self.0 = self.0.strip_prefix(s).ok_or(fmt::Error)?;
                Ok(())
            }
        }
        let mut rest = Rest(other);
        fmt::write(&mut rest, format_args!("{self}")).is_ok() && rest.0.is_empty()
    }
}

impl PartialEq<String> for DecodePath {
    fn eq(&self, other: &String) -> bool {
        self == other.as_str()
    }
}

impl PartialEq<&str> for DecodePath {
    fn eq(&self, other: &&str) -> bool {
        self == *other
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn path(segments: Vec<Segment>) -> DecodePath {
        DecodePath { segments }
    }

    fn key(k: &str) -> Segment {
        Segment::Key(k.to_string())
    }

    #[test]
    fn paths_render_keys_and_indices() {
        assert_eq!(DecodePath::root().to_string(), ".");
        let p = path(vec![
            key("routes"),
            Segment::Index(1),
            key("targets"),
            key("COUNTRY-PL"),
        ]);
        assert_eq!(p.to_string(), "routes[1].targets.COUNTRY-PL");
        assert_eq!(
            path(vec![Segment::Index(0), key("id")]).to_string(),
            "[0].id"
        );
    }

    #[test]
    fn hostile_keys_are_quoted() {
        let cases = [
            (vec![key("a"), key("x.y")], r#"a["x.y"]"#),
            (vec![key("a`: b")], r#"["a`: b"]"#),
            (vec![key("")], r#"[""]"#),
            (vec![key("a"), key("[0]")], r#"a["[0]"]"#),
            (vec![key("quote\"d"), key("ok")], r#"["quote\"d"].ok"#),
            (vec![key("line\nbreak")], r#"["line\nbreak"]"#),
        ];
        for (segments, expected) in cases {
            assert_eq!(path(segments).to_string(), expected);
        }
    }
}
