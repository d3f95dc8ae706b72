//! `--debug`: a long-lived plaintext server that Terraform attaches to through TF_REATTACH_PROVIDERS.

use std::path::Path;
use std::time::Duration;

use tokio::io::AsyncBufReadExt;

use crate::harness::Harness;
use crate::plugin::provider_binary;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn reattach_serves_several_terraform_commands() {
    let mut child = tokio::process::Command::new(provider_binary())
        .arg("--debug")
        .env_remove("TF_LOG")
        .stdin(std::process::Stdio::null())
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .kill_on_drop(true)
        .spawn()
        .unwrap();
    let mut stdout = tokio::io::BufReader::new(child.stdout.take().unwrap());
    let mut line = String::new();
    tokio::time::timeout(Duration::from_secs(10), stdout.read_line(&mut line))
        .await
        .unwrap()
        .unwrap();
    let value = line
        .trim()
        .strip_prefix("TF_REATTACH_PROVIDERS='")
        .and_then(|v| v.strip_suffix('\''))
        .unwrap_or_else(|| panic!("unexpected debug output: {line:?}"))
        .to_owned();
    let doc: serde_json::Value = serde_json::from_str(&value).unwrap();
    let entry = &doc["terraform.local/local/modelarts"];
    assert_eq!(entry["Test"], true);
    assert_eq!(entry["Pid"], child.id().unwrap());
    let socket = entry["Addr"]["String"].as_str().unwrap().to_owned();
    assert_eq!(entry["Addr"]["Network"], "unix");

    let terraform = tokio::task::spawn_blocking(move || {
        let mut h = Harness::new();
        h.set_env("TF_REATTACH_PROVIDERS", &value);
        h.write_config("provider \"modelarts\" {}\n");
        h.init();
        h.validate();
        let plan = h.plan();
        assert!(plan.stdout.contains("No changes."), "{}", plan.combined());
    });
    terraform.await.unwrap();
    assert!(
        child.try_wait().unwrap().is_none(),
        "Terraform must not stop a reattached provider"
    );

    // Ctrl-C stops the debug server (unlike a launched plugin) and cleans up its socket.
    let pid = child.id().unwrap().to_string();
    let status = tokio::process::Command::new("kill")
        .args(["-INT", &pid])
        .status()
        .await
        .unwrap();
    assert!(status.success());
    let exit = tokio::time::timeout(Duration::from_secs(2), child.wait())
        .await
        .unwrap()
        .unwrap();
    assert!(exit.success(), "{exit:?}");
    assert!(!Path::new(&socket).exists());
}
