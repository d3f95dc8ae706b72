//! Type-guided streaming JSON decode: parses straight into [`Value`] without a `serde_json::Value` tree.
//!
//! It only has to be right when it succeeds: any failure (bad JSON, a type mismatch, an odd number) makes
//! the caller run the tree-based decoder, which words the error exactly as it always has. Leaves are
//! still converted by that decoder, so string/number/bool coercions cannot drift between the two paths.

use std::borrow::Cow;
use std::fmt;

use serde::de::{self, DeserializeSeed, Deserializer, IgnoredAny, MapAccess, SeqAccess, Visitor};
use serde_json::Value as J;

use super::Decoder;
use crate::tf::codec::LazyPath;
use crate::tf::keymap::{self, KeyMap};
use crate::tf::types::{AttrCursor, Type};
use crate::tf::value::Value;

/// serde_json (with `arbitrary_precision`) hands a number to `deserialize_any` as a one-entry map under
/// this key; a map starting with it is left to the tree decoder, which knows what to make of it.
const NUMBER_TOKEN: &str = "$serde_json::private::Number";

/// The decoded value, or `None` when the tree-based decoder must decide (and word any error).
pub(super) fn decode(bytes: &[u8], ty: &Type, lenient: bool) -> Option<Value> {
    let mut de = serde_json::Deserializer::from_slice(bytes);
    let v = Seed { ty, lenient }.deserialize(&mut de).ok()?;
    de.end().ok()?;
    Some(v)
}

#[derive(Clone, Copy)]
struct Seed<'t> {
    ty: &'t Type,
    lenient: bool,
}

/// The error carries nothing: the fallback decoder produces the real one.
fn bail<E: de::Error>() -> E {
    E::custom("")
}

impl<'de> DeserializeSeed<'de> for Seed<'_> {
    type Value = Value;

    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<Value, D::Error> {
        match self.ty {
            Type::String | Type::Number | Type::Bool | Type::Dynamic => {
                let j: J = serde::Deserialize::deserialize(d)?;
                Decoder {
                    lenient: self.lenient,
                }
                .value(j, self.ty, &LazyPath::Root)
                .map_err(|_| bail())
            }
            _ => d.deserialize_any(self),
        }
    }
}

impl<'de> Visitor<'de> for Seed<'_> {
    type Value = Value;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "a JSON value of type {}", self.ty)
    }

    fn visit_unit<E: de::Error>(self) -> Result<Value, E> {
        Ok(Value::Null)
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Value, A::Error> {
        let at = |ty| Seed {
            ty,
            lenient: self.lenient,
        };
        match self.ty {
            Type::List(e) | Type::Set(e) => {
                let mut items = Vec::with_capacity(seq.size_hint().unwrap_or(0).min(64));
                while let Some(v) = seq.next_element_seed(at(e))? {
                    items.push(v);
                }
                Ok(if matches!(self.ty, Type::List(_)) {
                    Value::List(items)
                } else {
                    Value::set(items)
                })
            }
            Type::Tuple(ts) => {
                let mut items = Vec::with_capacity(ts.len());
                for t in ts {
                    items.push(seq.next_element_seed(at(t))?.ok_or_else(bail)?);
                }
                match seq.next_element::<IgnoredAny>()? {
                    None => Ok(Value::Tuple(items)),
                    Some(_) => Err(bail()),
                }
            }
            _ => Err(bail()),
        }
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Value, A::Error> {
        let at = |ty| Seed {
            ty,
            lenient: self.lenient,
        };
        match self.ty {
            Type::Map(e) => {
                let mut entries = Vec::new();
                while let Some(Key(k)) = map.next_key()? {
                    if entries.is_empty() && k == NUMBER_TOKEN {
                        return Err(bail());
                    }
                    entries.push((keymap::Key::from(k.as_ref()), map.next_value_seed(at(e))?));
                }
                // `from_entries` keeps the last of duplicate keys, as the parsed document did.
                Ok(Value::Map(KeyMap::from_entries(entries)))
            }
            Type::Object(attrs) => {
                // State JSON lists attributes in the type's sorted order: walk the type beside it, one
                // comparison per key, absent attributes becoming null on the way. Out-of-order keys fall
                // back to a lookup; `from_entries` sorts and keeps the last of duplicates.
                let mut entries = Vec::with_capacity(attrs.len());
                let mut cursor = AttrCursor::new(attrs);
                let mut first = true;
                while let Some(Key(k)) = map.next_key()? {
                    if first && k == NUMBER_TOKEN {
                        return Err(bail());
                    }
                    first = false;
                    let t = cursor.type_of(k.as_ref(), &mut entries);
                    match t {
                        Some((name, t)) => {
                            entries.push((name.clone(), map.next_value_seed(at(t))?))
                        }
                        None if self.lenient => {
                            map.next_value::<IgnoredAny>()?;
                        }
                        None => return Err(bail()),
                    }
                }
                cursor.finish(&mut entries);
                Ok(Value::Object(KeyMap::from_entries(entries)))
            }
            _ => Err(bail()),
        }
    }
}

/// An object key, borrowed from the input when it has no escapes.
struct Key<'de>(Cow<'de, str>);

impl<'de> de::Deserialize<'de> for Key<'de> {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        d.deserialize_str(KeyVisitor)
    }
}

struct KeyVisitor;

impl<'de> Visitor<'de> for KeyVisitor {
    type Value = Key<'de>;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("an object key")
    }

    fn visit_borrowed_str<E: de::Error>(self, s: &'de str) -> Result<Key<'de>, E> {
        Ok(Key(Cow::Borrowed(s)))
    }

    fn visit_str<E: de::Error>(self, s: &str) -> Result<Key<'de>, E> {
        Ok(Key(Cow::Owned(s.to_string())))
    }

    fn visit_string<E: de::Error>(self, s: String) -> Result<Key<'de>, E> {
        Ok(Key(Cow::Owned(s)))
    }
}
