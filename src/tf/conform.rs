//! Shaping resource output to the schema, and the safety nets that catch provider bugs with a precise
//! diagnostic before Terraform reports a vaguer "Provider produced invalid plan / inconsistent result".

use super::codec::LazyPath;
use super::diag::Diagnostics;
use super::members::{self, Slots};
use super::schema::{Block, Nesting};
use super::types::Type;
use super::value::Value;

/// Brings a block value into the canonical shape: every attribute present (null if missing), values
/// coerced to their declared collection kinds, absent LIST/SET/MAP blocks empty, absent GROUP blocks
/// an object of nulls. Null and unknown stay as they are.
pub fn normalize(block: &Block, v: &Value) -> Value {
    normalize_owned(block, v.clone())
}

/// [`normalize`] reshaping `v` in place: a value already in shape costs a walk, not a copy.
pub fn normalize_owned(block: &Block, v: Value) -> Value {
    let Value::Object(mut out) = v else {
        return v;
    };
    let order = members::order(block);
    let na = block.attributes.len();
    // The object's entries and the members, both in name order, walked together.
    let mut next = order.iter().copied().peekable();
    let mut seen = 0;
    for (k, x) in out.iter_mut() {
        let member = loop {
            match next.peek() {
                Some(&i) if members::member_name(block, i) == k.as_str() => {
                    next.next();
                    break Some(i);
                }
                // A member missing from the object; filled in below.
                Some(&i) if members::member_name(block, i) < k.as_str() => {
                    next.next();
                }
                // Not a member, unless the order is not sorted (names edited in place): look it up.
                _ => break find_member(block, k),
            }
        };
        let Some(i) = member else { continue };
        seen += 1;
        *x = shape_member(block, i, std::mem::take(x));
    }
    if seen < order.len() {
        for i in 0..order.len() {
            let name = members::member_name(block, i);
            if !out.contains_key(name) {
                let shaped = if i < na {
                    Value::Null
                } else {
                    shape_member(block, i, Value::Null)
                };
                out.insert(members::member_key(block, i), shaped);
            }
        }
    }
    Value::Object(out)
}

fn find_member(block: &Block, name: &str) -> Option<usize> {
    let na = block.attributes.len();
    block
        .attributes
        .iter()
        .position(|a| a.name == name)
        .or_else(|| {
            block
                .blocks
                .iter()
                .position(|b| b.type_name == name)
                .map(|j| na + j)
        })
}

/// Normalises the value of member `i` of `block` (see `members`).
fn shape_member(block: &Block, i: usize, inner: Value) -> Value {
    let na = block.attributes.len();
    if let Some(a) = block.attributes.get(i) {
        return conform_owned(inner, &a.ty);
    }
    let Some(nb) = block.blocks.get(i - na) else {
        return inner;
    };
    match (nb.nesting, inner) {
        (_, Value::Unknown) => Value::Unknown,
        (Nesting::Single, Value::Null) => Value::Null,
        (Nesting::Group, Value::Null) => {
            normalize_owned(&nb.block, Value::Object(Default::default()))
        }
        (Nesting::Single | Nesting::Group, x) => normalize_owned(&nb.block, x),
        (Nesting::List, Value::Null) => Value::List(vec![]),
        (Nesting::Set, Value::Null) => Value::Set(vec![]),
        (Nesting::Map, Value::Null) => Value::Map(Default::default()),
        (Nesting::List, Value::List(items) | Value::Set(items) | Value::Tuple(items)) => {
            Value::List(
                items
                    .into_iter()
                    .map(|e| normalize_owned(&nb.block, e))
                    .collect(),
            )
        }
        (Nesting::Set, Value::List(items) | Value::Set(items) | Value::Tuple(items)) => {
            Value::set(items.into_iter().map(|e| normalize_owned(&nb.block, e)))
        }
        (Nesting::Map, Value::Map(entries) | Value::Object(entries)) => Value::Map(
            entries
                .into_iter()
                .map(|(k, e)| (k, normalize_owned(&nb.block, e)))
                .collect(),
        ),
        (_, other) => other,
    }
}

