pub mod api;
pub mod client;
pub mod data_sources;
pub mod emulator;
pub mod provider;
pub mod resources;
pub mod tf;
