//! Credentials on 127.0.0.1: where each authentication scheme puts the token, that nothing
//! is sent without one, that `Debug` never shows it, that a token or base URL that cannot be
//! sent is refused when building, and that redirects never carry it to another origin.

use super::common::{Api, TOKEN};
use generator_runtime::{AuthScheme, BuildError, Error, QueryStyle, StatusCode};
use wiremock::matchers::{any, path};
use wiremock::{Mock, MockServer, Request, ResponseTemplate};

async fn ok_server() -> MockServer {
    let server = MockServer::start().await;
    Mock::given(any())
        .respond_with(ResponseTemplate::new(200).set_body_string("ok"))
        .mount(&server)
        .await;
    server
}

fn client(server: &MockServer, scheme: AuthScheme, token: Option<&str>) -> Api {
    let mut builder = super::common::builder(&server.uri(), scheme);
    if let Some(token) = token {
        builder = builder.token(token);
    }
    builder.build().unwrap()
}

/// Sends a GET with a query and a cookie parameter of its own, next to which the credential
/// must sit.
async fn send_with_params(client: &Api, server: &MockServer) -> Request {
    server.reset().await;
    Mock::given(any())
        .respond_with(ResponseTemplate::new(200))
        .mount(server)
        .await;
    let mut request = client.request("GET", "/me");
    request.query("q", "1", QueryStyle::Repeat);
    request.cookie("theme", "dark");
    client.text(request).await.expect("200");
    let mut requests = server.received_requests().await.unwrap();
    assert_eq!(requests.len(), 1);
    requests.remove(0)
}

fn header<'a>(request: &'a Request, name: &str) -> Option<&'a str> {
    request.headers.get(name).map(|v| v.to_str().unwrap())
}

/// Each scheme as the server sees it: the `Authorization` header (Bearer, Basic), a named
/// header, a query parameter after the request's own, a cookie after the request's own.
#[tokio::test]
async fn each_scheme_sends_the_token_where_it_belongs() {
    let server = ok_server().await;
    // Basic takes the token as given: the base64 of `user:password`.
    let basic = "dXNlcjpwYXNz";
    let cases: [(AuthScheme, &str, Option<&str>, &str, &str); 5] = [
        (
            AuthScheme::Bearer,
            TOKEN,
            Some("Bearer TOKEN"),
            "q=1",
            "theme=dark",
        ),
        (
            AuthScheme::Basic,
            basic,
            Some("Basic dXNlcjpwYXNz"),
            "q=1",
            "theme=dark",
        ),
        (
            AuthScheme::Header("X-Api-Key"),
            TOKEN,
            None,
            "q=1",
            "theme=dark",
        ),
        (
            AuthScheme::Query("api_key"),
            TOKEN,
            None,
            "q=1&api_key=TOKEN",
            "theme=dark",
        ),
        (
            AuthScheme::Cookie("sid"),
            TOKEN,
            None,
            "q=1",
            "theme=dark; sid=TOKEN",
        ),
    ];
    for (scheme, token, authorization, query, cookie) in cases {
        let request = send_with_params(&client(&server, scheme, Some(token)), &server).await;
        assert_eq!(
            header(&request, "authorization"),
            authorization,
            "{scheme:?}"
        );
        let expected_key = matches!(scheme, AuthScheme::Header(_)).then_some(TOKEN);
        assert_eq!(header(&request, "x-api-key"), expected_key, "{scheme:?}");
        assert_eq!(request.url.query(), Some(query), "{scheme:?}");
        assert_eq!(header(&request, "cookie"), Some(cookie), "{scheme:?}");
    }
}

/// Without a token (or with `AuthScheme::None`) the request carries no credential at all.
#[tokio::test]
async fn nothing_is_sent_without_a_token() {
    let server = ok_server().await;
    for scheme in [
        AuthScheme::Bearer,
        AuthScheme::Basic,
        AuthScheme::Header("X-Api-Key"),
        AuthScheme::Query("api_key"),
        AuthScheme::Cookie("sid"),
    ] {
        let request = send_with_params(&client(&server, scheme, None), &server).await;
        assert_eq!(header(&request, "authorization"), None, "{scheme:?}");
        assert_eq!(header(&request, "x-api-key"), None, "{scheme:?}");
        assert_eq!(request.url.query(), Some("q=1"), "{scheme:?}");
        assert_eq!(header(&request, "cookie"), Some("theme=dark"), "{scheme:?}");
    }
    let request = send_with_params(&client(&server, AuthScheme::None, Some(TOKEN)), &server).await;
    assert!(
        request
            .headers
            .values()
            .all(|v| !v.to_str().unwrap().contains(TOKEN)),
        "{:?}",
        request.headers
    );
    assert_eq!(request.url.query(), Some("q=1"));
}

