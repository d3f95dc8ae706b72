//! Replays every vector of `signing-vectors.json` (produced by huaweicloudsdkcore 3.1.219) through the signer and
//! the verifier, and checks that mutated requests are rejected.

use http::{HeaderMap, HeaderName, HeaderValue};
use serde_json::Value;

use super::*;

const VECTORS: &str = concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/tests/data/signing-vectors.json"
);
const SHARED_VECTORS: &str = concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/../shared/api/signing-vectors.json"
);
const QUIRK: &str = "get_repeated_int_values_numeric_sort";

fn vectors() -> Vec<Value> {
    let text = std::fs::read_to_string(VECTORS).unwrap();
    let doc: Value = serde_json::from_str(&text).unwrap();
    doc["vectors"].as_array().unwrap().clone()
}

fn s(v: &Value) -> Option<String> {
    v.as_str().map(str::to_string)
}

fn algorithm(v: &Value) -> Algorithm {
    match v["algorithm"].as_str().unwrap() {
        "SDK-HMAC-SHA256" => Algorithm::SdkHmacSha256,
        "SDK-HMAC-SM3" => Algorithm::SdkHmacSm3,
        "V11-HMAC-SHA256" => Algorithm::V11HmacSha256 {
            region: s(&v["derived_region"]).unwrap(),
            service: s(&v["derived_service"]).unwrap(),
        },
        other => panic!("unknown algorithm {other}"),
    }
}

fn typed_query(v: &Value) -> Vec<(String, QueryValue)> {
    v["query"]
        .as_array()
        .unwrap()
        .iter()
        .map(|pair| {
            let key = pair[0].as_str().unwrap().to_string();
            let value = match &pair[1] {
                Value::String(s) => QueryValue::Str(s.clone()),
                Value::Bool(b) => QueryValue::Bool(*b),
                Value::Number(n) => QueryValue::Int(n.as_i64().unwrap()),
                Value::Array(a) => {
                    QueryValue::List(a.iter().map(|x| x.as_str().unwrap().to_string()).collect())
                }
                other => panic!("unexpected query value {other}"),
            };
            (key, value)
        })
        .collect()
}

fn ordered_headers(v: &Value) -> Vec<(String, String)> {
    v.as_object()
        .unwrap()
        .iter()
        .map(|(k, v)| (k.clone(), v.as_str().unwrap().to_string()))
        .collect()
}

fn body(v: &Value) -> Vec<u8> {
    v["body"]
        .as_str()
        .map(|b| b.as_bytes().to_vec())
        .unwrap_or_default()
}

fn signer(v: &Value) -> Signer {
    Signer::new(s(&v["ak"]).unwrap(), s(&v["sk"]).unwrap())
        .with_project_id(s(&v["project_id"]))
        .with_security_token(s(&v["security_token"]))
        .with_algorithm(algorithm(v))
}

fn date(v: &Value) -> time::OffsetDateTime {
    parse_sdk_date(v["date"].as_str().unwrap()).unwrap()
}

fn sign_vector(v: &Value, order: QueryOrder) -> SignedRequest {
    // Either way the pairs come normalised; ByString then re-sorts them as strings.
    let query = sdk_query_pairs(&typed_query(v));
    let headers = ordered_headers(&v["headers_in"]);
    let body = body(v);
    signer(v).sign(
        &SigningInput {
            method: v["method"].as_str().unwrap(),
            host: v["host"].as_str().unwrap(),
            path: v["path"].as_str().unwrap(),
            query: &query,
            headers: &headers,
            body: &body,
            query_order: order,
        },
        date(v),
    )
}

#[test]
fn vector_file_copy_matches_shared_original() {
    // CI lays shared/ beside the clone; when it is there, the in-repo copy must not have drifted.
    if let Ok(shared) = std::fs::read(SHARED_VECTORS) {
        assert_eq!(std::fs::read(VECTORS).unwrap(), shared);
    }
}

