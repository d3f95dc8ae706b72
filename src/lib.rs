pub mod api;
pub mod client;
pub mod provider;
pub mod tf;
