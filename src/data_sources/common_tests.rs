//! Unit tests of the shared pieces: the notebook schema derived from the resource, the value mapping,
//! filter descriptions, the any-case validator and flavor paging.

use std::cell::RefCell;

use super::*;
use crate::api::FlavorPage;
use crate::tf::{AttributePath, Diagnostics};

fn full() -> NotebookResp {
    serde_json::from_value(serde_json::json!({
        "id": "1e5bd3b4-1ce0-4bbb-ba4a-8b18b6a8f5c6",
        "name": "nb-1",
        "status": "RUNNING",
        "flavor": "custom.flavor.spec.code",
        "custom_spec": {"cpu": 0.4, "memory": 1024, "gpu": 0},
        "image": {"id": "278e88d1-5b71-4766-8502-b3ba72e824d9", "name": "pytorch", "swr_path": "swr.example/pt:1",
                  "tag": "1", "type": "BUILD_IN"},
        "lease": {"duration": 3600000, "enable": true, "type": "TIMING"},
        "pool": {"id": "pool-1", "name": "my pool"},
        "token": "very-secret",
        "url": "https://nb.example/lab",
        "volume": {"capacity": 50, "category": "EVS", "mount_path": "/home/ma-user/work/", "ownership": "MANAGED"},
        "workspace_id": "0",
        "feature": "NOTEBOOK",
        "billing_items": ["COMPUTE"],
        "user": {"id": "u1", "name": "alice", "domain": {"id": "d1", "name": "acme"}},
        "affinity": {"required_during_scheduling_ignored_during_execution": [
                        {"key": "zone", "operator": "In", "values": ["a"]}],
                     "preferred_during_scheduling_ignored_during_execution": [
                        {"key": "gpu", "operator": "Exists", "values": [], "weight": 40}]},
        "run_user": {"uid": 1000, "gid": 100, "user_name": "ma-user", "group_name": "ma-group"},
        "action_progress": [{"step": 1, "status": "COMPLETED", "step_description": "storage"}],
        "endpoints": [{"service": "SSH", "uri": "192.168.0.9", "key_pair_names": ["kp-1"], "allowed_access_ips": ["1.2.3.4"]}],
        "create_at": 1700000000000i64,
        "update_at": 1700000060000i64
    }))
    .unwrap()
}

#[test]
fn notebook_attributes_mirror_the_resource_schema() {
    let resource = crate::resources::notebook::schema().block;
    let ours = notebook_attributes();
    let find = |n: &str| ours.iter().find(|a| a.name == n);
    for a in &resource.attributes {
        match find(&a.name) {
            None => assert!(
                RESOURCE_ONLY.contains(&a.name.as_str()),
                "{} missing",
                a.name
            ),
            Some(d) => {
                assert_eq!(d.ty, a.ty, "{}", a.name);
                assert_eq!(d.sensitive, a.sensitive, "{}", a.name);
                assert!(d.computed && !d.optional && !d.required, "{}", a.name);
            }
        }
    }
    for b in &resource.blocks {
        match find(&b.type_name) {
            None => assert!(
                RESOURCE_ONLY.contains(&b.type_name.as_str()),
                "{}",
                b.type_name
            ),
            Some(d) => assert_eq!(d.ty, Type::list(b.block.value_type()), "{}", b.type_name),
        }
    }
    assert_eq!(
        ours.len(),
        resource.attributes.len() + resource.blocks.len() - RESOURCE_ONLY.len()
    );
    assert!(find(TOKEN).is_some_and(|t| t.sensitive));
    for gone in RESOURCE_ONLY {
        assert!(find(gone).is_none(), "{gone}");
    }
}

#[test]
fn notebook_value_is_the_resource_mapping_and_fits_the_schema() {
    let ty = Type::Object(
        notebook_attributes()
            .into_iter()
            .map(|a| (a.name, a.ty))
            .collect(),
    );
    let v = notebook_value(&full());
    v.check_type(&ty).unwrap();
    assert!(v.is_wholly_known());
    let resource = NotebookModel::from_resp(&full(), false).to_value();
    for (k, x) in v.entries().unwrap() {
        assert_eq!(Some(x), resource.entries().unwrap().get(k), "{k}");
    }
    assert_eq!(v.get_attr("token").as_str(), Some("very-secret"));
    assert_eq!(v.get_attr("flavor"), &Value::Null, "custom spec, no flavor");
    assert_eq!(
        v.get_attr("custom_spec").elements()[0]
            .get_attr("memory")
            .as_i64(),
        Some(1024)
    );
    let item = notebook_item_value(&full());
    item.check_type(&notebook_item_type()).unwrap();
    assert!(item.get_attr(TOKEN).is_null() && !item.entries().unwrap().contains_key(TOKEN));
    assert_eq!(item.get_attr("name").as_str(), Some("nb-1"));
}

