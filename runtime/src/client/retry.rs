//! [`RetryPolicy`]: opt-in retries with exponential backoff, jitter and `Retry-After`.

use std::time::{Duration, SystemTime};

use reqwest::header::HeaderMap;

/// When and how often a call is retried. Off by default ([`RetryPolicy::none`]).
///
/// A call is retried when, with attempts left:
/// - sending failed (connection refused or reset, timeout) and the method is idempotent
///   (`GET`, `HEAD`, `PUT`, `DELETE`, `OPTIONS`, `TRACE`);
/// - the status is one of [`RetryPolicy::statuses`] (`429` and `503` by default) and either
///   the method is idempotent or the response carries `Retry-After` (the server asks for the
///   request again, so it was not processed).
///
/// The wait before attempt `n + 1` is `Retry-After` when the response has one (seconds or an
/// HTTP date), capped at [`RetryPolicy::max_retry_after`] (a longer wait ends the retries);
/// otherwise `initial_backoff × 2ⁿ⁻¹`, capped at `max_backoff`, with full jitter (a random
/// time between zero and that).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RetryPolicy {
    /// Attempts in all, the first included (`1`: no retries).
    pub max_attempts: u32,
    /// The first backoff.
    pub initial_backoff: Duration,
    /// The largest backoff.
    pub max_backoff: Duration,
    /// The longest `Retry-After` honoured.
    pub max_retry_after: Duration,
    /// Statuses that are retried.
    pub statuses: Vec<u16>,
    /// Random jitter on the backoff.
    pub jitter: bool,
}

impl RetryPolicy {
    /// No retries.
    pub fn none() -> Self {
        RetryPolicy { max_attempts: 1, ..RetryPolicy::standard() }
    }

    /// Three attempts, backoff from 200 ms up to 5 s with jitter, `Retry-After` up to 60 s,
    /// statuses `429` and `503`.
    pub fn standard() -> Self {
        RetryPolicy {
            max_attempts: 3,
            initial_backoff: Duration::from_millis(200),
            max_backoff: Duration::from_secs(5),
            max_retry_after: Duration::from_secs(60),
            statuses: vec![429, 503],
            jitter: true,
        }
    }

    /// The same policy with `attempts` attempts in all.
    #[must_use]
    pub fn max_attempts(mut self, attempts: u32) -> Self {
        self.max_attempts = attempts.max(1);
        self
    }

    /// The same policy with other backoff bounds.
    #[must_use]
    pub fn backoff(mut self, initial: Duration, max: Duration) -> Self {
        self.initial_backoff = initial;
        self.max_backoff = max.max(initial);
        self
    }

    /// The wait before the next attempt after a response with `status` and `headers`, when
    /// `attempt` attempts were made; `None`: do not retry.
    pub fn after_status(&self, method: &reqwest::Method, status: u16, headers: &HeaderMap, attempt: u32) -> Option<Duration> {
        if attempt >= self.max_attempts || !self.statuses.contains(&status) {
            return None;
        }
        match retry_after(headers, SystemTime::now()) {
            Some(wait) if wait <= self.max_retry_after => Some(wait),
            Some(_) => None,
            None if is_idempotent(method) => Some(self.backoff_for(attempt)),
            None => None,
        }
    }

    /// The wait before the next attempt after a failed send; `None`: do not retry.
    pub fn after_transport_error(&self, method: &reqwest::Method, error: &reqwest::Error, attempt: u32) -> Option<Duration> {
        let transient = error.is_connect() || error.is_timeout() || error.is_request();
        (attempt < self.max_attempts && transient && is_idempotent(method)).then(|| self.backoff_for(attempt))
    }

    fn backoff_for(&self, attempt: u32) -> Duration {
        let exp = self.initial_backoff.saturating_mul(1u32 << attempt.saturating_sub(1).min(16));
        let capped = exp.min(self.max_backoff);
        if self.jitter {
            capped.mul_f64(random_unit())
        } else {
            capped
        }
    }
}

impl Default for RetryPolicy {
    fn default() -> Self {
        RetryPolicy::none()
    }
}

