//! The trait a provider implements: its configuration schema, Configure, and what it serves.

use std::sync::Arc;

use async_trait::async_trait;

use super::data_source::DataSource;
use super::diag::Diagnostics;
use super::resource::Resource;
use super::schema::Schema;
use super::value::Value;

#[async_trait]
pub trait Provider: Send + Sync + 'static {
    /// What `configure` produces and every resource operation receives.
    type Data: Send + Sync + 'static;

    fn schema(&self) -> Schema;

    /// Beyond the declared validators (PrepareProviderConfig); `config` may hold unknowns.
    async fn validate_config(&self, _config: &Value, _diags: &mut Diagnostics) {}

    /// Resolves a wholly known configuration. `None` must come with an error diagnostic; warnings
    /// may accompany success.
    async fn configure(
        &self,
        config: &Value,
        terraform_version: &str,
        diags: &mut Diagnostics,
    ) -> Option<Self::Data>;

    fn resources(&self) -> Vec<Arc<dyn Resource<Self::Data>>>;

    fn data_sources(&self) -> Vec<Arc<dyn DataSource<Self::Data>>>;

    /// Appended to immutability errors of attributes without a hint of their own, e.g. how to opt into
    /// replacement.
    fn immutable_hint(&self) -> Option<String> {
        None
    }
}
