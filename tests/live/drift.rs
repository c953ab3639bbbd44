//! Responses that drift from their spec (`tests/fixtures/drift.yaml`), through the generated
//! client: each kind of drift (missing required property, `null` where not allowed, unknown
//! property, string outside its pattern) at the top level, in nested objects, array items,
//! map values and inside tagged and untagged unions. Tolerant mode decodes them with the
//! drift listed and logged; strict mode makes the first one the error. A value of the wrong
//! type is an error in both.

use distributions::runtime::{DecodeMode, Drift, DriftKind, Error, ResponseValue};
use distributions_tests::drift::types::{Contact, Event, Problem, Repo};
use distributions_tests::drift::Client;
use serde_json::{json, Value};
use wiremock::matchers::any;
use wiremock::{Mock, MockServer, ResponseTemplate};

use crate::support::{capture_logs, captured};

/// A body that follows the spec, with every optional part present.
fn conforming() -> Value {
    json!({
        "id": 1296269,
        "name": "hello-world",
        "private": false,
        "owner": { "login": "octocat", "id": 1, "site_admin": false },
        "topics": ["api", "rust"],
        "labels": {
            "bug": { "name": "bug", "color": "d73a4a" },
            "docs": { "name": "docs", "color": "0075ca" }
        },
        "events": [
            { "type": "push", "commits": 3, "actor": { "login": "octocat", "id": 1 } },
            { "type": "star", "actor": { "login": "hubot", "id": 2 } }
        ],
        "license": { "key": "mit", "name": "MIT License" },
        "contact": { "number": "+48 123", "country": "PL" },
        "slug": "hello-world",
        "description": "My first repository",
        "homepage": null
    })
}

async fn server(status: u16, body: &Value) -> MockServer {
    let server = MockServer::start().await;
    Mock::given(any())
        .respond_with(ResponseTemplate::new(status).set_body_json(body))
        .mount(&server)
        .await;
    server
}

fn client(server: &MockServer) -> Client {
    Client::builder()
        .base_url(server.uri())
        .build()
        .expect("a client for the mock server")
}

async fn get(body: &Value, mode: DecodeMode) -> Result<ResponseValue<Repo>, Error<Problem>> {
    let server = server(200, body).await;
    client(&server)
        .with_decode_mode(mode)
        .get_repo("hello-world")
        .await
}

/// `(path, kind)` of each drift, for comparing.
fn listed(drift: &[Drift]) -> Vec<(String, DriftKind)> {
    drift.iter().map(|d| (d.path.to_string(), d.kind)).collect()
}

fn pattern(pattern: &'static str) -> DriftKind {
    DriftKind::Pattern { pattern }
}

#[tokio::test]
async fn a_conforming_body_has_no_drift_in_either_mode() {
    for mode in [DecodeMode::Tolerant, DecodeMode::Strict] {
        let repo = get(&conforming(), mode).await.expect("decodes");
        assert!(repo.drift().is_empty(), "{mode:?}: {:?}", repo.drift());
        assert_eq!(repo.owner.login, "octocat");
        assert!(matches!(&repo.events[0], Event::Push(push) if push.commits == 3));
        assert!(matches!(&repo.contact, Some(Contact::Phone(phone)) if phone.number == "+48 123"));
        assert_eq!(repo.homepage, Some(None));
    }
}

