//! The one plan engine: turns (schema, prior state, proposed new state, config) into a planned state
//! that satisfies Terraform core's rules (tfplugin5-notes §8). Resources only declare behaviour on
//! attributes and may adjust the result in their `modify_plan` hook.
//!
//! Rules, per attribute:
//! - not computed: the config value;
//! - computed, set in config (possibly unknown): the config value;
//! - computed, null in config, with a default: the default;
//! - optional+computed, null in config: unknown on create (of the resource or of a new block element),
//!   else the prior value (unknown if the prior value is null and the resource changes);
//! - computed-only: unknown on create; on update the prior value if the resource has no changes at all,
//!   else unknown (unless `use_state_for_unknown`);
//! - computed with `changes_with(effects)` (and null in config): on update the prior value unless the resource's
//!   forecast of the update names one of those effects, then unknown. The forecast sees the configured values
//!   with defaults applied, so the resource states what the apply will do once, and each attribute what it
//!   depends on;
//! - then the attribute's plan modifiers, then immutability: a change is an error, or with
//!   replacement allowed an entry in `requires_replace`.
//!
//! Nested blocks recurse element-wise (lists by index, maps by key, sets by matching their non-computed
//! content); elements are never added or removed and unknown block collections pass through.
//! A null proposed state (destroy) passes through untouched.

use std::collections::BTreeSet;

use super::codec::LazyPath;
use super::diag::Diagnostics;
use super::members::{self, Slots};
use super::path::AttributePath;
use super::schema::{Attribute, Block, Immutable, Nesting};
use super::value::{KeyMap, Value};

/// What a plan modifier sees for one attribute.
pub struct AttributePlanRequest<'a> {
    pub path: &'a AttributePath,
    pub attribute: &'a Attribute,
    pub config: &'a Value,
    pub prior: &'a Value,
    pub proposed: &'a Value,
    /// The resource is being created (no prior state at all).
    pub resource_create: bool,
    /// The enclosing object is new: the resource, or a nested block element without a prior element.
    pub element_create: bool,
    /// Any configured value differs from the prior state.
    pub resource_has_changes: bool,
}

pub struct AttributePlanResponse {
    pub planned: Value,
    pub requires_replace: bool,
    pub diagnostics: Diagnostics,
}

