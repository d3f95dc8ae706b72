//! terraform-provider-modelarts: the plugin binary Terraform launches (or `--debug` for reattach mode).

use std::process::ExitCode;

use modelarts::server::{serve, Mode, ServeError, DEFAULT_PROVIDER_ADDRESS};

const USAGE: &str = "usage: terraform-provider-modelarts [--debug | --version | --help]\n\n\
  (no arguments)  serve Terraform's plugin protocol 5; Terraform itself runs the provider this way\n\
  --debug         serve in the foreground for TF_REATTACH_PROVIDERS (prints the value to export)\n\
  --version       print the version";

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let args: Vec<&str> = args.iter().map(String::as_str).collect();
    let mode = match args.as_slice() {
        [] => Mode::Plugin,
        ["--debug"] => Mode::Debug {
            provider_address: DEFAULT_PROVIDER_ADDRESS.to_owned(),
        },
        ["--version"] | ["-version"] | ["version"] => {
            println!("terraform-provider-modelarts {}", env!("CARGO_PKG_VERSION"));
            return ExitCode::SUCCESS;
        }
        ["--help"] | ["-h"] | ["-help"] => {
            println!("{USAGE}");
            return ExitCode::SUCCESS;
        }
        _ => {
            eprintln!("{USAGE}");
            return ExitCode::from(2);
        }
    };
    match serve(mode, modelarts::provider::service) {
        Ok(()) => ExitCode::SUCCESS,
        Err(ServeError::Handshake(e)) => {
            eprintln!("{e}");
            ExitCode::FAILURE
        }
        Err(e) => {
            eprintln!("terraform-provider-modelarts: {e}");
            ExitCode::FAILURE
        }
    }
}
