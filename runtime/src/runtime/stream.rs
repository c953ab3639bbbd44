//! Bodies consumed as they arrive: [`ByteStream`] (a download) and [`EventStream`]
//! (`text/event-stream`, server-sent events, parsed by the `eventsource-stream` crate).

use std::fmt;
use std::pin::Pin;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Arc;
use std::task::{Context, Poll};
use std::time::Duration;

use bytes::Bytes;
use eventsource_stream::{EventStreamError, Eventsource as _};
use futures_core::Stream;

use super::decode::{self, Decode, Decoded};
use super::drift::{self, DecodeMode, Drift};
use super::path::DecodePath;
use super::response::Body;

type Chunks = Pin<Box<dyn Stream<Item = Result<Bytes, reqwest::Error>> + Send>>;

/// A response body as a stream of byte chunks, read from the connection as the caller
/// polls: a download is never held in memory whole. Implements
/// [`Stream`](futures_core::Stream); a connection that drops mid-body ends it with an error.
pub struct ByteStream {
    inner: Inner,
}

enum Inner {
    /// A body already read (a small success, or an unfollowed redirect): one chunk.
    Read(Option<Bytes>),
    Live(Chunks),
}

impl fmt::Debug for ByteStream {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let state = match &self.inner {
            Inner::Read(Some(bytes)) => format!("{} bytes read", bytes.len()),
            Inner::Read(None) => "ended".to_string(),
            Inner::Live(_) => "streaming".to_string(),
        };
        f.debug_tuple("ByteStream").field(&state).finish()
    }
}

impl ByteStream {
    pub(super) fn new(body: Body) -> Self {
        let inner = match body {
            Body::Read(bytes) => Inner::Read((!bytes.is_empty()).then_some(bytes)),
            Body::Live(response) => Inner::Live(Box::pin(response.bytes_stream())),
        };
        ByteStream { inner }
    }

    /// The next chunk, `None` at the end (the same as `StreamExt::next`, without the
    /// import).
    pub async fn next(&mut self) -> Option<Result<Bytes, reqwest::Error>> {
        std::future::poll_fn(|cx| Pin::new(&mut *self).poll_next(cx)).await
    }

    /// Reads the rest of the body into memory.
    pub async fn to_bytes(mut self) -> Result<Bytes, reqwest::Error> {
        let mut all = bytes::BytesMut::new();
        while let Some(chunk) = self.next().await {
            all.extend_from_slice(&chunk?);
        }
        Ok(all.freeze())
    }
}

impl Stream for ByteStream {
    type Item = Result<Bytes, reqwest::Error>;

    fn poll_next(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<Self::Item>> {
        match &mut self.get_mut().inner {
            Inner::Read(bytes) => Poll::Ready(bytes.take().map(Ok)),
            Inner::Live(chunks) => chunks.as_mut().poll_next(cx),
        }
    }
}

/// One server-sent event: its data decoded, with the event's name, id and retry hint.
#[derive(Debug, Clone, PartialEq)]
pub struct ServerEvent<T> {
    event: String,
    id: String,
    retry: Option<Duration>,
    data: T,
    drift: Vec<Drift>,
}

impl<T> ServerEvent<T> {
    /// The event's name (`event:`), empty when the server sent none (a `message`).
    pub fn event(&self) -> &str {
        &self.event
    }

    /// The last event id the server sent (`id:`), empty when none.
    pub fn id(&self) -> &str {
        &self.id
    }

    /// The reconnection time the server asked for (`retry:`).
    pub fn retry(&self) -> Option<Duration> {
        self.retry
    }

    /// The decoded data.
    pub fn data(&self) -> &T {
        &self.data
    }

    /// The decoded data, by value.
    pub fn into_data(self) -> T {
        self.data
    }

    /// Where the data departs from the spec in ways the client tolerated (see
    /// [`DecodeMode`]).
    pub fn drift(&self) -> &[Drift] {
        &self.drift
    }
}

/// What ends an event stream early.
#[derive(Debug, thiserror::Error)]
pub enum EventError {
    /// The connection failed or dropped before the stream ended.
    #[error("the event stream was cut off: {0}")]
    Transport(#[source] reqwest::Error),
    /// The bytes are not a `text/event-stream` (or not UTF-8).
    #[error("the event stream is malformed: {0}")]
    Malformed(String),
    /// More than the client's `max_response_size` arrived without completing an event.
    #[error("an event is larger than {0} bytes, the most the client reads")]
    TooLarge(u64),
    /// An event's data does not fit the schema the spec gives for the stream's events.
    #[error("cannot decode the data of an event at `{path}`: {message}")]
    Decode {
        /// Where in the JSON decoding failed, `.` for the root.
        path: DecodePath,
        /// What was wrong there.
        message: String,
        /// The event's data as sent.
        data: String,
    },
}

/// A body whose chunks are counted as the event parser reads them; it ends early, the
/// chunk that passes the limit kept back, once more than `limit` bytes were read since the
/// last event (the parser buffers them all).
struct Counted {
    body: ByteStream,
    read: Arc<AtomicU64>,
    limit: u64,
}

impl Stream for Counted {
    type Item = Result<Bytes, reqwest::Error>;

