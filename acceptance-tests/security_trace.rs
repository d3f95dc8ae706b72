//! Secrets under `TF_LOG=TRACE` with real Terraform: a full create → update (stop, PUT, start) → destroy with
//! temporary AK/SK credentials, then with an IAM token, and a refused apply. Terraform's trace log (which holds
//! the provider's own log lines and every gRPC exchange Terraform logs) and the commands' output must never
//! contain the secret key, the security token, the IAM token, the notebook token, or private key material;
//! the schema marks `token`, `secret_key`, `security_token` and `auth_token` sensitive.

use std::path::Path;

use modelarts::emulator::{demo, Credentials, Emulator, EmulatorHandle};
use serde_json::Value;

use crate::harness::{Harness, Output};
use crate::notebook_support::pytorch;
use crate::reliability_support::assert_no_crash;

const STS_AK: &str = "STSTEMPORARYKEY00001";
const STS_SK: &str = "stsTemporarySecret0000000000000000000003";
const STS_TOKEN: &str = "sts-security-token-value-0000000000000004";
const IAM_TOKEN: &str = "MIIiam-token-value-0000000000000000000005";

struct World {
    _rt: tokio::runtime::Runtime,
    emu: EmulatorHandle,
    h: Harness,
    log: std::path::PathBuf,
    outputs: Vec<Output>,
}

impl World {
    fn new() -> World {
        let rt = tokio::runtime::Builder::new_multi_thread()
            .worker_threads(1)
            .enable_all()
            .build()
            .unwrap();
        let mut creds = Credentials::demo();
        creds.add_key(
            STS_AK,
            STS_SK,
            Some(STS_TOKEN),
            demo::PROJECT_ID,
            None,
            None,
        );
        creds.add_token(IAM_TOKEN, demo::PROJECT_ID, Some("iam-user"), None);
        let emu = rt
            .block_on(
                Emulator::builder()
                    .credentials(creds)
                    .transition_ms(50)
                    .start(),
            )
            .unwrap();
        let mut h = Harness::new();
        let log = h.work_dir.join("terraform-trace.log");
        h.set_env("TF_LOG", "TRACE")
            .set_env("TF_LOG_PATH", &log.display().to_string());
        World {
            _rt: rt,
            emu,
            h,
            log,
            outputs: Vec::new(),
        }
    }

    fn write(&self, credentials: &str, description: &str) {
        self.h.write_config(&format!(
            "provider \"modelarts\" {{\n  region     = \"cn-north-4\"\n  project_id = \"{}\"\n{credentials}  \
             endpoints  = {{ modelarts = \"{}\" }}\n}}\n\n\
             resource \"modelarts_notebook\" \"nb\" {{\n  name        = \"trace-me\"\n  description = \"{description}\"\n  \
             flavor      = \"modelarts.vm.cpu.2u\"\n  image_id    = \"{}\"\n  volume {{\n    category = \"EVS\"\n    \
             size     = 5\n  }}\n}}\n",
            demo::PROJECT_ID,
            self.emu.base_url,
            pytorch()
        ));
    }

    fn run(&mut self, args: &[&str]) -> &Output {
        let out = self.h.run(args);
        assert_no_crash(&out);
        self.outputs.push(out);
        self.outputs.last().expect("just pushed")
    }

    fn run_ok(&mut self, args: &[&str]) {
        let out = self.run(args);
        assert_eq!(
            out.code,
            0,
            "terraform {}:\n{}",
            args.join(" "),
            out.combined()
        );
    }

    fn cycle(&mut self, credentials: &str) -> String {
        self.write(credentials, "v1");
        self.run_ok(&["init", "-input=false", "-no-color"]);
        self.run_ok(&["apply", "-auto-approve", "-input=false", "-no-color"]);
        let token = self
            .emu
            .notebooks()
            .into_iter()
            .find_map(|(_, n)| n.token)
            .expect("a notebook token")
            .expose()
            .to_string();
        self.run_ok(&["show", "-no-color"]);
        self.write(credentials, "v2");
        self.run_ok(&["apply", "-auto-approve", "-input=false", "-no-color"]);
        self.run_ok(&["destroy", "-auto-approve", "-input=false", "-no-color"]);
        assert!(self.emu.notebooks().is_empty());
        token
    }

    /// Everything Terraform wrote: the trace log and every command's stdout/stderr.
    fn everything(&self) -> String {
        let log = std::fs::read_to_string(&self.log).unwrap_or_default();
        let outs: String = self.outputs.iter().map(Output::combined).collect();
        format!("{log}\n{outs}")
    }
}

fn assert_clean(what: &str, text: &str, secrets: &[&str]) {
    for s in secrets {
        if let Some(at) = text.find(s) {
            let from = text[..at].rfind('\n').map_or(0, |i| i + 1);
            let to = text[at..].find('\n').map_or(text.len(), |i| at + i);
            panic!(
                "{what}: a secret appears in Terraform's output or trace log:\n{}",
                &text[from..to].replace(s, "<THE SECRET>")
            );
        }
    }
    for marker in ["PRIVATE KEY", "BEGIN EC PRIVATE", "BEGIN RSA"] {
        assert!(
            !text.contains(marker),
            "{what}: private key material ({marker}) in the logs"
        );
    }
}

