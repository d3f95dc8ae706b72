//! Request validation: body parsing (6400/6332/6335) and the field rules of create and update
//! (notebook-api.md §3, §4.2, §4.4), turning wire requests into model values and plans.

use crate::api::{self, NotebookCreateRequest, NotebookUpdateRequest};
use crate::emulator::catalog;
use crate::emulator::errors::{codes, ApiError};
use crate::emulator::model::{
    self, Affinity, AffinityRule, CustomSpec, Endpoint, HookConfig, Notebook, UpdatePlan, Volume,
};
use serde::de::DeserializeOwned;
use serde_json::{Map, Value};

/// Field names of NotebookUpdateRequest, for the list of fields a body sets.
const UPDATE_FIELDS: &[&str] = &[
    "name",
    "description",
    "endpoints",
    "flavor",
    "custom_spec",
    "image_id",
    "storage_new_size",
    "hooks",
    "affinity",
    "dew_secret_name",
    "data_volumes",
    "public_network_config",
];

/// Parse a JSON object body into `T`: unparseable → 6400, not an object or a wrong type → 6332 naming the field.
pub fn parse_body<T: DeserializeOwned>(bytes: &[u8]) -> Result<(T, Map<String, Value>), ApiError> {
    let value: Value =
        serde_json::from_slice(bytes).map_err(|e| codes::bad_payload(&format!("({e})")))?;
    let Value::Object(map) = value else {
        return Err(codes::wrong_type("body", "object"));
    };
    match serde_json::from_value::<T>(Value::Object(map.clone())) {
        Ok(t) => Ok((t, map)),
        Err(whole) => {
            // Find the first top-level field that fails on its own, to name it as the service does.
            for (k, v) in &map {
                let mut one = Map::new();
                one.insert(k.clone(), v.clone());
                if let Err(e) = serde_json::from_value::<T>(Value::Object(one)) {
                    return Err(codes::wrong_type(k, &expected_type(&e.to_string())));
                }
            }
            Err(codes::wrong_type(
                "body",
                &expected_type(&whole.to_string()),
            ))
        }
    }
}

fn expected_type(serde_msg: &str) -> String {
    let expected = serde_msg.split("expected ").nth(1).unwrap_or("");
    let t = if expected.contains("i64") || expected.contains("u64") || expected.contains("integer")
    {
        "integer"
    } else if expected.contains("f64") || expected.contains("number") {
        "number"
    } else if expected.contains("string") {
        "string"
    } else if expected.contains("sequence") {
        "array"
    } else if expected.contains("bool") {
        "boolean"
    } else {
        "object"
    };
    t.to_string()
}

/// Keys of the body that are set (present and not null), in body order.
fn set_fields(map: &Map<String, Value>, known: &[&str]) -> Vec<String> {
    map.iter()
        .filter(|(k, v)| !v.is_null() && known.contains(&k.as_str()))
        .map(|(k, _)| k.clone())
        .collect()
}

fn is_name_char(c: char) -> bool {
    c.is_alphanumeric() || c == '-' || c == '_'
}

/// 6334 for a character the name may not contain.
fn check_name_chars(name: &str) -> Result<(), ApiError> {
    match name.chars().find(|c| !is_name_char(*c)) {
        Some(c) => Err(codes::forbidden_char(c)),
        None => Ok(()),
    }
}

fn check_description_chars(d: &str) -> Result<(), ApiError> {
    match d.chars().find(|c| "&<>\"'/".contains(*c)) {
        Some(c) => Err(codes::forbidden_char(c)),
        None => Ok(()),
    }
}

fn check_name_len(name: &str) -> Result<(), ApiError> {
    let n = name.chars().count();
    if (1..=128).contains(&n) {
        Ok(())
    } else {
        Err(codes::bad_value("name"))
    }
}

fn check_description_len(d: &str) -> Result<(), ApiError> {
    if d.chars().count() <= 512 {
        Ok(())
    } else {
        Err(codes::bad_value("description"))
    }
}

fn is_ipv4(s: &str) -> bool {
    s.parse::<std::net::Ipv4Addr>().is_ok()
}

