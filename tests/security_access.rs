//! Emulator access control as an attacker meets it: forged or altered signatures, replays outside the clock
//! window, unknown or incomplete credentials, and reaching across projects. Every refusal must carry the real
//! gateway/ModelArts code, change nothing, and leak neither secrets nor another project's data.

use axum::body::Body;
use axum::Router;
use modelarts::api::signing::{Signer, SigningInput};
use modelarts::emulator::{catalog, demo, Emulator};
use serde_json::{json, Value};
use tower::ServiceExt;

const HOST: &str = "127.0.0.1:18080";
const PROJECT_B: &str = "fedcba9876543210fedcba9876543210";
const AK_B: &str = "PROJECTBACCESSKEY001";
const SK_B: &str = "projectBSecretKey00000000000000000000002";
mod common;
use common::{IAM_TOKEN, STS_AK, STS_SK, STS_TOKEN};

/// Every secret the emulator knows: none may appear in any response.
const SECRETS: &[&str] = &[demo::SECRET_KEY, SK_B, STS_SK, STS_TOKEN, IAM_TOKEN];

#[derive(Clone)]
struct Caller {
    ak: &'static str,
    sk: &'static str,
    project: &'static str,
    token: Option<&'static str>,
}

const A: Caller = Caller {
    ak: demo::ACCESS_KEY,
    sk: demo::SECRET_KEY,
    project: demo::PROJECT_ID,
    token: None,
};
const B: Caller = Caller {
    ak: AK_B,
    sk: SK_B,
    project: PROJECT_B,
    token: None,
};

struct Resp {
    status: u16,
    body: Value,
    text: String,
}

impl Resp {
    fn code(&self) -> &str {
        self.body["error_code"].as_str().unwrap_or("")
    }

    /// The refusal is exactly `status`/`code`, in the documented error shape, and carries no secret.
    fn assert_refused(&self, status: u16, code: &str, what: &str) {
        assert_eq!(
            (self.status, self.code()),
            (status, code),
            "{what}: {}",
            self.text
        );
        assert!(self.body["error_msg"].is_string(), "{what}: {}", self.text);
        assert!(
            self.body.get("id").is_none() && self.body.get("data").is_none(),
            "{what}: a refusal must not carry data: {}",
            self.text
        );
        self.assert_no_secret(what);
    }

    fn assert_no_secret(&self, what: &str) {
        for s in SECRETS {
            assert!(!self.text.contains(s), "{what}: response leaks a secret");
        }
    }
}

/// One way of changing a signed request after signing.
type Tamper = Box<dyn FnOnce(&mut Wire)>;

struct World {
    em: Emulator,
    router: Router,
}

impl World {
    fn new() -> World {
        let mut creds = common::credentials();
        creds.add_key(AK_B, SK_B, None, PROJECT_B, Some("bob"), Some("other"));
        let em = Emulator::builder()
            .credentials(creds)
            .transition_ms(0)
            .build()
            .unwrap();
        let router = em.router();
        World { em, router }
    }

    /// Signs `method path?query body` as `c` at `date_ms`, lets `tamper` change the signed request, sends it.
    // Every argument is one part of the request a case varies; a builder would only hide that at the call sites.
    #[allow(clippy::too_many_arguments)]
    async fn send_tampered(
        &self,
        c: &Caller,
        method: &str,
        path: &str,
        query: &[(&str, &str)],
        body: &str,
        date_ms: i64,
        tamper: impl FnOnce(&mut Wire),
    ) -> Resp {
        let q: Vec<(String, String)> = query
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect();
        let headers = vec![(
            "Content-Type".to_string(),
            "application/json;charset=utf-8".to_string(),
        )];
        let signer = Signer::new(c.ak, c.sk)
            .with_project_id(Some(c.project.to_string()))
            .with_security_token(c.token.map(str::to_string));
        let now = time::OffsetDateTime::from_unix_timestamp_nanos(i128::from(date_ms) * 1_000_000)
            .unwrap();
        let s = signer.sign(
            &SigningInput {
                method,
                host: HOST,
                path,
                query: &q,
                headers: &headers,
                body: body.as_bytes(),
                query_order: Default::default(),
            },
            now,
        );
        let mut wire = Wire {
            method: method.to_string(),
            uri: s.uri,
            headers: s.headers,
            body: body.to_string(),
        };
        tamper(&mut wire);
        self.send(wire).await
    }

