//! The `modelarts_notebook` resource, in lifecycle order: schema, create, read, update, delete, import.
//!
//! Plan-time rules live in `notebook_plan`, the PUT body in `notebook_update`, the attribute mapping in
//! `notebook_model` / `notebook_state`; this file holds the schema and the API calls.

use std::time::{Duration, Instant};

use async_trait::async_trait;

use crate::api::{NotebookResp, NotebookStatus, StartQuery};
use crate::client::{Client, ClientError};
use crate::tf::resource::{
    ApplyResult, CreateRequest, Ctx, DeleteRequest, ImportResult, PlanCtx, ReadRequest, ReadResult,
    Resource, UpdateRequest,
};
use crate::tf::{
    Attribute, Block, Diagnostic, Diagnostics, NestedBlock, PlanResult, Schema, Type, Value,
};
use crate::{log_info, log_warn};

use super::backend::Backend;
use super::notebook_model::{DesiredState, NotebookModel, DEFAULT_WORKSPACE_ID};
use super::notebook_plan::{adjust_plan, changes_with, forecast, validate_config};
use super::notebook_state::computed_attributes;
use super::notebook_update::{plan_update, UpdatePlan};
use super::notebook_validate::{is_uuid, parse_duration};

pub const TYPE_NAME: &str = "modelarts_notebook";

/// Appended to the error for a change the API cannot make in place.
pub const IMMUTABLE_HINT: &str = "The ModelArts API cannot change this on an existing notebook. Either revert \
     it to its current value, or set `enable_force_new = true` on the resource (or in the provider) to replace the \
     notebook: the old instance and its managed storage are deleted.";

/// A computed attribute with the effects that change it on update (`notebook_plan::changes_with`; `path` names
/// nested ones as `block.attribute`). Without an entry the engine's default applies: unknown on any change.
fn declared(a: Attribute, path: &str) -> Attribute {
    match changes_with(path) {
        Some(effects) => a.changes_with(effects),
        None => a,
    }
}

fn volume_block() -> Block {
    Block::new()
        .attribute(
            Attribute::string("category")
                .required()
                .immutable_hint(IMMUTABLE_HINT)
                .description("Storage kind: `EVS`, `EFS`, `OBS` or `OBSFS`."),
        )
        .attribute(
            Attribute::string("ownership")
                .default("MANAGED")
                .immutable_hint(IMMUTABLE_HINT)
                .description("`MANAGED` (held by the service) or `DEDICATED` (in your account)."),
        )
        .attribute(Attribute::number("size").optional().computed().description(
            "Capacity in GB, at most 4096. EVS storage can grow in place; it never shrinks.",
        ))
        .attribute(
            declared(Attribute::string("uri").optional().computed(), "volume.uri")
                .immutable_hint(IMMUTABLE_HINT)
                .description("Path of dedicated storage (EFS share or OBS path)."),
        )
        .attribute(
            declared(Attribute::string("id").optional().computed(), "volume.id")
                .immutable_hint(IMMUTABLE_HINT)
                .description("SFS Turbo file system UUID of dedicated EFS storage."),
        )
        .attribute(
            declared(
                Attribute::string("mount_path").computed(),
                "volume.mount_path",
            )
            .description("Where the storage is mounted in the notebook."),
        )
        .attribute(
            declared(Attribute::string("status").computed(), "volume.status")
                .description("`RESIZING` while the disk grows."),
        )
}

fn endpoint_block() -> Block {
    Block::new()
        .attribute(
            Attribute::string("service")
                .required()
                .description("`NOTEBOOK` (HTTPS) or `SSH`."),
        )
        .attribute(
            Attribute::set("key_pair_names", Type::String)
                .optional()
                .description("ECS key pairs allowed to log in over SSH."),
        )
        .attribute(
            Attribute::set("allowed_access_ips", Type::String)
                .optional()
                .description(
                    "At most 5 public IP addresses allowed to connect over SSH; needs key pairs.",
                ),
        )
        .attribute(
            declared(Attribute::string("uri").computed(), "endpoint.uri")
                .description("Address to connect to."),
        )
}

