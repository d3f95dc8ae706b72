//! Failure states during a wait, with real Terraform: the apply ends promptly with the status and the
//! fail_reason, and a notebook that was created stays in state (tainted) instead of being orphaned.

use std::time::{Duration, Instant};

use modelarts::api::NotebookStatus;

use crate::harness::Output;
use crate::notebook_support::*;

/// Runs `terraform apply` on a thread while forcing `status` on the first notebook that is in `while_in`.
fn apply_forcing(
    env: &Env,
    while_in: NotebookStatus,
    status: NotebookStatus,
    reason: &str,
) -> (Output, Duration) {
    let started = Instant::now();
    let out = std::thread::scope(|s| {
        let apply = s.spawn(|| {
            env.h
                .run(&["apply", "-auto-approve", "-input=false", "-no-color"])
        });
        let deadline = Instant::now() + Duration::from_secs(60);
        loop {
            let target = env
                .notebooks()
                .into_iter()
                .find(|nb| nb.status.as_ref() == Some(&while_in));
            if let Some(nb) = target {
                env.emu
                    .force_status(
                        nb.id.as_deref().unwrap_or_default(),
                        status.clone(),
                        Some(reason.into()),
                        None,
                    )
                    .unwrap();
                break;
            }
            assert!(
                Instant::now() < deadline && !apply.is_finished(),
                "the notebook never reached {while_in}"
            );
            std::thread::sleep(Duration::from_millis(20));
        }
        apply.join().unwrap()
    });
    (out, started.elapsed())
}

fn slow_transitions(env: &Env) {
    let mut s = env.emu.settings();
    s.transition_ms = 120_000;
    env.emu.set_settings(s);
}

#[test]
fn error_during_create_fails_with_reason_and_keeps_the_notebook_tainted() {
    let env = Env::new();
    slow_transitions(&env);
    env.write_notebook(&notebook(""));
    env.h.init();
    let (out, took) = apply_forcing(
        &env,
        NotebookStatus::Creating,
        NotebookStatus::Error,
        "no capacity left in the zone",
    );
    assert_ne!(out.code, 0, "{}", out.combined());
    let text = out.stderr.replace('\n', " ");
    assert!(
        text.contains("ERROR") && text.contains("no capacity left in the zone"),
        "{}",
        out.combined()
    );
    assert!(took < Duration::from_secs(60), "no hang: {took:?}");
    let list = env.h.run(&["state", "list"]);
    assert!(
        list.stdout.contains(ADDRESS),
        "the created notebook is tracked: {}",
        list.combined()
    );
    let plan = env.h.run(&["plan", "-input=false", "-no-color"]);
    assert!(
        plan.stdout.contains("is tainted, so must be replaced"),
        "{}",
        plan.combined()
    );
}

#[test]
fn frozen_during_start_fails_with_reason() {
    let env = Env::new();
    env.write_notebook(&notebook("  desired_state = \"STOPPED\"\n"));
    env.h.init();
    env.h.apply();
    slow_transitions(&env);
    env.write_notebook(&notebook(""));
    let (out, took) = apply_forcing(
        &env,
        NotebookStatus::Starting,
        NotebookStatus::Frozen,
        "account in arrears",
    );
    assert_ne!(out.code, 0, "{}", out.combined());
    let text = out.stderr.replace('\n', " ");
    assert!(
        text.contains("FROZEN") && text.contains("account in arrears"),
        "{}",
        out.combined()
    );
    assert!(took < Duration::from_secs(60), "no hang: {took:?}");
}

#[test]
fn start_failed_during_start_fails_with_reason() {
    let env = Env::new();
    env.write_notebook(&notebook("  desired_state = \"STOPPED\"\n"));
    env.h.init();
    env.h.apply();
    slow_transitions(&env);
    env.write_notebook(&notebook(""));
    let (out, _) = apply_forcing(
        &env,
        NotebookStatus::Starting,
        NotebookStatus::StartFailed,
        "image pull failed",
    );
    assert_ne!(out.code, 0, "{}", out.combined());
    let text = out.stderr.replace('\n', " ");
    assert!(
        text.contains("START_FAILED") && text.contains("image pull failed"),
        "{}",
        out.combined()
    );
    // The state reflects reality: the notebook is not running, so the next plan wants to start it again.
    let plan = env
        .h
        .run(&["plan", "-detailed-exitcode", "-input=false", "-no-color"]);
    assert_eq!(plan.code, 2, "{}", plan.combined());
}
