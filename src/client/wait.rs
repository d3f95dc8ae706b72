//! Waiters: poll `show` with backoff until a target status, the instance is gone, or its volume has settled;
//! failure statuses end the wait at once instead of running into the deadline.

use std::future::Future;
use std::time::Duration;

use tokio::time::Instant;

use super::error::ClientError;
use super::log::{Event, Level};
use super::transport::Client;
use crate::api::{JobProgress, NotebookResp, NotebookStatus};

/// What a wait is for.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum WaitTarget {
    /// Any of these statuses. Failure statuses (CREATE_FAILED, START_FAILED, DELETE_FAILED, ERROR, FROZEN) and
    /// DELETED not listed here end the wait with [`ClientError::WaitFailed`].
    Status(Vec<NotebookStatus>),
    /// The instance no longer exists: not found, or DELETED. DELETE_FAILED, ERROR and FROZEN end the wait.
    Gone,
    /// `volume.status` has left RESIZING.
    VolumeSettled,
}

impl WaitTarget {
    fn describe(&self) -> String {
        match self {
            WaitTarget::Status(s) => s
                .iter()
                .map(|s| s.as_str().to_string())
                .collect::<Vec<_>>()
                .join(" or "),
            WaitTarget::Gone => "deleted".to_string(),
            WaitTarget::VolumeSettled => "done resizing its volume".to_string(),
        }
    }
}

/// One poll, as shown to a progress callback.
#[derive(Debug, Clone)]
pub struct WaitProgress<'a> {
    pub notebook_id: &'a str,
    /// 1 for the first poll.
    pub poll: u32,
    pub elapsed: Duration,
    /// `None` once the instance is gone.
    pub notebook: Option<&'a NotebookResp>,
}

