//! The notebook's plan-time behaviour: validation and the plan hook that runs after the shared plan engine (immutability with the `enable_force_new` escape, storage shrink, the stop warning,
//! and computed values that are known in advance).

use crate::tf::plan::PlanResult;
use crate::tf::{AttributePath, Diagnostics, PathStep, Value};

use super::notebook::IMMUTABLE_HINT;
use super::notebook_model::{DesiredState, NotebookModel};
use super::notebook_state::{computed_attributes, config_view, STABLE_COMPUTED};
use super::notebook_update::plan_update;
use super::notebook_validate::validate;

/// Every configuration rule; unknown values are skipped.
pub fn validate_config(config: &Value, diags: &mut Diagnostics) {
    for v in validate(&config_view(config)) {
        diags.error_at(v.path, v.summary, v.detail);
    }
}

fn size_path() -> AttributePath {
    AttributePath::root("volume").index(0).attr("size")
}

/// The plan hook, after the engine. `provider_force_new` is the provider's `enable_force_new` (None when the
/// provider is not configured yet). The engine runs with replacement allowed, so every changed immutable
/// value arrives here as a `requires_replace` path; this decides between replacement and an error.
pub fn adjust_plan(
    prior: &Value,
    config: &Value,
    plan: &mut PlanResult,
    provider_force_new: Option<bool>,
) {
    if plan.planned.is_null() {
        return;
    }
    let create = prior.is_null();
    plan_force_new(prior, config, plan, provider_force_new);
    gate_replacements(plan);
    let desired = plan.get(&AttributePath::root("desired_state")).clone();
    let status = AttributePath::root("status");
    // The apply waits for exactly this state, so it is known now.
    if plan.get(&status).is_unknown() && desired.as_str().and_then(DesiredState::parse).is_some() {
        plan.set(&status, desired);
    }
    if create || !plan.requires_replace.is_empty() {
        return;
    }
    check_storage(prior, plan);
    keep_prior_computed(prior, config, plan);
    unknown_where_changed(prior, plan);
    warn_about_stop(prior, plan);
}

/// Computed values the update cannot change keep their prior value instead of "known after apply": all of them
/// when the update makes no API call that changes the notebook (only `timeouts` or provider-side settings
/// changed), else the stable ones that are null (they stay null: e.g. no pool, no dedicated storage).
fn keep_prior_computed(prior: &Value, config: &Value, plan: &mut PlanResult) {
    let before = NotebookModel::from_value(prior);
    let after = NotebookModel::from_value(&plan.planned);
    let update = plan_update(&before, &after);
    // A value still unknown in the configuration may turn out to be a change.
    let api_change =
        update.needs_put() || update.desired_state_changed || !config.is_wholly_known();
    let computed: Vec<String> = computed_attributes().into_iter().map(|a| a.name).collect();
    for path in plan.planned.unknown_paths() {
        let Some(prior_value) = prior.get_path(&path) else {
            continue;
        };
        let (is_computed, stable) = match path.steps.as_slice() {
            [PathStep::Attr(a)] => (computed.contains(a), STABLE_COMPUTED.contains(&a.as_str())),
            [PathStep::Attr(v), PathStep::Index(0), PathStep::Attr(a)] if v == "volume" => {
                let c = matches!(a.as_str(), "uri" | "id" | "mount_path" | "status" | "size");
                (c, c && a != "size")
            }
            [PathStep::Attr(e), PathStep::Index(_), PathStep::Attr(a)] if e == "endpoint" => {
                (a == "uri", false)
            }
            _ => (false, false),
        };
        if !is_computed {
            continue;
        }
        if !api_change || (stable && prior_value.is_null()) {
            let kept = prior_value.clone();
            plan.set(&path, kept);
        }
    }
}

fn plan_force_new(prior: &Value, config: &Value, plan: &mut PlanResult, provider: Option<bool>) {
    let path = AttributePath::root("enable_force_new");
    if !config.get_attr("enable_force_new").is_null() {
        return;
    }
    let value = match (provider, prior.get_attr("enable_force_new")) {
        (Some(p), _) => Value::bool(p),
        (None, Value::Bool(b)) => Value::bool(*b),
        (None, _) => Value::Unknown,
    };
    plan.set(&path, value);
}

