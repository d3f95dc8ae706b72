pub mod api;
pub mod docgen;
pub mod logging;
pub mod provider;
pub mod server;
pub mod tf;
