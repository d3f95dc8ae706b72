//! The ModelArts provider: configuration schema (with `HW_*` environment fallbacks), Configure into a
//! [`ProviderConfig`], and the registry of resources and data sources.

use std::collections::BTreeMap;
use std::sync::Arc;

use async_trait::async_trait;
use url::Url;

use crate::tf::protocol::ProviderService;
use crate::tf::validate::{self, each};
use crate::tf::{
    Attribute, AttributePath, Block, DataSource, Diagnostic, Diagnostics, Provider, ProviderServer,
    Resource, Schema, Type, Value,
};

/// The resources this provider serves. Resource modules register here.
fn resources() -> Vec<Arc<dyn Resource<ProviderConfig>>> {
    vec![Arc::new(crate::resources::notebook::NotebookResource)]
}

/// The data sources this provider serves. Data source modules register here.
fn data_sources() -> Vec<Arc<dyn DataSource<ProviderConfig>>> {
    crate::data_sources::all()
}

/// The gRPC-facing service for this provider (reads `HW_*` environment variables at Configure).
pub fn service() -> Arc<dyn ProviderService> {
    Arc::new(ProviderServer::new(ModelArtsProvider::from_env()))
}

pub const DEFAULT_CLOUD: &str = "myhuaweicloud.com";
pub const DEFAULT_MAX_RETRIES: u32 = 5;

/// Appended to immutability errors: how to opt into replacement.
pub const FORCE_NEW_HINT: &str =
    "Revert the change, or set `enable_force_new = true` in the provider block \
(or `HW_ENABLE_FORCE_NEW=true`) to destroy the instance and create a new one instead.";

/// Credentials are held as the logging layer's secret: redacted in Debug/Display and scrubbed from log lines.
pub use crate::logging::Secret;

#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Credentials {
    /// Permanent AK/SK, or temporary AK/SK with a security token.
    AkSk {
        access_key: String,
        secret_key: Secret,
        security_token: Option<Secret>,
    },
    /// An IAM token (`X-Auth-Token`).
    Token(Secret),
}

/// The resolved provider configuration handed to every resource operation.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ProviderConfig {
    pub region: String,
    pub project_id: String,
    pub credentials: Credentials,
    pub cloud: String,
    /// Per-service endpoint overrides, e.g. `modelarts` → `http://127.0.0.1:8080/`.
    pub endpoints: BTreeMap<String, Url>,
    pub insecure: bool,
    pub max_retries: u32,
    pub enable_force_new: bool,
    pub terraform_version: String,
}

impl ProviderConfig {
    /// The base URL of `service`: the override from `endpoints`, else `https://{service}.{region}.{cloud}/`.
    pub fn endpoint(&self, service: &str) -> Result<Url, url::ParseError> {
        match self.endpoints.get(service) {
            Some(u) => Ok(u.clone()),
            None => Url::parse(&format!(
                "https://{service}.{}.{}/",
                self.region, self.cloud
            )),
        }
    }

    /// For `Resource::replacement_allowed`: immutable changes replace only when the user opted in.
    pub fn replacement_allowed(config: Option<&ProviderConfig>) -> bool {
        config.is_some_and(|c| c.enable_force_new)
    }
}

type EnvFn = dyn Fn(&str) -> Option<String> + Send + Sync;

pub struct ModelArtsProvider {
    env: Arc<EnvFn>,
}

impl ModelArtsProvider {
    /// Reads fallbacks from the process environment (empty variables count as unset).
    pub fn from_env() -> ModelArtsProvider {
        ModelArtsProvider::with_env(|k| std::env::var(k).ok())
    }

    /// Reads fallbacks through `env` (tests).
    pub fn with_env(
        env: impl Fn(&str) -> Option<String> + Send + Sync + 'static,
    ) -> ModelArtsProvider {
        ModelArtsProvider { env: Arc::new(env) }
    }

    fn env(&self, name: &str) -> Option<String> {
        (self.env)(name).filter(|v| !v.is_empty())
    }
}

