//! Invalid provider configurations with real Terraform: wrong types and values caught at validate time, and
//! credential, region, endpoint and identity problems caught at Configure or at the first API call. Each case
//! is an aliased provider block (read by a data source) in one working directory; every one must produce an
//! error located in its own block, name the setting and say how to fix it, without crashing or echoing a
//! secret.

use modelarts::emulator::demo;

use crate::bad_input_support::*;
use crate::notebook_support::*;
use crate::reliability_support::assert_no_crash;

struct Case {
    /// Provider block lines; `ENDPOINT` is replaced by the emulator's URL.
    lines: &'static str,
    /// The quoted source line must contain this ("" = any line of the block).
    source: &'static str,
    message: &'static str,
}

const AKSK: &str = "  access_key = \"MAEMULATORDEMOAK0001\"\n  secret_key = \"maEmulatorDemoSecretKey0000000000000001\"\n";

fn lines(region: bool, project: bool, creds: &str, endpoint: bool, extra: &str) -> String {
    let mut s = String::new();
    if region {
        s.push_str("  region = \"cn-north-4\"\n");
    }
    if project {
        s.push_str(&format!("  project_id = \"{}\"\n", demo::PROJECT_ID));
    }
    s.push_str(creds);
    if endpoint {
        s.push_str("  endpoints = { modelarts = \"ENDPOINT\" }\n");
    }
    s.push_str(extra);
    s
}

fn leak(s: String) -> &'static str {
    Box::leak(s.into_boxed_str())
}

fn ok_with(extra: &str) -> &'static str {
    leak(lines(true, true, AKSK, !extra.contains("endpoints"), extra))
}

/// Caught by `terraform validate` (schema validators and Terraform's own type checks).
fn static_cases() -> Vec<Case> {
    vec![
        Case {
            lines: ok_with("  max_retries = -1\n"),
            source: "max_retries",
            message: r"(?i)max_retries|between|at least",
        },
        Case {
            lines: ok_with("  max_retries = 2.5\n"),
            source: "max_retries",
            message: r"(?i)whole|integer",
        },
        Case {
            lines: ok_with("  max_retries = 1e20\n"),
            source: "max_retries",
            message: r"(?i)between|at most|4294967295",
        },
        Case {
            lines: ok_with("  endpoints = { modelarts = \"not a url\" }\n"),
            source: "endpoints",
            message: r"(?i)http\(s\) URL|not a valid URL",
        },
        Case {
            lines: ok_with("  endpoints = { modelarts = \"ftp://127.0.0.1:21\" }\n"),
            source: "endpoints",
            message: r"(?i)http\(s\) URL|http:// or https://",
        },
        Case {
            lines: ok_with("  insecure = \"maybe\"\n"),
            source: "insecure",
            message: r"Incorrect attribute value type",
        },
        Case {
            lines: ok_with("  endpoints = \"http://127.0.0.1:1\"\n"),
            source: "endpoints",
            message: r"Incorrect attribute value type.*map of string",
        },
        Case {
            lines: ok_with("  regoin = \"cn-north-4\"\n"),
            source: "regoin",
            message: r"Unsupported argument",
        },
    ]
}

/// Caught when the provider is configured or first calls the API (`terraform plan` reads the data sources).
fn configure_cases() -> Vec<Case> {
    vec![
        Case { lines: leak(lines(true, true, "", true, "")), source: "", message: r"Missing credentials.*access_key.*auth_token" },
        Case {
            lines: leak(lines(true, true, "  access_key = \"AK\"\n", true, "")),
            source: "access_key",
            message: r"Incomplete credentials.*secret_key",
        },
        Case {
            lines: leak(lines(true, true, "  secret_key = \"only-the-secret-0001\"\n", true, "")),
            source: "secret_key",
            message: r"Incomplete credentials.*access_key",
        },
        Case {
            lines: leak(lines(true, true, "  security_token = \"lonely-token-0002\"\n", true, "")),
            source: "security_token",
            message: r"Incomplete credentials.*temporary",
        },
        Case {
            lines: leak(lines(true, true, &format!("{AKSK}  auth_token = \"MIItoken-0003\"\n"), true, "")),
            source: "auth_token",
            message: r"Conflicting credentials",
        },
        Case {
            lines: leak(lines(
                true,
                true,
                "  auth_token = \"MIItoken-0004\"\n  security_token = \"sts-0005\"\n",
                true,
                "",
            )),
            source: "security_token",
            message: r"Conflicting credentials.*security_token",
        },
        Case { lines: leak(lines(false, true, AKSK, true, "")), source: "", message: r"Missing region.*HW_REGION_NAME" },
        Case { lines: leak(lines(true, false, AKSK, true, "")), source: "", message: r"Missing project_id.*HW_PROJECT_ID" },
        Case {
            lines: leak(lines(false, true, AKSK, true, "  region = \"\"\n")),
            source: "",
            message: r"Missing region",
        },
        Case {
            lines: ok_with("  endpoints = { modelarts = \"http://192.0.2.10:8080\" }\n"),
            source: "",
            message: r"(?i)non-loopback.*https",
        },
        Case {
            lines: leak(lines(
                true,
                true,
                "  access_key = \"MAEMULATORDEMOAK0001\"\n  secret_key = \"wrong-secret-key-0006\"\n",
                true,
                "",
            )),
            source: "",
            message: r"APIGW\.0301",
        },
        Case {
            lines: leak(
                lines(false, false, AKSK, true, "  region = \"cn-north-4\"\n  project_id = \"fedcba9876543210fedcba9876543210\"\n"),
            ),
            source: "",
            message: r"ModelArts\.0210",
        },
    ]
}

