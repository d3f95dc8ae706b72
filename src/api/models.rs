//! Nested models of notebook-api.md §3.4, used inside notebook requests and responses.

use serde::{Deserialize, Deserializer, Serialize};

/// Deserialises `null` (and, with `#[serde(default)]`, a missing field) as the type's default.
pub(crate) fn null_default<'de, D, T>(d: D) -> Result<T, D::Error>
where
    D: Deserializer<'de>,
    T: Deserialize<'de> + Default,
{
    Ok(Option::<T>::deserialize(d)?.unwrap_or_default())
}

/// Remote access requested for a local IDE or an SSH client (§3.4.1).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct EndpointsReq {
    /// `NOTEBOOK` or `SSH`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub service: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub key_pair_names: Option<Vec<String>>,
    /// At most 5 public IPs allowed over SSH (seed page only).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub allowed_access_ips: Option<Vec<String>>,
}

/// Remote access as reported (§3.4.2).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct EndpointsRes {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub service: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub dev_service: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub uri: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub allowed_access_ips: Option<Vec<String>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub ssh_keys: Option<Vec<String>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub key_pair_names: Option<Vec<String>>,
}

/// Requested custom resource spec in a dedicated pool (§3.4.3).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct NotebookCustomSpec {
    /// Cores; > 0.3.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub cpu: Option<f64>,
    /// MiB; integer > 512.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub memory: Option<i64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub gpu: Option<i64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub gpu_type: Option<String>,
    /// `X86_64` or `AARCH64`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub arch: Option<String>,
    /// `CPU` or `GPU`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub category: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub resource_flavor: Option<String>,
}

/// Custom resource spec as reported (§3.4.4). Numbers are read as `f64` so that `1024` and `1024.0` both parse.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct NotebookCustomSpecRep {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub gpu: Option<f64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub gpu_type: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub cpu: Option<f64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub memory: Option<f64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub arch: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub category: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub resource_flavor: Option<String>,
}

/// Startup scripts (§3.4.5).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct CustomHooks {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub container_hooks: Option<ContainerHooks>,
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ContainerHooks {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub pre_start: Option<HookConfig>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub post_start: Option<HookConfig>,
}

/// One hook script (the API's `Config`).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct HookConfig {
    /// Base64 content (`type: COMMAND`) or an absolute path (`type: SCRIPT`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub script: Option<String>,
    /// `COMMAND` or `SCRIPT` (default).
    #[serde(rename = "type")]
    #[serde(skip_serializing_if = "Option::is_none")]
    pub r#type: Option<String>,
    /// `BLOCK` or `ASYNC` (default); SDK only.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub mode: Option<String>,
}

/// Auto-stop countdown (§3.4.6); also the whole body of Show lease and Renew lease.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Lease {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub create_at: Option<i64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub duration: Option<i64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub enable: Option<bool>,
    /// `TIMING` or `IDLE`.
    #[serde(rename = "type")]
    #[serde(skip_serializing_if = "Option::is_none")]
    pub r#type: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub update_at: Option<i64>,
}

/// Auto-stop setting in create and Renew lease (§3.4.7).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct LeaseReq {
    /// Milliseconds from now: 3 600 000–259 200 000.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub duration: Option<i64>,
    #[serde(rename = "type")]
    #[serde(skip_serializing_if = "Option::is_none")]
    pub r#type: Option<String>,
}

/// Dedicated pool (§3.4.8).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Pool {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub id: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
}

/// Storage to mount: the create `volume` and `data_volumes` items (§3.4.9).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct VolumeMountRequest {
    /// `EVS`, `OBS`, `OBSFS` or `EFS`. Required.
    #[serde(default, deserialize_with = "null_default")]
    pub category: String,
    /// `MANAGED` or `DEDICATED`. Required.
    #[serde(default, deserialize_with = "null_default")]
    pub ownership: String,
    /// GB (EVS).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub capacity: Option<i64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub uri: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub id: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub mount_path: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub read_only: Option<bool>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub dew_secret_name: Option<String>,
}

/// Root storage as reported (§3.4.10).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct VolumeRes {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub capacity: Option<i64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub category: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub mount_path: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub ownership: Option<String>,
    /// `RESIZING` while the EVS disk grows.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub status: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub id: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub uri: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub read_only: Option<bool>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub dew_secret_name: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub evs_sku_code: Option<String>,
    /// `STATIC` or `DYNAMIC`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub mount_type: Option<String>,
}

/// Extended storage as reported (§3.4.11).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct VolumeResponse {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub category: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub mount_path: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub url: Option<String>,
    /// `MOUNTING`, `MOUNTED`, `UNMOUNTING`, `UNMOUNTED`, `MOUNT_FAILED`, `UNMOUNT_FAILED`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub status: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub mount_type: Option<String>,
}

/// Owning user (§3.4.13).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct User {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub id: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub domain: Option<Domain>,
}

/// Owning account.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Domain {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub id: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
}

/// Container user as reported (§3.4.14).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct RunUserInfo {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub uid: Option<i64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub gid: Option<i64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub user_name: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub group_name: Option<String>,
}

/// Container user requested at create.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct RunUserRequest {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub uid: Option<i64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub gid: Option<i64>,
}

/// One initialisation step (§3.4.15).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct JobProgress {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub notebook_id: Option<String>,
    /// `WAITING`, `PROCESSING`, `FAILED` or `COMPLETED`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub status: Option<String>,
    /// 1 storage, 2 compute, 3 network, 4 instance.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub step: Option<i64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub step_description: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
}

/// Node affinity (§3.4.16, §4.3), in requests and responses. Each list is independent: `None` = absent (no
/// change in an update), `Some(vec![])` = `[]` (clear), `Some(rules)` = replace.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct AffinityType {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub required_during_scheduling_ignored_during_execution: Option<Vec<AffinityRule>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub preferred_during_scheduling_ignored_during_execution: Option<Vec<AffinityRule>>,
}

/// One affinity rule: `{key, operator, values, weight}`.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct AffinityRule {
    #[serde(default, deserialize_with = "null_default")]
    pub key: String,
    /// `In`, `NotIn`, `Exists`, `DoesNotExist`, `Gt` or `Lt`.
    #[serde(default, deserialize_with = "null_default")]
    pub operator: String,
    /// Always sent, `[]` included (the seed page makes it mandatory).
    #[serde(default, deserialize_with = "null_default")]
    pub values: Vec<String>,
    /// 0–100, preferred rules only.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub weight: Option<i64>,
}

/// VPC attachment requested at create (§3.4.17).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct UserVpcRequest {
    #[serde(default, deserialize_with = "null_default")]
    pub vpc_id: String,
    #[serde(default, deserialize_with = "null_default")]
    pub subnet_id: String,
    #[serde(default, deserialize_with = "null_default")]
    pub security_group_ids: Vec<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub connect_cidrs: Option<Vec<String>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub nat_id: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub eip_id: Option<String>,
}

/// VPC attachment as reported; here `connect_cidrs` is a string.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct UserVpcResponse {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub vpc_id: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub subnet_id: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub security_group_ids: Option<Vec<String>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub connect_cidrs: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub nat_id: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub eip_id: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub port_id: Option<Vec<String>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub port_ip: Option<String>,
}

/// Network type: `SHARED`, `EXCLUSIVE` or `FORBIDDEN`.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct PublicNetworkConfig {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub public_network_type: Option<String>,
}

/// A resource tag (the SDK's `TmsTagResponse`).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct TmsTag {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub key: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub value: Option<String>,
}

pub type TmsTagResponse = TmsTag;
