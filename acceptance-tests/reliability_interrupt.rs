//! SIGINT (Ctrl-C: the whole process group) to real Terraform while the provider waits: during a create, and
//! during an update's stop → PUT → start, both before and after the PUT. Terraform must stop promptly (it can
//! only do so when the provider honours the Stop RPC and cancels its wait: the emulator's transitions take far
//! longer than the allowed exit time), the state must still record the notebook, and the next apply must finish
//! the job with exactly one notebook and an empty plan afterwards.

use std::time::Duration;

use modelarts::api::NotebookStatus;

use crate::harness::Output;
use crate::notebook_support::*;
use crate::reliability_support::*;

/// Emulator transitions while Terraform is interrupted: longer than any acceptable exit, short enough for the
/// next apply to wait the transition out.
const SLOW_MS: u64 = 20_000;
/// How long Terraform may take to exit after SIGINT.
const EXIT_LIMIT: Duration = Duration::from_secs(15);
const APPLY: &[&str] = &["apply", "-auto-approve", "-input=false", "-no-color"];

fn set_transition(env: &Env, ms: u64) {
    let mut s = env.emu.settings();
    s.transition_ms = ms;
    env.emu.set_settings(s);
}

/// Starts an apply, waits for `ready`, interrupts, and returns the output and the time from SIGINT to exit.
fn interrupt_apply_when(env: &Env, what: &str, ready: impl FnMut() -> bool) -> (Output, Duration) {
    let mut run = spawn(&env.h, APPLY, &[]);
    wait_until(Duration::from_secs(90), what, ready);
    assert!(run.is_running(), "the apply ended before the interrupt");
    // Let the provider settle into its poll loop.
    std::thread::sleep(Duration::from_millis(300));
    let sent = std::time::Instant::now();
    run.interrupt();
    let (out, _) = run.wait(Duration::from_secs(60));
    let took = sent.elapsed();
    assert_no_crash(&out);
    eprintln!(
        "reliability: interrupt {what}: exit {} after {took:?}",
        out.code
    );
    assert!(
        took < EXIT_LIMIT,
        "Terraform took {took:?} to stop after SIGINT ({what}): the provider did not honour Stop\n{}",
        out.combined()
    );
    assert_ne!(out.code, 0, "an interrupted apply must not report success");
    (out, took)
}

fn state_addresses(env: &Env) -> Vec<String> {
    let out = env.h.run(&["state", "list", "-no-color"]);
    assert_eq!(out.code, 0, "{}", out.combined());
    out.stdout.lines().map(str::to_string).collect()
}

fn status_of(env: &Env) -> Option<NotebookStatus> {
    env.notebooks().first().and_then(|nb| nb.status.clone())
}

fn journal_has(env: &Env, method: &str, suffix: &str) -> bool {
    env.emu
        .journal()
        .iter()
        .any(|e| e.method == method && e.path.ends_with(suffix))
}

/// The next apply finishes the job (waiting out a transition the interrupted run left behind): one notebook,
/// state equal to the emulator, empty plan. A notebook still STARTING counts as RUNNING (desired_state), so
/// the pending start is then let finish and the plan must stay empty.
fn finish(env: &Env) {
    set_transition(env, 0);
    let started = std::time::Instant::now();
    let runs = converge(&env.h, APPLY, 2).len();
    eprintln!(
        "reliability: next apply finished the job in {runs} run(s), {:?}",
        started.elapsed()
    );
    env.h.assert_empty_plan();
    assert_state_is_truth(&env.h, &env.emu, 1);
    let id = env.only_id();
    match status_of(env) {
        Some(NotebookStatus::Running) => {}
        Some(NotebookStatus::Starting) => {
            env.emu
                .force_status(&id, NotebookStatus::Running, None, None)
                .unwrap();
            env.h.assert_empty_plan();
        }
        other => panic!("after the next apply the notebook is {other:?}"),
    }
}

#[test]
fn sigint_during_create_wait_keeps_the_notebook_in_state() {
    let env = Env::with(Options {
        transition_ms: SLOW_MS,
        ..Options::default()
    });
    env.write_notebook(&notebook(""));
    env.h.init();
    let (_out, _) = interrupt_apply_when(&env, "the create wait", || {
        status_of(&env) == Some(NotebookStatus::Creating)
            && journal_has(&env, "GET", &env.only_id())
    });
    let id = env.only_id();
    assert_eq!(
        state_addresses(&env),
        vec![ADDRESS.to_string()],
        "the created notebook must be in state"
    );
    assert_eq!(env.state_value("id"), id.as_str());
    finish(&env);
    eprintln!(
        "reliability: after the interrupted create the notebook was {}",
        if env.only_id() == id {
            "kept"
        } else {
            "replaced (tainted)"
        }
    );
}

#[test]
fn sigint_during_update_stop_wait_then_next_apply_finishes() {
    let env = Env::new();
    env.write_notebook(&notebook("  description = \"before\"\n"));
    env.h.init();
    env.h.apply();
    let id = env.only_id();
    set_transition(&env, SLOW_MS);
    env.clear_journal();
    env.write_notebook(&notebook("  description = \"after\"\n"));
    interrupt_apply_when(&env, "the update's stop wait", || {
        journal_has(&env, "POST", &format!("{id}/stop"))
            && status_of(&env) == Some(NotebookStatus::Stopping)
    });
    // The provider first tries the PUT while RUNNING (refused with 6347 under the strict policy): no PUT may
    // have been accepted.
    let accepted_puts = env
        .emu
        .journal()
        .iter()
        .filter(|e| e.method == "PUT" && e.status == 200)
        .count();
    assert_eq!(
        accepted_puts, 0,
        "a PUT was accepted although the notebook never stopped"
    );
    assert_eq!(state_addresses(&env), vec![ADDRESS.to_string()]);
    assert_eq!(env.state_value("id"), id.as_str());
    finish(&env);
    assert_eq!(env.only_id(), id, "the notebook was replaced");
    assert_eq!(env.notebooks()[0].description.as_deref(), Some("after"));
}

#[test]
fn sigint_after_the_put_during_the_start_wait_then_next_apply_finishes() {
    let env = Env::new();
    env.write_notebook(&notebook("  description = \"before\"\n"));
    env.h.init();
    env.h.apply();
    let id = env.only_id();
    // Stops are instant; the restart after the PUT takes long.
    env.emu
        .force_status(&id, NotebookStatus::Stopped, None, None)
        .unwrap();
    env.h.run(&["refresh", "-input=false", "-no-color"]);
    set_transition(&env, SLOW_MS);
    env.clear_journal();
    env.write_notebook(&notebook("  description = \"after\"\n"));
    interrupt_apply_when(&env, "the update's start wait", || {
        journal_has(&env, "PUT", &id)
            && journal_has(&env, "POST", &format!("{id}/start"))
            && status_of(&env) == Some(NotebookStatus::Starting)
    });
    assert_eq!(state_addresses(&env), vec![ADDRESS.to_string()]);
    assert_eq!(env.notebooks()[0].description.as_deref(), Some("after"));
    finish(&env);
    assert_eq!(env.only_id(), id, "the notebook was replaced");
}
