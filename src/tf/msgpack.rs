//! cty's msgpack wire format for values (terraform `docs/plugin-protocol/object-wire-format.md`).
//!
//! Hand-written both ways: the format needs a dozen codes, and owning the reader makes it easy to
//! guarantee that arbitrary bytes yield an error, never a panic or a huge allocation.

use super::codec::{CodecError, LazyPath};
use super::number::Number;
use super::types::{AttrCursor, Type};
use super::value::{Key, KeyMap, Value};

static NULL: Value = Value::Null;

#[cfg(test)]
mod reference;

/// Decodes `bytes` as a value of `ty`. Any extension type is an unknown (≥1.6 sends refined unknowns as 12).
pub fn decode(bytes: &[u8], ty: &Type) -> Result<Value, CodecError> {
    let mut r = Reader { buf: bytes, pos: 0 };
    let root = LazyPath::Root;
    let v = r.value(ty, &root)?;
    if r.pos != bytes.len() {
        return Err(CodecError::at(
            &root,
            format!("{} trailing bytes after the value", bytes.len() - r.pos),
        ));
    }
    Ok(v)
}

/// Encodes `v` as `ty`: objects carry every attribute of the type, numbers use cty's int/float/string rule.
pub fn encode(v: &Value, ty: &Type) -> Result<Vec<u8>, CodecError> {
    // Most states are a few hundred bytes to a few KiB: start big enough to skip the first regrowths.
    let mut out = Vec::with_capacity(1024);
    write_value(&mut out, v, ty, &LazyPath::Root)?;
    Ok(out)
}

struct Reader<'a> {
    buf: &'a [u8],
    pos: usize,
}

enum Head {
    Nil,
    Bool(bool),
    Int(i64),
    Uint(u64),
    Float(f64),
    Str(usize),
    Bin(usize),
    Array(usize),
    Map(usize),
    Ext(usize),
}

impl<'a> Reader<'a> {
    fn err(&self, path: &LazyPath<'_>, msg: impl Into<String>) -> CodecError {
        CodecError::at(
            path,
            format!("{} (msgpack offset {})", msg.into(), self.pos),
        )
    }

