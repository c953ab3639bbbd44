//! Retries on 127.0.0.1: which statuses and failures are retried, for which methods, how many
//! times, how long the client waits (the backoff or the server's `Retry-After`), and the
//! documented defaults.
//!
//! Nothing here races the clock: attempts are counted, and waits are measured on tokio's
//! paused clock (virtual time, see `super::common::ticking_clock`), where a 30 s
//! `Retry-After` passes in no real time. Only lower bounds are asserted on waits.

use std::time::Duration;

use super::common::{fast_retries, ticking_clock, Api, LONG, TOKEN};
use generator_runtime::{AuthScheme, Error, RetryPolicy, StatusCode};
use tokio::time::Instant;
use wiremock::matchers::any;
use wiremock::{Mock, MockServer, ResponseTemplate};

async fn attempts(server: &MockServer) -> usize {
    server.received_requests().await.expect("recording").len()
}

/// Answers `status` `failures` times, then 200 `ok`.
async fn failing_then_ok(server: &MockServer, status: u16, failures: u64) {
    server.reset().await;
    Mock::given(any())
        .respond_with(ResponseTemplate::new(status).set_body_string("try again"))
        .up_to_n_times(failures)
        .mount(server)
        .await;
    Mock::given(any())
        .respond_with(ResponseTemplate::new(200).set_body_string("ok"))
        .mount(server)
        .await;
}

/// A client for paused-clock tests: the given policy and a request timeout no wait reaches.
fn paused_client(server: &MockServer, retry: RetryPolicy) -> Api {
    super::common::builder(&server.uri(), AuthScheme::Bearer)
        .token(TOKEN)
        .timeout(LONG)
        .retry(retry)
        .build()
        .unwrap()
}

// ---- what is retried ------------------------------------------------------------------------

/// Idempotent requests are retried on 429, 502, 503 and 504 until they succeed, each attempt
/// the same request (credentials included).
#[tokio::test]
async fn idempotent_requests_are_retried_on_the_retried_statuses() {
    let server = MockServer::start().await;
    let client = super::common::client(&server, fast_retries(3));
    for method in ["GET", "PUT", "DELETE"] {
        for status in [429u16, 502, 503, 504] {
            let context = format!("{method} after two {status}");
            failing_then_ok(&server, status, 2).await;
            let response = client
                .text(client.request(method, "/thing"))
                .await
                .unwrap_or_else(|e| panic!("{context}: {e:?}"));
            assert_eq!(response.into_inner(), "ok", "{context}");
            let requests = server.received_requests().await.unwrap();
            assert_eq!(requests.len(), 3, "{context}");
            assert!(
                requests.iter().all(|r| r.method.as_str() == method
                    && r.url == requests[0].url
                    && r.headers.get("authorization").unwrap() == "Bearer TOKEN"),
                "{context}: every attempt is the same request"
            );
        }
    }
}

/// Non-idempotent requests (POST, PATCH) are sent once by default, the failure returned;
/// opting in with `retry_non_idempotent` retries them.
#[tokio::test]
async fn non_idempotent_requests_are_retried_only_when_the_policy_says_so() {
    let server = MockServer::start().await;
    let default_policy = super::common::client(
        &server,
        RetryPolicy {
            // The default in every respect but the wait, so that a wrong retry would be quick.
            initial_backoff: Duration::from_millis(1),
            ..RetryPolicy::default()
        },
    );
    let opted_in = super::common::client(
        &server,
        RetryPolicy {
            retry_non_idempotent: true,
            ..fast_retries(3)
        },
    );
    for method in ["POST", "PATCH"] {
        for status in [429u16, 503] {
            let context = format!("{method} → {status}");
            failing_then_ok(&server, status, 2).await;
            let error = default_policy
                .text(default_policy.request(method, "/thing"))
                .await
                .expect_err(&context);
            assert_eq!(
                error.status().map(|s| s.as_u16()),
                Some(status),
                "{context}"
            );
            assert_eq!(attempts(&server).await, 1, "{context}: sent once");

            opted_in
                .text(opted_in.request(method, "/thing"))
                .await
                .unwrap_or_else(|e| panic!("{context}: {e:?}"));
            // The server's second failure, then its success.
            assert_eq!(
                attempts(&server).await,
                3,
                "{context}: 1 + 1 failure + 1 success"
            );
        }
    }
}

