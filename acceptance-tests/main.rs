//! Acceptance tests: the provider binary driven directly as go-plugin does, and by the real Terraform 1.0.3.
//! Run with `make test` (which installs Terraform into .venv and exports TF_ACC_TERRAFORM).

mod debug_mode;
mod harness;
mod notebook_drift;
mod notebook_failures;
mod notebook_lifecycle;
mod notebook_plan_errors;
mod notebook_running;
mod notebook_support;
mod notebook_update;
mod plugin;
mod plugin_launch;
mod terraform_basic;
