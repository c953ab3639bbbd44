//! Security: the credential the client sends, and the scopes each operation requires.

use openapiv3::{ReferenceOr, SecurityScheme};
use serde_json::Value;

use super::Lower;
use crate::ir::{ApiKey, Auth};
use crate::naming::{self, Scope};

impl<'a> Lower<'a> {
    /// The scopes an operation requires: `x-required-scopes`, else its security requirements.
    pub(super) fn scopes(&self, op: &openapiv3::Operation) -> Vec<String> {
        if let Some(Value::Array(list)) = op.extensions.get("x-required-scopes") {
            return list
                .iter()
                .filter_map(|v| v.as_str().map(String::from))
                .collect();
        }
        let security = op.security.as_ref().or(self.spec.security.as_ref());
        let mut scopes: Vec<String> = security
            .into_iter()
            .flatten()
            .flat_map(|req| req.values().flatten().cloned())
            .collect();
        scopes.sort();
        scopes.dedup();
        scopes
    }

    /// The credential the client sends: the first security scheme that a requirement names;
    /// and the API keys that requirement names with it (sent together, as API Setu's
    /// `X-APISETU-APIKEY` and `X-APISETU-CLIENTID`).
    pub(super) fn auth(&self) -> (Auth, Vec<ApiKey>) {
        let Some(components) = &self.spec.components else {
            return (Auth::None, Vec::new());
        };
        let mut requirements = self.spec.security.iter().flatten().collect::<Vec<_>>();
        for (_, item) in self.spec.paths.iter() {
            if let ReferenceOr::Item(item) = item {
                for (_, op) in item.iter() {
                    requirements.extend(op.security.iter().flatten());
                }
            }
        }
        let scheme = |name: &str| match components.security_schemes.get(name) {
            Some(ReferenceOr::Item(scheme)) => Some(match scheme {
                SecurityScheme::APIKey { location, name, .. } => match location {
                    openapiv3::APIKeyLocation::Header => Auth::ApiKeyHeader(name.clone()),
                    openapiv3::APIKeyLocation::Query => Auth::ApiKeyQuery(name.clone()),
                    openapiv3::APIKeyLocation::Cookie => Auth::ApiKeyCookie(name.clone()),
                },
                SecurityScheme::HTTP { scheme, .. } if scheme.eq_ignore_ascii_case("basic") => {
                    Auth::Basic
                }
                _ => Auth::Bearer,
            }),
            _ => None,
        };
        for req in requirements {
            let mut schemes = req.keys().filter_map(|name| Some((name, scheme(name)?)));
            let Some((_, auth)) = schemes.next() else {
                continue;
            };
            let mut names = Scope::default();
            let mut keys: Vec<ApiKey> = Vec::new();
            for (name, other) in schemes {
                let is_key = matches!(
                    other,
                    Auth::ApiKeyHeader(_) | Auth::ApiKeyQuery(_) | Auth::ApiKeyCookie(_)
                );
                if is_key && other != auth && keys.iter().all(|k| k.auth != other) {
                    keys.push(ApiKey {
                        name: names.claim(&naming::const_name(name)),
                        scheme: name.clone(),
                        auth: other,
                    });
                }
            }
            return (auth, keys);
        }
        (Auth::None, Vec::new())
    }
}
