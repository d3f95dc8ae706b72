//! Fuzzes the msgpack value decoder (what Terraform sends in every DynamicValue) against the provider's schemas.
//! Property: arbitrary bytes give a value or an error, never a panic; a decoded value re-encodes and decodes to
//! an equal value.
#![no_main]

use libfuzzer_sys::fuzz_target;
use modelarts::tf::msgpack;

fuzz_target!(|data: &[u8]| {
    let Some((name, ty, bytes)) = fuzz_support::split_type(data) else {
        return;
    };
    let Ok(v) = msgpack::decode(bytes, ty) else {
        return;
    };
    let enc = msgpack::encode(&v, ty)
        .unwrap_or_else(|e| panic!("{name}: decoded value does not re-encode: {e}; {v:?}"));
    let again = msgpack::decode(&enc, ty)
        .unwrap_or_else(|e| panic!("{name}: re-encoded value does not decode: {e}"));
    assert_eq!(v, again, "{name}: msgpack round trip changed the value");
});
