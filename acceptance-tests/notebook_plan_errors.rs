//! Plan-time rules with real Terraform: storage shrink and size limits, flavor XOR custom_spec, immutable
//! fields (error naming both ways out) and `enable_force_new` replacement.

use crate::notebook_support::*;

fn created(env: &Env, extra: &str) {
    env.write_notebook(&notebook(extra));
    env.h.init();
    env.h.apply();
}

#[test]
fn storage_shrink_is_a_plan_error_and_growth_a_put() {
    let env = Env::new();
    created(&env, "  desired_state = \"STOPPED\"\n");
    env.write_notebook(
        &notebook("  desired_state = \"STOPPED\"\n").replace("size     = 5", "size     = 2"),
    );
    let out = env.h.plan_expect_error("Storage cannot shrink");
    assert!(
        out.stderr.contains("volume[0].size is currently 5 GB"),
        "{}",
        out.combined()
    );
    assert!(
        out.stderr.contains("size     = 2"),
        "the error quotes the line: {}",
        out.combined()
    );

    env.write_notebook(
        &notebook("  desired_state = \"STOPPED\"\n").replace("size     = 5", "size     = 20"),
    );
    assert_eq!(env.apply_update(), vec![r#"{"storage_new_size":20}"#]);
}

#[test]
fn size_above_4096_and_flavor_with_custom_spec_fail_validation() {
    let env = Env::new();
    env.write_notebook(&notebook("").replace("size     = 5", "size     = 5000"));
    env.h.init();
    let out = env.h.run(&["validate", "-no-color"]);
    assert_ne!(out.code, 0);
    assert!(
        out.stderr.contains("Invalid volume size") && out.stderr.contains("4096"),
        "{}",
        out.combined()
    );

    env.write_notebook(&notebook(&format!(
        "  pool_id = \"{CPU_POOL}\"\n  custom_spec {{\n    cpu    = 2\n    memory = 4096\n  }}\n"
    )));
    let out = env.h.run(&["validate", "-no-color"]);
    assert_ne!(out.code, 0);
    assert!(
        out.stderr
            .contains("flavor and custom_spec cannot both be set"),
        "{}",
        out.combined()
    );
    assert!(
        env.notebooks().is_empty(),
        "validation must come before any API call"
    );
}

#[test]
fn immutable_change_is_an_error_unless_force_new() {
    let env = Env::new();
    created(&env, "");
    let moved = notebook(&format!("  pool_id = \"{CPU_POOL}\"\n"));
    env.write_notebook(&moved);
    let out = env.h.plan_expect_error("Cannot change `pool_id` in place");
    let text = out.stderr.replace('\n', " ");
    assert!(
        text.contains("revert") && text.contains("enable_force_new = true"),
        "{}",
        out.combined()
    );

    let old_id = env.only_id();
    env.write_notebook(&notebook(&format!(
        "  pool_id = \"{CPU_POOL}\"\n  enable_force_new = true\n"
    )));
    assert_eq!(env.planned_actions(), vec!["delete", "create"]);
    env.clear_journal();
    env.h.apply();
    let new_id = env.only_id();
    assert_ne!(new_id, old_id);
    assert_eq!(env.calls(), vec!["DELETE / 200", "POST / 200"]);
}

#[test]
fn provider_wide_force_new_replaces_on_volume_change() {
    let mut env = Env::new();
    env.provider_setting("enable_force_new = true");
    created(&env, "");
    assert_eq!(env.state_value("enable_force_new"), true);
    env.write_notebook(&notebook("").replace("category = \"EVS\"", "category = \"EFS\""));
    assert_eq!(env.planned_actions(), vec!["delete", "create"]);
}
