//! The trait a data source implements.

use async_trait::async_trait;

use super::diag::Diagnostics;
use super::resource::{Ctx, ReadResult};
use super::schema::Schema;
use super::value::Value;

#[async_trait]
pub trait DataSource<D: Send + Sync + 'static>: Send + Sync + 'static {
    /// E.g. `modelarts_notebook_flavors`.
    fn type_name(&self) -> &str;

    fn schema(&self) -> Schema;

    /// Beyond the declared validators; `config` may hold unknowns.
    async fn validate(&self, _config: &Value, _diags: &mut Diagnostics) {}

    /// Returns the config with the computed attributes filled in: non-null, wholly known, and equal to
    /// the config in every configured value (the server checks this).
    async fn read(&self, ctx: &Ctx<D>, config: &Value) -> ReadResult;
}
