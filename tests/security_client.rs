//! The API client under TRACE logging, with every kind of credential: a full create → update (stop, PUT,
//! start) → delete cycle plus refused and failing calls must log requests and bodies, yet no secret key,
//! security token, IAM token, request signature or notebook token may reach a log line, an error's
//! Display/Debug, or the client's Debug output. A refused call (401) must not be retried.

use std::sync::{Arc, Mutex};
use std::time::Duration;

use modelarts::api::{
    NotebookCreateRequest, NotebookStatus, NotebookUpdateRequest, StartQuery, VolumeMountRequest,
};
use modelarts::client::{Client, ClientConfig, Credentials, Level, Logger, PollSettings};
use modelarts::emulator::{catalog, demo, Emulator, EmulatorHandle};

mod common;
use common::{IAM_TOKEN, STS_AK, STS_SK, STS_TOKEN};

type Lines = Arc<Mutex<Vec<String>>>;

async fn emulator() -> EmulatorHandle {
    Emulator::builder()
        .credentials(common::credentials())
        .transition_ms(20)
        .start()
        .await
        .unwrap()
}

fn client(emu: &EmulatorHandle, credentials: Credentials, lines: &Lines) -> Client {
    let mut cfg = ClientConfig::new("cn-north-4", demo::PROJECT_ID, credentials);
    cfg.endpoint = Some(emu.base_url.clone());
    cfg.max_retries = 2;
    cfg.retry.base_delay = Duration::from_millis(1);
    cfg.retry.max_delay = Duration::from_millis(5);
    cfg.poll = PollSettings {
        initial: Duration::from_millis(5),
        max: Duration::from_millis(20),
    };
    let sink = lines.clone();
    let logger = Logger::new(Level::Trace, move |lvl, line| {
        sink.lock().unwrap().push(format!("[{lvl:?}] {line}"));
    });
    Client::with_logger(cfg, logger).unwrap()
}

fn create_request(name: &str) -> NotebookCreateRequest {
    NotebookCreateRequest {
        name: name.into(),
        image_id: catalog::image_by_name("pytorch1.8-cuda10.2-cudnn7-ubuntu18.04")
            .unwrap()
            .id
            .clone(),
        flavor: Some("modelarts.vm.cpu.2u".into()),
        volume: VolumeMountRequest {
            category: "EVS".into(),
            ownership: "MANAGED".into(),
            capacity: Some(5),
            ..Default::default()
        },
        ..Default::default()
    }
}

/// Runs the whole cycle and some failing calls; returns everything the client printed, logged or returned.
async fn exercise(emu: &EmulatorHandle, c: &Client, lines: &Lines) -> (String, Vec<String>) {
    let t = Duration::from_secs(30);
    let mut out = vec![format!("{c:?}")];
    let nb = c
        .create_notebook(&create_request("secret-check"))
        .await
        .unwrap();
    out.push(format!("{nb:?}"));
    let id = nb.id.clone().unwrap();
    c.wait_for_status(&id, &[NotebookStatus::Running], t, None)
        .await
        .unwrap();
    // Refused while RUNNING (strict update policy): an error with the server's message.
    let busy = NotebookUpdateRequest {
        name: Some("renamed".into()),
        ..Default::default()
    };
    let e = c.update_notebook(&id, &busy).await.unwrap_err();
    out.push(format!("{e} {e:?}"));
    c.stop_notebook(&id).await.unwrap();
    c.wait_for_status(&id, &[NotebookStatus::Stopped], t, None)
        .await
        .unwrap();
    let updated = c.update_notebook(&id, &busy).await.unwrap();
    out.push(format!("{updated:?}"));
    c.start_notebook(&id, &StartQuery::default()).await.unwrap();
    let running = c
        .wait_for_status(&id, &[NotebookStatus::Running], t, None)
        .await
        .unwrap();
    out.push(format!("{running:?}"));
    let page = c.list_notebooks(&Default::default()).await.unwrap();
    out.push(format!("{page:?}"));
    let token = emu
        .notebooks()
        .into_iter()
        .find_map(|(_, n)| n.token)
        .expect("the emulator issues a notebook token")
        .expose()
        .to_string();
    c.delete_notebook(&id).await.unwrap();
    c.wait_for_gone(&id, t, None).await.unwrap();
    let e = c.show_notebook(&id).await.unwrap_err();
    out.push(format!("{e} {e:?}"));
    out.extend(lines.lock().unwrap().iter().cloned());
    (token, out)
}

