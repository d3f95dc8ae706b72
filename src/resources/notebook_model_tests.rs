//! Unit tests of the model mappings: response → model, read normalisation against the prior state, and the
//! create body.

use super::*;

fn resp(json: serde_json::Value) -> NotebookResp {
    serde_json::from_value(json).unwrap()
}

fn full() -> NotebookResp {
    resp(serde_json::json!({
        "id": "1e5bd3b4-1ce0-4bbb-ba4a-8b18b6a8f5c6",
        "name": "nb-1",
        "description": "",
        "status": "RUNNING",
        "flavor": "modelarts.vm.cpu.2u",
        "image": {"id": "278e88d1-5b71-4766-8502-b3ba72e824d9", "name": "pytorch", "swr_path": "swr.example/pt:1",
                  "tag": "1", "type": "BUILD_IN"},
        "lease": {"create_at": 1700000000000i64, "duration": 3600000, "enable": true, "type": "TIMING"},
        "pool": {"id": "pool-1", "name": "my pool"},
        "token": "very-secret",
        "url": "https://nb.example/lab",
        "volume": {"capacity": 50, "category": "evs", "mount_path": "/home/ma-user/work/", "ownership": "managed"},
        "workspace_id": "0",
        "feature": "NOTEBOOK",
        "billing_items": ["STORAGE", "COMPUTE"],
        "user": {"id": "u1", "name": "alice", "domain": {"id": "d1", "name": "acme"}},
        "affinity": {"required_during_scheduling_ignored_during_execution": [
                        {"key": "zone", "operator": "In", "values": ["a"], "weight": null}],
                     "preferred_during_scheduling_ignored_during_execution": []},
        "run_user": {"uid": 1000, "gid": 100, "user_name": "ma-user", "group_name": "ma-group"},
        "action_progress": [{"step": 1, "status": "COMPLETED", "step_description": "storage"}],
        "endpoints": [{"service": "SSH", "uri": "192.168.0.9", "ssh_keys": ["kp-1"], "allowed_access_ips": []}],
        "create_at": 1700000000000i64,
        "update_at": 1700000060000i64,
        "unknown_future_field": {"x": 1}
    }))
}

#[test]
fn from_resp_maps_every_attribute_canonically() {
    let m = NotebookModel::from_resp(&full(), false);
    assert_eq!(
        m.id.as_deref(),
        Some("1e5bd3b4-1ce0-4bbb-ba4a-8b18b6a8f5c6")
    );
    assert_eq!(m.name, "nb-1");
    assert_eq!(m.description, None, "empty description reads as null");
    assert_eq!(m.flavor.as_deref(), Some("modelarts.vm.cpu.2u"));
    assert_eq!(m.custom_spec, None);
    assert_eq!(m.image_id, "278e88d1-5b71-4766-8502-b3ba72e824d9");
    assert_eq!(
        m.volume,
        Volume {
            category: "EVS".into(),
            ownership: "MANAGED".into(),
            size: Some(50),
            uri: None,
            id: None,
            mount_path: Some("/home/ma-user/work/".into()),
            status: None,
        }
    );
    assert_eq!(
        m.endpoints,
        vec![Endpoint {
            service: "SSH".into(),
            key_pair_names: Some(vec!["kp-1".into()]),
            allowed_access_ips: None,
            uri: Some("192.168.0.9".into()),
        }]
    );
    assert_eq!(
        m.affinity,
        Some(Affinity {
            required: vec![AffinityRule {
                key: "zone".into(),
                operator: "In".into(),
                values: Some(vec!["a".into()]),
                weight: None
            }],
            preferred: vec![],
        })
    );
    assert_eq!(m.hooks, None);
    assert_eq!(m.pool_id.as_deref(), Some("pool-1"));
    assert_eq!(m.workspace_id, "0");
    assert_eq!(m.desired_state, DesiredState::Running);
    assert!(m.allow_stop_for_update);
    assert!(!m.enable_force_new);
    let i = &m.info;
    assert_eq!(i.status.as_deref(), Some("RUNNING"));
    assert_eq!(i.url.as_deref(), Some("https://nb.example/lab"));
    assert_eq!(i.token.as_ref().map(|t| t.expose()), Some("very-secret"));
    assert_eq!(i.image_name.as_deref(), Some("pytorch"));
    assert_eq!(i.image_swr_path.as_deref(), Some("swr.example/pt:1"));
    assert_eq!(i.image_tag.as_deref(), Some("1"));
    assert_eq!(i.image_type.as_deref(), Some("BUILD_IN"));
    assert_eq!(i.pool_name.as_deref(), Some("my pool"));
    assert_eq!(i.feature.as_deref(), Some("NOTEBOOK"));
    assert_eq!(i.billing_items, vec!["STORAGE", "COMPUTE"]);
    assert_eq!(
        i.user.as_ref().and_then(|u| u.domain_name.as_deref()),
        Some("acme")
    );
    assert_eq!(i.run_user.as_ref().and_then(|u| u.uid), Some(1000));
    assert_eq!(
        i.lease,
        Some(LeaseInfo {
            enabled: Some(true),
            duration: Some(3_600_000),
            kind: Some("TIMING".into())
        })
    );
    assert_eq!(i.action_progress[0].description.as_deref(), Some("storage"));
    assert_eq!(i.created_at.as_deref(), Some("2023-11-14T22:13:20Z"));
    assert_eq!(i.updated_at.as_deref(), Some("2023-11-14T22:14:20Z"));
}

