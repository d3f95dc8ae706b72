//! README.md promises that every command it shows is exercised by a test or by `make demo`. This keeps the
//! promise checkable: each shell line in the README must match a known command, and the place that exercises it
//! must still contain it.

use std::path::Path;

/// (command pattern, file that exercises it, text proving it does).
const EXERCISED: &[(&str, &str, &str)] = &[
    (r"^make demo$", "Makefile", "scripts/demo.sh"),
    (r"^make test$", "Makefile", "test: tools"),
    (
        r"^export HW_ACCESS_KEY=\.\.\. HW_SECRET_KEY=\.\.\.$",
        "src/provider_tests.rs",
        "(\"HW_ACCESS_KEY\", \"AK\")",
    ),
    (
        r"^export HW_REGION_NAME=cn-north-4 HW_PROJECT_ID=\.\.\.$",
        "src/provider_tests.rs",
        "(\"HW_PROJECT_ID\", \"p-env\")",
    ),
    (
        r"^terraform plan$",
        "acceptance-tests/harness.rs",
        "\"plan\", \"-input=false\"",
    ),
    (
        r"^make install$",
        "scripts/demo.sh",
        "install PROFILE=dev MIRROR_DIR=",
    ),
    (
        r"^export TF_CLI_CONFIG_FILE=\$PWD/\.tools/terraform\.rc$",
        "Makefile",
        "export TF_CLI_CONFIG_FILE=$(CLI_CONFIG)",
    ),
    (
        r"^cargo build --bin modelarts-emulator$",
        "scripts/demo.sh",
        "--bin modelarts-emulator",
    ),
    (
        r"^target/debug/modelarts-emulator --listen 127\.0\.0\.1:0 --transition-ms 300$",
        "scripts/demo.sh",
        "target/debug/modelarts-emulator\" --listen 127.0.0.1:0 --transition-ms 300",
    ),
    (
        r"^export TF_VAR_endpoint=http://127\.0\.0\.1:\d+$",
        "scripts/demo.sh",
        "export TF_VAR_endpoint=\"$emulator_url\"",
    ),
    (
        r"^TF_LOG=DEBUG terraform apply$",
        "acceptance-tests/terraform_basic.rs",
        "h.set_env(\"TF_LOG\"",
    ),
    (
        r"^terraform-provider-modelarts --debug$",
        "acceptance-tests/debug_mode.rs",
        ".arg(\"--debug\")",
    ),
];

/// The command lines of the README's ```sh blocks, without trailing comments.
fn readme_commands(readme: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut in_sh = false;
    for line in readme.lines() {
        if line.starts_with("```") {
            in_sh = !in_sh && line.trim() == "```sh";
            continue;
        }
        if in_sh {
            let command = line.split(" #").next().unwrap_or_default().trim();
            if !command.is_empty() && !command.starts_with('#') {
                out.push(command.to_string());
            }
        }
    }
    out
}

#[test]
fn every_readme_command_is_exercised() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let readme = std::fs::read_to_string(root.join("README.md")).unwrap();
    let commands = readme_commands(&readme);
    assert!(
        commands.len() >= 10,
        "README lost its commands: {commands:?}"
    );
    for command in &commands {
        let found = EXERCISED
            .iter()
            .find(|(pattern, _, _)| regex::Regex::new(pattern).unwrap().is_match(command));
        let Some((_, file, proof)) = found else {
            panic!(
                "README command `{command}` is not known to be exercised: cover it with a test or make demo, \
                 then list it in acceptance-tests/readme.rs"
            );
        };
        let text = std::fs::read_to_string(root.join(file)).unwrap();
        assert!(
            text.contains(proof),
            "README command `{command}` was exercised by {file}, which no longer contains {proof:?}"
        );
    }
}

#[test]
fn readme_commands_are_read_from_sh_blocks_only() {
    let text = "intro `make x`\n```sh\nmake a   # why\n# a comment\n\nexport B=1\n```\n```hcl\nmake no\n```\n";
    assert_eq!(readme_commands(text), vec!["make a", "export B=1"]);
}
