pub mod api;
pub mod logging;
pub mod provider;
pub mod server;
pub mod tf;
