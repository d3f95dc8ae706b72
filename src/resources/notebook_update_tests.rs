//! Unit tests of the update planner: the exact PUT bytes for each updatable field, each clear form, several
//! fields at once, and no PUT when nothing changed.

use super::super::notebook_model::{
    Affinity, AffinityRule, CustomSpec, DesiredState, Endpoint, Hook, Hooks, NotebookModel, Volume,
};
use super::*;

const IMAGE_A: &str = "278e88d1-5b71-4766-8502-b3ba72e824d9";
const IMAGE_B: &str = "e1a07296-22a8-4f05-8bc8-e936c8e54202";

fn base() -> NotebookModel {
    NotebookModel {
        id: Some("1e5bd3b4-1ce0-4bbb-ba4a-8b18b6a8f5c6".into()),
        name: "nb-1".into(),
        description: Some("first".into()),
        flavor: Some("modelarts.vm.cpu.2u".into()),
        image_id: IMAGE_A.into(),
        volume: Volume {
            category: "EVS".into(),
            ownership: "MANAGED".into(),
            size: Some(50),
            ..Default::default()
        },
        workspace_id: "0".into(),
        allow_stop_for_update: true,
        ..Default::default()
    }
}

fn body_json(prior: &NotebookModel, planned: &NotebookModel) -> String {
    serde_json::to_string(&plan_update(prior, planned).body).unwrap()
}

fn ssh(keys: &[&str], ips: &[&str]) -> Endpoint {
    let list = |xs: &[&str]| Some(xs.iter().map(|x| x.to_string()).collect::<Vec<_>>());
    Endpoint {
        service: "SSH".into(),
        key_pair_names: list(keys),
        allowed_access_ips: list(ips),
        uri: None,
    }
}

fn rule(key: &str, op: &str, values: &[&str], weight: Option<i64>) -> AffinityRule {
    AffinityRule {
        key: key.into(),
        operator: op.into(),
        values: Some(values.iter().map(|v| v.to_string()).collect()),
        weight,
    }
}

const REQ: &str = "required_during_scheduling_ignored_during_execution";
const PREF: &str = "preferred_during_scheduling_ignored_during_execution";

#[test]
fn no_change_no_put() {
    let plan = plan_update(&base(), &base());
    assert!(!plan.needs_put());
    assert!(!plan.desired_state_changed);
    assert!(!plan.hot_eligible());
    assert_eq!(serde_json::to_string(&plan.body).unwrap(), "{}");
}

#[test]
fn computed_values_alone_are_no_change() {
    let mut planned = base();
    planned.volume.mount_path = Some("/home/ma-user/work/".into());
    planned.volume.status = Some("RESIZING".into());
    planned.info.status = Some("STOPPED".into());
    planned.timeouts.update = Some("30m".into());
    planned.allow_stop_for_update = false;
    planned.enable_force_new = true;
    let mut prior = base();
    prior.endpoints = vec![ssh(&["kp"], &[])];
    planned.endpoints = vec![Endpoint {
        uri: Some("192.168.0.9".into()),
        ..ssh(&["kp"], &[])
    }];
    assert!(!plan_update(&prior, &planned).needs_put());
}

