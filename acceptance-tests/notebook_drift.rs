//! Drift for CI with real Terraform: changes made through the API outside Terraform show in
//! `plan -detailed-exitcode` (exit 2) and `plan -refresh-only`, and the next apply converges.

use modelarts::api::NotebookUpdateRequest;

use crate::harness::Output;
use crate::notebook_support::*;

fn created(env: &Env) -> String {
    env.write_notebook(&notebook(""));
    env.h.init();
    env.h.apply();
    env.only_id()
}

fn plan(env: &Env, extra: &[&str]) -> Output {
    let mut args = vec!["plan", "-detailed-exitcode", "-input=false", "-no-color"];
    args.extend_from_slice(extra);
    env.h.run(&args)
}

/// `plan` exits 2 with `diff` in its output, `-refresh-only` shows `refresh`, then apply and an empty plan.
fn assert_drift(env: &Env, diff: &str, refresh: &str) {
    let out = plan(env, &[]);
    assert_eq!(out.code, 2, "{}", out.combined());
    assert!(
        out.stdout.contains(diff),
        "plan lacks {diff:?}:\n{}",
        out.combined()
    );
    let out = plan(env, &["-refresh-only"]);
    assert_eq!(out.code, 2, "{}", out.combined());
    assert!(
        out.stdout.contains("changed outside of Terraform"),
        "{}",
        out.combined()
    );
    assert!(
        out.stdout.contains(refresh),
        "refresh-only lacks {refresh:?}:\n{}",
        out.combined()
    );
    env.clear_journal();
    env.h.apply();
}

#[test]
fn out_of_band_rename_is_reverted() {
    let env = Env::new();
    let id = created(&env);
    env.stop_out_of_band(&id);
    env.update_out_of_band(
        &id,
        NotebookUpdateRequest {
            name: Some("renamed-by-hand".into()),
            ..Default::default()
        },
    );
    env.start_out_of_band(&id);
    assert_drift(
        &env,
        r#"~ name                  = "renamed-by-hand" -> "nb-1""#,
        r#""nb-1" -> "renamed-by-hand""#,
    );
    assert_eq!(env.notebooks()[0].name.as_deref(), Some("nb-1"));
    assert_eq!(
        env.put_bodies().last().map(String::as_str),
        Some(r#"{"name":"nb-1"}"#)
    );
}

#[test]
fn out_of_band_stop_is_restarted() {
    let env = Env::new();
    let id = created(&env);
    env.stop_out_of_band(&id);
    assert_drift(
        &env,
        r#"~ desired_state         = "STOPPED" -> "RUNNING""#,
        r#""RUNNING" -> "STOPPED""#,
    );
    assert_eq!(env.calls(), vec!["POST /start 200"]);
    assert_eq!(env.notebooks()[0].status_str(), "RUNNING");
}

#[test]
fn out_of_band_delete_is_recreated() {
    let env = Env::new();
    let id = created(&env);
    env.delete_out_of_band(&id);
    let out = plan(&env, &[]);
    assert_eq!(out.code, 2, "{}", out.combined());
    assert!(out.stdout.contains("will be created"), "{}", out.combined());
    assert!(
        out.stdout.contains("Notebook no longer exists"),
        "the read warns: {}",
        out.combined()
    );
    let out = plan(&env, &["-refresh-only"]);
    assert_eq!(out.code, 2, "{}", out.combined());
    assert!(
        out.stdout.contains("has been deleted"),
        "{}",
        out.combined()
    );
    env.h.apply();
    assert_ne!(env.only_id(), id);
}

/// Storage cannot shrink back: the drift shows in `-refresh-only` and the plan names the new size, so the
/// configuration can follow it.
#[test]
fn out_of_band_storage_growth_is_reported() {
    let env = Env::new();
    let id = created(&env);
    env.stop_out_of_band(&id);
    env.update_out_of_band(
        &id,
        NotebookUpdateRequest {
            storage_new_size: Some(12),
            ..Default::default()
        },
    );
    env.start_out_of_band(&id);
    let out = plan(&env, &["-refresh-only"]);
    assert_eq!(out.code, 2, "{}", out.combined());
    assert!(out.stdout.contains("5 -> 12"), "{}", out.combined());
    let out = env.h.plan_expect_error("Storage cannot shrink");
    assert!(out.stderr.contains("currently 12 GB"), "{}", out.combined());
    env.write_notebook(&notebook("").replace("size     = 5", "size     = 12"));
    env.clear_journal();
    env.h.apply();
    assert!(
        env.put_bodies().is_empty(),
        "following the drift needs no PUT"
    );
}
