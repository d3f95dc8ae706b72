//! `--state-file`: the store written atomically (temp file + rename) after every change, loaded at start.

use crate::emulator::model::{Notebook, Store};
use serde::{Deserialize, Serialize};
use std::io::Write;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Mutex;

#[derive(Debug, thiserror::Error)]
pub enum StateFileError {
    #[error("cannot read state file {path}: {source}")]
    Read {
        path: String,
        source: std::io::Error,
    },
    #[error("state file {path} is not a valid emulator state: {source}")]
    Parse {
        path: String,
        source: serde_json::Error,
    },
    #[error("cannot write state file {path}: {source}")]
    Write {
        path: String,
        source: std::io::Error,
    },
}

/// On-disk format; `version` lets a later emulator refuse or migrate old files.
#[derive(Serialize, Deserialize)]
struct OnDisk {
    format: u32,
    notebooks: Vec<Notebook>,
}

const FORMAT: u32 = 1;

#[derive(Debug)]
pub struct StateFile {
    path: PathBuf,
    next_version: AtomicU64,
    /// Last version written; serialises writers so an older snapshot never replaces a newer one.
    written: Mutex<u64>,
}

impl StateFile {
    pub fn new(path: &Path) -> Self {
        Self {
            path: path.to_path_buf(),
            next_version: AtomicU64::new(1),
            written: Mutex::new(0),
        }
    }

    /// The stored state, or an empty store when the file does not exist yet.
    pub fn load(&self) -> Result<Store, StateFileError> {
        let p = self.path.display().to_string();
        let text = match std::fs::read(&self.path) {
            Ok(t) => t,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(Store::default()),
            Err(source) => return Err(StateFileError::Read { path: p, source }),
        };
        let disk: OnDisk = serde_json::from_slice(&text)
            .map_err(|source| StateFileError::Parse { path: p, source })?;
        let mut store = Store::default();
        for nb in disk.notebooks {
            store.insert(nb);
        }
        Ok(store)
    }

    /// Serialise under the store lock; the version orders concurrent writes.
    pub fn snapshot(&self, store: &Store) -> Result<(u64, Vec<u8>), serde_json::Error> {
        let version = self.next_version.fetch_add(1, Ordering::SeqCst);
        let mut notebooks: Vec<&Notebook> = store.notebooks.values().collect();
        notebooks.sort_by(|a, b| a.create_at.cmp(&b.create_at).then_with(|| a.id.cmp(&b.id)));
        #[derive(Serialize)]
        struct Out<'a> {
            format: u32,
            notebooks: Vec<&'a Notebook>,
        }
        let bytes = serde_json::to_vec_pretty(&Out {
            format: FORMAT,
            notebooks,
        })?;
        Ok((version, bytes))
    }

    pub fn write(&self, version: u64, bytes: &[u8]) -> Result<(), StateFileError> {
        let mut written = self.written.lock().unwrap_or_else(|p| p.into_inner());
        if version <= *written {
            return Ok(());
        }
        let err = |source| StateFileError::Write {
            path: self.path.display().to_string(),
            source,
        };
        let tmp = self
            .path
            .with_extension(format!("tmp{}", std::process::id()));
        let mut f = std::fs::File::create(&tmp).map_err(err)?;
        f.write_all(bytes).map_err(err)?;
        f.sync_all().map_err(err)?;
        drop(f);
        std::fs::rename(&tmp, &self.path).map_err(err)?;
        *written = version;
        Ok(())
    }
}
