//! ProviderServer tests against a fake provider with an in-memory "API".

use std::sync::Mutex;
use std::time::Duration;

use super::*;
use crate::tf::diag::Severity;
use crate::tf::keymap::KeyMap;
use crate::tf::protocol::ProviderService;
use crate::tf::resource::{ApplyResult, ImportResult, ReadResult};
use crate::tf::schema::{Attribute, Block};
use crate::tf::{msgpack, validate};

#[derive(Default)]
struct Api {
    objects: Mutex<KeyMap<Value>>,
}

struct Data {
    api: Api,
    force_new: bool,
}

struct Thing;

fn thing_schema() -> Schema {
    Schema::new(
        Block::new()
            .attribute(Attribute::string("id").computed().use_state_for_unknown())
            .attribute(
                Attribute::string("name")
                    .required()
                    .immutable()
                    .validator(validate::string_length(1, 20)),
            )
            .attribute(Attribute::number("size").default(1))
            .attribute(Attribute::string("status").computed())
            .attribute(Attribute::map("tags", Type::String).optional()),
    )
    .version(1)
}

#[async_trait]
impl Resource<Data> for Thing {
    fn type_name(&self) -> &str {
        "test_thing"
    }
    fn schema(&self) -> Schema {
        thing_schema()
    }
    async fn validate(&self, config: &Value, diags: &mut Diagnostics) {
        if config.get_attr("name").as_str() == Some("forbidden") {
            diags.error_at(AttributePath::root("name"), "Forbidden name", "");
        }
    }
    fn replacement_allowed(&self, provider: Option<&Data>) -> bool {
        provider.is_some_and(|p| p.force_new)
    }
    async fn modify_plan(&self, ctx: &PlanCtx<'_, Data>, plan: &mut crate::tf::PlanResult) {
        if !ctx.is_create() && plan.get(&AttributePath::root("size")).as_i64() == Some(42) {
            plan.diagnostics
                .warning_at(AttributePath::root("size"), "Large size", "42 is a lot");
        }
    }
    async fn create(&self, ctx: &Ctx<Data>, req: CreateRequest) -> ApplyResult {
        let mut state = req.planned.clone();
        let name = state.get_attr("name").as_str().unwrap_or("").to_string();
        state.set_attr("id", Value::from(format!("id-{name}")));
        match name.as_str() {
            "unknowns" => return ApplyResult::ok(state),
            "inconsistent" => state.set_attr("size", Value::from(99)),
            "partial-unknown" => {
                return ApplyResult::partial(state, Diagnostic::error("Wait failed", "timed out"));
            }
            "partial" => {
                state.set_attr("status", Value::from("CREATING"));
                return ApplyResult::partial(state, Diagnostic::error("Wait failed", "timed out"));
            }
            "wait" => {
                tokio::select! {
                    _ = ctx.cancelled() => return ApplyResult::failed(Diagnostic::error("Cancelled", "stop requested")),
                    _ = tokio::time::sleep(Duration::from_secs(3600)) => {}
                }
            }
            _ => {}
        }
        state.set_attr("status", Value::from("RUNNING"));
        lock(&ctx.provider().api.objects).insert(format!("id-{name}"), state.clone());
        ApplyResult::ok(state)
    }
    async fn read(&self, ctx: &Ctx<Data>, req: ReadRequest) -> ReadResult {
        let id = req.state.get_attr("id").as_str().unwrap_or("").to_string();
        match lock(&ctx.provider().api.objects).get(&id) {
            Some(v) => ReadResult::ok(v.clone()),
            None => ReadResult::gone(),
        }
    }
    async fn update(&self, ctx: &Ctx<Data>, req: UpdateRequest) -> ApplyResult {
        let mut state = req.planned.clone();
        state.set_attr("status", Value::from("UPDATED"));
        let id = state.get_attr("id").as_str().unwrap_or("").to_string();
        lock(&ctx.provider().api.objects).insert(id, state.clone());
        ApplyResult::ok(state)
    }
    async fn delete(&self, ctx: &Ctx<Data>, req: DeleteRequest) -> Diagnostics {
        let id = req.prior.get_attr("id").as_str().unwrap_or("").to_string();
        if id == "id-undeletable" {
            return Diagnostic::error("Delete failed", "busy").into();
        }
        lock(&ctx.provider().api.objects).remove(&id);
        Diagnostics::new()
    }
    async fn import(&self, _ctx: &Ctx<Data>, id: &str) -> ImportResult {
        ImportResult::ok(Value::object([("id", Value::from(id))]))
    }
    fn upgrade_state(
        &self,
        from_version: i64,
        mut state: serde_json::Value,
    ) -> Result<serde_json::Value, Diagnostics> {
        // Version 0 called the attribute "label".
        if from_version == 0 {
            if let Some(obj) = state.as_object_mut() {
                if let Some(label) = obj.remove("label") {
                    obj.insert("name".into(), label);
                }
            }
        }
        Ok(state)
    }
}

