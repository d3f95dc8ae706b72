//! The runnable examples applied for real against the emulator: the team-notebooks root example, the CI drift
//! script catching an out-of-band stop of the quickstart notebook, and a TRACE log free of secrets.

use std::path::Path;

use modelarts::api::NotebookStatus;
use modelarts::emulator::{Emulator, EmulatorHandle};
use serde_json::Value;

use crate::examples::{copy_examples, drift_check};
use crate::harness::{Harness, Output};

/// An emulator on its own runtime plus a Terraform working directory holding a copy of examples/.
struct World {
    _rt: tokio::runtime::Runtime,
    emu: EmulatorHandle,
    h: Harness,
}

impl World {
    fn new() -> World {
        let rt = tokio::runtime::Builder::new_multi_thread()
            .worker_threads(1)
            .enable_all()
            .build()
            .unwrap();
        let emu = rt
            .block_on(Emulator::builder().transition_ms(0).start())
            .unwrap();
        let mut h = Harness::new();
        copy_examples(
            &Path::new(env!("CARGO_MANIFEST_DIR")).join("examples"),
            &h.work_dir.join("examples"),
        );
        // Every example that talks to the API takes its endpoint from this variable.
        h.set_env("TF_VAR_endpoint", &emu.base_url);
        World { _rt: rt, emu, h }
    }

    fn tf(&self, dir: &str, args: &[&str]) -> Output {
        let chdir = format!("-chdir=examples/{dir}");
        let mut all = vec![chdir.as_str()];
        all.extend_from_slice(args);
        let out = self.h.run(&all);
        assert_eq!(
            out.code,
            0,
            "terraform {args:?} in examples/{dir}:\n{}",
            out.combined()
        );
        out
    }

    fn plan_exit_code(&self, dir: &str) -> i32 {
        let chdir = format!("-chdir=examples/{dir}");
        self.h
            .run(&[
                &chdir,
                "plan",
                "-detailed-exitcode",
                "-input=false",
                "-no-color",
            ])
            .code
    }

    /// (name, storage GB, status) of every notebook in the emulator, sorted.
    fn names_sizes_statuses(&self) -> Vec<(String, Option<i64>, String)> {
        let mut v: Vec<_> = self
            .emu
            .notebooks()
            .into_iter()
            .map(|(_, nb)| {
                let j = serde_json::to_value(&nb).unwrap();
                (
                    j["name"].as_str().unwrap_or_default().to_string(),
                    j["volume"]["capacity"].as_i64(),
                    j["status"].as_str().unwrap_or_default().to_string(),
                )
            })
            .collect();
        v.sort();
        v
    }
}

#[test]
fn team_notebooks_root_example_applies_as_written() {
    let w = World::new();
    let dir = "modules/team-notebooks/examples/basic";
    w.tf(dir, &["init", "-input=false", "-no-color"]);
    w.tf(
        dir,
        &["apply", "-auto-approve", "-input=false", "-no-color"],
    );
    assert_eq!(w.plan_exit_code(dir), 0);
    assert_eq!(
        w.names_sizes_statuses(),
        vec![
            ("data-alice".to_string(), Some(10), "RUNNING".to_string()),
            ("data-bob".to_string(), Some(10), "RUNNING".to_string()),
            ("data-carol".to_string(), Some(10), "RUNNING".to_string()),
        ]
    );
    let out = w.tf(dir, &["output", "-json", "notebook_ids"]);
    let ids: Value = serde_json::from_str(&out.stdout).unwrap();
    assert_eq!(ids.as_object().map(|o| o.len()), Some(3), "{ids}");
    w.tf(
        dir,
        &["destroy", "-auto-approve", "-input=false", "-no-color"],
    );
    assert!(w.emu.notebooks().is_empty());
}

#[test]
fn drift_script_reports_an_out_of_band_stop_of_the_quickstart_notebook() {
    let w = World::new();
    w.tf("quickstart", &["init", "-input=false", "-no-color"]);
    w.tf(
        "quickstart",
        &["apply", "-auto-approve", "-input=false", "-no-color"],
    );
    let clean = drift_check(
        &w.h,
        "examples/quickstart",
        &[("TF_VAR_endpoint", &w.emu.base_url)],
    );
    assert_eq!(clean.code, 0, "{}", clean.combined());

    let (_, nb) = w.emu.notebooks().pop().unwrap();
    let id = nb.id.clone().unwrap();
    w.emu
        .force_status(&id, NotebookStatus::Stopped, None, None)
        .unwrap();
    let drift = drift_check(
        &w.h,
        "examples/quickstart",
        &[("TF_VAR_endpoint", &w.emu.base_url)],
    );
    assert_eq!(drift.code, 2, "{}", drift.combined());
    let report = &drift.stdout;
    assert!(
        report.starts_with("DRIFT DETECTED in examples/quickstart\n"),
        "{report}"
    );
    assert!(
        report.contains(
            "Planned to converge:\n  - modelarts_notebook.quickstart will be updated in-place\n"
        ),
        "{report}"
    );
    assert!(
        report.contains("Plan: 0 to add, 1 to change, 0 to destroy."),
        "{report}"
    );
    assert!(report.contains("~ desired_state"), "{report}");

    // Converge: the apply starts the notebook again and the next check is clean.
    w.tf(
        "quickstart",
        &["apply", "-auto-approve", "-input=false", "-no-color"],
    );
    let after = drift_check(
        &w.h,
        "examples/quickstart",
        &[("TF_VAR_endpoint", &w.emu.base_url)],
    );
    assert_eq!(after.code, 0, "{}", after.combined());
    w.tf(
        "quickstart",
        &["destroy", "-auto-approve", "-input=false", "-no-color"],
    );
}

#[test]
fn trace_log_of_the_quickstart_lifecycle_holds_no_secret() {
    let mut w = World::new();
    let log = w.h.work_dir.join("trace.log");
    w.tf("quickstart", &["init", "-input=false", "-no-color"]);
    w.h.set_env("TF_LOG", "TRACE")
        .set_env("TF_LOG_PATH", log.to_str().unwrap());
    w.tf(
        "quickstart",
        &["apply", "-auto-approve", "-input=false", "-no-color"],
    );
    w.tf(
        "quickstart",
        &[
            "apply",
            "-auto-approve",
            "-input=false",
            "-no-color",
            "-var",
            "notebook_name=renamed",
        ],
    );
    let state = w.tf("quickstart", &["show", "-json", "-no-color"]);
    let state: Value = serde_json::from_str(&state.stdout).unwrap();
    let token = state
        .pointer("/values/root_module/resources/0/values/token")
        .and_then(Value::as_str)
        .unwrap()
        .to_string();
    assert!(
        token.len() >= 16,
        "the emulator gives every notebook a token: {token:?}"
    );
    w.tf(
        "quickstart",
        &["destroy", "-auto-approve", "-input=false", "-no-color"],
    );

    let text = std::fs::read_to_string(&log).unwrap();
    assert!(
        text.contains("provider.terraform-provider-modelarts"),
        "the provider's lines are missing from the trace log"
    );
    for (what, secret) in [
        ("secret key", modelarts::emulator::demo::SECRET_KEY),
        ("notebook token", token.as_str()),
    ] {
        assert!(
            !text.contains(secret),
            "the {what} appears in the TRACE log"
        );
    }
}
