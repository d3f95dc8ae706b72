//! Waiter behaviour on tokio's paused clock with a scripted `show`: backoff schedule, deadline, failure
//! statuses, "gone", volume resize, cancellation and progress reporting.

use std::collections::VecDeque;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use tokio::time::Instant;

use super::*;
use crate::api::{JobProgress, NotebookResp, NotebookStatus, VolumeRes};

fn client() -> Client {
    let cfg = ClientConfig {
        endpoint: Some("http://127.0.0.1:9".into()),
        ..ClientConfig::new("r", "p", Credentials::Token("t".into()))
    };
    Client::new(cfg).unwrap()
}

fn nb(status: NotebookStatus) -> Result<NotebookResp, ClientError> {
    Ok(NotebookResp {
        id: Some("n1".into()),
        status: Some(status),
        ..Default::default()
    })
}

fn not_found() -> Result<NotebookResp, ClientError> {
    Err(ClientError::Api(ApiError {
        status: 400,
        error_code: Some("ModelArts.6309".into()),
        error_msg: None,
        request_id: None,
        operation: "show notebook",
        notebook_id: Some("n1".into()),
    }))
}

/// A `show` that replays `script` (repeating the last entry) and records when each poll happened.
struct Script {
    items: Mutex<VecDeque<Result<NotebookResp, ClientError>>>,
    polls: Mutex<Vec<Duration>>,
    start: Instant,
}

impl Script {
    fn new(items: Vec<Result<NotebookResp, ClientError>>) -> Arc<Self> {
        Arc::new(Script {
            items: Mutex::new(items.into()),
            polls: Mutex::new(Vec::new()),
            start: Instant::now(),
        })
    }

    async fn show(self: Arc<Self>) -> Result<NotebookResp, ClientError> {
        self.polls.lock().unwrap().push(self.start.elapsed());
        let mut items = self.items.lock().unwrap();
        if items.len() > 1 {
            items.pop_front().unwrap()
        } else {
            items.front().cloned().unwrap()
        }
    }

    fn poll_secs(&self) -> Vec<u64> {
        self.polls
            .lock()
            .unwrap()
            .iter()
            .map(|d| d.as_secs())
            .collect()
    }
}

async fn run(
    c: &Client,
    target: WaitTarget,
    timeout: Duration,
    s: &Arc<Script>,
) -> Result<Option<NotebookResp>, ClientError> {
    c.wait_with("n1", &target, timeout, None, || s.clone().show())
        .await
}

fn running() -> WaitTarget {
    WaitTarget::Status(vec![NotebookStatus::Running])
}

#[tokio::test(start_paused = true)]
async fn polls_with_doubling_backoff_until_target() {
    let s = Script::new(vec![
        nb(NotebookStatus::Creating),
        nb(NotebookStatus::Creating),
        nb(NotebookStatus::Creating),
        nb(NotebookStatus::Running),
    ]);
    let out = run(&client(), running(), Duration::from_secs(600), &s)
        .await
        .unwrap();
    assert_eq!(out.unwrap().status, Some(NotebookStatus::Running));
    assert_eq!(s.poll_secs(), [1, 3, 7, 15]);
}

#[tokio::test(start_paused = true)]
async fn backoff_caps_at_max_and_deadline_ends_with_last_status() {
    let s = Script::new(vec![nb(NotebookStatus::Starting)]);
    let err = run(&client(), running(), Duration::from_secs(60), &s)
        .await
        .unwrap_err();
    // 1, 2, 4, 8, then 10 s steps; a last poll lands exactly on the deadline.
    assert_eq!(s.poll_secs(), [1, 3, 7, 15, 25, 35, 45, 55, 60]);
    match err {
        ClientError::WaitTimeout {
            last_status,
            elapsed,
            target,
            ..
        } => {
            assert_eq!(last_status, "STARTING");
            assert_eq!(elapsed, Duration::from_secs(60));
            assert_eq!(target, "RUNNING");
        }
        other => panic!("{other}"),
    }
}

