//! `modelarts_notebook_images`: the images notebooks can be created from, paged through, filtered by
//! name (exact or fuzzy), type, namespace, workspace and CPU architecture.

use std::collections::HashSet;

use async_trait::async_trait;

use crate::api::{Image, ImageListQuery};
use crate::resources::backend::Backend;
use crate::resources::notebook_validate::check_workspace_id;
use crate::tf::validate;
use crate::tf::{Attribute, Block, Ctx, DataSource, ReadResult, Schema, Type, Value};

use super::common::{
    bool_filter, client, describe_filters, one_of_any_case, opt_string, read_error, rule,
    string_filter, string_list,
};

pub const TYPE_NAME: &str = "modelarts_notebook_images";

pub const IMAGE_TYPES: &[&str] = &["BUILD_IN", "DEDICATED"];
pub const DEFAULT_IMAGE_TYPE: &str = "BUILD_IN";
/// As the image API spells them; matched in any case.
pub const CPU_ARCHES: &[&str] = &["X86_64", "AARCH64"];
/// The API's rules for image names and SWR organisations (notebook-api.md §2.11).
pub const NAME_PATTERN: &str = r"^[a-z0-9._-]{1,512}$";
pub const NAMESPACE_PATTERN: &str = r"^[a-z][a-z0-9._-]{0,63}$";

pub struct ImagesDataSource;

fn image_type() -> Type {
    Type::object([
        ("id", Type::String),
        ("name", Type::String),
        ("swr_path", Type::String),
        ("tag", Type::String),
        ("type", Type::String),
        ("arch", Type::String),
        ("resource_categories", Type::list(Type::String)),
        ("dev_services", Type::list(Type::String)),
        ("service_type", Type::String),
        ("status", Type::String),
        ("description", Type::String),
    ])
}

fn image_value(i: &Image) -> Value {
    Value::object([
        ("id", opt_string(&i.id)),
        ("name", opt_string(&i.name)),
        ("swr_path", opt_string(&i.swr_path)),
        ("tag", opt_string(&i.tag)),
        ("type", opt_string(&i.r#type)),
        ("arch", opt_string(&i.arch)),
        ("resource_categories", string_list(&i.resource_categories)),
        ("dev_services", string_list(&i.dev_services)),
        ("service_type", opt_string(&i.service_type)),
        ("status", opt_string(&i.status)),
        ("description", opt_string(&i.description)),
    ])
}

pub fn schema() -> Schema {
    Schema::new(
        Block::new()
            .description(
                "Lists notebook images that match every filter that is set, across all pages. No match \
                 is an empty list.",
            )
            .attribute(
                Attribute::string("name")
                    .optional()
                    .validator(validate::matches(
                        NAME_PATTERN,
                        "must be an image name of 1 to 512 lower-case letters, digits, '.', '_' or '-'",
                    ))
                    .description(
                        "The image name: exact match, or a substring with `name_fuzzy_match = true`.",
                    ),
            )
            .attribute(Attribute::bool("name_fuzzy_match").optional().description(
                "Match `name` as a substring (the API's fuzzy match) instead of exactly. Default `false`.",
            ))
            .attribute(
                Attribute::string("type")
                    .optional()
                    .computed()
                    .validator(validate::one_of(IMAGE_TYPES.iter().copied()))
                    .description(
                        "`BUILD_IN` (images ModelArts provides; the default) or `DEDICATED` (images \
                         saved by users).",
                    ),
            )
            .attribute(
                Attribute::string("namespace")
                    .optional()
                    .validator(validate::matches(
                        NAMESPACE_PATTERN,
                        "must be an SWR organisation: up to 64 lower-case letters, digits, '.', '_' or '-', starting with a letter",
                    ))
                    .description("Only images of this SWR organisation."),
            )
            .attribute(
                Attribute::string("workspace_id")
                    .optional()
                    .validator(rule("\"0\" or a workspace id", check_workspace_id))
                    .description(
                        "Only images of this workspace: `\"0\"` (the default workspace) or a 32-character \
                         workspace id.",
                    ),
            )
            .attribute(
                Attribute::string("cpu_arch")
                    .optional()
                    .validator(one_of_any_case(CPU_ARCHES))
                    .description(
                        "Only images for this CPU architecture: `X86_64` or `AARCH64` (any letter case). \
                         Filtered by the provider, as the API has no such filter.",
                    ),
            )
            .attribute(
                Attribute::list("ids", Type::String)
                    .computed()
                    .description("The ids of the matching images, in the order of `images`."),
            )
            .attribute(
                Attribute::list("images", image_type())
                    .computed()
                    .description(
                        "The matching images: `id` (the UUID to use as a notebook's `image_id`), `name`, \
                         `swr_path`, `tag`, `type`, `arch`, `resource_categories` (flavor categories it \
                         runs on), `dev_services`, `service_type`, `status` and `description`.",
                    ),
            )
            .validator(validate::required_with("name_fuzzy_match", ["name"])),
    )
}

#[async_trait]
impl<D: Backend> DataSource<D> for ImagesDataSource {
    fn type_name(&self) -> &str {
        TYPE_NAME
    }

    fn schema(&self) -> Schema {
        schema()
    }

    async fn read(&self, ctx: &Ctx<D>, config: &Value) -> ReadResult {
        let name = string_filter(config, "name");
        let fuzzy = bool_filter(config, "name_fuzzy_match");
        let kind = string_filter(config, "type").unwrap_or_else(|| DEFAULT_IMAGE_TYPE.into());
        let cpu_arch = string_filter(config, "cpu_arch");
        let query = ImageListQuery {
            name: name.clone(),
            name_fuzzy_match: name.as_ref().map(|_| fuzzy),
            namespace: string_filter(config, "namespace"),
            r#type: Some(kind.clone()),
            workspace_id: string_filter(config, "workspace_id"),
            ..Default::default()
        };
        let client = match client(ctx) {
            Ok(c) => c,
            Err(d) => return ReadResult::failed(d),
        };
        let found = match client.list_images_all_pages(&query).await {
            Ok(v) => v,
            Err(e) => {
                let filters = describe_filters(&[
                    ("name", query.name.clone()),
                    (
                        "name_fuzzy_match",
                        query.name_fuzzy_match.map(|b| b.to_string()),
                    ),
                    ("type", query.r#type.clone()),
                    ("namespace", query.namespace.clone()),
                    ("workspace_id", query.workspace_id.clone()),
                ]);
                return ReadResult::failed(read_error(
                    TYPE_NAME,
                    format!("Listing images ({filters})"),
                    &e,
                ));
            }
        };
        let mut seen = HashSet::new();
        let kept: Vec<&Image> = found
            .iter()
            .filter(|i| i.id.as_deref().is_some_and(|id| !id.is_empty()))
            .filter(|i| fuzzy || name.is_none() || i.name == name)
            .filter(|i| {
                cpu_arch.as_deref().is_none_or(|a| {
                    i.arch
                        .as_deref()
                        .is_some_and(|ia| ia.eq_ignore_ascii_case(a))
                })
            })
            // Paging while images are saved or deleted can show one twice.
            .filter(|i| seen.insert(i.id.clone()))
            .collect();
        let mut state = config.clone();
        state.set_attr("type", Value::string(kind));
        state.set_attr("ids", Value::list(kept.iter().map(|i| opt_string(&i.id))));
        state.set_attr("images", Value::list(kept.iter().map(|i| image_value(i))));
        ReadResult::ok(state)
    }
}

#[cfg(test)]
#[path = "images_tests.rs"]
mod tests;
