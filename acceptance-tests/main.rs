//! Acceptance tests: the provider binary driven directly as go-plugin does, and by the real Terraform 1.0.3.
//! Run with `make test` (which installs Terraform into .venv and exports TF_ACC_TERRAFORM).

mod debug_mode;
mod examples;
mod examples_apply;
mod harness;
mod plugin;
mod plugin_launch;
mod readme;
mod release;
mod terraform_basic;
