pub mod api;
pub mod emulator;
pub mod tf;