/// (attribute, environment variable) pairs.
const REGION: (&str, &str) = ("region", "HW_REGION_NAME");
const PROJECT_ID: (&str, &str) = ("project_id", "HW_PROJECT_ID");
const ACCESS_KEY: (&str, &str) = ("access_key", "HW_ACCESS_KEY");
const SECRET_KEY: (&str, &str) = ("secret_key", "HW_SECRET_KEY");
const SECURITY_TOKEN: (&str, &str) = ("security_token", "HW_SECURITY_TOKEN");
const AUTH_TOKEN: (&str, &str) = ("auth_token", "HW_AUTH_TOKEN");
const CLOUD: (&str, &str) = ("cloud", "HW_CLOUD");
const INSECURE: (&str, &str) = ("insecure", "HW_INSECURE");
const MAX_RETRIES: (&str, &str) = ("max_retries", "HW_MAX_RETRIES");
const ENABLE_FORCE_NEW: (&str, &str) = ("enable_force_new", "HW_ENABLE_FORCE_NEW");

fn provider_schema() -> Schema {
    let env = |(_, var): (&str, &str)| format!(" Falls back to the `{var}` environment variable.");
    Schema::new(
        Block::new()
            .description(
                "The ModelArts provider manages Huawei Cloud ModelArts notebook instances. \
                 Credentials are either an AK/SK pair (optionally temporary, with `security_token`) \
                 or an IAM token (`auth_token`).",
            )
            .attribute(Attribute::string("region").optional().description(format!(
                "The region of the ModelArts service, e.g. `cn-north-4`. Required.{}",
                env(REGION)
            )))
            .attribute(Attribute::string("project_id").optional().description(format!(
                "The IAM project ID of the region. Required.{}",
                env(PROJECT_ID)
            )))
            .attribute(Attribute::string("access_key").optional().description(format!(
                "The access key (AK) for request signing; needs `secret_key`.{}",
                env(ACCESS_KEY)
            )))
            .attribute(Attribute::string("secret_key").optional().sensitive().description(format!(
                "The secret key (SK) that goes with `access_key`.{}",
                env(SECRET_KEY)
            )))
            .attribute(Attribute::string("security_token").optional().sensitive().description(format!(
                "The security token of temporary AK/SK credentials; needs `access_key` and `secret_key`.{}",
                env(SECURITY_TOKEN)
            )))
            .attribute(Attribute::string("auth_token").optional().sensitive().description(format!(
                "An IAM token, as an alternative to AK/SK (not both).{}",
                env(AUTH_TOKEN)
            )))
            .attribute(Attribute::string("cloud").optional().description(format!(
                "The cloud domain used to build endpoints `https://{{service}}.{{region}}.{{cloud}}`. \
                 Defaults to `{DEFAULT_CLOUD}`.{}",
                env(CLOUD)
            )))
            .attribute(
                Attribute::map("endpoints", Type::String)
                    .optional()
                    .validator(each(validate::custom("an absolute http(s) URL", |v| {
                        check_endpoint(v.as_str().unwrap_or_default()).map(|_| ())
                    })))
                    .description(
                        "Endpoint overrides per service, e.g. `{ modelarts = \"http://127.0.0.1:8080\" }` \
                         for a local emulator. Each value is an absolute `http` or `https` URL.",
                    ),
            )
            .attribute(Attribute::bool("insecure").optional().description(format!(
                "Skip TLS certificate verification. Only for test endpoints. Defaults to `false`.{}",
                env(INSECURE)
            )))
            .attribute(
                Attribute::number("max_retries")
                    .optional()
                    .validator(validate::int_between(0, i64::from(u32::MAX)))
                    .description(format!(
                        "How many times a failed request (throttling, server errors, network errors) is \
                         retried. Defaults to `{DEFAULT_MAX_RETRIES}`.{}",
                        env(MAX_RETRIES)
                    )),
            )
            .attribute(Attribute::bool("enable_force_new").optional().description(format!(
                "Allow changes to attributes that cannot be updated in place to replace the resource \
                 (destroy, then create). When `false`, such changes are plan errors. Defaults to `false`.{}",
                env(ENABLE_FORCE_NEW)
            ))),
    )
}

