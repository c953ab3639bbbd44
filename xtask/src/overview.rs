//! The "Other versions" section of `bench/corpus.md`: one row per version corpus (`cargo xtask
//! corpus --swagger2`, `--openapi31`), next to the 3.0 numbers that `cargo xtask corpus`
//! writes. Each full run of a version corpus replaces its own row; the 3.0 run keeps the
//! section as it is when it rewrites the file.

const BEGIN: &str =
    "<!-- other versions: written by `cargo xtask corpus --swagger2|--openapi31` -->";
const END: &str = "<!-- end of other versions -->";
const HEADER: &str =
    "## Other versions\n\nEach set's own report has its sources, failures and warnings.\n\n\
| set | documents | generate | compile | generator warnings by kind | report |\n\
|---|---:|---:|---:|---|---|";

/// `md` (the text of `bench/corpus.md`) with the row of the set `label` replaced by `row`
/// (added if missing); the section is made at the end if the file has none.
pub(crate) fn with_row(md: &str, label: &str, row: &str) -> String {
    let (before, rows, after) = split(md);
    let key = format!("| {label} |");
    let mut rows: Vec<String> = rows.into_iter().filter(|r| !r.starts_with(&key)).collect();
    rows.push(row.to_string());
    rows.sort();
    join(before, &rows, after)
}

/// The new text of `bench/corpus.md` (`fresh`, without the section) with the section of the
/// file it replaces (`old`), if that had one.
pub(crate) fn carried_over(old: &str, fresh: String) -> String {
    let (_, rows, _) = split(old);
    if rows.is_empty() {
        return fresh;
    }
    join(&fresh, &rows, "")
}

/// The text before the section, the section's rows, the text after it.
fn split(md: &str) -> (&str, Vec<String>, &str) {
    let Some(start) = md.find(BEGIN) else {
        return (md, Vec::new(), "");
    };
    let Some(end) = md[start..].find(END).map(|e| start + e) else {
        return (md, Vec::new(), "");
    };
    let rows = md[start..end]
        .lines()
        .filter(|l| l.starts_with("| ") && !l.starts_with("| set |"))
        .map(str::to_string)
        .collect();
    (&md[..start], rows, &md[end + END.len()..])
}

fn join(before: &str, rows: &[String], after: &str) -> String {
    let mut out = before.trim_end().to_string();
    out.push_str("\n\n");
    out.push_str(BEGIN);
    out.push('\n');
    out.push_str(HEADER);
    out.push('\n');
    for row in rows {
        out.push_str(row);
        out.push('\n');
    }
    out.push_str(END);
    out.push('\n');
    out.push_str(after.trim_start_matches('\n'));
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rows_are_replaced_kept_and_carried_over() {
        let md = "# Corpus\n\n## Targets\n\n- met\n";
        let one = with_row(md, "Swagger 2.0", "| Swagger 2.0 | 1 | 1 | 1 | none | r |");
        let two = with_row(
            &one,
            "OpenAPI 3.1",
            "| OpenAPI 3.1 | 2 | 2 | 2 | none | r |",
        );
        let again = with_row(
            &two,
            "Swagger 2.0",
            "| Swagger 2.0 | 3 | 3 | 3 | none | r |",
        );
        assert!(again.starts_with(md.trim_end()), "{again}");
        assert!(again.contains("| OpenAPI 3.1 | 2 |"), "{again}");
        assert!(again.contains("| Swagger 2.0 | 3 |"), "{again}");
        assert!(!again.contains("| Swagger 2.0 | 1 |"), "{again}");
        let fresh = carried_over(&again, "# Corpus\n\nnew numbers\n".to_string());
        assert!(fresh.starts_with("# Corpus\n\nnew numbers"), "{fresh}");
        assert!(fresh.contains("| Swagger 2.0 | 3 |") && fresh.contains("| OpenAPI 3.1 | 2 |"));
        assert_eq!(carried_over("no section", "x".to_string()), "x");
    }
}
