//! Regenerates the Terraform Registry docs (`docs/index.md`, `docs/resources/`, `docs/data-sources/`,
//! `docs/guides/`) from the provider schema, `docs/templates/` and `examples/`. Run `make docs`
//! (= `cargo run --example docgen`); `--check` only reports drift and exits 1 if there is any.

use std::path::Path;
use std::process::ExitCode;

use modelarts::docgen;
use modelarts::provider::ModelArtsProvider;

fn main() -> anyhow::Result<ExitCode> {
    let check_only = match std::env::args().nth(1).as_deref() {
        None => false,
        Some("--check") => true,
        Some(other) => anyhow::bail!("unknown argument {other:?}; usage: docgen [--check]"),
    };
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    // The schema must not depend on the caller's HW_* variables: render without an environment.
    let provider = ModelArtsProvider::with_env(|_| None);
    let pages = docgen::render_all(&provider, root)?;
    let drift = if check_only {
        docgen::check(root, &pages)?
    } else {
        docgen::write(root, &pages)?
    };
    for d in &drift {
        println!("{d}");
    }
    if drift.is_empty() {
        println!("docs: {} pages up to date", pages.len());
    } else if !check_only {
        println!(
            "docs: {} of {} pages written or removed",
            drift.len(),
            pages.len()
        );
    }
    Ok(if check_only && !drift.is_empty() {
        ExitCode::FAILURE
    } else {
        ExitCode::SUCCESS
    })
}
