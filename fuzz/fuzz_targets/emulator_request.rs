//! Fuzzes the emulator's request handling end to end through its router (in process, no socket): update and
//! create bodies (parse → field rules → model), lease bodies, list/start/image query strings and arbitrary
//! request targets. Authentication is an IAM token so every input reaches the handlers.
//! Property: no panic; never a 5xx; every error is the documented JSON `{"error_code", "error_msg", ...}`; every
//! response carries a 32-hex `X-Request-Id`; an accepted update leaves a readable notebook.
//!
//! Input: byte 0 = operation, the rest = body, query string or request target.
#![no_main]

use std::sync::{Mutex, OnceLock};

use axum::body::Body;
use libfuzzer_sys::fuzz_target;
use modelarts::api::NotebookStatus;
use modelarts::emulator::{catalog, Credentials, Emulator};
use serde_json::Value;
use tower::ServiceExt;

const TOKEN: &str = "fuzz-iam-token";
const PROJECT: &str = "0123456789abcdef0123456789abcdef";
/// Keeps the store small so every iteration costs the same.
const MAX_NOTEBOOKS: usize = 24;

struct Fixture {
    em: Emulator,
    router: axum::Router,
    stopped: String,
    running: String,
    /// Requests that may have changed the store in ways the cheap bookkeeping does not follow.
    dirty: bool,
    created: usize,
}

async fn send(
    router: &axum::Router,
    method: &str,
    target: &str,
    body: Vec<u8>,
) -> Option<(u16, http::HeaderMap, Vec<u8>)> {
    let req = http::Request::builder()
        .method(method)
        .uri(target)
        .header("host", "127.0.0.1:1")
        .header("content-type", "application/json")
        .header("x-auth-token", TOKEN)
        .body(Body::from(body))
        .ok()?;
    let resp = router.clone().oneshot(req).await.ok()?;
    let status = resp.status().as_u16();
    let headers = resp.headers().clone();
    let bytes = axum::body::to_bytes(resp.into_body(), usize::MAX)
        .await
        .ok()?;
    Some((status, headers, bytes.to_vec()))
}

async fn create(router: &axum::Router, name: &str) -> String {
    let image = &catalog::image_by_name("pytorch1.8-cuda10.2-cudnn7-ubuntu18.04")
        .expect("image")
        .id;
    let body = serde_json::json!({
        "name": name, "image_id": image, "flavor": "modelarts.vm.cpu.2u",
        "volume": {"category": "EVS", "ownership": "MANAGED", "capacity": 5},
    });
    let (status, _, bytes) = send(
        router,
        "POST",
        &format!("/v1/{PROJECT}/notebooks"),
        body.to_string().into_bytes(),
    )
    .await
    .expect("create answered");
    assert_eq!(
        status,
        200,
        "fixture create: {}",
        String::from_utf8_lossy(&bytes)
    );
    let v: Value = serde_json::from_slice(&bytes).expect("json");
    v["id"].as_str().expect("id").to_string()
}

async fn fresh_fixture() -> Fixture {
    let mut creds = Credentials::default();
    creds.add_token(TOKEN, PROJECT, Some("fuzz"), Some("fuzz"));
    let em = Emulator::builder()
        .credentials(creds)
        .transition_ms(0)
        .journal_capacity(4)
        // The control plane stays out of reach: fuzzed targets under /_emulator get 401.
        .admin_token("not-guessable-admin-token-7f3a9c")
        .build()
        .expect("emulator");
    let router = em.router();
    let stopped = create(&router, "fuzz-stopped").await;
    let running = create(&router, "fuzz-running").await;
    let (status, _, _) = send(
        &router,
        "POST",
        &format!("/v1/{PROJECT}/notebooks/{stopped}/stop"),
        Vec::new(),
    )
    .await
    .expect("stop answered");
    assert_eq!(status, 200);
    Fixture {
        em,
        router,
        stopped,
        running,
        dirty: false,
        created: 0,
    }
}

/// Rebuilds the fixture when the input deleted or moved a fixture notebook, or the store grew. The full check
/// (rendering every notebook) runs only after requests that could have done so.
async fn ensure(f: &mut Option<Fixture>) -> &mut Fixture {
    let ok = f.as_ref().is_some_and(|f| {
        if f.created > MAX_NOTEBOOKS {
            return false;
        }
        if !f.dirty {
            return true;
        }
        let nbs = f.em.notebooks();
        let status = |id: &str| {
            nbs.iter()
                .find(|(_, n)| n.id.as_deref() == Some(id))
                .and_then(|(_, n)| n.status.clone())
        };
        nbs.len() <= MAX_NOTEBOOKS
            && status(&f.stopped) == Some(NotebookStatus::Stopped)
            && status(&f.running) == Some(NotebookStatus::Running)
    });
    if !ok {
        *f = Some(fresh_fixture().await);
    }
    let f = f.as_mut().expect("fixture");
    f.dirty = false;
    f
}