    async fn send(&self, w: Wire) -> Resp {
        let mut b = http::Request::builder()
            .method(w.method.as_str())
            .uri(&w.uri);
        for (k, v) in &w.headers {
            b = b.header(k, v);
        }
        let resp = self
            .router
            .clone()
            .oneshot(b.body(Body::from(w.body)).unwrap())
            .await
            .unwrap();
        let status = resp.status().as_u16();
        let rid = resp
            .headers()
            .get("x-request-id")
            .map(|v| v.to_str().unwrap().to_string())
            .unwrap_or_default();
        assert_eq!(rid.len(), 32, "every answer carries X-Request-Id");
        let bytes = axum::body::to_bytes(resp.into_body(), usize::MAX)
            .await
            .unwrap();
        let text = String::from_utf8_lossy(&bytes).to_string();
        Resp {
            status,
            body: serde_json::from_str(&text).unwrap_or(Value::Null),
            text,
        }
    }

    async fn call(&self, c: &Caller, method: &str, path: &str, body: &str) -> Resp {
        self.send_tampered(c, method, path, &[], body, self.em.now_ms(), |_| {})
            .await
    }

    async fn create(&self, c: &Caller, name: &str) -> String {
        let body = json!({
            "name": name,
            "image_id": catalog::image_by_name("pytorch1.8-cuda10.2-cudnn7-ubuntu18.04").unwrap().id,
            "flavor": "modelarts.vm.cpu.2u",
            "volume": {"category": "EVS", "ownership": "MANAGED", "capacity": 5},
        });
        let r = self
            .call(
                c,
                "POST",
                &format!("/v1/{}/notebooks", c.project),
                &body.to_string(),
            )
            .await;
        assert_eq!(r.status, 200, "{}", r.text);
        r.body["id"].as_str().unwrap().to_string()
    }

    fn notebook(&self, id: &str) -> Value {
        let (_, nb) = self
            .em
            .notebooks()
            .into_iter()
            .find(|(_, n)| n.id.as_deref() == Some(id))
            .expect("notebook exists");
        serde_json::to_value(nb).unwrap()
    }
}

/// A signed request on its way to the server, for tampering.
struct Wire {
    method: String,
    uri: String,
    headers: Vec<(String, String)>,
    body: String,
}

impl Wire {
    fn header_mut(&mut self, name: &str) -> &mut String {
        &mut self
            .headers
            .iter_mut()
            .find(|(n, _)| n.eq_ignore_ascii_case(name))
            .unwrap_or_else(|| panic!("no {name} header"))
            .1
    }

    fn remove_header(&mut self, name: &str) {
        self.headers.retain(|(n, _)| !n.eq_ignore_ascii_case(name));
    }
}

fn path(c: &Caller, tail: &str) -> String {
    format!("/v1/{}/notebooks{tail}", c.project)
}

