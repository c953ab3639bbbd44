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

/// Without a token the request carries no credential at all; a token for an API that
/// declares no scheme is refused when building (it would silently not be sent), and
/// `auth_scheme` says how to send it.
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
    let refused = super::common::builder(&server.uri(), AuthScheme::None)
        .token(TOKEN)
        .build();
    assert!(
        matches!(refused, Err(BuildError::NoAuthScheme)),
        "{refused:?}"
    );
    let chosen = super::common::builder(&server.uri(), AuthScheme::None)
        .auth_scheme(AuthScheme::Bearer)
        .token(TOKEN)
        .build()
        .unwrap();
    let request = send_with_params(&chosen, &server).await;
    assert_eq!(
        header(&request, "authorization"),
        Some(format!("Bearer {TOKEN}").as_str())
    );
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

/// A redirect to another origin is followed by safe methods with every credential removed,
/// whatever the scheme (HTTP clients strip only `Authorization` and cookies; an API key in a
/// custom header or the query would follow): the other server (another port on 127.0.0.1,
/// so another origin) sees no token. An unsafe method gets the 3xx itself, and nothing
/// reaches the other server. A same-origin redirect is followed with the credential; a loop
/// ends after ten hops with the last 3xx.
#[tokio::test]
async fn redirects_carry_credentials_only_within_their_origin() {
    let other = ok_server().await;
    let server = MockServer::start().await;
    let location = format!("{}/elsewhere?sig=1", other.uri());
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
    let carries_token = |request: &Request| {
        request
            .headers
            .values()
            .any(|v| v.to_str().unwrap().contains(TOKEN))
            || request.url.query().is_some_and(|q| q.contains(TOKEN))
    };

    for scheme in [
        AuthScheme::Bearer,
        AuthScheme::Basic,
        AuthScheme::Header("X-Api-Key"),
        AuthScheme::Query("api_key"),
        AuthScheme::Cookie("sid"),
    ] {
        other.reset().await;
        Mock::given(any())
            .respond_with(ResponseTemplate::new(200).set_body_string("ok"))
            .mount(&other)
            .await;
        let client = client(&server, scheme, Some(TOKEN));
        let followed = client.get("/away").await.expect("followed");
        assert_eq!(followed.into_inner(), "ok");
        let reached = other.received_requests().await.unwrap();
        assert_eq!(reached.len(), 1, "{scheme:?}");
        assert_eq!(reached[0].url.path(), "/elsewhere");
        assert_eq!(reached[0].url.query(), Some("sig=1"));
        assert!(
            !carries_token(&reached[0]),
            "{scheme:?}: the token reached the other origin: {:?}",
            reached[0]
        );

        match client.post("/away").await {
            Err(Error::UnexpectedStatus {
                status, headers, ..
            }) => {
                assert_eq!(status, StatusCode::TEMPORARY_REDIRECT);
                assert_eq!(headers["location"], location.as_str());
            }
            other => panic!("{scheme:?}: expected the 307 itself, got {other:?}"),
        }
        assert_eq!(
            other.received_requests().await.unwrap().len(),
            1,
            "{scheme:?}: a POST reached the other origin"
        );

        let moved = client.get("/moving").await.expect("followed");
        assert_eq!(moved.into_inner(), "here");
        let requests = server.received_requests().await.unwrap();
        let last = requests.last().unwrap();
        assert_eq!(last.url.path(), "/moved");
        assert!(
            carries_token(last),
            "{scheme:?}: the same-origin redirect keeps the credential"
        );
    }

    server.reset().await;
    Mock::given(path("/loop"))
        .respond_with(ResponseTemplate::new(301).insert_header("Location", "/loop"))
        .mount(&server)
        .await;
    let client = client(&server, AuthScheme::Bearer, Some(TOKEN));
    match client.get("/loop").await {
        Err(Error::UnexpectedStatus { status, .. }) => {
            assert_eq!(status, StatusCode::MOVED_PERMANENTLY)
        }
        other => panic!("expected the last 301, got {other:?}"),
    }
    assert_eq!(server.received_requests().await.unwrap().len(), 11);
}

/// An API that requires two keys together (a key and a client id): the token goes where the
/// scheme says and each further key where its own scheme says, next to the request's own
/// parameters; `Debug` shows neither; a redirect to another origin drops both; only an API
/// key scheme takes a further key.
#[tokio::test]
async fn further_api_keys_go_with_the_token_and_stay_within_the_origin() {
    let other = ok_server().await;
    let server = MockServer::start().await;
    let client = super::common::builder(&server.uri(), AuthScheme::Header("X-Api-Key"))
        .token(TOKEN)
        .api_key(AuthScheme::Header("X-Client-Id"), "CLIENT-ID")
        .api_key(AuthScheme::Query("tenant"), "TENANT-KEY")
        .api_key(AuthScheme::Cookie("region"), "REGION-KEY");
    let shown = format!("{client:?}");
    let client: Api = client.build().unwrap();
    for text in [shown, format!("{client:?}")] {
        for secret in ["CLIENT-ID", "TENANT-KEY", "REGION-KEY"] {
            assert!(!text.contains(secret), "{text}");
        }
    }
    let request = send_with_params(&client, &server).await;
    assert_eq!(header(&request, "x-api-key"), Some(TOKEN));
    assert_eq!(header(&request, "x-client-id"), Some("CLIENT-ID"));
    assert_eq!(request.url.query(), Some("q=1&tenant=TENANT-KEY"));
    assert_eq!(
        header(&request, "cookie"),
        Some("theme=dark; region=REGION-KEY")
    );

    server.reset().await;
    let location = format!("{}/elsewhere?sig=1", other.uri());
    Mock::given(path("/away"))
        .respond_with(ResponseTemplate::new(302).insert_header("Location", location.as_str()))
        .mount(&server)
        .await;
    client.get("/away").await.expect("followed");
    let reached = other.received_requests().await.unwrap();
    assert_eq!(reached.len(), 1);
    assert_eq!(reached[0].url.query(), Some("sig=1"));
    for name in ["x-api-key", "x-client-id", "cookie"] {
        assert!(
            !reached[0].headers.contains_key(name),
            "{name} reached the other origin"
        );
    }

    for scheme in [AuthScheme::Bearer, AuthScheme::Basic, AuthScheme::None] {
        let refused = super::common::builder(&server.uri(), AuthScheme::Bearer)
            .api_key(scheme, "K")
            .build();
        assert!(
            matches!(refused, Err(BuildError::InvalidToken(_))),
            "{scheme:?}: {refused:?}"
        );
    }
}

