//! Test bed for the data sources: an in-process emulator, the provider's `ProviderServer` configured
//! against it, and helpers that validate and read a data source the way Terraform does (encoded config in,
//! encoded state out, through the server's schema checks).

use crate::api::{NotebookCreateRequest, NotebookResp, VolumeMountRequest};
use crate::client::{Client, ClientConfig, Credentials};
use crate::emulator::{catalog, demo, Emulator, EmulatorHandle};
use crate::provider::{ModelArtsProvider, ProviderConfig};
use crate::tf::codec::{decode_dynamic, encode_dynamic};
use crate::tf::protocol::{self, ProviderService};
use crate::tf::{AttributePath, Provider, ProviderServer, Schema, Value};

pub const CPU_IMAGE: &str = "pytorch1.8-cuda10.2-cudnn7-ubuntu18.04";
pub const ARM_IMAGE: &str = "conda3-aarch64-euler2.8.3";

pub struct Env {
    pub emulator: EmulatorHandle,
    pub server: ProviderServer<ModelArtsProvider>,
    pub client: Client,
}

pub fn image_id(name: &str) -> String {
    catalog::image_by_name(name)
        .map(|i| i.id.clone())
        .unwrap_or_else(|| panic!("no catalog image {name}"))
}

fn schema_of(type_name: &str) -> Schema {
    crate::data_sources::all::<ProviderConfig>()
        .into_iter()
        .find(|d| d.type_name() == type_name)
        .map(|d| d.schema())
        .unwrap_or_else(|| panic!("no data source {type_name}"))
}

/// `summary: detail` of each error.
pub fn errors(diags: &[protocol::Diagnostic]) -> Vec<String> {
    diags
        .iter()
        .filter(|d| d.severity == protocol::Severity::Error)
        .map(|d| format!("{}: {}", d.summary, d.detail))
        .collect()
}

impl Env {
    pub async fn start() -> Env {
        let emulator = Emulator::builder().transition_ms(0).start().await.unwrap();
        let provider = ModelArtsProvider::with_env(|_| None);
        let pty = provider.schema().value_type();
        let mut config = provider.schema().block.empty_value();
        for (k, v) in [
            ("region", Value::from("cn-north-4")),
            ("project_id", Value::from(demo::PROJECT_ID)),
            ("access_key", Value::from(demo::ACCESS_KEY)),
            ("secret_key", Value::from(demo::SECRET_KEY)),
            (
                "endpoints",
                Value::map([("modelarts", Value::from(emulator.base_url.as_str()))]),
            ),
        ] {
            config.set_attr(k, v);
        }
        let server = ProviderServer::new(provider);
        let d = server
            .configure("1.0.3", Some(encode_dynamic(&config, &pty).unwrap()))
            .await;
        assert!(errors(&d).is_empty(), "{d:?}");
        let mut cc = ClientConfig::new(
            "cn-north-4",
            demo::PROJECT_ID,
            Credentials::AkSk {
                ak: demo::ACCESS_KEY.into(),
                sk: demo::SECRET_KEY.into(),
                security_token: None,
            },
        );
        cc.endpoint = Some(emulator.base_url.clone());
        let client = Client::new(cc).unwrap();
        Env {
            emulator,
            server,
            client,
        }
    }

    fn config(type_name: &str, attrs: &[(&str, Value)]) -> (Schema, Value) {
        let schema = schema_of(type_name);
        let mut config = schema.block.empty_value();
        for (k, v) in attrs {
            assert!(
                schema.block.get_attribute(k).is_some(),
                "{type_name} has no attribute {k}"
            );
            config.set_attr(*k, v.clone());
        }
        (schema, config)
    }

    /// ValidateDataSourceConfig.
    pub async fn validate(
        &self,
        type_name: &str,
        attrs: &[(&str, Value)],
    ) -> Vec<protocol::Diagnostic> {
        let (schema, config) = Self::config(type_name, attrs);
        let dv = encode_dynamic(&config, &schema.value_type()).unwrap();
        self.server
            .validate_data_source_config(type_name, Some(dv))
            .await
    }

    /// ValidateDataSourceConfig, then ReadDataSource as Terraform calls them: the state, or every
    /// diagnostic when there is an error.
    pub async fn read(
        &self,
        type_name: &str,
        attrs: &[(&str, Value)],
    ) -> Result<Value, Vec<protocol::Diagnostic>> {
        let v = self.validate(type_name, attrs).await;
        if !errors(&v).is_empty() {
            return Err(v);
        }
        let (schema, config) = Self::config(type_name, attrs);
        let ty = schema.value_type();
        let dv = encode_dynamic(&config, &ty).unwrap();
        let r = self
            .server
            .read_data_source(type_name, Some(dv), None)
            .await;
        if !errors(&r.diagnostics).is_empty() {
            return Err(r.diagnostics);
        }
        assert!(r.diagnostics.is_empty(), "{:?}", r.diagnostics);
        Ok(decode_dynamic(r.state.as_ref(), &ty).unwrap())
    }

    /// The read must succeed.
    pub async fn ok(&self, type_name: &str, attrs: &[(&str, Value)]) -> Value {
        match self.read(type_name, attrs).await {
            Ok(v) => v,
            Err(d) => panic!("reading {type_name} failed: {:#?}", errors(&d)),
        }
    }

    /// The read must fail; returns the error texts.
    pub async fn fails(
        &self,
        type_name: &str,
        attrs: &[(&str, Value)],
    ) -> Vec<protocol::Diagnostic> {
        match self.read(type_name, attrs).await {
            Ok(v) => panic!("reading {type_name} succeeded: {v}"),
            Err(d) => d,
        }
    }

    /// Creates a notebook straight through the API.
    pub async fn create(&self, name: &str, flavor: &str, image: &str) -> NotebookResp {
        self.create_with(NotebookCreateRequest {
            name: name.into(),
            image_id: image_id(image),
            flavor: Some(flavor.into()),
            volume: VolumeMountRequest {
                category: "EVS".into(),
                ownership: "MANAGED".into(),
                capacity: Some(5),
                ..Default::default()
            },
            ..Default::default()
        })
        .await
    }

    pub async fn create_with(&self, req: NotebookCreateRequest) -> NotebookResp {
        self.client.create_notebook(&req).await.unwrap()
    }
}

/// Strings of a list attribute.
pub fn strings(v: &Value) -> Vec<String> {
    v.as_string_vec().unwrap_or_default()
}

/// The `key` attribute of every element of list attribute `list`.
pub fn column(state: &Value, list: &str, key: &str) -> Vec<String> {
    state
        .get_attr(list)
        .elements()
        .iter()
        .map(|e| e.get_attr(key).as_str().unwrap_or("<null>").to_string())
        .collect()
}

/// A diagnostic path on a top-level attribute, as the server reports it.
pub fn at(name: &str) -> Option<protocol::AttributePath> {
    Some(AttributePath::root(name).to_protocol())
}
