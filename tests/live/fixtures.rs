//! The fixture clients of `lib.rs` called against a server on 127.0.0.1 (wiremock): what
//! their generated methods put on the wire and how they decode what comes back, for the
//! features the two real APIs do not have (parameters in every location and style, Basic
//! auth, several success and error types, text, bytes, form and multipart bodies, tagged
//! and untagged unions, maps). The fixtures without operations (`one_of`, `maps`) are
//! decoded through the runtime as a generated method would.

use distributions::runtime::{
    AuthScheme, ClientBuilder, Decode, DecodeMode, Error, FromTransport, ResponseValue, StatusCode,
    Transport,
};
use distributions_tests::{alias_cycles, maps, nullable, one_of, parameters, responses, two_keys};
use serde_json::json;
use wiremock::matchers::{any, method, path};
use wiremock::{Mock, MockServer, Request, ResponseTemplate};

use crate::support::server_answering;

async fn only_request(server: &MockServer) -> Request {
    let mut requests = server.received_requests().await.expect("recording");
    assert_eq!(requests.len(), 1);
    requests.remove(0)
}

fn header<'a>(request: &'a Request, name: &str) -> Option<&'a str> {
    request.headers.get(name).map(|v| v.to_str().unwrap())
}

/// Every parameter location and query style of `parameters.yaml`, as received, with the
/// API key in the query last.
#[tokio::test]
async fn parameters_in_every_location_and_style() {
    let server =
        server_answering(ResponseTemplate::new(200).set_body_json(json!({ "ok": true }))).await;
    let client = parameters::Client::builder()
        .base_url(server.uri())
        .token("K")
        .build()
        .unwrap();
    assert_eq!(
        parameters::Client::new("K").unwrap().base_url(),
        "https://eu.example.com/v1"
    );
    let filter = parameters::types::GetItemFilter {
        color: Some("dark red".into()),
        size: Some(3),
    };
    let response = client
        .get_item("a/b", 7, &["x".to_string(), "y z".to_string()], "trace-1")
        .ids([1, 2])
        .pipes(&["p".to_string(), "q".to_string()])
        .filter(filter)
        .order(parameters::types::Order::Desc)
        .session("s1")
        .limit(5)
        .await
        .expect("200");
    assert_eq!(response.ok, Some(true));
    let request = only_request(&server).await;
    assert_eq!(request.url.path(), "/items/a%2Fb/7");
    assert_eq!(
        request.url.query(),
        Some(
            "tags=x&tags=y+z&ids=1%2C2&pipes=p%7Cq&filter%5Bcolor%5D=dark+red&filter%5Bsize%5D=3\
             &order=desc&limit=5&api_key=K"
        )
    );
    assert_eq!(header(&request, "x-trace"), Some("trace-1"));
    assert_eq!(header(&request, "cookie"), Some("session=s1"));
    assert_eq!(header(&request, "accept"), Some("application/json"));

    // Optional parameters left out send nothing.
    server.reset().await;
    Mock::given(any())
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({})))
        .mount(&server)
        .await;
    client.get_item("i", 1, &[], "t").await.expect("200");
    let request = only_request(&server).await;
    assert_eq!(request.url.query(), Some("api_key=K"));
    assert_eq!(header(&request, "cookie"), None);
}

/// `two_keys.yaml`: a security requirement naming three API keys. The token is the first;
/// the client names the others (`Client::CLIENT_ID`, `Client::TENANT`) for the builder's
/// `api_key`, and every request carries all three.
#[tokio::test]
async fn api_keys_required_together_are_all_sent() {
    let server =
        server_answering(ResponseTemplate::new(200).set_body_json(json!({ "id": "c1" }))).await;
    assert_eq!(
        two_keys::Client::CLIENT_ID,
        AuthScheme::Header("X-APISETU-CLIENTID")
    );
    let client = two_keys::Client::builder()
        .base_url(server.uri())
        .token("KEY-SECRET")
        .api_key(two_keys::Client::CLIENT_ID, "CLIENT-SECRET")
        .api_key(two_keys::Client::TENANT, "TENANT-SECRET")
        .build()
        .unwrap();
    let certificate = client.get_certificate("c1").await.expect("200");
    assert_eq!(certificate.id, "c1");
    let request = only_request(&server).await;
    assert_eq!(header(&request, "x-apisetu-apikey"), Some("KEY-SECRET"));
    assert_eq!(
        header(&request, "x-apisetu-clientid"),
        Some("CLIENT-SECRET")
    );
    assert_eq!(request.url.query(), Some("tenant_key=TENANT-SECRET"));
    assert!(!format!("{client:?}").contains("SECRET"), "{client:?}");
}

fn responses_client(server: &MockServer) -> responses::Client {
    responses::Client::new(&server.uri(), "dXNlcjpwYXNz").unwrap()
}

