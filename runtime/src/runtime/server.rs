//! Servers: the URL templates of the spec's `servers` (`https://{region}.api.example.com`)
//! filled with their variables, and the servers of single operations (GitHub sends release
//! asset uploads to `https://uploads.github.com`), each of which the builder can replace.

/// The server variables and replaced servers set on the builder.
#[derive(Debug, Clone, Default)]
pub(super) struct Servers {
    /// Values of server variables, by name, as set on the builder.
    pub(super) variables: Vec<(String, String)>,
    /// Operation servers replaced on the builder: the server's URL as the spec gives it
    /// (its variables at their defaults), and the base URL to use instead (validated).
    pub(super) replaced: Vec<(String, String)>,
}

impl Servers {
    /// `template` with each `{variable}` filled: the builder's value, else its default.
    pub(super) fn fill(&self, template: &str, defaults: &[(&str, &str)]) -> Result<String, String> {
        fill(template, |name| {
            self.variables
                .iter()
                .find(|(n, _)| n == name)
                .map(|(_, v)| v.as_str())
                .or_else(|| lookup(defaults, name))
        })
    }

    /// The base URL of an operation whose server is `template` (with `defaults`): the
    /// builder's replacement, else the template filled, without a trailing slash.
    pub(super) fn operation_base(
        &self,
        template: &str,
        defaults: &[(&str, &str)],
    ) -> Result<String, String> {
        let as_specified = fill(template, |name| lookup(defaults, name))?;
        let as_specified = as_specified.trim_end_matches('/');
        if let Some((_, url)) = self
            .replaced
            .iter()
            .find(|(spec, _)| spec.trim_end_matches('/') == as_specified)
        {
            return Ok(url.clone());
        }
        let filled = self.fill(template, defaults)?;
        super::builder::validate_base_url(&filled).map_err(|e| e.to_string())
    }
}

fn lookup<'a>(defaults: &[(&str, &'a str)], name: &str) -> Option<&'a str> {
    defaults.iter().find(|(n, _)| *n == name).map(|(_, v)| *v)
}

/// `template` with each `{name}` replaced by `value(name)`; an error names the first
/// variable without a value.
fn fill<'v>(template: &str, value: impl Fn(&str) -> Option<&'v str>) -> Result<String, String> {
    let mut out = String::with_capacity(template.len());
    let mut rest = template;
    while let Some(open) = rest.find('{') {
        let Some(close) = rest[open..].find('}') else {
            break;
        };
        let name = &rest[open + 1..open + close];
        out.push_str(&rest[..open]);
        match value(name) {
            Some(v) => out.push_str(v),
            None => {
                return Err(format!(
                    "no value for the server variable `{name}` of `{template}`"
                ))
            }
        }
        rest = &rest[open + close + 1..];
    }
    out.push_str(rest);
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    const DEFAULTS: &[(&str, &str)] = &[("region", "eu"), ("version", "v1")];

    #[test]
    fn variables_take_the_builder_s_value_else_their_default() {
        let mut servers = Servers::default();
        assert_eq!(
            servers.fill("https://{region}.example.com/{version}", DEFAULTS),
            Ok("https://eu.example.com/v1".to_string())
        );
        servers.variables.push(("region".into(), "us".into()));
        assert_eq!(
            servers.fill("https://{region}.example.com/{version}", DEFAULTS),
            Ok("https://us.example.com/v1".to_string())
        );
        assert!(servers
            .fill("https://{tenant}.example.com", DEFAULTS)
            .unwrap_err()
            .contains("`tenant`"));
    }

    #[test]
    fn operation_servers_can_be_replaced() {
        let mut servers = Servers::default();
        let origin: &[(&str, &str)] = &[("origin", "https://uploads.github.com")];
        assert_eq!(
            servers.operation_base("{origin}", origin),
            Ok("https://uploads.github.com".to_string())
        );
        servers.replaced.push((
            "https://uploads.github.com/".into(),
            "http://127.0.0.1:9".into(),
        ));
        assert_eq!(
            servers.operation_base("{origin}", origin),
            Ok("http://127.0.0.1:9".to_string())
        );
        let mut by_variable = Servers::default();
        by_variable
            .variables
            .push(("origin".into(), "http://127.0.0.1:8/".into()));
        assert_eq!(
            by_variable.operation_base("{origin}", origin),
            Ok("http://127.0.0.1:8".to_string())
        );
        by_variable.variables[0].1 = "not a url".into();
        assert!(by_variable.operation_base("{origin}", origin).is_err());
    }
}
