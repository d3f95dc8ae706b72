//! The client against a local axum server that verifies every signature with the shared verifier: retries,
//! Retry-After, the ambiguous create, idempotent start/stop, paging, token auth, cancellation and redaction.
//! These use the real clock with millisecond delays, because a paused clock would fire the HTTP timeouts while
//! the server's socket I/O is pending.

use std::sync::{Arc, Mutex};
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use axum::body::Body;
use axum::extract::Request;
use axum::response::Response;
use http::HeaderMap;

use super::*;
use crate::api::signing::{auth_scheme, verify, AuthScheme, ReceivedRequest, VerifyOptions};
use crate::api::{
    NotebookCreateRequest, NotebookListQuery, NotebookStatus, NotebookUpdateRequest, StartQuery,
    VolumeMountRequest,
};

const AK: &str = "TESTAK0000000001";
const SK: &str = "TestSecretKeyValue0123456789";
const STS: &str = "STS-SECURITY-TOKEN-VALUE";
const PID: &str = "0123456789abcdef0123456789abcdef";

#[derive(Debug, Clone)]
struct Seen {
    method: String,
    path: String,
    query: Option<String>,
    headers: HeaderMap,
    body: Vec<u8>,
    /// `Some(true)` when the AK/SK signature verified, `None` for token auth.
    signature_ok: Option<bool>,
}

enum Reply {
    Json(u16, serde_json::Value),
    WithHeaders(u16, Vec<(&'static str, &'static str)>, serde_json::Value),
    /// Never answers in time: the client times out after sending.
    Hang,
}

type Handler = dyn Fn(&Seen, usize) -> Reply + Send + Sync;

struct Server {
    endpoint: String,
    seen: Arc<Mutex<Vec<Seen>>>,
}

impl Server {
    async fn start(handler: impl Fn(&Seen, usize) -> Reply + Send + Sync + 'static) -> Server {
        let seen: Arc<Mutex<Vec<Seen>>> = Arc::default();
        let handler: Arc<Handler> = Arc::new(handler);
        let rec = seen.clone();
        let app = axum::Router::new().fallback(move |req: Request| {
            let rec = rec.clone();
            let handler = handler.clone();
            async move { handle(req, rec, handler).await }
        });
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let addr = listener.local_addr().unwrap();
        tokio::spawn(async move { axum::serve(listener, app).await.unwrap() });
        Server {
            endpoint: format!("http://{addr}"),
            seen,
        }
    }

    fn seen(&self) -> Vec<Seen> {
        self.seen.lock().unwrap().clone()
    }

    fn count(&self, method: &str, path_suffix: &str) -> usize {
        self.seen()
            .iter()
            .filter(|s| s.method == method && s.path.ends_with(path_suffix))
            .count()
    }
}

async fn handle(req: Request, rec: Arc<Mutex<Vec<Seen>>>, handler: Arc<Handler>) -> Response {
    let (parts, body) = req.into_parts();
    let body = axum::body::to_bytes(body, usize::MAX)
        .await
        .unwrap()
        .to_vec();
    let signature_ok = match auth_scheme(&parts.headers) {
        Ok(AuthScheme::Signature(auth)) => Some(
            verify(
                &ReceivedRequest {
                    method: parts.method.as_str(),
                    raw_path: parts.uri.path(),
                    raw_query: parts.uri.query(),
                    headers: &parts.headers,
                    body: &body,
                },
                &auth,
                SK,
                &VerifyOptions::gateway(time::OffsetDateTime::now_utc()),
            )
            .is_ok(),
        ),
        _ => None,
    };
    let seen = Seen {
        method: parts.method.to_string(),
        path: parts.uri.path().to_string(),
        query: parts.uri.query().map(str::to_string),
        headers: parts.headers.clone(),
        body,
        signature_ok,
    };
    let index = {
        let mut v = rec.lock().unwrap();
        v.push(seen.clone());
        v.len() - 1
    };
    let (status, headers, json) = match handler(&seen, index) {
        Reply::Json(s, j) => (s, vec![], j),
        Reply::WithHeaders(s, h, j) => (s, h, j),
        Reply::Hang => {
            tokio::time::sleep(Duration::from_secs(30)).await;
            (500, vec![], serde_json::Value::Null)
        }
    };
    let mut b = Response::builder()
        .status(status)
        .header("content-type", "application/json")
        .header("x-request-id", format!("req-{index}"));
    for (k, v) in headers {
        b = b.header(k, v);
    }
    b.body(Body::from(json.to_string())).unwrap()
}

