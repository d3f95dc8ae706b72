//! cty value types and their compact JSON notation (schema `Attribute.type`, dynamic values).
//!
//! Terraform 1.0.3 panics on invalid type JSON, so the encoder works from this closed enum only and every
//! string it writes is built by serde_json; the decoder rejects anything outside cty's notation.

use std::fmt;

pub use super::keymap::{Key, KeyMap};

/// A cty type. Object attribute names are kept sorted, which is also cty's canonical order.
#[derive(Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Type {
    String,
    Number,
    Bool,
    /// cty's `DynamicPseudoType`: any type, chosen by the value. Encoded on the wire with its concrete type.
    Dynamic,
    List(Box<Type>),
    Set(Box<Type>),
    Map(Box<Type>),
    Object(KeyMap<Type>),
    Tuple(Vec<Type>),
}

/// Type JSON nested deeper than this is rejected; real schemas are a handful of levels deep.
const MAX_DEPTH: usize = 64;

#[derive(Debug, thiserror::Error, PartialEq, Eq)]
#[error("invalid type JSON: {0}")]
pub struct TypeJsonError(pub String);

impl Type {
    pub fn list(elem: Type) -> Type {
        Type::List(Box::new(elem))
    }
    pub fn set(elem: Type) -> Type {
        Type::Set(Box::new(elem))
    }
    pub fn map(elem: Type) -> Type {
        Type::Map(Box::new(elem))
    }
    pub fn object<K: Into<Key>>(attrs: impl IntoIterator<Item = (K, Type)>) -> Type {
        Type::Object(attrs.into_iter().collect())
    }
    pub fn tuple(elems: impl IntoIterator<Item = Type>) -> Type {
        Type::Tuple(elems.into_iter().collect())
    }

    /// The element type of a list, set or map.
    pub fn element_type(&self) -> Option<&Type> {
        match self {
            Type::List(e) | Type::Set(e) | Type::Map(e) => Some(e),
            _ => None,
        }
    }

    /// Whether `Dynamic` occurs anywhere in the type.
    pub fn has_dynamic(&self) -> bool {
        match self {
            Type::Dynamic => true,
            Type::String | Type::Number | Type::Bool => false,
            Type::List(e) | Type::Set(e) | Type::Map(e) => e.has_dynamic(),
            Type::Object(a) => a.values().any(Type::has_dynamic),
            Type::Tuple(e) => e.iter().any(Type::has_dynamic),
        }
    }

    pub fn to_json_value(&self) -> serde_json::Value {
        use serde_json::Value as J;
        match self {
            Type::String => J::from("string"),
            Type::Number => J::from("number"),
            Type::Bool => J::from("bool"),
            Type::Dynamic => J::from("dynamic"),
            Type::List(e) => J::Array(vec![J::from("list"), e.to_json_value()]),
            Type::Set(e) => J::Array(vec![J::from("set"), e.to_json_value()]),
            Type::Map(e) => J::Array(vec![J::from("map"), e.to_json_value()]),
            Type::Object(a) => {
                let attrs = a
                    .iter()
                    .map(|(k, t)| (k.to_string(), t.to_json_value()))
                    .collect();
                J::Array(vec![J::from("object"), J::Object(attrs)])
            }
            Type::Tuple(e) => J::Array(vec![
                J::from("tuple"),
                J::Array(e.iter().map(Type::to_json_value).collect()),
            ]),
        }
    }

    /// Compact type JSON, e.g. `["list","string"]`.
    pub fn to_json(&self) -> Vec<u8> {
        self.to_json_value().to_string().into_bytes()
    }

    pub fn from_json(bytes: &[u8]) -> Result<Type, TypeJsonError> {
        let v: serde_json::Value =
            serde_json::from_slice(bytes).map_err(|e| TypeJsonError(e.to_string()))?;
        Type::from_json_value(&v)
    }

    pub fn from_json_value(v: &serde_json::Value) -> Result<Type, TypeJsonError> {
        from_json_at(v, 0)
    }
}

fn from_json_at(v: &serde_json::Value, depth: usize) -> Result<Type, TypeJsonError> {
    use serde_json::Value as J;
    if depth > MAX_DEPTH {
        return Err(TypeJsonError("type nested too deeply".into()));
    }
    match v {
        J::String(s) => match s.as_str() {
            "string" => Ok(Type::String),
            "number" => Ok(Type::Number),
            "bool" => Ok(Type::Bool),
            "dynamic" => Ok(Type::Dynamic),
            other => Err(TypeJsonError(format!("unknown primitive type {other:?}"))),
        },
        J::Array(items) => {
            let [kind, arg] = items.as_slice() else {
                return Err(TypeJsonError(format!(
                    "a complex type needs exactly 2 elements, got {}",
                    items.len()
                )));
            };
            let kind = kind
                .as_str()
                .ok_or_else(|| TypeJsonError("type kind must be a string".into()))?;
            match kind {
                "list" => Ok(Type::list(from_json_at(arg, depth + 1)?)),
                "set" => Ok(Type::set(from_json_at(arg, depth + 1)?)),
                "map" => Ok(Type::map(from_json_at(arg, depth + 1)?)),
                "object" => {
                    let J::Object(attrs) = arg else {
                        return Err(TypeJsonError(
                            "object attributes must be a JSON object".into(),
                        ));
                    };
                    let mut out = KeyMap::new();
                    for (k, t) in attrs {
                        out.insert(k.clone(), from_json_at(t, depth + 1)?);
                    }
                    Ok(Type::Object(out))
                }
                "tuple" => {
                    let J::Array(elems) = arg else {
                        return Err(TypeJsonError("tuple elements must be a JSON array".into()));
                    };
                    Ok(Type::Tuple(
                        elems
                            .iter()
                            .map(|t| from_json_at(t, depth + 1))
                            .collect::<Result<_, _>>()?,
                    ))
                }
                other => Err(TypeJsonError(format!("unknown type kind {other:?}"))),
            }
        }
        _ => Err(TypeJsonError("a type is a string or an array".into())),
    }
}

