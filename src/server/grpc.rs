//! The tfplugin5 `Provider` gRPC service: converts each request, calls the `ProviderService`, converts back.
//!
//! Every call runs under `catch_unwind`, so a bug that panics becomes an ERROR diagnostic for that one operation
//! instead of a dead plugin (which Terraform would report as "Plugin did not respond" with no detail).

use std::future::Future;
use std::panic::AssertUnwindSafe;
use std::sync::Arc;
use std::time::Instant;

use futures::FutureExt;
use tonic::{Request, Response, Status};

use super::convert::*;
use super::proto::tfplugin5 as pb;
use crate::logging::display;
use crate::tf::protocol::{self as tf, ProviderService};

pub const PANIC_SUMMARY: &str = "Provider internal error";

pub struct ProviderGrpc {
    service: Arc<dyn ProviderService>,
}

impl ProviderGrpc {
    pub fn new(service: Arc<dyn ProviderService>) -> Self {
        ProviderGrpc { service }
    }
}

/// The text of a panic payload (`panic!` with a literal gives `&str`, with formatting `String`).
pub fn panic_text(payload: &(dyn std::any::Any + Send)) -> String {
    if let Some(s) = payload.downcast_ref::<&str>() {
        (*s).to_owned()
    } else if let Some(s) = payload.downcast_ref::<String>() {
        s.clone()
    } else {
        "panic with a non-string payload".to_owned()
    }
}

pub fn panic_diagnostic(rpc: &str, text: &str) -> tf::Diagnostic {
    tf::Diagnostic {
        severity: tf::Severity::Error,
        summary: PANIC_SUMMARY.to_owned(),
        detail: format!(
            "terraform-provider-modelarts panicked while handling {rpc}: {text}\n\n\
             This is a bug in the provider. Please report it, including the Terraform output with TF_LOG=trace."
        ),
        attribute: None,
    }
}

/// Runs one RPC: trace logging around it, and a panic turned into `on_panic(diagnostic)`.
async fn guarded<T>(
    rpc: &'static str,
    type_name: &str,
    call: impl Future<Output = T>,
    on_panic: impl FnOnce(tf::Diagnostic) -> T,
) -> Result<Response<T>, Status> {
    let started = Instant::now();
    let type_name = (!type_name.is_empty()).then_some(type_name);
    crate::log_trace!(module: "grpc", "received request", rpc = rpc, type_name = type_name);
    let out = match AssertUnwindSafe(call).catch_unwind().await {
        Ok(out) => out,
        Err(payload) => {
            let text = panic_text(payload.as_ref());
            crate::log_error!(module: "grpc", "request panicked", rpc = rpc, panic = text);
            on_panic(panic_diagnostic(rpc, &text))
        }
    };
    crate::log_trace!(
        module: "grpc",
        "served request",
        rpc = rpc,
        type_name = type_name,
        duration_ms = started.elapsed(),
    );
    Ok(Response::new(out))
}

fn diags(d: tf::Diagnostic) -> Vec<pb::Diagnostic> {
    vec![diagnostic_out(d)]
}

#[tonic::async_trait]
impl pb::provider_server::Provider for ProviderGrpc {
    async fn get_schema(
        &self,
        _request: Request<pb::get_provider_schema::Request>,
    ) -> Result<Response<pb::get_provider_schema::Response>, Status> {
        let svc = &self.service;
        guarded(
            "GetSchema",
            "",
            async { get_schema_out(svc.get_schema().await) },
            |d| pb::get_provider_schema::Response {
                provider: Some(pb::Schema {
                    version: 0,
                    block: Some(pb::schema::Block::default()),
                }),
                diagnostics: diags(d),
                ..Default::default()
            },
        )
        .await
    }

    async fn prepare_provider_config(
        &self,
        request: Request<pb::prepare_provider_config::Request>,
    ) -> Result<Response<pb::prepare_provider_config::Response>, Status> {
        let r = request.into_inner();
        let svc = &self.service;
        let call = async {
            let out = svc
                .prepare_provider_config(dynamic_value_in(r.config))
                .await;
            pb::prepare_provider_config::Response {
                prepared_config: dynamic_value_out(out.prepared_config),
                diagnostics: diagnostics_out(out.diagnostics),
            }
        };
        guarded("PrepareProviderConfig", "", call, |d| {
            pb::prepare_provider_config::Response {
                prepared_config: None,
                diagnostics: diags(d),
            }
        })
        .await
    }

