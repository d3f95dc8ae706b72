//! Unit tests of the model ↔ Terraform value mapping and the configuration view.

use super::super::notebook_model::*;
use super::*;

fn sample() -> NotebookModel {
    NotebookModel {
        id: Some("1e5bd3b4-1ce0-4bbb-ba4a-8b18b6a8f5c6".into()),
        name: "nb".into(),
        description: Some(String::new()),
        flavor: None,
        custom_spec: Some(CustomSpec {
            cpu: 0.4,
            memory: 2048,
            gpu: Some(1),
        }),
        image_id: "278e88d1-5b71-4766-8502-b3ba72e824d9".into(),
        volume: Volume {
            category: "EVS".into(),
            ownership: "MANAGED".into(),
            size: Some(5),
            mount_path: Some("/home/ma-user/work/".into()),
            ..Default::default()
        },
        endpoints: vec![Endpoint {
            service: "SSH".into(),
            key_pair_names: Some(vec!["kp".into()]),
            allowed_access_ips: None,
            uri: Some("10.0.0.1".into()),
        }],
        hooks: Some(Hooks {
            pre_start: None,
            post_start: Some(Hook {
                script: "/s.sh".into(),
                kind: "SCRIPT".into(),
            }),
        }),
        affinity: Some(Affinity {
            required: vec![AffinityRule {
                key: "k".into(),
                operator: "Exists".into(),
                values: None,
                weight: None,
            }],
            preferred: vec![AffinityRule {
                key: "g".into(),
                operator: "In".into(),
                values: Some(vec!["t4".into()]),
                weight: Some(10),
            }],
        }),
        pool_id: Some("pool-1".into()),
        workspace_id: "0".into(),
        desired_state: DesiredState::Stopped,
        allow_stop_for_update: false,
        enable_force_new: true,
        timeouts: Timeouts {
            create: Some("1h".into()),
            update: None,
            delete: None,
        },
        info: NotebookInfo {
            status: Some("STOPPED".into()),
            token: Some(crate::api::redact::Sensitive::new("tok")),
            action_progress: vec![Progress {
                step: Some(1),
                status: Some("COMPLETED".into()),
                description: None,
            }],
            billing_items: vec!["STORAGE".into()],
            lease: Some(LeaseInfo {
                enabled: Some(false),
                duration: None,
                kind: None,
            }),
            run_user: Some(RunUser {
                uid: Some(1000),
                ..Default::default()
            }),
            created_at: Some("2023-11-14T22:13:20Z".into()),
            ..Default::default()
        },
    }
}

#[test]
fn round_trip() {
    let m = sample();
    assert_eq!(NotebookModel::from_value(&m.to_value()), m);
    let mut bare = NotebookModel {
        volume: Volume {
            category: "EFS".into(),
            ownership: "DEDICATED".into(),
            ..Default::default()
        },
        workspace_id: "0".into(),
        ..Default::default()
    };
    bare.allow_stop_for_update = true;
    assert_eq!(NotebookModel::from_value(&bare.to_value()), bare);
}

#[test]
fn to_value_has_every_attribute_and_block_shape() {
    let v = sample().to_value();
    assert_eq!(v.get_attr("custom_spec").elements().len(), 1);
    assert_eq!(v.get_attr("volume").elements().len(), 1);
    assert!(v.get_attr("flavor").is_null());
    assert_eq!(v.get_attr("token").as_str(), Some("tok"));
    // Required rules carry no weight attribute at all.
    let req = &v.get_attr("affinity").elements()[0]
        .get_attr("required")
        .elements()[0];
    assert!(req.entries().is_some_and(|e| !e.contains_key("weight")));
    let empty = NotebookModel::default().to_value();
    for block in ["custom_spec", "endpoint", "hooks", "affinity"] {
        assert_eq!(
            empty.get_attr(block).length(),
            Some(0),
            "{block} is [] when absent"
        );
    }
    assert!(
        empty.get_attr("timeouts").is_null(),
        "absent SINGLE block is null"
    );
    for name in [
        "status",
        "url",
        "token",
        "lease",
        "user",
        "run_user",
        "created_at",
        "updated_at",
        "billing_items",
    ] {
        assert!(
            empty.entries().is_some_and(|e| e.contains_key(name)),
            "{name}"
        );
    }
}

#[test]
fn floats_are_written_as_their_decimal_text() {
    assert_eq!(
        float_value(0.4),
        Value::Number(Number::parse("0.4").unwrap())
    );
    assert_eq!(float_value(2.0), Value::number(2));
    assert_eq!(
        float_value(1.25),
        Value::Number(Number::parse("1.25").unwrap())
    );
}

#[test]
fn config_view_keeps_unknowns() {
    let mut v = sample().to_value();
    v.set_attr("name", Value::Unknown);
    v.set_attr("endpoint", Value::Unknown);
    let vol = Value::list([Value::object([
        ("category", Value::string("EVS")),
        ("ownership", Value::Null),
        ("size", Value::Unknown),
        ("uri", Value::Null),
        ("id", Value::Null),
    ])]);
    v.set_attr("volume", vol);
    let c = config_view(&v);
    assert!(c.name.is_unknown());
    assert!(c.endpoints.is_unknown());
    assert_eq!(c.flavor, Known::Null);
    let vols = c.volume.value().unwrap();
    assert_eq!(vols[0].category, Known::Value("EVS".into()));
    assert!(vols[0].ownership.is_null());
    assert!(vols[0].size.is_unknown());
    let spec = &c.custom_spec.value().unwrap()[0];
    assert_eq!(spec.cpu, Known::Value(0.4));
    assert_eq!(spec.memory, Known::Value(2048.0));
    let aff = &c.affinity.value().unwrap()[0];
    assert!(aff.required.value().unwrap()[0].values.is_null());
    assert_eq!(aff.preferred.value().unwrap()[0].weight, Known::Value(10.0));
    assert_eq!(
        c.timeouts.value().unwrap().create,
        Known::Value("1h".into())
    );
}
