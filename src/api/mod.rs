//! ModelArts v1 wire types and AK/SK signing canonicalisation: the only code the client and the emulator share.
//!
//! Conventions: request types skip every unset field (never a `null` on the wire); response types make every
//! field optional and ignore unknown fields, because the live API adds fields over time.

pub mod error;
pub mod flavor;
pub mod image;
pub mod models;
pub mod notebook;
pub mod page;
pub mod query;
pub mod redact;
pub mod signing;
pub mod status;

pub use error::ErrorBody;
pub use flavor::{AscendInfo, BillingInfo, GpuInfo, NotebookFlavor};
pub use image::Image;
pub use models::*;
pub use notebook::{NotebookCreateRequest, NotebookResp, NotebookUpdateRequest};
pub use page::{FlavorPage, Page};
pub use query::{
    FlavorListQuery, ImageListQuery, LeaseRenewQuery, NotebookListQuery, QueryPairs, StartQuery,
    SwitchableFlavorQuery, ToQuery,
};
pub use status::NotebookStatus;

/// Path prefix of every ModelArts v1 call.
pub fn project_path(project_id: &str) -> String {
    format!("/v1/{}", signing::encode(project_id))
}

#[cfg(test)]
mod wire_tests;
