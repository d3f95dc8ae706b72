//! Retry decisions and delays: which answers are retried for which kind of call, exponential backoff with full
//! jitter, and `Retry-After`.

use std::time::{Duration, SystemTime};

use time::{format_description::FormatItem, macros::format_description, PrimitiveDateTime};

use super::config::RetrySettings;

/// Statuses worth retrying for calls that are safe to repeat (GET, PUT, DELETE, start, stop).
pub fn is_retryable_status(status: u16) -> bool {
    matches!(status, 429 | 500 | 502 | 503 | 504)
}

/// What a create POST does after an answer or failure; see [`super::Client::create_notebook`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CreateStep {
    /// The request provably did not create anything: send it again after a delay.
    Retry,
    /// The server answered with an error, so it most likely failed, but look for the instance before sending
    /// again; re-send only when none exists.
    ReconcileThenRetry,
    /// The outcome is unknown: look for the instance, and never send the create again.
    ReconcileOnly,
    /// A final answer (success or a client error).
    Done,
}

/// Decides the next step of a create after an HTTP answer.
pub fn create_step_for_status(status: u16) -> CreateStep {
    match status {
        // Throttled or unavailable: the gateway turned the request away before any processing.
        429 | 503 => CreateStep::Retry,
        500 | 502 => CreateStep::ReconcileThenRetry,
        // The gateway gave up waiting for the backend, which may still be creating the instance.
        504 => CreateStep::ReconcileOnly,
        _ => CreateStep::Done,
    }
}

/// Decides the next step of a create after a transport failure. A connect failure means the request never left.
pub fn create_step_for_transport(connect: bool) -> CreateStep {
    if connect {
        CreateStep::Retry
    } else {
        CreateStep::ReconcileOnly
    }
}

/// Exponential backoff with full jitter: uniform in `[0, min(max_delay, base_delay * 2^retry)]`. `retry` counts
/// from 0 for the first retry. `uniform(n)` returns a value in `[0, n]`.
pub fn backoff_delay(s: &RetrySettings, retry: u32, uniform: impl FnOnce(u64) -> u64) -> Duration {
    let base = s.base_delay.as_millis().min(u128::from(u64::MAX)) as u64;
    let max = s.max_delay.as_millis().min(u128::from(u64::MAX)) as u64;
    let factor = 1u64.checked_shl(retry.min(62)).unwrap_or(u64::MAX);
    let cap = base.saturating_mul(factor).min(max);
    let ms = if s.jitter { uniform(cap).min(cap) } else { cap };
    Duration::from_millis(ms)
}

/// The delay before the next attempt: the server's `Retry-After` when given (bounded by `max_retry_after`),
/// else the jittered backoff.
pub fn retry_delay(s: &RetrySettings, retry: u32, retry_after: Option<Duration>) -> Duration {
    match retry_after {
        Some(ra) => ra.min(s.max_retry_after),
        None => backoff_delay(s, retry, |n| rand::random_range(0..=n)),
    }
}

const HTTP_DATE: &[FormatItem<'static>] = format_description!(
    "[weekday repr:short], [day] [month repr:short] [year] [hour]:[minute]:[second] GMT"
);

/// Parses `Retry-After` as delta-seconds or an HTTP-date (relative to `now`; a past date means no wait).
pub fn parse_retry_after(value: &str, now: SystemTime) -> Option<Duration> {
    let v = value.trim();
    if let Ok(secs) = v.parse::<u64>() {
        return Some(Duration::from_secs(secs));
    }
    let at = PrimitiveDateTime::parse(v, HTTP_DATE).ok()?.assume_utc();
    let at: SystemTime = at.into();
    Some(at.duration_since(now).unwrap_or(Duration::ZERO))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn settings(jitter: bool) -> RetrySettings {
        RetrySettings {
            base_delay: Duration::from_millis(500),
            max_delay: Duration::from_secs(30),
            max_retry_after: Duration::from_secs(120),
            jitter,
        }
    }

    #[test]
    fn statuses() {
        for s in [429, 500, 502, 503, 504] {
            assert!(is_retryable_status(s), "{s}");
        }
        for s in [200, 400, 401, 403, 404, 408, 409, 501] {
            assert!(!is_retryable_status(s), "{s}");
        }
    }

    #[test]
    fn create_never_resends_an_unknown_outcome() {
        assert_eq!(create_step_for_status(429), CreateStep::Retry);
        assert_eq!(create_step_for_status(503), CreateStep::Retry);
        assert_eq!(create_step_for_status(500), CreateStep::ReconcileThenRetry);
        assert_eq!(create_step_for_status(502), CreateStep::ReconcileThenRetry);
        assert_eq!(create_step_for_status(504), CreateStep::ReconcileOnly);
        assert_eq!(create_step_for_status(400), CreateStep::Done);
        assert_eq!(create_step_for_status(200), CreateStep::Done);
        assert_eq!(create_step_for_transport(true), CreateStep::Retry);
        assert_eq!(create_step_for_transport(false), CreateStep::ReconcileOnly);
    }

    #[test]
    fn backoff_doubles_up_to_the_cap() {
        let s = settings(false);
        let d: Vec<u64> = (0..9)
            .map(|r| backoff_delay(&s, r, |n| n).as_millis() as u64)
            .collect();
        assert_eq!(d, [500, 1000, 2000, 4000, 8000, 16000, 30000, 30000, 30000]);
        assert_eq!(backoff_delay(&s, 500, |n| n), Duration::from_secs(30));
    }

    #[test]
    fn full_jitter_draws_from_zero_to_cap() {
        let s = settings(true);
        let mut seen = None;
        let d = backoff_delay(&s, 2, |n| {
            seen = Some(n);
            0
        });
        assert_eq!(seen, Some(2000));
        assert_eq!(d, Duration::ZERO);
        assert_eq!(backoff_delay(&s, 2, |n| n + 99), Duration::from_secs(2));
        for _ in 0..100 {
            assert!(retry_delay(&s, 3, None) <= Duration::from_secs(4));
        }
    }

    #[test]
    fn retry_after_wins_and_is_bounded() {
        let s = settings(true);
        assert_eq!(
            retry_delay(&s, 0, Some(Duration::from_secs(7))),
            Duration::from_secs(7)
        );
        assert_eq!(
            retry_delay(&s, 0, Some(Duration::from_secs(999))),
            Duration::from_secs(120)
        );
    }

    #[test]
    fn parses_retry_after_forms() {
        let now: SystemTime = time::macros::datetime!(2015-10-21 07:28:00 UTC).into();
        assert_eq!(
            parse_retry_after("120", now),
            Some(Duration::from_secs(120))
        );
        assert_eq!(parse_retry_after(" 0 ", now), Some(Duration::ZERO));
        assert_eq!(
            parse_retry_after("Wed, 21 Oct 2015 07:28:30 GMT", now),
            Some(Duration::from_secs(30))
        );
        assert_eq!(
            parse_retry_after("Wed, 21 Oct 2015 07:00:00 GMT", now),
            Some(Duration::ZERO)
        );
        assert_eq!(parse_retry_after("soon", now), None);
        assert_eq!(parse_retry_after("-5", now), None);
    }
}
