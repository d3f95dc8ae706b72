//! Invalid `modelarts_notebook` configurations with real Terraform: every seed constraint, wrong types, empty
//! strings, huge values, unicode, missing and surplus blocks, and values known only later (variables, another
//! notebook's computed id). Each must end in an error diagnostic that Terraform anchors on the offending line
//! (proving the attribute path) with an actionable message; no crash, and no API call for an invalid notebook.
//!
//! The static table runs as one `terraform validate` over one resource per case, so ~60 cases cost one run.

use std::collections::BTreeMap;

use crate::bad_input_support::*;
use crate::notebook_support::*;
use crate::reliability_support::assert_no_crash;

/// One invalid configuration: attribute overrides (`None` removes), extra blocks, and what must be reported.
struct Case {
    set: Vec<(&'static str, Option<String>)>,
    blocks: String,
    /// The quoted source line must contain this (the attribute or block the path designates).
    source: &'static str,
    /// The summary and detail, joined, must match this regex.
    message: &'static str,
}

fn q(s: &str) -> Option<String> {
    Some(format!("{s:?}"))
}

fn case(
    set: Vec<(&'static str, Option<String>)>,
    source: &'static str,
    message: &'static str,
) -> Case {
    Case {
        set,
        blocks: String::new(),
        source,
        message,
    }
}

fn with_blocks(blocks: &str, source: &'static str, message: &'static str) -> Case {
    Case {
        set: vec![],
        blocks: blocks.to_string(),
        source,
        message,
    }
}

const EVS: &str = "  volume {\n    category = \"EVS\"\n    size     = 5\n  }\n";
const NO_VOLUME: &str = "#no-volume\n";

fn render(label: &str, c: &Case) -> String {
    let mut attrs: BTreeMap<&str, String> = BTreeMap::new();
    attrs.insert("name", "\"ok-name\"".into());
    attrs.insert("flavor", format!("{FLAVOR:?}"));
    attrs.insert("image_id", format!("{:?}", pytorch()));
    for (k, v) in &c.set {
        match v {
            Some(v) => attrs.insert(k, v.clone()),
            None => attrs.remove(k),
        };
    }
    let mut body = String::new();
    for (k, v) in &attrs {
        body.push_str(&format!("  {k} = {v}\n"));
    }
    if !c.blocks.contains("volume {") && !c.blocks.contains(NO_VOLUME) {
        body.push_str(EVS);
    }
    body.push_str(&c.blocks.replace(NO_VOLUME, ""));
    format!("resource \"modelarts_notebook\" \"{label}\" {{\n{body}}}\n\n")
}

fn spec(cpu: &str, memory: &str, gpu: &str) -> String {
    format!(
        "  custom_spec {{\n    cpu    = {cpu}\n    memory = {memory}\n{}  }}\n",
        if gpu.is_empty() {
            String::new()
        } else {
            format!("    gpu    = {gpu}\n")
        }
    )
}

fn volume(lines: &str) -> String {
    format!("  volume {{\n{lines}  }}\n")
}

fn endpoint(lines: &str) -> String {
    format!("  endpoint {{\n{lines}  }}\n")
}

fn hook(which: &str, lines: &str) -> String {
    format!("  hooks {{\n    {which} {{\n{lines}    }}\n  }}\n")
}

fn affinity(which: &str, lines: &str) -> String {
    format!("  affinity {{\n    {which} {{\n{lines}    }}\n  }}\n")
}

fn pool() -> (&'static str, Option<String>) {
    ("pool_id", q(CPU_POOL))
}

/// Every case of the static table.
fn table() -> Vec<Case> {
    let ips6 = "[\"1.1.1.1\", \"1.1.1.2\", \"1.1.1.3\", \"1.1.1.4\", \"1.1.1.5\", \"1.1.1.6\"]";
    vec![
        // name: 1–128 of letters, digits, - and _.
        case(vec![("name", q(""))], "name", r"Invalid notebook name.*1 to 128.*has 0"),
        case(vec![("name", q(&"a".repeat(129)))], "name", r"1 to 128.*has 129"),
        case(vec![("name", q("bad name"))], "name", r"only letters, digits.*' '"),
        case(vec![("name", q("名字"))], "name", r"only letters, digits.*'名'"),
        case(vec![("name", q("a/b"))], "name", r"only letters, digits.*'/'"),
        case(vec![("name", q(&"x".repeat(10_000)))], "name", r"1 to 128.*has 10000"),
        case(vec![("name", q("tab\there"))], "name", r"only letters, digits"),
        // description: ≤ 512, none of & < > " ' /.
        case(vec![("description", q(&"d".repeat(513)))], "description", r"at most 512.*has 513"),
        case(vec![("description", q(&"é".repeat(513)))], "description", r"at most 512.*has 513"),
        case(vec![("description", q("a&b"))], "description", r"Invalid description.*'&'"),
        case(vec![("description", q("<b>"))], "description", r"Invalid description.*'<'"),
        case(vec![("description", q("say \"hi\""))], "description", r"Invalid description"),
        case(vec![("description", q("it's"))], "description", r"Invalid description"),
        case(vec![("description", q("a/b"))], "description", r"Invalid description.*'/'"),
        // flavor XOR custom_spec, custom_spec bounds and pool.
        case(vec![("flavor", q(""))], "flavor", r"Invalid flavor.*must not be empty"),
        Case {
            set: vec![pool()],
            blocks: spec("2", "4096", ""),
            source: "flavor",
            message: r"cannot both be set",
        },
        case(vec![("flavor", None)], "resource \"modelarts_notebook\"", r"exactly one of flavor or custom_spec"),
        Case {
            set: vec![("flavor", None), pool()],
            blocks: spec("0.3", "4096", ""),
            source: "cpu",
            message: r"more than 0\.3",
        },
        Case {
            set: vec![("flavor", None), pool()],
            blocks: spec("2", "512", ""),
            source: "memory",
            message: r"whole number of MiB greater than 512",
        },
        Case {
            set: vec![("flavor", None), pool()],
            blocks: spec("2", "1024.5", ""),
            source: "memory",
            message: r"whole number of MiB",
        },
        Case {
            set: vec![("flavor", None), pool()],
            blocks: spec("2", "4096", "-1"),
            source: "gpu",
            message: r"gpu must be 0 or more",
        },
        Case {
            set: vec![("flavor", None)],
            blocks: spec("2", "4096", ""),
            source: "resource \"modelarts_notebook\"",
            message: r"needs pool_id",
        },
        // image_id and workspace_id.
        case(vec![("image_id", q("not-a-uuid"))], "image_id", r"image UUID"),
        case(vec![("image_id", q(""))], "image_id", r"image UUID"),
        case(vec![("workspace_id", q("ABC"))], "workspace_id", r#""0" or 32 lower-case"#),
        case(vec![("workspace_id", q(""))], "workspace_id", r#""0" or 32 lower-case"#),
        // volume.
        with_blocks(&volume("    category = \"NAS\"\n"), "category", r"EVS, EFS, OBS, OBSFS.*NAS"),
        with_blocks(
            &volume("    category  = \"EVS\"\n    ownership = \"SHARED\"\n"),
            "ownership",
            r"MANAGED, DEDICATED",
        ),
        with_blocks(&volume("    category = \"EVS\"\n    size     = 0\n"), "size", r"1 to 4096.*is 0"),
        with_blocks(&volume("    category = \"EVS\"\n    size     = 4097\n"), "size", r"1 to 4096"),
        with_blocks(&volume("    category = \"EVS\"\n    size     = 10.5\n"), "size", r"whole number of GB"),
        with_blocks(&volume("    category = \"EVS\"\n    size     = 1e30\n"), "size", r"1 to 4096"),
        with_blocks(&volume("    category = \"EVS\"\n    size     = -5\n"), "size", r"1 to 4096"),
        with_blocks(
            &volume("    category  = \"EFS\"\n    ownership = \"DEDICATED\"\n    id        = \"nope\"\n    uri = \"192.168.0.1:/x\"\n"),
            "id",
            r"SFS Turbo UUID",
        ),
        with_blocks(
            &volume("    category  = \"EFS\"\n    ownership = \"DEDICATED\"\n    uri       = \"\"\n    id = \"5a6e0d4c-3e7b-4b4e-9d6a-1c2b3d4e5f60\"\n"),
            "uri",
            r"1 to 1024 characters",
        ),
        // endpoints.
        with_blocks(&endpoint("    service = \"HTTP\"\n"), "service", r"NOTEBOOK, SSH"),
        with_blocks(
            &endpoint(&format!("    service = \"SSH\"\n    key_pair_names = [\"kp\"]\n    allowed_access_ips = {ips6}\n")),
            "allowed_access_ips",
            r"at most 5.*6 given",
        ),
        with_blocks(
            &endpoint("    service = \"SSH\"\n    key_pair_names = [\"kp\"]\n    allowed_access_ips = [\"999.1.1.1\"]\n"),
            "allowed_access_ips",
            r"not a valid IP address",
        ),
        with_blocks(
            &endpoint("    service = \"SSH\"\n    allowed_access_ips = [\"1.2.3.4\"]\n"),
            "allowed_access_ips",
            r"only valid together with key_pair_names",
        ),
        // hooks.
        with_blocks(
            &hook("pre_start", "      script = \"/home/ma-user/a.sh\"\n      type   = \"BASH\"\n"),
            "type",
            r"COMMAND, SCRIPT",
        ),
        with_blocks(&hook("pre_start", "      script = \"start.sh\"\n"), "script", r"absolute path"),
        with_blocks(
            &hook("post_start", "      script = \"echo hi!\"\n      type   = \"COMMAND\"\n"),
            "script",
            r"base64",
        ),
        // affinity.
        with_blocks(
            &affinity("required", "      key = \"zone\"\n      operator = \"Equals\"\n      values = [\"a\"]\n"),
            "operator",
            r"In, NotIn, Exists, DoesNotExist, Gt, Lt",
        ),
        with_blocks(
            &affinity("required", "      key = \"-bad-\"\n      operator = \"In\"\n      values = [\"a\"]\n"),
            "key",
            r"not a node label key",
        ),
        with_blocks(
            &affinity("required", "      key = \"zone\"\n      operator = \"In\"\n      values = [\"bad value!\"]\n"),
            "values",
            r"not a node label value",
        ),
        with_blocks(
            &affinity("required", "      key = \"zone\"\n      operator = \"In\"\n"),
            "",
            r"takes at least one value",
        ),
        with_blocks(
            &affinity("preferred", "      key = \"zone\"\n      operator = \"Exists\"\n      weight = 101\n"),
            "weight",
            r"0 to 100.*101",
        ),
        with_blocks(
            &affinity("preferred", "      key = \"zone\"\n      operator = \"Exists\"\n      weight = -1\n"),
            "weight",
            r"0 to 100",
        ),
        // desired_state and timeouts.
        case(vec![("desired_state", q("PAUSED"))], "desired_state", r"RUNNING, STOPPED"),
        case(vec![("desired_state", q("running"))], "desired_state", r"RUNNING, STOPPED"),
        with_blocks("  timeouts {\n    create = \"forever\"\n  }\n", "create", r"not a duration"),
        with_blocks("  timeouts {\n    delete = \"0s\"\n  }\n", "delete", r"longer than zero"),
        // Terraform's own checks: wrong types, unknown or computed-only arguments, block counts.
        with_blocks(
            &volume("    category = \"EVS\"\n    size     = \"big\"\n"),
            "size",
            r"Incorrect attribute value type.*number is required",
        ),
        case(vec![("allow_stop_for_update", q("maybe"))], "allow_stop_for_update", r"Incorrect attribute value type"),
        with_blocks(
            &endpoint("    service = \"SSH\"\n    key_pair_names = \"kp\"\n"),
            "key_pair_names",
            r"Incorrect attribute value type",
        ),
        case(vec![("flavour", q("x"))], "flavour", r"Unsupported argument"),
        case(vec![("status", q("RUNNING"))], "status", r"Read-only attribute set.*computed by the provider"),
        case(vec![("name", None)], "resource \"modelarts_notebook\"", r#"Missing required argument.*"name""#),
        with_blocks(NO_VOLUME, "resource \"modelarts_notebook\"", r"Insufficient volume blocks"),
        with_blocks(&format!("{EVS}{EVS}"), "volume", r"Too many volume blocks"),
        with_blocks(
            &affinity("required", "      key = \"zone\"\n      operator = \"Exists\"\n      weight = 5\n"),
            "weight",
            r"Unsupported argument",
        ),
    ]
}

#[test]
fn every_invalid_notebook_configuration_is_a_located_actionable_error() {
    let env = Env::new();
    let cases = table();
    // main.tf is the provider block, a blank line, then one resource per case: remember each case's lines, as
    // Terraform's own checks (types, unknown arguments, block counts) name a line but no resource.
    let mut hcl = String::new();
    let mut ranges = Vec::new();
    let offset = env.provider_block().lines().count() + 1;
    for (i, c) in cases.iter().enumerate() {
        let block = render(&format!("c{i:02}"), c);
        let start = offset + hcl.lines().count() + 1;
        ranges.push(start..=start + block.trim_end().lines().count() - 1);
        hcl.push_str(&block);
    }
    env.write(&hcl);
    env.h.init();
    let out = env.h.run(&["validate", "-no-color"]);
    assert_no_crash(&out);
    assert_ne!(out.code, 0);
    let diags = diagnostics(&out);
    let mut failures = Vec::new();
    for (i, c) in cases.iter().enumerate() {
        let address = format!("modelarts_notebook.c{i:02}");
        let mut errs = errors_for(&diags, &address);
        for d in errors_in_lines(&diags, ranges[i].clone()) {
            if d.with.is_empty() {
                errs.push(d);
            }
        }
        let re = regex::Regex::new(c.message).unwrap();
        let hit = errs.iter().any(|d| {
            re.is_match(&format!("{} {}", d.summary, d.detail)) && d.source.contains(c.source)
        });
        if !hit {
            failures.push(format!(
                "{address}: want /{}/ on a line containing {:?}; got {errs:#?}\nconfig:\n{}",
                c.message,
                c.source,
                render(&format!("c{i:02}"), c)
            ));
        }
    }
    eprintln!(
        "reliability: bad input: {} notebook configurations, {} diagnostics, {} mismatches",
        cases.len(),
        diags.len(),
        failures.len()
    );
    assert!(failures.is_empty(), "{}", failures.join("\n\n"));
    assert!(env.emu.journal().is_empty(), "validation called the API");
}

#[test]
fn values_known_only_later_are_validated_once_known() {
    let env = Env::new();
    let base = render("base", &case(vec![("name", q("base"))], "", ""));
    let from_vars = "variable \"bad_name\" {\n  default = \"bad name\"\n}\nvariable \"size\" {\n  default = 5000\n}\n\n\
                     resource \"modelarts_notebook\" \"v1\" {\n  name     = var.bad_name\n  flavor   = \"FLAVOR\"\n  \
                     image_id = \"IMAGE\"\n  volume {\n    category = \"EVS\"\n    size     = var.size\n  }\n}\n"
        .replace("FLAVOR", FLAVOR)
        .replace("IMAGE", &pytorch());
    env.write(&format!("{base}{from_vars}"));
    env.h.init();
    // `validate` sees variables as unknown: nothing to report yet.
    let out = env.h.run(&["validate", "-no-color"]);
    assert_no_crash(&out);
    assert_eq!(out.code, 0, "{}", out.combined());
    // `plan` knows them.
    let out = env.h.run(&["plan", "-input=false", "-no-color"]);
    assert_no_crash(&out);
    assert_ne!(out.code, 0);
    let diags = diagnostics(&out);
    let errs = errors_for(&diags, "modelarts_notebook.v1");
    assert!(
        errs.iter()
            .any(|d| d.summary == "Invalid notebook name" && d.source.contains("name")),
        "{errs:#?}\n{}",
        out.combined()
    );
    assert!(
        errs.iter()
            .any(|d| d.summary == "Invalid volume size" && d.source.contains("size")),
        "{errs:#?}"
    );

    // Values computed by another resource: unknown at plan, checked once the other notebook exists.
    let later = "resource \"modelarts_notebook\" \"late\" {\n  name        = \"late\"\n  \
                 description = \"id/${modelarts_notebook.base.id}\"\n  flavor = \"FLAVOR\"\n  image_id = \"IMAGE\"\n  \
                 volume {\n    category = \"EVS\"\n    size     = 5\n  }\n}\n\
                 resource \"modelarts_notebook\" \"fine\" {\n  name     = \"copy-${substr(modelarts_notebook.base.id, 0, 8)}\"\n  \
                 flavor   = \"FLAVOR\"\n  image_id = \"IMAGE\"\n  volume {\n    category = \"EVS\"\n    size     = 5\n  }\n}\n"
        .replace("FLAVOR", FLAVOR)
        .replace("IMAGE", &pytorch());
    env.write(&format!("{base}{later}"));
    let out = env.h.run(&["plan", "-input=false", "-no-color"]);
    assert_eq!(
        out.code,
        0,
        "unknown values must not fail the plan:\n{}",
        out.combined()
    );
    let out = env
        .h
        .run(&["apply", "-auto-approve", "-input=false", "-no-color"]);
    assert_no_crash(&out);
    assert_ne!(
        out.code,
        0,
        "the late description is invalid:\n{}",
        out.combined()
    );
    let diags = diagnostics(&out);
    let errs = errors_for(&diags, "modelarts_notebook.late");
    assert!(
        errs.iter()
            .any(|d| d.detail.contains("description") && d.source.contains("description")),
        "the error must name description once its value is known: {errs:#?}\n{}",
        out.combined()
    );
    let names: Vec<String> = env.notebooks().into_iter().filter_map(|n| n.name).collect();
    assert!(names.contains(&"base".to_string()), "{names:?}");
    assert!(
        names.iter().any(|n| n.starts_with("copy-")),
        "a value known later that is valid must apply: {names:?}"
    );
    assert!(
        !names.contains(&"late".to_string()),
        "the invalid notebook was created"
    );
    eprintln!("reliability: bad input: 4 late-known values (2 variables, 2 computed), 3 rejected");
}
