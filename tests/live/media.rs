//! Media types, downloads and streams (issue 12), through the generated methods of
//! `tests/fixtures/media_types.yaml` and `tests/fixtures/github_like.yaml` against servers on
//! 127.0.0.1: the caller chooses the request's and the response's representation, binary
//! bodies stream, and server-sent events arrive as typed events.

use std::time::Duration;

use distributions::runtime::{Error, EventError};
use distributions_tests::{github_like, media_types};
use serde_json::json;
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpListener;
use wiremock::{MockServer, ResponseTemplate};

use crate::support::{header_values, only_request, received, server_answering};

fn media_client(server: &MockServer) -> media_types::Client {
    media_client_at(&server.uri())
}

fn media_client_at(url: &str) -> media_types::Client {
    media_types::Client::builder()
        .base_url(url)
        .build()
        .expect("client")
}

fn github_client(server: &MockServer) -> github_like::Client {
    github_like::Client::builder()
        .base_url(server.uri())
        .build()
        .expect("client")
}

fn created() -> ResponseTemplate {
    ResponseTemplate::new(201).set_body_json(json!({"id": 1, "title": "t"}))
}

/// A body documented as JSON, form and multipart: the default method sends JSON, the
/// `_with_form` and `_with_multipart` methods the other encodings, each with its type; the
/// multipart form has a part per field, arrays repeated, and the file part carries its file
/// name and content type.
#[tokio::test]
async fn the_caller_chooses_the_request_media_type() {
    let server = server_answering(created()).await;
    let client = media_client(&server);
    let note = media_types::types::NewNote {
        title: "groceries & more".into(),
        pinned: Some(true),
    };
    let json_note = client.create_note(&note).await.expect("json");
    assert_eq!(json_note.id, 1);
    client.create_note_with_form(&note).await.expect("form");
    let upload = media_types::types::NoteUpload {
        title: "scan".into(),
        tags: Some(vec!["a".into(), "b".into()]),
        attachment: media_types::types::FilePart::new(&b"\x89PNG"[..])
            .file_name("scan.png")
            .content_type("image/png"),
    };
    client
        .create_note_with_multipart(&upload)
        .await
        .expect("multipart");

    let requests = received(&server).await;
    let types = header_values(&requests, "content-type");
    assert_eq!(types[0], "application/json");
    assert_eq!(types[1], "application/x-www-form-urlencoded");
    assert!(
        types[2].starts_with("multipart/form-data; boundary="),
        "{}",
        types[2]
    );
    let body = |i: usize| String::from_utf8_lossy(&requests[i].body).into_owned();
    assert_eq!(
        serde_json::from_str::<serde_json::Value>(&body(0)).unwrap(),
        json!({"title": "groceries & more", "pinned": true})
    );
    assert_eq!(body(1), "title=groceries%20%26%20more&pinned=true");
    let multipart = body(2);
    for part in [
        "name=\"title\"\r\n\r\nscan\r\n",
        "name=\"tags\"\r\n\r\na\r\n",
        "name=\"tags\"\r\n\r\nb\r\n",
        "name=\"attachment\"; filename=\"scan.png\"\r\nContent-Type: image/png\r\n\r\n\u{fffd}PNG\r\n",
    ] {
        assert!(multipart.contains(part), "{part:?} in {multipart}");
    }
}

/// Media types encoded alike share a method: the call's `content_type` picks one
/// (GitHub's Markdown endpoint takes `text/plain` or `text/x-markdown`). A value that is
/// not a header, or a call without a body, fails with nothing sent.
#[tokio::test]
async fn media_types_encoded_alike_are_chosen_per_call() {
    let server = server_answering(ResponseTemplate::new(200).set_body_string("<p>hi</p>")).await;
    let client = github_client(&server);
    let html = client
        .markdown_render_raw()
        .body("*hi*")
        .content_type("text/x-markdown")
        .await
        .expect("render");
    assert_eq!(html.as_str(), "<p>hi</p>");
    client
        .markdown_render_raw()
        .body("*hi*")
        .await
        .expect("plain");
    let requests = received(&server).await;
    assert_eq!(
        header_values(&requests, "content-type"),
        ["text/x-markdown", "text/plain"]
    );
    assert_eq!(requests[0].body, b"*hi*");

    for call in [
        client
            .markdown_render_raw()
            .body("x")
            .content_type("text/plain\r\nX-Evil: 1"),
        client.markdown_render_raw().content_type("text/plain"),
    ] {
        match call.await {
            Err(Error::InvalidRequest(_)) => {}
            other => panic!("expected an invalid request, got {other:?}"),
        }
    }
    assert_eq!(received(&server).await.len(), 2, "nothing more was sent");
}

