//! Gateway authentication: AK/SK signatures verified with the shared `api::signing` code, IAM tokens, and the
//! credential store (demo credentials plus `--credentials FILE`).

use crate::api::signing::{self, AuthScheme, ReceivedRequest, VerifyError, VerifyOptions};
use crate::emulator::errors::{codes, ApiError};
use serde::Deserialize;
use std::collections::HashMap;
use std::fmt;
use std::path::Path;
use std::sync::Arc;

/// The built-in demo identity, documented in docs/emulator.md.
pub mod demo {
    pub const ACCESS_KEY: &str = "MAEMULATORDEMOAK0001";
    pub const SECRET_KEY: &str = "maEmulatorDemoSecretKey0000000000000001";
    pub const PROJECT_ID: &str = "0123456789abcdef0123456789abcdef";
}

/// Who a request acts as.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Identity {
    pub project_id: String,
    pub user_id: String,
    pub user_name: String,
    pub domain_id: String,
    pub domain_name: String,
}

/// One entry of the credentials file: an AK/SK pair (optionally temporary) or an IAM token.
#[derive(Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CredentialSpec {
    #[serde(default)]
    pub access_key: Option<String>,
    #[serde(default)]
    pub secret_key: Option<String>,
    /// Set for temporary (STS) credentials: requests must carry it in `X-Security-Token`.
    #[serde(default)]
    pub security_token: Option<String>,
    /// An IAM token accepted in `X-Auth-Token` (instead of access_key/secret_key).
    #[serde(default)]
    pub iam_token: Option<String>,
    pub project_id: String,
    #[serde(default)]
    pub user_name: Option<String>,
    #[serde(default)]
    pub domain_name: Option<String>,
}

impl fmt::Debug for CredentialSpec {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("CredentialSpec")
            .field("access_key", &self.access_key)
            .field("project_id", &self.project_id)
            .finish_non_exhaustive()
    }
}

#[derive(Debug, thiserror::Error)]
pub enum CredentialError {
    #[error("cannot read credentials file {path}: {source}")]
    Read {
        path: String,
        source: std::io::Error,
    },
    #[error("credentials file {path} is not a JSON list of credentials: {source}")]
    Parse {
        path: String,
        source: serde_json::Error,
    },
    #[error("credential entry {index}: {why}")]
    Invalid { index: usize, why: String },
}

struct KeyEntry {
    secret_key: String,
    security_token: Option<String>,
    identity: Arc<Identity>,
}

/// Known credentials. Secrets never appear in Debug output.
#[derive(Default)]
pub struct Credentials {
    keys: HashMap<String, KeyEntry>,
    tokens: HashMap<String, Arc<Identity>>,
}

impl fmt::Debug for Credentials {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Credentials")
            .field("access_keys", &self.keys.keys().collect::<Vec<_>>())
            .field("iam_tokens", &self.tokens.len())
            .finish()
    }
}

impl Credentials {
    /// Only the demo AK/SK.
    pub fn demo() -> Self {
        let mut c = Self::default();
        c.add_key(
            demo::ACCESS_KEY,
            demo::SECRET_KEY,
            None,
            demo::PROJECT_ID,
            Some("demo-user"),
            Some("demo-account"),
        );
        c
    }

    pub fn add_key(
        &mut self,
        ak: &str,
        sk: &str,
        security_token: Option<&str>,
        project_id: &str,
        user_name: Option<&str>,
        domain_name: Option<&str>,
    ) {
        let identity = Arc::new(identity_for(ak, project_id, user_name, domain_name));
        self.keys.insert(
            ak.to_string(),
            KeyEntry {
                secret_key: sk.to_string(),
                security_token: security_token.map(str::to_string),
                identity,
            },
        );
    }

    pub fn add_token(
        &mut self,
        token: &str,
        project_id: &str,
        user_name: Option<&str>,
        domain_name: Option<&str>,
    ) {
        let identity = Arc::new(identity_for(token, project_id, user_name, domain_name));
        self.tokens.insert(token.to_string(), identity);
    }