/// Other statuses end the call at once; a policy that is used up returns the last failure
/// after `1 + max_retries` attempts; `RetryPolicy::none()` sends once.
#[tokio::test]
async fn other_statuses_and_an_exhausted_policy_end_the_retries() {
    let server = MockServer::start().await;
    let client = super::common::client(&server, fast_retries(2));
    for status in [400u16, 404, 409, 500, 501] {
        failing_then_ok(&server, status, 5).await;
        let error = client.get("/thing").await.expect_err("an error");
        assert_eq!(error.status().map(|s| s.as_u16()), Some(status));
        assert_eq!(attempts(&server).await, 1, "{status} is not retried");
    }

    failing_then_ok(&server, 503, 5).await;
    match client.get("/thing").await {
        Err(Error::UnexpectedStatus { status, body, .. }) => {
            assert_eq!(status, StatusCode::SERVICE_UNAVAILABLE);
            assert_eq!(body, "try again");
        }
        other => panic!("expected the last 503, got {other:?}"),
    }
    assert_eq!(attempts(&server).await, 3, "1 + max_retries (2)");

    failing_then_ok(&server, 503, 5).await;
    let none = super::common::client(&server, RetryPolicy::none());
    none.get("/thing").await.expect_err("503");
    assert_eq!(attempts(&server).await, 1);
}

// ---- the documented defaults ----------------------------------------------------------------

/// `RetryPolicy::default()`: an idempotent call that keeps failing with 503 is sent 4 times
/// (3 retries), waiting at least 125 + 250 + 500 ms (backoff from 250 ms, doubling, jitter
/// in the upper half); one retry waits at least 125 ms. Virtual time: no real waiting.
#[tokio::test(start_paused = true)]
async fn the_default_policy_retries_three_times_from_250_ms() {
    let _tick = ticking_clock();
    let server = MockServer::start().await;
    let client = paused_client(&server, RetryPolicy::default());

    failing_then_ok(&server, 503, 100).await;
    let started = Instant::now();
    client.get("/thing").await.expect_err("still 503");
    let waited = started.elapsed();
    assert_eq!(attempts(&server).await, 4, "1 + 3 retries");
    assert!(waited >= Duration::from_millis(875), "{waited:?}");

    failing_then_ok(&server, 503, 1).await;
    let started = Instant::now();
    client.get("/thing").await.expect("the retry succeeds");
    let waited = started.elapsed();
    assert_eq!(attempts(&server).await, 2);
    assert!(waited >= Duration::from_millis(125), "{waited:?}");

    // Each retried status, and only those, under the default policy.
    for (status, sent) in [(429u16, 2), (502, 2), (504, 2), (500, 1), (408, 1)] {
        failing_then_ok(&server, status, 1).await;
        let _ = client.get("/thing").await;
        assert_eq!(attempts(&server).await, sent, "{status}");
    }
    // POST is not retried by default.
    failing_then_ok(&server, 503, 1).await;
    client.post("/thing").await.expect_err("503");
    assert_eq!(attempts(&server).await, 1, "POST");
}

// ---- Retry-After ----------------------------------------------------------------------------

/// A policy whose own backoff is 1 ms, so that a long wait can only come from `Retry-After`.
fn short_backoff(max_backoff: Duration) -> RetryPolicy {
    RetryPolicy {
        max_retries: 1,
        initial_backoff: Duration::from_millis(1),
        max_backoff,
        ..RetryPolicy::default()
    }
}

async fn retry_after_then_ok(server: &MockServer, status: u16, retry_after: &str) {
    server.reset().await;
    Mock::given(any())
        .respond_with(
            ResponseTemplate::new(status)
                .insert_header("Retry-After", retry_after)
                .set_body_string("slow down"),
        )
        .up_to_n_times(1)
        .mount(server)
        .await;
    Mock::given(any())
        .respond_with(ResponseTemplate::new(200).set_body_string("ok"))
        .mount(server)
        .await;
}

/// `Retry-After` in seconds replaces the backoff, up to and including `max_backoff` (the
/// default 30 s here).
#[tokio::test(start_paused = true)]
async fn retry_after_in_seconds_is_honoured_up_to_the_cap() {
    let _tick = ticking_clock();
    let server = MockServer::start().await;
    let cap = RetryPolicy::default().max_backoff;
    assert_eq!(cap, Duration::from_secs(30));
    let client = paused_client(&server, short_backoff(cap));
    for seconds in [2u64, 30] {
        retry_after_then_ok(&server, 429, &seconds.to_string()).await;
        let started = Instant::now();
        client.get("/thing").await.expect("retried");
        let waited = started.elapsed();
        assert_eq!(attempts(&server).await, 2, "Retry-After: {seconds}");
        assert!(
            waited >= Duration::from_secs(seconds),
            "Retry-After: {seconds}, waited {waited:?}"
        );
    }
}

