//! Shared by the runtime's HTTP-level tests: a minimal client over the runtime (what a
//! generated client is, minus the spec), fast retry policies, a ticking paused clock, and raw
//! TCP servers for the failures wiremock cannot produce (a body cut short, a connection
//! closed before any response, a port that refuses connections, one that never accepts).

use std::io::{Read, Write};
use std::net::{SocketAddr, TcpListener, TcpStream};
use std::thread::JoinHandle;
use std::time::Duration;

use generator_runtime::{
    AuthScheme, ClientBuilder, Error, FromTransport, Request, ResponseValue, RetryPolicy, Transport,
};
use wiremock::MockServer;

/// The token every test client sends.
pub const TOKEN: &str = "TOKEN";

/// A client as generated code builds one, without a spec: it wraps the transport and sends
/// requests assembled by the test.
#[derive(Debug, Clone)]
pub struct Api(pub Transport);

impl FromTransport for Api {
    fn from_transport(transport: Transport) -> Self {
        Api(transport)
    }
}

/// A builder for `base_url` with `scheme`, as a generated `Client::builder()` makes it.
pub fn builder(base_url: &str, scheme: AuthScheme) -> ClientBuilder<Api> {
    ClientBuilder::new(Some(base_url), scheme)
}

/// A bearer-token client for the mock server with `retry`.
pub fn client(server: &MockServer, retry: RetryPolicy) -> Api {
    builder(&server.uri(), AuthScheme::Bearer)
        .token(TOKEN)
        .retry(retry)
        .build()
        .expect("a client for the mock server")
}

impl Api {
    /// A request with the path appended, idempotent for GET, PUT, DELETE as generated code
    /// marks them.
    pub fn request(&self, method: &str, path: &str) -> Request {
        let method = reqwest::Method::from_bytes(method.as_bytes()).expect("a method");
        let idempotent = !matches!(method.as_str(), "POST" | "PATCH");
        let mut request = self.0.request(method, idempotent);
        request.push_path(path);
        request
    }

    /// Sends `request` and decodes like an operation with a `text/plain` 2XX: any 2xx is
    /// its text, any other status `UnexpectedStatus`.
    pub async fn text(&self, request: Request) -> Result<ResponseValue<String>, Error> {
        self.0
            .call(request, |response| match response.status().as_u16() {
                200..=299 => response.text(),
                _ => Err(response.unexpected()),
            })
            .await
    }

    /// `GET path` decoded as [`Self::text`].
    pub async fn get(&self, path: &str) -> Result<ResponseValue<String>, Error> {
        self.text(self.request("GET", path)).await
    }

    /// `POST path` (not idempotent) decoded as [`Self::text`].
    pub async fn post(&self, path: &str) -> Result<ResponseValue<String>, Error> {
        self.text(self.request("POST", path)).await
    }
}

// ---- policies and clocks --------------------------------------------------------------------

/// The default policy's behaviour (idempotent only, 429/502/503/504, connection errors) with
/// millisecond backoffs, for tests that count attempts on a real clock.
pub fn fast_retries(max_retries: u32) -> RetryPolicy {
    RetryPolicy {
        max_retries,
        initial_backoff: Duration::from_millis(1),
        max_backoff: Duration::from_millis(2),
        ..RetryPolicy::default()
    }
}

/// For tests on tokio's paused clock (`#[tokio::test(start_paused = true)]`) that talk to a
/// real socket: a task that ticks every 10 ms of virtual time.
///
/// A paused clock jumps to the next timer whenever the runtime is idle, and a runtime waiting
/// for a socket is idle: without a tick the next timer is the request's timeout, which would
/// fire while the server is still answering. With it, time moves 10 ms per idle turn, so a
/// backoff or `Retry-After` wait passes in a few thousand turns (milliseconds of real time)
/// while a request (given a long timeout, see [`LONG`]) cannot time out in the turns a
/// loopback answer takes, however loaded the machine.
pub fn ticking_clock() -> tokio::task::JoinHandle<()> {
    tokio::spawn(async {
        let mut tick = tokio::time::interval(Duration::from_millis(10));
        loop {
            tick.tick().await;
        }
    })
}