struct Lookup;

#[async_trait]
impl DataSource<Data> for Lookup {
    fn type_name(&self) -> &str {
        "test_lookup"
    }
    fn schema(&self) -> Schema {
        Schema::new(
            Block::new()
                .attribute(Attribute::string("name").required())
                .attribute(Attribute::string("id").computed()),
        )
    }
    async fn read(&self, _ctx: &Ctx<Data>, config: &Value) -> ReadResult {
        let mut state = config.clone();
        match config.get_attr("name").as_str() {
            Some("echo-bug") => state.set_attr("name", Value::from("other")),
            Some("unknown-bug") => {}
            _ => state.set_attr("id", Value::from("found")),
        }
        ReadResult::ok(state)
    }
}

struct TestProvider;

#[async_trait]
impl Provider for TestProvider {
    type Data = Data;
    fn schema(&self) -> Schema {
        Schema::new(
            Block::new()
                .attribute(
                    Attribute::string("endpoint")
                        .optional()
                        .validator(validate::matches("^https?://", "must be an http(s) URL")),
                )
                .attribute(Attribute::bool("force_new").optional()),
        )
    }
    async fn configure(&self, config: &Value, _tf: &str, diags: &mut Diagnostics) -> Option<Data> {
        if config.get_attr("endpoint").as_str() == Some("http://bad") {
            diags.error_at(AttributePath::root("endpoint"), "Bad endpoint", "");
            return None;
        }
        Some(Data {
            api: Api::default(),
            force_new: config.get_attr("force_new").as_bool().unwrap_or(false),
        })
    }
    fn resources(&self) -> Vec<Arc<dyn Resource<Data>>> {
        vec![Arc::new(Thing)]
    }
    fn data_sources(&self) -> Vec<Arc<dyn DataSource<Data>>> {
        vec![Arc::new(Lookup)]
    }
    fn immutable_hint(&self) -> Option<String> {
        Some("Set `force_new = true` to replace.".into())
    }
}

fn server() -> ProviderServer<TestProvider> {
    ProviderServer::new(TestProvider)
}

fn thing_type() -> Type {
    thing_schema().value_type()
}

fn dv(v: &Value, ty: &Type) -> Option<DynamicValue> {
    Some(encode_dynamic(v, ty).unwrap())
}

fn undv(d: &Option<DynamicValue>, ty: &Type) -> Value {
    decode_dynamic(d.as_ref(), ty).unwrap()
}

fn provider_config(force_new: bool) -> Option<DynamicValue> {
    let ty = TestProvider.schema().value_type();
    dv(
        &Value::object([
            ("endpoint", Value::from("http://x")),
            ("force_new", Value::from(force_new)),
        ]),
        &ty,
    )
}

async fn configured(force_new: bool) -> ProviderServer<TestProvider> {
    let s = server();
    let d = s.configure("1.0.3", provider_config(force_new)).await;
    assert!(d.is_empty(), "{d:?}");
    s
}