fn hook_block() -> Block {
    Block::new()
        .attribute(Attribute::string("script").required().description(
            "Base64 script content (`COMMAND`) or the absolute path of a script (`SCRIPT`).",
        ))
        .attribute(
            Attribute::string("type")
                .default("SCRIPT")
                .description("`COMMAND` or `SCRIPT`."),
        )
}

fn affinity_rule_block(preferred: bool) -> Block {
    let b = Block::new()
        .attribute(
            Attribute::string("key")
                .required()
                .description("Node label key, e.g. `kubernetes.io/hostname`."),
        )
        .attribute(
            Attribute::string("operator")
                .required()
                .description("`In`, `NotIn`, `Exists`, `DoesNotExist`, `Gt` or `Lt`."),
        )
        .attribute(
            Attribute::list("values", Type::String)
                .optional()
                .description("Node label values."),
        );
    if preferred {
        b.attribute(
            Attribute::number("weight")
                .optional()
                .description("0 to 100."),
        )
    } else {
        b
    }
}

/// The resource schema. Attribute names match `notebook_state`'s value mapping.
pub fn schema() -> Schema {
    let mut block = Block::new()
        .description(
            "A ModelArts notebook instance. Every field the API can update is updated in place (stopping and \
             restarting the notebook where the API requires it); fields it cannot update are plan errors unless \
             `enable_force_new` is set.",
        )
        .forecast(forecast)
        .attribute(declared(Attribute::string("id").computed(), "id").description("Instance UUID."))
        .attribute(
            Attribute::string("name")
                .required()
                .description("1–128 letters, digits, `-` or `_`; names may repeat."),
        )
        .attribute(
            Attribute::string("description")
                .optional()
                .description("At most 512 characters, none of `& < > \" ' /`."),
        )
        .attribute(
            Attribute::string("flavor")
                .optional()
                .description("Machine flavor, e.g. `modelarts.vm.cpu.2u`. Exactly one of `flavor` and `custom_spec`."),
        )
        .attribute(Attribute::string("image_id").required().description("Image UUID."))
        .attribute(
            Attribute::string("pool_id")
                .optional()
                .immutable_hint(IMMUTABLE_HINT)
                .description("Dedicated resource pool; needed for `custom_spec`."),
        )
        .attribute(
            Attribute::string("workspace_id")
                .default("0")
                .immutable_hint(IMMUTABLE_HINT)
                .description("Workspace; `\"0\"` is the default workspace."),
        )
        .attribute(
            Attribute::string("desired_state")
                .default("RUNNING")
                .description("`RUNNING` or `STOPPED`. An out-of-band start or stop shows as a diff."),
        )
        .attribute(
            Attribute::bool("allow_stop_for_update")
                .default(true)
                .description("May the apply stop a RUNNING notebook to update fields that need it stopped?"),
        )
        .attribute(
            Attribute::bool("enable_force_new")
                .optional()
                .computed()
                .description("Replace the notebook when a field the API cannot update changes. Defaults to the provider's setting."),
        );
    for a in computed_attributes() {
        let name = a.name.clone();
        block = block.attribute(declared(a, &name));
    }
    let block = block
        .block(
            NestedBlock::list(
                "custom_spec",
                Block::new()
                    .attribute(
                        Attribute::number("cpu")
                            .required()
                            .description("CPU cores, more than 0.3."),
                    )
                    .attribute(
                        Attribute::number("memory")
                            .required()
                            .description("Memory in MiB, a whole number above 512."),
                    )
                    .attribute(
                        Attribute::number("gpu")
                            .optional()
                            .description("GPUs, 0 or more (GPU pools only)."),
                    ),
            )
            .max_items(1),
        )
        .block(
            NestedBlock::list("volume", volume_block())
                .min_items(1)
                .max_items(1),
        )
        .block(NestedBlock::list("endpoint", endpoint_block()))
        .block(
            NestedBlock::list(
                "hooks",
                Block::new()
                    .block(NestedBlock::list("pre_start", hook_block()).max_items(1))
                    .block(NestedBlock::list("post_start", hook_block()).max_items(1)),
            )
            .max_items(1),
        )
        .block(
            NestedBlock::list(
                "affinity",
                Block::new()
                    .block(NestedBlock::list("required", affinity_rule_block(false)))
                    .block(NestedBlock::list("preferred", affinity_rule_block(true))),
            )
            .max_items(1),
        )
        .block(NestedBlock::single(
            "timeouts",
            Block::new()
                .attribute(
                    Attribute::string("create")
                        .optional()
                        .description("Default `30m`."),
                )
                .attribute(
                    Attribute::string("update")
                        .optional()
                        .description("Default `30m`."),
                )
                .attribute(
                    Attribute::string("delete")
                        .optional()
                        .description("Default `20m`."),
                ),
        ));
    Schema::new(block)
}

