//! Fuzzes cty's JSON decoders (stored state, DynamicValue.json; strict and lenient) and the type-JSON parser.
//! Property: no panic; a decoded value re-encodes and strictly decodes to an equal value; a parsed type
//! re-serialises to type JSON that parses to the same type; the state transcoder's msgpack, when it answers,
//! is the encoding of the lenient decode.
#![no_main]

use libfuzzer_sys::fuzz_target;
use modelarts::tf::{json, msgpack, Type};

fuzz_target!(|data: &[u8]| {
    let Some((name, ty, bytes)) = fuzz_support::split_type(data) else {
        return;
    };
    if let Ok(t) = Type::from_json(bytes) {
        let again = Type::from_json_value(&t.to_json_value())
            .unwrap_or_else(|e| panic!("type JSON does not round-trip: {e}; {t:?}"));
        assert_eq!(t, again);
    }
    let strict = json::decode(bytes, ty);
    let lenient = json::decode_lenient(bytes, ty);
    if let Ok(v) = &strict {
        // Strict success implies lenient success with the same value.
        assert_eq!(
            lenient.as_ref().ok(),
            Some(v),
            "{name}: lenient differs from strict"
        );
    }
    if let Some(fast) = json::transcode_state(bytes, ty, None) {
        let v = lenient
            .as_ref()
            .unwrap_or_else(|e| panic!("{name}: transcoded input does not decode: {e}"));
        assert_eq!(
            msgpack::encode(v, ty).ok(),
            Some(fast),
            "{name}: transcoder differs from decode + encode"
        );
    }
    for v in [strict, lenient].into_iter().flatten() {
        let enc = json::encode(&v, ty)
            .unwrap_or_else(|e| panic!("{name}: decoded value does not re-encode: {e}; {v:?}"));
        let again = json::decode(&enc, ty)
            .unwrap_or_else(|e| panic!("{name}: re-encoded JSON does not decode: {e}"));
        assert_eq!(v, again, "{name}: JSON round trip changed the value");
    }
});
