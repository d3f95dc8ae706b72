pub mod api;
pub mod tf;