#[tokio::test(start_paused = true)]
async fn failure_status_ends_the_wait_at_once_with_reason_and_progress() {
    let failed = NotebookResp {
        id: Some("n1".into()),
        status: Some(NotebookStatus::CreateFailed),
        fail_reason: Some("insufficient capacity".into()),
        action_progress: Some(vec![
            JobProgress {
                step: Some(1),
                status: Some("COMPLETED".into()),
                step_description: Some("storage".into()),
                ..Default::default()
            },
            JobProgress {
                step: Some(2),
                status: Some("FAILED".into()),
                description: Some("compute".into()),
                ..Default::default()
            },
        ]),
        ..Default::default()
    };
    let s = Script::new(vec![nb(NotebookStatus::Creating), Ok(failed)]);
    let err = run(&client(), running(), Duration::from_secs(3600), &s)
        .await
        .unwrap_err();
    assert_eq!(s.poll_secs(), [1, 3]);
    assert_eq!(
        err.to_string(),
        "notebook n1 is CREATE_FAILED while waiting for RUNNING: insufficient capacity \
         (progress: step 1 COMPLETED (storage); step 2 FAILED (compute))"
    );
    for status in [
        NotebookStatus::StartFailed,
        NotebookStatus::DeleteFailed,
        NotebookStatus::Error,
        NotebookStatus::Frozen,
        NotebookStatus::Deleted,
    ] {
        let s = Script::new(vec![nb(status.clone())]);
        let err = run(&client(), running(), Duration::from_secs(3600), &s)
            .await
            .unwrap_err();
        assert!(matches!(err, ClientError::WaitFailed { .. }), "{status}");
        assert_eq!(s.poll_secs(), [1], "{status}");
    }
}

#[tokio::test(start_paused = true)]
async fn unknown_statuses_keep_polling() {
    let s = Script::new(vec![
        nb(NotebookStatus::Other("WARMING".into())),
        nb(NotebookStatus::Stopped),
    ]);
    let target = WaitTarget::Status(vec![NotebookStatus::Stopped]);
    assert!(run(&client(), target, Duration::from_secs(60), &s)
        .await
        .is_ok());
}

#[tokio::test(start_paused = true)]
async fn gone_accepts_not_found_and_deleted() {
    let s = Script::new(vec![
        nb(NotebookStatus::Deleting),
        nb(NotebookStatus::Deleting),
        not_found(),
    ]);
    assert_eq!(
        run(&client(), WaitTarget::Gone, Duration::from_secs(60), &s)
            .await
            .unwrap(),
        None
    );
    assert_eq!(s.poll_secs(), [1, 3, 7]);
    let s = Script::new(vec![nb(NotebookStatus::Deleted)]);
    assert_eq!(
        run(&client(), WaitTarget::Gone, Duration::from_secs(60), &s)
            .await
            .unwrap(),
        None
    );
    let s = Script::new(vec![
        nb(NotebookStatus::Deleting),
        nb(NotebookStatus::DeleteFailed),
    ]);
    let err = run(&client(), WaitTarget::Gone, Duration::from_secs(60), &s)
        .await
        .unwrap_err();
    assert!(matches!(err, ClientError::WaitFailed { ref status, .. } if status == "DELETE_FAILED"));
}

fn unreachable() -> Result<NotebookResp, ClientError> {
    Err(ClientError::Transport {
        operation: "show notebook",
        notebook_id: Some("n1".into()),
        message: "tcp connect error: Connection refused".into(),
        timeout: false,
        connect: true,
    })
}

fn server_error(status: u16) -> Result<NotebookResp, ClientError> {
    Err(ClientError::Api(ApiError {
        status,
        error_code: Some("ModelArts.6101".into()),
        error_msg: None,
        request_id: None,
        operation: "show notebook",
        notebook_id: Some("n1".into()),
    }))
}

#[tokio::test(start_paused = true)]
async fn an_api_outage_during_a_wait_is_waited_out() {
    let s = Script::new(vec![
        nb(NotebookStatus::Creating),
        unreachable(),
        server_error(503),
        server_error(429),
        nb(NotebookStatus::Running),
    ]);
    let out = run(&client(), running(), Duration::from_secs(600), &s)
        .await
        .unwrap();
    assert_eq!(out.unwrap().status, Some(NotebookStatus::Running));
    assert_eq!(s.poll_secs(), [1, 3, 7, 15, 25]);
}

#[tokio::test(start_paused = true)]
async fn an_outage_until_the_deadline_times_out_naming_the_last_error() {
    let s = Script::new(vec![nb(NotebookStatus::Creating), unreachable()]);
    let err = run(&client(), running(), Duration::from_secs(30), &s)
        .await
        .unwrap_err();
    match err {
        ClientError::WaitTimeout { last_status, .. } => {
            assert!(last_status.contains("Connection refused"), "{last_status}")
        }
        other => panic!("{other}"),
    }
    // A refusal that will not pass ends the wait at once.
    let s = Script::new(vec![server_error(401)]);
    let err = run(&client(), running(), Duration::from_secs(600), &s)
        .await
        .unwrap_err();
    assert!(
        matches!(err, ClientError::Api(ref a) if a.status == 401),
        "{err}"
    );
    assert_eq!(s.poll_secs(), [1]);
}

