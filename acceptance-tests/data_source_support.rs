//! Shared pieces of the data source acceptance tests: notebooks created straight through the emulator's API,
//! `terraform output -json`, and a data source's values and sensitivity from `terraform show -json`.

#![allow(dead_code)]

use modelarts::api::{NotebookCreateRequest, NotebookResp, NotebookStatus, VolumeMountRequest};
use serde_json::Value;

use crate::harness::find_resource;
use crate::notebook_support::{image, Env};

pub const CPU_IMAGE: &str = "pytorch1.8-cpu-ubuntu18.04";
pub const ARM_IMAGE: &str = "conda3-aarch64-euler2.8.3";

/// A notebook created outside Terraform, as the console would; waits until it runs.
pub fn create(env: &Env, name: &str, flavor: &str, image_name: &str) -> NotebookResp {
    create_with(
        env,
        NotebookCreateRequest {
            name: name.into(),
            image_id: image(image_name),
            flavor: Some(flavor.into()),
            volume: VolumeMountRequest {
                category: "EVS".into(),
                ownership: "MANAGED".into(),
                capacity: Some(5),
                ..Default::default()
            },
            ..Default::default()
        },
    )
}

pub fn create_with(env: &Env, req: NotebookCreateRequest) -> NotebookResp {
    let c = env.client();
    env.rt.block_on(async {
        let nb = c.create_notebook(&req).await.expect("create");
        let id = nb.id.clone().expect("id");
        c.wait_for_status(
            &id,
            &[NotebookStatus::Running],
            std::time::Duration::from_secs(30),
            None,
        )
        .await
        .expect("running")
    })
}

pub fn stop(env: &Env, id: &str) {
    env.stop_out_of_band(id);
}

/// `terraform output -json`: name → value (sensitive values included, as the command prints them).
pub fn outputs(env: &Env) -> Value {
    let out = env.h.run(&["output", "-json", "-no-color"]);
    assert_eq!(out.code, 0, "terraform output failed:\n{}", out.combined());
    let all: Value = serde_json::from_str(&out.stdout).expect("output JSON");
    let mut values = serde_json::Map::new();
    for (k, v) in all.as_object().into_iter().flatten() {
        values.insert(k.clone(), v["value"].clone());
    }
    Value::Object(values)
}

/// Output `name` as a sorted list of strings.
pub fn sorted_output(env: &Env, name: &str) -> Vec<String> {
    let o = outputs(env);
    let mut v: Vec<String> = o[name]
        .as_array()
        .unwrap_or_else(|| panic!("output {name} is not a list: {o}"))
        .iter()
        .map(|x| x.as_str().unwrap_or("<not a string>").to_string())
        .collect();
    v.sort();
    v
}

/// The `values` of a data source instance in the state, e.g. `data.x.y`.
pub fn data_source(env: &Env, address: &str) -> Value {
    let state = env.h.state_json();
    let r =
        find_resource(&state, address).unwrap_or_else(|| panic!("{address} not in state: {state}"));
    assert_eq!(r["mode"], "data", "{address}");
    r["values"].clone()
}

/// Whether Terraform sees `attribute` of data source `type_name` as sensitive (`providers schema -json`).
/// Terraform 1.0's `show -json` leaves schema sensitivity out of `sensitive_values`, so the schema and the
/// "Output refers to sensitive values" error are what prove it.
pub fn is_sensitive(env: &Env, type_name: &str, attribute: &str) -> bool {
    let out = env.h.run(&["providers", "schema", "-json"]);
    assert_eq!(out.code, 0, "providers schema failed:\n{}", out.combined());
    let doc: Value = serde_json::from_str(&out.stdout).expect("schema JSON");
    let providers = doc["provider_schemas"]
        .as_object()
        .expect("provider_schemas");
    let (_, p) = providers.iter().next().expect("one provider");
    let a = &p["data_source_schemas"][type_name]["block"]["attributes"][attribute];
    assert!(a.is_object(), "{type_name}.{attribute} not in the schema");
    a["sensitive"] == true
}

pub fn sorted(mut v: Vec<String>) -> Vec<String> {
    v.sort();
    v
}

/// GET list requests of `path_suffix` in the journal, as their query strings.
pub fn list_queries(env: &Env, path_suffix: &str) -> Vec<String> {
    env.emu
        .journal()
        .into_iter()
        .filter(|e| e.method == "GET" && e.path.ends_with(path_suffix))
        .map(|e| e.query)
        .collect()
}
