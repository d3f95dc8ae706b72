//! Plan-time checks of a `modelarts_notebook` configuration: every documented constraint, as pure functions.
//!
//! Each rule reports the attribute path it concerns so Terraform can quote the offending line. Values that are
//! still unknown (they come from other resources) are skipped: the API checks them again at apply time.

use std::net::IpAddr;
use std::time::Duration;

use base64::Engine as _;

use crate::tf::AttributePath;

/// A configuration value as seen at validation time.
#[derive(Clone, Debug, Default, PartialEq)]
pub enum Known<T> {
    /// Not yet known (computed by another resource); every rule that needs it is skipped.
    Unknown,
    #[default]
    Null,
    Value(T),
}

impl<T> Known<T> {
    pub fn value(&self) -> Option<&T> {
        match self {
            Known::Value(v) => Some(v),
            _ => None,
        }
    }

    pub fn is_unknown(&self) -> bool {
        matches!(self, Known::Unknown)
    }

    pub fn is_null(&self) -> bool {
        matches!(self, Known::Null)
    }
}

/// One broken rule: where, the headline and the explanation shown to the user.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Violation {
    pub path: AttributePath,
    pub summary: String,
    pub detail: String,
}

/// The configuration of one notebook, reduced to what the rules look at. Blocks are lists, as in the schema
/// (`volume[0].size`); a whole block list may be unknown when it comes from a `dynamic` block.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct NotebookConfig {
    pub name: Known<String>,
    pub description: Known<String>,
    pub flavor: Known<String>,
    pub custom_spec: Known<Vec<CustomSpecConfig>>,
    pub image_id: Known<String>,
    pub volume: Known<Vec<VolumeConfig>>,
    pub endpoints: Known<Vec<EndpointConfig>>,
    pub hooks: Known<Vec<HooksConfig>>,
    pub affinity: Known<Vec<AffinityConfig>>,
    pub pool_id: Known<String>,
    pub workspace_id: Known<String>,
    pub desired_state: Known<String>,
    pub timeouts: Known<TimeoutsConfig>,
}

#[derive(Clone, Debug, Default, PartialEq)]
pub struct CustomSpecConfig {
    pub cpu: Known<f64>,
    pub memory: Known<f64>,
    pub gpu: Known<f64>,
}

#[derive(Clone, Debug, Default, PartialEq)]
pub struct VolumeConfig {
    pub category: Known<String>,
    pub ownership: Known<String>,
    pub size: Known<f64>,
    pub uri: Known<String>,
    pub id: Known<String>,
}

#[derive(Clone, Debug, Default, PartialEq)]
pub struct EndpointConfig {
    pub service: Known<String>,
    pub key_pair_names: Known<Vec<Known<String>>>,
    pub allowed_access_ips: Known<Vec<Known<String>>>,
}

#[derive(Clone, Debug, Default, PartialEq)]
pub struct HooksConfig {
    pub pre_start: Known<Vec<HookConfig>>,
    pub post_start: Known<Vec<HookConfig>>,
}

#[derive(Clone, Debug, Default, PartialEq)]
pub struct HookConfig {
    pub script: Known<String>,
    /// Null means the default, `SCRIPT`.
    pub kind: Known<String>,
}

#[derive(Clone, Debug, Default, PartialEq)]
pub struct AffinityConfig {
    pub required: Known<Vec<AffinityRuleConfig>>,
    pub preferred: Known<Vec<AffinityRuleConfig>>,
}

#[derive(Clone, Debug, Default, PartialEq)]
pub struct AffinityRuleConfig {
    pub key: Known<String>,
    pub operator: Known<String>,
    pub values: Known<Vec<Known<String>>>,
    /// Always null in `required` rules: the schema has no `weight` there.
    pub weight: Known<f64>,
}

#[derive(Clone, Debug, Default, PartialEq)]
pub struct TimeoutsConfig {
    pub create: Known<String>,
    pub update: Known<String>,
    pub delete: Known<String>,
}