fn cfg(name: &str) -> Value {
    Value::object([
        ("name", Value::from(name)),
        ("id", Value::Null),
        ("size", Value::Null),
        ("status", Value::Null),
        ("tags", Value::Null),
    ])
}

fn errors(d: &[protocol::Diagnostic]) -> Vec<String> {
    d.iter()
        .filter(|x| x.severity == protocol::Severity::Error)
        .map(|x| format!("{}: {}", x.summary, x.detail))
        .collect()
}

/// Plans as Terraform would: proposed = config with computed values taken from prior.
async fn plan_of(
    s: &ProviderServer<TestProvider>,
    prior: &Value,
    config: &Value,
) -> protocol::PlanResourceChangeResponse {
    let mut proposed = config.clone();
    for a in ["id", "status", "size"] {
        if config.get_attr(a).is_null() {
            proposed.set_attr(a, prior.get_attr(a).clone());
        }
    }
    let ty = thing_type();
    s.plan_resource_change(protocol::PlanResourceChangeRequest {
        type_name: "test_thing".into(),
        prior_state: dv(prior, &ty),
        proposed_new_state: dv(&proposed, &ty),
        config: dv(config, &ty),
        ..Default::default()
    })
    .await
}

async fn apply_of(
    s: &ProviderServer<TestProvider>,
    prior: &Value,
    planned: &Value,
    config: &Value,
) -> protocol::ApplyResourceChangeResponse {
    let ty = thing_type();
    s.apply_resource_change(protocol::ApplyResourceChangeRequest {
        type_name: "test_thing".into(),
        prior_state: dv(prior, &ty),
        planned_state: dv(planned, &ty),
        config: dv(config, &ty),
        planned_private: b"p".to_vec(),
        provider_meta: None,
    })
    .await
}

#[tokio::test]
async fn get_schema_serves_every_schema_with_valid_types() {
    let s = server();
    assert!(
        s.schema_diagnostics().is_empty(),
        "{}",
        s.schema_diagnostics()
    );
    let r = s.get_schema().await;
    assert!(r.provider.is_some());
    let thing = &r.resource_schemas["test_thing"];
    assert_eq!(thing.version, 1);
    for a in &thing.block.attributes {
        assert!(Type::from_json(&a.type_json).is_ok());
        assert_eq!(a.description_kind, protocol::StringKind::Markdown);
    }
    let size = thing
        .block
        .attributes
        .iter()
        .find(|a| a.name == "size")
        .map(|a| (a.optional, a.computed));
    assert_eq!(size, Some((true, true)));
    assert!(r.data_source_schemas.contains_key("test_lookup"));
}

#[tokio::test]
async fn invalid_schemas_are_reported() {
    struct Bad;
    #[async_trait]
    impl Resource<Data> for Bad {
        fn type_name(&self) -> &str {
            "Bad-Name"
        }
        fn schema(&self) -> Schema {
            Schema::new(
                Block::new()
                    .attribute(Attribute::string("x"))
                    .attribute(Attribute::string("Y").required()),
            )
        }
        async fn create(&self, _: &Ctx<Data>, _: CreateRequest) -> ApplyResult {
            ApplyResult::failed(Diagnostics::new())
        }
        async fn read(&self, _: &Ctx<Data>, _: ReadRequest) -> ReadResult {
            ReadResult::gone()
        }
        async fn update(&self, _: &Ctx<Data>, _: UpdateRequest) -> ApplyResult {
            ApplyResult::failed(Diagnostics::new())
        }
        async fn delete(&self, _: &Ctx<Data>, _: DeleteRequest) -> Diagnostics {
            Diagnostics::new()
        }
    }
    struct BadProvider;
    #[async_trait]
    impl Provider for BadProvider {
        type Data = Data;
        fn schema(&self) -> Schema {
            Schema::default()
        }
        async fn configure(&self, _: &Value, _: &str, _: &mut Diagnostics) -> Option<Data> {
            None
        }
        fn resources(&self) -> Vec<Arc<dyn Resource<Data>>> {
            vec![Arc::new(Bad)]
        }
        fn data_sources(&self) -> Vec<Arc<dyn DataSource<Data>>> {
            vec![]
        }
    }
    let s = ProviderServer::new(BadProvider);
    assert_eq!(
        s.schema_diagnostics().errors().count(),
        3,
        "{}",
        s.schema_diagnostics()
    );
    assert_eq!(s.get_schema().await.diagnostics.len(), 3);
    // Configure returning None without a diagnostic still reports an error.
    let d = s.configure("1.0.3", None).await;
    assert_eq!(errors(&d).len(), 1);
}

