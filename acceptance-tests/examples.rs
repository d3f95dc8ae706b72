//! The HCL under `examples/` with the real Terraform: every file is `terraform fmt` clean, every example
//! directory passes `init` + `validate` against the freshly built provider, and the CI drift script maps plan
//! exit codes to its report.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::Duration;

use modelarts::provider::ModelArtsProvider;
use modelarts::tf::Provider;

use crate::harness::{required_providers_block, run_with_timeout, Harness, Output};

/// Resource (`resource.TYPE`) and data source (`data.TYPE`) types the examples use before the provider serves
/// them, with the example directories that wait for them. The test fails when an entry here is served (remove
/// it: its examples are then validated) or when an example uses an unserved type not listed here.
const PENDING: &[(&str, &[&str])] = &[];

fn repo_examples() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("examples")
}

/// Copies the HCL examples (not Terraform's working files, not Rust examples) to `to`.
pub fn copy_examples(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).unwrap();
    for entry in std::fs::read_dir(from).unwrap() {
        let entry = entry.unwrap();
        let name = entry.file_name().to_string_lossy().into_owned();
        let path = entry.path();
        if path.is_dir() {
            if name != ".terraform" {
                copy_examples(&path, &to.join(&name));
            }
        } else if !name.ends_with(".rs")
            && !name.starts_with(".terraform")
            && !name.ends_with(".tfstate")
        {
            std::fs::copy(&path, to.join(&name)).unwrap();
        }
    }
}

/// Directories (relative to examples/) holding `.tf` files.
fn example_dirs(root: &Path, rel: &Path, out: &mut Vec<PathBuf>) {
    let dir = root.join(rel);
    let mut has_tf = false;
    let mut entries: Vec<_> = std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect();
    entries.sort();
    for path in entries {
        let name = path.file_name().unwrap().to_string_lossy().into_owned();
        if path.is_dir() {
            if name != ".terraform" {
                example_dirs(root, &rel.join(&name), out);
            }
        } else if name.ends_with(".tf") {
            has_tf = true;
        }
    }
    if has_tf {
        out.push(rel.to_path_buf());
    }
}

