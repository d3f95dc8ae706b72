//! The notebook model as Terraform values: state/plan value ↔ [`NotebookModel`], the configuration view the
//! rules check, and the computed attributes shared with the notebook data sources.
//!
//! Attribute names here are the schema's; `notebook.rs` declares the schema with the same names.

use crate::tf::{Attribute, Number, Type, Value};

use super::notebook_model::{
    Affinity, AffinityRule, CustomSpec, DesiredState, Endpoint, Hook, Hooks, LeaseInfo,
    NotebookInfo, NotebookModel, Progress, RunUser, Timeouts, UserInfo, Volume,
};
use super::notebook_validate::{
    AffinityConfig, AffinityRuleConfig, CustomSpecConfig, EndpointConfig, HookConfig, HooksConfig,
    Known, NotebookConfig, TimeoutsConfig, VolumeConfig,
};

fn opt_str(v: &Value) -> Option<String> {
    v.as_str().map(str::to_string)
}

fn str_or_empty(v: &Value) -> String {
    opt_str(v).unwrap_or_default()
}

fn opt_strings(v: &Value) -> Option<Vec<String>> {
    if v.is_null() || v.is_unknown() {
        return None;
    }
    Some(v.elements().iter().filter_map(opt_str).collect())
}

/// The first element of a LIST block with at most one element.
fn single(v: &Value) -> Option<&Value> {
    v.elements().first()
}

fn s(v: &Option<String>) -> Value {
    v.as_ref().map_or(Value::Null, |s| Value::string(s.clone()))
}

fn int(v: Option<i64>) -> Value {
    v.map_or(Value::Null, Value::number)
}

fn strings(v: &Option<Vec<String>>) -> Value {
    v.as_ref().map_or(Value::Null, |l| {
        Value::list(l.iter().cloned().map(Value::string))
    })
}

fn string_set(v: &Option<Vec<String>>) -> Value {
    v.as_ref().map_or(Value::Null, |l| {
        Value::set(l.iter().cloned().map(Value::string))
    })
}

/// A float as the decimal text that round-trips it (`0.4`, not the binary 0.400000000000000022…): that is
/// what the configuration holds, and Terraform compares numbers exactly.
pub fn float_value(f: f64) -> Value {
    match Number::parse(&format!("{f}")) {
        Ok(n) => Value::Number(n),
        Err(_) => Value::from_f64(f).unwrap_or(Value::Null),
    }
}

impl NotebookModel {
    /// Reads a state or planned value. Unknown values read as null/default: at apply only computed
    /// attributes can still be unknown, and those are filled from the API afterwards.
    pub fn from_value(v: &Value) -> NotebookModel {
        let a = |name: &str| v.get_attr(name);
        NotebookModel {
            id: opt_str(a("id")),
            name: str_or_empty(a("name")),
            description: opt_str(a("description")),
            flavor: opt_str(a("flavor")),
            custom_spec: single(a("custom_spec")).and_then(|c| {
                Some(CustomSpec {
                    cpu: c.get_attr("cpu").as_f64()?,
                    memory: c.get_attr("memory").as_i64()?,
                    gpu: c.get_attr("gpu").as_i64(),
                })
            }),
            image_id: str_or_empty(a("image_id")),
            volume: single(a("volume"))
                .map(volume_from_value)
                .unwrap_or_default(),
            endpoints: a("endpoint")
                .elements()
                .iter()
                .map(endpoint_from_value)
                .collect(),
            hooks: single(a("hooks")).map(|h| Hooks {
                pre_start: single(h.get_attr("pre_start")).map(hook_from_value),
                post_start: single(h.get_attr("post_start")).map(hook_from_value),
            }),
            affinity: single(a("affinity")).map(|x| Affinity {
                required: x
                    .get_attr("required")
                    .elements()
                    .iter()
                    .map(rule_from_value)
                    .collect(),
                preferred: x
                    .get_attr("preferred")
                    .elements()
                    .iter()
                    .map(rule_from_value)
                    .collect(),
            }),
            pool_id: opt_str(a("pool_id")),
            workspace_id: opt_str(a("workspace_id"))
                .unwrap_or_else(|| super::notebook_model::DEFAULT_WORKSPACE_ID.to_string()),
            desired_state: a("desired_state")
                .as_str()
                .and_then(DesiredState::parse)
                .unwrap_or_default(),
            allow_stop_for_update: a("allow_stop_for_update").as_bool().unwrap_or(true),
            enable_force_new: a("enable_force_new").as_bool().unwrap_or(false),
            timeouts: Timeouts {
                create: opt_str(a("timeouts").get_attr("create")),
                update: opt_str(a("timeouts").get_attr("update")),
                delete: opt_str(a("timeouts").get_attr("delete")),
            },
            info: info_from_value(v),
        }
    }

