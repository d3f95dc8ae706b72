//! The schema model resources declare: attributes with their behaviour (validators, defaults, plan
//! modifiers, immutability) and nested blocks. One shared engine (`plan`, `validate`) applies it.

use std::collections::BTreeSet;
use std::sync::Arc;

use super::diag::Diagnostics;
use super::members::OrderCache;
use super::path::AttributePath;
use super::plan::{PlanModifier, RequiresReplace, UpdateForecast, UseStateForUnknown};
use super::protocol;
use super::types::Type;
use super::validate::{BlockValidator, Validator};
use super::value::{KeyMap, Value};

/// A resource, data source or provider schema.
#[derive(Clone, Default)]
pub struct Schema {
    /// State version; bump it together with a `Resource::upgrade_state` step.
    pub version: i64,
    pub block: Block,
}

impl Schema {
    pub fn new(block: Block) -> Schema {
        Schema { version: 0, block }
    }

    pub fn version(mut self, version: i64) -> Schema {
        self.version = version;
        self
    }

    pub fn value_type(&self) -> Type {
        self.block.value_type()
    }

    pub fn to_protocol(&self) -> protocol::Schema {
        protocol::Schema {
            version: self.version,
            block: self.block.to_protocol(),
        }
    }
}

/// Attributes plus nested block types. Descriptions are Markdown.
#[derive(Clone, Default)]
pub struct Block {
    pub attributes: Vec<Attribute>,
    pub blocks: Vec<NestedBlock>,
    pub description: String,
    pub deprecated: bool,
    pub validators: Vec<Arc<dyn BlockValidator>>,
    /// Root block only: what an update will do, for attributes declared with `Attribute::changes_with`.
    pub forecast: Option<Arc<dyn UpdateForecast>>,
    /// Members in name order, for walks in lockstep with object values (see `members`).
    pub(crate) order_cache: OrderCache,
}

impl Block {
    pub fn new() -> Block {
        Block::default()
    }

    pub fn description(mut self, markdown: impl Into<String>) -> Block {
        self.description = markdown.into();
        self
    }

    pub fn deprecated(mut self) -> Block {
        self.deprecated = true;
        self
    }

    pub fn attribute(mut self, a: Attribute) -> Block {
        self.attributes.push(a);
        self.order_cache = OrderCache::default();
        self
    }

    pub fn attributes(mut self, attrs: impl IntoIterator<Item = Attribute>) -> Block {
        self.attributes.extend(attrs);
        self.order_cache = OrderCache::default();
        self
    }

    pub fn block(mut self, b: NestedBlock) -> Block {
        self.blocks.push(b);
        self.order_cache = OrderCache::default();
        self
    }

    /// A cross-attribute rule, e.g. `validate::conflicts_with(["a", "b"])`.
    pub fn validator(mut self, v: impl BlockValidator + 'static) -> Block {
        self.validators.push(Arc::new(v));
        self
    }

    /// Declares the resource's update forecast (see `plan::UpdateForecast`); only read on the root block.
    pub fn forecast(mut self, f: impl UpdateForecast + 'static) -> Block {
        self.forecast = Some(Arc::new(f));
        self
    }

    pub fn get_attribute(&self, name: &str) -> Option<&Attribute> {
        self.attributes.iter().find(|a| a.name == name)
    }

    pub fn get_block(&self, name: &str) -> Option<&NestedBlock> {
        self.blocks.iter().find(|b| b.type_name == name)
    }

    /// The object type of this block's value: one attribute per attribute and per nested block type.
    pub fn value_type(&self) -> Type {
        // Member keys: the decoded values, the plan engine and this type then share one key per name.
        let na = self.attributes.len();
        let mut attrs: KeyMap<Type> = self
            .attributes
            .iter()
            .enumerate()
            .map(|(i, a)| (super::members::member_key(self, i), a.ty.clone()))
            .collect();
        for (j, b) in self.blocks.iter().enumerate() {
            let inner = b.block.value_type();
            let t = match b.nesting {
                Nesting::Single | Nesting::Group => inner,
                Nesting::List => Type::list(inner),
                Nesting::Set => Type::set(inner),
                Nesting::Map => Type::map(inner),
            };
            attrs.insert(super::members::member_key(self, na + j), t);
        }
        Type::Object(attrs)
    }

