//! Lists the distributions (shares sent to GitHub Gists or by Mailgun) of a local Pieces OS,
//! or shows one of them.
//!
//! ```sh
//! PIECES_APPLICATION_ID=<application id> cargo run -p distributions --example pieces
//! PIECES_APPLICATION_ID=<application id> cargo run -p distributions --example pieces -- <distribution uuid>
//! ```
//!
//! Pieces OS is expected at `http://localhost:1000`; set `PIECES_OS_URL` to use another address.

use std::process::ExitCode;

use distributions::pieces::types::Distribution;
use distributions::pieces::Client;
use distributions::runtime::Error;

const USAGE: &str = "usage: PIECES_APPLICATION_ID=<id> pieces [<distribution uuid>]\n\
                     \n\
                     Lists the distributions of the local Pieces OS, or shows one.\n\
                     PIECES_OS_URL overrides the address (default http://localhost:1000).";

#[tokio::main]
async fn main() -> ExitCode {
    let mut args = std::env::args().skip(1);
    let distribution = match (args.next(), args.next()) {
        (None, None) => None,
        (Some(uuid), None) if !uuid.starts_with('-') => Some(uuid),
        _ => {
            eprintln!("{USAGE}");
            return ExitCode::from(2);
        }
    };
    let application = match std::env::var("PIECES_APPLICATION_ID") {
        Ok(id) if !id.trim().is_empty() => id,
        _ => {
            eprintln!("PIECES_APPLICATION_ID is not set.\n\n{USAGE}");
            return ExitCode::from(2);
        }
    };

    let mut builder = Client::builder().token(application);
    if let Ok(url) = std::env::var("PIECES_OS_URL") {
        builder = builder.base_url(url);
    }
    let client = match builder.build() {
        Ok(client) => client,
        Err(error) => {
            eprintln!("cannot create the client: {error}");
            return ExitCode::from(2);
        }
    };

    match distribution {
        Some(uuid) => match client
            .distributions_specific_distribution_snapshot(&uuid)
            .await
        {
            Ok(distribution) => {
                show(&distribution);
                ExitCode::SUCCESS
            }
            Err(error) => report(&error),
        },
        None => match client.distributions_snapshot().await {
            Ok(all) => {
                if all.iterable.is_empty() {
                    println!("No distributions.");
                }
                for distribution in &all.iterable {
                    show(distribution);
                }
                ExitCode::SUCCESS
            }
            Err(error) => report(&error),
        },
    }
}

fn show(distribution: &Distribution) {
    let share = &distribution.share;
    println!(
        "{} ({}), created {}: {} share {}",
        distribution.id,
        share.name.as_deref().unwrap_or("unnamed"),
        distribution.created.value,
        share.access,
        share.link
    );
    if let Some(gist) = distribution.github.as_ref().and_then(|g| g.gist.as_ref()) {
        println!("  GitHub gist {} ({})", gist.name, gist.url);
    }
    if let Some(mailgun) = &distribution.mailgun {
        for recipient in &mailgun.recipients.iterable {
            println!("  mailed to {}", recipient.email.as_deref().unwrap_or("?"));
        }
    }
}

fn report(error: &Error<String>) -> ExitCode {
    match error {
        Error::Api(api) if api.status.as_u16() == 410 => {
            eprintln!("no such distribution: {}", api.body)
        }
        Error::Api(api) => eprintln!("Pieces OS answered {}: {}", api.status, api.body),
        Error::UnexpectedStatus { status, body, .. } => {
            eprintln!("unexpected answer {status}: {body}")
        }
        Error::Decode { path, message, .. } => {
            eprintln!("cannot read the answer at `{path}`: {message}")
        }
        Error::Transport(error) if error.is_connect() => {
            eprintln!(
                "cannot connect to Pieces OS; is it running? ({})",
                causes(error)
            )
        }
        Error::Transport(error) => eprintln!("transport error: {}", causes(error)),
        Error::InvalidRequest(message) => eprintln!("invalid request: {message}"),
        Error::Credentials(error) => eprintln!("no credential: {error}"),
        Error::ResponseTooLarge { status, limit, .. } => {
            eprintln!("the {status} answer is larger than {limit} bytes")
        }
    }
    ExitCode::FAILURE
}

/// An error with its causes: `error sending request: client error (Connect): Connection refused`.
fn causes(error: &dyn std::error::Error) -> String {
    let mut text = error.to_string();
    let mut source = error.source();
    while let Some(cause) = source {
        text.push_str(": ");
        text.push_str(&cause.to_string());
        source = cause.source();
    }
    text
}