#[tokio::test]
async fn calls_before_configure_fail_clearly() {
    let s = server();
    let ty = thing_type();
    let state = Value::object([("id", Value::from("x")), ("name", Value::from("n"))]);
    let r = s
        .read_resource(protocol::ReadResourceRequest {
            type_name: "test_thing".into(),
            current_state: dv(&state, &ty),
            ..Default::default()
        })
        .await;
    assert_eq!(errors(&r.diagnostics).len(), 1);
    assert!(r.diagnostics[0].summary.contains("Provider not configured"));
    assert_eq!(r.new_state, dv(&state, &ty), "the stored state is kept");
    // Planning does not need the provider.
    let p = plan_of(&s, &Value::Null, &cfg("a")).await;
    assert!(errors(&p.diagnostics).is_empty(), "{:?}", p.diagnostics);
}

#[tokio::test]
async fn configure_with_unknowns_is_deferred() {
    let s = server();
    let ty = TestProvider.schema().value_type();
    let d = s
        .configure(
            "1.0.3",
            dv(&Value::object([("endpoint", Value::Unknown)]), &ty),
        )
        .await;
    assert!(d.is_empty());
    let r = s.import_resource_state("test_thing", "x").await;
    assert!(
        r.diagnostics[0].summary.contains("not known yet"),
        "{:?}",
        r.diagnostics
    );
    assert!(r.imported_resources.is_empty());
}

#[tokio::test]
async fn configure_errors_and_prepare_validation() {
    let s = server();
    let ty = TestProvider.schema().value_type();
    let d = s
        .configure(
            "1.0.3",
            dv(
                &Value::object([("endpoint", Value::from("http://bad"))]),
                &ty,
            ),
        )
        .await;
    assert_eq!(errors(&d), vec!["Bad endpoint: ".to_string()]);
    let bad = dv(&Value::object([("endpoint", Value::from("ftp://x"))]), &ty);
    let r = s.prepare_provider_config(bad.clone()).await;
    assert_eq!(errors(&r.diagnostics).len(), 1);
    assert_eq!(r.prepared_config, bad);
    let r = s
        .prepare_provider_config(dv(&Value::object([("endpoint", Value::Unknown)]), &ty))
        .await;
    assert!(r.diagnostics.is_empty());
}

#[tokio::test]
async fn validation_runs_declarations_and_hook_but_never_fails_on_unknown() {
    let s = server();
    let ty = thing_type();
    let d = s
        .validate_resource_type_config("test_thing", dv(&cfg("a-name-that-is-far-too-long"), &ty))
        .await;
    assert_eq!(errors(&d).len(), 1);
    let d = s
        .validate_resource_type_config("test_thing", dv(&cfg("forbidden"), &ty))
        .await;
    assert_eq!(errors(&d), vec!["Forbidden name: ".to_string()]);
    let mut unknown = cfg("x");
    unknown.set_attr("name", Value::Unknown);
    unknown.set_attr("tags", Value::Unknown);
    assert!(s
        .validate_resource_type_config("test_thing", dv(&unknown, &ty))
        .await
        .is_empty());
    let d = s
        .validate_resource_type_config("test_nope", dv(&cfg("x"), &ty))
        .await;
    assert!(d[0].summary.contains("Unknown resource type"));
    let d = s.validate_data_source_config("test_nope", None).await;
    assert!(d[0].summary.contains("Unknown data source type"));
    let d = s
        .validate_resource_type_config(
            "test_thing",
            Some(DynamicValue {
                msgpack: vec![0xc1],
                json: vec![],
            }),
        )
        .await;
    assert!(
        d[0].summary.contains("Invalid resource configuration"),
        "{d:?}"
    );
}