/// Coerces a value towards `ty` where the intent is unambiguous (a list for a set, an object for a map,
/// a tuple for a list, missing object attributes); leaves anything else for the type check to report.
pub fn conform(v: &Value, ty: &Type) -> Value {
    conform_owned(v.clone(), ty)
}

fn conform_owned(v: Value, ty: &Type) -> Value {
    match (ty, v) {
        (Type::List(e), Value::List(items) | Value::Tuple(items)) => {
            Value::List(items.into_iter().map(|x| conform_owned(x, e)).collect())
        }
        (Type::Set(e), Value::Set(items) | Value::List(items) | Value::Tuple(items)) => {
            Value::set(items.into_iter().map(|x| conform_owned(x, e)))
        }
        (Type::Map(e), Value::Map(m) | Value::Object(m)) => Value::Map(
            m.into_iter()
                .map(|(k, x)| (k, conform_owned(x, e)))
                .collect(),
        ),
        // A map whose keys name the attributes converts to the object, as in cty.
        (Type::Object(attrs), Value::Object(mut out) | Value::Map(mut out)) => {
            // Both sorted by name: walk them together.
            let mut types = attrs.iter().peekable();
            let mut missing = false;
            for (k, x) in out.iter_mut() {
                while let Some((tk, t)) = types.peek() {
                    if *tk == k {
                        *x = conform_owned(std::mem::take(x), t);
                        types.next();
                        break;
                    }
                    if tk.as_str() > k.as_str() {
                        break;
                    }
                    missing = true;
                    types.next();
                }
            }
            if missing || types.peek().is_some() {
                for k in attrs.keys() {
                    if !out.contains_key(k) {
                        out.insert(k.clone(), Value::Null);
                    }
                }
            }
            Value::Object(out)
        }
        (Type::Tuple(ts), Value::Tuple(items) | Value::List(items)) if ts.len() == items.len() => {
            Value::Tuple(
                items
                    .into_iter()
                    .zip(ts)
                    .map(|(x, t)| conform_owned(x, t))
                    .collect(),
            )
        }
        (_, v) => v,
    }
}

fn shown(v: &Value, sensitive: bool) -> String {
    if sensitive {
        "(sensitive value)".into()
    } else {
        v.to_string()
    }
}

/// Checks a planned state against core's plan rules: non-computed attributes equal the config, config
/// values are planned as themselves or the prior value, block counts follow the config.
pub fn check_planned(
    block: &Block,
    prior: &Value,
    config: &Value,
    planned: &Value,
    type_name: &str,
) -> Diagnostics {
    let mut diags = Diagnostics::new();
    if !planned.is_null() {
        check_planned_block(
            block,
            prior,
            config,
            planned,
            &LazyPath::Root,
            type_name,
            &mut diags,
        );
    }
    diags
}

