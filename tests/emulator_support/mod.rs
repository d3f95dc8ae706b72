//! Shared helpers of the emulator tests: signed requests (api::signing) in-process or over TCP.
#![allow(dead_code)]

use axum::body::Body;
use axum::Router;
use modelarts::api::signing::{Signer, SigningInput};
use modelarts::emulator::{demo, Emulator};
use serde_json::Value;
use tower::ServiceExt;

pub const HOST: &str = "127.0.0.1:18080";

pub struct Resp {
    pub status: u16,
    pub body: Value,
    pub headers: http::HeaderMap,
}

impl Resp {
    pub fn code(&self) -> &str {
        self.body["error_code"].as_str().unwrap_or("")
    }
    pub fn status_str(&self) -> &str {
        self.body["status"].as_str().unwrap_or("")
    }
}

/// Who signs: AK/SK/project (and an optional security token).
#[derive(Clone)]
pub struct Caller {
    pub ak: String,
    pub sk: String,
    pub project: String,
    pub security_token: Option<String>,
}

impl Caller {
    pub fn demo() -> Self {
        Caller {
            ak: demo::ACCESS_KEY.into(),
            sk: demo::SECRET_KEY.into(),
            project: demo::PROJECT_ID.into(),
            security_token: None,
        }
    }
}

pub struct Signed {
    pub uri: String,
    pub headers: Vec<(String, String)>,
}

/// Sign a request; `path` is relative to `/v1/{project}` unless it starts with `/v1`.
pub fn sign(
    c: &Caller,
    host: &str,
    method: &str,
    path: &str,
    query: &[(&str, &str)],
    body: &[u8],
    now_ms: i64,
) -> Signed {
    let full = if path.starts_with("/v1") {
        path.to_string()
    } else {
        format!("/v1/{}{}", c.project, path)
    };
    let q: Vec<(String, String)> = query
        .iter()
        .map(|(k, v)| (k.to_string(), v.to_string()))
        .collect();
    let ct = if body.is_empty() {
        "application/json"
    } else {
        "application/json;charset=utf-8"
    };
    let headers = vec![("Content-Type".to_string(), ct.to_string())];
    let signer = Signer::new(c.ak.clone(), c.sk.clone())
        .with_project_id(Some(c.project.clone()))
        .with_security_token(c.security_token.clone());
    let now =
        time::OffsetDateTime::from_unix_timestamp_nanos(i128::from(now_ms) * 1_000_000).unwrap();
    let s = signer.sign(
        &SigningInput {
            method,
            host,
            path: &full,
            query: &q,
            headers: &headers,
            body,
            query_order: Default::default(),
        },
        now,
    );
    Signed {
        uri: s.uri,
        headers: s.headers,
    }
}

/// Drives an emulator's router in-process (works with tokio's paused clock).
pub struct Api {
    pub em: Emulator,
    router: Router,
    pub caller: Caller,
}

impl Api {
    pub fn new(em: Emulator) -> Self {
        let router = em.router();
        Api {
            em,
            router,
            caller: Caller::demo(),
        }
    }

    pub fn as_caller(&self, caller: Caller) -> Api {
        Api {
            em: self.em.clone(),
            router: self.router.clone(),
            caller,
        }
    }

    pub async fn raw(&self, req: http::Request<Body>) -> Resp {
        let resp = self.router.clone().oneshot(req).await.unwrap();
        let status = resp.status().as_u16();
        let headers = resp.headers().clone();
        let bytes = axum::body::to_bytes(resp.into_body(), usize::MAX)
            .await
            .unwrap();
        let body = serde_json::from_slice(&bytes).unwrap_or(Value::Null);
        Resp {
            status,
            body,
            headers,
        }
    }

    pub async fn call(
        &self,
        method: &str,
        path: &str,
        query: &[(&str, &str)],
        body: Option<&str>,
    ) -> Resp {
        let body = body.unwrap_or("").as_bytes().to_vec();
        let s = sign(
            &self.caller,
            HOST,
            method,
            path,
            query,
            &body,
            self.em.now_ms(),
        );
        let mut b = http::Request::builder().method(method).uri(&s.uri);
        for (k, v) in &s.headers {
            b = b.header(k, v);
        }
        self.raw(b.body(Body::from(body)).unwrap()).await
    }

    pub async fn get(&self, path: &str) -> Resp {
        self.call("GET", path, &[], None).await
    }

    pub async fn create(&self, name: &str, extra: Value) -> Resp {
        let mut body = serde_json::json!({
            "name": name,
            "image_id": image_id("pytorch1.8-cuda10.2-cudnn7-ubuntu18.04"),
            "flavor": "modelarts.vm.cpu.2u",
            "volume": {"category": "EVS", "ownership": "MANAGED", "capacity": 5},
        });
        if let (Some(b), Value::Object(e)) = (body.as_object_mut(), extra) {
            for (k, v) in e {
                b.insert(k, v);
            }
        }
        self.call("POST", "/notebooks", &[], Some(&body.to_string()))
            .await
    }

    pub async fn put(&self, id: &str, body: &str) -> Resp {
        self.call("PUT", &format!("/notebooks/{id}"), &[], Some(body))
            .await
    }

    pub async fn action(&self, id: &str, action: &str) -> Resp {
        self.call("POST", &format!("/notebooks/{id}/{action}"), &[], None)
            .await
    }
}

pub fn image_id(name: &str) -> String {
    modelarts::emulator::catalog::image_by_name(name)
        .unwrap()
        .id
        .clone()
}