    pub fn add_specs(&mut self, specs: &[CredentialSpec]) -> Result<(), CredentialError> {
        for (index, s) in specs.iter().enumerate() {
            let invalid = |why: &str| CredentialError::Invalid {
                index,
                why: why.to_string(),
            };
            if !is_project_id(&s.project_id) {
                return Err(invalid("project_id must be 32 lower-case hex characters"));
            }
            match (&s.access_key, &s.secret_key, &s.iam_token) {
                (Some(ak), Some(sk), None) if !ak.is_empty() && !sk.is_empty() => self.add_key(
                    ak,
                    sk,
                    s.security_token.as_deref(),
                    &s.project_id,
                    s.user_name.as_deref(),
                    s.domain_name.as_deref(),
                ),
                (None, None, Some(t)) if !t.is_empty() && s.security_token.is_none() => self
                    .add_token(
                        t,
                        &s.project_id,
                        s.user_name.as_deref(),
                        s.domain_name.as_deref(),
                    ),
                _ => {
                    return Err(invalid(
                        "give either access_key and secret_key, or iam_token",
                    ))
                }
            }
        }
        Ok(())
    }

    pub fn load_file(&mut self, path: &Path) -> Result<(), CredentialError> {
        let p = path.display().to_string();
        let text = std::fs::read_to_string(path).map_err(|source| CredentialError::Read {
            path: p.clone(),
            source,
        })?;
        let specs: Vec<CredentialSpec> = serde_json::from_str(&text)
            .map_err(|source| CredentialError::Parse { path: p, source })?;
        self.add_specs(&specs)
    }

    /// Authenticate a request as the gateway does; every failure is 401 APIGW.0301.
    pub fn authenticate(
        &self,
        req: &ReceivedRequest<'_>,
        now_ms: i64,
        max_skew_ms: Option<u64>,
    ) -> Result<Arc<Identity>, ApiError> {
        let scheme = signing::auth_scheme(req.headers).map_err(|e| match e {
            VerifyError::MissingCredentials => codes::no_credentials(),
            _ => codes::signature_failed(),
        })?;
        match scheme {
            AuthScheme::Token(t) => self.tokens.get(&t).cloned().ok_or_else(codes::bad_token),
            AuthScheme::Signature(parsed) => {
                let entry = self
                    .keys
                    .get(&parsed.access_key)
                    .ok_or_else(codes::unknown_ak)?;
                if let Some(expected) = &entry.security_token {
                    let got = req
                        .headers
                        .get(signing::HEADER_SECURITY_TOKEN)
                        .map(|v| v.as_bytes())
                        .unwrap_or_default();
                    if !ct_eq(got, expected.as_bytes()) {
                        return Err(codes::signature_failed());
                    }
                }
                let now =
                    time::OffsetDateTime::from_unix_timestamp_nanos(i128::from(now_ms) * 1_000_000)
                        .unwrap_or(time::OffsetDateTime::UNIX_EPOCH);
                let opts = VerifyOptions {
                    now,
                    max_skew: max_skew_ms.map(|ms| time::Duration::milliseconds(ms as i64)),
                };
                signing::verify(req, &parsed, &entry.secret_key, &opts)
                    .map_err(|_| codes::signature_failed())?;
                Ok(entry.identity.clone())
            }
        }
    }
}

fn ct_eq(a: &[u8], b: &[u8]) -> bool {
    a.len() == b.len() && a.iter().zip(b).fold(0u8, |acc, (x, y)| acc | (x ^ y)) == 0
}

pub fn is_project_id(s: &str) -> bool {
    s.len() == 32
        && s.bytes()
            .all(|b| b.is_ascii_digit() || (b'a'..=b'f').contains(&b))
}

/// Stable user and account ids derived from the key, so responses look like a real IAM user.
fn identity_for(
    key: &str,
    project_id: &str,
    user_name: Option<&str>,
    domain_name: Option<&str>,
) -> Identity {
    use sha2::{Digest, Sha256};
    let user_id = hex::encode(&Sha256::digest(format!("user:{key}").as_bytes())[..16]);
    let domain_id = hex::encode(&Sha256::digest(format!("domain:{project_id}").as_bytes())[..16]);
    Identity {
        project_id: project_id.to_string(),
        user_id,
        user_name: user_name.unwrap_or("emulator-user").to_string(),
        domain_id,
        domain_name: domain_name.unwrap_or("emulator-account").to_string(),
    }
}
