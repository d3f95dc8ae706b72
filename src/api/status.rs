//! The 14 notebook statuses (notebook-api.md §5), tolerant of values the API may add later.

use std::fmt;

use serde::{Deserialize, Serialize};

/// A notebook status. Unknown strings are kept in [`NotebookStatus::Other`] rather than failing the parse.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(from = "String", into = "String")]
pub enum NotebookStatus {
    Init,
    Creating,
    Starting,
    Stopping,
    Deleting,
    Snapshotting,
    Running,
    Stopped,
    CreateFailed,
    StartFailed,
    DeleteFailed,
    Error,
    Frozen,
    Deleted,
    Other(String),
}

impl NotebookStatus {
    pub const ALL: [NotebookStatus; 14] = [
        NotebookStatus::Init,
        NotebookStatus::Creating,
        NotebookStatus::Starting,
        NotebookStatus::Stopping,
        NotebookStatus::Deleting,
        NotebookStatus::Snapshotting,
        NotebookStatus::Running,
        NotebookStatus::Stopped,
        NotebookStatus::CreateFailed,
        NotebookStatus::StartFailed,
        NotebookStatus::DeleteFailed,
        NotebookStatus::Error,
        NotebookStatus::Frozen,
        NotebookStatus::Deleted,
    ];

    pub fn as_str(&self) -> &str {
        match self {
            NotebookStatus::Init => "INIT",
            NotebookStatus::Creating => "CREATING",
            NotebookStatus::Starting => "STARTING",
            NotebookStatus::Stopping => "STOPPING",
            NotebookStatus::Deleting => "DELETING",
            NotebookStatus::Snapshotting => "SNAPSHOTTING",
            NotebookStatus::Running => "RUNNING",
            NotebookStatus::Stopped => "STOPPED",
            NotebookStatus::CreateFailed => "CREATE_FAILED",
            NotebookStatus::StartFailed => "START_FAILED",
            NotebookStatus::DeleteFailed => "DELETE_FAILED",
            NotebookStatus::Error => "ERROR",
            NotebookStatus::Frozen => "FROZEN",
            NotebookStatus::Deleted => "DELETED",
            NotebookStatus::Other(s) => s,
        }
    }

    pub fn parse(s: &str) -> Self {
        NotebookStatus::ALL
            .iter()
            .find(|k| k.as_str() == s)
            .cloned()
            .unwrap_or_else(|| NotebookStatus::Other(s.to_string()))
    }

    /// Moves on by itself.
    pub fn is_transient(&self) -> bool {
        matches!(
            self,
            NotebookStatus::Init
                | NotebookStatus::Creating
                | NotebookStatus::Starting
                | NotebookStatus::Stopping
                | NotebookStatus::Deleting
                | NotebookStatus::Snapshotting
        )
    }

    /// Ends a wait at once: nothing will change until someone acts.
    pub fn is_failure(&self) -> bool {
        matches!(
            self,
            NotebookStatus::CreateFailed
                | NotebookStatus::StartFailed
                | NotebookStatus::DeleteFailed
                | NotebookStatus::Error
                | NotebookStatus::Frozen
        )
    }
}

impl From<String> for NotebookStatus {
    fn from(s: String) -> Self {
        NotebookStatus::parse(&s)
    }
}

impl From<NotebookStatus> for String {
    fn from(s: NotebookStatus) -> Self {
        s.as_str().to_string()
    }
}

impl fmt::Display for NotebookStatus {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn round_trips_all_fourteen_and_tolerates_unknown() {
        for s in NotebookStatus::ALL {
            let json = serde_json::to_string(&s).unwrap();
            assert_eq!(serde_json::from_str::<NotebookStatus>(&json).unwrap(), s);
            assert!(!matches!(
                NotebookStatus::parse(s.as_str()),
                NotebookStatus::Other(_)
            ));
        }
        let odd: NotebookStatus = serde_json::from_str("\"HIBERNATING\"").unwrap();
        assert_eq!(odd, NotebookStatus::Other("HIBERNATING".into()));
        assert_eq!(serde_json::to_string(&odd).unwrap(), "\"HIBERNATING\"");
    }

    #[test]
    fn classes() {
        assert!(NotebookStatus::Creating.is_transient());
        assert!(!NotebookStatus::Running.is_transient());
        assert!(NotebookStatus::Frozen.is_failure());
        assert!(!NotebookStatus::Deleted.is_failure());
        assert!(!NotebookStatus::Other("X".into()).is_failure());
    }
}