pub const VOLUME_CATEGORIES: &[&str] = &["EVS", "EFS", "OBS", "OBSFS"];
pub const VOLUME_OWNERSHIPS: &[&str] = &["MANAGED", "DEDICATED"];
pub const ENDPOINT_SERVICES: &[&str] = &["NOTEBOOK", "SSH"];
pub const HOOK_TYPES: &[&str] = &["COMMAND", "SCRIPT"];
pub const AFFINITY_OPERATORS: &[&str] = &["In", "NotIn", "Exists", "DoesNotExist", "Gt", "Lt"];
pub const DESIRED_STATES: &[&str] = &["RUNNING", "STOPPED"];
pub const MAX_STORAGE_GB: i64 = 4096;
pub const MAX_ALLOWED_IPS: usize = 5;
const DESCRIPTION_FORBIDDEN: &[char] = &['&', '<', '>', '"', '\'', '/'];

/// `base[i]` for a list position.
fn at(base: &AttributePath, i: usize) -> AttributePath {
    base.clone().index(i64::try_from(i).unwrap_or(i64::MAX))
}

/// `base.name`.
fn child(base: &AttributePath, name: &str) -> AttributePath {
    base.clone().attr(name)
}

/// A broken rule before it is given a path.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Problem {
    pub summary: String,
    pub detail: String,
}

fn problem(summary: &str, detail: impl Into<String>) -> Problem {
    Problem {
        summary: summary.to_string(),
        detail: detail.into(),
    }
}

type Rule = Result<(), Problem>;

pub fn check_name(name: &str) -> Rule {
    let len = name.chars().count();
    if len == 0 || len > 128 {
        return Err(problem(
            "Invalid notebook name",
            format!("name must be 1 to 128 characters long; it has {len}."),
        ));
    }
    if let Some(c) = name
        .chars()
        .find(|c| !(c.is_ascii_alphanumeric() || *c == '-' || *c == '_'))
    {
        return Err(problem(
            "Invalid notebook name",
            format!("name may contain only letters, digits, '-' and '_'; it contains {c:?}."),
        ));
    }
    Ok(())
}

pub fn check_description(description: &str) -> Rule {
    let len = description.chars().count();
    if len > 512 {
        return Err(problem(
            "Description too long",
            format!("description may have at most 512 characters; it has {len}."),
        ));
    }
    if let Some(c) = description
        .chars()
        .find(|c| DESCRIPTION_FORBIDDEN.contains(c))
    {
        return Err(problem(
            "Invalid description",
            format!("description must not contain any of & < > \" ' /; it contains {c:?}."),
        ));
    }
    Ok(())
}

pub fn check_flavor(flavor: &str) -> Rule {
    if flavor.trim().is_empty() {
        return Err(problem(
            "Invalid flavor",
            "flavor must not be empty; omit it to use custom_spec instead.",
        ));
    }
    Ok(())
}

pub fn check_cpu(cpu: f64) -> Rule {
    if !(cpu.is_finite() && cpu > 0.3) {
        return Err(problem(
            "Invalid custom_spec cpu",
            format!("cpu must be more than 0.3 cores; it is {cpu}."),
        ));
    }
    Ok(())
}

pub fn check_memory(memory: f64) -> Rule {
    if !(memory.is_finite() && memory.fract() == 0.0 && memory > 512.0) {
        return Err(problem(
            "Invalid custom_spec memory",
            format!("memory must be a whole number of MiB greater than 512; it is {memory}."),
        ));
    }
    Ok(())
}

pub fn check_gpu(gpu: f64) -> Rule {
    if !(gpu.is_finite() && gpu >= 0.0) {
        return Err(problem(
            "Invalid custom_spec gpu",
            format!("gpu must be 0 or more; it is {gpu}."),
        ));
    }
    Ok(())
}

/// `8-4-4-4-12` hexadecimal digits.
pub fn is_uuid(s: &str) -> bool {
    let groups: Vec<&str> = s.split('-').collect();
    groups.len() == 5
        && groups
            .iter()
            .zip([8, 4, 4, 4, 12])
            .all(|(g, n)| g.len() == n && g.chars().all(|c| c.is_ascii_hexdigit()))
}

pub fn check_image_id(image_id: &str) -> Rule {
    if !is_uuid(image_id) {
        return Err(problem(
            "Invalid image_id",
            format!("image_id must be an image UUID such as 278e88d1-5b71-4766-8502-b3ba72e824d9; got {image_id:?}."),
        ));
    }
    Ok(())
}

pub fn check_workspace_id(workspace_id: &str) -> Rule {
    let ok = workspace_id == "0"
        || (workspace_id.len() == 32
            && workspace_id
                .chars()
                .all(|c| c.is_ascii_digit() || c.is_ascii_lowercase()));
    if !ok {
        return Err(problem(
            "Invalid workspace_id",
            format!("workspace_id must be \"0\" or 32 lower-case letters and digits; got {workspace_id:?}."),
        ));
    }
    Ok(())
}

