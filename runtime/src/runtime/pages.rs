//! Pagination: the pages of a list operation as a lazy stream ([`Pages`]), and their items
//! ([`Items`]). The generator recognises paginated operations and says, for each, how the
//! next page is found ([`Paging`]) and where the items are ([`Paginate`]).
//!
//! Each page is a call of its own: sent with the call's retry policy, timeout and headers,
//! decoded by the operation's decoder. The first error ends the stream, after it is yielded.

use std::collections::VecDeque;
use std::fmt;
use std::future::Future;
use std::pin::Pin;
use std::task::{Context, Poll};

use futures_core::Stream;
use reqwest::header::HeaderMap;

use super::error::Error;
use super::response::{Response, ResponseValue};
use super::transport::Transport;
use super::Request;

/// How a paginated operation's next page is requested.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Paging {
    /// The URL of the response's `Link` header with `rel="next"` (RFC 8288), followed as
    /// the server wrote it; the last page has none (or names itself).
    Link,
    /// A URL to the next page in the body ([`Paginate::next`]), followed as the server
    /// wrote it; the last page has none (or an empty one, or its own URL).
    NextUrl,
    /// A cursor from the body ([`Paginate::next`]) sent in the named query parameter; the
    /// last page has none (or an empty one, or the same one again).
    Cursor(&'static str),
    /// A page number in the named query parameter, from the call's value (else `first`)
    /// up by one per page; a page without items is the end.
    Page {
        /// The query parameter.
        param: &'static str,
        /// The number of the first page, when the call does not set one.
        first: i64,
    },
    /// An offset in the named query parameter, up by the number of items of each page; a
    /// page without items is the end.
    Offset(&'static str),
}

/// What the generator writes for each paginated operation (on the operation's options
/// type): how its next page is found and where a page's items are.
pub trait Paginate {
    /// A page: the operation's success type.
    type Page;
    /// One item of a page.
    type Item;
    /// How the next page is requested.
    const PAGING: Paging;
    /// The cursor or URL of the next page, from the body (for [`Paging::Cursor`] and
    /// [`Paging::NextUrl`], the only ones that ask); `None` on the last page.
    fn next(page: &Self::Page) -> Option<String> {
        let _ = page;
        None
    }
    /// The number of items on a page (for [`Paging::Page`] and [`Paging::Offset`], the
    /// only ones that ask).
    fn count(page: &Self::Page) -> usize {
        let _ = page;
        0
    }
    /// The items of a page.
    fn items(page: Self::Page) -> Vec<Self::Item>;
}

type ItemPages<I, E> = Pin<Box<dyn Stream<Item = Result<Vec<I>, Error<E>>> + Send>>;
type Decoder<T, E> = Box<dyn Fn(Response) -> Result<ResponseValue<T>, Error<E>> + Send>;
type Fetch<T, E> =
    Pin<Box<dyn Future<Output = (Option<Result<ResponseValue<T>, Error<E>>>, State<T, E>)> + Send>>;

/// What the stream needs between pages.
struct State<T, E> {
    transport: Transport,
    /// The next page's request; `None` after the last page or an error.
    request: Option<Request>,
    decode: Decoder<T, E>,
    paging: Paging,
    next: fn(&T) -> Option<String>,
    count: fn(&T) -> usize,
    /// The cursor or URL of the page being fetched (a server repeating it would loop).
    cursor: Option<String>,
    /// The page number or offset of the page being fetched.
    position: i64,
    first: bool,
}

/// The pages of a paginated call, fetched one at a time as the stream is polled (a
/// [`Stream`] of `Result<ResponseValue<T>, Error<E>>`). An error (a page's status or body,
/// or a next page's URL on another origin) is yielded once and ends the stream.
#[must_use = "streams do nothing unless polled"]
pub struct Pages<T, E> {
    state: Option<State<T, E>>,
    fetching: Option<Fetch<T, E>>,
}

impl<T, E> fmt::Debug for Pages<T, E> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Pages")
            .field("fetching", &self.fetching.is_some())
            .finish_non_exhaustive()
    }
}

