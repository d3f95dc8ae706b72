//! The ModelArts API client: signed requests over one shared reqwest (rustls) pool, typed operations, safe
//! retries (including the create reconcile), idempotent start/stop, and waiters.

mod config;
mod create;
mod error;
mod log;
mod ops;
mod retry;
mod transport;
mod wait;

#[cfg(test)]
mod backoff_tests;
#[cfg(test)]
mod server_tests;
#[cfg(test)]
mod wait_tests;

pub use config::{ClientConfig, Credentials, PollSettings, RetrySettings, DEFAULT_CLOUD};
pub use error::{ApiError, ClientError};
pub use log::{Event, FieldValue, Level, Logger};
pub use ops::{IMAGE_PAGE_SIZE, NOTEBOOK_PAGE_SIZE};
pub use retry::{backoff_delay, is_retryable_status, parse_retry_after, retry_delay, CreateStep};
pub use transport::Client;
pub use wait::{describe_progress, ProgressFn, WaitProgress, WaitTarget};
