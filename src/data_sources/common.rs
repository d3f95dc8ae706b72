//! What the data sources share: the notebook attributes (derived from the resource schema), the notebook
//! value (the resource's response mapping), filter reading, validators, paging of flavor lists and the
//! diagnostics for failed API calls.

use std::fmt::Display;
use std::future::Future;

use crate::api::{FlavorPage, NotebookFlavor, NotebookResp};
use crate::client::{Client, ClientError};
use crate::resources::backend::Backend;
use crate::resources::notebook as resource;
use crate::resources::notebook_model::NotebookModel;
use crate::resources::notebook_validate::Problem;
use crate::tf::validate::{self, Validator};
use crate::tf::{Attribute, Ctx, Diagnostic, NestedBlock, Nesting, Type, Value};

/// Resource attributes the data sources leave out: inputs that only steer the resource's lifecycle, and
/// `hooks`, which the API never returns (notebook-api.md §3.3).
pub const RESOURCE_ONLY: &[&str] = &[
    "desired_state",
    "allow_stop_for_update",
    "enable_force_new",
    "timeouts",
    "hooks",
];

/// The sensitive notebook attribute. `modelarts_notebooks` moves it out of the list elements into a
/// sensitive map, because protocol 5 marks whole attributes only: a sensitive `notebooks` list could not
/// be used in `for_each` or shown in plans.
pub const TOKEN: &str = "token";

fn block_description(name: &str) -> &'static str {
    match name {
        "custom_spec" => {
            "The custom specification of a notebook in a dedicated pool (`cpu` cores, `memory` in MiB, \
             `gpu`); empty when the notebook runs on a flavor."
        }
        "volume" => {
            "The storage, one element: `category`, `ownership`, `size` (GB), `uri`, `id`, `mount_path` \
             and `status`."
        }
        "endpoint" => {
            "Remote access: `service`, `key_pair_names`, `allowed_access_ips` and the `uri` to connect to."
        }
        "affinity" => {
            "Node affinity in a dedicated pool: `required` and `preferred` rules with `key`, `operator`, \
             `values` (and `weight` for preferred rules)."
        }
        _ => "As in the `modelarts_notebook` resource.",
    }
}

/// The value type of a resource block, as a data source attribute holds it.
fn block_type(b: &NestedBlock) -> Type {
    let inner = b.block.value_type();
    match b.nesting {
        Nesting::Single | Nesting::Group => inner,
        Nesting::List => Type::list(inner),
        Nesting::Set => Type::set(inner),
        Nesting::Map => Type::map(inner),
    }
}

/// The notebook attributes, all computed: the `modelarts_notebook` resource's names, types, descriptions
/// and sensitivity, its blocks turned into attributes of the same type (data sources cannot fill blocks).
pub fn notebook_attributes() -> Vec<Attribute> {
    let block = resource::schema().block;
    let attrs = block
        .attributes
        .iter()
        .filter(|a| !RESOURCE_ONLY.contains(&a.name.as_str()))
        .map(|a| {
            let c = Attribute::new(a.name.clone(), a.ty.clone())
                .computed()
                .description(a.description.clone());
            if a.sensitive {
                c.sensitive()
            } else {
                c
            }
        });
    let blocks = block
        .blocks
        .iter()
        .filter(|b| !RESOURCE_ONLY.contains(&b.type_name.as_str()))
        .map(|b| {
            Attribute::new(b.type_name.clone(), block_type(b))
                .computed()
                .description(block_description(&b.type_name))
        });
    attrs.chain(blocks).collect()
}

/// The object type of one element of the `notebooks` list: every notebook attribute but the token.
pub fn notebook_item_type() -> Type {
    Type::Object(
        notebook_attributes()
            .into_iter()
            .filter(|a| a.name != TOKEN)
            .map(|a| (a.name, a.ty))
            .collect(),
    )
}

/// A notebook as the resource maps it, without the resource-only attributes.
pub fn notebook_value(resp: &NotebookResp) -> Value {
    match NotebookModel::from_resp(resp, false).to_value() {
        Value::Object(mut m) => {
            m.retain(|k, _| !RESOURCE_ONLY.contains(&k.as_str()));
            Value::Object(m)
        }
        other => other,
    }
}

