//! Faults with real Terraform: a fleet applied, updated (stop → PUT → start under the strict policy) and
//! destroyed with `-parallelism=10` while about 30 % of all API requests fail (429, 500, 503, connection reset
//! before or after processing) or stall. Each phase must converge (a second run is allowed), and afterwards there
//! are no orphans, no duplicates, state equals the emulator's truth and the next plan is empty.
//!
//! Figures go to stderr (`--nocapture`). Reproduce: `RELIABILITY_SEED=<seed> RELIABILITY_NOTEBOOKS=<n>
//! cargo test --test acceptance reliability_faults -- --nocapture`.

use std::time::Instant;

use modelarts::emulator::DeletePolicy;

use crate::notebook_support::*;
use crate::reliability_support::*;

const APPLY: &[&str] = &[
    "apply",
    "-auto-approve",
    "-input=false",
    "-no-color",
    "-parallelism=10",
];
const DESTROY: &[&str] = &[
    "destroy",
    "-auto-approve",
    "-input=false",
    "-no-color",
    "-parallelism=10",
];

/// Fault schedule slots armed per phase: well above the requests a phase makes.
const SLOTS: usize = 4000;
const RATE: f64 = 0.3;

fn phase(env: &Env, name: &str, seed: u64, args: &[&str], total: &mut Tally) -> usize {
    env.emu.clear_faults();
    env.clear_journal();
    let chaos = Chaos::arm(&env.emu, seed, RATE, SLOTS);
    let started = Instant::now();
    let runs = converge(&env.h, args, 3).len();
    let tally = chaos.tally(&env.emu);
    env.emu.clear_faults();
    eprintln!(
        "reliability: {name}: converged after {runs} run(s) in {:.1}s; {tally}",
        started.elapsed().as_secs_f64()
    );
    assert!(
        tally.failed() > 0,
        "{name}: the schedule injected no failure at all"
    );
    total.add(&tally);
    runs
}

#[test]
fn fleet_create_update_destroy_converge_under_thirty_percent_faults() {
    let n = fleet_size();
    let seed = seed(9);
    eprintln!("reliability: {n} notebooks, seed {seed}, fault rate {RATE}");
    // Strict delete policy: the provider must stop before deleting, more requests to fail.
    let env = Env::with(Options {
        transition_ms: 150,
        delete_policy: DeletePolicy::Strict,
        ..Options::default()
    });
    let image = pytorch();
    env.write(&fleet(n, "fleet", "v1", &image));
    env.h.init();
    let mut total = Tally::default();

    phase(&env, "create", seed, APPLY, &mut total);
    env.h.assert_empty_plan();
    assert_state_is_truth(&env.h, &env.emu, n);
    let created: Vec<String> = truth(&env.emu).into_keys().collect();

    // Every notebook is RUNNING, so each update is stop → PUT → start.
    env.write(&fleet(n, "fleet", "v2", &image));
    phase(&env, "update", seed + 1, APPLY, &mut total);
    env.h.assert_empty_plan();
    assert_state_is_truth(&env.h, &env.emu, n);
    let t = truth(&env.emu);
    assert_eq!(
        t.keys().cloned().collect::<Vec<_>>(),
        created,
        "the update replaced notebooks"
    );
    for nb in t.values() {
        assert_eq!(nb["description"], "v2");
        assert_eq!(nb["status"], "RUNNING", "restored after the update");
    }

    phase(&env, "destroy", seed + 2, DESTROY, &mut total);
    assert!(env.emu.notebooks().is_empty(), "destroy left notebooks");
    assert!(state_notebooks(&env.h).is_empty(), "destroy left state");
    eprintln!("reliability: total: {total}");
}

/// Throttling (or an unavailable service) that outlasts `max_retries`: the apply stops within bounded time
/// with the server's code in a clear error, creates nothing twice, and the next apply (service back) converges.
#[test]
fn throttling_beyond_max_retries_fails_clearly_without_hanging() {
    let mut env = Env::new();
    env.provider_setting("max_retries = 2");
    env.write(&fleet(3, "throttled", "d", &pytorch()));
    env.h.init();
    for (status, code) in [(429, "APIGW.0308"), (503, "ModelArts.6101")] {
        env.emu.clear_faults();
        let spec = serde_json::json!({"path": "/v1/**", "count": 10_000, "action": "error",
            "status": status, "error_code": code, "error_msg": "The throttling threshold has been reached."});
        env.emu
            .add_fault(serde_json::from_value(spec).unwrap())
            .unwrap();
        let started = Instant::now();
        let out = env.h.run(APPLY);
        let took = started.elapsed();
        assert_no_crash(&out);
        assert_ne!(out.code, 0, "HTTP {status} on every request cannot succeed");
        assert!(
            out.stderr.contains(code) && out.stderr.contains(&format!("HTTP {status}")),
            "the error must carry the server's answer (HTTP {status}, {code}):\n{}",
            out.stderr
        );
        // Three attempts per call with sub-second backoff: far below the harness's hang limit.
        assert!(
            took.as_secs() < 60,
            "HTTP {status}: the apply took {took:?}"
        );
        eprintln!("reliability: HTTP {status} beyond max_retries = 2: failed cleanly in {took:?}");
    }
    env.emu.clear_faults();
    assert!(env.emu.notebooks().is_empty(), "a refused create created");
    env.h.apply();
    assert_state_is_truth(&env.h, &env.emu, 3);
}
