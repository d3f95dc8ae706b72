//! Real Terraform 1.0.3 installs the provider from the mirror, launches it over AutoMTLS and walks an empty config.

use crate::harness::{Harness, PROVIDER_SOURCE};

#[test]
fn init_validate_plan_with_empty_provider_block() {
    let h = Harness::new();
    h.write_config("provider \"modelarts\" {}\n");
    let init = h.init();
    assert!(
        init.stdout
            .contains("Installed terraform.local/local/modelarts v0.1.0"),
        "{}",
        init.combined()
    );
    assert!(h.work_dir.join(".terraform.lock.hcl").is_file());
    let validate = h.validate();
    assert!(
        validate.stdout.contains("The configuration is valid"),
        "{}",
        validate.combined()
    );
    let plan = h.plan();
    assert!(plan.stdout.contains("No changes."), "{}", plan.combined());
    // Each walk's provider exited on Shutdown; a slow exit would be logged by Terraform and cost 2 s per walk.
    assert!(
        !plan.stderr.contains("failed to exit gracefully"),
        "{}",
        plan.combined()
    );
    h.assert_empty_plan();
}

#[test]
fn providers_schema_json_lists_the_provider() {
    let h = Harness::new();
    h.write_config("provider \"modelarts\" {}\n");
    h.init();
    let out = h.run(&["providers", "schema", "-json"]);
    assert_eq!(out.code, 0, "{}", out.combined());
    let doc: serde_json::Value = serde_json::from_str(&out.stdout).expect("schema JSON");
    let schemas = &doc["provider_schemas"];
    let ours = &schemas[PROVIDER_SOURCE];
    assert!(ours.is_object(), "provider missing from {doc}");
    assert!(ours["provider"]["block"].is_object(), "{ours}");
}

#[test]
fn provider_logs_reach_terraform_log() {
    let mut h = Harness::new();
    h.write_config("provider \"modelarts\" {}\n");
    h.init();
    let log = h.work_dir.join("tf.log");
    h.set_env("TF_LOG", "trace")
        .set_env("TF_LOG_PATH", log.to_str().unwrap());
    h.validate();
    let text = std::fs::read_to_string(&log).unwrap();
    // go-plugin parsed our JSON lines: it re-emits them with their level and module, not as raw JSON.
    let ours: Vec<&str> = text
        .lines()
        .filter(|l| l.contains("provider.terraform-provider-modelarts"))
        .collect();
    assert!(
        ours.iter().any(|l| l.contains("[TRACE]")
            && l.contains("received request")
            && l.contains("rpc=GetSchema")),
        "{text}"
    );
    assert!(
        !ours.iter().any(|l| l.contains("\"@message\"")),
        "unparsed hclog line:\n{text}"
    );
}
