//! Plan tests: the shared engine plus the notebook's plan hook, checked against Terraform core's plan rules.

use super::super::notebook::TYPE_NAME;
use super::super::notebook_model::*;
use super::super::notebook_test_util::{config_of, run};
use super::*;
use crate::tf::Severity;

/// The state of a RUNNING notebook as read from the API.
fn state_model() -> NotebookModel {
    NotebookModel {
        id: Some("1e5bd3b4-1ce0-4bbb-ba4a-8b18b6a8f5c6".into()),
        name: "nb-1".into(),
        description: None,
        flavor: Some("modelarts.vm.cpu.2u".into()),
        image_id: "278e88d1-5b71-4766-8502-b3ba72e824d9".into(),
        volume: Volume {
            category: "EVS".into(),
            ownership: "MANAGED".into(),
            size: Some(50),
            mount_path: Some("/home/ma-user/work/".into()),
            ..Default::default()
        },
        endpoints: vec![Endpoint {
            service: "NOTEBOOK".into(),
            uri: Some("10.0.0.1".into()),
            ..Default::default()
        }],
        workspace_id: "0".into(),
        allow_stop_for_update: true,
        info: NotebookInfo {
            status: Some("RUNNING".into()),
            url: Some("https://nb/lab".into()),
            token: Some(crate::api::redact::Sensitive::new("t")),
            image_name: Some("pytorch".into()),
            billing_items: vec!["COMPUTE".into(), "STORAGE".into()],
            created_at: Some("2023-11-14T22:13:20Z".into()),
            updated_at: Some("2023-11-14T22:13:20Z".into()),
            ..Default::default()
        },
        ..Default::default()
    }
}

fn at(name: &str) -> AttributePath {
    AttributePath::root(name)
}

fn errors(r: &PlanResult) -> Vec<String> {
    r.diagnostics
        .errors()
        .map(|d| d.path.as_ref().map(|p| p.to_string()).unwrap_or_default())
        .collect()
}

fn warnings(r: &PlanResult) -> Vec<&str> {
    r.diagnostics
        .iter()
        .filter(|d| d.severity == Severity::Warning)
        .map(|d| d.summary.as_str())
        .collect()
}

#[test]
fn create_plans_known_status_and_defaults() {
    let mut m = state_model();
    m.info = NotebookInfo::default();
    let mut config = config_of(&m);
    config.set_attr("workspace_id", Value::Null);
    config.set_attr("desired_state", Value::Null);
    config.set_attr("allow_stop_for_update", Value::Null);
    config
        .set_path(
            &AttributePath::root("volume").index(0).attr("size"),
            Value::Null,
        )
        .unwrap();
    let r = run(&Value::Null, &config, Some(false));
    assert!(r.diagnostics.is_empty(), "{:?}", r.diagnostics);
    assert_eq!(r.get(&at("status")).as_str(), Some("RUNNING"));
    assert_eq!(r.get(&at("desired_state")).as_str(), Some("RUNNING"));
    assert_eq!(r.get(&at("workspace_id")).as_str(), Some("0"));
    assert_eq!(r.get(&at("allow_stop_for_update")).as_bool(), Some(true));
    assert_eq!(r.get(&at("enable_force_new")).as_bool(), Some(false));
    assert!(r.get(&at("id")).is_unknown());
    assert!(r.get(&at("url")).is_unknown());
    assert!(r
        .get(&AttributePath::root("volume").index(0).attr("size"))
        .is_unknown());
    assert!(r.requires_replace.is_empty());
}

#[test]
fn create_without_provider_configuration_leaves_force_new_unknown() {
    let r = run(&Value::Null, &config_of(&state_model()), None);
    assert!(r.get(&at("enable_force_new")).is_unknown());
}

#[test]
fn unchanged_config_plans_the_prior_state() {
    let prior = state_model().to_value();
    let r = run(&prior, &config_of(&state_model()), Some(false));
    assert!(r.diagnostics.is_empty(), "{:?}", r.diagnostics);
    assert_eq!(r.planned, prior);
}