impl<T: Send + 'static, E: Send + 'static> Pages<T, E> {
    /// The pages of the call `request`, decoded by `decode`, walked as `P` says.
    pub(super) fn new<P, D>(transport: Transport, request: Request, decode: D) -> Self
    where
        P: Paginate<Page = T>,
        D: FnOnce(Response) -> Result<ResponseValue<T>, Error<E>> + Clone + Send + 'static,
    {
        let position = match P::PAGING {
            Paging::Page { param, first } => request
                .query_value(param)
                .and_then(|v| v.parse().ok())
                .unwrap_or(first),
            Paging::Offset(param) => request
                .query_value(param)
                .and_then(|v| v.parse().ok())
                .unwrap_or(0),
            _ => 0,
        };
        let cursor = match P::PAGING {
            Paging::Cursor(param) => request.query_value(param).map(str::to_string),
            _ => None,
        };
        Pages {
            state: Some(State {
                transport,
                request: Some(request),
                decode: Box::new(move |response| decode.clone()(response)),
                paging: P::PAGING,
                next: P::next,
                count: P::count,
                cursor,
                position,
                first: true,
            }),
            fetching: None,
        }
    }

    /// The next page, `None` at the end (the same as `StreamExt::next`, without the
    /// import).
    pub async fn next(&mut self) -> Option<Result<ResponseValue<T>, Error<E>>> {
        std::future::poll_fn(|cx| Pin::new(&mut *self).poll_next(cx)).await
    }
}

impl<T: Send + 'static, E: Send + 'static> Stream for Pages<T, E> {
    type Item = Result<ResponseValue<T>, Error<E>>;

