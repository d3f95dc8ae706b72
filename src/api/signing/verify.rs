//! The verifier: parses `Authorization` and recomputes the signature from a received request, the way the API
//! gateway does (signing.md §5).

use std::fmt;

use http::HeaderMap;
use time::{Duration, OffsetDateTime};

use super::canonical::{canonical_query_from_raw, canonical_request, canonical_uri, payload_hash};
use super::{
    constant_time_eq, parse_sdk_date, string_to_sign_and_signature, Digest, HEADER_AUTHORIZATION,
    HEADER_AUTH_TOKEN, HEADER_SDK_DATE,
};

/// Why a request failed authentication. Every variant maps to HTTP 401 `APIGW.0301` at the gateway.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum VerifyError {
    #[error("x-auth-token not found")]
    MissingCredentials,
    #[error("malformed Authorization header: {0}")]
    MalformedAuthorization(String),
    #[error("unsupported signing algorithm {0}")]
    UnsupportedAlgorithm(String),
    #[error("missing or malformed X-Sdk-Date")]
    BadDate,
    #[error("X-Sdk-Date is {skew_seconds}s away from the server clock")]
    DateSkew { skew_seconds: i64 },
    #[error("signed header {0} is missing")]
    MissingSignedHeader(String),
    #[error("header {0} is not valid UTF-8")]
    MalformedHeader(String),
    #[error("verify aksk signature fail")]
    SignatureMismatch,
}

/// How a request authenticates.
#[derive(Clone, PartialEq, Eq)]
pub enum AuthScheme {
    Signature(ParsedAuthorization),
    /// IAM token from `X-Auth-Token`.
    Token(String),
}

impl fmt::Debug for AuthScheme {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            AuthScheme::Signature(p) => f.debug_tuple("Signature").field(p).finish(),
            AuthScheme::Token(_) => f.write_str("Token(<redacted>)"),
        }
    }
}

/// A parsed `Authorization` header value.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ParsedAuthorization {
    /// `SDK-HMAC-SHA256`, `SDK-HMAC-SM3` or `V11-HMAC-SHA256`.
    pub algorithm: String,
    pub access_key: String,
    /// V11 only: `YYYYMMDD/<region>/<service>`.
    pub scope: Option<String>,
    pub signed_headers: Vec<String>,
    pub signature: String,
}

/// Chooses the scheme: a signature when `Authorization` is present, else an IAM token, else an error.
pub fn auth_scheme(headers: &HeaderMap) -> Result<AuthScheme, VerifyError> {
    if let Some(v) = headers.get(HEADER_AUTHORIZATION) {
        let s = v
            .to_str()
            .map_err(|_| VerifyError::MalformedHeader(HEADER_AUTHORIZATION.to_string()))?;
        return parse_authorization(s).map(AuthScheme::Signature);
    }
    if let Some(v) = headers.get(HEADER_AUTH_TOKEN) {
        let s = v
            .to_str()
            .map_err(|_| VerifyError::MalformedHeader(HEADER_AUTH_TOKEN.to_string()))?;
        return Ok(AuthScheme::Token(s.trim().to_string()));
    }
    Err(VerifyError::MissingCredentials)
}

fn digest_of(algorithm: &str) -> Result<Digest, VerifyError> {
    match algorithm {
        "SDK-HMAC-SHA256" | "V11-HMAC-SHA256" => Ok(Digest::Sha256),
        "SDK-HMAC-SM3" => Ok(Digest::Sm3),
        other => Err(VerifyError::UnsupportedAlgorithm(other.to_string())),
    }
}

