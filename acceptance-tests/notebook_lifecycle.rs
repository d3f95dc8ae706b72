//! `modelarts_notebook` with real Terraform: create, import, destroy; create STOPPED; drift from outside.

use crate::notebook_support::*;

#[test]
fn create_import_destroy() {
    let env = Env::new();
    env.write_notebook(&notebook(
        "  description = \"lifecycle\"\n  timeouts {\n    create = \"10m\"\n  }\n",
    ));
    env.h.init();
    env.h.apply();
    let id = env.only_id();
    assert_eq!(env.state_value("id"), id.as_str());
    assert_eq!(env.state_value("status"), "RUNNING");
    assert_eq!(env.state_value("image_name"), "pytorch1.8-cpu-ubuntu18.04");
    env.h.import_and_compare(ADDRESS, &id, &["timeouts"]);
    // The import cannot know the write-only timeouts; applying them touches nothing remote.
    env.clear_journal();
    env.h.apply();
    assert!(env.calls().is_empty(), "{:?}", env.calls());
    env.clear_journal();
    env.h.destroy();
    assert!(env.notebooks().is_empty());
    assert_eq!(env.calls(), vec!["DELETE / 200"]);
}

#[test]
fn create_stopped() {
    let env = Env::new();
    env.write_notebook(&notebook("  desired_state = \"STOPPED\"\n"));
    env.h.init();
    env.h.apply();
    assert_eq!(env.state_value("status"), "STOPPED");
    assert_eq!(env.notebooks()[0].status_str(), "STOPPED");
    assert_eq!(env.calls(), vec!["POST / 200", "POST /stop 200"]);
}

/// The `examples/modules/team-notebooks` module: one notebook per member with `for_each`, applied and updated.
#[test]
fn team_notebooks_module() {
    let env = Env::new();
    let module = env.h.work_dir.join("modules/team-notebooks");
    std::fs::create_dir_all(&module).unwrap();
    let source =
        std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("examples/modules/team-notebooks");
    for file in ["main.tf", "variables.tf", "outputs.tf"] {
        std::fs::copy(source.join(file), module.join(file)).unwrap();
    }
    let root = |members: &str, size: u32| {
        format!(
            "module \"team\" {{\n  source        = \"./modules/team-notebooks\"\n  team          = \"vision\"\n  \
             members       = [{members}]\n  image_id      = \"{}\"\n  storage_size  = {size}\n  \
             desired_state = \"STOPPED\"\n}}\n\noutput \"ids\" {{\n  value = module.team.notebook_ids\n}}\n",
            pytorch()
        )
    };
    env.write(&root("\"alice\", \"bob\"", 5));
    env.h.init();
    env.h.apply();
    let mut names: Vec<String> = env
        .notebooks()
        .iter()
        .filter_map(|nb| nb.name.clone())
        .collect();
    names.sort();
    assert_eq!(names, vec!["vision-alice", "vision-bob"]);

    env.write(&root("\"alice\", \"bob\", \"carol\"", 10));
    let plan = env.h.plan();
    assert!(
        plan.stdout
            .contains("Plan: 1 to add, 2 to change, 0 to destroy."),
        "{}",
        plan.combined()
    );
    env.clear_journal();
    env.h.apply();
    assert_eq!(env.notebooks().len(), 3);
    assert_eq!(env.put_bodies(), vec![r#"{"storage_new_size":10}"#; 2]);
    let out = env.h.run(&["output", "-json", "ids"]);
    let ids: serde_json::Value = serde_json::from_str(&out.stdout).unwrap();
    assert_eq!(ids.as_object().map(|o| o.len()), Some(3), "{ids}");
}