impl fmt::Display for Type {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Type::String => f.write_str("string"),
            Type::Number => f.write_str("number"),
            Type::Bool => f.write_str("bool"),
            Type::Dynamic => f.write_str("dynamic"),
            Type::List(e) => write!(f, "list({e})"),
            Type::Set(e) => write!(f, "set({e})"),
            Type::Map(e) => write!(f, "map({e})"),
            Type::Object(a) => {
                f.write_str("object({")?;
                for (i, (k, t)) in a.iter().enumerate() {
                    if i > 0 {
                        f.write_str(", ")?;
                    }
                    write!(f, "{k}={t}")?;
                }
                f.write_str("})")
            }
            Type::Tuple(e) => {
                f.write_str("tuple([")?;
                for (i, t) in e.iter().enumerate() {
                    if i > 0 {
                        f.write_str(", ")?;
                    }
                    write!(f, "{t}")?;
                }
                f.write_str("])")
            }
        }
    }
}

#[cfg(test)]
pub(crate) mod strategy {
    use super::Type;
    use proptest::prelude::*;

    /// Arbitrary types, nested a few levels, including `dynamic`.
    pub fn any_type() -> impl Strategy<Value = Type> {
        let leaf = prop_oneof![
            Just(Type::String),
            Just(Type::Number),
            Just(Type::Bool),
            Just(Type::Dynamic)
        ];
        leaf.prop_recursive(4, 24, 4, |inner| {
            prop_oneof![
                inner.clone().prop_map(Type::list),
                inner.clone().prop_map(Type::set),
                inner.clone().prop_map(Type::map),
                prop::collection::btree_map("[a-z_]{1,6}", inner.clone(), 0..4)
                    .prop_map(|m| Type::Object(m.into_iter().collect())),
                prop::collection::vec(inner, 0..3).prop_map(Type::Tuple),
            ]
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn encodes_compact_cty_notation() {
        assert_eq!(Type::String.to_json(), br#""string""#);
        assert_eq!(
            Type::set(Type::map(Type::Number)).to_json(),
            br#"["set",["map","number"]]"#
        );
        let obj = Type::object([("b", Type::Bool), ("a", Type::list(Type::Dynamic))]);
        assert_eq!(
            obj.to_json(),
            br#"["object",{"a":["list","dynamic"],"b":"bool"}]"#
        );
        assert_eq!(
            Type::tuple([Type::String, Type::Number]).to_json(),
            br#"["tuple",["string","number"]]"#
        );
        assert_eq!(
            Type::Object(Default::default()).to_json(),
            br#"["object",{}]"#
        );
    }

    #[test]
    fn rejects_invalid_type_json() {
        for bad in [
            &br#""str""#[..],
            br#"["list"]"#,
            br#"["list","string","x"]"#,
            br#"["object",["string"]]"#,
            br#"["tuple",{}]"#,
            br#"["frob","string"]"#,
            br#"42"#,
            br#"not json"#,
            br#"["object",{"a":"string"},["a"]]"#,
        ] {
            assert!(
                Type::from_json(bad).is_err(),
                "{}",
                String::from_utf8_lossy(bad)
            );
        }
        let deep = format!("{}\"string\"{}", "[\"list\",".repeat(100), "]".repeat(100));
        assert!(Type::from_json(deep.as_bytes()).is_err());
    }

    proptest! {
        #[test]
        fn type_json_round_trips(t in strategy::any_type()) {
            prop_assert_eq!(Type::from_json(&t.to_json()).unwrap(), t);
        }

        #[test]
        fn decoder_never_panics(bytes in prop::collection::vec(any::<u8>(), 0..64)) {
            let _ = Type::from_json(&bytes);
        }
    }
}

/// Walks an object type's attributes beside a stream of keys that usually arrives in the same (sorted) order:
/// one comparison per key instead of a lookup. Attributes the stream skips are pushed as nulls.
pub(crate) struct AttrCursor<'t> {
    attrs: &'t KeyMap<Type>,
    ahead: std::iter::Peekable<super::keymap::Iter<'t, Type>>,
}

impl<'t> AttrCursor<'t> {
    pub(crate) fn new(attrs: &'t KeyMap<Type>) -> AttrCursor<'t> {
        AttrCursor {
            attrs,
            ahead: attrs.iter().peekable(),
        }
    }

    /// The type's own key and the type of attribute `k` (`None`: not an attribute), pushing a null for every
    /// attribute passed over. A key out of order falls back to a lookup. Decoders store the type's key, not
    /// a copy of the input's.
    pub(crate) fn type_of(
        &mut self,
        k: &str,
        entries: &mut Vec<(Key, super::value::Value)>,
    ) -> Option<(&'t Key, &'t Type)> {
        while let Some(&(a, t)) = self.ahead.peek() {
            match a.as_str().cmp(k) {
                std::cmp::Ordering::Equal => {
                    self.ahead.next();
                    return Some((a, t));
                }
                std::cmp::Ordering::Less => {
                    entries.push((a.clone(), super::value::Value::Null));
                    self.ahead.next();
                }
                std::cmp::Ordering::Greater => break,
            }
        }
        self.attrs.get_key_value(k)
    }

    /// Pushes a null for every attribute not reached.
    pub(crate) fn finish(self, entries: &mut Vec<(Key, super::value::Value)>) {
        entries.extend(
            self.ahead
                .map(|(a, _)| (a.clone(), super::value::Value::Null)),
        );
    }
}
