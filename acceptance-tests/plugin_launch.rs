//! The plugin binary driven directly as go-plugin drives it: handshake, mTLS, shutdown, signals, stdout/stderr.

use std::path::Path;
use std::time::Duration;

use crate::plugin::*;

fn handshake_re() -> regex::Regex {
    regex::Regex::new(r"^1\|5\|unix\|/[^|]+/plugin[0-9a-f]{16}\|grpc\|[A-Za-z0-9+/]{51,}$").unwrap()
}

#[tokio::test]
async fn mtls_handshake_get_schema_and_prompt_shutdown() {
    let id = ClientIdentity::terraform_like();
    let mut p = launch(&LaunchOptions {
        identity: Some(&id),
        protocol_versions: "6,5",
        ..Default::default()
    })
    .await
    .unwrap();
    let hs = p.handshake.clone();
    assert!(
        handshake_re().is_match(&hs.raw),
        "handshake line: {}",
        hs.raw
    );
    assert!(!hs.raw.contains('='), "certificate must be unpadded base64");
    assert!(
        Path::new(&hs.address).exists(),
        "socket exists while serving"
    );

    let channel = connect(&hs, Some(&id)).await.unwrap();
    let schema = get_schema(&channel).await.unwrap();
    assert!(
        schema.provider.and_then(|p| p.block).is_some(),
        "provider schema block present"
    );
    assert!(schema.diagnostics.is_empty());

    shutdown(&channel).await.unwrap();
    let (status, waited, rest_of_stdout, _) = p.wait_exit(Duration::from_secs(2)).await.unwrap();
    assert!(status.success(), "{status:?}");
    assert!(
        waited < Duration::from_secs(1),
        "exit took {waited:?} after Shutdown"
    );
    assert_eq!(
        rest_of_stdout, "",
        "stdout must hold only the handshake line"
    );
    assert!(
        !Path::new(&hs.address).exists(),
        "socket file removed on exit"
    );
}

async fn expect_refused(client: Option<&ClientIdentity>) {
    let terraform = ClientIdentity::terraform_like();
    let p = launch(&LaunchOptions {
        identity: Some(&terraform),
        ..Default::default()
    })
    .await
    .unwrap();
    // TLS 1.3 lets the client finish its side first, so the refusal may surface at connect or at the call.
    let refused = match connect(&p.handshake, client).await {
        Err(_) => true,
        Ok(channel) => get_schema(&channel).await.is_err(),
    };
    assert!(
        refused,
        "a client without Terraform's certificate got a schema"
    );
    // The refused client did not take the plugin down: Terraform's certificate still works.
    let channel = connect(&p.handshake, Some(&terraform)).await.unwrap();
    get_schema(&channel)
        .await
        .expect("the real client is served");
}

#[tokio::test]
async fn client_without_certificate_is_refused() {
    expect_refused(None).await;
}

#[tokio::test]
async fn client_with_another_certificate_is_refused() {
    let intruder = ClientIdentity::terraform_like();
    expect_refused(Some(&intruder)).await;
}

#[tokio::test]
async fn plaintext_without_client_certificate() {
    let mut p = launch(&LaunchOptions::default()).await.unwrap();
    assert!(p.handshake.raw.ends_with("|grpc|"), "{}", p.handshake.raw);
    assert!(p.handshake.server_cert.is_none());
    let channel = connect(&p.handshake, None).await.unwrap();
    get_schema(&channel).await.unwrap();
    shutdown(&channel).await.unwrap();
    let (status, _, _, _) = p.wait_exit(Duration::from_secs(2)).await.unwrap();
    assert!(status.success());
}

#[tokio::test]
async fn tls_disabled_by_terraform_means_plaintext() {
    let id = ClientIdentity::terraform_like();
    let p = launch(&LaunchOptions {
        identity: Some(&id),
        extra_env: vec![("TF_DISABLE_PLUGIN_TLS", "1")],
        ..Default::default()
    })
    .await
    .unwrap();
    assert!(p.handshake.server_cert.is_none(), "{}", p.handshake.raw);
}

#[tokio::test]
async fn run_by_hand_prints_friendly_message() {
    let mut cmd = plugin_command(&LaunchOptions::default());
    cmd.env_remove(COOKIE_KEY);
    let out = cmd.output().await.unwrap();
    assert_eq!(out.status.code(), Some(1));
    assert!(out.stdout.is_empty());
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.starts_with("This binary is a plugin for Terraform"),
        "{stderr}"
    );
    assert!(stderr.contains("--debug"), "{stderr}");
}

