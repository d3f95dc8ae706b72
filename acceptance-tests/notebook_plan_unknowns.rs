//! Update plans without noise, from real Terraform's saved plan (`show -json`, `after_unknown`): each operation
//! leaves unknown exactly the computed values it may change; the apply that follows must return every value the
//! plan kept (Terraform 1.0.3 rejects any other), and the next plan is empty.

use modelarts::emulator::UpdatePolicy;

use crate::notebook_support::*;

/// What a stop and start may change besides the status: status history, the lease a start resets, update time.
const RESTART: [&str; 4] = ["action_progress", "fail_reason", "lease", "updated_at"];

fn created(env: &Env, extra: &str) {
    env.write_notebook(&notebook(extra));
    env.h.init();
    env.h.apply();
}

/// Plans `body`, asserts its unknowns, applies and returns the journal.
fn update(env: &Env, body: &str, unknown: &[&str]) -> Vec<String> {
    env.write_notebook(body);
    assert_eq!(env.planned_unknowns(), unknown, "after_unknown");
    env.clear_journal();
    env.h.apply();
    env.calls()
}

#[test]
fn rename_of_a_stopped_notebook_changes_only_updated_at() {
    let env = Env::new();
    let stopped = "  desired_state = \"STOPPED\"\n";
    created(&env, stopped);
    let lease = env.state_value("lease");
    let calls = update(
        &env,
        &notebook(stopped).replace("nb-1", "nb-2"),
        &["updated_at"],
    );
    assert_eq!(calls, vec!["PUT / 200"]);
    assert_eq!(env.state_value("lease"), lease);
    assert_eq!(env.state_value("status"), "STOPPED");
}

#[test]
fn rename_of_a_running_notebook_may_restart_it() {
    let env = Env::new();
    created(&env, "");
    let calls = update(&env, &notebook("").replace("nb-1", "nb-2"), &RESTART);
    // The strict server refuses the rename while running (6347): stop, PUT, start.
    assert_eq!(
        calls,
        vec![
            "PUT / 400",
            "POST /stop 200",
            "PUT / 200",
            "POST /start 200"
        ]
    );
    assert_eq!(env.state_value("status"), "RUNNING");
}

#[test]
fn hot_update_plans_like_any_rename_of_a_running_notebook() {
    // The plan cannot know whether the server takes the change hot: it plans for a possible restart.
    let env = Env::with(Options {
        update_policy: UpdatePolicy::Hot,
        ..Options::default()
    });
    created(&env, "");
    let lease = env.state_value("lease");
    let calls = update(&env, &notebook("").replace("nb-1", "nb-hot"), &RESTART);
    assert_eq!(calls, vec!["PUT / 200"]);
    assert_eq!(env.state_value("lease"), lease);
}

#[test]
fn storage_growth_of_a_stopped_notebook_changes_the_volume_status() {
    let env = Env::new();
    let stopped = "  desired_state = \"STOPPED\"\n";
    created(&env, stopped);
    let calls = update(
        &env,
        &notebook(stopped).replace("size     = 5", "size     = 9"),
        &["updated_at", "volume[0].status"],
    );
    assert_eq!(calls, vec!["PUT / 200"]);
    assert_eq!(env.state_value("volume")[0]["size"], 9);
}

#[test]
fn desired_state_change_stops_and_starts_and_only_a_start_resets_the_lease() {
    let env = Env::new();
    created(&env, "");
    let calls = update(
        &env,
        &notebook("  desired_state = \"STOPPED\"\n"),
        &["action_progress", "fail_reason", "updated_at"],
    );
    assert_eq!(calls, vec!["POST /stop 200"]);
    let calls = update(&env, &notebook(""), &RESTART);
    assert_eq!(calls, vec!["POST /start 200"]);
}

#[test]
fn provider_side_change_plans_nothing_unknown() {
    let env = Env::new();
    created(&env, "");
    let calls = update(&env, &notebook("  allow_stop_for_update = false\n"), &[]);
    assert!(calls.is_empty(), "{calls:?}");
}
