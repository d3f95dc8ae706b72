//! Run-time settings of the emulator (changeable through `PUT /_emulator/settings`) and its clock.

use serde::{Deserialize, Serialize};
use std::time::{SystemTime, UNIX_EPOCH};

/// Which notebook states accept an update (notebook-api.md §4.1, §4.5).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, Default)]
#[serde(rename_all = "lowercase")]
pub enum UpdatePolicy {
    /// The seed page: every update needs STOPPED; an affinity-only update also START_FAILED.
    #[default]
    Strict,
    /// As the live service appears to behave: name, description and storage_new_size also while RUNNING.
    Hot,
}

/// Whether a RUNNING notebook may be deleted (notebook-api.md §2.6).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, Default)]
#[serde(rename_all = "lowercase")]
pub enum DeletePolicy {
    /// Delete RUNNING instances directly, as the official provider observes the live service doing.
    #[default]
    Allow,
    /// Refuse with ModelArts.6304 "Please stop the instance before deleting."
    Strict,
}

impl std::str::FromStr for UpdatePolicy {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        match s {
            "strict" => Ok(Self::Strict),
            "hot" => Ok(Self::Hot),
            _ => Err(format!("unknown update policy {s:?} (strict|hot)")),
        }
    }
}

impl std::str::FromStr for DeletePolicy {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        match s {
            "allow" => Ok(Self::Allow),
            "strict" => Ok(Self::Strict),
            _ => Err(format!("unknown delete policy {s:?} (allow|strict)")),
        }
    }
}

/// Settings; `Copy` so a request takes a snapshot without holding a lock.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct Settings {
    /// Duration of every transient state (CREATING, STARTING, STOPPING, DELETING, RESIZING), ms.
    pub transition_ms: u64,
    pub update_policy: UpdatePolicy,
    pub delete_policy: DeletePolicy,
    /// Reject signatures whose X-Sdk-Date is more than `clock_skew_ms` off.
    pub clock_check: bool,
    pub clock_skew_ms: u64,
}

impl Default for Settings {
    fn default() -> Self {
        Self {
            transition_ms: 300,
            update_policy: UpdatePolicy::Strict,
            delete_policy: DeletePolicy::Allow,
            clock_check: true,
            clock_skew_ms: 15 * 60 * 1000,
        }
    }
}

/// Partial settings as accepted by `PUT /_emulator/settings`: absent fields keep their value.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SettingsPatch {
    pub transition_ms: Option<u64>,
    pub update_policy: Option<UpdatePolicy>,
    pub delete_policy: Option<DeletePolicy>,
    pub clock_check: Option<bool>,
    pub clock_skew_ms: Option<u64>,
}

impl Settings {
    pub fn apply(&mut self, p: &SettingsPatch) {
        if let Some(v) = p.transition_ms {
            self.transition_ms = v;
        }
        if let Some(v) = p.update_policy {
            self.update_policy = v;
        }
        if let Some(v) = p.delete_policy {
            self.delete_policy = v;
        }
        if let Some(v) = p.clock_check {
            self.clock_check = v;
        }
        if let Some(v) = p.clock_skew_ms {
            self.clock_skew_ms = v;
        }
    }
}

/// Wall-clock milliseconds derived from tokio's clock, so that a paused test clock (`tokio::time::advance`)
/// moves notebook transitions, lease expiry and the signature-date window together.
#[derive(Debug, Clone, Copy)]
pub struct Clock {
    base_instant: tokio::time::Instant,
    base_ms: i64,
}

impl Clock {
    pub fn new() -> Self {
        let base_ms = SystemTime::now()
            .duration_since(UNIX_EPOCH)
            .map(|d| d.as_millis() as i64)
            .unwrap_or(0);
        Self::starting_at(base_ms)
    }

    /// A clock that reads `base_ms` now (tests pin the date of recorded signatures this way).
    pub fn starting_at(base_ms: i64) -> Self {
        Self {
            base_instant: tokio::time::Instant::now(),
            base_ms,
        }
    }

    pub fn now_ms(&self) -> i64 {
        let elapsed = tokio::time::Instant::now().saturating_duration_since(self.base_instant);
        self.base_ms + elapsed.as_millis() as i64
    }
}

impl Default for Clock {
    fn default() -> Self {
        Self::new()
    }
}