/// Adjusts the planned value of one attribute after the engine's defaults.
pub trait PlanModifier: Send + Sync {
    fn description(&self) -> String;
    fn modify(&self, req: &AttributePlanRequest<'_>, resp: &mut AttributePlanResponse);
}

/// Keeps the prior value instead of unknown for a computed value that does not change on update.
pub struct UseStateForUnknown;

impl PlanModifier for UseStateForUnknown {
    fn description(&self) -> String {
        "the value does not change after creation".into()
    }
    fn modify(&self, req: &AttributePlanRequest<'_>, resp: &mut AttributePlanResponse) {
        if !req.element_create
            && resp.planned.is_unknown()
            && req.config.is_null()
            && !req.prior.is_null()
        {
            resp.planned = req.prior.clone();
        }
    }
}

/// What an update will do, as effect names the resource chooses (e.g. `"put"`, `"start"`).
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Effects {
    /// Cannot tell (e.g. configuration values not known yet): anything may change.
    Any,
    /// Exactly these effects, possibly none.
    Only(BTreeSet<&'static str>),
}

impl Effects {
    pub fn none() -> Effects {
        Effects::Only(BTreeSet::new())
    }

    /// Whether any of `effects` may happen.
    pub fn any_of(&self, effects: &[&'static str]) -> bool {
        match self {
            Effects::Any => !effects.is_empty(),
            Effects::Only(set) => effects.iter().any(|e| set.contains(e)),
        }
    }
}

/// Forecasts an update, declared on the resource's root block (`Block::forecast`).
pub trait UpdateForecast: Send + Sync {
    /// `planned` is the proposed state with the configured defaults applied (computed values still the prior
    /// ones); `config` may hold unknowns.
    fn effects(&self, prior: &Value, planned: &Value, config: &Value) -> Effects;
}

impl<F> UpdateForecast for F
where
    F: Fn(&Value, &Value, &Value) -> Effects + Send + Sync,
{
    fn effects(&self, prior: &Value, planned: &Value, config: &Value) -> Effects {
        self(prior, planned, config)
    }
}

/// Any change of the value replaces the resource.
pub struct RequiresReplace;

impl PlanModifier for RequiresReplace {
    fn description(&self) -> String {
        "changing the value replaces the resource".into()
    }
    fn modify(&self, req: &AttributePlanRequest<'_>, resp: &mut AttributePlanResponse) {
        if !req.resource_create && !values_surely_equal(&resp.planned, req.prior) {
            resp.requires_replace = true;
        }
    }
}

/// Replaces the resource when the closure says so for (prior, planned).
pub struct RequiresReplaceIf<F> {
    description: String,
    check: F,
}

pub fn requires_replace_if<F>(description: impl Into<String>, check: F) -> RequiresReplaceIf<F>
where
    F: Fn(&Value, &Value) -> bool + Send + Sync,
{
    RequiresReplaceIf {
        description: description.into(),
        check,
    }
}

impl<F: Fn(&Value, &Value) -> bool + Send + Sync> PlanModifier for RequiresReplaceIf<F> {
    fn description(&self) -> String {
        self.description.clone()
    }
    fn modify(&self, req: &AttributePlanRequest<'_>, resp: &mut AttributePlanResponse) {
        if !req.resource_create
            && !values_surely_equal(&resp.planned, req.prior)
            && (self.check)(req.prior, &resp.planned)
        {
            resp.requires_replace = true;
        }
    }
}

/// Equal and known: an unknown planned value may still change.
fn values_surely_equal(planned: &Value, prior: &Value) -> bool {
    planned.is_wholly_known() && planned == prior
}

/// Inputs of one plan.
pub struct PlanInput<'a> {
    pub schema: &'a Block,
    /// Null when creating.
    pub prior: &'a Value,
    /// Null when destroying.
    pub proposed: &'a Value,
    pub config: &'a Value,
    /// Immutable changes become `requires_replace` entries instead of errors.
    pub replace_allowed: bool,
    /// Shown in immutability errors when the attribute declares no hint of its own.
    pub default_immutable_hint: Option<&'a str>,
}

/// The plan as it goes back to Terraform; the resource hook may edit it.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct PlanResult {
    pub planned: Value,
    pub requires_replace: Vec<AttributePath>,
    pub diagnostics: Diagnostics,
    /// Opaque bytes handed to apply as `planned_private`.
    pub private: Vec<u8>,
}

impl PlanResult {
    /// The planned value at `path` (null if absent).
    pub fn get(&self, path: &AttributePath) -> &Value {
        static NULL: Value = Value::Null;
        self.planned.get_path(path).unwrap_or(&NULL)
    }

    /// Sets a planned value; a path that does not exist becomes an error diagnostic (a resource bug).
    pub fn set(&mut self, path: &AttributePath, v: Value) {
        if let Err(e) = self.planned.set_path(path, v) {
            self.diagnostics.error(
                "Invalid plan modification",
                format!("{e}. This is a bug in the provider."),
            );
        }
    }

    pub fn set_unknown(&mut self, path: &AttributePath) {
        self.set(path, Value::Unknown);
    }

    pub fn require_replace(&mut self, path: AttributePath) {
        if !self.requires_replace.contains(&path) {
            self.requires_replace.push(path);
        }
    }
}

/// Runs the engine (not the resource hook).
pub fn plan(input: &PlanInput<'_>) -> PlanResult {
    if input.proposed.is_null() {
        return PlanResult {
            planned: Value::Null,
            ..PlanResult::default()
        };
    }
    let create = input.prior.is_null();
    let root = LazyPath::Root;
    let mut defaults_only = Engine {
        input,
        create,
        has_changes: true,
        effects: Effects::Any,
        full: false,
        result: PlanResult::default(),
    };
    let has_changes =
        create || defaults_only.differs(input.schema, input.prior, input.proposed, input.config);
    let effects = match &input.schema.forecast {
        Some(f) if !create && has_changes => {
            let with_defaults = defaults_only.block(
                input.schema,
                input.prior,
                input.proposed,
                input.config,
                &root,
                true,
            );
            f.effects(input.prior, &with_defaults, input.config)
        }
        _ if !has_changes => Effects::none(),
        _ => Effects::Any,
    };
    let mut engine = Engine {
        input,
        create,
        has_changes,
        effects,
        full: true,
        result: PlanResult::default(),
    };
    let planned = engine.block(
        input.schema,
        input.prior,
        input.proposed,
        input.config,
        &root,
        true,
    );
    let mut result = engine.result;
    result.planned = planned;
    result
}

struct Engine<'a> {
    input: &'a PlanInput<'a>,
    create: bool,
    has_changes: bool,
    /// The resource's forecast of this update (`Any` on create or without a forecast).
    effects: Effects,
    /// False: only apply defaults (to find out whether anything changes).
    full: bool,
    result: PlanResult,
}

