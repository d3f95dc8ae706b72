//! Paged list responses: `{current, pages, size, total, data}` (notebook-api.md §2.3, §2.9).

use serde::{Deserialize, Serialize};

use super::flavor::NotebookFlavor;
use super::models::null_default;

/// One page of a list. `total` counts every matching record, `data` holds this page's items.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(bound(deserialize = "T: Deserialize<'de>", serialize = "T: Serialize"))]
pub struct Page<T> {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub current: Option<i64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub pages: Option<i64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub size: Option<i64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub total: Option<i64>,
    #[serde(default, deserialize_with = "null_default")]
    pub data: Vec<T>,
}

impl<T> Default for Page<T> {
    fn default() -> Self {
        Page {
            current: None,
            pages: None,
            size: None,
            total: None,
            data: Vec::new(),
        }
    }
}

/// A flavor page: the same items appear in `data` and `flavors` (the golangsdk reads only `flavors`).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct FlavorPage {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub current: Option<i64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub pages: Option<i64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub size: Option<i64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub total: Option<i64>,
    #[serde(default, deserialize_with = "null_default")]
    pub data: Vec<NotebookFlavor>,
    #[serde(default, deserialize_with = "null_default")]
    pub flavors: Vec<NotebookFlavor>,
}

impl FlavorPage {
    /// The page's items, from `data`, or from `flavors` when `data` is empty.
    pub fn items(&self) -> &[NotebookFlavor] {
        if self.data.is_empty() {
            &self.flavors
        } else {
            &self.data
        }
    }

    pub fn into_items(self) -> Vec<NotebookFlavor> {
        if self.data.is_empty() {
            self.flavors
        } else {
            self.data
        }
    }
}
