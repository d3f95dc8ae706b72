//! Test helpers shared by the notebook tests: Terraform core's proposed state, a plan run through the shared
//! engine and the notebook's hook (checked against core's rules), and the configuration behind a model.

use super::notebook::{schema, TYPE_NAME};
use super::notebook_model::NotebookModel;
use super::notebook_plan::adjust_plan;
use crate::tf::conform::check_planned;
use crate::tf::plan::{config_projection, plan, PlanInput, PlanResult};
use crate::tf::{AttributePath, Block, Value};

/// Terraform core's ProposedNewState: config for non-computed, else config if set, else prior.
pub fn proposed(block: &Block, prior: &Value, config: &Value) -> Value {
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
                    .find(|x| config_projection(&nb.block, x) == key);
                proposed(&nb.block, pe.unwrap_or(&Value::Null), e)
            })),
            Value::Object(_) => proposed(&nb.block, p, c),
            other => other.clone(),
        };
        out.set_attr(nb.type_name.clone(), v);
    }
    out
}

pub fn run(prior: &Value, config: &Value, provider_force_new: Option<bool>) -> PlanResult {
    let block = schema().block;
    let prop = proposed(&block, prior, config);
    let input = PlanInput {
        schema: &block,
        prior,
        proposed: &prop,
        config,
        replace_allowed: true,
        default_immutable_hint: None,
    };
    let mut result = plan(&input);
    adjust_plan(prior, config, &mut result, provider_force_new);
    let check = check_planned(&block, prior, config, &result.planned, TYPE_NAME);
    assert!(check.is_empty(), "invalid plan: {check}");
    assert!(result.planned.check_type(&block.value_type()).is_ok());
    result
}

/// The configuration that produced `m`: computed-only values null, optional+computed ones as written.
pub fn config_of(m: &NotebookModel) -> Value {
    let mut v = m.to_value();
    for a in super::notebook_state::computed_attributes() {
        v.set_attr(a.name, Value::Null);
    }
    v.set_attr("id", Value::Null);
    v.set_attr("enable_force_new", Value::Null);
    v.set_path(
        &AttributePath::root("volume").index(0).attr("mount_path"),
        Value::Null,
    )
    .unwrap();
    v.set_path(
        &AttributePath::root("volume").index(0).attr("status"),
        Value::Null,
    )
    .unwrap();
    for i in 0..m.endpoints.len() {
        v.set_path(
            &AttributePath::root("endpoint").index(i as i64).attr("uri"),
            Value::Null,
        )
        .unwrap();
    }
    v
}
