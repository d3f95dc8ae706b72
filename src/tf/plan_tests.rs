//! Unit tests of the plan engine, one per rule.

use super::*;
use crate::tf::conform::{check_planned, normalize};
use crate::tf::schema::NestedBlock;
use crate::tf::types::Type;

const HINT: &str = "Set `enable_force_new = true` to replace the notebook instead.";

fn schema() -> Block {
    Block::new()
        .attribute(Attribute::string("name").required().immutable())
        .attribute(Attribute::string("description").optional())
        .attribute(Attribute::string("flavor").optional().immutable_hint(HINT))
        .attribute(
            Attribute::string("password")
                .optional()
                .sensitive()
                .immutable(),
        )
        .attribute(Attribute::string("id").computed())
        .attribute(Attribute::string("status").computed())
        .attribute(
            Attribute::string("created_at")
                .computed()
                .use_state_for_unknown(),
        )
        .attribute(Attribute::string("image").optional().computed())
        .attribute(Attribute::number("max_retries").default(5))
        .attribute(Attribute::string("zone").optional().requires_replace())
        .block(NestedBlock::list(
            "volume",
            Block::new()
                .attribute(Attribute::number("size").optional().immutable())
                .attribute(Attribute::string("ownership").optional().computed())
                .attribute(Attribute::string("volume_id").computed()),
        ))
        .block(NestedBlock::set(
            "tag",
            Block::new()
                .attribute(Attribute::string("key").required())
                .attribute(Attribute::string("tag_id").computed()),
        ))
        .block(NestedBlock::single(
            "lease",
            Block::new()
                .attribute(Attribute::number("hours").optional())
                .attribute(Attribute::string("ends_at").computed()),
        ))
}

fn obj(pairs: &[(&str, Value)]) -> Value {
    normalize(
        &schema(),
        &Value::object(pairs.iter().map(|(k, v)| (*k, v.clone()))),
    )
}

fn vol(pairs: &[(&str, Value)]) -> Value {
    Value::object(pairs.iter().map(|(k, v)| (*k, v.clone())))
}

/// Terraform core's ProposedNew: config for non-computed, else config if set, else prior.
fn proposed(block: &Block, prior: &Value, config: &Value) -> Value {
    let Value::Object(_) = config else {
        return config.clone();
    };
    let mut out = config.clone();
    for a in &block.attributes {
        let c = config.get_attr(&a.name);
        let v = if a.computed && c.is_null() {
            prior.get_attr(&a.name).clone()
        } else {
            c.clone()
        };
        out.set_attr(a.name.clone(), v);
    }
    for nb in &block.blocks {
        let (p, c) = (
            prior.get_attr(&nb.type_name),
            config.get_attr(&nb.type_name),
        );
        let v = match c {
            Value::List(items) => Value::List(
                items
                    .iter()
                    .enumerate()
                    .map(|(i, e)| {
                        proposed(&nb.block, p.elements().get(i).unwrap_or(&Value::Null), e)
                    })
                    .collect(),
            ),
            Value::Set(items) => Value::set(items.iter().map(|e| {
                let key = config_projection(&nb.block, e);
                let pe = p
                    .elements()
                    .iter()
                    .find(|x| config_projection(&nb.block, x) == key)
                    .unwrap_or(&Value::Null);
                proposed(&nb.block, pe, e)
            })),
            Value::Object(_) => proposed(&nb.block, p, c),
            other => other.clone(),
        };
        out.set_attr(nb.type_name.clone(), v);
    }
    out
}

fn run(prior: &Value, config: &Value, replace_allowed: bool) -> PlanResult {
    let block = schema();
    let prop = proposed(&block, prior, config);
    let input = PlanInput {
        schema: &block,
        prior,
        proposed: &prop,
        config,
        replace_allowed,
        default_immutable_hint: None,
    };
    let result = plan(&input);
    let check = check_planned(&block, prior, config, &result.planned, "t");
    assert!(check.is_empty(), "engine produced an invalid plan: {check}");
    assert!(result.planned.check_type(&block.value_type()).is_ok());
    result
}

