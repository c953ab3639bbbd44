//! Swagger 2.0 and OpenAPI 3.1 specs (issue 14), through the generated methods of the
//! `swagger2_*` and `openapi31_*` fixtures against servers on 127.0.0.1: what the
//! conversion to the 3.0 shape decided (servers, bodies, forms, collection formats,
//! responses by reference, nullable and multi-type fields, webhook payloads) is what goes
//! over the wire and what decodes.

use distributions::runtime::{decode, DecodeMode, Error, FilePart};
use distributions_tests::{
    openapi31_refs, openapi31_types, openapi31_webhooks, swagger2_forms, swagger2_petstore,
    swagger2_security,
};
use serde_json::json;
use wiremock::ResponseTemplate;

use crate::support::{header, only_request, received, server_answering};

/// `host`, `basePath` and `schemes` became the servers, https first.
#[test]
fn swagger_servers_come_from_host_base_path_and_schemes() {
    let client = swagger2_petstore::Client::new().expect("client");
    assert_eq!(client.base_url(), "https://petstore.example.com/v2");
    let relative = swagger2_security::Client::builder()
        .base_url("http://127.0.0.1:9/api")
        .token("k")
        .build()
        .expect("client");
    assert_eq!(relative.base_url(), "http://127.0.0.1:9/api");
}

/// A `$ref` to a global parameter, a `multi` array, a body parameter and a response by
/// reference (`#/responses/NotFound`) all work as the 2.0 document describes.
#[tokio::test]
async fn swagger_parameters_bodies_and_shared_responses() {
    let server = server_answering(
        ResponseTemplate::new(200)
            .set_body_json(json!([{"id": 7, "name": "Rex"}]))
            .insert_header("X-Total-Count", "1"),
    )
    .await;
    let client = swagger2_petstore::Client::builder()
        .base_url(format!("{}/v2", server.uri()))
        .build()
        .expect("client");
    use swagger2_petstore::types::ListPetsStatusItem as Status;
    let pets = client
        .list_pets()
        .limit(5)
        .status([Status::Available, Status::Sold])
        .await
        .expect("listed")
        .into_inner();
    assert_eq!((pets[0].id, pets[0].name.as_str()), (7, "Rex"));
    let request = only_request(&server, "list").await;
    assert_eq!(request.url.path(), "/v2/pets");
    assert_eq!(
        request.url.query(),
        Some("limit=5&status=available&status=sold")
    );

    let server =
        server_answering(ResponseTemplate::new(201).set_body_json(json!({"id": 8, "name": "Tom"})))
            .await;
    let client = swagger2_petstore::Client::builder()
        .base_url(server.uri())
        .build()
        .expect("client");
    let new = swagger2_petstore::types::NewPet {
        name: "Tom".into(),
        tag: None,
    };
    let pet = client.add_pet(&new).await.expect("added").into_inner();
    assert_eq!(pet.id, 8);
    let request = only_request(&server, "add").await;
    assert_eq!(header(&request, "content-type"), Some("application/json"));
    assert_eq!(
        serde_json::from_slice::<serde_json::Value>(&request.body).unwrap(),
        json!({"name": "Tom"})
    );

    let server = server_answering(
        ResponseTemplate::new(404).set_body_json(json!({"code": 404, "message": "no pet"})),
    )
    .await;
    let client = swagger2_petstore::Client::builder()
        .base_url(server.uri())
        .build()
        .expect("client");
    match client.get_pet(1).await {
        Err(Error::Api(e)) => assert_eq!((e.body.code, e.body.message.as_str()), (404, "no pet")),
        other => panic!("expected the shared NotFound response, got {other:?}"),
    }
}

/// `collectionFormat` became each parameter's style: `csv` in the query and in headers is
/// comma-separated, `ssv` space- and `pipes` pipe-delimited.
#[tokio::test]
async fn swagger_collection_formats_are_sent_as_declared() {
    let server = server_answering(ResponseTemplate::new(200).set_body_json(json!([]))).await;
    let client = swagger2_forms::Client::builder()
        .base_url(server.uri())
        .build()
        .expect("client");
    client
        .search()
        .ids([1, 2])
        .words(["a", "b"])
        .flags(["x", "y"])
        .x_trace(["t1", "t2"])
        .await
        .expect("searched");
    let request = only_request(&server, "search").await;
    assert_eq!(
        request.url.query(),
        Some("ids=1%2C2&words=a+b&flags=x%7Cy"),
        "{}",
        request.url
    );
    assert_eq!(header(&request, "x-trace"), Some("t1,t2"));
}

