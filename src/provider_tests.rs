//! Tests of the ModelArts provider configuration.

use std::collections::HashMap;

use super::*;
use crate::tf::codec::encode_dynamic;
use crate::tf::protocol;

fn provider(env: &[(&str, &str)]) -> ModelArtsProvider {
    let env: HashMap<String, String> = env
        .iter()
        .map(|(k, v)| (k.to_string(), v.to_string()))
        .collect();
    ModelArtsProvider::with_env(move |k| env.get(k).cloned())
}

fn config(pairs: &[(&str, Value)]) -> Value {
    let mut v = Value::object(
        provider_schema()
            .block
            .attributes
            .iter()
            .map(|a| (a.name.clone(), Value::Null)),
    );
    for (k, x) in pairs {
        v.set_attr(*k, x.clone());
    }
    v
}

fn base() -> Vec<(&'static str, Value)> {
    vec![
        ("region", "cn-north-4".into()),
        ("project_id", "p-1".into()),
    ]
}

async fn configure(
    p: &ModelArtsProvider,
    pairs: &[(&str, Value)],
) -> (Option<ProviderConfig>, Diagnostics) {
    let mut diags = Diagnostics::new();
    let c = p.configure(&config(pairs), "1.0.3", &mut diags).await;
    (c, diags)
}

