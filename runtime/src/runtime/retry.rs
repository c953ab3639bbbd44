//! When a failed call is retried, and how long to wait first.

use std::time::{Duration, SystemTime};

use reqwest::header::HeaderMap;

/// When and how often a failed call is retried.
///
/// By default only idempotent operations (GET, HEAD, PUT, DELETE, OPTIONS, TRACE) are retried,
/// on connection errors and on statuses 429, 502, 503 and 504, with exponential backoff and
/// jitter. A `Retry-After` header is honoured when it asks for no more than `max_backoff`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RetryPolicy {
    /// Retries after the first attempt (0 disables retrying).
    pub max_retries: u32,
    /// The delay before the first retry; it doubles with every retry.
    pub initial_backoff: Duration,
    /// The longest delay between attempts.
    pub max_backoff: Duration,
    /// Also retry non-idempotent operations (POST, PATCH). Off by default: a retried POST
    /// may create the resource twice.
    pub retry_non_idempotent: bool,
    /// The statuses that are retried.
    pub statuses: Vec<u16>,
}

impl Default for RetryPolicy {
    fn default() -> Self {
        RetryPolicy {
            max_retries: 3,
            initial_backoff: Duration::from_millis(250),
            max_backoff: Duration::from_secs(30),
            retry_non_idempotent: false,
            statuses: vec![429, 502, 503, 504],
        }
    }
}

impl RetryPolicy {
    /// Never retry.
    pub fn none() -> Self {
        RetryPolicy {
            max_retries: 0,
            ..RetryPolicy::default()
        }
    }

    /// The delay before retry number `attempt` (0-based): exponential, capped, with jitter in
    /// the upper half so that clients that failed together do not retry together.
    pub(super) fn backoff(&self, attempt: u32) -> Duration {
        let exp = self
            .initial_backoff
            .saturating_mul(2u32.saturating_pow(attempt))
            .min(self.max_backoff);
        let half = exp / 2;
        half + half.mul_f64(jitter())
    }

    /// The wait before retry number `attempt` after a response with a retried status:
    /// `Retry-After` when the server sent one it can honour, the backoff otherwise; `None`
    /// when the server asks for longer than `max_backoff` (the error is returned at once).
    pub(super) fn delay_after(&self, headers: &HeaderMap, attempt: u32) -> Option<Duration> {
        match retry_after(headers, SystemTime::now()) {
            Some(wait) if wait > self.max_backoff => None,
            Some(wait) => Some(wait),
            None => Some(self.backoff(attempt)),
        }
    }
}

/// A number in [0, 1) that differs between calls, without a random-number dependency.
fn jitter() -> f64 {
    use std::hash::{BuildHasher, Hasher};
    let mut hasher = std::collections::hash_map::RandomState::new().build_hasher();
    hasher.write_u64(
        SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map(|d| d.as_nanos() as u64)
            .unwrap_or(0),
    );
    (hasher.finish() >> 11) as f64 / (1u64 << 53) as f64
}

/// A connection that could not be made, or broke before a response arrived (reset, closed).
/// Timeouts are not: a retry would multiply the time the caller set.
pub(super) fn is_connection_error(error: &reqwest::Error) -> bool {
    error.is_connect() || (error.is_request() && !error.is_timeout())
}

/// The delay a `Retry-After` header asks for, seen at `now`: delta-seconds or an HTTP date
/// (any of the three forms of RFC 9110, parsed by `httpdate`); a date in the past is no
/// delay. `None` when there is no header or it cannot be read.
fn retry_after(headers: &HeaderMap, now: SystemTime) -> Option<Duration> {
    let text = headers
        .get(reqwest::header::RETRY_AFTER)?
        .to_str()
        .ok()?
        .trim();
    if let Ok(seconds) = text.parse::<u64>() {
        return Some(Duration::from_secs(seconds));
    }
    let when = httpdate::parse_http_date(text).ok()?;
    Some(when.duration_since(now).unwrap_or(Duration::ZERO))
}

#[cfg(test)]
mod tests {
    use super::*;
    use reqwest::header::HeaderValue;

    fn headers(retry_after: &str) -> HeaderMap {
        let mut headers = HeaderMap::new();
        headers.insert(
            reqwest::header::RETRY_AFTER,
            HeaderValue::from_str(retry_after).unwrap(),
        );
        headers
    }