fn check_planned_block(
    block: &Block,
    prior: &Value,
    config: &Value,
    planned: &Value,
    path: &LazyPath<'_>,
    type_name: &str,
    diags: &mut Diagnostics,
) {
    if planned.is_unknown() || config.is_unknown() {
        return;
    }
    let bug = |diags: &mut Diagnostics, p: &LazyPath<'_>, what: String| {
        let p = p.materialize();
        diags.error_at(
            p.clone(),
            "Provider produced an invalid plan",
            format!("The plan for {type_name}.{p} {what}. This is a bug in the provider, please report it."),
        );
    };
    let order = members::order(block);
    let prior_slots = Slots::of(block, &order, prior);
    let config_slots = Slots::of(block, &order, config);
    let planned_slots = Slots::of(block, &order, planned);
    for (i, a) in block.attributes.iter().enumerate() {
        let p = path.attr(&a.name);
        let (pri, cfg, pl) = (
            prior_slots.get(i),
            config_slots.get(i),
            planned_slots.get(i),
        );
        if cfg.is_null() {
            if !a.computed && !pl.is_null() {
                bug(
                    diags,
                    &p,
                    format!(
                        "is {} but the configuration leaves it null",
                        shown(pl, a.sensitive)
                    ),
                );
            }
        } else if pl != cfg && (pri.is_null() || pl != pri) {
            bug(
                diags,
                &p,
                format!(
                    "is {} but the configuration says {}",
                    shown(pl, a.sensitive),
                    shown(cfg, a.sensitive)
                ),
            );
        }
    }
    let na = block.attributes.len();
    for (j, nb) in block.blocks.iter().enumerate() {
        let p = path.attr(&nb.type_name);
        let (pri, cfg, pl) = (
            prior_slots.get(na + j),
            config_slots.get(na + j),
            planned_slots.get(na + j),
        );
        if cfg.is_unknown() {
            if !pl.is_unknown() {
                bug(
                    diags,
                    &p,
                    "is known while the configured block collection is unknown".into(),
                );
            }
            continue;
        }
        match nb.nesting {
            Nesting::Single | Nesting::Group => {
                if cfg.is_null() != pl.is_null() {
                    bug(diags, &p, "adds or removes a block".into());
                } else {
                    check_planned_block(&nb.block, pri, cfg, pl, &p, type_name, diags);
                }
            }
            Nesting::List | Nesting::Set | Nesting::Map => {
                if cfg.length() != pl.length() {
                    bug(
                        diags,
                        &p,
                        format!(
                            "has {} blocks but the configuration has {}",
                            pl.length().unwrap_or(0),
                            cfg.length().unwrap_or(0)
                        ),
                    );
                    continue;
                }
                if let (Value::List(c), Value::List(l)) = (cfg, pl) {
                    for (i, (ce, le)) in c.iter().zip(l).enumerate() {
                        let pe = pri.elements().get(i).unwrap_or(&Value::Null);
                        check_planned_block(
                            &nb.block,
                            pe,
                            ce,
                            le,
                            &p.index(i as i64),
                            type_name,
                            diags,
                        );
                    }
                }
                if let (Value::Map(c), Value::Map(l)) = (cfg, pl) {
                    for (k, ce) in c {
                        let le = l.get(k).unwrap_or(&Value::Null);
                        let pe = pri.entries().and_then(|m| m.get(k)).unwrap_or(&Value::Null);
                        check_planned_block(&nb.block, pe, ce, le, &p.key(k), type_name, diags);
                    }
                }
            }
        }
    }
}

/// Checks an apply result against its plan: every value the plan knew must come back unchanged.
pub fn check_applied(block: &Block, planned: &Value, new: &Value, type_name: &str) -> Diagnostics {
    let mut diags = Diagnostics::new();
    check_applied_value(
        Some(block),
        false,
        planned,
        new,
        &LazyPath::Root,
        type_name,
        &mut diags,
    );
    diags
}

