//! Lists the distributions of a Buddy.works workspace with their routes.
//!
//! ```sh
//! BUDDY_TOKEN=<personal access token> cargo run -p distributions --example buddy -- <workspace>
//! ```
//!
//! The token needs the `DISTRIBUTION_INFO` scope. Set `BUDDY_API_URL` to use another server,
//! e.g. `https://api.eu.buddy.works` for accounts in the EU region.

use std::process::ExitCode;

use distributions::buddy::types::{ErrorResponse, RouteTarget};
use distributions::buddy::Client;
use distributions::runtime::Error;

const USAGE: &str = "usage: BUDDY_TOKEN=<token> buddy <workspace>\n\
                     \n\
                     Lists the distributions of <workspace> and their routes.\n\
                     BUDDY_API_URL overrides the server (default https://api.buddy.works).";

#[tokio::main]
async fn main() -> ExitCode {
    let mut args = std::env::args().skip(1);
    let workspace = match (args.next(), args.next()) {
        (Some(workspace), None) if !workspace.starts_with('-') => workspace,
        _ => {
            eprintln!("{USAGE}");
            return ExitCode::from(2);
        }
    };
    let token = match std::env::var("BUDDY_TOKEN") {
        Ok(token) if !token.trim().is_empty() => token,
        _ => {
            eprintln!("BUDDY_TOKEN is not set.\n\n{USAGE}");
            return ExitCode::from(2);
        }
    };

    let mut builder = Client::builder().token(token);
    if let Ok(url) = std::env::var("BUDDY_API_URL") {
        builder = builder.base_url(url);
    }
    let client = match builder.build() {
        Ok(client) => client,
        Err(error) => {
            eprintln!("cannot create the client: {error}");
            return ExitCode::from(2);
        }
    };

    let list = match client.list_distributions(&workspace).await {
        Ok(list) => list,
        Err(error) => return report(&error),
    };
    if let Some(remaining) = list
        .headers()
        .get("X-Rate-Limit-Remaining")
        .and_then(|value| value.to_str().ok())
    {
        eprintln!("({remaining} requests left in this rate-limit window)");
    }
    let distributions = list.into_inner().distributions.unwrap_or_default();
    if distributions.is_empty() {
        println!("{workspace} has no distributions.");
    }
    for distribution in distributions {
        let id = distribution.id.as_deref().unwrap_or("?");
        let name = distribution.name.as_deref().unwrap_or("(no name)");
        let state = if distribution.disabled == Some(true) {
            " [disabled]"
        } else {
            ""
        };
        println!("{name} ({id}){state}");
        let routes = match client.list_routes(&workspace, id).await {
            Ok(routes) => routes.into_inner().routes.unwrap_or_default(),
            Err(error) => return report(&error),
        };
        for route in routes {
            let host = match (&route.subdomain, &route.domain) {
                (Some(sub), Some(domain)) if !sub.is_empty() => format!("{sub}.{domain}"),
                (_, Some(domain)) => domain.clone(),
                _ => "?".to_string(),
            };
            let path = route.path.as_deref().unwrap_or_default();
            for (region, target) in route.targets.unwrap_or_default() {
                println!("  {host}/{path} [{region}] → {}", describe(&target));
            }
        }
    }
    ExitCode::SUCCESS
}

fn describe(target: &RouteTarget) -> String {
    match target {
        RouteTarget::External(external) => {
            format!(
                "external {}",
                external.external_url.as_deref().unwrap_or("?")
            )
        }
        RouteTarget::Tunnel(tunnel) => {
            let id = tunnel.tunnel.as_ref().and_then(|t| t.tunnel_id.as_deref());
            format!("tunnel {}", id.unwrap_or("?"))
        }
        RouteTarget::Sandbox(sandbox) => {
            let sandbox = sandbox.sandbox.as_ref();
            format!(
                "sandbox {} endpoint {}",
                sandbox.and_then(|s| s.id.as_deref()).unwrap_or("?"),
                sandbox.and_then(|s| s.endpoint.as_deref()).unwrap_or("?")
            )
        }
        // A target type this client does not know yet, kept as JSON.
        RouteTarget::Unknown(value) => format!("{value}"),
    }
}

fn report(error: &Error<ErrorResponse>) -> ExitCode {
    match error {
        Error::Api(api) => {
            for message in &api.body.errors {
                eprintln!("Buddy.works answered {}: {}", api.status, message.message);
            }
        }
        Error::UnexpectedStatus { status, body, .. } => {
            eprintln!("unexpected answer {status}: {body}");
        }
        Error::Decode { path, message, .. } => {
            eprintln!("cannot read the answer at `{path}`: {message}");
        }
        Error::Transport(error) if error.is_timeout() => {
            eprintln!("the server did not answer in time")
        }
        Error::Transport(error) => eprintln!("cannot reach the server: {}", causes(error)),
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