/// Methods that may be sent twice (RFC 9110 §9.2.2).
pub fn is_idempotent(method: &reqwest::Method) -> bool {
    use reqwest::Method;
    [Method::GET, Method::HEAD, Method::PUT, Method::DELETE, Method::OPTIONS, Method::TRACE].contains(method)
}

/// The wait a `Retry-After` header asks for (RFC 9110 §10.2.3): delay seconds, or an HTTP
/// date (a past date means now); `None` when absent or unreadable.
pub fn retry_after(headers: &HeaderMap, now: SystemTime) -> Option<Duration> {
    let value = headers.get(reqwest::header::RETRY_AFTER)?.to_str().ok()?.trim();
    if let Ok(seconds) = value.parse::<u64>() {
        return Some(Duration::from_secs(seconds));
    }
    let date = chrono::DateTime::parse_from_rfc2822(value).ok()?;
    let at = SystemTime::UNIX_EPOCH + Duration::from_secs(u64::try_from(date.timestamp()).ok()?);
    Some(at.duration_since(now).unwrap_or(Duration::ZERO))
}

/// A random number in `[0, 1)`, from the OS.
fn random_unit() -> f64 {
    let mut bytes = [0u8; 8];
    if getrandom::getrandom(&mut bytes).is_err() {
        return 1.0;
    }
    (u64::from_le_bytes(bytes) >> 11) as f64 / (1u64 << 53) as f64
}

#[cfg(test)]
mod tests {
    use super::*;

    fn headers(retry_after: &str) -> HeaderMap {
        let mut h = HeaderMap::new();
        h.insert(reqwest::header::RETRY_AFTER, retry_after.parse().unwrap());
        h
    }

    #[test]
    fn retry_after_reads_seconds_and_dates() {
        let now = SystemTime::UNIX_EPOCH + Duration::from_secs(784_111_777); // Sun, 06 Nov 1994 08:49:37 GMT
        assert_eq!(retry_after(&headers("3"), now), Some(Duration::from_secs(3)));
        assert_eq!(retry_after(&headers("Sun, 06 Nov 1994 08:49:47 GMT"), now), Some(Duration::from_secs(10)));
        assert_eq!(retry_after(&headers("Sun, 06 Nov 1994 08:49:00 GMT"), now), Some(Duration::ZERO));
        assert_eq!(retry_after(&headers("soon"), now), None);
        assert_eq!(retry_after(&HeaderMap::new(), now), None);
    }

    #[test]
    fn statuses_retry_within_bounds() {
        let p = RetryPolicy { jitter: false, ..RetryPolicy::standard() };
        let get = reqwest::Method::GET;
        let post = reqwest::Method::POST;
        assert_eq!(p.after_status(&get, 503, &HeaderMap::new(), 1), Some(Duration::from_millis(200)));
        assert_eq!(p.after_status(&get, 503, &HeaderMap::new(), 2), Some(Duration::from_millis(400)));
        assert_eq!(p.after_status(&get, 503, &HeaderMap::new(), 3), None, "attempts are bounded");
        assert_eq!(p.after_status(&get, 500, &HeaderMap::new(), 1), None);
        assert_eq!(p.after_status(&post, 429, &HeaderMap::new(), 1), None, "POST needs Retry-After");
        assert_eq!(p.after_status(&post, 429, &headers("1"), 1), Some(Duration::from_secs(1)));
        assert_eq!(p.after_status(&get, 429, &headers("3600"), 1), None, "too long a wait ends the retries");
        assert_eq!(RetryPolicy::none().after_status(&get, 503, &HeaderMap::new(), 1), None);
        let p = p.backoff(Duration::from_secs(1), Duration::from_secs(2)).max_attempts(10);
        assert_eq!(p.after_status(&get, 503, &HeaderMap::new(), 5), Some(Duration::from_secs(2)));
        let jittered = RetryPolicy::standard().after_status(&get, 503, &HeaderMap::new(), 1).unwrap();
        assert!(jittered <= Duration::from_millis(200));
    }
}
