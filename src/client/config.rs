//! Client configuration: endpoint, project, credentials and the retry and polling knobs.

use std::fmt;
use std::net::IpAddr;
use std::time::Duration;

use url::Url;

use super::error::ClientError;

/// How requests authenticate.
#[derive(Clone, PartialEq, Eq)]
pub enum Credentials {
    /// AK/SK, signed with SDK-HMAC-SHA256. `security_token` is set for temporary (STS) credentials.
    AkSk {
        ak: String,
        sk: String,
        security_token: Option<String>,
    },
    /// An IAM user token, sent as `X-Auth-Token` instead of a signature.
    Token(String),
}

impl fmt::Debug for Credentials {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Credentials::AkSk {
                ak, security_token, ..
            } => f
                .debug_struct("AkSk")
                .field("ak", ak)
                .field("sk", &"<redacted>")
                .field(
                    "security_token",
                    &security_token.as_ref().map(|_| "<redacted>"),
                )
                .finish(),
            Credentials::Token(_) => f.write_str("Token(<redacted>)"),
        }
    }
}

/// Backoff of retried requests: full jitter over `min(max_delay, base_delay * 2^attempt)`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RetrySettings {
    pub base_delay: Duration,
    pub max_delay: Duration,
    /// Upper bound applied to a server's `Retry-After`.
    pub max_retry_after: Duration,
    /// Full jitter on (the default); off makes delays deterministic for tests.
    pub jitter: bool,
}

impl Default for RetrySettings {
    fn default() -> Self {
        RetrySettings {
            base_delay: Duration::from_millis(500),
            max_delay: Duration::from_secs(30),
            max_retry_after: Duration::from_secs(120),
            jitter: true,
        }
    }
}

/// Polling of waiters: the first poll after `initial`, then doubling up to `max`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PollSettings {
    pub initial: Duration,
    pub max: Duration,
}

impl Default for PollSettings {
    fn default() -> Self {
        PollSettings {
            initial: Duration::from_secs(1),
            max: Duration::from_secs(10),
        }
    }
}

/// Everything a [`super::Client`] needs. Build with [`ClientConfig::new`] and adjust the public fields.
#[derive(Debug, Clone)]
pub struct ClientConfig {
    pub region: String,
    /// Domain suffix of the default endpoint, e.g. `myhuaweicloud.com`.
    pub cloud: String,
    /// `endpoints.modelarts` override, e.g. `http://127.0.0.1:18080`. `http` is allowed for loopback hosts only.
    pub endpoint: Option<String>,
    pub project_id: String,
    pub credentials: Credentials,
    /// Disables TLS certificate verification. Off by default.
    pub insecure: bool,
    /// Retries after the first attempt; default 5.
    pub max_retries: u32,
    pub user_agent: String,
    /// `X-Language` (e.g. `en-us`), when set.
    pub language: Option<String>,
    /// Timeout of one HTTP attempt, connect included.
    pub request_timeout: Duration,
    pub connect_timeout: Duration,
    pub retry: RetrySettings,
    pub poll: PollSettings,
    /// Allowed clock difference when matching an ambiguous create by `create_at`.
    pub create_reconcile_skew: Duration,
}

pub const DEFAULT_CLOUD: &str = "myhuaweicloud.com";

impl ClientConfig {
    pub fn new(
        region: impl Into<String>,
        project_id: impl Into<String>,
        credentials: Credentials,
    ) -> Self {
        ClientConfig {
            region: region.into(),
            cloud: DEFAULT_CLOUD.to_string(),
            endpoint: None,
            project_id: project_id.into(),
            credentials,
            insecure: false,
            max_retries: 5,
            user_agent: concat!("terraform-provider-modelarts/", env!("CARGO_PKG_VERSION"))
                .to_string(),
            language: None,
            request_timeout: Duration::from_secs(60),
            connect_timeout: Duration::from_secs(10),
            retry: RetrySettings::default(),
            poll: PollSettings::default(),
            create_reconcile_skew: Duration::from_secs(300),
        }
    }

