//! Shared setup of the notebook acceptance tests: an in-process emulator, a Terraform working directory whose
//! provider points at it, the emulator's journal as compact lines, and out-of-band API calls for drift.

#![allow(dead_code)]

use std::time::Duration;

use modelarts::api::{NotebookResp, NotebookStatus, NotebookUpdateRequest, StartQuery};
use modelarts::client::{Client, ClientConfig, Credentials, PollSettings};
use modelarts::emulator::{catalog, demo, DeletePolicy, Emulator, EmulatorHandle, UpdatePolicy};
use serde_json::Value;

use crate::harness::Harness;

pub const ADDRESS: &str = "modelarts_notebook.nb";
pub const FLAVOR: &str = "modelarts.vm.cpu.2u";
pub const CPU_POOL: &str = "pool-cpu-7c2d9e41";

pub fn image(name: &str) -> String {
    catalog::image_by_name(name)
        .expect("catalog image")
        .id
        .clone()
}

pub fn pytorch() -> String {
    image("pytorch1.8-cpu-ubuntu18.04")
}

pub fn conda() -> String {
    image("conda3-ubuntu18.04")
}

/// One test's world: the emulator (on its own runtime) and a Terraform working directory.
pub struct Env {
    pub rt: tokio::runtime::Runtime,
    pub emu: EmulatorHandle,
    pub h: Harness,
    provider_extra: String,
}

pub struct Options {
    pub transition_ms: u64,
    pub update_policy: UpdatePolicy,
    pub delete_policy: DeletePolicy,
}

impl Default for Options {
    fn default() -> Self {
        Options {
            transition_ms: 0,
            update_policy: UpdatePolicy::Strict,
            delete_policy: DeletePolicy::Allow,
        }
    }
}

impl Env {
    pub fn new() -> Env {
        Env::with(Options::default())
    }

    pub fn with(o: Options) -> Env {
        let rt = tokio::runtime::Builder::new_multi_thread()
            .worker_threads(1)
            .enable_all()
            .build()
            .expect("runtime");
        let emu = rt
            .block_on(
                Emulator::builder()
                    .transition_ms(o.transition_ms)
                    .update_policy(o.update_policy)
                    .delete_policy(o.delete_policy)
                    .start(),
            )
            .expect("emulator");
        Env {
            rt,
            emu,
            h: Harness::new(),
            provider_extra: String::new(),
        }
    }

    /// Extra lines in the provider block, e.g. `enable_force_new = true`.
    pub fn provider_setting(&mut self, line: &str) {
        self.provider_extra.push_str(&format!("  {line}\n"));
    }

    pub fn provider_block(&self) -> String {
        format!(
            "provider \"modelarts\" {{\n  region     = \"cn-north-4\"\n  project_id = \"{}\"\n  access_key = \"{}\"\n  \
             secret_key = \"{}\"\n  endpoints  = {{ modelarts = \"{}\" }}\n{}}}\n",
            demo::PROJECT_ID,
            demo::ACCESS_KEY,
            demo::SECRET_KEY,
            self.emu.base_url,
            self.provider_extra
        )
    }

    /// Writes `main.tf`: the provider block plus `resources`.
    pub fn write(&self, resources: &str) {
        self.h
            .write_config(&format!("{}\n{resources}", self.provider_block()));
    }

    /// `resource "modelarts_notebook" "nb"` with `body` inside.
    pub fn write_notebook(&self, body: &str) {
        self.write(&format!(
            "resource \"modelarts_notebook\" \"nb\" {{\n{body}\n}}\n"
        ));
    }

    pub fn clear_journal(&self) {
        self.emu.clear_journal();
    }

    /// Requests other than GET since the last clear, as `METHOD /suffix STATUS` (ids elided).
    pub fn calls(&self) -> Vec<String> {
        self.emu
            .journal()
            .into_iter()
            .filter(|e| e.method != "GET")
            .map(|e| {
                let tail = e
                    .path
                    .rsplit_once("/notebooks")
                    .map(|(_, t)| t.to_string())
                    .unwrap_or_default();
                let tail: Vec<&str> = tail
                    .split('/')
                    .filter(|s| !s.is_empty() && s.len() != 36)
                    .collect();
                format!("{} /{} {}", e.method, tail.join("/"), e.status)
            })
            .collect()
    }

    /// Bodies of the PUTs since the last clear, exactly as sent.
    pub fn put_bodies(&self) -> Vec<String> {
        self.emu
            .journal()
            .into_iter()
            .filter(|e| e.method == "PUT")
            .map(|e| e.body_text.unwrap_or_default())
            .collect()
    }

    pub fn notebooks(&self) -> Vec<NotebookResp> {
        self.emu.notebooks().into_iter().map(|(_, nb)| nb).collect()
    }

    /// The id of the only notebook.
    pub fn only_id(&self) -> String {
        let all = self.notebooks();
        assert_eq!(all.len(), 1, "expected exactly one notebook: {all:?}");
        all[0].id.clone().expect("id")
    }

