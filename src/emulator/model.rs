//! The notebook model: stored state, the lifecycle state machine and the rules of every operation.
//!
//! Status is a function of (stored status, pending transition, now): a transition stores its target and due
//! time, and is applied lazily when the notebook is next looked at. That keeps the model free of timers and
//! testable with tokio's paused clock (the clock feeds `now_ms`).

use crate::api::NotebookStatus as Status;
use crate::emulator::auth::Identity;
use crate::emulator::catalog;
use crate::emulator::errors::{codes, ApiError};
use crate::emulator::settings::{DeletePolicy, Settings, UpdatePolicy};
use serde::{Deserialize, Serialize};
use std::collections::HashMap;

/// `flavor` of a notebook that runs on a custom spec (notebook-api.md §3.3).
pub const CUSTOM_FLAVOR: &str = "custom.flavor.spec.code";
pub const MOUNT_PATH: &str = "/home/ma-user/work/";
pub const DURATION_MIN: i64 = 3_600_000;
pub const DURATION_MAX: i64 = 259_200_000;
pub const DURATION_DEFAULT: i64 = 3_600_000;
pub const EVS_MAX_GB: i64 = 4096;
pub const EVS_DEFAULT_GB: i64 = 5;
/// The workspace of notebooks created without one, and the one List shows without a `workspace_id` filter.
pub const DEFAULT_WORKSPACE: &str = "0";

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct AffinityRule {
    pub key: String,
    pub operator: String,
    pub values: Vec<String>,
    pub weight: Option<i64>,
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Affinity {
    pub required: Vec<AffinityRule>,
    pub preferred: Vec<AffinityRule>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct HookConfig {
    pub script: String,
    pub kind: String,
    pub mode: Option<String>,
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Hooks {
    pub pre_start: Option<HookConfig>,
    pub post_start: Option<HookConfig>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Endpoint {
    pub service: String,
    pub key_pair_names: Vec<String>,
    pub allowed_access_ips: Vec<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CustomSpec {
    pub cpu: f64,
    pub memory: i64,
    pub gpu: Option<f64>,
    pub gpu_type: Option<String>,
    pub arch: Option<String>,
    pub category: Option<String>,
    pub resource_flavor: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Volume {
    pub id: String,
    pub category: String,
    pub ownership: String,
    pub capacity: Option<i64>,
    pub uri: Option<String>,
    pub mount_path: String,
    pub read_only: bool,
    pub dew_secret_name: Option<String>,
    /// While the EVS disk grows: `volume.status` is RESIZING until this time.
    pub resizing_until: Option<i64>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Lease {
    /// Start of the current run (create, start or renew counts from here).
    pub create_at: i64,
    pub duration: i64,
    pub enable: bool,
    pub kind: String,
    pub update_at: i64,
}

impl Lease {
    fn new(now: i64, duration: i64, kind: &str) -> Self {
        Lease {
            create_at: now,
            duration: if duration < 0 { 0 } else { duration },
            enable: duration >= 0,
            kind: kind.to_string(),
            update_at: now,
        }
    }

    fn deadline(&self) -> Option<i64> {
        self.enable
            .then(|| self.create_at.saturating_add(self.duration))
    }
}

/// A scheduled move to another status.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Pending {
    /// `None` means the notebook disappears (end of DELETING).
    pub target: Option<Status>,
    pub at_ms: i64,
    /// When the transient status began, for action_progress.
    pub since_ms: i64,
}

/// The serialised NotebookResp of a notebook in a stable state, so repeated reads skip rendering.
/// It is derived data: it never takes part in equality and is neither persisted nor printed.
#[derive(Clone, Default)]
pub struct RenderCache(pub std::sync::OnceLock<axum::body::Bytes>);

impl PartialEq for RenderCache {
    fn eq(&self, _: &Self) -> bool {
        true
    }
}

impl std::fmt::Debug for RenderCache {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        // The rendering holds the notebook token.
        f.write_str("RenderCache")
    }
}

/// A stored notebook instance. This is also the state-file format.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Notebook {
    pub id: String,
    pub project_id: String,
    pub user_id: String,
    pub user_name: String,
    pub domain_id: String,
    pub domain_name: String,
    pub name: String,
    pub description: String,
    pub flavor: String,
    pub custom_spec: Option<CustomSpec>,
    pub image_id: String,
    pub feature: String,
    pub workspace_id: String,
    pub pool_id: Option<String>,
    pub volume: Volume,
    pub data_volumes: Vec<Volume>,
    pub endpoints: Vec<Endpoint>,
    pub hooks: Option<Hooks>,
    pub affinity: Option<Affinity>,
    pub run_uid: i64,
    pub run_gid: i64,
    pub lease: Lease,
    pub user_vpc: Option<serde_json::Value>,
    pub public_network_config: Option<serde_json::Value>,
    pub dew_secret_name: Option<String>,
    pub tags: Vec<(String, String)>,
    pub status: Status,
    pub fail_reason: Option<String>,
    pub pending: Option<Pending>,
    pub token: crate::api::redact::Sensitive,
    pub ip: String,
    pub create_at: i64,
    pub update_at: i64,
    #[serde(skip)]
    pub rendered: RenderCache,
}

/// Outcome of bringing a notebook up to date.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Settled {
    Unchanged,
    Changed,
    Gone,
}

impl Notebook {
    /// Whether `settle` would change anything (cheap check for read paths).
    pub fn needs_settle(&self, now: i64) -> bool {
        if self.pending.as_ref().is_some_and(|p| now >= p.at_ms) {
            return true;
        }
        if self.volume.resizing_until.is_some_and(|t| now >= t) {
            return true;
        }
        self.status == Status::Running && self.lease.deadline().is_some_and(|d| now >= d)
    }

    /// Apply every transition due by `now`, including auto-stop when the lease has run out.
    pub fn settle(&mut self, now: i64, transition_ms: u64) -> Settled {
        let changed = self.settle_inner(now, transition_ms);
        if changed != Settled::Unchanged {
            self.invalidate();
        }
        changed
    }

    /// Forget the cached rendering; every mutable access does this.
    pub fn invalidate(&mut self) {
        self.rendered = RenderCache::default();
    }

    /// Whether the rendering depends only on the stored state (not on the clock).
    pub fn is_stable(&self) -> bool {
        self.pending.is_none() && self.volume.resizing_until.is_none()
    }

    fn settle_inner(&mut self, now: i64, transition_ms: u64) -> Settled {
        let mut changed = Settled::Unchanged;
        if self.volume.resizing_until.is_some_and(|t| now >= t) {
            self.volume.resizing_until = None;
            changed = Settled::Changed;
        }
        // At most a few steps: e.g. STARTING -> RUNNING -> (lease expired) STOPPING -> STOPPED.
        for _ in 0..4 {
            if let Some(p) = self.pending.clone().filter(|p| now >= p.at_ms) {
                match p.target {
                    None => return Settled::Gone,
                    Some(target) => {
                        self.status = target;
                        self.pending = None;
                        changed = Settled::Changed;
                        if self.status == Status::Running {
                            // Leases count from when the instance came up.
                            self.lease.create_at = self.lease.create_at.max(p.at_ms);
                        }
                        continue;
                    }
                }
            }
            if self.status == Status::Running && self.pending.is_none() {
                if let Some(deadline) = self.lease.deadline().filter(|d| now >= *d) {
                    self.status = Status::Stopping;
                    self.pending = Some(Pending {
                        target: Some(Status::Stopped),
                        at_ms: deadline.saturating_add(transition_ms as i64),
                        since_ms: deadline,
                    });
                    changed = Settled::Changed;
                    continue;
                }
            }
            break;
        }
        changed
    }

    fn begin(&mut self, transient: Status, target: Option<Status>, now: i64, transition_ms: u64) {
        self.status = transient;
        self.fail_reason = None;
        self.pending = Some(Pending {
            target,
            at_ms: now.saturating_add(transition_ms as i64),
            since_ms: now,
        });
        self.update_at = now;
    }

    pub fn flavor_info(&self) -> Option<&'static catalog::Flavor> {
        catalog::flavor(&self.flavor)
    }

    pub fn is_frozen(&self) -> bool {
        self.status == Status::Frozen
    }
}

/// Everything a request needs from its caller and the emulator at the time it is served.
#[derive(Debug, Clone, Copy)]
pub struct Ctx<'a> {
    pub now: i64,
    pub settings: Settings,
    pub identity: &'a Identity,
}

/// A validated change set for `PUT /notebooks/{id}`; `None` everywhere means "leave unchanged".
#[derive(Debug, Clone, Default, PartialEq)]
pub struct UpdatePlan {
    pub name: Option<String>,
    pub description: Option<String>,
    pub endpoints: Option<Vec<Endpoint>>,
    pub flavor: Option<String>,
    pub custom_spec: Option<CustomSpec>,
    pub image_id: Option<String>,
    pub storage_new_size: Option<i64>,
    pub hooks_pre_start: Option<HookConfig>,
    pub hooks_post_start: Option<HookConfig>,
    pub hooks_given: bool,
    pub affinity_required: Option<Vec<AffinityRule>>,
    pub affinity_preferred: Option<Vec<AffinityRule>>,
    pub affinity_given: bool,
    pub dew_secret_name: Option<String>,
    pub data_volumes: Option<Vec<Volume>>,
    pub public_network_config: Option<serde_json::Value>,
    /// Field names present in the body, in the body's order (for 6347 and the update policy).
    pub fields: Vec<String>,
}

/// Fields the `hot` update policy also accepts while RUNNING.
const HOT_FIELDS: &[&str] = &["name", "description", "storage_new_size"];

/// Sort keys List accepts.
pub const SORT_KEYS: &[&str] = &[
    "create_at",
    "update_at",
    "name",
    "status",
    "flavor",
    "id",
    "description",
];

/// Filters of List (already validated).
#[derive(Debug, Clone, Default)]
pub struct ListFilter {
    pub feature: Option<String>,
    pub name: Option<String>,
    pub id: Option<String>,
    pub status: Option<String>,
    pub flavor: Option<String>,
    pub image_id: Option<String>,
    pub pool_id: Option<String>,
    pub pool_name: Option<String>,
    /// `None`: the default workspace (notebook-api.md §2.3), not every workspace.
    pub workspace_id: Option<String>,
    pub owner: Option<String>,
    pub description: Option<String>,
    pub username: Option<String>,
    pub ip: Option<String>,
    pub swr_path: Option<String>,
    pub tags: Vec<(String, String)>,
    pub sort_keys: Vec<String>,
    pub ascending: bool,
}

/// All notebooks of all projects.
#[derive(Debug, Default, Clone, Serialize, Deserialize)]
pub struct Store {
    pub notebooks: HashMap<String, Notebook>,
}

impl Store {
    /// The notebook `id` of the caller's project, brought up to date. Another project's notebook is invisible.
    pub fn get_mut(&mut self, ctx: &Ctx<'_>, id: &str) -> Result<&mut Notebook, ApiError> {
        let gone = match self.notebooks.get_mut(id) {
            Some(nb) if nb.project_id == ctx.identity.project_id => {
                nb.settle(ctx.now, ctx.settings.transition_ms) == Settled::Gone
            }
            _ => return Err(codes::not_found()),
        };
        if gone {
            self.notebooks.remove(id);
            return Err(codes::not_found());
        }
        let nb = self.notebooks.get_mut(id).ok_or_else(codes::not_found)?;
        nb.invalidate();
        Ok(nb)
    }

    /// Read-only look-up; fails with `NeedsSettle` semantics by returning None when a write is required.
    pub fn get_settled(
        &self,
        project_id: &str,
        id: &str,
        now: i64,
    ) -> Option<Result<&Notebook, ApiError>> {
        match self.notebooks.get(id) {
            Some(nb) if nb.project_id == project_id => {
                if nb.needs_settle(now) {
                    None
                } else {
                    Some(Ok(nb))
                }
            }
            _ => Some(Err(codes::not_found())),
        }
    }

    /// Bring every notebook of a project up to date, dropping deleted ones. Returns whether anything changed.
    pub fn settle_project(
        &mut self,
        project_id: Option<&str>,
        now: i64,
        transition_ms: u64,
    ) -> bool {
        let mut gone = Vec::new();
        let mut changed = false;
        for (id, nb) in self.notebooks.iter_mut() {
            if project_id.is_some_and(|p| p != nb.project_id) || !nb.needs_settle(now) {
                continue;
            }
            match nb.settle(now, transition_ms) {
                Settled::Gone => gone.push(id.clone()),
                Settled::Changed => changed = true,
                Settled::Unchanged => {}
            }
        }
        changed |= !gone.is_empty();
        for id in gone {
            self.notebooks.remove(&id);
        }
        changed
    }

    pub fn project_needs_settle(&self, project_id: &str, now: i64) -> bool {
        self.notebooks
            .values()
            .any(|nb| nb.project_id == project_id && nb.needs_settle(now))
    }

    pub fn insert(&mut self, nb: Notebook) {
        self.notebooks.insert(nb.id.clone(), nb);
    }

    /// Notebooks of a project matching `f`, sorted; the caller pages.
    pub fn list(&self, project_id: &str, f: &ListFilter) -> Vec<&Notebook> {
        let mut out: Vec<&Notebook> = self
            .notebooks
            .values()
            .filter(|nb| nb.project_id == project_id && matches(nb, f))
            .collect();
        out.sort_by(|a, b| {
            let mut ord = std::cmp::Ordering::Equal;
            for k in &f.sort_keys {
                ord = ord.then_with(|| compare(a, b, k));
            }
            // A total order keeps paging stable between calls.
            ord = ord
                .then_with(|| a.create_at.cmp(&b.create_at))
                .then_with(|| a.id.cmp(&b.id));
            if f.ascending {
                ord
            } else {
                ord.reverse()
            }
        });
        out
    }

    /// How many free CodeLab (`feature: DEFAULT`) instances a user has.
    pub fn codelab_count(&self, user_id: &str) -> usize {
        self.notebooks
            .values()
            .filter(|nb| nb.user_id == user_id && nb.feature == "DEFAULT")
            .count()
    }
}

fn contains_ci(hay: &str, needle: &str) -> bool {
    hay.to_lowercase().contains(&needle.to_lowercase())
}

fn matches(nb: &Notebook, f: &ListFilter) -> bool {
    let feature = f.feature.as_deref().unwrap_or("NOTEBOOK");
    let pool = nb.pool_id.as_deref().and_then(catalog::pool);
    nb.feature == feature
        && f.name.as_ref().map_or(true, |n| contains_ci(&nb.name, n))
        && f.id.as_ref().map_or(true, |i| &nb.id == i)
        && f.status.as_ref().map_or(true, |s| nb.status.as_str() == s)
        && f.flavor.as_ref().map_or(true, |s| {
            nb.flavor != CUSTOM_FLAVOR && contains_ci(&nb.flavor, s)
        })
        && f.image_id.as_ref().map_or(true, |s| &nb.image_id == s)
        && f.pool_id
            .as_ref()
            .map_or(true, |s| nb.pool_id.as_ref() == Some(s))
        && f.pool_name
            .as_ref()
            .map_or(true, |s| pool.is_some_and(|p| contains_ci(p.name, s)))
        && nb.workspace_id == f.workspace_id.as_deref().unwrap_or(DEFAULT_WORKSPACE)
        && f.owner.as_ref().map_or(true, |s| &nb.user_id == s)
        && f.description
            .as_ref()
            .map_or(true, |s| contains_ci(&nb.description, s))
        && f.username
            .as_ref()
            .map_or(true, |s| contains_ci(&nb.user_name, s))
        && f.ip.as_ref().map_or(true, |s| &nb.ip == s)
        && f.swr_path.as_ref().map_or(true, |s| {
            catalog::image(&nb.image_id).is_some_and(|i| contains_ci(&i.swr_path(), s))
        })
        && f.tags
            .iter()
            .all(|(k, v)| nb.tags.iter().any(|(tk, tv)| tk == k && tv == v))
}

fn compare(a: &Notebook, b: &Notebook, key: &str) -> std::cmp::Ordering {
    match key {
        "create_at" => a.create_at.cmp(&b.create_at),
        "update_at" => a.update_at.cmp(&b.update_at),
        "name" => a.name.cmp(&b.name),
        "status" => a.status.as_str().cmp(b.status.as_str()),
        "flavor" => a.flavor.cmp(&b.flavor),
        "id" => a.id.cmp(&b.id),
        "description" => a.description.cmp(&b.description),
        _ => std::cmp::Ordering::Equal,
    }
}

/// `start`: STOPPED or START_FAILED → STARTING → RUNNING (notebook-api.md §5.3).
pub fn start(nb: &mut Notebook, ctx: &Ctx<'_>, duration: i64, kind: &str) -> Result<(), ApiError> {
    match nb.status {
        Status::Frozen => return Err(codes::frozen()),
        Status::Stopped | Status::StartFailed => {}
        Status::Starting => return Err(codes::starting()),
        _ => return Err(codes::busy_or_target()),
    }
    nb.lease = Lease::new(ctx.now, duration, kind);
    nb.begin(
        Status::Starting,
        Some(Status::Running),
        ctx.now,
        ctx.settings.transition_ms,
    );
    Ok(())
}

/// `stop`: RUNNING → STOPPING → STOPPED.
pub fn stop(nb: &mut Notebook, ctx: &Ctx<'_>) -> Result<(), ApiError> {
    match nb.status {
        Status::Frozen => return Err(codes::frozen()),
        Status::Running => {}
        Status::Stopping => return Err(codes::stopping()),
        _ => return Err(codes::busy_or_target()),
    }
    nb.begin(
        Status::Stopping,
        Some(Status::Stopped),
        ctx.now,
        ctx.settings.transition_ms,
    );
    Ok(())
}

/// `delete`: any stable or failed state → DELETING → gone; RUNNING refused only under the strict policy.
pub fn delete(nb: &mut Notebook, ctx: &Ctx<'_>) -> Result<(), ApiError> {
    match nb.status {
        Status::Frozen => return Err(codes::frozen()),
        ref s if s.is_transient() => return Err(codes::busy_or_target()),
        Status::Running if ctx.settings.delete_policy == DeletePolicy::Strict => {
            return Err(codes::stop_before_delete())
        }
        _ => {}
    }
    nb.begin(Status::Deleting, None, ctx.now, ctx.settings.transition_ms);
    Ok(())
}

/// Renew the lease of a RUNNING notebook so that it stops `duration` ms from now.
pub fn renew_lease(
    nb: &mut Notebook,
    ctx: &Ctx<'_>,
    duration: i64,
    kind: &str,
) -> Result<(), ApiError> {
    match nb.status {
        Status::Frozen => return Err(codes::frozen()),
        Status::Running => {}
        _ => return Err(codes::not_running()),
    }
    // Keep the documented invariant "stops at create_at + duration".
    nb.lease.duration = ctx
        .now
        .saturating_sub(nb.lease.create_at)
        .saturating_add(duration);
    nb.lease.enable = true;
    nb.lease.kind = kind.to_string();
    nb.lease.update_at = ctx.now;
    nb.update_at = ctx.now;
    Ok(())
}

/// The state check of an update (step 5 of notebook-api.md §4.4), by policy.
pub fn check_update_state(
    nb: &Notebook,
    plan: &UpdatePlan,
    policy: UpdatePolicy,
) -> Result<(), ApiError> {
    if nb.is_frozen() {
        return Err(codes::frozen());
    }
    let affinity_only = !plan.fields.is_empty() && plan.fields.iter().all(|f| f == "affinity");
    let hot_ok = policy == UpdatePolicy::Hot
        && !plan.fields.is_empty()
        && plan.fields.iter().all(|f| HOT_FIELDS.contains(&f.as_str()));
    let allowed = match nb.status {
        Status::Stopped => true,
        Status::StartFailed => affinity_only,
        Status::Running => hot_ok,
        _ => false,
    };
    if allowed {
        return Ok(());
    }
    let field = plan
        .fields
        .iter()
        .find(|f| {
            !(policy == UpdatePolicy::Hot
                && nb.status == Status::Running
                && HOT_FIELDS.contains(&f.as_str()))
        })
        .or(plan.fields.first())
        .map(String::as_str)
        .unwrap_or("notebook");
    Err(codes::cannot_modify(nb.status.as_str(), field))
}

/// Apply a validated, state-checked plan (step 6).
pub fn apply_update(nb: &mut Notebook, plan: UpdatePlan, ctx: &Ctx<'_>) {
    if let Some(v) = plan.name {
        nb.name = v;
    }
    if let Some(v) = plan.description {
        nb.description = v;
    }
    if let Some(v) = plan.endpoints {
        nb.endpoints = v;
    }
    if let Some(v) = plan.flavor {
        nb.flavor = v;
        nb.custom_spec = None;
    }
    if let Some(v) = plan.custom_spec {
        nb.flavor = CUSTOM_FLAVOR.to_string();
        nb.custom_spec = Some(v);
    }
    if let Some(v) = plan.image_id {
        nb.image_id = v;
    }
    if let Some(size) = plan.storage_new_size {
        if nb.volume.capacity.is_some_and(|c| size > c) {
            nb.volume.capacity = Some(size);
            if ctx.settings.transition_ms > 0 {
                nb.volume.resizing_until =
                    Some(ctx.now.saturating_add(ctx.settings.transition_ms as i64));
            }
        }
    }
    if plan.hooks_given {
        // `container_hooks` replaces the hooks whole: a hook it leaves out is removed.
        let hooks = Hooks {
            pre_start: plan.hooks_pre_start,
            post_start: plan.hooks_post_start,
        };
        nb.hooks = (hooks != Hooks::default()).then_some(hooks);
    }
    if plan.affinity_given {
        let aff = nb.affinity.get_or_insert_with(Affinity::default);
        if let Some(v) = plan.affinity_required {
            aff.required = v;
        }
        if let Some(v) = plan.affinity_preferred {
            aff.preferred = v;
        }
    }
    if let Some(v) = plan.dew_secret_name {
        nb.dew_secret_name = Some(v);
    }
    if let Some(v) = plan.data_volumes {
        nb.data_volumes = v;
    }
    if let Some(v) = plan.public_network_config {
        nb.public_network_config = Some(v);
    }
    nb.update_at = ctx.now;
}

/// Force a status from the control plane; optionally schedule a later move.
pub fn force_status(
    nb: &mut Notebook,
    status: Status,
    fail_reason: Option<String>,
    next: Option<(Option<Status>, i64)>,
    now: i64,
) {
    nb.status = status;
    nb.fail_reason = fail_reason;
    nb.pending = next.map(|(target, at_ms)| Pending {
        target,
        at_ms,
        since_ms: now,
    });
    nb.update_at = now;
}
