//! Acceptance tests: the provider binary driven directly as go-plugin does, and by the real Terraform 1.0.3.
//! Run with `make test` (which installs Terraform into .venv and exports TF_ACC_TERRAFORM).

mod bad_input_notebook;
mod bad_input_provider;
mod bad_input_support;
mod data_source_feeds_notebook;
mod data_source_flavors;
mod data_source_images;
mod data_source_notebook;
mod data_source_notebooks;
mod data_source_support;
mod debug_mode;
mod examples;
mod examples_apply;
mod harness;
mod logging_lines;
mod notebook_drift;
mod notebook_failures;
mod notebook_lifecycle;
mod notebook_plan_errors;
mod notebook_plan_unknowns;
mod notebook_running;
mod notebook_support;
mod notebook_update;
mod plugin;
mod plugin_launch;
mod readme;
mod release;
mod reliability_ambiguous;
mod reliability_faults;
mod reliability_interrupt;
mod reliability_restart;
mod reliability_support;
mod security_tls;
mod security_trace;
mod terraform_basic;
