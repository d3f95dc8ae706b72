//! go-plugin's launch contract: magic cookie, protocol-version negotiation, the stdout handshake line.

use std::collections::BTreeSet;
use std::io::Write;

use base64::Engine;

/// Terraform's handshake cookie (terraform `internal/plugin/serve.go`); go-plugin sets it in our environment.
pub const MAGIC_COOKIE_KEY: &str = "TF_PLUGIN_MAGIC_COOKIE";
pub const MAGIC_COOKIE_VALUE: &str =
    "d602bf8f470bc67ca7faa0386276bbdd4330efaf76d1a219cb4d6991ca9872b2";

/// go-plugin's own wire version (first handshake field).
pub const CORE_PROTOCOL_VERSION: u32 = 1;
/// The only Terraform plugin protocol this provider speaks.
pub const APP_PROTOCOL_VERSION: u32 = 5;

pub const NOT_A_PLUGIN_MESSAGE: &str = "This binary is a plugin for Terraform (terraform-provider-modelarts). \
It is not meant to be executed directly: Terraform starts it itself when a configuration uses the provider.\n\
To debug the provider, run it with --debug and pass the printed TF_REATTACH_PROVIDERS to Terraform.";

#[derive(Debug, thiserror::Error, PartialEq, Eq)]
pub enum HandshakeError {
    #[error("{NOT_A_PLUGIN_MESSAGE}")]
    NotLaunchedByTerraform,
    #[error(
        "Terraform offered plugin protocol version(s) {offered:?}, but terraform-provider-modelarts speaks only \
         protocol 5: use a Terraform release that supports protocol 5 (0.12 and later)"
    )]
    UnsupportedProtocol { offered: String },
}

/// Compares the cookie exactly, as go-plugin does.
pub fn check_cookie(value: Option<&str>) -> Result<(), HandshakeError> {
    match value {
        Some(v) if v == MAGIC_COOKIE_VALUE => Ok(()),
        _ => Err(HandshakeError::NotLaunchedByTerraform),
    }
}

/// `PLUGIN_PROTOCOL_VERSIONS` is a comma-separated set whose order follows Go map iteration ("5,6" or "6,5"),
/// so it is parsed as a set. Entries that are not numbers are skipped, as go-plugin does.
pub fn parse_protocol_versions(value: &str) -> BTreeSet<u32> {
    value
        .split(',')
        .filter_map(|part| part.trim().parse::<u32>().ok())
        .collect()
}

/// Picks protocol 5 if offered. An absent or empty variable means the host predates version negotiation,
/// in which case go-plugin falls back to the server's own version.
pub fn negotiate(offered: Option<&str>) -> Result<u32, HandshakeError> {
    let offered = match offered {
        Some(v) if !v.trim().is_empty() => v,
        _ => return Ok(APP_PROTOCOL_VERSION),
    };
    if parse_protocol_versions(offered).contains(&APP_PROTOCOL_VERSION) {
        Ok(APP_PROTOCOL_VERSION)
    } else {
        Err(HandshakeError::UnsupportedProtocol {
            offered: offered.to_owned(),
        })
    }
}

/// `1|5|<network>|<address>|grpc|<cert>`: the certificate is its DER in unpadded standard base64 (Go's
/// `RawStdEncoding`), empty when TLS is off.
pub fn handshake_line(network: &str, address: &str, server_cert_der: Option<&[u8]>) -> String {
    let cert = server_cert_der
        .map(|der| base64::engine::general_purpose::STANDARD_NO_PAD.encode(der))
        .unwrap_or_default();
    format!("{CORE_PROTOCOL_VERSION}|{APP_PROTOCOL_VERSION}|{network}|{address}|grpc|{cert}")
}

/// Writes the line and flushes: Terraform waits for exactly this first stdout line.
pub fn announce(line: &str) -> std::io::Result<()> {
    let mut out = std::io::stdout().lock();
    out.write_all(line.as_bytes())?;
    out.write_all(b"\n")?;
    out.flush()
}

/// The `TF_REATTACH_PROVIDERS` value for debug mode. `Test: true` keeps Terraform 1.0.3 from shutting the
/// long-lived server down after its first graph walk.
pub fn reattach_config(provider_address: &str, network: &str, address: &str, pid: u32) -> String {
    serde_json::json!({
        provider_address: {
            "Protocol": "grpc",
            "ProtocolVersion": APP_PROTOCOL_VERSION,
            "Pid": pid,
            "Test": true,
            "Addr": {"Network": network, "String": address},
        }
    })
    .to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cookie_must_match_exactly() {
        assert_eq!(check_cookie(Some(MAGIC_COOKIE_VALUE)), Ok(()));
        for bad in [
            None,
            Some(""),
            Some("d602bf8f"),
            Some(&format!("{MAGIC_COOKIE_VALUE} ")[..]),
        ] {
            assert_eq!(
                check_cookie(bad),
                Err(HandshakeError::NotLaunchedByTerraform),
                "{bad:?}"
            );
        }
        assert!(HandshakeError::NotLaunchedByTerraform
            .to_string()
            .starts_with("This binary is a plugin for Terraform"));
    }

    #[test]
    fn versions_are_a_set_in_any_order() {
        assert_eq!(negotiate(Some("5,6")), Ok(5));
        assert_eq!(negotiate(Some("6,5")), Ok(5));
        assert_eq!(negotiate(Some(" 6 , 5 ")), Ok(5));
        assert_eq!(negotiate(Some("5")), Ok(5));
        assert_eq!(negotiate(Some("x,5")), Ok(5));
        assert_eq!(parse_protocol_versions("6,5,5,x,"), BTreeSet::from([5, 6]));
    }

    #[test]
    fn refuses_when_5_is_not_offered() {
        for offered in ["6", "4,6", "55", "x"] {
            match negotiate(Some(offered)) {
                Err(HandshakeError::UnsupportedProtocol { offered: o }) => assert_eq!(o, offered),
                other => panic!("{offered}: {other:?}"),
            }
        }
        let msg = negotiate(Some("6")).unwrap_err().to_string();
        assert!(msg.contains("protocol 5") && msg.contains("\"6\""), "{msg}");
    }

    #[test]
    fn absent_versions_fall_back_to_5() {
        assert_eq!(negotiate(None), Ok(5));
        assert_eq!(negotiate(Some("")), Ok(5));
    }

    #[test]
    fn line_format() {
        assert_eq!(
            handshake_line("unix", "/tmp/plugin1", None),
            "1|5|unix|/tmp/plugin1|grpc|"
        );
        // 4 bytes -> 6 base64 chars, which padded encoding would end with "==".
        let line = handshake_line("tcp", "127.0.0.1:10000", Some(&[0xde, 0xad, 0xbe, 0xef]));
        assert_eq!(line, "1|5|tcp|127.0.0.1:10000|grpc|3q2+7w");
        assert_eq!(line.split('|').count(), 6);
    }

    #[test]
    fn reattach_json_shape() {
        let v: serde_json::Value = serde_json::from_str(&reattach_config(
            "terraform.local/local/modelarts",
            "unix",
            "/tmp/p",
            42,
        ))
        .unwrap();
        let p = &v["terraform.local/local/modelarts"];
        assert_eq!(p["Protocol"], "grpc");
        assert_eq!(p["ProtocolVersion"], 5);
        assert_eq!(p["Pid"], 42);
        assert_eq!(p["Test"], true);
        assert_eq!(p["Addr"]["Network"], "unix");
        assert_eq!(p["Addr"]["String"], "/tmp/p");
    }
}
