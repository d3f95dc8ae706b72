//! Emulator over real TCP: control plane, connection-drop and delay faults, state file across restarts,
//! admin token, and the `modelarts-emulator` binary itself.

#[path = "emulator_support/mod.rs"]
mod support;

use modelarts::emulator::{Emulator, EmulatorHandle};
use serde_json::{json, Value};
use std::time::{Duration, Instant};
use support::Caller;

async fn send(
    h: &EmulatorHandle,
    method: &str,
    path: &str,
    body: Option<&str>,
) -> Result<(u16, Value), reqwest::Error> {
    let body = body.unwrap_or("").as_bytes().to_vec();
    let host = h.addr.to_string();
    let s = support::sign(&Caller::demo(), &host, method, path, &[], &body, h.now_ms());
    let mut req =
        reqwest::Client::new().request(method.parse().unwrap(), format!("{}{}", h.base_url, s.uri));
    for (k, v) in &s.headers {
        if !k.eq_ignore_ascii_case("host") {
            req = req.header(k, v);
        }
    }
    let resp = req.body(body).send().await?;
    let status = resp.status().as_u16();
    let v = resp.json::<Value>().await.unwrap_or(Value::Null);
    Ok((status, v))
}

async fn control(
    h: &EmulatorHandle,
    method: &str,
    path: &str,
    body: Option<Value>,
) -> (u16, Value) {
    let mut req = reqwest::Client::new().request(
        method.parse().unwrap(),
        format!("{}/_emulator/{path}", h.base_url),
    );
    if let Some(b) = body {
        req = req.json(&b);
    }
    let resp = req.send().await.unwrap();
    (
        resp.status().as_u16(),
        resp.json().await.unwrap_or(Value::Null),
    )
}

fn create_body(name: &str) -> String {
    json!({"name": name, "image_id": support::image_id("conda3-ubuntu18.04"),
           "volume": {"category": "EVS", "ownership": "MANAGED"}})
    .to_string()
}

#[tokio::test]
async fn control_plane_contract() {
    let h = Emulator::builder().transition_ms(0).start().await.unwrap();
    let (st, nb) = send(&h, "POST", "/notebooks", Some(&create_body("cp")))
        .await
        .unwrap();
    assert_eq!(st, 200);
    let id = nb["id"].as_str().unwrap().to_string();

    let (st, reqs) = control(&h, "GET", "requests", None).await;
    assert_eq!(st, 200);
    let e = &reqs.as_array().unwrap()[0];
    assert_eq!(
        (
            e["seq"].as_u64(),
            e["method"].as_str(),
            e["status"].as_u64()
        ),
        (Some(1), Some("POST"), Some(200))
    );
    assert_eq!(
        e["path"],
        format!("/v1/{}/notebooks", support::Caller::demo().project)
    );
    assert_eq!(e["body"]["name"], "cp");
    assert!(e["error_code"].is_null() && e["request_id"].as_str().unwrap().len() == 32);
    assert_eq!(
        e["headers"]["authorization"]
            .as_str()
            .unwrap()
            .rsplit("Signature=")
            .next(),
        Some("<redacted>")
    );
    let (_, since) = control(&h, "GET", "requests?since=1", None).await;
    assert!(since.as_array().unwrap().is_empty());
    control(&h, "DELETE", "requests", None).await;
    assert!(control(&h, "GET", "requests", None)
        .await
        .1
        .as_array()
        .unwrap()
        .is_empty());

    let (st, s) = control(
        &h,
        "PUT",
        "settings",
        Some(json!({"update_policy": "hot", "transition_ms": 5})),
    )
    .await;
    assert_eq!(
        (st, s["update_policy"].as_str(), s["transition_ms"].as_u64()),
        (200, Some("hot"), Some(5))
    );
    assert_eq!(control(&h, "GET", "settings", None).await.1, s);
    assert_eq!(
        control(&h, "PUT", "settings", Some(json!({"update_policy": "lax"})))
            .await
            .0,
        400
    );
    assert_eq!(
        control(&h, "PUT", "settings", Some(json!({"nonsense": 1})))
            .await
            .0,
        400
    );

    let (st, forced) = control(
        &h,
        "POST",
        &format!("notebooks/{id}/status"),
        Some(json!({"status": "ERROR", "fail_reason": "disk"})),
    )
    .await;
    assert_eq!(
        (
            st,
            forced["status"].as_str(),
            forced["fail_reason"].as_str()
        ),
        (200, Some("ERROR"), Some("disk"))
    );
    let (_, shown) = send(&h, "GET", &format!("/notebooks/{id}"), None)
        .await
        .unwrap();
    assert_eq!(shown["status"], "ERROR");
    let (_, next) = control(
        &h,
        "POST",
        &format!("notebooks/{id}/status"),
        Some(json!({"status": "DELETING", "next_status": "GONE", "after_ms": 0})),
    )
    .await;
    assert_eq!(next["status"], "DELETING");
    assert_eq!(
        send(&h, "GET", &format!("/notebooks/{id}"), None)
            .await
            .unwrap()
            .1["error_code"],
        "ModelArts.6309"
    );
    assert_eq!(
        control(
            &h,
            "POST",
            "notebooks/nope/status",
            Some(json!({"status": "ERROR"}))
        )
        .await
        .0,
        404
    );
    assert_eq!(
        control(
            &h,
            "POST",
            &format!("notebooks/{id}/status"),
            Some(json!({"status": "SLEEPY"}))
        )
        .await
        .0,
        400
    );

    send(&h, "POST", "/notebooks", Some(&create_body("listed")))
        .await
        .unwrap();
    let (_, all) = control(&h, "GET", "notebooks", None).await;
    assert_eq!(all[0]["project_id"], support::Caller::demo().project);
    assert_eq!(all[0]["notebook"]["name"], "listed");
    let (_, faults) = control(
        &h,
        "POST",
        "faults",
        Some(json!([{"action": "delay", "delay_ms": 1}, {"action": "error"}])),
    )
    .await;
    assert_eq!(faults.as_array().unwrap().len(), 2);
    assert_eq!(
        control(&h, "GET", "faults", None)
            .await
            .1
            .as_array()
            .unwrap()
            .len(),
        2
    );
    assert_eq!(
        control(&h, "POST", "faults", Some(json!({"action": "explode"})))
            .await
            .0,
        400
    );
    assert_eq!(control(&h, "POST", "reset", None).await.0, 200);
    assert!(control(&h, "GET", "notebooks", None)
        .await
        .1
        .as_array()
        .unwrap()
        .is_empty());
    assert!(control(&h, "GET", "faults", None)
        .await
        .1
        .as_array()
        .unwrap()
        .is_empty());
    assert!(control(&h, "GET", "requests", None)
        .await
        .1
        .as_array()
        .unwrap()
        .is_empty());
    h.shutdown().await;
}

