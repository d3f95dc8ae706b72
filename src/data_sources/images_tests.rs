//! `modelarts_notebook_images` against the in-process emulator: every filter, the exposed attributes,
//! empty results and validation.

use crate::data_sources::test_support::{at, errors, strings, Env, CPU_IMAGE};
use crate::emulator::catalog;
use crate::tf::Value;

use super::TYPE_NAME;

fn catalog_names(keep: impl Fn(&catalog::Image) -> bool) -> Vec<String> {
    let mut v: Vec<String> = catalog::images()
        .iter()
        .filter(|i| keep(i))
        .map(|i| i.name.to_string())
        .collect();
    v.sort();
    v
}

async fn names(env: &Env, filters: &[(&str, Value)]) -> Vec<String> {
    let s = env.ok(TYPE_NAME, filters).await;
    let mut v: Vec<String> = s
        .get_attr("images")
        .elements()
        .iter()
        .map(|i| i.get_attr("name").as_str().unwrap_or("").to_string())
        .collect();
    v.sort();
    v
}

#[tokio::test]
async fn filters_by_name_type_namespace_workspace_and_arch() {
    let env = Env::start().await;
    let all = catalog_names(|_| true);
    assert_eq!(names(&env, &[]).await, all);
    assert_eq!(
        names(&env, &[("name", CPU_IMAGE.into())]).await,
        [CPU_IMAGE]
    );
    assert!(names(&env, &[("name", "pytorch1.8".into())])
        .await
        .is_empty());
    assert_eq!(
        names(
            &env,
            &[
                ("name", "pytorch1.8".into()),
                ("name_fuzzy_match", true.into())
            ]
        )
        .await,
        catalog_names(|i| i.name.contains("pytorch1.8"))
    );
    assert_eq!(names(&env, &[("type", "BUILD_IN".into())]).await, all);
    assert!(names(&env, &[("type", "DEDICATED".into())])
        .await
        .is_empty());
    assert_eq!(names(&env, &[("namespace", "atelier".into())]).await, all);
    assert!(names(&env, &[("namespace", "someone".into())])
        .await
        .is_empty());
    assert_eq!(names(&env, &[("workspace_id", "0".into())]).await, all);
    assert!(names(
        &env,
        &[("workspace_id", "0123456789abcdef0123456789abcdef".into())]
    )
    .await
    .is_empty());
    let arm = catalog_names(|i| i.arch == "AARCH64");
    assert!(!arm.is_empty() && arm.len() < all.len());
    for spelling in ["AARCH64", "aarch64"] {
        assert_eq!(names(&env, &[("cpu_arch", spelling.into())]).await, arm);
    }
    assert_eq!(
        names(
            &env,
            &[
                ("name", "conda3".into()),
                ("name_fuzzy_match", true.into()),
                ("cpu_arch", "X86_64".into())
            ]
        )
        .await,
        catalog_names(|i| i.name.contains("conda3") && i.arch == "X86_64")
    );
}

#[tokio::test]
async fn type_defaults_to_build_in_and_filters_reach_the_api() {
    let env = Env::start().await;
    env.emulator.clear_journal();
    let s = env.ok(TYPE_NAME, &[("name", CPU_IMAGE.into())]).await;
    assert_eq!(s.get_attr("type").as_str(), Some("BUILD_IN"));
    let q = env
        .emulator
        .journal()
        .into_iter()
        .find(|e| e.path.ends_with("/images"))
        .unwrap()
        .query;
    for part in ["type=BUILD_IN", "name_fuzzy_match=false", "offset=0"] {
        assert!(q.contains(part), "{q}");
    }
    let s = env.ok(TYPE_NAME, &[("type", "DEDICATED".into())]).await;
    assert_eq!(s.get_attr("type").as_str(), Some("DEDICATED"));
    assert_eq!(s.get_attr("images"), &Value::list([]));
    assert_eq!(s.get_attr("ids"), &Value::list([]));
}

#[tokio::test]
async fn exposes_the_image_attributes() {
    let env = Env::start().await;
    let s = env.ok(TYPE_NAME, &[("name", CPU_IMAGE.into())]).await;
    let want = catalog::image_by_name(CPU_IMAGE).unwrap();
    let i = &s.get_attr("images").elements()[0];
    assert_eq!(strings(s.get_attr("ids")), vec![want.id.clone()]);
    assert_eq!(i.get_attr("id").as_str(), Some(want.id.as_str()));
    assert_eq!(i.get_attr("name").as_str(), Some(CPU_IMAGE));
    assert_eq!(
        i.get_attr("swr_path").as_str(),
        Some(want.swr_path().as_str())
    );
    assert_eq!(i.get_attr("tag").as_str(), Some(want.tag));
    assert_eq!(i.get_attr("type").as_str(), Some("BUILD_IN"));
    assert_eq!(i.get_attr("arch").as_str(), Some("X86_64"));
    assert_eq!(strings(i.get_attr("resource_categories")), ["CPU", "GPU"]);
    assert_eq!(strings(i.get_attr("dev_services")), ["NOTEBOOK", "SSH"]);
    assert_eq!(i.get_attr("service_type").as_str(), Some("DEV"));
    assert_eq!(i.get_attr("status").as_str(), Some("ACTIVE"));
    assert_eq!(i.get_attr("description").as_str(), Some(want.description));
}

#[tokio::test]
async fn invalid_filter_values_fail_validation() {
    let env = Env::start().await;
    env.emulator.clear_journal();
    for (attr, bad) in [
        ("name", Value::from("PyTorch")),
        ("type", "build_in".into()),
        ("namespace", "1org".into()),
        ("workspace_id", "ws".into()),
        ("cpu_arch", "arm".into()),
    ] {
        let d = env.validate(TYPE_NAME, &[(attr, bad.clone())]).await;
        assert_eq!(errors(&d).len(), 1, "{attr} = {bad}: {d:?}");
        assert_eq!(d[0].attribute, at(attr), "{attr}");
    }
    let d = env
        .validate(TYPE_NAME, &[("name_fuzzy_match", false.into())])
        .await;
    assert!(errors(&d)[0].contains("`name` must be set"), "{d:?}");
    assert!(env.emulator.journal().is_empty());
}