/// `Debug` of a builder or a client never shows the token.
#[test]
fn debug_never_shows_the_token() {
    let secret = "s3cr3t-T0KEN-value";
    for scheme in [
        AuthScheme::Bearer,
        AuthScheme::Basic,
        AuthScheme::Header("X-Api-Key"),
        AuthScheme::Query("api_key"),
        AuthScheme::Cookie("sid"),
    ] {
        let builder = super::common::builder("https://api.example.com", scheme).token(secret);
        let builder_text = [format!("{builder:?}"), format!("{builder:#?}")];
        let client = builder.build().unwrap();
        for text in builder_text
            .into_iter()
            .chain([format!("{client:?}"), format!("{client:#?}")])
        {
            assert!(!text.contains("s3cr3t"), "{scheme:?}: {text}");
            assert!(text.contains("redacted"), "{scheme:?}: {text}");
        }
    }
}

/// A token with CR or LF (header injection) or another control character is refused when the
/// client is built, and the error does not echo it.
#[test]
fn a_token_that_cannot_be_sent_is_refused_when_building() {
    for token in [
        "abc\r\nX-Evil: 1",
        "abc\nX-Evil: 1",
        "abc\r",
        "\nabc",
        "ab\0c",
        "ab\tc\u{7f}",
    ] {
        for scheme in [AuthScheme::Bearer, AuthScheme::Header("X-Key")] {
            match super::common::builder("https://x", scheme)
                .token(token)
                .build()
            {
                Err(error @ BuildError::InvalidToken(_)) => {
                    assert!(!error.to_string().contains("abc"), "{error}");
                }
                other => panic!("{token:?}: expected InvalidToken, got {other:?}"),
            }
        }
    }
    assert!(super::common::builder("https://x", AuthScheme::Bearer)
        .token("a-normal_token.123")
        .build()
        .is_ok());
}

/// The base URL is validated when the client is built; no URL at all is its own error.
#[test]
fn the_base_url_is_validated_when_building() {
    for url in [
        "",
        "not a url",
        "ftp://api.example.com",
        "api.example.com",
        "https://",
        "https://host/?a=1",
        "https://host/#f",
        "file:///etc/passwd",
    ] {
        match super::common::builder(url, AuthScheme::None).build() {
            Err(BuildError::InvalidBaseUrl {
                url: refused,
                reason,
            }) => {
                assert_eq!(refused, url);
                assert!(!reason.is_empty());
            }
            other => panic!("{url:?}: expected InvalidBaseUrl, got {other:?}"),
        }
    }
    assert!(matches!(
        generator_runtime::ClientBuilder::<Api>::new(None, AuthScheme::None).build(),
        Err(BuildError::MissingBaseUrl)
    ));
}

// ---- redirects ------------------------------------------------------------------------------

/// A redirect to another origin is not followed, whatever the scheme: the 3xx comes back as
/// an undocumented status with its `Location`, and nothing (so no credential, not even one in
/// a custom header, which HTTP clients strip only from `Authorization` and cookies) reaches
/// the other server. A same-origin redirect is followed with the credential; a same-origin
/// loop ends with a transport error.
#[tokio::test]
async fn redirects_stay_on_the_same_origin() {
    let other = ok_server().await;
    let server = MockServer::start().await;
    let location = format!("{}/elsewhere", other.uri());
    Mock::given(path("/away"))
        .respond_with(ResponseTemplate::new(307).insert_header("Location", location.as_str()))
        .mount(&server)
        .await;
    Mock::given(path("/moving"))
        .respond_with(ResponseTemplate::new(308).insert_header("Location", "/moved"))
        .mount(&server)
        .await;
    Mock::given(path("/moved"))
        .respond_with(ResponseTemplate::new(200).set_body_string("here"))
        .mount(&server)
        .await;
    Mock::given(path("/loop"))
        .respond_with(ResponseTemplate::new(301).insert_header("Location", "/loop"))
        .mount(&server)
        .await;

    for scheme in [
        AuthScheme::Bearer,
        AuthScheme::Header("X-Api-Key"),
        AuthScheme::Query("api_key"),
        AuthScheme::Cookie("sid"),
    ] {
        let client = client(&server, scheme, Some(TOKEN));
        match client.get("/away").await {
            Err(Error::UnexpectedStatus {
                status, headers, ..
            }) => {
                assert_eq!(status, StatusCode::TEMPORARY_REDIRECT);
                assert_eq!(headers["location"], location.as_str());
            }
            other => panic!("{scheme:?}: expected the 307 itself, got {other:?}"),
        }
        assert!(
            other.received_requests().await.unwrap().is_empty(),
            "{scheme:?}: a request reached the other origin"
        );

        let moved = client.get("/moving").await.expect("followed");
        assert_eq!(moved.into_inner(), "here");
        let requests = server.received_requests().await.unwrap();
        let last = requests.last().unwrap();
        assert_eq!(last.url.path(), "/moved");
        let carried = last
            .headers
            .values()
            .any(|v| v.to_str().unwrap().contains(TOKEN))
            || last.url.query().is_some_and(|q| q.contains(TOKEN));
        assert!(
            carried,
            "{scheme:?}: the same-origin redirect keeps the credential"
        );
    }

    let client = client(&server, AuthScheme::Bearer, Some(TOKEN));
    let error = client.get("/loop").await.expect_err("a loop");
    assert!(
        matches!(&error, Error::Transport(e) if e.is_redirect()),
        "{error:?}"
    );
}
