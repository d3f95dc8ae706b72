//! The signer: turns a request's parts into the headers and wire URI of a signed request (signing.md §2).

use std::fmt;

use time::OffsetDateTime;

use super::canonical::{
    canonical_query_from_pairs, canonical_query_in_order, canonical_request, canonical_uri,
    payload_hash,
};
use super::{
    format_sdk_date, string_to_sign_and_signature, Algorithm, KeyedMac, HEADER_AUTHORIZATION,
    HEADER_CONTENT_TYPE, HEADER_HOST, HEADER_PROJECT_ID, HEADER_SDK_DATE, HEADER_SECURITY_TOKEN,
    UNSIGNED_PAYLOAD,
};

/// AK/SK credentials with an optional project ID (sent as `X-Project-Id`) and STS security token.
#[derive(Clone)]
pub struct Signer {
    ak: String,
    sk: String,
    security_token: Option<String>,
    project_id: Option<String>,
    algorithm: Algorithm,
    /// The secret key as a ready HMAC key, for the algorithms that sign with the SK itself (not V11).
    /// Boxed: the hashed pads are a few hundred bytes, and signers sit in enums beside small variants.
    mac: Option<Box<KeyedMac>>,
}

impl fmt::Debug for Signer {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Signer")
            .field("ak", &self.ak)
            .field("sk", &"<redacted>")
            .field(
                "security_token",
                &self.security_token.as_ref().map(|_| "<redacted>"),
            )
            .field("project_id", &self.project_id)
            .field("algorithm", &self.algorithm)
            .finish()
    }
}

/// One request to sign. `path` is the wire path with path parameters already percent-encoded; `query` holds the
/// un-encoded pairs (the signer sorts and encodes them); `host` is the URL authority (port only when explicit).
#[derive(Debug, Clone, Copy)]
pub struct SigningInput<'a> {
    pub method: &'a str,
    pub host: &'a str,
    pub path: &'a str,
    pub query: &'a [(String, String)],
    pub headers: &'a [(String, String)],
    pub body: &'a [u8],
    pub query_order: QueryOrder,
}

/// How the signer orders `SigningInput::query`.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum QueryOrder {
    /// Sort by (key, value) as strings: what a verifier that sorts the received query reproduces. The default.
    #[default]
    ByString,
    /// Keep the given order: the caller already sorted the pairs, e.g. with [`sdk_query_pairs`] to reproduce the
    /// SDK's numeric sort of integer values.
    AsGiven,
}

/// A typed query value as the SDK receives it, before normalisation.
#[derive(Debug, Clone, PartialEq)]
pub enum QueryValue {
    Str(String),
    Int(i64),
    Bool(bool),
    List(Vec<String>),
}

impl QueryValue {
    fn rank(&self) -> u8 {
        match self {
            QueryValue::Int(_) | QueryValue::Bool(_) => 0,
            QueryValue::Str(_) => 1,
            QueryValue::List(_) => 2,
        }
    }

    fn cmp_sdk(&self, other: &Self) -> std::cmp::Ordering {
        use QueryValue::*;
        let num = |v: &QueryValue| match v {
            Int(i) => *i,
            Bool(b) => i64::from(*b),
            _ => 0,
        };
        match (self, other) {
            (Str(a), Str(b)) => a.cmp(b),
            (List(a), List(b)) => a.cmp(b),
            _ if self.rank() == 0 && other.rank() == 0 => num(self).cmp(&num(other)),
            _ => self.rank().cmp(&other.rank()),
        }
    }
}