const DEFAULT_CREATE_TIMEOUT: Duration = Duration::from_secs(30 * 60);
const DEFAULT_UPDATE_TIMEOUT: Duration = Duration::from_secs(30 * 60);
const DEFAULT_DELETE_TIMEOUT: Duration = Duration::from_secs(20 * 60);

/// `modelarts_notebook`.
pub struct NotebookResource;

#[async_trait]
impl<D: Backend> Resource<D> for NotebookResource {
    fn type_name(&self) -> &str {
        TYPE_NAME
    }

    fn schema(&self) -> Schema {
        schema()
    }

    async fn validate(&self, config: &Value, diags: &mut Diagnostics) {
        validate_config(config, diags);
    }

    /// Always: the plan hook decides per notebook (its `enable_force_new`) between replacement and an error.
    fn replacement_allowed(&self, _provider: Option<&D>) -> bool {
        true
    }

    async fn modify_plan(&self, ctx: &PlanCtx<'_, D>, plan: &mut PlanResult) {
        adjust_plan(
            ctx.prior,
            ctx.config,
            plan,
            ctx.provider.map(Backend::enable_force_new),
        );
    }

    async fn create(&self, ctx: &Ctx<D>, req: CreateRequest) -> ApplyResult {
        let mut diags = Diagnostics::new();
        validate_config(&req.config, &mut diags);
        if diags.has_errors() {
            return ApplyResult::failed(diags);
        }
        let client = match client(ctx) {
            Ok(c) => c,
            Err(d) => return ApplyResult::failed(d),
        };
        let planned = planned_model(ctx, &req.planned);
        let deadline =
            Deadline::after(timeout_of(&planned.timeouts.create, DEFAULT_CREATE_TIMEOUT));
        let started = Instant::now();
        log_info!(
            "creating notebook",
            name = planned.name,
            flavor = planned.flavor
        );
        let created = match client.create_notebook(&planned.create_request()).await {
            Ok(nb) => nb,
            Err(e) => return ApplyResult::failed(api_error("Creating the notebook failed", &e)),
        };
        let Some(id) = created.id.clone() else {
            return ApplyResult::failed(Diagnostic::error(
                "Creating the notebook failed",
                "The API returned no id.",
            ));
        };
        // From here on the instance exists: every failure returns a state holding its id, so Terraform taints
        // it (and replaces it next time) instead of forgetting it.
        let mut partial = req.planned.unknown_as_null();
        partial.set_attr("id", Value::string(id.clone()));
        log_info!(
            "notebook create sent",
            notebook_id = id,
            request_id = client.last_request_id(),
            status = created.status_str(),
            duration_ms = started.elapsed(),
        );
        waiting(&id, "RUNNING", &deadline);
        let ready = async {
            let nb = client
                .wait_for_status(&id, &[NotebookStatus::Running], deadline.remaining(), None)
                .await?;
            converge(&client, &id, Some(nb), planned.desired_state, &deadline).await
        };
        match ready.await {
            Ok(nb) => {
                log_info!(
                    "notebook created",
                    notebook_id = id,
                    status = nb.status_str(),
                    duration_ms = started.elapsed(),
                );
                ApplyResult::ok(state_of(&nb, &planned))
            }
            Err(e) => ApplyResult::partial(
                partial,
                Diagnostic::error(
                    format!("Notebook {id} was created but did not become ready"),
                    e.to_string(),
                ),
            ),
        }
    }