    /// A block value with every attribute null and every collection block empty: a starting point
    /// for building state in `read`/`import`.
    pub fn empty_value(&self) -> Value {
        super::conform::normalize(self, &Value::Object(KeyMap::new()))
    }

    pub fn to_protocol(&self) -> protocol::SchemaBlock {
        protocol::SchemaBlock {
            version: 0,
            attributes: self.attributes.iter().map(Attribute::to_protocol).collect(),
            block_types: self.blocks.iter().map(NestedBlock::to_protocol).collect(),
            description: self.description.clone(),
            description_kind: protocol::StringKind::Markdown,
            deprecated: self.deprecated,
        }
    }

    /// Checks the rules Terraform enforces on schemas (names, attribute modes, nesting limits) and the
    /// framework's own (defaults fit the type). Run at server construction; failures are provider bugs.
    pub fn check(&self, path: &AttributePath) -> Diagnostics {
        let mut diags = Diagnostics::new();
        let mut seen = BTreeSet::new();
        let bug = |diags: &mut Diagnostics, p: &AttributePath, msg: String| {
            diags.error_at(
                p.clone(),
                "Invalid provider schema",
                format!("{p}: {msg}. This is a bug in the provider."),
            );
        };
        for a in &self.attributes {
            let p = path.clone().attr(a.name.clone());
            if !valid_name(&a.name) {
                bug(&mut diags, &p, "names must match ^[a-z0-9_]+$".into());
            }
            if !seen.insert(a.name.as_str()) {
                bug(&mut diags, &p, "duplicate name".into());
            }
            match (a.required, a.optional, a.computed) {
                (true, false, false) | (false, true, _) | (false, false, true) => {}
                _ => bug(&mut diags, &p, "an attribute is exactly one of required, optional, computed, or optional+computed".into()),
            }
            if a.changes_with.is_some() && (!a.computed || a.default.is_some()) {
                bug(
                    &mut diags,
                    &p,
                    "changes_with needs a computed attribute without a default".into(),
                );
            }
            if let Some(d) = &a.default {
                if !(a.optional && a.computed) {
                    bug(&mut diags, &p, "a default needs optional+computed".into());
                }
                if d.is_null() || !d.is_wholly_known() || d.check_type(&a.ty).is_err() {
                    bug(
                        &mut diags,
                        &p,
                        format!("the default {d} is not a known {} value", a.ty),
                    );
                }
            }
        }
        for b in &self.blocks {
            let p = path.clone().attr(b.type_name.clone());
            if !valid_name(&b.type_name) {
                bug(&mut diags, &p, "names must match ^[a-z0-9_]+$".into());
            }
            if !seen.insert(b.type_name.as_str()) {
                bug(&mut diags, &p, "duplicate name".into());
            }
            let limits_ok = match b.nesting {
                Nesting::Single => {
                    b.min_items <= 1 && b.max_items <= 1 && (b.min_items == 0 || b.max_items == 1)
                }
                Nesting::Group | Nesting::Map => b.min_items == 0 && b.max_items == 0,
                Nesting::List | Nesting::Set => {
                    b.min_items >= 0
                        && b.max_items >= 0
                        && (b.max_items == 0 || b.min_items <= b.max_items)
                }
            };
            if !limits_ok {
                bug(
                    &mut diags,
                    &p,
                    format!(
                        "invalid min_items/max_items {}/{} for {:?} nesting",
                        b.min_items, b.max_items, b.nesting
                    ),
                );
            }
            diags.extend(b.block.check(&p));
        }
        diags
    }
}

fn valid_name(name: &str) -> bool {
    !name.is_empty()
        && name
            .bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'_')
}

/// How a value that was immutable is allowed to change.
#[derive(Clone, Debug, Default)]
pub struct Immutable {
    /// Shown in the plan error, e.g. how to force a replacement. Falls back to the provider-wide hint.
    pub hint: Option<String>,
}