/// A per-poll callback (e.g. to log progress to the user).
pub type ProgressFn<'a> = &'a (dyn Fn(&WaitProgress<'_>) + Send + Sync);

enum Step {
    Done(Option<Box<NotebookResp>>),
    Continue,
    Fail(ClientError),
}

/// Renders `action_progress` for an error message, e.g. `step 1 COMPLETED (storage); step 2 FAILED`.
pub fn describe_progress(progress: Option<&[JobProgress]>) -> String {
    progress
        .unwrap_or_default()
        .iter()
        .map(|p| {
            let mut s = format!(
                "step {} {}",
                p.step.map(|s| s.to_string()).unwrap_or_else(|| "?".into()),
                p.status.as_deref().unwrap_or("?")
            );
            if let Some(d) = p.step_description.as_deref().or(p.description.as_deref()) {
                s.push_str(&format!(" ({d})"));
            }
            s
        })
        .collect::<Vec<_>>()
        .join("; ")
}

fn failed(id: &str, target: &WaitTarget, nb: &NotebookResp) -> ClientError {
    ClientError::WaitFailed {
        notebook_id: id.to_string(),
        target: target.describe(),
        status: nb.status_str().to_string(),
        fail_reason: nb.fail_reason.clone().filter(|r| !r.is_empty()),
        progress: describe_progress(nb.action_progress.as_deref()),
    }
}

/// A poll that failed for a reason that passes (no answer, throttling, a server error) even after the request's
/// own retries: the wait goes on until its deadline, so a short API outage does not fail a long wait.
fn is_transient(e: &ClientError) -> bool {
    match e {
        ClientError::Transport { .. } => true,
        ClientError::Api(a) => super::retry::is_retryable_status(a.status),
        _ => false,
    }
}

fn evaluate(id: &str, target: &WaitTarget, result: Result<NotebookResp, ClientError>) -> Step {
    match (target, result) {
        (WaitTarget::Gone, Err(e)) if e.is_not_found() => Step::Done(None),
        (_, Err(e)) if is_transient(&e) => Step::Continue,
        (_, Err(e)) => Step::Fail(e),
        (WaitTarget::Gone, Ok(nb)) => match &nb.status {
            Some(NotebookStatus::Deleted) => Step::Done(None),
            Some(NotebookStatus::DeleteFailed | NotebookStatus::Error | NotebookStatus::Frozen) => {
                Step::Fail(failed(id, target, &nb))
            }
            _ => Step::Continue,
        },
        (WaitTarget::Status(targets), Ok(nb)) => match &nb.status {
            Some(s) if targets.contains(s) => Step::Done(Some(Box::new(nb))),
            Some(s) if s.is_failure() || *s == NotebookStatus::Deleted => {
                Step::Fail(failed(id, target, &nb))
            }
            _ => Step::Continue,
        },
        (WaitTarget::VolumeSettled, Ok(nb)) => {
            let resizing = nb
                .volume
                .as_ref()
                .and_then(|v| v.status.as_deref())
                .is_some_and(|s| s.eq_ignore_ascii_case("RESIZING"));
            if nb.status.as_ref().is_some_and(NotebookStatus::is_failure) {
                Step::Fail(failed(id, target, &nb))
            } else if resizing {
                Step::Continue
            } else {
                Step::Done(Some(Box::new(nb)))
            }
        }
    }
}

impl Client {
    /// Polls until `target` is reached, `timeout` passes, a failure status shows, or the call is cancelled.
    /// Returns the last instance read, or `None` for [`WaitTarget::Gone`].
    pub async fn wait_for(
        &self,
        id: &str,
        target: &WaitTarget,
        timeout: Duration,
        progress: Option<ProgressFn<'_>>,
    ) -> Result<Option<NotebookResp>, ClientError> {
        self.wait_with(id, target, timeout, progress, || self.show_notebook(id))
            .await
    }

    /// Waits for one of `targets`, e.g. `[Running]` after create or start, `[Stopped]` after stop.
    pub async fn wait_for_status(
        &self,
        id: &str,
        targets: &[NotebookStatus],
        timeout: Duration,
        progress: Option<ProgressFn<'_>>,
    ) -> Result<NotebookResp, ClientError> {
        let target = WaitTarget::Status(targets.to_vec());
        let nb = self.wait_for(id, &target, timeout, progress).await?;
        // A status wait only ends successfully with an instance in hand.
        nb.ok_or_else(|| ClientError::WaitTimeout {
            notebook_id: id.to_string(),
            target: target.describe(),
            last_status: "gone".into(),
            elapsed: Duration::ZERO,
        })
    }

    /// Waits until the instance is gone (not found, or DELETED).
    pub async fn wait_for_gone(
        &self,
        id: &str,
        timeout: Duration,
        progress: Option<ProgressFn<'_>>,
    ) -> Result<(), ClientError> {
        self.wait_for(id, &WaitTarget::Gone, timeout, progress)
            .await
            .map(|_| ())
    }

    /// Waits until `volume.status` leaves RESIZING (after `storage_new_size`).
    pub async fn wait_for_volume_settled(
        &self,
        id: &str,
        timeout: Duration,
        progress: Option<ProgressFn<'_>>,
    ) -> Result<NotebookResp, ClientError> {
        let nb = self
            .wait_for(id, &WaitTarget::VolumeSettled, timeout, progress)
            .await?;
        nb.ok_or_else(|| {
            ClientError::InvalidArgument(format!("notebook {id} vanished while resizing"))
        })
    }

    /// The wait loop over any `show` (tests pass a scripted one).
    pub(crate) async fn wait_with<F, Fut>(
        &self,
        id: &str,
        target: &WaitTarget,
        timeout: Duration,
        progress: Option<ProgressFn<'_>>,
        mut show: F,
    ) -> Result<Option<NotebookResp>, ClientError>
    where
        F: FnMut() -> Fut,
        Fut: Future<Output = Result<NotebookResp, ClientError>>,
    {
        let poll = self.config().poll.clone();
        let started = Instant::now();
        let deadline = started + timeout;
        let mut delay = poll.initial;
        let mut polls = 0u32;
        let mut last_status = "unknown".to_string();
        loop {
            let now = Instant::now();
            if now >= deadline {
                return Err(ClientError::WaitTimeout {
                    notebook_id: id.to_string(),
                    target: target.describe(),
                    last_status,
                    elapsed: now - started,
                });
            }
            self.sleep(delay.min(deadline - now), "wait").await?;
            polls += 1;
            let result = show().await;
            let elapsed = started.elapsed();
            let nb = result.as_ref().ok();
            match &result {
                Ok(nb) => last_status = nb.status_str().to_string(),
                Err(e) => last_status = format!("unknown, the last poll failed: {e}"),
            }
            let next_delay = (delay * 2).min(poll.max);
            self.logger().event(Level::Debug, || {
                let event = Event::new("wait poll")
                    .field("notebook_id", id)
                    .field("target", target.describe())
                    .field("poll", polls)
                    .field("elapsed_ms", elapsed)
                    .field("next_delay_ms", next_delay);
                match &result {
                    Ok(nb) => event.field("status", nb.status_str()).opt(
                        "volume_status",
                        nb.volume.as_ref().and_then(|v| v.status.as_deref()),
                    ),
                    Err(e) => event.field("error", e.to_string()),
                }
            });
            if let Some(cb) = progress {
                cb(&WaitProgress {
                    notebook_id: id,
                    poll: polls,
                    elapsed,
                    notebook: nb,
                });
            }
            match evaluate(id, target, result) {
                Step::Done(nb) => return Ok(nb.map(|b| *b)),
                Step::Fail(e) => return Err(e),
                Step::Continue => {}
            }
            delay = next_delay;
        }
    }
}
