//! The transcoder against the path it shortcuts: lenient typed decode, normal-form check, msgpack encode.

use proptest::prelude::*;

use super::*;
use crate::tf::json::{decoded_is_normal, encode, try_decode_lenient};
use crate::tf::msgpack;
use crate::tf::schema::{Attribute, NestedBlock};
use crate::tf::types::strategy::any_type;
use crate::tf::value::strategy::{typed_value, value_of};

/// What UpgradeResourceState did before the transcoder for input that needs no normalising.
fn reference(json: &[u8], ty: &Type, block: Option<&Block>) -> Option<Vec<u8>> {
    let v = try_decode_lenient(json, ty)?;
    if block.is_some_and(|b| !decoded_is_normal(b, &v)) {
        return None;
    }
    Some(msgpack::encode(&v, ty).unwrap())
}

/// Whenever the transcoder answers, it answers what the old path did. Returns the answer.
fn agree(json: &[u8], ty: &Type, block: Option<&Block>) -> Result<Option<Vec<u8>>, TestCaseError> {
    let fast = transcode_state(json, ty, block);
    if fast.is_some() {
        prop_assert_eq!(
            &fast,
            &reference(json, ty, block),
            "input {}",
            String::from_utf8_lossy(json)
        );
    }
    Ok(fast)
}

/// Accepted and equal to the old path.
fn same(json: &str, ty: &Type) {
    let fast = transcode_state(json.as_bytes(), ty, None);
    assert!(fast.is_some(), "declined {json}");
    assert_eq!(fast, reference(json.as_bytes(), ty, None), "{json}");
}

fn declined(json: &str, ty: &Type, block: Option<&Block>) {
    assert_eq!(transcode_state(json.as_bytes(), ty, block), None, "{json}");
}

/// Whether a set holds a set (or a dynamic value) somewhere: duplicates there are left to the old path.
fn set_in_set(ty: &Type) -> bool {
    match ty {
        Type::Set(e) => bytes_may_differ(e) || set_in_set(e),
        Type::List(e) | Type::Map(e) => set_in_set(e),
        Type::Tuple(ts) => ts.iter().any(set_in_set),
        Type::Object(_) => {
            object_attrs(ty).is_some_and(|(_, mut it)| it.any(|(_, t)| set_in_set(t)))
        }
        _ => false,
    }
}

#[test]
fn number_forms() {
    for n in [
        "0",
        "-0",
        "7",
        "127",
        "128",
        "-32",
        "-33",
        "255",
        "65536",
        "-2147483649",
        "123456789012345678",
        "-123456789012345678",
        "9223372036854775807",
        "-9223372036854775808",
        "9223372036854775808",
        "18446744073709551616",
        "12345678901234567890123",
        "1.5",
        "0.1",
        "-0.0",
        "2.50",
        "1e3",
        "1E-2",
        "1.25e+2",
        "5e-324",
        "0.1000000000000000000000001",
    ] {
        same(n, &Type::Number);
        same(&format!("[{n}, 1]"), &Type::list(Type::Number));
    }
    for bad in [
        "01", "1.", ".5", "+1", "1e", "-", "1e99999", "--1", "1x", "0x10", "\"1\"",
    ] {
        declined(bad, &Type::Number, None);
    }
}

#[test]
fn strings_with_escapes_and_unicode() {
    for s in [
        r#""""#,
        r#""plain""#,
        r#""a\"b\\c\/d\b\f\n\r\te""#,
        r#""\u00e9\u4e2d\ud83d\ude00\u0000""#,
        "\"é中😀\"",
        r#""\u003cscript\u003e \u0026 \u2028""#,
        &format!("\"{}\"", "x".repeat(40)),
        &format!("\"{}\"", "y".repeat(300)),
        &format!("\"{}\"", "z".repeat(70000)),
    ] {
        same(s, &Type::String);
    }
    for bad in [
        r#""\ud800""#,
        r#""\ud800\u0041""#,
        r#""\udc00""#,
        r#""\x""#,
        r#""\u12""#,
        "\"tab\there\"",
        "\"open",
        "true",
        "12",
    ] {
        declined(bad, &Type::String, None);
    }
    assert_eq!(transcode_state(b"\"\xff\"", &Type::String, None), None);
    assert_eq!(transcode_state(b"\"\xc3\"", &Type::String, None), None);
}