    /// The whole resource object, every attribute present.
    pub fn to_value(&self) -> Value {
        let mut attrs: Vec<(&str, Value)> = vec![
            ("id", s(&self.id)),
            ("name", Value::string(self.name.clone())),
            ("description", s(&self.description)),
            ("flavor", s(&self.flavor)),
            (
                "custom_spec",
                Value::list(self.custom_spec.iter().map(custom_spec_value)),
            ),
            ("image_id", Value::string(self.image_id.clone())),
            ("volume", Value::list([volume_value(&self.volume)])),
            (
                "endpoint",
                Value::list(self.endpoints.iter().map(endpoint_value)),
            ),
            ("hooks", Value::list(self.hooks.iter().map(hooks_value))),
            (
                "affinity",
                Value::list(self.affinity.iter().map(affinity_value)),
            ),
            ("pool_id", s(&self.pool_id)),
            ("workspace_id", Value::string(self.workspace_id.clone())),
            ("desired_state", Value::string(self.desired_state.as_str())),
            (
                "allow_stop_for_update",
                Value::bool(self.allow_stop_for_update),
            ),
            ("enable_force_new", Value::bool(self.enable_force_new)),
            ("timeouts", timeouts_value(&self.timeouts)),
        ];
        attrs.extend(info_attrs(&self.info));
        Value::object(attrs)
    }
}

fn volume_from_value(v: &Value) -> Volume {
    Volume {
        category: str_or_empty(v.get_attr("category")),
        ownership: opt_str(v.get_attr("ownership"))
            .unwrap_or_else(|| super::notebook_model::DEFAULT_OWNERSHIP.to_string()),
        size: v.get_attr("size").as_i64(),
        uri: opt_str(v.get_attr("uri")),
        id: opt_str(v.get_attr("id")),
        mount_path: opt_str(v.get_attr("mount_path")),
        status: opt_str(v.get_attr("status")),
    }
}

fn endpoint_from_value(v: &Value) -> Endpoint {
    Endpoint {
        service: str_or_empty(v.get_attr("service")),
        key_pair_names: opt_strings(v.get_attr("key_pair_names")),
        allowed_access_ips: opt_strings(v.get_attr("allowed_access_ips")),
        uri: opt_str(v.get_attr("uri")),
    }
}

fn hook_from_value(v: &Value) -> Hook {
    Hook {
        script: str_or_empty(v.get_attr("script")),
        kind: opt_str(v.get_attr("type"))
            .unwrap_or_else(|| super::notebook_model::DEFAULT_HOOK_TYPE.into()),
    }
}

fn rule_from_value(v: &Value) -> AffinityRule {
    AffinityRule {
        key: str_or_empty(v.get_attr("key")),
        operator: str_or_empty(v.get_attr("operator")),
        values: opt_strings(v.get_attr("values")),
        weight: v.get_attr("weight").as_i64(),
    }
}

pub(super) fn custom_spec_value(c: &CustomSpec) -> Value {
    Value::object([
        ("cpu", float_value(c.cpu)),
        ("memory", Value::number(c.memory)),
        ("gpu", int(c.gpu)),
    ])
}

