//! Notebook instance bodies: the create and update requests and the NotebookResp every instance operation
//! returns (notebook-api.md §3.1–3.3).

use serde::{Deserialize, Serialize};

use super::image::Image;
use super::models::*;
use super::redact::Sensitive;
use super::status::NotebookStatus;

/// `POST /notebooks` body (§3.2). `name`, `image_id` and `volume` are required.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct NotebookCreateRequest {
    #[serde(default, deserialize_with = "null_default")]
    pub name: String,
    #[serde(default, deserialize_with = "null_default")]
    pub image_id: String,
    #[serde(default, deserialize_with = "null_default")]
    pub volume: VolumeMountRequest,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub flavor: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub custom_spec: Option<NotebookCustomSpec>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub endpoints: Option<Vec<EndpointsReq>>,
    /// `DEFAULT` (free CodeLab) or `NOTEBOOK` (default).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub feature: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub pool_id: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub workspace_id: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub hooks: Option<CustomHooks>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub affinity: Option<AffinityType>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub lease: Option<LeaseReq>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub run_user: Option<RunUserRequest>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub data_volumes: Option<Vec<VolumeMountRequest>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub user_vpc: Option<UserVpcRequest>,
    /// Auto-stop delay in ms; `-1` is what the official provider sends.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub duration: Option<i64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub public_network_config: Option<PublicNetworkConfig>,
}

/// `PUT /notebooks/{id}` body (§3.1, the seed page). Tri-state per field: `None` is absent (no change), an
/// explicit empty value (`Some(String::new())`, `Some(vec![])`) clears, any other value replaces. `None` is
/// never serialised, so no `null` reaches the wire. `affinity` carries the same tri-state per inner list.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct NotebookUpdateRequest {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub endpoints: Option<Vec<EndpointsReq>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub flavor: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub custom_spec: Option<NotebookCustomSpec>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub image_id: Option<String>,
    /// GB; grow only, ≤ 4096.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub storage_new_size: Option<i64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub hooks: Option<CustomHooks>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub affinity: Option<AffinityType>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub dew_secret_name: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub data_volumes: Option<Vec<VolumeMountRequest>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub public_network_config: Option<PublicNetworkConfig>,
}

impl NotebookUpdateRequest {
    /// True when no field is set: such a PUT would change nothing and is never sent by the provider.
    pub fn is_empty(&self) -> bool {
        self == &NotebookUpdateRequest::default()
    }

    /// True when the only field set is `affinity` (allowed in START_FAILED too).
    pub fn is_affinity_only(&self) -> bool {
        self.affinity.is_some()
            && NotebookUpdateRequest {
                affinity: None,
                ..self.clone()
            }
            .is_empty()
    }
}

/// A notebook instance as returned by create, show, list, update, delete, start and stop (§3.3). The `token`
/// is [`Sensitive`], so Debug output never shows it.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct NotebookResp {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub id: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub status: Option<NotebookStatus>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub fail_reason: Option<String>,
    /// With a custom spec: `custom.flavor.spec.code`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub flavor: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub custom_spec: Option<NotebookCustomSpecRep>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub image: Option<Image>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub lease: Option<Lease>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub pool: Option<Pool>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub token: Option<Sensitive>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub url: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub volume: Option<VolumeRes>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub workspace_id: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub feature: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub billing_items: Option<Vec<String>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub user: Option<User>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub affinity: Option<AffinityType>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub run_user: Option<RunUserInfo>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub action_progress: Option<Vec<JobProgress>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub endpoints: Option<Vec<EndpointsRes>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub data_volumes: Option<Vec<VolumeResponse>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub ip: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub user_id: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub user_vpc: Option<UserVpcResponse>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub is_need_credentials: Option<bool>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub jupyter_version: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub tags: Option<Vec<TmsTag>>,
    /// Milliseconds since the epoch; read by the official provider, in neither published source.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub create_at: Option<i64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub update_at: Option<i64>,
}

impl NotebookResp {
    pub fn status_str(&self) -> &str {
        self.status
            .as_ref()
            .map(NotebookStatus::as_str)
            .unwrap_or("")
    }
}