#[test]
fn token_never_in_debug() {
    let m = NotebookModel::from_resp(&full(), false);
    let text = format!("{m:?}");
    assert!(!text.contains("very-secret"), "{text}");
    assert!(text.contains("<redacted>"));
}

#[test]
fn custom_spec_hides_the_placeholder_flavor() {
    let r = resp(serde_json::json!({
        "flavor": "custom.flavor.spec.code",
        "custom_spec": {"cpu": 2.0, "memory": 4096.0, "arch": "X86_64", "category": "CPU"},
        "status": "STOPPED"
    }));
    let m = NotebookModel::from_resp(&r, true);
    assert_eq!(m.flavor, None);
    assert_eq!(
        m.custom_spec,
        Some(CustomSpec {
            cpu: 2.0,
            memory: 4096,
            gpu: None
        })
    );
    assert_eq!(m.desired_state, DesiredState::Stopped);
    assert!(m.enable_force_new, "import takes the provider's setting");
}

#[test]
fn desired_state_from_every_status() {
    use NotebookStatus::*;
    for s in [Running, Starting, Creating, Init, Snapshotting] {
        assert_eq!(
            DesiredState::from_status(&s),
            Some(DesiredState::Running),
            "{s}"
        );
    }
    for s in [Stopped, Stopping, StartFailed] {
        assert_eq!(
            DesiredState::from_status(&s),
            Some(DesiredState::Stopped),
            "{s}"
        );
    }
    for s in [Error, Frozen, CreateFailed, DeleteFailed, Deleting, Deleted] {
        assert_eq!(DesiredState::from_status(&s), None, "{s}");
    }
}

#[test]
fn reconcile_keeps_the_prior_spelling_of_equal_values() {
    let mut prior = NotebookModel::from_resp(&full(), false);
    prior.description = Some(String::new());
    prior.volume.category = "evs".into();
    prior.volume.ownership = "Managed".into();
    prior.endpoints = vec![
        Endpoint {
            service: "NOTEBOOK".into(),
            ..Default::default()
        },
        Endpoint {
            service: "SSH".into(),
            key_pair_names: Some(vec!["kp-2".into(), "kp-1".into()]),
            allowed_access_ips: Some(vec![]),
            uri: None,
        },
    ];
    prior.hooks = Some(Hooks {
        pre_start: Some(Hook {
            script: "/a.sh".into(),
            kind: "SCRIPT".into(),
        }),
        post_start: None,
    });
    prior.allow_stop_for_update = false;
    prior.enable_force_new = true;
    prior.timeouts.create = Some("45m".into());
    if let Some(a) = &mut prior.affinity {
        a.required[0].values = Some(vec!["a".into()]);
        a.preferred = vec![];
    }

    let mut r = full();
    r.endpoints = Some(
        serde_json::from_value(serde_json::json!([
            {"service": "SSH", "uri": "10.0.0.1", "key_pair_names": ["kp-1", "kp-2"]},
            {"dev_service": "NOTEBOOK", "uri": "https://x"}
        ]))
        .unwrap(),
    );
    let fresh = NotebookModel::from_resp(&r, false);
    let m = NotebookModel::reconcile(fresh, &prior, r.status.as_ref());
    assert_eq!(m.description, Some(String::new()));
    assert_eq!(m.volume.category, "evs");
    assert_eq!(m.volume.ownership, "Managed");
    assert_eq!(m.endpoints[0].service, "NOTEBOOK");
    assert_eq!(m.endpoints[0].uri.as_deref(), Some("https://x"));
    assert_eq!(
        m.endpoints[1].key_pair_names,
        Some(vec!["kp-2".into(), "kp-1".into()])
    );
    assert_eq!(m.endpoints[1].allowed_access_ips, Some(vec![]));
    assert_eq!(m.endpoints[1].uri.as_deref(), Some("10.0.0.1"));
    assert_eq!(m.hooks, prior.hooks, "the API does not report hooks");
    assert!(!m.allow_stop_for_update);
    assert!(m.enable_force_new);
    assert_eq!(m.timeouts.create.as_deref(), Some("45m"));
    assert_eq!(m.affinity, prior.affinity);
}