#[test]
fn rename_keeps_stable_computed_values_and_warns() {
    let prior = state_model().to_value();
    let mut m = state_model();
    m.name = "nb-2".into();
    let r = run(&prior, &config_of(&m), Some(false));
    assert!(errors(&r).is_empty());
    assert_eq!(
        warnings(&r),
        vec!["Notebook may be stopped for this update"]
    );
    assert_eq!(r.get(&at("status")).as_str(), Some("RUNNING"));
    for stable in [
        "url",
        "token",
        "image_name",
        "billing_items",
        "created_at",
        "id",
    ] {
        assert_eq!(r.get(&at(stable)), prior.get_attr(stable), "{stable}");
    }
    assert!(r.get(&at("updated_at")).is_unknown());
    assert_eq!(
        r.get(&AttributePath::root("endpoint").index(0).attr("uri"))
            .as_str(),
        Some("10.0.0.1")
    );
}

#[test]
fn flavor_change_on_running_notebook_warns_of_a_stop() {
    let prior = state_model().to_value();
    let mut m = state_model();
    m.flavor = Some("modelarts.vm.cpu.8u".into());
    let r = run(&prior, &config_of(&m), Some(false));
    assert_eq!(
        warnings(&r),
        vec!["Notebook will be stopped for this update"]
    );
    let detail = &r.diagnostics.iter().next().unwrap().detail;
    assert!(
        detail.contains("flavor") && detail.contains("start it again"),
        "{detail}"
    );
    assert!(r.get(&at("billing_items")).is_unknown());
    assert!(r.requires_replace.is_empty());

    m.desired_state = DesiredState::Stopped;
    let r = run(&prior, &config_of(&m), Some(false));
    assert!(r
        .diagnostics
        .iter()
        .next()
        .unwrap()
        .detail
        .contains("leave it STOPPED"));
    assert_eq!(r.get(&at("status")).as_str(), Some("STOPPED"));

    m.allow_stop_for_update = false;
    let r = run(&prior, &config_of(&m), Some(false));
    assert_eq!(warnings(&r), vec!["Update may fail: notebook is running"]);
}

#[test]
fn no_warning_when_stopped_or_only_desired_state_changes() {
    let mut stopped = state_model();
    stopped.info.status = Some("STOPPED".into());
    stopped.desired_state = DesiredState::Stopped;
    let mut m = stopped.clone();
    m.flavor = Some("modelarts.vm.cpu.8u".into());
    assert!(run(&stopped.to_value(), &config_of(&m), Some(false))
        .diagnostics
        .is_empty());

    let mut m = state_model();
    m.desired_state = DesiredState::Stopped;
    let r = run(&state_model().to_value(), &config_of(&m), Some(false));
    assert!(r.diagnostics.is_empty());
    assert_eq!(r.get(&at("status")).as_str(), Some("STOPPED"));
}

#[test]
fn immutable_change_is_an_error_naming_both_ways_out() {
    let prior = state_model().to_value();
    let mut m = state_model();
    m.pool_id = Some("pool-2".into());
    let r = run(&prior, &config_of(&m), Some(false));
    assert_eq!(errors(&r), vec!["pool_id"]);
    let d = r.diagnostics.errors().next().unwrap();
    assert!(
        d.detail.contains("revert") && d.detail.contains("enable_force_new = true"),
        "{}",
        d.detail
    );
    assert!(r.requires_replace.is_empty());

    let mut m = state_model();
    m.volume.category = "EFS".into();
    m.workspace_id = "a1".repeat(16);
    let r = run(&prior, &config_of(&m), Some(false));
    assert_eq!(errors(&r), vec!["workspace_id", "volume[0].category"]);
}

