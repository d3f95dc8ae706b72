//! Section 4: API calls per operation, from the emulator's journal, with real Terraform and one notebook:
//! create, refresh, updates of a running notebook (a field the live API takes while running, under the
//! emulator's `hot` policy; a field that needs the notebook stopped: stop, PUT, start), update of a stopped
//! notebook, destroy. Each operation is planned to a file first, so the journal of `apply tfplan` holds exactly the
//! operation's calls (a saved plan is applied without a second refresh). Run at transition 0 (the minimum calls)
//! and at a short non-zero transition, where the journal's timestamps give the time spent waiting on polls.

use std::collections::BTreeMap;
use std::path::Path;
use std::time::Duration;

use crate::emulator::{Call, EmulatorProcess};
use crate::scale::count_calls;
use crate::tf::Workspace;
use crate::BoxError;

const LIMIT: Duration = Duration::from_secs(300);

/// One operation's calls and, per wait in it, (action, wait from the action's request to the poll that saw
/// the target, polls in that wait).
#[derive(Debug, Clone)]
pub struct Operation {
    pub name: &'static str,
    pub calls: BTreeMap<String, usize>,
    pub sequence: Vec<String>,
    pub waits: Vec<Wait>,
}

#[derive(Debug, Clone)]
pub struct Wait {
    pub action: String,
    pub waited: Duration,
    pub polls: usize,
}

/// Splits a journal into waits: each state-changing request followed by the GETs up to the next one. The
/// last GET of each group is the one that saw the target (the provider stops polling then).
pub fn waits(calls: &[Call]) -> Vec<Wait> {
    let mut out = Vec::new();
    let mut i = 0;
    while i < calls.len() {
        if calls[i].method == "GET" {
            i += 1;
            continue;
        }
        let start = &calls[i];
        let mut j = i + 1;
        while j < calls.len() && calls[j].method == "GET" {
            j += 1;
        }
        let gets = &calls[i + 1..j];
        if let Some(last) = gets.last() {
            out.push(Wait {
                action: start.kind(),
                waited: Duration::from_millis(
                    u64::try_from(last.time_ms - start.time_ms).unwrap_or(0),
                ),
                polls: gets.len(),
            });
        }
        i = j;
    }
    out
}

fn config(base_url: &str, image_id: &str, description: &str, desired: &str) -> String {
    let mut hcl = crate::scale::notebook_config(base_url, image_id, 1);

    let body =
        format!("  description   = \"{description}\"\n  desired_state = \"{desired}\"\n}}\n");
    if let Some(pos) = hcl.rfind("}\n") {
        hcl.replace_range(pos.., &body);
    }
    hcl
}

/// Plans to a file, then applies the saved plan with a clean journal; returns the operation's calls.
fn operation(
    ws: &Workspace,
    emu: &EmulatorProcess,
    name: &'static str,
    plan_args: &[&str],
) -> Result<Operation, BoxError> {
    let mut args = vec!["plan", "-input=false", "-no-color", "-out=tfplan"];
    args.extend_from_slice(plan_args);
    ws.run_expect(&args, LIMIT, &[0])?;
    emu.clear_journal()?;
    ws.run_expect(
        &["apply", "-input=false", "-no-color", "tfplan"],
        LIMIT,
        &[0],
    )?;
    let journal = emu.journal()?;
    Ok(Operation {
        name,
        calls: count_calls(&journal),
        sequence: journal
            .iter()
            .map(|c| format!("{} {}", c.kind(), c.status))
            .collect(),
        waits: waits(&journal),
    })
}

/// Operation names; [`minimum_gets`] keys on them.
pub const CREATE: &str = "create (RUNNING)";
pub const REFRESH: &str = "refresh (no-op plan)";
pub const UPDATE_HOT: &str =
    "update of a RUNNING notebook, field the API takes while running (description)";
pub const UPDATE_STOP: &str = "update of a RUNNING notebook that needs it stopped (image_id)";
pub const UPDATE_STOPPED: &str = "update of a STOPPED notebook (description)";
pub const DESTROY: &str = "destroy (STOPPED)";

/// GETs an operation cannot do without: one to see each transition's end, and one for the state before a PUT.
pub fn minimum_gets(name: &str) -> usize {
    match name {
        UPDATE_STOP => 3,
        _ => 1,
    }
}