fn check_applied_value(
    block: Option<&Block>,
    sensitive: bool,
    planned: &Value,
    new: &Value,
    path: &LazyPath<'_>,
    type_name: &str,
    diags: &mut Diagnostics,
) {
    if planned.is_unknown() {
        return;
    }
    let mismatch = |diags: &mut Diagnostics| {
        let path = path.materialize();
        let at = if path.is_empty() {
            type_name.to_string()
        } else {
            format!("{type_name}.{path}")
        };
        diags.error_at(
            path,
            "Provider produced inconsistent result after apply",
            format!(
                "{at} was planned as {} but apply returned {}. This is a bug in the provider, please report it.",
                shown(planned, sensitive),
                shown(new, sensitive)
            ),
        );
    };
    match (planned, new) {
        (Value::Object(_), Value::Object(_)) if block.is_some() => {
            let Some(block) = block else { return };
            for a in &block.attributes {
                let p = path.attr(&a.name);
                check_applied_value(
                    None,
                    a.sensitive,
                    planned.get_attr(&a.name),
                    new.get_attr(&a.name),
                    &p,
                    type_name,
                    diags,
                );
            }
            for nb in &block.blocks {
                let p = path.attr(&nb.type_name);
                let (pl, nw) = (planned.get_attr(&nb.type_name), new.get_attr(&nb.type_name));
                match (nb.nesting, pl, nw) {
                    (Nesting::Single | Nesting::Group, _, _) => {
                        check_applied_value(Some(&nb.block), false, pl, nw, &p, type_name, diags)
                    }
                    (Nesting::List, Value::List(a), Value::List(b)) if a.len() == b.len() => {
                        for (i, (x, y)) in a.iter().zip(b).enumerate() {
                            check_applied_value(
                                Some(&nb.block),
                                false,
                                x,
                                y,
                                &p.index(i as i64),
                                type_name,
                                diags,
                            );
                        }
                    }
                    (Nesting::Map, Value::Map(a), Value::Map(b))
                        if a.len() == b.len() && a.keys().eq(b.keys()) =>
                    {
                        for (k, x) in a {
                            let y = b.get(k).unwrap_or(&Value::Null);
                            check_applied_value(
                                Some(&nb.block),
                                false,
                                x,
                                y,
                                &p.key(k),
                                type_name,
                                diags,
                            );
                        }
                    }
                    (Nesting::Set, Value::Set(a), Value::Set(b))
                        if a.len() == b.len() && !pl.is_wholly_known() => {}
                    _ => check_applied_value(None, false, pl, nw, &p, type_name, diags),
                }
            }
        }
        (Value::List(a), Value::List(b)) | (Value::Tuple(a), Value::Tuple(b))
            if a.len() == b.len() =>
        {
            for (i, (x, y)) in a.iter().zip(b).enumerate() {
                check_applied_value(
                    None,
                    sensitive,
                    x,
                    y,
                    &path.index(i as i64),
                    type_name,
                    diags,
                );
            }
        }
        (Value::Map(a), Value::Map(b)) | (Value::Object(a), Value::Object(b))
            if a.keys().eq(b.keys()) =>
        {
            for (k, x) in a {
                let y = b.get(k).unwrap_or(&Value::Null);
                check_applied_value(None, sensitive, x, y, &path.key(k), type_name, diags);
            }
        }
        // A set with unknown elements may legitimately resolve to fewer, merged elements.
        (Value::Set(_), Value::Set(_)) if !planned.is_wholly_known() => {}
        _ if planned == new => {}
        _ => mismatch(diags),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::tf::path::AttributePath;
    use crate::tf::schema::{Attribute, NestedBlock};

    fn block() -> Block {
        Block::new()
            .attribute(Attribute::string("name").required())
            .attribute(Attribute::string("id").computed())
            .attribute(Attribute::set("tags", Type::String).optional())
            .attribute(Attribute::string("secret").optional().sensitive())
            .block(NestedBlock::list(
                "volume",
                Block::new().attribute(Attribute::number("size").optional()),
            ))
            .block(NestedBlock::single(
                "lease",
                Block::new().attribute(Attribute::bool("on").optional()),
            ))
            .block(NestedBlock::group(
                "opts",
                Block::new().attribute(Attribute::bool("x").optional()),
            ))
    }

    #[test]
    fn normalize_fills_shape() {
        let v = normalize(
            &block(),
            &Value::object([
                ("name", Value::from("a")),
                ("tags", Value::list([Value::from("x"), Value::from("x")])),
            ]),
        );
        assert!(v.get_attr("id").is_null());
        assert_eq!(v.get_attr("tags"), &Value::set([Value::from("x")]));
        assert!(matches!(v.get_attr("tags"), Value::Set(items) if items.len() == 1));
        assert_eq!(v.get_attr("volume"), &Value::list([]));
        assert!(v.get_attr("lease").is_null());
        assert_eq!(v.get_attr("opts"), &Value::object([("x", Value::Null)]));
        assert!(v.check_type(&block().value_type()).is_ok());
        assert_eq!(block().empty_value().get_attr("volume"), &Value::list([]));
    }

    #[test]
    fn conform_reads_a_map_as_the_object_its_keys_name() {
        let ty = Type::Object(
            [
                ("a".to_string(), Type::String),
                ("n".to_string(), Type::Set(Box::new(Type::String))),
            ]
            .into_iter()
            .collect(),
        );
        let m = Value::Map(
            [
                ("a".to_string(), Value::from("x")),
                ("n".to_string(), Value::list([Value::from("y")])),
            ]
            .into_iter()
            .collect(),
        );
        let v = conform(&m, &ty);
        assert_eq!(v.get_attr("a"), &Value::from("x"));
        assert_eq!(v.get_attr("n"), &Value::set([Value::from("y")]));
        assert!(v.check_type(&ty).is_ok());
        let partial = Value::Map([("a".to_string(), Value::from("x"))].into_iter().collect());
        let v = conform(&partial, &ty);
        assert_eq!(v.get_attr("a"), &Value::from("x"));
        assert!(v.get_attr("n").is_null());
    }

    fn full(pairs: &[(&str, Value)]) -> Value {
        normalize(
            &block(),
            &Value::object(pairs.iter().map(|(k, v)| (*k, v.clone()))),
        )
    }

    #[test]
    fn plan_check_flags_config_mismatch() {
        let cfg = full(&[("name", "a".into())]);
        assert!(check_planned(
            &block(),
            &Value::Null,
            &cfg,
            &full(&[("name", "a".into()), ("id", Value::Unknown)]),
            "t"
        )
        .is_empty());
        let d = check_planned(
            &block(),
            &Value::Null,
            &cfg,
            &full(&[("name", "b".into())]),
            "t",
        );
        assert_eq!(d.0[0].path, Some(AttributePath::root("name")));
        let d = check_planned(
            &block(),
            &Value::Null,
            &cfg,
            &full(&[("name", "a".into()), ("secret", "s3cr3t".into())]),
            "t",
        );
        assert!(!d.0[0].detail.contains("s3cr3t"), "{}", d.0[0].detail);
        let d = check_planned(
            &block(),
            &Value::Null,
            &cfg,
            &full(&[
                ("name", "a".into()),
                (
                    "volume",
                    Value::list([Value::object([("size", Value::Null)])]),
                ),
            ]),
            "t",
        );
        assert_eq!(d.0[0].path, Some(AttributePath::root("volume")));
        // The prior value is an accepted plan for a configured value (diff suppression).
        let prior = full(&[("name", "A".into())]);
        assert!(check_planned(&block(), &prior, &cfg, &prior, "t").is_empty());
    }

    #[test]
    fn apply_check_flags_changed_known_values() {
        let planned = full(&[("name", "a".into()), ("id", Value::Unknown)]);
        assert!(check_applied(
            &block(),
            &planned,
            &full(&[("name", "a".into()), ("id", "i-1".into())]),
            "t"
        )
        .is_empty());
        let d = check_applied(
            &block(),
            &planned,
            &full(&[("name", "b".into()), ("id", "i-1".into())]),
            "t",
        );
        assert_eq!(d.0[0].path, Some(AttributePath::root("name")));
        assert!(
            d.0[0]
                .detail
                .contains(r#"t.name was planned as "a" but apply returned "b""#),
            "{}",
            d.0[0].detail
        );
        let planned = full(&[
            ("name", "a".into()),
            (
                "volume",
                Value::list([Value::object([("size", Value::from(1))])]),
            ),
        ]);
        let d = check_applied(
            &block(),
            &planned,
            &full(&[
                ("name", "a".into()),
                (
                    "volume",
                    Value::list([Value::object([("size", Value::from(2))])]),
                ),
            ]),
            "t",
        );
        assert_eq!(
            d.0[0].path,
            Some(AttributePath::root("volume").index(0).attr("size"))
        );
        let d = check_applied(
            &block(),
            &full(&[("name", "a".into()), ("secret", "x".into())]),
            &full(&[("name", "a".into()), ("secret", "y".into())]),
            "t",
        );
        assert!(d.0[0].detail.contains("(sensitive value)"));
    }
}