#[test]
fn sets_drop_duplicates_like_the_decoder() {
    same(r#"["a","b","a","b","c"]"#, &Type::set(Type::String));
    same("[1, 1.0, 1e0, 10e-1, 2]", &Type::set(Type::Number));
    same("[null, null, 1]", &Type::set(Type::Number));
    let obj = Type::set(Type::object([("a", Type::String), ("b", Type::Number)]));
    same(r#"[{"a":"x"},{"a":"x","b":null},{"b":1}]"#, &obj);
    let elems = (0..20).map(|i| (i % 17).to_string()).collect::<Vec<_>>();
    same(&format!("[{}]", elems.join(",")), &Type::set(Type::Number));
    // Nested sets compare unordered: one element is fine, two go the old way.
    let nested = Type::set(Type::set(Type::String));
    same(r#"[["a","b"]]"#, &nested);
    declined(r#"[["a","b"],["b","a"]]"#, &nested, None);
}

#[test]
fn collection_sizes_use_every_header_form() {
    for n in [0usize, 15, 16, 65535, 65536] {
        let items = vec!["1"; n].join(",");
        same(&format!("[{items}]"), &Type::list(Type::Number));
        let entries = (0..n)
            .map(|i| format!("\"k{i:06}\":true"))
            .collect::<Vec<_>>()
            .join(",");
        same(&format!("{{{entries}}}"), &Type::map(Type::Bool));
    }
}

#[test]
fn objects_missing_extra_and_odd_keys() {
    let ty = Type::object([
        ("a", Type::String),
        ("m", Type::map(Type::Number)),
        ("t", Type::tuple([Type::Bool, Type::String])),
        ("z", Type::list(Type::Bool)),
    ]);
    same("{}", &ty);
    same("null", &ty);
    same(r#"{"m":{"x":1,"y\u00e9":2}}"#, &ty);
    same(r#" { "a" : "s" , "t" : [ true , "u" ] } "#, &ty);
    same(
        &format!(
            "{{{0}\"a\"{0}:{0}\"s\"{0}}}{0}",
            " ".repeat(19) + "\n\t\r   "
        ),
        &ty,
    );
    // Attributes the schema no longer has are skipped, whatever they hold.
    same(
        r#"{"0":[1,{"q":[]}],"a":"s","b":{"\u0041":"\n"},"zz":null}"#,
        &ty,
    );
    for bad in [
        r#"{"m":{},"a":"s"}"#,
        r#"{"a":"s","a":"t"}"#,
        r#"{"\u0061":"s"}"#,
        r#"{"m":{"y":1,"x":2}}"#,
        r#"{"m":{"x":1,"x":2}}"#,
        r#"{"t":[true]}"#,
        r#"{"t":[true,"u",1]}"#,
        r#"{"a":"s",}"#,
        r#"{"a":"s"} x"#,
        r#"{"a":"s""#,
        r#"{"b":[1,]}"#,
        r#"{"b":01}"#,
        r#"{"$serde_json::private::Number":"1"}"#,
        r#"{"m":{"$serde_json::private::Number":"1"}}"#,
        "[]",
        "",
    ] {
        declined(bad, &ty, None);
    }
    let deep = format!("{{\"b\":{}{}}}", "[".repeat(200), "]".repeat(200));
    declined(&deep, &ty, None);
}

#[test]
fn dynamic_values_go_the_old_way_unless_null() {
    let ty = Type::object([("d", Type::Dynamic), ("s", Type::String)]);
    same(r#"{"d":null,"s":"x"}"#, &ty);
    same(r#"{"s":"x"}"#, &ty);
    declined(r#"{"d":{"value":"a","type":"string"}}"#, &ty, None);
}

fn blocky() -> Block {
    let inner = || Block::new().attribute(Attribute::string("x").optional());
    Block::new()
        .attribute(Attribute::string("name").optional())
        .block(NestedBlock::list("l", inner()))
        .block(NestedBlock::set("s", inner()))
        .block(NestedBlock::map("m", inner()))
        .block(NestedBlock::single(
            "one",
            inner().block(NestedBlock::list("deep", inner())),
        ))
        .block(NestedBlock::group("g", inner()))
}

#[test]
fn block_normal_form() {
    let block = blocky();
    let ty = block.value_type();
    let ok = |json: &str| {
        let fast = transcode_state(json.as_bytes(), &ty, Some(&block));
        assert!(fast.is_some(), "declined {json}");
        assert_eq!(
            fast,
            reference(json.as_bytes(), &ty, Some(&block)),
            "{json}"
        );
    };
    ok(r#"{"g":{},"l":[],"m":{},"s":[]}"#);
    ok(
        r#"{"g":{"x":"1"},"l":[{"x":"a"},null],"m":{"k":{}},"name":null,"one":null,"s":[{"x":"b"}]}"#,
    );
    ok(r#"{"g":{},"l":[],"m":{},"one":{"deep":[{}],"x":"y"},"s":[]}"#);
    for bad in [
        // Absent or null collection blocks and groups need normalising.
        r#"{"l":[],"m":{},"s":[]}"#,
        r#"{"g":null,"l":[],"m":{},"s":[]}"#,
        r#"{"g":{},"m":{},"s":[]}"#,
        r#"{"g":{},"l":null,"m":{},"s":[]}"#,
        r#"{"g":{},"l":[],"s":[]}"#,
        r#"{"g":{},"l":[],"m":{},"s":null}"#,
        // ... also nested inside blocks.
        r#"{"g":{},"l":[],"m":{},"one":{"x":"y"},"s":[]}"#,
        r#"{"g":{},"l":[],"m":{},"one":{"deep":null},"s":[]}"#,
    ] {
        assert_eq!(reference(bad.as_bytes(), &ty, Some(&block)), None, "{bad}");
        declined(bad, &ty, Some(&block));
    }
    // Without the block the same input is plain data.
    same(r#"{"l":null}"#, &ty);
    // A type that is not the block's value type is declined.
    declined("{}", &Type::object([("name", Type::String)]), Some(&block));
}

fn notebook() -> (Block, Type) {
    let schema = crate::resources::notebook::schema();
    let ty = schema.value_type();
    (schema.block, ty)
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(256))]

    #[test]
    fn matches_the_old_path((ty, v) in typed_value(), other in any_type(),
                            idx in any::<usize>(), byte in any::<u8>()) {
        let v = v.unknown_as_null();
        let json = encode(&v, &ty).unwrap();
        let fast = agree(&json, &ty, None)?;
        if !ty.has_dynamic() && !set_in_set(&ty) {
            prop_assert!(fast.is_some(), "declined {}", String::from_utf8_lossy(&json));
        }
        agree(&json, &other, None)?;
        let pretty = serde_json::to_vec_pretty(&serde_json::from_slice::<serde_json::Value>(&json).unwrap()).unwrap();
        agree(&pretty, &ty, None)?;
        let mut bad = json.clone();
        let i = idx % bad.len();
        bad[i] = byte;
        agree(&bad, &ty, None)?;
        bad.truncate(i);
        agree(&bad, &ty, None)?;
    }

    /// The real schema: normal stored state always takes the fast path, anything else agrees or declines.
    #[test]
    fn notebook_state((v, normalise) in (value_of(&notebook().1), any::<bool>()),
                      extra in prop::option::of("[a-z_]{1,6}"), idx in any::<usize>(), byte in any::<u8>()) {
        let (block, ty) = notebook();
        let v = v.unknown_as_null();
        let v = if normalise { crate::tf::conform::normalize(&block, &v) } else { v };
        let json = encode(&v, &ty).unwrap();
        let fast = agree(&json, &ty, Some(&block))?;
        if normalise {
            prop_assert!(fast.is_some(), "normal state declined: {}", String::from_utf8_lossy(&json));
        }
        if let (Some(x), Some(b'{')) = (&extra, json.first()) {
            let mut with = format!("{{\"{x}\":[1,{{\"k\":\"v\"}}],").into_bytes();
            with.extend_from_slice(&json[1..]);
            if json.len() > 2 {
                agree(&with, &ty, Some(&block))?;
            }
        }
        let mut bad = json.clone();
        let i = idx % bad.len();
        bad[i] = byte;
        agree(&bad, &ty, Some(&block))?;
        bad.truncate(i);
        agree(&bad, &ty, Some(&block))?;
    }

    #[test]
    fn arbitrary_text(ty in any_type(), s in "[\\[\\]{}:,\"a-z0-9.eE+\\\\ -]{0,48}") {
        agree(s.as_bytes(), &ty, None)?;
    }

    #[test]
    fn plain_run_finds_the_first_special_byte(s in prop::collection::vec(
        prop_oneof![1 => Just(b'"'), 1 => Just(b'\\'), 1 => 0u8..0x20, 12 => 0x20u8..=0xff], 0..40)) {
        let naive = s.iter().position(|&b| b == b'"' || b == b'\\' || b < 0x20).unwrap_or(s.len());
        prop_assert_eq!(plain_run(&s), naive);
    }

    #[test]
    fn arbitrary_bytes(ty in any_type(), s in prop::collection::vec(any::<u8>(), 0..48)) {
        agree(&s, &ty, None)?;
    }
}