fn existing() -> Value {
    obj(&[
        ("name", "nb".into()),
        ("flavor", "small".into()),
        ("id", "i-1".into()),
        ("status", "RUNNING".into()),
        ("created_at", "2024-01-01".into()),
        ("image", "img-default".into()),
        ("max_retries", 5.into()),
        (
            "volume",
            Value::list([vol(&[
                ("size", 5.into()),
                ("ownership", "MANAGED".into()),
                ("volume_id", "v-1".into()),
            ])]),
        ),
        (
            "tag",
            Value::set([vol(&[("key", "a".into()), ("tag_id", "t-a".into())])]),
        ),
    ])
}

fn config_of_existing() -> Value {
    obj(&[
        ("name", "nb".into()),
        ("flavor", "small".into()),
        ("volume", Value::list([vol(&[("size", 5.into())])])),
        ("tag", Value::set([vol(&[("key", "a".into())])])),
    ])
}

#[test]
fn create_plans_config_defaults_and_unknowns() {
    let config = obj(&[
        ("name", "nb".into()),
        ("volume", Value::list([vol(&[("size", 5.into())])])),
    ]);
    let r = run(&Value::Null, &config, false);
    let p = &r.planned;
    assert_eq!(p.get_attr("name"), &Value::from("nb"));
    assert!(p.get_attr("description").is_null());
    assert!(p.get_attr("id").is_unknown());
    assert!(p.get_attr("created_at").is_unknown());
    assert!(
        p.get_attr("image").is_unknown(),
        "optional+computed null on create is unknown"
    );
    assert_eq!(p.get_attr("max_retries").as_i64(), Some(5));
    let v0 = &p.get_attr("volume").elements()[0];
    assert_eq!(v0.get_attr("size").as_i64(), Some(5));
    assert!(v0.get_attr("ownership").is_unknown());
    assert!(v0.get_attr("volume_id").is_unknown());
    assert!(p.get_attr("lease").is_null());
    assert!(r.requires_replace.is_empty() && r.diagnostics.is_empty());
}

#[test]
fn update_without_changes_keeps_every_prior_value() {
    let prior = existing();
    let r = run(&prior, &config_of_existing(), false);
    assert_eq!(r.planned, prior);
    assert!(r.diagnostics.is_empty());
}

#[test]
fn update_with_changes_marks_computed_unknown() {
    let prior = existing();
    let mut config = config_of_existing();
    config.set_attr("description", "new".into());
    let r = run(&prior, &config, false);
    let p = &r.planned;
    assert_eq!(p.get_attr("description"), &Value::from("new"));
    assert!(
        p.get_attr("status").is_unknown(),
        "computed-only becomes unknown when anything changes"
    );
    assert_eq!(
        p.get_attr("created_at"),
        &Value::from("2024-01-01"),
        "use_state_for_unknown"
    );
    assert_eq!(
        p.get_attr("image"),
        &Value::from("img-default"),
        "optional+computed keeps prior"
    );
    let v0 = &p.get_attr("volume").elements()[0];
    assert_eq!(v0.get_attr("ownership"), &Value::from("MANAGED"));
    assert!(v0.get_attr("volume_id").is_unknown());
}

#[test]
fn default_is_planned_again_when_config_removes_the_value() {
    let mut prior = existing();
    prior.set_attr("max_retries", 9.into());
    let r = run(&prior, &config_of_existing(), false);
    assert_eq!(r.planned.get_attr("max_retries").as_i64(), Some(5));
    assert!(
        r.planned.get_attr("status").is_unknown(),
        "the default differs from prior: that is a change"
    );
}

#[test]
fn new_block_element_on_update_gets_unknown_computed_values() {
    let prior = existing();
    let mut config = config_of_existing();
    config.set_attr(
        "volume",
        Value::list([vol(&[("size", 5.into())]), vol(&[("size", Value::Null)])]),
    );
    let r = run(&prior, &config, true);
    let v1 = &r.planned.get_attr("volume").elements()[1];
    assert!(v1.get_attr("ownership").is_unknown());
    assert!(v1.get_attr("volume_id").is_unknown());
    assert!(
        r.requires_replace.is_empty(),
        "a null immutable value in a new element is no change"
    );
}

#[test]
fn immutable_change_is_an_error_with_path_and_hint() {
    let prior = existing();
    let mut config = config_of_existing();
    config.set_attr("flavor", "large".into());
    let r = run(&prior, &config, false);
    assert_eq!(r.diagnostics.errors().count(), 1);
    let d = &r.diagnostics.0[0];
    assert_eq!(d.path, Some(AttributePath::root("flavor")));
    assert_eq!(d.summary, "Cannot change `flavor` in place");
    assert_eq!(
        d.detail,
        format!("`flavor` cannot be changed in place (from \"small\" to \"large\"). {HINT}")
    );
    assert!(r.requires_replace.is_empty());
}

