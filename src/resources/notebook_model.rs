//! The notebook's attributes as Rust types, and the mappings API response → model and model → create request.
//!
//! Shared with the notebook data sources: [`NotebookModel::from_resp`] gives every attribute the API reports, in
//! the canonical form state uses; [`NotebookModel::reconcile`] then keeps the prior state's spelling wherever the
//! server's value means the same thing, so that nothing the server upper-cases, reorders or fills in shows as a
//! perpetual diff.

use std::fmt;

use time::format_description::well_known::Rfc3339;
use time::OffsetDateTime;

use crate::api;
use crate::api::{NotebookResp, NotebookStatus};

/// The flavor string the API reports for a notebook that runs on a custom spec.
pub const CUSTOM_FLAVOR_CODE: &str = "custom.flavor.spec.code";
pub const DEFAULT_WORKSPACE_ID: &str = "0";
pub const DEFAULT_HOOK_TYPE: &str = "SCRIPT";
pub const DEFAULT_OWNERSHIP: &str = "MANAGED";

#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum DesiredState {
    #[default]
    Running,
    Stopped,
}

impl DesiredState {
    pub fn as_str(self) -> &'static str {
        match self {
            DesiredState::Running => "RUNNING",
            DesiredState::Stopped => "STOPPED",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        match s {
            "RUNNING" => Some(DesiredState::Running),
            "STOPPED" => Some(DesiredState::Stopped),
            _ => None,
        }
    }

    /// What a status means for `desired_state`, so that an out-of-band stop or start shows as a diff. Failure
    /// states have no clear meaning and yield `None` (the caller keeps the prior value).
    pub fn from_status(status: &NotebookStatus) -> Option<Self> {
        match status {
            NotebookStatus::Running
            | NotebookStatus::Starting
            | NotebookStatus::Creating
            | NotebookStatus::Init
            | NotebookStatus::Snapshotting => Some(DesiredState::Running),
            // A failed start leaves the notebook not running: planning RUNNING retries the start.
            NotebookStatus::Stopped | NotebookStatus::Stopping | NotebookStatus::StartFailed => {
                Some(DesiredState::Stopped)
            }
            _ => None,
        }
    }
}

/// Every attribute of `modelarts_notebook`. Optional inputs keep the null/empty distinction of the configuration
/// (`None` = null) because Terraform compares them exactly.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct NotebookModel {
    pub id: Option<String>,
    pub name: String,
    pub description: Option<String>,
    pub flavor: Option<String>,
    pub custom_spec: Option<CustomSpec>,
    pub image_id: String,
    pub volume: Volume,
    pub endpoints: Vec<Endpoint>,
    pub hooks: Option<Hooks>,
    pub affinity: Option<Affinity>,
    pub pool_id: Option<String>,
    pub workspace_id: String,
    pub desired_state: DesiredState,
    pub allow_stop_for_update: bool,
    pub enable_force_new: bool,
    pub timeouts: Timeouts,
    pub info: NotebookInfo,
}

#[derive(Clone, Debug, Default, PartialEq)]
pub struct CustomSpec {
    pub cpu: f64,
    pub memory: i64,
    pub gpu: Option<i64>,
}

#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Volume {
    pub category: String,
    pub ownership: String,
    /// GB; optional in configuration, always known after create.
    pub size: Option<i64>,
    pub uri: Option<String>,
    pub id: Option<String>,
    pub mount_path: Option<String>,
    pub status: Option<String>,
}

#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Endpoint {
    pub service: String,
    pub key_pair_names: Option<Vec<String>>,
    pub allowed_access_ips: Option<Vec<String>>,
    /// Computed: the address to connect to.
    pub uri: Option<String>,
}

#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Hooks {
    pub pre_start: Option<Hook>,
    pub post_start: Option<Hook>,
}

#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Hook {
    pub script: String,
    /// `COMMAND` or `SCRIPT`.
    pub kind: String,
}

#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Affinity {
    pub required: Vec<AffinityRule>,
    pub preferred: Vec<AffinityRule>,
}

#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct AffinityRule {
    pub key: String,
    pub operator: String,
    pub values: Option<Vec<String>>,
    /// Only in preferred rules.
    pub weight: Option<i64>,
}

/// Write-only inputs: durations such as `"30m"`, never sent to the API.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Timeouts {
    pub create: Option<String>,
    pub update: Option<String>,
    pub delete: Option<String>,
}

