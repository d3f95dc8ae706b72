//! `ProviderServer`: implements `protocol::ProviderService` for any [`Provider`], doing the protocol
//! chores once for every resource: decoding and encoding against the schema, validation, the plan
//! engine, result normalisation and consistency checks, configuration state and cancellation.

use std::collections::BTreeMap;
use std::sync::{Arc, Mutex, RwLock};

use async_trait::async_trait;
use tokio_util::sync::CancellationToken;

use super::codec::{decode_dynamic, encode_dynamic};
use super::conform::{check_applied, check_planned, normalize_owned};
use super::data_source::DataSource;
use super::diag::{Diagnostic, Diagnostics};
use super::path::AttributePath;
use super::plan::{plan, PlanInput};
use super::protocol::{self, DynamicValue, ProviderService};
use super::provider_trait::Provider;
use super::resource::{
    CreateRequest, Ctx, DeleteRequest, PlanCtx, ReadRequest, Resource, UpdateRequest,
};
use super::schema::Schema;
use super::types::Type;
use super::validate::validate_block;
use super::value::Value;

struct Entry<T: ?Sized> {
    imp: Arc<T>,
    schema: Schema,
    ty: Type,
}

enum ConfigState<D> {
    NotConfigured,
    /// Configure saw values unknown until apply.
    Deferred,
    Configured(Arc<D>),
}

pub struct ProviderServer<P: Provider> {
    provider: P,
    provider_schema: Schema,
    provider_type: Type,
    resources: BTreeMap<String, Entry<dyn Resource<P::Data>>>,
    data_sources: BTreeMap<String, Entry<dyn DataSource<P::Data>>>,
    schema_response: protocol::GetSchemaResponse,
    schema_diags: Diagnostics,
    immutable_hint: Option<String>,
    state: RwLock<ConfigState<P::Data>>,
    terraform_version: Mutex<Arc<str>>,
    cancel: Mutex<CancellationToken>,
}

fn valid_type_name(name: &str) -> bool {
    !name.is_empty()
        && name
            .bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'_')
}

fn decode_error(what: &str, e: impl std::fmt::Display) -> Diagnostic {
    Diagnostic::error(
        format!("Invalid {what}"),
        format!("Could not decode the {what}: {e}."),
    )
}

fn encode_error(what: &str, e: impl std::fmt::Display) -> Diagnostic {
    Diagnostic::error(
        format!("Invalid {what}"),
        format!(
            "Could not encode the {what}: {e}. This is a bug in the provider, please report it."
        ),
    )
}

fn unknown_type(kind: &str, name: &str) -> Diagnostic {
    Diagnostic::error(
        format!("Unknown {kind} type"),
        format!("This provider has no {kind} type `{name}`."),
    )
}

/// Encodes a value for Terraform. The encoder rejects exactly what the type check rejects, so the
/// check (a second walk) runs only to word the error the way it always has.
fn encode_checked(v: &Value, ty: &Type) -> Result<DynamicValue, String> {
    encode_dynamic(v, ty).map_err(|err| match v.check_type(ty) {
        Err((p, msg)) => format!("{p}: {msg}"),
        Ok(()) => err.to_string(),
    })
}

/// Both values are present with the same non-empty msgpack encoding (so they decode alike).
fn same_encoding(a: Option<&DynamicValue>, b: Option<&DynamicValue>) -> bool {
    match (a, b) {
        (Some(a), Some(b)) => !a.msgpack.is_empty() && a.msgpack == b.msgpack,
        _ => false,
    }
}

fn lock<T>(m: &Mutex<T>) -> std::sync::MutexGuard<'_, T> {
    m.lock().unwrap_or_else(|e| e.into_inner())
}