#[test]
fn immutable_change_requires_replace_when_allowed() {
    let prior = existing();
    let mut config = config_of_existing();
    config.set_attr("flavor", "large".into());
    config.set_attr("volume", Value::list([vol(&[("size", 10.into())])]));
    let r = run(&prior, &config, true);
    assert!(r.diagnostics.is_empty());
    assert_eq!(
        r.requires_replace,
        vec![
            AttributePath::root("flavor"),
            AttributePath::root("volume").index(0).attr("size")
        ]
    );
}

#[test]
fn nested_immutable_error_points_into_the_block() {
    let mut config = config_of_existing();
    config.set_attr("volume", Value::list([vol(&[("size", 10.into())])]));
    let r = run(&existing(), &config, false);
    assert_eq!(
        r.diagnostics.0[0].path,
        Some(AttributePath::root("volume").index(0).attr("size"))
    );
    assert!(r.diagnostics.0[0]
        .detail
        .ends_with("Revert it to its previous value."));
}

#[test]
fn immutable_sensitive_change_hides_values() {
    let mut prior = existing();
    prior.set_attr("password", "old-secret".into());
    let mut config = config_of_existing();
    config.set_attr("password", "new-secret".into());
    let r = run(&prior, &config, false);
    let d = &r.diagnostics.0[0];
    assert!(!d.detail.contains("secret"), "{}", d.detail);
}

#[test]
fn immutable_unknown_config_defers_or_replaces() {
    let mut config = config_of_existing();
    config.set_attr("flavor", Value::Unknown);
    let r = run(&existing(), &config, false);
    assert!(
        r.diagnostics.is_empty(),
        "unknown may not change: decided by the apply-time plan"
    );
    assert!(r.planned.get_attr("flavor").is_unknown());
    let r = run(&existing(), &config, true);
    assert_eq!(r.requires_replace, vec![AttributePath::root("flavor")]);
}

#[test]
fn immutable_is_not_checked_on_create() {
    let config = obj(&[("name", "nb".into()), ("flavor", "large".into())]);
    let r = run(&Value::Null, &config, false);
    assert!(r.diagnostics.is_empty() && r.requires_replace.is_empty());
}

#[test]
fn requires_replace_modifier() {
    let mut prior = existing();
    prior.set_attr("zone", "az1".into());
    let mut config = config_of_existing();
    config.set_attr("zone", "az1".into());
    assert!(run(&prior, &config, false).requires_replace.is_empty());
    config.set_attr("zone", "az2".into());
    assert_eq!(
        run(&prior, &config, false).requires_replace,
        vec![AttributePath::root("zone")]
    );
}

#[test]
fn unknowns_from_config_are_planned_unknown() {
    let config = obj(&[
        ("name", Value::Unknown),
        ("image", Value::Unknown),
        ("volume", Value::Unknown),
    ]);
    let r = run(&Value::Null, &config, false);
    assert!(r.planned.get_attr("name").is_unknown());
    assert!(r.planned.get_attr("image").is_unknown());
    assert!(
        r.planned.get_attr("volume").is_unknown(),
        "unknown block collections pass through"
    );
}

#[test]
fn set_block_elements_keep_computed_values_of_matching_prior_elements() {
    let prior = existing();
    let mut config = config_of_existing();
    config.set_attr(
        "tag",
        Value::set([vol(&[("key", "a".into())]), vol(&[("key", "b".into())])]),
    );
    let r = run(&prior, &config, false);
    let tags = r.planned.get_attr("tag").elements();
    assert_eq!(tags.len(), 2);
    let a = tags
        .iter()
        .find(|t| t.get_attr("key").as_str() == Some("a"))
        .cloned()
        .unwrap_or(Value::Null);
    let b = tags
        .iter()
        .find(|t| t.get_attr("key").as_str() == Some("b"))
        .cloned()
        .unwrap_or(Value::Null);
    assert!(
        a.get_attr("tag_id").is_unknown(),
        "the resource changes, computed-only goes unknown"
    );
    assert!(b.get_attr("tag_id").is_unknown());
    // With no change at all, the matched element keeps its computed value.
    let r = run(&prior, &config_of_existing(), false);
    assert_eq!(
        r.planned.get_attr("tag").elements()[0].get_attr("tag_id"),
        &Value::from("t-a")
    );
}

