//! Compiles the calculator's protobuf definitions with the `protoc` that ships in the
//! `protoc-bin-vendored` crate, so no system `protoc` is needed.

fn main() {
    if let Err(error) = compile() {
        panic!("cannot compile `proto/calculator/v1/calculator.proto`: {error}");
    }
}

fn compile() -> Result<(), Box<dyn std::error::Error>> {
    let mut config = prost_build::Config::new();
    config.protoc_executable(protoc_bin_vendored::protoc_bin_path()?);
    tonic_prost_build::configure().compile_with_config(
        config,
        &["proto/calculator/v1/calculator.proto"],
        &["proto"],
    )?;
    Ok(())
}
