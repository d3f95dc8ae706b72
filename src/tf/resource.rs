//! The trait a managed resource implements, and the request/result types of its operations.
//!
//! `D` is the provider's configured data (e.g. the API client), handed to every operation through
//! [`Ctx`]. Resources stay declarative: validation, planning and consistency checks come from the
//! schema and the shared engine; the trait methods hold only API calls and resource-specific rules.

use std::sync::Arc;

use async_trait::async_trait;
use tokio_util::sync::CancellationToken;

use super::diag::{Diagnostic, Diagnostics};
use super::plan::PlanResult;
use super::schema::Schema;
use super::value::Value;

/// Context of an operation that talks to the API.
pub struct Ctx<D> {
    provider: Arc<D>,
    cancel: CancellationToken,
    terraform_version: Arc<str>,
}

impl<D> Clone for Ctx<D> {
    fn clone(&self) -> Self {
        Ctx {
            provider: self.provider.clone(),
            cancel: self.cancel.clone(),
            terraform_version: self.terraform_version.clone(),
        }
    }
}

impl<D> Ctx<D> {
    pub fn new(
        provider: Arc<D>,
        cancel: CancellationToken,
        terraform_version: impl Into<Arc<str>>,
    ) -> Ctx<D> {
        Ctx {
            provider,
            cancel,
            terraform_version: terraform_version.into(),
        }
    }

    /// The data returned by `Provider::configure`.
    pub fn provider(&self) -> &D {
        &self.provider
    }

    pub fn provider_arc(&self) -> Arc<D> {
        self.provider.clone()
    }

    /// Cancelled when Terraform calls Stop (Ctrl-C): long waits must end promptly with an error.
    pub fn cancel_token(&self) -> &CancellationToken {
        &self.cancel
    }

    pub fn is_cancelled(&self) -> bool {
        self.cancel.is_cancelled()
    }

    /// Resolves when Stop arrives; use in `tokio::select!` around waits.
    pub async fn cancelled(&self) {
        self.cancel.cancelled().await
    }

    pub fn terraform_version(&self) -> &str {
        &self.terraform_version
    }
}

/// Context of the `modify_plan` hook. Plans may run before the provider is configured (or with a
/// configuration that is unknown until apply), so the provider data is optional.
pub struct PlanCtx<'a, D> {
    pub provider: Option<&'a D>,
    /// Null when creating.
    pub prior: &'a Value,
    pub config: &'a Value,
    pub proposed: &'a Value,
    pub prior_private: &'a [u8],
}

impl<D> PlanCtx<'_, D> {
    pub fn is_create(&self) -> bool {
        self.prior.is_null()
    }
}

pub struct ReadRequest {
    pub state: Value,
    pub private: Vec<u8>,
}

pub struct ReadResult {
    /// Null: the object is gone (Terraform drops it from state and plans a create).
    pub state: Value,
    /// `None` keeps the stored private data.
    pub private: Option<Vec<u8>>,
    pub diagnostics: Diagnostics,
}

impl ReadResult {
    pub fn ok(state: Value) -> ReadResult {
        ReadResult {
            state,
            private: None,
            diagnostics: Diagnostics::new(),
        }
    }

    /// The object no longer exists.
    pub fn gone() -> ReadResult {
        ReadResult::ok(Value::Null)
    }

    /// Reading failed; the stored state is kept.
    pub fn failed(diags: impl Into<Diagnostics>) -> ReadResult {
        ReadResult {
            state: Value::Null,
            private: None,
            diagnostics: diags.into(),
        }
    }

    pub fn with_diagnostics(mut self, diags: Diagnostics) -> ReadResult {
        self.diagnostics.extend(diags);
        self
    }
}

pub struct CreateRequest {
    pub config: Value,
    pub planned: Value,
    pub planned_private: Vec<u8>,
}

pub struct UpdateRequest {
    pub prior: Value,
    pub planned: Value,
    pub config: Value,
    pub planned_private: Vec<u8>,
}

pub struct DeleteRequest {
    pub prior: Value,
}

