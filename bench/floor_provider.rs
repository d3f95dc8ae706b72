//! The "floor" provider of the side-by-side benchmark: a measuring instrument, not a product. It runs our whole
//! server stack (go-plugin handshake, AutoMTLS rustls, tonic, the proto conversion) and Terraform sees the real
//! `modelarts_notebook` schema, but the four RPCs of a refresh do the least work protocol 5 allows:
//!
//! - ValidateResourceTypeConfig answers nothing;
//! - UpgradeResourceState hands the stored JSON back as `DynamicValue.json` (Terraform 1.0's
//!   `decodeDynamicValue` reads JSON when msgpack is empty, against the same schema);
//! - ReadResource sends one signed GET of the notebook (our signer, reqwest) and reads the body without decoding
//!   it; the ID comes from a structural scan of the msgpack state, and current state and private go back as they
//!   came (a 404 answers a null state, i.e. gone);
//! - PlanResourceChange plans the proposed new state byte for byte, with the prior private data.
//!
//! Everything else (schema, provider configuration, Stop, apply, import, data sources) is delegated to the real
//! provider service. The provider CPU of a no-op plan through this binary is what the mandated stack costs before
//! any of our own value handling: the floor that per-notebook optimisation of ours can approach but not pass.
//! It does not check plans (a create would plan null computed attributes), so use it for no-op plans only.

use std::process::ExitCode;
use std::sync::{Arc, OnceLock};
use std::time::Duration;

use modelarts::api::signing::{self, QueryOrder, Signer, SigningInput};
use modelarts::provider::{Credentials, ModelArtsProvider, ProviderConfig};
use modelarts::server::{serve, Mode};
use modelarts::tf::codec::decode_dynamic;
use modelarts::tf::protocol::{
    ApplyResourceChangeRequest, ApplyResourceChangeResponse, Diagnostic, DynamicValue,
    GetSchemaResponse, ImportResourceStateResponse, PlanResourceChangeRequest,
    PlanResourceChangeResponse, PrepareProviderConfigResponse, ProviderService, RawState,
    ReadDataSourceResponse, ReadResourceRequest, ReadResourceResponse, Severity,
    UpgradeResourceStateResponse,
};
use modelarts::tf::{Diagnostics, Provider};

#[path = "floor_scan.rs"]
mod floor_scan;

/// msgpack nil: the state of a resource that no longer exists.
const NULL_STATE: u8 = 0xc0;

/// What a GET needs, resolved once by Configure.
struct Target {
    http: reqwest::Client,
    /// `scheme://host[:port]`
    origin: String,
    /// The Host header, signed and sent verbatim.
    host: String,
    /// Endpoint path + `/v1/{project_id}/notebooks/`.
    prefix: String,
    auth: Auth,
    user_agent: String,
}

enum Auth {
    Signer(Signer),
    Token { project_id: String, token: String },
}

struct Floor {
    real: Arc<dyn ProviderService>,
    target: OnceLock<Target>,
}

fn error(summary: &str, detail: impl Into<String>) -> Diagnostic {
    Diagnostic {
        severity: Severity::Error,
        summary: summary.to_string(),
        detail: detail.into(),
        attribute: None,
    }
}

