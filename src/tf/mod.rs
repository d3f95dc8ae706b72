//! The Terraform layer: values, codecs, schema, the shared plan engine, resource traits and the
//! `ProviderServer` that implements `protocol::ProviderService` on top of them.

pub mod codec;
pub mod diag;
pub mod json;
pub mod msgpack;
pub mod number;
pub mod path;
pub mod protocol;
pub mod types;
pub mod value;

pub use codec::CodecError;
pub use diag::{Diagnostic, Diagnostics, Severity};
pub use number::Number;
pub use path::{AttributePath, PathStep};
pub use types::Type;
pub use value::Value;