#[derive(Clone)]
pub struct Attribute {
    pub name: String,
    pub ty: Type,
    pub description: String,
    pub required: bool,
    pub optional: bool,
    pub computed: bool,
    pub sensitive: bool,
    pub deprecated: bool,
    /// Planned when the configuration leaves the attribute null (create and update alike).
    pub default: Option<Value>,
    pub validators: Vec<Arc<dyn Validator>>,
    pub plan_modifiers: Vec<Arc<dyn PlanModifier>>,
    pub immutable: Option<Immutable>,
    /// Computed value that an update changes only through these effects of the resource's forecast.
    pub changes_with: Option<Vec<&'static str>>,
}

impl Attribute {
    /// An attribute of type `ty`; give it a mode with `.required()`, `.optional()` and/or `.computed()`
    /// (the schema check rejects an attribute without one).
    pub fn new(name: impl Into<String>, ty: Type) -> Attribute {
        Attribute {
            name: name.into(),
            ty,
            description: String::new(),
            required: false,
            optional: false,
            computed: false,
            sensitive: false,
            deprecated: false,
            default: None,
            validators: Vec::new(),
            plan_modifiers: Vec::new(),
            immutable: None,
            changes_with: None,
        }
    }

    pub fn string(name: impl Into<String>) -> Attribute {
        Attribute::new(name, Type::String)
    }

    pub fn number(name: impl Into<String>) -> Attribute {
        Attribute::new(name, Type::Number)
    }

    /// A number that must be a whole number.
    pub fn int64(name: impl Into<String>) -> Attribute {
        Attribute::new(name, Type::Number).validator(super::validate::is_integer())
    }

    pub fn bool(name: impl Into<String>) -> Attribute {
        Attribute::new(name, Type::Bool)
    }

    pub fn list(name: impl Into<String>, elem: Type) -> Attribute {
        Attribute::new(name, Type::list(elem))
    }

    pub fn set(name: impl Into<String>, elem: Type) -> Attribute {
        Attribute::new(name, Type::set(elem))
    }

    pub fn map(name: impl Into<String>, elem: Type) -> Attribute {
        Attribute::new(name, Type::map(elem))
    }

    pub fn required(mut self) -> Attribute {
        (self.required, self.optional, self.computed) = (true, false, false);
        self
    }

    pub fn optional(mut self) -> Attribute {
        (self.required, self.optional) = (false, true);
        self
    }

    /// Alone: computed-only (set by the provider). With `.optional()`: optional+computed.
    pub fn computed(mut self) -> Attribute {
        (self.required, self.computed) = (false, true);
        self
    }

    pub fn sensitive(mut self) -> Attribute {
        self.sensitive = true;
        self
    }

    pub fn deprecated(mut self) -> Attribute {
        self.deprecated = true;
        self
    }

    pub fn description(mut self, markdown: impl Into<String>) -> Attribute {
        self.description = markdown.into();
        self
    }

    /// Planned whenever the configuration leaves the attribute null; makes it optional+computed.
    pub fn default(mut self, v: impl Into<Value>) -> Attribute {
        self.default = Some(v.into());
        (self.required, self.optional, self.computed) = (false, true, true);
        self
    }

    pub fn validator(mut self, v: impl Validator + 'static) -> Attribute {
        self.validators.push(Arc::new(v));
        self
    }

    pub fn plan_modifier(mut self, m: impl PlanModifier + 'static) -> Attribute {
        self.plan_modifiers.push(Arc::new(m));
        self
    }

    /// Keep the prior value of a computed attribute instead of planning it unknown on updates.
    pub fn use_state_for_unknown(self) -> Attribute {
        self.plan_modifier(UseStateForUnknown)
    }