fn target(cfg: &ProviderConfig) -> Result<Target, String> {
    let url = cfg
        .endpoint("modelarts")
        .map_err(|e| format!("the modelarts endpoint: {e}"))?;
    let host = match (url.host_str(), url.port()) {
        (Some(h), Some(port)) => format!("{h}:{port}"),
        (Some(h), None) => h.to_string(),
        (None, _) => return Err("the modelarts endpoint has no host".into()),
    };
    let mut builder = reqwest::Client::builder()
        .tls_danger_accept_invalid_certs(cfg.insecure)
        .timeout(Duration::from_secs(60))
        .no_proxy();
    // As in our client: a plain-http endpoint never uses TLS, so no trust store is loaded.
    if url.scheme() == "http" {
        builder = builder.tls_certs_only(std::iter::empty());
    }
    let http = builder
        .build()
        .map_err(|e| format!("the HTTP client: {e}"))?;
    let project_id = cfg.project_id.trim().to_string();
    let auth = match &cfg.credentials {
        Credentials::AkSk {
            access_key,
            secret_key,
            security_token,
        } => Auth::Signer(
            Signer::new(access_key.clone(), secret_key.expose())
                .with_project_id(Some(project_id.clone()))
                .with_security_token(security_token.as_ref().map(|t| t.expose().to_string())),
        ),
        Credentials::Token(t) => Auth::Token {
            project_id: project_id.clone(),
            token: t.expose().to_string(),
        },
    };
    Ok(Target {
        http,
        origin: format!("{}://{host}", url.scheme()),
        host,
        prefix: format!(
            "{}{}/notebooks/",
            url.path().trim_end_matches('/'),
            modelarts::api::project_path(&project_id)
        ),
        auth,
        user_agent: format!(
            "terraform-provider-modelarts-floor/{}",
            env!("CARGO_PKG_VERSION")
        ),
    })
}

impl Target {
    /// One GET of the notebook, body read and dropped. `Ok(false)`: the notebook is gone (404).
    async fn get(&self, id: &str) -> Result<bool, String> {
        let path = format!("{}{}", self.prefix, signing::encode(id));
        let mut headers = vec![
            ("Content-Type".to_string(), "application/json".to_string()),
            ("User-Agent".to_string(), self.user_agent.clone()),
        ];
        let uri = match &self.auth {
            Auth::Signer(signer) => {
                let signed = signer.sign(
                    &SigningInput {
                        method: "GET",
                        host: &self.host,
                        path: &path,
                        query: &[],
                        headers: &headers,
                        body: &[],
                        query_order: QueryOrder::ByString,
                    },
                    time::OffsetDateTime::now_utc(),
                );
                headers = signed.headers;
                signed.uri
            }
            Auth::Token { project_id, token } => {
                headers.push(("X-Project-Id".into(), project_id.clone()));
                headers.push(("X-Auth-Token".into(), token.clone()));
                headers.push(("Host".into(), self.host.clone()));
                path
            }
        };
        let mut req = self.http.get(format!("{}{uri}", self.origin));
        for (n, v) in headers {
            req = req.header(n, v);
        }
        let resp = req.send().await.map_err(|e| format!("GET {uri}: {e}"))?;
        let status = resp.status().as_u16();
        let body = resp.bytes().await.map_err(|e| format!("GET {uri}: {e}"))?;
        match status {
            200..=299 => Ok(true),
            404 => Ok(false),
            _ => Err(format!(
                "GET {uri}: HTTP {status}: {}",
                String::from_utf8_lossy(&body[..body.len().min(300)])
            )),
        }
    }
}

#[async_trait::async_trait]
impl ProviderService for Floor {
    async fn get_schema(&self) -> GetSchemaResponse {
        self.real.get_schema().await
    }

    async fn prepare_provider_config(
        &self,
        config: Option<DynamicValue>,
    ) -> PrepareProviderConfigResponse {
        self.real.prepare_provider_config(config).await
    }

    async fn validate_resource_type_config(
        &self,
        _type_name: &str,
        _config: Option<DynamicValue>,
    ) -> Vec<Diagnostic> {
        Vec::new()
    }

    async fn validate_data_source_config(
        &self,
        type_name: &str,
        config: Option<DynamicValue>,
    ) -> Vec<Diagnostic> {
        self.real
            .validate_data_source_config(type_name, config)
            .await
    }

    async fn upgrade_resource_state(
        &self,
        _type_name: &str,
        _version: i64,
        raw_state: RawState,
    ) -> UpgradeResourceStateResponse {
        if raw_state.json.is_empty() {
            return UpgradeResourceStateResponse {
                upgraded_state: None,
                diagnostics: vec![error(
                    "Unsupported state",
                    "The floor provider only echoes JSON states; this one is a legacy flatmap.",
                )],
            };
        }
        UpgradeResourceStateResponse {
            upgraded_state: Some(DynamicValue {
                msgpack: Vec::new(),
                json: raw_state.json,
            }),
            diagnostics: Vec::new(),
        }
    }