fn check_endpoint(s: &str) -> Result<Url, String> {
    let url = Url::parse(s).map_err(|e| format!("{s:?} is not a valid URL: {e}"))?;
    if !matches!(url.scheme(), "http" | "https") || url.host_str().map_or(true, str::is_empty) {
        return Err(format!(
            "{s:?} must be an absolute http:// or https:// URL with a host"
        ));
    }
    Ok(url)
}

fn parse_bool(s: &str) -> Option<bool> {
    match s.trim().to_ascii_lowercase().as_str() {
        "1" | "true" | "yes" | "on" => Some(true),
        "0" | "false" | "no" | "off" => Some(false),
        _ => None,
    }
}

/// Resolves one attribute: the configured value wins, else the environment variable.
struct Resolver<'a> {
    provider: &'a ModelArtsProvider,
    config: &'a Value,
    diags: &'a mut Diagnostics,
}

impl Resolver<'_> {
    fn string(&mut self, (attr, var): (&str, &str)) -> Option<String> {
        match self.config.get_attr(attr).as_str() {
            Some(s) if !s.is_empty() => Some(s.to_string()),
            _ => self.provider.env(var),
        }
    }

    fn set_in_config(&self, (attr, _): (&str, &str)) -> bool {
        !self.config.get_attr(attr).is_null()
    }

    fn error(&mut self, key: (&str, &str), summary: &str, detail: String) {
        let d = Diagnostic::error(summary, detail);
        self.diags.push(if self.set_in_config(key) {
            d.at(AttributePath::root(key.0))
        } else {
            d
        });
    }

    fn bool(&mut self, key @ (attr, var): (&str, &str)) -> bool {
        if let Some(b) = self.config.get_attr(attr).as_bool() {
            return b;
        }
        match self.provider.env(var) {
            None => false,
            Some(s) => parse_bool(&s).unwrap_or_else(|| {
                self.error(
                    key,
                    &format!("Invalid {var}"),
                    format!("`{var}` must be `true` or `false`, got {s:?}."),
                );
                false
            }),
        }
    }

    fn max_retries(&mut self) -> u32 {
        let (attr, var) = MAX_RETRIES;
        let (text, source) = match self.config.get_attr(attr).as_number() {
            Some(n) => (n.to_string(), format!("`{attr}`")),
            None => match self.provider.env(var) {
                Some(s) => (s.trim().to_string(), format!("`{var}`")),
                None => return DEFAULT_MAX_RETRIES,
            },
        };
        match text.parse::<u32>() {
            Ok(n) => n,
            Err(_) => {
                self.error(
                    MAX_RETRIES,
                    "Invalid max_retries",
                    format!("{source} must be a whole number of 0 or more, got {text}. Set `{attr}` or `{var}` to e.g. {DEFAULT_MAX_RETRIES}."),
                );
                DEFAULT_MAX_RETRIES
            }
        }
    }

    fn required(&mut self, key @ (attr, var): (&str, &str), what: &str) -> String {
        self.string(key).unwrap_or_else(|| {
            self.diags.error(
                format!("Missing {attr}"),
                format!("The provider needs {what}. Set `{attr}` in the provider block or the `{var}` environment variable."),
            );
            String::new()
        })
    }

    fn credentials(&mut self) -> Option<Credentials> {
        let ak = self.string(ACCESS_KEY);
        let sk = self.string(SECRET_KEY);
        let token = self.string(SECURITY_TOKEN);
        let auth = self.string(AUTH_TOKEN);
        let both = "Set either `access_key` and `secret_key` (`HW_ACCESS_KEY`, `HW_SECRET_KEY`) or `auth_token` (`HW_AUTH_TOKEN`).";
        if let Some(auth) = auth {
            if ak.is_some() || sk.is_some() {
                self.error(
                    AUTH_TOKEN,
                    "Conflicting credentials",
                    format!("Both AK/SK and an IAM token are set. {both}"),
                );
                return None;
            }
            if token.is_some() {
                self.error(
                    SECURITY_TOKEN,
                    "Conflicting credentials",
                    "`security_token` (`HW_SECURITY_TOKEN`) belongs to temporary AK/SK credentials and cannot be used with `auth_token`.".into(),
                );
                return None;
            }
            return Some(Credentials::Token(Secret::new(auth)));
        }
        match (ak, sk) {
            (Some(access_key), Some(secret_key)) => Some(Credentials::AkSk {
                access_key,
                secret_key: Secret::new(secret_key),
                security_token: token.map(Secret::new),
            }),
            (Some(_), None) => {
                self.error(
                    ACCESS_KEY,
                    "Incomplete credentials",
                    "`access_key` is set but `secret_key` is missing. Set `secret_key` or the `HW_SECRET_KEY` environment variable.".into(),
                );
                None
            }
            (None, Some(_)) => {
                self.error(
                    SECRET_KEY,
                    "Incomplete credentials",
                    "`secret_key` is set but `access_key` is missing. Set `access_key` or the `HW_ACCESS_KEY` environment variable.".into(),
                );
                None
            }
            (None, None) if token.is_some() => {
                self.error(
                    SECURITY_TOKEN,
                    "Incomplete credentials",
                    "`security_token` needs the temporary `access_key` and `secret_key` it belongs to (`HW_ACCESS_KEY`, `HW_SECRET_KEY`).".into(),
                );
                None
            }
            (None, None) => {
                self.diags.error(
                    "Missing credentials",
                    format!("No credentials are configured. {both}"),
                );
                None
            }
        }
    }

    fn endpoints(&mut self) -> BTreeMap<String, Url> {
        let mut out = BTreeMap::new();
        let Some(m) = self.config.get_attr("endpoints").entries() else {
            return out;
        };
        for (service, v) in m {
            let Some(s) = v.as_str() else { continue };
            match check_endpoint(s) {
                Ok(url) => {
                    out.insert(service.to_string(), url);
                }
                Err(msg) => self.diags.error_at(
                    AttributePath::root("endpoints").key(service.as_str()),
                    "Invalid endpoint",
                    format!("The endpoint for `{service}`: {msg}."),
                ),
            }
        }
        out
    }
}