    async fn read(&self, ctx: &Ctx<D>, req: ReadRequest) -> ReadResult {
        let prior = NotebookModel::from_value(&req.state);
        let Some(id) = prior.id.clone() else {
            return ReadResult::failed(Diagnostic::error("Notebook state has no id", "The stored state of this notebook has no id; remove it from state with `terraform state rm`."));
        };
        let client = match client(ctx) {
            Ok(c) => c,
            Err(d) => return ReadResult::failed(d),
        };
        let started = Instant::now();
        let shown = client.show_notebook(&id).await;
        log_info!(
            "notebook read",
            notebook_id = id,
            status = shown.as_ref().ok().map(NotebookResp::status_str),
            request_id = client.last_request_id(),
            duration_ms = started.elapsed(),
        );
        match shown {
            Ok(nb) if nb.status != Some(NotebookStatus::Deleted) => {
                ReadResult::ok(state_of(&nb, &prior))
            }
            Ok(_) => gone(&id),
            Err(e) if e.is_not_found() => gone(&id),
            Err(e) => ReadResult::failed(api_error(&format!("Reading notebook {id} failed"), &e)),
        }
    }

    async fn update(&self, ctx: &Ctx<D>, req: UpdateRequest) -> ApplyResult {
        let mut diags = Diagnostics::new();
        validate_config(&req.config, &mut diags);
        if diags.has_errors() {
            return ApplyResult::failed(diags);
        }
        let client = match client(ctx) {
            Ok(c) => c,
            Err(d) => return ApplyResult::failed(d),
        };
        let prior = NotebookModel::from_value(&req.prior);
        let planned = planned_model(ctx, &req.planned);
        let Some(id) = prior.id.clone() else {
            return ApplyResult::failed(Diagnostic::error(
                "Notebook state has no id",
                "Cannot update a notebook without an id.",
            ));
        };
        let deadline =
            Deadline::after(timeout_of(&planned.timeouts.update, DEFAULT_UPDATE_TIMEOUT));
        let plan = plan_update(&prior, &planned);
        // A notebook that is to end up stopped anyway may always be stopped.
        let may_stop =
            planned.allow_stop_for_update || planned.desired_state == DesiredState::Stopped;
        let started = Instant::now();
        log_info!(
            "updating notebook",
            notebook_id = id,
            changed = plan.changed_fields().join(","),
            desired_state = planned.desired_state.as_str(),
        );
        let outcome = async {
            let known = if plan.needs_put() {
                apply_put(&client, &id, &plan, may_stop, &deadline).await?
            } else {
                None
            };
            converge(&client, &id, known, planned.desired_state, &deadline).await
        };
        match outcome.await {
            Ok(nb) => {
                log_info!(
                    "notebook updated",
                    notebook_id = id,
                    status = nb.status_str(),
                    duration_ms = started.elapsed(),
                );
                ApplyResult::ok(state_of(&nb, &planned))
            }
            Err(failure) => {
                // Report what the notebook really is now (e.g. stopped, not yet updated), so the next plan shows it.
                let state = match client.show_notebook(&id).await {
                    Ok(nb) => state_of(&nb, &prior),
                    Err(_) => req.prior.clone(),
                };
                ApplyResult::partial(state, failure.into_diagnostics(&id))
            }
        }
    }

    async fn delete(&self, ctx: &Ctx<D>, req: DeleteRequest) -> Diagnostics {
        let prior = NotebookModel::from_value(&req.prior);
        let Some(id) = prior.id.clone() else {
            return Diagnostics::new();
        };
        let timeout = timeout_of(&prior.timeouts.delete, DEFAULT_DELETE_TIMEOUT);
        let client = match client(ctx) {
            Ok(c) => c,
            Err(d) => return d.into(),
        };
        let started = Instant::now();
        log_info!("deleting notebook", notebook_id = id);
        match delete_and_wait(&client, &id, timeout).await {
            Ok(()) => {
                log_info!(
                    "notebook deleted",
                    notebook_id = id,
                    duration_ms = started.elapsed()
                );
                Diagnostics::new()
            }
            Err(e) => api_error(&format!("Deleting notebook {id} failed"), &e).into(),
        }
    }