#[test]
fn enable_force_new_turns_immutable_changes_into_replacement() {
    let prior = state_model().to_value();
    let mut m = state_model();
    m.volume.ownership = "DEDICATED".into();
    m.enable_force_new = true;
    let mut config = config_of(&m);
    config.set_attr("enable_force_new", Value::bool(true));
    let r = run(&prior, &config, Some(false));
    assert!(errors(&r).is_empty(), "{:?}", r.diagnostics);
    assert_eq!(
        r.requires_replace,
        vec![AttributePath::root("volume").index(0).attr("ownership")]
    );

    // The provider-wide setting applies when the resource does not say.
    let r = run(&prior, &config_of(&m), Some(true));
    assert_eq!(r.get(&at("enable_force_new")).as_bool(), Some(true));
    assert_eq!(r.requires_replace.len(), 1);
}

#[test]
fn unknown_immutable_value_is_deferred() {
    let prior = state_model().to_value();
    let mut config = config_of(&state_model());
    config.set_attr("pool_id", Value::Unknown);
    let r = run(&prior, &config, Some(false));
    assert!(errors(&r).is_empty());
    assert!(r.requires_replace.is_empty());
}

#[test]
fn storage_shrink_is_an_error_on_the_size() {
    let prior = state_model().to_value();
    let mut m = state_model();
    m.volume.size = Some(20);
    let r = run(&prior, &config_of(&m), Some(false));
    assert_eq!(errors(&r), vec!["volume[0].size"]);
    let d = r.diagnostics.errors().next().unwrap();
    assert!(
        d.detail.contains("currently 50 GB") && d.detail.contains("only grow"),
        "{}",
        d.detail
    );
}

#[test]
fn storage_growth_plans_volume_status_unknown() {
    let prior = state_model().to_value();
    let mut m = state_model();
    m.volume.size = Some(80);
    let r = run(&prior, &config_of(&m), Some(false));
    assert!(errors(&r).is_empty());
    assert!(r
        .get(&AttributePath::root("volume").index(0).attr("status"))
        .is_unknown());
    assert_eq!(
        r.get(&AttributePath::root("volume").index(0).attr("mount_path"))
            .as_str(),
        Some("/home/ma-user/work/")
    );
}

#[test]
fn non_evs_storage_cannot_grow() {
    let mut s = state_model();
    s.volume.category = "EFS".into();
    let mut m = s.clone();
    m.volume.size = Some(80);
    let r = run(&s.to_value(), &config_of(&m), Some(false));
    assert_eq!(errors(&r), vec!["volume[0].size"]);
}

#[test]
fn image_and_endpoint_changes_unknown_their_computed_values() {
    let prior = state_model().to_value();
    let mut m = state_model();
    m.image_id = "e1a07296-22a8-4f05-8bc8-e936c8e54202".into();
    let r = run(&prior, &config_of(&m), Some(false));
    assert!(r.get(&at("image_name")).is_unknown());
    assert_eq!(r.get(&at("url")), prior.get_attr("url"));

    let mut m = state_model();
    m.endpoints.insert(
        0,
        Endpoint {
            service: "SSH".into(),
            key_pair_names: Some(vec!["kp".into()]),
            ..Default::default()
        },
    );
    let r = run(&prior, &config_of(&m), Some(false));
    assert!(r
        .get(&AttributePath::root("endpoint").index(0).attr("uri"))
        .is_unknown());
    assert!(r
        .get(&AttributePath::root("endpoint").index(1).attr("uri"))
        .is_unknown());
}

#[test]
fn validation_reports_paths_on_values() {
    let mut m = state_model();
    m.custom_spec = Some(CustomSpec {
        cpu: 0.2,
        memory: 1024,
        gpu: None,
    });
    let mut diags = Diagnostics::new();
    validate_config(&config_of(&m), &mut diags);
    let paths: Vec<String> = diags
        .errors()
        .map(|d| d.path.as_ref().unwrap().to_string())
        .collect();
    // flavor and custom_spec both set (on flavor), custom_spec without pool_id, the cpu bound.
    assert_eq!(paths, vec!["flavor", "custom_spec", "custom_spec[0].cpu"]);
}