#[test]
fn single_block_recurses() {
    let mut prior = existing();
    prior.set_attr(
        "lease",
        vol(&[("hours", 2.into()), ("ends_at", "t1".into())]),
    );
    let mut config = config_of_existing();
    config.set_attr(
        "lease",
        vol(&[("hours", 3.into()), ("ends_at", Value::Null)]),
    );
    let r = run(&prior, &config, false);
    assert_eq!(
        r.planned.get_attr("lease").get_attr("hours").as_i64(),
        Some(3)
    );
    assert!(r.planned.get_attr("lease").get_attr("ends_at").is_unknown());
}

#[test]
fn immutable_block_detects_added_elements() {
    let block = Block::new()
        .attribute(Attribute::string("id").computed())
        .block(
            NestedBlock::list(
                "disk",
                Block::new()
                    .attribute(Attribute::number("gb").optional())
                    .attribute(Attribute::string("uid").computed()),
            )
            .immutable(),
        );
    let el = |gb: i64, uid: Value| Value::object([("gb", Value::from(gb)), ("uid", uid)]);
    let prior = Value::object([
        ("id", Value::from("x")),
        ("disk", Value::list([el(1, "u".into())])),
    ]);
    let config = Value::object([
        ("id", Value::Null),
        (
            "disk",
            Value::list([el(1, Value::Null), el(2, Value::Null)]),
        ),
    ]);
    let prop = proposed(&block, &prior, &config);
    let input = PlanInput {
        schema: &block,
        prior: &prior,
        proposed: &prop,
        config: &config,
        replace_allowed: true,
        default_immutable_hint: None,
    };
    assert_eq!(
        plan(&input).requires_replace,
        vec![AttributePath::root("disk")]
    );
    // Unchanged content (computed values differ only by being unknown) is no change.
    let config = Value::object([
        ("id", Value::Null),
        ("disk", Value::list([el(1, Value::Null)])),
    ]);
    let prop = proposed(&block, &prior, &config);
    let input = PlanInput {
        schema: &block,
        prior: &prior,
        proposed: &prop,
        config: &config,
        replace_allowed: true,
        default_immutable_hint: None,
    };
    assert!(plan(&input).requires_replace.is_empty());
}

#[test]
fn destroy_passes_through() {
    let block = schema();
    let prior = existing();
    let input = PlanInput {
        schema: &block,
        prior: &prior,
        proposed: &Value::Null,
        config: &Value::Null,
        replace_allowed: false,
        default_immutable_hint: None,
    };
    let r = plan(&input);
    assert!(r.planned.is_null() && r.diagnostics.is_empty());
}

#[test]
fn provider_wide_hint_is_used_when_the_attribute_has_none() {
    let block = schema();
    let prior = existing();
    let mut config = config_of_existing();
    config.set_attr("name", "other".into());
    let prop = proposed(&block, &prior, &config);
    let input = PlanInput {
        schema: &block,
        prior: &prior,
        proposed: &prop,
        config: &config,
        replace_allowed: false,
        default_immutable_hint: Some("Use force."),
    };
    let r = plan(&input);
    assert!(r.diagnostics.0[0].detail.ends_with("Use force."));
}

#[test]
fn plan_result_helpers() {
    let mut r = PlanResult {
        planned: existing(),
        ..PlanResult::default()
    };
    r.set_unknown(&AttributePath::root("status"));
    assert!(r.get(&AttributePath::root("status")).is_unknown());
    r.set(
        &AttributePath::root("volume").index(9).attr("size"),
        Value::Null,
    );
    assert!(r.diagnostics.has_errors());
    r.require_replace(AttributePath::root("a"));
    r.require_replace(AttributePath::root("a"));
    assert_eq!(r.requires_replace.len(), 1);
    let _ = Type::String;
}

#[test]
fn optional_computed_with_null_prior_is_unknown_only_when_something_changes() {
    let mut prior = existing();
    prior.set_attr("image", Value::Null);
    let r = run(&prior, &config_of_existing(), false);
    assert!(
        r.planned.get_attr("image").is_null(),
        "no changes: keep the (null) prior, no perpetual diff"
    );
    let mut config = config_of_existing();
    config.set_attr("description", "changed".into());
    let r = run(&prior, &config, false);
    assert!(
        r.planned.get_attr("image").is_unknown(),
        "a known null would force apply to return null"
    );
}

