//! Configuration validation: reusable attribute validators, cross-attribute block rules, and the walk
//! that applies a schema's declarations to a configuration value.
//!
//! Validators only see known, non-null values (configuration may hold unknowns until apply: never fail
//! on them); collection validators may still meet unknown elements.

use std::sync::{Arc, OnceLock};

use regex::Regex;

use super::diag::Diagnostics;
use super::members::{self, Slots};
use super::path::AttributePath;
use super::schema::{Block, Nesting};
use super::value::Value;

/// Checks one attribute value. `value` is known and non-null.
pub trait Validator: Send + Sync {
    /// One Markdown sentence for documentation, e.g. "length between 1 and 64".
    fn description(&self) -> String;
    fn validate(&self, path: &AttributePath, value: &Value, diags: &mut Diagnostics);
}

/// Checks a block value as a whole (the object of its attributes and nested blocks), e.g. conflicts.
pub trait BlockValidator: Send + Sync {
    fn description(&self) -> String;
    fn validate(&self, block: &Block, path: &AttributePath, value: &Value, diags: &mut Diagnostics);
}

fn invalid(diags: &mut Diagnostics, path: &AttributePath, detail: String) {
    diags.error_at(
        path.clone(),
        "Invalid attribute value",
        format!("`{path}`: {detail}"),
    );
}

/// A validator from a closure returning `Err(message)`.
pub struct Custom<F> {
    description: String,
    check: F,
}

pub fn custom<F>(description: impl Into<String>, check: F) -> Custom<F>
where
    F: Fn(&Value) -> Result<(), String> + Send + Sync,
{
    Custom {
        description: description.into(),
        check,
    }
}

impl<F: Fn(&Value) -> Result<(), String> + Send + Sync> Validator for Custom<F> {
    fn description(&self) -> String {
        self.description.clone()
    }
    fn validate(&self, path: &AttributePath, value: &Value, diags: &mut Diagnostics) {
        if let Err(msg) = (self.check)(value) {
            invalid(diags, path, msg);
        }
    }
}

/// Length in characters (Unicode scalar values), inclusive bounds.
pub struct StringLength {
    min: usize,
    max: usize,
}

pub fn string_length(min: usize, max: usize) -> StringLength {
    StringLength { min, max }
}

impl Validator for StringLength {
    fn description(&self) -> String {
        format!("length between {} and {} characters", self.min, self.max)
    }
    fn validate(&self, path: &AttributePath, value: &Value, diags: &mut Diagnostics) {
        if let Some(s) = value.as_str() {
            let n = s.chars().count();
            if n < self.min || n > self.max {
                invalid(
                    diags,
                    path,
                    format!(
                        "must be between {} and {} characters long, got {n}",
                        self.min, self.max
                    ),
                );
            }
        }
    }
}

pub struct Matches {
    /// Compiled on first use: every provider launch builds every schema (GetSchema), but most launches
    /// never validate, and compiling the patterns up front was ~30 % of a launch's CPU.
    re: OnceLock<Option<Regex>>,
    pattern: String,
    message: String,
}

/// The whole string must match `pattern` (anchor it yourself); `message` explains the rule to users.
/// An invalid pattern is a provider bug and reports itself on every use.
pub fn matches(pattern: &str, message: impl Into<String>) -> Matches {
    Matches {
        re: OnceLock::new(),
        pattern: pattern.to_string(),
        message: message.into(),
    }
}

impl Validator for Matches {
    fn description(&self) -> String {
        self.message.clone()
    }
    fn validate(&self, path: &AttributePath, value: &Value, diags: &mut Diagnostics) {
        let Some(s) = value.as_str() else { return };
        match self.re.get_or_init(|| Regex::new(&self.pattern).ok()) {
            Some(re) if re.is_match(s) => {}
            Some(_) => invalid(diags, path, format!("{} (got {s:?})", self.message)),
            None => diags.error_at(
                path.clone(),
                "Invalid validator",
                format!(
                    "the pattern {:?} does not compile. This is a bug in the provider.",
                    self.pattern
                ),
            ),
        }
    }
}