#[test]
fn filters_are_described_for_error_context() {
    assert_eq!(describe_filters(&[("a", None)]), "no filters");
    assert_eq!(
        describe_filters(&[
            ("a", Some("x".into())),
            ("b", None),
            ("c", Some("y".into()))
        ]),
        r#"a = "x", c = "y""#
    );
}

#[test]
fn any_case_validator_accepts_each_spelling_and_names_the_choices() {
    let v = one_of_any_case(&["x86_64", "aarch64"]);
    let p = AttributePath::root("arch");
    let mut d = Diagnostics::new();
    for ok in ["x86_64", "X86_64", "AArch64"] {
        v.validate(&p, &Value::from(ok), &mut d);
    }
    assert!(d.is_empty(), "{d}");
    v.validate(&p, &Value::from("arm64"), &mut d);
    assert_eq!(d.len(), 1);
    let e = d.errors().next().unwrap();
    assert!(
        e.detail.contains("x86_64, aarch64") && e.detail.contains("arm64"),
        "{}",
        e.detail
    );
}

fn page(ids: &[&str], total: Option<i64>) -> FlavorPage {
    FlavorPage {
        total,
        data: ids
            .iter()
            .map(|i| NotebookFlavor {
                id: Some(i.to_string()),
                ..Default::default()
            })
            .collect(),
        ..Default::default()
    }
}

#[tokio::test]
async fn flavor_paging_follows_offsets_until_total() {
    let offsets = RefCell::new(Vec::new());
    let all = all_flavor_pages("list flavors", |offset| {
        offsets.borrow_mut().push(offset);
        let p = match offset {
            0 => page(&["a", "b"], Some(5)),
            2 => page(&["c", "d"], Some(5)),
            _ => page(&["e"], Some(5)),
        };
        async move { Ok(p) }
    })
    .await
    .unwrap();
    let ids: Vec<_> = all.iter().filter_map(|f| f.id.clone()).collect();
    assert_eq!(ids, ["a", "b", "c", "d", "e"]);
    assert_eq!(*offsets.borrow(), [0, 2, 4]);
}

#[tokio::test]
async fn flavor_paging_stops_on_one_unpaged_or_empty_page_and_passes_errors() {
    let calls = RefCell::new(0);
    let all = all_flavor_pages("list flavors", |_| {
        *calls.borrow_mut() += 1;
        async { Ok(page(&["a"], None)) }
    })
    .await
    .unwrap();
    assert_eq!((all.len(), *calls.borrow()), (1, 1));
    // A total the server never reaches: the empty page ends it.
    let all = all_flavor_pages("list flavors", |offset| {
        let p = if offset == 0 {
            page(&["a"], Some(10))
        } else {
            page(&[], Some(10))
        };
        async move { Ok(p) }
    })
    .await
    .unwrap();
    assert_eq!(all.len(), 1);
    let e = all_flavor_pages("list flavors", |_| async {
        Err(ClientError::Decode {
            operation: "list flavors",
            message: "bad".into(),
            request_id: None,
        })
    })
    .await
    .unwrap_err();
    assert!(e.to_string().contains("bad"));
}

#[tokio::test]
async fn flavor_paging_gives_up_on_endless_paging() {
    let e = all_flavor_pages("list flavors", |_| async {
        Ok(page(&["a"], Some(i64::MAX)))
    })
    .await
    .unwrap_err();
    assert!(e.to_string().contains("paging did not end"), "{e}");
}

#[tokio::test]
async fn the_provider_serves_the_four_data_sources_with_valid_schemas() {
    use crate::provider::{ModelArtsProvider, ProviderConfig};
    use crate::tf::protocol::ProviderService;
    let mut names: Vec<String> = crate::data_sources::all::<ProviderConfig>()
        .iter()
        .map(|d| {
            let diags = d.schema().block.check(&AttributePath::empty());
            assert!(diags.is_empty(), "{}: {diags}", d.type_name());
            d.type_name().to_string()
        })
        .collect();
    names.sort();
    let want = [
        "modelarts_notebook",
        "modelarts_notebook_flavors",
        "modelarts_notebook_images",
        "modelarts_notebooks",
    ];
    assert_eq!(names, want);
    let server = crate::tf::ProviderServer::new(ModelArtsProvider::with_env(|_| None));
    assert!(
        server.schema_diagnostics().is_empty(),
        "{}",
        server.schema_diagnostics()
    );
    let served = server.get_schema().await.data_source_schemas;
    assert_eq!(served.keys().cloned().collect::<Vec<_>>(), want);
}
