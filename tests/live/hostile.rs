//! Servers that misbehave, on 127.0.0.1: every case ends in a typed error (or a value, with
//! its drift reported) within the call's timeout, with memory bounded by the client's
//! response size limit. The client is the `tests/fixtures/hostile.yaml` one. Each test's
//! peak memory is measured by running it alone (see `bench/reliability.md`).

use std::time::{Duration, Instant};

use distributions::runtime::{DecodeMode, DriftKind, Error, EventError, DEFAULT_MAX_RESPONSE_SIZE};
use distributions_tests::hostile::Client;
use tokio::io::AsyncWriteExt as _;
use tokio::net::TcpStream;

use crate::support::{fast_retries, raw_server, read_head};

/// The client every test uses: the server at `base`, a 2 s timeout, quick retries.
fn client(base: &str) -> Client {
    Client::builder()
        .base_url(base)
        .timeout(Duration::from_secs(2))
        .retry(fast_retries(2))
        .build()
        .expect("client")
}

/// Answers every request with `head` (status line and headers, the blank line added) and
/// `body`.
async fn answering(head: &'static str, body: Vec<u8>) -> String {
    let body = std::sync::Arc::new(body);
    raw_server(move |mut socket| {
        let body = std::sync::Arc::clone(&body);
        async move {
            read_head(&mut socket).await;
            let head = format!("{head}\r\ncontent-length: {}\r\n\r\n", body.len());
            let _ = socket.write_all(head.as_bytes()).await;
            let _ = socket.write_all(&body).await;
        }
    })
    .await
}

/// Sends `bytes` until the client goes away, as fast as it reads.
async fn endless(socket: &mut TcpStream, bytes: &[u8]) {
    while socket.write_all(bytes).await.is_ok() {}
}

/// Runs `call` and checks it ends within `limit`.
async fn within<T>(limit: Duration, call: impl std::future::IntoFuture<Output = T>) -> T {
    let start = Instant::now();
    let outcome = tokio::time::timeout(limit * 2, call)
        .await
        .expect("the call ended");
    assert!(start.elapsed() <= limit, "took {:?}", start.elapsed());
    outcome
}

#[tokio::test]
async fn a_body_trickled_byte_by_byte_ends_at_the_timeout() {
    let base = raw_server(|mut socket| async move {
        read_head(&mut socket).await;
        let head =
            "HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ncontent-length: 100000\r\n\r\n";
        let _ = socket.write_all(head.as_bytes()).await;
        loop {
            if socket.write_all(b" ").await.is_err() {
                break;
            }
            tokio::time::sleep(Duration::from_millis(20)).await;
        }
    })
    .await;
    let client = Client::builder()
        .base_url(base)
        .timeout(Duration::from_millis(500))
        .build()
        .expect("client");
    let error = within(Duration::from_secs(2), client.get_thing("x"))
        .await
        .expect_err("too slow");
    assert!(error.is_timeout(), "{error:?}");
}

#[tokio::test]
async fn an_endless_body_is_refused_at_the_size_limit() {
    let base = raw_server(|mut socket| async move {
        read_head(&mut socket).await;
        // No length: the body ends when the connection does, which it never does.
        let head =
            "HTTP/1.1 200 OK\r\ncontent-type: application/json\r\nconnection: close\r\n\r\n[";
        let _ = socket.write_all(head.as_bytes()).await;
        endless(&mut socket, "{\"name\": \"x\"},".repeat(1000).as_bytes()).await;
    })
    .await;
    // The default limit.
    let error = within(Duration::from_secs(10), client(&base).list_things())
        .await
        .expect_err("endless");
    match error {
        Error::ResponseTooLarge { status, limit, .. } => {
            assert_eq!(status, 200);
            assert_eq!(limit, DEFAULT_MAX_RESPONSE_SIZE);
        }
        other => panic!("{other:?}"),
    }
    // A limit of the caller's.
    let small = Client::builder()
        .base_url(&base)
        .max_response_size(100_000)
        .build()
        .expect("client");
    let error = small.list_things().await.expect_err("endless");
    assert!(
        matches!(error, Error::ResponseTooLarge { limit: 100_000, .. }),
        "{error:?}"
    );
    assert_eq!(error.status().map(|s| s.as_u16()), Some(200));
}

#[tokio::test]
async fn a_body_announced_larger_than_the_limit_is_not_read() {
    // Announces 1 TB and sends nothing: refused at once, not after the timeout.
    let base = raw_server(|mut socket| async move {
        read_head(&mut socket).await;
        let head = "HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ncontent-length: 1000000000000\r\n\r\n";
        let _ = socket.write_all(head.as_bytes()).await;
        tokio::time::sleep(Duration::from_secs(30)).await;
    })
    .await;
    let error = within(Duration::from_secs(1), client(&base).get_thing("x"))
        .await
        .expect_err("too large");
    assert!(matches!(error, Error::ResponseTooLarge { .. }), "{error:?}");
}