impl Engine<'_> {
    /// `addressable`: false inside a set, where paths stop at the set itself.
    fn block(
        &mut self,
        block: &Block,
        prior: &Value,
        proposed: &Value,
        config: &Value,
        path: &LazyPath<'_>,
        addressable: bool,
    ) -> Value {
        let Value::Object(prop_attrs) = proposed else {
            return proposed.clone();
        };
        let element_create = prior.is_null();
        let order = members::order(block);
        let prop_slots = Slots::of(block, &order, proposed);
        // Byte-identical prior and proposed states are decoded once: read them once too.
        let prior_slots = if std::ptr::eq(prior, proposed) {
            None
        } else {
            Some(Slots::of(block, &order, prior))
        };
        let prior_slots = prior_slots.as_ref().unwrap_or(&prop_slots);
        let config_slots = Slots::of(block, &order, config);
        // Every schema attribute and block is planned below (in declaration order: diagnostics and
        // replacements keep their order); only entries the schema does not know are carried over
        // from the proposal (copying the whole proposal first would be wasted work).
        let na = block.attributes.len();
        let mut planned_members: Vec<Value> = Vec::with_capacity(order.len());
        for (i, a) in block.attributes.iter().enumerate() {
            let p = if addressable {
                path.attr(&a.name)
            } else {
                *path
            };
            let planned = self.attribute(
                a,
                prior_slots.get(i),
                prop_slots.get(i),
                config_slots.get(i),
                &p,
                element_create,
            );
            planned_members.push(planned);
        }
        for (j, nb) in block.blocks.iter().enumerate() {
            let (pri, prop, cfg) = (
                prior_slots.get(na + j),
                prop_slots.get(na + j),
                config_slots.get(na + j),
            );
            let p = if addressable {
                path.attr(&nb.type_name)
            } else {
                *path
            };
            let planned = match (nb.nesting, prop) {
                (_, Value::Unknown | Value::Null) => prop.clone(),
                (Nesting::Single | Nesting::Group, _) => {
                    self.block(&nb.block, pri, prop, cfg, &p, addressable)
                }
                (Nesting::List, Value::List(items)) => Value::List(
                    items
                        .iter()
                        .enumerate()
                        .map(|(i, e)| {
                            let pe = pri.elements().get(i).unwrap_or(&Value::Null);
                            let ce = cfg.elements().get(i).unwrap_or(&Value::Null);
                            let ep = if addressable { p.index(i as i64) } else { p };
                            self.block(&nb.block, pe, e, ce, &ep, addressable)
                        })
                        .collect(),
                ),
                (Nesting::Map, Value::Map(m)) => Value::Map(
                    m.iter()
                        .map(|(k, e)| {
                            let pe = pri.entries().and_then(|x| x.get(k)).unwrap_or(&Value::Null);
                            let ce = cfg.entries().and_then(|x| x.get(k)).unwrap_or(&Value::Null);
                            let ep = if addressable { p.key(k) } else { p };
                            (
                                k.clone(),
                                self.block(&nb.block, pe, e, ce, &ep, addressable),
                            )
                        })
                        .collect(),
                ),
                (Nesting::Set, Value::Set(items)) => {
                    let mut prior_pool: Vec<&Value> = pri.elements().iter().collect();
                    let mut config_pool: Vec<&Value> = cfg.elements().iter().collect();
                    let planned: Vec<Value> = items
                        .iter()
                        .map(|e| {
                            let key = config_projection(&nb.block, e);
                            let pe = take_match(&mut prior_pool, |x| {
                                config_projection(&nb.block, x) == key
                            });
                            let ce = take_match(&mut config_pool, |x| {
                                config_projection(&nb.block, x) == key
                            });
                            self.block(
                                &nb.block,
                                pe.unwrap_or(&Value::Null),
                                e,
                                ce.unwrap_or(&Value::Null),
                                &p,
                                false,
                            )
                        })
                        .collect();
                    Value::Set(planned)
                }
                _ => prop.clone(),
            };
            if let Some(imm) = &nb.immutable {
                if self.full && !self.create {
                    let (before, after) = (
                        project_nested(&nb.block, pri),
                        project_nested(&nb.block, &planned),
                    );
                    self.immutable_change(imm, &p, &nb.type_name, false, &before, &after);
                }
            }
            planned_members.push(planned);
        }
        // Built from entries in name order: a bulk build, no per-entry tree descent.
        let mut out: KeyMap<Value> = order
            .iter()
            .filter_map(|&i| {
                let v = std::mem::take(planned_members.get_mut(i)?);
                Some((members::member_key(block, i), v))
            })
            .collect();
        if prop_slots.has_extra() {
            for (k, v) in prop_attrs {
                if !out.contains_key(k) {
                    out.insert(k.clone(), v.clone());
                }
            }
        }
        Value::Object(out)
    }

    /// Whether `block` in defaults-only mode (the proposal with configured defaults applied) would
    /// differ from `prior`, without building it where the comparison can be made in place.
    fn differs(&mut self, block: &Block, prior: &Value, proposed: &Value, config: &Value) -> bool {
        if !matches!(proposed, Value::Object(_)) {
            return proposed != prior;
        }
        if !matches!(prior, Value::Object(_)) {
            return true;
        }
        let order = members::order(block);
        let prop_slots = Slots::of(block, &order, proposed);
        let has_sets = block.blocks.iter().any(|nb| nb.nesting == Nesting::Set);
        if prop_slots.has_extra() || has_sets {
            // Carried-over entries and set matching: compare what the defaults pass builds.
            let built = self.block(block, prior, proposed, config, &LazyPath::Root, false);
            return built != *prior;
        }
        let prior_slots = if std::ptr::eq(prior, proposed) {
            None
        } else {
            Some(Slots::of(block, &order, prior))
        };
        let prior_slots = prior_slots.as_ref().unwrap_or(&prop_slots);
        if !prior_slots.is_exact(order.len()) {
            return true;
        }
        let config_slots = Slots::of(block, &order, config);
        for (i, a) in block.attributes.iter().enumerate() {
            let (pri, prop, cfg) = (prior_slots.get(i), prop_slots.get(i), config_slots.get(i));
            let planned = match &a.default {
                Some(d) if a.computed && cfg.is_null() => d,
                _ => prop,
            };
            if !std::ptr::eq(planned, pri) && planned != pri {
                return true;
            }
        }
        let na = block.attributes.len();
        for (j, nb) in block.blocks.iter().enumerate() {
            let (pri, prop, cfg) = (
                prior_slots.get(na + j),
                prop_slots.get(na + j),
                config_slots.get(na + j),
            );
            let changed = match (nb.nesting, prop) {
                (_, Value::Unknown | Value::Null) => prop != pri,
                (Nesting::Single | Nesting::Group, _) => self.differs(&nb.block, pri, prop, cfg),
                (Nesting::List, Value::List(items)) => match pri {
                    Value::List(prior_items) if prior_items.len() == items.len() => items
                        .iter()
                        .zip(prior_items)
                        .enumerate()
                        .any(|(i, (e, pe))| {
                            let ce = cfg.elements().get(i).unwrap_or(&Value::Null);
                            self.differs(&nb.block, pe, e, ce)
                        }),
                    _ => true,
                },
                (Nesting::Map, Value::Map(m)) => match pri {
                    Value::Map(prior_m) if prior_m.len() == m.len() => {
                        m.iter().zip(prior_m).any(|((k, e), (pk, pe))| {
                            k != pk || {
                                let ce = cfg.entries().and_then(|x| x.get(k));
                                self.differs(&nb.block, pe, e, ce.unwrap_or(&Value::Null))
                            }
                        })
                    }
                    _ => true,
                },
                _ => prop != pri,
            };
            if changed {
                return true;
            }
        }
        false
    }

    fn attribute(
        &mut self,
        a: &Attribute,
        prior: &Value,
        proposed: &Value,
        config: &Value,
        path: &LazyPath<'_>,
        element_create: bool,
    ) -> Value {
        if !self.full {
            return match &a.default {
                Some(d) if a.computed && config.is_null() => d.clone(),
                _ => proposed.clone(),
            };
        }
        let from_config = !a.computed || !config.is_null();
        let mut planned = if !a.computed {
            proposed.clone()
        } else if !config.is_null() {
            config.clone()
        } else if let Some(d) = &a.default {
            d.clone()
        } else if element_create {
            Value::Unknown
        } else if let Some(effects) = &a.changes_with {
            if self.effects.any_of(effects) {
                Value::Unknown
            } else {
                prior.clone()
            }
        } else if !self.has_changes || (a.optional && !prior.is_null()) {
            // A known null would bind apply to return null; with changes pending, leave it open.
            prior.clone()
        } else {
            Value::Unknown
        };
        if !a.plan_modifiers.is_empty() {
            let path = path.materialize();
            let req = AttributePlanRequest {
                path: &path,
                attribute: a,
                config,
                prior,
                proposed,
                resource_create: self.create,
                element_create,
                resource_has_changes: self.has_changes,
            };
            let mut resp = AttributePlanResponse {
                planned,
                requires_replace: false,
                diagnostics: Diagnostics::new(),
            };
            for m in &a.plan_modifiers {
                m.modify(&req, &mut resp);
            }
            planned = resp.planned;
            self.result.diagnostics.extend(resp.diagnostics);
            if resp.requires_replace {
                self.result.require_replace(path);
            }
        }
        if let Some(imm) = &a.immutable {
            if !self.create && (from_config || a.default.is_some()) {
                self.immutable_change(imm, path, &a.name, a.sensitive, prior, &planned);
            }
        }
        planned
    }

    fn immutable_change(
        &mut self,
        imm: &Immutable,
        path: &LazyPath<'_>,
        name: &str,
        sensitive: bool,
        prior: &Value,
        planned: &Value,
    ) {
        if values_surely_equal(planned, prior) {
            return;
        }
        if self.input.replace_allowed {
            self.result.require_replace(path.materialize());
            return;
        }
        if !planned.is_wholly_known() {
            // May not change at all; the plan at apply time sees the real value and decides then.
            return;
        }
        let path = path.materialize();
        let shown = if path.is_empty() {
            name.to_string()
        } else {
            path.to_string()
        };
        let mut detail = if sensitive {
            format!("`{shown}` cannot be changed in place.")
        } else {
            format!("`{shown}` cannot be changed in place (from {prior} to {planned}).")
        };
        if let Some(hint) = imm.hint.as_deref().or(self.input.default_immutable_hint) {
            detail.push(' ');
            detail.push_str(hint);
        } else {
            detail.push_str(" Revert it to its previous value.");
        }
        self.result
            .diagnostics
            .error_at(path, format!("Cannot change `{name}` in place"), detail);
    }
}