/// One element of the `notebooks` list: [`notebook_value`] without the token.
pub fn notebook_item_value(resp: &NotebookResp) -> Value {
    match notebook_value(resp) {
        Value::Object(mut m) => {
            m.remove(TOKEN);
            Value::Object(m)
        }
        other => other,
    }
}

/// The client of the configured provider, cancelled when Terraform sends Stop.
pub fn client<D: Backend>(ctx: &Ctx<D>) -> Result<Client, Diagnostic> {
    match ctx.provider().client() {
        Ok(c) => Ok(c.with_cancellation(ctx.cancel_token().clone())),
        Err(e) => Err(Diagnostic::error(
            "Invalid ModelArts client configuration",
            e.to_string(),
        )),
    }
}

/// A configured string filter; `None` when null.
pub fn string_filter(config: &Value, name: &str) -> Option<String> {
    config.get_attr(name).as_str().map(str::to_string)
}

/// A configured bool; `false` when null.
pub fn bool_filter(config: &Value, name: &str) -> bool {
    config.get_attr(name).as_bool().unwrap_or(false)
}

/// `name = "value", other = "x"` for the filters that are set, or `no filters`: the context of errors.
pub fn describe_filters(filters: &[(&str, Option<String>)]) -> String {
    let set: Vec<String> = filters
        .iter()
        .filter_map(|(k, v)| v.as_ref().map(|v| format!("{k} = {v:?}")))
        .collect();
    if set.is_empty() {
        "no filters".to_string()
    } else {
        set.join(", ")
    }
}

/// An API call of a data source failed: which data source, what it was doing, and the client's error (code,
/// message, HTTP status and request id).
pub fn read_error(type_name: &str, action: impl Display, e: &ClientError) -> Diagnostic {
    Diagnostic::error(
        format!("Cannot read {type_name}"),
        format!("{action} failed: {e}"),
    )
}

/// Wraps one of the resource's string rules as an attribute validator, so that filters accept exactly what
/// the resource accepts.
pub fn rule(description: &str, check: fn(&str) -> Result<(), Problem>) -> impl Validator {
    validate::custom(description, move |v: &Value| match v.as_str() {
        Some(s) => check(s).map_err(|p| p.detail),
        None => Ok(()),
    })
}

/// The string must be one of `allowed`, in any letter case.
pub fn one_of_any_case(allowed: &'static [&'static str]) -> impl Validator {
    validate::custom(
        format!("one of {} (any letter case)", allowed.join(", ")),
        move |v: &Value| match v.as_str() {
            Some(s) if !allowed.iter().any(|a| a.eq_ignore_ascii_case(s)) => Err(format!(
                "must be one of {} (any letter case), got {s:?}",
                allowed.join(", ")
            )),
            _ => Ok(()),
        },
    )
}

/// Guard against a server whose paging never ends.
const MAX_FLAVOR_PAGES: usize = 1_000;

/// Every flavor of a flavor listing. Flavor lists are unlimited by default, so this normally takes one
/// call; should the server page anyway, it continues from `offset` until `total` items are held.
pub async fn all_flavor_pages<F, Fut>(
    operation: &'static str,
    mut fetch: F,
) -> Result<Vec<NotebookFlavor>, ClientError>
where
    F: FnMut(i64) -> Fut,
    Fut: Future<Output = Result<FlavorPage, ClientError>>,
{
    let mut items = Vec::new();
    for _ in 0..MAX_FLAVOR_PAGES {
        let page = fetch(items.len() as i64).await?;
        let total = page.total;
        let data = page.into_items();
        if data.is_empty() {
            return Ok(items);
        }
        items.extend(data);
        if total.is_none_or(|t| items.len() as i64 >= t) {
            return Ok(items);
        }
    }
    Err(ClientError::Decode {
        operation,
        message: format!("paging did not end after {MAX_FLAVOR_PAGES} pages"),
        request_id: None,
    })
}

pub fn string_list(items: &Option<Vec<String>>) -> Value {
    Value::list(items.iter().flatten().cloned().map(Value::string))
}

pub fn opt_string(s: &Option<String>) -> Value {
    s.as_ref().map_or(Value::Null, |s| Value::string(s.clone()))
}

pub fn opt_int(n: Option<i64>) -> Value {
    n.map_or(Value::Null, Value::number)
}

pub fn opt_bool(b: Option<bool>) -> Value {
    b.map_or(Value::Null, Value::bool)
}

#[cfg(test)]
#[path = "common_tests.rs"]
mod tests;