/// A schema whose forecast names "renamed" when the name changes and "resized" when the volume size does.
fn forecast_schema() -> Block {
    fn forecast(prior: &Value, planned: &Value, config: &Value) -> Effects {
        if !config.is_wholly_known() {
            return Effects::Any;
        }
        let mut e = BTreeSet::new();
        if prior.get_attr("name") != planned.get_attr("name") {
            e.insert("renamed");
        }
        let size = |v: &Value| v.get_attr("volume").elements().first().cloned();
        if size(prior).map(|v| v.get_attr("size").clone())
            != size(planned).map(|v| v.get_attr("size").clone())
        {
            e.insert("resized");
        }
        Effects::Only(e)
    }
    Block::new()
        .forecast(forecast)
        .attribute(Attribute::string("name").required())
        .attribute(Attribute::string("description").optional())
        .attribute(
            Attribute::string("url")
                .computed()
                .changes_with(&["renamed"]),
        )
        .attribute(Attribute::string("pool").computed().changes_with(&[]))
        .attribute(Attribute::string("status").computed())
        .block(NestedBlock::list(
            "volume",
            Block::new()
                .attribute(Attribute::number("size").optional())
                .attribute(
                    Attribute::string("state")
                        .computed()
                        .changes_with(&["resized"]),
                ),
        ))
}

fn run_forecast(prior: &Value, config: &Value) -> PlanResult {
    let block = forecast_schema();
    let prop = proposed(&block, prior, config);
    let input = PlanInput {
        schema: &block,
        prior,
        proposed: &prop,
        config,
        replace_allowed: false,
        default_immutable_hint: None,
    };
    let result = plan(&input);
    let check = check_planned(&block, prior, config, &result.planned, "t");
    assert!(check.is_empty(), "engine produced an invalid plan: {check}");
    result
}

#[test]
fn changes_with_keeps_prior_values_unless_the_forecast_names_an_effect() {
    let prior = Value::object([
        ("name", Value::from("a")),
        ("description", Value::Null),
        ("url", "https://a".into()),
        ("pool", Value::Null),
        ("status", "RUNNING".into()),
        (
            "volume",
            Value::list([vol(&[("size", 5.into()), ("state", "OK".into())])]),
        ),
    ]);
    let config = |name: &str, desc: Value, size: Value| {
        Value::object([
            ("name", Value::from(name)),
            ("description", desc),
            ("url", Value::Null),
            ("pool", Value::Null),
            ("status", Value::Null),
            (
                "volume",
                Value::list([vol(&[("size", size), ("state", Value::Null)])]),
            ),
        ])
    };
    let state = AttributePath::root("volume").index(0).attr("state");
    let unknowns = |r: &PlanResult| -> Vec<String> {
        let mut u: Vec<String> = r
            .planned
            .unknown_paths()
            .iter()
            .map(|p| p.to_string())
            .collect();
        u.sort();
        u
    };

    // No effect: every declared value kept, a null one too; the undeclared one follows the default rule.
    let r = run_forecast(&prior, &config("a", "d".into(), 5.into()));
    assert_eq!(unknowns(&r), vec!["status"]);
    assert_eq!(
        r.get(&AttributePath::root("url")).as_str(),
        Some("https://a")
    );
    assert!(r.get(&AttributePath::root("pool")).is_null());

    let r = run_forecast(&prior, &config("b", Value::Null, 5.into()));
    assert_eq!(unknowns(&r), vec!["status", "url"]);

    let r = run_forecast(&prior, &config("a", Value::Null, 8.into()));
    assert_eq!(unknowns(&r), vec!["status", "volume[0].state"]);
    assert!(r.get(&state).is_unknown());

    // Unknown configuration: the forecast cannot tell, so every declared effect may happen; `&[]` still holds.
    let r = run_forecast(&prior, &config("a", Value::Unknown, 5.into()));
    assert_eq!(
        unknowns(&r),
        vec!["description", "status", "url", "volume[0].state"]
    );
    assert!(r.get(&AttributePath::root("pool")).is_null());

    // Nothing changed: no update, the prior state as is.
    let r = run_forecast(&prior, &config("a", Value::Null, 5.into()));
    assert_eq!(r.planned, prior);

    // Create: every computed value unknown, whatever is declared.
    let r = run_forecast(&Value::Null, &config("a", Value::Null, 5.into()));
    assert_eq!(
        unknowns(&r),
        vec!["pool", "status", "url", "volume[0].state"]
    );
}