    /// A computed value that an update changes only through one of `effects`, as named by the root block's
    /// forecast (`Block::forecast`): the plan keeps the prior value (null included) unless the forecast
    /// names one of them, and is unknown otherwise. `&[]`: never changes after creation.
    pub fn changes_with(mut self, effects: &[&'static str]) -> Attribute {
        self.changes_with = Some(effects.to_vec());
        self
    }

    /// Any change replaces the resource (Terraform's classic ForceNew).
    pub fn requires_replace(self) -> Attribute {
        self.plan_modifier(RequiresReplace)
    }

    /// A change is a plan error, unless the resource allows replacement for this plan, in which case
    /// the change forces a replacement.
    pub fn immutable(mut self) -> Attribute {
        self.immutable.get_or_insert_with(Immutable::default);
        self
    }

    /// `immutable()` with a hint for the plan error (e.g. how to opt into replacement).
    pub fn immutable_hint(mut self, hint: impl Into<String>) -> Attribute {
        self.immutable = Some(Immutable {
            hint: Some(hint.into()),
        });
        self
    }

    pub fn to_protocol(&self) -> protocol::SchemaAttribute {
        protocol::SchemaAttribute {
            name: self.name.clone(),
            type_json: self.ty.to_json(),
            description: self.description.clone(),
            required: self.required,
            optional: self.optional,
            computed: self.computed,
            sensitive: self.sensitive,
            description_kind: protocol::StringKind::Markdown,
            deprecated: self.deprecated,
        }
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Nesting {
    /// At most one; absent = null.
    Single,
    /// Exactly one, always present; absent = object of nulls.
    Group,
    /// Ordered; absent = `[]`.
    List,
    /// Unordered; absent = `[]`; elements cannot be addressed in diagnostics.
    Set,
    /// Labelled; absent = `{}`.
    Map,
}

#[derive(Clone)]
pub struct NestedBlock {
    pub type_name: String,
    pub block: Block,
    pub nesting: Nesting,
    pub min_items: i64,
    pub max_items: i64,
    pub immutable: Option<Immutable>,
}

impl NestedBlock {
    pub fn new(type_name: impl Into<String>, nesting: Nesting, block: Block) -> NestedBlock {
        NestedBlock {
            type_name: type_name.into(),
            block,
            nesting,
            min_items: 0,
            max_items: 0,
            immutable: None,
        }
    }

    pub fn single(type_name: impl Into<String>, block: Block) -> NestedBlock {
        NestedBlock::new(type_name, Nesting::Single, block)
    }

    pub fn group(type_name: impl Into<String>, block: Block) -> NestedBlock {
        NestedBlock::new(type_name, Nesting::Group, block)
    }

    pub fn list(type_name: impl Into<String>, block: Block) -> NestedBlock {
        NestedBlock::new(type_name, Nesting::List, block)
    }

    pub fn set(type_name: impl Into<String>, block: Block) -> NestedBlock {
        NestedBlock::new(type_name, Nesting::Set, block)
    }

    pub fn map(type_name: impl Into<String>, block: Block) -> NestedBlock {
        NestedBlock::new(type_name, Nesting::Map, block)
    }

    pub fn min_items(mut self, n: i64) -> NestedBlock {
        self.min_items = n;
        self
    }

    pub fn max_items(mut self, n: i64) -> NestedBlock {
        self.max_items = n;
        self
    }

    /// A SINGLE block that must be present (min = max = 1).
    pub fn required(mut self) -> NestedBlock {
        (self.min_items, self.max_items) = (1, 1);
        self
    }

    /// Adding, removing or changing the block's non-computed content is immutable (see `Attribute::immutable`).
    pub fn immutable(mut self) -> NestedBlock {
        self.immutable.get_or_insert_with(Immutable::default);
        self
    }

    pub fn immutable_hint(mut self, hint: impl Into<String>) -> NestedBlock {
        self.immutable = Some(Immutable {
            hint: Some(hint.into()),
        });
        self
    }

    pub fn to_protocol(&self) -> protocol::SchemaNestedBlock {
        protocol::SchemaNestedBlock {
            type_name: self.type_name.clone(),
            block: self.block.to_protocol(),
            nesting: match self.nesting {
                Nesting::Single => protocol::NestingMode::Single,
                Nesting::Group => protocol::NestingMode::Group,
                Nesting::List => protocol::NestingMode::List,
                Nesting::Set => protocol::NestingMode::Set,
                Nesting::Map => protocol::NestingMode::Map,
            },
            min_items: self.min_items,
            max_items: self.max_items,
        }
    }
}
