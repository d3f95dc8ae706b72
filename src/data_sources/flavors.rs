//! `modelarts_notebook_flavors`: the flavors notebooks can run on, or with `notebook_id` the flavors one
//! instance may switch to in place; filtered by category, cluster type, architecture, name and stock.

use async_trait::async_trait;

use crate::api::{FlavorListQuery, NotebookFlavor, SwitchableFlavorQuery};
use crate::resources::backend::Backend;
use crate::resources::notebook_validate::is_uuid;
use crate::tf::validate;
use crate::tf::{
    Attribute, AttributePath, Block, Ctx, DataSource, Diagnostic, ReadResult, Schema, Type, Value,
};

use super::common::{
    all_flavor_pages, bool_filter, client, describe_filters, one_of_any_case, opt_bool, opt_int,
    opt_string, read_error, string_filter, string_list,
};

pub const TYPE_NAME: &str = "modelarts_notebook_flavors";

pub const CATEGORIES: &[&str] = &["CPU", "GPU", "ASCEND"];
pub const CLUSTER_TYPES: &[&str] = &["MANAGED", "DEDICATED"];
/// As the flavor API spells them; matched in any case.
pub const ARCHES: &[&str] = &["x86_64", "aarch64"];

pub struct FlavorsDataSource;

fn flavor_type() -> Type {
    Type::object([
        ("id", Type::String),
        ("name", Type::String),
        ("description", Type::String),
        ("arch", Type::String),
        ("category", Type::String),
        ("feature", Type::String),
        ("vcpus", Type::Number),
        ("memory", Type::Number),
        ("free", Type::Bool),
        ("sold_out", Type::Bool),
        ("storages", Type::list(Type::String)),
        (
            "gpu",
            Type::object([
                ("count", Type::Number),
                ("memory", Type::String),
                ("type", Type::String),
            ]),
        ),
        (
            "ascend",
            Type::object([
                ("count", Type::Number),
                ("memory", Type::String),
                ("type", Type::String),
                ("chip", Type::Number),
            ]),
        ),
        (
            "billing",
            Type::object([("code", Type::String), ("unit_num", Type::Number)]),
        ),
    ])
}

