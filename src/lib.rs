pub mod api;
pub mod docgen;
pub mod provider;
pub mod tf;