fn check_enum(value: &str, allowed: &[&str], what: &str, case_insensitive: bool) -> Rule {
    let found = if case_insensitive {
        allowed.iter().any(|a| a.eq_ignore_ascii_case(value))
    } else {
        allowed.contains(&value)
    };
    if !found {
        return Err(problem(
            &format!("Invalid {what}"),
            format!(
                "{what} must be one of {}; got {value:?}.",
                allowed.join(", ")
            ),
        ));
    }
    Ok(())
}

/// The API accepts volume enumerations in any case (a published example sends `"evs"`).
pub fn check_volume_category(category: &str) -> Rule {
    check_enum(category, VOLUME_CATEGORIES, "volume category", true)
}

pub fn check_volume_ownership(ownership: &str) -> Rule {
    check_enum(ownership, VOLUME_OWNERSHIPS, "volume ownership", true)
}

pub fn check_volume_size(size: f64) -> Rule {
    if !(size.is_finite() && size.fract() == 0.0 && size >= 1.0 && size <= MAX_STORAGE_GB as f64) {
        return Err(problem(
            "Invalid volume size",
            format!("volume size must be a whole number of GB from 1 to {MAX_STORAGE_GB}; it is {size}."),
        ));
    }
    Ok(())
}

pub fn check_volume_uri(uri: &str) -> Rule {
    if uri.is_empty() || uri.chars().count() > 1024 {
        return Err(problem(
            "Invalid volume uri",
            "volume uri must be 1 to 1024 characters long.",
        ));
    }
    Ok(())
}

pub fn check_volume_id(id: &str) -> Rule {
    if !is_uuid(id) {
        return Err(problem(
            "Invalid volume id",
            format!("volume id must be the SFS Turbo UUID; got {id:?}."),
        ));
    }
    Ok(())
}

pub fn check_endpoint_service(service: &str) -> Rule {
    check_enum(service, ENDPOINT_SERVICES, "endpoint service", false)
}

pub fn check_ip(ip: &str) -> Rule {
    if ip.parse::<IpAddr>().is_err() {
        return Err(problem(
            "Invalid IP address",
            format!("{ip:?} is not a valid IP address."),
        ));
    }
    Ok(())
}

pub fn check_hook_type(kind: &str) -> Rule {
    check_enum(kind, HOOK_TYPES, "hook type", false)
}

/// `COMMAND` scripts are base64 text; `SCRIPT` scripts are the absolute path of a script in the image.
pub fn check_hook_script(script: &str, kind: &str) -> Rule {
    let ok = match kind {
        "COMMAND" => {
            let text = script.trim();
            !text.is_empty()
                && base64::engine::general_purpose::STANDARD
                    .decode(text)
                    .is_ok()
        }
        "SCRIPT" => script.starts_with('/'),
        _ => true,
    };
    if ok {
        return Ok(());
    }
    let detail = if kind == "COMMAND" {
        "with type COMMAND, script must be the base64-encoded script content.".to_string()
    } else {
        format!("with type SCRIPT, script must be an absolute path such as /home/ma-user/start.sh; got {script:?}.")
    };
    Err(problem("Invalid hook script", detail))
}

fn is_label_name(s: &str) -> bool {
    let bytes = s.as_bytes();
    match (bytes.first(), bytes.last()) {
        (Some(f), Some(l)) => {
            s.len() <= 63
                && f.is_ascii_alphanumeric()
                && l.is_ascii_alphanumeric()
                && bytes
                    .iter()
                    .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'-' | b'_' | b'.'))
        }
        _ => false,
    }
}

fn is_dns_subdomain(s: &str) -> bool {
    !s.is_empty()
        && s.len() <= 253
        && s.split('.').all(|label| {
            let b = label.as_bytes();
            match (b.first(), b.last()) {
                (Some(f), Some(l)) => {
                    b.len() <= 63
                        && (f.is_ascii_lowercase() || f.is_ascii_digit())
                        && (l.is_ascii_lowercase() || l.is_ascii_digit())
                        && b.iter()
                            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || *c == b'-')
                }
                _ => false,
            }
        })
}

