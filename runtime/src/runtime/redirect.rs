//! Following redirects without leaking credentials.
//!
//! The HTTP client follows none itself; [`next_hop`] decides each one, so that the decision
//! can see which headers are credentials. Within the origin of the call's first request
//! (scheme, host and port), a redirect is followed as `reqwest` would: `303`, and `301` or
//! `302` after anything but `GET` or `HEAD`, become a `GET` without a body; `307` and `308`
//! repeat the method and body. A redirect to another origin is followed only by the safe
//! methods (`GET`, `HEAD`), and only after every credential the client adds is removed:
//! `Authorization`, the API-key header, cookies (auth cookies included) and the API-key
//! query parameter. Credentials are not added again for the rest of the call, even if a
//! later redirect comes back. A same-origin redirect keeps them, the query key included
//! (the `Location` URL does not repeat it).

use reqwest::header::{self, HeaderMap, HeaderName};
use reqwest::{Method, StatusCode, Url};

use super::credentials::set_query_param;

/// At most this many redirects are followed in one call; the response after the last one
/// is returned as it is (a `3xx` the operation's decoding reports).
pub(super) const MAX_REDIRECTS: u32 = 10;

/// Where the client puts an API key, besides the headers every scheme may use
/// (`Authorization`, `Cookie`).
#[derive(Debug, Clone)]
pub(super) enum Credential {
    Header(HeaderName),
    Query(&'static str),
}

/// The request to send after a response with `status` and `headers` to `sent`, or `None`
/// when the response is not a redirect to follow. `origin` is the URL of the call's first
/// request; `credentials` where the client puts its API keys, when elsewhere than the
/// `Authorization` or `Cookie` header.
pub(super) fn next_hop(
    status: StatusCode,
    headers: &HeaderMap,
    sent: &reqwest::Request,
    origin: &Url,
    credentials: &[Credential],
) -> Option<reqwest::Request> {
    let keeps_method = match status {
        StatusCode::MOVED_PERMANENTLY | StatusCode::FOUND | StatusCode::SEE_OTHER => false,
        StatusCode::TEMPORARY_REDIRECT | StatusCode::PERMANENT_REDIRECT => true,
        _ => return None,
    };
    let location = headers.get(header::LOCATION)?.to_str().ok()?;
    let target = sent.url().join(location).ok()?;
    if !matches!(target.scheme(), "http" | "https") {
        return None;
    }
    let safe = matches!(*sent.method(), Method::GET | Method::HEAD);
    let same_origin = target.origin() == origin.origin();
    if !same_origin && !safe {
        return None;
    }
    let mut next = sent.try_clone()?;
    *next.url_mut() = target;
    for credential in credentials {
        let Credential::Query(name) = credential else {
            continue;
        };
        // Same origin: the key the request carried (the `Location` does not repeat it);
        // another origin: none, even one the `Location` names.
        let key = sent
            .url()
            .query_pairs()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.into_owned());
        let has_key = next.url().query_pairs().any(|(k, _)| k == *name);
        match key {
            Some(key) if same_origin && !has_key => {
                set_query_param(next.url_mut(), name, Some(&key));
            }
            _ if !same_origin && has_key => set_query_param(next.url_mut(), name, None),
            _ => {}
        }
    }
    let to_get = !keeps_method && (status == StatusCode::SEE_OTHER || !safe);
    if to_get && *sent.method() != Method::HEAD {
        *next.method_mut() = Method::GET;
        *next.body_mut() = None;
        for name in [
            header::CONTENT_TYPE,
            header::CONTENT_LENGTH,
            header::CONTENT_ENCODING,
        ] {
            next.headers_mut().remove(name);
        }
    }
    if !same_origin {
        strip_credentials(next.headers_mut(), credentials);
    }
    Some(next)
}