pub(super) fn volume_value(v: &Volume) -> Value {
    Value::object([
        ("category", Value::string(v.category.clone())),
        ("ownership", Value::string(v.ownership.clone())),
        ("size", int(v.size)),
        ("uri", s(&v.uri)),
        ("id", s(&v.id)),
        ("mount_path", s(&v.mount_path)),
        ("status", s(&v.status)),
    ])
}

pub(super) fn endpoint_value(e: &Endpoint) -> Value {
    Value::object([
        ("service", Value::string(e.service.clone())),
        ("key_pair_names", string_set(&e.key_pair_names)),
        ("allowed_access_ips", string_set(&e.allowed_access_ips)),
        ("uri", s(&e.uri)),
    ])
}

fn hook_value(h: &Hook) -> Value {
    Value::object([
        ("script", Value::string(h.script.clone())),
        ("type", Value::string(h.kind.clone())),
    ])
}

fn hooks_value(h: &Hooks) -> Value {
    Value::object([
        ("pre_start", Value::list(h.pre_start.iter().map(hook_value))),
        (
            "post_start",
            Value::list(h.post_start.iter().map(hook_value)),
        ),
    ])
}

fn rule_value(r: &AffinityRule, preferred: bool) -> Value {
    let mut attrs = vec![
        ("key", Value::string(r.key.clone())),
        ("operator", Value::string(r.operator.clone())),
        ("values", strings(&r.values)),
    ];
    // Required rules have no weight in the schema.
    if preferred {
        attrs.push(("weight", int(r.weight)));
    }
    Value::object(attrs)
}

pub(super) fn affinity_value(a: &Affinity) -> Value {
    Value::object([
        (
            "required",
            Value::list(a.required.iter().map(|r| rule_value(r, false))),
        ),
        (
            "preferred",
            Value::list(a.preferred.iter().map(|r| rule_value(r, true))),
        ),
    ])
}

/// A SINGLE block: null when every attribute is null, as Terraform sends an absent block.
fn timeouts_value(t: &Timeouts) -> Value {
    if t.create.is_none() && t.update.is_none() && t.delete.is_none() {
        return Value::Null;
    }
    Value::object([
        ("create", s(&t.create)),
        ("update", s(&t.update)),
        ("delete", s(&t.delete)),
    ])
}

/// The schema of the attributes [`info_attrs`] fills, for the resource and the data sources alike.
pub fn computed_attributes() -> Vec<Attribute> {
    let c = |a: Attribute, doc: &str| a.computed().description(doc);
    vec![
        c(
            Attribute::string("status"),
            "Instance status, e.g. `RUNNING`, `STOPPED`, `ERROR`.",
        ),
        c(Attribute::string("url"), "URL of the notebook."),
        c(
            Attribute::string("token"),
            "Token for notebook authentication.",
        )
        .sensitive(),
        c(
            Attribute::string("fail_reason"),
            "Why the instance failed, if it did.",
        ),
        c(
            Attribute::list(
                "action_progress",
                Type::object([
                    ("step", Type::Number),
                    ("status", Type::String),
                    ("description", Type::String),
                ]),
            ),
            "Initialisation steps.",
        ),
        c(Attribute::string("image_name"), "Name of the image."),
        c(
            Attribute::string("image_swr_path"),
            "SWR address of the image.",
        ),
        c(Attribute::string("image_tag"), "Tag of the image."),
        c(
            Attribute::string("image_type"),
            "`BUILD_IN` or `DEDICATED`.",
        ),
        c(
            Attribute::string("pool_name"),
            "Name of the dedicated pool.",
        ),
        c(
            Attribute::string("feature"),
            "`NOTEBOOK` or `DEFAULT` (CodeLab).",
        ),
        c(
            Attribute::list("billing_items", Type::String),
            "Billed items: `COMPUTE`, `STORAGE`.",
        ),
        c(
            Attribute::new(
                "user",
                Type::object([
                    ("id", Type::String),
                    ("name", Type::String),
                    ("domain_id", Type::String),
                    ("domain_name", Type::String),
                ]),
            ),
            "Owning user and account.",
        ),
        c(
            Attribute::new(
                "run_user",
                Type::object([
                    ("uid", Type::Number),
                    ("gid", Type::Number),
                    ("user_name", Type::String),
                    ("group_name", Type::String),
                ]),
            ),
            "User and group the container runs as.",
        ),
        c(
            Attribute::new(
                "lease",
                Type::object([
                    ("enabled", Type::Bool),
                    ("duration", Type::Number),
                    ("type", Type::String),
                ]),
            ),
            "Auto-stop: whether it is on, the run time in ms, and `TIMING` or `IDLE`.",
        ),
        c(Attribute::string("created_at"), "Creation time, RFC 3339."),
        c(Attribute::string("updated_at"), "Last update, RFC 3339."),
    ]
}