fn check_response(what: &str, status: u16, headers: &http::HeaderMap, body: &[u8]) {
    assert!(
        status < 500,
        "{what}: server error {status}: {}",
        String::from_utf8_lossy(body)
    );
    let rid = headers
        .get("x-request-id")
        .and_then(|v| v.to_str().ok())
        .unwrap_or("");
    assert!(
        rid.len() == 32 && rid.bytes().all(|b| b.is_ascii_hexdigit()),
        "{what}: bad X-Request-Id {rid:?}"
    );
    if status >= 400 {
        let v: Value = serde_json::from_slice(body).unwrap_or_else(|e| {
            panic!(
                "{what}: error body is not JSON ({e}): {}",
                String::from_utf8_lossy(body)
            )
        });
        let code = v["error_code"]
            .as_str()
            .unwrap_or_else(|| panic!("{what}: no error_code in {v}"));
        assert!(!code.is_empty(), "{what}: empty error_code");
        assert!(v["error_msg"].is_string(), "{what}: no error_msg in {v}");
    }
}

fn query_of(payload: &[u8]) -> String {
    // Only what can be a request target; anything else is http's problem, not the emulator's.
    String::from_utf8_lossy(payload)
        .chars()
        .filter(|c| c.is_ascii_graphic() && *c != '#')
        .collect()
}

fuzz_target!(|data: &[u8]| {
    static FIX: OnceLock<Mutex<Option<Fixture>>> = OnceLock::new();
    let Some((&op, payload)) = data.split_first() else {
        return;
    };
    let cell = FIX.get_or_init(|| Mutex::new(None));
    let mut guard = cell.lock().unwrap_or_else(|e| e.into_inner());
    fuzz_support::runtime().block_on(async {
        let f = ensure(&mut guard).await;
        let nb = |id: &str| format!("/v1/{PROJECT}/notebooks/{id}");
        let (what, method, target, body) = match op % 8 {
            0 => ("update(stopped)", "PUT", nb(&f.stopped), payload.to_vec()),
            1 => ("update(running)", "PUT", nb(&f.running), payload.to_vec()),
            2 => (
                "create",
                "POST",
                format!("/v1/{PROJECT}/notebooks"),
                payload.to_vec(),
            ),
            3 => (
                "list",
                "GET",
                format!("/v1/{PROJECT}/notebooks?{}", query_of(payload)),
                Vec::new(),
            ),
            4 => (
                "start",
                "POST",
                format!("{}/start?{}", nb(&f.stopped), query_of(payload)),
                Vec::new(),
            ),
            5 => (
                "lease",
                "PATCH",
                format!("{}/lease", nb(&f.running)),
                payload.to_vec(),
            ),
            6 => (
                "images",
                "GET",
                format!("/v1/{PROJECT}/images?{}", query_of(payload)),
                Vec::new(),
            ),
            _ => {
                let (m, rest) = payload.split_first().unwrap_or((&0, &[]));
                let method = ["GET", "POST", "PUT", "DELETE", "PATCH"][usize::from(*m) % 5];
                ("raw", method, query_of(rest), Vec::new())
            }
        };
        let Some((status, headers, resp)) = send(&f.router, method, &target, body).await else {
            return;
        };
        check_response(what, status, &headers, &resp);
        match (op % 8, status) {
            (2, 200) => f.created += 1,
            // Put the fixture back: the next input expects a STOPPED notebook again.
            (4, 200) => {
                let (s, h, b) = send(
                    &f.router,
                    "POST",
                    &format!("{}/stop", nb(&f.stopped)),
                    Vec::new(),
                )
                .await
                .expect("stop answered");
                check_response("stop after start", s, &h, &b);
                f.dirty = s != 200;
            }
            (7, _) if method != "GET" => f.dirty = true,
            _ => {}
        }
        if status == 200 && method == "PUT" {
            let id = if op % 8 == 0 { &f.stopped } else { &f.running };
            let (s, h, b) = send(&f.router, "GET", &nb(id), Vec::new())
                .await
                .expect("show answered");
            check_response("show after update", s, &h, &b);
            assert_eq!(s, 200, "an accepted update made the notebook unreadable");
        }
    });
});
