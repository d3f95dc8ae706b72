//! The API-gateway layer: request ids, body capture, injected faults, authentication, journal.

use crate::api::signing::ReceivedRequest;
use crate::emulator::errors::{codes, ApiError};
use crate::emulator::faults::FaultAction;
use crate::emulator::handlers::Shared;
use crate::emulator::journal::RawEntry;
use axum::body::{Body, Bytes};
use axum::extract::{Request, State};
use axum::http::{HeaderValue, StatusCode};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use percent_encoding::percent_decode_str;

/// Largest request body accepted (notebook bodies are a few KB).
pub const MAX_BODY: usize = 4 * 1024 * 1024;
pub const REQUEST_ID_HEADER: &str = "x-request-id";

/// The exact request body, for signature verification.
#[derive(Debug, Clone)]
pub struct RawBody(pub Bytes);

/// Response marker: the connection is closed without sending this response.
#[derive(Debug, Clone, Copy)]
pub struct DropConnection;

pub fn new_request_id() -> String {
    format!("{:032x}", rand::random::<u128>())
}

/// Outermost layer for every request.
pub async fn gateway(State(s): State<Shared>, req: Request, next: Next) -> Response {
    let request_id = new_request_id();
    if req.uri().path().starts_with("/_emulator") {
        let mut r = next.run(req).await;
        finish(&mut r, &request_id);
        return r;
    }
    let (parts, body) = req.into_parts();
    let (bytes, body_error) = match axum::body::to_bytes(body, MAX_BODY).await {
        Ok(b) => (b, None),
        Err(e) => (Bytes::new(), Some(codes::bad_payload(&format!("({e})")))),
    };
    let method = parts.method.as_str().to_string();
    let path = parts.uri.path().to_string();
    let fault = s.faults.take(&method, &path);
    if let Some(f) = &fault {
        if f.delay_ms > 0 {
            tokio::time::sleep(std::time::Duration::from_millis(f.delay_ms)).await;
        }
    }
    let headers = parts.headers.clone();
    let query = parts.uri.query().unwrap_or("").to_string();
    let mut response = match fault.as_ref().map(|f| f.action) {
        _ if body_error.is_some() => body_error
            .clone()
            .map(IntoResponse::into_response)
            .unwrap_or_default(),
        Some(FaultAction::Error) => {
            let f = fault
                .as_ref()
                .map(|f| (f.status, f.error_code.clone(), f.error_msg.clone()));
            let (status, code, msg) = f.unwrap_or((500, "ModelArts.6102".into(), String::new()));
            let status = StatusCode::from_u16(status).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
            ApiError::new(status, &code, msg).into_response()
        }
        Some(FaultAction::DropBefore) => {
            let mut r = StatusCode::OK.into_response();
            r.extensions_mut().insert(DropConnection);
            r
        }
        _ => {
            let mut req = Request::from_parts(parts, Body::from(bytes.clone()));
            req.extensions_mut().insert(RawBody(bytes.clone()));
            next.run(req).await
        }
    };
    if matches!(
        fault.as_ref().map(|f| f.action),
        Some(FaultAction::DropAfter)
    ) {
        response.extensions_mut().insert(DropConnection);
    }
    let err = response.extensions().get::<ApiError>().cloned();
    if let Some(e) = err.as_ref().filter(|e| e.gateway) {
        *response.body_mut() = Body::from(e.body(Some(&request_id)));
    }
    finish(&mut response, &request_id);
    let dropped = response.extensions().get::<DropConnection>().is_some();
    s.journal.record(RawEntry {
        time_ms: s.now(),
        request_id,
        method,
        path,
        query,
        headers,
        body: bytes,
        status: if dropped {
            0
        } else {
            response.status().as_u16()
        },
        error_code: err.map(|e| e.code),
        fault: fault.map(|f| {
            format!(
                "{}#{}",
                serde_json::to_value(f.action)
                    .ok()
                    .and_then(|v| v.as_str().map(str::to_string))
                    .unwrap_or_default(),
                f.id
            )
        }),
    });
    response
}

fn finish(r: &mut Response, request_id: &str) {
    if let Ok(v) = HeaderValue::from_str(request_id) {
        r.headers_mut().insert(REQUEST_ID_HEADER, v);
    }
}

/// Route layer of the API routes: authenticate, then check the path's project against the caller's.
pub async fn authenticate(State(s): State<Shared>, mut req: Request, next: Next) -> Response {
    let body = req
        .extensions()
        .get::<RawBody>()
        .map(|b| b.0.clone())
        .unwrap_or_default();
    let settings = s.settings();
    let received = ReceivedRequest {
        method: req.method().as_str(),
        raw_path: req.uri().path(),
        raw_query: req.uri().query(),
        headers: req.headers(),
        body: &body,
    };
    let max_skew = settings.clock_check.then_some(settings.clock_skew_ms);
    let who = match s.credentials.authenticate(&received, s.now(), max_skew) {
        Ok(w) => w,
        Err(e) => return e.into_response(),
    };
    let project = req
        .uri()
        .path()
        .strip_prefix("/v1/")
        .and_then(|r| r.split('/').next())
        .map(|p| percent_decode_str(p).decode_utf8_lossy().into_owned());
    if project.as_deref() != Some(who.project_id.as_str()) {
        return codes::project_mismatch().into_response();
    }
    req.extensions_mut().insert(who);
    next.run(req).await
}

/// Unknown route or method: the gateway's 404.
pub async fn not_found() -> Response {
    codes::unknown_route().into_response()
}
