//! Terraform resources of the ModelArts provider: the notebook instance and its pure helpers.

pub mod backend;
pub mod client_log;
pub mod notebook;
pub mod notebook_data;
pub mod notebook_model;
pub mod notebook_plan;
pub mod notebook_state;
pub mod notebook_update;
pub mod notebook_validate;

#[cfg(test)]
mod notebook_test_util;