// ---- providers, prefixes and hooks ----------------------------------------------------------

/// A credential provider is asked before the call and, after a 401, once more with
/// `refresh`; the request is sent again with the new token (replacing the old one, wherever
/// the scheme puts it), once. A provider that fails is `Error::Credentials`, nothing sent.
#[tokio::test]
async fn a_provider_refreshes_the_token_after_a_401() {
    use std::sync::atomic::{AtomicU32, Ordering};
    use std::sync::Arc;

    let server = MockServer::start().await;
    Mock::given(wiremock::matchers::header(
        "authorization",
        "Bearer fresh-1",
    ))
    .respond_with(ResponseTemplate::new(200).set_body_string("welcome"))
    .mount(&server)
    .await;
    Mock::given(any())
        .respond_with(ResponseTemplate::new(401))
        .mount(&server)
        .await;
    let asked = Arc::new(AtomicU32::new(0));
    let counter = Arc::clone(&asked);
    let client = super::common::builder(&server.uri(), AuthScheme::Bearer)
        .credentials(move |refresh: bool| {
            let n = counter.fetch_add(1, Ordering::SeqCst);
            async move {
                Ok::<_, generator_runtime::CredentialError>(if refresh {
                    format!("fresh-{n}")
                } else {
                    "stale".to_string()
                })
            }
        })
        .build()
        .unwrap();
    assert!(!format!("{client:?}").contains("stale"));
    let answer = client.get("/me").await.expect("refreshed");
    assert_eq!(answer.into_inner(), "welcome");
    assert_eq!(asked.load(Ordering::SeqCst), 2);
    let sent: Vec<String> = server
        .received_requests()
        .await
        .unwrap()
        .iter()
        .map(|r| header(r, "authorization").unwrap().to_string())
        .collect();
    assert_eq!(sent, ["Bearer stale", "Bearer fresh-1"]);

    // Still 401 after the refresh: the 401 is the answer, no third attempt.
    let refused = super::common::builder(&server.uri(), AuthScheme::Bearer)
        .credentials(|_refresh: bool| async {
            Ok::<_, generator_runtime::CredentialError>("bad".into())
        })
        .build()
        .unwrap();
    server.reset().await;
    Mock::given(any())
        .respond_with(ResponseTemplate::new(401))
        .mount(&server)
        .await;
    match refused.get("/me").await {
        Err(Error::UnexpectedStatus { status, .. }) => assert_eq!(status, StatusCode::UNAUTHORIZED),
        other => panic!("{other:?}"),
    }
    assert_eq!(server.received_requests().await.unwrap().len(), 2);

    let failing = super::common::builder(&server.uri(), AuthScheme::Bearer)
        .credentials(|_refresh: bool| async {
            Err::<String, generator_runtime::CredentialError>("vault is down".into())
        })
        .build()
        .unwrap();
    match failing.get("/me").await {
        Err(Error::Credentials(e)) => assert_eq!(e.to_string(), "vault is down"),
        other => panic!("{other:?}"),
    }
    assert_eq!(
        server.received_requests().await.unwrap().len(),
        2,
        "nothing sent"
    );
}

/// `authorization_prefix` replaces `Bearer` (GitHub's classic `token …`), `basic_auth`
/// encodes a user and a password; the hooks see every request (after the credential) and
/// every response.
#[tokio::test]
async fn prefixes_basic_credentials_and_hooks() {
    use std::sync::{Arc, Mutex};

    let server = ok_server().await;
    let seen = Arc::new(Mutex::new(Vec::new()));
    let (on_request, on_response) = (Arc::clone(&seen), Arc::clone(&seen));
    let client = super::common::builder(&server.uri(), AuthScheme::Bearer)
        .token(TOKEN)
        .authorization_prefix("token")
        .on_request(move |request| {
            request
                .headers_mut()
                .insert("x-signature", "signed".parse().unwrap());
            let auth = request.headers()["authorization"]
                .to_str()
                .unwrap()
                .to_string();
            on_request.lock().unwrap().push(format!("request {auth}"));
        })
        .on_response(move |response| {
            on_response
                .lock()
                .unwrap()
                .push(format!("response {}", response.status().as_u16()));
        })
        .build()
        .unwrap();
    client.get("/me").await.expect("200");
    let received = server.received_requests().await.unwrap();
    assert_eq!(header(&received[0], "authorization"), Some("token TOKEN"));
    assert_eq!(header(&received[0], "x-signature"), Some("signed"));
    assert_eq!(
        *seen.lock().unwrap(),
        ["request token TOKEN", "response 200"]
    );

    let basic = super::common::builder(&server.uri(), AuthScheme::Basic)
        .basic_auth("user", "pass")
        .build()
        .unwrap();
    basic.get("/me").await.expect("200");
    let received = server.received_requests().await.unwrap();
    assert_eq!(
        header(received.last().unwrap(), "authorization"),
        Some("Basic dXNlcjpwYXNz")
    );
}