/// The computed attributes, in schema order. Data sources put the same attributes on each notebook.
pub fn info_attrs(info: &NotebookInfo) -> Vec<(&'static str, Value)> {
    vec![
        ("status", s(&info.status)),
        ("url", s(&info.url)),
        (
            "token",
            info.token
                .as_ref()
                .map_or(Value::Null, |t| Value::string(t.expose())),
        ),
        ("fail_reason", s(&info.fail_reason)),
        (
            "action_progress",
            Value::list(info.action_progress.iter().map(|p| {
                Value::object([
                    ("step", int(p.step)),
                    ("status", s(&p.status)),
                    ("description", s(&p.description)),
                ])
            })),
        ),
        ("image_name", s(&info.image_name)),
        ("image_swr_path", s(&info.image_swr_path)),
        ("image_tag", s(&info.image_tag)),
        ("image_type", s(&info.image_type)),
        ("pool_name", s(&info.pool_name)),
        ("feature", s(&info.feature)),
        (
            "billing_items",
            Value::list(info.billing_items.iter().cloned().map(Value::string)),
        ),
        (
            "user",
            info.user.as_ref().map_or(Value::Null, |u| {
                Value::object([
                    ("id", s(&u.id)),
                    ("name", s(&u.name)),
                    ("domain_id", s(&u.domain_id)),
                    ("domain_name", s(&u.domain_name)),
                ])
            }),
        ),
        (
            "run_user",
            info.run_user.as_ref().map_or(Value::Null, |r| {
                Value::object([
                    ("uid", int(r.uid)),
                    ("gid", int(r.gid)),
                    ("user_name", s(&r.user_name)),
                    ("group_name", s(&r.group_name)),
                ])
            }),
        ),
        (
            "lease",
            info.lease.as_ref().map_or(Value::Null, |l| {
                Value::object([
                    ("enabled", l.enabled.map_or(Value::Null, Value::bool)),
                    ("duration", int(l.duration)),
                    ("type", s(&l.kind)),
                ])
            }),
        ),
        ("created_at", s(&info.created_at)),
        ("updated_at", s(&info.updated_at)),
    ]
}

fn info_from_value(v: &Value) -> NotebookInfo {
    let a = |name: &str| v.get_attr(name);
    let obj = |name: &str| Some(a(name)).filter(|x| !x.is_null() && !x.is_unknown());
    NotebookInfo {
        status: opt_str(a("status")),
        url: opt_str(a("url")),
        token: opt_str(a("token")).map(crate::api::redact::Sensitive::new),
        fail_reason: opt_str(a("fail_reason")),
        action_progress: a("action_progress")
            .elements()
            .iter()
            .map(|p| Progress {
                step: p.get_attr("step").as_i64(),
                status: opt_str(p.get_attr("status")),
                description: opt_str(p.get_attr("description")),
            })
            .collect(),
        image_name: opt_str(a("image_name")),
        image_swr_path: opt_str(a("image_swr_path")),
        image_tag: opt_str(a("image_tag")),
        image_type: opt_str(a("image_type")),
        pool_name: opt_str(a("pool_name")),
        feature: opt_str(a("feature")),
        billing_items: opt_strings(a("billing_items")).unwrap_or_default(),
        user: obj("user").map(|u| UserInfo {
            id: opt_str(u.get_attr("id")),
            name: opt_str(u.get_attr("name")),
            domain_id: opt_str(u.get_attr("domain_id")),
            domain_name: opt_str(u.get_attr("domain_name")),
        }),
        run_user: obj("run_user").map(|r| RunUser {
            uid: r.get_attr("uid").as_i64(),
            gid: r.get_attr("gid").as_i64(),
            user_name: opt_str(r.get_attr("user_name")),
            group_name: opt_str(r.get_attr("group_name")),
        }),
        lease: obj("lease").map(|l| LeaseInfo {
            enabled: l.get_attr("enabled").as_bool(),
            duration: l.get_attr("duration").as_i64(),
            kind: opt_str(l.get_attr("type")),
        }),
        created_at: opt_str(a("created_at")),
        updated_at: opt_str(a("updated_at")),
    }
}

