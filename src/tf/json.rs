//! cty's JSON encoding of values: `RawState.json` (stored state) and `DynamicValue.json`.
//!
//! JSON cannot carry unknowns. Numbers are read from their exact text (serde_json's
//! `arbitrary_precision`), so big integers and decimals survive.

use serde_json::Value as J;

use super::codec::{CodecError, LazyPath};
use super::number::Number;
use super::path::AttributePath;
use super::types::Type;
use super::value::{KeyMap, Value};

mod normal;
mod transcode;
mod typed;

pub use normal::decoded_is_normal;
pub use transcode::transcode_state;

/// Decodes strictly: attributes the type does not have are an error.
pub fn decode(bytes: &[u8], ty: &Type) -> Result<Value, CodecError> {
    decode_with(bytes, ty, false)
}

/// Decodes stored state, ignoring attributes the current schema no longer has.
pub fn decode_lenient(bytes: &[u8], ty: &Type) -> Result<Value, CodecError> {
    decode_with(bytes, ty, true)
}

/// [`decode_lenient`] on the fast path only: `None` when the input needs the full decoder, which is
/// also the one that words errors. Lets a caller keep its own error handling for the rare cases.
pub fn try_decode_lenient(bytes: &[u8], ty: &Type) -> Option<Value> {
    typed::decode(bytes, ty, true)
}

fn decode_with(bytes: &[u8], ty: &Type, lenient: bool) -> Result<Value, CodecError> {
    if let Some(v) = typed::decode(bytes, ty, lenient) {
        return Ok(v);
    }
    decode_tree(bytes, ty, lenient)
}

/// The decoder through a parsed document: the reference for [`typed`] and the one that words errors.
fn decode_tree(bytes: &[u8], ty: &Type, lenient: bool) -> Result<Value, CodecError> {
    let j: J = serde_json::from_slice(bytes)
        .map_err(|e| CodecError::new(&AttributePath::empty(), format!("invalid JSON: {e}")))?;
    decode_value(j, ty, lenient)
}

/// Decodes an already parsed JSON document against `ty`, consuming it.
pub fn decode_value(j: J, ty: &Type, lenient: bool) -> Result<Value, CodecError> {
    Decoder { lenient }.value(j, ty, &LazyPath::Root)
}

pub fn encode(v: &Value, ty: &Type) -> Result<Vec<u8>, CodecError> {
    Ok(encode_value(v, ty)?.to_string().into_bytes())
}

pub fn encode_value(v: &Value, ty: &Type) -> Result<J, CodecError> {
    enc(v, ty, &LazyPath::Root)
}

struct Decoder {
    lenient: bool,
}

fn json_kind(j: &J) -> &'static str {
    match j {
        J::Null => "null",
        J::Bool(_) => "bool",
        J::Number(_) => "number",
        J::String(_) => "string",
        J::Array(_) => "array",
        J::Object(_) => "object",
    }
}

