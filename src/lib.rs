pub mod api;
pub mod provider;
pub mod tf;
