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

impl Digest {
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
    fn constant_time_eq_detects_any_difference() {
        assert!(constant_time_eq(b"abc", b"abc"));
        assert!(!constant_time_eq(b"abc", b"abd"));
        assert!(!constant_time_eq(b"abc", b"ab"));
    }
}