impl Decoder {
    /// Takes the document by value so that strings and keys move into the result instead of being copied.
    fn value(&self, j: J, ty: &Type, path: &LazyPath<'_>) -> Result<Value, CodecError> {
        if j.is_null() {
            return Ok(Value::Null);
        }
        let kind = json_kind(&j);
        let mismatch = || CodecError::at(path, format!("expected {ty}, found JSON {kind}"));
        match ty {
            // cty converts JSON primitives to string the same way.
            Type::String => match j {
                J::String(s) => Ok(Value::String(s)),
                J::Number(n) => Ok(Value::String(n.to_string())),
                J::Bool(b) => Ok(Value::String(b.to_string())),
                _ => Err(mismatch()),
            },
            Type::Number => {
                let text = match j {
                    J::Number(n) => n.to_string(),
                    J::String(s) => s,
                    _ => return Err(mismatch()),
                };
                Number::parse(&text)
                    .map(Value::Number)
                    .map_err(|e| CodecError::at(path, e.to_string()))
            }
            Type::Bool => match j {
                J::Bool(b) => Ok(Value::Bool(b)),
                J::String(s) if s == "true" => Ok(Value::Bool(true)),
                J::String(s) if s == "false" => Ok(Value::Bool(false)),
                _ => Err(mismatch()),
            },
            Type::List(e) | Type::Set(e) => {
                let J::Array(items) = j else {
                    return Err(mismatch());
                };
                let is_list = matches!(ty, Type::List(_));
                let vals = items
                    .into_iter()
                    .enumerate()
                    .map(|(i, x)| {
                        if is_list {
                            self.value(x, e, &path.index(i as i64))
                        } else {
                            self.value(x, e, path)
                        }
                    })
                    .collect::<Result<Vec<_>, _>>()?;
                Ok(if is_list {
                    Value::List(vals)
                } else {
                    Value::set(vals)
                })
            }
            Type::Tuple(ts) => {
                let J::Array(items) = j else {
                    return Err(mismatch());
                };
                if items.len() != ts.len() {
                    return Err(CodecError::at(
                        path,
                        format!(
                            "expected a tuple of {} elements, found {}",
                            ts.len(),
                            items.len()
                        ),
                    ));
                }
                let vals = items
                    .into_iter()
                    .zip(ts)
                    .enumerate()
                    .map(|(i, (x, t))| self.value(x, t, &path.index(i as i64)));
                Ok(Value::Tuple(vals.collect::<Result<_, _>>()?))
            }
            Type::Map(e) => {
                let J::Object(m) = j else {
                    return Err(mismatch());
                };
                let mut out = KeyMap::new();
                for (k, x) in m {
                    let v = self.value(x, e, &path.key(&k))?;
                    out.insert(k, v);
                }
                Ok(Value::Map(out))
            }
            Type::Object(attrs) => {
                let J::Object(m) = j else {
                    return Err(mismatch());
                };
                let mut out = KeyMap::new();
                for (k, x) in m {
                    let p = path.attr(&k);
                    match attrs.get(&k) {
                        Some(t) => {
                            let v = self.value(x, t, &p)?;
                            out.insert(k, v);
                        }
                        None if self.lenient => {}
                        None => return Err(CodecError::at(&p, "unsupported attribute")),
                    }
                }
                if out.len() < attrs.len() {
                    for k in attrs.keys() {
                        if !out.contains_key(k) {
                            out.insert(k, Value::Null);
                        }
                    }
                }
                Ok(Value::Object(out))
            }
            Type::Dynamic => {
                let J::Object(mut m) = j else {
                    return Err(mismatch());
                };
                let (Some(t), Some(v)) = (m.remove("type"), m.remove("value")) else {
                    return Err(CodecError::at(
                        path,
                        "a dynamic value must be an object with \"type\" and \"value\"",
                    ));
                };
                let concrete =
                    Type::from_json_value(&t).map_err(|e| CodecError::at(path, e.to_string()))?;
                self.value(v, &concrete, path)
            }
        }
    }
}

