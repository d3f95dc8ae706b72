//! The test control plane under `/_emulator/...` (shapes documented in docs/emulator.md; a stable contract).

use crate::api::NotebookStatus;
use crate::emulator::faults::FaultSpec;
use crate::emulator::handlers::{json, Shared};
use crate::emulator::settings::SettingsPatch;
use crate::emulator::view;
use axum::body::Bytes;
use axum::extract::{Path, Query, Request, State};
use axum::http::{HeaderMap, StatusCode};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum::Router;
use serde::Deserialize;
use serde_json::{json, Value};

pub const ADMIN_TOKEN_HEADER: &str = "x-emulator-admin-token";

fn control_error(status: StatusCode, msg: impl Into<String>) -> Response {
    (
        status,
        axum::Json(json!({"error_code": "EMULATOR.0400", "error_msg": msg.into()})),
    )
        .into_response()
}

/// Parse a control body (empty means `{}`); the error is already the response to send.
fn parse<T: serde::de::DeserializeOwned>(body: &[u8]) -> Result<T, Box<Response>> {
    let body: &[u8] = if body.iter().all(u8::is_ascii_whitespace) {
        b"{}"
    } else {
        body
    };
    serde_json::from_slice(body).map_err(|e| {
        Box::new(control_error(
            StatusCode::BAD_REQUEST,
            format!("invalid body: {e}"),
        ))
    })
}

pub fn routes() -> Router<Shared> {
    Router::new()
        .route(
            "/_emulator/health",
            get(|| async { json(&json!({"status": "ok"})) }),
        )
        .route("/_emulator/reset", post(reset))
        .route("/_emulator/requests", get(requests).delete(clear_requests))
        .route(
            "/_emulator/faults",
            post(add_faults).get(list_faults).delete(clear_faults),
        )
        .route("/_emulator/notebooks", get(notebooks))
        .route("/_emulator/notebooks/{id}/status", post(force_status))
        .route("/_emulator/settings", get(get_settings).put(put_settings))
}

/// Middleware requiring `X-Emulator-Admin-Token` when an admin token is configured.
pub async fn require_token(
    State(token): State<std::sync::Arc<String>>,
    headers: HeaderMap,
    req: Request,
    next: Next,
) -> Response {
    let given = headers
        .get(ADMIN_TOKEN_HEADER)
        .map(|v| v.as_bytes())
        .unwrap_or_default();
    let expected = token.as_bytes();
    let ok = given.len() == expected.len()
        && given
            .iter()
            .zip(expected)
            .fold(0u8, |a, (x, y)| a | (x ^ y))
            == 0;
    if !ok {
        return control_error(
            StatusCode::UNAUTHORIZED,
            "missing or wrong X-Emulator-Admin-Token",
        );
    }
    next.run(req).await
}

async fn reset(State(s): State<Shared>) -> Response {
    s.reset();
    json(&json!({}))
}

#[derive(Deserialize)]
struct Since {
    since: Option<u64>,
}

async fn requests(State(s): State<Shared>, Query(q): Query<Since>) -> Response {
    let since = q.since.unwrap_or(0);
    let entries: Vec<_> = s
        .journal
        .entries()
        .into_iter()
        .filter(|e| e.seq > since)
        .collect();
    json(&entries)
}

async fn clear_requests(State(s): State<Shared>) -> Response {
    s.journal.clear();
    json(&json!({}))
}

async fn add_faults(State(s): State<Shared>, body: Bytes) -> Response {
    // One fault object, or a list of them.
    let specs: Vec<FaultSpec> = match parse::<Value>(&body) {
        Ok(Value::Array(a)) => match a
            .into_iter()
            .map(serde_json::from_value)
            .collect::<Result<Vec<_>, _>>()
        {
            Ok(v) => v,
            Err(e) => return control_error(StatusCode::BAD_REQUEST, format!("invalid fault: {e}")),
        },
        Ok(v) => match serde_json::from_value(v) {
            Ok(f) => vec![f],
            Err(e) => return control_error(StatusCode::BAD_REQUEST, format!("invalid fault: {e}")),
        },
        Err(r) => return *r,
    };
    let mut added = Vec::new();
    for spec in specs {
        match s.faults.add(spec) {
            Ok(f) => added.push(f),
            Err(e) => return control_error(StatusCode::BAD_REQUEST, e.to_string()),
        }
    }
    json(&added)
}

async fn list_faults(State(s): State<Shared>) -> Response {
    json(&s.faults.list())
}

async fn clear_faults(State(s): State<Shared>) -> Response {
    s.faults.clear();
    json(&json!({}))
}

async fn notebooks(State(s): State<Shared>) -> Response {
    let list = s.all_notebooks(|store, now| {
        let mut all: Vec<_> = store.notebooks.values().collect();
        all.sort_by(|a, b| a.create_at.cmp(&b.create_at).then_with(|| a.id.cmp(&b.id)));
        all.into_iter()
            .map(|nb| json!({"project_id": nb.project_id, "notebook": view::notebook(nb, now)}))
            .collect::<Vec<_>>()
    });
    json(&list)
}

/// Body of `POST /_emulator/notebooks/{id}/status`.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct ForceStatus {
    status: String,
    #[serde(default)]
    fail_reason: Option<String>,
    /// Optional later move: a status, or `GONE` to make the notebook disappear.
    #[serde(default)]
    next_status: Option<String>,
    #[serde(default)]
    after_ms: Option<i64>,
}

fn known_status(s: &str) -> Option<NotebookStatus> {
    match NotebookStatus::parse(s) {
        NotebookStatus::Other(_) => None,
        k => Some(k),
    }
}

async fn force_status(State(s): State<Shared>, Path(id): Path<String>, body: Bytes) -> Response {
    let req: ForceStatus = match parse(&body) {
        Ok(r) => r,
        Err(r) => return *r,
    };
    let Some(status) = known_status(&req.status) else {
        return control_error(
            StatusCode::BAD_REQUEST,
            format!("unknown status {:?}", req.status),
        );
    };
    let next = match req.next_status.as_deref() {
        None => None,
        Some("GONE") => Some((None, req.after_ms.unwrap_or(0))),
        Some(n) => match known_status(n) {
            Some(k) => Some((Some(k), req.after_ms.unwrap_or(0))),
            None => {
                return control_error(
                    StatusCode::BAD_REQUEST,
                    format!("unknown next_status {n:?}"),
                )
            }
        },
    };
    match s.force_status(&id, status, req.fail_reason, next) {
        Ok(nb) => json(&view::notebook(&nb, s.now())),
        Err(e) => control_error(StatusCode::NOT_FOUND, e.msg),
    }
}

async fn get_settings(State(s): State<Shared>) -> Response {
    json(&s.settings())
}

async fn put_settings(State(s): State<Shared>, body: Bytes) -> Response {
    let patch: SettingsPatch = match parse(&body) {
        Ok(p) => p,
        Err(r) => return *r,
    };
    json(&s.update_settings(&patch))
}