/// Guards against a vacuous pass: the trace really covers the provider's work, including the client's TRACE
/// lines with request headers and response bodies, where the credentials and the notebook token are redacted.
fn assert_traced(what: &str, text: &str) {
    for needle in [
        "ApplyResourceChange",
        "terraform-provider-modelarts",
        "[TRACE]",
    ] {
        assert!(
            text.contains(needle),
            "{what}: the trace log has no {needle:?}"
        );
    }
    let client_trace = |message: &str| {
        text.lines()
            .filter(|l| {
                l.contains("[TRACE] provider.terraform-provider-modelarts_v0.1.0: ")
                    && l.contains(message)
                    && l.contains("@module=provider.terraform-provider-modelarts.client")
            })
            .collect::<Vec<_>>()
    };
    let requests = client_trace(": request: ");
    assert!(
        requests
            .iter()
            .any(|l| l.contains("headers=") && l.contains("<redacted>")),
        "{what}: no client TRACE request line with redacted auth headers"
    );
    let bodies = client_trace(": response body: ");
    assert!(
        bodies.iter().any(|l| l.contains(r#""token":"<redacted>""#)),
        "{what}: no client TRACE response body with the notebook token redacted:\n{}",
        bodies.join("\n")
    );
}

#[test]
fn trace_logs_of_a_full_cycle_hold_no_secret() {
    let mut w = World::new();
    let token = w.cycle(&format!(
        "  access_key     = \"{STS_AK}\"\n  secret_key     = \"{STS_SK}\"\n  security_token = \"{STS_TOKEN}\"\n"
    ));
    let all = w.everything();
    assert_traced("temporary AK/SK", &all);
    assert_clean("temporary AK/SK", &all, &[STS_SK, STS_TOKEN, &token]);
    let show = &w.outputs[2].stdout;
    assert!(
        show.contains("token") && show.contains("(sensitive value)"),
        "`terraform show` must hide the notebook token:\n{show}"
    );
    let bytes = all.len();

    // The same with an IAM token, in a fresh log.
    let _ = std::fs::remove_file(&w.log);
    w.outputs.clear();
    let token = w.cycle(&format!("  auth_token = \"{IAM_TOKEN}\"\n"));
    let all = w.everything();
    assert_traced("IAM token", &all);
    assert_clean("IAM token", &all, &[IAM_TOKEN, &token]);
    eprintln!(
        "reliability: secrets: {} + {} bytes of TRACE logs and output scanned, 0 secrets",
        bytes,
        all.len()
    );
}

#[test]
fn a_refused_apply_under_trace_shows_no_secret() {
    let mut w = World::new();
    let wrong = "wrong-secret-key-value-00000000000000007";
    w.write(
        &format!(
            "  access_key = \"{}\"\n  secret_key = \"{wrong}\"\n",
            demo::ACCESS_KEY
        ),
        "v1",
    );
    w.run_ok(&["init", "-input=false", "-no-color"]);
    let out = w.run(&["apply", "-auto-approve", "-input=false", "-no-color"]);
    assert_ne!(out.code, 0);
    assert!(out.stderr.contains("APIGW.0301"), "{}", out.combined());
    assert_clean("refused apply", &w.everything(), &[wrong, demo::SECRET_KEY]);
}

#[test]
fn credentials_and_the_notebook_token_are_sensitive_in_the_schema() {
    let w = World::new();
    w.write(&format!("  auth_token = \"{IAM_TOKEN}\"\n"), "v1");
    let out = w.h.run(&["init", "-input=false", "-no-color"]);
    assert_eq!(out.code, 0, "{}", out.combined());
    let out = w.h.run(&["providers", "schema", "-json"]);
    assert_eq!(out.code, 0, "{}", out.combined());
    let schema: Value = serde_json::from_str(&out.stdout).expect("schema JSON");
    let p = &schema["provider_schemas"]["terraform.local/local/modelarts"];
    for attr in ["secret_key", "security_token", "auth_token"] {
        assert_eq!(
            p["provider"]["block"]["attributes"][attr]["sensitive"],
            Value::Bool(true),
            "provider attribute {attr} must be sensitive"
        );
    }
    assert_eq!(
        p["resource_schemas"]["modelarts_notebook"]["block"]["attributes"]["token"]["sensitive"],
        Value::Bool(true),
        "modelarts_notebook.token must be sensitive"
    );
    for (name, ds) in p["data_source_schemas"].as_object().into_iter().flatten() {
        visit_tokens(name, &ds["block"]);
    }
    assert!(Path::new(&w.h.work_dir).exists());
}

/// Any data-source attribute holding a `token` (itself, or inside an object type) is sensitive too.
fn visit_tokens(name: &str, block: &Value) {
    for (attr, a) in block["attributes"].as_object().into_iter().flatten() {
        let holds_token = attr == "token" || a["type"].to_string().contains("\"token\"");
        if holds_token {
            assert_eq!(
                a["sensitive"],
                Value::Bool(true),
                "{name}.{attr} holds a token and must be sensitive"
            );
        }
    }
    for (_, b) in block["block_types"].as_object().into_iter().flatten() {
        visit_tokens(name, &b["block"]);
    }
}
