//! Exact-bytes tests of the wire types: the update tri-state, affinity lists, and tolerant response parsing.

use super::*;

fn json<T: serde::Serialize>(v: &T) -> String {
    serde_json::to_string(v).unwrap()
}

fn rule(key: &str, values: &[&str], weight: Option<i64>) -> AffinityRule {
    AffinityRule {
        key: key.into(),
        operator: "In".into(),
        values: values.iter().map(|s| s.to_string()).collect(),
        weight,
    }
}

const REQ: &str = "required_during_scheduling_ignored_during_execution";
const PREF: &str = "preferred_during_scheduling_ignored_during_execution";

#[test]
fn update_absent_fields_are_not_sent() {
    assert_eq!(json(&NotebookUpdateRequest::default()), "{}");
    assert!(NotebookUpdateRequest::default().is_empty());
}

#[test]
fn update_empty_string_and_empty_list_clear() {
    let u = NotebookUpdateRequest {
        description: Some(String::new()),
        ..Default::default()
    };
    assert_eq!(json(&u), r#"{"description":""}"#);
    let u = NotebookUpdateRequest {
        endpoints: Some(vec![]),
        data_volumes: Some(vec![]),
        ..Default::default()
    };
    assert_eq!(json(&u), r#"{"endpoints":[],"data_volumes":[]}"#);
}

#[test]
fn update_values_replace() {
    let u = NotebookUpdateRequest {
        name: Some("nb-2".into()),
        flavor: Some("modelarts.vm.cpu.8u".into()),
        image_id: Some("img-1".into()),
        storage_new_size: Some(100),
        ..Default::default()
    };
    assert_eq!(
        json(&u),
        r#"{"name":"nb-2","flavor":"modelarts.vm.cpu.8u","image_id":"img-1","storage_new_size":100}"#
    );
    assert!(!u.is_affinity_only());
}

#[test]
fn affinity_lists_are_independent() {
    let only_required_cleared = NotebookUpdateRequest {
        affinity: Some(AffinityType {
            required_during_scheduling_ignored_during_execution: Some(vec![]),
            preferred_during_scheduling_ignored_during_execution: None,
        }),
        ..Default::default()
    };
    assert_eq!(
        json(&only_required_cleared),
        format!(r#"{{"affinity":{{"{REQ}":[]}}}}"#)
    );
    assert!(only_required_cleared.is_affinity_only());

    let both_cleared = AffinityType {
        required_during_scheduling_ignored_during_execution: Some(vec![]),
        preferred_during_scheduling_ignored_during_execution: Some(vec![]),
    };
    assert_eq!(
        json(&both_cleared),
        format!(r#"{{"{REQ}":[],"{PREF}":[]}}"#)
    );

    let preferred_replaced = AffinityType {
        required_during_scheduling_ignored_during_execution: None,
        preferred_during_scheduling_ignored_during_execution: Some(vec![rule(
            "node.example/gpu",
            &["t4"],
            Some(40),
        )]),
    };
    assert_eq!(
        json(&preferred_replaced),
        format!(
            r#"{{"{PREF}":[{{"key":"node.example/gpu","operator":"In","values":["t4"],"weight":40}}]}}"#
        )
    );

    let required_replaced = AffinityType {
        required_during_scheduling_ignored_during_execution: Some(vec![rule(
            "node.example/zone",
            &["zone-a"],
            None,
        )]),
        preferred_during_scheduling_ignored_during_execution: None,
    };
    // A required rule has no weight; `values` is always sent, even empty.
    assert_eq!(
        json(&required_replaced),
        format!(
            r#"{{"{REQ}":[{{"key":"node.example/zone","operator":"In","values":["zone-a"]}}]}}"#
        )
    );
    let exists = AffinityRule {
        key: "k".into(),
        operator: "Exists".into(),
        values: vec![],
        weight: None,
    };
    assert_eq!(
        json(&exists),
        r#"{"key":"k","operator":"Exists","values":[]}"#
    );
}

#[test]
fn affinity_null_and_absent_parse_as_no_change() {
    let u: NotebookUpdateRequest = serde_json::from_str(r#"{"affinity":null}"#).unwrap();
    assert_eq!(u.affinity, None);
    let u: NotebookUpdateRequest =
        serde_json::from_str(&format!(r#"{{"affinity":{{"{REQ}":null,"{PREF}":[]}}}}"#)).unwrap();
    let a = u.affinity.unwrap();
    assert_eq!(a.required_during_scheduling_ignored_during_execution, None);
    assert_eq!(
        a.preferred_during_scheduling_ignored_during_execution,
        Some(vec![])
    );
}

fn full_update() -> NotebookUpdateRequest {
    NotebookUpdateRequest {
        name: Some("n".into()),
        description: Some("d".into()),
        endpoints: Some(vec![
            EndpointsReq::default(),
            EndpointsReq {
                service: Some("SSH".into()),
                key_pair_names: Some(vec!["kp".into()]),
                allowed_access_ips: Some(vec![]),
            },
        ]),
        flavor: Some("f".into()),
        custom_spec: Some(NotebookCustomSpec::default()),
        image_id: Some("i".into()),
        storage_new_size: Some(10),
        hooks: Some(CustomHooks {
            container_hooks: Some(ContainerHooks {
                pre_start: Some(HookConfig::default()),
                post_start: None,
            }),
        }),
        affinity: Some(AffinityType::default()),
        dew_secret_name: Some("s".into()),
        data_volumes: Some(vec![VolumeMountRequest::default()]),
        public_network_config: Some(PublicNetworkConfig::default()),
    }
}

#[test]
fn no_null_is_ever_serialised() {
    let out = json(&full_update());
    assert!(!out.contains("null"), "{out}");
    let create = NotebookCreateRequest {
        custom_spec: Some(NotebookCustomSpec::default()),
        lease: Some(LeaseReq::default()),
        run_user: Some(RunUserRequest::default()),
        user_vpc: Some(UserVpcRequest::default()),
        affinity: Some(AffinityType::default()),
        ..Default::default()
    };
    let out = json(&create);
    assert!(!out.contains("null"), "{out}");
    let resp = json(&NotebookResp::default());
    assert_eq!(resp, "{}");
}

#[test]
fn update_round_trips() {
    let u = full_update();
    let back: NotebookUpdateRequest = serde_json::from_str(&json(&u)).unwrap();
    assert_eq!(back, u);
}

#[test]
fn create_minimal_exact_bytes() {
    let c = NotebookCreateRequest {
        name: "nb".into(),
        image_id: "img".into(),
        volume: VolumeMountRequest {
            category: "EVS".into(),
            ownership: "MANAGED".into(),
            capacity: Some(5),
            ..Default::default()
        },
        flavor: Some("modelarts.vm.cpu.2u".into()),
        duration: Some(-1),
        ..Default::default()
    };
    assert_eq!(
        json(&c),
        r#"{"name":"nb","image_id":"img","volume":{"category":"EVS","ownership":"MANAGED","capacity":5},"flavor":"modelarts.vm.cpu.2u","duration":-1}"#
    );
}

#[test]
fn response_tolerates_unknown_null_and_missing_fields() {
    let body = r#"{
        "id": "1c2d", "name": "nb", "status": "RUNNING", "token": "very-secret",
        "brand_new_field": {"x": [1, 2]}, "description": null, "endpoints": null,
        "volume": {"capacity": 5, "category": "EVS", "status": "RESIZING", "extra": true},
        "affinity": {"required_during_scheduling_ignored_during_execution":
            [{"key": "k", "operator": "In", "values": null, "weight": null}]},
        "custom_spec": {"cpu": 2, "memory": 1024.0, "gpu": 0},
        "action_progress": [{"step": 1, "status": "COMPLETED", "description": "storage"}],
        "create_at": 1705307400000, "update_at": 1705307401000
    }"#;
    let r: NotebookResp = serde_json::from_str(body).unwrap();
    assert_eq!(r.status, Some(NotebookStatus::Running));
    assert_eq!(r.description, None);
    assert_eq!(
        r.volume.as_ref().unwrap().status.as_deref(),
        Some("RESIZING")
    );
    let rules = r
        .affinity
        .as_ref()
        .unwrap()
        .required_during_scheduling_ignored_during_execution
        .as_ref()
        .unwrap();
    assert_eq!(rules[0].values, Vec::<String>::new());
    assert_eq!(r.custom_spec.as_ref().unwrap().memory, Some(1024.0));
    assert_eq!(r.create_at, Some(1705307400000));
    assert_eq!(r.token.as_ref().unwrap().expose(), "very-secret");
    let dbg = format!("{r:?}");
    assert!(!dbg.contains("very-secret"), "{dbg}");
    let empty: NotebookResp = serde_json::from_str("{}").unwrap();
    assert_eq!(empty, NotebookResp::default());
}

#[test]
fn pages_parse_and_flavor_page_falls_back_to_flavors() {
    let p: Page<NotebookResp> =
        serde_json::from_str(r#"{"current":0,"pages":1,"size":10,"total":1,"data":[{"id":"a"}]}"#)
            .unwrap();
    assert_eq!(p.total, Some(1));
    assert_eq!(p.data[0].id.as_deref(), Some("a"));
    let p: Page<Image> = serde_json::from_str(r#"{"total":0,"data":null}"#).unwrap();
    assert!(p.data.is_empty());
    let f: FlavorPage = serde_json::from_str(
        r#"{"total":1,"flavors":[{"id":"modelarts.vm.cpu.2u","arch":"x86_64"}]}"#,
    )
    .unwrap();
    assert_eq!(f.items()[0].id.as_deref(), Some("modelarts.vm.cpu.2u"));
    let f: FlavorPage = serde_json::from_str(
        r#"{"data":[{"id":"a","gpu":{"gpu":1,"gpu_memory":"16GB","type":"T4"},"billing":{"code":"c","unit_num":1}}],"flavors":[{"id":"a"}]}"#,
    )
    .unwrap();
    assert_eq!(
        f.into_items()[0].gpu.as_ref().unwrap().r#type.as_deref(),
        Some("T4")
    );
}

#[test]
fn lease_and_image_use_type_on_the_wire() {
    let l = LeaseReq {
        duration: Some(7_200_000),
        r#type: Some("TIMING".into()),
    };
    assert_eq!(json(&l), r#"{"duration":7200000,"type":"TIMING"}"#);
    let i: Image =
        serde_json::from_str(r#"{"id":"x","type":"BUILD_IN","tags":[{"key":"k","value":"v"}]}"#)
            .unwrap();
    assert_eq!(i.r#type.as_deref(), Some("BUILD_IN"));
}

#[test]
fn project_path_encodes() {
    assert_eq!(project_path("0123abc"), "/v1/0123abc");
    assert_eq!(project_path("a/b"), "/v1/a%2Fb");
}
