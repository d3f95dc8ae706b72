//! The ambiguous create (the API created the notebook, the answer was lost) with real Terraform. The client's
//! strategy: never re-send such a create; list by name and creation time and adopt exactly one match. So a lost
//! answer gives one notebook, in state, never a duplicate; and when even the lookup fails, the apply stops with
//! an error that says so instead of guessing.

use modelarts::emulator::FaultSpec;
use serde_json::json;

use crate::notebook_support::*;
use crate::reliability_support::*;

fn fault(v: serde_json::Value) -> FaultSpec {
    serde_json::from_value(v).expect("fault spec")
}

fn posts(env: &Env) -> usize {
    env.emu
        .journal()
        .iter()
        .filter(|e| e.method == "POST" && e.path.ends_with("/notebooks"))
        .count()
}

#[test]
fn lost_create_answer_is_adopted_without_a_duplicate() {
    let env = Env::new();
    env.write_notebook(&notebook(""));
    env.h.init();
    env.emu
        .add_fault(fault(
            json!({"method": "POST", "path": "/v1/*/notebooks", "action": "drop_after"}),
        ))
        .unwrap();
    // The lookup itself is flaky too: the first two listings are refused.
    env.emu
        .add_fault(fault(
            json!({"method": "GET", "path": "/v1/*/notebooks", "count": 2,
            "action": "error", "status": 503, "error_code": "ModelArts.6101"}),
        ))
        .unwrap();
    env.h.apply();
    assert_eq!(posts(&env), 1, "the create was sent again");
    let dropped = env
        .emu
        .journal()
        .into_iter()
        .filter(|e| {
            e.fault
                .as_deref()
                .is_some_and(|f| f.starts_with("drop_after"))
        })
        .count();
    assert_eq!(dropped, 1, "the create's answer was dropped");
    assert_state_is_truth(&env.h, &env.emu, 1);
    assert_eq!(env.state_value("id"), env.only_id().as_str());
}

#[test]
fn lost_answers_across_a_fleet_leave_no_duplicate() {
    let env = Env::new();
    env.write(&fleet(6, "amb", "d", &pytorch()));
    env.h.init();
    env.emu
        .add_fault(fault(
            json!({"method": "POST", "path": "/v1/*/notebooks", "count": 6,
            "action": "drop_after"}),
        ))
        .unwrap();
    converge(
        &env.h,
        &[
            "apply",
            "-auto-approve",
            "-input=false",
            "-no-color",
            "-parallelism=6",
        ],
        1,
    );
    env.h.assert_empty_plan();
    assert_eq!(posts(&env), 6);
    assert_state_is_truth(&env.h, &env.emu, 6);
}

#[test]
fn lost_create_answer_with_the_lookup_down_fails_clearly() {
    let mut env = Env::new();
    env.provider_setting("max_retries = 1");
    env.write_notebook(&notebook(""));
    env.h.init();
    env.emu
        .add_fault(fault(
            json!({"method": "POST", "path": "/v1/*/notebooks", "action": "drop_after"}),
        ))
        .unwrap();
    env.emu
        .add_fault(fault(
            json!({"method": "GET", "path": "/v1/*/notebooks", "count": 100,
            "action": "error", "status": 503, "error_code": "ModelArts.6101"}),
        ))
        .unwrap();
    let out = env
        .h
        .run(&["apply", "-auto-approve", "-input=false", "-no-color"]);
    assert_no_crash(&out);
    assert_ne!(
        out.code,
        0,
        "the apply cannot know the outcome:\n{}",
        out.combined()
    );
    let err = out.stderr.replace('\n', " ");
    for needle in ["nb-1", "outcome is unknown", "console"] {
        assert!(
            err.contains(needle),
            "the error should name the notebook and say what to check ({needle:?}):\n{}",
            out.stderr
        );
    }
    assert_eq!(posts(&env), 1, "the create was sent again");
    // Recorded, not hidden: the one notebook that exists is the one the error is about.
    assert_eq!(env.notebooks().len(), 1);
}