fn enc(v: &Value, ty: &Type, path: &LazyPath<'_>) -> Result<J, CodecError> {
    let mismatch = || CodecError::at(path, format!("cannot encode this value as {ty}"));
    Ok(match (ty, v) {
        (_, Value::Unknown) => {
            return Err(CodecError::at(
                path,
                "unknown values cannot be encoded as JSON",
            ))
        }
        (_, Value::Null) => J::Null,
        (Type::String, Value::String(s)) => J::String(s.clone()),
        (Type::Number, Value::Number(n)) => {
            let num: serde_json::Number = n
                .to_decimal_string()
                .parse()
                .map_err(|_| CodecError::at(path, "number not representable in JSON"))?;
            J::Number(num)
        }
        (Type::Bool, Value::Bool(b)) => J::Bool(*b),
        (Type::List(e), Value::List(items)) => J::Array(
            items
                .iter()
                .enumerate()
                .map(|(i, x)| enc(x, e, &path.index(i as i64)))
                .collect::<Result<_, _>>()?,
        ),
        (Type::Set(e), Value::Set(items)) => J::Array(
            items
                .iter()
                .map(|x| enc(x, e, path))
                .collect::<Result<_, _>>()?,
        ),
        (Type::Tuple(ts), Value::Tuple(items)) if ts.len() == items.len() => J::Array(
            items
                .iter()
                .zip(ts)
                .enumerate()
                .map(|(i, (x, t))| enc(x, t, &path.index(i as i64)))
                .collect::<Result<_, _>>()?,
        ),
        (Type::Map(e), Value::Map(m)) => J::Object(
            m.iter()
                .map(|(k, x)| Ok((k.to_string(), enc(x, e, &path.key(k))?)))
                .collect::<Result<_, CodecError>>()?,
        ),
        (Type::Object(attrs), Value::Object(m)) => {
            if let Some(extra) = m.keys().find(|k| !attrs.contains_key(k)) {
                return Err(CodecError::at(
                    &path.attr(extra),
                    "attribute is not in the schema",
                ));
            }
            J::Object(
                attrs
                    .iter()
                    .map(|(k, t)| Ok((k.to_string(), enc(v.get_attr(k), t, &path.attr(k))?)))
                    .collect::<Result<_, CodecError>>()?,
            )
        }
        (Type::Dynamic, v) => {
            let concrete = v.infer_type().ok_or_else(|| {
                CodecError::at(
                    path,
                    "cannot infer one element type for a collection in a dynamic value",
                )
            })?;
            let mut m = serde_json::Map::new();
            m.insert("value".into(), enc(v, &concrete, path)?);
            m.insert("type".into(), concrete.to_json_value());
            J::Object(m)
        }
        _ => return Err(mismatch()),
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::tf::types::strategy::any_type;
    use crate::tf::value::strategy::typed_value;
    use proptest::prelude::*;

    fn state_type() -> Type {
        Type::object([
            ("id", Type::String),
            ("size", Type::Number),
            ("tags", Type::map(Type::String)),
            ("on", Type::Bool),
        ])
    }

    #[test]
    fn decodes_raw_state() {
        let raw = br#"{
  "id": "abc",
  "size": 12345678901234567890123,
  "tags": {"a": "b"},
  "old_attr": 1
}"#;
        assert!(decode(raw, &state_type()).is_err());
        let v = decode_lenient(raw, &state_type()).unwrap();
        assert_eq!(v.get_attr("id").as_str(), Some("abc"));
        assert_eq!(
            v.get_attr("size")
                .as_number()
                .map(|n| n.to_string())
                .as_deref(),
            Some("12345678901234567890123")
        );
        assert!(v.get_attr("on").is_null());
        assert_eq!(v.get_attr("old_attr"), &Value::Null);
    }

    #[test]
    fn decimals_stay_exact() {
        let v = decode(b"0.1000000000000000000000001", &Type::Number).unwrap();
        assert_eq!(
            encode(&v, &Type::Number).unwrap(),
            b"0.1000000000000000000000001"
        );
    }

    #[test]
    fn dynamic_uses_value_and_type() {
        let v = decode(
            br#"{"value":["a"],"type":["list","string"]}"#,
            &Type::Dynamic,
        )
        .unwrap();
        assert_eq!(v, Value::list([Value::from("a")]));
        assert_eq!(
            encode(&v, &Type::Dynamic).unwrap(),
            br#"{"value":["a"],"type":["list","string"]}"#
        );
    }

    #[test]
    fn unknowns_are_refused() {
        assert!(encode(&Value::Unknown, &Type::String).is_err());
    }

    fn fill(v: &Value, ty: &Type) -> Value {
        match (ty, v) {
            (Type::Object(attrs), Value::Object(_)) => Value::Object(
                attrs
                    .iter()
                    .map(|(k, t)| (k.clone(), fill(v.get_attr(k), t)))
                    .collect(),
            ),
            (Type::List(e), Value::List(items)) => {
                Value::List(items.iter().map(|x| fill(x, e)).collect())
            }
            (Type::Set(e), Value::Set(items)) => Value::set(items.iter().map(|x| fill(x, e))),
            (Type::Map(e), Value::Map(m)) => {
                Value::Map(m.iter().map(|(k, x)| (k.clone(), fill(x, e))).collect())
            }
            (Type::Tuple(ts), Value::Tuple(items)) => {
                Value::Tuple(items.iter().zip(ts).map(|(x, t)| fill(x, t)).collect())
            }
            _ => v.clone(),
        }
    }

    /// Reverses every object's keys and, with `extra`, adds that key (value 1) to each: input off the
    /// fast path's in-order walk, and unknown attributes for the lenient/strict split.
    fn reorder(j: J, extra: Option<&str>) -> J {
        match j {
            J::Object(m) => {
                let mut out: serde_json::Map<String, J> = serde_json::Map::new();
                if let Some(x) = extra {
                    out.insert(x.to_string(), J::from(1));
                }
                let items: Vec<_> = m.into_iter().collect();
                for (k, v) in items.into_iter().rev() {
                    out.insert(k, reorder(v, extra));
                }
                J::Object(out)
            }
            J::Array(items) => J::Array(items.into_iter().map(|x| reorder(x, extra)).collect()),
            other => other,
        }
    }

    fn notebook_value() -> impl Strategy<Value = (Type, Value)> {
        let ty = crate::resources::notebook::schema().value_type();
        crate::tf::value::strategy::value_of(&ty).prop_map(move |v| (ty.clone(), v))
    }

    /// Whenever the streaming decoder answers, it answers what the document-tree decoder does.
    fn agree(bytes: &[u8], ty: &Type) -> Result<(), TestCaseError> {
        for lenient in [false, true] {
            if let Some(fast) = typed::decode(bytes, ty, lenient) {
                prop_assert_eq!(Ok(fast), decode_tree(bytes, ty, lenient));
            }
        }
        Ok(())
    }

    #[test]
    fn fast_path_declines_number_lookalikes() {
        let ty = Type::object([("a", Type::String)]);
        let doc = br#"{"$serde_json::private::Number":"1"}"#;
        assert_eq!(typed::decode(doc, &ty, true), None);
        assert_eq!(decode_lenient(doc, &ty), decode_tree(doc, &ty, true));
    }

    #[test]
    fn fast_path_keeps_the_last_duplicate() {
        let ty = Type::object([("a", Type::String), ("m", Type::map(Type::Number))]);
        let doc = br#"{"a":"x","m":{"k":1,"k":2},"a":"y"}"#;
        let v = typed::decode(doc, &ty, false).unwrap();
        assert_eq!(Ok(v.clone()), decode_tree(doc, &ty, false));
        assert_eq!(v.get_attr("a").as_str(), Some("y"));
    }

    fn notebook_block() -> crate::tf::schema::Block {
        crate::resources::notebook::schema().block
    }

    #[test]
    fn normalised_state_is_recognised_as_normal() {
        let block = notebook_block();
        let ty = block.value_type();
        let v = crate::tf::conform::normalize(&block, &Value::object::<&str>([]));
        let back = decode_lenient(&encode(&v, &ty).unwrap(), &ty).unwrap();
        assert!(decoded_is_normal(&block, &back));
        // A list block stored as null still needs normalising.
        let mut missing = back.clone();
        let list_block = block
            .blocks
            .iter()
            .find(|b| b.nesting == crate::tf::schema::Nesting::List)
            .unwrap();
        missing.set_attr(list_block.type_name.clone(), Value::Null);
        assert!(!decoded_is_normal(&block, &missing));
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(256))]

        #[test]
        fn fast_path_matches_tree_decoder((ty, v) in prop_oneof![typed_value(), notebook_value()],
                                          other in any_type(), extra in prop::option::of("[a-z_]{1,6}"),
                                          idx in any::<usize>(), byte in any::<u8>()) {
            let v = v.unknown_as_null();
            let bytes = encode(&v, &ty).unwrap();
            // Well-formed state in the usual order never needs the fallback.
            prop_assert_eq!(typed::decode(&bytes, &ty, true), Some(fill(&v, &ty)));
            agree(&bytes, &ty)?;
            agree(&bytes, &other)?;
            let j: J = serde_json::from_slice(&bytes).unwrap();
            let odd = reorder(j, extra.as_deref()).to_string().into_bytes();
            agree(&odd, &ty)?;
            if extra.is_none() {
                prop_assert_eq!(typed::decode(&odd, &ty, false), Some(fill(&v, &ty)));
            }
            let mut bad = bytes.clone();
            let i = idx % bad.len();
            bad[i] = byte;
            agree(&bad, &ty)?;
            bad.truncate(i);
            agree(&bad, &ty)?;
        }

        /// Skipping normalisation is only taken when normalising would change nothing.
        #[test]
        fn normal_form_check_is_sound((ty, v) in notebook_value(), normalise in any::<bool>()) {
            let block = notebook_block();
            let v = v.unknown_as_null();
            let v = if normalise { crate::tf::conform::normalize(&block, &v) } else { v };
            let back = typed::decode(&encode(&v, &ty).unwrap(), &ty, true).unwrap();
            if decoded_is_normal(&block, &back) {
                let normalised = crate::tf::conform::normalize(&block, &back);
                prop_assert_eq!(crate::tf::msgpack::encode(&normalised, &ty), crate::tf::msgpack::encode(&back, &ty));
                prop_assert_eq!(normalised, back);
            } else {
                prop_assert!(!normalise, "a normalised state must be recognised as normal");
            }
        }

        #[test]
        fn fast_path_agrees_on_arbitrary_text(ty in any_type(), s in "[\\[\\]{}:,\"a-z0-9.eE+ -]{0,48}") {
            agree(s.as_bytes(), &ty)?;
        }
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(512))]

        #[test]
        fn round_trips_known_values((ty, v) in typed_value().prop_map(|(t, v)| (t, v.unknown_as_null()))) {
            let bytes = encode(&v, &ty).unwrap();
            prop_assert_eq!(decode(&bytes, &ty).unwrap(), fill(&v, &ty));
        }

        #[test]
        fn decoder_never_panics(ty in any_type(), s in "\\PC{0,64}") {
            let _ = decode(s.as_bytes(), &ty);
            let _ = decode_lenient(s.as_bytes(), &ty);
        }
    }
}