/// Result of create and update. On success `state` must be wholly known and keep every value the plan
/// knew. On failure return the best partial state (e.g. the planned values plus the id once the object
/// exists) together with the error, so Terraform tracks what was created.
pub struct ApplyResult {
    pub state: Value,
    /// `None` keeps the planned private data.
    pub private: Option<Vec<u8>>,
    pub diagnostics: Diagnostics,
}

impl ApplyResult {
    pub fn ok(state: Value) -> ApplyResult {
        ApplyResult {
            state,
            private: None,
            diagnostics: Diagnostics::new(),
        }
    }

    /// A (partial) state that must be saved, plus the error that stopped the operation.
    pub fn partial(state: Value, diags: impl Into<Diagnostics>) -> ApplyResult {
        ApplyResult {
            state,
            private: None,
            diagnostics: diags.into(),
        }
    }

    /// Nothing changed remotely: create saves nothing, update keeps the prior state.
    pub fn failed(diags: impl Into<Diagnostics>) -> ApplyResult {
        ApplyResult::partial(Value::Null, diags)
    }

    pub fn with_private(mut self, private: Vec<u8>) -> ApplyResult {
        self.private = Some(private);
        self
    }

    pub fn with_diagnostics(mut self, diags: Diagnostics) -> ApplyResult {
        self.diagnostics.extend(diags);
        self
    }
}

pub struct ImportResult {
    /// At least the attributes `read` needs (typically the id); Terraform calls `read` next.
    pub state: Value,
    pub diagnostics: Diagnostics,
}

impl ImportResult {
    pub fn ok(state: Value) -> ImportResult {
        ImportResult {
            state,
            diagnostics: Diagnostics::new(),
        }
    }

    pub fn failed(diags: impl Into<Diagnostics>) -> ImportResult {
        ImportResult {
            state: Value::Null,
            diagnostics: diags.into(),
        }
    }
}

#[async_trait]
pub trait Resource<D: Send + Sync + 'static>: Send + Sync + 'static {
    /// E.g. `modelarts_notebook`.
    fn type_name(&self) -> &str;

    /// Called once when the server starts; the result is cached.
    fn schema(&self) -> Schema;

    /// Resource-specific validation beyond the declared validators. `config` may hold unknowns.
    async fn validate(&self, _config: &Value, _diags: &mut Diagnostics) {}

    /// Whether immutable attribute changes may replace the resource in this plan (instead of an error).
    fn replacement_allowed(&self, _provider: Option<&D>) -> bool {
        false
    }

    /// Adjusts the engine's plan: mark values unknown, add diagnostics or `requires_replace` paths.
    async fn modify_plan(&self, _ctx: &PlanCtx<'_, D>, _plan: &mut PlanResult) {}

    async fn create(&self, ctx: &Ctx<D>, req: CreateRequest) -> ApplyResult;

    async fn read(&self, ctx: &Ctx<D>, req: ReadRequest) -> ReadResult;

    async fn update(&self, ctx: &Ctx<D>, req: UpdateRequest) -> ApplyResult;

    /// Errors keep the resource in state; success removes it.
    async fn delete(&self, ctx: &Ctx<D>, req: DeleteRequest) -> Diagnostics;

    async fn import(&self, _ctx: &Ctx<D>, _id: &str) -> ImportResult {
        ImportResult::failed(Diagnostic::error(
            "Import not supported",
            format!(
                "The resource type {} does not support `terraform import`.",
                self.type_name()
            ),
        ))
    }

    /// Rewrites stored state JSON from `from_version` (older than the schema version) to the current
    /// version. Attributes the current schema no longer has are dropped afterwards automatically.
    fn upgrade_state(
        &self,
        from_version: i64,
        _state: serde_json::Value,
    ) -> Result<serde_json::Value, Diagnostics> {
        Err(Diagnostic::error(
            "Unsupported state version",
            format!(
                "The stored state of this {} has version {from_version}, which this provider cannot upgrade.",
                self.type_name()
            ),
        )
        .into())
    }
}