/// Removes every credential header the client may have added.
fn strip_credentials(headers: &mut HeaderMap, credentials: &[Credential]) {
    for name in [
        header::AUTHORIZATION,
        header::PROXY_AUTHORIZATION,
        header::COOKIE,
    ] {
        headers.remove(name);
    }
    for credential in credentials {
        if let Credential::Header(name) = credential {
            headers.remove(name);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn request(method: Method, url: &str) -> reqwest::Request {
        let mut request = reqwest::Request::new(method, Url::parse(url).unwrap());
        let headers = request.headers_mut();
        headers.insert(header::AUTHORIZATION, "Bearer T".parse().unwrap());
        headers.insert("x-api-key", "K".parse().unwrap());
        headers.insert(header::COOKIE, "session=S".parse().unwrap());
        headers.insert(header::ACCEPT, "application/json".parse().unwrap());
        headers.insert(header::CONTENT_TYPE, "text/plain".parse().unwrap());
        *request.body_mut() = Some("body".into());
        request
    }

    fn location(to: &str) -> HeaderMap {
        let mut headers = HeaderMap::new();
        headers.insert(header::LOCATION, to.parse().unwrap());
        headers
    }

    fn hop_with(
        status: u16,
        method: Method,
        to: &str,
        credential: &Credential,
    ) -> Option<reqwest::Request> {
        let sent = request(method, "http://127.0.0.1:8000/api/x?q=1&api_key=K");
        let origin = Url::parse("http://127.0.0.1:8000/api").unwrap();
        next_hop(
            StatusCode::from_u16(status).unwrap(),
            &location(to),
            &sent,
            &origin,
            std::slice::from_ref(credential),
        )
    }

    fn hop(status: u16, method: Method, to: &str) -> Option<reqwest::Request> {
        let key = Credential::Header(HeaderName::from_static("x-api-key"));
        hop_with(status, method, to, &key)
    }

    #[test]
    fn query_keys_follow_same_origin_redirects_only() {
        let key = Credential::Query("api_key");
        let next = hop_with(302, Method::GET, "/api/y?page=2", &key).unwrap();
        assert_eq!(next.url().query(), Some("page=2&api_key=K"));
        let next = hop_with(302, Method::GET, "http://cdn.test/f?api_key=K&sig=2", &key).unwrap();
        assert_eq!(next.url().query(), Some("sig=2"));
        let next = hop_with(302, Method::GET, "http://cdn.test/f?api_key=K", &key).unwrap();
        assert_eq!(next.url().as_str(), "http://cdn.test/f");
    }

    #[test]
    fn same_origin_redirects_keep_credentials() {
        let next = hop(302, Method::GET, "/api/y").expect("followed");
        assert_eq!(next.url().as_str(), "http://127.0.0.1:8000/api/y");
        assert!(next.headers().contains_key(header::AUTHORIZATION));
        assert!(next.headers().contains_key("x-api-key"));
        assert_eq!(next.method(), Method::GET);
    }

    #[test]
    fn cross_origin_redirects_of_safe_methods_drop_every_credential() {
        for status in [301, 302, 303, 307, 308] {
            let next = hop(status, Method::GET, "http://127.0.0.1:9000/file?sig=1").unwrap();
            assert_eq!(next.url().as_str(), "http://127.0.0.1:9000/file?sig=1");
            for name in ["authorization", "x-api-key", "cookie"] {
                assert!(!next.headers().contains_key(name), "{status} {name}");
            }
            assert!(next.headers().contains_key(header::ACCEPT));
        }
        assert!(hop(302, Method::POST, "http://127.0.0.1:9000/x").is_none());
        assert!(hop(307, Method::PUT, "http://other.example/x").is_none());
    }

    #[test]
    fn methods_change_as_browsers_change_them() {
        let next = hop(303, Method::POST, "/api/done").unwrap();
        assert_eq!(next.method(), Method::GET);
        assert!(next.body().is_none());
        assert!(!next.headers().contains_key(header::CONTENT_TYPE));
        let next = hop(302, Method::POST, "/api/done").unwrap();
        assert_eq!(next.method(), Method::GET);
        let next = hop(307, Method::POST, "/api/again").unwrap();
        assert_eq!(next.method(), Method::POST);
        assert!(next.body().is_some());
        let next = hop(301, Method::HEAD, "/api/moved").unwrap();
        assert_eq!(next.method(), Method::HEAD);
    }

    #[test]
    fn only_http_redirects_with_a_location_are_followed() {
        assert!(hop(302, Method::GET, "file:///etc/passwd").is_none());
        assert!(hop(302, Method::GET, "javascript:alert(1)").is_none());
        assert!(hop(304, Method::GET, "/api/y").is_none());
        assert!(hop(200, Method::GET, "/api/y").is_none());
    }

    #[test]
    fn every_key_of_a_client_with_two_is_dropped_on_cross_origin_redirects() {
        let mut sent = request(Method::GET, "http://127.0.0.1:8000/api/x?api_key=K");
        sent.headers_mut()
            .insert("x-client-id", "C".parse().unwrap());
        let origin = Url::parse("http://127.0.0.1:8000/api").unwrap();
        let keys = [
            Credential::Header(HeaderName::from_static("x-api-key")),
            Credential::Header(HeaderName::from_static("x-client-id")),
            Credential::Query("api_key"),
        ];
        let to =
            |url: &str| next_hop(StatusCode::FOUND, &location(url), &sent, &origin, &keys).unwrap();
        let next = to("http://cdn.test/f?api_key=K");
        assert_eq!(next.url().as_str(), "http://cdn.test/f");
        for name in ["x-api-key", "x-client-id", "authorization"] {
            assert!(!next.headers().contains_key(name), "{name}");
        }
        let next = to("/api/y");
        assert_eq!(next.url().query(), Some("api_key=K"));
        assert_eq!(next.headers()["x-client-id"], "C");
    }
}