impl<P: Provider> ProviderServer<P> {
    /// Builds the server and checks every schema once; schema problems surface as GetSchema errors.
    pub fn new(provider: P) -> ProviderServer<P> {
        let provider_schema = provider.schema();
        let mut schema_diags = provider_schema.block.check(&AttributePath::empty());
        let mut resources = BTreeMap::new();
        for imp in provider.resources() {
            let schema = imp.schema();
            let name = imp.type_name().to_string();
            schema_diags.extend(schema.block.check(&AttributePath::empty()));
            if !valid_type_name(&name) || resources.contains_key(&name) {
                schema_diags.error(
                    "Invalid provider schema",
                    format!("Resource type name `{name}` is invalid or duplicated."),
                );
            }
            let ty = schema.value_type();
            resources.insert(name, Entry { imp, schema, ty });
        }
        let mut data_sources = BTreeMap::new();
        for imp in provider.data_sources() {
            let schema = imp.schema();
            let name = imp.type_name().to_string();
            schema_diags.extend(schema.block.check(&AttributePath::empty()));
            if !valid_type_name(&name) || data_sources.contains_key(&name) {
                schema_diags.error(
                    "Invalid provider schema",
                    format!("Data source type name `{name}` is invalid or duplicated."),
                );
            }
            let ty = schema.value_type();
            data_sources.insert(name, Entry { imp, schema, ty });
        }
        let schema_response = protocol::GetSchemaResponse {
            provider: Some(provider_schema.to_protocol()),
            resource_schemas: resources
                .iter()
                .map(|(k, e)| (k.clone(), e.schema.to_protocol()))
                .collect(),
            data_source_schemas: data_sources
                .iter()
                .map(|(k, e)| (k.clone(), e.schema.to_protocol()))
                .collect(),
            provider_meta: None,
            diagnostics: schema_diags.to_protocol(),
        };
        ProviderServer {
            provider_type: provider_schema.value_type(),
            immutable_hint: provider.immutable_hint(),
            provider,
            provider_schema,
            resources,
            data_sources,
            schema_response,
            schema_diags,
            state: RwLock::new(ConfigState::NotConfigured),
            terraform_version: Mutex::new(Arc::from("")),
            cancel: Mutex::new(CancellationToken::new()),
        }
    }

    /// Problems found in the declared schemas (empty for a correct provider).
    pub fn schema_diagnostics(&self) -> &Diagnostics {
        &self.schema_diags
    }

    pub fn provider(&self) -> &P {
        &self.provider
    }

    fn configured_data(&self) -> Option<Arc<P::Data>> {
        match &*self.state.read().unwrap_or_else(|e| e.into_inner()) {
            ConfigState::Configured(d) => Some(d.clone()),
            _ => None,
        }
    }

    /// The context for an API-facing operation, or the reason there is none.
    fn ctx(&self, what: &str) -> Result<Ctx<P::Data>, Diagnostic> {
        let cancel = lock(&self.cancel).clone();
        let version = lock(&self.terraform_version).clone();
        match &*self.state.read().unwrap_or_else(|e| e.into_inner()) {
            ConfigState::Configured(d) => Ok(Ctx::new(d.clone(), cancel, version)),
            ConfigState::NotConfigured => Err(Diagnostic::error(
                "Provider not configured",
                format!("{what} was requested before the provider was configured. This is a bug in Terraform or the provider."),
            )),
            ConfigState::Deferred => Err(Diagnostic::error(
                "Provider configuration not known yet",
                format!(
                    "{what} needs the provider configuration, but it depends on values that are only known after apply. \
                     Configure the provider with values known at plan time (or apply the resources it depends on first, with -target)."
                ),
            )),
        }
    }

    fn resource(&self, name: &str) -> Result<&Entry<dyn Resource<P::Data>>, Diagnostic> {
        self.resources
            .get(name)
            .ok_or_else(|| unknown_type("resource", name))
    }

    fn data_source(&self, name: &str) -> Result<&Entry<dyn DataSource<P::Data>>, Diagnostic> {
        self.data_sources
            .get(name)
            .ok_or_else(|| unknown_type("data source", name))
    }

    /// Shapes a state returned by resource code and checks it; returns the encodable state or `None`.
    /// Unknowns become nulls (as Terraform would); when the operation claims success (`strict`) they
    /// are also reported as a provider bug.
    fn finish_state(
        &self,
        e: &Entry<dyn Resource<P::Data>>,
        state: Value,
        what: &str,
        strict: bool,
        diags: &mut Diagnostics,
    ) -> Option<DynamicValue> {
        let mut v = normalize_owned(&e.schema.block, state);
        let unknown = v.unknown_paths();
        if !unknown.is_empty() {
            if strict {
                let list = unknown
                    .iter()
                    .map(|p| format!("`{p}`"))
                    .collect::<Vec<_>>()
                    .join(", ");
                diags.error(
                    "Provider returned unknown values",
                    format!(
                        "The {what} of {} contains values that are still unknown: {list}. This is a bug in the provider, please report it.",
                        e.imp.type_name()
                    ),
                );
            }
            v = v.unknown_as_null();
        }
        encode_checked(&v, &e.ty)
            .map_err(|msg| diags.push(encode_error(what, msg)))
            .ok()
    }