#[tokio::test(start_paused = true)]
async fn not_found_fails_a_status_wait() {
    let s = Script::new(vec![not_found()]);
    let err = run(&client(), running(), Duration::from_secs(60), &s)
        .await
        .unwrap_err();
    assert!(err.is_not_found());
}

fn with_volume(status: Option<&str>) -> Result<NotebookResp, ClientError> {
    Ok(NotebookResp {
        id: Some("n1".into()),
        status: Some(NotebookStatus::Stopped),
        volume: Some(VolumeRes {
            capacity: Some(100),
            status: status.map(str::to_string),
            ..Default::default()
        }),
        ..Default::default()
    })
}

#[tokio::test(start_paused = true)]
async fn volume_wait_ends_when_resizing_is_over() {
    let s = Script::new(vec![
        with_volume(Some("RESIZING")),
        with_volume(Some("RESIZING")),
        with_volume(None),
    ]);
    let nb = run(
        &client(),
        WaitTarget::VolumeSettled,
        Duration::from_secs(60),
        &s,
    )
    .await
    .unwrap()
    .unwrap();
    assert_eq!(nb.volume.unwrap().capacity, Some(100));
    assert_eq!(s.poll_secs(), [1, 3, 7]);
}

#[tokio::test(start_paused = true)]
async fn cancellation_stops_a_wait_promptly() {
    let c = client();
    let token = c.cancellation_token();
    tokio::spawn(async move {
        tokio::time::sleep(Duration::from_secs(5)).await;
        token.cancel();
    });
    let s = Script::new(vec![nb(NotebookStatus::Creating)]);
    let start = Instant::now();
    let err = run(&c, running(), Duration::from_secs(3600), &s)
        .await
        .unwrap_err();
    assert!(err.is_cancelled(), "{err}");
    assert_eq!(start.elapsed(), Duration::from_secs(5));
    // A per-call token works the same way and leaves the client usable.
    let c2 = client();
    let call_token = tokio_util::sync::CancellationToken::new();
    call_token.cancel();
    let s = Script::new(vec![nb(NotebookStatus::Running)]);
    let scoped = c2.with_cancellation(call_token);
    assert!(run(&scoped, running(), Duration::from_secs(60), &s)
        .await
        .unwrap_err()
        .is_cancelled());
    assert!(run(&c2, running(), Duration::from_secs(60), &s)
        .await
        .is_ok());
}

#[tokio::test(start_paused = true)]
async fn progress_callback_and_log_line_per_poll() {
    let (logger, lines) = super::log::capture::logger();
    let cfg = ClientConfig {
        endpoint: Some("http://127.0.0.1:9".into()),
        poll: PollSettings {
            initial: Duration::from_millis(100),
            max: Duration::from_millis(100),
        },
        ..ClientConfig::new("r", "p", Credentials::Token("t".into()))
    };
    let c = Client::with_logger(cfg, logger).unwrap();
    let s = Script::new(vec![
        nb(NotebookStatus::Creating),
        nb(NotebookStatus::Running),
    ]);
    let seen = Mutex::new(Vec::new());
    let cb = |p: &WaitProgress<'_>| {
        seen.lock()
            .unwrap()
            .push((p.poll, p.notebook.map(|n| n.status_str().to_string())));
    };
    c.wait_with("n1", &running(), Duration::from_secs(60), Some(&cb), || {
        s.clone().show()
    })
    .await
    .unwrap();
    assert_eq!(
        *seen.lock().unwrap(),
        [
            (1, Some("CREATING".to_string())),
            (2, Some("RUNNING".to_string()))
        ]
    );
    let lines = lines.lock().unwrap();
    let waits: Vec<&String> = lines
        .iter()
        .map(|(_, l)| l)
        .filter(|l| l.starts_with("wait poll notebook_id=n1 "))
        .collect();
    assert_eq!(waits.len(), 2, "{lines:?}");
    assert!(
        waits[0].contains("status=CREATING") && waits[1].contains("status=RUNNING"),
        "{waits:?}"
    );
    assert!(
        waits[0].contains("poll=1 elapsed_ms=100 next_delay_ms=100"),
        "{waits:?}"
    );
}
