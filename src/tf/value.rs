//! Values: the cty value model with null and unknown at every level.
//!
//! Values are untyped trees; the type always travels beside them (schema, codec argument), as in
//! terraform-plugin-go's split between values and schema. This keeps resource code free of type
//! bookkeeping: `Value::null()` is the null of any type. Set equality ignores order.

use std::fmt;

use super::codec::LazyPath;
pub use super::keymap::{Key, KeyMap};
use super::number::Number;
use super::path::{AttributePath, PathStep};
use super::types::Type;

#[derive(Clone, Debug, Default)]
pub enum Value {
    /// Not known until apply (cty's unknown; any msgpack extension on the wire).
    Unknown,
    #[default]
    Null,
    String(String),
    Number(Number),
    Bool(bool),
    List(Vec<Value>),
    /// Unordered; construct with [`Value::set`] so known duplicates are removed.
    Set(Vec<Value>),
    Map(KeyMap<Value>),
    Object(KeyMap<Value>),
    Tuple(Vec<Value>),
}

static NULL: Value = Value::Null;
static UNKNOWN: Value = Value::Unknown;

#[derive(Debug, thiserror::Error, PartialEq, Eq)]
#[error("cannot set {path}: {reason}")]
pub struct PathError {
    pub path: AttributePath,
    pub reason: String,
}

impl Value {
    pub fn null() -> Value {
        Value::Null
    }

    pub fn unknown() -> Value {
        Value::Unknown
    }

    /// Same as [`Value::null`]; the type is carried by the schema. Kept for readability at call sites.
    pub fn null_of(_ty: &Type) -> Value {
        Value::Null
    }

    /// Same as [`Value::unknown`]; the type is carried by the schema.
    pub fn unknown_of(_ty: &Type) -> Value {
        Value::Unknown
    }

    pub fn string(s: impl Into<String>) -> Value {
        Value::String(s.into())
    }

    pub fn number(n: impl Into<Number>) -> Value {
        Value::Number(n.into())
    }

    /// The exact value of `f`; `None` for NaN and infinities. Prefer echoing config numbers over
    /// round-tripping them through f64: `0.1` in HCL is not the float64 `0.1`.
    pub fn from_f64(f: f64) -> Option<Value> {
        Number::from_f64(f).ok().map(Value::Number)
    }

    pub fn bool(b: bool) -> Value {
        Value::Bool(b)
    }

    pub fn list(items: impl IntoIterator<Item = Value>) -> Value {
        Value::List(items.into_iter().collect())
    }

    /// A set; wholly known duplicates are dropped (unknown elements may turn out distinct, so they stay).
    pub fn set(items: impl IntoIterator<Item = Value>) -> Value {
        let mut out: Vec<Value> = Vec::new();
        for v in items {
            if v.is_wholly_known() && out.iter().any(|o| o == &v) {
                continue;
            }
            out.push(v);
        }
        Value::Set(out)
    }

    pub fn map<K: Into<Key>>(entries: impl IntoIterator<Item = (K, Value)>) -> Value {
        Value::Map(entries.into_iter().collect())
    }

    pub fn object<K: Into<Key>>(attrs: impl IntoIterator<Item = (K, Value)>) -> Value {
        Value::Object(attrs.into_iter().collect())
    }

    pub fn tuple(items: impl IntoIterator<Item = Value>) -> Value {
        Value::Tuple(items.into_iter().collect())
    }

    pub fn is_null(&self) -> bool {
        matches!(self, Value::Null)
    }

    pub fn is_unknown(&self) -> bool {
        matches!(self, Value::Unknown)
    }

    /// Known at the top level (elements may still be unknown).
    pub fn is_known(&self) -> bool {
        !self.is_unknown()
    }

    /// No unknown anywhere inside.
    pub fn is_wholly_known(&self) -> bool {
        match self {
            Value::Unknown => false,
            Value::List(v) | Value::Set(v) | Value::Tuple(v) => {
                v.iter().all(Value::is_wholly_known)
            }
            Value::Map(m) | Value::Object(m) => m.values().all(Value::is_wholly_known),
            _ => true,
        }
    }

    /// Attribute `name` of an object. Missing attributes and attributes of null read as null;
    /// attributes of an unknown object read as unknown.
    pub fn get_attr(&self, name: &str) -> &Value {
        match self {
            Value::Object(m) => m.get(name).unwrap_or(&NULL),
            Value::Unknown => &UNKNOWN,
            _ => &NULL,
        }
    }