fn known<T>(v: &Value, f: impl FnOnce(&Value) -> Option<T>) -> Known<T> {
    match v {
        Value::Unknown => Known::Unknown,
        Value::Null => Known::Null,
        other => f(other).map_or(Known::Null, Known::Value),
    }
}

fn known_str(v: &Value) -> Known<String> {
    known(v, opt_str)
}

fn known_f64(v: &Value) -> Known<f64> {
    known(v, Value::as_f64)
}

fn known_list<T>(v: &Value, f: impl Fn(&Value) -> T) -> Known<Vec<T>> {
    known(v, |l| Some(l.elements().iter().map(f).collect()))
}

/// The configuration as the rules see it, unknowns kept as unknown.
pub fn config_view(v: &Value) -> NotebookConfig {
    let a = |name: &str| v.get_attr(name);
    NotebookConfig {
        name: known_str(a("name")),
        description: known_str(a("description")),
        flavor: known_str(a("flavor")),
        custom_spec: known_list(a("custom_spec"), |c| CustomSpecConfig {
            cpu: known_f64(c.get_attr("cpu")),
            memory: known_f64(c.get_attr("memory")),
            gpu: known_f64(c.get_attr("gpu")),
        }),
        image_id: known_str(a("image_id")),
        volume: known_list(a("volume"), |x| VolumeConfig {
            category: known_str(x.get_attr("category")),
            ownership: known_str(x.get_attr("ownership")),
            size: known_f64(x.get_attr("size")),
            uri: known_str(x.get_attr("uri")),
            id: known_str(x.get_attr("id")),
        }),
        endpoints: known_list(a("endpoint"), |e| EndpointConfig {
            service: known_str(e.get_attr("service")),
            key_pair_names: known_list(e.get_attr("key_pair_names"), known_str),
            allowed_access_ips: known_list(e.get_attr("allowed_access_ips"), known_str),
        }),
        hooks: known_list(a("hooks"), |h| {
            let hook = |x: &Value| HookConfig {
                script: known_str(x.get_attr("script")),
                kind: known_str(x.get_attr("type")),
            };
            HooksConfig {
                pre_start: known_list(h.get_attr("pre_start"), hook),
                post_start: known_list(h.get_attr("post_start"), hook),
            }
        }),
        affinity: known_list(a("affinity"), |x| {
            let rule = |r: &Value| AffinityRuleConfig {
                key: known_str(r.get_attr("key")),
                operator: known_str(r.get_attr("operator")),
                values: known_list(r.get_attr("values"), known_str),
                weight: known_f64(r.get_attr("weight")),
            };
            AffinityConfig {
                required: known_list(x.get_attr("required"), rule),
                preferred: known_list(x.get_attr("preferred"), rule),
            }
        }),
        pool_id: known_str(a("pool_id")),
        workspace_id: known_str(a("workspace_id")),
        desired_state: known_str(a("desired_state")),
        timeouts: known(a("timeouts"), |t| {
            Some(TimeoutsConfig {
                create: known_str(t.get_attr("create")),
                update: known_str(t.get_attr("update")),
                delete: known_str(t.get_attr("delete")),
            })
        }),
    }
}

#[cfg(test)]
#[path = "notebook_state_tests.rs"]
mod tests;