#[tokio::test]
async fn full_lifecycle() {
    let s = configured(false).await;
    let ty = thing_type();
    // Create.
    let config = cfg("nb");
    let p = plan_of(&s, &Value::Null, &config).await;
    assert!(p.diagnostics.is_empty(), "{:?}", p.diagnostics);
    let planned = undv(&p.planned_state, &ty);
    assert!(planned.get_attr("id").is_unknown());
    assert_eq!(planned.get_attr("size").as_i64(), Some(1));
    let a = apply_of(&s, &Value::Null, &planned, &config).await;
    assert!(a.diagnostics.is_empty(), "{:?}", a.diagnostics);
    assert_eq!(a.private, b"p");
    let state = undv(&a.new_state, &ty);
    assert_eq!(state.get_attr("id").as_str(), Some("id-nb"));
    assert!(state.is_wholly_known());
    // Read.
    let r = s
        .read_resource(protocol::ReadResourceRequest {
            type_name: "test_thing".into(),
            current_state: dv(&state, &ty),
            private: b"keep".to_vec(),
            provider_meta: None,
        })
        .await;
    assert_eq!(undv(&r.new_state, &ty), state);
    assert_eq!(r.private, b"keep");
    // Update: id kept (use_state_for_unknown), status unknown.
    let mut config2 = config.clone();
    config2.set_attr("tags", Value::map([("a", Value::from("b"))]));
    let p = plan_of(&s, &state, &config2).await;
    let planned = undv(&p.planned_state, &ty);
    assert_eq!(planned.get_attr("id").as_str(), Some("id-nb"));
    assert!(planned.get_attr("status").is_unknown());
    let a = apply_of(&s, &state, &planned, &config2).await;
    assert!(a.diagnostics.is_empty(), "{:?}", a.diagnostics);
    let state = undv(&a.new_state, &ty);
    assert_eq!(state.get_attr("status").as_str(), Some("UPDATED"));
    // Hook warnings reach Terraform.
    let mut config3 = config2.clone();
    config3.set_attr("size", Value::from(42));
    let p = plan_of(&s, &state, &config3).await;
    assert_eq!(p.diagnostics.len(), 1);
    assert_eq!(p.diagnostics[0].severity, protocol::Severity::Warning);
    // Delete, then read says gone.
    let a = apply_of(&s, &state, &Value::Null, &Value::Null).await;
    assert!(a.diagnostics.is_empty());
    assert!(undv(&a.new_state, &ty).is_null());
    let r = s
        .read_resource(protocol::ReadResourceRequest {
            type_name: "test_thing".into(),
            current_state: dv(&state, &ty),
            ..Default::default()
        })
        .await;
    assert!(undv(&r.new_state, &ty).is_null());
}

#[tokio::test]
async fn immutable_change_errors_or_replaces_per_provider_setting() {
    let ty = thing_type();
    let state = Value::object([
        ("id", Value::from("id-a")),
        ("name", Value::from("a")),
        ("size", Value::from(1)),
        ("status", Value::from("RUNNING")),
    ]);
    let s = configured(false).await;
    let p = plan_of(&s, &state, &cfg("b")).await;
    let errs = errors(&p.diagnostics);
    assert_eq!(errs.len(), 1);
    assert!(
        errs[0].ends_with("Set `force_new = true` to replace."),
        "{errs:?}"
    );
    assert_eq!(
        p.diagnostics[0].attribute.as_ref().map(|a| a.steps.clone()),
        Some(vec![protocol::PathStep::Attribute("name".into())])
    );
    let s = configured(true).await;
    let p = plan_of(&s, &state, &cfg("b")).await;
    assert!(p.diagnostics.is_empty());
    assert_eq!(
        p.requires_replace,
        vec![AttributePath::root("name").to_protocol()]
    );
    let _ = ty;
}