/// Parses `ALG Access=AK, SignedHeaders=a;b, Signature=hex` (`Credential=AK/scope` for V11).
pub fn parse_authorization(value: &str) -> Result<ParsedAuthorization, VerifyError> {
    let malformed = |why: &str| VerifyError::MalformedAuthorization(why.to_string());
    let value = value.trim();
    let (algorithm, rest) = value
        .split_once(' ')
        .ok_or_else(|| malformed("no parameters"))?;
    digest_of(algorithm)?;
    let v11 = algorithm == "V11-HMAC-SHA256";
    let (mut access, mut signed, mut signature) = (None, None, None);
    for part in rest.split(',') {
        let (k, v) = part
            .trim()
            .split_once('=')
            .ok_or_else(|| malformed("parameter without '='"))?;
        match k.trim() {
            "Access" if !v11 => access = Some(v.trim().to_string()),
            "Credential" if v11 => access = Some(v.trim().to_string()),
            "SignedHeaders" => signed = Some(v.trim().to_string()),
            "Signature" => signature = Some(v.trim().to_string()),
            _ => {}
        }
    }
    let access = access.ok_or_else(|| malformed("missing Access"))?;
    let signed = signed.ok_or_else(|| malformed("missing SignedHeaders"))?;
    let signature = signature.ok_or_else(|| malformed("missing Signature"))?;
    let (access_key, scope) = if v11 {
        let (ak, scope) = access
            .split_once('/')
            .ok_or_else(|| malformed("Credential without scope"))?;
        (ak.to_string(), Some(scope.to_string()))
    } else {
        (access, None)
    };
    if access_key.is_empty() || signed.is_empty() || signature.is_empty() {
        return Err(malformed("empty parameter"));
    }
    Ok(ParsedAuthorization {
        algorithm: algorithm.to_string(),
        access_key,
        scope,
        signed_headers: signed.split(';').map(|s| s.to_ascii_lowercase()).collect(),
        signature,
    })
}

/// A request as received, before any decoding or normalisation by the HTTP framework.
#[derive(Debug, Clone, Copy)]
pub struct ReceivedRequest<'a> {
    pub method: &'a str,
    /// The raw request-target path (before `?`), exactly as on the request line.
    pub raw_path: &'a str,
    /// The raw query string after `?`, if any.
    pub raw_query: Option<&'a str>,
    pub headers: &'a HeaderMap,
    pub body: &'a [u8],
}

/// Clock check settings: `max_skew: None` disables the check (for replaying fixed-date vectors).
#[derive(Debug, Clone, Copy)]
pub struct VerifyOptions {
    pub now: OffsetDateTime,
    pub max_skew: Option<Duration>,
}

impl VerifyOptions {
    /// The gateway's rule: at most 15 minutes either way.
    pub fn gateway(now: OffsetDateTime) -> Self {
        VerifyOptions {
            now,
            max_skew: Some(Duration::minutes(15)),
        }
    }
}

/// What a successful verification established.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct VerifiedRequest {
    pub access_key: String,
    /// True when only the raw-query fallback matched (the SDK's numeric-sort quirk).
    pub used_raw_query_fallback: bool,
}

fn header_str<'h>(headers: &'h HeaderMap, name: &str) -> Result<Option<&'h str>, VerifyError> {
    match headers.get(name) {
        None => Ok(None),
        Some(v) => std::str::from_utf8(v.as_bytes())
            .map(|s| Some(s.trim()))
            .map_err(|_| VerifyError::MalformedHeader(name.to_string())),
    }
}