pub struct OneOf(Vec<String>);

/// The string must be one of `allowed` (case-sensitive).
pub fn one_of<S: Into<String>>(allowed: impl IntoIterator<Item = S>) -> OneOf {
    OneOf(allowed.into_iter().map(Into::into).collect())
}

impl OneOf {
    fn listing(&self) -> String {
        self.0
            .iter()
            .map(|s| format!("`{s}`"))
            .collect::<Vec<_>>()
            .join(", ")
    }
}

impl Validator for OneOf {
    fn description(&self) -> String {
        format!("one of {}", self.listing())
    }
    fn validate(&self, path: &AttributePath, value: &Value, diags: &mut Diagnostics) {
        if let Some(s) = value.as_str() {
            if !self.0.iter().any(|a| a == s) {
                invalid(
                    diags,
                    path,
                    format!("must be one of {}, got {s:?}", self.listing()),
                );
            }
        }
    }
}

pub struct IsInteger;

pub fn is_integer() -> IsInteger {
    IsInteger
}

impl Validator for IsInteger {
    fn description(&self) -> String {
        "a whole number".into()
    }
    fn validate(&self, path: &AttributePath, value: &Value, diags: &mut Diagnostics) {
        if let Some(n) = value.as_number() {
            if !n.is_integer() {
                invalid(diags, path, format!("must be a whole number, got {n}"));
            }
        }
    }
}

pub struct IntBetween {
    min: i64,
    max: i64,
}

/// A whole number within inclusive bounds.
pub fn int_between(min: i64, max: i64) -> IntBetween {
    IntBetween { min, max }
}

impl Validator for IntBetween {
    fn description(&self) -> String {
        format!("a whole number between {} and {}", self.min, self.max)
    }
    fn validate(&self, path: &AttributePath, value: &Value, diags: &mut Diagnostics) {
        let Some(n) = value.as_number() else { return };
        match n.as_i64() {
            Some(i) if (self.min..=self.max).contains(&i) => {}
            _ => invalid(
                diags,
                path,
                format!(
                    "must be a whole number between {} and {}, got {n}",
                    self.min, self.max
                ),
            ),
        }
    }
}

pub struct NumberBetween {
    min: f64,
    max: f64,
}

/// Any number within inclusive bounds (compared as float64).
pub fn number_between(min: f64, max: f64) -> NumberBetween {
    NumberBetween { min, max }
}

impl Validator for NumberBetween {
    fn description(&self) -> String {
        format!("between {} and {}", self.min, self.max)
    }
    fn validate(&self, path: &AttributePath, value: &Value, diags: &mut Diagnostics) {
        let Some(n) = value.as_number() else { return };
        let f = n.as_f64();
        if !(f >= self.min && f <= self.max) {
            invalid(
                diags,
                path,
                format!("must be between {} and {}, got {n}", self.min, self.max),
            );
        }
    }
}

pub struct SizeBetween {
    min: usize,
    max: usize,
}

/// Number of elements of a list, set or map (inclusive bounds). Sets with unknown elements may still
/// merge, so only their lower bound is checked.
pub fn size_between(min: usize, max: usize) -> SizeBetween {
    SizeBetween { min, max }
}

impl Validator for SizeBetween {
    fn description(&self) -> String {
        format!("between {} and {} elements", self.min, self.max)
    }
    fn validate(&self, path: &AttributePath, value: &Value, diags: &mut Diagnostics) {
        let Some(n) = value.length() else { return };
        let may_shrink = matches!(value, Value::Set(_)) && !value.is_wholly_known();
        if n < self.min || (n > self.max && !may_shrink) {
            invalid(
                diags,
                path,
                format!(
                    "must have between {} and {} elements, got {n}",
                    self.min, self.max
                ),
            );
        }
    }
}

/// Applies `inner` to every known, non-null element of a list or set (map values too).
pub struct Each(Arc<dyn Validator>);

