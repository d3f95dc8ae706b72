//! Canonicalisation pieces of SDK-HMAC-SHA256 shared by the signer and the verifier (signing.md §2 steps 2–8).

use percent_encoding::{percent_decode_str, percent_encode, AsciiSet, NON_ALPHANUMERIC};

use super::Digest;

/// RFC 3986 unreserved characters stay raw; every other byte becomes `%XX` (upper-case hex), exactly as the SDK.
pub const SDK_ENCODE_SET: &AsciiSet = &NON_ALPHANUMERIC
    .remove(b'-')
    .remove(b'_')
    .remove(b'.')
    .remove(b'~');

/// Percent-encodes raw bytes with the SDK's set (used for path segments, query keys and query values).
pub fn encode_bytes(bytes: &[u8]) -> String {
    percent_encode(bytes, SDK_ENCODE_SET).to_string()
}

/// Percent-encodes a string with the SDK's set. A path parameter encoded this way has no safe character: `/`
/// becomes `%2F`, like the SDK's path-parameter quoting.
pub fn encode(s: &str) -> String {
    encode_bytes(s.as_bytes())
}

/// Step 3: decode the whole wire path, split on `/`, re-encode each segment, ensure a trailing `/`.
pub fn canonical_uri(wire_path: &str) -> String {
    let decoded: Vec<u8> = percent_decode_str(wire_path).collect();
    let mut out = String::with_capacity(decoded.len() + 8);
    for (i, segment) in decoded.split(|b| *b == b'/').enumerate() {
        if i > 0 {
            out.push('/');
        }
        push_encoded(&mut out, segment);
    }
    if !out.ends_with('/') {
        out.push('/');
    }
    out
}

/// Step 4 for a signer: sorts the un-encoded pairs by (key, value) in byte order, then encodes and joins them.
/// The result is also the query string sent on the wire.
pub fn canonical_query_from_pairs(pairs: &[(String, String)]) -> String {
    let mut sorted: Vec<(&[u8], &[u8])> = pairs
        .iter()
        .map(|(k, v)| (k.as_bytes(), v.as_bytes()))
        .collect();
    sorted.sort();
    join_pairs(&sorted)
}

/// Encodes and joins pairs in the given order (the caller has already applied the SDK's sort).
pub fn canonical_query_in_order(pairs: &[(String, String)]) -> String {
    let refs: Vec<(&[u8], &[u8])> = pairs
        .iter()
        .map(|(k, v)| (k.as_bytes(), v.as_bytes()))
        .collect();
    join_pairs(&refs)
}

/// Step 4 for a verifier (signing.md §5.7): splits a raw received query on `&`, decodes each part (a `+` stays a
/// `+`), sorts by bytes and re-encodes.
pub fn canonical_query_from_raw(raw: &str) -> String {
    let decoded: Vec<(Vec<u8>, Vec<u8>)> = raw
        .split('&')
        .filter(|part| !part.is_empty())
        .map(|part| {
            let (k, v) = part.split_once('=').unwrap_or((part, ""));
            (
                percent_decode_str(k).collect::<Vec<u8>>(),
                percent_decode_str(v).collect::<Vec<u8>>(),
            )
        })
        .collect();
    let mut sorted: Vec<(&[u8], &[u8])> = decoded
        .iter()
        .map(|(k, v)| (k.as_slice(), v.as_slice()))
        .collect();
    sorted.sort();
    join_pairs(&sorted)
}

fn push_encoded(out: &mut String, bytes: &[u8]) {
    for chunk in percent_encode(bytes, SDK_ENCODE_SET) {
        out.push_str(chunk);
    }
}

fn join_pairs(pairs: &[(&[u8], &[u8])]) -> String {
    let mut out = String::new();
    for (i, (k, v)) in pairs.iter().enumerate() {
        if i > 0 {
            out.push('&');
        }
        push_encoded(&mut out, k);
        out.push('=');
        push_encoded(&mut out, v);
    }
    out
}

/// Step 2: lower-cased names without `_`, sorted by bytes, de-duplicated. `authorization` is never signed.
pub fn signed_header_names<'a>(names: impl IntoIterator<Item = &'a str>) -> Vec<String> {
    let mut out: Vec<String> = names
        .into_iter()
        .filter(|n| !n.contains('_'))
        .map(|n| n.to_ascii_lowercase())
        .filter(|n| n != "authorization")
        .collect();
    out.sort();
    out.dedup();
    out
}

/// Step 6: empty body first, then a content-hash header's literal value, then the body's digest.
pub fn payload_hash(digest: Digest, body: &[u8], content_hash_header: Option<&str>) -> String {
    if body.is_empty() {
        return digest.hex_of_empty();
    }
    match content_hash_header {
        Some(v) => v.to_string(),
        None => digest.hex(body),
    }
}

