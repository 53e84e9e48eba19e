/// The module that serves every gRPC service of the host (the `grpc-hub` built-in).
///
/// # Lifecycle
/// `bound_endpoint` is read in the **oop spawn** phase, after the hub has started, so
/// out-of-process children learn where the host's directory service listens.
#[diagnostic::on_unimplemented(
    message = "`{Self}` declares the `grpc_hub` capability but does not implement `GrpcHubCapability`",
    label = "`grpc_hub` needs `impl GrpcHubCapability`"
)]
pub trait GrpcHubCapability: Send + Sync {
    /// The endpoint the hub listens on (`http://127.0.0.1:50051`), once it has bound one.
    fn bound_endpoint(&self) -> Option<String>;
}
