//! Image: the NotebookResp `image`, List images items and the Show image body (notebook-api.md §3.4.12).

use serde::{Deserialize, Serialize};

use super::models::TmsTag;

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Image {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub id: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    /// `X86_64` or `AARCH64`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub arch: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub create_at: Option<i64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub update_at: Option<i64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub dev_services: Option<Vec<String>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub namespace: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub swr_path: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub tag: Option<String>,
    /// `CUSTOMIZE` or `IMAGE_SAVE`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub origin: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub resource_categories: Option<Vec<String>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub support_res_categories: Option<Vec<String>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub service_type: Option<String>,
    /// KB.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub size: Option<i64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub status: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub status_message: Option<String>,
    /// `BUILD_IN` or `DEDICATED`.
    #[serde(rename = "type")]
    #[serde(skip_serializing_if = "Option::is_none")]
    pub r#type: Option<String>,
    /// `PRIVATE` or `PUBLIC`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub visibility: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub workspace_id: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub flavor_type: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub swr_instance_id: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub show_name: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub show_tag: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub tags: Option<Vec<TmsTag>>,
}