    async fn validate_resource_type_config(
        &self,
        request: Request<pb::validate_resource_type_config::Request>,
    ) -> Result<Response<pb::validate_resource_type_config::Response>, Status> {
        let r = request.into_inner();
        let svc = &self.service;
        let call = async {
            let out = svc
                .validate_resource_type_config(&r.type_name, dynamic_value_in(r.config))
                .await;
            pb::validate_resource_type_config::Response {
                diagnostics: diagnostics_out(out),
            }
        };
        guarded("ValidateResourceTypeConfig", &r.type_name, call, |d| {
            pb::validate_resource_type_config::Response {
                diagnostics: diags(d),
            }
        })
        .await
    }

    async fn validate_data_source_config(
        &self,
        request: Request<pb::validate_data_source_config::Request>,
    ) -> Result<Response<pb::validate_data_source_config::Response>, Status> {
        let r = request.into_inner();
        let svc = &self.service;
        let call = async {
            let out = svc
                .validate_data_source_config(&r.type_name, dynamic_value_in(r.config))
                .await;
            pb::validate_data_source_config::Response {
                diagnostics: diagnostics_out(out),
            }
        };
        guarded("ValidateDataSourceConfig", &r.type_name, call, |d| {
            pb::validate_data_source_config::Response {
                diagnostics: diags(d),
            }
        })
        .await
    }

    async fn upgrade_resource_state(
        &self,
        request: Request<pb::upgrade_resource_state::Request>,
    ) -> Result<Response<pb::upgrade_resource_state::Response>, Status> {
        let r = request.into_inner();
        let svc = &self.service;
        let call = async {
            let out = svc
                .upgrade_resource_state(&r.type_name, r.version, raw_state_in(r.raw_state))
                .await;
            pb::upgrade_resource_state::Response {
                upgraded_state: dynamic_value_out(out.upgraded_state),
                diagnostics: diagnostics_out(out.diagnostics),
            }
        };
        guarded("UpgradeResourceState", &r.type_name, call, |d| {
            pb::upgrade_resource_state::Response {
                upgraded_state: None,
                diagnostics: diags(d),
            }
        })
        .await
    }

    async fn configure(
        &self,
        request: Request<pb::configure::Request>,
    ) -> Result<Response<pb::configure::Response>, Status> {
        let r = request.into_inner();
        let svc = &self.service;
        let call = async {
            let out = svc
                .configure(&r.terraform_version, dynamic_value_in(r.config))
                .await;
            pb::configure::Response {
                diagnostics: diagnostics_out(out),
            }
        };
        guarded("Configure", "", call, |d| pb::configure::Response {
            diagnostics: diags(d),
        })
        .await
    }

    async fn read_resource(
        &self,
        request: Request<pb::read_resource::Request>,
    ) -> Result<Response<pb::read_resource::Response>, Status> {
        let r = request.into_inner();
        let type_name = r.type_name.clone();
        // On a panic, echo the prior state: returning null would tell Terraform the object is gone.
        let prior = r.current_state.clone();
        let prior_private = r.private.clone();
        let svc = &self.service;
        let call = async {
            let out = svc.read_resource(read_resource_in(r)).await;
            pb::read_resource::Response {
                new_state: dynamic_value_out(out.new_state),
                diagnostics: diagnostics_out(out.diagnostics),
                private: out.private,
            }
        };
        guarded("ReadResource", &type_name, call, |d| {
            pb::read_resource::Response {
                new_state: prior,
                diagnostics: diags(d),
                private: prior_private,
            }
        })
        .await
    }

    async fn plan_resource_change(
        &self,
        request: Request<pb::plan_resource_change::Request>,
    ) -> Result<Response<pb::plan_resource_change::Response>, Status> {
        let r = request.into_inner();
        let type_name = r.type_name.clone();
        let svc = &self.service;
        let call = async { plan_out(svc.plan_resource_change(plan_in(r)).await) };
        guarded("PlanResourceChange", &type_name, call, |d| {
            pb::plan_resource_change::Response {
                diagnostics: diags(d),
                ..Default::default()
            }
        })
        .await
    }