/// The operations at `transition_ms`, in this order: create, refresh, the two running updates, the stopped
/// update, destroy.
pub fn run(
    terraform: &Path,
    cli_config: &Path,
    dir: &Path,
    emu: &EmulatorProcess,
    image_id: &str,
    other_image_id: &str,
    transition_ms: u64,
) -> Result<Vec<Operation>, BoxError> {
    emu.reset()?;
    emu.settings(serde_json::json!({ "transition_ms": transition_ms, "update_policy": "strict" }))?;
    let ws = Workspace::new(terraform, cli_config, dir.to_path_buf())?;
    let url = &emu.base_url;
    ws.write_config(&config(url, image_id, "v1", "RUNNING"))?;
    ws.run_expect(&["init", "-input=false", "-no-color"], LIMIT, &[0])?;
    let mut ops = vec![operation(&ws, emu, CREATE, &[])?];

    emu.clear_journal()?;
    ws.run_expect(
        &["plan", "-detailed-exitcode", "-input=false", "-no-color"],
        LIMIT,
        &[0],
    )?;
    let journal = emu.journal()?;
    ops.push(Operation {
        name: REFRESH,
        calls: count_calls(&journal),
        sequence: journal
            .iter()
            .map(|c| format!("{} {}", c.kind(), c.status))
            .collect(),
        waits: Vec::new(),
    });

    emu.settings(serde_json::json!({ "update_policy": "hot" }))?;
    ws.write_config(&config(url, image_id, "v2", "RUNNING"))?;
    ops.push(operation(&ws, emu, UPDATE_HOT, &[])?);
    emu.settings(serde_json::json!({ "update_policy": "strict" }))?;

    ws.write_config(&config(url, other_image_id, "v2", "RUNNING"))?;
    ops.push(operation(&ws, emu, UPDATE_STOP, &[])?);

    ws.write_config(&config(url, other_image_id, "v2", "STOPPED"))?;
    ws.run_expect(
        &["apply", "-auto-approve", "-input=false", "-no-color"],
        LIMIT,
        &[0],
    )?;
    ws.write_config(&config(url, other_image_id, "v3", "STOPPED"))?;
    ops.push(operation(&ws, emu, UPDATE_STOPPED, &[])?);

    ops.push(operation(&ws, emu, DESTROY, &["-destroy"])?);
    emu.settings(serde_json::json!({ "transition_ms": 0 }))?;
    Ok(ops)
}

/// The waiter's poll times for the default settings: the first poll after `initial`, then doubling up to `max`.
pub fn poll_times(initial: Duration, max: Duration, until: Duration) -> Vec<Duration> {
    let mut t = Duration::ZERO;
    let mut d = initial;
    let mut out = Vec::new();
    while t < until && out.len() < 10_000 {
        t += d;
        out.push(t);
        d = (d * 2).min(max);
    }
    out
}

/// For a transition of `transition`: (polls until one sees the target, time waited, time waited past the end).
pub fn analytic_wait(
    initial: Duration,
    max: Duration,
    transition: Duration,
) -> (usize, Duration, Duration) {
    let times = poll_times(initial, max, transition);
    let waited = times.last().copied().unwrap_or(Duration::ZERO);
    (times.len(), waited, waited.saturating_sub(transition))
}

pub const CHECKS: &[(&str, fn())] = &[
    ("calls: waits split the journal at actions", check_waits),
    ("calls: analytic poll schedule", check_analytic),
];

fn call(t: i64, method: &str, path: &str) -> Call {
    Call {
        time_ms: t,
        method: method.into(),
        path: path.into(),
        status: 200,
    }
}

fn check_waits() {
    let p = "/v1/p/notebooks";
    let j = vec![
        call(0, "GET", "/v1/p/notebooks/x"),
        call(10, "POST", p),
        call(1010, "GET", "/v1/p/notebooks/x"),
        call(3010, "GET", "/v1/p/notebooks/x"),
        call(3020, "POST", "/v1/p/notebooks/x/stop"),
        call(3030, "PUT", "/v1/p/notebooks/x"),
    ];
    let w = waits(&j);
    assert_eq!(w.len(), 1);
    assert_eq!(
        (w[0].action.as_str(), w[0].waited, w[0].polls),
        ("POST", Duration::from_millis(3000), 2)
    );
    assert_eq!(j[4].kind(), "POST /stop");
}

fn check_analytic() {
    let s = Duration::from_secs;
    // 1, 3, 7, 15, 25, 35, ...: a 60 s transition is seen at 65 s, on the 9th poll.
    assert_eq!(analytic_wait(s(1), s(10), s(60)), (9, s(65), s(5)));
    assert_eq!(analytic_wait(s(1), s(10), s(3)), (2, s(3), s(0)));
}
