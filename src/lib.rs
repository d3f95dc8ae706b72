pub mod api;
pub mod client;
pub mod emulator;
pub mod tf;
pub mod resources;