    async fn import(&self, ctx: &Ctx<D>, id: &str) -> ImportResult {
        if !is_uuid(id) {
            return ImportResult::failed(Diagnostic::error(
                "Invalid import id",
                format!("Import a notebook by its instance UUID, e.g. 1e5bd3b4-1ce0-4bbb-ba4a-8b18b6a8f5c6; got {id:?}."),
            ));
        }
        // Read fills in everything else; the provider-only inputs take their defaults.
        let model = NotebookModel {
            id: Some(id.to_string()),
            workspace_id: DEFAULT_WORKSPACE_ID.to_string(),
            allow_stop_for_update: true,
            enable_force_new: ctx.provider().enable_force_new(),
            ..Default::default()
        };
        ImportResult::ok(model.to_value())
    }
}

/// Why an apply step failed.
#[derive(Debug, thiserror::Error)]
enum NotebookError {
    #[error("{0}")]
    Client(#[from] ClientError),
    #[error(
        "notebook {id} is RUNNING and allow_stop_for_update = false, but changing {fields} needs it STOPPED. \
         Set allow_stop_for_update = true, or stop it first (desired_state = \"STOPPED\")."
    )]
    StopNotAllowed { id: String, fields: String },
    #[error("notebook {id} is {status}{reason}: it cannot be {action} in this state; fix or recreate it first")]
    BadStatus {
        id: String,
        status: String,
        reason: String,
        action: &'static str,
    },
}

impl NotebookError {
    fn bad_status(nb: &NotebookResp, id: &str, action: &'static str) -> NotebookError {
        NotebookError::BadStatus {
            id: id.to_string(),
            status: nb.status_str().to_string(),
            reason: nb
                .fail_reason
                .as_deref()
                .filter(|r| !r.is_empty())
                .map(|r| format!(" ({r})"))
                .unwrap_or_default(),
            action,
        }
    }

    fn into_diagnostics(self, id: &str) -> Diagnostics {
        let summary = match &self {
            NotebookError::StopNotAllowed { .. } => {
                "Notebook must be stopped for this update".to_string()
            }
            _ => format!("Updating notebook {id} failed"),
        };
        Diagnostic::error(summary, self.to_string()).into()
    }
}

/// A time budget shared by the steps of one operation (the `timeouts` block sets the total).
struct Deadline(tokio::time::Instant);

impl Deadline {
    fn after(d: Duration) -> Deadline {
        Deadline(tokio::time::Instant::now() + d)
    }

    fn remaining(&self) -> Duration {
        self.0
            .saturating_duration_since(tokio::time::Instant::now())
    }
}

/// The provider's client, bound to this operation's cancellation (Terraform's Stop).
fn client<D: Backend>(ctx: &Ctx<D>) -> Result<Client, Diagnostic> {
    match ctx.provider().client() {
        Ok(c) => Ok(c.with_cancellation(ctx.cancel_token().clone())),
        Err(e) => Err(Diagnostic::error(
            "Invalid ModelArts client configuration",
            e.to_string(),
        )),
    }
}

/// The planned model with `enable_force_new` resolved: it is unknown in a plan made before the provider was
/// configured, and then takes the provider's setting.
fn planned_model<D: Backend>(ctx: &Ctx<D>, planned: &Value) -> NotebookModel {
    let mut m = NotebookModel::from_value(planned);
    if planned.get_attr("enable_force_new").is_unknown() {
        m.enable_force_new = ctx.provider().enable_force_new();
    }
    m
}

/// Validation already rejected bad durations; anything unreadable here falls back to the default.
fn timeout_of(text: &Option<String>, default: Duration) -> Duration {
    text.as_deref()
        .and_then(|t| parse_duration(t).ok())
        .unwrap_or(default)
}

fn api_error(summary: &str, e: &ClientError) -> Diagnostic {
    Diagnostic::error(summary, e.to_string())
}

