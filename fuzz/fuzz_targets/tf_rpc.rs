//! Fuzzes the provider's RPC entry points that take Terraform's data and need no API: UpgradeResourceState
//! (raw stored JSON at any schema version), Validate*Config and PrepareProviderConfig (raw msgpack, or
//! generated values of the right shape), and PlanResourceChange (generated prior/proposed/config).
//! Property: no panic; whenever no error diagnostic is returned, the returned value decodes against the schema.
//!
//! Input: byte 0 = operation, byte 1 = type name, byte 2 = state version (i8), the rest = payload.
#![no_main]

use std::sync::{Arc, OnceLock};

use arbitrary::Unstructured;
use libfuzzer_sys::fuzz_target;
use modelarts::provider::ModelArtsProvider;
use modelarts::tf::codec::{decode_dynamic, encode_dynamic};
use modelarts::tf::protocol::{
    self, DynamicValue, PlanResourceChangeRequest, ProviderService, RawState, Severity,
};
use modelarts::tf::{Provider, ProviderServer, Type, Value};

struct Fixture {
    server: Arc<dyn ProviderService>,
    provider_ty: Type,
    resources: Vec<(String, Type)>,
    data_sources: Vec<(String, Type)>,
}

fn fixture() -> &'static Fixture {
    static F: OnceLock<Fixture> = OnceLock::new();
    F.get_or_init(|| {
        let p = ModelArtsProvider::from_env();
        let mut resources: Vec<_> = p
            .resources()
            .iter()
            .map(|r| (r.type_name().to_string(), r.schema().value_type()))
            .collect();
        let mut data_sources: Vec<_> = p
            .data_sources()
            .iter()
            .map(|d| (d.type_name().to_string(), d.schema().value_type()))
            .collect();
        // An unknown type name must be an error diagnostic too.
        resources.push(("modelarts_nope".into(), Type::Dynamic));
        data_sources.push(("modelarts_nope".into(), Type::Dynamic));
        Fixture {
            provider_ty: p.schema().value_type(),
            server: Arc::new(ProviderServer::new(p)),
            resources,
            data_sources,
        }
    })
}

fn has_error(diags: &[protocol::Diagnostic]) -> bool {
    diags.iter().any(|d| d.severity == Severity::Error)
}

fn mp(bytes: &[u8]) -> Option<DynamicValue> {
    Some(DynamicValue {
        msgpack: bytes.to_vec(),
        json: Vec::new(),
    })
}

fn gen_dv(u: &mut Unstructured<'_>, ty: &Type, unknowns: bool) -> Option<DynamicValue> {
    let v = fuzz_support::gen_value(u, ty, unknowns, 0).unwrap_or(Value::Null);
    encode_dynamic(&v, ty).ok()
}

/// Without an error diagnostic, a returned value must decode against the type it claims to have. (With one,
/// Terraform ignores the value: PrepareProviderConfig, for one, echoes its input.)
fn check_returned(
    what: &str,
    dv: &Option<DynamicValue>,
    ty: &Type,
    diags: &[protocol::Diagnostic],
) {
    if has_error(diags) {
        return;
    }
    if let Some(dv) = dv {
        if let Err(e) = decode_dynamic(Some(dv), ty) {
            panic!("{what}: returned value does not decode against the schema: {e}");
        }
    }
}

fuzz_target!(|data: &[u8]| {
    let [op, sel, version, payload @ ..] = data else {
        return;
    };
    let f = fixture();
    let (rname, rty) = &f.resources[usize::from(*sel) % f.resources.len()];
    let (dname, _) = &f.data_sources[usize::from(*sel) % f.data_sources.len()];
    let s = &f.server;
    fuzz_support::runtime().block_on(async {
        match op % 7 {
            0 => {
                let raw = RawState {
                    json: payload.to_vec(),
                    flatmap: Default::default(),
                };
                let r = s
                    .upgrade_resource_state(rname, i64::from(*version as i8), raw)
                    .await;
                if !has_error(&r.diagnostics) && rname != "modelarts_nope" {
                    assert!(r.upgraded_state.is_some(), "upgrade: no state and no error");
                }
                check_returned("upgrade", &r.upgraded_state, rty, &r.diagnostics);
            }
            1 => {
                s.validate_resource_type_config(rname, mp(payload)).await;
            }
            2 => {
                let r = s.prepare_provider_config(mp(payload)).await;
                check_returned(
                    "prepare",
                    &r.prepared_config,
                    &f.provider_ty,
                    &r.diagnostics,
                );
            }
            3 => {
                s.validate_data_source_config(dname, mp(payload)).await;
            }
            4 => {
                let mut u = Unstructured::new(payload);
                let prior = gen_dv(&mut u, rty, false);
                let config = gen_dv(&mut u, rty, true);
                // Terraform's proposed state is usually the configuration merged with the prior state; an
                // arbitrary one exercises the consistency checks.
                let proposed = if u.arbitrary::<bool>().unwrap_or(true) {
                    config.clone()
                } else {
                    gen_dv(&mut u, rty, true)
                };
                let r = s
                    .plan_resource_change(PlanResourceChangeRequest {
                        type_name: rname.clone(),
                        prior_state: prior,
                        proposed_new_state: proposed,
                        config,
                        prior_private: Vec::new(),
                        provider_meta: None,
                    })
                    .await;
                check_returned("plan", &r.planned_state, rty, &r.diagnostics);
            }
            5 => {
                let mut u = Unstructured::new(payload);
                let config = gen_dv(&mut u, rty, true);
                s.validate_resource_type_config(rname, config).await;
            }
            _ => {
                let mut u = Unstructured::new(payload);
                let config = gen_dv(&mut u, &f.provider_ty, true);
                let r = s.prepare_provider_config(config).await;
                check_returned(
                    "prepare",
                    &r.prepared_config,
                    &f.provider_ty,
                    &r.diagnostics,
                );
            }
        }
    });
});