#[tokio::test]
async fn json_nested_100000_levels_deep_is_a_decode_error() {
    let mut object = String::new();
    for _ in 0..100_000 {
        object.push_str(r#"{"name": "a", "parts": ["#);
    }
    let base = answering(
        "HTTP/1.1 200 OK\r\ncontent-type: application/json",
        object.into_bytes(),
    )
    .await;
    let error = client(&base).get_thing("x").await.expect_err("too deep");
    match &error {
        Error::Decode { path, message, .. } => {
            assert!(message.contains("nested more than"), "{message}");
            assert!(path.to_string().starts_with("parts[0].parts[0]"), "{path}");
        }
        other => panic!("{other:?}"),
    }
    // Arrays, where no type is expected at all: skipped without recursion, still bounded.
    let base = answering(
        "HTTP/1.1 200 OK\r\ncontent-type: application/json",
        format!(r#"{{"name": "a", "extra": {}}}"#, "[".repeat(100_000)).into_bytes(),
    )
    .await;
    let error = client(&base).get_thing("x").await.expect_err("too deep");
    assert!(matches!(error, Error::Decode { .. }), "{error:?}");
}

#[tokio::test]
async fn a_compressed_body_is_limited_by_its_decompressed_size() {
    use std::io::Write as _;
    // 16 MiB of spaces inside a JSON array, compressed about a thousandfold.
    let mut gzip = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::fast());
    gzip.write_all(b"[").unwrap();
    gzip.write_all(&vec![b' '; 16 << 20]).unwrap();
    gzip.write_all(b"]").unwrap();
    let bomb = gzip.finish().unwrap();
    assert!(bomb.len() < (16 << 20) / 200, "{} bytes", bomb.len());
    let base = answering(
        "HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ncontent-encoding: gzip",
        bomb,
    )
    .await;
    let small = Client::builder()
        .base_url(&base)
        .max_response_size(1 << 20)
        .build()
        .expect("client");
    let error = small.list_things().await.expect_err("bomb");
    assert!(
        matches!(error, Error::ResponseTooLarge { limit, .. } if limit == 1 << 20),
        "{error:?}"
    );
    // Below the limit the same body is decompressed and decoded.
    let things = client(&base).list_things().await.expect("decompressed");
    assert!(things.is_empty());
}

#[tokio::test]
async fn invalid_utf8_in_a_text_body_is_drift_or_a_strict_error() {
    let base = answering(
        "HTTP/1.1 200 OK\r\ncontent-type: text/plain",
        b"caf\xc3\xa9 \xff\xfe end".to_vec(),
    )
    .await;
    let notes = client(&base).get_notes().await.expect("tolerant");
    assert_eq!(notes.as_str(), "café \u{fffd}\u{fffd} end");
    assert_eq!(notes.drift().len(), 1);
    assert_eq!(notes.drift()[0].kind, DriftKind::NotUtf8 { valid_up_to: 6 });
    let strict = Client::builder()
        .base_url(&base)
        .decode_mode(DecodeMode::Strict)
        .build()
        .expect("client");
    let error = strict.get_notes().await.expect_err("strict");
    assert!(matches!(error, Error::Decode { .. }), "{error:?}");
}

#[tokio::test]
async fn malformed_retry_after_headers_fall_back_to_the_policy() {
    for retry_after in [
        "soon",
        "-5",
        "99999999999999999999999",
        "Mon, 32 Foo 2025",
        "1.5",
    ] {
        let head: &'static str = Box::leak(
            format!("HTTP/1.1 503 Service Unavailable\r\nretry-after: {retry_after}")
                .into_boxed_str(),
        );
        let base = answering(head, Vec::new()).await;
        let error = within(Duration::from_secs(2), client(&base).get_thing("x"))
            .await
            .expect_err("503");
        assert_eq!(
            error.status().map(|s| s.as_u16()),
            Some(503),
            "{retry_after}: {error:?}"
        );
    }
}

#[tokio::test]
async fn malformed_link_headers_end_the_walk_or_fail_typed() {
    // The first page links to a URL the server does not know (404), or that cannot be
    // followed: the walk ends after the first item, or with a typed error.
    let cases = [
        "<<<>>>; rel=next",
        "<http://",
        "; rel=\"next\"",
        "<http://[::1/x>; rel=\"next\"",
        "<http://elsewhere.example/things?page=2>; rel=\"next\"",
        "<%zz%>; rel=next",
    ];
    for link in cases {
        let link_header = format!("link: {link}\r\n");
        let base = raw_server(move |mut socket| {
            let link_header = link_header.clone();
            async move {
                let head = read_head(&mut socket).await;
                let answer = if head.starts_with("GET /things HTTP") {
                    format!("HTTP/1.1 200 OK\r\ncontent-type: application/json\r\n{link_header}content-length: 15\r\n\r\n[{{\"name\": \"a\"}}]")
                } else {
                    "HTTP/1.1 404 Not Found\r\ncontent-length: 0\r\n\r\n".to_string()
                };
                let _ = socket.write_all(answer.as_bytes()).await;
            }
        })
        .await;
        let mut items = client(&base).list_things().items();
        let first = within(Duration::from_secs(2), items.next()).await;
        assert_eq!(first.expect("one").expect("a thing").name, "a", "{link}");
        match within(Duration::from_secs(2), items.next()).await {
            None => {}
            Some(Err(Error::InvalidRequest(_) | Error::UnexpectedStatus { .. })) => {}
            Some(other) => panic!("{link}: {other:?}"),
        }
        assert!(items.next().await.is_none(), "{link}: the walk ended");
    }
}

