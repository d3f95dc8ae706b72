//! Lockstep access to a block's members in object values: schema walks read the values of every
//! attribute and nested block, and object values are sorted by name, so walking the members in name
//! order next to the value's entries costs one equality check per member instead of a tree lookup.

use std::borrow::Cow;
use std::sync::OnceLock;

use super::keymap::Key;
use super::schema::Block;
use super::value::Value;

static NULL: Value = Value::Null;
static UNKNOWN: Value = Value::Unknown;

/// A block's members (attributes, then nested blocks, in declaration order: index `i < attributes.len()`
/// is attribute `i`, else nested block `i - attributes.len()`) in name order.
#[derive(Clone, Debug)]
pub(crate) struct MemberOrder {
    /// Member indices sorted by name.
    by_name: Vec<usize>,
    /// Member names as map keys, by member index: objects built from the schema share them.
    keys: Vec<Key>,
    /// What the order was computed from; a block whose member lists changed since gets a fresh order.
    key: (usize, usize, usize, usize),
}

fn order_key(block: &Block) -> (usize, usize, usize, usize) {
    (
        block.attributes.as_ptr() as usize,
        block.attributes.len(),
        block.blocks.as_ptr() as usize,
        block.blocks.len(),
    )
}

impl MemberOrder {
    fn of(block: &Block) -> MemberOrder {
        let mut by_name: Vec<usize> = (0..block.attributes.len() + block.blocks.len()).collect();
        by_name.sort_by(|&a, &b| member_name(block, a).cmp(member_name(block, b)));
        let keys = (0..by_name.len())
            .map(|i| Key::from(member_name(block, i)))
            .collect();
        MemberOrder {
            by_name,
            keys,
            key: order_key(block),
        }
    }
}

/// The member order cached on a block. A clone starts empty: its member lists live elsewhere.
#[derive(Default)]
pub(crate) struct OrderCache(OnceLock<MemberOrder>);

impl Clone for OrderCache {
    fn clone(&self) -> OrderCache {
        OrderCache::default()
    }
}

/// Name of member `i` (see [`MemberOrder`]); empty if out of range.
pub(crate) fn member_name(block: &Block, i: usize) -> &str {
    let na = block.attributes.len();
    if i < na {
        &block.attributes[i].name
    } else {
        block
            .blocks
            .get(i - na)
            .map_or("", |b| b.type_name.as_str())
    }
}

/// Name of member `i` as a map key: shared with the block's cache, so building an object allocates no key.
pub(crate) fn member_key(block: &Block, i: usize) -> Key {
    let cached = block.order_cache.0.get_or_init(|| MemberOrder::of(block));
    let name = member_name(block, i);
    // The comparison keeps a name edited in place since the cache was filled correct.
    match cached.keys.get(i) {
        Some(k) if k.as_str() == name => k.clone(),
        _ => Key::from(name),
    }
}

/// Member indices of `block` in name order.
pub(crate) fn order(block: &Block) -> Cow<'_, [usize]> {
    let cached = block.order_cache.0.get_or_init(|| MemberOrder::of(block));
    if cached.key == order_key(block) {
        Cow::Borrowed(&cached.by_name)
    } else {
        Cow::Owned(MemberOrder::of(block).by_name)
    }
}

/// The value of every member of a block in one object value, as `Value::get_attr` reads it.
pub(crate) enum Slots<'v> {
    /// Null, unknown or not an object: every member reads the same.
    Same(&'v Value),
    Each {
        values: Vec<&'v Value>,
        /// How many entries of the object are members (the rest are carried over as they are).
        matched: usize,
        len: usize,
    },
}

impl<'v> Slots<'v> {
    /// Reads the members of `v`, in `order` (from [`order`]).
    pub(crate) fn of(block: &Block, order: &[usize], v: &'v Value) -> Slots<'v> {
        let m = match v {
            Value::Object(m) => m,
            Value::Unknown => return Slots::Same(&UNKNOWN),
            _ => return Slots::Same(&NULL),
        };
        let mut values = vec![&NULL; order.len()];
        let mut matched = 0;
        let mut it = m.iter().peekable();
        for &i in order {
            let name = member_name(block, i);
            let found = loop {
                match it.peek() {
                    Some((k, x)) if k.as_str() == name => {
                        let x = *x;
                        it.next();
                        break Some(x);
                    }
                    // Not a member (or one already read by lookup below): skip it.
                    Some((k, _)) if k.as_str() < name => {
                        it.next();
                    }
                    // Absent; the lookup keeps an order that is not sorted (names edited in place) correct.
                    _ => break m.get(name),
                }
            };
            if let (Some(x), Some(slot)) = (found, values.get_mut(i)) {
                *slot = x;
                matched += 1;
            }
        }
        Slots::Each {
            values,
            matched,
            len: m.len(),
        }
    }

    /// The value of member `i` (declaration index).
    pub(crate) fn get(&self, i: usize) -> &'v Value {
        match self {
            Slots::Same(v) => v,
            Slots::Each { values, .. } => values.get(i).copied().unwrap_or(&NULL),
        }
    }

    /// Whether the object has entries that are not members of the block.
    pub(crate) fn has_extra(&self) -> bool {
        matches!(self, Slots::Each { matched, len, .. } if matched < len)
    }

    /// An object holding exactly the block's members (each entry matched one member).
    pub(crate) fn is_exact(&self, members: usize) -> bool {
        matches!(self, Slots::Each { matched, len, .. } if *matched == members && *len == members)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::tf::schema::{Attribute, NestedBlock, Nesting};
    use crate::tf::Type;

    #[test]
    fn member_keys_follow_the_names() {
        let mut block = Block::new()
            .attribute(Attribute::new("b", Type::String))
            .attribute(Attribute::new("a", Type::Number))
            .block(NestedBlock::new("c", Nesting::List, Block::new()));
        let keys: Vec<Key> = (0..3).map(|i| member_key(&block, i)).collect();
        assert_eq!(keys, ["b", "a", "c"].map(Key::from));
        // A name edited in place after the cache was filled: the key follows the name.
        block.attributes[0].name = "z".into();
        assert_eq!(member_key(&block, 0).as_str(), "z");
        assert_eq!(member_key(&block, 3).as_str(), "");
        let Type::Object(attrs) = block.value_type() else {
            panic!("a block's type is an object")
        };
        assert_eq!(
            attrs.keys().map(Key::as_str).collect::<Vec<_>>(),
            ["a", "c", "z"]
        );
    }
}