/// The computed attributes: what the API reports and the user cannot set.
#[derive(Clone, Default, PartialEq)]
pub struct NotebookInfo {
    pub status: Option<String>,
    pub url: Option<String>,
    pub token: Option<api::redact::Sensitive>,
    pub fail_reason: Option<String>,
    pub action_progress: Vec<Progress>,
    pub image_name: Option<String>,
    pub image_swr_path: Option<String>,
    pub image_tag: Option<String>,
    pub image_type: Option<String>,
    pub pool_name: Option<String>,
    pub feature: Option<String>,
    pub billing_items: Vec<String>,
    pub user: Option<UserInfo>,
    pub run_user: Option<RunUser>,
    pub lease: Option<LeaseInfo>,
    /// RFC 3339, UTC.
    pub created_at: Option<String>,
    pub updated_at: Option<String>,
}

impl fmt::Debug for NotebookInfo {
    // Written out so that the token can never reach a log line, whatever its type becomes.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("NotebookInfo")
            .field("status", &self.status)
            .field("url", &self.url)
            .field("token", &self.token.as_ref().map(|_| api::redact::REDACTED))
            .field("fail_reason", &self.fail_reason)
            .field("action_progress", &self.action_progress)
            .field("image_name", &self.image_name)
            .field("pool_name", &self.pool_name)
            .field("feature", &self.feature)
            .field("lease", &self.lease)
            .field("created_at", &self.created_at)
            .field("updated_at", &self.updated_at)
            .finish_non_exhaustive()
    }
}

#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Progress {
    pub step: Option<i64>,
    pub status: Option<String>,
    pub description: Option<String>,
}

#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct UserInfo {
    pub id: Option<String>,
    pub name: Option<String>,
    pub domain_id: Option<String>,
    pub domain_name: Option<String>,
}

#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct RunUser {
    pub uid: Option<i64>,
    pub gid: Option<i64>,
    pub user_name: Option<String>,
    pub group_name: Option<String>,
}

#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct LeaseInfo {
    pub enabled: Option<bool>,
    /// Milliseconds.
    pub duration: Option<i64>,
    pub kind: Option<String>,
}

fn non_empty(s: &Option<String>) -> Option<String> {
    s.as_ref().filter(|v| !v.is_empty()).cloned()
}

/// Milliseconds since the epoch as RFC 3339; `None` for values out of range rather than a panic.
pub fn format_millis(ms: i64) -> Option<String> {
    let nanos = i128::from(ms).checked_mul(1_000_000)?;
    OffsetDateTime::from_unix_timestamp_nanos(nanos)
        .ok()?
        .format(&Rfc3339)
        .ok()
}

impl NotebookModel {
    /// Everything the API reports, canonical: upper-case enumerations, empty values as null, `desired_state`
    /// from the status. Inputs the API does not hold (`allow_stop_for_update`, `enable_force_new`, `timeouts`)
    /// get their defaults; `enable_force_new_default` is the provider's setting.
    pub fn from_resp(resp: &NotebookResp, enable_force_new_default: bool) -> Self {
        let custom_spec = resp.custom_spec.as_ref().and_then(custom_spec_from_resp);
        let flavor =
            non_empty(&resp.flavor).filter(|f| custom_spec.is_none() && f != CUSTOM_FLAVOR_CODE);
        NotebookModel {
            id: non_empty(&resp.id),
            name: resp.name.clone().unwrap_or_default(),
            description: non_empty(&resp.description),
            flavor,
            custom_spec,
            image_id: resp
                .image
                .as_ref()
                .and_then(|i| i.id.clone())
                .unwrap_or_default(),
            volume: resp
                .volume
                .as_ref()
                .map(volume_from_resp)
                .unwrap_or_default(),
            endpoints: resp
                .endpoints
                .iter()
                .flatten()
                .map(endpoint_from_resp)
                .collect(),
            // NotebookResp has no hooks (notebook-api.md §3.3): they are known only from state.
            hooks: None,
            affinity: resp.affinity.as_ref().and_then(affinity_from_resp),
            pool_id: resp.pool.as_ref().and_then(|p| non_empty(&p.id)),
            workspace_id: non_empty(&resp.workspace_id)
                .unwrap_or_else(|| DEFAULT_WORKSPACE_ID.to_string()),
            desired_state: resp
                .status
                .as_ref()
                .and_then(DesiredState::from_status)
                .unwrap_or_default(),
            allow_stop_for_update: true,
            enable_force_new: enable_force_new_default,
            timeouts: Timeouts::default(),
            info: info_from_resp(resp),
        }
    }