    fn decode(
        &self,
        dv: Option<&DynamicValue>,
        ty: &Type,
        what: &str,
        diags: &mut Diagnostics,
    ) -> Option<Value> {
        match decode_dynamic(dv, ty) {
            Ok(v) => Some(v),
            Err(e) => {
                diags.push(decode_error(what, e));
                None
            }
        }
    }
}

#[async_trait]
impl<P: Provider> ProviderService for ProviderServer<P> {
    async fn get_schema(&self) -> protocol::GetSchemaResponse {
        self.schema_response.clone()
    }

    async fn prepare_provider_config(
        &self,
        config: Option<DynamicValue>,
    ) -> protocol::PrepareProviderConfigResponse {
        let mut diags = Diagnostics::new();
        if let Some(v) = self.decode(
            config.as_ref(),
            &self.provider_type,
            "provider configuration",
            &mut diags,
        ) {
            validate_block(
                &self.provider_schema.block,
                &v,
                &AttributePath::empty(),
                &mut diags,
            );
            self.provider.validate_config(&v, &mut diags).await;
        }
        // Terraform 1.0.3 ignores prepared_config; echo the input.
        protocol::PrepareProviderConfigResponse {
            prepared_config: config,
            diagnostics: diags.to_protocol(),
        }
    }

    async fn validate_resource_type_config(
        &self,
        type_name: &str,
        config: Option<DynamicValue>,
    ) -> Vec<protocol::Diagnostic> {
        let mut diags = Diagnostics::new();
        match self.resource(type_name) {
            Err(d) => diags.push(d),
            Ok(e) => {
                if let Some(v) =
                    self.decode(config.as_ref(), &e.ty, "resource configuration", &mut diags)
                {
                    validate_block(&e.schema.block, &v, &AttributePath::empty(), &mut diags);
                    e.imp.validate(&v, &mut diags).await;
                }
            }
        }
        diags.to_protocol()
    }

    async fn validate_data_source_config(
        &self,
        type_name: &str,
        config: Option<DynamicValue>,
    ) -> Vec<protocol::Diagnostic> {
        let mut diags = Diagnostics::new();
        match self.data_source(type_name) {
            Err(d) => diags.push(d),
            Ok(e) => {
                if let Some(v) = self.decode(
                    config.as_ref(),
                    &e.ty,
                    "data source configuration",
                    &mut diags,
                ) {
                    validate_block(&e.schema.block, &v, &AttributePath::empty(), &mut diags);
                    e.imp.validate(&v, &mut diags).await;
                }
            }
        }
        diags.to_protocol()
    }

    async fn upgrade_resource_state(
        &self,
        type_name: &str,
        version: i64,
        raw_state: protocol::RawState,
    ) -> protocol::UpgradeResourceStateResponse {
        let mut diags = Diagnostics::new();
        let upgraded = (|| {
            let e = self.resource(type_name).map_err(|d| diags.push(d)).ok()?;
            if raw_state.json.is_empty() {
                if !raw_state.flatmap.is_empty() {
                    diags.error(
                        "Unsupported state format",
                        "The stored state uses the legacy flatmap format, which this provider does not read. Remove the resource from state and import it again.",
                    );
                    return None;
                }
                return self.finish_state(e, Value::Null, "upgraded state", true, &mut diags);
            }
            if version == e.schema.version {
                // The every-plan case: normal state goes straight from JSON to msgpack (json::transcode).
                let block = Some(&e.schema.block);
                if let Some(msgpack) = super::json::transcode_state(&raw_state.json, &e.ty, block) {
                    return Some(DynamicValue {
                        msgpack,
                        json: Vec::new(),
                    });
                }
                // Else decode straight from the bytes, skipping the document tree.
                // Anything unusual (every error included) takes the general path below, which words
                // the diagnostics as before.
                if let Some(v) = super::json::try_decode_lenient(&raw_state.json, &e.ty) {
                    if super::json::decoded_is_normal(&e.schema.block, &v) {
                        // What finish_state would do, minus the no-ops: JSON holds no unknowns and
                        // normalising this value changes nothing (see the json module's tests).
                        return encode_checked(&v, &e.ty)
                            .map_err(|msg| diags.push(encode_error("upgraded state", msg)))
                            .ok();
                    }
                    return self.finish_state(e, v, "upgraded state", true, &mut diags);
                }
            }
            let mut json: serde_json::Value = serde_json::from_slice(&raw_state.json)
                .map_err(|err| diags.push(decode_error("stored state", err)))
                .ok()?;
            if version > e.schema.version {
                diags.error(
                    "State written by a newer provider",
                    format!(
                        "The stored state of this {type_name} has schema version {version}, but this provider only knows versions up to {}. Upgrade the provider.",
                        e.schema.version
                    ),
                );
                return None;
            }
            if version < e.schema.version {
                json = e
                    .imp
                    .upgrade_state(version, json)
                    .map_err(|d| diags.extend(d))
                    .ok()?;
            }
            let v = super::json::decode_value(json, &e.ty, true)
                .map_err(|err| diags.push(decode_error("stored state", err)))
                .ok()?;
            self.finish_state(e, v, "upgraded state", true, &mut diags)
        })();
        protocol::UpgradeResourceStateResponse {
            upgraded_state: upgraded,
            diagnostics: diags.to_protocol(),
        }
    }

