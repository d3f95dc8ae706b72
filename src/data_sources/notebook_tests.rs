//! `modelarts_notebook` against the in-process emulator: lookup by id and by exact name, the errors for
//! zero or several matches, workspaces, and plan-time validation.

use crate::api::{NotebookCreateRequest, VolumeMountRequest};
use crate::data_sources::test_support::{at, errors, image_id, Env, CPU_IMAGE};
use crate::tf::Value;

use super::TYPE_NAME;

const WORKSPACE: &str = "0123456789abcdef0123456789abcdef";
const MISSING: &str = "00000000-0000-4000-8000-000000000000";

#[tokio::test]
async fn by_id_returns_every_attribute_with_the_token() {
    let env = Env::start().await;
    let nb = env.create("alpha", "modelarts.vm.cpu.2u", CPU_IMAGE).await;
    let id = nb.id.unwrap();
    let s = env.ok(TYPE_NAME, &[("id", id.as_str().into())]).await;
    assert_eq!(s.get_attr("id").as_str(), Some(id.as_str()));
    assert_eq!(s.get_attr("name").as_str(), Some("alpha"));
    assert_eq!(s.get_attr("flavor").as_str(), Some("modelarts.vm.cpu.2u"));
    assert_eq!(
        s.get_attr("image_id").as_str(),
        Some(image_id(CPU_IMAGE).as_str())
    );
    assert_eq!(s.get_attr("workspace_id").as_str(), Some("0"));
    assert_eq!(s.get_attr("status").as_str(), Some("RUNNING"));
    assert_eq!(
        s.get_attr("volume").elements()[0].get_attr("size").as_i64(),
        Some(5)
    );
    let token = env.client.show_notebook(&id).await.unwrap().token.unwrap();
    assert_eq!(s.get_attr("token").as_str(), Some(token.expose()));
    assert!(
        super::schema()
            .block
            .get_attribute("token")
            .unwrap()
            .sensitive
    );
    for resource_only in [
        "desired_state",
        "allow_stop_for_update",
        "timeouts",
        "hooks",
    ] {
        assert!(
            !s.entries().unwrap().contains_key(resource_only),
            "{resource_only}"
        );
    }
}

#[tokio::test]
async fn by_name_matches_exactly_although_the_api_matches_substrings() {
    let env = Env::start().await;
    let nb = env.create("alpha", "modelarts.vm.cpu.2u", CPU_IMAGE).await;
    env.create("alpha-2", "modelarts.vm.cpu.4u", CPU_IMAGE)
        .await;
    let s = env.ok(TYPE_NAME, &[("name", "alpha".into())]).await;
    assert_eq!(s.get_attr("id").as_str(), nb.id.as_deref());
    assert_eq!(s.get_attr("flavor").as_str(), Some("modelarts.vm.cpu.2u"));
    assert!(s.get_attr("token").as_str().is_some());
}

#[tokio::test]
async fn no_match_by_name_is_an_error_naming_similar_notebooks() {
    let env = Env::start().await;
    let a = env.create("alpha", "modelarts.vm.cpu.2u", CPU_IMAGE).await;
    let d = env.fails(TYPE_NAME, &[("name", "alph".into())]).await;
    let e = errors(&d);
    assert_eq!(e.len(), 1);
    assert_eq!(d[0].attribute, at("name"));
    assert!(
        e[0].contains("No notebook in the default workspace is named \"alph\""),
        "{}",
        e[0]
    );
    assert!(
        e[0].contains(a.id.as_deref().unwrap()) && e[0].contains("\"alpha\""),
        "{}",
        e[0]
    );
    let e = errors(&env.fails(TYPE_NAME, &[("name", "zeta".into())]).await);
    assert!(e[0].contains("contains \"zeta\" either"), "{}", e[0]);
}