pub fn endpoints(eps: &[api::EndpointsReq]) -> Result<Vec<Endpoint>, ApiError> {
    eps.iter()
        .map(|e| {
            let service = e
                .service
                .clone()
                .unwrap_or_else(|| "NOTEBOOK".into())
                .to_ascii_uppercase();
            if service != "NOTEBOOK" && service != "SSH" {
                return Err(codes::bad_value("endpoints.service"));
            }
            let ips = e.allowed_access_ips.clone().unwrap_or_default();
            if ips.len() > 5 || !ips.iter().all(|ip| is_ipv4(ip)) {
                return Err(codes::bad_value("endpoints.allowed_access_ips"));
            }
            let keys = e.key_pair_names.clone().unwrap_or_default();
            if keys.iter().any(|k| k.is_empty() || k.len() > 64) {
                return Err(codes::bad_value("endpoints.key_pair_names"));
            }
            Ok(Endpoint {
                service,
                key_pair_names: keys,
                allowed_access_ips: ips,
            })
        })
        .collect()
}

fn dns_label_ok(l: &str) -> bool {
    let b = l.as_bytes();
    !b.is_empty()
        && b.len() <= 63
        && b.iter()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || *c == b'-')
        && b[0].is_ascii_alphanumeric()
        && b[b.len() - 1].is_ascii_alphanumeric()
}

/// A label name or value: ≤63 chars, alphanumeric at both ends, `-_.` inside.
fn label_part_ok(s: &str, allow_empty: bool) -> bool {
    let b = s.as_bytes();
    if b.is_empty() {
        return allow_empty;
    }
    b.len() <= 63
        && b.iter()
            .all(|c| c.is_ascii_alphanumeric() || b"-_.".contains(c))
        && b[0].is_ascii_alphanumeric()
        && b[b.len() - 1].is_ascii_alphanumeric()
}

pub fn affinity_key_ok(key: &str) -> bool {
    let (prefix, name) = match key.rsplit_once('/') {
        Some((p, n)) => (Some(p), n),
        None => (None, key),
    };
    let prefix_ok = prefix.map_or(true, |p| p.len() <= 253 && p.split('.').all(dns_label_ok));
    prefix_ok && label_part_ok(name, false)
}

fn affinity_rules(
    rules: &[api::AffinityRule],
    required: bool,
) -> Result<Vec<AffinityRule>, ApiError> {
    let field = if required {
        "affinity.required_during_scheduling_ignored_during_execution"
    } else {
        "affinity.preferred_during_scheduling_ignored_during_execution"
    };
    rules
        .iter()
        .map(|r| {
            let arity_ok = match r.operator.as_str() {
                "In" | "NotIn" => !r.values.is_empty(),
                "Exists" | "DoesNotExist" => r.values.is_empty(),
                "Gt" | "Lt" => r.values.len() == 1,
                _ => false,
            };
            let weight_ok = match (required, r.weight) {
                (true, Some(_)) => false,
                (false, Some(w)) => (0..=100).contains(&w),
                (_, None) => true,
            };
            if !affinity_key_ok(&r.key)
                || !arity_ok
                || !weight_ok
                || !r.values.iter().all(|v| label_part_ok(v, true))
            {
                return Err(codes::bad_value(field));
            }
            Ok(AffinityRule {
                key: r.key.clone(),
                operator: r.operator.clone(),
                values: r.values.clone(),
                weight: r.weight,
            })
        })
        .collect()
}

fn hook(h: &api::HookConfig, which: &str) -> Result<HookConfig, ApiError> {
    let field = format!("hooks.container_hooks.{which}");
    let kind = h
        .r#type
        .clone()
        .unwrap_or_else(|| "SCRIPT".into())
        .to_ascii_uppercase();
    let mode = h.mode.as_ref().map(|m| m.to_ascii_uppercase());
    let script = h.script.clone().unwrap_or_default();
    let ok = matches!(kind.as_str(), "COMMAND" | "SCRIPT")
        && mode
            .as_deref()
            .map_or(true, |m| m == "BLOCK" || m == "ASYNC")
        && !script.is_empty()
        && script.len() <= 4096
        && (kind != "SCRIPT" || script.starts_with('/'));
    if !ok {
        return Err(codes::bad_value(&field));
    }
    Ok(HookConfig { script, kind, mode })
}

fn hooks(h: &api::CustomHooks) -> Result<(Option<HookConfig>, Option<HookConfig>), ApiError> {
    let Some(ch) = &h.container_hooks else {
        return Ok((None, None));
    };
    let pre = ch
        .pre_start
        .as_ref()
        .map(|c| hook(c, "pre_start"))
        .transpose()?;
    let post = ch
        .post_start
        .as_ref()
        .map(|c| hook(c, "post_start"))
        .transpose()?;
    Ok((pre, post))
}

