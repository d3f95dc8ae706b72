//! The runnable examples applied for real against the emulator: the team-notebooks module (create, change one
//! member in place, converge), and the CI drift script catching an out-of-band stop of the quickstart notebook.

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

    fn names_and_statuses(&self) -> Vec<(String, String, Option<i64>)> {
        let mut v: Vec<_> = self
            .emu
            .notebooks()
            .into_iter()
            .map(|(_, nb)| {
                let j = serde_json::to_value(&nb).unwrap();
                (
                    j["name"].as_str().unwrap_or_default().to_string(),
                    j["status"].as_str().unwrap_or_default().to_string(),
                    j["volume"]["capacity"].as_i64(),
                )
            })
            .collect();
        v.sort();
        v
    }
}

#[test]
fn team_notebooks_module_applies_and_updates_one_member_in_place() {
    let w = World::new();
    let dir = "modules/team-notebooks/examples/basic";
    w.tf(dir, &["init", "-input=false", "-no-color"]);
    w.tf(
        dir,
        &["apply", "-auto-approve", "-input=false", "-no-color"],
    );
    assert_eq!(w.plan_exit_code(dir), 0);
    let created = w.names_and_statuses();
    assert_eq!(
        created
            .iter()
            .map(|(n, s, _)| (n.as_str(), s.as_str()))
            .collect::<Vec<_>>(),
        vec![
            ("data-alice", "RUNNING"),
            ("data-bob", "RUNNING"),
            ("data-carol", "STOPPED")
        ],
        "{created:?}"
    );

    // Bob's storage grows: exactly his notebook is updated in place, nobody is replaced.
    let main = w.h.work_dir.join("examples").join(dir).join("main.tf");
    let text = std::fs::read_to_string(&main).unwrap();
    std::fs::write(
        &main,
        text.replace("storage_size = 10", "storage_size = 20"),
    )
    .unwrap();
    w.tf(dir, &["plan", "-input=false", "-no-color", "-out=tfplan"]);
    let show = w.tf(dir, &["show", "-json", "-no-color", "tfplan"]);
    let plan: Value = serde_json::from_str(&show.stdout).unwrap();
    let changes: Vec<(String, Value)> = plan["resource_changes"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|c| c["change"]["actions"] != serde_json::json!(["no-op"]))
        .map(|c| {
            (
                c["address"].as_str().unwrap().to_string(),
                c["change"]["actions"].clone(),
            )
        })
        .collect();
    assert_eq!(
        changes,
        vec![(
            "module.data_team.modelarts_notebook.member[\"bob\"]".to_string(),
            serde_json::json!(["update"])
        )]
    );
    w.tf(dir, &["apply", "-input=false", "-no-color", "tfplan"]);
    assert_eq!(w.plan_exit_code(dir), 0);
    let bob = w
        .names_and_statuses()
        .into_iter()
        .find(|(n, _, _)| n == "data-bob")
        .unwrap();
    assert_eq!(bob.2, Some(20), "{bob:?}");

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