/// A response documented in several media types: the default method asks for JSON and
/// decodes it; `_as_github_diff` asks for the vendor type and returns text;
/// `_as_github_object` decodes the vendor JSON into its own type.
#[tokio::test]
async fn the_caller_chooses_the_response_media_type() {
    let server = MockServer::start().await;
    for (accept, template) in [
        (
            "application/json",
            ResponseTemplate::new(200).set_body_json(json!({"sha": "abc"})),
        ),
        (
            "application/vnd.github.diff",
            ResponseTemplate::new(200).set_body_string("diff --git a/x b/x"),
        ),
        (
            "application/vnd.github.object",
            ResponseTemplate::new(200).set_body_json(json!({
                "type": "dir", "size": 0, "name": "", "path": "", "sha": "t",
                "entries": [{"type": "file", "size": 3, "name": "a", "path": "a", "sha": "s"}]
            })),
        ),
    ] {
        wiremock::Mock::given(wiremock::matchers::header_regex(
            "accept",
            &format!("^{}", regex::escape(accept)),
        ))
        .respond_with(template)
        .mount(&server)
        .await;
    }
    let client = github_client(&server);
    let commit = client
        .repos_get_commit("o", "r", "heads/main")
        .await
        .expect("json");
    assert_eq!(commit.sha, "abc");
    let diff = client
        .repos_get_commit_as_github_diff("o", "r", "heads/main")
        .await
        .expect("diff");
    assert_eq!(diff.as_str(), "diff --git a/x b/x");
    let tree = client
        .repos_get_content_as_github_object("o", "r", "")
        .await
        .expect("object");
    match tree.into_inner() {
        github_like::types::ReposGetContentAsGithubObjectResponse::Ok(tree) => {
            assert_eq!(tree.entries[0].name, "a")
        }
        other => panic!("expected the tree, got {other:?}"),
    }
    let accepts = header_values(&received(&server).await, "accept");
    assert_eq!(
        accepts,
        [
            "application/json",
            "application/vnd.github.diff, application/json",
            "application/vnd.github.object, application/json",
        ]
    );
}

/// A representation the spec does not list (`application/vnd.github.raw+json`, a file's
/// raw content) is asked for with `accept` and read with `bytes` or `text`, with the status
/// and headers; an error status is still the operation's typed error.
#[tokio::test]
async fn an_unlisted_representation_comes_back_raw() {
    let server = MockServer::start().await;
    wiremock::Mock::given(wiremock::matchers::path("/repos/o/r/contents/src/lib.rs"))
        .and(wiremock::matchers::header(
            "accept",
            "application/vnd.github.raw+json",
        ))
        .respond_with(
            ResponseTemplate::new(200)
                .insert_header("etag", "\"e1\"")
                .set_body_raw("fn main() {}\n", "application/vnd.github.raw+json"),
        )
        .mount(&server)
        .await;
    wiremock::Mock::given(wiremock::matchers::path("/repos/o/r/contents/missing"))
        .respond_with(ResponseTemplate::new(404).set_body_json(json!({"message": "Not Found"})))
        .mount(&server)
        .await;
    let client = github_client(&server);
    let raw = client
        .repos_get_content("o", "r", "src/lib.rs")
        .accept("application/vnd.github.raw+json")
        .bytes()
        .await
        .expect("raw");
    assert_eq!(raw.status(), 200);
    assert_eq!(raw.headers()["etag"], "\"e1\"");
    assert_eq!(&raw.into_inner()[..], b"fn main() {}\n");
    let text = client
        .repos_get_content("o", "r", "src/lib.rs")
        .accept("application/vnd.github.raw+json")
        .text()
        .await
        .expect("text");
    assert_eq!(text.as_str(), "fn main() {}\n");

    match client
        .repos_get_content("o", "r", "missing")
        .accept("application/vnd.github.raw+json")
        .bytes()
        .await
    {
        Err(Error::Api(e)) => {
            assert_eq!(e.status, 404);
            assert_eq!(e.body.message.as_deref(), Some("Not Found"));
        }
        other => panic!("expected the documented 404, got {other:?}"),
    }
}