    fn poll_next(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<Self::Item>> {
        let this = self.get_mut();
        loop {
            if this.fetching.is_none() {
                let Some(state) = this.state.take() else {
                    return Poll::Ready(None);
                };
                if state.request.is_none() {
                    return Poll::Ready(None);
                }
                this.fetching = Some(Box::pin(fetch(state)));
            }
            let Some(fetching) = this.fetching.as_mut() else {
                return Poll::Ready(None);
            };
            let (item, state) = match fetching.as_mut().poll(cx) {
                Poll::Pending => return Poll::Pending,
                Poll::Ready(done) => done,
            };
            this.fetching = None;
            this.state = Some(state);
            // An empty last page of a page-number or offset walk is not a page to show.
            if let Some(item) = item {
                return Poll::Ready(Some(item));
            }
        }
    }
}

/// Fetches the page `state.request` and prepares the next one. The item is `None` for an
/// empty page that only says the walk is over.
async fn fetch<T, E>(
    mut state: State<T, E>,
) -> (Option<Result<ResponseValue<T>, Error<E>>>, State<T, E>) {
    let Some(request) = state.request.take() else {
        return (None, state);
    };
    let again = request.try_clone();
    let first = std::mem::replace(&mut state.first, false);
    let outcome = match state.transport.send::<E>(request).await {
        Ok(response) => (state.decode)(response),
        Err(error) => Err(error),
    };
    let page = match outcome {
        Ok(page) => page,
        Err(error) => return (Some(Err(error)), state),
    };
    let count = (state.count)(&page);
    let next = match state.paging {
        // A server naming the page just fetched as the next one would loop forever.
        Paging::Link => next_link(page.headers())
            .filter(|url| state.cursor.as_ref() != Some(url))
            .map(Next::Url),
        Paging::NextUrl => (state.next)(&page)
            .filter(|url| !url.is_empty() && state.cursor.as_ref() != Some(url))
            .map(Next::Url),
        Paging::Cursor(param) => (state.next)(&page)
            .filter(|cursor| !cursor.is_empty() && state.cursor.as_ref() != Some(cursor))
            .map(|cursor| Next::Query(param, cursor)),
        Paging::Page { param, .. } | Paging::Offset(param) if count > 0 => {
            let step = match state.paging {
                Paging::Offset(_) => i64::try_from(count).unwrap_or(i64::MAX),
                _ => 1,
            };
            state.position = state.position.saturating_add(step);
            Some(Next::Query(param, state.position.to_string()))
        }
        Paging::Page { .. } | Paging::Offset(_) => {
            // The end: an empty first page is still the answer to the call.
            return (first.then_some(Ok(page)), state);
        }
    };
    state.request = match (next, again) {
        (None, _) => None,
        (Some(_), None) => {
            return (
                Some(Err(Error::InvalidRequest(
                    "the request cannot be repeated for the next page (its body is a stream or a multipart form)".to_string(),
                ))),
                state,
            )
        }
        (Some(Next::Url(url)), Some(mut request)) => {
            state.cursor = Some(url.clone());
            request.follow(url);
            Some(request)
        }
        (Some(Next::Query(param, value)), Some(mut request)) => {
            if matches!(state.paging, Paging::Cursor(_)) {
                state.cursor = Some(value.clone());
            }
            request.set_query(param, &value, super::QueryStyle::Repeat);
            Some(request)
        }
    };
    (Some(Ok(page)), state)
}

enum Next {
    Url(String),
    Query(&'static str, String),
}

/// The target of the `Link` header field value with `rel="next"` (RFC 8288): `<url>;
/// rel="next"`, among other links and parameters, in one or several header lines; the
/// relation type list may name several (`rel="next last"`), in any case.
pub(super) fn next_link(headers: &HeaderMap) -> Option<String> {
    for value in headers.get_all(reqwest::header::LINK) {
        let Ok(text) = value.to_str() else {
            continue;
        };
        let mut rest = text;
        while let Some(open) = rest.find('<') {
            let close = rest[open..].find('>')?;
            let target = &rest[open + 1..open + close];
            let after = &rest[open + close + 1..];
            // The parameters run to the next link, which starts with `,` then `<`.
            let end = next_link_start(after);
            let params = &after[..end];
            if params.split(';').any(is_next_rel) {
                return Some(target.trim().to_string());
            }
            rest = &after[end..];
        }
    }
    None
}

/// Where the next link of a header value starts (its `,` before `<`), outside quotes.
fn next_link_start(text: &str) -> usize {
    let mut quoted = false;
    for (i, c) in text.char_indices() {
        match c {
            '"' => quoted = !quoted,
            ',' if !quoted && text[i + 1..].trim_start().starts_with('<') => return i,
            _ => {}
        }
    }
    text.len()
}

/// Whether a link parameter is `rel` with `next` among its relation types.
fn is_next_rel(param: &str) -> bool {
    let Some((name, value)) = param.split_once('=') else {
        return false;
    };
    name.trim().eq_ignore_ascii_case("rel")
        && value
            .trim()
            .trim_matches('"')
            .split_ascii_whitespace()
            .any(|rel| rel.eq_ignore_ascii_case("next"))
}

/// The items of a paginated call, page after page, fetched as the stream is polled (a
/// [`Stream`] of `Result<I, Error<E>>`). An error is yielded once and ends the stream.
#[must_use = "streams do nothing unless polled"]
pub struct Items<I, E> {
    pages: ItemPages<I, E>,
    buffer: VecDeque<I>,
}

impl<I, E> fmt::Debug for Items<I, E> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Items")
            .field("buffered", &self.buffer.len())
            .finish_non_exhaustive()
    }
}

impl<I: Send + 'static, E: Send + 'static> Items<I, E> {
    /// The items of `pages`, taken out of each page by `items`.
    pub(super) fn new<T: Send + 'static>(pages: Pages<T, E>, items: fn(T) -> Vec<I>) -> Self {
        Items {
            pages: Box::pin(PageItems { pages, items }),
            buffer: VecDeque::new(),
        }
    }

    /// The next item, `None` at the end (the same as `StreamExt::next`, without the
    /// import).
    pub async fn next(&mut self) -> Option<Result<I, Error<E>>> {
        std::future::poll_fn(|cx| Pin::new(&mut *self).poll_next(cx)).await
    }

    /// Every item of every page, in order; the first error instead, if there is one.
    pub async fn collect(mut self) -> Result<Vec<I>, Error<E>> {
        let mut all = Vec::new();
        while let Some(item) = self.next().await {
            all.push(item?);
        }
        Ok(all)
    }
}

