//! A call: what every generated method returns. Awaiting it sends the request and decodes the
//! response as the spec documents; before that, the caller can ask for another
//! representation (`accept`) or for the body as it is (`bytes`, `text`, `stream`).

use std::future::{Future, IntoFuture};
use std::pin::Pin;

use bytes::Bytes;

use super::error::Error;
use super::pages::{Items, Pages, Paginate};
use super::response::{Response, ResponseValue};
use super::stream::ByteStream;
use super::transport::Transport;
use super::Request;

/// The future of a call: `Send + 'static`, so it can be spawned.
pub type CallFuture<T, E> =
    Pin<Box<dyn Future<Output = Result<ResponseValue<T>, Error<E>>> + Send + 'static>>;

/// A request ready to send, returned by every generated method: `.await` it (or
/// [`Call::send`] it) for the documented, typed outcome.
///
/// Before sending, the caller can ask for the body in a form the spec does not describe:
/// [`Call::accept`] sets the `Accept` header (a vendor media type such as
/// `application/vnd.github.raw+json`), and [`Call::bytes`], [`Call::text`] and
/// [`Call::stream`] return a success's body as it is, with its status and headers. Error
/// statuses are decoded as documented whichever form is asked for.
///
/// The arguments were read when the method ran: a `Call` owns everything it needs.
///
/// `D` is the operation's decoder, its match on the status: a closure
/// `FnOnce(Response) -> Result<ResponseValue<T>, Error<E>>` that fixes the success type `T`
/// and the error type `E`. Generic rather than a function pointer on purpose: the match (and
/// the decoding of every type it names) is compiled only for the operations a program calls,
/// not for all of them when the client crate is built, which for big APIs is most of the
/// build.
#[must_use = "a call does nothing until it is awaited"]
pub struct Call<D> {
    pub(super) transport: Transport,
    pub(super) request: Request,
    pub(super) decode: D,
}

impl<D> std::fmt::Debug for Call<D> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Call")
            .field("method", &self.request.method)
            .field("path", &self.request.path)
            .finish()
    }
}

impl<D> Call<D> {
    /// The request, for the setters of generated code (optional parameters and bodies).
    #[doc(hidden)]
    pub fn request_mut(&mut self) -> &mut Request {
        &mut self.request
    }
}

impl<T, E, D> Call<D>
where
    D: FnOnce(Response) -> Result<ResponseValue<T>, Error<E>> + Send + 'static,
    T: 'static,
    E: 'static,
{
    /// Sends the call; the same as awaiting it.
    pub fn send(self) -> CallFuture<T, E> {
        self.into_future()
    }

    /// The pages of a paginated call, walked as `P` (the operation's options type) says;
    /// see [`Pages`]. Each page is sent with this call's retry policy, timeout and headers.
    pub fn pages<P>(self) -> Pages<T, E>
    where
        P: Paginate<Page = T>,
        D: Clone,
        T: Send,
        E: Send,
    {
        Pages::new::<P, D>(self.transport, self.request, self.decode)
    }

    /// The items of a paginated call's pages, one after another; see [`Items`].
    pub fn items<P>(self) -> Items<P::Item, E>
    where
        P: Paginate<Page = T>,
        P::Item: Send + 'static,
        D: Clone,
        T: Send,
        E: Send,
    {
        Items::new(self.pages::<P>(), P::items)
    }

    /// Asks for the representation `media` (sets `Accept`, replacing the spec's). Useful
    /// where the decoded type stays the same (`application/vnd.github+json`) or, with
    /// [`Call::bytes`], [`Call::text`] or [`Call::stream`], for one the spec does not
    /// describe (`application/vnd.github.raw+json`). A value that is not a valid header
    /// makes the call fail with [`Error::InvalidRequest`], sending nothing.
    pub fn accept(mut self, media: &str) -> Self {
        self.request.accept_any(media);
        self
    }

    /// Limits this call to `timeout` (each attempt, from connecting to the end of the
    /// body), instead of the client's.
    pub fn timeout(mut self, timeout: std::time::Duration) -> Self {
        self.request.timeout = Some(timeout);
        self
    }

    /// Retries this call as `policy` says, instead of the client's policy.
    pub fn retry(mut self, policy: super::RetryPolicy) -> Self {
        self.request.retry = Some(policy);
        self
    }

    /// Adds a header to this call (a tracing id, a conditional request's `If-None-Match`);
    /// it replaces a default header of the same name. A name or value that cannot be sent
    /// fails the call with [`Error::InvalidRequest`], sending nothing.
    pub fn header(mut self, name: &str, value: &str) -> Self {
        self.request.header(name, value);
        self
    }

    /// Sends the body as `media` (sets `Content-Type`, replacing the spec's): for another
    /// media type the spec documents for the body and encodes alike
    /// (`application/merge-patch+json` beside `application/json`, `text/x-markdown` beside
    /// `text/plain`). Media types encoded differently (form, multipart) have methods of
    /// their own. An invalid value, or a call without a body or with a multipart body, fails
    /// with [`Error::InvalidRequest`], sending nothing.
    pub fn content_type(mut self, media: &str) -> Self {
        self.request.content_type_any(media);
        self
    }

    /// Sends the call and returns a success's body (any status below 400) as bytes.
    pub fn bytes(self) -> impl Future<Output = Result<ResponseValue<Bytes>, Error<E>>> + Send {
        let raw = self.raw(false);
        async move { raw.await?.bytes() }
    }

    /// Sends the call and returns a success's body as text (lossy UTF-8).
    pub fn text(self) -> impl Future<Output = Result<ResponseValue<String>, Error<E>>> + Send {
        let raw = self.raw(false);
        async move { raw.await?.text() }
    }

    /// Sends the call and returns a success's body as a stream, read from the connection as
    /// it is polled (a download is never held whole). Error statuses are read (they are
    /// small) and decoded as documented.
    pub fn stream(
        self,
    ) -> impl Future<Output = Result<ResponseValue<ByteStream>, Error<E>>> + Send {
        let raw = self.raw(true);
        async move { raw.await?.stream() }
    }

    /// Sends the call; a success (below 400) is the response as it is, any other status the
    /// operation's documented error.
    fn raw(
        mut self,
        stream: bool,
    ) -> impl Future<Output = Result<Response, Error<E>>> + Send + 'static {
        if stream {
            self.request.stream_response();
        }
        let Call {
            transport,
            request,
            decode,
        } = self;
        async move {
            let response = transport.send::<E>(request).await?;
            if response.status().as_u16() < 400 {
                return Ok(response);
            }
            // An error status is read in full, so a copy is cheap; it stands in for an
            // operation that documents the status as a success.
            let copy = response.duplicate();
            match decode(response) {
                Err(error) => Err(error),
                Ok(_) => Err(copy.unexpected()),
            }
        }
    }
}

impl<T, E, D> IntoFuture for Call<D>
where
    D: FnOnce(Response) -> Result<ResponseValue<T>, Error<E>> + Send + 'static,
    T: 'static,
    E: 'static,
{
    type Output = Result<ResponseValue<T>, Error<E>>;
    type IntoFuture = CallFuture<T, E>;

    fn into_future(self) -> Self::IntoFuture {
        let Call {
            transport,
            request,
            decode,
        } = self;
        Box::pin(async move {
            let response = transport.send::<E>(request).await?;
            decode(response)
        })
    }
}
