pub mod api;
pub mod client;
pub mod emulator;
pub mod logging;
pub mod provider;
pub mod resources;
pub mod server;
pub mod tf;