#[tokio::test]
async fn malformed_content_types_still_give_a_value_or_a_typed_error() {
    // "\u{1}" is a header the HTTP parser refuses: a transport error.
    for content_type in [
        "",
        "application/json; charset=",
        "\u{1}",
        "text/html",
        "ù/ù",
    ] {
        let head: &'static str =
            Box::leak(format!("HTTP/1.1 200 OK\r\ncontent-type: {content_type}").into_boxed_str());
        let base = answering(head, br#"{"name": "a"}"#.to_vec()).await;
        match client(&base).get_thing("x").await {
            Ok(thing) => assert_eq!(thing.name, "a"),
            Err(Error::Transport(_) | Error::Decode { .. }) => {}
            Err(other) => panic!("{content_type:?}: {other:?}"),
        }
    }
}

#[tokio::test]
async fn a_redirect_loop_stops_with_a_typed_error() {
    let base = raw_server(|mut socket| async move {
        loop {
            let head = read_head(&mut socket).await;
            if head.is_empty() {
                break;
            }
            let answer = "HTTP/1.1 302 Found\r\nlocation: /things/x\r\ncontent-length: 0\r\n\r\n";
            if socket.write_all(answer.as_bytes()).await.is_err() {
                break;
            }
        }
    })
    .await;
    let error = within(Duration::from_secs(2), client(&base).get_thing("x"))
        .await
        .expect_err("loop");
    match error {
        Error::UnexpectedStatus { status, .. } => assert_eq!(status, 302),
        other => panic!("{other:?}"),
    }
}

#[tokio::test]
async fn a_server_closing_mid_headers_is_a_transport_error() {
    let base = raw_server(|mut socket| async move {
        read_head(&mut socket).await;
        let _ = socket.write_all(b"HTTP/1.1 200 OK\r\ncontent-ty").await;
        let _ = socket.shutdown().await;
    })
    .await;
    let error = within(Duration::from_secs(2), client(&base).get_thing("x"))
        .await
        .expect_err("cut");
    assert!(matches!(error, Error::Transport(_)), "{error:?}");
}

#[tokio::test]
async fn an_endless_download_streams_but_is_refused_read_whole() {
    let base = raw_server(|mut socket| async move {
        read_head(&mut socket).await;
        let head = "HTTP/1.1 200 OK\r\ncontent-type: application/octet-stream\r\nconnection: close\r\n\r\n";
        let _ = socket.write_all(head.as_bytes()).await;
        endless(&mut socket, &[b'x'; 4096]).await;
    })
    .await;
    // A download streams: it is not limited in total, only read as the caller polls.
    let small = Client::builder()
        .base_url(&base)
        .max_response_size(10_000)
        .build()
        .expect("client");
    let mut stream = small
        .download()
        .stream()
        .await
        .expect("streaming")
        .into_inner();
    let mut read = 0;
    while read < 100_000 {
        read += stream.next().await.expect("more").expect("chunk").len();
    }
    // Read whole, it is refused.
    let error = small.download().await.expect_err("endless");
    assert!(matches!(error, Error::ResponseTooLarge { .. }), "{error:?}");
}

#[tokio::test]
async fn an_endless_event_is_refused_at_the_size_limit() {
    let base = raw_server(|mut socket| async move {
        read_head(&mut socket).await;
        let head = "HTTP/1.1 200 OK\r\ncontent-type: text/event-stream\r\nconnection: close\r\n\r\ndata: one\n\ndata: ";
        let _ = socket.write_all(head.as_bytes()).await;
        endless(&mut socket, &[b'x'; 4096]).await;
    })
    .await;
    let small = Client::builder()
        .base_url(&base)
        .max_response_size(100_000)
        .build()
        .expect("client");
    let mut events = small.tail_events().await.expect("stream").into_inner();
    let first = within(Duration::from_secs(2), events.next()).await;
    assert_eq!(first.expect("one").expect("event").into_data(), "one");
    let second = within(Duration::from_secs(2), events.next()).await;
    assert!(
        matches!(second, Some(Err(EventError::TooLarge(100_000)))),
        "{second:?}"
    );
    assert!(events.next().await.is_none());
}
