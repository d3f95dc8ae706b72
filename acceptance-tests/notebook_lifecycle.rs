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
