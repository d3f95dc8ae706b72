//! Terraform data sources of the ModelArts provider: one notebook, notebook lists, flavors and images.
//!
//! Notebook attributes are not declared here: they are derived from the `modelarts_notebook` resource
//! schema and filled by the resource's own response mapping (see [`common`]), so the two never drift.

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