    /// `fresh` (from [`from_resp`](Self::from_resp)) with the prior state's representation kept wherever both
    /// mean the same thing, and the prior's provider-only inputs carried over.
    pub fn reconcile(
        fresh: NotebookModel,
        prior: &NotebookModel,
        fresh_status: Option<&NotebookStatus>,
    ) -> Self {
        let mut m = fresh;
        m.description = match (&m.description, &prior.description) {
            (None, Some(p)) if p.is_empty() => Some(String::new()),
            _ => m.description,
        };
        if let (Some(f), Some(p)) = (&mut m.custom_spec, &prior.custom_spec) {
            if f.gpu == Some(0) && p.gpu.is_none() {
                f.gpu = None;
            }
        }
        m.volume = reconcile_volume(m.volume, &prior.volume);
        m.endpoints = reconcile_endpoints(m.endpoints, &prior.endpoints);
        m.hooks = prior.hooks.clone();
        m.affinity = reconcile_affinity(m.affinity, &prior.affinity);
        if fresh_status.and_then(DesiredState::from_status).is_none() {
            m.desired_state = prior.desired_state;
        }
        m.allow_stop_for_update = prior.allow_stop_for_update;
        m.enable_force_new = prior.enable_force_new;
        m.timeouts = prior.timeouts.clone();
        m
    }

    /// The `POST /notebooks` body.
    pub fn create_request(&self) -> api::NotebookCreateRequest {
        let affinity = self.affinity.as_ref().map(affinity_request);
        api::NotebookCreateRequest {
            name: self.name.clone(),
            image_id: self.image_id.clone(),
            volume: api::VolumeMountRequest {
                category: self.volume.category.to_ascii_uppercase(),
                ownership: self.volume.ownership.to_ascii_uppercase(),
                capacity: self.volume.size,
                uri: self.volume.uri.clone(),
                id: self.volume.id.clone(),
                ..Default::default()
            },
            flavor: self.flavor.clone(),
            custom_spec: self.custom_spec.as_ref().map(CustomSpec::request),
            description: self.description.clone().filter(|d| !d.is_empty()),
            endpoints: if self.endpoints.is_empty() {
                None
            } else {
                Some(endpoints_request(&self.endpoints))
            },
            pool_id: self.pool_id.clone(),
            workspace_id: Some(self.workspace_id.clone()),
            hooks: self.hooks.as_ref().map(Hooks::request),
            affinity,
            ..Default::default()
        }
    }
}

impl CustomSpec {
    pub fn request(&self) -> api::NotebookCustomSpec {
        api::NotebookCustomSpec {
            cpu: Some(self.cpu),
            memory: Some(self.memory),
            gpu: self.gpu,
            ..Default::default()
        }
    }
}

impl Hooks {
    /// The whole `hooks` object; with neither hook it is the clear form `{"container_hooks": {}}`.
    pub fn request(&self) -> api::CustomHooks {
        let hook = |h: &Hook| api::HookConfig {
            script: Some(h.script.clone()),
            r#type: Some(h.kind.clone()),
            mode: None,
        };
        api::CustomHooks {
            container_hooks: Some(api::ContainerHooks {
                pre_start: self.pre_start.as_ref().map(hook),
                post_start: self.post_start.as_ref().map(hook),
            }),
        }
    }
}

impl AffinityRule {
    pub fn request(&self) -> api::AffinityRule {
        api::AffinityRule {
            key: self.key.clone(),
            operator: self.operator.clone(),
            values: self.values.clone().unwrap_or_default(),
            weight: self.weight,
        }
    }
}

pub fn rules_request(rules: &[AffinityRule]) -> Vec<api::AffinityRule> {
    rules.iter().map(AffinityRule::request).collect()
}

/// Both lists, `[]` included: at create there is nothing to leave unchanged.
fn affinity_request(a: &Affinity) -> api::AffinityType {
    api::AffinityType {
        required_during_scheduling_ignored_during_execution: Some(rules_request(&a.required)),
        preferred_during_scheduling_ignored_during_execution: Some(rules_request(&a.preferred)),
    }
}