    pub fn state_value(&self, attr: &str) -> Value {
        self.h
            .resource_values(ADDRESS)
            .and_then(|v| v.get(attr).cloned())
            .unwrap_or(Value::Null)
    }

    /// A client of the emulator for out-of-band changes, as another tool or the console would make them.
    pub fn client(&self) -> Client {
        let mut cfg = ClientConfig::new(
            "cn-north-4",
            demo::PROJECT_ID,
            Credentials::AkSk {
                ak: demo::ACCESS_KEY.into(),
                sk: demo::SECRET_KEY.into(),
                security_token: None,
            },
        );
        cfg.endpoint = Some(self.emu.base_url.clone());
        cfg.poll = PollSettings {
            initial: Duration::from_millis(10),
            max: Duration::from_millis(50),
        };
        Client::new(cfg).expect("client")
    }

    pub fn stop_out_of_band(&self, id: &str) {
        let c = self.client();
        self.rt.block_on(async {
            c.stop_notebook(id).await.expect("stop");
            c.wait_for_status(
                id,
                &[NotebookStatus::Stopped],
                Duration::from_secs(30),
                None,
            )
            .await
            .expect("stopped");
        });
    }

    pub fn start_out_of_band(&self, id: &str) {
        let c = self.client();
        self.rt.block_on(async {
            c.start_notebook(id, &StartQuery::default())
                .await
                .expect("start");
            c.wait_for_status(
                id,
                &[NotebookStatus::Running],
                Duration::from_secs(30),
                None,
            )
            .await
            .expect("running");
        });
    }

    /// A PUT made outside Terraform (the notebook must be STOPPED under the strict policy).
    pub fn update_out_of_band(&self, id: &str, body: NotebookUpdateRequest) {
        let c = self.client();
        self.rt.block_on(async {
            c.update_notebook(id, &body).await.expect("update");
            c.wait_for_volume_settled(id, Duration::from_secs(30), None)
                .await
                .expect("settled");
        });
    }

    pub fn delete_out_of_band(&self, id: &str) {
        let c = self.client();
        self.rt.block_on(async {
            c.delete_notebook(id).await.expect("delete");
            c.wait_for_gone(id, Duration::from_secs(30), None)
                .await
                .expect("gone");
        });
    }

    /// Actions of `address` in a saved plan's `resource_changes`.
    pub fn planned_actions(&self) -> Vec<String> {
        let plan = self.h.plan_json();
        plan["resource_changes"]
            .as_array()
            .into_iter()
            .flatten()
            .filter(|c| c["address"] == ADDRESS)
            .flat_map(|c| {
                c["change"]["actions"]
                    .as_array()
                    .cloned()
                    .unwrap_or_default()
            })
            .filter_map(|a| a.as_str().map(str::to_string))
            .collect()
    }

    /// Plans (saved, `show -json`), asserts the change is an in-place update, and returns the paths the plan
    /// leaves unknown (`after_unknown`), sorted, e.g. `["updated_at", "volume[0].status"]`.
    pub fn planned_unknowns(&self) -> Vec<String> {
        let plan = self.h.plan_json();
        let change = plan["resource_changes"]
            .as_array()
            .into_iter()
            .flatten()
            .find(|c| c["address"] == ADDRESS)
            .map(|c| c["change"].clone())
            .expect("a change of the notebook");
        assert_eq!(change["actions"], serde_json::json!(["update"]), "{change}");
        let mut out = Vec::new();
        unknown_paths(&change["after_unknown"], String::new(), &mut out);
        out.sort();
        out
    }

    /// Applies, asserting the plan updates in place, and returns the PUT bodies sent.
    pub fn apply_update(&self) -> Vec<String> {
        assert_eq!(
            self.planned_actions(),
            vec!["update"],
            "the change must be an in-place update"
        );
        self.clear_journal();
        self.h.apply();
        self.put_bodies()
    }
}

/// The notebook body most tests start from, with `extra` lines added.
pub fn notebook(extra: &str) -> String {
    format!(
        "  name     = \"nb-1\"\n  flavor   = \"{FLAVOR}\"\n  image_id = \"{}\"\n  volume {{\n    category = \"EVS\"\n    \
         size     = 5\n  }}\n{extra}",
        pytorch()
    )
}

/// Paths marked `true` in a plan's `after_unknown` tree.
fn unknown_paths(v: &Value, path: String, out: &mut Vec<String>) {
    match v {
        Value::Bool(true) => out.push(path),
        Value::Object(m) => {
            for (k, x) in m {
                let p = if path.is_empty() {
                    k.clone()
                } else {
                    format!("{path}.{k}")
                };
                unknown_paths(x, p, out);
            }
        }
        Value::Array(items) => {
            for (i, x) in items.iter().enumerate() {
                unknown_paths(x, format!("{path}[{i}]"), out);
            }
        }
        _ => {}
    }
}