fn take_match<'v>(pool: &mut Vec<&'v Value>, pred: impl Fn(&Value) -> bool) -> Option<&'v Value> {
    let i = pool.iter().position(|v| pred(v))?;
    Some(pool.remove(i))
}

/// The value with every computed attribute nulled (recursively): what the configuration controls.
/// Used to correlate set elements and to detect changes of immutable blocks.
pub(crate) fn config_projection(block: &Block, v: &Value) -> Value {
    let Value::Object(attrs) = v else {
        return v.clone();
    };
    let mut out = attrs.clone();
    for a in &block.attributes {
        if a.computed {
            out.insert(a.name.clone(), Value::Null);
        }
    }
    for nb in &block.blocks {
        out.insert(
            nb.type_name.clone(),
            project_nested(&nb.block, v.get_attr(&nb.type_name)),
        );
    }
    Value::Object(out)
}

/// `config_projection` of a nested block's value in any nesting mode.
fn project_nested(block: &Block, v: &Value) -> Value {
    match v {
        Value::List(items) => {
            Value::List(items.iter().map(|e| config_projection(block, e)).collect())
        }
        Value::Set(items) => Value::set(items.iter().map(|e| config_projection(block, e))),
        Value::Map(m) => Value::Map(
            m.iter()
                .map(|(k, e)| (k.clone(), config_projection(block, e)))
                .collect(),
        ),
        other => config_projection(block, other),
    }
}

#[cfg(test)]
#[path = "plan_tests.rs"]
mod tests;