    async fn apply_resource_change(
        &self,
        request: Request<pb::apply_resource_change::Request>,
    ) -> Result<Response<pb::apply_resource_change::Response>, Status> {
        let r = request.into_inner();
        let type_name = r.type_name.clone();
        // On a panic, keep the prior state so an existing object is not forgotten; for a create it is null.
        let prior = r.prior_state.clone();
        let svc = &self.service;
        let call = async { apply_out(svc.apply_resource_change(apply_in(r)).await) };
        guarded("ApplyResourceChange", &type_name, call, |d| {
            pb::apply_resource_change::Response {
                new_state: prior,
                diagnostics: diags(d),
                ..Default::default()
            }
        })
        .await
    }

    async fn import_resource_state(
        &self,
        request: Request<pb::import_resource_state::Request>,
    ) -> Result<Response<pb::import_resource_state::Response>, Status> {
        let r = request.into_inner();
        let svc = &self.service;
        let call = async { import_out(svc.import_resource_state(&r.type_name, &r.id).await) };
        guarded("ImportResourceState", &r.type_name, call, |d| {
            pb::import_resource_state::Response {
                imported_resources: vec![],
                diagnostics: diags(d),
            }
        })
        .await
    }

    async fn read_data_source(
        &self,
        request: Request<pb::read_data_source::Request>,
    ) -> Result<Response<pb::read_data_source::Response>, Status> {
        let r = request.into_inner();
        let svc = &self.service;
        let call = async {
            let out = svc
                .read_data_source(
                    &r.type_name,
                    dynamic_value_in(r.config),
                    dynamic_value_in(r.provider_meta),
                )
                .await;
            pb::read_data_source::Response {
                state: dynamic_value_out(out.state),
                diagnostics: diagnostics_out(out.diagnostics),
            }
        };
        guarded("ReadDataSource", &r.type_name, call, |d| {
            pb::read_data_source::Response {
                state: None,
                diagnostics: diags(d),
            }
        })
        .await
    }

    async fn stop(
        &self,
        _request: Request<pb::stop::Request>,
    ) -> Result<Response<pb::stop::Response>, Status> {
        let svc = &self.service;
        let call = async {
            pb::stop::Response {
                error: svc.stop().await,
            }
        };
        guarded("Stop", "", call, |d| pb::stop::Response {
            error: format!("{}: {}", d.summary, d.detail),
        })
        .await
    }
}

/// Routes panics that escape `catch_unwind` (spawned tasks, the runtime) to the log instead of the default
/// printer, and always writes them: a panic must leave a trace even when TF_LOG is off.
pub fn install_panic_hook() {
    std::panic::set_hook(Box::new(|info| {
        let text = panic_text(info.payload());
        let location = info
            .location()
            .map(|l| format!("{}:{}", l.file(), l.line()))
            .unwrap_or_default();
        let backtrace = std::backtrace::Backtrace::capture();
        let backtrace = match backtrace.status() {
            std::backtrace::BacktraceStatus::Captured => Some(backtrace.to_string()),
            _ => None,
        };
        crate::logging::write_line(
            crate::logging::Level::Error,
            Some("panic"),
            &format!("panic: {text}"),
            &[
                ("location", &location),
                ("backtrace", &backtrace),
                ("thread", &display(thread_name())),
            ],
        );
    }));
}

fn thread_name() -> String {
    std::thread::current()
        .name()
        .unwrap_or("unnamed")
        .to_owned()
}

#[cfg(test)]
mod tests {
    use super::*;
    use pb::provider_server::Provider;

    struct Panicky;