// Nothing is pinned in place: the page stream is boxed, and the items wait in a queue.
impl<I, E> Unpin for Items<I, E> {}

impl<I, E> Stream for Items<I, E> {
    type Item = Result<I, Error<E>>;

    fn poll_next(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<Self::Item>> {
        let this = self.get_mut();
        loop {
            if let Some(item) = this.buffer.pop_front() {
                return Poll::Ready(Some(Ok(item)));
            }
            match this.pages.as_mut().poll_next(cx) {
                Poll::Pending => return Poll::Pending,
                Poll::Ready(None) => return Poll::Ready(None),
                Poll::Ready(Some(Err(error))) => return Poll::Ready(Some(Err(error))),
                Poll::Ready(Some(Ok(items))) => this.buffer.extend(items),
            }
        }
    }
}

/// Pages mapped to their items.
struct PageItems<T, I, E> {
    pages: Pages<T, E>,
    items: fn(T) -> Vec<I>,
}

impl<T, I, E> Unpin for PageItems<T, I, E> {}

impl<T: Send + 'static, I, E: Send + 'static> Stream for PageItems<T, I, E> {
    type Item = Result<Vec<I>, Error<E>>;

    fn poll_next(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<Self::Item>> {
        let this = self.get_mut();
        match Pin::new(&mut this.pages).poll_next(cx) {
            Poll::Ready(Some(Ok(page))) => Poll::Ready(Some(Ok((this.items)(page.into_inner())))),
            Poll::Ready(Some(Err(error))) => Poll::Ready(Some(Err(error))),
            Poll::Ready(None) => Poll::Ready(None),
            Poll::Pending => Poll::Pending,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn headers(values: &[&str]) -> HeaderMap {
        let mut map = HeaderMap::new();
        for v in values {
            map.append(reqwest::header::LINK, v.parse().expect("header"));
        }
        map
    }

    #[test]
    fn finds_the_next_link_among_others() {
        let github = r#"<https://api.github.com/repositories/1/issues?page=2>; rel="next", <https://api.github.com/repositories/1/issues?page=5>; rel="last""#;
        assert_eq!(
            next_link(&headers(&[github])).as_deref(),
            Some("https://api.github.com/repositories/1/issues?page=2")
        );
        let first_last = r#"<https://x/a?page=1>; rel="prev", <https://x/a?page=3>; rel=next"#;
        assert_eq!(
            next_link(&headers(&[first_last])).as_deref(),
            Some("https://x/a?page=3")
        );
        let several = r#"<https://x/a?b=1,2>; title="a, b"; rel="next last""#;
        assert_eq!(
            next_link(&headers(&[several])).as_deref(),
            Some("https://x/a?b=1,2")
        );
        let split = [
            "<https://x/p1>; rel=\"prev\"",
            "<https://x/p3>; REL=\"Next\"",
        ];
        assert_eq!(next_link(&headers(&split)).as_deref(), Some("https://x/p3"));
    }

    #[test]
    fn no_next_link_on_the_last_page_or_a_broken_header() {
        assert_eq!(
            next_link(&headers(&[r#"<https://x/a?page=1>; rel="prev""#])),
            None
        );
        assert_eq!(next_link(&headers(&["<https://x/a; rel=\"next\""])), None);
        assert_eq!(next_link(&headers(&["rel=\"next\""])), None);
        assert_eq!(next_link(&HeaderMap::new()), None);
        assert_eq!(
            next_link(&headers(&[r#"<https://x/a>; rel="nextish""#])),
            None
        );
    }
}
