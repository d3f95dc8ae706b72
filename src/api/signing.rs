//! Huawei Cloud AK/SK request signing (SDK-HMAC-SHA256, plus the SM3 and V11 variants) shared by the client,
//! which signs, and the emulator, which verifies. The rules are those of `shared/api/signing.md`.

mod canonical;
mod sign;
mod verify;

#[cfg(test)]
mod vector_tests;

pub use canonical::{
    canonical_query_from_pairs, canonical_query_from_raw, canonical_query_in_order,
    canonical_request, canonical_uri, encode, encode_bytes, payload_hash, signed_header_names,
    SDK_ENCODE_SET,
};
pub use sign::{sdk_query_pairs, QueryOrder, QueryValue, SignedRequest, Signer, SigningInput};
pub use verify::{
    auth_scheme, parse_authorization, verify, AuthScheme, ParsedAuthorization, ReceivedRequest,
    VerifiedRequest, VerifyError, VerifyOptions,
};

use hmac::{Hmac, Mac};
use sha2::Sha256;
use sm3::Sm3;
use time::{format_description::FormatItem, macros::format_description, OffsetDateTime};

/// `X-Sdk-Date` format: `YYYYMMDD'T'HHMMSS'Z'`, UTC, no separators.
pub const SDK_DATE_FORMAT: &[FormatItem<'static>] =
    format_description!("[year][month][day]T[hour][minute][second]Z");

pub const HEADER_SDK_DATE: &str = "X-Sdk-Date";
pub const HEADER_PROJECT_ID: &str = "X-Project-Id";
pub const HEADER_SECURITY_TOKEN: &str = "X-Security-Token";
pub const HEADER_AUTH_TOKEN: &str = "X-Auth-Token";
pub const HEADER_AUTHORIZATION: &str = "Authorization";
pub const HEADER_HOST: &str = "Host";
pub const HEADER_CONTENT_TYPE: &str = "Content-Type";
pub const UNSIGNED_PAYLOAD: &str = "UNSIGNED-PAYLOAD";

/// Formats a UTC instant as an `X-Sdk-Date` value.
pub fn format_sdk_date(t: OffsetDateTime) -> String {
    let utc = t.to_offset(time::UtcOffset::UTC);
    // Every request formats one date: writing the digits directly avoids the format-description interpreter.
    // Years outside 0..=9999 (never met in practice) take the general path, which decides their rendering.
    if let Ok(year) = u16::try_from(utc.year()) {
        if year <= 9999 {
            fn push(out: &mut String, n: u16, width: u32) {
                for i in (0..width).rev() {
                    let digit = (n / 10u16.pow(i)) % 10;
                    out.push(char::from(b'0' + digit as u8));
                }
            }
            let mut out = String::with_capacity(16);
            push(&mut out, year, 4);
            push(&mut out, u16::from(u8::from(utc.month())), 2);
            push(&mut out, u16::from(utc.day()), 2);
            out.push('T');
            push(&mut out, u16::from(utc.hour()), 2);
            push(&mut out, u16::from(utc.minute()), 2);
            push(&mut out, u16::from(utc.second()), 2);
            out.push('Z');
            return out;
        }
    }
    // The format has only numeric components, so formatting cannot fail for any representable instant;
    // falling back to the Unix epoch keeps this path panic-free regardless.
    utc.format(SDK_DATE_FORMAT)
        .unwrap_or_else(|_| "19700101T000000Z".to_string())
}

/// Parses an `X-Sdk-Date` value as UTC.
pub fn parse_sdk_date(s: &str) -> Option<OffsetDateTime> {
    time::PrimitiveDateTime::parse(s.trim(), SDK_DATE_FORMAT)
        .ok()
        .map(|p| p.assume_utc())
}

/// The hash function behind an algorithm.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Digest {
    Sha256,
    Sm3,
}

/// SHA-256 of the empty string: the payload hash of every body-less request.
const SHA256_OF_EMPTY: &str = "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855";