/// Orders and normalises typed pairs exactly like huaweicloudsdkcore: it sorts the raw (key, value) tuples, so
/// integers sort numerically, then turns booleans into `true`/`false` and expands each sorted list into repeated
/// keys. Use with [`QueryOrder::AsGiven`].
pub fn sdk_query_pairs(params: &[(String, QueryValue)]) -> Vec<(String, String)> {
    let mut sorted: Vec<&(String, QueryValue)> = params.iter().collect();
    sorted.sort_by(|a, b| a.0.cmp(&b.0).then_with(|| a.1.cmp_sdk(&b.1)));
    let mut out = Vec::with_capacity(sorted.len());
    for (k, v) in sorted {
        match v {
            QueryValue::Str(s) => out.push((k.clone(), s.clone())),
            QueryValue::Int(i) => out.push((k.clone(), i.to_string())),
            QueryValue::Bool(b) => out.push((k.clone(), b.to_string())),
            QueryValue::List(items) => {
                let mut items = items.clone();
                items.sort();
                out.extend(items.into_iter().map(|i| (k.clone(), i)));
            }
        }
    }
    out
}

/// The result of signing: every header to send (in the SDK's order, `Authorization` last) and the
/// request-target to put on the wire, plus the intermediate strings for diagnostics and tests.
#[derive(Clone, PartialEq, Eq)]
pub struct SignedRequest {
    /// `path` or `path?canonical-query`: the exact request-target to send.
    pub uri: String,
    pub headers: Vec<(String, String)>,
    pub canonical_request: String,
    pub string_to_sign: String,
    pub signed_headers: String,
    pub authorization: String,
}

impl fmt::Debug for SignedRequest {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let headers: Vec<(&str, &str)> = self
            .headers
            .iter()
            .map(|(n, v)| {
                if crate::api::redact::is_secret_header(n) {
                    (n.as_str(), "<redacted>")
                } else {
                    (n.as_str(), v.as_str())
                }
            })
            .collect();
        f.debug_struct("SignedRequest")
            .field("uri", &self.uri)
            .field("headers", &headers)
            .field("signed_headers", &self.signed_headers)
            .finish_non_exhaustive()
    }
}

fn find<'h>(headers: &'h [(String, String)], name: &str) -> Option<&'h str> {
    headers
        .iter()
        .find(|(n, _)| n.eq_ignore_ascii_case(name))
        .map(|(_, v)| v.as_str())
}

fn set(headers: &mut Vec<(String, String)>, name: &str, value: &str) {
    match headers
        .iter_mut()
        .find(|(n, _)| n.eq_ignore_ascii_case(name))
    {
        Some(slot) => slot.1 = value.trim().to_string(),
        None => headers.push((name.to_string(), value.trim().to_string())),
    }
}

impl Signer {
    pub fn new(ak: impl Into<String>, sk: impl Into<String>) -> Self {
        let sk = sk.into();
        let algorithm = Algorithm::SdkHmacSha256;
        Signer {
            ak: ak.into(),
            mac: Self::mac_for(&algorithm, &sk),
            sk,
            security_token: None,
            project_id: None,
            algorithm,
        }
    }

    fn mac_for(algorithm: &Algorithm, sk: &str) -> Option<Box<KeyedMac>> {
        match algorithm {
            Algorithm::V11HmacSha256 { .. } => None,
            _ => KeyedMac::new(algorithm.digest(), sk.as_bytes()).map(Box::new),
        }
    }

    pub fn with_security_token(mut self, token: Option<String>) -> Self {
        self.security_token = token;
        self
    }

    pub fn with_project_id(mut self, project_id: Option<String>) -> Self {
        self.project_id = project_id;
        self
    }

    pub fn with_algorithm(mut self, algorithm: Algorithm) -> Self {
        self.mac = Self::mac_for(&algorithm, &self.sk);
        self.algorithm = algorithm;
        self
    }

    pub fn access_key(&self) -> &str {
        &self.ak
    }