fn with(extra: &[(&'static str, Value)]) -> Vec<(&'static str, Value)> {
    let mut v = base();
    v.extend(extra.iter().cloned());
    v
}

#[tokio::test]
async fn aksk_config_resolves_with_defaults() {
    let (c, d) = configure(
        &provider(&[]),
        &with(&[("access_key", "AK".into()), ("secret_key", "SK".into())]),
    )
    .await;
    assert!(d.is_empty(), "{d}");
    let c = c.unwrap();
    assert_eq!(c.region, "cn-north-4");
    assert_eq!(c.cloud, DEFAULT_CLOUD);
    assert_eq!(c.max_retries, DEFAULT_MAX_RETRIES);
    assert!(!c.insecure && !c.enable_force_new);
    assert_eq!(c.terraform_version, "1.0.3");
    assert_eq!(
        c.credentials,
        Credentials::AkSk {
            access_key: "AK".into(),
            secret_key: Secret::new("SK"),
            security_token: None
        }
    );
    assert_eq!(
        c.endpoint("modelarts").unwrap().as_str(),
        "https://modelarts.cn-north-4.myhuaweicloud.com/"
    );
}

#[tokio::test]
async fn everything_falls_back_to_the_environment() {
    let p = provider(&[
        ("HW_REGION_NAME", "ap-southeast-1"),
        ("HW_PROJECT_ID", "p-env"),
        ("HW_AUTH_TOKEN", "tok"),
        ("HW_CLOUD", "example.com"),
        ("HW_INSECURE", "true"),
        ("HW_MAX_RETRIES", "2"),
        ("HW_ENABLE_FORCE_NEW", "1"),
    ]);
    let (c, d) = configure(&p, &[]).await;
    let c = c.unwrap_or_else(|| panic!("{d}"));
    assert_eq!(
        (c.region.as_str(), c.project_id.as_str(), c.cloud.as_str()),
        ("ap-southeast-1", "p-env", "example.com")
    );
    assert_eq!(c.credentials, Credentials::Token(Secret::new("tok")));
    assert!(c.insecure && c.enable_force_new);
    assert_eq!(c.max_retries, 2);
    assert_eq!(d.len(), 1, "only the insecure warning: {d}");
    assert!(!d.has_errors());
    // Config wins over the environment.
    let (c, _) = configure(
        &p,
        &[
            ("region", "cn-east-3".into()),
            ("max_retries", 0.into()),
            ("insecure", false.into()),
        ],
    )
    .await;
    let c = c.unwrap();
    assert_eq!(c.region, "cn-east-3");
    assert_eq!(c.max_retries, 0);
    assert!(!c.insecure);
}

#[tokio::test]
async fn temporary_aksk_with_security_token() {
    let p = provider(&[
        ("HW_ACCESS_KEY", "AK"),
        ("HW_SECRET_KEY", "SK"),
        ("HW_SECURITY_TOKEN", "ST"),
    ]);
    let (c, d) = configure(&p, &base()).await;
    assert!(d.is_empty(), "{d}");
    assert!(
        matches!(c.unwrap().credentials, Credentials::AkSk { security_token: Some(t), .. } if t.expose() == "ST")
    );
}

async fn error_of(
    env: &[(&str, &str)],
    pairs: &[(&'static str, Value)],
) -> (String, String, Option<AttributePath>) {
    let (c, d) = configure(&provider(env), pairs).await;
    assert!(c.is_none());
    let e = d
        .errors()
        .next()
        .cloned()
        .unwrap_or_else(|| panic!("no error: {d}"));
    (e.summary, e.detail, e.path)
}

#[tokio::test]
async fn missing_settings_name_attribute_and_env_var() {
    let (s, detail, _) = error_of(&[("HW_AUTH_TOKEN", "t")], &[("project_id", "p".into())]).await;
    assert_eq!(s, "Missing region");
    assert!(
        detail.contains("`region`") && detail.contains("`HW_REGION_NAME`"),
        "{detail}"
    );
    let (s, detail, _) = error_of(&[("HW_AUTH_TOKEN", "t")], &[("region", "r".into())]).await;
    assert_eq!(s, "Missing project_id");
    assert!(detail.contains("`HW_PROJECT_ID`"));
    let (s, detail, _) = error_of(&[], &base()).await;
    assert_eq!(s, "Missing credentials");
    assert!(detail.contains("`HW_ACCESS_KEY`") && detail.contains("`HW_AUTH_TOKEN`"));
}

#[tokio::test]
async fn conflicting_or_incomplete_credentials() {
    let (s, _, path) = error_of(&[], &with(&[("access_key", "AK".into())])).await;
    assert_eq!(s, "Incomplete credentials");
    assert_eq!(path, Some(AttributePath::root("access_key")));
    let (s, d, _) = error_of(&[("HW_SECRET_KEY", "SK")], &base()).await;
    assert_eq!(s, "Incomplete credentials");
    assert!(d.contains("HW_ACCESS_KEY"));
    let (s, _, path) = error_of(
        &[],
        &with(&[
            ("access_key", "AK".into()),
            ("secret_key", "SK".into()),
            ("auth_token", "T".into()),
        ]),
    )
    .await;
    assert_eq!(s, "Conflicting credentials");
    assert_eq!(path, Some(AttributePath::root("auth_token")));
    let (s, d, _) = error_of(&[("HW_SECURITY_TOKEN", "ST")], &base()).await;
    assert_eq!(s, "Incomplete credentials");
    assert!(d.contains("security_token"));
    let (s, _, _) = error_of(
        &[("HW_SECURITY_TOKEN", "ST"), ("HW_AUTH_TOKEN", "T")],
        &base(),
    )
    .await;
    assert_eq!(s, "Conflicting credentials");
}

#[tokio::test]
async fn bad_endpoint_retries_and_booleans() {
    let creds = [("HW_AUTH_TOKEN", "t")];
    let (s, _, path) = error_of(
        &creds,
        &with(&[(
            "endpoints",
            Value::map([("modelarts", Value::from("ftp://x"))]),
        )]),
    )
    .await;
    assert_eq!(s, "Invalid endpoint");
    assert_eq!(
        path,
        Some(AttributePath::root("endpoints").key("modelarts"))
    );
    let (s, _, _) = error_of(
        &creds,
        &with(&[(
            "endpoints",
            Value::map([("modelarts", Value::from("not a url"))]),
        )]),
    )
    .await;
    assert_eq!(s, "Invalid endpoint");
    let (s, d, path) = error_of(&creds, &with(&[("max_retries", Value::from(-1))])).await;
    assert_eq!(s, "Invalid max_retries");
    assert!(
        d.contains("`max_retries`") && d.contains("`HW_MAX_RETRIES`"),
        "{d}"
    );
    assert_eq!(path, Some(AttributePath::root("max_retries")));
    let (s, _, path) = error_of(&[("HW_AUTH_TOKEN", "t"), ("HW_MAX_RETRIES", "-3")], &base()).await;
    assert_eq!(s, "Invalid max_retries");
    assert_eq!(path, None);
    let (s, _, _) = error_of(&[("HW_AUTH_TOKEN", "t"), ("HW_INSECURE", "maybe")], &base()).await;
    assert_eq!(s, "Invalid HW_INSECURE");
    let (c, d) = configure(
        &provider(&creds),
        &with(&[(
            "endpoints",
            Value::map([("modelarts", Value::from("http://127.0.0.1:8080"))]),
        )]),
    )
    .await;
    assert!(d.is_empty());
    assert_eq!(
        c.unwrap().endpoint("modelarts").unwrap().as_str(),
        "http://127.0.0.1:8080/"
    );
}

#[test]
fn debug_output_redacts_secrets() {
    let c = ProviderConfig {
        region: "r".into(),
        project_id: "p".into(),
        credentials: Credentials::AkSk {
            access_key: "AK".into(),
            secret_key: Secret::new("very-secret-sk"),
            security_token: Some(Secret::new("very-secret-st")),
        },
        cloud: DEFAULT_CLOUD.into(),
        endpoints: BTreeMap::new(),
        insecure: false,
        max_retries: 5,
        enable_force_new: false,
        terraform_version: String::new(),
    };
    let shown = format!("{c:?}");
    assert!(!shown.contains("very-secret"), "{shown}");
    let token = format!("{:?}", Credentials::Token(Secret::new("very-secret-token")));
    assert!(!token.contains("very-secret"));
}

#[tokio::test]
async fn schema_is_valid_and_secrets_are_sensitive() {
    let server = ProviderServer::new(provider(&[]));
    assert!(
        server.schema_diagnostics().is_empty(),
        "{}",
        server.schema_diagnostics()
    );
    let schema = server.get_schema().await;
    let block = schema.provider.unwrap().block;
    for name in ["secret_key", "security_token", "auth_token"] {
        let a = block.attributes.iter().find(|a| a.name == name).unwrap();
        assert!(a.sensitive, "{name}");
    }
    for a in &block.attributes {
        assert!(a.optional && !a.required && !a.computed, "{}", a.name);
        assert!(!a.description.is_empty(), "{}", a.name);
    }
}

#[tokio::test]
async fn validation_flags_bad_endpoints_before_configure() {
    let server = ProviderServer::new(provider(&[]));
    let ty = provider_schema().value_type();
    let bad = config(&[(
        "endpoints",
        Value::map([("modelarts", Value::from("localhost:8080"))]),
    )]);
    let r = server
        .prepare_provider_config(Some(encode_dynamic(&bad, &ty).unwrap()))
        .await;
    assert_eq!(r.diagnostics.len(), 1);
    assert_eq!(r.diagnostics[0].severity, protocol::Severity::Error);
    let unknown = config(&[
        ("endpoints", Value::Unknown),
        ("max_retries", Value::Unknown),
    ]);
    let r = server
        .prepare_provider_config(Some(encode_dynamic(&unknown, &ty).unwrap()))
        .await;
    assert!(r.diagnostics.is_empty());
}

#[tokio::test]
async fn service_builds_the_server() {
    let s = service();
    let schema = s.get_schema().await;
    assert!(schema.diagnostics.is_empty());
    assert!(schema.provider.is_some());
}