pub fn endpoints_request(endpoints: &[Endpoint]) -> Vec<api::EndpointsReq> {
    endpoints
        .iter()
        .map(|e| api::EndpointsReq {
            service: Some(e.service.clone()),
            key_pair_names: e.key_pair_names.clone().filter(|k| !k.is_empty()),
            allowed_access_ips: e.allowed_access_ips.clone().filter(|k| !k.is_empty()),
        })
        .collect()
}

fn custom_spec_from_resp(s: &api::NotebookCustomSpecRep) -> Option<CustomSpec> {
    // Memory and GPUs are whole numbers; the API may write them as floats.
    let whole = |v: f64| {
        if v.is_finite() {
            Some(v.round() as i64)
        } else {
            None
        }
    };
    Some(CustomSpec {
        cpu: s.cpu?,
        memory: s.memory.and_then(whole)?,
        gpu: s.gpu.and_then(whole),
    })
}

fn volume_from_resp(v: &api::VolumeRes) -> Volume {
    Volume {
        category: v.category.clone().unwrap_or_default().to_ascii_uppercase(),
        ownership: non_empty(&v.ownership)
            .map(|o| o.to_ascii_uppercase())
            .unwrap_or_else(|| DEFAULT_OWNERSHIP.to_string()),
        size: v.capacity,
        uri: non_empty(&v.uri),
        id: non_empty(&v.id),
        mount_path: non_empty(&v.mount_path),
        status: non_empty(&v.status),
    }
}

fn list_or_none(a: &Option<Vec<String>>, b: &Option<Vec<String>>) -> Option<Vec<String>> {
    [a, b]
        .into_iter()
        .flatten()
        .find(|v| !v.is_empty())
        .cloned()
}

fn endpoint_from_resp(e: &api::EndpointsRes) -> Endpoint {
    Endpoint {
        service: non_empty(&e.service)
            .or_else(|| non_empty(&e.dev_service))
            .unwrap_or_default()
            .to_ascii_uppercase(),
        key_pair_names: list_or_none(&e.key_pair_names, &e.ssh_keys),
        allowed_access_ips: list_or_none(&e.allowed_access_ips, &None),
        uri: non_empty(&e.uri),
    }
}

fn rule_from_resp(r: &api::AffinityRule, preferred: bool) -> AffinityRule {
    AffinityRule {
        key: r.key.clone(),
        operator: r.operator.clone(),
        values: Some(r.values.clone()),
        weight: if preferred { r.weight } else { None },
    }
}

fn affinity_from_resp(a: &api::AffinityType) -> Option<Affinity> {
    let list = |l: &Option<Vec<api::AffinityRule>>, preferred: bool| -> Vec<AffinityRule> {
        l.iter()
            .flatten()
            .map(|r| rule_from_resp(r, preferred))
            .collect()
    };
    let affinity = Affinity {
        required: list(
            &a.required_during_scheduling_ignored_during_execution,
            false,
        ),
        preferred: list(
            &a.preferred_during_scheduling_ignored_during_execution,
            true,
        ),
    };
    if affinity.required.is_empty() && affinity.preferred.is_empty() {
        None
    } else {
        Some(affinity)
    }
}