/// A node label key: `[prefix/]name`, the prefix a DNS subdomain.
pub fn check_affinity_key(key: &str) -> Rule {
    let ok = match key.split_once('/') {
        Some((prefix, name)) => is_dns_subdomain(prefix) && is_label_name(name),
        None => is_label_name(key),
    };
    if !ok {
        return Err(problem(
            "Invalid affinity key",
            format!(
                "{key:?} is not a node label key: an optional DNS-subdomain prefix and '/', then a name of at most 63 \
                 letters, digits, '-', '_' or '.', starting and ending with a letter or digit."
            ),
        ));
    }
    Ok(())
}

pub fn check_affinity_value(value: &str) -> Rule {
    if !(value.is_empty() || is_label_name(value)) {
        return Err(problem(
            "Invalid affinity value",
            format!(
                "{value:?} is not a node label value: at most 63 letters, digits, '-', '_' or '.', starting and \
                 ending with a letter or digit (or empty)."
            ),
        ));
    }
    Ok(())
}

pub fn check_affinity_operator(operator: &str) -> Rule {
    check_enum(operator, AFFINITY_OPERATORS, "affinity operator", false)
}

/// How many values each operator takes, as Kubernetes reads node-affinity rules.
pub fn check_affinity_arity(operator: &str, count: usize) -> Rule {
    let (ok, want) = match operator {
        "Exists" | "DoesNotExist" => (count == 0, "no values"),
        "Gt" | "Lt" => (count == 1, "exactly one value"),
        "In" | "NotIn" => (count >= 1, "at least one value"),
        _ => (true, ""),
    };
    if !ok {
        return Err(problem(
            "Invalid affinity values",
            format!("operator {operator} takes {want}; {count} given."),
        ));
    }
    Ok(())
}

pub fn check_affinity_weight(weight: f64) -> Rule {
    if !(weight.fract() == 0.0 && (0.0..=100.0).contains(&weight)) {
        return Err(problem(
            "Invalid affinity weight",
            format!("weight must be a whole number from 0 to 100; it is {weight}."),
        ));
    }
    Ok(())
}

pub fn check_desired_state(state: &str) -> Rule {
    check_enum(state, DESIRED_STATES, "desired_state", false)
}

/// Parses Go-style durations (`"30m"`, `"1h30m"`, `"1.5h"`, `"90s"`), the syntax of Terraform timeouts.
pub fn parse_duration(text: &str) -> Result<Duration, Problem> {
    let bad = || {
        problem(
            "Invalid duration",
            format!("{text:?} is not a duration: use a number and a unit (ns, us, ms, s, m, h), e.g. \"30m\" or \"1h30m\"."),
        )
    };
    if text.is_empty() {
        return Err(bad());
    }
    let mut rest = text;
    let mut total = 0f64;
    while !rest.is_empty() {
        let num_len = rest
            .find(|c: char| !(c.is_ascii_digit() || c == '.'))
            .unwrap_or(rest.len());
        if num_len == 0 {
            return Err(bad());
        }
        let number: f64 = rest[..num_len].parse().map_err(|_| bad())?;
        rest = &rest[num_len..];
        let unit_len = rest
            .find(|c: char| c.is_ascii_digit() || c == '.')
            .unwrap_or(rest.len());
        let seconds_per_unit = match &rest[..unit_len] {
            "ns" => 1e-9,
            "us" | "µs" => 1e-6,
            "ms" => 1e-3,
            "s" => 1.0,
            "m" => 60.0,
            "h" => 3600.0,
            _ => return Err(bad()),
        };
        rest = &rest[unit_len..];
        total += number * seconds_per_unit;
    }
    Duration::try_from_secs_f64(total).map_err(|_| bad())
}

pub fn check_timeout(text: &str) -> Rule {
    let d = parse_duration(text)?;
    if d.is_zero() {
        return Err(problem(
            "Invalid timeout",
            "a timeout must be longer than zero.",
        ));
    }
    Ok(())
}

/// Collects violations with their paths.
#[derive(Default)]
struct Report(Vec<Violation>);

impl Report {
    fn rule(&mut self, path: &AttributePath, result: Rule) {
        if let Err(p) = result {
            self.0.push(Violation {
                path: path.clone(),
                summary: p.summary,
                detail: p.detail,
            });
        }
    }

    fn check<T>(&mut self, path: &AttributePath, value: &Known<T>, rule: impl FnOnce(&T) -> Rule) {
        if let Known::Value(v) = value {
            self.rule(path, rule(v));
        }
    }
}

