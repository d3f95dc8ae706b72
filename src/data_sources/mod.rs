//! Terraform data sources of the ModelArts provider: one notebook, notebook lists, flavors and images.
//!
//! Notebook attributes are not declared here: schema and values come from `resources::notebook_data`, the
//! resource's own response mapping, and a test checks them against the resource schema so the two never drift.

pub mod common;
pub mod flavors;
pub mod images;
pub mod notebook;
pub mod notebooks;

#[cfg(test)]
mod test_support;

use std::sync::Arc;

use crate::resources::backend::Backend;
use crate::tf::DataSource;

/// Every data source, for the provider's registry.
pub fn all<D: Backend>() -> Vec<Arc<dyn DataSource<D>>> {
    vec![
        Arc::new(notebook::NotebookDataSource),
        Arc::new(notebooks::NotebooksDataSource),
        Arc::new(flavors::FlavorsDataSource),
        Arc::new(images::ImagesDataSource),
    ]
}
