//! The Terraform layer: values, codecs, schema, the shared plan engine, resource traits and the
//! `ProviderServer` that implements `protocol::ProviderService` on top of them.

pub mod codec;
pub mod conform;
pub mod diag;
pub mod json;
pub mod msgpack;
pub mod number;
pub mod path;
pub mod plan;
pub mod protocol;
pub mod schema;
pub mod types;
pub mod validate;
pub mod value;

pub use codec::CodecError;
pub use diag::{Diagnostic, Diagnostics, Severity};
pub use number::Number;
pub use path::{AttributePath, PathStep};
pub use plan::{PlanInput, PlanResult};
pub use schema::{Attribute, Block, NestedBlock, Nesting, Schema};
pub use types::Type;
pub use value::Value;