/// `formData` parameters became a form body (`csv` array comma-separated) or, with a
/// `file` among them, a multipart body; a `type: file` response downloads as bytes.
#[tokio::test]
async fn swagger_form_data_and_files() {
    let server =
        server_answering(ResponseTemplate::new(200).set_body_json(json!({"token": "t"}))).await;
    let client = swagger2_forms::Client::builder()
        .base_url(server.uri())
        .build()
        .expect("client");
    let login = swagger2_forms::types::LoginBody {
        username: "ann".into(),
        password: "p&w".into(),
        scopes: Some(vec!["read".into(), "write".into()]),
        remember: None,
    };
    let session = client.login(&login).await.expect("logged in").into_inner();
    assert_eq!(session.token.as_deref(), Some("t"));
    let upload = swagger2_forms::types::UploadFileBody {
        file: FilePart::new(&b"hello"[..]).file_name("a.txt"),
        folder: Some("docs".into()),
        labels: Some(vec!["x".into(), "y".into()]),
    };
    let server_files =
        server_answering(ResponseTemplate::new(201).set_body_json(json!({"id": "f1"}))).await;
    let files = swagger2_forms::Client::builder()
        .base_url(server_files.uri())
        .build()
        .expect("client");
    let stored = files
        .upload_file(&upload)
        .await
        .expect("uploaded")
        .into_inner();
    assert_eq!(stored.id, "f1");

    let login_request = only_request(&server, "login").await;
    assert_eq!(
        header(&login_request, "content-type"),
        Some("application/x-www-form-urlencoded")
    );
    assert_eq!(
        String::from_utf8_lossy(&login_request.body),
        "username=ann&password=p%26w&scopes=read%2Cwrite"
    );
    let upload_request = only_request(&server_files, "upload").await;
    let content_type = header(&upload_request, "content-type").unwrap_or_default();
    assert!(
        content_type.starts_with("multipart/form-data; boundary="),
        "{content_type}"
    );
    let body = String::from_utf8_lossy(&upload_request.body);
    assert!(body.contains("name=\"file\"; filename=\"a.txt\""), "{body}");
    assert!(body.contains("hello"), "{body}");
    assert_eq!(body.matches("name=\"labels\"").count(), 2, "{body}");

    let bytes_server =
        server_answering(ResponseTemplate::new(200).set_body_bytes(b"\x00\x01raw".to_vec())).await;
    let download = swagger2_forms::Client::builder()
        .base_url(bytes_server.uri())
        .build()
        .expect("client");
    let got = download
        .download_file("f1")
        .await
        .expect("downloaded")
        .into_inner();
    assert_eq!(&got[..], b"\x00\x01raw");
}

/// The document-wide `apiKey` in the query (a 2.0 `securityDefinitions` entry) is sent.
#[tokio::test]
async fn swagger_security_definitions_become_the_client_credentials() {
    let server =
        server_answering(ResponseTemplate::new(200).set_body_json(json!({"name": "a"}))).await;
    let client = swagger2_security::Client::builder()
        .base_url(server.uri())
        .token("s3cret")
        .build()
        .expect("client");
    client.me().await.expect("me");
    let request = only_request(&server, "me").await;
    assert_eq!(request.url.query(), Some("api_key=s3cret"));
}