fn flavor_value(f: &NotebookFlavor) -> Value {
    Value::object([
        ("id", opt_string(&f.id)),
        ("name", opt_string(&f.name)),
        ("description", opt_string(&f.description)),
        ("arch", opt_string(&f.arch)),
        ("category", opt_string(&f.category)),
        ("feature", opt_string(&f.feature)),
        ("vcpus", opt_int(f.vcpus)),
        ("memory", opt_int(f.memory)),
        ("free", opt_bool(f.free)),
        ("sold_out", opt_bool(f.sold_out)),
        ("storages", string_list(&f.storages)),
        (
            "gpu",
            f.gpu.as_ref().map_or(Value::Null, |g| {
                Value::object([
                    ("count", opt_int(g.gpu)),
                    ("memory", opt_string(&g.gpu_memory)),
                    ("type", opt_string(&g.r#type)),
                ])
            }),
        ),
        (
            "ascend",
            f.ascend.as_ref().map_or(Value::Null, |a| {
                Value::object([
                    ("count", opt_int(a.npu)),
                    ("memory", opt_string(&a.npu_memory)),
                    ("type", opt_string(&a.r#type)),
                    ("chip", opt_int(a.chip)),
                ])
            }),
        ),
        (
            "billing",
            f.billing.as_ref().map_or(Value::Null, |b| {
                Value::object([
                    ("code", opt_string(&b.code)),
                    ("unit_num", opt_int(b.unit_num)),
                ])
            }),
        ),
    ])
}

fn listing(values: &[&str]) -> String {
    values
        .iter()
        .map(|v| format!("`{v}`"))
        .collect::<Vec<_>>()
        .join(", ")
}

pub fn schema() -> Schema {
    Schema::new(
        Block::new()
            .description(
                "Lists notebook flavors (machine types) that match every filter that is set. With \
                 `notebook_id`, lists the flavors that notebook can switch to by changing its `flavor` in \
                 place. No match is an empty list.",
            )
            .attribute(
                Attribute::string("category")
                    .optional()
                    .validator(validate::one_of(CATEGORIES.iter().copied()))
                    .description(format!("Only flavors of this category: {}.", listing(CATEGORIES))),
            )
            .attribute(
                Attribute::string("type")
                    .optional()
                    .validator(validate::one_of(CLUSTER_TYPES.iter().copied()))
                    .description(
                        "Only flavors of this cluster type: `MANAGED` (the public resource pool) or \
                         `DEDICATED` (dedicated pools). Cannot be combined with `notebook_id`.",
                    ),
            )
            .attribute(
                Attribute::string("arch")
                    .optional()
                    .validator(one_of_any_case(ARCHES))
                    .description(
                        "Only flavors of this CPU architecture: `x86_64` or `aarch64` (any letter case). \
                         Filtered by the provider, as the API has no such filter.",
                    ),
            )
            .attribute(Attribute::string("name").optional().description(
                "Only the flavor with exactly this display name, e.g. `CPU: 2vCPUs 8GB`.",
            ))
            .attribute(
                Attribute::string("notebook_id")
                    .optional()
                    .validator(validate::custom("a notebook UUID", |v: &Value| {
                        match v.as_str() {
                            Some(s) if !is_uuid(s) => {
                                Err(format!("must be a notebook UUID, got {s:?}"))
                            }
                            _ => Ok(()),
                        }
                    }))
                    .description(
                        "List the flavors this notebook may switch to (same category and architecture, \
                         supporting its storage) instead of all flavors.",
                    ),
            )
            .attribute(
                Attribute::bool("exclude_sold_out")
                    .optional()
                    .description("Leave out flavors whose resources are sold out. Default `false`."),
            )
            .attribute(
                Attribute::list("ids", Type::String)
                    .computed()
                    .description("The codes of the matching flavors, in the order of `flavors`."),
            )
            .attribute(
                Attribute::list("flavors", flavor_type())
                    .computed()
                    .description(
                        "The matching flavors: `id` (the code to use as a notebook's `flavor`), `name`, \
                         `description`, `arch`, `category`, `feature`, `vcpus`, `memory` (MiB), `free`, \
                         `sold_out`, `storages`, `gpu` (`count`, `memory`, `type`; null without GPUs), \
                         `ascend` (`count`, `memory`, `type`, `chip`; null without NPUs) and `billing` \
                         (`code`, `unit_num`).",
                    ),
            )
            .validator(validate::conflicts_with(["notebook_id", "type"])),
    )
}

#[async_trait]
impl<D: Backend> DataSource<D> for FlavorsDataSource {
    fn type_name(&self) -> &str {
        TYPE_NAME
    }

    fn schema(&self) -> Schema {
        schema()
    }

    async fn read(&self, ctx: &Ctx<D>, config: &Value) -> ReadResult {
        let category = string_filter(config, "category");
        let cluster = string_filter(config, "type");
        let arch = string_filter(config, "arch");
        let name = string_filter(config, "name");
        let notebook_id = string_filter(config, "notebook_id");
        let exclude_sold_out = bool_filter(config, "exclude_sold_out");
        let client = match client(ctx) {
            Ok(c) => c,
            Err(d) => return ReadResult::failed(d),
        };
        let listed = match &notebook_id {
            Some(id) => {
                let r = all_flavor_pages("list switchable flavors", |offset| {
                    let q = SwitchableFlavorQuery {
                        offset: Some(offset),
                        ..Default::default()
                    };
                    let client = client.clone();
                    let id = id.clone();
                    async move { client.list_switchable_flavors(&id, &q).await }
                })
                .await;
                r.map_err(|e| {
                    if e.is_not_found() {
                        Diagnostic::error(
                            "Notebook not found",
                            format!("No notebook with id {id} exists in this project, so it has no switchable flavors: {e}"),
                        )
                        .at(AttributePath::root("notebook_id"))
                    } else {
                        read_error(
                            TYPE_NAME,
                            format!("Listing the flavors notebook {id} can switch to"),
                            &e,
                        )
                    }
                })
            }
            None => {
                let r = all_flavor_pages("list flavors", |offset| {
                    let q = FlavorListQuery {
                        category: category.clone(),
                        r#type: cluster.clone(),
                        offset: Some(offset),
                        ..Default::default()
                    };
                    let client = client.clone();
                    async move { client.list_flavors(&q).await }
                })
                .await;
                r.map_err(|e| {
                    let filters = describe_filters(&[
                        ("category", category.clone()),
                        ("type", cluster.clone()),
                    ]);
                    read_error(TYPE_NAME, format!("Listing flavors ({filters})"), &e)
                })
            }
        };
        let listed = match listed {
            Ok(v) => v,
            Err(d) => return ReadResult::failed(d),
        };
        let keep = |f: &&NotebookFlavor| {
            // The switchable endpoint has no category filter; the flavor list applied it already.
            f.id.as_deref().is_some_and(|id| !id.is_empty())
                && category.as_deref().is_none_or(|c| {
                    f.category
                        .as_deref()
                        .is_some_and(|fc| fc.eq_ignore_ascii_case(c))
                })
                && arch.as_deref().is_none_or(|a| {
                    f.arch
                        .as_deref()
                        .is_some_and(|fa| fa.eq_ignore_ascii_case(a))
                })
                && name.as_deref().is_none_or(|n| f.name.as_deref() == Some(n))
                && !(exclude_sold_out && f.sold_out == Some(true))
        };
        let kept: Vec<&NotebookFlavor> = listed.iter().filter(keep).collect();
        let mut state = config.clone();
        state.set_attr("ids", Value::list(kept.iter().map(|f| opt_string(&f.id))));
        state.set_attr("flavors", Value::list(kept.iter().map(|f| flavor_value(f))));
        ReadResult::ok(state)
    }
}

#[cfg(test)]
#[path = "flavors_tests.rs"]
mod tests;
