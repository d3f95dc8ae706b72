pub mod api;
pub mod client;
pub mod tf;
pub mod resources;