fn custom_spec(
    spec: &api::NotebookCustomSpec,
    pool_id: Option<&str>,
) -> Result<CustomSpec, ApiError> {
    let bad = || codes::bad_value("custom_spec");
    let pool = pool_id.and_then(catalog::pool).ok_or_else(bad)?;
    let cpu = spec.cpu.ok_or_else(|| codes::required("custom_spec.cpu"))?;
    let memory = spec
        .memory
        .ok_or_else(|| codes::required("custom_spec.memory"))?;
    if !(cpu > 0.3 && cpu <= pool.node_cpu && memory > 512 && memory <= pool.node_memory_mib) {
        return Err(bad());
    }
    let gpu = match (pool.category, spec.gpu) {
        ("GPU", Some(g)) if (0..=pool.node_gpu).contains(&g) => Some(g as f64),
        ("GPU", _) => return Err(bad()),
        (_, Some(_)) => return Err(bad()),
        (_, None) => None,
    };
    let arch = spec.arch.as_ref().map(|a| a.to_ascii_uppercase());
    if arch.as_deref().is_some_and(|a| a != pool.arch) {
        return Err(bad());
    }
    let category = spec.category.as_ref().map(|c| c.to_ascii_uppercase());
    if category.as_deref().is_some_and(|c| c != pool.category) {
        return Err(bad());
    }
    Ok(CustomSpec {
        cpu,
        memory,
        gpu,
        gpu_type: if pool.category == "GPU" {
            spec.gpu_type.clone().or(pool.gpu_type.map(str::to_string))
        } else {
            None
        },
        arch: Some(arch.unwrap_or_else(|| pool.arch.to_string())),
        category: Some(category.unwrap_or_else(|| pool.category.to_string())),
        resource_flavor: spec.resource_flavor.clone(),
    })
}

fn dew_secret_ok(s: &str) -> bool {
    (1..=64).contains(&s.len())
        && s.bytes()
            .all(|c| c.is_ascii_alphanumeric() || c == b'_' || c == b'-')
}

/// A volume to mount (root or extended), with its defaults; `root` selects the root-volume rules.
pub fn volume(v: &api::VolumeMountRequest, root: bool, field: &str) -> Result<Volume, ApiError> {
    if v.category.is_empty() {
        return Err(codes::required(&format!("{field}.category")));
    }
    if v.ownership.is_empty() {
        return Err(codes::required(&format!("{field}.ownership")));
    }
    let category = v.category.to_ascii_uppercase();
    let ownership = v.ownership.to_ascii_uppercase();
    let bad = || codes::bad_value(field);
    if !matches!(category.as_str(), "EVS" | "OBS" | "OBSFS" | "EFS")
        || !matches!(ownership.as_str(), "MANAGED" | "DEDICATED")
    {
        return Err(bad());
    }
    if ownership == "DEDICATED" && category != "EFS" && category != "OBS" && category != "OBSFS" {
        return Err(bad());
    }
    if ownership == "DEDICATED" && v.uri.as_deref().map_or(true, str::is_empty) {
        return Err(bad());
    }
    if category == "EFS"
        && ownership == "DEDICATED"
        && v.id
            .as_deref()
            .map_or(true, |i| uuid::Uuid::parse_str(i).is_err())
    {
        return Err(bad());
    }
    if v.uri.as_ref().is_some_and(|u| u.len() > 1024)
        || v.mount_path.as_ref().is_some_and(|m| m.len() > 256)
    {
        return Err(bad());
    }
    if let Some(d) = &v.dew_secret_name {
        if !dew_secret_ok(d) {
            return Err(bad());
        }
    }
    let capacity = match category.as_str() {
        "EVS" => {
            let c = v.capacity.unwrap_or(model::EVS_DEFAULT_GB);
            if !(model::EVS_DEFAULT_GB..=model::EVS_MAX_GB).contains(&c) {
                return Err(codes::evs_size(model::EVS_DEFAULT_GB, model::EVS_MAX_GB));
            }
            Some(c)
        }
        "EFS" => Some(v.capacity.unwrap_or(50)),
        _ => None,
    };
    let mount_path = match (&v.mount_path, root) {
        (Some(m), false) if !m.is_empty() => m.clone(),
        (_, false) => return Err(codes::required(&format!("{field}.mount_path"))),
        // The root volume is always mounted at the work directory.
        (_, true) => model::MOUNT_PATH.to_string(),
    };
    Ok(Volume {
        id: v
            .id
            .clone()
            .unwrap_or_else(|| uuid::Uuid::new_v4().to_string()),
        category,
        ownership,
        capacity,
        uri: v.uri.clone(),
        mount_path,
        read_only: v.read_only.unwrap_or(false),
        dew_secret_name: v.dew_secret_name.clone(),
        resizing_until: None,
    })
}

