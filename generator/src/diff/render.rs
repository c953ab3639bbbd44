//! Reports as text (terminals), Markdown (pull-request comments) and JSON (tools), each ending
//! with the version bump the changes imply.

use std::fmt::{self, Write as _};

use super::{ApiStatus, Class, Entry, Report, Subject};

/// An output format.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Format {
    /// Plain text, one line per change.
    #[default]
    Text,
    /// A Markdown table per API.
    Markdown,
    /// One JSON document.
    Json,
}

impl std::str::FromStr for Format {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        match s {
            "text" => Ok(Format::Text),
            "markdown" | "md" => Ok(Format::Markdown),
            "json" => Ok(Format::Json),
            other => Err(format!("unknown format `{other}` (text, markdown or json)")),
        }
    }
}

/// A crate version, `MAJOR.MINOR.PATCH`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub struct Version {
    /// Major.
    pub major: u64,
    /// Minor.
    pub minor: u64,
    /// Patch.
    pub patch: u64,
}

impl std::str::FromStr for Version {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let core = s.split(['-', '+']).next().unwrap_or_default();
        let parts: Vec<u64> = core
            .split('.')
            .map(|p| p.parse().map_err(|_| format!("`{s}` is not a version")))
            .collect::<Result<_, _>>()?;
        match parts.as_slice() {
            [major, minor, patch] => Ok(Version {
                major: *major,
                minor: *minor,
                patch: *patch,
            }),
            _ => Err(format!("`{s}` is not a MAJOR.MINOR.PATCH version")),
        }
    }
}

impl fmt::Display for Version {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}.{}.{}", self.major, self.minor, self.patch)
    }
}

/// The release a set of changes calls for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Bump {
    /// No API change.
    None,
    /// `x.y.Z`.
    Patch,
    /// `x.Y.0`.
    Minor,
    /// `X.0.0`.
    Major,
}

impl Bump {
    /// The bump for changes whose most severe class is `highest`, from `version`. Cargo's
    /// rule: versions are compatible when their first non-zero component is equal. So from
    /// 1.0 on, breaking → major, compatible → minor, doc only → patch; in 0.x a breaking
    /// change bumps the minor version and anything else the patch version.
    pub fn implied(highest: Option<Class>, version: Version) -> Bump {
        match (highest, version.major) {
            (None, _) => Bump::None,
            (Some(Class::Breaking), 0) => Bump::Minor,
            (Some(_), 0) => Bump::Patch,
            (Some(Class::Breaking), _) => Bump::Major,
            (Some(Class::Compatible), _) => Bump::Minor,
            (Some(Class::DocOnly), _) => Bump::Patch,
        }
    }

    /// `version` bumped.
    pub fn apply(self, v: Version) -> Version {
        match self {
            Bump::None => v,
            Bump::Patch => Version {
                patch: v.patch + 1,
                ..v
            },
            Bump::Minor => Version {
                minor: v.minor + 1,
                patch: 0,
                ..v
            },
            Bump::Major => Version {
                major: v.major + 1,
                minor: 0,
                patch: 0,
            },
        }
    }

    fn name(self) -> &'static str {
        match self {
            Bump::None => "none",
            Bump::Patch => "patch",
            Bump::Minor => "minor",
            Bump::Major => "major",
        }
    }
}

/// The rule [`Bump::implied`] applies, in words, for `version`.
fn rule(version: Version) -> &'static str {
    if version.major == 0 {
        "0.x rule (Cargo: 0.x.y and 0.x.z are compatible): breaking → minor, compatible or doc only → patch"
    } else {
        "breaking → major, compatible → minor, doc only → patch"
    }
}

/// Renders the reports of one crate (`crate_name` at `version`) in `format`.
pub fn render(reports: &[Report], crate_name: &str, version: Version, format: Format) -> String {
    let highest = reports.iter().filter_map(Report::highest).max();
    let bump = Bump::implied(highest, version);
    match format {
        Format::Text => text(reports, crate_name, version, highest, bump),
        Format::Markdown => markdown(reports, crate_name, version, highest, bump),
        Format::Json => json(reports, crate_name, version, highest, bump),
    }
}

fn counts_line(report: &Report) -> String {
    let (b, c, d) = report.counts();
    if b + c + d == 0 {
        "no changes".to_string()
    } else {
        format!("{b} breaking, {c} compatible, {d} doc only")
    }
}

fn status_note(report: &Report) -> &'static str {
    match report.status {
        ApiStatus::Changed => "",
        ApiStatus::Added => " (new API)",
        ApiStatus::Removed => " (API removed)",
    }
}

fn subject_name(s: &Subject) -> String {
    match s {
        Subject::Client => "client".to_string(),
        Subject::Operation { name, endpoint } => {
            format!("{} ({endpoint})", crate::naming::unraw(name))
        }
        Subject::Type { name } => format!("type {}", crate::naming::unraw(name)),
    }
}