    pub fn get_attr_mut(&mut self, name: &str) -> Option<&mut Value> {
        match self {
            Value::Object(m) => m.get_mut(name),
            _ => None,
        }
    }

    /// Sets attribute `name` of an object; does nothing on other values.
    pub fn set_attr<K: AsRef<str> + Into<Key>>(&mut self, name: K, v: Value) {
        if let Value::Object(m) = self {
            m.insert(name.into(), v);
        }
    }

    pub fn as_str(&self) -> Option<&str> {
        match self {
            Value::String(s) => Some(s),
            _ => None,
        }
    }

    pub fn as_number(&self) -> Option<&Number> {
        match self {
            Value::Number(n) => Some(n),
            _ => None,
        }
    }

    /// The number as i64 if it is an integer in range.
    pub fn as_i64(&self) -> Option<i64> {
        self.as_number().and_then(Number::as_i64)
    }

    pub fn as_f64(&self) -> Option<f64> {
        self.as_number().map(Number::as_f64)
    }

    pub fn as_bool(&self) -> Option<bool> {
        match self {
            Value::Bool(b) => Some(*b),
            _ => None,
        }
    }

    /// Elements of a list, set or tuple; empty for anything else (including null and unknown).
    pub fn elements(&self) -> &[Value] {
        match self {
            Value::List(v) | Value::Set(v) | Value::Tuple(v) => v,
            _ => &[],
        }
    }

    /// Entries of a map or attributes of an object.
    pub fn entries(&self) -> Option<&KeyMap<Value>> {
        match self {
            Value::Map(m) | Value::Object(m) => Some(m),
            _ => None,
        }
    }

    /// Number of elements of a known collection.
    pub fn length(&self) -> Option<usize> {
        match self {
            Value::List(v) | Value::Set(v) | Value::Tuple(v) => Some(v.len()),
            Value::Map(m) | Value::Object(m) => Some(m.len()),
            _ => None,
        }
    }

    /// A string list / set as Rust strings; `None` if the value is not a known collection of known strings.
    pub fn as_string_vec(&self) -> Option<Vec<String>> {
        match self {
            Value::List(v) | Value::Set(v) => {
                v.iter().map(|e| e.as_str().map(str::to_string)).collect()
            }
            _ => None,
        }
    }

    pub fn get_path(&self, path: &AttributePath) -> Option<&Value> {
        let mut cur = self;
        for step in &path.steps {
            cur = match (step, cur) {
                (PathStep::Attr(a), Value::Object(m)) => m.get(a)?,
                (PathStep::Index(i), Value::List(v) | Value::Tuple(v)) => {
                    v.get(usize::try_from(*i).ok()?)?
                }
                (PathStep::Key(k), Value::Map(m)) => m.get(k)?,
                _ => return None,
            };
        }
        Some(cur)
    }

    pub fn get_path_mut(&mut self, path: &AttributePath) -> Option<&mut Value> {
        let mut cur = self;
        for step in &path.steps {
            cur = match (step, cur) {
                (PathStep::Attr(a), Value::Object(m)) => m.get_mut(a)?,
                (PathStep::Index(i), Value::List(v) | Value::Tuple(v)) => {
                    v.get_mut(usize::try_from(*i).ok()?)?
                }
                (PathStep::Key(k), Value::Map(m)) => m.get_mut(k)?,
                _ => return None,
            };
        }
        Some(cur)
    }

    /// Replaces the value at `path`. Object attributes and map keys are inserted if missing; list indexes
    /// must exist. The empty path replaces the whole value.
    pub fn set_path(&mut self, path: &AttributePath, v: Value) -> Result<(), PathError> {
        let Some((last, parent_steps)) = path.steps.split_last() else {
            *self = v;
            return Ok(());
        };
        let parent_path = AttributePath {
            steps: parent_steps.to_vec(),
        };
        let err = |reason: &str| PathError {
            path: path.clone(),
            reason: reason.to_string(),
        };
        let parent = self
            .get_path_mut(&parent_path)
            .ok_or_else(|| err("the parent does not exist"))?;
        match (last, parent) {
            (PathStep::Attr(a), Value::Object(m)) => {
                m.insert(a.clone(), v);
            }
            (PathStep::Key(k), Value::Map(m)) => {
                m.insert(k.clone(), v);
            }
            (PathStep::Index(i), Value::List(items) | Value::Tuple(items)) => {
                let slot = usize::try_from(*i)
                    .ok()
                    .and_then(|i| items.get_mut(i))
                    .ok_or_else(|| err("index out of range"))?;
                *slot = v;
            }
            _ => return Err(err("the parent is not a collection of that kind")),
        }
        Ok(())
    }

