//! Per-call options through the generated methods of `tests/fixtures/call_options.yaml`
//! against servers on 127.0.0.1: idempotency keys, and a call's own timeout, headers and
//! retry policy.

use std::time::Duration;

use distributions::runtime::{Error, RetryPolicy};
use distributions_tests::call_options;
use serde_json::json;
use wiremock::{Mock, MockServer, ResponseTemplate};

use crate::support::{header_values, received, server_answering};

fn client_with(server: &MockServer, retry: RetryPolicy) -> call_options::Client {
    call_options::Client::builder()
        .base_url(server.uri())
        .retry(retry)
        .build()
        .expect("client")
}

fn quick_retries() -> RetryPolicy {
    RetryPolicy {
        max_retries: 2,
        initial_backoff: Duration::from_millis(1),
        max_backoff: Duration::from_millis(5),
        ..RetryPolicy::default()
    }
}

/// An operation documenting `Idempotency-Key` gets a key per call, the same on each of the
/// call's attempts (so retrying the POST is safe, and it is retried), a new one for the next
/// call; a key the caller gives is sent as it is.
#[tokio::test]
async fn idempotency_keys_are_kept_across_retries_and_new_per_call() {
    let server = MockServer::start().await;
    Mock::given(wiremock::matchers::any())
        .respond_with(ResponseTemplate::new(503))
        .up_to_n_times(1)
        .mount(&server)
        .await;
    Mock::given(wiremock::matchers::any())
        .respond_with(ResponseTemplate::new(201).set_body_json(json!({"id": "p1", "amount": 5})))
        .mount(&server)
        .await;
    let client = client_with(&server, quick_retries());
    let body = call_options::types::CreatePaymentBody { amount: 5 };
    let payment = client.create_payment(&body).await.expect("retried");
    assert_eq!(payment.id, "p1");
    client.create_payment(&body).await.expect("second call");
    client
        .create_payment(&body)
        .idempotency_key("mine-1")
        .await
        .expect("own key");

    let keys = header_values(&received(&server).await, "idempotency-key");
    assert_eq!(keys.len(), 4, "{keys:?}");
    assert_eq!(keys[0], keys[1], "a retry reuses its call's key");
    assert_ne!(keys[1], keys[2], "each call has its own key");
    assert_eq!(keys[0].len(), 36, "a UUID: {}", keys[0]);
    assert_eq!(keys[3], "mine-1");
}

/// A call's own retry policy replaces the client's, its own header is sent, and its own
/// timeout ends it early.
#[tokio::test]
async fn a_call_has_its_own_retry_policy_headers_and_timeout() {
    let server = server_answering(ResponseTemplate::new(503)).await;
    let client = client_with(&server, RetryPolicy::none());
    let outcome = client
        .get_payment("p1")
        .retry(quick_retries())
        .header("X-Request-Id", "r-7")
        .await;
    assert_eq!(
        outcome.err().and_then(|e| e.status()).map(|s| s.as_u16()),
        Some(503)
    );
    let requests = received(&server).await;
    assert_eq!(
        header_values(&requests, "x-request-id"),
        ["r-7", "r-7", "r-7"]
    );

    let slow = server_answering(
        ResponseTemplate::new(200)
            .set_body_json(json!({"id": "p1", "amount": 5}))
            .set_delay(Duration::from_millis(800)),
    )
    .await;
    let client = client_with(&slow, RetryPolicy::none());
    match client
        .get_payment("p1")
        .timeout(Duration::from_millis(100))
        .await
    {
        Err(e) => assert!(e.is_timeout(), "{e:?}"),
        Ok(value) => panic!("expected a timeout, got {}", value.status()),
    }
    match client.get_payment("p1").header("Bad\nName", "x").await {
        Err(Error::InvalidRequest(_)) => {}
        other => panic!("expected an invalid request, got {other:?}"),
    }
}