#[test]
fn schema_passes_terraform_rules_and_is_served() {
    let s = super::super::notebook::schema();
    let diags = s.block.check(&AttributePath::empty());
    assert!(diags.is_empty(), "{diags}");
    let server =
        crate::tf::ProviderServer::new(crate::provider::ModelArtsProvider::with_env(|_| None));
    let resp =
        futures::executor::block_on(crate::tf::protocol::ProviderService::get_schema(&server));
    assert!(resp.diagnostics.is_empty(), "{:?}", resp.diagnostics);
    assert!(resp.resource_schemas.contains_key(TYPE_NAME));
}

#[test]
fn provider_side_changes_keep_every_computed_value() {
    let prior = state_model().to_value();
    let mut m = state_model();
    m.timeouts.update = Some("45m".into());
    m.allow_stop_for_update = false;
    let r = run(&prior, &config_of(&m), Some(false));
    assert!(r.diagnostics.is_empty(), "{:?}", r.diagnostics);
    assert!(
        r.planned.is_wholly_known(),
        "{:?}",
        r.planned.unknown_paths()
    );
    for name in [
        "status",
        "updated_at",
        "lease",
        "action_progress",
        "fail_reason",
        "pool_name",
    ] {
        assert_eq!(r.get(&at(name)), prior.get_attr(name), "{name}");
    }
}

#[test]
fn stable_null_computed_values_stay_null_on_update() {
    let prior = state_model().to_value();
    let mut m = state_model();
    m.name = "nb-3".into();
    let r = run(&prior, &config_of(&m), Some(false));
    assert!(r.get(&at("pool_name")).is_null());
    assert!(r
        .get(&AttributePath::root("volume").index(0).attr("uri"))
        .is_null());
    assert!(r
        .get(&AttributePath::root("volume").index(0).attr("status"))
        .is_null());
    assert!(r.get(&at("updated_at")).is_unknown());
    assert!(r.get(&at("fail_reason")).is_unknown());
}

fn unknowns(r: &PlanResult) -> Vec<String> {
    let mut u: Vec<String> = r
        .planned
        .unknown_paths()
        .iter()
        .map(|p| p.to_string())
        .collect();
    u.sort();
    u
}

fn stopped_model() -> NotebookModel {
    let mut m = state_model();
    m.info.status = Some("STOPPED".into());
    m.desired_state = DesiredState::Stopped;
    m
}

/// With the lease, progress and fail reason a notebook has in state.
fn with_history(mut m: NotebookModel) -> NotebookModel {
    m.info.lease = Some(LeaseInfo {
        enabled: Some(true),
        duration: Some(3_600_000),
        kind: Some("TIMING".into()),
    });
    m.info.action_progress = vec![Progress {
        step: Some(1),
        status: Some("COMPLETED".into()),
        description: Some("Prepare storage".into()),
    }];
    m
}

