//! Credentials the security tests share: the emulator's demo key plus temporary (STS) credentials and an IAM
//! token, all for the demo project. Each value is distinctive so a leak is easy to search for.

use modelarts::emulator::{demo, Credentials};

pub const STS_AK: &str = "STSTEMPORARYKEY00001";
pub const STS_SK: &str = "stsTemporarySecret0000000000000000000003";
pub const STS_TOKEN: &str = "sts-security-token-value-0000000000000004";
pub const IAM_TOKEN: &str = "MIIiam-token-value-0000000000000000000005";

/// The demo key, the STS key with its security token, and the IAM token.
pub fn credentials() -> Credentials {
    let mut creds = Credentials::demo();
    creds.add_key(
        STS_AK,
        STS_SK,
        Some(STS_TOKEN),
        demo::PROJECT_ID,
        None,
        None,
    );
    creds.add_token(IAM_TOKEN, demo::PROJECT_ID, Some("iam-user"), None);
    creds
}
