//! When a failed call is sent again, and how long the client waits first.

use std::hash::{BuildHasher, Hasher};
use std::time::Duration;

/// How the client retries calls that failed in a way worth another try.
///
/// - A `429 Too Many Requests` was not applied by Atlas, so it is retried for
///   every method.
/// - A `502`, `503` or `504`, or a connection that failed after the request
///   was sent, may have been applied: such calls are retried only for
///   idempotent methods (`GET`, `PUT`, `DELETE`), never for `POST` or `PATCH`
///   unless [`RetryPolicy::retry_non_idempotent`] opts in.
/// - A connection that could not be opened sent nothing and is retried for
///   every method.
///
/// Before each retry the client waits at least the `Retry-After` the server
/// gave, else an exponential backoff with jitter. It stops after
/// [`max_attempts`](RetryPolicy::max_attempts) sends or when the next wait
/// would end after [`max_elapsed`](RetryPolicy::max_elapsed), and returns the
/// last error (whose [`Error::retry_after`](super::Error::retry_after) still
/// says what the server asked for).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RetryPolicy {
    max_attempts: u32,
    max_elapsed: Duration,
    initial_backoff: Duration,
    max_backoff: Duration,
    non_idempotent: bool,
}

impl Default for RetryPolicy {
    /// Up to 4 sends within 60 seconds, backoff from 500 ms up to 10 s, no
    /// re-sending of `POST` or `PATCH` that may have been applied.
    fn default() -> Self {
        RetryPolicy {
            max_attempts: 4,
            max_elapsed: Duration::from_secs(60),
            initial_backoff: Duration::from_millis(500),
            max_backoff: Duration::from_secs(10),
            non_idempotent: false,
        }
    }
}

impl RetryPolicy {
    /// Never retry: every call is sent once.
    pub fn never() -> Self {
        RetryPolicy { max_attempts: 1, ..RetryPolicy::default() }
    }

    /// How many times a call may be sent in all, the first time included
    /// (at least 1).
    #[must_use]
    pub fn max_attempts(mut self, attempts: u32) -> Self {
        self.max_attempts = attempts.max(1);
        self
    }

    /// How long a call may take in all, waits included, before the client
    /// stops retrying.
    #[must_use]
    pub fn max_elapsed(mut self, elapsed: Duration) -> Self {
        self.max_elapsed = elapsed;
        self
    }

    /// The backoff before the first retry when the server gives no
    /// `Retry-After`, doubling each time up to `max`.
    #[must_use]
    pub fn backoff(mut self, initial: Duration, max: Duration) -> Self {
        self.initial_backoff = initial;
        self.max_backoff = max.max(initial);
        self
    }

    /// Whether a `POST` or `PATCH` that may have been applied (no response, or
    /// a 5xx) is sent again. Off by default: creating an invitation twice is
    /// worse than reporting a failure.
    #[must_use]
    pub fn retry_non_idempotent(mut self, retry: bool) -> Self {
        self.non_idempotent = retry;
        self
    }

    pub(crate) fn attempts(&self) -> u32 {
        self.max_attempts
    }

    pub(crate) fn elapsed_budget(&self) -> Duration {
        self.max_elapsed
    }

    pub(crate) fn resends_non_idempotent(&self) -> bool {
        self.non_idempotent
    }

    /// The wait before retry number `retry` (1 for the first retry): at least
    /// `retry_after` when the server gave one, else exponential backoff with
    /// jitter (between half and all of the doubled delay).
    pub(crate) fn delay(&self, retry: u32, retry_after: Option<Duration>) -> Duration {
        let exponent = retry.saturating_sub(1).min(16);
        let ceiling = self.initial_backoff.saturating_mul(1 << exponent).min(self.max_backoff);
        let half = ceiling / 2;
        let jittered = half + half.mul_f64(random_unit());
        match retry_after {
            // A little jitter on top, so that clients told the same time do not return together.
            Some(after) => after + jittered.min(Duration::from_millis(250)) / 4,
            None => jittered,
        }
    }
}

/// A number in `[0, 1)` from the standard library's randomly keyed hasher;
/// good enough for jitter, and no extra dependency.
fn random_unit() -> f64 {
    let mut hasher = std::collections::hash_map::RandomState::new().build_hasher();
    hasher.write_u64(
        std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).map_or(0, |d| d.as_nanos() as u64),
    );
    (hasher.finish() >> 11) as f64 / (1u64 << 53) as f64
}

/// Whether an HTTP method is idempotent (RFC 9110), so a request that may
/// have been applied can be sent again.
pub(crate) fn is_idempotent(method: &http::Method) -> bool {
    matches!(
        *method,
        http::Method::GET | http::Method::HEAD | http::Method::PUT | http::Method::DELETE | http::Method::OPTIONS
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn backoff_doubles_with_jitter_and_is_capped() {
        let policy = RetryPolicy::default().backoff(Duration::from_millis(100), Duration::from_millis(300));
        for _ in 0..50 {
            let first = policy.delay(1, None);
            assert!(first >= Duration::from_millis(50) && first <= Duration::from_millis(100), "{first:?}");
            let second = policy.delay(2, None);
            assert!(second >= Duration::from_millis(100) && second <= Duration::from_millis(200), "{second:?}");
            let capped = policy.delay(10, None);
            assert!(capped >= Duration::from_millis(150) && capped <= Duration::from_millis(300), "{capped:?}");
        }
    }

    #[test]
    fn retry_after_is_a_floor() {
        let policy = RetryPolicy::default();
        for _ in 0..50 {
            let delay = policy.delay(1, Some(Duration::from_secs(3)));
            assert!(delay >= Duration::from_secs(3) && delay <= Duration::from_millis(3100), "{delay:?}");
        }
    }
}