    #[test]
    fn the_documented_defaults() {
        let policy = RetryPolicy::default();
        assert_eq!(policy.max_retries, 3);
        assert_eq!(policy.initial_backoff, Duration::from_millis(250));
        assert_eq!(policy.max_backoff, Duration::from_secs(30));
        assert!(!policy.retry_non_idempotent);
        assert_eq!(policy.statuses, [429, 502, 503, 504]);
        assert_eq!(RetryPolicy::none().max_retries, 0);
    }

    #[test]
    fn backoff_doubles_with_jitter_in_the_upper_half_and_is_capped() {
        let policy = RetryPolicy {
            initial_backoff: Duration::from_millis(100),
            max_backoff: Duration::from_millis(300),
            ..RetryPolicy::default()
        };
        for _ in 0..100 {
            let first = policy.backoff(0);
            assert!(first >= Duration::from_millis(50) && first <= Duration::from_millis(100));
            let second = policy.backoff(1);
            assert!(second >= Duration::from_millis(100) && second <= Duration::from_millis(200));
            let later = policy.backoff(40);
            assert!(later >= Duration::from_millis(150) && later <= Duration::from_millis(300));
        }
    }

    #[test]
    fn retry_after_in_seconds() {
        let now = SystemTime::now();
        assert_eq!(
            retry_after(&headers("7"), now),
            Some(Duration::from_secs(7))
        );
        assert_eq!(retry_after(&headers(" 0 "), now), Some(Duration::ZERO));
        assert_eq!(retry_after(&HeaderMap::new(), now), None);
    }

    #[test]
    fn retry_after_as_an_http_date() {
        // Sun, 06 Nov 1994 08:49:37 GMT is 784111777 s after the epoch.
        let date = std::time::UNIX_EPOCH + Duration::from_secs(784_111_777);
        let now = date - Duration::from_secs(90);
        for form in [
            "Sun, 06 Nov 1994 08:49:37 GMT",
            "Sunday, 06-Nov-94 08:49:37 GMT",
            "Sun Nov  6 08:49:37 1994",
        ] {
            assert_eq!(
                retry_after(&headers(form), now),
                Some(Duration::from_secs(90)),
                "{form}"
            );
        }
        // A date in the past asks for no delay.
        let later = date + Duration::from_secs(5);
        assert_eq!(
            retry_after(&headers("Sun, 06 Nov 1994 08:49:37 GMT"), later),
            Some(Duration::ZERO)
        );
    }

    #[test]
    fn unparsable_retry_after_falls_back_to_the_backoff() {
        let policy = RetryPolicy {
            initial_backoff: Duration::from_millis(100),
            ..RetryPolicy::default()
        };
        for text in ["soon", "-1", "1.5", "Sun, 32 Nov 1994 08:49:37 GMT"] {
            assert_eq!(
                retry_after(&headers(text), SystemTime::now()),
                None,
                "{text}"
            );
            let delay = policy.delay_after(&headers(text), 0).unwrap();
            assert!(delay <= Duration::from_millis(100), "{text}: {delay:?}");
        }
    }

    #[test]
    fn retry_after_up_to_the_cap_is_honoured_and_beyond_it_gives_up() {
        let policy = RetryPolicy {
            max_backoff: Duration::from_secs(30),
            ..RetryPolicy::default()
        };
        assert_eq!(
            policy.delay_after(&headers("30"), 0),
            Some(Duration::from_secs(30))
        );
        assert_eq!(policy.delay_after(&headers("31"), 0), None);
        // A date one hour ahead is beyond the cap.
        let future = httpdate::fmt_http_date(SystemTime::now() + Duration::from_secs(3600));
        assert_eq!(policy.delay_after(&headers(&future), 0), None);
        // A date a few seconds ahead is honoured (whole seconds, so at most that long).
        let soon = httpdate::fmt_http_date(SystemTime::now() + Duration::from_secs(10));
        let delay = policy.delay_after(&headers(&soon), 0).unwrap();
        assert!(
            delay <= Duration::from_secs(10) && delay >= Duration::from_secs(8),
            "{delay:?}"
        );
    }
}
