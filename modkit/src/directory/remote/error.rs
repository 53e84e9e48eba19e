use std::time::Duration;

/// A call through a [`RemoteService`](super::RemoteService) failed.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum RemoteCallError {
    /// No live instance could be reached (none is registered, the directory cannot be
    /// asked, or every one tried refused the connection): the call ran nowhere.
    #[error("no live instance of `{service}` can be reached: {reason}")]
    Unavailable {
        /// The gRPC service (`package.Service`).
        service: String,
        /// Why.
        reason: String,
    },
    /// The call did not finish within its deadline (the instance may hang); it may or may
    /// not have run.
    #[error("the call to `{service}` did not finish within its deadline of {deadline:?}")]
    DeadlineExceeded {
        /// The gRPC service.
        service: String,
        /// The deadline (`modules.<name>.runtime.call_timeout`).
        deadline: Duration,
    },
    /// The call reached an instance, which answered with an error status (or the
    /// connection broke while the call was under way).
    #[error("`{service}` answered {:?}: {}", status.code(), status.message())]
    Status {
        /// The gRPC service.
        service: String,
        /// What it answered.
        #[source]
        status: tonic::Status,
    },
}

impl RemoteCallError {
    /// The gRPC status code that best describes the failure (`Unavailable`,
    /// `DeadlineExceeded`, or the instance's own).
    ///
    /// ```
    /// use std::time::Duration;
    /// use modkit::directory::RemoteCallError;
    ///
    /// let error = RemoteCallError::DeadlineExceeded {
    ///     service: "demo.v1.Calc".to_owned(),
    ///     deadline: Duration::from_secs(5),
    /// };
    /// assert_eq!(error.code(), tonic::Code::DeadlineExceeded);
    /// ```
    pub fn code(&self) -> tonic::Code {
        match self {
            Self::Unavailable { .. } => tonic::Code::Unavailable,
            Self::DeadlineExceeded { .. } => tonic::Code::DeadlineExceeded,
            Self::Status { status, .. } => status.code(),
        }
    }
}