fn gone(id: &str) -> ReadResult {
    log_warn!("notebook no longer exists", notebook_id = id);
    let mut diags = Diagnostics::new();
    diags.warning(
        "Notebook no longer exists",
        format!("Notebook {id} was deleted outside Terraform; it is removed from the state and the next apply creates it again."),
    );
    ReadResult::gone().with_diagnostics(diags)
}

fn state_of(nb: &NotebookResp, template: &NotebookModel) -> Value {
    NotebookModel::reconcile(
        NotebookModel::from_resp(nb, template.enable_force_new),
        template,
        nb.status.as_ref(),
    )
    .into_value()
}

fn is_starting(s: &NotebookStatus) -> bool {
    matches!(
        s,
        NotebookStatus::Init
            | NotebookStatus::Creating
            | NotebookStatus::Starting
            | NotebookStatus::Snapshotting
    )
}

/// Lets a transition in progress finish; returns the notebook in a settled state.
async fn settled(
    client: &Client,
    id: &str,
    deadline: &Deadline,
) -> Result<NotebookResp, ClientError> {
    let nb = client.show_notebook(id).await?;
    settle(client, id, nb, deadline).await
}

/// [`settled`] for a notebook already in hand (just polled or returned by the API): no GET unless it is in a
/// transition. One without a status is read again.
async fn settle(
    client: &Client,
    id: &str,
    nb: NotebookResp,
    deadline: &Deadline,
) -> Result<NotebookResp, ClientError> {
    let nb = match nb.status {
        Some(_) => nb,
        None => client.show_notebook(id).await?,
    };
    match &nb.status {
        Some(s) if is_starting(s) => {
            waiting(id, "RUNNING", deadline);
            client
                .wait_for_status(id, &[NotebookStatus::Running], deadline.remaining(), None)
                .await
        }
        Some(NotebookStatus::Stopping) => {
            waiting(id, "STOPPED", deadline);
            client
                .wait_for_status(id, &[NotebookStatus::Stopped], deadline.remaining(), None)
                .await
        }
        _ => Ok(nb),
    }
}

async fn stop_and_wait(
    client: &Client,
    id: &str,
    deadline: &Deadline,
) -> Result<NotebookResp, ClientError> {
    let started = Instant::now();
    client.stop_notebook(id).await?;
    log_info!(
        "notebook stop sent",
        notebook_id = id,
        request_id = client.last_request_id()
    );
    waiting(id, "STOPPED", deadline);
    let nb = client
        .wait_for_status(id, &[NotebookStatus::Stopped], deadline.remaining(), None)
        .await?;
    log_info!(
        "notebook stopped",
        notebook_id = id,
        duration_ms = started.elapsed()
    );
    Ok(nb)
}

async fn start_and_wait(
    client: &Client,
    id: &str,
    deadline: &Deadline,
) -> Result<NotebookResp, ClientError> {
    let started = Instant::now();
    client.start_notebook(id, &StartQuery::default()).await?;
    log_info!(
        "notebook start sent",
        notebook_id = id,
        request_id = client.last_request_id()
    );
    waiting(id, "RUNNING", deadline);
    let nb = client
        .wait_for_status(id, &[NotebookStatus::Running], deadline.remaining(), None)
        .await?;
    log_info!(
        "notebook started",
        notebook_id = id,
        duration_ms = started.elapsed()
    );
    Ok(nb)
}

/// Brings the notebook to `desired` and returns it as it then is. Starts only when RUNNING is wanted. `known`
/// is the notebook as the previous step left it, when that step read or was answered with it: it saves a GET.
async fn converge(
    client: &Client,
    id: &str,
    known: Option<NotebookResp>,
    desired: DesiredState,
    deadline: &Deadline,
) -> Result<NotebookResp, NotebookError> {
    let nb = match known {
        Some(nb) => settle(client, id, nb, deadline).await?,
        None => settled(client, id, deadline).await?,
    };
    let status = nb
        .status
        .clone()
        .unwrap_or(NotebookStatus::Other(String::new()));
    let nb = match (desired, status) {
        (DesiredState::Running, NotebookStatus::Running)
        | (DesiredState::Stopped, NotebookStatus::Stopped) => nb,
        (DesiredState::Running, NotebookStatus::Stopped | NotebookStatus::StartFailed) => {
            start_and_wait(client, id, deadline).await?
        }
        (DesiredState::Stopped, NotebookStatus::Running) => {
            stop_and_wait(client, id, deadline).await?
        }
        (DesiredState::Running, _) => return Err(NotebookError::bad_status(&nb, id, "started")),
        (DesiredState::Stopped, _) => return Err(NotebookError::bad_status(&nb, id, "stopped")),
    };
    Ok(nb)
}