/// Immutable changes: a replacement when `enable_force_new` is true, else an error naming the way out.
/// Changes to values not known yet are left to the plan at apply time.
fn gate_replacements(plan: &mut PlanResult) {
    let force_new = plan.get(&AttributePath::root("enable_force_new")).as_bool();
    if force_new == Some(true) {
        return;
    }
    for path in std::mem::take(&mut plan.requires_replace) {
        let planned = plan.get(&path).clone();
        if force_new == Some(false) && planned.is_wholly_known() {
            plan.diagnostics.error_at(
                path.clone(),
                format!("Cannot change `{path}` in place"),
                format!("`{path}` would change to {planned}. {IMMUTABLE_HINT}"),
            );
        }
    }
}

fn check_storage(prior: &Value, plan: &mut PlanResult) {
    let path = size_path();
    let (Some(before), Some(after)) = (
        prior.get_path(&path).and_then(Value::as_i64),
        plan.get(&path).as_i64(),
    ) else {
        return;
    };
    if after < before {
        plan.diagnostics.error_at(
            path,
            "Storage cannot shrink",
            format!(
                "volume[0].size is currently {before} GB and storage can only grow: set a size of {before} GB or \
                 more (it is {after})."
            ),
        );
        return;
    }
    let category = prior
        .get_path(&AttributePath::root("volume").index(0).attr("category"))
        .and_then(Value::as_str)
        .unwrap_or_default()
        .to_ascii_uppercase();
    if after > before && category != "EVS" {
        plan.diagnostics.error_at(
            path,
            "Storage cannot be resized",
            format!("Only EVS storage can grow in place; this notebook's storage is {category}."),
        );
    }
}

fn changed(prior: &Value, plan: &PlanResult, name: &str) -> bool {
    let path = AttributePath::root(name);
    prior.get_path(&path).unwrap_or(&Value::Null) != plan.get(&path)
}

/// Computed values kept from state by default that do change with certain inputs.
fn unknown_where_changed(prior: &Value, plan: &mut PlanResult) {
    if changed(prior, plan, "image_id") {
        for name in ["image_name", "image_swr_path", "image_tag", "image_type"] {
            plan.set_unknown(&AttributePath::root(name));
        }
    }
    if changed(prior, plan, "flavor") || changed(prior, plan, "custom_spec") {
        plan.set_unknown(&AttributePath::root("billing_items"));
    }
    let size = size_path();
    if prior.get_path(&size) != Some(plan.get(&size)) {
        plan.set_unknown(&AttributePath::root("volume").index(0).attr("status"));
    }
    let before = NotebookModel::from_value(prior);
    let after = NotebookModel::from_value(&plan.planned);
    if plan_update(&before, &after).body.endpoints.is_some() {
        // LIST elements pair up by position, so after any endpoint change a kept uri could be another's.
        for i in 0..after.endpoints.len() {
            plan.set_unknown(&AttributePath::root("endpoint").index(i as i64).attr("uri"));
        }
    }
}

fn warn_about_stop(prior: &Value, plan: &mut PlanResult) {
    let before = NotebookModel::from_value(prior);
    let after = NotebookModel::from_value(&plan.planned);
    if before.info.status.as_deref() != Some("RUNNING") {
        return;
    }
    let update = plan_update(&before, &after);
    if !update.needs_put() {
        return;
    }
    let fields = update.changed_fields().join(", ");
    let name = &after.name;
    let then = match after.desired_state {
        DesiredState::Running => "start it again",
        DesiredState::Stopped => "leave it STOPPED (desired_state)",
    };
    let (summary, detail) = if !after.allow_stop_for_update {
        (
            "Update may fail: notebook is running",
            format!(
                "Notebook {name} is RUNNING and allow_stop_for_update = false. Changing {fields} needs a stopped \
                 notebook unless ModelArts accepts it while running; otherwise the apply fails without stopping it."
            ),
        )
    } else if update.hot_eligible() {
        (
            "Notebook may be stopped for this update",
            format!(
                "Notebook {name} is RUNNING. The apply first tries to change {fields} while it runs; if ModelArts \
                 refuses, it stops the notebook, updates it and will {then}."
            ),
        )
    } else {
        (
            "Notebook will be stopped for this update",
            format!("Notebook {name} is RUNNING. Changing {fields} needs it stopped: the apply will stop it, update it and {then}."),
        )
    };
    plan.diagnostics.warning(summary, detail);
}

#[cfg(test)]
#[path = "notebook_plan_tests.rs"]
mod tests;