/// Checks a whole configuration. Unknown values are skipped; absent optional values are not errors.
pub fn validate(config: &NotebookConfig) -> Vec<Violation> {
    let mut r = Report::default();
    r.check(&AttributePath::root("name"), &config.name, |v| {
        check_name(v)
    });
    r.check(
        &AttributePath::root("description"),
        &config.description,
        |v| check_description(v),
    );
    r.check(&AttributePath::root("flavor"), &config.flavor, |v| {
        check_flavor(v)
    });
    r.check(&AttributePath::root("image_id"), &config.image_id, |v| {
        check_image_id(v)
    });
    r.check(
        &AttributePath::root("workspace_id"),
        &config.workspace_id,
        |v| check_workspace_id(v),
    );
    r.check(
        &AttributePath::root("desired_state"),
        &config.desired_state,
        |v| check_desired_state(v),
    );
    check_compute(config, &mut r);
    if let Known::Value(volumes) = &config.volume {
        for (i, v) in volumes.iter().enumerate() {
            check_volume(v, &at(&AttributePath::root("volume"), i), &mut r);
        }
    }
    if let Known::Value(endpoints) = &config.endpoints {
        for (i, e) in endpoints.iter().enumerate() {
            check_endpoint(e, &at(&AttributePath::root("endpoint"), i), &mut r);
        }
    }
    if let Known::Value(hooks) = &config.hooks {
        for (i, h) in hooks.iter().enumerate() {
            let base = at(&AttributePath::root("hooks"), i);
            check_hooks(&h.pre_start, &child(&base, "pre_start"), &mut r);
            check_hooks(&h.post_start, &child(&base, "post_start"), &mut r);
        }
    }
    if let Known::Value(affinity) = &config.affinity {
        for (i, a) in affinity.iter().enumerate() {
            let base = at(&AttributePath::root("affinity"), i);
            check_rules(&a.required, &child(&base, "required"), &mut r);
            check_rules(&a.preferred, &child(&base, "preferred"), &mut r);
        }
    }
    if let Known::Value(t) = &config.timeouts {
        let base = AttributePath::root("timeouts");
        r.check(&child(&base, "create"), &t.create, |v| check_timeout(v));
        r.check(&child(&base, "update"), &t.update, |v| check_timeout(v));
        r.check(&child(&base, "delete"), &t.delete, |v| check_timeout(v));
    }
    r.0
}

/// flavor XOR custom_spec, and custom_spec's own bounds and pool.
fn check_compute(config: &NotebookConfig, r: &mut Report) {
    let spec_present = match &config.custom_spec {
        Known::Unknown => None,
        Known::Null => Some(false),
        Known::Value(list) => Some(!list.is_empty()),
    };
    let flavor_present = match &config.flavor {
        Known::Unknown => None,
        Known::Null => Some(false),
        Known::Value(_) => Some(true),
    };
    match (flavor_present, spec_present) {
        (Some(true), Some(true)) => r.rule(
            &AttributePath::root("custom_spec"),
            Err(problem(
                "Conflicting compute settings",
                "flavor and custom_spec cannot both be set: keep exactly one of them.",
            )),
        ),
        (Some(false), Some(false)) => r.rule(
            &AttributePath::root("flavor"),
            Err(problem(
                "Missing compute settings",
                "exactly one of flavor or custom_spec must be set.",
            )),
        ),
        _ => {}
    }
    if spec_present == Some(true) && config.pool_id.is_null() {
        r.rule(
            &AttributePath::root("custom_spec"),
            Err(problem(
                "custom_spec needs pool_id",
                "a custom spec is only available in a dedicated pool: set pool_id, or use flavor instead.",
            )),
        );
    }
    if let Known::Value(specs) = &config.custom_spec {
        for (i, s) in specs.iter().enumerate() {
            let base = at(&AttributePath::root("custom_spec"), i);
            r.check(&child(&base, "cpu"), &s.cpu, |v| check_cpu(*v));
            r.check(&child(&base, "memory"), &s.memory, |v| check_memory(*v));
            r.check(&child(&base, "gpu"), &s.gpu, |v| check_gpu(*v));
        }
    }
}