/// Step 8: the six parts joined by `\n`. `headers` are (lower-case name, trimmed value) in signed order.
pub fn canonical_request<N: AsRef<str>, V: AsRef<str>>(
    method: &str,
    canonical_uri: &str,
    canonical_query: &str,
    headers: &[(N, V)],
    signed_headers: &str,
    payload_hash: &str,
) -> String {
    let header_len: usize = headers
        .iter()
        .map(|(n, v)| n.as_ref().len() + v.as_ref().len() + 2)
        .sum();
    let mut out = String::with_capacity(
        method.len()
            + canonical_uri.len()
            + canonical_query.len()
            + header_len
            + signed_headers.len()
            + payload_hash.len()
            + 5,
    );
    out.extend(method.chars().map(|c| c.to_ascii_uppercase()));
    for part in [canonical_uri, canonical_query] {
        out.push('\n');
        out.push_str(part);
    }
    out.push('\n');
    for (name, value) in headers {
        out.push_str(name.as_ref());
        out.push(':');
        out.push_str(value.as_ref());
        out.push('\n');
    }
    for part in [signed_headers, payload_hash] {
        out.push('\n');
        out.push_str(part);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn pairs(p: &[(&str, &str)]) -> Vec<(String, String)> {
        p.iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect()
    }

    #[test]
    fn uri_decodes_encoded_slash_into_separator_and_adds_trailing_slash() {
        assert_eq!(
            canonical_uri("/v1/p/notebooks/a%20b%2Fc%7Ed"),
            "/v1/p/notebooks/a%20b/c~d/"
        );
        assert_eq!(canonical_uri("/v1/p/notebooks/"), "/v1/p/notebooks/");
        assert_eq!(canonical_uri(""), "/");
        assert_eq!(canonical_uri("/"), "/");
    }

    #[test]
    fn uri_encodes_unicode_and_reserved_bytes_upper_case() {
        assert_eq!(
            canonical_uri("/images/镜像 1"),
            "/images/%E9%95%9C%E5%83%8F%201/"
        );
        assert_eq!(canonical_uri("/a/b+c=d@e"), "/a/b%2Bc%3Dd%40e/");
        // Lower-case escapes on the wire are re-encoded upper case.
        assert_eq!(canonical_uri("/a/%c3%bc"), "/a/%C3%BC/");
    }

    #[test]
    fn query_sorts_by_key_then_value_and_keeps_repeats() {
        let q = pairs(&[
            ("tag", "zeta"),
            ("tag", "alpha"),
            ("b", "2"),
            ("a", "1"),
            ("tag", "Mid"),
        ]);
        assert_eq!(
            canonical_query_from_pairs(&q),
            "a=1&b=2&tag=Mid&tag=alpha&tag=zeta"
        );
    }

    #[test]
    fn query_empty_values_and_reserved_characters() {
        let q = pairs(&[
            ("empty", ""),
            ("name", "a+b=c&d/e?f#g"),
            ("sp", "x y"),
            ("pct", "100%"),
        ]);
        assert_eq!(
            canonical_query_from_pairs(&q),
            "empty=&name=a%2Bb%3Dc%26d%2Fe%3Ff%23g&pct=100%25&sp=x%20y"
        );
        assert_eq!(canonical_query_from_pairs(&[]), "");
    }

    #[test]
    fn raw_query_round_trips_and_keeps_plus_literal() {
        assert_eq!(canonical_query_from_raw("b=2&&a=1&flag"), "a=1&b=2&flag=");
        // `+` is not a space for the gateway: it is re-encoded as %2B.
        assert_eq!(canonical_query_from_raw("name=a+b"), "name=a%2Bb");
        assert_eq!(canonical_query_from_raw("name=a%20b"), "name=a%20b");
        assert_eq!(canonical_query_from_raw("u=%e6%b5%8b"), "u=%E6%B5%8B");
        assert_eq!(canonical_query_from_raw(""), "");
    }

    #[test]
    fn signed_headers_skip_underscore_and_authorization() {
        let names = [
            "X-B",
            "Content-Type",
            "X_Under",
            "Authorization",
            "x-b",
            "Host",
        ];
        assert_eq!(
            signed_header_names(names),
            vec!["content-type", "host", "x-b"]
        );
    }

    #[test]
    fn payload_hash_rules() {
        let empty = "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855";
        assert_eq!(
            payload_hash(Digest::Sha256, b"", Some("UNSIGNED-PAYLOAD")),
            empty
        );
        assert_eq!(
            payload_hash(Digest::Sha256, b"x", Some("UNSIGNED-PAYLOAD")),
            "UNSIGNED-PAYLOAD"
        );
        assert_eq!(
            payload_hash(Digest::Sha256, b"{}", None),
            "44136fa355b3678a1146ad16f7e8649e94fb4fc21fe77e8310c060f61caaff8a"
        );
    }
}