    /// Signs `input`. `now` is used only when the input carries no `X-Sdk-Date` header; take it from one clock
    /// reading per request.
    pub fn sign(&self, input: &SigningInput<'_>, now: OffsetDateTime) -> SignedRequest {
        let digest = self.algorithm.digest();
        // Step 1: the header set, values trimmed, in the order the SDK sends them.
        let mut headers: Vec<(String, String)> = Vec::with_capacity(input.headers.len() + 5);
        for (n, v) in input.headers {
            if !n.eq_ignore_ascii_case(HEADER_AUTHORIZATION) {
                set(&mut headers, n, v);
            }
        }
        if let Some(p) = &self.project_id {
            set(&mut headers, HEADER_PROJECT_ID, p);
        }
        if let Some(t) = &self.security_token {
            set(&mut headers, HEADER_SECURITY_TOKEN, t);
        }
        let content_hash_name = digest.content_hash_header();
        if let Some(ct) = find(&headers, HEADER_CONTENT_TYPE) {
            let ct = ct.to_ascii_lowercase();
            if !ct.starts_with("application/json") && !ct.starts_with("application/bson") {
                set(&mut headers, content_hash_name, UNSIGNED_PAYLOAD);
            }
        }
        if find(&headers, HEADER_SDK_DATE).is_none() {
            set(&mut headers, HEADER_SDK_DATE, &format_sdk_date(now));
        }
        if find(&headers, HEADER_HOST).is_none() {
            set(&mut headers, HEADER_HOST, input.host);
        }
        let sdk_date = find(&headers, HEADER_SDK_DATE)
            .unwrap_or_default()
            .to_string();

        // Steps 2–8.
        // Names are unique ignoring case (`set` replaces), so each signed name has exactly one value: pairing
        // them here is what `signed_header_names` + a lookup per name would give, without the lookups.
        let mut lines: Vec<(String, &str)> = headers
            .iter()
            .filter(|(n, _)| !n.contains('_'))
            .map(|(n, v)| (n.to_ascii_lowercase(), v.as_str()))
            .filter(|(n, _)| n != "authorization")
            .collect();
        lines.sort_by(|a, b| a.0.cmp(&b.0));
        lines.dedup_by(|a, b| a.0 == b.0);
        let signed_headers = lines
            .iter()
            .map(|(n, _)| n.as_str())
            .collect::<Vec<_>>()
            .join(";");
        let query = match input.query_order {
            QueryOrder::ByString => canonical_query_from_pairs(input.query),
            QueryOrder::AsGiven => canonical_query_in_order(input.query),
        };
        let hash = payload_hash(digest, input.body, find(&headers, content_hash_name));
        let creq = canonical_request(
            input.method,
            &canonical_uri(input.path),
            &query,
            &lines,
            &signed_headers,
            &hash,
        );

        // Steps 9–11.
        let scope = match &self.algorithm {
            Algorithm::V11HmacSha256 { region, service } => {
                let day = sdk_date.get(..8).unwrap_or(&sdk_date);
                Some(format!("{day}/{region}/{service}"))
            }
            _ => None,
        };
        let (string_to_sign, signature) = match (&self.mac, &scope) {
            (Some(mac), None) => {
                let sts = format!(
                    "{}\n{}\n{}",
                    self.algorithm.name(),
                    sdk_date,
                    digest.hex(creq.as_bytes())
                );
                let sig = mac.hex(sts.as_bytes());
                (sts, sig)
            }
            _ => string_to_sign_and_signature(
                self.algorithm.name(),
                digest,
                scope.as_deref(),
                &self.ak,
                &self.sk,
                &sdk_date,
                &creq,
            ),
        };
        let credential = match &scope {
            Some(s) => format!("Credential={}/{}", self.ak, s),
            None => format!("Access={}", self.ak),
        };
        let authorization = format!(
            "{} {}, SignedHeaders={}, Signature={}",
            self.algorithm.name(),
            credential,
            signed_headers,
            signature
        );
        headers.push((HEADER_AUTHORIZATION.to_string(), authorization.clone()));

        let uri = if query.is_empty() {
            input.path.to_string()
        } else {
            format!("{}?{}", input.path, query)
        };
        SignedRequest {
            uri,
            headers,
            canonical_request: creq,
            string_to_sign,
            signed_headers,
            authorization,
        }
    }
}
