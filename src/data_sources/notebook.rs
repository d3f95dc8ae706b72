//! `modelarts_notebook`: one notebook, by `id` or by exact `name`, with the resource's attributes.
//!
//! Names may repeat in ModelArts, so a name lookup that finds several notebooks is an error listing them
//! (as is one that finds none): silently picking one would point a configuration at the wrong instance.

use async_trait::async_trait;

use crate::api::{NotebookListQuery, NotebookResp};
use crate::resources::backend::Backend;
use crate::resources::notebook_model::DEFAULT_WORKSPACE_ID;
use crate::resources::notebook_validate::{check_name, check_workspace_id, is_uuid};
use crate::tf::{
    validate, AttributePath, Block, Ctx, DataSource, Diagnostic, ReadResult, Schema, Value,
};

use super::common::{client, notebook_attributes, notebook_value, read_error, rule, string_filter};

pub const TYPE_NAME: &str = "modelarts_notebook";

/// At most this many candidates are listed in a lookup error.
const MAX_LISTED: usize = 20;

pub struct NotebookDataSource;

pub fn schema() -> Schema {
    let attrs = notebook_attributes().into_iter().map(|a| match a.name.as_str() {
        "id" => a
            .optional()
            .validator(validate::custom("a notebook UUID", |v: &Value| {
                match v.as_str() {
                    Some(s) if !is_uuid(s) => Err(format!(
                        "must be a notebook UUID such as 278e88d1-5b71-4766-8502-b3ba72e824d9, got {s:?}"
                    )),
                    _ => Ok(()),
                }
            }))
            .description("The notebook UUID. Exactly one of `id` and `name` must be set."),
        "name" => a
            .optional()
            .validator(rule("a notebook name", check_name))
            .description(
                "The exact notebook name. Exactly one of `id` and `name` must be set; exactly one notebook \
                 must have this name, or reading fails and lists the candidates.",
            ),
        "workspace_id" => a
            .optional()
            .validator(rule("\"0\" or a workspace id", check_workspace_id))
            .description(
                "The workspace: `\"0\"` for the default workspace, where a `name` lookup searches when this \
                 is unset. With `id`, the notebook must belong to this workspace.",
            ),
        _ => a,
    });
    Schema::new(
        Block::new()
            .description(
                "One ModelArts notebook instance, by `id` or by exact `name`, with the attributes of the \
                 `modelarts_notebook` resource except the inputs that only steer the resource \
                 (`desired_state`, `allow_stop_for_update`, `enable_force_new`, `timeouts`, and `hooks`, \
                 which the API does not return). `token` is sensitive.",
            )
            .attributes(attrs)
            .validator(validate::exactly_one_of(["id", "name"])),
    )
}

#[async_trait]
impl<D: Backend> DataSource<D> for NotebookDataSource {
    fn type_name(&self) -> &str {
        TYPE_NAME
    }

    fn schema(&self) -> Schema {
        schema()
    }

    async fn read(&self, ctx: &Ctx<D>, config: &Value) -> ReadResult {
        let workspace = string_filter(config, "workspace_id");
        let nb = match (string_filter(config, "id"), string_filter(config, "name")) {
            (Some(id), _) => by_id(ctx, &id, workspace.as_deref()).await,
            (None, Some(name)) => by_name(ctx, &name, workspace.clone()).await,
            (None, None) => Err(Diagnostic::error(
                "Missing required argument",
                format!("{TYPE_NAME} needs `id` or `name`."),
            )),
        };
        match nb {
            Ok(nb) => {
                let mut state = notebook_value(&nb);
                // A name lookup in the default workspace may meet a notebook that reports none; keep the
                // configured spelling, which means the same.
                if let Some(w) = workspace {
                    state.set_attr("workspace_id", Value::string(w));
                }
                ReadResult::ok(state)
            }
            Err(d) => ReadResult::failed(d),
        }
    }
}

