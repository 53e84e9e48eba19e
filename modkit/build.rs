//! Compiles the directory's protobuf definitions (feature `grpc-hub`) with the `protoc` that
//! ships in the `protoc-bin-vendored` crate, so no system `protoc` is needed.

fn main() {
    #[cfg(feature = "grpc-hub")]
    if let Err(error) = directory::compile() {
        panic!("cannot compile `proto/modkit/directory/v1/directory.proto`: {error}");
    }
}

#[cfg(feature = "grpc-hub")]
mod directory {
    pub(crate) fn compile() -> Result<(), Box<dyn std::error::Error>> {
        let mut config = prost_build::Config::new();
        config.protoc_executable(protoc_bin_vendored::protoc_bin_path()?);
        tonic_prost_build::configure()
            .build_transport(true)
            .compile_with_config(
                config,
                &["proto/modkit/directory/v1/directory.proto"],
                &["proto"],
            )?;
        Ok(())
    }
}
