//! The Terraform layer: values, codecs, schema, the shared plan engine, resource traits and the
//! `ProviderServer` that implements `protocol::ProviderService` on top of them.

pub mod codec;
pub mod conform;
pub mod data_source;
pub mod diag;
pub mod json;
pub mod msgpack;
pub mod number;
pub mod path;
pub mod plan;
pub mod protocol;
pub mod provider_trait;
pub mod resource;
pub mod schema;
pub mod server;
pub mod types;
pub mod validate;
pub mod value;

pub use codec::CodecError;
pub use diag::{Diagnostic, Diagnostics, Severity};
pub use number::Number;
pub use path::{AttributePath, PathStep};
pub use plan::{PlanInput, PlanResult};
pub use data_source::DataSource;
pub use provider_trait::Provider;
pub use resource::{ApplyResult, CreateRequest, Ctx, DeleteRequest, ImportResult, PlanCtx, ReadRequest, ReadResult, Resource, UpdateRequest};
pub use schema::{Attribute, Block, NestedBlock, Nesting, Schema};
pub use types::Type;
pub use value::Value;
pub use server::ProviderServer;
