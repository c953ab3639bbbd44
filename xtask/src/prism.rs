//! Prism (`@stoplight/prism-cli`, [`PRISM_VERSION`]), shared by `cargo xtask conformance`
//! and `cargo xtask corpus --conformance`: its pinned install into `target/prism/`, a server
//! started on a free port and stopped when dropped ([`Server`]), and the reading of its log
//! ([`PrismLog`]) and of libtest's output ([`parse_libtest`]).

use std::collections::BTreeMap;
use std::fs;
use std::net::{Ipv4Addr, SocketAddr, TcpListener, TcpStream};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

/// The Prism version, as `xtask/prism/package.json` pins it (a unit test checks they agree).
pub const PRISM_VERSION: &str = "5.14.2";
/// `package.json` and `package-lock.json` of the Prism install.
const PACKAGE_DIR: &str = "xtask/prism";
/// Where Prism is installed.
const PREFIX: &str = "target/prism";
/// In [`PREFIX`]: the SHA-256 of the lock file it was installed from.
const STAMP: &str = "xtask-lock.sha256";
/// The longest Prism may take to listen.
pub const STARTUP: Duration = Duration::from_secs(60);
/// What Prism prints once it listens.
const LISTENING: &str = "Prism is listening on";

/// Prism's mode.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Mode {
    /// Responses are the spec's examples.
    Static,
    /// Responses are generated from the schemas (`--dynamic`).
    Dynamic,
}

impl Mode {
    pub(crate) fn name(self) -> &'static str {
        match self {
            Mode::Static => "static",
            Mode::Dynamic => "dynamic",
        }
    }
}

/// Prism's executable, after installing the pinned version unless it is installed.
pub(crate) fn ensure_prism(root: &Path) -> Result<PathBuf, String> {
    use sha2::Digest as _;
    let package = root.join(PACKAGE_DIR);
    let lock_path = package.join("package-lock.json");
    let lock =
        fs::read(&lock_path).map_err(|e| format!("cannot read {}: {e}", lock_path.display()))?;
    let digest: String = sha2::Sha256::digest(&lock)
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect();
    let prefix = root.join(PREFIX);
    let bin = prefix.join("node_modules/.bin/prism");
    let stamp = prefix.join(STAMP);
    if fs::read_to_string(&stamp).is_ok_and(|s| s.trim() == digest)
        && prism_version(&bin).as_deref() == Some(PRISM_VERSION)
    {
        return Ok(bin);
    }
    eprintln!(
        "conformance: installing @stoplight/prism-cli {PRISM_VERSION} ({}) into {PREFIX} with npm ci …",
        lock_path.display()
    );
    fs::create_dir_all(&prefix).map_err(|e| format!("cannot create {}: {e}", prefix.display()))?;
    for file in ["package.json", "package-lock.json"] {
        fs::copy(package.join(file), prefix.join(file))
            .map_err(|e| format!("cannot copy {PACKAGE_DIR}/{file} into {PREFIX}: {e}"))?;
    }
    let status = Command::new("npm")
        .args([
            "ci",
            "--no-audit",
            "--no-fund",
            "--loglevel=error",
            "--ignore-scripts",
        ])
        .current_dir(&prefix)
        .stdout(std::io::stderr())
        .status()
        .map_err(|e| format!("cannot run npm (Node.js 20 or later with npm is needed): {e}"))?;
    if !status.success() {
        return Err(format!("npm ci in {PREFIX} failed: {status}"));
    }
    match prism_version(&bin) {
        Some(version) if version == PRISM_VERSION => {}
        other => {
            return Err(format!(
                "{} --version says {other:?}, not {PRISM_VERSION} (does this Node.js run it?)",
                bin.display()
            ))
        }
    }
    fs::write(&stamp, format!("{digest}\n"))
        .map_err(|e| format!("cannot write {}: {e}", stamp.display()))?;
    Ok(bin)
}

/// What `prism --version` prints, if it runs.
fn prism_version(bin: &Path) -> Option<String> {
    let output = Command::new(bin)
        .arg("--version")
        .stderr(Stdio::null())
        .output()
        .ok()?;
    let text = String::from_utf8_lossy(&output.stdout);
    output
        .status
        .success()
        .then(|| text.lines().last().unwrap_or_default().trim().to_string())
}

/// The last `lines` lines of `text`.
pub(crate) fn tail(text: &str, lines: usize) -> String {
    let all: Vec<&str> = text.lines().collect();
    all[all.len().saturating_sub(lines)..].join("\n")
}