pub fn lease_duration(d: i64) -> Result<i64, ApiError> {
    if d == -1 || (model::DURATION_MIN..=model::DURATION_MAX).contains(&d) {
        Ok(d)
    } else {
        Err(codes::duration_out_of_range())
    }
}

pub fn lease_type(t: Option<&str>) -> Result<String, ApiError> {
    match t.map(str::to_ascii_uppercase).as_deref() {
        None | Some("TIMING") => Ok("TIMING".into()),
        Some("IDLE") => Ok("IDLE".into()),
        Some(_) => Err(codes::bad_value("type")),
    }
}

fn network_config(p: &api::PublicNetworkConfig) -> Result<Value, ApiError> {
    match p.public_network_type.as_deref() {
        None | Some("SHARED") | Some("EXCLUSIVE") | Some("FORBIDDEN") => {
            serde_json::to_value(p).map_err(|_| codes::bad_value("public_network_config"))
        }
        Some(_) => Err(codes::bad_value("public_network_config")),
    }
}

/// Step 4 of notebook-api.md §4.4 for `PUT /notebooks/{id}`.
pub fn update_plan(
    nb: &Notebook,
    req: &NotebookUpdateRequest,
    map: &Map<String, Value>,
) -> Result<UpdatePlan, ApiError> {
    // 6334: forbidden characters.
    if let Some(n) = &req.name {
        check_name_chars(n)?;
    }
    if let Some(d) = &req.description {
        check_description_chars(d)?;
    }
    // 0107: flavor together with custom_spec.
    if req.flavor.is_some() && req.custom_spec.is_some() {
        return Err(codes::invalid_pair("flavor", "custom_spec"));
    }
    // 6792 / 6329: flavor must be switchable (and not sold out).
    let mut new_flavor = None;
    if let Some(f) = &req.flavor {
        if f != &nb.flavor {
            let current = nb.flavor_info();
            let target = current
                .and_then(|c| {
                    catalog::switchable(c, &nb.volume.category)
                        .into_iter()
                        .find(|s| s.id == f)
                })
                .ok_or_else(|| codes::flavor_not_switchable(&nb.id, f))?;
            if target.sold_out {
                return Err(codes::flavor_sold_out(f));
            }
            new_flavor = Some(target);
        }
    }
    // 6797: image.
    let new_image = match &req.image_id {
        Some(i) => Some(catalog::image(i).ok_or_else(|| codes::image_not_found(i))?),
        None => None,
    };
    // 6331: storage grows only, up to 4096.
    if let Some(size) = req.storage_new_size {
        if nb.volume.category == "EVS" {
            let current = nb.volume.capacity.unwrap_or(model::EVS_DEFAULT_GB);
            if size < current || size > model::EVS_MAX_GB {
                return Err(codes::evs_size(current, model::EVS_MAX_GB));
            }
        }
    }
    // 6336: every other value.
    if let Some(n) = &req.name {
        check_name_len(n)?;
    }
    if let Some(d) = &req.description {
        check_description_len(d)?;
    }
    if req.storage_new_size.is_some() && nb.volume.category != "EVS" {
        return Err(codes::bad_value("storage_new_size"));
    }
    let endpoints = req.endpoints.as_deref().map(endpoints).transpose()?;
    let custom = req
        .custom_spec
        .as_ref()
        .map(|s| custom_spec(s, nb.pool_id.as_deref()))
        .transpose()?;
    // The resulting image must run on the resulting flavor.
    let flavor_after = new_flavor.or_else(|| nb.flavor_info());
    let image_after = new_image.or_else(|| catalog::image(&nb.image_id));
    if let (Some(f), Some(i)) = (flavor_after, image_after) {
        if custom.is_none() && !i.supports(f) {
            return Err(codes::bad_value(if new_image.is_some() {
                "image_id"
            } else {
                "flavor"
            }));
        }
    }
    let (pre, post) = req
        .hooks
        .as_ref()
        .map(hooks)
        .transpose()?
        .unwrap_or((None, None));
    let (required, preferred) = match &req.affinity {
        Some(a) => (
            a.required_during_scheduling_ignored_during_execution
                .as_deref()
                .map(|r| affinity_rules(r, true))
                .transpose()?,
            a.preferred_during_scheduling_ignored_during_execution
                .as_deref()
                .map(|r| affinity_rules(r, false))
                .transpose()?,
        ),
        None => (None, None),
    };
    if let Some(d) = &req.dew_secret_name {
        if !dew_secret_ok(d) {
            return Err(codes::bad_value("dew_secret_name"));
        }
    }
    let data_volumes = req
        .data_volumes
        .as_ref()
        .map(|vs| {
            vs.iter()
                .map(|v| volume(v, false, "data_volumes"))
                .collect::<Result<Vec<_>, _>>()
        })
        .transpose()?;
    let public_network_config = req
        .public_network_config
        .as_ref()
        .map(network_config)
        .transpose()?;
    Ok(UpdatePlan {
        name: req.name.clone(),
        description: req.description.clone(),
        endpoints,
        flavor: new_flavor.map(|f| f.id.to_string()),
        custom_spec: custom,
        image_id: req.image_id.clone(),
        storage_new_size: req.storage_new_size,
        hooks_given: req
            .hooks
            .as_ref()
            .is_some_and(|h| h.container_hooks.is_some()),
        hooks_pre_start: pre,
        hooks_post_start: post,
        affinity_given: req.affinity.is_some(),
        affinity_required: required,
        affinity_preferred: preferred,
        dew_secret_name: req.dew_secret_name.clone(),
        data_volumes,
        public_network_config,
        fields: set_fields(map, UPDATE_FIELDS),
    })
}