    fn poll_next(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<Self::Item>> {
        let this = self.get_mut();
        if this.read.load(Ordering::Relaxed) > this.limit {
            return Poll::Ready(None);
        }
        let next = Pin::new(&mut this.body).poll_next(cx);
        if let Poll::Ready(Some(Ok(chunk))) = &next {
            let read = this.read.fetch_add(chunk.len() as u64, Ordering::Relaxed);
            if read + chunk.len() as u64 > this.limit {
                return Poll::Ready(None);
            }
        }
        next
    }
}

type Events = Pin<
    Box<
        dyn Stream<Item = Result<eventsource_stream::Event, EventStreamError<reqwest::Error>>>
            + Send,
    >,
>;

/// How an event's data becomes a `T` (JSON decoded, or kept as text).
type Parse<T> = fn(&str, DecodeMode) -> Result<Decoded<T>, EventError>;

/// A `text/event-stream` response as a [`Stream`](futures_core::Stream) of
/// [`ServerEvent`]s whose data is decoded as the spec's schema says, read as the caller
/// polls.
///
/// The stream ends cleanly when the server closes the response, or at the end marker: an
/// event whose data is `[DONE]` (the convention of OpenAI-style streaming APIs), which is not
/// yielded; [`EventStream::end_marker`] changes or removes it. A connection that drops
/// mid-stream yields [`EventError::Transport`], and malformed bytes
/// [`EventError::Malformed`], after which the stream ends; an event whose data does not fit
/// the schema yields [`EventError::Decode`] and the stream goes on.
pub struct EventStream<T> {
    events: Events,
    /// The bytes read since the last event, and the most allowed.
    pending: Arc<AtomicU64>,
    limit: u64,
    parse: Parse<T>,
    mode: DecodeMode,
    end_marker: Option<String>,
    done: bool,
    /// The request, for log lines about drift.
    request: String,
}

impl<T> fmt::Debug for EventStream<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("EventStream")
            .field("request", &self.request)
            .field("end_marker", &self.end_marker)
            .field("done", &self.done)
            .finish()
    }
}

/// The default end marker.
const DONE: &str = "[DONE]";

impl<T> EventStream<T> {
    fn new(
        body: ByteStream,
        parse: Parse<T>,
        mode: DecodeMode,
        request: String,
        limit: u64,
    ) -> Self {
        let pending = Arc::new(AtomicU64::new(0));
        let counted = Counted {
            body,
            read: Arc::clone(&pending),
            limit,
        };
        EventStream {
            events: Box::pin(counted.eventsource()),
            pending,
            limit,
            parse,
            mode,
            end_marker: Some(DONE.to_string()),
            done: false,
            request,
        }
    }

    /// The next event, `None` at the end (the same as `StreamExt::next`, without the
    /// import).
    pub async fn next(&mut self) -> Option<Result<ServerEvent<T>, EventError>> {
        std::future::poll_fn(|cx| Pin::new(&mut *self).poll_next(cx)).await
    }

    /// Ends the stream at an event whose data is `marker` (`None`: only when the server
    /// closes the response). The default is `[DONE]`.
    pub fn end_marker(mut self, marker: Option<&str>) -> Self {
        self.end_marker = marker.map(str::to_string);
        self
    }
}

impl<T: Decode + 'static> EventStream<T> {
    /// Events whose data is JSON, decoded into `T` in `mode`.
    pub(super) fn json(body: ByteStream, mode: DecodeMode, request: String, limit: u64) -> Self {
        EventStream::new(body, parse_json::<T>, mode, request, limit)
    }
}

impl EventStream<String> {
    /// Events whose data is kept as text.
    pub(super) fn text(body: ByteStream, request: String, limit: u64) -> Self {
        EventStream::new(body, parse_text, DecodeMode::default(), request, limit)
    }
}

fn parse_json<T: Decode>(data: &str, mode: DecodeMode) -> Result<Decoded<T>, EventError> {
    decode::from_slice::<T>(data.as_bytes(), mode).map_err(|e| {
        let (path, message) = e.into_parts();
        EventError::Decode {
            path,
            message,
            data: data.to_string(),
        }
    })
}

fn parse_text(data: &str, _: DecodeMode) -> Result<Decoded<String>, EventError> {
    Ok(Decoded {
        value: data.to_string(),
        drift: Vec::new(),
    })
}

impl<T> Stream for EventStream<T> {
    type Item = Result<ServerEvent<T>, EventError>;

    fn poll_next(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<Self::Item>> {
        let this = self.get_mut();
        if this.done {
            return Poll::Ready(None);
        }
        let event = match this.events.as_mut().poll_next(cx) {
            Poll::Pending => return Poll::Pending,
            // The body was ended by `Counted`: an event too large.
            Poll::Ready(None) if this.pending.load(Ordering::Relaxed) > this.limit => {
                this.done = true;
                return Poll::Ready(Some(Err(EventError::TooLarge(this.limit))));
            }
            Poll::Ready(None) => {
                this.done = true;
                return Poll::Ready(None);
            }
            Poll::Ready(Some(Err(e))) => {
                this.done = true;
                let error = match e {
                    EventStreamError::Transport(e) => EventError::Transport(e),
                    EventStreamError::Utf8(e) => EventError::Malformed(e.to_string()),
                    EventStreamError::Parser(e) => EventError::Malformed(e.to_string()),
                };
                return Poll::Ready(Some(Err(error)));
            }
            Poll::Ready(Some(Ok(event))) => {
                this.pending.store(0, Ordering::Relaxed);
                event
            }
        };
        if this.end_marker.as_deref() == Some(event.data.trim()) {
            this.done = true;
            return Poll::Ready(None);
        }
        let decoded = (this.parse)(&event.data, this.mode);
        Poll::Ready(Some(decoded.map(|Decoded { value, drift }| {
            drift::log(&format_args!("an event of {}", this.request), &drift);
            ServerEvent {
                event: event.event,
                id: event.id,
                retry: event.retry,
                data: value,
                drift,
            }
        })))
    }
}
