//! `make release`'s packaging (scripts/package.sh): the archive, checksums and manifest registries expect,
//! and a real `terraform init` that installs the provider from the packed mirror layout.

use std::process::Command;
use std::time::Duration;

use base64::Engine as _;
use sha2::{Digest, Sha256};

use crate::harness::{run_with_timeout, Harness, PROVIDER_SOURCE, PROVIDER_VERSION};
use crate::plugin::provider_binary;

const ZIP: &str = "terraform-provider-modelarts_0.1.0_linux_amd64.zip";

#[test]
fn terraform_init_installs_the_packed_release() {
    let h = Harness::new();
    let dist = h.work_dir.parent().unwrap().join("dist");
    let mut cmd = Command::new(concat!(env!("CARGO_MANIFEST_DIR"), "/scripts/package.sh"));
    cmd.arg(provider_binary())
        .arg(PROVIDER_VERSION)
        .arg(&dist)
        .arg("linux_amd64");
    let out = run_with_timeout(cmd, Duration::from_secs(300));
    assert_eq!(out.code, 0, "{}", out.combined());
    assert!(out.stdout.contains("filesystem_mirror {"), "{}", out.stdout);

    let manifest =
        std::fs::read_to_string(dist.join("terraform-provider-modelarts_0.1.0_manifest.json"))
            .unwrap();
    let manifest: serde_json::Value = serde_json::from_str(&manifest).unwrap();
    assert_eq!(
        manifest,
        serde_json::json!({"version": 1, "metadata": {"protocol_versions": ["5.0"]}})
    );

    let zip = std::fs::read(dist.join(ZIP)).unwrap();
    let zip_sha = hex::encode(Sha256::digest(&zip));
    let sums = std::fs::read_to_string(dist.join("terraform-provider-modelarts_0.1.0_SHA256SUMS"))
        .unwrap();
    let lines: Vec<&str> = sums.lines().collect();
    assert_eq!(lines.len(), 2, "{sums}");
    assert_eq!(lines[0], format!("{zip_sha}  {ZIP}"));
    assert!(
        lines[1].ends_with("  terraform-provider-modelarts_0.1.0_manifest.json"),
        "{sums}"
    );

    // Only the packed mirror: the harness's unpacked mirror is not consulted.
    let mirror = dist.join("mirror");
    assert!(mirror.join(PROVIDER_SOURCE).join(ZIP).is_file());
    std::fs::write(
        &h.cli_config,
        format!(
            "provider_installation {{\n  filesystem_mirror {{\n    path    = \"{}\"\n    include = [\"{PROVIDER_SOURCE}\"]\n  }}\n}}\n",
            mirror.display()
        ),
    )
    .unwrap();
    h.write_config("provider \"modelarts\" {}\n");
    let init = h.init();
    assert!(
        init.stdout
            .contains("Installed terraform.local/local/modelarts v0.1.0"),
        "{}",
        init.combined()
    );
    // The lock file's `h1:` hash (Terraform's dirhash of the unpacked package: the SHA-256 of the line
    // "<sha256 hex>  <file name>\n" per file) pins exactly the binary we packed.
    let binary = std::fs::read(provider_binary()).unwrap();
    let listing = format!(
        "{}  terraform-provider-modelarts_v{PROVIDER_VERSION}\n",
        hex::encode(Sha256::digest(&binary))
    );
    let h1 = base64::engine::general_purpose::STANDARD.encode(Sha256::digest(listing.as_bytes()));
    let lock = std::fs::read_to_string(h.work_dir.join(".terraform.lock.hcl")).unwrap();
    assert!(lock.contains(&format!("\"h1:{h1}\"")), "{lock}");
    let validate = h.validate();
    assert!(
        validate.stdout.contains("The configuration is valid"),
        "{}",
        validate.combined()
    );
}