pub fn each(inner: impl Validator + 'static) -> Each {
    Each(Arc::new(inner))
}

impl Validator for Each {
    fn description(&self) -> String {
        format!("each element: {}", self.0.description())
    }
    fn validate(&self, path: &AttributePath, value: &Value, diags: &mut Diagnostics) {
        match value {
            Value::List(items) => {
                for (i, e) in items.iter().enumerate() {
                    if e.is_known() && !e.is_null() {
                        self.0.validate(&path.clone().index(i as i64), e, diags);
                    }
                }
            }
            Value::Set(items) => items
                .iter()
                .filter(|e| e.is_known() && !e.is_null())
                .for_each(|e| self.0.validate(path, e, diags)),
            Value::Map(m) => {
                for (k, e) in m {
                    if e.is_known() && !e.is_null() {
                        self.0.validate(&path.clone().key(k.clone()), e, diags);
                    }
                }
            }
            _ => {}
        }
    }
}

/// Whether an attribute or block is set in configuration: `Some(true/false)`, `None` while unknown.
/// An absent block reads as an empty collection (or null / all-null for SINGLE / GROUP).
fn presence(block: &Block, value: &Value, name: &str) -> Option<bool> {
    let v = value.get_attr(name);
    if v.is_unknown() {
        return None;
    }
    match block.get_block(name).map(|b| b.nesting) {
        Some(Nesting::List | Nesting::Set | Nesting::Map) => Some(v.length().unwrap_or(0) > 0),
        Some(Nesting::Group) => Some(
            v.entries()
                .is_some_and(|m| m.values().any(|x| !x.is_null())),
        ),
        _ => Some(!v.is_null()),
    }
}

