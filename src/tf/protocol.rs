//! Protocol-5 messages as plain Rust types, independent of the generated gRPC code.
//!
//! `server` converts between these and the prost types; everything below `server` speaks only these.
//! Values stay encoded (`DynamicValue`) here: decoding needs the schema, which the `tf` layer owns.

use std::collections::BTreeMap;

/// An encoded value as Terraform sends it. Terraform always sends msgpack, except `RawState.json`.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct DynamicValue {
    pub msgpack: Vec<u8>,
    pub json: Vec<u8>,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Severity {
    Error,
    Warning,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub enum PathStep {
    Attribute(String),
    ElementKeyString(String),
    ElementKeyInt(i64),
}

#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct AttributePath {
    pub steps: Vec<PathStep>,
}

#[derive(Clone, Debug, PartialEq)]
pub struct Diagnostic {
    pub severity: Severity,
    pub summary: String,
    pub detail: String,
    pub attribute: Option<AttributePath>,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum StringKind {
    Plain,
    Markdown,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum NestingMode {
    Single,
    List,
    Set,
    Map,
    Group,
}

#[derive(Clone, Debug, PartialEq)]
pub struct SchemaAttribute {
    pub name: String,
    /// cty type JSON, e.g. `"string"` or `["list","string"]`.
    pub type_json: Vec<u8>,
    pub description: String,
    pub required: bool,
    pub optional: bool,
    pub computed: bool,
    pub sensitive: bool,
    pub description_kind: StringKind,
    pub deprecated: bool,
}

#[derive(Clone, Debug, PartialEq)]
pub struct SchemaNestedBlock {
    pub type_name: String,
    pub block: SchemaBlock,
    pub nesting: NestingMode,
    pub min_items: i64,
    pub max_items: i64,
}

#[derive(Clone, Debug, PartialEq)]
pub struct SchemaBlock {
    pub version: i64,
    pub attributes: Vec<SchemaAttribute>,
    pub block_types: Vec<SchemaNestedBlock>,
    pub description: String,
    pub description_kind: StringKind,
    pub deprecated: bool,
}

#[derive(Clone, Debug, PartialEq)]
pub struct Schema {
    pub version: i64,
    pub block: SchemaBlock,
}

#[derive(Clone, Debug, Default)]
pub struct GetSchemaResponse {
    pub provider: Option<Schema>,
    pub resource_schemas: BTreeMap<String, Schema>,
    pub data_source_schemas: BTreeMap<String, Schema>,
    pub provider_meta: Option<Schema>,
    pub diagnostics: Vec<Diagnostic>,
}

#[derive(Clone, Debug, Default)]
pub struct PrepareProviderConfigResponse {
    pub prepared_config: Option<DynamicValue>,
    pub diagnostics: Vec<Diagnostic>,
}

#[derive(Clone, Debug, Default)]
pub struct RawState {
    pub json: Vec<u8>,
    pub flatmap: BTreeMap<String, String>,
}

#[derive(Clone, Debug, Default)]
pub struct UpgradeResourceStateResponse {
    pub upgraded_state: Option<DynamicValue>,
    pub diagnostics: Vec<Diagnostic>,
}

#[derive(Clone, Debug, Default)]
pub struct ReadResourceRequest {
    pub type_name: String,
    pub current_state: Option<DynamicValue>,
    pub private: Vec<u8>,
    pub provider_meta: Option<DynamicValue>,
}

#[derive(Clone, Debug, Default)]
pub struct ReadResourceResponse {
    pub new_state: Option<DynamicValue>,
    pub diagnostics: Vec<Diagnostic>,
    pub private: Vec<u8>,
}

#[derive(Clone, Debug, Default)]
pub struct PlanResourceChangeRequest {
    pub type_name: String,
    pub prior_state: Option<DynamicValue>,
    pub proposed_new_state: Option<DynamicValue>,
    pub config: Option<DynamicValue>,
    pub prior_private: Vec<u8>,
    pub provider_meta: Option<DynamicValue>,
}

#[derive(Clone, Debug, Default)]
pub struct PlanResourceChangeResponse {
    pub planned_state: Option<DynamicValue>,
    pub requires_replace: Vec<AttributePath>,
    pub planned_private: Vec<u8>,
    pub diagnostics: Vec<Diagnostic>,
}

#[derive(Clone, Debug, Default)]
pub struct ApplyResourceChangeRequest {
    pub type_name: String,
    pub prior_state: Option<DynamicValue>,
    pub planned_state: Option<DynamicValue>,
    pub config: Option<DynamicValue>,
    pub planned_private: Vec<u8>,
    pub provider_meta: Option<DynamicValue>,
}

#[derive(Clone, Debug, Default)]
pub struct ApplyResourceChangeResponse {
    pub new_state: Option<DynamicValue>,
    pub private: Vec<u8>,
    pub diagnostics: Vec<Diagnostic>,
}

#[derive(Clone, Debug, Default)]
pub struct ImportedResource {
    pub type_name: String,
    pub state: Option<DynamicValue>,
    pub private: Vec<u8>,
}

#[derive(Clone, Debug, Default)]
pub struct ImportResourceStateResponse {
    pub imported_resources: Vec<ImportedResource>,
    pub diagnostics: Vec<Diagnostic>,
}

#[derive(Clone, Debug, Default)]
pub struct ReadDataSourceResponse {
    pub state: Option<DynamicValue>,
    pub diagnostics: Vec<Diagnostic>,
}

/// What the gRPC layer calls, one method per protocol-5.2 RPC. Implemented by `tf::ProviderServer`.
/// Implementations never panic outward: the server additionally catches panics and turns them into diagnostics.
#[async_trait::async_trait]
pub trait ProviderService: Send + Sync + 'static {
    async fn get_schema(&self) -> GetSchemaResponse;
    async fn prepare_provider_config(
        &self,
        config: Option<DynamicValue>,
    ) -> PrepareProviderConfigResponse;
    async fn validate_resource_type_config(
        &self,
        type_name: &str,
        config: Option<DynamicValue>,
    ) -> Vec<Diagnostic>;
    async fn validate_data_source_config(
        &self,
        type_name: &str,
        config: Option<DynamicValue>,
    ) -> Vec<Diagnostic>;
    async fn upgrade_resource_state(
        &self,
        type_name: &str,
        version: i64,
        raw_state: RawState,
    ) -> UpgradeResourceStateResponse;
    async fn configure(
        &self,
        terraform_version: &str,
        config: Option<DynamicValue>,
    ) -> Vec<Diagnostic>;
    async fn read_resource(&self, req: ReadResourceRequest) -> ReadResourceResponse;
    async fn plan_resource_change(
        &self,
        req: PlanResourceChangeRequest,
    ) -> PlanResourceChangeResponse;
    async fn apply_resource_change(
        &self,
        req: ApplyResourceChangeRequest,
    ) -> ApplyResourceChangeResponse;
    async fn import_resource_state(&self, type_name: &str, id: &str)
        -> ImportResourceStateResponse;
    async fn read_data_source(
        &self,
        type_name: &str,
        config: Option<DynamicValue>,
        provider_meta: Option<DynamicValue>,
    ) -> ReadDataSourceResponse;
    /// Cancels in-flight work (waits, retries); the server keeps serving. Returns an error text or "".
    async fn stop(&self) -> String;
}
