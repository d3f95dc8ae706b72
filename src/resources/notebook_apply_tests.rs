//! The resource's apply, read, delete and import against the in-process emulator: plan → apply → read →
//! plan again (which must be empty), with the exact requests asserted from the emulator's journal.

use std::sync::Arc;
use std::time::Duration;

use serde_json::json;
use tokio_util::sync::CancellationToken;

use super::super::notebook_model::*;
use super::super::notebook_test_util::{config_of, run};
use super::*;
use crate::client::{ClientConfig, Credentials, PollSettings};
use crate::emulator::{catalog, demo, DeletePolicy, Emulator, EmulatorHandle, UpdatePolicy};
use crate::tf::conform::{check_applied, normalize};
use crate::tf::AttributePath;

struct TestBackend {
    client: Client,
    force_new: bool,
}

impl super::super::backend::Backend for TestBackend {
    fn client(&self) -> Result<Client, ClientError> {
        Ok(self.client.clone())
    }
    fn enable_force_new(&self) -> bool {
        self.force_new
    }
}

struct Harness {
    emu: EmulatorHandle,
    ctx: Ctx<TestBackend>,
}

async fn harness(transition_ms: u64, update: UpdatePolicy, delete: DeletePolicy) -> Harness {
    let emu = Emulator::builder()
        .transition_ms(transition_ms)
        .update_policy(update)
        .delete_policy(delete)
        .start()
        .await
        .unwrap();
    let mut cfg = ClientConfig::new(
        "cn-north-4",
        demo::PROJECT_ID,
        Credentials::AkSk {
            ak: demo::ACCESS_KEY.into(),
            sk: demo::SECRET_KEY.into(),
            security_token: None,
        },
    );
    cfg.endpoint = Some(emu.base_url.clone());
    cfg.poll = PollSettings {
        initial: Duration::from_millis(5),
        max: Duration::from_millis(20),
    };
    let backend = TestBackend {
        client: Client::new(cfg).unwrap(),
        force_new: false,
    };
    let ctx = Ctx::new(Arc::new(backend), CancellationToken::new(), "1.0.3");
    Harness { emu, ctx }
}

async fn strict() -> Harness {
    harness(0, UpdatePolicy::Strict, DeletePolicy::Allow).await
}

fn image(name: &str) -> String {
    catalog::image_by_name(name).unwrap().id.clone()
}

/// What a user writes: a flavor, an image, EVS storage; everything else left to defaults.
fn desired() -> NotebookModel {
    NotebookModel {
        name: "nb-1".into(),
        flavor: Some("modelarts.vm.cpu.2u".into()),
        image_id: image("pytorch1.8-cpu-ubuntu18.04"),
        volume: Volume {
            category: "EVS".into(),
            ownership: "MANAGED".into(),
            size: Some(5),
            ..Default::default()
        },
        workspace_id: "0".into(),
        allow_stop_for_update: true,
        ..Default::default()
    }
}

impl Harness {
    /// One `terraform apply`: plan, apply, check the result against the plan, then refresh and re-plan,
    /// which must be empty. Returns the new state.
    async fn apply(&self, prior: &Value, want: &NotebookModel) -> Value {
        let state = self
            .try_apply(prior, want)
            .await
            .unwrap_or_else(|d| panic!("apply failed: {d}"));
        let refreshed = self.read(&state).await;
        assert_eq!(
            refreshed, state,
            "refresh right after apply changed the state"
        );
        let again = run(&refreshed, &config_of(want), Some(false));
        assert_eq!(again.planned, refreshed, "the next plan is not empty");
        state
    }

    async fn try_apply(&self, prior: &Value, want: &NotebookModel) -> Result<Value, Diagnostics> {
        let config = config_of(want);
        let plan = run(prior, &config, Some(false));
        if plan.diagnostics.has_errors() {
            return Err(plan.diagnostics);
        }
        let r = if prior.is_null() {
            let req = CreateRequest {
                config,
                planned: plan.planned.clone(),
                planned_private: vec![],
            };
            Resource::create(&NotebookResource, &self.ctx, req).await
        } else {
            let req = UpdateRequest {
                prior: prior.clone(),
                planned: plan.planned.clone(),
                config,
                planned_private: vec![],
            };
            Resource::update(&NotebookResource, &self.ctx, req).await
        };
        if r.diagnostics.has_errors() {
            return Err(r.diagnostics);
        }
        let block = schema().block;
        let state = normalize(&block, &r.state);
        assert!(state.is_wholly_known(), "unknowns in the new state");
        let check = check_applied(&block, &plan.planned, &state, TYPE_NAME);
        assert!(check.is_empty(), "inconsistent result after apply: {check}");
        Ok(state)
    }