#[tokio::test]
async fn apply_results_are_checked_not_trusted() {
    let s = configured(false).await;
    let ty = thing_type();
    for (name, want) in [
        ("unknowns", "Provider returned unknown values"),
        (
            "inconsistent",
            "Provider produced inconsistent result after apply",
        ),
    ] {
        let p = plan_of(&s, &Value::Null, &cfg(name)).await;
        let planned = undv(&p.planned_state, &ty);
        let a = apply_of(&s, &Value::Null, &planned, &cfg(name)).await;
        let errs = errors(&a.diagnostics);
        assert_eq!(errs.len(), 1, "{errs:?}");
        assert!(errs[0].starts_with(want), "{errs:?}");
        let state = undv(&a.new_state, &ty);
        assert!(
            state.is_wholly_known(),
            "unknowns are nulled, never sent back"
        );
    }
}

#[tokio::test]
async fn partial_state_is_saved_with_the_error() {
    let s = configured(false).await;
    let ty = thing_type();
    let p = plan_of(&s, &Value::Null, &cfg("partial")).await;
    let a = apply_of(
        &s,
        &Value::Null,
        &undv(&p.planned_state, &ty),
        &cfg("partial"),
    )
    .await;
    assert_eq!(
        errors(&a.diagnostics),
        vec!["Wait failed: timed out".to_string()]
    );
    let state = undv(&a.new_state, &ty);
    assert_eq!(state.get_attr("id").as_str(), Some("id-partial"));
    assert_eq!(state.get_attr("status").as_str(), Some("CREATING"));
}

#[tokio::test]
async fn failed_delete_keeps_the_resource() {
    let s = configured(false).await;
    let ty = thing_type();
    let state = Value::object([
        ("id", Value::from("id-undeletable")),
        ("name", Value::from("u")),
    ]);
    let a = apply_of(&s, &state, &Value::Null, &Value::Null).await;
    assert_eq!(errors(&a.diagnostics).len(), 1);
    assert_eq!(
        undv(&a.new_state, &ty).get_attr("id").as_str(),
        Some("id-undeletable")
    );
}

#[tokio::test(start_paused = true)]
async fn stop_cancels_in_flight_calls_and_later_calls_get_a_fresh_token() {
    let s = Arc::new(configured(false).await);
    let ty = thing_type();
    let p = plan_of(&s, &Value::Null, &cfg("wait")).await;
    let planned = undv(&p.planned_state, &ty);
    let s2 = s.clone();
    let task =
        tokio::spawn(async move { apply_of(&s2, &Value::Null, &planned, &cfg("wait")).await });
    tokio::task::yield_now().await;
    assert_eq!(s.stop().await, "");
    let a = tokio::time::timeout(Duration::from_secs(5), task)
        .await
        .expect("apply ended promptly")
        .expect("task");
    assert_eq!(
        errors(&a.diagnostics),
        vec!["Cancelled: stop requested".to_string()]
    );
    assert!(undv(&a.new_state, &ty).is_null());
    // A later call is not cancelled.
    let p = plan_of(&s, &Value::Null, &cfg("fine")).await;
    let a = apply_of(&s, &Value::Null, &undv(&p.planned_state, &ty), &cfg("fine")).await;
    assert!(a.diagnostics.is_empty(), "{:?}", a.diagnostics);
}