    #[async_trait::async_trait]
    impl ProviderService for Panicky {
        async fn get_schema(&self) -> tf::GetSchemaResponse {
            panic!("schema exploded")
        }
        async fn prepare_provider_config(
            &self,
            _c: Option<tf::DynamicValue>,
        ) -> tf::PrepareProviderConfigResponse {
            tf::PrepareProviderConfigResponse::default()
        }
        async fn validate_resource_type_config(
            &self,
            t: &str,
            _c: Option<tf::DynamicValue>,
        ) -> Vec<tf::Diagnostic> {
            panic!("bad type {t}")
        }
        async fn validate_data_source_config(
            &self,
            _t: &str,
            _c: Option<tf::DynamicValue>,
        ) -> Vec<tf::Diagnostic> {
            vec![]
        }
        async fn upgrade_resource_state(
            &self,
            _t: &str,
            _v: i64,
            _r: tf::RawState,
        ) -> tf::UpgradeResourceStateResponse {
            tf::UpgradeResourceStateResponse::default()
        }
        async fn configure(&self, _v: &str, _c: Option<tf::DynamicValue>) -> Vec<tf::Diagnostic> {
            vec![]
        }
        async fn read_resource(&self, _r: tf::ReadResourceRequest) -> tf::ReadResourceResponse {
            panic!("read exploded")
        }
        async fn plan_resource_change(
            &self,
            _r: tf::PlanResourceChangeRequest,
        ) -> tf::PlanResourceChangeResponse {
            tf::PlanResourceChangeResponse::default()
        }
        async fn apply_resource_change(
            &self,
            _r: tf::ApplyResourceChangeRequest,
        ) -> tf::ApplyResourceChangeResponse {
            tf::ApplyResourceChangeResponse::default()
        }
        async fn import_resource_state(
            &self,
            _t: &str,
            _id: &str,
        ) -> tf::ImportResourceStateResponse {
            tf::ImportResourceStateResponse::default()
        }
        async fn read_data_source(
            &self,
            _t: &str,
            _c: Option<tf::DynamicValue>,
            _m: Option<tf::DynamicValue>,
        ) -> tf::ReadDataSourceResponse {
            tf::ReadDataSourceResponse::default()
        }
        async fn stop(&self) -> String {
            panic!("stop exploded")
        }
    }

    fn grpc() -> ProviderGrpc {
        ProviderGrpc::new(Arc::new(Panicky))
    }

    #[tokio::test]
    async fn panic_becomes_error_diagnostic() {
        let r = grpc()
            .get_schema(Request::new(Default::default()))
            .await
            .unwrap()
            .into_inner();
        assert_eq!(r.diagnostics.len(), 1);
        let d = &r.diagnostics[0];
        assert_eq!(d.severity, pb::diagnostic::Severity::Error as i32);
        assert_eq!(d.summary, PANIC_SUMMARY);
        assert!(
            d.detail.contains("schema exploded") && d.detail.contains("GetSchema"),
            "{}",
            d.detail
        );
        assert!(r.provider.unwrap().block.is_some());

        let r = grpc()
            .validate_resource_type_config(Request::new(
                pb::validate_resource_type_config::Request {
                    type_name: "modelarts_notebook".into(),
                    config: None,
                },
            ))
            .await
            .unwrap()
            .into_inner();
        assert!(r.diagnostics[0]
            .detail
            .contains("bad type modelarts_notebook"));

        let stop = grpc()
            .stop(Request::new(pb::stop::Request {}))
            .await
            .unwrap()
            .into_inner();
        assert!(stop.error.contains("stop exploded"));
    }

    #[tokio::test]
    async fn panicking_read_keeps_the_prior_state() {
        let prior = pb::DynamicValue {
            msgpack: vec![0x80],
            json: vec![],
        };
        let r = grpc()
            .read_resource(Request::new(pb::read_resource::Request {
                type_name: "t".into(),
                current_state: Some(prior.clone()),
                private: b"p".to_vec(),
                provider_meta: None,
            }))
            .await
            .unwrap()
            .into_inner();
        assert_eq!(r.new_state, Some(prior));
        assert_eq!(r.private, b"p");
        assert_eq!(r.diagnostics[0].summary, PANIC_SUMMARY);
    }

    #[tokio::test]
    async fn normal_calls_pass_through() {
        let r = grpc()
            .plan_resource_change(Request::new(Default::default()))
            .await
            .unwrap()
            .into_inner();
        assert!(r.diagnostics.is_empty());
        assert!(!r.legacy_type_system);
    }

    #[test]
    fn panic_text_handles_both_payload_kinds() {
        let a = std::panic::catch_unwind(|| panic!("literal")).unwrap_err();
        assert_eq!(panic_text(a.as_ref()), "literal");
        let n = 7;
        let b = std::panic::catch_unwind(|| panic!("formatted {n}")).unwrap_err();
        assert_eq!(panic_text(b.as_ref()), "formatted 7");
    }
}