#[test]
fn signer_reproduces_all_26_vectors_byte_for_byte() {
    let vs = vectors();
    assert_eq!(vs.len(), 26);
    for v in &vs {
        let name = v["name"].as_str().unwrap();
        let signed = sign_vector(v, QueryOrder::AsGiven);
        assert_eq!(
            signed.canonical_request,
            v["expected_canonical_request"].as_str().unwrap(),
            "{name}"
        );
        assert_eq!(
            signed.string_to_sign,
            v["expected_string_to_sign"].as_str().unwrap(),
            "{name}"
        );
        assert_eq!(
            signed.signed_headers,
            v["expected_signed_headers"].as_str().unwrap(),
            "{name}"
        );
        assert_eq!(
            signed.authorization,
            v["expected_authorization"].as_str().unwrap(),
            "{name}"
        );
        assert_eq!(signed.uri, v["expected_uri"].as_str().unwrap(), "{name}");
        assert_eq!(
            signed.headers,
            ordered_headers(&v["expected_headers"]),
            "{name}"
        );
        let url = format!(
            "{}://{}{}",
            v["scheme"].as_str().unwrap(),
            v["host"].as_str().unwrap(),
            signed.uri
        );
        assert_eq!(url, v["expected_url"].as_str().unwrap(), "{name}");
    }
}

#[test]
fn string_sorting_signer_matches_every_vector_but_the_numeric_quirk() {
    for v in &vectors() {
        let name = v["name"].as_str().unwrap();
        let signed = sign_vector(v, QueryOrder::ByString);
        let same = signed.authorization == v["expected_authorization"].as_str().unwrap();
        assert_eq!(same, name != QUIRK, "{name}");
        if name == QUIRK {
            assert!(signed.uri.ends_with("?id=10&id=100&id=9"), "{}", signed.uri);
        }
    }
}

struct Replay {
    method: String,
    path: String,
    query: Option<String>,
    headers: HeaderMap,
    body: Vec<u8>,
}

fn replay(v: &Value) -> Replay {
    let uri = v["expected_uri"].as_str().unwrap();
    let (path, query) = match uri.split_once('?') {
        Some((p, q)) => (p.to_string(), Some(q.to_string())),
        None => (uri.to_string(), None),
    };
    let mut headers = HeaderMap::new();
    for (k, val) in ordered_headers(&v["expected_headers"]) {
        headers.append(
            HeaderName::from_bytes(k.as_bytes()).unwrap(),
            HeaderValue::from_str(&val).unwrap(),
        );
    }
    Replay {
        method: v["method"].as_str().unwrap().to_string(),
        path,
        query,
        headers,
        body: body(v),
    }
}

fn check(r: &Replay, sk: &str, opts: &VerifyOptions) -> Result<VerifiedRequest, VerifyError> {
    let auth = match auth_scheme(&r.headers)? {
        AuthScheme::Signature(p) => p,
        AuthScheme::Token(_) => panic!("vectors are signed"),
    };
    verify(
        &ReceivedRequest {
            method: &r.method,
            raw_path: &r.path,
            raw_query: r.query.as_deref(),
            headers: &r.headers,
            body: &r.body,
        },
        &auth,
        sk,
        opts,
    )
}

fn no_clock(v: &Value) -> VerifyOptions {
    VerifyOptions {
        now: date(v),
        max_skew: None,
    }
}

#[test]
fn verifier_accepts_all_26_vectors() {
    for v in &vectors() {
        let name = v["name"].as_str().unwrap();
        let res = check(&replay(v), v["sk"].as_str().unwrap(), &no_clock(v));
        let ok = res.unwrap_or_else(|e| panic!("{name}: {e}"));
        assert_eq!(ok.access_key, v["ak"].as_str().unwrap());
        assert_eq!(ok.used_raw_query_fallback, name == QUIRK, "{name}");
    }
}

fn set_header(r: &mut Replay, name: &'static str, value: &str) {
    r.headers
        .insert(name, HeaderValue::from_str(value).unwrap());
}