    /// Replaces every unknown with null (what Terraform does to an invalid apply result).
    pub fn unknown_as_null(&self) -> Value {
        match self {
            Value::Unknown => Value::Null,
            Value::List(v) => Value::List(v.iter().map(Value::unknown_as_null).collect()),
            Value::Set(v) => Value::set(v.iter().map(Value::unknown_as_null)),
            Value::Tuple(v) => Value::Tuple(v.iter().map(Value::unknown_as_null).collect()),
            Value::Map(m) => Value::Map(
                m.iter()
                    .map(|(k, v)| (k.clone(), v.unknown_as_null()))
                    .collect(),
            ),
            Value::Object(m) => Value::Object(
                m.iter()
                    .map(|(k, v)| (k.clone(), v.unknown_as_null()))
                    .collect(),
            ),
            other => other.clone(),
        }
    }

    /// Paths of every unknown inside (stopping at sets, whose elements have no path).
    pub fn unknown_paths(&self) -> Vec<AttributePath> {
        let mut out = Vec::new();
        collect_unknown(self, &LazyPath::Root, &mut out);
        out
    }

    /// The most specific type that describes this value, for encoding it in a `dynamic` slot.
    /// Null and unknown say nothing (`dynamic`); collections whose elements disagree yield `None`.
    pub fn infer_type(&self) -> Option<Type> {
        match self {
            Value::Unknown | Value::Null => Some(Type::Dynamic),
            Value::String(_) => Some(Type::String),
            Value::Number(_) => Some(Type::Number),
            Value::Bool(_) => Some(Type::Bool),
            Value::List(v) => Some(Type::list(unify_all(v.iter())?)),
            Value::Set(v) => Some(Type::set(unify_all(v.iter())?)),
            Value::Map(m) => Some(Type::map(unify_all(m.values())?)),
            Value::Object(m) => Some(Type::Object(
                m.iter()
                    .map(|(k, v)| Some((k.clone(), v.infer_type()?)))
                    .collect::<Option<_>>()?,
            )),
            Value::Tuple(v) => Some(Type::Tuple(
                v.iter().map(Value::infer_type).collect::<Option<_>>()?,
            )),
        }
    }

    /// Checks that the value fits `ty`; the error names the first offending path.
    pub fn check_type(&self, ty: &Type) -> Result<(), (AttributePath, String)> {
        check_type_at(self, ty, &LazyPath::Root)
    }
}

fn collect_unknown(v: &Value, path: &LazyPath<'_>, out: &mut Vec<AttributePath>) {
    match v {
        Value::Unknown => out.push(path.materialize()),
        Value::List(items) | Value::Tuple(items) => {
            for (i, e) in items.iter().enumerate() {
                collect_unknown(e, &path.index(i as i64), out);
            }
        }
        Value::Set(items) if !items.iter().all(Value::is_wholly_known) => {
            out.push(path.materialize())
        }
        Value::Map(m) => {
            for (k, e) in m {
                collect_unknown(e, &path.key(k), out);
            }
        }
        Value::Object(m) => {
            for (k, e) in m {
                collect_unknown(e, &path.attr(k), out);
            }
        }
        _ => {}
    }
}

fn unify_all<'a>(values: impl Iterator<Item = &'a Value>) -> Option<Type> {
    let mut ty = Type::Dynamic;
    for v in values {
        ty = unify(&ty, &v.infer_type()?)?;
    }
    Some(ty)
}

