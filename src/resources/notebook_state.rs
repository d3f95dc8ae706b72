//! The notebook model as Terraform values: state/plan value ↔ [`NotebookModel`], the configuration view the
//! rules check, and the computed attributes shared with the notebook data sources.
//!
//! Attribute names here are the schema's; `notebook.rs` declares the schema with the same names.

use std::cmp::Ordering;
use std::iter::Peekable;

use crate::tf::keymap::{self, KeyMap};
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

fn s(v: Option<String>) -> Value {
    v.map_or(Value::Null, Value::String)
}

fn int(v: Option<i64>) -> Value {
    v.map_or(Value::Null, Value::number)
}

fn strings(v: Option<Vec<String>>) -> Value {
    v.map_or(Value::Null, |l| {
        Value::list(l.into_iter().map(Value::String))
    })
}

fn string_set(v: Option<Vec<String>>) -> Value {
    v.map_or(Value::Null, |l| {
        Value::set(l.into_iter().map(Value::String))
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

/// An object's attributes read in name order. State objects are sorted maps holding every schema attribute,
/// so walking the map beside the reads costs one comparison per attribute instead of a tree descent per read.
/// A read out of order, or of a name the map lacks, falls back to a lookup: the answer is always
/// [`Value::get_attr`]'s.
struct Attrs<'a> {
    map: Option<&'a KeyMap<Value>>,
    rest: Peekable<keymap::Iter<'a, Value>>,
    /// What a name the object lacks reads as: null, or unknown for an unknown object.
    missing: &'a Value,
}

static NULL: Value = Value::Null;
static UNKNOWN: Value = Value::Unknown;
static NO_ATTRS: KeyMap<Value> = KeyMap::new();

impl<'a> Attrs<'a> {
    fn of(v: &'a Value) -> Self {
        let (map, missing) = match v {
            Value::Object(m) => (Some(m), &NULL),
            Value::Unknown => (None, &UNKNOWN),
            _ => (None, &NULL),
        };
        Attrs {
            map,
            rest: map.unwrap_or(&NO_ATTRS).iter().peekable(),
            missing,
        }
    }

    fn get(&mut self, name: &str) -> &'a Value {
        while let Some((k, v)) = self.rest.peek() {
            match k.as_str().cmp(name) {
                Ordering::Less => {
                    self.rest.next();
                }
                Ordering::Equal => {
                    let v: &'a Value = v;
                    self.rest.next();
                    return v;
                }
                Ordering::Greater => break,
            }
        }
        self.map.and_then(|m| m.get(name)).unwrap_or(self.missing)
    }
}

impl NotebookModel {
    /// Reads a state or planned value. Unknown values read as null/default: at apply only computed
    /// attributes can still be unknown, and those are filled from the API afterwards.
    pub fn from_value(v: &Value) -> NotebookModel {
        // Read in name order (see `Attrs`).
        let mut a = Attrs::of(v);
        let action_progress = a.get("action_progress");
        let affinity = a.get("affinity");
        let allow_stop_for_update = a.get("allow_stop_for_update");
        let billing_items = a.get("billing_items");
        let created_at = a.get("created_at");
        let custom_spec = a.get("custom_spec");
        let description = a.get("description");
        let desired_state = a.get("desired_state");
        let enable_force_new = a.get("enable_force_new");
        let endpoint = a.get("endpoint");
        let fail_reason = a.get("fail_reason");
        let feature = a.get("feature");
        let flavor = a.get("flavor");
        let hooks = a.get("hooks");
        let id = a.get("id");
        let image_id = a.get("image_id");
        let image_name = a.get("image_name");
        let image_swr_path = a.get("image_swr_path");
        let image_tag = a.get("image_tag");
        let image_type = a.get("image_type");
        let lease = a.get("lease");
        let name = a.get("name");
        let pool_id = a.get("pool_id");
        let pool_name = a.get("pool_name");
        let run_user = a.get("run_user");
        let status = a.get("status");
        let timeouts = a.get("timeouts");
        let token = a.get("token");
        let updated_at = a.get("updated_at");
        let url = a.get("url");
        let user = a.get("user");
        let volume = a.get("volume");
        let workspace_id = a.get("workspace_id");
        let obj = |x: &&Value| !x.is_null() && !x.is_unknown();
        NotebookModel {
            id: opt_str(id),
            name: str_or_empty(name),
            description: opt_str(description),
            flavor: opt_str(flavor),
            custom_spec: single(custom_spec).and_then(|c| {
                let mut c = Attrs::of(c);
                let cpu = c.get("cpu").as_f64();
                let gpu = c.get("gpu").as_i64();
                let memory = c.get("memory").as_i64();
                Some(CustomSpec {
                    cpu: cpu?,
                    memory: memory?,
                    gpu,
                })
            }),
            image_id: str_or_empty(image_id),
            volume: single(volume).map(volume_from_value).unwrap_or_default(),
            endpoints: endpoint
                .elements()
                .iter()
                .map(endpoint_from_value)
                .collect(),
            hooks: single(hooks).map(|h| {
                let mut h = Attrs::of(h);
                let post_start = h.get("post_start");
                let pre_start = h.get("pre_start");
                Hooks {
                    pre_start: single(pre_start).map(hook_from_value),
                    post_start: single(post_start).map(hook_from_value),
                }
            }),
            affinity: single(affinity).map(|x| {
                let mut x = Attrs::of(x);
                let preferred = x.get("preferred");
                let required = x.get("required");
                Affinity {
                    required: required.elements().iter().map(rule_from_value).collect(),
                    preferred: preferred.elements().iter().map(rule_from_value).collect(),
                }
            }),
            pool_id: opt_str(pool_id),
            workspace_id: opt_str(workspace_id)
                .unwrap_or_else(|| super::notebook_model::DEFAULT_WORKSPACE_ID.to_string()),
            desired_state: desired_state
                .as_str()
                .and_then(DesiredState::parse)
                .unwrap_or_default(),
            allow_stop_for_update: allow_stop_for_update.as_bool().unwrap_or(true),
            enable_force_new: enable_force_new.as_bool().unwrap_or(false),
            timeouts: {
                let mut t = Attrs::of(timeouts);
                let create = t.get("create");
                let delete = t.get("delete");
                let update = t.get("update");
                Timeouts {
                    create: opt_str(create),
                    update: opt_str(update),
                    delete: opt_str(delete),
                }
            },
            info: NotebookInfo {
                status: opt_str(status),
                url: opt_str(url),
                token: opt_str(token).map(crate::api::redact::Sensitive::new),
                fail_reason: opt_str(fail_reason),
                action_progress: action_progress
                    .elements()
                    .iter()
                    .map(|p| {
                        let mut p = Attrs::of(p);
                        let description = p.get("description");
                        let status = p.get("status");
                        let step = p.get("step");
                        Progress {
                            step: step.as_i64(),
                            status: opt_str(status),
                            description: opt_str(description),
                        }
                    })
                    .collect(),
                image_name: opt_str(image_name),
                image_swr_path: opt_str(image_swr_path),
                image_tag: opt_str(image_tag),
                image_type: opt_str(image_type),
                pool_name: opt_str(pool_name),
                feature: opt_str(feature),
                billing_items: opt_strings(billing_items).unwrap_or_default(),
                user: Some(user).filter(obj).map(|u| {
                    let mut u = Attrs::of(u);
                    let domain_id = u.get("domain_id");
                    let domain_name = u.get("domain_name");
                    let id = u.get("id");
                    let name = u.get("name");
                    UserInfo {
                        id: opt_str(id),
                        name: opt_str(name),
                        domain_id: opt_str(domain_id),
                        domain_name: opt_str(domain_name),
                    }
                }),
                run_user: Some(run_user).filter(obj).map(|r| {
                    let mut r = Attrs::of(r);
                    let gid = r.get("gid");
                    let group_name = r.get("group_name");
                    let uid = r.get("uid");
                    let user_name = r.get("user_name");
                    RunUser {
                        uid: uid.as_i64(),
                        gid: gid.as_i64(),
                        user_name: opt_str(user_name),
                        group_name: opt_str(group_name),
                    }
                }),
                lease: Some(lease).filter(obj).map(|l| {
                    let mut l = Attrs::of(l);
                    let duration = l.get("duration");
                    let enabled = l.get("enabled");
                    let kind = l.get("type");
                    LeaseInfo {
                        enabled: enabled.as_bool(),
                        duration: duration.as_i64(),
                        kind: opt_str(kind),
                    }
                }),
                created_at: opt_str(created_at),
                updated_at: opt_str(updated_at),
            },
        }
    }

    /// The whole resource object, every attribute present.
    pub fn to_value(&self) -> Value {
        self.clone().into_value()
    }

    /// [`to_value`](Self::to_value), moving the strings instead of copying them.
    pub fn into_value(self) -> Value {
        // Name order (as the object's map keeps them), so building the map needs no real sort.
        let mut attrs: Vec<(&str, Value)> = Vec::with_capacity(40);
        attrs.extend([
            (
                "affinity",
                Value::list(self.affinity.map(affinity_into_value)),
            ),
            (
                "allow_stop_for_update",
                Value::bool(self.allow_stop_for_update),
            ),
            (
                "custom_spec",
                Value::list(self.custom_spec.map(custom_spec_into_value)),
            ),
            ("description", s(self.description)),
            ("desired_state", Value::string(self.desired_state.as_str())),
            ("enable_force_new", Value::bool(self.enable_force_new)),
            (
                "endpoint",
                Value::list(self.endpoints.into_iter().map(endpoint_into_value)),
            ),
            ("flavor", s(self.flavor)),
            ("hooks", Value::list(self.hooks.map(hooks_value))),
            ("id", s(self.id)),
            ("image_id", Value::String(self.image_id)),
            ("name", Value::String(self.name)),
            ("pool_id", s(self.pool_id)),
            ("timeouts", timeouts_value(self.timeouts)),
            ("volume", Value::list([volume_into_value(self.volume)])),
            ("workspace_id", Value::String(self.workspace_id)),
        ]);
        attrs.extend(into_info_attrs(self.info));
        Value::object(attrs)
    }
}

fn volume_from_value(v: &Value) -> Volume {
    let mut a = Attrs::of(v);
    let category = a.get("category");
    let id = a.get("id");
    let mount_path = a.get("mount_path");
    let ownership = a.get("ownership");
    let size = a.get("size");
    let status = a.get("status");
    let uri = a.get("uri");
    Volume {
        category: str_or_empty(category),
        ownership: opt_str(ownership)
            .unwrap_or_else(|| super::notebook_model::DEFAULT_OWNERSHIP.to_string()),
        size: size.as_i64(),
        uri: opt_str(uri),
        id: opt_str(id),
        mount_path: opt_str(mount_path),
        status: opt_str(status),
    }
}

fn endpoint_from_value(v: &Value) -> Endpoint {
    let mut a = Attrs::of(v);
    let allowed_access_ips = a.get("allowed_access_ips");
    let key_pair_names = a.get("key_pair_names");
    let service = a.get("service");
    let uri = a.get("uri");
    Endpoint {
        service: str_or_empty(service),
        key_pair_names: opt_strings(key_pair_names),
        allowed_access_ips: opt_strings(allowed_access_ips),
        uri: opt_str(uri),
    }
}

fn hook_from_value(v: &Value) -> Hook {
    let mut a = Attrs::of(v);
    let script = a.get("script");
    let kind = a.get("type");
    Hook {
        script: str_or_empty(script),
        kind: opt_str(kind).unwrap_or_else(|| super::notebook_model::DEFAULT_HOOK_TYPE.into()),
    }
}

fn rule_from_value(v: &Value) -> AffinityRule {
    let mut a = Attrs::of(v);
    let key = a.get("key");
    let operator = a.get("operator");
    let values = a.get("values");
    let weight = a.get("weight");
    AffinityRule {
        key: str_or_empty(key),
        operator: str_or_empty(operator),
        values: opt_strings(values),
        weight: weight.as_i64(),
    }
}

pub(super) fn custom_spec_value(c: &CustomSpec) -> Value {
    custom_spec_into_value(c.clone())
}

fn custom_spec_into_value(c: CustomSpec) -> Value {
    Value::object([
        ("cpu", float_value(c.cpu)),
        ("gpu", int(c.gpu)),
        ("memory", Value::number(c.memory)),
    ])
}

pub(super) fn volume_value(v: &Volume) -> Value {
    volume_into_value(v.clone())
}

fn volume_into_value(v: Volume) -> Value {
    Value::object([
        ("category", Value::String(v.category)),
        ("id", s(v.id)),
        ("mount_path", s(v.mount_path)),
        ("ownership", Value::String(v.ownership)),
        ("size", int(v.size)),
        ("status", s(v.status)),
        ("uri", s(v.uri)),
    ])
}

pub(super) fn endpoint_value(e: &Endpoint) -> Value {
    endpoint_into_value(e.clone())
}

fn endpoint_into_value(e: Endpoint) -> Value {
    Value::object([
        ("allowed_access_ips", string_set(e.allowed_access_ips)),
        ("key_pair_names", string_set(e.key_pair_names)),
        ("service", Value::String(e.service)),
        ("uri", s(e.uri)),
    ])
}

fn hook_value(h: Hook) -> Value {
    Value::object([
        ("script", Value::String(h.script)),
        ("type", Value::String(h.kind)),
    ])
}

fn hooks_value(h: Hooks) -> Value {
    Value::object([
        ("post_start", Value::list(h.post_start.map(hook_value))),
        ("pre_start", Value::list(h.pre_start.map(hook_value))),
    ])
}

fn rule_value(r: AffinityRule, preferred: bool) -> Value {
    let mut attrs = vec![
        ("key", Value::String(r.key)),
        ("operator", Value::String(r.operator)),
        ("values", strings(r.values)),
    ];
    // Required rules have no weight in the schema.
    if preferred {
        attrs.push(("weight", int(r.weight)));
    }
    Value::object(attrs)
}

pub(super) fn affinity_value(a: &Affinity) -> Value {
    affinity_into_value(a.clone())
}

fn affinity_into_value(a: Affinity) -> Value {
    Value::object([
        (
            "preferred",
            Value::list(a.preferred.into_iter().map(|r| rule_value(r, true))),
        ),
        (
            "required",
            Value::list(a.required.into_iter().map(|r| rule_value(r, false))),
        ),
    ])
}

/// A SINGLE block: null when every attribute is null, as Terraform sends an absent block.
fn timeouts_value(t: Timeouts) -> Value {
    if t.create.is_none() && t.update.is_none() && t.delete.is_none() {
        return Value::Null;
    }
    Value::object([
        ("create", s(t.create)),
        ("delete", s(t.delete)),
        ("update", s(t.update)),
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

/// The computed attributes. Data sources put the same attributes on each notebook.
pub fn info_attrs(info: &NotebookInfo) -> Vec<(&'static str, Value)> {
    into_info_attrs(info.clone())
}

/// [`info_attrs`] moving the strings; in name order, like [`NotebookModel::into_value`]'s own list.
fn into_info_attrs(info: NotebookInfo) -> Vec<(&'static str, Value)> {
    vec![
        (
            "action_progress",
            Value::list(info.action_progress.into_iter().map(|p| {
                Value::object([
                    ("description", s(p.description)),
                    ("status", s(p.status)),
                    ("step", int(p.step)),
                ])
            })),
        ),
        (
            "billing_items",
            Value::list(info.billing_items.into_iter().map(Value::String)),
        ),
        ("created_at", s(info.created_at)),
        ("fail_reason", s(info.fail_reason)),
        ("feature", s(info.feature)),
        ("image_name", s(info.image_name)),
        ("image_swr_path", s(info.image_swr_path)),
        ("image_tag", s(info.image_tag)),
        ("image_type", s(info.image_type)),
        (
            "lease",
            info.lease.map_or(Value::Null, |l| {
                Value::object([
                    ("duration", int(l.duration)),
                    ("enabled", l.enabled.map_or(Value::Null, Value::bool)),
                    ("type", s(l.kind)),
                ])
            }),
        ),
        ("pool_name", s(info.pool_name)),
        (
            "run_user",
            info.run_user.map_or(Value::Null, |r| {
                Value::object([
                    ("gid", int(r.gid)),
                    ("group_name", s(r.group_name)),
                    ("uid", int(r.uid)),
                    ("user_name", s(r.user_name)),
                ])
            }),
        ),
        ("status", s(info.status)),
        (
            "token",
            info.token
                .map_or(Value::Null, |t| Value::String(t.into_exposed())),
        ),
        ("updated_at", s(info.updated_at)),
        ("url", s(info.url)),
        (
            "user",
            info.user.map_or(Value::Null, |u| {
                Value::object([
                    ("domain_id", s(u.domain_id)),
                    ("domain_name", s(u.domain_name)),
                    ("id", s(u.id)),
                    ("name", s(u.name)),
                ])
            }),
        ),
    ]
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