    /// The endpoint in effect: the override, or `https://modelarts.{region}.{cloud}`. Rejects plain `http` to a
    /// non-loopback host, since credentials and notebook tokens would cross the network in clear text.
    pub fn base_url(&self) -> Result<Url, ClientError> {
        let raw = match &self.endpoint {
            Some(e) if !e.trim().is_empty() => e.trim().to_string(),
            _ => {
                if self.region.trim().is_empty() {
                    return Err(ClientError::Config(
                        "region is required to build the ModelArts endpoint".into(),
                    ));
                }
                format!(
                    "https://modelarts.{}.{}",
                    self.region.trim(),
                    self.cloud.trim()
                )
            }
        };
        let url = Url::parse(&raw)
            .map_err(|e| ClientError::Config(format!("invalid ModelArts endpoint {raw:?}: {e}")))?;
        let host = url.host_str().ok_or_else(|| {
            ClientError::Config(format!("ModelArts endpoint {raw:?} has no host"))
        })?;
        match url.scheme() {
            "https" => {}
            "http" if is_loopback(host) => {}
            "http" => {
                return Err(ClientError::Config(format!(
                    "ModelArts endpoint {raw:?} uses http to a non-loopback host; use https"
                )))
            }
            other => {
                return Err(ClientError::Config(format!(
                    "ModelArts endpoint {raw:?} has unsupported scheme {other:?}"
                )))
            }
        }
        if url.query().is_some() || url.fragment().is_some() {
            return Err(ClientError::Config(format!(
                "ModelArts endpoint {raw:?} must not carry a query or fragment"
            )));
        }
        if self.project_id.trim().is_empty() {
            return Err(ClientError::Config("project_id is required".into()));
        }
        Ok(url)
    }
}

pub(crate) fn is_loopback(host: &str) -> bool {
    let bare = host.trim_start_matches('[').trim_end_matches(']');
    if bare.eq_ignore_ascii_case("localhost") {
        return true;
    }
    bare.parse::<IpAddr>()
        .map(|ip| ip.is_loopback())
        .unwrap_or(false)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn cfg(endpoint: Option<&str>) -> ClientConfig {
        let mut c = ClientConfig::new(
            "cn-north-4",
            "0123456789abcdef0123456789abcdef",
            Credentials::AkSk {
                ak: "AK".into(),
                sk: "SECRETSK".into(),
                security_token: Some("STSTOKEN".into()),
            },
        );
        c.endpoint = endpoint.map(str::to_string);
        c
    }

    #[test]
    fn default_endpoint_from_region_and_cloud() {
        assert_eq!(
            cfg(None).base_url().unwrap().as_str(),
            "https://modelarts.cn-north-4.myhuaweicloud.com/"
        );
        let mut c = cfg(None);
        c.cloud = "example.eu".into();
        assert_eq!(
            c.base_url().unwrap().host_str(),
            Some("modelarts.cn-north-4.example.eu")
        );
    }

    #[test]
    fn http_only_for_loopback() {
        for ok in [
            "http://127.0.0.1:18080",
            "http://localhost:1",
            "http://[::1]:8080",
            "https://x.example.com",
        ] {
            assert!(cfg(Some(ok)).base_url().is_ok(), "{ok}");
        }
        for bad in [
            "http://10.0.0.1:80",
            "http://modelarts.example.com",
            "ftp://127.0.0.1",
            "not a url",
        ] {
            assert!(
                matches!(cfg(Some(bad)).base_url(), Err(ClientError::Config(_))),
                "{bad}"
            );
        }
    }

    #[test]
    fn debug_redacts_secrets() {
        let dbg = format!("{:?}", cfg(None));
        assert!(
            !dbg.contains("SECRETSK") && !dbg.contains("STSTOKEN"),
            "{dbg}"
        );
        assert!(dbg.contains("\"AK\""));
        let t = format!("{:?}", Credentials::Token("IAMTOKEN".into()));
        assert!(!t.contains("IAMTOKEN"));
    }
}