impl Digest {
    /// The hex digest of an empty payload, without hashing for the common SHA-256 case.
    pub fn hex_of_empty(self) -> String {
        match self {
            Digest::Sha256 => SHA256_OF_EMPTY.to_string(),
            Digest::Sm3 => self.hex(b""),
        }
    }

    pub fn hex(self, data: &[u8]) -> String {
        use sha2::Digest as _;
        match self {
            Digest::Sha256 => hex::encode(Sha256::digest(data)),
            Digest::Sm3 => hex::encode(Sm3::digest(data)),
        }
    }

    pub fn hmac(self, key: &[u8], msg: &[u8]) -> Vec<u8> {
        // HMAC accepts keys of any length, so `new_from_slice` never fails for these digests.
        match self {
            Digest::Sha256 => match Hmac::<Sha256>::new_from_slice(key) {
                Ok(mut m) => {
                    m.update(msg);
                    m.finalize().into_bytes().to_vec()
                }
                Err(_) => Vec::new(),
            },
            Digest::Sm3 => match Hmac::<Sm3>::new_from_slice(key) {
                Ok(mut m) => {
                    m.update(msg);
                    m.finalize().into_bytes().to_vec()
                }
                Err(_) => Vec::new(),
            },
        }
    }

    /// The header that marks an unsigned payload for this digest.
    pub fn content_hash_header(self) -> &'static str {
        match self {
            Digest::Sha256 => "X-Sdk-Content-Sha256",
            Digest::Sm3 => "X-Sdk-Content-Sm3",
        }
    }
}

/// Signature algorithm. ModelArts clients use [`Algorithm::SdkHmacSha256`]; the others exist so that a verifier
/// can accept every request the official SDK can produce.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Algorithm {
    SdkHmacSha256,
    SdkHmacSm3,
    /// Derived-key variant; the scope is `YYYYMMDD/<region>/<service>`.
    V11HmacSha256 {
        region: String,
        service: String,
    },
}

impl Algorithm {
    pub fn name(&self) -> &'static str {
        match self {
            Algorithm::SdkHmacSha256 => "SDK-HMAC-SHA256",
            Algorithm::SdkHmacSm3 => "SDK-HMAC-SM3",
            Algorithm::V11HmacSha256 { .. } => "V11-HMAC-SHA256",
        }
    }

    pub fn digest(&self) -> Digest {
        match self {
            Algorithm::SdkHmacSm3 => Digest::Sm3,
            _ => Digest::Sha256,
        }
    }
}

/// An HMAC key with its inner and outer pads already hashed: a signer keeps one per secret key, so each request
/// hashes only its own string to sign.
#[derive(Clone)]
pub(crate) enum KeyedMac {
    Sha256(Hmac<Sha256>),
    Sm3(Hmac<Sm3>),
}

impl KeyedMac {
    /// `None` only if the MAC refused the key, which HMAC never does (any key length is valid).
    pub(crate) fn new(digest: Digest, key: &[u8]) -> Option<Self> {
        match digest {
            Digest::Sha256 => Hmac::<Sha256>::new_from_slice(key)
                .ok()
                .map(KeyedMac::Sha256),
            Digest::Sm3 => Hmac::<Sm3>::new_from_slice(key).ok().map(KeyedMac::Sm3),
        }
    }

    /// The hex MAC of `msg`; the same bytes as `hex::encode(digest.hmac(key, msg))`.
    pub(crate) fn hex(&self, msg: &[u8]) -> String {
        match self {
            KeyedMac::Sha256(m) => {
                let mut m = m.clone();
                m.update(msg);
                hex::encode(m.finalize().into_bytes())
            }
            KeyedMac::Sm3(m) => {
                let mut m = m.clone();
                m.update(msg);
                hex::encode(m.finalize().into_bytes())
            }
        }
    }
}

