//! `modelarts_notebooks` against the in-process emulator: every filter, empty results, paging past one
//! page, the token map, plan-time validation and API errors as diagnostics.

use crate::api::{NotebookCreateRequest, NotebookCustomSpec, VolumeMountRequest};
use crate::data_sources::test_support::{
    at, column, errors, image_id, strings, Env, ARM_IMAGE, CPU_IMAGE,
};
use crate::emulator::{FaultAction, FaultSpec};
use crate::tf::Value;

use super::TYPE_NAME;

const WORKSPACE: &str = "0123456789abcdef0123456789abcdef";
const POOL: &str = "pool-cpu-7c2d9e41";

fn sorted(mut v: Vec<String>) -> Vec<String> {
    v.sort();
    v
}

async fn names(env: &Env, filters: &[(&str, Value)]) -> Vec<String> {
    sorted(column(
        &env.ok(TYPE_NAME, filters).await,
        "notebooks",
        "name",
    ))
}

/// alpha (cpu.2u), alpha-2 (cpu.4u), beta (cpu.8u, stopped), arm (ARM image), pooled (custom spec in a
/// pool), ws (another workspace), lab (CodeLab).
async fn fleet(env: &Env) {
    env.create("alpha", "modelarts.vm.cpu.2u", CPU_IMAGE).await;
    env.create("alpha-2", "modelarts.vm.cpu.4u", CPU_IMAGE)
        .await;
    let beta = env.create("beta", "modelarts.vm.cpu.8u", CPU_IMAGE).await;
    env.create("arm", "modelarts.vm.cpu.arm.4u", ARM_IMAGE)
        .await;
    let base = |name: &str| NotebookCreateRequest {
        name: name.into(),
        image_id: image_id(CPU_IMAGE),
        volume: VolumeMountRequest {
            category: "EVS".into(),
            ownership: "MANAGED".into(),
            ..Default::default()
        },
        ..Default::default()
    };
    env.create_with(NotebookCreateRequest {
        pool_id: Some(POOL.into()),
        custom_spec: Some(NotebookCustomSpec {
            cpu: Some(1.0),
            memory: Some(2048),
            ..Default::default()
        }),
        ..base("pooled")
    })
    .await;
    env.create_with(NotebookCreateRequest {
        workspace_id: Some(WORKSPACE.into()),
        flavor: Some("modelarts.vm.cpu.2u".into()),
        ..base("ws")
    })
    .await;
    env.create_with(NotebookCreateRequest {
        feature: Some("DEFAULT".into()),
        flavor: Some("modelarts.vm.cpu.free".into()),
        ..base("lab")
    })
    .await;
    let id = beta.id.unwrap();
    env.client.stop_notebook(&id).await.unwrap();
}

#[tokio::test]
async fn no_notebooks_is_an_empty_list_not_an_error() {
    let env = Env::start().await;
    let s = env.ok(TYPE_NAME, &[]).await;
    assert_eq!(s.get_attr("ids"), &Value::list([]));
    assert_eq!(s.get_attr("notebooks"), &Value::list([]));
    assert_eq!(s.get_attr("tokens"), &Value::map::<String>([]));
    env.create("alpha", "modelarts.vm.cpu.2u", CPU_IMAGE).await;
    let s = env.ok(TYPE_NAME, &[("name", "nobody".into())]).await;
    assert_eq!(s.get_attr("notebooks"), &Value::list([]));
}

#[tokio::test]
async fn each_filter_narrows_the_list() {
    let env = Env::start().await;
    fleet(&env).await;
    let defaults = ["alpha", "alpha-2", "arm", "beta", "pooled"];
    assert_eq!(
        names(&env, &[]).await,
        defaults,
        "unset: NOTEBOOK feature, default workspace"
    );
    assert_eq!(names(&env, &[("workspace_id", "0".into())]).await, defaults);
    assert_eq!(names(&env, &[("name", "alpha".into())]).await, ["alpha"]);
    assert_eq!(
        names(
            &env,
            &[("name", "alpha".into()), ("name_fuzzy_match", true.into())]
        )
        .await,
        ["alpha", "alpha-2"]
    );
    assert_eq!(names(&env, &[("status", "STOPPED".into())]).await, ["beta"]);
    assert_eq!(
        names(&env, &[("status", "RUNNING".into())]).await,
        ["alpha", "alpha-2", "arm", "pooled"]
    );
    assert_eq!(
        names(&env, &[("flavor", "modelarts.vm.cpu.4u".into())]).await,
        ["alpha-2"]
    );
    // The API matches flavors as substrings; the filter is exact.
    assert!(names(&env, &[("flavor", "modelarts.vm.cpu".into())])
        .await
        .is_empty());
    assert_eq!(
        names(&env, &[("image_id", image_id(ARM_IMAGE).into())]).await,
        ["arm"]
    );
    assert_eq!(
        names(&env, &[("workspace_id", WORKSPACE.into())]).await,
        ["ws"]
    );
    assert_eq!(names(&env, &[("pool_id", POOL.into())]).await, ["pooled"]);
    assert_eq!(names(&env, &[("feature", "DEFAULT".into())]).await, ["lab"]);
    assert_eq!(
        names(
            &env,
            &[
                ("name", "alpha".into()),
                ("name_fuzzy_match", true.into()),
                ("flavor", "modelarts.vm.cpu.2u".into()),
                ("status", "RUNNING".into()),
            ]
        )
        .await,
        ["alpha"]
    );
}