#[test]
fn update_plans_unknown_exactly_what_the_operation_may_change() {
    use effect::*;
    let running = with_history(state_model());
    let stopped = with_history(stopped_model());
    let rename = |m: &NotebookModel| {
        let mut m = m.clone();
        m.name = "nb-2".into();
        m
    };
    let grow = |m: &NotebookModel| {
        let mut m = m.clone();
        m.volume.size = Some(80);
        m
    };
    let desired = |m: &NotebookModel, d: DesiredState| {
        let mut m = m.clone();
        m.desired_state = d;
        m
    };
    let history = ["action_progress", "fail_reason", "lease", "updated_at"];
    /// (what, prior state, planned model, forecast effects, unknown paths)
    type Case<'a> = (
        &'static str,
        &'a NotebookModel,
        NotebookModel,
        Vec<&'static str>,
        Vec<&'static str>,
    );
    let cases: Vec<Case> = vec![
        (
            "rename stopped",
            &stopped,
            rename(&stopped),
            vec![PUT],
            vec!["updated_at"],
        ),
        (
            // The server decides whether it takes the rename hot or the apply stops and restarts.
            "rename running",
            &running,
            rename(&running),
            vec![PUT, START, STOP, TRANSITION],
            history.to_vec(),
        ),
        (
            "grow stopped",
            &stopped,
            grow(&stopped),
            vec![PUT, RESIZE],
            vec!["updated_at", "volume[0].status"],
        ),
        (
            "grow running",
            &running,
            grow(&running),
            vec![PUT, RESIZE, START, STOP, TRANSITION],
            [&history[..], &["volume[0].status"]].concat(),
        ),
        (
            // A stop does not touch the lease.
            "stop",
            &running,
            desired(&running, DesiredState::Stopped),
            vec![STOP, TRANSITION],
            vec!["action_progress", "fail_reason", "updated_at"],
        ),
        (
            "start",
            &stopped,
            desired(&stopped, DesiredState::Running),
            vec![START, TRANSITION],
            history.to_vec(),
        ),
        (
            "rename running, to end stopped",
            &running,
            desired(&rename(&running), DesiredState::Stopped),
            vec![PUT, STOP, TRANSITION],
            vec!["action_progress", "fail_reason", "updated_at"],
        ),
    ];
    for (what, prior, m, effects, unknown) in cases {
        let prior = prior.to_value();
        let r = run(&prior, &config_of(&m), Some(false));
        assert!(errors(&r).is_empty(), "{what}: {:?}", r.diagnostics);
        assert_eq!(unknowns(&r), unknown, "{what}");
        let expected = Effects::Only(effects.into_iter().collect());
        assert_eq!(
            forecast(&prior, &r.planned, &config_of(&m)),
            expected,
            "{what}"
        );
        let status = r.get(&at("status")).as_str();
        assert_eq!(status, Some(m.desired_state.as_str()), "{what}");
        for name in [
            "url",
            "token",
            "created_at",
            "billing_items",
            "image_name",
            "id",
        ] {
            assert_eq!(r.get(&at(name)), prior.get_attr(name), "{what}: {name}");
        }
    }
}

#[test]
fn a_notebook_that_is_not_running_as_desired_will_be_started() {
    let mut prior = with_history(state_model());
    prior.info.status = Some("START_FAILED".into());
    prior.info.fail_reason = Some("no capacity".into());
    let mut m = prior.clone();
    m.timeouts.update = Some("45m".into());
    let r = run(&prior.to_value(), &config_of(&m), Some(false));
    assert_eq!(
        unknowns(&r),
        vec!["action_progress", "fail_reason", "lease", "updated_at"]
    );
    assert_eq!(r.get(&at("status")).as_str(), Some("RUNNING"));
}

#[test]
fn unknown_configuration_may_change_everything_that_can_change() {
    let prior = with_history(stopped_model()).to_value();
    let mut config = config_of(&stopped_model());
    config.set_attr("description", Value::Unknown);
    let r = run(&prior, &config, Some(false));
    assert_eq!(
        unknowns(&r),
        vec![
            "action_progress",
            "billing_items",
            "description",
            "endpoint[0].uri",
            "fail_reason",
            "image_name",
            "image_swr_path",
            "image_tag",
            "image_type",
            "lease",
            "updated_at",
            "volume[0].status",
        ]
    );
}

#[test]
fn every_computed_attribute_declares_what_changes_it() {
    fn walk(block: &crate::tf::Block, prefix: &str, missing: &mut Vec<String>) {
        for a in &block.attributes {
            let path = format!("{prefix}{}", a.name);
            // Optional+computed values the configuration drives (size, enable_force_new) need no declaration.
            let config_driven = a.optional && !matches!(path.as_str(), "volume.uri" | "volume.id");
            if a.computed && a.default.is_none() && !config_driven {
                if a.changes_with.is_none() {
                    missing.push(path.clone());
                }
                assert_eq!(
                    a.changes_with.as_deref(),
                    changes_with(&path),
                    "{path} is declared from the table"
                );
            }
        }
        for nb in &block.blocks {
            walk(&nb.block, &format!("{prefix}{}.", nb.type_name), missing);
        }
    }
    let mut missing = Vec::new();
    walk(&super::super::notebook::schema().block, "", &mut missing);
    assert!(missing.is_empty(), "no changes_with: {missing:?}");
}