#[tokio::test]
async fn wrong_cookie_is_refused() {
    let mut cmd = plugin_command(&LaunchOptions::default());
    cmd.env(COOKIE_KEY, "not-the-cookie");
    let out = cmd.output().await.unwrap();
    assert_eq!(out.status.code(), Some(1));
    assert!(out.stdout.is_empty());
}

#[tokio::test]
async fn protocol_6_only_is_refused() {
    let mut cmd = plugin_command(&LaunchOptions {
        protocol_versions: "6",
        ..Default::default()
    });
    let out = cmd.output().await.unwrap();
    assert_eq!(out.status.code(), Some(1));
    assert!(
        out.stdout.is_empty(),
        "no handshake line when the version is refused"
    );
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.contains("protocol 5") && stderr.contains("\"6\""),
        "{stderr}"
    );
}

#[tokio::test]
async fn version_flag() {
    let mut cmd = tokio::process::Command::new(provider_binary());
    let out = cmd.arg("--version").output().await.unwrap();
    assert!(out.status.success());
    assert_eq!(
        String::from_utf8_lossy(&out.stdout).trim(),
        format!("terraform-provider-modelarts {}", env!("CARGO_PKG_VERSION"))
    );
}

async fn send_signal(pid: u32, signal: &str) {
    let status = tokio::process::Command::new("kill")
        .args([signal, &pid.to_string()])
        .status()
        .await
        .unwrap();
    assert!(status.success());
}

#[tokio::test]
async fn sigint_is_ignored_and_sigterm_exits_cleanly() {
    let id = ClientIdentity::terraform_like();
    let mut p = launch(&LaunchOptions {
        identity: Some(&id),
        ..Default::default()
    })
    .await
    .unwrap();
    let channel = connect(&p.handshake, Some(&id)).await.unwrap();
    send_signal(p.pid(), "-INT").await;
    // A round trip after the signal proves it was handled (ignored) rather than still in flight.
    get_schema(&channel)
        .await
        .expect("still serving after SIGINT");
    get_schema(&channel)
        .await
        .expect("still serving after SIGINT");
    assert!(
        p.child.try_wait().unwrap().is_none(),
        "SIGINT must not stop a launched plugin"
    );

    send_signal(p.pid(), "-TERM").await;
    let (status, waited, _, _) = p.wait_exit(Duration::from_secs(2)).await.unwrap();
    assert!(status.success(), "{status:?}");
    assert!(waited < Duration::from_secs(1), "{waited:?}");
    assert!(!Path::new(&p.handshake.address).exists());
}

#[tokio::test]
async fn logs_are_hclog_json_on_stderr() {
    let id = ClientIdentity::terraform_like();
    let mut p = launch(&LaunchOptions {
        identity: Some(&id),
        extra_env: vec![("TF_LOG", "trace")],
        ..Default::default()
    })
    .await
    .unwrap();
    let channel = connect(&p.handshake, Some(&id)).await.unwrap();
    get_schema(&channel).await.unwrap();
    shutdown(&channel).await.unwrap();
    let (_, _, rest, stderr) = p.wait_exit(Duration::from_secs(2)).await.unwrap();
    assert_eq!(rest, "");
    let ts = regex::Regex::new(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{6}Z$").unwrap();
    let lines: Vec<&str> = stderr.lines().collect();
    assert!(
        lines.iter().any(|l| l.contains("GetSchema")),
        "trace logging of requests:\n{stderr}"
    );
    for line in lines {
        let v: serde_json::Value =
            serde_json::from_str(line).unwrap_or_else(|e| panic!("{e}: {line}"));
        assert!(
            ["trace", "debug", "info", "warn", "error"].contains(&v["@level"].as_str().unwrap()),
            "{line}"
        );
        assert!(v["@message"].is_string(), "{line}");
        assert!(ts.is_match(v["@timestamp"].as_str().unwrap()), "{line}");
        assert!(
            v["@module"]
                .as_str()
                .unwrap()
                .starts_with("provider.terraform-provider-modelarts"),
            "{line}"
        );
    }
}

#[tokio::test]
async fn silent_stderr_without_tf_log() {
    let id = ClientIdentity::terraform_like();
    let mut p = launch(&LaunchOptions {
        identity: Some(&id),
        ..Default::default()
    })
    .await
    .unwrap();
    let channel = connect(&p.handshake, Some(&id)).await.unwrap();
    get_schema(&channel).await.unwrap();
    shutdown(&channel).await.unwrap();
    let (_, _, _, stderr) = p.wait_exit(Duration::from_secs(2)).await.unwrap();
    assert_eq!(stderr, "");
}