#[tokio::test]
async fn elements_carry_the_resource_attributes_and_tokens_stay_in_the_sensitive_map() {
    let env = Env::start().await;
    fleet(&env).await;
    let s = env.ok(TYPE_NAME, &[("pool_id", POOL.into())]).await;
    let nb = &s.get_attr("notebooks").elements()[0];
    let id = nb.get_attr("id").as_str().unwrap().to_string();
    assert_eq!(strings(s.get_attr("ids")), vec![id.clone()]);
    assert_eq!(nb.get_attr("pool_id").as_str(), Some(POOL));
    assert_eq!(nb.get_attr("flavor"), &Value::Null);
    let spec = &nb.get_attr("custom_spec").elements()[0];
    assert_eq!(spec.get_attr("memory").as_i64(), Some(2048));
    assert_eq!(
        nb.get_attr("volume").elements()[0]
            .get_attr("category")
            .as_str(),
        Some("EVS")
    );
    assert_eq!(nb.get_attr("image_name").as_str(), Some(CPU_IMAGE));
    assert_eq!(nb.get_attr("status").as_str(), Some("RUNNING"));
    assert!(nb
        .get_attr("created_at")
        .as_str()
        .is_some_and(|t| t.ends_with('Z')));
    assert!(!nb.entries().unwrap().contains_key("token"));
    for resource_only in ["desired_state", "timeouts", "hooks", "enable_force_new"] {
        assert!(
            !nb.entries().unwrap().contains_key(resource_only),
            "{resource_only}"
        );
    }
    let shown = env.client.show_notebook(&id).await.unwrap();
    let token = shown.token.expect("running notebooks have a token");
    assert_eq!(
        s.get_attr("tokens").entries().unwrap().get(&id),
        Some(&Value::from(token.expose()))
    );
    let schema = super::schema();
    assert!(schema.block.get_attribute("tokens").unwrap().sensitive);
    assert!(!schema.block.get_attribute("notebooks").unwrap().sensitive);
}

#[tokio::test]
async fn pages_through_more_than_one_page() {
    let env = Env::start().await;
    for i in 0..57 {
        env.create(&format!("many-{i:02}"), "modelarts.vm.cpu.2u", CPU_IMAGE)
            .await;
    }
    env.emulator.clear_journal();
    let s = env
        .ok(
            TYPE_NAME,
            &[("name", "many".into()), ("name_fuzzy_match", true.into())],
        )
        .await;
    let got = sorted(column(&s, "notebooks", "name"));
    let want: Vec<String> = (0..57).map(|i| format!("many-{i:02}")).collect();
    assert_eq!(got, want);
    let mut ids = strings(s.get_attr("ids"));
    ids.dedup();
    assert_eq!(ids.len(), 57);
    let lists: Vec<String> = env
        .emulator
        .journal()
        .into_iter()
        .filter(|e| e.method == "GET" && e.path.ends_with("/notebooks"))
        .map(|e| e.query)
        .collect();
    assert_eq!(lists.len(), 2, "{lists:?}");
    assert!(
        lists[0].contains("limit=50") && lists[0].contains("offset=0"),
        "{}",
        lists[0]
    );
    assert!(lists[1].contains("offset=50"), "{}", lists[1]);
}

#[tokio::test]
async fn invalid_filter_values_fail_validation_before_any_request() {
    let env = Env::start().await;
    env.emulator.clear_journal();
    for (attr, bad) in [
        ("name", Value::from("no spaces")),
        ("status", "running".into()),
        ("flavor", "bad flavor!".into()),
        ("image_id", "not-a-uuid".into()),
        ("workspace_id", "ws1".into()),
        ("pool_id", "1pool".into()),
        ("feature", "CODELAB".into()),
    ] {
        let d = env.validate(TYPE_NAME, &[(attr, bad.clone())]).await;
        let e = errors(&d);
        assert_eq!(e.len(), 1, "{attr} = {bad}: {e:?}");
        assert_eq!(d[0].attribute, at(attr), "{attr}");
    }
    let d = env
        .validate(TYPE_NAME, &[("name_fuzzy_match", true.into())])
        .await;
    assert!(errors(&d)[0].contains("`name` must be set"), "{d:?}");
    assert!(env.emulator.journal().is_empty());
}

#[tokio::test]
async fn api_errors_become_diagnostics_with_the_filters() {
    let env = Env::start().await;
    env.emulator
        .add_fault(FaultSpec {
            method: Some("GET".into()),
            path: Some("/v1/*/notebooks".into()),
            path_regex: None,
            count: Some(1),
            action: FaultAction::Error,
            status: Some(403),
            error_code: Some("ModelArts.0104".into()),
            error_msg: Some("Permission denied.".into()),
            delay_ms: None,
        })
        .unwrap();
    let d = env.fails(TYPE_NAME, &[("status", "RUNNING".into())]).await;
    let e = errors(&d);
    assert_eq!(e.len(), 1, "{e:?}");
    assert!(e[0].starts_with("Cannot read modelarts_notebooks: Listing notebooks (status = \"RUNNING\", workspace_id = \"0\") failed"), "{}", e[0]);
    assert!(
        e[0].contains("ModelArts.0104") && e[0].contains("HTTP 403"),
        "{}",
        e[0]
    );
}
