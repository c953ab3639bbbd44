//! Requests as real servers want them (issue 12), through the generated methods of
//! `tests/fixtures/github_like.yaml` (four operations modelled on GitHub's) against servers on
//! 127.0.0.1.

use distributions::runtime::Error;
use distributions_tests::github_like;
use serde_json::json;
use wiremock::{MockServer, ResponseTemplate};

use crate::support::{header_values, received, server_answering};

fn client_for(server: &MockServer) -> github_like::Client {
    github_like::Client::builder()
        .base_url(server.uri())
        .build()
        .expect("client")
}

/// A file path is one `x-multi-segment` parameter: its `/` reach the server as separators,
/// each segment encoded on its own, and an empty path is the repository's root
/// (`contents/`). Values that would change which path is requested are refused before
/// anything is sent.
#[tokio::test]
async fn multi_segment_parameters_keep_their_slashes() {
    let server = server_answering(ResponseTemplate::new(200).set_body_json(json!([]))).await;
    let client = client_for(&server);
    for path in ["docs/read me.md", "", "a%2Fb/c?d"] {
        client
            .repos_get_content("octo", "hello", path)
            .await
            .unwrap_or_else(|e| panic!("{path:?}: {e}"));
    }
    let paths: Vec<String> = received(&server)
        .await
        .iter()
        .map(|r| r.url.path().to_string())
        .collect();
    assert_eq!(
        paths,
        [
            "/repos/octo/hello/contents/docs/read%20me.md",
            "/repos/octo/hello/contents/",
            "/repos/octo/hello/contents/a%252Fb/c%3Fd",
        ]
    );
    for path in ["a/../b", "..", "a//b", "/etc/passwd"] {
        match client.repos_get_content("octo", "hello", path).await {
            Err(Error::InvalidRequest(message)) => {
                assert!(message.contains("path parameter"), "{path:?}: {message}")
            }
            other => panic!("{path:?}: {other:?}"),
        }
    }
    assert_eq!(received(&server).await.len(), 3, "nothing more was sent");
    // An ordinary path parameter still encodes its `/`.
    match client.repos_get_content("oc/to", "hello", "x").await {
        Ok(_) => {}
        Err(e) => panic!("{e}"),
    }
    let last = received(&server).await.pop().expect("a request");
    assert_eq!(last.url.path(), "/repos/oc%2Fto/hello/contents/x");
}

/// Every request names the generated crate in its `User-Agent` (GitHub refuses requests
/// without one); the builder replaces it and adds default headers, such as an API version.
#[tokio::test]
async fn user_agent_and_default_headers() {
    let server = server_answering(ResponseTemplate::new(200).set_body_json(json!([]))).await;
    client_for(&server)
        .repos_get_content("octo", "hello", "")
        .await
        .expect("200");
    let custom = github_like::Client::builder()
        .base_url(server.uri())
        .user_agent("my-app/1.0")
        .default_header("X-GitHub-Api-Version", "2022-11-28")
        .build()
        .expect("client");
    custom
        .repos_get_content("octo", "hello", "")
        .await
        .expect("200");
    let requests = received(&server).await;
    let user_agents = header_values(&requests, "user-agent");
    assert_eq!(
        user_agents,
        [
            concat!("distributions-tests/", env!("CARGO_PKG_VERSION")),
            "my-app/1.0"
        ]
    );
    assert!(!requests[0].headers.contains_key("x-github-api-version"));
    assert_eq!(requests[1].headers["x-github-api-version"], "2022-11-28");
    let refused = github_like::Client::builder()
        .base_url(server.uri())
        .default_header("X-Evil", "a\r\nInjected: 1")
        .build();
    assert!(matches!(
        refused,
        Err(distributions::runtime::BuildError::InvalidHeader { .. })
    ));
}

