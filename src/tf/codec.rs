//! Shared pieces of the value codecs: the error type and DynamicValue dispatch.

use super::path::{AttributePath, PathStep};
use super::protocol::DynamicValue;
use super::types::Type;
use super::value::Value;
use super::{json, msgpack};

/// A value could not be decoded or encoded; `path` says where.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{}{message}", if path.is_empty() { String::new() } else { format!("at {path}: ") })]
pub struct CodecError {
    pub path: AttributePath,
    pub message: String,
}

impl CodecError {
    pub(crate) fn new(path: &AttributePath, message: impl Into<String>) -> CodecError {
        CodecError {
            path: path.clone(),
            message: message.into(),
        }
    }
}

/// A path under construction during a walk, borrowed from the walk's stack frames. Walks pass it down
/// for free and build an [`AttributePath`] only when they report something, instead of allocating a
/// path for every node they visit.
#[derive(Clone, Copy, Debug)]
pub(crate) enum LazyPath<'a> {
    Root,
    Attr(&'a LazyPath<'a>, &'a str),
    Index(&'a LazyPath<'a>, i64),
    Key(&'a LazyPath<'a>, &'a str),
}

impl<'a> LazyPath<'a> {
    pub(crate) fn attr(&'a self, name: &'a str) -> LazyPath<'a> {
        LazyPath::Attr(self, name)
    }

    pub(crate) fn index(&'a self, i: i64) -> LazyPath<'a> {
        LazyPath::Index(self, i)
    }

    pub(crate) fn key(&'a self, k: &'a str) -> LazyPath<'a> {
        LazyPath::Key(self, k)
    }

    pub(crate) fn materialize(&self) -> AttributePath {
        let mut steps = Vec::new();
        let mut at = self;
        loop {
            match at {
                LazyPath::Root => break,
                LazyPath::Attr(parent, a) => {
                    steps.push(PathStep::Attr((*a).to_string()));
                    at = parent;
                }
                LazyPath::Index(parent, i) => {
                    steps.push(PathStep::Index(*i));
                    at = parent;
                }
                LazyPath::Key(parent, k) => {
                    steps.push(PathStep::Key((*k).to_string()));
                    at = parent;
                }
            }
        }
        steps.reverse();
        AttributePath { steps }
    }
}

impl CodecError {
    pub(crate) fn at(path: &LazyPath<'_>, message: impl Into<String>) -> CodecError {
        CodecError {
            path: path.materialize(),
            message: message.into(),
        }
    }
}

/// Decodes a DynamicValue: msgpack if present, else JSON, else (absent or both empty) null.
pub fn decode_dynamic(dv: Option<&DynamicValue>, ty: &Type) -> Result<Value, CodecError> {
    match dv {
        Some(dv) if !dv.msgpack.is_empty() => msgpack::decode(&dv.msgpack, ty),
        Some(dv) if !dv.json.is_empty() => json::decode(&dv.json, ty),
        _ => Ok(Value::Null),
    }
}

/// Encodes a value as msgpack, the only encoding Terraform reads from providers.
pub fn encode_dynamic(v: &Value, ty: &Type) -> Result<DynamicValue, CodecError> {
    Ok(DynamicValue {
        msgpack: msgpack::encode(v, ty)?,
        json: Vec::new(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn absent_or_empty_dynamic_value_is_null() {
        assert_eq!(decode_dynamic(None, &Type::String), Ok(Value::Null));
        assert_eq!(
            decode_dynamic(Some(&DynamicValue::default()), &Type::String),
            Ok(Value::Null)
        );
        let j = DynamicValue {
            msgpack: vec![],
            json: br#""x""#.to_vec(),
        };
        assert_eq!(
            decode_dynamic(Some(&j), &Type::String),
            Ok(Value::from("x"))
        );
        let dv = encode_dynamic(&Value::from(3), &Type::Number).unwrap();
        assert_eq!(decode_dynamic(Some(&dv), &Type::Number), Ok(Value::from(3)));
    }

    #[test]
    fn lazy_path_materializes_in_order() {
        let root = LazyPath::Root;
        let a = root.attr("volume");
        let i = a.index(0);
        let k = i.key("x");
        let leaf = k.attr("size");
        assert_eq!(
            leaf.materialize(),
            AttributePath::root("volume").index(0).key("x").attr("size")
        );
        assert!(root.materialize().is_empty());
    }

    #[test]
    fn error_message_names_the_path() {
        let e = CodecError::new(&AttributePath::root("a").index(1), "boom");
        assert_eq!(e.to_string(), "at a[1]: boom");
        assert_eq!(
            CodecError::new(&AttributePath::empty(), "boom").to_string(),
            "boom"
        );
    }
}
