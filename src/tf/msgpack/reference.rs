//! The msgpack codec as it was before the lockstep object walks: the oracle the property tests hold the
//! current codec to (same values, same errors, same paths).
#![allow(dead_code)]

use std::collections::BTreeMap;

use crate::tf::codec::{CodecError, LazyPath};
use crate::tf::number::Number;
use crate::tf::types::Type;
use crate::tf::value::Value;

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
        let bytes = self.take(len, path)?;
        std::str::from_utf8(bytes)
            .map(str::to_string)
            .map_err(|_| self.err(path, "string is not valid UTF-8"))
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
                    let s = self.string(n, path)?;
                    Number::parse(&s)
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
                    let k = self.key(path)?;
                    let v = self.value(e, &path.key(&k))?;
                    entries.push((k, v));
                }
                Ok(Value::Map(
                    BTreeMap::from_iter(entries).into_iter().collect(),
                ))
            }
            Type::Object(attrs) => {
                let Head::Map(n) = head else {
                    return Err(mismatch(self, head_name(&head)));
                };
                let mut entries = Vec::with_capacity(self.capacity(n).min(64));
                for _ in 0..n {
                    let k = self.key(path)?;
                    let p = path.attr(&k);
                    let Some(t) = attrs.get(&k) else {
                        return Err(self.err(&p, "unsupported attribute"));
                    };
                    let v = self.value(t, &p)?;
                    entries.push((k, v));
                }
                let mut m = BTreeMap::from_iter(entries);
                if m.len() < attrs.len() {
                    for k in attrs.keys() {
                        if !m.contains_key(k.as_str()) {
                            m.insert(k.to_string(), Value::Null);
                        }
                    }
                }
                Ok(Value::Object(m.into_iter().collect()))
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

    fn key(&mut self, path: &LazyPath<'_>) -> Result<String, CodecError> {
        match self.head(path)? {
            Head::Str(n) => self.string(n, path),
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

fn write_map_len(out: &mut Vec<u8>, n: usize, path: &LazyPath<'_>) -> Result<(), CodecError> {
    write_len(out, n, Some((0x80, 15)), [0, 0xde, 0xdf], path)
}

fn write_int(out: &mut Vec<u8>, i: i64) {
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

fn write_number(out: &mut Vec<u8>, n: &Number, path: &LazyPath<'_>) -> Result<(), CodecError> {
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
            if let Some(extra) = m.keys().find(|k| !attrs.contains_key(k)) {
                return Err(CodecError::at(
                    &path.attr(extra),
                    "attribute is not in the schema",
                ));
            }
            write_map_len(out, attrs.len(), path)?;
            for (k, t) in attrs {
                write_str(out, k, path)?;
                write_value(out, v.get_attr(k), t, &path.attr(k))?;
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