#[tokio::test]
async fn connection_faults() {
    let h = Emulator::builder().transition_ms(0).start().await.unwrap();
    let add = |spec: Value| h.add_fault(serde_json::from_value(spec).unwrap()).unwrap();

    add(json!({"method": "POST", "path": "/v1/*/notebooks", "action": "drop_before"}));
    assert!(send(&h, "POST", "/notebooks", Some(&create_body("lost")))
        .await
        .is_err());
    assert!(
        h.notebooks().is_empty(),
        "dropped before processing: nothing created"
    );

    add(json!({"method": "POST", "path_regex": "/notebooks$", "action": "drop_after"}));
    assert!(send(&h, "POST", "/notebooks", Some(&create_body("ghost")))
        .await
        .is_err());
    let nbs = h.notebooks();
    assert_eq!(
        nbs.len(),
        1,
        "dropped after processing: the notebook exists"
    );
    assert_eq!(nbs[0].1.name.as_deref(), Some("ghost"));
    let j = h.journal();
    assert_eq!(
        j.iter().map(|e| e.status).collect::<Vec<_>>(),
        vec![0, 0],
        "dropped responses journal status 0"
    );

    add(json!({"path": "/v1/**", "action": "delay", "delay_ms": 300}));
    let t = Instant::now();
    assert_eq!(send(&h, "GET", "/notebooks", None).await.unwrap().0, 200);
    assert!(t.elapsed() >= Duration::from_millis(300));
    let t = Instant::now();
    send(&h, "GET", "/notebooks", None).await.unwrap();
    assert!(
        t.elapsed() < Duration::from_millis(300),
        "the delay applied once"
    );
    h.shutdown().await;
}

