//! Pagination through the generated `.pages()` and `.items()` of the fixture clients
//! (`tests/fixtures/pagination_*.yaml`) against servers on 127.0.0.1: `Link` headers whose
//! next URL changes path, cursors (Stripe's `has_more`, Slack's nested `next_cursor`),
//! page numbers and offsets that end on an empty page, an error on a later page, and the
//! vendor extensions.

use distributions::runtime::Error;
use distributions_tests::{
    pagination_cursor, pagination_extensions, pagination_link, pagination_page,
};
use serde_json::json;
use wiremock::matchers::{method, path, query_param, query_param_is_missing};
use wiremock::{Mock, MockServer, ResponseTemplate};

use crate::support::{fast_retries, received};

fn issues(ids: &[i64]) -> serde_json::Value {
    json!(ids
        .iter()
        .map(|id| json!({"id": id, "title": format!("issue {id}")}))
        .collect::<Vec<_>>())
}

fn link_client(server: &MockServer) -> pagination_link::Client {
    pagination_link::Client::builder()
        .base_url(server.uri())
        .build()
        .expect("client")
}

/// GitHub's walk: the first page is asked for at `/repos/o/r/issues`, the next ones at the
/// URLs of the `Link` headers (another path, `/repositories/1000/issues?page=N`), followed
/// verbatim, with the call's setters only on the first request; the last page has no
/// `rel="next"`.
#[tokio::test]
async fn link_headers_are_followed_across_paths() {
    let server = MockServer::start().await;
    let base = server.uri();
    Mock::given(method("GET"))
        .and(path("/repos/o/r/issues"))
        .respond_with(ResponseTemplate::new(200).set_body_json(issues(&[1, 2])).insert_header(
            "link",
            format!(
                r#"<{base}/repositories/1000/issues?state=all&per_page=2&page=2>; rel="next", <{base}/repositories/1000/issues?state=all&per_page=2&page=3>; rel="last""#
            ),
        ))
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .and(path("/repositories/1000/issues"))
        .and(query_param("page", "2"))
        .respond_with(ResponseTemplate::new(200).set_body_json(issues(&[3, 4])).insert_header(
            "link",
            format!(
                r#"<{base}/repositories/1000/issues?state=all&per_page=2&page=1>; rel="prev", <{base}/repositories/1000/issues?state=all&per_page=2&page=3>; rel="next""#
            ),
        ))
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .and(path("/repositories/1000/issues"))
        .and(query_param("page", "3"))
        .respond_with(ResponseTemplate::new(200).set_body_json(issues(&[5])).insert_header(
            "link",
            format!(r#"<{base}/repositories/1000/issues?state=all&per_page=2&page=2>; rel="prev""#),
        ))
        .mount(&server)
        .await;

    let client = link_client(&server);
    let titles: Vec<String> = client
        .issues_list_for_repo("o", "r")
        .state("all")
        .per_page(2)
        .items()
        .collect()
        .await
        .expect("three pages")
        .into_iter()
        .map(|issue| issue.title)
        .collect();
    assert_eq!(
        titles,
        ["issue 1", "issue 2", "issue 3", "issue 4", "issue 5"]
    );

    let requests = received(&server).await;
    let urls: Vec<String> = requests
        .iter()
        .map(|r| format!("{}?{}", r.url.path(), r.url.query().unwrap_or("")))
        .collect();
    assert_eq!(
        urls,
        [
            "/repos/o/r/issues?state=all&per_page=2",
            "/repositories/1000/issues?state=all&per_page=2&page=2",
            "/repositories/1000/issues?state=all&per_page=2&page=3",
        ]
    );

    // The pages themselves, with their headers; lazily: nothing is sent before polling.
    let mut pages = client.issues_list_for_repo("o", "r").pages();
    assert_eq!(
        received(&server).await.len(),
        3,
        "a stream not polled sends nothing"
    );
    let first = pages.next().await.expect("a page").expect("page 1");
    assert_eq!(first.len(), 2);
    assert!(first.headers().contains_key("link"));
    let mut count = 1;
    while let Some(page) = pages.next().await {
        page.expect("page");
        count += 1;
    }
    assert_eq!(count, 3);
}

/// A page of an object whose items are a field (`items` of GitHub's search): the items are
/// taken from it.
#[tokio::test]
async fn link_pages_of_objects_yield_their_item_field() {
    let server = MockServer::start().await;
    let base = server.uri();
    Mock::given(path("/search/issues"))
        .and(query_param_is_missing("page"))
        .respond_with(
            ResponseTemplate::new(200)
                .set_body_json(json!({"total_count": 3, "items": issues(&[7, 8])}))
                .insert_header(
                    "link",
                    format!(r#"<{base}/search/issues?q=x&page=2>; rel="next""#),
                ),
        )
        .mount(&server)
        .await;
    Mock::given(path("/search/issues"))
        .and(query_param("page", "2"))
        .respond_with(
            ResponseTemplate::new(200)
                .set_body_json(json!({"total_count": 3, "items": issues(&[9])})),
        )
        .mount(&server)
        .await;
    let ids: Vec<i64> = link_client(&server)
        .search_issues("x")
        .items()
        .collect()
        .await
        .expect("two pages")
        .into_iter()
        .map(|issue| issue.id)
        .collect();
    assert_eq!(ids, [7, 8, 9]);
}

/// An operation whose successes are an enum (GitHub's lists document a `301` beside the
/// `200`) is walked through its `200` pages; `items` are the labels themselves.
#[tokio::test]
async fn pages_of_an_enum_of_successes_are_its_2xx_variant() {
    let server = MockServer::start().await;
    let base = server.uri();
    Mock::given(path("/repos/o/r/issues/7/labels"))
        .respond_with(
            ResponseTemplate::new(200)
                .set_body_json(json!([{"name": "bug"}]))
                .insert_header(
                    "link",
                    format!(r#"<{base}/repositories/1/issues/7/labels?page=2>; rel="next""#),
                ),
        )
        .mount(&server)
        .await;
    Mock::given(path("/repositories/1/issues/7/labels"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!([{"name": "ui"}])))
        .mount(&server)
        .await;
    let client = link_client(&server);
    let names: Vec<String> = client
        .issues_list_labels_on_issue("o", "r", 7)
        .per_page(1)
        .items()
        .collect()
        .await
        .expect("two pages")
        .into_iter()
        .map(|label| label.name)
        .collect();
    assert_eq!(names, ["bug", "ui"]);
    let first = client
        .issues_list_labels_on_issue("o", "r", 7)
        .pages()
        .next()
        .await
        .expect("a page")
        .expect("page 1");
    assert!(matches!(
        first.into_inner(),
        pagination_link::types::IssuesListLabelsOnIssueResponse::Ok(labels) if labels.len() == 1
    ));
}

/// A next link to another origin is not followed (the credential would go with it): the
/// stream yields the first page, then a typed error, then ends.
#[tokio::test]
async fn a_next_link_to_another_origin_is_an_error() {
    let server = MockServer::start().await;
    Mock::given(path("/repos/o/r/issues"))
        .respond_with(
            ResponseTemplate::new(200)
                .set_body_json(issues(&[1]))
                .insert_header("link", r#"<https://evil.example/steal?page=2>; rel="next""#),
        )
        .mount(&server)
        .await;
    let mut items = link_client(&server).issues_list_for_repo("o", "r").items();
    assert_eq!(items.next().await.expect("item").expect("first page").id, 1);
    match items.next().await {
        Some(Err(Error::InvalidRequest(message))) => {
            assert!(
                message.contains("another origin") || message.contains("not on the API's origin"),
                "{message}"
            )
        }
        other => panic!("expected an invalid request, got {other:?}"),
    }
    assert!(
        items.next().await.is_none(),
        "the stream ends after the error"
    );
    assert_eq!(received(&server).await.len(), 1);
}

fn cursor_client(server: &MockServer) -> pagination_cursor::Client {
    pagination_cursor::Client::builder()
        .base_url(server.uri())
        .build()
        .expect("client")
}

/// Stripe's cursor: while `has_more` is true, the next page starts after the last item's
/// `id`; the call's own parameters (`limit`) are kept on every page.
#[tokio::test]
async fn cursor_with_has_more_walks_until_it_is_false() {
    let server = MockServer::start().await;
    Mock::given(path("/v1/customers"))
        .and(query_param_is_missing("starting_after"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({
            "object": "list", "url": "/v1/customers", "has_more": true,
            "data": [{"id": "cus_1"}, {"id": "cus_2", "email": "b@example.com"}]
        })))
        .mount(&server)
        .await;
    Mock::given(path("/v1/customers"))
        .and(query_param("starting_after", "cus_2"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({
            "object": "list", "url": "/v1/customers", "has_more": true,
            "data": [{"id": "cus_3"}]
        })))
        .mount(&server)
        .await;
    Mock::given(path("/v1/customers"))
        .and(query_param("starting_after", "cus_3"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({
            "object": "list", "url": "/v1/customers", "has_more": false,
            "data": [{"id": "cus_4"}]
        })))
        .mount(&server)
        .await;
    let ids: Vec<String> = cursor_client(&server)
        .list_customers()
        .limit(2)
        .items()
        .collect()
        .await
        .expect("three pages")
        .into_iter()
        .map(|c| c.id)
        .collect();
    assert_eq!(ids, ["cus_1", "cus_2", "cus_3", "cus_4"]);
    let requests = received(&server).await;
    let queries: Vec<&str> = requests
        .iter()
        .map(|r| r.url.query().unwrap_or(""))
        .collect();
    assert_eq!(
        queries,
        [
            "limit=2",
            "limit=2&starting_after=cus_2",
            "limit=2&starting_after=cus_3"
        ]
    );
}

/// Slack's cursor, two fields deep (`response_metadata.next_cursor`); an empty cursor is the
/// last page.
#[tokio::test]
async fn nested_cursor_ends_on_an_empty_cursor() {
    let server = MockServer::start().await;
    Mock::given(path("/conversations.list"))
        .and(query_param_is_missing("cursor"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({
            "ok": true, "channels": [{"id": "C1"}],
            "response_metadata": {"next_cursor": "dGVhbTpD"}
        })))
        .mount(&server)
        .await;
    Mock::given(path("/conversations.list"))
        .and(query_param("cursor", "dGVhbTpD"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({
            "ok": true, "channels": [{"id": "C2"}],
            "response_metadata": {"next_cursor": ""}
        })))
        .mount(&server)
        .await;
    let ids: Vec<String> = cursor_client(&server)
        .conversations_list()
        .items()
        .collect()
        .await
        .expect("two pages")
        .into_iter()
        .map(|c| c.id)
        .collect();
    assert_eq!(ids, ["C1", "C2"]);
    assert_eq!(received(&server).await.len(), 2);
}

/// AWS's `nextToken`: a null token is the last page; a server repeating the cursor it was
/// sent would loop forever, so that ends the walk too.
#[tokio::test]
async fn next_token_ends_on_null_or_a_repeated_token() {
    let server = MockServer::start().await;
    Mock::given(path("/things"))
        .and(query_param_is_missing("nextToken"))
        .respond_with(
            ResponseTemplate::new(200).set_body_json(json!({"things": ["a"], "nextToken": "t1"})),
        )
        .mount(&server)
        .await;
    Mock::given(path("/things"))
        .and(query_param("nextToken", "t1"))
        .respond_with(
            ResponseTemplate::new(200).set_body_json(json!({"things": ["b"], "nextToken": "t1"})),
        )
        .mount(&server)
        .await;
    let things = cursor_client(&server)
        .list_things()
        .items()
        .collect()
        .await
        .expect("two pages");
    assert_eq!(things, ["a", "b"]);
    assert_eq!(received(&server).await.len(), 2);
}

fn page_client(server: &MockServer) -> pagination_page::Client {
    pagination_page::Client::builder()
        .base_url(server.uri())
        .retry(fast_retries(1))
        .build()
        .expect("client")
}

fn items(ids: std::ops::RangeInclusive<i64>) -> serde_json::Value {
    json!(ids.map(|id| json!({"id": id})).collect::<Vec<_>>())
}

/// Page numbers from 1 (the call sets none), up by one, until an empty page, which is not
/// yielded as a page.
#[tokio::test]
async fn page_numbers_stop_on_an_empty_page() {
    let server = MockServer::start().await;
    for (page, body) in [("1", items(1..=2)), ("2", items(3..=4)), ("3", json!([]))] {
        Mock::given(path("/items"))
            .and(query_param("page", page))
            .respond_with(ResponseTemplate::new(200).set_body_json(body))
            .mount(&server)
            .await;
    }
    Mock::given(path("/items"))
        .and(query_param_is_missing("page"))
        .respond_with(ResponseTemplate::new(200).set_body_json(items(1..=2)))
        .mount(&server)
        .await;
    let client = page_client(&server);
    let mut pages = client.list_items().per_page(2).pages();
    let mut sizes = Vec::new();
    while let Some(page) = pages.next().await {
        sizes.push(page.expect("page").len());
    }
    assert_eq!(sizes, [2, 2], "the empty page ends the walk unseen");
    let queries: Vec<String> = received(&server)
        .await
        .iter()
        .map(|r| r.url.query().unwrap_or("").to_string())
        .collect();
    assert_eq!(
        queries,
        ["per_page=2", "per_page=2&page=2", "per_page=2&page=3"]
    );

    // Starting from the caller's page.
    let ids: Vec<i64> = client
        .list_items()
        .page(2)
        .items()
        .collect()
        .await
        .expect("pages 2 and 3")
        .into_iter()
        .map(|i| i.id)
        .collect();
    assert_eq!(ids, [3, 4]);
}

/// An error status on page 3 comes out of the stream as the operation's typed error, after
/// the items of pages 1 and 2, and ends it; the page's 503 was retried as a single call's
/// would be.
#[tokio::test]
async fn an_error_on_page_three_surfaces_from_the_stream() {
    let server = MockServer::start().await;
    Mock::given(path("/items"))
        .and(query_param_is_missing("page"))
        .respond_with(ResponseTemplate::new(200).set_body_json(items(1..=2)))
        .mount(&server)
        .await;
    Mock::given(path("/items"))
        .and(query_param("page", "2"))
        .respond_with(ResponseTemplate::new(200).set_body_json(items(3..=4)))
        .mount(&server)
        .await;
    Mock::given(path("/items"))
        .and(query_param("page", "3"))
        .respond_with(ResponseTemplate::new(503))
        .up_to_n_times(1)
        .mount(&server)
        .await;
    Mock::given(path("/items"))
        .and(query_param("page", "3"))
        .respond_with(
            ResponseTemplate::new(500).set_body_json(json!({"title": "database on fire"})),
        )
        .mount(&server)
        .await;
    let mut stream = page_client(&server).list_items().items();
    let mut ids = Vec::new();
    let error = loop {
        match stream.next().await {
            Some(Ok(item)) => ids.push(item.id),
            Some(Err(error)) => break error,
            None => panic!("the stream ended without the error"),
        }
    };
    assert_eq!(ids, [1, 2, 3, 4]);
    match error {
        Error::Api(api) => {
            assert_eq!(api.status.as_u16(), 500);
            assert_eq!(api.body.title.as_deref(), Some("database on fire"));
        }
        other => panic!("expected the documented 500, got {other:?}"),
    }
    assert!(stream.next().await.is_none(), "nothing after the error");
    let page_three = received(&server)
        .await
        .iter()
        .filter(|r| r.url.query() == Some("page=3"))
        .count();
    assert_eq!(
        page_three, 2,
        "page 3 is retried after its 503, as the policy says"
    );
}

/// Offsets up by the items received, until an empty page.
#[tokio::test]
async fn offsets_advance_by_the_items_received() {
    let server = MockServer::start().await;
    for (offset, body) in [
        (None, json!({"total": 5, "results": items(1..=3)})),
        (Some("3"), json!({"total": 5, "results": items(4..=5)})),
        (Some("5"), json!({"total": 5, "results": []})),
    ] {
        let mock = Mock::given(path("/records"));
        let mock = match offset {
            Some(offset) => mock.and(query_param("offset", offset)),
            None => mock.and(query_param_is_missing("offset")),
        };
        mock.respond_with(ResponseTemplate::new(200).set_body_json(body))
            .mount(&server)
            .await;
    }
    let ids: Vec<i64> = page_client(&server)
        .list_records()
        .limit(3)
        .items()
        .collect()
        .await
        .expect("pages")
        .into_iter()
        .map(|i| i.id)
        .collect();
    assert_eq!(ids, [1, 2, 3, 4, 5]);
    assert_eq!(received(&server).await.len(), 3);
}

fn extensions_client(server: &MockServer) -> pagination_extensions::Client {
    pagination_extensions::Client::builder()
        .base_url(server.uri())
        .build()
        .expect("client")
}

/// `x-ms-pageable`: the next page is the body's `nextLink`, followed as written (the
/// `api-version` it carries included); `x-dropshot-pagination`: `page_token` from
/// `next_page`.
#[tokio::test]
async fn vendor_extensions_walk_their_pages() {
    let server = MockServer::start().await;
    let base = server.uri();
    Mock::given(path("/vaults"))
        .and(query_param_is_missing("$skiptoken"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({
            "value": [{"name": "v1"}],
            "nextLink": format!("{base}/vaults?api-version=2023-07-01&$skiptoken=abc")
        })))
        .mount(&server)
        .await;
    Mock::given(path("/vaults"))
        .and(query_param("$skiptoken", "abc"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({"value": [{"name": "v2"}]})))
        .mount(&server)
        .await;
    let client = extensions_client(&server);
    let names: Vec<String> = client
        .vaults_list("2023-07-01")
        .items()
        .collect()
        .await
        .expect("two pages")
        .into_iter()
        .map(|v| v.name)
        .collect();
    assert_eq!(names, ["v1", "v2"]);

    Mock::given(path("/dropshot/instances"))
        .and(query_param_is_missing("page_token"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({
            "items": [{"name": "i1"}], "next_page": "tok"
        })))
        .mount(&server)
        .await;
    Mock::given(path("/dropshot/instances"))
        .and(query_param("page_token", "tok"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({
            "items": [{"name": "i2"}], "next_page": null
        })))
        .mount(&server)
        .await;
    let names: Vec<String> = client
        .instance_list()
        .limit(1u32)
        .items()
        .collect()
        .await
        .expect("two pages")
        .into_iter()
        .map(|v| v.name)
        .collect();
    assert_eq!(names, ["i1", "i2"]);
}

/// Each page is fetched only when the stream is polled for it, and the future of a walk is
/// `Send + 'static` (it can be spawned).
#[tokio::test]
async fn pages_are_lazy_and_spawnable() {
    let server = MockServer::start().await;
    Mock::given(path("/items"))
        .respond_with(ResponseTemplate::new(200).set_body_json(items(1..=1)))
        .mount(&server)
        .await;
    let client = page_client(&server);
    let mut stream = client.list_items().items();
    let first = tokio::spawn(async move { stream.next().await.map(|r| r.map(|i| i.id)) })
        .await
        .expect("task");
    assert_eq!(first.expect("an item").expect("ok"), 1);
    assert_eq!(
        received(&server).await.len(),
        1,
        "only the first page was asked for"
    );
}
