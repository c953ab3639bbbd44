//! No credential the client adds shows in an error, a log line or a `Debug` output, whatever
//! the scheme puts it in (`Authorization` as Bearer or Basic, an API-key header, the query, a
//! cookie). Each scheme is checked on the wire first (the secret is really sent), then
//! against failures whose messages carry the request's URL: a refused connection, a timeout,
//! a body cut short. The client is the `tests/fixtures/hostile.yaml` one, its scheme chosen
//! on the builder.

use std::error::Error as _;
use std::time::Duration;

use distributions::runtime::{AuthScheme, ClientBuilder, Error};
use distributions_tests::hostile::Client;
use serde_json::json;
use tokio::io::AsyncWriteExt as _;
use wiremock::ResponseTemplate;

use crate::support::{
    capture_logs, captured, closed_port, header, only_request, raw_server, read_head,
    server_answering,
};

const SECRET: &str = "s3cr3t-VALUE-42";
const USER: &str = "alice";

/// Every scheme, with what must never be shown: the token (and, for Basic, its base64 form).
fn schemes() -> Vec<(AuthScheme, Vec<String>)> {
    use base64::Engine as _;
    let basic = base64::engine::general_purpose::STANDARD.encode(format!("{USER}:{SECRET}"));
    vec![
        (AuthScheme::Bearer, vec![SECRET.to_string()]),
        (AuthScheme::Basic, vec![SECRET.to_string(), basic]),
        (AuthScheme::Header("X-Api-Key"), vec![SECRET.to_string()]),
        (AuthScheme::Query("api_key"), vec![SECRET.to_string()]),
        (AuthScheme::Cookie("sid"), vec![SECRET.to_string()]),
    ]
}

fn builder(scheme: AuthScheme, base: &str) -> ClientBuilder<Client> {
    let builder = Client::builder().base_url(base).auth_scheme(scheme);
    match scheme {
        AuthScheme::Basic => builder.basic_auth(USER, SECRET),
        _ => builder.token(SECRET),
    }
}

/// `text` shows none of `hidden`.
fn assert_hidden(text: &str, hidden: &[String], context: &str) {
    for secret in hidden {
        assert!(
            !text.contains(secret.as_str()),
            "{context}: `{secret}` shown in:\n{text}"
        );
    }
}

/// The error's `Display`, its `Debug` and every source's `Display`, one per line.
fn everything_shown(error: &Error<()>) -> String {
    let mut shown = format!("{error}\n{error:?}\n");
    let mut source = error.source();
    while let Some(e) = source {
        shown.push_str(&format!("{e}\n{e:?}\n"));
        source = e.source();
    }
    shown
}

#[tokio::test]
async fn each_scheme_sends_its_secret_where_it_belongs() {
    for (scheme, hidden) in schemes() {
        let server =
            server_answering(ResponseTemplate::new(200).set_body_json(json!({"name": "a"}))).await;
        let client = builder(scheme, &server.uri()).build().expect("client");
        client.get_thing("x").await.expect("thing");
        let request = only_request(&server, "get_thing").await;
        let sent = match scheme {
            AuthScheme::Bearer | AuthScheme::Basic => header(&request, "authorization"),
            AuthScheme::Header(name) => header(&request, name),
            AuthScheme::Cookie(_) => header(&request, "cookie"),
            _ => request.url.query(),
        };
        let sent = sent.unwrap_or_default();
        assert!(
            hidden.iter().any(|secret| sent.contains(secret.as_str())),
            "{scheme:?}: not sent: {sent:?}"
        );
    }
}

#[tokio::test]
async fn a_refused_connection_shows_no_secret() {
    let base = closed_port();
    for (scheme, hidden) in schemes() {
        capture_logs();
        let client = builder(scheme, &base).build().expect("client");
        let error = client.get_thing("x").await.expect_err("nothing listens");
        assert!(matches!(error, Error::Transport(_)), "{error:?}");
        let shown = everything_shown(&error);
        assert_hidden(&shown, &hidden, &format!("{scheme:?} error"));
        assert!(
            shown.contains("127.0.0.1"),
            "the URL is still shown: {shown}"
        );
        if let AuthScheme::Query(_) = scheme {
            assert!(shown.contains("api_key=%3Credacted%3E"), "{shown}");
        }
        let log = captured();
        assert!(log.contains("sending"), "the request was logged: {log}");
        assert_hidden(&log, &hidden, &format!("{scheme:?} log"));
    }
}

#[tokio::test]
async fn a_timeout_shows_no_secret() {
    // Accepts, reads the request and never answers.
    let base = raw_server(|mut socket| async move {
        read_head(&mut socket).await;
        tokio::time::sleep(Duration::from_secs(30)).await;
        drop(socket);
    })
    .await;
    for (scheme, hidden) in schemes() {
        let client = builder(scheme, &base)
            .timeout(Duration::from_millis(200))
            .build()
            .expect("client");
        let error = client.get_thing("x").await.expect_err("no answer");
        assert!(error.is_timeout(), "{error:?}");
        assert_hidden(&everything_shown(&error), &hidden, &format!("{scheme:?}"));
    }
}

#[tokio::test]
async fn a_body_cut_short_shows_no_secret() {
    // Promises 100 bytes, sends 10 and closes.
    let base = raw_server(|mut socket| async move {
        read_head(&mut socket).await;
        let head =
            "HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ncontent-length: 100\r\n\r\n";
        let _ = socket.write_all(head.as_bytes()).await;
        let _ = socket.write_all(br#"{"name": "#).await;
        let _ = socket.shutdown().await;
    })
    .await;
    for (scheme, hidden) in schemes() {
        let client = builder(scheme, &base).build().expect("client");
        let error = client.get_thing("x").await.expect_err("cut short");
        assert!(matches!(error, Error::Transport(_)), "{error:?}");
        assert_hidden(&everything_shown(&error), &hidden, &format!("{scheme:?}"));
    }
}

#[tokio::test]
async fn debug_output_of_clients_builders_and_calls_shows_no_secret() {
    for (scheme, hidden) in schemes() {
        let builder = builder(scheme, "http://127.0.0.1:9");
        assert_hidden(&format!("{builder:?}"), &hidden, "builder");
        let client = builder.build().expect("client");
        assert_hidden(&format!("{client:?}"), &hidden, "client");
        let call = client.get_thing("x");
        assert_hidden(&format!("{call:?}"), &hidden, "call");
    }
}