/// 3.1's nullable and multi-type fields decode strictly: `type: [string, "null"]` to an
/// `Option`, `anyOf` with `{"type": "null"}` to an `Option` of the reference, `type:
/// [integer, string]` to a union, `const` to a one-value enum; numeric exclusive bounds are
/// checked as 3.0's.
#[tokio::test]
async fn openapi31_nullable_and_multi_type_fields_decode() {
    let reading = json!({
        "kind": "reading",
        "value": 21.5,
        "label": null,
        "code": "ab",
        "previous": {"kind": "reading", "value": 20, "label": "old", "code": 3, "previous": null},
        "note": null,
        "signature": "aGk="
    });
    let server = server_answering(ResponseTemplate::new(200).set_body_json(reading.clone())).await;
    let client = openapi31_types::Client::builder()
        .base_url(server.uri())
        .decode_mode(DecodeMode::Strict)
        .build()
        .expect("client");
    let got = client
        .get_reading(1)
        .await
        .expect("decodes strictly")
        .into_inner();
    use openapi31_types::types::{ReadingCode, ReadingKind};
    assert_eq!(got.kind, ReadingKind::Reading);
    assert_eq!(got.label, None);
    assert_eq!(got.code, Some(ReadingCode::String("ab".into())));
    assert_eq!(got.note, Some(None));
    let previous = got.previous.clone().flatten().expect("a previous reading");
    assert_eq!(previous.label.as_deref(), Some("old"));
    assert_eq!(previous.code, Some(ReadingCode::Integer(3)));
    assert_eq!(previous.previous, Some(None));

    let server = server_answering(ResponseTemplate::new(204)).await;
    let client = openapi31_types::Client::builder()
        .base_url(server.uri())
        .build()
        .expect("client");
    client.put_reading(1, &got).await.expect("stored");
    let request = only_request(&server, "put").await;
    let sent: serde_json::Value = serde_json::from_slice(&request.body).unwrap();
    assert_eq!(
        sent["label"],
        json!(null),
        "a required nullable field is sent as null"
    );
    assert_eq!(sent["code"], json!("ab"));
}

/// A `contentMediaType` field of a multipart body is a file part.
#[tokio::test]
async fn openapi31_content_media_type_is_a_file_part() {
    let server = server_answering(ResponseTemplate::new(204)).await;
    let client = openapi31_types::Client::builder()
        .base_url(server.uri())
        .build()
        .expect("client");
    let body = openapi31_types::types::UploadPhotoBody {
        photo: FilePart::new(&b"\x89PNG"[..]).content_type("image/png"),
        caption: Some(None),
    };
    client.upload_photo(1, &body).await.expect("uploaded");
    let requests = received(&server).await;
    let sent = String::from_utf8_lossy(&requests[0].body);
    assert!(sent.contains("Content-Type: image/png"), "{sent}");
}

/// `$defs` became components and `components/pathItems` were put in place: the path item's
/// operation is a method, and `$ref` with siblings keeps the reference's type.
#[tokio::test]
async fn openapi31_defs_and_path_items() {
    let server = server_answering(ResponseTemplate::new(200).set_body_json(json!([{
        "id": "o1",
        "total": {"amount": "9.50", "currency": "EUR"},
        "refund": null,
        "lines": [{"sku": "a", "price": {"amount": "1", "currency": "EUR"}}]
    }])))
    .await;
    let client = openapi31_refs::Client::builder()
        .base_url(server.uri())
        .decode_mode(DecodeMode::Strict)
        .build()
        .expect("client");
    let orders = client.list_orders().await.expect("listed").into_inner();
    let order: &openapi31_refs::types::Order = &orders[0];
    let total: &openapi31_refs::types::Money = &order.total;
    assert_eq!(total.currency, "EUR");
    assert_eq!(order.refund, Some(None));
    assert_eq!(order.lines.as_ref().map(Vec::len), Some(1));
}

/// A webhook's payload has a type: users decode what the API sends them (here as serde's
/// `Deserialize`, through the runtime's `Json` wrapper, strictly).
#[test]
fn openapi31_webhook_payloads_are_types() {
    use openapi31_webhooks::types::{Cancellation, OrderShippedPayload};
    let payload = br#"{"orderId": "o1", "shippedAt": "2026-12-07T10:00:00Z", "carrier": null}"#;
    let shipped = serde_json::from_slice::<decode::Json<OrderShippedPayload>>(payload)
        .expect("decodes")
        .into_inner();
    assert_eq!(shipped.order_id, "o1");
    assert_eq!(shipped.carrier, Some(None), "present and null");
    let cancelled = serde_json::from_slice::<decode::Json<Cancellation>>(br#"{"orderId": "o2"}"#)
        .expect("decodes")
        .into_inner();
    assert_eq!(cancelled.order_id, "o2");
    assert!(
        serde_json::from_slice::<decode::Json<Cancellation>>(br#"{"reason": "late"}"#).is_err(),
        "a payload without its required field is refused"
    );
}
