//! Generates the gRPC server code for tfplugin5.2 and go-plugin's services, with a vendored protoc.

use std::error::Error;

const PROTOS: &[&str] = &[
    "proto/tfplugin5.2.proto",
    "proto/grpc_controller.proto",
    "proto/grpc_stdio.proto",
    "proto/grpc_broker.proto",
];

fn main() -> Result<(), Box<dyn Error>> {
    // A fresh machine has no protoc; the vendored one (and its well-known-type includes) avoids an apt step.
    let protoc = protoc_bin_vendored::protoc_bin_path()?;
    std::env::set_var("PROTOC", protoc);
    let wkt_include = protoc_bin_vendored::include_path()?;

    for proto in PROTOS {
        println!("cargo:rerun-if-changed={proto}");
    }
    let protos: Vec<std::path::PathBuf> = PROTOS.iter().map(std::path::PathBuf::from).collect();
    let includes = [std::path::PathBuf::from("proto"), wkt_include];
    tonic_prost_build::configure()
        .build_client(false)
        .build_server(true)
        .compile_protos(&protos, &includes)?;
    Ok(())
}
