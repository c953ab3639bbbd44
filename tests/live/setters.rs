//! Optional parameters set by name on the call (`tests/fixtures/setters.yaml`), against a
//! server on 127.0.0.1: each reaches the wire under its own name, in its location and style;
//! a setter called twice keeps the last value; an optional body is set with `.body`.

use distributions_tests::setters;
use serde_json::json;
use wiremock::ResponseTemplate;

use crate::support::{header, only_request, received, server_answering};

fn client(uri: String) -> setters::Client {
    setters::Client::builder()
        .base_url(uri)
        .build()
        .expect("client")
}

#[tokio::test]
async fn setters_reach_the_wire_with_their_names_and_styles() {
    let server = server_answering(ResponseTemplate::new(200).set_body_json(json!([]))).await;
    let filter = setters::types::ListCardsFilter {
        color: Some("red".into()),
        size: Some(3),
    };
    client(server.uri())
        .list_cards("b 1")
        .labels(["bug", "ui"])
        .tag(vec!["a".to_string(), "b".to_string()])
        .sort("updated")
        .filter(filter)
        .ids([1, 2, 3])
        .timeout_param(30)
        .archived(false)
        .x_trace_id("trace-7")
        .session("s1")
        .await
        .expect("cards");
    let request = only_request(&server, "list_cards").await;
    assert_eq!(request.url.path(), "/boards/b%201/cards");
    assert_eq!(
        request.url.query(),
        Some("labels=bug%2Cui&tag=a&tag=b&sort=updated&filter%5Bcolor%5D=red&filter%5Bsize%5D=3&ids=1%7C2%7C3&timeout=30&archived=false")
    );
    assert_eq!(header(&request, "x-trace-id"), Some("trace-7"));
    assert_eq!(header(&request, "cookie"), Some("session=s1"));
}

#[tokio::test]
async fn a_setter_called_twice_keeps_the_last_value_and_unset_ones_send_nothing() {
    let server = server_answering(ResponseTemplate::new(200).set_body_json(json!([]))).await;
    let client = client(server.uri());
    client
        .list_cards("b")
        .sort("created")
        .x_trace_id("one")
        .session("s1")
        .sort("updated")
        .x_trace_id("two")
        .session("s2")
        .await
        .expect("cards");
    client.list_cards("b").await.expect("cards");
    let requests = received(&server).await;
    assert_eq!(requests[0].url.query(), Some("sort=updated"));
    assert_eq!(header(&requests[0], "x-trace-id"), Some("two"));
    assert_eq!(header(&requests[0], "cookie"), Some("session=s2"));
    assert_eq!(requests[1].url.query(), None);
    assert_eq!(header(&requests[1], "x-trace-id"), None);
    assert_eq!(header(&requests[1], "cookie"), None);
}

#[tokio::test]
async fn an_optional_body_is_set_by_name_or_left_out() {
    let server =
        server_answering(ResponseTemplate::new(200).set_body_json(json!([{"id": "c1"}]))).await;
    let client = client(server.uri());
    let options = setters::types::SearchOptions {
        fuzzy: Some(true),
        ..Default::default()
    };
    let found = client
        .search_cards("b", "needle")
        .body(&options)
        .await
        .expect("cards");
    assert_eq!(found[0].id, "c1");
    client.search_cards("b", "needle").await.expect("no body");
    let requests = received(&server).await;
    assert_eq!(requests[0].body, br#"{"fuzzy":true}"#);
    assert_eq!(
        header(&requests[0], "content-type"),
        Some("application/json")
    );
    assert!(requests[1].body.is_empty());
    assert_eq!(header(&requests[1], "content-type"), None);
}

/// A request body with required fields is built with `new` over them and a setter per
/// optional field; unset fields stay out of the JSON, and a nullable one can be sent as
/// `null`.
#[tokio::test]
async fn a_body_is_built_from_its_required_fields_and_setters() {
    let server =
        server_answering(ResponseTemplate::new(201).set_body_json(json!({"id": "c9"}))).await;
    let client = client(server.uri());
    let card = setters::types::NewCard::new("Write the docs", "doing")
        .labels(vec!["docs".to_string()])
        .position(3);
    client.create_card("b", &card).await.expect("created");
    let cleared = setters::types::NewCard::new("Ship", setters::types::NewCardColumn::Done)
        .due(None::<String>);
    client.create_card("b", &cleared).await.expect("created");
    let requests = received(&server).await;
    let bodies: Vec<serde_json::Value> = requests
        .iter()
        .map(|r| serde_json::from_slice(&r.body).expect("json"))
        .collect();
    assert_eq!(
        bodies[0],
        json!({"title": "Write the docs", "column": "doing", "labels": ["docs"], "position": 3})
    );
    assert_eq!(
        bodies[1],
        json!({"title": "Ship", "column": "done", "due": null})
    );
}

/// A body of a scalar type (`integer`, `number`, `boolean`) is taken by value and sent as
/// JSON (`tests/fixtures/scalar_bodies.yaml`: such clients did not compile before).
#[tokio::test]
async fn scalar_bodies_are_sent_as_json() {
    let server = server_answering(ResponseTemplate::new(204)).await;
    let client = distributions_tests::scalar_bodies::Client::builder()
        .base_url(server.uri())
        .build()
        .expect("client");
    client.set_counter("c", 42).await.expect("set");
    client.set_price("p", 9.5).await.expect("set");
    client.set_flag("f").body(true).await.expect("set");
    let bodies: Vec<Vec<u8>> = received(&server)
        .await
        .into_iter()
        .map(|r| r.body)
        .collect();
    assert_eq!(bodies, [b"42".to_vec(), b"9.5".to_vec(), b"true".to_vec()]);
}