/// Entries grouped by subject, subjects in report order (client, operations, types).
fn grouped(report: &Report) -> Vec<(&Subject, Vec<&Entry>)> {
    let mut groups: Vec<(&Subject, Vec<&Entry>)> = Vec::new();
    for e in &report.entries {
        match groups.iter_mut().find(|(s, _)| *s == &e.subject) {
            Some((_, entries)) => entries.push(e),
            None => groups.push((&e.subject, vec![e])),
        }
    }
    groups.sort_by(|a, b| a.0.cmp(b.0));
    groups
}

fn bump_line(crate_name: &str, version: Version, highest: Option<Class>, bump: Bump) -> String {
    match highest {
        None => format!("Implied version bump for `{crate_name}` {version}: none (no API change)."),
        Some(class) => format!(
            "Implied version bump for `{crate_name}` {version}: {} → {} (the most severe change is {class}; {}).",
            bump.name(),
            bump.apply(version),
            rule(version)
        ),
    }
}

fn text(
    reports: &[Report],
    crate_name: &str,
    version: Version,
    highest: Option<Class>,
    bump: Bump,
) -> String {
    let mut out = String::new();
    for report in reports {
        let _ = writeln!(
            out,
            "API changes in {}{}: {}",
            report.api,
            status_note(report),
            counts_line(report)
        );
        for (subject, entries) in grouped(report) {
            let _ = writeln!(out, "  {}", subject_name(subject));
            for e in entries {
                let _ = writeln!(
                    out,
                    "    {:<10}  {}: {}",
                    e.change.class().to_string(),
                    e.change,
                    e.change.reason()
                );
            }
        }
    }
    let _ = writeln!(out, "{}", bump_line(crate_name, version, highest, bump));
    out
}

/// A Markdown table cell: no pipes or line breaks.
fn cell(text: &str) -> String {
    text.replace('|', "\\|").replace('\n', " ")
}

fn markdown(
    reports: &[Report],
    crate_name: &str,
    version: Version,
    highest: Option<Class>,
    bump: Bump,
) -> String {
    let mut out = String::from("### API changes\n");
    for report in reports {
        let _ = writeln!(
            out,
            "\n**`{}`**{}: {}\n",
            report.api,
            status_note(report),
            counts_line(report)
        );
        if report.entries.is_empty() {
            continue;
        }
        out.push_str("| Class | Item | Change | Why |\n|---|---|---|---|\n");
        for (subject, entries) in grouped(report) {
            let item = match subject {
                Subject::Client => "client".to_string(),
                Subject::Operation { name, endpoint } => {
                    format!("`{}` (`{endpoint}`)", crate::naming::unraw(name))
                }
                Subject::Type { name } => format!("type `{}`", crate::naming::unraw(name)),
            };
            for e in entries {
                let class = match e.change.class() {
                    Class::Breaking => "**breaking**".to_string(),
                    other => other.to_string(),
                };
                let _ = writeln!(
                    out,
                    "| {class} | {} | {} | {} |",
                    cell(&item),
                    cell(&e.change.to_string()),
                    cell(&e.change.reason())
                );
            }
        }
    }
    let _ = writeln!(out, "\n{}", bump_line(crate_name, version, highest, bump));
    out
}

fn json(
    reports: &[Report],
    crate_name: &str,
    version: Version,
    highest: Option<Class>,
    bump: Bump,
) -> String {
    use serde_json::{json, Value};
    let apis: Vec<Value> = reports
        .iter()
        .map(|r| {
            let (b, c, d) = r.counts();
            let changes: Vec<Value> = r
                .entries
                .iter()
                .map(|e| {
                    let mut v = serde_json::to_value(&e.change).unwrap_or(Value::Null);
                    if let Value::Object(map) = &mut v {
                        map.insert(
                            "subject".into(),
                            serde_json::to_value(&e.subject).unwrap_or(Value::Null),
                        );
                        map.insert("class".into(), json!(e.change.class()));
                        map.insert("summary".into(), json!(e.change.to_string()));
                        map.insert("reason".into(), json!(e.change.reason()));
                    }
                    v
                })
                .collect();
            json!({
                "api": r.api,
                "status": r.status,
                "counts": {"breaking": b, "compatible": c, "doc_only": d},
                "changes": changes,
            })
        })
        .collect();
    let doc = json!({
        "crate": crate_name,
        "version": version.to_string(),
        "apis": apis,
        "highest": highest,
        "bump": {
            "level": bump.name(),
            "to": bump.apply(version).to_string(),
            "rule": rule(version),
        },
    });
    let mut text = serde_json::to_string_pretty(&doc).unwrap_or_default();
    text.push('\n');
    text
}
