//! `modelarts_notebook_flavors` against the in-process emulator: every filter, switchable flavors of a
//! notebook, the exposed details, empty results and validation.

use crate::data_sources::test_support::{at, column, errors, strings, Env, ARM_IMAGE, CPU_IMAGE};
use crate::emulator::catalog;
use crate::tf::Value;

use super::TYPE_NAME;

const MISSING: &str = "00000000-0000-4000-8000-000000000000";

fn catalog_ids(keep: impl Fn(&catalog::Flavor) -> bool) -> Vec<String> {
    let mut v: Vec<String> = catalog::FLAVORS
        .iter()
        .filter(|f| f.feature == "NOTEBOOK" && keep(f))
        .map(|f| f.id.to_string())
        .collect();
    v.sort();
    v
}

async fn ids(env: &Env, filters: &[(&str, Value)]) -> Vec<String> {
    let mut v = strings(env.ok(TYPE_NAME, filters).await.get_attr("ids"));
    v.sort();
    v
}

#[tokio::test]
async fn filters_by_category_type_arch_name_and_stock() {
    let env = Env::start().await;
    assert_eq!(ids(&env, &[]).await, catalog_ids(|_| true));
    for c in ["CPU", "GPU", "ASCEND"] {
        let got = ids(&env, &[("category", c.into())]).await;
        assert!(!got.is_empty(), "{c}");
        assert_eq!(got, catalog_ids(|f| f.category == c), "{c}");
    }
    assert_eq!(
        ids(&env, &[("type", "MANAGED".into())]).await,
        catalog_ids(|_| true)
    );
    let s = env.ok(TYPE_NAME, &[("type", "DEDICATED".into())]).await;
    assert_eq!(
        s.get_attr("flavors"),
        &Value::list([]),
        "no match is an empty list"
    );
    for spelling in ["aarch64", "AARCH64"] {
        assert_eq!(
            ids(&env, &[("arch", spelling.into())]).await,
            catalog_ids(|f| f.arch == "aarch64")
        );
    }
    assert_eq!(
        ids(&env, &[("name", "CPU: 2vCPUs 8GB".into())]).await,
        ["modelarts.vm.cpu.2u"]
    );
    assert!(ids(&env, &[("name", "CPU: 2vCPUs".into())])
        .await
        .is_empty());
    let in_stock = catalog_ids(|f| !f.sold_out);
    assert!(in_stock.len() < catalog_ids(|_| true).len());
    assert_eq!(
        ids(&env, &[("exclude_sold_out", true.into())]).await,
        in_stock
    );
    assert_eq!(
        ids(&env, &[("exclude_sold_out", false.into())]).await,
        catalog_ids(|_| true)
    );
    assert_eq!(
        ids(
            &env,
            &[
                ("category", "GPU".into()),
                ("arch", "x86_64".into()),
                ("exclude_sold_out", true.into())
            ]
        )
        .await,
        catalog_ids(|f| f.category == "GPU" && !f.sold_out)
    );
}

#[tokio::test]
async fn exposes_the_flavor_details() {
    let env = Env::start().await;
    let s = env.ok(TYPE_NAME, &[]).await;
    let find = |id: &str| {
        s.get_attr("flavors")
            .elements()
            .iter()
            .find(|f| f.get_attr("id").as_str() == Some(id))
            .cloned()
            .unwrap()
    };
    let t4 = find("modelarts.vm.gpu.t4");
    assert_eq!(
        t4.get_attr("name").as_str(),
        Some("GPU: 1*T4(16GB) | CPU: 8vCPUs 32GB")
    );
    assert_eq!(t4.get_attr("arch").as_str(), Some("x86_64"));
    assert_eq!(t4.get_attr("category").as_str(), Some("GPU"));
    assert_eq!(t4.get_attr("vcpus").as_i64(), Some(8));
    assert_eq!(t4.get_attr("memory").as_i64(), Some(32768));
    assert_eq!(t4.get_attr("free"), &Value::from(false));
    assert_eq!(t4.get_attr("sold_out"), &Value::from(false));
    let gpu = t4.get_attr("gpu");
    assert_eq!(gpu.get_attr("count").as_i64(), Some(1));
    assert_eq!(gpu.get_attr("memory").as_str(), Some("16GB"));
    assert_eq!(gpu.get_attr("type").as_str(), Some("T4"));
    assert!(t4.get_attr("ascend").is_null());
    assert_eq!(
        t4.get_attr("billing").get_attr("code").as_str(),
        Some("modelarts.vm.gpu.t4")
    );
    assert_eq!(strings(t4.get_attr("storages")), ["EVS", "EFS"]);
    let npu = find("modelarts.kat1.xlarge");
    assert!(npu.get_attr("gpu").is_null());
    assert_eq!(
        npu.get_attr("ascend").get_attr("type").as_str(),
        Some("ASCEND_SNT9")
    );
    assert_eq!(npu.get_attr("ascend").get_attr("chip").as_i64(), Some(1));
    assert_eq!(
        find("modelarts.vm.cpu.free").get_attr("free"),
        &Value::from(true)
    );
    assert_eq!(
        find("modelarts.vm.cpu.16u").get_attr("sold_out"),
        &Value::from(true)
    );
    assert_eq!(strings(s.get_attr("ids")), column(&s, "flavors", "id"));
}