    async fn read(&self, state: &Value) -> Value {
        let r = Resource::read(
            &NotebookResource,
            &self.ctx,
            ReadRequest {
                state: state.clone(),
                private: vec![],
            },
        )
        .await;
        assert!(!r.diagnostics.has_errors(), "{}", r.diagnostics);
        normalize(&schema().block, &r.state)
    }

    /// Journal entries other than GETs, as `METHOD path-suffix body`.
    fn calls(&self) -> Vec<String> {
        self.emu
            .journal()
            .into_iter()
            .filter(|e| e.method != "GET")
            .map(|e| {
                let tail = e
                    .path
                    .rsplit_once("/notebooks")
                    .map(|(_, t)| t.to_string())
                    .unwrap_or(e.path.clone());
                let tail = tail
                    .split('/')
                    .filter(|s| !s.is_empty() && s.len() != 36)
                    .collect::<Vec<_>>()
                    .join("/");
                let body = if e.body.is_null() {
                    String::new()
                } else {
                    format!(" {}", e.body)
                };
                format!("{} {}{} {}", e.method, tail, body, e.status)
                    .trim()
                    .replace("  ", " ")
            })
            .collect()
    }

    fn put_bodies(&self) -> Vec<String> {
        self.emu
            .journal()
            .into_iter()
            .filter(|e| e.method == "PUT" && e.status == 200)
            .map(|e| e.body_text.unwrap_or_default())
            .collect()
    }
}

fn status(state: &Value) -> &str {
    state.get_attr("status").as_str().unwrap_or_default()
}

#[tokio::test]
async fn create_waits_for_running_and_the_next_plan_is_empty() {
    let h = strict().await;
    let state = h.apply(&Value::Null, &desired()).await;
    assert_eq!(status(&state), "RUNNING");
    assert!(state.get_attr("id").as_str().is_some_and(is_uuid));
    assert_eq!(
        state.get_attr("image_name").as_str(),
        Some("pytorch1.8-cpu-ubuntu18.04")
    );
    assert_eq!(h.calls().len(), 1, "{:?}", h.calls());
    assert!(h.calls()[0].starts_with("POST "), "{:?}", h.calls());
}

/// GETs in the journal since it was last cleared.
fn gets(h: &Harness) -> usize {
    h.emu.journal().iter().filter(|e| e.method == "GET").count()
}

/// With transition 0 each wait ends on its first poll; the notebook that poll (or a PUT's answer) returned is
/// used as is, never read a second time.
#[tokio::test]
async fn no_notebook_is_read_twice_for_nothing() {
    let h = strict().await;
    let state = h.try_apply(&Value::Null, &desired()).await.unwrap();
    assert_eq!(gets(&h), 1, "create: one poll");

    h.emu.clear_journal();
    let mut want = desired();
    want.desired_state = DesiredState::Stopped;
    let state = h.try_apply(&state, &want).await.unwrap();
    assert_eq!(gets(&h), 2, "stop: the state before, then one poll");

    h.emu.clear_journal();
    want.description = Some("stopped update".into());
    let state = h.try_apply(&state, &want).await.unwrap();
    assert_eq!(h.calls().len(), 1, "{:?}", h.calls());
    assert_eq!(gets(&h), 1, "stopped update: the state before the PUT only");

    h.emu.clear_journal();
    want.desired_state = DesiredState::Running;
    want.image_id = image("conda3-ubuntu18.04");
    h.try_apply(&state, &want).await.unwrap();
    assert_eq!(h.calls().len(), 2, "{:?}", h.calls());
    assert_eq!(
        gets(&h),
        2,
        "update then start: the state before, then one poll"
    );
}

#[tokio::test]
async fn create_stopped_stops_after_running() {
    let h = strict().await;
    let mut want = desired();
    want.desired_state = DesiredState::Stopped;
    let state = h.apply(&Value::Null, &want).await;
    assert_eq!(status(&state), "STOPPED");
    let calls = h.calls();
    assert_eq!(calls.len(), 2, "{calls:?}");
    assert_eq!(calls[1], "POST stop 200");
}

/// An edit of the desired configuration.
type Change = Box<dyn FnOnce(&mut NotebookModel)>;

