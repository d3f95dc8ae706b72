pub mod api;
pub mod tf;
pub mod resources;