/// The type both `a` and `b` fit, where `dynamic` stands for "anything" (from a null or unknown).
fn unify(a: &Type, b: &Type) -> Option<Type> {
    match (a, b) {
        (Type::Dynamic, t) | (t, Type::Dynamic) => Some(t.clone()),
        (Type::List(x), Type::List(y)) => Some(Type::list(unify(x, y)?)),
        (Type::Set(x), Type::Set(y)) => Some(Type::set(unify(x, y)?)),
        (Type::Map(x), Type::Map(y)) => Some(Type::map(unify(x, y)?)),
        (Type::Object(x), Type::Object(y)) => {
            if x.len() != y.len() {
                return None;
            }
            let mut out = KeyMap::new();
            for (k, tx) in x {
                out.insert(k.clone(), unify(tx, y.get(k)?)?);
            }
            Some(Type::Object(out))
        }
        (Type::Tuple(x), Type::Tuple(y)) if x.len() == y.len() => Some(Type::Tuple(
            x.iter()
                .zip(y)
                .map(|(a, b)| unify(a, b))
                .collect::<Option<_>>()?,
        )),
        (x, y) if x == y => Some(x.clone()),
        _ => None,
    }
}

fn check_type_at(v: &Value, ty: &Type, path: &LazyPath<'_>) -> Result<(), (AttributePath, String)> {
    let mismatch = || {
        Err((
            path.materialize(),
            format!("expected {ty}, got {}", kind_name(v)),
        ))
    };
    match (ty, v) {
        (_, Value::Null | Value::Unknown) => Ok(()),
        (Type::Dynamic, v) => match v.infer_type() {
            Some(_) => Ok(()),
            None => Err((
                path.materialize(),
                "collection elements of different types in a dynamic value".into(),
            )),
        },
        (Type::String, Value::String(_))
        | (Type::Number, Value::Number(_))
        | (Type::Bool, Value::Bool(_)) => Ok(()),
        (Type::List(e), Value::List(items)) => items
            .iter()
            .enumerate()
            .try_for_each(|(i, x)| check_type_at(x, e, &path.index(i as i64))),
        (Type::Set(e), Value::Set(items)) => {
            items.iter().try_for_each(|x| check_type_at(x, e, path))
        }
        (Type::Map(e), Value::Map(m)) => m
            .iter()
            .try_for_each(|(k, x)| check_type_at(x, e, &path.key(k))),
        (Type::Object(attrs), Value::Object(m)) => {
            if let Some(extra) = m.keys().find(|k| !attrs.contains_key(k)) {
                return Err((
                    path.attr(extra).materialize(),
                    "attribute not in the schema".into(),
                ));
            }
            attrs
                .iter()
                .try_for_each(|(k, t)| check_type_at(v.get_attr(k), t, &path.attr(k)))
        }
        (Type::Tuple(ts), Value::Tuple(items)) => {
            if ts.len() != items.len() {
                return Err((
                    path.materialize(),
                    format!("expected {} tuple elements, got {}", ts.len(), items.len()),
                ));
            }
            items
                .iter()
                .zip(ts)
                .enumerate()
                .try_for_each(|(i, (x, t))| check_type_at(x, t, &path.index(i as i64)))
        }
        _ => mismatch(),
    }
}

/// The kind of value, as error messages name it.
pub(crate) fn kind_name(v: &Value) -> &'static str {
    match v {
        Value::Unknown => "unknown",
        Value::Null => "null",
        Value::String(_) => "string",
        Value::Number(_) => "number",
        Value::Bool(_) => "bool",
        Value::List(_) => "list",
        Value::Set(_) => "set",
        Value::Map(_) => "map",
        Value::Object(_) => "object",
        Value::Tuple(_) => "tuple",
    }
}

impl PartialEq for Value {
    fn eq(&self, other: &Value) -> bool {
        match (self, other) {
            (Value::Unknown, Value::Unknown) | (Value::Null, Value::Null) => true,
            (Value::String(a), Value::String(b)) => a == b,
            (Value::Number(a), Value::Number(b)) => a == b,
            (Value::Bool(a), Value::Bool(b)) => a == b,
            (Value::List(a), Value::List(b)) | (Value::Tuple(a), Value::Tuple(b)) => a == b,
            (Value::Set(a), Value::Set(b)) => {
                a.iter().all(|x| b.contains(x)) && b.iter().all(|y| a.contains(y))
            }
            (Value::Map(a), Value::Map(b)) | (Value::Object(a), Value::Object(b)) => a == b,
            _ => false,
        }
    }
}

impl From<&str> for Value {
    fn from(s: &str) -> Value {
        Value::String(s.to_string())
    }
}

impl From<String> for Value {
    fn from(s: String) -> Value {
        Value::String(s)
    }
}

impl From<bool> for Value {
    fn from(b: bool) -> Value {
        Value::Bool(b)
    }
}

