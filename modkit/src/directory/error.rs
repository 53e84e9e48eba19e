/// A call to the host's directory failed.
#[derive(Debug, thiserror::Error)]
pub enum DirectoryError {
    /// The endpoint is not a URI.
    #[error("invalid directory endpoint `{endpoint}`: {reason}")]
    InvalidEndpoint {
        /// The endpoint given.
        endpoint: String,
        /// Why it is not one.
        reason: String,
    },
    /// Nothing answered at the endpoint.
    #[error("cannot connect to the directory at `{endpoint}`")]
    Connect {
        /// The endpoint given.
        endpoint: String,
        /// The transport's error.
        #[source]
        source: tonic::transport::Error,
    },
    /// The directory answered with an error (a missing or wrong host secret is
    /// `Unauthenticated`; an expired instance's heartbeat is `NotFound`).
    #[error("directory `{operation}` at `{endpoint}` failed ({code:?}): {message}")]
    Call {
        /// `register`, `heartbeat`, `deregister`, `resolve` or `watch`.
        operation: &'static str,
        /// The directory's endpoint.
        endpoint: String,
        /// The gRPC status code.
        code: tonic::Code,
        /// The directory's message.
        message: String,
    },
}

impl DirectoryError {
    /// The gRPC status code, when the directory answered.
    pub fn code(&self) -> Option<tonic::Code> {
        match self {
            Self::Call { code, .. } => Some(*code),
            _ => None,
        }
    }
}