    async fn configure(
        &self,
        terraform_version: &str,
        config: Option<DynamicValue>,
    ) -> Vec<protocol::Diagnostic> {
        let mut diags = Diagnostics::new();
        *lock(&self.terraform_version) = Arc::from(terraform_version);
        let Some(v) = self.decode(
            config.as_ref(),
            &self.provider_type,
            "provider configuration",
            &mut diags,
        ) else {
            return diags.to_protocol();
        };
        if !v.is_wholly_known() {
            *self.state.write().unwrap_or_else(|e| e.into_inner()) = ConfigState::Deferred;
            return diags.to_protocol();
        }
        match self
            .provider
            .configure(&v, terraform_version, &mut diags)
            .await
        {
            Some(data) => {
                *self.state.write().unwrap_or_else(|e| e.into_inner()) =
                    ConfigState::Configured(Arc::new(data))
            }
            None if !diags.has_errors() => diags.error(
                "Provider configuration failed",
                "The provider could not be configured.",
            ),
            None => {}
        }
        diags.to_protocol()
    }

    async fn read_resource(
        &self,
        req: protocol::ReadResourceRequest,
    ) -> protocol::ReadResourceResponse {
        let mut diags = Diagnostics::new();
        let echo = |diags: Diagnostics| protocol::ReadResourceResponse {
            new_state: req.current_state.clone(),
            diagnostics: diags.to_protocol(),
            private: req.private.clone(),
        };
        let e = match self.resource(&req.type_name) {
            Ok(e) => e,
            Err(d) => return echo(d.into()),
        };
        let Some(current) = self.decode(
            req.current_state.as_ref(),
            &e.ty,
            "current state",
            &mut diags,
        ) else {
            return echo(diags);
        };
        if current.is_null() {
            return echo(diags);
        }
        let ctx = match self.ctx(&format!("Reading {}", req.type_name)) {
            Ok(c) => c,
            Err(d) => return echo(d.into()),
        };
        let result = e
            .imp
            .read(
                &ctx,
                ReadRequest {
                    state: current,
                    private: req.private.clone(),
                },
            )
            .await;
        diags.extend(result.diagnostics);
        if diags.has_errors() && result.state.is_null() {
            return echo(diags);
        }
        let new_state = if result.state.is_null() {
            encode_dynamic(&Value::Null, &e.ty).ok()
        } else {
            match self.finish_state(
                e,
                result.state,
                "refreshed state",
                !diags.has_errors(),
                &mut diags,
            ) {
                Some(dv) => Some(dv),
                None => return echo(diags),
            }
        };
        protocol::ReadResourceResponse {
            new_state,
            diagnostics: diags.to_protocol(),
            private: result.private.unwrap_or(req.private),
        }
    }