impl From<Number> for Value {
    fn from(n: Number) -> Value {
        Value::Number(n)
    }
}

macro_rules! value_from_int {
    ($($t:ty),*) => {$(
        impl From<$t> for Value {
            fn from(v: $t) -> Value {
                Value::Number(Number::from(v))
            }
        }
    )*};
}
value_from_int!(i64, i32, u64, u32, u16, u8);

impl<T: Into<Value>> From<Option<T>> for Value {
    fn from(v: Option<T>) -> Value {
        v.map_or(Value::Null, Into::into)
    }
}

/// HCL-like rendering for diagnostics: `"text"`, `42`, `[1, 2]`, `{ a = 1 }`, `(known after apply)`.
impl fmt::Display for Value {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fn seq(
            f: &mut fmt::Formatter<'_>,
            open: &str,
            items: &[Value],
            close: &str,
        ) -> fmt::Result {
            f.write_str(open)?;
            for (i, v) in items.iter().enumerate() {
                if i > 0 {
                    f.write_str(", ")?;
                }
                write!(f, "{v}")?;
            }
            f.write_str(close)
        }
        match self {
            Value::Unknown => f.write_str("(known after apply)"),
            Value::Null => f.write_str("null"),
            Value::String(s) => write!(f, "{s:?}"),
            Value::Number(n) => write!(f, "{n}"),
            Value::Bool(b) => write!(f, "{b}"),
            Value::List(v) | Value::Tuple(v) => seq(f, "[", v, "]"),
            Value::Set(v) => seq(f, "toset([", v, "])"),
            Value::Map(m) | Value::Object(m) => {
                f.write_str("{")?;
                for (i, (k, v)) in m.iter().enumerate() {
                    f.write_str(if i > 0 { ", " } else { " " })?;
                    write!(f, "{k} = {v}")?;
                }
                f.write_str(if m.is_empty() { "}" } else { " }" })
            }
        }
    }
}

#[cfg(test)]
pub(crate) mod strategy {
    use super::*;
    use proptest::prelude::*;

    pub fn any_number() -> impl Strategy<Value = Number> {
        prop_oneof![
            any::<i64>().prop_map(Number::from),
            any::<u64>().prop_map(Number::from),
            any::<f64>().prop_filter_map("finite", |f| Number::from_f64(f).ok()),
            ("-?[1-9][0-9]{0,40}", "[0-9]{0,25}")
                .prop_map(|(i, f)| Number::parse(&format!("{i}.{f}1")).unwrap()),
            "[1-9][0-9]{18,40}".prop_map(|s| Number::parse(&s).unwrap()),
        ]
    }

    /// Known, non-null values of `ty`, with null and unknown allowed nested anywhere.
    pub fn value_of(ty: &Type) -> BoxedStrategy<Value> {
        let known = known_of(ty);
        prop_oneof![1 => Just(Value::Null), 1 => Just(Value::Unknown), 6 => known].boxed()
    }

    pub fn known_of(ty: &Type) -> BoxedStrategy<Value> {
        match ty {
            Type::String => "\\PC{0,12}".prop_map(Value::String).boxed(),
            Type::Number => any_number().prop_map(Value::Number).boxed(),
            Type::Bool => any::<bool>().prop_map(Value::Bool).boxed(),
            Type::Dynamic => super::super::types::strategy::any_type()
                .prop_filter("no nested dynamic", |t| !t.has_dynamic())
                .prop_flat_map(|t| known_of(&t))
                .boxed(),
            Type::List(e) => prop::collection::vec(value_of(e), 0..4)
                .prop_map(Value::List)
                .boxed(),
            Type::Set(e) => prop::collection::vec(value_of(e), 0..4)
                .prop_map(Value::set)
                .boxed(),
            Type::Map(e) => prop::collection::btree_map("[a-z]{0,4}", value_of(e), 0..4)
                .prop_map(|m| Value::Map(m.into_iter().collect()))
                .boxed(),
            Type::Object(attrs) => {
                let parts: Vec<_> = attrs
                    .iter()
                    .map(|(k, t)| (Just(k.clone()), value_of(t)))
                    .collect();
                parts
                    .prop_map(|kv| Value::Object(kv.into_iter().collect()))
                    .boxed()
            }
            Type::Tuple(ts) => ts
                .iter()
                .map(value_of)
                .collect::<Vec<_>>()
                .prop_map(Value::Tuple)
                .boxed(),
        }
    }