fn check_volume(v: &VolumeConfig, base: &AttributePath, r: &mut Report) {
    r.check(&child(base, "category"), &v.category, |c| {
        check_volume_category(c)
    });
    r.check(&child(base, "ownership"), &v.ownership, |o| {
        check_volume_ownership(o)
    });
    r.check(&child(base, "size"), &v.size, |s| check_volume_size(*s));
    r.check(&child(base, "uri"), &v.uri, |u| check_volume_uri(u));
    r.check(&child(base, "id"), &v.id, |i| check_volume_id(i));
    let (Known::Value(category), ownership) = (&v.category, &v.ownership) else {
        return;
    };
    // Ownership defaults to MANAGED when omitted.
    let dedicated = match ownership {
        Known::Value(o) => o.eq_ignore_ascii_case("DEDICATED"),
        Known::Null => false,
        Known::Unknown => return,
    };
    if !dedicated {
        return;
    }
    let category = category.to_ascii_uppercase();
    if matches!(category.as_str(), "EFS" | "OBS" | "OBSFS") && v.uri.is_null() {
        r.rule(
            &child(base, "uri"),
            Err(problem(
                "Missing volume uri",
                format!(
                    "a DEDICATED {category} volume needs uri, the path of the storage to mount."
                ),
            )),
        );
    }
    if category == "EFS" && v.id.is_null() {
        r.rule(
            &child(base, "id"),
            Err(problem(
                "Missing volume id",
                "a DEDICATED EFS volume needs id, the SFS Turbo file system UUID.",
            )),
        );
    }
}

fn check_endpoint(e: &EndpointConfig, base: &AttributePath, r: &mut Report) {
    r.check(&child(base, "service"), &e.service, |s| {
        check_endpoint_service(s)
    });
    let ips_path = child(base, "allowed_access_ips");
    let Known::Value(ips) = &e.allowed_access_ips else {
        return;
    };
    if ips.len() > MAX_ALLOWED_IPS {
        r.rule(
            &ips_path,
            Err(problem(
                "Too many allowed IP addresses",
                format!(
                    "allowed_access_ips holds at most {MAX_ALLOWED_IPS} addresses; {} given.",
                    ips.len()
                ),
            )),
        );
    }
    for (i, ip) in ips.iter().enumerate() {
        r.check(&at(&ips_path, i), ip, |v| check_ip(v));
    }
    let no_key_pairs = match &e.key_pair_names {
        Known::Null => true,
        Known::Value(k) => k.is_empty(),
        Known::Unknown => false,
    };
    if !ips.is_empty() && no_key_pairs {
        r.rule(
            &ips_path,
            Err(problem(
                "allowed_access_ips needs key pairs",
                "allowed_access_ips restricts SSH logins, so it is only valid together with key_pair_names.",
            )),
        );
    }
}

fn check_hooks(hooks: &Known<Vec<HookConfig>>, base: &AttributePath, r: &mut Report) {
    let Known::Value(list) = hooks else { return };
    for (i, h) in list.iter().enumerate() {
        let path = at(base, i);
        r.check(&child(&path, "type"), &h.kind, |k| check_hook_type(k));
        let kind = match &h.kind {
            Known::Value(k) => k.as_str(),
            Known::Null => "SCRIPT",
            Known::Unknown => continue,
        };
        r.check(&child(&path, "script"), &h.script, |s| {
            check_hook_script(s, kind)
        });
    }
}

fn check_rules(rules: &Known<Vec<AffinityRuleConfig>>, base: &AttributePath, r: &mut Report) {
    let Known::Value(list) = rules else { return };
    for (i, rule) in list.iter().enumerate() {
        let path = at(base, i);
        r.check(&child(&path, "key"), &rule.key, |k| check_affinity_key(k));
        r.check(&child(&path, "operator"), &rule.operator, |o| {
            check_affinity_operator(o)
        });
        r.check(&child(&path, "weight"), &rule.weight, |w| {
            check_affinity_weight(*w)
        });
        let values_path = child(&path, "values");
        match &rule.values {
            Known::Value(values) => {
                for (j, v) in values.iter().enumerate() {
                    r.check(&at(&values_path, j), v, |s| check_affinity_value(s));
                }
                r.check(&values_path, &rule.operator, |o| {
                    check_affinity_arity(o, values.len())
                });
            }
            Known::Null => r.check(&values_path, &rule.operator, |o| check_affinity_arity(o, 0)),
            Known::Unknown => {}
        }
    }
}

#[cfg(test)]
#[path = "notebook_validate_tests.rs"]
mod tests;