/// Recomputes the signature of `req` with `sk` and compares it in constant time.
pub fn verify(
    req: &ReceivedRequest<'_>,
    auth: &ParsedAuthorization,
    sk: &str,
    opts: &VerifyOptions,
) -> Result<VerifiedRequest, VerifyError> {
    let digest = digest_of(&auth.algorithm)?;
    let sdk_date = header_str(req.headers, HEADER_SDK_DATE)?.ok_or(VerifyError::BadDate)?;
    let date = parse_sdk_date(sdk_date).ok_or(VerifyError::BadDate)?;
    if let Some(max) = opts.max_skew {
        let skew = date - opts.now;
        if skew.abs() > max {
            return Err(VerifyError::DateSkew {
                skew_seconds: skew.whole_seconds(),
            });
        }
    }

    let mut lines = Vec::with_capacity(auth.signed_headers.len());
    for name in &auth.signed_headers {
        let value = header_str(req.headers, name)?
            .ok_or_else(|| VerifyError::MissingSignedHeader(name.clone()))?;
        lines.push((name.clone(), value.to_string()));
    }
    let signed_headers = auth.signed_headers.join(";");
    let content_hash = header_str(req.headers, digest.content_hash_header())?;
    let hash = payload_hash(digest, req.body, content_hash);
    let uri = canonical_uri(req.raw_path);
    let raw_query = req.raw_query.unwrap_or("");

    let attempt = |query: &str| {
        let creq = canonical_request(req.method, &uri, query, &lines, &signed_headers, &hash);
        let (_, sig) = string_to_sign_and_signature(
            &auth.algorithm,
            digest,
            auth.scope.as_deref(),
            &auth.access_key,
            sk,
            sdk_date,
            &creq,
        );
        constant_time_eq(
            sig.as_bytes(),
            auth.signature.to_ascii_lowercase().as_bytes(),
        )
    };
    let sorted = canonical_query_from_raw(raw_query);
    if attempt(&sorted) {
        return Ok(VerifiedRequest {
            access_key: auth.access_key.clone(),
            used_raw_query_fallback: false,
        });
    }
    if sorted != raw_query && attempt(raw_query) {
        return Ok(VerifiedRequest {
            access_key: auth.access_key.clone(),
            used_raw_query_fallback: true,
        });
    }
    Err(VerifyError::SignatureMismatch)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_sdk_and_v11_headers() {
        let p = parse_authorization(
            "SDK-HMAC-SHA256 Access=AK1, SignedHeaders=content-type;host;x-sdk-date, Signature=abc",
        )
        .unwrap();
        assert_eq!(p.access_key, "AK1");
        assert_eq!(p.signed_headers, vec!["content-type", "host", "x-sdk-date"]);
        assert_eq!(p.signature, "abc");
        assert_eq!(p.scope, None);
        let p = parse_authorization(
            "V11-HMAC-SHA256 Credential=AK1/20240115/r/s, SignedHeaders=host, Signature=ff",
        )
        .unwrap();
        assert_eq!(p.access_key, "AK1");
        assert_eq!(p.scope.as_deref(), Some("20240115/r/s"));
    }

    #[test]
    fn rejects_malformed_headers() {
        for bad in [
            "",
            "SDK-HMAC-SHA256",
            "SDK-HMAC-SHA256 Access=AK1, SignedHeaders=host",
            "SDK-HMAC-SHA256 SignedHeaders=host, Signature=ab",
            "SDK-HMAC-SHA256 Access=AK1 SignedHeaders=host Signature=ab",
            "V11-HMAC-SHA256 Credential=AK1, SignedHeaders=host, Signature=ab",
        ] {
            assert!(
                matches!(
                    parse_authorization(bad),
                    Err(VerifyError::MalformedAuthorization(_))
                ),
                "{bad:?}"
            );
        }
        assert_eq!(
            parse_authorization("AWS4-HMAC-SHA256 Credential=x, SignedHeaders=h, Signature=s"),
            Err(VerifyError::UnsupportedAlgorithm("AWS4-HMAC-SHA256".into()))
        );
    }

    #[test]
    fn scheme_prefers_signature_then_token_then_rejects() {
        let mut h = HeaderMap::new();
        assert_eq!(auth_scheme(&h), Err(VerifyError::MissingCredentials));
        h.insert("x-auth-token", "tok".parse().unwrap());
        assert_eq!(auth_scheme(&h), Ok(AuthScheme::Token("tok".into())));
        assert_eq!(
            format!("{:?}", auth_scheme(&h).unwrap()),
            "Token(<redacted>)"
        );
        h.insert(
            "authorization",
            "SDK-HMAC-SHA256 Access=A, SignedHeaders=host, Signature=s"
                .parse()
                .unwrap(),
        );
        assert!(matches!(auth_scheme(&h), Ok(AuthScheme::Signature(_))));
    }
}
