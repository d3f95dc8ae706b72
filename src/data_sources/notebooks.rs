//! `modelarts_notebooks`: every notebook matching the filters (paged through), each with the resource's
//! attributes; the sensitive tokens in a separate sensitive map.

use std::collections::HashSet;

use async_trait::async_trait;

use crate::api::{NotebookListQuery, NotebookStatus};
use crate::resources::backend::Backend;
use crate::resources::notebook_model::DEFAULT_WORKSPACE_ID;
use crate::resources::notebook_validate::{check_image_id, check_name, check_workspace_id};
use crate::tf::validate;
use crate::tf::{Attribute, Block, Ctx, DataSource, KeyMap, ReadResult, Schema, Type, Value};

use super::common::{
    bool_filter, client, describe_filters, notebook_item_type, notebook_item_value, read_error,
    rule, string_filter,
};

pub const TYPE_NAME: &str = "modelarts_notebooks";

pub const FEATURES: &[&str] = &["NOTEBOOK", "DEFAULT"];

/// The API's rule for the `flavor` filter (notebook-api.md §2.3).
pub const FLAVOR_PATTERN: &str = r"^[0-9A-Za-z._-]{1,256}$";
/// The API's rule for pool ids.
pub const POOL_ID_PATTERN: &str = r"^[a-z][a-z0-9-]{3,63}$";

pub struct NotebooksDataSource;

fn statuses() -> Vec<&'static str> {
    NotebookStatus::ALL
        .iter()
        .map(NotebookStatus::as_str)
        .collect()
}

pub fn schema() -> Schema {
    Schema::new(
        Block::new()
            .description(
                "Lists the ModelArts notebook instances that match every filter that is set, across all \
                 pages. No match is an empty list. Each element carries the attributes of the \
                 `modelarts_notebook` resource except `token` (in the sensitive `tokens` map) and the \
                 inputs that only steer the resource (`desired_state`, `allow_stop_for_update`, \
                 `enable_force_new`, `timeouts`, and `hooks`, which the API does not return).",
            )
            .attribute(
                Attribute::string("name")
                    .optional()
                    .validator(rule("a notebook name", check_name))
                    .description(
                        "The notebook name: exact match, or a substring with `name_fuzzy_match = true`.",
                    ),
            )
            .attribute(Attribute::bool("name_fuzzy_match").optional().description(
                "Match `name` as a substring (the API's fuzzy match) instead of exactly. Default `false`.",
            ))
            .attribute(
                Attribute::string("status")
                    .optional()
                    .validator(validate::one_of(statuses()))
                    .description(format!(
                        "Only notebooks in this status: one of {}.",
                        statuses()
                            .iter()
                            .map(|s| format!("`{s}`"))
                            .collect::<Vec<_>>()
                            .join(", ")
                    )),
            )
            .attribute(
                Attribute::string("flavor")
                    .optional()
                    .validator(validate::matches(
                        FLAVOR_PATTERN,
                        "must be a flavor code of 1 to 256 letters, digits, '.', '_' or '-'",
                    ))
                    .description(
                        "Only notebooks on this flavor (exact code, e.g. `modelarts.vm.cpu.2u`). Notebooks \
                         on a custom spec never match.",
                    ),
            )
            .attribute(
                Attribute::string("image_id")
                    .optional()
                    .validator(rule("an image UUID", check_image_id))
                    .description("Only notebooks created from this image (UUID)."),
            )
            .attribute(
                Attribute::string("workspace_id")
                    .optional()
                    .validator(rule("\"0\" or a workspace id", check_workspace_id))
                    .description(
                        "Only notebooks of this workspace: `\"0\"` (the default workspace, searched when \
                         unset) or a 32-character workspace id.",
                    ),
            )
            .attribute(
                Attribute::string("pool_id")
                    .optional()
                    .validator(validate::matches(
                        POOL_ID_PATTERN,
                        "must be a pool id: 4 to 64 lower-case letters, digits or '-', starting with a letter",
                    ))
                    .description("Only notebooks in this dedicated resource pool."),
            )
            .attribute(
                Attribute::string("feature")
                    .optional()
                    .validator(validate::one_of(FEATURES.iter().copied()))
                    .description(
                        "`NOTEBOOK` (regular instances, the API's default when unset) or `DEFAULT` (free \
                         CodeLab instances).",
                    ),
            )
            .attribute(
                Attribute::list("ids", Type::String)
                    .computed()
                    .description("The ids of the matching notebooks, in the order of `notebooks`."),
            )
            .attribute(
                Attribute::new("notebooks", Type::list(notebook_item_type()))
                    .computed()
                    .description(
                        "The matching notebooks, newest first, with the attributes of the \
                         `modelarts_notebook` resource (see above for the exceptions).",
                    ),
            )
            .attribute(
                Attribute::map("tokens", Type::String)
                    .computed()
                    .sensitive()
                    .description(
                        "Notebook id → authentication token, for the matching notebooks that have one.",
                    ),
            )
            .validator(validate::required_with("name_fuzzy_match", ["name"])),
    )
}