/// `POST /notes`: two success types by status, a JSON and a text error type, and an
/// undocumented status; Basic auth on every request.
#[tokio::test]
async fn several_success_and_error_types() {
    use responses::types::{Note, PostNotesError, PostNotesResponse};
    let note = Note {
        text: Some("hi".into()),
    };
    let cases: Vec<(ResponseTemplate, &str)> = vec![
        (
            ResponseTemplate::new(200).set_body_json(json!({ "text": "old" })),
            "ok",
        ),
        (
            ResponseTemplate::new(201).set_body_json(json!({ "id": "n1" })),
            "created",
        ),
        (
            ResponseTemplate::new(404)
                .set_body_raw(r#"{"title":"no such note"}"#, "application/problem+json"),
            "not found",
        ),
        (
            ResponseTemplate::new(409).set_body_raw("already there", "text/plain"),
            "conflict",
        ),
        (ResponseTemplate::new(418), "unexpected"),
    ];
    for (template, case) in cases {
        let server = server_answering(template).await;
        let result = responses_client(&server).post_notes(&note).await;
        match (case, result) {
            ("ok", Ok(value)) => {
                assert_eq!(
                    value.into_inner(),
                    PostNotesResponse::Ok(Note {
                        text: Some("old".into())
                    })
                )
            }
            ("created", Ok(value)) => match value.into_inner() {
                PostNotesResponse::Created(created) => {
                    assert_eq!(created.id.as_deref(), Some("n1"))
                }
                other => panic!("{other:?}"),
            },
            ("not found", Err(Error::Api(api))) => match api.body {
                PostNotesError::NotFound(problem) => {
                    assert_eq!(problem.title.as_deref(), Some("no such note"))
                }
                other => panic!("{other:?}"),
            },
            ("conflict", Err(Error::Api(api))) => {
                assert_eq!(api.body, PostNotesError::Conflict("already there".into()))
            }
            ("unexpected", Err(Error::UnexpectedStatus { status, .. })) => {
                assert_eq!(status.as_u16(), 418)
            }
            (case, other) => panic!("{case}: {other:?}"),
        }
        let request = only_request(&server).await;
        assert_eq!(
            header(&request, "authorization"),
            Some("Basic dXNlcjpwYXNz")
        );
        assert_eq!(header(&request, "content-type"), Some("application/json"));
        assert_eq!(request.body, br#"{"text":"hi"}"#);
    }
}

/// Text and bytes request and response bodies, a form body, a multipart body, an empty
/// success and a `default`-only response, through the generated methods.
#[tokio::test]
async fn text_bytes_form_and_multipart_operations() {
    let server = MockServer::start().await;
    Mock::given(path("/notes/text"))
        .respond_with(ResponseTemplate::new(200).set_body_raw("echo: héllo", "text/plain"))
        .mount(&server)
        .await;
    Mock::given(path("/notes/blob"))
        .respond_with(
            ResponseTemplate::new(200).set_body_raw(vec![255u8, 0, 7], "application/octet-stream"),
        )
        .mount(&server)
        .await;
    Mock::given(path("/notes/form"))
        .respond_with(ResponseTemplate::new(202))
        .mount(&server)
        .await;
    Mock::given(path("/notes/upload"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({ "text": "stored" })))
        .mount(&server)
        .await;
    Mock::given(method("DELETE"))
        .respond_with(ResponseTemplate::new(204))
        .mount(&server)
        .await;
    Mock::given(path("/notes/default"))
        .respond_with(ResponseTemplate::new(500).set_body_json(json!({ "text": "broken" })))
        .mount(&server)
        .await;
    let client = responses_client(&server);

    let text = client.put_text().body("héllo").await.unwrap();
    assert_eq!(text.into_inner(), "echo: héllo");
    let blob = client.put_blob(vec![1u8, 2, 254]).await.unwrap();
    assert_eq!(blob.into_inner(), &[255u8, 0, 7][..]);
    let form = responses::types::PostFormBody {
        name: Some("a b&c".into()),
        count: Some(2),
    };
    assert_eq!(
        client.post_form(&form).await.unwrap().status().as_u16(),
        202
    );
    let upload = responses::types::UploadBody {
        title: Some("T".into()),
    };
    let stored = client.upload().body(&upload).await.unwrap();
    assert_eq!(stored.text.as_deref(), Some("stored"));
    assert_eq!(
        client.delete_notes().await.unwrap().status(),
        StatusCode::NO_CONTENT
    );
    match client.default_only().await {
        Err(Error::Api(api)) => {
            assert_eq!(api.status.as_u16(), 500);
            assert_eq!(api.body.text.as_deref(), Some("broken"));
        }
        other => panic!("expected the default response as an error, got {other:?}"),
    }

    let requests = server.received_requests().await.unwrap();
    let sent = |p: &str| requests.iter().find(|r| r.url.path() == p).unwrap();
    let text = sent("/notes/text");
    assert_eq!(header(text, "content-type"), Some("text/plain"));
    assert_eq!(text.body, "héllo".as_bytes());
    let blob = sent("/notes/blob");
    assert_eq!(
        header(blob, "content-type"),
        Some("application/octet-stream")
    );
    assert_eq!(blob.body, [1, 2, 254]);
    let form = sent("/notes/form");
    assert_eq!(
        header(form, "content-type"),
        Some("application/x-www-form-urlencoded")
    );
    assert_eq!(form.body, b"name=a%20b%26c&count=2");
    let upload = sent("/notes/upload");
    assert!(header(upload, "content-type")
        .unwrap()
        .starts_with("multipart/form-data; boundary="));
    let body = String::from_utf8_lossy(&upload.body);
    assert!(
        body.contains("Content-Disposition: form-data; name=\"title\"\r\n\r\nT\r\n"),
        "{body}"
    );
}

/// A 204 and a response to HEAD have no body in HTTP, whatever the spec describes there
/// (AWS's specs give their 204s a JSON schema): the generated methods do not try to decode
/// one, and a 200 beside the 204 still decodes.
#[tokio::test]
async fn responses_http_gives_no_body_are_not_decoded() {
    use responses::types::{Note, TagNotesResponse};
    let server = MockServer::start().await;
    Mock::given(method("PUT"))
        .respond_with(ResponseTemplate::new(204).insert_header("content-type", "application/json"))
        .mount(&server)
        .await;
    Mock::given(method("HEAD"))
        .respond_with(ResponseTemplate::new(200).insert_header("content-type", "application/json"))
        .mount(&server)
        .await;
    let client = responses_client(&server);
    let tagged = client.tag_notes().await.unwrap();
    assert_eq!(tagged.status().as_u16(), 204);
    assert_eq!(tagged.into_inner(), TagNotesResponse::NoContent(()));
    let exists = client.notes_tagged().await.unwrap();
    assert_eq!(exists.status().as_u16(), 200);
    exists.into_inner();

    let server =
        server_answering(ResponseTemplate::new(200).set_body_json(json!({ "text": "t" }))).await;
    let tagged = responses_client(&server).tag_notes().await.unwrap();
    assert_eq!(
        tagged.into_inner(),
        TagNotesResponse::Ok(Note {
            text: Some("t".into())
        })
    );
}

/// A client over the runtime for the fixtures without operations: `decode` does what a
/// generated method's 200 arm does.
struct Decoder(Transport);

impl FromTransport for Decoder {
    fn from_transport(transport: Transport) -> Self {
        Decoder(transport)
    }
}

async fn decode<T: Decode + 'static>(body: serde_json::Value) -> T {
    let server = server_answering(ResponseTemplate::new(200).set_body_json(body)).await;
    // The bodies here follow their specs: any drift is a bug.
    let client = ClientBuilder::<Decoder>::new(Some(&server.uri()), AuthScheme::None)
        .decode_mode(DecodeMode::Strict)
        .build()
        .unwrap();
    let request = client.0.request(reqwest::Method::GET, true);
    let value: ResponseValue<T> = client
        .0
        .call(request, |response| response.json::<T, ()>())
        .await
        .expect("decodes");
    value.into_inner()
}

/// `nullable.yaml`: `null` where the spec allows it, including the `allOf: [{nullable:
/// true}, {$ref}]` that 3.0 specs write to make a reference nullable (PandaScore) and the
/// `nullable: true` beside a `$ref` that 3.0 says to ignore (Twilio), decoded strictly.
#[tokio::test]
async fn nullable_values_decode_strictly() {
    use nullable::types::{Holder, MaybeVersion, State};
    let holder: Holder = decode(json!({
        "required_nullable": null,
        "required_plain": "p",
        "wrapped_ref": null,
        "nullable_ref": null,
        "sibling_ref": null
    }))
    .await;
    assert_eq!(holder.required_nullable, None);
    assert_eq!(holder.wrapped_ref, None);
    assert_eq!(holder.sibling_ref, None);
    let holder: Holder = decode(json!({
        "required_nullable": "x",
        "required_plain": "p",
        "wrapped_ref": "12",
        "sibling_ref": "closed"
    }))
    .await;
    assert_eq!(holder.wrapped_ref.as_ref().map(|v| v.as_str()), Some("12"));
    assert_eq!(holder.sibling_ref, Some(State::Closed));
    let maybe: MaybeVersion = decode(json!(null)).await;
    assert!(maybe.is_none());
}

/// `one_of.yaml`: a discriminated union with a mapping, an alias tag and an implicit tag, an
/// unknown tag kept whole, and an untagged union told apart by shape.
#[tokio::test]
async fn unions_decode_from_the_wire() {
    use one_of::types::{Owner, OwnerFavourite, Pet};
    let body = json!({
        "pets": [
            { "kind": "cat", "lives": 9 },
            { "kind": "kitten", "lives": 7 },
            { "kind": "dog", "good": true },
            { "kind": "Lizard", "scales": 200 },
            { "kind": "axolotl", "gills": 6 }
        ],
        "favourite": "the dog"
    });
    let owner: Owner = decode(body.clone()).await;
    let pets = owner.pets.as_deref().unwrap();
    assert!(matches!(&pets[0], Pet::Cat(cat) if cat.lives == 9));
    assert!(matches!(&pets[1], Pet::Kitten(cat) if cat.lives == 7));
    assert!(matches!(&pets[2], Pet::Dog(dog) if dog.good == Some(true)));
    assert!(matches!(&pets[3], Pet::Lizard(l) if l.scales == Some(200)));
    assert!(matches!(&pets[4], Pet::Unknown(v) if v["gills"] == 6));
    assert_eq!(
        owner.favourite,
        Some(OwnerFavourite::String("the dog".into()))
    );
    assert_eq!(serde_json::to_value(&owner).unwrap(), body);

    let owner: Owner = decode(json!({ "favourite": { "kind": "cat", "lives": 3 } })).await;
    assert!(matches!(owner.favourite, Some(OwnerFavourite::Cat(cat)) if cat.lives == 3));
}

/// `maps.yaml`: declared fields next to additional properties, and maps of arrays of maps.
#[tokio::test]
async fn maps_decode_from_the_wire() {
    use maps::types::{Labels, Nested};
    let labels: Labels = decode(json!({ "name": "n", "team": "core", "tier": "1" })).await;
    assert_eq!(labels.name, "n");
    assert_eq!(
        labels.additional_properties.get("team").map(String::as_str),
        Some("core")
    );
    assert_eq!(labels.additional_properties.len(), 2);

    let body = json!({
        "groups": { "a": [{ "x": 1 }, { "y": 2, "z": 3 }] },
        "inline_values": { "k": { "weight": 1.5 } }
    });
    let nested: Nested = decode(body.clone()).await;
    let groups = nested.groups.as_ref().unwrap();
    assert_eq!(groups["a"][1]["z"], 3);
    assert_eq!(
        nested.inline_values.as_ref().unwrap()["k"].weight,
        Some(1.5)
    );
    assert_eq!(serde_json::to_value(&nested).unwrap(), body);
}

/// `alias_cycles.yaml`: schemas made of themselves decode as what they can hold (any JSON,
/// arrays or maps of any JSON, the other variants of their unions), and a discriminated
/// union whose tag names itself is a decode error, not a stack overflow.
#[tokio::test]
async fn schemas_made_of_themselves_decode() {
    use alias_cycles::types::{Leaf, Loop, T, U1};
    let body = json!({
        "a": {"x": 1}, "self": 3, "one": "s", "any": [1], "nullable": null,
        "list": [[1], [2]], "map": {"k": {"j": 1}}, "c": true, "loop": "text", "u1": 5,
        "t": {"kind": "Leaf", "v": 2}
    });
    let server = server_answering(ResponseTemplate::new(200).set_body_json(&body)).await;
    let client = alias_cycles::Client::builder()
        .base_url(server.uri())
        .decode_mode(DecodeMode::Strict)
        .build()
        .unwrap();
    let value = client.get_a().await.expect("decodes").into_inner();
    assert_eq!(value.a, Some(json!({"x": 1})));
    assert_eq!(value.list, Some(vec![json!([1]), json!([2])]));
    assert_eq!(value.map.as_ref().unwrap()["k"], json!({"j": 1}));
    assert_eq!(value.nullable, Some(None));
    assert_eq!(value.r#loop, Some(Loop::String("text".into())));
    assert_eq!(value.u1, Some(U1::Integer(5)));
    assert!(matches!(value.t, Some(T::Leaf(Leaf { v: Some(2), .. }))));
    assert_eq!(serde_json::to_value(&value).unwrap(), body);

    let server =
        server_answering(ResponseTemplate::new(200).set_body_json(json!({"t": {"kind": "T"}})))
            .await;
    let client = alias_cycles::Client::builder()
        .base_url(server.uri())
        .build()
        .unwrap();
    match client.get_a().await {
        Err(Error::Decode { path, message, .. }) => {
            assert_eq!(path.to_string(), "t");
            assert!(message.contains("nested more than 128"), "{message}");
        }
        other => panic!("{other:?}"),
    }
}
