//! Whether stored state fresh from the typed decoder is already in the schema's normal form, so that
//! UpgradeResourceState can skip re-normalising it (the usual case: Terraform stores what we sent).

use crate::tf::schema::{Block, Nesting};
use crate::tf::value::Value;

/// `true` only if `conform::normalize_owned(block, v)` would return `v` unchanged, for a `v` that
/// [`super::decode`] produced against `block.value_type()`.
///
/// The decoder already gives every object all of its type's attributes, collections of the declared
/// kind and deduplicated sets, so attribute values are in shape; what is left is the block rules:
/// absent LIST/SET/MAP blocks become empty and absent GROUP blocks an object of nulls.
pub fn decoded_is_normal(block: &Block, v: &Value) -> bool {
    let Value::Object(m) = v else {
        return true;
    };
    block.blocks.iter().all(|nb| {
        // An attribute sharing a block's name leaves the shape to normalize; schemas do not do this.
        if block.attributes.iter().any(|a| a.name == nb.type_name) {
            return false;
        }
        match (nb.nesting, m.get(&nb.type_name)) {
            (Nesting::Single, None | Some(Value::Null)) => true,
            (Nesting::Single | Nesting::Group, Some(x @ Value::Object(_))) => {
                decoded_is_normal(&nb.block, x)
            }
            (Nesting::List, Some(Value::List(items))) | (Nesting::Set, Some(Value::Set(items))) => {
                items.iter().all(|x| decoded_is_normal(&nb.block, x))
            }
            (Nesting::Map, Some(Value::Map(entries))) => {
                entries.values().all(|x| decoded_is_normal(&nb.block, x))
            }
            _ => false,
        }
    })
}
