//! Real Terraform 1.0.3 installs the provider from the mirror, launches it over AutoMTLS and walks an empty config.

use crate::harness::{Harness, PROVIDER_SOURCE};

#[test]
fn init_validate_plan_with_empty_provider_block() {
    let mut h = Harness::new();
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

    // Each graph walk launches the provider and ends with Shutdown; go-plugin logs how that went.
    let log = h.work_dir.join("plan.log");
    h.set_env("TF_LOG", "debug")
        .set_env("TF_LOG_PATH", log.to_str().unwrap());
    let plan = h.plan();
    assert!(plan.stdout.contains("No changes."), "{}", plan.combined());
    let text = std::fs::read_to_string(&log).unwrap();
    // go-plugin's own lines (our provider logs under "provider.terraform-provider-modelarts…").
    let launches = text.matches("provider: plugin started").count();
    let clean_exits = text.matches("provider: plugin exited").count();
    // An empty configuration prunes the provider from the graph walks: only the schema launch remains.
    assert!(launches >= 1, "the plan launched no provider:\n{text}");
    assert!(
        clean_exits == launches,
        "every launched provider must exit:\n{text}"
    );
    // A provider still alive 2 s after Shutdown is killed; that would cost 2 s per walk.
    assert!(!text.contains("failed to exit gracefully"), "{text}");
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