/// One test's result.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Outcome {
    /// Its full name, e.g. `buddy::list_distributions_all`.
    pub name: String,
    pub passed: bool,
    /// For a failure: the first line of what it printed (the panic message).
    pub message: Option<String>,
}

impl Outcome {
    /// The operation it called: the name without its module and `_required`/`_all` suffix.
    pub(crate) fn operation(&self) -> &str {
        let name = self.name.rsplit("::").next().unwrap_or(&self.name);
        name.strip_suffix("_required")
            .or_else(|| name.strip_suffix("_all"))
            .unwrap_or(name)
    }
}

/// Reads libtest's (human) output: `test NAME ... ok|FAILED` lines, and for each failure the
/// first line of its section under `failures:`. Ignored tests are left out.
pub fn parse_libtest(output: &str) -> Vec<Outcome> {
    let mut outcomes: Vec<Outcome> = Vec::new();
    for line in output.lines() {
        let Some(rest) = line.strip_prefix("test ") else {
            continue;
        };
        let Some((name, result)) = rest.split_once(" ... ") else {
            continue;
        };
        let passed = match result.trim() {
            "ok" => true,
            "FAILED" => false,
            _ => continue,
        };
        outcomes.push(Outcome {
            name: name.trim().to_string(),
            passed,
            message: None,
        });
    }
    // `---- NAME stdout ----` sections.
    let mut current: Option<String> = None;
    for line in output.lines() {
        if let Some(name) = line
            .strip_prefix("---- ")
            .and_then(|l| l.strip_suffix(" stdout ----"))
        {
            current = Some(name.to_string());
            continue;
        }
        if line == "failures:" || line.starts_with("test result: ") {
            current = None;
            continue;
        }
        let Some(name) = &current else { continue };
        let Some(message) = message_line(line) else {
            continue;
        };
        if let Some(outcome) = outcomes
            .iter_mut()
            .find(|o| &o.name == name && !o.passed && o.message.is_none())
        {
            outcome.message = Some(message);
            current = None;
        }
    }
    outcomes
}

/// The failure message a line of a failure's section holds, if any: not blank, not the
/// `thread 'NAME' (ID) panicked at FILE:LINE:COL:` line (but the message of the old form
/// `panicked at 'MESSAGE', FILE`), not a `note:`.
fn message_line(line: &str) -> Option<String> {
    let line = line.trim();
    if line.is_empty() || line.starts_with("note: ") {
        return None;
    }
    if line.starts_with("thread '") && line.contains(" panicked at ") {
        let (_, after) = line.split_once("' panicked at ")?;
        // Before Rust 1.73: `panicked at 'MESSAGE', src/lib.rs:1:1`.
        let quoted = after.strip_prefix('\'')?;
        let end = quoted.rfind("', ")?;
        return Some(quoted[..end].to_string());
    }
    Some(line.to_string())
}

/// A free TCP port of 127.0.0.1 (free when asked: Prism may still lose it to another process,
/// which [`Server::start`] notices and retries).
fn free_port() -> Result<u16, String> {
    TcpListener::bind((Ipv4Addr::LOCALHOST, 0))
        .and_then(|l| l.local_addr())
        .map(|a| a.port())
        .map_err(|e| format!("no free port on 127.0.0.1: {e}"))
}

/// Why a server is not ready.
#[derive(Debug, PartialEq, Eq)]
enum NotReady {
    /// It ended (with this status).
    Exited(String),
    /// It did not listen in time.
    Timeout,
}

/// Waits until something accepts connections on `port` of 127.0.0.1 and `listening()` says
/// it is ours, while `exited()` says the process still runs (`Some(status)` once it ended).
fn wait_ready(
    port: u16,
    timeout: Duration,
    mut exited: impl FnMut() -> Option<String>,
    mut listening: impl FnMut() -> bool,
) -> Result<(), NotReady> {
    let address = SocketAddr::from((Ipv4Addr::LOCALHOST, port));
    let deadline = Instant::now() + timeout;
    loop {
        if let Some(status) = exited() {
            return Err(NotReady::Exited(status));
        }
        if TcpStream::connect_timeout(&address, Duration::from_millis(200)).is_ok() && listening() {
            return Ok(());
        }
        if Instant::now() >= deadline {
            return Err(NotReady::Timeout);
        }
        std::thread::sleep(Duration::from_millis(100));
    }
}

/// A running process, killed (and reaped) when dropped.
pub(crate) struct Guard(Child);