/// Writes one aliased provider and one data source per case; returns each case's provider-block line range.
fn write(env: &Env, cases: &[Case]) -> Vec<std::ops::RangeInclusive<usize>> {
    let mut hcl = String::new();
    let mut line = env_lines(&hcl);
    let mut ranges = Vec::new();
    for (i, c) in cases.iter().enumerate() {
        let block = format!(
            "provider \"modelarts\" {{\n  alias = \"p{i:02}\"\n{}}}\n",
            c.lines.replace("ENDPOINT", &env.emu.base_url)
        );
        let n = block.lines().count();
        ranges.push(line + 1..=line + n);
        hcl.push_str(&block);
        hcl.push_str(&format!(
            "data \"modelarts_notebook_flavors\" \"p{i:02}\" {{\n  provider = modelarts.p{i:02}\n}}\n"
        ));
        line = env_lines(&hcl);
    }
    env.h.write_config(&hcl);
    ranges
}

fn env_lines(s: &str) -> usize {
    s.lines().count()
}

fn check(
    cases: &[Case],
    ranges: &[std::ops::RangeInclusive<usize>],
    out: &crate::harness::Output,
) -> usize {
    let diags = diagnostics(out);
    let mut failures = Vec::new();
    for (i, (c, r)) in cases.iter().zip(ranges).enumerate() {
        let errs: Vec<&Diag> = errors_in_lines(&diags, r.clone())
            .into_iter()
            .chain(errors_for(
                &diags,
                &format!("data.modelarts_notebook_flavors.p{i:02}"),
            ))
            .collect();
        let re = regex::Regex::new(c.message).unwrap();
        let hit = errs.iter().any(|d| {
            re.is_match(&format!("{} {}", d.summary, d.detail)) && d.source.contains(c.source)
        });
        if !hit {
            failures.push(format!(
                "p{i:02} (lines {r:?}): want /{}/ on a line containing {:?}; got {errs:#?}",
                c.message, c.source
            ));
        }
    }
    assert!(
        failures.is_empty(),
        "{}\n\n{}",
        failures.join("\n"),
        out.combined()
    );
    diags.len()
}

const SECRETS: &[&str] = &[
    "only-the-secret-0001",
    "lonely-token-0002",
    "MIItoken-0003",
    "MIItoken-0004",
    "sts-0005",
    "wrong-secret-key-0006",
    "maEmulatorDemoSecretKey0000000000000001",
];

#[test]
fn every_invalid_provider_configuration_is_a_located_actionable_error() {
    let env = Env::new();
    let statics = static_cases();
    let ranges = write(&env, &statics);
    env.h.init();
    let out = env.h.run(&["validate", "-no-color"]);
    assert_no_crash(&out);
    assert_ne!(out.code, 0);
    let n_static = check(&statics, &ranges, &out);

    let configure = configure_cases();
    let ranges = write(&env, &configure);
    let out = env.h.run(&["plan", "-input=false", "-no-color"]);
    assert_no_crash(&out);
    assert_ne!(out.code, 0);
    let n_configure = check(&configure, &ranges, &out);
    // Terraform quotes the user's own configuration line (`  5:   secret_key = "…"`) above a diagnostic; any
    // other appearance of a secret would be the provider echoing it.
    let quoted = regex::Regex::new(r"^\s*\d+:\s").unwrap();
    let said: String = out
        .combined()
        .lines()
        .filter(|l| !quoted.is_match(l.trim_start_matches('│')))
        .collect::<Vec<_>>()
        .join("\n");
    for s in SECRETS {
        if let Some(line) = said.lines().find(|l| l.contains(s)) {
            panic!(
                "a provider secret was echoed outside the quoted configuration: {}",
                line.replace(s, "<SECRET>")
            );
        }
    }
    eprintln!(
        "reliability: bad input: {} provider configurations ({} diagnostics at validate, {} at plan)",
        statics.len() + configure.len(),
        n_static,
        n_configure
    );
}