#[tokio::test]
async fn upgrade_state_decodes_json_and_always_answers_msgpack() {
    let s = server();
    let ty = thing_type();
    let raw = |json: &str| protocol::RawState {
        json: json.as_bytes().to_vec(),
        flatmap: Default::default(),
    };
    let r = s
        .upgrade_resource_state(
            "test_thing",
            1,
            raw(r#"{"id":"i","name":"n","size":12345678901234567890,"gone":true}"#),
        )
        .await;
    assert!(r.diagnostics.is_empty(), "{:?}", r.diagnostics);
    let up = r.upgraded_state.expect("always returned");
    assert!(up.json.is_empty() && !up.msgpack.is_empty());
    let v = msgpack::decode(&up.msgpack, &ty).unwrap();
    assert_eq!(
        v.get_attr("size")
            .as_number()
            .map(|n| n.to_string())
            .as_deref(),
        Some("12345678901234567890")
    );
    assert_eq!(v.get_attr("tags"), &Value::Null);
    let r = s
        .upgrade_resource_state("test_thing", 0, raw(r#"{"id":"i","label":"old"}"#))
        .await;
    assert_eq!(
        undv(&r.upgraded_state, &ty).get_attr("name").as_str(),
        Some("old")
    );
    let r = s
        .upgrade_resource_state("test_thing", 2, raw(r#"{"id":"i"}"#))
        .await;
    assert!(r.diagnostics[0].summary.contains("newer provider"));
    let r = s
        .upgrade_resource_state("test_thing", 1, raw("{not json"))
        .await;
    assert_eq!(r.diagnostics[0].severity, protocol::Severity::Error);
    let r = s.upgrade_resource_state("test_thing", 1, raw("")).await;
    assert!(r.diagnostics.is_empty());
    assert!(undv(&r.upgraded_state, &ty).is_null());
}

/// Normal state takes the transcoder and anything else the general path; the answers must not tell them apart.
#[tokio::test]
async fn upgrade_state_answers_alike_on_either_path() {
    let s = server();
    let ty = thing_type();
    let block = thing_schema().block;
    for json in [
        r#"{"id":"i","name":"n","size":12345678901234567890,"status":null,"tags":{"a":"\u00e9"}}"#,
        r#"{"tags":{"a":"\u00e9"},"size":12345678901234567890,"name":"n","id":"i"}"#,
        r#"{"id":"i","name":"n","size":1.5,"zz_gone":[1]}"#,
        r#"{"id":"i","name":"n","size":"7","tags":{"b":"1","a":"2"}}"#,
        r#"{"id":"i","id":"j"}"#,
        r#"{}"#,
        "null",
    ] {
        let r = s
            .upgrade_resource_state(
                "test_thing",
                1,
                protocol::RawState {
                    json: json.as_bytes().to_vec(),
                    flatmap: Default::default(),
                },
            )
            .await;
        assert!(r.diagnostics.is_empty(), "{json}: {:?}", r.diagnostics);
        let decoded = crate::tf::json::decode_lenient(json.as_bytes(), &ty).unwrap();
        let expected =
            msgpack::encode(&crate::tf::conform::normalize(&block, &decoded), &ty).unwrap();
        assert_eq!(
            r.upgraded_state.map(|d| d.msgpack),
            Some(expected),
            "{json}"
        );
    }
}

#[tokio::test]
async fn import_then_read() {
    let s = configured(false).await;
    let ty = thing_type();
    let r = s.import_resource_state("test_thing", "id-x").await;
    assert!(r.diagnostics.is_empty());
    let st = undv(&r.imported_resources[0].state, &ty);
    assert_eq!(st.get_attr("id").as_str(), Some("id-x"));
    assert!(st.get_attr("name").is_null());
    let r = s.import_resource_state("test_nope", "x").await;
    assert_eq!(r.diagnostics.len(), 1);
}

#[tokio::test]
async fn data_source_results_must_echo_config_and_be_known() {
    let s = configured(false).await;
    let ty = Lookup.schema().value_type();
    let c = |name: &str| {
        dv(
            &Value::object([("name", Value::from(name)), ("id", Value::Null)]),
            &ty,
        )
    };
    let r = s.read_data_source("test_lookup", c("ok"), None).await;
    assert!(r.diagnostics.is_empty());
    assert_eq!(undv(&r.state, &ty).get_attr("id").as_str(), Some("found"));
    let r = s.read_data_source("test_lookup", c("echo-bug"), None).await;
    assert!(errors(&r.diagnostics)[0].contains("changed the configured value"));
    let r = s
        .read_data_source("test_lookup", c("unknown-bug"), None)
        .await;
    assert!(
        r.diagnostics.is_empty(),
        "a null computed attribute is known"
    );
}

#[test]
fn diagnostics_severity_maps() {
    assert_eq!(Diagnostic::warning("w", "").severity, Severity::Warning);
}

#[tokio::test]
async fn partial_state_with_unknowns_gets_them_nulled_without_extra_errors() {
    let s = configured(false).await;
    let ty = thing_type();
    let p = plan_of(&s, &Value::Null, &cfg("partial-unknown")).await;
    let planned = undv(&p.planned_state, &ty);
    assert!(planned.get_attr("status").is_unknown());
    let a = apply_of(&s, &Value::Null, &planned, &cfg("partial-unknown")).await;
    assert_eq!(
        errors(&a.diagnostics),
        vec!["Wait failed: timed out".to_string()]
    );
    let state = undv(&a.new_state, &ty);
    assert_eq!(state.get_attr("id").as_str(), Some("id-partial-unknown"));
    assert!(state.get_attr("status").is_null());
}

#[tokio::test]
async fn byte_identical_prior_and_proposed_are_planned_from_one_decode() {
    let ty = thing_type();
    let state = Value::object([
        ("id", Value::from("id-a")),
        ("name", Value::from("a")),
        ("size", Value::from(3)),
        ("status", Value::from("RUNNING")),
        ("tags", Value::map([("k", Value::from("v"))])),
    ]);
    let mut config = cfg("a");
    config.set_attr("size", Value::from(3));
    config.set_attr("tags", Value::map([("k", Value::from("v"))]));
    let s = configured(false).await;
    let req = |proposed: &Value, config: &Value| protocol::PlanResourceChangeRequest {
        type_name: "test_thing".into(),
        prior_state: dv(&state, &ty),
        proposed_new_state: dv(proposed, &ty),
        config: dv(config, &ty),
        ..Default::default()
    };
    let p = s.plan_resource_change(req(&state, &config)).await;
    assert!(p.diagnostics.is_empty(), "{:?}", p.diagnostics);
    assert_eq!(p.planned_state, dv(&state, &ty), "a no-op plan");

    // Identical states, but the configuration leaves `size` to its default (1): a change.
    let p = s.plan_resource_change(req(&state, &cfg("a"))).await;
    let planned = undv(&p.planned_state, &ty);
    assert_eq!(planned.get_attr("size").as_i64(), Some(1));
    assert!(planned.get_attr("status").is_unknown());
    assert_eq!(planned.get_attr("id"), &Value::from("id-a"));

    // The proposal differs by one attribute: that attribute is planned, and an immutable one errors.
    let mut changed = state.clone();
    changed.set_attr("name", Value::from("b"));
    let mut config_b = config.clone();
    config_b.set_attr("name", Value::from("b"));
    let p = s.plan_resource_change(req(&changed, &config_b)).await;
    let errs = errors(&p.diagnostics);
    assert_eq!(errs.len(), 1, "{errs:?}");
    assert!(
        errs[0].starts_with("Cannot change `name` in place"),
        "{errs:?}"
    );

    // Identical but undecodable states: both are reported, as before.
    let bad = Some(DynamicValue {
        msgpack: vec![0xc1],
        json: Vec::new(),
    });
    let p = s
        .plan_resource_change(protocol::PlanResourceChangeRequest {
            type_name: "test_thing".into(),
            prior_state: bad.clone(),
            proposed_new_state: bad,
            config: dv(&config, &ty),
            ..Default::default()
        })
        .await;
    let errs = errors(&p.diagnostics);
    assert_eq!(errs.len(), 2, "{errs:?}");
    assert!(errs[0].starts_with("Invalid prior state"), "{errs:?}");
    assert!(
        errs[1].starts_with("Invalid proposed new state"),
        "{errs:?}"
    );
    assert!(p.planned_state.is_none());
}
