//! `insecure = false` by default, with real Terraform: the provider refuses an HTTPS endpoint with a
//! self-signed certificate (no request, so no signature or credential, reaches it), and `insecure = true`
//! accepts it with a warning.

#[path = "../tests/security_tls_front.rs"]
mod security_tls_front;

use crate::notebook_support::*;
use crate::reliability_support::assert_no_crash;
use security_tls_front::TlsFront;

#[test]
fn self_signed_endpoint_is_refused_unless_insecure() {
    let env = Env::new();
    let front = env.rt.block_on(TlsFront::start(env.emu.addr));
    let config = |insecure: &str| {
        format!(
            "provider \"modelarts\" {{\n  region     = \"cn-north-4\"\n  project_id = \"{}\"\n  access_key = \"{}\"\n  \
             secret_key = \"{}\"\n  endpoints  = {{ modelarts = \"{}\" }}\n  max_retries = 1\n{insecure}}}\n\n\
             resource \"modelarts_notebook\" \"nb\" {{\n{}}}\n",
            modelarts::emulator::demo::PROJECT_ID,
            modelarts::emulator::demo::ACCESS_KEY,
            modelarts::emulator::demo::SECRET_KEY,
            front.base_url,
            notebook("")
        )
    };
    env.h.write_config(&config(""));
    env.h.init();
    let out = env
        .h
        .run(&["apply", "-auto-approve", "-input=false", "-no-color"]);
    assert_no_crash(&out);
    assert_ne!(
        out.code,
        0,
        "a self-signed endpoint was trusted:\n{}",
        out.combined()
    );
    assert!(
        out.stderr.to_ascii_lowercase().contains("certificate"),
        "the error should say the certificate is not trusted:\n{}",
        out.combined()
    );
    assert_eq!(front.handshakes(), 0, "a TLS session was established");
    assert!(
        env.emu.journal().is_empty(),
        "a request reached an untrusted endpoint"
    );
    assert!(env.notebooks().is_empty());

    env.h.write_config(&config("  insecure = true\n"));
    let out = env.h.apply();
    assert!(
        out.stdout.contains("TLS verification disabled")
            || out.stderr.contains("TLS verification disabled"),
        "insecure = true must warn:\n{}",
        out.combined()
    );
    assert_eq!(env.notebooks().len(), 1);
    assert!(front.handshakes() > 0);
}