async fn by_id<D: Backend>(
    ctx: &Ctx<D>,
    id: &str,
    workspace: Option<&str>,
) -> Result<NotebookResp, Diagnostic> {
    let nb = client(ctx)?.show_notebook(id).await.map_err(|e| {
        if e.is_not_found() {
            Diagnostic::error(
                "Notebook not found",
                format!("No notebook with id {id} exists in this project: {e}"),
            )
            .at(AttributePath::root("id"))
        } else {
            read_error(TYPE_NAME, format!("Reading notebook {id}"), &e)
        }
    })?;
    let actual = nb
        .workspace_id
        .as_deref()
        .filter(|w| !w.is_empty())
        .unwrap_or("0");
    match workspace {
        Some(w) if w != actual => Err(Diagnostic::error(
            "Notebook in another workspace",
            format!("Notebook {id} belongs to workspace {actual:?}, not {w:?}. Remove `workspace_id` or set it to {actual:?}."),
        )
        .at(AttributePath::root("workspace_id"))),
        _ => Ok(nb),
    }
}

async fn by_name<D: Backend>(
    ctx: &Ctx<D>,
    name: &str,
    workspace: Option<String>,
) -> Result<NotebookResp, Diagnostic> {
    let where_ = match &workspace {
        Some(w) => format!("workspace {w:?}"),
        None => "the default workspace".to_string(),
    };
    let client = client(ctx)?;
    let query = NotebookListQuery {
        name: Some(name.to_string()),
        // Explicit: servers differ on whether an absent workspace means "0" or every workspace.
        workspace_id: Some(
            workspace
                .clone()
                .unwrap_or_else(|| DEFAULT_WORKSPACE_ID.into()),
        ),
        ..Default::default()
    };
    // The API matches names as substrings: the near misses explain an empty exact match.
    let similar = client.list_notebooks_all_pages(&query).await.map_err(|e| {
        read_error(
            TYPE_NAME,
            format!("Listing notebooks named {name:?} in {where_}"),
            &e,
        )
    })?;
    let (exact, others): (Vec<&NotebookResp>, Vec<&NotebookResp>) = similar
        .iter()
        .partition(|nb| nb.name.as_deref() == Some(name));
    match exact.as_slice() {
        [one] => {
            let id = one.id.clone().unwrap_or_default();
            // The listing may abridge a notebook; the full record comes from Show.
            let nb = client.show_notebook(&id).await.map_err(|e| {
                read_error(TYPE_NAME, format!("Reading notebook {id} (named {name:?})"), &e)
            })?;
            if nb.name.as_deref() != Some(name) {
                return Err(Diagnostic::error(
                    "Notebook renamed while reading",
                    format!(
                        "Notebook {id} was named {name:?} when listed but is now named {:?}. Run again.",
                        nb.name.as_deref().unwrap_or("")
                    ),
                )
                .at(AttributePath::root("name")));
            }
            Ok(nb)
        }
        [] => {
            let hint = if others.is_empty() {
                format!("No notebook name in {where_} contains {name:?} either.")
            } else {
                format!(
                    "Notebooks with similar names:\n{}",
                    candidates(&others)
                )
            };
            Err(Diagnostic::error(
                "Notebook not found",
                format!("No notebook in {where_} is named {name:?}. {hint}"),
            )
            .at(AttributePath::root("name")))
        }
        several => Err(Diagnostic::error(
            "Several notebooks match",
            format!(
                "{} notebooks in {where_} are named {name:?}:\n{}\nNames may repeat in ModelArts: set `id` \
                 instead of `name` to choose one.",
                several.len(),
                candidates(several)
            ),
        )
        .at(AttributePath::root("name"))),
    }
}

/// One line per notebook: id, name, status, flavor and creation time.
fn candidates(list: &[&NotebookResp]) -> String {
    let mut lines: Vec<String> = list
        .iter()
        .take(MAX_LISTED)
        .map(|nb| {
            let created = nb
                .create_at
                .and_then(crate::resources::notebook_model::format_millis)
                .unwrap_or_else(|| "unknown".into());
            format!(
                "  - {} ({:?}, {}, flavor {}, created {created})",
                nb.id.as_deref().unwrap_or("?"),
                nb.name.as_deref().unwrap_or(""),
                nb.status.as_ref().map_or("unknown status", |s| s.as_str()),
                nb.flavor.as_deref().unwrap_or("none"),
            )
        })
        .collect();
    if list.len() > MAX_LISTED {
        lines.push(format!("  … and {} more", list.len() - MAX_LISTED));
    }
    lines.join("\n")
}

#[cfg(test)]
#[path = "notebook_tests.rs"]
mod tests;
