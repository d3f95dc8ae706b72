//! Updates of a RUNNING notebook with real Terraform: stop → PUT → start, never starting a notebook that is to be
//! STOPPED, hot updates without a stop, and `allow_stop_for_update = false`.

use modelarts::emulator::UpdatePolicy;

use crate::notebook_support::*;

fn running(env: &Env) {
    env.write_notebook(&notebook(""));
    env.h.init();
    env.h.apply();
    assert_eq!(env.state_value("status"), "RUNNING");
}

#[test]
fn flavor_change_stops_updates_and_restarts() {
    let env = Env::new();
    running(&env);
    env.write_notebook(&notebook("").replace(FLAVOR, "modelarts.vm.cpu.4u"));
    let plan = env.h.plan();
    assert!(
        plan.stdout
            .contains("Notebook will be stopped for this update"),
        "{}",
        plan.combined()
    );
    let puts = env.apply_update();
    assert_eq!(puts, vec![r#"{"flavor":"modelarts.vm.cpu.4u"}"#]);
    assert_eq!(
        env.calls(),
        vec!["POST /stop 200", "PUT / 200", "POST /start 200"]
    );
    assert_eq!(env.state_value("status"), "RUNNING");
}

#[test]
fn update_to_stopped_never_starts() {
    let env = Env::new();
    running(&env);
    env.write_notebook(
        &notebook("  desired_state = \"STOPPED\"\n").replace(FLAVOR, "modelarts.vm.cpu.4u"),
    );
    env.apply_update();
    assert_eq!(env.calls(), vec!["POST /stop 200", "PUT / 200"]);
    assert_eq!(env.state_value("status"), "STOPPED");
}

#[test]
fn desired_state_alone_only_stops_then_starts() {
    let env = Env::new();
    running(&env);
    env.write_notebook(&notebook("  desired_state = \"STOPPED\"\n"));
    env.apply_update();
    assert_eq!(env.calls(), vec!["POST /stop 200"]);
    env.write_notebook(&notebook(""));
    env.apply_update();
    assert_eq!(env.calls(), vec!["POST /start 200"]);
}

#[test]
fn rename_under_hot_policy_sends_no_stop() {
    let env = Env::with(Options {
        update_policy: UpdatePolicy::Hot,
        ..Options::default()
    });
    running(&env);
    env.write_notebook(&notebook("").replace("nb-1", "nb-hot"));
    let puts = env.apply_update();
    assert_eq!(puts, vec![r#"{"name":"nb-hot"}"#]);
    assert_eq!(env.calls(), vec!["PUT / 200"]);
    assert_eq!(env.state_value("status"), "RUNNING");
}

#[test]
fn no_stop_allowed_fails_clearly_without_stopping() {
    let env = Env::new();
    running(&env);
    let cfg = notebook("  allow_stop_for_update = false\n").replace(FLAVOR, "modelarts.vm.cpu.4u");
    env.write_notebook(&cfg);
    env.clear_journal();
    let out = env
        .h
        .run(&["apply", "-auto-approve", "-input=false", "-no-color"]);
    assert_ne!(out.code, 0, "{}", out.combined());
    let text = out.stderr.replace('\n', " ");
    assert!(
        text.contains("allow_stop_for_update = false"),
        "{}",
        out.combined()
    );
    assert!(
        !env.calls()
            .iter()
            .any(|c| c.contains("stop") || c.starts_with("PUT")),
        "{:?}",
        env.calls()
    );
    assert_eq!(env.notebooks()[0].status_str(), "RUNNING");
}