/// A one-connection HTTP/1.1 server on 127.0.0.1 that answers the first request with
/// `head` (status line and headers) and then each of `chunks` as a chunk of a chunked body,
/// waiting for `gate` before each chunk after the first; with `finish` false it closes the
/// connection without the last chunk (a dropped connection).
async fn chunked_server(
    head: &'static str,
    chunks: Vec<&'static str>,
    mut gate: tokio::sync::mpsc::Receiver<()>,
    finish: bool,
) -> String {
    let listener = TcpListener::bind("127.0.0.1:0").await.expect("bind");
    let url = format!("http://{}", listener.local_addr().expect("addr"));
    tokio::spawn(async move {
        let (mut socket, _) = listener.accept().await.expect("accept");
        let mut seen = Vec::new();
        let mut buf = [0u8; 1024];
        while !seen.windows(4).any(|w| w == b"\r\n\r\n") {
            let n = socket.read(&mut buf).await.expect("read");
            if n == 0 {
                return;
            }
            seen.extend_from_slice(&buf[..n]);
        }
        let head = format!("{head}\r\ntransfer-encoding: chunked\r\n\r\n");
        socket.write_all(head.as_bytes()).await.expect("head");
        for (i, chunk) in chunks.iter().enumerate() {
            if i > 0 && gate.recv().await.is_none() {
                return;
            }
            let framed = format!("{:x}\r\n{chunk}\r\n", chunk.len());
            socket.write_all(framed.as_bytes()).await.expect("chunk");
            socket.flush().await.expect("flush");
        }
        if finish {
            socket.write_all(b"0\r\n\r\n").await.expect("end");
        }
        socket.shutdown().await.ok();
    });
    url
}

/// A binary download read as a stream: the first chunk reaches the caller while the server
/// still holds the second (so the body is not buffered whole); the default method returns
/// the bytes; an error status on a stream is the documented error, decoded.
#[tokio::test]
async fn binary_responses_stream_as_they_arrive() {
    let (gate, wait) = tokio::sync::mpsc::channel(1);
    let url = chunked_server(
        "HTTP/1.1 200 OK\r\ncontent-type: application/zip",
        vec!["PK\u{3}\u{4}first", "second"],
        wait,
        true,
    )
    .await;
    let client = media_client_at(&url);
    let response = client.download_archive().stream().await.expect("stream");
    assert_eq!(response.headers()["content-type"], "application/zip");
    let mut body = response.into_inner();
    let first = tokio::time::timeout(Duration::from_secs(5), body.next())
        .await
        .expect("the first chunk arrives before the server sends the rest")
        .expect("a chunk")
        .expect("no error");
    assert_eq!(&first[..], b"PK\x03\x04first");
    gate.send(()).await.expect("gate");
    let rest = body.to_bytes().await.expect("rest");
    assert_eq!(&rest[..], b"second");

    let server = MockServer::start().await;
    wiremock::Mock::given(wiremock::matchers::any())
        .respond_with(ResponseTemplate::new(404).set_body_json(json!({"detail": "none yet"})))
        .mount(&server)
        .await;
    let client = media_client(&server);
    match client.download_archive().stream().await {
        Err(Error::Api(e)) => assert_eq!(e.body.detail, "none yet"),
        other => panic!("expected the documented 404, got {other:?}"),
    }
    let server = server_answering(
        ResponseTemplate::new(200).set_body_raw(vec![0u8, 159, 146, 150], "application/zip"),
    )
    .await;
    let zip = media_client(&server)
        .download_archive()
        .await
        .expect("bytes");
    assert_eq!(&zip.into_inner()[..], &[0u8, 159, 146, 150]);
}

