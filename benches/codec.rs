//! Micro-benchmark of the per-resource CPU of a no-op refresh + plan: the value codecs on a realistic
//! `modelarts_notebook` state, and ReadResource / PlanResourceChange / UpgradeResourceState through
//! `tf::ProviderServer` with a stand-in resource (the notebook's schema, a read that returns the state
//! unchanged: no network, so the figures are the provider's own work around the GET).
//!
//! Run: `cargo bench --bench codec` (prints ns per operation; `CODEC_BENCH_ITERS` overrides the count).

use std::hint::black_box;
use std::sync::Arc;
use std::time::Instant;

use async_trait::async_trait;
use modelarts::api::redact::Sensitive;
use modelarts::resources::notebook::{schema as notebook_schema, TYPE_NAME};
use modelarts::resources::notebook_model::*;
use modelarts::tf::conform::normalize;
use modelarts::tf::protocol::{self, DynamicValue, ProviderService};
use modelarts::tf::*;

/// A RUNNING notebook with every nested block filled, as ReadResource returns it.
fn state_model() -> NotebookModel {
    NotebookModel {
        id: Some("1e5bd3b4-1ce0-4bbb-ba4a-8b18b6a8f5c6".into()),
        name: "nb-bench-001".into(),
        description: Some("benchmark notebook".into()),
        flavor: Some("modelarts.vm.cpu.2u".into()),
        image_id: "278e88d1-5b71-4766-8502-b3ba72e824d9".into(),
        volume: Volume {
            category: "EVS".into(),
            ownership: "MANAGED".into(),
            size: Some(50),
            mount_path: Some("/home/ma-user/work/".into()),
            id: Some("f3f9c6a1-6a1e-4f1b-9d59-2b1a9a1c0d11".into()),
            status: Some("USING".into()),
            ..Default::default()
        },
        endpoints: vec![Endpoint {
            service: "SSH".into(),
            key_pair_names: Some(vec!["KeyPair-bench".into()]),
            allowed_access_ips: Some(vec!["192.168.0.1".into(), "10.0.0.0/8".into()]),
            uri: Some("ssh://10.0.0.1:22".into()),
        }],
        workspace_id: "0".into(),
        allow_stop_for_update: true,
        timeouts: Timeouts {
            create: Some("30m".into()),
            ..Default::default()
        },
        info: NotebookInfo {
            status: Some("RUNNING".into()),
            url: Some("https://nb.example/lab".into()),
            token: Some(Sensitive::new("tok")),
            action_progress: vec![Progress {
                step: Some(1),
                status: Some("SUCCEEDED".into()),
                description: Some("storage initialised".into()),
            }],
            image_name: Some("pytorch1.8-cuda10.2".into()),
            image_swr_path: Some("swr.example/atelier/pytorch".into()),
            image_tag: Some("2.0.0".into()),
            image_type: Some("BUILD_IN".into()),
            feature: Some("NOTEBOOK".into()),
            billing_items: vec!["COMPUTE".into(), "STORAGE".into()],
            user: Some(UserInfo {
                id: Some("u1".into()),
                name: Some("alice".into()),
                domain_id: Some("d1".into()),
                domain_name: Some("example".into()),
            }),
            run_user: Some(RunUser {
                uid: Some(1000),
                gid: Some(100),
                user_name: Some("ma-user".into()),
                group_name: Some("ma-group".into()),
            }),
            lease: Some(LeaseInfo {
                enabled: Some(true),
                duration: Some(3_600_000),
                kind: Some("TIMING".into()),
            }),
            created_at: Some("2023-11-14T22:13:20Z".into()),
            updated_at: Some("2023-11-14T22:13:20Z".into()),
            ..Default::default()
        },
        ..Default::default()
    }
}

/// What the configuration of `state` looks like: computed-only attributes null, at every level.
fn config_of(block: &Block, v: &Value) -> Value {
    let Value::Object(_) = v else {
        return v.clone();
    };
    let mut out = v.clone();
    for a in &block.attributes {
        if a.computed && !a.optional {
            out.set_attr(a.name.clone(), Value::Null);
        }
    }
    for nb in &block.blocks {
        let shaped = match v.get_attr(&nb.type_name) {
            Value::List(items) => {
                Value::List(items.iter().map(|e| config_of(&nb.block, e)).collect())
            }
            Value::Set(items) => Value::set(items.iter().map(|e| config_of(&nb.block, e))),
            x @ Value::Object(_) => config_of(&nb.block, x),
            x => x.clone(),
        };
        out.set_attr(nb.type_name.clone(), shaped);
    }
    out
}

struct BenchProvider;
struct BenchNotebook;

#[async_trait]
impl Resource<()> for BenchNotebook {
    fn type_name(&self) -> &str {
        TYPE_NAME
    }
    fn schema(&self) -> Schema {
        notebook_schema()
    }
    async fn create(&self, _: &Ctx<()>, req: CreateRequest) -> ApplyResult {
        ApplyResult::ok(req.planned)
    }
    async fn read(&self, _: &Ctx<()>, req: ReadRequest) -> ReadResult {
        ReadResult::ok(req.state)
    }
    async fn update(&self, _: &Ctx<()>, req: UpdateRequest) -> ApplyResult {
        ApplyResult::ok(req.planned)
    }
    async fn delete(&self, _: &Ctx<()>, _: DeleteRequest) -> Diagnostics {
        Diagnostics::new()
    }
}