/// Each case: where the body is changed (a JSON pointer, `None` to remove), what the drift
/// is, and what the decoded value holds there.
#[tokio::test]
async fn every_kind_of_drift_at_every_depth() {
    struct Case {
        pointer: &'static str,
        value: Option<Value>,
        path: &'static str,
        kind: DriftKind,
        check: fn(&Repo) -> bool,
    }
    let missing = |pointer, path, check| Case {
        pointer,
        value: None,
        path,
        kind: DriftKind::Missing,
        check,
    };
    let null = |pointer, path, check| Case {
        pointer,
        value: Some(Value::Null),
        path,
        kind: DriftKind::Null,
        check,
    };
    let cases = [
        // Top level.
        missing("/id", "id", |r| r.id == 0),
        missing("/name", "name", |r| r.name.is_empty()),
        missing("/topics", "topics", |r| r.topics.is_empty()),
        null("/private", "private", |r| !r.private),
        null("/description", "description", |r| r.description.is_none()),
        // A nested object: missing whole (its own fallbacks), or a field of it.
        missing("/owner", "owner", |r| {
            r.owner.login.is_empty() && r.owner.id == 0
        }),
        missing("/owner/login", "owner.login", |r| r.owner.login.is_empty()),
        null("/owner/id", "owner.id", |r| r.owner.id == 0),
        null("/license/name", "license.name", |r| {
            r.license.as_ref().is_some_and(|l| l.name.is_none())
        }),
        // Array items.
        null("/topics/1", "topics[1]", |r| r.topics == ["api", ""]),
        // Map values.
        missing("/labels/docs/name", "labels.docs.name", |r| {
            r.labels["docs"].name.is_empty()
        }),
        null("/labels/bug", "labels.bug", |r| {
            r.labels["bug"].name.is_empty()
        }),
        // Inside a tagged union: the payload of a known tag.
        missing(
            "/events/0/commits",
            "events[0].commits",
            |r| matches!(&r.events[0], Event::Push(p) if p.commits == 0),
        ),
        null(
            "/events/1/actor/login",
            "events[1].actor.login",
            |r| matches!(&r.events[1], Event::Star(s) if s.actor.login.is_empty()),
        ),
        // Inside an untagged union: the variant that fits with the least drift.
        null(
            "/contact/number",
            "contact.number",
            |r| matches!(&r.contact, Some(Contact::Phone(p)) if p.number.is_empty()),
        ),
        // Pattern-checked strings: kept as received, at the top level and in map values.
        Case {
            pointer: "/slug",
            value: Some(json!("Hello World")),
            path: "slug",
            kind: pattern("^[a-z-]+$"),
            check: |r| r.slug.as_ref().is_some_and(|s| s.as_str() == "Hello World"),
        },
        Case {
            pointer: "/labels/bug/color",
            value: Some(json!("RED")),
            path: "labels.bug.color",
            kind: pattern("^[0-9a-f]{6}$"),
            check: |r| r.labels["bug"].color.as_str() == "RED",
        },
        // Unknown properties: at the top level, nested, in array items and union payloads.
        Case {
            pointer: "/stargazers_count",
            value: Some(json!(80)),
            path: "stargazers_count",
            kind: DriftKind::Unknown,
            check: |r| r.name == "hello-world",
        },
        Case {
            pointer: "/owner/avatar_url",
            value: Some(json!("https://example.com/a.png")),
            path: "owner.avatar_url",
            kind: DriftKind::Unknown,
            check: |r| r.owner.login == "octocat",
        },
        Case {
            pointer: "/events/0/forced",
            value: Some(json!(true)),
            path: "events[0].forced",
            kind: DriftKind::Unknown,
            check: |r| matches!(&r.events[0], Event::Push(p) if p.commits == 3),
        },
        Case {
            pointer: "/contact/extension",
            value: Some(json!("12")),
            path: "contact.extension",
            kind: DriftKind::Unknown,
            check: |r| matches!(&r.contact, Some(Contact::Phone(p)) if p.country.is_some()),
        },
    ];
    for case in cases {
        let mut body = conforming();
        let (parent, key) = case.pointer.rsplit_once('/').unwrap();
        let parent = body.pointer_mut(parent).unwrap();
        match (&case.value, parent) {
            (None, Value::Object(map)) => {
                map.remove(key).expect(case.pointer);
            }
            (Some(value), Value::Object(map)) => {
                map.insert(key.to_string(), value.clone());
            }
            (Some(value), Value::Array(items)) => {
                items[key.parse::<usize>().unwrap()] = value.clone()
            }
            _ => panic!("{}: cannot apply", case.pointer),
        }
        let expected = vec![(case.path.to_string(), case.kind)];

        let repo = get(&body, DecodeMode::Tolerant)
            .await
            .unwrap_or_else(|e| panic!("{}: tolerant mode fails: {e:?}", case.pointer));
        assert_eq!(listed(repo.drift()), expected, "{}", case.pointer);
        assert!((case.check)(&repo), "{}: {:?}", case.pointer, *repo);

        match get(&body, DecodeMode::Strict).await {
            Err(Error::Decode { path, message, .. }) => {
                assert_eq!(path, case.path, "{}: {message}", case.pointer);
                match case.kind {
                    // The strict error names the value and the pattern.
                    DriftKind::Pattern { pattern } => {
                        assert!(message.contains(pattern), "{message}")
                    }
                    kind => assert_eq!(message, kind.to_string(), "{}", case.pointer),
                }
            }
            other => panic!(
                "{}: strict mode: expected Error::Decode, got {other:?}",
                case.pointer
            ),
        }
    }
}