#[test]
fn verifier_rejects_every_mutation() {
    for v in &vectors() {
        let name = v["name"].as_str().unwrap();
        let sk = v["sk"].as_str().unwrap();
        let opts = no_clock(v);
        let reject = |r: &Replay, what: &str| {
            assert_eq!(
                check(r, sk, &opts).map(|_| ()),
                Err(VerifyError::SignatureMismatch),
                "{name}: {what}"
            );
        };

        let mut r = replay(v);
        r.method = if r.method == "GET" {
            "POST".into()
        } else {
            "GET".into()
        };
        reject(&r, "method");

        let mut r = replay(v);
        r.path.push('x');
        reject(&r, "path");

        let mut r = replay(v);
        r.query = Some(match r.query {
            Some(q) => format!("{q}x"),
            None => "limit=10".into(),
        });
        reject(&r, "query");

        let mut r = replay(v);
        set_header(&mut r, "x-sdk-date", "20240115T083001Z");
        reject(&r, "date");

        let mut r = replay(v);
        let ct = r.headers["content-type"].to_str().unwrap().to_string();
        set_header(&mut r, "content-type", &format!("{ct} "));
        // Trailing whitespace is trimmed, so this one must still pass; a real change must not.
        assert!(check(&r, sk, &opts).is_ok(), "{name}: trimmed header");
        set_header(&mut r, "content-type", &format!("{ct}x"));
        reject(&r, "content-type header");

        let mut r = replay(v);
        set_header(&mut r, "host", "evil.example.com");
        reject(&r, "host header");

        let mut r = replay(v);
        r.body.extend_from_slice(b" ");
        if name == "non_json_content_type_unsigned_payload" {
            assert!(
                check(&r, sk, &opts).is_ok(),
                "{name}: unsigned body may change"
            );
        } else {
            reject(&r, "body");
        }

        assert_eq!(
            check(&replay(v), "WrongSecret", &opts).map(|_| ()),
            Err(VerifyError::SignatureMismatch),
            "{name}: sk"
        );

        let mut r = replay(v);
        let auth = r.headers["authorization"].to_str().unwrap().to_string();
        let last = auth.chars().last().unwrap();
        let flipped = if last == '0' { '1' } else { '0' };
        set_header(
            &mut r,
            "authorization",
            &format!("{}{}", &auth[..auth.len() - 1], flipped),
        );
        reject(&r, "signature digit");
    }
}

#[test]
fn trailing_slash_does_not_change_the_signature() {
    for v in &vectors() {
        if v["name"] == "path_no_trailing_slash_same_sig" {
            let mut r = replay(v);
            r.path.push('/');
            assert!(check(&r, v["sk"].as_str().unwrap(), &no_clock(v)).is_ok());
        }
    }
}

#[test]
fn verifier_enforces_the_clock_window_and_the_signed_header_set() {
    let v = &vectors()[0];
    let sk = v["sk"].as_str().unwrap();
    let r = replay(v);
    let t = date(v);
    let within = VerifyOptions::gateway(t + time::Duration::minutes(14));
    assert!(check(&r, sk, &within).is_ok());
    let late = VerifyOptions::gateway(t + time::Duration::minutes(16));
    assert!(matches!(
        check(&r, sk, &late),
        Err(VerifyError::DateSkew { .. })
    ));
    let early = VerifyOptions::gateway(t - time::Duration::minutes(16));
    assert!(matches!(
        check(&r, sk, &early),
        Err(VerifyError::DateSkew { .. })
    ));

    let mut r = replay(v);
    r.headers.remove("x-project-id");
    assert_eq!(
        check(&r, sk, &no_clock(v)).map(|_| ()),
        Err(VerifyError::MissingSignedHeader("x-project-id".into()))
    );
    let mut r = replay(v);
    r.headers.remove("x-sdk-date");
    assert_eq!(
        check(&r, sk, &no_clock(v)).map(|_| ()),
        Err(VerifyError::BadDate)
    );
}

#[test]
fn signer_adds_date_host_and_security_token_when_absent() {
    let signer = Signer::new("AK", "SK")
        .with_project_id(Some("p".into()))
        .with_security_token(Some("tok".into()));
    let headers = vec![("Content-Type".to_string(), "application/json".to_string())];
    let now = parse_sdk_date("20240115T083000Z").unwrap();
    let signed = signer.sign(
        &SigningInput {
            method: "GET",
            host: "127.0.0.1:8080",
            path: "/v1/p/notebooks",
            query: &[],
            headers: &headers,
            body: b"",
            query_order: QueryOrder::ByString,
        },
        now,
    );
    let names: Vec<&str> = signed.headers.iter().map(|(n, _)| n.as_str()).collect();
    assert_eq!(
        names,
        [
            "Content-Type",
            "X-Project-Id",
            "X-Security-Token",
            "X-Sdk-Date",
            "Host",
            "Authorization"
        ]
    );
    assert_eq!(signed.headers[3].1, "20240115T083000Z");
    assert_eq!(signed.headers[4].1, "127.0.0.1:8080");
    assert_eq!(
        signed.signed_headers,
        "content-type;host;x-project-id;x-sdk-date;x-security-token"
    );
    let dbg = format!("{signed:?} {signer:?}");
    assert!(!dbg.contains("tok\""), "{dbg}");
    assert!(!dbg.contains("\"SK\""), "{dbg}");
}