#[tokio::test]
async fn state_file_survives_restart() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("state.json");
    let h = Emulator::builder()
        .transition_ms(0)
        .state_file(&path)
        .start()
        .await
        .unwrap();
    let (_, nb) = send(&h, "POST", "/notebooks", Some(&create_body("persisted")))
        .await
        .unwrap();
    let id = nb["id"].as_str().unwrap().to_string();
    send(&h, "GET", &format!("/notebooks/{id}"), None)
        .await
        .unwrap();
    send(&h, "POST", &format!("/notebooks/{id}/stop"), None)
        .await
        .unwrap();
    h.shutdown().await;
    let on_disk: Value = serde_json::from_slice(&std::fs::read(&path).unwrap()).unwrap();
    assert_eq!(on_disk["notebooks"][0]["id"], id.as_str());
    let leftovers: Vec<_> = std::fs::read_dir(dir.path())
        .unwrap()
        .map(|e| e.unwrap().file_name())
        .collect();
    assert_eq!(leftovers.len(), 1, "no temporary files left: {leftovers:?}");

    let h = Emulator::builder()
        .transition_ms(0)
        .state_file(&path)
        .start()
        .await
        .unwrap();
    let (st, again) = send(&h, "GET", &format!("/notebooks/{id}"), None)
        .await
        .unwrap();
    assert_eq!(
        (st, again["name"].as_str(), again["status"].as_str()),
        (200, Some("persisted"), Some("STOPPED"))
    );
    assert_eq!(again["token"], nb["token"]);
    send(&h, "DELETE", &format!("/notebooks/{id}"), None)
        .await
        .unwrap();
    h.shutdown().await;

    std::fs::write(&path, b"{not json").unwrap();
    assert!(
        Emulator::builder().state_file(&path).build().is_err(),
        "a corrupt state file is an error, not a reset"
    );
}

#[tokio::test]
async fn admin_token_guards_the_control_plane() {
    let h = Emulator::builder()
        .admin_token("s3cret")
        .start()
        .await
        .unwrap();
    let url = format!("{}/_emulator/settings", h.base_url);
    let c = reqwest::Client::new();
    assert_eq!(c.get(&url).send().await.unwrap().status().as_u16(), 401);
    assert_eq!(
        c.get(&url)
            .header("X-Emulator-Admin-Token", "wrong")
            .send()
            .await
            .unwrap()
            .status()
            .as_u16(),
        401
    );
    assert_eq!(
        c.get(&url)
            .header("X-Emulator-Admin-Token", "s3cret")
            .send()
            .await
            .unwrap()
            .status()
            .as_u16(),
        200
    );
    h.shutdown().await;

    // Without a token, a non-loopback emulator has no control plane at all.
    let api = support::Api::new(
        Emulator::builder()
            .listen("0.0.0.0:0".parse().unwrap())
            .build()
            .unwrap(),
    );
    let r = api
        .raw(
            http::Request::get("/_emulator/settings")
                .body(axum::body::Body::empty())
                .unwrap(),
        )
        .await;
    assert_eq!((r.status, r.code()), (404, "APIGW.0101"));
}

#[tokio::test]
async fn binary_prints_url_and_stops_on_sigterm() {
    use tokio::io::AsyncBufReadExt;
    let mut child = tokio::process::Command::new(env!("CARGO_BIN_EXE_modelarts-emulator"))
        .args(["--transition-ms", "0", "--update-policy", "hot"])
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::null())
        .kill_on_drop(true)
        .spawn()
        .unwrap();
    let mut lines = tokio::io::BufReader::new(child.stdout.take().unwrap()).lines();
    let url = lines.next_line().await.unwrap().unwrap();
    assert!(url.starts_with("http://127.0.0.1:"), "{url}");
    let s: Value = reqwest::get(format!("{url}/_emulator/settings"))
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(s["update_policy"], "hot");
    let r = reqwest::get(format!(
        "{url}/v1/{}/notebooks",
        support::Caller::demo().project
    ))
    .await
    .unwrap();
    assert_eq!(r.status().as_u16(), 401);
    let pid = child.id().unwrap().to_string();
    let killed = tokio::process::Command::new("kill")
        .args(["-TERM", &pid])
        .status()
        .await
        .unwrap();
    assert!(killed.success());
    let status = tokio::time::timeout(Duration::from_secs(10), child.wait())
        .await
        .unwrap()
        .unwrap();
    assert!(status.success(), "graceful exit on SIGTERM: {status:?}");

    let bad = tokio::process::Command::new(env!("CARGO_BIN_EXE_modelarts-emulator"))
        .arg("--update-policy=sometimes")
        .output()
        .await
        .unwrap();
    assert!(!bad.status.success());
}