    async fn plan_resource_change(
        &self,
        req: protocol::PlanResourceChangeRequest,
    ) -> protocol::PlanResourceChangeResponse {
        let mut diags = Diagnostics::new();
        let fail = |diags: Diagnostics| protocol::PlanResourceChangeResponse {
            diagnostics: diags.to_protocol(),
            ..Default::default()
        };
        let e = match self.resource(&req.type_name) {
            Ok(e) => e,
            Err(d) => return fail(d.into()),
        };
        let prior = self.decode(req.prior_state.as_ref(), &e.ty, "prior state", &mut diags);
        // In a plan without changes Terraform proposes the prior state byte for byte: decode it once
        // (the engine sees the same value for both and skips comparing it with itself).
        let same = prior.is_some()
            && same_encoding(req.prior_state.as_ref(), req.proposed_new_state.as_ref());
        let proposed = if same {
            None
        } else {
            let p = self.decode(
                req.proposed_new_state.as_ref(),
                &e.ty,
                "proposed new state",
                &mut diags,
            );
            if p.is_none() {
                // Still decode the configuration: its errors are reported too.
                self.decode(req.config.as_ref(), &e.ty, "configuration", &mut diags);
                return fail(diags);
            }
            p
        };
        let config = self.decode(req.config.as_ref(), &e.ty, "configuration", &mut diags);
        let (Some(prior), Some(config)) = (prior, config) else {
            return fail(diags);
        };
        let proposed = proposed.as_ref().unwrap_or(&prior);
        let data = self.configured_data();
        let input = PlanInput {
            schema: &e.schema.block,
            prior: &prior,
            proposed,
            config: &config,
            replace_allowed: e.imp.replacement_allowed(data.as_deref()),
            default_immutable_hint: self.immutable_hint.as_deref(),
        };
        let mut result = plan(&input);
        result.private = req.prior_private.clone();
        if !proposed.is_null() {
            let ctx = PlanCtx {
                provider: data.as_deref(),
                prior: &prior,
                config: &config,
                proposed,
                prior_private: &req.prior_private,
            };
            e.imp.modify_plan(&ctx, &mut result).await;
            result.planned = normalize_owned(&e.schema.block, std::mem::take(&mut result.planned));
            diags.extend(check_planned(
                &e.schema.block,
                &prior,
                &config,
                &result.planned,
                &req.type_name,
            ));
        }
        diags.extend(std::mem::take(&mut result.diagnostics));
        let planned_state = match encode_checked(&result.planned, &e.ty) {
            Ok(dv) => Some(dv),
            Err(msg) => {
                diags.push(encode_error("planned state", msg));
                None
            }
        };
        protocol::PlanResourceChangeResponse {
            planned_state,
            requires_replace: result
                .requires_replace
                .iter()
                .map(AttributePath::to_protocol)
                .collect(),
            planned_private: result.private,
            diagnostics: diags.to_protocol(),
        }
    }

    async fn apply_resource_change(
        &self,
        req: protocol::ApplyResourceChangeRequest,
    ) -> protocol::ApplyResourceChangeResponse {
        let mut diags = Diagnostics::new();
        // On failure before anything ran, Terraform must keep the prior state.
        let keep_prior = |diags: Diagnostics| protocol::ApplyResourceChangeResponse {
            new_state: req.prior_state.clone(),
            private: req.planned_private.clone(),
            diagnostics: diags.to_protocol(),
        };
        let e = match self.resource(&req.type_name) {
            Ok(e) => e,
            Err(d) => return keep_prior(d.into()),
        };
        let prior = self.decode(req.prior_state.as_ref(), &e.ty, "prior state", &mut diags);
        let planned = self.decode(
            req.planned_state.as_ref(),
            &e.ty,
            "planned state",
            &mut diags,
        );
        let config = self.decode(req.config.as_ref(), &e.ty, "configuration", &mut diags);
        let (Some(prior), Some(planned), Some(config)) = (prior, planned, config) else {
            return keep_prior(diags);
        };
        let ctx = match self.ctx(&format!("Applying {}", req.type_name)) {
            Ok(c) => c,
            Err(d) => return keep_prior(d.into()),
        };
        let null_state = || encode_dynamic(&Value::Null, &e.ty).ok();

        if planned.is_null() {
            let d = e.imp.delete(&ctx, DeleteRequest { prior }).await;
            let failed = d.has_errors();
            diags.extend(d);
            let new_state = if failed {
                req.prior_state.clone()
            } else {
                null_state()
            };
            return protocol::ApplyResourceChangeResponse {
                new_state,
                private: Vec::new(),
                diagnostics: diags.to_protocol(),
            };
        }

        let creating = prior.is_null();
        let result = if creating {
            e.imp
                .create(
                    &ctx,
                    CreateRequest {
                        config,
                        planned: planned.clone(),
                        planned_private: req.planned_private.clone(),
                    },
                )
                .await
        } else {
            e.imp
                .update(
                    &ctx,
                    UpdateRequest {
                        prior,
                        planned: planned.clone(),
                        config,
                        planned_private: req.planned_private.clone(),
                    },
                )
                .await
        };
        let private = result
            .private
            .unwrap_or_else(|| req.planned_private.clone());
        let failed = result.diagnostics.has_errors();
        diags.extend(result.diagnostics);
        let fallback = if creating {
            null_state()
        } else {
            req.prior_state.clone()
        };
        if result.state.is_null() {
            if !failed {
                diags.error(
                    "Provider returned no state",
                    format!("Applying {} succeeded but returned no state. This is a bug in the provider, please report it.", req.type_name),
                );
            }
            return protocol::ApplyResourceChangeResponse {
                new_state: fallback,
                private,
                diagnostics: diags.to_protocol(),
            };
        }
        let shaped = normalize_owned(&e.schema.block, result.state);
        if !failed && shaped.is_wholly_known() {
            diags.extend(check_applied(
                &e.schema.block,
                &planned,
                &shaped,
                &req.type_name,
            ));
        }
        let new_state = self
            .finish_state(e, shaped, "new state", !failed, &mut diags)
            .or(fallback);
        protocol::ApplyResourceChangeResponse {
            new_state,
            private,
            diagnostics: diags.to_protocol(),
        }
    }

