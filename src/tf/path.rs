//! Attribute paths: where in a configuration or state a value or a diagnostic sits.

use std::fmt;

use super::protocol;

#[derive(Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum PathStep {
    /// An attribute or a nested block type.
    Attr(String),
    /// An element of a list, a tuple or a LIST block.
    Index(i64),
    /// An element of a map or a MAP block.
    Key(String),
}

/// A path such as `volume[0].size`. Set elements cannot be addressed: paths stop at the set.
#[derive(Clone, Debug, Default, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct AttributePath {
    pub steps: Vec<PathStep>,
}

impl AttributePath {
    /// The empty path: the whole resource / block.
    pub fn empty() -> AttributePath {
        AttributePath::default()
    }

    pub fn root(name: impl Into<String>) -> AttributePath {
        AttributePath {
            steps: vec![PathStep::Attr(name.into())],
        }
    }

    pub fn attr(mut self, name: impl Into<String>) -> AttributePath {
        self.steps.push(PathStep::Attr(name.into()));
        self
    }

    pub fn index(mut self, i: i64) -> AttributePath {
        self.steps.push(PathStep::Index(i));
        self
    }

    pub fn key(mut self, k: impl Into<String>) -> AttributePath {
        self.steps.push(PathStep::Key(k.into()));
        self
    }

    pub fn is_empty(&self) -> bool {
        self.steps.is_empty()
    }

    /// The last attribute name on the path, e.g. `size` for `volume[0].size`.
    pub fn last_attr(&self) -> Option<&str> {
        self.steps.iter().rev().find_map(|s| match s {
            PathStep::Attr(a) => Some(a.as_str()),
            _ => None,
        })
    }

    pub fn to_protocol(&self) -> protocol::AttributePath {
        protocol::AttributePath {
            steps: self
                .steps
                .iter()
                .map(|s| match s {
                    PathStep::Attr(a) => protocol::PathStep::Attribute(a.clone()),
                    PathStep::Index(i) => protocol::PathStep::ElementKeyInt(*i),
                    PathStep::Key(k) => protocol::PathStep::ElementKeyString(k.clone()),
                })
                .collect(),
        }
    }

    pub fn from_protocol(p: &protocol::AttributePath) -> AttributePath {
        AttributePath {
            steps: p
                .steps
                .iter()
                .map(|s| match s {
                    protocol::PathStep::Attribute(a) => PathStep::Attr(a.clone()),
                    protocol::PathStep::ElementKeyInt(i) => PathStep::Index(*i),
                    protocol::PathStep::ElementKeyString(k) => PathStep::Key(k.clone()),
                })
                .collect(),
        }
    }
}

impl fmt::Display for AttributePath {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for (i, s) in self.steps.iter().enumerate() {
            match s {
                PathStep::Attr(a) if i == 0 => f.write_str(a)?,
                PathStep::Attr(a) => write!(f, ".{a}")?,
                PathStep::Index(n) => write!(f, "[{n}]")?,
                PathStep::Key(k) => write!(f, "[{k:?}]")?,
            }
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn builds_and_displays() {
        let p = AttributePath::root("volume").index(0).attr("size");
        assert_eq!(p.to_string(), "volume[0].size");
        assert_eq!(
            AttributePath::root("endpoints")
                .key("modelarts")
                .to_string(),
            r#"endpoints["modelarts"]"#
        );
        assert_eq!(p.last_attr(), Some("size"));
        let proto = p.to_protocol();
        assert_eq!(
            proto.steps,
            vec![
                protocol::PathStep::Attribute("volume".into()),
                protocol::PathStep::ElementKeyInt(0),
                protocol::PathStep::Attribute("size".into())
            ]
        );
        assert_eq!(AttributePath::from_protocol(&proto), p);
    }
}