#[test]
fn reconcile_shows_real_changes() {
    let prior = NotebookModel::from_resp(&full(), false);
    let mut r = full();
    r.name = Some("renamed".into());
    r.status = Some(NotebookStatus::Stopped);
    r.volume.as_mut().unwrap().capacity = Some(80);
    r.affinity = None;
    let m = NotebookModel::reconcile(
        NotebookModel::from_resp(&r, false),
        &prior,
        r.status.as_ref(),
    );
    assert_eq!(m.name, "renamed");
    assert_eq!(m.desired_state, DesiredState::Stopped);
    assert_eq!(m.volume.size, Some(80));
    assert_eq!(m.affinity, None);
}

#[test]
fn reconcile_keeps_desired_state_on_failure_statuses() {
    let mut prior = NotebookModel::from_resp(&full(), false);
    prior.desired_state = DesiredState::Stopped;
    let mut r = full();
    r.status = Some(NotebookStatus::Error);
    let m = NotebookModel::reconcile(
        NotebookModel::from_resp(&r, false),
        &prior,
        r.status.as_ref(),
    );
    assert_eq!(m.desired_state, DesiredState::Stopped);
    assert_eq!(m.info.status.as_deref(), Some("ERROR"));
}

#[test]
fn reconcile_orders_affinity_rules_like_the_prior() {
    let a = AffinityRule {
        key: "a".into(),
        operator: "Exists".into(),
        values: None,
        weight: Some(1),
    };
    let b = AffinityRule {
        key: "b".into(),
        operator: "In".into(),
        values: Some(vec!["x".into(), "y".into()]),
        weight: Some(2),
    };
    let prior = NotebookModel {
        affinity: Some(Affinity {
            required: vec![],
            preferred: vec![a.clone(), b.clone()],
        }),
        ..Default::default()
    };
    let fresh_b = AffinityRule {
        values: Some(vec!["y".into(), "x".into()]),
        ..b.clone()
    };
    let fresh_a = AffinityRule {
        values: Some(vec![]),
        ..a.clone()
    };
    let fresh = NotebookModel {
        affinity: Some(Affinity {
            required: vec![],
            preferred: vec![fresh_b, fresh_a],
        }),
        ..Default::default()
    };
    let m = NotebookModel::reconcile(fresh, &prior, None);
    assert_eq!(m.affinity, prior.affinity);
}

#[test]
fn create_request_body() {
    let mut m = NotebookModel::from_resp(&full(), false);
    m.volume.category = "evs".into();
    m.description = Some(String::new());
    m.endpoints[0].allowed_access_ips = Some(vec![]);
    m.hooks = Some(Hooks {
        pre_start: None,
        post_start: Some(Hook {
            script: "ZWNobw==".into(),
            kind: "COMMAND".into(),
        }),
    });
    let body = serde_json::to_value(m.create_request()).unwrap();
    assert_eq!(
        body,
        serde_json::json!({
            "name": "nb-1",
            "image_id": "278e88d1-5b71-4766-8502-b3ba72e824d9",
            "volume": {"category": "EVS", "ownership": "MANAGED", "capacity": 50},
            "flavor": "modelarts.vm.cpu.2u",
            "endpoints": [{"service": "SSH", "key_pair_names": ["kp-1"]}],
            "pool_id": "pool-1",
            "workspace_id": "0",
            "hooks": {"container_hooks": {"post_start": {"script": "ZWNobw==", "type": "COMMAND"}}},
            "affinity": {
                "required_during_scheduling_ignored_during_execution": [{"key": "zone", "operator": "In", "values": ["a"]}],
                "preferred_during_scheduling_ignored_during_execution": []
            }
        })
    );
}

#[test]
fn millis_formatting_is_total() {
    assert_eq!(format_millis(0).as_deref(), Some("1970-01-01T00:00:00Z"));
    assert_eq!(
        format_millis(1_500).as_deref(),
        Some("1970-01-01T00:00:01.5Z")
    );
    assert_eq!(format_millis(i64::MAX), None);
}