/// An operation with servers of its own (GitHub's asset upload goes to
/// `https://uploads.github.com`) is sent there, not to the client's base URL; the builder
/// sets its variables or replaces it, and every other operation keeps the base URL.
#[tokio::test]
async fn operations_with_their_own_server_are_sent_there() {
    let api = server_answering(ResponseTemplate::new(200).set_body_json(json!([]))).await;
    let asset = json!({
        "id": 1, "name": "a.zip", "label": null, "content_type": "application/zip",
        "size": 3, "state": "uploaded"
    });
    let uploads = server_answering(ResponseTemplate::new(201).set_body_json(asset)).await;
    let by_variable = github_like::Client::builder()
        .base_url(api.uri())
        .server_variable("origin", uploads.uri())
        .build()
        .expect("client");
    let by_replacement = github_like::Client::builder()
        .base_url(api.uri())
        .operation_server("https://uploads.github.com", uploads.uri())
        .build()
        .expect("client");
    for client in [&by_variable, &by_replacement] {
        let uploaded = client
            .repos_upload_release_asset("octo", "hello", 7, b"zip".to_vec(), "a.zip")
            .await
            .expect("201");
        assert_eq!(uploaded.name, "a.zip");
        client
            .repos_get_content("octo", "hello", "")
            .await
            .expect("200");
    }
    let sent: Vec<String> = received(&uploads)
        .await
        .iter()
        .map(|r| {
            format!(
                "{} {}?{}",
                r.method,
                r.url.path(),
                r.url.query().unwrap_or("")
            )
        })
        .collect();
    assert_eq!(
        sent,
        ["POST /repos/octo/hello/releases/7/assets?name=a.zip"; 2]
    );
    assert_eq!(received(&api).await.len(), 2);
    let invalid = github_like::Client::builder()
        .base_url(api.uri())
        .server_variable("origin", "not a url")
        .build()
        .expect("variables are checked when used");
    match invalid
        .repos_upload_release_asset("octo", "hello", 7, b"zip".to_vec(), "a.zip")
        .await
    {
        Err(Error::InvalidRequest(message)) => assert!(message.contains("not a url"), "{message}"),
        other => panic!("{other:?}"),
    }
}

/// A binary body (an asset upload) goes with the caller's content type, else the spec's,
/// and a file is streamed from disk as it is sent; a content type a header cannot carry is
/// refused with nothing sent.
#[tokio::test]
async fn binary_bodies_carry_their_content_type_and_stream_from_files() {
    use distributions::runtime::BinaryBody;

    let asset = json!({
        "id": 1, "name": "a", "label": null, "content_type": "x", "size": 3, "state": "uploaded"
    });
    let uploads = server_answering(ResponseTemplate::new(201).set_body_json(asset)).await;
    let client = github_like::Client::builder()
        .base_url("http://127.0.0.1:9")
        .operation_server("https://uploads.github.com", uploads.uri())
        .build()
        .expect("client");
    let zip = BinaryBody::new(b"PK\x03\x04".to_vec()).content_type("application/zip");
    client
        .repos_upload_release_asset("o", "r", 1, zip, "a.zip")
        .await
        .expect("201");
    client
        .repos_upload_release_asset("o", "r", 1, "plain bytes", "a.bin")
        .await
        .expect("201");
    let path = std::env::temp_dir().join(format!("upload-{}.bin", std::process::id()));
    let contents: Vec<u8> = (0..200_000u32).map(|i| (i % 251) as u8).collect();
    std::fs::write(&path, &contents).expect("temp file");
    let file = tokio::fs::File::open(&path).await.expect("open");
    client
        .repos_upload_release_asset("o", "r", 1, file, "big.bin")
        .await
        .expect("201");
    std::fs::remove_file(&path).ok();
    let sent = received(&uploads).await;
    let types = header_values(&sent, "content-type");
    assert_eq!(
        types,
        [
            "application/zip",
            "application/octet-stream",
            "application/octet-stream"
        ]
    );
    assert_eq!(sent[0].body, b"PK\x03\x04");
    assert_eq!(sent[1].body, b"plain bytes");
    assert_eq!(sent[2].body, contents);

    let evil = BinaryBody::new(vec![1]).content_type("text/plain\r\nX-Evil: 1");
    match client
        .repos_upload_release_asset("o", "r", 1, evil, "x")
        .await
    {
        Err(Error::InvalidRequest(message)) => assert!(message.contains("line break"), "{message}"),
        other => panic!("{other:?}"),
    }
    assert_eq!(received(&uploads).await.len(), 3, "nothing more was sent");
}

/// An archive download documents only a `302` to its content: the client follows it to
/// another origin (GitHub: codeload.github.com) and returns the archive's bytes; a ref with
/// `/` (`heads/main`) is one multi-segment parameter.
#[tokio::test]
async fn a_download_behind_a_redirect_returns_the_content() {
    let archive: Vec<u8> = (0..4096u32).map(|i| (i * 7 % 256) as u8).collect();
    let codeload = server_answering(
        ResponseTemplate::new(200)
            .insert_header("content-type", "application/x-gzip")
            .set_body_bytes(archive.clone()),
    )
    .await;
    let location = format!("{}/octo/hello/legacy.tar.gz/heads/main", codeload.uri());
    let api =
        server_answering(ResponseTemplate::new(302).insert_header("location", location.as_str()))
            .await;
    let client = client_for(&api);
    let downloaded = client
        .repos_download_tarball_archive("octo", "hello", "heads/main")
        .await
        .expect("the archive");
    assert_eq!(downloaded.status().as_u16(), 200);
    assert_eq!(downloaded.into_inner(), archive);
    assert_eq!(
        received(&api).await[0].url.path(),
        "/repos/octo/hello/tarball/heads/main"
    );
    assert_eq!(
        received(&codeload).await[0].url.path(),
        "/octo/hello/legacy.tar.gz/heads/main"
    );
}