/// Longer than `max_backoff` (the default 30 s): not waited for and not retried; the 429
/// comes back at once with its `Retry-After` for the caller to read.
#[tokio::test(start_paused = true)]
async fn retry_after_beyond_the_cap_returns_the_error_at_once() {
    let _tick = ticking_clock();
    let server = MockServer::start().await;
    let client = paused_client(&server, RetryPolicy::default());
    let future = httpdate::fmt_http_date(std::time::SystemTime::now() + Duration::from_secs(3600));
    for retry_after in ["31", "3600", future.as_str()] {
        retry_after_then_ok(&server, 429, retry_after).await;
        let started = Instant::now();
        match client.get("/thing").await {
            Err(Error::UnexpectedStatus {
                status, headers, ..
            }) => {
                assert_eq!(status, StatusCode::TOO_MANY_REQUESTS);
                assert_eq!(headers["retry-after"], retry_after);
            }
            other => panic!("Retry-After: {retry_after}: expected the 429, got {other:?}"),
        }
        assert_eq!(attempts(&server).await, 1, "Retry-After: {retry_after}");
        // Not even the 31 s asked for were waited (virtual time, so this bound is safe).
        assert!(started.elapsed() < Duration::from_secs(31));
    }
}

/// `Retry-After` as an HTTP date in the future is honoured (the wait reaches the date); a
/// date in the past asks for no wait.
#[tokio::test(start_paused = true)]
async fn retry_after_as_an_http_date() {
    let _tick = ticking_clock();
    let server = MockServer::start().await;
    let client = paused_client(&server, short_backoff(Duration::from_secs(30)));
    // 20 s ahead on the wall clock; the header has whole seconds, and a little real time
    // passes before the client reads it, so the wait is a bit under 20 s.
    let date = httpdate::fmt_http_date(std::time::SystemTime::now() + Duration::from_secs(20));
    retry_after_then_ok(&server, 503, &date).await;
    let started = Instant::now();
    client.get("/thing").await.expect("retried");
    let waited = started.elapsed();
    assert_eq!(attempts(&server).await, 2);
    assert!(
        waited >= Duration::from_secs(15),
        "{date}: waited {waited:?}"
    );

    retry_after_then_ok(&server, 503, "Sun, 06 Nov 1994 08:49:37 GMT").await;
    client.get("/thing").await.expect("retried");
    assert_eq!(attempts(&server).await, 2);
}

/// A `Retry-After` that cannot be read falls back to the backoff: the call is retried after
/// the computed wait (here at least half of a 10 s initial backoff), not at once.
#[tokio::test(start_paused = true)]
async fn an_unparsable_retry_after_falls_back_to_the_backoff() {
    let _tick = ticking_clock();
    let server = MockServer::start().await;
    let client = paused_client(
        &server,
        RetryPolicy {
            max_retries: 1,
            initial_backoff: Duration::from_secs(10),
            max_backoff: Duration::from_secs(30),
            ..RetryPolicy::default()
        },
    );
    for text in ["soon", "-1", "1.5", "Sun, 32 Nov 1994 08:49:37 GMT"] {
        retry_after_then_ok(&server, 503, text).await;
        let started = Instant::now();
        client.get("/thing").await.expect("retried");
        let waited = started.elapsed();
        assert_eq!(attempts(&server).await, 2, "{text}");
        assert!(
            waited >= Duration::from_secs(5),
            "{text}: waited {waited:?}"
        );
    }
}

// ---- connection failures --------------------------------------------------------------------