    fn take(&mut self, n: usize, path: &LazyPath<'_>) -> Result<&'a [u8], CodecError> {
        let end = self
            .pos
            .checked_add(n)
            .filter(|e| *e <= self.buf.len())
            .ok_or_else(|| self.err(path, "unexpected end of msgpack data"))?;
        let s = &self.buf[self.pos..end];
        self.pos = end;
        Ok(s)
    }

    fn be(&mut self, n: usize, path: &LazyPath<'_>) -> Result<u64, CodecError> {
        Ok(self
            .take(n, path)?
            .iter()
            .fold(0u64, |acc, b| (acc << 8) | u64::from(*b)))
    }

    fn head(&mut self, path: &LazyPath<'_>) -> Result<Head, CodecError> {
        let b = self.take(1, path)?[0];
        Ok(match b {
            0x00..=0x7f => Head::Int(i64::from(b)),
            0x80..=0x8f => Head::Map(usize::from(b & 0x0f)),
            0x90..=0x9f => Head::Array(usize::from(b & 0x0f)),
            0xa0..=0xbf => Head::Str(usize::from(b & 0x1f)),
            0xc0 => Head::Nil,
            0xc2 => Head::Bool(false),
            0xc3 => Head::Bool(true),
            0xc4 => Head::Bin(self.be(1, path)? as usize),
            0xc5 => Head::Bin(self.be(2, path)? as usize),
            0xc6 => Head::Bin(self.be(4, path)? as usize),
            0xc7 => Head::Ext(self.be(1, path)? as usize + 1),
            0xc8 => Head::Ext(self.be(2, path)? as usize + 1),
            0xc9 => Head::Ext(self.be(4, path)? as usize + 1),
            0xca => Head::Float(f64::from(f32::from_bits(self.be(4, path)? as u32))),
            0xcb => Head::Float(f64::from_bits(self.be(8, path)?)),
            0xcc => Head::Uint(self.be(1, path)?),
            0xcd => Head::Uint(self.be(2, path)?),
            0xce => Head::Uint(self.be(4, path)?),
            0xcf => Head::Uint(self.be(8, path)?),
            0xd0 => Head::Int(i64::from(self.be(1, path)? as u8 as i8)),
            0xd1 => Head::Int(i64::from(self.be(2, path)? as u16 as i16)),
            0xd2 => Head::Int(i64::from(self.be(4, path)? as u32 as i32)),
            0xd3 => Head::Int(self.be(8, path)? as i64),
            0xd4 => Head::Ext(2),
            0xd5 => Head::Ext(3),
            0xd6 => Head::Ext(5),
            0xd7 => Head::Ext(9),
            0xd8 => Head::Ext(17),
            0xd9 => Head::Str(self.be(1, path)? as usize),
            0xda => Head::Str(self.be(2, path)? as usize),
            0xdb => Head::Str(self.be(4, path)? as usize),
            0xdc => Head::Array(self.be(2, path)? as usize),
            0xdd => Head::Array(self.be(4, path)? as usize),
            0xde => Head::Map(self.be(2, path)? as usize),
            0xdf => Head::Map(self.be(4, path)? as usize),
            0xe0..=0xff => Head::Int(i64::from(b as i8)),
            0xc1 => return Err(self.err(path, "invalid msgpack code 0xc1")),
        })
    }

    fn string(&mut self, len: usize, path: &LazyPath<'_>) -> Result<String, CodecError> {
        self.str(len, path).map(str::to_string)
    }

    /// A string borrowed from the input, validated once.
    fn str(&mut self, len: usize, path: &LazyPath<'_>) -> Result<&'a str, CodecError> {
        let bytes = self.take(len, path)?;
        std::str::from_utf8(bytes).map_err(|_| self.err(path, "string is not valid UTF-8"))
    }

    /// Caps pre-allocation by what the remaining input could possibly hold.
    fn capacity(&self, claimed: usize) -> usize {
        claimed.min(self.buf.len() - self.pos)
    }

    fn value(&mut self, ty: &Type, path: &LazyPath<'_>) -> Result<Value, CodecError> {
        let head = self.head(path)?;
        match head {
            Head::Nil => return Ok(Value::Null),
            Head::Ext(n) => {
                self.take(n, path)?;
                return Ok(Value::Unknown);
            }
            _ => {}
        }
        let mismatch =
            |r: &Self, what: &str| r.err(path, format!("expected {ty}, found msgpack {what}"));
        match ty {
            Type::String => match head {
                Head::Str(n) => Ok(Value::String(self.string(n, path)?)),
                _ => Err(mismatch(self, head_name(&head))),
            },
            Type::Bool => match head {
                Head::Bool(b) => Ok(Value::Bool(b)),
                _ => Err(mismatch(self, head_name(&head))),
            },
            Type::Number => match head {
                Head::Int(i) => Ok(Value::Number(Number::from(i))),
                Head::Uint(u) => Ok(Value::Number(Number::from(u))),
                Head::Float(f) => Number::from_f64(f)
                    .map(Value::Number)
                    .map_err(|e| self.err(path, e.to_string())),
                Head::Str(n) => {
                    let s = self.str(n, path)?;
                    Number::parse(s)
                        .map(Value::Number)
                        .map_err(|e| self.err(path, e.to_string()))
                }
                _ => Err(mismatch(self, head_name(&head))),
            },
            Type::List(e) | Type::Set(e) => {
                let Head::Array(n) = head else {
                    return Err(mismatch(self, head_name(&head)));
                };
                let mut items = Vec::with_capacity(self.capacity(n));
                let is_list = matches!(ty, Type::List(_));
                for i in 0..n {
                    let v = if is_list {
                        self.value(e, &path.index(i as i64))?
                    } else {
                        self.value(e, path)?
                    };
                    items.push(v);
                }
                Ok(if matches!(ty, Type::Set(_)) {
                    Value::set(items)
                } else {
                    Value::List(items)
                })
            }
            Type::Tuple(ts) => {
                let Head::Array(n) = head else {
                    return Err(mismatch(self, head_name(&head)));
                };
                if n != ts.len() {
                    return Err(self.err(
                        path,
                        format!("expected a tuple of {} elements, found {n}", ts.len()),
                    ));
                }
                let items = ts
                    .iter()
                    .enumerate()
                    .map(|(i, t)| self.value(t, &path.index(i as i64)))
                    .collect::<Result<_, _>>()?;
                Ok(Value::Tuple(items))
            }
            Type::Map(e) => {
                let Head::Map(n) = head else {
                    return Err(mismatch(self, head_name(&head)));
                };
                // Collected first: building the map in one go beats inserting entry by entry.
                let mut entries = Vec::with_capacity(self.capacity(n).min(64));
                for _ in 0..n {
                    let k = self.key_str(path)?;
                    let v = self.value(e, &path.key(k))?;
                    entries.push((Key::from(k), v));
                }
                Ok(Value::Map(KeyMap::from_entries(entries)))
            }
            Type::Object(attrs) => {
                let Head::Map(n) = head else {
                    return Err(mismatch(self, head_name(&head)));
                };
                // Terraform writes attributes in the type's (sorted) order, so walk the type beside the
                // input: one comparison per key instead of a tree lookup, and absent attributes become
                // null on the way. Keys out of order fall back to a lookup; `from_iter` sorts and keeps
                // the last of duplicate keys, as before.
                let mut entries = Vec::with_capacity(attrs.len().max(self.capacity(n).min(64)));
                let mut cursor = AttrCursor::new(attrs);
                for _ in 0..n {
                    let k = self.key_str(path)?;
                    let p = path.attr(k);
                    let t = cursor.type_of(k, &mut entries);
                    let Some((name, t)) = t else {
                        return Err(self.err(&p, "unsupported attribute"));
                    };
                    let v = self.value(t, &p)?;
                    entries.push((name.clone(), v));
                }
                cursor.finish(&mut entries);
                Ok(Value::Object(KeyMap::from_entries(entries)))
            }
            Type::Dynamic => {
                let Head::Array(2) = head else {
                    return Err(self.err(path, "a dynamic value must be a [type, value] array"));
                };
                let type_json = match self.head(path)? {
                    Head::Bin(n) | Head::Str(n) => self.take(n, path)?,
                    _ => return Err(self.err(path, "a dynamic value's type must be JSON bytes")),
                };
                let concrete =
                    Type::from_json(type_json).map_err(|e| self.err(path, e.to_string()))?;
                self.value(&concrete, path)
            }
        }
    }

    fn key_str(&mut self, path: &LazyPath<'_>) -> Result<&'a str, CodecError> {
        match self.head(path)? {
            Head::Str(n) => self.str(n, path),
            other => Err(self.err(
                path,
                format!("map key must be a string, found {}", head_name(&other)),
            )),
        }
    }
}

fn head_name(h: &Head) -> &'static str {
    match h {
        Head::Nil => "nil",
        Head::Bool(_) => "bool",
        Head::Int(_) | Head::Uint(_) => "int",
        Head::Float(_) => "float",
        Head::Str(_) => "str",
        Head::Bin(_) => "bin",
        Head::Array(_) => "array",
        Head::Map(_) => "map",
        Head::Ext(_) => "ext",
    }
}

fn write_len(
    out: &mut Vec<u8>,
    n: usize,
    fix: Option<(u8, usize)>,
    codes: [u8; 3],
    path: &LazyPath<'_>,
) -> Result<(), CodecError> {
    match fix {
        Some((base, max)) if n <= max => out.push(base | n as u8),
        _ if n <= 0xff && codes[0] != 0 => out.extend([codes[0], n as u8]),
        _ if n <= 0xffff => {
            out.push(codes[1]);
            out.extend((n as u16).to_be_bytes());
        }
        _ => {
            let n = u32::try_from(n)
                .map_err(|_| CodecError::at(path, "value too large for msgpack"))?;
            out.push(codes[2]);
            out.extend(n.to_be_bytes());
        }
    }
    Ok(())
}

fn write_str(out: &mut Vec<u8>, s: &str, path: &LazyPath<'_>) -> Result<(), CodecError> {
    write_len(out, s.len(), Some((0xa0, 31)), [0xd9, 0xda, 0xdb], path)?;
    out.extend(s.as_bytes());
    Ok(())
}

fn write_bin(out: &mut Vec<u8>, b: &[u8], path: &LazyPath<'_>) -> Result<(), CodecError> {
    write_len(out, b.len(), None, [0xc4, 0xc5, 0xc6], path)?;
    out.extend(b);
    Ok(())
}

fn write_array_len(out: &mut Vec<u8>, n: usize, path: &LazyPath<'_>) -> Result<(), CodecError> {
    write_len(out, n, Some((0x90, 15)), [0, 0xdc, 0xdd], path)
}

pub(crate) fn write_map_len(
    out: &mut Vec<u8>,
    n: usize,
    path: &LazyPath<'_>,
) -> Result<(), CodecError> {
    write_len(out, n, Some((0x80, 15)), [0, 0xde, 0xdf], path)
}

pub(crate) fn write_int(out: &mut Vec<u8>, i: i64) {
    match i {
        0..=127 => out.push(i as u8),
        -32..=-1 => out.push(i as i8 as u8),
        128..=0xff => out.extend([0xcc, i as u8]),
        0x100..=0xffff => {
            out.push(0xcd);
            out.extend((i as u16).to_be_bytes());
        }
        0x1_0000..=0xffff_ffff => {
            out.push(0xce);
            out.extend((i as u32).to_be_bytes());
        }
        _ if i > 0 => {
            out.push(0xcf);
            out.extend((i as u64).to_be_bytes());
        }
        -128..=-33 => out.extend([0xd0, i as i8 as u8]),
        -32768..=-129 => {
            out.push(0xd1);
            out.extend((i as i16).to_be_bytes());
        }
        -2_147_483_648..=-32769 => {
            out.push(0xd2);
            out.extend((i as i32).to_be_bytes());
        }
        _ => {
            out.push(0xd3);
            out.extend(i.to_be_bytes());
        }
    }
}

pub(crate) fn write_number(
    out: &mut Vec<u8>,
    n: &Number,
    path: &LazyPath<'_>,
) -> Result<(), CodecError> {
    if let Some(i) = n.as_i64() {
        write_int(out, i);
    } else if let Some(f) = n.as_exact_f64() {
        out.push(0xcb);
        out.extend(f.to_bits().to_be_bytes());
    } else {
        write_str(out, &n.to_decimal_string(), path)?;
    }
    Ok(())
}

fn write_value(
    out: &mut Vec<u8>,
    v: &Value,
    ty: &Type,
    path: &LazyPath<'_>,
) -> Result<(), CodecError> {
    let mismatch = || {
        Err(CodecError::at(
            path,
            format!(
                "cannot encode a {} value as {ty}",
                crate::tf::value::kind_name(v)
            ),
        ))
    };
    match (ty, v) {
        (_, Value::Null) => out.push(0xc0),
        (_, Value::Unknown) => out.extend([0xd4, 0, 0]),
        (Type::String, Value::String(s)) => write_str(out, s, path)?,
        (Type::Number, Value::Number(n)) => write_number(out, n, path)?,
        (Type::Bool, Value::Bool(b)) => out.push(if *b { 0xc3 } else { 0xc2 }),
        (Type::List(e), Value::List(items)) => {
            write_array_len(out, items.len(), path)?;
            for (i, x) in items.iter().enumerate() {
                write_value(out, x, e, &path.index(i as i64))?;
            }
        }
        (Type::Set(e), Value::Set(items)) => {
            write_array_len(out, items.len(), path)?;
            for x in items {
                write_value(out, x, e, path)?;
            }
        }
        (Type::Tuple(ts), Value::Tuple(items)) => {
            if ts.len() != items.len() {
                return Err(CodecError::at(
                    path,
                    format!("expected {} tuple elements, got {}", ts.len(), items.len()),
                ));
            }
            write_array_len(out, items.len(), path)?;
            for (i, (x, t)) in items.iter().zip(ts).enumerate() {
                write_value(out, x, t, &path.index(i as i64))?;
            }
        }
        (Type::Map(e), Value::Map(m)) => {
            write_map_len(out, m.len(), path)?;
            for (k, x) in m {
                write_str(out, k, path)?;
                write_value(out, x, e, &path.key(k))?;
            }
        }
        (Type::Object(attrs), Value::Object(m)) => {
            write_map_len(out, attrs.len(), path)?;
            // Both maps are sorted: walk them together instead of looking each attribute up.
            let mut given = m.iter().peekable();
            for (k, t) in attrs {
                let mut x = &NULL;
                if let Some((gk, gx)) = given.peek() {
                    match gk.as_str().cmp(k) {
                        std::cmp::Ordering::Less => return Err(not_in_schema(path, gk)),
                        std::cmp::Ordering::Equal => {
                            x = gx;
                            given.next();
                        }
                        std::cmp::Ordering::Greater => {}
                    }
                }
                write_str(out, k, path)?;
                if let Err(e) = write_value(out, x, t, &path.attr(k)) {
                    // An attribute outside the schema is reported first, wherever it sorts.
                    return Err(match m.keys().find(|g| !attrs.contains_key(g)) {
                        Some(extra) => not_in_schema(path, extra),
                        None => e,
                    });
                }
            }
            if let Some((extra, _)) = given.next() {
                return Err(not_in_schema(path, extra));
            }
        }
        (Type::Dynamic, v) => {
            let concrete = v.infer_type().ok_or_else(|| {
                CodecError::at(
                    path,
                    "cannot infer one element type for a collection in a dynamic value",
                )
            })?;
            write_array_len(out, 2, path)?;
            write_bin(out, &concrete.to_json(), path)?;
            write_value(out, v, &concrete, path)?;
        }
        _ => return mismatch(),
    }
    Ok(())
}

fn not_in_schema(path: &LazyPath<'_>, name: &str) -> CodecError {
    CodecError::at(&path.attr(name), "attribute is not in the schema")
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::tf::path::AttributePath;
    use crate::tf::types::strategy::any_type;
    use crate::tf::value::strategy::typed_value;
    use proptest::prelude::*;

    #[test]
    fn known_wire_forms() {
        assert_eq!(
            encode(&Value::Unknown, &Type::String).unwrap(),
            [0xd4, 0, 0]
        );
        assert_eq!(encode(&Value::Null, &Type::String).unwrap(), [0xc0]);
        assert_eq!(encode(&Value::from(1), &Type::Number).unwrap(), [0x01]);
        assert_eq!(encode(&Value::from(-1), &Type::Number).unwrap(), [0xff]);
        assert_eq!(
            encode(&Value::from(300), &Type::Number).unwrap(),
            [0xcd, 0x01, 0x2c]
        );
        assert_eq!(
            encode(&Value::from_f64(0.5).unwrap(), &Type::Number).unwrap()[0],
            0xcb
        );
        let big = Value::Number(Number::parse("123456789012345678901234567890").unwrap());
        assert_eq!(
            encode(&big, &Type::Number).unwrap()[1..],
            *b"123456789012345678901234567890"
        );
        let obj = Type::object([("a", Type::String), ("b", Type::Bool)]);
        // Every attribute is written, absent ones as nil.
        assert_eq!(
            encode(&Value::object([("a", Value::from("x"))]), &obj).unwrap(),
            [0x82, 0xa1, b'a', 0xa1, b'x', 0xa1, b'b', 0xc0]
        );
        let dynamic = encode(&Value::from("x"), &Type::Dynamic).unwrap();
        assert_eq!(
            dynamic,
            [0x92, 0xc4, 8, b'"', b's', b't', b'r', b'i', b'n', b'g', b'"', 0xa1, b'x']
        );
    }

    #[test]
    fn decodes_every_number_form_and_extension() {
        let cases: &[(&[u8], &str)] = &[
            (&[0x05], "5"),
            (&[0xe0], "-32"),
            (&[0xcc, 0xff], "255"),
            (&[0xd0, 0x80], "-128"),
            (&[0xd1, 0xff, 0x00], "-256"),
            (
                &[0xcf, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff],
                "18446744073709551615",
            ),
            (&[0xca, 0x3f, 0xc0, 0, 0], "1.5"),
            (&[0xa4, b'1', b'e', b'2', b'0'], "100000000000000000000"),
        ];
        for (bytes, want) in cases {
            let v = decode(bytes, &Type::Number).unwrap();
            assert_eq!(v, Value::Number(Number::parse(want).unwrap()), "{bytes:x?}");
        }
        // Refined unknown (Terraform >= 1.6): ext type 12 with a refinement map.
        assert_eq!(
            decode(&[0xc7, 0x03, 0x0c, 0x81, 0x01, 0xc2], &Type::String).unwrap(),
            Value::Unknown
        );
        assert_eq!(
            decode(&[0xd4, 0, 0], &Type::Dynamic).unwrap(),
            Value::Unknown
        );
    }

    #[test]
    fn decode_errors_name_the_path() {
        let ty = Type::object([("tags", Type::list(Type::String))]);
        let bytes = [0x81, 0xa4, b't', b'a', b'g', b's', 0x92, 0xa1, b'x', 0x05];
        let err = decode(&bytes, &ty).unwrap_err();
        assert_eq!(err.path, AttributePath::root("tags").index(1));
        assert!(decode(&[0x81, 0xa1, b'z', 0xc0], &ty)
            .unwrap_err()
            .message
            .contains("unsupported attribute"));
        assert!(decode(&[0x05, 0x05], &Type::Number)
            .unwrap_err()
            .message
            .contains("trailing"));
        // Huge claimed lengths fail without allocating.
        assert!(decode(&[0xdd, 0xff, 0xff, 0xff, 0xff], &Type::list(Type::String)).is_err());
    }

    #[test]
    fn missing_object_attributes_decode_as_null() {
        let ty = Type::object([("a", Type::String), ("b", Type::Bool)]);
        let v = decode(&[0x81, 0xa1, b'a', 0xa1, b'x'], &ty).unwrap();
        assert_eq!(
            v,
            Value::object([("a", Value::from("x")), ("b", Value::Null)])
        );
    }

    #[test]
    fn encode_rejects_mismatches() {
        assert!(encode(&Value::from("x"), &Type::Number).is_err());
        let ty = Type::object([("a", Type::String)]);
        let err = encode(&Value::object([("zz", Value::from(1))]), &ty).unwrap_err();
        assert_eq!(err.path, AttributePath::root("zz"));
        assert!(encode(
            &Value::list([Value::from("a"), Value::from(1)]),
            &Type::Dynamic
        )
        .is_err());
    }

    /// Objects always decode with every attribute; fill the generated value the same way before comparing.
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

    /// Like `encode`, but object attributes in reverse order, optionally led by `extra` (nil) and with
    /// the first attribute written twice (nil, then its value): inputs off the lockstep fast path.
    fn encode_unusual(out: &mut Vec<u8>, v: &Value, ty: &Type, extra: Option<&str>, dup: bool) {
        let root = LazyPath::Root;
        match (ty, v) {
            (Type::Object(attrs), Value::Object(_)) => {
                let first = attrs.keys().next().filter(|_| dup);
                let n = attrs.len() + usize::from(extra.is_some()) + usize::from(first.is_some());
                write_map_len(out, n, &root).unwrap();
                if let Some(x) = extra {
                    write_str(out, x, &root).unwrap();
                    out.push(0xc0);
                }
                if let Some(k) = first {
                    write_str(out, k, &root).unwrap();
                    out.push(0xc0);
                }
                for (k, t) in attrs.iter().rev() {
                    write_str(out, k, &root).unwrap();
                    encode_unusual(out, v.get_attr(k), t, extra, dup);
                }
            }
            (Type::List(e), Value::List(items)) | (Type::Set(e), Value::Set(items)) => {
                write_array_len(out, items.len(), &root).unwrap();
                for x in items {
                    encode_unusual(out, x, e, extra, dup);
                }
            }
            _ => write_value(out, v, ty, &root).unwrap(),
        }
    }

    /// Adds `extra` to every object in the tree; with `spoil`, also makes each object's first attribute
    /// a bool, so that value errors and unknown-attribute errors race.
    fn perturb(v: &Value, extra: &str, spoil: bool) -> Value {
        match v {
            Value::Object(m) => {
                let mut out: KeyMap<Value> = m
                    .iter()
                    .map(|(k, x)| (k.clone(), perturb(x, extra, spoil)))
                    .collect();
                if spoil {
                    if let Some(x) = out.values_mut().next() {
                        *x = Value::Bool(true);
                    }
                }
                out.insert(extra.to_string(), Value::from(1));
                Value::Object(out)
            }
            Value::List(items) => {
                Value::List(items.iter().map(|x| perturb(x, extra, spoil)).collect())
            }
            other => other.clone(),
        }
    }

    fn notebook_value() -> impl Strategy<Value = (Type, Value)> {
        let ty = crate::resources::notebook::schema().value_type();
        crate::tf::value::strategy::value_of(&ty).prop_map(move |v| (ty.clone(), v))
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(256))]

        /// The lockstep walks change nothing: same bytes, values, errors and paths as the lookup codec.
        #[test]
        fn matches_reference_codec((ty, v) in prop_oneof![typed_value(), notebook_value()],
                                   other in any_type(), idx in any::<usize>(), byte in any::<u8>()) {
            prop_assert_eq!(encode(&v, &ty), reference::encode(&v, &ty));
            prop_assert_eq!(encode(&v, &other), reference::encode(&v, &other));
            let mut bytes = encode(&v, &ty).unwrap();
            prop_assert_eq!(decode(&bytes, &ty), reference::decode(&bytes, &ty));
            prop_assert_eq!(decode(&bytes, &other), reference::decode(&bytes, &other));
            let i = idx % bytes.len();
            bytes[i] = byte;
            prop_assert_eq!(decode(&bytes, &ty), reference::decode(&bytes, &ty));
            bytes.truncate(i);
            prop_assert_eq!(decode(&bytes, &ty), reference::decode(&bytes, &ty));
        }

        #[test]
        fn matches_reference_codec_off_the_fast_path((ty, v) in prop_oneof![typed_value(), notebook_value()],
                                                     extra in prop::option::of("[a-z_]{1,6}"), dup in any::<bool>(),
                                                     spoil in any::<bool>()) {
            let mut bytes = Vec::new();
            encode_unusual(&mut bytes, &v, &ty, extra.as_deref(), dup);
            prop_assert_eq!(decode(&bytes, &ty), reference::decode(&bytes, &ty));
            if extra.is_none() {
                prop_assert_eq!(decode(&bytes, &ty).unwrap(), fill(&v, &ty));
            }
            let odd = perturb(&v, extra.as_deref().unwrap_or("zz"), spoil);
            prop_assert_eq!(encode(&odd, &ty), reference::encode(&odd, &ty));
        }
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(512))]

        #[test]
        fn round_trips((ty, v) in typed_value()) {
            let bytes = encode(&v, &ty).unwrap();
            let back = decode(&bytes, &ty).unwrap();
            prop_assert_eq!(back, fill(&v, &ty));
        }

        /// The server encodes without a separate type check first (see `encode_checked` in server.rs);
        /// that is only sound while the encoder rejects exactly the values the check rejects.
        #[test]
        fn encode_accepts_what_check_type_accepts((_, v) in typed_value(), ty in any_type()) {
            prop_assert_eq!(encode(&v, &ty).is_ok(), v.check_type(&ty).is_ok());
        }

        #[test]
        fn decoder_never_panics(ty in any_type(), bytes in prop::collection::vec(any::<u8>(), 0..96)) {
            let _ = decode(&bytes, &ty);
        }

        #[test]
        fn decoder_survives_mutated_valid_input((ty, v) in typed_value(), idx in any::<usize>(), byte in any::<u8>()) {
            let mut bytes = encode(&v, &ty).unwrap();
            let i = idx % bytes.len();
            bytes[i] = byte;
            let _ = decode(&bytes, &ty);
            bytes.truncate(i);
            let _ = decode(&bytes, &ty);
        }
    }
}
