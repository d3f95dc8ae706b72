//! The provider's log lines as Terraform 1.0.3 writes them with `TF_LOG=DEBUG` (and with `TF_LOG_PROVIDER=DEBUG`
//! alone) into `TF_LOG_PATH`: a create and an update of a RUNNING notebook (stop → PUT → start) must show the
//! lifecycle steps at INFO and the client's requests and wait polls at DEBUG, each with the notebook id, the
//! API's request id (the very one the emulator journalled) and durations.

use std::path::PathBuf;

use crate::notebook_support::*;

/// go-plugin re-logs each JSON line under the plugin's logger, named after the binary; `@module` is a field.
const PROVIDER_LOGGER: &str = "provider.terraform-provider-modelarts_v0.1.0:";
const CLIENT_MODULE: &str = "@module=provider.terraform-provider-modelarts.client";
const ROOT_MODULE: &str = "@module=provider.terraform-provider-modelarts ";

struct Run {
    env: Env,
    log: PathBuf,
}

/// Creates a RUNNING notebook, then changes its flavor (which needs stop → PUT → start), logging with `vars`.
fn create_then_update(vars: &[(&str, &str)]) -> Run {
    let mut env = Env::with(Options {
        transition_ms: 40,
        ..Options::default()
    });
    let log = env.h.work_dir.join("terraform.log");
    env.h.set_env("TF_LOG_PATH", &log.display().to_string());
    for (k, v) in vars {
        env.h.set_env(k, v);
    }
    env.write_notebook(&notebook(""));
    env.h.init();
    env.h.apply();
    env.write_notebook(&notebook("").replace(FLAVOR, "modelarts.vm.cpu.4u"));
    env.apply_update();
    assert_eq!(
        env.calls(),
        vec!["POST /stop 200", "PUT / 200", "POST /start 200"]
    );
    Run { env, log }
}

impl Run {
    fn provider_lines(&self) -> Vec<String> {
        let text = std::fs::read_to_string(&self.log).expect("TF_LOG_PATH file");
        text.lines()
            .filter(|l| l.contains(PROVIDER_LOGGER))
            .map(str::to_string)
            .collect()
    }

    fn request_id_of(&self, method: &str, suffix: &str) -> String {
        self.env
            .emu
            .journal()
            .into_iter()
            .rev()
            .find(|e| e.method == method && e.path.ends_with(suffix))
            .map(|e| e.request_id)
            .unwrap_or_else(|| panic!("no {method} …{suffix} in the journal"))
    }
}

/// The first line holding every needle, and its position.
fn find(lines: &[String], needles: &[&str]) -> (usize, String) {
    lines
        .iter()
        .enumerate()
        .find(|(_, l)| needles.iter().all(|n| l.contains(n)))
        .map(|(i, l)| (i, l.clone()))
        .unwrap_or_else(|| {
            panic!(
                "no provider log line holds all of {needles:?}; provider lines:\n{}",
                lines.join("\n")
            )
        })
}

fn assert_lifecycle(run: &Run) {
    let lines = run.provider_lines();
    let id = run.env.only_id();
    let nb = format!("notebook_id={id}");
    let info = format!("[INFO]  {PROVIDER_LOGGER} ");
    let debug = format!("[DEBUG] {PROVIDER_LOGGER} ");

    // Create: the lifecycle line, and the client's line for the POST with the same request id (the journal
    // was cleared before the update, so the log is where the create's request id comes from).
    let (_, sent) = find(
        &lines,
        &[
            &info,
            "notebook create sent:",
            ROOT_MODULE,
            &nb,
            "request_id=",
        ],
    );
    let rid = sent
        .split("request_id=")
        .nth(1)
        .and_then(|r| r.split_whitespace().next())
        .expect("request id");
    find(
        &lines,
        &[
            &debug,
            "response:",
            CLIENT_MODULE,
            "operation=\"create notebook\"",
            "method=POST",
            &format!("request_id={rid}"),
            "duration_ms=",
            "attempt=1",
        ],
    );
    find(
        &lines,
        &[&info, "waiting for notebook:", &nb, "target=RUNNING"],
    );
    find(
        &lines,
        &[
            &debug,
            "wait poll:",
            CLIENT_MODULE,
            &nb,
            "status=",
            "elapsed_ms=",
            "next_delay_ms=",
        ],
    );
    find(&lines, &[&info, "notebook created:", &nb, "duration_ms="]);

    // Update: stop → PUT → start, in this order, each with the request id the emulator gave that request.
    let (updating, _) = find(
        &lines,
        &[&info, "updating notebook:", &nb, "changed=flavor"],
    );
    let stop_rid = run.request_id_of("POST", "/stop");
    let put_rid = run.request_id_of("PUT", &id);
    let start_rid = run.request_id_of("POST", "/start");
    let (stop, _) = find(
        &lines,
        &[
            &info,
            "notebook stop sent:",
            &nb,
            &format!("request_id={stop_rid}"),
        ],
    );
    let (stopped_poll, _) = find(
        &lines[stop..],
        &[
            &debug,
            "wait poll:",
            &nb,
            "target=STOPPED",
            "status=STOPPED",
        ],
    );
    let (put, _) = find(
        &lines,
        &[
            &info,
            "notebook update sent (PUT):",
            &nb,
            &format!("request_id={put_rid}"),
        ],
    );
    find(
        &lines,
        &[
            &debug,
            "response:",
            CLIENT_MODULE,
            "method=PUT",
            "status=200",
            &nb,
            &format!("request_id={put_rid}"),
        ],
    );
    let (start, _) = find(
        &lines,
        &[
            &info,
            "notebook start sent:",
            &nb,
            &format!("request_id={start_rid}"),
        ],
    );
    find(
        &lines[start..],
        &[
            &debug,
            "wait poll:",
            &nb,
            "target=RUNNING",
            "status=RUNNING",
        ],
    );
    let (updated, _) = find(&lines, &[&info, "notebook updated:", &nb, "duration_ms="]);
    assert!(
        updating < stop && stop + stopped_poll < put && put < start && start < updated,
        "lifecycle lines out of order: updating {updating}, stop {stop}, put {put}, start {start}, updated {updated}"
    );
    find(
        &lines,
        &[
            &info,
            "notebook read:",
            &nb,
            "status=RUNNING",
            "request_id=",
        ],
    );

    // DEBUG, not TRACE: no bodies.
    assert!(
        !lines.iter().any(|l| l.contains("response body:")),
        "TRACE lines at DEBUG"
    );
}

#[test]
fn tf_log_debug_shows_lifecycle_requests_and_polls() {
    let run = create_then_update(&[("TF_LOG", "DEBUG")]);
    assert_lifecycle(&run);
    let text = std::fs::read_to_string(&run.log).unwrap();
    assert!(
        text.contains("[DEBUG] Adding temp file log sink") || text.contains("Terraform version"),
        "TF_LOG=DEBUG also logs Terraform's own lines"
    );
}

#[test]
fn tf_log_provider_alone_shows_the_provider_lines() {
    let run = create_then_update(&[("TF_LOG_PROVIDER", "DEBUG")]);
    assert_lifecycle(&run);
    let text = std::fs::read_to_string(&run.log).unwrap();
    assert!(
        !text.contains("Terraform version"),
        "with TF_LOG unset Terraform's core lines stay off"
    );
}