    async fn configure(
        &self,
        terraform_version: &str,
        config: Option<DynamicValue>,
    ) -> Vec<Diagnostic> {
        let diags = self.real.configure(terraform_version, config.clone()).await;
        if diags.iter().any(|d| d.severity == Severity::Error) {
            return diags;
        }
        // The real service keeps its resolved configuration to itself: resolve it once more for the GETs.
        let provider = ModelArtsProvider::from_env();
        let value = match decode_dynamic(config.as_ref(), &provider.schema().value_type()) {
            Ok(v) => v,
            Err(e) => return vec![error("Invalid provider configuration", e.to_string())],
        };
        let mut resolved = Diagnostics::default();
        let Some(cfg) = provider
            .configure(&value, terraform_version, &mut resolved)
            .await
        else {
            return vec![error(
                "Invalid provider configuration",
                "the floor provider could not resolve it",
            )];
        };
        match target(&cfg) {
            Ok(t) => {
                // A second Configure keeps the first target: Terraform configures each launch once.
                let _ = self.target.set(t);
                diags
            }
            Err(e) => vec![error("Cannot reach the API", e)],
        }
    }

    async fn read_resource(&self, req: ReadResourceRequest) -> ReadResourceResponse {
        let fail = |d: Diagnostic| ReadResourceResponse {
            new_state: None,
            diagnostics: vec![d],
            private: Vec::new(),
        };
        let Some(target) = self.target.get() else {
            return fail(error(
                "Provider not configured",
                "ReadResource before Configure",
            ));
        };
        let state = req.current_state.unwrap_or_default();
        let id = match floor_scan::top_level_str(&state.msgpack, "id") {
            Ok(Some(id)) => id,
            Ok(None) => return fail(error("No ID in the state", "the state has no `id` string")),
            Err(e) => return fail(error("Invalid state", e.to_string())),
        };
        match target.get(id).await {
            Ok(true) => ReadResourceResponse {
                new_state: Some(state),
                diagnostics: Vec::new(),
                private: req.private,
            },
            Ok(false) => ReadResourceResponse {
                new_state: Some(DynamicValue {
                    msgpack: vec![NULL_STATE],
                    json: Vec::new(),
                }),
                diagnostics: Vec::new(),
                private: Vec::new(),
            },
            Err(e) => fail(error("Cannot read the notebook", e)),
        }
    }

    async fn plan_resource_change(
        &self,
        req: PlanResourceChangeRequest,
    ) -> PlanResourceChangeResponse {
        PlanResourceChangeResponse {
            planned_state: req.proposed_new_state,
            requires_replace: Vec::new(),
            planned_private: req.prior_private,
            diagnostics: Vec::new(),
        }
    }

    async fn apply_resource_change(
        &self,
        req: ApplyResourceChangeRequest,
    ) -> ApplyResourceChangeResponse {
        self.real.apply_resource_change(req).await
    }

    async fn import_resource_state(
        &self,
        type_name: &str,
        id: &str,
    ) -> ImportResourceStateResponse {
        self.real.import_resource_state(type_name, id).await
    }

    async fn read_data_source(
        &self,
        type_name: &str,
        config: Option<DynamicValue>,
        provider_meta: Option<DynamicValue>,
    ) -> ReadDataSourceResponse {
        self.real
            .read_data_source(type_name, config, provider_meta)
            .await
    }

    async fn stop(&self) -> String {
        self.real.stop().await
    }
}

fn service() -> Arc<dyn ProviderService> {
    Arc::new(Floor {
        real: modelarts::provider::service(),
        target: OnceLock::new(),
    })
}

fn main() -> ExitCode {
    if std::env::args().len() > 1 {
        eprintln!(
            "floor_provider: a benchmark instrument Terraform launches; it takes no arguments"
        );
        return ExitCode::from(2);
    }
    match serve(Mode::Plugin, service) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("floor_provider: {e}");
            ExitCode::FAILURE
        }
    }
}