/// `resource.modelarts_*` and `data.modelarts_*` types a directory uses, following local module sources.
fn used_types(dir: &Path) -> BTreeSet<String> {
    let block = regex::Regex::new(r#"(?m)^\s*(resource|data)\s+"(modelarts_[a-z_]+)""#).unwrap();
    let module = regex::Regex::new(r#"(?m)^\s*source\s*=\s*"(\.{1,2}/[^"]*)""#).unwrap();
    let mut types = BTreeSet::new();
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.extension().is_some_and(|e| e == "tf") {
            let text = std::fs::read_to_string(&path).unwrap();
            types.extend(
                block
                    .captures_iter(&text)
                    .map(|c| format!("{}.{}", &c[1], &c[2])),
            );
            for c in module.captures_iter(&text) {
                types.extend(used_types(&dir.join(&c[1])));
            }
        }
    }
    types
}

fn declares_required_providers(dir: &Path) -> bool {
    std::fs::read_dir(dir).unwrap().any(|e| {
        let path = e.unwrap().path();
        path.extension().is_some_and(|x| x == "tf")
            && std::fs::read_to_string(&path)
                .unwrap()
                .contains("required_providers")
    })
}

fn served_types() -> BTreeSet<String> {
    let p = ModelArtsProvider::with_env(|_| None);
    p.resources()
        .iter()
        .map(|r| format!("resource.{}", r.type_name()))
        .chain(
            p.data_sources()
                .iter()
                .map(|d| format!("data.{}", d.type_name())),
        )
        .collect()
}

#[test]
fn examples_are_terraform_fmt_clean() {
    let h = Harness::new();
    let examples = h.work_dir.join("examples");
    copy_examples(&repo_examples(), &examples);
    let out = h.run(&[
        "fmt",
        "-check",
        "-recursive",
        "-diff",
        "-no-color",
        "examples",
    ]);
    assert_eq!(
        out.code,
        0,
        "run `terraform fmt -recursive examples/`:\n{}",
        out.combined()
    );
}

#[test]
fn every_example_directory_validates() {
    let h = Harness::new();
    let examples = h.work_dir.join("examples");
    copy_examples(&repo_examples(), &examples);
    let mut dirs = Vec::new();
    example_dirs(&examples, Path::new(""), &mut dirs);
    for required in [
        "provider",
        "resources/modelarts_notebook",
        "data-sources/modelarts_notebook",
        "data-sources/modelarts_notebooks",
        "data-sources/modelarts_notebook_flavors",
        "data-sources/modelarts_notebook_images",
        "quickstart",
        "modules/team-notebooks",
        "modules/team-notebooks/examples/basic",
    ] {
        assert!(
            dirs.iter().any(|d| d == Path::new(required)),
            "examples/{required} is missing: {dirs:?}"
        );
    }

    let served = served_types();
    for (ty, _) in PENDING {
        assert!(
            !served.contains(*ty),
            "the provider now serves {ty}: remove it from PENDING in acceptance-tests/examples.rs"
        );
    }
    let mut validated = 0;
    for dir in &dirs {
        let rel = dir.to_string_lossy().into_owned();
        let missing: Vec<String> = used_types(&examples.join(dir))
            .into_iter()
            .filter(|t| !served.contains(t))
            .collect();
        if !missing.is_empty() {
            for ty in &missing {
                assert!(
                    PENDING
                        .iter()
                        .any(|(t, ds)| t == ty && ds.contains(&rel.as_str())),
                    "examples/{rel} uses {ty}, which the provider does not serve"
                );
            }
            continue;
        }
        // Registry-style snippets (resources/, data-sources/) leave the provider source to the user's
        // configuration, as the docs show them; give them the mirror's.
        let full = examples.join(dir);
        if !declares_required_providers(&full) {
            std::fs::write(full.join("versions.tf"), required_providers_block()).unwrap();
        }
        let chdir = format!("-chdir=examples/{rel}");
        let init = h.run(&[
            &chdir,
            "init",
            "-input=false",
            "-no-color",
            "-backend=false",
        ]);
        assert_eq!(init.code, 0, "init of examples/{rel}:\n{}", init.combined());
        let validate = h.run(&[&chdir, "validate", "-no-color"]);
        assert_eq!(
            validate.code,
            0,
            "validate of examples/{rel}:\n{}",
            validate.combined()
        );
        assert!(
            validate.stdout.contains("The configuration is valid"),
            "{}",
            validate.combined()
        );
        validated += 1;
    }
    assert!(validated >= 1, "no example directory was validated");
}

/// Runs `examples/ci-drift/drift-check.sh` on `dir` (relative to the harness working directory).
pub fn drift_check(h: &Harness, dir: &str, env: &[(&str, &str)]) -> Output {
    let mut cmd = Command::new(repo_examples().join("ci-drift/drift-check.sh"));
    cmd.arg(dir)
        .current_dir(&h.work_dir)
        .env("TERRAFORM", &h.terraform)
        .env("TF_CLI_CONFIG_FILE", &h.cli_config)
        .env("CHECKPOINT_DISABLE", "1")
        .env_remove("TF_LOG")
        .env_remove("DRIFT_REPORT");
    for (k, v) in env {
        cmd.env(k, v);
    }
    run_with_timeout(cmd, Duration::from_secs(180))
}

#[test]
fn ci_drift_script_maps_plan_exit_codes_to_a_report() {
    let h = Harness::new();
    let dir = h.work_dir.join("stack");
    std::fs::create_dir_all(&dir).unwrap();
    // Outputs stand in for resources here: a changed output is a pending change exactly like drift.
    std::fs::write(
        dir.join("main.tf"),
        "output \"owner\" {\n  value = \"team-a\"\n}\n",
    )
    .unwrap();
    let apply = h.run(&[
        "-chdir=stack",
        "apply",
        "-auto-approve",
        "-input=false",
        "-no-color",
    ]);
    assert_eq!(apply.code, 0, "{}", apply.combined());

    let clean = drift_check(&h, "stack", &[]);
    assert_eq!(clean.code, 0, "{}", clean.combined());
    assert_eq!(clean.stdout, "no drift: stack matches its configuration\n");

    std::fs::write(
        dir.join("main.tf"),
        "output \"owner\" {\n  value = \"team-b\"\n}\n",
    )
    .unwrap();
    let drift = drift_check(&h, "stack", &[]);
    assert_eq!(drift.code, 2, "{}", drift.combined());
    assert!(
        drift.stdout.starts_with("DRIFT DETECTED in stack\n"),
        "{}",
        drift.stdout
    );
    assert!(
        drift
            .stdout
            .contains("Output changes:\n  ~ owner = \"team-a\" -> \"team-b\"\n"),
        "{}",
        drift.stdout
    );

    std::fs::write(dir.join("main.tf"), "output \"owner\" {\n").unwrap();
    let broken = drift_check(&h, "stack", &[]);
    assert_eq!(broken.code, 1, "{}", broken.combined());
    assert!(
        broken
            .stdout
            .starts_with("ERROR: terraform plan failed in stack (exit 1); drift unknown\n"),
        "{}",
        broken.stdout
    );
}