#[async_trait]
impl Provider for ModelArtsProvider {
    type Data = ProviderConfig;

    fn schema(&self) -> Schema {
        provider_schema()
    }

    async fn configure(
        &self,
        config: &Value,
        terraform_version: &str,
        diags: &mut Diagnostics,
    ) -> Option<ProviderConfig> {
        let mut r = Resolver {
            provider: self,
            config,
            diags,
        };
        let region = r.required(REGION, "the region of the ModelArts service");
        let project_id = r.required(PROJECT_ID, "the IAM project ID of the region");
        let credentials = r.credentials();
        let cloud = r.string(CLOUD).unwrap_or_else(|| DEFAULT_CLOUD.to_string());
        let endpoints = r.endpoints();
        let insecure = r.bool(INSECURE);
        let max_retries = r.max_retries();
        let enable_force_new = r.bool(ENABLE_FORCE_NEW);
        if insecure {
            r.diags.warning(
                "TLS verification disabled",
                "`insecure = true` (or `HW_INSECURE`) turns off certificate verification. Use it only with test endpoints.",
            );
        }
        if r.diags.has_errors() {
            return None;
        }
        Some(ProviderConfig {
            region,
            project_id,
            credentials: credentials?,
            cloud,
            endpoints,
            insecure,
            max_retries,
            enable_force_new,
            terraform_version: terraform_version.to_string(),
        })
    }

    fn resources(&self) -> Vec<Arc<dyn Resource<ProviderConfig>>> {
        resources()
    }

    fn data_sources(&self) -> Vec<Arc<dyn DataSource<ProviderConfig>>> {
        data_sources()
    }

    fn immutable_hint(&self) -> Option<String> {
        Some(FORCE_NEW_HINT.to_string())
    }
}

#[cfg(test)]
#[path = "provider_tests.rs"]
mod tests;