impl Drop for Guard {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

/// A running Prism.
pub(crate) struct Server {
    process: Guard,
    port: u16,
}

impl Server {
    /// Starts Prism on `spec` on a free port, its output in `log`, and waits until it listens.
    pub(crate) fn start(
        root: &Path,
        prism: &Path,
        spec: &str,
        mode: Mode,
        seed: &str,
        log: &Path,
        startup: Duration,
    ) -> Result<Server, String> {
        const ATTEMPTS: usize = 3;
        for attempt in 1..=ATTEMPTS {
            let port = free_port()?;
            let file = fs::File::create(log)
                .map_err(|e| format!("cannot create {}: {e}", log.display()))?;
            let err = file
                .try_clone()
                .map_err(|e| format!("cannot open {}: {e}", log.display()))?;
            let mut command = Command::new(prism);
            command
                .args(["mock", spec, "--host", "127.0.0.1", "--port"])
                .arg(port.to_string());
            if mode == Mode::Dynamic {
                command.args(["--dynamic", "--seed", seed]);
                command.arg("--json-schema-faker-fillProperties=false");
            }
            let child = command
                .current_dir(root)
                .stdin(Stdio::null())
                .stdout(file)
                .stderr(err)
                .spawn()
                .map_err(|e| format!("cannot start {}: {e}", prism.display()))?;
            let mut server = Server {
                process: Guard(child),
                port,
            };
            let read_log = || fs::read_to_string(log).unwrap_or_default();
            let process = &mut server.process.0;
            let ready = wait_ready(
                port,
                startup,
                || match process.try_wait() {
                    Ok(Some(status)) => Some(status.to_string()),
                    Ok(None) => None,
                    Err(e) => Some(e.to_string()),
                },
                || read_log().contains(LISTENING),
            );
            match ready {
                Ok(()) => return Ok(server),
                Err(NotReady::Exited(_))
                    if read_log().contains("EADDRINUSE") && attempt < ATTEMPTS =>
                {
                    continue
                }
                Err(NotReady::Exited(status)) => {
                    return Err(format!(
                        "Prism exited ({status}) before it listened on {spec} ({}):\n{}",
                        log.display(),
                        tail(&read_log(), 30)
                    ))
                }
                Err(NotReady::Timeout) => {
                    return Err(format!(
                        "Prism did not listen on port {port} within {} s for {spec} ({}):\n{}",
                        startup.as_secs(),
                        log.display(),
                        tail(&read_log(), 30)
                    ))
                }
            }
        }
        unreachable!("the last attempt returns")
    }

    pub(crate) fn base_url(&self) -> String {
        format!("http://127.0.0.1:{}", self.port)
    }
}

/// What Prism's log says about the requests it received.
#[derive(Debug, Default, PartialEq, Eq)]
pub struct PrismLog {
    /// Requests received.
    pub requests: usize,
    /// Requests that passed its validation (the others were answered with an error).
    pub accepted: usize,
    /// Violations, each with how often: `(side, severity, location and message)`, side being
    /// `request` (the client's) or `response` (the spec's own: an example or generated value
    /// its schema refuses).
    pub violations: BTreeMap<(String, String, String), usize>,
    /// Requests it ended with an error before or instead of validating them (e.g.
    /// `NO_PATH_MATCHED_ERROR`), by error.
    pub errors: BTreeMap<String, usize>,
}

impl PrismLog {
    /// Reads Prism 5's text log.
    pub fn read(log: &str) -> PrismLog {
        let mut read = PrismLog::default();
        for line in log.lines() {
            if line.contains("[HTTP SERVER]") && line.ends_with("Request received") {
                read.requests += 1;
            } else if line.contains("The request passed the validation rules") {
                read.accepted += 1;
            } else if let Some((before, violation)) = line.split_once("Violation: ") {
                let severity = if before.contains(" warning ") {
                    "warning"
                } else {
                    "error"
                };
                let location = violation.split(' ').next().unwrap_or_default();
                let side = location.split('.').next().unwrap_or_default();
                *read
                    .violations
                    .entry((
                        side.to_string(),
                        severity.to_string(),
                        violation.trim().to_string(),
                    ))
                    .or_default() += 1;
            } else if let Some((_, error)) = line.split_once("Request terminated with error: ") {
                let error = error
                    .trim()
                    .strip_prefix("https://stoplight.io/prism/errors#")
                    .unwrap_or(error.trim());
                *read.errors.entry(error.to_string()).or_default() += 1;
            }
        }
        read
    }