    async fn import_resource_state(
        &self,
        type_name: &str,
        id: &str,
    ) -> protocol::ImportResourceStateResponse {
        let mut diags = Diagnostics::new();
        let imported = async {
            let e = self.resource(type_name).map_err(|d| diags.push(d)).ok()?;
            let ctx = self.ctx(&format!("Importing {type_name}")).map_err(|d| diags.push(d)).ok()?;
            let result = e.imp.import(&ctx, id).await;
            diags.extend(result.diagnostics);
            if diags.has_errors() {
                return None;
            }
            if result.state.is_null() {
                diags.error("Import returned nothing", format!("Importing {type_name} `{id}` produced no state. This is a bug in the provider."));
                return None;
            }
            let state = self.finish_state(e, result.state, "imported state", true, &mut diags)?;
            (!diags.has_errors()).then(|| protocol::ImportedResource { type_name: type_name.to_string(), state: Some(state), private: Vec::new() })
        }
        .await;
        protocol::ImportResourceStateResponse {
            imported_resources: imported.into_iter().collect(),
            diagnostics: diags.to_protocol(),
        }
    }

    async fn read_data_source(
        &self,
        type_name: &str,
        config: Option<DynamicValue>,
        _provider_meta: Option<DynamicValue>,
    ) -> protocol::ReadDataSourceResponse {
        let mut diags = Diagnostics::new();
        let state = async {
            let e = self.data_source(type_name).map_err(|d| diags.push(d)).ok()?;
            let config = self.decode(config.as_ref(), &e.ty, "data source configuration", &mut diags)?;
            let ctx = self.ctx(&format!("Reading data source {type_name}")).map_err(|d| diags.push(d)).ok()?;
            let result = e.imp.read(&ctx, &config).await;
            diags.extend(result.diagnostics);
            if diags.has_errors() {
                return None;
            }
            let state = normalize_owned(&e.schema.block, result.state);
            if state.is_null() || !state.is_wholly_known() {
                diags.error(
                    "Invalid data source result",
                    format!("Reading {type_name} returned a null or partly unknown state. This is a bug in the provider, please report it."),
                );
                return None;
            }
            for a in &e.schema.block.attributes {
                let c = config.get_attr(&a.name);
                if !c.is_null() && c != state.get_attr(&a.name) {
                    diags.error_at(
                        AttributePath::root(a.name.clone()),
                        "Invalid data source result",
                        format!("Reading {type_name} changed the configured value of `{}`. This is a bug in the provider, please report it.", a.name),
                    );
                }
            }
            if diags.has_errors() {
                return None;
            }
            encode_checked(&state, &e.ty).map_err(|msg| diags.push(encode_error("data source state", msg))).ok()
        }
        .await;
        protocol::ReadDataSourceResponse {
            state,
            diagnostics: diags.to_protocol(),
        }
    }

    async fn stop(&self) -> String {
        let mut guard = lock(&self.cancel);
        guard.cancel();
        *guard = CancellationToken::new();
        String::new()
    }
}

#[cfg(test)]
#[path = "server_tests.rs"]
mod tests;