/// Server-sent events with JSON data become typed events, the stream ends at `[DONE]`
/// (what follows is not read); an event that does not fit the schema is a decode error
/// with its path, and the stream goes on; a documented error status is decoded.
#[tokio::test]
async fn server_sent_events_are_typed_and_end_at_the_marker() {
    let body = concat!(
        ": a comment\n\n",
        "event: chunk\nid: 1\ndata: {\"index\": 0, \"text\": \"Hel\"}\n\n",
        "data: {\"index\": 1, \"text\": 5}\n\n",
        "data: {\"index\": 2,\ndata:  \"text\": \"lo\"}\n\n",
        "data: [DONE]\n\n",
        "data: {\"index\": 3, \"text\": \"never\"}\n\n",
    );
    let server =
        server_answering(ResponseTemplate::new(200).set_body_raw(body, "text/event-stream")).await;
    let client = media_client(&server);
    let prompt = media_types::types::StreamCompletionBody {
        prompt: "Hello".into(),
    };
    let response = client.stream_completion(&prompt).await.expect("stream");
    assert_eq!(response.status(), 200);
    let mut events = response.into_inner();
    let first = events.next().await.expect("event").expect("decoded");
    assert_eq!((first.event(), first.id()), ("chunk", "1"));
    assert_eq!(first.data().text, "Hel");
    match events.next().await {
        Some(Err(EventError::Decode { path, data, .. })) => {
            assert_eq!(path.to_string(), "text");
            assert!(data.contains("\"text\": 5"), "{data}");
        }
        other => panic!("expected a decode error, got {other:?}"),
    }
    let third = events.next().await.expect("event").expect("decoded");
    assert_eq!((third.data().index, third.data().text.as_str()), (2, "lo"));
    assert!(events.next().await.is_none(), "ends at [DONE]");
    assert!(events.next().await.is_none(), "and stays ended");
    assert_eq!(
        header_values(&received(&server).await, "accept"),
        ["text/event-stream, application/json"]
    );

    let server =
        server_answering(ResponseTemplate::new(429).set_body_json(json!({"detail": "slow down"})))
            .await;
    match media_client(&server).stream_completion(&prompt).await {
        Err(Error::Api(e)) => assert_eq!(e.body.detail, "slow down"),
        other => panic!("expected the documented 429, got {other:?}"),
    }
}

/// Events whose schema is a string keep their data as text; without an end marker the
/// stream ends when the server closes the response.
#[tokio::test]
async fn text_events_end_with_the_response() {
    let server = server_answering(
        ResponseTemplate::new(200).set_body_raw("data: one\n\ndata: two\n\n", "text/event-stream"),
    )
    .await;
    let mut events = media_client(&server)
        .tail_logs()
        .await
        .expect("stream")
        .into_inner();
    let mut lines = Vec::new();
    while let Some(event) = events.next().await {
        lines.push(event.expect("event").into_data());
    }
    assert_eq!(lines, ["one", "two"]);
    let _ = only_request(&server, "tail").await;
}

/// A connection that drops mid-stream is a typed transport error after the events that
/// arrived, not a clean end.
#[tokio::test]
async fn a_dropped_event_stream_is_an_error() {
    let (gate, wait) = tokio::sync::mpsc::channel(1);
    let url = chunked_server(
        "HTTP/1.1 200 OK\r\ncontent-type: text/event-stream",
        vec!["data: one\n\n", "data: tw"],
        wait,
        false,
    )
    .await;
    let client = media_client_at(&url);
    let mut events = client.tail_logs().await.expect("stream").into_inner();
    let first = events.next().await.expect("event").expect("data");
    assert_eq!(first.data(), "one");
    gate.send(()).await.expect("gate");
    match tokio::time::timeout(Duration::from_secs(5), events.next())
        .await
        .expect("the drop is noticed")
    {
        Some(Err(EventError::Transport(_))) => {}
        other => panic!("expected a transport error, got {other:?}"),
    }
    assert!(events.next().await.is_none());
}