/// Everything of a new notebook that comes from the create request.
#[derive(Debug, Clone)]
pub struct NewNotebook {
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
    pub hooks: Option<model::Hooks>,
    pub affinity: Option<Affinity>,
    pub run_uid: i64,
    pub run_gid: i64,
    pub lease_duration: i64,
    pub lease_type: String,
    pub user_vpc: Option<Value>,
    pub public_network_config: Option<Value>,
}

fn workspace_ok(w: &str) -> bool {
    w == "0"
        || (w.len() == 32
            && w.bytes()
                .all(|c| c.is_ascii_digit() || c.is_ascii_lowercase()))
}

/// Validation of `POST /notebooks`, in the same order of codes as update.
pub fn create(
    req: &NotebookCreateRequest,
    map: &Map<String, Value>,
) -> Result<NewNotebook, ApiError> {
    for f in ["name", "image_id", "volume"] {
        if map.get(f).map_or(true, Value::is_null) {
            return Err(codes::required(f));
        }
    }
    check_name_chars(&req.name)?;
    let description = req.description.clone().unwrap_or_default();
    check_description_chars(&description)?;
    if req.flavor.is_some() && req.custom_spec.is_some() {
        return Err(codes::invalid_pair("flavor", "custom_spec"));
    }
    let image =
        catalog::image(&req.image_id).ok_or_else(|| codes::image_not_found(&req.image_id))?;
    let flavor = match &req.flavor {
        Some(f) => {
            let fl = catalog::flavor(f).ok_or_else(codes::flavor_unsupported)?;
            if fl.sold_out {
                return Err(codes::flavor_sold_out(f));
            }
            Some(fl)
        }
        None if req.custom_spec.is_some() => None,
        None => Some(
            catalog::FLAVORS
                .iter()
                .find(|f| !f.sold_out && !f.free && image.supports(f))
                .ok_or_else(codes::flavor_unsupported)?,
        ),
    };
    check_name_len(&req.name)?;
    check_description_len(&description)?;
    let vol = volume(&req.volume, true, "volume")?;
    if let Some(f) = flavor {
        if !image.supports(f) {
            return Err(codes::bad_value("flavor"));
        }
        if (vol.category == "EVS" || vol.category == "EFS")
            && !f.storages.contains(&vol.category.as_str())
        {
            return Err(codes::bad_value("volume.category"));
        }
    }
    let feature = req
        .feature
        .clone()
        .unwrap_or_else(|| "NOTEBOOK".into())
        .to_ascii_uppercase();
    if feature != "NOTEBOOK" && feature != "DEFAULT" {
        return Err(codes::bad_value("feature"));
    }
    let workspace_id = req.workspace_id.clone().unwrap_or_else(|| "0".into());
    if !workspace_ok(&workspace_id) {
        return Err(codes::bad_value("workspace_id"));
    }
    if let Some(p) = &req.pool_id {
        if catalog::pool(p).is_none() {
            return Err(codes::bad_value("pool_id"));
        }
    }
    let custom = req
        .custom_spec
        .as_ref()
        .map(|s| custom_spec(s, req.pool_id.as_deref()))
        .transpose()?;
    let (lease_duration, lease_type) = match &req.lease {
        Some(l) => (
            self::lease_duration(
                l.duration
                    .or(req.duration)
                    .unwrap_or(model::DURATION_DEFAULT),
            )?,
            self::lease_type(l.r#type.as_deref())?,
        ),
        None => (
            self::lease_duration(req.duration.unwrap_or(model::DURATION_DEFAULT))?,
            "TIMING".into(),
        ),
    };
    let endpoints = req
        .endpoints
        .as_deref()
        .map(endpoints)
        .transpose()?
        .unwrap_or_default();
    let hooks = req
        .hooks
        .as_ref()
        .map(hooks)
        .transpose()?
        .map(|(pre_start, post_start)| model::Hooks {
            pre_start,
            post_start,
        });
    let affinity = match &req.affinity {
        Some(a) => Some(Affinity {
            required: affinity_rules(
                a.required_during_scheduling_ignored_during_execution
                    .as_deref()
                    .unwrap_or(&[]),
                true,
            )?,
            preferred: affinity_rules(
                a.preferred_during_scheduling_ignored_during_execution
                    .as_deref()
                    .unwrap_or(&[]),
                false,
            )?,
        }),
        None => None,
    };
    let (run_uid, run_gid) = match &req.run_user {
        Some(r) => (r.uid.unwrap_or(1000), r.gid.unwrap_or(100)),
        None => (1000, 100),
    };
    if !(0..=65535).contains(&run_uid) || !(0..=65535).contains(&run_gid) {
        return Err(codes::bad_value("run_user"));
    }
    let data_volumes = req
        .data_volumes
        .as_ref()
        .map(|vs| {
            vs.iter()
                .map(|v| volume(v, false, "data_volumes"))
                .collect::<Result<Vec<_>, _>>()
        })
        .transpose()?
        .unwrap_or_default();
    let user_vpc = match &req.user_vpc {
        Some(v) => {
            if v.vpc_id.is_empty() || v.subnet_id.is_empty() || v.security_group_ids.is_empty() {
                return Err(codes::bad_value("user_vpc"));
            }
            Some(serde_json::to_value(v).map_err(|_| codes::bad_value("user_vpc"))?)
        }
        None => None,
    };
    let public_network_config = req
        .public_network_config
        .as_ref()
        .map(network_config)
        .transpose()?;
    Ok(NewNotebook {
        name: req.name.clone(),
        description,
        flavor: match (flavor, &custom) {
            (Some(f), _) => f.id.to_string(),
            (None, _) => model::CUSTOM_FLAVOR.to_string(),
        },
        custom_spec: custom,
        image_id: image.id.clone(),
        feature,
        workspace_id,
        pool_id: req.pool_id.clone(),
        volume: vol,
        data_volumes,
        endpoints,
        hooks,
        affinity,
        run_uid,
        run_gid,
        lease_duration,
        lease_type,
        user_vpc,
        public_network_config,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn affinity_keys_and_values() {
        for ok in [
            "zone",
            "node.example/zone",
            "kubernetes.io/hostname",
            "a",
            "a-b_c.d",
        ] {
            assert!(affinity_key_ok(ok), "{ok}");
        }
        for bad in [
            "",
            "-a",
            "a-",
            "Upper.Case/x",
            "a/",
            "/a",
            "a b",
            &"x".repeat(64),
        ] {
            assert!(!affinity_key_ok(bad), "{bad}");
        }
        assert!(label_part_ok("", true) && !label_part_ok("", false));
        assert!(!label_part_ok("a.", true));
    }

    #[test]
    fn body_errors_name_the_field() {
        let e = parse_body::<NotebookUpdateRequest>(b"{bad").unwrap_err();
        assert_eq!(e.code, "ModelArts.6400");
        let e = parse_body::<NotebookUpdateRequest>(br#"{"name":"a","storage_new_size":"big"}"#)
            .unwrap_err();
        assert_eq!(e.code, "ModelArts.6332");
        assert!(
            e.msg.contains("'storage_new_size'") && e.msg.contains("'integer'"),
            "{}",
            e.msg
        );
        let e = parse_body::<NotebookUpdateRequest>(b"[1]").unwrap_err();
        assert_eq!(e.code, "ModelArts.6332");
        let (_, map) =
            parse_body::<NotebookUpdateRequest>(br#"{"zz":1,"affinity":null,"name":"x"}"#).unwrap();
        assert_eq!(set_fields(&map, UPDATE_FIELDS), vec!["name"]);
    }
}
