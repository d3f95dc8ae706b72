//! The Terraform layer: values, codecs, schema, the shared plan engine, resource traits and the
//! `ProviderServer` that implements `protocol::ProviderService` on top of them.
//!
//! Resources declare behaviour on their schema; the server validates, plans (one engine for all
//! resources), checks results against the plan and encodes them. A resource holds only API calls:
//!
//! ```no_run
//! use modelarts::tf::{validate, *};
//! use async_trait::async_trait;
//!
//! struct Config { force_new: bool }
//! struct Volume;
//!
//! #[async_trait]
//! impl Resource<Config> for Volume {
//!     fn type_name(&self) -> &str { "example_volume" }
//!     fn schema(&self) -> Schema {
//!         Schema::new(Block::new()
//!             .description("A volume.")
//!             .attribute(Attribute::string("id").computed().use_state_for_unknown())
//!             .attribute(Attribute::string("name").required().validator(validate::string_length(1, 64)))
//!             .attribute(Attribute::int64("size").required().immutable())
//!             .attribute(Attribute::string("status").computed())
//!             .block(NestedBlock::list("tag", Block::new()
//!                 .attribute(Attribute::string("key").required())).max_items(10)))
//!     }
//!     fn replacement_allowed(&self, p: Option<&Config>) -> bool { p.is_some_and(|p| p.force_new) }
//!     async fn create(&self, ctx: &Ctx<Config>, req: CreateRequest) -> ApplyResult {
//!         let mut state = req.planned;             // every known planned value must come back
//!         state.set_attr("id", Value::from("vol-1"));
//!         // if waiting fails now: return ApplyResult::partial(state, diagnostic) to keep the id
//!         state.set_attr("status", Value::from("READY"));
//!         ApplyResult::ok(state)
//!     }
//!     async fn read(&self, ctx: &Ctx<Config>, req: ReadRequest) -> ReadResult {
//!         ReadResult::ok(req.state)                // or ReadResult::gone() on 404
//!     }
//!     async fn update(&self, ctx: &Ctx<Config>, req: UpdateRequest) -> ApplyResult {
//!         let mut state = req.planned;
//!         state.set_attr("status", Value::from("READY"));
//!         ApplyResult::ok(state)
//!     }
//!     async fn delete(&self, ctx: &Ctx<Config>, req: DeleteRequest) -> Diagnostics {
//!         Diagnostics::new()
//!     }
//! }
//! ```

pub mod codec;
pub mod conform;
pub mod data_source;
pub mod diag;
pub mod json;
pub mod keymap;
mod members;
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
pub use data_source::DataSource;
pub use diag::{Diagnostic, Diagnostics, Severity};
pub use keymap::{Key, KeyMap};
pub use number::Number;
pub use path::{AttributePath, PathStep};
pub use plan::{PlanInput, PlanResult};
pub use provider_trait::Provider;
pub use resource::{
    ApplyResult, CreateRequest, Ctx, DeleteRequest, ImportResult, PlanCtx, ReadRequest, ReadResult,
    Resource, UpdateRequest,
};
pub use schema::{Attribute, Block, NestedBlock, Nesting, Schema};
pub use server::ProviderServer;
pub use types::Type;
pub use value::Value;