fn names(list: &[String]) -> String {
    list.iter()
        .map(|s| format!("`{s}`"))
        .collect::<Vec<_>>()
        .join(", ")
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum Rule {
    ConflictsWith,
    ExactlyOneOf,
    AtLeastOneOf,
}

pub struct Group {
    rule: Rule,
    names: Vec<String>,
}

fn group<S: Into<String>>(rule: Rule, names: impl IntoIterator<Item = S>) -> Group {
    Group {
        rule,
        names: names.into_iter().map(Into::into).collect(),
    }
}

/// At most one of `names` may be set.
pub fn conflicts_with<S: Into<String>>(names: impl IntoIterator<Item = S>) -> Group {
    group(Rule::ConflictsWith, names)
}

/// Exactly one of `names` must be set.
pub fn exactly_one_of<S: Into<String>>(names: impl IntoIterator<Item = S>) -> Group {
    group(Rule::ExactlyOneOf, names)
}

/// At least one of `names` must be set.
pub fn at_least_one_of<S: Into<String>>(names: impl IntoIterator<Item = S>) -> Group {
    group(Rule::AtLeastOneOf, names)
}

impl BlockValidator for Group {
    fn description(&self) -> String {
        let what = match self.rule {
            Rule::ConflictsWith => "at most one of",
            Rule::ExactlyOneOf => "exactly one of",
            Rule::AtLeastOneOf => "at least one of",
        };
        format!("{what} {}", names(&self.names))
    }

    fn validate(
        &self,
        block: &Block,
        path: &AttributePath,
        value: &Value,
        diags: &mut Diagnostics,
    ) {
        let states: Vec<Option<bool>> = self
            .names
            .iter()
            .map(|n| presence(block, value, n))
            .collect();
        let set: Vec<&String> = self
            .names
            .iter()
            .zip(&states)
            .filter(|(_, s)| **s == Some(true))
            .map(|(n, _)| n)
            .collect();
        let any_unknown = states.iter().any(Option::is_none);
        let too_many = set.len() > 1 && self.rule != Rule::AtLeastOneOf;
        let too_few = set.is_empty() && !any_unknown && self.rule != Rule::ConflictsWith;
        if too_many {
            let at = path.clone().attr(set[1].clone());
            diags.error_at(
                at,
                "Conflicting configuration arguments",
                format!(
                    "Only one of {} can be set; found {}.",
                    names(&self.names),
                    names(&set.into_iter().cloned().collect::<Vec<_>>())
                ),
            );
        } else if too_few {
            let need = if self.rule == Rule::ExactlyOneOf {
                "Exactly one"
            } else {
                "At least one"
            };
            diags.error_at(
                path.clone(),
                "Missing required argument",
                format!("{need} of {} must be set.", names(&self.names)),
            );
        }
    }
}

pub struct RequiredWith {
    name: String,
    others: Vec<String>,
}

/// When `name` is set, every one of `others` must be set too.
pub fn required_with<S: Into<String>>(
    name: impl Into<String>,
    others: impl IntoIterator<Item = S>,
) -> RequiredWith {
    RequiredWith {
        name: name.into(),
        others: others.into_iter().map(Into::into).collect(),
    }
}

impl BlockValidator for RequiredWith {
    fn description(&self) -> String {
        format!("`{}` requires {}", self.name, names(&self.others))
    }
    fn validate(
        &self,
        block: &Block,
        path: &AttributePath,
        value: &Value,
        diags: &mut Diagnostics,
    ) {
        if presence(block, value, &self.name) != Some(true) {
            return;
        }
        for other in &self.others {
            if presence(block, value, other) == Some(false) {
                diags.error_at(
                    path.clone().attr(self.name.clone()),
                    "Missing required argument",
                    format!("`{}` must be set when `{}` is set.", other, self.name),
                );
            }
        }
    }
}

/// Applies every declaration of `block` to a configuration value: attribute validators, deprecation
/// warnings, block rules, nested block counts; recursing into nested blocks.
pub fn validate_block(block: &Block, value: &Value, path: &AttributePath, diags: &mut Diagnostics) {
    if !matches!(value, Value::Object(_)) {
        return;
    }
    let order = members::order(block);
    let slots = Slots::of(block, &order, value);
    for (i, a) in block.attributes.iter().enumerate() {
        let v = slots.get(i);
        // Terraform core does not reject a configured value for a computed-only attribute; the provider must
        // (as both Terraform SDKs do), else the plan would carry the configured value.
        if !v.is_null() && a.computed && !a.optional && !a.required {
            let p = path.clone().attr(a.name.clone());
            diags.error_at(
                p.clone(),
                "Read-only attribute set",
                format!("`{p}` is computed by the provider and cannot be set; remove it from the configuration."),
            );
            continue;
        }
        if v.is_null() || v.is_unknown() || (!a.deprecated && a.validators.is_empty()) {
            continue;
        }
        let p = path.clone().attr(a.name.clone());
        if a.deprecated {
            diags.warning_at(
                p.clone(),
                "Deprecated attribute",
                format!("`{p}` is deprecated. {}", a.description),
            );
        }
        for validator in &a.validators {
            validator.validate(&p, v, diags);
        }
    }
    for rule in &block.validators {
        rule.validate(block, path, value, diags);
    }
    let na = block.attributes.len();
    for (j, nb) in block.blocks.iter().enumerate() {
        let v = slots.get(na + j);
        let p = path.clone().attr(nb.type_name.clone());
        if v.is_unknown() {
            continue;
        }
        if let Value::List(items) | Value::Set(items) = v {
            let n = items.len() as i64;
            let may_shrink = matches!(v, Value::Set(_)) && !v.is_wholly_known();
            if n < nb.min_items {
                diags.error_at(
                    p.clone(),
                    "Insufficient blocks",
                    format!(
                        "At least {} `{}` blocks are required, found {n}.",
                        nb.min_items, nb.type_name
                    ),
                );
            } else if nb.max_items > 0 && n > nb.max_items && !may_shrink {
                diags.error_at(
                    p.clone(),
                    "Too many blocks",
                    format!(
                        "No more than {} `{}` blocks are allowed, found {n}.",
                        nb.max_items, nb.type_name
                    ),
                );
            }
        }
        if nb.nesting == Nesting::Single && nb.min_items == 1 && v.is_null() {
            diags.error_at(
                p.clone(),
                "Missing required block",
                format!("A `{}` block is required.", nb.type_name),
            );
        }
        match (nb.nesting, v) {
            (Nesting::Single | Nesting::Group, v) => validate_block(&nb.block, v, &p, diags),
            (Nesting::List, Value::List(items)) => {
                for (i, e) in items.iter().enumerate() {
                    validate_block(&nb.block, e, &p.clone().index(i as i64), diags);
                }
            }
            (Nesting::Set, Value::Set(items)) => items
                .iter()
                .for_each(|e| validate_block(&nb.block, e, &p, diags)),
            (Nesting::Map, Value::Map(m)) => {
                for (k, e) in m {
                    validate_block(&nb.block, e, &p.clone().key(k.clone()), diags);
                }
            }
            _ => {}
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::tf::schema::{Attribute, NestedBlock};
    use crate::tf::types::Type;

    fn run(v: &dyn Validator, value: Value) -> Diagnostics {
        let mut d = Diagnostics::new();
        v.validate(&AttributePath::root("x"), &value, &mut d);
        d
    }

    #[test]
    fn attribute_validators() {
        assert!(run(&string_length(1, 3), Value::from("abcd")).has_errors());
        assert!(!run(&string_length(1, 4), Value::from("äbcd")).has_errors());
        assert!(run(
            &matches("^[a-z]+$", "lowercase letters only"),
            Value::from("aB")
        )
        .has_errors());
        assert!(!run(
            &matches("^[a-z]+$", "lowercase letters only"),
            Value::from("ab")
        )
        .has_errors());
        assert!(run(&matches("(", "broken"), Value::from("ab")).has_errors());
        let d = run(&one_of(["CPU", "GPU"]), Value::from("TPU"));
        assert_eq!(
            d.0[0].detail,
            "`x`: must be one of `CPU`, `GPU`, got \"TPU\""
        );
        assert_eq!(d.0[0].path, Some(AttributePath::root("x")));
        assert!(run(&int_between(1, 10), Value::from(11)).has_errors());
        assert!(run(&int_between(1, 10), Value::from_f64(2.5).unwrap()).has_errors());
        assert!(!run(&int_between(1, 10), Value::from(10)).has_errors());
        assert!(run(&number_between(0.0, 1.0), Value::from_f64(1.5).unwrap()).has_errors());
        assert!(run(&is_integer(), Value::from_f64(0.5).unwrap()).has_errors());
        assert!(run(&size_between(1, 2), Value::list([])).has_errors());
        assert!(!run(
            &size_between(1, 2),
            Value::set([Value::Unknown, Value::Unknown, Value::Unknown])
        )
        .has_errors());
        assert!(run(
            &custom("even", |v| if v.as_i64().unwrap_or(0) % 2 == 0 {
                Ok(())
            } else {
                Err("must be even".into())
            }),
            Value::from(3)
        )
        .has_errors());
        let d = run(
            &each(string_length(1, 2)),
            Value::list([Value::from("ok"), Value::Unknown, Value::from("long")]),
        );
        assert_eq!(d.0.len(), 1);
        assert_eq!(d.0[0].path, Some(AttributePath::root("x").index(2)));
    }

    fn schema() -> Block {
        Block::new()
            .attribute(Attribute::string("access_key").optional())
            .attribute(Attribute::string("auth_token").optional())
            .attribute(Attribute::string("secret_key").optional())
            .attribute(Attribute::string("old").optional().deprecated())
            .validator(conflicts_with(["secret_key", "auth_token"]))
            .validator(exactly_one_of(["access_key", "auth_token"]))
            .validator(required_with("access_key", ["secret_key"]))
            .block(
                NestedBlock::list(
                    "volume",
                    Block::new().attribute(
                        Attribute::number("size")
                            .optional()
                            .validator(int_between(1, 100)),
                    ),
                )
                .max_items(2),
            )
    }

    fn check(v: Value) -> Diagnostics {
        let mut d = Diagnostics::new();
        validate_block(&schema(), &v, &AttributePath::empty(), &mut d);
        d
    }

    fn cfg(pairs: &[(&str, Value)]) -> Value {
        let mut v = Value::object(pairs.iter().map(|(k, v)| (*k, v.clone())));
        if v.get_attr("volume").is_null() {
            v.set_attr("volume", Value::list([]));
        }
        v
    }

    #[test]
    fn block_rules() {
        let d = check(cfg(&[
            ("access_key", "a".into()),
            ("auth_token", "t".into()),
            ("secret_key", "s".into()),
        ]));
        // exactly_one_of(access_key, auth_token) and conflicts_with(secret_key, auth_token) both fire.
        assert_eq!(d.errors().count(), 2, "{d}");
        assert!(d
            .iter()
            .all(|x| x.summary == "Conflicting configuration arguments"));
        assert_eq!(d.0[0].path, Some(AttributePath::root("auth_token")));
        assert!(!check(cfg(&[
            ("secret_key", "s".into()),
            ("auth_token", Value::Unknown)
        ]))
        .has_errors());
        let d = check(cfg(&[]));
        assert_eq!(d.0[0].summary, "Missing required argument");
        // Unknown may turn out to be set: no error.
        assert!(!check(cfg(&[("auth_token", Value::Unknown)])).has_errors());
        let d = check(cfg(&[("access_key", "a".into())]));
        assert_eq!(
            d.0[0].detail,
            "`secret_key` must be set when `access_key` is set."
        );
        assert!(!check(cfg(&[
            ("access_key", "a".into()),
            ("secret_key", Value::Unknown)
        ]))
        .has_errors());
    }

    #[test]
    fn computed_only_attributes_cannot_be_configured() {
        let block = Block::new()
            .attribute(Attribute::string("status").computed())
            .attribute(Attribute::string("size").optional().computed())
            .block(NestedBlock::list(
                "volume",
                Block::new().attribute(Attribute::string("mount_path").computed()),
            ));
        let run = |v: Value| {
            let mut d = Diagnostics::new();
            validate_block(&block, &v, &AttributePath::empty(), &mut d);
            d
        };
        let vol = |m: Value| Value::list([Value::object([("mount_path", m)])]);
        for set in [Value::from("RUNNING"), Value::Unknown] {
            let d = run(Value::object([
                ("status", set),
                ("size", Value::from("5")),
                ("volume", vol(Value::Null)),
            ]));
            assert_eq!(d.errors().count(), 1, "{d}");
            assert_eq!(d.0[0].path, Some(AttributePath::root("status")));
        }
        let d = run(Value::object([
            ("status", Value::Null),
            ("volume", vol(Value::from("/x"))),
        ]));
        assert_eq!(
            d.0[0].path,
            Some(AttributePath::root("volume").index(0).attr("mount_path"))
        );
        assert!(!run(Value::object([
            ("size", Value::Unknown),
            ("volume", vol(Value::Null))
        ]))
        .has_errors());
    }

    #[test]
    fn nested_blocks_and_deprecation() {
        let vol = |n: i64| Value::object([("size", Value::from(n))]);
        let d = check(cfg(&[
            ("auth_token", "t".into()),
            ("volume", Value::list([vol(5), vol(500)])),
        ]));
        assert_eq!(d.0.len(), 1);
        assert_eq!(
            d.0[0].path,
            Some(AttributePath::root("volume").index(1).attr("size"))
        );
        let d = check(cfg(&[
            ("auth_token", "t".into()),
            ("volume", Value::list([vol(1), vol(2), vol(3)])),
        ]));
        assert_eq!(d.0[0].summary, "Too many blocks");
        assert!(!check(cfg(&[
            ("auth_token", "t".into()),
            ("volume", Value::Unknown)
        ]))
        .has_errors());
        let d = check(cfg(&[("auth_token", "t".into()), ("old", "x".into())]));
        assert!(!d.has_errors());
        assert_eq!(d.0[0].summary, "Deprecated attribute");
        let _ = Type::String;
    }
}
