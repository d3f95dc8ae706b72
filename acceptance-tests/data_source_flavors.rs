//! `modelarts_notebook_flavors` with real Terraform: each filter, the switchable flavors of a notebook, an
//! empty result, and plan-time errors for bad values.

use modelarts::emulator::catalog;

use crate::data_source_support::*;
use crate::notebook_support::Env;

fn catalog_ids(keep: impl Fn(&catalog::Flavor) -> bool) -> Vec<String> {
    sorted(
        catalog::FLAVORS
            .iter()
            .filter(|f| f.feature == "NOTEBOOK" && keep(f))
            .map(|f| f.id.to_string())
            .collect(),
    )
}

fn ids_output(label: &str, filters: &str) -> String {
    format!(
        "data \"modelarts_notebook_flavors\" \"{label}\" {{\n{filters}\n}}\n\
         output \"{label}\" {{\n  value = data.modelarts_notebook_flavors.{label}.ids\n}}\n"
    )
}

#[test]
fn each_filter_and_switchable_flavors() {
    let env = Env::new();
    let nb = create(&env, "nb", "modelarts.vm.cpu.2u", CPU_IMAGE);
    let id = nb.id.clone().unwrap();
    let switchable: Vec<String> =
        catalog::switchable(catalog::flavor("modelarts.vm.cpu.2u").unwrap(), "EVS")
            .iter()
            .map(|f| f.id.to_string())
            .collect();
    let cases: Vec<(&str, String, Vec<String>)> = vec![
        ("all", String::new(), catalog_ids(|_| true)),
        (
            "gpu",
            "  category = \"GPU\"".into(),
            catalog_ids(|f| f.category == "GPU"),
        ),
        (
            "ascend",
            "  category = \"ASCEND\"".into(),
            catalog_ids(|f| f.category == "ASCEND"),
        ),
        (
            "managed",
            "  type = \"MANAGED\"".into(),
            catalog_ids(|_| true),
        ),
        ("dedicated", "  type = \"DEDICATED\"".into(), vec![]),
        (
            "arm",
            "  arch = \"aarch64\"".into(),
            catalog_ids(|f| f.arch == "aarch64"),
        ),
        (
            "by_name",
            "  name = \"CPU: 4vCPUs 16GB\"".into(),
            vec!["modelarts.vm.cpu.4u".into()],
        ),
        (
            "in_stock",
            "  exclude_sold_out = true".into(),
            catalog_ids(|f| !f.sold_out),
        ),
        (
            "switchable",
            format!("  notebook_id = \"{id}\""),
            sorted(switchable.clone()),
        ),
        (
            "switchable_in_stock",
            format!("  notebook_id = \"{id}\"\n  exclude_sold_out = true"),
            sorted(
                switchable
                    .iter()
                    .filter(|f| !catalog::flavor(f).unwrap().sold_out)
                    .cloned()
                    .collect(),
            ),
        ),
    ];
    let hcl: String = cases
        .iter()
        .map(|(label, filters, _)| ids_output(label, filters))
        .collect::<String>()
        + "output \"t4\" {\n  value = [for f in data.modelarts_notebook_flavors.gpu.flavors : f if f.id == \"modelarts.vm.gpu.t4\"][0]\n}\n";
    env.write(&hcl);
    env.h.init();
    env.h.apply();
    for (label, _, want) in &cases {
        assert_eq!(&sorted_output(&env, label), want, "{label}");
    }
    assert!(!cases[8].2.is_empty() && cases[8].2.len() > cases[9].2.len());
    let t4 = &outputs(&env)["t4"];
    assert_eq!(t4["gpu"]["count"], 1);
    assert_eq!(t4["gpu"]["type"], "T4");
    assert_eq!(t4["vcpus"], 8);
    assert_eq!(t4["memory"], 32768);
    assert_eq!(t4["sold_out"], false);
    assert_eq!(t4["billing"]["code"], "modelarts.vm.gpu.t4");
    assert!(t4["ascend"].is_null());
}

#[test]
fn bad_filter_values_fail_the_plan() {
    let env = Env::new();
    env.write("data \"modelarts_notebook_flavors\" \"x\" {\n  category = \"cpu\"\n}\n");
    env.h.init();
    env.h
        .plan_expect_error(r"(?s)Invalid attribute value.*category");
    env.write("data \"modelarts_notebook_flavors\" \"x\" {\n  arch = \"arm64\"\n}\n");
    env.h
        .plan_expect_error(r"(?s)Invalid attribute value.*arch");
    env.write(
        "data \"modelarts_notebook_flavors\" \"x\" {\n  notebook_id = \"00000000-0000-4000-8000-000000000000\"\n  type = \"MANAGED\"\n}\n",
    );
    env.h
        .plan_expect_error("Conflicting configuration arguments");
    assert!(
        env.emu.journal().is_empty(),
        "no API call before the errors"
    );
    env.write(
        "data \"modelarts_notebook_flavors\" \"x\" {\n  notebook_id = \"00000000-0000-4000-8000-000000000000\"\n}\n",
    );
    env.h
        .plan_expect_error("(?s)Notebook not found.*ModelArts.6309");
}
