//! Generated protobuf types and gRPC server traits (tfplugin5.2 and go-plugin's services).

#![allow(clippy::all, clippy::pedantic, missing_docs)]

pub mod tfplugin5 {
    tonic::include_proto!("tfplugin5");
}

pub mod plugin {
    tonic::include_proto!("plugin");
}