/// Creates a STOPPED notebook, changes `change` on it and returns the one PUT body sent.
async fn single_put(before: NotebookModel, change: impl FnOnce(&mut NotebookModel)) -> String {
    let h = strict().await;
    let mut want = before;
    want.desired_state = DesiredState::Stopped;
    let state = h.apply(&Value::Null, &want).await;
    h.emu.clear_journal();
    change(&mut want);
    h.apply(&state, &want).await;
    let calls = h.calls();
    assert_eq!(
        calls.len(),
        1,
        "exactly one PUT and nothing else: {calls:?}"
    );
    h.put_bodies().pop().unwrap()
}

#[tokio::test]
async fn each_updatable_field_is_one_minimal_put() {
    let other_image = image("conda3-ubuntu18.04");
    let cases: Vec<(Change, String)> = vec![
        (Box::new(|m| m.name = "nb-renamed".into()), r#"{"name":"nb-renamed"}"#.into()),
        (Box::new(|m| m.description = Some("hello".into())), r#"{"description":"hello"}"#.into()),
        (Box::new(|m| m.flavor = Some("modelarts.vm.cpu.8u".into())), r#"{"flavor":"modelarts.vm.cpu.8u"}"#.into()),
        (Box::new(move |m| m.image_id = other_image), format!(r#"{{"image_id":"{}"}}"#, image("conda3-ubuntu18.04"))),
        (Box::new(|m| m.volume.size = Some(20)), r#"{"storage_new_size":20}"#.into()),
        (
            Box::new(|m| m.endpoints = vec![Endpoint { service: "NOTEBOOK".into(), ..Default::default() }]),
            r#"{"endpoints":[{"service":"NOTEBOOK"}]}"#.into(),
        ),
        (
            Box::new(|m| {
                m.hooks = Some(Hooks {
                    pre_start: Some(Hook { script: "/home/ma-user/pre.sh".into(), kind: "SCRIPT".into() }),
                    post_start: None,
                })
            }),
            r#"{"hooks":{"container_hooks":{"pre_start":{"script":"/home/ma-user/pre.sh","type":"SCRIPT"}}}}"#.into(),
        ),
        (
            Box::new(|m| {
                m.affinity = Some(Affinity {
                    required: vec![AffinityRule {
                        key: "kubernetes.io/hostname".into(),
                        operator: "In".into(),
                        values: Some(vec!["node-1".into()]),
                        weight: None,
                    }],
                    preferred: vec![],
                })
            }),
            r#"{"affinity":{"required_during_scheduling_ignored_during_execution":[{"key":"kubernetes.io/hostname","operator":"In","values":["node-1"]}]}}"#.into(),
        ),
    ];
    for (change, expected) in cases {
        assert_eq!(single_put(desired(), change).await, expected);
    }
}

#[tokio::test]
async fn custom_spec_switch_sends_only_the_spec() {
    let mut in_pool = desired();
    in_pool.pool_id = Some("pool-cpu-7c2d9e41".into());
    let body = single_put(in_pool, |m| {
        m.flavor = None;
        m.custom_spec = Some(CustomSpec {
            cpu: 1.5,
            memory: 2048,
            gpu: None,
        });
    })
    .await;
    assert_eq!(body, r#"{"custom_spec":{"cpu":1.5,"memory":2048}}"#);
}

#[tokio::test]
async fn clears_use_the_seed_forms() {
    let mut before = desired();
    before.description = Some("text".into());
    before.endpoints = vec![Endpoint {
        service: "NOTEBOOK".into(),
        ..Default::default()
    }];
    before.affinity = Some(Affinity {
        required: vec![],
        preferred: vec![AffinityRule {
            key: "zone".into(),
            operator: "Exists".into(),
            values: None,
            weight: Some(10),
        }],
    });
    let body = single_put(before, |m| {
        m.description = None;
        m.endpoints.clear();
        m.affinity = None;
    })
    .await;
    assert_eq!(
        body,
        r#"{"description":"","endpoints":[],"affinity":{"required_during_scheduling_ignored_during_execution":[],"preferred_during_scheduling_ignored_during_execution":[]}}"#
    );
}

#[tokio::test]
async fn running_update_stops_puts_and_starts() {
    let h = strict().await;
    let state = h.apply(&Value::Null, &desired()).await;
    h.emu.clear_journal();
    let mut want = desired();
    want.flavor = Some("modelarts.vm.cpu.8u".into());
    let state = h.apply(&state, &want).await;
    assert_eq!(status(&state), "RUNNING");
    assert_eq!(
        h.calls(),
        vec![
            "POST stop 200",
            r#"PUT {"flavor":"modelarts.vm.cpu.8u"} 200"#,
            "POST start 200"
        ]
    );
}

#[tokio::test]
async fn running_update_to_stopped_is_never_started() {
    let h = strict().await;
    let state = h.apply(&Value::Null, &desired()).await;
    h.emu.clear_journal();
    let mut want = desired();
    want.flavor = Some("modelarts.vm.cpu.8u".into());
    want.desired_state = DesiredState::Stopped;
    let state = h.apply(&state, &want).await;
    assert_eq!(status(&state), "STOPPED");
    assert_eq!(
        h.calls(),
        vec![
            "POST stop 200",
            r#"PUT {"flavor":"modelarts.vm.cpu.8u"} 200"#
        ]
    );
}

#[tokio::test]
async fn rename_under_hot_policy_does_not_stop() {
    let h = harness(0, UpdatePolicy::Hot, DeletePolicy::Allow).await;
    let state = h.apply(&Value::Null, &desired()).await;
    h.emu.clear_journal();
    let mut want = desired();
    want.name = "nb-hot".into();
    h.apply(&state, &want).await;
    assert_eq!(h.calls(), vec![r#"PUT {"name":"nb-hot"} 200"#]);
}

#[tokio::test]
async fn rename_under_strict_policy_falls_back_to_stop() {
    let h = strict().await;
    let state = h.apply(&Value::Null, &desired()).await;
    h.emu.clear_journal();
    let mut want = desired();
    want.name = "nb-strict".into();
    h.apply(&state, &want).await;
    let calls = h.calls();
    assert_eq!(calls.len(), 4, "{calls:?}");
    assert!(
        calls[0].starts_with(r#"PUT {"name":"nb-strict"} 400"#),
        "{calls:?}"
    );
    assert_eq!(
        calls[1..],
        [
            "POST stop 200",
            r#"PUT {"name":"nb-strict"} 200"#,
            "POST start 200"
        ]
    );
}

#[tokio::test]
async fn no_stop_allowed_is_a_clear_error_and_touches_nothing() {
    let h = strict().await;
    let state = h.apply(&Value::Null, &desired()).await;
    h.emu.clear_journal();
    let mut want = desired();
    want.allow_stop_for_update = false;
    want.image_id = image("conda3-ubuntu18.04");
    let err = h.try_apply(&state, &want).await.unwrap_err();
    let d = err.errors().next().unwrap();
    assert!(
        d.detail.contains("allow_stop_for_update = false") && d.detail.contains("image_id"),
        "{}",
        d.detail
    );
    assert!(h.calls().is_empty(), "{:?}", h.calls());
}

#[tokio::test]
async fn desired_state_alone_only_starts_or_stops() {
    let h = strict().await;
    let state = h.apply(&Value::Null, &desired()).await;
    h.emu.clear_journal();
    let mut want = desired();
    want.desired_state = DesiredState::Stopped;
    let state = h.apply(&state, &want).await;
    assert_eq!(h.calls(), vec!["POST stop 200"]);
    h.emu.clear_journal();
    h.apply(&state, &desired()).await;
    assert_eq!(h.calls(), vec!["POST start 200"]);
}

#[tokio::test]
async fn storage_growth_waits_for_the_resize() {
    let h = harness(30, UpdatePolicy::Strict, DeletePolicy::Allow).await;
    let mut want = desired();
    want.desired_state = DesiredState::Stopped;
    let state = h.apply(&Value::Null, &want).await;
    want.volume.size = Some(40);
    let state = h.apply(&state, &want).await;
    let size = state
        .get_path(&AttributePath::root("volume").index(0).attr("size"))
        .cloned();
    assert_eq!(size, Some(Value::number(40)));
    assert!(state
        .get_path(&AttributePath::root("volume").index(0).attr("status"))
        .is_some_and(|s| s.as_str() != Some("RESIZING")));
}

#[tokio::test]
async fn out_of_band_stop_shows_as_a_diff_and_converges() {
    let h = strict().await;
    let state = h.apply(&Value::Null, &desired()).await;
    let id = state.get_attr("id").as_str().unwrap().to_string();
    h.ctx.provider().client.stop_notebook(&id).await.unwrap();
    h.ctx
        .provider()
        .client
        .wait_for_status(
            &id,
            &[NotebookStatus::Stopped],
            Duration::from_secs(5),
            None,
        )
        .await
        .unwrap();
    let refreshed = h.read(&state).await;
    assert_eq!(
        refreshed.get_attr("desired_state").as_str(),
        Some("STOPPED")
    );
    let plan = run(&refreshed, &config_of(&desired()), Some(false));
    assert_eq!(
        plan.get(&AttributePath::root("desired_state")).as_str(),
        Some("RUNNING")
    );
    h.emu.clear_journal();
    h.apply(&refreshed, &desired()).await;
    assert_eq!(h.calls(), vec!["POST start 200"]);
}

#[tokio::test]
async fn read_of_a_deleted_notebook_is_null_with_a_warning() {
    let h = strict().await;
    let state = h.apply(&Value::Null, &desired()).await;
    let id = state.get_attr("id").as_str().unwrap().to_string();
    assert!(Resource::delete(
        &NotebookResource,
        &h.ctx,
        DeleteRequest {
            prior: state.clone()
        }
    )
    .await
    .is_empty());
    let r = Resource::read(
        &NotebookResource,
        &h.ctx,
        ReadRequest {
            state,
            private: vec![],
        },
    )
    .await;
    assert!(r.state.is_null());
    assert!(!r.diagnostics.has_errors());
    assert!(r.diagnostics.iter().any(|d| d.detail.contains(&id)));
    // Deleting again is a success.
    let gone = NotebookModel {
        id: Some(id),
        ..desired()
    }
    .to_value();
    assert!(
        Resource::delete(&NotebookResource, &h.ctx, DeleteRequest { prior: gone })
            .await
            .is_empty()
    );
}

#[tokio::test]
async fn delete_stops_first_when_the_api_requires_it() {
    let h = harness(0, UpdatePolicy::Strict, DeletePolicy::Strict).await;
    let state = h.apply(&Value::Null, &desired()).await;
    h.emu.clear_journal();
    let d = Resource::delete(&NotebookResource, &h.ctx, DeleteRequest { prior: state }).await;
    assert!(d.is_empty(), "{d}");
    let calls = h.calls();
    assert_eq!(calls.len(), 3, "{calls:?}");
    assert!(
        calls[0].starts_with("DELETE") && calls[0].ends_with("400"),
        "{calls:?}"
    );
    assert_eq!(calls[1], "POST stop 200");
    assert!(
        calls[2].starts_with("DELETE") && calls[2].ends_with("200"),
        "{calls:?}"
    );
    assert!(h.emu.notebooks().is_empty());
}

#[tokio::test]
async fn import_then_read_equals_the_applied_state() {
    let h = strict().await;
    let mut want = desired();
    want.description = Some("imported".into());
    want.endpoints = vec![Endpoint {
        service: "SSH".into(),
        key_pair_names: Some(vec!["kp-1".into()]),
        allowed_access_ips: Some(vec!["1.2.3.4".into()]),
        uri: None,
    }];
    want.timeouts.create = Some("40m".into());
    let state = h.apply(&Value::Null, &want).await;
    let id = state.get_attr("id").as_str().unwrap().to_string();
    let imported = Resource::import(&NotebookResource, &h.ctx, &id).await;
    assert!(imported.diagnostics.is_empty());
    let read = h.read(&normalize(&schema().block, &imported.state)).await;
    let mut expected = state.clone();
    expected.set_attr("timeouts", Value::Null);
    assert_eq!(read, expected);
    let bad = Resource::import(&NotebookResource, &h.ctx, "not-a-uuid").await;
    assert!(bad.diagnostics.has_errors());
}

#[tokio::test]
async fn failure_during_create_wait_reports_fail_reason_and_keeps_the_id() {
    let h = harness(60_000, UpdatePolicy::Strict, DeletePolicy::Allow).await;
    let emu = h.emu.emulator().clone();
    let breaker = tokio::spawn(async move {
        loop {
            if let Some((_, nb)) = emu.notebooks().first() {
                let id = nb.id.clone().unwrap();
                emu.force_status(&id, NotebookStatus::Error, Some("no capacity".into()), None)
                    .unwrap();
                return id;
            }
            tokio::time::sleep(Duration::from_millis(5)).await;
        }
    });
    let config = config_of(&desired());
    let plan = run(&Value::Null, &config, Some(false));
    let req = CreateRequest {
        config,
        planned: plan.planned,
        planned_private: vec![],
    };
    let r = tokio::time::timeout(
        Duration::from_secs(10),
        Resource::create(&NotebookResource, &h.ctx, req),
    )
    .await
    .expect("the wait must end on ERROR, not hang");
    let id = breaker.await.unwrap();
    assert!(r.diagnostics.has_errors());
    let detail = &r.diagnostics.errors().next().unwrap().detail;
    assert!(
        detail.contains("ERROR") && detail.contains("no capacity"),
        "{detail}"
    );
    assert_eq!(r.state.get_attr("id").as_str(), Some(id.as_str()));
    assert_eq!(json!(r.state.get_attr("name").as_str()), json!("nb-1"));
}
