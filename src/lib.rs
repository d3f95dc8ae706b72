//! terraform-provider-modelarts: a Terraform provider (plugin protocol 5) for Huawei Cloud ModelArts notebook
//! instances, and `modelarts-emulator`, a local ModelArts notebook API to test and demo it against.
//!
//! Map of the modules, top to bottom; each layer only calls the ones below it:
//!
//! - [`server`]: the gRPC transport Terraform talks to: go-plugin handshake, AutoMTLS, go-plugin services,
//!   conversion between the generated protobuf types and [`tf::protocol`].
//! - [`tf`]: the Terraform side of a provider: cty values and their msgpack/JSON codecs, the schema model,
//!   diagnostics with attribute paths, the one shared plan engine, and the resource/data-source traits.
//! - [`provider`]: the ModelArts provider itself: configuration schema, Configure, and the list of resources
//!   and data sources.
//! - [`resources`], [`data_sources`]: `modelarts_notebook` and the look-ups; they declare behaviour and call
//!   the client.
//! - [`client`]: the signed ModelArts HTTP client: retries, waiters, typed errors.
//! - [`api`]: the ModelArts wire types and AK/SK signing; the only code the client and the emulator share.
//! - [`emulator`]: the local ModelArts notebook API (state machine, validation, control plane for tests).
//! - [`logging`]: hclog-compatible log lines on stderr, with secret redaction; usable from every layer.
//! - [`docgen`]: the Terraform Registry docs generator behind `make docs` (reads the schemas, not used at run time).

pub mod api;
pub mod client;
pub mod data_sources;
pub mod docgen;
pub mod emulator;
pub mod logging;
pub mod provider;
pub mod resources;
pub mod server;
pub mod tf;