/// Sends the PUT, stopping a RUNNING notebook first unless the API takes the change while it runs, then waits
/// for the update to settle. Leaves the notebook stopped if it stopped it: `converge` restores the state.
/// Returns the notebook as the API last showed it (the PUT's answer, or the volume wait's last read).
async fn apply_put(
    client: &Client,
    id: &str,
    plan: &UpdatePlan,
    allow_stop: bool,
    deadline: &Deadline,
) -> Result<Option<NotebookResp>, NotebookError> {
    let nb = settled(client, id, deadline).await?;
    let answer = match nb
        .status
        .clone()
        .unwrap_or(NotebookStatus::Other(String::new()))
    {
        NotebookStatus::Running => {
            let hot = if plan.hot_eligible() {
                match client.update_notebook(id, &plan.body).await {
                    Ok(answer) => Some(answer),
                    Err(e) if e.must_stop_first() => None,
                    Err(e) => return Err(e.into()),
                }
            } else {
                None
            };
            match hot {
                Some(answer) => answer,
                None => {
                    if !allow_stop {
                        return Err(NotebookError::StopNotAllowed {
                            id: id.to_string(),
                            fields: plan.changed_fields().join(", "),
                        });
                    }
                    stop_and_wait(client, id, deadline).await?;
                    client.update_notebook(id, &plan.body).await?
                }
            }
        }
        NotebookStatus::Stopped | NotebookStatus::StartFailed => {
            client.update_notebook(id, &plan.body).await?
        }
        _ => return Err(NotebookError::bad_status(&nb, id, "updated")),
    };
    log_info!(
        "notebook update sent (PUT)",
        notebook_id = id,
        request_id = client.last_request_id(),
        fields = plan.changed_fields().join(","),
        status = answer.status_str(),
    );
    if plan.body.storage_new_size.is_some() {
        waiting(id, "storage resized", deadline);
        let nb = client
            .wait_for_volume_settled(id, deadline.remaining(), None)
            .await?;
        return Ok(Some(nb));
    }
    Ok(Some(answer))
}

/// Deletes and waits until the notebook is gone. Already gone is success; a notebook the API wants stopped
/// first (6304) is stopped, and one in a transition is let finish, before a second attempt.
async fn delete_and_wait(client: &Client, id: &str, timeout: Duration) -> Result<(), ClientError> {
    let deadline = Deadline::after(timeout);
    let first = client.delete_notebook(id).await;
    log_info!(
        "notebook delete sent",
        notebook_id = id,
        request_id = client.last_request_id(),
        ok = first.is_ok(),
    );
    match first {
        Ok(_) => {}
        Err(e) if e.is_not_found() => return Ok(()),
        Err(e) if e.must_stop_first() || e.is_busy_or_in_target_state() => {
            let nb = settled(client, id, &deadline).await?;
            if e.must_stop_first() && nb.status == Some(NotebookStatus::Running) {
                stop_and_wait(client, id, &deadline).await?;
            }
            match client.delete_notebook(id).await {
                Ok(_) => {}
                Err(e) if e.is_not_found() => return Ok(()),
                Err(e) => return Err(e),
            }
        }
        Err(e) => return Err(e),
    }
    waiting(id, "deleted", &deadline);
    client.wait_for_gone(id, deadline.remaining(), None).await
}

/// The INFO line before each wait; the client logs every poll of it at DEBUG.
fn waiting(id: &str, target: &str, deadline: &Deadline) {
    log_info!(
        "waiting for notebook",
        notebook_id = id,
        target = target,
        timeout_s = deadline.remaining().as_secs(),
    );
}

#[cfg(test)]
#[path = "notebook_apply_tests.rs"]
mod tests;