#[tokio::test]
async fn several_matches_by_name_is_an_error_listing_the_candidates() {
    let env = Env::start().await;
    let a = env.create("twin", "modelarts.vm.cpu.2u", CPU_IMAGE).await;
    let b = env.create("twin", "modelarts.vm.cpu.4u", CPU_IMAGE).await;
    env.create("twin-3", "modelarts.vm.cpu.4u", CPU_IMAGE).await;
    let d = env.fails(TYPE_NAME, &[("name", "twin".into())]).await;
    let e = errors(&d);
    assert_eq!(d[0].attribute, at("name"));
    assert!(
        e[0].starts_with("Several notebooks match: 2 notebooks"),
        "{}",
        e[0]
    );
    for nb in [&a, &b] {
        assert!(e[0].contains(nb.id.as_deref().unwrap()), "{}", e[0]);
    }
    assert!(
        e[0].contains("modelarts.vm.cpu.4u") && e[0].contains("set `id`"),
        "{}",
        e[0]
    );
    assert!(!e[0].contains("twin-3"), "{}", e[0]);
}

#[tokio::test]
async fn unknown_id_is_an_error_on_id() {
    let env = Env::start().await;
    let d = env.fails(TYPE_NAME, &[("id", MISSING.into())]).await;
    assert_eq!(d[0].attribute, at("id"));
    let e = errors(&d);
    assert!(
        e[0].starts_with("Notebook not found: No notebook with id"),
        "{}",
        e[0]
    );
    assert!(e[0].contains("ModelArts.6309"), "{}", e[0]);
}

#[tokio::test]
async fn workspace_scopes_name_lookups_and_must_agree_with_id() {
    let env = Env::start().await;
    let nb = env
        .create_with(NotebookCreateRequest {
            name: "inws".into(),
            image_id: image_id(CPU_IMAGE),
            flavor: Some("modelarts.vm.cpu.2u".into()),
            workspace_id: Some(WORKSPACE.into()),
            volume: VolumeMountRequest {
                category: "EVS".into(),
                ownership: "MANAGED".into(),
                ..Default::default()
            },
            ..Default::default()
        })
        .await;
    let id = nb.id.unwrap();
    let e = errors(&env.fails(TYPE_NAME, &[("name", "inws".into())]).await);
    assert!(e[0].contains("default workspace"), "{}", e[0]);
    let s = env
        .ok(
            TYPE_NAME,
            &[("name", "inws".into()), ("workspace_id", WORKSPACE.into())],
        )
        .await;
    assert_eq!(s.get_attr("id").as_str(), Some(id.as_str()));
    assert_eq!(s.get_attr("workspace_id").as_str(), Some(WORKSPACE));
    let s = env.ok(TYPE_NAME, &[("id", id.as_str().into())]).await;
    assert_eq!(s.get_attr("workspace_id").as_str(), Some(WORKSPACE));
    let d = env
        .fails(
            TYPE_NAME,
            &[("id", id.as_str().into()), ("workspace_id", "0".into())],
        )
        .await;
    assert_eq!(d[0].attribute, at("workspace_id"));
    assert!(errors(&d)[0].contains(&format!("belongs to workspace \"{WORKSPACE}\"")));
}

#[tokio::test]
async fn validation_needs_exactly_one_of_id_and_name_and_valid_values() {
    let env = Env::start().await;
    env.emulator.clear_journal();
    let e = errors(&env.validate(TYPE_NAME, &[]).await);
    assert!(
        e[0].contains("Exactly one of `id`, `name`") || e[0].contains("Exactly one of"),
        "{e:?}"
    );
    let e = errors(
        &env.validate(TYPE_NAME, &[("id", MISSING.into()), ("name", "a".into())])
            .await,
    );
    assert!(
        e[0].starts_with("Conflicting configuration arguments"),
        "{e:?}"
    );
    for (attr, bad) in [
        ("id", Value::from("nb-1")),
        ("name", "has space".into()),
        ("workspace_id", "WS".into()),
    ] {
        let mut attrs = vec![(attr, bad)];
        if attr == "workspace_id" {
            attrs.push(("name", "a".into()));
        }
        let d = env.validate(TYPE_NAME, &attrs).await;
        assert_eq!(errors(&d).len(), 1, "{attr}: {d:?}");
        assert_eq!(d[0].attribute, at(attr));
    }
    assert!(env.emulator.journal().is_empty());
}