#[tokio::test]
async fn notebook_id_lists_the_switchable_flavors() {
    let env = Env::start().await;
    let cpu = env.create("cpu", "modelarts.vm.cpu.2u", CPU_IMAGE).await;
    let arm = env
        .create("arm", "modelarts.vm.cpu.arm.4u", ARM_IMAGE)
        .await;
    let switchable = |id: &str| {
        let mut v: Vec<String> = catalog::switchable(catalog::flavor(id).unwrap(), "EVS")
            .iter()
            .map(|f| f.id.to_string())
            .collect();
        v.sort();
        v
    };
    let cpu_id = cpu.id.unwrap();
    env.emulator.clear_journal();
    let got = ids(&env, &[("notebook_id", cpu_id.as_str().into())]).await;
    assert_eq!(got, switchable("modelarts.vm.cpu.2u"));
    assert!(
        got.contains(&"modelarts.vm.cpu.16u".to_string()),
        "sold out is listed"
    );
    assert!(env
        .emulator
        .journal()
        .iter()
        .any(|e| e.path.ends_with(&format!("/notebooks/{cpu_id}/flavors"))));
    assert_eq!(
        ids(
            &env,
            &[
                ("notebook_id", cpu_id.as_str().into()),
                ("exclude_sold_out", true.into())
            ]
        )
        .await,
        switchable("modelarts.vm.cpu.2u")
            .into_iter()
            .filter(|f| f != "modelarts.vm.cpu.16u")
            .collect::<Vec<_>>()
    );
    // The switchable endpoint has no category or arch filter: the provider applies them.
    assert!(ids(
        &env,
        &[
            ("notebook_id", cpu_id.as_str().into()),
            ("category", "GPU".into())
        ]
    )
    .await
    .is_empty());
    assert!(ids(
        &env,
        &[
            ("notebook_id", cpu_id.as_str().into()),
            ("arch", "aarch64".into())
        ]
    )
    .await
    .is_empty());
    let arm_id = arm.id.unwrap();
    assert_eq!(
        ids(&env, &[("notebook_id", arm_id.as_str().into())]).await,
        switchable("modelarts.vm.cpu.arm.4u")
    );
}

#[tokio::test]
async fn unknown_notebook_is_an_error_on_notebook_id() {
    let env = Env::start().await;
    let d = env
        .fails(TYPE_NAME, &[("notebook_id", MISSING.into())])
        .await;
    assert_eq!(d[0].attribute, at("notebook_id"));
    let e = errors(&d);
    assert!(
        e[0].contains(MISSING) && e[0].contains("ModelArts.6309"),
        "{}",
        e[0]
    );
}

#[tokio::test]
async fn invalid_filter_values_fail_validation() {
    let env = Env::start().await;
    env.emulator.clear_journal();
    for (attr, bad) in [
        ("category", Value::from("cpu")),
        ("type", "PUBLIC".into()),
        ("arch", "arm64".into()),
        ("notebook_id", "nb-1".into()),
    ] {
        let d = env.validate(TYPE_NAME, &[(attr, bad.clone())]).await;
        assert_eq!(errors(&d).len(), 1, "{attr} = {bad}: {d:?}");
        assert_eq!(d[0].attribute, at(attr), "{attr}");
    }
    let d = env
        .validate(
            TYPE_NAME,
            &[("notebook_id", MISSING.into()), ("type", "MANAGED".into())],
        )
        .await;
    assert!(
        errors(&d)[0].starts_with("Conflicting configuration arguments"),
        "{d:?}"
    );
    assert!(env.emulator.journal().is_empty());
}