    /// Violations found on `side` (`request` or `response`).
    pub(crate) fn count(&self, side: &str) -> usize {
        self.violations
            .iter()
            .filter(|((s, _, _), _)| s == side)
            .map(|(_, n)| n)
            .sum()
    }
}

/// The first `max` characters of `text`, marked when cut.
/// Waits for `child` at most `timeout`; then kills and reaps it and returns `Ok(None)`.
pub(crate) fn wait_until(
    child: &mut Child,
    timeout: Duration,
) -> Result<Option<std::process::ExitStatus>, String> {
    let deadline = Instant::now() + timeout;
    loop {
        match child.try_wait() {
            Ok(Some(status)) => return Ok(Some(status)),
            Ok(None) if Instant::now() < deadline => std::thread::sleep(Duration::from_millis(50)),
            Ok(None) => {
                let _ = child.kill();
                let _ = child.wait();
                return Ok(None);
            }
            Err(e) => return Err(format!("cannot wait for a child process: {e}")),
        }
    }
}

pub(crate) fn shorten(text: &str, max: usize) -> String {
    if text.chars().count() <= max {
        text.to_string()
    } else {
        format!("{} …", text.chars().take(max).collect::<String>())
    }
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;

    /// libtest's output as Rust 1.95 prints it for one passing, two failing (a panic, an
    /// `Err` returned) and one ignored test.
    pub(crate) const OUTPUT: &str = "\nrunning 4 tests
test buddy::list_distributions_required ... ok
test buddy::get_route_all ... FAILED
test buddy::create_route_required ... FAILED
test buddy::skipped ... ignored, needs a mock server
test buddy::create_route_all has been running for over 60 seconds

failures:

---- buddy::get_route_all stdout ----

thread 'buddy::get_route_all' (22893) panicked at generated/tests/conformance.rs:37:13:
GET /workspaces/{workspace}/distributions/{distribution_id}/routes/{route_id}: unexpected status 422: Api { .. }
second line
note: run with `RUST_BACKTRACE=1` environment variable to display a backtrace

---- buddy::create_route_required stdout ----
Error: Decode { path: \"id\" }


failures:
    buddy::create_route_required
    buddy::get_route_all

test result: FAILED. 1 passed; 2 failed; 1 ignored; 0 measured; 30 filtered out; finished in 0.05s
";

    #[test]
    fn libtest_output_is_read() {
        let outcomes = parse_libtest(OUTPUT);
        assert_eq!(
            outcomes,
            vec![
                Outcome {
                    name: "buddy::list_distributions_required".into(),
                    passed: true,
                    message: None,
                },
                Outcome {
                    name: "buddy::get_route_all".into(),
                    passed: false,
                    message: Some(
                        "GET /workspaces/{workspace}/distributions/{distribution_id}/routes/{route_id}: \
                         unexpected status 422: Api { .. }"
                            .into()
                    ),
                },
                Outcome {
                    name: "buddy::create_route_required".into(),
                    passed: false,
                    message: Some("Error: Decode { path: \"id\" }".into()),
                },
            ]
        );
        assert_eq!(outcomes[1].operation(), "get_route");
        assert_eq!(outcomes[2].operation(), "create_route");
    }

    #[test]
    fn old_panic_messages_and_empty_output_are_read() {
        let old = "test pieces::snapshot_all ... FAILED\n\nfailures:\n\n\
                   ---- pieces::snapshot_all stdout ----\n\
                   thread 'pieces::snapshot_all' panicked at 'call failed: 500', tests/conformance.rs:3:5\n";
        assert_eq!(
            parse_libtest(old)[0].message.as_deref(),
            Some("call failed: 500")
        );
        assert!(parse_libtest("\nrunning 0 tests\n\ntest result: ok. 0 passed\n").is_empty());
        // A test without a section keeps no message rather than another test's.
        let bare = "test a::x_all ... FAILED\ntest a::y_all ... FAILED\n\nfailures:\n\n\
                    ---- a::y_all stdout ----\nboom\n";
        let outcomes = parse_libtest(bare);
        assert_eq!(outcomes[0].message, None);
        assert_eq!(outcomes[1].message.as_deref(), Some("boom"));
    }

    /// Prism 5.14.2's log of a valid call, a call it refuses (401), one with a deprecated
    /// parameter, one whose example contradicts its schema, and an unknown path.
    pub(crate) const PRISM: &str = "\
[4:12:09 AM] › [CLI] ▶  start     Prism is listening on http://127.0.0.1:4710
[4:12:12 AM] › [HTTP SERVER] get /workspaces/my-company/distributions ℹ  info      Request received
[4:12:12 AM] ›     [VALIDATOR] ✔  success   The request passed the validation rules. Looking for the best response
[4:12:12 AM] ›     [NEGOTIATOR] ℹ  info      > Responding with \"200\"
[4:12:12 AM] › [HTTP SERVER] get /workspaces/my-company/distributions ℹ  info      Request received
[4:12:12 AM] ›     [VALIDATOR] ⚠  warning   Request did not pass the validation rules
[4:12:12 AM] ›     [VALIDATOR] ✖  error     Invalid security scheme used
[4:12:12 AM] ›     [VALIDATOR] ✖  error     Violation: request Invalid security scheme used
[4:12:30 AM] › [HTTP SERVER] get /things ℹ  info      Request received
[4:12:30 AM] ›     [VALIDATOR] ⚠  warning   Query param old is deprecated
[4:12:30 AM] ›     [VALIDATOR] ✔  success   The request passed the validation rules. Looking for the best response
[4:12:30 AM] ›     [VALIDATOR] ⚠  warning   Violation: request.query.old Query param old is deprecated
[4:13:02 AM] › [HTTP SERVER] get /things ℹ  info      Request received
[4:13:02 AM] ›     [VALIDATOR] ✔  success   The request passed the validation rules. Looking for the best response
[4:13:02 AM] ›     [VALIDATOR] ✖  error     Violation: response.body.n Response body property n must be integer
[4:12:10 AM] › [HTTP SERVER] get / ℹ  info      Request received
[4:12:10 AM] › [HTTP SERVER] get / ✖  error     Request terminated with error: https://stoplight.io/prism/errors#NO_PATH_MATCHED_ERROR: Route not resolved, no path matched
";

    #[test]
    fn prism_logs_are_read() {
        let log = PrismLog::read(PRISM);
        assert_eq!((log.requests, log.accepted), (5, 3));
        let key = |side: &str, severity: &str, text: &str| {
            (side.to_string(), severity.to_string(), text.to_string())
        };
        assert_eq!(
            log.violations,
            BTreeMap::from([
                (
                    key("request", "error", "request Invalid security scheme used"),
                    1
                ),
                (
                    key(
                        "request",
                        "warning",
                        "request.query.old Query param old is deprecated"
                    ),
                    1
                ),
                (
                    key(
                        "response",
                        "error",
                        "response.body.n Response body property n must be integer"
                    ),
                    1
                ),
            ])
        );
        assert_eq!((log.count("request"), log.count("response")), (2, 1));
        assert_eq!(
            log.errors,
            BTreeMap::from([(
                "NO_PATH_MATCHED_ERROR: Route not resolved, no path matched".to_string(),
                1
            )])
        );
    }

    #[test]
    fn the_pinned_version_is_the_one_installed() {
        let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("prism");
        let read = |file: &str| -> serde_json::Value {
            serde_json::from_str(&fs::read_to_string(dir.join(file)).unwrap()).unwrap()
        };
        let package = read("package.json");
        assert_eq!(
            package["dependencies"]["@stoplight/prism-cli"],
            PRISM_VERSION
        );
        let lock = read("package-lock.json");
        assert_eq!(
            lock["packages"]["node_modules/@stoplight/prism-cli"]["version"],
            PRISM_VERSION
        );
        assert_eq!(
            lock["packages"][""]["dependencies"]["@stoplight/prism-cli"],
            PRISM_VERSION
        );
    }

    #[test]
    fn a_listening_port_is_ready_and_a_closed_one_times_out() {
        let listener = TcpListener::bind((Ipv4Addr::LOCALHOST, 0)).unwrap();
        let port = listener.local_addr().unwrap().port();
        assert_eq!(
            wait_ready(port, Duration::from_secs(5), || None, || true),
            Ok(())
        );
        // Listening, but not (yet) the server we started.
        assert_eq!(
            wait_ready(port, Duration::from_millis(300), || None, || false),
            Err(NotReady::Timeout)
        );
        drop(listener);
        let closed = free_port().unwrap();
        let started = Instant::now();
        assert_eq!(
            wait_ready(closed, Duration::from_millis(300), || None, || true),
            Err(NotReady::Timeout)
        );
        assert!(started.elapsed() < Duration::from_secs(5));
        assert_eq!(
            wait_ready(
                closed,
                Duration::from_secs(5),
                || Some("exit 1".into()),
                || true
            ),
            Err(NotReady::Exited("exit 1".into()))
        );
    }

    #[cfg(target_os = "linux")]
    #[test]
    fn a_dropped_guard_ends_its_process() {
        let child = Command::new("sleep").arg("60").spawn().unwrap();
        let proc = PathBuf::from(format!("/proc/{}", child.id()));
        let guard = Guard(child);
        assert!(proc.exists());
        drop(guard);
        // Killed and reaped: no zombie left either.
        assert!(!proc.exists());
    }
}
