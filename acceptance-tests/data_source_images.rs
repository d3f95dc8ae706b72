//! `modelarts_notebook_images` with real Terraform: each filter (name exact and fuzzy, type, namespace,
//! workspace, CPU architecture), the exposed attributes, and plan-time errors for bad values.

use modelarts::emulator::catalog;

use crate::data_source_support::*;
use crate::notebook_support::Env;

fn catalog_names(keep: impl Fn(&catalog::Image) -> bool) -> Vec<String> {
    sorted(
        catalog::images()
            .iter()
            .filter(|i| keep(i))
            .map(|i| i.name.to_string())
            .collect(),
    )
}

fn names_output(label: &str, filters: &str) -> String {
    format!(
        "data \"modelarts_notebook_images\" \"{label}\" {{\n{filters}\n}}\n\
         output \"{label}\" {{\n  value = [for i in data.modelarts_notebook_images.{label}.images : i.name]\n}}\n"
    )
}

#[test]
fn each_filter() {
    let env = Env::new();
    let all = catalog_names(|_| true);
    let cases: Vec<(&str, String, Vec<String>)> = vec![
        ("all", String::new(), all.clone()),
        (
            "exact",
            format!("  name = \"{CPU_IMAGE}\""),
            vec![CPU_IMAGE.into()],
        ),
        ("exact_prefix", "  name = \"pytorch1.8\"".into(), vec![]),
        (
            "fuzzy",
            "  name = \"pytorch1.8\"\n  name_fuzzy_match = true".into(),
            catalog_names(|i| i.name.contains("pytorch1.8")),
        ),
        ("build_in", "  type = \"BUILD_IN\"".into(), all.clone()),
        ("dedicated", "  type = \"DEDICATED\"".into(), vec![]),
        ("namespace", "  namespace = \"atelier\"".into(), all.clone()),
        (
            "other_namespace",
            "  namespace = \"someone\"".into(),
            vec![],
        ),
        ("workspace", "  workspace_id = \"0\"".into(), all.clone()),
        (
            "arm",
            "  cpu_arch = \"AARCH64\"".into(),
            catalog_names(|i| i.arch == "AARCH64"),
        ),
        (
            "x86",
            "  cpu_arch = \"x86_64\"".into(),
            catalog_names(|i| i.arch == "X86_64"),
        ),
    ];
    let hcl: String = cases
        .iter()
        .map(|(label, filters, _)| names_output(label, filters))
        .collect::<String>()
        + "output \"type\" {\n  value = data.modelarts_notebook_images.all.type\n}\n\
           output \"one\" {\n  value = data.modelarts_notebook_images.exact.images[0]\n}\n";
    env.write(&hcl);
    env.h.init();
    env.h.apply();
    for (label, _, want) in &cases {
        assert_eq!(&sorted_output(&env, label), want, "{label}");
    }
    let o = outputs(&env);
    assert_eq!(o["type"], "BUILD_IN", "the default type is reported");
    let want = catalog::image_by_name(CPU_IMAGE).unwrap();
    let one = &o["one"];
    assert_eq!(one["id"], want.id.as_str());
    assert_eq!(one["swr_path"], want.swr_path().as_str());
    assert_eq!(one["tag"], want.tag);
    assert_eq!(one["arch"], "X86_64");
    assert_eq!(one["type"], "BUILD_IN");
    assert_eq!(one["resource_categories"], serde_json::json!(["CPU"]));
    assert_eq!(one["dev_services"], serde_json::json!(["NOTEBOOK", "SSH"]));
    assert_eq!(one["service_type"], "DEV");
    assert_eq!(one["status"], "ACTIVE");
    assert_eq!(one["description"], want.description);
}

#[test]
fn bad_filter_values_fail_the_plan() {
    let env = Env::new();
    env.write("data \"modelarts_notebook_images\" \"x\" {\n  type = \"PUBLIC\"\n}\n");
    env.h.init();
    env.h
        .plan_expect_error(r"(?s)Invalid attribute value.*type");
    env.write("data \"modelarts_notebook_images\" \"x\" {\n  cpu_arch = \"arm\"\n}\n");
    env.h
        .plan_expect_error(r"(?s)Invalid attribute value.*cpu_arch");
    env.write("data \"modelarts_notebook_images\" \"x\" {\n  name = \"PyTorch\"\n}\n");
    env.h
        .plan_expect_error(r"(?s)Invalid attribute value.*name");
    assert!(
        env.emu.journal().is_empty(),
        "no API call before the errors"
    );
}