#[tokio::test]
async fn drift_is_listed_in_the_order_met_and_the_rest_decodes() {
    let mut body = conforming();
    body["owner"].as_object_mut().unwrap().remove("login");
    body["topics"] = Value::Null;
    body["events"][1]["actor"]["id"] = Value::Null;
    body["license"]["spdx_id"] = json!("MIT");
    let repo = get(&body, DecodeMode::Tolerant).await.expect("decodes");
    assert_eq!(
        listed(repo.drift()),
        // `json!` keeps the order it was written in (serde_json's `preserve_order`).
        vec![
            ("owner.login".to_string(), DriftKind::Missing),
            ("topics".to_string(), DriftKind::Null),
            ("events[1].actor.id".to_string(), DriftKind::Null),
            ("license.spdx_id".to_string(), DriftKind::Unknown),
        ]
    );
    assert_eq!(repo.labels["docs"].color.as_str(), "0075ca");
    assert_eq!(
        repo.drift()[0].to_string(),
        "owner.login: missing required property"
    );
}

#[tokio::test]
async fn a_wrong_type_is_an_error_in_both_modes() {
    let cases = [
        ("/id", json!("1296269"), "id"),
        ("/owner/id", json!({}), "owner.id"),
        ("/topics/0", json!(1), "topics[0]"),
        ("/labels/bug/color", json!(7), "labels.bug.color"),
        ("/events/0/commits", json!("3"), "events[0].commits"),
    ];
    for (pointer, value, at) in cases {
        let mut body = conforming();
        *body.pointer_mut(pointer).unwrap() = value;
        for mode in [DecodeMode::Tolerant, DecodeMode::Strict] {
            match get(&body, mode).await {
                Err(Error::Decode { path, message, .. }) => {
                    assert_eq!(path, at, "{pointer} {mode:?}: {message}");
                    assert!(message.starts_with("invalid type"), "{message}");
                }
                other => panic!("{pointer} {mode:?}: expected Error::Decode, got {other:?}"),
            }
        }
    }
    // An untagged union that no variant fits, even with drift, names the union.
    let mut body = conforming();
    body["contact"] = json!(["not", "an", "object"]);
    match get(&body, DecodeMode::Tolerant).await {
        Err(Error::Decode { path, message, .. }) => {
            assert_eq!(path, "contact");
            assert!(
                message.starts_with("fits none of the variants of `Contact`"),
                "{message}"
            );
        }
        other => panic!("expected Error::Decode, got {other:?}"),
    }
}

#[tokio::test]
async fn documented_error_bodies_report_their_drift_too() {
    let server = server(404, &json!({ "msg": "Not Found" })).await;
    match client(&server).get_repo("nope").await {
        Err(Error::Api(e)) => {
            assert_eq!(e.body.message, "");
            assert_eq!(
                listed(&e.drift),
                vec![
                    ("msg".to_string(), DriftKind::Unknown),
                    ("message".to_string(), DriftKind::Missing),
                ]
            );
        }
        other => panic!("expected Error::Api, got {other:?}"),
    }
}

#[tokio::test]
async fn the_mode_is_set_on_the_builder_or_per_call() {
    let mut body = conforming();
    body["name"] = Value::Null;
    let server = server(200, &body).await;
    let strict = Client::builder()
        .base_url(server.uri())
        .decode_mode(DecodeMode::Strict)
        .build()
        .unwrap();
    assert!(matches!(
        strict.get_repo("x").await,
        Err(Error::Decode { .. })
    ));
    // A tolerant clone of the strict client, for one call; the original stays strict.
    let repo = strict
        .with_decode_mode(DecodeMode::Tolerant)
        .get_repo("x")
        .await;
    assert_eq!(repo.expect("tolerant").drift().len(), 1);
    assert!(matches!(
        strict.get_repo("x").await,
        Err(Error::Decode { .. })
    ));
}

#[tokio::test]
async fn drift_is_logged_at_warn_level() {
    // The test runtime is single-threaded: the decode runs on this thread.
    capture_logs();
    get(&conforming(), DecodeMode::Tolerant).await.unwrap();
    assert!(warnings().is_empty(), "nothing is logged without drift");

    let mut body = conforming();
    body["owner"].as_object_mut().unwrap().remove("login");
    body["labels"]["bug"]["color"] = json!("RED");
    get(&body, DecodeMode::Tolerant).await.unwrap();
    let log = warnings();
    assert_eq!(log.lines().count(), 1, "one line per response: {log}");
    assert!(log.contains(" WARN "), "{log}");
    assert!(
        log.contains("the 200 OK response to GET /repos/hello-world departs from the spec"),
        "{log}"
    );
    assert!(log.contains("drift=2"), "{log}");
    assert!(
        log.contains(
            "owner.login: missing required property; labels.bug.color: does not match the pattern `^[0-9a-f]{6}$`"
        ),
        "{log}"
    );
}

/// The warnings among the captured log lines (the transport logs at debug level too).
fn warnings() -> String {
    captured()
        .lines()
        .filter(|line| line.contains(" WARN "))
        .map(|line| format!("{line}\n"))
        .collect()
}