#[test]
fn name() {
    let mut planned = base();
    planned.name = "nb-2".into();
    assert_eq!(body_json(&base(), &planned), r#"{"name":"nb-2"}"#);
    assert!(plan_update(&base(), &planned).hot_eligible());
}

#[test]
fn description_change_set_and_clear() {
    let mut planned = base();
    planned.description = Some("second".into());
    assert_eq!(body_json(&base(), &planned), r#"{"description":"second"}"#);

    planned.description = None;
    assert_eq!(body_json(&base(), &planned), r#"{"description":""}"#);
    planned.description = Some(String::new());
    assert_eq!(body_json(&base(), &planned), r#"{"description":""}"#);

    let mut prior = base();
    prior.description = None;
    planned.description = Some(String::new());
    assert_eq!(
        body_json(&prior, &planned),
        "{}",
        "null and \"\" are both no description"
    );
    planned.description = Some("new".into());
    assert_eq!(body_json(&prior, &planned), r#"{"description":"new"}"#);
}

#[test]
fn endpoints_sent_whole_and_cleared_with_empty_list() {
    let mut prior = base();
    prior.endpoints = vec![ssh(&["kp-1"], &["1.2.3.4"])];
    let mut planned = prior.clone();
    planned.endpoints = vec![ssh(&["kp-1", "kp-2"], &["1.2.3.4"])];
    assert_eq!(
        body_json(&prior, &planned),
        r#"{"endpoints":[{"service":"SSH","key_pair_names":["kp-1","kp-2"],"allowed_access_ips":["1.2.3.4"]}]}"#
    );
    planned.endpoints.push(Endpoint {
        service: "NOTEBOOK".into(),
        ..Default::default()
    });
    planned.endpoints[0] = ssh(&["kp-1"], &["1.2.3.4"]);
    assert_eq!(
        body_json(&prior, &planned),
        r#"{"endpoints":[{"service":"SSH","key_pair_names":["kp-1"],"allowed_access_ips":["1.2.3.4"]},{"service":"NOTEBOOK"}]}"#
    );
    planned.endpoints.clear();
    assert_eq!(body_json(&prior, &planned), r#"{"endpoints":[]}"#);
    assert!(!plan_update(&prior, &planned).hot_eligible());
}

#[test]
fn endpoint_list_order_and_null_versus_empty_are_no_change() {
    let mut prior = base();
    prior.endpoints = vec![ssh(&["a", "b"], &["1.1.1.1", "2.2.2.2"])];
    let mut planned = prior.clone();
    planned.endpoints = vec![ssh(&["b", "a"], &["2.2.2.2", "1.1.1.1"])];
    assert_eq!(body_json(&prior, &planned), "{}");
    prior.endpoints = vec![Endpoint {
        service: "NOTEBOOK".into(),
        key_pair_names: None,
        ..Default::default()
    }];
    planned.endpoints = vec![Endpoint {
        service: "NOTEBOOK".into(),
        key_pair_names: Some(vec![]),
        ..Default::default()
    }];
    assert_eq!(body_json(&prior, &planned), "{}");
}

#[test]
fn flavor() {
    let mut planned = base();
    planned.flavor = Some("modelarts.vm.cpu.8u".into());
    assert_eq!(
        body_json(&base(), &planned),
        r#"{"flavor":"modelarts.vm.cpu.8u"}"#
    );
    assert!(!plan_update(&base(), &planned).hot_eligible());
}

fn custom(cpu: f64, memory: i64, gpu: Option<i64>) -> NotebookModel {
    let mut m = base();
    m.flavor = None;
    m.pool_id = Some("pool-1".into());
    m.custom_spec = Some(CustomSpec { cpu, memory, gpu });
    m
}

#[test]
fn custom_spec_sent_whole() {
    let prior = custom(2.0, 4096, Some(1));
    let planned = custom(2.0, 8192, Some(1));
    assert_eq!(
        body_json(&prior, &planned),
        r#"{"custom_spec":{"cpu":2.0,"memory":8192,"gpu":1}}"#
    );
    let planned = custom(0.5, 4096, None);
    assert_eq!(
        body_json(&prior, &planned),
        r#"{"custom_spec":{"cpu":0.5,"memory":4096}}"#
    );
}

#[test]
fn flavor_custom_spec_switch_sends_only_the_new_one() {
    let to_custom = body_json(&base(), &custom(1.5, 2048, None));
    assert_eq!(to_custom, r#"{"custom_spec":{"cpu":1.5,"memory":2048}}"#);
    let to_flavor = body_json(&custom(1.5, 2048, None), &base());
    assert_eq!(to_flavor, r#"{"flavor":"modelarts.vm.cpu.2u"}"#);
}

#[test]
fn image_id() {
    let mut planned = base();
    planned.image_id = IMAGE_B.into();
    assert_eq!(
        body_json(&base(), &planned),
        format!(r#"{{"image_id":"{IMAGE_B}"}}"#)
    );
    planned.image_id = IMAGE_A.to_uppercase();
    assert_eq!(
        body_json(&base(), &planned),
        "{}",
        "UUIDs compare without case"
    );
}

#[test]
fn storage_growth_only() {
    let mut planned = base();
    planned.volume.size = Some(100);
    assert_eq!(body_json(&base(), &planned), r#"{"storage_new_size":100}"#);
    assert!(plan_update(&base(), &planned).hot_eligible());
    planned.volume.size = Some(50);
    assert_eq!(body_json(&base(), &planned), "{}");
    // A shrink is a plan error; the planner never turns it into a request.
    planned.volume.size = Some(10);
    assert_eq!(body_json(&base(), &planned), "{}");
}

fn hook(script: &str, kind: &str) -> Option<Hook> {
    Some(Hook {
        script: script.into(),
        kind: kind.into(),
    })
}

#[test]
fn hooks_sent_whole_and_cleared() {
    let mut planned = base();
    planned.hooks = Some(Hooks {
        pre_start: hook("/home/ma-user/pre.sh", "SCRIPT"),
        post_start: None,
    });
    assert_eq!(
        body_json(&base(), &planned),
        r#"{"hooks":{"container_hooks":{"pre_start":{"script":"/home/ma-user/pre.sh","type":"SCRIPT"}}}}"#
    );
    let prior = planned.clone();
    planned.hooks = Some(Hooks {
        pre_start: hook("/home/ma-user/pre.sh", "SCRIPT"),
        post_start: hook("ZWNobyBoaQ==", "COMMAND"),
    });
    assert_eq!(
        body_json(&prior, &planned),
        r#"{"hooks":{"container_hooks":{"pre_start":{"script":"/home/ma-user/pre.sh","type":"SCRIPT"},"post_start":{"script":"ZWNobyBoaQ==","type":"COMMAND"}}}}"#
    );
    planned.hooks = None;
    assert_eq!(
        body_json(&prior, &planned),
        r#"{"hooks":{"container_hooks":{}}}"#
    );
    planned.hooks = Some(Hooks::default());
    assert_eq!(
        body_json(&prior, &planned),
        r#"{"hooks":{"container_hooks":{}}}"#
    );
    assert_eq!(
        body_json(&base(), &planned),
        "{}",
        "an empty hooks block is no hooks"
    );
}

#[test]
fn affinity_lists_sent_independently() {
    let mut planned = base();
    planned.affinity = Some(Affinity {
        required: vec![rule("zone", "In", &["a"], None)],
        preferred: vec![],
    });
    assert_eq!(
        body_json(&base(), &planned),
        format!(r#"{{"affinity":{{"{REQ}":[{{"key":"zone","operator":"In","values":["a"]}}]}}}}"#)
    );
    let prior = Affinity {
        required: vec![rule("zone", "In", &["a"], None)],
        preferred: vec![rule("gpu", "In", &["t4"], Some(40))],
    };
    let mut prior_model = base();
    prior_model.affinity = Some(prior.clone());
    // Only the preferred list changes.
    planned.affinity = Some(Affinity {
        required: prior.required.clone(),
        preferred: vec![rule("gpu", "In", &["t4"], Some(60))],
    });
    assert_eq!(
        body_json(&prior_model, &planned),
        format!(
            r#"{{"affinity":{{"{PREF}":[{{"key":"gpu","operator":"In","values":["t4"],"weight":60}}]}}}}"#
        )
    );
    // Emptying one list clears only that list.
    planned.affinity = Some(Affinity {
        required: vec![],
        preferred: prior.preferred.clone(),
    });
    assert_eq!(
        body_json(&prior_model, &planned),
        format!(r#"{{"affinity":{{"{REQ}":[]}}}}"#)
    );
}

#[test]
fn affinity_removed_sends_both_empty_lists() {
    let mut prior = base();
    prior.affinity = Some(Affinity {
        required: vec![rule("zone", "Exists", &[], None)],
        preferred: vec![],
    });
    let mut planned = base();
    planned.affinity = None;
    let expected = format!(r#"{{"affinity":{{"{REQ}":[],"{PREF}":[]}}}}"#);
    assert_eq!(body_json(&prior, &planned), expected);
    planned.affinity = Some(Affinity::default());
    assert_eq!(body_json(&prior, &planned), expected);
    assert!(!plan_update(&prior, &planned).hot_eligible());
}

#[test]
fn affinity_values_null_equals_empty() {
    let mut prior = base();
    let mut r = rule("zone", "Exists", &[], None);
    prior.affinity = Some(Affinity {
        required: vec![r.clone()],
        preferred: vec![],
    });
    r.values = None;
    let mut planned = base();
    planned.affinity = Some(Affinity {
        required: vec![r],
        preferred: vec![],
    });
    assert_eq!(body_json(&prior, &planned), "{}");
}

#[test]
fn several_fields_one_body() {
    let mut prior = base();
    prior.affinity = Some(Affinity {
        required: vec![rule("zone", "In", &["a"], None)],
        preferred: vec![],
    });
    let mut planned = base();
    planned.name = "nb-9".into();
    planned.description = None;
    planned.flavor = Some("modelarts.vm.cpu.8u".into());
    planned.image_id = IMAGE_B.into();
    planned.volume.size = Some(60);
    planned.endpoints = vec![Endpoint {
        service: "NOTEBOOK".into(),
        ..Default::default()
    }];
    let plan = plan_update(&prior, &planned);
    assert_eq!(
        serde_json::to_string(&plan.body).unwrap(),
        format!(
            r#"{{"name":"nb-9","description":"","endpoints":[{{"service":"NOTEBOOK"}}],"flavor":"modelarts.vm.cpu.8u","image_id":"{IMAGE_B}","storage_new_size":60,"affinity":{{"{REQ}":[],"{PREF}":[]}}}}"#
        )
    );
    assert_eq!(
        plan.changed_fields(),
        vec![
            "name",
            "description",
            "endpoint",
            "flavor",
            "image_id",
            "volume.size",
            "affinity"
        ]
    );
    assert!(!plan.hot_eligible());
}

#[test]
fn hot_eligible_only_for_name_description_size() {
    let mut planned = base();
    planned.name = "x".into();
    planned.description = Some("y".into());
    planned.volume.size = Some(51);
    let plan = plan_update(&base(), &planned);
    assert!(plan.hot_eligible());
    assert_eq!(
        serde_json::to_string(&plan.body).unwrap(),
        r#"{"name":"x","description":"y","storage_new_size":51}"#
    );
}

#[test]
fn desired_state_alone_is_no_put() {
    let mut planned = base();
    planned.desired_state = DesiredState::Stopped;
    let plan = plan_update(&base(), &planned);
    assert!(!plan.needs_put());
    assert!(plan.desired_state_changed);
    assert_eq!(plan.desired_state, DesiredState::Stopped);
}
