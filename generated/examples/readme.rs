//! The "Using the client" example of the workspace README, kept as an example so that
//! `cargo test` compiles it; `tests/spec/readme.rs` checks that the README shows this file's code.
//! Run: `BUDDY_TOKEN=... cargo run -p distributions --example readme`.

use std::time::Duration;

use distributions::buddy::Client;
use distributions::runtime::{Error, RetryPolicy};

#[tokio::main]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let token = std::env::var("BUDDY_TOKEN")?;
    let client = Client::builder()
        .token(token) // sent as `Authorization: Bearer ...`; `Debug` never shows it
        .base_url("https://api.eu.buddy.works") // optional: default https://api.buddy.works
        .timeout(Duration::from_secs(10)) // optional: the whole request; default 30 s
        .retry(RetryPolicy::default()) // the default: see below
        .build()?; // a bad base URL or a token with CR/LF is refused here

    // Required parameters are arguments; optional ones are set by name.
    let call = client
        .list_distributions("my-workspace")
        .project_name("website");
    match call.await {
        Ok(response) => {
            // Where the server departed from the spec, tolerated (empty when it did not).
            for drift in response.drift() {
                eprintln!("drift: {drift}");
            }
            // Status and headers stay available next to the typed body.
            let remaining = response
                .headers()
                .get("X-Rate-Limit-Remaining")
                .and_then(|value| value.to_str().ok());
            println!("{} ({remaining:?} requests left)", response.status());
            for distribution in response.into_inner().distributions.unwrap_or_default() {
                println!("{:?}: {:?}", distribution.id, distribution.name);
            }
        }
        // A documented error status (any 4xx/5xx for Buddy): status, headers, typed body.
        Err(Error::Api(api)) => {
            for error in &api.body.errors {
                eprintln!("{}: {}", api.status, error.message);
            }
        }
        // A status the spec does not document: the raw body is kept.
        Err(Error::UnexpectedStatus { status, body, .. }) => eprintln!("{status}: {body}"),
        // A body that does not fit the schema: where, why, and the raw body.
        Err(Error::Decode { path, message, .. }) => eprintln!("at `{path}`: {message}"),
        // Connection refused or broken, timeout, body cut short.
        Err(Error::Transport(error)) if error.is_timeout() => eprintln!("timed out"),
        Err(Error::Transport(error)) => eprintln!("transport: {error}"),
        // Nothing was sent (e.g. a path parameter `..`).
        Err(Error::InvalidRequest(message)) => eprintln!("not sent: {message}"),
        // The credential provider failed (see `ClientBuilder::credentials`).
        Err(Error::Credentials(error)) => eprintln!("no credential: {error}"),
        // A body over the limit (`ClientBuilder::max_response_size`, 64 MiB by default).
        Err(Error::ResponseTooLarge { limit, .. }) => eprintln!("over {limit} bytes"),
    }
    Ok(())
}
