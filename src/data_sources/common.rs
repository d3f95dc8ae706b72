//! What the data sources share: the notebook attributes and values (the resource's, from
//! `resources::notebook_data`), filter reading, validators, paging of flavor lists and the diagnostics for
//! failed API calls.

use std::fmt::Display;
use std::future::Future;

use crate::api::{FlavorPage, NotebookFlavor, NotebookResp};
use crate::client::{Client, ClientError};
use crate::resources::backend::Backend;
use crate::resources::notebook_data;
use crate::resources::notebook_model::NotebookModel;
use crate::resources::notebook_validate::Problem;
use crate::tf::validate::{self, Validator};
use crate::tf::{Attribute, Ctx, Diagnostic, Type, Value};

/// The sensitive notebook attribute. `modelarts_notebooks` moves it out of the list elements into a
/// sensitive map, because protocol 5 marks whole attributes only: a sensitive `notebooks` list could not
/// be used in `for_each` or shown in plans.
pub const TOKEN: &str = "token";

/// The notebook attributes, all computed: the resource's (see `resources::notebook_data`).
pub fn notebook_attributes() -> Vec<Attribute> {
    notebook_data::data_source_attributes()
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

/// A notebook as the resource maps it, with the attributes of [`notebook_attributes`].
pub fn notebook_value(resp: &NotebookResp) -> Value {
    notebook_data::data_source_value(&NotebookModel::from_resp(resp, false))
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
        if total.map_or(true, |t| items.len() as i64 >= t) {
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
