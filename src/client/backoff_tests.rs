//! Retry sleeps on tokio's paused clock: the delay actually waited equals the decision (backoff or
//! Retry-After), and cancellation cuts a backoff short.

use std::time::Duration;

use tokio::time::Instant;

use super::*;

fn client(jitter: bool) -> Client {
    let cfg = ClientConfig {
        endpoint: Some("http://127.0.0.1:9".into()),
        retry: RetrySettings {
            base_delay: Duration::from_millis(500),
            max_delay: Duration::from_secs(30),
            max_retry_after: Duration::from_secs(120),
            jitter,
        },
        ..ClientConfig::new("r", "p", Credentials::Token("t".into()))
    };
    Client::new(cfg).unwrap()
}

#[tokio::test(start_paused = true)]
async fn waits_exactly_the_backoff_schedule() {
    let c = client(false);
    let mut waited = Vec::new();
    for retry in 0..8 {
        let t = Instant::now();
        c.backoff("op", retry, None, "HTTP 503").await.unwrap();
        waited.push(t.elapsed().as_millis());
    }
    assert_eq!(waited, [500, 1000, 2000, 4000, 8000, 16000, 30000, 30000]);
}

#[tokio::test(start_paused = true)]
async fn jittered_waits_stay_within_the_cap() {
    let c = client(true);
    for retry in 0..6 {
        let t = Instant::now();
        c.backoff("op", retry, None, "HTTP 500").await.unwrap();
        let cap = Duration::from_millis(500 * (1 << retry));
        assert!(t.elapsed() <= cap, "retry {retry}: {:?}", t.elapsed());
    }
}

#[tokio::test(start_paused = true)]
async fn waits_the_retry_after_value() {
    let c = client(true);
    let t = Instant::now();
    c.backoff("op", 0, Some(Duration::from_secs(7)), "HTTP 429")
        .await
        .unwrap();
    assert_eq!(t.elapsed(), Duration::from_secs(7));
    let t = Instant::now();
    c.backoff("op", 0, Some(Duration::from_secs(3600)), "HTTP 429")
        .await
        .unwrap();
    assert_eq!(t.elapsed(), Duration::from_secs(120));
}

#[tokio::test(start_paused = true)]
async fn cancellation_cuts_a_backoff_short() {
    let c = client(false);
    let token = tokio_util::sync::CancellationToken::new();
    let scoped = c.with_cancellation(token.clone());
    tokio::spawn(async move {
        tokio::time::sleep(Duration::from_secs(2)).await;
        token.cancel();
    });
    let t = Instant::now();
    let e = scoped
        .backoff("op", 0, Some(Duration::from_secs(60)), "HTTP 429")
        .await
        .unwrap_err();
    assert!(e.is_cancelled());
    assert_eq!(t.elapsed(), Duration::from_secs(2));
}
