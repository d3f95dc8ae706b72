//! `insecure = false` by default: the client refuses an HTTPS endpoint whose certificate no trusted CA signed,
//! before any request (and so any credential or signature) is sent; `insecure = true` is the explicit opt-out.

#[path = "security_tls_front.rs"]
mod security_tls_front;

use std::time::Duration;

use modelarts::client::{Client, ClientConfig, ClientError, Credentials};
use modelarts::emulator::{demo, Emulator};
use security_tls_front::TlsFront;

fn config(endpoint: &str) -> ClientConfig {
    let mut cfg = ClientConfig::new(
        "cn-north-4",
        demo::PROJECT_ID,
        Credentials::AkSk {
            ak: demo::ACCESS_KEY.into(),
            sk: demo::SECRET_KEY.into(),
            security_token: None,
        },
    );
    cfg.endpoint = Some(endpoint.to_string());
    cfg.max_retries = 1;
    cfg.retry.base_delay = Duration::from_millis(1);
    cfg.retry.max_delay = Duration::from_millis(5);
    cfg
}

#[tokio::test]
async fn self_signed_endpoint_is_refused_unless_insecure() {
    let emu = Emulator::builder().transition_ms(0).start().await.unwrap();
    let front = TlsFront::start(emu.addr).await;

    let cfg = config(&front.base_url);
    assert!(!cfg.insecure, "insecure must default to false");
    let strict = Client::new(cfg).unwrap();
    let err = tokio::time::timeout(
        Duration::from_secs(30),
        strict.list_notebooks(&Default::default()),
    )
    .await
    .expect("a certificate error must not hang")
    .unwrap_err();
    let shown = format!("{err}");
    assert!(
        matches!(err, ClientError::Transport { .. }),
        "expected a transport error, got {err:?}"
    );
    assert!(
        shown.to_ascii_lowercase().contains("certificate"),
        "the error should say the certificate was rejected: {shown}"
    );
    assert!(!shown.contains(demo::SECRET_KEY));
    assert_eq!(front.handshakes(), 0, "no TLS session was established");
    assert!(
        emu.journal().is_empty(),
        "no request may reach an untrusted endpoint"
    );

    let mut cfg = config(&front.base_url);
    cfg.insecure = true;
    let lax = Client::new(cfg).unwrap();
    let page = lax.list_notebooks(&Default::default()).await.unwrap();
    assert_eq!(page.total, Some(0));
    assert!(front.handshakes() >= 1);
    assert_eq!(emu.journal().len(), 1, "insecure = true reaches the API");
}

#[tokio::test]
async fn plain_http_is_refused_for_a_remote_host() {
    // Credentials would cross the network in clear text: the client refuses to be built.
    let err = Client::new(config("http://192.0.2.10:8080")).unwrap_err();
    assert!(matches!(err, ClientError::Config(_)), "{err:?}");
    assert!(format!("{err}").contains("https"), "{err}");
}