fn config(endpoint: &str) -> ClientConfig {
    let mut c = ClientConfig::new(
        "cn-north-4",
        PID,
        Credentials::AkSk {
            ak: AK.into(),
            sk: SK.into(),
            security_token: None,
        },
    );
    c.endpoint = Some(endpoint.to_string());
    c.max_retries = 3;
    c.request_timeout = Duration::from_millis(300);
    c.retry = RetrySettings {
        base_delay: Duration::from_millis(1),
        max_delay: Duration::from_millis(5),
        max_retry_after: Duration::from_millis(40),
        jitter: false,
    };
    c
}

fn client(endpoint: &str) -> Client {
    Client::new(config(endpoint)).unwrap()
}

fn now_ms() -> i64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .unwrap()
        .as_millis() as i64
}

fn notebook(id: &str, name: &str, status: &str, create_at: i64) -> serde_json::Value {
    serde_json::json!({
        "id": id, "name": name, "status": status, "create_at": create_at,
        "image": {"id": "img-1"}, "token": "NOTEBOOK-TOKEN-SECRET"
    })
}

fn err(code: &str, msg: &str) -> serde_json::Value {
    serde_json::json!({"error_code": code, "error_msg": msg})
}

fn create_req() -> NotebookCreateRequest {
    NotebookCreateRequest {
        name: "nb-1".into(),
        image_id: "img-1".into(),
        volume: VolumeMountRequest {
            category: "EVS".into(),
            ownership: "MANAGED".into(),
            capacity: Some(5),
            ..Default::default()
        },
        flavor: Some("modelarts.vm.cpu.2u".into()),
        ..Default::default()
    }
}

fn page(items: Vec<serde_json::Value>) -> serde_json::Value {
    serde_json::json!({"current": 0, "pages": 1, "size": 50, "total": items.len(), "data": items})
}

#[tokio::test]
async fn show_is_signed_like_the_sdk_and_verifies() {
    let srv = Server::start(|_, _| Reply::Json(200, notebook("nb/1", "nb-1", "RUNNING", 1))).await;
    let nb = client(&srv.endpoint).show_notebook("nb/1").await.unwrap();
    assert_eq!(nb.status, Some(NotebookStatus::Running));
    let s = &srv.seen()[0];
    assert_eq!(s.signature_ok, Some(true));
    // The `/` of the ID travels as %2F inside one segment.
    assert_eq!(s.path, format!("/v1/{PID}/notebooks/nb%2F1"));
    assert_eq!(s.headers["x-project-id"], PID);
    assert_eq!(s.headers["content-type"], "application/json");
    let port = srv.endpoint.rsplit(':').next().unwrap();
    assert_eq!(s.headers["host"], format!("127.0.0.1:{port}"));
    let auth = s.headers["authorization"].to_str().unwrap();
    assert!(auth.starts_with(&format!("SDK-HMAC-SHA256 Access={AK}, SignedHeaders=content-type;host;user-agent;x-project-id;x-sdk-date, Signature=")));
    assert!(s.headers.get("x-auth-token").is_none());
}