#[test]
fn changes_with_needs_a_computed_attribute() {
    let b = Block::new()
        .attribute(Attribute::string("a").optional().changes_with(&[]))
        .attribute(Attribute::string("b").default("x").changes_with(&[]))
        .attribute(Attribute::string("c").computed().changes_with(&[]));
    let diags = b.check(&AttributePath::empty());
    let paths: Vec<String> = diags
        .errors()
        .map(|d| d.path.as_ref().unwrap().to_string())
        .collect();
    assert_eq!(paths, vec!["a", "b"]);
}

/// Plans `prior` against `proposed` on the schema without its set block (so the in-place comparison of
/// the defaults pass runs at the root), once with proposed the very value of prior when they are equal.
fn run_setless(prior: &Value, proposed: &Value, config: &Value) -> (PlanResult, PlanResult) {
    let mut block = schema();
    block.blocks.retain(|b| b.type_name != "tag");
    let strip = |v: &Value| {
        let mut v = v.clone();
        if let Value::Object(m) = &mut v {
            m.remove("tag");
        }
        v
    };
    let (prior, proposed, config) = (strip(prior), strip(proposed), strip(config));
    let plan_with = |prop: &Value| {
        plan(&PlanInput {
            schema: &block,
            prior: &prior,
            proposed: prop,
            config: &config,
            replace_allowed: false,
            default_immutable_hint: None,
        })
    };
    let copied = plan_with(&proposed.clone());
    let shared = if proposed == prior {
        plan_with(&prior)
    } else {
        plan_with(&proposed)
    };
    let check = check_planned(&block, &prior, &config, &shared.planned, "t");
    assert!(check.is_empty(), "engine produced an invalid plan: {check}");
    (shared, copied)
}

#[test]
fn identical_prior_and_proposed_plan_like_separate_values() {
    let prior = existing();
    let config = config_of_existing();
    let prop = proposed(&schema(), &prior, &config);
    assert_eq!(prop, prior, "the no-op proposal is the prior state");
    let (shared, copied) = run_setless(&prior, &prop, &config);
    assert_eq!(shared, copied);
    assert_eq!(shared.planned.get_attr("status"), &Value::from("RUNNING"));
    assert!(shared.diagnostics.is_empty() && shared.requires_replace.is_empty());

    // Same prior and proposal, but the configuration drops a value whose default differs: a change.
    let mut prior9 = prior.clone();
    prior9.set_attr("max_retries", 9.into());
    let prop9 = proposed(&schema(), &prior9, &config);
    assert_eq!(prop9, prior9);
    let (shared, copied) = run_setless(&prior9, &prop9, &config);
    assert_eq!(shared, copied);
    assert_eq!(shared.planned.get_attr("max_retries").as_i64(), Some(5));
    assert!(shared.planned.get_attr("status").is_unknown());

    // One attribute differs, at the root and inside a block element.
    let mut config_d = config.clone();
    config_d.set_attr("description", "new".into());
    let prop_d = proposed(&schema(), &prior, &config_d);
    let (shared, _) = run_setless(&prior, &prop_d, &config_d);
    assert_eq!(shared.planned.get_attr("description"), &Value::from("new"));
    assert!(shared.planned.get_attr("status").is_unknown());
    assert_eq!(
        shared.planned.get_attr("image"),
        &Value::from("img-default")
    );
    let mut prop_v = prop.clone();
    let mut vols = prop_v.get_attr("volume").clone();
    if let Value::List(items) = &mut vols {
        items[0].set_attr("ownership", "SHARED".into());
    }
    prop_v.set_attr("volume", vols.clone());
    let mut config_v = config.clone();
    let mut cvols = config_v.get_attr("volume").clone();
    if let Value::List(items) = &mut cvols {
        items[0].set_attr("ownership", "SHARED".into());
    }
    config_v.set_attr("volume", cvols);
    let (shared, _) = run_setless(&prior, &prop_v, &config_v);
    let v0 = &shared.planned.get_attr("volume").elements()[0];
    assert_eq!(v0.get_attr("ownership"), &Value::from("SHARED"));
    assert!(
        v0.get_attr("volume_id").is_unknown(),
        "a change makes computed values unknown"
    );
    assert!(shared.planned.get_attr("status").is_unknown());
}
