//! TEMPORARY minimal provider (replaced by the real one from the `tf` layer): an empty provider schema, no
//! resources or data sources, every call succeeds without diagnostics.

use std::sync::Arc;

use crate::tf::protocol::*;

pub fn service() -> Arc<dyn ProviderService> {
    Arc::new(EmptyProvider)
}

struct EmptyProvider;

fn empty_block() -> SchemaBlock {
    SchemaBlock {
        version: 0,
        attributes: vec![],
        block_types: vec![],
        description: String::new(),
        description_kind: StringKind::Plain,
        deprecated: false,
    }
}

#[async_trait::async_trait]
impl ProviderService for EmptyProvider {
    async fn get_schema(&self) -> GetSchemaResponse {
        GetSchemaResponse {
            provider: Some(Schema {
                version: 0,
                block: empty_block(),
            }),
            ..Default::default()
        }
    }
    async fn prepare_provider_config(
        &self,
        config: Option<DynamicValue>,
    ) -> PrepareProviderConfigResponse {
        PrepareProviderConfigResponse {
            prepared_config: config,
            diagnostics: vec![],
        }
    }
    async fn validate_resource_type_config(
        &self,
        _type_name: &str,
        _config: Option<DynamicValue>,
    ) -> Vec<Diagnostic> {
        vec![]
    }
    async fn validate_data_source_config(
        &self,
        _type_name: &str,
        _config: Option<DynamicValue>,
    ) -> Vec<Diagnostic> {
        vec![]
    }
    async fn upgrade_resource_state(
        &self,
        _type_name: &str,
        _version: i64,
        _raw: RawState,
    ) -> UpgradeResourceStateResponse {
        UpgradeResourceStateResponse::default()
    }
    async fn configure(
        &self,
        _terraform_version: &str,
        _config: Option<DynamicValue>,
    ) -> Vec<Diagnostic> {
        vec![]
    }
    async fn read_resource(&self, req: ReadResourceRequest) -> ReadResourceResponse {
        ReadResourceResponse {
            new_state: req.current_state,
            diagnostics: vec![],
            private: req.private,
        }
    }
    async fn plan_resource_change(
        &self,
        req: PlanResourceChangeRequest,
    ) -> PlanResourceChangeResponse {
        PlanResourceChangeResponse {
            planned_state: req.proposed_new_state,
            ..Default::default()
        }
    }
    async fn apply_resource_change(
        &self,
        req: ApplyResourceChangeRequest,
    ) -> ApplyResourceChangeResponse {
        ApplyResourceChangeResponse {
            new_state: req.planned_state,
            private: req.planned_private,
            diagnostics: vec![],
        }
    }
    async fn import_resource_state(
        &self,
        _type_name: &str,
        _id: &str,
    ) -> ImportResourceStateResponse {
        ImportResourceStateResponse::default()
    }
    async fn read_data_source(
        &self,
        _type_name: &str,
        config: Option<DynamicValue>,
        _provider_meta: Option<DynamicValue>,
    ) -> ReadDataSourceResponse {
        ReadDataSourceResponse {
            state: config,
            diagnostics: vec![],
        }
    }
    async fn stop(&self) -> String {
        String::new()
    }
}