#[async_trait]
impl Provider for BenchProvider {
    type Data = ();
    fn schema(&self) -> Schema {
        Schema::new(Block::new())
    }
    async fn configure(&self, _: &Value, _: &str, _: &mut Diagnostics) -> Option<()> {
        Some(())
    }
    fn resources(&self) -> Vec<Arc<dyn Resource<()>>> {
        vec![Arc::new(BenchNotebook)]
    }
    fn data_sources(&self) -> Vec<Arc<dyn DataSource<()>>> {
        Vec::new()
    }
}

fn measure(name: &str, iters: u32, mut f: impl FnMut()) {
    for _ in 0..iters / 10 + 1 {
        f();
    }
    let start = Instant::now();
    for _ in 0..iters {
        f();
    }
    let ns = start.elapsed().as_nanos() / u128::from(iters);
    println!("{name:<28} {ns:>9} ns/op");
}

fn main() {
    let iters: u32 = std::env::var("CODEC_BENCH_ITERS")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(20_000);
    let schema = notebook_schema();
    let ty = schema.value_type();
    let state = normalize(&schema.block, &state_model().to_value());
    state
        .check_type(&ty)
        .expect("the bench state fits the schema");
    let config = config_of(&schema.block, &state);
    let packed = msgpack::encode(&state, &ty).expect("encodes");
    let json_state = json::encode(&state, &ty).expect("encodes as JSON");
    assert_eq!(msgpack::decode(&packed, &ty).expect("decodes"), state);
    println!(
        "notebook state: {} bytes msgpack, {} bytes JSON",
        packed.len(),
        json_state.len()
    );

    measure("msgpack decode", iters, || {
        black_box(msgpack::decode(black_box(&packed), &ty).ok());
    });
    measure("msgpack encode", iters, || {
        black_box(msgpack::encode(black_box(&state), &ty).ok());
    });
    measure("json decode (stored state)", iters, || {
        black_box(json::decode_lenient(black_box(&json_state), &ty).ok());
    });
    measure("normalize", iters, || {
        black_box(normalize(&schema.block, black_box(&state)));
    });
    measure("check_type", iters, || {
        black_box(black_box(&state).check_type(&ty).is_ok());
    });

    let input = plan::PlanInput {
        schema: &schema.block,
        prior: &state,
        proposed: &state,
        config: &config,
        replace_allowed: false,
        default_immutable_hint: None,
    };
    measure("plan engine (no-op)", iters, || {
        black_box(plan::plan(black_box(&input)));
    });
    measure("check_planned (no-op)", iters, || {
        black_box(conform::check_planned(
            &schema.block,
            &state,
            &config,
            black_box(&state),
            TYPE_NAME,
        ));
    });

    let server = ProviderServer::new(BenchProvider);
    let rt = tokio::runtime::Builder::new_current_thread()
        .build()
        .expect("runtime");
    let provider_config = msgpack::encode(&Value::object::<&str>([]), &Type::object::<&str>([]));
    let diags = rt.block_on(server.configure(
        "1.9.0",
        Some(DynamicValue {
            msgpack: provider_config.expect("encodes"),
            json: Vec::new(),
        }),
    ));
    assert!(diags.is_empty(), "{diags:?}");
    let dv = |v: &Value| DynamicValue {
        msgpack: msgpack::encode(v, &ty).expect("encodes"),
        json: Vec::new(),
    };
    let (state_dv, config_dv) = (dv(&state), dv(&config));

    let read = protocol::ReadResourceRequest {
        type_name: TYPE_NAME.into(),
        current_state: Some(state_dv.clone()),
        private: Vec::new(),
        provider_meta: None,
    };
    let r = rt.block_on(server.read_resource(read.clone()));
    assert!(r.diagnostics.is_empty(), "{:?}", r.diagnostics);
    assert_eq!(r.new_state.as_ref(), Some(&state_dv));
    measure("ReadResource", iters, || {
        black_box(rt.block_on(server.read_resource(read.clone())));
    });

    let plan = protocol::PlanResourceChangeRequest {
        type_name: TYPE_NAME.into(),
        prior_state: Some(state_dv.clone()),
        proposed_new_state: Some(state_dv.clone()),
        config: Some(config_dv),
        prior_private: Vec::new(),
        provider_meta: None,
    };
    let r = rt.block_on(server.plan_resource_change(plan.clone()));
    assert!(r.diagnostics.is_empty(), "{:?}", r.diagnostics);
    assert_eq!(r.planned_state.as_ref(), Some(&state_dv), "a no-op plan");
    measure("PlanResourceChange", iters, || {
        black_box(rt.block_on(server.plan_resource_change(plan.clone())));
    });

    let raw = protocol::RawState {
        json: json_state.clone(),
        flatmap: Default::default(),
    };
    let version = schema.version;
    let r = rt.block_on(server.upgrade_resource_state(TYPE_NAME, version, raw.clone()));
    assert!(r.diagnostics.is_empty(), "{:?}", r.diagnostics);
    assert_eq!(r.upgraded_state.as_ref(), Some(&state_dv));
    measure("UpgradeResourceState", iters, || {
        black_box(rt.block_on(server.upgrade_resource_state(TYPE_NAME, version, raw.clone())));
    });
}