#[async_trait]
impl<D: Backend> DataSource<D> for NotebooksDataSource {
    fn type_name(&self) -> &str {
        TYPE_NAME
    }

    fn schema(&self) -> Schema {
        schema()
    }

    async fn read(&self, ctx: &Ctx<D>, config: &Value) -> ReadResult {
        let name = string_filter(config, "name");
        let fuzzy = bool_filter(config, "name_fuzzy_match");
        let flavor = string_filter(config, "flavor");
        let query = NotebookListQuery {
            name: name.clone(),
            status: string_filter(config, "status"),
            flavor: flavor.clone(),
            image_id: string_filter(config, "image_id"),
            // Explicit: servers differ on whether an absent workspace means "0" or every workspace.
            workspace_id: Some(
                string_filter(config, "workspace_id")
                    .unwrap_or_else(|| DEFAULT_WORKSPACE_ID.into()),
            ),
            pool_id: string_filter(config, "pool_id"),
            feature: string_filter(config, "feature"),
            ..Default::default()
        };
        let client = match client(ctx) {
            Ok(c) => c,
            Err(d) => return ReadResult::failed(d),
        };
        let found = match client.list_notebooks_all_pages(&query).await {
            Ok(v) => v,
            Err(e) => {
                let filters = describe_filters(&[
                    ("name", query.name.clone()),
                    ("status", query.status.clone()),
                    ("flavor", query.flavor.clone()),
                    ("image_id", query.image_id.clone()),
                    ("workspace_id", query.workspace_id.clone()),
                    ("pool_id", query.pool_id.clone()),
                    ("feature", query.feature.clone()),
                ]);
                return ReadResult::failed(read_error(
                    TYPE_NAME,
                    format!("Listing notebooks ({filters})"),
                    &e,
                ));
            }
        };
        let mut seen = HashSet::new();
        let mut ids = Vec::new();
        let mut items = Vec::new();
        let mut tokens = KeyMap::new();
        for nb in &found {
            // The API matches `name` and `flavor` as substrings; exact is what a filter means here.
            if !fuzzy && name.is_some() && nb.name != name {
                continue;
            }
            if flavor.is_some() && nb.flavor != flavor {
                continue;
            }
            let Some(id) = nb.id.clone().filter(|id| !id.is_empty()) else {
                continue;
            };
            // Paging while notebooks are created or deleted can show one twice.
            if !seen.insert(id.clone()) {
                continue;
            }
            if let Some(t) = nb.token.as_ref().filter(|t| !t.expose().is_empty()) {
                tokens.insert(id.clone(), Value::string(t.expose()));
            }
            ids.push(Value::string(id));
            items.push(notebook_item_value(nb));
        }
        let mut state = config.clone();
        state.set_attr("ids", Value::list(ids));
        state.set_attr("notebooks", Value::list(items));
        state.set_attr("tokens", Value::Map(tokens));
        ReadResult::ok(state)
    }
}

#[cfg(test)]
#[path = "notebooks_tests.rs"]
mod tests;
