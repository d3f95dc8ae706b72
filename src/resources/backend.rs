//! How resources (and data sources) reach the ModelArts API from the configured provider: one signed client
//! per provider configuration, built on first use and shared by every later operation.

use std::sync::{Mutex, PoisonError};

use super::client_log::client_logger;
use crate::client::{Client, ClientConfig, ClientError, Credentials as ClientCredentials};
use crate::provider::{Credentials, ProviderConfig};

/// What resource code needs from the configured provider.
pub trait Backend: Send + Sync + 'static {
    /// The API client (cheap to clone: it shares one connection pool).
    fn client(&self) -> Result<Client, ClientError>;
    /// The provider-wide `enable_force_new`, the default of the notebook's attribute.
    fn enable_force_new(&self) -> bool;
}

/// The client settings of a provider configuration.
pub fn client_config(p: &ProviderConfig) -> ClientConfig {
    let credentials = match &p.credentials {
        Credentials::AkSk {
            access_key,
            secret_key,
            security_token,
        } => ClientCredentials::AkSk {
            ak: access_key.clone(),
            sk: secret_key.expose().to_string(),
            security_token: security_token.as_ref().map(|t| t.expose().to_string()),
        },
        Credentials::Token(t) => ClientCredentials::Token(t.expose().to_string()),
    };
    let mut cfg = ClientConfig::new(p.region.clone(), p.project_id.clone(), credentials);
    cfg.cloud = p.cloud.clone();
    cfg.endpoint = p.endpoints.get("modelarts").map(|u| u.to_string());
    cfg.insecure = p.insecure;
    cfg.max_retries = p.max_retries;
    cfg.user_agent = format!("{} terraform/{}", cfg.user_agent, p.terraform_version);
    cfg
}

/// Terraform runs one provider process per provider configuration, so this holds one entry in practice; tests
/// that configure several providers in one process get one client each.
static CLIENTS: Mutex<Vec<(ProviderConfig, Client)>> = Mutex::new(Vec::new());

impl Backend for ProviderConfig {
    fn client(&self) -> Result<Client, ClientError> {
        // A panic elsewhere while holding the lock leaves the list intact, so a poisoned lock is still usable.
        let mut clients = CLIENTS.lock().unwrap_or_else(PoisonError::into_inner);
        if let Some((_, c)) = clients.iter().find(|(p, _)| p == self) {
            return Ok(c.clone());
        }
        // The logger follows TF_LOG/TF_LOG_PROVIDER: client lines become provider lines, or nothing at all.
        let client = Client::with_logger(client_config(self), client_logger())?;
        clients.push((self.clone(), client.clone()));
        Ok(client)
    }

    fn enable_force_new(&self) -> bool {
        self.enable_force_new
    }
}

#[cfg(test)]
mod tests {
    use std::collections::BTreeMap;

    use super::*;
    use crate::provider::Secret;

    fn config(endpoint: &str) -> ProviderConfig {
        ProviderConfig {
            region: "cn-north-4".into(),
            project_id: "0123456789abcdef0123456789abcdef".into(),
            credentials: Credentials::AkSk {
                access_key: "AK".into(),
                secret_key: Secret::new("SK"),
                security_token: Some(Secret::new("ST")),
            },
            cloud: "example.com".into(),
            endpoints: BTreeMap::from([(
                "modelarts".to_string(),
                url::Url::parse(endpoint).unwrap(),
            )]),
            insecure: true,
            max_retries: 2,
            enable_force_new: true,
            terraform_version: "1.0.3".into(),
        }
    }

    #[test]
    fn maps_every_setting() {
        let c = client_config(&config("http://127.0.0.1:9/"));
        assert_eq!(c.region, "cn-north-4");
        assert_eq!(c.cloud, "example.com");
        assert_eq!(c.endpoint.as_deref(), Some("http://127.0.0.1:9/"));
        assert!(c.insecure);
        assert_eq!(c.max_retries, 2);
        assert!(c.user_agent.ends_with("terraform/1.0.3"));
        assert_eq!(
            c.credentials,
            ClientCredentials::AkSk {
                ak: "AK".into(),
                sk: "SK".into(),
                security_token: Some("ST".into())
            }
        );
    }

    #[test]
    fn one_client_per_configuration() {
        let a = config("http://127.0.0.1:9/");
        let first = a.client().unwrap();
        let again = a.client().unwrap();
        assert_eq!(first.config().endpoint, again.config().endpoint);
        let len = CLIENTS
            .lock()
            .unwrap()
            .iter()
            .filter(|(p, _)| p == &a)
            .count();
        assert_eq!(len, 1);
        assert!(Backend::enable_force_new(&a));
    }
}