/// Computes the string to sign and the hex signature for a canonical request. `scope` is only used by V11.
pub(crate) fn string_to_sign_and_signature(
    algorithm_name: &str,
    digest: Digest,
    scope: Option<&str>,
    ak: &str,
    sk: &str,
    sdk_date: &str,
    canonical_request: &str,
) -> (String, String) {
    let hashed = digest.hex(canonical_request.as_bytes());
    match scope {
        Some(scope) => {
            let sts = format!("{algorithm_name}\n{sdk_date}\n{scope}\n{hashed}");
            let key = v11_derived_key(ak, sk, scope);
            let sig = hex::encode(digest.hmac(key.as_bytes(), sts.as_bytes()));
            (sts, sig)
        }
        None => {
            let sts = format!("{algorithm_name}\n{sdk_date}\n{hashed}");
            let sig = hex::encode(digest.hmac(sk.as_bytes(), sts.as_bytes()));
            (sts, sig)
        }
    }
}

/// V11 key: HKDF-SHA256 with salt AK, input SK, info scope, 32 bytes; its hex text is the HMAC key.
fn v11_derived_key(ak: &str, sk: &str, scope: &str) -> String {
    let prk = Digest::Sha256.hmac(ak.as_bytes(), sk.as_bytes());
    let mut info = scope.as_bytes().to_vec();
    info.push(0x01);
    hex::encode(Digest::Sha256.hmac(&prk, &info))
}

/// Compares two strings in time independent of where they differ.
pub(crate) fn constant_time_eq(a: &[u8], b: &[u8]) -> bool {
    if a.len() != b.len() {
        return false;
    }
    a.iter().zip(b).fold(0u8, |acc, (x, y)| acc | (x ^ y)) == 0
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sdk_date_round_trip() {
        let t = parse_sdk_date("20240115T083000Z").unwrap();
        assert_eq!(format_sdk_date(t), "20240115T083000Z");
        assert!(parse_sdk_date("2024-01-15T08:30:00Z").is_none());
        assert!(parse_sdk_date("20240115T083000").is_none());
    }

    #[test]
    fn sdk_date_fast_path_matches_the_format_description() {
        let mut t = OffsetDateTime::from_unix_timestamp(0).unwrap();
        // A step of a prime number of seconds (~92 days) walks every digit position through 1970..~6900.
        for _ in 0..20_000 {
            let expected = t.format(SDK_DATE_FORMAT).unwrap();
            assert_eq!(format_sdk_date(t), expected);
            t += time::Duration::seconds(7_919_993);
            if t.year() > 9999 {
                break;
            }
        }
        let offset = time::UtcOffset::from_hms(5, 30, 0).unwrap();
        let local = time::macros::datetime!(2024-01-01 03:04:05 UTC).to_offset(offset);
        assert_eq!(format_sdk_date(local), "20240101T030405Z");
    }

    #[test]
    fn empty_payload_digests_match_hashing() {
        for d in [Digest::Sha256, Digest::Sm3] {
            assert_eq!(d.hex_of_empty(), d.hex(b""));
        }
    }

    #[test]
    fn keyed_mac_matches_one_shot_hmac() {
        for d in [Digest::Sha256, Digest::Sm3] {
            let key = KeyedMac::new(d, b"secret-key").unwrap();
            for msg in [&b""[..], b"SDK-HMAC-SHA256\n20240115T083000Z\nabc"] {
                assert_eq!(key.hex(msg), hex::encode(d.hmac(b"secret-key", msg)));
                // The stored key is not consumed by use.
                assert_eq!(key.hex(msg), hex::encode(d.hmac(b"secret-key", msg)));
            }
        }
    }

    #[test]
    fn constant_time_eq_detects_any_difference() {
        assert!(constant_time_eq(b"abc", b"abc"));
        assert!(!constant_time_eq(b"abc", b"abd"));
        assert!(!constant_time_eq(b"abc", b"ab"));
    }
}