fn assert_clean(what: &str, texts: &[String], secrets: &[&str]) {
    let signature = regex::Regex::new(r"(?i)signature=[0-9a-f]{16,}").unwrap();
    for t in texts {
        for s in secrets {
            assert!(!t.contains(s), "{what}: a secret leaked into: {t}");
        }
        assert!(
            !signature.is_match(t),
            "{what}: a signature leaked into: {t}"
        );
    }
}

/// Guards against a vacuous pass: TRACE really shows headers and bodies (redacted).
fn assert_trace_is_verbose(what: &str, texts: &[String]) {
    let all = texts.join("\n");
    for needle in [
        "[Trace]",
        "\"name\":\"secret-check\"",
        "\"token\":\"<redacted>\"",
        "<redacted>",
    ] {
        assert!(
            all.contains(needle),
            "{what}: no {needle:?} in the logs:\n{all}"
        );
    }
}

#[tokio::test]
async fn temporary_aksk_never_reaches_logs_or_errors() {
    let emu = emulator().await;
    let lines = Lines::default();
    let c = client(
        &emu,
        Credentials::AkSk {
            ak: STS_AK.into(),
            sk: STS_SK.into(),
            security_token: Some(STS_TOKEN.into()),
        },
        &lines,
    );
    let (token, out) = exercise(&emu, &c, &lines).await;
    assert_trace_is_verbose("aksk", &out);
    assert_clean("aksk", &out, &[STS_SK, STS_TOKEN, &token]);
    // The access key is an identifier, not a secret: logging it is allowed and helps support.
}

#[tokio::test]
async fn iam_token_never_reaches_logs_or_errors() {
    let emu = emulator().await;
    let lines = Lines::default();
    let c = client(&emu, Credentials::Token(IAM_TOKEN.into()), &lines);
    let (token, out) = exercise(&emu, &c, &lines).await;
    assert_trace_is_verbose("iam", &out);
    assert_clean("iam", &out, &[IAM_TOKEN, &token]);
}

#[tokio::test]
async fn refused_credentials_fail_once_with_a_clean_error() {
    let emu = emulator().await;
    for (what, creds, secret) in [
        (
            "wrong secret key",
            Credentials::AkSk {
                ak: demo::ACCESS_KEY.into(),
                sk: "wrongSecretKey000000000000000000000000009".into(),
                security_token: None,
            },
            "wrongSecretKey000000000000000000000000009",
        ),
        (
            "temporary key with a wrong token",
            Credentials::AkSk {
                ak: STS_AK.into(),
                sk: STS_SK.into(),
                security_token: Some("wrong-sts-token-0000000000000000000008".into()),
            },
            "wrong-sts-token-0000000000000000000008",
        ),
        (
            "unknown IAM token",
            Credentials::Token("MIIunknown-token-000000000000000000007".into()),
            "MIIunknown-token-000000000000000000007",
        ),
    ] {
        emu.clear_journal();
        let lines = Lines::default();
        let c = client(&emu, creds, &lines);
        let e = c.list_notebooks(&Default::default()).await.unwrap_err();
        assert!(e.is_auth(), "{what}: {e:?}");
        let shown = format!("{e} {e:?}");
        assert!(shown.contains("APIGW.0301"), "{what}: {shown}");
        let requests = emu.journal().len();
        assert_eq!(requests, 1, "{what}: a 401 must not be retried");
        let e2 = c
            .create_notebook(&create_request("never"))
            .await
            .unwrap_err();
        assert!(e2.is_auth(), "{what}: {e2:?}");
        assert!(emu.notebooks().is_empty(), "{what}: created anyway");
        let mut texts = lines.lock().unwrap().clone();
        texts.push(shown);
        texts.push(format!("{e2} {e2:?} {c:?}"));
        assert_clean(what, &texts, &[secret, STS_SK, IAM_TOKEN, STS_TOKEN]);
    }
}
