//! `modelarts_notebooks` with real Terraform: each filter, an empty result, sensitivity of the tokens, paging
//! past one page of the API, and a plan-time error for a bad filter value.

use modelarts::api::{NotebookCreateRequest, NotebookCustomSpec, VolumeMountRequest};

use crate::data_source_support::*;
use crate::notebook_support::{image, Env, CPU_POOL};

const WORKSPACE: &str = "0123456789abcdef0123456789abcdef";

fn names_output(label: &str, filters: &str) -> String {
    format!(
        "data \"modelarts_notebooks\" \"{label}\" {{\n{filters}\n}}\n\
         output \"{label}\" {{\n  value = [for nb in data.modelarts_notebooks.{label}.notebooks : nb.name]\n}}\n"
    )
}

#[test]
fn each_filter() {
    let env = Env::new();
    create(&env, "alpha", "modelarts.vm.cpu.2u", CPU_IMAGE);
    create(&env, "alpha-2", "modelarts.vm.cpu.4u", CPU_IMAGE);
    let beta = create(&env, "beta", "modelarts.vm.cpu.8u", CPU_IMAGE);
    create(&env, "arm", "modelarts.vm.cpu.arm.4u", ARM_IMAGE);
    let base = |name: &str| NotebookCreateRequest {
        name: name.into(),
        image_id: image(CPU_IMAGE),
        volume: VolumeMountRequest {
            category: "EVS".into(),
            ownership: "MANAGED".into(),
            ..Default::default()
        },
        ..Default::default()
    };
    create_with(
        &env,
        NotebookCreateRequest {
            pool_id: Some(CPU_POOL.into()),
            custom_spec: Some(NotebookCustomSpec {
                cpu: Some(1.0),
                memory: Some(2048),
                ..Default::default()
            }),
            ..base("pooled")
        },
    );
    create_with(
        &env,
        NotebookCreateRequest {
            workspace_id: Some(WORKSPACE.into()),
            flavor: Some("modelarts.vm.cpu.2u".into()),
            ..base("ws")
        },
    );
    create_with(
        &env,
        NotebookCreateRequest {
            feature: Some("DEFAULT".into()),
            flavor: Some("modelarts.vm.cpu.free".into()),
            ..base("lab")
        },
    );
    stop(&env, beta.id.as_deref().unwrap());
    let cases: &[(&str, String, &[&str])] = &[
        (
            "all",
            String::new(),
            &["alpha", "alpha-2", "arm", "beta", "pooled"],
        ),
        ("exact", "  name = \"alpha\"".into(), &["alpha"]),
        (
            "fuzzy",
            "  name = \"alpha\"\n  name_fuzzy_match = true".into(),
            &["alpha", "alpha-2"],
        ),
        ("stopped", "  status = \"STOPPED\"".into(), &["beta"]),
        (
            "flavor",
            "  flavor = \"modelarts.vm.cpu.4u\"".into(),
            &["alpha-2"],
        ),
        (
            "flavor_prefix",
            "  flavor = \"modelarts.vm.cpu\"".into(),
            &[],
        ),
        (
            "image",
            format!("  image_id = \"{}\"", image(ARM_IMAGE)),
            &["arm"],
        ),
        (
            "workspace",
            format!("  workspace_id = \"{WORKSPACE}\""),
            &["ws"],
        ),
        ("pool", format!("  pool_id = \"{CPU_POOL}\""), &["pooled"]),
        ("codelab", "  feature = \"DEFAULT\"".into(), &["lab"]),
        ("nobody", "  name = \"nobody\"".into(), &[]),
    ];
    let hcl: String = cases
        .iter()
        .map(|(label, filters, _)| names_output(label, filters))
        .collect();
    env.write(&hcl);
    env.h.init();
    env.h.apply();
    for (label, _, want) in cases {
        assert_eq!(
            sorted_output(&env, label),
            sorted(want.iter().map(|s| s.to_string()).collect()),
            "{label}"
        );
    }
    let values = data_source(&env, "data.modelarts_notebooks.pool");
    let nb = &values["notebooks"][0];
    assert_eq!(nb["pool_id"], CPU_POOL);
    assert_eq!(nb["custom_spec"][0]["memory"], 2048);
    assert_eq!(nb["volume"][0]["category"], "EVS");
    assert!(nb.get("token").is_none(), "the token is only in `tokens`");
}

#[test]
fn tokens_are_sensitive_and_the_list_is_not() {
    let env = Env::new();
    let a = create(&env, "alpha", "modelarts.vm.cpu.2u", CPU_IMAGE);
    let id = a.id.clone().unwrap();
    env.write(
        "data \"modelarts_notebooks\" \"all\" {}\n\
         output \"by_id\" {\n  value = { for nb in data.modelarts_notebooks.all.notebooks : nb.id => nb.status }\n}\n\
         output \"token\" {\n  value     = data.modelarts_notebooks.all.tokens\n  sensitive = true\n}\n",
    );
    env.h.init();
    env.h.apply();
    let o = outputs(&env);
    assert_eq!(o["by_id"][&id], "RUNNING");
    assert_eq!(o["token"][&id], a.token.as_ref().unwrap().expose());
    assert!(is_sensitive(&env, "modelarts_notebooks", "tokens"));
    assert!(!is_sensitive(&env, "modelarts_notebooks", "notebooks"));
    // Terraform itself refuses to show the tokens unmarked.
    env.write(
        "data \"modelarts_notebooks\" \"all\" {}\n\
         output \"token\" {\n  value = data.modelarts_notebooks.all.tokens\n}\n",
    );
    env.h.plan_expect_error("Output refers to sensitive values");
}

#[test]
fn pages_past_one_api_page() {
    let env = Env::new();
    for i in 0..55 {
        create(
            &env,
            &format!("bulk-{i:02}"),
            "modelarts.vm.cpu.2u",
            CPU_IMAGE,
        );
    }
    env.write(
        "data \"modelarts_notebooks\" \"all\" {}\n\
         output \"count\" {\n  value = length(data.modelarts_notebooks.all.ids)\n}\n\
         output \"distinct\" {\n  value = length(distinct(data.modelarts_notebooks.all.ids))\n}\n",
    );
    env.h.init();
    env.clear_journal();
    env.h.apply();
    let o = outputs(&env);
    assert_eq!(o["count"], 55);
    assert_eq!(o["distinct"], 55);
    let queries = list_queries(&env, "/notebooks");
    assert!(
        queries
            .iter()
            .any(|q| q.contains("offset=50") && q.contains("limit=50")),
        "{queries:?}"
    );
}

#[test]
fn bad_filter_values_fail_the_plan() {
    let env = Env::new();
    env.write("data \"modelarts_notebooks\" \"x\" {\n  status = \"running\"\n}\n");
    env.h.init();
    env.h
        .plan_expect_error(r"(?s)Invalid attribute value.*status");
    env.write("data \"modelarts_notebooks\" \"x\" {\n  name_fuzzy_match = true\n}\n");
    env.h
        .plan_expect_error("`name` must be set when `name_fuzzy_match` is set");
    assert!(env.emu.journal().is_empty(), "no API call before the error");
}