fn info_from_resp(resp: &NotebookResp) -> NotebookInfo {
    let image = resp.image.as_ref();
    NotebookInfo {
        status: resp.status.as_ref().map(|s| s.as_str().to_string()),
        url: non_empty(&resp.url),
        token: resp.token.clone().filter(|t| !t.expose().is_empty()),
        fail_reason: non_empty(&resp.fail_reason),
        action_progress: resp
            .action_progress
            .iter()
            .flatten()
            .map(|p| Progress {
                step: p.step,
                status: non_empty(&p.status),
                description: non_empty(&p.step_description).or_else(|| non_empty(&p.description)),
            })
            .collect(),
        image_name: image.and_then(|i| non_empty(&i.name)),
        image_swr_path: image.and_then(|i| non_empty(&i.swr_path)),
        image_tag: image.and_then(|i| non_empty(&i.tag)),
        image_type: image.and_then(|i| non_empty(&i.r#type)),
        pool_name: resp.pool.as_ref().and_then(|p| non_empty(&p.name)),
        feature: non_empty(&resp.feature),
        billing_items: resp.billing_items.clone().unwrap_or_default(),
        user: resp.user.as_ref().map(|u| UserInfo {
            id: non_empty(&u.id),
            name: non_empty(&u.name),
            domain_id: u.domain.as_ref().and_then(|d| non_empty(&d.id)),
            domain_name: u.domain.as_ref().and_then(|d| non_empty(&d.name)),
        }),
        run_user: resp.run_user.as_ref().map(|r| RunUser {
            uid: r.uid,
            gid: r.gid,
            user_name: non_empty(&r.user_name),
            group_name: non_empty(&r.group_name),
        }),
        lease: resp.lease.as_ref().map(|l| LeaseInfo {
            enabled: l.enable,
            duration: l.duration,
            kind: non_empty(&l.r#type),
        }),
        created_at: resp.create_at.and_then(format_millis),
        updated_at: resp.update_at.and_then(format_millis),
    }
}

fn same_set(a: &Option<Vec<String>>, b: &Option<Vec<String>>) -> bool {
    let mut a: Vec<&String> = a.iter().flatten().collect();
    let mut b: Vec<&String> = b.iter().flatten().collect();
    a.sort();
    b.sort();
    a == b
}

fn reconcile_volume(mut v: Volume, prior: &Volume) -> Volume {
    if v.category.eq_ignore_ascii_case(&prior.category) {
        v.category = prior.category.clone();
    }
    if v.ownership.eq_ignore_ascii_case(&prior.ownership) {
        v.ownership = prior.ownership.clone();
    }
    v
}

/// The same endpoint with the prior's spelling (service case, list order, null versus `[]`).
fn reconcile_endpoint(mut e: Endpoint, prior: &Endpoint) -> Endpoint {
    e.service = prior.service.clone();
    if same_set(&e.key_pair_names, &prior.key_pair_names) {
        e.key_pair_names = prior.key_pair_names.clone();
    }
    if same_set(&e.allowed_access_ips, &prior.allowed_access_ips) {
        e.allowed_access_ips = prior.allowed_access_ips.clone();
    }
    e
}

fn endpoint_matches(e: &Endpoint, prior: &Endpoint) -> bool {
    e.service.eq_ignore_ascii_case(&prior.service)
        && same_set(&e.key_pair_names, &prior.key_pair_names)
        && same_set(&e.allowed_access_ips, &prior.allowed_access_ips)
}

/// Puts the server's endpoints in the prior order: each prior endpoint takes its match, then the rest follow.
fn reconcile_endpoints(fresh: Vec<Endpoint>, prior: &[Endpoint]) -> Vec<Endpoint> {
    let mut pool: Vec<Option<Endpoint>> = fresh.into_iter().map(Some).collect();
    let mut out = Vec::with_capacity(pool.len());
    for p in prior {
        let found = pool
            .iter_mut()
            .find(|slot| slot.as_ref().is_some_and(|e| endpoint_matches(e, p)));
        if let Some(slot) = found {
            if let Some(e) = slot.take() {
                out.push(reconcile_endpoint(e, p));
            }
        }
    }
    out.extend(pool.into_iter().flatten());
    out
}

fn rule_matches(r: &AffinityRule, prior: &AffinityRule) -> bool {
    r.key == prior.key
        && r.operator == prior.operator
        && r.weight == prior.weight
        && same_set(&r.values, &prior.values)
}

fn reconcile_rules(fresh: Vec<AffinityRule>, prior: &[AffinityRule]) -> Vec<AffinityRule> {
    let mut pool: Vec<Option<AffinityRule>> = fresh.into_iter().map(Some).collect();
    let mut out = Vec::with_capacity(pool.len());
    for p in prior {
        let found = pool
            .iter_mut()
            .find(|slot| slot.as_ref().is_some_and(|r| rule_matches(r, p)));
        if let Some(slot) = found {
            if slot.take().is_some() {
                out.push(p.clone());
            }
        }
    }
    out.extend(pool.into_iter().flatten());
    out
}

fn reconcile_affinity(fresh: Option<Affinity>, prior: &Option<Affinity>) -> Option<Affinity> {
    match (fresh, prior) {
        (Some(f), Some(p)) => Some(Affinity {
            required: reconcile_rules(f.required, &p.required),
            preferred: reconcile_rules(f.preferred, &p.preferred),
        }),
        // An `affinity {}` block without rules reads back as no affinity at all.
        (None, Some(p)) if p.required.is_empty() && p.preferred.is_empty() => Some(p.clone()),
        (f, _) => f,
    }
}

#[cfg(test)]
#[path = "notebook_model_tests.rs"]
mod tests;