/// A request timeout for paused-clock tests: a day of virtual time, far beyond any wait they
/// make (8.6 million idle turns of 10 ms).
pub const LONG: Duration = Duration::from_secs(24 * 3600);

// ---- raw servers ----------------------------------------------------------------------------

/// A local port nothing listens on: connecting to it is refused.
pub fn refused_port() -> u16 {
    let listener = TcpListener::bind("127.0.0.1:0").expect("bind");
    let port = listener.local_addr().expect("addr").port();
    drop(listener);
    port
}

/// Reads one request head (up to the blank line) and any body announced by
/// `Content-Length`, so that the client is not cut off while it is still sending. Returns
/// the head.
pub fn read_request(stream: &mut TcpStream) -> String {
    let mut data = Vec::new();
    let mut buf = [0u8; 4096];
    let head_end = loop {
        if let Some(i) = data.windows(4).position(|w| w == b"\r\n\r\n") {
            break i + 4;
        }
        match stream.read(&mut buf) {
            Ok(0) | Err(_) => return String::from_utf8_lossy(&data).into_owned(),
            Ok(n) => data.extend_from_slice(&buf[..n]),
        }
    };
    let head = String::from_utf8_lossy(&data[..head_end]).into_owned();
    let length = head
        .to_ascii_lowercase()
        .lines()
        .find_map(|l| l.strip_prefix("content-length:").map(str::to_string))
        .and_then(|v| v.trim().parse::<usize>().ok())
        .unwrap_or(0);
    while data.len() < head_end + length {
        match stream.read(&mut buf) {
            Ok(0) | Err(_) => break,
            Ok(n) => data.extend_from_slice(&buf[..n]),
        }
    }
    head
}

/// A server on 127.0.0.1 that answers each of `responses.len()` connections with the raw
/// bytes given (one connection each; an empty answer closes the connection before any
/// response) and then closes the connection. The handle returns the request heads received.
pub fn raw_server(responses: Vec<Vec<u8>>) -> (SocketAddr, JoinHandle<Vec<String>>) {
    let listener = TcpListener::bind("127.0.0.1:0").expect("bind");
    let addr = listener.local_addr().expect("addr");
    (addr, serve(listener, responses))
}

/// Answers `responses` on `listener`, one connection each, on a thread of its own.
pub fn serve(listener: TcpListener, responses: Vec<Vec<u8>>) -> JoinHandle<Vec<String>> {
    std::thread::spawn(move || {
        let mut heads = Vec::new();
        for response in responses {
            let Ok((mut stream, _)) = listener.accept() else {
                break;
            };
            stream.set_read_timeout(Some(Duration::from_secs(30))).ok();
            heads.push(read_request(&mut stream));
            stream.write_all(&response).ok();
            stream.flush().ok();
            // Dropping the stream closes the connection, even mid-body.
        }
        heads
    })
}

/// A complete HTTP/1.1 response with a text body.
pub fn http_text(status: &str, body: &str) -> Vec<u8> {
    format!(
        "HTTP/1.1 {status}\r\nContent-Type: text/plain\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{body}",
        body.len()
    )
    .into_bytes()
}

/// A response that announces a 100-byte body, sends 10 bytes and closes.
pub fn cut_short_response() -> Vec<u8> {
    b"HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nContent-Length: 100\r\nConnection: close\r\n\r\n0123456789"
        .to_vec()
}

/// A listening port whose accept queue is full: the kernel drops further connection attempts
/// (SYNs) instead of refusing them, so connecting hangs until the client gives up. The
/// listener and the connections that filled it are returned to be kept alive.
pub fn unanswered_port() -> (SocketAddr, TcpListener, Vec<TcpStream>) {
    let listener = TcpListener::bind("127.0.0.1:0").expect("bind");
    let addr = listener.local_addr().expect("addr");
    let mut held = Vec::new();
    // std listens with a backlog of 128; a few more than that fill the queue on Linux.
    for _ in 0..1024 {
        match TcpStream::connect_timeout(&addr, Duration::from_millis(200)) {
            Ok(stream) => held.push(stream),
            Err(_) => return (addr, listener, held),
        }
    }
    panic!("the accept queue of {addr} never filled");
}
