//! The pure update planner: (prior state, planned state) → the minimal `PUT /notebooks/{id}` body and the
//! start/stop the apply must do around it.
//!
//! Minimal means: only changed top-level fields; a changed nested object (custom_spec, hooks, endpoints) is sent
//! whole; affinity lists are sent independently; removals use the seed page's clear forms (`""`, `[]`, both
//! affinity lists `[]`); a flavor ↔ custom_spec switch sends only the new one; storage growth is
//! `storage_new_size`. Shrinks and immutable changes never get here: the plan rejects them.

use crate::api;

use super::notebook_model::{endpoints_request, rules_request, DesiredState, Hooks, NotebookModel};

/// What an update must do.
#[derive(Clone, Debug, PartialEq)]
pub struct UpdatePlan {
    /// The PUT body; empty means no PUT at all.
    pub body: api::NotebookUpdateRequest,
    /// The state the notebook must end in.
    pub desired_state: DesiredState,
    /// `desired_state` differs from the prior state's, so a start or stop is due even without a PUT.
    pub desired_state_changed: bool,
}

impl UpdatePlan {
    pub fn needs_put(&self) -> bool {
        !self.body.is_empty()
    }

    /// True when every field of the PUT is one the official provider updates on a RUNNING notebook (name,
    /// description, storage size). Such a PUT is tried without stopping first; any other field needs STOPPED.
    pub fn hot_eligible(&self) -> bool {
        let rest = api::NotebookUpdateRequest {
            name: None,
            description: None,
            storage_new_size: None,
            ..self.body.clone()
        };
        self.needs_put() && rest.is_empty()
    }

    /// The names of the fields the PUT changes, for messages ("changing flavor, image_id needs a stop").
    pub fn changed_fields(&self) -> Vec<&'static str> {
        let b = &self.body;
        [
            ("name", b.name.is_some()),
            ("description", b.description.is_some()),
            ("endpoint", b.endpoints.is_some()),
            ("flavor", b.flavor.is_some()),
            ("custom_spec", b.custom_spec.is_some()),
            ("image_id", b.image_id.is_some()),
            ("volume.size", b.storage_new_size.is_some()),
            ("hooks", b.hooks.is_some()),
            ("affinity", b.affinity.is_some()),
        ]
        .into_iter()
        .filter_map(|(name, set)| set.then_some(name))
        .collect()
    }
}

/// Sorted copies of every set-like list, so that order never counts as a change.
fn canonical_endpoints(m: &NotebookModel) -> Vec<api::EndpointsReq> {
    let mut list = endpoints_request(&m.endpoints);
    for e in &mut list {
        e.service = e.service.as_ref().map(|s| s.to_ascii_uppercase());
        if let Some(k) = &mut e.key_pair_names {
            k.sort();
        }
        if let Some(ips) = &mut e.allowed_access_ips {
            ips.sort();
        }
    }
    list
}

fn canonical_hooks(h: &Option<Hooks>) -> Option<&Hooks> {
    h.as_ref()
        .filter(|h| h.pre_start.is_some() || h.post_start.is_some())
}

fn affinity_lists(m: &NotebookModel) -> (Vec<api::AffinityRule>, Vec<api::AffinityRule>) {
    match &m.affinity {
        Some(a) => (rules_request(&a.required), rules_request(&a.preferred)),
        None => (vec![], vec![]),
    }
}

fn affinity_change(prior: &NotebookModel, planned: &NotebookModel) -> Option<api::AffinityType> {
    let (prior_req, prior_pref) = affinity_lists(prior);
    let (req, pref) = affinity_lists(planned);
    if prior_req == req && prior_pref == pref {
        return None;
    }
    if req.is_empty() && pref.is_empty() {
        // Removing affinity altogether: the seed page's documented clear form, both lists `[]`.
        return Some(api::AffinityType {
            required_during_scheduling_ignored_during_execution: Some(vec![]),
            preferred_during_scheduling_ignored_during_execution: Some(vec![]),
        });
    }
    Some(api::AffinityType {
        required_during_scheduling_ignored_during_execution: (prior_req != req).then_some(req),
        preferred_during_scheduling_ignored_during_execution: (prior_pref != pref).then_some(pref),
    })
}

/// Computes the update. Both models are wholly known (apply time).
pub fn plan_update(prior: &NotebookModel, planned: &NotebookModel) -> UpdatePlan {
    let mut body = api::NotebookUpdateRequest::default();
    if planned.name != prior.name {
        body.name = Some(planned.name.clone());
    }
    let description = planned.description.clone().unwrap_or_default();
    if description != prior.description.clone().unwrap_or_default() {
        body.description = Some(description);
    }
    let endpoints = canonical_endpoints(planned);
    if endpoints != canonical_endpoints(prior) {
        body.endpoints = Some(endpoints_request(&planned.endpoints));
    }
    if planned.flavor.is_some() && planned.flavor != prior.flavor {
        body.flavor = planned.flavor.clone();
    } else if planned.custom_spec.is_some() && planned.custom_spec != prior.custom_spec {
        body.custom_spec = planned.custom_spec.as_ref().map(|s| s.request());
    }
    if !planned.image_id.eq_ignore_ascii_case(&prior.image_id) {
        body.image_id = Some(planned.image_id.clone());
    }
    if let Some(size) = planned.volume.size {
        if prior.volume.size.map_or(true, |p| size > p) {
            body.storage_new_size = Some(size);
        }
    }
    if canonical_hooks(&planned.hooks) != canonical_hooks(&prior.hooks) {
        body.hooks = Some(
            canonical_hooks(&planned.hooks)
                .cloned()
                .unwrap_or_default()
                .request(),
        );
    }
    body.affinity = affinity_change(prior, planned);
    UpdatePlan {
        body,
        desired_state: planned.desired_state,
        desired_state_changed: planned.desired_state != prior.desired_state,
    }
}

#[cfg(test)]
#[path = "notebook_update_tests.rs"]
mod tests;