#[tokio::test]
async fn query_and_json_body_are_signed_over_the_exact_bytes() {
    let srv = Server::start(|s, _| match s.method.as_str() {
        "PUT" => Reply::Json(200, notebook("n1", "renamed", "STOPPED", 1)),
        _ => Reply::Json(200, page(vec![])),
    })
    .await;
    let c = client(&srv.endpoint);
    let q = NotebookListQuery {
        name: Some("my nb+x".into()),
        status: Some("RUNNING".into()),
        limit: Some(10),
        ..Default::default()
    };
    c.list_notebooks(&q).await.unwrap();
    let upd = NotebookUpdateRequest {
        name: Some("renamed".into()),
        description: Some(String::new()),
        ..Default::default()
    };
    c.update_notebook("n1", &upd).await.unwrap();
    let seen = srv.seen();
    assert_eq!(
        seen[0].query.as_deref(),
        Some("limit=10&name=my%20nb%2Bx&status=RUNNING")
    );
    assert_eq!(seen[1].body, br#"{"name":"renamed","description":""}"#);
    assert_eq!(
        seen[1].headers["content-type"],
        "application/json;charset=utf-8"
    );
    assert!(seen.iter().all(|s| s.signature_ok == Some(true)));
}

#[tokio::test]
async fn retries_5xx_then_succeeds() {
    let srv = Server::start(|_, i| match i {
        0 => Reply::Json(503, err("ModelArts.6101", "busy")),
        1 => Reply::Json(502, serde_json::json!("bad gateway")),
        _ => Reply::Json(200, notebook("n1", "nb", "RUNNING", 1)),
    })
    .await;
    let nb = client(&srv.endpoint).show_notebook("n1").await.unwrap();
    assert_eq!(nb.id.as_deref(), Some("n1"));
    let seen = srv.seen();
    assert_eq!(seen.len(), 3);
    // Each attempt is signed afresh.
    assert!(seen.iter().all(|s| s.signature_ok == Some(true)));
}

#[tokio::test]
async fn gives_up_after_max_retries_with_the_last_error() {
    let srv = Server::start(|_, _| Reply::Json(500, err("ModelArts.6102", "internal"))).await;
    let e = client(&srv.endpoint).show_notebook("n1").await.unwrap_err();
    assert_eq!(srv.seen().len(), 4, "1 attempt + max_retries 3");
    assert_eq!(e.api().unwrap().status, 500);
    assert_eq!(e.request_id(), Some("req-3"));
}

#[tokio::test]
async fn honours_retry_after() {
    let srv = Server::start(|_, i| match i {
        0 => Reply::WithHeaders(
            429,
            vec![("retry-after", "1")],
            err("APIGW.0308", "throttled"),
        ),
        _ => Reply::Json(200, notebook("n1", "nb", "RUNNING", 1)),
    })
    .await;
    let (logger, lines) = log::capture::logger();
    let c = Client::with_logger(config(&srv.endpoint), logger).unwrap();
    let started = std::time::Instant::now();
    c.show_notebook("n1").await.unwrap();
    // Retry-After 1 s, bounded by max_retry_after (40 ms) in this config; backoff alone would be 1 ms.
    assert!(started.elapsed() >= Duration::from_millis(40));
    let lines = lines.lock().unwrap();
    assert!(
        lines
            .iter()
            .any(|(_, l)| l.contains("retrying show notebook reason=HTTP 429 delay_ms=40 ")),
        "{lines:?}"
    );
}

#[tokio::test]
async fn client_errors_are_not_retried_and_read_well() {
    let srv = Server::start(|_, _| {
        Reply::Json(400, err("ModelArts.6309", "The instance does not exist."))
    })
    .await;
    let e = client(&srv.endpoint)
        .show_notebook("1c2d")
        .await
        .unwrap_err();
    assert_eq!(srv.seen().len(), 1);
    assert!(e.is_not_found());
    assert_eq!(
        e.to_string(),
        "ModelArts.6309: notebook 1c2d not found: The instance does not exist. (HTTP 400, request req-0)"
    );
}

#[tokio::test]
async fn connection_failures_are_retried_then_reported() {
    // Bind then drop a listener to get a port with nobody behind it.
    let port = {
        let l = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        l.local_addr().unwrap().port()
    };
    let (logger, lines) = log::capture::logger();
    let c = Client::with_logger(config(&format!("http://127.0.0.1:{port}")), logger).unwrap();
    let e = c.create_notebook(&create_req()).await.unwrap_err();
    assert!(
        matches!(e, ClientError::Transport { connect: true, .. }),
        "{e}"
    );
    let attempts = lines
        .lock()
        .unwrap()
        .iter()
        .filter(|(_, l)| l.contains("no answer"))
        .count();
    assert_eq!(attempts, 4, "a create that never left may be re-sent");
}

#[tokio::test]
async fn ambiguous_create_adopts_the_single_match() {
    let sent = now_ms();
    let srv = Server::start(move |s, _| match s.method.as_str() {
        "POST" => Reply::Hang,
        _ => Reply::Json(
            200,
            page(vec![
                notebook("new-id", "nb-1", "CREATING", sent + 5),
                // Same name but older than the window: someone else's.
                notebook("old-id", "nb-1", "RUNNING", sent - 3_600_000),
                // Fuzzy match on the server, not the same name.
                notebook("other", "nb-10", "CREATING", sent + 5),
            ]),
        ),
    })
    .await;
    let nb = client(&srv.endpoint)
        .create_notebook(&create_req())
        .await
        .unwrap();
    assert_eq!(nb.id.as_deref(), Some("new-id"));
    assert_eq!(
        srv.count("POST", "/notebooks"),
        1,
        "the create must not be re-sent"
    );
    let list = srv.seen().into_iter().find(|s| s.method == "GET").unwrap();
    assert_eq!(
        list.query.as_deref(),
        Some("limit=50&name=nb-1&offset=0&workspace_id=0")
    );
}

#[tokio::test]
async fn ambiguous_create_of_a_codelab_instance_looks_among_codelab_instances() {
    let sent = now_ms();
    let srv = Server::start(move |s, _| match s.method.as_str() {
        "POST" => Reply::Hang,
        _ => Reply::Json(
            200,
            page(vec![notebook("free-id", "nb-1", "CREATING", sent + 5)]),
        ),
    })
    .await;
    let req = NotebookCreateRequest {
        feature: Some("DEFAULT".into()),
        ..create_req()
    };
    let nb = client(&srv.endpoint).create_notebook(&req).await.unwrap();
    assert_eq!(nb.id.as_deref(), Some("free-id"));
    let list = srv.seen().into_iter().find(|s| s.method == "GET").unwrap();
    assert_eq!(
        list.query.as_deref(),
        Some("feature=DEFAULT&limit=50&name=nb-1&offset=0&workspace_id=0")
    );
}

#[tokio::test]
async fn ambiguous_create_without_a_match_is_reported_not_resent() {
    let srv = Server::start(|s, _| match s.method.as_str() {
        "POST" => Reply::Hang,
        _ => Reply::Json(200, page(vec![])),
    })
    .await;
    let e = client(&srv.endpoint)
        .create_notebook(&create_req())
        .await
        .unwrap_err();
    assert_eq!(srv.count("POST", "/notebooks"), 1);
    let text = e.to_string();
    assert!(
        matches!(e, ClientError::AmbiguousCreate { ref candidates, .. } if candidates.is_empty())
    );
    assert!(
        text.contains("no instance with that name was found")
            && text.contains("check the ModelArts console"),
        "{text}"
    );
}

#[tokio::test]
async fn ambiguous_create_with_several_matches_names_them() {
    let sent = now_ms();
    let srv = Server::start(move |s, _| match s.method.as_str() {
        "POST" => Reply::Json(504, err("APIGW.0201", "gateway timeout")),
        _ => Reply::Json(
            200,
            page(vec![
                notebook("a", "nb-1", "CREATING", sent),
                notebook("b", "nb-1", "CREATING", sent + 1),
            ]),
        ),
    })
    .await;
    let e = client(&srv.endpoint)
        .create_notebook(&create_req())
        .await
        .unwrap_err();
    assert_eq!(
        srv.count("POST", "/notebooks"),
        1,
        "504 is an unknown outcome"
    );
    match e {
        ClientError::AmbiguousCreate { candidates, .. } => assert_eq!(candidates, ["a", "b"]),
        other => panic!("{other}"),
    }
}

#[tokio::test]
async fn create_500_reconciles_then_resends_when_nothing_was_created() {
    // A server that fails the first POST with 500, then accepts.
    let srv = Server::start(|s, i| match (s.method.as_str(), i) {
        ("POST", 0) => Reply::Json(500, err("ModelArts.6102", "internal")),
        ("GET", _) => Reply::Json(200, page(vec![])),
        _ => Reply::Json(200, notebook("created", "nb-1", "CREATING", 1)),
    })
    .await;
    let nb = client(&srv.endpoint)
        .create_notebook(&create_req())
        .await
        .unwrap();
    assert_eq!(nb.id.as_deref(), Some("created"));
    let methods: Vec<String> = srv.seen().iter().map(|s| s.method.clone()).collect();
    assert_eq!(methods, ["POST", "GET", "POST"]);
}

#[tokio::test]
async fn create_429_is_resent_without_listing() {
    let srv = Server::start(|_, i| match i {
        0 => Reply::Json(429, err("ModelArts.6101", "busy")),
        _ => Reply::Json(200, notebook("created", "nb-1", "CREATING", 1)),
    })
    .await;
    client(&srv.endpoint)
        .create_notebook(&create_req())
        .await
        .unwrap();
    let methods: Vec<String> = srv.seen().iter().map(|s| s.method.clone()).collect();
    assert_eq!(methods, ["POST", "POST"]);
    // Both attempts carry the very same body bytes.
    let seen = srv.seen();
    assert_eq!(seen[0].body, seen[1].body);
}

#[tokio::test]
async fn start_and_stop_are_idempotent() {
    let srv = Server::start(
        |s, _| match (s.method.as_str(), s.path.rsplit('/').next().unwrap()) {
            ("POST", "start") => Reply::Json(400, err("ModelArts.6357", "in target state")),
            ("POST", "stop") => Reply::Json(400, err("ModelArts.6357", "in target state")),
            _ => Reply::Json(200, notebook("n1", "nb", "RUNNING", 1)),
        },
    )
    .await;
    let c = client(&srv.endpoint);
    let q = StartQuery {
        duration: Some(3_600_000),
        r#type: Some("TIMING".into()),
    };
    let nb = c.start_notebook("n1", &q).await.unwrap();
    assert_eq!(nb.status, Some(NotebookStatus::Running));
    let start = srv
        .seen()
        .into_iter()
        .find(|s| s.path.ends_with("/start"))
        .unwrap();
    assert_eq!(start.query.as_deref(), Some("duration=3600000&type=TIMING"));
    assert_eq!(start.headers["content-length"], "0");
    // Stop answered "busy or in target state" but the instance is RUNNING: that is a real conflict.
    let e = c.stop_notebook("n1").await.unwrap_err();
    assert!(e.is_busy_or_in_target_state(), "{e}");
}

#[tokio::test]
async fn list_all_pages_pages_by_fifty() {
    let srv = Server::start(|s, _| {
        let q = s.query.clone().unwrap_or_default();
        let offset: usize = q
            .split('&')
            .find_map(|p| p.strip_prefix("offset="))
            .and_then(|v| v.parse().ok())
            .unwrap_or(0);
        let items: Vec<serde_json::Value> = (offset..(offset + 50).min(120))
            .map(|i| notebook(&format!("n{i}"), "nb", "RUNNING", 1))
            .collect();
        Reply::Json(200, serde_json::json!({"current": offset / 50, "pages": 3, "size": 50, "total": 120, "data": items}))
    })
    .await;
    let all = client(&srv.endpoint)
        .list_notebooks_all_pages(&NotebookListQuery::default())
        .await
        .unwrap();
    assert_eq!(all.len(), 120);
    assert_eq!(all[119].id.as_deref(), Some("n119"));
    let queries: Vec<String> = srv
        .seen()
        .iter()
        .map(|s| s.query.clone().unwrap())
        .collect();
    assert_eq!(
        queries,
        [
            "limit=50&offset=0",
            "limit=50&offset=50",
            "limit=50&offset=100"
        ]
    );
}

#[tokio::test]
async fn token_auth_sends_x_auth_token_and_no_signature() {
    let srv = Server::start(|_, _| Reply::Json(200, notebook("n1", "nb", "RUNNING", 1))).await;
    let mut cfg = config(&srv.endpoint);
    cfg.credentials = Credentials::Token("IAM-TOKEN-VALUE".into());
    Client::new(cfg).unwrap().show_notebook("n1").await.unwrap();
    let s = &srv.seen()[0];
    assert_eq!(s.headers["x-auth-token"], "IAM-TOKEN-VALUE");
    assert_eq!(s.headers["x-project-id"], PID);
    assert!(s.headers.get("authorization").is_none() && s.headers.get("x-sdk-date").is_none());
}

#[tokio::test]
async fn security_token_is_sent_and_signed() {
    let srv = Server::start(|_, _| Reply::Json(200, notebook("n1", "nb", "RUNNING", 1))).await;
    let mut cfg = config(&srv.endpoint);
    cfg.credentials = Credentials::AkSk {
        ak: AK.into(),
        sk: SK.into(),
        security_token: Some(STS.into()),
    };
    Client::new(cfg).unwrap().show_notebook("n1").await.unwrap();
    let s = &srv.seen()[0];
    assert_eq!(s.headers["x-security-token"], STS);
    assert!(s.headers["authorization"]
        .to_str()
        .unwrap()
        .contains("x-sdk-date;x-security-token"));
    assert_eq!(s.signature_ok, Some(true));
}

#[tokio::test]
async fn logs_redact_every_secret() {
    let srv = Server::start(|_, _| Reply::Json(200, notebook("n1", "nb", "RUNNING", 1))).await;
    for creds in [
        Credentials::AkSk {
            ak: AK.into(),
            sk: SK.into(),
            security_token: Some(STS.into()),
        },
        Credentials::Token("IAM-TOKEN-VALUE".into()),
    ] {
        let (logger, lines) = log::capture::logger();
        let mut cfg = config(&srv.endpoint);
        cfg.credentials = creds;
        let c = Client::with_logger(cfg, logger).unwrap();
        let nb = c.show_notebook("n1").await.unwrap();
        let dump = format!("{:?} {:?} {:?}", lines.lock().unwrap(), c, nb);
        for secret in [
            SK,
            STS,
            "IAM-TOKEN-VALUE",
            "NOTEBOOK-TOKEN-SECRET",
            "Signature=",
        ] {
            assert!(!dump.contains(secret), "{secret} leaked: {dump}");
        }
        // The lines are there, with what matters for debugging.
        assert!(
            dump.contains("method=GET path=/v1/")
                && dump.contains("status=200")
                && dump.contains("request_id=req-"),
            "{dump}"
        );
        assert!(dump.contains("<redacted>"), "{dump}");
        assert_eq!(nb.token.unwrap().expose(), "NOTEBOOK-TOKEN-SECRET");
    }
}

#[tokio::test]
async fn cancellation_ends_a_call_in_flight() {
    let srv = Server::start(|_, _| Reply::Hang).await;
    let mut cfg = config(&srv.endpoint);
    cfg.request_timeout = Duration::from_secs(30);
    let c = Client::new(cfg).unwrap();
    let token = c.cancellation_token();
    let handle = tokio::spawn({
        let c = c.clone();
        async move { c.show_notebook("n1").await }
    });
    while srv.seen().is_empty() {
        tokio::task::yield_now().await;
        tokio::time::sleep(Duration::from_millis(1)).await;
    }
    token.cancel();
    let e = tokio::time::timeout(Duration::from_secs(5), handle)
        .await
        .unwrap()
        .unwrap()
        .unwrap_err();
    assert!(e.is_cancelled(), "{e}");
    assert!(c.show_notebook("n1").await.unwrap_err().is_cancelled());
}
