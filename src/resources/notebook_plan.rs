//! The notebook's plan-time behaviour: validation, the forecast of what an update does (which the shared plan
//! engine uses to keep computed values the update cannot change), and the plan hook that runs after the engine
//! (immutability with the `enable_force_new` escape, storage shrink, the stop warning, the status to expect).

use std::collections::BTreeSet;

use crate::tf::plan::{Effects, PlanResult};
use crate::tf::{AttributePath, Diagnostics, Value};

use super::notebook::IMMUTABLE_HINT;
use super::notebook_model::{DesiredState, NotebookModel};
use super::notebook_state::config_view;
use super::notebook_update::plan_update;
use super::notebook_validate::validate;

/// Effects of an update, as the forecast names them and computed attributes declare them (`changes_with`).
pub mod effect {
    /// A PUT is sent (bumps `update_at`).
    pub const PUT: &str = "put";
    /// The notebook may be stopped.
    pub const STOP: &str = "stop";
    /// The notebook may be started: a start resets the lease.
    pub const START: &str = "start";
    /// The status may move: a stop, a start, or a transition in progress that the apply waits out. Status
    /// history (`action_progress`, `fail_reason`) and `update_at` follow it.
    pub const TRANSITION: &str = "transition";
    /// The PUT changes the image (its name, tag, … follow).
    pub const IMAGE: &str = "image";
    /// The PUT changes flavor or custom_spec (billing follows).
    pub const FLAVOR: &str = "flavor";
    /// The PUT grows the storage (`volume.status` shows RESIZING meanwhile).
    pub const RESIZE: &str = "resize";
    /// The PUT replaces the endpoints (LIST elements pair by position, so every uri may move).
    pub const ENDPOINTS: &str = "endpoints";
}

/// Which effects change each computed attribute of the resource; `&[]` = never changes after creation.
/// Every computed attribute has an entry (a test checks), so an update plans nothing unknown it cannot change.
pub fn changes_with(path: &str) -> Option<&'static [&'static str]> {
    use effect::*;
    Some(match path {
        "id" | "url" | "token" | "pool_name" | "feature" | "user" | "run_user" | "created_at" => {
            &[]
        }
        "volume.uri" | "volume.id" | "volume.mount_path" => &[],
        "status" | "fail_reason" | "action_progress" => &[TRANSITION],
        "lease" => &[START],
        "updated_at" => &[PUT, TRANSITION],
        "image_name" | "image_swr_path" | "image_tag" | "image_type" => &[IMAGE],
        "billing_items" => &[FLAVOR],
        "volume.status" => &[RESIZE],
        "endpoint.uri" => &[ENDPOINTS],
        _ => return None,
    })
}

/// What the update of `prior` to `planned` does, mirroring `NotebookResource::update`: a PUT when the minimal
/// body is not empty (on a RUNNING notebook it may stop and restart it: the server decides whether it takes the
/// change hot), then a start or stop to reach `desired_state` from the status the state was refreshed with.
pub fn forecast(prior: &Value, planned: &Value, config: &Value) -> Effects {
    if !config.is_wholly_known() {
        // An unknown value may turn out to be any change.
        return Effects::Any;
    }
    let before = NotebookModel::from_value(prior);
    let after = NotebookModel::from_value(planned);
    let update = plan_update(&before, &after);
    let status = before.info.status.as_deref();
    let mut e = BTreeSet::new();
    let put = update.needs_put();
    if put {
        let b = &update.body;
        e.insert(effect::PUT);
        for (changed, name) in [
            (b.image_id.is_some(), effect::IMAGE),
            (
                b.flavor.is_some() || b.custom_spec.is_some(),
                effect::FLAVOR,
            ),
            (b.storage_new_size.is_some(), effect::RESIZE),
            (b.endpoints.is_some(), effect::ENDPOINTS),
        ] {
            if changed {
                e.insert(name);
            }
        }
    }
    let stop = (put && !matches!(status, Some("STOPPED" | "START_FAILED")))
        || (after.desired_state == DesiredState::Stopped && status != Some("STOPPED"));
    let start = after.desired_state == DesiredState::Running && (stop || status != Some("RUNNING"));
    if stop {
        e.insert(effect::STOP);
    }
    if start {
        e.insert(effect::START);
    }
    if stop || start || !matches!(status, Some("RUNNING" | "STOPPED")) {
        e.insert(effect::TRANSITION);
    }
    Effects::Only(e)
}

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
    warn_about_stop(prior, plan);
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

fn warn_about_stop(prior: &Value, plan: &mut PlanResult) {
    // Cheap exits before building both models: only a running notebook warns, and a plan equal to the
    // prior state sends no PUT.
    if prior.get_attr("status").as_str() != Some("RUNNING") || plan.planned == *prior {
        return;
    }
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