#[tokio::test]
async fn forged_or_altered_requests_are_refused_with_apigw_0301_and_change_nothing() {
    let w = World::new();
    let id = w.create(&A, "victim").await;
    let before = w.notebook(&id);
    let now = w.em.now_ms();
    let put = path(&A, &format!("/{id}"));
    let rename = r#"{"name":"renamed"}"#;
    w.call(&A, "POST", &path(&A, &format!("/{id}/stop")), "")
        .await;
    let before_stopped = w.notebook(&id);
    assert_eq!(before["name"], before_stopped["name"]);

    let cases: Vec<(&str, Tamper)> = vec![
        (
            "one signature digit changed",
            Box::new(|w: &mut Wire| {
                let auth = w.header_mut("Authorization");
                let last = auth.pop().unwrap();
                auth.push(if last == '0' { '1' } else { '0' });
            }),
        ),
        (
            "signature removed",
            Box::new(|w: &mut Wire| {
                let auth = w.header_mut("Authorization");
                *auth = auth.split(", Signature=").next().unwrap().to_string();
            }),
        ),
        (
            "body altered after signing",
            Box::new(|w: &mut Wire| w.body = r#"{"name":"hijacked"}"#.into()),
        ),
        (
            "body extended after signing",
            Box::new(|w: &mut Wire| w.body = r#"{"name":"renamed","description":"x"}"#.into()),
        ),
        (
            "method changed (PUT signed, DELETE sent)",
            Box::new(|w: &mut Wire| w.method = "DELETE".into()),
        ),
        (
            "signed header value changed",
            Box::new(|w: &mut Wire| {
                *w.header_mut("Content-Type") = "text/plain".into();
            }),
        ),
        (
            "X-Sdk-Date removed",
            Box::new(|w: &mut Wire| w.remove_header("X-Sdk-Date")),
        ),
        (
            "X-Sdk-Date moved by one second",
            Box::new(|w: &mut Wire| {
                let d = w.header_mut("X-Sdk-Date");
                let t = modelarts::api::signing::parse_sdk_date(d).unwrap();
                *d = modelarts::api::signing::format_sdk_date(t + time::Duration::seconds(1));
            }),
        ),
        (
            "access key swapped for another known key",
            Box::new(|w: &mut Wire| {
                let auth = w.header_mut("Authorization");
                *auth = auth.replace(demo::ACCESS_KEY, AK_B);
            }),
        ),
        (
            "unknown access key",
            Box::new(|w: &mut Wire| {
                let auth = w.header_mut("Authorization");
                *auth = auth.replace(demo::ACCESS_KEY, "UNKNOWNACCESSKEY0001");
            }),
        ),
        (
            "unsupported algorithm",
            Box::new(|w: &mut Wire| {
                let auth = w.header_mut("Authorization");
                *auth = auth.replace("SDK-HMAC-SHA256", "SDK-HMAC-MD5");
            }),
        ),
    ];
    let n = cases.len();
    for (what, tamper) in cases {
        let r = w
            .send_tampered(&A, "PUT", &put, &[], rename, now, tamper)
            .await;
        r.assert_refused(401, "APIGW.0301", what);
    }
    // Path and query are signed too.
    let r = w
        .send_tampered(&A, "GET", &path(&A, ""), &[("limit", "10")], "", now, |w| {
            w.uri = w.uri.replace("limit=10", "limit=50")
        })
        .await;
    r.assert_refused(401, "APIGW.0301", "query altered");
    let other = w.create(&A, "other").await;
    let r = w
        .send_tampered(&A, "GET", &put, &[], "", now, |w| {
            w.uri = w.uri.replace(&id, &other)
        })
        .await;
    r.assert_refused(401, "APIGW.0301", "path altered");

    assert_eq!(
        w.notebook(&id),
        before_stopped,
        "a refused request changed the notebook"
    );
    let puts =
        w.em.journal()
            .into_iter()
            .filter(|e| e.method == "PUT" || e.method == "DELETE")
            .filter(|e| e.status != 401)
            .count();
    assert_eq!(puts, 0, "all {n} tampered writes were refused");
    // The signed, untampered request still works: the refusals were about the tampering.
    let r = w
        .send_tampered(&A, "PUT", &put, &[], rename, now, |_| {})
        .await;
    assert_eq!(r.status, 200, "{}", r.text);
    assert_eq!(r.body["name"], "renamed");
}

#[tokio::test]
async fn replay_outside_the_fifteen_minute_window_is_refused() {
    let w = World::new();
    let list = path(&A, "");
    let now = w.em.now_ms();
    let minute = 60_000;
    for (offset, ok) in [
        (-16 * minute, false),
        (16 * minute, false),
        (-24 * 60 * minute, false),
        (-14 * minute, true),
        (14 * minute, true),
        (0, true),
    ] {
        let r = w
            .send_tampered(&A, "GET", &list, &[], "", now + offset, |_| {})
            .await;
        if ok {
            assert_eq!(r.status, 200, "signed {offset} ms away: {}", r.text);
        } else {
            r.assert_refused(401, "APIGW.0301", &format!("signed {offset} ms away"));
        }
    }
    // A captured create replayed after the window does nothing.
    let body = json!({
        "name": "replayed",
        "image_id": catalog::image_by_name("conda3-ubuntu18.04").unwrap().id,
        "volume": {"category": "EVS", "ownership": "MANAGED", "capacity": 5},
    })
    .to_string();
    let r = w
        .send_tampered(&A, "POST", &list, &[], &body, now - 20 * minute, |_| {})
        .await;
    r.assert_refused(401, "APIGW.0301", "replayed create");
    assert!(w.em.notebooks().is_empty(), "the replayed create created");
}

#[tokio::test]
async fn missing_or_incomplete_credentials_are_refused() {
    let w = World::new();
    let list = path(&A, "");
    let now = w.em.now_ms();
    let sts = Caller {
        ak: STS_AK,
        sk: STS_SK,
        project: demo::PROJECT_ID,
        token: Some(STS_TOKEN),
    };
    let r = w
        .send_tampered(&sts, "GET", &list, &[], "", now, |_| {})
        .await;
    assert_eq!(r.status, 200, "temporary AK with its token: {}", r.text);
    let no_token = Caller {
        token: None,
        ..sts.clone()
    };
    let r = w
        .send_tampered(&no_token, "GET", &list, &[], "", now, |_| {})
        .await;
    r.assert_refused(401, "APIGW.0301", "temporary AK without X-Security-Token");
    let wrong = Caller {
        token: Some("sts-security-token-value-WRONG"),
        ..sts.clone()
    };
    let r = w
        .send_tampered(&wrong, "GET", &list, &[], "", now, |_| {})
        .await;
    r.assert_refused(401, "APIGW.0301", "temporary AK with a wrong token");
    // The token is signed: swapping it after signing fails as well.
    let r = w
        .send_tampered(&sts, "GET", &list, &[], "", now, |w| {
            *w.header_mut("X-Security-Token") = "sts-security-token-value-WRONG".into()
        })
        .await;
    r.assert_refused(401, "APIGW.0301", "security token swapped after signing");

    let bare = |headers: Vec<(String, String)>| Wire {
        method: "GET".into(),
        uri: list.clone(),
        headers: [("Host".to_string(), HOST.to_string())]
            .into_iter()
            .chain(headers)
            .collect(),
        body: String::new(),
    };
    let r = w.send(bare(vec![])).await;
    r.assert_refused(401, "APIGW.0301", "no credentials at all");
    assert!(r.text.contains("x-auth-token not found"), "{}", r.text);
    let r = w
        .send(bare(vec![("X-Auth-Token".into(), "MIIunknown".into())]))
        .await;
    r.assert_refused(401, "APIGW.0301", "unknown IAM token");
    let r = w
        .send(bare(vec![("X-Auth-Token".into(), IAM_TOKEN.into())]))
        .await;
    assert_eq!(r.status, 200, "known IAM token: {}", r.text);
    for garbage in [
        "SDK-HMAC-SHA256",
        "SDK-HMAC-SHA256 Access=, SignedHeaders=host, Signature=00",
        "Basic dXNlcjpwYXNz",
        "SDK-HMAC-SHA256 Access=MAEMULATORDEMOAK0001, SignedHeaders=, Signature=ab",
    ] {
        let r = w
            .send(bare(vec![
                ("Authorization".into(), garbage.into()),
                ("X-Sdk-Date".into(), "20300101T000000Z".into()),
            ]))
            .await;
        r.assert_refused(401, "APIGW.0301", garbage);
    }
}

#[tokio::test]
async fn another_projects_id_in_the_path_is_refused_with_0210() {
    let w = World::new();
    let bs = w.create(&B, "bobs-notebook").await;
    let before = w.notebook(&bs);
    // A signs correctly, but names B's project in the path.
    for (method, tail, body) in [
        ("GET", String::new(), ""),
        ("GET", format!("/{bs}"), ""),
        ("PUT", format!("/{bs}"), r#"{"name":"pwned"}"#),
        ("DELETE", format!("/{bs}"), ""),
        ("POST", format!("/{bs}/stop"), ""),
        ("POST", String::new(), r#"{"name":"x"}"#),
    ] {
        let r = w
            .call(
                &A,
                method,
                &format!("/v1/{PROJECT_B}/notebooks{tail}"),
                body,
            )
            .await;
        r.assert_refused(403, "ModelArts.0210", &format!("{method} {tail}"));
        assert!(!r.text.contains("bobs-notebook"), "{}", r.text);
    }
    assert_eq!(w.notebook(&bs), before, "B's notebook was touched");
    assert_eq!(w.em.notebooks().len(), 1);
}

#[tokio::test]
async fn another_projects_notebook_id_is_not_found_and_untouched() {
    let w = World::new();
    let bs = w.create(&B, "bobs-secret-notebook").await;
    let before = w.notebook(&bs);
    let mine = w.create(&A, "alices").await;
    for (method, tail, body) in [
        ("GET", format!("/{bs}"), ""),
        ("PUT", format!("/{bs}"), r#"{"name":"pwned"}"#),
        ("DELETE", format!("/{bs}"), ""),
        ("POST", format!("/{bs}/stop"), ""),
        ("POST", format!("/{bs}/start"), ""),
        ("GET", format!("/{bs}/lease"), ""),
        ("PATCH", format!("/{bs}/lease"), r#"{"duration":3600000}"#),
        ("GET", format!("/{bs}/flavors"), ""),
    ] {
        let r = w.call(&A, method, &path(&A, &tail), body).await;
        r.assert_refused(400, "ModelArts.6309", &format!("{method} {tail}"));
        assert!(
            !r.text.contains("bobs-secret-notebook") && !r.text.contains("bob"),
            "{method} {tail} leaks B's data: {}",
            r.text
        );
    }
    assert_eq!(w.notebook(&bs), before, "B's notebook was touched");
    // Listings show only the caller's own notebooks.
    for list in ["", "/all"] {
        let r = w.call(&A, "GET", &path(&A, list), "").await;
        assert_eq!(r.status, 200, "{}", r.text);
        let ids: Vec<&str> = r.body["data"]
            .as_array()
            .unwrap()
            .iter()
            .map(|n| n["id"].as_str().unwrap())
            .collect();
        assert_eq!(ids, vec![mine.as_str()], "listing {list}");
        assert!(!r.text.contains("bobs-secret-notebook"));
    }
    let r = w
        .send_tampered(
            &A,
            "GET",
            &path(&A, ""),
            &[("name", "bobs")],
            "",
            w.em.now_ms(),
            |_| {},
        )
        .await;
    assert_eq!(
        r.body["total"], 0,
        "a name filter finds B's notebook: {}",
        r.text
    );
}

#[tokio::test]
async fn the_journal_keeps_no_credential() {
    let w = World::new();
    let sts = Caller {
        ak: STS_AK,
        sk: STS_SK,
        project: demo::PROJECT_ID,
        token: Some(STS_TOKEN),
    };
    w.call(&sts, "GET", &path(&A, ""), "").await;
    w.create(&A, "n").await;
    let journal = w.em.journal();
    assert!(journal.len() >= 2);
    let text = serde_json::to_string(&journal).unwrap() + &format!("{journal:?}");
    for s in SECRETS {
        assert!(!text.contains(s), "the journal keeps a secret");
    }
    for e in &journal {
        let auth = e.headers["authorization"].as_str().unwrap_or("");
        assert!(auth.ends_with("Signature=<redacted>"), "{auth}");
    }
}
