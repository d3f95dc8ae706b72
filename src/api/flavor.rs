//! NotebookFlavor: items of List flavors and Switchable flavors (notebook-api.md §3.4.18).

use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct NotebookFlavor {
    /// Flavor code, e.g. `modelarts.vm.cpu.2u`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub id: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    /// `x86_64` or `aarch64` (lower case, unlike images).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub arch: Option<String>,
    /// `CPU`, `GPU` or `ASCEND`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub category: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub feature: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub free: Option<bool>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub sold_out: Option<bool>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub storages: Option<Vec<String>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub vcpus: Option<i64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub memory: Option<i64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub gpu: Option<GpuInfo>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub ascend: Option<AscendInfo>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub billing: Option<BillingInfo>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub evs_max_size: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub evs_sku_code: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub grow_support_type: Option<String>,
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct GpuInfo {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub gpu: Option<i64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub gpu_memory: Option<String>,
    #[serde(rename = "type")]
    #[serde(skip_serializing_if = "Option::is_none")]
    pub r#type: Option<String>,
}

pub type GPUInfo = GpuInfo;

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct AscendInfo {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub npu: Option<i64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub npu_memory: Option<String>,
    #[serde(rename = "type")]
    #[serde(skip_serializing_if = "Option::is_none")]
    pub r#type: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub chip: Option<i64>,
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct BillingInfo {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub code: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub unit_num: Option<i64>,
}