/// Connection refused is a transport error (no status, not a timeout). An idempotent call
/// retries it and succeeds once the server listens; the server comes up 2 s into the call,
/// in virtual time, while the client backs off.
#[tokio::test(start_paused = true)]
async fn connection_refused_is_retried_when_idempotent() {
    let _tick = ticking_clock();
    let port = super::common::refused_port();
    let url = format!("http://127.0.0.1:{port}");

    let once = super::common::builder(&url, AuthScheme::None)
        .retry(RetryPolicy::none())
        .timeout(LONG)
        .build()
        .unwrap();
    let error = once.get("/thing").await.expect_err("refused");
    assert!(
        matches!(&error, Error::Transport(e) if e.is_connect()),
        "{error:?}"
    );
    assert_eq!(error.status(), None);
    assert!(!error.is_timeout());

    let retrying = super::common::builder(&url, AuthScheme::None)
        .retry(RetryPolicy {
            max_retries: 1000,
            initial_backoff: Duration::from_millis(100),
            max_backoff: Duration::from_millis(100),
            ..RetryPolicy::default()
        })
        .timeout(LONG)
        .build()
        .unwrap();
    let started = Instant::now();
    let call = tokio::spawn(async move { retrying.get("/thing").await });
    tokio::time::sleep(Duration::from_secs(2)).await;
    let listener = std::net::TcpListener::bind(("127.0.0.1", port)).expect("rebind the port");
    let server = super::common::serve(listener, vec![super::common::http_text("200 OK", "up")]);
    let response = call.await.unwrap().expect("the server came up");
    assert_eq!(response.into_inner(), "up");
    assert!(started.elapsed() >= Duration::from_secs(2));
    assert_eq!(server.join().unwrap().len(), 1);
}

/// A POST whose connection is refused is not retried: had it been, it would reach the
/// server that listens from 1 s (virtual) on; nothing does.
#[tokio::test(start_paused = true)]
async fn connection_refused_is_not_retried_for_a_post() {
    let _tick = ticking_clock();
    let port = super::common::refused_port();
    let client = super::common::builder(&format!("http://127.0.0.1:{port}"), AuthScheme::None)
        .retry(RetryPolicy {
            max_retries: 1000,
            initial_backoff: Duration::from_millis(100),
            max_backoff: Duration::from_millis(100),
            ..RetryPolicy::default()
        })
        // Long enough for nothing here, short enough that a wrong retry, hanging on the
        // listener that never answers, ends.
        .timeout(Duration::from_secs(60))
        .build()
        .unwrap();
    let call = tokio::spawn(async move { client.post("/thing").await });
    tokio::time::sleep(Duration::from_secs(1)).await;
    let listener = std::net::TcpListener::bind(("127.0.0.1", port)).expect("rebind the port");
    let error = call.await.unwrap().expect_err("refused");
    assert!(
        matches!(&error, Error::Transport(e) if e.is_connect()),
        "{error:?}"
    );
    listener.set_nonblocking(true).unwrap();
    assert!(
        matches!(listener.accept(), Err(e) if e.kind() == std::io::ErrorKind::WouldBlock),
        "the POST was sent again"
    );
}

/// A connection closed before any response is a connection error: an idempotent call is
/// retried on a new connection, a POST or PATCH returns a transport error after one attempt.
#[tokio::test]
async fn a_connection_closed_before_the_response_is_retried_when_idempotent() {
    let ok = super::common::http_text("200 OK", "third time");
    let (addr, server) = super::common::raw_server(vec![Vec::new(), Vec::new(), ok]);
    let client = super::common::builder(&format!("http://{addr}"), AuthScheme::None)
        .retry(fast_retries(3))
        .build()
        .unwrap();
    let response = client
        .get("/thing")
        .await
        .expect("the third connection answers");
    assert_eq!(response.into_inner(), "third time");
    assert_eq!(server.join().unwrap().len(), 3);

    for method in ["POST", "PATCH"] {
        let (addr, server) = super::common::raw_server(vec![Vec::new()]);
        let client = super::common::builder(&format!("http://{addr}"), AuthScheme::None)
            .retry(fast_retries(3))
            .build()
            .unwrap();
        let error = client
            .text(client.request(method, "/thing"))
            .await
            .expect_err("closed");
        assert!(
            matches!(&error, Error::Transport(e) if !e.is_timeout()),
            "{method}: {error:?}"
        );
        let heads = server.join().unwrap();
        assert_eq!(heads.len(), 1, "{method} is sent once");
        assert!(heads[0].starts_with(method), "{}", heads[0]);
    }
}

/// A timeout is not retried: the retry would multiply the time the caller allowed.
#[tokio::test]
async fn a_timeout_is_not_retried() {
    let server = MockServer::start().await;
    Mock::given(any())
        .respond_with(ResponseTemplate::new(200).set_delay(Duration::from_secs(60)))
        .mount(&server)
        .await;
    let client = super::common::builder(&server.uri(), AuthScheme::None)
        .timeout(Duration::from_millis(100))
        .retry(fast_retries(3))
        .build()
        .unwrap();
    let error = client.get("/slow").await.expect_err("timeout");
    assert!(error.is_timeout(), "{error:?}");
    assert_eq!(attempts(&server).await, 1);
}