    /// A type together with a value of it.
    pub fn typed_value() -> impl Strategy<Value = (Type, Value)> {
        super::super::types::strategy::any_type().prop_flat_map(|t| {
            let v = value_of(&t);
            (Just(t), v)
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sample() -> Value {
        Value::object([
            ("name", Value::from("nb")),
            (
                "volume",
                Value::list([Value::object([
                    ("size", Value::from(5)),
                    ("type", Value::Unknown),
                ])]),
            ),
            ("tags", Value::map([("a", Value::from("1"))])),
            ("ids", Value::set([Value::from("x"), Value::from("y")])),
        ])
    }

    #[test]
    fn accessors() {
        let v = sample();
        assert_eq!(v.get_attr("name").as_str(), Some("nb"));
        assert!(v.get_attr("missing").is_null());
        assert!(Value::Unknown.get_attr("x").is_unknown());
        assert_eq!(
            v.get_attr("volume").elements()[0].get_attr("size").as_i64(),
            Some(5)
        );
        assert!(v.is_known());
        assert!(!v.is_wholly_known());
        assert_eq!(v.get_attr("ids").as_string_vec().map(|s| s.len()), Some(2));
        assert_eq!(Value::from(Option::<String>::None), Value::Null);
        assert_eq!(Value::from_f64(0.5).and_then(|v| v.as_f64()), Some(0.5));
        assert!(Value::from_f64(f64::INFINITY).is_none());
    }

    #[test]
    fn get_and_set_by_path() {
        let mut v = sample();
        let p = AttributePath::root("volume").index(0).attr("size");
        assert_eq!(v.get_path(&p), Some(&Value::from(5)));
        v.set_path(&p, Value::from(10)).unwrap();
        assert_eq!(v.get_path(&p).and_then(Value::as_i64), Some(10));
        v.set_path(&AttributePath::root("tags").key("b"), Value::from("2"))
            .unwrap();
        assert_eq!(v.get_attr("tags").entries().map(|m| m.len()), Some(2));
        assert!(v
            .set_path(
                &AttributePath::root("volume").index(3).attr("size"),
                Value::Null
            )
            .is_err());
        assert!(v
            .set_path(&AttributePath::root("name").attr("x"), Value::Null)
            .is_err());
        assert_eq!(v.get_path(&AttributePath::root("volume").index(-1)), None);
        assert_eq!(
            v.unknown_paths(),
            vec![AttributePath::root("volume").index(0).attr("type")]
        );
    }

    #[test]
    fn sets_compare_unordered_and_dedupe() {
        let a = Value::set([Value::from(1), Value::from(2), Value::from(1)]);
        assert_eq!(a.elements().len(), 2);
        assert_eq!(a, Value::set([Value::from(2), Value::from(1)]));
        assert_ne!(a, Value::list([Value::from(1), Value::from(2)]));
        assert_ne!(a, Value::set([Value::from(2)]));
        assert_eq!(
            Value::set([Value::Unknown, Value::Unknown])
                .elements()
                .len(),
            2
        );
    }

    #[test]
    fn infers_and_checks_types() {
        let v = Value::list([Value::Null, Value::from("a")]);
        assert_eq!(v.infer_type(), Some(Type::list(Type::String)));
        assert_eq!(
            Value::list([Value::from("a"), Value::from(1)]).infer_type(),
            None
        );
        assert_eq!(
            Value::list([]).infer_type(),
            Some(Type::list(Type::Dynamic))
        );
        let ty = Type::object([("name", Type::String), ("n", Type::Number)]);
        assert!(Value::object([("name", Value::from("x"))])
            .check_type(&ty)
            .is_ok());
        let err = Value::object([("name", Value::from(1))])
            .check_type(&ty)
            .unwrap_err();
        assert_eq!(err.0, AttributePath::root("name"));
        let err = Value::object([("other", Value::from(1))])
            .check_type(&ty)
            .unwrap_err();
        assert_eq!(err.1, "attribute not in the schema");
    }

    #[test]
    fn displays_like_hcl() {
        let v = Value::object([
            ("a", Value::from("x")),
            ("b", Value::list([Value::from(1), Value::Unknown])),
        ]);
        assert_eq!(
            v.to_string(),
            r#"{ a = "x", b = [1, (known after apply)] }"#
        );
    }
}
